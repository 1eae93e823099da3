//! The `cyoda` binary: parses arguments, dispatches to the library, maps outcomes and errors to
//! exit codes (0 clean, 1 findings, 2 usage / input / internal error). A closed stdout is not
//! an error.

use clap::{CommandFactory, FromArgMatches};
use cyoda::cli::{Cli, Command};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    match cli.command {
        Command::Check(args) => check(&args, cli.color, matches.subcommand_matches("check")),
        Command::Help(_) | Command::Completions(_) | Command::Man | Command::Export(_) => {
            eprintln!("cyoda: error: this command is not implemented yet");
            ExitCode::from(2)
        }
    }
}

fn check(
    args: &cyoda::cli::CheckArgs,
    color: cyoda::cli::ColorChoice,
    matches: Option<&clap::ArgMatches>,
) -> ExitCode {
    use cyoda::check::{self, policy::Level};
    let flags = check::ordered_flags(args, |level| {
        let id = match level {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        };
        matches
            .and_then(|m| m.indices_of(id))
            .map(Iterator::collect)
            .unwrap_or_default()
    });
    let stdout = std::io::stdout();
    let streams = check::Streams {
        stdout_is_terminal: stdout.is_terminal(),
        stdout: &mut stdout.lock(),
        stderr: &mut std::io::stderr().lock(),
    };
    match check::run(args, &flags, color, cyoda::help::store::catalog(), streams) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "cyoda: error: {error}");
            ExitCode::from(2)
        }
    }
}
