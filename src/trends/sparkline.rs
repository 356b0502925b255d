//! Sparklines: a series as a row of block characters, for the terminal
//! reports and the Markdown and HTML ones alike.

/// How many periods a sparkline shows, ending at the reported one.
pub const SPARKLINE_PERIODS: usize = 24;

use super::cells::Cells;

/// ▁ for zero, then seven heights so that any mention shows above zero.
pub fn sparkline(values: &[u32]) -> String {
    sparkline_of(values.iter().copied())
}

/// The sparkline of periods `from..=to`, read off the series' runs rather
/// than a copy of its values.
pub fn sparkline_between(cells: &Cells<u32>, from: usize, to: usize) -> String {
    sparkline_of(cells.between(from, to).copied())
}

/// Two passes over the values: their maximum, then a bar each.
fn sparkline_of(values: impl Iterator<Item = u32> + Clone) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.clone().max().unwrap_or(0);
    values
        .map(|v| {
            if v == 0 || max == 0 {
                BARS[0]
            } else {
                let level = (u64::from(v) * 7).div_ceil(u64::from(max)) as usize;
                BARS[level.clamp(1, 7)]
            }
        })
        .collect()
}

/// A sparkline at most `width` wide: longer series are summed in equal
/// consecutive buckets (the last may be shorter), so seven years of weeks
/// still fit a table cell.
pub fn sparkline_fit(values: &[u32], width: usize) -> String {
    if values.len() <= width || width == 0 {
        return sparkline(values);
    }
    let bucket = values.len().div_ceil(width);
    let sums: Vec<u32> = values.chunks(bucket).map(|c| c.iter().sum()).collect();
    sparkline(&sums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "▁▂▃▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
        // Any mention shows above zero, however small beside the maximum.
        assert_eq!(sparkline(&[1, 100]), "▂█");
    }

    #[test]
    fn a_sparkline_between_reads_the_same_as_one_of_the_values() {
        let values = [0, 3, 3, 0, 0, 7, 1, 0];
        let cells = Cells::from_dense(&values, 0);
        for (from, to) in [(0, 7), (1, 4), (3, 4), (5, 9), (8, 9), (2, 1)] {
            let dense = sparkline(&cells.to_vec_between(from, to));
            assert_eq!(sparkline_between(&cells, from, to), dense, "{from}..={to}");
        }
        assert_eq!(sparkline_between(&cells, 1, 5), "▄▄▁▁█");
    }

    #[test]
    fn long_sparklines_are_summed_into_buckets() {
        assert_eq!(sparkline_fit(&[1, 0, 0, 0, 2, 2, 0, 8], 4), "▂▁▅█");
        assert_eq!(sparkline_fit(&[1, 2, 3], 3), sparkline(&[1, 2, 3]));
        assert_eq!(sparkline_fit(&[1; 10], 4).chars().count(), 4);
    }
}
