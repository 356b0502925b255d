//! `weeklygraph neighbors ENTITY`: an entity's strongest neighbours and the
//! items that join them.

use std::collections::HashMap;
use std::io::Write;

use anyhow::bail;
use petgraph::visit::EdgeRef;

use super::{GraphOptions, Window, build};
use crate::model::{Corpus, Date, Entity};

/// Items listed under each neighbour; a hub's pairs can have hundreds.
const ITEMS_PER_NEIGHBOUR: usize = 10;

/// `weeklygraph neighbors ENTITY`.
pub fn neighbors_command(
    corpus: &Corpus,
    options: &GraphOptions,
    entity: &str,
    limit: usize,
) -> anyhow::Result<()> {
    let entity_id = resolve_entity(corpus, entity)?;
    let graph = build(corpus, options);
    let mut out = std::io::stdout().lock();
    let Some(node) = graph.find(&entity_id) else {
        let name = corpus
            .entities
            .get(&entity_id)
            .map_or(entity_id.as_str(), |e| e.name.as_str());
        writeln!(
            out,
            "{name} ({entity_id}) is not in the graph: no {} in the selected issues mentions it",
            graph.window.as_str()
        )?;
        return Ok(());
    };
    let g = &graph.graph;
    let mut neighbours: Vec<_> = g
        .edges(node)
        .map(|e| {
            let other = if e.source() == node {
                e.target()
            } else {
                e.source()
            };
            (&g[other], e.weight())
        })
        .collect();
    neighbours.sort_by(|(a, x), (b, y)| {
        y.weight
            .cmp(&x.weight)
            .then_with(|| y.npmi.total_cmp(&x.npmi))
            .then_with(|| a.entity_id.cmp(&b.entity_id))
    });

    let me = &g[node];
    writeln!(
        out,
        "{} ({}): {} {}s in {} issues, {} neighbours",
        me.name,
        me.entity_id,
        me.mentions,
        graph.window.as_str(),
        me.issues,
        neighbours.len()
    )?;
    let titles = window_titles(corpus, graph.window);
    for (other, edge) in neighbours.into_iter().take(limit) {
        writeln!(
            out,
            "\n{:>4}  npmi {:>6.3}  {} ({})",
            edge.weight, edge.npmi, other.name, other.entity_id
        )?;
        for window in edge.windows.iter().take(ITEMS_PER_NEIGHBOUR) {
            let (date, title) = titles
                .get(window.as_str())
                .map_or(("", ""), |(d, t)| (d.as_str(), *t));
            writeln!(out, "      {date:<10}  {title}  [{window}]")?;
        }
        // `windows` lists only the first few; `weight` counts them all.
        let window_count = edge.weight as usize;
        if window_count > ITEMS_PER_NEIGHBOUR {
            writeln!(
                out,
                "      … and {} more",
                window_count - ITEMS_PER_NEIGHBOUR
            )?;
        }
    }
    Ok(())
}

/// Window id → (date, title): items, or issues with `--window issue`.
fn window_titles(corpus: &Corpus, window: Window) -> HashMap<&str, (String, &str)> {
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut titles = HashMap::new();
    for record in &corpus.records {
        match window {
            Window::Issue => {
                titles.insert(
                    record.issue.id.as_str(),
                    (date(record.issue.date), record.issue.title.as_str()),
                );
            }
            Window::Item => {
                for item in &record.items {
                    titles.insert(
                        item.id.as_str(),
                        (date(record.issue.date), item.title.as_str()),
                    );
                }
            }
        }
    }
    titles
}

/// An entity id, or a name or alias in any case.
pub fn resolve_entity(corpus: &Corpus, wanted: &str) -> anyhow::Result<String> {
    let wanted = wanted.trim();
    if corpus.entities.contains_key(wanted) {
        return Ok(wanted.to_string());
    }
    let lower = wanted.to_lowercase();
    let names = |e: &'_ Entity| {
        std::iter::once(e.id.clone())
            .chain(std::iter::once(e.name.clone()))
            .chain(e.aliases.clone())
            .collect::<Vec<String>>()
    };
    if let Some(entity) = corpus
        .entities
        .values()
        .find(|e| names(e).iter().any(|n| n.to_lowercase() == lower))
    {
        return Ok(entity.id.clone());
    }
    // Entities only the mentions know (the corpus map should hold them all).
    if let Some(mention) = corpus
        .records
        .iter()
        .flat_map(|r| &r.mentions)
        .find(|m| m.entity_id.to_lowercase() == lower || m.entity_name.to_lowercase() == lower)
    {
        return Ok(mention.entity_id.clone());
    }
    let close = close_names(corpus, &lower);
    if close.is_empty() {
        bail!("no entity is called {wanted:?}");
    }
    bail!(
        "no entity is called {wanted:?}; did you mean: {}",
        close.join(", ")
    )
}

/// Up to eight entities whose name, alias or id contains the wanted text or
/// is within a few edits of it, closest first.
fn close_names(corpus: &Corpus, lower: &str) -> Vec<String> {
    let limit = (lower.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, String)> = Vec::new();
    for entity in corpus.entities.values() {
        let best = std::iter::once(&entity.id)
            .chain(std::iter::once(&entity.name))
            .chain(&entity.aliases)
            .map(|n| {
                let n = n.to_lowercase();
                if !lower.is_empty() && n.contains(lower) {
                    0
                } else {
                    edit_distance(&n, lower)
                }
            })
            .min()
            .unwrap_or(usize::MAX);
        if best <= limit {
            scored.push((best, format!("{} ({})", entity.name, entity.id)));
        }
    }
    scored.sort();
    scored.into_iter().take(8).map(|(_, s)| s).collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn corpus() -> Corpus {
        let mut corpus = Corpus::default();
        for (id, name, aliases) in [
            ("neco:moco", "MOCO", vec!["moco"]),
            ("tool:mysql", "MySQL", vec![]),
            ("tool:kubernetes", "Kubernetes", vec!["k8s"]),
        ] {
            corpus.entities.insert(
                id.into(),
                Entity {
                    id: id.into(),
                    name: name.into(),
                    kind: EntityKind::parse(id.split(':').next().unwrap()).unwrap(),
                    aliases: aliases.into_iter().map(String::from).collect(),
                    urls: Vec::new(),
                    category: String::new(),
                    cncf: String::new(),
                    match_rule: Default::default(),
                    sig: String::new(),
                },
            );
        }
        corpus
    }

    #[test]
    fn resolves_ids_names_and_aliases_in_any_case() {
        let corpus = corpus();
        assert_eq!(resolve_entity(&corpus, "neco:moco").unwrap(), "neco:moco");
        assert_eq!(resolve_entity(&corpus, "mysql").unwrap(), "tool:mysql");
        assert_eq!(resolve_entity(&corpus, "K8S").unwrap(), "tool:kubernetes");
    }

    #[test]
    fn unknown_names_list_close_ones() {
        let error = resolve_entity(&corpus(), "mysq").unwrap_err().to_string();
        assert!(
            error.contains("did you mean: MySQL (tool:mysql)"),
            "{error}"
        );
        let error = resolve_entity(&corpus(), "Kubernets")
            .unwrap_err()
            .to_string();
        assert!(error.contains("Kubernetes (tool:kubernetes)"), "{error}");
        let error = resolve_entity(&corpus(), "zzzzzz").unwrap_err().to_string();
        assert_eq!(error, "no entity is called \"zzzzzz\"");
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("モコ", "モコ"), 0);
    }
}
