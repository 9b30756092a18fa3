//! Options of the router and of its queues, with documented defaults.

use crate::model::{QueueId, Requirements, ServiceLevelTarget};
use crate::policy::{PolicyError, PriorityWeights, Selection, StageRule};
use crate::router::escalation::{EscalationStep, UpsetRule};
use crate::router::offer::{MissedOffers, OfferPolicy};
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// Options of a [`Router`](crate::Router).
///
/// ```
/// use callroute::{PriorityWeights, RouterConfig};
/// let config = RouterConfig::default().seed(42);
/// assert_eq!(config.weights, PriorityWeights::default());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouterConfig {
    /// The weights of the priority score (default: [`PriorityWeights::default`]).
    pub weights: PriorityWeights,
    /// The seed of the generator used by the random selection strategies
    /// (default 0). The router draws no other randomness.
    pub rng_seed: u64,
    /// What happens to agents who reject or miss offers (default:
    /// [`MissedOffers::default`]).
    pub missed_offers: MissedOffers,
    /// How many waiting structures of requirement profiles that no contact
    /// holds are kept (default 65,536). A profile seen again finds its
    /// structure ready; beyond this many idle ones, they are all dropped,
    /// so memory stays bounded when contacts bring ever new profiles (a
    /// preferred agent each, say). Lower it to save memory, raise it when
    /// the center has more profiles in use than this.
    pub idle_groups_kept: usize,
    /// How a contact's lifecycle stage is inferred from its customer's
    /// context when it arrives without one (default: [`StageRule::default`]).
    pub stage_rule: StageRule,
    /// How long after a customer's contact ends another contact of theirs
    /// counts as a repeat (default 7 days; `None`: no repeat is told and
    /// first-contact resolution is not measured). The router remembers
    /// each customer's last contact for this long: its memory grows with
    /// the customers served within one window. See [`Outcome`](crate::Outcome).
    pub repeat_window: Option<TimeSpan>,
}

impl Default for RouterConfig {
    fn default() -> Self {
        RouterConfig {
            weights: PriorityWeights::default(),
            rng_seed: 0,
            missed_offers: MissedOffers::default(),
            idle_groups_kept: DEFAULT_IDLE_GROUPS_KEPT,
            stage_rule: StageRule::default(),
            repeat_window: Some(DEFAULT_REPEAT_WINDOW),
        }
    }
}

/// The default of [`RouterConfig::repeat_window`]: seven days.
pub(crate) const DEFAULT_REPEAT_WINDOW: TimeSpan = TimeSpan::from_secs(7 * 24 * 3600);

/// The default of [`RouterConfig::idle_groups_kept`].
const DEFAULT_IDLE_GROUPS_KEPT: usize = 65_536;

impl RouterConfig {
    /// Sets the weights (builder style).
    #[must_use]
    pub fn weights(mut self, weights: PriorityWeights) -> Self {
        self.weights = weights;
        self
    }

    /// Sets what happens to agents who reject or miss offers (builder style).
    #[must_use]
    pub fn missed_offers(mut self, missed: MissedOffers) -> Self {
        self.missed_offers = missed;
        self
    }

    /// Sets how many idle requirement-profile structures are kept (builder
    /// style); see [`RouterConfig::idle_groups_kept`].
    #[must_use]
    pub fn idle_groups_kept(mut self, kept: usize) -> Self {
        self.idle_groups_kept = kept;
        self
    }

    /// Sets the rule that infers lifecycle stages (builder style).
    #[must_use]
    pub fn stage_rule(mut self, rule: StageRule) -> Self {
        self.stage_rule = rule;
        self
    }

    /// Sets the repeat window (builder style); see
    /// [`RouterConfig::repeat_window`].
    #[must_use]
    pub fn repeat_window(mut self, window: Option<TimeSpan>) -> Self {
        self.repeat_window = window;
        self
    }

    /// Sets the random seed (builder style).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.rng_seed = seed;
        self
    }

    /// Checks the configuration.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the weight at fault.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.weights.validate()
    }
}

/// A queue: its base priority, requirements, service-level target, length
/// limit, agent-selection strategy and wrap-up time.
///
/// ```
/// use callroute::{QueueConfig, QueueId, Selection, TimeSpan};
/// let q = QueueConfig::new(QueueId::new(1))
///     .base_priority(10.0)
///     .max_waiting(50)
///     .selection(Selection::MostProficient)
///     .wrap_up(TimeSpan::from_secs(15));
/// assert_eq!(q.max_waiting, Some(50));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueConfig {
    /// The queue's id.
    pub id: QueueId,
    /// What people call the queue ("sales", "billing chat"): reports and
    /// charts show it (default none: the id is shown). The router itself
    /// never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Points added to every contact of the queue (default 0).
    #[serde(default)]
    pub base_priority: f64,
    /// Requirements every contact of the queue has (default none).
    #[serde(default)]
    pub requirements: Requirements,
    /// The service-level target (default 80% within 20 s).
    #[serde(default)]
    pub service_level: ServiceLevelTarget,
    /// The most contacts that may wait at once; a contact that would wait
    /// beyond it is refused (default: no limit).
    #[serde(default)]
    pub max_waiting: Option<u32>,
    /// How an agent is chosen when several can take a contact (default
    /// longest idle since the last contact).
    #[serde(default)]
    pub selection: Selection,
    /// After-contact work after each contact of the queue (default none).
    #[serde(default)]
    pub wrap_up: TimeSpan,
    /// Whether contacts are offered before they connect, and how (default
    /// `None`: connected at once).
    #[serde(default)]
    pub offer: Option<OfferPolicy>,
    /// What an arrival does when no logged-in agent could ever serve it
    /// (default [`Unstaffed::Wait`]).
    #[serde(default)]
    pub unstaffed: Unstaffed,
    /// A caller who hangs up and calls this queue again within this window
    /// resumes their old place: the new contact keeps the first one's
    /// arrival time (default `None`: no resume). Needs
    /// [`Contact::customer`](crate::Contact::customer).
    #[serde(default)]
    pub resume_within: Option<TimeSpan>,
    /// Whether an agent a contact prefers, when it frees up, takes such a
    /// contact before any other it may serve (default true); otherwise at
    /// the queue's rank for the agent, by priority.
    #[serde(default = "yes")]
    pub preferred_first: bool,
    /// Steps that fire as a contact waits (default none). See
    /// [`Escalation`](crate::Escalation).
    #[serde(default)]
    pub escalation: Vec<EscalationStep>,
    /// What happens to upset customers (default nothing beyond the
    /// sentiment term of the priority).
    #[serde(default)]
    pub upset: Option<UpsetRule>,
    /// A contact that names no preferred agents waits this long for the
    /// agents its customer knows — the account manager and the last agent
    /// of its [`CustomerContext`](crate::CustomerContext) — before any
    /// eligible agent may take it (default `None`: no such wait).
    #[serde(default)]
    pub prefer_known_agents: Option<TimeSpan>,
    /// Whether and when waiting callers may ask to be called back (default
    /// `None`: no callbacks). See [`Router::request_callback`](crate::Router::request_callback).
    #[serde(default)]
    pub callbacks: Option<crate::router::callback::CallbackPolicy>,
    /// Whether the queue holds outbound tasks (proactive follow-ups)
    /// rather than inbound contacts, and the rule that blends them with
    /// inbound work (default `None`: inbound). See [`Outbound`](crate::Outbound).
    #[serde(default)]
    pub outbound: Option<crate::router::blend::Outbound>,
    /// The menu of an entry queue (default empty): a contact arriving here
    /// with a [purpose](crate::Contact::purpose) goes to the queue its
    /// entry names, with the entry's requirements added. See
    /// [`PurposeRoute`](crate::PurposeRoute).
    #[serde(default)]
    pub purposes: Vec<crate::router::purpose::PurposeRoute>,
    /// Whether a contact routed to this queue that requires no language
    /// requires its customer's ([`CustomerContext::language`](crate::CustomerContext::language))
    /// (default false). For chat and messaging, where the agent writes in
    /// the customer's language; an [`Escalation::DropLanguage`](crate::Escalation::DropLanguage)
    /// step lets anyone take it after a while.
    #[serde(default)]
    pub language_from_context: bool,
}

impl QueueConfig {
    /// A queue with the defaults listed on each field.
    #[must_use]
    pub fn new(id: QueueId) -> Self {
        QueueConfig {
            id,
            name: None,
            base_priority: 0.0,
            requirements: Requirements::new(),
            service_level: ServiceLevelTarget::default(),
            max_waiting: None,
            selection: Selection::default(),
            wrap_up: TimeSpan::ZERO,
            offer: None,
            escalation: Vec::new(),
            upset: None,
            prefer_known_agents: None,
            callbacks: None,
            outbound: None,
            purposes: Vec::new(),
            language_from_context: false,
            unstaffed: Unstaffed::Wait,
            preferred_first: true,
            resume_within: None,
        }
    }

    /// Sets the name reports show.
    ///
    /// ```
    /// use callroute::{QueueConfig, QueueId};
    /// let q = QueueConfig::new(QueueId::new(1)).name("sales");
    /// assert_eq!(q.label(), "sales");
    /// assert_eq!(QueueConfig::new(QueueId::new(2)).label(), "#2");
    /// ```
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The queue's name, or `#` and its id where it has none.
    #[must_use]
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("#{}", self.id.get()))
    }

    /// Sets the base priority.
    #[must_use]
    pub fn base_priority(mut self, points: f64) -> Self {
        self.base_priority = points;
        self
    }

    /// Sets the requirements.
    #[must_use]
    pub fn requirements(mut self, requirements: Requirements) -> Self {
        self.requirements = requirements;
        self
    }

    /// Sets the service-level target.
    #[must_use]
    pub fn service_level(mut self, target: ServiceLevelTarget) -> Self {
        self.service_level = target;
        self
    }

    /// Limits how many contacts may wait at once.
    #[must_use]
    pub fn max_waiting(mut self, limit: u32) -> Self {
        self.max_waiting = Some(limit);
        self
    }

    /// Sets the agent-selection strategy.
    #[must_use]
    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// Sets the wrap-up time.
    #[must_use]
    pub fn wrap_up(mut self, wrap_up: TimeSpan) -> Self {
        self.wrap_up = wrap_up;
        self
    }

    /// Sets what an arrival does when nobody who could serve it is logged in.
    #[must_use]
    pub fn unstaffed(mut self, unstaffed: Unstaffed) -> Self {
        self.unstaffed = unstaffed;
        self
    }

    /// Sets whether preferred agents take the contacts preferring them first.
    #[must_use]
    pub fn preferred_first(mut self, first: bool) -> Self {
        self.preferred_first = first;
        self
    }

    /// Lets a caller who hung up resume their place within `window`.
    #[must_use]
    pub fn resume_within(mut self, window: TimeSpan) -> Self {
        self.resume_within = Some(window);
        self
    }

    /// Sets the escalation ladder.
    #[must_use]
    pub fn escalation(mut self, steps: Vec<EscalationStep>) -> Self {
        self.escalation = steps;
        self
    }

    /// Makes contacts wait up to `wait` for the agents their customer
    /// knows (builder style); see [`QueueConfig::prefer_known_agents`].
    #[must_use]
    pub fn prefer_known_agents(mut self, wait: TimeSpan) -> Self {
        self.prefer_known_agents = Some(wait);
        self
    }

    /// Offers callbacks with `policy` (builder style).
    #[must_use]
    pub fn callbacks(mut self, policy: crate::router::callback::CallbackPolicy) -> Self {
        self.callbacks = Some(policy);
        self
    }

    /// Makes the queue hold outbound tasks blended by `rule` (builder
    /// style); see [`Outbound`](crate::Outbound).
    #[must_use]
    pub fn outbound(mut self, rule: crate::router::blend::Outbound) -> Self {
        self.outbound = Some(rule);
        self
    }

    /// Adds an entry to the queue's menu of purposes (builder style).
    #[must_use]
    pub fn purpose(mut self, entry: crate::router::purpose::PurposeRoute) -> Self {
        self.purposes.push(entry);
        self
    }

    /// Makes contacts routed here require their customer's language when
    /// they require none (builder style).
    #[must_use]
    pub fn language_from_context(mut self, yes: bool) -> Self {
        self.language_from_context = yes;
        self
    }

    /// Sets the rule for upset customers.
    #[must_use]
    pub fn upset(mut self, rule: UpsetRule) -> Self {
        self.upset = Some(rule);
        self
    }

    /// Offers contacts before connecting them (see [`OfferPolicy`]).
    #[must_use]
    pub fn offer(mut self, policy: OfferPolicy) -> Self {
        self.offer = Some(policy);
        self
    }
}

/// What an arrival does when no logged-in agent (ready or not) may serve it,
/// now or after a delay: a closed desk.
///
/// ```
/// use callroute::*;
/// let q = QueueId::new(1);
/// let mut router = Router::new(RouterConfig::default())?;
/// router.add_queue(QueueConfig::new(q).unstaffed(Unstaffed::Refuse))?;
/// let call = Contact::new(ContactId::new(1), q, Channel::Voice);
/// assert!(matches!(router.arrive(call, Timestamp::ZERO), Err(RouterError::Unstaffed { .. })));
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unstaffed {
    /// Accept the contact; it waits for someone to log in.
    #[default]
    Wait,
    /// Refuse it with [`RouterError::Unstaffed`](crate::RouterError::Unstaffed)
    /// (counted as refused), so the product can play a closed message or
    /// offer a callback.
    Refuse,
}

fn yes() -> bool {
    true
}
