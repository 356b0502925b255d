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
use serde::Serialize;

use crate::extract::matcher::{floor_char_boundary, next_to_japanese};
use crate::extract::spans::Spans;
use crate::extract::url::UrlParts;
use crate::model::{CandidateHit, CodeText, Corpus, Entity, EntityKind, Evidence, IssueRecord};

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

/// Months and weekdays: English capitalises them mid-sentence.
const CALENDAR_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

static STOP_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().chain(CALENDAR_WORDS).copied().collect());

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

    /// Whether a name a link gave is one no entry knows.
    pub fn is_unknown(&self, name: &str) -> bool {
        name.len() >= 2
            && !name.starts_with('.')
            && !self.known.contains(&name.to_ascii_lowercase())
    }
}

/// The candidates of one issue, gathered scope by scope. Some hits wait
/// for the whole issue: a capitalised word counts only if the issue never
/// writes it in lowercase (then it is an ordinary word that began a
/// phrase), and code spans are counted once the text is through.
pub struct CandidateScan<'i> {
    code: &'i [CodeText],
    /// Inline code spans, trimmed.
    code_spans: FxHashSet<&'i str>,
    /// The lines of code blocks, as the item text holds them.
    code_block_lines: FxHashSet<&'i str>,
    /// Every word the issue writes all in lowercase.
    lowercase_words: FxHashSet<&'i str>,
    hits: Vec<CandidateHit>,
    /// Parallel to `hits`: the hit is a capital and nothing more.
    capital_only: Vec<bool>,
}

impl<'i> CandidateScan<'i> {
    pub fn new(code: &'i [CodeText]) -> CandidateScan<'i> {
        let mut code_spans = FxHashSet::default();
        let mut code_block_lines = FxHashSet::default();
        for written in code {
            if written.is_block {
                code_block_lines.extend(
                    written
                        .text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty()),
                );
            } else {
                code_spans.insert(written.text.trim());
            }
        }
        CandidateScan {
            code,
            code_spans,
            code_block_lines,
            lowercase_words: FxHashSet::default(),
            hits: Vec::new(),
            capital_only: Vec::new(),
        }
    }

    fn push(&mut self, hit: CandidateHit, capital_only: bool) {
        self.hits.push(hit);
        self.capital_only.push(capital_only);
    }

    /// Names in `text`. `covered` are byte ranges a dictionary entity or a
    /// KEP already took; `is_title` adds the title rules.
    pub fn find(
        &mut self,
        finder: &CandidateFinder,
        text: &'i str,
        covered: &Spans,
        is_title: bool,
    ) {
        let has_japanese = text.bytes().any(|b| b >= 0xE3);
        let sentence_title = is_title && reads_as_sentence(text);
        let in_code_block = self.code_block_spans(text);
        let mut lines = Lines::new(text);
        for (start, end) in words(text) {
            let word_text = text[start..end].trim_end_matches(['.', '-']);
            let word_end = start + word_text.len();
            // Most words have no shape of a name: rule them out first, by
            // their own letters, before looking around them.
            if !word_text.starts_with(|c: char| c.is_ascii_uppercase()) {
                if word_text.len() >= 3 && !word_text.bytes().any(|b| b.is_ascii_uppercase()) {
                    self.lowercase_words.insert(word_text);
                }
                continue;
            }
            let title_shaped = is_title && (is_camel_case(word_text) || is_all_capitals(word_text));
            let capitalised = word_text.bytes().any(|b| b.is_ascii_lowercase());
            let mid_sentence = capitalised
                && (sentence_title || (!is_title && !has_japanese))
                && !starts_sentence(text, start);
            if !has_japanese && !title_shaped && !mid_sentence {
                continue;
            }
            let overlaps = covered.overlaps(start, end);
            let glued = text[..start].ends_with(|c: char| {
                c.is_ascii_digit() || matches!(c, '_' | '/' | '@' | '$' | '#' | '.' | '-')
            }) || text[end..].starts_with(['_', '/']);
            if overlaps || glued || overlaps_any(&in_code_block, start, end) {
                continue;
            }
            // A code span is counted as code, once, when the issue is through.
            if self.code_spans.contains(word_text) {
                continue;
            }
            let in_japanese = has_japanese && next_to_japanese(text, start, end);
            let evidence = if title_shaped || (is_title && mid_sentence) {
                Evidence::Title
            } else if in_japanese || mid_sentence {
                Evidence::Prose
            } else {
                continue;
            };
            if !finder.is_candidate_word(word_text) {
                continue;
            }
            let type_like = text[word_end..].starts_with(['<'])
                || text[word_end..].starts_with("::")
                || text[..start].ends_with("::");
            let capital_only = !title_shaped && !is_camel_case(word_text);
            // "Patrick Walton", "Rusty Spike Podcast": the word is part of
            // a longer name, not a name of its own.
            if capital_only && follows_capitalised_word(text, start) {
                continue;
            }
            self.push(
                CandidateHit {
                    name: word_text.to_string(),
                    suggested_kind: EntityKind::Tool,
                    example: lines.example(start),
                    evidence,
                    type_like,
                    url: None,
                },
                capital_only,
            );
        }
    }

    /// Byte ranges of the lines of `text` that a code block holds.
    fn code_block_spans(&self, text: &str) -> Vec<(usize, usize)> {
        if self.code_block_lines.is_empty() {
            return Vec::new();
        }
        let mut spans = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if self.code_block_lines.contains(line.trim()) {
                spans.push((at, at + line.len()));
            }
            at += line.len();
        }
        spans
    }

    /// A project page linked, whose name the scope writes (as `spelling`).
    pub fn link(&mut self, spelling: &str, url: &str, link_text: &str, suggested_kind: EntityKind) {
        let text = link_text.trim();
        let example = if text.is_empty() {
            url.to_string()
        } else {
            let text = &text[..floor_char_boundary(text, MAX_EXAMPLE_LEN)];
            format!("{text} <{url}>")
        };
        self.push(
            CandidateHit {
                name: spelling.to_string(),
                suggested_kind,
                example,
                evidence: Evidence::Link,
                type_like: false,
                url: Some(url.to_string()),
            },
            false,
        );
    }

    /// The issue's candidates: capitals the issue also writes in lowercase
    /// dropped, code spans added.
    pub fn finish(self, finder: &CandidateFinder) -> Vec<CandidateHit> {
        let CandidateScan {
            code,
            lowercase_words,
            hits,
            capital_only,
            ..
        } = self;
        let mut kept: Vec<CandidateHit> = hits
            .into_iter()
            .zip(capital_only)
            .filter(|(hit, capital_only)| {
                !capital_only || !lowercase_words.contains(hit.name.to_ascii_lowercase().as_str())
            })
            .map(|(hit, _)| hit)
            .collect();
        for written in code.iter().filter(|c| !c.is_block) {
            let span = written.text.trim();
            let identifier_len = span
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                .count();
            let identifier = &span[..identifier_len];
            let rest = &span[identifier_len..];
            if !identifier.starts_with(|c: char| c.is_ascii_alphabetic())
                || !finder.is_candidate_word(identifier)
            {
                continue;
            }
            let capitalised = identifier.starts_with(|c: char| c.is_ascii_uppercase())
                && identifier.bytes().any(|b| b.is_ascii_lowercase());
            // `HashMap<K, V>`, `Rc::new`: a type; a CamelCase word alone in
            // code is one too (crates are written in lowercase).
            let type_like = if rest.is_empty() {
                capitalised
            } else if capitalised && (rest.starts_with('<') || rest.starts_with("::")) {
                true
            } else {
                continue;
            };
            kept.push(CandidateHit {
                name: identifier.to_string(),
                suggested_kind: EntityKind::Tool,
                example: format!("`{}`", &span[..floor_char_boundary(span, MAX_EXAMPLE_LEN)]),
                evidence: Evidence::Code,
                type_like,
                url: None,
            });
        }
        kept
    }
}

fn overlaps_any(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    spans.iter().any(|&(s, e)| s < end && start < e)
}

/// Whether the word at `start` comes one space after a capitalised word.
fn follows_capitalised_word(text: &str, start: usize) -> bool {
    let Some(before) = text[..start].strip_suffix(' ') else {
        return false;
    };
    let previous_start = before
        .bytes()
        .rposition(|b| !b.is_ascii_alphanumeric())
        .map_or(0, |at| at + 1);
    let previous = &before[previous_start..];
    previous.len() >= 2
        && previous.starts_with(|c: char| c.is_ascii_uppercase())
        && previous.bytes().skip(1).any(|b| b.is_ascii_lowercase())
}

/// Whether the word at `start` begins a sentence (or a line, a list
/// entry, a quote): there a capital says nothing. So does a word after a
/// label in brackets that begins one ("[disposition: merge] Allow …",
/// "[video] Ferris makes …").
fn starts_sentence(text: &str, start: usize) -> bool {
    let before =
        text[..start].trim_end_matches([' ', '\t', '"', '\'', '(', '[', '*', '_', '“', '‘', '`']);
    if before.len() < text[..start].len()
        && let Some(label) = before.strip_suffix(']')
        && let Some(open) = label.rfind('[')
        && !label[open..].contains(['\n', '(', ')'])
    {
        return starts_sentence(text, open);
    }
    match before.chars().next_back() {
        None => true,
        Some(c) => matches!(
            c,
            '\n' | '.'
                | '!'
                | '?'
                | ':'
                | ';'
                | '>'
                | '|'
                | '#'
                | '-'
                | '–'
                | '—'
                | '•'
                | '。'
                | '、'
        ),
    }
}

/// A title written as a sentence ("Servo now runs on Android") rather
/// than in title case: its capitals mean names.
fn reads_as_sentence(title: &str) -> bool {
    let mut long_words = 0;
    let mut capitalised = 0;
    for (start, end) in words(title) {
        if end - start >= 4 {
            long_words += 1;
            if title.as_bytes()[start].is_ascii_uppercase() {
                capitalised += 1;
            }
        }
    }
    long_words >= 3 && capitalised * 2 < long_words
}

/// Words of a scope keyed for comparison with a name a link gives: ASCII
/// lowercase, `_` as `-` (`serde_json` and `Serde-JSON` are one). URLs
/// written in the text are left out: a URL names everything it links.
#[derive(Default)]
pub struct ScopeWords<'t> {
    spellings: HashMap<String, &'t str>,
}

impl<'t> ScopeWords<'t> {
    /// `texts`: each text with the byte ranges of the URLs in it.
    pub fn new<'s>(
        texts: impl IntoIterator<Item = (&'t str, &'s [(usize, usize)])>,
    ) -> ScopeWords<'t> {
        let mut spellings = HashMap::new();
        for (text, urls) in texts {
            let bytes = text.as_bytes();
            let mut at = 0;
            while at < bytes.len() {
                if !is_name_byte(bytes[at]) {
                    at += 1;
                    continue;
                }
                let start = at;
                while at < bytes.len() && is_name_byte(bytes[at]) {
                    at += 1;
                }
                if overlaps_any(urls, start, at) {
                    continue;
                }
                let word = text[start..at].trim_matches(['.', '-', '_']);
                if !word.is_empty() {
                    spellings.entry(name_key(word)).or_insert(word);
                }
            }
        }
        ScopeWords { spellings }
    }

    /// How the scope writes `name` as a whole word, if it does.
    pub fn spelling(&self, name: &str) -> Option<&'t str> {
        self.spellings.get(&name_key(name)).copied()
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// Candidates are grouped by this key: case and `_`/`-` aside.
fn name_key(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b == b'_' {
                '-'
            } else {
                b.to_ascii_lowercase() as char
            }
        })
        .collect()
}

/// The package a registry or its documentation site names by the URL:
/// `crates.io/crates/NAME`, `docs.rs/NAME`, `lib.rs/crates/NAME`,
/// `npmjs.com/package/NAME`, `pypi.org/project/NAME`,
/// `rubygems.org/gems/NAME`, `hex.pm/packages/NAME`.
pub fn registry_package<'a>(parts: UrlParts<'a>) -> Option<&'a str> {
    let mut segments = parts.segments();
    let first = segments.next()?;
    let second = segments.next();
    let named_by = |prefix: &str| (first == prefix).then_some(second).flatten();
    let host = parts.host();
    let name = if host.eq_ignore_ascii_case("crates.io") || host.eq_ignore_ascii_case("lib.rs") {
        named_by("crates")
    } else if host.eq_ignore_ascii_case("docs.rs") {
        match first {
            "crate" => second,
            "about" | "releases" | "-" => None,
            _ => Some(first),
        }
    } else if host.eq_ignore_ascii_case("npmjs.com") {
        named_by("package")
    } else if host.eq_ignore_ascii_case("pypi.org") || host.eq_ignore_ascii_case("pypi.python.org")
    {
        named_by("project").or_else(|| named_by("pypi"))
    } else if host.eq_ignore_ascii_case("rubygems.org") {
        named_by("gems")
    } else if host.eq_ignore_ascii_case("hex.pm") {
        named_by("packages")
    } else {
        None
    };
    name.filter(|name| {
        name.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && name.starts_with(|c: char| c.is_ascii_alphanumeric())
    })
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateSummary {
    pub name: String,
    pub count: usize,
    pub issues: usize,
    pub suggested_kind: EntityKind,
    /// The example of the strongest evidence, first in corpus order.
    pub example: String,
    /// The strongest evidence any hit gave.
    pub evidence: Evidence,
    /// The first project page a link gave, or empty.
    pub url: String,
    /// The other spellings seen, most frequent first.
    pub other_spellings: Vec<String>,
    /// An acronym, or a type as a language writes one: kept, ranked after
    /// every name with no such shape.
    pub generic: bool,
}

/// Candidates over the corpus, in rank order (see [`CandidateTally::finish`]).
pub fn summarize(corpus: &Corpus) -> Vec<CandidateSummary> {
    let mut tally = CandidateTally::default();
    for record in &corpus.records {
        tally.add(record);
    }
    tally.finish()
}

/// Candidate names summed record by record, in corpus order. Names are
/// grouped without regard to ASCII case and `_`/`-` ("MOCO" in prose and
/// `moco` in a URL are one); the spelling shown is the most frequent one.
#[derive(Default)]
pub struct CandidateTally {
    by_name: HashMap<String, NameTally>,
    /// Records added so far: marks which issue a name was last counted in.
    records: usize,
}

#[derive(Default)]
struct NameTally {
    /// Hits by spelling, then by evidence.
    spellings: BTreeMap<String, [usize; 4]>,
    kinds: BTreeMap<EntityKind, usize>,
    issues: usize,
    last_record: Option<usize>,
    count: usize,
    /// Hits by evidence, in [`Evidence::ALL`] order.
    by_evidence: [usize; 4],
    /// The first example of each evidence, in corpus order.
    examples: [Option<String>; 4],
    type_like: usize,
    url: Option<String>,
}

impl CandidateTally {
    pub fn add(&mut self, record: &IssueRecord) {
        let this_record = self.records;
        self.records += 1;
        for hit in &record.candidates {
            let tally = self.by_name.entry(name_key(&hit.name)).or_default();
            let evidence = hit.evidence as usize;
            match tally.spellings.get_mut(hit.name.as_str()) {
                Some(counts) => counts[evidence] += 1,
                None => {
                    let mut counts = [0; 4];
                    counts[evidence] = 1;
                    tally.spellings.insert(hit.name.clone(), counts);
                }
            }
            *tally.kinds.entry(hit.suggested_kind).or_default() += 1;
            if tally.last_record != Some(this_record) {
                tally.issues += 1;
                tally.last_record = Some(this_record);
            }
            tally.count += 1;
            tally.by_evidence[evidence] += 1;
            tally.examples[evidence].get_or_insert_with(|| hit.example.clone());
            tally.type_like += usize::from(hit.type_like);
            if tally.url.is_none() {
                tally.url.clone_from(&hit.url);
            }
        }
    }

    /// Rows ranked by evidence, not raw counts: names with no generic
    /// shape first; then by the strongest evidence (link, title, prose,
    /// code); then by issues, count and name.
    pub fn finish(self) -> Vec<CandidateSummary> {
        use rayon::prelude::*;
        let mut rows: Vec<CandidateSummary> = self
            .by_name
            .into_par_iter()
            .map(|(_, tally)| {
                let strongest = (0..Evidence::ALL.len())
                    .find(|&i| tally.by_evidence[i] > 0)
                    .unwrap_or(Evidence::ALL.len() - 1);
                let evidence = Evidence::ALL[strongest];
                // The name as the strongest evidence spells it: a crate
                // linked as `mio` is not the "MIO" of the prose around it.
                let as_strongest: BTreeMap<&String, usize> = tally
                    .spellings
                    .iter()
                    .map(|(spelling, counts)| (spelling, counts[strongest]))
                    .filter(|(_, count)| *count > 0)
                    .collect();
                let name = most_frequent(&as_strongest)
                    .map(|name| (*name).clone())
                    .unwrap_or_default();
                let mut other_spellings: Vec<(&String, usize)> = tally
                    .spellings
                    .iter()
                    .filter(|(spelling, _)| **spelling != name)
                    .map(|(spelling, counts)| (spelling, counts.iter().sum()))
                    .collect();
                other_spellings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                // A linked project may be named in capitals (MOCO,
                // TopoLVM); a plural acronym (RFCs) is a common noun.
                let acronym =
                    is_acronym(&name) && (evidence != Evidence::Link || is_acronym_plural(&name));
                let generic = acronym || tally.type_like > 0;
                CandidateSummary {
                    other_spellings: other_spellings
                        .into_iter()
                        .map(|(s, _)| s.clone())
                        .collect(),
                    name,
                    count: tally.count,
                    issues: tally.issues,
                    suggested_kind: most_frequent(&tally.kinds)
                        .copied()
                        .unwrap_or(EntityKind::Tool),
                    example: tally.examples[strongest].clone().unwrap_or_default(),
                    evidence,
                    url: tally.url.unwrap_or_default(),
                    generic,
                }
            })
            .collect();
        // Names differ, so the order is total: the same whatever the threads.
        rows.par_sort_unstable_by(|a, b| {
            a.generic
                .cmp(&b.generic)
                .then(a.evidence.cmp(&b.evidence))
                .then(b.issues.cmp(&a.issues))
                .then(b.count.cmp(&a.count))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.example.cmp(&b.example))
        });
        rows
    }
}

/// "RFCs", "PRs": capitals, then one small `s`.
fn is_acronym_plural(name: &str) -> bool {
    name.strip_suffix('s')
        .is_some_and(|stem| stem.len() >= 2 && stem.bytes().all(|b| b.is_ascii_uppercase()))
}

/// "MIR", "GSoC", "iOS": at least two capitals and no fewer capitals than
/// small letters.
fn is_acronym(name: &str) -> bool {
    let capitals = name.bytes().filter(u8::is_ascii_uppercase).count();
    let small = name.bytes().filter(u8::is_ascii_lowercase).count();
    capitals >= 2 && capitals >= small
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
        let mut scan = CandidateScan::new(&[]);
        scan.find(finder, text, &Spans::default(), is_title);
        scan.finish(finder).into_iter().map(|h| h.name).collect()
    }

    #[test]
    fn a_label_in_brackets_begins_a_sentence() {
        let finder = CandidateFinder::default();
        let title = "[disposition: merge] Allow coercing closures to Zebra pointers.";
        assert_eq!(names(&finder, title, false), ["Zebra"]);
        assert_eq!(
            names(&finder, "[video] Ferris makes emulators with Zebra.", false),
            ["Zebra"]
        );
        // A bracket that closes mid-sentence is no label.
        assert_eq!(
            names(&finder, "The tool is [fast] Zebra at heart.", false),
            ["Zebra"]
        );
    }

    #[test]
    fn the_second_word_of_a_name_is_no_name_of_its_own() {
        let finder = CandidateFinder::default();
        assert_eq!(
            names(&finder, "It got faster thanks to Patrick Walton.", false),
            ["Patrick"]
        );
        // A CamelCase word is a name wherever it stands.
        assert_eq!(
            names(
                &finder,
                "Talks at the Berlin RustFest were recorded.",
                false
            ),
            ["Berlin", "RustFest"]
        );
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
        // A capital mid-sentence is a name, unless the text also writes
        // the word in lowercase; a capital at a sentence start says nothing.
        assert_eq!(names(&finder, "The quick brown Fox jumps", false), ["Fox"]);
        assert_eq!(
            names(&finder, "Quick. The brown Fox chased the fox", false),
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
