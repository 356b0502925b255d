//! The figures both reports open with.

use std::collections::BTreeSet;

use super::Trends;
use crate::model::{Date, IssueSummary};

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

/// `issues`: every issue of the corpus, dated or not.
pub fn headline(issues: &[IssueSummary], trends: &Trends) -> Headline {
    let dates = || issues.iter().filter_map(|summary| summary.issue.date);
    let publications: BTreeSet<String> = issues
        .iter()
        .map(|summary| summary.issue.publication.clone())
        .collect();
    Headline {
        publications: publications.into_iter().collect(),
        issues: issues.len(),
        undated_issues: issues
            .iter()
            .filter(|summary| summary.issue.date.is_none())
            .count(),
        items: issues.iter().map(|summary| summary.items).sum(),
        links: issues.iter().map(|summary| summary.links).sum(),
        entities: trends.entities.len(),
        mentions: trends.entities.iter().map(|s| s.total_mentions()).sum(),
        first: dates().min(),
        last: dates().max(),
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
