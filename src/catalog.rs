//! The cyoda-go versions this binary documents, and which one a run uses. The one place that
//! holds the version list and the default: `build.rs` derives both from the tables under
//! `help/catalog/` and writes them as statics (`$OUT_DIR/catalog.rs`), so a broken catalog
//! cannot load. Each version's facts, topics and payload are embedded packed
//! ([`crate::topics::packed`]: text, so the loader relocates nothing in them), each part
//! unpacked the first time a run asks for it; most runs unpack one part of one version.

use crate::contract::catalog::{Catalog, ServerNote};
use crate::contract::version::{self, Version};
use crate::topics::model::TopicIndex;
use crate::topics::packed;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// What the binary knows of a version without unpacking it.
#[derive(Debug)]
pub struct Known {
    /// `0.8.3`, `0.8.4-preview`.
    pub name: &'static str,
    pub preview: bool,
    catalog: &'static str,
    index: &'static str,
    payload: &'static str,
}

/// Everything one version has: its facts, its topics, and its HelpPayload, each unpacked on
/// first use.
#[derive(Debug)]
pub struct VersionData {
    known: &'static Known,
    catalog: OnceLock<Catalog>,
    index: OnceLock<TopicIndex>,
    payload: OnceLock<Vec<&'static str>>,
}

impl VersionData {
    /// The version's name: `0.8.3`, `0.8.4-preview`.
    pub fn name(&self) -> &'static str {
        self.known.name
    }

    pub fn is_preview(&self) -> bool {
        self.known.preview
    }

    /// `cyoda-go 0.8.3`, with the preview marking for a preview.
    pub fn server_name(&self) -> String {
        crate::contract::catalog::server_name(self.known.name, self.known.preview)
    }

    /// The version's documented codes.
    pub fn catalog(&self) -> &Catalog {
        self.catalog
            .get_or_init(|| packed::unpack_catalog(self.known.catalog))
    }

    /// The version's topics, for lookup and listing.
    pub fn index(&self) -> &TopicIndex {
        self.index
            .get_or_init(|| packed::unpack_index(self.known.index))
    }

    /// The embedded page variants of the version's topics, in tree order.
    pub fn payload(&self) -> &[&'static str] {
        self.payload
            .get_or_init(|| packed::unpack_payload(self.known.payload))
    }
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

static UNPACKED: [OnceLock<VersionData>; KNOWN.len()] = [const { OnceLock::new() }; KNOWN.len()];

fn unpacked(known: &'static Known, slot: &'static OnceLock<VersionData>) -> &'static VersionData {
    slot.get_or_init(|| VersionData {
        known,
        catalog: OnceLock::new(),
        index: OnceLock::new(),
        payload: OnceLock::new(),
    })
}

/// Every version, ascending, without unpacking any.
pub fn known() -> &'static [Known] {
    &KNOWN
}

/// Every version, ascending.
pub fn all() -> impl DoubleEndedIterator<Item = &'static VersionData> + ExactSizeIterator + Clone {
    KNOWN
        .iter()
        .zip(UNPACKED.iter())
        .map(|(known, slot)| unpacked(known, slot))
}

/// The version at `at` in [`all`].
pub fn nth(at: usize) -> Option<&'static VersionData> {
    Some(unpacked(KNOWN.get(at)?, UNPACKED.get(at)?))
}

/// The position of `version` in [`all`].
pub fn position(version: &VersionData) -> Option<usize> {
    KNOWN
        .iter()
        .position(|known| std::ptr::eq(known, version.known))
}

/// Whether `version` is the one a run uses when none is chosen.
pub fn is_default(version: &VersionData) -> bool {
    position(version) == Some(DEFAULT)
}

// `DEFAULT` indexes `KNOWN`: checked when this crate compiles, not when it runs.
const _: () = assert!(DEFAULT < KNOWN.len());

/// The version a run uses when none is chosen: the newest release.
#[allow(clippy::indexing_slicing)] // why: the assertion above proves the index in range
pub fn default() -> &'static VersionData {
    unpacked(&KNOWN[DEFAULT], &UNPACKED[DEFAULT])
}

/// The name of [`default`], without unpacking it.
#[allow(clippy::indexing_slicing)] // why: the assertion above proves the index in range
pub fn default_name() -> &'static str {
    KNOWN[DEFAULT].name
}

/// The version named exactly `name`.
pub fn get(name: &str) -> Option<&'static VersionData> {
    KNOWN
        .iter()
        .zip(UNPACKED.iter())
        .find(|(known, _)| known.name == name)
        .map(|(known, slot)| unpacked(known, slot))
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
    let known: Vec<Version> = KNOWN
        .iter()
        .filter_map(|known| Version::parse(known.name))
        .collect();
    version::resolve_user(&known, typed)
        .and_then(|found| get(&found.to_string()))
        .ok_or_else(|| UnknownVersion(typed.to_string()))
}

/// `0.6.1, 0.6.2, …, 0.8.3 (default), 0.8.4-preview (preview)`.
pub fn known_list() -> String {
    KNOWN
        .iter()
        .enumerate()
        .map(|(at, known)| {
            if at == DEFAULT {
                format!("{} (default)", known.name)
            } else if known.preview {
                format!("{} (preview)", known.name)
            } else {
                known.name.to_string()
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
            assert_eq!(&built.index, data.index());
            assert_eq!(built.catalog.codes, data.catalog().codes);
            assert_eq!(built.catalog.elsewhere, data.catalog().elsewhere);
            assert_eq!(data.server_name(), built.catalog.server_name());
            assert_eq!(data.payload(), compiled.derived.payload_files(built));
            assert_eq!(data.name(), built.catalog.version);
            assert_eq!(data.is_preview(), built.catalog.preview);
            assert_eq!(position(data), all().position(|v| std::ptr::eq(v, data)));
        }
    }
}
