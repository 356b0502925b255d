//! Dates, numbers, publications and ids, from what the issue says about
//! itself.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Date;

/// A date as written: a real one, or one no calendar has ("2022-13-45").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Date(Date),
    Impossible(String),
}

fn ymd(year: &str, month: &str, day: &str, written: &str) -> Written {
    let date = match (year.parse(), month.parse(), day.parse()) {
        (Ok(y), Ok(m), Ok(d)) => Date::from_ymd_opt(y, m, d),
        _ => None,
    };
    match date {
        Some(date) => Written::Date(date),
        None => Written::Impossible(written.to_string()),
    }
}

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})-(\d{1,2})-(\d{1,2})").expect("valid regex"));

/// A date at the start of a field: `2018-03-05 12:00:00 -0000` → 2018-03-05.
pub fn date_field(field: &str) -> Option<Written> {
    static LEADING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})").expect("valid regex"));
    let c = LEADING.captures(field)?;
    Some(ymd(&c[1], &c[2], &c[3], c[0].trim()))
}

/// The first date written in a title: `(2022-07-29号)`,
/// `Week Ending January 14, 2018`, `14 January 2018`, `2023年3月17日`.
pub fn date_in_title(title: &str) -> Option<Written> {
    static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
            .expect("valid regex")
    });
    static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b")
            .expect("valid regex")
    });
    static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").expect("valid regex")
    });
    if let Some(c) = ISO_DATE.captures(title) {
        return Some(ymd(&c[1], &c[2], &c[3], &c[0]));
    }
    if let Some(c) = MONTH_FIRST.captures(title) {
        return Some(ymd(&c[3], &month_number(&c[1]), &c[2], &c[0]));
    }
    if let Some(c) = DAY_FIRST.captures(title) {
        return Some(ymd(&c[3], &month_number(&c[2]), &c[1], &c[0]));
    }
    if let Some(c) = JAPANESE.captures(title) {
        return Some(ymd(&c[1], &c[2], &c[3], &c[0]));
    }
    None
}

fn month_number(name: &str) -> String {
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = name.get(..3).unwrap_or(name).to_ascii_lowercase();
    months
        .iter()
        .position(|m| *m == prefix)
        .map(|i| (i + 1).to_string())
        .unwrap_or_default()
}

/// A date in the file's name: `2022-07-22.md`, `2018-01-14-update.md`.
pub fn date_in_file_name(path: &str) -> Option<Written> {
    let stem = Path::new(path).file_stem()?.to_string_lossy();
    let c = ISO_DATE.captures(&stem)?;
    Some(ymd(&c[1], &c[2], &c[3], &c[0]))
}

/// The issue's number: `第26回`, a `Number:` field, or the number ending
/// a title ("This Week in Rust 512"; not a year of a date in it).
pub fn number(field: Option<&str>, title: &str, intro: &str) -> Option<u32> {
    static NTH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"第\s*(\d{1,6})\s*回").expect("valid regex"));
    static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:[a-z]\s+|#|no\.\s*|issue\s+)(\d{1,6})\s*$").expect("valid regex")
    });
    if let Some(n) = field.and_then(|f| f.trim().trim_start_matches('#').parse().ok()) {
        return Some(n);
    }
    for text in [title, intro] {
        // A byte search rules most texts out before the regex runs.
        if !text.contains('第') {
            continue;
        }
        if let Some(n) = NTH.captures(text).and_then(|c| c[1].parse().ok()) {
            return Some(n);
        }
    }
    if date_in_title(title).is_some() {
        // "Week Ending January 14, 2018" ends with a year, not a number.
        return None;
    }
    // Only ASCII digits parse, and they must end the title.
    if !title.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    TRAILING.captures(title).and_then(|c| c[1].parse().ok())
}

/// The newsletter an issue belongs to: named by its title, else the folder
/// it is in.
pub fn publication(title: &str, path: &str) -> String {
    let lower = title.to_lowercase();
    if lower.contains("neco weekly") {
        return "Neco Weekly".into();
    }
    if lower.contains("this week in rust") {
        return "This Week in Rust".into();
    }
    if lower.contains("week ending")
        || lower.contains("last week in kubernetes development")
        || lower.contains("lwkd")
    {
        return "LWKD".into();
    }
    Path::new(path)
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !slug(name).is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// Lower case, letters and digits, dashes between words: `neco-weekly`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

pub fn file_stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<Written> {
        Some(Written::Date(Date::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn dates_in_titles() {
        assert_eq!(
            date_in_title("Neco Weekly (2022-07-29号)"),
            date(2022, 7, 29)
        );
        assert_eq!(
            date_in_title("Week Ending January 14, 2018"),
            date(2018, 1, 14)
        );
        assert_eq!(date_in_title("Week Ending Sept 9, 2018"), date(2018, 9, 9));
        assert_eq!(date_in_title("Issue of 3 March 2024"), date(2024, 3, 3));
        assert_eq!(date_in_title("2023年3月17日号"), date(2023, 3, 17));
        assert_eq!(
            date_in_title("Neco Weekly (2022-13-45号)"),
            Some(Written::Impossible("2022-13-45".into()))
        );
        assert_eq!(date_in_title("This Week in Rust 512"), None);
    }

    #[test]
    fn date_fields_and_file_names() {
        assert_eq!(date_field("2018-03-05 12:00:00 -0000"), date(2018, 3, 5));
        assert_eq!(date_field("2024-04-17 14:4g5:00 -0000"), date(2024, 4, 17));
        assert_eq!(
            date_field("2023-02-30"),
            Some(Written::Impossible("2023-02-30".into()))
        );
        assert_eq!(date_field("soon"), None);
        assert_eq!(
            date_in_file_name("corpus/github/2022-07-22.md"),
            date(2022, 7, 22)
        );
        assert_eq!(
            date_in_file_name("lwkd/2018-01-14-update.md"),
            date(2018, 1, 14)
        );
        assert_eq!(date_in_file_name("seeds/002_18bfc8343d4ff075.txt"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            number(
                None,
                "Neco Weekly (2023-03-17号)",
                "今回は第26回目の記事となります。"
            ),
            Some(26)
        );
        assert_eq!(number(Some("512"), "This Week in Rust 512", ""), Some(512));
        assert_eq!(number(None, "This Week in Rust 498", ""), Some(498));
        assert_eq!(number(None, "Week Ending January 14, 2018", ""), None);
        assert_eq!(number(None, "Go Weekly #12", ""), Some(12));
    }

    #[test]
    fn publications_and_slugs() {
        assert_eq!(
            publication("Neco Weekly (2022-07-29号)", "x/seeds/002.txt"),
            "Neco Weekly"
        );
        assert_eq!(publication("Week Ending January 14, 2018", "x.md"), "LWKD");
        assert_eq!(
            publication("Special Edition: Week Ending February 4, 2018", "x.md"),
            "LWKD"
        );
        assert_eq!(
            publication("This Week in Rust 512", "x.md"),
            "This Week in Rust"
        );
        assert_eq!(publication("Untitled", "data/sample/golang/1.md"), "golang");
        assert_eq!(slug("Neco Weekly"), "neco-weekly");
        assert_eq!(slug("This Week in Rust"), "this-week-in-rust");
        assert_eq!(slug(" 2018-01-14-update "), "2018-01-14-update");
    }
}
