//! Trends on the real corpora: LWKD by year (what rose, what faded, what
//! burst), Neco Weekly by month (gap months, Kubebuilder's series), and the
//! reports (valid, offline HTML with inline charts).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::model::Corpus;
use weeklygraph::pipeline::{self, CorpusOptions};
use weeklygraph::trends::{self, Period, Status, Trends};

use common::read_csv;

fn load(input: PathBuf) -> Corpus {
    let extractor = Extractor::new(Dictionary::load(true, &[], None).unwrap());
    let options = CorpusOptions {
        inputs: vec![input],
        ..CorpusOptions::default()
    };
    pipeline::load_corpus(&options, &extractor).unwrap()
}

/// LWKD by year, computed once for the whole test binary.
fn lwkd_yearly() -> Option<&'static Trends> {
    static TRENDS: OnceLock<Trends> = OnceLock::new();
    let input = common::shared("corpus/lwkd")?;
    Some(TRENDS.get_or_init(|| trends::compute(&load(input), Period::Year)))
}

fn sample(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sample")
        .join(relative)
}

/// `weeklygraph build` once per corpus, into cargo's scratch folder:
/// `sample` (data/sample by month) and `sample-lwkd` (its LWKD posts by
/// year) always, the real corpora when ../shared is there.
fn built(corpus: &str) -> Option<PathBuf> {
    static SAMPLE: OnceLock<PathBuf> = OnceLock::new();
    static SAMPLE_LWKD: OnceLock<PathBuf> = OnceLock::new();
    static NECO: OnceLock<PathBuf> = OnceLock::new();
    static LWKD: OnceLock<PathBuf> = OnceLock::new();
    let (cell, input, period) = match corpus {
        "sample" => (&SAMPLE, sample(""), "month"),
        "sample-lwkd" => (&SAMPLE_LWKD, sample("lwkd"), "year"),
        "neco-weekly" => (&NECO, common::shared("corpus/neco-weekly")?, "month"),
        "lwkd" => (&LWKD, common::shared("corpus/lwkd")?, "year"),
        _ => unreachable!("no such corpus in these tests"),
    };
    let output = cell.get_or_init(|| {
        let output = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("trends-{corpus}"));
        common::run_ok(
            common::weeklygraph()
                .arg("build")
                .arg(&input)
                .args(["-q", "--period", period, "-o"])
                .arg(&output),
        );
        output
    });
    Some(output.clone())
}

fn series<'a>(trends: &'a Trends, id: &str) -> &'a trends::Series {
    trends.entity(id).unwrap_or_else(|| {
        panic!("{id} is never mentioned: the dictionary or the matcher does not find it yet")
    })
}

fn year(trends: &Trends, label: &str) -> usize {
    trends
        .index_of(label)
        .unwrap_or_else(|| panic!("no period {label}"))
}

#[test]
fn lwkd_dynamic_resource_allocation_rises_in_2023_and_bursts_through_2024() {
    let Some(trends) = lwkd_yearly() else { return };
    let dra = series(trends, "topic:dynamic-resource-allocation");
    let (y2023, y2024) = (year(trends, "2023"), year(trends, "2024"));
    assert_eq!(
        dra.status[y2023],
        Status::Rising,
        "mentions by year: {:?}",
        dra.mentions
    );
    let risers: Vec<&str> = trends
        .rising(y2023)
        .into_iter()
        .filter(|h| h.kind == "tool" || h.kind == "topic")
        .map(|h| h.id)
        .collect();
    let position = risers
        .iter()
        .position(|&id| id == "topic:dynamic-resource-allocation");
    assert!(
        position.is_some_and(|p| p < 10),
        "DRA is not among the ten strongest risers of 2023: {:?}",
        &risers[..risers.len().min(15)]
    );
    assert!(
        dra.burst_at(y2023).is_some() && dra.burst_at(y2024).is_some(),
        "bursts: {:?}, mentions {:?}",
        dra.bursts,
        dra.mentions
    );
}

#[test]
fn lwkd_dockershim_peaks_in_2022_and_fades_by_2024() {
    let Some(trends) = lwkd_yearly() else { return };
    let dockershim = series(trends, "topic:dockershim");
    let peak = (0..trends.spans.len())
        .max_by_key(|&t| (dockershim.mentions[t], std::cmp::Reverse(t)))
        .unwrap();
    assert_eq!(
        trends.spans[peak].label, "2022",
        "mentions by year: {:?}",
        dockershim.mentions
    );
    let status = dockershim.status[year(trends, "2024")];
    assert!(
        matches!(status, Status::Falling | Status::Gone),
        "2024: {status:?}; mentions {:?}, statuses {:?}",
        dockershim.mentions,
        dockershim.status
    );
}

#[test]
fn lwkd_cel_rises_in_2022() {
    let Some(trends) = lwkd_yearly() else { return };
    let cel = series(trends, "topic:cel");
    assert_eq!(
        cel.status[year(trends, "2022")],
        Status::Rising,
        "mentions by year: {:?}, items by year {:?}",
        cel.mentions,
        trends.items
    );
}

#[test]
fn lwkd_years_run_2018_to_2024_without_holes() {
    let Some(trends) = lwkd_yearly() else { return };
    let labels: Vec<&str> = trends.spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        ["2018", "2019", "2020", "2021", "2022", "2023", "2024"]
    );
    let issues: u32 = trends.stats.iter().map(|s| s.issues).sum();
    assert_eq!(issues, 309);
}

#[test]
fn sample_lwkd_years_are_2023_and_2024() {
    let trends = trends::compute(&load(sample("lwkd")), Period::Year);
    let labels: Vec<&str> = trends.spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["2023", "2024"]);
    let issues: Vec<u32> = trends.stats.iter().map(|s| s.issues).collect();
    assert_eq!(issues, [2, 2]);
}

/// The header, and the fixed precision that keeps the file byte-stable.
fn check_trends_csv_format(output: &Path) {
    let text = std::fs::read_to_string(output.join("trends.csv")).unwrap();
    assert!(
        text.starts_with("period,entity_id,name,kind,mentions,issues,share,rank,status,burst\n")
    );
    for row in read_csv(&output.join("trends.csv")) {
        assert_eq!(
            row["share"].split('.').nth(1).map(str::len),
            Some(6),
            "{row:?}"
        );
    }
}

#[test]
fn sample_lwkd_trends_csv_carries_the_statuses() {
    let output = built("sample-lwkd").unwrap();
    check_trends_csv_format(&output);
    let rows = read_csv(&output.join("trends.csv"));
    let dra = |period: &str| {
        rows.iter()
            .find(|r| {
                r["period"] == period && r["entity_id"] == "topic:dynamic-resource-allocation"
            })
            .unwrap_or_else(|| panic!("a {period} row for DRA"))
    };
    let fields = |row: &common::Row| {
        ["kind", "mentions", "issues", "share", "status", "burst"].map(|c| row[c].clone())
    };
    assert_eq!(
        fields(dra("2023")),
        ["topic", "3", "2", "0.187500", "new", ""]
    );
    assert_eq!(
        fields(dra("2024")),
        ["topic", "7", "2", "0.466667", "steady", ""]
    );
}

#[test]
fn lwkd_trends_csv_carries_the_statuses() {
    let Some(output) = built("lwkd") else { return };
    check_trends_csv_format(&output);
    let rows = read_csv(&output.join("trends.csv"));
    let dra_2023 = rows
        .iter()
        .find(|r| r["period"] == "2023" && r["entity_id"] == "topic:dynamic-resource-allocation")
        .expect("a 2023 row for DRA");
    assert_eq!(dra_2023["status"], "rising");
    assert_eq!(dra_2023["kind"], "topic");
    assert!(!dra_2023["burst"].is_empty());
    // Fixed precision, so the file is byte-stable.
    assert_eq!(dra_2023["share"].split('.').nth(1).map(str::len), Some(6));
    let header = std::fs::read_to_string(output.join("trends.csv")).unwrap();
    assert!(
        header.starts_with("period,entity_id,name,kind,mentions,issues,share,rank,status,burst\n")
    );
}

/// Every month's row is there; those without issues count nothing.
fn check_gaps_are_zero(rows: &[common::Row]) {
    for gap in rows.iter().filter(|r| r["issues"] == "0") {
        for column in [
            "items",
            "distinct_entities",
            "new_entities",
            "neco_mentions",
        ] {
            assert_eq!(gap[column], "0", "{} {column}", gap["period"]);
        }
        assert_eq!(gap["top_entities"], "");
    }
}

#[test]
fn sample_periods_csv_has_every_month_with_gaps_at_zero() {
    let output = built("sample").unwrap();
    let rows = read_csv(&output.join("periods.csv"));
    let months: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(
        months,
        [
            "2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2023-07", "2023-08",
            "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04",
            "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10"
        ]
    );
    let issues: Vec<&str> = rows.iter().map(|r| r["issues"].as_str()).collect();
    assert_eq!(
        issues,
        [
            "1", "1", "1", "0", "1", "1", "0", "1", "2", "1", "1", "1", "1", "1", "2", "2", "2",
            "0", "1", "1", "4", "1"
        ]
    );
    check_gaps_are_zero(&rows);
    assert_eq!(
        (rows[1]["start"].as_str(), rows[1]["end"].as_str()),
        ("2023-02-01", "2023-02-28")
    );
    let items: Vec<&str> = rows.iter().map(|r| r["items"].as_str()).collect();
    assert_eq!(
        items,
        [
            "6", "5", "8", "0", "5", "4", "0", "5", "17", "4", "5", "6", "8", "6", "11", "7", "4",
            "0", "2", "1", "15", "3"
        ]
    );
}

#[test]
fn neco_periods_csv_has_every_month_with_gaps_at_zero() {
    let Some(output) = built("neco-weekly") else {
        return;
    };
    let rows = read_csv(&output.join("periods.csv"));
    let months: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(
        months,
        [
            "2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12", "2023-01", "2023-02",
            "2023-03", "2023-04"
        ]
    );
    let issues: Vec<&str> = rows.iter().map(|r| r["issues"].as_str()).collect();
    assert_eq!(issues, ["2", "2", "2", "0", "0", "0", "0", "0", "1", "1"]);
    check_gaps_are_zero(&rows);
    assert_eq!(rows[0]["start"], "2022-07-01");
    assert_eq!(rows[0]["end"], "2022-07-31");
    // Items of July: 5 (2022-07-22) + 9 (2022-07-29) titled items.
    assert_eq!(rows[0]["items"], "14");
}

#[test]
fn neco_kubebuilder_series() {
    let Some(output) = built("neco-weekly") else {
        return;
    };
    let rows = read_csv(&output.join("trends.csv"));
    let months: Vec<&str> = rows
        .iter()
        .filter(|r| r["entity_id"] == "tool:kubebuilder" && r["mentions"] != "0")
        .map(|r| r["period"].as_str())
        .collect();
    for month in ["2022-08", "2022-09", "2023-03", "2023-04"] {
        assert!(
            months.contains(&month),
            "no Kubebuilder mention in {month}: {months:?}"
        );
    }
}

/// Every inline `<svg>` of a page, as text.
fn svg_fragments(page: &str) -> Vec<&str> {
    let mut fragments = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        let Some(end) = rest[start..].find("</svg>") else {
            panic!("an <svg> never closes");
        };
        let end = start + end + "</svg>".len();
        fragments.push(&rest[start..end]);
        rest = &rest[end..];
    }
    fragments
}

fn assert_valid_offline_report(output: &Path) {
    let page = std::fs::read_to_string(output.join("report.html")).unwrap();
    let document = scraper::Html::parse_document(&page);
    assert!(
        document.errors.is_empty(),
        "HTML parse errors: {:?}",
        &document.errors[..document.errors.len().min(5)]
    );
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    assert_eq!(document.select(&select("html > head > title")).count(), 1);
    assert_eq!(document.select(&select("html > head > style")).count(), 1);
    // The line chart and the heatmap, at least, are inline.
    let charts = document.select(&select("svg")).count();
    assert!(charts >= 2, "{charts} inline svg");
    let polylines = document.select(&select("svg polyline")).count();
    assert!(polylines >= 1, "the line chart has no line");
    let fragments = svg_fragments(&page);
    assert_eq!(fragments.len(), page.matches("</svg>").count());
    for fragment in fragments {
        if let Err(err) = roxmltree::Document::parse(fragment) {
            panic!("inline SVG is not well-formed XML: {err}");
        }
    }
    // Nothing is fetched: no script at all, no stylesheet, image, font or
    // import from anywhere.
    let lower = page.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "src=\"http",
    ] {
        assert!(
            !lower.contains(forbidden),
            "report.html contains {forbidden:?}"
        );
    }
    // Links out (a KEP's page) are only links a reader follows.
    for element in document.select(&select("[href]")) {
        assert_eq!(element.value().name(), "a", "{:?}", element.value());
    }
    let headings: Vec<String> = document
        .select(&select("h2"))
        .map(|h| h.text().collect())
        .collect();
    // Graphviz's picture goes in when it was rendered (not on a machine
    // without Graphviz, where build only notes its absence).
    if output.join("graph.svg").exists() {
        assert!(headings.iter().any(|h| h == "Topic graph"), "{headings:?}");
        assert!(charts >= 3, "graph.svg was rendered but not inlined");
    }
    for wanted in ["Bursts", "Section mix", "Issues"] {
        assert!(
            headings.iter().any(|h| h == wanted),
            "no {wanted} section: {headings:?}"
        );
    }
}

#[test]
fn sample_report_html_is_valid_and_offline() {
    let output = built("sample").unwrap();
    assert_valid_offline_report(&output);
    let page = std::fs::read_to_string(output.join("report.html")).unwrap();
    assert_eq!(page.matches("<li>2023-").count(), 11);
    assert_eq!(page.matches("<li>2024-").count(), 15);
}

#[test]
fn neco_report_html_is_valid_and_offline() {
    let Some(output) = built("neco-weekly") else {
        return;
    };
    assert_valid_offline_report(&output);
    let issues = std::fs::read_to_string(output.join("report.html")).unwrap();
    assert_eq!(issues.matches("<li>2022-").count(), 6);
    let markdown = std::fs::read_to_string(output.join("report.md")).unwrap();
    assert!(markdown.contains("| 2022-10 | 0 | 0 | 0 | 0 | 0 |  |  |\n"));
}

#[test]
fn lwkd_report_html_is_valid_and_offline() {
    let Some(output) = built("lwkd") else { return };
    assert_valid_offline_report(&output);
}

/// What the trends and entity commands say of a corpus by month.
struct CommandFacts {
    at: &'static str,
    start: &'static str,
    issues: u64,
    series_start: &'static str,
    /// Months from the series' start to `at`, both counted.
    series_len: usize,
    /// The text report opens with its latest month.
    text_head: &'static str,
    /// Months Kubebuilder is mentioned in.
    kubebuilder_months: [&'static str; 2],
}

const SAMPLE_FACTS: CommandFacts = CommandFacts {
    at: "2023-09",
    start: "2023-09-01",
    issues: 2,
    series_start: "2023-01",
    series_len: 9,
    // The default is the last complete month, and the first line says why.
    text_head: "2024-10 (month 2024-10-01 – 2024-10-31, the last month, complete: its last issue (2024-10-04) is within the corpus' interval between issues (28 days) of its end): 1 issue, 3 items; sparklines from 2024-03\n",
    kubebuilder_months: ["2023-01", "2024-02"],
};

const NECO_FACTS: CommandFacts = CommandFacts {
    at: "2022-08",
    start: "2022-08-01",
    issues: 2,
    series_start: "2022-07",
    series_len: 2,
    text_head: "2023-04 (month 2023-04-01 – 2023-04-30, the last month, complete: its last issue (2023-04-28) is within the corpus' interval between issues (14 days) of its end): 1 issue, 10 items",
    kubebuilder_months: ["2022-08", "2023-04"],
};

/// data/sample always, and the Neco Weekly corpus when ../shared has it.
fn command_corpora() -> Vec<(PathBuf, CommandFacts)> {
    let mut corpora = vec![(sample(""), SAMPLE_FACTS)];
    if let Some(neco) = common::shared("corpus/neco-weekly") {
        corpora.push((neco, NECO_FACTS));
    }
    corpora
}

#[test]
fn trends_command_json_for_a_given_period() {
    for (input, facts) in command_corpora() {
        check_trends_json(&input, &facts);
    }
}

fn check_trends_json(input: &Path, facts: &CommandFacts) {
    let result = common::run_ok(
        common::weeklygraph()
            .args([
                "trends", "-q", "--period", "month", "--at", facts.at, "--json",
            ])
            .arg(input),
    );
    let json: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(json["period"], facts.at);
    assert_eq!(json["start"], facts.start);
    assert_eq!(json["issues"], facts.issues);
    assert_eq!(json["series_start"], facts.series_start);
    for table in ["rising", "new", "falling"] {
        assert!(json[table].is_array(), "{table}");
    }
    // Each row's series ends with the reported period's count.
    let new = json["new"].as_array().unwrap();
    assert!(!new.is_empty());
    for row in new {
        let series = row["series"].as_array().unwrap();
        assert_eq!(series.len(), facts.series_len);
        assert_eq!(series[facts.series_len - 1], row["mentions"]);
    }

    let wrong = common::weeklygraph()
        .args(["trends", "-q", "--period", "year", "--at", "2023-Q1"])
        .arg(input)
        .output()
        .unwrap();
    // A quarter over monthly series is fine; over yearly ones, too short.
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("--period quarter"));
}

#[test]
fn trends_command_text_has_sparklines_and_no_colour_in_a_pipe() {
    for (input, facts) in command_corpora() {
        let result = common::weeklygraph()
            .args(["trends", "-q", "--period", "month"])
            .arg(&input)
            .output()
            .unwrap();
        let text = String::from_utf8(result.stdout).unwrap();
        assert!(text.starts_with(facts.text_head), "{text}");
        for heading in ["\nRising\n", "\nNew\n", "\nFalling\n"] {
            assert!(text.contains(heading), "{text}");
        }
        assert!(text.contains('▁'), "{text}");
        assert!(!text.contains('\x1b'), "colour codes in a pipe");
    }
}

#[test]
fn entity_command_shows_timeline_neighbours_and_items() {
    for (input, facts) in command_corpora() {
        check_entity_command(&input, &facts);
    }
}

fn check_entity_command(input: &Path, facts: &CommandFacts) {
    let result = common::run_ok(
        common::weeklygraph()
            .args(["entity", "KUBEBUILDER", "-q"])
            .arg(input),
    );
    let text = String::from_utf8(result.stdout).unwrap();
    assert!(
        text.starts_with("Kubebuilder (tool:kubebuilder, tool)\n"),
        "{text}"
    );
    for part in [
        "\nTimeline\n",
        "\nMentioned with\n",
        "\nItems\n",
        &format!("  {} ", facts.kubebuilder_months[0]),
        &format!("  {} ", facts.kubebuilder_months[1]),
    ] {
        assert!(text.contains(part), "no {part:?} in {text}");
    }
    let unknown = common::weeklygraph()
        .args(["entity", "no-such-thing-at-all", "-q"])
        .arg(input)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
}
