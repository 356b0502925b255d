//! Several publications in one corpus: lead_lag.csv, the report's "Across
//! publications" section, and the retrospective SQL queries README.md shows.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

/// lead_lag.csv's rows: entity → [(publication, first_seen, lag_days)].
fn lead_lag(folder: &Path) -> BTreeMap<String, Vec<(String, String, i64)>> {
    let mut reader = csv::Reader::from_path(folder.join("lead_lag.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..4],
        ["entity", "publication", "first_seen", "lag_days"]
    );
    let mut rows: BTreeMap<String, Vec<(String, String, i64)>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        rows.entry(record[0].to_string()).or_default().push((
            record[1].to_string(),
            record[2].to_string(),
            record[3].parse().unwrap(),
        ));
    }
    rows
}

fn row(publication: &str, first_seen: &str, lag_days: i64) -> (String, String, i64) {
    (publication.to_string(), first_seen.to_string(), lag_days)
}

#[test]
fn neco_weekly_and_lwkd_show_who_covered_what_first() {
    let (Some(neco), Some(lwkd)) = (
        common::shared("corpus/neco-weekly"),
        common::shared("corpus/lwkd"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(&out)
            .arg(&neco)
            .arg(&lwkd),
    );
    let rows = lead_lag(&out);
    // The one KEP both name: LWKD linked its KEP in October 2022, Neco
    // Weekly named it 156 days later.
    let keps: Vec<&String> = rows.keys().filter(|id| id.starts_with("kep:")).collect();
    assert_eq!(keps, ["kep:3488"]);
    assert_eq!(
        rows["kep:3488"],
        [
            row("LWKD", "2022-10-12", 0),
            row("Neco Weekly", "2023-03-17", 156)
        ]
    );
    // A pull request LWKD listed three days before Neco Weekly did.
    assert_eq!(
        rows["pr:kubernetes/kubernetes#111122"],
        [
            row("LWKD", "2022-09-13", 0),
            row("Neco Weekly", "2022-09-16", 3)
        ]
    );
    // And one Neco Weekly covered long before LWKD.
    assert_eq!(
        rows["tool:cilium"],
        [
            row("Neco Weekly", "2022-07-22", 0),
            row("LWKD", "2024-01-31", 558)
        ]
    );
    // LWKD named Kubernetes years before Neco Weekly existed: no lead.
    assert!(!rows.contains_key("tool:kubernetes"));
    assert_eq!(rows.len(), 15);
    assert!(rows.values().all(|r| r.len() >= 2 && r[0].2 == 0));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<h2>Across publications</h2>"));
    assert!(report.contains(
        "<td>Cilium</td><td>tool</td><td>Neco Weekly</td><td>2022-07-22</td>\
         <td>LWKD 79 weeks later (2024-01-31)</td>"
    ));
}

#[test]
fn one_publication_has_an_empty_table_and_no_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(&out)
            .arg("data/sample/lwkd"),
    );
    assert!(lead_lag(&out).is_empty());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("Across publications"));
}

/// The ```sql blocks of README.md's "Retrospective queries".
fn readme_queries() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### Retrospective queries")
        .nth(1)
        .expect("README.md has the section")
        .split("\n## ")
        .next()
        .unwrap();
    section
        .split("```sql\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_readme_queries_run_in_sqlite3() {
    if std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI installs sqlite3"
        );
        eprintln!("sqlite3 is not installed; README queries not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "--sqlite", "-o"])
            .arg(&out)
            .arg("data/sample"),
    );
    let queries = readme_queries();
    assert_eq!(queries.len(), 3);
    let answers: Vec<String> = queries
        .iter()
        .map(|query| {
            let output = common::run_ok(
                std::process::Command::new("sqlite3")
                    .arg(out.join("weeklygraph.db"))
                    .arg(query),
            );
            String::from_utf8(output.stdout).unwrap()
        })
        .collect();
    assert!(
        answers[0].starts_with("Kubernetes|19\nCybozu|9\n"),
        "{}",
        answers[0]
    );
    assert!(
        answers[1].starts_with("2024-10|Container Runtime Interface|1\n"),
        "{}",
        answers[1]
    );
    assert!(
        answers[2].starts_with("KubeCon + CloudNativeCon|LWKD|304|lwkd/2024-03-10-update.md\n"),
        "{}",
        answers[2]
    );
}
