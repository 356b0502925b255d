//! Feeds that carry whole issues (RSS 2.0 `content:encoded`, Atom
//! `<content type="html">`, JSON Feed `content_html`): one issue per entry,
//! with the entry's title and date, its HTML read by the HTML reader.

use std::sync::LazyLock;

use regex::Regex;

use super::metadata::{self, Written};
use super::{Parsed, html, outline};
use crate::model::{Format, Issue, Warning};

/// Whether the text is a feed: an `<rss>`, `<feed>` or `<rdf:RDF>` root
/// element, or JSON naming the JSON Feed version.
pub fn looks_like_feed(text: &str) -> bool {
    let start = text.trim_start();
    if start.starts_with('{') {
        let mut head_end = start.len().min(1024);
        while !start.is_char_boundary(head_end) {
            head_end -= 1;
        }
        return start[..head_end].contains("jsonfeed.org/version");
    }
    if !start.starts_with('<') {
        return false;
    }
    static ROOT: LazyLock<Regex> = LazyLock::new(|| {
        // Past the XML declaration, comments and processing instructions.
        Regex::new(r"^(?:\s*(?:<\?[^>]*\?>|<!--(?s:.*?)-->))*\s*<(?:rss|feed|rdf:RDF)[\s>]")
            .expect("valid regex")
    });
    let mut head_end = start.len().min(4096);
    while !start.is_char_boundary(head_end) {
        head_end -= 1;
    }
    ROOT.is_match(&start[..head_end])
}

/// Every entry of the feed as an issue of the publication the feed's title
/// names. An `Err` when the feed does not parse or has no entry.
pub fn issues(path: &str, text: &str) -> Result<Vec<Parsed>, Warning> {
    let feed = feed_rs::parser::parse(text.as_bytes())
        .map_err(|err| Warning::new(path, format!("feed does not parse ({err}); skipped")))?;
    if feed.entries.is_empty() {
        return Err(Warning::new(path, "feed has no entries; not an issue"));
    }
    let publication = feed
        .title
        .as_ref()
        .map(|t| one_line(&t.content))
        .filter(|t| !t.is_empty());
    let written_dates = entry_dates(text);
    let dates_line_up = written_dates.len() == feed.entries.len();
    let mut parsed = Vec::with_capacity(feed.entries.len());
    for (index, entry) in feed.entries.into_iter().enumerate() {
        let mut warnings = Vec::new();
        let title = entry
            .title
            .as_ref()
            .map(|t| one_line(&t.content))
            .filter(|t| !t.is_empty());
        let body = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let blocks = html::fragment_blocks(&body);
        let outline = outline::build(&blocks, title.clone());
        let title = outline
            .title
            .clone()
            .unwrap_or_else(|| format!("{} entry {}", metadata::file_stem(path), index + 1));
        // The day as written, not moved to UTC as the feed parser does.
        let written = dates_line_up
            .then(|| written_dates[index].as_deref())
            .flatten()
            .and_then(metadata::date_field);
        let date = match written {
            Some(Written::Date(date)) => Some(date),
            Some(Written::Impossible(written)) => {
                warnings.push(Warning::new(
                    path,
                    format!("impossible date {written} in entry {}; ignored", index + 1),
                ));
                None
            }
            _ => entry.published.or(entry.updated).map(|d| d.date_naive()),
        };
        let number = metadata::number(None, &title, &outline.intro_text).or_else(|| {
            entry
                .links
                .first()
                .and_then(|link| metadata::number_in_path(link.href.trim_end_matches('/')))
        });
        let name = publication
            .clone()
            .unwrap_or_else(|| metadata::folder_name(path));
        let id = match date {
            Some(date) => format!("{}-{date}", metadata::slug(&name)),
            None => format!(
                "{}-{}-{}",
                metadata::slug(&name),
                metadata::slug(&metadata::file_stem(path)),
                index + 1
            ),
        };
        if date.is_none() {
            warnings.push(Warning::new(
                path,
                format!(
                    "no date found in entry {}; kept out of time series",
                    index + 1
                ),
            ));
        }
        let outline::Outline {
            intro_text,
            intro_links,
            sections,
            ..
        } = outline;
        parsed.push(Parsed {
            issue: Issue {
                id,
                publication: name,
                title,
                date,
                number,
                source_path: path.to_string(),
                url: entry
                    .links
                    .first()
                    .map(|link| link.href.trim().to_string())
                    .filter(|href| !href.is_empty()),
                slug: None,
                format: Format::Feed,
                intro_text,
                intro_links,
                sections,
                // Feeds carry HTML, where code formatting is not read yet.
                code: Vec::new(),
            },
            warnings,
            named_publication: publication.clone(),
            day_month: None,
            order_shown: None,
        });
    }
    Ok(parsed)
}

/// Each entry's date as written, in document order: `<pubDate>`,
/// `<published>`, `<dc:date>`, else `<updated>`; JSON Feed's
/// `date_published`, else `date_modified`.
fn entry_dates(text: &str) -> Vec<Option<String>> {
    if text.trim_start().starts_with('{') {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            return Vec::new();
        };
        let Some(items) = json.get("items").and_then(|i| i.as_array()) else {
            return Vec::new();
        };
        return items
            .iter()
            .map(|item| {
                item.get("date_published")
                    .or_else(|| item.get("date_modified"))
                    .and_then(|d| d.as_str())
                    .map(str::to_string)
            })
            .collect();
    }
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<(?:item|entry)(?:\s[^>]*)?>.*?</(?:item|entry)>").expect("valid regex")
    });
    static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<(?:pubDate|published|dc:date)>\s*([^<]*?)\s*</").expect("valid regex")
    });
    static UPDATED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?s)<updated>\s*([^<]*?)\s*</").expect("valid regex"));
    ENTRY
        .find_iter(text)
        .map(|entry| {
            let entry = without_content(entry.as_str());
            PUBLISHED
                .captures(&entry)
                .or_else(|| UPDATED.captures(&entry))
                .map(|c| c[1].to_string())
        })
        .collect()
}

/// An entry without its content and CDATA, whose HTML may hold anything.
fn without_content(entry: &str) -> String {
    static CONTENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)<!\[CDATA\[.*?\]\]>|<content[\s>].*?</content>|<content:encoded>.*?</content:encoded>|<description>.*?</description>")
            .expect("valid regex")
    });
    CONTENT.replace_all(entry, "").into_owned()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_told_from_pages() {
        assert!(looks_like_feed(
            "<?xml version=\"1.0\"?>\n<!-- x -->\n<rss version=\"2.0\"><channel></channel></rss>"
        ));
        assert!(looks_like_feed(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>"
        ));
        assert!(looks_like_feed(
            "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"
        ));
        assert!(!looks_like_feed("<!DOCTYPE html><html></html>"));
        assert!(!looks_like_feed("{\"title\": \"x\"}"));
    }
}
