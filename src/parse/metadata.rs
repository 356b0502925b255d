//! Dates, numbers, publications and ids, from what the issue says about
//! itself.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Date;

/// A date as written: a real one, one whose day and month could be either
/// way round (`09-11-2024`), or one no calendar has ("2022-13-45").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Date(Date),
    DayMonth(DayMonth),
    Impossible(String),
}

/// The two readings of a date written in numbers only with both of them
/// 12 or under: which one is meant is decided per publication
/// ([`settle_day_month`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayMonth {
    pub month_first: Date,
    pub day_first: Date,
}

/// Which number comes first in a date written in numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    MonthFirst,
    DayFirst,
}

impl Order {
    pub fn describe(self) -> &'static str {
        match self {
            Order::MonthFirst => "month first (MM-DD-YYYY)",
            Order::DayFirst => "day first (DD-MM-YYYY)",
        }
    }
}

/// A date written in numbers only, day and month in either order:
/// `09-11-2024`, `11.09.2024`, `9/11/2024`.
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4})\b").expect("valid regex")
});

/// Year first with slashes or dots: `2024/09/11`, `2024.09.11`.
static SLASHED_ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})([/.])(\d{1,2})([/.])(\d{1,2})\b").expect("valid regex")
});

static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
        .expect("valid regex")
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b")
        .expect("valid regex")
});
static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").expect("valid regex")
});

/// A date in numbers only, when its separators agree.
fn numeric_date(c: &regex::Captures) -> Option<Written> {
    if c[2] != c[4] {
        return None;
    }
    let written = &c[0];
    let (Ok(first), Ok(second)) = (c[1].parse::<u32>(), c[3].parse::<u32>()) else {
        return None;
    };
    let year = &c[5];
    let reading = |month: u32, day: u32| ymd(year, &month.to_string(), &day.to_string(), written);
    Some(match (first > 12, second > 12) {
        (true, true) => Written::Impossible(written.to_string()),
        (true, false) => reading(second, first),
        (false, true) => reading(first, second),
        (false, false) if first == second => reading(first, second),
        (false, false) => match (reading(first, second), reading(second, first)) {
            (Written::Date(month_first), Written::Date(day_first)) => Written::DayMonth(DayMonth {
                month_first,
                day_first,
            }),
            _ => Written::Impossible(written.to_string()),
        },
    })
}

/// The order a date in numbers only shows by a day past 12, if it is one.
pub fn order_shown(written: &str) -> Option<Order> {
    let c = NUMERIC_DATE.captures(written)?;
    let (first, second) = (c[1].parse::<u32>().ok()?, c[3].parse::<u32>().ok()?);
    match (first > 12, second > 12) {
        (true, false) => Some(Order::DayFirst),
        (false, true) => Some(Order::MonthFirst),
        _ => None,
    }
}

/// The first date anywhere in `text`, in any of the shapes newsletters
/// write: ISO (with or without a time), year first with slashes, numbers
/// only (day and month either way), month names either side of the day,
/// Japanese. Returns the date and where it was written.
fn first_date(text: &str) -> Option<(Written, std::ops::Range<usize>)> {
    if let Some(c) = ISO_DATE.captures(text) {
        return Some((ymd(&c[1], &c[2], &c[3], &c[0]), span(&c)));
    }
    if let Some(c) = MONTH_FIRST.captures(text) {
        return Some((ymd(&c[3], &month_number(&c[1]), &c[2], &c[0]), span(&c)));
    }
    if let Some(c) = DAY_FIRST.captures(text) {
        return Some((ymd(&c[3], &month_number(&c[2]), &c[1], &c[0]), span(&c)));
    }
    if let Some(c) = JAPANESE.captures(text) {
        return Some((ymd(&c[1], &c[2], &c[3], &c[0]), span(&c)));
    }
    if let Some(c) = SLASHED_ISO_DATE.captures(text)
        && c[2] == c[4]
    {
        return Some((ymd(&c[1], &c[3], &c[5], &c[0]), span(&c)));
    }
    let c = NUMERIC_DATE.captures(text)?;
    Some((numeric_date(&c)?, span(&c)))
}

fn span(c: &regex::Captures) -> std::ops::Range<usize> {
    c.get(0).map_or(0..0, |m| m.range())
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

/// The date a field holds: `2018-03-05 12:00:00 -0000` → 2018-03-05, and
/// every other shape [`first_date`] reads (`09-11-2024`, `Sep 11, 2024`,
/// `Wed, 11 Sep 2024 08:00:00 +0900`, `2024/09/11`). A date with a time
/// and an offset is the day as written, not moved to UTC.
pub fn date_field(field: &str) -> Option<Written> {
    static LEADING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})").expect("valid regex"));
    if let Some(c) = LEADING.captures(field) {
        return Some(ymd(&c[1], &c[2], &c[3], c[0].trim()));
    }
    first_date(field).map(|(written, _)| written)
}

/// The first date written in a title: `(2022-07-29号)`,
/// `Week Ending January 14, 2018`, `14 January 2018`, `2023年3月17日`,
/// `09-11-2024`, `2024/09/11`.
pub fn date_in_title(title: &str) -> Option<Written> {
    first_date(title).map(|(written, _)| written)
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

/// A date in the file's name: `2022-07-22.md`, `2018-01-14-update.md`,
/// `posts/2024-09-11-slug/index.md` (a page named `index` is named by its
/// folder), `2024/09/11/slug.md`.
pub fn date_in_file_name(path: &str) -> Option<Written> {
    static DATED_FOLDERS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})/").expect("valid regex"));
    let stem = page_stem(path);
    if let Some(c) = ISO_DATE.captures(&stem) {
        return Some(ymd(&c[1], &c[2], &c[3], &c[0]));
    }
    let c = DATED_FOLDERS.captures(path)?;
    Some(ymd(&c[1], &c[2], &c[3], c[0].trim_matches('/')))
}

/// What names a page in its path: the file's stem, or for `index.md`,
/// `_index.md` and `README.md` (a static site's page bundle) its folder's name.
pub fn page_stem(path: &str) -> String {
    let path = Path::new(path);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_bundle = ["index", "_index", "readme"]
        .iter()
        .any(|name| stem.eq_ignore_ascii_case(name));
    if !is_bundle {
        return stem;
    }
    path.parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or(stem)
}

/// The number a page's path gives it: `123.md`, `123/index.mdx`.
pub fn number_in_path(path: &str) -> Option<u32> {
    let stem = page_stem(path);
    let digits = stem.len() <= 6 && !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| stem.parse().ok()).flatten()
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
    if let Some(n) = field.and_then(marked_number) {
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
    if let Some(n) = marked_number(title) {
        return Some(n);
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

/// The newsletter one file alone suggests: what its title names (see
/// [`title_stem`]), else its folder. No newsletter is known by name: the
/// folder's other issues settle it ([`super::corpus::decide_publications`]).
pub fn publication(title: &str, path: &str) -> String {
    let stem = title_stem(title);
    if stem.is_empty()
        || is_nameless(&stem)
        || stem == one_line_of(title) && !title_has_marks(title)
    {
        return folder_name(path);
    }
    stem
}

/// Whether a title writes a date or a number, even one no calendar has.
pub fn title_has_marks(title: &str) -> bool {
    first_date(title).is_some() || number(None, title, "").is_some()
}

/// An issue's id: `{publication-slug}-{date}`, or `-{page name}` when undated.
pub fn issue_id(publication: &str, date: Option<Date>, path: &str) -> String {
    match date {
        Some(date) => format!("{}-{date}", slug(publication)),
        None => format!("{}-{}", slug(publication), slug(&page_stem(path))),
    }
}

/// A number said to be one anywhere in a title: `#123`, `No. 42`,
/// `Issue 42`, `Vol. 3 No. 7` (the number, not the volume), `第26号`.
fn marked_number(text: &str) -> Option<u32> {
    MARKED_NUMBER
        .captures(text)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .and_then(|m| m.as_str().parse().ok())
}

static MARKED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:#|\bno\.\s*|\bnr\.\s*|\bissue\s*#?\s*|\bnumber\s+)(\d{1,6})\b|第\s*(\d{1,6})\s*号",
    )
    .expect("valid regex")
});

/// The folder a page is in, as a publication's name: `lwkd` reads as the
/// acronym it is (two to five letters and no vowel), anything else as written.
pub fn folder_name(path: &str) -> String {
    let name = Path::new(path)
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !slug(name).is_empty())
        .unwrap_or_else(|| "unknown".into());
    let is_acronym = (2..=5).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase())
        && !name.bytes().any(|b| b"aeiouy".contains(&b));
    if is_acronym {
        name.to_ascii_uppercase()
    } else {
        name
    }
}

/// What a title says the newsletter is called, with its date, number and
/// subtitle taken away: "Frontend Digest #123: Ten Tips" → "Frontend
/// Digest", "MOCOの紹介など: Neco Weekly (2023-06-02号)" → "Neco Weekly",
/// "This Week in Rust 512" → "This Week in Rust", "Week Ending January 14,
/// 2018" → "Week Ending". A title with neither a date nor a number (a
/// privacy policy) is its own stem.
pub fn title_stem(title: &str) -> String {
    static SEGMENTS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r":\s|：|\s[|–—-]\s").expect("valid regex"));
    static VOLUME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:vol\.?|volume)\s*\d+").expect("valid regex"));
    static TRAILING_NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|\s)\d{1,6}\s*$").expect("valid regex"));
    let segments: Vec<&str> = SEGMENTS.split(title).collect();
    let marked = |segment: &str| {
        first_date(segment).is_some()
            || MARKED_NUMBER.is_match(segment)
            || TRAILING_NUMBER.is_match(segment)
    };
    let Some(segment) = segments.iter().find(|s| marked(s)) else {
        return one_line_of(title);
    };
    let mut stem = segment.to_string();
    if let Some((_, range)) = first_date(&stem) {
        stem.replace_range(range, " ");
    }
    stem = MARKED_NUMBER.replace_all(&stem, " ").into_owned();
    stem = VOLUME.replace_all(&stem, " ").into_owned();
    stem = TRAILING_NUMBER.replace(&stem, " ").into_owned();
    let stem: String = stem
        .chars()
        .map(|c| {
            if "()[]（）【】「」#号".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    one_line_of(stem.trim_matches(|c: char| c.is_whitespace() || "-–—|:,.".contains(c)))
}

fn one_line_of(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A stem made only of the words that lead into a date or a number
/// ("Week Ending", "Issue", "Weekly Update") names no newsletter.
pub fn is_nameless(stem: &str) -> bool {
    const LEAD_INS: &[&str] = &[
        "week",
        "weeks",
        "weekly",
        "ending",
        "ended",
        "of",
        "the",
        "issue",
        "edition",
        "update",
        "updates",
        "newsletter",
        "no",
        "number",
        "for",
        "on",
        "from",
        "special",
        "daily",
        "monthly",
        "digest",
        "news",
    ];
    stem.split_whitespace()
        .all(|word| LEAD_INS.iter().any(|w| w.eq_ignore_ascii_case(word)))
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
    fn every_date_shape_newsletters_write() {
        let sep_11 = date(2024, 9, 11);
        for written in [
            "2024-09-11",
            "2024-09-11T08:00:00+09:00",
            "Sep 11, 2024",
            "September 11th, 2024",
            "11 September 2024",
            "Wed, 11 Sep 2024 08:00:00 +0900",
            "2024/09/11",
            "2024.09.11",
            "09-13-2024".replace("13", "11").as_str(),
        ] {
            if written == "09-11-2024" {
                continue; // reads both ways; below
            }
            assert_eq!(date_field(written), sep_11, "{written}");
        }
        assert_eq!(date_field("09-13-2024"), date(2024, 9, 13));
        assert_eq!(date_field("13.09.2024"), date(2024, 9, 13));
        assert_eq!(date_field("13/09/2024"), date(2024, 9, 13));
        assert_eq!(
            date_field("09-11-2024"),
            Some(Written::DayMonth(DayMonth {
                month_first: Date::from_ymd_opt(2024, 9, 11).unwrap(),
                day_first: Date::from_ymd_opt(2024, 11, 9).unwrap(),
            }))
        );
        assert_eq!(
            date_field("11.09.2024"),
            Some(Written::DayMonth(DayMonth {
                month_first: Date::from_ymd_opt(2024, 11, 9).unwrap(),
                day_first: Date::from_ymd_opt(2024, 9, 11).unwrap(),
            }))
        );
        assert_eq!(date_field("05.05.2024"), date(2024, 5, 5));
        assert_eq!(
            date_field("13-13-2024"),
            Some(Written::Impossible("13-13-2024".into()))
        );
        assert_eq!(date_field("09-11/2024"), None);
        assert_eq!(order_shown("09-13-2024"), Some(Order::MonthFirst));
        assert_eq!(order_shown("13.09.2024"), Some(Order::DayFirst));
        assert_eq!(order_shown("09-11-2024"), None);
        assert_eq!(date_in_title("Digest for 2024/09/11"), sep_11);
        assert_eq!(
            date_in_file_name("content/posts/2024-09-11-launch/index.md"),
            sep_11
        );
        assert_eq!(date_in_file_name("blog/2024/09/11/launch.md"), sep_11);
    }

    #[test]
    fn numbers_in_every_form() {
        assert_eq!(
            number(None, "Frontend Digest #123: Ten tips", ""),
            Some(123)
        );
        assert_eq!(number(None, "Ops Letter No. 42", ""), Some(42));
        assert_eq!(number(None, "Issue 42: Storage", ""), Some(42));
        assert_eq!(number(None, "Infra Review Vol. 3 No. 7", ""), Some(7));
        assert_eq!(number(None, "ネコ通信 第26号", ""), Some(26));
        assert_eq!(number(Some("Vol. 2 No. 9"), "Untitled", ""), Some(9));
        assert_eq!(number(Some("#31"), "Untitled", ""), Some(31));
        assert_eq!(number_in_path("blog/123/index.mdx"), Some(123));
        assert_eq!(number_in_path("blog/124.md"), Some(124));
        assert_eq!(number_in_path("blog/launch/index.mdx"), None);
        assert_eq!(number_in_path("seeds/002_18bfc8343d4ff075.txt"), None);
    }

    #[test]
    fn title_stems() {
        assert_eq!(
            title_stem("Frontend Digest #123: Ten tips"),
            "Frontend Digest"
        );
        assert_eq!(
            title_stem("MOCOの紹介など: Neco Weekly (2023-06-02号)"),
            "Neco Weekly"
        );
        assert_eq!(title_stem("This Week In Rust 1"), "This Week In Rust");
        assert_eq!(title_stem("Infra Review Vol. 3 No. 7"), "Infra Review");
        assert_eq!(title_stem("ネコ通信 第26号"), "ネコ通信");
        assert_eq!(title_stem("Week Ending January 14, 2018"), "Week Ending");
        assert!(is_nameless("Week Ending"));
        assert_eq!(title_stem("Privacy Policy"), "Privacy Policy");
        assert_eq!(folder_name("x/lwkd/a.md"), "LWKD");
        assert_eq!(folder_name("x/twir/a.md"), "twir");
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
        assert_eq!(
            publication("Week Ending January 14, 2018", "lwkd/x.md"),
            "LWKD"
        );
        assert_eq!(
            publication("Special Edition: Week Ending February 4, 2018", "lwkd/x.md"),
            "LWKD"
        );
        assert_eq!(
            publication("Frontend Digest #123: Ten tips", "posts/x.md"),
            "Frontend Digest"
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
