//! One module per subcommand. Each owns its options and a `run` that loads
//! what it needs, asks the library, and prints. Output goes through
//! [`stdout`] with `writeln!`, so a closed pipe comes back as an error that
//! [`crate::cli::main`] treats as the reader being done.

pub mod args;
pub mod build;
pub mod candidates;
pub mod dict;
pub mod entity;
pub mod neighbors;
pub mod render;
pub mod trends;

use std::io::{BufWriter, IsTerminal, StdoutLock};

/// Standard output, locked once and buffered: the commands print line by
/// line. Flush it before returning so a write error is seen, not dropped.
pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::new(std::io::stdout().lock())
}

/// Text for the terminal: control characters (a newline in a file name
/// that would forge a line, an escape sequence) shown escaped, as Rust
/// writes them (`\n`, `\u{1b}`), so every message stays one line.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// ANSI colours, or nothing when stdout is not a terminal or NO_COLOR is set.
pub struct Paint {
    on: bool,
}

impl Paint {
    pub fn detect() -> Paint {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            on: std::io::stdout().is_terminal() && !no_color,
        }
    }

    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}
