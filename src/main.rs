//! `cyoda`: parses arguments, dispatches to a command, maps the outcome to an exit code.
//! Nothing else lives here.

use clap::Parser;
use cyoda::cli::{Cli, Command};
use cyoda::help::{self, Display, HelpError};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Exit status when the tool could not do its job (usage, unknown topic, unreadable input).
const EXIT_TROUBLE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { EXIT_TROUBLE } else { 0 });
        }
    };
    match cli.command {
        Command::Help(args) => {
            let stdout_is_terminal = std::io::stdout().is_terminal();
            let display = Display {
                stdout_is_terminal,
                color: cyoda::term::use_color(cli.color, stdout_is_terminal),
                width: cyoda::term::wrap_width(stdout_is_terminal),
            };
            let mut stdout = std::io::stdout().lock();
            let result = help::run(&args, display, &mut stdout).and_then(|()| Ok(stdout.flush()?));
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(HelpError::Io(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                    ExitCode::SUCCESS
                }
                Err(HelpError::Io(error)) => fail(&format!("cannot write the output: {error}")),
                Err(HelpError::NotFound(message)) => fail(&message),
            }
        }
        Command::Completions(args) => {
            write_stdout(|out| cyoda::shell::completions(args.shell, out))
        }
        Command::Man => write_stdout(cyoda::shell::man),
        Command::Export(args) => match cyoda::export::export(&args.dir) {
            Ok(summary) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "cyoda: exported {} topics ({} files) to {}",
                    summary.topics,
                    summary.files,
                    args.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => fail(&error.to_string()),
        },
        Command::Check(_) => fail("this command is not available yet"),
    }
}

/// Runs a command that only writes to stdout; a closed stdout ends it quietly.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => fail(&format!("cannot write the output: {error}")),
    }
}

/// Reports a one-line error on stderr and returns the "could not do its job" status.
fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "cyoda: error: {message}");
    ExitCode::from(EXIT_TROUBLE)
}
