//! CSV tables: a header row, UTF-8, one row per record, sorted.

use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use crate::model::{Corpus, Date};

/// Writes a header row and then the rows. The header is given rather than
/// taken from the first row so that an empty table still has one; it must
/// list the row type's fields in order.
pub fn write_rows<R: Serialize>(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> anyhow::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_path(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    writer.write_record(header)?;
    for row in rows {
        writer.serialize(row)?;
    }
    writer
        .flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

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
}

pub fn write_issues(path: &Path, corpus: &Corpus) -> anyhow::Result<()> {
    write_rows(
        path,
        &[
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
        ],
        corpus.records.iter().map(|r| IssueRow {
            issue_id: &r.issue.id,
            publication: &r.issue.publication,
            date: date_string(r.issue.date),
            number: r.issue.number,
            title: &r.issue.title,
            source_path: &r.issue.source_path,
            format: r.issue.format.as_str(),
            sections: r.issue.sections,
            items: r.items.len(),
            links: r.issue.links,
        }),
    )
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

pub fn write_items(path: &Path, corpus: &Corpus) -> anyhow::Result<()> {
    write_rows(
        path,
        &[
            "issue_id", "item_id", "date", "section", "category", "title", "url",
        ],
        corpus.records.iter().flat_map(|r| {
            r.items.iter().map(move |item| ItemRow {
                issue_id: &r.issue.id,
                item_id: &item.id,
                date: date_string(r.issue.date),
                section: &item.section,
                category: item.category.as_str(),
                title: &item.title,
                url: item.url.as_deref().unwrap_or(""),
            })
        }),
    )
}
