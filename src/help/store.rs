//! What `build.rs` compiled from `help/`, embedded in the binary. Nothing here validates: the
//! build already did.

use crate::contract::catalog::Catalog;
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
        // The build wrote this file from validated data; failing to read it is a build bug.
        file("catalog.json")
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    })
}
