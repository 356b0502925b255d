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
//! boilerplate: a line in three of three issues may be chance. A template
//! changes over the years (a new editor's address, a new jobs heading): a
//! line is boilerplate too when it occurs in [`SHARE_PERCENT`]% of the
//! issues from its first to its last, and in at least [`MIN_RUN_ISSUES`].
//!
//! The first pass over the corpus counts, per publication, the issues each
//! normalised line occurs in ([`LineTally`]); [`Boilerplate::decide`] turns
//! the counts into the lines extraction masks.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::model::Issue;
use crate::parse::corpus;

/// A publication needs this many issues before any line is boilerplate.
pub const MIN_ISSUES: u32 = 5;
/// The share of a publication's issues a line must occur in.
pub const SHARE_PERCENT: u32 = 50;
/// A line of a template that held for part of a publication's life occurs
/// in at least this many issues: ten issues in a row is no coincidence
/// of news.
pub const MIN_RUN_ISSUES: u32 = 10;

/// How often a line occurs among a publication's issues, in corpus order.
#[derive(Debug, Clone, Copy)]
struct Occurrences {
    issues: u32,
    first: u32,
    last: u32,
}

impl Occurrences {
    /// Whether a line that occurs this way in a publication of
    /// `publication_issues` issues is the publication's template.
    fn is_template(self, publication_issues: u32) -> bool {
        let span = self.last - self.first + 1;
        self.issues * 100 >= publication_issues * SHARE_PERCENT
            || (self.issues >= MIN_RUN_ISSUES && self.issues * 100 >= span * SHARE_PERCENT)
    }
}

/// Every issue's distinct normalised lines, with what decides its
/// publication: the lines are grouped by publication only once the whole
/// corpus has been read, so that the grouping is the final one (a folder's
/// titles decide it, [`crate::parse::corpus::decide_publications`]), the
/// one publication constants are decided on too.
#[derive(Debug, Default, Clone)]
pub struct LineTally {
    issues: Vec<IssueLines>,
    /// Per normalised line's hash: the line.
    texts: FxHashMap<u64, Box<str>>,
}

/// One issue of the first pass.
#[derive(Debug, Clone)]
struct IssueLines {
    /// The issue as the second pass meets it again: its file and parsed id.
    source_path: String,
    id: String,
    folder: String,
    title: String,
    named: Option<String>,
    dated: bool,
    numbered: bool,
    /// Its distinct lines' hashes, sorted.
    hashes: Vec<u64>,
}

/// What the first pass knows of an issue's publication, besides the issue.
#[derive(Debug, Clone, Copy)]
pub struct Placing<'a> {
    /// The folder the issue's file is in (`metadata::folder_name`).
    pub folder: &'a str,
    /// The publication the issue names itself, if it does.
    pub named: Option<&'a str>,
    /// Dated, a date in numbers only that reads both ways included.
    pub dated: bool,
}

impl LineTally {
    /// Counts the lines of one parsed issue, each line once.
    pub fn add_issue(&mut self, issue: &Issue, placing: Placing<'_>) {
        let mut hashes = Vec::new();
        let mut buffer = Vec::new();
        for text in texts_of(issue) {
            for line in text.lines() {
                let normalised = normalise_into(line, &mut buffer);
                if let Some(hash) = hash_of(normalised) {
                    hashes.push(hash);
                    self.texts.entry(hash).or_insert_with(|| normalised.into());
                }
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        self.issues.push(IssueLines {
            source_path: issue.source_path.clone(),
            id: issue.id.clone(),
            folder: placing.folder.to_string(),
            title: issue.title.clone(),
            named: placing.named.map(str::to_string),
            dated: placing.dated || issue.date.is_some(),
            numbered: issue.number.is_some(),
            hashes,
        });
    }

    pub fn merge(&mut self, other: LineTally) {
        self.issues.extend(other.issues);
        for (hash, line) in other.texts {
            self.texts.entry(hash).or_insert(line);
        }
    }
}

/// The texts of an issue that extraction reads, link texts and item
/// titles aside: an item's title is the article's own ("MOCO v0.15.0" in
/// every other issue is news each time), not the publication's.
fn texts_of(issue: &Issue) -> impl Iterator<Item = &str> {
    std::iter::once(issue.intro_text.as_str()).chain(issue.sections.iter().flat_map(|section| {
        [section.heading.as_str(), section.lead_text.as_str()]
            .into_iter()
            .chain(section.items.iter().map(|item| item.text.as_str()))
    }))
}

/// The boilerplate lines of each publication.
#[derive(Debug, Default, Clone)]
pub struct Boilerplate {
    publications: FxHashMap<String, TemplateLines>,
    /// Per issue of the first pass (file, parsed id): its final publication.
    placed: FxHashMap<(String, String), String>,
}

/// One publication's template lines: the hashes of their normalised text,
/// and the characters of the long ones, to know a near copy by.
#[derive(Debug, Default, Clone)]
pub struct TemplateLines {
    hashes: FxHashSet<u64>,
    /// The normalised lines of at least [`NEAR_COPY_MIN_CHARS`] characters,
    /// split into characters once: every line of every issue is compared
    /// with them.
    long: Vec<Box<[char]>>,
    /// The first [`END_BYTES`] bytes of every template line's normalised
    /// text (see [`end_key`]).
    starts: FxHashSet<u128>,
    /// The first and the last [`END_BYTES`] characters of the long lines,
    /// where they are ASCII.
    long_starts: FxHashSet<u128>,
    long_ends: FxHashSet<u128>,
}

/// A near copy shares with its template a beginning and an end that make
/// at least [`NEAR_COPY_PERCENT`]% of at least [`NEAR_COPY_MIN_CHARS`]
/// characters, so its first or its last this many characters.
const END_BYTES: usize = NEAR_COPY_MIN_CHARS * NEAR_COPY_PERCENT / 100 / 2;

/// Up to [`END_BYTES`] bytes, with their number, as one hash key.
fn end_key(bytes: &[u8]) -> u128 {
    let mut key = bytes.len() as u128;
    for &b in bytes.iter().take(END_BYTES) {
        key = (key << 8) | u128::from(b);
    }
    key
}

impl TemplateLines {
    /// Whether a line is one of the template's, or a near copy of one: an
    /// issue that adds a word to the intro ("… Kubernetes や Cloud Native
    /// …") still writes the template. A near copy shares with a template
    /// line a beginning and an end that together make at least
    /// [`NEAR_COPY_PERCENT`]% of the longer of the two.
    pub fn holds(&self, line: &str) -> bool {
        self.holds_normalised(&normalise(line))
    }

    /// [`TemplateLines::holds`], for a line already normalised.
    fn holds_normalised(&self, normalised: &str) -> bool {
        // `hash_of`, with the sentence test after the cheap ones: most
        // lines are neither a template line nor near one.
        if self.hashes.contains(&text_hash(normalised)) {
            return is_sentence(normalised);
        }
        let length = if normalised.is_ascii() {
            normalised.len()
        } else {
            normalised.chars().count()
        };
        let (Some(first), Some(last)) = (normalised.chars().next(), normalised.chars().next_back())
        else {
            return false;
        };
        // A near copy shares a beginning or an end with its template, so
        // its first or its last character: most lines share neither with
        // any template line, and are not split into characters.
        if length < NEAR_COPY_MIN_CHARS
            || !self.long.iter().any(|template| {
                lengths_allow_near_copy(length, template.len())
                    && (template.first() == Some(&first) || template.last() == Some(&last))
            })
            || !is_sentence(normalised)
        {
            return false;
        }
        let chars: Vec<char> = normalised.chars().collect();
        self.long
            .iter()
            .any(|template| is_near_copy(&chars, template))
    }

    fn add(&mut self, hash: u64, normalised: &str) {
        self.hashes.insert(hash);
        let bytes = normalised.as_bytes();
        self.starts
            .insert(end_key(&bytes[..bytes.len().min(END_BYTES)]));
        let chars: Box<[char]> = normalised.chars().collect();
        if chars.len() >= NEAR_COPY_MIN_CHARS {
            let first: String = chars[..END_BYTES].iter().collect();
            let last: String = chars[chars.len() - END_BYTES..].iter().collect();
            if first.is_ascii() {
                self.long_starts.insert(end_key(first.as_bytes()));
            }
            if last.is_ascii() {
                self.long_ends.insert(end_key(last.as_bytes()));
            }
            self.long.push(chars);
        }
    }

    /// False only for a line that is certainly neither a template line nor
    /// a near copy of one, told without normalising it: an ASCII line with
    /// no URL whose normalised text neither begins as a template line does
    /// nor begins or ends as a long one. Every line of every issue comes
    /// here; few go on.
    fn may_hold(&self, line: &str) -> bool {
        let bytes = line.as_bytes();
        if !line.is_ascii() || super::may_hold_url(line) {
            return true;
        }
        let start = normalised_ascii_end(bytes.iter().copied());
        let start_key = end_key(&start);
        if self.starts.contains(&start_key) {
            return true;
        }
        if self.long.is_empty() || start.len() < END_BYTES {
            return false;
        }
        let mut end = normalised_ascii_end(bytes.iter().rev().copied());
        end.reverse();
        self.long_starts.contains(&start_key) || self.long_ends.contains(&end_key(&end))
    }
}

/// The first [`END_BYTES`] bytes of an ASCII line's normalised text (see
/// [`push_normalised`]), or its last ones when `bytes` runs backwards
/// (in reverse order then).
fn normalised_ascii_end(bytes: impl Iterator<Item = u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(END_BYTES);
    let mut pending_space = false;
    for b in bytes {
        if is_ascii_space(b) {
            pending_space = !out.is_empty();
            continue;
        }
        if out.len() == END_BYTES {
            break;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
            if out.len() == END_BYTES {
                break;
            }
        }
        out.push(normal_ascii(b));
    }
    out
}

/// The whitespace [`push_normalised`] collapses, among ASCII bytes.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// An ASCII byte as normalised text writes it: digits masked, lowercase.
fn normal_ascii(b: u8) -> u8 {
    if b.is_ascii_digit() {
        b'0'
    } else {
        b.to_ascii_lowercase()
    }
}

/// A near copy of a template line shares this much of it (see
/// [`TemplateLines::holds`]).
pub const NEAR_COPY_PERCENT: usize = 80;
/// Lines shorter than this (in characters) must match a template line
/// exactly: a short line has no room for a near copy.
const NEAR_COPY_MIN_CHARS: usize = 30;

/// Two lines this long can be near copies: the shorter is at least
/// [`NEAR_COPY_PERCENT`]% of the longer.
fn lengths_allow_near_copy(a: usize, b: usize) -> bool {
    a.min(b) * 100 >= a.max(b) * NEAR_COPY_PERCENT
}

fn is_near_copy(line: &[char], template: &[char]) -> bool {
    let longer = line.len().max(template.len());
    if template.len() < NEAR_COPY_MIN_CHARS || !lengths_allow_near_copy(line.len(), template.len())
    {
        return false;
    }
    let prefix = line
        .iter()
        .zip(template)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = line[prefix..]
        .iter()
        .rev()
        .zip(template[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (prefix + suffix) * 100 >= longer * NEAR_COPY_PERCENT
}

impl Boilerplate {
    /// Groups the first pass's issues by their final publication (with
    /// `forced`, the `--publication` name, as the pipeline does) and keeps
    /// the lines that recur in enough of each publication's issues. Pages
    /// that are no issue count for none.
    pub fn decide(tally: &LineTally, forced: Option<&str>) -> Boilerplate {
        // The first pass merges in any order; corpus order is path order.
        let mut issues: Vec<&IssueLines> = tally.issues.iter().collect();
        issues.sort_by(|a, b| (&a.source_path, &a.id).cmp(&(&b.source_path, &b.id)));
        let candidates: Vec<corpus::Candidate> = issues
            .iter()
            .map(|issue| corpus::Candidate {
                folder: &issue.folder,
                title: &issue.title,
                named: issue.named.as_deref(),
                dated: issue.dated,
                numbered: issue.numbered,
            })
            .collect();
        let decisions = corpus::decide_publications(&candidates, forced);
        // publication → (issues, line hash → where it occurs)
        let mut counts: FxHashMap<String, (u32, FxHashMap<u64, Occurrences>)> =
            FxHashMap::default();
        let mut placed = FxHashMap::default();
        for (issue, decision) in issues.iter().zip(decisions) {
            let corpus::Decision::Publication(publication) = decision else {
                continue;
            };
            let entry = counts.entry(publication.clone()).or_default();
            let position = entry.0;
            entry.0 += 1;
            for &hash in &issue.hashes {
                let occurrences = entry.1.entry(hash).or_insert(Occurrences {
                    issues: 0,
                    first: position,
                    last: position,
                });
                occurrences.issues += 1;
                occurrences.last = position;
            }
            placed.insert((issue.source_path.clone(), issue.id.clone()), publication);
        }
        let publications = counts
            .into_iter()
            .filter(|(_, (issues, _))| *issues >= MIN_ISSUES)
            .map(|(name, (issues, lines))| {
                let mut template = TemplateLines::default();
                for (hash, occurrences) in lines {
                    if occurrences.is_template(issues)
                        && let Some(text) = tally.texts.get(&hash)
                    {
                        template.add(hash, text);
                    }
                }
                (name, template)
            })
            .filter(|(_, lines)| !lines.hashes.is_empty())
            .collect();
        Boilerplate {
            publications,
            placed,
        }
    }

    /// The boilerplate lines of one publication.
    pub fn of(&self, publication: &str) -> Option<&TemplateLines> {
        self.publications.get(publication)
    }

    /// The boilerplate lines of an issue's final publication (its parsed
    /// one when the first pass did not meet the issue).
    pub fn of_issue(&self, issue: &Issue) -> Option<&TemplateLines> {
        let key = (issue.source_path.clone(), issue.id.clone());
        let publication = self
            .placed
            .get(&key)
            .map_or(issue.publication.as_str(), String::as_str);
        self.of(publication)
    }

    /// How many distinct lines are boilerplate, over all publications.
    pub fn len(&self) -> usize {
        self.publications
            .values()
            .map(|lines| lines.hashes.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.publications.is_empty()
    }
}

/// The byte ranges of `text`'s lines that are boilerplate, each line
/// without its line break.
pub fn spans(lines: &TemplateLines, text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    if lines.hashes.is_empty() {
        return spans;
    }
    let mut start = 0;
    let mut buffer = Vec::new();
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if lines.may_hold(content) && lines.holds_normalised(normalise_into(content, &mut buffer)) {
            spans.push((start, start + content.len()));
        }
        start = end;
    }
    spans
}

/// The hash of a line's normalised text; `None` for a line too short to
/// be a template's sentence (see `is_sentence`).
pub fn line_hash(line: &str) -> Option<u64> {
    hash_of(&normalise(line))
}

fn hash_of(normalised: &str) -> Option<u64> {
    is_sentence(normalised).then(|| text_hash(normalised))
}

fn text_hash(normalised: &str) -> u64 {
    let mut hasher = FxHasher::default();
    normalised.hash(&mut hasher);
    hasher.finish()
}

/// Whether a normalised line is long enough to be a template's sentence:
/// [`MIN_WORDS`] words, or [`MIN_CJK_LETTERS`] letters of a script written
/// without spaces. A name and a version ("MOCO v0.15.0"), a rule, a
/// bullet, a lone date are not: they recur as news does.
fn is_sentence(normalised: &str) -> bool {
    // Split as bytes: a `char` searcher per word costs more than the word.
    let words = normalised
        .as_bytes()
        .split(|&b| b == b' ')
        .filter(|word| has_letter(word))
        .take(MIN_WORDS)
        .count();
    // An ASCII line has no letter of another script.
    words >= MIN_WORDS
        || (!normalised.is_ascii()
            && normalised
                .chars()
                .filter(|c| c.is_alphabetic() && !c.is_ascii())
                .count()
                >= MIN_CJK_LETTERS)
}

/// Whether a word (of a line split at ASCII spaces: whole characters) has
/// a letter: an ASCII one is an ASCII letter, looked for byte by byte.
fn has_letter(word: &[u8]) -> bool {
    if word.is_ascii() {
        word.iter().any(u8::is_ascii_alphabetic)
    } else {
        std::str::from_utf8(word).is_ok_and(|word| word.chars().any(char::is_alphabetic))
    }
}

/// Words a line needs before it can be boilerplate.
pub const MIN_WORDS: usize = 3;
/// Letters of a script written without spaces (Japanese, Chinese) a line
/// needs instead.
pub const MIN_CJK_LETTERS: usize = 12;

/// Lowercased, every URL one `<url>`, every digit `0`, runs of whitespace
/// one space, trimmed: the issue number, the date and the links of a
/// template line change from issue to issue, its words do not.
pub fn normalise(line: &str) -> String {
    let mut out = Vec::with_capacity(line.len());
    normalise_into(line, &mut out).to_string()
}

/// [`normalise`], into `out` (cleared first), as bytes: every line of
/// every issue comes here twice, and one buffer serves them all.
fn normalise_into<'b>(line: &str, out: &'b mut Vec<u8>) -> &'b str {
    out.clear();
    let mut last = 0;
    let mut pending_space = false;
    for (start, end) in super::url_spans(line) {
        push_normalised(out, &line[last..start], &mut pending_space);
        push_normalised(out, "<url>", &mut pending_space);
        last = end;
    }
    push_normalised(out, &line[last..], &mut pending_space);
    // Only whole characters were pushed: it is text. (An empty line, were
    // it not, is no template line.)
    std::str::from_utf8(out).unwrap_or_default()
}

/// Every line of every issue goes through here twice (counted, then
/// masked): ASCII, most of the text, takes the short way, a byte at a
/// time.
fn push_normalised(out: &mut Vec<u8>, piece: &str, pending_space: &mut bool) {
    let bytes = piece.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            at += 1;
            if is_ascii_space(b) {
                *pending_space = !out.is_empty();
                continue;
            }
            if *pending_space {
                out.push(b' ');
                *pending_space = false;
            }
            out.push(normal_ascii(b));
            continue;
        }
        let Some(c) = piece[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        if c.is_whitespace() {
            *pending_space = !out.is_empty();
            continue;
        }
        if *pending_space {
            out.push(b' ');
            *pending_space = false;
        }
        let mut utf8 = [0; 4];
        for lower in c.to_lowercase() {
            out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
        }
    }
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
    fn every_kind_of_whitespace_is_one_space() {
        assert_eq!(
            normalise("a\tb\x0bc\x0cd\re\u{a0}f\u{2003} "),
            "a b c d e f"
        );
        assert_eq!(normalise("ÉTÉ 2024 İstanbul"), "été 0000 i\u{307}stanbul");
    }

    #[test]
    fn short_lines_are_never_boilerplate() {
        assert_eq!(line_hash("---"), None);
        assert_eq!(line_hash("- 2024"), None);
        assert_eq!(line_hash("MOCO v0.15.0"), None);
        assert!(line_hash("Thanks for reading").is_some());
        assert!(line_hash("今回は第34回目の記事となります。").is_some());
    }

    fn template(lines: &[&str]) -> TemplateLines {
        let mut template = TemplateLines::default();
        for line in lines {
            template.add(line_hash(line).unwrap(), &normalise(line));
        }
        template
    }

    #[test]
    fn a_line_the_quick_test_rejects_is_never_template() {
        let templates = [
            "Hello and welcome to another issue of This Week in Rust!",
            "Email the editors for access to the calendar",
            "Every week the team shares the news it found about build tools.",
            "今週も Kubernetes や Cloud Native 関連のニュースをお届けします",
        ];
        let lines = template(&templates);
        let pieces = [
            "hello",
            "and",
            "Welcome",
            "  ",
            "\t",
            "issue",
            "of",
            "42",
            "This",
            "Week",
            "in",
            "Rust!",
            "https://example.com/x",
            "Every",
            "week",
            "build",
            "tools.",
            "EMAIL",
            "calendar",
            "Kubernetes",
            "ニュース",
            "x",
            "\u{b}",
            "0",
        ];
        // Lines made of the templates' own words, shuffled, spaced and
        // cased at random, and the templates with one piece changed.
        let mut state: u64 = 19;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let mut checked = 0;
        for round in 0..20_000 {
            let line = if round % 2 == 0 {
                let words = 1 + next(12);
                (0..words)
                    .map(|_| pieces[next(pieces.len())])
                    .collect::<Vec<_>>()
                    .join([" ", "  ", ""][next(3)])
            } else {
                let base = templates[next(templates.len())];
                let cut = next(base.len());
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| base.is_char_boundary(i))
                    .unwrap_or(0);
                format!(
                    "{}{}{}",
                    &base[..cut],
                    pieces[next(pieces.len())],
                    &base[cut..]
                )
            };
            if lines.holds(&line) {
                assert!(lines.may_hold(&line), "{line:?}");
                checked += 1;
            }
        }
        // The check saw template lines, and rejects some lines.
        assert!(checked > 100, "{checked}");
        assert!(!lines.may_hold("Servo now builds on Windows"));
        assert!(lines.may_hold("HELLO and welcome to another issue of This Week in Rust!"));
    }

    #[test]
    fn spans_cover_the_boilerplate_lines_only() {
        let lines = template(&["Brought to you by the team"]);
        let text = "First line\nBrought to you by the TEAM\r\nlast";
        assert_eq!(spans(&lines, text), [(11, 37)]);
        assert_eq!(&text[11..37], "Brought to you by the TEAM");
    }

    /// A publication of `issues` issues, in path order, where issue `i`
    /// writes `line` when `writes(i)`, and a line of its own.
    fn publication(issues: usize, line: &str, writes: impl Fn(usize) -> bool) -> LineTally {
        let mut tally = LineTally::default();
        for i in 0..issues {
            let own = format!("news of the week number {}", "x".repeat(i + 1));
            let mut hashes = vec![line_hash(&own).unwrap()];
            tally.texts.insert(hashes[0], normalise(&own).into());
            if writes(i) {
                let hash = line_hash(line).unwrap();
                hashes.push(hash);
                tally.texts.insert(hash, normalise(line).into());
            }
            tally.issues.push(IssueLines {
                source_path: format!("weekly/{i:03}.md"),
                id: format!("{i:03}"),
                folder: "weekly".into(),
                title: format!("Weekly {i}"),
                named: Some("Weekly".into()),
                dated: true,
                numbered: true,
                hashes,
            });
        }
        tally
    }

    #[test]
    fn a_template_that_held_for_a_while_is_boilerplate() {
        let line = "Email the editors for access to the calendar";
        // Issues 10 to 21 of 40: under half of all, every one of its run.
        let run = publication(40, line, |i| (10..22).contains(&i));
        let decided = Boilerplate::decide(&run, Some("Weekly"));
        assert!(decided.of("Weekly").is_some_and(|lines| lines.holds(line)));
        // Twelve issues spread over 34: news that recurs, no template.
        let spread = publication(40, line, |i| i % 3 == 0 && i < 36);
        let decided = Boilerplate::decide(&spread, Some("Weekly"));
        assert!(!decided.of("Weekly").is_some_and(|lines| lines.holds(line)));
        // A run shorter than MIN_RUN_ISSUES is news too.
        let short = publication(40, line, |i| (10..19).contains(&i));
        let decided = Boilerplate::decide(&short, Some("Weekly"));
        assert!(!decided.of("Weekly").is_some_and(|lines| lines.holds(line)));
    }

    #[test]
    fn near_copies_of_a_long_template_line_are_template_too() {
        let lines = template(&["Every week the team shares the news it found about build tools."]);
        assert!(
            lines.holds("Every week the team shares the news it found about Rust build tools.")
        );
        assert!(
            !lines.holds("Every week the team shares a long story about something else entirely.")
        );
        assert!(!lines.holds("Every week"));
    }
}
