//! `weeklygraph entity NAME`: an entity's timeline, its neighbours in the
//! co-mention graph (the same as `weeklygraph neighbors` lists), and the
//! items that mention it, as text or JSON.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::Paint;
use super::args::{
    DictArgs, GraphArgs, InputArgs, load_corpus, parse_at_least_one, period_parser, rank_parser,
};
use crate::graph;
use crate::model::{Corpus, Entity};
use crate::query::{self, Rank};
use crate::trends::sparkline::sparkline_fit;
use crate::trends::{self, Period, Series, Trends};
use crate::words::count;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Entity id (neco:moco) or name (MOCO)
    pub name: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Length of the timeline's periods
    #[arg(long, value_parser = period_parser(), default_value = "month")]
    pub period: Period,
    /// How many neighbours and how many items to list, at least 1 (the
    /// counts above each list say how many there are)
    #[arg(long, default_value_t = 20, value_parser = parse_at_least_one)]
    pub limit: usize,
    /// Rank neighbours by NPMI or by weight, as `neighbors --by` does
    #[arg(long, value_parser = rank_parser(), default_value = "npmi")]
    pub by: Rank,
    /// Print JSON for scripts (the schema is in README.md)
    #[arg(long)]
    pub json: bool,
}

/// `--json`: everything the text shows, in one object.
#[derive(Serialize)]
struct EntityReport<'a> {
    entity_id: &'a str,
    name: &'a str,
    kind: &'static str,
    period: &'static str,
    /// Items (and text outside items) naming it in dated issues, over the
    /// timeline; 0 and an empty timeline when no dated issue names it.
    mentions: u64,
    issues: u64,
    timeline: Vec<TimelineRow<'a>>,
    window: &'static str,
    by: &'static str,
    /// Neighbours in the graph, listed or not; `null` when the graph
    /// filters left the entity out.
    neighbour_count: Option<usize>,
    neighbours: Vec<NeighbourRow<'a>>,
    /// Items naming it, listed or not.
    item_count: usize,
    items: Vec<ItemRow<'a>>,
}

/// One period from the first to the last that names the entity.
#[derive(Serialize)]
struct TimelineRow<'a> {
    period: &'a str,
    mentions: u32,
    status: &'static str,
    burst: Option<f64>,
}

#[derive(Serialize)]
struct NeighbourRow<'a> {
    entity_id: &'a str,
    name: &'a str,
    weight: u32,
    npmi: f64,
}

#[derive(Serialize)]
struct ItemRow<'a> {
    issue_id: &'a str,
    item_id: &'a str,
    /// Empty when the issue is undated.
    date: String,
    category: &'static str,
    title: &'a str,
    url: Option<&'a str>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let graph_options = args.graph.options()?;
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let entity = query::resolve(&corpus.entities, &args.name)?;
    let trends = trends::compute(&corpus, args.period);
    let graph = graph::build(&corpus, &graph_options);
    let around = query::neighbours(&graph, &entity.id, args.by);
    let items = items_naming(&corpus, entity);
    let series = trends.entity(&entity.id);
    let report = EntityReport {
        entity_id: &entity.id,
        name: &entity.name,
        kind: entity.kind.as_str(),
        period: args.period.as_str(),
        mentions: series.map_or(0, Series::total_mentions),
        issues: series.map_or(0, |s| s.issues.iter().map(|&n| u64::from(n)).sum()),
        timeline: series.map(|s| timeline(&trends, s)).unwrap_or_default(),
        window: graph.window.as_str(),
        by: args.by.as_str(),
        neighbour_count: around.as_ref().map(|a| a.neighbours.len()),
        neighbours: around
            .iter()
            .flat_map(|a| &a.neighbours)
            .take(args.limit)
            .map(|n| NeighbourRow {
                entity_id: &n.node.entity_id,
                name: &n.node.name,
                weight: n.edge.weight,
                npmi: n.edge.npmi,
            })
            .collect(),
        item_count: items.len(),
        items: items.into_iter().take(args.limit).collect(),
    };
    let mut out = super::stdout();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        let paint = Paint::detect();
        writeln!(
            out,
            "{} ({}, {})",
            paint.paint("1", report.name),
            report.entity_id,
            report.kind
        )?;
        match series {
            None => writeln!(out, "\nNo dated issue mentions it.")?,
            Some(series) => write_timeline(&mut out, &report, series, &paint)?,
        }
        write_neighbours(&mut out, &report, &paint)?;
        write_items(&mut out, &report, &paint)?;
    }
    out.flush()?;
    Ok(code)
}

/// The periods from the first to the last that name the entity.
fn timeline<'a>(trends: &'a Trends, series: &Series) -> Vec<TimelineRow<'a>> {
    let present: Vec<usize> = (0..series.mentions.len())
        .filter(|&t| series.present(t))
        .collect();
    let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|t| TimelineRow {
            period: &trends.spans[t].label,
            mentions: series.mentions[t],
            status: series.status[t].as_str(),
            burst: series.burst_at(t),
        })
        .collect()
}

fn write_timeline(
    out: &mut impl Write,
    report: &EntityReport<'_>,
    series: &Series,
    paint: &Paint,
) -> std::io::Result<()> {
    let (Some(first), Some(last)) = (report.timeline.first(), report.timeline.last()) else {
        return Ok(());
    };
    writeln!(
        out,
        "{} in {}, {} to {}\n{}",
        count(report.mentions as usize, "item"),
        count(report.issues as usize, "issue"),
        first.period,
        last.period,
        paint.paint("33", &sparkline_fit(&series.mentions.to_vec(), 60)),
    )?;
    writeln!(out, "\n{}", paint.paint("1", "Timeline"))?;
    let max = report
        .timeline
        .iter()
        .map(|row| row.mentions)
        .max()
        .unwrap_or(0);
    for row in &report.timeline {
        let bar = "█".repeat(bar_length(row.mentions, max, 30));
        let mut note = row.status.to_string();
        if let Some(weight) = row.burst {
            note.push_str(&format!(" burst {weight:.1}"));
        }
        writeln!(
            out,
            "  {:<9} {:>4}  {:<30} {}",
            row.period,
            row.mentions,
            paint.paint("33", &bar),
            note.trim()
        )?;
    }
    Ok(())
}

fn bar_length(value: u32, max: u32, width: usize) -> usize {
    if max == 0 {
        return 0;
    }
    (u64::from(value) * width as u64).div_ceil(u64::from(max)) as usize
}

/// Its neighbours in the co-mention graph, in the order `neighbors` lists
/// them, with the edge's weight: the windows (items by default) naming both.
fn write_neighbours(
    out: &mut impl Write,
    report: &EntityReport<'_>,
    paint: &Paint,
) -> std::io::Result<()> {
    writeln!(out, "\n{}", paint.paint("1", "Mentioned with"))?;
    let window = report.window;
    let Some(total) = report.neighbour_count else {
        return writeln!(
            out,
            "  (not in the graph: no {window} in the selected issues mentions it)"
        );
    };
    if total == 0 {
        writeln!(out, "  (no other entity in its {window}s)")?;
    }
    for neighbour in &report.neighbours {
        writeln!(
            out,
            "  {:>4}  {} ({})",
            neighbour.weight, neighbour.name, neighbour.entity_id
        )?;
    }
    more(out, total, report.neighbours.len())
}

/// "… and N more", with the flag that lists them.
fn more(out: &mut impl Write, total: usize, shown: usize) -> std::io::Result<()> {
    if total > shown {
        writeln!(
            out,
            "  … and {} more (--limit {total} lists all)",
            total - shown
        )?;
    }
    Ok(())
}

/// The items that name the entity, in corpus order.
fn items_naming<'a>(corpus: &'a Corpus, entity: &Entity) -> Vec<ItemRow<'a>> {
    let mut rows = Vec::new();
    for record in &corpus.records {
        let named: std::collections::HashSet<&str> = record
            .mentions
            .iter()
            .filter(|m| m.entity_id == entity.id)
            .filter_map(|m| m.item_id.as_deref())
            .collect();
        if named.is_empty() {
            continue;
        }
        for item in record
            .items
            .iter()
            .filter(|i| named.contains(i.id.as_str()))
        {
            rows.push(ItemRow {
                issue_id: &record.issue.id,
                item_id: &item.id,
                date: record.issue.date.map(|d| d.to_string()).unwrap_or_default(),
                category: item.category.as_str(),
                title: &item.title,
                url: item.url.as_deref(),
            });
        }
    }
    rows
}

fn write_items(
    out: &mut impl Write,
    report: &EntityReport<'_>,
    paint: &Paint,
) -> std::io::Result<()> {
    writeln!(out, "\n{}", paint.paint("1", "Items"))?;
    if report.items.is_empty() {
        writeln!(out, "  (none: only named outside items)")?;
    }
    for item in &report.items {
        let date = if item.date.is_empty() {
            "undated"
        } else {
            &item.date
        };
        writeln!(
            out,
            "  {date}  {:<13} {}{}",
            item.category,
            item.title,
            item.url
                .map(|u| format!("\n  {:<10}  {:<13} {}", "", "", paint.paint("2", u)))
                .unwrap_or_default()
        )?;
    }
    more(out, report.item_count, report.items.len())
}
