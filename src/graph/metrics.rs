//! Edge and node measures: NPMI and weighted PageRank.

use rayon::prelude::*;

use super::adjacency::{Adjacency, Rows, Slots, count_then_fill};

/// The damping factor of PageRank, as in the original paper and networkx.
pub const DAMPING: f64 = 0.85;

/// Normalised pointwise mutual information of two entities over `windows`
/// windows: `together` name both, `x` and `y` name each.
///
/// pmi = ln(p(xy) / (p(x) p(y))) and npmi = pmi / −ln p(xy), with
/// p(·) = count / windows. NPMI runs from −1 (never together) through 0
/// (independent) to 1 (always together); a hub named everywhere scores near
/// 0 with everything, which is why it ranks pairs better than raw counts.
/// When p(xy) = 1 both are in every window and the ratio is 0/0: that is
/// perfect association, 1.0. With no co-mention at all it is −1.0.
pub fn npmi(together: u64, x: u64, y: u64, windows: u64) -> f64 {
    if together == 0 || x == 0 || y == 0 || windows == 0 {
        return -1.0;
    }
    let n = windows as f64;
    let p_xy = together as f64 / n;
    if p_xy >= 1.0 {
        return 1.0;
    }
    let p_x = x as f64 / n;
    let p_y = y as f64 / n;
    let pmi = (p_xy / (p_x * p_y)).ln();
    (pmi / -p_xy.ln()).clamp(-1.0, 1.0)
}

/// Weighted PageRank of an undirected graph given as adjacency lists
/// (each edge listed from both ends). A random walker follows an edge with
/// probability proportional to its weight; nodes without edges spread their
/// rank evenly. Iterates in node order until the ranks move less than 1e-12
/// in total (or 200 rounds), so the result is the same on every run.
///
/// Most nodes of a co-mention graph have no edge (a pull request named
/// once), and every such node holds the same rank in every round: the
/// rounds walk only the nodes with edges and keep one rank for the rest,
/// adding it into the sums where those nodes stand in node order.
pub fn pagerank(adjacency: &Adjacency, damping: f64) -> Vec<f64> {
    let n = adjacency.len();
    if n == 0 {
        return Vec::new();
    }
    let out_weight: Vec<f64> = adjacency
        .iter()
        .map(|edges| edges.iter().map(|&(_, w)| w).sum())
        .collect();
    let nodes = Nodes::of(adjacency, &out_weight);
    let incoming = Incoming::of(adjacency, &out_weight, &nodes);
    let out_weight: Vec<f64> = nodes.connected.iter().map(|&i| out_weight[i]).collect();
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; nodes.connected.len()];
    let mut next = vec![0.0; rank.len()];
    let mut isolated_rank = uniform;
    let mut share: Vec<f64> = rank
        .par_iter()
        .zip(&out_weight)
        .map(|(&rank, &out)| damping * rank / out)
        .collect();
    for _ in 0..200 {
        let dangling = nodes.sum_in_order(&nodes.dangling, |node| match node {
            Node::Isolated => isolated_rank,
            Node::Connected(j) => rank[j],
        });
        let base = (1.0 - damping) * uniform + damping * dangling * uniform;
        // Each node sums what flows in, in the order of the nodes it comes
        // from: the order a walk over the sources adds it in, so the sums
        // are the same to the last bit whatever the thread count.
        next.par_iter_mut().enumerate().for_each(|(to, next)| {
            let mut sum = base;
            for (&from, &weight) in incoming.of_node(to) {
                sum += share[from as usize] * weight;
            }
            *next = sum;
        });
        // The next round's shares, and how far the ranks moved, in one pass.
        let moved_connected: f64 = share
            .par_iter_mut()
            .zip(&out_weight)
            .zip(rank.par_iter().zip(&next))
            .map(|((share, &out), (&old, &new))| {
                *share = damping * new / out;
                (old - new).abs()
            })
            .sum();
        let isolated_moved = (isolated_rank - base).abs();
        let moved = moved_connected + nodes.isolated as f64 * isolated_moved;
        let converged = has_converged(moved, n, || {
            nodes.sum_in_order(&nodes.every_node, |node| match node {
                Node::Isolated => isolated_moved,
                Node::Connected(j) => (rank[j] - next[j]).abs(),
            })
        });
        std::mem::swap(&mut rank, &mut next);
        isolated_rank = base;
        if converged {
            break;
        }
    }
    let mut ranks = vec![isolated_rank; n];
    for (&node, rank) in nodes.connected.iter().zip(rank) {
        ranks[node] = rank;
    }
    ranks
}

/// Whether the ranks moved less than 1e-12 in total, summed in node order
/// as ever: `moved` is the same sum of `n` terms in whatever order the
/// threads took. Summing n non-negative terms in any order is off the
/// true sum by at most (n − 1)·ε of it, so where `moved` is further than
/// that from the threshold, the sum in node order falls on the same side;
/// only near it is `in_node_order` summed.
fn has_converged(moved: f64, n: usize, in_node_order: impl FnOnce() -> f64) -> bool {
    const THRESHOLD: f64 = 1e-12;
    const MARGIN: f64 = 1e-6;
    let worst_error = n as f64 * f64::EPSILON;
    if worst_error < MARGIN / 4.0 {
        if moved > THRESHOLD * (1.0 + MARGIN) {
            return false;
        }
        if moved < THRESHOLD * (1.0 - MARGIN) {
            return true;
        }
    }
    in_node_order() < THRESHOLD
}

/// A node as the rounds see it: one of the nodes with edges (its place
/// among them), or one of the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Isolated,
    Connected(usize),
}

/// Which nodes have edges, and the orders the sums walk.
struct Nodes {
    /// The nodes with edges, ascending.
    connected: Vec<usize>,
    /// Each connected node's place in `connected`; `u32::MAX` for the rest.
    label: Vec<u32>,
    isolated: usize,
    /// Every node in node order, runs of isolated nodes as one entry.
    every_node: Vec<(Node, usize)>,
    /// The nodes without an outgoing weight in node order, likewise.
    dangling: Vec<(Node, usize)>,
}

impl Nodes {
    fn of(adjacency: &Adjacency, out_weight: &[f64]) -> Nodes {
        let mut nodes = Nodes {
            connected: Vec::new(),
            label: vec![u32::MAX; adjacency.len()],
            isolated: 0,
            every_node: Vec::new(),
            dangling: Vec::new(),
        };
        // Lists are meant to name each edge from both ends; a node only
        // named from the other end still has an edge.
        let mut named = vec![false; adjacency.len()];
        for edges in adjacency.iter() {
            for &(to, _) in edges {
                if let Some(named) = named.get_mut(to) {
                    *named = true;
                }
            }
        }
        for (i, edges) in adjacency.iter().enumerate() {
            let node = if edges.is_empty() && !named[i] {
                nodes.isolated += 1;
                Node::Isolated
            } else {
                nodes.label[i] = nodes.connected.len() as u32;
                nodes.connected.push(i);
                Node::Connected(nodes.connected.len() - 1)
            };
            push_run(&mut nodes.every_node, node);
            if out_weight[i] <= 0.0 {
                push_run(&mut nodes.dangling, node);
            }
        }
        nodes
    }

    /// The sum of `value` over `order`, added one term at a time in that
    /// order, as `Iterator::sum` adds: the same bits as a sum over every
    /// node's own entry.
    fn sum_in_order(&self, order: &[(Node, usize)], value: impl Fn(Node) -> f64) -> f64 {
        let mut sum: f64 = std::iter::empty::<f64>().sum();
        for &(node, count) in order {
            let term = value(node);
            for _ in 0..count {
                sum += term;
            }
        }
        sum
    }
}

/// Appends `node` to an order, as one more of a run of isolated nodes
/// where it can.
fn push_run(order: &mut Vec<(Node, usize)>, node: Node) {
    match order.last_mut() {
        Some((Node::Isolated, count)) if node == Node::Isolated => *count += 1,
        _ => order.push((node, 1)),
    }
}

/// The edges into each node with edges, sources ascending, in one block: a
/// graph of millions of nodes is walked two hundred times, and a walk over
/// one block reads memory in order where one list per node does not.
/// Nodes are numbered by their place among the nodes with edges.
struct Incoming {
    /// Where each node's edges start in `from` and `weight`; one more
    /// entry than nodes.
    start: Vec<usize>,
    from: Vec<u32>,
    weight: Vec<f64>,
}

impl Incoming {
    /// The edges of the nodes with an outgoing weight (no other node
    /// passes rank on along its edges).
    fn of(adjacency: &Adjacency, out_weight: &[f64], nodes: &Nodes) -> Incoming {
        let m = nodes.connected.len();
        let sources = || {
            nodes
                .connected
                .iter()
                .enumerate()
                .filter(|&(_, &from)| out_weight[from] > 0.0)
                .map(|(place, &from)| (place, &adjacency[from]))
        };
        let edges_in = || {
            sources().flat_map(|(place, edges)| {
                edges
                    .iter()
                    .map(move |&(to, weight)| (nodes.label[to] as usize, (place as u32, weight)))
            })
        };
        let Rows {
            offsets: start,
            slots: Sources { from, weight },
        } = count_then_fill(m, edges_in);
        Incoming {
            start,
            from,
            weight,
        }
    }

    fn of_node(&self, node: usize) -> impl Iterator<Item = (&u32, &f64)> {
        let range = self.start[node]..self.start[node + 1];
        self.from[range.clone()].iter().zip(&self.weight[range])
    }
}

/// The sources and weights of [`Incoming`]'s edges, in vectors of their
/// own: 12 bytes an edge, where a `(u32, f64)` pair is padded to 16, and
/// the rounds read them all up to two hundred times.
struct Sources {
    from: Vec<u32>,
    weight: Vec<f64>,
}

impl Slots for Sources {
    type Entry = (u32, f64);

    fn with_len(len: usize) -> Sources {
        Sources {
            from: vec![0; len],
            weight: vec![0.0; len],
        }
    }

    fn set(&mut self, slot: usize, (from, weight): (u32, f64)) {
        self.from[slot] = from;
        self.weight[slot] = weight;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmi_known_values() {
        // Always together: perfect association.
        assert_eq!(npmi(4, 4, 4, 4), 1.0);
        assert_eq!(npmi(2, 2, 2, 8), 1.0);
        // Independent: p(xy) = p(x) p(y) = 1/4 → pmi 0.
        assert!(npmi(1, 2, 2, 4).abs() < 1e-12);
        // Never together.
        assert_eq!(npmi(0, 3, 3, 10), -1.0);
        // 1 of 10 windows both, each in 5: pmi = ln(0.1/0.25) = ln 0.4,
        // npmi = ln 0.4 / −ln 0.1 = −0.397940…
        assert!((npmi(1, 5, 5, 10) - (-0.397_940_008_672_037_6)).abs() < 1e-12);
        // 2 of 10 together, each in 2: ln(0.2/0.04) / −ln 0.2 = 1.
        assert!((npmi(2, 2, 2, 10) - 1.0).abs() < 1e-12);
        // A hub in 9 of 10 windows with a node in 2 of them, together in 2:
        // ln(0.2 / (0.9·0.2)) / −ln 0.2 = ln(1/0.9)/ln 5 = 0.065464…
        assert!((npmi(2, 9, 2, 10) - 0.065_464_169_101_422_36).abs() < 1e-12);
    }

    #[test]
    fn pagerank_of_a_star_favours_the_centre() {
        // Centre 0 joined to 1, 2, 3 (weight 1): by symmetry the leaves are
        // equal, and the centre's rank solves r0 = 0.0375 + 0.85·3·r_leaf,
        // r_leaf = 0.0375 + 0.85·r0/3 → r0 = 0.133125/0.2775 = 0.479729…
        let adjacency = vec![
            vec![(1, 1.0), (2, 1.0), (3, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0)],
        ];
        let rank = pagerank(&Adjacency::from_lists(&adjacency), DAMPING);
        assert!((rank[0] - 0.479_729_729_729_729_7).abs() < 1e-9, "{rank:?}");
        assert!((rank[1] - rank[3]).abs() < 1e-12);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn pagerank_follows_weights_and_spreads_dangling_rank() {
        // 0–1 weight 3, 0–2 weight 1, node 3 alone.
        let adjacency = vec![
            vec![(1, 3.0), (2, 1.0)],
            vec![(0, 3.0)],
            vec![(0, 1.0)],
            vec![],
        ];
        let rank = pagerank(&Adjacency::from_lists(&adjacency), DAMPING);
        assert!(rank[1] > rank[2]);
        assert!(rank[3] < rank[2]);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    /// The walk over the sources, as PageRank was first written here: each
    /// node adds its share to its neighbours, nodes in order.
    fn pagerank_by_sources(adjacency: &[Vec<(usize, f64)>], damping: f64) -> Vec<f64> {
        let n = adjacency.len();
        let out_weight: Vec<f64> = adjacency
            .iter()
            .map(|edges| edges.iter().map(|&(_, w)| w).sum())
            .collect();
        let uniform = 1.0 / n as f64;
        let mut rank = vec![uniform; n];
        let mut next = vec![0.0; n];
        for _ in 0..200 {
            let dangling: f64 = (0..n)
                .filter(|&i| out_weight[i] <= 0.0)
                .map(|i| rank[i])
                .sum();
            let base = (1.0 - damping) * uniform + damping * dangling * uniform;
            next.iter_mut().for_each(|r| *r = base);
            for (from, edges) in adjacency.iter().enumerate() {
                if out_weight[from] <= 0.0 {
                    continue;
                }
                let share = damping * rank[from] / out_weight[from];
                for &(to, weight) in edges {
                    next[to] += share * weight;
                }
            }
            let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
            std::mem::swap(&mut rank, &mut next);
            if change < 1e-12 {
                break;
            }
        }
        rank
    }

    #[test]
    fn pagerank_is_the_walk_over_the_sources_to_the_last_bit_on_any_thread_count() {
        // 2,000 nodes, 6,000 edges of weights 1 to 5 from a fixed LCG, and
        // every tenth node alone: rounding would show in the last bits.
        let n = 2_000;
        let mut adjacency = vec![Vec::new(); n];
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize
        };
        let mut pairs = std::collections::BTreeSet::new();
        while pairs.len() < 6_000 {
            let (a, b) = (next() % n, next() % n);
            if a != b && a % 10 != 0 && b % 10 != 0 {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
        for (a, b) in pairs {
            let weight = (1 + next() % 5) as f64;
            adjacency[a].push((b, weight));
            adjacency[b].push((a, weight));
        }
        let expected: Vec<u64> = pagerank_by_sources(&adjacency, DAMPING)
            .iter()
            .map(|r| r.to_bits())
            .collect();
        let lists = Adjacency::from_lists(&adjacency);
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let rank: Vec<u64> = pool
                .install(|| pagerank(&lists, DAMPING))
                .iter()
                .map(|r| r.to_bits())
                .collect();
            assert_eq!(rank, expected, "{threads} threads");
        }
    }

    #[test]
    fn pagerank_keeps_the_bits_with_nodes_alone_and_edges_of_no_weight() {
        // Nodes 0, 3, 4 and 7 alone; 1–2 of weight 0 leaves 1 and 2
        // dangling with an edge, between runs of nodes alone.
        let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); 9];
        for (a, b, weight) in [(1, 2, 0.0), (5, 6, 2.0), (6, 8, 1.0), (5, 8, 3.0)] {
            adjacency[a].push((b, weight));
            adjacency[b].push((a, weight));
        }
        let bits = |ranks: Vec<f64>| ranks.iter().map(|r| r.to_bits()).collect::<Vec<u64>>();
        assert_eq!(
            bits(pagerank(&Adjacency::from_lists(&adjacency), DAMPING)),
            bits(pagerank_by_sources(&adjacency, DAMPING))
        );
    }

    #[test]
    fn convergence_is_summed_in_node_order_only_near_the_threshold() {
        // Far from 1e-12, the parallel sum decides alone.
        assert!(!has_converged(5e-12, 10, || unreachable!()));
        assert!(has_converged(1e-13, 10, || unreachable!()));
        // Near it, the sum in node order does.
        assert!(has_converged(1e-12, 10, || 0.9e-12));
        assert!(!has_converged(0.9999999e-12, 10, || 1e-12));
    }
}
