//! Link-derived projects where names are shared, borrowed or ordinary
//! words, and the projects This Week in Rust is about.
//!
//! tests/fixtures/open-world: four issues of one invented newsletter. A
//! crate `comet` and an unrelated game repository `ivy-sparrow/comet`; a
//! crate `lattice` and its repository `lattice-rs/lattice`; a crate
//! `brightful` whose name a monthly meetup ("Monthly Brightful") borrows;
//! a crate `field`, an English word, written once as `` `field` ``; a
//! crate `numsmith/accurate`, named as the built-in dictionary's Accurate
//! (`cybozu-go/accurate`) is.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::Row;

fn build(input: &Path) -> (tempfile::TempDir, PathBuf) {
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(&out)
            .arg(input),
    );
    (outputs, out)
}

fn fixture_build() -> (tempfile::TempDir, Vec<Row>, Vec<Row>) {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/open-world");
    let (dir, out) = build(&input);
    let entities = common::read_csv(&out.join("entities.csv"));
    let mentions = common::read_csv(&out.join("mentions.csv"));
    (dir, entities, mentions)
}

/// Per link-derived entity: (issue day, item number, count) of its mentions.
fn places(mentions: &[Row]) -> BTreeMap<String, Vec<(String, String, String)>> {
    let mut places: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for row in mentions {
        if !row["entity_id"].starts_with("project:") {
            continue;
        }
        let day = row["issue_id"].rsplit('-').next().unwrap_or("").to_string();
        let item = row["item_id"].rsplit('#').next().unwrap_or("").to_string();
        places
            .entry(row["entity_id"].clone())
            .or_default()
            .push((day, item, row["count"].clone()));
    }
    places
}

fn at(day: &str, item: &str, count: &str) -> (String, String, String) {
    (day.to_string(), item.to_string(), count.to_string())
}

#[test]
fn the_fixture_makes_these_projects() {
    let (_dir, entities, _) = fixture_build();
    let projects: BTreeSet<(&str, &str)> = entities
        .iter()
        .filter(|row| row["source"] == "link-derived")
        .map(|row| (row["entity_id"].as_str(), row["name"].as_str()))
        .collect();
    assert_eq!(
        projects,
        BTreeSet::from([
            ("project:crates.io/brightful", "brightful"),
            ("project:crates.io/comet", "comet"),
            ("project:crates.io/field", "field"),
            ("project:github.com/ivy-sparrow/comet", "comet"),
            ("project:github.com/numsmith/accurate", "accurate"),
            ("project:github.com/lattice-rs/lattice", "lattice"),
        ])
    );
}

#[test]
fn a_shared_name_goes_to_the_registry_package_and_next_to_a_link_to_the_linked_project() {
    let (_dir, _, mentions) = fixture_build();
    let places = places(&mentions);
    // "built on Comet" with no link: the crate (a tied claim goes to the
    // registry's name); "a comet" beside the game's link: the game.
    assert_eq!(
        places["project:crates.io/comet"],
        [at("03", "1", "1"), at("17", "1", "1")]
    );
    assert_eq!(
        places["project:github.com/ivy-sparrow/comet"],
        [at("10", "1", "2")]
    );
    // A repository whose owner is named for it is the package's.
    assert_eq!(
        places["project:github.com/lattice-rs/lattice"],
        [at("03", "2", "1"), at("10", "2", "1"), at("17", "3", "1")]
    );
}

#[test]
fn a_namesake_of_a_dictionary_entry_in_another_repository_is_its_own_project() {
    let (_dir, _, mentions) = fixture_build();
    assert_eq!(
        places(&mentions)["project:github.com/numsmith/accurate"],
        [at("24", "3", "1")]
    );
    assert!(
        mentions
            .iter()
            .all(|row| row["entity_id"] != "neco:accurate")
    );
}

#[test]
fn a_repository_in_the_organisation_of_a_dictionary_entry_is_that_entry() {
    // data/sample links open-telemetry/opentelemetry-rust, titled
    // "… with OpenTelemetry"; the dictionary lists open-telemetry/community.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let (_dir, out) = build(&sample);
    let entities = common::read_csv(&out.join("entities.csv"));
    let opentelemetry: Vec<(&str, &str, &str)> = entities
        .iter()
        .filter(|row| row["name"] == "OpenTelemetry")
        .map(|row| {
            (
                row["entity_id"].as_str(),
                row["mentions"].as_str(),
                row["issues"].as_str(),
            )
        })
        .collect();
    assert_eq!(opentelemetry, [("tool:opentelemetry", "4", "3")]);
}

#[test]
fn a_name_written_mostly_in_event_listings_counts_only_at_its_link() {
    let (_dir, _, mentions) = fixture_build();
    // Nine event lines say "Monthly Brightful"; the crate is linked once.
    assert_eq!(
        places(&mentions)["project:crates.io/brightful"],
        [at("10", "3", "1")]
    );
}

#[test]
fn an_ordinary_word_counts_when_written_as_code() {
    let (_dir, _, mentions) = fixture_build();
    // Its link, then "the `field` crate" (once: "a field of the header"
    // beside it is the word); "each field is padded" names nothing.
    assert_eq!(
        places(&mentions)["project:crates.io/field"],
        [at("03", "3", "1"), at("17", "2", "1")]
    );
}

/// The 30 entities found in the most issues, pull requests and KEPs
/// aside (they are events, not topics), as (id, issues).
fn top_topics(entities: &[Row], top: usize) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = entities
        .iter()
        .filter(|row| !row["entity_id"].starts_with("pr:") && !row["entity_id"].starts_with("kep:"))
        .map(|row| (row["entity_id"].clone(), row["issues"].parse().unwrap()))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(top);
    rows
}

#[test]
fn twir_top_entities_are_its_projects() {
    let Some(twir) = common::shared("corpus/twir") else {
        return;
    };
    let (_dir, out) = build(&twir);
    let entities = common::read_csv(&out.join("entities.csv"));
    let top = top_topics(&entities, 30);
    let expected: Vec<(&str, u64)> = vec![
        ("tool:rust", 265),
        ("project:github.com/mozilla/servo", 157),
        ("tool:rustc", 122),
        ("project:github.com/rust-lang/llvm", 96),
        ("tool:rustdoc", 95),
        ("tool:windows", 71),
        ("tool:cargo", 65),
        ("project:github.com/redox-os/redox", 62),
        ("tool:linux", 60),
        ("project:github.com/rust-lang/crates.io", 59),
        ("topic:wasm", 58),
        ("project:github.com/rust-lang-nursery/rust-clippy", 40),
        ("project:github.com/rust-lang-nursery/rustup.rs", 39),
        ("project:github.com/rust-lang-nursery/rustfmt", 38),
        ("project:github.com/tokio-rs/tokio", 33),
        ("project:github.com/diesel-rs/diesel", 30),
        ("tool:python", 30),
        ("tool:github", 29),
        ("project:github.com/rust-lang/libc", 28),
        ("project:crates.io/rocket", 26),
        ("tool:tikv", 26),
        ("project:github.com/pistondevelopers/piston", 25),
        ("tool:rls", 25),
        ("project:github.com/hyperium/hyper", 24),
        ("tool:miri", 22),
        ("project:github.com/serde-rs/serde", 21),
        ("project:github.com/geal/nom", 20),
        ("project:crates.io/mio", 19),
        ("event:google-summer-of-code", 18),
        ("tool:javascript", 18),
    ];
    let expected: Vec<(String, u64)> = expected
        .into_iter()
        .map(|(id, issues)| (id.to_string(), issues))
        .collect();
    assert_eq!(top, expected);
    // No tracker, no meetup, and the framework is not the game.
    for gone in [
        "project:github.com/rust-lang/rust",
        "project:github.com/rust-lang/rfcs",
        "project:crates.io/rustful",
        "project:github.com/aochagavia/rocket",
    ] {
        assert!(
            top.iter().all(|(id, _)| id != gone),
            "{gone} is among the top entities"
        );
    }
    let link_derived = entities
        .iter()
        .filter(|row| row["source"] == "link-derived")
        .count();
    assert_eq!(link_derived, 782);
}

/// A tracker the corpus writes by name is a project found by its name:
/// rustup.rs's pull requests stay `pr:` entities, and a link to one
/// mentions rustup only where its item writes "rustup".
#[test]
fn twir_trackers_written_by_name_are_projects() {
    let Some(twir) = common::shared("corpus/twir") else {
        return;
    };
    let (_dir, out) = build(&twir);
    let entities = common::read_csv(&out.join("entities.csv"));
    let issues_of = |id: &str| -> Option<String> {
        entities
            .iter()
            .find(|row| row["entity_id"] == id)
            .map(|row| format!("{} {} {}", row["name"], row["issues"], row["source"]))
    };
    assert_eq!(
        issues_of("project:github.com/rust-lang-nursery/rustup.rs").as_deref(),
        Some("rustup 39 link-derived")
    );
    assert_eq!(
        issues_of("project:github.com/rust-lang/crates.io").as_deref(),
        Some("crates.io 59 link-derived")
    );
    assert_eq!(
        issues_of("project:github.com/rust-lang/llvm").as_deref(),
        Some("LLVM 96 link-derived")
    );
    // Words of the language name no tracker: rust-lang/book, rfcs, team.
    for gone in [
        "project:github.com/rust-lang/book",
        "project:github.com/nrc/rfcs",
        "project:github.com/rust-community/team",
        "project:github.com/superandroidanalyzer/super",
    ] {
        assert_eq!(issues_of(gone), None, "{gone}");
    }
    let mentions = common::read_csv(&out.join("mentions.csv"));
    let rustup: Vec<&Row> = mentions
        .iter()
        .filter(|row| row["entity_id"] == "project:github.com/rust-lang-nursery/rustup.rs")
        .collect();
    assert!(
        rustup
            .iter()
            .all(|row| row["surface"].eq_ignore_ascii_case("rustup"))
    );
    assert!(
        mentions
            .iter()
            .any(|row| row["entity_id"] == "pr:rust-lang-nursery/rustup.rs#1177")
    );
}
