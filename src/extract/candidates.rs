//! Candidates: product-looking names that no dictionary entry knows.
//!
//! Three places suggest a name worth an entry:
//! - an ASCII word with a capital standing in Japanese prose ("Spegelは",
//!   "Tenetという"): Japanese writes product names in Latin letters, so
//!   there it is a name, not an English word;
//! - a CamelCase or all-capitals word in an item title (capitalised words
//!   in titles are mostly English: "KEP of the Week");
//! - a linked GitHub repository no entry lists (its name, as the URL
//!   spells it).
//!
//! Words a dictionary alias covers, common English words and generic
//! acronyms (API, CPU, …) are left out.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::extract::matcher::{floor_char_boundary, next_to_japanese};
use crate::extract::spans::Spans;
use crate::model::{CandidateHit, Corpus, Entity, EntityKind, IssueRecord};

/// The words candidates are taken from, as the regex
/// `[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*` finds them, leftmost and
/// greedy: a letter, letters and digits, then `-` or `.` joining more of
/// them ("cert-manager", "Node.js"). Scanned by hand over bytes: this
/// runs over every title and every line of Japanese prose.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes[at..].iter().position(u8::is_ascii_alphabetic)?;
        let mut end = start + 1;
        loop {
            end += bytes[end..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let joined = matches!(bytes.get(end), Some(b'-' | b'.'))
                && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric);
            if !joined {
                break;
            }
            end += 1;
        }
        at = end;
        Some((start, end))
    })
}

/// Words that look like names in the places above but name no product.
const STOP_WORDS: &[&str] = &[
    "about",
    "add",
    "adds",
    "after",
    "all",
    "also",
    "and",
    "announcing",
    "any",
    "api",
    "apis",
    "are",
    "arm",
    "automatic",
    "aws",
    "beta",
    "better",
    "blog",
    "book",
    "bug",
    "but",
    "can",
    "cdn",
    "cd",
    "ci",
    "cli",
    "cloud",
    "cluster",
    "clusters",
    "cncf",
    "container",
    "containers",
    "controller",
    "cpu",
    "crd",
    "crds",
    "cve",
    "deep",
    "deprecated",
    "developer",
    "dive",
    "dns",
    "docs",
    "does",
    "each",
    "enhancement",
    "enhancements",
    "every",
    "feature",
    "features",
    "first",
    "fix",
    "for",
    "from",
    "future",
    "get",
    "getting",
    "gpu",
    "guide",
    "has",
    "have",
    "how",
    "html",
    "http",
    "https",
    "ide",
    "its",
    "introducing",
    "issue",
    "issues",
    "job",
    "jobs",
    "json",
    "just",
    "kep",
    "keps",
    "lts",
    "make",
    "managing",
    "meetup",
    "more",
    "native",
    "neco",
    "new",
    "news",
    "next",
    "node",
    "nodes",
    "not",
    "note",
    "now",
    "oss",
    "our",
    "part",
    "pod",
    "pods",
    "pr",
    "prs",
    "ram",
    "release",
    "released",
    "releases",
    "rest",
    "rfc",
    "run",
    "sdk",
    "see",
    "service",
    "services",
    "should",
    "sig",
    "sigs",
    "some",
    "sql",
    "ssd",
    "ssh",
    "start",
    "support",
    "talk",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "this",
    "tips",
    "tls",
    "to",
    "tool",
    "tools",
    "update",
    "updates",
    "url",
    "use",
    "using",
    "via",
    "vol",
    "was",
    "weekly",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "yaml",
    "you",
    "your",
    // Kubernetes and systems nouns, capitalised as resource kinds or terms.
    "action",
    "admission",
    "annotations",
    "app",
    "application",
    "applications",
    "apply",
    "class",
    "client",
    "client-side",
    "control",
    "dashboard",
    "dynamic",
    "e2e",
    "egress",
    "endpoints",
    "feed",
    "gateway",
    "ingress",
    "kib",
    "limits",
    "mib",
    "namespace",
    "nat",
    "operator",
    "order",
    "probe",
    "provider",
    "qos",
    "reconcile",
    "requests",
    "resources",
    "scheduler",
    "secret",
    "secrets",
    "server",
    "server-side",
    "volume",
    "volumes",
];

static STOP_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

/// Finds candidate names, skipping what the dictionary knows.
#[derive(Debug, Default)]
pub struct CandidateFinder {
    /// Every name and alias, ASCII-lowercased.
    known: FxHashSet<String>,
}

/// Examples are a line of context, not a paragraph.
const MAX_EXAMPLE_LEN: usize = 200;

impl CandidateFinder {
    pub fn new(entities: &[Entity]) -> CandidateFinder {
        let known = entities
            .iter()
            .flat_map(|e| std::iter::once(&e.name).chain(e.aliases.iter()))
            .map(|name| name.trim().to_ascii_lowercase())
            .collect();
        CandidateFinder { known }
    }

    fn is_candidate_word(&self, word: &str) -> bool {
        let lower = word.to_ascii_lowercase();
        word.len() >= 3
            && !STOP_SET.contains(lower.as_str())
            && !self.known.contains(&lower)
            && !word
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    }

    /// Names in `text`. `covered` are byte ranges a dictionary entity or a
    /// KEP already took; `is_title` adds the title rules.
    pub fn find(&self, text: &str, covered: &Spans, is_title: bool, out: &mut Vec<CandidateHit>) {
        let has_japanese = text.bytes().any(|b| b >= 0xE3);
        if !has_japanese && !is_title {
            return;
        }
        let mut lines = Lines::new(text);
        for (start, end) in words(text) {
            let word_text = text[start..end].trim_end_matches(['.', '-']);
            // Most words have no shape of a name: rule them out first, by
            // their own letters, before looking around them.
            let has_capital = word_text.starts_with(|c: char| c.is_ascii_uppercase());
            let title_shaped = is_title && (is_camel_case(word_text) || is_all_capitals(word_text));
            let japanese_shaped = has_japanese && has_capital;
            if !japanese_shaped && !title_shaped {
                continue;
            }
            let overlaps = covered.overlaps(start, end);
            let glued = text[..start].ends_with(|c: char| {
                c.is_ascii_digit() || matches!(c, '_' | '/' | '@' | '$' | '#' | '.' | '-')
            }) || text[end..].starts_with(['_', '/']);
            if overlaps || glued {
                continue;
            }
            let in_japanese = has_japanese && has_capital && next_to_japanese(text, start, end);
            let in_title = title_shaped;
            if (in_japanese || in_title) && self.is_candidate_word(word_text) {
                out.push(CandidateHit {
                    name: word_text.to_string(),
                    suggested_kind: EntityKind::Tool,
                    example: lines.example(start),
                });
            }
        }
    }

    /// A linked GitHub repository that no entry lists.
    pub fn repository(
        &self,
        repository_url: &str,
        owner: &str,
        name: &str,
        out: &mut Vec<CandidateHit>,
    ) {
        if name.len() < 2
            || name.starts_with('.')
            || self.known.contains(&name.to_ascii_lowercase())
        {
            return;
        }
        let suggested_kind =
            if owner.eq_ignore_ascii_case("cybozu-go") || owner.eq_ignore_ascii_case("cybozu") {
                EntityKind::Neco
            } else {
                EntityKind::Tool
            };
        out.push(CandidateHit {
            name: name.to_string(),
            suggested_kind,
            example: repository_url.to_string(),
        });
    }
}

fn is_camel_case(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// "GCE", "KMS2"; not the plurals of acronyms ("PVs", "CPUs").
fn is_all_capitals(word: &str) -> bool {
    word.len() >= 3
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_uppercase())
}

/// Example lines for words met in text order. Each example is the line
/// around the word, trimmed and cut to a readable length; finding it costs
/// about the example's length, not the line's, so a million-character line
/// with thousands of candidates stays linear.
struct Lines<'t> {
    text: &'t str,
    /// Where the line holding `scanned_to` starts (after its newline).
    line_start: usize,
    scanned_to: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            line_start: 0,
            scanned_to: 0,
        }
    }

    /// `at` is the start of a word (not whitespace); words come in order.
    fn example(&mut self, at: usize) -> String {
        let text = self.text;
        if at < self.scanned_to {
            self.line_start = 0;
            self.scanned_to = 0;
        }
        if let Some(newline) = text[self.scanned_to..at].rfind('\n') {
            self.line_start = self.scanned_to + newline + 1;
        }
        self.scanned_to = at;

        // The line trimmed: `at` holds a word, so it lies within.
        let trimmed_start = text[self.line_start..at]
            .find(|c: char| !c.is_whitespace())
            .map_or(at, |i| self.line_start + i);
        let limit = trimmed_start + MAX_EXAMPLE_LEN;
        let mut trimmed_end = at;
        for (offset, c) in text[at..].char_indices() {
            if c == '\n' {
                break;
            }
            if !c.is_whitespace() {
                trimmed_end = at + offset + c.len_utf8();
                if trimmed_end > limit {
                    break;
                }
            }
        }
        let line = &text[trimmed_start..trimmed_end];
        line[..floor_char_boundary(line, MAX_EXAMPLE_LEN)].to_string()
    }
}

/// One row of candidates.csv: a name summed over the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateSummary {
    pub name: String,
    pub count: usize,
    pub issues: usize,
    pub suggested_kind: EntityKind,
    pub example: String,
}

/// Candidates over the corpus, most frequent first, then by name.
pub fn summarize(corpus: &Corpus) -> Vec<CandidateSummary> {
    let mut tally = CandidateTally::default();
    for record in &corpus.records {
        tally.add(record);
    }
    tally.finish()
}

/// Candidate names summed record by record, in corpus order. Names are
/// grouped without regard to ASCII case ("MOCO" in prose and `moco` in a
/// URL are one); the spelling shown is the most frequent one.
#[derive(Default)]
pub struct CandidateTally {
    by_name: HashMap<String, NameTally>,
    /// Records added so far: marks which issue a name was last counted in.
    records: usize,
}

#[derive(Default)]
struct NameTally {
    spellings: BTreeMap<String, usize>,
    kinds: BTreeMap<EntityKind, usize>,
    issues: usize,
    last_record: Option<usize>,
    count: usize,
    /// The first example in corpus order.
    example: String,
}

impl CandidateTally {
    pub fn add(&mut self, record: &IssueRecord) {
        let this_record = self.records;
        self.records += 1;
        for hit in &record.candidates {
            let tally = self
                .by_name
                .entry(hit.name.to_ascii_lowercase())
                .or_insert_with(|| NameTally {
                    example: hit.example.clone(),
                    ..NameTally::default()
                });
            match tally.spellings.get_mut(hit.name.as_str()) {
                Some(count) => *count += 1,
                None => {
                    tally.spellings.insert(hit.name.clone(), 1);
                }
            }
            *tally.kinds.entry(hit.suggested_kind).or_default() += 1;
            if tally.last_record != Some(this_record) {
                tally.issues += 1;
                tally.last_record = Some(this_record);
            }
            tally.count += 1;
        }
    }

    pub fn finish(self) -> Vec<CandidateSummary> {
        let mut rows: Vec<CandidateSummary> = self
            .by_name
            .into_values()
            .map(|tally| CandidateSummary {
                name: most_frequent(&tally.spellings).cloned().unwrap_or_default(),
                count: tally.count,
                issues: tally.issues,
                suggested_kind: most_frequent(&tally.kinds)
                    .copied()
                    .unwrap_or(EntityKind::Tool),
                example: tally.example,
            })
            .collect();
        rows.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.example.cmp(&b.example))
        });
        rows
    }
}

/// The key counted most often; ties go to the smallest key.
fn most_frequent<K: Ord>(counts: &BTreeMap<K, usize>) -> Option<&K> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(key, _)| key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The example the slow way: the whole line, trimmed, then cut.
    fn example_by_whole_line(text: &str, at: usize) -> String {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[start..end].trim();
        line[..floor_char_boundary(line, MAX_EXAMPLE_LEN)].to_string()
    }

    #[test]
    fn examples_agree_with_the_whole_line_trimmed_and_cut() {
        let long_japanese = "長い行のSpegelを使う 　".repeat(40);
        let texts = [
            "  Spegel は速い  \n\tTenet という\u{3000}\r\nlast".to_string(),
            long_japanese.clone(),
            format!("{long_japanese}\n  {long_japanese}   \n"),
            format!("{}Zed{}\n", "x".repeat(190), " ".repeat(30)),
        ];
        for text in &texts {
            let mut lines = Lines::new(text);
            for (start, _) in words(text) {
                assert_eq!(
                    lines.example(start),
                    example_by_whole_line(text, start),
                    "word at {start} of {text:?}"
                );
            }
        }
    }

    fn names(finder: &CandidateFinder, text: &str, is_title: bool) -> Vec<String> {
        let mut out = Vec::new();
        finder.find(text, &Spans::default(), is_title, &mut out);
        out.into_iter().map(|h| h.name).collect()
    }

    #[test]
    fn words_agree_with_the_regex() {
        let regex = Regex::new(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*").unwrap();
        let texts = [
            "",
            "a",
            "1abc-def.g2 x.-y a..b c- d. e-1-2.3",
            "cert-manager と Node.js、k8s.io/kubernetes-v1.2.3-",
            "日本語Spegelは-x.y_z__Q9",
            "ab-\u{e9}c A.b.c.d-e-",
        ];
        for text in texts {
            let expected: Vec<(usize, usize)> = regex
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn names_in_japanese_prose() {
        let finder = CandidateFinder::default();
        assert_eq!(
            names(
                &finder,
                "コンテナレジストリミラーSpegelの紹介。Tenetという",
                false
            ),
            ["Spegel", "Tenet"]
        );
        assert_eq!(
            names(&finder, "watch して reconcile する API", false),
            Vec::<String>::new()
        );
        assert_eq!(
            names(&finder, "The quick brown Fox jumps", false),
            Vec::<String>::new()
        );
    }

    #[test]
    fn names_in_titles() {
        let finder = CandidateFinder::default();
        assert_eq!(
            names(
                &finder,
                "Implement secondary authz for ValidatingAdmissionPolicy",
                true
            ),
            ["ValidatingAdmissionPolicy"]
        );
        assert_eq!(
            names(&finder, "Announcing the Official Kubernetes CVE Feed", true),
            Vec::<String>::new()
        );
    }

    #[test]
    fn known_names_are_not_candidates() {
        let entity = Entity {
            id: "neco:tenet".into(),
            name: "Tenet".into(),
            kind: EntityKind::Neco,
            aliases: vec![],
            urls: vec![],
            category: String::new(),
            cncf: String::new(),
            match_rule: Default::default(),
            sig: String::new(),
            source: Default::default(),
        };
        let finder = CandidateFinder::new(&[entity]);
        assert_eq!(names(&finder, "Tenetという", false), Vec::<String>::new());
    }
}
