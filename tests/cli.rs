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
    // By NPMI, the default: MySQL (8 items, NPMI 0.957) before Kubernetes
    // (5 items, 0.312), which is named with nearly everything.
    let by_npmi = [
        "tool:mysql",
        "neco:topolvm",
        "event:cloudnative-days",
        "topic:csi",
        "org:cybozu",
        "neco:neco",
        "tool:kubernetes",
        "tool:prometheus",
    ];
    let args = ["MOCO", "-q", "data/sample"];
    assert_eq!(entity_neighbours(&args), by_npmi);
    assert_eq!(graph_neighbours(&args), by_npmi);
    let by_weight = [
        "tool:mysql",
        "tool:kubernetes",
        "neco:topolvm",
        "org:cybozu",
        "topic:csi",
        "neco:neco",
        "event:cloudnative-days",
        "tool:prometheus",
    ];
    let args = ["MOCO", "-q", "--by", "weight", "data/sample"];
    assert_eq!(entity_neighbours(&args), by_weight);
    assert_eq!(graph_neighbours(&args), by_weight);
    // The graph filters apply to both.
    let args = ["moco", "-q", "--min-weight", "2", "data/sample"];
    let heavy: Vec<&str> = by_npmi
        .into_iter()
        .filter(|id| !["event:cloudnative-days", "tool:prometheus"].contains(id))
        .collect();
    assert_eq!(entity_neighbours(&args), heavy);
    assert_eq!(graph_neighbours(&args), heavy);
}

/// Runs weeklygraph and parses its stdout as JSON.
fn json(args: &[&str]) -> serde_json::Value {
    let output = common::run_ok(common::weeklygraph().args(args));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn every_command_that_prints_a_table_prints_json() {
    let neighbours = json(&[
        "neighbors",
        "MOCO",
        "-q",
        "--json",
        "--limit",
        "3",
        "data/sample",
    ]);
    assert_eq!(neighbours["entity_id"], "neco:moco");
    assert_eq!(neighbours["by"], "npmi");
    assert_eq!(neighbours["mentions"], 9);
    assert_eq!(neighbours["issues"], 8);
    assert_eq!(neighbours["neighbour_count"], 8);
    let listed = neighbours["neighbours"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["entity_id"], "tool:mysql");
    assert_eq!(listed[0]["weight"], 8);
    assert_eq!(listed[0]["windows"].as_array().unwrap().len(), 8);

    let entity = json(&[
        "entity",
        "moco",
        "-q",
        "--json",
        "--limit",
        "2",
        "data/sample",
    ]);
    assert_eq!(entity["entity_id"], "neco:moco");
    assert_eq!(entity["mentions"], 9);
    assert_eq!(entity["item_count"], 9);
    assert_eq!(entity["items"].as_array().unwrap().len(), 2);
    assert_eq!(entity["items"][0]["title"], "MOCO v0.15.0");
    assert_eq!(entity["neighbour_count"], 8);
    assert_eq!(entity["neighbours"].as_array().unwrap().len(), 2);
    assert_eq!(entity["timeline"][0]["period"], "2023-01");

    let dict = json(&["dict", "--json"]);
    let moco = dict
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "neco:moco")
        .expect("MOCO is built in");
    assert_eq!(moco["name"], "MOCO");
    assert_eq!(moco["kind"], "neco");
    let aliases = json(&["dict", "--aliases", "--json"]);
    assert!(aliases.as_array().unwrap().iter().any(|a| a == "MOCO"));

    let candidates = json(&["candidates", "-q", "--json", "--top", "2", "data/sample"]);
    assert_eq!(candidates.as_array().unwrap().len(), 2);
    assert!(candidates[0]["name"].is_string() && candidates[0]["count"].is_u64());

    let trends = json(&["trends", "-q", "--json", "--top", "1", "data/sample"]);
    assert!(trends["new"].as_array().unwrap().len() <= 1);
    assert!(trends["period"].is_string());
}

#[test]
fn entity_limit_bounds_the_neighbours_and_the_items() {
    let output = common::run_ok(common::weeklygraph().args([
        "entity",
        "moco",
        "-q",
        "--limit",
        "2",
        "data/sample",
    ]));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("  … and 6 more (--limit 8 lists all)\n"),
        "{text}"
    );
    assert!(
        text.contains("  … and 7 more (--limit 9 lists all)\n"),
        "{text}"
    );
}

#[test]
fn values_that_would_give_nothing_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 9] = [
        (&["build", "-q", "--top", "0", "-o", out], "--top"),
        (
            &["build", "-q", "--min-weight", "0", "-o", out],
            "--min-weight",
        ),
        (&["build", "-q", "--jobs", "0", "-o", out], "--jobs"),
        (
            &[
                "build",
                "-q",
                "--since",
                "2024-01-01",
                "--until",
                "2023-01-01",
                "-o",
                out,
            ],
            "--graph-since 2024-01-01 is after --graph-until 2023-01-01",
        ),
        (&["build", "-q", "--render", "gif", "-o", out], "--render"),
        (&["neighbors", "moco", "-q", "--limit", "0"], "--limit"),
        (&["entity", "moco", "-q", "--limit", "0"], "--limit"),
        (&["trends", "-q", "--top", "0"], "--top"),
        (&["candidates", "-q", "--top", "0"], "--top"),
    ];
    for (args, message) in cases {
        let output = common::weeklygraph().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        if !message.starts_with("--graph") {
            assert!(
                stderr.contains("must be at least 1") || stderr.contains("possible values"),
                "{args:?}: {stderr}"
            );
        }
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!std::path::Path::new(out).exists(), "{args:?} wrote {out}");
    }
}

#[test]
fn every_flag_has_help_and_the_date_flags_say_what_they_filter() {
    use clap::CommandFactory;
    let cli = weeklygraph::cli::Cli::command();
    for command in cli.get_subcommands() {
        for arg in command.get_arguments() {
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(
                !help.trim().is_empty(),
                "{} --{} has no help",
                command.get_name(),
                arg.get_id()
            );
        }
    }
    let build = cli.find_subcommand("build").unwrap();
    let help = |id: &str| {
        build
            .get_arguments()
            .find(|a| a.get_id() == id)
            .and_then(|a| a.get_help())
            .unwrap()
            .to_string()
    };
    assert!(
        help("since").contains("co-mention graph"),
        "{}",
        help("since")
    );
    assert!(help("render").contains("pdf"), "{}", help("render"));
    // The old spellings stay: flags are a contract.
    let run = |since: &str, until: &str| {
        let output = common::run_ok(common::weeklygraph().args([
            "neighbors",
            "moco",
            "-q",
            since,
            "2023-03-01",
            until,
            "2023-12-31",
            "data/sample",
        ]));
        String::from_utf8(output.stdout).unwrap()
    };
    let renamed = run("--graph-since", "--graph-until");
    assert_eq!(renamed, run("--since", "--until"));
    assert!(
        renamed.starts_with("MOCO (neco:moco): 5 items in 4 issues"),
        "{renamed}"
    );
}

#[test]
fn counts_of_one_are_singular() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("2023-05-05-weekly.md"),
        "# Gadget Weekly (2023-05-05)\n\n## News\n\n### Cilium 1.14 released\n\nhttps://cilium.io/blog\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = common::run_ok(
        common::weeklygraph()
            .args(["build", "-q", "--no-render", "-o"])
            .arg(&out)
            .arg(&input),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("weeklygraph: 1 issue, 1 item, 0 warnings, "),
        "{stderr}"
    );
    let output = common::run_ok(
        common::weeklygraph()
            .args(["entity", "cilium", "-q"])
            .arg(&input),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("\n1 item in 1 issue, 2023-05 to 2023-05\n"),
        "{text}"
    );
    let output = common::run_ok(
        common::weeklygraph()
            .args(["neighbors", "cilium", "-q"])
            .arg(&input),
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("Cilium (tool:cilium): 1 item in 1 issue, "),
        "{text}"
    );
}

/// The progress bar names every phase as the build reaches it. It is drawn
/// only on a terminal: `script` gives the build one.
#[test]
fn progress_names_every_phase() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("script(1) is not installed; progress not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let binary = env!("CARGO_BIN_EXE_weeklygraph");
    let command = format!("{binary} build data/sample -o {}", out.display());
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    for phase in [
        "reading (1 of 2",
        "reading (2 of 2",
        "streaming records",
        "building the graph and the trends",
        "writing the tables and reports",
    ] {
        assert!(shown.contains(phase), "{phase:?} not in {shown:?}");
    }
    assert!(
        shown.contains("weeklygraph: 26 issues, 122 items"),
        "{shown:?}"
    );
}
