//! One time series (an entity, a section category or an entity kind) with
//! its share, status and bursts per period.

use serde::Serialize;

use super::Period;
use super::burst::{self, Burst};
use super::cells::Cells;
use super::status::{self, Status};

/// How far back the baseline reaches and how long an absence lasts before
/// an entity is gone, in periods that had items.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    pub baseline: usize,
    pub gone_after: usize,
}

impl Period {
    /// About half a year of baseline for weeks and months, a year for
    /// quarters, three years for years; gone after two months of weeks, a
    /// quarter of months, half a year of quarters, a whole year.
    pub fn windows(self) -> Windows {
        match self {
            Period::Week => Windows {
                baseline: 8,
                gone_after: 8,
            },
            Period::Month => Windows {
                baseline: 6,
                gone_after: 3,
            },
            Period::Quarter => Windows {
                baseline: 4,
                gone_after: 2,
            },
            Period::Year => Windows {
                baseline: 3,
                gone_after: 1,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Entity id, category name or kind name.
    pub key: String,
    pub name: String,
    /// The entity kind, or `category` / `kind` for those series.
    pub kind: &'static str,
    /// Items mentioning the entity (items of the category) per period.
    /// Every per-period field is stored sparse ([`Cells`]): memory follows
    /// the periods a series has something in, not the corpus's length.
    pub mentions: Cells<u32>,
    /// Issues mentioning it anywhere, outside items included.
    pub issues: Cells<u32>,
    pub share: Cells<f64>,
    /// 1 = most mentioned of its series family in the period; `None` when
    /// not mentioned. Ties share a rank.
    pub rank: Cells<Option<u32>>,
    pub status: Cells<Status>,
    /// −log₁₀ p of the rise or fall; `None` when neither.
    pub strength: Cells<Option<f64>>,
    pub bursts: Vec<Burst>,
}

/// One period of a series that has something in it: `(period, mentions,
/// issues)`.
pub type PeriodValues = (usize, u32, u32);

/// Every period's items, with their sum: what each series is measured
/// against, summed once for all of them.
#[derive(Debug, Clone, Copy)]
pub struct PeriodItems<'a> {
    pub per_period: &'a [u32],
    pub total: f64,
}

impl<'a> PeriodItems<'a> {
    pub fn new(per_period: &'a [u32]) -> PeriodItems<'a> {
        PeriodItems {
            per_period,
            total: per_period.iter().map(|&d| f64::from(d)).sum(),
        }
    }
}

thread_local! {
    /// Every period's mentions and issues of the series being assessed,
    /// zero outside its periods: filled from its [`PeriodValues`] and
    /// cleared after, so that millions of series share one per thread.
    static DENSE: std::cell::RefCell<(Vec<u32>, Vec<u32>)> = Default::default();
}

impl Series {
    /// A series from every period's counts.
    pub fn new(
        key: String,
        name: String,
        kind: &'static str,
        mentions: Vec<u32>,
        issues: Vec<u32>,
        items: &[u32],
        period: Period,
    ) -> Series {
        let values: Vec<PeriodValues> = mentions
            .iter()
            .zip(&issues)
            .enumerate()
            .filter(|(_, (m, i))| **m > 0 || **i > 0)
            .map(|(t, (&m, &i))| (t, m, i))
            .collect();
        let periods = mentions.len();
        let items = PeriodItems::new(&items[..periods.min(items.len())]);
        Series::of_values(key, name, kind, &values, periods, items, period)
    }

    /// A series of `periods` periods from those with counts, in period
    /// order: its time and memory follow them (and the few periods after
    /// the last that its status is assessed over), not the corpus's length.
    pub fn of_values(
        key: String,
        name: String,
        kind: &'static str,
        values: &[PeriodValues],
        periods: usize,
        items: PeriodItems<'_>,
        period: Period,
    ) -> Series {
        let (items_total, items) = (items.total, items.per_period);
        let share = Cells::from_sparse(
            periods,
            0.0,
            values
                .iter()
                .filter_map(|&(t, m, _)| Some((t, m, *items.get(t)?)))
                .filter(|&(_, m, n)| m > 0 && n > 0)
                .map(|(t, m, n)| (t, f64::from(m) / f64::from(n))),
        );
        let ((status, strength), bursts) = DENSE.with_borrow_mut(|(mentions, issues)| {
            if mentions.len() < periods {
                mentions.resize(periods, 0);
                issues.resize(periods, 0);
            }
            let within = |&&(t, _, _): &&PeriodValues| t < periods;
            for &(t, m, i) in values.iter().filter(within) {
                mentions[t] = m;
                issues[t] = i;
            }
            let (mentions_now, issues_now) = (&mentions[..periods], &issues[..periods]);
            let mut seen = values.iter().filter(|&&(t, _, i)| t < periods && i > 0);
            let assessed = match (seen.clone().next(), seen.next_back()) {
                (Some(first), Some(last)) => assess_from(
                    first.0,
                    last.0,
                    mentions_now,
                    issues_now,
                    items,
                    period.windows(),
                ),
                _ => (
                    Cells::empty(periods, Status::Quiet),
                    Cells::empty(periods, None),
                ),
            };
            // The hits summed in period order, as over every period: adding
            // the zeros between them changes no bit.
            let bursts = if items.len() == periods {
                let hits: f64 = values
                    .iter()
                    .filter(|&&(t, _, _)| t < periods)
                    .map(|&(_, m, _)| f64::from(m))
                    .sum();
                burst::detect_with_sums(
                    mentions_now,
                    items,
                    (hits, items_total),
                    burst::DEFAULT_S,
                    burst::DEFAULT_GAMMA,
                )
            } else {
                burst::detect(mentions_now, items, burst::DEFAULT_S, burst::DEFAULT_GAMMA)
            };
            for &(t, _, _) in values.iter().filter(within) {
                mentions[t] = 0;
                issues[t] = 0;
            }
            (assessed, bursts)
        });
        Series {
            key,
            name,
            kind,
            rank: Cells::empty(periods, None),
            mentions: Cells::from_sparse(periods, 0, values.iter().map(|&(t, m, _)| (t, m))),
            issues: Cells::from_sparse(periods, 0, values.iter().map(|&(t, _, i)| (t, i))),
            share,
            status,
            strength,
            bursts,
        }
    }

    pub fn total_mentions(&self) -> u64 {
        self.mentions
            .runs()
            .map(|(periods, &m)| periods.len() as u64 * u64::from(m))
            .sum()
    }

    /// The weight of the burst period `t` belongs to.
    pub fn burst_at(&self, t: usize) -> Option<f64> {
        self.bursts
            .iter()
            .find(|b| b.start <= t && t <= b.end)
            .map(|b| b.weight)
    }

    pub fn present(&self, t: usize) -> bool {
        self.issues.get(t).is_some_and(|&i| i > 0)
    }
}

/// Status and strength of every period; see [`status`] for the test.
#[cfg(test)]
fn assess(
    mentions: &[u32],
    issues: &[u32],
    items: &[u32],
    windows: Windows,
) -> (Cells<Status>, Cells<Option<f64>>) {
    let n = mentions.len();
    let Some(first_seen) = (0..n).find(|&t| issues[t] > 0) else {
        return (Cells::empty(n, Status::Quiet), Cells::empty(n, None));
    };
    let last_seen = (first_seen..n)
        .rev()
        .find(|&t| issues[t] > 0)
        .unwrap_or(first_seen);
    assess_from(first_seen, last_seen, mentions, issues, items, windows)
}

/// [`assess`], given the first and last periods with issues.
fn assess_from(
    first_seen: usize,
    last_seen: usize,
    mentions: &[u32],
    issues: &[u32],
    items: &[u32],
    windows: Windows,
) -> (Cells<Status>, Cells<Option<f64>>) {
    let n = mentions.len();
    let mut statuses = Cells::empty(n, Status::Quiet);
    let mut strengths = Cells::empty(n, None);
    statuses.push(first_seen, Status::New);
    let mut previous = Status::New;
    // Periods with items, in order: the ones a baseline or an absence
    // counts. Every window over them reaches back at most a baseline, so
    // the periods before the first mention count only that far back.
    let mut informative: Vec<usize> = Vec::with_capacity(2 * windows.baseline + 2);
    informative.extend(
        (0..=first_seen)
            .rev()
            .filter(|&t| items[t] > 0)
            .take(windows.baseline),
    );
    informative.reverse();
    let mut absence_start: Option<usize> = None;
    for t in first_seen + 1..n {
        let present = issues[t] > 0;
        let (status, strength) = if items[t] == 0 {
            let status = if present {
                Status::Steady
            } else if absence_start.is_some() && previous == Status::Gone {
                // A gap in the corpus neither ends nor extends an absence.
                Status::Gone
            } else {
                Status::Quiet
            };
            (status, None)
        } else {
            let baseline = &informative[informative.len().saturating_sub(windows.baseline)..];
            let baseline_count: u32 = baseline.iter().map(|&b| mentions[b]).sum();
            // Past the last mention, once the baseline is silent too,
            // nothing can rise or fall; if the entity was never regular,
            // nothing can go either: every later period is quiet. Most
            // entities (a pull request, a one-off name) end here within a
            // few periods.
            if t > last_seen
                && baseline_count == 0
                && absence_start.is_some_and(|start| {
                    !was_regular(&informative[..start], mentions, issues, windows)
                })
            {
                break;
            }
            let baseline_items: u32 = baseline.iter().map(|&b| items[b]).sum();
            let change = status::change(mentions[t], items[t], baseline_count, baseline_items);
            let mut strength = (change.direction != 0).then_some(change.strength);
            let status = if present {
                absence_start = None;
                match change.direction {
                    1 => Status::Rising,
                    -1 => Status::Falling,
                    _ => Status::Steady,
                }
            } else {
                let start = *absence_start.get_or_insert(informative.len());
                let absent_for = informative.len() + 1 - start;
                if absent_for >= windows.gone_after
                    && silence_is_telling(
                        &informative[..start],
                        absent_for,
                        mentions,
                        issues,
                        windows,
                    )
                {
                    Status::Gone
                } else if change.direction == -1 {
                    Status::Falling
                } else {
                    strength = None;
                    Status::Quiet
                }
            };
            informative.push(t);
            (status, strength)
        };
        statuses.push(t, status);
        strengths.push(t, strength);
        previous = status;
    }
    (statuses, strengths)
}

/// Below this chance of a silence as long as the current one, given how
/// often the entity was present before, the silence means it is gone.
pub const GONE_ALPHA: f64 = 0.05;

/// Was the entity regular before a silence of `absent_for` periods, so
/// regular that the silence is telling? Present in at least two of the
/// baseline periods before it, with at least [`status::MIN_COUNT`] items,
/// and if it was present in a fraction q of them, a silence this long
/// would happen by chance with probability (1 − q)^absent_for < 5 %. An
/// entity seen every other month may skip three months; a weekly regular
/// may not.
fn silence_is_telling(
    before: &[usize],
    absent_for: usize,
    mentions: &[u32],
    issues: &[u32],
    windows: Windows,
) -> bool {
    if !was_regular(before, mentions, issues, windows) {
        return false;
    }
    let window = &before[before.len().saturating_sub(windows.baseline)..];
    let periods_present = window.iter().filter(|&&t| issues[t] > 0).count();
    let presence = periods_present as f64 / window.len() as f64;
    let exponent = i32::try_from(absent_for).unwrap_or(i32::MAX);
    (1.0 - presence).powi(exponent) < GONE_ALPHA
}

/// Present in at least two of the baseline periods before a silence, with
/// at least [`status::MIN_COUNT`] items: only then can the silence tell.
fn was_regular(before: &[usize], mentions: &[u32], issues: &[u32], windows: Windows) -> bool {
    let window = &before[before.len().saturating_sub(windows.baseline)..];
    let periods_present = window.iter().filter(|&&t| issues[t] > 0).count();
    let items: u32 = window.iter().map(|&t| mentions[t]).sum();
    periods_present >= 2 && items >= status::MIN_COUNT
}

/// Ranks each period's mentioned series, most mentioned first; ties share
/// a rank (1, 2, 2, 4).
pub fn rank(series: &mut [Series]) {
    let periods = series.first().map_or(0, |s| s.mentions.len());
    // Each period's mentioned series, gathered series by series (one pass
    // over each series' cells rather than one over every series per period).
    let mut mentioned: Vec<Vec<(u32, usize)>> = vec![Vec::new(); periods];
    for (index, s) in series.iter().enumerate() {
        for (stretch, &count) in s.mentions.runs() {
            for t in stretch {
                mentioned[t].push((count, index));
            }
        }
    }
    let mut ranks: Vec<Vec<(usize, Option<u32>)>> = vec![Vec::new(); series.len()];
    for (t, mut counts) in mentioned.into_iter().enumerate() {
        counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut rank = 0;
        let mut previous = None;
        for (position, &(count, index)) in counts.iter().enumerate() {
            if previous != Some(count) {
                rank = position as u32 + 1;
                previous = Some(count);
            }
            ranks[index].push((t, Some(rank)));
        }
    }
    for (s, ranks) in series.iter_mut().zip(ranks) {
        s.rank = Cells::from_sparse(periods, None, ranks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(mentions: &[u32], items: &[u32], period: Period) -> Vec<&'static str> {
        let issues: Vec<u32> = mentions.iter().map(|&m| u32::from(m > 0)).collect();
        assess(mentions, &issues, items, period.windows())
            .0
            .to_vec()
            .into_iter()
            .map(Status::as_str)
            .collect()
    }

    #[test]
    fn new_rising_steady_falling_gone() {
        let items = [100; 8];
        // 2 of 100 after 26 of 300 is a fall (λ = 8.8, P(X ≤ 2) ≈ 0.007).
        let mentions = [0, 2, 2, 12, 12, 2, 0, 0];
        assert_eq!(
            statuses(&mentions, &items, Period::Year),
            [
                "", "new", "steady", "rising", "steady", "falling", "gone", "gone"
            ]
        );
    }

    #[test]
    fn gone_needs_a_regular_past_and_k_absent_periods() {
        // Once mentioned, then silence: never regular, so never gone.
        assert_eq!(
            statuses(&[1, 0, 0, 0, 0], &[100; 5], Period::Month),
            ["new", "", "", "", ""]
        );
        // Months: gone after three absent months with items; a month with no
        // issue at all neither counts nor breaks the absence.
        assert_eq!(
            statuses(
                &[2, 2, 2, 0, 0, 0, 0, 0],
                &[10, 10, 10, 10, 0, 10, 10, 10],
                Period::Month
            ),
            ["new", "steady", "steady", "", "", "", "gone", "gone"]
        );
    }

    #[test]
    fn an_occasional_entity_may_skip_periods_without_being_gone() {
        // Every other month before the silence (q = 2/4): three silent
        // months happen by chance 12.5 % of the time, four 6 %, five 3 %.
        let items = [10; 9];
        assert_eq!(
            statuses(&[2, 0, 0, 2, 0, 0, 0, 0, 0], &items, Period::Month)[6..],
            ["", "", "gone"]
        );
        // Four months of five (q = 0.8): gone once the three months are up.
        assert_eq!(
            statuses(&[2, 2, 0, 2, 2, 0, 0, 0, 0], &items, Period::Month)[6..],
            ["", "gone", "gone"]
        );
    }

    #[test]
    fn ranks_share_ties() {
        let items = [10, 10];
        let make = |key: &str, mentions: Vec<u32>| {
            let issues = mentions.clone();
            Series::new(
                key.into(),
                key.into(),
                "tool",
                mentions,
                issues,
                &items,
                Period::Month,
            )
        };
        let mut series = vec![
            make("a", vec![3, 0]),
            make("b", vec![5, 1]),
            make("c", vec![3, 2]),
        ];
        rank(&mut series);
        let ranks: Vec<Vec<Option<u32>>> = series.iter().map(|s| s.rank.to_vec()).collect();
        assert_eq!(
            ranks,
            [
                vec![Some(2), None],
                vec![Some(1), Some(2)],
                vec![Some(2), Some(1)]
            ]
        );
    }
}
