//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `../shared/<relative>` when the real corpora are there. On a user's
/// machine without them the test is skipped with a notice; in CI
/// (`CI=true`), where they always are, their absence fails the test.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing, and CI always has it", path.display());
    }
    eprintln!("note: {} not found; skipping this test", path.display());
    None
}

/// The weeklygraph binary built for the tests.
pub fn weeklygraph() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_weeklygraph"));
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
