//! Extraction on the real corpora: the entities, KEPs and pull requests
//! the Neco Weekly and LWKD issues name, and no product found in a plain
//! English word.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;
use weeklygraph::extract::candidates::{CandidateSummary, summarize};
use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::model::Corpus;
use weeklygraph::pipeline::{CorpusOptions, load_corpus};

fn load(dir: &Path, dictionary: Dictionary) -> Corpus {
    let options = CorpusOptions {
        inputs: vec![dir.to_path_buf()],
        ..Default::default()
    };
    load_corpus(&options, &Extractor::new(dictionary)).expect("corpus loads")
}

fn sample(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sample")
        .join(relative)
}

fn builtin() -> Dictionary {
    Dictionary::builtin().expect("built-in dictionary loads")
}

/// Dates (YYYY-MM-DD) of the issues that mention `entity_id`.
fn dates_mentioning(corpus: &Corpus, entity_id: &str) -> Vec<String> {
    corpus
        .records
        .iter()
        .filter(|r| r.mentions.iter().any(|m| m.entity_id == entity_id))
        .filter_map(|r| r.issue.date.map(|d| d.to_string()))
        .collect()
}

fn mentioned_on(corpus: &Corpus, entity_id: &str, date: &str) -> bool {
    dates_mentioning(corpus, entity_id)
        .iter()
        .any(|d| d == date)
}

#[test]
fn sample_entities_keps_and_pull_requests() {
    let corpus = load(&sample(""), builtin());
    assert_eq!(corpus.records.len(), 26);
    assert_eq!(
        dates_mentioning(&corpus, "neco:moco"),
        [
            "2023-01-13",
            "2023-05-12",
            "2023-06-02",
            "2023-10-13",
            "2023-12-08",
            "2024-02-16",
            "2024-03-22",
            "2024-09-13"
        ]
    );
    assert_eq!(
        dates_mentioning(&corpus, "tool:kubebuilder"),
        ["2023-01-13", "2024-02-16"]
    );
    // LWKD and Neco Weekly link the same KEP.
    assert_eq!(
        dates_mentioning(&corpus, "kep:4381"),
        ["2024-01-15", "2024-02-16", "2024-03-11", "2024-03-22"]
    );
    assert_eq!(
        corpus.entities["kep:4381"].name,
        "KEP-4381: Dynamic Resource Allocation with Structured Parameters"
    );
    for (entity, date) in [
        ("kep:753", "2023-09-11"),
        ("pr:kubernetes/kubernetes#120392", "2023-09-11"),
        ("pr:rust-lang/cargo#12648", "2023-09-06"),
    ] {
        assert_eq!(dates_mentioning(&corpus, entity), [date], "{entity}");
    }
    let issue = corpus
        .records
        .iter()
        .find(|r| r.issue.id == "neco-weekly-2023-01-13")
        .expect("the 2023-01-13 issue");
    let moco = issue
        .mentions
        .iter()
        .find(|m| m.entity_id == "neco:moco" && m.item_id.is_some())
        .expect("MOCO in an item");
    assert_eq!(
        (moco.surface.as_str(), moco.version.as_deref(), moco.count),
        ("MOCO", Some("v0.15.0"), 4)
    );
    let release = issue
        .links
        .iter()
        .find(|l| l.url == "https://github.com/cybozu-go/moco/releases")
        .expect("the release link");
    assert_eq!(
        (
            release.kind.as_str(),
            release.entity_id.as_deref(),
            release.host.as_str()
        ),
        ("github-release", Some("neco:moco"), "github.com")
    );
}

#[test]
fn neco_weekly_entities_keps_and_pull_requests() {
    let Some(dir) = common::shared("corpus/neco-weekly") else {
        return;
    };
    let corpus = load(&dir, builtin());
    assert_eq!(corpus.records.len(), 8);
    for (entity, date) in [
        ("neco:moco", "2022-09-16"),
        ("neco:coil", "2022-09-16"),
        ("neco:tenet", "2022-08-05"),
        ("neco:tenet", "2023-04-28"),
        ("neco:cattage", "2022-07-29"),
        ("kep:2091", "2022-08-05"),
        ("kep:3488", "2023-03-17"),
        ("kep:661", "2022-09-16"),
        ("pr:kubernetes/kubernetes#111967", "2022-09-16"),
        ("pr:kubernetes/kubernetes#111122", "2022-09-16"),
    ] {
        assert!(
            mentioned_on(&corpus, entity, date),
            "{entity} not found in {date}: {:?}",
            dates_mentioning(&corpus, entity)
        );
    }
    let kep = &corpus.entities["kep:2091"];
    assert_eq!(
        kep.name,
        "KEP-2091: Add support for AdminNetworkPolicy resources"
    );
    assert_eq!(kep.sig, "network");
    // Read by hand: the five issues whose text names Kubebuilder.
    assert_eq!(
        dates_mentioning(&corpus, "tool:kubebuilder"),
        [
            "2022-08-05",
            "2022-08-19",
            "2022-09-01",
            "2023-03-17",
            "2023-04-28"
        ]
    );
}

#[test]
fn neco_weekly_versions_surfaces_and_links() {
    let Some(dir) = common::shared("corpus/neco-weekly") else {
        return;
    };
    let corpus = load(&dir, builtin());
    let issue = corpus
        .records
        .iter()
        .find(|r| r.issue.id == "neco-weekly-2022-09-16")
        .expect("the 2022-09-16 issue");
    let moco = issue
        .mentions
        .iter()
        .find(|m| m.entity_id == "neco:moco" && m.item_id.is_some())
        .expect("MOCO in an item");
    assert_eq!(moco.version.as_deref(), Some("v0.13.0"));
    assert_eq!(moco.surface, "MOCO");
    // The same KEP, written "KEP-0661" and linked as issues/661.
    let kep = issue
        .links
        .iter()
        .find(|l| l.url == "https://github.com/kubernetes/enhancements/issues/661")
        .expect("the KEP link");
    assert_eq!(
        (kep.kind.as_str(), kep.entity_id.as_deref()),
        ("kep", Some("kep:661"))
    );
    let release = issue
        .links
        .iter()
        .find(|l| l.url == "https://github.com/cybozu-go/moco/releases/tag/v0.13.0")
        .expect("the release link");
    assert_eq!(release.kind.as_str(), "github-release");
    assert_eq!(release.entity_id.as_deref(), Some("neco:moco"));
    assert_eq!(release.host, "github.com");
    let stern = corpus
        .records
        .iter()
        .flat_map(|r| &r.mentions)
        .find(|m| m.entity_id == "tool:stern")
        .expect("stern in 2023-03-17");
    assert_eq!(stern.version.as_deref(), Some("v1.24.0"));
}

/// Every (post, entity) pair a link gives, found by a plain regex over the
/// raw files: KEPs from kubernetes/enhancements (and its old name
/// kubernetes/features) issues and numbered KEP folders, pull requests from
/// kubernetes/kubernetes/pull/N.
#[test]
fn lwkd_every_kep_and_pull_request_link_is_found() {
    // data/sample's four LWKD posts link 4 KEPs, 27 pull requests.
    assert_eq!(
        kep_and_pull_request_links_found(&sample("lwkd")),
        LinkCounts {
            files: 4,
            keps: 4,
            pairs: 31
        }
    );
    if let Some(dir) = common::shared("corpus/lwkd") {
        let counts = kep_and_pull_request_links_found(&dir);
        assert_eq!(counts.files, 309);
        assert!(counts.keps > 100, "only {} KEP links in LWKD?", counts.keps);
        assert!(counts.pairs > 5000, "only {} pairs", counts.pairs);
    }
}

#[derive(Debug, PartialEq, Eq)]
struct LinkCounts {
    files: usize,
    keps: usize,
    pairs: usize,
}

/// Fails unless every pair the regexes find is a mention; returns how
/// many posts, KEP pairs and pairs there were.
fn kep_and_pull_request_links_found(dir: &Path) -> LinkCounts {
    let corpus = load(dir, builtin());
    let kep_issue =
        Regex::new(r"github\.com/kubernetes/(?:enhancements|features)/issues/0*(\d+)").unwrap();
    let kep_folder = Regex::new(
        r"github\.com/kubernetes/enhancements/(?:tree|blob)/[^/\s]+/keps/sig-[a-z-]+/0*(\d{1,5})-",
    )
    .unwrap();
    let pull = Regex::new(r"github\.com/kubernetes/kubernetes/pull/(\d+)").unwrap();

    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for c in kep_issue
            .captures_iter(&text)
            .chain(kep_folder.captures_iter(&text))
        {
            // `0000-` is the KEP template's or process's folder: no KEP.
            if &c[1] != "0" {
                expected.insert((name.clone(), format!("kep:{}", &c[1])));
            }
        }
        for c in pull.captures_iter(&text) {
            expected.insert((name.clone(), format!("pr:kubernetes/kubernetes#{}", &c[1])));
        }
    }

    let mut found: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for record in &corpus.records {
        let name = Path::new(&record.issue.source_path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let entities = found.entry(name).or_default();
        entities.extend(record.mentions.iter().map(|m| m.entity_id.as_str()));
    }
    let missing: Vec<&(String, String)> = expected
        .iter()
        .filter(|(file, id)| !found.get(file).is_some_and(|ids| ids.contains(id.as_str())))
        .collect();
    let keps = expected
        .iter()
        .filter(|(_, id)| id.starts_with("kep:"))
        .count();
    assert!(
        missing.is_empty(),
        "{} of {} missing: {:?}",
        missing.len(),
        expected.len(),
        &missing[..missing.len().min(20)]
    );
    LinkCounts {
        files,
        keps,
        pairs: expected.len(),
    }
}

#[test]
fn without_the_dictionary_sample_neco_tools_are_link_derived() {
    let corpus = load(&sample("neco-weekly"), Dictionary::empty());
    let derived: Vec<(&str, &str)> = corpus
        .entities
        .values()
        .filter(|e| e.source == weeklygraph::model::Source::LinkDerived)
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    for expected in [
        ("project:github.com/cilium/cilium", "Cilium"),
        ("project:github.com/cybozu-go/cattage", "Cattage"),
        ("project:github.com/cybozu-go/moco", "MOCO"),
        ("project:github.com/cybozu-go/tenet", "Tenet"),
        ("project:github.com/topolvm/topolvm", "TopoLVM"),
    ] {
        assert!(
            derived.contains(&expected),
            "{expected:?} not in {derived:?}"
        );
    }
    // What the links name is known; the candidates are the rest.
    let candidates = summarize(&corpus);
    let names: BTreeSet<&str> = candidates.iter().map(|c| c.name.as_str()).collect();
    for known in ["MOCO", "Cilium", "Tenet", "Cattage", "TopoLVM"] {
        assert!(!names.contains(known), "{known} is still a candidate");
    }
    assert!(names.contains("Kubernetes"), "{names:?}");
    assert!(in_rank_order(&candidates));
}

/// Names with no generic shape first, then by evidence, then by issues.
fn in_rank_order(candidates: &[CandidateSummary]) -> bool {
    candidates.windows(2).all(|w| {
        let key = |c: &CandidateSummary| (c.generic, c.evidence, std::cmp::Reverse(c.issues));
        key(&w[0]) <= key(&w[1])
    })
}

#[test]
fn without_the_dictionary_neco_tools_are_link_derived() {
    let Some(dir) = common::shared("corpus/neco-weekly") else {
        return;
    };
    let corpus = load(&dir, Dictionary::empty());
    for id in [
        "project:github.com/cybozu-go/tenet",
        "project:github.com/cybozu-go/cattage",
        "project:github.com/cybozu-go/moco",
        "project:github.com/xenitab/spegel",
    ] {
        assert!(corpus.entities.contains_key(id), "{id} is not an entity");
    }
    assert_eq!(
        corpus.entities["project:github.com/xenitab/spegel"].name,
        "Spegel"
    );
    let candidates = summarize(&corpus);
    assert!(in_rank_order(&candidates));
}

/// Issues mentioning each name that is also an English word, read by hand
/// from every case-sensitive hit in the raw text (`grep -w`, then each line
/// read). Neco Weekly: Go is the language each time ("Go言語", "gRPC の Go
/// 実装", "memory leaks in Go"); "kind: MySQLCluster" in YAML and "/kind bug"
/// in a card are no kind; Kong is Kong Inc. in an author line. LWKD: "some
/// kind of", "kind/deprecation" labels, "Hong Kong", "OpenID Connect",
/// "HTTP2 \"Go Away\"", "Go grab it", "Go forth" and the 120 "well"s are no
/// product; the kind project is named by its links and "kind v0.22.0".
#[test]
fn common_words_are_not_products() {
    // data/sample: Go the language in three issues ("Go 1.19", "from Go to
    // Rust", "Go 1.21.1"), Helm once, Coil in two.
    let sample_words: &[(&str, usize)] = &[
        ("tool:go", 3),
        ("tool:kind", 0),
        ("tool:flux", 0),
        ("tool:helm", 2),
        ("neco:coil", 2),
        ("tool:vault", 0),
        ("tool:connect", 0),
        ("tool:kong", 0),
        ("neco:well", 0),
        ("tool:zoom", 0),
    ];
    check_word_counts(&sample(""), sample_words, "data/sample");
    let cases: [(&str, &[(&str, usize)]); 2] = [
        (
            "corpus/neco-weekly",
            &[
                ("tool:go", 4),
                ("tool:kind", 1),
                ("tool:flux", 0),
                ("tool:helm", 0),
                ("neco:coil", 2),
                ("tool:vault", 2),
                ("tool:tilt", 1),
                ("tool:stern", 1),
                ("tool:connect", 3),
                ("tool:buf", 3),
                ("tool:kong", 1),
                ("neco:well", 0),
                ("tool:zoom", 0),
            ],
        ),
        (
            "corpus/lwkd",
            &[
                ("tool:go", 81),
                ("tool:kind", 5), // a PR link alone (kind/pull/2025) names the PR, not kind
                ("tool:flux", 0),
                ("tool:helm", 14),
                ("neco:coil", 0),
                ("tool:vault", 0),
                ("tool:tilt", 0),
                ("tool:stern", 0),
                ("tool:connect", 0),
                ("tool:kong", 1),
                ("neco:well", 0),
                ("tool:zoom", 4),
                ("tool:lens", 0),
                ("tool:vector", 0),
            ],
        ),
    ];
    for (relative, expected) in cases {
        let Some(dir) = common::shared(relative) else {
            return;
        };
        check_word_counts(&dir, expected, relative);
    }
    let Some(dir) = common::shared("corpus/lwkd") else {
        return;
    };
    let corpus = load(&dir, builtin());
    assert_eq!(
        dates_mentioning(&corpus, "tool:kong"),
        ["2018-08-20"],
        "Kong the proxy, not Hong Kong"
    );
}

/// How many issues mention each entity, against `expected`.
fn check_word_counts(dir: &Path, expected: &[(&str, usize)], corpus: &str) {
    let corpus_records = load(dir, builtin());
    let actual: Vec<(&str, usize)> = expected
        .iter()
        .map(|(id, _)| (*id, dates_mentioning(&corpus_records, id).len()))
        .collect();
    assert_eq!(actual, expected, "{corpus}");
}

/// The landscape alone (no built-in dictionary) knows Spegel, and the
/// 2023-03-17 issue names it. This landscape.yml gives Spegel no `project:`
/// maturity, so its cncf column stays empty rather than saying "sandbox".
#[test]
fn landscape_finds_spegel_in_2023_03_17() {
    let Some(neco) = common::shared("corpus/neco-weekly") else {
        return;
    };
    let Some(landscape) = common::shared("landscape/landscape.yml") else {
        return;
    };
    let dictionary = Dictionary::load(false, &[], Some(&landscape)).expect("landscape loads");
    assert!(
        dictionary.entities.len() > 2000,
        "{}",
        dictionary.entities.len()
    );
    let corpus = load(&neco, dictionary);
    assert_eq!(dates_mentioning(&corpus, "tool:spegel"), vec!["2023-03-17"]);
    let spegel = &corpus.entities["tool:spegel"];
    assert_eq!(spegel.category, "Provisioning / Container Registry");
    assert_eq!(spegel.cncf, "");
    // Projects the landscape does mark keep their maturity.
    assert_eq!(corpus.entities["tool:argo"].cncf, "graduated");
}

/// data/sample/tool-digest introduces tools no dictionary lists, the ways
/// newsletters do: a titled item with a repository card, an inline
/// `[name](repo)` link, a repository with its crate, an npm and a PyPI
/// link. Each becomes one link-derived entity, found again by name in the
/// next issue, where no link points at it.
#[test]
fn linked_and_named_tools_become_one_entity_each() {
    use weeklygraph::model::{EntityKind, Source, Via};
    let corpus = load(&sample("tool-digest"), builtin());
    let expected = [
        ("project:github.com/quiltmark/quiltmark", "Quiltmark"),
        ("project:github.com/ashgrove/ferrowatch", "ferrowatch"),
        ("project:github.com/tallyho-rs/tallyho", "tallyho"),
        ("project:npmjs.com/knotty", "knotty"),
        ("project:pypi.org/pebbleq", "pebbleq"),
    ];
    let derived: Vec<(&str, &str)> = corpus
        .entities
        .values()
        .filter(|e| e.source == Source::LinkDerived)
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    let mut sorted = expected.to_vec();
    sorted.sort();
    assert_eq!(derived, sorted);
    for (id, _) in expected {
        assert_eq!(corpus.entities[id].kind, EntityKind::Project);
    }
    // The crate is the repository's project: one entity, both homes.
    assert_eq!(
        corpus.entities["project:github.com/tallyho-rs/tallyho"].urls,
        [
            "https://github.com/tallyho-rs/tallyho",
            "https://crates.io/crates/tallyho"
        ]
    );
    let mentions = |date: &str| -> BTreeMap<String, Via> {
        corpus
            .records
            .iter()
            .filter(|r| r.issue.date.is_some_and(|d| d.to_string() == date))
            .flat_map(|r| &r.mentions)
            .filter(|m| m.entity_id.starts_with("project:"))
            .map(|m| (m.entity_id.clone(), m.via))
            .collect()
    };
    let first = mentions("2024-04-05");
    assert_eq!(first.len(), 5, "{first:?}");
    assert!(
        first.values().all(|via| *via == Via::LinkDerived),
        "{first:?}"
    );
    // Named without a link in the next issue: found like any entity.
    let second = mentions("2024-04-12");
    let expected_second: BTreeMap<String, Via> = [
        "project:github.com/ashgrove/ferrowatch",
        "project:github.com/quiltmark/quiltmark",
        "project:github.com/tallyho-rs/tallyho",
        "project:npmjs.com/knotty",
    ]
    .into_iter()
    .map(|id| (id.to_string(), Via::Alias))
    .collect();
    assert_eq!(second, expected_second);
}

/// The built-in sample's other publications keep their dictionary
/// entities' ids: a dictionary entry listing a repository wins.
#[test]
fn a_dictionary_entry_wins_over_a_link_derived_project() {
    let corpus = load(&sample("neco-weekly"), builtin());
    assert!(
        !corpus
            .entities
            .keys()
            .any(|id| id.contains("cybozu-go/moco")),
        "MOCO stays neco:moco"
    );
    assert!(corpus.entities.contains_key("neco:moco"));
}
