//! `weeklygraph trends`: rising, new and falling entities of one period, as
//! tables for a terminal (coloured when it is one and NO_COLOR is unset) or
//! JSON for scripts.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use serde::Serialize;

use super::Paint;
use super::args::{DictArgs, InputArgs, load_corpus, parse_at_least_one, period_parser};
use crate::trends::sparkline::{SPARKLINE_PERIODS, sparkline};
use crate::trends::{self, Highlight, Period, Trends};
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
    /// The period to report (2023, 2023-Q2, 2023-04, 2023-W15); default the last
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
    #[serde(flatten)]
    highlight: Highlight<'a>,
    /// Mentions per period, from `series_start` to the reported period.
    series: Vec<u32>,
}

#[derive(Serialize)]
struct TrendsReport<'a> {
    period: &'a str,
    period_length: &'static str,
    start: String,
    end: String,
    issues: u32,
    items: u32,
    series_start: &'a str,
    rising: Vec<TrendRow<'a>>,
    new: Vec<TrendRow<'a>>,
    falling: Vec<TrendRow<'a>>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (corpus, code) = load_corpus(&args.input, &args.dict)?;
    let mut trends = trends::compute(&corpus, args.period);
    trends.set_constants(
        &crate::constants::Constants::of_records(&corpus.records),
        args.keep_constants,
    );
    let t = resolve_period(&trends, args.at.as_deref())?;
    let from = (t + 1).saturating_sub(SPARKLINE_PERIODS);
    let rows = |highlights| trend_rows(&trends, highlights, args.top, from, t);
    let span = &trends.spans[t];
    let report = TrendsReport {
        period: &span.label,
        period_length: args.period.as_str(),
        start: span.start.to_string(),
        end: span.end.to_string(),
        issues: trends.stats[t].issues,
        items: trends.items[t],
        series_start: &trends.spans[from].label,
        rising: rows(trends.rising(t)),
        new: rows(trends.new_entities(t)),
        falling: rows(trends.falling(t)),
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

/// The period `--at` names, or the last one.
fn resolve_period(trends: &Trends, at: Option<&str>) -> anyhow::Result<usize> {
    let (Some(first), Some(last)) = (trends.spans.first(), trends.spans.last()) else {
        bail!("no issue has a date, so there is no time series");
    };
    let Some(label) = at else {
        return Ok(trends.spans.len() - 1);
    };
    match Period::of_label(label) {
        None => bail!(
            "--at {label:?} is not a period; write it like {}",
            trends.period.label_example()
        ),
        Some(named) if named != trends.period => bail!(
            "--at {label:?} is a {}, but the series are by {}; add --period {} or write it like {}",
            named.as_str(),
            trends.period.as_str(),
            named.as_str(),
            trends.period.label_example()
        ),
        Some(_) => trends.index_of(label).ok_or_else(|| {
            anyhow::anyhow!(
                "--at {label:?} is outside the corpus, which runs from {} to {}",
                first.label,
                last.label
            )
        }),
    }
}

fn trend_rows<'a>(
    trends: &'a Trends,
    highlights: Vec<Highlight<'a>>,
    top: usize,
    from: usize,
    t: usize,
) -> Vec<TrendRow<'a>> {
    highlights
        .into_iter()
        .take(top)
        .map(|h| {
            let series = trends
                .entity(h.id)
                .map_or_else(Vec::new, |s| s.mentions.to_vec_between(from, t));
            TrendRow {
                highlight: h,
                series,
            }
        })
        .collect()
}

fn write_text(
    out: &mut impl Write,
    report: &TrendsReport<'_>,
    paint: &Paint,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} ({} {} – {}): {}, {}; sparklines from {}",
        paint.paint("1", report.period),
        report.period_length,
        report.start,
        report.end,
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
            .map(|r| r.highlight.name.chars().count())
            .max()
            .unwrap_or(0)
            .min(32);
        let id_width = rows
            .iter()
            .map(|r| r.highlight.id.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        for row in rows {
            let h = &row.highlight;
            let items = if h.mentions == 1 { "item " } else { "items" };
            let mut detail = format!("{:>4} {items} {:>6.2}%", h.mentions, h.share * 100.0);
            if h.strength > 0.0 {
                detail.push_str(&format!("  p≈{:.0e}", 10f64.powf(-h.strength)));
            }
            if h.status.as_str() == "gone" {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::fixture;

    #[test]
    fn at_must_match_the_period_and_the_corpus() {
        let corpus = fixture::corpus();
        let trends = trends::compute(&corpus, Period::Month);
        assert_eq!(resolve_period(&trends, None).unwrap(), 3);
        assert_eq!(resolve_period(&trends, Some("2022-08")).unwrap(), 1);
        let wrong_form = resolve_period(&trends, Some("2022"))
            .unwrap_err()
            .to_string();
        assert!(wrong_form.contains("--period year"), "{wrong_form}");
        let outside = resolve_period(&trends, Some("2021-01"))
            .unwrap_err()
            .to_string();
        assert!(outside.contains("2022-07 to 2022-10"), "{outside}");
    }
}
