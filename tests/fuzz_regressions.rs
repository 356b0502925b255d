//! Replays what the fuzzer found (tests/fixtures/fuzz/) and the fuzzer's
//! seed corpus (fuzz/seeds/read_parse_extract/) through the fuzz target's
//! own body: read → parse → extract, with no panic and no hang.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use weeklygraph::extract::{Dictionary, Extractor};

include!("../fuzz/harness.rs");

static EXTRACTOR: LazyLock<Arc<Extractor>> = LazyLock::new(|| {
    Arc::new(Extractor::new(
        Dictionary::builtin().expect("the built-in dictionary loads"),
    ))
});

/// Far above what any of these small inputs needs even in a debug build,
/// far below "hangs".
const DEADLINE: Duration = Duration::from_secs(60);

fn inputs(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// Runs one input on its own thread: a panic or a hang fails the test
/// naming the file. Returns the number of mentions extracted, if the input
/// parsed as an issue.
fn replay(path: &Path) -> Option<usize> {
    let data = std::fs::read(path).unwrap();
    let extractor = Arc::clone(&EXTRACTOR);
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let record = read_parse_extract(&extractor, &data);
        let _ = sender.send(record.map(|r| r.mentions.len()));
    });
    match receiver.recv_timeout(DEADLINE) {
        Ok(mentions) => mentions,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{} took over {DEADLINE:?}", path.display())
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{} panicked", path.display()),
    }
}

#[test]
fn fuzzer_findings_do_not_crash_or_hang() {
    for path in inputs("tests/fixtures/fuzz") {
        replay(&path);
    }
}

#[test]
fn seed_corpus_runs_through_the_fuzz_target() {
    let seeds = inputs("fuzz/seeds/read_parse_extract");
    assert_eq!(seeds.len(), 36);
    let mut mentions = std::collections::BTreeMap::new();
    for path in &seeds {
        if let Some(count) = replay(path) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            mentions.insert(name, count);
        }
    }
    // All but the empty and the whitespace-only file are issues.
    assert_eq!(mentions.len(), 34, "{mentions:#?}");
    assert!(!mentions.contains_key("as-given_tests_fixtures_bad_empty.md"));
    // The legacy encodings decode to the same issue as the UTF-8 original.
    let original = mentions["as-given_data_sample_neco-weekly_2023-01-13.md"];
    assert!(original > 0);
    for encoded in [
        "shift-jis_neco-2023-01-13.md",
        "euc-jp_neco-2023-01-13.md",
        "utf-16le-bom_neco-2023-01-13.md",
        "utf-16be-bom_neco-2023-01-13.md",
    ] {
        assert_eq!(mentions[encoded], original, "{encoded}");
    }
}
