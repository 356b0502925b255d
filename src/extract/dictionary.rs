//! The entity dictionary: built-in `data/entities.toml`, the user's
//! `--dict` files and the CNCF landscape.
//!
//! Load order is built-in → landscape → user files. The landscape merges
//! into entries that name the same project (same normalised name or alias,
//! else same repository); user files override whole fields by id.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

use super::url::{RepoKey, UrlParts};
use crate::model::{Entity, EntityKind, MatchRule};

/// The built-in dictionary, compiled in so a fresh clone needs nothing else.
/// data/entities.toml as JSON, converted by build.rs: the same data,
/// parsed several times faster.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/entities.json"));

/// The CNCF maturity levels an entity may carry (empty: not a CNCF project).
const CNCF_LEVELS: [&str; 3] = ["graduated", "incubating", "sandbox"];

/// The landscape category whose items are companies, not projects.
const MEMBERS_CATEGORY: &str = "CNCF Members";

#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Sorted by id, ids unique.
    pub entities: Vec<Entity>,
}

impl Dictionary {
    /// The built-in dictionary compiled into the binary.
    pub fn builtin() -> anyhow::Result<Dictionary> {
        #[derive(Deserialize)]
        struct BuiltinFile {
            entity: Vec<Entity>,
        }
        let file: BuiltinFile = serde_json::from_str(BUILTIN_JSON)
            .context("the built-in dictionary data/entities.toml is malformed")?;
        let mut seen = BTreeSet::new();
        for entity in &file.entity {
            check_entity(entity).context("in the built-in dictionary data/entities.toml")?;
            if !seen.insert(entity.id.as_str()) {
                bail!("the built-in dictionary lists {} twice", entity.id);
            }
        }
        Ok(Dictionary::from_entities(file.entity))
    }

    pub fn empty() -> Dictionary {
        Dictionary::default()
    }

    /// Sorts by id; where ids repeat, the last one wins.
    fn from_entities(entities: Vec<Entity>) -> Dictionary {
        let by_id: BTreeMap<String, Entity> =
            entities.into_iter().map(|e| (e.id.clone(), e)).collect();
        Dictionary {
            entities: by_id.into_values().collect(),
        }
    }

    /// Makes strict every entity named by one word that `is_ordinary`
    /// says is an everyday word ("Lens", "Flux"): there the text must show
    /// it means the product. The hook for a fuller word list; the landscape
    /// import applies it today with the list of common words it has.
    pub fn mark_ordinary_words(&mut self, is_ordinary: impl Fn(&str) -> bool) {
        for entity in &mut self.entities {
            if is_ordinary_name(entity, &is_ordinary) {
                entity.match_rule = MatchRule::Strict;
            }
        }
    }

    /// The dictionary with the corpus's link-derived projects: new
    /// entries (`source` link-derived), and homes the corpus tied to an
    /// entry added to its URLs. An entry of the dictionary keeps its id
    /// and everything else.
    pub fn with_link_derived(
        mut self,
        projects: Vec<Entity>,
        extra_urls: Vec<(usize, Vec<String>)>,
    ) -> Dictionary {
        for (position, urls) in extra_urls {
            if let Some(entity) = self.entities.get_mut(position) {
                for url in urls {
                    if !entity.urls.contains(&url) {
                        entity.urls.push(url);
                    }
                }
            }
        }
        let new: Vec<Entity> = projects
            .into_iter()
            .filter(|project| self.get(&project.id).is_none())
            .collect();
        let mut entities = self.entities;
        entities.extend(new);
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        entities.dedup_by(|a, b| a.id == b.id);
        Dictionary { entities }
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.entities[i])
    }
}

fn is_ordinary_name(entity: &Entity, is_ordinary: &impl Fn(&str) -> bool) -> bool {
    let name = entity.name.trim();
    !name.contains(char::is_whitespace) && is_ordinary(&name.to_lowercase())
}

/// The repository an entity's own URL names: the URL must be the
/// repository's root (`https://github.com/owner/repo`), not a folder in it
/// (`…/community/tree/master/sig-network` is no repository of SIG Network).
fn entity_repository(url: &str) -> Option<RepoKey> {
    let parts = UrlParts::parse(url.trim())?;
    let repository = RepoKey::from_parts(parts)?;
    (parts.path_depth() == 2).then_some(repository)
}

/// An id is `kind:slug`: a known kind that matches the entity's, then a
/// slug without spaces.
fn check_entity(entity: &Entity) -> anyhow::Result<()> {
    let Some((prefix, slug)) = entity.id.split_once(':') else {
        bail!("id {:?} is not of the form kind:slug", entity.id);
    };
    if prefix != entity.kind.as_str() {
        bail!(
            "id {:?} has the prefix {prefix:?} but kind {:?}",
            entity.id,
            entity.kind.as_str()
        );
    }
    if slug.is_empty() || slug.chars().any(|c| c.is_whitespace() || c.is_control()) {
        bail!("id {:?} has an empty slug or one with spaces", entity.id);
    }
    if entity.name.trim().is_empty() {
        bail!("{} has no name", entity.id);
    }
    if !entity.cncf.is_empty() && !CNCF_LEVELS.contains(&entity.cncf.as_str()) {
        bail!(
            "{} has cncf = {:?}; it must be graduated, incubating, sandbox or empty",
            entity.id,
            entity.cncf
        );
    }
    Ok(())
}

impl Dictionary {
    /// The dictionary in force: built-in (unless switched off), then the
    /// landscape, then the user's files, each overriding what came before.
    pub fn load(
        builtin: bool,
        user_files: &[PathBuf],
        landscape: Option<&Path>,
    ) -> anyhow::Result<Dictionary> {
        Dictionary::load_noting(builtin, user_files, landscape, &mut Vec::new())
    }

    /// [`Dictionary::load`], with what is worth a warning (an alias two
    /// entities claim) added to `warnings`, each naming its file.
    pub fn load_noting(
        builtin: bool,
        user_files: &[PathBuf],
        landscape: Option<&Path>,
        warnings: &mut Vec<String>,
    ) -> anyhow::Result<Dictionary> {
        let mut dictionary = if builtin {
            Dictionary::builtin()?
        } else {
            Dictionary::empty()
        };
        if let Some(path) = landscape {
            check_regular_file(path, "landscape")?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the landscape {}", path.display()))?;
            dictionary = dictionary
                .with_landscape(&text)
                .with_context(|| format!("{} is not a CNCF landscape.yml", path.display()))?;
        }
        for path in user_files {
            check_regular_file(path, "dictionary")?;
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the dictionary {}", path.display()))?;
            let mut noted = Vec::new();
            dictionary = dictionary
                .apply_user_entries(&text, &mut noted)
                .with_context(|| format!("in the dictionary {}", path.display()))?;
            warnings.extend(
                noted
                    .into_iter()
                    .map(|note| format!("{}: {note}", path.display())),
            );
        }
        Ok(dictionary)
    }
}

/// Reading a FIFO waits for a writer forever, and a device never ends.
fn check_regular_file(path: &Path, what: &str) -> anyhow::Result<()> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "the {what} {} is not a regular file (a folder, FIFO, socket or device)",
            path.display()
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The user's `--dict` files

/// One `[[entity]]` of a user file: only `id` is required; every field given
/// replaces the built-in one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityPatch {
    id: String,
    name: Option<String>,
    kind: Option<EntityKind>,
    aliases: Option<Vec<String>>,
    urls: Option<Vec<String>>,
    category: Option<String>,
    cncf: Option<String>,
    #[serde(rename = "match")]
    match_rule: Option<MatchRule>,
    sig: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchFile {
    #[serde(default)]
    entity: Vec<toml::Spanned<EntityPatch>>,
}

/// Aliases shorter than this match inside too much text ("a" is in every
/// sentence).
const MIN_ALIAS_CHARS: usize = 2;

impl Dictionary {
    /// Applies a user TOML file (same format as the built-in one). Errors
    /// carry the line of the offending entry; see [`Dictionary::apply_user_entries`].
    pub fn with_user_entries(self, toml_text: &str) -> anyhow::Result<Dictionary> {
        self.apply_user_entries(toml_text, &mut Vec::new())
    }

    /// Applies a user TOML file. An id listed twice, an empty or blank
    /// alias and an alias under two characters are errors. An alias the
    /// file gives one entity while another entity has it too goes to one
    /// of them, with a note in `warnings`: the file's entry takes it from
    /// the other entity's aliases (a later claim overrides an earlier one,
    /// as the file overrides the built-in dictionary), but never takes
    /// another entity's name: then the file's alias is dropped.
    pub fn apply_user_entries(
        self,
        toml_text: &str,
        warnings: &mut Vec<String>,
    ) -> anyhow::Result<Dictionary> {
        let file: PatchFile = toml::from_str(toml_text)?;
        let mut by_id: BTreeMap<String, Entity> = self
            .entities
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let lines = LineIndex::new(toml_text);
        let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
        let mut claims: Vec<(usize, String)> = Vec::new();
        for spanned in file.entity {
            let line = lines.line_of(spanned.span().start);
            let patch = spanned.into_inner();
            if let Some(first) = first_line.insert(patch.id.clone(), line) {
                bail!(
                    "line {line}: {} is listed twice in this file (first at line {first}); \
                     give each entity one entry",
                    patch.id
                );
            }
            if let Some(aliases) = &patch.aliases {
                check_aliases(&patch.id, aliases).with_context(|| format!("line {line}"))?;
                claims.push((line, patch.id.clone()));
            }
            let entity = match by_id.remove(&patch.id) {
                Some(existing) => apply_patch(existing, patch),
                None => new_entity(patch),
            };
            let entity = entity.with_context(|| format!("line {line}"))?;
            check_entity(&entity).with_context(|| format!("line {line}"))?;
            by_id.insert(entity.id.clone(), entity);
        }
        settle_shared_aliases(&mut by_id, &claims, warnings);
        Ok(Dictionary {
            entities: by_id.into_values().collect(),
        })
    }
}

fn check_aliases(id: &str, aliases: &[String]) -> anyhow::Result<()> {
    for alias in aliases {
        if alias.trim().is_empty() {
            bail!("{id} has an empty alias {alias:?}");
        }
        if alias.trim().chars().count() < MIN_ALIAS_CHARS {
            bail!(
                "{id} has the alias {alias:?}, under {MIN_ALIAS_CHARS} characters: \
                 it would match inside ordinary words"
            );
        }
    }
    Ok(())
}

/// How the matcher compares names: trimmed, ASCII case folded.
fn alias_key(alias: &str) -> String {
    alias.trim().to_ascii_lowercase()
}

/// Gives each alias the file claimed for an entity to that entity alone
/// (see [`Dictionary::apply_user_entries`]). The last claim is settled
/// first: it takes the alias from every other entity, earlier claims in
/// the file included.
fn settle_shared_aliases(
    by_id: &mut BTreeMap<String, Entity>,
    claims: &[(usize, String)],
    warnings: &mut Vec<String>,
) {
    if claims.is_empty() {
        return;
    }
    // Who else holds each key, as a name or as an alias.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entity in by_id.values() {
        names
            .entry(alias_key(&entity.name))
            .or_insert_with(|| entity.id.clone());
        for alias in &entity.aliases {
            aliases
                .entry(alias_key(alias))
                .or_default()
                .insert(entity.id.clone());
        }
    }
    for (line, id) in claims.iter().rev() {
        let Some(claimed) = by_id.get(id).map(|e| e.aliases.clone()) else {
            continue;
        };
        for alias in claimed {
            let key = alias_key(&alias);
            if let Some(owner) = names.get(&key).filter(|owner| *owner != id) {
                warnings.push(format!(
                    "line {line}: the alias {alias:?} of {id} is the name of {owner}; \
                     {owner} keeps it and {id} does not get it"
                ));
                if let Some(entity) = by_id.get_mut(id) {
                    entity.aliases.retain(|a| alias_key(a) != key);
                }
                continue;
            }
            let others: Vec<String> = aliases
                .get(&key)
                .map(|holders| holders.iter().filter(|h| *h != id).cloned().collect())
                .unwrap_or_default();
            for other in others {
                warnings.push(format!(
                    "line {line}: the alias {alias:?} is claimed by {id} and {other}; \
                     {id}, listed later, gets its mentions"
                ));
                if let Some(entity) = by_id.get_mut(&other) {
                    entity.aliases.retain(|a| alias_key(a) != key);
                }
                if let Some(holders) = aliases.get_mut(&key) {
                    holders.remove(&other);
                }
            }
        }
    }
}

/// Line numbers of byte offsets, from the line starts counted once: a
/// dictionary of N entries is read in time linear in its size.
struct LineIndex {
    /// Offsets just past each newline.
    line_starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let line_starts = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(at, _)| at + 1)
            .collect();
        LineIndex { line_starts }
    }

    /// The 1-based line holding `byte_offset`.
    fn line_of(&self, byte_offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= byte_offset)
            + 1
    }
}

fn apply_patch(mut entity: Entity, patch: EntityPatch) -> anyhow::Result<Entity> {
    if let Some(kind) = patch.kind
        && kind != entity.kind
    {
        bail!(
            "{} cannot change kind to {:?}: the kind is the id's prefix",
            entity.id,
            kind.as_str()
        );
    }
    if let Some(name) = patch.name {
        entity.name = name;
    }
    if let Some(aliases) = patch.aliases {
        entity.aliases = aliases;
    }
    if let Some(urls) = patch.urls {
        entity.urls = urls;
    }
    if let Some(category) = patch.category {
        entity.category = category;
    }
    if let Some(cncf) = patch.cncf {
        entity.cncf = cncf;
    }
    if let Some(match_rule) = patch.match_rule {
        entity.match_rule = match_rule;
    }
    if let Some(sig) = patch.sig {
        entity.sig = sig;
    }
    Ok(entity)
}

fn new_entity(patch: EntityPatch) -> anyhow::Result<Entity> {
    let prefix = patch.id.split_once(':').map(|(prefix, _)| prefix);
    let Some(kind) = patch.kind.or_else(|| prefix.and_then(EntityKind::parse)) else {
        bail!(
            "new entity {:?} needs an id of the form kind:slug (kinds: tool, neco, kep, pr, topic, event, org, book)",
            patch.id
        );
    };
    let Some(name) = patch.name else {
        bail!("new entity {} needs a name", patch.id);
    };
    Ok(Entity {
        id: patch.id,
        name,
        kind,
        aliases: patch.aliases.unwrap_or_default(),
        urls: patch.urls.unwrap_or_default(),
        category: patch.category.unwrap_or_default(),
        cncf: patch.cncf.unwrap_or_default(),
        match_rule: patch.match_rule.unwrap_or_default(),
        sig: patch.sig.unwrap_or_default(),
        source: crate::model::Source::User,
    })
}

// ---------------------------------------------------------------------------
// The CNCF landscape

#[derive(Debug, Deserialize)]
struct LandscapeFile {
    landscape: Vec<LandscapeCategory>,
}

#[derive(Debug, Deserialize)]
struct LandscapeCategory {
    name: String,
    #[serde(default)]
    subcategories: Option<Vec<LandscapeSubcategory>>,
}

#[derive(Debug, Deserialize)]
struct LandscapeSubcategory {
    name: String,
    #[serde(default)]
    items: Option<Vec<LandscapeItem>>,
}

#[derive(Debug, Deserialize)]
struct LandscapeItem {
    name: String,
    #[serde(default)]
    homepage_url: Option<String>,
    #[serde(default)]
    repo_url: Option<String>,
    #[serde(default)]
    project: Option<String>,
}

/// Where a landscape item lands: the index of the entity it merges into.
#[derive(Default)]
struct MergeIndex {
    by_name: BTreeMap<String, usize>,
    by_repository: BTreeMap<RepoKey, usize>,
}

impl MergeIndex {
    fn add(&mut self, entity: &Entity, position: usize) {
        for alias in std::iter::once(&entity.name).chain(&entity.aliases) {
            let key = name_key(alias);
            if !key.is_empty() {
                self.by_name.entry(key).or_insert(position);
            }
        }
        for url in &entity.urls {
            if let Some(repository) = entity_repository(url) {
                self.by_repository.entry(repository).or_insert(position);
            }
        }
    }
}

impl Dictionary {
    /// Merges the CNCF landscape (the text of a landscape.yml).
    pub fn with_landscape(self, yaml_text: &str) -> anyhow::Result<Dictionary> {
        let file: LandscapeFile = serde_yaml::from_str(yaml_text)?;
        let mut entities = self.entities;
        let mut index = MergeIndex::default();
        for (position, entity) in entities.iter().enumerate() {
            index.add(entity, position);
        }
        let mut ids: BTreeSet<String> = entities.iter().map(|e| e.id.clone()).collect();
        // Entities a landscape item already touched: the first item sets the
        // category and maturity, later duplicates only add URLs.
        let mut touched = BTreeSet::new();

        for category in &file.landscape {
            for subcategory in category.subcategories.iter().flatten() {
                for item in subcategory.items.iter().flatten() {
                    let item = ItemFacts::new(item, &category.name, &subcategory.name);
                    if item.name.is_empty() {
                        continue;
                    }
                    match find_merge_target(&index, &item) {
                        Some(position) => {
                            let first_touch = touched.insert(position);
                            merge_item(&mut entities[position], &item, first_touch);
                        }
                        None => {
                            let mut entity = item.into_entity(&mut ids);
                            if is_ordinary_name(&entity, &is_common_word) {
                                entity.match_rule = MatchRule::Strict;
                            }
                            let position = entities.len();
                            index.add(&entity, position);
                            touched.insert(position);
                            entities.push(entity);
                        }
                    }
                }
            }
        }
        Ok(Dictionary::from_entities(entities))
    }
}

/// A landscape item, its names worked out.
struct ItemFacts {
    /// As the landscape writes it: "Open Policy Agent (OPA)".
    name: String,
    /// Without parenthesised notes: "Open Policy Agent".
    base: String,
    /// An acronym the note gives that the base name spells: "OPA".
    acronym: Option<String>,
    category: String,
    is_member: bool,
    cncf: String,
    urls: Vec<String>,
}

impl ItemFacts {
    fn new(item: &LandscapeItem, category: &str, subcategory: &str) -> ItemFacts {
        let is_member = category.trim() == MEMBERS_CATEGORY;
        // "Box (supporter)", "Upbound (member)": the note says how the
        // company supports the CNCF, not what it is called.
        let name = without_membership_notes(item.name.trim());
        let (base, notes) = split_notes(&name);
        let acronym = notes
            .into_iter()
            .find(|note| is_acronym_of(note, &base))
            .map(str::to_string);
        let cncf = item
            .project
            .as_deref()
            .map(str::trim)
            .filter(|p| CNCF_LEVELS.contains(p))
            .unwrap_or("")
            .to_string();
        let urls = [&item.homepage_url, &item.repo_url]
            .into_iter()
            .flatten()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        ItemFacts {
            name,
            base,
            acronym,
            category: format!("{} / {}", category.trim(), subcategory.trim()),
            is_member,
            cncf,
            urls,
        }
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        [
            Some(self.name.as_str()),
            Some(self.base.as_str()),
            self.acronym.as_deref(),
        ]
        .into_iter()
        .flatten()
    }

    fn into_entity(self, ids: &mut BTreeSet<String>) -> Entity {
        // Members are companies; every other item is a project or product.
        let kind = if self.is_member {
            EntityKind::Org
        } else {
            EntityKind::Tool
        };
        let id = unique_id(kind, &slug(&self.base), ids);
        let mut match_rule = landscape_match_rule(&self.base);
        // An acronym ("SAM", "EBS") is a name only in capitals.
        if self.acronym.is_some() && match_rule == MatchRule::Normal {
            match_rule = MatchRule::Exact;
        }
        // The short form a product's note gives ("(ECS)") stands for many
        // things (ECS is also the Entity Component System); a company's
        // own name in capitals (IBM, SAP) is its name. And a company known
        // by one everyday word ("Box") is that word more often than the
        // company.
        let short_acronym = self.acronym.as_deref().is_some_and(is_short_acronym);
        if short_acronym || (self.is_member && is_plain_word(&self.base)) {
            match_rule = MatchRule::Strict;
        }
        let mut aliases = Vec::new();
        for alias in [Some(&self.base), self.acronym.as_ref()]
            .into_iter()
            .flatten()
        {
            if *alias != self.name && !aliases.contains(alias) {
                aliases.push(alias.clone());
            }
        }
        Entity {
            id,
            name: self.name,
            kind,
            aliases,
            urls: dedup_urls(self.urls),
            category: self.category,
            cncf: self.cncf,
            match_rule,
            sig: String::new(),
            source: crate::model::Source::Landscape,
        }
    }
}

/// "Box (supporter)" → "Box": the notes the members category adds to a
/// company's name, dropped; other notes ("(CNCF)") kept.
fn without_membership_notes(name: &str) -> String {
    const MEMBERSHIP_NOTES: &[&str] = &["member", "supporter", "contributor", "end user"];
    let mut out = name.to_string();
    for note in MEMBERSHIP_NOTES {
        out = out.replace(&format!("({note})"), "");
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        name.to_string()
    } else {
        out
    }
}

/// "ECS", "OPA": two or three capital letters, nothing else. (Four, as in
/// "KEDA" or "CNCF", are mostly names of their own.)
pub fn is_short_acronym(name: &str) -> bool {
    (2..=3).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_uppercase())
}

/// "Amazon Elastic Kubernetes Service (EKS) (Wasm)" → the name without the
/// parentheses, and the notes inside them.
fn split_notes(name: &str) -> (String, Vec<&str>) {
    let mut base = String::new();
    let mut notes = Vec::new();
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        base.push_str(&rest[..open]);
        notes.push(rest[open + 1..open + close].trim());
        rest = &rest[open + close + 1..];
    }
    base.push_str(rest);
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    if base.is_empty() {
        (name.to_string(), Vec::new())
    } else {
        (base, notes)
    }
}

/// "OPA" for "Open Policy Agent", "EKS" for "Amazon Elastic Kubernetes
/// Service": the note's capitals are the base's initials, in order. Keeps
/// out notes such as "(member)", "(Wasm)" and "(KCSP)".
fn is_acronym_of(note: &str, base: &str) -> bool {
    let letters: Vec<char> = note.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if letters.len() < 2 || !letters.iter().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    if !note.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let initials: Vec<char> = base
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|word| word.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut initials = initials.into_iter();
    letters.iter().all(|letter| initials.any(|i| i == *letter))
}

fn find_merge_target(index: &MergeIndex, item: &ItemFacts) -> Option<usize> {
    let by_name = item
        .names()
        .filter_map(|name| index.by_name.get(&name_key(name)))
        .next();
    if let Some(&position) = by_name {
        return Some(position);
    }
    // A company shares its repository with its product only by accident.
    if item.is_member {
        return None;
    }
    item.urls
        .iter()
        .filter_map(|url| entity_repository(url))
        .find_map(|repository| index.by_repository.get(&repository).copied())
}

fn merge_item(entity: &mut Entity, item: &ItemFacts, first_touch: bool) {
    if !item.is_member {
        if first_touch {
            entity.category = item.category.clone();
        }
        if !item.cncf.is_empty() && (first_touch || entity.cncf.is_empty()) {
            entity.cncf = item.cncf.clone();
        }
    }
    let mut urls = std::mem::take(&mut entity.urls);
    urls.extend(item.urls.iter().cloned());
    entity.urls = dedup_urls(urls);
}

/// Keeps the first of URLs that differ only by case or a trailing slash.
fn dedup_urls(urls: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    urls.into_iter()
        .filter(|url| seen.insert(url.trim_end_matches('/').to_lowercase()))
        .collect()
}

/// Names compared for merging: lower case, letters and digits only, so
/// "Argo CD", "ArgoCD" and "argo-cd" are one name.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// "Open Policy Agent" → "open-policy-agent"; "C++" → "c-plus-plus".
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c == '+' {
            slug.push_str("-plus-");
        } else if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else {
            slug.push('-');
        }
    }
    let parts: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "unnamed".to_string()
    } else {
        parts.join("-")
    }
}

/// `kind:slug`, or `kind:slug-2`, `-3`… when a different project took it.
fn unique_id(kind: EntityKind, slug: &str, ids: &mut BTreeSet<String>) -> String {
    let mut id = format!("{}:{slug}", kind.as_str());
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{}:{slug}-{n}", kind.as_str());
        n += 1;
    }
    ids.insert(id.clone());
    id
}

/// How strictly a landscape name must match where the built-in dictionary
/// says nothing. A name that is an English word ("Harbor", "Keep", "Scale")
/// or two letters long needs the product's context; a plain word, or a name
/// made only of everyday words ("Chaos Mesh", "ControlPlane", "No Code"),
/// needs its exact spelling; names with a word of their own ("KubeEdge",
/// "k8gb", "cert-manager") cannot be mistaken in any case.
fn landscape_match_rule(name: &str) -> MatchRule {
    if name.chars().count() <= 2 {
        return MatchRule::Strict;
    }
    let is_common = |word: &str| is_common_word(&word.to_lowercase());
    let tokens: Vec<&str> = name.split_whitespace().collect();
    if let [token] = tokens.as_slice() {
        if is_common(token) {
            return MatchRule::Strict;
        }
        if is_plain_word(token) {
            return MatchRule::Exact;
        }
    }
    let words: Vec<&str> = tokens.iter().flat_map(|token| name_words(token)).collect();
    if !words.is_empty() && words.iter().all(|word| is_common(word)) {
        return MatchRule::Exact;
    }
    MatchRule::Normal
}

/// A lowercase word in [`COMMON_WORDS`].
fn is_common_word(lower: &str) -> bool {
    COMMON_WORDS.binary_search(&lower).is_ok()
}

/// Letters only, and no capital after the first: a word a sentence could hold.
fn is_plain_word(word: &str) -> bool {
    word.chars().all(|c| c.is_alphabetic()) && word.chars().skip(1).all(|c| !c.is_uppercase())
}

/// The words a name token is made of: "ControlPlane" → Control, Plane;
/// "cert-manager" → cert, manager.
fn name_words(token: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for part in token.split(|c: char| !c.is_alphanumeric()) {
        let mut start = 0;
        let mut previous_lower = false;
        for (i, c) in part.char_indices() {
            if c.is_uppercase() && previous_lower {
                words.push(&part[start..i]);
                start = i;
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
        }
        if start < part.len() {
            words.push(&part[start..]);
        }
    }
    words
}

/// Everyday English words, and the words landscape projects are named
/// after, sorted. A landscape name equal to one of them matches only in a
/// product context; a name made only of them matches only as written.
#[rustfmt::skip]
const COMMON_WORDS: &[&str] = &[
    "a", "accordion", "adobe", "agenda", "agent", "ai", "airship", "ambient", "an", "anchor",
    "and", "api", "app", "apple", "application", "apps", "aqua", "architect", "arks", "arm",
    "armada", "atlas", "attribute", "aviatrix", "backstage", "bamboo", "beacon", "beam", "beats",
    "blacksmith", "blizzard", "block", "bosh", "boundary", "box", "bridge", "brigade", "bucket",
    "build", "buoyant", "by", "c", "caddy", "camel", "canonical", "capsule", "cargo",
    "cartographer", "cartography", "cedar", "chalice", "chaos", "cilium", "clockwork", "cloud",
    "cluster", "code", "compass", "concourse", "consul", "container", "containers", "contour",
    "control", "cortex", "cumulus", "curve", "dart", "data", "dataset", "decathlon", "decimal",
    "deploy", "depot", "distribution", "dragonfly", "druid", "echo", "edge", "effectual",
    "elastic", "embrace", "encore", "engine", "enum", "envoy", "eraser", "factory", "falcon",
    "feast", "firecracker", "firefly", "fission", "flannel", "flow", "fluid", "flux", "for",
    "foreman", "foresight", "forge", "formal", "framework", "frontier", "fugue", "function",
    "functions", "gardener", "gate", "gateway", "gear", "go", "gonzo", "goose", "grain",
    "granulate", "graphite", "gremlin", "grid", "guidance", "harbor", "harness", "hatchet",
    "haystack", "hedgehog", "helm", "honeycomb", "hub", "in", "indeed", "inlets", "instructor",
    "intercept", "interlink", "intuit", "keep", "kilo", "kind", "king", "kiosk", "kubernetes",
    "lagoon", "lens", "library", "link", "litmus", "longhorn", "lovable", "lunatic", "mackerel",
    "manager", "maven", "maze", "membrane", "mesh", "metrics", "micrometer", "monitor", "monocle",
    "native", "near", "network", "nightingale", "no", "node", "nomad", "of", "on", "open",
    "operator", "oracle", "outlines", "ozone", "pachyderm", "packer", "palette", "parsec",
    "passage", "picnic", "pilot", "pinpoint", "pixie", "plane", "platform", "plural", "policy",
    "port", "porter", "posit", "prefect", "presto", "pulsar", "pulse", "puppet", "quay", "radar",
    "radius", "ragas", "ratify", "redeploy", "registry", "relay", "replicated", "ripple", "rook",
    "root", "rudder", "runtime", "rust", "salad", "sandstone", "sap", "sawmills", "scale", "scar",
    "score", "screwdriver", "seal", "sealer", "security", "semaphore", "sentinel", "sentry",
    "server", "service", "services", "set", "shield", "ship", "shipwright", "sidekick", "sigma",
    "signal", "singularity", "skipper", "slime", "snowflake", "sonar", "sops", "spark", "spin",
    "spinnaker", "spire", "split", "squash", "stack", "standard", "storage", "strands", "swift",
    "switch", "system", "systems", "tars", "teller", "temporal", "the", "tide", "tilt",
    "timescale", "to", "topaz", "trace", "track", "tremor", "trickster", "typhoon", "unleash",
    "unstructured", "vault", "vector", "velocity", "vertex", "vineyard", "volcano", "wave", "with",
    "wiz", "yahoo", "yoke", "yonder", "zoom",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_sorted_with_unique_valid_ids() {
        let dictionary = Dictionary::builtin().unwrap();
        assert!(
            dictionary.entities.len() >= 300,
            "{}",
            dictionary.entities.len()
        );
        for pair in dictionary.entities.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} then {}",
                pair[0].id,
                pair[1].id
            );
        }
        for entity in &dictionary.entities {
            check_entity(entity).unwrap();
        }
    }

    #[test]
    fn builtin_repositories_point_at_one_entity_each() {
        let dictionary = Dictionary::builtin().unwrap();
        let mut owners: BTreeMap<RepoKey, Vec<&str>> = BTreeMap::new();
        for entity in &dictionary.entities {
            for url in &entity.urls {
                if let Some(repository) = entity_repository(url) {
                    owners.entry(repository).or_default().push(&entity.id);
                }
            }
        }
        let shared: Vec<_> = owners.iter().filter(|(_, ids)| ids.len() > 1).collect();
        assert!(shared.is_empty(), "{shared:?}");
        let argo_cd: RepoKey = "argoproj/argo-cd".parse().unwrap();
        assert_eq!(owners[&argo_cd], ["tool:argo-cd"]);
        let moco: RepoKey = "cybozu-go/moco".parse().unwrap();
        assert_eq!(owners[&moco], ["neco:moco"]);
    }

    #[test]
    fn builtin_aliases_are_not_shared_between_entities() {
        let dictionary = Dictionary::builtin().unwrap();
        let mut owners: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for entity in &dictionary.entities {
            for alias in std::iter::once(&entity.name).chain(&entity.aliases) {
                let key = match entity.match_rule {
                    MatchRule::Normal => alias.to_lowercase(),
                    MatchRule::Exact | MatchRule::Strict => alias.clone(),
                };
                owners.entry(key).or_default().insert(&entity.id);
            }
        }
        let shared: Vec<_> = owners.iter().filter(|(_, ids)| ids.len() > 1).collect();
        assert!(shared.is_empty(), "{shared:?}");
    }

    #[test]
    fn common_words_are_sorted_lowercase() {
        for pair in COMMON_WORDS.windows(2) {
            assert!(pair[0] < pair[1], "{} then {}", pair[0], pair[1]);
        }
        assert!(
            COMMON_WORDS
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
    }

    #[test]
    fn entity_repositories_are_repository_roots() {
        let root = |url: &str| entity_repository(url).map(|r| r.to_string());
        assert_eq!(
            root(" https://github.com/cybozu-go/moco/ ").as_deref(),
            Some("github.com/cybozu-go/moco")
        );
        assert_eq!(
            root("http://www.github.com/XenitAB/Spegel.git").as_deref(),
            Some("github.com/xenitab/spegel")
        );
        assert_eq!(
            root("https://github.com/kubernetes/community/tree/master/sig-network"),
            None
        );
        assert_eq!(root("https://github.com/cybozu-go"), None);
        assert_eq!(
            root("https://gitlab.com/a/b").as_deref(),
            Some("gitlab.com/a/b")
        );
        assert_eq!(root("https://example.org/a/b"), None);
    }

    #[test]
    fn landscape_names_split_into_base_and_acronym() {
        let (base, notes) = split_notes("Amazon Elastic Kubernetes Service (EKS) (Wasm)");
        assert_eq!(base, "Amazon Elastic Kubernetes Service");
        assert_eq!(notes, ["EKS", "Wasm"]);
        assert!(is_acronym_of("EKS", &base));
        assert!(!is_acronym_of("Wasm", &base));
        assert!(is_acronym_of("OPA", "Open Policy Agent"));
        assert!(!is_acronym_of("KCSP", "KodeKloud"));
        assert!(!is_acronym_of("member", "Upbound"));
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(slug("Open Policy Agent"), "open-policy-agent");
        assert_eq!(slug("C++"), "c-plus-plus");
        assert_eq!(
            slug("Elastisys Welkin® based on Cluster API"),
            "elastisys-welkin-based-on-cluster-api"
        );
        assert_eq!(slug("???"), "unnamed");
    }

    #[test]
    fn landscape_match_rules_keep_common_words_out() {
        assert_eq!(landscape_match_rule("Keep"), MatchRule::Strict);
        assert_eq!(landscape_match_rule("ko"), MatchRule::Strict);
        assert_eq!(landscape_match_rule("Spegel"), MatchRule::Exact);
        assert_eq!(landscape_match_rule("Chaos Mesh"), MatchRule::Exact);
        assert_eq!(landscape_match_rule("KubeEdge"), MatchRule::Normal);
        assert_eq!(landscape_match_rule("cert-manager"), MatchRule::Normal);
        assert_eq!(landscape_match_rule("Cloud Custodian"), MatchRule::Normal);
        assert_eq!(landscape_match_rule("No Code"), MatchRule::Exact);
        assert_eq!(landscape_match_rule("ControlPlane"), MatchRule::Exact);
        assert_eq!(landscape_match_rule("DataSet"), MatchRule::Strict);
        assert_eq!(
            landscape_match_rule("Canonical Kubernetes"),
            MatchRule::Exact
        );
        assert_eq!(name_words("ControlPlane"), ["Control", "Plane"]);
        assert_eq!(name_words("k8gb"), ["k8gb"]);
        assert_eq!(name_words("cert-manager"), ["cert", "manager"]);
    }

    const SMALL_LANDSCAPE: &str = "
landscape:
  - category:
    name: App Definition and Development
    subcategories:
      - subcategory:
        name: Continuous Integration & Delivery
        items:
          - item:
            name: Argo
            homepage_url: https://argoproj.github.io/
            repo_url: https://github.com/argoproj/argo-cd
            project: graduated
          - item:
            name: Harbor Thing
            homepage_url: https://example.org/
  - category:
    name: Provisioning
    subcategories:
      - subcategory:
        name: Container Registry
        items:
          - item:
            name: Spegel
            homepage_url: https://spegel.dev/
            repo_url: https://github.com/spegel-org/spegel
            project: sandbox
          - item:
            name: Keep
            homepage_url: https://example.com/keep
";

    #[test]
    fn landscape_members_are_organisations_without_their_notes() {
        let yaml = "
landscape:
  - category:
    name: CNCF Members
    subcategories:
      - subcategory:
        name: End User Supporter and Contributor
        items:
          - item:
            name: Box (supporter)
            homepage_url: https://box.example/
          - item:
            name: Example Networks (member)
            homepage_url: https://networks.example/
  - category:
    name: Orchestration & Management
    subcategories:
      - subcategory:
        name: Scheduling & Orchestration
        items:
          - item:
            name: Example Elastic Container Service (ECS)
            homepage_url: https://ecs.example/
";
        let dictionary = Dictionary::default().with_landscape(yaml).unwrap();
        let names: Vec<(&str, &str, EntityKind, MatchRule)> = dictionary
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.name.as_str(), e.kind, e.match_rule))
            .collect();
        assert_eq!(
            names,
            [
                ("org:box", "Box", EntityKind::Org, MatchRule::Strict),
                (
                    "org:example-networks",
                    "Example Networks",
                    EntityKind::Org,
                    MatchRule::Normal
                ),
                (
                    "tool:example-elastic-container-service",
                    "Example Elastic Container Service (ECS)",
                    EntityKind::Tool,
                    MatchRule::Strict
                ),
            ]
        );
    }

    #[test]
    fn ordinary_words_are_marked_strict() {
        let yaml = "
landscape:
  - category:
    name: Observability and Analysis
    subcategories:
      - subcategory:
        name: Observability
        items:
          - item:
            name: Lens
          - item:
            name: Lens Studio
";
        let mut dictionary = Dictionary::default().with_landscape(yaml).unwrap();
        dictionary.mark_ordinary_words(|word| word == "lens" || word == "studio");
        let rules: Vec<MatchRule> = dictionary.entities.iter().map(|e| e.match_rule).collect();
        assert_eq!(rules, [MatchRule::Strict, MatchRule::Normal]);
    }

    #[test]
    fn landscape_merges_by_repository_and_name() {
        let dictionary = Dictionary::builtin()
            .unwrap()
            .with_landscape(SMALL_LANDSCAPE)
            .unwrap();
        let argo = dictionary.get("tool:argo-cd").unwrap();
        assert_eq!(argo.cncf, "graduated");
        assert_eq!(argo.name, "Argo CD");
        assert!(
            argo.urls
                .contains(&"https://argoproj.github.io/".to_string())
        );
        assert!(dictionary.get("tool:argo").is_none());
        let spegel = dictionary.get("tool:spegel").unwrap();
        assert_eq!(spegel.cncf, "sandbox");
        assert_eq!(spegel.category, "Provisioning / Container Registry");
        let keep = dictionary.get("tool:keep").unwrap();
        assert_eq!(keep.match_rule, MatchRule::Strict);
        assert_eq!(dictionary.get("tool:harbor-thing").unwrap().cncf, "");
    }

    #[test]
    fn malformed_landscape_is_an_error() {
        let err = Dictionary::empty()
            .with_landscape("landscape: 3")
            .unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        assert!(Dictionary::empty().with_landscape("name: x").is_err());
    }

    #[test]
    fn user_entries_override_fields_and_add_entities() {
        let text = "\
[[entity]]
id = \"neco:moco\"
category = \"Database\"

[[entity]]
id = \"tool:weeklygraph\"
name = \"weeklygraph\"
";
        let dictionary = Dictionary::builtin()
            .unwrap()
            .with_user_entries(text)
            .unwrap();
        let moco = dictionary.get("neco:moco").unwrap();
        assert_eq!(moco.category, "Database");
        assert_eq!(moco.name, "MOCO");
        assert_eq!(
            dictionary.get("tool:weeklygraph").unwrap().kind,
            EntityKind::Tool
        );
    }

    #[test]
    fn user_entry_errors_give_the_line() {
        let text = "\n\n[[entity]]\nid = \"tool:nameless\"\n";
        let err = Dictionary::empty().with_user_entries(text).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "line 3: new entity tool:nameless needs a name"
        );
        let text = "[[entity]]\nid = \"neco:moco\"\nkind = \"tool\"\n";
        let err = Dictionary::builtin()
            .unwrap()
            .with_user_entries(text)
            .unwrap_err();
        assert!(format!("{err:#}").starts_with("line 1: neco:moco cannot change kind"));
        let err = Dictionary::empty()
            .with_user_entries("[[entity]]\nid = \"tool:x\"\nnmae = \"X\"\n")
            .unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
