//! The contacts in a simulation, by the slot their id names.

use crate::model::ContactId;

/// Contacts in the system: a slab whose slots are reused. A contact's id
/// is its slot in the low 32 bits and the slot's use count in the high 32,
/// so an event left on the calendar for a contact long gone (a patience
/// that ran out after the call was answered) never finds the slot's next
/// tenant. Lookups are an index, not a hash.
#[derive(Debug)]
pub(crate) struct LiveSet<T> {
    slots: Vec<(u64, Option<T>)>,
    free: Vec<u32>,
}

impl<T> Default for LiveSet<T> {
    fn default() -> Self {
        LiveSet {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> LiveSet<T> {
    /// Holds `value`; returns the id it is known by.
    pub(crate) fn insert(&mut self, value: T) -> ContactId {
        if let Some(slot) = self.free.pop()
            && let Some(cell) = self.slots.get_mut(slot as usize)
        {
            let uses = (cell.0 >> 32).wrapping_add(1);
            cell.0 = uses << 32 | u64::from(slot);
            cell.1 = Some(value);
            return ContactId::new(cell.0);
        }
        let slot = self.slots.len() as u64;
        self.slots.push((slot, Some(value)));
        ContactId::new(slot)
    }

    /// The slot `id` names (its low 32 bits).
    fn slot(id: ContactId) -> u32 {
        (id.get() & u64::from(u32::MAX)) as u32
    }

    /// The cell of `id`, if `id` is its current tenant.
    fn cell_mut(&mut self, id: ContactId) -> Option<&mut (u64, Option<T>)> {
        self.slots
            .get_mut(Self::slot(id) as usize)
            .filter(|c| c.0 == id.get())
    }

    /// The value of `id`, if it is held.
    pub(crate) fn get(&self, id: ContactId) -> Option<&T> {
        self.slots
            .get(Self::slot(id) as usize)
            .filter(|c| c.0 == id.get())
            .and_then(|c| c.1.as_ref())
    }

    /// The value of `id`, if it is held, to change.
    pub(crate) fn get_mut(&mut self, id: ContactId) -> Option<&mut T> {
        self.cell_mut(id).and_then(|c| c.1.as_mut())
    }

    /// Lets `id` go; its slot is reused.
    pub(crate) fn remove(&mut self, id: ContactId) -> Option<T> {
        let value = self.cell_mut(id).and_then(|c| c.1.take());
        if value.is_some() {
            self.free.push(Self::slot(id));
        }
        value
    }

    /// Every value held, in slot order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> + '_ {
        self.slots.iter().filter_map(|c| c.1.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_slot_does_not_answer_to_its_old_id() {
        let mut set = LiveSet::default();
        let a = set.insert("a");
        let b = set.insert("b");
        assert_eq!(set.remove(a), Some("a"));
        let c = set.insert("c");
        assert_ne!(a, c);
        assert_eq!(set.get(a), None);
        assert_eq!(set.remove(a), None);
        assert_eq!(set.get(c), Some(&"c"));
        assert_eq!(set.get(b), Some(&"b"));
        assert_eq!(set.values().count(), 2);
    }
}
