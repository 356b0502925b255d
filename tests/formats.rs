//! The formats and conventions newsletters are published in, read with
//! nothing configured: MDX, Hugo TOML front matter, RSS and Atom feeds,
//! bullet items and sponsor blocks (data/sample's own issues of each), dates
//! in every shape with the day-month order settled per publication, and
//! pages that are not issues.

use std::path::{Path, PathBuf};

use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::model::{Category, Corpus, Date, IssueRecord};
use weeklygraph::pipeline::{self, CorpusOptions, Prepared};

fn options(inputs: &[&Path]) -> CorpusOptions {
    CorpusOptions {
        inputs: inputs.iter().map(|p| p.to_path_buf()).collect(),
        jobs: Some(2),
        ..CorpusOptions::default()
    }
}

fn extractor() -> Extractor {
    Extractor::new(Dictionary::builtin().expect("built-in dictionary loads"))
}

fn prepare(options: &CorpusOptions) -> Prepared {
    let pool = pipeline::thread_pool(options).unwrap();
    pool.install(|| pipeline::prepare(options, &extractor()))
        .expect("corpus prepares")
}

fn load(options: &CorpusOptions) -> Corpus {
    pipeline::load_corpus(options, &extractor()).expect("corpus loads")
}

fn date(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::from_ymd_opt(y, m, d)
}

fn sample() -> Corpus {
    load(&options(&[Path::new("data/sample")]))
}

fn records_from<'a>(corpus: &'a Corpus, path_part: &str) -> Vec<&'a IssueRecord> {
    corpus
        .records
        .iter()
        .filter(|r| r.issue.source_path.contains(path_part))
        .collect()
}

/// (publication, date, number, format, items) of one issue.
type Summary = (String, Option<Date>, Option<u32>, &'static str, usize);

/// The [`Summary`] of each issue from the files whose path contains
/// `path_part`, in corpus order.
fn summary(corpus: &Corpus, path_part: &str) -> Vec<Summary> {
    records_from(corpus, path_part)
        .iter()
        .map(|r| {
            (
                r.issue.publication.clone(),
                r.issue.date,
                r.issue.number,
                r.issue.format.as_str(),
                r.items.len(),
            )
        })
        .collect()
}

#[test]
fn mdx_issues_with_us_dates_components_bullets_and_sponsors() {
    let corpus = sample();
    let notes = |d, n, items| ("Platform Notes".to_string(), d, Some(n), "mdx", items);
    assert_eq!(
        summary(&corpus, "platform-notes/"),
        vec![
            notes(date(2024, 9, 13), 101, 5),
            notes(date(2024, 9, 20), 102, 5),
            // 10-04-2024 reads both ways; the others show month first.
            notes(date(2024, 10, 4), 103, 3),
        ]
    );
    let first = records_from(&corpus, "platform-notes/101/")[0];
    assert_eq!(first.issue.id, "platform-notes-2024-09-13");
    let titles: Vec<(&str, Category)> = first
        .items
        .iter()
        .map(|i| (i.title.as_str(), i.category))
        .collect();
    assert_eq!(
        titles,
        vec![
            ("MOCO v0.22 adds incremental backups", Category::Tools),
            ("Argo CD 2.12 progressive syncs", Category::Tools),
            (
                "Acme Cloud credits for open source: apply before the end of the month.",
                Category::Sponsor
            ),
            (
                "How we cut Prometheus cardinality in half",
                Category::Articles
            ),
            // A <LinkCard> component's props.
            ("Running Cilium without kube-proxy", Category::Articles),
        ]
    );
    assert_eq!(
        first.items[4].url.as_deref(),
        Some("https://example.org/cilium-no-kube-proxy")
    );
    let second = records_from(&corpus, "platform-notes/102/")[0];
    // "**Partner**" on a line of its own heads a sponsor block.
    assert_eq!(second.items[3].category, Category::Sponsor);
    assert_eq!(second.items[3].section, "Partner");
    assert!(first.mentions.iter().any(|m| m.entity_id == "neco:moco"));
}

#[test]
fn hugo_toml_front_matter_names_its_series() {
    let corpus = sample();
    let weekly = |d, n| ("Cluster Weekly".to_string(), d, Some(n), "front-matter", 2);
    assert_eq!(
        summary(&corpus, "data/sample/hugo/"),
        vec![weekly(date(2024, 5, 17), 7), weekly(date(2024, 5, 31), 8)]
    );
}

#[test]
fn feeds_give_one_issue_per_entry_on_the_day_written() {
    let corpus = sample();
    let ops = |d, n, items| ("Ops Letter".to_string(), d, Some(n), "feed", items);
    // 08:00 +0900 on 2 September is 1 September in UTC: the written day counts.
    assert_eq!(
        summary(&corpus, "feeds/ops-letter.rss"),
        vec![ops(date(2024, 9, 2), 12, 3), ops(date(2024, 9, 9), 13, 2)]
    );
    let mesh = |d, n, items| ("Mesh Monthly".to_string(), d, Some(n), "feed", items);
    assert_eq!(
        summary(&corpus, "feeds/mesh-monthly.atom"),
        vec![mesh(date(2024, 7, 1), 4, 2), mesh(date(2024, 8, 1), 5, 1)]
    );
    let ops = records_from(&corpus, "feeds/ops-letter.rss");
    assert_eq!(ops[0].issue.id, "ops-letter-2024-09-02");
    assert_eq!(ops[0].items[0].title, "Grafana 11.2 released");
    assert_eq!(
        ops[0].items[0].url.as_deref(),
        Some("https://grafana.com/blog/")
    );
}

#[test]
fn data_sample_builds_without_warnings_and_tells_its_date_order_once() {
    let prepared = prepare(&options(&[Path::new("data/sample")]));
    assert_eq!(prepared.warnings, vec![]);
    let notices: Vec<String> = prepared.notices.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        notices,
        vec![
            "Platform Notes: dates in numbers only read month first (MM-DD-YYYY), \
             as 2 of its issues with a day past 12 show"
                .to_string()
        ]
    );
}

/// The sample issue 103's text with another date and number.
fn mdx_post(number: u32, written_date: &str) -> String {
    let text = std::fs::read_to_string("data/sample/platform-notes/103/index.mdx").unwrap();
    text.replace("date: 10-04-2024", &format!("date: {written_date}"))
        .replace("#103", &format!("#{number}"))
}

#[test]
fn two_hundred_mdx_posts_with_us_dates_read_every_date_right() {
    let dir = tempfile::tempdir().unwrap();
    let first = Date::from_ymd_opt(2020, 1, 7).unwrap();
    let mut expected = Vec::new();
    for n in 0..200u32 {
        let day = first + chrono::Duration::weeks(i64::from(n));
        let folder = dir.path().join("blog").join(format!("{}", 300 + n));
        std::fs::create_dir_all(&folder).unwrap();
        let written = day.format("%m-%d-%Y").to_string();
        std::fs::write(folder.join("index.mdx"), mdx_post(300 + n, &written)).unwrap();
        expected.push((day, 300 + n));
    }
    let options = options(&[dir.path()]);
    let prepared = prepare(&options);
    assert_eq!(prepared.warnings, vec![]);
    let corpus = prepared.into_corpus().unwrap();
    let read: Vec<(Date, u32)> = corpus
        .records
        .iter()
        .map(|r| (r.issue.date.unwrap(), r.issue.number.unwrap()))
        .collect();
    assert_eq!(read, expected);
    assert!(
        corpus
            .records
            .iter()
            .all(|r| r.issue.publication == "Platform Notes" && r.items.len() == 3)
    );
    // Mentions carry the settled date too.
    let settled = corpus
        .records
        .iter()
        .find(|r| r.issue.date == date(2020, 2, 4))
        .unwrap();
    assert!(settled.mentions.iter().all(|m| m.date == date(2020, 2, 4)));
}

#[test]
fn a_date_nothing_settles_is_a_warning_not_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("notes");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("only.mdx"), mdx_post(7, "03-04-2024")).unwrap();
    let prepared = prepare(&options(&[dir.path()]));
    assert_eq!(prepared.warnings.len(), 1, "{:?}", prepared.warnings);
    assert!(
        prepared.warnings[0]
            .message
            .contains("2024-03-04 or 2024-04-03"),
        "{}",
        prepared.warnings[0]
    );
    let corpus = prepared.into_corpus().unwrap();
    assert_eq!(corpus.records[0].issue.date, None);
    assert_eq!(corpus.records[0].issue.number, Some(7));
}

#[test]
fn day_first_dates_settle_from_the_issues_that_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("wochenbrief");
    std::fs::create_dir_all(&folder).unwrap();
    for (n, written) in [(1, "06.09.2024"), (2, "13.09.2024"), (3, "20.09.2024")] {
        std::fs::write(
            folder.join(format!("{n}.md")),
            format!("---\ntitle: Wochenbrief {n}\ndate: {written}\n---\n\n## News\n\n- 🔗 [Helm](https://helm.sh/): charts\n"),
        )
        .unwrap();
    }
    let corpus = load(&options(&[dir.path()]));
    let dates: Vec<Option<Date>> = corpus.records.iter().map(|r| r.issue.date).collect();
    assert_eq!(
        dates,
        vec![date(2024, 9, 6), date(2024, 9, 13), date(2024, 9, 20)]
    );
    assert!(
        corpus
            .records
            .iter()
            .all(|r| r.issue.publication == "Wochenbrief")
    );
}

/// Writes issues into `folder` under `root`: (file name, text).
fn write_all(root: &Path, folder: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = root.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

#[test]
fn pages_that_are_not_issues_are_skipped_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let issue = |n: u32, day: u32| {
        format!(
            "---\ntitle: \"Frontend Digest #{n}: Notes\"\ndate: 2024-03-{day:02}\n---\n\n## Articles\n\n- 🔗 [Vite 5](https://vitejs.dev/): faster\n"
        )
    };
    let (first, second) = (issue(123, 4), issue(124, 11));
    write_all(
        dir.path(),
        "digest",
        &[
            ("2024-03-04-digest.md", &first),
            ("2024-03-11-digest.md", &second),
            (
                "privacy.md",
                "---\ntitle: Privacy Policy\n---\n\nWe keep no data.\n",
            ),
            (
                "2024-03-15-launch.md",
                "---\ntitle: Our new office\ndate: 2024-03-15\n---\n\nWe moved.\n",
            ),
        ],
    );
    let prepared = prepare(&options(&[dir.path()]));
    assert_eq!(prepared.warnings, vec![]);
    let notices: Vec<&str> = prepared
        .notices
        .iter()
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(
        notices,
        vec![
            "\"Our new office\" does not name Frontend Digest like the other issues beside it; not an issue, skipped",
            "\"Privacy Policy\" has no date and no number; not an issue, skipped",
        ]
    );
    let corpus = prepared.into_corpus().unwrap();
    let ids: Vec<(&str, &str, Option<u32>)> = corpus
        .records
        .iter()
        .map(|r| {
            (
                r.issue.id.as_str(),
                r.issue.publication.as_str(),
                r.issue.number,
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            ("frontend-digest-2024-03-04", "Frontend Digest", Some(123)),
            ("frontend-digest-2024-03-11", "Frontend Digest", Some(124)),
        ]
    );
}

#[test]
fn the_publication_flag_names_every_issue() {
    let options = CorpusOptions {
        publication: Some("Our Feeds".into()),
        ..options(&[
            Path::new("data/sample/feeds"),
            Path::new("data/sample/hugo"),
        ])
    };
    let corpus = load(&options);
    assert_eq!(corpus.records.len(), 6);
    assert!(
        corpus
            .records
            .iter()
            .all(|r| r.issue.publication == "Our Feeds")
    );
    assert!(
        corpus
            .records
            .iter()
            .all(|r| r.issue.id.starts_with("our-feeds-2024-"))
    );
}

#[test]
fn title_variants_join_the_publication_of_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let page = |title: &str, day: u32| {
        format!(
            "Title: {title}\nDate: 2013-07-{day:02}\n\n## News\n\n- [Rust](https://rust-lang.org/)\n"
        )
    };
    let pages = [
        page("This Week in Rust 1", 1),
        page("This Week In Rust 2", 8),
        page("Last Week in Rust 3", 15),
        page("These Weeks in Rust 4", 29),
        page("The State of Rust 0.7", 5),
        page("This Week in Rust 5", 22),
    ];
    let names = ["1.md", "2.md", "3.md", "4.md", "state.md", "5.md"];
    let files: Vec<(&str, &str)> = names
        .iter()
        .copied()
        .zip(pages.iter().map(String::as_str))
        .collect();
    write_all(dir.path(), "twir", &files);
    let prepared = prepare(&options(&[dir.path()]));
    assert_eq!(prepared.notices.len(), 1);
    assert!(
        prepared.notices[0]
            .message
            .contains("The State of Rust 0.7")
    );
    let corpus = prepared.into_corpus().unwrap();
    assert_eq!(corpus.records.len(), 5);
    assert!(
        corpus
            .records
            .iter()
            .all(|r| r.issue.publication == "This Week in Rust")
    );
    let numbers: Vec<Option<u32>> = corpus.records.iter().map(|r| r.issue.number).collect();
    assert_eq!(numbers, vec![Some(1), Some(2), Some(3), Some(5), Some(4)]);
}
