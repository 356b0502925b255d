//! knowledge.graphml and knowledge.json (`--knowledge`): the wider
//! knowledge graph, issue —contains→ item —mentions→ entity, item —links→
//! URL, in the formats of graph.graphml and graph.json.

use super::{Output, OutputContext, graphml, json};
use crate::graph::{GraphOptions, knowledge};
use crate::sink::{KeptRecords, RecordSink};
use crate::summary::Summary;

/// The knowledge graph borrows its text from the records: it keeps each
/// chunk as the records stream past and builds the graph at the end.
pub struct KnowledgeFiles {
    /// The `--since/--until` range it keeps to, as the co-mention graph does.
    options: GraphOptions,
    records: KeptRecords,
}

impl KnowledgeFiles {
    pub fn new(options: GraphOptions) -> KnowledgeFiles {
        KnowledgeFiles {
            options,
            records: KeptRecords::default(),
        }
    }
}

impl Output for KnowledgeFiles {
    fn name(&self) -> &str {
        "knowledge graph"
    }

    fn files(&self) -> Vec<&str> {
        vec!["knowledge.graphml", "knowledge.json"]
    }

    fn sink(&mut self) -> Option<&mut dyn RecordSink> {
        Some(&mut self.records)
    }

    fn write(&mut self, _summary: &Summary, context: &OutputContext) -> anyhow::Result<()> {
        let knowledge = knowledge::build(self.records.iter(), &self.options);
        graphml::write_knowledge_graphml(&context.file("knowledge.graphml"), &knowledge)?;
        json::write_knowledge_json(&context.file("knowledge.json"), &knowledge)
    }
}
