//! HTML → blocks, with scraper: saved pages (the article body only) and
//! the raw HTML blocks inside Markdown (embedly cards).
//!
//! The walk over the tree keeps its own stack: a page nested 100,000 levels
//! deep must not overflow ours.

use std::sync::LazyLock;

use scraper::{CaseSensitivity, ElementRef, Html, Node, Selector};

use super::blocks::{Block, one_line, tidy};
use crate::model::LinkRef;

/// What a saved page holds besides its blocks.
#[derive(Debug, Clone, Default)]
pub struct HtmlPage {
    pub blocks: Vec<Block>,
    /// The page's first `<h1>` outside the body, or its `<title>`, for
    /// pages whose body has no title heading.
    pub page_title: Option<String>,
    /// `article:published_time` and the like: the publishing date, as written.
    pub published: Option<String>,
    /// Tags nested deeper than [`MAX_NESTING`] were left out.
    pub flattened: bool,
}

/// How deep elements may nest before deeper tags are ignored. Real pages
/// stay far below it; html5ever's cost grows with depth × elements, so a
/// page nested 100,000 deep would otherwise take hours.
pub const MAX_NESTING: usize = 256;

pub fn fragment_blocks(html: &str) -> Vec<Block> {
    let (html, _) = limit_nesting(html);
    let fragment = Html::parse_fragment(&html);
    let mut blocks = Vec::new();
    lower(fragment.root_element(), false, &mut blocks);
    blocks
}

pub fn page(html: &str) -> HtmlPage {
    let (html, flattened) = limit_nesting(html);
    let document = Html::parse_document(&html);
    let (body, is_whole_body) = content_root(&document);
    let mut blocks = Vec::new();
    lower(body, is_whole_body, &mut blocks);
    HtmlPage {
        blocks,
        page_title: page_title(&document),
        published: published(&document),
        flattened,
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

static CONTENT_ROOTS: LazyLock<[Selector; 3]> = LazyLock::new(|| {
    [
        selector("article"),
        selector("main"),
        selector("[role=main]"),
    ]
});
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static TITLES: LazyLock<[Selector; 3]> = LazyLock::new(|| {
    [
        selector("h1"),
        selector("title"),
        selector("meta[property='og:title']"),
    ]
});
static PUBLISHED: LazyLock<Selector> = LazyLock::new(|| {
    selector("meta[property='article:published_time'], meta[name='date'], time[datetime]")
});

/// `<article>`, else `<main>`, else `<body>` (whose header, footer and
/// navigation are then left out).
fn content_root(document: &Html) -> (ElementRef<'_>, bool) {
    for root in CONTENT_ROOTS.iter() {
        if let Some(element) = document.select(root).next() {
            return (element, false);
        }
    }
    match document.select(&BODY).next() {
        Some(body) => (body, true),
        None => (document.root_element(), true),
    }
}

fn page_title(document: &Html) -> Option<String> {
    for title in TITLES.iter() {
        if let Some(element) = document.select(title).next() {
            let text = match element.attr("content") {
                Some(content) => one_line(content),
                None => one_line(&element.text().collect::<String>()),
            };
            if !text.is_empty() {
                return Some(text);
            }
        }
    }
    None
}

fn published(document: &Html) -> Option<String> {
    document.select(&PUBLISHED).find_map(|element| {
        element
            .attr("content")
            .or_else(|| element.attr("datetime"))
            .map(str::to_string)
    })
}

/// Elements that are never the issue's text.
fn is_noise(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "aside"
            | "svg"
            | "iframe"
            | "form"
            | "button"
            | "select"
            | "head"
            | "title"
            | "meta"
            | "link"
    )
}

/// Page furniture around the article when the whole body is read.
fn is_page_chrome(name: &str) -> bool {
    matches!(name, "header" | "footer")
}

/// Elements that are one block of text each.
fn is_text_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "pre" | "dt" | "dd" | "figcaption" | "caption" | "address" | "summary"
    )
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Elements that break the flow of inline text (everything not inline).
fn is_block_level(name: &str) -> bool {
    is_text_block(name)
        || heading_level(name).is_some()
        || matches!(
            name,
            "div"
                | "section"
                | "article"
                | "main"
                | "header"
                | "footer"
                | "blockquote"
                | "ul"
                | "ol"
                | "li"
                | "dl"
                | "table"
                | "thead"
                | "tbody"
                | "tfoot"
                | "tr"
                | "figure"
                | "details"
                | "hr"
                | "body"
                | "html"
        )
}

fn is_card(element: &ElementRef<'_>) -> bool {
    let value = element.value();
    matches!(value.name(), "blockquote" | "a" | "div")
        && value.has_class("embedly-card", CaseSensitivity::AsciiCaseInsensitive)
}

enum Work<'a> {
    Element(ElementRef<'a>, usize),
    /// Consecutive inline children of a container: one paragraph.
    InlineRun(Vec<ego_tree::NodeRef<'a, Node>>),
}

/// Walks the tree under `root` (depth-first, in reading order) and emits
/// its blocks. `list_depth` counts the lists an element is inside.
fn lower(root: ElementRef<'_>, skip_page_chrome: bool, blocks: &mut Vec<Block>) {
    let mut stack = vec![Work::Element(root, 0)];
    while let Some(work) = stack.pop() {
        let (element, list_depth) = match work {
            Work::InlineRun(nodes) => {
                let mut inline = Inline::default();
                for node in nodes {
                    inline.collect(node);
                }
                let (text, links) = inline.finish();
                if !text.is_empty() || !links.is_empty() {
                    blocks.push(Block::Paragraph { text, links });
                }
                continue;
            }
            Work::Element(element, list_depth) => (element, list_depth),
        };
        let name = element.value().name();
        if is_noise(name) || (skip_page_chrome && is_page_chrome(name)) {
            continue;
        }
        if is_card(&element) {
            let (text, links) = Inline::of(*element);
            blocks.push(Block::Card { text, links });
            continue;
        }
        if let Some(level) = heading_level(name) {
            let (text, links) = Inline::of(*element);
            blocks.push(Block::Heading {
                level,
                text: one_line(&text),
                links,
            });
            continue;
        }
        if is_text_block(name) {
            let (text, links) = Inline::of(*element);
            if !text.is_empty() || !links.is_empty() {
                blocks.push(Block::Paragraph { text, links });
            }
            continue;
        }
        if name == "tr" {
            let (text, links) = Inline::of(*element);
            blocks.push(Block::Paragraph {
                text: text.replace('\n', " | "),
                links,
            });
            continue;
        }
        if name == "li" {
            // The entry's own text, then its nested lists as their own blocks.
            let mut inline = Inline::default();
            let mut nested = Vec::new();
            for child in element.children() {
                match ElementRef::wrap(child) {
                    Some(list) if matches!(list.value().name(), "ul" | "ol") => nested.push(list),
                    _ => inline.collect(child),
                }
            }
            let (text, links) = inline.finish();
            blocks.push(Block::ListItem {
                depth: list_depth.saturating_sub(1),
                continued: false,
                text,
                links,
            });
            for list in nested.into_iter().rev() {
                stack.push(Work::Element(list, list_depth));
            }
            continue;
        }
        let child_depth = list_depth + usize::from(matches!(name, "ul" | "ol"));
        let mut work = Vec::new();
        let mut run = Vec::new();
        for child in element.children() {
            let block_child = ElementRef::wrap(child).filter(|e| {
                let name = e.value().name();
                is_block_level(name) || is_card(e) || is_noise(name)
            });
            match block_child {
                Some(block) => {
                    if !run.is_empty() {
                        work.push(Work::InlineRun(std::mem::take(&mut run)));
                    }
                    work.push(Work::Element(block, child_depth));
                }
                None => run.push(child),
            }
        }
        if !run.is_empty() {
            work.push(Work::InlineRun(run));
        }
        stack.extend(work.into_iter().rev());
    }
}

/// Inline text and links under some nodes, whitespace collapsed as a
/// browser does; block-level descendants start a new line.
#[derive(Default)]
struct Inline {
    text: String,
    links: Vec<LinkRef>,
}

impl Inline {
    fn of(node: ego_tree::NodeRef<'_, Node>) -> (String, Vec<LinkRef>) {
        let mut inline = Inline::default();
        inline.collect(node);
        inline.finish()
    }

    fn collect(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            match node.value() {
                Node::Text(text) => self.push_text(text),
                Node::Element(element) => {
                    let name = element.name();
                    if is_noise(name) {
                        continue;
                    }
                    if name == "br" {
                        self.text.push('\n');
                        continue;
                    }
                    if is_block_level(name) {
                        self.text.push('\n');
                    }
                    if name == "a"
                        && let Some(href) = element.attr("href")
                        && let Some(anchor) = ElementRef::wrap(node)
                    {
                        let text: String = anchor.text().collect();
                        self.push_text(&text);
                        let href = href.trim();
                        if !href.is_empty() && !href.starts_with("javascript:") {
                            self.links.push(LinkRef {
                                url: href.to_string(),
                                text: one_line(&text),
                            });
                        }
                        continue;
                    }
                    stack.extend(node.children().rev());
                }
                _ => {}
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        // Newlines in HTML source are spaces on the page.
        for (i, piece) in text.split(['\n', '\r']).enumerate() {
            if i > 0 {
                self.text.push(' ');
            }
            self.text.push_str(piece);
        }
    }

    fn finish(self) -> (String, Vec<LinkRef>) {
        (tidy(&self.text), self.links)
    }
}

/// Drops the tags that would nest deeper than [`MAX_NESTING`] (and the
/// closing tags that match them), keeping all text. A quick count of `<`
/// spares ordinary pages the scan. Elements a parser closes by itself
/// (`<p>`, `<li>`, …) and void elements are not counted as nesting.
pub fn limit_nesting(html: &str) -> (std::borrow::Cow<'_, str>, bool) {
    use std::borrow::Cow;
    if memchr_count(html, b'<') <= MAX_NESTING {
        return (Cow::Borrowed(html), false);
    }
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut copied_to = 0;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let Some(tag) = scan_tag(html, start) else {
            at = start + 1;
            continue;
        };
        at = tag.end;
        match tag.kind {
            TagKind::Open(name) if counts_as_nesting(name) => {
                if depth >= MAX_NESTING {
                    out.push_str(&html[copied_to..start]);
                    copied_to = tag.end;
                    dropped += 1;
                } else {
                    depth += 1;
                }
            }
            TagKind::Close(name) if counts_as_nesting(name) => {
                if dropped > 0 {
                    out.push_str(&html[copied_to..start]);
                    copied_to = tag.end;
                    dropped -= 1;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        if let TagKind::Open(name) = tag.kind
            && is_raw_text(name)
        {
            // Skip to the element's end: its content is not markup.
            at = find_closing_tag(html, at, name);
        }
    }
    out.push_str(&html[copied_to..]);
    let flattened = copied_to > 0;
    (Cow::Owned(out), flattened)
}

/// Where `</name` (any case) next starts at or after `from`; the end of
/// the text if nowhere.
fn find_closing_tag(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(offset) = html[at..].find("</") {
        let start = at + offset;
        let candidate = html.as_bytes().get(start + 2..start + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

fn memchr_count(text: &str, byte: u8) -> usize {
    text.bytes().filter(|b| *b == byte).count()
}

enum TagKind<'a> {
    Open(&'a str),
    Close(&'a str),
    Other,
}

struct Tag<'a> {
    kind: TagKind<'a>,
    end: usize,
}

/// The tag starting at `start` (a `<`): its kind and where it ends.
fn scan_tag(html: &str, start: usize) -> Option<Tag<'_>> {
    let rest = &html[start..];
    if rest.starts_with("<!--") {
        let end = rest.find("-->").map_or(html.len(), |i| start + i + 3);
        return Some(Tag {
            kind: TagKind::Other,
            end,
        });
    }
    let (closing, name_start) = if rest.starts_with("</") {
        (true, 2)
    } else {
        (false, 1)
    };
    let after = &rest[name_start..];
    let name_len = after
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    if name_len == 0 {
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(html.len(), |i| start + i + 1);
            return Some(Tag {
                kind: TagKind::Other,
                end,
            });
        }
        return None;
    }
    let name = &after[..name_len];
    // The tag ends at the first `>` outside quotes.
    let mut quote = None;
    let mut end = html.len();
    for (i, b) in rest.bytes().enumerate().skip(name_start + name_len) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => {
                end = start + i + 1;
                break;
            }
            _ => {}
        }
    }
    let self_closing = html[..end].ends_with("/>");
    let kind = if closing {
        TagKind::Close(name)
    } else if self_closing || is_void(name) {
        TagKind::Other
    } else {
        TagKind::Open(name)
    };
    Some(Tag { kind, end })
}

fn counts_as_nesting(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !is_void(&name)
        && !matches!(
            name.as_str(),
            "p" | "li"
                | "dt"
                | "dd"
                | "tr"
                | "td"
                | "th"
                | "thead"
                | "tbody"
                | "tfoot"
                | "option"
                | "optgroup"
                | "colgroup"
                | "rb"
                | "rt"
                | "rp"
                | "html"
                | "head"
                | "body"
        )
}

fn is_void(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_raw_text(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "script" | "style" | "textarea" | "title" | "xmp"
    )
}

/// The few entities written in attribute values of hand-written HTML.
pub fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedly_blockquote_is_a_card() {
        let blocks = fragment_blocks(
            r#"<blockquote class="embedly-card" data-card-controls="0"><h4><a href="https://github.com/cybozu-go/moco/releases/tag/v0.13.0">Release v0.13.0 · cybozu-go/moco</a></h4><p>A MySQL operator.</p></blockquote>"#,
        );
        assert_eq!(blocks.len(), 1, "{blocks:#?}");
        let Block::Card { text, links } = &blocks[0] else {
            panic!("not a card: {blocks:?}")
        };
        assert_eq!(text, "Release v0.13.0 · cybozu-go/moco\nA MySQL operator.");
        assert_eq!(
            links[0].url,
            "https://github.com/cybozu-go/moco/releases/tag/v0.13.0"
        );
    }

    #[test]
    fn deep_nesting_is_cut_but_text_kept() {
        let html = format!(
            "<div>{}deep text{}</div>",
            "<blockquote>".repeat(1000),
            "</blockquote>".repeat(1000)
        );
        let (limited, flattened) = limit_nesting(&html);
        assert!(flattened);
        assert_eq!(limited.matches("<blockquote>").count(), MAX_NESTING - 1);
        assert_eq!(limited.matches("</blockquote>").count(), MAX_NESTING - 1);
        assert!(limited.contains("deep text"));
        let shallow = "<p>a</p><script>if (a < b) {}</script>";
        assert_eq!(
            limit_nesting(shallow),
            (std::borrow::Cow::Borrowed(shallow), false)
        );
    }

    #[test]
    fn page_keeps_the_article_and_drops_noise() {
        let page = page(
            "<html><head><title>T</title><script>var x = 1;</script></head><body>\
             <nav><a href='/'>Home</a></nav><article><h1>Issue 1</h1><p>Hello <b>you</b> \
             <a href='https://a.test'>there</a></p><ul><li>one<ul><li>two</li></ul></li></ul>\
             <script>evil()</script></article><footer>(c)</footer></body></html>",
        );
        assert_eq!(page.page_title.as_deref(), Some("Issue 1"));
        assert_eq!(
            page.blocks,
            vec![
                Block::Heading {
                    level: 1,
                    text: "Issue 1".into(),
                    links: vec![]
                },
                Block::Paragraph {
                    text: "Hello you there".into(),
                    links: vec![LinkRef {
                        url: "https://a.test".into(),
                        text: "there".into()
                    }]
                },
                Block::ListItem {
                    depth: 0,
                    continued: false,
                    text: "one".into(),
                    links: vec![]
                },
                Block::ListItem {
                    depth: 1,
                    continued: false,
                    text: "two".into(),
                    links: vec![]
                },
            ]
        );
    }
}
