//! `weeklygraph neighbors ENTITY`: an entity's strongest neighbours in the
//! co-mention graph and the items that join them, as text or JSON.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::args::{DictArgs, GraphArgs, InputArgs, load_corpus, parse_at_least_one, rank_parser};
use crate::graph::{self, Window};
use crate::model::{Corpus, Date};
use crate::query::{self, Rank};
use crate::words::count;

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
    /// How many neighbours to list, at least 1
    #[arg(long = "limit", default_value_t = 15, value_parser = parse_at_least_one)]
    pub limit: usize,
    /// Rank neighbours by NPMI (named together more than chance would
    /// have it) or by weight (windows naming both)
    #[arg(long, value_parser = rank_parser(), default_value = "npmi")]
    pub by: Rank,
    /// Print JSON for scripts (the schema is in README.md)
    #[arg(long)]
    pub json: bool,
}

/// `--json`: the entity, its place in the graph and its neighbours.
#[derive(Serialize)]
struct NeighboursReport<'a> {
    entity_id: &'a str,
    name: &'a str,
    kind: &'static str,
    window: &'static str,
    /// False when the graph filters left the entity out; then the counts
    /// are 0 and `neighbours` is empty.
    in_graph: bool,
    mentions: u32,
    issues: u32,
    /// Neighbours in the graph, listed or not.
    neighbour_count: usize,
    by: &'static str,
    neighbours: Vec<NeighbourRow<'a>>,
}

#[derive(Serialize)]
struct NeighbourRow<'a> {
    entity_id: &'a str,
    name: &'a str,
    kind: &'static str,
    weight: u32,
    issues: u32,
    npmi: f64,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    /// The first windows naming both (at most 10), in corpus order.
    windows: Vec<WindowRow<'a>>,
}

#[derive(Serialize)]
struct WindowRow<'a> {
    id: &'a str,
    date: &'a str,
    title: &'a str,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let graph_options = args.graph.options()?;
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let entity = query::resolve(&corpus.entities, &args.entity)?;
    let graph = graph::build(&corpus, &graph_options);
    let titles = window_titles(&corpus, graph.window);
    let around = query::neighbours(&graph, &entity.id, args.by);
    let mut report = NeighboursReport {
        entity_id: &entity.id,
        name: &entity.name,
        kind: entity.kind.as_str(),
        window: graph.window.as_str(),
        in_graph: around.is_some(),
        mentions: 0,
        issues: 0,
        neighbour_count: 0,
        by: args.by.as_str(),
        neighbours: Vec::new(),
    };
    if let Some(around) = &around {
        report.mentions = around.node.mentions;
        report.issues = around.node.issues;
        report.neighbour_count = around.neighbours.len();
        report.neighbours = around
            .neighbours
            .iter()
            .take(args.limit)
            .map(|neighbour| {
                let (other, edge) = (neighbour.node, neighbour.edge);
                NeighbourRow {
                    entity_id: &other.entity_id,
                    name: &other.name,
                    kind: other.kind.as_str(),
                    weight: edge.weight,
                    issues: edge.issues,
                    npmi: edge.npmi,
                    first_seen: edge.first_seen,
                    last_seen: edge.last_seen,
                    windows: edge
                        .windows
                        .iter()
                        .take(ITEMS_PER_NEIGHBOUR)
                        .map(|window| {
                            let (date, title) = titles
                                .get(window)
                                .map_or(("", ""), |(d, t)| (d.as_str(), *t));
                            WindowRow {
                                id: window,
                                date,
                                title,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
    }
    let mut out = super::stdout();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write_text(&mut out, &report)?;
    }
    out.flush()?;
    Ok(code)
}

fn write_text(out: &mut impl Write, report: &NeighboursReport<'_>) -> std::io::Result<()> {
    let window = report.window;
    if !report.in_graph {
        return writeln!(
            out,
            "{} ({}) is not in the graph: no {window} in the selected issues mentions it",
            report.name, report.entity_id,
        );
    }
    writeln!(
        out,
        "{} ({}): {} in {}, {}; by {}",
        report.name,
        report.entity_id,
        count(report.mentions as usize, window),
        count(report.issues as usize, "issue"),
        count(report.neighbour_count, "neighbour"),
        report.by,
    )?;
    for row in &report.neighbours {
        writeln!(
            out,
            "\n{:>4}  npmi {:>6.3}  {} ({})",
            row.weight, row.npmi, row.name, row.entity_id
        )?;
        for window in &row.windows {
            writeln!(
                out,
                "      {:<10}  {}  [{}]",
                window.date, window.title, window.id
            )?;
        }
        // `windows` lists only the first few; `weight` counts them all.
        let window_count = row.weight as usize;
        if window_count > row.windows.len() {
            writeln!(out, "      … and {} more", window_count - row.windows.len())?;
        }
    }
    Ok(())
}

/// Window id → (date, title): items, or issues with `--window issue`.
pub(super) fn window_titles(corpus: &Corpus, window: Window) -> HashMap<&str, (String, &str)> {
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
