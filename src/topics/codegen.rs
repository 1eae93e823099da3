//! The lookup index as Rust source. build.rs writes it to `$OUT_DIR/topic_index.rs` and
//! `help::store` includes it as a `static`: every `cyoda help` call needs the whole index, and
//! a static costs nothing at start-up, where parsing it from JSON cost about a third of a
//! markdown page's run time.

use crate::topics::model::{IndexEntry, TopicIndex};
use std::fmt::Write;

/// A Rust expression of type `TopicIndex`, in terms of `Cow`, `TopicIndex` and `IndexEntry`
/// (the including module imports them).
pub fn index_source(index: &TopicIndex) -> String {
    let mut out = String::from("TopicIndex {\n");
    let _ = writeln!(out, "    version: {},", borrowed(&index.version));
    out.push_str("    topics: Cow::Borrowed(&[\n");
    for entry in index.topics.iter() {
        entry_source(&mut out, entry);
    }
    out.push_str("    ]),\n}\n");
    out
}

fn entry_source(out: &mut String, entry: &IndexEntry) {
    let children: Vec<String> = entry.children.iter().map(|c| borrowed(c)).collect();
    let status = entry
        .status
        .map_or("None".to_string(), |status| format!("Some({status})"));
    let retryable = entry
        .retryable
        .as_ref()
        .map_or("None".to_string(), |r| format!("Some({})", borrowed(r)));
    let _ = writeln!(
        out,
        "        IndexEntry {{\n            id: {},\n            file: {},\n            \
         title: {},\n            tagline: {},\n            stability: {},\n            \
         children: Cow::Borrowed(&[{}]),\n            status: {status},\n            \
         retryable: {retryable},\n        }},",
        borrowed(&entry.id),
        borrowed(&entry.file),
        borrowed(&entry.title),
        borrowed(&entry.tagline),
        borrowed(&entry.stability),
        children.join(", "),
    );
}

/// `Cow::Borrowed("…")`. `str`'s Debug form is a valid Rust string literal: it escapes quotes,
/// backslashes and control characters, and keeps printable text as it is.
fn borrowed(text: &str) -> String {
    format!("Cow::Borrowed({text:?})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_backslashes_and_newlines_become_escapes() {
        assert_eq!(
            borrowed("a \"b\" \\ c\nd — é"),
            r#"Cow::Borrowed("a \"b\" \\ c\nd — é")"#
        );
    }

    #[test]
    fn an_entry_lists_every_field() {
        let index = TopicIndex {
            version: "0.6.2".into(),
            topics: vec![IndexEntry {
                id: "errors.CONFLICT".into(),
                file: "errors/conflict".into(),
                title: "CONFLICT".into(),
                tagline: "a write lost a race".into(),
                stability: "stable".into(),
                children: vec!["errors.CONFLICT.more".into()].into(),
                status: Some(409),
                retryable: Some("yes".into()),
            }]
            .into(),
        };
        let source = index_source(&index);
        for expected in [
            r#"version: Cow::Borrowed("0.6.2"),"#,
            r#"id: Cow::Borrowed("errors.CONFLICT"),"#,
            r#"file: Cow::Borrowed("errors/conflict"),"#,
            r#"children: Cow::Borrowed(&[Cow::Borrowed("errors.CONFLICT.more")]),"#,
            "status: Some(409),",
            r#"retryable: Some(Cow::Borrowed("yes")),"#,
        ] {
            assert!(source.contains(expected), "{expected} not in {source}");
        }
    }
}
