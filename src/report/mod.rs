//! Turning check results into reports. A report is a [`Renderer`] and a [`Writer`] over the
//! same data: each checked response is rendered to bytes (on any thread, in no particular
//! order: rendering is pure), and the writer puts those bytes in place, in input order, and
//! closes the document with the run's totals. The writer sees bytes only, often those of many
//! responses at once (a whole NDJSON chunk): whatever it needs per response (a separator, a
//! fingerprint's occurrence) the renderer writes as a line it can find again. [`Reports`] drives several at once, one per
//! destination, so one run can print a human log and write SARIF, JUnit and GitLab files, and
//! append a markdown summary.
//!
//! `human` and `summary` are for people; `json`, `github`, `junit`, `sarif` and `gitlab` for
//! machines. What a
//! report needs to know about the run (the catalog version, the rules' documentation) comes
//! in as data ([`Setup`]); nothing here reads inputs, the help store or the command line.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod identity;
pub mod json;
pub mod json_text;
pub mod junit;
pub mod output;
pub mod per_input;
pub mod sarif;
pub mod snippet;
pub mod summary;

use crate::check::diagnostic::{CheckedResponse, Locator, Totals};
use crate::check::{Event, Render, Rendering};
use crate::contract::rules::RuleId;
use std::io;
use std::sync::{Mutex, PoisonError};

pub use json_text::to_writer_terminal_safe;
use std::path::PathBuf;

/// The report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Junit,
    Sarif,
    Gitlab,
    /// The markdown summary of `--summary`.
    Summary,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Gitlab => "gitlab",
            Format::Summary => "summary",
        }
    }
}

/// Where a report goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// Written atomically: into a temporary file next to it, renamed over it once complete.
    File(PathBuf),
    /// Appended to, in one write at the end of the run (the summary).
    Append(PathBuf),
}

/// One report of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    pub format: Format,
    pub destination: Destination,
    /// ANSI styles (`human` on a terminal only).
    pub color: bool,
}

/// What one rule says about itself, for the reports that embed rule metadata (SARIF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    pub rule: RuleId,
    /// The first paragraph of its help topic's DESCRIPTION.
    pub synopsis: String,
    /// Its whole help page, as markdown.
    pub markdown: String,
}

/// What the reports know about the run besides its results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Setup {
    /// The catalog version the responses are checked against: `0.8.3`.
    pub version: String,
    /// How a sentence names it: `cyoda-go 0.8.3`, with the preview marking for a preview.
    pub checked_against: String,
    /// One per rule, in [`RuleId::ALL`] order (rules without one fall back to their summary).
    pub rules: Vec<RuleDoc>,
    /// The files this run writes reports to, as the user named them.
    pub report_files: Vec<String>,
    /// Where the inputs are, for repo-relative paths (SARIF, GitLab).
    pub roots: sarif::Roots,
    /// `--sarif-category`: SARIF's `automationDetails.id`.
    pub sarif_category: Option<String>,
}

impl Setup {
    /// The documentation of `rule`.
    pub fn rule(&self, rule: RuleId) -> Option<&RuleDoc> {
        self.rules.iter().find(|doc| doc.rule == rule)
    }
}

/// Renders one response as a report shows it, appended to `out`. Pure: called on worker
/// threads.
pub trait Renderer: Sync {
    fn render(&self, response: &CheckedResponse<'_>, out: &mut Vec<u8>);

    /// [`Renderer::render`], told what the responses already in `out` counted. A report that
    /// shows only the first few findings (GitHub's annotations) renders no more than that.
    fn render_after(&self, response: &CheckedResponse<'_>, _earlier: &Totals, out: &mut Vec<u8>) {
        self.render(response, out);
    }
}

/// Puts rendered responses in place, in input order, and closes the report.
pub trait Writer {
    /// `rendered` is what this report's [`Renderer`] made of one or more consecutive
    /// responses, concatenated.
    fn rendered(&mut self, rendered: &[u8]) -> io::Result<()>;
    /// An input, or part of it, could not be read. stderr is told separately; machine reports
    /// record it too.
    fn unreadable(&mut self, _input: &str, _reason: &str) -> io::Result<()> {
        Ok(())
    }
    /// The end of the run.
    fn finish(&mut self, totals: &Totals) -> io::Result<()>;
    /// Pushes buffered output out, so that a message on stderr lands after it.
    fn flush(&mut self) -> io::Result<()>;
}

/// The renderer and the writer of one format, writing to `out`.
pub fn new<'w>(
    format: Format,
    out: Box<dyn io::Write + 'w>,
    color: bool,
    setup: &Setup,
) -> (Box<dyn Renderer>, Box<dyn Writer + 'w>) {
    match format {
        Format::Human => (
            Box::new(human::HumanRenderer::new(color)),
            Box::new(human::HumanWriter::new(out, color, setup)),
        ),
        Format::Json => (
            Box::new(json::JsonRenderer::default()),
            Box::new(json::JsonWriter::new(out, setup)),
        ),
        Format::Github => (
            Box::new(github::GithubRenderer),
            Box::new(github::GithubWriter::new(out, setup)),
        ),
        Format::Junit => (
            Box::new(junit::JunitRenderer),
            Box::new(junit::JunitWriter::new(out, setup)),
        ),
        Format::Sarif => (
            Box::new(sarif::SarifRenderer::new(setup)),
            Box::new(sarif::SarifWriter::new(out, setup)),
        ),
        Format::Gitlab => (
            Box::new(gitlab::GitlabRenderer::new(setup)),
            Box::new(gitlab::GitlabWriter::new(out, setup)),
        ),
        Format::Summary => (
            Box::new(summary::SummaryRenderer),
            Box::new(summary::SummaryWriter::new(out, setup)),
        ),
    }
}

/// Every report of a run: their renderers (shared with the worker threads) and writers.
pub struct Reports {
    renderers: Renderers,
    writers: Writers,
}

/// The renderers of a run's reports, in order: `check`'s [`Render`]. Keeps the big buffers
/// the writers are done with, to render the next NDJSON chunks into.
pub struct Renderers {
    renderers: Vec<Box<dyn Renderer>>,
    spare: Mutex<Vec<Vec<u8>>>,
}

/// Buffers kept for reuse: a few batches of NDJSON chunks' worth.
const SPARE_BUFFERS: usize = 32;
/// Buffers smaller than this (a single file's rendering) are not worth keeping.
const SPARE_MIN: usize = 64 << 10;

impl Renderers {
    /// Takes back the buffers of an event the writers have written, for reuse by
    /// [`Render::reserve`]: a buffer freed by the writer thread and allocated again by a
    /// worker went back to the kernel and was faulted in anew, page by page, every chunk.
    pub fn recycle(&self, event: Event) {
        let Event::Checked(checked) = event else {
            return;
        };
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        for mut buffer in checked.rendered {
            if spare.len() < SPARE_BUFFERS && buffer.capacity() >= SPARE_MIN {
                buffer.clear();
                spare.push(buffer);
            }
        }
    }
}

/// The writers of a run's reports, with the files they write.
pub struct Writers {
    writers: Vec<Box<dyn Writer>>,
    /// Where each writer writes, for messages: `standard output`, `cyoda.sarif`.
    names: Vec<String>,
    files: Vec<output::Atomic>,
}

impl Render for Renderers {
    fn render(&self, response: &CheckedResponse<'_>, earlier: &Totals, into: &mut Rendering) {
        into.resize_with(self.renderers.len(), Vec::new);
        for (renderer, out) in self.renderers.iter().zip(into.iter_mut()) {
            renderer.render_after(response, earlier, out);
        }
    }

    fn reserve(&self, into: &mut Rendering, input_bytes: usize) {
        // A report with a finding on every response is about twice its input (the human
        // report with its snippets, SARIF). A buffer grown from empty costs a copy and fresh
        // pages at every doubling: on 200,000 findings the JSON report took 12,800 page
        // faults, nearly all in `memmove` (perf), and 5,200 with this. Unused capacity is
        // never touched, so it costs no memory.
        let want = input_bytes.saturating_mul(2);
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        into.resize_with(self.renderers.len(), || {
            let mut buffer = spare.pop().unwrap_or_default();
            buffer.reserve(want);
            buffer
        });
    }
}

impl Reports {
    /// Opens every report of `specs`: stdout, a temporary file next to its path, or the file
    /// to append to.
    pub fn open(specs: &[Spec], setup: &Setup) -> anyhow::Result<Reports> {
        let mut renderers = Vec::new();
        let mut writers = Vec::new();
        let mut names = Vec::new();
        let mut files = Vec::new();
        for spec in specs {
            names.push(match &spec.destination {
                Destination::Stdout => "standard output".to_string(),
                Destination::File(path) | Destination::Append(path) => path.display().to_string(),
            });
            let out: Box<dyn io::Write> = match &spec.destination {
                Destination::Stdout => Box::new(io::BufWriter::new(io::stdout())),
                Destination::File(path) => {
                    let file = output::Atomic::create(path)?;
                    let out = file.writer()?;
                    files.push(file);
                    Box::new(io::BufWriter::new(out))
                }
                Destination::Append(path) => {
                    Box::new(io::BufWriter::new(output::Append::open(path)?.writer()))
                }
            };
            let (renderer, writer) = new(spec.format, out, spec.color, setup);
            renderers.push(renderer);
            writers.push(writer);
        }
        Ok(Reports {
            renderers: Renderers {
                renderers,
                spare: Mutex::new(Vec::new()),
            },
            writers: Writers {
                writers,
                names,
                files,
            },
        })
    }

    /// The renderers for `check::run`, and the writers for its sink.
    pub fn split(&mut self) -> (&Renderers, &mut Writers) {
        (&self.renderers, &mut self.writers)
    }

    /// Closes every report and commits the files.
    pub fn finish(self, totals: &Totals) -> anyhow::Result<()> {
        self.writers.finish(totals)
    }
}

impl Writers {
    /// Hands one event's part to every report. An error names the report it happened to
    /// and keeps its kind (a closed pipe stays a closed pipe).
    pub fn event(&mut self, event: &Event) -> io::Result<()> {
        for (at, writer) in self.writers.iter_mut().enumerate() {
            let result = match event {
                Event::Checked(checked) => match checked.rendered.get(at) {
                    Some(bytes) if !bytes.is_empty() => writer.rendered(bytes),
                    _ => Ok(()),
                },
                Event::Problem { name, reason } => writer
                    .unreadable(name, reason)
                    .and_then(|()| writer.flush()),
                Event::Note { .. } => writer.flush(),
                Event::Skipped(_) | Event::InputEnd { .. } => Ok(()),
            };
            if let Err(error) = result {
                let name = self.names.get(at).map_or("a report", String::as_str);
                return Err(io::Error::new(error.kind(), format!("{name}: {error}")));
            }
        }
        Ok(())
    }

    /// Closes every report, then commits the files (each renamed over its path).
    fn finish(self, totals: &Totals) -> anyhow::Result<()> {
        let Writers {
            writers,
            names,
            files,
        } = self;
        for (mut writer, name) in writers.into_iter().zip(names) {
            writer
                .finish(totals)
                .map_err(|error| anyhow::Error::new(error).context(format!("writing {name}")))?;
        }
        for file in files {
            file.commit()?;
        }
        Ok(())
    }
}

/// What a machine report adds to a message when its file location does not say which
/// response it is about: ` (entry 3)` in a HAR, ` (response 2)` in an HTTP capture,
/// ` (execution 4: bad-title)` in a Newman report,
/// ` (<stdin>:17)` for standard input; nothing otherwise.
pub fn within(response: &CheckedResponse<'_>) -> String {
    if response.from_stdin() {
        return format!(" ({})", response.name());
    }
    match &response.locator {
        Locator::Whole | Locator::Line(_) => String::new(),
        Locator::Entry(index) => format!(" (entry {index})"),
        Locator::Response(index) => format!(" (response {index})"),
        Locator::Step(step) => format!(" ({step})"),
    }
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
    fn unsafe_characters_are_escaped_losslessly() {
        let value = "a\u{7f}b\u{9b}c\u{202e}d\u{e0041}é\u{1b}";
        let mut out = Vec::new();
        to_writer_terminal_safe(&mut out, value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\"a\\u007fb\\u009bc\\u202ed\\udb40\\udc41é\\u001b\"");
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), value);
    }
}
