// The fuzz target's body, shared by fuzz/fuzz_targets/read_parse_extract.rs
// and tests/fuzz_regressions.rs (both `include!` it), so that a regression
// input replays exactly as the fuzzer ran it.

/// read → parse → extract over arbitrary bytes. The first byte picks the
/// entry point, so the fuzzer reaches each parser even from random input:
/// the bytes as a file of their own, or as the body of a Markdown, a saved
/// HTML or an LWKD (front matter) issue. Returns the extracted record when
/// the bytes decode and parse as an issue.
pub fn read_parse_extract(
    extractor: &weeklygraph::extract::Extractor,
    data: &[u8],
) -> Option<weeklygraph::model::IssueRecord> {
    let (&selector, rest) = data.split_first()?;
    let (text, _notes) = weeklygraph::read::decode(rest).ok()?;
    let text = match selector % 4 {
        // As given: format detection decides.
        0 => text,
        1 => format!("# Neco Weekly (2022-07-29号)\n\n{text}"),
        2 => format!(
            "<html><body><article><h1>Neco Weekly (2022-07-29号)</h1>{text}</article></body></html>"
        ),
        _ => format!("---\ntitle: Week Ending January 14, 2018\ndate: 2018-01-15\n---\n{text}"),
    };
    let parsed = weeklygraph::parse::parse("fuzz/input.md", &text).ok()?;
    Some(extractor.extract(&parsed.issue))
}
