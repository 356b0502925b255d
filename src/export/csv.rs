//! CSV tables: a header row, UTF-8, one row per record, sorted.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::csv_cells::{CellError, CsvRows};
use super::direct_io::DirectFile;
use super::{Output, OutputContext};
use crate::constants::Constants;
use crate::extract::candidates::CandidateSummary;
use crate::model::{Date, EntitiesInOrder, EntityLookup, IssueRecord};
use crate::sink::{RecordChunk, RecordSink};
use crate::summary::Summary;

/// Writes a header row and then the rows. The header is given rather than
/// taken from the first row so that an empty table still has one; it must
/// list the row type's fields in order.
pub fn write_rows<R: Serialize>(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> anyhow::Result<()> {
    let cannot_write = || format!("cannot write {}", path.display());
    let mut file = DirectFile::create_output(path).with_context(cannot_write)?;
    let mut rendered = CsvRows::new();
    rendered.write_record(header);
    for row in rows {
        rendered.write_row(&row).with_context(cannot_write)?;
        // Handed over in pieces of 64 KB, still in the processor's cache.
        if rendered.len() >= WRITE_PIECE {
            file.write_all(rendered.as_bytes())
                .with_context(cannot_write)?;
            rendered.clear();
        }
    }
    file.write_all(rendered.as_bytes())
        .with_context(cannot_write)?;
    file.finish().with_context(cannot_write)
}

/// How many rendered bytes [`write_rows`] hands the file at once.
const WRITE_PIECE: usize = 64 << 10;

pub fn date_string(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Serialize)]
struct IssueRow<'a> {
    issue_id: &'a str,
    publication: &'a str,
    date: String,
    number: Option<u32>,
    title: &'a str,
    source_path: &'a str,
    format: &'static str,
    sections: usize,
    items: usize,
    links: usize,
    boilerplate_lines: usize,
    url: &'a str,
    path: &'a str,
}

/// The column names, shared with the Parquet tables.
pub(super) const ISSUE_HEADER: [&str; 13] = [
    "issue_id",
    "publication",
    "date",
    "number",
    "title",
    "source_path",
    "format",
    "sections",
    "items",
    "links",
    "boilerplate_lines",
    "url",
    "path",
];

fn issue_row(record: &IssueRecord, out: &mut CsvRows) -> Result<(), CellError> {
    let issue = &record.issue;
    out.write_row(&IssueRow {
        issue_id: &issue.id,
        publication: &issue.publication,
        date: date_string(issue.date),
        number: issue.number,
        title: &issue.title,
        source_path: &issue.source_path,
        format: issue.format.as_str(),
        sections: issue.sections,
        items: record.items.len(),
        links: issue.links,
        boilerplate_lines: issue.boilerplate_lines,
        url: issue.url.as_deref().unwrap_or(""),
        path: &issue.path,
    })
}

#[derive(Serialize)]
struct ItemRow<'a> {
    issue_id: &'a str,
    item_id: &'a str,
    date: String,
    section: &'a str,
    category: &'static str,
    title: &'a str,
    url: &'a str,
}

/// The column names, shared with the Parquet tables.
pub(super) const ITEM_HEADER: [&str; 7] = [
    "issue_id", "item_id", "date", "section", "category", "title", "url",
];

fn item_rows(record: &IssueRecord, out: &mut CsvRows) -> Result<(), CellError> {
    let date = date_string(record.issue.date);
    for item in &record.items {
        out.write_row(&ItemRow {
            issue_id: &record.issue.id,
            item_id: &item.id,
            date: date.clone(),
            section: &item.section,
            category: item.category.as_str(),
            title: &item.title,
            url: item.url.as_deref().unwrap_or(""),
        })?;
    }
    Ok(())
}

/// Floats in the graph tables: fixed precision, so outputs are byte-stable.
pub fn fixed6(value: f64) -> String {
    format!("{value:.6}")
}

#[derive(Serialize)]
struct NodeRow<'a> {
    entity_id: &'a str,
    name: &'a str,
    kind: &'static str,
    mentions: u32,
    issues: u32,
    degree: u32,
    weighted_degree: u64,
    pagerank: String,
    community: u32,
    constant_of: String,
}

/// nodes.csv: one row per node of the (filtered) co-mention graph.
pub fn write_nodes(path: &Path, graph: &crate::graph::CoMentionGraph) -> anyhow::Result<()> {
    write_rows(
        path,
        &[
            "entity_id",
            "name",
            "kind",
            "mentions",
            "issues",
            "degree",
            "weighted_degree",
            "pagerank",
            "community",
            "constant_of",
        ],
        graph.nodes().map(|n| NodeRow {
            entity_id: &n.entity_id,
            name: &n.name,
            kind: n.kind.as_str(),
            mentions: n.mentions,
            issues: n.issues,
            degree: n.degree,
            weighted_degree: n.weighted_degree,
            pagerank: fixed6(n.pagerank),
            community: n.community,
            constant_of: graph.constants.cell(&n.entity_id),
        }),
    )
}

#[derive(Serialize)]
struct EdgeRow<'a> {
    source: &'a str,
    target: &'a str,
    weight: u32,
    issues: u32,
    npmi: String,
    first_seen: String,
    last_seen: String,
}

/// edges.csv: one row per edge, source id < target id.
pub fn write_edges(path: &Path, graph: &crate::graph::CoMentionGraph) -> anyhow::Result<()> {
    write_rows(
        path,
        &[
            "source",
            "target",
            "weight",
            "issues",
            "npmi",
            "first_seen",
            "last_seen",
        ],
        graph.edges().map(|(a, b, e)| EdgeRow {
            source: &a.entity_id,
            target: &b.entity_id,
            weight: e.weight,
            issues: e.issues,
            npmi: fixed6(e.npmi),
            first_seen: date_string(e.first_seen),
            last_seen: date_string(e.last_seen),
        }),
    )
}

/// trends.csv: one row per entity and period where it was mentioned, or
/// fell, or went quiet (a `gone` row only in the period it first counts as
/// gone, not in every silent period after).
pub fn write_trends(path: &Path, trends: &crate::trends::Trends) -> anyhow::Result<()> {
    let rows = trend_row_indices(trends).map(|(t, index)| {
        let series = &trends.entities[index];
        // Borrowed where it can be: a row is written, not kept.
        [
            Cow::Borrowed(trends.spans[t].label.as_str()),
            Cow::Borrowed(series.key.as_str()),
            Cow::Borrowed(series.name.as_str()),
            Cow::Borrowed(series.kind),
            Cow::Owned(series.mentions[t].to_string()),
            Cow::Owned(series.issues[t].to_string()),
            Cow::Owned(format!("{:.6}", series.share[t])),
            Cow::Owned(series.rank[t].map(|r| r.to_string()).unwrap_or_default()),
            Cow::Borrowed(series.status[t].as_str()),
            Cow::Owned(
                series
                    .burst_at(t)
                    .map(|w| format!("{w:.6}"))
                    .unwrap_or_default(),
            ),
        ]
    });
    write_rows(
        path,
        &[
            "period",
            "entity_id",
            "name",
            "kind",
            "mentions",
            "issues",
            "share",
            "rank",
            "status",
            "burst",
        ],
        rows,
    )
}

/// The (period, series index) of every row of trends.csv, period by
/// period: an entity has a row where it was mentioned, fell, or went quiet
/// (a `gone` row only in the period it first counts as gone).
pub fn trend_row_indices(
    trends: &crate::trends::Trends,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    use crate::trends::Status;
    // Found series by series: reading every series at one period after
    // another would jump across memory once per cell. The rows themselves
    // are made as they are written, so the file is never held in memory.
    let periods = trends.spans.len();
    let mut rows_at: Vec<Vec<u32>> = vec![Vec::new(); periods];
    let mut worth_a_row: Vec<usize> = Vec::new();
    for (index, series) in trends.entities.iter().enumerate() {
        // Runs never touch a run of the same value, so a `gone` run starts
        // where the entity first counts as gone.
        worth_a_row.clear();
        worth_a_row.extend(series.mentions.runs().flat_map(|(stretch, _)| stretch));
        worth_a_row.extend(series.issues.runs().flat_map(|(stretch, _)| stretch));
        for (stretch, &status) in series.status.runs() {
            match status {
                Status::Falling => worth_a_row.extend(stretch),
                Status::Gone => worth_a_row.push(stretch.start),
                _ => {}
            }
        }
        worth_a_row.sort_unstable();
        worth_a_row.dedup();
        for &t in worth_a_row.iter().filter(|&&t| t < periods) {
            rows_at[t].push(index as u32);
        }
    }
    rows_at
        .into_iter()
        .enumerate()
        .flat_map(|(t, indices)| indices.into_iter().map(move |index| (t, index as usize)))
}

/// periods.csv: the retrospective stats, one row per period, empty periods
/// included. `items_<category>` columns use underscores
/// (`items_release_notes`).
pub fn write_periods(path: &Path, trends: &crate::trends::Trends) -> anyhow::Result<()> {
    let (header, rows) = period_table(trends);
    write_rows(path, &header, rows)
}

/// periods.csv's header and rows, for the CSV and the SQLite table alike.
pub fn period_table(
    trends: &crate::trends::Trends,
) -> (Vec<&'static str>, impl Iterator<Item = Vec<String>> + '_) {
    use crate::model::Category;
    use crate::trends::stats::format_counts;
    const CATEGORY_COLUMNS: [&str; 12] = [
        "items_news",
        "items_release_notes",
        "items_features",
        "items_articles",
        "items_prs",
        "items_books",
        "items_events",
        "items_tools",
        "items_keps",
        "items_afterword",
        "items_about",
        "items_other",
    ];
    debug_assert!(
        Category::ALL
            .iter()
            .zip(CATEGORY_COLUMNS)
            .all(|(c, column)| column == format!("items_{}", c.as_str().replace('-', "_")))
    );
    let mut header = vec!["period", "start", "end", "issues", "items"];
    header.extend(CATEGORY_COLUMNS);
    header.extend([
        "distinct_entities",
        "new_entities",
        "top_entities",
        "neco_mentions",
        "top_hosts",
    ]);
    let rows = trends.stats.iter().map(|stats| {
        let mut row = vec![
            stats.span.label.clone(),
            stats.span.start.to_string(),
            stats.span.end.to_string(),
            stats.issues.to_string(),
            stats.items.to_string(),
        ];
        row.extend(stats.items_by_category.iter().map(|(_, n)| n.to_string()));
        row.extend([
            stats.distinct_entities.to_string(),
            stats.new_entities.to_string(),
            format_counts(&stats.top_entities),
            stats.neco_mentions.to_string(),
            format_counts(&stats.top_hosts),
        ]);
        row
    });
    (header, rows)
}

/// One row of entities.csv (and of the SQLite `entities` table): an
/// entity mentioned at least once. `mentions` counts mention rows: the items
/// that mention the entity, plus one per category of text outside items
/// that does; `issues` counts distinct issues.
#[derive(Serialize)]
pub struct EntityRow<'a> {
    pub entity_id: &'a str,
    pub name: &'a str,
    pub kind: &'static str,
    pub cncf: &'a str,
    pub category: &'a str,
    pub url: &'a str,
    pub mentions: usize,
    pub issues: usize,
    pub first_seen: String,
    pub last_seen: String,
    /// The publications the entity is a constant of, `;`-joined.
    pub constant_of: String,
    pub source: &'static str,
    /// A pull request's, an issue's or a KEP's repository.
    pub repo: String,
}

/// The mentioned entities with their tallies, sorted by id. Both the
/// tallies and the entity table are sorted by id, so one walk of the two
/// finds each entity: a corpus can have hundreds of thousands.
pub fn entity_rows(summary: &Summary) -> impl Iterator<Item = EntityRow<'_>> {
    let mut entities = EntitiesInOrder::new(&summary.entities);
    summary.mentioned.iter().filter_map(move |(id, tally)| {
        let entity = entities.get(id)?;
        Some(EntityRow {
            entity_id: &entity.id,
            name: &entity.name,
            kind: entity.kind.as_str(),
            cncf: &entity.cncf,
            category: &entity.category,
            url: entity.urls.first().map_or("", String::as_str),
            mentions: tally.mentions,
            issues: tally.issues,
            first_seen: date_string(tally.first_seen),
            last_seen: date_string(tally.last_seen),
            constant_of: summary.constants.cell(id),
            source: entity.source.as_str(),
            repo: entity.repository(),
        })
    })
}

/// entities.csv's column names, shared with entities.parquet.
pub(super) const ENTITY_HEADER: [&str; 13] = [
    "entity_id",
    "name",
    "kind",
    "cncf",
    "category",
    "url",
    "mentions",
    "issues",
    "first_seen",
    "last_seen",
    "constant_of",
    "source",
    "repo",
];

pub fn write_entities(path: &Path, summary: &Summary) -> anyhow::Result<()> {
    write_rows(path, &ENTITY_HEADER, entity_rows(summary))
}

#[derive(Serialize)]
struct MentionRow<'a> {
    issue_id: &'a str,
    item_id: &'a str,
    date: std::borrow::Cow<'a, str>,
    category: &'static str,
    entity_id: &'a str,
    entity_name: &'a str,
    kind: &'static str,
    via: &'static str,
    surface: &'a str,
    count: u32,
    version: &'a str,
    constant: bool,
}

/// The column names, shared with the Parquet tables.
pub(super) const MENTION_HEADER: [&str; 12] = [
    "issue_id",
    "item_id",
    "date",
    "category",
    "entity_id",
    "entity_name",
    "kind",
    "via",
    "surface",
    "count",
    "version",
    "constant",
];

/// One row per mention, in issue order, then as extraction sorted them
/// (text outside items first, then items in order; by entity id within).
/// The entity's name is the corpus-wide one, so a KEP reads the same in
/// every row. `constant`: the entity is a constant of the issue's
/// publication.
fn mention_rows(
    record: &IssueRecord,
    entities: &EntityLookup<'_>,
    constants: &Constants,
    out: &mut CsvRows,
) -> Result<(), CellError> {
    let publication = record.issue.publication.as_str();
    // A mention carries its issue's date: formatted once per issue.
    let issue_date = date_string(record.issue.date);
    for m in &record.mentions {
        let date = if m.date == record.issue.date {
            std::borrow::Cow::Borrowed(issue_date.as_str())
        } else {
            std::borrow::Cow::Owned(date_string(m.date))
        };
        out.write_row(&MentionRow {
            issue_id: &m.issue_id,
            item_id: m.item_id.as_deref().unwrap_or(""),
            date,
            category: m.category.as_str(),
            entity_id: &m.entity_id,
            entity_name: entities
                .get(&m.entity_id)
                .map_or(m.entity_name.as_str(), |e| e.name.as_str()),
            kind: m.kind.as_str(),
            via: m.via.as_str(),
            surface: &m.surface,
            count: m.count,
            version: m.version.as_deref().unwrap_or(""),
            constant: constants.is_constant(publication, &m.entity_id),
        })?;
    }
    Ok(())
}

#[derive(Serialize)]
struct LinkRow<'a> {
    issue_id: &'a str,
    item_id: &'a str,
    url: &'a str,
    host: &'a str,
    link_kind: &'static str,
    entity_id: &'a str,
}

/// The column names, shared with the Parquet tables.
pub(super) const LINK_HEADER: [&str; 6] = [
    "issue_id",
    "item_id",
    "url",
    "host",
    "link_kind",
    "entity_id",
];

/// Every link, in issue order and then reading order.
fn link_rows(record: &IssueRecord, out: &mut CsvRows) -> Result<(), CellError> {
    for l in &record.links {
        out.write_row(&LinkRow {
            issue_id: &l.issue_id,
            item_id: l.item_id.as_deref().unwrap_or(""),
            url: &l.url,
            host: &l.host,
            link_kind: l.kind.as_str(),
            entity_id: l.entity_id.as_deref().unwrap_or(""),
        })?;
    }
    Ok(())
}

/// issues.csv, items.csv, mentions.csv and links.csv: one row per issue,
/// item, mention and link, written as the records stream past in corpus
/// order. `None` once finished.
pub struct RecordTables(Option<Tables>);

struct Tables {
    constants: Constants,
    issues: TableFile,
    items: TableFile,
    mentions: TableFile,
    links: TableFile,
}

struct TableFile {
    path: PathBuf,
    out: DirectFile,
}

impl TableFile {
    fn create(path: PathBuf, header: &[&str]) -> anyhow::Result<TableFile> {
        // `--jobs 1` asks for one thread: the tables are written on it.
        let out = DirectFile::create(&path, rayon::current_num_threads() > 1)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut table = TableFile { out, path };
        let mut header_line = CsvRows::new();
        header_line.write_record(header);
        table.write(header_line.as_bytes())?;
        Ok(table)
    }

    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn finish(self) -> anyhow::Result<()> {
        self.out
            .finish()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// One record's rows of the three tables, rendered.
struct RecordRows {
    issue: Vec<u8>,
    items: Vec<u8>,
    mentions: Vec<u8>,
    links: Vec<u8>,
}

impl RecordRows {
    fn render(
        record: &IssueRecord,
        entities: &EntityLookup<'_>,
        constants: &Constants,
    ) -> anyhow::Result<RecordRows> {
        let (mut issue, mut items) = (CsvRows::new(), CsvRows::new());
        let (mut mentions, mut links) = (CsvRows::new(), CsvRows::new());
        issue_row(record, &mut issue)?;
        item_rows(record, &mut items)?;
        mention_rows(record, entities, constants, &mut mentions)?;
        link_rows(record, &mut links)?;
        Ok(RecordRows {
            issue: issue.into_bytes(),
            items: items.into_bytes(),
            mentions: mentions.into_bytes(),
            links: links.into_bytes(),
        })
    }
}

const RECORD_TABLES: [&str; 4] = ["issues.csv", "items.csv", "mentions.csv", "links.csv"];

impl RecordTables {
    /// `constants`: decided before the first record streams past, so each
    /// mention row can say whether it names one.
    pub fn create(folder: &Path, constants: Constants) -> anyhow::Result<RecordTables> {
        let [issues, items, mentions, links] = RECORD_TABLES;
        Ok(RecordTables(Some(Tables {
            constants,
            issues: TableFile::create(folder.join(issues), &ISSUE_HEADER)?,
            items: TableFile::create(folder.join(items), &ITEM_HEADER)?,
            mentions: TableFile::create(folder.join(mentions), &MENTION_HEADER)?,
            links: TableFile::create(folder.join(links), &LINK_HEADER)?,
        })))
    }

    /// Rows are rendered in parallel (on the calling rayon pool) and written
    /// in the order given.
    pub fn append(
        &mut self,
        records: &[IssueRecord],
        entities: &EntityLookup<'_>,
    ) -> anyhow::Result<()> {
        use rayon::prelude::*;
        let Some(tables) = &mut self.0 else {
            anyhow::bail!("records added to finished tables");
        };
        let rendered: Vec<RecordRows> = records
            .par_iter()
            .map(|record| RecordRows::render(record, entities, &tables.constants))
            .collect::<anyhow::Result<_>>()?;
        // Copying into the page cache is a good part of a build's time, and
        // the four files do not share it: mentions.csv (the largest) is
        // written beside the other three.
        let Tables {
            issues,
            items,
            mentions,
            links,
            ..
        } = tables;
        let (for_mentions, others) = rayon::join(
            || {
                rendered
                    .iter()
                    .try_for_each(|rows| mentions.write(&rows.mentions))
            },
            || {
                rendered.iter().try_for_each(|rows| {
                    issues.write(&rows.issue)?;
                    items.write(&rows.items)?;
                    links.write(&rows.links)
                })
            },
        );
        for_mentions.and(others)
    }

    pub fn finish(&mut self) -> anyhow::Result<()> {
        let Some(tables) = self.0.take() else {
            return Ok(());
        };
        tables.issues.finish()?;
        tables.items.finish()?;
        tables.mentions.finish()?;
        tables.links.finish()
    }
}

impl RecordSink for RecordTables {
    fn add(&mut self, records: &RecordChunk, entities: &EntityLookup<'_>) -> anyhow::Result<()> {
        self.append(records, entities)
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        RecordTables::finish(self)
    }
}

/// The tables are complete once the last record has streamed past.
impl Output for RecordTables {
    fn name(&self) -> &str {
        "record tables"
    }

    fn files(&self) -> Vec<&str> {
        RECORD_TABLES.to_vec()
    }

    fn sink(&mut self) -> Option<&mut dyn RecordSink> {
        Some(self)
    }

    fn write(&mut self, _summary: &Summary, _context: &OutputContext) -> anyhow::Result<()> {
        Ok(())
    }
}

/// An output of one CSV file written from the summary alone.
macro_rules! summary_table {
    ($(#[$doc:meta])* $output:ident, $file:literal, weight $weight:literal, |$path:ident, $summary:ident| $write:expr) => {
        $(#[$doc])*
        pub struct $output;

        impl Output for $output {
            fn name(&self) -> &str {
                $file
            }

            fn files(&self) -> Vec<&str> {
                vec![$file]
            }

            fn write(&mut self, $summary: &Summary, context: &OutputContext) -> anyhow::Result<()> {
                let $path = &context.file($file);
                $write
            }

            fn weight(&self) -> u32 {
                $weight
            }
        }
    };
}

summary_table!(
    /// The mentioned entities with their tallies.
    EntitiesCsv, "entities.csv", weight 9, |path, summary| write_entities(path, summary)
);
summary_table!(
    /// Names extraction found but no dictionary lists.
    CandidatesCsv, "candidates.csv", weight 1, |path, summary| write_candidates(path, &summary.candidates)
);
summary_table!(
    /// The co-mention graph's nodes.
    NodesCsv, "nodes.csv", weight 3, |path, summary| write_nodes(path, &summary.graph)
);
summary_table!(
    /// The co-mention graph's edges.
    EdgesCsv, "edges.csv", weight 2, |path, summary| write_edges(path, &summary.graph)
);
summary_table!(
    /// Each entity's mentions per period.
    TrendsCsv, "trends.csv", weight 6, |path, summary| write_trends(path, &summary.trends)
);
summary_table!(
    /// The retrospective stats, one row per period.
    PeriodsCsv, "periods.csv", weight 1, |path, summary| write_periods(path, &summary.trends)
);

summary_table!(
    /// Which publication named an entity first, and how long after the others did.
    LeadLagCsv, "lead_lag.csv", weight 1, |path, summary| write_lead_lag(path, &summary.lead_lag)
);

/// lead_lag.csv: one row per entity and publication that could compete
/// for it (see [`crate::lead_lag`]); entities by the day the first
/// publication named them, then by id; within one, by lag.
pub fn write_lead_lag(path: &Path, lead_lag: &crate::lead_lag::LeadLag) -> anyhow::Result<()> {
    let leaders: Vec<String> = lead_lag
        .leads
        .iter()
        .map(|lead| {
            let leaders: Vec<&str> = lead.leaders().map(|c| c.publication.as_str()).collect();
            leaders.join("; ")
        })
        .collect();
    // Borrowed: a row is written, not kept, and an entity's rows share
    // its leaders.
    let rows = lead_lag
        .leads
        .iter()
        .zip(&leaders)
        .flat_map(|(lead, leaders)| {
            lead.coverage.iter().map(move |c| {
                [
                    Cow::Borrowed(lead.entity_id.as_str()),
                    Cow::Borrowed(c.publication.as_str()),
                    Cow::Owned(c.first_seen.to_string()),
                    Cow::Owned(c.lag_days.to_string()),
                    Cow::Borrowed(lead.name.as_str()),
                    Cow::Borrowed(lead.kind.as_str()),
                    Cow::Borrowed(leaders.as_str()),
                    Cow::Owned(c.mentions.to_string()),
                ]
            })
        });
    write_rows(path, &LEAD_LAG_HEADER, rows)
}

pub const LEAD_LAG_HEADER: [&str; 8] = [
    "entity",
    "publication",
    "first_seen",
    "lag_days",
    "entity_name",
    "kind",
    "first_publication",
    "mentions",
];

#[derive(Serialize)]
struct CandidateRow<'a> {
    name: &'a str,
    count: usize,
    issues: usize,
    suggested_kind: &'static str,
    example: &'a str,
    evidence: &'static str,
    url: &'a str,
}

/// Candidate names over the corpus, in rank order: by evidence first.
pub fn write_candidates(path: &Path, candidates: &[CandidateSummary]) -> anyhow::Result<()> {
    write_rows(
        path,
        &[
            "name",
            "count",
            "issues",
            "suggested_kind",
            "example",
            "evidence",
            "url",
        ],
        candidates.iter().map(|s| CandidateRow {
            name: &s.name,
            count: s.count,
            issues: s.issues,
            suggested_kind: s.suggested_kind.as_str(),
            example: &s.example,
            evidence: s.evidence.as_str(),
            url: &s.url,
        }),
    )
}

#[cfg(test)]
mod graph_table_tests {
    use super::*;
    use crate::graph::fixture;

    #[test]
    fn nodes_and_edges_round_trip_hostile_names() {
        let graph = fixture::hostile_graph();
        let dir = tempfile::tempdir().unwrap();
        write_nodes(&dir.path().join("nodes.csv"), &graph).unwrap();
        write_edges(&dir.path().join("edges.csv"), &graph).unwrap();
        let mut nodes = csv::Reader::from_path(dir.path().join("nodes.csv")).unwrap();
        assert_eq!(
            nodes.headers().unwrap(),
            vec![
                "entity_id",
                "name",
                "kind",
                "mentions",
                "issues",
                "degree",
                "weighted_degree",
                "pagerank",
                "community",
                "constant_of"
            ]
        );
        let rows: Vec<csv::StringRecord> = nodes.records().map(Result::unwrap).collect();
        assert_eq!(&rows[1][0], "tool:evil");
        assert_eq!(&rows[1][1], fixture::HOSTILE_NAME);
        assert_eq!(rows[1][7].split('.').nth(1).map(str::len), Some(6));
        let edges = std::fs::read_to_string(dir.path().join("edges.csv")).unwrap();
        assert_eq!(
            edges.lines().nth(2),
            Some("neco:moco,tool:mysql,2,1,1.000000,2022-09-16,2022-09-16")
        );
    }
}
