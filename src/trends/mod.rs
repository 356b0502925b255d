//! Trends: entity and category series over time, statuses, bursts and
//! retrospective stats per period.

use crate::model::Corpus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Period {
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, Default)]
pub struct Trends {}

pub fn compute(corpus: &Corpus, period: Period) -> Trends {
    let _ = (corpus, period);
    Trends {}
}

/// `weeklygraph trends`.
pub fn trends_command(
    corpus: &Corpus,
    period: Period,
    top: usize,
    at: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let _ = (corpus, period, top, at, json);
    Ok(())
}

/// `weeklygraph entity NAME`.
pub fn entity_command(corpus: &Corpus, period: Period, name: &str) -> anyhow::Result<()> {
    let _ = (corpus, period, name);
    Ok(())
}
