//! The retrospective: what moved in one chosen period (a week, month,
//! quarter or year, whatever the length of the series), told apart by what
//! an entity is: topics and tools, KEPs, pull requests.
//!
//! # Which period
//!
//! `--at LABEL` names it (`2024-11`, `2024-Q4`, `2023`); it may be longer
//! than a step of the series (a year over monthly series), never shorter.
//! Without it, the last *complete* period of the series' length: a period
//! is complete when the corpus has an issue dated after its end, or when
//! its last issue is so close to its end that the publication's next issue
//! is due after it (the last issue's date plus the corpus' median interval
//! between issue dates falls past the period's end). A period no issue
//! falls in is never chosen.
//!
//! # What counts as new, rising, falling
//!
//! The period's items mentioning an entity are compared with those of the
//! same-length periods before it (as many as the series' baseline: 8 weeks,
//! 6 months, 4 quarters, 3 years), with the test of [`super::status`]. An
//! entity is *new* when the period holds its first mention ever and it is
//! about it: at least two items name it, or one item's title does; other
//! first mentions are listed in one compact line. A pull request is an
//! event, not a topic that fades: it is never falling or gone.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::status::{self, MIN_COUNT};
use super::{Period, PeriodSpan, Series, Trends};
use crate::graph::CoMentionGraph;
use crate::model::{Date, EntityTable, IssueRecord};
use crate::words::count;

/// Items of the period needed for a first mention to be "new".
pub const NEW_MIN_ITEMS: u32 = 2;

/// The dates of the items whose title names an entity (the surface of one
/// of its mentions, in any case), per entity: what makes a single item
/// "about" it.
#[derive(Debug, Clone, Default)]
pub struct TitleNames {
    by_entity: FxHashMap<String, Vec<Date>>,
}

impl TitleNames {
    pub fn add(&mut self, record: &IssueRecord) {
        let Some(date) = record.issue.date else {
            return;
        };
        let titles: FxHashMap<&str, String> = record
            .items
            .iter()
            .map(|item| (item.id.as_str(), item.title.to_lowercase()))
            .collect();
        for mention in &record.mentions {
            let Some(title) = mention.item_id.as_deref().and_then(|id| titles.get(id)) else {
                continue;
            };
            let surface = mention.surface.to_lowercase();
            if surface.is_empty() || !title.contains(&surface) {
                continue;
            }
            let dates = self.by_entity.entry(mention.entity_id.clone()).or_default();
            if dates.last() != Some(&date) {
                dates.push(date);
            }
        }
    }

    pub fn of_records(records: &[IssueRecord]) -> TitleNames {
        let mut names = TitleNames::default();
        records.iter().for_each(|r| names.add(r));
        names
    }

    /// Whether an item dated within `start..=end` names `entity` in its title.
    pub fn named_between(&self, entity: &str, start: Date, end: Date) -> bool {
        self.by_entity
            .get(entity)
            .is_some_and(|dates| dates.iter().any(|d| (start..=end).contains(d)))
    }
}

/// A period of the retrospective and the series steps it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub span: PeriodSpan,
    pub length: Period,
    /// First and last step of the series inside it.
    pub from: usize,
    pub to: usize,
}

impl Window {
    /// The window of `length` holding `date`, when the series reach it.
    pub fn of(trends: &Trends, length: Period, date: Date) -> Option<Window> {
        let span = length.span(date);
        let from = trends.spans.iter().position(|s| s.start >= span.start)?;
        let to = trends.spans.iter().rposition(|s| s.start <= span.end)?;
        (from <= to && trends.spans[from].start <= span.end).then_some(Window {
            span,
            length,
            from,
            to,
        })
    }

    pub fn items(&self, trends: &Trends) -> u32 {
        trends.items[self.from..=self.to].iter().sum()
    }

    pub fn issues(&self, trends: &Trends) -> u32 {
        trends.stats[self.from..=self.to]
            .iter()
            .map(|s| s.issues)
            .sum()
    }
}

/// The chosen period and, for people, why it is that one.
#[derive(Debug, Clone)]
pub struct Choice {
    pub window: Window,
    pub why: String,
}

/// The period `--at` names, or the last complete one (see the module
/// documentation). `issue_dates`: the dates of the corpus' issues (any
/// order), which say how often it appears.
pub fn choose(trends: &Trends, at: Option<&str>, issue_dates: &[Date]) -> Result<Choice, String> {
    let (Some(first), Some(last)) = (trends.spans.first(), trends.spans.last()) else {
        return Err("no issue has a date, so there is no time series".to_string());
    };
    if let Some(label) = at {
        let Some(length) = Period::of_label(label) else {
            return Err(format!(
                "--at {label:?} is not a period; write it like 2024-11, 2024-Q4 or 2023"
            ));
        };
        if order(length) < order(trends.period) {
            return Err(format!(
                "--at {label:?} is a {}, shorter than the series' {}s; add --period {}",
                length.as_str(),
                trends.period.as_str(),
                length.as_str()
            ));
        }
        let wanted = label.trim().to_ascii_uppercase();
        let window = length
            .spans(first.start, last.end)
            .into_iter()
            .find(|span| span.label == wanted)
            .and_then(|span| Window::of(trends, length, span.start));
        return match window {
            Some(window) => Ok(Choice {
                why: format!("asked for with --at {}", window.span.label),
                window,
            }),
            None => Err(format!(
                "--at {label:?} is outside the corpus, which runs from {} to {}",
                first.label, last.label
            )),
        };
    }
    let mut dates: Vec<Date> = issue_dates.to_vec();
    dates.sort_unstable();
    dates.dedup();
    let latest = dates.last().copied().unwrap_or(last.end);
    let cadence = median_gap_days(&dates);
    for t in (0..trends.spans.len()).rev() {
        if trends.stats[t].issues == 0 {
            continue;
        }
        let span = &trends.spans[t];
        let Some(window) = Window::of(trends, trends.period, span.start) else {
            continue;
        };
        if latest > span.end {
            let why = if t + 1 == trends.spans.len() {
                "the last period".to_string()
            } else {
                format!(
                    "the last complete {}: the corpus has issues after {}",
                    trends.period.as_str(),
                    span.end
                )
            };
            return Ok(Choice { window, why });
        }
        let last_in = dates
            .iter()
            .rev()
            .find(|d| span.start <= **d && **d <= span.end)
            .copied()
            .unwrap_or(span.start);
        let next_due = cadence.and_then(|days| last_in.checked_add_days(chrono::Days::new(days)));
        if next_due.is_some_and(|due| due > span.end) {
            let why = format!(
                "the last {}, complete: its last issue ({last_in}) is within the corpus' interval between issues ({}) of its end",
                trends.period.as_str(),
                count(cadence.unwrap_or(0) as usize, "day")
            );
            return Ok(Choice { window, why });
        }
        // Only the last period with issues can be incomplete; say so when
        // the one before is chosen.
        if let Some(earlier) = (0..t).rev().find(|&e| trends.stats[e].issues > 0) {
            let span_before = &trends.spans[earlier];
            if let Some(window) = Window::of(trends, trends.period, span_before.start) {
                let why = format!(
                    "the last complete {}: {} is not over yet (its last issue is {last_in}, the next is due {})",
                    trends.period.as_str(),
                    span.label,
                    next_due.map_or_else(|| "later".to_string(), |d| d.to_string())
                );
                return Ok(Choice { window, why });
            }
        }
        return Ok(Choice {
            window,
            why: "the only period with issues".to_string(),
        });
    }
    Err("no period has an issue".to_string())
}

/// Periods from the shortest (weeks) to the longest (years).
fn order(period: Period) -> usize {
    Period::ALL.iter().position(|&p| p == period).unwrap_or(0)
}

/// The median interval in days between consecutive issue dates.
fn median_gap_days(sorted_dates: &[Date]) -> Option<u64> {
    let mut gaps: Vec<u64> = sorted_dates
        .windows(2)
        .map(|w| (w[1] - w[0]).num_days().max(0) as u64)
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    Some(gaps[gaps.len() / 2])
}

/// What an entity is, for the tables: a pull request and a KEP are events
/// and proposals, not topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Topic,
    Kep,
    Pr,
}

impl Group {
    pub fn of(kind: &str) -> Group {
        match kind {
            "pr" => Group::Pr,
            "kep" => Group::Kep,
            _ => Group::Topic,
        }
    }
}

/// One entity's figures in the window.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Moved<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    /// Items of the window mentioning it.
    pub items: u32,
    /// Items per 100 items of the window.
    pub per_100: f64,
    /// Items per 100 items of the baseline windows, smoothed.
    pub baseline_per_100: f64,
    /// −log₁₀ p of the rise or fall; 0 when neither.
    pub strength: f64,
    /// Mentions per series step over the window and its baseline.
    #[serde(skip)]
    pub series: &'a Series,
}

/// A KEP that appeared: number, title and SIG as the corpus gives them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KepRow<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub title: &'a str,
    pub sig: &'a str,
    pub items: u32,
}

/// What moved in one window.
#[derive(Debug, Clone)]
pub struct Retrospective<'a> {
    pub window: Window,
    pub why: String,
    pub issues: u32,
    pub items: u32,
    /// Steps of the series the baseline covers, oldest first.
    pub baseline_from: usize,
    /// Topics and tools (every kind but KEPs and pull requests).
    pub covered: Vec<Moved<'a>>,
    pub rising: Vec<Moved<'a>>,
    pub new: Vec<Moved<'a>>,
    /// Topics and tools seen for the first time, but not enough to be new.
    pub first_mentions: Vec<Moved<'a>>,
    pub falling: Vec<Moved<'a>>,
    pub gone: Vec<Moved<'a>>,
    pub keps_appeared: Vec<KepRow<'a>>,
    /// KEPs by items in the window (first mentions or not).
    pub keps_covered: Vec<Moved<'a>>,
    /// Pull requests by items in the window.
    pub pulls: Vec<Moved<'a>>,
}

impl<'a> Retrospective<'a> {
    /// `entities`: every entity in force, for KEP SIGs.
    pub fn of(
        trends: &'a Trends,
        choice: Choice,
        titles: &TitleNames,
        entities: &'a EntityTable,
    ) -> Retrospective<'a> {
        let window = choice.window;
        let (from, to) = (window.from, window.to);
        let baselines = baseline_windows(trends, &window);
        let baseline_from = baselines.last().map_or(from, |w| w.from);
        let items = window.items(trends);
        let baseline_items: u32 = baselines.iter().map(|w| w.items(trends)).sum();
        let mut retro = Retrospective {
            issues: window.issues(trends),
            items,
            why: choice.why,
            baseline_from,
            covered: Vec::new(),
            rising: Vec::new(),
            new: Vec::new(),
            first_mentions: Vec::new(),
            falling: Vec::new(),
            gone: Vec::new(),
            keps_appeared: Vec::new(),
            keps_covered: Vec::new(),
            pulls: Vec::new(),
            window: window.clone(),
        };
        for series in &trends.entities {
            if trends.left_out.contains(&series.key) {
                continue;
            }
            let in_window: u32 = series.mentions.sum_between(from, to);
            let present = series.issues.any_between(from, to);
            let before: u32 = baselines
                .iter()
                .map(|w| series.mentions.sum_between(w.from, w.to))
                .sum();
            let seen_before = from > 0 && series.issues.any_between(0, from - 1);
            if !present && before == 0 {
                continue;
            }
            let change = status::change(in_window, items, before, baseline_items);
            let moved = Moved {
                id: &series.key,
                name: &series.name,
                kind: series.kind,
                items: in_window,
                per_100: per_100(in_window, items),
                baseline_per_100: change.baseline_share * 100.0,
                strength: if change.direction != 0 {
                    change.strength
                } else {
                    0.0
                },
                series,
            };
            let group = Group::of(series.kind);
            let first_seen_here = present && !seen_before;
            match group {
                Group::Pr => {
                    if in_window > 0 {
                        retro.pulls.push(moved);
                    }
                    continue;
                }
                Group::Kep => {
                    if first_seen_here {
                        let (number, title) = kep_number_and_title(series);
                        retro.keps_appeared.push(KepRow {
                            id: &series.key,
                            number,
                            title,
                            sig: entities.get(&series.key).map_or("", |e| e.sig.as_str()),
                            items: in_window,
                        });
                    }
                    if in_window > 0 {
                        retro.keps_covered.push(moved);
                    }
                    continue;
                }
                Group::Topic => {}
            }
            if first_seen_here {
                let about_it = in_window >= NEW_MIN_ITEMS
                    || (in_window == 1
                        && titles.named_between(&series.key, window.span.start, window.span.end));
                if about_it {
                    retro.new.push(moved.clone());
                } else {
                    retro.first_mentions.push(moved.clone());
                }
            } else if present && change.direction > 0 {
                retro.rising.push(moved.clone());
            } else if !present && is_gone(series, &baselines, window.length) {
                retro.gone.push(moved.clone());
            } else if change.direction < 0 {
                retro.falling.push(moved.clone());
            }
            if in_window > 0 {
                retro.covered.push(moved);
            }
        }
        let by_items = |a: &Moved<'_>, b: &Moved<'_>| b.items.cmp(&a.items).then(a.id.cmp(b.id));
        let by_strength = |a: &Moved<'_>, b: &Moved<'_>| {
            b.strength
                .total_cmp(&a.strength)
                .then(b.items.cmp(&a.items))
                .then(a.id.cmp(b.id))
        };
        retro.covered.sort_by(by_items);
        retro.new.sort_by(by_items);
        retro.first_mentions.sort_by(by_items);
        retro.keps_covered.sort_by(by_items);
        retro.pulls.sort_by(by_items);
        retro.rising.sort_by(by_strength);
        retro.falling.sort_by(by_strength);
        retro.gone.sort_by(|a, b| {
            b.baseline_per_100
                .total_cmp(&a.baseline_per_100)
                .then(a.id.cmp(b.id))
        });
        retro
            .keps_appeared
            .sort_by(|a, b| b.items.cmp(&a.items).then(a.id.cmp(b.id)));
        retro
    }

    /// The windows of a quarter and a year holding this one's end, when
    /// they are longer than it: the "this quarter" and "this year" blocks.
    pub fn wider_windows(&self, trends: &Trends) -> Vec<Window> {
        [Period::Quarter, Period::Year]
            .into_iter()
            .filter(|&length| {
                order(length) > order(self.window.length) && order(length) >= order(trends.period)
            })
            .filter_map(|length| Window::of(trends, length, self.window.span.end))
            .collect()
    }

    /// The written summary: a few sentences, with numbers, that open the
    /// report. `graph`: for the clusters that were active.
    pub fn summary(&self, trends: &Trends, graph: Option<&CoMentionGraph>) -> Vec<String> {
        let mut sentences = Vec::new();
        let span = &self.window.span;
        sentences.push(format!(
            "{} ({} {} to {}, {}): {}, {}.",
            span.label,
            self.window.length.as_str(),
            span.start,
            span.end,
            self.why,
            count(self.issues as usize, "issue"),
            count(self.items as usize, "item")
        ));
        if !self.rising.is_empty() {
            sentences.push(format!(
                "Rising: {}.",
                list(&self.rising, 4, |m| format!(
                    "{} ({}, {:.1} per 100 items against {:.1} before)",
                    m.name,
                    count(m.items as usize, "item"),
                    m.per_100,
                    m.baseline_per_100
                ))
            ));
        }
        if !self.covered.is_empty() {
            sentences.push(format!(
                "Covered most: {}.",
                list(&self.covered, 5, |m| format!(
                    "{} ({})",
                    m.name,
                    count(m.items as usize, "item")
                ))
            ));
        }
        if !self.new.is_empty() {
            sentences.push(format!(
                "New: {}{}.",
                list(&self.new, 5, |m| format!(
                    "{} ({})",
                    m.name,
                    count(m.items as usize, "item")
                )),
                if self.first_mentions.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} more named once",
                        count(self.first_mentions.len(), "first mention")
                    )
                }
            ));
        }
        if !self.keps_appeared.is_empty() {
            sentences.push(format!(
                "{} appeared: {}.",
                count(self.keps_appeared.len(), "KEP"),
                self.keps_appeared
                    .iter()
                    .take(4)
                    .map(|k| if k.title.is_empty() {
                        format!("KEP-{}", k.number)
                    } else {
                        format!("KEP-{} ({})", k.number, k.title)
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        if !self.falling.is_empty() {
            sentences.push(format!(
                "Fell: {}.",
                self.falling
                    .iter()
                    .take(4)
                    .map(|m| format!(
                        "{} ({}, {:.1} per 100 items against {:.1} before)",
                        m.name,
                        count(m.items as usize, "item"),
                        m.per_100,
                        m.baseline_per_100
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.gone.is_empty() {
            sentences.push(format!(
                "Went quiet: {}.",
                list(&self.gone, 4, |m| format!(
                    "{} ({:.1} per 100 items before)",
                    m.name, m.baseline_per_100
                ))
            ));
        }
        let clusters = self.active_clusters(trends, graph);
        if !clusters.is_empty() {
            sentences.push(format!(
                "Most active clusters: {}.",
                clusters
                    .iter()
                    .take(3)
                    .map(|(items, names)| format!(
                        "{} ({})",
                        names.join(", "),
                        count(*items as usize, "item mention")
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        sentences
    }

    /// Communities of the co-mention graph by their members' items in the
    /// window, with their three most mentioned members there.
    pub fn active_clusters(
        &self,
        trends: &Trends,
        graph: Option<&CoMentionGraph>,
    ) -> Vec<(u32, Vec<String>)> {
        let Some(graph) = graph else {
            return Vec::new();
        };
        let mut by_community: BTreeMap<u32, Vec<(u32, &str)>> = BTreeMap::new();
        for node in graph.nodes() {
            // Named by its topics and tools: a KEP's or a pull request's
            // title says less of what the cluster is about.
            if trends.left_out.contains(&node.entity_id)
                || Group::of(node.kind.as_str()) != Group::Topic
            {
                continue;
            }
            let Some(series) = trends.entity(&node.entity_id) else {
                continue;
            };
            let items: u32 = series
                .mentions
                .sum_between(self.window.from, self.window.to);
            if items > 0 {
                by_community
                    .entry(node.community)
                    .or_default()
                    .push((items, series.name.as_str()));
            }
        }
        let mut clusters: Vec<(u32, Vec<String>)> = by_community
            .into_values()
            .filter(|members| members.len() >= 2)
            .map(|mut members| {
                members.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
                let total = members.iter().map(|m| m.0).sum();
                let names = members.iter().take(3).map(|m| m.1.to_string()).collect();
                (total, names)
            })
            .collect();
        clusters.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        clusters
    }
}

/// The windows of the same length before `window` that had items, nearest
/// first, as many as the series' baseline holds.
fn baseline_windows(trends: &Trends, window: &Window) -> Vec<Window> {
    let wanted = window.length.windows().baseline;
    let mut found = Vec::new();
    let mut before = window.span.start.pred_opt();
    while let Some(day) = before {
        if found.len() == wanted {
            break;
        }
        let Some(earlier) = Window::of(trends, window.length, day) else {
            break;
        };
        before = earlier.span.start.pred_opt();
        let reached_start = earlier.from == 0;
        if earlier.items(trends) > 0 {
            found.push(earlier);
        }
        if reached_start {
            break;
        }
    }
    found
}

/// Gone: absent from the window and from the windows just before it, so
/// that the silence lasts as long as the series' own "gone" takes (a quarter
/// of months, half a year of quarters, a year), after being present in
/// every one of at least two baseline windows before the silence, with at
/// least [`MIN_COUNT`] items there.
fn is_gone(series: &Series, baselines: &[Window], length: Period) -> bool {
    let quiet = length
        .windows()
        .gone_after
        .saturating_sub(1)
        .min(baselines.len());
    let (silent, before) = baselines.split_at(quiet);
    let present = |w: &Window| series.issues.any_between(w.from, w.to);
    let items: u32 = before
        .iter()
        .map(|w| series.mentions.sum_between(w.from, w.to))
        .sum();
    !silent.iter().any(present)
        && before.len() >= 2
        && before.iter().all(present)
        && items >= MIN_COUNT
}

fn per_100(count: u32, items: u32) -> f64 {
    if items == 0 {
        0.0
    } else {
        100.0 * f64::from(count) / f64::from(items)
    }
}

/// "KEP-1287: In-place Update of Pod Resources" → ("1287", "In-place …").
fn kep_number_and_title(series: &Series) -> (&str, &str) {
    let number = series.key.strip_prefix("kep:").unwrap_or(&series.key);
    let title = series
        .name
        .split_once(": ")
        .map_or("", |(_, title)| title.trim());
    (number, title)
}

fn list<'a>(rows: &[Moved<'a>], n: usize, cell: impl Fn(&Moved<'a>) -> String) -> String {
    rows.iter().take(n).map(cell).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::{compute, fixture};
    use super::*;

    #[test]
    fn at_names_a_period_at_least_as_long_as_a_step() {
        let trends = compute(&fixture::corpus(), Period::Month);
        let dates: Vec<Date> = fixture::corpus()
            .records
            .iter()
            .filter_map(|r| r.issue.date)
            .collect();
        let month = choose(&trends, Some("2022-08"), &dates).unwrap();
        assert_eq!((month.window.from, month.window.to), (1, 1));
        let quarter = choose(&trends, Some("2022-q3"), &dates).unwrap();
        assert_eq!(quarter.window.span.label, "2022-Q3");
        assert_eq!((quarter.window.from, quarter.window.to), (0, 2));
        let year = choose(&trends, Some("2022"), &dates).unwrap();
        assert_eq!((year.window.from, year.window.to), (0, 3));
        assert!(
            choose(&trends, Some("2021-01"), &dates)
                .unwrap_err()
                .contains("2022-07 to 2022-10")
        );
        let quarterly = compute(&fixture::corpus(), Period::Quarter);
        assert!(
            choose(&quarterly, Some("2022-08"), &dates)
                .unwrap_err()
                .contains("--period month")
        );
    }

    #[test]
    fn the_default_is_the_last_complete_period() {
        let trends = compute(&fixture::corpus(), Period::Month);
        // Issues on 07-22, 08-05, 10-14: gaps of 14 and 70 days, the upper
        // middle (70) the median; October's issue is within 70 days of the
        // month's end, so October is complete.
        let dates = [
            fixture::date(2022, 7, 22),
            fixture::date(2022, 8, 5),
            fixture::date(2022, 10, 14),
        ];
        let choice = choose(&trends, None, &dates).unwrap();
        assert_eq!(choice.window.span.label, "2022-10");
        // Weekly issues: 10-14 is more than a week before the month's end,
        // so October is not over and August (the last with issues) is chosen.
        let weekly: Vec<Date> = dates
            .iter()
            .copied()
            .chain([fixture::date(2022, 8, 12), fixture::date(2022, 8, 19)])
            .collect();
        let choice = choose(&trends, None, &weekly).unwrap();
        assert_eq!(choice.window.span.label, "2022-08");
        assert!(choice.why.contains("2022-10 is not over"), "{}", choice.why);
    }

    #[test]
    fn one_item_is_new_only_when_its_title_names_it() {
        let corpus = fixture::corpus();
        let trends = compute(&corpus, Period::Month);
        let dates: Vec<Date> = corpus.records.iter().filter_map(|r| r.issue.date).collect();
        let choice = choose(&trends, Some("2022-07"), &dates).unwrap();
        let titles = TitleNames::default();
        let retro = Retrospective::of(&trends, choice.clone(), &titles, &corpus.entities);
        // Kubebuilder and MOCO: one item each in July, no title names them.
        let firsts: Vec<&str> = retro.first_mentions.iter().map(|m| m.id).collect();
        assert_eq!(firsts, ["neco:moco", "tool:kubebuilder"]);
        assert!(retro.new.is_empty());
        let mut titles = TitleNames::default();
        let mut record = corpus.records[0].clone();
        record.items[0].title = "Kubebuilder 4.0".into();
        for mention in &mut record.mentions {
            if mention.entity_id == "tool:kubebuilder" {
                mention.surface = "kubebuilder".into();
            }
        }
        titles.add(&record);
        let retro = Retrospective::of(&trends, choice, &titles, &corpus.entities);
        let new: Vec<&str> = retro.new.iter().map(|m| m.id).collect();
        assert_eq!(new, ["tool:kubebuilder"]);
        // August: CEL's two items make it new without a title.
        let august = choose(&trends, Some("2022-08"), &dates).unwrap();
        let retro = Retrospective::of(&trends, august, &titles, &corpus.entities);
        assert_eq!(
            retro.new.iter().map(|m| m.id).collect::<Vec<_>>(),
            ["topic:cel"]
        );
    }

    #[test]
    fn pull_requests_never_fall_and_keps_are_grouped() {
        use crate::model::Category::News;
        let day = |m: u32, d: u32| Some(fixture::date(2023, m, d));
        let pr = "pr:kubernetes/kubernetes#1";
        let kep = "kep:1287";
        let busy: &[(crate::model::Category, &[&str])] = &[
            (News, &[pr, "tool:kubebuilder"]),
            (News, &[pr, "tool:kubebuilder"]),
        ];
        let empty: &[(crate::model::Category, &[&str])] = &[(News, &[]), (News, &[])];
        let quiet: &[(crate::model::Category, &[&str])] =
            &[(News, &[kep]), (News, &[]), (News, &[])];
        // Kubebuilder and the PR every month to March, then three months
        // without: Kubebuilder is gone in June (a quarter of silence), the
        // pull request is not.
        let records = vec![
            fixture::record(day(1, 6), busy, &[], &[]),
            fixture::record(day(2, 3), busy, &[], &[]),
            fixture::record(day(3, 3), busy, &[], &[]),
            fixture::record(day(4, 7), empty, &[], &[]),
            fixture::record(day(5, 5), empty, &[], &[]),
            fixture::record(day(6, 2), quiet, &[], &[]),
        ];
        let mut corpus = fixture::corpus();
        corpus.records = records;
        let trends = compute(&corpus, Period::Month);
        let dates: Vec<Date> = corpus.records.iter().filter_map(|r| r.issue.date).collect();
        let april = choose(&trends, Some("2023-04"), &dates).unwrap();
        let retro = Retrospective::of(&trends, april, &TitleNames::default(), &corpus.entities);
        assert!(retro.gone.is_empty(), "one silent month is not gone");
        let june = choose(&trends, Some("2023-06"), &dates).unwrap();
        let retro = Retrospective::of(&trends, june, &TitleNames::default(), &corpus.entities);
        let gone: Vec<&str> = retro
            .gone
            .iter()
            .chain(&retro.falling)
            .map(|m| m.id)
            .collect();
        assert_eq!(gone, ["tool:kubebuilder"]);
        assert!(retro.pulls.is_empty());
        let keps: Vec<(&str, u32)> = retro
            .keps_appeared
            .iter()
            .map(|k| (k.number, k.items))
            .collect();
        assert_eq!(keps, [("1287", 1)]);
        assert!(retro.first_mentions.is_empty() && retro.new.is_empty());
    }
}
