//! Where the records go as a build streams them past: the trait between
//! the pipeline, which drives the stream, and whatever keeps tallies or
//! writes rows (the summary builders, the record tables, the SQLite and
//! knowledge-graph outputs). It lives apart from both so that neither
//! side imports the other.

use std::ops::Deref;
use std::sync::Arc;

use crate::model::{EntityLookup, IssueRecord};

/// Takes the records of a build in corpus order, a chunk at a time.
///
/// Sinks are fed the same chunk at once, each on its own thread of the
/// calling rayon pool, so a sink must not depend on another's progress.
pub trait RecordSink: Send {
    /// The next records in corpus order. `entities`: every entity in
    /// force (the dictionary plus what extraction discovered), the same
    /// for every chunk.
    fn add(&mut self, records: &RecordChunk, entities: &EntityLookup<'_>) -> anyhow::Result<()>;

    /// Called once after the last chunk: flush what is still buffered.
    fn finish(&mut self) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A chunk of records, shared: a sink that needs every record (the SQLite
/// database, the knowledge graph) keeps the chunk rather than a copy, so
/// two such sinks cost the memory of one.
#[derive(Debug, Clone)]
pub struct RecordChunk(Arc<Vec<IssueRecord>>);

impl RecordChunk {
    pub fn new(records: Vec<IssueRecord>) -> RecordChunk {
        RecordChunk(Arc::new(records))
    }
}

impl Deref for RecordChunk {
    type Target = [IssueRecord];

    fn deref(&self) -> &[IssueRecord] {
        &self.0
    }
}

/// A sink that keeps every chunk, for the outputs that write every record
/// at the end (the SQLite database, the knowledge graph).
#[derive(Debug, Clone, Default)]
pub struct KeptRecords {
    chunks: Vec<RecordChunk>,
}

impl KeptRecords {
    /// The records of every chunk kept, in corpus order.
    pub fn iter(&self) -> impl Iterator<Item = &IssueRecord> {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }
}

impl RecordSink for KeptRecords {
    fn add(&mut self, records: &RecordChunk, _entities: &EntityLookup<'_>) -> anyhow::Result<()> {
        self.chunks.push(records.clone());
        Ok(())
    }
}
