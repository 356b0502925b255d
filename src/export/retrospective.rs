//! The retrospective as both reports open with it: the written summary of
//! the chosen period, its "this quarter" and "this year" blocks, and the
//! tables of what moved (topics and tools, KEPs, pull requests apart).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::graph::CoMentionGraph;
use crate::model::{Date, Entity};
use crate::trends::retrospective::{self, Choice, Moved, Retrospective, TitleNames};
use crate::trends::sparkline::sparkline;
use crate::trends::{IssueTally, Trends};
use crate::words::count;

/// What the reports need besides the trends to tell the story.
#[derive(Clone, Copy)]
pub struct StoryInputs<'a> {
    pub titles: Option<&'a TitleNames>,
    pub entities: &'a BTreeMap<String, Entity>,
    pub graph: Option<&'a CoMentionGraph>,
    /// `--at`: the period to report; `None`: the last complete one.
    pub at: Option<&'a str>,
    /// Which publication named an entity first, when several did.
    pub lead_lag: Option<&'a crate::lead_lag::LeadLag>,
}

static NO_ENTITIES: BTreeMap<String, Entity> = BTreeMap::new();

impl StoryInputs<'_> {
    /// Without titles, graph or `--at`: the reports of a bare trend series.
    pub fn bare() -> StoryInputs<'static> {
        StoryInputs {
            titles: None,
            entities: &NO_ENTITIES,
            graph: None,
            at: None,
            lead_lag: None,
        }
    }
}

/// Rows in each retrospective table; names in each block list.
pub const TABLE_ROWS: usize = 15;
pub const BLOCK_ROWS: usize = 5;

/// The chosen period's retrospective and those of the quarter and year
/// around it; `Err` when `--at` names no period of the corpus.
pub fn stories<'a>(
    trends: &'a Trends,
    issues: &IssueTally,
    inputs: &StoryInputs<'a>,
    titles: &TitleNames,
) -> Result<(Retrospective<'a>, Vec<Retrospective<'a>>), String> {
    let dates: Vec<Date> = issues.latest.iter().filter_map(|s| s.issue.date).collect();
    let choice = retrospective::choose(trends, inputs.at, &dates)?;
    let main = Retrospective::of(trends, choice, titles, inputs.entities);
    let wider = main
        .wider_windows(trends)
        .into_iter()
        .map(|window| {
            let complete = dates.iter().any(|d| *d > window.span.end);
            let why = if complete {
                format!("this {}", window.length.as_str())
            } else {
                format!("this {}, to date", window.length.as_str())
            };
            Retrospective::of(trends, Choice { window, why }, titles, inputs.entities)
        })
        .collect();
    Ok((main, wider))
}

fn names(rows: &[Moved<'_>], n: usize) -> String {
    if rows.is_empty() {
        return "none".to_string();
    }
    rows.iter()
        .take(n)
        .map(|m| format!("{} ({})", m.name, m.items))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The KEP's page in kubernetes/enhancements.
fn kep_url(number: &str) -> String {
    format!("https://github.com/kubernetes/enhancements/issues/{number}")
}

pub fn markdown(
    out: &mut String,
    trends: &Trends,
    story: &(Retrospective<'_>, Vec<Retrospective<'_>>),
    graph: Option<&CoMentionGraph>,
) {
    use super::report_md::escape;
    let (main, wider) = story;
    let label = &main.window.span.label;
    let _ = writeln!(out, "\n## {label}: the retrospective\n");
    let _ = writeln!(out, "{}\n", escape(&main.summary(trends, graph).join(" ")));
    for block in std::iter::once(main).chain(wider) {
        let _ = writeln!(
            out,
            "- **{}** ({}; {}, {}): covered most {}; rising {}; new {}",
            block.window.span.label,
            escape(&block.why),
            count(block.issues as usize, "issue"),
            count(block.items as usize, "item"),
            escape(&names(&block.covered, BLOCK_ROWS)),
            escape(&names(&block.rising, BLOCK_ROWS)),
            escape(&names(&block.new, BLOCK_ROWS)),
        );
    }
    let _ = writeln!(out, "\n## {label}: what moved\n");
    let _ = writeln!(
        out,
        "Topics and tools; items per 100 items of the period against the {} before.\n",
        count(
            main.window.length.windows().baseline,
            main.window.length.as_str()
        )
    );
    for (title, rows) in [
        ("Rising", &main.rising),
        ("New", &main.new),
        ("Falling", &main.falling),
        ("Gone", &main.gone),
    ] {
        let _ = writeln!(out, "### {title}\n");
        if rows.is_empty() {
            let _ = writeln!(out, "None.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "| Entity | Kind | Items | Per 100 | Before | Strength | Series |"
        );
        let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: | --- |");
        for m in rows.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.1} | {:.1} | {} | {} |",
                escape(m.name),
                m.kind,
                m.items,
                m.per_100,
                m.baseline_per_100,
                strength(m.strength),
                sparkline(
                    &m.series
                        .mentions
                        .to_vec_between(main.baseline_from, main.window.to)
                )
            );
        }
        if rows.len() > TABLE_ROWS {
            let _ = writeln!(out, "\n… and {} more.", rows.len() - TABLE_ROWS);
        }
        out.push('\n');
    }
    if !main.first_mentions.is_empty() {
        let _ = writeln!(
            out,
            "First mentions (one item each, no title naming them): {}.\n",
            escape(&first_mentions_line(&main.first_mentions))
        );
    }
    let _ = writeln!(out, "### KEPs that appeared\n");
    if main.keps_appeared.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let _ = writeln!(out, "| KEP | Title | SIG | Items |");
        let _ = writeln!(out, "| --- | --- | --- | ---: |");
        for kep in main.keps_appeared.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "| [KEP-{}]({}) | {} | {} | {} |",
                kep.number,
                kep_url(kep.number),
                escape(kep.title),
                escape(kep.sig),
                kep.items
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}\n", escape(&pulls_line(main)));
}

fn strength(value: f64) -> String {
    if value > 0.0 {
        format!("{value:.1}")
    } else {
        String::new()
    }
}

fn first_mentions_line(rows: &[Moved<'_>]) -> String {
    const LISTED: usize = 30;
    let mut line = rows
        .iter()
        .take(LISTED)
        .map(|m| m.name.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if rows.len() > LISTED {
        let _ = write!(line, " and {} more", rows.len() - LISTED);
    }
    line
}

fn pulls_line(main: &Retrospective<'_>) -> String {
    if main.pulls.is_empty() {
        return "No pull request was covered.".to_string();
    }
    format!(
        "{} covered; most: {}.",
        count(main.pulls.len(), "pull request"),
        names(&main.pulls, BLOCK_ROWS)
    )
}

pub fn html(
    out: &mut String,
    trends: &Trends,
    story: &(Retrospective<'_>, Vec<Retrospective<'_>>),
    graph: Option<&CoMentionGraph>,
) {
    use super::report_html::escape;
    let (main, wider) = story;
    let label = escape(&main.window.span.label);
    let _ = writeln!(out, "<h2>{label}: the retrospective</h2>");
    let _ = writeln!(out, "<div class=\"story\">");
    for sentence in main.summary(trends, graph) {
        let _ = writeln!(out, "<p>{}</p>", escape(&sentence));
    }
    let _ = writeln!(out, "</div>\n<div class=\"blocks\">");
    for block in std::iter::once(main).chain(wider) {
        let _ = writeln!(
            out,
            "<div class=\"block\"><h3>{}</h3><p class=\"sub\">{}; {}, {}</p>",
            escape(&block.window.span.label),
            escape(&block.why),
            count(block.issues as usize, "issue"),
            count(block.items as usize, "item")
        );
        for (heading, rows) in [
            ("Covered most", &block.covered),
            ("Rising", &block.rising),
            ("New", &block.new),
        ] {
            let _ = writeln!(
                out,
                "<p><strong>{heading}</strong>: {}</p>",
                escape(&names(rows, BLOCK_ROWS))
            );
        }
        let _ = writeln!(out, "</div>");
    }
    let _ = writeln!(out, "</div>");

    let _ = writeln!(out, "<h2>{label}: what moved</h2>");
    let _ = writeln!(
        out,
        "<p class=\"sub\">Topics and tools. Per 100: items naming the entity per 100 items of the period; before: the same over the {} before it.</p>",
        count(
            main.window.length.windows().baseline,
            main.window.length.as_str()
        )
    );
    for (heading, rows) in [
        ("Rising", &main.rising),
        ("New", &main.new),
        ("Falling", &main.falling),
        ("Gone", &main.gone),
    ] {
        let _ = writeln!(out, "<h3>{heading}</h3>");
        if rows.is_empty() {
            let _ = writeln!(out, "<p class=\"none\">None.</p>");
            continue;
        }
        let _ = writeln!(
            out,
            "<table>\n<tr><th>Entity</th><th>Kind</th><th class=\"n\">Items</th><th class=\"n\">Per 100</th>\
             <th class=\"n\">Before</th><th class=\"n\" title=\"−log10 p of the change against the baseline\">Strength</th><th>Series</th></tr>"
        );
        for m in rows.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"spark\">{}</td></tr>",
                escape(m.name),
                escape(m.kind),
                m.items,
                m.per_100,
                m.baseline_per_100,
                strength(m.strength),
                sparkline(
                    &m.series
                        .mentions
                        .to_vec_between(main.baseline_from, main.window.to)
                )
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
    if !main.first_mentions.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"sub\"><strong>First mentions</strong> (one item each, no title naming them): {}.</p>",
            escape(&first_mentions_line(&main.first_mentions))
        );
    }
    let _ = writeln!(out, "<h3>KEPs that appeared</h3>");
    if main.keps_appeared.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">None.</p>");
    } else {
        let _ = writeln!(
            out,
            "<table>\n<tr><th>KEP</th><th>Title</th><th>SIG</th><th class=\"n\">Items</th></tr>"
        );
        for kep in main.keps_appeared.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "<tr><td><a href=\"{}\">KEP-{}</a></td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                kep_url(kep.number),
                escape(kep.number),
                escape(kep.title),
                escape(kep.sig),
                kep.items
            );
        }
        let _ = writeln!(out, "</table>");
    }
    let _ = writeln!(
        out,
        "<h3>Pull requests</h3>\n<p>{}</p>",
        escape(&pulls_line(main))
    );
}
