//! The documented contract of a Cyoda error response: the catalog facts per code and version, a
//! span-aware JSON reader, and the conformance rules that `cyoda check` applies.
//!
//! This module is shared with `build.rs` (through `#[path]`), which uses it to prove every error
//! page's `example:` against the rules. It must therefore refer to itself only as
//! `crate::contract::…` and depend on nothing else in this crate.

pub mod catalog;
pub mod json;
pub mod pointer;
pub mod rules;
pub mod text;
pub mod version;

#[cfg(test)]
mod tests;
