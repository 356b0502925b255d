//! A floor for `scripts/bench`: what the design card's Markdown parser
//! costs on its own, with every event thrown away, over every `.md` and
//! `.markdown` file under a folder, on every core. No build can take less time than this
//! plus writing its outputs.
//!
//!     cargo run --release --example markdown_floor -- FOLDER

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;

fn main() {
    let Some(folder) = std::env::args().nth(1) else {
        eprintln!("usage: markdown_floor FOLDER");
        std::process::exit(2);
    };
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown")
        })
        .map(|entry| entry.into_path())
        .collect();
    // The same extensions as src/parse/markdown.rs.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let (bytes, events) = files
        .par_iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .map(|text| (text.len(), Parser::new_ext(&text, options).count()))
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {bytes} bytes, {events} events", files.len());
}
