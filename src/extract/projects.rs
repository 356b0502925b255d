//! Link-derived projects: every project an item links to and names is an
//! entity, with no dictionary entry.
//!
//! A corpus-level decision, made before extraction from counts only:
//!
//! 1. [`Evidence::add_issue`] looks at every link to a project's home
//!    ([`links::project_home`]: a repository's root or releases, a
//!    registry or documentation page) and asks whether the item names the
//!    project there: its title, the link's text, or the sentence around the
//!    link writes the project's name as a whole word, in any case, with
//!    `-`, `_`, `.` or a space between its parts, and with or without a
//!    `rust-`/`-rs`/`go-`/`py`/`.js`/`-cli` affix. It also counts how
//!    every link into a repository is shaped, which projects each issue of a
//!    publication links, and how the prose writes each word.
//! 2. [`decide`] turns the counts into entities:
//!    - a repository linked mostly through its pull requests, issues or
//!      documents (ten such links for each home link, and at least twenty)
//!      is a tracker, not a project by being linked;
//!    - a repository linked through its pull requests, issues or documents
//!      that became no project (a tracker, or one linked too little to be
//!      one) is a project found by its name only when the corpus writes
//!      that name (`rustup` of `rustup.rs`, `crates.io`, `LLVM`) as a word
//!      outside links in at least three issues and in more issues than
//!      link it, the name is no word of the language, and no dictionary
//!      entry or other project has it ([`tracker_projects`]);
//!    - a project linked from more than half the issues of a publication
//!      (of ten or more), or named as a publication is (`lwkd`,
//!      `this-week-in-rust`), is the newsletter's own furniture (its
//!      repository, its sponsor page), not a topic;
//!    - repositories of one name are one project when exactly one of them
//!      belongs to an owner named for it (`rayon-rs/rayon` and
//!      `nikomatsakis/rayon`): the project moved;
//!    - a repository and a package are one project when an item links
//!      both (and they share a name, or are the only repository and
//!      package it links), or when the package's name is the repository's
//!      and no other repository has that name;
//!    - a project whose repository or package a dictionary entry lists is
//!      that entry (its other homes are added to it), and so is one named
//!      as the entry is when the corpus also links the entry's own homes
//!      (a former home: `carlhuda/cargo`); otherwise it is a new
//!      entity `project:` + the key of its main home
//!      (`project:github.com/owner/name`, `project:crates.io/name`), named
//!      as the corpus writes it most.
//! 3. A name that is also an ordinary word gets the `strict` rule: it counts
//!    only with a link, code formatting, a version or a capital where the
//!    sentence would not have one. A word is ordinary when it (or its
//!    singular) is among the thousand most frequent English words
//!    (`top-english-words`), or when the corpus's prose writes it, in the
//!    middle of a sentence, in lowercase or capitals without code
//!    formatting at least 60 % of the time (of four times or more) and
//!    also writes another form of it (`captures`, `emitted`, `byte`) or
//!    writes it mostly in capitals (`JSON`): a name written in lowercase
//!    (`clippy`) has no other forms; or plainly 90 % of the time (of ten
//!    times or more).
//!
//! Every count is a sum, so the decision is the same whatever order the
//! files are read in; ties are broken by the keys' text.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use super::links::{self, Shape, UrlIndex};
use super::matcher::{self, is_whole_word};
use super::url::{ProjectKey, RepoKey, UrlParts};
use crate::model::{Entity, EntityKind, Issue, LinkRef, MatchRule, Source};

/// How many tracked links (pull requests, issues, documents) per home
/// link make a repository a tracker, and how many at least.
const TRACKER_RATIO: u32 = 10;
const TRACKER_MIN_LINKS: u32 = 20;
/// A tracker is a topic when its name is written in at least this many
/// issues (and in more issues than link it).
const TRACKER_NAME_MIN_ISSUES: u32 = 3;
/// A tracker named by a plainly written word needs items that link its
/// pull requests and write its name in at least this many issues.
const TRACKER_NAMED_MIN_ISSUES: u32 = 3;
/// A publication's furniture: linked from more than half its issues, in a
/// publication of at least this many issues.
const FURNITURE_MIN_ISSUES: u32 = 10;
/// The share of mid-sentence occurrences written as a plain word that
/// makes a word ordinary, and the occurrences needed to judge.
const ORDINARY_SHARE: f64 = 0.6;
const ORDINARY_MIN_OCCURRENCES: u32 = 4;
/// A word written plainly this often is ordinary even with no other form
/// in the corpus (`parallel`).
const ALWAYS_PLAIN_SHARE: f64 = 0.9;
const ALWAYS_PLAIN_MIN_OCCURRENCES: u32 = 10;
/// A one-word name written this often in event listings, and twice as
/// often there as in the rest of the prose, is a meetup's.
const MEETUP_MIN_OCCURRENCES: u32 = 5;
/// A word written as a type (`Box<T>`) at least this often, in at least
/// half of its occurrences, is a type name.
const TYPE_MIN_OCCURRENCES: u32 = 3;

/// What the corpus says about one project home.
#[derive(Debug, Default, Clone)]
struct HomeTally {
    links: u32,
    /// Links whose item names the project.
    named: u32,
    /// The names as written, with how often.
    surfaces: BTreeMap<String, u32>,
}

/// How the links into a repository are shaped.
#[derive(Debug, Default, Clone, Copy)]
struct ShapeTally {
    home: u32,
    tracked: u32,
    /// The issues with a tracked link whose item names the repository
    /// (`rustup: add a GUI installer`, linking a rustup.rs pull request).
    named_tracked_issues: u32,
}

/// How the prose writes a word in the middle of a sentence.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordTally {
    /// All lowercase, not in code.
    lower: u32,
    /// All capitals (`JSON`), not in code.
    upper: u32,
    /// Capitalised (`Serde`), not in code.
    capitalised: u32,
    /// In code formatting.
    code: u32,
    /// Anywhere in an event listing (a meetup's title or text), in any
    /// case: counted apart, since titles in Title Case say nothing of case.
    in_events: u32,
    /// Capitalised anywhere, sentence starts and code included.
    seen: u32,
    /// Of those, followed by `<` or `::`, as a type is in code (`Box<T>`,
    /// `Box::new`).
    typed: u32,
}

impl WordTally {
    fn plain(&self) -> u32 {
        self.lower + self.upper
    }

    fn occurrences(&self) -> u32 {
        self.plain() + self.capitalised + self.code
    }
}

#[derive(Debug, Default, Clone)]
struct PublicationTally {
    issues: u32,
    /// Per project: the issues that link it.
    linked_from: FxHashMap<ProjectKey, u32>,
}

/// How often the corpus writes one word, outside links and URLs.
#[derive(Debug, Default, Clone)]
struct WrittenTally {
    /// The issues that write it.
    issues: u32,
    /// Its spellings, with how often.
    spellings: Vec<(Box<str>, u32)>,
    /// The last issue counted in `issues` (see [`Evidence::issues_added`]).
    last_issue: u32,
}

impl WrittenTally {
    fn add(&mut self, spelling: &str, count: u32) {
        match self.spellings.iter_mut().find(|(s, _)| &**s == spelling) {
            Some((_, n)) => *n += count,
            None => self.spellings.push((spelling.into(), count)),
        }
    }
}

/// What one issue links: every project home and repository, and the
/// repositories whose tracked links (pull requests, issues) an item names.
#[derive(Debug, Default)]
struct IssueLinks {
    projects: FxHashSet<ProjectKey>,
    named_trackers: FxHashSet<RepoKey>,
}

/// The counts of the first pass; [`Evidence::merge`] adds two.
#[derive(Debug, Default)]
pub struct Evidence {
    homes: FxHashMap<ProjectKey, HomeTally>,
    shapes: FxHashMap<super::url::RepoKey, ShapeTally>,
    publications: FxHashMap<String, PublicationTally>,
    /// A repository and a package one item ties, with how often.
    ties: FxHashMap<(ProjectKey, ProjectKey), u32>,
    words: FxHashMap<Box<str>, WordTally>,
    /// Per word as written outside links and URLs (lowercase, `.`, `-`
    /// and `_` kept: `crates.io`, `rustup`): the issues that write it and
    /// its spellings, for the repositories linked only as trackers.
    written: FxHashMap<Box<str>, WrittenTally>,
    /// Issues added so far: numbers them, for counting a word once per
    /// issue however it is spelled there.
    issues_added: u32,
    /// Every issue's lines, for the template text (`extract::boilerplate`):
    /// the caller adds them, knowing the issue's folder.
    pub lines: super::boilerplate::LineTally,
}

impl Evidence {
    /// The two tallies summed. The word tables, the largest, are merged
    /// side by side with the rest: this runs between the two passes, when
    /// nothing else is on the pool.
    pub fn merge(self, other: Evidence) -> Evidence {
        let (big, small) = if self.words.len() >= other.words.len() {
            (self, other)
        } else {
            (other, self)
        };
        let Evidence {
            mut homes,
            mut shapes,
            mut publications,
            mut ties,
            mut words,
            mut written,
            issues_added,
            mut lines,
        } = big;
        let small_issues = small.issues_added;
        let Evidence {
            homes: small_homes,
            shapes: small_shapes,
            publications: small_publications,
            ties: small_ties,
            words: small_words,
            written: small_written,
            lines: small_lines,
            ..
        } = small;
        let merge_links = || {
            for (key, tally) in small_homes {
                let mine = homes.entry(key).or_default();
                mine.links += tally.links;
                mine.named += tally.named;
                for (surface, count) in tally.surfaces {
                    *mine.surfaces.entry(surface).or_default() += count;
                }
            }
            for (key, tally) in small_shapes {
                let mine = shapes.entry(key).or_default();
                mine.home += tally.home;
                mine.tracked += tally.tracked;
                mine.named_tracked_issues += tally.named_tracked_issues;
            }
            for (name, tally) in small_publications {
                let mine = publications.entry(name).or_default();
                mine.issues += tally.issues;
                for (key, count) in tally.linked_from {
                    *mine.linked_from.entry(key).or_default() += count;
                }
            }
            lines.merge(small_lines);
            for (pair, count) in small_ties {
                *ties.entry(pair).or_default() += count;
            }
        };
        let merge_written = || {
            for (word, tally) in small_written {
                let mine = written.entry(word).or_default();
                mine.issues += tally.issues;
                for (spelling, count) in tally.spellings {
                    mine.add(&spelling, count);
                }
            }
        };
        let merge_words = || {
            for (word, tally) in small_words {
                let mine = words.entry(word).or_default();
                mine.lower += tally.lower;
                mine.upper += tally.upper;
                mine.capitalised += tally.capitalised;
                mine.code += tally.code;
                mine.in_events += tally.in_events;
                mine.seen += tally.seen;
                mine.typed += tally.typed;
            }
        };
        rayon::join(merge_words, || rayon::join(merge_written, merge_links));
        Evidence {
            homes,
            shapes,
            publications,
            ties,
            words,
            written,
            // Issues added later get numbers neither side has used.
            issues_added: issues_added + small_issues,
            lines,
        }
    }

    /// Counts what one parsed issue says.
    pub fn add_issue(&mut self, issue: &Issue) {
        self.add_written_words(issue, None);
        self.add_all_but_written_words(issue);
    }

    /// [`Evidence::add_issue`] less the words as written, which
    /// [`Evidence::add_written_words`] counts once the words worth
    /// counting are known.
    pub fn add_all_but_written_words(&mut self, issue: &Issue) {
        let mut linked = IssueLinks::default();
        self.add_scope(
            "",
            &issue.intro_text,
            &issue.intro_links,
            None,
            false,
            &mut linked,
        );
        for section in &issue.sections {
            let is_events = section.category == crate::model::Category::Events;
            self.add_scope(
                "",
                &section.lead_text,
                &section.lead_links,
                None,
                is_events,
                &mut linked,
            );
            for item in &section.items {
                self.add_scope(
                    &item.title,
                    &item.text,
                    &item.links,
                    item.url.as_deref(),
                    is_events,
                    &mut linked,
                );
            }
        }
        for repository in linked.named_trackers {
            self.shapes
                .entry(repository)
                .or_default()
                .named_tracked_issues += 1;
        }
        let publication = self
            .publications
            .entry(issue.publication.clone())
            .or_default();
        publication.issues += 1;
        for key in linked.projects {
            *publication.linked_from.entry(key).or_default() += 1;
        }
    }

    /// Counts the words one issue writes outside links and URLs: every
    /// word, or only those `wanted`. Counting every word of a corpus and
    /// its spellings costs more than anything else the first pass does,
    /// and [`decide`] reads the tally of a few: the names of the
    /// repositories linked as trackers ([`Evidence::written_words_wanted`]).
    pub fn add_written_words(&mut self, issue: &Issue, wanted: Option<&WrittenWords>) {
        let mut counter = WrittenCounter::new(wanted);
        counter.count(&issue.intro_text);
        for section in &issue.sections {
            counter.count(&section.lead_text);
            for item in &section.items {
                counter.count(&item.title);
                counter.count(&item.text);
            }
        }
        self.issues_added += 1;
        add_written(&mut self.written, counter.spellings, self.issues_added);
    }

    /// The words whose written tally [`decide`] may read: every form
    /// [`written_name`] tries of the name of a repository linked as a
    /// tracker. A corpus whose issues count only these words decides
    /// exactly as one that counts every word.
    pub fn written_words_wanted(&self) -> WrittenWords {
        let mut words = FxHashSet::default();
        for (repository, shape) in &self.shapes {
            if shape.tracked > 0 {
                words.extend(
                    written_name_forms(repository.name())
                        .into_iter()
                        .map(String::into_boxed_str),
                );
            }
        }
        WrittenWords { words }
    }

    fn add_scope(
        &mut self,
        title: &str,
        text: &str,
        written: &[LinkRef],
        own_url: Option<&str>,
        is_events: bool,
        linked: &mut IssueLinks,
    ) {
        if is_events {
            // An event listing names meetups and places: counted apart,
            // not as prose.
            count_event_words(title, &mut self.words);
            count_event_words(text, &mut self.words);
        } else {
            // A title in Title Case capitalises every word: it says
            // nothing of how a word is written.
            if !matcher::is_title_case(title) {
                count_words(title, &mut self.words);
            }
            count_words(text, &mut self.words);
        }
        let mut urls: Vec<(&str, &str)> = written
            .iter()
            .map(|link| (link.url.trim(), link.text.as_str()))
            .collect();
        if let Some(url) = own_url
            && !urls.iter().any(|(written, _)| *written == url.trim())
        {
            urls.push((url.trim(), ""));
        }
        let mut scope = ScopeText::new(title, text);
        let mut homes: Vec<ProjectKey> = Vec::new();
        let mut named_homes: Vec<ProjectKey> = Vec::new();
        for (url, link_text) in urls {
            let Some(parts) = UrlParts::parse(url) else {
                continue;
            };
            let (home, repository_shape) = links::home_and_shape(parts);
            if let Some((repository, shape)) = repository_shape {
                let tally = match self.shapes.get_mut(&repository) {
                    Some(tally) => tally,
                    None => self.shapes.entry(repository.clone()).or_default(),
                };
                match shape {
                    Shape::Home => tally.home += 1,
                    Shape::Tracked => tally.tracked += 1,
                    Shape::Other => {}
                }
                if shape == Shape::Tracked
                    && !linked.named_trackers.contains(&repository)
                    && scope
                        .name_near(link_text, url, &NameSpellings::of(repository.name()))
                        .is_some()
                {
                    linked.named_trackers.insert(repository.clone());
                }
                linked.projects.insert(ProjectKey::Repository(repository));
            }
            let Some(key) = home else {
                continue;
            };
            linked.projects.insert(key.clone());
            let surface = scope.name_near(link_text, url, &NameSpellings::of(key.name()));
            let tally = self.homes.entry(key.clone()).or_default();
            tally.links += 1;
            if let Some(surface) = surface {
                tally.named += 1;
                *tally.surfaces.entry(surface.to_string()).or_default() += 1;
                if !named_homes.contains(&key) {
                    named_homes.push(key.clone());
                }
            }
            if !homes.contains(&key) {
                homes.push(key);
            }
        }
        self.add_ties(&homes, &named_homes);
    }

    /// A repository and a package linked from one item are one project
    /// when they share a name, or when they are the only ones it links and
    /// the item names the repository too: "send us a pull request" beside a
    /// crate's link does not make the newsletter's repository the crate's.
    fn add_ties(&mut self, homes: &[ProjectKey], named: &[ProjectKey]) {
        let repositories: Vec<&ProjectKey> = homes
            .iter()
            .filter(|k| matches!(k, ProjectKey::Repository(_)))
            .collect();
        let packages: Vec<&ProjectKey> = homes
            .iter()
            .filter(|k| matches!(k, ProjectKey::Package(_)))
            .collect();
        let alone = repositories.len() == 1
            && packages.len() == 1
            && repositories
                .iter()
                .all(|repository| named.contains(repository));
        for repository in &repositories {
            for package in &packages {
                if alone || core_name(repository.name()) == core_name(package.name()) {
                    let pair = ((*repository).clone(), (*package).clone());
                    *self.ties.entry(pair).or_default() += 1;
                }
            }
        }
    }
}

/// Words that are a language affix when they are part of a name.
const AFFIXES: &[&str] = &["rust", "rs", "go", "py", "python", "js", "cli"];

/// Lowercase, runs of `-`, `_`, `.` and spaces as one `-`.
fn separated(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.' | ' ') {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_ascii() {
            // What `to_lowercase` gives, without its iterator.
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    // At most one `-` ends it: runs are one already.
    if out.ends_with('-') {
        out.pop();
    }
    out
}

/// The name without a language affix: `rust-clippy` → `clippy`,
/// `lazy-static.rs` → `lazy-static`, `pyyaml` → `yaml`, `vue.js` → `vue`.
/// An affix is taken off only when at least three letters remain.
fn core_name(name: &str) -> String {
    core_of_separated(&separated(name)).to_string()
}

/// [`core_name`] of a name already [`separated`].
fn core_of_separated(name: &str) -> &str {
    const PREFIXES: &[&str] = &["rust-", "go-", "python-", "py-", "py"];
    const SUFFIXES: &[&str] = &["-rs", "-rust", "-go", "-py", "-js", "-cli"];
    for prefix in PREFIXES {
        if let Some(rest) = name.strip_prefix(prefix)
            && rest.len() >= 3
            && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            return rest;
        }
    }
    for suffix in SUFFIXES {
        if let Some(rest) = name.strip_suffix(suffix)
            && rest.len() >= 3
        {
            return rest;
        }
    }
    name
}

/// The byte range of the sentence that holds the link's text (or, for a
/// bare link, the URL) in `text`; empty when the text holds neither.
fn sentence_around(text: &str, link_text: &str, url: &str) -> std::ops::Range<usize> {
    use memchr::{memchr, memmem, memrchr};
    let needle = if link_text.trim().is_empty() {
        url
    } else {
        link_text.trim()
    };
    // Byte searches: a `str` pattern builds a searcher per call. The
    // needles are whole characters, so every offset found is a boundary.
    let bytes = text.as_bytes();
    let Some(at) = memmem::find(bytes, needle.as_bytes()) else {
        return 0..0;
    };
    let end_of_link = at + needle.len();
    let (before, after) = (&bytes[..at], &bytes[end_of_link..]);
    let start = memrchr(b'\n', before)
        .map_or(0, |i| i + 1)
        .max(memmem::rfind(before, b". ").map_or(0, |i| i + 2));
    let end = memchr(b'\n', after)
        .map_or(text.len(), |i| end_of_link + i)
        .min(memmem::find(after, b". ").map_or(text.len(), |i| end_of_link + i + 1));
    start..end
}

/// The spellings a text may write a project's name in: its forms (the
/// name [`separated`], and its [`core_name`] when that differs), each
/// with its parts joined by `-`, `_`, `.`, a space or nothing, in the
/// order [`find_name`] tries them. Made once per link, not once per text
/// searched: one string, not one per spelling.
struct NameSpellings {
    /// The spellings one after another.
    text: String,
    /// Where each spelling ends in `text`.
    ends: SmallVec<[usize; 10]>,
}

/// The separators a name's parts are written with in prose; a word (see
/// [`written_name_forms`]) holds no space.
const NAME_SEPARATORS: &[&str] = &["-", "_", ".", " ", ""];
const WORD_SEPARATORS: &[&str] = &["-", "_", ".", ""];

impl NameSpellings {
    /// The name a project is written by, in lowercase with `-` between its
    /// parts, and the same without one affix.
    fn of(name: &str) -> NameSpellings {
        let full = separated(name);
        let core = core_of_separated(&full);
        if core == full {
            NameSpellings::of_forms(&[&full], NAME_SEPARATORS)
        } else {
            NameSpellings::of_forms(&[&full, core], NAME_SEPARATORS)
        }
    }

    /// Each form (parts joined by `-`) with its parts joined by each of
    /// `separators` in turn; a form of one part as it is.
    fn of_forms(forms: &[&str], separators: &[&str]) -> NameSpellings {
        let mut spellings = NameSpellings {
            text: String::with_capacity(forms.iter().map(|form| 12 * form.len()).sum()),
            ends: SmallVec::new(),
        };
        for form in forms {
            spellings.add_form(form, separators);
        }
        spellings
    }

    fn add_form(&mut self, form: &str, separators: &[&str]) {
        let parts: SmallVec<[&str; 8]> = form.split('-').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => {}
            [part] => {
                self.text.push_str(part);
                self.ends.push(self.text.len());
            }
            // Parts joined by any one separator, or by none.
            [first, rest @ ..] => {
                for separator in separators {
                    self.text.push_str(first);
                    for part in rest {
                        self.text.push_str(separator);
                        self.text.push_str(part);
                    }
                    self.ends.push(self.text.len());
                }
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let spelling = &self.text[start..end];
            start = end;
            spelling
        })
    }
}

/// A scope's title and text, lowercased when a link first needs them: most
/// scopes link nothing whose name is looked for.
struct ScopeText<'t> {
    title: &'t str,
    text: &'t str,
    lowercase: Option<(String, String)>,
    /// The lowercase link text, when it has capitals (one buffer for all).
    link_lowercase: String,
}

impl<'t> ScopeText<'t> {
    fn new(title: &'t str, text: &'t str) -> ScopeText<'t> {
        ScopeText {
            title,
            text,
            lowercase: None,
            link_lowercase: String::new(),
        }
    }

    /// Where the scope writes a linked project's name (one of its
    /// `spellings`): its title, the link's text, or the sentence around
    /// the link.
    fn name_near(
        &mut self,
        link_text: &'t str,
        url: &str,
        spellings: &NameSpellings,
    ) -> Option<&'t str> {
        let (title, text) = (self.title, self.text);
        let (lowercase_title, lowercase_text) = self
            .lowercase
            .get_or_insert_with(|| (title.to_ascii_lowercase(), text.to_ascii_lowercase()));
        let sentence = sentence_around(text, link_text, url);
        find_name(title, lowercase_title, spellings)
            .or_else(|| {
                let lowercase_link = lowercase_key(link_text, &mut self.link_lowercase);
                find_name(link_text, lowercase_link, spellings)
            })
            .or_else(|| {
                find_name(
                    text.get(sentence.clone()).unwrap_or(""),
                    lowercase_text.get(sentence).unwrap_or(""),
                    spellings,
                )
            })
    }
}

/// Where `text` writes one of the spellings as a whole word, as written.
/// `lowercase` is `text` in ASCII lowercase (same byte offsets).
fn find_name<'t>(text: &'t str, lowercase: &str, spellings: &NameSpellings) -> Option<&'t str> {
    let haystack = lowercase.as_bytes();
    for spelling in spellings.iter() {
        // Each occurrence after the last one's end, as `str::match_indices`
        // has them (one that overlaps the last is not tried).
        let mut from = 0;
        while let Some(found) = memchr::memmem::find(&haystack[from..], spelling.as_bytes()) {
            let at = from + found;
            let end = at + spelling.len();
            if text.is_char_boundary(at)
                && text.is_char_boundary(end)
                && is_whole_word(text, at, end)
            {
                return Some(&text[at..end]);
            }
            from = end;
        }
    }
    None
}

/// The lowercase words an issue's written words are counted for (see
/// [`Evidence::written_words_wanted`]).
#[derive(Debug, Default)]
pub struct WrittenWords {
    words: FxHashSet<Box<str>>,
}

/// One issue's written words by spelling, while it is read.
struct WrittenCounter<'t, 'w> {
    /// Only these (lowercase) words, or every one.
    wanted: Option<&'w WrittenWords>,
    lowercase: String,
    spellings: FxHashMap<&'t str, u32>,
}

impl<'t, 'w> WrittenCounter<'t, 'w> {
    fn new(wanted: Option<&'w WrittenWords>) -> WrittenCounter<'t, 'w> {
        let mut spellings = FxHashMap::default();
        if wanted.is_none() {
            // An issue writes a few thousand distinct words.
            spellings.reserve(4096);
        }
        WrittenCounter {
            wanted,
            lowercase: String::new(),
            spellings,
        }
    }

    /// Counts the words a text writes outside URLs and repository paths
    /// (`owner/name#1`), with `.`, `-` and `_` inside a word kept
    /// (`crates.io`, `rust-bindgen`).
    fn count(&mut self, text: &'t str) {
        // Split at ASCII whitespace first, the fast way; a piece that may
        // hold other whitespace (a non-ASCII byte, a vertical tab) is
        // split again.
        for piece in text.split_ascii_whitespace() {
            // One byte loop: a `char` search per piece costs more than
            // most pieces.
            if piece.bytes().all(|b| b.is_ascii() && b != b'\x0b') {
                self.count_chunk(piece);
            } else {
                for chunk in piece.split_whitespace() {
                    self.count_chunk(chunk);
                }
            }
        }
    }

    fn count_chunk(&mut self, chunk: &'t str) {
        for word in written_words(chunk) {
            if let Some(wanted) = self.wanted
                && !wanted
                    .words
                    .contains(lowercase_key(word, &mut self.lowercase))
            {
                continue;
            }
            *self.spellings.entry(word).or_default() += 1;
        }
    }
}

/// Counts every written word of a text by spelling (see
/// [`WrittenCounter::count`]).
#[cfg(test)]
fn count_written<'t>(text: &'t str, spellings: &mut FxHashMap<&'t str, u32>) {
    let mut counter = WrittenCounter::new(None);
    counter.count(text);
    for (spelling, count) in counter.spellings {
        *spellings.entry(spelling).or_default() += count;
    }
}

/// The words of the text between two whitespace characters.
fn written_words(chunk: &str) -> impl Iterator<Item = &str> {
    // A Markdown link's target is no writing; a chunk with a `/` before
    // it is a URL or a path. (One byte scan for both: a substring
    // searcher per word costs more than the word.)
    let bytes = chunk.as_bytes();
    let mut end = bytes.len();
    for (at, &b) in bytes.iter().enumerate() {
        if b == b'/' {
            end = 0;
            break;
        }
        if b == b']' && bytes.get(at + 1) == Some(&b'(') {
            end = at;
            break;
        }
    }
    let chunk = &chunk[..end];
    let in_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
    let bytes = chunk.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            if !in_word(bytes[at]) {
                at += 1;
                continue;
            }
            let start = at;
            while at < bytes.len() && in_word(bytes[at]) {
                at += 1;
            }
            // Both ends are ASCII bytes or the start of a character.
            let Some(word) = chunk.get(start..at) else {
                continue;
            };
            let word = trim_glue(word);
            if word.len() < 2 || !word.bytes().any(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            return Some(word);
        }
        None
    })
}

/// An ASCII word without the `.`, `-` and `_` at its ends, byte by byte
/// (a `char` pattern decodes every character of every word).
fn trim_glue(word: &str) -> &str {
    let is_glue = |b: &u8| matches!(b, b'.' | b'-' | b'_');
    let bytes = word.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !is_glue(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_glue(b))
        .map_or(start, |i| i + 1);
    // Glue bytes are whole characters: both ends are boundaries.
    word.get(start..end).unwrap_or_default()
}

/// Adds the spellings one issue writes (see [`WrittenCounter`]) to the
/// corpus's words, by lowercase form; `issue` numbers the issue, so a word
/// written several ways counts one issue.
fn add_written(
    written: &mut FxHashMap<Box<str>, WrittenTally>,
    spellings: FxHashMap<&str, u32>,
    issue: u32,
) {
    let mut lowercase = String::new();
    for (spelling, count) in spellings {
        let key = lowercase_key(spelling, &mut lowercase);
        let tally = match written.get_mut(key) {
            Some(tally) => tally,
            None => written.entry(key.into()).or_default(),
        };
        if tally.last_issue != issue {
            tally.issues += 1;
            tally.last_issue = issue;
        }
        tally.add(spelling, count);
    }
}

/// Counts every ASCII word of an event listing, in any case and place.
fn count_event_words(text: &str, words: &mut FxHashMap<Box<str>, WordTally>) {
    let mut lowercase = String::new();
    // The runs of ASCII letters, read as bytes: a byte of a longer
    // character is no ASCII letter, as the character is not.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_alphabetic() {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
            at += 1;
        }
        // Both ends are ASCII bytes or the text's end: boundaries.
        let Some(word) = text.get(start..at) else {
            continue;
        };
        if word.len() < 2 {
            continue;
        }
        let key = lowercase_key(word, &mut lowercase);
        match words.get_mut(key) {
            Some(tally) => tally.in_events += 1,
            None => words.entry(key.into()).or_default().in_events += 1,
        }
    }
}

/// Whether a one-word name is written mostly in event listings: the name
/// of a meetup ("Mid-month Rustful") that borrowed a package's name, not
/// the package. At least five such occurrences, twice as many as in the
/// rest of the prose (mid-sentence).
fn is_meetup_word(name: &str, words: &FxHashMap<Box<str>, WordTally>) -> bool {
    if !name.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    words
        .get(name.to_ascii_lowercase().as_str())
        .is_some_and(|tally| {
            tally.in_events >= MEETUP_MIN_OCCURRENCES && tally.in_events >= 2 * tally.occurrences()
        })
}

/// Counts how the prose writes each ASCII word in the middle of a
/// sentence: plain, capitalised, or in code (between backticks, where the
/// text keeps them: the Markdown parser drops them today).
fn count_words(text: &str, words: &mut FxHashMap<Box<str>, WordTally>) {
    let bytes = text.as_bytes();
    let mut in_code = false;
    let mut sentence_start = true;
    let mut lowercase = String::new();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b == b'`' {
            in_code = !in_code;
            at += 1;
            continue;
        }
        if !b.is_ascii_alphabetic() {
            if matches!(
                b,
                b'.' | b'!' | b'?' | b':' | b';' | b'\n' | b'#' | b'|' | b'>'
            ) {
                sentence_start = true;
            } else if !b.is_ascii_whitespace()
                && !matches!(b, b'*' | b'_' | b'"' | b'\'' | b'(' | b'[' | b'-')
            {
                sentence_start = false;
            }
            at += 1;
            continue;
        }
        let start = at;
        // What the word is made of, seen as it is read rather than in
        // four more passes over it.
        let mut capitals = 0;
        let mut only_letters = true;
        while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_') {
            capitals += usize::from(bytes[at].is_ascii_uppercase());
            only_letters &= bytes[at].is_ascii_alphabetic();
            at += 1;
        }
        // A name with inner `-` or `.` is one word, never an English one.
        let glued = at < bytes.len()
            && matches!(bytes[at], b'-' | b'.')
            && bytes.get(at + 1).is_some_and(u8::is_ascii_alphanumeric);
        if glued {
            while at < bytes.len()
                && (bytes[at].is_ascii_alphanumeric() || matches!(bytes[at], b'-' | b'.' | b'_'))
            {
                at += 1;
            }
        }
        let word = &text[start..at];
        let was_start = std::mem::replace(&mut sentence_start, false);
        if glued || word.len() < 2 || !only_letters {
            continue;
        }
        let first_upper = word.as_bytes()[0].is_ascii_uppercase();
        if !first_upper && was_start {
            continue;
        }
        // One lookup for both counts: every word of the corpus comes here.
        let key = if capitals == 0 {
            word
        } else {
            lowercase.clear();
            lowercase.push_str(word);
            lowercase.make_ascii_lowercase();
            lowercase.as_str()
        };
        let tally = match words.get_mut(key) {
            Some(tally) => tally,
            None => words.entry(key.into()).or_default(),
        };
        if first_upper {
            tally.seen += 1;
            let rest = &text[at..];
            if rest.starts_with('<') || rest.starts_with("::") {
                tally.typed += 1;
            }
        }
        // A sentence's first word is capitalised by grammar, not by name.
        if was_start {
            continue;
        }
        // Letters only: a letter that is no capital is lowercase.
        let rest_lower = capitals == usize::from(first_upper);
        let all_upper = capitals == word.len();
        if in_code {
            tally.code += 1;
        } else if first_upper && rest_lower {
            tally.capitalised += 1;
        } else if all_upper {
            tally.upper += 1;
        } else if !first_upper && rest_lower {
            tally.lower += 1;
        }
    }
}

/// A word in ASCII lowercase: the word itself when it is (most words of
/// prose are), else its copy in `scratch`.
fn lowercase_key<'k>(word: &'k str, scratch: &'k mut String) -> &'k str {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        scratch.clear();
        scratch.push_str(word);
        scratch.make_ascii_lowercase();
        scratch.as_str()
    } else {
        word
    }
}

/// Whether the corpus writes a word mostly as a type in code: followed by
/// `<` or `::` in at least half of its capitalised occurrences (`Box<T>`,
/// `Box::new`; the lowercase word is another word),
/// and at least [`TYPE_MIN_OCCURRENCES`] times. A product's name is hardly
/// ever written so; a name the corpus writes this way means the type.
fn is_type_name(lowercase: &str, words: &FxHashMap<Box<str>, WordTally>) -> bool {
    words
        .get(lowercase)
        .is_some_and(|tally| tally.typed >= TYPE_MIN_OCCURRENCES && 2 * tally.typed >= tally.seen)
}

/// The thousand most frequent English words, lowercase, sorted.
static ENGLISH: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut words: Vec<String> = top_english_words::get_words::<String>()
        .into_iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    words.sort();
    words.dedup();
    words
});

pub(crate) fn is_english(word: &str) -> bool {
    let known = |w: &str| ENGLISH.binary_search_by(|e| e.as_str().cmp(w)).is_ok();
    known(word)
        || word.strip_suffix('s').is_some_and(known)
        || word.strip_suffix("es").is_some_and(known)
}

/// Whether a name is also an ordinary word (see the module comment).
pub fn is_ordinary_word(name: &str, words: &FxHashMap<Box<str>, WordTally>) -> bool {
    let lowercase = name.to_ascii_lowercase();
    if !lowercase.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    if is_english(&lowercase) {
        return true;
    }
    let Some(tally) = words.get(lowercase.as_str()) else {
        return false;
    };
    let occurrences = tally.occurrences();
    let mostly_plain = occurrences >= ORDINARY_MIN_OCCURRENCES
        && f64::from(tally.plain()) >= ORDINARY_SHARE * f64::from(occurrences);
    // A word of the language has other forms in the prose (`captures`,
    // `emitted`, `byte`), or is an acronym (`JSON`); a name written in
    // lowercase (`clippy`, `nom`) has neither.
    let almost_always_plain = occurrences >= ALWAYS_PLAIN_MIN_OCCURRENCES
        && f64::from(tally.plain()) >= ALWAYS_PLAIN_SHARE * f64::from(occurrences);
    almost_always_plain
        || (mostly_plain && (tally.upper >= tally.lower || has_inflections(&lowercase, words)))
}

/// Whether the prose writes another form of the word, plainly.
fn has_inflections(word: &str, words: &FxHashMap<Box<str>, WordTally>) -> bool {
    let mut forms: Vec<String> = ["s", "es", "ed", "d", "ing", "er", "ers", "ly"]
        .iter()
        .map(|suffix| format!("{word}{suffix}"))
        .collect();
    if let Some(stem) = word.strip_suffix('e') {
        forms.push(format!("{stem}ing"));
    }
    for suffix in ["es", "s", "er", "est", "ed", "ing", "ly"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.len() >= 3
        {
            if is_english(stem) {
                return true;
            }
            forms.push(stem.to_string());
        }
    }
    if let Some(last) = word.chars().last() {
        // emit → emitted, log → logging
        forms.push(format!("{word}{last}ed"));
        forms.push(format!("{word}{last}ing"));
    }
    forms
        .iter()
        .any(|form| words.get(form.as_str()).is_some_and(|t| t.lower >= 1))
}

/// What [`decide`] makes of the evidence.
#[derive(Debug, Default)]
pub struct Decision {
    /// New entities, sorted by id.
    pub projects: Vec<Entity>,
    /// Homes to add to dictionary entries: (entry's position, URLs).
    pub extra_urls: Vec<(usize, Vec<String>)>,
    /// The dictionary's one-word names (lowercase, sorted) that the corpus
    /// writes mostly as types in code: they count only with evidence.
    pub type_names: Vec<String>,
}

/// A disjoint-set forest over project keys.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn find(&mut self, mut at: usize) -> usize {
        while self.parent[at] != at {
            self.parent[at] = self.parent[self.parent[at]];
            at = self.parent[at];
        }
        at
    }

    /// Joins two groups; the smaller root stays, so the result does not
    /// depend on the order of the joins.
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (low, high) = (a.min(b), a.max(b));
            self.parent[high] = low;
        }
    }
}

/// Decides the link-derived projects (see the module comment).
pub fn decide(evidence: &Evidence, dictionary: &[Entity]) -> Decision {
    let urls = UrlIndex::new(dictionary);
    let furniture = furniture(evidence);
    let is_tracker = |key: &ProjectKey| match key {
        ProjectKey::Repository(repository) => evidence.shapes.get(repository).is_some_and(|s| {
            s.tracked >= TRACKER_MIN_LINKS && s.tracked >= TRACKER_RATIO * s.home.max(1)
        }),
        ProjectKey::Package(_) => false,
    };
    // Every home that can stand for a project, in key order.
    let keys: Vec<&ProjectKey> = evidence
        .homes
        .keys()
        .filter(|key| !furniture.contains(*key) && !is_tracker(key))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let position: FxHashMap<&ProjectKey, usize> =
        keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut groups = Groups {
        parent: (0..keys.len()).collect(),
    };
    for (repository, package) in evidence.ties.keys() {
        if let (Some(&a), Some(&b)) = (position.get(repository), position.get(package)) {
            groups.join(a, b);
        }
    }
    // Repositories of one name are one project when exactly one of them
    // belongs to an owner named for it (`rayon-rs/rayon`,
    // `servo/servo`): the project moved there.
    let mut repositories_by_core: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        if matches!(key, ProjectKey::Repository(_)) {
            repositories_by_core
                .entry(core_name(key.name()))
                .or_default()
                .push(i);
        }
    }
    for (core, repositories) in &repositories_by_core {
        let homes: Vec<usize> = repositories
            .iter()
            .copied()
            .filter(|&i| match keys[i] {
                ProjectKey::Repository(repository) => core_name(repository.owner()) == *core,
                ProjectKey::Package(_) => false,
            })
            .collect();
        if let [home] = homes.as_slice() {
            for &other in repositories {
                groups.join(*home, other);
            }
        }
    }
    // A package named like the repositories of one project is that
    // project's, when one of them belongs to an owner named for it
    // (`serde-rs/serde`): any repository may take a name
    // (`aochagavia/rocket`, a game), a registry name is the package's.
    for (i, key) in keys.iter().enumerate() {
        if let ProjectKey::Package(_) = key
            && let Some(repositories) = repositories_by_core.get(&core_name(key.name()))
        {
            let core = core_name(key.name());
            let owned: Vec<usize> = repositories
                .iter()
                .copied()
                .filter(|&r| match keys[r] {
                    ProjectKey::Repository(repository) => core_name(repository.owner()) == core,
                    ProjectKey::Package(_) => false,
                })
                .collect();
            let roots: BTreeSet<usize> = owned.iter().map(|&r| groups.find(r)).collect();
            if let Some(&root) = roots.first()
                && roots.len() == 1
            {
                groups.join(i, root);
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..keys.len() {
        let root = groups.find(i);
        members.entry(root).or_default().push(i);
    }

    // Which dictionary entries write each name.
    let mut dictionary_names: FxHashMap<String, BTreeSet<usize>> = FxHashMap::default();
    for (position, entity) in dictionary.iter().enumerate() {
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            dictionary_names
                .entry(name.trim().to_lowercase())
                .or_default()
                .insert(position);
        }
    }
    let mut decision = Decision::default();
    let mut type_names: BTreeSet<String> = BTreeSet::new();
    for entity in dictionary {
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            let lowercase = name.trim().to_ascii_lowercase();
            if lowercase.bytes().all(|b| b.is_ascii_lowercase())
                && is_type_name(&lowercase, &evidence.words)
            {
                type_names.insert(lowercase);
            }
        }
    }
    decision.type_names = type_names.into_iter().collect();
    // The dictionary entries whose listed homes the corpus links.
    let linked_entries: BTreeSet<usize> = evidence
        .homes
        .keys()
        .filter_map(|key| dictionary_entry(&urls, key))
        .collect();
    let mut extra: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut drafts: Vec<ProjectDraft> = Vec::new();
    for group in members.values() {
        let group_keys: Vec<&ProjectKey> = group.iter().map(|&i| keys[i]).collect();
        let known: BTreeSet<usize> = group_keys
            .iter()
            .filter_map(|key| dictionary_entry(&urls, key))
            .collect();
        match known.len() {
            0 => {}
            1 => {
                let Some(&entry) = known.first() else {
                    continue;
                };
                for key in &group_keys {
                    if dictionary_entry(&urls, key).is_none() {
                        extra.entry(entry).or_default().insert(key.url());
                    }
                }
                continue;
            }
            // Two dictionary entries' homes tied by the corpus: leave
            // them as the dictionary has them.
            _ => continue,
        }
        let Some(draft) = ProjectDraft::new(&group_keys, evidence) else {
            continue;
        };
        // Named as one dictionary entry is named, in a repository of the
        // name the entry's own repository has or in the organisation that
        // holds it: a former home or a part of the same project
        // (`carlhuda/cargo` is Cargo's, `heptio/sonobuoy` is Sonobuoy's,
        // `open-telemetry/opentelemetry-rust` is OpenTelemetry's), when the corpus links the entry's homes too or
        // writes the name as the entry does. Otherwise a home of the same
        // name is another project (`bsteinb/accurate`, a crate written
        // `accurate`, is not Neco's Accurate; `ogeon/palette` is no
        // landscape Palette).
        if let Some(named_like) = dictionary_names.get(&draft.name.to_lowercase())
            && let Some(&entry) = named_like.first()
            && named_like.len() == 1
            && is_former_home(&draft, &dictionary[entry], linked_entries.contains(&entry))
        {
            extra.entry(entry).or_default().extend(draft.urls);
            continue;
        }
        drafts.push(draft);
    }
    drafts.extend(tracker_projects(
        evidence,
        &urls,
        &furniture,
        &drafts,
        &extra,
        &dictionary_names,
    ));
    decision.extra_urls = extra
        .into_iter()
        .map(|(entry, urls)| (entry, urls.into_iter().collect()))
        .collect();

    // An alias two projects claim goes to the one named more often (on a
    // tie, the smaller id: a registry's `project:crates.io/…` before a
    // repository's `project:github.com/…`); one a dictionary entry has
    // stays the dictionary's. A meetup's word is no project's alias: the
    // project counts only where it is linked.
    let mut claims: BTreeMap<String, (u32, String)> = BTreeMap::new();
    for draft in &drafts {
        for alias in &draft.aliases {
            let folded = alias.to_lowercase();
            let claim = (draft.named, draft.id.clone());
            let better = claims
                .get(&folded)
                .is_none_or(|(named, id)| claim.0 > *named || (claim.0 == *named && claim.1 < *id));
            if better {
                claims.insert(folded, claim);
            }
        }
    }
    for draft in drafts {
        let aliases: Vec<String> = draft
            .aliases
            .iter()
            .filter(|alias| {
                let folded = alias.to_lowercase();
                !dictionary_names.contains_key(&folded)
                    && claims.get(&folded).is_some_and(|(_, id)| *id == draft.id)
                    && !is_meetup_word(alias, &evidence.words)
            })
            .cloned()
            .collect();
        decision
            .projects
            .push(draft.into_entity(aliases, &evidence.words));
    }
    decision.projects.sort_by(|a, b| a.id.cmp(&b.id));
    decision
}

/// The trackers a reader lists: repositories linked only through their
/// pull requests, issues or documents (see [`decide`]), no dictionary
/// entry's and no other project's, whose name the corpus writes as a word
/// in at least [`TRACKER_NAME_MIN_ISSUES`] issues and in more issues than
/// link the repository (`rustup` of `rust-lang-nursery/rustup.rs`,
/// `crates.io` of `rust-lang/crates.io`). Found by their name only: their
/// pull requests stay `pr:` entities.
fn tracker_projects(
    evidence: &Evidence,
    urls: &UrlIndex,
    furniture: &FxHashSet<ProjectKey>,
    drafts: &[ProjectDraft],
    extra: &BTreeMap<usize, BTreeSet<String>>,
    dictionary_names: &FxHashMap<String, BTreeSet<usize>>,
) -> Vec<ProjectDraft> {
    let mut covered: FxHashSet<RepoKey> = drafts
        .iter()
        .flat_map(|draft| &draft.urls)
        .chain(extra.values().flatten())
        .filter_map(|url| RepoKey::from_url(url))
        .collect();
    covered.extend(
        evidence
            .homes
            .keys()
            .filter(|key| furniture.contains(*key))
            .filter_map(|key| match key {
                ProjectKey::Repository(repository) => Some(repository.clone()),
                ProjectKey::Package(_) => None,
            }),
    );
    let mut taken: FxHashSet<String> = dictionary_names.keys().cloned().collect();
    for draft in drafts {
        taken.insert(draft.name.to_lowercase());
        taken.extend(draft.aliases.iter().map(|alias| alias.to_lowercase()));
    }
    let publication_names: FxHashSet<String> = evidence
        .publications
        .keys()
        .map(|name| separated(name))
        .collect();
    // Per written word, the trackers named by it, most tracked first.
    let mut by_word: BTreeMap<String, Vec<(u32, &RepoKey)>> = BTreeMap::new();
    for (repository, shape) in &evidence.shapes {
        let key = ProjectKey::Repository(repository.clone());
        if shape.tracked == 0
            || covered.contains(repository)
            || urls.knows_repository(repository)
            || furniture.contains(&key)
            || publication_names.contains(&separated(repository.name()))
        {
            continue;
        }
        let Some((word, written)) = written_name(repository.name(), evidence) else {
            continue;
        };
        let linking: u32 = evidence
            .publications
            .values()
            .filter_map(|publication| publication.linked_from.get(&key))
            .sum();
        // A name the prose writes as plainly as a word (`rustup`, and
        // `website`, `super`) is the tracker's where the items that link
        // its pull requests write it, in three issues or more.
        let tied = !is_ordinary_word(&word, &evidence.words)
            || shape.named_tracked_issues >= TRACKER_NAMED_MIN_ISSUES;
        if written.issues < TRACKER_NAME_MIN_ISSUES
            || written.issues <= linking
            || !tied
            || taken.contains(&word)
        {
            continue;
        }
        by_word
            .entry(word)
            .or_default()
            .push((shape.tracked, repository));
    }
    let mut projects = Vec::new();
    for (word, mut repositories) in by_word {
        repositories.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let Some(written) = evidence.written.get(word.as_str()) else {
            continue;
        };
        let Some((name, _)) = written
            .spellings
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        else {
            continue;
        };
        let Some(&(_, main)) = repositories.first() else {
            continue;
        };
        let aliases: BTreeSet<String> = written
            .spellings
            .iter()
            .map(|(spelling, _)| spelling.to_string())
            .collect();
        projects.push(ProjectDraft {
            id: format!("project:{main}"),
            name: name.to_string(),
            aliases: aliases.into_iter().collect(),
            urls: repositories
                .iter()
                .map(|(_, repository)| repository.url())
                .collect(),
            named: written.issues,
            tracker: true,
        });
    }
    projects
}

/// The word by which the corpus writes a tracker's name most, with its
/// tally: the repository's name with any one separator or none, or, for
/// a name with a dotted affix (`rustup.rs`, `lazy-static.rs`), the name
/// without it. A `rust-` or `-rs` affix is not taken off: `rust-url`,
/// `gcc-rs` and `rust.vim` bind the URL, GCC and Vim, which their
/// repositories are not. A word of the language (`team`, `book`, `docs`,
/// `rfcs`: an English word, or a word the prose also writes in another
/// form) names no tracker: no link of a tracker could show that the word
/// means the project.
fn written_name<'e>(name: &str, evidence: &'e Evidence) -> Option<(String, &'e WrittenTally)> {
    let mut best: Option<(String, &WrittenTally)> = None;
    for variant in written_name_forms(name) {
        if is_word_of_the_language(&variant, &evidence.words) {
            continue;
        }
        if let Some(tally) = evidence.written.get(variant.as_str())
            && best.as_ref().is_none_or(|(_, b)| tally.issues > b.issues)
        {
            best = Some((variant, tally));
        }
    }
    best
}

/// The words [`written_name`] looks a repository's name up by, in the
/// order it tries them.
fn written_name_forms(name: &str) -> Vec<String> {
    let lowercase = name.to_ascii_lowercase();
    let full = separated(name);
    let core;
    let mut forms = vec![full.as_str()];
    if [".rs", ".js"]
        .iter()
        .any(|affix| lowercase.ends_with(affix))
    {
        core = core_name(name);
        forms.push(&core);
    }
    NameSpellings::of_forms(&forms, WORD_SEPARATORS)
        .iter()
        .map(str::to_string)
        .collect()
}

/// An English word, or one the prose also writes in another form.
fn is_word_of_the_language(word: &str, words: &FxHashMap<Box<str>, WordTally>) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase())
        && (is_english(word) || has_inflections(word, words))
}

/// The projects linked from more than half the issues of a publication,
/// and the newsletters' own repositories (named as the publication is:
/// `this-week-in-rust`, `lwkd`).
fn furniture(evidence: &Evidence) -> FxHashSet<ProjectKey> {
    let mut furniture = FxHashSet::default();
    let publication_names: FxHashSet<String> = evidence
        .publications
        .keys()
        .map(|name| separated(name))
        .collect();
    for key in evidence.homes.keys() {
        if publication_names.contains(&separated(key.name())) {
            furniture.insert(key.clone());
        }
    }
    for publication in evidence.publications.values() {
        if publication.issues < FURNITURE_MIN_ISSUES {
            continue;
        }
        for (key, issues) in &publication.linked_from {
            if 2 * issues > publication.issues {
                furniture.insert(key.clone());
            }
        }
    }
    furniture
}

/// Whether a project named as a dictionary entry is that entry (see
/// [`decide`]): a repository of the name the entry's own repository has
/// (a former home, `carlhuda/cargo`), or one in the organisation that
/// holds the entry's repository (`open-telemetry/opentelemetry-rust` is
/// OpenTelemetry's, as `open-telemetry/community` is). A namesake
/// elsewhere (`bsteinb/accurate`) is another project.
fn is_former_home(draft: &ProjectDraft, entry: &Entity, entry_is_linked: bool) -> bool {
    let repositories = |urls: &[String]| -> Vec<RepoKey> {
        urls.iter()
            .filter_map(|url| RepoKey::from_url(url))
            .collect()
    };
    let entry_repositories = repositories(&entry.urls);
    let same_project = repositories(&draft.urls).iter().any(|repository| {
        entry_repositories.iter().any(|own| {
            own.name() == repository.name()
                || (own.forge() == repository.forge() && own.owner() == repository.owner())
        })
    });
    let written_alike = std::iter::once(&entry.name)
        .chain(&entry.aliases)
        .any(|name| name.trim() == draft.name);
    same_project && (entry_is_linked || entry.match_rule != MatchRule::Strict || written_alike)
}

/// The dictionary entry that lists a project home, if one does.
fn dictionary_entry(urls: &UrlIndex, key: &ProjectKey) -> Option<usize> {
    let by_key = match key {
        ProjectKey::Repository(repository) => urls.entity_of_repository(repository),
        ProjectKey::Package(package) => urls.entity_of_package(package),
    };
    // A package page under a registry's own homepage (crates.io/crates/X
    // under crates.io's) is the package's home, not the registry's.
    by_key.or_else(|| {
        let url = key.url();
        let parts = UrlParts::parse(&url)?;
        urls.site_of_page(parts)
            .is_none()
            .then(|| urls.entity_of_homepage(parts))
            .flatten()
    })
}

/// A project being decided.
struct ProjectDraft {
    id: String,
    name: String,
    /// The names the corpus wrote, separator variants included.
    aliases: Vec<String>,
    urls: Vec<String>,
    named: u32,
    /// A tracker found by its name ([`tracker_projects`]): its name is no
    /// word of the language, so it needs no evidence.
    tracker: bool,
}

impl ProjectDraft {
    fn new(keys: &[&ProjectKey], evidence: &Evidence) -> Option<ProjectDraft> {
        let tallies: Vec<(&ProjectKey, &HomeTally)> = keys
            .iter()
            .filter_map(|key| Some((*key, evidence.homes.get(*key)?)))
            .collect();
        let named: u32 = tallies.iter().map(|(_, t)| t.named).sum();
        if named == 0 {
            return None;
        }
        // The main home: a repository before a package, then the most
        // linked, then the smallest key.
        let main = tallies
            .iter()
            .min_by(|a, b| {
                let rank = |(key, tally): &(&ProjectKey, &HomeTally)| {
                    (
                        matches!(key, ProjectKey::Package(_)),
                        std::cmp::Reverse(tally.links),
                    )
                };
                rank(a).cmp(&rank(b)).then_with(|| a.0.cmp(b.0))
            })
            .map(|(key, _)| *key)?;
        let mut surfaces: BTreeMap<&str, u32> = BTreeMap::new();
        for (_, tally) in &tallies {
            for (surface, count) in &tally.surfaces {
                *surfaces.entry(surface.as_str()).or_default() += count;
            }
        }
        let name = surfaces
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(surface, _)| surface.to_string())?;
        let mut aliases: BTreeSet<String> = BTreeSet::new();
        for surface in surfaces.keys() {
            // "Rust core" near `rust-core`'s link is a phrase; a name
            // written with spaces needs a part that is no word.
            let phrase = surface.contains(' ')
                && surface.split(' ').all(|part| {
                    AFFIXES.contains(&part.to_ascii_lowercase().as_str())
                        || is_ordinary_word(part, &evidence.words)
                });
            if phrase {
                continue;
            }
            aliases.insert(surface.to_string());
            let parts: Vec<&str> = surface
                .split(['-', '_', '.', ' '])
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() > 1 {
                for separator in ["-", "_"] {
                    aliases.insert(parts.join(separator));
                }
            }
        }
        let mut urls: Vec<String> = vec![main.url()];
        for (key, _) in &tallies {
            let url = key.url();
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
        Some(ProjectDraft {
            id: format!("project:{main}"),
            name,
            aliases: aliases.into_iter().collect(),
            urls,
            named,
            tracker: false,
        })
    }

    fn into_entity(self, aliases: Vec<String>, words: &FxHashMap<Box<str>, WordTally>) -> Entity {
        let ordinary = !self.tracker
            && (aliases.iter().any(|alias| is_ordinary_word(alias, words))
                || is_ordinary_word(&self.name, words));
        let (match_rule, aliases) = if ordinary {
            // Strict names match as written: the lowercase word and the
            // capitalised one a sentence would not write.
            let mut written: BTreeSet<String> = BTreeSet::new();
            for alias in &aliases {
                written.insert(alias.to_lowercase());
                let mut chars = alias.chars();
                if let Some(first) = chars.next() {
                    let capitalised: String = first
                        .to_uppercase()
                        .chain(chars.as_str().to_lowercase().chars())
                        .collect();
                    written.insert(capitalised);
                }
                written.insert(alias.clone());
            }
            (MatchRule::Strict, written.into_iter().collect())
        } else {
            (MatchRule::Normal, aliases)
        };
        Entity {
            id: self.id,
            name: self.name,
            kind: EntityKind::Project,
            aliases,
            urls: self.urls,
            category: String::new(),
            cncf: String::new(),
            match_rule,
            sig: String::new(),
            source: Source::LinkDerived,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_with_their_variants() {
        let spellings = NameSpellings::of("lazy-static.rs");
        assert_eq!(
            spellings.iter().collect::<Vec<_>>(),
            [
                "lazy-static-rs",
                "lazy_static_rs",
                "lazy.static.rs",
                "lazy static rs",
                "lazystaticrs",
                "lazy-static",
                "lazy_static",
                "lazy.static",
                "lazy static",
                "lazystatic"
            ]
        );
        let text = "[easy] lazy_static: Include `homepage`";
        assert_eq!(
            find_name(text, &text.to_ascii_lowercase(), &spellings),
            Some("lazy_static")
        );
        let text = "Clippy 0.0.200 is out";
        assert_eq!(
            find_name(
                text,
                &text.to_ascii_lowercase(),
                &NameSpellings::of("rust-clippy")
            ),
            Some("Clippy")
        );
        // `serde_json` is one word, not serde.
        let text = "serde_json is fast";
        assert_eq!(
            find_name(
                text,
                &text.to_ascii_lowercase(),
                &NameSpellings::of("serde")
            ),
            None
        );
        assert_eq!(core_name("PyYAML"), "yaml");
        assert_eq!(core_name("vue.js"), "vue");
        assert_eq!(core_name("go-kit"), "kit");
        assert_eq!(core_name("rs"), "rs");
    }

    fn dictionary_entry_named(name: &str, urls: &[&str], rule: MatchRule) -> Entity {
        Entity {
            id: format!("tool:{}", name.to_lowercase()),
            name: name.into(),
            kind: EntityKind::Tool,
            aliases: vec![],
            urls: urls.iter().map(|u| u.to_string()).collect(),
            category: String::new(),
            cncf: String::new(),
            match_rule: rule,
            sig: String::new(),
            source: Default::default(),
        }
    }

    fn draft_at(name: &str, url: &str) -> ProjectDraft {
        ProjectDraft {
            id: String::new(),
            name: name.into(),
            aliases: vec![],
            urls: vec![url.into()],
            named: 1,
            tracker: false,
        }
    }

    #[test]
    fn a_namesake_is_the_entry_only_in_its_repository_name_or_its_organisation() {
        let opentelemetry = dictionary_entry_named(
            "OpenTelemetry",
            &[
                "https://opentelemetry.io/",
                "https://github.com/open-telemetry/community",
            ],
            MatchRule::Normal,
        );
        // The organisation that holds the entry's repository.
        let sdk = draft_at(
            "OpenTelemetry",
            "https://github.com/open-telemetry/opentelemetry-rust",
        );
        assert!(is_former_home(&sdk, &opentelemetry, false));
        // Elsewhere, another project of the same name.
        let other = draft_at(
            "OpenTelemetry",
            "https://github.com/someone/opentelemetry-rust",
        );
        assert!(!is_former_home(&other, &opentelemetry, false));
        // A repository of the entry's repository name: a former home.
        let cargo = dictionary_entry_named(
            "Cargo",
            &["https://github.com/rust-lang/cargo"],
            MatchRule::Strict,
        );
        assert!(is_former_home(
            &draft_at("Cargo", "https://github.com/carlhuda/cargo"),
            &cargo,
            true
        ));
        let accurate = dictionary_entry_named(
            "Accurate",
            &["https://github.com/cybozu-go/accurate"],
            MatchRule::Strict,
        );
        // Written otherwise than the entry ("accurate"), entry not linked.
        assert!(!is_former_home(
            &draft_at("accurate", "https://github.com/bsteinb/accurate"),
            &accurate,
            false
        ));
    }

    #[test]
    fn the_sentence_around_a_link_is_found() {
        let text = "First one. The [tokio](x) crate is async. Last";
        let range = sentence_around(text, "tokio", "x");
        assert_eq!(&text[range], "The [tokio](x) crate is async.");
        assert_eq!(sentence_around("abc", "zzz", "y"), 0..0);
    }

    #[test]
    fn words_are_counted_by_how_prose_writes_them() {
        let mut words = FxHashMap::default();
        count_words(
            "It takes time. We use `bytes` and Bytes, and the time it takes, time and JSON.",
            &mut words,
        );
        let time = words["time"];
        assert_eq!((time.lower, time.capitalised, time.code), (3, 0, 0));
        let bytes = words["bytes"];
        assert_eq!((bytes.lower, bytes.capitalised, bytes.code), (0, 1, 1));
        assert_eq!(words["json"].upper, 1);
        // Sentence-initial words say nothing of how prose writes them; a
        // capitalised one still counts as seen, for the type rule.
        assert_eq!(words["we"].occurrences(), 0);
        assert_eq!((words["we"].seen, words["we"].typed), (1, 0));
        let mut typed = FxHashMap::default();
        count_words(
            "Use `Box<T>` or Box::new, not a box or Box alone.",
            &mut typed,
        );
        assert_eq!((typed["box"].seen, typed["box"].typed), (3, 2));
        assert!(!is_type_name("box", &typed));
        count_words("A `Box<dyn Error>` it is.", &mut typed);
        assert!(is_type_name("box", &typed));
        assert!(is_ordinary_word("time", &words));
        assert!(!is_ordinary_word("bytes", &words));
        assert!(!is_ordinary_word("rayon", &words));
        assert!(!is_ordinary_word("serde-json", &words));
        let mut words = FxHashMap::default();
        count_words(
            "we capture it, it captures them, we capture more, capture less, and capture all; \
             we use clippy, run clippy, love clippy, fix clippy",
            &mut words,
        );
        assert!(is_ordinary_word("capture", &words));
        assert!(!is_ordinary_word("clippy", &words));
    }
}

#[cfg(test)]
mod tracker_tests {
    use super::*;

    /// Twenty issues of a newsletter that tracks `acme/widgetd`: eight
    /// link two of its pull requests each and name it; all twenty write
    /// its name in prose.
    fn widget_issues() -> Vec<Issue> {
        (1..=20)
            .map(|n| {
                let links = if n <= 8 {
                    format!(
                        "- [Fix the frobber](https://github.com/acme/widgetd/pull/{n}0) lands in widgetd.\n\
                         - [Speed up](https://github.com/acme/widgetd/pull/{n}1) the Widgetd parser.\n"
                    )
                } else {
                    String::new()
                };
                let text = format!(
                    "---\ntitle: Widget Weekly {n}\ndate: 2024-02-{n:02}\n---\n\n## Updates\n\n{links}\
                     - Our team ran widgetd on the new racks this week.\n"
                );
                let mut parsed = crate::parse::parse_all("widget.md", &text).expect("parses");
                parsed.remove(0).issue
            })
            .collect()
    }

    #[test]
    fn counting_only_the_wanted_written_words_decides_as_counting_every_word() {
        let issues = widget_issues();
        let mut every_word = Evidence::default();
        let mut deferred = Evidence::default();
        for issue in &issues {
            every_word.add_issue(issue);
            deferred.add_all_but_written_words(issue);
        }
        let wanted = deferred.written_words_wanted();
        // Two threads' tallies of the words wanted, merged as the pipeline does.
        let (mut first, mut second) = (Evidence::default(), Evidence::default());
        for (n, issue) in issues.iter().enumerate() {
            let tally = if n % 2 == 0 { &mut first } else { &mut second };
            tally.add_written_words(issue, Some(&wanted));
        }
        let deferred = deferred.merge(first.merge(second));

        assert!(every_word.written.contains_key("racks"));
        assert!(!deferred.written.contains_key("racks"));
        let tally = &deferred.written["widgetd"];
        assert_eq!(tally.issues, 20);
        assert_eq!(every_word.written["widgetd"].issues, 20);

        let (all, only_wanted) = (decide(&every_word, &[]), decide(&deferred, &[]));
        assert_eq!(
            format!("{:?}", all.projects),
            format!("{:?}", only_wanted.projects)
        );
        let [widgetd] = only_wanted.projects.as_slice() else {
            panic!("{:?}", only_wanted.projects);
        };
        assert_eq!(widgetd.id, "project:github.com/acme/widgetd");
        assert_eq!(widgetd.name, "widgetd");
        assert_eq!(widgetd.aliases, ["Widgetd", "widgetd"]);
    }

    /// Evidence of one tracker: `tracked` links from `linking` issues,
    /// `named` of them naming it, its name written in `written` issues as
    /// `spelling`, plainly in the middle of a sentence `plain` times.
    fn tracker_evidence(
        url: &str,
        tracked: u32,
        linking: u32,
        named: u32,
        spelling: &str,
        written: u32,
        plain: u32,
    ) -> Evidence {
        let mut evidence = Evidence::default();
        let repository = RepoKey::from_url(url).unwrap();
        evidence.shapes.insert(
            repository.clone(),
            ShapeTally {
                home: 0,
                tracked,
                named_tracked_issues: named,
            },
        );
        let mut publication = PublicationTally {
            issues: 268,
            ..Default::default()
        };
        publication
            .linked_from
            .insert(ProjectKey::Repository(repository), linking);
        evidence
            .publications
            .insert("This Week in Rust".into(), publication);
        let mut tally = WrittenTally {
            issues: written,
            ..Default::default()
        };
        tally.add(spelling, written * 2);
        evidence
            .written
            .insert(spelling.to_ascii_lowercase().into(), tally);
        evidence.words.insert(
            spelling.to_ascii_lowercase().into(),
            WordTally {
                lower: plain,
                ..Default::default()
            },
        );
        evidence
    }

    #[test]
    fn a_tracker_the_corpus_names_is_a_project_found_by_its_name() {
        let evidence = tracker_evidence(
            "https://github.com/rust-lang-nursery/rustup.rs",
            59,
            22,
            22,
            "rustup",
            39,
            86,
        );
        let decision = decide(&evidence, &[]);
        let [rustup] = decision.projects.as_slice() else {
            panic!("{:?}", decision.projects);
        };
        assert_eq!(rustup.id, "project:github.com/rust-lang-nursery/rustup.rs");
        assert_eq!(rustup.name, "rustup");
        assert_eq!(rustup.aliases, ["rustup"]);
        assert_eq!(
            rustup.urls,
            ["https://github.com/rust-lang-nursery/rustup.rs"]
        );
        // Written plainly, as a tool is: no evidence needed.
        assert_eq!(rustup.match_rule, MatchRule::Normal);
        assert_eq!(rustup.source, Source::LinkDerived);
    }

    #[test]
    fn a_tracker_named_by_a_word_or_by_the_dictionary_is_no_project() {
        // Written plainly in 17 issues, tied to its one issue link only.
        let website = tracker_evidence(
            "https://github.com/etcd-io/website",
            1,
            1,
            1,
            "website",
            17,
            20,
        );
        assert!(decide(&website, &[]).projects.is_empty());
        // An English word.
        let community = tracker_evidence(
            "https://github.com/kubernetes/community",
            300,
            200,
            200,
            "community",
            250,
            400,
        );
        assert!(decide(&community, &[]).projects.is_empty());
        // Written in fewer issues than link it: the links are the topic.
        let walkdir = tracker_evidence(
            "https://github.com/burntsushi/walkdir",
            32,
            7,
            7,
            "walkdir",
            7,
            11,
        );
        assert!(decide(&walkdir, &[]).projects.is_empty());
        // A dictionary entry that lists the repository keeps it.
        let cargo = tracker_evidence(
            "https://github.com/rust-lang/cargo",
            225,
            100,
            100,
            "cargo",
            200,
            10,
        );
        let entry = Entity {
            id: "tool:cargo".into(),
            name: "Cargo".into(),
            kind: EntityKind::Tool,
            aliases: vec![],
            urls: vec!["https://github.com/rust-lang/cargo".into()],
            category: String::new(),
            cncf: String::new(),
            match_rule: MatchRule::Normal,
            sig: String::new(),
            source: Default::default(),
        };
        assert!(decide(&cargo, &[entry]).projects.is_empty());
        // The newsletter's own repository.
        let own = tracker_evidence(
            "https://github.com/cmr/this-week-in-rust",
            40,
            30,
            30,
            "this-week-in-rust",
            100,
            0,
        );
        assert!(decide(&own, &[]).projects.is_empty());
    }

    #[test]
    fn written_words_are_split_at_every_kind_of_whitespace() {
        // An ideographic space, a no-break space and a vertical tab part
        // words as a space does: `tokio` is written, `owner/repo` beside it
        // is a path, not writing.
        let mut spellings = FxHashMap::default();
        count_written(
            "tokio\u{3000}tokio-rs/tokio mio\u{a0}x/y\x0bserde\x0bz/w 日本語rayon",
            &mut spellings,
        );
        let mut words: Vec<(&str, u32)> = spellings.into_iter().collect();
        words.sort();
        assert_eq!(
            words,
            [("mio", 1), ("rayon", 1), ("serde", 1), ("tokio", 1)]
        );
    }

    #[test]
    fn a_tracker_name_is_its_repository_name_less_a_dotted_affix() {
        let mut spellings = FxHashMap::default();
        count_written(
            "rustup: fix it. Use rustup.rs or rust-url, see [gcc](https://github.com/alexcrichton/gcc-rs) \
             and rust-lang/rustup.rs#12 at https://rustup.rs/x",
            &mut spellings,
        );
        let mut written: FxHashMap<Box<str>, WrittenTally> = FxHashMap::default();
        add_written(&mut written, spellings, 1);
        let mut words: Vec<&str> = written.keys().map(|w| &**w).collect();
        words.sort();
        assert_eq!(
            words,
            [
                "and",
                "at",
                "fix",
                "gcc",
                "it",
                "or",
                "rust-url",
                "rustup",
                "rustup.rs",
                "see",
                "use"
            ]
        );
        for (word, tally) in written.iter_mut() {
            tally.issues = if &**word == "rustup" { 39 } else { 3 };
        }
        let evidence = Evidence {
            written,
            ..Default::default()
        };
        // The name less its dotted affix, written in more issues.
        assert_eq!(
            written_name("rustup.rs", &evidence).map(|(word, _)| word),
            Some("rustup".to_string())
        );
        assert_eq!(
            written_name("rust-url", &evidence).map(|(word, _)| word),
            Some("rust-url".to_string())
        );
        // `gcc-rs` binds GCC: its affix stays, and "gcc-rs" is not written.
        assert_eq!(
            written_name("gcc-rs", &evidence).map(|(word, _)| word),
            None
        );
    }
}
