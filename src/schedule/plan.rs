//! What [`schedule`](super::schedule) returns: the shifts worked, their
//! breaks, and how the plan covers the requirement.

use serde::{Deserialize, Serialize};

/// A schedule of the day: the shifts worked and what they cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The shifts worked, by shift type then start; only those with
    /// agents.
    pub shifts: Vec<PlannedShift>,
    /// What they cost: each shift type's cost per agent on it.
    pub cost: f64,
    /// Per interval of the requirement: the fewest agents present in any
    /// step of it (agents on a break are away).
    pub present: Vec<u32>,
    /// The intervals with fewer agents present than required, each with
    /// the most missing in a step of it; empty when the plan covers the
    /// whole requirement.
    pub short: Vec<Shortfall>,
    /// The time step the plan was made in, seconds: the greatest common
    /// divisor of the interval and every time in the shift types.
    pub step_secs: u64,
    /// Whether the search proved that no plan is cheaper (or, short, as
    /// short and cheaper): false only when a bound on the search (see
    /// [`schedule_within`](super::schedule_within)) stopped it first.
    pub optimal: bool,
    /// The least cost the search proved any such plan must have: `cost`
    /// when optimal, else how far below `cost` the best plan may be.
    pub cost_bound: f64,
}

impl Plan {
    /// The agents on all its shifts.
    #[must_use]
    pub fn agents(&self) -> u32 {
        self.shifts.iter().map(|s| s.agents).sum()
    }
}

/// The agents working one shift type from one start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedShift {
    /// The shift type (an index into the types given).
    pub shift_type: usize,
    /// Its name.
    pub name: String,
    /// When it starts, seconds from the start of the day.
    pub start_secs: u64,
    /// When it ends.
    pub end_secs: u64,
    /// How many agents work it.
    pub agents: u32,
    /// Per break rule of the type, in order: when the agents take it, as
    /// many starts as are used (their agents add up to `agents`).
    pub breaks: Vec<Vec<BreakStart>>,
}

/// Some agents of a shift taking one break at one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakStart {
    /// When the break starts, seconds from the start of the day.
    pub start_secs: u64,
    /// When it ends.
    pub end_secs: u64,
    /// How many agents take it then.
    pub agents: u32,
}

/// An interval the plan leaves short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    /// The interval (an index into the requirement).
    pub interval: usize,
    /// The most agents missing in a step of it.
    pub agents: u32,
}

/// Agents of one shift who take all their breaks at the same times: what
/// a simulation staffs as one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crew {
    /// How many agents.
    pub agents: u32,
    /// When they are on duty, `(start, end)` seconds from the start of the
    /// day, in order, breaks left out.
    pub on_duty: Vec<(u64, u64)>,
}

impl PlannedShift {
    /// Its agents split into crews: the first agent takes the earliest
    /// start of every break, and so on (the break windows of a shift type
    /// do not overlap, so every pairing is a day one agent can work), agents
    /// with the same breaks together.
    ///
    /// ```
    /// use callroute::schedule::{BreakStart, PlannedShift};
    /// let shift = PlannedShift {
    ///     shift_type: 0,
    ///     name: "early".into(),
    ///     start_secs: 0,
    ///     end_secs: 14_400,
    ///     agents: 3,
    ///     breaks: vec![vec![
    ///         BreakStart { start_secs: 3_600, end_secs: 4_500, agents: 2 },
    ///         BreakStart { start_secs: 4_500, end_secs: 5_400, agents: 1 },
    ///     ]],
    /// };
    /// let crews = shift.crews();
    /// assert_eq!(crews.len(), 2);
    /// assert_eq!(crews[0].agents, 2);
    /// assert_eq!(crews[0].on_duty, vec![(0, 3_600), (4_500, 14_400)]);
    /// assert_eq!(crews[1].on_duty, vec![(0, 4_500), (5_400, 14_400)]);
    /// ```
    #[must_use]
    pub fn crews(&self) -> Vec<Crew> {
        // Per break rule, each agent's break in order.
        let per_agent: Vec<Vec<(u64, u64)>> = self
            .breaks
            .iter()
            .map(|starts| {
                starts
                    .iter()
                    .flat_map(|b| (0..b.agents).map(move |_| (b.start_secs, b.end_secs)))
                    .collect()
            })
            .collect();
        let mut crews: Vec<Crew> = Vec::new();
        for agent in 0..self.agents as usize {
            let mut on_duty = Vec::new();
            let mut from = self.start_secs;
            for (start, end) in per_agent.iter().filter_map(|b| b.get(agent).copied()) {
                if start > from {
                    on_duty.push((from, start));
                }
                from = from.max(end);
            }
            if self.end_secs > from {
                on_duty.push((from, self.end_secs));
            }
            match crews.last_mut() {
                Some(c) if c.on_duty == on_duty => c.agents += 1,
                _ => crews.push(Crew { agents: 1, on_duty }),
            }
        }
        crews
    }
}
