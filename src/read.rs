//! Read: find the input files and turn their bytes into text.
//!
//! Everything that can go wrong with a file — missing, unreadable, a broken
//! symlink, binary, empty, too large, an unknown encoding — becomes a
//! [`Warning`] naming the file; the run goes on with the rest.

pub mod site;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{EUC_JP, Encoding, SHIFT_JIS, UTF_8};

use crate::model::Warning;

/// The largest `--max-file-size` default: no newsletter issue comes near
/// it (the largest in the corpora is under 30 KB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Reading, parsing and extracting an issue takes up to this many bytes of
/// memory per byte of the file (measured: 30 to 56 for issues of 7 to
/// 60 MB made of short items), until its record is spilled to disk.
pub const MEMORY_PER_FILE_BYTE: u64 = 64;

/// What `jobs` threads, each reading a file at most this large, may use
/// together.
const READING_MEMORY_BUDGET: u64 = 1024 * 1024 * 1024;

/// The `--max-file-size` default for `jobs` threads: `jobs` files of that
/// size fit in 1 GB while they are read.
pub fn default_max_file_size(jobs: usize) -> u64 {
    let per_file = READING_MEMORY_BUDGET / MEMORY_PER_FILE_BYTE / (jobs.max(1) as u64);
    per_file.min(DEFAULT_MAX_FILE_SIZE)
}

/// File name extensions searched for in folders. A file named on the
/// command line is read whatever its name.
const ISSUE_EXTENSIONS: &[&str] = &[
    "md", "markdown", "mdown", "mkd", "mdx", "txt", "text", "html", "htm", "xhtml", "xml", "rss",
    "atom", "json",
];

/// One input file's text, decoded.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The path as the user would write it (used in messages and outputs).
    pub display: String,
    pub text: String,
    /// Problems that did not stop the file from being read.
    pub warnings: Vec<Warning>,
}

/// Files to read, in a stable order, and the inputs that could not be used.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub warnings: Vec<Warning>,
    /// Folders deliberately not searched (hidden ones, output folders):
    /// worth telling, not a problem.
    pub notes: Vec<Warning>,
}

/// Folders a link may never lead the walk into: endless or huge, and
/// never newsletter issues.
const SYSTEM_FOLDERS: &[&str] = &["/proc", "/sys", "/dev"];

/// Expands the inputs (files and folders, searched recursively) into the
/// files to read, sorted and without duplicates. Hidden folders and
/// weeklygraph's own output folders are not searched; a folder link is
/// followed only when it leads to a place inside the inputs.
pub fn discover(inputs: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    let roots: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|input| fs::canonicalize(input).ok())
        .filter(|root| root.is_dir())
        .collect();
    for input in inputs {
        match fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk_folder(input, &roots, &mut found),
            Ok(_) => found.files.push(input.clone()),
            Err(err) => found.warnings.push(Warning::new(
                display_path(input),
                unopenable_reason(input, &err),
            )),
        }
    }
    found.files.sort();
    found.files.dedup();
    // One file reached by two paths (a link inside the inputs) is read once.
    let mut seen = std::collections::BTreeSet::new();
    found
        .files
        .retain(|path| seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    found
}

/// Why a folder below an input is not searched, if it is not.
fn skipped_folder(entry: &walkdir::DirEntry, roots: &[PathBuf]) -> Option<(bool, String)> {
    let path = entry.path();
    if entry.depth() == 0 || !entry.file_type().is_dir() {
        return None;
    }
    if is_hidden(path) {
        return Some((false, "hidden folder; not searched for issues".into()));
    }
    if path.join(crate::export::MARKER_FILE).is_file() {
        return Some((
            false,
            "a weeklygraph output folder; not searched for issues".into(),
        ));
    }
    if !entry.path_is_symlink() {
        return None;
    }
    let Ok(real) = fs::canonicalize(path) else {
        return None;
    };
    if SYSTEM_FOLDERS.iter().any(|system| real.starts_with(system)) || real == Path::new("/") {
        return Some((
            true,
            format!(
                "links to {}, a system folder; not followed",
                display_path(&real)
            ),
        ));
    }
    if !roots.iter().any(|root| real.starts_with(root)) {
        return Some((
            true,
            format!(
                "links to {}, outside the inputs; not followed",
                display_path(&real)
            ),
        ));
    }
    None
}

fn walk_folder(folder: &Path, roots: &[PathBuf], found: &mut Discovered) {
    let mut skipped: Vec<(PathBuf, bool, String)> = Vec::new();
    let walker = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| match skipped_folder(entry, roots) {
            Some((is_problem, reason)) => {
                skipped.push((entry.path().to_path_buf(), is_problem, reason));
                false
            }
            None => true,
        });
    let mut walked = Discovered::default();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.file_type().is_dir() {
                    if entry.depth() > 0 && has_issue_extension(path) {
                        walked.warnings.push(Warning::new(
                            display_path(path),
                            "is a folder, not a file, though named like one; searched as a folder",
                        ));
                    }
                    continue;
                }
                if is_hidden(path) || !has_issue_extension(path) {
                    continue;
                }
                walked.files.push(path.to_path_buf());
            }
            Err(err) => {
                let path = err.path().unwrap_or(folder);
                let is_folder = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
                let reason = match (err.loop_ancestor(), err.io_error()) {
                    (Some(_), _) => "symbolic link loop; not followed".to_string(),
                    (None, Some(io)) if is_folder => {
                        format!("cannot open folder: {}", io_reason(io))
                    }
                    // A dangling link that would not have been read anyway
                    // (an editor's `.#name` lock, `cover.png`) is no problem.
                    (None, _)
                        if fs::symlink_metadata(path).is_ok()
                            && (is_hidden(path) || !has_issue_extension(path)) =>
                    {
                        continue;
                    }
                    (None, Some(io)) => unopenable_reason(path, io),
                    (None, None) => err.to_string(),
                };
                walked
                    .warnings
                    .push(Warning::new(display_path(path), reason));
            }
        }
    }
    for (path, is_problem, reason) in skipped {
        let told = Warning::new(display_path(&path), reason);
        if is_problem {
            walked.warnings.push(told);
        } else {
            walked.notes.push(told);
        }
    }
    found.files.append(&mut walked.files);
    found.warnings.append(&mut walked.warnings);
    found.notes.append(&mut walked.notes);
}

fn has_issue_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ISSUE_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(e))
    })
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// A path as shown to the user: as given, with `/` separators.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads and decodes one file.
pub fn read_source(path: &Path, max_file_size: u64) -> Result<SourceText, Warning> {
    let display = display_path(path);
    let fail = |reason: String| Warning::new(display.clone(), reason);

    let meta = fs::metadata(path).map_err(|e| fail(format!("cannot open: {}", io_reason(&e))))?;
    if meta.is_dir() {
        return Err(fail("is a folder, not a file".into()));
    }
    // Opening a FIFO waits for a writer forever; a device never ends.
    if !meta.is_file() {
        return Err(fail(
            "not a regular file (a FIFO, socket or device); skipped".into(),
        ));
    }
    if meta.len() > max_file_size {
        return Err(fail(format!(
            "{} bytes is over --max-file-size ({max_file_size} bytes); skipped",
            meta.len()
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|file| file.take(max_file_size + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(format!("cannot read: {}", io_reason(&e))))?;
    if bytes.len() as u64 > max_file_size {
        return Err(fail(format!(
            "over --max-file-size ({max_file_size} bytes); skipped"
        )));
    }

    let (text, warnings) = decode_owned(bytes).map_err(fail)?;
    if text.trim().is_empty() {
        return Err(fail("empty file".into()));
    }
    Ok(SourceText {
        warnings: warnings
            .into_iter()
            .map(|w| Warning::new(display.clone(), w))
            .collect(),
        display,
        text,
    })
}

/// [`decode`] taking the bytes: text that is UTF-8 already (most of it)
/// becomes the `String` without a copy.
fn decode_owned(bytes: Vec<u8>) -> Result<(String, Vec<String>), String> {
    let plain_utf8 = Encoding::for_bom(&bytes).is_none()
        && utf16_without_bom(&bytes).is_none()
        && !looks_binary(&bytes);
    if plain_utf8 {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok(tidy(text, Vec::new())),
            Err(err) => return decode(err.as_bytes()),
        }
    }
    decode(&bytes)
}

/// Decodes a file's bytes: UTF-8, UTF-16 (with a BOM, or without one when
/// its zero bytes say so) or UTF-8 with a BOM, EUC-JP and Shift_JIS.
/// Returns the text, with every line break made `\n`, and notes worth a
/// warning, or why it is not text at all.
pub fn decode(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    decode_raw(bytes).map(|(text, notes)| tidy(text, notes))
}

fn decode_raw(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let mut notes = Vec::new();
        if had_errors {
            notes.push(format!("invalid {} bytes replaced", encoding.name()));
        }
        return Ok((text.into_owned(), notes));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        let mut notes = Vec::new();
        if had_errors {
            notes.push(format!("invalid {} bytes replaced", encoding.name()));
        }
        return Ok((text.into_owned(), notes));
    }
    if looks_binary(bytes) {
        return Err("binary file, not text; skipped".into());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), Vec::new()));
    }
    // Text that is UTF-8 but for a few damaged bytes stays UTF-8: a legacy
    // decoder would turn all of it into nonsense.
    let (lossy, _) = UTF_8.decode_without_bom_handling(bytes);
    let replaced = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
    let total = lossy.chars().count().max(1);
    if replaced * 100 <= total {
        return Ok((
            lossy.into_owned(),
            vec![format!(
                "{replaced} invalid UTF-8 byte sequence(s) replaced"
            )],
        ));
    }
    // EUC-JP first: Shift_JIS accepts most EUC-JP byte pairs as nonsense,
    // while EUC-JP rejects Shift_JIS's lead bytes.
    for encoding in [EUC_JP, SHIFT_JIS] {
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            return Ok((text.into_owned(), Vec::new()));
        }
    }
    Err("not UTF-8, UTF-16, EUC-JP or Shift_JIS text; skipped".into())
}

/// Line breaks of every kind read alike: a lone CR (old Mac files) becomes
/// `\n`; CRLF is left to the parsers, which read it as one break. A NUL
/// byte in text is replaced and told.
fn tidy(mut text: String, mut notes: Vec<String>) -> (String, Vec<String>) {
    if text.contains('\0') {
        let nuls = text.bytes().filter(|&b| b == 0).count();
        text = text.replace('\0', "\u{FFFD}");
        notes.push(format!("{nuls} NUL byte(s) replaced"));
    }
    let bytes = text.as_bytes();
    let lone_cr = |at: usize| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n');
    if text.contains('\r') && (0..bytes.len()).any(lone_cr) {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' && chars.peek() != Some(&'\n') {
                out.push('\n');
            } else {
                out.push(c);
            }
        }
        text = out;
    }
    (text, notes)
}

/// UTF-16 without a byte-order mark: text whose ASCII characters leave a
/// zero byte in every other place. Most of the head's odd (or even) bytes
/// are zero and almost none of the others.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    if head.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let mostly = |n: usize| n * 10 >= pairs * 3;
    let hardly = |n: usize| n * 20 <= pairs;
    let encoding = if mostly(zero_odd) && hardly(zero_even) {
        encoding_rs::UTF_16LE
    } else if mostly(zero_even) && hardly(zero_odd) {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    // Binary data can have that shape too; text decodes cleanly.
    let (text, had_errors) = encoding.decode_without_bom_handling(head);
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    (!had_errors && controls * 20 <= text.chars().count()).then_some(encoding)
}

/// Binary: more than one byte in twenty of the first 8 KB a control
/// character that text does not have (NUL included). A NUL or two in a
/// Markdown file does not make it binary.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    // Sums of comparisons without branches, in byte-wide counters of 128
    // bytes each, run over whole vectors: this looks at the first 8 KB of
    // every file.
    let controls: usize = head
        .chunks(128)
        .map(|chunk| {
            chunk.iter().fold(0u8, |count, &b| {
                let text_control =
                    (b == b'\n') | (b == b'\r') | (b == b'\t') | (b == 0x0c) | (b == 0x1b);
                count + u8::from((b < 0x20) & !text_control)
            })
        })
        .map(usize::from)
        .sum();
    controls * 20 > head.len().max(1)
}

/// Why a path that exists as a name cannot be opened: a link to nowhere, a
/// loop of links, or what the system said.
fn unopenable_reason(path: &Path, err: &std::io::Error) -> String {
    if is_link_loop(err) {
        return "symbolic link loop; not followed".into();
    }
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return "broken symbolic link".into();
    }
    format!("cannot open: {}", io_reason(err))
}

/// `ErrorKind::FilesystemLoop` is not stable yet; ELOOP is 40 on Linux and
/// 62 on macOS and the BSDs.
fn is_link_loop(err: &std::io::Error) -> bool {
    let eloop = if cfg!(target_os = "linux") { 40 } else { 62 };
    cfg!(unix) && err.raw_os_error() == Some(eloop)
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_japanese_legacy_encodings() {
        let text = "Neco Weekly (2022-07-29号) マルチテナンシー";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let (euc, _, _) = EUC_JP.encode(text);
        assert_eq!(decode(&sjis).unwrap().0, text);
        assert_eq!(decode(&euc).unwrap().0, text);
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "# Neco Weekly".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().0, "# Neco Weekly");
    }

    #[test]
    fn keeps_mostly_utf8_text_and_says_so() {
        let mut bytes = "日本語のテキストです。".repeat(20).into_bytes();
        bytes.insert(30, 0xFF);
        let (text, notes) = decode(&bytes).unwrap();
        assert!(text.contains('\u{FFFD}'));
        assert_eq!(
            notes,
            vec!["1 invalid UTF-8 byte sequence(s) replaced".to_string()]
        );
    }

    proptest::proptest! {
        #[test]
        fn binary_check_counts_controls_as_a_filter_would(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![1 => 0u8..0x20, 16 => 0x20u8..=0xff],
                0..10_000,
            )
        ) {
            let head = &bytes[..bytes.len().min(8192)];
            let controls = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
                .count();
            proptest::prop_assert_eq!(looks_binary(&bytes), controls * 20 > head.len().max(1));
        }
    }

    #[test]
    fn refuses_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        assert_eq!(decode(png).unwrap_err(), "binary file, not text; skipped");
    }
}
