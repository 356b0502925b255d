//! Parse: decoded text → [`Issue`] (issue → section → item), whatever the
//! format, detected from content.
//!
//! Every format is lowered to one flat list of [`blocks::Block`]s
//! (headings, paragraphs, list entries, link cards) and one outline builder
//! ([`outline`]) turns blocks into sections and items, so the rules for
//! what is an item hold the same for Markdown, HTML and copied page text.

mod blocks;
pub mod category;
mod frontmatter;
mod html;
mod markdown;
pub mod metadata;
mod outline;
mod text;

use std::sync::LazyLock;

use chrono::Datelike;
use regex::Regex;

use crate::model::{CodeText, Format, Issue, Warning};
use frontmatter::{FrontMatter, Split};
use metadata::Written;
use outline::Outline;

/// A parsed issue and the problems worth telling the user about
/// (no date found, …).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub issue: Issue,
    pub warnings: Vec<Warning>,
}

/// What a format's reader hands over besides the outline.
#[derive(Default)]
struct Lowered {
    outline: Outline,
    /// A title for when the body has none (a page's `<title>`).
    fallback_title: Option<String>,
    /// A publishing date as written (a page's metadata).
    published: Option<String>,
    /// A page nested too deep to read whole (see [`html::MAX_NESTING`]).
    flattened: bool,
    /// Text written as code (Markdown only).
    code: Vec<CodeText>,
}

/// Parses one file's text. `path` is the file as the user named it (used in
/// warnings, the source_path column, and as the last resort for the date and
/// the publication). An `Err` means there is no issue in it at all.
pub fn parse(path: &str, text: &str) -> Result<Parsed, Warning> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Warning::new(path, "no text in it; not an issue"));
    }
    let mut warnings = Vec::new();

    let (format, fields, lowered) = match frontmatter::split(text) {
        Split::Found {
            fields,
            body,
            problem,
        } => {
            if let Some(problem) = problem {
                warnings.push(Warning::new(path, problem));
            }
            let lowered = lower_body(body, fields.title.clone());
            (Format::FrontMatter, fields, lowered)
        }
        Split::Unterminated => {
            warnings.push(Warning::new(
                path,
                "front matter opened with `---` is never closed; read as if it had none",
            ));
            let (format, lowered) = lower_plain(text);
            (format, FrontMatter::default(), lowered)
        }
        Split::None => {
            let (format, lowered) = lower_plain(text);
            (format, FrontMatter::default(), lowered)
        }
    };

    let Lowered {
        outline,
        fallback_title,
        published,
        flattened,
        code,
    } = lowered;
    if flattened {
        warnings.push(Warning::new(
            path,
            format!(
                "HTML nested deeper than {} levels; the deeper tags were ignored, their text kept",
                html::MAX_NESTING
            ),
        ));
    }
    let title = match outline.title.clone().or(fallback_title) {
        Some(title) => title,
        None => {
            if outline.sections.is_empty() && outline.intro_text.trim().is_empty() {
                return Err(Warning::new(
                    path,
                    "no title, no sections, no text: not an issue",
                ));
            }
            warnings.push(Warning::new(path, "no title found; named after the file"));
            metadata::file_stem(path)
        }
    };

    let date = find_date(
        path,
        &fields,
        &title,
        text,
        published.as_deref(),
        &mut warnings,
    );
    if date.is_none() {
        warnings.push(Warning::new(path, "no date found; kept out of time series"));
    }
    let number = metadata::number(fields.number.as_deref(), &title, &outline.intro_text);
    let publication = metadata::publication(&title, path);
    let id = match date {
        Some(date) => format!("{}-{date}", metadata::slug(&publication)),
        None => format!(
            "{}-{}",
            metadata::slug(&publication),
            metadata::slug(&metadata::file_stem(path))
        ),
    };

    let Outline {
        intro_text,
        intro_links,
        sections,
        ..
    } = outline;
    Ok(Parsed {
        issue: Issue {
            id,
            publication,
            title,
            date,
            number,
            source_path: path.to_string(),
            format,
            intro_text,
            intro_links,
            sections,
            code,
        },
        warnings,
    })
}

/// Text without front matter: an HTML page, Markdown, or copied page text.
fn lower_plain(text: &str) -> (Format, Lowered) {
    if looks_like_html_page(text) {
        return (Format::Html, lower_html(text, None));
    }
    if looks_like_markdown(text) {
        let (blocks, code) = markdown::blocks_and_code(text);
        let outline = outline::build(&blocks, None);
        return (
            Format::Markdown,
            Lowered {
                outline,
                code,
                ..Lowered::default()
            },
        );
    }
    let page = text::page(text);
    let outline = outline::build(&page.blocks, page.title);
    (
        Format::Text,
        Lowered {
            outline,
            ..Lowered::default()
        },
    )
}

/// The body under front matter: Markdown, or now and then a whole page.
fn lower_body(body: &str, title: Option<String>) -> Lowered {
    if looks_like_html_page(body) {
        return lower_html(body, title);
    }
    let (blocks, code) = markdown::blocks_and_code(body);
    Lowered {
        outline: outline::build(&blocks, title),
        code,
        ..Lowered::default()
    }
}

fn lower_html(text: &str, title: Option<String>) -> Lowered {
    let page = html::page(text);
    Lowered {
        outline: outline::build(&page.blocks, title),
        fallback_title: page.page_title,
        published: page.published,
        flattened: page.flattened,
        code: Vec::new(),
    }
}

/// The date, by the first source that has one: front matter, the title,
/// a publishing line or the page's metadata, the file name. A date no
/// calendar has is reported and the next source tried.
/// Newsletters are younger than the web and not from the far future. A
/// stray "0001-01-01" would otherwise stretch every time series over two
/// thousand years of empty periods.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2199;

fn find_date(
    path: &str,
    fields: &FrontMatter,
    title: &str,
    text: &str,
    published: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Option<crate::model::Date> {
    let mut accept = |source: &str, found: Option<Written>| match found {
        Some(Written::Date(date)) if !PLAUSIBLE_YEARS.contains(&date.year()) => {
            warnings.push(Warning::new(
                path,
                format!(
                    "date {date} in the {source} is not a plausible issue date \
                     (years {}–{}); ignored",
                    PLAUSIBLE_YEARS.start(),
                    PLAUSIBLE_YEARS.end()
                ),
            ));
            None
        }
        Some(Written::Date(date)) => Some(date),
        Some(Written::Impossible(written)) => {
            warnings.push(Warning::new(
                path,
                format!("impossible date {written} in the {source}; ignored"),
            ));
            None
        }
        None => None,
    };
    let front_matter = fields.date.as_deref().and_then(metadata::date_field);
    if let Some(date) = accept("front matter", front_matter) {
        return Some(date);
    }
    if let Some(date) = accept("title", metadata::date_in_title(title)) {
        return Some(date);
    }
    let publishing_line = text::PUBLISHING_LINE.captures(text).map(|c| {
        let written = format!("{}-{}-{}", &c[1], &c[2], &c[3]);
        metadata::date_field(&written).unwrap_or(Written::Impossible(written))
    });
    if let Some(date) = accept("publishing line", publishing_line) {
        return Some(date);
    }
    if let Some(date) = accept("page metadata", published.and_then(metadata::date_field)) {
        return Some(date);
    }
    accept("file name", metadata::date_in_file_name(path))
}

/// A saved page: markup from the first character (after comments and
/// blank space), with the elements only a whole page has.
fn looks_like_html_page(text: &str) -> bool {
    let start = text.trim_start();
    if !start.starts_with('<') {
        return false;
    }
    let mut head_end = start.len().min(4096);
    while !start.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = start[..head_end].to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<article",
        "<main",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

/// Markdown says so with a heading (ATX or setext) or a `[text](url)` link;
/// text copied from a page has neither.
fn looks_like_markdown(text: &str) -> bool {
    static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^ {0,3}#{1,6}[ \t]+\S|\]\([^)\s]+\)|\S[^\n]*\n {0,3}(?:=+|-{2,})[ \t]*$")
            .expect("valid regex")
    });
    MARKUP.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats_from_content() {
        assert!(looks_like_markdown("# Neco Weekly (2022-07-29号)\n\ntext"));
        assert!(looks_like_markdown("Deprecated\n----------\n\nDocker"));
        assert!(looks_like_markdown("see [x](https://x.test)"));
        assert!(!looks_like_markdown(
            "🐈\n\n#116054: KEP-3488\n\nhttps://x.test\n"
        ));
        assert!(looks_like_html_page(
            "<!DOCTYPE html>\n<html><body></body></html>"
        ));
        assert!(!looks_like_html_page(
            "# Title\n<blockquote class=\"embedly-card\">"
        ));
    }

    #[test]
    fn impossible_title_date_falls_back_to_the_file_name() {
        let parsed = parse(
            "x/2022-07-22.md",
            "# Neco Weekly (2022-13-45号)\n\n## ✨ News\n",
        )
        .unwrap();
        assert_eq!(
            parsed.issue.date,
            chrono::NaiveDate::from_ymd_opt(2022, 7, 22)
        );
        assert_eq!(parsed.issue.id, "neco-weekly-2022-07-22");
        assert_eq!(
            parsed.warnings,
            vec![Warning::new(
                "x/2022-07-22.md",
                "impossible date 2022-13-45 in the title; ignored"
            )]
        );
    }

    #[test]
    fn undated_issue_is_kept_with_a_warning() {
        let parsed = parse("notes/draft.md", "# Neco Weekly\n\n## ✨ News\n").unwrap();
        assert_eq!(parsed.issue.date, None);
        assert_eq!(parsed.issue.id, "neco-weekly-draft");
        assert_eq!(
            parsed.warnings,
            vec![Warning::new(
                "notes/draft.md",
                "no date found; kept out of time series"
            )]
        );
    }

    #[test]
    fn blank_text_is_no_issue() {
        assert!(parse("a.md", " \n\t\n").is_err());
    }
}
