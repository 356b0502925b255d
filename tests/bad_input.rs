//! Bad input: a file that cannot be used costs exactly one warning naming
//! it and saying why, never the run, never a panic, never a hang. The good
//! issues beside it are all read, in whatever encoding they were saved.
//!
//! Small text fixtures are committed in tests/fixtures/bad/; binary, huge
//! and special files (symlinks, FIFOs, unreadable files) are made here in a
//! temporary folder.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use encoding_rs::{EUC_JP, SHIFT_JIS};

/// Far above what any of these folders needs, even in a debug build: past
/// it the run is taken to hang.
const DEADLINE: Duration = Duration::from_secs(90);

const WARNING_PREFIX: &str = "weeklygraph: warning: ";

/// What a finished run left behind.
struct Run {
    status: ExitStatus,
    stderr: String,
}

/// Runs weeklygraph with `args`, killing it when it outlives [`DEADLINE`].
/// Output goes to files, so a chatty run cannot block on a full pipe.
fn run_weeklygraph(args: &[&OsStr]) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let stdout_path = logs.path().join("stdout");
    let stderr_path = logs.path().join("stderr");
    let mut child = common::weeklygraph()
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("weeklygraph starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting on weeklygraph") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = fs::read_to_string(&stderr_path).unwrap_or_default();
            panic!(
                "hang: weeklygraph {args:?} did not finish within {DEADLINE:?}; stderr so far:\n{stderr}"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = String::from_utf8_lossy(&fs::read(&stderr_path).unwrap()).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "weeklygraph panicked:\n{stderr}"
    );
    Run { status, stderr }
}

/// `weeklygraph build <input> -o <output> --no-render --quiet <extra>`.
fn build(input: &Path, output: &Path, extra: &[&str]) -> Run {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("build"),
        input.as_os_str(),
        OsStr::new("-o"),
        output.as_os_str(),
        OsStr::new("--no-render"),
        OsStr::new("--quiet"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    run_weeklygraph(&args)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

fn copy_fixture(folder: &Path, name: &str) -> PathBuf {
    let target = folder.join(Path::new(name).file_name().unwrap());
    fs::copy(fixture(name), &target).unwrap();
    target
}

/// A path as weeklygraph prints it.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn warning_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix(WARNING_PREFIX))
        .collect()
}

/// The warnings about `path` itself (not about files inside it).
fn warnings_naming<'a>(stderr: &'a str, path: &Path) -> Vec<&'a str> {
    let named = format!("{}: ", shown(path));
    warning_lines(stderr)
        .into_iter()
        .filter(|line| line.starts_with(&named))
        .collect()
}

/// What is wrong with the warnings about `path`, unless there is exactly
/// one and its reason contains `reason`.
fn one_warning_problem(stderr: &str, path: &Path, reason: &str) -> Option<String> {
    match warnings_naming(stderr, path).as_slice() {
        [only] if only.contains(reason) => None,
        [only] => Some(format!("the warning should say {reason:?}: {only}")),
        found => Some(format!(
            "expected exactly one warning naming {} ({reason}), got {found:?}",
            shown(path)
        )),
    }
}

fn assert_one_warning(stderr: &str, path: &Path, reason: &str) {
    if let Some(problem) = one_warning_problem(stderr, path, reason) {
        panic!("{problem}; stderr:\n{stderr}");
    }
}

/// A CSV table as rows of column → value; fails on a malformed file.
fn read_table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{} cannot be opened: {e}", path.display()));
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|record| {
            let record =
                record.unwrap_or_else(|e| panic!("{} is not valid CSV: {e}", path.display()));
            headers
                .iter()
                .zip(record.iter())
                .map(|(column, value)| (column.to_string(), value.to_string()))
                .collect()
        })
        .collect()
}

/// Every CSV file in the output folder parses, each row as long as the header.
fn assert_csv_outputs_parse(output: &Path) {
    let mut tables = 0;
    for entry in fs::read_dir(output).expect("the output folder exists") {
        let path = entry.unwrap().path();
        if path.extension() == Some(OsStr::new("csv")) {
            read_table(&path);
            tables += 1;
        }
    }
    assert!(
        tables >= 2,
        "issues.csv and items.csv at least, found {tables} tables"
    );
}

fn issues_by_source(output: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    read_table(&output.join("issues.csv"))
        .into_iter()
        .map(|row| (row["source_path"].clone(), row))
        .collect()
}

/// A short, valid Neco Weekly issue. Its characters all exist in Shift_JIS
/// and EUC-JP (no emoji), so it survives being saved in either.
fn neco_issue(date: &str, number: u32, item_title: &str, item_text: &str) -> String {
    format!(
        "# Neco Weekly ({date}号)\n\
         \n\
         Neco Weekly は、サイボウズの Neco チームが毎週社内で開いている勉強会の話題をまとめた記事です。\n\
         \n\
         今回は第{number}回目の記事となります。\n\
         \n\
         ## News\n\
         \n\
         ### {item_title}\n\
         \n\
         <blockquote class=\"embedly-card\"><h4><a href=\"https://github.com/cybozu-go/moco\">cybozu-go/moco</a></h4><p>MySQL operator on Kubernetes.</p></blockquote>\n\
         \n\
         {item_text}\n\
         \n\
         MOCO は Kubernetes 上で MySQL を動かすオペレーターです。\n\
         \n\
         ## あとがき\n\
         \n\
         テスト用の短い号です。\n"
    )
}

fn png_bytes() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend((0..2000u32).map(|n| (n * 7 % 256) as u8));
    png
}

/// Whether file permissions stop this process (root's do not).
#[cfg(unix)]
fn permissions_are_enforced(folder: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = folder.join("permission-probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = fs::File::open(&probe).is_err();
    fs::remove_file(&probe).unwrap();
    enforced
}

/// A file that exists and cannot be read, and what the warning should say.
/// Without root, a file with mode 000; as root, which reads anything, a
/// link to `/proc/self/mem`, whose first page is never mapped.
#[cfg(unix)]
fn make_unreadable(folder: &Path) -> (PathBuf, &'static str) {
    use std::os::unix::fs::PermissionsExt;
    let path = folder.join("unreadable.md");
    if permissions_are_enforced(folder) {
        fs::write(&path, neco_issue("2022-09-30", 9, "読めない号", "本文。")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
        (path, "permission denied")
    } else {
        std::os::unix::fs::symlink("/proc/self/mem", &path).unwrap();
        (path, "cannot read")
    }
}

#[test]
#[cfg(unix)]
fn bad_files_cost_one_warning_each_and_good_issues_are_all_read() {
    let input = tempfile::tempdir().unwrap();
    let dir = input.path();

    // Good issues: read, no warning.
    let good_neco = copy_fixture(dir, "good-neco-weekly.md");
    let good_lwkd = copy_fixture(dir, "good-lwkd.md");
    fs::create_dir(dir.join("x.md")).unwrap();
    let inside_folder_named_like_a_file = dir.join("x.md/inner.md");
    fs::write(
        &inside_folder_named_like_a_file,
        neco_issue("2022-12-23", 17, "フォルダの中の号", "本文。"),
    )
    .unwrap();
    let broken_html = copy_fixture(dir, "broken.html");

    // Damaged but readable: read, one warning.
    let invalid_utf8 = dir.join("invalid-utf8.md");
    let mut bytes = neco_issue(
        "2022-12-30",
        18,
        "壊れたバイトを含む号",
        "前半の文。後半の文。",
    )
    .into_bytes();
    let middle = bytes.len() / 2;
    let middle = (middle..bytes.len()).find(|&i| bytes[i] == b'\n').unwrap();
    bytes.insert(middle, 0xFF);
    fs::write(&invalid_utf8, bytes).unwrap();
    let impossible_date = copy_fixture(dir, "impossible-date.md");

    // Unusable: skipped, one warning.
    let png = dir.join("screenshot.md");
    fs::write(&png, png_bytes()).unwrap();
    let empty = copy_fixture(dir, "empty.md");
    let whitespace = copy_fixture(dir, "whitespace-only.md");
    let unterminated = copy_fixture(dir, "unterminated-front-matter.md");
    let too_large = dir.join("too-large.md");
    let padding = "MOCO と MySQL の話を何度も繰り返す長い段落です。".repeat(2000);
    fs::write(
        &too_large,
        neco_issue("2022-09-23", 8, "大きすぎる号", &padding),
    )
    .unwrap();
    let (unreadable, unreadable_reason) = make_unreadable(dir);
    let dangling = dir.join("dangling.md");
    std::os::unix::fs::symlink(dir.join("no-such-issue.md"), &dangling).unwrap();
    fs::create_dir(dir.join("looping")).unwrap();
    let loop_link = dir.join("looping/up");
    std::os::unix::fs::symlink("..", &loop_link).unwrap();

    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");
    let run = build(dir, &output, &["--max-file-size", "100000"]);
    let stderr = &run.stderr;

    assert_eq!(run.status.code(), Some(0), "stderr:\n{stderr}");
    assert_csv_outputs_parse(&output);

    // Every problem is listed before failing: one bad case must not hide
    // the others.
    let mut problems: Vec<String> = [
        (&invalid_utf8, "invalid UTF-8"),
        (&impossible_date, "impossible date"),
        (&png, "binary file"),
        (&empty, "empty file"),
        (&whitespace, "empty file"),
        (&unterminated, "front matter"),
        (&too_large, "over --max-file-size"),
        (&unreadable, unreadable_reason),
        (&dangling, "broken symbolic link"),
        (&loop_link, "symbolic link loop"),
        (&dir.join("x.md"), "is a folder"),
    ]
    .into_iter()
    .filter_map(|(path, reason)| one_warning_problem(stderr, path, reason))
    .collect();
    // html5ever mends the page as a browser would; a note about it is allowed.
    let about_broken_html = warnings_naming(stderr, &broken_html).len();
    if about_broken_html > 1 {
        problems.push(format!("{about_broken_html} warnings about broken.html"));
    }
    let expected_warnings = 11 + about_broken_html;
    if warning_lines(stderr).len() != expected_warnings {
        problems.push(format!(
            "{} warning lines, expected {expected_warnings}",
            warning_lines(stderr).len()
        ));
    }

    let issues = issues_by_source(&output);
    let mut read: BTreeSet<String> = issues.keys().cloned().collect();
    // Whether the body after an unterminated front matter is kept is the
    // parser's call; the warning is what matters.
    read.remove(&shown(&unterminated));
    let expected: BTreeSet<String> = [
        &good_neco,
        &good_lwkd,
        &inside_folder_named_like_a_file,
        &broken_html,
        &invalid_utf8,
        &impossible_date,
    ]
    .into_iter()
    .map(|p| shown(p))
    .collect();
    if read != expected {
        problems.push(format!("issues.csv holds {read:?}, expected {expected:?}"));
    }

    let mut check_cell = |path: &Path, column: &str, expected: &str| {
        let actual = issues.get(&shown(path)).map(|row| row[column].as_str());
        if actual != Some(expected) {
            problems.push(format!(
                "{} {column}: {actual:?}, expected {expected:?}",
                shown(path)
            ));
        }
    };
    check_cell(&good_neco, "issue_id", "neco-weekly-2022-10-07");
    check_cell(&good_neco, "date", "2022-10-07");
    check_cell(&good_neco, "items", "2");
    // An impossible date is no date, and the id falls back to the file stem.
    check_cell(&impossible_date, "date", "");
    check_cell(&impossible_date, "issue_id", "neco-weekly-impossible-date");
    check_cell(&broken_html, "date", "2022-12-02");
    check_cell(&broken_html, "items", "2");
    check_cell(&invalid_utf8, "date", "2022-12-30");
    check_cell(&inside_folder_named_like_a_file, "date", "2022-12-23");

    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}\nstderr:\n{stderr}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn shift_jis_euc_jp_and_utf16_issues_are_decoded() {
    let input = tempfile::tempdir().unwrap();
    let dir = input.path();

    let shift_jis_text = neco_issue(
        "2022-11-04",
        14,
        "Shift_JIS で書いた記事",
        "全角の文章です。",
    );
    let (shift_jis, _, unmappable) = SHIFT_JIS.encode(&shift_jis_text);
    assert!(!unmappable, "the template must fit in Shift_JIS");
    fs::write(dir.join("shift-jis.md"), &*shift_jis).unwrap();

    let euc_jp_text = neco_issue(
        "2022-11-11",
        15,
        "EUC-JP で書いた記事",
        "日本語の文章です。",
    );
    let (euc_jp, _, unmappable) = EUC_JP.encode(&euc_jp_text);
    assert!(!unmappable, "the template must fit in EUC-JP");
    fs::write(dir.join("euc-jp.txt"), &*euc_jp).unwrap();

    // encoding_rs encodes into UTF-16 only through the standard library.
    let utf16_text = neco_issue(
        "2022-11-18",
        16,
        "UTF-16 で書いた記事",
        "ワイド文字の文章です。",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(utf16_text.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(dir.join("utf-16.md"), utf16).unwrap();

    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");
    let run = build(dir, &output, &[]);

    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert_eq!(warning_lines(&run.stderr), Vec::<&str>::new());
    assert_csv_outputs_parse(&output);

    let issues = issues_by_source(&output);
    for (file, date) in [
        ("shift-jis.md", "2022-11-04"),
        ("euc-jp.txt", "2022-11-11"),
        ("utf-16.md", "2022-11-18"),
    ] {
        let row = &issues[&shown(&dir.join(file))];
        assert_eq!(row["date"], date, "{file}");
        assert!(
            row["title"].contains(&format!("{date}号")),
            "{file}: title {:?} lost its Japanese",
            row["title"]
        );
        assert_eq!(row["items"], "1", "{file}");
    }
    let item_titles: BTreeSet<String> = read_table(&output.join("items.csv"))
        .into_iter()
        .map(|row| row["title"].clone())
        .collect();
    let expected: BTreeSet<String> = [
        "Shift_JIS で書いた記事",
        "EUC-JP で書いた記事",
        "UTF-16 で書いた記事",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(item_titles, expected);
}

#[test]
fn a_million_character_line_and_100000_nesting_levels_are_read_in_time() {
    let input = tempfile::tempdir().unwrap();
    let dir = input.path();
    let good = copy_fixture(dir, "good-neco-weekly.md");

    let long_line = dir.join("long-line.md");
    let line: String = "Cilium eBPF MOCO 長い行 "
        .chars()
        .cycle()
        .take(1_000_000)
        .collect();
    fs::write(
        &long_line,
        neco_issue("2022-11-25", 16, "一行が百万文字の号", &line),
    )
    .unwrap();

    let blockquotes = dir.join("deep-blockquotes.md");
    let quoted = format!("{} Tenet", ">".repeat(100_000));
    fs::write(
        &blockquotes,
        neco_issue("2022-12-09", 18, "深い引用の号", &quoted),
    )
    .unwrap();

    let lists = dir.join("deep-lists.md");
    let listed = format!("{}Accurate", "- ".repeat(100_000));
    fs::write(
        &lists,
        neco_issue("2022-12-16", 19, "深いリストの号", &listed),
    )
    .unwrap();

    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");
    let run = build(dir, &output, &[]);

    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert_eq!(warnings_naming(&run.stderr, &good), Vec::<&str>::new());
    assert_eq!(warnings_naming(&run.stderr, &long_line), Vec::<&str>::new());
    // Flattening what is too deep may be worth a note; more than one is noise.
    assert!(
        warnings_naming(&run.stderr, &blockquotes).len() <= 1,
        "{}",
        run.stderr
    );
    assert!(
        warnings_naming(&run.stderr, &lists).len() <= 1,
        "{}",
        run.stderr
    );
    assert_csv_outputs_parse(&output);

    let issues = issues_by_source(&output);
    for (path, date) in [
        (&good, "2022-10-07"),
        (&long_line, "2022-11-25"),
        (&blockquotes, "2022-12-09"),
        (&lists, "2022-12-16"),
    ] {
        let row = issues
            .get(&shown(path))
            .unwrap_or_else(|| panic!("{} was not read", shown(path)));
        assert_eq!(row["date"], date);
        assert_eq!(row["items"], if path == &good { "2" } else { "1" });
    }
}

#[test]
fn strict_exits_1_and_writes_nothing() {
    let input = tempfile::tempdir().unwrap();
    copy_fixture(input.path(), "good-neco-weekly.md");
    let empty = copy_fixture(input.path(), "empty.md");
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &["--strict"]);

    assert_eq!(run.status.code(), Some(1), "stderr:\n{}", run.stderr);
    assert_one_warning(&run.stderr, &empty, "empty file");
    assert!(
        !output.exists(),
        "--strict with warnings must write nothing"
    );
}

#[test]
fn a_folder_without_any_readable_issue_is_an_error() {
    let input = tempfile::tempdir().unwrap();
    let empty = copy_fixture(input.path(), "empty.md");
    let png = input.path().join("screenshot.md");
    fs::write(&png, png_bytes()).unwrap();
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(2), "stderr:\n{}", run.stderr);
    assert_one_warning(&run.stderr, &empty, "empty file");
    assert_one_warning(&run.stderr, &png, "binary file");
    assert!(
        run.stderr.contains(&format!(
            "weeklygraph: error: no issue could be read from {}",
            shown(input.path())
        )),
        "stderr:\n{}",
        run.stderr
    );
    assert!(!output.exists());
}

#[test]
fn an_empty_folder_is_an_error() {
    let input = tempfile::tempdir().unwrap();
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(2), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains("no issue could be read from"),
        "stderr:\n{}",
        run.stderr
    );
    assert!(!output.exists());
}

#[test]
fn an_output_folder_holding_other_files_is_refused_and_left_untouched() {
    let input = tempfile::tempdir().unwrap();
    copy_fixture(input.path(), "good-neco-weekly.md");
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("thesis");
    fs::create_dir(&output).unwrap();
    fs::write(output.join("chapter1.md"), "my own writing\n").unwrap();
    fs::write(output.join("issues.csv"), "not weeklygraph's\n").unwrap();

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(2), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains("refusing to replace them"),
        "stderr:\n{}",
        run.stderr
    );
    let left: BTreeSet<String> = fs::read_dir(&output)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        BTreeSet::from(["chapter1.md".to_string(), "issues.csv".to_string()])
    );
    assert_eq!(
        fs::read_to_string(output.join("chapter1.md")).unwrap(),
        "my own writing\n"
    );
    assert_eq!(
        fs::read_to_string(output.join("issues.csv")).unwrap(),
        "not weeklygraph's\n"
    );
    let beside: Vec<_> = fs::read_dir(output_parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        beside,
        vec![OsStr::new("thesis").to_owned()],
        "no staging folder left"
    );
}

#[test]
fn the_same_issue_as_markdown_and_as_a_saved_page_is_counted_once() {
    let input = tempfile::tempdir().unwrap();
    let markdown = copy_fixture(input.path(), "duplicate/neco-weekly-2022-10-21.md");
    let html = copy_fixture(input.path(), "duplicate/neco-weekly-2022-10-21.html");
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert_eq!(
        warning_lines(&run.stderr).len(),
        1,
        "stderr:\n{}",
        run.stderr
    );
    // The saved page lost an item, so the Markdown copy is the one kept.
    assert_one_warning(&run.stderr, &html, "same issue as");
    let issues = read_table(&output.join("issues.csv"));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["source_path"], shown(&markdown));
    assert_eq!(issues[0]["date"], "2022-10-21");
    assert_eq!(issues[0]["items"], "3");
    assert_eq!(read_table(&output.join("items.csv")).len(), 3);
}

/// Opening a FIFO waits for a writer that never comes: the reader must look
/// at what a path is before it opens it.
#[test]
#[cfg(unix)]
fn a_fifo_is_skipped_without_waiting_for_a_writer() {
    let input = tempfile::tempdir().unwrap();
    let good = copy_fixture(input.path(), "good-neco-weekly.md");
    let fifo = input.path().join("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert_eq!(
        warnings_naming(&run.stderr, &fifo).len(),
        1,
        "{}",
        run.stderr
    );
    assert!(issues_by_source(&output).contains_key(&shown(&good)));
}

/// Two links pointing at each other are a loop, not a missing target.
#[test]
#[cfg(unix)]
fn links_pointing_at_each_other_are_called_a_loop() {
    let input = tempfile::tempdir().unwrap();
    copy_fixture(input.path(), "good-neco-weekly.md");
    let first = input.path().join("first.md");
    let second = input.path().join("second.md");
    std::os::unix::fs::symlink(&second, &first).unwrap();
    std::os::unix::fs::symlink(&first, &second).unwrap();
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert_one_warning(&run.stderr, &first, "loop");
    assert_one_warning(&run.stderr, &second, "loop");
}

/// html5ever checks the whole stack of open elements at each start tag, so
/// a page nested 100,000 deep costs minutes; browsers cap the depth instead.
#[test]
fn a_saved_page_nested_100000_deep_is_handled_in_time() {
    let input = tempfile::tempdir().unwrap();
    let good = copy_fixture(input.path(), "good-neco-weekly.md");
    let deep = input.path().join("deep.html");
    let page = format!(
        "<html><head><title>Neco Weekly (2022-12-09号)</title></head><body><article>\
         <h1>Neco Weekly (2022-12-09号)</h1><h2>News</h2><h3>深い入れ子の記事</h3>{}Tenet\
         </article></body></html>",
        "<blockquote>".repeat(100_000)
    );
    fs::write(&deep, page).unwrap();
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &[]);

    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert!(
        warnings_naming(&run.stderr, &deep).len() <= 1,
        "{}",
        run.stderr
    );
    assert_eq!(warnings_naming(&run.stderr, &good), Vec::<&str>::new());
    assert!(issues_by_source(&output).contains_key(&shown(&good)));
}

/// Emacs marks a file being edited with a dangling link `.#name`; a folder
/// holds links to pictures that moved. Neither would be read if it
/// resolved, so neither is worth a warning, nor a failure under --strict.
#[test]
#[cfg(unix)]
fn dangling_links_that_would_not_be_read_anyway_are_ignored() {
    let input = tempfile::tempdir().unwrap();
    let good = copy_fixture(input.path(), "good-neco-weekly.md");
    std::os::unix::fs::symlink(
        "root@build-host.4242:1700000000",
        input.path().join(".#good-neco-weekly.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        input.path().join("moved.png"),
        input.path().join("cover.png"),
    )
    .unwrap();
    let output_parent = tempfile::tempdir().unwrap();
    let output = output_parent.path().join("out");

    let run = build(input.path(), &output, &["--strict"]);

    assert_eq!(warning_lines(&run.stderr), Vec::<&str>::new());
    assert_eq!(run.status.code(), Some(0), "stderr:\n{}", run.stderr);
    assert!(issues_by_source(&output).contains_key(&shown(&good)));
}

/// Undated issues of one publication are named by publication and file:
/// `x/p/notes.md` and `y/p/notes.md` of "Notes" are both `notes-notes`, and
/// the suffix for the second must not land on `z/p/notes-2.md`'s own id.
/// (Numbered, because a page with neither date nor number is no issue.)
#[test]
fn colliding_issue_ids_get_a_free_suffix_and_one_warning() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    let issue = |title: &str| format!("# {title}\n\n## News\n\n### {title} item\n\nMOCO text\n");
    for (folder, file, title) in [
        ("x", "notes.md", "Notes No. 1"),
        ("y", "notes.md", "Notes No. 2"),
        ("z", "notes-2.md", "Notes No. 3"),
    ] {
        let folder = input.join(folder).join("p");
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(file), issue(title)).unwrap();
    }
    let output = work.path().join("out");
    let run = build(&input, &output, &["--sqlite"]);
    assert!(run.status.success(), "{}", run.stderr);
    let ids: Vec<String> = read_table(&output.join("issues.csv"))
        .into_iter()
        .map(|row| row["issue_id"].clone())
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(unique.len(), 3, "{ids:?}");
    assert!(
        ids.contains(&"notes-notes-2".to_string()) && ids.contains(&"notes-notes-3".to_string())
    );
    let items: Vec<String> = read_table(&output.join("items.csv"))
        .into_iter()
        .map(|row| row["item_id"].clone())
        .collect();
    assert_eq!(items.iter().collect::<BTreeSet<_>>().len(), 3, "{items:?}");
    let collisions: Vec<&str> = warning_lines(&run.stderr)
        .into_iter()
        .filter(|line| line.contains("issue id notes-notes is"))
        .collect();
    assert_eq!(collisions.len(), 1, "{}", run.stderr);
    assert!(
        collisions[0].ends_with("this issue is notes-notes-3"),
        "{}",
        collisions[0]
    );
    assert!(output.join("weeklygraph.db").is_file());
}

/// Builds `input` into a fresh folder and returns the run and the item
/// titles it found.
fn item_titles(input: &Path) -> (Run, Vec<String>) {
    let output = tempfile::tempdir().unwrap();
    let out = output.path().join("out");
    let run = build(input, &out, &[]);
    assert!(run.status.success(), "{}", run.stderr);
    let titles = read_table(&out.join("items.csv"))
        .into_iter()
        .map(|row| row["title"].clone())
        .collect();
    (run, titles)
}

/// Copies `from` into `to`, every line break replaced by `ending`.
fn copy_with_line_endings(from: &Path, to: &Path, ending: &str) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_with_line_endings(&path, &target, ending);
        } else {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(target, text.replace("\r\n", "\n").replace('\n', ending)).unwrap();
        }
    }
}

/// data/sample saved with each kind of line break gives the same items.
#[test]
fn cr_crlf_and_lf_line_endings_read_alike() {
    let work = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut tables = Vec::new();
    for (name, ending) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let input = work.path().join(name);
        copy_with_line_endings(&sample, &input, ending);
        let out = work.path().join(format!("out-{name}"));
        let run = build(&input, &out, &[]);
        assert!(run.status.success(), "{}", run.stderr);
        assert_eq!(warning_lines(&run.stderr), Vec::<&str>::new(), "{name}");
        let items: Vec<(String, String, String)> = read_table(&out.join("items.csv"))
            .into_iter()
            .map(|row| {
                (
                    row["item_id"].clone(),
                    row["section"].clone(),
                    row["title"].clone(),
                )
            })
            .collect();
        tables.push((name, items));
    }
    assert_eq!(tables[0].1.len(), 122);
    for (name, items) in &tables[1..] {
        assert_eq!(items, &tables[0].1, "{name} differs from LF");
    }
}

#[test]
fn a_stray_nul_byte_is_not_a_binary_file() {
    let input = tempfile::tempdir().unwrap();
    let mut text = neco_issue("2022-10-14", 11, "MOCO v0.14.0", "本文です。").into_bytes();
    text.insert(40, 0);
    text.insert(60, 0x01);
    let path = input.path().join("2022-10-14.md");
    fs::write(&path, text).unwrap();
    let (run, titles) = item_titles(input.path());
    assert_eq!(titles, ["MOCO v0.14.0"]);
    assert_one_warning(&run.stderr, &path, "1 NUL byte(s) replaced");
}

#[test]
fn utf16_without_a_byte_order_mark_is_decoded() {
    let input = tempfile::tempdir().unwrap();
    let text = neco_issue("2022-10-21", 12, "MOCO v0.15.0", "本文です。");
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text
        .replace("2022-10-21", "2022-10-28")
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    fs::write(input.path().join("le.md"), le).unwrap();
    fs::write(input.path().join("be.md"), be).unwrap();
    let (run, titles) = item_titles(input.path());
    assert_eq!(warning_lines(&run.stderr), Vec::<&str>::new());
    assert_eq!(titles, ["MOCO v0.15.0", "MOCO v0.15.0"]);
}

/// As root, which reads any folder, the run is made as `nobody`.
#[test]
#[cfg(unix)]
fn an_unreadable_folder_and_an_over_long_path_are_one_warning_each() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    fs::set_permissions(work.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let input = work.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(
        input.join("2022-11-04.md"),
        neco_issue("2022-11-04", 13, "MOCO v0.16.0", "本文です。"),
    )
    .unwrap();
    let locked = input.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(
        locked.join("2022-11-11.md"),
        neco_issue("2022-11-11", 14, "x", "y"),
    )
    .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Past PATH_MAX (4096 on Linux), made one step at a time.
    let mut deep = input.clone();
    let mut too_long = None;
    for _ in 0..20 {
        let next = deep.join("d".repeat(250));
        if std::fs::create_dir(&next).is_err() {
            break;
        }
        if next.as_os_str().len() > 4096 && too_long.is_none() {
            too_long = Some(next.clone());
        }
        deep = next;
    }
    let as_root = !permissions_are_enforced(work.path());
    let have_setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok();
    let out = work.path().join("out");
    let mut command = if as_root && have_setpriv {
        let mut command = std::process::Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(common::weeklygraph().get_program());
        command
    } else {
        common::weeklygraph()
    };
    let result = command
        .args(["build", "--no-render", "--quiet", "-o"])
        .arg(&out)
        .arg(&input)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert!(result.status.success(), "{stderr}");
    if !as_root || have_setpriv {
        assert_one_warning(&stderr, &locked, "cannot open folder: permission denied");
    }
    if too_long.is_some() {
        let long: Vec<&str> = warning_lines(&stderr)
            .into_iter()
            .filter(|line| line.contains("too long"))
            .collect();
        assert_eq!(long.len(), 1, "{stderr}");
    }
    let _ = fs::remove_dir_all(input.join("d".repeat(250)));
}

#[test]
#[cfg(unix)]
fn folder_links_leaving_the_inputs_are_not_followed() {
    use std::os::unix::fs::symlink;
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    let outside = work.path().join("outside");
    fs::create_dir_all(input.join("real")).unwrap();
    fs::create_dir(&outside).unwrap();
    fs::write(
        input.join("real/2022-11-18.md"),
        neco_issue("2022-11-18", 15, "MOCO v0.17.0", "本文です。"),
    )
    .unwrap();
    fs::write(
        outside.join("2022-11-25.md"),
        neco_issue("2022-11-25", 16, "Outside", "本文です。"),
    )
    .unwrap();
    symlink("/", input.join("root")).unwrap();
    symlink("/sys/class", input.join("sys")).unwrap();
    symlink(&outside, input.join("away")).unwrap();
    symlink(input.join("real"), input.join("again")).unwrap();
    let (run, titles) = item_titles(&input);
    assert_eq!(titles, ["MOCO v0.17.0"], "{}", run.stderr);
    assert_one_warning(
        &run.stderr,
        &input.join("root"),
        "a system folder; not followed",
    );
    assert_one_warning(
        &run.stderr,
        &input.join("sys"),
        "a system folder; not followed",
    );
    assert_one_warning(
        &run.stderr,
        &input.join("away"),
        "outside the inputs; not followed",
    );
    assert_eq!(
        warnings_naming(&run.stderr, &input.join("again")),
        Vec::<&str>::new()
    );
}

#[test]
fn hidden_folders_and_output_folders_are_not_read_as_input() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    fs::create_dir_all(input.join(".git")).unwrap();
    fs::write(
        input.join("2022-12-02.md"),
        neco_issue("2022-12-02", 17, "MOCO v0.18.0", "本文です。"),
    )
    .unwrap();
    fs::write(
        input.join(".git/2022-12-09.md"),
        neco_issue("2022-12-09", 18, "Hidden", "本文です。"),
    )
    .unwrap();
    let earlier = input.join("old-output");
    let made = build(&input, &work.path().join("old-output"), &[]);
    assert!(made.status.success(), "{}", made.stderr);
    fs::rename(work.path().join("old-output"), &earlier).unwrap();
    let (run, titles) = item_titles(&input);
    assert_eq!(titles, ["MOCO v0.18.0"], "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "weeklygraph: note: {}: hidden folder; not searched for issues",
            shown(&input.join(".git"))
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("a weeklygraph output folder; not searched"),
        "{}",
        run.stderr
    );
}

#[test]
#[cfg(unix)]
fn control_characters_in_file_names_are_escaped_in_warnings() {
    let input = tempfile::tempdir().unwrap();
    fs::write(
        input.path().join("2022-12-16.md"),
        neco_issue("2022-12-16", 19, "MOCO", "本文です。"),
    )
    .unwrap();
    let forged = "x\nweeklygraph: 0 issues, 0 items, 0 warnings\x1b[2J.md";
    fs::write(input.path().join(forged), png_bytes()).unwrap();
    let output = tempfile::tempdir().unwrap();
    let run = build(input.path(), &output.path().join("out"), &[]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    assert!(
        !run.stderr
            .lines()
            .any(|l| l.starts_with("weeklygraph: 0 issues")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("x\\nweeklygraph: 0 issues"),
        "{}",
        run.stderr
    );
}

/// `--jobs` files of the default `--max-file-size` fit in 1 GB while they
/// are read: 2 MiB each with 8 threads, 16 MiB with one.
#[test]
fn the_default_size_limit_shrinks_with_the_thread_count() {
    let input = tempfile::tempdir().unwrap();
    let item = "### MOCO v0.13.0\n\nMOCO と MySQL の話です。\n\n";
    let text = format!(
        "# Neco Weekly (2023-03-03号)\n\n## News\n\n{}",
        item.repeat(3_000_000 / item.len())
    );
    let path = input.path().join("2023-03-03.md");
    fs::write(&path, text).unwrap();
    let output = tempfile::tempdir().unwrap();
    let eight = build(input.path(), &output.path().join("eight"), &["--jobs", "8"]);
    assert_eq!(eight.status.code(), Some(2), "{}", eight.stderr);
    assert_one_warning(&eight.stderr, &path, "over --max-file-size (2097152 bytes)");
    let one = build(input.path(), &output.path().join("one"), &["--jobs", "1"]);
    assert!(one.status.success(), "{}", one.stderr);
    assert_eq!(warnings_naming(&one.stderr, &path), Vec::<&str>::new());
}

#[test]
fn front_matter_nested_100000_deep_is_refused_in_time() {
    let input = tempfile::tempdir().unwrap();
    let path = input.path().join("2023-03-10.md");
    let yaml = format!(
        "title: x\ntags: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let body = neco_issue("2023-03-10", 20, "MOCO v0.19.0", "本文です。");
    fs::write(&path, format!("---\n{yaml}---\n{body}")).unwrap();
    let output = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let run = build(input.path(), &output.path().join("out"), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert_one_warning(
        &run.stderr,
        &path,
        "front matter nests deeper than 64 levels",
    );
}
