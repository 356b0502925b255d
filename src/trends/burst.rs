//! Kleinberg's burst detection ("Bursty and Hierarchical Structure in
//! Streams", KDD 2002), the enumerated version for batched arrivals: in
//! period *t*, *r_t* of *d_t* items mention the entity.
//!
//! A two-state automaton: the base state emits mentions at the overall
//! share *p₀ = Σr / Σd*, the burst state at *p₁ = s·p₀*. Being in state *i*
//! in period *t* costs *−ln[pᵢ^r (1−pᵢ)^(d−r)]* (the binomial coefficient is
//! the same for both states and is left out); entering the burst state
//! costs *γ·ln n* for *n* periods, leaving it is free. The cheapest state
//! sequence (Viterbi) marks the bursts; a burst's weight is the cost the
//! base state would have paid over it minus what the burst state paid:
//! how much better "unusually hot" explains those periods.

use serde::Serialize;

/// Kleinberg's defaults: the burst state emits at twice the base share,
/// entering it costs one ln n.
pub const DEFAULT_S: f64 = 2.0;
pub const DEFAULT_GAMMA: f64 = 1.0;

/// Periods `start..=end` (indexes into the series) spent in the burst state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Burst {
    pub start: usize,
    pub end: usize,
    pub weight: f64,
}

/// The bursts of a series, in time order. `hits[t]` of `totals[t]` items;
/// periods with no item cost nothing in either state.
pub fn detect(hits: &[u32], totals: &[u32], s: f64, gamma: f64) -> Vec<Burst> {
    let n = hits.len().min(totals.len());
    let total_hits: f64 = hits[..n].iter().map(|&r| f64::from(r)).sum();
    let total_items: f64 = totals[..n].iter().map(|&d| f64::from(d)).sum();
    detect_unless_hopeless(hits, totals, (total_hits, total_items), s, gamma, true)
}

/// [`detect`], with the sums of `hits` and `totals` over the periods both
/// cover already known: a trend series has few periods with hits, and
/// every series of a corpus has the same totals.
pub fn detect_with_sums(
    hits: &[u32],
    totals: &[u32],
    (total_hits, total_items): (f64, f64),
    s: f64,
    gamma: f64,
) -> Vec<Burst> {
    detect_unless_hopeless(hits, totals, (total_hits, total_items), s, gamma, true)
}

/// [`detect`]; with `skip_hopeless` false, the Viterbi pass runs even for
/// a series that cannot burst (the tests compare the two).
fn detect_unless_hopeless(
    hits: &[u32],
    totals: &[u32],
    (total_hits, total_items): (f64, f64),
    s: f64,
    gamma: f64,
    skip_hopeless: bool,
) -> Vec<Burst> {
    let n = hits.len().min(totals.len());
    if n == 0 || total_hits == 0.0 || total_items == 0.0 {
        return Vec::new();
    }
    let base = (total_hits / total_items).min(1.0);
    let hot = (s * base).min(0.9999);
    if hot <= base {
        // Mentioned in (nearly) every item: nothing can be hotter.
        return Vec::new();
    }
    let enter_cost = gamma * (n as f64).ln();
    // A period in the burst state saves at most r·ln(p₁/p₀) over the base
    // state (its non-mentions cost more there). When all the mentions
    // together save less than one entry costs, no path through the burst
    // state is the cheapest: most entities (a pull request named once)
    // need no Viterbi pass. The margin keeps rounding from deciding.
    if skip_hopeless && total_hits * (hot / base).ln() + 1e-6 < enter_cost {
        return Vec::new();
    }
    // ln p and ln (1 − p) of each state, once: the cost is asked twice
    // per period.
    let logs = [base, hot].map(|p| (p.ln(), (1.0 - p).ln()));
    let cost = |state: usize, t: usize| -> f64 {
        let (r, d) = (f64::from(hits[t]), f64::from(totals[t].max(hits[t])));
        if d == 0.0 {
            return 0.0;
        }
        let (ln_p, ln_not_p) = logs[state];
        -(r * ln_p + (d - r) * ln_not_p)
    };

    // Viterbi over two states, starting in the base state.
    let mut best = [cost(0, 0), enter_cost + cost(1, 0)];
    let mut came_from: Vec<[usize; 2]> = vec![[0, 0]];
    for t in 1..n {
        let to_base = if best[0] <= best[1] { 0 } else { 1 };
        let to_hot = if best[0] + enter_cost <= best[1] {
            0
        } else {
            1
        };
        let base_cost = best[to_base] + cost(0, t);
        let hot_cost = best[to_hot] + if to_hot == 0 { enter_cost } else { 0.0 } + cost(1, t);
        best = [base_cost, hot_cost];
        came_from.push([to_base, to_hot]);
    }
    let mut states = vec![0usize; n];
    let mut state = if best[0] <= best[1] { 0 } else { 1 };
    for t in (0..n).rev() {
        states[t] = state;
        state = came_from[t][state];
    }

    let mut bursts = Vec::new();
    let mut t = 0;
    while t < n {
        if states[t] == 0 {
            t += 1;
            continue;
        }
        let start = t;
        let mut weight = 0.0;
        while t < n && states[t] == 1 {
            weight += cost(0, t) - cost(1, t);
            t += 1;
        }
        bursts.push(Burst {
            start,
            end: t - 1,
            weight,
        });
    }
    bursts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_hot_stretch_and_its_weight() {
        let totals = [100; 10];
        let hits = [1, 1, 1, 1, 10, 12, 10, 1, 1, 1];
        let bursts = detect(&hits, &totals, DEFAULT_S, DEFAULT_GAMMA);
        assert_eq!(bursts.len(), 1, "{bursts:?}");
        assert_eq!((bursts[0].start, bursts[0].end), (4, 6));
        // p₀ = 39/1000, p₁ = 0.078; weight = Σ r·ln 2 + (100 − r)·ln(0.922/0.961)
        // over r = 10, 12, 10: 32·ln 2 + 268·ln(0.922/0.961) = 11.077…
        let expected = 32.0 * 2f64.ln() + 268.0 * (0.922f64 / 0.961).ln();
        assert!((bursts[0].weight - expected).abs() < 1e-9);
        assert!((bursts[0].weight - 11.0774).abs() < 1e-3);
    }

    #[test]
    fn a_series_that_cannot_burst_is_skipped_with_the_same_answer() {
        // Series from a fixed linear congruential generator: sparse ones
        // (skipped) and dense ones (searched), over 12 to 160 periods.
        let mut state: u64 = 14;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        let mut skipped = 0;
        for series in 0..2_000 {
            let n = 12 + next(149) as usize;
            let totals: Vec<u32> = (0..n).map(|_| next(120) as u32).collect();
            let density = 1 + series % 40;
            let hits: Vec<u32> = totals
                .iter()
                .map(|&d| {
                    if next(100) < density {
                        next(u64::from(d) / 4 + 1) as u32
                    } else {
                        0
                    }
                })
                .collect();
            let fast = detect(&hits, &totals, DEFAULT_S, DEFAULT_GAMMA);
            let sums = (
                hits.iter().map(|&r| f64::from(r)).sum(),
                totals.iter().map(|&d| f64::from(d)).sum(),
            );
            assert_eq!(
                detect_with_sums(&hits, &totals, sums, DEFAULT_S, DEFAULT_GAMMA),
                fast
            );
            let full =
                detect_unless_hopeless(&hits, &totals, sums, DEFAULT_S, DEFAULT_GAMMA, false);
            assert_eq!(fast, full, "hits {hits:?} totals {totals:?}");
            let hopeless = fast.is_empty()
                && f64::from(hits.iter().sum::<u32>()) * DEFAULT_S.ln() < (n as f64).ln();
            skipped += usize::from(hopeless);
        }
        // Both kinds were met.
        assert!(skipped > 100 && skipped < 1_900, "{skipped} skipped");
    }

    #[test]
    fn a_flat_series_has_no_burst() {
        assert!(detect(&[5; 12], &[100; 12], DEFAULT_S, DEFAULT_GAMMA).is_empty());
        assert!(detect(&[0; 12], &[100; 12], DEFAULT_S, DEFAULT_GAMMA).is_empty());
        assert!(detect(&[], &[], DEFAULT_S, DEFAULT_GAMMA).is_empty());
    }

    #[test]
    fn bursts_follow_the_share_not_the_count() {
        // The count doubles in the last periods, but so do the items.
        let totals = [100, 100, 100, 200, 200, 200];
        let hits = [5, 5, 5, 10, 10, 10];
        assert!(detect(&hits, &totals, DEFAULT_S, DEFAULT_GAMMA).is_empty());
    }

    #[test]
    fn a_burst_at_the_end_is_kept_and_empty_periods_are_free() {
        let totals = [50, 0, 50, 0, 50, 50];
        let hits = [1, 0, 1, 0, 15, 20];
        let bursts = detect(&hits, &totals, DEFAULT_S, DEFAULT_GAMMA);
        assert_eq!(bursts.len(), 1, "{bursts:?}");
        assert_eq!((bursts[0].start, bursts[0].end), (4, 5));
    }

    #[test]
    fn a_single_blip_below_the_entry_cost_is_no_burst() {
        // One extra mention in one period: explaining it as a burst costs
        // more (γ·ln 20 ≈ 3.0) than it saves.
        let mut hits = [2u32; 20];
        hits[7] = 4;
        assert!(detect(&hits, &[100; 20], DEFAULT_S, DEFAULT_GAMMA).is_empty());
    }
}
