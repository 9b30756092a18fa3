//! The skill requirements of one contact, held inline when few.
//!
//! Nearly every contact needs one to four skills. Holding those in the
//! contact itself means that creating, copying and dropping a contact
//! allocates nothing; longer lists go to the heap. Either way the list
//! behaves as the sorted slice it holds: equality, order, hashing and
//! serialization are those of the slice.

use crate::model::skill::SkillRequirement;
use crate::model::{Proficiency, SkillId};
use core::cmp::Ordering;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};
use serde::{Serialize, Serializer};

/// How many requirements are held without allocating.
const INLINE: usize = 4;

const UNUSED: SkillRequirement = SkillRequirement::new(SkillId::new(0), Proficiency::MIN);

#[derive(Clone)]
pub(crate) enum SkillList {
    /// The first `len` entries are the list.
    Inline {
        len: u8,
        items: [SkillRequirement; INLINE],
    },
    Heap(Box<[SkillRequirement]>),
}

impl Default for SkillList {
    fn default() -> Self {
        SkillList::Inline {
            len: 0,
            items: [UNUSED; INLINE],
        }
    }
}

impl From<&[SkillRequirement]> for SkillList {
    fn from(s: &[SkillRequirement]) -> Self {
        if s.len() > INLINE {
            return SkillList::Heap(s.into());
        }
        let mut items = [UNUSED; INLINE];
        for (slot, r) in items.iter_mut().zip(s) {
            *slot = *r;
        }
        SkillList::Inline {
            len: s.len() as u8,
            items,
        }
    }
}

impl SkillList {
    /// The list with `req` inserted at `index`.
    pub(crate) fn inserted(&self, index: usize, req: SkillRequirement) -> SkillList {
        let mut v = self.to_vec();
        v.insert(index.min(v.len()), req);
        SkillList::from(v.as_slice())
    }
}

impl Deref for SkillList {
    type Target = [SkillRequirement];
    fn deref(&self) -> &[SkillRequirement] {
        match self {
            SkillList::Inline { len, items } => items.get(..usize::from(*len)).unwrap_or(&[]),
            SkillList::Heap(b) => b,
        }
    }
}

impl DerefMut for SkillList {
    fn deref_mut(&mut self) -> &mut [SkillRequirement] {
        match self {
            SkillList::Inline { len, items } => {
                items.get_mut(..usize::from(*len)).unwrap_or(&mut [])
            }
            SkillList::Heap(b) => b,
        }
    }
}

impl core::fmt::Debug for SkillList {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for SkillList {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for SkillList {}

impl PartialOrd for SkillList {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SkillList {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

impl Hash for SkillList {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl Serialize for SkillList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reqs(n: u16) -> Vec<SkillRequirement> {
        (0..n)
            .map(|i| SkillRequirement::new(SkillId::new(i * 3), Proficiency::MIN))
            .collect()
    }

    #[test]
    fn behaves_as_its_slice_inline_and_on_the_heap() {
        for n in 0..8 {
            let v = reqs(n);
            let l = SkillList::from(v.as_slice());
            assert_eq!(&*l, v.as_slice());
            assert_eq!(matches!(l, SkillList::Heap(_)), usize::from(n) > INLINE);
            assert_eq!(l, SkillList::from(v.as_slice()));
            let grown = l.inserted(0, SkillRequirement::new(SkillId::new(1), Proficiency::MIN));
            assert_eq!(grown.len(), usize::from(n) + 1);
            assert_eq!(grown.get(1..), Some(v.as_slice()));
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
        for (a, b) in [(reqs(2), reqs(3)), (reqs(5), reqs(4)), (reqs(6), reqs(6))] {
            let (la, lb) = (SkillList::from(a.as_slice()), SkillList::from(b.as_slice()));
            assert_eq!(la.cmp(&lb), a.cmp(&b));
            assert_eq!(hash(&|h| la.hash(h)), hash(&|h| a.as_slice().hash(h)));
        }
    }
}
