//! The issue list's entries: each issue linked to its published page when
//! its URL is known, else named by its path below the input (never an
//! absolute local path).

use super::report_html::escape;
use crate::model::IssueSummary;
use crate::words::count;

/// One `<li>` of report.html's issue list.
pub fn issue_entry(summary: &IssueSummary) -> String {
    let issue = &summary.issue;
    let date = crate::model::date_or_undated(issue.date);
    let title = escape(&issue.title);
    let counts = format!(
        "{}, {}",
        count(summary.items, "item"),
        count(issue.links, "link")
    );
    match issue.url.as_deref().filter(|url| is_web(url)) {
        Some(url) => format!(
            "<li>{date}: <a href=\"{}\">{title}</a> <span class=\"sub\">({counts})</span></li>",
            escape(url)
        ),
        None => format!(
            "<li>{date}: {title} <span class=\"sub\">({counts}; {})</span></li>",
            escape(&issue.path)
        ),
    }
}

/// Only a web page is worth a link: a `javascript:` URL in a page's
/// front matter must not become one.
fn is_web(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}
