//! Communities: Louvain modularity optimisation (Blondel et al. 2008).
//!
//! Written here rather than taken from a crate: the Rust crates that offer
//! Louvain bring their own graph types and seeded random node orders, and
//! the outputs of this tool must be byte-identical from run to run. Here
//! nodes are visited in index order (entity-id order), a node moves only for
//! a strictly better modularity, and ties go to the smallest community, so
//! the partition depends on the graph alone.

/// Gains closer than this are ties: float noise must not decide a move.
const EPSILON: f64 = 1e-12;

use std::borrow::Cow;

use super::adjacency::{Adjacency, Rows, count_then_fill};

/// One level of the Louvain hierarchy: weighted adjacency (no self entries)
/// and the weight of the edges folded inside each node.
struct Level<'a> {
    /// The graph's own lists at the first level, made anew at each next.
    adjacency: Cow<'a, Adjacency>,
    inside: Vec<f64>,
}

impl Level<'_> {
    /// Strength of each node: its edges, with inside edges counted from both ends.
    fn strengths(&self) -> Vec<f64> {
        self.adjacency
            .iter()
            .zip(&self.inside)
            .map(|(edges, inside)| edges.iter().map(|&(_, w)| w).sum::<f64>() + 2.0 * inside)
            .collect()
    }
}

/// Community of each node of an undirected weighted graph given as
/// adjacency lists (each edge listed from both ends, no self loops).
/// Communities are numbered by size, largest first, ties broken by their
/// smallest node index; a node without edges is a community of its own.
pub fn louvain(adjacency: &Adjacency) -> Vec<u32> {
    let n = adjacency.len();
    let mut membership: Vec<usize> = (0..n).collect();
    let mut level = Level {
        adjacency: Cow::Borrowed(adjacency),
        inside: vec![0.0; n],
    };
    // Each level shrinks the graph; the cap only guards against a bug.
    for _ in 0..64 {
        let (community, count) = move_nodes(&level);
        if count == level.adjacency.len() {
            break;
        }
        for m in membership.iter_mut() {
            *m = community[*m];
        }
        level = aggregate(&level, &community, count);
    }
    renumber_by_size(&membership)
}

/// Phase one: move single nodes between communities while modularity grows.
/// Returns the community of each node, numbered 0.. by first node.
fn move_nodes(level: &Level) -> (Vec<usize>, usize) {
    let n = level.adjacency.len();
    let strength = level.strengths();
    let total: f64 = strength.iter().sum();
    let mut community: Vec<usize> = (0..n).collect();
    if total <= 0.0 {
        return (community, n);
    }
    let mut community_strength = strength.clone();
    let mut weight_to = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    for _ in 0..1000 {
        let mut moved = false;
        for node in 0..n {
            let current = community[node];
            touched.clear();
            for &(neighbour, weight) in &level.adjacency[node] {
                let c = community[neighbour];
                if weight_to[c] == 0.0 {
                    touched.push(c);
                }
                weight_to[c] += weight;
            }
            community_strength[current] -= strength[node];
            // ΔQ of joining c, up to a positive factor: k_i,c − Σ_c·k_i / 2m.
            let gain = |c: usize, weight_to: &[f64]| {
                weight_to[c] - community_strength[c] * strength[node] / total
            };
            let mut best = current;
            let mut best_gain = gain(current, &weight_to);
            touched.sort_unstable();
            for &c in &touched {
                let g = gain(c, &weight_to);
                if g > best_gain + EPSILON {
                    best = c;
                    best_gain = g;
                }
            }
            community_strength[best] += strength[node];
            if best != current {
                community[node] = best;
                moved = true;
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
        }
        if !moved {
            break;
        }
    }
    compact(&community)
}

/// Renumbers community labels 0.. in order of their first node. Labels
/// are node indices, so a vector indexed by label holds the new numbers.
fn compact(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut new_label: Vec<Option<usize>> = vec![None; labels.len()];
    let mut count = 0;
    let mut result = Vec::with_capacity(labels.len());
    for &label in labels {
        let new = *new_label[label].get_or_insert_with(|| {
            count += 1;
            count - 1
        });
        result.push(new);
    }
    (result, count)
}

/// Phase two: each community becomes one node.
fn aggregate(level: &Level<'_>, community: &[usize], count: usize) -> Level<'static> {
    // The weight inside each community in a walk of its own: the edges
    // between communities below are walked twice, to count and to place.
    let mut inside = vec![0.0; count];
    for (node, neighbours) in level.adjacency.iter().enumerate() {
        let c = community[node];
        inside[c] += level.inside[node];
        for &(neighbour, weight) in neighbours {
            if c == community[neighbour] {
                // Seen from both ends.
                inside[c] += weight / 2.0;
            }
        }
    }
    // Each community's edges as met, node by node, in one block; sorted
    // by neighbour (stably) and summed run by run, the weights add up in
    // the order a map keyed by neighbour would have added them.
    let lists = &*level.adjacency;
    let leaving = || {
        lists.iter().enumerate().flat_map(|(node, neighbours)| {
            let c = community[node];
            neighbours.iter().filter_map(move |&(neighbour, weight)| {
                let d = community[neighbour];
                (c != d).then_some((c, (d, weight)))
            })
        })
    };
    let Rows {
        offsets: start,
        slots: mut met,
    } = count_then_fill::<Vec<(usize, f64)>, _>(count, leaving);
    let mut adjacency = Adjacency::with_capacity(count, met.len());
    for c in 0..count {
        let met = &mut met[start[c]..start[c + 1]];
        met.sort_by_key(|&(d, _)| d);
        let mut summed: Vec<(usize, f64)> = Vec::new();
        for &(d, weight) in met.iter() {
            match summed.last_mut() {
                Some((last, sum)) if *last == d => *sum += weight,
                _ => summed.push((d, 0.0 + weight)),
            }
        }
        adjacency.push_node(summed);
    }
    Level {
        adjacency: Cow::Owned(adjacency),
        inside,
    }
}

fn renumber_by_size(membership: &[usize]) -> Vec<u32> {
    // Community labels are node indices: (size, first node) by label.
    let mut groups: Vec<Option<(usize, usize)>> = vec![None; membership.len()];
    for (node, &c) in membership.iter().enumerate() {
        groups[c].get_or_insert((0, node)).0 += 1;
    }
    let mut order: Vec<(usize, usize, usize)> = groups
        .into_iter()
        .enumerate()
        .filter_map(|(c, group)| group.map(|(size, first)| (c, size, first)))
        .collect();
    order.sort_by_key(|&(_, size, first)| (std::cmp::Reverse(size), first));
    let mut new_id: Vec<u32> = vec![0; membership.len()];
    for (rank, (c, _, _)) in order.into_iter().enumerate() {
        new_id[c] = rank as u32;
    }
    membership.iter().map(|&c| new_id[c]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Newman–Girvan modularity of a partition (resolution 1).
    fn modularity(adjacency: &Adjacency, community: &[u32]) -> f64 {
        let strength: Vec<f64> = adjacency
            .iter()
            .map(|edges| edges.iter().map(|&(_, w)| w).sum())
            .collect();
        let total: f64 = strength.iter().sum();
        if total <= 0.0 {
            return 0.0;
        }
        let mut inside: BTreeMap<u32, f64> = BTreeMap::new();
        let mut community_strength: BTreeMap<u32, f64> = BTreeMap::new();
        for (node, edges) in adjacency.iter().enumerate() {
            *community_strength.entry(community[node]).or_insert(0.0) += strength[node];
            for &(neighbour, weight) in edges {
                if community[neighbour] == community[node] {
                    *inside.entry(community[node]).or_insert(0.0) += weight;
                }
            }
        }
        community_strength
            .iter()
            .map(|(c, s)| inside.get(c).copied().unwrap_or(0.0) / total - (s / total).powi(2))
            .sum()
    }

    fn adjacency(n: usize, edges: &[(usize, usize, f64)]) -> Adjacency {
        Adjacency::from_edges(n, edges)
    }

    fn clique(nodes: &[usize]) -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                edges.push((a, b, 1.0));
            }
        }
        edges
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let mut edges = clique(&[0, 1, 2, 3]);
        edges.extend(clique(&[4, 5, 6, 7]));
        edges.push((3, 4, 1.0));
        let graph = adjacency(8, &edges);
        let community = louvain(&graph);
        assert_eq!(community, [0, 0, 0, 0, 1, 1, 1, 1]);
        // m = 13, each side: 6 inside edges, strength 13.
        // Q = 2·(12/26 − (13/26)²) = 0.423076…
        assert!((modularity(&graph, &community) - 0.423_076_923_076_923).abs() < 1e-12);
    }

    #[test]
    fn the_largest_community_is_numbered_first() {
        // A triangle on the low ids, a 5-clique on the high ids, one bridge.
        let mut edges = clique(&[0, 1, 2]);
        edges.extend(clique(&[3, 4, 5, 6, 7]));
        edges.push((2, 3, 1.0));
        let community = louvain(&adjacency(9, &edges));
        // Node 8 has no edge: a community of its own, the smallest.
        assert_eq!(community, [1, 1, 1, 0, 0, 0, 0, 0, 2]);
    }

    #[test]
    fn a_ring_of_cliques_splits_into_its_cliques() {
        // Six triangles, each joined to the next by one edge: the classic
        // case where modularity is maximised by the cliques.
        let mut edges = Vec::new();
        for k in 0..6 {
            let base = 3 * k;
            edges.extend(clique(&[base, base + 1, base + 2]));
            edges.push((base + 2, (base + 3) % 18, 1.0));
        }
        let community = louvain(&adjacency(18, &edges));
        for k in 0..6 {
            let c = community[3 * k];
            assert_eq!(community[3 * k + 1], c);
            assert_eq!(community[3 * k + 2], c);
        }
        let distinct: std::collections::BTreeSet<u32> = community.iter().copied().collect();
        assert_eq!(distinct.len(), 6);
        assert_eq!(&community[..3], [0, 0, 0]);
    }

    #[test]
    fn weights_decide_between_two_partners() {
        // 1 is tied to 0 with weight 5 and to 2 with weight 1; 2–3 weight 5.
        let graph = adjacency(4, &[(0, 1, 5.0), (1, 2, 1.0), (2, 3, 5.0)]);
        assert_eq!(louvain(&graph), [0, 0, 1, 1]);
    }

    #[test]
    fn empty_and_edgeless_graphs() {
        assert!(louvain(&Adjacency::default()).is_empty());
        assert_eq!(louvain(&adjacency(3, &[])), [0, 1, 2]);
    }

    #[test]
    fn a_ring_of_two_hundred_cliques_keeps_them_apart() {
        // 200 cliques of 10 in a ring: 2,000 nodes, 9,200 edges.
        let mut edges = Vec::new();
        for k in 0..200 {
            let nodes: Vec<usize> = (10 * k..10 * k + 10).collect();
            edges.extend(clique(&nodes));
            edges.push((10 * k + 9, (10 * k + 10) % 2000, 1.0));
        }
        let graph = adjacency(2000, &edges);
        let community = louvain(&graph);
        let distinct: std::collections::BTreeSet<u32> = community.iter().copied().collect();
        assert!(distinct.len() >= 100, "{} communities", distinct.len());
    }
}
