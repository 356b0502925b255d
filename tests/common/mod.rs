//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `../shared/<relative>` (or `$WEEKLYGRAPH_SHARED/<relative>`) when the
/// real corpora are there. On a user's machine without them the caller
/// skips its corpus checks, and the test binary says how many it skipped
/// when it exits; in CI (`CI=true`), where they always are, their absence
/// fails the test.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("WEEKLYGRAPH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing, and CI always has it", path.display());
    }
    count_skip();
    None
}

/// Corpus checks skipped in this test binary for want of ../shared.
static SKIPPED: AtomicUsize = AtomicUsize::new(0);

fn count_skip() {
    static REPORT_AT_EXIT: Once = Once::new();
    SKIPPED.fetch_add(1, Ordering::Relaxed);
    REPORT_AT_EXIT.call_once(|| {
        // SAFETY: `report_skips` is an `extern "C" fn()` that neither
        // unwinds nor touches state torn down before `atexit` handlers run.
        unsafe {
            libc::atexit(report_skips);
        }
    });
}

/// Written to the stderr descriptor itself: the test harness captures
/// `eprintln!` of passing tests, which would hide the skips.
extern "C" fn report_skips() {
    let skipped = SKIPPED.load(Ordering::Relaxed);
    let noun = if skipped == 1 { "test" } else { "tests" };
    let line = format!("{skipped} {noun} skipped: ../shared not found\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Whether Graphviz's `dot` runs here. Without it a drawing test says so
/// and skips; in CI (`CI=true`), which always installs it, that fails.
pub fn graphviz(what: &str) -> bool {
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("Graphviz (dot) is missing, and CI always installs it");
    }
    eprintln!("note: Graphviz missing; skipping {what}");
    false
}

/// The weeklygraph binary built for the tests, or `$WEEKLYGRAPH_TEST_BIN`
/// (to show that a test fails with an older binary).
pub fn weeklygraph() -> std::process::Command {
    let binary = std::env::var_os("WEEKLYGRAPH_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_weeklygraph").into());
    let mut command = std::process::Command::new(binary);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs a command and fails the test, showing its stderr, unless it succeeds.
pub fn run_ok(command: &mut std::process::Command) -> std::process::Output {
    let output = command.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// One CSV row by column name.
pub type Row = BTreeMap<String, String>;

/// A CSV file written by weeklygraph, as rows by column name.
pub fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
