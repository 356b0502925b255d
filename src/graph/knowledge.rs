//! The wider knowledge graph: issue —contains→ item —mentions→ entity,
//! item —links→ URL. Where the co-mention graph says two entities appear
//! together, this one says where: every co-mention edge is two `mentions`
//! edges from one item.

use std::collections::BTreeMap;

use crate::model::IssueRecord;

use super::{GraphOptions, in_date_range};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeType {
    Issue,
    Item,
    Entity,
    Url,
}

impl NodeType {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeType::Issue => "issue",
            NodeType::Item => "item",
            NodeType::Entity => "entity",
            NodeType::Url => "url",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    Contains,
    Mentions,
    Links,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Contains => "contains",
            Relation::Mentions => "mentions",
            Relation::Links => "links",
        }
    }
}

/// Borrows its text from the corpus: the knowledge graph is as large as
/// the corpus's mentions and links together.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeNode<'a> {
    /// Issue id, item id, entity id, or the URL itself.
    pub id: &'a str,
    pub node_type: NodeType,
    /// Title, entity name, or host for a URL.
    pub label: &'a str,
    /// Entity kind, item category, link kind; empty for issues.
    pub kind: &'static str,
    pub date: Option<crate::model::Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeEdge<'a> {
    pub source: &'a str,
    pub target: &'a str,
    pub relation: Relation,
    /// How often the item names the entity or links the URL (1 for `contains`).
    pub count: u32,
}

#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph<'a> {
    pub nodes: Vec<KnowledgeNode<'a>>,
    pub edges: Vec<KnowledgeEdge<'a>>,
}

/// Of `records` (in corpus order), the issues in the `--since/--until`
/// range with their items, the entities their items mention and the URLs
/// they link. Text outside items has no item to hang on and is left out.
/// Nodes come sorted by type and id, edges in corpus order.
pub fn build<'a>(
    records: impl IntoIterator<Item = &'a IssueRecord>,
    options: &GraphOptions,
) -> KnowledgeGraph<'a> {
    let mut nodes: BTreeMap<(NodeType, &str), KnowledgeNode<'a>> = BTreeMap::new();
    let mut edges = Vec::new();
    for record in records
        .into_iter()
        .filter(|r| in_date_range(r.issue.date, options))
    {
        let issue = &record.issue;
        nodes.insert(
            (NodeType::Issue, &issue.id),
            KnowledgeNode {
                id: &issue.id,
                node_type: NodeType::Issue,
                label: &issue.title,
                kind: "",
                date: issue.date,
            },
        );
        for item in &record.items {
            nodes.insert(
                (NodeType::Item, &item.id),
                KnowledgeNode {
                    id: &item.id,
                    node_type: NodeType::Item,
                    label: &item.title,
                    kind: item.category.as_str(),
                    date: issue.date,
                },
            );
            edges.push(KnowledgeEdge {
                source: &issue.id,
                target: &item.id,
                relation: Relation::Contains,
                count: 1,
            });
        }
        for mention in &record.mentions {
            let Some(item_id) = &mention.item_id else {
                continue;
            };
            nodes
                .entry((NodeType::Entity, &mention.entity_id))
                .or_insert_with(|| KnowledgeNode {
                    id: &mention.entity_id,
                    node_type: NodeType::Entity,
                    label: &mention.entity_name,
                    kind: mention.kind.as_str(),
                    date: None,
                });
            edges.push(KnowledgeEdge {
                source: item_id,
                target: &mention.entity_id,
                relation: Relation::Mentions,
                count: mention.count,
            });
        }
        let mut links: BTreeMap<(&str, &str), u32> = BTreeMap::new();
        for link in &record.links {
            let Some(item_id) = &link.item_id else {
                continue;
            };
            *links.entry((item_id, &link.url)).or_default() += 1;
            nodes
                .entry((NodeType::Url, &link.url))
                .or_insert_with(|| KnowledgeNode {
                    id: &link.url,
                    node_type: NodeType::Url,
                    label: &link.host,
                    kind: link.kind.as_str(),
                    date: None,
                });
        }
        edges.extend(links.into_iter().map(|((item, url), count)| KnowledgeEdge {
            source: item,
            target: url,
            relation: Relation::Links,
            count,
        }));
    }
    KnowledgeGraph {
        nodes: nodes.into_values().collect(),
        edges,
    }
}
