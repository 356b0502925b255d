//! report.html's "Across publications" section: for the entities several
//! publications covered while all were publishing, who named each first
//! and how many days or weeks later the others did (the rows of
//! lead_lag.csv, see [`crate::lead_lag`]).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::report_html::escape;
use crate::lead_lag::LeadLag;
use crate::words::count;

/// Rows the table shows; lead_lag.csv holds them all.
const SHOWN: usize = 30;

/// The section, or nothing when no entity was covered by two publications.
pub fn section(lead_lag: &LeadLag) -> String {
    if lead_lag.leads.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h2>Across publications</h2>\n");
    let runs: Vec<String> = lead_lag
        .runs
        .iter()
        .map(|(publication, (start, end))| format!("{} ({start} to {end})", escape(publication)))
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"sub\">{} covered by more than one of {}, counted only where the others were \
         already publishing when the first named it; lead_lag.csv lists them all.</p>",
        count(lead_lag.leads.len(), "entity"),
        runs.join(", ")
    );
    // Who led how often, and by how much: the median lag of those who followed.
    let mut led: BTreeMap<&str, (usize, Vec<i64>)> = BTreeMap::new();
    for lead in &lead_lag.leads {
        let first: Vec<&str> = lead.leaders().map(|c| c.publication.as_str()).collect();
        let lags: Vec<i64> = lead
            .coverage
            .iter()
            .filter(|c| c.lag_days > 0)
            .map(|c| c.lag_days)
            .collect();
        if first.len() == 1 {
            let entry = led.entry(first[0]).or_default();
            entry.0 += 1;
            entry.1.extend(lags);
        }
    }
    let _ = writeln!(out, "<ul>");
    for (publication, (times, mut lags)) in led {
        lags.sort_unstable();
        let median = lags.get(lags.len() / 2).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "<li>{} named {} first; the others followed after a median of {}.</li>",
            escape(publication),
            count(times, "entity"),
            lag_text(median)
        );
    }
    let _ = writeln!(out, "</ul>");
    // The longest leads first: they say most about who watches what.
    let mut leads: Vec<_> = lead_lag.leads.iter().collect();
    leads.sort_by_key(|lead| {
        let longest = lead.coverage.iter().map(|c| c.lag_days).max().unwrap_or(0);
        (
            std::cmp::Reverse(longest),
            lead.lead_date,
            lead.entity_id.as_str(),
        )
    });
    let _ = writeln!(
        out,
        "<table>\n<tr><th>Entity</th><th>Kind</th><th>First</th><th>On</th><th>Then</th></tr>"
    );
    for lead in leads.iter().take(SHOWN) {
        let first: Vec<String> = lead.leaders().map(|c| escape(&c.publication)).collect();
        let then: Vec<String> = lead
            .coverage
            .iter()
            .filter(|c| c.lag_days > 0)
            .map(|c| {
                format!(
                    "{} {} later ({})",
                    escape(&c.publication),
                    lag_text(c.lag_days),
                    c.first_seen
                )
            })
            .collect();
        let then = if then.is_empty() {
            "the same day".to_string()
        } else {
            then.join("; ")
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{then}</td></tr>",
            escape(&lead.name),
            escape(&lead.kind),
            first.join(", "),
            lead.lead_date,
        );
    }
    let _ = writeln!(out, "</table>");
    if leads.len() > SHOWN {
        let _ = writeln!(
            out,
            "<p class=\"sub\">… and {} more in lead_lag.csv.</p>",
            leads.len() - SHOWN
        );
    }
    out
}

/// Days under three weeks, weeks after.
fn lag_text(days: i64) -> String {
    if days < 21 {
        count(days.max(0) as usize, "day")
    } else {
        count((days / 7) as usize, "week")
    }
}
