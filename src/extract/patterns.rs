//! Entities named by a pattern rather than a dictionary: KEPs.
//!
//! "KEP-2091", "KEP 3157", "KEP-0661" and "KEP #1287" all name a KEP by the
//! number of its tracking issue in kubernetes/enhancements; leading zeros
//! are dropped (`kep:661`). Written as "KEP-2091: Add support for …", the
//! rest of the line is the KEP's title.

use std::sync::LazyLock;

use regex::Regex;

static KEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"KEP(?:-| |-#| #|#)?(\d+)(?:[ \t]*[:：][ \t]*([^\n\[\]]+))?").expect("valid regex")
});

/// Compiles the patterns ahead of their first use (see
/// [`super::Extractor::build_lookups`]).
pub fn compile_patterns() {
    LazyLock::force(&KEP);
}

/// A KEP named in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KepHit<'t> {
    pub number: u32,
    pub start: usize,
    pub end: usize,
    pub surface: &'t str,
    /// What follows "KEP-N:" on the same line, trimmed.
    pub title: Option<&'t str>,
}

/// Titles longer than this are a paragraph that happens to follow a colon.
const MAX_TITLE_LEN: usize = 160;

pub fn find_keps(text: &str) -> Vec<KepHit<'_>> {
    if !text.contains("KEP") {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for captures in KEP.captures_iter(text) {
        let (Some(whole), Some(digits)) = (captures.get(0), captures.get(1)) else {
            continue;
        };
        // "KEPs", "myKEP-1", "KEP-123456": not a KEP number.
        let glued_before = text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if glued_before || digits.len() > 5 {
            continue;
        }
        let glued_after = text[digits.end()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if glued_after {
            continue;
        }
        // "KEP-0000" is the template's placeholder: no KEP is numbered 0.
        let Some(number) = digits.as_str().parse::<u32>().ok().filter(|&n| n > 0) else {
            continue;
        };
        let title = captures
            .get(2)
            .map(|t| {
                t.as_str()
                    .trim()
                    .trim_end_matches(['*', '_', '`', '('])
                    .trim()
            })
            .filter(|t| !t.is_empty() && t.len() <= MAX_TITLE_LEN);
        hits.push(KepHit {
            number,
            start: whole.start(),
            end: digits.end(),
            surface: &text[whole.start()..digits.end()],
            title,
        });
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<u32> {
        find_keps(text).iter().map(|h| h.number).collect()
    }

    #[test]
    fn every_written_form() {
        assert_eq!(
            numbers("KEP-2091, KEP 3157 and KEP-0661"),
            [2091, 3157, 661]
        );
        assert_eq!(numbers("この KEP-0661 において"), [661]);
        assert_eq!(
            numbers("copy KEP-0000 and KEP-0: the template"),
            Vec::<u32>::new()
        );
        assert_eq!(numbers("Kubernetesの新機能提案KEP-3488です"), [3488]);
        assert_eq!(
            numbers("KEPs 12, myKEP-3, KEP-1234567, KEP-12abc"),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn titles_follow_a_colon() {
        let hits = find_keps("KEP-2091: Add support for AdminNetworkPolicy resources\nnext");
        assert_eq!(
            hits[0].title,
            Some("Add support for AdminNetworkPolicy resources")
        );
        assert_eq!(hits[0].surface, "KEP-2091");
        let hits =
            find_keps("#116054: KEP-3488: Implement secondary authz for ValidatingAdmissionPolicy");
        assert_eq!(hits[0].number, 3488);
        assert_eq!(
            hits[0].title,
            Some("Implement secondary authz for ValidatingAdmissionPolicy")
        );
        assert_eq!(find_keps("see KEP 3157 for details")[0].title, None);
    }
}
