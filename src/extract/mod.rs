//! Extract: an [`Issue`] → an [`IssueRecord`]: its outline without the text,
//! the entities mentioned, every link, and candidate names.
//!
//! The text is scanned in scopes: each item (its title, text, and the text
//! of its links), and outside items the intro (category `about`) and each
//! section's heading and lead text (the afterword is such a section).
//! Mentions outside items carry no item id; those of one category in one
//! issue are one mention per entity.
//!
//! One mention per entity per scope. Its `count` is the number of times
//! the text names the entity (by alias or pattern); an entity only linked,
//! never named, counts its links. `via` is how the text first named it
//! (`alias` or `pattern`), or `url` when only a link names it; `surface`
//! is the text as first written there (the URL for a link), and `version`
//! the first version written right after the name.
//!
//! A link names up to two entities: the pull request, issue or KEP it
//! points at (`pr:…`, `kep:…`, discovered here with the title the text
//! gives), and the repository's or homepage's dictionary entity
//! (`github.com/cybozu-go/moco/pull/1` is MOCO too). `Link.entity_id` is
//! the more specific of the two.

pub mod boilerplate;
pub mod candidates;
pub mod dictionary;
pub mod links;
pub mod matcher;
pub mod patterns;
pub mod projects;
pub mod spans;
pub mod url;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use linkify::{LinkFinder, LinkKind as LinkifyKind};

use crate::model::{
    Category, Entity, EntityKind, Issue, IssueMeta, IssueRecord, ItemMeta, Link, LinkKind, LinkRef,
    Mention, Source, Via, item_id,
};
use boilerplate::Boilerplate;
use candidates::{CandidateFinder, CandidateScan, ScopeWords};
pub use dictionary::Dictionary;
use links::{Target, UrlIndex};
use matcher::{Context, Matcher};
use spans::Spans;
use url::{RepoKey, UrlParts};

/// Everything extraction needs, built once and shared by every thread.
pub struct Extractor {
    pub dictionary: Dictionary,
    type_names: Vec<String>,
    /// Built on first use: a build whose corpus links projects of its own
    /// extracts with an extended extractor and never uses this one's.
    lookups: std::sync::OnceLock<Lookups>,
}

/// What extraction looks names and links up in, built from the dictionary.
struct Lookups {
    matcher: Matcher,
    urls: UrlIndex,
    candidates: CandidateFinder,
}

impl Extractor {
    pub fn new(dictionary: Dictionary) -> Extractor {
        Extractor::with_type_names(dictionary, &[])
    }

    /// An extractor whose dictionary names in `type_names` (see
    /// [`Matcher::with_type_names`]) count only with evidence.
    pub fn with_type_names(dictionary: Dictionary, type_names: &[String]) -> Extractor {
        Extractor {
            dictionary,
            type_names: type_names.to_vec(),
            lookups: std::sync::OnceLock::new(),
        }
    }

    fn lookups(&self) -> &Lookups {
        self.lookups.get_or_init(|| self.new_lookups(false))
    }

    /// Builds the lookups and compiles the patterns now, side by side on
    /// the pool's threads. Left to the first file that needs them, one
    /// thread builds them while every other waits on the lock.
    ///
    /// Call it with no other work running on the pool: a thread waiting in
    /// `join` may take up other work, and work that needs the lookups then
    /// would wait on the lock that thread holds. (So [`Extractor::lookups`]
    /// builds them on one thread.)
    pub fn build_lookups(&self) {
        self.lookups.get_or_init(|| self.new_lookups(true));
    }

    fn new_lookups(&self, side_by_side: bool) -> Lookups {
        let entities = &self.dictionary.entities;
        let matcher = || Matcher::with_type_names(entities, &self.type_names);
        let the_rest = || {
            patterns::compile_patterns();
            matcher::compile_patterns();
            (UrlIndex::new(entities), CandidateFinder::new(entities))
        };
        let (matcher, (urls, candidates)) = if side_by_side {
            rayon::join(matcher, the_rest)
        } else {
            (matcher(), the_rest())
        };
        Lookups {
            matcher,
            urls,
            candidates,
        }
    }

    pub fn extract(&self, issue: &Issue) -> IssueRecord {
        self.extract_with(issue, &Boilerplate::default())
    }

    /// [`Extractor::extract`], with the template lines of the corpus's
    /// publications masked: they name nothing.
    pub fn extract_with(&self, issue: &Issue, boilerplate: &Boilerplate) -> IssueRecord {
        let mut builder = RecordBuilder {
            extractor: self,
            boilerplate: boilerplate.of_issue(issue),
            boilerplate_lines: 0,
            issue_id: &issue.id,
            drafts: BTreeMap::new(),
            items: Vec::new(),
            links: Vec::new(),
            discovered: BTreeMap::new(),
            candidates: CandidateScan::new(&issue.code),
            code_spans: matcher::CodeSpans::new(&issue.code),
            umbrella_links: Vec::new(),
        };
        builder.scan_scope(
            Scope::outside(Category::About),
            &[Piece::prose(&issue.intro_text)],
            &issue.intro_links,
            None,
        );
        for section in &issue.sections {
            builder.scan_scope(
                Scope::outside(section.category),
                &[
                    Piece::title(&section.heading),
                    Piece::prose(&section.lead_text),
                ],
                &section.lead_links,
                None,
            );
            for item in &section.items {
                let ordinal = builder.items.len();
                builder.items.push(ItemMeta {
                    id: item_id(&issue.id, ordinal),
                    section: section.heading.clone(),
                    category: section.category,
                    title: item.title.clone(),
                    url: item.url.clone(),
                });
                builder.scan_scope(
                    Scope {
                        ordinal: Some(ordinal),
                        category: section.category,
                    },
                    &[Piece::title(&item.title), Piece::prose(&item.text)],
                    &item.links,
                    item.url.as_deref(),
                );
            }
        }
        builder.finish(issue)
    }
}

/// Where mentions are counted: an item, or the text outside items of one
/// category. Sorts items after the text outside them, items in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Scope {
    ordinal: Option<usize>,
    category: Category,
}

impl Scope {
    fn outside(category: Category) -> Scope {
        Scope {
            ordinal: None,
            category,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Piece<'t> {
    text: &'t str,
    is_title: bool,
}

impl<'t> Piece<'t> {
    fn prose(text: &'t str) -> Piece<'t> {
        Piece {
            text,
            is_title: false,
        }
    }

    fn title(text: &'t str) -> Piece<'t> {
        Piece {
            text,
            is_title: true,
        }
    }
}

/// A mention being counted.
#[derive(Debug)]
struct Draft {
    /// How the text first named it, with what it wrote there.
    named: Option<(Via, String)>,
    named_count: u32,
    first_link: Option<String>,
    link_count: u32,
    version: Option<String>,
    /// The entity's place in the dictionary, when it was found through
    /// it: saves looking the id up again.
    dictionary_position: Option<usize>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            named: None,
            named_count: 0,
            first_link: None,
            link_count: 0,
            version: None,
            dictionary_position: None,
        }
    }
}

struct RecordBuilder<'x, 'i> {
    extractor: &'x Extractor,
    /// The template lines of the issue's publication.
    boilerplate: Option<&'x boilerplate::TemplateLines>,
    boilerplate_lines: usize,
    issue_id: &'i str,
    /// Mentions being counted, by scope, then entity id: the order of the
    /// record's mentions. A scope names few entities, so a sorted vector
    /// (one binary search per name, no tree nodes) stands for a map.
    drafts: BTreeMap<Scope, Vec<(String, Draft)>>,
    /// The items met so far; an item's scope ordinal is its place here.
    items: Vec<ItemMeta>,
    links: Vec<Link>,
    discovered: BTreeMap<String, Entity>,
    candidates: CandidateScan<'i>,
    /// The issue's code spans, spent by strict names written as code.
    code_spans: matcher::CodeSpans,
    /// Tracked links of the scope being scanned whose repository's
    /// project waits for the text to name it.
    umbrella_links: Vec<UmbrellaLink>,
}

/// A link into a repository that names its target (a pull request, a
/// KEP, a file), and the repository's project only if the text does.
struct UmbrellaLink {
    scope: Scope,
    /// The project's place in the dictionary.
    position: usize,
    url: String,
    /// Its row among the record's links.
    link: usize,
}

impl<'i> RecordBuilder<'_, 'i> {
    fn scan_scope(
        &mut self,
        scope: Scope,
        pieces: &[Piece<'i>],
        written_links: &'i [LinkRef],
        own_url: Option<&'i str>,
    ) {
        let url_spans: Vec<Vec<(usize, usize)>> =
            pieces.iter().map(|piece| url_spans(piece.text)).collect();
        let template_spans: Vec<Vec<(usize, usize)>> = pieces
            .iter()
            .map(|piece| match self.boilerplate {
                Some(lines) => boilerplate::spans(lines, piece.text),
                None => Vec::new(),
            })
            .collect();
        self.boilerplate_lines += template_spans.iter().map(Vec::len).sum::<usize>();
        let template_links = template_links(pieces, &template_spans, &url_spans, written_links);

        let mut seen_urls: HashSet<&str> = HashSet::new();
        let mut urls: Vec<&str> = Vec::new();
        // Most scopes have a few links: a look through them costs less
        // than hashing; a page with thousands of links gets the set.
        const FEW_LINKS: usize = 16;
        let written_urls = written_links.iter().map(|l| l.url.as_str());
        let bare_urls = pieces
            .iter()
            .zip(&url_spans)
            .flat_map(|(piece, spans)| spans.iter().map(|&(s, e)| &piece.text[s..e]));
        for url in written_urls.chain(own_url).chain(bare_urls) {
            let url = url.trim();
            if url.is_empty() {
                continue;
            }
            let new = if urls.len() < FEW_LINKS {
                !urls.contains(&url)
            } else {
                if seen_urls.is_empty() {
                    seen_urls.extend(urls.iter().copied());
                }
                seen_urls.insert(url)
            };
            if new {
                urls.push(url);
            }
        }
        let linked = self.scan_links(
            scope,
            &urls,
            &template_links.urls,
            written_links,
            pieces,
            &url_spans,
        );

        // Link texts are titles of a kind; skip those the text already holds.
        let held = link_texts_held(pieces, written_links);
        let link_pieces: Vec<Piece<'i>> = written_links
            .iter()
            .zip(held)
            .zip(&template_links.written)
            .filter(|((link, held), template)| !link.text.trim().is_empty() && !held && !*template)
            .map(|((link, _), _)| Piece::title(&link.text))
            .collect();
        let labels = site_labels(written_links, self.extractor);
        let sites = if pieces
            .iter()
            .chain(&link_pieces)
            .any(|piece| writes_site_separator(piece.text))
        {
            site_names(&urls)
        } else {
            Vec::new()
        };
        for (index, piece) in pieces.iter().chain(&link_pieces).enumerate() {
            let mut spans = url_spans
                .get(index)
                .cloned()
                .unwrap_or_else(|| self::url_spans(piece.text));
            if let Some(template) = template_spans.get(index) {
                spans.extend_from_slice(template);
            }
            if !sites.is_empty() {
                spans.extend(site_prefixes(piece.text, &sites));
            }
            for label in &labels {
                spans.extend(label_spans(piece.text, label));
            }
            self.scan_text(scope, *piece, &linked, &Spans::new(spans));
        }
        self.credit_umbrella_links();
        self.give_names_to_linked_projects(scope);
    }

    /// A name two link-derived projects share (`rocket`, a crate and a
    /// game) is the alias of one of them; next to a link to the other, it
    /// names the linked one. So is a dictionary name next to a link to a
    /// link-derived project of that name.
    fn give_names_to_linked_projects(&mut self, scope: Scope) {
        let entities = &self.extractor.dictionary.entities;
        let Some(drafts) = self.drafts.get_mut(&scope) else {
            return;
        };
        let link_derived = |draft: &Draft| {
            draft
                .dictionary_position
                .and_then(|position| entities.get(position))
                .filter(|entity| entity.source == Source::LinkDerived)
        };
        let linked: Vec<(usize, String)> = drafts
            .iter()
            .enumerate()
            .filter(|(_, (_, draft))| draft.link_count > 0)
            .filter_map(|(at, (_, draft))| Some((at, link_derived(draft)?.name.to_lowercase())))
            .collect();
        if linked.is_empty() {
            return;
        }
        let mut moved: Vec<(usize, usize)> = Vec::new();
        for (at, (_, draft)) in drafts.iter().enumerate() {
            if draft.link_count > 0 || draft.named_count == 0 {
                continue;
            }
            // A dictionary entity named as the linked project is, with no
            // link of its own here, is that project's name too: the text
            // names what the item links (`accurate` beside
            // github.com/bsteinb/accurate is the crate, not Neco's
            // Accurate).
            let name = match link_derived(draft) {
                Some(entity) => entity.name.to_lowercase(),
                None => match &draft.named {
                    Some((_, surface)) => surface.to_lowercase(),
                    None => continue,
                },
            };
            if let Some((to, _)) = linked.iter().find(|(_, linked_name)| *linked_name == name) {
                moved.push((at, *to));
            }
        }
        // A linked draft is never moved, so every place stays valid
        // until the moved ones are taken out at the end.
        for &(from, to) in &moved {
            let draft = std::mem::replace(&mut drafts[from].1, Draft::new());
            let target = &mut drafts[to].1;
            target.named_count += draft.named_count;
            if target.named.is_none() {
                target.named = draft.named;
            }
            if target.version.is_none() {
                target.version = draft.version;
            }
        }
        let mut at = 0;
        drafts.retain(|_| {
            let keep = !moved.iter().any(|&(from, _)| from == at);
            at += 1;
            keep
        });
    }

    /// Credits a tracked link's repository project where the scope's
    /// text named it (see `scan_links`).
    fn credit_umbrella_links(&mut self) {
        for umbrella in std::mem::take(&mut self.umbrella_links) {
            let extractor = self.extractor;
            let id = &extractor.dictionary.entities[umbrella.position].id;
            let named = self.drafts.get(&umbrella.scope).is_some_and(|drafts| {
                drafts
                    .iter()
                    .any(|(entity_id, draft)| entity_id == id && draft.named_count > 0)
            });
            if !named {
                continue;
            }
            self.count_link(umbrella.scope, id, Some(umbrella.position), &umbrella.url);
            if let Some(link) = self.links.get_mut(umbrella.link)
                && link.entity_id.is_none()
            {
                link.entity_id = Some(id.clone());
            }
        }
    }

    /// Records every link of a scope; returns the dictionary entities they
    /// point at, which lets a strict name count in this scope.
    fn scan_links<'l>(
        &mut self,
        scope: Scope,
        urls: &[&'l str],
        template_urls: &[&str],
        written: &'l [LinkRef],
        pieces: &[Piece<'l>],
        url_spans: &[Vec<(usize, usize)>],
    ) -> Vec<(usize, &'l str)> {
        let extractor = self.extractor;
        // The text of the first link written to each URL; a page with
        // thousands of links must not search them all once per URL.
        const FEW_LINKS: usize = 16;
        let mut text_of: HashMap<&str, &str> = HashMap::new();
        if written.len() > FEW_LINKS {
            text_of.reserve(written.len());
            for link in written {
                text_of.entry(link.url.trim()).or_insert(link.text.as_str());
            }
        }
        let few_urls: Vec<&str> = if written.len() > FEW_LINKS {
            Vec::new()
        } else {
            written.iter().map(|link| link.url.trim()).collect()
        };
        let text_of_url = |url: &str| -> Option<&'l str> {
            if written.len() > FEW_LINKS {
                text_of.get(url).copied()
            } else {
                let position = few_urls.iter().position(|written| *written == url)?;
                written.get(position).map(|link| link.text.as_str())
            }
        };
        let mut linked = Vec::new();
        let mut scope_words: Option<ScopeWords<'l>> = None;
        for &url in urls {
            let parts = UrlParts::parse(url);
            let classified = links::classify_parts(parts);
            if template_urls.contains(&url) {
                // A link of the template names nothing; it is still a link.
                self.push_link(scope, url, parts, classified.kind, None);
                continue;
            }
            let known = extractor.lookups().urls.entity_for(parts, &classified);
            let link_text = text_of_url(url).unwrap_or("");
            let mut entity_id = None;
            if let Some(position) = known {
                let entity = &extractor.dictionary.entities[position];
                // A pull request, an issue, a KEP, a commit or a file deep
                // inside names its repository's project only where the
                // scope's text names it too: a PR link is no mention of
                // Kubernetes. A folder that is an entity's own page (a
                // SIG's) still names it.
                let names_only_its_target = (classified.target.is_some()
                    || classified.kind == LinkKind::Kep
                    || parts
                        .and_then(links::repository_shape)
                        .map(|(_, shape)| shape)
                        == Some(links::Shape::Tracked))
                    && parts.and_then(|parts| extractor.lookups().urls.entity_of_homepage(parts))
                        != Some(position);
                // A page of an organisation's site (a thread on reddit.com)
                // or a package's page on a registry's site names the page's
                // subject: the organisation or registry only where the text
                // names it too.
                let names_only_its_page = parts.is_some_and(|parts| {
                    extractor.lookups().urls.site_of_page(parts) == Some(position)
                        && (entity.kind == EntityKind::Org
                            || candidates::registry_package(parts).is_some())
                });
                let names_only_its_target = names_only_its_target || names_only_its_page;
                if names_only_its_target {
                    self.umbrella_links.push(UmbrellaLink {
                        scope,
                        position,
                        url: url.to_string(),
                        link: self.links.len(),
                    });
                } else {
                    self.count_link(scope, &entity.id, Some(position), url);
                    entity_id = Some(entity.id.clone());
                }
                linked.push((position, link_text));
            }
            if let Some(target) = &classified.target {
                let id = target.entity_id();
                self.discover(target_entity(target, &id, url, link_text));
                self.count_link(scope, &id, None, url);
                entity_id = Some(id);
            }
            // A repository's page or release names it; a file deep inside
            // (kubernetes/community's docs) does not make it a product. A
            // registry's page names its package.
            let names_repository = matches!(
                classified.kind,
                LinkKind::GithubRepo | LinkKind::GithubRelease
            ) && (classified.kind == LinkKind::GithubRelease
                || parts.is_some_and(|parts| parts.path_depth() <= 2));
            let unknown = classified
                .repository
                .as_ref()
                .is_none_or(|r| !extractor.lookups().urls.knows_repository(r));
            let project = if names_repository {
                parts
                    .and_then(|parts| parts.repository_as_spelled())
                    .map(|(forge, owner, name)| (Some((forge, owner)), name))
            } else {
                parts
                    .and_then(candidates::registry_package)
                    .map(|name| (None, name))
            };
            if known.is_none()
                && unknown
                && let Some((repository, name)) = project
                && extractor.lookups().candidates.is_unknown(name)
            {
                // The link names the project only when the scope writes the
                // name: "send us a pull request" names no repository.
                let words = scope_words.get_or_insert_with(|| {
                    ScopeWords::new(
                        pieces
                            .iter()
                            .map(|p| p.text)
                            .zip(url_spans.iter().map(Vec::as_slice))
                            .chain(written.iter().map(|l| (l.text.as_str(), &[][..]))),
                    )
                });
                if let Some(spelling) = words.spelling(name) {
                    let project_url = match repository {
                        Some((forge, owner)) => format!("https://{}/{owner}/{name}", forge.host()),
                        None => url.to_string(),
                    };
                    let suggested_kind = match repository {
                        Some((_, owner))
                            if owner.eq_ignore_ascii_case("cybozu-go")
                                || owner.eq_ignore_ascii_case("cybozu") =>
                        {
                            EntityKind::Neco
                        }
                        _ => EntityKind::Tool,
                    };
                    self.candidates
                        .link(spelling, &project_url, link_text, suggested_kind);
                }
            }
            self.push_link(scope, url, parts, classified.kind, entity_id);
        }
        linked
    }

    fn scan_text(
        &mut self,
        scope: Scope,
        piece: Piece<'i>,
        linked: &[(usize, &str)],
        masked: &Spans,
    ) {
        if piece.text.trim().is_empty() {
            return;
        }
        let extractor = self.extractor;
        let context = Context {
            linked,
            is_title: piece.is_title,
            masked,
            code: &self.code_spans,
        };
        let found = extractor.lookups().matcher.find(piece.text, context);
        let mut covered: Vec<(usize, usize)> = Vec::new();
        for hit in &found {
            covered.push((hit.start, hit.end));
            let id = &extractor.dictionary.entities[hit.entity].id;
            self.count_name(
                scope,
                id,
                Some(hit.entity),
                Via::Alias,
                hit.surface,
                hit.version,
            );
        }
        for kep in patterns::find_keps(piece.text) {
            if masked.contains(kep.start) {
                continue;
            }
            covered.push((kep.start, kep.end));
            let entity = kep_entity(kep.number, None, kep.title);
            let id = entity.id.clone();
            self.discover(entity);
            let version = matcher::version_after(piece.text, kep.end);
            self.count_name(scope, &id, None, Via::Pattern, kep.surface, version);
        }
        // An event listing names meetups, places and organisers: what a
        // dictionary of topics would not list.
        if scope.category != Category::Events {
            let covered = masked.with(covered);
            self.candidates.find(
                &extractor.lookups().candidates,
                piece.text,
                &covered,
                piece.is_title,
            );
        }
    }

    /// The id of the item a scope is, if it is one.
    fn push_link(
        &mut self,
        scope: Scope,
        url: &str,
        parts: Option<UrlParts<'_>>,
        kind: LinkKind,
        entity_id: Option<String>,
    ) {
        let link = Link {
            issue_id: self.issue_id.to_string(),
            item_id: self.item_id_of(scope),
            url: url.to_string(),
            host: parts
                .map(|parts| parts.lowercase_host().into_owned())
                .unwrap_or_default(),
            kind,
            entity_id,
        };
        self.links.push(link);
    }

    fn item_id_of(&self, scope: Scope) -> Option<String> {
        scope.ordinal.map(|n| match self.items.get(n) {
            Some(item) => item.id.clone(),
            None => item_id(self.issue_id, n),
        })
    }

    fn draft(
        &mut self,
        scope: Scope,
        entity_id: &str,
        dictionary_position: Option<usize>,
    ) -> &mut Draft {
        let drafts = self.drafts.entry(scope).or_default();
        // Most names repeat in their scope: look before allocating a key.
        let at = match drafts.binary_search_by(|(id, _)| id.as_str().cmp(entity_id)) {
            Ok(at) => at,
            Err(at) => {
                drafts.insert(at, (entity_id.to_string(), Draft::new()));
                at
            }
        };
        let draft = &mut drafts[at].1;
        if dictionary_position.is_some() {
            draft.dictionary_position = dictionary_position;
        }
        draft
    }

    fn count_name(
        &mut self,
        scope: Scope,
        entity_id: &str,
        dictionary_position: Option<usize>,
        via: Via,
        surface: &str,
        version: Option<&str>,
    ) {
        let draft = self.draft(scope, entity_id, dictionary_position);
        draft.named_count += 1;
        draft
            .named
            .get_or_insert_with(|| (via, surface.to_string()));
        if draft.version.is_none() {
            draft.version = version.map(str::to_string);
        }
    }

    fn count_link(
        &mut self,
        scope: Scope,
        entity_id: &str,
        dictionary_position: Option<usize>,
        url: &str,
    ) {
        let draft = self.draft(scope, entity_id, dictionary_position);
        draft.link_count += 1;
        draft.first_link.get_or_insert_with(|| url.to_string());
    }

    /// Keeps the fullest description of an entity the text defines.
    fn discover(&mut self, entity: Entity) {
        match self.discovered.get_mut(&entity.id) {
            None => {
                self.discovered.insert(entity.id.clone(), entity);
            }
            Some(known) => {
                if entity.name.len() > known.name.len() {
                    known.name = entity.name;
                }
                if known.sig.is_empty() {
                    known.sig = entity.sig;
                }
            }
        }
    }

    fn finish(mut self, issue: &Issue) -> IssueRecord {
        let entities = &self.extractor.dictionary;
        let drafts = std::mem::take(&mut self.drafts);
        let mentions = drafts
            .into_iter()
            .flat_map(|(scope, drafts)| {
                drafts
                    .into_iter()
                    .map(move |(entity_id, draft)| (scope, entity_id, draft))
            })
            .filter_map(|(scope, entity_id, draft)| {
                let in_dictionary = match draft.dictionary_position {
                    Some(position) => entities.entities.get(position),
                    None => entities.get(&entity_id),
                };
                let (name, kind, source) = match in_dictionary {
                    Some(entity) => (entity.name.clone(), entity.kind, entity.source),
                    None => {
                        let entity = self.discovered.get(&entity_id)?;
                        (entity.name.clone(), entity.kind, entity.source)
                    }
                };
                let (via, surface, count) = match draft.named {
                    Some((via, surface)) => (via, surface, draft.named_count),
                    None => (
                        Via::Url,
                        draft.first_link.unwrap_or_default(),
                        draft.link_count,
                    ),
                };
                // A link-derived entity is known from its links: where
                // the scope links to it, the mention says so.
                let via = if source == Source::LinkDerived && draft.link_count > 0 {
                    Via::LinkDerived
                } else {
                    via
                };
                Some(Mention {
                    issue_id: issue.id.clone(),
                    item_id: self.item_id_of(scope),
                    date: issue.date,
                    category: scope.category,
                    entity_id,
                    entity_name: name,
                    kind,
                    via,
                    surface,
                    count,
                    version: draft.version,
                })
            })
            .collect();
        IssueRecord {
            issue: IssueMeta {
                id: issue.id.clone(),
                publication: issue.publication.clone(),
                title: issue.title.clone(),
                date: issue.date,
                number: issue.number,
                source_path: issue.source_path.clone(),
                format: issue.format,
                sections: issue.sections.len(),
                links: issue.link_count(),
                boilerplate_lines: self.boilerplate_lines,
                // Settled by the pipeline, which knows the input roots.
                url: issue.url.clone(),
                path: issue.source_path.clone(),
            },
            items: self.items,
            mentions,
            links: self.links,
            discovered: self.discovered.into_values().collect(),
            candidates: self.candidates.finish(&self.extractor.lookups().candidates),
        }
    }
}

/// The links of a scope that only its template lines write.
struct TemplateLinks<'l> {
    /// Per written link: whether its text lies in template lines only.
    written: Vec<bool>,
    /// URLs every occurrence of which is in template lines.
    urls: Vec<&'l str>,
}

fn template_links<'l>(
    pieces: &[Piece<'l>],
    template_spans: &[Vec<(usize, usize)>],
    url_spans: &[Vec<(usize, usize)>],
    written: &'l [LinkRef],
) -> TemplateLinks<'l> {
    if template_spans.iter().all(Vec::is_empty) {
        return TemplateLinks {
            written: vec![false; written.len()],
            urls: Vec::new(),
        };
    }
    let inside = |spans: &[(usize, usize)], start: usize, end: usize| {
        spans.iter().any(|&(s, e)| s <= start && end <= e)
    };
    let text_in_template_only = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return false;
        }
        // Set up once for every piece (`match_indices` sets up a searcher
        // per piece); it finds the same non-overlapping occurrences.
        let occurrences = memchr::memmem::Finder::new(text);
        let mut in_template = false;
        for (piece, spans) in pieces.iter().zip(template_spans) {
            for at in occurrences.find_iter(piece.text.as_bytes()) {
                if inside(spans, at, at + text.len()) {
                    in_template = true;
                } else {
                    return false;
                }
            }
        }
        in_template
    };
    let written_flags: Vec<bool> = written
        .iter()
        .map(|link| text_in_template_only(&link.text))
        .collect();
    let mut template: Vec<&'l str> = Vec::new();
    let mut elsewhere: HashSet<&'l str> = HashSet::new();
    for (link, &flag) in written.iter().zip(&written_flags) {
        let url = link.url.trim();
        if flag {
            template.push(url);
        } else {
            elsewhere.insert(url);
        }
    }
    for ((piece, spans), urls) in pieces.iter().zip(template_spans).zip(url_spans) {
        for &(start, end) in urls {
            let url = piece.text[start..end].trim();
            if inside(spans, start, end) {
                template.push(url);
            } else {
                elsewhere.insert(url);
            }
        }
    }
    template.retain(|url| !elsewhere.contains(url));
    template.sort_unstable();
    template.dedup();
    TemplateLinks {
        written: written_flags,
        urls: template,
    }
}

/// Whether `text` writes " - " or " | ", which set a card title's site
/// prefix or suffix apart (see [`site_prefixes`]): one pass for both,
/// where two `contains` would each set up a searcher, for every piece.
fn writes_site_separator(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'-', b'|', bytes)
        .any(|at| at > 0 && bytes[at - 1] == b' ' && bytes.get(at + 1) == Some(&b' '))
}

/// The names of the sites a scope links to, lowercased, letters and
/// digits only: `github` for `https://github.com/a/b`, `zenn` for
/// `zenn.dev`.
fn site_names(urls: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = urls
        .iter()
        .filter_map(|url| {
            let host = UrlParts::parse(url)?.lowercase_host();
            let mut labels = host.rsplit('.');
            let _top = labels.next()?;
            labels.next().map(str::to_string)
        })
        .filter(|name| !name.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The texts of links that only say which site they lead to: a link to a
/// page of an organisation's site or to a package's page on a registry
/// ("[Reddit](https://www.reddit.com/r/rust/comments/…)", "[crates.io](https://crates.io/crates/…)")
/// written with the site's own name. The page is the subject; the name
/// says where it is, like a card title's site prefix.
fn site_labels<'l>(written_links: &'l [LinkRef], extractor: &Extractor) -> Vec<&'l str> {
    let mut labels: Vec<&str> = Vec::new();
    for link in written_links {
        let label = link
            .text
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric());
        if label.is_empty() || labels.contains(&label) {
            continue;
        }
        let Some(parts) = UrlParts::parse(link.url.trim()) else {
            continue;
        };
        let urls = &extractor.lookups().urls;
        let Some(position) = urls
            .site_of_page(parts)
            .or_else(|| urls.site_of_shared_host(parts))
        else {
            continue;
        };
        let Some(entity) = extractor.dictionary.entities.get(position) else {
            continue;
        };
        // Only where the page is not the entity's own subject: a page of
        // an organisation's site, a package's page on a registry, or a
        // repository's page on a forge ("([GitHub](github.com/o/r))").
        if entity.kind != EntityKind::Org
            && candidates::registry_package(parts).is_none()
            && RepoKey::from_parts(parts).is_none()
        {
            continue;
        }
        // The site's name, alone or before the kind of page it is ("GitHub
        // issue", "GitHub repo"): one or two lowercase words.
        let names_the_site = std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .any(|name| {
                let name = name.trim();
                label.get(..name.len()).is_some_and(|head| {
                    let tail = &label[name.len()..];
                    head.eq_ignore_ascii_case(name)
                        && (tail.is_empty()
                            || (tail.starts_with(' ')
                                && tail.split_whitespace().count() <= 2
                                && tail
                                    .split_whitespace()
                                    .all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))))
                })
            });
        if names_the_site {
            labels.push(label);
        }
    }
    labels
}

/// Where `text` writes a site label (see [`site_labels`]) as a whole word.
fn label_spans(text: &str, label: &str) -> Vec<(usize, usize)> {
    text.match_indices(label)
        .filter(|&(start, _)| matcher::is_whole_word(text, start, start + label.len()))
        .map(|(start, _)| (start, start + label.len()))
        .collect()
}

/// The site prefixes of card titles ("GitHub - owner/repo: …") that begin
/// a line of `text`, and the site suffixes that end one ("Schedule | Linux
/// Foundation Events" for a page of events.linuxfoundation.org), when the
/// site is one the scope links to.
fn site_prefixes(text: &str, sites: &[String]) -> Vec<(usize, usize)> {
    let squeeze = |part: &str| -> String {
        part.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if let Some((_, suffix)) = content.rsplit_once(" | ") {
            let squeezed = squeeze(suffix);
            // A site's name is a few words; a longer tail is the card's text.
            let short = suffix.split_whitespace().count() <= 5;
            if short
                && sites
                    .iter()
                    .any(|site| site.len() >= 3 && squeezed.starts_with(site.as_str()))
            {
                let end = start + content.len();
                spans.push((end - suffix.len(), end));
            }
        }
        let indent = line.len() - line.trim_start().len();
        if let Some((prefix, _)) = line[indent..].split_once(" - ") {
            let squeezed: String = prefix
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if !squeezed.is_empty() && sites.contains(&squeezed) {
                spans.push((start + indent, start + indent + prefix.len()));
            }
        }
        start += line.len();
    }
    spans
}

/// Per written link: whether one of the pieces already holds its text
/// (trimmed). Many links over a long text are looked for in one pass.
fn link_texts_held(pieces: &[Piece<'_>], written_links: &[LinkRef]) -> Vec<bool> {
    // Searching each text costs links × text; building an automaton costs
    // far more than one search, so it pays only for many links on much text.
    const SEARCH_BUDGET: usize = 1 << 20;
    let texts: Vec<&str> = written_links.iter().map(|l| l.text.trim()).collect();
    let text_len: usize = pieces.iter().map(|piece| piece.text.len()).sum();
    if texts.len().saturating_mul(text_len) <= SEARCH_BUDGET {
        return texts
            .iter()
            .map(|text| !text.is_empty() && pieces.iter().any(|piece| holds(piece.text, text)))
            .collect();
    }
    let distinct: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|text| !text.is_empty())
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .collect();
    let mut found = vec![false; distinct.len()];
    let automaton = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(&distinct);
    match automaton {
        Ok(automaton) => {
            for piece in pieces {
                for hit in automaton.find_overlapping_iter(piece.text) {
                    found[hit.pattern().as_usize()] = true;
                }
            }
        }
        // Only an automaton too large for memory fails; search one by one.
        Err(_) => {
            for (text, found) in distinct.iter().zip(&mut found) {
                *found = pieces.iter().any(|piece| piece.text.contains(text));
            }
        }
    }
    texts
        .iter()
        .map(|text| {
            distinct
                .binary_search(text)
                .is_ok_and(|position| found[position])
        })
        .collect()
}

/// Whether `haystack` holds `needle` (not empty), as `str::contains`
/// answers. Link texts are short and so are most texts they are looked for
/// in, where setting up `str::contains`'s searcher costs more than
/// comparing at each place the needle's first byte occurs.
fn holds(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if haystack.len() < needle.len() {
        return false;
    }
    let last_start = haystack.len() - needle.len();
    let mut at = 0;
    while at <= last_start {
        let Some(offset) = haystack[at..=last_start].iter().position(|&b| b == first) else {
            return false;
        };
        let start = at + offset;
        if haystack[start + 1..start + needle.len()] == *rest {
            return true;
        }
        at = start + 1;
    }
    false
}

/// Whether `text` can hold a URL [`url_spans`] finds: every one has `://`.
/// (A byte scan: this runs for every line of template masking.)
fn may_hold_url(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w == b"://")
}

/// Byte ranges of the URLs written in `text`.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    if !may_hold_url(text) {
        return Vec::new();
    }
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkifyKind::Url]);
    finder.links(text).map(|l| (l.start(), l.end())).collect()
}

/// `prefix` and `number`, as `format!("{prefix}{number}")` writes them;
/// one of these is built per KEP named, where `format!` costs several times
/// more.
fn numbered(prefix: &str, number: u32) -> String {
    let mut text = String::with_capacity(prefix.len() + 10);
    text.push_str(prefix);
    links::push_number(&mut text, u64::from(number));
    text
}

/// "KEP-2091: Add support for …", or the short name alone.
fn titled(short: &str, title: Option<&str>) -> String {
    match title {
        Some(title) => [short, ": ", title].concat(),
        None => short.to_string(),
    }
}

fn kep_entity(number: u32, sig: Option<&str>, title: Option<&str>) -> Entity {
    let short = numbered("KEP-", number);
    let name = titled(&short, title);
    Entity {
        id: numbered("kep:", number),
        name,
        kind: EntityKind::Kep,
        aliases: vec![short],
        urls: vec![numbered(
            "https://github.com/kubernetes/enhancements/issues/",
            number,
        )],
        category: String::new(),
        cncf: String::new(),
        match_rule: Default::default(),
        sig: sig.unwrap_or_default().to_string(),
        source: Source::Discovered,
    }
}

/// The entity a link's target names; `id` is `target.entity_id()`.
fn target_entity(target: &Target, id: &str, url: &str, link_text: &str) -> Entity {
    match target {
        Target::Kep { number, sig } => {
            let title = patterns::find_keps(link_text)
                .into_iter()
                .find(|hit| hit.number == *number)
                .and_then(|hit| hit.title);
            kep_entity(*number, sig.as_deref(), title)
        }
        Target::PullOrIssue { repository, number } => {
            let full_name = repository.full_name();
            let mut short = String::with_capacity(full_name.len() + 12);
            short.push_str(full_name);
            short.push('#');
            links::push_number(&mut short, *number);
            let name = titled(&short, pull_request_title(link_text, *number));
            let canonical = url.split(['?', '#']).next().unwrap_or(url);
            Entity {
                id: id.to_string(),
                name,
                kind: EntityKind::Pr,
                aliases: vec![short],
                urls: vec![canonical.to_string()],
                category: String::new(),
                cncf: String::new(),
                match_rule: Default::default(),
                sig: String::new(),
                source: Source::Discovered,
            }
        }
    }
}

/// The title a link's text gives a pull request: GitHub's card title
/// ("Fix X by someone · Pull Request #1 · owner/repo") without its
/// decorations, or a newsletter's "#111122: support removal of …". A text
/// of one word ("#1884", "this PR") is no title.
fn pull_request_title(link_text: &str, number: u64) -> Option<&str> {
    let mut title = link_text.trim();
    for marker in [" · Pull Request #", " · Issue #"] {
        // `contains` has a fast path that `find` lacks; most texts hold
        // neither marker.
        if !title.contains(marker) {
            continue;
        }
        if let Some(cut) = title.find(marker) {
            title = &title[..cut];
            if let Some((before, login)) = title.rsplit_once(" by ")
                && !login.contains(' ')
            {
                title = before;
            }
        }
    }
    // LWKD writes "#111122: title" and also "111122: title".
    let mut number_suffix = String::with_capacity(22);
    number_suffix.push_str(" #");
    links::push_number(&mut number_suffix, number);
    let number_text = &number_suffix[2..];
    if let Some(rest) = title
        .strip_prefix('#')
        .unwrap_or(title)
        .strip_prefix(number_text)
        .filter(|rest| rest.starts_with([':', ' ']))
    {
        title = rest.trim_start_matches([':', ' ']);
    }
    if let Some(rest) = title.strip_suffix(number_suffix.as_str()) {
        title = rest;
    }
    let title = title.trim();
    let words = title.split_whitespace().count();
    (words >= 2 && !title.contains("://") && title.len() <= 200).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Item, MatchRule, Section};

    fn entity(id: &str, name: &str, aliases: &[&str], urls: &[&str], rule: MatchRule) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: EntityKind::parse(id.split(':').next().unwrap_or("tool"))
                .unwrap_or(EntityKind::Tool),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            urls: urls.iter().map(|u| u.to_string()).collect(),
            category: String::new(),
            cncf: String::new(),
            match_rule: rule,
            sig: String::new(),
            source: Default::default(),
        }
    }

    fn extractor() -> Extractor {
        let mut entities = vec![
            entity(
                "neco:moco",
                "MOCO",
                &["moco"],
                &["https://github.com/cybozu-go/moco"],
                MatchRule::Normal,
            ),
            entity(
                "neco:coil",
                "Coil",
                &["coil"],
                &["https://github.com/cybozu-go/coil"],
                MatchRule::Strict,
            ),
            entity(
                "tool:kubebuilder",
                "Kubebuilder",
                &[],
                &["https://github.com/kubernetes-sigs/kubebuilder"],
                MatchRule::Normal,
            ),
            entity(
                "tool:kubernetes",
                "Kubernetes",
                &["K8s"],
                &["https://kubernetes.io"],
                MatchRule::Normal,
            ),
        ];
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        Extractor::new(Dictionary { entities })
    }

    fn link(url: &str, text: &str) -> LinkRef {
        LinkRef {
            url: url.into(),
            text: text.into(),
        }
    }

    fn issue(sections: Vec<Section>) -> Issue {
        Issue {
            id: "neco-weekly-2022-09-16".into(),
            publication: "neco-weekly".into(),
            title: "Neco Weekly (2022-09-16号)".into(),
            date: chrono::NaiveDate::from_ymd_opt(2022, 9, 16),
            number: Some(8),
            source_path: "x.md".into(),
            url: None,
            slug: None,
            format: Format::Markdown,
            intro_text: "Neco チームの Kubernetes の話題".into(),
            intro_links: vec![],
            sections,
            code: vec![],
        }
    }

    fn sample() -> IssueRecord {
        let news = Section {
            heading: "✨ News".into(),
            category: Category::News,
            lead_text: String::new(),
            lead_links: vec![],
            items: vec![
                Item {
                    title: "MOCO v0.13.0".into(),
                    url: Some("https://github.com/cybozu-go/moco/releases/tag/v0.13.0".into()),
                    text: "MOCO の新しいバージョン v0.13.0 をリリースしました。MOCO をお試しください。\n\
                           [KEP-0661](https://github.com/kubernetes/enhancements/issues/661) において"
                        .into(),
                    links: vec![
                        link("https://github.com/cybozu-go/moco/releases/tag/v0.13.0", "Release v0.13.0 · cybozu-go/moco"),
                        link("https://github.com/kubernetes/enhancements/issues/661", "KEP-0661"),
                    ],
                },
                Item {
                    title: "coil v2.1.2".into(),
                    url: None,
                    text: "coil is a coiled thing. See https://github.com/kubernetes-sigs/kubebuilder too.".into(),
                    links: vec![],
                },
            ],
        };
        let prs = Section {
            heading: "👀 Notable PRs".into(),
            category: Category::Prs,
            lead_text: String::new(),
            lead_links: vec![],
            items: vec![Item {
                title: "support removal of event handlers".into(),
                url: Some("https://github.com/kubernetes/kubernetes/pull/111122".into()),
                text: "KEP-2091: Add support for AdminNetworkPolicy resources\n".into(),
                links: vec![
                    link(
                        "https://github.com/kubernetes/kubernetes/pull/111122",
                        "support removal of event handlers from SharedIndexInformers by alexzielenski · Pull Request #111122 · kubernetes/kubernetes",
                    ),
                    link(
                        "https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2091-admin-network-policy",
                        "",
                    ),
                ],
            }],
        };
        extractor().extract(&issue(vec![news, prs]))
    }

    fn mention<'r>(record: &'r IssueRecord, item: Option<&str>, entity: &str) -> &'r Mention {
        record
            .mentions
            .iter()
            .find(|m| m.item_id.as_deref() == item && m.entity_id == entity)
            .unwrap_or_else(|| panic!("no mention of {entity} in {item:?}: {:#?}", record.mentions))
    }

    /// "([GitHub](github.com/owner/repo))", "([GitHub issue](…))": the
    /// label says where the link goes; prose that names GitHub names it.
    #[test]
    fn a_site_label_on_a_forge_page_names_nothing() {
        let mut entities = vec![entity(
            "tool:github",
            "GitHub",
            &[],
            &["https://github.com/"],
            MatchRule::Normal,
        )];
        entities.extend(extractor().dictionary.entities);
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let extractor = Extractor::new(Dictionary { entities });
        let item = |title: &str, text: &str, links: Vec<LinkRef>| Item {
            title: title.into(),
            url: links.first().map(|l| l.url.clone()),
            text: text.into(),
            links,
        };
        let news = Section {
            heading: "News".into(),
            category: Category::News,
            lead_text: String::new(),
            lead_links: vec![],
            items: vec![
                item(
                    "Plotwick (GitHub)",
                    "Plotwick (GitHub)",
                    vec![link("https://github.com/inventor/plotwick", "GitHub")],
                ),
                item(
                    "Call for help: offline mode",
                    "Call for help: offline mode (GitHub issue)",
                    vec![link(
                        "https://github.com/inventor/plotwick/issues/12",
                        "GitHub issue",
                    )],
                ),
                item(
                    "A bot for GitHub",
                    "A bot for GitHub webhooks",
                    vec![link("https://github.com/inventor/hookbot", "hookbot")],
                ),
            ],
        };
        let record = extractor.extract(&issue(vec![news]));
        let github_items: Vec<Option<&str>> = record
            .mentions
            .iter()
            .filter(|m| m.entity_id == "tool:github")
            .map(|m| m.item_id.as_deref())
            .collect();
        assert_eq!(github_items, [Some("neco-weekly-2022-09-16#3")]);
    }

    #[test]
    fn counts_one_mention_per_item_with_surface_and_version() {
        let record = sample();
        // Title, twice in the text, and "cybozu-go/moco" in the card's text.
        let moco = mention(&record, Some("neco-weekly-2022-09-16#1"), "neco:moco");
        assert_eq!(
            (moco.via, moco.surface.as_str(), moco.count),
            (Via::Alias, "MOCO", 4)
        );
        assert_eq!(moco.version.as_deref(), Some("v0.13.0"));
        let kep = mention(&record, Some("neco-weekly-2022-09-16#1"), "kep:661");
        assert_eq!(
            (kep.via, kep.surface.as_str(), kep.count),
            (Via::Pattern, "KEP-0661", 1)
        );
        let coil = mention(&record, Some("neco-weekly-2022-09-16#2"), "neco:coil");
        assert_eq!((coil.count, coil.version.as_deref()), (1, Some("v2.1.2")));
        let kubebuilder = mention(
            &record,
            Some("neco-weekly-2022-09-16#2"),
            "tool:kubebuilder",
        );
        assert_eq!(kubebuilder.via, Via::Url);
        let intro = mention(&record, None, "tool:kubernetes");
        assert_eq!(intro.category, Category::About);
    }

    #[test]
    fn links_name_pull_requests_keps_and_repositories() {
        let record = sample();
        let pr = mention(
            &record,
            Some("neco-weekly-2022-09-16#3"),
            "pr:kubernetes/kubernetes#111122",
        );
        assert_eq!((pr.via, pr.count), (Via::Url, 1));
        let kep = record
            .discovered
            .iter()
            .find(|e| e.id == "kep:2091")
            .expect("kep:2091");
        assert_eq!(
            kep.name,
            "KEP-2091: Add support for AdminNetworkPolicy resources"
        );
        assert_eq!(kep.sig, "network");
        let pull = record
            .discovered
            .iter()
            .find(|e| e.id == "pr:kubernetes/kubernetes#111122")
            .expect("pr");
        assert_eq!(
            pull.name,
            "kubernetes/kubernetes#111122: support removal of event handlers from SharedIndexInformers"
        );
        let kinds: Vec<(&str, &str, Option<&str>)> = record
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.kind.as_str(), l.entity_id.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "https://github.com/cybozu-go/moco/releases/tag/v0.13.0",
                    "github-release",
                    Some("neco:moco")
                ),
                (
                    "https://github.com/kubernetes/enhancements/issues/661",
                    "kep",
                    Some("kep:661")
                ),
                (
                    "https://github.com/kubernetes-sigs/kubebuilder",
                    "github-repo",
                    Some("tool:kubebuilder")
                ),
                (
                    "https://github.com/kubernetes/kubernetes/pull/111122",
                    "github-pr",
                    Some("pr:kubernetes/kubernetes#111122")
                ),
                (
                    "https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2091-admin-network-policy",
                    "kep",
                    Some("kep:2091")
                ),
            ]
        );
        assert_eq!(record.items.len(), 3);
        assert_eq!(record.items[2].id, "neco-weekly-2022-09-16#3");
    }

    #[test]
    fn link_texts_held_agree_with_searching_one_by_one() {
        // Long enough that the ten links are searched by one automaton.
        let prose = format!(
            "{}MOCO and moco-agent, see Cilium docs",
            "padding ".repeat(20_000)
        );
        let pieces = [Piece::prose(&prose), Piece::title("Tenet")];
        let texts = [
            "MOCO",
            " Cilium docs ",
            "",
            "  ",
            "absent",
            "Tenet",
            "MOCO",
            "co-a",
            "x",
            "Ten",
        ];
        let links: Vec<LinkRef> = texts
            .iter()
            .map(|t| link("https://example.com", t))
            .collect();
        let expected: Vec<bool> = texts
            .iter()
            .map(|t| {
                let t = t.trim();
                !t.is_empty() && pieces.iter().any(|p| p.text.contains(t))
            })
            .collect();
        assert_eq!(link_texts_held(&pieces, &links), expected);
        assert_eq!(link_texts_held(&pieces, &links[..3]), expected[..3]);
    }

    #[test]
    fn holds_agrees_with_contains() {
        let texts = ["", "a", "ab", "aab", "日本語のテキスト", "abcabd", "xyz"];
        for haystack in texts {
            for needle in texts.iter().chain(&["b", "abd", "本語", "ca", "bcx"]) {
                assert_eq!(
                    holds(haystack, needle),
                    haystack.contains(needle),
                    "{haystack:?} {needle:?}"
                );
            }
        }
    }

    #[test]
    fn site_separators_are_found_as_contains_finds_them() {
        let texts = [
            "",
            "-",
            " - ",
            " -",
            "- ",
            "a - b",
            "a -b",
            "a| b",
            "a | b",
            "GitHub - o/r",
            "x | ",
            " |",
            "|  ",
            "a  -  b",
            "日本 - 語",
            "a -- b",
            "a -|- b",
        ];
        for text in texts {
            assert_eq!(
                writes_site_separator(text),
                text.contains(" - ") || text.contains(" | "),
                "{text:?}"
            );
        }
    }

    #[test]
    fn pull_request_titles_lose_their_decorations() {
        assert_eq!(
            pull_request_title(
                "[client-go] add function by alexzielenski · Pull Request #111967 · kubernetes/kubernetes",
                111967
            ),
            Some("[client-go] add function")
        );
        assert_eq!(
            pull_request_title("#111122: support removal of event handlers", 111122),
            Some("support removal of event handlers")
        );
        assert_eq!(
            pull_request_title("123380: Graduate the feature to GA", 123380),
            Some("Graduate the feature to GA")
        );
        assert_eq!(
            pull_request_title("1233800 things", 123380),
            Some("1233800 things")
        );
        assert_eq!(pull_request_title("#1884", 1884), None);
        assert_eq!(
            pull_request_title("Add and remove watches at runtime #1884", 1884),
            Some("Add and remove watches at runtime")
        );
    }
}
