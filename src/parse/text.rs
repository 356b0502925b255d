//! Text copied from a rendered page (Zenn) → blocks. There is no markup
//! left, so every line is judged by its shape:
//!
//! - a line starting with an emoji ("👀 Notable Articles"), or naming the
//!   afterword or the team ("あとがき", "Neco チームとは"), is a section;
//! - inside a section, a line that reads like a title (no sentence ending,
//!   no Japanese comma, not too long) is an item's title;
//! - a line that is only URLs is a link line (the first after a title is
//!   the item's URL);
//! - anything else is prose.
//!
//! Page furniture is dropped: a lone emoji line (the page's icon), the
//! publishing line ("2023/03/20に公開"), the heading repeating the title,
//! the team signature ("サイボウズ Necoチーム 😺"), and everything from
//! "Discussion" (the comment thread) on.
//!
//! Lines that merely look like titles after "以下の記事…" are still titles:
//! when a page is copied without its link cards, the next title-shaped line
//! is the next article, which is how seed 003 reads.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::{Block, bare_urls};
use super::category::{category_of, is_emoji};
use crate::model::{Category, LinkRef};

pub struct TextPage {
    pub title: Option<String>,
    pub blocks: Vec<Block>,
}

/// The Zenn publishing line, "2023/03/20に公開" (or "…に更新").
pub static PUBLISHING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(\d{4})/(\d{1,2})/(\d{1,2})\s*に(?:公開|更新)").expect("valid regex")
});

pub fn page(text: &str) -> TextPage {
    let mut title: Option<String> = None;
    let mut blocks = Vec::new();
    // None before the first section (the intro).
    let mut section: Option<Category> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || is_emoji_only(line) || PUBLISHING_LINE.is_match(line) {
            continue;
        }
        if line.eq_ignore_ascii_case("discussion") {
            break;
        }
        let Some(title) = &title else {
            title = Some(line.to_string());
            continue;
        };
        let takes_items =
            section.is_some_and(|c| !matches!(c, Category::Afterword | Category::About));
        if !takes_items && is_signature(line) {
            continue;
        }
        if section.is_none() && title.ends_with(line) {
            continue; // the page's heading, repeating the title
        }
        if let Some(category) = section_category(line) {
            section = Some(category);
            blocks.push(Block::Heading {
                level: 2,
                text: line.to_string(),
                links: Vec::new(),
            });
            continue;
        }
        let links = links_in(line);
        if is_url_line(line, &links) {
            blocks.push(Block::Paragraph {
                text: line.to_string(),
                links,
            });
        } else if takes_items && looks_like_title(line) {
            blocks.push(Block::Heading {
                level: 3,
                text: line.to_string(),
                links,
            });
        } else {
            blocks.push(Block::Paragraph {
                text: line.to_string(),
                links,
            });
        }
    }
    TextPage { title, blocks }
}

fn links_in(line: &str) -> Vec<LinkRef> {
    bare_urls(line)
        .map(|(_, _, url)| LinkRef {
            url: url.to_string(),
            text: String::new(),
        })
        .collect()
}

fn is_url_line(line: &str, links: &[LinkRef]) -> bool {
    !links.is_empty() && links.iter().map(|l| l.url.len()).sum::<usize>() + links.len() > line.len()
}

fn is_emoji_only(line: &str) -> bool {
    line.chars().all(|c| is_emoji(c) || c.is_whitespace())
}

/// "サイボウズ Necoチーム 😺": a short line ending with an emoji.
fn is_signature(line: &str) -> bool {
    let ends_with_emoji = line.chars().last().is_some_and(is_emoji);
    let starts_with_emoji = line.chars().next().is_some_and(is_emoji);
    ends_with_emoji && !starts_with_emoji && line.chars().count() <= 40
}

/// The category of a section line, or None when the line is no section.
fn section_category(line: &str) -> Option<Category> {
    if line.chars().count() > 60 {
        return None;
    }
    let starts_with_emoji = line.chars().next().is_some_and(is_emoji);
    let category = category_of(line);
    if starts_with_emoji && !ends_like_prose(line) {
        return Some(category);
    }
    // Without an emoji only the unmistakable ones, written alone.
    let is_alone = line.chars().count() <= 20;
    (is_alone && matches!(category, Category::Afterword | Category::About)).then_some(category)
}

/// Whether a line inside a section is an article's title rather than prose.
pub fn looks_like_title(line: &str) -> bool {
    if line.chars().count() > 160 || line.contains(['。', '、']) {
        return false;
    }
    !ends_like_prose(line)
}

fn ends_like_prose(line: &str) -> bool {
    let trimmed = line.trim_end_matches([')', '）', '」', '』', '"', '\'', ' ']);
    let Some(last) = trimmed.chars().last() else {
        return false;
    };
    let has_japanese = line.chars().any(is_japanese);
    if has_japanese {
        if "。．！？!?…:：".contains(last) {
            return true;
        }
        const ENDINGS: &[&str] = &[
            "です",
            "ます",
            "でした",
            "ました",
            "ません",
            "でしょう",
            "ね",
            "よ",
            "だ",
            "そう",
            "たい",
        ];
        return ENDINGS.iter().any(|ending| trimmed.ends_with(ending));
    }
    // English: a title rarely ends with a full stop or a colon; a short
    // question or exclamation is still a title ("Is Kubernetes dead?").
    let words = trimmed.split_whitespace().count();
    match last {
        '.' | ':' => words >= 5,
        '!' | '?' => words > 12,
        _ => false,
    }
}

fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // hiragana, katakana
        | 0x4E00..=0x9FFF // CJK ideographs
        | 0xFF01..=0xFF60 // full-width forms
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_prose() {
        assert!(looks_like_title("Kubebuilder v3.10.0"));
        assert!(looks_like_title("Kubernetes の Probe の仕組みと考慮点"));
        assert!(looks_like_title("Don't write clean code, write CRISP code"));
        assert!(looks_like_title(
            "#116054: KEP-3488: Implement secondary authz"
        ));
        assert!(looks_like_title("Is Kubernetes dead?"));
        assert!(!looks_like_title("以下の解説メモも参考になります。"));
        assert!(!looks_like_title(
            "こういう取り組みは非常にありがたいですね!"
        ));
        assert!(!looks_like_title("なかなか面白そうですね"));
        assert!(!looks_like_title(
            "This is a sentence written in English prose."
        ));
    }

    #[test]
    fn sections_and_furniture() {
        assert_eq!(
            section_category("👀 Notable Articles"),
            Some(Category::Articles)
        );
        assert_eq!(section_category("あとがき"), Some(Category::Afterword));
        assert_eq!(section_category("Pyroscope"), None);
        assert!(is_signature("サイボウズ Necoチーム 😺"));
        assert!(is_emoji_only("🐈"));
        assert!(PUBLISHING_LINE.is_match("2023/03/20に公開"));
    }
}
