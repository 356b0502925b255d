//! The retrospective (`--at`, the last complete period, what the reports
//! open with) and the drawing (counts as entities.csv has them, the same
//! picture every run), on the sample and on LWKD.

mod common;

use std::path::{Path, PathBuf};

fn trends_json(input: &Path, extra: &[&str]) -> serde_json::Value {
    let output = common::run_ok(
        common::weeklygraph()
            .arg("trends")
            .arg(input)
            .args(["-q", "--json"])
            .args(extra),
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

fn build(input: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("retrospective-{name}"));
    common::run_ok(
        common::weeklygraph()
            .arg("build")
            .arg(input)
            .args(["-q", "-o"])
            .arg(&out)
            .args(extra),
    );
    out
}

#[test]
fn the_sample_reports_its_last_complete_period() {
    // The sample's last issue (2024-10-04) is within its median interval
    // between issues (28 days) of October's end: October is complete.
    let month = trends_json(&sample(), &[]);
    assert_eq!(month["period"], "2024-10");
    assert_eq!(month["period_length"], "month");
    // The quarter is not: the next issue is due 2024-11-01.
    let quarter = trends_json(&sample(), &["--period", "quarter"]);
    assert_eq!(quarter["period"], "2024-Q3");
    assert!(
        quarter["why"]
            .as_str()
            .unwrap()
            .contains("2024-Q4 is not over"),
        "{}",
        quarter["why"]
    );
    // A year over monthly series.
    let year = trends_json(&sample(), &["--at", "2023"]);
    assert_eq!(
        (&year["period"], &year["start"], &year["end"]),
        (
            &serde_json::json!("2023"),
            &serde_json::json!("2023-01-01"),
            &serde_json::json!("2023-12-31")
        )
    );
}

#[test]
fn at_refuses_a_period_shorter_than_a_step_or_outside_the_corpus() {
    let shorter = common::weeklygraph()
        .arg("trends")
        .arg(sample())
        .args(["-q", "--period", "year", "--at", "2024-10"])
        .output()
        .unwrap();
    assert!(!shorter.status.success());
    assert!(String::from_utf8_lossy(&shorter.stderr).contains("--period month"));
    let outside = common::weeklygraph()
        .arg("trends")
        .arg(sample())
        .args(["-q", "--at", "1999"])
        .output()
        .unwrap();
    assert!(!outside.status.success());
    assert!(String::from_utf8_lossy(&outside.stderr).contains("outside the corpus"));
    let malformed = common::weeklygraph()
        .args(["build", "--at", "last-year"])
        .output()
        .unwrap();
    assert_eq!(malformed.status.code(), Some(2));
}

fn summary_of(report_md: &Path) -> String {
    let text = std::fs::read_to_string(report_md).unwrap();
    let start = text.find(": the retrospective\n\n").unwrap();
    text[start..].lines().nth(2).unwrap().to_string()
}

#[test]
fn lwkd_retrospectives() {
    let Some(lwkd) = common::shared("corpus/lwkd") else {
        return;
    };
    // December 2024 is not over: its last issue is 2024-12-16 and LWKD is
    // weekly.
    let default = trends_json(&lwkd, &[]);
    assert_eq!(default["period"], "2024-11");
    assert!(
        default["why"]
            .as_str()
            .unwrap()
            .contains("2024-12 is not over")
    );

    let year = build(&lwkd, "lwkd-2023", &["--no-render", "--at", "2023"]);
    let summary = summary_of(&year.join("report.md"));
    assert!(
        summary.contains("): 46 issues, 844 items. Rising: Dynamic Resource Allocation (11 items"),
        "{summary}"
    );
    let quarter = build(&lwkd, "lwkd-2024-q4", &["--no-render", "--at", "2024-Q4"]);
    let summary = summary_of(&quarter.join("report.md"));
    assert!(
        summary.contains("Rising: in-place pod resize (7 items"),
        "{summary}"
    );
    assert!(
        summary.contains("Dynamic Resource Allocation (13 items"),
        "{summary}"
    );
    // No pull request is ever falling or gone; KEPs have their own table.
    let report = std::fs::read_to_string(quarter.join("report.md")).unwrap();
    let moved = &report[report.find("## 2024-Q4: what moved").unwrap()..];
    let moved = &moved[..moved.find("### KEPs that appeared").unwrap()];
    assert!(
        !moved.contains("| pr |") && !moved.contains("| kep |"),
        "{moved}"
    );
    // The KEP template's folder is no KEP-0.
    let entities = common::read_csv(&quarter.join("entities.csv"));
    assert!(entities.iter().all(|e| e["entity_id"] != "kep:0"));
    assert!(
        entities
            .iter()
            .all(|e| !e["url"].ends_with("enhancements/issues/0"))
    );
}

/// `weeklygraph` drew `graph.dot`; its tooltips count as entities.csv.
#[test]
fn lwkd_drawing_counts_as_entities_csv_and_is_the_same_every_run() {
    let Some(lwkd) = common::shared("corpus/lwkd") else {
        return;
    };
    let out = build(&lwkd, "lwkd-drawing", &["--no-render"]);
    let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
    let entities = common::read_csv(&out.join("entities.csv"));
    let kubectl = entities
        .iter()
        .find(|e| e["entity_id"] == "tool:kubectl")
        .unwrap();
    let tooltip = format!(
        "kubectl (tool:kubectl): {} mentions in {} issues",
        kubectl["mentions"], kubectl["issues"]
    );
    assert!(dot.contains(&tooltip), "{tooltip}");
    assert!(!dot.contains(" 1 co-mentions") && !dot.contains(": 1 mentions"));
    assert!(dot.contains("layout=neato overlap=prism splines=false"));
    if !common::graphviz("the pictures") {
        return;
    }
    let mut pictures = std::collections::BTreeSet::new();
    for _ in 0..10 {
        let svg = std::process::Command::new("dot")
            .arg("-Tsvg")
            .arg(out.join("graph.dot"))
            .output()
            .unwrap();
        assert!(svg.status.success());
        pictures.insert(svg.stdout);
    }
    assert_eq!(pictures.len(), 1, "graph.svg differs from run to run");
    // Labels of 15 pt stay at least 11 px when the picture is shown as
    // wide as report.html's graph box on a 1400 px window (1368 px).
    let svg = String::from_utf8(pictures.into_iter().next().unwrap()).unwrap();
    let width: f64 = svg
        .split("<svg width=\"")
        .nth(1)
        .and_then(|rest| rest.split("pt\"").next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    assert!(15.0 * 1368.0 / width >= 11.0, "picture {width} pt wide");
}
