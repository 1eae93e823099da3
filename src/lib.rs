//! `cyoda`: offline help for the Cyoda error catalog and a checker for captured error responses.
//!
//! The stages, one module each:
//! - [`contract`]: catalog facts, span-aware JSON, conformance rules (shared with `build.rs`);
//! - [`topics`]: the help-topic compiler: load, validate, derive descriptors (shared with `build.rs`);
//! - [`export`]: the static mirror (`cyoda export DIR`): JSON, markdown, HTML, llms.txt;
//! - [`help`]: the embedded topic store, lookup and rendering for `cyoda help`;
//! - [`check`]: reading captured responses and applying the rules for `cyoda check`;
//! - [`report`]: turning check results into human, JSON and CI reports;
//! - [`shell`]: completion scripts and the man page, generated from [`cli`];
//! - [`term`]: terminal facts (colour, width) and sanitising text for display.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod catalog;
pub mod check;
pub mod cli;
pub mod contract;
pub mod export;
pub mod help;
pub mod report;
pub mod shell;
pub mod term;
pub mod topics;
