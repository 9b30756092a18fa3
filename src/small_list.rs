//! A short list of plain values held inline, on the heap only when long.
//!
//! Nearly every contact needs one to four skills, nearly every agent
//! belongs to fewer than ten idle orders, and in a large center most
//! requirement profiles have a handful of eligible agents. Holding those
//! lists in their record means that creating, copying and dropping one
//! allocates nothing, and that reading one touches the record's own
//! memory, not a separate allocation; longer lists go to the heap. Either
//! way the list behaves as the slice it holds: equality, order, hashing
//! and serialization are those of the slice.
//!
//! Kept over `smallvec` (1.16, `union`), measured in place of this type in
//! the requirements, idle lists and slot sets (session 12, criterion,
//! medians against this list): `router/churn_idle/indexed` at 10,000
//! agents / 100 skills 422 → 708 ns (+77%), 1,000 / 100 +16%; the
//! loaded churn cases moved −36% to +0.4% in the same run. The idle loss
//! is beyond the machine's noise; to be measured again with instruction
//! counts before trying once more.

use core::cmp::Ordering;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};
use serde::{Serialize, Serializer};

/// A value that fills the unused inline places of a [`SmallList`].
pub(crate) trait Blank: Copy {
    /// The filler; never read as part of a list.
    const BLANK: Self;
}

impl Blank for u32 {
    const BLANK: Self = 0;
}

/// Up to `N` values inline, more on the heap.
#[derive(Clone)]
pub(crate) enum SmallList<T, const N: usize> {
    /// The first `len` entries are the list.
    Inline {
        len: u8,
        items: [T; N],
    },
    Heap(Box<[T]>),
}

impl<T: Blank, const N: usize> Default for SmallList<T, N> {
    fn default() -> Self {
        SmallList::Inline {
            len: 0,
            items: [T::BLANK; N],
        }
    }
}

impl<T: Blank, const N: usize> From<&[T]> for SmallList<T, N> {
    fn from(s: &[T]) -> Self {
        // `len` is a u8: an inline size above 255 would not fit it.
        if s.len() > N.min(usize::from(u8::MAX)) {
            return SmallList::Heap(s.into());
        }
        let mut items = [T::BLANK; N];
        for (slot, r) in items.iter_mut().zip(s) {
            *slot = *r;
        }
        SmallList::Inline {
            len: s.len() as u8,
            items,
        }
    }
}

impl<T: Blank, const N: usize> SmallList<T, N> {
    /// The list with `value` inserted at `index` (at the end if past it).
    pub(crate) fn inserted(&self, index: usize, value: T) -> Self {
        let mut v = self.to_vec();
        v.insert(index.min(v.len()), value);
        SmallList::from(v.as_slice())
    }

    /// The list without the value at `index` (the same list if past the end).
    pub(crate) fn removed(&self, index: usize) -> Self {
        let mut v = self.to_vec();
        if index < v.len() {
            v.remove(index);
        }
        SmallList::from(v.as_slice())
    }
}

impl<T, const N: usize> Deref for SmallList<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            SmallList::Inline { len, items } => items.get(..usize::from(*len)).unwrap_or(&[]),
            SmallList::Heap(b) => b,
        }
    }
}

impl<T, const N: usize> DerefMut for SmallList<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            SmallList::Inline { len, items } => {
                items.get_mut(..usize::from(*len)).unwrap_or(&mut [])
            }
            SmallList::Heap(b) => b,
        }
    }
}

impl<T: core::fmt::Debug, const N: usize> core::fmt::Debug for SmallList<T, N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq, const N: usize> PartialEq for SmallList<T, N> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq, const N: usize> Eq for SmallList<T, N> {}

impl<T: Ord, const N: usize> PartialOrd for SmallList<T, N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord, const N: usize> Ord for SmallList<T, N> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl<T: Hash, const N: usize> Hash for SmallList<T, N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<T: Serialize, const N: usize> Serialize for SmallList<T, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four inline, as a contact's skill requirements.
    type List = SmallList<u32, 4>;
    const INLINE: usize = 4;

    fn values(n: u32) -> Vec<u32> {
        (0..n).map(|i| i * 3 + 1).collect()
    }

    #[test]
    fn behaves_as_its_slice_inline_and_on_the_heap() {
        for n in 0..8 {
            let v = values(n);
            let l = List::from(v.as_slice());
            assert_eq!(&*l, v.as_slice());
            assert_eq!(matches!(l, SmallList::Heap(_)), n as usize > INLINE);
            assert_eq!(l, List::from(v.as_slice()));
            let grown = l.inserted(0, 2);
            assert_eq!(grown.len(), n as usize + 1);
            assert_eq!(grown.get(1..), Some(v.as_slice()));
            let past = l.inserted(99, 7);
            assert_eq!(past.last(), Some(&7));
            // Removing what was inserted gives the list back, inline again
            // when it fits.
            assert_eq!(grown.removed(0), l);
            assert_eq!(
                matches!(grown.removed(0), SmallList::Heap(_)),
                n as usize > INLINE
            );
            assert_eq!(l.removed(99), l);
            assert_eq!(
                serde_json::to_string(&l).ok(),
                serde_json::to_string(&v).ok()
            );
        }
    }

    #[test]
    fn order_and_hash_are_the_slices() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |x: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            x(&mut h);
            h.finish()
        };
        for (a, b) in [
            (values(2), values(3)),
            (values(5), values(4)),
            (values(6), values(6)),
        ] {
            let (la, lb) = (List::from(a.as_slice()), List::from(b.as_slice()));
            assert_eq!(la.cmp(&lb), a.cmp(&b));
            assert_eq!(hash(&|h| la.hash(h)), hash(&|h| a.as_slice().hash(h)));
        }
    }
}
