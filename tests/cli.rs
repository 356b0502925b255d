//! The subcommands as a user runs them: in a pipe that closes early, with a
//! mistyped entity, and `entity` against `neighbors`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Output, Stdio};

/// LWKD, the largest corpus, when ../shared has it; else data/sample.
fn corpus() -> PathBuf {
    common::shared("corpus/lwkd").unwrap_or_else(|| PathBuf::from("data/sample"))
}

/// Runs weeklygraph with `args` as `weeklygraph ARGS | head -1` does: reads
/// one line, or none when `read_first` is false, then closes the pipe.
/// Returns the line read and how the process ended.
fn closed_early(args: &[&str], read_first: bool) -> (String, Output) {
    let mut child = common::weeklygraph()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("weeklygraph starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    if read_first {
        BufReader::new(stdout).read_line(&mut line).unwrap();
    } else {
        drop(stdout);
    }
    (line, child.wait_with_output().unwrap())
}

#[test]
fn every_command_exits_0_when_the_pipe_closes_early() {
    let corpus = corpus();
    let corpus = corpus.to_str().unwrap();
    let commands: [(&[&str], &str); 6] = [
        (&["dict"], "id\tname\tkind\taliases\n"),
        (&["dict", "--aliases"], ""),
        (
            &["candidates", "-q", corpus],
            " count issues  kind   evidence name",
        ),
        (
            &["neighbors", "-q", "kubernetes", corpus],
            "Kubernetes (tool:kubernetes): ",
        ),
        (&["trends", "-q", corpus], ""),
        (
            &["entity", "-q", "kubernetes", corpus],
            "Kubernetes (tool:kubernetes, tool)\n",
        ),
    ];
    for (args, first_line) in commands {
        for read_first in [true, false] {
            let (line, output) = closed_early(args, read_first);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{args:?}: {stderr}");
            assert!(!stderr.contains("error"), "{args:?}: {stderr}");
            if read_first {
                assert!(line.starts_with(first_line), "{args:?}: {line:?}");
                assert!(line.ends_with('\n') && line.len() > 1, "{args:?}: {line:?}");
            }
        }
    }
}

#[test]
fn a_mistyped_entity_exits_2_with_a_suggestion() {
    for command in ["entity", "neighbors"] {
        let output = common::weeklygraph()
            .args([command, "-q", "kubernets", "data/sample"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains(
                "no entity is called \"kubernets\"; did you mean Kubernetes (tool:kubernetes)"
            ),
            "{command}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{command}");
    }
}

/// The neighbour ids `entity` lists under "Mentioned with".
fn entity_neighbours(args: &[&str]) -> Vec<String> {
    let output = common::run_ok(common::weeklygraph().arg("entity").args(args));
    let text = String::from_utf8(output.stdout).unwrap();
    let section = text
        .split("\nMentioned with\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("no neighbours in {text}"));
    section.lines().map(id_in_parentheses).collect()
}

/// The neighbour ids `neighbors` lists, one a block.
fn graph_neighbours(args: &[&str]) -> Vec<String> {
    let output = common::run_ok(common::weeklygraph().arg("neighbors").args(args));
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines()
        .filter(|line| line.contains("  npmi "))
        .map(id_in_parentheses)
        .collect()
}

/// `… Name (kind:id)` → `kind:id`.
fn id_in_parentheses(line: &str) -> String {
    let start = line.rfind(" (").map_or(0, |i| i + 2);
    line[start..].trim_end_matches(')').to_string()
}

#[test]
fn entity_and_neighbors_list_the_same_neighbours() {
    let expected = [
        "tool:mysql",
        "tool:kubernetes",
        "neco:topolvm",
        "org:cybozu",
        "topic:csi",
        "neco:neco",
        "event:cloudnative-days",
        "tool:prometheus",
    ];
    let args = ["MOCO", "-q", "data/sample"];
    assert_eq!(entity_neighbours(&args), expected);
    assert_eq!(graph_neighbours(&args), expected);
    // The graph filters apply to both.
    let args = ["moco", "-q", "--min-weight", "2", "data/sample"];
    assert_eq!(entity_neighbours(&args), expected[..6]);
    assert_eq!(graph_neighbours(&args), expected[..6]);
}
