//! What the picture shows: the most mentioned entities and, for each, only
//! its strongest edges, so the drawing stays readable (no hairball).

use std::collections::BTreeSet;

use petgraph::graph::{EdgeIndex, EdgeReference, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{CoMentionGraph, Edge};
use crate::model::EntityKind;

/// Entities in the default drawing.
pub const DRAWN_NODES: usize = 40;
/// Strongest edges kept per drawn entity.
pub const EDGES_PER_NODE: usize = 3;

/// The part of the graph that is drawn: node and edge indices into
/// [`CoMentionGraph::graph`], both in index order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawing {
    pub nodes: Vec<NodeIndex>,
    pub edges: Vec<EdgeIndex>,
}

/// How strongly an edge deserves drawing: frequent and specific. NPMI alone
/// favours pairs seen once; weight alone favours the hub's edges. Shifting
/// NPMI to 0..1 keeps every score positive.
pub fn strength(edge: &Edge) -> f64 {
    edge.weight as f64 * (1.0 + edge.npmi) / 2.0
}

/// The `max_nodes` most mentioned entities (ties by id; no pull requests or
/// KEPs), and the edges among
/// them that are among the `per_node` strongest of either end. Publication
/// constants are left out unless the graph says to draw them: each is
/// joined to almost everything, so its edges would be the strongest of
/// every node and say only what every issue is about.
pub fn drawing(graph: &CoMentionGraph, max_nodes: usize, per_node: usize) -> Drawing {
    let g = &graph.graph;
    let mut ranked: Vec<NodeIndex> = g
        .node_indices()
        .filter(|&n| graph.draw_constants || !graph.constants.contains(&g[n].entity_id))
        // A pull request or a KEP is one event; drawn among the topics (TWIR's
        // RFC pull requests are named for weeks) it crowds them out with
        // long titles. The reports list them in tables of their own.
        .filter(|&n| !matches!(g[n].kind, EntityKind::Pr | EntityKind::Kep))
        .collect();
    ranked.sort_by(|&a, &b| {
        (std::cmp::Reverse(g[a].mentions), &g[a].entity_id)
            .cmp(&(std::cmp::Reverse(g[b].mentions), &g[b].entity_id))
    });
    ranked.truncate(max_nodes);
    let drawn: BTreeSet<NodeIndex> = ranked.into_iter().collect();

    let mut edges: BTreeSet<EdgeIndex> = BTreeSet::new();
    for &node in &drawn {
        let mut candidates: Vec<(EdgeIndex, f64, &str)> = edges_among(graph, &drawn, node)
            .map(|(edge, other)| {
                (
                    edge.id(),
                    strength(edge.weight()),
                    g[other].entity_id.as_str(),
                )
            })
            .collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.2.cmp(b.2)));
        edges.extend(candidates.into_iter().take(per_node).map(|(e, _, _)| e));
    }
    Drawing {
        nodes: drawn.into_iter().collect(),
        edges: edges.into_iter().collect(),
    }
}

/// The edges of `node` whose other end is in `drawn` too, each with that
/// other end: what a drawing chooses a node's edges from.
pub fn edges_among<'g>(
    graph: &'g CoMentionGraph,
    drawn: &'g BTreeSet<NodeIndex>,
    node: NodeIndex,
) -> impl Iterator<Item = (EdgeReference<'g, Edge>, NodeIndex)> + 'g {
    graph
        .graph
        .edges(node)
        .filter(|e| drawn.contains(&e.source()) && drawn.contains(&e.target()))
        .map(move |e| {
            let other = if e.source() == node {
                e.target()
            } else {
                e.source()
            };
            (e, other)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Node;
    use crate::model::EntityKind;

    fn graph(mentions: &[u32], edges: &[(usize, usize, u32, f64)]) -> CoMentionGraph {
        let mut result = CoMentionGraph::default();
        for (i, &m) in mentions.iter().enumerate() {
            result.graph.add_node(Node {
                entity_id: format!("tool:{i:02}"),
                name: format!("T{i}"),
                kind: EntityKind::Tool,
                mentions: m,
                issues: 1,
                degree: 0,
                weighted_degree: 0,
                pagerank: 0.0,
                community: 0,
            });
        }
        for &(a, b, weight, npmi) in edges {
            result.graph.add_edge(
                NodeIndex::new(a),
                NodeIndex::new(b),
                Edge {
                    weight,
                    issues: 1,
                    npmi,
                    first_seen: None,
                    last_seen: None,
                    windows: Default::default(),
                },
            );
        }
        result
    }

    #[test]
    fn keeps_the_most_mentioned_and_their_strongest_edges() {
        // A hub (0) joined to everyone; 1–2 a strong specific pair.
        let g = graph(
            &[9, 5, 5, 4, 1],
            &[
                (0, 1, 2, 0.1),
                (0, 2, 2, 0.1),
                (0, 3, 1, 0.0),
                (0, 4, 1, 0.0),
                (1, 2, 4, 0.8),
                (1, 3, 1, 0.2),
            ],
        );
        let d = drawing(&g, 4, 1);
        assert_eq!(d.nodes, (0..4).map(NodeIndex::new).collect::<Vec<_>>());
        // 0's best: 0–1 (1.1) over 0–2 by id; 1's and 2's best: 1–2 (3.6);
        // 3's best: 1–3 (0.6) over 0–3 (0.5).
        let kept: Vec<(usize, usize)> = d
            .edges
            .iter()
            .map(|&e| {
                let (a, b) = g.graph.edge_endpoints(e).unwrap();
                (a.index(), b.index())
            })
            .collect();
        assert_eq!(kept, [(0, 1), (1, 2), (1, 3)]);
    }
}
