//! Publication constants: the entities a publication names in nearly every
//! issue — its own name, its team, its subject (Neco in Neco Weekly, Rust in
//! This Week in Rust, Kubernetes in Last Week in Kubernetes Development).
//! Their mentions stay in the tables, marked, but a drawing, a trend table
//! or a "most mentioned" chart that leads with them says what every issue
//! is about rather than what this one is; those leave them out unless
//! `--keep-constants`.
//!
//! The decision is by document frequency per publication: an entity named
//! in at least [`MIN_SHARE_PERCENT`] of a publication's dated issues, when the
//! publication has at least [`MIN_ISSUES`] of them.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::IssueRecord;

/// A publication with fewer dated issues has no constants: with four
/// issues, "in every issue" is as likely chance as subject.
pub const MIN_ISSUES: usize = 5;

/// The share of a publication's dated issues that must name an entity:
/// "nearly every issue", four in five. Once template lines and pull-request
/// links stopped counting, the three real corpora show a wide gap around
/// it: LWKD's Kubernetes is named in 86% of its issues and the next entity
/// in 59%; This Week in Rust's Rust in 100% and the next in 60%; Neco
/// Weekly's Neco and Kubernetes in 8 of 8, Kubernetes Operator in 7 of 8
/// (the team's own subject) and the next in 5.
pub const MIN_SHARE_PERCENT: usize = 80;

/// What every issue of each publication is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constants {
    by_publication: BTreeMap<String, PublicationConstants>,
    /// Each constant entity's publications, in name order: the tables ask
    /// for every entity, and a corpus can have hundreds of publications.
    by_entity: BTreeMap<String, Vec<String>>,
}

/// One publication's constants and the counts behind them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicationConstants {
    /// The publication's dated issues.
    pub issues: usize,
    /// Each constant's entity id, with the dated issues naming it.
    pub entities: BTreeMap<String, usize>,
}

/// Document frequencies gathered issue by issue, before the decision.
/// Entity ids are whatever the caller interns them as (`u32`s in the
/// pipeline, so an issue's set stays small); `name` turns them back into
/// entity ids.
#[derive(Debug, Default)]
pub struct DocumentFrequencies<K> {
    by_publication: BTreeMap<String, (usize, BTreeMap<K, usize>)>,
}

impl<K: Ord + Copy> DocumentFrequencies<K> {
    /// One dated issue and the distinct entities it names. Undated issues
    /// have no place in "nearly every issue" and are not counted.
    pub fn add_issue(&mut self, publication: &str, entities: impl IntoIterator<Item = K>) {
        let (issues, named) = match self.by_publication.get_mut(publication) {
            Some(tally) => tally,
            None => self
                .by_publication
                .entry(publication.to_string())
                .or_default(),
        };
        *issues += 1;
        for entity in entities {
            *named.entry(entity).or_insert(0) += 1;
        }
    }

    /// Decides, turning each kept key into its entity id.
    pub fn decide<'a>(self, name: impl Fn(K) -> &'a str) -> Constants {
        let by_publication = self
            .by_publication
            .into_iter()
            .filter_map(|(publication, (issues, named))| {
                if issues < MIN_ISSUES {
                    return None;
                }
                let entities: BTreeMap<String, usize> = named
                    .into_iter()
                    .filter(|&(_, count)| count * 100 >= issues * MIN_SHARE_PERCENT)
                    .map(|(key, count)| (name(key).to_string(), count))
                    .collect();
                (!entities.is_empty())
                    .then_some((publication, PublicationConstants { issues, entities }))
            })
            .collect();
        Constants::new(by_publication)
    }
}

impl Constants {
    fn new(by_publication: BTreeMap<String, PublicationConstants>) -> Constants {
        let mut by_entity: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (publication, constants) in &by_publication {
            for entity_id in constants.entities.keys() {
                by_entity
                    .entry(entity_id.clone())
                    .or_default()
                    .push(publication.clone());
            }
        }
        Constants {
            by_publication,
            by_entity,
        }
    }

    /// The constants of records held in memory (already free of duplicate
    /// issues).
    pub fn of_records(records: &[IssueRecord]) -> Constants {
        let mut frequencies = DocumentFrequencies::default();
        for record in records.iter().filter(|r| r.issue.date.is_some()) {
            let named: BTreeSet<&str> = record
                .mentions
                .iter()
                .map(|m| m.entity_id.as_str())
                .collect();
            frequencies.add_issue(&record.issue.publication, named);
        }
        frequencies.decide(|id| id)
    }

    pub fn is_empty(&self) -> bool {
        self.by_publication.is_empty()
    }

    /// Whether `entity_id` is a constant of `publication`.
    pub fn is_constant(&self, publication: &str, entity_id: &str) -> bool {
        self.by_publication
            .get(publication)
            .is_some_and(|p| p.entities.contains_key(entity_id))
    }

    /// Whether `entity_id` is a constant of any publication: what the
    /// drawing and the headlines leave out, since they speak of the corpus
    /// as a whole.
    pub fn contains(&self, entity_id: &str) -> bool {
        self.by_entity.contains_key(entity_id)
    }

    /// The publications `entity_id` is a constant of, in name order.
    pub fn publications_of(&self, entity_id: &str) -> Vec<&str> {
        self.by_entity
            .get(entity_id)
            .map(|publications| publications.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The `constant_of` cell: those publications, `;`-joined.
    pub fn cell(&self, entity_id: &str) -> String {
        self.by_entity
            .get(entity_id)
            .map(|publications| publications.join(";"))
            .unwrap_or_default()
    }

    /// Each publication with constants, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &PublicationConstants)> {
        self.by_publication.iter().map(|(p, c)| (p.as_str(), c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `issues`: per publication, how many issues name exactly these keys.
    fn decide(issues: &[(&str, usize, &[u32])]) -> Constants {
        let names = ["neco:neco", "tool:kubernetes", "tool:rust"];
        let mut frequencies = DocumentFrequencies::default();
        for &(publication, count, named) in issues {
            for _ in 0..count {
                frequencies.add_issue(publication, named.iter().copied());
            }
        }
        frequencies.decide(|key| names[key as usize])
    }

    #[test]
    fn an_entity_in_eight_of_ten_issues_is_a_constant_and_seven_of_ten_is_not() {
        let constants = decide(&[
            ("Weekly", 7, &[0, 1]),
            ("Weekly", 1, &[0]),
            ("Weekly", 2, &[2]),
        ]);
        assert!(constants.is_constant("Weekly", "neco:neco"));
        assert!(!constants.is_constant("Weekly", "tool:kubernetes"));
        assert!(!constants.is_constant("Other", "neco:neco"));
        assert_eq!(constants.cell("neco:neco"), "Weekly");
        assert_eq!(constants.cell("tool:kubernetes"), "");
        let (publication, weekly) = constants.iter().next().unwrap();
        assert_eq!(publication, "Weekly");
        assert_eq!(weekly.issues, 10);
        assert_eq!(
            weekly.entities,
            BTreeMap::from([("neco:neco".to_string(), 8)])
        );
    }

    #[test]
    fn four_issues_have_no_constants_and_five_can() {
        let constants = decide(&[("Weekly", 4, &[0])]);
        assert!(constants.is_empty());
        assert!(!constants.contains("neco:neco"));
        let constants = decide(&[("Weekly", 5, &[0])]);
        assert!(constants.contains("neco:neco"));
    }

    #[test]
    fn constants_are_per_publication() {
        let constants = decide(&[("A", 5, &[0, 2]), ("B", 6, &[1, 2])]);
        assert_eq!(constants.cell("tool:rust"), "A;B");
        assert_eq!(constants.cell("neco:neco"), "A");
        assert!(constants.is_constant("B", "tool:kubernetes"));
        assert!(!constants.is_constant("A", "tool:kubernetes"));
        assert!(constants.contains("tool:kubernetes"));
    }
}
