//! A growable bitset over agent slots, for word-parallel candidate search.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub(crate) fn insert(&mut self, i: u32) {
        let w = (i / 64) as usize;
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if let Some(word) = self.words.get_mut(w) {
            *word |= 1 << (i % 64);
        }
    }

    pub(crate) fn remove(&mut self, i: u32) {
        if let Some(word) = self.words.get_mut((i / 64) as usize) {
            *word &= !(1 << (i % 64));
        }
    }

    pub(crate) fn set(&mut self, i: u32, on: bool) {
        if on { self.insert(i) } else { self.remove(i) }
    }

    pub(crate) fn contains(&self, i: u32) -> bool {
        self.words
            .get((i / 64) as usize)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The members of `self ∩ other`, in increasing order.
    pub(crate) fn intersection<'a>(&'a self, other: &'a Bitset) -> impl Iterator<Item = u32> + 'a {
        self.words
            .iter()
            .zip(&other.words)
            .enumerate()
            .flat_map(|(wi, (a, b))| Bits(a & b).map(move |bit| wi as u32 * 64 + bit))
    }

    /// `self ∩ other` as a new set.
    pub(crate) fn and(&self, other: &Bitset) -> Bitset {
        Bitset {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    /// The members, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words
            .iter()
            .enumerate()
            .flat_map(|(wi, w)| Bits(*w).map(move |bit| wi as u32 * 64 + bit))
    }
}

/// The set bits of one word, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_remove_and_intersect() {
        let mut a = Bitset::default();
        let mut b = Bitset::default();
        for i in [0, 3, 64, 130, 200] {
            a.insert(i);
        }
        for i in [3, 130, 131, 500] {
            b.insert(i);
        }
        assert_eq!(a.intersection(&b).collect::<Vec<_>>(), [3, 130]);
        assert_eq!(a.and(&b).iter().collect::<Vec<_>>(), [3, 130]);
        a.remove(3);
        a.remove(10_000);
        assert!(!a.contains(3) && a.contains(64));
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 64, 130, 200]);
    }
}

/// A set of agent slots kept both as a bitset (O(1) membership, word-wise
/// intersection) and as a sorted list (iteration in O(len) when sparse).
#[derive(Debug, Clone, Default)]
pub(crate) struct SlotSet {
    pub(crate) bits: Bitset,
    pub(crate) list: Vec<u32>,
}

impl SlotSet {
    pub(crate) fn insert(&mut self, slot: u32) {
        if let Err(i) = self.list.binary_search(&slot) {
            self.list.insert(i, slot);
            self.bits.insert(slot);
        }
    }

    pub(crate) fn remove(&mut self, slot: u32) {
        if let Ok(i) = self.list.binary_search(&slot) {
            self.list.remove(i);
            self.bits.remove(slot);
        }
    }

    pub(crate) fn contains(&self, slot: u32) -> bool {
        self.bits.contains(slot)
    }

    /// The members that are also in `other`, in increasing order, by the
    /// cheaper of a list walk and a word-wise intersection.
    pub(crate) fn intersection<'a>(
        &'a self,
        other: &'a Bitset,
    ) -> Box<dyn Iterator<Item = u32> + 'a> {
        if self.is_sparse() {
            Box::new(self.list.iter().copied().filter(|&s| other.contains(s)))
        } else {
            Box::new(self.bits.intersection(other))
        }
    }

    /// Whether walking the list is cheaper than scanning the words.
    pub(crate) fn is_sparse(&self) -> bool {
        self.list.len() <= 2 * self.bits.words.len()
    }
}
