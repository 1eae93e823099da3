//! `cyoda help` at run time: the embedded topic store, lookup, search and the renderers.
//! Everything here reads what the build compiled; no markdown is parsed or validated.

pub mod lookup;
pub mod page;
pub mod render;
pub mod schema;
pub mod search;
pub mod store;

use crate::cli::{HelpArgs, HelpFormat};
use crate::topics::model::{HelpPayload, IndexEntry, TopicDescriptor};
use lookup::Found;
use std::io::Write;

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
    /// Unknown topic, no search hit, or a format the topic does not have: exit 2.
    NotFound(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for HelpError {
    fn from(error: std::io::Error) -> Self {
        HelpError::Io(error)
    }
}

enum Resolved {
    Text,
    Markdown,
    Json,
    Schema,
}

/// Runs `cyoda help` and writes the answer to `out`.
pub fn run(args: &HelpArgs, display: Display, out: &mut dyn Write) -> Result<(), HelpError> {
    let format = match args.format {
        HelpFormat::Auto if display.stdout_is_terminal => Resolved::Text,
        HelpFormat::Auto | HelpFormat::Markdown => Resolved::Markdown,
        HelpFormat::Text => Resolved::Text,
        HelpFormat::Json => Resolved::Json,
        HelpFormat::Schema => Resolved::Schema,
    };
    let index = store::index();
    if let Some(words) = &args.search {
        let hits = search::search(index, words);
        if hits.is_empty() {
            return Err(HelpError::NotFound(format!(
                "no help topic mentions \"{}\"; run 'cyoda help' to list the topics",
                words.join(" ")
            )));
        }
        return match format {
            Resolved::Json => write_payload(out, &hits),
            _ => Ok(out.write_all(render::search_results(&hits).as_bytes())?),
        };
    }
    if args.topic.is_empty() {
        return match format {
            Resolved::Json => Ok(out.write_all(store::payload_json().as_bytes())?),
            Resolved::Schema => Err(schema_only_for_errors()),
            Resolved::Text => {
                Ok(out.write_all(render::tree_summary(index, display.color).as_bytes())?)
            }
            Resolved::Markdown => Ok(out.write_all(render::tree_summary(index, false).as_bytes())?),
        };
    }
    let found = lookup::resolve(index, &args.topic)
        .map_err(|missing| HelpError::NotFound(missing.message))?;
    match (found, format) {
        (Found::Topic(entry), Resolved::Schema) => {
            let catalog = store::catalog();
            let schema = match entry.id.split_once('.') {
                None if entry.id == "errors" => schema::for_catalog(catalog),
                Some(("errors", code)) => match catalog.get(code) {
                    Some(contract) => schema::for_code(catalog, contract),
                    None => return Err(schema_only_for_errors()),
                },
                _ => return Err(schema_only_for_errors()),
            };
            Ok(out.write_all(schema::to_text(&schema).as_bytes())?)
        }
        (Found::Status { .. }, Resolved::Schema) => Err(schema_only_for_errors()),
        (Found::Topic(entry), Resolved::Json) => {
            Ok(out.write_all(store::descriptor_json(entry).as_bytes())?)
        }
        (Found::Topic(entry), Resolved::Markdown) => {
            Ok(out.write_all(store::markdown(entry).as_bytes())?)
        }
        (Found::Topic(entry), Resolved::Text) => {
            let page = page::terminal(
                store::terminal_markdown(entry),
                display.width,
                display.color,
            );
            Ok(out.write_all(page.as_bytes())?)
        }
        (Found::Status { codes, .. }, Resolved::Json) => write_payload(out, &codes),
        (Found::Status { status, codes }, Resolved::Markdown) => {
            Ok(out.write_all(render::status_listing(status, &codes).as_bytes())?)
        }
        (Found::Status { status, codes }, Resolved::Text) => {
            let page = render::status_listing(status, &codes);
            let page = crate::topics::markdown::for_terminal(&page);
            Ok(out.write_all(page::terminal(&page, display.width, display.color).as_bytes())?)
        }
    }
}

fn schema_only_for_errors() -> HelpError {
    HelpError::NotFound(
        "--format schema is available for 'cyoda help errors' and 'cyoda help errors CODE' only"
            .to_string(),
    )
}

/// A HelpPayload holding just `entries`, for listings in JSON.
fn write_payload(out: &mut dyn Write, entries: &[&IndexEntry]) -> Result<(), HelpError> {
    let topics: Vec<TopicDescriptor> = entries
        .iter()
        .filter_map(|entry| serde_json::from_str(store::descriptor_json(entry)).ok())
        .collect();
    let payload = HelpPayload {
        schema: 1,
        version: store::index().version.to_string(),
        topics,
    };
    serde_json::to_writer_pretty(&mut *out, &payload).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}
