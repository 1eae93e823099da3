//! What a `cyoda check` run is asked to do, in plain terms: the CLI builds a [`Config`] from
//! its arguments, and nothing in `check` sees the arguments themselves.

use std::ffi::OsString;

pub use super::policy::Level;

/// One run of `cyoda check`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Files or directories; empty (or `-`) is standard input.
    pub paths: Vec<OsString>,
    /// `--expect CODE`: every response must carry this errorCode (as typed; checked leniently
    /// against the catalog).
    pub expect: Option<String>,
    /// `--strict`: warnings fail the run too.
    pub strict: bool,
    /// `--allow` / `--warn` / `--deny RULE`, in command-line order (the last for a rule wins).
    pub severities: Vec<(Level, String)>,
}
