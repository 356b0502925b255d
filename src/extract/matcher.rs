//! Finding dictionary names in text: every alias of every entity at once.
//!
//! One Aho-Corasick automaton holds every alias, ASCII-case-insensitive,
//! and reports overlapping matches; each match is then checked against the
//! aliases it stands for (the case for `exact` and `strict` aliases, whole
//! words, the context for `strict`), and of the accepted matches the
//! leftmost-longest win. Checking before choosing matters: a longer alias
//! that fails its check must not hide a shorter one that passes.
//!
//! # Whole words
//!
//! A match is a whole word when neither neighbour glues onto it: an ASCII
//! letter or digit or `_` glues ("Golang" is not Go, "coiled" is not Coil);
//! so does `-` or `.` with an ASCII letter or digit beyond it ("go-cmp" is
//! not Go, "helm.sh" is not Helm in prose), since those make one longer
//! name. Japanese characters do not glue: Japanese has no spaces, so
//! "Tenetという" and "KubernetesのProbe" name Tenet and Kubernetes. A
//! version right after the name does not glue either ("Go1.20"). Nor does
//! an ASCII letter glue onto a name's Japanese end: "Kubernetesマルチテナンシー"
//! names both.
//!
//! # Strict names
//!
//! Names that are also English words (Go, Kind, Flux, Helm, Coil, Vault,
//! Tilt, Argo, Stern, …) are `strict`: written exactly as the alias, and
//! standing where only a product name would. A strict match counts when
//! one of these holds:
//! 1. a version follows it ("Helm 3.10", "Go1.20", "kind v0.17.0");
//! 2. Japanese text is next to it, on either side, across spaces, quotes
//!    and emphasis marks ("kindを利用したe2eテスト", "coil の新しいバージョン"):
//!    in Japanese prose an ASCII word is a name, never an English word;
//! 3. it is the text of a link to the entity's repository or homepage
//!    ("[kind](https://github.com/kubernetes-sigs/kind)"), or stands in the
//!    title of an item that links there;
//! 4. the alias is capitalised and stands inside an English sentence: not
//!    at the start of a line, not after `.`, `!`, `?`, `:` or `;`, not
//!    after another capitalised word ("Hong Kong", "OpenID Connect"; "The"
//!    and such function words aside), and not
//!    in a title written in Title Case (where every word is capitalised, so
//!    capitals say nothing), and, for a link-derived project's name, not
//!    before another capitalised word ("Metrics API"). Lowercase strict aliases ("kind", "stern")
//!    never count by rule 4: lowercase in English prose is the word;
//! 5. for a link-derived project with a registry page only, it is written as code:
//!    `` `bytes` `` or `` `log::info!` `` (a package name in code is the
//!    package; a dictionary's strict words are also fields, `` `kind` ``).
//!    The parsed text no longer holds the backticks, so the issue's code
//!    spans ([`CodeSpans`]) are spent one per occurrence, in reading order.
//!
//! A dictionary name that the corpus writes mostly as a type in code
//! (`Box<T>`, `Box::new`: [`Matcher::with_type_names`]) is strict too, and
//! only rules 1–3 count for it, as for a short acronym.
//!
//! Only strict aliases that could be a word need the context: one run of
//! ASCII letters, capitalised at most at the start. A strict entity's
//! other aliases ("HashiCorp Vault", "FluxCD", "Go言語") need only the case.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use crate::extract::spans::Spans;
use crate::model::{Entity, MatchRule};

/// One alias as the dictionary wrote it.
#[derive(Debug)]
struct Alias {
    entity: usize,
    text: Box<str>,
    rule: MatchRule,
    /// Code formatting makes the name the project (`bytes`): true for
    /// link-derived projects with a registry page, whose names are package
    /// names. A dictionary's strict names are also words in code (`kind:`).
    code_is_evidence: bool,
    /// A link-derived project's name: a capital right after it makes it
    /// the head of a longer name ("Metrics API", "Application Survey").
    link_derived: bool,
    /// The corpus writes this name mostly as a type in code (`Box<T>`,
    /// `Box::new`): only a version, Japanese text or a link to the entity
    /// make it the product, never capitals alone.
    needs_evidence: bool,
    /// A short acronym that is the entity's whole name ("SAP", "IBM", "SAP
    /// (KCSP)" less its membership note), not a product's note
    /// ("ECS" of "Amazon Elastic Container Service (ECS)") nor a
    /// link-derived project's name (serde-rs/xml, written "XML", is the
    /// format elsewhere): a company's name in capitals, capitalised like
    /// any name.
    is_own_name: bool,
    /// For a short acronym of a product: its vendor's names ("Amazon",
    /// and the names of the vendor's organisation, "AWS"), which make the
    /// acronym the product in the sentence that writes them ("AWS EBS").
    vendor_names: Vec<Box<str>>,
    /// The spaced form of a dictionary name written with `-` or `_`
    /// ("ingress nginx" of `ingress-nginx`): it counts only written as a
    /// name, with a capital past its first word ("Ingress NGINX"); in
    /// lowercase ("scheduler plugins", "the Python client") it is a phrase.
    spaced: bool,
}

/// Every alias of every entity, compiled once.
#[derive(Debug)]
pub struct Matcher {
    /// Built at once: cheap to build, slower to search.
    nfa: Option<AhoCorasick>,
    /// Built once [`DFA_AFTER_BYTES`] of text have gone through the NFA:
    /// several times faster to search, but its build costs as much as
    /// searching about 20 MB with the NFA, which a small corpus never
    /// wins back. Both find exactly the same matches.
    dfa: std::sync::OnceLock<Option<AhoCorasick>>,
    scanned: std::sync::atomic::AtomicU64,
    dfa_after: u64,
    patterns: Vec<String>,
    /// Per automaton pattern: the aliases that fold (ASCII case) to it.
    aliases: Vec<Vec<Alias>>,
}

const DFA_AFTER_BYTES: u64 = 16 << 20;

/// Where a piece of text stands, for the strict-name rules.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Links of the surrounding item that point at a dictionary entity
    /// (by repository or homepage): the entity and the link's text.
    pub linked: &'a [(usize, &'a str)],
    /// A title or heading (or a link's text, which is one).
    pub is_title: bool,
    /// Byte ranges not to look in (URLs written in the text).
    pub masked: &'a Spans,
    /// The issue's code spans, for rule 5.
    pub code: &'a CodeSpans,
}

/// The names an issue writes as inline code (`` `bytes` ``, the `log` of
/// `` `log::info!` ``), with how often. The parsed text holds code as
/// plain text, so a code span is matched to an occurrence of its name by
/// count: the first occurrences in reading order take them, one each.
#[derive(Debug, Default)]
pub struct CodeSpans {
    left: std::cell::RefCell<rustc_hash::FxHashMap<String, u32>>,
}

impl CodeSpans {
    pub fn new(code: &[crate::model::CodeText]) -> CodeSpans {
        let mut left: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
        for span in code.iter().filter(|span| !span.is_block) {
            let written = span.text.trim();
            let head = written.split("::").next().unwrap_or(written);
            let head = head.trim_end_matches(['!', '(', ')', ';']);
            if !head.is_empty()
                && head
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            {
                *left.entry(head.to_string()).or_default() += 1;
            }
        }
        CodeSpans {
            left: std::cell::RefCell::new(left),
        }
    }

    /// Takes one code span written exactly as `name`, if one is left.
    fn take(&self, name: &str) -> bool {
        let Ok(mut left) = self.left.try_borrow_mut() else {
            return false;
        };
        match left.get_mut(name) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        }
    }
}

/// An entity named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'t> {
    pub entity: usize,
    pub start: usize,
    pub end: usize,
    pub surface: &'t str,
    pub version: Option<&'t str>,
}

/// A link-derived project with a registry page (crates.io, npm, PyPI, …):
/// its name written as code is the package (`` `rand` ``). A repository
/// alone gives code no such weight: `` `alias` `` and `` `proc` `` are the
/// language's attribute and keyword, whatever repository took the name.
fn is_a_package(entity: &Entity) -> bool {
    entity.source == crate::model::Source::LinkDerived
        && entity.urls.iter().any(|url| {
            crate::extract::url::UrlParts::parse(url)
                .and_then(crate::extract::links::project_home)
                .is_some_and(|key| matches!(key, crate::extract::url::ProjectKey::Package(_)))
        })
}

/// Every alias in ASCII lowercase, for a text in ASCII lowercase
/// ([`Matcher::find`]): the matches of an ASCII-case-insensitive
/// automaton, at the same offsets (lowercasing ASCII moves no byte), from
/// an automaton built in about a third of the time — a build the second
/// pass waits for. Only an automaton too large for memory fails to build,
/// and then nothing matches by alias rather than the run stopping.
fn build_automaton(patterns: &[String], kind: Option<AhoCorasickKind>) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(patterns)
        .ok()
}

impl Matcher {
    pub fn new(entities: &[Entity]) -> Matcher {
        Matcher::with_type_names(entities, &[])
    }

    /// A matcher where the dictionary's one-word names in `type_names`
    /// (lowercase, sorted: the words the corpus writes mostly as types in
    /// code) count only with evidence. A link-derived project's name in
    /// code is the package, so it keeps its rules.
    pub fn with_type_names(entities: &[Entity], type_names: &[String]) -> Matcher {
        let vendors = VendorNames::new(entities);
        let mut folded_to_pattern: std::collections::HashMap<String, usize> = Default::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut aliases: Vec<Vec<Alias>> = Vec::new();
        for (position, entity) in entities.iter().enumerate() {
            // A link-derived project's name is among its aliases when no
            // other entity claims it; when one does, it must not match.
            let own_name =
                (entity.source != crate::model::Source::LinkDerived).then_some(&entity.name);
            let link_derived = entity.source == crate::model::Source::LinkDerived;
            let written: Vec<&String> = own_name.into_iter().chain(entity.aliases.iter()).collect();
            let writes = |variant: &str| {
                written
                    .iter()
                    .any(|name| name.trim().eq_ignore_ascii_case(variant))
            };
            // A dictionary's `ingress-nginx` is also written "Ingress
            // NGINX" (a link-derived project's aliases already hold the
            // corpus's spellings).
            let names: Vec<(String, bool)> = written
                .iter()
                .flat_map(|name| {
                    let variant = (!link_derived)
                        .then(|| spaced_variant(name.trim()))
                        .flatten()
                        .filter(|variant| !writes(variant));
                    std::iter::once((name.trim().to_string(), false))
                        .chain(variant.map(|variant| (variant, true)))
                })
                .collect();
            let code_is_evidence = is_a_package(entity);
            for (name, spaced) in &names {
                let name = name.as_str();
                if !worth_matching(name) {
                    continue;
                }
                let folded = name.to_ascii_lowercase();
                let pattern = *folded_to_pattern.entry(folded.clone()).or_insert_with(|| {
                    patterns.push(folded);
                    aliases.push(Vec::new());
                    patterns.len() - 1
                });
                let known = aliases[pattern]
                    .iter()
                    .any(|a| a.entity == position && &*a.text == name);
                if !known {
                    let short_acronym = is_short_acronym(name);
                    let needs_evidence = !link_derived
                        && could_be_a_word(name)
                        && type_names.binary_search(&patterns[pattern]).is_ok();
                    aliases[pattern].push(Alias {
                        entity: position,
                        text: name.into(),
                        rule: if needs_evidence {
                            MatchRule::Strict
                        } else {
                            entity.match_rule
                        },
                        code_is_evidence,
                        link_derived,
                        needs_evidence,
                        spaced: *spaced,
                        is_own_name: short_acronym
                            && !link_derived
                            && own_name_of(&entity.name) == name,
                        vendor_names: if short_acronym {
                            vendors.of(entity)
                        } else {
                            Vec::new()
                        },
                    });
                }
            }
        }
        Matcher {
            nfa: build_automaton(&patterns, None),
            dfa: std::sync::OnceLock::new(),
            scanned: std::sync::atomic::AtomicU64::new(0),
            dfa_after: DFA_AFTER_BYTES,
            patterns,
            aliases,
        }
    }

    /// The DFA once it is built, else the NFA. The one thread whose text
    /// crosses the threshold builds the DFA; the others go on with the NFA
    /// meanwhile instead of waiting for it.
    fn automaton(&self, text_len: usize) -> Option<&AhoCorasick> {
        use std::sync::atomic::Ordering;
        if let Some(Some(dfa)) = self.dfa.get() {
            return Some(dfa);
        }
        let len = text_len as u64;
        let before = self.scanned.fetch_add(len, Ordering::Relaxed);
        if before < self.dfa_after && before + len >= self.dfa_after {
            // A dictionary too large for a DFA keeps the NFA.
            let _ = self
                .dfa
                .set(build_automaton(&self.patterns, Some(AhoCorasickKind::DFA)));
        }
        self.nfa.as_ref()
    }

    /// Every entity named in `text`, leftmost-longest, in text order.
    pub fn find<'t>(&self, text: &'t str, context: Context<'_>) -> Vec<Found<'t>> {
        let Some(automaton) = self.automaton(text.len()) else {
            return Vec::new();
        };
        // Asked only by strict names, which are few: computed on demand.
        let mut title_case: Option<bool> = None;
        let mut accepted: Vec<(usize, usize, usize)> = Vec::new();
        let mut link_texts = LinkTextIndex::new(context.linked);
        let lowercase = text.to_ascii_lowercase();
        for hit in automaton.find_overlapping_iter(&lowercase) {
            let (start, end) = (hit.start(), hit.end());
            if !is_whole_word(text, start, end) || context.masked.contains(start) {
                continue;
            }
            let written = &text[start..end];
            for alias in &self.aliases[hit.pattern().as_usize()] {
                let case_ok = alias.rule == MatchRule::Normal || *alias.text == *written;
                if !case_ok {
                    continue;
                }
                if alias.spaced
                    && (!capitalised_past_first_word(written)
                        || *title_case
                            .get_or_insert_with(|| context.is_title && is_title_case(text)))
                {
                    continue;
                }
                if alias.rule == MatchRule::Strict
                    && (could_be_a_word(&alias.text) || is_short_acronym(&alias.text))
                    && !strict_context_holds(
                        text,
                        start,
                        end,
                        alias,
                        context,
                        &mut title_case,
                        &mut link_texts,
                    )
                {
                    continue;
                }
                accepted.push((start, end, alias.entity));
            }
        }
        accepted.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        accepted.dedup();
        let mut found = Vec::new();
        let mut covered_until = 0;
        let mut last_span = (usize::MAX, usize::MAX);
        for (start, end, entity) in accepted {
            // Two entities sharing one alias are both named by it.
            let same_span = (start, end) == last_span;
            if start < covered_until && !same_span {
                continue;
            }
            covered_until = end;
            last_span = (start, end);
            found.push(Found {
                entity,
                start,
                end,
                surface: &text[start..end],
                version: version_after(text, end),
            });
        }
        found
    }
}

/// One-letter ASCII names ("C", "R") would match every stray letter.
fn worth_matching(name: &str) -> bool {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => !c.is_ascii(),
        _ => true,
    }
}

fn glues(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// See the module comment: letters, digits, `_`, and `-`/`.` joining a
/// longer ASCII name glue; Japanese and punctuation do not. Gluing is
/// between letters of one script: an ASCII letter does not glue onto the
/// Japanese end of a name ("CNCFのマルチテナンシー", "Kubernetesマルチテナンシー"),
/// since Japanese prose writes a Japanese word straight after an English one.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let name = &text[start..end];
    let starts_japanese = name.chars().next().is_some_and(is_japanese);
    let ends_japanese = name.chars().next_back().is_some_and(is_japanese);
    let mut before = text[..start].chars().rev();
    let left_ok = starts_japanese
        || match before.next() {
            None => true,
            Some(c) if glues(c) => false,
            Some('-' | '.') => !before.next().is_some_and(|c| c.is_ascii_alphanumeric()),
            Some(_) => true,
        };
    if !left_ok {
        return false;
    }
    if ends_japanese {
        return true;
    }
    let mut after = text[end..].chars();
    match after.next() {
        None => true,
        Some(c) if c.is_ascii_digit() => {
            let ends_in_letter = text[..end].ends_with(|c: char| c.is_ascii_alphabetic());
            ends_in_letter && version_after(text, end).is_some()
        }
        Some(c) if glues(c) => false,
        Some('-' | '.') => !after.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(_) => true,
    }
}

static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]?((?:[vV]\d+(?:\.\d+){0,2}|\d+\.\d+(?:\.\d+)?)(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)")
        .expect("valid regex")
});

/// Compiles the patterns ahead of their first use (see
/// [`super::Extractor::build_lookups`]).
pub fn compile_patterns() {
    LazyLock::force(&VERSION);
}

/// The version written right after a name: "v0.13.0", "1.25", "v2".
/// A bare number without a dot ("Kubernetes 2 clusters") is not one.
pub fn version_after(text: &str, end: usize) -> Option<&str> {
    let rest = &text[end..];
    // Most names are followed by no version: rule them out before the
    // regex runs. A version starts with `v`, `V` or a digit, after at most
    // one space or tab.
    let bytes = rest.as_bytes();
    let first = usize::from(matches!(bytes.first(), Some(b' ' | b'\t')));
    if !matches!(bytes.get(first), Some(b'v' | b'V' | b'0'..=b'9')) {
        return None;
    }
    let rest = &rest[..floor_char_boundary(rest, 48)];
    let captures = VERSION.captures(rest)?;
    let version = captures.get(1)?;
    let after = &rest[version.end()..];
    // "1.25" must end there: not "1.25x" nor an IP address.
    let glued = after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let longer_number =
        after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
    (!glued && !longer_number).then_some(version.as_str())
}

/// The largest char boundary ≤ `at`.
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Hiragana, katakana, CJK ideographs, and the full-width punctuation that
/// Japanese prose uses.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// Spaces, quotes and emphasis between a name and its neighbour.
fn is_transparent(c: char) -> bool {
    matches!(c, ' ' | '\t' | '`' | '"' | '\'' | '*' | '_')
}

/// The nearest character before `start` on the same line, skipping
/// spaces, quotes and emphasis marks.
fn neighbour_before(text: &str, start: usize) -> Option<char> {
    text[..start]
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .find(|&c| !is_transparent(c))
}

fn neighbour_after(text: &str, end: usize) -> Option<char> {
    text[end..]
        .chars()
        .take_while(|&c| c != '\n')
        .find(|&c| !is_transparent(c))
}

pub fn next_to_japanese(text: &str, start: usize, end: usize) -> bool {
    neighbour_before(text, start).is_some_and(is_japanese)
        || neighbour_after(text, end).is_some_and(is_japanese)
}

/// A strict acronym ("ECS") needs its context too, and only rules 1–3
/// give it: capitals are how every acronym is written.
fn is_short_acronym(alias: &str) -> bool {
    crate::extract::dictionary::is_short_acronym(alias)
}

/// Only a strict alias that could be an English word needs its context:
/// one run of ASCII letters, capitalised at most at its start ("Vault",
/// "kind"). "HashiCorp Vault", "FluxCD", "flux2" and "Go言語" are names
/// wherever they stand; their case still has to match.
fn could_be_a_word(alias: &str) -> bool {
    let mut letters = alias.chars();
    letters.next().is_some_and(|c| c.is_ascii_alphabetic())
        && letters.all(|c| c.is_ascii_lowercase())
}

fn strict_context_holds(
    text: &str,
    start: usize,
    end: usize,
    alias: &Alias,
    context: Context<'_>,
    title_case: &mut Option<bool>,
    link_texts: &mut LinkTextIndex<'_>,
) -> bool {
    // "Box<T>", "Box::new": a type in code, not the product.
    let rest = &text[end..];
    if rest.starts_with('<') || rest.starts_with("::") {
        return false;
    }
    if version_after(text, end).is_some()
        || (alias.code_is_evidence
            && (in_code(text, start, end) || context.code.take(&text[start..end])))
        || next_to_japanese(text, start, end)
        || is_link_to_it(text, start, end, alias.entity, context, link_texts)
    {
        return true;
    }
    if !alias.vendor_names.is_empty() && vendor_named_in_sentence(text, start, end, alias) {
        return true;
    }
    // Capitals say nothing of a product's acronym, which is always
    // written so; a company's acronym name is its name.
    let capitalised = alias.text.starts_with(|c: char| c.is_ascii_uppercase());
    if !capitalised || (is_short_acronym(&alias.text) && !alias.is_own_name) || alias.needs_evidence
    {
        return false;
    }
    let title_case = *title_case.get_or_insert_with(|| context.is_title && is_title_case(text));
    if title_case {
        return false;
    }
    let before = text[..start]
        .chars()
        .rev()
        .take_while(|&c| c != '\n')
        .find(|&c| !matches!(c, ' ' | '\t' | '`' | '"' | '\'' | '*' | '_' | '(' | '['));
    let sentence_initial = match before {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | ':' | ';' | '#' | '-' | '>' | '|' | '+'),
    };
    let heads_a_longer_name = alias.link_derived && starts_a_longer_proper_name(text, end);
    !(sentence_initial || ends_a_longer_proper_name(text, start) || heads_a_longer_name)
}

/// The sentence around `start..end` (up to `. `, `!`, `?` or a line
/// break) writes, as a whole word and in its case, a name of the
/// acronym's vendor ("AWS EBS works for Windows hosts").
fn vendor_named_in_sentence(text: &str, start: usize, end: usize, alias: &Alias) -> bool {
    let is_stop = |c: char| matches!(c, '\n' | '!' | '?');
    let from = text[..start]
        .rfind(|c: char| is_stop(c))
        .map_or(0, |at| at + 1)
        .max(text[..start].rfind(". ").map_or(0, |at| at + 2));
    let to = text[end..]
        .find(|c: char| is_stop(c))
        .map_or(text.len(), |at| end + at)
        .min(text[end..].find(". ").map_or(text.len(), |at| end + at));
    let sentence = &text[from..to];
    // The vendor's name opening a compound counts too: "AWS-CSI-driver-EBS
    // … provides a CSI driver for EBS".
    alias.vendor_names.iter().any(|vendor| {
        sentence.match_indices(&**vendor).any(|(at, _)| {
            let at = from + at;
            let end = at + vendor.len();
            let opens_a_compound = text[end..].starts_with('-')
                && !text[..at].ends_with(|c: char| glues(c) || c == '-' || c == '.');
            at != start && (is_whole_word(text, at, end) || opens_a_compound)
        })
    })
}

/// A name without its trailing note in parentheses: "SAP" of "SAP
/// (KCSP)", where the note is the kind of membership, not the name.
fn own_name_of(name: &str) -> &str {
    let name = name.trim();
    match name.strip_suffix(')').and_then(|head| head.rfind(" (")) {
        Some(at) => name[..at].trim_end(),
        None => name,
    }
}

/// Per first word of a name ("Amazon"), the names of the organisations
/// named so ("Amazon Web Services", "AWS"): the vendor of every product
/// whose name opens with that word ("Amazon Elastic Block Store (EBS)").
struct VendorNames {
    by_first_word: std::collections::HashMap<String, Vec<Box<str>>>,
}

impl VendorNames {
    fn new(entities: &[Entity]) -> VendorNames {
        let mut by_first_word: std::collections::HashMap<String, Vec<Box<str>>> =
            Default::default();
        for entity in entities {
            let Some(word) = vendor_word(&entity.name) else {
                continue;
            };
            let names = by_first_word.entry(word.to_string()).or_default();
            if !names.iter().any(|n| &**n == word) {
                names.push(word.into());
            }
            if entity.kind != crate::model::EntityKind::Org {
                continue;
            }
            for name in std::iter::once(&entity.name).chain(&entity.aliases) {
                let name = name.trim();
                if worth_matching(name) && !names.iter().any(|n| &**n == name) {
                    names.push(name.into());
                }
            }
        }
        VendorNames { by_first_word }
    }

    fn of(&self, entity: &Entity) -> Vec<Box<str>> {
        vendor_word(&entity.name)
            .and_then(|word| self.by_first_word.get(word))
            .cloned()
            .unwrap_or_default()
    }
}

/// The first word of a name of several words, when it is capitalised and
/// no acronym of its own: "Amazon" of "Amazon Web Services".
fn vendor_word(name: &str) -> Option<&str> {
    let mut words = name.split_whitespace();
    let first = words.next()?;
    words.next()?;
    let mut chars = first.chars();
    (first.len() >= 3
        && chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_lowercase()))
    .then_some(first)
}

/// "Ingress NGINX", "Kube Controller Manager": a capital in a word after
/// the first.
fn capitalised_past_first_word(written: &str) -> bool {
    written
        .split(' ')
        .skip(1)
        .any(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// `ingress-nginx` → "ingress nginx": a dictionary name of several parts
/// joined by `-` or `_` is written with spaces too, unless every part is
/// an ordinary English word (`node-problem-detector` spaced is a phrase).
fn spaced_variant(name: &str) -> Option<String> {
    if !name.contains(['-', '_']) || name.contains(' ') || !name.is_ascii() {
        return None;
    }
    let parts: Vec<&str> = name.split(['-', '_']).collect();
    let all_letters = parts
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphabetic()));
    let any_not_english = parts
        .iter()
        .any(|part| !crate::extract::projects::is_english(&part.to_ascii_lowercase()));
    (all_letters && parts.len() >= 2 && any_not_english).then(|| parts.join(" "))
}

/// "Metrics API", "Application Controller": a capitalised word right
/// after a link-derived project's ordinary-word name makes the name the
/// head of another name. (A dictionary's strict names keep theirs: "Helm
/// Chart" is Helm.)
fn starts_a_longer_proper_name(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let after = rest.trim_start_matches([' ', '*', '_']);
    after.len() < rest.len()
        && !rest.starts_with("  ")
        && after.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Rule 5: the name is a code span of its own (`` `bytes` ``), or opens
/// one (`` `log::info!` ``).
fn in_code(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    start > 0
        && bytes[start - 1] == b'`'
        && (bytes.get(end) == Some(&b'`') || text[end..].starts_with("::"))
}

/// "Hong Kong", "OpenID Connect", "HTTP2 \"Go Away\"": a capitalised word
/// right before makes the strict name the tail of another name. A
/// capitalised function word ("The Helm project") does not.
fn ends_a_longer_proper_name(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '"', '\'', '`', '*']);
    if before.len() == text[..start].len() {
        return false;
    }
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_ascii_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    const FUNCTION_WORDS: &[&str] = &[
        "A", "An", "And", "As", "At", "By", "For", "From", "If", "In", "Is", "Of", "On", "Or",
        "Our", "The", "This", "That", "To", "Use", "Using", "With", "Your",
    ];
    word.starts_with(|c: char| c.is_ascii_uppercase()) && !FUNCTION_WORDS.contains(&word)
}

/// Rule 3: in a title (a link's text is one), any link of the item to the
/// entity; in prose, the name must lie inside the text of such a link
/// ("[kind](https://github.com/kubernetes-sigs/kind)" but not "some kind of"
/// elsewhere in the same item).
fn is_link_to_it(
    text: &str,
    start: usize,
    end: usize,
    entity: usize,
    context: Context<'_>,
    link_texts: &mut LinkTextIndex<'_>,
) -> bool {
    if context.is_title {
        return context.linked.iter().any(|(linked, _)| *linked == entity);
    }
    link_texts.covers(text, entity, start, end)
}

/// Where the text of each link to an entity occurs in one text, searched
/// once per link and only when a strict name asks: a long line with many
/// strict names would otherwise search the whole line once per name.
struct LinkTextIndex<'c> {
    linked: &'c [(usize, &'c str)],
    /// Per link: the starts of its text's non-overlapping occurrences.
    occurrences: Vec<Option<Vec<usize>>>,
}

impl<'c> LinkTextIndex<'c> {
    fn new(linked: &'c [(usize, &'c str)]) -> LinkTextIndex<'c> {
        LinkTextIndex {
            linked,
            occurrences: vec![None; linked.len()],
        }
    }

    /// Whether the text of a link to `entity` covers `start..end`.
    fn covers(&mut self, text: &str, entity: usize, start: usize, end: usize) -> bool {
        for (position, &(linked, link_text)) in self.linked.iter().enumerate() {
            let link_text = link_text.trim();
            if linked != entity || link_text.is_empty() {
                continue;
            }
            let starts = self.occurrences[position]
                .get_or_insert_with(|| text.match_indices(link_text).map(|(at, _)| at).collect());
            // Occurrences do not overlap, so the last one starting at or
            // before `start` reaches furthest.
            let before = starts.partition_point(|&at| at <= start);
            if before > 0 && end <= starts[before - 1] + link_text.len() {
                return true;
            }
        }
        false
    }
}

/// A title in Title Case: three in four of its longer English words
/// capitalised (a sentence-case title keeps "clusters", "with" lowercase).
pub fn is_title_case(text: &str) -> bool {
    let mut words = 0;
    let mut capitalised = 0;
    // Bytes, not chars: a multi-byte character is no ASCII letter, and
    // neither is any of its bytes.
    for word in text.as_bytes().split(|b| !b.is_ascii_alphabetic()) {
        if word.len() < 4 {
            continue;
        }
        words += 1;
        if word.first().is_some_and(u8::is_ascii_uppercase) {
            capitalised += 1;
        }
    }
    words >= 2 && capitalised * 4 >= words * 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn entity(id: &str, aliases: &[&str], rule: MatchRule) -> Entity {
        Entity {
            id: id.into(),
            name: aliases[0].into(),
            kind: EntityKind::Tool,
            aliases: aliases[1..].iter().map(|a| a.to_string()).collect(),
            urls: vec![],
            category: String::new(),
            cncf: String::new(),
            match_rule: rule,
            sig: String::new(),
            source: Default::default(),
        }
    }

    fn entities() -> Vec<Entity> {
        vec![
            entity("neco:tenet", &["Tenet"], MatchRule::Normal),
            entity("tool:go", &["Go"], MatchRule::Strict),
            entity("tool:kind", &["kind", "KinD"], MatchRule::Strict),
            entity("neco:coil", &["Coil", "coil"], MatchRule::Strict),
            entity("tool:kubernetes", &["Kubernetes", "K8s"], MatchRule::Normal),
            entity("tool:argo-cd", &["Argo CD", "ArgoCD"], MatchRule::Normal),
            entity("tool:argo", &["Argo"], MatchRule::Strict),
            entity("tool:helm", &["Helm"], MatchRule::Strict),
            entity("tool:kong", &["Kong"], MatchRule::Strict),
            entity(
                "topic:multi-tenancy",
                &["multi-tenancy", "マルチテナンシー"],
                MatchRule::Normal,
            ),
        ]
    }

    fn names(
        text: &str,
        linked: &[(usize, &str)],
        is_title: bool,
    ) -> Vec<(String, String, Option<String>)> {
        let entities = entities();
        let matcher = Matcher::new(&entities);
        let context = Context {
            linked,
            is_title,
            masked: &Spans::default(),
            code: &CodeSpans::default(),
        };
        matcher
            .find(text, context)
            .into_iter()
            .map(|f| {
                (
                    entities[f.entity].id.clone(),
                    f.surface.to_string(),
                    f.version.map(String::from),
                )
            })
            .collect()
    }

    /// The DFA that takes over on large corpora finds what the NFA finds.
    #[test]
    fn the_dfa_finds_what_the_nfa_finds() {
        let entities = entities();
        let text = "Tenet と Coil を Kubernetes v1.25 で。ArgoCD, Argo CD 2.5 and Go 1.19; \
                    KinD, kind v0.17, Helm 3, multi-tenancy マルチテナンシー K8s";
        let context = Context {
            linked: &[],
            is_title: false,
            masked: &Spans::default(),
            code: &CodeSpans::default(),
        };
        let found = |matcher: &Matcher| -> Vec<(usize, usize, usize)> {
            matcher
                .find(text, context)
                .into_iter()
                .map(|f| (f.entity, f.start, f.end))
                .collect()
        };
        let with_nfa = Matcher::new(&entities);
        let before = found(&with_nfa);
        assert!(with_nfa.dfa.get().is_none());
        let mut with_dfa = Matcher::new(&entities);
        with_dfa.dfa_after = 1;
        found(&with_dfa); // crosses the threshold: builds the DFA
        assert!(matches!(with_dfa.dfa.get(), Some(Some(_))));
        assert_eq!(found(&with_dfa), before);
        assert!(before.len() >= 10, "{before:?}");
    }

    fn ids(text: &str) -> Vec<String> {
        names(text, &[], false)
            .into_iter()
            .map(|(id, _, _)| id)
            .collect()
    }

    #[test]
    fn japanese_is_a_word_boundary() {
        assert_eq!(ids("Tenetという新しいツール"), ["neco:tenet"]);
        assert_eq!(ids("KubernetesのProbe"), ["tool:kubernetes"]);
        assert_eq!(ids("マルチテナンシーを実現"), ["topic:multi-tenancy"]);
        assert_eq!(ids("kindを利用したe2eテスト"), ["tool:kind"]);
        assert_eq!(
            ids("CNI プラグインである coil の新しいバージョン"),
            ["neco:coil"]
        );
    }

    #[test]
    fn a_japanese_name_right_after_an_english_word_is_whole() {
        assert_eq!(
            ids("Kubernetesマルチテナンシー"),
            ["tool:kubernetes", "topic:multi-tenancy"]
        );
        assert_eq!(ids("CNCFのマルチテナンシー"), ["topic:multi-tenancy"]);
        assert_eq!(ids("v2マルチテナンシーv3"), ["topic:multi-tenancy"]);
        // The ASCII end of a name still needs its boundary.
        assert_eq!(ids("Tenetsマルチテナンシー"), ["topic:multi-tenancy"]);
    }

    #[test]
    fn strict_acronyms_and_code_need_more_than_capitals() {
        let entities = vec![
            entity("tool:ecs", &["Amazon ECS", "ECS"], MatchRule::Strict),
            entity("org:box", &["Box"], MatchRule::Strict),
        ];
        let matcher = Matcher::new(&entities);
        let found = |text: &str, linked: &[(usize, &str)]| -> Vec<String> {
            let context = Context {
                linked,
                is_title: false,
                masked: &Spans::default(),
                code: &CodeSpans::default(),
            };
            matcher
                .find(text, context)
                .into_iter()
                .map(|f| entities[f.entity].id.clone())
                .collect()
        };
        assert_eq!(
            found("a game engine with an ECS design", &[]),
            Vec::<String>::new()
        );
        assert_eq!(found("runs on Amazon ECS today", &[]), ["tool:ecs"]);
        assert_eq!(found("ECSでデプロイ", &[]), ["tool:ecs"]);
        assert_eq!(
            found("impl From<String> for Box<Error>", &[]),
            Vec::<String>::new()
        );
        assert_eq!(found("call Box::leak on it", &[]), Vec::<String>::new());
        assert_eq!(found("files shared with Box and others", &[]), ["org:box"]);
    }

    fn found_with(entities: &[Entity], text: &str) -> Vec<(String, String)> {
        let matcher = Matcher::new(entities);
        let context = Context {
            linked: &[],
            is_title: false,
            masked: &Spans::default(),
            code: &CodeSpans::default(),
        };
        matcher
            .find(text, context)
            .into_iter()
            .map(|f| (entities[f.entity].id.clone(), f.surface.to_string()))
            .collect()
    }

    #[test]
    fn a_product_acronym_counts_beside_its_vendor_and_a_company_acronym_alone() {
        let mut aws = entity(
            "org:amazon-web-services",
            &["Amazon Web Services", "AWS"],
            MatchRule::Normal,
        );
        aws.kind = EntityKind::Org;
        let entities = vec![
            aws,
            entity(
                "tool:amazon-elastic-block-store",
                &[
                    "Amazon Elastic Block Store (EBS)",
                    "Amazon Elastic Block Store",
                    "EBS",
                ],
                MatchRule::Strict,
            ),
            entity("tool:sap", &["SAP (KCSP)", "SAP"], MatchRule::Strict),
        ];
        let ids = |text: &str| -> Vec<String> {
            found_with(&entities, text)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(
            ids("AWS EBS works for Windows hosts"),
            ["org:amazon-web-services", "tool:amazon-elastic-block-store"]
        );
        assert_eq!(
            ids("AWS-CSI-driver-EBS provides a CSI driver for EBS, with snapshots"),
            ["tool:amazon-elastic-block-store"]
        );
        // No vendor in the sentence: an acronym of many meanings.
        assert_eq!(
            ids("a driver for EBS volumes. AWS is elsewhere"),
            ["org:amazon-web-services"]
        );
        assert_eq!(ids("EBS is fast"), Vec::<String>::new());
        // "SAP (KCSP)": the note is a membership, SAP is the name itself.
        assert_eq!(ids("the folks at SAP engineering"), ["tool:sap"]);
        // A link-derived project written "XML" (serde-rs/xml) is no
        // company: elsewhere, XML is the format.
        let mut xml = entity(
            "project:github.com/serde-rs/xml",
            &["XML", "XML"],
            MatchRule::Strict,
        );
        xml.source = crate::model::Source::LinkDerived;
        let xml = [xml];
        assert_eq!(
            found_with(&xml, "A vaporware HTML/XML tree library, and XML in prose"),
            Vec::<(String, String)>::new()
        );
        assert_eq!(own_name_of("SAP (KCSP)"), "SAP");
        assert_eq!(
            own_name_of("Amazon Elastic Block Store (EBS)"),
            "Amazon Elastic Block Store"
        );
        assert_eq!(own_name_of("Rust"), "Rust");
    }

    #[test]
    fn a_hyphenated_name_written_with_spaces_counts_with_a_capital_past_its_first_word() {
        let entities = vec![
            entity("tool:ingress-nginx", &["ingress-nginx"], MatchRule::Normal),
            entity("tool:release-notes", &["release-notes"], MatchRule::Normal),
        ];
        assert_eq!(
            found_with(&entities, "Ingress NGINX now supports hostAliases"),
            [(
                "tool:ingress-nginx".to_string(),
                "Ingress NGINX".to_string()
            )]
        );
        assert_eq!(
            found_with(&entities, "an ingress nginx setup"),
            Vec::<(String, String)>::new()
        );
        // Every part an English word: spaced, it is a phrase.
        assert_eq!(spaced_variant("release-notes"), None);
        assert_eq!(
            spaced_variant("ingress-nginx").as_deref(),
            Some("ingress nginx")
        );
        assert_eq!(
            found_with(&entities, "Read the Release Notes first"),
            Vec::<(String, String)>::new()
        );
    }

    #[test]
    fn longer_ascii_words_do_not_match() {
        assert_eq!(ids("Golang"), Vec::<String>::new());
        assert_eq!(ids("the coiled spring"), Vec::<String>::new());
        assert_eq!(ids("we use go-cmp for diffs"), Vec::<String>::new());
        assert_eq!(ids("see helm.sh for more"), Vec::<String>::new());
        assert_eq!(ids("TinyGoは組み込み向け"), Vec::<String>::new());
    }

    #[test]
    fn strict_names_need_a_product_context() {
        assert_eq!(ids("Go to the page and read it."), Vec::<String>::new());
        assert_eq!(ids("What kind of cluster is this?"), Vec::<String>::new());
        assert_eq!(ids("kind: MySQLCluster"), Vec::<String>::new());
        assert_eq!(ids("Let it go 1 time"), Vec::<String>::new());
        assert_eq!(ids("We deploy it with Helm every day."), ["tool:helm"]);
        assert_eq!(ids("Bumps Go1.20 in the build"), ["tool:go"]);
        assert_eq!(ids("bump kind v0.17.0 in CI"), ["tool:kind"]);
        assert_eq!(ids("Helm the ship."), Vec::<String>::new());
        assert_eq!(
            ids("the summit happened in Hong Kong."),
            Vec::<String>::new()
        );
        assert_eq!(
            ids("Handle HTTP2 \"Go Away\" messages"),
            Vec::<String>::new()
        );
        assert_eq!(ids("after that The Helm project moved"), ["tool:helm"]);
        let linked = [(2, "kind")];
        assert_eq!(
            names("the kind project runs clusters", &linked, false)[0].0,
            "tool:kind"
        );
        assert_eq!(
            names("some kind of thing", &[(2, "the kind project")], false),
            []
        );
        assert_eq!(names("kind v2 and kind", &[(2, "")], true).len(), 2);
    }

    #[test]
    fn title_case_titles_say_nothing() {
        assert!(names("Ready Steady Go Fast Track", &[], true).is_empty());
        assert_eq!(
            names("Managing clusters with Helm and Argo", &[], true).len(),
            2
        );
    }

    #[test]
    fn longest_alias_wins_and_versions_are_kept() {
        assert_eq!(
            names("Argo CD v2.6.0 がリリース", &[], false),
            [(
                "tool:argo-cd".to_string(),
                "Argo CD".to_string(),
                Some("v2.6.0".to_string())
            )]
        );
        assert_eq!(
            names("Kubernetes 1.25 and K8s", &[], false),
            [
                (
                    "tool:kubernetes".to_string(),
                    "Kubernetes".to_string(),
                    Some("1.25".to_string())
                ),
                ("tool:kubernetes".to_string(), "K8s".to_string(), None)
            ]
        );
        assert_eq!(version_after("MOCO v0.13.0 では", 4), Some("v0.13.0"));
        assert_eq!(version_after(" 10.0.0.1", 0), None);
        assert_eq!(version_after(" 2 clusters", 0), None);
        assert_eq!(version_after(" 1.27では", 0), Some("1.27"));
    }

    #[test]
    fn masked_ranges_are_skipped() {
        let entities = entities();
        let matcher = Matcher::new(&entities);
        let text = "https://example.com/Tenet Tenet";
        let context = Context {
            linked: &[],
            is_title: false,
            masked: &Spans::new(vec![(0, 25)]),
            code: &CodeSpans::default(),
        };
        let found = matcher.find(text, context);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].start, 26);
    }

    /// A link-derived project named by an ordinary word: a capital after it
    /// makes a longer name; code counts only for a registry's package.
    #[test]
    fn link_derived_strict_names_heads_and_code() {
        let project = |id: &str, name: &str, url: &str| Entity {
            id: id.into(),
            name: name.into(),
            aliases: vec![name.into(), {
                let mut capitalised = name.to_string();
                capitalised[..1].make_ascii_uppercase();
                capitalised
            }],
            urls: vec![url.into()],
            match_rule: MatchRule::Strict,
            source: crate::model::Source::LinkDerived,
            kind: EntityKind::Project,
            ..entity("x", &["x"], MatchRule::Strict)
        };
        let entities = vec![
            project(
                "project:github.com/k/metrics",
                "metrics",
                "https://github.com/k/metrics",
            ),
            project(
                "project:crates.io/rand",
                "rand",
                "https://crates.io/crates/rand",
            ),
            project(
                "project:github.com/h/alias",
                "alias",
                "https://github.com/h/alias",
            ),
        ];
        let matcher = Matcher::new(&entities);
        let code = CodeSpans::new(&[
            crate::model::CodeText {
                text: "rand".into(),
                is_block: false,
            },
            crate::model::CodeText {
                text: "alias".into(),
                is_block: false,
            },
        ]);
        let context = Context {
            linked: &[],
            is_title: false,
            masked: &Spans::default(),
            code: &code,
        };
        let text = "we graduate the Metrics API, and the Metrics crate. \
                    the rand crate and another rand; an alias attribute";
        let found: Vec<(&str, usize)> = matcher
            .find(text, context)
            .into_iter()
            .map(|f| (entities[f.entity].id.as_str(), f.start))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "project:github.com/k/metrics",
                    text.rfind("Metrics").unwrap()
                ),
                ("project:crates.io/rand", text.find("rand").unwrap()),
            ]
        );
    }
}
