//! Template text: lines a publication repeats in most of its issues.
//!
//! An intro that introduces the team, a footer that says where the
//! newsletter is developed, a subscribe block: they name the same
//! entities in every issue, and a mention there says nothing about the
//! issue. Which lines they are is decided from the corpus, not from a list:
//! a line, normalised (lowercased, URLs and digits masked, whitespace
//! collapsed), is boilerplate of a publication when it occurs in at least
//! [`SHARE_PERCENT`]% of the publication's issues and the publication has
//! at least [`MIN_ISSUES`] issues. A publication of fewer issues has no
//! boilerplate: a line in three of three issues may be chance.
//!
//! The first pass over the corpus counts, per publication, the issues each
//! normalised line occurs in ([`LineTally`]); [`Boilerplate::decide`] turns
//! the counts into the lines extraction masks.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::model::Issue;

/// A publication needs this many issues before any line is boilerplate.
pub const MIN_ISSUES: u32 = 5;
/// The share of a publication's issues a line must occur in.
pub const SHARE_PERCENT: u32 = 50;

/// Per publication: how many issues it has, and in how many of them each
/// normalised line occurs.
#[derive(Debug, Default, Clone)]
pub struct LineTally {
    publications: FxHashMap<String, PublicationLines>,
}

#[derive(Debug, Default, Clone)]
struct PublicationLines {
    issues: u32,
    lines: FxHashMap<u64, u32>,
}

impl LineTally {
    /// Counts the lines of one parsed issue, each line once.
    pub fn add_issue(&mut self, issue: &Issue) {
        let mut seen: FxHashSet<u64> = FxHashSet::default();
        for text in texts_of(issue) {
            for line in text.lines() {
                if let Some(hash) = line_hash(line) {
                    seen.insert(hash);
                }
            }
        }
        let publication = self
            .publications
            .entry(issue.publication.clone())
            .or_default();
        publication.issues += 1;
        for hash in seen {
            *publication.lines.entry(hash).or_default() += 1;
        }
    }

    pub fn merge(&mut self, other: LineTally) {
        for (name, theirs) in other.publications {
            let mine = self.publications.entry(name).or_default();
            mine.issues += theirs.issues;
            for (hash, count) in theirs.lines {
                *mine.lines.entry(hash).or_default() += count;
            }
        }
    }
}

/// The texts of an issue that extraction reads as prose or titles, link
/// texts aside.
fn texts_of(issue: &Issue) -> impl Iterator<Item = &str> {
    std::iter::once(issue.intro_text.as_str()).chain(issue.sections.iter().flat_map(|section| {
        [section.heading.as_str(), section.lead_text.as_str()]
            .into_iter()
            .chain(
                section
                    .items
                    .iter()
                    .flat_map(|item| [item.title.as_str(), item.text.as_str()]),
            )
    }))
}

/// The boilerplate lines of each publication, as hashes of their
/// normalised text.
#[derive(Debug, Default, Clone)]
pub struct Boilerplate {
    publications: FxHashMap<String, FxHashSet<u64>>,
}

impl Boilerplate {
    pub fn decide(tally: &LineTally) -> Boilerplate {
        let publications = tally
            .publications
            .iter()
            .filter(|(_, publication)| publication.issues >= MIN_ISSUES)
            .map(|(name, publication)| {
                let lines = publication
                    .lines
                    .iter()
                    .filter(|&(_, &count)| count * 100 >= publication.issues * SHARE_PERCENT)
                    .map(|(&hash, _)| hash)
                    .collect::<FxHashSet<u64>>();
                (name.clone(), lines)
            })
            .filter(|(_, lines)| !lines.is_empty())
            .collect();
        Boilerplate { publications }
    }

    /// The boilerplate lines of one publication.
    pub fn of(&self, publication: &str) -> Option<&FxHashSet<u64>> {
        self.publications.get(publication)
    }

    /// How many distinct lines are boilerplate, over all publications.
    pub fn len(&self) -> usize {
        self.publications.values().map(FxHashSet::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.publications.is_empty()
    }
}

/// The byte ranges of `text`'s lines that are boilerplate, each line
/// without its line break.
pub fn spans(lines: &FxHashSet<u64>, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if line_hash(content).is_some_and(|hash| lines.contains(&hash)) {
            spans.push((start, start + content.len()));
        }
        start = end;
    }
    spans
}

/// The hash of a line's normalised text; `None` for a line with fewer
/// than [`MIN_LETTERS`] letters, which names nothing (a rule, a bullet,
/// a lone date).
pub fn line_hash(line: &str) -> Option<u64> {
    let normalised = normalise(line);
    if normalised.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let mut hasher = FxHasher::default();
    normalised.hash(&mut hasher);
    Some(hasher.finish())
}

/// Letters a line needs before it can be boilerplate.
const MIN_LETTERS: usize = 4;

/// Lowercased, every URL one `<url>`, every digit `0`, runs of whitespace
/// one space, trimmed: the issue number, the date and the links of a
/// template line change from issue to issue, its words do not.
pub fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut pending_space = false;
    let push = |out: &mut String, piece: &str, pending_space: &mut bool| {
        for c in piece.chars() {
            if c.is_whitespace() {
                *pending_space = !out.is_empty();
                continue;
            }
            if *pending_space {
                out.push(' ');
                *pending_space = false;
            }
            if c.is_ascii_digit() {
                out.push('0');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    };
    for (start, end) in super::url_spans(line) {
        push(&mut out, &line[last..start], &mut pending_space);
        push(&mut out, "<url>", &mut pending_space);
        last = end;
    }
    push(&mut out, &line[last..], &mut pending_space);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_masks_what_changes_between_issues() {
        assert_eq!(
            normalise("  Issue 42 of  the Weekly:  see https://example.org/42 "),
            "issue 00 of the weekly: see <url>"
        );
        assert_eq!(normalise("Issue 7 of the WEEKLY: see http://x.io/7"), {
            "issue 0 of the weekly: see <url>"
        });
    }

    #[test]
    fn short_lines_are_never_boilerplate() {
        assert_eq!(line_hash("---"), None);
        assert_eq!(line_hash("- 2024"), None);
        assert!(line_hash("Thanks for reading").is_some());
    }

    #[test]
    fn spans_cover_the_boilerplate_lines_only() {
        let lines: FxHashSet<u64> = line_hash("Brought to you by the team").into_iter().collect();
        let text = "First line\nBrought to you by the TEAM\r\nlast";
        assert_eq!(spans(&lines, text), [(11, 37)]);
        assert_eq!(&text[11..37], "Brought to you by the TEAM");
    }
}
