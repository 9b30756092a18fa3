//! Hand-written scenarios for behaviour worth reading as a story.
