//! The data model every stage shares: what flows from read → parse →
//! extract → graph/trends → export.
//!
//! Parsing produces an [`Issue`] (issue → section → item, with text).
//! Extraction turns it into an [`IssueRecord`]: the same outline without the
//! text, plus the [`Mention`]s and [`Link`]s found in it. The text is dropped
//! there, so memory grows with mentions, not with the corpus's bytes.

use std::fmt;

use serde::{Deserialize, Serialize};

pub type Date = chrono::NaiveDate;

/// The earliest and the latest of a set of dates: what the trend periods
/// span, known before the first record streams past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub first: Date,
    pub last: Date,
}

impl DateRange {
    /// `None` when no date is known.
    pub fn of(dates: impl IntoIterator<Item = Option<Date>>) -> Option<DateRange> {
        dates
            .into_iter()
            .flatten()
            .fold(None, |range, date| match range {
                None => Some(DateRange {
                    first: date,
                    last: date,
                }),
                Some(DateRange { first, last }) => Some(DateRange {
                    first: first.min(date),
                    last: last.max(date),
                }),
            })
    }
}

/// A date as people read it in reports: `2022-09-16`, or "undated".
pub fn date_or_undated(date: Option<Date>) -> String {
    date.map_or_else(|| "undated".to_string(), |d| d.to_string())
}

/// How an issue was written; detected from content, never from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// GitHub Markdown as Neco Weekly wrote it (`#` title, `##` sections, `###` items).
    Markdown,
    /// Markdown after a YAML `---` block (Jekyll, LWKD) or Pelican `Title:` headers.
    FrontMatter,
    /// Text copied from a rendered web page (Zenn): no markup at all.
    Text,
    /// A saved HTML page.
    Html,
    /// MDX (Markdown with `import` lines and JSX components), front matter or not.
    Mdx,
    /// One entry of an RSS, Atom or JSON feed.
    Feed,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::FrontMatter => "front-matter",
            Format::Text => "text",
            Format::Html => "html",
            Format::Mdx => "mdx",
            Format::Feed => "feed",
        }
    }
}

/// A section heading normalised, emoji and language aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    News,
    ReleaseNotes,
    Features,
    Articles,
    Prs,
    Books,
    Events,
    Tools,
    Keps,
    Afterword,
    About,
    Other,
    /// A sponsor block ("Sponsor", "Our partners", "Ad"): paid for, not
    /// chosen, so it is kept apart from the content categories in [`Category::ALL`].
    Sponsor,
}

impl Category {
    /// The content categories, each a column of `periods.csv` and a trend
    /// series. [`Category::Sponsor`] is not one of them: sponsor items are
    /// in `items.csv` with their category, and count in a period's items,
    /// but a column of their own would change the columns of every
    /// corpus's table, sponsored or not.
    pub const ALL: [Category; 12] = [
        Category::News,
        Category::ReleaseNotes,
        Category::Features,
        Category::Articles,
        Category::Prs,
        Category::Books,
        Category::Events,
        Category::Tools,
        Category::Keps,
        Category::Afterword,
        Category::About,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::News => "news",
            Category::ReleaseNotes => "release-notes",
            Category::Features => "features",
            Category::Articles => "articles",
            Category::Prs => "prs",
            Category::Books => "books",
            Category::Events => "events",
            Category::Tools => "tools",
            Category::Keps => "keps",
            Category::Afterword => "afterword",
            Category::About => "about",
            Category::Other => "other",
            Category::Sponsor => "sponsor",
        }
    }
}

/// A hyperlink as written: its target and the text it was written with
/// (link text, card title; empty for a bare URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRef {
    pub url: String,
    pub text: String,
}

/// One issue of a newsletter, as parsed, text included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable id: `{publication-slug}-{date}` (or `-{file-stem}` when undated).
    pub id: String,
    pub publication: String,
    pub title: String,
    /// `None` keeps the issue out of time series (a warning says so).
    pub date: Option<Date>,
    pub number: Option<u32>,
    pub source_path: String,
    /// The published page, when the input says where (front matter `url`
    /// or `permalink`, a feed entry's link), absolute or a path on the
    /// site; the pipeline settles it into [`IssueMeta::url`].
    #[serde(default)]
    pub url: Option<String>,
    /// The front matter's `slug`, for the site's URL conventions.
    #[serde(default)]
    pub slug: Option<String>,
    pub format: Format,
    /// Text before the first section (the team introduction and the like).
    pub intro_text: String,
    pub intro_links: Vec<LinkRef>,
    pub sections: Vec<Section>,
    /// Text written as code, in reading order (Markdown only: other
    /// formats leave it empty). The text above holds it too, as plain text.
    #[serde(default)]
    pub code: Vec<CodeText>,
}

/// A code span (`` `serde` ``) or a code block, as the issue's text holds
/// it (a block's lines tidied like the text's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeText {
    pub text: String,
    pub is_block: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub category: Category,
    /// Text under the heading that belongs to no item; scanned, not an item.
    pub lead_text: String,
    pub lead_links: Vec<LinkRef>,
    pub items: Vec<Item>,
}

/// One article: one title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub title: String,
    /// The item's own link (the card, the title link, the first URL line).
    pub url: Option<String>,
    pub text: String,
    /// Every link in the item, its own `url` included.
    pub links: Vec<LinkRef>,
}

impl Issue {
    pub fn link_count(&self) -> usize {
        self.intro_links.len()
            + self
                .sections
                .iter()
                .map(|s| s.lead_links.len() + s.items.iter().map(|i| i.links.len()).sum::<usize>())
                .sum::<usize>()
    }
}

/// Item ids are the issue id and a 1-based ordinal: `neco-weekly-2022-09-16#3`.
pub fn item_id(issue_id: &str, n: usize) -> String {
    format!("{issue_id}#{}", n + 1)
}

/// What kind of thing an entity is; the prefix of its id (`kind:slug`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Tool,
    Neco,
    Kep,
    Pr,
    Topic,
    Event,
    Org,
    Book,
    /// A project no dictionary lists, known from the links to its
    /// repository or registry page (`project:github.com/owner/name`).
    Project,
}

impl EntityKind {
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Tool,
        EntityKind::Neco,
        EntityKind::Kep,
        EntityKind::Pr,
        EntityKind::Topic,
        EntityKind::Event,
        EntityKind::Org,
        EntityKind::Book,
        EntityKind::Project,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Tool => "tool",
            EntityKind::Neco => "neco",
            EntityKind::Kep => "kep",
            EntityKind::Pr => "pr",
            EntityKind::Topic => "topic",
            EntityKind::Event => "event",
            EntityKind::Org => "org",
            EntityKind::Book => "book",
            EntityKind::Project => "project",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How strictly an entity's aliases must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchRule {
    /// Any case, whole word.
    #[default]
    Normal,
    /// Exactly as written in the alias (case-sensitive), whole word.
    Exact,
    /// Case-sensitive, and only where the context makes it the product
    /// (common English words: Go, Kind, Flux, Helm, Coil, Vault, …).
    Strict,
}

/// A thing the newsletters talk about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// `kind:slug`, stable across runs and releases: `neco:moco`, `kep:2091`.
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Homepage first, then repositories.
    #[serde(default)]
    pub urls: Vec<String>,
    #[serde(default)]
    pub category: String,
    /// CNCF maturity: graduated, incubating, sandbox (empty when not CNCF).
    #[serde(default)]
    pub cncf: String,
    #[serde(default, rename = "match")]
    pub match_rule: MatchRule,
    /// Free facts from the text (a KEP's SIG).
    #[serde(default)]
    pub sig: String,
    /// Where the entry came from; set by whoever makes the entity (a
    /// user's `--dict` file cannot set it).
    #[serde(default)]
    pub source: Source,
}

impl Entity {
    /// An entity with an id, a name and a kind and nothing else: no
    /// aliases or URLs, no category, the default match rule and source.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: EntityKind) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind,
            aliases: Vec::new(),
            urls: Vec::new(),
            category: String::new(),
            cncf: String::new(),
            match_rule: MatchRule::default(),
            sig: String::new(),
            source: Source::default(),
        }
    }

    /// The repository a pull request, an issue or a KEP lives in
    /// (`github.com/kubernetes/kubernetes`), read from its id; empty for
    /// any other entity. The `repo` column of entities.csv, so that "pull
    /// requests per repository" is one group-by.
    pub fn repository(&self) -> String {
        match self.kind {
            EntityKind::Kep if self.id.starts_with("kep:") => {
                "github.com/kubernetes/enhancements".to_string()
            }
            EntityKind::Pr => match self
                .id
                .strip_prefix("pr:")
                .and_then(|rest| rest.rsplit_once('#'))
            {
                Some((repository, _number)) => format!("github.com/{repository}"),
                None => String::new(),
            },
            _ => String::new(),
        }
    }
}

/// Every entity in force, in id order (bytewise), one per id: the
/// dictionary plus what extraction discovered. A sorted vector, not an
/// ordered tree: a corpus of millions of entities builds it by one sort
/// and no tree (a second copy of every entity while the nodes are
/// filled), and keeps no second copy of each id as the key. Read like the
/// map it replaces: [`EntityTable::get`], `table["tool:moco"]`,
/// [`EntityTable::iter`] giving `(id, entity)` in id order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityTable {
    /// Sorted by `id`, ids distinct.
    entities: Vec<Entity>,
}

impl EntityTable {
    pub const fn new() -> EntityTable {
        EntityTable {
            entities: Vec::new(),
        }
    }

    /// Entities already in id order with distinct ids; checked, and put
    /// in order (the later of two with one id standing) if they are not.
    pub fn from_sorted(entities: Vec<Entity>) -> EntityTable {
        if entities.windows(2).all(|pair| pair[0].id < pair[1].id) {
            EntityTable { entities }
        } else {
            entities.into_iter().collect()
        }
    }

    fn position(&self, id: &str) -> Result<usize, usize> {
        self.entities
            .binary_search_by(|entity| entity.id.as_str().cmp(id))
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.position(id).ok().map(|at| &self.entities[at])
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.position(id).is_ok()
    }

    /// Adds `entity`, replacing the one with its id, which is returned.
    pub fn insert(&mut self, entity: Entity) -> Option<Entity> {
        match self.position(&entity.id) {
            Ok(at) => Some(std::mem::replace(&mut self.entities[at], entity)),
            Err(at) => {
                self.entities.insert(at, entity);
                None
            }
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<Entity> {
        self.position(id).ok().map(|at| self.entities.remove(at))
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// `(id, entity)` in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &Entity)> + Clone + '_ {
        self.entities.iter().map(|entity| (&entity.id, entity))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + Clone + '_ {
        self.entities.iter().map(|entity| &entity.id)
    }

    pub fn values(&self) -> std::slice::Iter<'_, Entity> {
        self.entities.iter()
    }
}

impl std::ops::Index<&str> for EntityTable {
    type Output = Entity;

    /// Panics when the table lacks `id`, as a map's index does.
    fn index(&self, id: &str) -> &Entity {
        match self.get(id) {
            Some(entity) => entity,
            None => panic!("no entity {id:?} in the table"),
        }
    }
}

/// In id order; of two entities with one id the later stands, as when
/// they are inserted one by one.
impl FromIterator<Entity> for EntityTable {
    fn from_iter<I: IntoIterator<Item = Entity>>(entities: I) -> Self {
        let mut entities: Vec<Entity> = entities.into_iter().collect();
        // Stable: of equal ids, the later stays later, and is kept.
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let mut kept: Vec<Entity> = Vec::with_capacity(entities.len());
        for entity in entities {
            match kept.last_mut() {
                Some(last) if last.id == entity.id => *last = entity,
                _ => kept.push(entity),
            }
        }
        EntityTable { entities: kept }
    }
}

/// Adds each entity as [`EntityTable::insert`] does: the later of two
/// with one id stands.
impl Extend<Entity> for EntityTable {
    fn extend<I: IntoIterator<Item = Entity>>(&mut self, entities: I) {
        let added = std::mem::take(&mut self.entities)
            .into_iter()
            .chain(entities);
        *self = added.collect();
    }
}

impl IntoIterator for EntityTable {
    type Item = Entity;
    type IntoIter = std::vec::IntoIter<Entity>;

    fn into_iter(self) -> Self::IntoIter {
        self.entities.into_iter()
    }
}

impl<'a> IntoIterator for &'a EntityTable {
    type Item = &'a Entity;
    type IntoIter = std::slice::Iter<'a, Entity>;

    fn into_iter(self) -> Self::IntoIter {
        self.entities.iter()
    }
}

/// As the map it replaces: an object of entities by id.
impl Serialize for EntityTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for EntityTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let by_id = std::collections::BTreeMap::<String, Entity>::deserialize(deserializer)?;
        Ok(by_id.into_values().collect())
    }
}

/// The entity table with a hash index over its ids: what each mention's
/// entity is looked up in while the records stream past (a name for each
/// row of mentions.csv, whether the dictionary holds it for the summary).
/// A corpus can hold millions of entities, and a lookup in the ordered
/// table waits on memory at every level of the tree; the index costs one
/// hash and about one probe.
pub struct EntityLookup<'a> {
    table: &'a EntityTable,
    by_id: rustc_hash::FxHashMap<&'a str, &'a Entity>,
}

impl<'a> EntityLookup<'a> {
    pub fn new(table: &'a EntityTable) -> Self {
        let mut by_id = rustc_hash::FxHashMap::default();
        by_id.reserve(table.len());
        by_id.extend(table.values().map(|entity| (entity.id.as_str(), entity)));
        EntityLookup { table, by_id }
    }

    pub fn get(&self, id: &str) -> Option<&'a Entity> {
        self.by_id.get(id).copied()
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The table itself, in id order.
    pub fn table(&self) -> &'a EntityTable {
        self.table
    }
}

/// Whatever else a sink asks of the table (its order, its length) is the
/// table's own.
impl std::ops::Deref for EntityLookup<'_> {
    type Target = EntityTable;

    fn deref(&self) -> &Self::Target {
        self.table
    }
}

/// The entity table read by ids asked in ascending order: one walk of the
/// table finds them all. A corpus can hold millions of entities, and a
/// lookup in a table that size waits on memory at every level of the
/// tree; the outputs and the graph ask for entities in id order anyway.
pub struct EntitiesInOrder<'a> {
    rest: std::iter::Peekable<std::slice::Iter<'a, Entity>>,
}

impl<'a> EntitiesInOrder<'a> {
    pub fn new(entities: &'a EntityTable) -> Self {
        EntitiesInOrder {
            rest: entities.values().peekable(),
        }
    }

    /// The entity `id`. Each id asked must be no smaller than the one
    /// before (the table's own order, bytewise): an earlier one is not
    /// found.
    pub fn get(&mut self, id: &str) -> Option<&'a Entity> {
        while self
            .rest
            .next_if(|entity| entity.id.as_str() < id)
            .is_some()
        {}
        self.rest.peek().filter(|entity| entity.id == id).copied()
    }
}

/// Where an entity came from: the `source` column of entities.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `data/entities.toml`, compiled in (a `--dict` patch of a built-in
    /// entry keeps it built-in).
    #[default]
    Builtin,
    /// `--landscape landscape.yml`.
    Landscape,
    /// A `--dict` file's new entry.
    User,
    /// Decided from the corpus's links to a project's home.
    LinkDerived,
    /// Defined by the text itself: a KEP or pull request named by number.
    Discovered,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Builtin => "builtin",
            Source::Landscape => "landscape",
            Source::User => "user",
            Source::LinkDerived => "link-derived",
            Source::Discovered => "discovered",
        }
    }
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    Alias,
    Url,
    Pattern,
    /// A link-derived entity in a scope that links to it.
    LinkDerived,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Alias => "alias",
            Via::Url => "url",
            Via::Pattern => "pattern",
            Via::LinkDerived => "link-derived",
        }
    }
}

/// An entity named in an item (or, with `item_id` empty, in text outside
/// items). Several namings in one item are one mention with a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub issue_id: String,
    pub item_id: Option<String>,
    pub date: Option<Date>,
    pub category: Category,
    pub entity_id: String,
    pub entity_name: String,
    pub kind: EntityKind,
    pub via: Via,
    /// The text as written where first found.
    pub surface: String,
    pub count: u32,
    /// A version written next to the name ("v0.13.0", "1.25").
    pub version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    GithubRepo,
    GithubPr,
    GithubIssue,
    GithubRelease,
    Kep,
    KubernetesBlog,
    KubernetesDocs,
    Twitter,
    Youtube,
    Article,
    Other,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::GithubRepo => "github-repo",
            LinkKind::GithubPr => "github-pr",
            LinkKind::GithubIssue => "github-issue",
            LinkKind::GithubRelease => "github-release",
            LinkKind::Kep => "kep",
            LinkKind::KubernetesBlog => "kubernetes-blog",
            LinkKind::KubernetesDocs => "kubernetes-docs",
            LinkKind::Twitter => "twitter",
            LinkKind::Youtube => "youtube",
            LinkKind::Article => "article",
            LinkKind::Other => "other",
        }
    }
}

/// Every URL in an issue, classified, with the entity it points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub issue_id: String,
    pub item_id: Option<String>,
    pub url: String,
    pub host: String,
    pub kind: LinkKind,
    pub entity_id: Option<String>,
}

/// A product-looking name no dictionary entry knows, seen once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateHit {
    pub name: String,
    pub suggested_kind: EntityKind,
    /// The line it stood in, trimmed.
    pub example: String,
    pub evidence: Evidence,
    /// Written the way a language writes a type, not a product: followed
    /// by `<` or `::`, after `::`, or CamelCase alone in a code span.
    pub type_like: bool,
    /// The project's page, when a link gave the name.
    pub url: Option<String>,
}

/// What makes a candidate a name, strongest first: a link to the
/// project's page that its text names, an item or section title, a
/// capital in running prose, code formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    Link,
    Title,
    Prose,
    Code,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [
        Evidence::Link,
        Evidence::Title,
        Evidence::Prose,
        Evidence::Code,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Link => "link",
            Evidence::Title => "title",
            Evidence::Prose => "prose",
            Evidence::Code => "code",
        }
    }
}

/// An issue without its text: what later stages keep of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueMeta {
    pub id: String,
    pub publication: String,
    pub title: String,
    pub date: Option<Date>,
    pub number: Option<u32>,
    pub source_path: String,
    pub format: Format,
    pub sections: usize,
    pub links: usize,
    /// Lines of the issue that are its publication's template text
    /// (`extract::boilerplate`).
    #[serde(default)]
    pub boilerplate_lines: usize,
    /// The published issue's absolute URL, when the input or the site's
    /// conventions say it (see `read::site`); `None` otherwise.
    #[serde(default)]
    pub url: Option<String>,
    /// The file's path relative to the input it was found under (its file
    /// name for a file given as an input): what the reports show when
    /// there is no URL, never an absolute local path.
    #[serde(default)]
    pub path: String,
}

/// An item without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemMeta {
    pub id: String,
    pub section: String,
    pub category: Category,
    pub title: String,
    pub url: Option<String>,
}

/// One issue after extraction: the outline and everything found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRecord {
    pub issue: IssueMeta,
    pub items: Vec<ItemMeta>,
    pub mentions: Vec<Mention>,
    pub links: Vec<Link>,
    /// Entities the text defines that no dictionary lists (KEPs and PRs,
    /// named by pattern or link), with what the text says of them. The
    /// pipeline moves them into [`Corpus::entities`], so records read from a
    /// corpus have none left here.
    pub discovered: Vec<Entity>,
    pub candidates: Vec<CandidateHit>,
}

/// What issues.csv, the reports and the headline need of an issue: its
/// metadata and how many items and links it has, without the items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueSummary {
    pub issue: IssueMeta,
    pub items: usize,
    pub links: usize,
}

impl IssueSummary {
    pub fn of(record: &IssueRecord) -> IssueSummary {
        IssueSummary {
            issue: record.issue.clone(),
            items: record.items.len(),
            links: record.links.len(),
        }
    }
}

/// A problem with one input; the run goes on with the rest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

impl Warning {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The whole corpus after read → parse → extract: the input of graph,
/// trends and export. Issues are sorted by (date, id); entities by id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Corpus {
    pub records: Vec<IssueRecord>,
    /// Every entity in force: the dictionary plus what extraction discovered.
    pub entities: EntityTable,
    pub warnings: Vec<Warning>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_range_spans_the_known_dates() {
        let date = |d| Date::from_ymd_opt(2023, 5, d).unwrap();
        assert_eq!(DateRange::of([None, None]), None);
        assert_eq!(
            DateRange::of([Some(date(9)), None, Some(date(2)), Some(date(30))]),
            Some(DateRange {
                first: date(2),
                last: date(30),
            })
        );
    }

    fn named(id: &str, name: &str) -> Entity {
        Entity::new(id, name, EntityKind::Tool)
    }

    /// The table reads as the ordered map it replaced: id order, bytewise;
    /// the later of two entities with one id stands, whether collected,
    /// extended or inserted.
    #[test]
    fn the_entity_table_keeps_id_order_and_the_later_of_two() {
        let mut table: EntityTable = [
            named("tool:b", "B"),
            named("Tool:z", "capital"),
            named("tool:a", "first A"),
            named("tool:a", "second A"),
        ]
        .into_iter()
        .collect();
        let ids: Vec<&str> = table.keys().map(String::as_str).collect();
        assert_eq!(ids, ["Tool:z", "tool:a", "tool:b"]);
        assert_eq!(table["tool:a"].name, "second A");
        assert_eq!(table.get("tool:c"), None);
        assert!(!table.contains_key("tool:c"));

        table.extend([named("tool:c", "C"), named("tool:b", "new B")]);
        assert_eq!(table.len(), 4);
        assert_eq!(table["tool:b"].name, "new B");
        let replaced = table.insert(named("tool:c", "new C"));
        assert_eq!(replaced.map(|e| e.name), Some("C".to_string()));
        assert_eq!(table.insert(named("tool:0", "zero")), None);
        assert_eq!(
            table.remove("Tool:z").map(|e| e.name),
            Some("capital".into())
        );
        let in_order: Vec<(&str, &str)> = table
            .iter()
            .map(|(id, e)| (id.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(
            in_order,
            [
                ("tool:0", "zero"),
                ("tool:a", "second A"),
                ("tool:b", "new B"),
                ("tool:c", "new C")
            ]
        );

        // A run claimed sorted that is not is put in order all the same.
        let unsorted = EntityTable::from_sorted(vec![named("tool:b", "B"), named("tool:a", "A")]);
        let ids: Vec<&str> = unsorted.keys().map(String::as_str).collect();
        assert_eq!(ids, ["tool:a", "tool:b"]);
    }

    /// Serialized as the map was: an object of entities by id.
    #[test]
    fn the_entity_table_serializes_as_a_map_by_id() {
        let table: EntityTable = [named("tool:b", "B"), named("tool:a", "A")]
            .into_iter()
            .collect();
        let json = serde_json::to_value(&table).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["tool:a", "tool:b"]);
        assert_eq!(json["tool:b"]["name"], "B");
        let back: EntityTable = serde_json::from_value(json).unwrap();
        assert_eq!(back, table);
    }

    #[test]
    fn entities_asked_in_id_order_are_found_in_one_walk() {
        let entity = |id: &str| Entity::new(id, id.to_uppercase(), EntityKind::Project);
        let table: EntityTable = ["project:b", "project:d", "tool:a"]
            .into_iter()
            .map(entity)
            .collect();
        let mut in_order = EntitiesInOrder::new(&table);
        let name = |found: Option<&Entity>| found.map(|e| e.name.clone());
        assert_eq!(name(in_order.get("project:a")), None);
        assert_eq!(name(in_order.get("project:b")), Some("PROJECT:B".into()));
        // The same id twice, then one the table lacks between two it holds.
        assert_eq!(name(in_order.get("project:b")), Some("PROJECT:B".into()));
        assert_eq!(name(in_order.get("project:c")), None);
        assert_eq!(name(in_order.get("project:d")), Some("PROJECT:D".into()));
        assert_eq!(name(in_order.get("tool:a")), Some("TOOL:A".into()));
        assert_eq!(name(in_order.get("tool:z")), None);
    }
}
