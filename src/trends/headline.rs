//! The figures both reports open with.

use std::collections::{BTreeSet, VecDeque};

use super::Trends;
use crate::model::{Date, IssueRecord, IssueSummary};

#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub publications: Vec<String>,
    pub issues: usize,
    pub undated_issues: usize,
    pub items: usize,
    pub links: usize,
    /// Entities mentioned at least once in a dated issue.
    pub entities: usize,
    /// (entity, item) pairs in dated issues.
    pub mentions: u64,
    pub first: Option<Date>,
    pub last: Option<Date>,
}

/// How many of the latest issues the reports list one by one; issues.csv
/// lists them all.
pub const LISTED_ISSUES: usize = 1000;

/// The issues counted record by record, in corpus order: totals for the
/// headline and the latest [`LISTED_ISSUES`] for the reports' issue list.
#[derive(Debug, Clone, Default)]
pub struct IssueTally {
    pub issues: usize,
    pub undated_issues: usize,
    pub items: usize,
    pub links: usize,
    pub publications: BTreeSet<String>,
    pub first: Option<Date>,
    pub last: Option<Date>,
    /// The latest issues, in corpus order.
    pub latest: VecDeque<IssueSummary>,
}

impl IssueTally {
    pub fn add(&mut self, record: &IssueRecord) {
        let summary = IssueSummary::of(record);
        self.issues += 1;
        self.items += summary.items;
        self.links += summary.links;
        if !self.publications.contains(&summary.issue.publication) {
            self.publications.insert(summary.issue.publication.clone());
        }
        match summary.issue.date {
            None => self.undated_issues += 1,
            Some(date) => {
                self.first = Some(self.first.map_or(date, |d| d.min(date)));
                self.last = Some(self.last.map_or(date, |d| d.max(date)));
            }
        }
        if self.latest.len() == LISTED_ISSUES {
            self.latest.pop_front();
        }
        self.latest.push_back(summary);
    }

    /// What the reports say above their list when it leaves issues out.
    pub fn unlisted_note(&self) -> Option<String> {
        (self.latest.len() < self.issues).then(|| {
            format!(
                "The latest {} of {}; issues.csv lists them all.",
                self.latest.len(),
                crate::words::count(self.issues, "issue")
            )
        })
    }
}

pub fn headline(issues: &IssueTally, trends: &Trends) -> Headline {
    Headline {
        publications: issues.publications.iter().cloned().collect(),
        issues: issues.issues,
        undated_issues: issues.undated_issues,
        items: issues.items,
        links: issues.links,
        entities: trends.entities.len(),
        mentions: trends.entities.iter().map(|s| s.total_mentions()).sum(),
        first: issues.first,
        last: issues.last,
    }
}

impl Headline {
    /// "2022-07-22 to 2023-04-28", or "no dated issue".
    pub fn date_range(&self) -> String {
        match (self.first, self.last) {
            (Some(first), Some(last)) => format!("{first} to {last}"),
            _ => "no dated issue".to_string(),
        }
    }
}
