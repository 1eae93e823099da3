//! `cyoda help -k WORDS`: topics ranked by how well they match, like `man -k`.

use crate::help::store;
use crate::topics::model::{IndexEntry, TopicIndex};

/// Topics mentioning every word (case-insensitive), best first. The id and tagline weigh
/// more than the body; among equal scores a shorter id wins (the words cover more of it:
/// `errors.IDEMPOTENCY_CONFLICT` before `check.idempotency-conflict-missed`), then tree order.
pub fn search<'a>(index: &'a TopicIndex, words: &[String]) -> Vec<&'a IndexEntry> {
    let words: Vec<String> = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, &IndexEntry)> = Vec::new();
    for (position, entry) in index.topics.iter().enumerate() {
        let id = entry.id.to_lowercase();
        let heading = format!("{} {}", entry.title, entry.tagline).to_lowercase();
        let body = store::markdown(entry).to_lowercase();
        let mut score = 0;
        let mut all = true;
        for word in &words {
            let in_id = id.contains(word.as_str());
            let in_heading = heading.contains(word.as_str());
            let in_body = body.matches(word.as_str()).count();
            if !in_id && !in_heading && in_body == 0 {
                all = false;
                break;
            }
            score += usize::from(in_id) * 100 + usize::from(in_heading) * 20 + in_body.min(10);
        }
        if all {
            scored.push((score, position, entry));
        }
    }
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.2.id.len().cmp(&b.2.id.len()))
            .then(a.1.cmp(&b.1))
    });
    scored.into_iter().map(|(_, _, entry)| entry).collect()
}
