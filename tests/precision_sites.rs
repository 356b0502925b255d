//! Precision rules decided from what a link or the corpus says: a page of
//! a site is the page's subject, a name the corpus writes as a type is
//! code, a longer product name wins over its first word, and template
//! lines are decided on the publications as the corpus settles them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::model::Corpus;
use weeklygraph::pipeline::{CorpusOptions, load_corpus};

const SITES: &str = r#"
[[entity]]
id = "org:chatter"
name = "Chatter"
kind = "org"
urls = ["https://www.chatter.example/"]

[[entity]]
id = "tool:crates-io"
name = "crates.io"
kind = "tool"
urls = ["https://crates.io/"]

[[entity]]
id = "org:box"
name = "Box"
kind = "org"
match = "strict"
urls = ["https://www.box.example/"]
"#;

fn load(dir: &Path, dictionary: Dictionary) -> Corpus {
    let options = CorpusOptions {
        inputs: vec![dir.to_path_buf()],
        ..Default::default()
    };
    load_corpus(&options, &Extractor::new(dictionary)).expect("corpus loads")
}

fn dictionary() -> Dictionary {
    Dictionary::builtin()
        .expect("built-in dictionary loads")
        .with_user_entries(SITES)
        .expect("test entries load")
}

/// Entity → the items (`day#n`) that mention it.
fn mentions(corpus: &Corpus) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for record in &corpus.records {
        for mention in &record.mentions {
            let day = mention.issue_id.rsplit('-').next().unwrap_or("");
            let item = mention
                .item_id
                .as_deref()
                .and_then(|id| id.rsplit('#').next())
                .unwrap_or("0");
            found
                .entry(mention.entity_id.clone())
                .or_default()
                .push(format!("{day}#{item}"));
        }
    }
    found
}

fn write_issue(dir: &Path, day: u32, items: &str) {
    let text = format!("# Crab Digest 2024-05-{day:02}\n\n## News\n\n{items}\n");
    std::fs::write(dir.join(format!("2024-05-{day:02}.md")), text).unwrap();
}

#[test]
fn a_page_of_a_site_names_the_page_not_the_site() {
    let dir = tempfile::tempdir().unwrap();
    write_issue(
        dir.path(),
        1,
        "### Faster parsing\n\nA thread on parser speed. [Chatter](https://www.chatter.example/r/crabs/comments/1)\n\n\
         ### Engineer at Chatter\n\nChatter hires a [parser engineer](https://www.chatter.example/jobs/2).\n\n\
         ### Chatter home\n\nThe [front page](https://www.chatter.example/).\n",
    );
    let corpus = load(dir.path(), dictionary());
    let found = mentions(&corpus);
    // The thread's link, written with the site's name, is no mention; the
    // item that says "Chatter hires" is; the site's home names it.
    assert_eq!(
        found.get("org:chatter").cloned().unwrap_or_default(),
        ["01#2", "01#3"]
    );
}

#[test]
fn a_registry_page_names_the_package_not_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    write_issue(
        dir.path(),
        1,
        "### zipper 1.0\n\nThe zipper crate is out on [crates.io](https://crates.io/crates/zipper).\n\n\
         ### Registry news\n\nThe crates.io site now shows download counts of [zipper](https://crates.io/crates/zipper).\n",
    );
    let corpus = load(dir.path(), dictionary());
    let found = mentions(&corpus);
    assert_eq!(
        found.get("tool:crates-io").cloned().unwrap_or_default(),
        ["01#2"]
    );
}

#[test]
fn a_name_the_corpus_writes_as_a_type_is_code() {
    let dir = tempfile::tempdir().unwrap();
    write_issue(
        dir.path(),
        1,
        "### Smaller pointers\n\n`Box<T>` is now smaller, and `Box::new` is faster.\n\n\
         ### Pinning\n\nImplement Unpin for Box and Rc.\n\n\
         ### Storage\n\nA client for [Box](https://www.box.example/) storage.\n",
    );
    write_issue(
        dir.path(),
        2,
        "### More boxes\n\n`Box<dyn Error>` and `Box::leak` are explained.\n",
    );
    let corpus = load(dir.path(), dictionary());
    let found = mentions(&corpus);
    // Written as a type four times in five: "for Box and Rc" is the type
    // too; only the link to the company names it.
    assert_eq!(found.get("org:box").cloned().unwrap_or_default(), ["01#3"]);
}

#[test]
fn a_longer_product_name_wins_over_its_first_word() {
    let dictionary = Dictionary::builtin().expect("built-in dictionary loads");
    let dir = tempfile::tempdir().unwrap();
    write_issue(
        dir.path(),
        1,
        "### Summer projects\n\nGoogle Summer of Code picks its students.\n\n\
         ### Cloud news\n\nGoogle Cloud opens a region.\n\n\
         ### Search\n\nGoogle ships a new search.\n",
    );
    let corpus = load(dir.path(), dictionary);
    let found = mentions(&corpus);
    assert_eq!(
        found.get("org:google").cloned().unwrap_or_default(),
        ["01#3"]
    );
    assert_eq!(
        found.get("tool:google-cloud").cloned().unwrap_or_default(),
        ["01#2"]
    );
    assert_eq!(
        found
            .get("event:google-summer-of-code")
            .cloned()
            .unwrap_or_default(),
        ["01#1"]
    );
}

fn boilerplate_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/boilerplate")
}

#[test]
fn template_lines_follow_the_publication_the_corpus_settles() {
    // Six issues of Harbor Notes, one titled "Harbour Notes": the folder's
    // titles make it an issue of Harbor Notes, and its template lines are
    // Harbor Notes' too.
    let dir = tempfile::tempdir().unwrap();
    for day in 1..=6 {
        let name = format!("2024-03-0{day}.md");
        let text = std::fs::read_to_string(boilerplate_fixture().join(&name)).unwrap();
        let text = if day == 6 {
            text.replacen("# Harbor Notes", "# Harbour Notes", 1)
        } else {
            text
        };
        std::fs::write(dir.path().join(&name), text).unwrap();
    }
    let corpus = load(dir.path(), Dictionary::builtin().unwrap());
    let issues: Vec<(&str, usize)> = corpus
        .records
        .iter()
        .map(|r| (r.issue.publication.as_str(), r.issue.boilerplate_lines))
        .collect();
    assert_eq!(issues, [("Harbor Notes", 2); 6]);
}
