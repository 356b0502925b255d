//! Blocks → issue outline: title, intro, sections, items.
//!
//! The rules, whatever the format the blocks came from:
//! - the first level-1 heading before any section is the title (unless the
//!   title is already known, from front matter or the page's first line);
//! - headings of level 1–2 open sections; deeper headings open items;
//! - a sub-heading whose body is nothing but a flat list of links groups
//!   items (This Week in Rust's "### Official"): each linked entry is an item;
//! - in a section without sub-headings, each top-level list entry that
//!   carries a link is an item, and so is a paragraph that is nothing but a
//!   link (LWKD's "#125029 [title](url)"), the paragraphs after it included;
//! - a card outside any item starts one (the card's title is the item's),
//!   except a card right under a section heading whose articles are
//!   sub-headings: that card is the section's lead;
//! - the afterword and "about us" sections never have items;
//! - everything else is intro or section lead text: kept, not an item.

use super::blocks::{Block, is_link_only, one_line};
use super::category::{category_of, is_emoji};
use crate::model::{Category, Item, LinkRef, Section};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub title: Option<String>,
    pub intro_text: String,
    pub intro_links: Vec<LinkRef>,
    pub sections: Vec<Section>,
}

/// Where text that belongs to no new item goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Intro,
    Lead,
    Item,
}

/// What a block added to an item may say about the item's own link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkRole {
    Card,
    LinkLine,
    Plain,
}

struct Builder {
    outline: Outline,
    target: Target,
    /// Whether paragraphs that follow belong to the current item: true for
    /// items opened by a heading, a card or a link paragraph; false for
    /// items that are one list entry.
    item_open: bool,
}

pub fn build(blocks: &[Block], known_title: Option<String>) -> Outline {
    let mut builder = Builder {
        outline: Outline {
            title: known_title,
            ..Outline::default()
        },
        target: Target::Intro,
        item_open: false,
    };
    for (index, block) in blocks.iter().enumerate() {
        let rest = &blocks[index + 1..];
        match block {
            Block::Heading { level, text, links } => builder.heading(*level, text, links, rest),
            Block::Card { text, links } => builder.card(text, links, rest),
            Block::Paragraph { text, links } => builder.paragraph(text, links),
            Block::ListItem {
                depth,
                continued,
                text,
                links,
            } => builder.list_item(*depth, *continued, text, links),
        }
    }
    builder.outline
}

impl Builder {
    fn heading(&mut self, level: u8, text: &str, links: &[LinkRef], rest: &[Block]) {
        let text = one_line(text);
        if text.is_empty() {
            return;
        }
        if level == 1 && self.outline.title.is_none() && self.outline.sections.is_empty() {
            self.outline.title = Some(text);
            self.outline.intro_links.extend_from_slice(links);
            return;
        }
        if level == 1 && self.outline.title.as_deref() == Some(text.as_str()) {
            return; // the body repeating the title its front matter gave
        }
        if level <= 2 {
            if self.is_mistaken_item_heading(&text, rest) {
                self.open_item(text, links, true);
            } else {
                self.open_section(text, links);
            }
            return;
        }
        if !self.takes_items() {
            self.append(&text, links);
            return;
        }
        if links.is_empty() && is_group_heading(level, rest) {
            // The group's name is lead text; its entries become items.
            self.target = Target::Lead;
            self.item_open = false;
            self.append(&text, links);
            return;
        }
        self.open_item(text, links, true);
    }

    /// An article written as a section heading by mistake: a reader sees an
    /// article because the section above it is a known kind, still empty,
    /// and this "section" has no kind of its own, no emoji, and opens
    /// with a card or a link like every article does.
    fn is_mistaken_item_heading(&self, text: &str, rest: &[Block]) -> bool {
        let Some(section) = self.outline.sections.last() else {
            return false;
        };
        let section_is_empty = section.items.is_empty() && section.lead_text.is_empty();
        let opens_like_an_article = match rest.first() {
            Some(Block::Card { .. }) => true,
            Some(Block::Paragraph { text, links }) => is_link_only(text, links),
            _ => false,
        };
        self.takes_items()
            && section.category != Category::Other
            && section_is_empty
            && category_of(text) == Category::Other
            && !text.chars().any(is_emoji)
            && opens_like_an_article
    }

    fn card(&mut self, text: &str, links: &[LinkRef], rest: &[Block]) {
        if self.target == Target::Item && self.item_open {
            self.append_to_item(text, links, LinkRole::Card);
        } else if self.is_section_lead_card(rest) {
            self.append(text, links);
        } else if self.takes_items() {
            let title = links
                .first()
                .map(|link| one_line(&link.text))
                .filter(|title| !title.is_empty())
                .unwrap_or_else(|| one_line(text.lines().next().unwrap_or_default()));
            self.open_item(title, &[], true);
            self.append_to_item(text, links, LinkRole::Card);
        } else {
            self.append(text, links);
        }
    }

    /// A card under a section heading, before the section's first item,
    /// when the section's articles are sub-headings: the card introduces
    /// the section (a reader sees the `###` entries as its articles).
    fn is_section_lead_card(&self, rest: &[Block]) -> bool {
        let section_has_items = self
            .outline
            .sections
            .last()
            .is_none_or(|section| !section.items.is_empty());
        self.target == Target::Lead && !section_has_items && articles_are_headings(rest)
    }

    fn paragraph(&mut self, text: &str, links: &[LinkRef]) {
        if links.is_empty() && is_sponsor_label(text) {
            // A line that only says "Sponsor" heads a sponsor block as a
            // heading would.
            self.open_section(one_line(text), links);
            return;
        }
        if self.target == Target::Item && self.item_open {
            let role = if is_link_only(text, links) {
                LinkRole::LinkLine
            } else {
                LinkRole::Plain
            };
            self.append_to_item(text, links, role);
        } else if self.takes_items() && is_link_only(text, links) {
            self.open_item(one_line(text), links, true);
        } else {
            if self.target == Target::Item {
                self.target = Target::Lead;
            }
            self.append(text, links);
        }
    }

    fn list_item(&mut self, depth: usize, continued: bool, text: &str, links: &[LinkRef]) {
        let nested = depth > 0 || continued;
        if nested || (self.target == Target::Item && self.item_open) {
            self.append(text, links);
        } else if self.takes_items()
            && let Some((title, summary)) = emoji_led_link(text, links)
        {
            // `- 🔗 [Title](url): summary`: the link names the article.
            self.open_item(title, links, false);
            self.append_to_item(&summary, &[], LinkRole::Plain);
        } else if self.takes_items() && !links.is_empty() {
            self.open_item(one_line(text), links, false);
        } else {
            if self.target == Target::Item {
                self.target = Target::Lead;
            }
            self.append(text, links);
        }
    }

    fn takes_items(&self) -> bool {
        self.outline
            .sections
            .last()
            .is_some_and(|s| !matches!(s.category, Category::Afterword | Category::About))
    }

    fn open_section(&mut self, heading: String, links: &[LinkRef]) {
        self.outline.sections.push(Section {
            category: category_of(&heading),
            heading,
            lead_text: String::new(),
            lead_links: links.to_vec(),
            items: Vec::new(),
        });
        self.target = Target::Lead;
        self.item_open = false;
    }

    /// `open`: whether following paragraphs join the item.
    fn open_item(&mut self, title: String, links: &[LinkRef], open: bool) {
        let Some(section) = self.outline.sections.last_mut() else {
            return;
        };
        section.items.push(Item {
            title,
            url: links.first().map(|link| link.url.clone()),
            text: String::new(),
            links: links.to_vec(),
        });
        self.target = Target::Item;
        self.item_open = open;
    }

    /// Adds to the current item. A title without a link takes the URL of
    /// its first card wherever it is, or of a link line right under it.
    fn append_to_item(&mut self, text: &str, links: &[LinkRef], role: LinkRole) {
        let Some(item) = self
            .outline
            .sections
            .last_mut()
            .and_then(|s| s.items.last_mut())
        else {
            return;
        };
        let gives_url = match role {
            LinkRole::Card => true,
            LinkRole::LinkLine => item.text.is_empty(),
            LinkRole::Plain => false,
        };
        if item.url.is_none() && gives_url {
            item.url = links.first().map(|link| link.url.clone());
        }
        push_text(&mut item.text, text);
        item.links.extend_from_slice(links);
    }

    fn append(&mut self, text: &str, links: &[LinkRef]) {
        match self.target {
            Target::Item => self.append_to_item(text, links, LinkRole::Plain),
            Target::Lead => {
                if let Some(section) = self.outline.sections.last_mut() {
                    push_text(&mut section.lead_text, text);
                    section.lead_links.extend_from_slice(links);
                }
            }
            Target::Intro => {
                push_text(&mut self.outline.intro_text, text);
                self.outline.intro_links.extend_from_slice(links);
            }
        }
    }
}

/// A sub-heading that only groups linked list entries (This Week in
/// Rust's "### Official"): before the next heading of its level or above,
/// nothing but top-level entries with links. Entries with
/// nested notes, a paragraph or a card make it one article with notes, as
/// in Neco Weekly's "### CloudNative Security Conference 2022".
/// A list entry that opens with emoji and then a link: the link's text
/// and what follows it (less a leading `:` or dash). A link-first entry
/// without the emoji keeps the whole line as its title: the Kubernetes and
/// Rust weeklies write `[#105314](…) - what changed`, where the line, not
/// the link, says what the item is.
fn emoji_led_link(text: &str, links: &[LinkRef]) -> Option<(String, String)> {
    let first = links.first()?;
    let link_text = one_line(&first.text);
    if link_text.is_empty() {
        return None;
    }
    let rest = text.trim_start();
    let after_emoji = rest.trim_start_matches(|c: char| is_emoji(c) || c.is_whitespace());
    if after_emoji.len() == rest.len() {
        return None;
    }
    let summary = one_line(after_emoji).strip_prefix(&link_text)?.to_string();
    let summary = summary
        .trim_start_matches(|c: char| c.is_whitespace() || ":-–—|".contains(c))
        .to_string();
    Some((link_text, summary))
}

/// "Sponsor", "**Sponsored**", "Our partners:", "— Ad —": a line that is
/// only a sponsor block's label.
fn is_sponsor_label(text: &str) -> bool {
    let line = one_line(text);
    if line.is_empty() || line.chars().count() > 40 {
        return false;
    }
    category_of(&line) == Category::Sponsor && line.split_whitespace().count() <= 4
}

fn is_group_heading(level: u8, rest: &[Block]) -> bool {
    let mut linked_entries = 0;
    for block in rest {
        match block {
            Block::Heading { level: next, .. } if *next <= level => break,
            Block::ListItem {
                depth: 0,
                continued: false,
                links,
                ..
            } if !links.is_empty() => linked_entries += 1,
            _ => return false,
        }
    }
    linked_entries > 0
}

/// Whether the section's next article is a sub-heading: one comes before
/// the next section, and no card (which would be an article itself) comes
/// before it.
fn articles_are_headings(rest: &[Block]) -> bool {
    for block in rest {
        match block {
            Block::Heading { level, .. } => return *level >= 3,
            Block::Card { .. } => return false,
            _ => {}
        }
    }
    false
}

fn push_text(buffer: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !buffer.is_empty() {
        buffer.push('\n');
    }
    buffer.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.into(),
            links: vec![],
        }
    }

    #[test]
    fn a_repeated_title_is_not_a_section() {
        let blocks = [
            heading(1, "Issue 1"),
            heading(2, "News"),
            heading(3, "Thing"),
        ];
        let outline = build(&blocks, Some("Issue 1".into()));
        assert_eq!(outline.sections.len(), 1);
        assert_eq!(outline.sections[0].items[0].title, "Thing");
    }

    fn card(title: &str, url: &str) -> Block {
        Block::Card {
            text: format!("{title}\nA page about {title}."),
            links: vec![LinkRef {
                url: url.into(),
                text: title.into(),
            }],
        }
    }

    #[test]
    fn a_card_before_the_first_sub_heading_is_the_section_lead() {
        let blocks = [
            heading(2, "Events"),
            card("Meetup series", "https://meetup.test/"),
            heading(3, "Spring meetup"),
            card("Spring meetup page", "https://meetup.test/spring"),
            heading(3, "Autumn meetup"),
        ];
        let outline = build(&blocks, Some("T".into()));
        let events = &outline.sections[0];
        let titles: Vec<&str> = events.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Spring meetup", "Autumn meetup"]);
        assert_eq!(
            events.lead_text,
            "Meetup series\nA page about Meetup series."
        );
        assert_eq!(events.lead_links[0].url, "https://meetup.test/");
        assert_eq!(
            events.items[0].url.as_deref(),
            Some("https://meetup.test/spring")
        );
    }

    #[test]
    fn cards_that_are_the_articles_stay_items() {
        let blocks = [
            heading(2, "Events"),
            card("Spring meetup", "https://meetup.test/spring"),
            card("Autumn meetup", "https://meetup.test/autumn"),
            heading(3, "Winter meetup"),
        ];
        let outline = build(&blocks, Some("T".into()));
        let titles: Vec<&str> = outline.sections[0]
            .items
            .iter()
            .map(|i| i.title.as_str())
            .collect();
        // The second card joins the item the first one opened, as before.
        assert_eq!(titles, ["Spring meetup", "Winter meetup"]);
        assert!(outline.sections[0].lead_text.is_empty());
    }

    #[test]
    fn afterword_headings_and_cards_are_lead_text() {
        let card = Block::Card {
            text: "Team".into(),
            links: vec![LinkRef {
                url: "https://team.test/".into(),
                text: "Team".into(),
            }],
        };
        let blocks = [heading(2, "あとがき"), heading(3, "PS"), card];
        let outline = build(&blocks, Some("T".into()));
        let afterword = &outline.sections[0];
        assert!(afterword.items.is_empty());
        assert_eq!(afterword.lead_text, "PS\nTeam");
        assert_eq!(afterword.lead_links.len(), 1);
    }
}
