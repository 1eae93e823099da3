//! The help-topic compiler: reads `help/**/*.md`, validates every topic, and derives what the
//! binary embeds (descriptors, rendered-ready markdown, the catalog).
//!
//! Shared with `build.rs` through `#[path]`: refer to siblings as `crate::topics::…` and to the
//! contract as `crate::contract::…`, nothing else of this crate.

pub mod pinned;
