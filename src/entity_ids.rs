//! Entity ids as dense numbers, given once per mention for every summary
//! builder: the tallies are vectors indexed by these keys rather than maps
//! keyed by id strings, so a corpus of many entities pays for each id
//! once, not once per tally.

use indexmap::IndexSet;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use crate::model::{EntitiesInOrder, Entity, EntityLookup, EntityTable, IssueRecord};

/// An entity's number: its place in order of first mention.
pub type EntityKey = u32;

/// The entity ids met so far, numbered in order of first mention.
#[derive(Debug, Default)]
pub struct EntityIds {
    ids: IndexSet<Box<str>, FxBuildHasher>,
    /// Whether the entities in force hold the id. The tallies keep the name
    /// and kind a mention gave only for the others: for the rest, the
    /// outputs take the entity's own.
    known: Vec<bool>,
}

impl EntityIds {
    /// The key of `id`, numbering it if new. `entities`: every entity in
    /// force, the same for every call.
    pub fn intern(&mut self, id: &str, entities: &EntityLookup<'_>) -> EntityKey {
        if let Some(key) = self.ids.get_index_of(id) {
            return key as EntityKey;
        }
        let (key, _) = self.ids.insert_full(id.into());
        self.known.push(entities.contains_key(id));
        key as EntityKey
    }

    /// The key of `id`, numbering it if new, before the entities in force
    /// are decided (the pipeline numbers the ids each issue names, for the
    /// constants): [`EntityIds::is_known`] is false for it.
    pub fn number(&mut self, id: &str) -> EntityKey {
        if let Some(key) = self.ids.get_index_of(id) {
            return key as EntityKey;
        }
        let (key, _) = self.ids.insert_full(id.into());
        self.known.push(false);
        key as EntityKey
    }

    /// The key of each of the record's mentions, in the mentions' order.
    pub fn keys_of(&mut self, record: &IssueRecord, entities: &EntityLookup<'_>) -> Vec<EntityKey> {
        record
            .mentions
            .iter()
            .map(|mention| self.intern(&mention.entity_id, entities))
            .collect()
    }

    /// The id numbered `key`.
    pub fn id(&self, key: EntityKey) -> &str {
        self.ids.get_index(key as usize).map_or("", |id| id)
    }

    /// Whether the entities in force hold the entity numbered `key`.
    pub fn is_known(&self, key: EntityKey) -> bool {
        self.known.get(key as usize).copied().unwrap_or(false)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Every key in the order of its id (bytewise), with the entity in
    /// force of that id.
    pub fn by_id<'a>(&self, entities: &'a EntityTable) -> KeysById<'a> {
        let mut keys: Vec<EntityKey> = (0..self.ids.len() as EntityKey).collect();
        // Ids are distinct: an unstable sort gives the one order.
        keys.par_sort_unstable_by(|&a, &b| self.id(a).cmp(self.id(b)));
        let mut in_order = EntitiesInOrder::new(entities);
        let entities = keys.iter().map(|&key| in_order.get(self.id(key))).collect();
        KeysById { keys, entities }
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The keys of [`EntityIds`] in id order, each with its entity in force:
/// the order the graph's nodes, the trend series and the entity tallies
/// are listed in. With millions of ids, sorting them is the dearest step
/// of listing them, so the summary sorts them once for every list.
#[derive(Debug)]
pub struct KeysById<'a> {
    keys: Vec<EntityKey>,
    entities: Vec<Option<&'a Entity>>,
}

impl<'a> KeysById<'a> {
    pub fn iter(&self) -> impl Iterator<Item = (EntityKey, Option<&'a Entity>)> + '_ {
        self.keys.iter().copied().zip(self.entities.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    use crate::model::Entity;

    fn helm() -> Entity {
        Entity::new("tool:helm", "Helm", EntityKind::Tool)
    }

    #[test]
    fn keys_follow_first_mention_and_know_the_dictionary() {
        let entities: EntityTable = [helm()].into_iter().collect();
        let entities = EntityLookup::new(&entities);
        let mut ids = EntityIds::default();
        assert_eq!(ids.intern("pr:a/b#1", &entities), 0);
        assert_eq!(ids.intern("tool:helm", &entities), 1);
        assert_eq!(ids.intern("pr:a/b#1", &entities), 0);
        assert_eq!(ids.len(), 2);
        assert_eq!(ids.id(1), "tool:helm");
        assert!(ids.is_known(1));
        assert!(!ids.is_known(0));
        assert_eq!(ids.id(7), "");
    }

    #[test]
    fn keys_by_id_sort_bytewise_and_find_their_entities() {
        let helm = helm();
        let table: EntityTable = [helm].into_iter().collect();
        let mut ids = EntityIds::default();
        for id in ["tool:helm", "pr:a/b#2", "Tool:x", "pr:a/b#10"] {
            ids.number(id);
        }
        let listed: Vec<(&str, Option<&str>)> = ids
            .by_id(&table)
            .iter()
            .map(|(key, entity)| (ids.id(key), entity.map(|e| e.name.as_str())))
            .collect();
        assert_eq!(
            listed,
            [
                ("Tool:x", None),
                ("pr:a/b#10", None),
                ("pr:a/b#2", None),
                ("tool:helm", Some("Helm")),
            ]
        );
    }
}
