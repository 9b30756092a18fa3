//! A growable bitset over agent slots, for word-parallel candidate search.
//!
//! The core stays hand-written: `fixedbitset` 0.5 in its place (session 12,
//! criterion medians against it) made 11 of 14 churn cases slower, beyond
//! the machine's noise: `churn_loaded/indexed` at 10,000 agents / 10
//! skills 224 → 318 ns (+25%), 1,000 / 100 +19%; `churn_idle` 10,000 /
//! 100 +30%; `agent_frees` +8% and +17%. Its bounds checks and `usize`
//! indices sit on the candidate search's innermost loop.

use crate::small_list::SmallList;

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

    /// Keeps only the members also in `other`, in place.
    pub(crate) fn and_with(&mut self, other: &Bitset) {
        self.words.truncate(other.words.len());
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w &= o;
        }
    }

    /// Adds the members of `other`, in place.
    pub(crate) fn or_with(&mut self, other: &Bitset) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
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
        let mut both = a.clone();
        both.and_with(&b);
        assert_eq!(both.iter().collect::<Vec<_>>(), [3, 130]);
        let mut either = b.clone();
        either.or_with(&a);
        assert_eq!(
            either.iter().collect::<Vec<_>>(),
            [0, 3, 64, 130, 131, 200, 500]
        );
        let mut short = Bitset::default();
        short.insert(3);
        let mut long = a.clone();
        long.and_with(&short);
        assert_eq!(long.iter().collect::<Vec<_>>(), [3]);
        a.remove(3);
        a.remove(10_000);
        assert!(!a.contains(3) && a.contains(64));
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 64, 130, 200]);
    }

    #[test]
    fn grows_and_drops_its_bitset_with_the_same_members() {
        let mut set = SlotSet::default();
        let mut free = Bitset::default();
        for s in (0..600).map(|i| i * 7) {
            set.insert(s);
            if s % 2 == 0 {
                free.insert(s);
            }
        }
        assert!(!set.is_sparse());
        let dense: Vec<u32> = set.intersection(&free).collect();
        // 66 words up to slot 4,193: kept down to nine members.
        for s in (0..591).map(|i| i * 7) {
            set.remove(s);
        }
        assert!(!set.is_sparse());
        set.remove(7 * 591);
        assert!(set.is_sparse());
        assert!(set.contains(7 * 595) && !set.contains(7) && !set.contains(7 * 591));
        let sparse: Vec<u32> = set.intersection(&free).collect();
        assert_eq!(dense.len(), 300);
        assert_eq!(
            sparse,
            dense
                .iter()
                .copied()
                .filter(|&s| s > 7 * 591)
                .collect::<Vec<_>>()
        );
        // A set of a small center has a bitset from its second member.
        let mut small = SlotSet::from_sorted(vec![5]);
        assert!(!small.is_sparse());
        small.insert(90);
        assert!(!small.is_sparse() && small.contains(90) && !small.contains(6));
        let far = SlotSet::from_sorted(vec![5, 9_000]);
        assert!(far.is_sparse() && far.contains(9_000));
    }
}

/// A set of agent slots: a sorted list, plus a bitset when that is cheap.
/// Sparse sets (most requirement profiles in a large center) cost a few
/// bytes and are searched; the others get O(1) membership and word-wise
/// intersection.
#[derive(Debug, Clone, Default)]
pub(crate) struct SlotSet {
    /// Up to four members inline: a requirement profile of several skills
    /// in a large center has a handful of eligible agents, read with the
    /// group's record instead of from an allocation of their own.
    list: SmallList<u32, 4>,
    /// Boxed: most sets have none, and the set lives in a group's record.
    bits: Option<Box<Bitset>>,
}

/// Whether a set of `len` members, the highest `max`, is worth a bitset:
/// one that takes at most four times the list's bytes (a word per 64
/// slots up to `max`, against four bytes a member), so that every set of
/// a small center and the large sets of a big one get one.
fn bits_pay(len: usize, max: u32) -> bool {
    words_up_to(max) <= len.saturating_mul(2)
}

/// Whether a set that has a bitset should drop it: once it would take
/// more than sixteen times the list's bytes, so that a set hovering near
/// [`bits_pay`]'s line does not rebuild it at every change.
fn bits_waste(len: usize, max: u32) -> bool {
    words_up_to(max) > len.saturating_mul(8)
}

/// The words of a bitset holding slot `max`.
fn words_up_to(max: u32) -> usize {
    max as usize / 64 + 1
}

impl SlotSet {
    /// The set of `list`, which is sorted and has no repeats.
    pub(crate) fn from_sorted(list: Vec<u32>) -> Self {
        let mut set = SlotSet {
            list: list.as_slice().into(),
            bits: None,
        };
        set.build_bits_if_paying();
        set
    }

    /// Builds the bitset from the list when [`bits_pay`] says so.
    fn build_bits_if_paying(&mut self) {
        let Some(&max) = self.list.last() else {
            return;
        };
        if self.bits.is_none() && bits_pay(self.list.len(), max) {
            let mut b = Bitset::default();
            for &s in self.list.iter() {
                b.insert(s);
            }
            self.bits = Some(Box::new(b));
        }
    }

    pub(crate) fn insert(&mut self, slot: u32) {
        if let Err(i) = self.list.binary_search(&slot) {
            self.list = self.list.inserted(i, slot);
            match &mut self.bits {
                Some(b) => b.insert(slot),
                None => self.build_bits_if_paying(),
            }
        }
    }

    pub(crate) fn remove(&mut self, slot: u32) {
        if let Ok(i) = self.list.binary_search(&slot) {
            self.list = self.list.removed(i);
            if let Some(b) = &mut self.bits {
                b.remove(slot);
            }
            let max = self.list.last().copied().unwrap_or(0);
            if bits_waste(self.list.len(), max) {
                self.bits = None;
            }
        }
    }

    pub(crate) fn contains(&self, slot: u32) -> bool {
        match &self.bits {
            Some(b) => b.contains(slot),
            None => self.list.binary_search(&slot).is_ok(),
        }
    }

    /// The members that are also in `other`, in increasing order: a list
    /// walk for a small set, a word-wise intersection for a large one.
    pub(crate) fn intersection<'a>(&'a self, other: &'a Bitset) -> impl Iterator<Item = u32> + 'a {
        let by_list = self
            .bits
            .is_none()
            .then(|| self.list.iter().copied().filter(|&s| other.contains(s)));
        let by_words = self.bits.as_ref().map(|b| b.intersection(other));
        by_list
            .into_iter()
            .flatten()
            .chain(by_words.into_iter().flatten())
    }

    /// Every member, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.list.iter().copied()
    }

    /// How many members.
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the set keeps only its list.
    #[cfg(test)]
    fn is_sparse(&self) -> bool {
        self.bits.is_none()
    }
}
