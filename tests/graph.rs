//! The co-mention graph and its exports, on the real corpora: edges traced
//! to items, the Graphviz picture, GraphML and JSON in networkx, SQL in
//! sqlite3.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{Row, read_csv};

/// Runs `weeklygraph build` once per corpus for the whole test binary, with
/// every output switched on, into cargo's scratch folder. `sample` is the
/// committed data/sample; the others are the real corpora, `None` without
/// ../shared.
fn built(corpus: &str) -> Option<PathBuf> {
    static SAMPLE: OnceLock<PathBuf> = OnceLock::new();
    static NECO: OnceLock<PathBuf> = OnceLock::new();
    static LWKD: OnceLock<PathBuf> = OnceLock::new();
    let (cell, input) = match corpus {
        "sample" => (&SAMPLE, sample()),
        "neco-weekly" => (&NECO, common::shared("corpus/neco-weekly")?),
        "lwkd" => (&LWKD, common::shared("corpus/lwkd")?),
        _ => unreachable!("no such corpus in these tests"),
    };
    let output = cell.get_or_init(|| {
        let output = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("graph-{corpus}"));
        build(
            &input,
            &output,
            &["--render", "svg,png", "--sqlite", "--knowledge"],
        );
        output
    });
    Some(output.clone())
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// Where MOCO first meets MySQL, and the size of the corpus, in the
/// sample and in the Neco Weekly corpus.
struct MocoFacts {
    corpus: &'static str,
    input: fn() -> Option<PathBuf>,
    issues: usize,
    items: usize,
    first_seen: &'static str,
    first_item: &'static str,
    first_link: &'static str,
}

const MOCO_FACTS: [MocoFacts; 2] = [
    MocoFacts {
        corpus: "sample",
        input: || Some(sample()),
        issues: 26,
        items: 122,
        first_seen: "2023-01-13",
        first_item: "neco-weekly-2023-01-13#1",
        first_link: "https://github.com/cybozu-go/moco/releases",
    },
    MocoFacts {
        corpus: "neco-weekly",
        input: || common::shared("corpus/neco-weekly"),
        issues: 8,
        items: 72,
        first_seen: "2022-09-16",
        first_item: "neco-weekly-2022-09-16#1",
        first_link: "https://github.com/cybozu-go/moco/releases/tag/v0.13.0",
    },
];

fn build(input: &Path, output: &Path, extra: &[&str]) -> std::process::Output {
    common::run_ok(
        common::weeklygraph()
            .arg("build")
            .arg(input)
            .arg("-q")
            .arg("-o")
            .arg(output)
            .args(extra),
    )
}

/// A tool the test needs: present, or the test is skipped with a notice —
/// except in CI, which installs it.
fn have(program: &str, probe: &[&str]) -> bool {
    let found = Command::new(program)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{program} is missing, and CI installs it");
        }
        eprintln!("note: {program} not usable here; skipping this test");
    }
    found
}

#[test]
fn moco_is_joined_to_mysql_by_its_first_moco_item() {
    for facts in &MOCO_FACTS {
        let Some(out) = built(facts.corpus) else {
            continue;
        };
        check_moco_is_joined_to_mysql(facts, &out);
    }
}

fn check_moco_is_joined_to_mysql(facts: &MocoFacts, out: &Path) {
    let edges = read_csv(&out.join("edges.csv"));
    let edge = edges
        .iter()
        .find(|e| e["source"] == "neco:moco" && e["target"] == "tool:mysql")
        .expect("an edge neco:moco – tool:mysql");
    assert_eq!(edge["first_seen"], facts.first_seen);

    let items = read_csv(&out.join("items.csv"));
    let mentions = read_csv(&out.join("mentions.csv"));
    let joining: Vec<&Row> = items
        .iter()
        .filter(|item| {
            ["neco:moco", "tool:mysql"].iter().all(|entity| {
                mentions
                    .iter()
                    .any(|m| m["item_id"] == item["item_id"] && m["entity_id"] == *entity)
            })
        })
        .collect();
    assert!(
        joining
            .iter()
            .any(|i| i["date"] == facts.first_seen && i["title"].contains("MOCO")),
        "{joining:?}"
    );

    let neighbors = common::weeklygraph()
        .args(["neighbors", "moco", "-q"])
        .arg((facts.input)().unwrap())
        .output()
        .unwrap();
    assert!(neighbors.status.success());
    let text = String::from_utf8_lossy(&neighbors.stdout);
    assert!(text.starts_with("MOCO (neco:moco): "), "{text}");
    let mysql = text
        .split("\n\n")
        .find(|block| block.contains("MySQL (tool:mysql)"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(mysql.contains(facts.first_seen), "{mysql}");
}

#[test]
fn every_edge_is_traced_to_items_mentioning_both_ends() {
    let out = built("sample").unwrap();
    assert_eq!(read_csv(&out.join("edges.csv")).len(), 242);
    check_edges_are_traced(&out);
    if let Some(out) = built("neco-weekly") {
        check_edges_are_traced(&out);
    }
}

fn check_edges_are_traced(out: &Path) {
    let mut entities_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in read_csv(&out.join("mentions.csv")) {
        if !m["item_id"].is_empty() {
            entities_of
                .entry(m["item_id"].clone())
                .or_default()
                .insert(m["entity_id"].clone());
        }
    }
    let edges = read_csv(&out.join("edges.csv"));
    assert!(edges.len() > 20, "{} edges", edges.len());
    for edge in &edges {
        let both = entities_of
            .values()
            .filter(|e| e.contains(&edge["source"]) && e.contains(&edge["target"]))
            .count();
        // With the default item window the weight is exactly that count.
        assert_eq!(both.to_string(), edge["weight"], "{edge:?}");
        assert!(edge["source"] < edge["target"]);
    }
    // And each endpoint is a row of nodes.csv.
    let nodes: BTreeSet<String> = read_csv(&out.join("nodes.csv"))
        .into_iter()
        .map(|n| n["entity_id"].clone())
        .collect();
    for edge in &edges {
        assert!(nodes.contains(&edge["source"]) && nodes.contains(&edge["target"]));
    }
}

/// The top 40 entities of nodes.csv by mentions, ties by id: what the
/// drawing shows.
/// The 40 most mentioned nodes that are no publication's constant (the
/// drawing leaves those out).
fn drawn_entities(out: &Path) -> BTreeSet<String> {
    let mut nodes = read_csv(&out.join("nodes.csv"));
    // Constants, pull requests and KEPs are not drawn (README, "The drawing").
    nodes.retain(|n| {
        n["constant_of"].is_empty()
            && !n["entity_id"].starts_with("pr:")
            && !n["entity_id"].starts_with("kep:")
    });
    nodes.sort_by(|a, b| {
        let mentions = |r: &Row| r["mentions"].parse::<u32>().unwrap();
        mentions(b)
            .cmp(&mentions(a))
            .then_with(|| a["entity_id"].cmp(&b["entity_id"]))
    });
    nodes
        .into_iter()
        .take(40)
        .map(|n| n["entity_id"].clone())
        .collect()
}

fn check_svg(corpus: &str) {
    let Some(out) = built(corpus) else {
        return;
    };
    if !have("dot", &["-V"]) {
        return;
    }
    let svg = std::fs::read_to_string(out.join("graph.svg")).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(&svg, options).unwrap();
    assert!(document.root_element().has_tag_name("svg"));
    let drawn: BTreeSet<String> = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .map(|n| {
            n.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let expected = drawn_entities(&out);
    assert_eq!(expected.len(), 40, "{corpus} has fewer than 40 entities");
    assert_eq!(drawn, expected);
    let png = std::fs::read(out.join("graph.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn graph_svg_of_the_sample_draws_its_top_40_entities() {
    check_svg("sample");
}

#[test]
fn graph_svg_of_neco_draws_its_top_40_entities() {
    check_svg("neco-weekly");
}

#[test]
fn graph_svg_of_lwkd_draws_its_top_40_entities() {
    check_svg("lwkd");
}

#[test]
fn networkx_reads_graph_graphml_with_every_attribute() {
    if !have("python3", &["-c", "import networkx"]) {
        return;
    }
    for corpus in ["sample", "neco-weekly"] {
        if let Some(out) = built(corpus) {
            check_networkx_reads(&out);
        }
    }
}

fn check_networkx_reads(out: &Path) {
    let script = r#"
import json, sys, networkx
g = networkx.read_graphml(sys.argv[1])
data = json.load(open(sys.argv[2], encoding="utf-8"))
try:
    j = networkx.node_link_graph(data, edges="links")
except TypeError:  # networkx before 3.4 names it link= and defaults to "links"
    j = networkx.node_link_graph(data)
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "json": [j.number_of_nodes(), j.number_of_edges()],
                  "moco": g.nodes["neco:moco"],
                  "edge": g.edges["neco:moco", "tool:mysql"]}, sort_keys=True))
"#;
    let result = common::run_ok(
        Command::new("python3")
            .args(["-c", script])
            .arg(out.join("graph.graphml"))
            .arg(out.join("graph.json")),
    );
    let read: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    let nodes = read_csv(&out.join("nodes.csv"));
    let edges = read_csv(&out.join("edges.csv"));
    assert_eq!(read["nodes"], nodes.len());
    assert_eq!(read["edges"], edges.len());
    assert_eq!(read["json"], serde_json::json!([nodes.len(), edges.len()]));

    let moco = nodes
        .iter()
        .find(|n| n["entity_id"] == "neco:moco")
        .unwrap();
    let attributes = &read["moco"];
    assert_eq!(attributes["name"], moco["name"].as_str());
    assert_eq!(attributes["kind"], "neco");
    for int in [
        "mentions",
        "issues",
        "degree",
        "weighted_degree",
        "community",
    ] {
        assert_eq!(
            attributes[int].as_i64().unwrap().to_string(),
            moco[int],
            "{int}"
        );
    }
    let pagerank = attributes["pagerank"].as_f64().unwrap();
    assert_eq!(format!("{pagerank:.6}"), moco["pagerank"]);
    assert!(read["edge"]["items"].as_str().unwrap().contains('#'));
    assert!(read["edge"]["npmi"].is_f64());
}

#[test]
fn sqlite3_answers_questions_about_the_graph() {
    if !have("sqlite3", &["-version"]) {
        return;
    }
    for facts in &MOCO_FACTS {
        if let Some(out) = built(facts.corpus) {
            check_sqlite3_answers(facts, &out);
        }
    }
}

fn check_sqlite3_answers(facts: &MocoFacts, out: &Path) {
    let query = |sql: &str| -> String {
        let result = common::run_ok(
            Command::new("sqlite3")
                .arg(out.join("weeklygraph.db"))
                .arg(sql),
        );
        String::from_utf8(result.stdout).unwrap()
    };
    let tables = query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    for table in [
        "edges", "entities", "issues", "items", "links", "mentions", "nodes",
    ] {
        assert!(tables.lines().any(|t| t == table), "{tables}");
    }
    let edges = read_csv(&out.join("edges.csv"));
    assert_eq!(
        query("SELECT count(*) FROM edges").trim(),
        edges.len().to_string()
    );
    assert_eq!(
        query("SELECT count(*) FROM issues").trim(),
        facts.issues.to_string()
    );
    // Which items join MOCO and MySQL, and when.
    let joining = query(
        "SELECT items.date FROM edge_items JOIN items USING (item_id)
         WHERE source = 'neco:moco' AND target = 'tool:mysql' ORDER BY items.date",
    );
    assert_eq!(joining.lines().next(), Some(facts.first_seen), "{joining}");
    // The same answer from the knowledge-graph tables alone.
    let via_mentions = query(
        "SELECT DISTINCT a.date FROM mentions a JOIN mentions b USING (item_id)
         WHERE a.entity_id = 'neco:moco' AND b.entity_id = 'tool:mysql' ORDER BY a.date",
    );
    let dates: BTreeSet<&str> = joining.lines().collect();
    assert_eq!(via_mentions.lines().collect::<BTreeSet<_>>(), dates);
}

#[test]
fn filters_keep_what_they_say() {
    // data/sample: every edge counted for September 2023, those of weight
    // two or more over the whole sample.
    let (september, heavy) = check_filters("sample", &sample(), ("2023-09-01", "2023-09-30"));
    assert_eq!((september, heavy), (27, 58));
    if let Some(input) = common::shared("corpus/neco-weekly") {
        check_filters("neco-weekly", &input, ("2022-09-01", "2022-09-30"));
    }
}

/// Checks `--kind` with `--top`, `--since` with `--until`, and
/// `--min-weight`; returns the edge counts of the last two.
fn check_filters(corpus: &str, input: &Path, (since, until): (&str, &str)) -> (usize, usize) {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));

    let necos = scratch.join(format!("graph-filter-kind-{corpus}"));
    build(
        input,
        &necos,
        &["--no-render", "--kind", "neco,tool", "--top", "10"],
    );
    let nodes = read_csv(&necos.join("nodes.csv"));
    assert_eq!(nodes.len(), 10);
    assert!(
        nodes
            .iter()
            .all(|n| n["kind"] == "neco" || n["kind"] == "tool")
    );

    let month = scratch.join(format!("graph-filter-dates-{corpus}"));
    build(
        input,
        &month,
        &[
            "--no-render",
            "--since",
            since,
            "--until",
            until,
            "--min-weight",
            "1",
        ],
    );
    let month_edges = read_csv(&month.join("edges.csv"));
    assert!(!month_edges.is_empty());
    for edge in &month_edges {
        assert!(edge["first_seen"].as_str() >= since, "{edge:?}");
        assert!(edge["last_seen"].as_str() <= until, "{edge:?}");
    }
    let heavy = scratch.join(format!("graph-filter-weight-{corpus}"));
    build(input, &heavy, &["--no-render", "--min-weight", "2"]);
    let edges = read_csv(&heavy.join("edges.csv"));
    assert!(
        edges
            .iter()
            .all(|e| e["weight"].parse::<u32>().unwrap() >= 2)
    );
    (month_edges.len(), edges.len())
}

#[test]
fn graph_outputs_are_byte_identical_across_runs() {
    for facts in &MOCO_FACTS {
        if let Some(input) = (facts.input)() {
            check_runs_are_identical(facts.corpus, &input);
        }
    }
}

fn check_runs_are_identical(corpus: &str, input: &Path) {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (first, second) = (
        scratch.join(format!("graph-again-{corpus}-1")),
        scratch.join(format!("graph-again-{corpus}-2")),
    );
    build(input, &first, &["--no-render", "--jobs", "1"]);
    build(input, &second, &["--no-render", "--jobs", "2"]);
    for file in [
        "nodes.csv",
        "edges.csv",
        "graph.dot",
        "graph.graphml",
        "graph.json",
    ] {
        let a = std::fs::read(first.join(file)).unwrap();
        let b = std::fs::read(second.join(file)).unwrap();
        assert!(a == b, "{corpus}: {file} differs between runs");
    }
}

#[test]
fn render_command_writes_the_format_of_the_extension() {
    let scratch = tempfile::tempdir().unwrap();
    let dot_file = scratch.path().join("graph.dot");
    let missing = common::weeklygraph()
        .arg("render")
        .arg(&dot_file)
        .arg("-o")
        .arg(scratch.path().join("graph.svg"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("graph.dot not found"));

    if !have("dot", &["-V"]) {
        return;
    }
    std::fs::write(&dot_file, "graph { \"neco:moco\" -- \"tool:mysql\" }\n").unwrap();
    let png = scratch.path().join("graph.png");
    let rendered = common::weeklygraph()
        .arg("render")
        .arg(&dot_file)
        .arg("-o")
        .arg(&png)
        .output()
        .unwrap();
    assert!(rendered.status.success());
    assert_eq!(&std::fs::read(&png).unwrap()[..4], b"\x89PNG");
}

/// knowledge.graphml holds issue —contains→ item —mentions→ entity and
/// item —links→ URL: the MOCO–MySQL co-mention is the MOCO item of
/// 2022-09-16 mentioning both, inside that issue, linking MOCO's release.
#[test]
fn knowledge_graph_traces_moco_and_mysql_to_their_item() {
    for facts in &MOCO_FACTS {
        if let Some(out) = built(facts.corpus) {
            check_knowledge_graph(facts, &out);
        }
    }
}

fn check_knowledge_graph(facts: &MocoFacts, out: &Path) {
    let text = std::fs::read_to_string(out.join("knowledge.graphml")).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let data = |node: roxmltree::Node, key: &str| {
        node.children()
            .find(|c| c.attribute("key") == Some(key))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    let mut edges = BTreeSet::new();
    for edge in document.descendants().filter(|n| n.has_tag_name("edge")) {
        edges.insert((
            edge.attribute("source").unwrap().to_string(),
            data(edge, "e_relation"),
            edge.attribute("target").unwrap().to_string(),
        ));
    }
    let item = facts.first_item;
    let issue = item.split('#').next().unwrap();
    for (source, relation, target) in [
        (issue, "contains", item),
        (item, "mentions", "neco:moco"),
        (item, "mentions", "tool:mysql"),
        (item, "links", facts.first_link),
    ] {
        let edge = (source.to_string(), relation.to_string(), target.to_string());
        assert!(edges.contains(&edge), "missing {edge:?}");
    }
    // One `mentions` edge per mention row inside an item, one `contains`
    // edge per item.
    let mentions = read_csv(&out.join("mentions.csv"));
    let in_items = mentions.iter().filter(|m| !m["item_id"].is_empty()).count();
    let count = |relation: &str| edges.iter().filter(|(_, r, _)| r == relation).count();
    assert_eq!(count("mentions"), in_items);
    assert_eq!(count("contains"), facts.items);
    let types: BTreeSet<String> = document
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .map(|n| data(n, "n_type"))
        .collect();
    assert_eq!(
        types,
        ["entity", "issue", "item", "url"].map(String::from).into()
    );
}
