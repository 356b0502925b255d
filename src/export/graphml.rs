//! graph.graphml: the co-mention graph with typed attributes, for Gephi,
//! yEd, Cytoscape and `networkx.read_graphml`.
//!
//! Written by hand: the format is small and fixed, and the one hard part is
//! escaping, done in [`xml_text`].

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::export::csv::date_string;
use crate::export::direct_io::DirectFile;
use crate::export::{Output, OutputContext};
use crate::graph::CoMentionGraph;
use crate::graph::knowledge::KnowledgeGraph;

/// (id, for, attr.name, attr.type) of every attribute, in the order written.
const KEYS: [(&str, &str, &str, &str); 14] = [
    ("n_name", "node", "name", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_mentions", "node", "mentions", "int"),
    ("n_issues", "node", "issues", "int"),
    ("n_degree", "node", "degree", "int"),
    ("n_weighted_degree", "node", "weighted_degree", "int"),
    ("n_pagerank", "node", "pagerank", "double"),
    ("n_community", "node", "community", "int"),
    ("e_weight", "edge", "weight", "int"),
    ("e_issues", "edge", "issues", "int"),
    ("e_npmi", "edge", "npmi", "double"),
    ("e_first_seen", "edge", "first_seen", "string"),
    ("e_last_seen", "edge", "last_seen", "string"),
    ("e_items", "edge", "items", "string"),
];

pub fn write_graphml(path: &Path, graph: &CoMentionGraph) -> anyhow::Result<()> {
    write_in_pieces(path, |emit| graphml_in_pieces(graph, emit))
}

/// The GraphML text. `items` on an edge lists the windows (item ids, or
/// issue ids with `--window issue`) that name both ends, space-separated.
pub fn graphml_source(graph: &CoMentionGraph) -> String {
    source_of(|emit| graphml_in_pieces(graph, emit))
}

/// The text is handed to `emit` a piece at a time: on a large corpus the
/// whole of it would be the largest thing in memory (several hundred MB
/// for a graph of 300,000 nodes).
fn graphml_in_pieces(graph: &CoMentionGraph, emit: &mut Emit) -> std::io::Result<()> {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, domain, name, kind) in KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        );
    }
    out.push_str("  <graph id=\"weeklygraph\" edgedefault=\"undirected\">\n");
    for node in graph.nodes() {
        out.push_str("    <node id=\"");
        push_xml_text(&mut out, &node.entity_id);
        out.push_str("\">\n");
        data(&mut out, "n_name", &node.name);
        data(&mut out, "n_kind", node.kind.as_str());
        number(&mut out, "n_mentions", node.mentions);
        number(&mut out, "n_issues", node.issues);
        number(&mut out, "n_degree", node.degree);
        number(&mut out, "n_weighted_degree", node.weighted_degree);
        number(&mut out, "n_pagerank", format_args!("{:.6}", node.pagerank));
        number(&mut out, "n_community", node.community);
        out.push_str("    </node>\n");
        emit_when_full(&mut out, emit)?;
    }
    for (index, (a, b, edge)) in graph.edges().enumerate() {
        let _ = write!(out, "    <edge id=\"e{index}\" source=\"");
        push_xml_text(&mut out, &a.entity_id);
        out.push_str("\" target=\"");
        push_xml_text(&mut out, &b.entity_id);
        out.push_str("\">\n");
        number(&mut out, "e_weight", edge.weight);
        number(&mut out, "e_issues", edge.issues);
        number(&mut out, "e_npmi", format_args!("{:.6}", edge.npmi));
        data(&mut out, "e_first_seen", &date_string(edge.first_seen));
        data(&mut out, "e_last_seen", &date_string(edge.last_seen));
        out.push_str("      <data key=\"e_items\">");
        for (at, window) in edge.windows.iter().enumerate() {
            if at > 0 {
                out.push(' ');
            }
            push_xml_text(&mut out, window);
        }
        out.push_str("</data>\n");
        out.push_str("    </edge>\n");
        emit_when_full(&mut out, emit)?;
    }
    out.push_str("  </graph>\n</graphml>\n");
    emit(&out)
}

/// knowledge.graphml: issues, items, entities and URLs as typed nodes;
/// `contains`, `mentions` and `links` as directed edges with a count.
pub fn write_knowledge_graphml(path: &Path, graph: &KnowledgeGraph) -> anyhow::Result<()> {
    write_in_pieces(path, |emit| knowledge_graphml_in_pieces(graph, emit))
}

pub fn knowledge_graphml_source(graph: &KnowledgeGraph) -> String {
    source_of(|emit| knowledge_graphml_in_pieces(graph, emit))
}

fn knowledge_graphml_in_pieces(graph: &KnowledgeGraph, emit: &mut Emit) -> std::io::Result<()> {
    const KNOWLEDGE_KEYS: [(&str, &str, &str, &str); 6] = [
        ("n_type", "node", "type", "string"),
        ("n_label", "node", "label", "string"),
        ("n_kind", "node", "kind", "string"),
        ("n_date", "node", "date", "string"),
        ("e_relation", "edge", "relation", "string"),
        ("e_count", "edge", "count", "int"),
    ];
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    for (id, domain, name, kind) in KNOWLEDGE_KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>"
        );
    }
    out.push_str("  <graph id=\"knowledge\" edgedefault=\"directed\">\n");
    for node in &graph.nodes {
        let _ = writeln!(out, "    <node id=\"{}\">", xml_text(node.id));
        data(&mut out, "n_type", node.node_type.as_str());
        data(&mut out, "n_label", node.label);
        data(&mut out, "n_kind", node.kind);
        data(&mut out, "n_date", &date_string(node.date));
        out.push_str("    </node>\n");
        emit_when_full(&mut out, emit)?;
    }
    for (index, edge) in graph.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"k{index}\" source=\"{}\" target=\"{}\">",
            xml_text(edge.source),
            xml_text(edge.target)
        );
        data(&mut out, "e_relation", edge.relation.as_str());
        data(&mut out, "e_count", &edge.count.to_string());
        out.push_str("    </edge>\n");
        emit_when_full(&mut out, emit)?;
    }
    out.push_str("  </graph>\n</graphml>\n");
    emit(&out)
}

/// Where a writer hands its pieces of text.
type Emit<'e> = dyn FnMut(&str) -> std::io::Result<()> + 'e;

/// Pieces are this large, or one node or edge larger.
const PIECE_BYTES: usize = 64 << 10;

fn emit_when_full(out: &mut String, emit: &mut Emit) -> std::io::Result<()> {
    if out.len() >= PIECE_BYTES {
        emit(out)?;
        out.clear();
    }
    Ok(())
}

fn write_in_pieces(
    path: &Path,
    write: impl FnOnce(&mut Emit) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let written = DirectFile::create_output(path).and_then(|mut file| {
        write(&mut |piece: &str| file.write_all(piece.as_bytes()))?;
        file.finish()
    });
    written.with_context(|| format!("cannot write {}", path.display()))
}

fn source_of(write: impl FnOnce(&mut Emit) -> std::io::Result<()>) -> String {
    let mut text = String::new();
    // Appending to a String cannot fail.
    let _ = write(&mut |piece: &str| {
        text.push_str(piece);
        Ok(())
    });
    text
}

fn data(out: &mut String, key: &str, value: &str) {
    out.push_str("      <data key=\"");
    out.push_str(key);
    out.push_str("\">");
    push_xml_text(out, value);
    out.push_str("</data>\n");
}

/// A number's `<data>`: digits, a sign and a point need no escaping.
fn number(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "      <data key=\"{key}\">{value}</data>");
}

/// Text safe in XML content and attribute values alike. Markup characters
/// become entities; tab, newline and carriage return become character
/// references so that attribute-value normalisation cannot fold them; the
/// other control characters cannot appear in XML 1.0 at all, even as
/// references, and become U+FFFD.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml_text(&mut out, text);
    out
}

/// [`xml_text`], appended to `out`. Most text (every id) needs no
/// escaping: it is copied whole.
pub fn push_xml_text(out: &mut String, text: &str) {
    // U+FFFE and U+FFFF are written EF BF BE and EF BF BF.
    let plain = !text
        .bytes()
        .any(|b| b < 0x20 || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF));
    if plain {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// graph.graphml: the co-mention graph for Gephi, yEd, NetworkX.
pub struct GraphmlGraph;

impl Output for GraphmlGraph {
    fn name(&self) -> &str {
        "co-mention graph (GraphML)"
    }

    fn files(&self) -> Vec<&str> {
        vec!["graph.graphml"]
    }

    fn write(
        &mut self,
        summary: &crate::summary::Summary,
        context: &OutputContext,
    ) -> anyhow::Result<()> {
        write_graphml(&context.file("graph.graphml"), &summary.graph)
    }

    fn weight(&self) -> u32 {
        10
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixture;

    #[test]
    fn escaping_keeps_text_and_drops_what_xml_forbids() {
        assert_eq!(
            xml_text("<a href=\"x\">&'\n\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;\u{fffd}"
        );
    }

    #[test]
    fn hostile_names_parse_back_intact() {
        let graph = fixture::hostile_graph();
        let text = graphml_source(&graph);
        let document = roxmltree::Document::parse(&text).unwrap();
        let names: Vec<&str> = document
            .descendants()
            .filter(|n| n.attribute("key") == Some("n_name"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            names,
            ["MOCO", fixture::HOSTILE_NAME, "モコ", "MySQL"],
            "{text}"
        );
        let edges = document
            .descendants()
            .filter(|n| n.has_tag_name("edge"))
            .count();
        assert_eq!(edges, graph.edge_count());
        let items: Vec<&str> = document
            .descendants()
            .filter(|n| n.attribute("key") == Some("e_items"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(items[0], "w-2022-09-16#2");
    }
}
