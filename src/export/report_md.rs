//! report.md: a Markdown page a team pastes into its retrospective notes.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::export::{Output, OutputContext};
use crate::trends::retrospective::TitleNames;
use crate::trends::sparkline::{SPARKLINE_PERIODS, sparkline_fit};
use crate::trends::stats::format_counts;
use crate::trends::{Highlight, IssueTally, Series, Trends, headline};
use crate::words::count;

use super::retrospective::StoryInputs;

/// At most this many characters for a sparkline of a whole series.
const WHOLE_SERIES_WIDTH: usize = 40;

/// Rows in each table of entities.
const TABLE_ROWS: usize = 15;

pub fn write_report_md(path: &Path, issues: &IssueTally, trends: &Trends) -> anyhow::Result<()> {
    write_report_md_with(path, issues, trends, &StoryInputs::bare())
}

/// report.md with the retrospective's titles, graph and `--at`.
pub fn write_report_md_with(
    path: &Path,
    issues: &IssueTally,
    trends: &Trends,
    inputs: &StoryInputs<'_>,
) -> anyhow::Result<()> {
    let text = render_with(issues, trends, inputs).map_err(anyhow::Error::msg)?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Markdown with every piece of corpus text escaped, so a title cannot
/// open a link, a table cell or an HTML tag.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

pub fn render(issues: &IssueTally, trends: &Trends) -> String {
    render_with(issues, trends, &StoryInputs::bare()).unwrap_or_else(|message| message)
}

/// The page; `Err` when `--at` names no period of the corpus.
pub fn render_with(
    issues: &IssueTally,
    trends: &Trends,
    inputs: &StoryInputs<'_>,
) -> Result<String, String> {
    let head = headline(issues, trends);
    let mut out = String::new();
    let title = if head.publications.is_empty() {
        "Newsletter".to_string()
    } else {
        head.publications.join(", ")
    };
    let _ = writeln!(out, "# {}: trends, {}\n", escape(&title), head.date_range());
    let _ = writeln!(
        out,
        "**{}**{} · **{}** · **{}** · **{}** named in {}",
        count(head.issues, "issue"),
        if head.undated_issues > 0 {
            format!(" ({} undated, left out of the series)", head.undated_issues)
        } else {
            String::new()
        },
        count(head.items, "item"),
        count(head.links, "link"),
        count(head.entities, "entity"),
        count(head.mentions as usize, "item mention")
    );
    about(&mut out, trends);
    let (Some(first), Some(last)) = (trends.spans.first(), trends.spans.last()) else {
        let _ = writeln!(
            out,
            "\nNo issue has a date, so there are no trends to show."
        );
        return Ok(out);
    };
    let _ = writeln!(
        out,
        "\nSeries by {} from {} to {} ({}, empty ones included). \
         Mentions count items; share is of the period's items.\n",
        trends.period.as_str(),
        first.label,
        last.label,
        count(trends.spans.len(), "period")
    );

    let default_titles = TitleNames::default();
    let titles = inputs.titles.unwrap_or(&default_titles);
    let story = super::retrospective::stories(trends, issues, inputs, titles)?;
    super::retrospective::markdown(&mut out, trends, &story, inputs.graph);
    let _ = writeln!(
        out,
        "## {}, the last {}: status of each entity\n",
        last.label,
        trends.period.as_str()
    );
    let t = trends.spans.len() - 1;
    let from = (t + 1).saturating_sub(SPARKLINE_PERIODS);
    for (title, rows) in [("Rising", trends.rising(t)), ("Falling", trends.falling(t))] {
        let _ = writeln!(out, "### {title}\n");
        let rows: Vec<Highlight<'_>> = rows.into_iter().filter(|h| h.kind != "pr").collect();
        highlight_table(&mut out, trends, &rows, from, t);
    }

    let _ = writeln!(out, "## Bursts\n");
    let bursts = trends.bursts();
    if bursts.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let _ = writeln!(
            out,
            "Periods in which an entity was unusually hot (Kleinberg, s = 2, γ = 1), heaviest first.\n"
        );
        let _ = writeln!(out, "| Entity | Kind | From | To | Weight |");
        let _ = writeln!(out, "| --- | --- | --- | --- | ---: |");
        for (series, burst) in bursts.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {:.1} |",
                escape(&series.name),
                series.kind,
                trends.spans[burst.start].label,
                trends.spans[burst.end].label,
                burst.weight
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Most mentioned\n");
    let _ = writeln!(out, "| Entity | Kind | Items | Issues | Series |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | --- |");
    for series in trends.top_entities(TABLE_ROWS) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            escape(&series.name),
            series.kind,
            series.total_mentions(),
            series.issues.iter().sum::<u32>(),
            sparkline_fit(&series.mentions.to_vec(), WHOLE_SERIES_WIDTH)
        );
    }
    out.push('\n');

    for (title, family) in [
        ("Section mix", &trends.categories),
        ("Entity kinds", &trends.kinds),
    ] {
        let _ = writeln!(out, "## {title}\n");
        family_table(&mut out, trends, family);
    }

    let _ = writeln!(out, "## Per period\n");
    let neco = trends.stats.iter().any(|s| s.neco_mentions > 0);
    let _ = writeln!(
        out,
        "| Period | Issues | Items | Entities | New |{} Top entities | Top hosts |",
        if neco { " Neco OSS |" } else { "" }
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: |{} --- | --- |",
        if neco { " ---: |" } else { "" }
    );
    for stats in &trends.stats {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |{} {} | {} |",
            stats.span.label,
            stats.issues,
            stats.items,
            stats.distinct_entities,
            stats.new_entities,
            if neco {
                format!(" {} |", stats.neco_mentions)
            } else {
                String::new()
            },
            escape(&named_counts(trends, &trends.top_topics_of(stats))),
            escape(&format_counts(&stats.top_hosts)),
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## Issues\n");
    if let Some(note) = issues.unlisted_note() {
        let _ = writeln!(out, "{note}\n");
    }
    for summary in &issues.latest {
        let date = crate::model::date_or_undated(summary.issue.date);
        let _ = writeln!(
            out,
            "- {date}: {} ({}, {})",
            escape(&summary.issue.title),
            count(summary.items, "item"),
            count(summary.issue.links, "link")
        );
    }
    Ok(out)
}

/// "Kubernetes 12; CEL 4": a period's top entities by name.
pub fn named_counts(trends: &Trends, counts: &[(String, u32)]) -> String {
    counts
        .iter()
        .map(|(id, count)| {
            let name = trends.entity(id).map_or(id.as_str(), |s| s.name.as_str());
            format!("{name} {count}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "What every issue is about": the publication constants, said once.
fn about(out: &mut String, trends: &Trends) {
    let lines = trends.constant_lines();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## What every issue is about\n");
    let _ = writeln!(out, "{}\n", constants_note(trends));
    for (publication, names) in lines {
        let _ = writeln!(out, "- **{}**: {}", escape(publication), escape(&names));
    }
}

/// What the reports say of the constants under their heading.
pub fn constants_note(trends: &Trends) -> &'static str {
    if trends.left_out.is_empty() {
        "Named in nearly every issue of their publication; kept in the tables and the drawing (--keep-constants)."
    } else {
        "Named in nearly every issue of their publication, so left out of the tables, the charts and the drawing (--keep-constants keeps them in)."
    }
}

fn highlight_table(
    out: &mut String,
    trends: &Trends,
    rows: &[Highlight<'_>],
    from: usize,
    t: usize,
) {
    if rows.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| Entity | Kind | Items | Share | Strength | Burst | Last {} |",
        t + 1 - from
    );
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: | --- |");
    for row in rows.iter().take(TABLE_ROWS) {
        let cells = row.cells(trends, from, t);
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} | {} | {} |",
            escape(row.name),
            if cells.gone { " (gone)" } else { "" },
            row.kind,
            row.mentions,
            cells.share_percent,
            cells.strength,
            cells.burst,
            cells.sparkline
        );
    }
    if rows.len() > TABLE_ROWS {
        let _ = writeln!(out, "\n… and {} more.", rows.len() - TABLE_ROWS);
    }
    out.push('\n');
}

fn family_table(out: &mut String, trends: &Trends, family: &[Series]) {
    if family.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let t = trends.spans.len() - 1;
    let _ = writeln!(
        out,
        "| Name | Items | Share overall | Share now | Status now | Series |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | --- | --- |");
    let all_items: u64 = trends.items.iter().map(|&n| u64::from(n)).sum();
    // A kind no item names (Neco OSS outside Neco Weekly) is a row of zeros.
    for series in family.iter().filter(|s| s.total_mentions() > 0) {
        let overall = if all_items == 0 {
            0.0
        } else {
            series.total_mentions() as f64 / all_items as f64
        };
        let _ = writeln!(
            out,
            "| {} | {} | {:.1}% | {:.1}% | {} | {} |",
            escape(&series.name),
            series.total_mentions(),
            overall * 100.0,
            series.share[t] * 100.0,
            series.status[t].as_str(),
            sparkline_fit(&series.mentions.to_vec(), WHOLE_SERIES_WIDTH)
        );
    }
    out.push('\n');
}

/// report.md: the trends for people, in Markdown.
pub struct ReportMd {
    /// `--at`: the period the retrospective is about.
    pub at: Option<String>,
}

impl Output for ReportMd {
    fn name(&self) -> &str {
        "trend report (Markdown)"
    }

    fn files(&self) -> Vec<&str> {
        vec!["report.md"]
    }

    fn weight(&self) -> u32 {
        2
    }

    fn write(
        &mut self,
        summary: &crate::summary::Summary,
        context: &OutputContext,
    ) -> anyhow::Result<()> {
        write_report_md_with(
            &context.file("report.md"),
            &summary.issues,
            &summary.trends,
            &StoryInputs {
                titles: Some(&summary.titles),
                entities: &summary.entities,
                graph: Some(&summary.graph),
                at: self.at.as_deref(),
                lead_lag: None,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::{Period, compute};

    #[test]
    fn escape_neutralises_markdown_and_html() {
        assert_eq!(
            escape("<script>alert('x')</script> & [a](b) | *c*"),
            "\\<script\\>alert('x')\\</script\\> &amp; \\[a\\](b) \\| \\*c\\*"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }

    #[test]
    fn report_lists_periods_and_escapes_titles() {
        let corpus = crate::trends::fixture::corpus();
        let trends = compute(&corpus, Period::Month);
        let mut issues = IssueTally::default();
        corpus.records.iter().for_each(|r| issues.add(r));
        let report = render(&issues, &trends);
        assert!(report.starts_with("# test: trends, 2022-07-22 to 2022-10-14\n"));
        assert!(
            report.contains("| 2022-09 | 0 | 0 | 0 | 0 | 0 |  |  |\n"),
            "{report}"
        );
        assert!(report.contains("| CEL \\<expr\\> | topic |"), "{report}");
        assert!(report.contains("- 2022-07-22: Issue \\<test-2022-07-22\\> &amp; \"friends\""));
        assert!(!report.contains("<expr>"));
    }
}
