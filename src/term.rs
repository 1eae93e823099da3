//! Terminal facts.
