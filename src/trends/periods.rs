//! Calendar periods: which period a date falls in, its label, its bounds,
//! and the gap-free run of periods that covers a corpus.

use chrono::{Datelike, Days, Months};

use crate::model::Date;

/// The length of one step of a time series. Weeks are ISO weeks (Monday to
/// Sunday, numbered within the ISO week-year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

/// One period of a series: its label (`2023`, `2023-Q2`, `2023-04`,
/// `2023-W15`) and its first and last day, both inclusive.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeriodSpan {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Week, Period::Month, Period::Quarter, Period::Year];

    /// The period [`Period::as_str`] names.
    pub fn parse(name: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// The first day of the period holding `date`.
    pub fn start_of(self, date: Date) -> Date {
        let first_of = |month: u32| Date::from_ymd_opt(date.year(), month, 1).unwrap_or(date);
        match self {
            Period::Week => date
                .checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
                .unwrap_or(date),
            Period::Month => first_of(date.month()),
            Period::Quarter => first_of((date.month0() / 3) * 3 + 1),
            Period::Year => first_of(1),
        }
    }

    /// The first day of the next period, given the first day of one.
    fn next_start(self, start: Date) -> Option<Date> {
        match self {
            Period::Week => start.checked_add_days(Days::new(7)),
            Period::Month => start.checked_add_months(Months::new(1)),
            Period::Quarter => start.checked_add_months(Months::new(3)),
            Period::Year => start.checked_add_months(Months::new(12)),
        }
    }

    pub fn label(self, start: Date) -> String {
        match self {
            Period::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => format!("{}-{:02}", start.year(), start.month()),
            Period::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Period::Year => format!("{}", start.year()),
        }
    }

    pub fn span(self, date: Date) -> PeriodSpan {
        let start = self.start_of(date);
        let end = self
            .next_start(start)
            .and_then(|next| next.pred_opt())
            .unwrap_or(start);
        PeriodSpan {
            label: self.label(start),
            start,
            end,
        }
    }

    /// Every period from the one holding `first` to the one holding `last`,
    /// empty ones included, so that a series has no holes.
    pub fn spans(self, first: Date, last: Date) -> Vec<PeriodSpan> {
        let mut spans = Vec::new();
        let mut start = self.start_of(first);
        let last_start = self.start_of(last);
        while start <= last_start {
            spans.push(self.span(start));
            match self.next_start(start) {
                Some(next) => start = next,
                None => break,
            }
        }
        spans
    }

    /// What a label of this period looks like, for error messages.
    pub fn label_example(self) -> &'static str {
        match self {
            Period::Week => "2023-W15",
            Period::Month => "2023-04",
            Period::Quarter => "2023-Q2",
            Period::Year => "2023",
        }
    }

    /// The period a label names, whatever its form: `2023` is a year,
    /// `2023-Q2` a quarter, `2023-04` a month, `2023-W15` an ISO week.
    pub fn of_label(label: &str) -> Option<Period> {
        let label = label.trim();
        let (year, rest) = match label.split_once('-') {
            None => return label.parse::<i32>().ok().map(|_| Period::Year),
            Some(parts) => parts,
        };
        year.parse::<i32>().ok()?;
        if let Some(quarter) = rest.strip_prefix(['Q', 'q']) {
            return matches!(quarter, "1" | "2" | "3" | "4").then_some(Period::Quarter);
        }
        if let Some(week) = rest.strip_prefix(['W', 'w']) {
            let week: u32 = week.parse().ok()?;
            return (1..=53).contains(&week).then_some(Period::Week);
        }
        let month: u32 = rest.parse().ok()?;
        (1..=12).contains(&month).then_some(Period::Month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn labels_and_bounds_of_each_period() {
        let day = date(2023, 4, 12);
        let week = Period::Week.span(day);
        assert_eq!(
            (week.label.as_str(), week.start, week.end),
            ("2023-W15", date(2023, 4, 10), date(2023, 4, 16))
        );
        let month = Period::Month.span(day);
        assert_eq!(
            (month.label.as_str(), month.start, month.end),
            ("2023-04", date(2023, 4, 1), date(2023, 4, 30))
        );
        let quarter = Period::Quarter.span(day);
        assert_eq!(
            (quarter.label.as_str(), quarter.start, quarter.end),
            ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30))
        );
        let year = Period::Year.span(day);
        assert_eq!(
            (year.label.as_str(), year.start, year.end),
            ("2023", date(2023, 1, 1), date(2023, 12, 31))
        );
    }

    #[test]
    fn iso_week_belongs_to_its_week_year() {
        // 2021-01-03 is a Sunday in week 53 of ISO year 2020.
        let span = Period::Week.span(date(2021, 1, 3));
        assert_eq!(span.label, "2020-W53");
        assert_eq!(span.start, date(2020, 12, 28));
        // 2024-12-30 is a Monday in week 1 of ISO year 2025.
        assert_eq!(Period::Week.span(date(2024, 12, 30)).label, "2025-W01");
    }

    #[test]
    fn spans_have_no_holes() {
        let labels: Vec<String> = Period::Month
            .spans(date(2022, 7, 22), date(2023, 4, 28))
            .into_iter()
            .map(|s| s.label)
            .collect();
        assert_eq!(
            labels,
            [
                "2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12", "2023-01",
                "2023-02", "2023-03", "2023-04"
            ]
        );
        let weeks = Period::Week.spans(date(2022, 12, 25), date(2023, 1, 9));
        let labels: Vec<&str> = weeks.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2022-W51", "2022-W52", "2023-W01", "2023-W02"]);
    }

    #[test]
    fn label_forms() {
        assert_eq!(Period::of_label("2023"), Some(Period::Year));
        assert_eq!(Period::of_label("2023-Q2"), Some(Period::Quarter));
        assert_eq!(Period::of_label("2023-04"), Some(Period::Month));
        assert_eq!(Period::of_label("2023-W15"), Some(Period::Week));
        assert_eq!(Period::of_label("2023-13"), None);
        assert_eq!(Period::of_label("2023-Q5"), None);
        assert_eq!(Period::of_label("last"), None);
    }
}
