//! Extract: an [`Issue`] → an [`IssueRecord`]: its outline without the text,
//! the entities mentioned, every link, and candidate names.

pub mod candidates;
pub mod dictionary;

use crate::model::{Issue, IssueMeta, IssueRecord};
pub use dictionary::Dictionary;

/// Everything extraction needs, built once and shared by every thread.
pub struct Extractor {
    pub dictionary: Dictionary,
}

impl Extractor {
    pub fn new(dictionary: Dictionary) -> Extractor {
        Extractor { dictionary }
    }

    pub fn extract(&self, issue: &Issue) -> IssueRecord {
        IssueRecord {
            issue: IssueMeta {
                id: issue.id.clone(),
                publication: issue.publication.clone(),
                title: issue.title.clone(),
                date: issue.date,
                number: issue.number,
                source_path: issue.source_path.clone(),
                format: issue.format,
                sections: issue.sections.len(),
                links: issue.link_count(),
            },
            items: Vec::new(),
            mentions: Vec::new(),
            links: Vec::new(),
            discovered: Vec::new(),
            candidates: Vec::new(),
        }
    }
}
