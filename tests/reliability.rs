//! A run killed mid-write leaves the previous outputs whole, and the next
//! run cleans up after it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.insert(
                path.file_name().unwrap().to_string_lossy().to_string(),
                fs::read(&path).unwrap(),
            );
        }
    }
    files
}

fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".weeklygraph-"))
        .collect()
}

/// Enough small issues that a build takes a good while.
fn write_large_corpus(dir: &Path, issues: usize) {
    let first = chrono::NaiveDate::from_ymd_opt(1990, 1, 5).unwrap();
    let body = "### MOCO v0.13.0\n\nMOCO と MySQL の話です。Argo CD と Cilium も。 https://github.com/cybozu-go/moco\n\n".repeat(60);
    for n in 0..issues {
        let date = first + chrono::Duration::days(7 * n as i64);
        let text = format!(
            "# Neco Weekly ({date}号)\n\n今回は第{n}回目の記事となります。\n\n## ✨ News\n\n{body}"
        );
        fs::write(dir.join(format!("{date}.md")), text).unwrap();
    }
}

/// Polls until a `.weeklygraph-staging-*` folder in `parent` holds a table
/// with something in it, and returns the folder. Fails if the run ends
/// first or nothing is staged within a minute.
fn wait_for_staged_output(child: &mut std::process::Child, parent: &Path) -> PathBuf {
    let started = Instant::now();
    loop {
        let staged = leftovers(parent)
            .into_iter()
            .filter(|name| name.starts_with(".weeklygraph-staging-"))
            .map(|name| parent.join(name))
            .find(|folder| holds_output(folder));
        if let Some(folder) = staged {
            return folder;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the large run ended ({status}) before it staged any output");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging folder with output appeared beside out within 60 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether a table has been started: the marker file comes first and
/// says nothing of the writing.
fn holds_output(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            entry.path().extension().is_some_and(|e| e == "csv")
                && entry.metadata().is_ok_and(|m| m.len() > 0)
        })
    })
}

#[test]
fn killed_run_leaves_previous_outputs_whole() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&out),
    );
    let before = snapshot(&out);
    assert!(before.contains_key("issues.csv"));

    let corpus = work.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    write_large_corpus(&corpus, 5000);
    let mut child = common::weeklygraph()
        .args(["build", "--no-render", "--quiet", "--jobs", "1", "-o"])
        .arg(&out)
        .arg(&corpus)
        .spawn()
        .unwrap();
    // Kill it while it writes: once its staging folder holds some output.
    let staging = wait_for_staged_output(&mut child, work.path());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        staging.is_dir(),
        "the killed run left no staging folder for the next run to remove"
    );

    assert_eq!(
        snapshot(&out),
        before,
        "the killed run changed the previous outputs"
    );

    // The next run replaces the outputs and removes what the killed one left.
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&out),
    );
    assert_eq!(leftovers(work.path()), Vec::<String>::new());
    assert_eq!(snapshot(&out), before);
}

#[test]
fn output_folder_of_other_files_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let notes = work.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("todo.txt"), "mine").unwrap();
    let started = Instant::now();
    let result = common::weeklygraph()
        .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
        .arg(&notes)
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("holds files weeklygraph did not write"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(notes.join("todo.txt")).unwrap(), "mine");
    assert_eq!(fs::read_dir(&notes).unwrap().count(), 1);
}
