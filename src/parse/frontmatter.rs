//! Front matter: a YAML block between `---` lines (Jekyll, LWKD,
//! Docusaurus), a TOML block between `+++` lines (Hugo) or Pelican headers
//! (`Title:`, `Date:`, `Number:` up to the first blank line; This Week in
//! Rust).

use std::sync::LazyLock;

use regex::Regex;

/// The fields the parser uses, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub number: Option<String>,
    /// The newsletter, where the page says: `publication`, `newsletter`
    /// or `series` (the first of a list).
    pub publication: Option<String>,
    /// Where the page is published, as its front matter says: `url` or
    /// `permalink` (absolute, or a path on the site).
    pub url: Option<String>,
    /// `slug` (Jekyll, Pelican, Hugo): the page's name in its URL.
    pub slug: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split<'a> {
    /// No front matter: the whole text is the body.
    None,
    Found {
        fields: FrontMatter,
        body: &'a str,
        /// A problem worth a warning (YAML that does not parse).
        problem: Option<String>,
    },
    /// An opening `---` never closed: read the text as if it had none.
    Unterminated,
}

pub fn split(text: &str) -> Split<'_> {
    if let Some(split) = split_yaml(text) {
        return split;
    }
    if let Some(split) = split_toml(text) {
        return split;
    }
    split_pelican(text).unwrap_or(Split::None)
}

/// A block opened by the text's first line and closed by a line of its own.
enum Fence<'a> {
    Closed { block: &'a str, body: &'a str },
    Unclosed,
}

/// The block fenced by a first line `opening` and the next line that is
/// one of `closing`; `None` when the text does not open with the fence.
fn fenced<'a>(text: &'a str, opening: &str, closing: &[&str]) -> Option<Fence<'a>> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != opening {
        return None;
    }
    let block_start = (first_line_end + 1).min(text.len());
    let mut offset = block_start;
    for line in text[block_start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        if closing.contains(&line.trim_end()) {
            return Some(Fence::Closed {
                block: &text[block_start..line_start],
                body: &text[offset..],
            });
        }
    }
    Some(Fence::Unclosed)
}

fn split_yaml(text: &str) -> Option<Split<'_>> {
    Some(match fenced(text, "---", &["---", "..."])? {
        Fence::Closed { block, body } => {
            let (fields, problem) = fields_of_yaml_text(block);
            Split::Found {
                fields,
                body,
                problem,
            }
        }
        Fence::Unclosed => Split::Unterminated,
    })
}

/// Deeper front matter is refused before serde_yaml, whose time grows with
/// the square of the depth (100 000 levels took 37 s).
const MAX_YAML_DEPTH: usize = 64;

/// An upper bound of how deep YAML nests: flow brackets open at once, or a
/// line's indentation plus its leading `- ` and `? ` markers.
fn nesting_depth(yaml: &str) -> usize {
    let mut deepest = 0;
    let mut flow = 0usize;
    for line in yaml.lines() {
        let rest = line.trim_start_matches([' ', '\t']);
        let mut block = line.len() - rest.len();
        let mut markers = rest;
        while let Some(next) = markers
            .strip_prefix("- ")
            .or_else(|| markers.strip_prefix("? "))
        {
            block += 2;
            markers = next.trim_start_matches(' ');
        }
        deepest = deepest.max(block / 2);
        for byte in rest.bytes() {
            match byte {
                b'[' | b'{' => {
                    flow += 1;
                    deepest = deepest.max(flow);
                }
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
    }
    deepest
}

/// The fields of a YAML block, or why it does not parse.
fn fields_of_yaml_text(yaml: &str) -> (FrontMatter, Option<String>) {
    if let Some(fields) = simple_fields(yaml) {
        return (fields, None);
    }
    if nesting_depth(yaml) > MAX_YAML_DEPTH {
        return (
            FrontMatter::default(),
            Some(format!(
                "front matter nests deeper than {MAX_YAML_DEPTH} levels; its fields are ignored"
            )),
        );
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(value) => (fields_of_yaml(&value), None),
        Err(err) => (
            FrontMatter::default(),
            Some(format!(
                "front matter is not valid YAML ({err}); its fields are ignored"
            )),
        ),
    }
}

/// The fields of front matter made only of `key: text` lines, read
/// without a YAML parser (which costs more than the rest of the header's
/// parsing). `None` for anything else, and for every line whose meaning to
/// YAML is not plainly a string key with a string (or empty) value: those
/// go to serde_yaml, which has the last word.
fn simple_fields(yaml: &str) -> Option<FrontMatter> {
    let mut pairs: Vec<(&str, Option<&str>)> = Vec::new();
    for line in yaml.split_terminator('\n') {
        let (key, value) = simple_line(line)?;
        if pairs.iter().any(|(seen, _)| *seen == key) {
            return None; // YAML refuses duplicate keys.
        }
        pairs.push((key, value));
    }
    if pairs.is_empty() {
        return None;
    }
    let field = |name: &str| -> Option<String> {
        pairs.iter().find_map(|(key, value)| {
            if !key.eq_ignore_ascii_case(name) {
                return None;
            }
            let text = (*value)?.trim();
            (!text.is_empty()).then(|| text.to_string())
        })
    };
    Some(FrontMatter {
        title: field("title"),
        date: field("date"),
        number: field("number").or_else(|| field("issue")),
        publication: field("publication")
            .or_else(|| field("newsletter"))
            .or_else(|| field("series")),
        url: field("url").or_else(|| field("permalink")),
        slug: field("slug"),
    })
}

/// `key: value` or `key:` on one line, ASCII only, when YAML reads it as
/// a string key and a plain string value (`None` for an empty value, YAML's
/// null). Quotes, comments, indentation, flow collections, numbers,
/// booleans and nulls are all left to the YAML parser.
fn simple_line(line: &str) -> Option<(&str, Option<&str>)> {
    let bytes = line.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() || !bytes.iter().all(|&b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    let key_length = bytes
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        .count();
    let (key, rest) = line.split_at(key_length);
    if is_yaml_keyword(key) {
        return None;
    }
    let rest = rest.strip_prefix(':')?;
    if rest.is_empty() {
        return Some((key, None));
    }
    if !rest.starts_with(' ') {
        return None;
    }
    let value = rest.trim_matches(' ');
    if value.is_empty() {
        return Some((key, None));
    }
    let first = value.as_bytes()[0];
    let plain_string = if first.is_ascii_digit() {
        // A character no number has: `2018-01-14-update`, `08:00:00 -0000`.
        value
            .bytes()
            .any(|b| !b"0123456789abcdefABCDEFxXoObB.+-".contains(&b))
    } else {
        first.is_ascii_alphabetic() && !is_yaml_keyword(value)
    };
    // `: ` would open a mapping, ` #` a comment, a final `:` a mapping.
    let plain = !value.contains(": ") && !value.contains(" #") && !value.ends_with(':');
    (plain_string && plain).then_some((key, Some(value)))
}

/// Words YAML reads as a boolean, a null or a float rather than a string.
fn is_yaml_keyword(word: &str) -> bool {
    ["true", "false", "null", "inf", "infinity", "nan"]
        .iter()
        .any(|keyword| keyword.eq_ignore_ascii_case(word))
}

fn fields_of_yaml(value: &serde_yaml::Value) -> FrontMatter {
    let Some(mapping) = value.as_mapping() else {
        return FrontMatter::default();
    };
    let field = |name: &str| -> Option<String> {
        mapping.iter().find_map(|(key, value)| {
            let key = key.as_str()?;
            if !key.eq_ignore_ascii_case(name) {
                return None;
            }
            scalar_text(value)
        })
    };
    FrontMatter {
        title: field("title"),
        date: field("date"),
        number: field("number").or_else(|| field("issue")),
        publication: field("publication")
            .or_else(|| field("newsletter"))
            .or_else(|| field("series")),
        url: field("url").or_else(|| field("permalink")),
        slug: field("slug"),
    }
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    let text = match value {
        serde_yaml::Value::String(s) => s.trim().to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Tagged(tagged) => return scalar_text(&tagged.value),
        serde_yaml::Value::Sequence(values) => return values.first().and_then(scalar_text),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A TOML block between `+++` lines, as Hugo writes it.
fn split_toml(text: &str) -> Option<Split<'_>> {
    Some(match fenced(text, "+++", &["+++"])? {
        Fence::Closed { block, body } => {
            let (fields, problem) = match block.parse::<toml::Table>() {
                Ok(table) => (fields_of_toml(&table), None),
                Err(err) => (
                    FrontMatter::default(),
                    Some(format!(
                        "front matter is not valid TOML ({}); its fields are ignored",
                        err.message()
                    )),
                ),
            };
            Split::Found {
                fields,
                body,
                problem,
            }
        }
        Fence::Unclosed => Split::Unterminated,
    })
}

fn fields_of_toml(table: &toml::Table) -> FrontMatter {
    fn text_of(value: &toml::Value) -> Option<String> {
        let text = match value {
            toml::Value::String(s) => s.trim().to_string(),
            toml::Value::Integer(n) => n.to_string(),
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::Array(values) => return values.first().and_then(text_of),
            _ => return None,
        };
        (!text.is_empty()).then_some(text)
    }
    let field = |name: &str| -> Option<String> {
        table
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| text_of(value))
    };
    FrontMatter {
        title: field("title"),
        date: field("date"),
        number: field("number").or_else(|| field("issue")),
        publication: field("publication")
            .or_else(|| field("newsletter"))
            .or_else(|| field("series")),
        url: field("url").or_else(|| field("permalink")),
        slug: field("slug"),
    }
}

/// `Key: value` lines up to the first blank line, the first of them `Title:`.
fn split_pelican(text: &str) -> Option<Split<'_>> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([A-Za-z][A-Za-z0-9_-]{0,30}):[ \t]*(.*?)\s*$").expect("valid regex")
    });
    let mut fields = FrontMatter::default();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if line.trim().is_empty() {
            offset += line.len();
            break;
        }
        let captures = HEADER.captures(line.trim_end_matches(['\n', '\r']))?;
        let key = captures[1].to_ascii_lowercase();
        let value = captures[2].to_string();
        if index == 0 && key != "title" {
            return None;
        }
        let value = (!value.is_empty()).then_some(value);
        match key.as_str() {
            "title" => fields.title = value,
            "date" => fields.date = value,
            "number" | "issue" => fields.number = value,
            "publication" | "newsletter" | "series" => fields.publication = value,
            _ => {}
        }
        offset += line.len();
    }
    fields.title.as_ref()?;
    Some(Split::Found {
        fields,
        body: &text[offset.min(text.len())..],
        problem: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lwkd_yaml() {
        let text = "---\nlayout: post\ntitle: Week Ending June 18, 2023\ndate: 2023-06-21 05:40:00 -0000\nslug: x\n---\n\n## Developer News\n";
        let Split::Found {
            fields,
            body,
            problem,
        } = split(text)
        else {
            panic!("no front matter found")
        };
        assert_eq!(fields.title.as_deref(), Some("Week Ending June 18, 2023"));
        assert_eq!(fields.date.as_deref(), Some("2023-06-21 05:40:00 -0000"));
        assert_eq!(body, "\n## Developer News\n");
        assert_eq!(problem, None);
    }

    /// The YAML parser's reading of front matter, for comparing.
    fn fields_by_serde(yaml: &str) -> Option<FrontMatter> {
        let value = serde_yaml::from_str::<serde_yaml::Value>(yaml).ok()?;
        Some(fields_of_yaml(&value))
    }

    #[test]
    fn simple_fields_read_the_lwkd_corpus_as_yaml_does() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/lwkd");
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return; // The shared corpus is not everywhere.
        };
        let mut read_simply = 0;
        for entry in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let Some(rest) = text.strip_prefix("---\n") else {
                continue;
            };
            let Some(end) = rest.find("\n---") else {
                continue;
            };
            let yaml = &rest[..end + 1];
            if let Some(fields) = simple_fields(yaml) {
                read_simply += 1;
                assert_eq!(Some(fields), fields_by_serde(yaml), "{yaml}");
            }
        }
        assert!(
            read_simply > 250,
            "only {read_simply} front matters read simply"
        );
    }

    #[test]
    fn simple_fields_fall_back_on_what_yaml_reads_otherwise() {
        for yaml in [
            "title: 42\n",
            "title: true\n",
            "title: Null\n",
            "title: nan\n",
            "title: a: b\n",
            "title: a #comment\n",
            "title: x\ntitle: y\n",
            "title: x\n  continued\n",
            "title: \"quoted\"\n",
            "title: x\r\n",
            "",
        ] {
            assert_eq!(simple_fields(yaml), None, "{yaml:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn simple_fields_agree_with_serde_yaml(
            lines in proptest::collection::vec(
                "(title|Title|date|number|issue|layout|true|inf|x-y_z|slug)(:|: |:  | : |:\t)\
                 ((0x|0o|0b|[0-9]{1,4}|[a-fA-F]{1,3}|)[a-zA-Z0-9 :#.,'\"+~_-]{0,12})( |)",
                1..5,
            )
        ) {
            let yaml: String = lines.iter().map(|line| format!("{line}\n")).collect();
            if let Some(fields) = simple_fields(&yaml) {
                proptest::prop_assert_eq!(Some(fields), fields_by_serde(&yaml), "{:?}", yaml);
            }
        }
    }

    #[test]
    fn pelican_headers() {
        let text = "Title: This Week in Rust 512\nNumber: 512\nDate: 2023-08-30\n\nHello\n";
        let Split::Found { fields, body, .. } = split(text) else {
            panic!("no front matter found")
        };
        assert_eq!(fields.title.as_deref(), Some("This Week in Rust 512"));
        assert_eq!(fields.number.as_deref(), Some("512"));
        assert_eq!(fields.date.as_deref(), Some("2023-08-30"));
        assert_eq!(body, "Hello\n");
    }

    #[test]
    fn unterminated_and_broken_yaml() {
        assert_eq!(split("---\ntitle: x\nno end\n"), Split::Unterminated);
        assert!(matches!(
            split("---\ntitle: [unclosed\n---\nbody"),
            Split::Found {
                problem: Some(_),
                body: "body",
                ..
            }
        ));
        assert_eq!(split("# Neco Weekly\n\nText: not a header\n"), Split::None);
    }
}
