//! The outputs as a whole: the committed sample outputs are current, and the
//! same input gives byte-identical files whatever the thread count.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Pictures depend on the installed Graphviz version, so only the files
/// weeklygraph itself writes are compared.
fn text_outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("output folder exists") {
        let path = entry.expect("readable entry").path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let rendered = name.ends_with(".svg") || name.ends_with(".png") || name.ends_with(".db");
        if path.is_file() && !rendered {
            let bytes = fs::read(&path).expect("readable output");
            files.insert(name, without_rendered_graph(bytes));
        }
    }
    files
}

/// report.html inlines graph.svg when Graphviz is installed; that part is
/// left out of comparisons like the picture itself.
fn without_rendered_graph(bytes: Vec<u8>) -> Vec<u8> {
    use weeklygraph::export::report_html::{GRAPH_END, GRAPH_START};
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        return bytes;
    };
    match (text.find(GRAPH_START), text.find(GRAPH_END)) {
        (Some(start), Some(end)) if start < end => {
            let rest = &text[end + GRAPH_END.len()..];
            format!(
                "{}{}",
                &text[..start],
                rest.strip_prefix('\n').unwrap_or(rest)
            )
            .into_bytes()
        }
        _ => bytes,
    }
}

fn build(inputs: &[&Path], out: &Path, extra: &[&str]) {
    let mut command = common::weeklygraph();
    command.arg("build").args(inputs).arg("-o").arg(out);
    command.args(["--no-render", "--quiet"]).args(extra);
    let result = command.output().expect("weeklygraph runs");
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn committed_sample_outputs_are_current() {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("output");
    build(&[Path::new("data/sample")], &out, &[]);
    let committed = text_outputs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("output"));
    let regenerated = text_outputs(&out);
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        regenerated.keys().collect::<Vec<_>>(),
        "output/ lists other files than a fresh build; regenerate with `cargo run --release -- build`"
    );
    for (name, bytes) in &regenerated {
        // The marker lists the files written, and output/ has the pictures
        // this build does not draw; the names were compared above.
        if name == weeklygraph::export::MARKER_FILE {
            continue;
        }
        assert!(
            committed.get(name) == Some(bytes),
            "output/{name} is stale; regenerate with `cargo run --release -- build`"
        );
    }
}

#[test]
fn outputs_are_identical_whatever_the_thread_count() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let files = check_thread_counts(&[sample.as_path()]);
    // Every table, graph and report of a build without --sqlite and
    // --knowledge.
    assert_eq!(
        files,
        [
            ".weeklygraph",
            "candidates.csv",
            "edges.csv",
            "entities.csv",
            "graph.dot",
            "graph.graphml",
            "graph.json",
            "issues.csv",
            "items.csv",
            "lead_lag.csv",
            "links.csv",
            "mentions.csv",
            "nodes.csv",
            "periods.csv",
            "report.html",
            "report.md",
            "trends.csv"
        ]
    );
    let Some(neco) = common::shared("corpus/neco-weekly") else {
        return;
    };
    let Some(lwkd) = common::shared("corpus/lwkd") else {
        return;
    };
    check_thread_counts(&[neco.as_path(), lwkd.as_path()]);
}

/// Builds `inputs` with 1, 2 and 8 threads and fails unless the outputs
/// are the same bytes; returns their names.
fn check_thread_counts(inputs: &[&Path]) -> Vec<String> {
    let dirs = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for jobs in ["1", "2", "8"] {
        let out = dirs.path().join(format!("jobs-{jobs}"));
        build(inputs, &out, &["--jobs", jobs]);
        runs.push((jobs, text_outputs(&out)));
    }
    let (_, first) = &runs[0];
    assert!(first.contains_key("mentions.csv") && first.contains_key("issues.csv"));
    for (jobs, files) in &runs[1..] {
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            files.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in files {
            assert!(
                first[name] == *bytes,
                "{name} differs between --jobs 1 and --jobs {jobs}"
            );
        }
    }
    first.keys().cloned().collect()
}

/// Drawings included: ten builds with Graphviz, on one thread and on two,
/// give the same graph.svg and report.html (which inlines it).
#[test]
fn pictures_and_the_html_report_are_identical_over_ten_runs() {
    if !common::graphviz("the drawing comparison") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut seen: BTreeMap<&str, BTreeMap<Vec<u8>, usize>> = BTreeMap::new();
    for run in 0..10 {
        let out = work.path().join(format!("out-{run}"));
        let jobs = if run % 2 == 0 { "1" } else { "2" };
        let result = common::weeklygraph()
            .args(["build", "data/sample", "--quiet", "--jobs", jobs, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        for name in ["graph.svg", "report.html"] {
            let bytes = fs::read(out.join(name)).unwrap();
            *seen.entry(name).or_default().entry(bytes).or_default() += 1;
        }
    }
    for (name, versions) in &seen {
        assert_eq!(
            versions.len(),
            1,
            "{name}: {} different files in 10 runs",
            versions.len()
        );
    }
}

/// The drawing carries its legend (community colours, shapes) inside the
/// SVG; report.html inlines it and does not list it a second time.
#[test]
fn the_html_report_shows_the_graph_legend_once() {
    if !common::graphviz("the legend check") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let result = common::weeklygraph()
        .args(["build", "data/sample", "--quiet", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let svg = fs::read_to_string(out.join("graph.svg")).unwrap();
    let legend_line = "alone in its community among those drawn";
    assert_eq!(svg.matches(legend_line).count(), 1);
    assert_eq!(html.matches(legend_line).count(), 1, "the legend twice");
    assert!(html.contains("Hover a node for its counts."));
}
