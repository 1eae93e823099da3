//! `cyoda help changes [FROM [TO]]`: the upgrade notes between two catalog versions, computed
//! from the embedded catalogs (`crate::topics::changes` says what they contain). With no
//! version the notes go from the release before the chosen version to the chosen version.

use crate::catalog::{self, VersionData};
use crate::topics::changes::{self, Changes};
use crate::topics::derive::CHANGES_TOPIC;

/// The version words after `changes`, when the topic asked for is `changes`.
pub fn requested(words: &[String]) -> Option<&[String]> {
    let (first, rest) = words.split_first()?;
    first.eq_ignore_ascii_case(CHANGES_TOPIC).then_some(rest)
}

/// The notes `words` ask for (none, FROM, or FROM TO), relative to the chosen `version`.
pub fn notes(words: &[String], version: &'static VersionData) -> Result<Changes, String> {
    let resolve = |typed: &str| catalog::resolve(typed).map_err(|e| e.to_string());
    let (from, to) = match words {
        [] => (previous_release(version), version),
        [from] => (Some(resolve(from)?), version),
        [from, to] => (Some(resolve(from)?), resolve(to)?),
        _ => {
            return Err(
                "'cyoda help changes' takes at most two versions: FROM and TO (e.g. 0.6.2 0.6.3)"
                    .to_string(),
            );
        }
    };
    Ok(changes::between(
        from.map(|f| f.catalog()),
        to.catalog(),
        catalog::server_notes(),
    ))
}

/// The release before `version` (previews are skipped), if there is one.
fn previous_release(version: &VersionData) -> Option<&'static VersionData> {
    let at = catalog::position(version)?;
    let known = catalog::known().get(..at)?;
    let previous = known.iter().rposition(|v| !v.preview)?;
    catalog::nth(previous)
}

/// The `changes` page with the notes asked for: the topic as written, then the notes (the
/// same composition the build uses for each version's page).
pub fn markdown(notes: &Changes) -> String {
    changes::page(catalog::changes_intro(), notes)
}
