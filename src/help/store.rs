//! The pages `build.rs` compiled from `help/`, embedded in the binary, and the lookups of one
//! catalog version. Nothing here validates or parses: the build already did, and the index of
//! every version is unpacked from the binary (`crate::catalog`).

use crate::catalog::VersionData;
use crate::topics::model::{self, IndexEntry};
use include_dir::{Dir, DirEntry, include_dir};

static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/embed");

/// The embedded file at `path` (relative to the embed root).
fn file(path: &str) -> Option<&'static [u8]> {
    find(&EMBEDDED, path.as_bytes()).map(|file| file.contents())
}

/// `Dir::get_file`, comparing paths as bytes and binary-searching each directory:
/// include_dir compares paths component by component and scans every entry, which cost a help
/// page more than rendering it as markdown. Its macro sorts each directory's entries by name
/// (a test walks the whole tree through this function to hold it to that).
fn find(dir: &'static Dir<'static>, path: &[u8]) -> Option<&'static include_dir::File<'static>> {
    let dir_path = dir.path().as_os_str().as_encoded_bytes();
    let child_start = if dir_path.is_empty() {
        0
    } else {
        dir_path.len() + 1
    };
    let child_end = path
        .get(child_start..)?
        .iter()
        .position(|&byte| byte == b'/')
        .map_or(path.len(), |at| child_start + at);
    let child = path.get(..child_end)?;
    let entries = dir.entries();
    let at = entries
        .binary_search_by(|entry| entry.path().as_os_str().as_encoded_bytes().cmp(child))
        .ok()?;
    match entries.get(at)? {
        DirEntry::File(file) if child_end == path.len() => Some(file),
        DirEntry::Dir(sub) if child_end < path.len() => find(sub, path),
        _ => None,
    }
}

/// One of a page variant's embedded forms. Every index entry names a variant the build wrote,
/// so a miss is a build bug; it reads as an empty page rather than ending the process.
fn page(variant: &str, extension: &str) -> &'static str {
    std::str::from_utf8(page_bytes(variant, extension)).unwrap_or("")
}

/// A page variant's embedded form as bytes, for output that needs no text: checking that the
/// whole tree is UTF-8 again cost a quarter of `cyoda help --format json`. The build wrote
/// every file from a `String`.
fn page_bytes(variant: &str, extension: &str) -> &'static [u8] {
    // Pushed, not format!ted: the whole tree looks up every page of the version.
    let mut path = String::with_capacity("pages/.".len() + variant.len() + extension.len());
    path.push_str("pages/");
    path.push_str(variant);
    path.push('.');
    path.push_str(extension);
    file(&path).unwrap_or_default()
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
        version
            .payload()
            .iter()
            .map(|variant| page_bytes(variant, "json")),
    )
}

/// The index entry of a canonical id in `version`.
pub fn entry<'v>(version: &'v VersionData, id: &str) -> Option<&'v IndexEntry> {
    version.index().topics.iter().find(|entry| entry.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    #[test]
    fn every_indexed_page_is_embedded_in_every_form() {
        for version in catalog::all() {
            for entry in version.index().topics.iter() {
                for extension in ["md", "term.md", "json"] {
                    let path = format!("pages/{}.{extension}", entry.file);
                    assert!(file(&path).is_some_and(|t| !t.is_empty()), "{path}");
                }
            }
        }
    }

    #[test]
    fn every_embedded_file_is_found_by_its_path() {
        fn walk(dir: &'static Dir<'static>, found: &mut usize) {
            for entry in dir.entries() {
                match entry {
                    DirEntry::File(embedded) => {
                        let path = embedded.path().to_str().unwrap();
                        let hit = find(&EMBEDDED, path.as_bytes());
                        assert!(hit.is_some_and(|hit| std::ptr::eq(hit, embedded)), "{path}");
                        *found += 1;
                    }
                    DirEntry::Dir(sub) => walk(sub, found),
                }
            }
        }
        let mut found = 0;
        walk(&EMBEDDED, &mut found);
        assert!(found > 100, "{found}");
    }

    #[test]
    fn files_are_found_at_any_depth_and_only_by_their_whole_path() {
        let entry = entry(catalog::default(), "errors.IDEMPOTENCY_CONFLICT").unwrap();
        let page = file(&format!("pages/{}.md", entry.file)).map(String::from_utf8_lossy);
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
            assert_eq!(payload.topics.len(), version.index().topics.len());
            let codes = payload.topics.iter().filter(|t| t.error.is_some()).count();
            assert_eq!(codes, version.catalog().codes.len());
        }
    }
}
