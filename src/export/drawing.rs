//! What graph.dot draws, chosen to show clusters: the most mentioned
//! entities (publication constants left out, as in
//! [`crate::graph::backbone`]), joined by their most *significant* edges,
//! not their heaviest, and the legend that names each colour.
//!
//! An edge is kept when its pair is named together more often than chance
//! (NPMI > 0) at least twice, and it is among the [`EDGES_PER_NODE`]
//! highest-NPMI such edges of either end. Weight alone draws a star around
//! whatever is mentioned most; NPMI alone, pairs seen once. An entity no
//! such edge joins keeps its single highest-NPMI edge, so that it sits by
//! what it is named with rather than floating alone.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::graph::CoMentionGraph;
use crate::graph::backbone::{self, Drawing};

pub use crate::graph::backbone::DRAWN_NODES;
/// Most significant edges kept per drawn entity.
pub const EDGES_PER_NODE: usize = 3;
/// Co-mentions an edge needs to count as significant.
pub const MIN_EDGE_WEIGHT: u32 = 2;
/// Names of each community the legend lists.
pub const LEGEND_NAMES: usize = 4;

/// The drawn nodes (as the backbone picks them) and their significant edges.
pub fn significant(graph: &CoMentionGraph, max_nodes: usize, per_node: usize) -> Drawing {
    let g = &graph.graph;
    let nodes = backbone::drawing(graph, max_nodes, 0).nodes;
    let drawn: BTreeSet<NodeIndex> = nodes.iter().copied().collect();
    let mut edges: BTreeSet<EdgeIndex> = BTreeSet::new();
    for &node in &nodes {
        let mut candidates: Vec<(EdgeIndex, f64, u32, &str)> =
            backbone::edges_among(graph, &drawn, node)
                .map(|(edge, other)| {
                    (
                        edge.id(),
                        edge.weight().npmi,
                        edge.weight().weight,
                        g[other].entity_id.as_str(),
                    )
                })
                .collect();
        candidates.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.2.cmp(&a.2))
                .then_with(|| a.3.cmp(b.3))
        });
        let strong: Vec<EdgeIndex> = candidates
            .iter()
            .filter(|c| c.1 > 0.0 && c.2 >= MIN_EDGE_WEIGHT)
            .take(per_node)
            .map(|c| c.0)
            .collect();
        if strong.is_empty() {
            edges.extend(candidates.first().map(|c| c.0));
        } else {
            edges.extend(strong);
        }
    }
    Drawing {
        nodes,
        edges: edges.into_iter().collect(),
    }
}

/// One entry of the colour legend: a community of the drawing, its
/// colour index, and its most mentioned drawn members.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityLegend {
    pub community: u32,
    pub names: Vec<String>,
    pub members: usize,
}

/// The drawing's communities, largest (by drawn members) first.
pub fn legend(graph: &CoMentionGraph, drawing: &Drawing) -> Vec<CommunityLegend> {
    let g = &graph.graph;
    let mut by_community: BTreeMap<u32, Vec<NodeIndex>> = BTreeMap::new();
    for &n in &drawing.nodes {
        by_community.entry(g[n].community).or_default().push(n);
    }
    let mut entries: Vec<CommunityLegend> = by_community
        .into_iter()
        .map(|(community, mut members)| {
            members.sort_by(|&a, &b| {
                g[b].mentions
                    .cmp(&g[a].mentions)
                    .then_with(|| g[a].entity_id.cmp(&g[b].entity_id))
            });
            CommunityLegend {
                community,
                members: members.len(),
                names: members
                    .iter()
                    .take(LEGEND_NAMES)
                    .map(|&n| g[n].name.clone())
                    .collect(),
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        b.members
            .cmp(&a.members)
            .then(a.community.cmp(&b.community))
    });
    entries
}
