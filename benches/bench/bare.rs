//! A bare indexed router: the least a router needs to route the churn
//! world, as a yardstick for what memory alone costs at each size.
//!
//! Per-skill lists of idle agents in idle order (walked from the rarest
//! required skill, as longest idle does), one heap of waiting contacts per
//! requirement profile, each agent's list of the profiles it qualifies
//! for, a bit per profile with contacts waiting, and a hash map from
//! contact ids to records. It orders by the default weights' order key and
//! does nothing else: no statistics, explanations, timers, wrap-up,
//! offers, escalation or errors. The router does all of that; what this
//! one costs at a size is what the indexes' memory traffic costs there.

use crate::router::{Engine, collect_one};
use callroute::{Contact, ContactId, PriorityWeights, Requirements, SkillId, TimeSpan, Timestamp};
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hasher: the keys are small integers and skill lists.
#[derive(Default)]
struct Mul(u64);

impl Hasher for Mul {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Map<K, V> = HashMap<K, V, BuildHasherDefault<Mul>>;

struct Agent {
    /// Skill and level, sorted by skill.
    skills: Box<[(SkillId, u8)]>,
    busy: bool,
    /// Bumped whenever the agent turns idle or busy: idle-list entries
    /// with an older epoch are stale.
    epoch: u32,
    /// Profiles the agent qualifies for.
    links: Vec<u32>,
}

impl Agent {
    fn qualifies(&self, req: &Requirements) -> bool {
        req.skills().iter().all(|r| {
            self.skills
                .binary_search_by_key(&r.skill, |&(s, _)| s)
                .is_ok_and(|i| self.skills[i].1 >= r.min.get())
        })
    }
}

/// An order key: a larger key ranks first.
#[derive(Clone, Copy, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// `(order key, earlier arrival first, contact record)`.
type Waiter = (Key, std::cmp::Reverse<u64>, u32);

struct Profile {
    requirements: Requirements,
    waiting: BinaryHeap<Waiter>,
}

/// See the [module](self) docs.
pub(crate) struct Bare {
    weights: PriorityWeights,
    agents: Vec<Agent>,
    /// Agents holding each skill, by skill id.
    skill_agents: Vec<Vec<u32>>,
    /// Per skill, `(agent, epoch)` in the order the agents turned idle.
    idle: Vec<VecDeque<(u32, u32)>>,
    profiles: Vec<Profile>,
    profile_of: Map<Requirements, u32>,
    /// One bit per profile with contacts waiting.
    nonempty: Vec<u64>,
    /// Per contact record: its id, and its agent while in service.
    contacts: Vec<(ContactId, u32)>,
    vacant: Vec<u32>,
    contact_of: Map<ContactId, u32>,
    seq: u64,
}

impl Bare {
    /// A router for agents with `skills` (skill, level), all idle.
    pub(crate) fn new(agents: impl Iterator<Item = Vec<(SkillId, u8)>>) -> Self {
        let mut b = Bare {
            weights: PriorityWeights::default(),
            agents: Vec::new(),
            skill_agents: Vec::new(),
            idle: Vec::new(),
            profiles: Vec::new(),
            profile_of: Map::default(),
            nonempty: Vec::new(),
            contacts: Vec::new(),
            vacant: Vec::new(),
            contact_of: Map::default(),
            seq: 0,
        };
        for mut skills in agents {
            skills.sort_unstable();
            let slot = b.agents.len() as u32;
            for &(s, _) in &skills {
                let s = usize::from(s.get());
                if b.skill_agents.len() <= s {
                    b.skill_agents.resize(s + 1, Vec::new());
                    b.idle.resize(s + 1, VecDeque::new());
                }
                b.skill_agents[s].push(slot);
            }
            b.agents.push(Agent {
                skills: skills.into(),
                busy: true,
                epoch: 0,
                links: Vec::new(),
            });
            b.turn_idle(slot);
        }
        b
    }

    fn turn_idle(&mut self, slot: u32) {
        let a = &mut self.agents[slot as usize];
        a.busy = false;
        a.epoch += 1;
        for &(s, _) in a.skills.iter() {
            self.idle[usize::from(s.get())].push_back((slot, a.epoch));
        }
    }

    fn profile(&mut self, req: &Requirements) -> u32 {
        if let Some(&p) = self.profile_of.get(req) {
            return p;
        }
        let p = self.profiles.len() as u32;
        let rarest = req
            .skills()
            .iter()
            .map(|r| usize::from(r.skill.get()))
            .min_by_key(|&s| self.skill_agents.get(s).map_or(0, Vec::len));
        if let Some(s) = rarest {
            for &a in self.skill_agents.get(s).into_iter().flatten() {
                let agent = &mut self.agents[a as usize];
                if agent.qualifies(req) {
                    agent.links.push(p);
                }
            }
        }
        self.profiles.push(Profile {
            requirements: req.clone(),
            waiting: BinaryHeap::new(),
        });
        self.profile_of.insert(req.clone(), p);
        if self.nonempty.len() * 64 <= p as usize {
            self.nonempty.push(0);
        }
        p
    }

    /// The longest idle agent qualified for profile `p`, taken off idle.
    fn take_idle(&mut self, p: u32) -> Option<u32> {
        let req = &self.profiles[p as usize].requirements;
        let list = req
            .skills()
            .iter()
            .map(|r| usize::from(r.skill.get()))
            .min_by_key(|&s| self.idle[s].len())?;
        let agents = &self.agents;
        let current =
            |&(a, e): &(u32, u32)| !agents[a as usize].busy && agents[a as usize].epoch == e;
        let idle = &mut self.idle[list];
        while idle.front().is_some_and(|e| !current(e)) {
            idle.pop_front();
        }
        let (slot, _) = idle
            .iter()
            .find(|e| current(e) && agents[e.0 as usize].qualifies(req))
            .copied()?;
        let a = &mut self.agents[slot as usize];
        a.busy = true;
        a.epoch += 1;
        Some(slot)
    }

    fn arrive(&mut self, c: &Contact, now: Timestamp) -> Option<ContactId> {
        let stage = c.stage.unwrap_or(callroute::LifecycleStage::Discovery);
        let score = self
            .weights
            .breakdown(0.0, stage, c.sentiment, c.value, TimeSpan::ZERO)
            .total;
        let key = self.weights.order_key(score, now);
        let p = self.profile(&c.requirements);
        let record = self.vacant.pop().unwrap_or_else(|| {
            self.contacts.push((c.id, u32::MAX));
            self.contacts.len() as u32 - 1
        });
        self.contact_of.insert(c.id, record);
        let agent = self.take_idle(p);
        self.contacts[record as usize] = (c.id, agent.unwrap_or(u32::MAX));
        if agent.is_some() {
            return Some(c.id);
        }
        self.seq += 1;
        let waiter = (Key(key), std::cmp::Reverse(self.seq), record);
        self.profiles[p as usize].waiting.push(waiter);
        self.nonempty[p as usize / 64] |= 1 << (p % 64);
        None
    }

    fn finish(&mut self, id: ContactId) -> Option<ContactId> {
        let record = self.contact_of.remove(&id)?;
        let (_, agent) = self.contacts[record as usize];
        self.vacant.push(record);
        let mut best: Option<(Waiter, u32)> = None;
        for &p in &self.agents[agent as usize].links {
            if self.nonempty[p as usize / 64] >> (p % 64) & 1 == 0 {
                continue;
            }
            if let Some(&head) = self.profiles[p as usize].waiting.peek()
                && best.is_none_or(|(b, _)| head > b)
            {
                best = Some((head, p));
            }
        }
        let Some((_, p)) = best else {
            self.turn_idle(agent);
            return None;
        };
        let waiting = &mut self.profiles[p as usize].waiting;
        let (_, _, next) = waiting.pop()?;
        if waiting.is_empty() {
            self.nonempty[p as usize / 64] &= !(1 << (p % 64));
        }
        let next = &mut self.contacts[next as usize];
        next.1 = agent;
        Some(next.0)
    }
}

impl Engine for Bare {
    fn arrive(&mut self, c: Contact, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize {
        collect_one(Bare::arrive(self, &c, now), served)
    }
    fn finish(&mut self, c: ContactId, _now: Timestamp, served: &mut VecDeque<ContactId>) -> usize {
        collect_one(Bare::finish(self, c), served)
    }
}
