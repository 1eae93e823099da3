//! Integration tests of the built `cyoda` binary, one test binary for all of them.
//! Every command runs hermetically: in a fresh temporary directory, with the environment
//! variables that change the output (colour, width, pager) removed.
// Test helpers may panic: a panic is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod export;
mod schema;
mod shell;
mod term;

use std::path::Path;
use std::process::Command;

/// Variables a user's shell may set that would change what `cyoda` prints.
const CLEARED: &[&str] = &[
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "TERM",
    "PAGER",
];

/// A temporary directory to run `cyoda` in; removed when dropped.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `cyoda ARGS…`, run in the sandbox with a hermetic environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cyoda"));
        cmd.current_dir(self.path()).args(args);
        for name in CLEARED {
            cmd.env_remove(name);
        }
        cmd
    }
}

/// What a finished command left behind.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion; a signal death fails the test.
pub fn run(cmd: &mut Command) -> Output {
    let output = cmd.output().expect("run cyoda");
    Output {
        code: output.status.code().expect("cyoda exited with a status"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `cyoda ARGS…` in a fresh sandbox.
pub fn cyoda(args: &[&str]) -> Output {
    run(&mut Sandbox::new().cmd(args))
}
