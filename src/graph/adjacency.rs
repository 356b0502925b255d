//! Weighted adjacency lists of an undirected graph in one block of memory.
//!
//! PageRank and Louvain walk every node's neighbours again and again; a
//! co-mention graph of a large corpus has millions of nodes, most of them
//! with no edge. One list per node costs an allocation each and a pointer
//! to chase on every visit; here node `i`'s neighbours are one slice of a
//! single vector, in the order they were given.

use std::ops::Index;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adjacency {
    /// Where each node's neighbours start in `edges`; one more entry than
    /// nodes.
    offsets: Vec<usize>,
    edges: Vec<(usize, f64)>,
}

impl Adjacency {
    /// `node_count` nodes; each edge `(a, b, weight)` listed from both
    /// ends, so that a node's neighbours come in the order of its edges.
    pub fn from_edges(node_count: usize, ends: &[(usize, usize, f64)]) -> Adjacency {
        let both_ends = || {
            ends.iter()
                .flat_map(|&(a, b, weight)| [(a, (b, weight)), (b, (a, weight))])
        };
        let Rows { offsets, slots } = count_then_fill(node_count, both_ends);
        Adjacency {
            offsets,
            edges: slots,
        }
    }

    /// The lists as given, one per node.
    #[cfg(test)]
    pub fn from_lists<L: AsRef<[(usize, f64)]>>(lists: &[L]) -> Adjacency {
        let mut adjacency = Adjacency::with_capacity(lists.len(), 0);
        for list in lists {
            adjacency.push_node(list.as_ref().iter().copied());
        }
        adjacency
    }

    /// Room for `nodes` nodes and `edges` neighbour entries, to be added
    /// with [`Adjacency::push_node`].
    pub fn with_capacity(nodes: usize, edges: usize) -> Adjacency {
        let mut offsets = Vec::with_capacity(nodes + 1);
        offsets.push(0);
        Adjacency {
            offsets,
            edges: Vec::with_capacity(edges),
        }
    }

    /// Adds the next node, with these neighbours.
    pub fn push_node(&mut self, neighbours: impl IntoIterator<Item = (usize, f64)>) {
        self.edges.extend(neighbours);
        self.offsets.push(self.edges.len());
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every node's neighbours, in node order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[(usize, f64)]> + '_ {
        self.offsets
            .windows(2)
            .map(|span| &self.edges[span[0]..span[1]])
    }
}

impl Index<usize> for Adjacency {
    type Output = [(usize, f64)];

    fn index(&self, node: usize) -> &[(usize, f64)] {
        &self.edges[self.offsets[node]..self.offsets[node + 1]]
    }
}

/// Rows of entries in one block: row `r`'s entries are slots
/// `offsets[r]..offsets[r + 1]` of `slots`.
pub(super) struct Rows<S> {
    /// Where each row starts in `slots`; one more entry than rows.
    pub offsets: Vec<usize>,
    pub slots: S,
}

/// Where [`count_then_fill`] puts the entries: made at its full length
/// once every row is counted, then written slot by slot, so that a caller
/// can keep the parts of an entry in vectors of their own.
pub(super) trait Slots {
    type Entry;
    fn with_len(len: usize) -> Self;
    fn set(&mut self, slot: usize, entry: Self::Entry);
}

impl<T: Clone + Default> Slots for Vec<T> {
    type Entry = T;

    fn with_len(len: usize) -> Vec<T> {
        vec![T::default(); len]
    }

    fn set(&mut self, slot: usize, entry: T) {
        self[slot] = entry;
    }
}

/// Groups `(row, entry)` pairs by row into one block, each row's entries
/// in the order `entries` yields them: PageRank and Louvain add up a row's
/// weights in that order, so it decides their outputs to the last bit.
///
/// Counts each row's entries first and then places every entry at its
/// row's cursor, rather than sorting or growing one list per row: one
/// block of entries, and no entry moves twice. `entries` is walked twice, so it
/// must yield the same pairs both times; every row must be below `rows`.
pub(super) fn count_then_fill<S, I>(rows: usize, entries: impl Fn() -> I) -> Rows<S>
where
    S: Slots,
    I: IntoIterator<Item = (usize, S::Entry)>,
{
    let mut offsets = vec![0usize; rows + 1];
    // `for_each` rather than a `for` loop: it runs a chain of `flat_map`s
    // as nested loops, where `next` would find its place in the chain
    // again for every entry.
    entries()
        .into_iter()
        .for_each(|(row, _)| offsets[row + 1] += 1);
    for row in 0..rows {
        offsets[row + 1] += offsets[row];
    }
    let mut next_slot = offsets.clone();
    let mut slots = S::with_len(offsets[rows]);
    entries().into_iter().for_each(|(row, entry)| {
        slots.set(next_slot[row], entry);
        next_slot[row] += 1;
    });
    Rows { offsets, slots }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_listed_from_both_ends_in_the_order_given() {
        let adjacency = Adjacency::from_edges(4, &[(0, 2, 1.0), (2, 1, 3.0), (0, 1, 2.0)]);
        assert_eq!(adjacency.len(), 4);
        assert_eq!(&adjacency[0], &[(2, 1.0), (1, 2.0)]);
        assert_eq!(&adjacency[1], &[(2, 3.0), (0, 2.0)]);
        assert_eq!(&adjacency[2], &[(0, 1.0), (1, 3.0)]);
        assert!(adjacency[3].is_empty());
        let lists: Vec<Vec<(usize, f64)>> = adjacency.iter().map(<[_]>::to_vec).collect();
        assert_eq!(Adjacency::from_lists(&lists), adjacency);
    }

    #[test]
    fn no_nodes() {
        let adjacency = Adjacency::from_edges(0, &[]);
        assert!(adjacency.is_empty());
        assert_eq!(adjacency.iter().count(), 0);
        assert!(Adjacency::from_lists::<Vec<(usize, f64)>>(&[]).is_empty());
    }
}
