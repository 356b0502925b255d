//! Retrospective stats, one row per period: what a team reads back at the
//! end of a quarter.

use std::collections::HashMap;

use serde::Serialize;

use super::{PeriodSpan, Series};
use crate::model::{Category, IssueRecord};

/// How many entities and hosts the `top_*` columns list.
pub const TOP_LISTED: usize = 5;

/// How many topics [`PeriodStats::top_topics`] keeps: enough for
/// [`TOP_LISTED`] once a few publication constants are left out.
pub const TOP_TOPICS_KEPT: usize = 2 * TOP_LISTED;

#[derive(Debug, Clone, Serialize)]
pub struct PeriodStats {
    pub span: PeriodSpan,
    pub issues: u32,
    pub items: u32,
    /// Items per section category, in [`Category::ALL`] order.
    pub items_by_category: Vec<(Category, u32)>,
    /// Entities mentioned anywhere in the period's issues.
    pub distinct_entities: u32,
    /// Entities mentioned for the first time ever.
    pub new_entities: u32,
    /// (entity id, items mentioning it), most first.
    pub top_entities: Vec<(String, u32)>,
    /// (entity id, items) of the most mentioned topics and tools
    /// ([`super::is_topic`]), [`TOP_TOPICS_KEPT`] of them, for the reports'
    /// per-period table, which leaves the publication constants out (they
    /// are known only later, see [`super::Trends::top_topics_of`]).
    /// stats.csv keeps every kind.
    #[serde(skip)]
    pub top_topics: Vec<(String, u32)>,
    /// Mentions of the team's own OSS (kind `neco`): one per entity per item,
    /// plus one per entity per issue for text outside items.
    pub neco_mentions: u32,
    /// (host, links to it), most first.
    pub top_hosts: Vec<(String, u32)>,
}

/// What the stats count record by record, per period: everything but the
/// entity columns, which come from the entity series once they are built.
#[derive(Debug)]
pub(super) struct StatsTally {
    periods: Vec<PeriodTally>,
}

#[derive(Debug, Default)]
struct PeriodTally {
    issues: u32,
    items: u32,
    items_by_category: [u32; Category::ALL.len()],
    neco_mentions: u32,
    /// Links per host; sorted by count and host when finished, so the
    /// map's order never shows.
    hosts: HashMap<String, u32>,
}

impl StatsTally {
    pub(super) fn new(periods: usize) -> StatsTally {
        StatsTally {
            periods: (0..periods).map(|_| PeriodTally::default()).collect(),
        }
    }

    /// `record` falls in period `t`; `items_by_category` in
    /// [`Category::ALL`] order; `neco_mentions`: its distinct (entity of
    /// kind `neco`, item or issue) pairs.
    pub(super) fn add(
        &mut self,
        t: usize,
        record: &IssueRecord,
        items_by_category: [u32; Category::ALL.len()],
        neco_mentions: u32,
    ) {
        let Some(tally) = self.periods.get_mut(t) else {
            return;
        };
        tally.issues += 1;
        tally.items += record.items.len() as u32;
        for (total, count) in tally.items_by_category.iter_mut().zip(items_by_category) {
            *total += count;
        }
        tally.neco_mentions += neco_mentions;
        for link in &record.links {
            if link.host.is_empty() {
                continue;
            }
            match tally.hosts.get_mut(&link.host) {
                Some(count) => *count += 1,
                None => {
                    tally.hosts.insert(link.host.clone(), 1);
                }
            }
        }
    }

    /// One row per period of `spans`; `entities`: the entity series, by id.
    pub(super) fn finish(self, spans: &[PeriodSpan], entities: &[Series]) -> Vec<PeriodStats> {
        let periods = spans.len();
        // Per period: entities present, entities first seen, and the
        // mentioned ones; gathered series by series, since a series is as
        // long as the corpus has periods.
        let mut distinct = vec![0u32; periods];
        let mut first_seen = vec![0u32; periods];
        let mut mentioned: Vec<Vec<(u32, usize)>> = vec![Vec::new(); periods];
        for (index, series) in entities.iter().enumerate() {
            let mut present = series.issues.runs().flat_map(|(stretch, _)| stretch);
            if let Some(first) = present.next().filter(|&t| t < periods) {
                first_seen[first] += 1;
                distinct[first] += 1;
            }
            for t in present.filter(|&t| t < periods) {
                distinct[t] += 1;
            }
            for (stretch, &count) in series.mentions.runs() {
                for t in stretch.filter(|&t| t < periods) {
                    mentioned[t].push((count, index));
                }
            }
        }
        spans
            .iter()
            .zip(self.periods)
            .zip(mentioned)
            .enumerate()
            .map(|(t, ((span, tally), mut counts))| {
                // Series are in id order, so the index breaks ties as the id would.
                counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let listed = |&(count, index): &(u32, usize)| (entities[index].key.clone(), count);
                let top: Vec<(String, u32)> = counts.iter().take(TOP_LISTED).map(listed).collect();
                let top_topics: Vec<(String, u32)> = counts
                    .iter()
                    .filter(|&&(_, index)| super::is_topic(&entities[index]))
                    .take(TOP_TOPICS_KEPT)
                    .map(listed)
                    .collect();
                let mut top_hosts: Vec<(String, u32)> = tally.hosts.into_iter().collect();
                sort_most_first(&mut top_hosts);
                top_hosts.truncate(TOP_LISTED);
                PeriodStats {
                    span: span.clone(),
                    issues: tally.issues,
                    items: tally.items,
                    items_by_category: Category::ALL
                        .into_iter()
                        .zip(tally.items_by_category)
                        .collect(),
                    distinct_entities: distinct[t],
                    new_entities: first_seen[t],
                    top_entities: top,
                    top_topics,
                    neco_mentions: tally.neco_mentions,
                    top_hosts,
                }
            })
            .collect()
    }
}

fn sort_most_first(counts: &mut [(String, u32)]) {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
}

/// `id:count; id:count` as the CSV and the reports write it.
pub fn format_counts(counts: &[(String, u32)]) -> String {
    counts
        .iter()
        .map(|(key, count)| format!("{key}:{count}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::super::{Period, compute, fixture};
    use super::*;

    #[test]
    fn one_row_per_month_with_gaps_at_zero() {
        let trends = compute(&fixture::corpus(), Period::Month);
        let rows: Vec<(&str, u32, u32, u32, u32, u32)> = trends
            .stats
            .iter()
            .map(|s| {
                (
                    s.span.label.as_str(),
                    s.issues,
                    s.items,
                    s.distinct_entities,
                    s.new_entities,
                    s.neco_mentions,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("2022-07", 1, 2, 2, 2, 2),
                ("2022-08", 1, 3, 2, 1, 0),
                ("2022-09", 0, 0, 0, 0, 0),
                ("2022-10", 1, 1, 2, 0, 0),
            ]
        );
        let august = &trends.stats[1];
        assert_eq!(
            format_counts(&august.top_entities),
            "tool:kubebuilder:2; topic:cel:2"
        );
        assert_eq!(
            format_counts(&trends.stats[0].top_hosts),
            "github.com:2; zenn.dev:1"
        );
        let tools = august
            .items_by_category
            .iter()
            .find(|(c, _)| *c == Category::Tools);
        assert_eq!(tools, Some(&(Category::Tools, 1)));
    }
}
