//! Contacts: a call, chat, e-mail or message waiting to be served.

use crate::model::{
    Channel, ContactId, CustomerValue, LifecycleStage, QueueId, Requirements, Sentiment,
};
use serde::{Deserialize, Serialize};

/// A contact as the router receives it.
///
/// Built with [`Contact::new`] and builder methods; every field has a
/// sensible default (discovery stage, neutral sentiment, standard value, no
/// requirements beyond the queue's).
///
/// ```
/// use callroute::{Channel, Contact, ContactId, LifecycleStage, QueueId, Sentiment};
/// let c = Contact::new(ContactId::new(1), QueueId::new(0), Channel::Voice)
///     .stage(LifecycleStage::Conversion)
///     .sentiment(Sentiment::new(-0.2)?);
/// assert_eq!(c.stage, LifecycleStage::Conversion);
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Unique while the router knows the contact.
    pub id: ContactId,
    /// The queue it arrives in.
    pub queue: QueueId,
    /// Its channel.
    pub channel: Channel,
    /// The customer's lifecycle stage.
    pub stage: LifecycleStage,
    /// The customer's sentiment at arrival.
    pub sentiment: Sentiment,
    /// The customer's value.
    pub value: CustomerValue,
    /// Requirements on top of the queue's own.
    pub requirements: Requirements,
}

impl Contact {
    /// A contact with default stage, sentiment, value and no extra requirements.
    #[must_use]
    pub fn new(id: ContactId, queue: QueueId, channel: Channel) -> Self {
        Contact {
            id,
            queue,
            channel,
            stage: LifecycleStage::default(),
            sentiment: Sentiment::NEUTRAL,
            value: CustomerValue::default(),
            requirements: Requirements::new(),
        }
    }

    /// Sets the lifecycle stage.
    #[must_use]
    pub fn stage(mut self, stage: LifecycleStage) -> Self {
        self.stage = stage;
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
}
