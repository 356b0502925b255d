//! `weeklygraph render graph.dot -o graph.svg`: Graphviz on an existing DOT
//! file, the format named by the output's extension.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;

use crate::export::dot::{RenderError, run_dot};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The DOT file
    pub dot_file: PathBuf,
    /// The picture to write; its extension (svg, png, pdf) is the format
    #[arg(short, long)]
    pub output: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    render(&args.dot_file, &args.output)?;
    Ok(ExitCode::SUCCESS)
}

fn render(dot_file: &Path, output: &Path) -> anyhow::Result<()> {
    if !dot_file.is_file() {
        bail!("{} not found", dot_file.display());
    }
    let Some(format) = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()))
    else {
        bail!(
            "cannot tell the format of {}: give it an extension such as .svg or .png",
            output.display()
        );
    };
    match run_dot(dot_file, output, &format) {
        Ok(()) => Ok(()),
        Err(RenderError::Missing) => bail!(
            "Graphviz's `dot` is not installed; install it (apt-get install graphviz, \
             or brew install graphviz) and run this again"
        ),
        Err(RenderError::Failed(message)) => bail!("{message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_clear() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nothing.dot");
        let error = render(&missing, &dir.path().join("x.svg")).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{} not found", missing.display())
        );
        let dot_file = dir.path().join("g.dot");
        std::fs::write(&dot_file, "graph { a -- b }").unwrap();
        let error = render(&dot_file, &dir.path().join("noext")).unwrap_err();
        assert!(
            error.to_string().starts_with("cannot tell the format"),
            "{error}"
        );
    }
}
