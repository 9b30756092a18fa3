//! Contacts: a call, chat, e-mail or message waiting to be served.

use crate::model::{
    AgentId, Channel, ContactId, CustomerContext, CustomerId, CustomerValue, LifecycleStage,
    PurposeId, QueueId, Requirements, Sentiment,
};
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// A contact as the router receives it.
///
/// Built with [`Contact::new`] and builder methods; every field has a
/// sensible default (no stage given, neutral sentiment, standard value, no
/// requirements beyond the queue's, no customer context). A contact
/// without a stage has it inferred from its context by the router's
/// [`StageRule`](crate::StageRule), or counts as discovery without one.
///
/// ```
/// use callroute::{Channel, Contact, ContactId, LifecycleStage, QueueId, Sentiment};
/// let c = Contact::new(ContactId::new(1), QueueId::new(0), Channel::Voice)
///     .stage(LifecycleStage::Conversion)
///     .sentiment(Sentiment::new(-0.2)?);
/// assert_eq!(c.stage, Some(LifecycleStage::Conversion));
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Unique while the router knows the contact.
    pub id: ContactId,
    /// The queue it arrives in.
    pub queue: QueueId,
    /// Its channel.
    pub channel: Channel,
    /// The customer's lifecycle stage, when the caller or the product gives
    /// it (default none: inferred, see [`StageRule`](crate::StageRule)).
    #[serde(default)]
    pub stage: Option<LifecycleStage>,
    /// The customer's sentiment at arrival.
    pub sentiment: Sentiment,
    /// The customer's value.
    pub value: CustomerValue,
    /// Requirements on top of the queue's own.
    pub requirements: Requirements,
    /// Agents the contact waits for first (default none).
    #[serde(default)]
    pub preference: Option<Preference>,
    /// The customer, when known (default none): lets a caller who hung up
    /// resume their place ([`QueueConfig::resume_within`](crate::QueueConfig::resume_within)).
    #[serde(default)]
    pub customer: Option<CustomerId>,
    /// What is known of the customer (default none), boxed so that
    /// contacts without it stay small.
    #[serde(default)]
    pub context: Option<Box<CustomerContext>>,
    /// The purpose the customer chose in the menu of its entry queue
    /// (default none): the contact goes to the queue the menu maps it to,
    /// with the menu entry's requirements added
    /// ([`QueueConfig::purposes`](crate::QueueConfig::purposes)).
    #[serde(default)]
    pub purpose: Option<PurposeId>,
}

/// Agents a contact waits for (its last agent, a loyal customer's account
/// manager), and for how long: until it has waited `wait_up_to`, only these
/// agents may take it (if eligible); after, any eligible agent may.
///
/// ```
/// use callroute::{AgentId, Channel, Contact, ContactId, Preference, QueueId, TimeSpan};
/// let c = Contact::new(ContactId::new(1), QueueId::new(0), Channel::Voice)
///     .prefer(Preference::new([AgentId::new(7)], TimeSpan::from_secs(60)));
/// assert_eq!(c.preference.map(|p| p.agents().len()), Some(1));
/// ```
///
/// Held in one box, so that the many contacts without a preference stay
/// small; deserializing one sorts and de-duplicates its agents as
/// [`Preference::new`] does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PreferenceFields", into = "PreferenceFields")]
pub struct Preference(Box<PreferenceFields>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreferenceFields {
    agents: Vec<AgentId>,
    wait_up_to: TimeSpan,
}

impl From<PreferenceFields> for Preference {
    fn from(f: PreferenceFields) -> Self {
        Preference::new(f.agents, f.wait_up_to)
    }
}

impl From<Preference> for PreferenceFields {
    fn from(p: Preference) -> Self {
        *p.0
    }
}

impl Preference {
    /// Prefers `agents` for up to `wait_up_to` of waiting.
    #[must_use]
    pub fn new(agents: impl IntoIterator<Item = AgentId>, wait_up_to: TimeSpan) -> Self {
        let mut agents: Vec<AgentId> = agents.into_iter().collect();
        agents.sort_unstable();
        agents.dedup();
        Preference(Box::new(PreferenceFields { agents, wait_up_to }))
    }

    /// The preferred agents, sorted.
    #[must_use]
    pub fn agents(&self) -> &[AgentId] {
        &self.0.agents
    }

    /// How long the contact waits for them.
    #[must_use]
    pub fn wait_up_to(&self) -> TimeSpan {
        self.0.wait_up_to
    }
}

impl Contact {
    /// A contact with default stage, sentiment, value and no extra requirements.
    #[must_use]
    pub fn new(id: ContactId, queue: QueueId, channel: Channel) -> Self {
        Contact {
            id,
            queue,
            channel,
            stage: None,
            sentiment: Sentiment::NEUTRAL,
            value: CustomerValue::default(),
            requirements: Requirements::new(),
            preference: None,
            customer: None,
            context: None,
            purpose: None,
        }
    }

    /// Sets the lifecycle stage.
    #[must_use]
    pub fn stage(mut self, stage: LifecycleStage) -> Self {
        self.stage = Some(stage);
        self
    }

    /// Attaches what is known of the customer.
    #[must_use]
    pub fn context(mut self, context: CustomerContext) -> Self {
        self.context = Some(Box::new(context));
        self
    }

    /// Sets the sentiment.
    #[must_use]
    pub fn sentiment(mut self, sentiment: Sentiment) -> Self {
        self.sentiment = sentiment;
        self
    }

    /// Sets the customer value.
    #[must_use]
    pub fn value(mut self, value: CustomerValue) -> Self {
        self.value = value;
        self
    }

    /// Sets the requirements added to the queue's.
    #[must_use]
    pub fn requirements(mut self, requirements: Requirements) -> Self {
        self.requirements = requirements;
        self
    }

    /// Sets the customer.
    #[must_use]
    pub fn customer(mut self, customer: CustomerId) -> Self {
        self.customer = Some(customer);
        self
    }

    /// Sets the purpose chosen in the entry queue's menu.
    #[must_use]
    pub fn purpose(mut self, purpose: PurposeId) -> Self {
        self.purpose = Some(purpose);
        self
    }

    /// Sets the agents it waits for first.
    #[must_use]
    pub fn prefer(mut self, preference: Preference) -> Self {
        self.preference = Some(preference);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deserialized_preference_is_sorted_and_deduplicated() -> serde_json::Result<()> {
        let json = r#"{"agents":[9,2,9,5],"wait_up_to":1000}"#;
        let p: Preference = serde_json::from_str(json)?;
        assert_eq!(
            p.agents(),
            &[AgentId::new(2), AgentId::new(5), AgentId::new(9)]
        );
        assert_eq!(p.wait_up_to(), TimeSpan::from_millis(1000));
        let back = serde_json::to_string(&p)?;
        assert_eq!(back, r#"{"agents":[2,5,9],"wait_up_to":1000}"#);
        Ok(())
    }
}
