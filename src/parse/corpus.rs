//! The decisions one file cannot make alone: which publication an issue
//! belongs to (what its folder's titles share), whether a page is an issue
//! at all, and which way round a publication writes day and month.

use std::collections::BTreeMap;

use super::metadata::{self, DayMonth, Order};
use crate::model::Date;

/// What the corpus-level decisions need to know of one parsed issue.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// The folder the issue's file is in (`metadata::folder_name` of its path).
    pub folder: &'a str,
    pub title: &'a str,
    /// The publication the issue names itself (front matter, a feed's
    /// title, `--publication`): no guessing needed.
    pub named: Option<&'a str>,
    pub dated: bool,
    pub numbered: bool,
}

impl Candidate<'_> {
    /// A page with neither a date nor a number, none even written in its
    /// title ("Privacy Policy"), is no issue.
    fn is_page(&self) -> bool {
        !(self.dated || self.numbered || metadata::title_has_marks(self.title))
    }
}

/// Where an issue goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Publication(String),
    /// Not an issue; the reason, for the notice.
    Skip(String),
}

/// Decides every issue's publication from what the issues of its folder
/// share. A title whose stem is its folder's most common one, or a near
/// variant of it ("These Weeks in Rust" beside "This Week in Rust"), joins
/// that publication; a stem of its own that two or more issues share, or
/// one whose title writes a date or a number, is a publication of its own;
/// a lone title that fits nothing beside a publication of several issues
/// and writes neither ("The State of Rust 0.7", "Our new office") is no
/// issue. Nor is a page with neither a date nor a number ("Privacy Policy").
pub fn decide_publications(candidates: &[Candidate], forced: Option<&str>) -> Vec<Decision> {
    let stems: Vec<String> = candidates
        .iter()
        .map(|c| metadata::title_stem(c.title))
        .collect();
    // folder → normalised stem → (count, spellings)
    let mut folders: BTreeMap<&str, BTreeMap<String, Stem>> = BTreeMap::new();
    for (candidate, stem) in candidates.iter().zip(&stems) {
        if candidate.named.is_some() || candidate.is_page() {
            continue;
        }
        let entry = folders
            .entry(candidate.folder)
            .or_default()
            .entry(normalise(stem))
            .or_default();
        entry.count += 1;
        *entry.spellings.entry(stem.clone()).or_insert(0) += 1;
    }
    candidates
        .iter()
        .zip(&stems)
        .map(|(candidate, stem)| {
            if candidate.is_page() {
                return Decision::Skip(format!(
                    "\"{}\" has no date and no number; not an issue, skipped",
                    candidate.title
                ));
            }
            if let Some(named) = candidate.named {
                return Decision::Publication(forced.unwrap_or(named).to_string());
            }
            let Some(stems_here) = folders.get(candidate.folder) else {
                return Decision::Publication(forced.unwrap_or(candidate.folder).to_string());
            };
            let (main, main_stem) = main_stem(stems_here);
            let own = normalise(stem);
            let count = stems_here.get(&own).map_or(0, |s| s.count);
            // "Neco Weekly 今回は…" (a page whose title ran into its text).
            let extends_main = !is_nameless_or_empty(main)
                && own.strip_prefix(main.as_str()).is_some_and(|rest| rest.starts_with(' '));
            let joins_main = own == *main || extends_main || is_near_variant(&own, main);
            let name_of = |normal: &str, stem: &Stem| {
                if is_nameless_or_empty(normal) {
                    candidate.folder.to_string()
                } else {
                    stem.spelling().to_string()
                }
            };
            let decided = if joins_main {
                name_of(main, main_stem)
            } else if count >= 2 || main_stem.count < 2 || metadata::title_has_marks(candidate.title) {
                match stems_here.get(&own) {
                    Some(stem) => name_of(&own, stem),
                    None => candidate.folder.to_string(),
                }
            } else {
                return Decision::Skip(format!(
                    "\"{}\" does not name {} like the other issues beside it; not an issue, skipped",
                    candidate.title,
                    name_of(main, main_stem)
                ));
            };
            Decision::Publication(forced.map_or(decided, str::to_string))
        })
        .collect()
}

#[derive(Debug, Default)]
struct Stem {
    count: usize,
    spellings: BTreeMap<String, usize>,
}

impl Stem {
    /// The most common way of writing it; ties to the one that sorts first.
    fn spelling(&self) -> &str {
        self.spellings
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map_or("", |(spelling, _)| spelling)
    }
}

/// The stem most issues of a folder share; ties to the one that sorts first.
fn main_stem(stems: &BTreeMap<String, Stem>) -> (&String, &Stem) {
    stems
        .iter()
        .max_by(|a, b| a.1.count.cmp(&b.1.count).then(b.0.cmp(a.0)))
        .expect("a folder in the map has a stem")
}

fn normalise(stem: &str) -> String {
    stem.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_nameless_or_empty(normal: &str) -> bool {
    normal.is_empty() || metadata::is_nameless(normal)
}

/// Same number of words, the same last word (what the newsletter is
/// about), and at most half the words different: "last week in rust" and
/// "these weeks in rust" beside "this week in rust"; not "the state of rust".
fn is_near_variant(stem: &str, main: &str) -> bool {
    let words: Vec<&str> = stem.split(' ').collect();
    let main_words: Vec<&str> = main.split(' ').collect();
    if words.len() != main_words.len() || words.len() < 2 || words.last() != main_words.last() {
        return false;
    }
    let different = words
        .iter()
        .zip(&main_words)
        .filter(|(a, b)| a != b)
        .count();
    different * 2 <= words.len()
}

/// How the day-month order of one publication's undecided dates was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Issues of the publication with a day past 12 show the order.
    ByEvidence {
        order: Order,
        issues: usize,
    },
    /// Read that way, the issues come out at the more regular interval.
    ByCadence(Order),
    Unsettled,
}

impl Settled {
    pub fn order(self) -> Option<Order> {
        match self {
            Settled::ByEvidence { order, .. } | Settled::ByCadence(order) => Some(order),
            Settled::Unsettled => None,
        }
    }
}

/// Decides which way round one publication writes day and month: the way
/// its issues with a day past 12 show (`shown`), else the way that puts its
/// issues (`fixed` dates plus the `undecided` ones) at the more regular
/// interval.
pub fn settle_day_month(fixed: &[Date], undecided: &[DayMonth], shown: &[Order]) -> Settled {
    let month_first = shown.iter().filter(|&&o| o == Order::MonthFirst).count();
    let day_first = shown.len() - month_first;
    if month_first != day_first {
        let (order, issues) = if month_first > day_first {
            (Order::MonthFirst, month_first)
        } else {
            (Order::DayFirst, day_first)
        };
        return Settled::ByEvidence { order, issues };
    }
    let irregularity = |order: Order| {
        let mut dates: Vec<Date> = fixed.to_vec();
        dates.extend(undecided.iter().map(|d| match order {
            Order::MonthFirst => d.month_first,
            Order::DayFirst => d.day_first,
        }));
        cadence_irregularity(dates)
    };
    match (
        irregularity(Order::MonthFirst),
        irregularity(Order::DayFirst),
    ) {
        (Some(a), Some(b)) if a < b => Settled::ByCadence(Order::MonthFirst),
        (Some(a), Some(b)) if b < a => Settled::ByCadence(Order::DayFirst),
        _ => Settled::Unsettled,
    }
}

/// How far the gaps between issues stray from their median, in days; `None`
/// with fewer than three issues, where no cadence shows.
fn cadence_irregularity(mut dates: Vec<Date>) -> Option<i64> {
    dates.sort();
    dates.dedup();
    if dates.len() < 3 {
        return None;
    }
    let mut gaps: Vec<i64> = dates
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_days())
        .collect();
    gaps.sort();
    let median = gaps[gaps.len() / 2];
    Some(gaps.iter().map(|gap| (gap - median).abs()).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(folder: &'a str, title: &'a str) -> Candidate<'a> {
        Candidate {
            folder,
            title,
            named: None,
            dated: true,
            numbered: false,
        }
    }

    #[test]
    fn variants_join_and_strays_are_skipped() {
        let titles = [
            "This Week in Rust 1",
            "This Week In Rust 2",
            "This Week in Rust 3",
            "These Weeks in Rust 22",
            "Last Week in Rust 8",
            "The State of Rust 0.7",
        ];
        let candidates: Vec<Candidate> = titles.iter().map(|t| candidate("twir", t)).collect();
        let decisions = decide_publications(&candidates, None);
        let rust = Decision::Publication("This Week in Rust".into());
        assert_eq!(
            decisions[..5],
            [rust.clone(), rust.clone(), rust.clone(), rust.clone(), rust]
        );
        assert!(
            matches!(&decisions[5], Decision::Skip(why) if why.contains("The State of Rust 0.7"))
        );
    }

    #[test]
    fn nameless_stems_take_the_folder_and_undated_unnumbered_pages_are_skipped() {
        let mut candidates = vec![
            candidate("LWKD", "Week Ending January 14, 2018"),
            candidate("LWKD", "Special Edition: Week Ending February 4, 2018"),
            candidate("LWKD", "About"),
        ];
        candidates[2].dated = false;
        let decisions = decide_publications(&candidates, None);
        assert_eq!(decisions[0], Decision::Publication("LWKD".into()));
        assert_eq!(decisions[1], Decision::Publication("LWKD".into()));
        assert!(
            matches!(&decisions[2], Decision::Skip(why) if why.contains("no date and no number"))
        );
        let forced = decide_publications(&candidates[..1], Some("Kubernetes"));
        assert_eq!(forced, [Decision::Publication("Kubernetes".into())]);
    }

    #[test]
    fn day_month_order_by_evidence_then_cadence() {
        let date = |y, m, d| Date::from_ymd_opt(y, m, d).unwrap();
        let undecided = [DayMonth {
            month_first: date(2024, 3, 4),
            day_first: date(2024, 4, 3),
        }];
        assert_eq!(
            settle_day_month(&[], &undecided, &[Order::MonthFirst]),
            Settled::ByEvidence {
                order: Order::MonthFirst,
                issues: 1
            }
        );
        // Weekly on Mondays from 2024-02-19: 2024-03-04 fits, 2024-04-03 does not.
        let fixed = [date(2024, 2, 19), date(2024, 2, 26), date(2024, 3, 11)];
        assert_eq!(
            settle_day_month(&fixed, &undecided, &[]),
            Settled::ByCadence(Order::MonthFirst)
        );
        assert_eq!(settle_day_month(&[], &undecided, &[]), Settled::Unsettled);
    }
}
