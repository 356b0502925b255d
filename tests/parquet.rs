//! `build --format parquet`: the record tables and entities as Parquet,
//! read back with the parquet crate's own reader.

mod common;

use std::path::Path;

use common::{Row, read_csv, run_ok, weeklygraph};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

fn build(out: &Path, extra: &[&str]) {
    run_ok(
        weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(out)
            .args(extra)
            .arg("data/sample"),
    );
}

/// A Parquet table as rows by column name, every cell written as the CSV
/// writes it: NULL as an empty cell, a DATE as YYYY-MM-DD.
fn read_parquet(path: &Path) -> Vec<Row> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = SerializedFileReader::new(file).unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(name, field)| {
                    let cell = match field {
                        Field::Null => String::new(),
                        Field::Str(text) => text.clone(),
                        Field::Long(n) => n.to_string(),
                        Field::Bool(flag) => flag.to_string(),
                        Field::Date(days) => {
                            (epoch + chrono::Duration::days(i64::from(*days))).to_string()
                        }
                        other => panic!("{name}: unexpected {other:?}"),
                    };
                    (name.clone(), cell)
                })
                .collect()
        })
        .collect()
}

/// Column names and types, as "name TYPE" in schema order.
fn schema_of(path: &Path) -> Vec<String> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    schema
        .columns()
        .iter()
        .map(|c| {
            let logical = c
                .logical_type_ref()
                .map(|t| format!(" {t:?}"))
                .unwrap_or_default();
            format!("{} {}{logical}", c.name(), c.physical_type())
        })
        .collect()
}

#[test]
fn parquet_tables_hold_the_csv_rows_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_out, parquet_out) = (dir.path().join("csv"), dir.path().join("parquet"));
    // --raw-csv: cells as they are, as Parquet keeps them.
    build(&csv_out, &["--raw-csv"]);
    build(&parquet_out, &["--format", "parquet"]);

    for (table, rows) in [
        ("issues", 26),
        ("items", 122),
        ("mentions", 348),
        ("links", 123),
        ("entities", 123),
    ] {
        let from_csv = read_csv(&csv_out.join(format!("{table}.csv")));
        let from_parquet = read_parquet(&parquet_out.join(format!("{table}.parquet")));
        assert_eq!(from_parquet.len(), rows, "{table}.parquet rows");
        assert_eq!(from_csv.len(), rows, "{table}.csv rows");
        assert_eq!(from_parquet, from_csv, "{table}: Parquet against CSV");
        // The CSV record tables are not written beside their Parquet ones.
        assert!(!parquet_out.join(format!("{table}.csv")).exists());
    }

    let mentions = read_parquet(&parquet_out.join("mentions.parquet"));
    let first = &mentions[0];
    assert_eq!(first["issue_id"], "neco-weekly-2023-01-13");
    assert_eq!(first["date"], "2023-01-13");
    assert_eq!(first["item_id"], "", "outside items: NULL");
    let moco = read_parquet(&parquet_out.join("entities.parquet"))
        .into_iter()
        .find(|row| row["entity_id"] == "neco:moco")
        .unwrap();
    assert_eq!(moco["name"], "MOCO");
    assert_eq!(moco["mentions"], "11");
    assert_eq!(moco["first_seen"], "2023-01-13");

    let schema = schema_of(&parquet_out.join("mentions.parquet"));
    assert_eq!(schema[2], "date INT32 Date");
    assert_eq!(schema[9], "count INT64");
    assert_eq!(schema[11], "constant BOOLEAN");
    assert_eq!(schema[4], "entity_id BYTE_ARRAY String");
}

/// Going from one format to the other in one output folder: the manifest
/// lists what the last build wrote, so the next build may replace it.
#[test]
fn the_manifest_lists_the_parquet_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&out, &["--format", "parquet"]);
    let manifest = std::fs::read_to_string(out.join(".weeklygraph")).unwrap();
    let listed: Vec<&str> = manifest.lines().skip(1).collect();
    for file in [
        "mentions.parquet",
        "entities.parquet",
        "nodes.csv",
        "trends.csv",
    ] {
        assert!(listed.contains(&file), "{file} not in {listed:?}");
    }
    assert!(!listed.contains(&"mentions.csv"));
    build(&out, &[]);
    assert!(out.join("mentions.csv").exists());
    assert!(!out.join("mentions.parquet").exists());
    build(&out, &["--format", "parquet"]);
    assert!(out.join("links.parquet").exists());
}
