//! `weeklygraph trends` and `weeklygraph entity`: tables for a terminal
//! (coloured when it is one and NO_COLOR is unset) or JSON for scripts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};

use anyhow::bail;
use serde::Serialize;

use super::{Highlight, Period, Series, Trends, compute};
use crate::model::{Corpus, Entity};

/// How many periods a sparkline shows, ending at the reported one.
pub const SPARKLINE_PERIODS: usize = 24;
const NEIGHBOURS_SHOWN: usize = 15;

/// ▁ for zero, then seven heights so that any mention shows above zero.
pub fn sparkline(values: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                BARS[0]
            } else {
                let level = (u64::from(v) * 7).div_ceil(u64::from(max)) as usize;
                BARS[level.clamp(1, 7)]
            }
        })
        .collect()
}

/// A sparkline at most `width` wide: longer series are summed in equal
/// consecutive buckets (the last may be shorter), so seven years of weeks
/// still fit a table cell.
pub fn sparkline_fit(values: &[u32], width: usize) -> String {
    if values.len() <= width || width == 0 {
        return sparkline(values);
    }
    let bucket = values.len().div_ceil(width);
    let sums: Vec<u32> = values.chunks(bucket).map(|c| c.iter().sum()).collect();
    sparkline(&sums)
}

/// ANSI colours, or nothing when stdout is not a terminal or NO_COLOR is set.
struct Paint {
    on: bool,
}

impl Paint {
    fn detect() -> Paint {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            on: std::io::stdout().is_terminal() && !no_color,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The period `--at` names, or the last one.
pub fn resolve_period(trends: &Trends, at: Option<&str>) -> anyhow::Result<usize> {
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

#[derive(Serialize)]
struct TrendRow<'a> {
    #[serde(flatten)]
    highlight: Highlight<'a>,
    /// Mentions per period, from `series_start` to the reported period.
    series: &'a [u32],
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

/// `weeklygraph trends`.
pub fn trends_command(
    corpus: &Corpus,
    period: Period,
    top: usize,
    at: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let trends = compute(corpus, period);
    let t = resolve_period(&trends, at)?;
    let from = (t + 1).saturating_sub(SPARKLINE_PERIODS);
    let rows = |highlights| trend_rows(&trends, highlights, top, from, t);
    let span = &trends.spans[t];
    let report = TrendsReport {
        period: &span.label,
        period_length: period.as_str(),
        start: span.start.to_string(),
        end: span.end.to_string(),
        issues: trends.stats[t].issues,
        items: trends.items[t],
        series_start: &trends.spans[from].label,
        rising: rows(trends.rising(t)),
        new: rows(trends.new_entities(t)),
        falling: rows(trends.falling(t)),
    };
    let text = if json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        trends_text(&report, &Paint::detect())
    };
    print_all(&text)
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
                .map_or(&[][..], |s| &s.mentions[from..=t]);
            TrendRow {
                highlight: h,
                series,
            }
        })
        .collect()
}

fn trends_text(report: &TrendsReport<'_>, paint: &Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} {} – {}): {} issues, {} items; sparklines from {}",
        paint.paint("1", report.period),
        report.period_length,
        report.start,
        report.end,
        report.issues,
        report.items,
        report.series_start
    );
    for (title, colour, rows) in [
        ("Rising", "32", &report.rising),
        ("New", "36", &report.new),
        ("Falling", "31", &report.falling),
    ] {
        let _ = writeln!(out, "\n{}", paint.paint(&format!("1;{colour}"), title));
        if rows.is_empty() {
            let _ = writeln!(out, "  (none)");
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
            let mut detail = format!("{:>4} items {:>6.2}%", h.mentions, h.share * 100.0);
            if h.strength > 0.0 {
                let _ = write!(detail, "  p≈{:.0e}", 10f64.powf(-h.strength));
            }
            if h.status.as_str() == "gone" {
                detail.push_str("  gone");
            }
            let name: String = h.name.chars().take(32).collect();
            let _ = writeln!(
                out,
                "  {}  {name:<name_width$}  {:<id_width$}  {detail}",
                paint.paint(colour, &sparkline(row.series)),
                h.id,
            );
        }
    }
    out
}

/// Finds an entity by id, name or alias, ignoring case.
pub fn find_entity<'a>(corpus: &'a Corpus, query: &str) -> Option<&'a Entity> {
    let wanted = query.trim().to_lowercase();
    let entities = || corpus.entities.values();
    entities()
        .find(|e| e.id.to_lowercase() == wanted)
        .or_else(|| entities().find(|e| e.name.to_lowercase() == wanted))
        .or_else(|| entities().find(|e| e.aliases.iter().any(|a| a.to_lowercase() == wanted)))
}

/// `weeklygraph entity NAME`.
pub fn entity_command(corpus: &Corpus, period: Period, name: &str) -> anyhow::Result<()> {
    let Some(entity) = find_entity(corpus, name) else {
        let wanted = name.trim().to_lowercase();
        let near: Vec<String> = corpus
            .entities
            .values()
            .filter(|e| e.name.to_lowercase().contains(&wanted) || e.id.contains(&wanted))
            .take(5)
            .map(|e| format!("{} ({})", e.name, e.id))
            .collect();
        if near.is_empty() {
            bail!("no entity is called {name:?}; `weeklygraph dict` lists them");
        }
        bail!(
            "no entity is called {name:?}; did you mean {}?",
            near.join(", ")
        );
    };
    let trends = compute(corpus, period);
    let paint = Paint::detect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {})",
        paint.paint("1", &entity.name),
        entity.id,
        entity.kind.as_str()
    );
    match trends.entity(&entity.id) {
        None => {
            let _ = writeln!(out, "\nNo dated issue mentions it.");
        }
        Some(series) => write_timeline(&mut out, &trends, series, &paint),
    }
    write_neighbours(&mut out, corpus, &entity.id, &paint);
    write_items(&mut out, corpus, &entity.id, &paint);
    print_all(&out)
}

fn write_timeline(out: &mut String, trends: &Trends, series: &Series, paint: &Paint) {
    let present: Vec<usize> = (0..series.mentions.len())
        .filter(|&t| series.present(t))
        .collect();
    let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
        return;
    };
    let _ = writeln!(
        out,
        "{} items in {} issues, {} to {}\n{}",
        series.total_mentions(),
        series.issues.iter().sum::<u32>(),
        trends.spans[first].label,
        trends.spans[last].label,
        paint.paint("33", &sparkline_fit(&series.mentions, 60)),
    );
    let _ = writeln!(out, "\n{}", paint.paint("1", "Timeline"));
    let max = series.mentions[first..=last]
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    for t in first..=last {
        let mentions = series.mentions[t];
        let bar = "█".repeat(bar_length(mentions, max, 30));
        let mut note = series.status[t].as_str().to_string();
        if let Some(weight) = series.burst_at(t) {
            let _ = write!(note, " burst {weight:.1}");
        }
        let _ = writeln!(
            out,
            "  {:<9} {:>4}  {:<30} {}",
            trends.spans[t].label,
            mentions,
            paint.paint("33", &bar),
            note.trim()
        );
    }
}

fn bar_length(value: u32, max: u32, width: usize) -> usize {
    if max == 0 {
        return 0;
    }
    (u64::from(value) * width as u64).div_ceil(u64::from(max)) as usize
}

/// Entities named in the same items, with the number of shared items.
pub fn neighbours(corpus: &Corpus, id: &str) -> Vec<(String, u32)> {
    let mut by_item: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for mention in corpus.records.iter().flat_map(|r| &r.mentions) {
        if let Some(item) = &mention.item_id {
            by_item.entry(item).or_default().push(&mention.entity_id);
        }
    }
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for entities in by_item.values_mut() {
        if !entities.contains(&id) {
            continue;
        }
        entities.sort_unstable();
        entities.dedup();
        for other in entities.iter().filter(|&&e| e != id) {
            *counts.entry(other).or_default() += 1;
        }
    }
    let mut counts: Vec<(String, u32)> = counts
        .into_iter()
        .map(|(e, c)| (e.to_string(), c))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

fn write_neighbours(out: &mut String, corpus: &Corpus, id: &str, paint: &Paint) {
    let neighbours = neighbours(corpus, id);
    let _ = writeln!(out, "\n{}", paint.paint("1", "Mentioned with"));
    if neighbours.is_empty() {
        let _ = writeln!(out, "  (no other entity in its items)");
    }
    for (other, count) in neighbours.iter().take(NEIGHBOURS_SHOWN) {
        let name = corpus
            .entities
            .get(other)
            .map_or(other.as_str(), |e| &e.name);
        let _ = writeln!(out, "  {count:>4}  {name} ({other})");
    }
    if neighbours.len() > NEIGHBOURS_SHOWN {
        let _ = writeln!(out, "  … and {} more", neighbours.len() - NEIGHBOURS_SHOWN);
    }
}

fn write_items(out: &mut String, corpus: &Corpus, id: &str, paint: &Paint) {
    let _ = writeln!(out, "\n{}", paint.paint("1", "Items"));
    let mut any = false;
    for record in &corpus.records {
        for item in &record.items {
            let mentioned = record
                .mentions
                .iter()
                .any(|m| m.entity_id == id && m.item_id.as_deref() == Some(item.id.as_str()));
            if !mentioned {
                continue;
            }
            any = true;
            let date = crate::model::date_or_undated(record.issue.date);
            let _ = writeln!(
                out,
                "  {date}  {:<13} {}{}",
                item.category.as_str(),
                item.title,
                item.url
                    .as_deref()
                    .map(|u| format!("\n  {:<10}  {:<13} {}", "", "", paint.paint("2", u)))
                    .unwrap_or_default()
            );
        }
    }
    if !any {
        let _ = writeln!(out, "  (none: only named outside items)");
    }
}

/// Prints, treating a closed pipe (`| head`) as the reader being done.
fn print_all(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "▁▂▃▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
        // Any mention shows above zero, however small beside the maximum.
        assert_eq!(sparkline(&[1, 100]), "▂█");
    }

    #[test]
    fn long_sparklines_are_summed_into_buckets() {
        assert_eq!(sparkline_fit(&[1, 0, 0, 0, 2, 2, 0, 8], 4), "▂▁▅█");
        assert_eq!(sparkline_fit(&[1, 2, 3], 3), sparkline(&[1, 2, 3]));
        assert_eq!(sparkline_fit(&[1; 10], 4).chars().count(), 4);
    }

    #[test]
    fn at_must_match_the_period_and_the_corpus() {
        let corpus = fixture::corpus();
        let trends = compute(&corpus, Period::Month);
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

    #[test]
    fn entities_are_found_by_id_name_or_alias() {
        let corpus = fixture::corpus();
        assert_eq!(
            find_entity(&corpus, "TOOL:Kubebuilder").unwrap().id,
            "tool:kubebuilder"
        );
        assert_eq!(find_entity(&corpus, "moco").unwrap().id, "neco:moco");
        assert_eq!(find_entity(&corpus, "cel <expr>").unwrap().id, "topic:cel");
        assert!(find_entity(&corpus, "nothing").is_none());
    }

    #[test]
    fn neighbours_count_shared_items() {
        let corpus = fixture::corpus();
        assert_eq!(
            neighbours(&corpus, "tool:kubebuilder"),
            [("neco:moco".to_string(), 1), ("topic:cel".to_string(), 1)]
        );
        // The undated issue's items count too: Argo shares one with CEL.
        assert_eq!(
            neighbours(&corpus, "topic:cel"),
            [
                ("tool:argo".to_string(), 1),
                ("tool:kubebuilder".to_string(), 1)
            ]
        );
    }
}
