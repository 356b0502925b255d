//! weeklygraph.db (`--sqlite`): every table in one SQLite file, so a user can
//! ask questions in SQL or point a dashboard at it.
//!
//! Tables: issues, items, entities, mentions, links (the knowledge graph:
//! issue —contains→ item —mentions→ entity, item —links→ URL), nodes and
//! edges (the co-mention graph, columns as nodes.csv and edges.csv) and
//! edge_items (which items made each edge). Absent values are NULL.
//! Written in one transaction.

use std::path::Path;

use anyhow::Context;
use rusqlite::{Connection, params};

use crate::export::csv::{self, EntityRow};
use crate::export::{Output, OutputContext};
use crate::graph::CoMentionGraph;
use crate::model::{Date, IssueRecord};
use crate::sink::{KeptRecords, RecordSink};
use crate::summary::Summary;

const SCHEMA: &str = "
CREATE TABLE issues (
    issue_id TEXT PRIMARY KEY, publication TEXT, date TEXT, number INTEGER,
    title TEXT, source_path TEXT, format TEXT,
    sections INTEGER, items INTEGER, links INTEGER, url TEXT, path TEXT
);
CREATE TABLE items (
    issue_id TEXT, item_id TEXT, date TEXT, section TEXT, category TEXT,
    title TEXT, url TEXT
);
CREATE TABLE entities (
    entity_id TEXT PRIMARY KEY, name TEXT, kind TEXT, cncf TEXT, category TEXT,
    url TEXT, mentions INTEGER, issues INTEGER, first_seen TEXT, last_seen TEXT
);
CREATE TABLE mentions (
    issue_id TEXT, item_id TEXT, date TEXT, category TEXT, entity_id TEXT,
    entity_name TEXT, kind TEXT, via TEXT, surface TEXT, count INTEGER,
    version TEXT
);
CREATE TABLE links (
    issue_id TEXT, item_id TEXT, url TEXT, host TEXT, link_kind TEXT,
    entity_id TEXT
);
CREATE TABLE nodes (
    entity_id TEXT PRIMARY KEY, name TEXT, kind TEXT, mentions INTEGER,
    issues INTEGER, degree INTEGER, weighted_degree INTEGER, pagerank REAL,
    community INTEGER
);
CREATE TABLE edges (
    source TEXT, target TEXT, weight INTEGER, issues INTEGER, npmi REAL,
    first_seen TEXT, last_seen TEXT, PRIMARY KEY (source, target)
);
CREATE TABLE edge_items (source TEXT, target TEXT, item_id TEXT);
CREATE INDEX items_by_issue ON items (issue_id);
CREATE INDEX items_by_id ON items (item_id);
CREATE INDEX mentions_by_entity ON mentions (entity_id);
CREATE INDEX mentions_by_item ON mentions (item_id);
CREATE INDEX links_by_item ON links (item_id);
CREATE INDEX edge_items_by_edge ON edge_items (source, target);
CREATE TABLE trends (
    period TEXT, entity_id TEXT, name TEXT, kind TEXT, mentions INTEGER,
    issues INTEGER, share REAL, rank INTEGER, status TEXT, burst REAL
);
CREATE INDEX trends_by_entity ON trends (entity_id);
CREATE INDEX trends_by_period ON trends (period);
CREATE TABLE lead_lag (
    entity_id TEXT, publication TEXT, first_seen TEXT, lag_days INTEGER,
    entity_name TEXT, kind TEXT, first_publication TEXT, mentions INTEGER
);
CREATE INDEX lead_lag_by_entity ON lead_lag (entity_id);
";

/// weeklygraph.db: it holds every record, so it keeps each chunk as the
/// records stream past and writes them all with the summary.
#[derive(Default)]
pub struct Database {
    records: KeptRecords,
}

impl Output for Database {
    fn name(&self) -> &str {
        "SQLite database"
    }

    fn files(&self) -> Vec<&str> {
        vec!["weeklygraph.db"]
    }

    fn sink(&mut self) -> Option<&mut dyn RecordSink> {
        Some(&mut self.records)
    }

    fn write(&mut self, summary: &Summary, context: &OutputContext) -> anyhow::Result<()> {
        let entities: Vec<_> = csv::entity_rows(summary).collect();
        let path = context.file("weeklygraph.db");
        write_database(&path, self.records.iter(), &entities, &summary.graph)?;
        write_summary_tables(&path, &summary.trends, &summary.lead_lag)
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

/// `records`: in corpus order; `entities`: the rows of entities.csv.
pub fn write_database<'a>(
    path: &Path,
    records: impl IntoIterator<Item = &'a IssueRecord>,
    entities: &[EntityRow],
    graph: &CoMentionGraph,
) -> anyhow::Result<()> {
    write(path, records, entities, graph)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write<'a>(
    path: &Path,
    records: impl IntoIterator<Item = &'a IssueRecord>,
    entities: &[EntityRow],
    graph: &CoMentionGraph,
) -> anyhow::Result<()> {
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let mut connection = Connection::open(path)?;
    let tx = connection.transaction()?;
    tx.execute_batch(SCHEMA)?;
    insert_records(&tx, records)?;
    insert_entities(&tx, entities)?;
    insert_graph(&tx, graph)?;
    tx.commit()?;
    Ok(())
}

/// The tables of the summary: `trends` (the rows of trends.csv),
/// `periods` (the columns of periods.csv: `period`, `start` and `end` as
/// text, every other column numeric, its lists as text) and `lead_lag`
/// (the rows of lead_lag.csv; empty with one publication).
fn write_summary_tables(
    path: &Path,
    trends: &crate::trends::Trends,
    lead_lag: &crate::lead_lag::LeadLag,
) -> anyhow::Result<()> {
    let mut connection = Connection::open(path)?;
    let tx = connection.transaction()?;
    let mut trend =
        tx.prepare("INSERT INTO trends VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    for (t, index) in csv::trend_row_indices(trends) {
        let series = &trends.entities[index];
        trend.execute(params![
            trends.spans[t].label,
            series.key,
            series.name,
            series.kind,
            series.mentions[t],
            series.issues[t],
            series.share[t],
            series.rank[t],
            series.status[t].as_str(),
            series.burst_at(t),
        ])?;
    }
    drop(trend);
    let (header, rows) = csv::period_table(trends);
    let columns: Vec<String> = header
        .iter()
        .map(|name| {
            let affinity = if matches!(*name, "period" | "start" | "end") {
                "TEXT"
            } else {
                "NUMERIC"
            };
            format!("\"{name}\" {affinity}")
        })
        .collect();
    tx.execute_batch(&format!(
        "CREATE TABLE periods ({});\nCREATE UNIQUE INDEX periods_by_period ON periods (period);",
        columns.join(", ")
    ))?;
    let placeholders: Vec<String> = (1..=header.len()).map(|i| format!("?{i}")).collect();
    let mut period = tx.prepare(&format!(
        "INSERT INTO periods VALUES ({})",
        placeholders.join(", ")
    ))?;
    for row in rows {
        period.execute(rusqlite::params_from_iter(row.iter()))?;
    }
    drop(period);
    let mut lead = tx.prepare("INSERT INTO lead_lag VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for l in &lead_lag.leads {
        let leaders: Vec<&str> = l.leaders().map(|c| c.publication.as_str()).collect();
        for c in &l.coverage {
            lead.execute(params![
                l.entity_id,
                c.publication,
                c.first_seen.to_string(),
                c.lag_days,
                l.name,
                l.kind,
                leaders.join("; "),
                c.mentions as i64,
            ])?;
        }
    }
    drop(lead);
    tx.commit()?;
    Ok(())
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn insert_records<'a>(
    tx: &rusqlite::Transaction,
    records: impl IntoIterator<Item = &'a IssueRecord>,
) -> anyhow::Result<()> {
    let mut issue = tx
        .prepare("INSERT INTO issues VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")?;
    let mut item = tx.prepare("INSERT INTO items VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    let mut mention =
        tx.prepare("INSERT INTO mentions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?;
    let mut link = tx.prepare("INSERT INTO links VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for record in records {
        let meta = &record.issue;
        issue.execute(params![
            meta.id,
            meta.publication,
            date(meta.date),
            meta.number,
            meta.title,
            meta.source_path,
            meta.format.as_str(),
            meta.sections as i64,
            record.items.len() as i64,
            meta.links as i64,
            meta.url,
            meta.path,
        ])?;
        for i in &record.items {
            item.execute(params![
                meta.id,
                i.id,
                date(meta.date),
                i.section,
                i.category.as_str(),
                i.title,
                i.url,
            ])?;
        }
        for m in &record.mentions {
            mention.execute(params![
                m.issue_id,
                m.item_id,
                date(m.date),
                m.category.as_str(),
                m.entity_id,
                m.entity_name,
                m.kind.as_str(),
                m.via.as_str(),
                m.surface,
                m.count,
                m.version,
            ])?;
        }
        for l in &record.links {
            link.execute(params![
                l.issue_id,
                l.item_id,
                l.url,
                l.host,
                l.kind.as_str(),
                l.entity_id,
            ])?;
        }
    }
    Ok(())
}

/// The same rows as entities.csv.
fn insert_entities(tx: &rusqlite::Transaction, entities: &[EntityRow]) -> anyhow::Result<()> {
    let mut insert =
        tx.prepare("INSERT INTO entities VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    for row in entities {
        insert.execute(params![
            row.entity_id,
            row.name,
            row.kind,
            row.cncf,
            row.category,
            row.url,
            row.mentions as i64,
            row.issues as i64,
            none_if_empty(&row.first_seen),
            none_if_empty(&row.last_seen),
        ])?;
    }
    Ok(())
}

fn none_if_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

fn insert_graph(tx: &rusqlite::Transaction, graph: &CoMentionGraph) -> anyhow::Result<()> {
    let mut node = tx.prepare("INSERT INTO nodes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
    for n in graph.nodes() {
        node.execute(params![
            n.entity_id,
            n.name,
            n.kind.as_str(),
            n.mentions,
            n.issues,
            n.degree,
            n.weighted_degree as i64,
            n.pagerank,
            n.community,
        ])?;
    }
    let mut edge = tx.prepare("INSERT INTO edges VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    let mut edge_item = tx.prepare("INSERT INTO edge_items VALUES (?1, ?2, ?3)")?;
    for (a, b, e) in graph.edges() {
        edge.execute(params![
            a.entity_id,
            b.entity_id,
            e.weight,
            e.issues,
            e.npmi,
            date(e.first_seen),
            date(e.last_seen),
        ])?;
        for window in &e.windows {
            edge_item.execute(params![a.entity_id, b.entity_id, window])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixture;

    #[test]
    fn every_table_is_written_and_hostile_text_reads_back() {
        let corpus = fixture::hostile_corpus();
        let graph = fixture::hostile_graph();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weeklygraph.db");
        let summary = crate::summary::Summary::of(&corpus, &Default::default());
        let entities: Vec<_> = crate::export::csv::entity_rows(&summary).collect();
        write_database(&path, &corpus.records, &entities, &graph).unwrap();
        let db = Connection::open(&path).unwrap();
        let count = |table: &str| -> i64 {
            db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(
            [
                "issues",
                "items",
                "entities",
                "mentions",
                "links",
                "nodes",
                "edges",
                "edge_items"
            ]
            .map(count),
            [1, 3, 4, 7, 0, 4, 4, 5]
        );
        let name: String = db
            .query_row(
                "SELECT name FROM entities WHERE entity_id = 'tool:evil'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(name, fixture::HOSTILE_NAME);
        let titles: Vec<String> = db
            .prepare(
                "SELECT items.title FROM edge_items JOIN items USING (item_id)
                 WHERE source = 'neco:moco' AND target = 'tool:mysql' ORDER BY item_id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            titles,
            ["Item 1 \\ \"quoted\" <i>", "Item 2 \\ \"quoted\" <i>"]
        );
    }
}
