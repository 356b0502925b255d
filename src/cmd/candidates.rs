//! `weeklygraph candidates`: product-looking names no dictionary entry
//! knows, ranked by evidence (link, title, prose, code). `--toml` prints
//! them as dictionary entries to review and pass back with `--dict`.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use super::args::{DictArgs, InputArgs, load_corpus};
use crate::extract::candidates::{self, CandidateSummary};
use crate::model::{Entity, MatchRule, Source};
use crate::parse::metadata::slug;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    /// How many to print, at least 1
    #[arg(long, default_value_t = 40, value_parser = super::args::parse_at_least_one)]
    pub top: usize,
    /// Print them as `[[entity]]` TOML for `--dict`
    #[arg(long, conflicts_with = "json")]
    pub toml: bool,
    /// Print them as a JSON array (the schema is in README.md)
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let rows = candidates::summarize(&corpus);
    let top = &rows[..args.top.min(rows.len())];
    let mut out = super::stdout();
    if args.toml {
        let taken: BTreeSet<&str> = corpus.entities.keys().map(String::as_str).collect();
        let linked: Vec<&Entity> = corpus
            .entities
            .values()
            .filter(|entity| entity.source == Source::LinkDerived)
            .collect();
        out.write_all(link_derived_toml(&linked).as_bytes())?;
        out.write_all(as_toml(top, &taken).as_bytes())?;
    } else if args.json {
        // Into a string first: serde_json's writer errors hide the io error
        // a closed pipe gives.
        writeln!(out, "{}", serde_json::to_string_pretty(top)?)?;
    } else {
        writeln!(
            out,
            "{:>6} {:>6}  {:<6} {:<8} {:<28} example",
            "count", "issues", "kind", "evidence", "name"
        )?;
        for row in top {
            writeln!(
                out,
                "{:>6} {:>6}  {:<6} {:<8} {:<28} {}",
                row.count,
                row.issues,
                row.suggested_kind.as_str(),
                row.evidence.as_str(),
                row.name,
                row.example
            )?;
        }
    }
    out.flush()?;
    Ok(code)
}

/// The projects the corpus's links named, as dictionary entries that keep
/// their ids: passed back with --dict they are the user's, to rename, merge
/// or delete.
pub fn link_derived_toml(entities: &[&Entity]) -> String {
    let mut out = String::from(
        "# Projects the corpus links to and names (link-derived). Review, edit\n\
         # or delete, then pass back with --dict; their ids stay the same.\n",
    );
    for entity in entities {
        let quoted = |items: &[String]| -> String {
            items
                .iter()
                .map(|item| toml_string(item))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "\n[[entity]]\nid = {}\nname = {}\nkind = {}\naliases = [{}]\nurls = [{}]\n",
            toml_string(&entity.id),
            toml_string(&entity.name),
            toml_string(entity.kind.as_str()),
            quoted(&entity.aliases),
            quoted(&entity.urls),
        ));
        if entity.match_rule == MatchRule::Strict {
            out.push_str("match = \"strict\"\n");
        }
    }
    out.push('\n');
    out
}

/// Dictionary entries for `rows`, each after a comment saying why it is
/// there. Ids are `kind:slug`; one an entity already holds (or an earlier
/// row took) gets `-2`, `-3`, … so passing the file back adds entities
/// and never rewrites one.
pub fn as_toml(rows: &[CandidateSummary], taken: &BTreeSet<&str>) -> String {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = String::from(
        "# Names weeklygraph found that no dictionary entry knows, strongest\n\
         # evidence first. Review, edit or delete, then pass back with --dict.\n",
    );
    for row in rows {
        let base = slug(&row.name);
        if base.is_empty() {
            continue;
        }
        let kind = row.suggested_kind.as_str();
        let mut id = format!("{kind}:{base}");
        let mut n = 2;
        while taken.contains(id.as_str()) || used.contains(&id) {
            id = format!("{kind}:{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        let example: String = row
            .example
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&format!(
            "\n# count {}, issues {}, evidence {}: {example}\n[[entity]]\nid = {}\nname = {}\nkind = {}\n",
            row.count,
            row.issues,
            row.evidence.as_str(),
            toml_string(&id),
            toml_string(&row.name),
            toml_string(kind),
        ));
        let aliases: Vec<String> = row.other_spellings.iter().map(|s| toml_string(s)).collect();
        out.push_str(&format!("aliases = [{}]\n", aliases.join(", ")));
        if !row.url.is_empty() {
            out.push_str(&format!("urls = [{}]\n", toml_string(&row.url)));
        }
    }
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
