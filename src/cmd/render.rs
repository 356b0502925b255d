//! `weeklygraph render graph.dot -o graph.svg`: Graphviz on an existing DOT
//! file, the format named by the output's extension.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;

use std::time::Duration;

use crate::export::dot::{DEFAULT_RENDER_TIMEOUT_SECS, RenderError, run_dot_within};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The DOT file
    pub dot_file: PathBuf,
    /// The picture to write; its extension (svg, png, pdf) is the format
    #[arg(short, long)]
    pub output: PathBuf,
    /// Stop Graphviz after this many seconds
    #[arg(long, default_value_t = DEFAULT_RENDER_TIMEOUT_SECS)]
    pub render_timeout: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    render(
        &args.dot_file,
        &args.output,
        Duration::from_secs(args.render_timeout),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn render(dot_file: &Path, output: &Path, limit: Duration) -> anyhow::Result<()> {
    if !dot_file.is_file() {
        bail!("{} not found", dot_file.display());
    }
    if is_same_file(dot_file, output) {
        bail!(
            "-o {} is the DOT file itself; writing the picture there would destroy it. \
             Name the picture with its own extension, such as -o graph.svg",
            output.display()
        );
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
    match run_dot_within(dot_file, output, &format, limit) {
        Ok(()) => Ok(()),
        Err(RenderError::Missing) => bail!(
            "Graphviz's `dot` is not installed; install it (apt-get install graphviz, \
             or brew install graphviz) and run this again"
        ),
        Err(RenderError::Failed(message)) => bail!("{message}"),
    }
}

/// The same file by two names (`g.dot`, `./g.dot`, a link): the same
/// file system object, or the same path once resolved.
fn is_same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_clear() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nothing.dot");
        let error =
            render(&missing, &dir.path().join("x.svg"), Duration::from_secs(60)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{} not found", missing.display())
        );
        let dot_file = dir.path().join("g.dot");
        std::fs::write(&dot_file, "graph { a -- b }").unwrap();
        let error = render(
            &dot_file,
            &dir.path().join("noext"),
            Duration::from_secs(60),
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with("cannot tell the format"),
            "{error}"
        );
    }
}
