//! The intermediate form every format is lowered to: a flat list of blocks
//! in reading order. Markdown, HTML and copied page text each produce it;
//! one outline builder ([`super::outline`]) turns it into sections and items.

use std::sync::LazyLock;

use linkify::{LinkFinder, LinkKind};

use crate::model::LinkRef;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `level` 1 is the issue title, 2 a section, 3 and deeper an item
    /// (or a group of items).
    Heading {
        level: u8,
        text: String,
        links: Vec<LinkRef>,
    },
    Paragraph {
        text: String,
        links: Vec<LinkRef>,
    },
    /// One entry of a list, without its nested lists (they follow as their
    /// own blocks, one `depth` deeper). `continued` marks text of an entry
    /// that resumes after a nested list.
    ListItem {
        depth: usize,
        continued: bool,
        text: String,
        links: Vec<LinkRef>,
    },
    /// A link preview (embedly card): title and description of the page
    /// it links to; its first link is what the card points at.
    Card {
        text: String,
        links: Vec<LinkRef>,
    },
}

impl Block {
    #[cfg(test)]
    pub fn links(&self) -> &[LinkRef] {
        match self {
            Block::Heading { links, .. }
            | Block::Paragraph { links, .. }
            | Block::ListItem { links, .. }
            | Block::Card { links, .. } => links,
        }
    }
}

static URL_FINDER: LazyLock<LinkFinder> = LazyLock::new(|| {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    finder
});

/// Bare URLs written in `text` (with a scheme), as byte ranges.
pub fn bare_urls(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    URL_FINDER
        .links(text)
        .map(|link| (link.start(), link.end(), link.as_str()))
}

/// True when a paragraph says nothing but its link(s): a bare URL line, a
/// `[title](url)` on its own, `#125029 [title](url)`. Such a paragraph
/// names an article rather than discussing one.
pub fn is_link_only(text: &str, links: &[LinkRef]) -> bool {
    // Long paragraphs are prose whatever they link to; the cap also keeps
    // this check from going quadratic on a huge paragraph.
    if links.is_empty() || links.len() > 3 || text.len() > 600 {
        return false;
    }
    let mut rest = text.to_string();
    for link in links {
        let written = if link.text.trim().is_empty() {
            link.url.as_str()
        } else {
            link.text.trim()
        };
        // `replacen(written, "", 1)` in place, without a new string.
        if let Some(at) = rest.find(written) {
            rest.replace_range(at..at + written.len(), "");
        }
    }
    let rest = rest.trim();
    let rest = strip_issue_number(rest);
    rest.chars()
        .all(|c| c.is_whitespace() || c.is_ascii_punctuation() || "・：、。".contains(c))
}

/// `#125029 ` in front of a pull request's title.
fn strip_issue_number(text: &str) -> &str {
    let Some(rest) = text.strip_prefix('#') else {
        return text;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return text;
    }
    &rest[digits..]
}

/// Collapses runs of spaces and tabs (not newlines) and trims each line;
/// drops blank lines.
pub fn tidy(text: &str) -> String {
    joined_words(text, '\n')
}

/// Text on one line: for headings and titles.
pub fn one_line(text: &str) -> String {
    joined_words(text, ' ')
}

/// The words of each line (split at spaces, tabs and no-break spaces),
/// one space between words, `line_break` between non-blank lines. Lines
/// end at `\n` or `\r\n`, as `str::lines` has it. Works on bytes: this
/// runs over every block of every issue.
fn joined_words(text: &str, line_break: char) -> String {
    let mut out = String::with_capacity(text.len());
    for line in lines_inclusive(text) {
        let line = match line.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => line,
        };
        if is_tidy_line(line) {
            // Most lines are already tidy: copy them whole.
            if !line.is_empty() {
                if !out.is_empty() {
                    out.push(line_break);
                }
                out.push_str(line);
            }
            continue;
        }
        let mut words = Words::new(line);
        let Some(first) = words.next() else { continue };
        if !out.is_empty() {
            out.push(line_break);
        }
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
    out
}

/// The lines of `text`, each with its `\n` (the last may have none), as
/// `str::split_inclusive('\n')` has them. `memchr` finds the breaks:
/// most texts are one line, and the search runs to their end.
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |at| at + 1);
        // `\n` is a whole character: `end` is a boundary.
        let (line, after) = rest.split_at_checked(end)?;
        rest = after;
        Some(line)
    })
}

/// A line that joining its words by single spaces leaves as it is: no
/// tab, no no-break space (its lead byte 0xC2 is ruled out whole), no
/// space at either end or next to another.
fn is_tidy_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    // Folds without early exits, so that they run over whole vectors.
    let odd_byte = bytes
        .iter()
        .fold(false, |odd, &b| odd | (b == b'\t') | (b == 0xC2));
    let double_space = bytes
        .iter()
        .zip(&bytes[1..])
        .fold(false, |double, (&a, &b)| {
            double | ((a == b' ') & (b == b' '))
        });
    !odd_byte && !double_space
}

/// The non-empty runs of a line between spaces, tabs and U+00A0.
struct Words<'t> {
    line: &'t str,
    at: usize,
}

impl<'t> Words<'t> {
    fn new(line: &'t str) -> Words<'t> {
        Words { line, at: 0 }
    }

    /// The length of the separator at `at`, 0 when none starts there.
    fn separator_at(bytes: &[u8], at: usize) -> usize {
        match bytes[at] {
            b' ' | b'\t' => 1,
            0xC2 if bytes.get(at + 1) == Some(&0xA0) => 2,
            _ => 0,
        }
    }
}

impl<'t> Iterator for Words<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.line.as_bytes();
        let mut at = self.at;
        while at < bytes.len() {
            match Self::separator_at(bytes, at) {
                0 => break,
                width => at += width,
            }
        }
        if at >= bytes.len() {
            self.at = at;
            return None;
        }
        let start = at;
        while at < bytes.len() && Self::separator_at(bytes, at) == 0 {
            at += 1;
        }
        self.at = at;
        // Separators are whole characters, so both ends are boundaries.
        self.line.get(start..at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str, text: &str) -> LinkRef {
        LinkRef {
            url: url.into(),
            text: text.into(),
        }
    }

    #[test]
    fn link_only_paragraphs() {
        let url = "https://github.com/XenitAB/spegel";
        assert!(is_link_only(url, &[link(url, "")]));
        assert!(is_link_only(
            "#125029 kubeadm: enable the v1beta4 API",
            &[link(
                "https://x.test/pull/125029",
                "kubeadm: enable the v1beta4 API"
            )]
        ));
        assert!(!is_link_only(
            "Kubernetes v1.31.0-alpha.2 is live!",
            &[link("https://x.test/a", "v1.31.0-alpha.2")]
        ));
        assert!(!is_link_only("no links here", &[]));
    }

    /// The definition, the slow way, to compare with.
    fn tidy_by_chars(text: &str) -> String {
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                line.split([' ', '\t', '\u{a0}'])
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|line| !line.is_empty())
            .collect();
        lines.join("\n")
    }

    #[test]
    fn tidy_agrees_with_splitting_chars() {
        let texts = [
            "",
            "\n",
            "\r\n",
            "a\r",
            "a\r\r\nb",
            " \u{a0}x\u{a0}\u{a0}y\t\n\n z ",
            "\u{e0}\u{a0}\u{c2}",
            "日本語 の\u{3000}文 \r\n\t",
            "trailing\n",
            "a\rb\nc",
            "\r",
            "x \r",
        ];
        for text in texts {
            assert_eq!(
                lines_inclusive(text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>()
            );
            assert_eq!(tidy(text), tidy_by_chars(text), "{text:?}");
            assert_eq!(one_line(text), tidy_by_chars(text).replace('\n', " "));
        }
    }

    #[test]
    fn tidy_collapses_spaces_and_drops_blank_lines() {
        assert_eq!(tidy("  a   b \n\n\t c  "), "a b\nc");
        assert_eq!(one_line(" Argo CD:\n  Introduces "), "Argo CD: Introduces");
    }
}
