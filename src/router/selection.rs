//! Choosing one agent among eligible candidates, by the queue's strategy.

use crate::model::{AgentId, Contact, Requirements};
use crate::policy::{Scoring, Selection};
use crate::router::state::{AgentState, QueueState, SelectionFacts};
use crate::router::waiting::GroupKey;
use rand_pcg::Pcg64Mcg;

/// What a choice among agents is for.
pub(crate) struct Ask<'a> {
    pub(crate) selection: Selection,
    pub(crate) requirements: &'a Requirements,
    pub(crate) last_chosen: Option<AgentId>,
    pub(crate) contact: &'a Contact,
    pub(crate) scoring: &'a Scoring,
}

impl<'a> Ask<'a> {
    /// A choice for `contact` of group key `key` in queue `q`.
    pub(crate) fn new(
        q: &QueueState,
        key: &'a GroupKey,
        contact: &'a Contact,
        scoring: &'a Scoring,
    ) -> Self {
        Ask {
            selection: q.config.selection,
            requirements: &key.requirements,
            last_chosen: q.last_chosen,
            contact,
            scoring,
        }
    }
}

/// Selection among candidates; a free function so that callers can borrow
/// the candidate sets and the agents separately.
pub(crate) fn select(
    agents: &[Option<AgentState>],
    facts: &[SelectionFacts],
    rng: &mut Pcg64Mcg,
    ask: &Ask<'_>,
    candidates: impl Iterator<Item = u32>,
) -> Option<u32> {
    use rand::RngExt;
    let (selection, req, last_chosen) = (ask.selection, ask.requirements, ask.last_chosen);
    let agent = |s: u32| agents.get(s as usize).and_then(Option::as_ref);
    match selection {
        Selection::Random | Selection::WeightedRandom => {
            let mut pool: Vec<(AgentId, u64, u32)> = candidates
                .filter_map(|s| {
                    agent(s).map(|a| {
                        let w = match selection {
                            Selection::WeightedRandom => a.proficiency_sum(req).max(1),
                            _ => 1,
                        };
                        (a.spec.id, w, s)
                    })
                })
                .collect();
            if pool.is_empty() {
                return None;
            }
            pool.sort_unstable_by_key(|p| p.0);
            let total: u64 = pool.iter().map(|p| p.1).sum();
            let mut r = rng.random_range(0..total);
            for (_, w, s) in &pool {
                if r < *w {
                    return Some(*s);
                }
                r -= w;
            }
            None
        }
        _ => candidates
            .filter_map(|s| {
                let f = facts.get(s as usize)?;
                let prof = || agent(s).map_or(0, |a| a.proficiency_sum(req));
                let custom =
                    || agent(s).map_or(0.0, |a| ask.scoring.agent_score(&a.spec, ask.contact));
                Some((f.key(selection, last_chosen, prof, custom), s))
            })
            .min_by_key(|p| p.0)
            .map(|p| p.1),
    }
}
