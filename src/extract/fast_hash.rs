//! A fast hash for the maps extraction consults once per word or link,
//! keyed by dictionary names and repositories.
//!
//! The standard SipHash resists inputs crafted to collide, which these
//! maps do not need: their keys come from the dictionary, so text being
//! scanned only ever looks keys up. Here hashing costs a multiply per
//! eight bytes (the FxHash that rustc uses).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const MULTIPLIER: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FastHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type FastHashSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_what_they_hold() {
        let mut map: FastHashMap<String, usize> = FastHashMap::default();
        let keys = [
            "",
            "a",
            "kubernetes/kubernetes",
            "cybozu-go/moco",
            "12345678",
            "123456789",
        ];
        for (value, key) in keys.iter().enumerate() {
            map.insert(key.to_string(), value);
        }
        for (value, key) in keys.iter().enumerate() {
            assert_eq!(map.get(*key), Some(&value));
        }
        assert_eq!(map.get("absent"), None);
    }
}
