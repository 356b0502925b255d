//! Questions a user asks about one entity of a loaded corpus: which entity a
//! typed name means, and which entities the co-mention graph joins it to.
//! Every command that takes an entity asks them here, so `entity` and
//! `neighbors` resolve the same names and list the same neighbours.

use std::fmt;

use petgraph::visit::EdgeRef;

use crate::graph::{CoMentionGraph, Edge, Node};
use crate::model::{Entity, EntityTable};

/// How many close names an unknown one suggests.
const SUGGESTIONS: usize = 5;

/// A name that matches no entity, with the close ones a user may have meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEntity {
    pub wanted: String,
    /// `Name (id)`, closest first.
    pub suggestions: Vec<String>,
}

impl fmt::Display for UnknownEntity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no entity is called {:?}; ", self.wanted)?;
        if self.suggestions.is_empty() {
            write!(f, "`weeklygraph dict` lists them")
        } else {
            write!(f, "did you mean {}?", self.suggestions.join(", "))
        }
    }
}

impl std::error::Error for UnknownEntity {}

/// The entity a user means by `wanted`: its id (`neco:moco`), else its id,
/// name or alias in any case (`MOCO`, `moco`), tried in that order so that
/// an entity's own name beats another's alias.
pub fn resolve<'a>(entities: &'a EntityTable, wanted: &str) -> Result<&'a Entity, UnknownEntity> {
    let wanted = wanted.trim();
    if let Some(entity) = entities.get(wanted) {
        return Ok(entity);
    }
    let lower = wanted.to_lowercase();
    let all = || entities.values();
    all()
        .find(|e| e.id.to_lowercase() == lower)
        .or_else(|| all().find(|e| e.name.to_lowercase() == lower))
        .or_else(|| all().find(|e| e.aliases.iter().any(|a| a.to_lowercase() == lower)))
        .ok_or_else(|| UnknownEntity {
            wanted: wanted.to_string(),
            suggestions: close_names(entities, &lower),
        })
}

/// Entities whose id, name or alias contains the wanted text or is within a
/// few edits of it (a third of its length: `kubernets` finds `Kubernetes`),
/// closest first.
fn close_names(entities: &EntityTable, lower: &str) -> Vec<String> {
    let length = lower.chars().count();
    let limit = (length / 3).max(1);
    // Two letters are inside far too many names to say anything.
    let substring_counts = length >= 3;
    let mut scored: Vec<(usize, String)> = Vec::new();
    for entity in entities.values() {
        let best = std::iter::once(&entity.id)
            .chain(std::iter::once(&entity.name))
            .chain(&entity.aliases)
            .map(|name| {
                let name = name.to_lowercase();
                if substring_counts && name.contains(lower) {
                    0
                } else {
                    edit_distance(&name, lower)
                }
            })
            .min()
            .unwrap_or(usize::MAX);
        if best <= limit {
            scored.push((best, format!("{} ({})", entity.name, entity.id)));
        }
    }
    scored.sort();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, name)| name)
        .collect()
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// How neighbours are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rank {
    /// By NPMI (how much more often than chance the two are named
    /// together), then weight: a hub that is named with everything does
    /// not top every list.
    #[default]
    Npmi,
    /// By weight (the windows naming both), then NPMI.
    Weight,
}

impl Rank {
    pub const ALL: [Rank; 2] = [Rank::Npmi, Rank::Weight];

    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Npmi => "npmi",
            Rank::Weight => "weight",
        }
    }

    pub fn parse(name: &str) -> Option<Rank> {
        Rank::ALL.into_iter().find(|rank| rank.as_str() == name)
    }
}

/// An entity's node and its neighbours in the co-mention graph.
pub struct Neighbourhood<'g> {
    pub node: &'g Node,
    /// In the [`Rank`] asked for; ties by id.
    pub neighbours: Vec<Neighbour<'g>>,
}

pub struct Neighbour<'g> {
    pub node: &'g Node,
    pub edge: &'g Edge,
}

/// The entity's neighbourhood, or `None` when the graph's filters left it
/// out (no selected window mentions it).
pub fn neighbours<'g>(
    graph: &'g CoMentionGraph,
    entity_id: &str,
    rank: Rank,
) -> Option<Neighbourhood<'g>> {
    let index = graph.find(entity_id)?;
    let g = &graph.graph;
    let mut neighbours: Vec<Neighbour<'g>> = g
        .edges(index)
        .map(|e| {
            let other = if e.source() == index {
                e.target()
            } else {
                e.source()
            };
            Neighbour {
                node: &g[other],
                edge: e.weight(),
            }
        })
        .collect();
    neighbours.sort_by(|a, b| {
        let by_weight = b.edge.weight.cmp(&a.edge.weight);
        let by_npmi = b.edge.npmi.total_cmp(&a.edge.npmi);
        match rank {
            Rank::Npmi => by_npmi.then(by_weight),
            Rank::Weight => by_weight.then(by_npmi),
        }
        .then_with(|| a.node.entity_id.cmp(&b.node.entity_id))
    });
    Some(Neighbourhood {
        node: &g[index],
        neighbours,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphOptions, build};
    use crate::model::{Corpus, EntityKind};

    fn entities() -> EntityTable {
        [
            ("neco:moco", "MOCO", vec!["moco"]),
            ("tool:mysql", "MySQL", vec![]),
            ("tool:kubernetes", "Kubernetes", vec!["k8s"]),
            // An alias that is another entity's name: the name wins.
            ("tool:vitess", "Vitess", vec!["MySQL"]),
        ]
        .into_iter()
        .map(|(id, name, aliases)| Entity {
            aliases: aliases.into_iter().map(String::from).collect(),
            ..Entity::new(
                id,
                name,
                EntityKind::parse(id.split(':').next().unwrap()).unwrap(),
            )
        })
        .collect()
    }

    fn resolved(wanted: &str) -> Result<String, UnknownEntity> {
        resolve(&entities(), wanted).map(|e| e.id.clone())
    }

    #[test]
    fn resolves_ids_names_and_aliases_in_any_case() {
        assert_eq!(resolved("neco:moco").unwrap(), "neco:moco");
        assert_eq!(resolved(" TOOL:MySQL ").unwrap(), "tool:mysql");
        assert_eq!(resolved("mysql").unwrap(), "tool:mysql");
        assert_eq!(resolved("Kubernetes").unwrap(), "tool:kubernetes");
        assert_eq!(resolved("K8S").unwrap(), "tool:kubernetes");
        assert_eq!(resolved("moco").unwrap(), "neco:moco");
    }

    #[test]
    fn a_typo_suggests_the_close_names() {
        let error = resolved("kubernets").unwrap_err();
        assert_eq!(error.suggestions, ["Kubernetes (tool:kubernetes)"]);
        assert_eq!(
            error.to_string(),
            "no entity is called \"kubernets\"; did you mean Kubernetes (tool:kubernetes)?"
        );
        // Containing the text counts as closest.
        assert_eq!(
            resolved("mysq").unwrap_err().suggestions,
            ["MySQL (tool:mysql)", "Vitess (tool:vitess)"]
        );
        let error = resolved("zzzzzz").unwrap_err();
        assert!(error.suggestions.is_empty());
        assert_eq!(
            error.to_string(),
            "no entity is called \"zzzzzz\"; `weeklygraph dict` lists them"
        );
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("モコ", "モコ"), 0);
    }

    #[test]
    fn neighbours_come_heaviest_first_from_the_graph() {
        let corpus: Corpus = crate::trends::fixture::corpus();
        let graph = build(&corpus, &GraphOptions::default());
        let around = neighbours(&graph, "tool:kubebuilder", Rank::Weight).unwrap();
        assert_eq!(around.node.entity_id, "tool:kubebuilder");
        let ids: Vec<&str> = around
            .neighbours
            .iter()
            .map(|n| n.node.entity_id.as_str())
            .collect();
        assert_eq!(ids, ["neco:moco", "topic:cel"]);
        assert!(around.neighbours.iter().all(|n| n.edge.weight == 1));
        assert!(neighbours(&graph, "tool:nothing", Rank::Npmi).is_none());
    }
}
