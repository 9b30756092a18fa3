//! Agents: skills, languages, channel capacity, routing profile and status.

use crate::model::{AgentId, Channel, Language, Proficiency, QueueId, SkillId};
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// How many contacts of each channel an agent handles at once.
///
/// With `voice_exclusive` (the default) a voice call takes the agent's whole
/// attention: while on a call the agent is offered nothing else, and while
/// handling any other contact the agent is offered no call. Without it each
/// channel counts only against its own limit.
///
/// ```
/// use callroute::{Capacity, Channel};
/// let blended = Capacity::voice().with(Channel::Chat, 3);
/// assert_eq!(blended.limit(Channel::Chat), 3);
/// assert!(blended.voice_exclusive);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    limits: [u8; 4],
    /// Whether a voice call excludes every other contact (default `true`).
    pub voice_exclusive: bool,
}

impl Capacity {
    /// No capacity at all; add channels with [`Capacity::with`].
    #[must_use]
    pub const fn none() -> Self {
        Capacity {
            limits: [0; 4],
            voice_exclusive: true,
        }
    }

    /// One voice call at a time: the classic call-center agent.
    #[must_use]
    pub const fn voice() -> Self {
        Capacity::none().with(Channel::Voice, 1)
    }

    /// Sets the limit for one channel (builder style).
    #[must_use]
    pub const fn with(mut self, channel: Channel, limit: u8) -> Self {
        match channel {
            Channel::Voice => self.limits[0] = limit,
            Channel::Chat => self.limits[1] = limit,
            Channel::Email => self.limits[2] = limit,
            Channel::Messaging => self.limits[3] = limit,
        }
        self
    }

    /// Sets whether voice excludes every other contact (builder style).
    #[must_use]
    pub const fn voice_exclusive(mut self, exclusive: bool) -> Self {
        self.voice_exclusive = exclusive;
        self
    }

    /// The limit for `channel`.
    #[must_use]
    pub const fn limit(&self, channel: Channel) -> u8 {
        // The four limits as one word, the channel's byte shifted out: no
        // index to check, no branch.
        (u32::from_le_bytes(self.limits) >> (8 * channel.index() as u32)) as u8
    }

    /// The sum of all limits.
    #[must_use]
    pub fn total(&self) -> u32 {
        self.limits.iter().map(|&l| u32::from(l)).sum()
    }

    /// Whether an agent holding `load` (contacts per channel, in service or
    /// in wrap-up) may take one more contact on `channel`.
    #[must_use]
    pub fn admits(&self, load: &[u8; 4], channel: Channel) -> bool {
        let held = |ch: Channel| load.get(ch.index()).copied().unwrap_or(0);
        if held(channel) >= self.limit(channel) {
            return false;
        }
        if !self.voice_exclusive {
            return true;
        }
        let voice = held(Channel::Voice);
        let others: u32 = load.iter().map(|&l| u32::from(l)).sum::<u32>() - u32::from(voice);
        match channel {
            Channel::Voice => others == 0,
            _ => voice == 0,
        }
    }
}

impl Default for Capacity {
    fn default() -> Self {
        Capacity::voice()
    }
}

/// One queue an agent serves, with its rank for that agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEntry {
    /// The queue served.
    pub queue: QueueId,
    /// The rank of the queue for this agent: 1 is served first. A freed
    /// agent takes the best contact of its lowest-numbered rank that has an
    /// eligible contact; priority scores decide within a rank.
    pub rank: u8,
    /// The queue's contacts reach this agent only after waiting this long
    /// (zero: at once). Lets one pool back up another.
    pub delay: TimeSpan,
}

/// Which queues an agent serves, each with a rank and an optional delay.
///
/// ```
/// use callroute::{QueueId, RoutingProfile, TimeSpan};
/// let profile = RoutingProfile::new()
///     .serve(QueueId::new(1), 1)
///     .serve_after(QueueId::new(2), 2, TimeSpan::from_secs(30));
/// assert_eq!(profile.entries().len(), 2);
/// ```
///
/// Deserializing builds the profile as [`RoutingProfile::serve_after`]
/// does: a later entry for the same queue replaces the earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(from = "ProfileFields")]
pub struct RoutingProfile {
    entries: Vec<ProfileEntry>,
}

/// A routing profile as written, before repeats are merged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFields {
    #[serde(default)]
    entries: Vec<ProfileEntry>,
}

impl From<ProfileFields> for RoutingProfile {
    fn from(f: ProfileFields) -> Self {
        f.entries.into_iter().fold(RoutingProfile::new(), |p, e| {
            p.serve_after(e.queue, e.rank, e.delay)
        })
    }
}

impl RoutingProfile {
    /// Serves no queue.
    #[must_use]
    pub fn new() -> Self {
        RoutingProfile::default()
    }

    /// Serves `queue` at `rank` with no delay; replaces an earlier entry for
    /// the same queue.
    #[must_use]
    pub fn serve(self, queue: QueueId, rank: u8) -> Self {
        self.serve_after(queue, rank, TimeSpan::ZERO)
    }

    /// Serves `queue` at `rank` once its contacts have waited `delay`;
    /// replaces an earlier entry for the same queue.
    #[must_use]
    pub fn serve_after(mut self, queue: QueueId, rank: u8, delay: TimeSpan) -> Self {
        let entry = ProfileEntry { queue, rank, delay };
        match self.entries.iter_mut().find(|e| e.queue == queue) {
            Some(e) => *e = entry,
            None => self.entries.push(entry),
        }
        self
    }

    /// The entries, in the order they were added.
    #[must_use]
    pub fn entries(&self) -> &[ProfileEntry] {
        &self.entries
    }

    /// The entry for `queue`, if the agent serves it.
    #[must_use]
    pub fn entry(&self, queue: QueueId) -> Option<&ProfileEntry> {
        self.entries.iter().find(|e| e.queue == queue)
    }
}

/// Everything the router needs to know about an agent it adds.
///
/// ```
/// use callroute::{AgentId, AgentSpec, Proficiency, QueueId, RoutingProfile, SkillId};
/// let spec = AgentSpec::new(AgentId::new(1))
///     .skill(SkillId::new(3), Proficiency::new(8)?)
///     .profile(RoutingProfile::new().serve(QueueId::new(0), 1));
/// assert_eq!(spec.proficiency(SkillId::new(3)), Some(Proficiency::new(8)?));
/// # Ok::<(), callroute::Error>(())
/// ```
///
/// Deserializing builds the spec as the builder does, so a value read from
/// a file obeys the same rules as one built in code: skills sorted by id,
/// a repeated skill keeping its last level ([`AgentSpec::skill`]), repeated
/// languages once ([`AgentSpec::language`]), a repeated queue in the
/// profile keeping its last entry; unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "AgentFields")]
pub struct AgentSpec {
    /// The agent's id.
    pub id: AgentId,
    /// Skills and proficiencies, sorted by skill, no duplicates.
    skills: Vec<(SkillId, Proficiency)>,
    /// Languages spoken.
    pub languages: Vec<Language>,
    /// Contacts per channel at once.
    pub capacity: Capacity,
    /// Queues served.
    pub profile: RoutingProfile,
}

/// An agent spec as written, before the builder's rules apply.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentFields {
    id: AgentId,
    #[serde(default)]
    skills: Vec<(SkillId, Proficiency)>,
    #[serde(default)]
    languages: Vec<Language>,
    #[serde(default)]
    capacity: Capacity,
    #[serde(default)]
    profile: RoutingProfile,
}

impl From<AgentFields> for AgentSpec {
    fn from(f: AgentFields) -> Self {
        let spec = f
            .skills
            .into_iter()
            .fold(AgentSpec::new(f.id), |a, (s, p)| a.skill(s, p));
        f.languages
            .into_iter()
            .fold(spec, AgentSpec::language)
            .capacity(f.capacity)
            .profile(f.profile)
    }
}

impl AgentSpec {
    /// An agent with no skills, no languages, one voice call at a time, and
    /// no queue.
    #[must_use]
    pub fn new(id: AgentId) -> Self {
        AgentSpec {
            id,
            skills: Vec::new(),
            languages: Vec::new(),
            capacity: Capacity::default(),
            profile: RoutingProfile::new(),
        }
    }

    /// Adds or replaces a skill.
    #[must_use]
    pub fn skill(mut self, skill: SkillId, level: Proficiency) -> Self {
        match self.skills.binary_search_by_key(&skill, |s| s.0) {
            Ok(i) => {
                if let Some(s) = self.skills.get_mut(i) {
                    s.1 = level;
                }
            }
            Err(i) => self.skills.insert(i, (skill, level)),
        }
        self
    }

    /// Adds a language.
    #[must_use]
    pub fn language(mut self, language: Language) -> Self {
        if !self.languages.contains(&language) {
            self.languages.push(language);
        }
        self
    }

    /// Sets the capacity.
    #[must_use]
    pub fn capacity(mut self, capacity: Capacity) -> Self {
        self.capacity = capacity;
        self
    }

    /// Sets the routing profile.
    #[must_use]
    pub fn profile(mut self, profile: RoutingProfile) -> Self {
        self.profile = profile;
        self
    }

    /// The skills, sorted by id.
    #[must_use]
    pub fn skills(&self) -> &[(SkillId, Proficiency)] {
        &self.skills
    }

    /// The agent's level in `skill`, if it has it.
    #[must_use]
    pub fn proficiency(&self, skill: SkillId) -> Option<Proficiency> {
        self.skills
            .binary_search_by_key(&skill, |s| s.0)
            .ok()
            .and_then(|i| self.skills.get(i))
            .map(|s| s.1)
    }
}

/// Why an agent is not ready. Products map their own reason codes onto
/// [`NotReadyReason::Other`].
///
/// ```
/// use callroute::NotReadyReason;
/// assert_ne!(NotReadyReason::Break, NotReadyReason::Other(7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotReadyReason {
    /// A short break.
    Break,
    /// A meal.
    Meal,
    /// Training or coaching.
    Training,
    /// A meeting.
    Meeting,
    /// Offers went unanswered.
    MissedOffers,
    /// A product-specific code.
    Other(u16),
}

/// What an agent is doing, as the router sees it.
///
/// ```
/// use callroute::AgentStatus;
/// assert!(AgentStatus::Available.is_logged_in());
/// assert!(!AgentStatus::LoggedOut.is_logged_in());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    /// Not logged in.
    LoggedOut,
    /// Ready, with no contact in service or wrap-up.
    Available,
    /// Handling `contacts` contacts (multi-channel agents may still take more).
    Busy {
        /// Contacts in service.
        contacts: u32,
    },
    /// Ready, nothing in service, `offers` offers pending (reserved for them).
    Reserved {
        /// Offers pending.
        offers: u32,
    },
    /// Ready but offered nothing until `until`, after a rejected or missed
    /// offer (see [`MissedOffers`](crate::MissedOffers)).
    Resting {
        /// When the rest ends.
        until: Timestamp,
    },
    /// No contact in service, after-contact work until `until`.
    WrapUp {
        /// When the last wrap-up ends.
        until: Timestamp,
    },
    /// Logged in but taking no new contact; contacts in service continue.
    NotReady {
        /// Why.
        reason: NotReadyReason,
    },
}

impl AgentStatus {
    /// Whether the agent is logged in.
    #[must_use]
    pub const fn is_logged_in(&self) -> bool {
        !matches!(self, AgentStatus::LoggedOut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_exclusive_blocks_both_ways() {
        let c = Capacity::voice().with(Channel::Chat, 2);
        assert!(c.admits(&[0, 0, 0, 0], Channel::Voice));
        assert!(!c.admits(&[1, 0, 0, 0], Channel::Chat));
        assert!(!c.admits(&[0, 1, 0, 0], Channel::Voice));
        assert!(c.admits(&[0, 1, 0, 0], Channel::Chat));
        assert!(!c.admits(&[0, 2, 0, 0], Channel::Chat));
        let shared = c.voice_exclusive(false);
        assert!(shared.admits(&[1, 1, 0, 0], Channel::Chat));
        assert!(shared.admits(&[0, 2, 0, 0], Channel::Voice));
        assert!(!shared.admits(&[0, 0, 0, 0], Channel::Email));
    }

    #[test]
    fn profile_replaces_entry_for_same_queue() {
        let p = RoutingProfile::new()
            .serve(QueueId::new(1), 1)
            .serve(QueueId::new(1), 3);
        assert_eq!(p.entries().len(), 1);
        assert_eq!(p.entry(QueueId::new(1)).map(|e| e.rank), Some(3));
    }
}
