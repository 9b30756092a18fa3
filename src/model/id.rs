//! Identifiers: `Copy` newtypes chosen by the caller.

use core::fmt;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty), $prefix:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name($inner);

        impl $name {
            /// Wraps the caller's number.
            #[must_use]
            pub const fn new(raw: $inner) -> Self {
                $name(raw)
            }

            /// The caller's number.
            #[must_use]
            pub const fn get(self) -> $inner {
                self.0
            }
        }

        impl From<$inner> for $name {
            fn from(raw: $inner) -> Self {
                $name(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(
    /// An agent, as the embedding product numbers it.
    ///
    /// ```
    /// use callroute::AgentId;
    /// assert_eq!(AgentId::new(7).to_string(), "agent#7");
    /// ```
    AgentId(u32),
    "agent#"
);
id_type!(
    /// A contact (a call, chat, e-mail or message), unique while the router
    /// knows it.
    ///
    /// ```
    /// use callroute::ContactId;
    /// assert_eq!(ContactId::new(42).get(), 42);
    /// ```
    ContactId(u64),
    "contact#"
);
id_type!(
    /// A queue.
    ///
    /// ```
    /// use callroute::QueueId;
    /// assert_eq!(QueueId::new(1).to_string(), "queue#1");
    /// ```
    QueueId(u32),
    "queue#"
);
id_type!(
    /// A skill (a product line, a task, "de-escalation", ...).
    ///
    /// ```
    /// use callroute::SkillId;
    /// assert_eq!(SkillId::from(3).get(), 3);
    /// ```
    SkillId(u16),
    "skill#"
);
id_type!(
    /// A customer, stable across their contacts (a CRM key).
    ///
    /// ```
    /// use callroute::CustomerId;
    /// assert_eq!(CustomerId::new(77).to_string(), "customer#77");
    /// ```
    CustomerId(u64),
    "customer#"
);
id_type!(
    /// A purpose the customer chose in a chat or messaging menu ("billing",
    /// "track my order"), mapped to a queue by the entry queue's
    /// [`QueueConfig::purposes`](crate::QueueConfig::purposes).
    ///
    /// ```
    /// use callroute::PurposeId;
    /// assert_eq!(PurposeId::new(2).to_string(), "purpose#2");
    /// ```
    PurposeId(u16),
    "purpose#"
);
