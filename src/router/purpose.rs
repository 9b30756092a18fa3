//! Purpose and language routing for chat and messaging: the menu of an
//! entry queue maps the purpose the customer chose to a queue and
//! requirements, and the customer's language may become a requirement.

use crate::model::{Contact, PurposeId, QueueId, Requirements};
use crate::router::{Router, RouterError};
use serde::{Deserialize, Serialize};

/// One entry of an entry queue's menu: contacts arriving in the entry
/// queue with `purpose` go to `queue`, with `requirements` added to their
/// own.
///
/// ```
/// use callroute::*;
/// let (web_chat, billing, orders) = (QueueId::new(1), QueueId::new(2), QueueId::new(3));
/// let (pay, returns) = (PurposeId::new(1), PurposeId::new(2));
/// let returns_skill = SkillId::new(7);
/// let mut router = Router::new(RouterConfig::default())?;
/// router.add_queue(QueueConfig::new(billing))?;
/// router.add_queue(QueueConfig::new(orders))?;
/// router.add_queue(
///     QueueConfig::new(web_chat)
///         .purpose(PurposeRoute::new(pay, billing))
///         .purpose(PurposeRoute::new(returns, orders).requirements(
///             Requirements::new().skill(returns_skill, Proficiency::new(3)?),
///         )),
/// )?;
/// let chat = Contact::new(ContactId::new(1), web_chat, Channel::Chat).purpose(returns);
/// let _ = router.arrive(chat, Timestamp::ZERO)?;
/// assert_eq!(router.contact(ContactId::new(1))?.queue, orders);
/// assert_eq!(router.contact(ContactId::new(1))?.requirements.skills().len(), 1);
/// // A purpose the menu does not list is refused, and nothing changes.
/// let lost = Contact::new(ContactId::new(2), web_chat, Channel::Chat).purpose(PurposeId::new(9));
/// assert!(matches!(router.arrive(lost, Timestamp::ZERO), Err(RouterError::UnknownPurpose { .. })));
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeRoute {
    /// The purpose as the menu offers it.
    pub purpose: PurposeId,
    /// The queue its contacts go to (the entry queue itself, or one added
    /// before it).
    pub queue: QueueId,
    /// Requirements added to the contact's own (default none).
    #[serde(default)]
    pub requirements: Requirements,
}

impl PurposeRoute {
    /// Contacts with `purpose` go to `queue`, with no requirement added.
    #[must_use]
    pub fn new(purpose: PurposeId, queue: QueueId) -> Self {
        PurposeRoute {
            purpose,
            queue,
            requirements: Requirements::new(),
        }
    }

    /// Sets the requirements added to the contact's own.
    #[must_use]
    pub fn requirements(mut self, requirements: Requirements) -> Self {
        self.requirements = requirements;
        self
    }
}

/// Why a queue's menu is refused: the first entry at fault.
pub(crate) fn invalid_menu(
    own: QueueId,
    menu: &[PurposeRoute],
    known: impl Fn(QueueId) -> bool,
) -> Option<PurposeId> {
    menu.iter().enumerate().find_map(|(i, e)| {
        let repeated = menu.iter().take(i).any(|o| o.purpose == e.purpose);
        let unknown = e.queue != own && !known(e.queue);
        (repeated || unknown).then_some(e.purpose)
    })
}

impl Router {
    /// The contact as it will be routed: moved by its entry queue's menu
    /// when it names a purpose, then given its customer's language as a
    /// requirement when its (final) queue asks for that and it requires
    /// none. Unchanged otherwise.
    pub(super) fn apply_menu(&self, mut contact: Contact) -> Result<Contact, RouterError> {
        if let Some(purpose) = contact.purpose {
            let entry = self
                .queues
                .get(self.queue_slot(contact.queue)? as usize)
                .and_then(|q| q.config.purposes.iter().find(|e| e.purpose == purpose))
                .ok_or(RouterError::UnknownPurpose {
                    queue: contact.queue,
                    purpose,
                })?;
            contact.queue = entry.queue;
            contact.requirements = entry.requirements.merged(&contact.requirements);
        }
        let wants_language = self
            .queue_slot(contact.queue)
            .ok()
            .and_then(|q| self.queues.get(q as usize))
            .is_some_and(|q| q.config.language_from_context);
        if wants_language
            && contact.requirements.required_language().is_none()
            && let Some(language) = contact.context.as_deref().and_then(|c| c.language)
        {
            contact.requirements = contact.requirements.clone().language(language);
        }
        Ok(contact)
    }
}
