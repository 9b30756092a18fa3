//! The integer program behind [`schedule`]: its variables and
//! constraints, the solver, and the plan read off its solution.

use super::check::validate;
use super::plan::{BreakStart, Plan, PlannedShift, Shortfall};
use super::{Requirement, ScheduleError, ShiftType};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};

/// The cheapest plan of shifts of `shift_types` that has at least the
/// agents of `requirement` present in every step of the day; where none
/// does, the cheapest of those with the fewest agent-steps short (see the
/// [module](super)). The search goes on until no cheaper plan can exist
/// ([`Plan::optimal`]); [`schedule_within`] bounds it.
///
/// # Errors
///
/// [`ScheduleError::Invalid`], naming the field, for a shift type with no
/// start, a length of 0, a shift that ends after the day, a cost that is
/// negative or not finite, `min_agents` above `max_agents`, a break that
/// ends after its shift or whose window overlaps the one before, or times
/// that share no step of at least a day over [`MAX_STEPS`](super::MAX_STEPS),
/// or a program of more than [`MAX_VARIABLES`](super::MAX_VARIABLES)
/// variables; [`ScheduleError::Solver`] if the solver stops without a plan.
pub fn schedule(
    requirement: &Requirement,
    shift_types: &[ShiftType],
) -> Result<Plan, ScheduleError> {
    schedule_within(requirement, shift_types, None)
}

/// [`schedule`], its search stopped after `max_nodes` nodes of branch and
/// bound (per program solved; `None` for no bound): then the plan is the
/// cheapest found, [`Plan::optimal`] is false and [`Plan::cost_bound`]
/// says how much cheaper a plan could be at most. The count of nodes, not
/// the time, bounds the search, so the same input gives the same plan on
/// every machine.
///
/// # Errors
///
/// As [`schedule`]; [`ScheduleError::Solver`] also when the bound is
/// reached before any plan is found.
///
/// ```
/// use callroute::schedule::{Requirement, ShiftType, schedule_within};
/// let need = Requirement::new(3_600, vec![1, 2, 2, 1])?;
/// let types = [ShiftType::new("two hours", vec![0, 3_600, 7_200], 7_200, 10.0)];
/// let plan = schedule_within(&need, &types, Some(1_000))?;
/// assert!(plan.optimal);
/// assert_eq!(plan.cost, 30.0);
/// # Ok::<(), callroute::schedule::ScheduleError>(())
/// ```
pub fn schedule_within(
    requirement: &Requirement,
    shift_types: &[ShiftType],
    max_nodes: Option<u64>,
) -> Result<Plan, ScheduleError> {
    let step = validate(requirement, shift_types)?;
    let program = Program::new(requirement, shift_types, step);
    let solved = match program.solve(Objective::Cost { short: None }, max_nodes)? {
        Some(solved) => solved,
        None => {
            // Short somewhere: the fewest agent-steps short, then the
            // cheapest plan as short as that.
            let fewest = program
                .solve(Objective::Shortfall, max_nodes)?
                .ok_or_else(|| ScheduleError::Solver("no plan, even short".into()))?;
            let short = fewest.objective.round();
            let cheapest = program
                .solve(Objective::Cost { short: Some(short) }, max_nodes)?
                .ok_or_else(|| ScheduleError::Solver("no plan as short as the fewest".into()))?;
            Solved {
                optimal: cheapest.optimal && fewest.optimal,
                ..cheapest
            }
        }
    };
    program.plan(&solved)
}

/// What a program minimizes.
#[derive(Clone, Copy)]
enum Objective {
    /// The cost, every step covered, or with at most `short` agent-steps
    /// short in all.
    Cost { short: Option<f64> },
    /// The agent-steps short.
    Shortfall,
}

/// A solution: every variable's value, the objective there, the best
/// bound proved on it, and whether the search proved it optimal.
struct Solved {
    values: Vec<f64>,
    objective: f64,
    bound: f64,
    optimal: bool,
}

/// One shift variable: a shift type from one start, and its breaks'
/// variables (per break rule, per start offset from the shift's start).
struct ShiftVar {
    shift_type: usize,
    start: u64,
    var: usize,
    breaks: Vec<Vec<(u64, usize)>>,
}

/// The program: its integer variables (each with its cost and upper
/// bound), its cover rows (per step: the agents present as a sum of
/// variables, and the requirement).
struct Program<'a> {
    shift_types: &'a [ShiftType],
    requirement: &'a Requirement,
    step: u64,
    shifts: Vec<ShiftVar>,
    /// Per variable: its cost and its upper bound.
    variables: Vec<(f64, i32)>,
    present: Vec<Vec<(usize, f64)>>,
    needed: Vec<f64>,
}

/// The solution's values: per shift variable, its agents and per break
/// rule the agents at each offset.
type Values = Vec<(u32, Vec<Vec<(u64, u32)>>)>;

impl<'a> Program<'a> {
    fn new(requirement: &'a Requirement, shift_types: &'a [ShiftType], step: u64) -> Self {
        let steps = (requirement.day_secs() / step) as usize;
        let needed: Vec<f64> = (0..steps as u64)
            .map(|s| {
                let interval = (s * step / requirement.interval_secs()) as usize;
                requirement
                    .agents()
                    .get(interval)
                    .map_or(0.0, |&n| f64::from(n))
            })
            .collect();
        let mut variables = Vec::new();
        let mut present = vec![Vec::new(); steps];
        let mut shifts = Vec::new();
        let cover = |present: &mut Vec<Vec<(usize, f64)>>, from: u64, to: u64, v, sign| {
            let range = (from / step) as usize..(to / step) as usize;
            for p in present.get_mut(range).into_iter().flatten() {
                p.push((v, sign));
            }
        };
        for (j, t) in shift_types.iter().enumerate() {
            let bound = t
                .max_agents
                .map_or(i32::MAX, |m| i32::try_from(m).unwrap_or(i32::MAX));
            for &start in &t.starts_secs {
                let var = variables.len();
                variables.push((t.cost, bound));
                cover(&mut present, start, start + t.length_secs, var, 1.0);
                let breaks = t
                    .breaks
                    .iter()
                    .map(|b| {
                        (b.earliest_secs..=b.latest_secs)
                            .step_by(step as usize)
                            .map(|offset| {
                                let v = variables.len();
                                variables.push((0.0, bound));
                                let from = start + offset;
                                cover(&mut present, from, from + b.length_secs, v, -1.0);
                                (offset, v)
                            })
                            .collect()
                    })
                    .collect();
                shifts.push(ShiftVar {
                    shift_type: j,
                    start,
                    var,
                    breaks,
                });
            }
        }
        Program {
            shift_types,
            requirement,
            step,
            shifts,
            variables,
            present,
            needed,
        }
    }

    /// Minimizes `objective` with every break taken once by every agent
    /// of its shift and each shift type's head count within its bounds;
    /// `None` when no plan meets the constraints (every step covered, or
    /// the most short given).
    fn solve(
        &self,
        objective: Objective,
        max_nodes: Option<u64>,
    ) -> Result<Option<Solved>, ScheduleError> {
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let counted = matches!(objective, Objective::Cost { .. });
        let vars: Vec<Variable> = self
            .variables
            .iter()
            .map(|&(cost, most)| {
                problem.add_integer_var(if counted { cost } else { 0.0 }, (0, most))
            })
            .collect();
        let var = |i: usize| vars.get(i).copied();
        let with_slack = !matches!(objective, Objective::Cost { short: None });
        let mut slack = Vec::new();
        for (row, &needed) in self.present.iter().zip(&self.needed) {
            if needed <= 0.0 {
                continue;
            }
            let mut terms: Vec<(Variable, f64)> = row
                .iter()
                .filter_map(|&(v, c)| var(v).map(|v| (v, c)))
                .collect();
            if with_slack {
                let weight = if counted { 0.0 } else { 1.0 };
                let u = problem.add_var(weight, (0.0, needed));
                terms.push((u, 1.0));
                slack.push(u);
            }
            problem.add_constraint(terms, ComparisonOp::Ge, needed);
        }
        if let Objective::Cost { short: Some(most) } = objective {
            problem.add_constraint(
                slack.iter().map(|&u| (u, 1.0)).collect::<Vec<_>>(),
                ComparisonOp::Le,
                most + 0.5,
            );
        }
        for shift in &self.shifts {
            let Some(on) = var(shift.var) else { continue };
            for starts in &shift.breaks {
                let mut terms: Vec<(Variable, f64)> = starts
                    .iter()
                    .filter_map(|&(_, v)| var(v).map(|v| (v, 1.0)))
                    .collect();
                terms.push((on, -1.0));
                problem.add_constraint(terms, ComparisonOp::Eq, 0.0);
            }
        }
        for (j, t) in self.shift_types.iter().enumerate() {
            let on: Vec<(Variable, f64)> = self
                .shifts
                .iter()
                .filter(|s| s.shift_type == j)
                .filter_map(|s| var(s.var).map(|v| (v, 1.0)))
                .collect();
            if t.min_agents > 0 {
                problem.add_constraint(on.clone(), ComparisonOp::Ge, f64::from(t.min_agents));
            }
            if let Some(most) = t.max_agents {
                problem.add_constraint(on, ComparisonOp::Le, f64::from(most));
            }
        }
        let mut options = SolveOptions::default();
        options.node_limit = max_nodes;
        let outcome = match problem.solve_with(options) {
            Ok(outcome) => outcome,
            Err(microlp::Error::Infeasible) => return Ok(None),
            Err(e) => return Err(ScheduleError::Solver(e.to_string())),
        };
        let optimal = outcome.is_optimal();
        let bound = outcome.stats().best_bound;
        let Some(solution) = outcome.solution() else {
            return Err(ScheduleError::Solver(
                "the search stopped before it found a plan".into(),
            ));
        };
        let objective = solution.objective();
        Ok(Some(Solved {
            values: vars.iter().map(|&v| solution.var_value(v)).collect(),
            objective,
            bound: bound.unwrap_or(objective),
            optimal,
        }))
    }

    fn values(&self, values: &[f64]) -> Values {
        let whole = |v: usize| values.get(v).map_or(0, |x| x.round().max(0.0) as u32);
        self.shifts
            .iter()
            .map(|s| {
                let breaks = s
                    .breaks
                    .iter()
                    .map(|starts| starts.iter().map(|&(o, v)| (o, whole(v))).collect())
                    .collect();
                (whole(s.var), breaks)
            })
            .collect()
    }

    /// The plan of a solution, with what it covers counted from its
    /// values.
    fn plan(&self, solved: &Solved) -> Result<Plan, ScheduleError> {
        let values = self.values(&solved.values);
        let steps = self.needed.len();
        let mut present = vec![0i64; steps];
        let mut add = |from: u64, to: u64, n: u32, sign: i64| {
            let range = (from / self.step) as usize..(to / self.step) as usize;
            for p in present.get_mut(range).into_iter().flatten() {
                *p += sign * i64::from(n);
            }
        };
        let mut shifts = Vec::new();
        let mut cost = 0.0;
        for (s, (agents, breaks)) in self.shifts.iter().zip(&values) {
            let Some(t) = self.shift_types.get(s.shift_type) else {
                continue;
            };
            if *agents == 0 {
                continue;
            }
            cost += t.cost * f64::from(*agents);
            add(s.start, s.start + t.length_secs, *agents, 1);
            let mut planned_breaks = Vec::new();
            for (rule, starts) in t.breaks.iter().zip(breaks) {
                let taken: u32 = starts.iter().map(|b| b.1).sum();
                if taken != *agents {
                    return Err(ScheduleError::Solver(format!(
                        "{} agents on {} from {} s take a break {taken} times",
                        agents, t.name, s.start
                    )));
                }
                let mut used = Vec::new();
                for &(offset, n) in starts.iter().filter(|b| b.1 > 0) {
                    let from = s.start + offset;
                    add(from, from + rule.length_secs, n, -1);
                    used.push(BreakStart {
                        start_secs: from,
                        end_secs: from + rule.length_secs,
                        agents: n,
                    });
                }
                planned_breaks.push(used);
            }
            shifts.push(PlannedShift {
                shift_type: s.shift_type,
                name: t.name.clone(),
                start_secs: s.start,
                end_secs: s.start + t.length_secs,
                agents: *agents,
                breaks: planned_breaks,
            });
        }
        let per_interval = (self.requirement.interval_secs() / self.step) as usize;
        let mut covered = Vec::new();
        let mut short = Vec::new();
        for (k, (steps, &needed)) in present
            .chunks(per_interval.max(1))
            .zip(self.requirement.agents())
            .enumerate()
        {
            let fewest = steps.iter().copied().min().unwrap_or(0).max(0);
            covered.push(u32::try_from(fewest).unwrap_or(u32::MAX));
            let missing = i64::from(needed) - fewest;
            if missing > 0 {
                short.push(Shortfall {
                    interval: k,
                    agents: u32::try_from(missing).unwrap_or(u32::MAX),
                });
            }
        }
        Ok(Plan {
            shifts,
            cost,
            present: covered,
            short,
            step_secs: self.step,
            optimal: solved.optimal,
            cost_bound: if solved.optimal {
                cost
            } else {
                solved.bound.min(cost)
            },
        })
    }
}
