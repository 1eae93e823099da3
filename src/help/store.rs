//! The pages `build.rs` compiled from `help/`, embedded in the binary, and the lookups of one
//! catalog version. Nothing here validates or parses: the build already did, and the index of
//! every version is a static (`crate::catalog`).

use crate::catalog::VersionData;
use crate::topics::model::{self, IndexEntry};
use include_dir::{Dir, DirEntry, include_dir};

static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed");

/// The embedded file at `path` (relative to the embed root), as text.
fn file(path: &str) -> Option<&'static str> {
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

/// One of a page variant's embedded forms. Every index entry names a variant the build wrote,
/// so a miss is a build bug; it reads as an empty page rather than ending the process.
fn page(variant: &str, extension: &str) -> &'static str {
    file(&format!("pages/{variant}.{extension}")).unwrap_or("")
}

/// One topic's page as markdown.
pub fn markdown(entry: &IndexEntry) -> &'static str {
    page(&entry.file, "md")
}

/// One topic's page as termimad-ready markdown.
pub fn terminal_markdown(entry: &IndexEntry) -> &'static str {
    page(&entry.file, "term.md")
}

/// One topic's descriptor as `cyoda help TOPIC --format json` prints it.
pub fn descriptor_json(entry: &IndexEntry) -> String {
    model::descriptor_text(page(&entry.file, "json"))
}

/// Writes the version's whole tree as the HelpPayload JSON (pretty, trailing newline).
pub fn write_payload(version: &VersionData, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    model::write_payload(
        out,
        version.name(),
        version.payload.iter().map(|variant| page(variant, "json")),
    )
}

/// The index entry of a canonical id in `version`.
pub fn entry<'v>(version: &'v VersionData, id: &str) -> Option<&'v IndexEntry> {
    version.index.topics.iter().find(|entry| entry.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    #[test]
    fn every_indexed_page_is_embedded_in_every_form() {
        for version in catalog::all() {
            for entry in version.index.topics.iter() {
                for extension in ["md", "term.md", "json"] {
                    let path = format!("pages/{}.{extension}", entry.file);
                    assert!(file(&path).is_some_and(|t| !t.is_empty()), "{path}");
                }
            }
        }
    }

    #[test]
    fn files_are_found_at_any_depth_and_only_by_their_whole_path() {
        let entry = entry(catalog::default(), "errors.IDEMPOTENCY_CONFLICT").unwrap();
        let page = file(&format!("pages/{}.md", entry.file));
        assert!(page.is_some_and(|text| text.contains("IDEMPOTENCY_CONFLICT")));
        for missing in [
            "",
            "pages",
            "pages/",
            "pages/errors/idempotency_conflict",
            "pages/errors/idempotency_conflict.1.md/x",
            "pagesx/errors/idempotency_conflict.1.md",
            "errors/idempotency_conflict.1.md",
        ] {
            assert_eq!(file(missing), None, "{missing}");
        }
    }

    #[test]
    fn the_payload_is_the_version_s_tree() {
        for version in catalog::all() {
            let mut out = Vec::new();
            write_payload(version, &mut out).unwrap();
            let payload: model::HelpPayload = serde_json::from_slice(&out).unwrap();
            assert_eq!(payload.version, version.name());
            assert_eq!(payload.topics.len(), version.index.topics.len());
            let codes = payload.topics.iter().filter(|t| t.error.is_some()).count();
            assert_eq!(codes, version.catalog.codes.len());
        }
    }
}
