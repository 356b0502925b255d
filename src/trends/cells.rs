//! A series' values per period, stored as runs of equal values that are
//! not the default: an entity mentioned in three of 600 weeks keeps a
//! handful of runs, not 600 cells. Reads like a slice: `cells[t]`,
//! [`Cells::get`], [`Cells::iter`] (every period, defaults included),
//! [`Cells::len`].

use std::fmt;
use std::ops::{Index, Range};

use serde::Serialize;
use smallvec::SmallVec;

#[derive(Clone)]
pub struct Cells<T> {
    len: u32,
    default: T,
    /// In period order, never touching: two adjacent runs differ in value.
    /// Most series of a large corpus are an entity named once, whose
    /// cells hold one run each: that run is kept inline, not allocated.
    runs: SmallVec<[Run<T>; 1]>,
}

#[derive(Debug, Clone)]
struct Run<T> {
    start: u32,
    end: u32,
    value: T,
}

impl<T: Copy + PartialEq> Cells<T> {
    /// `len` periods of `default`.
    pub fn empty(len: usize, default: T) -> Cells<T> {
        Cells {
            len: len as u32,
            default,
            runs: SmallVec::new(),
        }
    }

    /// The values of every period.
    pub fn from_dense(values: &[T], default: T) -> Cells<T> {
        let mut cells = Cells::empty(values.len(), default);
        for (t, &value) in values.iter().enumerate() {
            cells.push(t, value);
        }
        cells
    }

    /// `len` periods, `default` but for the `(period, value)` given in
    /// period order.
    pub fn from_sparse(
        len: usize,
        default: T,
        values: impl IntoIterator<Item = (usize, T)>,
    ) -> Self {
        let mut cells = Cells::empty(len, default);
        for (t, value) in values {
            if t < len {
                cells.push(t, value);
            }
        }
        cells
    }

    /// Sets period `t`, which must come after every period set before.
    pub fn push(&mut self, t: usize, value: T) {
        if value == self.default {
            return;
        }
        let t = t as u32;
        match self.runs.last_mut() {
            Some(last) if last.end == t && last.value == value => last.end += 1,
            _ => self.runs.push(Run {
                start: t,
                end: t + 1,
                value,
            }),
        }
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, t: usize) -> Option<&T> {
        if t >= self.len() {
            return None;
        }
        let t = t as u32;
        let after = self.runs.partition_point(|run| run.start <= t);
        Some(match after.checked_sub(1).map(|i| &self.runs[i]) {
            Some(run) if t < run.end => &run.value,
            _ => &self.default,
        })
    }

    /// Every period's value, in order.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            cells: self,
            t: 0,
            run: 0,
        }
    }

    pub fn to_vec(&self) -> Vec<T> {
        self.iter().copied().collect()
    }

    /// The values of periods `from..=to`, in order, read off the runs.
    pub fn between(&self, from: usize, to: usize) -> std::iter::Take<Iter<'_, T>> {
        let start = from.min(self.len());
        Iter {
            cells: self,
            t: start as u32,
            run: self.runs.partition_point(|run| (run.end as usize) <= start),
        }
        .take((to + 1).saturating_sub(from))
    }

    /// The values of periods `from..=to`.
    pub fn to_vec_between(&self, from: usize, to: usize) -> Vec<T> {
        self.between(from, to).copied().collect()
    }

    /// The non-default stretches that overlap periods `from..=to`, cut to
    /// them: what a window's sums and tests read, without visiting its
    /// default periods.
    pub fn runs_between(
        &self,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = (Range<usize>, &T)> + '_ {
        let end = to.saturating_add(1).min(self.len());
        let first = self.runs.partition_point(|run| (run.end as usize) <= from);
        self.runs[first..]
            .iter()
            .take_while(move |run| (run.start as usize) < end)
            .map(move |run| {
                (
                    (run.start as usize).max(from)..(run.end as usize).min(end),
                    &run.value,
                )
            })
    }

    /// The stretches of periods whose value is not the default.
    pub fn runs(&self) -> impl Iterator<Item = (Range<usize>, &T)> + '_ {
        self.runs
            .iter()
            .map(|run| (run.start as usize..run.end as usize, &run.value))
    }
}

impl Cells<u32> {
    /// The sum of periods `from..=to`.
    pub fn sum_between(&self, from: usize, to: usize) -> u32 {
        self.runs_between(from, to)
            .map(|(stretch, &value)| value * stretch.len() as u32)
            .sum()
    }

    /// Whether any of periods `from..=to` is above zero.
    pub fn any_between(&self, from: usize, to: usize) -> bool {
        if self.default > 0 {
            return self.to_vec_between(from, to).iter().any(|&n| n > 0);
        }
        self.runs_between(from, to).any(|(_, &value)| value > 0)
    }
}

impl<T: Copy + PartialEq> Index<usize> for Cells<T> {
    type Output = T;

    fn index(&self, t: usize) -> &T {
        match self.get(t) {
            Some(value) => value,
            None => panic!("period {t} out of a series of {} periods", self.len),
        }
    }
}

#[derive(Clone)]
pub struct Iter<'c, T> {
    cells: &'c Cells<T>,
    t: u32,
    run: usize,
}

impl<'c, T> Iterator for Iter<'c, T> {
    type Item = &'c T;

    fn next(&mut self) -> Option<&'c T> {
        if self.t >= self.cells.len {
            return None;
        }
        let runs = &self.cells.runs;
        while self.run < runs.len() && runs[self.run].end <= self.t {
            self.run += 1;
        }
        let value = match runs.get(self.run) {
            Some(run) if run.start <= self.t => &run.value,
            _ => &self.cells.default,
        };
        self.t += 1;
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.cells.len - self.t) as usize;
        (left, Some(left))
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<'c, T: Copy + PartialEq> IntoIterator for &'c Cells<T> {
    type Item = &'c T;
    type IntoIter = Iter<'c, T>;

    fn into_iter(self) -> Iter<'c, T> {
        self.iter()
    }
}

impl<T: Copy + PartialEq + fmt::Debug> fmt::Debug for Cells<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// As the dense list it stands for: `trends --json` shows every period.
impl<T: Copy + PartialEq + Serialize> Serialize for Cells<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<T: Copy + PartialEq> PartialEq for Cells<T> {
    fn eq(&self, other: &Cells<T>) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Copy + PartialEq> PartialEq<[T]> for Cells<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Copy + PartialEq, const N: usize> PartialEq<[T; N]> for Cells<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        *self == other[..]
    }
}

impl<T: Copy + PartialEq> PartialEq<Vec<T>> for Cells<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        *self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_sums_and_tests_read_the_runs() {
        let cells = Cells::from_dense(&[0, 2, 2, 0, 5, 0], 0);
        assert_eq!(cells.sum_between(0, 5), 9);
        assert_eq!(cells.sum_between(2, 4), 7);
        assert_eq!(cells.sum_between(3, 3), 0);
        assert_eq!(cells.sum_between(5, 99), 0);
        assert!(cells.any_between(3, 4));
        assert!(!cells.any_between(5, 5));
        assert!(!cells.any_between(3, 2));
    }

    #[test]
    fn reads_as_the_dense_values_it_was_made_from() {
        let dense = [0, 0, 3, 3, 0, 1, 2, 2, 0];
        let cells = Cells::from_dense(&dense, 0);
        assert_eq!(cells.runs.len(), 3);
        assert_eq!(cells.to_vec(), dense);
        assert!((0..dense.len()).all(|t| cells[t] == dense[t]));
        assert_eq!(cells.get(9), None);
        assert_eq!(cells.to_vec_between(2, 5), [3, 3, 0, 1]);
        let runs: Vec<(Range<usize>, u32)> = cells.runs().map(|(r, &v)| (r, v)).collect();
        assert_eq!(runs, [(2..4, 3), (5..6, 1), (6..8, 2)]);
        assert_eq!(
            Cells::from_sparse(9, 0, [(2, 3), (3, 3), (5, 1), (6, 2), (7, 2)]),
            dense
        );
        assert_eq!(format!("{cells:?}"), format!("{dense:?}"));
    }
}
