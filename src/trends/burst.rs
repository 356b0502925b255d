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
    if n == 0 || total_hits == 0.0 || total_items == 0.0 {
        return Vec::new();
    }
    let base = (total_hits / total_items).min(1.0);
    let hot = (s * base).min(0.9999);
    if hot <= base {
        // Mentioned in (nearly) every item: nothing can be hotter.
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
    let enter_cost = gamma * (n as f64).ln();

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
