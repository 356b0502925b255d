//! `weeklygraph candidates`: ranked by evidence, printed as TOML that
//! `--dict` takes back.

mod common;

use std::path::Path;

/// `candidates --json` rows: (name, evidence, issues).
fn ranked(input: &Path, top: usize, extra: &[&str]) -> Vec<(String, String, u64)> {
    let output = common::run_ok(
        common::weeklygraph()
            .arg("candidates")
            .arg(input)
            .args(["--json", "--top", &top.to_string()])
            .args(extra),
    );
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|row| {
            (
                row["name"].as_str().unwrap().to_string(),
                row["evidence"].as_str().unwrap().to_string(),
                row["issues"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A project the sample links to and names is an entity (link-derived),
/// so it is no candidate; what is left leads with names written in titles.
#[test]
fn linked_project_names_are_entities_and_titles_lead_the_rest_on_the_sample() {
    let rows = ranked(Path::new("data/sample"), 4, &[]);
    assert_eq!(
        rows,
        [
            ("MemoryQoS".to_string(), "title".to_string(), 2),
            ("ResourceSlice".to_string(), "title".to_string(), 2),
            ("PreFilter".to_string(), "title".to_string(), 1),
            ("ResourceClaim".to_string(), "title".to_string(), 1),
        ]
    );
}

#[test]
fn acronyms_and_types_do_not_lead_on_twir() {
    let corpus = common::shared("corpus/twir");
    let input = corpus.as_deref().unwrap_or(Path::new("data/sample"));
    let rows = ranked(input, 40, &[]);
    let names: Vec<&str> = rows.iter().map(|(name, _, _)| name.as_str()).collect();
    for generic in ["ICE", "MIR", "NLL", "HashMap", "RefCell", "PartialEq"] {
        assert!(
            !names.contains(&generic),
            "{generic} in the top 40: {names:?}"
        );
    }
    if corpus.is_some() {
        // The projects TWIR links and names are entities now, not
        // candidates; linked names that did not become one lead the rest.
        // Lyon too: its repository is linked mostly through its issues,
        // and the corpus writes its name (a tracker written by name).
        for project in [
            "Rustfmt", "Diesel", "Serde", "tokio", "ripgrep", "Rayon", "Lyon",
        ] {
            assert!(!names.contains(&project), "{project} is still a candidate");
        }
        assert_eq!(
            rows[0],
            (
                "concatenation_benchmarks-rs".to_string(),
                "link".to_string(),
                1
            )
        );
    }
}

#[test]
fn a_crate_linked_from_crates_io_is_an_entity_and_not_a_candidate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("2024-01-05-weekly.md"),
        "# Weekly 2024-01-05\n\n## Tools\n\n### Parsing\n\n\
         [zerocopyish](https://crates.io/crates/zerocopyish) parses bytes in place. \
         [Send us a pull request](https://github.com/example/weekly).\n\n\
         ```\nlet Parser = WidgetFactory::new();\n```\n\n\
         Use `HashMap<K, V>` or `RefCell`, says Quuxbaz.\n",
    )
    .unwrap();
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(&out)
            .arg(dir.path()),
    );
    let entities = common::read_csv(&out.join("entities.csv"));
    let crate_row = entities
        .iter()
        .find(|row| row["entity_id"] == "project:crates.io/zerocopyish")
        .expect("the crate is an entity");
    assert_eq!(
        (crate_row["name"].as_str(), crate_row["source"].as_str()),
        ("zerocopyish", "link-derived")
    );
    assert!(
        entities
            .iter()
            .all(|row| !row["entity_id"].contains("example/weekly")),
        "the weekly's own repository names no project"
    );
    let rows = ranked(dir.path(), 10, &["--no-default-dict"]);
    assert_eq!(
        rows,
        [
            ("Quuxbaz".to_string(), "prose".to_string(), 1),
            ("HashMap".to_string(), "prose".to_string(), 1),
            ("RefCell".to_string(), "code".to_string(), 1),
        ],
        "the weekly's own repository is not named by its link, words of the code block are not candidates"
    );
}

#[test]
fn printed_toml_loads_with_dict_and_its_names_become_entities() {
    let output = common::run_ok(common::weeklygraph().args([
        "candidates",
        "data/sample",
        "--toml",
        "--top",
        "3",
    ]));
    let toml = String::from_utf8(output.stdout).unwrap();
    assert!(
        toml.contains(
            "[[entity]]\nid = \"project:github.com/aya-rs/aya\"\nname = \"Aya\"\nkind = \"project\"\naliases = [\"Aya\", \"aya\"]\nurls = [\"https://github.com/aya-rs/aya\"]\n"
        ),
        "{toml}"
    );
    assert!(
        toml.contains("[[entity]]\nid = \"tool:memoryqos\"\nname = \"MemoryQoS\""),
        "{toml}"
    );
    let dir = tempfile::tempdir().unwrap();
    let dict = dir.path().join("discovered.toml");
    std::fs::write(&dict, &toml).unwrap();
    let out = dir.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(&out)
            .arg("--dict")
            .arg(&dict)
            .arg("data/sample"),
    );
    let entities = common::read_csv(&out.join("entities.csv"));
    let ids: Vec<&str> = entities
        .iter()
        .map(|row| row["entity_id"].as_str())
        .collect();
    for id in [
        "project:github.com/aya-rs/aya",
        "project:github.com/open-telemetry/opentelemetry-operator",
        "tool:memoryqos",
        "tool:resourceslice",
    ] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    let rows = ranked(
        Path::new("data/sample"),
        3,
        &["--dict", dict.to_str().unwrap()],
    );
    assert!(
        rows.iter()
            .all(|(name, _, _)| name != "MemoryQoS" && name != "ResourceSlice"),
        "{rows:?}"
    );
}
