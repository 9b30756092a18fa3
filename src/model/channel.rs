//! Channels a contact can arrive on.

use serde::{Deserialize, Serialize};

/// The medium of a contact.
///
/// ```
/// use callroute::Channel;
/// assert_eq!(Channel::ALL.len(), 4);
/// assert!(Channel::Voice.is_synchronous() && !Channel::Email.is_synchronous());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A phone call.
    Voice,
    /// A web chat.
    Chat,
    /// An e-mail.
    Email,
    /// Messaging and social media (WhatsApp, SMS, Messenger, ...).
    Messaging,
}

impl Channel {
    /// Every channel, in declaration order.
    pub const ALL: [Channel; 4] = [
        Channel::Voice,
        Channel::Chat,
        Channel::Email,
        Channel::Messaging,
    ];

    /// A dense index in `0..4`, the position in [`Channel::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether the customer waits live on the line (voice, chat).
    #[must_use]
    pub const fn is_synchronous(self) -> bool {
        matches!(self, Channel::Voice | Channel::Chat)
    }
}
