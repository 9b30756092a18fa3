//! What is known of the customer behind a contact: the "single customer
//! view" an agent pulls up, and what the router infers a lifecycle stage
//! from.

use crate::model::{AgentId, Language};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The customer's history, as the embedding product's CRM knows it. Every
/// field is optional in serialized form (absent means none or zero), and a
/// contact may carry no context at all: routing works without it.
///
/// It travels with the contact: [`Router::contact`](crate::Router::contact)
/// hands it to the agent's desktop with the assignment. The router reads it
/// to infer a lifecycle stage the caller did not give
/// ([`StageRule`](crate::StageRule)) and, where a queue asks for it
/// ([`QueueConfig::prefer_known_agents`](crate::QueueConfig::prefer_known_agents)),
/// to prefer the customer's last agent and account manager.
///
/// ```
/// use callroute::{AgentId, Channel, Contact, ContactId, CustomerContext, QueueId, Timestamp};
/// let ctx = CustomerContext {
///     purchases: 3,
///     last_purchase: Some(Timestamp::from_secs(86_400)),
///     lifetime_value: 2_400,
///     last_agent: Some(AgentId::new(12)),
///     ..CustomerContext::default()
/// };
/// let call = Contact::new(ContactId::new(1), QueueId::new(1), Channel::Voice).context(ctx);
/// assert_eq!(call.stage, None); // to be inferred from the context
/// assert_eq!(call.context.as_ref().map(|c| c.purchases), Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerContext {
    /// Purchases made.
    pub purchases: u32,
    /// When the last purchase was made, on the router's clock.
    pub last_purchase: Option<Timestamp>,
    /// The value of all purchases, in whole currency units.
    pub lifetime_value: u64,
    /// Cases (complaints, returns, tickets) still open.
    pub open_cases: u32,
    /// The agent who served the customer last.
    pub last_agent: Option<AgentId>,
    /// The customer's account manager.
    pub account_manager: Option<AgentId>,
    /// The language the customer prefers.
    pub language: Option<Language>,
    /// Contacts with the center in the recent past (as the product counts
    /// them).
    pub recent_contacts: u32,
    /// Signs of consideration without a purchase: quotes requested, product
    /// pages viewed, carts left (as the product counts them).
    pub engagement: u32,
}

impl CustomerContext {
    /// The agents the customer knows, in order: the account manager, then
    /// the last agent (without repeats).
    #[must_use]
    pub fn known_agents(&self) -> Vec<AgentId> {
        let mut agents: Vec<AgentId> = self.account_manager.into_iter().collect();
        if let Some(a) = self.last_agent
            && !agents.contains(&a)
        {
            agents.push(a);
        }
        agents
    }
}
