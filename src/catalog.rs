//! The cyoda-go versions this binary documents, and which one a run uses. The one place that
//! holds the version list and the default: `build.rs` derives both from the tables under
//! `help/catalog/` and writes them as statics (`$OUT_DIR/catalog.rs`), so nothing is parsed at
//! start-up and a broken catalog cannot load.

use crate::contract::catalog::{
    Catalog, Elsewhere, ErrorContract, PropertyType, Retryability, ServerNote, SuggestionCache,
    TicketRule,
};
use crate::contract::version::{self, Version};
use crate::topics::model::{IndexEntry, TopicIndex};
use std::borrow::Cow;
use std::fmt;

/// Everything one version has: its facts, its topics, and its HelpPayload.
#[derive(Debug)]
pub struct VersionData {
    pub catalog: Catalog,
    pub index: TopicIndex,
    /// The embedded page variants of the version's topics, in tree order.
    pub payload: &'static [&'static str],
}

impl VersionData {
    /// The version's name: `0.8.3`, `0.8.4-preview`.
    pub fn name(&self) -> &'static str {
        match &self.catalog.version {
            Cow::Borrowed(name) => name,
            Cow::Owned(_) => "",
        }
    }

    pub fn is_preview(&self) -> bool {
        self.catalog.preview
    }

    /// `cyoda-go 0.8.3`, with the preview marking for a preview.
    pub fn server_name(&self) -> String {
        self.catalog.server_name()
    }
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// Every version, ascending.
pub fn all() -> &'static [VersionData] {
    &VERSIONS
}

// `DEFAULT` indexes `VERSIONS`: checked when this crate compiles, not when it runs.
const _: () = assert!(DEFAULT < VERSIONS.len());

/// The version a run uses when none is chosen: the newest release.
#[allow(clippy::indexing_slicing)] // why: the assertion above proves the index in range
pub fn default() -> &'static VersionData {
    &VERSIONS[DEFAULT]
}

/// The version named exactly `name`.
pub fn get(name: &str) -> Option<&'static VersionData> {
    VERSIONS.iter().find(|data| data.name() == name)
}

/// The descriptions of the `server_notes` tags, for upgrade notes.
pub fn server_notes() -> &'static [ServerNote] {
    SERVER_NOTES
}

/// The `changes` topic as written, before its generated notes.
pub fn changes_intro() -> &'static str {
    CHANGES_INTRO
}

/// A `--server-version` that names no known version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVersion(pub String);

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown cyoda-go version \"{}\"; known versions: {}",
            crate::term::escape_controls(&self.0),
            known_list()
        )
    }
}

impl std::error::Error for UnknownVersion {}

/// What the user typed (`0.8.3`, `v0.8.3`, `0.7` for the newest 0.7.x, `0.8.4` for its
/// preview), resolved.
pub fn resolve(typed: &str) -> Result<&'static VersionData, UnknownVersion> {
    let known: Vec<Version> = VERSIONS
        .iter()
        .filter_map(|data| Version::parse(data.name()))
        .collect();
    version::resolve_user(&known, typed)
        .and_then(|found| get(&found.to_string()))
        .ok_or_else(|| UnknownVersion(typed.to_string()))
}

/// `0.6.1, 0.6.2, …, 0.8.3 (default), 0.8.4-preview (preview)`.
pub fn known_list() -> String {
    VERSIONS
        .iter()
        .enumerate()
        .map(|(at, data)| {
            if at == DEFAULT {
                format!("{} (default)", data.name())
            } else if data.is_preview() {
                format!("{} (preview)", data.name())
            } else {
                data.name().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_newest_release() {
        let default = default();
        assert!(!default.is_preview());
        assert!(
            all()
                .iter()
                .filter(|data| !data.is_preview())
                .all(|data| Version::parse(data.name()) <= Version::parse(default.name()))
        );
    }

    #[test]
    fn every_version_resolves_by_its_name_and_with_a_v() {
        for data in all() {
            assert_eq!(resolve(data.name()).map(VersionData::name), Ok(data.name()));
            assert_eq!(
                resolve(&format!("v{}", data.name())).map(VersionData::name),
                Ok(data.name())
            );
        }
        let unknown = resolve("9.9").unwrap_err().to_string();
        assert!(unknown.starts_with("unknown cyoda-go version \"9.9\"; known versions: "));
        assert!(unknown.contains(" (default)"));
        assert!(!unknown.contains('\n'));
    }

    #[test]
    fn the_statics_are_what_the_compiler_derives() {
        let compiled = crate::topics::compile(std::path::Path::new("help"))
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(compiled.derived.versions.len(), all().len());
        for (built, data) in compiled.derived.versions.iter().zip(all()) {
            assert_eq!(built.index, data.index);
            assert_eq!(built.catalog.codes, data.catalog.codes);
            assert_eq!(built.catalog.elsewhere, data.catalog.elsewhere);
            assert!(matches!(data.index.topics, Cow::Borrowed(_)));
        }
    }
}
