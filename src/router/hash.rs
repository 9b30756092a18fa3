//! A fast, deterministic hasher for the router's id maps.
//!
//! The keys are small integers and requirement lists chosen by the embedding
//! product, not by an adversary on the network, so a multiplicative hash is
//! enough; it also keeps iteration order identical on every run.

use core::hash::{BuildHasherDefault, Hasher};
use std::collections::HashMap;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl IdHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(K);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        for (slot, b) in w.iter_mut().zip(chunks.remainder()) {
            *slot = *b;
        }
        self.mix(u64::from_le_bytes(w) ^ (bytes.len() as u64) << 56);
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    fn finish(&self) -> u64 {
        // Fold the high bits down: hashbrown uses the top 7 bits as a tag
        // and the low bits as the bucket index.
        self.0 ^ (self.0 >> 29)
    }
}

pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
