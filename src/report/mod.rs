//! Turning check results into reports. A report is one renderer over the same data: a stream of
//! [`CheckedResponse`]s, in input order, then one [`Summary`]. Renderers write into any
//! `W: Write` they are given and never decide exit codes or read inputs.
//!
//! `human` is for people; `json`, `github`, `junit` and `sarif` are for machines, each one
//! more implementation of [`Report`] over the same types. [`new`] picks one for `--format`.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::cli::CheckFormat;
use crate::contract::rules::{RuleId, Severity};
use std::fmt;
use std::io;
use std::sync::Arc;

/// Where a response sits inside its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locator {
    /// The input is the response (a single JSON body, or an HTTP capture with one response).
    Whole,
    /// NDJSON: the 1-based line number.
    Line(usize),
    /// HAR: the 1-based index into `log.entries`.
    Entry(usize),
    /// HTTP capture holding several responses: the 1-based index among its final responses.
    Response(usize),
}

impl fmt::Display for Locator {
    /// The suffix appended to the input name: ``, `:17`, `#entry-3`, `#response-2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Locator::Whole => Ok(()),
            Locator::Line(line) => write!(f, ":{line}"),
            Locator::Entry(index) => write!(f, "#entry-{index}"),
            Locator::Response(index) => write!(f, "#response-{index}"),
        }
    }
}

/// The offending source line, as far as it is known, and the highlighted part of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The line's text (lossy UTF-8, no line terminator). Raw: renderers escape it.
    pub text: String,
    /// The highlighted characters of `text` (char indices, end exclusive; may be empty).
    pub span: std::ops::Range<usize>,
    /// The line continues before `text` (only part of it was in memory).
    pub cut_start: bool,
    /// The line continues after `text`.
    pub cut_end: bool,
}

/// One violation, resolved: severity after `--allow`/`--warn`/`--deny`, position in the original
/// input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    /// One sentence; text quoted from the response is already escaped by the rules.
    pub message: String,
    /// Short text printed under the caret.
    pub label: Option<String>,
    /// Dotted help topic (`errors.IDEMPOTENCY_CONFLICT`, `check.title-mismatch`).
    pub help_topic: String,
    /// 1-based line in the input file.
    pub line: usize,
    /// 1-based column in the input file, counted in characters (Unicode scalar values).
    pub column: usize,
    /// JSON Pointer (RFC 6901) of the member reported on (`/properties/retryable`), or of the
    /// object lacking one (`/properties`); `None` when the target is not in the body, the body
    /// is not JSON, or the value lies deeper than the envelope's first two levels.
    pub pointer: Option<String>,
    pub snippet: Snippet,
}

/// One checked response and everything reported about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedResponse {
    /// The input as the user named it (`captured/a.har`, `<stdin>`).
    /// Shared by every response of the input, so a million NDJSON lines do not copy it.
    pub input: Arc<str>,
    pub locator: Locator,
    /// In order of position.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether this response fails the run (an error, or a warning under `--strict`).
    pub failed: bool,
}

impl CheckedResponse {
    /// The response's name: input plus locator (`a.ndjson:17`, `a.har#entry-3`).
    pub fn name(&self) -> String {
        format!("{}{}", self.input, self.locator)
    }
}

/// Totals of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Inputs opened (files and standard input), readable or not.
    pub inputs: usize,
    /// Responses checked.
    pub responses: usize,
    /// Responses that fail the run.
    pub failed: usize,
    /// Diagnostics at error severity.
    pub errors: usize,
    /// Diagnostics at warning severity.
    pub warnings: usize,
    /// HAR entries not checked because their status is below 400.
    pub skipped: usize,
    /// Inputs that could not be read (entirely or in part).
    pub unreadable: usize,
    /// The catalog the responses were checked against: `cyoda-go 0.8.3`.
    pub checked_against: String,
}

impl Summary {
    pub fn ok(&self) -> usize {
        self.responses.saturating_sub(self.failed)
    }

    pub fn add(&mut self, response: &CheckedResponse) {
        self.responses += 1;
        if response.failed {
            self.failed += 1;
        }
        for diagnostic in &response.diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }
}

/// A report format. The driver calls [`Report::response`] for every response in input order,
/// then [`Report::finish`] once.
pub trait Report {
    fn response(&mut self, response: &CheckedResponse) -> io::Result<()>;
    /// An input, or part of it, could not be read. The driver has already counted it and
    /// tells stderr; machine reports record it too.
    fn unreadable(&mut self, _input: &str, _reason: &str) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
    /// Pushes buffered output out, so that a message on stderr lands after it.
    fn flush(&mut self) -> io::Result<()>;
}

/// The report for `--format`, writing into `out`; `color` matters to `human` only, and
/// `catalog_version` to the machine formats that record it.
pub fn new<'w, W: io::Write + 'w>(
    format: CheckFormat,
    out: W,
    color: bool,
    catalog_version: &str,
) -> Box<dyn Report + 'w> {
    match format {
        CheckFormat::Human => Box::new(human::Human::new(out, color)),
        CheckFormat::Json => Box::new(json::Json::new(out, catalog_version)),
        CheckFormat::Github => Box::new(github::Github::new(out)),
        CheckFormat::Junit => Box::new(junit::Junit::new(out)),
        CheckFormat::Sarif => Box::new(sarif::Sarif::new(out)),
    }
}

/// The input name of standard input (no file: machine reports give it no file location).
pub const STDIN: &str = "<stdin>";

/// What a machine report adds to a message when its file location does not say which
/// response it is about: ` (entry 3)` in a HAR, ` (response 2)` in an HTTP capture,
/// ` (<stdin>:17)` for standard input; nothing otherwise.
pub fn within(response: &CheckedResponse) -> String {
    if &*response.input == STDIN {
        return format!(" ({})", response.name());
    }
    match response.locator {
        Locator::Whole | Locator::Line(_) => String::new(),
        Locator::Entry(index) => format!(" (entry {index})"),
        Locator::Response(index) => format!(" (response {index})"),
    }
}

/// The command that shows a help topic: `errors.IDEMPOTENCY_CONFLICT` →
/// `cyoda help errors IDEMPOTENCY_CONFLICT`.
pub fn help_command(topic: &str) -> String {
    format!("cyoda help {}", topic.replace('.', " "))
}

/// `1204` → `1,204`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 response`, `2 responses`, with thousands separators.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        thousands(n),
        if n == 1 { singular } else { plural }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_204), "1,204");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn locators() {
        assert_eq!(Locator::Whole.to_string(), "");
        assert_eq!(Locator::Line(17).to_string(), ":17");
        assert_eq!(Locator::Entry(3).to_string(), "#entry-3");
        assert_eq!(Locator::Response(2).to_string(), "#response-2");
    }
}

/// Writes `value` as JSON, as `serde_json::to_writer` would, except that inside strings every
/// character a terminal would act on ([`crate::term::is_unsafe_char`]: DEL, C1 controls, bidi
/// and invisible formatting characters; serde already escapes C0) is written as a `\uXXXX`
/// escape. The decoded value is the same, so consumers are unaffected; a person who runs
/// `--format json` on a terminal sees the escape, not its effect.
pub fn to_writer_terminal_safe<W: io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, TerminalSafe);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// serde_json's compact formatter with the escapes of [`to_writer_terminal_safe`].
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| crate::term::is_unsafe_char(c))
        {
            let (plain, tail) = rest.split_at(at);
            writer.write_all(plain.as_bytes())?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = tail.get(c.len_utf8()..).unwrap_or_default();
        }
        writer.write_all(rest.as_bytes())
    }
}

#[cfg(test)]
mod terminal_safe_tests {
    #[test]
    fn unsafe_characters_are_escaped_losslessly() {
        let value = "a\u{7f}b\u{9b}c\u{202e}d\u{e0041}é\u{1b}";
        let mut out = Vec::new();
        super::to_writer_terminal_safe(&mut out, value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\"a\\u007fb\\u009bc\\u202ed\\udb40\\udc41é\\u001b\"");
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), value);
    }
}
