//! report.html: one self-contained page that works offline. Inline CSS,
//! inline SVG charts written here directly, no script, no font, no
//! resource fetched from anywhere; every piece of corpus text escaped.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::export::{Output, OutputContext};
use crate::trends::sparkline::{SPARKLINE_PERIODS, sparkline, sparkline_fit};
use crate::trends::stats::format_counts;
use crate::trends::{Highlight, IssueTally, Series, Trends, headline};

/// At most this many characters for a sparkline of a whole series.
const WHOLE_SERIES_WIDTH: usize = 40;

/// Lines in the chart of top entities; rows in the heatmap and tables.
const CHART_LINES: usize = 8;
const HEATMAP_ROWS: usize = 25;
const TABLE_ROWS: usize = 20;

/// Colour-blind-friendly (Okabe–Ito, then two greys-blues).
const PALETTE: [&str; CHART_LINES] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#7f7f7f", "#222222",
];

const STYLE: &str = "
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 1040px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.sub { color: #666; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.figure .value { display: block; font-size: 1.5rem; font-weight: 600; }
.figure .label { color: #666; font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid #eee; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.spark { font-family: ui-monospace, monospace; letter-spacing: -1px; color: #0072b2; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .9rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; margin-right: .3rem; vertical-align: -2px; }
svg { max-width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #444; }
.graph { overflow: auto; border: 1px solid #eee; }
.none { color: #888; }
ol.issues { font-size: .9rem; }
";

pub fn write_report_html(
    path: &Path,
    issues: &IssueTally,
    trends: &Trends,
    graph_svg: Option<&str>,
    lead_lag: &crate::lead_lag::LeadLag,
) -> anyhow::Result<()> {
    std::fs::write(path, render(issues, trends, graph_svg, lead_lag))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Text and attribute values for HTML and its inline SVG: the XML escape,
/// since the SVG must stay well-formed XML inside the page.
pub fn escape(text: &str) -> String {
    super::graphml::xml_text(text)
}

/// Marks around the inlined graph.svg. Its drawing depends on the Graphviz
/// version, so tools that compare reports (the stale-output test) skip it.
pub const GRAPH_START: &str = "<!-- graph.svg, rendered by Graphviz -->";
pub const GRAPH_END: &str = "<!-- end of graph.svg -->";

pub fn render(
    issues: &IssueTally,
    trends: &Trends,
    graph_svg: Option<&str>,
    lead_lag: &crate::lead_lag::LeadLag,
) -> String {
    let head = headline(issues, trends);
    let title = if head.publications.is_empty() {
        "Newsletter trends".to_string()
    } else {
        format!("{}: trends", head.publications.join(", "))
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p class=\"sub\">{}; series by {}.</p>",
        escape(&head.date_range()),
        trends.period.as_str()
    );
    let _ = writeln!(out, "<div class=\"figures\">");
    for (value, label) in [
        (head.issues.to_string(), "issues"),
        (head.items.to_string(), "items"),
        (head.links.to_string(), "links"),
        (head.entities.to_string(), "entities named"),
        (head.mentions.to_string(), "item mentions"),
        (trends.spans.len().to_string(), "periods"),
    ] {
        let _ = writeln!(
            out,
            "<div class=\"figure\"><span class=\"value\">{value}</span><span class=\"label\">{label}</span></div>"
        );
    }
    let _ = writeln!(out, "</div>");
    if head.undated_issues > 0 {
        let _ = writeln!(
            out,
            "<p class=\"sub\">{} undated issue(s) are left out of the series.</p>",
            head.undated_issues
        );
    }

    let about = trends.constant_lines();
    if !about.is_empty() {
        let _ = writeln!(out, "<h2>What every issue is about</h2>");
        let _ = writeln!(
            out,
            "<p class=\"sub\">{}</p>\n<ul>",
            escape(super::report_md::constants_note(trends))
        );
        for (publication, names) in about {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>: {}</li>",
                escape(publication),
                escape(&names)
            );
        }
        let _ = writeln!(out, "</ul>");
    }

    if let Some(last) = trends.spans.last() {
        let t = trends.spans.len() - 1;
        let top = trends.top_entities(CHART_LINES);
        let _ = writeln!(out, "<h2>Most mentioned entities over time</h2>");
        out.push_str(&line_chart(trends, &top));
        let _ = writeln!(out, "<ul class=\"legend\">");
        for (series, colour) in top.iter().zip(PALETTE) {
            let _ = writeln!(
                out,
                "<li><span class=\"swatch\" style=\"background:{colour}\"></span>{} ({})</li>",
                escape(&series.name),
                series.total_mentions()
            );
        }
        let _ = writeln!(out, "</ul>");

        let _ = writeln!(out, "<h2>Entity × {}</h2>", trends.period.as_str());
        let _ = writeln!(
            out,
            "<p class=\"sub\">Shade: the share of the period's items naming the entity, relative to its own peak.</p>"
        );
        out.push_str(&heatmap(trends, &trends.top_entities(HEATMAP_ROWS)));

        let from = (t + 1).saturating_sub(SPARKLINE_PERIODS);
        let _ = writeln!(out, "<h2>{}: what moved</h2>", escape(&last.label));
        for (heading, rows) in [
            ("Rising", trends.rising(t)),
            ("New", trends.new_entities(t)),
            ("Falling or gone", trends.falling(t)),
        ] {
            let _ = writeln!(out, "<h3>{heading}</h3>");
            highlight_table(&mut out, trends, &rows, from, t);
        }
        bursts_table(&mut out, trends);
        for (heading, family) in [
            ("Section mix", &trends.categories),
            ("Entity kinds", &trends.kinds),
        ] {
            let _ = writeln!(out, "<h2>{heading}</h2>");
            family_table(&mut out, trends, family);
        }
    } else {
        let _ = writeln!(
            out,
            "<p class=\"none\">No issue has a date, so there are no trends to show.</p>"
        );
    }

    if let Some(svg) = graph_svg.and_then(inline_svg) {
        let _ = writeln!(
            out,
            "{GRAPH_START}\n<h2>Topic graph</h2>\n<div class=\"graph\">\n{svg}\n</div>\n{GRAPH_END}"
        );
    }

    periods_table(&mut out, trends);
    out.push_str(&super::report_lead_lag::section(lead_lag));
    let _ = writeln!(out, "<h2>Issues</h2>");
    if let Some(note) = issues.unlisted_note() {
        let _ = writeln!(out, "<p>{note}</p>");
    }
    let _ = writeln!(out, "<ol class=\"issues\">");
    for summary in &issues.latest {
        let _ = writeln!(out, "{}", super::report_sources::issue_entry(summary));
    }
    let _ = writeln!(out, "</ol>\n</body>\n</html>");
    out
}

/// Graphviz's SVG without its XML prolog and doctype (which HTML does not
/// allow mid-page); refused if it carries anything active.
fn inline_svg(svg: &str) -> Option<String> {
    let start = svg.find("<svg")?;
    let end = svg.rfind("</svg>")? + "</svg>".len();
    let body = svg.get(start..end)?;
    let lower = body.to_ascii_lowercase();
    let active = [
        "<script",
        "<foreignobject",
        "javascript:",
        "@import",
        "url(http",
    ];
    if active.iter().any(|a| lower.contains(a)) {
        return None;
    }
    Some(body.to_string())
}

/// X positions of period labels: about a dozen, always the first and last.
fn label_indexes(periods: usize) -> Vec<usize> {
    if periods == 0 {
        return Vec::new();
    }
    let step = periods.div_ceil(12).max(1);
    let mut indexes: Vec<usize> = (0..periods).step_by(step).collect();
    if indexes.last() != Some(&(periods - 1)) {
        if periods - 1 - indexes.last().copied().unwrap_or(0) < step / 2 + 1 {
            indexes.pop();
        }
        indexes.push(periods - 1);
    }
    indexes
}

fn line_chart(trends: &Trends, series: &[&Series]) -> String {
    let (width, height) = (960.0, 320.0);
    let (left, right, top, bottom) = (44.0, 32.0, 12.0, 40.0);
    let (plot_w, plot_h) = (width - left - right, height - top - bottom);
    let periods = trends.spans.len();
    let max = series
        .iter()
        .flat_map(|s| s.mentions.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let x = |i: usize| {
        if periods <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (periods - 1) as f64
        }
    };
    let y = |v: u32| top + plot_h - plot_h * f64::from(v) / f64::from(max);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Items mentioning the most mentioned entities, per {}\">",
        trends.period.as_str()
    );
    for tick in [0, max / 2, max] {
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e5e5e5\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            width - right,
            left - 6.0,
            y(tick) + 4.0,
            y = y(tick)
        );
    }
    for i in label_indexes(periods) {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(i),
            height - bottom + 18.0,
            escape(&trends.spans[i].label)
        );
    }
    for (s, colour) in series.iter().zip(PALETTE) {
        let points: Vec<String> = s
            .mentions
            .iter()
            .enumerate()
            .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(v)))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.8\" stroke-linejoin=\"round\" points=\"{}\"><title>{}</title></polyline>",
            points.join(" "),
            escape(&s.name)
        );
        if periods == 1 {
            let _ = writeln!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"/>",
                x(0),
                y(s.mentions[0])
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn heatmap(trends: &Trends, series: &[&Series]) -> String {
    let periods = trends.spans.len();
    let label_w = 190.0;
    let cell_w = (760.0 / periods.max(1) as f64).clamp(2.0, 28.0);
    let cell_h = 16.0;
    let width = label_w + cell_w * periods as f64 + 10.0;
    let height = cell_h * series.len() as f64 + 34.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.1} {height:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" role=\"img\" aria-label=\"Entity by period heatmap\">"
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{label_w}\" y=\"0\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#f6f6f6\"/>",
        cell_w * periods as f64,
        cell_h * series.len() as f64
    );
    for (row, s) in series.iter().enumerate() {
        let row_y = cell_h * row as f64;
        let name: String = s.name.chars().take(30).collect();
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            row_y + cell_h - 4.0,
            escape(&name)
        );
        let peak = s.share.iter().copied().fold(0.0, f64::max);
        for (t, &mentions) in s.mentions.iter().enumerate() {
            if mentions == 0 || peak <= 0.0 {
                continue;
            }
            let opacity = 0.15 + 0.85 * s.share[t] / peak;
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{row_y:.1}\" width=\"{cell_w:.1}\" height=\"{:.1}\" fill=\"#0072b2\" fill-opacity=\"{opacity:.2}\"><title>{}, {}: {mentions} items</title></rect>",
                label_w + cell_w * t as f64,
                cell_h - 1.0,
                escape(&s.name),
                escape(&trends.spans[t].label)
            );
        }
    }
    for i in label_indexes(periods) {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            label_w + cell_w * (i as f64 + 0.5),
            height - 12.0,
            escape(&trends.spans[i].label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn highlight_table(
    out: &mut String,
    trends: &Trends,
    rows: &[Highlight<'_>],
    from: usize,
    t: usize,
) {
    if rows.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">None.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<tr><th>Entity</th><th>Kind</th><th class=\"n\">Items</th><th class=\"n\">Share</th>\
         <th class=\"n\" title=\"−log10 p of the change against the trailing baseline\">Strength</th>\
         <th class=\"n\">Burst</th><th>Last {}</th></tr>",
        t + 1 - from
    );
    for row in rows.iter().take(TABLE_ROWS) {
        let cells = row.cells(trends, from, t);
        let _ = writeln!(
            out,
            "<tr><td>{}{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"spark\">{}</td></tr>",
            escape(row.name),
            if cells.gone { " <em>(gone)</em>" } else { "" },
            escape(row.kind),
            row.mentions,
            cells.share_percent,
            cells.strength,
            cells.burst,
            sparkline(&cells.series)
        );
    }
    let _ = writeln!(out, "</table>");
    if rows.len() > TABLE_ROWS {
        let _ = writeln!(
            out,
            "<p class=\"none\">… and {} more.</p>",
            rows.len() - TABLE_ROWS
        );
    }
}

fn bursts_table(out: &mut String, trends: &Trends) {
    let _ = writeln!(out, "<h2>Bursts</h2>");
    let bursts = trends.bursts();
    if bursts.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">None.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"sub\">Periods in which an entity was unusually hot (Kleinberg's two-state automaton, s = 2, γ = 1), heaviest first.</p>\n\
         <table>\n<tr><th>Entity</th><th>Kind</th><th>From</th><th>To</th><th class=\"n\">Weight</th><th>Series</th></tr>"
    );
    for (series, burst) in bursts.iter().take(TABLE_ROWS) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.1}</td><td class=\"spark\">{}</td></tr>",
            escape(&series.name),
            escape(&series.kind),
            escape(&trends.spans[burst.start].label),
            escape(&trends.spans[burst.end].label),
            burst.weight,
            sparkline_fit(&series.mentions.to_vec(), WHOLE_SERIES_WIDTH)
        );
    }
    let _ = writeln!(out, "</table>");
}

fn family_table(out: &mut String, trends: &Trends, family: &[Series]) {
    if family.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">None.</p>");
        return;
    }
    let t = trends.spans.len() - 1;
    let all_items: u64 = trends.items.iter().map(|&n| u64::from(n)).sum();
    let _ = writeln!(
        out,
        "<table>\n<tr><th>Name</th><th class=\"n\">Items</th><th class=\"n\">Share overall</th>\
         <th class=\"n\">Share now</th><th>Status now</th><th>Bursts</th><th>Series</th></tr>"
    );
    for series in family {
        let overall = if all_items == 0 {
            0.0
        } else {
            series.total_mentions() as f64 / all_items as f64
        };
        let bursts: Vec<String> = series
            .bursts
            .iter()
            .map(|b| {
                if b.start == b.end {
                    trends.spans[b.start].label.clone()
                } else {
                    format!(
                        "{}–{}",
                        trends.spans[b.start].label, trends.spans[b.end].label
                    )
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}%</td><td>{}</td><td>{}</td><td class=\"spark\">{}</td></tr>",
            escape(&series.name),
            series.total_mentions(),
            overall * 100.0,
            series.share[t] * 100.0,
            series.status[t].as_str(),
            escape(&bursts.join(", ")),
            sparkline_fit(&series.mentions.to_vec(), WHOLE_SERIES_WIDTH)
        );
    }
    let _ = writeln!(out, "</table>");
}

fn periods_table(out: &mut String, trends: &Trends) {
    if trends.stats.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>Per {}</h2>\n<table>\n<tr><th>Period</th><th class=\"n\">Issues</th><th class=\"n\">Items</th>\
         <th class=\"n\">Entities</th><th class=\"n\">New</th><th class=\"n\">Neco OSS</th>\
         <th>Top entities</th><th>Top hosts</th></tr>",
        trends.period.as_str()
    );
    for stats in &trends.stats {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&stats.span.label),
            stats.issues,
            stats.items,
            stats.distinct_entities,
            stats.new_entities,
            stats.neco_mentions,
            escape(&format_counts(&stats.top_entities)),
            escape(&format_counts(&stats.top_hosts))
        );
    }
    let _ = writeln!(out, "</table>");
}

/// report.html: the trends for people, with Graphviz's picture of the
/// graph when one was drawn.
pub struct ReportHtml;

impl Output for ReportHtml {
    fn name(&self) -> &str {
        "trend report (HTML)"
    }

    fn files(&self) -> Vec<&str> {
        vec!["report.html"]
    }

    fn write(
        &mut self,
        summary: &crate::summary::Summary,
        context: &OutputContext,
    ) -> anyhow::Result<()> {
        write_report_html(
            &context.file("report.html"),
            &summary.issues,
            &summary.trends,
            context.pictures.svg(),
            &summary.lead_lag,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trends::{Period, compute};

    #[test]
    fn escape_covers_tags_ampersands_and_quotes() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"
        );
        assert_eq!(escape("MOCO 日本語"), "MOCO 日本語");
    }

    #[test]
    fn corpus_text_never_reaches_the_page_raw() {
        let corpus = crate::trends::fixture::corpus();
        let trends = compute(&corpus, Period::Month);
        let mut issues = IssueTally::default();
        corpus.records.iter().for_each(|r| issues.add(r));
        let page = render(&issues, &trends, None, &Default::default());
        assert!(page.contains("CEL &lt;expr&gt;"));
        assert!(!page.contains("<expr>"));
        assert!(page.contains("Issue &lt;test-2022-07-22&gt; &amp; &quot;friends&quot;"));
        assert_eq!(page.matches("<svg").count(), 2);
        assert_eq!(page.matches("</svg>").count(), 2);
    }

    #[test]
    fn graph_svg_is_inlined_without_prolog_or_scripts() {
        let graphviz = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<svg width=\"10\"><g id=\"graph0\"></g></svg>\n";
        assert_eq!(
            inline_svg(graphviz).as_deref(),
            Some("<svg width=\"10\"><g id=\"graph0\"></g></svg>")
        );
        assert_eq!(inline_svg("<svg><script>x()</script></svg>"), None);
        assert_eq!(inline_svg("not a picture"), None);
    }

    #[test]
    fn period_labels_thin_out_but_keep_both_ends() {
        assert_eq!(label_indexes(4), [0, 1, 2, 3]);
        assert_eq!(
            label_indexes(84),
            [0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 83]
        );
        assert!(label_indexes(0).is_empty());
    }
}
