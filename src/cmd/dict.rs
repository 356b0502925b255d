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
    /// Print every name and alias, one a line, sorted (a pattern file for `rg -F -f`)
    #[arg(long)]
    pub aliases: bool,
    /// Print JSON for scripts: the entities, or with --aliases the list of
    /// names (the schema is in README.md)
    #[arg(long)]
    pub json: bool,
}

/// `--json`: one entity.
#[derive(serde::Serialize)]
struct EntityRow<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    aliases: &'a [String],
    urls: &'a [String],
    category: &'a str,
    cncf: &'a str,
    source: &'static str,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dictionary = args.dict.load()?;
    let mut out = super::stdout();
    if args.json {
        // Into a string first: serde_json's writer errors hide the io error
        // a closed pipe gives.
        let json = if args.aliases {
            serde_json::to_string_pretty(&all_aliases(&dictionary))?
        } else {
            let rows: Vec<EntityRow> = dictionary
                .entities
                .iter()
                .map(|e| EntityRow {
                    id: &e.id,
                    name: &e.name,
                    kind: e.kind.as_str(),
                    aliases: &e.aliases,
                    urls: &e.urls,
                    category: &e.category,
                    cncf: &e.cncf,
                    source: e.source.as_str(),
                })
                .collect();
            serde_json::to_string_pretty(&rows)?
        };
        writeln!(out, "{json}")?;
    } else if args.aliases {
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
    for alias in all_aliases(dictionary) {
        writeln!(out, "{alias}")?;
    }
    Ok(())
}

fn all_aliases(dictionary: &Dictionary) -> BTreeSet<String> {
    dictionary
        .entities
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(|alias| one_cell(alias.trim()))
        .filter(|alias| !alias.is_empty())
        .collect()
}

/// A value on one line with no tab: a user's file may hold either.
fn one_cell(value: &str) -> String {
    value
        .chars()
        .map(|c| if c == '\t' || c.is_control() { ' ' } else { c })
        .collect()
}
