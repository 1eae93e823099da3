//! Which finding a result is, without its position: the identity behind SARIF's
//! `partialFingerprints` and GitLab's `fingerprint`, which code-scanning and code-quality
//! services use to tell a finding that moved from a new one.
//!
//! A finding is its rule, the repo-relative path of its input, the response's errorCode and
//! the JSON pointer of the member, hashed ([`finding_hash`]); no line or column, so inserting
//! lines above it keeps its identity. Identical findings in one file (the same NDJSON line
//! twice) are told apart by their occurrence: the first is 1, the next 2, counted in input
//! order by [`Occurrences`], which keeps one counter per distinct finding.
//!
//! The count needs input order, so it belongs to a report's writer, while the hash is
//! computed by its renderer on a worker thread. A renderer therefore writes each result as a
//! frame, `<hash>\t<result without its identity>\n` ([`frame`]), and the writer reads the
//! frames back ([`frames`]), numbers them and completes each result.

use crate::contract::rules::RuleId;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The identity of a finding without its position: rule, repo-relative path, errorCode and
/// JSON pointer, hashed (hex, 32 digits).
pub fn finding_hash(rule: RuleId, path: &str, code: Option<&str>, pointer: Option<&str>) -> String {
    hash_parts(&[
        rule.as_str(),
        path,
        code.unwrap_or(""),
        pointer.unwrap_or(""),
    ])
}

/// The first 16 bytes of SHA-256 over length-prefixed parts, as hex: no two different part
/// lists share an input.
pub fn hash_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.len().to_le_bytes());
        hasher.update(part.as_bytes());
    }
    // Hex by table: a `format!` per byte cost more than the hash.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(32);
    for byte in hasher.finalize().iter().take(16) {
        for nibble in [byte >> 4, byte & 0xf] {
            hex.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    hex
}

/// How many results of each finding hash a report has written so far.
#[derive(Debug, Default)]
pub struct Occurrences {
    seen: HashMap<String, usize>,
}

impl Occurrences {
    /// The occurrence of the next result with `hash`: 1 for the first.
    pub fn next(&mut self, hash: &str) -> usize {
        match self.seen.get_mut(hash) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => {
                self.seen.insert(hash.to_string(), 1);
                1
            }
        }
    }
}

/// Appends one frame: `hash`, a tab, what `write` writes (which must hold no newline: compact
/// JSON never does), a newline.
pub fn frame(out: &mut Vec<u8>, hash: &str, write: impl FnOnce(&mut Vec<u8>)) {
    out.extend_from_slice(hash.as_bytes());
    out.push(b'\t');
    write(out);
    out.push(b'\n');
}

/// The frames of a rendering, as `(hash, rest)`.
pub fn frames(rendered: &[u8]) -> impl Iterator<Item = (&str, &[u8])> {
    // memchr, not a byte-at-a-time split: the writer reads every frame of the run alone, on
    // one thread, so its cost per finding adds to the run's wall time whole.
    let mut rest = rendered;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let (line, after) = rest.split_at(end);
            rest = after.get(1..).unwrap_or_default();
            let Some(tab) = memchr::memchr(b'\t', line) else {
                continue;
            };
            let (hash, partial) = line.split_at(tab);
            if let (Ok(hash), Some(partial)) = (std::str::from_utf8(hash), partial.get(1..)) {
                return Some((hash, partial));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_count_per_hash() {
        let mut seen = Occurrences::default();
        assert_eq!(
            [
                seen.next("a"),
                seen.next("b"),
                seen.next("a"),
                seen.next("a")
            ],
            [1, 1, 2, 3]
        );
    }

    #[test]
    fn frames_round_trip() {
        let mut out = Vec::new();
        frame(&mut out, "h1", |o| o.extend_from_slice(b"{\"a\":1"));
        frame(&mut out, "h2", |o| o.extend_from_slice(b"{\"b\":\"x\\ty\""));
        let read: Vec<(&str, &[u8])> = frames(&out).collect();
        assert_eq!(
            read,
            [("h1", &b"{\"a\":1"[..]), ("h2", &b"{\"b\":\"x\\ty\""[..])]
        );
    }

    #[test]
    fn parts_are_length_prefixed() {
        assert_ne!(hash_parts(&["ab", "c"]), hash_parts(&["a", "bc"]));
        assert_eq!(hash_parts(&["x"]).len(), 32);
        // The first 16 bytes of the SHA-256, as lowercase hex.
        let mut hasher = Sha256::new();
        hasher.update(1usize.to_le_bytes());
        hasher.update(b"x");
        let digest = hasher.finalize();
        let expected: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        assert_eq!(hash_parts(&["x"]), expected);
    }
}
