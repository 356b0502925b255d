//! Trends: entity and category series over time, statuses, bursts and
//! retrospective stats per period.
//!
//! What is counted: an entity's `mentions` in a period are the *items* that
//! mention it (an item naming it five times counts once), and its `share`
//! is that number over the period's items, so a long issue and a short one
//! weigh what their items weigh. Text outside items (an issue's intro, a
//! section's lead, the afterword) is not an item: it counts in the entity's
//! `issues`, which also decides `new` and `gone`, but not in `mentions`, so
//! shares stay between 0 and 1. Undated issues are left out of every series.

pub mod burst;
pub mod cells;
pub mod headline;
pub mod periods;
pub mod retrospective;
pub mod series;
pub mod sparkline;
pub mod stats;
pub mod status;

use std::collections::BTreeMap;

use crate::entity_ids::{EntityIds, EntityKey, KeysById};
use crate::model::{
    Category, Corpus, Date, DateRange, Entity, EntityKind, EntityLookup, EntityTable, IssueRecord,
    Mention,
};
use rayon::prelude::*;

pub use cells::Cells;
pub use headline::{Headline, IssueTally, headline};
pub use periods::{Period, PeriodSpan};
pub use series::{PeriodItems, PeriodValues, Series};
pub use stats::PeriodStats;
pub use status::Status;

/// Everything the trend outputs show, for one period length.
#[derive(Debug, Clone, Default)]
pub struct Trends {
    pub period: Period,
    /// From the first to the last dated issue, empty periods included.
    pub spans: Vec<PeriodSpan>,
    /// Items per period (the denominator of every share).
    pub items: Vec<u32>,
    pub stats: Vec<PeriodStats>,
    /// One per entity mentioned in a dated issue, by id.
    pub entities: Vec<Series>,
    /// One per section category with any item, in [`Category::ALL`] order.
    pub categories: Vec<Series>,
    /// One per entity kind mentioned, in [`EntityKind::ALL`] order.
    pub kinds: Vec<Series>,
    /// Entities the rising / new / falling tables and the "most
    /// mentioned" charts leave out: publication constants, unless
    /// `--keep-constants`. Their series stay in [`Trends::entities`].
    pub left_out: std::collections::BTreeSet<String>,
    /// What every issue of each publication is about, for the reports to
    /// say once.
    pub constants: crate::constants::Constants,
}

/// A row of the rising / new / falling tables.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Highlight<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub status: Status,
    pub mentions: u32,
    pub share: f64,
    /// −log₁₀ p of the rise or fall (0 for new entities).
    pub strength: f64,
    pub burst: Option<f64>,
}

/// A highlight's figures as every report shows them, formatted once.
pub struct HighlightCells {
    pub gone: bool,
    pub share_percent: String,
    /// Empty for new entities, which have no baseline to differ from.
    pub strength: String,
    pub burst: String,
    /// Items per period over the periods the table shows.
    pub sparkline: String,
}

impl<'a> Highlight<'a> {
    pub fn cells(&self, trends: &Trends, from: usize, to: usize) -> HighlightCells {
        HighlightCells {
            gone: self.status == Status::Gone,
            share_percent: format!("{:.1}%", self.share * 100.0),
            strength: if self.strength > 0.0 {
                format!("{:.1}", self.strength)
            } else {
                String::new()
            },
            burst: self.burst.map(|w| format!("{w:.1}")).unwrap_or_default(),
            sparkline: trends.entity(self.id).map_or_else(String::new, |s| {
                sparkline::sparkline_between(&s.mentions, from, to)
            }),
        }
    }
}

impl Trends {
    /// The index of the period labelled `label` (`2023`, `2023-Q2`, …).
    pub fn index_of(&self, label: &str) -> Option<usize> {
        let label = label.trim().to_ascii_uppercase();
        self.spans.iter().position(|s| s.label == label)
    }

    pub fn entity(&self, id: &str) -> Option<&Series> {
        self.entities
            .binary_search_by(|s| s.key.as_str().cmp(id))
            .ok()
            .map(|i| &self.entities[i])
    }

    /// Entities with `status` in period `t`, strongest first (most
    /// mentioned first for `new`), then by id.
    pub fn with_status(&self, t: usize, wanted: &[Status]) -> Vec<Highlight<'_>> {
        let mut rows: Vec<Highlight<'_>> = self
            .entities
            .iter()
            .filter(|s| wanted.contains(&s.status[t]) && !self.left_out.contains(&s.key))
            .map(|s| highlight(s, t))
            .collect();
        rows.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(b.mentions.cmp(&a.mentions))
                .then(a.id.cmp(b.id))
        });
        rows
    }

    /// Records the publication constants and, unless `keep`, leaves them
    /// out of the headlines.
    pub fn set_constants(&mut self, constants: &crate::constants::Constants, keep: bool) {
        self.constants = constants.clone();
        self.left_out = if keep {
            Default::default()
        } else {
            self.entities
                .iter()
                .filter(|series| constants.contains(&series.key))
                .map(|series| series.key.clone())
                .collect()
        };
    }

    /// One line per publication with constants: "Neco (8 of 8 issues),
    /// …", with the corpus-wide names.
    pub fn constant_lines(&self) -> Vec<(&str, String)> {
        self.constants
            .iter()
            .map(|(publication, constants)| {
                let names: Vec<String> = constants
                    .entities
                    .iter()
                    .map(|(id, issues)| {
                        let name = self.entity(id).map_or(id.as_str(), |s| s.name.as_str());
                        format!(
                            "{name} ({issues} of {})",
                            crate::words::count(constants.issues, "issue")
                        )
                    })
                    .collect();
                (publication, names.join(", "))
            })
            .collect()
    }

    pub fn rising(&self, t: usize) -> Vec<Highlight<'_>> {
        self.with_status(t, &[Status::Rising])
    }

    pub fn new_entities(&self, t: usize) -> Vec<Highlight<'_>> {
        self.with_status(t, &[Status::New])
    }

    /// Falling entities, and those that went quiet this very period.
    pub fn falling(&self, t: usize) -> Vec<Highlight<'_>> {
        let mut rows = self.with_status(t, &[Status::Falling, Status::Gone]);
        rows.retain(|row| {
            row.status == Status::Falling
                || self
                    .entity(row.id)
                    .is_some_and(|s| t == 0 || s.status[t - 1] != Status::Gone)
        });
        rows
    }

    /// Every burst of every topic or tool ([`is_topic`]), heaviest first,
    /// the publication constants left out: a PR or a KEP is one event, and
    /// its "burst" is the week it merged.
    pub fn bursts(&self) -> Vec<(&Series, &burst::Burst)> {
        let mut bursts: Vec<(&Series, &burst::Burst)> = self
            .entities
            .iter()
            .filter(|series| is_topic(series) && !self.left_out.contains(&series.key))
            .flat_map(|s| s.bursts.iter().map(move |b| (s, b)))
            .collect();
        bursts.sort_by(|a, b| {
            b.1.weight
                .total_cmp(&a.1.weight)
                .then(a.0.key.cmp(&b.0.key))
                .then(a.1.start.cmp(&b.1.start))
        });
        bursts
    }

    /// Topics and tools ([`is_topic`]) by mentions over the whole corpus,
    /// most first, the publication constants left out. PRs and KEPs have
    /// tables of their own; ranked with topics they fill the charts with
    /// numbers.
    pub fn top_entities(&self, n: usize) -> Vec<&Series> {
        // Totals once per series, not once per comparison: a series is as
        // long as the corpus has periods.
        let mut all: Vec<(std::cmp::Reverse<u64>, &Series)> = self
            .entities
            .iter()
            .filter(|series| is_topic(series) && !self.left_out.contains(&series.key))
            .map(|series| (std::cmp::Reverse(series.total_mentions()), series))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.key.cmp(&b.1.key)));
        all.into_iter().take(n).map(|(_, series)| series).collect()
    }

    /// The period's most mentioned topics and tools, the publication
    /// constants left out, at most [`stats::TOP_LISTED`]: the reports'
    /// per-period column.
    pub fn top_topics_of(&self, stats: &PeriodStats) -> Vec<(String, u32)> {
        stats
            .top_topics
            .iter()
            .filter(|(id, _)| !self.left_out.contains(id))
            .take(stats::TOP_LISTED)
            .cloned()
            .collect()
    }
}

/// Whether an entity series is a topic or a tool that can rise, fall and
/// rank, rather than a pull request or a KEP (see
/// [`retrospective::Group`]).
pub fn is_topic(series: &Series) -> bool {
    retrospective::Group::of(series.kind) == retrospective::Group::Topic
}

fn highlight(series: &Series, t: usize) -> Highlight<'_> {
    Highlight {
        id: &series.key,
        name: &series.name,
        kind: series.kind,
        status: series.status[t],
        mentions: series.mentions[t],
        share: series.share[t],
        strength: series.strength[t].unwrap_or(0.0),
        burst: series.burst_at(t),
    }
}

/// Items and issues mentioning one thing (an entity, a category, a kind),
/// kept only for the periods it was mentioned in. Records come in date
/// order, so a period's counts are always the last entry.
#[derive(Debug, Default)]
struct PeriodCounts(Vec<PeriodCount>);

#[derive(Debug, Clone, Copy)]
struct PeriodCount {
    period: u32,
    items: u32,
    issues: u32,
}

impl PeriodCounts {
    fn add(&mut self, t: usize, items: u32, issues: u32) {
        let period = t as u32;
        match self.0.last_mut() {
            Some(last) if last.period == period => {
                last.items += items;
                last.issues += issues;
            }
            _ => self.0.push(PeriodCount {
                period,
                items,
                issues,
            }),
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The periods with counts, in period order, each once. Records come
    /// in date order, so they almost always are already; adding rather
    /// than assigning keeps the counts right should records come out of
    /// order.
    fn values(&self) -> Vec<PeriodValues> {
        let values = self
            .0
            .iter()
            .map(|count| (count.period as usize, count.items, count.issues));
        if self.0.is_sorted_by(|a, b| a.period < b.period) {
            return values.collect();
        }
        let mut sorted: Vec<PeriodValues> = values.collect();
        sorted.sort_by_key(|&(t, _, _)| t);
        let mut merged: Vec<PeriodValues> = Vec::with_capacity(sorted.len());
        for (t, items, issues) in sorted {
            match merged.last_mut() {
                Some(last) if last.0 == t => {
                    last.1 += items;
                    last.2 += issues;
                }
                _ => merged.push((t, items, issues)),
            }
        }
        merged
    }
}

/// An entity's counts, and how its first mention named it: the name an
/// entity no dictionary holds (which should not happen) is shown with.
/// For the others the outputs take the entity's own name, so the first
/// name is left empty.
#[derive(Debug)]
struct EntityPeriodCounts {
    first_name: String,
    first_kind: EntityKind,
    counts: PeriodCounts,
}

/// Trends built one issue record at a time, keeping per-period counts only:
/// memory grows with entities and periods, not with items or mentions.
#[derive(Debug)]
pub struct TrendsBuilder {
    period: Period,
    spans: Vec<PeriodSpan>,
    /// Items per period.
    items: Vec<u32>,
    /// By [`EntityKey`]; entities only undated issues mention keep their
    /// first name and no counts.
    entities: Vec<Option<EntityPeriodCounts>>,
    categories: BTreeMap<Category, PeriodCounts>,
    kinds: BTreeMap<EntityKind, PeriodCounts>,
    stats: stats::StatsTally,
}

impl TrendsBuilder {
    /// `dates`: the earliest and latest issue dates of the whole corpus
    /// (`None` when no issue is dated), known before the first record is
    /// added; records dated outside them are left out.
    pub fn new(period: Period, dates: Option<DateRange>) -> TrendsBuilder {
        let spans = dates.map_or_else(Vec::new, |range| period.spans(range.first, range.last));
        let periods = spans.len();
        TrendsBuilder {
            period,
            spans,
            items: vec![0; periods],
            entities: Default::default(),
            categories: BTreeMap::new(),
            kinds: BTreeMap::new(),
            stats: stats::StatsTally::new(periods),
        }
    }

    /// Records must come in corpus order (as in `corpus.records`): undated
    /// ones first, then by date. `keys`: the key of each of the record's
    /// mentions in `ids`.
    pub fn add(&mut self, record: &IssueRecord, keys: &[EntityKey], ids: &EntityIds) {
        if self.entities.len() < ids.len() {
            self.entities.resize_with(ids.len(), || None);
        }
        let Some(t) = record.issue.date.and_then(|date| self.period_of(date)) else {
            self.remember_names(record, keys, ids);
            return;
        };
        self.items[t] += record.items.len() as u32;
        let by_category = items_by_category(record);
        for (category, &items) in Category::ALL.iter().zip(&by_category) {
            if items > 0 {
                self.categories
                    .entry(*category)
                    .or_default()
                    .add(t, items, 1);
            }
        }
        let neco_mentions = self.count_entities(t, record, keys, ids);
        self.count_kinds(t, record);
        self.stats.add(t, record, by_category, neco_mentions);
    }

    /// `entities`: every entity in force (`corpus.entities`), for names and
    /// kinds.
    pub fn finish(self, entities: &EntityTable, ids: &EntityIds) -> Trends {
        self.finish_by_id(ids, &ids.by_id(entities))
    }

    /// [`TrendsBuilder::finish`], with the keys already in id order.
    pub fn finish_by_id(mut self, ids: &EntityIds, by_id: &KeysById<'_>) -> Trends {
        use crate::pipeline::progress::timed;
        let period = self.period;
        let periods = self.spans.len();
        if periods == 0 {
            return Trends {
                period,
                ..Trends::default()
            };
        }
        let items = std::mem::take(&mut self.items);
        let period_items = PeriodItems::new(&items);
        let mut tallies = std::mem::take(&mut self.entities);
        let by_id: Vec<(&str, EntityPeriodCounts, Option<&Entity>)> =
            timed("trends: tallies by id", || {
                let with_counts = tallies
                    .iter()
                    .filter(|tally| tally.as_ref().is_some_and(|t| !t.counts.is_empty()))
                    .count();
                // Sized once: millions of entries are not copied as the
                // vector grows, nor kept in room it grew for.
                let mut in_order = Vec::with_capacity(with_counts);
                in_order.extend(by_id.iter().filter_map(|(key, entity)| {
                    let tally = tallies.get_mut(key as usize)?.take()?;
                    (!tally.counts.is_empty()).then(|| (ids.id(key), tally, entity))
                }));
                in_order
            });
        // Emptied above; freed before the series are made beside the tallies.
        drop(tallies);
        // Each entity's series is assessed on its own: in parallel.
        let mut entity_series: Vec<Series> = timed("trends: series", || {
            by_id
                .into_par_iter()
                .map(|(id, tally, entity)| {
                    let (name, kind) = match entity {
                        Some(entity) => (entity.name.clone(), entity.kind),
                        None => (tally.first_name, tally.first_kind),
                    };
                    Series::of_values(
                        id.to_string(),
                        name,
                        kind.as_str(),
                        &tally.counts.values(),
                        periods,
                        period_items,
                        period,
                    )
                })
                .collect()
        });
        timed("trends: rank", || series::rank(&mut entity_series));

        let family = |key: &str, family: &'static str, tally: &PeriodCounts| {
            Series::of_values(
                key.to_string(),
                key.to_string(),
                family,
                &tally.values(),
                periods,
                period_items,
                period,
            )
        };
        let mut categories: Vec<Series> = Category::ALL
            .into_iter()
            .filter_map(|c| Some(family(c.as_str(), "category", self.categories.get(&c)?)))
            .collect();
        series::rank(&mut categories);
        let mut kinds: Vec<Series> = EntityKind::ALL
            .into_iter()
            .filter_map(|k| Some(family(k.as_str(), "kind", self.kinds.get(&k)?)))
            .collect();
        series::rank(&mut kinds);

        let stats = timed("trends: stats", || {
            self.stats.finish(&self.spans, &entity_series)
        });
        Trends {
            period,
            spans: self.spans,
            items,
            stats,
            entities: entity_series,
            categories,
            kinds,
            left_out: Default::default(),
            constants: Default::default(),
        }
    }

    /// The index of the period holding `date`, if within the corpus' dates.
    fn period_of(&self, date: Date) -> Option<usize> {
        let start = self.period.start_of(date);
        let t = self.spans.partition_point(|s| s.start < start);
        self.spans.get(t).filter(|s| s.start == start).map(|_| t)
    }

    /// Undated issues enter no series, but their mentions may be the first
    /// to name an entity.
    fn remember_names(&mut self, record: &IssueRecord, keys: &[EntityKey], ids: &EntityIds) {
        for (mention, &key) in record.mentions.iter().zip(keys) {
            if let Some(tally @ None) = self.entities.get_mut(key as usize) {
                *tally = Some(first_named(mention, ids.is_known(key)));
            }
        }
    }

    /// Adds each entity's items and issue in period `t`, counting an item
    /// that names it several times once. Returns the distinct (entity,
    /// place) pairs of kind `neco`, a place being an item or, for text
    /// outside items, the issue.
    fn count_entities(
        &mut self,
        t: usize,
        record: &IssueRecord,
        keys: &[EntityKey],
        ids: &EntityIds,
    ) -> u32 {
        // (entity, item, position): sorted, an entity's mentions come
        // together and its items in order, so repeats are neighbours.
        let mut mentions: Vec<(EntityKey, Option<&str>, usize)> = record
            .mentions
            .iter()
            .zip(keys)
            .enumerate()
            .map(|(position, (m, &key))| (key, m.item_id.as_deref(), position))
            .collect();
        mentions.sort_unstable();
        let mut neco_mentions = 0;
        for of_entity in mentions.chunk_by(|a, b| a.0 == b.0) {
            let places = of_entity.chunk_by(|a, b| a.1 == b.1);
            let items = places.clone().filter(|place| place[0].1.is_some()).count() as u32;
            let first = of_entity.iter().map(|m| m.2).min().unwrap_or(0);
            let Some(mention) = record.mentions.get(first) else {
                continue;
            };
            if mention.kind == EntityKind::Neco {
                neco_mentions += places.count() as u32;
            }
            let key = of_entity[0].0;
            let Some(tally) = self.entities.get_mut(key as usize) else {
                continue;
            };
            tally
                .get_or_insert_with(|| first_named(mention, ids.is_known(key)))
                .counts
                .add(t, items, 1);
        }
        neco_mentions
    }

    /// Adds each entity kind's items and issue in period `t`: an item that
    /// names two tools counts once for `tool`.
    fn count_kinds(&mut self, t: usize, record: &IssueRecord) {
        // Mentions carry their entity's kind as the dictionary has it.
        let mut kinds: Vec<(EntityKind, Option<&str>)> = record
            .mentions
            .iter()
            .map(|m| (m.kind, m.item_id.as_deref()))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        for of_kind in kinds.chunk_by(|a, b| a.0 == b.0) {
            let items = of_kind.iter().filter(|k| k.1.is_some()).count() as u32;
            self.kinds.entry(of_kind[0].0).or_default().add(t, items, 1);
        }
    }
}

/// `known`: whether the entities in force hold the mention's entity.
fn first_named(mention: &Mention, known: bool) -> EntityPeriodCounts {
    EntityPeriodCounts {
        first_name: if known {
            String::new()
        } else {
            mention.entity_name.clone()
        },
        first_kind: mention.kind,
        counts: PeriodCounts::default(),
    }
}

/// Items per section category, in [`Category::ALL`] order.
fn items_by_category(record: &IssueRecord) -> [u32; Category::ALL.len()] {
    let mut counts = [0u32; Category::ALL.len()];
    for item in &record.items {
        if let Some(n) = Category::ALL.iter().position(|&c| c == item.category) {
            counts[n] += 1;
        }
    }
    counts
}

pub fn compute(corpus: &Corpus, period: Period) -> Trends {
    let dates = DateRange::of(corpus.records.iter().map(|r| r.issue.date));
    let mut builder = TrendsBuilder::new(period, dates);
    let mut ids = EntityIds::default();
    let lookup = EntityLookup::new(&corpus.entities);
    for record in &corpus.records {
        let keys = ids.keys_of(record, &lookup);
        builder.add(record, &keys, &ids);
    }
    builder.finish(&corpus.entities, &ids)
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A hand-built corpus for the unit tests of this module and of the
    //! report writers.
    use crate::model::*;

    pub fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd_opt(y, m, d).unwrap()
    }

    /// `items`: (category, entity ids mentioned); `outside`: entity ids
    /// mentioned outside items.
    pub fn record(
        day: Option<Date>,
        items: &[(Category, &[&str])],
        outside: &[&str],
        hosts: &[&str],
    ) -> IssueRecord {
        let id = match day {
            Some(d) => format!("test-{d}"),
            None => "test-undated".to_string(),
        };
        let mut record = IssueRecord {
            issue: IssueMeta {
                id: id.clone(),
                publication: "test".into(),
                title: format!("Issue <{id}> & \"friends\""),
                date: day,
                number: None,
                source_path: format!("{id}.md"),
                format: Format::Markdown,
                sections: 1,
                links: hosts.len(),
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
        let mention = |entity: &str, item_id: Option<String>, category| Mention {
            issue_id: id.clone(),
            item_id,
            date: day,
            category,
            entity_id: entity.to_string(),
            entity_name: entity.to_string(),
            kind: EntityKind::parse(entity.split(':').next().unwrap()).unwrap(),
            via: Via::Alias,
            surface: entity.to_string(),
            count: 1,
            version: None,
        };
        for (n, (category, entities)) in items.iter().enumerate() {
            let item_id = item_id(&id, n);
            record.items.push(ItemMeta {
                id: item_id.clone(),
                section: category.as_str().into(),
                category: *category,
                title: format!("Item {} <b>", n + 1),
                url: Some(format!("https://example.com/{id}/{n}")),
            });
            for entity in *entities {
                record
                    .mentions
                    .push(mention(entity, Some(item_id.clone()), *category));
            }
        }
        for entity in outside {
            record
                .mentions
                .push(mention(entity, None, Category::Afterword));
        }
        for host in hosts {
            record.links.push(Link {
                issue_id: id.clone(),
                item_id: None,
                url: format!("https://{host}/x"),
                host: host.to_string(),
                kind: LinkKind::Article,
                entity_id: None,
            });
        }
        record
    }

    pub fn entity(id: &str, name: &str) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: EntityKind::parse(id.split(':').next().unwrap()).unwrap(),
            aliases: vec![name.to_lowercase()],
            urls: Vec::new(),
            category: String::new(),
            cncf: String::new(),
            match_rule: MatchRule::Normal,
            sig: String::new(),
            source: Default::default(),
        }
    }

    /// Three monthly issues with a gap month (2022-09) and an undated one.
    pub fn corpus() -> Corpus {
        use Category::*;
        let records = vec![
            record(
                Some(date(2022, 7, 22)),
                &[(Tools, &["tool:kubebuilder", "neco:moco"]), (Articles, &[])],
                &["neco:moco"],
                &["github.com", "github.com", "zenn.dev"],
            ),
            record(
                Some(date(2022, 8, 5)),
                &[
                    (Tools, &["tool:kubebuilder"]),
                    (Articles, &["tool:kubebuilder", "topic:cel"]),
                    (News, &["topic:cel"]),
                ],
                &[],
                &["kubernetes.io"],
            ),
            record(
                Some(date(2022, 10, 14)),
                &[(News, &["topic:cel"])],
                &["tool:kubebuilder"],
                &[],
            ),
            record(None, &[(News, &["topic:cel", "tool:argo"])], &[], &[]),
        ];
        let entities = [
            entity("tool:kubebuilder", "Kubebuilder"),
            entity("neco:moco", "MOCO"),
            entity("topic:cel", "CEL <expr>"),
            entity("tool:argo", "Argo"),
        ]
        .into_iter()
        .collect();
        Corpus {
            records,
            entities,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_counts_out_of_order_are_merged_in_period_order() {
        let mut counts = PeriodCounts::default();
        counts.add(3, 2, 1);
        counts.add(1, 1, 1);
        counts.add(3, 1, 1);
        assert_eq!(counts.values(), [(1, 1, 1), (3, 3, 2)]);
        let mut in_order = PeriodCounts::default();
        in_order.add(0, 0, 1);
        in_order.add(0, 2, 1);
        in_order.add(5, 1, 1);
        assert_eq!(in_order.values(), [(0, 2, 2), (5, 1, 1)]);
    }

    #[test]
    fn monthly_series_from_a_hand_built_corpus() {
        let trends = compute(&fixture::corpus(), Period::Month);
        let labels: Vec<&str> = trends.spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2022-07", "2022-08", "2022-09", "2022-10"]);
        assert_eq!(trends.items, [2, 3, 0, 1]);

        let kubebuilder = trends.entity("tool:kubebuilder").unwrap();
        assert_eq!(kubebuilder.mentions, [1, 2, 0, 0]);
        // Named only outside items in October: an issue, not a mention.
        assert_eq!(kubebuilder.issues, [1, 1, 0, 1]);
        assert_eq!(kubebuilder.share[1], 2.0 / 3.0);
        assert_eq!(kubebuilder.rank, [Some(1), Some(1), None, None]);
        assert_eq!(kubebuilder.status[0], Status::New);

        let cel = trends.entity("topic:cel").unwrap();
        assert_eq!(cel.name, "CEL <expr>");
        assert_eq!(cel.mentions, [0, 2, 0, 1]);
        assert_eq!(cel.status[1], Status::New);
        // The undated issue's Argo never enters a series.
        assert!(trends.entity("tool:argo").is_none());

        let moco = trends.entity("neco:moco").unwrap();
        assert_eq!(moco.mentions, [1, 0, 0, 0]);

        let tools = trends.categories.iter().find(|s| s.key == "tools").unwrap();
        assert_eq!(tools.mentions, [1, 1, 0, 0]);
        let kinds: Vec<(&str, Vec<u32>)> = trends
            .kinds
            .iter()
            .map(|s| (s.key.as_str(), s.mentions.to_vec()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("tool", vec![1, 2, 0, 0]),
                ("neco", vec![1, 0, 0, 0]),
                ("topic", vec![0, 2, 0, 1])
            ]
        );
    }

    #[test]
    fn no_dated_issue_no_series() {
        let mut corpus = fixture::corpus();
        corpus.records.retain(|r| r.issue.date.is_none());
        let trends = compute(&corpus, Period::Month);
        assert!(trends.spans.is_empty() && trends.entities.is_empty());
    }

    #[test]
    fn labels_are_found_in_any_case() {
        let trends = compute(&fixture::corpus(), Period::Quarter);
        assert_eq!(trends.index_of("2022-q4"), Some(1));
        assert_eq!(trends.index_of("2023-Q1"), None);
    }

    /// The series of every entity, category and kind, and the stats rows,
    /// in a form that compares.
    fn figures(trends: &Trends) -> Vec<String> {
        let series = trends
            .entities
            .iter()
            .chain(&trends.categories)
            .chain(&trends.kinds);
        series
            .map(|s| format!("{} {} {:?} {:?}", s.key, s.name, s.mentions, s.issues))
            .chain(trends.stats.iter().map(|row| format!("{row:?}")))
            .collect()
    }

    #[test]
    fn an_item_naming_an_entity_twice_counts_once() {
        let mut corpus = fixture::corpus();
        let first = &mut corpus.records[0];
        let repeats: Vec<Mention> = first.mentions.clone();
        first.mentions.extend(repeats);
        assert_eq!(
            figures(&compute(&corpus, Period::Month)),
            figures(&compute(&fixture::corpus(), Period::Month))
        );
    }

    #[test]
    fn records_out_of_order_add_up_the_same() {
        let mut corpus = fixture::corpus();
        corpus.records.reverse();
        assert_eq!(
            figures(&compute(&corpus, Period::Week)),
            figures(&compute(&fixture::corpus(), Period::Week))
        );
    }

    #[test]
    fn an_entity_no_dictionary_holds_is_named_by_its_first_mention() {
        let mut corpus = fixture::corpus();
        corpus.entities.remove("topic:cel");
        // In corpus order the undated issue comes first: its mention names
        // the entity, though it enters no series.
        corpus.records.rotate_right(1);
        for mention in &mut corpus.records[0].mentions {
            mention.entity_name = format!("{} (undated)", mention.entity_id);
        }
        let trends = compute(&corpus, Period::Month);
        assert_eq!(
            trends.entity("topic:cel").unwrap().name,
            "topic:cel (undated)"
        );
        assert_eq!(
            trends.entity("tool:kubebuilder").unwrap().name,
            "Kubebuilder"
        );
    }

    #[test]
    fn records_dated_outside_the_given_dates_are_left_out() {
        let corpus = fixture::corpus();
        let dates = Some(DateRange {
            first: fixture::date(2022, 8, 1),
            last: fixture::date(2022, 10, 31),
        });
        let mut builder = TrendsBuilder::new(Period::Month, dates);
        let mut ids = EntityIds::default();
        let lookup = EntityLookup::new(&corpus.entities);
        for record in &corpus.records {
            let keys = ids.keys_of(record, &lookup);
            builder.add(record, &keys, &ids);
        }
        let trends = builder.finish(&corpus.entities, &ids);
        assert_eq!(trends.items, [3, 0, 1]);
        assert!(trends.entity("neco:moco").is_none());
    }
}
