//! What `build.rs` compiled from `help/`, embedded in the binary. Nothing here validates: the
//! build already did; an embedded file that fails to parse is a build bug, and reads as empty.

use crate::contract::catalog::Catalog;
use crate::topics::model::{IndexEntry, TopicIndex};
use include_dir::{Dir, include_dir};
use std::sync::OnceLock;

static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed");

/// The embedded file at `path` (relative to the embed root), as text.
pub fn file(path: &str) -> Option<&'static str> {
    EMBEDDED
        .get_file(path)
        .and_then(|file| file.contents_utf8())
}

/// The error catalog derived from the error pages.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        file("catalog.json")
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    })
}

/// The lookup index: every topic's id, tagline, children and error facts, in tree order.
pub fn index() -> &'static TopicIndex {
    static INDEX: OnceLock<TopicIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        file("lookup.json")
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    })
}

/// The index entry of a canonical id.
pub fn entry(id: &str) -> Option<&'static IndexEntry> {
    index().topics.iter().find(|entry| entry.id == id)
}

/// The whole tree as the HelpPayload JSON (pretty, trailing newline).
pub fn payload_json() -> &'static str {
    file("index.json").unwrap_or("")
}

/// One topic's descriptor JSON (pretty, trailing newline).
pub fn descriptor_json(entry: &IndexEntry) -> &'static str {
    file(&format!("topics/{}.json", entry.file)).unwrap_or("")
}

/// One topic's page as markdown.
pub fn markdown(entry: &IndexEntry) -> &'static str {
    file(&format!("topics/{}.md", entry.file)).unwrap_or("")
}

/// One topic's page as termimad-ready markdown.
pub fn terminal_markdown(entry: &IndexEntry) -> &'static str {
    file(&format!("topics/{}.term.md", entry.file)).unwrap_or("")
}

/// Each error page's `example:` response body, keyed by code.
pub fn examples() -> std::collections::BTreeMap<String, String> {
    file("examples.json")
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}
