//! Summary: what the outputs say of the corpus as a whole — the co-mention
//! graph, the trends, and per-entity and per-candidate tallies — gathered
//! from the records a chunk at a time, in corpus order. Each builder keeps
//! tallies, never records, so a build's memory follows the number of
//! distinct entities and pairs rather than the size of the corpus.

use crate::constants::Constants;
use crate::entity_ids::{EntityIds, EntityKey, KeysById};
use crate::extract::candidates::{CandidateSummary, CandidateTally};
use crate::graph::{CoMentionGraph, GraphBuilder, GraphOptions};
use crate::lead_lag::{LeadLag, LeadLagTally};
use crate::model::{Corpus, Date, DateRange, EntityLookup, EntityTable, IssueRecord};
use crate::sink::{RecordChunk, RecordSink};
use crate::trends::retrospective::TitleNames;
use crate::trends::{IssueTally, Period, Trends, TrendsBuilder};

#[derive(Debug, Clone, Default)]
pub struct SummaryOptions {
    pub graph: GraphOptions,
    pub period: Period,
    /// Draw and headline publication constants like any other entity.
    pub keep_constants: bool,
}

/// The corpus as the outputs describe it.
pub struct Summary {
    pub issues: IssueTally,
    /// Every entity in force: the dictionary plus what extraction discovered.
    pub entities: EntityTable,
    /// The entities mentioned at least once, by id, with their tallies.
    pub mentioned: Vec<(String, EntityTally)>,
    pub candidates: Vec<CandidateSummary>,
    pub graph: CoMentionGraph,
    pub trends: Trends,
    /// What every issue of each publication is about.
    pub constants: Constants,
    /// Which publication named an entity first, when several did.
    pub lead_lag: LeadLag,
    /// Which items' titles name which entities, for the retrospective.
    pub titles: TitleNames,
}

/// What the mentions say of one entity: mention rows (the items naming it,
/// plus one per category of text outside items), distinct issues, and the
/// first and last dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityTally {
    pub mentions: usize,
    pub issues: usize,
    pub first_seen: Option<Date>,
    pub last_seen: Option<Date>,
    last_record: Option<usize>,
}

impl Summary {
    /// The summary of a corpus held in memory.
    pub fn of(corpus: &Corpus, options: &SummaryOptions) -> Summary {
        let dates = DateRange::of(corpus.records.iter().map(|r| r.issue.date));
        let mut summarizer = Summarizer::new(options, dates);
        summarizer.add(&corpus.records, &EntityLookup::new(&corpus.entities));
        summarizer.finish(
            corpus.entities.clone(),
            Constants::of_records(&corpus.records),
        )
    }
}

/// Gathers a [`Summary`] from records given in corpus order.
pub struct Summarizer {
    ids: EntityIds,
    graph: GraphBuilder,
    trends: TrendsBuilder,
    mentioned: MentionTally,
    candidates: CandidateTally,
    issues: IssueTally,
    lead_lag: LeadLagTally,
    titles: TitleNames,
    keep_constants: bool,
}

impl Summarizer {
    /// `dates`: the earliest and latest issue date of the whole corpus,
    /// which fix the trend periods before the first record arrives.
    pub fn new(options: &SummaryOptions, dates: Option<DateRange>) -> Summarizer {
        Summarizer {
            ids: EntityIds::default(),
            graph: GraphBuilder::new(&options.graph),
            trends: TrendsBuilder::new(options.period, dates),
            mentioned: MentionTally::default(),
            candidates: CandidateTally::default(),
            issues: IssueTally::default(),
            lead_lag: LeadLagTally::default(),
            titles: TitleNames::default(),
            keep_constants: options.keep_constants,
        }
    }

    /// The builders are independent: each takes the chunk on its own thread
    /// (of the calling rayon pool). `entities`: every entity in force, the
    /// same for every chunk and for [`Summarizer::finish`].
    pub fn add(&mut self, records: &[IssueRecord], entities: &EntityLookup<'_>) {
        // Each mention's entity is looked up once, here, for every builder.
        let keys: Vec<Vec<EntityKey>> = records
            .iter()
            .map(|record| self.ids.keys_of(record, entities))
            .collect();
        let Summarizer {
            ids,
            graph,
            trends,
            mentioned,
            candidates,
            issues,
            lead_lag,
            titles,
            ..
        } = self;
        let ids = &*ids;
        let keyed = || records.iter().zip(&keys);
        rayon::join(
            || keyed().for_each(|(r, keys)| graph.add(r, keys, ids)),
            || {
                rayon::join(
                    || keyed().for_each(|(r, keys)| trends.add(r, keys, ids)),
                    || {
                        for (record, keys) in keyed() {
                            mentioned.add(record, keys);
                            candidates.add(record);
                            issues.add(record);
                            lead_lag.add(record, keys);
                            titles.add(record);
                        }
                    },
                )
            },
        );
    }

    /// `constants`: decided from the whole corpus before the records
    /// streamed past.
    pub fn finish(self, entities: EntityTable, constants: Constants) -> Summary {
        use crate::pipeline::progress::timed;
        let Summarizer {
            ids,
            graph,
            trends,
            mentioned,
            candidates,
            issues,
            lead_lag,
            titles,
            keep_constants,
        } = self;
        let by_id = timed("ordering ids", || ids.by_id(&entities));
        // The builders finish side by side: ranking the candidates alone
        // would otherwise hold one core while the other waits.
        let ((mut graph, mut trends), (candidates, (mentioned, lead_lag))) = rayon::join(
            || {
                rayon::join(
                    || timed("graph", || graph.finish_by_id(&ids, &by_id)),
                    || timed("trends", || trends.finish_by_id(&ids, &by_id)),
                )
            },
            || {
                rayon::join(
                    || timed("candidates", || candidates.finish()),
                    || {
                        (
                            timed("mentioned", || mentioned.finish(&ids, &by_id)),
                            timed("lead-lag", || lead_lag.finish(&entities, &ids)),
                        )
                    },
                )
            },
        );
        graph.constants = constants.clone();
        graph.draw_constants = keep_constants;
        trends.set_constants(&constants, keep_constants);
        Summary {
            issues,
            lead_lag,
            mentioned,
            candidates,
            entities,
            graph,
            trends,
            constants,
            titles,
        }
    }
}

/// A build streams its records into the summary with the other sinks.
impl RecordSink for Summarizer {
    fn add(&mut self, records: &RecordChunk, entities: &EntityLookup<'_>) -> anyhow::Result<()> {
        Summarizer::add(self, records, entities);
        Ok(())
    }
}

/// Per entity, its [`EntityTally`].
#[derive(Default)]
struct MentionTally {
    /// By [`EntityKey`].
    by_entity: Vec<EntityTally>,
    /// Records added so far: marks the issue an entity was last counted in.
    records: usize,
}

impl MentionTally {
    fn add(&mut self, record: &IssueRecord, keys: &[EntityKey]) {
        let this_record = self.records;
        self.records += 1;
        for (mention, &key) in record.mentions.iter().zip(keys) {
            let key = key as usize;
            if key >= self.by_entity.len() {
                self.by_entity.resize_with(key + 1, EntityTally::default);
            }
            let tally = &mut self.by_entity[key];
            tally.mentions += 1;
            if tally.last_record != Some(this_record) {
                tally.issues += 1;
                tally.last_record = Some(this_record);
            }
            if let Some(date) = mention.date {
                tally.first_seen = Some(tally.first_seen.map_or(date, |d| d.min(date)));
                tally.last_seen = Some(tally.last_seen.map_or(date, |d| d.max(date)));
            }
        }
    }

    fn finish(self, ids: &EntityIds, by_id: &KeysById<'_>) -> Vec<(String, EntityTally)> {
        let mut by_entity = self.by_entity;
        let tallies: Vec<(String, EntityTally)> = by_id
            .iter()
            .filter_map(|(key, _)| {
                let tally = by_entity.get_mut(key as usize)?;
                (tally.mentions > 0).then(|| (ids.id(key).to_string(), std::mem::take(tally)))
            })
            .collect();
        tallies
    }
}
