//! `weeklygraph dict`: the dictionary in force, or every alias.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use super::args::DictArgs;
use crate::extract::Dictionary;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub dict: DictArgs,
    /// Print every alias, one a line
    #[arg(long)]
    pub aliases: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dictionary = args.dict.load()?;
    let mut out = super::stdout();
    if args.aliases {
        write_aliases(&dictionary, &mut out)?;
    } else {
        write_table(&dictionary, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One entity a line: id, name, kind, aliases joined with "; ".
fn write_table(dictionary: &Dictionary, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "id\tname\tkind\taliases")?;
    for entity in &dictionary.entities {
        let aliases: Vec<String> = entity.aliases.iter().map(|a| one_cell(a)).collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            one_cell(&entity.id),
            one_cell(&entity.name),
            entity.kind.as_str(),
            aliases.join("; ")
        )?;
    }
    Ok(())
}

/// Every name and alias, one a line, sorted, each once: a pattern file for
/// `rg -F -f`.
fn write_aliases(dictionary: &Dictionary, out: &mut impl Write) -> std::io::Result<()> {
    let aliases: BTreeSet<String> = dictionary
        .entities
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(|alias| one_cell(alias.trim()))
        .filter(|alias| !alias.is_empty())
        .collect();
    for alias in aliases {
        writeln!(out, "{alias}")?;
    }
    Ok(())
}

/// A value on one line with no tab: a user's file may hold either.
fn one_cell(value: &str) -> String {
    value
        .chars()
        .map(|c| if c == '\t' || c.is_control() { ' ' } else { c })
        .collect()
}
