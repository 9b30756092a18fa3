//! The sizes of the router's tables, for watching its memory.

use super::Router;

/// How much the router holds, table by table. None of these grows with the
/// number of contacts handled: they follow the contacts held at once, the
/// agents, the timers pending, the requirement profiles in use (plus up to
/// [`RouterConfig::idle_groups_kept`](crate::RouterConfig::idle_groups_kept)
/// idle ones) and the places kept for callers who hung up (within their
/// queue's window). A service can export them as gauges.
///
/// ```
/// use callroute::*;
/// let mut router = Router::new(RouterConfig::default())?;
/// let q = QueueId::new(1);
/// router.add_queue(QueueConfig::new(q))?;
/// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
/// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
/// for i in 0..1_000u64 {
///     let t = Timestamp::from_millis(i);
///     let _ = router.arrive(Contact::new(ContactId::new(i), q, Channel::Voice), t)?;
///     let _ = router.finish(ContactId::new(i), t)?;
/// }
/// let f = router.footprint();
/// assert_eq!((f.contacts, f.contact_records, f.groups, f.timers), (0, 1, 1, 0));
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    /// Contacts held: waiting, being offered or in service.
    pub contacts: usize,
    /// Contact records allocated: the most contacts held at once (records
    /// of finished contacts are reused).
    pub contact_records: usize,
    /// Agents added and not removed.
    pub agents: usize,
    /// Waiting structures, one per requirement profile (queue, channel,
    /// skills, preferred agents): those in use and the idle ones kept,
    /// with the slots of dropped ones.
    pub groups: usize,
    /// Timers pending (wrap-ups, offers, rests, escalation steps).
    pub timers: usize,
    /// Places kept for callers who hung up and may call back.
    pub kept_places: usize,
    /// Customers whose last contact is remembered, within the repeat window.
    pub customers_remembered: usize,
}

impl Router {
    /// The sizes of the router's tables. O(1).
    #[must_use]
    pub fn footprint(&self) -> Footprint {
        Footprint {
            contacts: self.contact_slots.len(),
            contact_records: self.contacts.len(),
            agents: self.agent_slots.len(),
            groups: self.groups.len(),
            timers: self.timers.len(),
            kept_places: self.resumes.len(),
            customers_remembered: self.repeats.len(),
        }
    }
}
