//! Parse: decoded text → [`Issue`] (issue → section → item), whatever the
//! format, detected from content.

use crate::model::{Issue, Warning};

/// A parsed issue and the problems worth telling the user about
/// (no date found, …).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub issue: Issue,
    pub warnings: Vec<Warning>,
}

/// Parses one file's text. `path` is the file as the user named it (used in
/// warnings, the source_path column, and as the last resort for the date and
/// the publication). An `Err` means there is no issue in it at all.
pub fn parse(path: &str, text: &str) -> Result<Parsed, Warning> {
    let _ = text;
    Err(Warning::new(path, "parser not written yet"))
}
