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

/// A graph Graphviz needs far more than a few seconds for (neato with
/// spline routing around 3200 edges).
fn write_slow_dot(path: &Path) {
    let mut text = String::from("graph g { layout=neato; overlap=false; splines=true;\n");
    let mut state: u64 = 1;
    for node in 0..400 {
        for _ in 0..8 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(&format!("  n{node} -- n{};\n", (state >> 33) % 400));
        }
    }
    text.push_str("}\n");
    fs::write(path, text).unwrap();
}

#[test]
fn render_refuses_to_overwrite_its_dot_file() {
    let work = tempfile::tempdir().unwrap();
    let dot = work.path().join("g.dot");
    fs::write(&dot, "graph { a -- b }\n").unwrap();
    let result = common::weeklygraph()
        .arg("render")
        .arg(&dot)
        .arg("-o")
        .arg(work.path().join(".").join("g.dot"))
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("is the DOT file itself"), "{stderr}");
    assert_eq!(fs::read_to_string(&dot).unwrap(), "graph { a -- b }\n");
}

#[test]
fn graphviz_is_stopped_at_the_render_timeout() {
    if !common::graphviz("the render check") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dot = work.path().join("slow.dot");
    write_slow_dot(&dot);
    let picture = work.path().join("slow.svg");
    let started = Instant::now();
    let result = common::weeklygraph()
        .arg("render")
        .arg(&dot)
        .arg("-o")
        .arg(&picture)
        .args(["--render-timeout", "1"])
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("dot took longer than 1 s"), "{stderr}");
    assert!(!picture.exists(), "a partial picture was left");
    let names: Vec<String> = fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["slow.dot"]);
}

/// The children of a process, from /proc (Linux).
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

#[test]
#[cfg(target_os = "linux")]
fn graphviz_dies_with_a_killed_weeklygraph() {
    if !common::graphviz("the render check") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dot = work.path().join("slow.dot");
    write_slow_dot(&dot);
    let mut child = common::weeklygraph()
        .arg("render")
        .arg(&dot)
        .arg("-o")
        .arg(work.path().join("slow.svg"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let graphviz = loop {
        if let Some(&pid) = children(child.id()).first() {
            break pid;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "dot never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let killed = Instant::now();
    let proc_entry = PathBuf::from(format!("/proc/{graphviz}"));
    let gone = || {
        fs::read_to_string(proc_entry.join("stat"))
            .map_or(true, |stat| stat.split_whitespace().nth(2) == Some("Z"))
    };
    while !gone() {
        if killed.elapsed() > Duration::from_secs(5) {
            let _ = std::process::Command::new("kill")
                .arg("-9")
                .arg(graphviz.to_string())
                .status();
            panic!("dot ({graphviz}) outlived the killed weeklygraph");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn csv_cells_that_are_formulas_are_neutralised_unless_raw() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    fs::write(
        corpus.join("2023-02-03.md"),
        "# Neco Weekly (2023-02-03号)\n\n## News\n\n### =HYPERLINK(\"http://example.com\",\"x\")\n\nMOCO\n\n### @SUM(A1)\n\nMOCO\n\n### -0.5\n\nMOCO\n",
    )
    .unwrap();
    let titles = |extra: &[&str]| -> Vec<String> {
        let out = work.path().join(format!("out{}", extra.len()));
        common::run_ok(
            common::weeklygraph()
                .args(["build", "--no-render", "--quiet", "-o"])
                .arg(&out)
                .args(extra)
                .arg(&corpus),
        );
        common::read_csv(&out.join("items.csv"))
            .into_iter()
            .map(|row| row["title"].clone())
            .collect()
    };
    assert_eq!(
        titles(&[]),
        [
            "'=HYPERLINK(\"http://example.com\",\"x\")",
            "'@SUM(A1)",
            "-0.5"
        ]
    );
    assert_eq!(
        titles(&["--raw-csv"]),
        [
            "=HYPERLINK(\"http://example.com\",\"x\")",
            "@SUM(A1)",
            "-0.5"
        ]
    );
}
