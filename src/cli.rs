//! The command-line interface: every command, flag and its help text, in one place, so that
//! `--help`, the man page and shell completions are generated from the same definitions; and
//! the conversion of what clap parsed into the plain request types the library takes. Only
//! this module, `main.rs` and `shell.rs` know clap.

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

/// `cyoda --version`: the tool's version, the default catalog version, and the others.
pub fn version_text() -> String {
    let default = crate::catalog::default_name();
    let others: Vec<String> = crate::catalog::known()
        .iter()
        .filter(|v| v.name != default)
        .map(|v| {
            if v.preview {
                format!("{} (preview)", v.name)
            } else {
                v.name.to_string()
            }
        })
        .collect();
    format!(
        "{}\nerror catalog: cyoda-go {} (default)\nalso: {} (--server-version VERSION)",
        env!("CARGO_PKG_VERSION"),
        default,
        others.join(", ")
    )
}

#[derive(Debug, Parser)]
#[command(
    name = "cyoda",
    about = "Offline help for the Cyoda error catalog, and a checker for captured error responses",
    long_about = "Offline help for the Cyoda error catalog, and a checker for captured error responses.\n\n\
        Every failure of the Cyoda REST API is an RFC 9457 problem+json body whose \
        properties.errorCode names one code of a documented catalog. `cyoda help` explains each \
        code and the topics around it; `cyoda check` validates captured responses against the \
        documented envelope of their code.",
    after_help = "Examples:\n  cyoda help errors IDEMPOTENCY_CONFLICT\n  cyoda help errors 409\n  cyoda --server-version 0.6.2 help errors CONFLICT\n  cyoda help changes 0.8.2 0.8.3\n  cyoda check captured/\n  cyoda check --server-version 0.7 --format github captured/",
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

    /// The cyoda-go version whose catalog to use: 0.8.3, v0.8.3, 0.7 (the newest 0.7.x), or
    /// 0.8.4-preview. Default: the newest release. The flag wins over the environment.
    #[arg(
        long,
        global = true,
        env = "CYODA_SERVER_VERSION",
        value_name = "VERSION",
        value_parser = server_versions(),
        hide_possible_values = true
    )]
    pub server_version: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a help topic: an error code, the error model, a check rule, a command.
    #[command(
        long_about = "Show a help topic.\n\n\
            With no TOPIC, lists the topic tree. A topic is given as words or dotted \
            (`errors IDEMPOTENCY_CONFLICT`, `errors.IDEMPOTENCY_CONFLICT`), in any letter case. \
            `errors 409` lists the codes documented with HTTP 409. An unknown topic exits with \
            status 2 and names the closest matches.\n\n\
            Pages show the facts of one cyoda-go version (--server-version, default the newest \
            release); every error page ends with the code's history across versions. A code the \
            chosen version does not define still shows, under a first line saying which \
            versions do. `changes [FROM [TO]]` prints the upgrade notes between two versions.",
        after_help = "Examples:\n  cyoda help\n  cyoda help errors\n  cyoda help errors IDEMPOTENCY_CONFLICT\n  cyoda help errors.conflict --format json\n  cyoda help errors 503\n  cyoda help -k idempotency\n  cyoda help changes 0.6.2 0.6.3      # what a client must know to upgrade\n  cyoda --server-version 0.6.2 help errors ENTITY_MODIFIED\n  cyoda help --format json            # the whole tree, as Cyoda's GET /help"
    )]
    Help(HelpArgs),

    /// Validate captured error responses against the documented envelope of their code.
    #[command(
        long_about = "Validate captured error responses against the documented envelope of their code.\n\n\
            Inputs are files, directories (walked recursively, hidden entries skipped) or `-` for \
            standard input (the default when no PATH is given). Each input is detected by content: \
            a JSON body, NDJSON / JSON Lines (one response per line), a HAR capture (entries with \
            status >= 400; Playwright's `.har.zip` and `_file` bodies too), a raw HTTP response \
            as `curl -i` writes it, or the JSON report of Newman (`-r json`), Bruno \
            (`--reporter-json`) or Hurl (`--report-json DIR`, then DIR/report.json).\n\n\
            Exit status: 0 every response conforms; 1 at least one violation at error severity; \
            2 the tool could not do its job (bad usage, an unreadable input, no responses found).\n\n\
            Every rule is documented: `cyoda help check` lists them, `cyoda help check RULE` \
            explains one.",
        after_help = "Examples:\n  cyoda check response.json\n  cyoda check captured/ --strict\n  curl -si $URL | cyoda check --expect IDEMPOTENCY_CONFLICT\n  cyoda check --format sarif --output cyoda.sarif captured/\n  cyoda check --format github --report sarif=cyoda.sarif --summary \"$GITHUB_STEP_SUMMARY\" captured/\n  cyoda check --format gitlab --output gl-code-quality-report.json captured/\n  cyoda check newman/report.json hurl/report/report.json"
    )]
    Check(CheckArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),

    /// Print the man page (roff) to standard output.
    Man,

    /// Write the static help mirror (HTML, markdown, JSON, llms.txt) into a directory.
    #[command(
        long_about = "Write the static help mirror (HTML, markdown, JSON, llms.txt) into a directory.\n\n\
            The mirror is of the chosen cyoda-go version (--server-version); --all-versions \
            writes one folder per version and a versions.json index. Every mirror also holds \
            cyoda_help_<version>.json (the HelpPayload) and a SHA256SUMS file.",
        after_help = "Examples:\n  cyoda export site/help\n  cyoda --server-version 0.7 export site/help-0.7\n  cyoda export --all-versions site/help"
    )]
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
    #[arg(value_name = "TOPIC", value_parser = topic_words(), hide_possible_values = true)]
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
    /// GitHub Actions workflow commands: an annotation per violation (at most 10 of each kind).
    Github,
    /// JUnit XML: a test case per response.
    Junit,
    /// SARIF 2.1.0 for code scanning (GitHub), with stable fingerprints.
    Sarif,
    /// GitLab Code Quality (CodeClimate JSON): an issue per violation, with stable fingerprints.
    Gitlab,
}

impl CheckFormat {
    fn report(self) -> crate::report::Format {
        match self {
            CheckFormat::Human => crate::report::Format::Human,
            CheckFormat::Json => crate::report::Format::Json,
            CheckFormat::Github => crate::report::Format::Github,
            CheckFormat::Junit => crate::report::Format::Junit,
            CheckFormat::Sarif => crate::report::Format::Sarif,
            CheckFormat::Gitlab => crate::report::Format::Gitlab,
        }
    }
}

/// `--report FORMAT=PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportArg {
    pub format: CheckFormat,
    pub path: PathBuf,
}

fn report_arg(text: &str) -> Result<ReportArg, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not FORMAT=PATH (e.g. sarif=cyoda.sarif)"))?;
    let format = CheckFormat::from_str(format.trim(), true).map_err(|_| {
        let names: Vec<String> = CheckFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!(
            "unknown report format '{format}' (known: {})",
            names.join(", ")
        )
    })?;
    if path.is_empty() {
        return Err(format!("'{text}' names no file after '='"));
    }
    Ok(ReportArg {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<OsString>,

    /// Every response must carry this errorCode (rule `expected-code`).
    #[arg(long, value_name = "CODE", value_parser = error_codes(), hide_possible_values = true)]
    pub expect: Option<String>,

    /// Warnings fail the run too (exit 1).
    #[arg(long)]
    pub strict: bool,

    /// Do not report RULE at all. Repeatable.
    #[arg(long, value_name = "RULE", value_parser = rule_ids(), hide_possible_values = true)]
    pub allow: Vec<String>,

    /// Report RULE as a warning. Repeatable.
    #[arg(long, value_name = "RULE", value_parser = rule_ids(), hide_possible_values = true)]
    pub warn: Vec<String>,

    /// Report RULE as an error. Repeatable.
    #[arg(long, value_name = "RULE", value_parser = rule_ids(), hide_possible_values = true)]
    pub deny: Vec<String>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Write the report to FILE (atomically) instead of standard output; the human summary
    /// still goes to the terminal.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write a FORMAT report to PATH, atomically, from the same run (repeatable), e.g.
    /// `--report sarif=cyoda.sarif --report junit=cyoda.xml`.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = report_arg)]
    pub report: Vec<ReportArg>,

    /// The SARIF category (`automationDetails.id`), so two analyses of one commit keep their
    /// own alerts. Default: cyoda-check/.
    #[arg(long, value_name = "CATEGORY")]
    pub sarif_category: Option<String>,

    /// Append a markdown summary of the run to PATH (created if missing): the version checked
    /// against, the totals, the findings per rule and the first failed responses. Meant for
    /// `--summary "$GITHUB_STEP_SUMMARY"`.
    #[arg(long, value_name = "PATH", value_parser = summary_path)]
    pub summary: Option<PathBuf>,
}

fn summary_path(text: &str) -> Result<PathBuf, String> {
    if text.trim().is_empty() {
        // `--summary "$GITHUB_STEP_SUMMARY"` outside GitHub Actions.
        return Err("names no file (is the variable it comes from set?)".to_string());
    }
    Ok(PathBuf::from(text))
}

impl CheckArgs {
    /// The run `crate::check` performs. `indices` gives each severity flag's positions among
    /// the arguments (clap's `ArgMatches::indices_of`), so the last flag naming a rule wins.
    pub fn config(&self, matches: Option<&clap::ArgMatches>) -> crate::check::Config {
        use crate::check::config::Level;
        let mut flags: Vec<(usize, Level, String)> = Vec::new();
        for (level, id, values) in [
            (Level::Allow, "allow", &self.allow),
            (Level::Warn, "warn", &self.warn),
            (Level::Deny, "deny", &self.deny),
        ] {
            let positions: Vec<usize> = matches
                .and_then(|m| m.indices_of(id))
                .map(Iterator::collect)
                .unwrap_or_default();
            for (i, value) in values.iter().enumerate() {
                let at = positions.get(i).copied().unwrap_or(usize::MAX);
                flags.push((at, level, value.clone()));
            }
        }
        flags.sort_by_key(|(at, _, _)| *at);
        crate::check::Config {
            paths: self.paths.clone(),
            expect: self.expect.clone(),
            strict: self.strict,
            severities: flags
                .into_iter()
                .map(|(_, level, rule)| (level, rule))
                .collect(),
        }
    }

    /// The reports of the run: `--format` to stdout (or `--output`), then each `--report`,
    /// then the `--summary`.
    /// `color` is the decision for a terminal stdout.
    pub fn reports(&self, color: bool) -> Vec<crate::report::Spec> {
        use crate::report::{Destination, Spec};
        let mut specs = vec![Spec {
            format: self.format.report(),
            destination: match &self.output {
                Some(path) => Destination::File(path.clone()),
                None => Destination::Stdout,
            },
            color: color && self.output.is_none(),
        }];
        specs.extend(self.report.iter().map(|report| Spec {
            format: report.format.report(),
            destination: Destination::File(report.path.clone()),
            color: false,
        }));
        specs.extend(self.summary.iter().map(|path| Spec {
            format: crate::report::Format::Summary,
            destination: Destination::Append(path.clone()),
            color: false,
        }));
        specs
    }
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

    /// Write every catalog version: DIR/<version>/… and DIR/versions.json.
    #[arg(long)]
    pub all_versions: bool,
}

impl Cli {
    /// The command with its run-time parts (the version text names the catalog versions).
    pub fn full_command() -> clap::Command {
        use clap::CommandFactory;
        let text = version_text();
        Cli::command().version(text.clone()).long_version(text)
    }

    /// The catalog version the run uses: `--server-version` (or `CYODA_SERVER_VERSION`, which
    /// clap folds into it), else the default. An empty environment value means "unset".
    pub fn version(
        &self,
    ) -> Result<&'static crate::catalog::VersionData, crate::catalog::UnknownVersion> {
        match self.server_version.as_deref().map(str::trim) {
            None | Some("") => Ok(crate::catalog::default()),
            Some(typed) => crate::catalog::resolve(typed),
        }
    }

    /// The terminal colour choice, in `term`'s terms.
    pub fn color_choice(&self) -> crate::term::ColorChoice {
        match self.color {
            ColorChoice::Auto => crate::term::ColorChoice::Auto,
            ColorChoice::Always => crate::term::ColorChoice::Always,
            ColorChoice::Never => crate::term::ColorChoice::Never,
        }
    }
}

impl HelpArgs {
    /// The request `crate::help` answers.
    pub fn request(&self) -> crate::help::Request {
        crate::help::Request {
            topic: self.topic.clone(),
            format: match self.format {
                HelpFormat::Auto => crate::help::Format::Auto,
                HelpFormat::Text => crate::help::Format::Text,
                HelpFormat::Markdown => crate::help::Format::Markdown,
                HelpFormat::Json => crate::help::Format::Json,
                HelpFormat::Schema => crate::help::Format::Schema,
            },
            search: self.search.clone(),
        }
    }
}

/// Accepts any UTF-8 string, and offers a fixed list of candidates to completion scripts:
/// `cyoda help errors 409`, dotted ids and any letter case must keep working, so nothing is
/// rejected at parse time.
#[derive(Clone, Copy)]
pub struct Suggest(fn() -> &'static [PossibleValue]);

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().iter().cloned()))
    }
}

/// Candidates for `cyoda help TOPIC…`: every segment of every topic id of every version (so
/// each word of `errors IDEMPOTENCY_CONFLICT` completes), then the documented HTTP statuses.
pub fn topic_words() -> Suggest {
    Suggest(|| {
        static VALUES: OnceLock<Vec<PossibleValue>> = OnceLock::new();
        VALUES.get_or_init(|| {
            let mut seen = std::collections::BTreeSet::new();
            let mut statuses = std::collections::BTreeSet::new();
            let mut values = Vec::new();
            for version in crate::catalog::all().rev() {
                for entry in version.index().topics.iter() {
                    let word = entry.id.rsplit('.').next().unwrap_or(&entry.id);
                    if seen.insert(word.to_string()) {
                        values
                            .push(PossibleValue::new(word.to_string()).help(entry.tagline.clone()));
                    }
                    statuses.extend(entry.status);
                }
            }
            for status in statuses {
                values.push(
                    PossibleValue::new(status.to_string())
                        .help(format!("the error codes documented with HTTP {status}")),
                );
            }
            values
        })
    })
}

/// Candidates for `--allow`, `--warn` and `--deny`: every rule id.
pub fn rule_ids() -> Suggest {
    Suggest(|| {
        static VALUES: OnceLock<Vec<PossibleValue>> = OnceLock::new();
        VALUES.get_or_init(|| {
            crate::contract::rules::RuleId::ALL
                .iter()
                .map(|rule| PossibleValue::new(rule.as_str()).help(rule.summary()))
                .collect()
        })
    })
}

/// Candidates for `--expect`: every code of every version.
pub fn error_codes() -> Suggest {
    Suggest(|| {
        static VALUES: OnceLock<Vec<PossibleValue>> = OnceLock::new();
        VALUES.get_or_init(|| {
            let mut seen = std::collections::BTreeSet::new();
            crate::catalog::all()
                .rev()
                .flat_map(|v| v.catalog().codes.iter())
                .filter(|c| seen.insert(c.code.to_string()))
                .map(|c| {
                    PossibleValue::new(c.code.to_string())
                        .help(format!("HTTP {} {}", c.status, c.title))
                })
                .collect()
        })
    })
}

/// Candidates for `--server-version`: every catalog version.
pub fn server_versions() -> Suggest {
    Suggest(|| {
        static VALUES: OnceLock<Vec<PossibleValue>> = OnceLock::new();
        VALUES.get_or_init(|| {
            crate::catalog::all()
                .map(|v| {
                    let help = if crate::catalog::is_default(v) {
                        "the newest release (default)".to_string()
                    } else if v.is_preview() {
                        "a preview of an unreleased version".to_string()
                    } else {
                        format!("cyoda-go {}", v.name())
                    };
                    PossibleValue::new(v.name()).help(help)
                })
                .collect()
        })
    })
}
