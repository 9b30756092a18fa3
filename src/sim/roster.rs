//! Rosters: the groups of a scenario that a shift schedule plans, and the
//! scenario with a plan's crews in their place.

use super::{AgentGroup, Scenario, Shift, SimError};
use crate::model::QueueId;
use crate::schedule::{Plan, Requirement, ScheduleError, ShiftType};
use serde::{Deserialize, Serialize};

/// Groups of a scenario that a shift schedule plans: agents alike (the
/// skills, capacity and routing profile of the first group named) who
/// may work the shift types given. A plan puts its crews in place of
/// every group named (see [`Scenario::rostered`]).
///
/// ```
/// use callroute::sim::Roster;
/// let roster: Roster = toml::from_str(r#"
///     name = "sales"
///     groups = ["sales early", "sales late"]
///     shift_types = [
///         { name = "day", starts_secs = ["0h", "30m", "1h"], length_secs = "8h30m", cost = 136,
///           breaks = [{ length_secs = "30m", earliest_secs = "3h30m", latest_secs = "5h", paid = false }] },
///     ]
/// "#)?;
/// assert_eq!(roster.shift_types[0].starts_secs, vec![0, 1_800, 3_600]);
/// assert!(!roster.shift_types[0].breaks[0].paid);
/// # Ok::<(), toml::de::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// A name for the report.
    pub name: String,
    /// The scenario's groups it plans, by name: the first is the model of
    /// its agents, and the plan takes the place of them all.
    pub groups: Vec<String>,
    /// The shifts its agents may work (times from the start of the day,
    /// the scenario's first interval).
    pub shift_types: Vec<ShiftType>,
}

impl Roster {
    /// The group its agents are modelled on, and the queue whose
    /// requirement it staffs: the first queue of the best rank in that
    /// group's routing profile.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] when the roster names no group, a group the
    /// scenario lacks, or a group that serves no queue.
    pub fn model<'s>(&self, scenario: &'s Scenario) -> Result<(&'s AgentGroup, QueueId), SimError> {
        let Some(first) = self.groups.first() else {
            return Err(SimError::invalid("groups", "no group"));
        };
        let Some(group) = scenario.groups.iter().find(|g| &g.name == first) else {
            return Err(SimError::invalid(
                "groups[0]",
                format!("\"{first}\" is not a group of the scenario"),
            ));
        };
        let Some(entry) = group.profile.entries().iter().min_by_key(|e| e.rank) else {
            return Err(SimError::invalid(
                "groups[0]",
                format!("\"{first}\" serves no queue"),
            ));
        };
        Ok((group, entry.queue))
    }
}

impl Scenario {
    /// The scenario with each roster's groups replaced by the crews of its
    /// plan (`plans[i]` for `rosters[i]`): one group per crew, modelled on
    /// the roster's first group, named by the roster, the shift and its
    /// start (and the crew, where a shift has several), on duty for the
    /// crew's spans between breaks, with no shrinkage (a plan counts the
    /// agents present). The rosters are left out of the result, whose
    /// groups are what the plans made.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] when `plans` is not one per roster, or a
    /// roster is invalid (see [`Roster::model`]).
    pub fn rostered(&self, plans: &[Plan]) -> Result<Scenario, SimError> {
        if plans.len() != self.rosters.len() {
            return Err(SimError::invalid(
                "plans",
                format!("{} plans for {} rosters", plans.len(), self.rosters.len()),
            ));
        }
        let mut out = self.clone();
        out.rosters.clear();
        out.groups.retain(|g| {
            !self
                .rosters
                .iter()
                .any(|r| r.groups.iter().any(|n| n == &g.name))
        });
        for (i, (roster, plan)) in self.rosters.iter().zip(plans).enumerate() {
            let (model, _) = roster.model(self).map_err(|e| at_roster(i, e))?;
            for shift in &plan.shifts {
                let crews = shift.crews();
                let several = crews.len() > 1;
                for (c, crew) in crews.into_iter().enumerate() {
                    let mut g = model.clone();
                    g.name = format!(
                        "{} · {} {}",
                        roster.name,
                        shift.name,
                        clock(self.opens_secs + shift.start_secs)
                    );
                    if several {
                        g.name.push_str(&format!(" #{}", c + 1));
                    }
                    g.count = crew.agents;
                    g.shrinkage = 0.0;
                    g.shifts = crew
                        .on_duty
                        .iter()
                        .map(|&(start_secs, end_secs)| Shift {
                            start_secs,
                            end_secs,
                        })
                        .collect();
                    out.groups.push(g);
                }
            }
        }
        Ok(out)
    }

    /// The day a roster's requirement covers: the scenario's intervals,
    /// needing `agents[k]` in interval `k`.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] when `agents` is not one per interval.
    pub fn requirement(&self, agents: Vec<u32>) -> Result<Requirement, SimError> {
        if agents.len() != self.intervals as usize {
            return Err(SimError::invalid(
                "agents",
                format!("{} for {} intervals", agents.len(), self.intervals),
            ));
        }
        Requirement::new(self.interval_secs, agents).map_err(|e| schedule_error("agents", e))
    }

    /// The rosters' checks, for [`Scenario::validate`]: each names groups
    /// the scenario has (none in two rosters), its first serves a queue,
    /// and its shift types fit the day.
    pub(super) fn validate_rosters(&self) -> Result<(), SimError> {
        let day = self.requirement(vec![0; self.intervals as usize])?;
        for (i, r) in self.rosters.iter().enumerate() {
            r.model(self).map_err(|e| at_roster(i, e))?;
            for (j, name) in r.groups.iter().enumerate() {
                let field = || format!("rosters[{i}].groups[{j}]");
                if !self.groups.iter().any(|g| &g.name == name) {
                    return Err(SimError::invalid(
                        field(),
                        format!("\"{name}\" is not a group of the scenario"),
                    ));
                }
                let before = self.rosters.iter().take(i).flat_map(|r| &r.groups);
                if before.chain(r.groups.iter().take(j)).any(|n| n == name) {
                    return Err(SimError::invalid(
                        field(),
                        format!("\"{name}\" is named twice"),
                    ));
                }
            }
            crate::schedule::check(&day, &r.shift_types)
                .map_err(|e| at_roster(i, schedule_error("", e)))?;
        }
        Ok(())
    }
}

/// `e` with its field inside `rosters[i]`.
fn at_roster(i: usize, e: SimError) -> SimError {
    match e {
        SimError::Invalid { field, problem } => SimError::Invalid {
            field: if field.is_empty() {
                format!("rosters[{i}]")
            } else {
                format!("rosters[{i}].{field}")
            },
            problem,
        },
        other => other,
    }
}

/// A schedule's error as the simulator's, its field under `field`.
fn schedule_error(field: &str, e: ScheduleError) -> SimError {
    match e {
        ScheduleError::Invalid { field: f, reason } => SimError::invalid(
            match (field.is_empty(), f.is_empty()) {
                (true, _) => f,
                (false, true) => field.to_owned(),
                (false, false) => format!("{field}.{f}"),
            },
            reason,
        ),
        other => SimError::invalid(field, other.to_string()),
    }
}

/// A time of day, `HH:MM`, from seconds after midnight.
fn clock(secs: u64) -> String {
    format!("{:02}:{:02}", secs / 3_600 % 24, secs / 60 % 60)
}
