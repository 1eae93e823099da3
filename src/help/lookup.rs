//! Turns what the user typed into a topic. Lenient, like `rustc --explain`: words or dots or
//! slashes (`errors IDEMPOTENCY_CONFLICT`, `errors.idempotency_conflict`), any letter case, a
//! bare code or rule id, and `errors 409` for the codes of a status.

use crate::topics::model::{IndexEntry, TopicIndex};

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found<'a> {
    Topic(&'a IndexEntry),
    /// The error topics documented with this HTTP status, in index order.
    Status {
        status: u16,
        codes: Vec<&'a IndexEntry>,
    },
}

/// Why a lookup failed, with the closest matches already worked into `message`.
#[derive(Debug, PartialEq, Eq)]
pub struct NotFound {
    pub message: String,
    /// Closest existing topics, best first.
    pub suggestions: Vec<String>,
}

/// Splits user words into segments: `errors.CONFLICT`, `errors/conflict` and `errors CONFLICT`
/// are the same.
pub fn segments(words: &[String]) -> Vec<String> {
    words
        .iter()
        .flat_map(|word| word.split(['.', '/', ' ', '\t']))
        .filter(|segment| !segment.is_empty())
        .map(str::to_string)
        .collect()
}

/// Finds the topic (or status listing) named by `words`, which must not be empty.
pub fn resolve<'a>(index: &'a TopicIndex, words: &[String]) -> Result<Found<'a>, NotFound> {
    let wanted = segments(words);
    let mut current: Option<&IndexEntry> = None;
    for (position, segment) in wanted.iter().enumerate() {
        let is_last = position + 1 == wanted.len();
        let parent_id = current.map(|entry| &*entry.id);
        if let Some(child) =
            children(index, parent_id).find(|c| last_segment(&c.id).eq_ignore_ascii_case(segment))
        {
            current = Some(child);
            continue;
        }
        let under_errors = parent_id.is_none_or(|id| id == "errors");
        if is_last
            && under_errors
            && let Some(status) = parse_status(segment)
        {
            return status_listing(index, status);
        }
        if position == 0 && is_last {
            // A bare code or rule id: accept it when exactly one topic ends that way.
            let mut matches = index
                .topics
                .iter()
                .filter(|e| last_segment(&e.id).eq_ignore_ascii_case(segment));
            if let (Some(only), None) = (matches.next(), matches.next()) {
                return Ok(Found::Topic(only));
            }
        }
        return Err(not_found(index, &wanted, current, segment));
    }
    match current {
        Some(entry) => Ok(Found::Topic(entry)),
        None => Err(NotFound {
            message: "no topic given".to_string(),
            suggestions: Vec::new(),
        }),
    }
}

fn children<'a>(
    index: &'a TopicIndex,
    parent: Option<&'a str>,
) -> impl Iterator<Item = &'a IndexEntry> + 'a {
    index
        .topics
        .iter()
        .filter(move |entry| match (parent, entry.id.rsplit_once('.')) {
            (None, None) => true,
            (Some(parent), Some((entry_parent, _))) => entry_parent == parent,
            _ => false,
        })
}

fn last_segment(id: &str) -> &str {
    id.rsplit_once('.').map_or(id, |(_, last)| last)
}

fn parse_status(segment: &str) -> Option<u16> {
    if segment.len() != 3 {
        return None;
    }
    segment
        .parse::<u16>()
        .ok()
        .filter(|status| (100..=599).contains(status))
}

fn status_listing(index: &TopicIndex, status: u16) -> Result<Found<'_>, NotFound> {
    let codes: Vec<&IndexEntry> = index
        .topics
        .iter()
        .filter(|e| e.status == Some(status))
        .collect();
    if codes.is_empty() {
        let mut statuses: Vec<u16> = index.topics.iter().filter_map(|e| e.status).collect();
        statuses.sort_unstable();
        statuses.dedup();
        let listed = statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(NotFound {
            message: format!(
                "no error code is documented with HTTP {status} (documented statuses: {listed})"
            ),
            suggestions: Vec::new(),
        });
    }
    Ok(Found::Status { status, codes })
}

/// The message for an unknown segment: the closest siblings, and where to list them.
fn not_found(
    index: &TopicIndex,
    wanted: &[String],
    parent: Option<&IndexEntry>,
    segment: &str,
) -> NotFound {
    let typed = wanted.join(" ");
    let mut scored: Vec<(f64, &IndexEntry)> = children(index, parent.map(|p| &*p.id))
        .chain(if parent.is_none() {
            Box::new(index.topics.iter()) as Box<dyn Iterator<Item = _>>
        } else {
            Box::new(std::iter::empty())
        })
        .map(|entry| (similarity(segment, last_segment(&entry.id)), entry))
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let mut suggestions: Vec<String> = Vec::new();
    for (_, entry) in scored {
        if !suggestions.iter().any(|s| *s == entry.id) {
            suggestions.push(entry.id.to_string());
        }
    }
    suggestions.truncate(3);
    let listing = match parent {
        Some(parent) => format!(
            "run 'cyoda help {}' to list its topics",
            parent.id.replace('.', " ")
        ),
        None => "run 'cyoda help' to list the topics".to_string(),
    };
    let message = match suggestions.as_slice() {
        [] => format!("no help topic \"{typed}\"; {listing}"),
        some => {
            let names = some
                .iter()
                .map(|id| format!("'cyoda help {}'", id.replace('.', " ")))
                .collect::<Vec<_>>();
            format!(
                "no help topic \"{typed}\"; did you mean {}? ({listing})",
                names.join(" or ")
            )
        }
    };
    NotFound {
        message,
        suggestions,
    }
}

/// Similarity of two names, case-insensitive, 0 to 1.
fn similarity(typed: &str, known: &str) -> f64 {
    let (typed, known) = (typed.to_lowercase(), known.to_lowercase());
    strsim::jaro_winkler(&typed, &known).max(strsim::normalized_damerau_levenshtein(&typed, &known))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, status: Option<u16>) -> IndexEntry {
        IndexEntry {
            id: id.to_string().into(),
            file: id.to_lowercase().replace('.', "/").into(),
            title: id.to_string().into(),
            tagline: "".into(),
            stability: "stable".into(),
            children: Vec::new().into(),
            status,
            retryable: None,
        }
    }

    fn index() -> TopicIndex {
        TopicIndex {
            version: "0.6.2".into(),
            preview: false,
            topics: vec![
                entry("check", None),
                entry("check.title-mismatch", None),
                entry("errors", None),
                entry("errors.CONFLICT", Some(409)),
                entry("errors.ENTITY_NOT_FOUND", Some(404)),
                entry("errors.IDEMPOTENCY_CONFLICT", Some(409)),
            ]
            .into(),
        }
    }

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    fn found_id(text: &str) -> String {
        let index = index();
        match resolve(&index, &words(text)) {
            Ok(Found::Topic(entry)) => entry.id.to_string(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn accepts_words_dots_slashes_and_any_case() {
        for typed in [
            "errors IDEMPOTENCY_CONFLICT",
            "errors.IDEMPOTENCY_CONFLICT",
            "Errors idempotency_conflict",
            "errors/idempotency_conflict",
            "IDEMPOTENCY_CONFLICT",
        ] {
            assert_eq!(found_id(typed), "errors.IDEMPOTENCY_CONFLICT", "{typed}");
        }
        assert_eq!(found_id("title-mismatch"), "check.title-mismatch");
    }

    #[test]
    fn lists_codes_by_status() {
        let index = index();
        let Ok(Found::Status { status, codes }) = resolve(&index, &words("errors 409")) else {
            panic!()
        };
        assert_eq!(status, 409);
        let ids: Vec<&str> = codes.iter().map(|e| &*e.id).collect();
        assert_eq!(ids, ["errors.CONFLICT", "errors.IDEMPOTENCY_CONFLICT"]);
        let missing = resolve(&index, &words("errors 418")).unwrap_err();
        assert_eq!(
            missing.message,
            "no error code is documented with HTTP 418 (documented statuses: 404, 409)"
        );
    }

    #[test]
    fn suggests_the_closest_sibling() {
        let index = index();
        let missing = resolve(&index, &words("errors IDEMPOTENCY_CONFLCT")).unwrap_err();
        assert_eq!(
            missing.suggestions.first().map(String::as_str),
            Some("errors.IDEMPOTENCY_CONFLICT")
        );
        assert!(
            missing
                .message
                .contains("did you mean 'cyoda help errors IDEMPOTENCY_CONFLICT'"),
            "{}",
            missing.message
        );
        assert!(
            missing
                .message
                .contains("run 'cyoda help errors' to list its topics"),
            "{}",
            missing.message
        );
    }
}
