//! graph.json: `{"nodes": [...], "links": [...]}`, the shape d3-force and
//! Cytoscape.js read, and networkx's `node_link_graph` too.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use crate::export::csv::date_string;
use crate::export::direct_io::DirectFile;
use crate::export::{Output, OutputContext};
use crate::graph::CoMentionGraph;
use crate::graph::knowledge::KnowledgeGraph;

#[derive(Serialize)]
struct GraphInfo {
    /// "item" or "issue": what `items` on a link lists.
    window: &'static str,
    windows: usize,
}

#[derive(Serialize)]
struct NodeJson<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    mentions: u32,
    issues: u32,
    degree: u32,
    weighted_degree: u64,
    pagerank: f64,
    community: u32,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    source: &'a str,
    target: &'a str,
    weight: u32,
    issues: u32,
    npmi: f64,
    first_seen: String,
    last_seen: String,
    /// The items naming both ends (issue ids with `--window issue`): what
    /// makes every link traceable to its sources.
    items: &'a crate::graph::EdgeWindows,
}

pub fn write_json(path: &Path, graph: &CoMentionGraph) -> anyhow::Result<()> {
    let cannot_write = || format!("cannot write {}", path.display());
    let file = DirectFile::create_output(path).with_context(cannot_write)?;
    // Streamed a node and a link at a time: on a large corpus the document
    // is the largest output, and holding it whole would set the build's
    // peak memory. serde_json writes a token at a time: the buffer takes
    // them.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    write_graph_json(&mut out, graph).with_context(cannot_write)?;
    out.write_all(b"\n").with_context(cannot_write)?;
    let file = out
        .into_inner()
        .map_err(|error| error.into_error())
        .with_context(cannot_write)?;
    file.finish().with_context(cannot_write)
}

pub fn json_source(graph: &CoMentionGraph) -> anyhow::Result<String> {
    let mut out = Vec::new();
    write_graph_json(&mut out, graph)?;
    Ok(String::from_utf8(out)?)
}

/// One node or link per line: compact (a pretty-printed `items` array
/// would take a line per item) yet readable in a diff.
fn write_graph_json(out: &mut impl Write, graph: &CoMentionGraph) -> anyhow::Result<()> {
    let info = GraphInfo {
        window: graph.window.as_str(),
        windows: graph.window_count,
    };
    out.write_all(b"{\"directed\":false,\"multigraph\":false,\"graph\":")?;
    serde_json::to_writer(&mut *out, &info)?;
    out.write_all(b",\n\"nodes\":[\n")?;
    write_lines(
        out,
        graph.nodes().map(|n| NodeJson {
            id: &n.entity_id,
            name: &n.name,
            kind: n.kind.as_str(),
            mentions: n.mentions,
            issues: n.issues,
            degree: n.degree,
            weighted_degree: n.weighted_degree,
            pagerank: round6(n.pagerank),
            community: n.community,
        }),
    )?;
    out.write_all(b"],\n\"links\":[\n")?;
    write_lines(
        out,
        graph.edges().map(|(a, b, e)| LinkJson {
            source: &a.entity_id,
            target: &b.entity_id,
            weight: e.weight,
            issues: e.issues,
            npmi: round6(e.npmi),
            first_seen: date_string(e.first_seen),
            last_seen: date_string(e.last_seen),
            items: &e.windows,
        }),
    )?;
    out.write_all(b"]}")?;
    Ok(())
}

/// The same precision as the CSV tables.
fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// graph.json: the co-mention graph as node-link JSON.
pub struct JsonGraph;

impl Output for JsonGraph {
    fn name(&self) -> &str {
        "co-mention graph (JSON)"
    }

    fn files(&self) -> Vec<&str> {
        vec!["graph.json"]
    }

    fn write(
        &mut self,
        summary: &crate::summary::Summary,
        context: &OutputContext,
    ) -> anyhow::Result<()> {
        write_json(&context.file("graph.json"), &summary.graph)
    }

    fn weight(&self) -> u32 {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixture;

    #[test]
    fn hostile_names_round_trip() {
        let graph = fixture::hostile_graph();
        let text = json_source(&graph).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["nodes"][1]["name"], fixture::HOSTILE_NAME);
        assert_eq!(value["nodes"][1]["id"], "tool:evil");
        assert_eq!(value["links"].as_array().unwrap().len(), 4);
        assert_eq!(value["links"][1]["source"], "neco:moco");
        assert_eq!(value["links"][1]["target"], "tool:mysql");
        assert_eq!(value["links"][1]["weight"], 2);
        assert_eq!(
            value["links"][1]["items"],
            serde_json::json!(["w-2022-09-16#1", "w-2022-09-16#2"])
        );
        assert_eq!(value["graph"]["windows"], 3);
    }
}

#[derive(Serialize)]
struct KnowledgeNodeJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    node_type: &'static str,
    label: &'a str,
    kind: &'a str,
    date: String,
}

#[derive(Serialize)]
struct KnowledgeLinkJson<'a> {
    source: &'a str,
    target: &'a str,
    relation: &'static str,
    count: u32,
}

/// knowledge.json: the knowledge graph in the same node-link shape as
/// graph.json, one node or link per line.
pub fn write_knowledge_json(path: &Path, graph: &KnowledgeGraph) -> anyhow::Result<()> {
    let nodes: Vec<KnowledgeNodeJson> = graph
        .nodes
        .iter()
        .map(|n| KnowledgeNodeJson {
            id: n.id,
            node_type: n.node_type.as_str(),
            label: n.label,
            kind: n.kind,
            date: date_string(n.date),
        })
        .collect();
    let links: Vec<KnowledgeLinkJson> = graph
        .edges
        .iter()
        .map(|e| KnowledgeLinkJson {
            source: e.source,
            target: e.target,
            relation: e.relation.as_str(),
            count: e.count,
        })
        .collect();
    let mut text = String::from("{\"directed\":true,\"multigraph\":true,\n\"nodes\":[\n");
    push_lines(&mut text, &nodes)?;
    text.push_str("],\n\"links\":[\n");
    push_lines(&mut text, &links)?;
    text.push_str("]}\n");
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// One JSON value per line, comma-separated: compact, yet diffable.
fn push_lines<T: Serialize>(text: &mut String, values: &[T]) -> anyhow::Result<()> {
    for (index, value) in values.iter().enumerate() {
        text.push_str(&serde_json::to_string(value)?);
        text.push_str(if index + 1 < values.len() {
            ",\n"
        } else {
            "\n"
        });
    }
    Ok(())
}

/// [`push_lines`] onto a writer, a value at a time.
fn write_lines<T: Serialize>(
    out: &mut impl Write,
    values: impl Iterator<Item = T>,
) -> anyhow::Result<()> {
    let mut values = values.peekable();
    while let Some(value) = values.next() {
        serde_json::to_writer(&mut *out, &value)?;
        out.write_all(if values.peek().is_some() {
            b",\n"
        } else {
            b"\n"
        })?;
    }
    Ok(())
}
