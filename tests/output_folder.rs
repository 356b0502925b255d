//! The output folder: replaced only when it holds nothing but what the
//! last build wrote, swapped in with one rename, locked against a second
//! build, and refused before any work when `-o` cannot be right.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn build(input: &Path, out: &Path) -> Output {
    common::weeklygraph()
        .args(["build", "--no-render", "--quiet", "-o"])
        .arg(out)
        .arg(input)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A corpus whose one unreadable file warns when it is read: a refusal
/// that prints no warning came before the reading.
fn corpus_with_a_warning(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    write_large_corpus(&corpus, 3);
    fs::write(corpus.join("broken.md"), [0u8; 4096]).unwrap();
    corpus
}

#[test]
fn a_users_files_in_the_output_folder_are_named_and_kept() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&out),
    );
    let before = fs::read(out.join("issues.csv")).unwrap();

    fs::write(out.join("my-analysis.ipynb"), "{}").unwrap();
    let result = build(Path::new("data/sample"), &out);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert!(
        stderr(&result).contains("holds my-analysis.ipynb, which the last build did not write"),
        "{}",
        stderr(&result)
    );
    assert_eq!(
        fs::read_to_string(out.join("my-analysis.ipynb")).unwrap(),
        "{}"
    );
    assert_eq!(fs::read(out.join("issues.csv")).unwrap(), before);

    fs::remove_file(out.join("my-analysis.ipynb")).unwrap();
    fs::create_dir(out.join("charts")).unwrap();
    fs::write(out.join("charts/a.png"), "png").unwrap();
    let result = build(Path::new("data/sample"), &out);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        stderr(&result).contains("holds charts,"),
        "{}",
        stderr(&result)
    );
    assert_eq!(fs::read_to_string(out.join("charts/a.png")).unwrap(), "png");

    // What the build wrote itself it may replace.
    fs::remove_dir_all(out.join("charts")).unwrap();
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&out),
    );
}

#[test]
fn a_folder_of_an_older_build_with_the_bare_marker_is_replaced() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(
        out.join(".weeklygraph"),
        "written by weeklygraph; safe to replace\n",
    )
    .unwrap();
    fs::write(out.join("issues.csv"), "old").unwrap();
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&out),
    );
    assert_ne!(fs::read_to_string(out.join("issues.csv")).unwrap(), "old");
    // Not one of weeklygraph's names: refused even beside the bare marker.
    fs::write(
        out.join(".weeklygraph"),
        "written by weeklygraph; safe to replace\n",
    )
    .unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let result = build(Path::new("data/sample"), &out);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn impossible_output_paths_are_refused_before_reading() {
    let work = tempfile::tempdir().unwrap();
    let corpus = corpus_with_a_warning(work.path());
    let dangling = work.path().join("dangling");
    std::os::unix::fs::symlink(work.path().join("nowhere"), &dangling).unwrap();
    let cases: [(&Path, &str); 4] = [
        (Path::new("."), "is not a folder of its own"),
        (&dangling, "is a symbolic link to nothing"),
        (&corpus.join("out"), "is inside the input"),
        (work.path(), "the input"),
    ];
    for (out, expected) in cases {
        let result = build(&corpus, out);
        let message = stderr(&result);
        assert_eq!(
            result.status.code(),
            Some(2),
            "-o {}: {message}",
            out.display()
        );
        assert!(
            message.contains(expected),
            "-o {}: {message}",
            out.display()
        );
        assert!(
            !message.contains("warning"),
            "-o {} was refused only after reading: {message}",
            out.display()
        );
    }
    assert!(!corpus.join("out").exists());
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_symlinked_output_folder_is_followed_not_replaced() {
    let work = tempfile::tempdir().unwrap();
    let real = work.path().join("v1");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&real),
    );
    let link = work.path().join("latest");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    fs::write(real.join("issues.csv"), "stale").unwrap();
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&link),
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), real);
    assert!(
        fs::read_to_string(real.join("issues.csv"))
            .unwrap()
            .starts_with("issue_id")
    );
}

/// Enough issues that a build takes a while.
fn write_large_corpus(dir: &Path, issues: usize) {
    let first = chrono::NaiveDate::from_ymd_opt(1990, 1, 5).unwrap();
    let body = "### MOCO v0.13.0\n\nMOCO と MySQL の話です。 https://github.com/cybozu-go/moco\n\n"
        .repeat(60);
    for n in 0..issues {
        let date = first + chrono::Duration::days(7 * n as i64);
        let text = format!("# Neco Weekly ({date}号)\n\n## ✨ News\n\n{body}");
        fs::write(dir.join(format!("{date}.md")), text).unwrap();
    }
}

#[test]
fn a_second_build_to_the_same_folder_is_stopped_by_the_lock() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    write_large_corpus(&corpus, 3000);
    let out = work.path().join("out");
    let mut first = common::weeklygraph()
        .args(["build", "--no-render", "--quiet", "--jobs", "1", "-o"])
        .arg(&out)
        .arg(&corpus)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lock = work.path().join(".weeklygraph-lock-out");
    let started = Instant::now();
    let staged = || {
        fs::read_dir(work.path()).unwrap().flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".weeklygraph-staging-")
        })
    };
    while !staged() {
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first build ended too soon"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = build(Path::new("data/sample"), &out);
    let first_status = first.wait().unwrap();
    assert!(first_status.success());
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("another weeklygraph build is writing to"),
        "{}",
        stderr(&second)
    );
    // The first build's outputs, whole; the lock let go and removed.
    assert_eq!(common::read_csv(&out.join("issues.csv")).len(), 3000);
    assert!(!lock.exists());
}

/// Every rename slowed down by strace: with a swap of two renames the
/// output folder is missing between them, and a watcher sees it.
#[test]
fn the_output_folder_is_never_missing_during_the_swap() {
    if Command::new("strace").arg("-V").output().is_err() {
        // CI installs strace (.ci/run); elsewhere say so where it is seen.
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "strace is missing, and CI always has it"
        );
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "note: strace missing; skipping");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    common::run_ok(
        common::weeklygraph()
            .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
            .arg(&out),
    );
    let binary = common::weeklygraph().get_program().to_owned();
    let mut child = Command::new("strace")
        .args([
            "-f",
            "-o",
            "/dev/null",
            "-e",
            "inject=rename,renameat,renameat2:delay_enter=700000",
        ])
        .arg(binary)
        .args(["build", "data/sample", "--no-render", "--quiet", "-o"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut missing = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if !out.join("issues.csv").is_file() {
            missing += 1;
        }
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(status.success());
    assert_eq!(missing, 0, "the output folder was missing during the swap");
    assert!(out.join("issues.csv").is_file());
}
