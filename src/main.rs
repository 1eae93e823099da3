//! The `cyoda` binary: parses arguments, turns them into the library's plain requests,
//! dispatches, and maps outcomes and errors to exit codes (0 clean, 1 findings, 2 usage /
//! input / internal error). A closed stdout is not an error. Nothing else lives here.

use clap::FromArgMatches;
use cyoda::cli::{CheckArgs, Cli, Command, HelpArgs};
use cyoda::help::{self, Display, HelpError};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Exit status when the tool could not do its job (usage, unknown topic, unreadable input).
const EXIT_TROUBLE: u8 = 2;

/// Exit status after an interrupt (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

fn main() -> ExitCode {
    // `get_matches` (not `parse`) keeps the positions of --allow/--warn/--deny: the last one
    // given for a rule wins. clap exits 0 for --help/--version and 2 for usage errors.
    let matches = Cli::full_command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let version = match cli.version() {
        Ok(version) => version,
        Err(unknown) => return fail(&anyhow::Error::new(unknown)),
    };
    match &cli.command {
        Command::Help(args) => help_command(args, &cli, version),
        Command::Check(args) => check(args, &cli, version, matches.subcommand_matches("check")),
        Command::Completions(args) => {
            write_stdout(|out| cyoda::shell::completions(args.shell, out))
        }
        Command::Man => write_stdout(cyoda::shell::man),
        Command::Export(args) => {
            let result = if args.all_versions {
                cyoda::export::export_all(&args.dir)
            } else {
                cyoda::export::export(&args.dir, version)
            };
            match result {
                Ok(summary) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "cyoda: exported {} topics ({} files, cyoda-go {}) to {}",
                        summary.topics,
                        summary.files,
                        summary.versions,
                        cyoda::term::escape_controls(&args.dir.display().to_string())
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => fail(&error),
            }
        }
    }
}

/// Standard output for a command that writes a page or a document and ends: one buffer for
/// all of it. Rust's stdout is line-buffered, so the whole-tree JSON (636 KB) went out in 191
/// `write`s, one per topic; now in 11, and the run takes 3.0 ms instead of 4.9.
fn buffered_stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock())
}

/// Runs a command that only writes to stdout; a closed stdout ends it quietly.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let mut stdout = buffered_stdout();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => fail(&anyhow::Error::new(error).context("writing the output")),
    }
}

fn help_command(
    args: &HelpArgs,
    cli: &Cli,
    version: &'static cyoda::catalog::VersionData,
) -> ExitCode {
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let display = Display {
        stdout_is_terminal,
        color: cyoda::term::use_color(cli.color_choice(), stdout_is_terminal),
        width: cyoda::term::wrap_width(stdout_is_terminal),
    };
    let mut stdout = buffered_stdout();
    let result = help::run(&args.request(), version, display, &mut stdout).and_then(|notes| {
        stdout.flush()?;
        Ok(notes)
    });
    match result {
        Ok(notes) => {
            for note in notes {
                let _ = writeln!(
                    std::io::stderr(),
                    "cyoda: note: {}",
                    cyoda::term::escape_controls(&note)
                );
            }
            ExitCode::SUCCESS
        }
        Err(HelpError::Io(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => fail(&anyhow::Error::new(error)),
    }
}

fn check(
    args: &CheckArgs,
    cli: &Cli,
    version: &'static cyoda::catalog::VersionData,
    matches: Option<&clap::ArgMatches>,
) -> ExitCode {
    use cyoda::check::{Event, Outcome};
    use cyoda::report::{Destination, Format, Reports, Setup};
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let config = args.config(matches);
    let specs = args.reports(cyoda::term::use_color(
        cli.color_choice(),
        stdout_is_terminal,
    ));
    let files: Vec<String> = specs
        .iter()
        .filter_map(|spec| match &spec.destination {
            Destination::File(path) => Some(path.display().to_string()),
            // The summary lists the first failures only: it is not where every finding is.
            Destination::Stdout | Destination::Append(_) => None,
        })
        .collect();
    if !files.is_empty() {
        // An interrupt must not leave a report's temporary file behind (SIGINT, SIGTERM,
        // SIGHUP). Without report files there is nothing to clean: the default action is right.
        let _ = ctrlc::set_handler(|| {
            let _held = cyoda::report::output::discard();
            std::process::exit(EXIT_INTERRUPTED);
        });
    }
    let setup = Setup {
        version: version.name().to_string(),
        checked_against: version.server_name(),
        rules: help::rule_docs(version),
        report_files: files,
        roots: cyoda::report::sarif::Roots::discover(),
        sarif_category: args.sarif_category.clone(),
    };
    // Checking first builds the policy: a usage error must not create report files.
    if let Err(error) = cyoda::check::driver::checker(&config, version.catalog()) {
        return fail(&anyhow::Error::new(error));
    }
    let mut reports = match Reports::open(&specs, &setup) {
        Ok(reports) => reports,
        Err(error) => return fail(&error),
    };
    if config.paths.is_empty() && std::io::stdin().is_terminal() {
        let _ = writeln!(
            std::io::stderr(),
            "cyoda: reading responses from standard input (end with Ctrl-D); pass files or directories to check those"
        );
    }
    let (renderers, writers) = reports.split();
    let mut stderr = std::io::stderr();
    let ended = cyoda::check::run(&config, version.catalog(), renderers, &mut |event| {
        writers.event(&event)?;
        match &event {
            Event::Problem { name, reason } => {
                let _ = writeln!(
                    stderr,
                    "cyoda: error: {}: {}",
                    cyoda::term::escape_controls(name),
                    cyoda::term::escape_controls(reason)
                );
            }
            Event::Note { name, note } => {
                let _ = writeln!(
                    stderr,
                    "cyoda: warning: {}: {}",
                    cyoda::term::escape_controls(name),
                    cyoda::term::escape_controls(note)
                );
            }
            _ => {}
        }
        renderers.recycle(event);
        Ok(())
    });
    let ended = match ended {
        Ok(ended) => ended,
        Err(error) => return fail(&anyhow::Error::new(error)),
    };
    let totals = &ended.totals;
    let mut closed = ended.closed;
    if !closed && let Err(error) = reports.finish(totals) {
        if !is_broken_pipe(&error) {
            return fail(&error);
        }
        closed = true;
    }
    if !closed {
        // The human report on stdout ends with the summary; otherwise stderr gets it.
        let human_on_stdout = specs
            .first()
            .is_some_and(|s| s.format == Format::Human && s.destination == Destination::Stdout);
        if !human_on_stdout {
            let _ = writeln!(
                stderr,
                "{}",
                cyoda::report::human::summary_line(totals, &setup.checked_against)
            );
            for line in cyoda::report::human::tally(totals) {
                let _ = writeln!(stderr, "{line}");
            }
        }
    }
    if totals.nothing_found() {
        let _ = writeln!(stderr, "cyoda: error: no responses found to check");
    }
    ExitCode::from(Outcome::of(totals).code())
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Reports a one-line error on stderr (the error and its context, outermost first) and
/// returns the "could not do its job" status.
fn fail(error: &anyhow::Error) -> ExitCode {
    // Messages can quote arguments and file names: no control character reaches the terminal.
    let message = format!("{error:#}");
    let _ = writeln!(
        std::io::stderr(),
        "cyoda: error: {}",
        cyoda::term::escape_controls(&message)
    );
    ExitCode::from(EXIT_TROUBLE)
}
