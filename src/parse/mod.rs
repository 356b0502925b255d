//! Parse: decoded text → [`Issue`] (issue → section → item), whatever the
//! format, detected from content.
//!
//! Every format is lowered to one flat list of [`blocks::Block`]s
//! (headings, paragraphs, list entries, link cards) and one outline builder
//! ([`outline`]) turns blocks into sections and items, so the rules for
//! what is an item hold the same for Markdown, HTML and copied page text.

mod blocks;
pub mod category;
pub mod corpus;
mod feed;
mod frontmatter;
mod html;
mod markdown;
mod mdx;
pub mod metadata;
mod outline;
mod text;

use std::sync::LazyLock;

use chrono::Datelike;
use regex::Regex;

use crate::model::{CodeText, Format, Issue, Warning};
use frontmatter::{FrontMatter, Split};
use metadata::{DayMonth, Order, Written};
use outline::Outline;

/// A parsed issue and the problems worth telling the user about
/// (no date found, …), with what the corpus-level decisions
/// ([`corpus`]) need to know of it.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub issue: Issue,
    pub warnings: Vec<Warning>,
    /// The publication the issue names itself: a front-matter field
    /// (`publication`, `newsletter`, `series`) or its feed's title. Without
    /// one, `issue.publication` is this file's guess, which the folder's
    /// other titles settle ([`corpus::decide_publications`]).
    pub named_publication: Option<String>,
    /// A date in numbers only that reads both ways (`09-11-2024`); the
    /// issue is undated until its publication's order is settled
    /// ([`corpus::settle_day_month`]).
    pub day_month: Option<DayMonth>,
    /// The day-month order the issue's date shows (`09-13-2024`), if any.
    pub order_shown: Option<Order>,
}

/// The warning for an issue without a date.
pub const NO_DATE: &str = "no date found; kept out of time series";

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

/// Parses one file's text into the issues it holds: one, or one per entry
/// of a feed. `path` is the file as the user named it (used in warnings,
/// the source_path column, and as the last resort for the date and the
/// publication). An `Err` means there is no issue in it at all.
pub fn parse_all(path: &str, text: &str) -> Result<Vec<Parsed>, Warning> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if feed::looks_like_feed(text) {
        return feed::issues(path, text);
    }
    parse(path, text).map(|parsed| vec![parsed])
}

/// Parses one file's text as one issue (a feed: its first entry); see
/// [`parse_all`].
pub fn parse(path: &str, text: &str) -> Result<Parsed, Warning> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Warning::new(path, "no text in it; not an issue"));
    }
    if feed::looks_like_feed(text) {
        return feed::issues(path, text)?
            .into_iter()
            .next()
            .ok_or_else(|| Warning::new(path, "feed has no entries; not an issue"));
    }
    if let Some(what) = data_not_issue(text) {
        return Err(Warning::new(path, format!("{what}; not an issue")));
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
            let (format, lowered) = lower_body(body, fields.title.clone());
            (format, fields, lowered)
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

    let found = find_date(
        path,
        &fields,
        &title,
        text,
        published.as_deref(),
        &mut warnings,
    );
    let date = found.date;
    if date.is_none() && found.day_month.is_none() {
        warnings.push(Warning::new(path, NO_DATE));
    }
    let number = metadata::number(fields.number.as_deref(), &title, &outline.intro_text)
        .or_else(|| metadata::number_in_path(path));
    let named_publication = fields.publication.clone();
    let publication = named_publication
        .clone()
        .unwrap_or_else(|| metadata::publication(&title, path));
    let id = metadata::issue_id(&publication, date, path);

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
            url: fields.url.clone(),
            slug: fields.slug.clone(),
            format,
            intro_text,
            intro_links,
            sections,
            code,
        },
        warnings,
        named_publication,
        day_month: found.day_month,
        order_shown: found.order_shown,
    })
}

/// Text without front matter: an HTML page, MDX, Markdown, or copied page text.
fn lower_plain(text: &str) -> (Format, Lowered) {
    if looks_like_html_page(text) {
        return (Format::Html, lower_html(text, None));
    }
    if mdx::is_mdx(text) {
        let (blocks, code) = markdown::blocks_and_code(&mdx::to_markdown(text));
        return (
            Format::Mdx,
            Lowered {
                outline: outline::build(&blocks, None),
                code,
                ..Lowered::default()
            },
        );
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

/// The body under front matter: Markdown, MDX, or now and then a whole page.
fn lower_body(body: &str, title: Option<String>) -> (Format, Lowered) {
    if looks_like_html_page(body) {
        return (Format::FrontMatter, lower_html(body, title));
    }
    let (format, (blocks, code)) = if mdx::is_mdx(body) {
        (
            Format::Mdx,
            markdown::blocks_and_code(&mdx::to_markdown(body)),
        )
    } else {
        (Format::FrontMatter, markdown::blocks_and_code(body))
    };
    (
        format,
        Lowered {
            outline: outline::build(&blocks, title),
            code,
            ..Lowered::default()
        },
    )
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

/// A date source's name, the text it reads (for the order it shows), and
/// the reading.
type DateSource<'a> = (
    &'a str,
    Option<&'a str>,
    Box<dyn FnOnce() -> Option<Written> + 'a>,
);

/// What [`find_date`] found.
#[derive(Default)]
struct FoundDate {
    date: Option<crate::model::Date>,
    day_month: Option<DayMonth>,
    order_shown: Option<Order>,
}

fn find_date(
    path: &str,
    fields: &FrontMatter,
    title: &str,
    text: &str,
    published: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> FoundDate {
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
        Some(Written::DayMonth(day_month))
            if !PLAUSIBLE_YEARS.contains(&day_month.month_first.year()) =>
        {
            None
        }
        Some(Written::Impossible(written)) => {
            warnings.push(Warning::new(
                path,
                format!("impossible date {written} in the {source}; ignored"),
            ));
            None
        }
        Some(found) => Some(found),
        None => None,
    };
    let publishing_line = || {
        text::PUBLISHING_LINE.captures(text).map(|c| {
            let written = format!("{}-{}-{}", &c[1], &c[2], &c[3]);
            metadata::date_field(&written).unwrap_or(Written::Impossible(written))
        })
    };
    let file_name = metadata::page_stem(path);
    // Each source with what it was read from, for the order it shows.
    // Read one at a time: most issues stop at the first.
    let sources: [DateSource; 5] = [
        (
            "front matter",
            fields.date.as_deref(),
            Box::new(|| fields.date.as_deref().and_then(metadata::date_field)),
        ),
        (
            "title",
            Some(title),
            Box::new(|| metadata::date_in_title(title)),
        ),
        ("publishing line", None, Box::new(publishing_line)),
        (
            "page metadata",
            published,
            Box::new(|| published.and_then(metadata::date_field)),
        ),
        (
            "file name",
            Some(&file_name),
            Box::new(|| metadata::date_in_file_name(path)),
        ),
    ];
    let mut undecided: Option<DayMonth> = None;
    for (source, written, read) in sources {
        match accept(source, read()) {
            Some(Written::Date(date)) => {
                if let Some(day_month) = undecided {
                    // A later source settles an ambiguous date only by
                    // agreeing with one of its readings.
                    let order = if date == day_month.month_first {
                        Order::MonthFirst
                    } else if date == day_month.day_first {
                        Order::DayFirst
                    } else {
                        continue;
                    };
                    return FoundDate {
                        date: Some(date),
                        day_month: None,
                        order_shown: Some(order),
                    };
                }
                return FoundDate {
                    date: Some(date),
                    day_month: None,
                    order_shown: written.and_then(metadata::order_shown),
                };
            }
            Some(Written::DayMonth(day_month)) if undecided.is_none() => {
                undecided = Some(day_month);
            }
            _ => {}
        }
    }
    FoundDate {
        day_month: undecided,
        ..FoundDate::default()
    }
}

/// Data files that sit beside issues in a site's folder (`package.json`,
/// `sitemap.xml`): what they are, when they are neither a feed nor a page.
fn data_not_issue(text: &str) -> Option<&'static str> {
    let start = text.trim_start();
    if (start.starts_with('{') || start.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(start).is_ok()
    {
        return Some("JSON that is not a JSON Feed");
    }
    if start.starts_with("<?xml") && !looks_like_html_page(start) {
        return Some("XML that is not an RSS or Atom feed");
    }
    None
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
        // A title with neither a date nor a number is no stem to name a
        // publication by: the folder names it.
        assert_eq!(parsed.issue.id, "notes-draft");
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
