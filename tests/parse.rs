//! The parse stage on real corpora (../shared) and on fixtures written for
//! these tests (tests/fixtures/parse/), one per format.

mod common;

use std::path::{Path, PathBuf};

use weeklygraph::model::{Category, Format, Issue, LinkRef};
use weeklygraph::parse::{Parsed, parse};
use weeklygraph::read::{DEFAULT_MAX_FILE_SIZE, read_source};

fn parse_file(path: &Path) -> Parsed {
    let source = read_source(path, DEFAULT_MAX_FILE_SIZE).expect("a readable file");
    parse(&source.display, &source.text)
        .unwrap_or_else(|warning| panic!("no issue in {}: {warning}", path.display()))
}

fn fixture(name: &str) -> Parsed {
    parse_file(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/parse")
            .join(name),
    )
}

fn date(text: &str) -> Option<chrono::NaiveDate> {
    Some(text.parse().expect("a date"))
}

fn item_count(issue: &Issue) -> usize {
    issue.sections.iter().map(|s| s.items.len()).sum()
}

fn item_titles(issue: &Issue) -> Vec<(&str, &str)> {
    issue
        .sections
        .iter()
        .flat_map(|s| {
            s.items
                .iter()
                .map(move |i| (s.category.as_str(), i.title.as_str()))
        })
        .collect()
}

fn find_item<'a>(
    issue: &'a Issue,
    title: &str,
) -> (
    &'a weeklygraph::model::Section,
    &'a weeklygraph::model::Item,
) {
    issue
        .sections
        .iter()
        .find_map(|s| s.items.iter().find(|i| i.title == title).map(|i| (s, i)))
        .unwrap_or_else(|| {
            panic!(
                "no item {title:?} in {}: {:?}",
                issue.id,
                item_titles(issue)
            )
        })
}

/// file, id, date, number, titled items, format
type IssueRow = (&'static str, &'static str, &'static str, u32, usize, Format);

/// Parses each file of the table under `dir` and checks its row; returns
/// the items counted.
fn check_neco_table(dir: &Path, expected: &[IssueRow]) -> usize {
    let mut total = 0;
    for &(file, id, day, number, items, format) in expected {
        let parsed = parse_file(&dir.join(file));
        let issue = &parsed.issue;
        assert_eq!(issue.id, id, "{file}");
        assert_eq!(issue.publication, "Neco Weekly", "{file}");
        assert_eq!(issue.date, date(day), "{file}");
        assert_eq!(issue.number, Some(number), "{file}");
        assert_eq!(issue.format, format, "{file}");
        assert_eq!(
            item_count(issue),
            items,
            "{file}: {:#?}",
            item_titles(issue)
        );
        assert!(issue.source_path.ends_with(file), "{}", issue.source_path);
        assert_eq!(parsed.warnings, vec![], "{file}");
        total += item_count(issue);
    }
    total
}

fn sample(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/sample")
        .join(relative)
}

#[test]
fn sample_neco_weekly_issues_in_every_format() {
    let expected: [IssueRow; 10] = [
        (
            "neco-weekly/2023-01-13.md",
            "neco-weekly-2023-01-13",
            "2023-01-13",
            18,
            6,
            Format::Markdown,
        ),
        (
            "neco-weekly/2023-02-10.md",
            "neco-weekly-2023-02-10",
            "2023-02-10",
            22,
            5,
            Format::Markdown,
        ),
        (
            "neco-weekly/2023-05-12.md",
            "neco-weekly-2023-05-12",
            "2023-05-12",
            31,
            5,
            Format::Markdown,
        ),
        (
            "zenn/neco-weekly-34.txt",
            "neco-weekly-2023-06-02",
            "2023-06-02",
            34,
            4,
            Format::Text,
        ),
        (
            "neco-weekly/2023-08-25.md",
            "neco-weekly-2023-08-25",
            "2023-08-25",
            42,
            5,
            Format::Markdown,
        ),
        (
            "zenn/neco-weekly-47.txt",
            "neco-weekly-2023-10-13",
            "2023-10-13",
            47,
            4,
            Format::Text,
        ),
        (
            "saved/neco-weekly-2023-11-10.html",
            "neco-weekly-2023-11-10",
            "2023-11-10",
            49,
            5,
            Format::Html,
        ),
        (
            "neco-weekly/2023-12-08.md",
            "neco-weekly-2023-12-08",
            "2023-12-08",
            52,
            6,
            Format::Markdown,
        ),
        (
            "neco-weekly/2024-02-16.md",
            "neco-weekly-2024-02-16",
            "2024-02-16",
            57,
            6,
            Format::Markdown,
        ),
        (
            "saved/neco-weekly-2024-03-22.html",
            "neco-weekly-2024-03-22",
            "2024-03-22",
            61,
            4,
            Format::Html,
        ),
    ];
    assert_eq!(check_neco_table(&sample(""), &expected), 50);
}

#[test]
fn neco_weekly_matches_the_table_in_shared_readme() {
    let Some(dir) = common::shared("corpus/neco-weekly") else {
        return;
    };
    let expected: [IssueRow; 8] = [
        (
            "seeds/002_18bfc8343d4ff075.txt",
            "neco-weekly-2022-07-29",
            "2022-07-29",
            2,
            9,
            Format::Markdown,
        ),
        (
            "seeds/000_c0da8ff7c3577228.txt",
            "neco-weekly-2022-08-05",
            "2022-08-05",
            3,
            8,
            Format::Markdown,
        ),
        (
            "seeds/004_f14dc9eb145ea253.txt",
            "neco-weekly-2022-09-16",
            "2022-09-16",
            8,
            7,
            Format::Markdown,
        ),
        (
            "seeds/001_a5d7174263ea4a66.txt",
            "neco-weekly-2023-03-17",
            "2023-03-17",
            26,
            19,
            Format::Text,
        ),
        (
            "seeds/003_3503ea43ae0c65f0.txt",
            "neco-weekly-2023-04-28",
            "2023-04-28",
            30,
            10,
            Format::Text,
        ),
        (
            "github/2022-07-22.md",
            "neco-weekly-2022-07-22",
            "2022-07-22",
            1,
            5,
            Format::Markdown,
        ),
        (
            "github/2022-08-19.md",
            "neco-weekly-2022-08-19",
            "2022-08-19",
            4,
            6,
            Format::Markdown,
        ),
        (
            "github/2022-09-01.md",
            "neco-weekly-2022-09-01",
            "2022-09-01",
            6,
            8,
            Format::Markdown,
        ),
    ];
    assert_eq!(check_neco_table(&dir, &expected), 72);
}

#[test]
fn neco_weekly_items_have_their_titles_and_links() {
    let Some(dir) = common::shared("corpus/neco-weekly") else {
        return;
    };
    // An article written as a level-2 heading is still an article.
    let seed_002 = parse_file(&dir.join("seeds/002_18bfc8343d4ff075.txt")).issue;
    let (section, slo) = find_item(&seed_002, "The Art of SLOs");
    assert_eq!(section.category, Category::Articles);
    assert_eq!(section.heading, "👀 Notable Articles");
    assert_eq!(
        slo.url.as_deref(),
        Some("https://sre.google/resources/practices-and-processes/art-of-slos/")
    );
    let headings: Vec<_> = seed_002.sections.iter().map(|s| s.category).collect();
    assert_eq!(
        headings,
        [
            Category::Features,
            Category::Articles,
            Category::Tools,
            Category::Afterword
        ]
    );

    let seed_001 = parse_file(&dir.join("seeds/001_a5d7174263ea4a66.txt")).issue;
    assert_eq!(
        seed_001.title,
        "K8s 1.27の新機能やコンテナレジストリミラーSpegelの紹介など: Neco Weekly (2023-03-17号)"
    );
    let (section, spegel) = find_item(&seed_001, "Spegel");
    assert_eq!(section.category, Category::Tools);
    assert_eq!(
        spegel.url.as_deref(),
        Some("https://github.com/XenitAB/spegel")
    );
    // Two URL lines: the first is the item's, both are its links.
    let (_, wasm) = find_item(
        &seed_001,
        "container2wasm Converter: Running Linux-Based Containers on WASM and Browser",
    );
    assert_eq!(
        wasm.url.as_deref(),
        Some("https://medium.com/nttlabs/container2wasm-2dd90a18cc9a")
    );
    assert_eq!(wasm.links.len(), 2);
    // The afterword keeps its link as lead text, and the signature and
    // the comment thread are not part of it.
    let afterword = seed_001.sections.last().unwrap();
    assert_eq!(afterword.category, Category::Afterword);
    assert!(afterword.items.is_empty());
    assert_eq!(afterword.lead_links.len(), 1);
    assert!(!afterword.lead_text.contains("Necoチーム 😺"));
    assert!(!afterword.lead_text.contains("Discussion"));

    let seed_003 = parse_file(&dir.join("seeds/003_3503ea43ae0c65f0.txt")).issue;
    assert_eq!(
        item_titles(&seed_003),
        [
            (
                "articles",
                "Network policies are not the right abstraction (for developers)"
            ),
            (
                "articles",
                "Perseus: A Fail-Slow Detection Framework for Cloud Storage Systems"
            ),
            (
                "articles",
                "Kubernetes Vault integration via Sidecar Agent Injector vs. Vault Secrets Operator vs. CSI provider"
            ),
            (
                "articles",
                "How to troubleshoot memory leaks in Go with Grafana Pyroscope"
            ),
            ("articles", "Kubernetes の Probe の仕組みと考慮点"),
            ("articles", "Annotations in Kubernetes Operator Design"),
            ("articles", "Don't write clean code, write CRISP code"),
            ("tools", "Kubebuilder v3.10.0"),
            (
                "tools",
                "krr: Prometheus-based Kubernetes Resource Recommendations"
            ),
            ("events", "エーピーコミュニケーションズさんのKubeCon速報"),
        ]
    );

    let seed_004 = parse_file(&dir.join("seeds/004_f14dc9eb145ea253.txt")).issue;
    let first = &seed_004.sections[0].items[0];
    assert_eq!(first.title, "MOCO v0.13.0");
    assert_eq!(
        first.url.as_deref(),
        Some("https://github.com/cybozu-go/moco/releases/tag/v0.13.0")
    );
    assert_eq!(seed_004.sections[0].category, Category::News);

    // "Neco チームとは" is about the team, with its card as lead text.
    let first_issue = parse_file(&dir.join("github/2022-07-22.md")).issue;
    let about = &first_issue.sections[0];
    assert_eq!(
        (about.heading.as_str(), about.category),
        ("Neco チームとは", Category::About)
    );
    assert!(about.items.is_empty());
    assert_eq!(about.lead_links[0].url, "https://github.com/cybozu-neco");

    // A sub-heading over a list of talks with notes is one article.
    let events = parse_file(&dir.join("github/2022-08-19.md")).issue;
    let (_, conference) = find_item(&events, "CloudNative Security Conference 2022");
    assert_eq!(conference.links.len(), 2);
}

/// Every post under `dir` is an LWKD issue, dated, with sections, one
/// id each, warned about only where `warned` says; returns the ids and the
/// items counted.
fn check_lwkd_posts(dir: &Path, warned: &[&str]) -> (Vec<String>, usize) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let mut ids = std::collections::BTreeSet::new();
    let mut without_sections = Vec::new();
    let mut items = 0;
    for path in &paths {
        let parsed = parse_file(path);
        let issue = &parsed.issue;
        assert_eq!(issue.publication, "LWKD", "{}", path.display());
        assert_eq!(issue.format, Format::FrontMatter, "{}", path.display());
        assert!(issue.date.is_some(), "{} undated", path.display());
        assert!(issue.id.starts_with("lwkd-20"), "{}", issue.id);
        ids.insert(issue.id.clone());
        if issue.sections.is_empty() {
            without_sections.push(path.clone());
        }
        items += item_count(issue);
        let expected_warnings = usize::from(warned.contains(&issue.id.as_str()));
        assert_eq!(
            parsed.warnings.len(),
            expected_warnings,
            "{}: {:?}",
            path.display(),
            parsed.warnings
        );
    }
    assert_eq!(ids.len(), paths.len(), "ids are unique");
    assert_eq!(without_sections, Vec::<PathBuf>::new());
    (ids.into_iter().collect(), items)
}

#[test]
fn sample_lwkd_every_post_is_read_and_dated() {
    let (ids, items) = check_lwkd_posts(&sample("lwkd"), &[]);
    // Front matter dates: the day after the title's week end.
    assert_eq!(
        ids,
        [
            "lwkd-2023-03-13",
            "lwkd-2023-09-11",
            "lwkd-2024-01-15",
            "lwkd-2024-03-11"
        ]
    );
    assert_eq!(items, 31);
    let march = parse_file(&sample("lwkd/2023-03-12-update.md")).issue;
    assert_eq!(march.date, date("2023-03-13"));
    assert_eq!(march.title, "Week Ending March 12, 2023");
}

#[test]
fn lwkd_every_post_is_read_and_dated() {
    let Some(dir) = common::shared("corpus/lwkd") else {
        return;
    };
    // One post's front matter says 2022-02-29; the title's date is used.
    let (ids, items) = check_lwkd_posts(&dir, &["lwkd-2022-02-27"]);
    assert_eq!(ids.len(), 309);
    assert!(items > 4000, "{items} items");

    // Front matter date first (the post's own day, not the title's week end).
    let june = parse_file(&dir.join("2023-06-18-update.md")).issue;
    assert_eq!(june.date, date("2023-06-21"));
    assert_eq!(june.title, "Week Ending June 18, 2023");
    // A broken time part does not matter: the date part is read.
    let broken_time = parse_file(&dir.join("2024-04-14-update.md")).issue;
    assert_eq!(broken_time.date, date("2024-04-17"));
}

#[test]
fn lwkd_posts_without_a_date_field_are_dated_by_their_title() {
    let Some(dir) = common::shared("corpus/lwkd") else {
        return;
    };
    let expected = [
        ("2018-01-14-update.md", "2018-01-14"),
        ("2018-01-21-update.md", "2018-01-21"),
        ("2018-01-28-update.md", "2018-01-28"),
        ("2018-02-05-update.md", "2018-02-04"),
        ("2018-02-11-update.md", "2018-02-12"),
        ("2018-02-18-update.md", "2018-02-18"),
    ];
    for (file, day) in expected {
        let issue = parse_file(&dir.join(file)).issue;
        assert_eq!(issue.date, date(day), "{file}: {}", issue.title);
        assert_eq!(issue.id, format!("lwkd-{day}"));
    }
}

#[test]
fn lwkd_setext_headings_are_sections() {
    let Some(dir) = common::shared("corpus/lwkd") else {
        return;
    };
    let issue = parse_file(&dir.join("2018-01-14-update.md")).issue;
    let sections: Vec<(&str, Category, usize)> = issue
        .sections
        .iter()
        .map(|s| (s.heading.as_str(), s.category, s.items.len()))
        .collect();
    assert_eq!(
        sections,
        [
            ("Community Meeting Summary", Category::News, 0),
            ("Feature Work", Category::Features, 0),
            ("Deprecated", Category::ReleaseNotes, 0),
            ("Version Updates", Category::ReleaseNotes, 2),
            ("Other Merges", Category::Prs, 3),
        ]
    );
    let merges = &issue.sections[4].items;
    assert_eq!(
        merges[0].url.as_deref(),
        Some("https://github.com/kubernetes/kubernetes/pull/58018")
    );
    // Paragraphs are lead text, links kept.
    assert!(issue.sections[1].lead_links.len() >= 4);
}

#[test]
fn fixture_pelican_this_week_in_rust() {
    let parsed = fixture("this-week-in-rust-512.md");
    let issue = &parsed.issue;
    assert_eq!(parsed.warnings, vec![]);
    assert_eq!(issue.id, "this-week-in-rust-2023-08-30");
    assert_eq!(issue.publication, "This Week in Rust");
    assert_eq!(issue.title, "This Week in Rust 512");
    assert_eq!(issue.number, Some(512));
    assert_eq!(issue.format, Format::FrontMatter);
    assert_eq!(
        issue.intro_links,
        [LinkRef {
            url: "https://this-week-in-rust.test/".into(),
            text: "the project site".into()
        }]
    );
    // "### Official" only groups links: each link is an item.
    assert_eq!(
        item_titles(issue),
        [
            ("articles", "Announcing a made-up Rust release"),
            ("articles", "A made-up note on lockfiles"),
            ("articles", "An invented embedded newsletter, issue 1"),
            (
                "events",
                "2023-09-06 | Virtual | A Rust meetup that never was"
            ),
        ]
    );
    let community = &issue.sections[0];
    assert_eq!(community.lead_text, "Official\nNewsletters");
    assert_eq!(
        community.items[1].url.as_deref(),
        Some("https://blog.rust-lang.test/2023/08/29/lockfiles.html")
    );
    let crate_of_the_week = &issue.sections[1];
    assert_eq!(crate_of_the_week.category, Category::Tools);
    assert_eq!(
        crate_of_the_week.lead_text,
        "This week's crate is dprint, a pluggable code formatter."
    );
    assert_eq!(
        issue.sections[2].lead_text,
        "2023-09-07 | Nowhere | No link yet"
    );
}

#[test]
fn fixture_yaml_front_matter_lwkd_style() {
    let parsed = fixture("lwkd-style.md");
    let issue = &parsed.issue;
    assert_eq!(parsed.warnings, vec![]);
    // "Week Ending …" names no newsletter: the fixture's folder does.
    assert_eq!(issue.id, "parse-2024-03-03");
    assert_eq!(issue.date, date("2024-03-03"));
    assert_eq!(issue.number, None);
    assert_eq!(issue.format, Format::FrontMatter);
    assert_eq!(
        item_titles(issue),
        [
            ("prs", "#123456 Add an invented feature gate"),
            ("keps", "KEP 9999: A Made-up Enhancement"),
            ("prs", "Fix an invented bug"),
            ("prs", "Speed up an invented path"),
            ("release-notes", "made-up-lib to v1.2.3"),
        ]
    );
    let (_, featured) = find_item(issue, "#123456 Add an invented feature gate");
    assert_eq!(
        featured.url.as_deref(),
        Some("https://github.test/kubernetes/pull/123456")
    );
    assert_eq!(
        featured.text,
        "This paragraph describes the invented pull request."
    );
    let (_, kep) = find_item(issue, "KEP 9999: A Made-up Enhancement");
    assert_eq!(
        kep.url.as_deref(),
        Some("https://github.test/enhancements/9999")
    );
    let (merges, speed_up) = find_item(issue, "Speed up an invented path");
    assert_eq!(speed_up.text, "nested note");
    assert_eq!(merges.lead_text, "An entry without a link");
    assert_eq!(issue.sections[0].heading, "Developer News");
    assert_eq!(
        issue.sections[0].lead_links[0].url,
        "https://groups.test/thread"
    );
}

#[test]
fn fixture_github_markdown_with_cards() {
    let parsed = fixture("github-markdown.md");
    let issue = &parsed.issue;
    assert_eq!(parsed.warnings, vec![]);
    assert_eq!(issue.id, "neco-weekly-2024-03-01");
    assert_eq!(issue.number, Some(42));
    assert_eq!(issue.format, Format::Markdown);
    assert_eq!(
        item_titles(issue),
        [
            ("features", "Widget Operator: multi-tenant mode"),
            ("articles", "A Made-up Talk on SLOs"),
            ("articles", "Gadget internals"),
        ]
    );
    let first = &issue.sections[0].items[0];
    assert_eq!(
        first.url.as_deref(),
        Some("https://github.test/widget/pull/1")
    );
    let urls: Vec<&str> = first.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://github.test/widget/pull/1",
            "https://github.test/widget/design.md",
            "https://github.test/widget/issues/2"
        ]
    );
    assert_eq!(
        first.links[0].text,
        "feat: multi-tenant mode · Pull Request #1"
    );
    let (_, gadget) = find_item(issue, "Gadget internals");
    assert_eq!(
        gadget.text,
        "Gadget internals\nHow gadget works.\nガジェットの内部構造の解説です。"
    );
    // The closing section's card is lead text, not an item.
    let closing = &issue.sections[2];
    assert_eq!(closing.category, Category::Afterword);
    assert_eq!(closing.lead_links[0].url, "https://team.test/");
}

#[test]
fn fixture_text_copied_from_a_page() {
    let parsed = fixture("zenn-copy.txt");
    let issue = &parsed.issue;
    assert_eq!(parsed.warnings, vec![]);
    assert_eq!(issue.format, Format::Text);
    assert_eq!(issue.title, "テスト用の号: Neco Weekly (2024-02-02号)");
    // The issue's date, not the publishing day (2024/02/05).
    assert_eq!(issue.id, "neco-weekly-2024-02-02");
    assert_eq!(issue.number, Some(41));
    assert_eq!(
        issue.intro_text,
        "これは weeklygraph のテストのために書いた文章です。\n今回は第41回目の記事となります。"
    );
    assert_eq!(
        item_titles(issue),
        [
            ("articles", "Widget Operator v2.0.0"),
            ("articles", "Why widgets matter"),
            ("tools", "gadget-cli"),
        ]
    );
    let widget = &issue.sections[0].items[0];
    assert_eq!(
        widget.url.as_deref(),
        Some("https://github.test/widget/releases/tag/v2.0.0")
    );
    assert_eq!(widget.links.len(), 2);
    assert_eq!(issue.sections[0].items[1].url, None);
    let afterword = &issue.sections[2];
    assert_eq!(
        afterword.lead_text,
        "来週もよろしくお願いします。\nhttps://team.test/"
    );
    assert!(!format!("{issue:?}").contains("reader's comment"));
}

#[test]
fn fixture_saved_html_page() {
    let parsed = fixture("saved-page.html");
    let issue = &parsed.issue;
    assert_eq!(parsed.warnings, vec![]);
    assert_eq!(issue.format, Format::Html);
    assert_eq!(issue.title, "Neco Weekly (2024-01-12号)");
    assert_eq!(issue.id, "neco-weekly-2024-01-12");
    assert_eq!(issue.number, Some(40));
    assert_eq!(
        item_titles(issue),
        [
            ("news", "Widget Operator v1.0.0"),
            ("articles", "Reading a made-up article"),
            ("articles", "An article without a card"),
        ]
    );
    let widget = &issue.sections[0].items[0];
    assert_eq!(
        widget.url.as_deref(),
        Some("https://github.test/widget/releases/tag/v1.0.0")
    );
    assert_eq!(
        widget.text,
        "Release v1.0.0 · widget\nFirst stable release.\n安定版が出ました。ドキュメントも更新されています。"
    );
    let (_, article) = find_item(issue, "Reading a made-up article");
    assert_eq!(article.url.as_deref(), Some("https://blog.test/made-up"));
    assert_eq!(
        article.text,
        "A made-up article\nPoint one\ndetail with a link"
    );
    let everything = format!("{issue:?}");
    for noise in [
        "tracking",
        "not text",
        "Login",
        "Popular",
        "Related",
        "©",
        "color: red",
    ] {
        assert!(
            !everything.contains(noise),
            "{noise:?} leaked into the issue"
        );
    }
    assert_eq!(issue.sections[2].category, Category::Afterword);
    assert!(issue.sections[2].items.is_empty());
}

#[test]
fn html_page_without_a_date_in_its_title_uses_its_metadata() {
    let html = "<html><head><title>Weekly notes</title>\
        <meta property=\"article:published_time\" content=\"2024-01-15T09:00:00+09:00\"></head>\
        <body><main><h2>News</h2><h3>Thing</h3><p>x</p></main></body></html>";
    let parsed = parse("pages/weekly.html", html).unwrap();
    assert_eq!(parsed.issue.title, "Weekly notes");
    assert_eq!(parsed.issue.date, date("2024-01-15"));
    assert_eq!(parsed.issue.id, "pages-2024-01-15");
    assert_eq!(item_count(&parsed.issue), 1);
}

#[test]
fn unterminated_front_matter_is_read_as_plain_markdown_with_a_warning() {
    let text =
        "---\ntitle: Week Ending March 3, 2024\n\n## Merges\n\n* [a fix](https://x.test/pull/1)\n";
    let parsed = parse("posts/2024-03-03-update.md", text).unwrap();
    assert_eq!(parsed.issue.format, Format::Markdown);
    assert_eq!(parsed.issue.date, date("2024-03-03"));
    assert_eq!(item_count(&parsed.issue), 1);
    let messages: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "front matter opened with `---` is never closed; read as if it had none",
            "no title found; named after the file"
        ]
    );
}

#[test]
fn broken_yaml_front_matter_warns_and_goes_on() {
    let text = "---\ntitle: [unclosed\n---\n# Neco Weekly (2022-07-29号)\n\n## ✨ News\n\n### A\n";
    let parsed = parse("x.md", text).unwrap();
    assert_eq!(parsed.issue.date, date("2022-07-29"));
    assert_eq!(item_count(&parsed.issue), 1);
    assert_eq!(parsed.warnings.len(), 1);
    assert!(
        parsed.warnings[0]
            .message
            .starts_with("front matter is not valid YAML")
    );
}

#[test]
fn impossible_dates_are_not_dates() {
    let parsed = parse(
        "notes/draft.md",
        "# Neco Weekly (2022-13-45号)\n\n## ✨ News\n",
    )
    .unwrap();
    assert_eq!(parsed.issue.date, None);
    assert_eq!(parsed.issue.id, "neco-weekly-draft");
    let messages: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "impossible date 2022-13-45 in the title; ignored",
            "no date found; kept out of time series"
        ]
    );
}

#[test]
fn deep_nesting_and_huge_lines_do_not_crash_or_hang() {
    let started = std::time::Instant::now();
    let cases = [
        format!(
            "# Deep (2024-01-01号)\n\n## ✨ News\n\n{} deep\n",
            ">".repeat(100_000)
        ),
        format!(
            "# Deep (2024-01-01号)\n\n## ✨ News\n\n{}[x](https://x.test)\n",
            "- ".repeat(100_000)
        ),
        format!(
            "# Long (2024-01-01号)\n\n## ✨ News\n\n### A\n\n{}\n",
            "word ".repeat(200_000)
        ),
        format!(
            "Long (2024-01-01号)\n\n👀 News\n\n{}\n",
            "あ".repeat(1_000_000)
        ),
        format!(
            "<html><body><article><h1>Deep (2024-01-01号)</h1>{}deep text</article></body></html>",
            "<div>".repeat(100_000)
        ),
        format!(
            "<html><body><article><h1>Deep (2024-01-01号)</h1>{}deep text</article></body></html>",
            "<blockquote><ul><li>".repeat(30_000)
        ),
        format!(
            "# Deep (2024-01-01号)\n\n<div>\n{}deep text\n\n",
            "<div>".repeat(100_000)
        ),
    ];
    for text in &cases {
        let parsed = parse("x.md", text).expect("an issue");
        assert_eq!(parsed.issue.date, date("2024-01-01"));
    }
    let html = parse("x.html", &cases[4]).unwrap();
    assert!(html.issue.intro_text.contains("deep text"));
    assert!(
        html.warnings[0]
            .message
            .starts_with("HTML nested deeper than")
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn blank_text_is_no_issue() {
    assert!(parse("a.md", "\u{feff}  \n\n").is_err());
}

#[test]
fn implausible_years_are_not_issue_dates() {
    let parsed = parse(
        "lwkd/0001-01-01-update.md",
        "---\ntitle: Week Ending January 14, 2018\ndate: 0001-01-01\n---\n\n## Developer News\n\nText.\n",
    )
    .unwrap();
    // The title's date is the next source and is plausible.
    assert_eq!(
        parsed.issue.date.map(|d| d.to_string()).as_deref(),
        Some("2018-01-14")
    );
    let messages: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "date 0001-01-01 in the front matter is not a plausible issue date (years 1970–2199); ignored"
        ]
    );
}
