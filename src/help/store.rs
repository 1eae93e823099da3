//! What `build.rs` compiled from `help/`, embedded in the binary. Nothing here validates: the
//! build already did; an embedded file that fails to parse is a build bug, and reads as empty.

use crate::contract::catalog::Catalog;
use crate::topics::model::{IndexEntry, TopicIndex};
use include_dir::{Dir, DirEntry, include_dir};
use std::borrow::Cow;
use std::sync::OnceLock;

static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed");

/// Written by build.rs (`topics::codegen`): a static, so that no run parses the index.
static INDEX: TopicIndex = include!(concat!(env!("OUT_DIR"), "/topic_index.rs"));

/// The embedded file at `path` (relative to the embed root), as text.
pub fn file(path: &str) -> Option<&'static str> {
    find(&EMBEDDED, path.as_bytes()).and_then(|file| file.contents_utf8())
}

/// `Dir::get_file`, comparing paths as bytes: include_dir compares them component by
/// component, which cost a help page more than rendering it as markdown.
fn find(dir: &'static Dir<'static>, path: &[u8]) -> Option<&'static include_dir::File<'static>> {
    for entry in dir.entries() {
        let entry_path = entry.path().as_os_str().as_encoded_bytes();
        match entry {
            DirEntry::File(file) if entry_path == path => return Some(file),
            DirEntry::Dir(sub)
                if path.starts_with(entry_path) && path.get(entry_path.len()) == Some(&b'/') =>
            {
                return find(sub, path);
            }
            _ => {}
        }
    }
    None
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
    &INDEX
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_index_is_the_one_the_compiler_derives() {
        let compiled = crate::topics::compile(std::path::Path::new("help"))
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(index(), &compiled.derived.index);
        assert!(matches!(index().topics, Cow::Borrowed(_)));
    }

    #[test]
    fn files_are_found_at_any_depth_and_only_by_their_whole_path() {
        assert!(file("index.json").is_some_and(|text| text.starts_with('{')));
        let page = file("topics/errors/idempotency_conflict.md");
        assert!(page.is_some_and(|text| text.contains("IDEMPOTENCY_CONFLICT")));
        for missing in [
            "",
            "topics",
            "topics/",
            "topics/errors/idempotency_conflict",
            "topics/errors/idempotency_conflict.md/x",
            "topicsx/errors/idempotency_conflict.md",
            "errors/idempotency_conflict.md",
        ] {
            assert_eq!(file(missing), None, "{missing}");
        }
    }
}
