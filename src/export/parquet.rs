//! The record tables as Parquet (`--format parquet`): issues, items,
//! mentions, links and entities, typed and zstd-compressed, for DuckDB,
//! polars, pandas and Spark.
//!
//! The columns are those of the CSV tables, in the same order and with the
//! same rows in the same order. Counts are INT64, dates DATE, `constant`
//! BOOLEAN, everything else UTF-8 strings. A cell the CSV leaves empty
//! because there is nothing to say (an issue without a date or number, a
//! mention outside items, a link to no entity, an entity without a
//! repository) is NULL; cells are never neutralised against spreadsheet
//! formulas, since no spreadsheet opens a Parquet file.
//!
//! Written with the `parquet` crate's column writers, without Arrow: rows
//! are gathered column by column and written as a row group once a table
//! holds [`ROW_GROUP_BYTES`], so memory stays bounded whatever the corpus.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::parser::parse_message_type;
use anyhow::Context;

use super::csv::{
    ENTITY_HEADER, ISSUE_HEADER, ITEM_HEADER, LINK_HEADER, MENTION_HEADER, entity_rows,
};
use super::{Output, OutputContext};
use crate::constants::Constants;
use crate::model::{Date, EntityLookup, IssueRecord};
use crate::sink::{RecordChunk, RecordSink};
use crate::summary::Summary;

/// A table's buffered rows are written as one row group past this many
/// bytes of values: large enough for good compression and few row groups
/// (DuckDB reads row groups in parallel), small enough that the five
/// tables' buffers stay far under the build's memory budget.
const ROW_GROUP_BYTES: usize = 24 << 20;

/// zstd's level 3, its own default: on these tables levels above it save
/// little and cost much more time.
const ZSTD_LEVEL: i32 = 3;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// UTF-8 text (`BYTE_ARRAY (STRING)`).
    Text,
    /// A count (`INT64`).
    Count,
    /// A calendar day (`INT32 (DATE)`, days since 1970-01-01).
    Day,
    /// `BOOLEAN`.
    Flag,
}

/// A column's type: its kind and whether it takes NULL for "nothing"
/// (OPTIONAL) or not (REQUIRED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Type {
    kind: Kind,
    nullable: bool,
}

const TEXT: Type = Type {
    kind: Kind::Text,
    nullable: false,
};
const NULLABLE_TEXT: Type = Type {
    nullable: true,
    ..TEXT
};
const COUNT: Type = Type {
    kind: Kind::Count,
    nullable: false,
};
const NULLABLE_COUNT: Type = Type {
    nullable: true,
    ..COUNT
};
/// Dates are nullable everywhere: an undated issue has none.
const DAY: Type = Type {
    kind: Kind::Day,
    nullable: true,
};
const FLAG: Type = Type {
    kind: Kind::Flag,
    nullable: false,
};

/// One column of a table's schema.
#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    kind: Kind,
    nullable: bool,
}

/// A table's schema: the names and order of its CSV table's header (one
/// list of names for both formats), and the type of every column that is
/// not required text.
struct Schema {
    header: &'static [&'static str],
    typed: &'static [(&'static str, Type)],
}

impl Schema {
    fn columns(&self) -> Vec<Column> {
        self.header
            .iter()
            .map(|&name| {
                let ty = self
                    .typed
                    .iter()
                    .find(|(typed, _)| *typed == name)
                    .map_or(TEXT, |&(_, ty)| ty);
                Column {
                    name,
                    kind: ty.kind,
                    nullable: ty.nullable,
                }
            })
            .collect()
    }
}

const ISSUES: Schema = Schema {
    header: &ISSUE_HEADER,
    typed: &[
        ("date", DAY),
        ("number", NULLABLE_COUNT),
        ("sections", COUNT),
        ("items", COUNT),
        ("links", COUNT),
        ("boilerplate_lines", COUNT),
        ("url", NULLABLE_TEXT),
    ],
};

const ITEMS: Schema = Schema {
    header: &ITEM_HEADER,
    typed: &[("date", DAY), ("url", NULLABLE_TEXT)],
};

const MENTIONS: Schema = Schema {
    header: &MENTION_HEADER,
    typed: &[
        ("item_id", NULLABLE_TEXT),
        ("date", DAY),
        ("count", COUNT),
        ("version", NULLABLE_TEXT),
        ("constant", FLAG),
    ],
};

const LINKS: Schema = Schema {
    header: &LINK_HEADER,
    typed: &[("item_id", NULLABLE_TEXT), ("entity_id", NULLABLE_TEXT)],
};

const ENTITIES: Schema = Schema {
    header: &ENTITY_HEADER,
    typed: &[
        ("cncf", NULLABLE_TEXT),
        ("category", NULLABLE_TEXT),
        ("url", NULLABLE_TEXT),
        ("mentions", COUNT),
        ("issues", COUNT),
        ("first_seen", DAY),
        ("last_seen", DAY),
        ("constant_of", NULLABLE_TEXT),
        ("repo", NULLABLE_TEXT),
    ],
};

/// The files `--format parquet` writes in place of the CSV record tables.
pub const PARQUET_TABLES: [&str; 5] = [
    "issues.parquet",
    "items.parquet",
    "mentions.parquet",
    "links.parquet",
    "entities.parquet",
];

/// The Parquet schema of a table, in the message syntax the crate parses.
fn message_type(table: &str, columns: &[Column]) -> String {
    let mut message = format!("message {table} {{\n");
    for column in columns {
        let repetition = if column.nullable {
            "OPTIONAL"
        } else {
            "REQUIRED"
        };
        let physical = match column.kind {
            Kind::Text => "BYTE_ARRAY",
            Kind::Count => "INT64",
            Kind::Day => "INT32",
            Kind::Flag => "BOOLEAN",
        };
        let logical = match column.kind {
            Kind::Text => " (STRING)",
            Kind::Day => " (DATE)",
            Kind::Count | Kind::Flag => "",
        };
        message.push_str(&format!(
            "  {repetition} {physical} {}{logical};\n",
            column.name
        ));
    }
    message.push('}');
    message
}

/// A column's values not yet written. Text is kept as one buffer and the
/// end of each value, so a row group's strings are one allocation.
enum Values {
    Text { bytes: Vec<u8>, ends: Vec<usize> },
    Count(Vec<i64>),
    Day(Vec<i32>),
    Flag(Vec<bool>),
}

struct ColumnBuffer {
    column: Column,
    values: Values,
    /// Parquet's definition levels: 1 for a value, 0 for NULL (nullable
    /// columns only).
    defined: Vec<i16>,
}

impl ColumnBuffer {
    fn new(column: Column) -> ColumnBuffer {
        let values = match column.kind {
            Kind::Text => Values::Text {
                bytes: Vec::new(),
                ends: Vec::new(),
            },
            Kind::Count => Values::Count(Vec::new()),
            Kind::Day => Values::Day(Vec::new()),
            Kind::Flag => Values::Flag(Vec::new()),
        };
        ColumnBuffer {
            column,
            values,
            defined: Vec::new(),
        }
    }

    fn bytes(&self) -> usize {
        let values = match &self.values {
            Values::Text { bytes, ends } => bytes.len() + ends.len() * 8,
            Values::Count(v) => v.len() * 8,
            Values::Day(v) => v.len() * 4,
            Values::Flag(v) => v.len(),
        };
        values + self.defined.len() * 2
    }

    fn clear(&mut self) {
        match &mut self.values {
            Values::Text { bytes, ends } => {
                bytes.clear();
                ends.clear();
            }
            Values::Count(v) => v.clear(),
            Values::Day(v) => v.clear(),
            Values::Flag(v) => v.clear(),
        }
        self.defined.clear();
    }
}

/// A value for one cell, as the rows give it.
enum Cell<'a> {
    Text(&'a str),
    Count(i64),
    Day(Date),
    Flag(bool),
    Null,
}

/// Days since 1970-01-01, Parquet's DATE.
fn days_since_epoch(date: Date) -> i32 {
    let epoch = Date::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");
    // Dates come from issues written in the last few decades: far inside i32.
    i32::try_from((date - epoch).num_days()).unwrap_or(i32::MAX)
}

fn count_cell(n: usize) -> Cell<'static> {
    Cell::Count(i64::try_from(n).unwrap_or(i64::MAX))
}

fn day_cell(date: Option<Date>) -> Cell<'static> {
    date.map_or(Cell::Null, Cell::Day)
}

/// Text that may be absent: `None` and "" are NULL.
fn nullable_text(value: Option<&str>) -> Cell<'_> {
    match value {
        Some(text) if !text.is_empty() => Cell::Text(text),
        _ => Cell::Null,
    }
}

/// One Parquet file being written, a row group at a time.
struct TableWriter {
    path: PathBuf,
    writer: SerializedFileWriter<File>,
    columns: Vec<ColumnBuffer>,
}

impl TableWriter {
    fn create(path: PathBuf, schema: &Schema) -> anyhow::Result<TableWriter> {
        let columns = schema.columns();
        let table = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("table")
            .to_string();
        let schema = Arc::new(
            parse_message_type(&message_type(&table, &columns))
                .context("the Parquet schema of a table does not parse")?,
        );
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?))
            // Row groups are cut by this writer, by bytes.
            .set_max_row_group_row_count(None)
            .build();
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        let writer = SerializedFileWriter::new(file, schema, Arc::new(properties))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(TableWriter {
            path,
            writer,
            columns: columns.into_iter().map(ColumnBuffer::new).collect(),
        })
    }

    /// Adds one row: a cell per column, in the schema's order.
    fn push<'a>(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) -> anyhow::Result<()> {
        let mut given = 0;
        for (buffer, cell) in self.columns.iter_mut().zip(cells) {
            given += 1;
            let nullable = buffer.column.nullable;
            match (&mut buffer.values, cell) {
                (_, Cell::Null) if nullable => {
                    buffer.defined.push(0);
                    continue;
                }
                (Values::Text { bytes, ends }, Cell::Text(text)) => {
                    bytes.extend_from_slice(text.as_bytes());
                    ends.push(bytes.len());
                }
                (Values::Count(values), Cell::Count(n)) => values.push(n),
                (Values::Day(values), Cell::Day(date)) => values.push(days_since_epoch(date)),
                (Values::Flag(values), Cell::Flag(flag)) => values.push(flag),
                _ => anyhow::bail!(
                    "{}: a cell of the wrong type for column {}",
                    self.path.display(),
                    buffer.column.name
                ),
            }
            if nullable {
                buffer.defined.push(1);
            }
        }
        if given != self.columns.len() {
            anyhow::bail!(
                "{}: a row of {given} cells for {} columns",
                self.path.display(),
                self.columns.len()
            );
        }
        Ok(())
    }

    /// Writes a row group when enough rows are buffered.
    fn flush_if_full(&mut self) -> anyhow::Result<()> {
        if self.columns.iter().map(ColumnBuffer::bytes).sum::<usize>() >= ROW_GROUP_BYTES {
            self.write_row_group()?;
        }
        Ok(())
    }

    fn write_row_group(&mut self) -> anyhow::Result<()> {
        let rows = self
            .columns
            .first()
            .map_or(0, |buffer| match &buffer.values {
                _ if buffer.column.nullable => buffer.defined.len(),
                Values::Text { ends, .. } => ends.len(),
                Values::Count(v) => v.len(),
                Values::Day(v) => v.len(),
                Values::Flag(v) => v.len(),
            });
        if rows == 0 {
            return Ok(());
        }
        let path = &self.path;
        let mut group = self
            .writer
            .next_row_group()
            .with_context(|| format!("cannot write {}", path.display()))?;
        for buffer in &mut self.columns {
            let Some(mut column) = group.next_column()? else {
                anyhow::bail!("{}: fewer columns than the schema", path.display());
            };
            let defined = buffer.column.nullable.then_some(buffer.defined.as_slice());
            match &mut buffer.values {
                Values::Text { bytes, ends } => {
                    let all = ByteArray::from(std::mem::take(bytes));
                    let mut start = 0;
                    let values: Vec<ByteArray> = ends
                        .iter()
                        .map(|&end| {
                            let value = all.slice(start, end - start);
                            start = end;
                            value
                        })
                        .collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, defined, None)?;
                }
                Values::Count(values) => {
                    column
                        .typed::<Int64Type>()
                        .write_batch(values, defined, None)?;
                }
                Values::Day(values) => {
                    column
                        .typed::<Int32Type>()
                        .write_batch(values, defined, None)?;
                }
                Values::Flag(values) => {
                    column
                        .typed::<BoolType>()
                        .write_batch(values, defined, None)?;
                }
            }
            column
                .close()
                .with_context(|| format!("cannot write {}", path.display()))?;
            buffer.clear();
        }
        group
            .close()
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// Writes the last row group and the footer.
    fn finish(mut self) -> anyhow::Result<()> {
        self.write_row_group()?;
        let path = self.path;
        // The writer buffers (its `TrackedWrite`): `into_inner` writes the
        // footer and flushes it.
        self.writer
            .into_inner()
            .map(drop)
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

fn issue_row(record: &IssueRecord, table: &mut TableWriter) -> anyhow::Result<()> {
    let issue = &record.issue;
    table.push([
        Cell::Text(&issue.id),
        Cell::Text(&issue.publication),
        day_cell(issue.date),
        issue
            .number
            .map_or(Cell::Null, |n| Cell::Count(i64::from(n))),
        Cell::Text(&issue.title),
        Cell::Text(&issue.source_path),
        Cell::Text(issue.format.as_str()),
        count_cell(issue.sections),
        count_cell(record.items.len()),
        count_cell(issue.links),
        count_cell(issue.boilerplate_lines),
        nullable_text(issue.url.as_deref()),
        Cell::Text(&issue.path),
    ])
}

fn item_rows(record: &IssueRecord, table: &mut TableWriter) -> anyhow::Result<()> {
    for item in &record.items {
        table.push([
            Cell::Text(&record.issue.id),
            Cell::Text(&item.id),
            day_cell(record.issue.date),
            Cell::Text(&item.section),
            Cell::Text(item.category.as_str()),
            Cell::Text(&item.title),
            nullable_text(item.url.as_deref()),
        ])?;
    }
    Ok(())
}

/// As mentions.csv: the entity's corpus-wide name, and whether it is a
/// constant of the issue's publication.
fn mention_rows(
    record: &IssueRecord,
    entities: &EntityLookup<'_>,
    constants: &Constants,
    table: &mut TableWriter,
) -> anyhow::Result<()> {
    let publication = record.issue.publication.as_str();
    for m in &record.mentions {
        let name = entities
            .get(&m.entity_id)
            .map_or(m.entity_name.as_str(), |e| e.name.as_str());
        table.push([
            Cell::Text(&m.issue_id),
            nullable_text(m.item_id.as_deref()),
            day_cell(m.date),
            Cell::Text(m.category.as_str()),
            Cell::Text(&m.entity_id),
            Cell::Text(name),
            Cell::Text(m.kind.as_str()),
            Cell::Text(m.via.as_str()),
            Cell::Text(&m.surface),
            Cell::Count(i64::from(m.count)),
            nullable_text(m.version.as_deref()),
            Cell::Flag(constants.is_constant(publication, &m.entity_id)),
        ])?;
    }
    Ok(())
}

fn link_rows(record: &IssueRecord, table: &mut TableWriter) -> anyhow::Result<()> {
    for l in &record.links {
        table.push([
            Cell::Text(&l.issue_id),
            nullable_text(l.item_id.as_deref()),
            Cell::Text(&l.url),
            Cell::Text(&l.host),
            Cell::Text(l.kind.as_str()),
            nullable_text(l.entity_id.as_deref()),
        ])?;
    }
    Ok(())
}

/// issues, items, mentions and links as Parquet, written as the records
/// stream past; entities from the summary at the end. `None` once
/// finished.
pub struct ParquetTables {
    folder: PathBuf,
    streamed: Option<Streamed>,
}

struct Streamed {
    constants: Constants,
    issues: TableWriter,
    items: TableWriter,
    mentions: TableWriter,
    links: TableWriter,
}

impl ParquetTables {
    /// `constants`: decided before the first record streams past, so each
    /// mention row can say whether it names one.
    pub fn create(folder: &Path, constants: Constants) -> anyhow::Result<ParquetTables> {
        let [issues, items, mentions, links, _] = PARQUET_TABLES;
        Ok(ParquetTables {
            folder: folder.to_path_buf(),
            streamed: Some(Streamed {
                constants,
                issues: TableWriter::create(folder.join(issues), &ISSUES)?,
                items: TableWriter::create(folder.join(items), &ITEMS)?,
                mentions: TableWriter::create(folder.join(mentions), &MENTIONS)?,
                links: TableWriter::create(folder.join(links), &LINKS)?,
            }),
        })
    }
}

impl Streamed {
    /// mentions (the largest table) is filled and compressed beside the
    /// other three.
    fn append(
        &mut self,
        records: &[IssueRecord],
        entities: &EntityLookup<'_>,
    ) -> anyhow::Result<()> {
        let Streamed {
            constants,
            issues,
            items,
            mentions,
            links,
        } = self;
        let (for_mentions, others) = rayon::join(
            || {
                for record in records {
                    mention_rows(record, entities, constants, mentions)?;
                }
                mentions.flush_if_full()
            },
            || {
                for record in records {
                    issue_row(record, issues)?;
                    item_rows(record, items)?;
                    link_rows(record, links)?;
                }
                issues.flush_if_full()?;
                items.flush_if_full()?;
                links.flush_if_full()
            },
        );
        for_mentions.and(others)
    }

    fn finish(self) -> anyhow::Result<()> {
        let Streamed {
            issues,
            items,
            mentions,
            links,
            ..
        } = self;
        let (for_mentions, others) = rayon::join(
            || mentions.finish(),
            || {
                issues.finish()?;
                items.finish()?;
                links.finish()
            },
        );
        for_mentions.and(others)
    }
}

impl RecordSink for ParquetTables {
    fn add(&mut self, records: &RecordChunk, entities: &EntityLookup<'_>) -> anyhow::Result<()> {
        let Some(streamed) = &mut self.streamed else {
            anyhow::bail!("records added to finished tables");
        };
        streamed.append(records, entities)
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        match self.streamed.take() {
            Some(streamed) => streamed.finish(),
            None => Ok(()),
        }
    }
}

impl Output for ParquetTables {
    fn name(&self) -> &str {
        "record tables (Parquet)"
    }

    fn files(&self) -> Vec<&str> {
        PARQUET_TABLES.to_vec()
    }

    fn sink(&mut self) -> Option<&mut dyn RecordSink> {
        Some(self)
    }

    /// The streamed tables are complete; entities.parquet needs the
    /// summary's tallies.
    fn write(&mut self, summary: &Summary, _context: &OutputContext) -> anyhow::Result<()> {
        let mut table = TableWriter::create(self.folder.join(PARQUET_TABLES[4]), &ENTITIES)?;
        for row in entity_rows(summary) {
            table.push([
                Cell::Text(row.entity_id),
                Cell::Text(row.name),
                Cell::Text(row.kind),
                nullable_text(Some(row.cncf)),
                nullable_text(Some(row.category)),
                nullable_text(Some(row.url)),
                count_cell(row.mentions),
                count_cell(row.issues),
                day_cell(summary_date(&row.first_seen)),
                day_cell(summary_date(&row.last_seen)),
                nullable_text(Some(&row.constant_of)),
                Cell::Text(row.source),
                nullable_text(Some(&row.repo)),
            ])?;
            table.flush_if_full()?;
        }
        table.finish()
    }
}

/// entities.csv's rows carry their dates rendered; read them back rather
/// than keep a second row type in step with the first.
fn summary_date(cell: &str) -> Option<Date> {
    Date::parse_from_str(cell, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_parse_and_name_every_column() {
        for (table, schema) in SCHEMAS {
            let columns = schema.columns();
            let parsed = parse_message_type(&message_type(table, &columns)).unwrap();
            let names: Vec<&str> = parsed.get_fields().iter().map(|f| f.name()).collect();
            assert_eq!(names, schema.header);
        }
    }

    const SCHEMAS: [(&str, &Schema); 5] = [
        ("issues", &ISSUES),
        ("items", &ITEMS),
        ("mentions", &MENTIONS),
        ("links", &LINKS),
        ("entities", &ENTITIES),
    ];

    #[test]
    fn every_typed_column_is_a_column_of_the_csv_header() {
        for (table, schema) in SCHEMAS {
            for (name, _) in schema.typed {
                assert!(schema.header.contains(name), "{table}: no column {name}");
            }
        }
        let mentions = MENTIONS.columns();
        assert_eq!(mentions[1].name, "item_id");
        assert!(mentions[1].nullable);
        assert_eq!(mentions[11].kind, Kind::Flag);
        assert!(!ISSUES.columns()[0].nullable);
    }

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days_since_epoch(Date::from_ymd_opt(1970, 1, 2).unwrap()), 1);
        assert_eq!(
            days_since_epoch(Date::from_ymd_opt(2022, 9, 16).unwrap()),
            19251
        );
    }

    #[test]
    fn a_cell_of_the_wrong_type_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut table = TableWriter::create(dir.path().join("links.parquet"), &LINKS).unwrap();
        let wrong = table.push([Cell::Count(1)]);
        assert!(wrong.is_err());
    }
}
