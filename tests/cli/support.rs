//! A hermetic command builder: the user's environment (colour, width, pager) never leaks in,
//! and every run starts in its own temporary directory.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// What one run of `cyoda` produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// `cyoda` with a clean environment, run from a fresh temporary directory.
pub fn cyoda(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cyoda"));
    command.args(args);
    for variable in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "LINES",
        "TERM",
        "PAGER",
    ] {
        command.env_remove(variable);
    }
    command.current_dir(std::env::temp_dir());
    command.stdin(Stdio::null());
    command
}

/// Runs `command` to completion.
pub fn run(command: &mut Command) -> Run {
    Run::from(command.output().expect("cyoda runs"))
}

/// Runs `cyoda args` with a clean environment.
pub fn cyoda_run(args: &[&str]) -> Run {
    run(&mut cyoda(args))
}

/// Runs `cyoda args` from `dir`.
#[allow(dead_code)]
pub fn cyoda_in(dir: &Path, args: &[&str]) -> Run {
    run(cyoda(args).current_dir(dir))
}
