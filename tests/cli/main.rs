//! Integration tests of the built `cyoda` binary: one test binary, one module per area.
// Test code: a panic is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod help;
mod support;
