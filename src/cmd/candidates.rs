//! `weeklygraph candidates`: product-looking names no dictionary entry
//! knows, most frequent first.

use std::io::Write;
use std::process::ExitCode;

use super::args::{DictArgs, InputArgs, load_corpus};
use crate::extract::candidates;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    /// How many to print
    #[arg(long, default_value_t = 40)]
    pub top: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let rows = candidates::summarize(&corpus);
    let mut out = super::stdout();
    writeln!(
        out,
        "{:>6} {:>6}  {:<6} {:<28} example",
        "count", "issues", "kind", "name"
    )?;
    for row in rows.iter().take(args.top) {
        writeln!(
            out,
            "{:>6} {:>6}  {:<6} {:<28} {}",
            row.count,
            row.issues,
            row.suggested_kind.as_str(),
            row.name,
            row.example
        )?;
    }
    out.flush()?;
    Ok(code)
}
