//! A mention is something the text says: not its publication's template
//! lines, not a card title's site prefix, not the repository a pull
//! request's link points into.
//!
//! tests/fixtures/boilerplate: six issues of one publication, each opening
//! and closing with the same two lines (one names Kubernetes and GitHub),
//! each with one item.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::model::Corpus;
use weeklygraph::pipeline::{CorpusOptions, load_corpus};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/boilerplate")
}

fn load(dir: &Path) -> Corpus {
    let options = CorpusOptions {
        inputs: vec![dir.to_path_buf()],
        ..Default::default()
    };
    let dictionary = Dictionary::builtin().expect("built-in dictionary loads");
    load_corpus(&options, &Extractor::new(dictionary)).expect("corpus loads")
}

/// `(issue day, item number or 0 outside items)` of every mention of
/// `entity_id`.
fn places(corpus: &Corpus, entity_id: &str) -> BTreeSet<(String, usize)> {
    corpus
        .records
        .iter()
        .flat_map(|record| &record.mentions)
        .filter(|mention| mention.entity_id == entity_id)
        .map(|mention| {
            let day = mention
                .issue_id
                .rsplit('-')
                .next()
                .unwrap_or("")
                .to_string();
            let item = mention
                .item_id
                .as_deref()
                .and_then(|id| id.rsplit('#').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            (day, item)
        })
        .collect()
}

fn set(pairs: &[(&str, usize)]) -> BTreeSet<(String, usize)> {
    pairs.iter().map(|(d, i)| (d.to_string(), *i)).collect()
}

#[test]
fn template_lines_name_nothing() {
    let corpus = load(&fixture());
    assert_eq!(corpus.records.len(), 6);
    let boilerplate: Vec<usize> = corpus
        .records
        .iter()
        .map(|record| record.issue.boilerplate_lines)
        .collect();
    // The intro and the farewell (its issue number masked) of each issue.
    assert_eq!(boilerplate, [2, 2, 2, 2, 2, 2]);
    // Only the item of 03-03 names Kubernetes; the intro of every issue
    // does too, and counts for none.
    assert_eq!(places(&corpus, "tool:kubernetes"), set(&[("03", 1)]));
    // GitHub: in the intro, the farewell and a card title's site prefix.
    assert_eq!(places(&corpus, "tool:github"), set(&[]));
    // What the items say is still found.
    assert_eq!(places(&corpus, "tool:helm"), set(&[("01", 1)]));
    assert_eq!(places(&corpus, "tool:prometheus"), set(&[("04", 1)]));
    assert_eq!(places(&corpus, "tool:istio"), set(&[("06", 1)]));
}

#[test]
fn a_publication_of_four_issues_has_no_template() {
    let dir = tempfile::tempdir().unwrap();
    for day in 1..=4 {
        let name = format!("2024-03-0{day}.md");
        std::fs::copy(fixture().join(&name), dir.path().join(&name)).unwrap();
    }
    let corpus = load(dir.path());
    assert!(
        corpus
            .records
            .iter()
            .all(|r| r.issue.boilerplate_lines == 0)
    );
    assert_eq!(
        places(&corpus, "tool:kubernetes"),
        set(&[("01", 0), ("02", 0), ("03", 0), ("03", 1), ("04", 0)])
    );
}

#[test]
fn a_pull_request_link_names_the_pull_request_not_its_repository() {
    let corpus = load(&fixture());
    // 03-02's item links a pull request of kubernetes/kubernetes and names
    // no project; 03-03's names Kubernetes in its text.
    assert_eq!(
        places(&corpus, "pr:kubernetes/kubernetes#11112"),
        set(&[("02", 1)])
    );
    assert_eq!(
        places(&corpus, "pr:kubernetes/kubernetes#11113"),
        set(&[("03", 1)])
    );
    assert!(!places(&corpus, "tool:kubernetes").contains(&("02".to_string(), 1)));
    // A KEP's link names the KEP, not the repository of KEPs.
    assert_eq!(places(&corpus, "kep:753"), set(&[("05", 1)]));
    assert_eq!(places(&corpus, "tool:kubernetes-enhancements"), set(&[]));
    // Each keeps its repository: the `repo` column of entities.csv.
    let repository = |id: &str| corpus.entities[id].repository();
    assert_eq!(
        repository("pr:kubernetes/kubernetes#11112"),
        "github.com/kubernetes/kubernetes"
    );
    assert_eq!(repository("kep:753"), "github.com/kubernetes/enhancements");
    assert_eq!(repository("tool:kubernetes"), "");
    // The link is still a link.
    let links: Vec<Option<&str>> = corpus.records[1]
        .links
        .iter()
        .filter(|link| link.url.contains("/pull/11112"))
        .map(|link| link.entity_id.as_deref())
        .collect();
    assert_eq!(links, [Some("pr:kubernetes/kubernetes#11112")]);
}
