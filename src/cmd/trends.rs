//! `weeklygraph trends`: rising, new and falling entities of one period, as
//! tables for a terminal (coloured when it is one and NO_COLOR is unset) or
//! JSON for scripts.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::Paint;
use super::args::{DictArgs, InputArgs, load_corpus, parse_at_least_one, period_parser};
use crate::model::Date;
use crate::trends::retrospective::{self, KepRow, Moved, Retrospective, TitleNames};
use crate::trends::sparkline::sparkline;
use crate::trends::{self, Period};
use crate::words::count;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    /// Length of the periods the series are counted in
    #[arg(long, value_parser = period_parser(), default_value = "month")]
    pub period: Period,
    /// Rows per table, at least 1
    #[arg(long, default_value_t = 10, value_parser = parse_at_least_one)]
    pub top: usize,
    /// The period to report (2023, 2023-Q2, 2023-04, 2023-W15; at least as
    /// long as --period); default the last complete one
    #[arg(long)]
    pub at: Option<String>,
    /// Print JSON for scripts (the schema is in README.md)
    #[arg(long)]
    pub json: bool,
    /// List the entities a publication names in nearly every issue (its
    /// constants) like any other
    #[arg(long)]
    pub keep_constants: bool,
}

#[derive(Serialize)]
struct TrendRow<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    status: &'static str,
    /// Items of the period naming it.
    mentions: u32,
    /// Of the period's items.
    share: f64,
    /// Of the baseline periods' items, smoothed.
    baseline_share: f64,
    /// −log₁₀ p of the rise or fall (0 when neither).
    strength: f64,
    /// Mentions per series step, from `series_start` to the period's end.
    series: Vec<u32>,
}

#[derive(Serialize)]
struct TrendsReport<'a> {
    period: &'a str,
    period_length: &'static str,
    /// Why this period: asked for, or the last complete one.
    why: &'a str,
    start: String,
    end: String,
    issues: u32,
    items: u32,
    series_start: &'a str,
    rising: Vec<TrendRow<'a>>,
    new: Vec<TrendRow<'a>>,
    /// Falling and gone topics and tools; pull requests never are.
    falling: Vec<TrendRow<'a>>,
    /// Seen for the first time, once, with no title naming them.
    first_mentions: Vec<&'a str>,
    keps_appeared: Vec<KepRow<'a>>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let mut trends = trends::compute(&corpus, args.period);
    trends.set_constants(
        &crate::constants::Constants::of_records(&corpus.records),
        args.keep_constants,
    );
    let dates: Vec<Date> = corpus.records.iter().filter_map(|r| r.issue.date).collect();
    let choice =
        retrospective::choose(&trends, args.at.as_deref(), &dates).map_err(anyhow::Error::msg)?;
    let titles = TitleNames::of_records(&corpus.records);
    let retro = Retrospective::of(&trends, choice, &titles, &corpus.entities);
    let (from, to) = (retro.baseline_from, retro.window.to);
    fn rows<'a>(
        moved: &[Moved<'a>],
        status: &'static str,
        top: usize,
        (from, to): (usize, usize),
    ) -> Vec<TrendRow<'a>> {
        moved
            .iter()
            .take(top)
            .map(|m| TrendRow {
                id: m.id,
                name: m.name,
                kind: m.kind,
                status,
                mentions: m.items,
                share: m.per_100 / 100.0,
                baseline_share: m.baseline_per_100 / 100.0,
                strength: m.strength,
                series: m.series.mentions.to_vec_between(from, to),
            })
            .collect()
    }
    let steps = (from, to);
    let span = &retro.window.span;
    let mut falling = rows(&retro.falling, "falling", args.top, steps);
    falling.extend(rows(&retro.gone, "gone", args.top, steps));
    falling.truncate(args.top);
    let report = TrendsReport {
        period: &span.label,
        period_length: retro.window.length.as_str(),
        why: &retro.why,
        start: span.start.to_string(),
        end: span.end.to_string(),
        issues: retro.issues,
        items: retro.items,
        series_start: &trends.spans[from].label,
        rising: rows(&retro.rising, "rising", args.top, steps),
        new: rows(&retro.new, "new", args.top, steps),
        falling,
        first_mentions: retro.first_mentions.iter().map(|m| m.name).collect(),
        keps_appeared: retro.keps_appeared.iter().take(args.top).cloned().collect(),
    };
    let mut out = super::stdout();
    if args.json {
        // Into a string first: serde_json's writer errors hide the io error
        // a closed pipe gives.
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write_text(&mut out, &report, &Paint::detect())?;
    }
    out.flush()?;
    Ok(code)
}

fn write_text(
    out: &mut impl Write,
    report: &TrendsReport<'_>,
    paint: &Paint,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} ({} {} – {}, {}): {}, {}; sparklines from {}",
        paint.paint("1", report.period),
        report.period_length,
        report.start,
        report.end,
        report.why,
        count(report.issues as usize, "issue"),
        count(report.items as usize, "item"),
        report.series_start
    )?;
    for (title, colour, rows) in [
        ("Rising", "32", &report.rising),
        ("New", "36", &report.new),
        ("Falling", "31", &report.falling),
    ] {
        writeln!(out, "\n{}", paint.paint(&format!("1;{colour}"), title))?;
        if rows.is_empty() {
            writeln!(out, "  (none)")?;
            continue;
        }
        let name_width = rows
            .iter()
            .map(|r| r.name.chars().count())
            .max()
            .unwrap_or(0)
            .min(32);
        let id_width = rows
            .iter()
            .map(|r| r.id.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        for row in rows {
            let h = row;
            let mut detail = format!(
                "{:>9} {:>6.2}%",
                count(h.mentions as usize, "item"),
                h.share * 100.0
            );
            if h.strength > 0.0 {
                detail.push_str(&format!("  p≈{:.0e}", 10f64.powf(-h.strength)));
            }
            if h.status == "gone" {
                detail.push_str("  gone");
            }
            let name: String = h.name.chars().take(32).collect();
            writeln!(
                out,
                "  {}  {name:<name_width$}  {:<id_width$}  {detail}",
                paint.paint(colour, &sparkline(&row.series)),
                h.id,
            )?;
        }
    }
    if !report.first_mentions.is_empty() {
        writeln!(
            out,
            "\nFirst mentions: {}",
            report.first_mentions.join(", ")
        )?;
    }
    if !report.keps_appeared.is_empty() {
        writeln!(out, "\n{}", paint.paint("1", "KEPs that appeared"))?;
        for kep in &report.keps_appeared {
            writeln!(
                out,
                "  KEP-{:<6} {:>3} items  {}  {}",
                kep.number, kep.items, kep.title, kep.sig
            )?;
        }
    }
    Ok(())
}
