//! Graph: the co-mention knowledge graph (petgraph) built from a [`Corpus`].
//!
//! Nodes are entities; an edge joins two entities named in the same window
//! (one item, or one issue with `--window issue`). A window is the unit of
//! counting: an entity's `mentions` is the number of windows naming it, an
//! edge's `weight` the number of windows naming both ends, and NPMI compares
//! that with what chance would give (see [`metrics::npmi`]).
//!
//! Every edge keeps the first windows that made it ([`MAX_EDGE_WINDOWS`]),
//! so any edge can be traced back to items (or issues) that mention both of
//! its ends.
//!
//! [`GraphBuilder`] takes issue records one at a time and keeps only tallies
//! per entity and per pair of entities, so the corpus never has to be held
//! in memory.
//!
//! Node indices follow entity ids in sorted order and edges are added in
//! (source id, target id) order, so iterating the petgraph graph gives a
//! deterministic order that every export relies on.

pub mod adjacency;
pub mod backbone;
pub mod community;
pub mod knowledge;
pub mod metrics;

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{NodeIndex, UnGraph};
use rustc_hash::FxHashMap;

use crate::entity_ids::{EntityIds, EntityKey, KeysById};
use crate::model::{Corpus, Date, EntityKind, EntityLookup, EntityTable, IssueRecord};
use adjacency::Adjacency;

/// Which text two mentions must share to join their entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Window {
    #[default]
    Item,
    Issue,
}

impl Window {
    pub const ALL: [Window; 2] = [Window::Item, Window::Issue];

    pub fn as_str(self) -> &'static str {
        match self {
            Window::Item => "item",
            Window::Issue => "issue",
        }
    }

    /// The window [`Window::as_str`] names.
    pub fn parse(name: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.as_str() == name)
    }
}

/// What to keep of the graph.
#[derive(Debug, Clone, Default)]
pub struct GraphOptions {
    pub window: Window,
    pub min_weight: u32,
    pub top: Option<usize>,
    pub kinds: Vec<EntityKind>,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

/// An entity in the graph with its measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub entity_id: String,
    pub name: String,
    pub kind: EntityKind,
    /// Windows naming the entity.
    pub mentions: u32,
    /// Distinct issues among those windows.
    pub issues: u32,
    pub degree: u32,
    /// Sum of the weights of the node's edges.
    pub weighted_degree: u64,
    pub pagerank: f64,
    /// Louvain community: 0 is the largest.
    pub community: u32,
}

/// How many windows an edge lists: enough to trace it back to its text,
/// few enough that an edge's size does not grow with the corpus.
pub const MAX_EDGE_WINDOWS: usize = 20;

/// Two entities named together, with when and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Windows naming both ends.
    pub weight: u32,
    /// Distinct issues among those windows.
    pub issues: u32,
    pub npmi: f64,
    pub first_seen: Option<Date>,
    pub last_seen: Option<Date>,
    /// The first 20 ([`MAX_EDGE_WINDOWS`]) windows naming both ends, in
    /// corpus order: item ids, or issue ids with `--window issue`. `weight`
    /// counts them all; mentions.csv lists every one.
    pub windows: EdgeWindows,
}

/// The co-mention graph with its node and edge attributes.
#[derive(Debug, Clone, Default)]
pub struct CoMentionGraph {
    pub graph: UnGraph<Node, Edge>,
    pub window: Window,
    /// Windows in the selected issues, with or without mentions: the N of
    /// the probabilities behind NPMI.
    pub window_count: usize,
    /// What every issue of each publication is about: marked in the
    /// tables, left out of the drawing unless `draw_constants`.
    pub constants: crate::constants::Constants,
    pub draw_constants: bool,
}

impl CoMentionGraph {
    /// Nodes in entity-id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    /// Edges in (source id, target id) order, source id < target id.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> {
        self.graph.edge_indices().filter_map(|e| {
            let (a, b) = self.graph.edge_endpoints(e)?;
            Some((&self.graph[a], &self.graph[b], &self.graph[e]))
        })
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    pub fn find(&self, entity_id: &str) -> Option<NodeIndex> {
        let position = self
            .graph
            .raw_nodes()
            .binary_search_by(|n| n.weight.entity_id.as_str().cmp(entity_id))
            .ok()?;
        Some(NodeIndex::new(position))
    }
}

/// What the mentions say of one entity before filtering.
struct EntityCounts {
    key: EntityKey,
    /// Name and kind of the first mention, for entities `finish` is not told
    /// of (the name is left empty for the others).
    name: String,
    kind: EntityKind,
    windows: u32,
    issues: u32,
    /// Ordinal of the last issue counted in `issues` (1-based; 0 for none).
    last_issue: u32,
}

/// What the windows say of one pair of entities.
#[derive(Default)]
struct PairAcc {
    weight: u32,
    issues: u32,
    /// Ordinal of the last issue counted in `issues` (1-based; 0 for none).
    last_issue: u32,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    windows: EdgeWindows,
}

/// The first [`MAX_EDGE_WINDOWS`] window ids of a pair, packed into one
/// allocation because there is one of these per distinct pair, while the
/// pairs are counted and in the finished graph alike (millions of edges
/// at 1 GB, each listing up to 20 ids): each id is written as its byte
/// length, `:`, and the id, so no id text can be mistaken for a separator.
/// Read with [`EdgeWindows::iter`]; serialized as a list of ids.
#[derive(Default, Clone, PartialEq, Eq)]
pub struct EdgeWindows {
    packed: Box<str>,
}

impl EdgeWindows {
    pub fn push(&mut self, id: &str) {
        let length = id.len().to_string();
        let mut packed = String::with_capacity(self.packed.len() + length.len() + 1 + id.len());
        packed.push_str(&self.packed);
        packed.push_str(&length);
        packed.push(':');
        packed.push_str(id);
        self.packed = packed.into_boxed_str();
    }

    /// The ids in the order they were pushed.
    pub fn iter(&self) -> EdgeWindowIds<'_> {
        EdgeWindowIds { rest: &self.packed }
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }
}

impl<const N: usize> From<[&str; N]> for EdgeWindows {
    fn from(ids: [&str; N]) -> EdgeWindows {
        let mut windows = EdgeWindows::default();
        for id in ids {
            windows.push(id);
        }
        windows
    }
}

impl std::fmt::Debug for EdgeWindows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl serde::Serialize for EdgeWindows {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'a> IntoIterator for &'a EdgeWindows {
    type Item = &'a str;
    type IntoIter = EdgeWindowIds<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The ids of an [`EdgeWindows`], in order.
#[derive(Clone)]
pub struct EdgeWindowIds<'a> {
    rest: &'a str,
}

impl<'a> Iterator for EdgeWindowIds<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (length, tail) = self.rest.split_once(':')?;
        let length = length.parse::<usize>().ok()?;
        let (Some(id), Some(after)) = (tail.get(..length), tail.get(length..)) else {
            return None;
        };
        self.rest = after;
        Some(id)
    }
}

/// In [`GraphBuilder::entity_of`]: an entity no window has counted yet.
const NOT_COUNTED: u32 = u32::MAX;

/// Builds the co-mention graph from issue records fed one at a time.
///
/// It keeps tallies per distinct entity and per distinct pair of entities,
/// never per item or mention, so a record can be dropped as soon as it has
/// been added.
pub struct GraphBuilder {
    options: GraphOptions,
    /// [`EntityKey`] → index into `tallies`, in order of first mention
    /// ([`NOT_COUNTED`] for none yet).
    entity_of: Vec<u32>,
    tallies: Vec<EntityCounts>,
    /// Keyed by `entity_of` indices, smaller first.
    pairs: FxHashMap<(u32, u32), PairAcc>,
    window_count: usize,
    /// Records added that passed the date filter.
    issues_added: u32,
}

impl GraphBuilder {
    pub fn new(options: &GraphOptions) -> GraphBuilder {
        GraphBuilder {
            options: options.clone(),
            entity_of: Default::default(),
            tallies: Vec::new(),
            pairs: Default::default(),
            window_count: 0,
            issues_added: 0,
        }
    }

    /// Records must come in corpus order (as in `corpus.records`): that is
    /// the order of every edge's windows and what lets issues be counted
    /// with a last-issue marker.
    /// `keys`: the key of each of the record's mentions in `ids`.
    pub fn add(&mut self, record: &IssueRecord, keys: &[EntityKey], ids: &EntityIds) {
        if !in_date_range(record.issue.date, &self.options) {
            return;
        }
        self.issues_added += 1;
        let issue = self.issues_added;
        let windows = self.group_into_windows(record, keys, ids);
        self.window_count += match self.options.window {
            Window::Issue => 1,
            Window::Item => {
                let unlisted = windows.keys().filter(|(o, _)| *o == usize::MAX).count();
                record.items.len() + unlisted
            }
        };
        for ((_, window_id), mut entities) in windows {
            entities.sort_unstable();
            entities.dedup();
            self.count_window(window_id, issue, record.issue.date, &entities);
        }
    }

    /// The record's mentions of wanted kinds, grouped by window in reading
    /// order: (item ordinal, item id), or one window for the whole issue.
    fn group_into_windows<'r>(
        &mut self,
        record: &'r IssueRecord,
        keys: &[EntityKey],
        ids: &EntityIds,
    ) -> BTreeMap<(usize, &'r str), Vec<u32>> {
        let mut windows: BTreeMap<(usize, &str), Vec<u32>> = BTreeMap::new();
        let ordinal: HashMap<&str, usize> = match self.options.window {
            Window::Issue => HashMap::new(),
            Window::Item => record
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| (item.id.as_str(), i))
                .collect(),
        };
        for (mention, &key) in record.mentions.iter().zip(keys) {
            if !(self.options.kinds.is_empty() || self.options.kinds.contains(&mention.kind)) {
                continue;
            }
            // Counted even outside items: such an entity still competes for
            // a `--top` place, as it always has.
            let name = if ids.is_known(key) {
                ""
            } else {
                &mention.entity_name
            };
            let entity = self.intern(key, name, mention.kind);
            let key = match self.options.window {
                Window::Issue => (0, record.issue.id.as_str()),
                Window::Item => match mention.item_id.as_deref() {
                    // Text outside items (intro, afterword) pairs nothing.
                    None => continue,
                    // Items the outline does not list come after those it does.
                    Some(item) => (ordinal.get(item).copied().unwrap_or(usize::MAX), item),
                },
            };
            windows.entry(key).or_default().push(entity);
        }
        windows
    }

    fn intern(&mut self, key: EntityKey, name: &str, kind: EntityKind) -> u32 {
        match self.entity_of.get(key as usize) {
            Some(&entity) if entity != NOT_COUNTED => return entity,
            Some(_) => {}
            None => self.entity_of.resize(key as usize + 1, NOT_COUNTED),
        }
        let entity = self.tallies.len() as u32;
        self.entity_of[key as usize] = entity;
        self.tallies.push(EntityCounts {
            key,
            name: name.to_string(),
            kind,
            windows: 0,
            issues: 0,
            last_issue: 0,
        });
        entity
    }

    /// One window naming `entities` (sorted, distinct). Windows are small
    /// (an item names a handful of entities), so the pairs are linear in the
    /// mentions, not quadratic in the entities.
    fn count_window(&mut self, window_id: &str, issue: u32, date: Option<Date>, entities: &[u32]) {
        for &entity in entities {
            let tally = &mut self.tallies[entity as usize];
            tally.windows += 1;
            if tally.last_issue != issue {
                tally.issues += 1;
                tally.last_issue = issue;
            }
        }
        for (i, &a) in entities.iter().enumerate() {
            for &b in &entities[i + 1..] {
                let acc = self.pairs.entry((a, b)).or_default();
                if (acc.weight as usize) < MAX_EDGE_WINDOWS {
                    acc.windows.push(window_id);
                }
                acc.weight += 1;
                if acc.last_issue != issue {
                    acc.issues += 1;
                    acc.last_issue = issue;
                }
                if let Some(date) = date {
                    acc.first_seen = Some(acc.first_seen.map_or(date, |d| d.min(date)));
                    acc.last_seen = Some(acc.last_seen.map_or(date, |d| d.max(date)));
                }
            }
        }
    }

    /// `entities`: every entity in force (`corpus.entities`), for names and
    /// kinds.
    pub fn finish(self, entities: &EntityTable, ids: &EntityIds) -> CoMentionGraph {
        self.finish_by_id(ids, &ids.by_id(entities))
    }

    /// [`GraphBuilder::finish`], with the keys already in id order.
    pub fn finish_by_id(self, ids: &EntityIds, by_id: &KeysById<'_>) -> CoMentionGraph {
        let GraphBuilder {
            options,
            entity_of,
            tallies,
            pairs,
            window_count,
            ..
        } = self;
        let kept = keep_most_mentioned(&tallies, options.top, ids);

        // Nodes are added in entity-id order, so node indices are too.
        let mut node_of: Vec<Option<u32>> = vec![None; tallies.len()];
        let mut graph: UnGraph<Node, Edge> = UnGraph::with_capacity(tallies.len(), pairs.len());
        for (key, known) in by_id.iter() {
            let Some(&entity) = entity_of.get(key as usize).filter(|&&e| e != NOT_COUNTED) else {
                continue;
            };
            let tally = &tallies[entity as usize];
            // An entity named only outside items has no window here.
            if !kept[entity as usize] || tally.windows == 0 {
                continue;
            }
            let index = graph.add_node(Node {
                entity_id: ids.id(key).to_string(),
                name: known.map_or(&tally.name, |e| &e.name).clone(),
                kind: known.map_or(tally.kind, |e| e.kind),
                mentions: tally.windows,
                issues: tally.issues,
                degree: 0,
                weighted_degree: 0,
                pagerank: 0.0,
                community: 0,
            });
            node_of[entity as usize] = Some(index.index() as u32);
        }

        crate::pipeline::progress::timed("graph: edges", || {
            let mut edges: Vec<((u32, u32), PairAcc)> = pairs
                .into_iter()
                .filter(|(_, acc)| acc.weight >= options.min_weight)
                .filter_map(|((a, b), acc)| {
                    let (a, b) = (node_of[a as usize]?, node_of[b as usize]?);
                    Some(((a.min(b), a.max(b)), acc))
                })
                .collect();
            edges.sort_unstable_by_key(|(key, _)| *key);
            for ((a, b), acc) in edges {
                let (a, b) = (NodeIndex::new(a as usize), NodeIndex::new(b as usize));
                let npmi = metrics::npmi(
                    acc.weight as u64,
                    graph[a].mentions as u64,
                    graph[b].mentions as u64,
                    window_count as u64,
                );
                graph.add_edge(
                    a,
                    b,
                    Edge {
                        weight: acc.weight,
                        issues: acc.issues,
                        npmi,
                        first_seen: acc.first_seen,
                        last_seen: acc.last_seen,
                        windows: acc.windows,
                    },
                );
            }
        });

        let mut result = CoMentionGraph {
            graph,
            window: options.window,
            window_count,
            ..CoMentionGraph::default()
        };
        crate::pipeline::progress::timed("graph: measuring", || measure(&mut result));
        result
    }
}

pub fn build(corpus: &Corpus, options: &GraphOptions) -> CoMentionGraph {
    let mut builder = GraphBuilder::new(options);
    let mut ids = EntityIds::default();
    let lookup = EntityLookup::new(&corpus.entities);
    for record in &corpus.records {
        let keys = ids.keys_of(record, &lookup);
        builder.add(record, &keys, &ids);
    }
    builder.finish(&corpus.entities, &ids)
}

pub(crate) fn in_date_range(date: Option<Date>, options: &GraphOptions) -> bool {
    if options.since.is_none() && options.until.is_none() {
        return true;
    }
    let Some(date) = date else {
        return false;
    };
    options.since.is_none_or(|since| date >= since)
        && options.until.is_none_or(|until| date <= until)
}

/// `--top N`: the N most mentioned entities, ties broken by id. Indexed
/// like `tallies`.
fn keep_most_mentioned(tallies: &[EntityCounts], top: Option<usize>, ids: &EntityIds) -> Vec<bool> {
    let mut kept = vec![true; tallies.len()];
    if let Some(top) = top {
        let mut order: Vec<usize> = (0..tallies.len()).collect();
        let rank = |entity: usize| {
            let tally = &tallies[entity];
            (std::cmp::Reverse(tally.windows), ids.id(tally.key))
        };
        order.sort_by(|&a, &b| rank(a).cmp(&rank(b)));
        for &dropped in order.iter().skip(top) {
            kept[dropped] = false;
        }
    }
    kept
}

/// Degree, weighted degree, PageRank and community of every node.
fn measure(result: &mut CoMentionGraph) {
    let graph = &mut result.graph;
    let node_count = graph.node_count();
    let mut weighted_degree = vec![0u64; node_count];
    let ends: Vec<(usize, usize, f64)> = graph
        .edge_indices()
        .filter_map(|edge| {
            let (a, b) = graph.edge_endpoints(edge)?;
            let weight = graph[edge].weight;
            weighted_degree[a.index()] += u64::from(weight);
            weighted_degree[b.index()] += u64::from(weight);
            Some((a.index(), b.index(), f64::from(weight)))
        })
        .collect();
    let adjacency = Adjacency::from_edges(node_count, &ends);
    drop(ends);
    // Neither reads the other: on a graph of hundreds of thousands of
    // nodes each takes a good part of a second.
    let (pagerank, community) = rayon::join(
        || {
            crate::pipeline::progress::timed("pagerank", || {
                metrics::pagerank(&adjacency, metrics::DAMPING)
            })
        },
        || crate::pipeline::progress::timed("louvain", || community::louvain(&adjacency)),
    );
    for (i, node) in graph.node_weights_mut().enumerate() {
        node.degree = adjacency[i].len() as u32;
        node.weighted_degree = weighted_degree[i];
        node.pagerank = pagerank[i];
        node.community = community[i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, IssueMeta, ItemMeta, Mention, Via};

    fn record(issue_id: &str, date: &str, items: &[&[&str]]) -> IssueRecord {
        let date = Date::parse_from_str(date, "%Y-%m-%d").ok();
        let mut mentions = Vec::new();
        let mut item_metas = Vec::new();
        for (n, entities) in items.iter().enumerate() {
            let item_id = crate::model::item_id(issue_id, n);
            item_metas.push(ItemMeta {
                id: item_id.clone(),
                section: "News".into(),
                category: Category::News,
                title: format!("item {}", n + 1),
                url: None,
            });
            for entity in *entities {
                mentions.push(mention(issue_id, Some(&item_id), date, entity));
            }
        }
        IssueRecord {
            issue: IssueMeta {
                id: issue_id.into(),
                publication: "test".into(),
                title: issue_id.into(),
                date,
                number: None,
                source_path: format!("{issue_id}.md"),
                format: crate::model::Format::Markdown,
                sections: 1,
                links: 0,
                boilerplate_lines: 0,
                url: None,
                path: String::new(),
            },
            items: item_metas,
            mentions,
            links: Vec::new(),
            discovered: Vec::new(),
            candidates: Vec::new(),
        }
    }

    fn mention(issue_id: &str, item_id: Option<&str>, date: Option<Date>, entity: &str) -> Mention {
        let kind =
            EntityKind::parse(entity.split(':').next().unwrap_or("")).unwrap_or(EntityKind::Tool);
        Mention {
            issue_id: issue_id.into(),
            item_id: item_id.map(str::to_string),
            date,
            category: Category::News,
            entity_id: entity.into(),
            entity_name: entity.split(':').nth(1).unwrap_or(entity).into(),
            kind,
            via: Via::Alias,
            surface: entity.into(),
            count: 1,
            version: None,
        }
    }

    fn corpus() -> Corpus {
        let mut outside = record("w-2022-02-01", "2022-02-01", &[&["tool:a", "tool:c"], &[]]);
        outside
            .mentions
            .push(mention("w-2022-02-01", None, outside.issue.date, "tool:b"));
        Corpus {
            records: vec![
                record(
                    "w-2022-01-01",
                    "2022-01-01",
                    &[
                        &["tool:a", "tool:b"],
                        &["tool:a", "tool:b", "neco:x"],
                        &["tool:c"],
                    ],
                ),
                outside,
            ],
            ..Corpus::default()
        }
    }

    fn edge<'g>(graph: &'g CoMentionGraph, a: &str, b: &str) -> Option<&'g Edge> {
        graph
            .edges()
            .find(|(s, t, _)| s.entity_id == a && t.entity_id == b)
            .map(|(_, _, e)| e)
    }

    #[test]
    fn item_window_counts_items_and_keeps_their_ids() {
        let graph = build(&corpus(), &GraphOptions::default());
        assert_eq!(graph.window_count, 5);
        let ids: Vec<&str> = graph.nodes().map(|n| n.entity_id.as_str()).collect();
        assert_eq!(ids, ["neco:x", "tool:a", "tool:b", "tool:c"]);
        let ab = edge(&graph, "tool:a", "tool:b").unwrap();
        assert_eq!(ab.weight, 2);
        assert_eq!(ab.issues, 1);
        assert_eq!(
            ab.windows,
            EdgeWindows::from(["w-2022-01-01#1", "w-2022-01-01#2"])
        );
        // tool:b outside items in the second issue pairs with nothing.
        assert_eq!(graph.nodes().nth(2).unwrap().mentions, 2);
        let ac = edge(&graph, "tool:a", "tool:c").unwrap();
        assert_eq!(
            (ac.weight, ac.first_seen.unwrap().to_string()),
            (1, "2022-02-01".into())
        );
        assert_eq!(graph.edge_count(), 4);
    }

    #[test]
    fn issue_window_joins_everything_in_one_issue() {
        let options = GraphOptions {
            window: Window::Issue,
            ..GraphOptions::default()
        };
        let graph = build(&corpus(), &options);
        assert_eq!(graph.window_count, 2);
        let bc = edge(&graph, "tool:b", "tool:c").unwrap();
        assert_eq!((bc.weight, bc.issues), (2, 2));
        assert_eq!(
            bc.windows,
            EdgeWindows::from(["w-2022-01-01", "w-2022-02-01"])
        );
        // Both named in both issues: p(xy) = 1.
        assert_eq!(bc.npmi, 1.0);
    }

    #[test]
    fn filters_drop_nodes_and_edges() {
        let top = build(
            &corpus(),
            &GraphOptions {
                top: Some(2),
                ..GraphOptions::default()
            },
        );
        let ids: Vec<&str> = top.nodes().map(|n| n.entity_id.as_str()).collect();
        assert_eq!(ids, ["tool:a", "tool:b"]);

        let heavy = build(
            &corpus(),
            &GraphOptions {
                min_weight: 2,
                ..GraphOptions::default()
            },
        );
        assert_eq!(heavy.edge_count(), 1);
        assert_eq!(heavy.node_count(), 4);

        let necos = build(
            &corpus(),
            &GraphOptions {
                kinds: vec![EntityKind::Neco],
                ..GraphOptions::default()
            },
        );
        assert_eq!((necos.node_count(), necos.edge_count()), (1, 0));

        let february = build(
            &corpus(),
            &GraphOptions {
                since: Date::from_ymd_opt(2022, 1, 15),
                ..GraphOptions::default()
            },
        );
        assert_eq!(february.window_count, 2);
        let ids: Vec<&str> = february.nodes().map(|n| n.entity_id.as_str()).collect();
        assert_eq!(ids, ["tool:a", "tool:c"]);
    }

    #[test]
    fn undated_issues_leave_when_a_range_is_given() {
        let mut corpus = corpus();
        corpus.records[0].issue.date = None;
        let graph = build(
            &corpus,
            &GraphOptions {
                until: Date::from_ymd_opt(2030, 1, 1),
                ..GraphOptions::default()
            },
        );
        assert_eq!(graph.window_count, 2);
    }

    #[test]
    fn edges_list_only_their_first_windows() {
        let records: Vec<IssueRecord> = (1..=25)
            .map(|day| {
                let issue_id = format!("w-2022-01-{day:02}");
                let date = format!("2022-01-{day:02}");
                record(&issue_id, &date, &[&["tool:a", "tool:b"]])
            })
            .collect();
        let corpus = Corpus {
            records,
            ..Corpus::default()
        };
        let graph = build(&corpus, &GraphOptions::default());
        let ab = edge(&graph, "tool:a", "tool:b").unwrap();
        assert_eq!((ab.weight, ab.issues), (25, 25));
        assert_eq!(ab.windows.len(), MAX_EDGE_WINDOWS);
        let expected: Vec<String> = (1..=MAX_EDGE_WINDOWS)
            .map(|day| format!("w-2022-01-{day:02}#1"))
            .collect();
        assert_eq!(ab.windows.iter().collect::<Vec<_>>(), expected);
        assert_eq!(ab.last_seen.unwrap().to_string(), "2022-01-25");
    }

    #[test]
    fn window_ids_survive_packing_whatever_their_text() {
        let ids = ["", "3:abc", "a:b:c", "モコ#1", "12"];
        let windows = EdgeWindows::from(ids);
        assert_eq!(windows.iter().collect::<Vec<_>>(), ids);
        assert_eq!(windows.len(), ids.len());
        assert_eq!(
            serde_json::to_string(&windows).unwrap(),
            r#"["","3:abc","a:b:c","モコ#1","12"]"#
        );
    }

    #[test]
    fn degrees_sum_edge_weights() {
        let graph = build(&corpus(), &GraphOptions::default());
        let a = &graph.graph[graph.find("tool:a").unwrap()];
        assert_eq!((a.degree, a.weighted_degree), (3, 4));
        let total: f64 = graph.nodes().map(|n| n.pagerank).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }
}

/// A small graph whose names try to break every output format.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::model::{Category, Entity, IssueMeta, ItemMeta, Mention, Via};

    pub const HOSTILE_NAME: &str = "Say \"hi\" \\ <script>alert('x')</script> & co\nline two";
    /// How graph.dot writes it.
    pub const HOSTILE_DOT: &str =
        r#"label="Say \"hi\" \\ <script>alert('x')</script> & co\nline two""#;

    fn entity(id: &str, name: &str, kind: EntityKind) -> Entity {
        Entity {
            urls: vec![format!("https://example.com/{name}")],
            ..Entity::new(id, name, kind)
        }
    }

    /// Three items of one issue (2022-09-16): MOCO + MySQL, MOCO + MySQL +
    /// the hostile name, the hostile name + モコ.
    pub fn hostile_corpus() -> Corpus {
        let entities = [
            entity("neco:moco", "MOCO", EntityKind::Neco),
            entity("tool:mysql", "MySQL", EntityKind::Tool),
            entity("tool:evil", HOSTILE_NAME, EntityKind::Tool),
            entity("tool:moko", "モコ", EntityKind::Tool),
        ];
        let issue_id = "w-2022-09-16";
        let date = Date::from_ymd_opt(2022, 9, 16);
        let items: [&[&str]; 3] = [
            &["neco:moco", "tool:mysql"],
            &["neco:moco", "tool:mysql", "tool:evil"],
            &["tool:evil", "tool:moko"],
        ];
        let mut record = IssueRecord {
            issue: IssueMeta {
                id: issue_id.into(),
                publication: "w".into(),
                title: "Weekly <b>&</b> \"news\"".into(),
                date,
                number: Some(8),
                source_path: "w/2022-09-16.md".into(),
                format: crate::model::Format::Markdown,
                sections: 1,
                links: 0,
                boilerplate_lines: 0,
                url: None,
                path: String::new(),
            },
            items: Vec::new(),
            mentions: Vec::new(),
            links: Vec::new(),
            discovered: Vec::new(),
            candidates: Vec::new(),
        };
        for (n, ids) in items.iter().enumerate() {
            let item_id = crate::model::item_id(issue_id, n);
            record.items.push(ItemMeta {
                id: item_id.clone(),
                section: "News".into(),
                category: Category::News,
                title: format!("Item {} \\ \"quoted\" <i>", n + 1),
                url: Some(format!("https://example.com/{}", n + 1)),
            });
            for id in *ids {
                let e = entities.iter().find(|e| e.id == *id).unwrap();
                record.mentions.push(Mention {
                    issue_id: issue_id.into(),
                    item_id: Some(item_id.clone()),
                    date,
                    category: Category::News,
                    entity_id: e.id.clone(),
                    entity_name: e.name.clone(),
                    kind: e.kind,
                    via: Via::Alias,
                    surface: e.name.clone(),
                    count: 1,
                    version: None,
                });
            }
        }
        Corpus {
            records: vec![record],
            entities: entities.into_iter().collect(),
            warnings: Vec::new(),
        }
    }

    pub fn hostile_graph() -> CoMentionGraph {
        build(&hostile_corpus(), &GraphOptions::default())
    }
}
