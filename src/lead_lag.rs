//! Across publications: which publication named an entity first, and how
//! long after it the others did (`lead_lag.csv`, the report's "Across
//! publications" section, the SQLite `lead_lag` table).
//!
//! A lead means something only where the others could have named the
//! entity then: a publication that had not started yet cannot be late.
//! So an entity is compared only between the publication that named it
//! first and the others that name it too and were publishing on that day
//! (between their first and last dated issue); an entity that no other
//! publication could have covered then has no rows. With one publication
//! there are none at all.

use std::collections::BTreeMap;

use crate::entity_ids::{EntityIds, EntityKey};
use crate::model::{Date, EntityTable, IssueRecord};

/// Per entity and publication the first dated mention, and per
/// publication its first and last dated issue: gathered record by record.
#[derive(Default)]
pub struct LeadLagTally {
    /// By [`EntityKey`], what each publication naming the entity wrote of
    /// it. Most entities are named by one publication, so a short list of
    /// publication numbers costs less than a map per entity.
    first: Vec<Vec<FirstMention>>,
    /// The publications in order of their first dated issue: a
    /// [`FirstMention`] names its publication by position here.
    publications: Vec<String>,
    runs: BTreeMap<String, (Date, Date)>,
}

/// One publication's first dated mention of an entity.
#[derive(Debug, Clone, Copy)]
struct FirstMention {
    publication: u32,
    date: Date,
    /// Its mention rows of the entity.
    mentions: usize,
}

impl LeadLagTally {
    /// `keys`: the key of each of the record's mentions.
    pub fn add(&mut self, record: &IssueRecord, keys: &[EntityKey]) {
        let Some(date) = record.issue.date else {
            return;
        };
        let name = &record.issue.publication;
        let run = match self.runs.get_mut(name.as_str()) {
            Some(run) => run,
            None => {
                self.publications.push(name.clone());
                self.runs.entry(name.clone()).or_insert((date, date))
            }
        };
        run.0 = run.0.min(date);
        run.1 = run.1.max(date);
        // Publications are few: a linear search finds one soonest.
        let publication = self
            .publications
            .iter()
            .position(|p| p == name)
            .unwrap_or_default() as u32;
        for &key in keys.iter().take(record.mentions.len()) {
            let key = key as usize;
            if key >= self.first.len() {
                self.first.resize_with(key + 1, Vec::new);
            }
            let by_publication = &mut self.first[key];
            match by_publication
                .iter_mut()
                .find(|first| first.publication == publication)
            {
                Some(first) => {
                    first.date = first.date.min(date);
                    first.mentions += 1;
                }
                None => by_publication.push(FirstMention {
                    publication,
                    date,
                    mentions: 1,
                }),
            }
        }
    }

    pub fn finish(self, entities: &EntityTable, ids: &EntityIds) -> LeadLag {
        let mut leads = Vec::new();
        if self.runs.len() < 2 {
            return LeadLag {
                runs: self.runs,
                leads,
            };
        }
        for (key, by_publication) in self.first.into_iter().enumerate() {
            if by_publication.len() < 2 {
                continue;
            }
            let Some(lead_date) = by_publication.iter().map(|first| first.date).min() else {
                continue;
            };
            let mut coverage: Vec<Coverage> = by_publication
                .into_iter()
                .map(|first| (&self.publications[first.publication as usize], first))
                .filter(|(publication, first)| {
                    first.date == lead_date
                        || self
                            .runs
                            .get(publication.as_str())
                            .is_some_and(|&(start, end)| start <= lead_date && lead_date <= end)
                })
                .map(|(publication, first)| Coverage {
                    publication: publication.clone(),
                    first_seen: first.date,
                    lag_days: (first.date - lead_date).num_days(),
                    mentions: first.mentions,
                })
                .collect();
            // The first publication alone: no other could have covered it then.
            if coverage.len() < 2 {
                continue;
            }
            // Publications are distinct, so the order is total.
            coverage
                .sort_by(|a, b| (a.lag_days, &a.publication).cmp(&(b.lag_days, &b.publication)));
            let entity_id = ids.id(key as EntityKey).to_string();
            let (name, kind) = entities.get(&entity_id).map_or_else(
                || (entity_id.clone(), String::new()),
                |e| (e.name.clone(), e.kind.as_str().to_string()),
            );
            leads.push(Lead {
                entity_id,
                name,
                kind,
                lead_date,
                coverage,
            });
        }
        leads.sort_by(|a, b| (a.lead_date, &a.entity_id).cmp(&(b.lead_date, &b.entity_id)));
        LeadLag {
            runs: self.runs,
            leads,
        }
    }
}

/// The entities several publications covered, each with who came first.
#[derive(Debug, Clone, Default)]
pub struct LeadLag {
    /// Publication → its first and last dated issue.
    pub runs: BTreeMap<String, (Date, Date)>,
    /// By the date the first publication named the entity, then by id.
    pub leads: Vec<Lead>,
}

/// One entity, as the publications that could compete for it covered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub entity_id: String,
    pub name: String,
    pub kind: String,
    /// The first day any publication named it.
    pub lead_date: Date,
    /// The first publication (lag 0) first, then by lag.
    pub coverage: Vec<Coverage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub publication: String,
    pub first_seen: Date,
    /// Days after the first publication to name it; 0 for that one.
    pub lag_days: i64,
    /// This publication's mention rows of the entity.
    pub mentions: usize,
}

impl Lead {
    /// The publications that named it first (several on a tie).
    pub fn leaders(&self) -> impl Iterator<Item = &Coverage> {
        self.coverage.iter().filter(|c| c.lag_days == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, EntityKind, Format, IssueMeta, Mention, Via};

    fn day(m: u32, d: u32) -> Date {
        Date::from_ymd_opt(2023, m, d).unwrap()
    }

    fn record(publication: &str, date: Date, entities: &[&str]) -> IssueRecord {
        let id = format!("{publication}-{date}");
        IssueRecord {
            issue: IssueMeta {
                id: id.clone(),
                publication: publication.into(),
                title: id.clone(),
                date: Some(date),
                number: None,
                source_path: format!("{id}.md"),
                format: Format::Markdown,
                sections: 1,
                links: 0,
                boilerplate_lines: 0,
                url: None,
                path: format!("{id}.md"),
            },
            items: Vec::new(),
            mentions: entities
                .iter()
                .map(|e| Mention {
                    issue_id: id.clone(),
                    item_id: None,
                    date: Some(date),
                    category: Category::News,
                    entity_id: (*e).into(),
                    entity_name: (*e).into(),
                    kind: EntityKind::Tool,
                    via: Via::Alias,
                    surface: (*e).into(),
                    count: 1,
                    version: None,
                })
                .collect(),
            links: Vec::new(),
            discovered: Vec::new(),
            candidates: Vec::new(),
        }
    }

    #[test]
    fn a_lead_counts_only_against_publications_running_at_the_time() {
        let mut tally = LeadLagTally::default();
        let (mut ids, entities) = (EntityIds::default(), EntityTable::new());
        for record in [
            // A runs from January; B starts in March.
            record("A", day(1, 2), &["tool:old", "tool:a-first"]),
            record("A", day(3, 6), &["tool:b-first", "tool:tie"]),
            record("B", day(3, 1), &["tool:b-first", "tool:old", "tool:b-only"]),
            record("B", day(3, 6), &["tool:a-first", "tool:tie"]),
            record("A", day(3, 8), &["tool:a-first"]),
        ] {
            let keys = ids.keys_of(&record, &crate::model::EntityLookup::new(&entities));
            tally.add(&record, &keys);
        }
        let lead_lag = tally.finish(&entities, &ids);
        type Row<'a> = (&'a str, Vec<(&'a str, i64, usize)>);
        let rows: Vec<Row> = lead_lag
            .leads
            .iter()
            .map(|lead| {
                let coverage = lead
                    .coverage
                    .iter()
                    .map(|c| (c.publication.as_str(), c.lag_days, c.mentions))
                    .collect();
                (lead.entity_id.as_str(), coverage)
            })
            .collect();
        // tool:old: A named it before B existed; tool:b-only: one publication.
        // tool:a-first: A was first, but B had not started yet.
        assert_eq!(
            rows,
            [
                ("tool:b-first", vec![("B", 0, 1), ("A", 5, 1)]),
                ("tool:tie", vec![("A", 0, 1), ("B", 0, 1)]),
            ]
        );
        assert_eq!(lead_lag.runs["B"], (day(3, 1), day(3, 6)));
    }
}
