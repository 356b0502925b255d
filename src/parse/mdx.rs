//! MDX (Docusaurus, Next.js): Markdown with `import`/`export` lines and
//! JSX elements. Both are markup, not prose: the lines go, and each
//! component becomes the text and links its string props hold
//! (`<LinkCard title="MOCO" href="https://…" />` → `[MOCO](https://…)`),
//! so what the issue says and links to is still read.

use std::sync::LazyLock;

use regex::Regex;

/// An `import … from "…"` or `export const …` line at the left margin.
static MODULE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^(?:import\s+(?:[\w*{},\s]+\s+from\s+)?["'][^"'\n]+["'];?|export\s+(?:const|let|default|function|var)\b)"#)
        .expect("valid regex")
});

/// A JSX element's opening, closing or self-closing tag: a capitalised name.
static COMPONENT_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"</?([A-Z][A-Za-z0-9_.]*)((?:\s+[A-Za-z_][\w-]*(?:=(?:"[^"]*"|'[^']*'|\{[^{}]*\}))?)*)\s*/?>"#)
        .expect("valid regex")
});

static PROP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})"#)
        .expect("valid regex")
});

/// Whether the text is MDX: a module line, or a component tag starting a
/// line, outside code blocks.
pub fn is_mdx(text: &str) -> bool {
    let mut fenced = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // The regex matches only at the line's start: most lines are
        // ruled out by their first letters without running it.
        if (line.starts_with("import") || line.starts_with("export")) && MODULE_LINE.is_match(line)
        {
            return true;
        }
        if trimmed.starts_with('<')
            && COMPONENT_TAG
                .find(trimmed)
                .is_some_and(|tag| tag.start() == 0)
        {
            return true;
        }
    }
    false
}

/// The Markdown an MDX text says: module statements dropped, `{/* … */}`
/// comments dropped, components replaced by their props' text and links.
/// Code blocks are left as they are.
pub fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fenced = false;
    let mut in_export_block = 0i32;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            out.push_str(line);
            continue;
        }
        if fenced {
            out.push_str(line);
            continue;
        }
        if in_export_block > 0 {
            in_export_block += brace_balance(line);
            continue;
        }
        if MODULE_LINE.is_match(line) {
            // `export const meta = {` runs on until its braces close.
            in_export_block = brace_balance(line).max(0);
            continue;
        }
        let line = strip_comments(line);
        // A component on a line of its own is a block: its link and its
        // other texts become paragraphs of their own (a card's link and
        // its description), as a heading and its text would.
        let alone = COMPONENT_TAG
            .find(line.trim())
            .is_some_and(|tag| tag.len() == line.trim().len());
        let separator = if alone { "\n\n" } else { " " };
        let replaced = COMPONENT_TAG.replace_all(&line, |c: &regex::Captures| {
            props_text(&c[2]).join(separator)
        });
        out.push_str(&replaced);
    }
    out
}

fn brace_balance(line: &str) -> i32 {
    line.chars().fold(0, |n, c| match c {
        '{' => n + 1,
        '}' => n - 1,
        _ => n,
    })
}

fn strip_comments(line: &str) -> String {
    static COMMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{\s*/\*.*?\*/\s*\}").expect("valid regex"));
    COMMENT.replace_all(line, "").into_owned()
}

/// A component's string props as Markdown: the first URL linked from the
/// first text (`[text](url)`), other texts as they are, other URLs bare.
fn props_text(props: &str) -> Vec<String> {
    let mut texts = Vec::new();
    let mut urls = Vec::new();
    for c in PROP.captures_iter(props) {
        let name = c[1].to_ascii_lowercase();
        let Some(value) = c.get(2).or_else(|| c.get(3)).or_else(|| c.get(4)) else {
            continue;
        };
        let value = value.as_str().trim();
        if value.is_empty()
            || ["classname", "id", "style", "key", "variant", "type", "size"]
                .contains(&name.as_str())
        {
            continue;
        }
        if value.starts_with("http://") || value.starts_with("https://") {
            urls.push(value.to_string());
        } else if value.contains(' ')
            || [
                "title",
                "text",
                "label",
                "description",
                "name",
                "caption",
                "alt",
            ]
            .contains(&name.as_str())
        {
            texts.push(value.to_string());
        }
    }
    let mut out = Vec::new();
    let mut urls = urls.into_iter();
    let mut texts = texts.into_iter();
    match (texts.next(), urls.next()) {
        (Some(text), Some(url)) => out.push(format!("[{text}]({url})")),
        (Some(text), None) => out.push(text),
        (None, Some(url)) => out.push(url),
        (None, None) => {}
    }
    out.extend(texts);
    out.extend(urls);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_become_their_props_text() {
        let mdx = "import Signup from '@site/src/Signup';\nexport const meta = {\n  tags: ['x'],\n};\n\n## News\n\n<LinkCard title=\"MOCO v0.20\" href=\"https://github.com/cybozu-go/moco\" />\n\n<Signup />\n{/* draft */}\n```js\nimport x from 'y';\n```\n";
        assert!(is_mdx(mdx));
        assert_eq!(
            to_markdown(mdx),
            "\n## News\n\n[MOCO v0.20](https://github.com/cybozu-go/moco)\n\n\n\n```js\nimport x from 'y';\n```\n"
        );
        assert!(!is_mdx(
            "# Title\n\nSee <Box<T>> and `import x from 'y'`.\n"
        ));
    }
}
