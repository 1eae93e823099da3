//! `cyoda help` at run time: the embedded pages, lookup, search and the renderers, for the
//! catalog version a run chose. Everything here reads what the build compiled; no markdown is
//! validated, and only termimad parses it (to draw a page).

pub mod changes;
pub mod lookup;
pub mod page;
pub mod render;
pub mod schema;
pub mod search;
pub mod store;

use crate::catalog::{self, VersionData};
use crate::topics::model::{HelpPayload, IndexEntry, TopicDescriptor};
use lookup::Found;
use std::io::Write;

/// The forms a help answer can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `Text` on a terminal, `Markdown` when piped.
    Auto,
    Text,
    Markdown,
    Json,
    Schema,
}

/// What `cyoda help` was asked, in plain terms (the CLI builds it from its arguments).
#[derive(Clone, Debug)]
pub struct Request {
    /// Topic words as typed; empty for the tree.
    pub topic: Vec<String>,
    pub format: Format,
    /// `-k WORDS`: search instead of looking up.
    pub search: Option<Vec<String>>,
}

/// How the output should look, decided by `main` from flags and the terminal.
#[derive(Clone, Copy, Debug)]
pub struct Display {
    pub stdout_is_terminal: bool,
    pub color: bool,
    pub width: usize,
}

/// Why `cyoda help` could not answer.
#[derive(Debug)]
pub enum HelpError {
    /// Unknown topic or version, no search hit, or a format the topic does not have: exit 2.
    NotFound(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for HelpError {
    fn from(error: std::io::Error) -> Self {
        HelpError::Io(error)
    }
}

impl std::fmt::Display for HelpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HelpError::NotFound(message) => f.write_str(message),
            HelpError::Io(error) => write!(f, "writing the output: {error}"),
        }
    }
}

impl std::error::Error for HelpError {}

/// What a successful answer wants said on stderr besides the output (e.g. that a JSON
/// descriptor is another version's).
pub type Notes = Vec<String>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Text,
    Markdown,
    Json,
    Schema,
}

/// Runs `cyoda help` for `version` and writes the answer to `out`; returns notes for stderr.
pub fn run(
    request: &Request,
    version: &'static VersionData,
    display: Display,
    out: &mut dyn Write,
) -> Result<Notes, HelpError> {
    let format = match request.format {
        Format::Auto if display.stdout_is_terminal => Resolved::Text,
        Format::Auto | Format::Markdown => Resolved::Markdown,
        Format::Text => Resolved::Text,
        Format::Json => Resolved::Json,
        Format::Schema => Resolved::Schema,
    };
    let index = version.index();
    if let Some(words) = &request.search {
        let hits = search::search(index, words);
        if hits.is_empty() {
            return Err(HelpError::NotFound(format!(
                "no help topic mentions \"{}\"; run 'cyoda help' to list the topics",
                crate::term::escape_controls(&words.join(" "))
            )));
        }
        match format {
            Resolved::Json => write_listing(out, version, &hits)?,
            _ => out.write_all(render::search_results(&hits).as_bytes())?,
        }
        return Ok(Vec::new());
    }
    if request.topic.is_empty() {
        match format {
            Resolved::Json => store::write_payload(version, out)?,
            Resolved::Schema => return Err(schema_only_for_errors()),
            Resolved::Text => {
                out.write_all(render::tree_summary(version, display.color).as_bytes())?
            }
            Resolved::Markdown => out.write_all(render::tree_summary(version, false).as_bytes())?,
        }
        return Ok(Vec::new());
    }
    if let Some(versions) = changes::requested(&request.topic) {
        let notes = changes::notes(versions, version).map_err(HelpError::NotFound)?;
        match format {
            Resolved::Json => {
                serde_json::to_writer_pretty(&mut *out, &notes).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            Resolved::Schema => return Err(schema_only_for_errors()),
            Resolved::Markdown => out.write_all(changes::markdown(&notes).as_bytes())?,
            Resolved::Text => {
                let page = crate::topics::markdown::for_terminal(&changes::markdown(&notes));
                out.write_all(page::terminal(&page, display.width, display.color).as_bytes())?;
            }
        }
        return Ok(Vec::new());
    }
    let found = match lookup::resolve(index, &request.topic) {
        Ok(found) => Shown::Here(found),
        Err(missing) => match elsewhere(version, &request.topic) {
            Some(other) => other,
            None => return Err(HelpError::NotFound(missing.message)),
        },
    };
    let (found, shown_from, first_line) = match found {
        Shown::Here(found) => (found, version, None),
        Shown::Elsewhere {
            entry,
            from,
            first_line,
        } => (Found::Topic(entry), from, Some(first_line)),
    };
    let mut notes = Vec::new();
    match (found, format) {
        (Found::Topic(entry), Resolved::Schema) => {
            let schema = match entry.id.split_once('.') {
                None if entry.id == "errors" => schema::for_catalog(version.catalog()),
                Some(("errors", code)) => match shown_from.catalog().get(code) {
                    Some(contract) => schema::for_code(shown_from.catalog(), contract),
                    None => return Err(schema_only_for_errors()),
                },
                _ => return Err(schema_only_for_errors()),
            };
            if let Some(line) = &first_line {
                notes.push(line.clone());
            }
            out.write_all(schema::to_text(&schema).as_bytes())?;
        }
        (Found::Status { .. }, Resolved::Schema) => return Err(schema_only_for_errors()),
        (Found::Topic(entry), Resolved::Json) => {
            if let Some(line) = &first_line {
                notes.push(line.clone());
            }
            out.write_all(store::descriptor_json(entry).as_bytes())?;
        }
        (Found::Topic(entry), Resolved::Markdown) => {
            write_banner(out, version, first_line.as_deref(), false)?;
            out.write_all(store::markdown(entry).as_bytes())?;
        }
        (Found::Topic(entry), Resolved::Text) => {
            write_banner(out, version, first_line.as_deref(), display.color)?;
            let page = page::terminal(
                store::terminal_markdown(entry),
                display.width,
                display.color,
            );
            out.write_all(page.as_bytes())?;
        }
        (Found::Status { codes, .. }, Resolved::Json) => write_listing(out, version, &codes)?,
        (Found::Status { status, codes }, Resolved::Markdown) => {
            write_banner(out, version, None, false)?;
            out.write_all(render::status_listing(version.catalog(), status, &codes).as_bytes())?;
        }
        (Found::Status { status, codes }, Resolved::Text) => {
            write_banner(out, version, None, display.color)?;
            let listing = render::status_listing(version.catalog(), status, &codes);
            let listing = crate::topics::markdown::for_terminal(&listing);
            out.write_all(page::terminal(&listing, display.width, display.color).as_bytes())?;
        }
    }
    Ok(notes)
}

/// A topic found in the chosen version, or only in another one.
enum Shown<'a> {
    Here(Found<'a>),
    Elsewhere {
        entry: &'static IndexEntry,
        from: &'static VersionData,
        first_line: String,
    },
}

/// A topic the chosen version lacks but another defines: that version's page, with the line
/// that says so (`not in cyoda-go 0.6.2: added in 0.6.3`). Later versions are preferred, the
/// nearest first: the page a user of an old server wants is the one the code arrived with.
fn elsewhere(version: &'static VersionData, words: &[String]) -> Option<Shown<'static>> {
    let at = catalog::position(version)?;
    let later = at + 1..catalog::known().len();
    let earlier = (0..at).rev();
    for other in later.chain(earlier).filter_map(catalog::nth) {
        if let Ok(Found::Topic(entry)) = lookup::resolve(other.index(), words) {
            let defined = crate::contract::version::describe_set(&known_versions(), |v| {
                catalog::get(&v.to_string())
                    .is_some_and(|data| store::entry(data, &entry.id).is_some())
            });
            let how = match entry.id.split_once('.') {
                Some(("errors", code)) => version
                    .catalog()
                    .elsewhere(code)
                    .map(|e| e.note.to_string())
                    .unwrap_or_else(|| format!("defined in {defined}")),
                _ => format!("defined in {defined}"),
            };
            let first_line = format!(
                "not in cyoda-go {}: {how} (this page shows cyoda-go {})",
                version.name(),
                other.name()
            );
            return Some(Shown::Elsewhere {
                entry,
                from: other,
                first_line,
            });
        }
    }
    None
}

fn known_versions() -> Vec<crate::contract::version::Version> {
    catalog::known()
        .iter()
        .filter_map(|v| crate::contract::version::Version::parse(v.name))
        .collect()
}

/// The lines that go before a page: that the topic is another version's, and that the chosen
/// version is a preview.
fn write_banner(
    out: &mut dyn Write,
    version: &VersionData,
    first_line: Option<&str>,
    color: bool,
) -> std::io::Result<()> {
    let (open, close) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    if let Some(line) = first_line {
        writeln!(out, "{open}{line}{close}\n")?;
    }
    if version.is_preview() {
        writeln!(
            out,
            "{open}cyoda-go {} is a preview of an unreleased version: its facts may still change.{close}\n",
            version.name()
        )?;
    }
    Ok(())
}

fn schema_only_for_errors() -> HelpError {
    HelpError::NotFound(
        "--format schema is available for 'cyoda help errors' and 'cyoda help errors CODE' only"
            .to_string(),
    )
}

/// A HelpPayload holding just `entries`, for listings in JSON.
fn write_listing(
    out: &mut dyn Write,
    version: &VersionData,
    entries: &[&IndexEntry],
) -> Result<(), HelpError> {
    let topics: Vec<TopicDescriptor> = entries
        .iter()
        .filter_map(|entry| serde_json::from_str(&store::descriptor_json(entry)).ok())
        .collect();
    let payload = HelpPayload {
        schema: 1,
        version: version.name().to_string(),
        topics,
    };
    serde_json::to_writer_pretty(&mut *out, &payload).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The descriptor of every topic, parsed (for the export and tests).
pub fn descriptors(version: &VersionData) -> Vec<TopicDescriptor> {
    version
        .index()
        .topics
        .iter()
        .filter_map(|entry| serde_json::from_str(&store::descriptor_json(entry)).ok())
        .collect()
}

/// Each rule's documentation in `version`, for reports that carry rule metadata: the synopsis
/// and page of its topic `check.<rule>`.
pub fn rule_docs(version: &VersionData) -> Vec<crate::report::RuleDoc> {
    crate::contract::rules::RuleId::ALL
        .iter()
        .map(|rule| {
            let entry = store::entry(version, &rule.topic().id());
            let synopsis = entry
                .and_then(|entry| {
                    serde_json::from_str::<TopicDescriptor>(&store::descriptor_json(entry)).ok()
                })
                .map(|descriptor| descriptor.synopsis)
                .unwrap_or_default();
            crate::report::RuleDoc {
                rule: *rule,
                synopsis,
                markdown: entry.map(store::markdown).unwrap_or_default().to_string(),
            }
        })
        .collect()
}
