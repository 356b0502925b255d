//! Front matter: a YAML block between `---` lines (Jekyll, LWKD) or
//! Pelican headers (`Title:`, `Date:`, `Number:` up to the first blank
//! line; This Week in Rust).

use std::sync::LazyLock;

use regex::Regex;

/// The fields the parser uses, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub number: Option<String>,
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
    split_pelican(text).unwrap_or(Split::None)
}

fn split_yaml(text: &str) -> Option<Split<'_>> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &text[yaml_start..line_start];
            let (fields, problem) = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
                Ok(value) => (fields_of_yaml(&value), None),
                Err(err) => (
                    FrontMatter::default(),
                    Some(format!(
                        "front matter is not valid YAML ({err}); its fields are ignored"
                    )),
                ),
            };
            return Some(Split::Found {
                fields,
                body: &text[offset..],
                problem,
            });
        }
    }
    Some(Split::Unterminated)
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
    }
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    let text = match value {
        serde_yaml::Value::String(s) => s.trim().to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Tagged(tagged) => return scalar_text(&tagged.value),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
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
