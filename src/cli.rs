//! The command-line interface: every command, flag and its help text, in one place, so that
//! `--help`, the man page and shell completions are generated from the same definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

/// The cyoda-go version whose error catalog this binary documents (from `help/CATALOG_VERSION`).
pub const CATALOG_VERSION: &str = env!("CYODA_CATALOG_VERSION");

/// `cyoda --version` text: the tool's own version and the catalog it documents.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (documents the cyoda-go ",
    env!("CYODA_CATALOG_VERSION"),
    " error catalog)"
);

#[derive(Debug, Parser)]
#[command(
    name = "cyoda",
    version = LONG_VERSION,
    about = "Offline help for the Cyoda error catalog, and a checker for captured error responses",
    long_about = "Offline help for the Cyoda error catalog, and a checker for captured error responses.\n\n\
        Every failure of the Cyoda REST API is an RFC 9457 problem+json body whose \
        properties.errorCode names one code of a documented catalog. `cyoda help` explains each \
        code and the topics around it; `cyoda check` validates captured responses against the \
        documented envelope of their code.",
    after_help = "Examples:\n  cyoda help errors IDEMPOTENCY_CONFLICT\n  cyoda help errors 409\n  cyoda check captured/\n  cyoda check --format github captured/",
    disable_help_subcommand = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colour: auto (only on a terminal; honours NO_COLOR, CLICOLOR_FORCE and
    /// TERM=dumb), always, or never.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a help topic: an error code, the error model, a check rule, a command.
    #[command(
        long_about = "Show a help topic.\n\n\
            With no TOPIC, lists the topic tree. A topic is given as words or dotted \
            (`errors IDEMPOTENCY_CONFLICT`, `errors.IDEMPOTENCY_CONFLICT`), in any letter case. \
            `errors 409` lists the codes documented with HTTP 409. An unknown topic exits with \
            status 2 and names the closest matches.",
        after_help = "Examples:\n  cyoda help\n  cyoda help errors\n  cyoda help errors IDEMPOTENCY_CONFLICT\n  cyoda help errors.conflict --format json\n  cyoda help errors 503\n  cyoda help -k idempotency\n  cyoda help --format json            # the whole tree, as Cyoda's GET /help"
    )]
    Help(HelpArgs),

    /// Validate captured error responses against the documented envelope of their code.
    #[command(
        long_about = "Validate captured error responses against the documented envelope of their code.\n\n\
            Inputs are files, directories (walked recursively, hidden entries skipped) or `-` for \
            standard input (the default when no PATH is given). Each input is detected by content: \
            a JSON body, NDJSON / JSON Lines (one response per line), a HAR capture (entries with \
            status >= 400), or a raw HTTP response as `curl -i` writes it.\n\n\
            Exit status: 0 every response conforms; 1 at least one violation at error severity; \
            2 the tool could not do its job (bad usage, an unreadable input, no responses found).\n\n\
            Every rule is documented: `cyoda help check` lists them, `cyoda help check RULE` \
            explains one.",
        after_help = "Examples:\n  cyoda check response.json\n  cyoda check captured/ --strict\n  curl -si $URL | cyoda check --expect IDEMPOTENCY_CONFLICT\n  cyoda check --format sarif --output cyoda.sarif captured/"
    )]
    Check(CheckArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),

    /// Print the man page (roff) to standard output.
    Man,

    /// Write the static help mirror (HTML, markdown, JSON, llms.txt) into a directory.
    Export(ExportArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HelpFormat {
    /// `text` on a terminal, `markdown` when piped.
    Auto,
    /// Rendered for the terminal, wrapped to its width.
    Text,
    /// The topic's markdown, with SUBTOPICS and SEE ALSO appended.
    Markdown,
    /// A TopicDescriptor (one topic) or the HelpPayload (no topic), as Cyoda's GET /help.
    Json,
    /// The JSON Schema (2020-12) of an error envelope (`errors` or `errors CODE` only).
    Schema,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// The topic, as words or dotted: `errors IDEMPOTENCY_CONFLICT`, `errors.conflict`,
    /// `errors 409`. Omit it to list the topic tree.
    #[arg(value_name = "TOPIC", value_parser = crate::shell::topic_words(), hide_possible_values = true)]
    pub topic: Vec<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = HelpFormat::Auto)]
    pub format: HelpFormat,

    /// List the topics that mention WORDS, best match first (like `man -k`).
    #[arg(long = "search", short = 'k', value_name = "WORDS", num_args = 1.., conflicts_with = "topic")]
    pub search: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Diagnostics with a snippet and a caret, and a closing summary.
    Human,
    /// One JSON document (schema 1) with the summary and every violation.
    Json,
    /// GitHub Actions workflow commands: one annotation per violation.
    Github,
    /// JUnit XML: one testsuite per input, one testcase per response.
    Junit,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<OsString>,

    /// Every response must carry this errorCode (rule `expected-code`).
    #[arg(long, value_name = "CODE", value_parser = crate::shell::error_codes(), hide_possible_values = true)]
    pub expect: Option<String>,

    /// Warnings fail the run too (exit 1).
    #[arg(long)]
    pub strict: bool,

    /// Do not report RULE at all. Repeatable.
    #[arg(long, value_name = "RULE", value_parser = crate::shell::rule_ids(), hide_possible_values = true)]
    pub allow: Vec<String>,

    /// Report RULE as a warning. Repeatable.
    #[arg(long, value_name = "RULE", value_parser = crate::shell::rule_ids(), hide_possible_values = true)]
    pub warn: Vec<String>,

    /// Report RULE as an error. Repeatable.
    #[arg(long, value_name = "RULE", value_parser = crate::shell::rule_ids(), hide_possible_values = true)]
    pub deny: Vec<String>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Write the report to FILE (atomically) instead of standard output; the human summary
    /// still goes to the terminal.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate the completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write the mirror into (created, or replaced atomically).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}
