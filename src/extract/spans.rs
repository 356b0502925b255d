//! Byte ranges of a text that are taken (URLs, names already found), asked
//! "is this position or this word inside one?" once per match.
//!
//! A long line names thousands of entities; scanning every taken range per
//! match would make extraction quadratic in the line's length. The ranges
//! are kept sorted and merged, so each question is a binary search.

/// Sorted, disjoint, non-empty half-open byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spans {
    ranges: Vec<(usize, usize)>,
}

impl Spans {
    /// Ranges in any order, overlapping or not; empty ones hold nothing.
    /// Ranges that only touch stay apart.
    pub fn new(mut ranges: Vec<(usize, usize)>) -> Spans {
        ranges.retain(|&(start, end)| start < end);
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Spans { ranges: merged }
    }

    /// Whether some range holds the byte at `at`.
    pub fn contains(&self, at: usize) -> bool {
        self.first_ending_after(at)
            .is_some_and(|&(start, _)| start <= at)
    }

    /// Whether some range shares a byte with `start..end`.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.first_ending_after(start)
            .is_some_and(|&(range_start, _)| range_start < end)
    }

    /// These ranges and `more`, merged.
    pub fn with(&self, more: impl IntoIterator<Item = (usize, usize)>) -> Spans {
        let mut ranges = self.ranges.clone();
        ranges.extend(more);
        Spans::new(ranges)
    }

    fn first_ending_after(&self, at: usize) -> Option<&(usize, usize)> {
        let index = self.ranges.partition_point(|&(_, end)| end <= at);
        self.ranges.get(index)
    }
}

impl From<Vec<(usize, usize)>> for Spans {
    fn from(ranges: Vec<(usize, usize)>) -> Spans {
        Spans::new(ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The question asked the slow way, to compare with.
    fn overlaps_by_scan(ranges: &[(usize, usize)], start: usize, end: usize) -> bool {
        ranges.iter().any(|&(s, e)| start < e && s < end)
    }

    #[test]
    fn positions_inside_merged_ranges() {
        let spans = Spans::new(vec![(10, 20), (0, 3), (15, 25), (25, 30)]);
        assert_eq!(spans.ranges, [(0, 3), (10, 25), (25, 30)]);
        assert!(spans.contains(0));
        assert!(spans.contains(2));
        assert!(!spans.contains(3));
        assert!(!spans.contains(9));
        assert!(spans.contains(10));
        assert!(spans.contains(29));
        assert!(!spans.contains(30));
    }

    #[test]
    fn overlap_agrees_with_a_scan_of_every_range() {
        let ranges = vec![(4, 7), (7, 9), (20, 22), (5, 6), (30, 31)];
        let spans = Spans::new(ranges.clone());
        for start in 0..35 {
            for end in start..36 {
                assert_eq!(
                    spans.overlaps(start, end),
                    overlaps_by_scan(&ranges, start, end),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn empty_ranges_hold_nothing() {
        let spans = Spans::new(vec![(5, 5)]);
        assert!(!spans.contains(5));
        assert!(!spans.overlaps(0, 10));
        assert_eq!(Spans::default().with([(1, 2)]), Spans::new(vec![(1, 2)]));
    }
}
