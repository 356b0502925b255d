//! The retrospective as both reports open with it: the written summary of
//! the chosen period, its "this quarter" and "this year" blocks, and the
//! tables of what moved (topics and tools, KEPs, pull requests apart).

use std::fmt::Write as _;

use crate::graph::CoMentionGraph;
use crate::model::{Date, EntityTable};
use crate::trends::retrospective::{self, Choice, Moved, Retrospective, TitleNames};
use crate::trends::sparkline::sparkline_between;
use crate::trends::{IssueTally, Trends};
use crate::words::count;

/// What the reports need besides the trends to tell the story.
#[derive(Clone, Copy)]
pub struct StoryInputs<'a> {
    pub titles: Option<&'a TitleNames>,
    pub entities: &'a EntityTable,
    pub graph: Option<&'a CoMentionGraph>,
    /// `--at`: the period to report; `None`: the last complete one.
    pub at: Option<&'a str>,
    /// Which publication named an entity first, when several did.
    pub lead_lag: Option<&'a crate::lead_lag::LeadLag>,
}

static NO_ENTITIES: EntityTable = EntityTable::new();

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

/// How a column's cells are set: counts right-aligned, sparklines in a
/// style of their own, the rest as text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Text,
    Number,
    Spark,
}

#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    align: Align,
    /// What the HTML header explains on hover.
    tip: Option<&'static str>,
}

const fn column(name: &'static str, align: Align) -> Column {
    Column {
        name,
        align,
        tip: None,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Link { text: String, url: String },
}

/// One table of the retrospective as plain text, before either report's
/// markup: the Markdown and HTML writers below only set it.
#[derive(Debug)]
struct Table {
    title: &'static str,
    columns: &'static [Column],
    rows: Vec<Vec<Cell>>,
    /// Rows past [`TABLE_ROWS`] that were left out.
    more: usize,
}

const MOVED_COLUMNS: [Column; 7] = [
    column("Entity", Align::Text),
    column("Kind", Align::Text),
    column("Items", Align::Number),
    column("Per 100", Align::Number),
    column("Before", Align::Number),
    Column {
        name: "Strength",
        align: Align::Number,
        tip: Some("−log10 p of the change against the baseline"),
    },
    column("Series", Align::Spark),
];

const KEP_COLUMNS: [Column; 4] = [
    column("KEP", Align::Text),
    column("Title", Align::Text),
    column("SIG", Align::Text),
    column("Items", Align::Number),
];

/// Rising, New, Falling and Gone: topics and tools, with their series over
/// the window and its baseline.
fn moved_tables(main: &Retrospective<'_>) -> [Table; 4] {
    [
        ("Rising", &main.rising),
        ("New", &main.new),
        ("Falling", &main.falling),
        ("Gone", &main.gone),
    ]
    .map(|(title, rows)| Table {
        title,
        columns: &MOVED_COLUMNS,
        rows: rows
            .iter()
            .take(TABLE_ROWS)
            .map(|m| {
                vec![
                    Cell::Text(m.name.to_string()),
                    Cell::Text(m.kind.to_string()),
                    Cell::Text(m.items.to_string()),
                    Cell::Text(format!("{:.1}", m.per_100)),
                    Cell::Text(format!("{:.1}", m.baseline_per_100)),
                    Cell::Text(strength(m.strength)),
                    Cell::Text(sparkline_between(
                        &m.series.mentions,
                        main.baseline_from,
                        main.window.to,
                    )),
                ]
            })
            .collect(),
        more: rows.len().saturating_sub(TABLE_ROWS),
    })
}

fn keps_table(main: &Retrospective<'_>) -> Table {
    Table {
        title: "KEPs that appeared",
        columns: &KEP_COLUMNS,
        rows: main
            .keps_appeared
            .iter()
            .take(TABLE_ROWS)
            .map(|kep| {
                vec![
                    Cell::Link {
                        text: format!("KEP-{}", kep.number),
                        url: kep_url(kep.number),
                    },
                    Cell::Text(kep.title.to_string()),
                    Cell::Text(kep.sig.to_string()),
                    Cell::Text(kep.items.to_string()),
                ]
            })
            .collect(),
        // The reports have always listed the first rows alone here.
        more: 0,
    }
}

/// A "this quarter" or "this year" block: its period, why it is shown,
/// its size, and the names covered most, rising and new.
struct Block {
    label: String,
    why: String,
    size: String,
    lists: [(&'static str, String); 3],
}

fn block(retro: &Retrospective<'_>) -> Block {
    Block {
        label: retro.window.span.label.clone(),
        why: retro.why.clone(),
        size: format!(
            "{}, {}",
            count(retro.issues as usize, "issue"),
            count(retro.items as usize, "item")
        ),
        lists: [
            ("Covered most", names(&retro.covered, BLOCK_ROWS)),
            ("Rising", names(&retro.rising, BLOCK_ROWS)),
            ("New", names(&retro.new, BLOCK_ROWS)),
        ],
    }
}

fn blocks<'r>(
    main: &'r Retrospective<'_>,
    wider: &'r [Retrospective<'_>],
) -> impl Iterator<Item = Block> + 'r {
    std::iter::once(main).chain(wider).map(block)
}

mod markdown_writer {
    use std::fmt::Write as _;

    use super::{Align, Block, Cell, Table};
    use crate::export::report_md::escape;

    pub(super) fn table(out: &mut String, table: &Table) {
        let _ = writeln!(out, "### {}\n", table.title);
        if table.rows.is_empty() {
            let _ = writeln!(out, "None.\n");
            return;
        }
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let rules: Vec<&str> = table
            .columns
            .iter()
            .map(|c| match c.align {
                Align::Number => "---:",
                Align::Text | Align::Spark => "---",
            })
            .collect();
        let _ = writeln!(out, "| {} |", names.join(" | "));
        let _ = writeln!(out, "| {} |", rules.join(" | "));
        for row in &table.rows {
            let cells: Vec<String> = row.iter().map(cell).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if table.more > 0 {
            let _ = writeln!(out, "\n… and {} more.", table.more);
        }
        out.push('\n');
    }

    fn cell(cell: &Cell) -> String {
        match cell {
            Cell::Text(text) => escape(text),
            Cell::Link { text, url } => format!("[{}]({url})", escape(text)),
        }
    }

    pub(super) fn block(out: &mut String, block: &Block) {
        let lists: Vec<String> = block
            .lists
            .iter()
            .map(|(heading, names)| format!("{} {}", heading.to_lowercase(), escape(names)))
            .collect();
        let _ = writeln!(
            out,
            "- **{}** ({}; {}): {}",
            escape(&block.label),
            escape(&block.why),
            escape(&block.size),
            lists.join("; ")
        );
    }
}

mod html_writer {
    use std::fmt::Write as _;

    use super::{Align, Block, Cell, Table};
    use crate::export::report_html::escape;

    pub(super) fn table(out: &mut String, table: &Table) {
        let _ = writeln!(out, "<h3>{}</h3>", escape(table.title));
        if table.rows.is_empty() {
            let _ = writeln!(out, "<p class=\"none\">None.</p>");
            return;
        }
        out.push_str("<table>\n<tr>");
        for column in table.columns {
            let class = match column.align {
                Align::Number => " class=\"n\"",
                Align::Text | Align::Spark => "",
            };
            let tip = column
                .tip
                .map(|tip| format!(" title=\"{}\"", escape(tip)))
                .unwrap_or_default();
            let _ = write!(out, "<th{class}{tip}>{}</th>", escape(column.name));
        }
        out.push_str("</tr>\n");
        for row in &table.rows {
            out.push_str("<tr>");
            for (column, cell) in table.columns.iter().zip(row) {
                let class = match column.align {
                    Align::Number => " class=\"n\"",
                    Align::Spark => " class=\"spark\"",
                    Align::Text => "",
                };
                let text = match cell {
                    Cell::Text(text) => escape(text),
                    Cell::Link { text, url } => {
                        format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
                    }
                };
                let _ = write!(out, "<td{class}>{text}</td>");
            }
            out.push_str("</tr>\n");
        }
        let _ = writeln!(out, "</table>");
        if table.more > 0 {
            let _ = writeln!(out, "<p class=\"none\">… and {} more.</p>", table.more);
        }
    }

    pub(super) fn block(out: &mut String, block: &Block) {
        let _ = writeln!(
            out,
            "<div class=\"block\"><h3>{}</h3><p class=\"sub\">{}; {}</p>",
            escape(&block.label),
            escape(&block.why),
            escape(&block.size)
        );
        for (heading, names) in &block.lists {
            let _ = writeln!(out, "<p><strong>{heading}</strong>: {}</p>", escape(names));
        }
        let _ = writeln!(out, "</div>");
    }
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
    for block in blocks(main, wider) {
        markdown_writer::block(out, &block);
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
    for table in moved_tables(main) {
        markdown_writer::table(out, &table);
    }
    if !main.first_mentions.is_empty() {
        let _ = writeln!(
            out,
            "First mentions (one item each, no title naming them): {}.\n",
            escape(&first_mentions_line(&main.first_mentions))
        );
    }
    markdown_writer::table(out, &keps_table(main));
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
    for block in blocks(main, wider) {
        html_writer::block(out, &block);
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
    for table in moved_tables(main) {
        html_writer::table(out, &table);
    }
    if !main.first_mentions.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"sub\"><strong>First mentions</strong> (one item each, no title naming them): {}.</p>",
            escape(&first_mentions_line(&main.first_mentions))
        );
    }
    html_writer::table(out, &keps_table(main));
    let _ = writeln!(
        out,
        "<h3>Pull requests</h3>\n<p>{}</p>",
        escape(&pulls_line(main))
    );
}
