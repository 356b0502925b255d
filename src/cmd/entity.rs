//! `weeklygraph entity NAME`: an entity's timeline, its neighbours in the
//! co-mention graph (the same as `weeklygraph neighbors` lists), and the
//! items that mention it.

use std::io::Write;
use std::process::ExitCode;

use super::Paint;
use super::args::{DictArgs, GraphArgs, InputArgs, load_corpus, period_parser};
use crate::graph;
use crate::model::{Corpus, Entity};
use crate::query;
use crate::trends::sparkline::sparkline_fit;
use crate::trends::{self, Period, Series, Trends};

const NEIGHBOURS_SHOWN: usize = 15;

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
    #[arg(long, value_parser = period_parser(), default_value = "month")]
    pub period: Period,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let entity = query::resolve(&corpus.entities, &args.name)?;
    let trends = trends::compute(&corpus, args.period);
    let graph = graph::build(&corpus, &args.graph.options());
    let paint = Paint::detect();
    let mut out = super::stdout();
    writeln!(
        out,
        "{} ({}, {})",
        paint.paint("1", &entity.name),
        entity.id,
        entity.kind.as_str()
    )?;
    match trends.entity(&entity.id) {
        None => writeln!(out, "\nNo dated issue mentions it.")?,
        Some(series) => write_timeline(&mut out, &trends, series, &paint)?,
    }
    write_neighbours(&mut out, &graph, entity, &paint)?;
    write_items(&mut out, &corpus, entity, &paint)?;
    out.flush()?;
    Ok(code)
}

fn write_timeline(
    out: &mut impl Write,
    trends: &Trends,
    series: &Series,
    paint: &Paint,
) -> std::io::Result<()> {
    let present: Vec<usize> = (0..series.mentions.len())
        .filter(|&t| series.present(t))
        .collect();
    let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
        return Ok(());
    };
    writeln!(
        out,
        "{} items in {} issues, {} to {}\n{}",
        series.total_mentions(),
        series.issues.iter().sum::<u32>(),
        trends.spans[first].label,
        trends.spans[last].label,
        paint.paint("33", &sparkline_fit(&series.mentions.to_vec(), 60)),
    )?;
    writeln!(out, "\n{}", paint.paint("1", "Timeline"))?;
    let max = series
        .mentions
        .to_vec_between(first, last)
        .into_iter()
        .max()
        .unwrap_or(0);
    for t in first..=last {
        let mentions = series.mentions[t];
        let bar = "█".repeat(bar_length(mentions, max, 30));
        let mut note = series.status[t].as_str().to_string();
        if let Some(weight) = series.burst_at(t) {
            note.push_str(&format!(" burst {weight:.1}"));
        }
        writeln!(
            out,
            "  {:<9} {:>4}  {:<30} {}",
            trends.spans[t].label,
            mentions,
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

/// Its neighbours in the co-mention graph, heaviest edge first, with the
/// edge's weight: the windows (items by default) naming both.
fn write_neighbours(
    out: &mut impl Write,
    graph: &graph::CoMentionGraph,
    entity: &Entity,
    paint: &Paint,
) -> std::io::Result<()> {
    writeln!(out, "\n{}", paint.paint("1", "Mentioned with"))?;
    let window = graph.window.as_str();
    let Some(around) = query::neighbours(graph, &entity.id) else {
        return writeln!(
            out,
            "  (not in the graph: no {window} in the selected issues mentions it)"
        );
    };
    if around.neighbours.is_empty() {
        writeln!(out, "  (no other entity in its {window}s)")?;
    }
    for neighbour in around.neighbours.iter().take(NEIGHBOURS_SHOWN) {
        let other = neighbour.node;
        writeln!(
            out,
            "  {:>4}  {} ({})",
            neighbour.edge.weight, other.name, other.entity_id
        )?;
    }
    if around.neighbours.len() > NEIGHBOURS_SHOWN {
        writeln!(
            out,
            "  … and {} more",
            around.neighbours.len() - NEIGHBOURS_SHOWN
        )?;
    }
    Ok(())
}

fn write_items(
    out: &mut impl Write,
    corpus: &Corpus,
    entity: &Entity,
    paint: &Paint,
) -> std::io::Result<()> {
    writeln!(out, "\n{}", paint.paint("1", "Items"))?;
    let mut any = false;
    for record in &corpus.records {
        for item in &record.items {
            let mentioned = record.mentions.iter().any(|m| {
                m.entity_id == entity.id && m.item_id.as_deref() == Some(item.id.as_str())
            });
            if !mentioned {
                continue;
            }
            any = true;
            let date = crate::model::date_or_undated(record.issue.date);
            writeln!(
                out,
                "  {date}  {:<13} {}{}",
                item.category.as_str(),
                item.title,
                item.url
                    .as_deref()
                    .map(|u| format!("\n  {:<10}  {:<13} {}", "", "", paint.paint("2", u)))
                    .unwrap_or_default()
            )?;
        }
    }
    if !any {
        writeln!(out, "  (none: only named outside items)")?;
    }
    Ok(())
}
