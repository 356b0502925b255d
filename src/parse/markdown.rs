//! Markdown → blocks, with pulldown-cmark. Raw HTML blocks (embedly cards)
//! go through the HTML lowering; inline `<a class="embedly-card">` links are
//! read here. Nothing recurses: pulldown-cmark's events are flat and the
//! nesting kept here is counters, so any depth of nesting is safe.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::blocks::{Block, bare_urls, one_line, tidy};
use super::html;
use crate::model::LinkRef;

pub fn blocks(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut lowering = Lowering::default();
    for event in Parser::new_ext(markdown, options) {
        lowering.event(event);
    }
    lowering.flush(Kind::Paragraph);
    lowering.blocks
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(u8),
    Paragraph,
    ListItem(usize),
}

/// An `<a href>` opened by inline HTML, closed by a later `</a>`.
struct OpenAnchor {
    url: String,
    start: usize,
    is_card: bool,
}

#[derive(Default)]
struct Lowering {
    blocks: Vec<Block>,
    /// Text of the block being read.
    text: String,
    /// Links of the block being read: byte offset in `text`, link.
    links: Vec<(usize, usize, LinkRef)>,
    heading: Option<u8>,
    /// Open lists, innermost last: whether the current entry of that list
    /// already produced a block (so what follows its nested list is a
    /// continuation).
    list_entries: Vec<bool>,
    open_links: Vec<(String, usize)>,
    anchor: Option<OpenAnchor>,
    paragraph_is_card: bool,
    html_block: Option<String>,
    in_table_cell: bool,
}

impl Lowering {
    fn event(&mut self, event: Event<'_>) {
        if let Some(html_block) = &mut self.html_block {
            match event {
                Event::Html(html) | Event::Text(html) | Event::InlineHtml(html) => {
                    html_block.push_str(&html);
                }
                Event::End(TagEnd::HtmlBlock) => {
                    let html_block = self.html_block.take().unwrap_or_default();
                    self.blocks.extend(html::fragment_blocks(&html_block));
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => self.text.push_str(&text),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text.push_str(&text),
            Event::SoftBreak | Event::HardBreak => self.text.push('\n'),
            Event::Html(html) | Event::InlineHtml(html) => self.inline_html(&html),
            Event::Rule | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_current();
                self.heading = Some(level as u8);
            }
            Tag::Paragraph => {
                if self.list_entries.is_empty() {
                    self.flush(Kind::Paragraph);
                } else {
                    self.text.push('\n');
                }
            }
            Tag::List(_) => {
                self.flush_current();
                self.list_entries.push(false);
            }
            Tag::Item => {
                self.flush_current();
                if let Some(emitted) = self.list_entries.last_mut() {
                    *emitted = false;
                }
            }
            Tag::HtmlBlock => {
                self.flush_current();
                self.html_block = Some(String::new());
            }
            Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::Table(_) | Tag::FootnoteDefinition(_) => {
                self.flush_current();
            }
            Tag::TableCell => {
                if self.in_table_cell {
                    self.text.push_str(" | ");
                }
                self.in_table_cell = true;
            }
            Tag::Link { dest_url, .. } => self
                .open_links
                .push((dest_url.into_string(), self.text.len())),
            Tag::Image { .. }
            | Tag::TableHead
            | Tag::TableRow
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.flush_current(),
            TagEnd::Paragraph if self.list_entries.is_empty() => self.flush(Kind::Paragraph),
            TagEnd::Item => self.flush_current(),
            TagEnd::List(_) => {
                self.flush_current();
                self.list_entries.pop();
            }
            TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::TableHead
            | TagEnd::TableRow => {
                self.in_table_cell = false;
                self.flush_current();
            }
            TagEnd::Link => {
                if let Some((url, start)) = self.open_links.pop() {
                    self.add_link(url, start);
                }
            }
            _ => {}
        }
    }

    /// `<a href=…>` and `</a>` written inline (embedly cards on one line),
    /// `<br>`; other inline tags carry no text.
    fn inline_html(&mut self, html: &str) {
        static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?is)^<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
                .expect("valid regex")
        });
        static CARD_CLASS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?i)\bclass\s*=\s*["']?[^"'>]*\bembedly-card\b"#).expect("valid regex")
        });
        let tag = html.trim();
        if let Some(captures) = ANCHOR.captures(tag) {
            let url = captures
                .get(1)
                .or_else(|| captures.get(2))
                .or_else(|| captures.get(3))
                .map(|m| html::decode_entities(m.as_str()))
                .unwrap_or_default();
            self.anchor = Some(OpenAnchor {
                url,
                start: self.text.len(),
                is_card: CARD_CLASS.is_match(tag),
            });
        } else if tag.eq_ignore_ascii_case("</a>") {
            if let Some(anchor) = self.anchor.take() {
                self.paragraph_is_card |= anchor.is_card;
                self.add_link(anchor.url, anchor.start);
            }
        } else if tag.len() >= 3 && tag[..3].eq_ignore_ascii_case("<br") {
            self.text.push('\n');
        }
    }

    fn add_link(&mut self, url: String, start: usize) {
        let start = start.min(self.text.len());
        let text = one_line(&self.text[start..]);
        let end = self.text.len();
        if !url.is_empty() {
            self.links.push((start, end, LinkRef { url, text }));
        }
    }

    fn current_kind(&self) -> Kind {
        match (self.heading, self.list_entries.len()) {
            (Some(level), _) => Kind::Heading(level),
            (None, 0) => Kind::Paragraph,
            (None, depth) => Kind::ListItem(depth - 1),
        }
    }

    fn flush_current(&mut self) {
        self.flush(self.current_kind());
    }

    /// Ends the block being read as `kind`, if it has any text.
    fn flush(&mut self, kind: Kind) {
        self.heading = None;
        let is_card = std::mem::take(&mut self.paragraph_is_card);
        // An anchor left open at a block's end links what was read so far.
        if let Some(anchor) = self.anchor.take() {
            self.add_link(anchor.url, anchor.start);
        }
        // The text buffer goes back, emptied, when the block is made: it
        // keeps its capacity from block to block.
        let mut raw = std::mem::take(&mut self.text);
        let written = std::mem::take(&mut self.links);
        if !(raw.trim().is_empty() && written.is_empty()) {
            self.make_block(kind, is_card, &raw, written);
        }
        raw.clear();
        self.text = raw;
    }

    fn make_block(
        &mut self,
        kind: Kind,
        is_card: bool,
        raw: &str,
        mut written: Vec<(usize, usize, LinkRef)>,
    ) {
        // Bare URLs outside any written link are links too (GitHub does so).
        // Written links come in reading order and never overlap, so one
        // forward pass finds the bare URLs inside none of them.
        let mut bare = Vec::new();
        let mut next_written = 0;
        for (start, end, url) in bare_urls(raw) {
            while written
                .get(next_written)
                .is_some_and(|(_, written_end, _)| *written_end <= start)
            {
                next_written += 1;
            }
            let inside_written = written
                .get(next_written)
                .is_some_and(|(written_start, _, _)| *written_start < end);
            if !inside_written {
                bare.push((
                    start,
                    end,
                    LinkRef {
                        url: url.to_string(),
                        text: String::new(),
                    },
                ));
            }
        }
        if !bare.is_empty() {
            written.extend(bare);
            written.sort_by_key(|(start, _, _)| *start);
        }
        let links: Vec<LinkRef> = written.into_iter().map(|(_, _, link)| link).collect();
        let block = match kind {
            Kind::Heading(level) => Block::Heading {
                level,
                text: one_line(raw),
                links,
            },
            Kind::Paragraph if is_card => Block::Card {
                text: tidy(raw),
                links,
            },
            Kind::Paragraph => Block::Paragraph {
                text: tidy(raw),
                links,
            },
            Kind::ListItem(depth) => {
                let continued = self.list_entries.last().copied().unwrap_or(false);
                if let Some(emitted) = self.list_entries.last_mut() {
                    *emitted = true;
                }
                Block::ListItem {
                    depth,
                    continued,
                    text: tidy(raw),
                    links,
                }
            }
        };
        self.blocks.push(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_lists() {
        let blocks = blocks(
            "# Title\n\n## Section\n\nLead with [a link](https://a.test).\n\n- one https://b.test\n  - nested\n- two\n",
        );
        assert_eq!(blocks.len(), 6, "{blocks:#?}");
        assert!(matches!(&blocks[0], Block::Heading { level: 1, text, .. } if text == "Title"));
        assert_eq!(blocks[2].links()[0].url, "https://a.test");
        assert_eq!(blocks[2].links()[0].text, "a link");
        assert!(
            matches!(&blocks[3], Block::ListItem { depth: 0, text, links, .. } if text == "one https://b.test" && links[0].url == "https://b.test")
        );
        assert!(matches!(&blocks[4], Block::ListItem { depth: 1, .. }));
        assert!(matches!(&blocks[5], Block::ListItem { depth: 0, text, .. } if text == "two"));
    }

    #[test]
    fn inline_embedly_card_is_a_card() {
        let blocks = blocks(
            "<a class=\"embedly-card\" data-card-controls=\"0\" href=\"https://nfpm.goreleaser.com\">nFPM</a>\n",
        );
        assert_eq!(
            blocks,
            vec![Block::Card {
                text: "nFPM".into(),
                links: vec![LinkRef {
                    url: "https://nfpm.goreleaser.com".into(),
                    text: "nFPM".into()
                }]
            }]
        );
    }

    #[test]
    fn bare_urls_inside_written_links_are_not_counted_twice() {
        let blocks = blocks(
            "[https://a.test/x](https://a.test/x) then https://b.test and [c](https://c.test)\n",
        );
        let urls: Vec<&str> = blocks[0].links().iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://a.test/x", "https://b.test", "https://c.test"]
        );
    }

    #[test]
    fn setext_headings_are_headings() {
        let blocks = blocks("Deprecated\n----------\n\nDocker is gone.\n");
        assert!(
            matches!(&blocks[0], Block::Heading { level: 2, text, .. } if text == "Deprecated")
        );
    }
}
