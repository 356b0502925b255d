//! `weeklygraph neighbors ENTITY`: an entity's strongest neighbours in the
//! co-mention graph and the items that join them.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use super::args::{DictArgs, GraphArgs, InputArgs, load_corpus};
use crate::graph::{self, Window};
use crate::model::{Corpus, Date};
use crate::query;

/// Items listed under each neighbour; a hub's pairs can have hundreds.
const ITEMS_PER_NEIGHBOUR: usize = 10;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Entity id (neco:moco) or name (MOCO)
    pub entity: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// How many neighbours
    #[arg(long = "limit", default_value_t = 15)]
    pub limit: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let entity = query::resolve(&corpus.entities, &args.entity)?;
    let graph = graph::build(&corpus, &args.graph.options());
    let window = graph.window.as_str();
    let mut out = super::stdout();
    let Some(around) = query::neighbours(&graph, &entity.id) else {
        writeln!(
            out,
            "{} ({}) is not in the graph: no {window} in the selected issues mentions it",
            entity.name, entity.id,
        )?;
        out.flush()?;
        return Ok(code);
    };
    let me = around.node;
    writeln!(
        out,
        "{} ({}): {} {window}s in {} issues, {} neighbours",
        me.name,
        me.entity_id,
        me.mentions,
        me.issues,
        around.neighbours.len()
    )?;
    let titles = window_titles(&corpus, graph.window);
    for neighbour in around.neighbours.iter().take(args.limit) {
        let (other, edge) = (neighbour.node, neighbour.edge);
        writeln!(
            out,
            "\n{:>4}  npmi {:>6.3}  {} ({})",
            edge.weight, edge.npmi, other.name, other.entity_id
        )?;
        for window in edge.windows.iter().take(ITEMS_PER_NEIGHBOUR) {
            let (date, title) = titles
                .get(window.as_str())
                .map_or(("", ""), |(d, t)| (d.as_str(), *t));
            writeln!(out, "      {date:<10}  {title}  [{window}]")?;
        }
        // `windows` lists only the first few; `weight` counts them all.
        let window_count = edge.weight as usize;
        if window_count > ITEMS_PER_NEIGHBOUR {
            writeln!(
                out,
                "      … and {} more",
                window_count - ITEMS_PER_NEIGHBOUR
            )?;
        }
    }
    out.flush()?;
    Ok(code)
}

/// Window id → (date, title): items, or issues with `--window issue`.
fn window_titles(corpus: &Corpus, window: Window) -> HashMap<&str, (String, &str)> {
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut titles = HashMap::new();
    for record in &corpus.records {
        match window {
            Window::Issue => {
                titles.insert(
                    record.issue.id.as_str(),
                    (date(record.issue.date), record.issue.title.as_str()),
                );
            }
            Window::Item => {
                for item in &record.items {
                    titles.insert(
                        item.id.as_str(),
                        (date(record.issue.date), item.title.as_str()),
                    );
                }
            }
        }
    }
    titles
}
