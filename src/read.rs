//! Read: find the input files and turn their bytes into text.
//!
//! Everything that can go wrong with a file — missing, unreadable, a broken
//! symlink, binary, empty, too large, an unknown encoding — becomes a
//! [`Warning`] naming the file; the run goes on with the rest.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{EUC_JP, Encoding, SHIFT_JIS, UTF_8};

use crate::model::Warning;

/// The default `--max-file-size`: no newsletter issue comes near it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

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
}

/// Expands the inputs (files and folders, searched recursively) into the
/// files to read, sorted and without duplicates.
pub fn discover(inputs: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for input in inputs {
        match fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk_folder(input, &mut found),
            Ok(_) => found.files.push(input.clone()),
            Err(err) => found.warnings.push(Warning::new(
                display_path(input),
                unopenable_reason(input, &err),
            )),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk_folder(folder: &Path, found: &mut Discovered) {
    let walker = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.file_type().is_dir() {
                    if entry.depth() > 0 && has_issue_extension(path) {
                        found.warnings.push(Warning::new(
                            display_path(path),
                            "is a folder, not a file, though named like one; searched as a folder",
                        ));
                    }
                    continue;
                }
                if is_hidden(path) || !has_issue_extension(path) {
                    continue;
                }
                found.files.push(path.to_path_buf());
            }
            Err(err) => {
                let path = err.path().unwrap_or(folder);
                let reason = match (err.loop_ancestor(), err.io_error()) {
                    (Some(_), _) => "symbolic link loop; not followed".to_string(),
                    // A dangling link that would not have been read anyway
                    // (an editor's `.#name` lock, `cover.png`) is no problem.
                    (None, _) if is_hidden(path) || !has_issue_extension(path) => continue,
                    (None, Some(io)) => unopenable_reason(path, io),
                    (None, None) => err.to_string(),
                };
                found
                    .warnings
                    .push(Warning::new(display_path(path), reason));
            }
        }
    }
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
    let plain_utf8 = Encoding::for_bom(&bytes).is_none() && !looks_binary(&bytes);
    if plain_utf8 {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok((text, Vec::new())),
            Err(err) => return decode(err.as_bytes()),
        }
    }
    decode(&bytes)
}

/// Decodes a file's bytes: UTF-8, UTF-16 or UTF-8 with a BOM, EUC-JP and
/// Shift_JIS. Returns the text and notes worth a warning, or why it is not
/// text at all.
pub fn decode(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
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

/// NUL bytes or control characters that text does not have.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
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
                proptest::prop_oneof![1 => 1u8..0x20, 16 => 0x20u8..=0xff],
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
