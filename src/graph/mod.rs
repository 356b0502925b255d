//! Graph: the co-mention knowledge graph (petgraph) built from a [`Corpus`].
//!
//! Nodes are entities; an edge joins two entities named in the same window
//! (one item, or one issue with `--window issue`). A window is the unit of
//! counting: an entity's `mentions` is the number of windows naming it, an
//! edge's `weight` the number of windows naming both ends, and NPMI compares
//! that with what chance would give (see [`metrics::npmi`]).
//!
//! Every edge keeps the windows that made it, so any edge can be traced back
//! to the items (or issues) that mention both of its ends.
//!
//! Node indices follow entity ids in sorted order and edges are added in
//! (source id, target id) order, so iterating the petgraph graph gives a
//! deterministic order that every export relies on.

pub mod backbone;
pub mod community;
pub mod knowledge;
pub mod metrics;
mod neighbors;

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{NodeIndex, UnGraph};

use crate::model::{Corpus, Date, EntityKind, IssueRecord};

pub use neighbors::neighbors_command;

/// Which text two mentions must share to join their entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Window {
    #[default]
    Item,
    Issue,
}

impl Window {
    pub fn as_str(self) -> &'static str {
        match self {
            Window::Item => "item",
            Window::Issue => "issue",
        }
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
    /// The windows naming both ends, in corpus order: item ids, or issue ids
    /// with `--window issue`.
    pub windows: Vec<String>,
}

/// The co-mention graph with its node and edge attributes.
#[derive(Debug, Clone, Default)]
pub struct CoMentionGraph {
    pub graph: UnGraph<Node, Edge>,
    pub window: Window,
    /// Windows in the selected issues, with or without mentions: the N of
    /// the probabilities behind NPMI.
    pub window_count: usize,
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

/// One window with the entities it names (indices into the candidate list).
struct MentionWindow {
    id: String,
    issue: usize,
    date: Option<Date>,
    entities: Vec<usize>,
}

/// What the mentions say of one entity before filtering.
struct Tally<'a> {
    entity_id: &'a str,
    name: &'a str,
    kind: EntityKind,
    windows: u32,
    issues: u32,
    last_issue: Option<usize>,
}

pub fn build(corpus: &Corpus, options: &GraphOptions) -> CoMentionGraph {
    let selected: Vec<&IssueRecord> = corpus
        .records
        .iter()
        .filter(|r| in_date_range(r.issue.date, options))
        .collect();
    let (tallies, windows, window_count) = collect_windows(&selected, options);
    let kept = keep_most_mentioned(&tallies, options.top);

    // Candidate index → node index; candidates are in entity-id order, so
    // node indices are too.
    let mut node_of: Vec<Option<u32>> = vec![None; tallies.len()];
    let mut graph: UnGraph<Node, Edge> = UnGraph::default();
    for (candidate, tally) in tallies.iter().enumerate() {
        // An entity named only outside items has no window here.
        if !kept[candidate] || tally.windows == 0 {
            continue;
        }
        let entity = corpus.entities.get(tally.entity_id);
        let index = graph.add_node(Node {
            entity_id: tally.entity_id.to_string(),
            name: entity.map_or(tally.name, |e| e.name.as_str()).to_string(),
            kind: entity.map_or(tally.kind, |e| e.kind),
            mentions: tally.windows,
            issues: tally.issues,
            degree: 0,
            weighted_degree: 0,
            pagerank: 0.0,
            community: 0,
        });
        node_of[candidate] = Some(index.index() as u32);
    }

    let pairs = count_pairs(&windows, &node_of);
    let mut keys: Vec<(u32, u32)> = pairs
        .iter()
        .filter(|(_, acc)| acc.weight >= options.min_weight)
        .map(|(key, _)| *key)
        .collect();
    keys.sort_unstable();
    for (a, b) in keys {
        let acc = &pairs[&(a, b)];
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
                windows: acc
                    .windows
                    .iter()
                    .map(|&w| windows[w as usize].id.clone())
                    .collect(),
            },
        );
    }

    let mut result = CoMentionGraph {
        graph,
        window: options.window,
        window_count,
    };
    measure(&mut result);
    result
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

/// Groups the selected mentions into windows and tallies each entity.
/// Returns the tallies in entity-id order, the windows in corpus order, and
/// the number of windows in the selected issues.
fn collect_windows<'a>(
    selected: &[&'a IssueRecord],
    options: &GraphOptions,
) -> (Vec<Tally<'a>>, Vec<MentionWindow>, usize) {
    // Pass 1: which entities, in id order.
    let mut candidate_of: BTreeMap<&'a str, (&'a str, EntityKind)> = BTreeMap::new();
    for record in selected {
        for mention in &record.mentions {
            if options.kinds.is_empty() || options.kinds.contains(&mention.kind) {
                candidate_of
                    .entry(mention.entity_id.as_str())
                    .or_insert((mention.entity_name.as_str(), mention.kind));
            }
        }
    }
    let index_of: HashMap<&str, usize> = candidate_of
        .keys()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let mut tallies: Vec<Tally> = candidate_of
        .into_iter()
        .map(|(entity_id, (name, kind))| Tally {
            entity_id,
            name,
            kind,
            windows: 0,
            issues: 0,
            last_issue: None,
        })
        .collect();

    // Pass 2: windows, in reading order within each issue.
    let mut windows = Vec::new();
    let mut window_count = 0;
    for (issue, record) in selected.iter().enumerate() {
        let mut by_window: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
        let ordinal: HashMap<&str, usize> = record
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.as_str(), i))
            .collect();
        for mention in &record.mentions {
            let Some(&candidate) = index_of.get(mention.entity_id.as_str()) else {
                continue;
            };
            let key = match options.window {
                Window::Issue => (0, record.issue.id.as_str()),
                Window::Item => match mention.item_id.as_deref() {
                    // Text outside items (intro, afterword) pairs nothing.
                    None => continue,
                    Some(item) => (ordinal.get(item).copied().unwrap_or(usize::MAX), item),
                },
            };
            by_window.entry(key).or_default().push(candidate);
        }
        window_count += match options.window {
            Window::Issue => 1,
            Window::Item => {
                let unlisted = by_window.keys().filter(|(o, _)| *o == usize::MAX).count();
                record.items.len() + unlisted
            }
        };
        for ((_, id), mut entities) in by_window {
            entities.sort_unstable();
            entities.dedup();
            for &candidate in &entities {
                let tally = &mut tallies[candidate];
                tally.windows += 1;
                if tally.last_issue != Some(issue) {
                    tally.issues += 1;
                    tally.last_issue = Some(issue);
                }
            }
            windows.push(MentionWindow {
                id: id.to_string(),
                issue,
                date: record.issue.date,
                entities,
            });
        }
    }
    (tallies, windows, window_count)
}

/// `--top N`: the N most mentioned entities, ties broken by id.
fn keep_most_mentioned(tallies: &[Tally], top: Option<usize>) -> Vec<bool> {
    let mut kept = vec![true; tallies.len()];
    if let Some(top) = top {
        let mut order: Vec<usize> = (0..tallies.len()).collect();
        order.sort_by(|&a, &b| {
            (std::cmp::Reverse(tallies[a].windows), tallies[a].entity_id)
                .cmp(&(std::cmp::Reverse(tallies[b].windows), tallies[b].entity_id))
        });
        for &dropped in order.iter().skip(top) {
            kept[dropped] = false;
        }
    }
    kept
}

#[derive(Default)]
struct PairAcc {
    weight: u32,
    issues: u32,
    last_issue: Option<usize>,
    first_seen: Option<Date>,
    last_seen: Option<Date>,
    windows: Vec<u32>,
}

/// Co-mention counts for every pair of nodes named in one window. Windows
/// are small (an item names a handful of entities), so this is linear in
/// the mentions, not quadratic in the entities.
fn count_pairs(windows: &[MentionWindow], node_of: &[Option<u32>]) -> HashMap<(u32, u32), PairAcc> {
    let mut pairs: HashMap<(u32, u32), PairAcc> = HashMap::new();
    let mut nodes = Vec::new();
    for (w, window) in windows.iter().enumerate() {
        nodes.clear();
        nodes.extend(window.entities.iter().filter_map(|&c| node_of[c]));
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                let acc = pairs.entry((a, b)).or_default();
                acc.weight += 1;
                if acc.last_issue != Some(window.issue) {
                    acc.issues += 1;
                    acc.last_issue = Some(window.issue);
                }
                if let Some(date) = window.date {
                    acc.first_seen = Some(acc.first_seen.map_or(date, |d| d.min(date)));
                    acc.last_seen = Some(acc.last_seen.map_or(date, |d| d.max(date)));
                }
                acc.windows.push(w as u32);
            }
        }
    }
    pairs
}

/// Degree, weighted degree, PageRank and community of every node.
fn measure(result: &mut CoMentionGraph) {
    let graph = &mut result.graph;
    let node_count = graph.node_count();
    let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); node_count];
    for edge in graph.edge_indices() {
        let Some((a, b)) = graph.edge_endpoints(edge) else {
            continue;
        };
        let weight = graph[edge].weight;
        adjacency[a.index()].push((b.index(), weight as f64));
        adjacency[b.index()].push((a.index(), weight as f64));
        for end in [a, b] {
            graph[end].degree += 1;
            graph[end].weighted_degree += weight as u64;
        }
    }
    let pagerank = metrics::pagerank(&adjacency, metrics::DAMPING);
    let community = community::louvain(&adjacency);
    for (i, node) in graph.node_weights_mut().enumerate() {
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
        assert_eq!(ab.windows, ["w-2022-01-01#1", "w-2022-01-01#2"]);
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
        assert_eq!(bc.windows, ["w-2022-01-01", "w-2022-02-01"]);
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
            id: id.into(),
            name: name.into(),
            kind,
            aliases: Vec::new(),
            urls: vec![format!("https://example.com/{name}")],
            category: String::new(),
            cncf: String::new(),
            match_rule: Default::default(),
            sig: String::new(),
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
            entities: entities.into_iter().map(|e| (e.id.clone(), e)).collect(),
            warnings: Vec::new(),
        }
    }

    pub fn hostile_graph() -> CoMentionGraph {
        build(&hostile_corpus(), &GraphOptions::default())
    }
}
