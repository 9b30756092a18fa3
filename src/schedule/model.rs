//! The integer program behind [`schedule`]: its checks of the input, its
//! variables and constraints, and the plan read off its solution.

use super::plan::{BreakStart, Plan, PlannedShift, Shortfall};
use super::{Requirement, ScheduleError, ShiftType};
use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp,
    variable,
};

/// The most time steps of a day [`schedule`] takes (a day of minutes is
/// 1,440): times that share no longer step make too large a program.
pub const MAX_STEPS: u64 = 2_880;

/// The most variables the program may have: one per start of a shift
/// type and one per start of each of its breaks.
pub const MAX_VARIABLES: u64 = 100_000;

/// The cheapest plan of shifts of `shift_types` that has at least the
/// agents of `requirement` present in every step of the day; where none
/// does, the cheapest of those with the fewest agent-steps short (see the
/// [module](super)).
///
/// # Errors
///
/// [`ScheduleError::Invalid`], naming the field, for a shift type with no
/// start, a length of 0, a shift that ends after the day, a cost that is
/// negative or not finite, `min_agents` above `max_agents`, a break that
/// ends after its shift or whose window overlaps the one before, or times
/// that share no step of at least a day over [`MAX_STEPS`], or a
/// program of more than [`MAX_VARIABLES`] variables;
/// [`ScheduleError::Solver`] if the solver stops without a plan.
pub fn schedule(
    requirement: &Requirement,
    shift_types: &[ShiftType],
) -> Result<Plan, ScheduleError> {
    let step = validate(requirement, shift_types)?;
    let program = Program::new(requirement, shift_types, step);
    let values = match program.solve(None) {
        Ok(values) => values,
        Err(ResolutionError::Infeasible) => {
            // Short somewhere: the fewest agent-steps short, then the
            // cheapest plan as short as that.
            let fewest_short = program.solve_shortest()?;
            program
                .solve(Some(fewest_short))
                .map_err(|e| ScheduleError::Solver(e.to_string()))?
        }
        Err(e) => return Err(ScheduleError::Solver(e.to_string())),
    };
    program.plan(&values)
}

/// Checks the input; returns the time step, seconds.
/// Whether [`schedule`] takes `shift_types` against `requirement`: the
/// checks it makes before solving.
///
/// # Errors
///
/// As [`schedule`]'s [`ScheduleError::Invalid`].
pub fn check(requirement: &Requirement, shift_types: &[ShiftType]) -> Result<(), ScheduleError> {
    validate(requirement, shift_types).map(|_| ())
}

fn validate(requirement: &Requirement, shift_types: &[ShiftType]) -> Result<u64, ScheduleError> {
    let day = requirement.day_secs();
    let mut step = requirement.interval_secs();
    for (j, t) in shift_types.iter().enumerate() {
        let field = |f: &str| format!("shift_types[{j}].{f}");
        if t.starts_secs.is_empty() {
            return Err(ScheduleError::invalid(field("starts_secs"), "no start"));
        }
        if t.length_secs == 0 {
            return Err(ScheduleError::invalid(
                field("length_secs"),
                "must be above 0",
            ));
        }
        for (i, &s) in t.starts_secs.iter().enumerate() {
            if s.checked_add(t.length_secs).is_none_or(|end| end > day) {
                return Err(ScheduleError::invalid(
                    format!("shift_types[{j}].starts_secs[{i}]"),
                    format!(
                        "a shift from {s} s of {} s ends after the day ({day} s)",
                        t.length_secs
                    ),
                ));
            }
            step = gcd(step, s);
        }
        if !(t.cost.is_finite() && t.cost >= 0.0) {
            return Err(ScheduleError::invalid(
                field("cost"),
                format!("{} is not a finite number at least 0", t.cost),
            ));
        }
        if t.max_agents.is_some_and(|m| m < t.min_agents) {
            return Err(ScheduleError::invalid(
                field("min_agents"),
                "is above max_agents",
            ));
        }
        step = gcd(step, t.length_secs);
        let mut free_from = 0;
        for (k, b) in t.breaks.iter().enumerate() {
            let field = |f: &str| format!("shift_types[{j}].breaks[{k}].{f}");
            if b.length_secs == 0 {
                return Err(ScheduleError::invalid(
                    field("length_secs"),
                    "must be above 0",
                ));
            }
            if b.latest_secs < b.earliest_secs {
                return Err(ScheduleError::invalid(
                    field("latest_secs"),
                    "is before earliest_secs",
                ));
            }
            if b.earliest_secs < free_from {
                return Err(ScheduleError::invalid(
                    field("earliest_secs"),
                    "the window overlaps the break before's (its latest start and length)",
                ));
            }
            if b.latest_secs
                .checked_add(b.length_secs)
                .is_none_or(|end| end > t.length_secs)
            {
                return Err(ScheduleError::invalid(
                    field("latest_secs"),
                    "a break starting then ends after the shift",
                ));
            }
            free_from = b.latest_secs + b.length_secs;
            step = [b.length_secs, b.earliest_secs, b.latest_secs]
                .into_iter()
                .fold(step, gcd);
        }
    }
    if day / step > MAX_STEPS {
        return Err(ScheduleError::invalid(
            "shift_types",
            format!(
                "the times share a step of {step} s only: {} steps in the day, more than {MAX_STEPS}",
                day / step
            ),
        ));
    }
    // The program's size: a variable per start, and per break start.
    let variables: u64 = shift_types
        .iter()
        .map(|t| {
            let per_start: u64 = t
                .breaks
                .iter()
                .map(|b| (b.latest_secs - b.earliest_secs) / step + 1)
                .sum();
            (t.starts_secs.len() as u64).saturating_mul(1 + per_start)
        })
        .fold(0, u64::saturating_add);
    if variables > MAX_VARIABLES {
        return Err(ScheduleError::invalid(
            "shift_types",
            format!(
                "{variables} variables (a start of a shift or of a break each), more than {MAX_VARIABLES}: fewer starts, narrower break windows or a longer step"
            ),
        ));
    }
    Ok(step)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// One shift variable: a shift type from one start, and its breaks'
/// variables (per break rule, per start offset from the shift's start).
struct ShiftVar {
    shift_type: usize,
    start: u64,
    var: Variable,
    breaks: Vec<Vec<(u64, Variable)>>,
}

/// The program's variables, its cover rows (per step: the agents present
/// as an expression, and the requirement) and its objective.
struct Program<'a> {
    shift_types: &'a [ShiftType],
    requirement: &'a Requirement,
    step: u64,
    shifts: Vec<ShiftVar>,
    variables: ProblemVariables,
    present: Vec<Expression>,
    needed: Vec<f64>,
    cost: Expression,
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
        let mut variables = ProblemVariables::new();
        let mut present = vec![Expression::from(0.0); steps];
        let mut cost = Expression::from(0.0);
        let mut shifts = Vec::new();
        let cover = |present: &mut Vec<Expression>, from: u64, to: u64, v: Variable, sign: f64| {
            let range = (from / step) as usize..(to / step) as usize;
            for p in present.get_mut(range).into_iter().flatten() {
                p.add_mul(sign, v);
            }
        };
        for (j, t) in shift_types.iter().enumerate() {
            let bound = t.max_agents.map_or(f64::INFINITY, f64::from);
            for &start in &t.starts_secs {
                let var = variables.add(variable().integer().min(0.0).max(bound));
                cost += t.cost * var;
                cover(&mut present, start, start + t.length_secs, var, 1.0);
                let breaks = t
                    .breaks
                    .iter()
                    .map(|b| {
                        (b.earliest_secs..=b.latest_secs)
                            .step_by(step as usize)
                            .map(|offset| {
                                let v = variables.add(variable().integer().min(0.0).max(bound));
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
            cost,
        }
    }

    /// Minimizes the cost with every step covered, or, given `short`,
    /// with at most that many agent-steps short in all.
    fn solve(&self, short: Option<f64>) -> Result<Values, ResolutionError> {
        let mut variables = self.variables.clone();
        let slack = short.map(|_| self.slack(&mut variables));
        let mut model = variables.minimise(self.cost.clone()).using(microlp);
        model = self.constrain(model, slack.as_deref());
        if let (Some(most), Some(slack)) = (short, &slack) {
            let total: Expression = slack.iter().map(|(_, u)| *u).sum();
            model = model.with(total.leq(most + 0.5));
        }
        let solution = model.solve()?;
        Ok(self.values(&solution))
    }

    /// The fewest agent-steps short any plan leaves.
    fn solve_shortest(&self) -> Result<f64, ScheduleError> {
        let mut variables = self.variables.clone();
        let slack = self.slack(&mut variables);
        let total: Expression = slack.iter().map(|(_, u)| *u).sum();
        let model = variables.minimise(total.clone()).using(microlp);
        let solution = self
            .constrain(model, Some(&slack))
            .solve()
            .map_err(|e| ScheduleError::Solver(e.to_string()))?;
        Ok(solution.eval(&total).round())
    }

    /// A shortfall variable for every step that needs agents.
    fn slack(&self, variables: &mut ProblemVariables) -> Vec<(usize, Variable)> {
        self.needed
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0.0)
            .map(|(s, &n)| (s, variables.add(variable().min(0.0).max(n))))
            .collect()
    }

    /// The cover rows (with the shortfall variables `slack` where given),
    /// every break taken once by every agent of its shift, and each shift
    /// type's head count within its bounds.
    fn constrain<M: SolverModel>(&self, mut model: M, slack: Option<&[(usize, Variable)]>) -> M {
        for (s, (present, &needed)) in self.present.iter().zip(&self.needed).enumerate() {
            if needed <= 0.0 {
                continue;
            }
            let mut row = present.clone();
            if let Some(u) = slack.and_then(|sl| sl.iter().find(|(k, _)| *k == s)) {
                row += u.1;
            }
            model = model.with(row.geq(needed));
        }
        for shift in &self.shifts {
            for starts in &shift.breaks {
                let taken: Expression = starts.iter().map(|(_, v)| *v).sum();
                model = model.with(taken.eq(shift.var));
            }
        }
        for (j, t) in self.shift_types.iter().enumerate() {
            let on: Expression = self
                .shifts
                .iter()
                .filter(|s| s.shift_type == j)
                .map(|s| s.var)
                .sum();
            if t.min_agents > 0 {
                model = model.with(on.clone().geq(f64::from(t.min_agents)));
            }
            if let Some(most) = t.max_agents {
                model = model.with(on.leq(f64::from(most)));
            }
        }
        model
    }

    fn values(&self, solution: &impl Solution) -> Values {
        let whole = |v: Variable| solution.value(v).round().max(0.0) as u32;
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

    /// The plan of `values`, with what it covers counted from them.
    fn plan(&self, values: &Values) -> Result<Plan, ScheduleError> {
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
        for (s, (agents, breaks)) in self.shifts.iter().zip(values) {
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
        })
    }
}
