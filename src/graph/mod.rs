//! Graph: the co-mention knowledge graph (petgraph) built from a [`Corpus`].

use crate::model::{Corpus, Date, EntityKind};

/// Which text two mentions must share to join their entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Window {
    #[default]
    Item,
    Issue,
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

/// The co-mention graph with its node and edge attributes.
#[derive(Debug, Clone, Default)]
pub struct CoMentionGraph {}

pub fn build(corpus: &Corpus, options: &GraphOptions) -> CoMentionGraph {
    let _ = (corpus, options);
    CoMentionGraph {}
}

/// `weeklygraph neighbors ENTITY`.
pub fn neighbors_command(
    corpus: &Corpus,
    options: &GraphOptions,
    entity: &str,
    limit: usize,
) -> anyhow::Result<()> {
    let _ = (corpus, options, entity, limit);
    Ok(())
}
