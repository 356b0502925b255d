//! read → parse → extract over arbitrary bytes. The first byte picks the
//! entry point, so the fuzzer reaches each parser even from random input.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use weeklygraph::extract::{Dictionary, Extractor};

static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::new(Dictionary::builtin().expect("the built-in dictionary loads")));

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok((text, _notes)) = weeklygraph::read::decode(rest) else {
        return;
    };
    let text = match selector % 4 {
        // As given: format detection decides.
        0 => text,
        1 => format!("# Neco Weekly (2022-07-29号)\n\n{text}"),
        2 => format!("<html><body><article><h1>Neco Weekly (2022-07-29号)</h1>{text}</article></body></html>"),
        _ => format!("---\ntitle: Week Ending January 14, 2018\ndate: 2018-01-15\n---\n{text}"),
    };
    if let Ok(parsed) = weeklygraph::parse::parse("fuzz/input.md", &text) {
        let _ = EXTRACTOR.extract(&parsed.issue);
    }
});
