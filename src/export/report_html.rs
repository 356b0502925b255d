//! report.html: one self-contained page that works offline. Inline CSS,
//! inline SVG charts written here directly, no script, no font, no
//! resource fetched from anywhere; every piece of corpus text escaped.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::export::{Output, OutputContext};
use crate::trends::retrospective::TitleNames;
use crate::trends::sparkline::sparkline_fit;
use crate::trends::stats::format_counts;
use crate::trends::{IssueTally, Series, Trends, headline};
use crate::words::{count, count_as, noun_for};

use super::retrospective::StoryInputs;

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
svg { max-width: 100%; height: auto; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #444; }
svg.chart text.panel { font-weight: 600; fill: #222; }
div.graph { overflow: auto; border: 1px solid #eee; width: min(1600px, calc(100vw - 2rem)); position: relative; left: 50%; transform: translateX(-50%); box-sizing: border-box; }
div.graph > svg { width: 100%; height: auto; }
.story { background: #f7f9fc; border-left: 4px solid #0072b2; padding: .4rem 1rem; }
.story p { margin: .4rem 0; }
.blocks { display: flex; flex-wrap: wrap; gap: 1rem; }
.block { flex: 1 1 280px; border: 1px solid #ddd; border-radius: 6px; padding: .2rem .9rem; font-size: .9rem; }
.block h3 { margin: .5rem 0 0; }
.none { color: #888; }
ol.issues { font-size: .9rem; }
";

pub fn write_report_html(
    path: &Path,
    issues: &IssueTally,
    trends: &Trends,
    graph_svg: Option<&str>,
) -> anyhow::Result<()> {
    write_report_html_with(path, issues, trends, graph_svg, &StoryInputs::bare())
}

/// report.html with the retrospective's titles, graph and `--at`.
pub fn write_report_html_with(
    path: &Path,
    issues: &IssueTally,
    trends: &Trends,
    graph_svg: Option<&str>,
    inputs: &StoryInputs<'_>,
) -> anyhow::Result<()> {
    let page = render_with(issues, trends, graph_svg, inputs).map_err(anyhow::Error::msg)?;
    std::fs::write(path, page).with_context(|| format!("cannot write {}", path.display()))
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

pub fn render(issues: &IssueTally, trends: &Trends, graph_svg: Option<&str>) -> String {
    render_with(issues, trends, graph_svg, &StoryInputs::bare()).unwrap_or_else(|m| escape(&m))
}

/// The page; `Err` when `--at` names no period of the corpus.
pub fn render_with(
    issues: &IssueTally,
    trends: &Trends,
    graph_svg: Option<&str>,
    inputs: &StoryInputs<'_>,
) -> Result<String, String> {
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
        (head.issues, noun_for(head.issues, "issue")),
        (head.items, noun_for(head.items, "item")),
        (head.links, noun_for(head.links, "link")),
        (head.entities, noun_for(head.entities, "entity") + " named"),
        (
            head.mentions as usize,
            noun_for(head.mentions as usize, "item mention"),
        ),
        (trends.spans.len(), noun_for(trends.spans.len(), "period")),
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
            "<p class=\"sub\">{} left out of the series.</p>",
            count_as(
                head.undated_issues,
                "undated issue is",
                "undated issues are"
            )
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

    if !trends.spans.is_empty() {
        let default_titles = TitleNames::default();
        let titles = inputs.titles.unwrap_or(&default_titles);
        let story = super::retrospective::stories(trends, issues, inputs, titles)?;
        super::retrospective::html(&mut out, trends, &story, inputs.graph);

        let top = trends.top_entities(CHART_LINES);
        let _ = writeln!(out, "<h2>Most mentioned entities over time</h2>");
        let _ = writeln!(
            out,
            "<p class=\"sub\">Items naming each entity per 100 items of the {}, each on its own scale (the top of each panel is its peak); breaks are {}s without an issue.{}</p>",
            trends.period.as_str(),
            trends.period.as_str(),
            escape(&left_out_note(trends))
        );
        out.push_str(&small_multiples(trends, &top));

        let _ = writeln!(out, "<h2>First seen, last seen</h2>");
        let _ = writeln!(
            out,
            "<p class=\"sub\">The {} most mentioned entities: a bar from the first to the last {} naming them, a tick for each {} that does.</p>",
            TIMELINE_ROWS,
            trends.period.as_str(),
            trends.period.as_str()
        );
        out.push_str(&timeline(trends, &trends.top_entities(TIMELINE_ROWS)));

        let _ = writeln!(out, "<h2>Entity × {}</h2>", trends.period.as_str());
        let _ = writeln!(
            out,
            "<p class=\"sub\">Shade: the share of the period's items naming the entity, relative to its own peak.</p>"
        );
        out.push_str(&heatmap(trends, &trends.top_entities(HEATMAP_ROWS)));

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
            "{GRAPH_START}\n<h2>Topic graph</h2>\n{GRAPH_CAPTION}<div class=\"graph\">\n{svg}\n</div>\n{GRAPH_END}"
        );
    }

    periods_table(&mut out, trends);
    if let Some(lead_lag) = inputs.lead_lag {
        out.push_str(&super::report_lead_lag::section(lead_lag));
    }
    let _ = writeln!(out, "<h2>Issues</h2>");
    if let Some(note) = issues.unlisted_note() {
        let _ = writeln!(out, "<p>{note}</p>");
    }
    let _ = writeln!(out, "<ol class=\"issues\">");
    for summary in &issues.latest {
        let _ = writeln!(out, "{}", super::report_sources::issue_entry(summary));
    }
    let _ = writeln!(out, "</ol>\n</body>\n</html>");
    Ok(out)
}

/// " Left out: Kubernetes (constant of LWKD)." when constants are.
fn left_out_note(trends: &Trends) -> String {
    if trends.left_out.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = trends
        .constants
        .iter()
        .map(|(publication, constants)| {
            let names: Vec<&str> = constants
                .entities
                .iter()
                .filter(|(id, _)| trends.left_out.contains(id.as_str()))
                .map(|(id, _)| trends.entity(id).map_or(id.as_str(), |s| s.name.as_str()))
                .collect();
            format!("{} (constants of {publication})", names.join(", "))
        })
        .collect();
    format!(" Left out, as in every issue: {}.", lines.join("; "))
}

/// What the drawing's sizes, colours and edges mean. Its legend (each
/// community's colour and top names, the shapes) is drawn inside the SVG,
/// as in graph.svg, so the page does not list it a second time.
const GRAPH_CAPTION: &str = "<p class=\"sub\">Node area: mentions; colour: community (the most mentioned members named in the legend); edges: the pairs named together most significantly (NPMI). Hover a node for its counts.</p>\n";

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

/// One small chart per entity, its share per 100 items on its own scale,
/// broken where no issue appeared.
fn small_multiples(trends: &Trends, series: &[&Series]) -> String {
    let columns = 4;
    let (panel_w, panel_h) = (240.0, 120.0);
    let (left, right, top, bottom) = (34.0, 10.0, 22.0, 22.0);
    let (plot_w, plot_h) = (panel_w - left - right, panel_h - top - bottom);
    let rows = series.len().div_ceil(columns).max(1);
    let (width, height) = (panel_w * columns as f64, panel_h * rows as f64 + 16.0);
    let periods = trends.spans.len();
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Items per 100 items of each {}, for the most mentioned entities\">",
        trends.period.as_str()
    );
    for (n, s) in series.iter().enumerate() {
        let (x0, y0) = (
            panel_w * (n % columns) as f64,
            panel_h * (n / columns) as f64,
        );
        let per_100: Vec<Option<f64>> = (0..periods)
            .map(|t| (trends.items[t] > 0).then(|| s.share[t] * 100.0))
            .collect();
        let peak = per_100
            .iter()
            .flatten()
            .copied()
            .fold(0.0, f64::max)
            .max(0.1);
        let x = |i: usize| {
            if periods <= 1 {
                x0 + left + plot_w / 2.0
            } else {
                x0 + left + plot_w * i as f64 / (periods - 1) as f64
            }
        };
        let y = |v: f64| y0 + top + plot_h - plot_h * v / peak;
        let colour = PALETTE[n % PALETTE.len()];
        // The title, bold and a little wider than the row labels, runs
        // from the plot's left edge to the panel's right one.
        let suffix = format!(" ({})", count(s.total_mentions() as usize, "item"));
        let panel_chars = ((panel_w - left) / (LABEL_CHAR_PX + 0.5)) as usize;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"panel\">{}{}</text>",
            x0 + left,
            y0 + 14.0,
            fitted(&s.name, panel_chars.saturating_sub(suffix.chars().count())),
            escape(&suffix)
        );
        let _ = writeln!(
            svg,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ccc\"/><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/>",
            x0 + left,
            x0 + left + plot_w,
            y(0.0),
            y(0.0),
            x0 + left,
            x0 + left + plot_w,
            y(peak),
            y(peak)
        );
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
            x0 + left - 4.0,
            y(peak) + 4.0,
            format_per_100(peak),
            x0 + left - 4.0,
            y(0.0) + 4.0
        );
        let first = &trends.spans[0].label;
        let last = &trends.spans[periods - 1].label;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            x0 + left,
            y(0.0) + 14.0,
            escape(first),
            x0 + left + plot_w,
            y(0.0) + 14.0,
            escape(last)
        );
        // One polyline per run of periods with issues: a gap is a gap.
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() == 1 {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{}\" r=\"1.6\" fill=\"{colour}\"/>",
                    run[0].replacen(',', "\" cy=\"", 1)
                );
            } else if run.len() > 1 {
                let _ = writeln!(
                    svg,
                    "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"{}\"><title>{}</title></polyline>",
                    run.join(" "),
                    escape(&s.name)
                );
            }
            run.clear();
        };
        for (i, value) in per_100.iter().enumerate() {
            match value {
                Some(v) => run.push(format!("{:.1},{:.1}", x(i), y(*v))),
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">items per 100 items of the {}</text>",
        width / 2.0,
        height - 4.0,
        trends.period.as_str()
    );
    svg.push_str("</svg>\n");
    svg
}

fn format_per_100(value: f64) -> String {
    if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Rows of the first-seen / last-seen timeline.
const TIMELINE_ROWS: usize = 15;

/// A bar from each entity's first to its last period, a tick per period
/// naming it.
fn timeline(trends: &Trends, series: &[&Series]) -> String {
    let periods = trends.spans.len();
    let (label_w, row_h, plot_w) = (200.0, 18.0, 700.0);
    let dates_w = 150.0;
    let cell = plot_w / periods.max(1) as f64;
    let width = label_w + plot_w + dates_w;
    let height = row_h * series.len() as f64 + 24.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.1} {height:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" role=\"img\" aria-label=\"First and last period naming each entity\">"
    );
    for (row, s) in series.iter().enumerate() {
        let y = row_h * row as f64;
        let present: Vec<usize> = (0..periods).filter(|&t| s.present(t)).collect();
        let (Some(&first), Some(&last)) = (present.first(), present.last()) else {
            continue;
        };
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            y + row_h - 5.0,
            row_label(&s.name, label_w)
        );
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"4\" fill=\"#cfe3f3\"/>",
            label_w + cell * first as f64,
            y + row_h / 2.0 - 2.0,
            (cell * (last + 1 - first) as f64).max(1.0)
        );
        for &t in &present {
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10\" fill=\"#0072b2\"/>",
                label_w + cell * t as f64,
                y + row_h / 2.0 - 5.0,
                cell.clamp(1.0, 6.0)
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\">{} – {}</text>",
            label_w + plot_w + 8.0,
            y + row_h - 5.0,
            escape(&trends.spans[first].label),
            escape(&trends.spans[last].label)
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{label_w:.1}\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        height - 6.0,
        escape(&trends.spans[0].label),
        label_w + plot_w,
        height - 6.0,
        escape(&trends.spans[periods.saturating_sub(1)].label)
    );
    svg.push_str("</svg>\n");
    svg
}

/// Width of a character of the charts' 12 px labels, generous: an average
/// over names in capitals and digits, which are wider than prose.
const LABEL_CHAR_PX: f64 = 7.0;

/// A row label that fits `width` px right-aligned against the chart: cut
/// with an ellipsis when longer, the whole name in a tooltip, so that no
/// label runs off the left edge.
fn row_label(name: &str, width: f64) -> String {
    fitted(name, ((width - 8.0) / LABEL_CHAR_PX) as usize)
}

/// `name` escaped, cut to `fits` characters with an ellipsis when longer,
/// the whole name then in a `<title>` tooltip of the enclosing element.
fn fitted(name: &str, fits: usize) -> String {
    let fits = fits.max(4);
    if name.chars().count() <= fits {
        return escape(name);
    }
    let cut: String = name.chars().take(fits - 1).collect();
    format!("<title>{}</title>{}…", escape(name), escape(cut.trim_end()))
}

fn heatmap(trends: &Trends, series: &[&Series]) -> String {
    let periods = trends.spans.len();
    let label_w = 190.0;
    // The whole heatmap fits the page's 1000 px, so that its 12 px labels
    // are not scaled below 11 px.
    let cell_w = ((1000.0 - label_w - 40.0) / periods.max(1) as f64).clamp(1.0, 28.0);
    let cell_h = 16.0;
    // Room for the last label, centred on the last cell.
    let width = label_w + cell_w * periods as f64 + 40.0;
    let height = cell_h * series.len() as f64 + 34.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.1} {height:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" role=\"img\" aria-label=\"Entity by period heatmap\">"
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{label_w}\" y=\"0\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#f6f6f6\"/>",
        cell_w * periods as f64,
        cell_h * series.len() as f64
    );
    for (row, s) in series.iter().enumerate() {
        let row_y = cell_h * row as f64;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 6.0,
            row_y + cell_h - 4.0,
            row_label(&s.name, label_w)
        );
        let peak = s.share.iter().copied().fold(0.0, f64::max);
        for (t, &mentions) in s.mentions.iter().enumerate() {
            if mentions == 0 || peak <= 0.0 {
                continue;
            }
            let opacity = 0.15 + 0.85 * s.share[t] / peak;
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{row_y:.1}\" width=\"{cell_w:.1}\" height=\"{:.1}\" fill=\"#0072b2\" fill-opacity=\"{opacity:.2}\"><title>{}, {}: {}</title></rect>",
                label_w + cell_w * t as f64,
                cell_h - 1.0,
                escape(&s.name),
                escape(&trends.spans[t].label),
                count(mentions as usize, "item")
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
            escape(series.kind),
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
    // A kind no item names (Neco OSS outside Neco Weekly) is a row of zeros.
    for series in family.iter().filter(|s| s.total_mentions() > 0) {
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
    // The team's own OSS only where the corpus names any.
    let neco = trends.stats.iter().any(|s| s.neco_mentions > 0);
    let _ = writeln!(
        out,
        "<h2>Per {}</h2>\n<table>\n<tr><th>Period</th><th class=\"n\">Issues</th><th class=\"n\">Items</th>\
         <th class=\"n\">Entities</th><th class=\"n\">New</th>{}\
         <th>Top entities</th><th>Top hosts</th></tr>",
        trends.period.as_str(),
        if neco {
            "<th class=\"n\">Neco OSS</th>"
        } else {
            ""
        }
    );
    for stats in &trends.stats {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td>{}</td><td>{}</td></tr>",
            escape(&stats.span.label),
            stats.issues,
            stats.items,
            stats.distinct_entities,
            stats.new_entities,
            if neco {
                format!("<td class=\"n\">{}</td>", stats.neco_mentions)
            } else {
                String::new()
            },
            escape(&super::report_md::named_counts(
                trends,
                &trends.top_topics_of(stats)
            )),
            escape(&format_counts(&stats.top_hosts))
        );
    }
    let _ = writeln!(out, "</table>");
}

/// report.html: the trends for people, with Graphviz's picture of the
/// graph when one was drawn.
pub struct ReportHtml {
    /// `--at`: the period the retrospective is about.
    pub at: Option<String>,
}

impl Output for ReportHtml {
    fn name(&self) -> &str {
        "trend report (HTML)"
    }

    fn files(&self) -> Vec<&str> {
        vec!["report.html"]
    }

    fn weight(&self) -> u32 {
        3
    }

    fn write(
        &mut self,
        summary: &crate::summary::Summary,
        context: &OutputContext,
    ) -> anyhow::Result<()> {
        write_report_html_with(
            &context.file("report.html"),
            &summary.issues,
            &summary.trends,
            context.pictures.svg(),
            &StoryInputs {
                titles: Some(&summary.titles),
                entities: &summary.entities,
                graph: Some(&summary.graph),
                at: self.at.as_deref(),
                lead_lag: Some(&summary.lead_lag),
            },
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
        let page = render(&issues, &trends, None);
        assert!(page.contains("CEL &lt;expr&gt;"));
        assert!(!page.contains("<expr>"));
        assert!(page.contains("Issue &lt;test-2022-07-22&gt; &amp; &quot;friends&quot;"));
        // Small multiples, the timeline, the heatmap.
        assert_eq!(page.matches("<svg").count(), 3);
        assert_eq!(page.matches("</svg>").count(), 3);
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
