//! `build`: the prepared records stream past once, in corpus order, into
//! every record sink — the summary builders and the outputs that take
//! records — and then every output writes the summary.

use std::path::Path;

use crate::export::{Output, OutputOptions, Registry, Staging, Written};
use crate::model::EntityLookup;
use crate::sink::{RecordChunk, RecordSink};
use crate::summary::{Summarizer, SummaryOptions};

use super::Prepared;

/// What a build makes of the prepared records.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub summary: SummaryOptions,
    pub outputs: OutputOptions,
}

/// Writes every output of a build into a staging folder, then swaps it in
/// for `target`. Runs on the calling rayon pool.
pub fn build(prepared: Prepared, options: &BuildOptions, target: &Path) -> anyhow::Result<Written> {
    build_with(prepared, options, target, Vec::new())
}

/// [`build`], with `extra` outputs written after the standard ones.
pub fn build_with(
    prepared: Prepared,
    options: &BuildOptions,
    target: &Path,
    extra: Vec<Box<dyn Output>>,
) -> anyhow::Result<Written> {
    let staging = Staging::begin(target)?;
    let mut registry = Registry::for_build(
        &options.outputs,
        &options.summary.graph,
        &prepared.constants,
        staging.path(),
    )?;
    for output in extra {
        registry.add(output)?;
    }
    let mut summarizer = Summarizer::new(&options.summary, prepared.date_range());
    {
        // The summary comes last: with the record tables alone beside it,
        // the two halves the sinks are split into are the tables and the
        // summary builders.
        let mut sinks: Vec<&mut dyn RecordSink> = registry.sinks().collect();
        sinks.push(&mut summarizer);
        prepared
            .progress
            .counted("streaming records", prepared.issue_count(), "issues");
        stream(&prepared, &mut sinks)?;
        prepared.progress.phase("finishing the record tables");
        for sink in &mut sinks {
            sink.finish()?;
        }
    }
    let progress = prepared.progress.clone();
    progress.phase("building the graph and the trends");
    let summary = summarizer.finish(prepared.entities, prepared.constants);
    let written = registry.write(&summary, staging.path(), &progress)?;
    progress.phase("moving the outputs into place");
    // Freeing the summary (every entity, series and pair: seconds for
    // millions of entities) is left to a thread of its own, which a
    // process that ends first does not wait for; a process that goes on
    // gets the memory back as it would have. Should no thread start, the
    // summary is freed here, with the closure.
    let _freeing = std::thread::Builder::new()
        .name("freeing the summary".into())
        .spawn(move || drop(summary));
    staging.commit()?;
    progress.finish();
    Ok(written)
}

/// Feeds every sink the records in corpus order. The next chunk is decoded
/// while the sinks take this one.
fn stream(prepared: &Prepared, sinks: &mut [&mut dyn RecordSink]) -> anyhow::Result<()> {
    let mut chunks = prepared.chunks();
    // The index over the entity table is built while the first chunk is
    // decoded.
    let (entities, first) = rayon::join(
        || EntityLookup::new(&prepared.entities),
        || chunks.next().transpose(),
    );
    let mut current = first?;
    while let Some(records) = current {
        let records = RecordChunk::new(records);
        let (next, fed) = rayon::join(
            || chunks.next().transpose(),
            || feed(sinks, &records, &entities),
        );
        fed?;
        prepared.progress.advance(records.len());
        current = next?;
    }
    Ok(())
}

/// Each sink takes the chunk on its own thread (of the calling rayon pool);
/// the first error in the sinks' order is the one reported.
fn feed(
    sinks: &mut [&mut dyn RecordSink],
    records: &RecordChunk,
    entities: &EntityLookup<'_>,
) -> anyhow::Result<()> {
    match sinks {
        [] => Ok(()),
        [sink] => sink.add(records, entities),
        _ => {
            let (left, right) = sinks.split_at_mut(sinks.len() / 2);
            let (left, right) = rayon::join(
                || feed(left, records, entities),
                || feed(right, records, entities),
            );
            left.and(right)
        }
    }
}
