//! Property tests: every writer carries any string, however hostile, into
//! its format and back, or escapes it so the format's own parser reads the
//! same text. Where a format cannot hold a character at all (XML forbids
//! most control characters, DOT labels have no way to write them), the test
//! states what the writer puts in its place.

use std::process::Command;

use graphviz_rust::dot_structures::{Attribute, Graph, Id, Stmt};
use proptest::prelude::*;
use serde::Serialize;
use weeklygraph::export::{csv, dot, graphml, json, report_html};
use weeklygraph::graph::backbone;
use weeklygraph::graph::{CoMentionGraph, Edge, Node};
use weeklygraph::model::EntityKind;

/// Any string, with the characters that break formats made common: plain
/// `any::<String>()` would rarely produce a quote next to a backslash.
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '"',
        '\'',
        '\\',
        '<',
        '>',
        '&',
        ';',
        '#',
        ',',
        '{',
        '}',
        '[',
        ']',
        '=',
        '\n',
        '\r',
        '\t',
        '\0',
        '\u{1}',
        '\u{b}',
        '\u{c}',
        '\u{1f}',
        '\u{7f}',
        '\u{85}',
        '\u{a0}',
        '\u{2028}',
        '\u{feff}',
        '\u{fffd}',
        '\u{fffe}',
        '\u{ffff}',
        'n',
        'N',
        'l',
        'G',
        ' ',
        'モ',
        'コ',
        '\u{1f408}',
    ]);
    prop::collection::vec(prop_oneof![special, any::<char>()], 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A two-node, one-edge graph whose names and ids carry the given texts.
fn graph_named(first: &str, second: &str) -> CoMentionGraph {
    let node = |entity_id: String, name: &str| Node {
        entity_id,
        name: name.to_string(),
        kind: EntityKind::Tool,
        mentions: 2,
        issues: 1,
        degree: 1,
        weighted_degree: 1,
        pagerank: 0.5,
        community: 0,
    };
    let mut graph = CoMentionGraph::default();
    // Ids keep entity-id order whatever the texts are.
    let a = graph.graph.add_node(node(format!("a:{first}"), first));
    let b = graph.graph.add_node(node(format!("b:{second}"), second));
    graph.graph.add_edge(
        a,
        b,
        Edge {
            weight: 1,
            issues: 1,
            npmi: 1.0,
            first_seen: None,
            last_seen: None,
            windows: weeklygraph::graph::EdgeWindows::from([first, second]),
        },
    );
    graph.window_count = 1;
    graph
}

// ---------------------------------------------------------------- CSV

use weeklygraph::export::csv_cells::neutralised;

#[derive(Serialize)]
struct Row {
    name: String,
    note: String,
}

proptest! {
    #[test]
    fn csv_cells_round_trip(name in hostile_text(), note in hostile_text()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("table.csv");
        let row = Row { name: name.clone(), note: note.clone() };
        csv::write_rows(&path, &["name", "note"], [row]).unwrap();

        let mut reader = ::csv::Reader::from_path(&path).unwrap();
        prop_assert_eq!(reader.headers().unwrap(), vec!["name", "note"]);
        let records: Vec<::csv::StringRecord> =
            reader.records().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(records.len(), 1);
        // Back as written, but for the leading ' that keeps a spreadsheet
        // from running a cell as a formula.
        let (safe_name, safe_note) = (neutralised(&name), neutralised(&note));
        prop_assert_eq!(&records[0][0], safe_name.as_ref());
        prop_assert_eq!(&records[0][1], safe_note.as_ref());
        let quoted = records[0][0].len() != name.len();
        prop_assert_eq!(records[0][0].strip_prefix('\'').filter(|_| quoted).unwrap_or(&records[0][0]), name.as_str());
    }
}

// ---------------------------------------------------------------- DOT

/// What a DOT label can show of a text: line breaks as line breaks, a
/// carriage return nothing, any other control character a space, and the
/// noncharacters U+FFFE and U+FFFF, which Graphviz would copy into an SVG
/// no XML parser accepts, U+FFFD.
fn dot_visible(text: &str) -> String {
    text.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\n' => c,
            c if c.is_control() => ' ',
            '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Reads a double-quoted DOT string as Graphviz reads a label: the lexer
/// turns `\"` into `"` and drops backslash-newline; the label's escString
/// turns `\\` into `\` and `\n` into a line break; an `&` followed by
/// letters, digits or `#` and then `;` is an entity. Any other escape or
/// entity than `&amp;` would make Graphviz show something the writer did not
/// mean, so it is an error.
fn read_dot_label(quoted: &str) -> Result<String, String> {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .ok_or_else(|| format!("not a quoted string: {quoted}"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '&' {
            let rest = chars.as_str();
            let name_end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .unwrap_or(rest.len());
            if rest[name_end..].starts_with(';') {
                if !rest.starts_with("amp;") {
                    return Err(format!("entity &{} in {quoted}", &rest[..=name_end]));
                }
                chars = rest["amp;".len()..].chars();
            }
            out.push('&');
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('\n') => {}
            other => return Err(format!("unexpected escape \\{other:?} in {quoted}")),
        }
    }
    Ok(out)
}

fn id_text(id: &Id) -> String {
    match id {
        Id::Html(s) | Id::Escaped(s) | Id::Plain(s) | Id::Anonymous(s) => s.clone(),
    }
}

/// (node id, label) of every node statement.
fn dot_node_labels(graph: &Graph) -> Vec<(String, String)> {
    let stmts = match graph {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    stmts
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::Node(node) => {
                let label = node
                    .attributes
                    .iter()
                    .find(|Attribute(key, _)| id_text(key) == "label")
                    .map(|Attribute(_, value)| id_text(value))?;
                Some((id_text(&node.id.0), label))
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #[test]
    fn dot_labels_parse_back_to_the_visible_text(first in hostile_text(), second in hostile_text()) {
        let graph = graph_named(&first, &second);
        let drawing = backbone::drawing(&graph, backbone::DRAWN_NODES, backbone::EDGES_PER_NODE);
        let source = dot::dot_source(&graph, &drawing);
        let parsed = graphviz_rust::parse(&source)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{source}")))?;

        let mut labels: Vec<(String, String)> = Vec::new();
        for (id, label) in dot_node_labels(&parsed) {
            labels.push((
                read_dot_label(&id).map_err(TestCaseError::fail)?,
                read_dot_label(&label).map_err(TestCaseError::fail)?,
            ));
        }
        labels.sort();
        prop_assert_eq!(labels, vec![
            (dot_visible(&format!("a:{first}")), dot_visible(&first)),
            (dot_visible(&format!("b:{second}")), dot_visible(&second)),
        ]);
    }
}

proptest! {
    // Each case runs Graphviz: a few dozen are enough to meet every
    // special character of `hostile_text`.
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn graphviz_draws_any_label(first in hostile_text(), second in hostile_text()) {
        if Command::new("dot").arg("-V").output().is_err() {
            assert!(std::env::var("CI").is_err(), "CI installs Graphviz");
            return Ok(());
        }
        let graph = graph_named(&first, &second);
        let dir = tempfile::tempdir().unwrap();
        let dot_file = dir.path().join("graph.dot");
        dot::write_dot(&dot_file, &graph, &[]).unwrap();
        let svg_file = dir.path().join("graph.svg");
        let result = dot::run_dot(&dot_file, &svg_file, "svg");
        prop_assert!(result.is_ok(), "{:?}\n{}", result, std::fs::read_to_string(&dot_file).unwrap());

        let svg = std::fs::read_to_string(&svg_file).unwrap();
        let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        let parsed = roxmltree::Document::parse_with_options(&svg, options);
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), svg);
    }
}

// ---------------------------------------------------------------- GraphML

/// What XML 1.0 can hold of a text: the control characters other than tab,
/// newline and carriage return, and the noncharacters U+FFFE and U+FFFF,
/// are not XML characters even as references; the writer puts U+FFFD.
fn xml_visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

proptest! {
    #[test]
    fn graphml_is_well_formed_and_reads_back(first in hostile_text(), second in hostile_text()) {
        let graph = graph_named(&first, &second);
        let text = graphml::graphml_source(&graph);
        let document = roxmltree::Document::parse(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;

        let nodes: Vec<(&str, &str)> = document
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .map(|n| {
                let name = n
                    .children()
                    .find(|d| d.attribute("key") == Some("n_name"))
                    .and_then(|d| d.text())
                    .unwrap_or("");
                (n.attribute("id").unwrap_or_default(), name)
            })
            .collect();
        let a_id = xml_visible(&format!("a:{first}"));
        let b_id = xml_visible(&format!("b:{second}"));
        let (a_name, b_name) = (xml_visible(&first), xml_visible(&second));
        prop_assert_eq!(nodes, vec![(a_id.as_str(), a_name.as_str()), (b_id.as_str(), b_name.as_str())]);

        let edge = document.descendants().find(|n| n.has_tag_name("edge")).unwrap();
        prop_assert_eq!(edge.attribute("source"), Some(a_id.as_str()));
        prop_assert_eq!(edge.attribute("target"), Some(b_id.as_str()));
    }
}

// ---------------------------------------------------------------- JSON

proptest! {
    #[test]
    fn graph_json_names_and_ids_round_trip(first in hostile_text(), second in hostile_text()) {
        let graph = graph_named(&first, &second);
        let text = json::json_source(&graph).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;

        let a_id = format!("a:{first}");
        let b_id = format!("b:{second}");
        prop_assert_eq!(value["nodes"][0]["id"].as_str(), Some(a_id.as_str()));
        prop_assert_eq!(value["nodes"][0]["name"].as_str(), Some(first.as_str()));
        prop_assert_eq!(value["nodes"][1]["id"].as_str(), Some(b_id.as_str()));
        prop_assert_eq!(value["nodes"][1]["name"].as_str(), Some(second.as_str()));
        prop_assert_eq!(value["links"][0]["source"].as_str(), Some(a_id.as_str()));
        prop_assert_eq!(value["links"][0]["target"].as_str(), Some(b_id.as_str()));
        prop_assert_eq!(&value["links"][0]["items"], &serde_json::json!([first, second]));
    }
}

// ---------------------------------------------------------------- HTML

/// Every `&` in escaped text must begin one of the entities the escaper
/// writes; anything else would be a raw ampersand.
fn ampersands_are_entities(escaped: &str) -> bool {
    const ENTITIES: [&str; 8] = [
        "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#9;", "&#10;", "&#13;",
    ];
    escaped
        .match_indices('&')
        .all(|(at, _)| ENTITIES.iter().any(|e| escaped[at..].starts_with(e)))
}

/// What an HTML parser reads of escaped text. The escaper writes tab, LF and
/// CR as character references, which parsers keep as they are (CR LF is not
/// folded); characters XML 1.0 cannot hold (other controls, U+FFFE, U+FFFF)
/// are written as U+FFFD, so the inline SVG stays well-formed.
fn html_visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

proptest! {
    #[test]
    fn html_escape_leaves_no_markup_and_reads_back(text in hostile_text()) {
        let escaped = report_html::escape(&text);
        for raw in ['<', '>', '"', '\''] {
            prop_assert!(!escaped.contains(raw), "raw {:?} in {:?}", raw, escaped);
        }
        prop_assert!(ampersands_are_entities(&escaped), "raw & in {:?}", escaped);

        let page = format!("<p title=\"{escaped}\">{escaped}</p><p title='{escaped}'>x</p>");
        let fragment = scraper::Html::parse_fragment(&page);
        let selector = scraper::Selector::parse("p").unwrap();
        let paragraphs: Vec<scraper::ElementRef> = fragment.select(&selector).collect();
        prop_assert_eq!(paragraphs.len(), 2);
        let shown: String = paragraphs[0].text().collect();
        prop_assert_eq!(shown, html_visible(&text));
        let attribute = html_visible(&text);
        prop_assert_eq!(paragraphs[0].value().attr("title"), Some(attribute.as_str()));
        prop_assert_eq!(paragraphs[1].value().attr("title"), Some(attribute.as_str()));
    }
}

/// The inputs that found the two Graphviz bugs above: a noncharacter, and
/// entity-shaped text that Graphviz copied into SVG titles unescaped.
#[test]
fn graphviz_draws_names_that_once_broke_graph_svg() {
    if Command::new("dot").arg("-V").output().is_err() {
        assert!(std::env::var("CI").is_err(), "CI installs Graphviz");
        return;
    }
    let graph = graph_named("&; &amp; &foo; &#1; &#x;", "\u{fffe}\u{ffff}");
    let dir = tempfile::tempdir().unwrap();
    let dot_file = dir.path().join("graph.dot");
    dot::write_dot(&dot_file, &graph, &[]).unwrap();
    let svg_file = dir.path().join("graph.svg");
    dot::run_dot(&dot_file, &svg_file, "svg").unwrap();
    let svg = std::fs::read_to_string(&svg_file).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let document = roxmltree::Document::parse_with_options(&svg, options).unwrap();
    let titles: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"a:&; &amp; &foo; &#1; &#x;"), "{titles:?}");
    assert!(titles.contains(&"b:\u{fffd}\u{fffd}"), "{titles:?}");
    let texts: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"&; &amp; &foo; &#1; &#x;"), "{texts:?}");
}
