//! cyoda-go version names, their order, and the version ranges topics write
//! (`0.6.1 to 0.6.2`, `0.8.2 and later`).
//!
//! A name is `MAJOR.MINOR.PATCH`, optionally followed by `-preview` for a release branch that is
//! not tagged yet. Versions order by their numbers (a preview right after a release of the same
//! numbers; the catalog never holds both).
//!
//! Shared with `build.rs`; it depends on nothing else of this crate.

use std::cmp::Ordering;
use std::fmt;

/// The suffix that marks an untagged release branch.
pub const PREVIEW_SUFFIX: &str = "-preview";

/// A cyoda-go version the catalog may document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
    pub preview: bool,
}

impl Version {
    /// Parses a canonical name (`0.8.3`, `0.8.4-preview`); nothing else.
    pub fn parse(name: &str) -> Option<Version> {
        let (numbers, preview) = match name.strip_suffix(PREVIEW_SUFFIX) {
            Some(numbers) => (numbers, true),
            None => (name, false),
        };
        let mut parts = numbers.split('.');
        let mut number = || -> Option<u32> {
            let part = parts.next()?;
            // No signs, no leading zeros, no empty parts: one spelling per version.
            let canonical = !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part == "0" || !part.starts_with('0'));
            canonical.then(|| part.parse().ok()).flatten()
        };
        let version = Version {
            major: number()?,
            minor: number()?,
            patch: number()?,
            preview,
        };
        parts.next().is_none().then_some(version)
    }

    fn key(self) -> (u32, u32, u32) {
        (self.major, self.minor, self.patch)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key()
            .cmp(&other.key())
            .then(self.preview.cmp(&other.preview))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if self.preview {
            f.write_str(PREVIEW_SUFFIX)?;
        }
        Ok(())
    }
}

/// The version a run uses when none is chosen: the newest release (never a preview).
pub fn default_of(known: &[Version]) -> Option<Version> {
    known.iter().copied().filter(|v| !v.preview).max()
}

/// What a user typed for `--server-version`, resolved against the known versions: a name
/// (`0.8.3`, `v0.8.3`, `0.8.4-preview`), the numbers of a preview (`0.8.4`), or
/// `MAJOR.MINOR` for the newest release of that minor line (`0.7` is 0.7.4). Surrounding
/// whitespace and a leading `v` are ignored. A minor line never resolves to a preview: that
/// must be asked for by its numbers.
pub fn resolve_user(known: &[Version], typed: &str) -> Option<Version> {
    let typed = typed.trim();
    let typed = typed
        .strip_prefix('v')
        .or_else(|| typed.strip_prefix('V'))
        .unwrap_or(typed);
    if let Some(exact) = Version::parse(typed) {
        if known.contains(&exact) {
            return Some(exact);
        }
        let preview = Version {
            preview: true,
            ..exact
        };
        return (!exact.preview && known.contains(&preview)).then_some(preview);
    }
    let (major, minor) = typed.split_once('.')?;
    let line = Version::parse(&format!("{major}.{minor}.0"))?;
    known
        .iter()
        .copied()
        .filter(|v| !v.preview && v.major == line.major && v.minor == line.minor)
        .max()
}

/// A contiguous run of versions, as topics write it: `0.6.3`, `0.6.1 to 0.6.2`,
/// `0.8.2 and later`, `0.7.4 and earlier`. Bounds are inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionRange {
    pub from: Option<Version>,
    pub to: Option<Version>,
}

impl VersionRange {
    /// Parses the forms [`fmt::Display`] writes; an optional `cyoda-go ` prefix is allowed.
    pub fn parse(text: &str) -> Result<VersionRange, String> {
        let text = text.trim();
        let text = text.strip_prefix("cyoda-go ").unwrap_or(text).trim();
        let version = |name: &str| {
            Version::parse(name.trim()).ok_or_else(|| {
                format!(
                    "`{}` is not a version such as 0.8.3 or 0.8.4-preview",
                    name.trim()
                )
            })
        };
        let range = if let Some(from) = text.strip_suffix(" and later") {
            VersionRange {
                from: Some(version(from)?),
                to: None,
            }
        } else if let Some(to) = text.strip_suffix(" and earlier") {
            VersionRange {
                from: None,
                to: Some(version(to)?),
            }
        } else if let Some((from, to)) = text.split_once(" to ") {
            VersionRange {
                from: Some(version(from)?),
                to: Some(version(to)?),
            }
        } else {
            let only = version(text)?;
            VersionRange {
                from: Some(only),
                to: Some(only),
            }
        };
        if let (Some(from), Some(to)) = (range.from, range.to)
            && from > to
        {
            return Err(format!(
                "the range `{text}` is empty: {from} comes after {to}"
            ));
        }
        Ok(range)
    }

    pub fn contains(&self, version: Version) -> bool {
        self.from.is_none_or(|from| from <= version) && self.to.is_none_or(|to| version <= to)
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from == to => write!(f, "{from}"),
            (Some(from), Some(to)) => write!(f, "{from} to {to}"),
            (Some(from), None) => write!(f, "{from} and later"),
            (None, Some(to)) => write!(f, "{to} and earlier"),
            (None, None) => f.write_str("every version"),
        }
    }
}

/// The versions of `known` (ascending) in which `defined` holds, written as the shortest list
/// of ranges: `0.6.3 and later`, `0.6.1 to 0.7.4, 0.8.2 and later`. A run that reaches the
/// newest known version is open-ended ("and later"), since that is what a new release extends.
pub fn describe_set(known: &[Version], defined: impl Fn(Version) -> bool) -> String {
    let mut runs: Vec<(Version, Version)> = Vec::new();
    let mut open = false;
    for &version in known {
        if defined(version) {
            match runs.last_mut() {
                Some((_, last)) if open => *last = version,
                _ => runs.push((version, version)),
            }
            open = true;
        } else {
            open = false;
        }
    }
    let newest = known.last().copied();
    runs.iter()
        .map(|&(from, to)| {
            let range = VersionRange {
                from: Some(from),
                to: (from == to || Some(to) != newest).then_some(to),
            };
            range.to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str) -> Version {
        Version::parse(name).unwrap()
    }

    fn known() -> Vec<Version> {
        [
            "0.6.1",
            "0.6.2",
            "0.6.3",
            "0.7.0",
            "0.7.4",
            "0.8.3",
            "0.8.4-preview",
        ]
        .iter()
        .map(|n| v(n))
        .collect()
    }

    #[test]
    fn names_parse_canonically_and_order_by_numbers() {
        assert_eq!(v("0.8.4-preview").to_string(), "0.8.4-preview");
        for bad in [
            "",
            "0.8",
            "0.8.3.1",
            "00.8.3",
            "0.8.x",
            "-0.8.3",
            "0.8.3-rc1",
            "v0.8.3",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        assert!(v("0.6.10") > v("0.6.9"));
        assert!(v("0.8.4-preview") > v("0.8.3"));
        assert!(v("0.8.4-preview") > v("0.8.4"));
        assert_eq!(default_of(&known()), Some(v("0.8.3")));
    }

    #[test]
    fn users_may_type_a_v_a_minor_line_or_the_numbers_of_a_preview() {
        let known = known();
        let resolve = |typed| resolve_user(&known, typed).map(|v| v.to_string());
        assert_eq!(resolve("0.8.3").as_deref(), Some("0.8.3"));
        assert_eq!(resolve(" v0.8.3 ").as_deref(), Some("0.8.3"));
        assert_eq!(resolve("0.7").as_deref(), Some("0.7.4"));
        assert_eq!(resolve("v0.6").as_deref(), Some("0.6.3"));
        assert_eq!(resolve("0.8").as_deref(), Some("0.8.3"));
        assert_eq!(resolve("0.8.4").as_deref(), Some("0.8.4-preview"));
        assert_eq!(resolve("0.8.4-preview").as_deref(), Some("0.8.4-preview"));
        for unknown in ["0.8.0", "0.9", "1", "latest", "", "0.8.3-preview"] {
            assert_eq!(resolve(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn ranges_round_trip_and_contain_their_bounds() {
        for text in [
            "0.6.3",
            "0.6.1 to 0.6.2",
            "0.8.2 and later",
            "0.7.4 and earlier",
        ] {
            assert_eq!(VersionRange::parse(text).unwrap().to_string(), text);
        }
        let range = VersionRange::parse("cyoda-go 0.6.1 to 0.6.2").unwrap();
        assert!(range.contains(v("0.6.1")) && range.contains(v("0.6.2")));
        assert!(!range.contains(v("0.6.3")));
        assert!(VersionRange::parse("0.6.3 to 0.6.1").is_err());
        assert!(VersionRange::parse("soon").is_err());
    }

    #[test]
    fn sets_are_described_as_runs() {
        let known = known();
        assert_eq!(describe_set(&known, |_| true), "0.6.1 and later");
        assert_eq!(describe_set(&known, |x| x >= v("0.6.3")), "0.6.3 and later");
        assert_eq!(describe_set(&known, |x| x <= v("0.6.2")), "0.6.1 to 0.6.2");
        assert_eq!(
            describe_set(&known, |x| x == v("0.8.4-preview")),
            "0.8.4-preview"
        );
        assert_eq!(
            describe_set(&known, |x| x != v("0.7.0")),
            "0.6.1 to 0.6.3, 0.7.4 and later"
        );
        assert_eq!(describe_set(&known, |_| false), "");
    }
}
