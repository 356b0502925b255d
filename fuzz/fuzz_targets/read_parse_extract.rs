//! read → parse → extract over arbitrary bytes; see fuzz/harness.rs.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use weeklygraph::extract::{Dictionary, Extractor};

include!("../harness.rs");

static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::new(Dictionary::builtin().expect("the built-in dictionary loads")));

fuzz_target!(|data: &[u8]| {
    let _ = read_parse_extract(&EXTRACTOR, data);
});
