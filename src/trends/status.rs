//! Is an entity rising, steady or falling in a period? A significance test
//! of the period's count against a trailing baseline.
//!
//! # The statistic
//!
//! For period *t* with *n* items of which *x* mention the entity, the
//! baseline is the previous few periods that had any issue (8 weeks, 6
//! months, 4 quarters or 3 years; empty periods are skipped, they carry no
//! information), with *n₀* items of which *x₀* mention it. The baseline share
//! is smoothed with half a pseudo-count, *p₀ = (x₀ + ½) / (n₀ + 1)*, so a
//! baseline of zero is "rare", not "impossible". If nothing changed, *x* is
//! binomial(*n*, *p₀*), which for shares this small is Poisson with mean
//! *λ = n·p₀*. The period is
//!
//! - **rising** when *P(X ≥ x) < 0.01*, *x ≥ 3* and the share is at least
//!   1.5 times *p₀*;
//! - **falling** when *P(X ≤ x) < 0.01*, the baseline had at least 3
//!   mentions, and the share is at most *p₀ / 1.5*;
//! - **steady** otherwise (when mentioned at all).
//!
//! Why this one: a ratio of shares alone calls one mention after zero an
//! infinite rise; a z-score assumes a normal count, which small counts are
//! not. The exact Poisson tail is honest for counts of 0, 1, 2 and still
//! right for 200, it scales with the period's number of items (a busy week
//! needs more mentions than a quiet one), and the minimum count and ratio
//! keep statistically-significant-but-tiny changes out. The strength of a
//! rise or fall is *−log₁₀ p*: how surprising the period is under the
//! baseline, which ranks a big move on a solid base above a flicker.

use serde::Serialize;

/// Below this p-value a change is a trend. Strict, because every entity is
/// tested every period.
pub const ALPHA: f64 = 0.01;
/// No rise with fewer items than this in the period, and no fall from a
/// baseline with fewer.
pub const MIN_COUNT: u32 = 3;
/// The share must move by at least this factor.
pub const MIN_RATIO: f64 = 1.5;
/// Added to the baseline count (and twice to its items) before dividing.
pub const PSEUDO_COUNT: f64 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not mentioned, nothing to say (also every period of a corpus gap).
    Quiet,
    /// First mention ever.
    New,
    Rising,
    Steady,
    Falling,
    /// Absent for the last K periods with issues, after being so regular
    /// that the silence is unlikely to be chance (see `series`).
    Gone,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Quiet => "",
            Status::New => "new",
            Status::Rising => "rising",
            Status::Steady => "steady",
            Status::Falling => "falling",
            Status::Gone => "gone",
        }
    }
}

/// What the test says about one period against its baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// +1 rising, −1 falling, 0 neither.
    pub direction: i8,
    /// −log₁₀ of the p-value in the direction of the move (0 when none).
    pub strength: f64,
    /// The smoothed baseline share the period was compared with.
    pub baseline_share: f64,
}

/// Compares `count` of `items` with a baseline of `baseline_count` of
/// `baseline_items`.
pub fn change(count: u32, items: u32, baseline_count: u32, baseline_items: u32) -> Change {
    let baseline_share = (f64::from(baseline_count) + PSEUDO_COUNT)
        / (f64::from(baseline_items) + 2.0 * PSEUDO_COUNT);
    let none = Change {
        direction: 0,
        strength: 0.0,
        baseline_share,
    };
    if items == 0 {
        return none;
    }
    let share = f64::from(count) / f64::from(items);
    let mean = f64::from(items) * baseline_share;
    if count >= MIN_COUNT && share >= baseline_share * MIN_RATIO {
        let strength = -poisson_upper_tail_ln(count, mean) / std::f64::consts::LN_10;
        if strength > -ALPHA.log10() {
            return Change {
                direction: 1,
                strength,
                baseline_share,
            };
        }
    }
    if baseline_count >= MIN_COUNT && share <= baseline_share / MIN_RATIO {
        let strength = -poisson_lower_tail_ln(count, mean) / std::f64::consts::LN_10;
        if strength > -ALPHA.log10() {
            return Change {
                direction: -1,
                strength,
                baseline_share,
            };
        }
    }
    none
}

/// ln k!, exact for small k, Stirling's series beyond (error < 1e-12).
fn ln_factorial(k: u32) -> f64 {
    if k < 30 {
        return (2..=k).map(|i| f64::from(i).ln()).sum();
    }
    let k = f64::from(k);
    k * k.ln() - k + 0.5 * (2.0 * std::f64::consts::PI * k).ln() + 1.0 / (12.0 * k)
        - 1.0 / (360.0 * k.powi(3))
}

fn poisson_ln_pmf(k: u32, mean: f64) -> f64 {
    -mean + f64::from(k) * mean.ln() - ln_factorial(k)
}

/// ln P(X ≥ k) for X ~ Poisson(mean), summed from the k-th term up in
/// ratios, so it stays finite when the tail is far below f64's range.
pub fn poisson_upper_tail_ln(k: u32, mean: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    if mean <= 0.0 {
        return f64::NEG_INFINITY;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut i = f64::from(k);
    let limit = f64::from(k) + 20.0 * mean + 1000.0;
    loop {
        term *= mean / (i + 1.0);
        sum += term;
        i += 1.0;
        if (i > mean && term < sum * 1e-17) || i > limit {
            break;
        }
    }
    (poisson_ln_pmf(k, mean) + sum.ln()).min(0.0)
}

/// ln P(X ≤ k) for X ~ Poisson(mean), summed from the k-th term down.
pub fn poisson_lower_tail_ln(k: u32, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut i = k;
    while i > 0 {
        term *= f64::from(i) / mean;
        sum += term;
        if f64::from(i) < mean && term < sum * 1e-17 {
            break;
        }
        i -= 1;
    }
    (poisson_ln_pmf(k, mean) + sum.ln()).min(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn poisson_tails_match_known_values() {
        // P(X ≥ 3 | λ = 1) = 1 − e⁻¹(1 + 1 + ½) = 0.0803013970713942
        assert!(close(
            poisson_upper_tail_ln(3, 1.0).exp(),
            0.080_301_397_071_394_2,
            1e-12
        ));
        // P(X ≤ 2 | λ = 10) = e⁻¹⁰(1 + 10 + 50) = 0.0027693957155115
        assert!(close(
            poisson_lower_tail_ln(2, 10.0).exp(),
            0.002_769_395_715_511_5,
            1e-12
        ));
        // P(X ≥ 0) = 1 and P(X ≤ 0 | λ) = e^−λ.
        assert_eq!(poisson_upper_tail_ln(0, 5.0), 0.0);
        assert!(close(poisson_lower_tail_ln(0, 5.0), -5.0, 1e-12));
        // Far in the tail, the logarithm stays finite: P(X ≥ 400 | λ = 10).
        let ln_p = poisson_upper_tail_ln(400, 10.0);
        assert!(ln_p.is_finite() && ln_p < -1000.0);
        // Stirling's series agrees with the exact sum where they meet.
        let exact: f64 = (2..=40).map(|i| f64::from(i).ln()).sum();
        assert!(close(ln_factorial(40), exact, 1e-9));
    }

    #[test]
    fn one_mention_after_zero_is_not_a_rise() {
        // 100 items a period, never mentioned in 300 items, then once.
        assert_eq!(change(1, 100, 0, 300).direction, 0);
        // Twice is still below the minimum count.
        assert_eq!(change(2, 100, 0, 300).direction, 0);
    }

    #[test]
    fn a_real_rise_is_rising() {
        // Baseline share 2/300 ≈ 0.8 %; now 10 of 100 items.
        let rise = change(10, 100, 2, 300);
        assert_eq!(rise.direction, 1);
        // λ = 100 · 2.5/301 = 0.8306; P(X ≥ 10) ≈ 1.9e-8 → strength ≈ 7.7
        assert!(rise.strength > 7.0 && rise.strength < 8.5, "{rise:?}");
    }

    #[test]
    fn a_big_busy_period_needs_more_than_a_ratio() {
        // 3 of 100 after 3 of 300 doubles the share, but λ = 1.16 makes
        // three hits unsurprising (p ≈ 0.11).
        assert_eq!(change(3, 100, 3, 300).direction, 0);
        // The same shares over ten times the items are a trend.
        assert_eq!(change(30, 1000, 30, 3000).direction, 1);
    }

    #[test]
    fn falls_need_a_solid_baseline() {
        // 30 of 300 before, 0 of 100 now: λ = 10.1, P(X = 0) ≈ 4e-5.
        let fall = change(0, 100, 30, 300);
        assert_eq!(fall.direction, -1);
        assert!(close(
            fall.strength,
            10.132_890 / std::f64::consts::LN_10,
            1e-3
        ));
        // 2 of 300 before, 0 now: too little to call it a fall.
        assert_eq!(change(0, 100, 2, 300).direction, 0);
        // 10 of 100 after 30 of 300: the same share, steady.
        assert_eq!(change(10, 100, 30, 300).direction, 0);
    }

    #[test]
    fn empty_periods_say_nothing() {
        assert_eq!(change(0, 0, 30, 300).direction, 0);
    }
}
