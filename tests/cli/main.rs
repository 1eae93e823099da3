//! Integration tests: one binary, one module per area. Every test runs the built `cyoda` from
//! a temporary directory with a scrubbed environment (see `util`).
// Test helpers panic on purpose: a failed step is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod captures;
mod check;
mod ci;
mod corpus;
mod determinism;
mod export;
mod help;
mod hostile;
mod idempotency;
mod kinds;
mod reports;
mod schema;
mod shell;
mod tables;
mod term;
mod topics;
mod util;
mod versions;

pub use util::{Output, Sandbox, cyoda, run};
