//! The version catalogs and lookup indices as Rust source. build.rs writes it to
//! `$OUT_DIR/catalog.rs` and `crate::catalog` includes it: every run needs one version's
//! facts and index, and a static costs nothing at start-up (parsing them from JSON cost about
//! a third of a markdown page's run time), and cannot fail to load.

use crate::contract::catalog::{Catalog, ErrorContract, ServerNote};
use crate::topics::derive::Derived;
use crate::topics::model::{IndexEntry, TopicIndex};
use std::fmt::Write;

/// Items `VERSIONS: [VersionData; N]`, `DEFAULT: usize`, `SERVER_NOTES` and `CHANGES_INTRO`,
/// in terms of types the including module imports (`Cow`, `Catalog`, `ErrorContract`,
/// `Elsewhere`, `SuggestionCache`, `ServerNote`, `PropertyType`, `Retryability`, `TicketRule`,
/// `TopicIndex`, `IndexEntry`, `VersionData`). `default` is the index of the default version.
pub fn catalog_source(derived: &Derived, default: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "pub static VERSIONS: [VersionData; {}] = [",
        derived.versions.len()
    );
    for build in &derived.versions {
        out.push_str("    VersionData {\n        catalog: ");
        catalog(&mut out, &build.catalog);
        out.push_str(",\n        index: ");
        index(&mut out, &build.index);
        out.push_str(",\n        payload: &[");
        let files: Vec<String> = build
            .payload
            .iter()
            .filter_map(|&at| derived.pages.get(at))
            .map(|page| format!("{:?}", page.file))
            .collect();
        out.push_str(&files.join(", "));
        out.push_str("],\n    },\n");
    }
    out.push_str("];\n");
    let _ = writeln!(out, "pub const DEFAULT: usize = {default};");
    out.push_str("pub static SERVER_NOTES: &[ServerNote] = &[\n");
    for note in &derived.notes {
        server_note(&mut out, note);
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "pub static CHANGES_INTRO: &str = {:?};",
        derived.changes_intro
    );
    out
}

fn catalog(out: &mut String, catalog: &Catalog) {
    let _ = writeln!(
        out,
        "Catalog {{ version: {}, preview: {}, codes: Cow::Borrowed(&[",
        borrowed(&catalog.version),
        catalog.preview
    );
    for contract in catalog.codes.iter() {
        error_contract(out, contract);
    }
    out.push_str("        ]), elsewhere: Cow::Borrowed(&[\n");
    for other in catalog.elsewhere.iter() {
        let _ = writeln!(
            out,
            "            Elsewhere {{ code: {}, note: {} }},",
            borrowed(&other.code),
            borrowed(&other.note)
        );
    }
    out.push_str("        ]), suggestions: SuggestionCache::new() }");
}

fn error_contract(out: &mut String, contract: &ErrorContract) {
    let properties: Vec<String> = contract
        .properties
        .iter()
        .map(|(name, kind)| format!("({}, PropertyType::{kind:?})", borrowed(name)))
        .collect();
    let list = |items: &[crate::contract::catalog::Text]| {
        items
            .iter()
            .map(|t| borrowed(t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "            ErrorContract {{ code: {}, status: {}, title: {}, retryable: Retryability::{:?}, \
         ticket: TicketRule::{:?}, reserved: {}, properties: Cow::Borrowed(&[{}]), \
         see_also: Cow::Borrowed(&[{}]), server_notes: Cow::Borrowed(&[{}]) }},",
        borrowed(&contract.code),
        contract.status,
        borrowed(&contract.title),
        contract.retryable,
        contract.ticket,
        contract.reserved,
        properties.join(", "),
        list(&contract.see_also),
        list(&contract.server_notes),
    );
}

fn server_note(out: &mut String, note: &ServerNote) {
    let _ = writeln!(
        out,
        "    ServerNote {{ tag: {}, code: {}, note: {}, ended: {} }},",
        borrowed(&note.tag),
        borrowed(&note.code),
        borrowed(&note.note),
        borrowed(&note.ended)
    );
}

/// A Rust expression of type `TopicIndex`.
pub fn index_source(index: &TopicIndex) -> String {
    let mut out = String::new();
    self::index(&mut out, index);
    out
}

fn index(out: &mut String, index: &TopicIndex) {
    let _ = writeln!(
        out,
        "TopicIndex {{\n            version: {},\n            preview: {},\n            topics: Cow::Borrowed(&[",
        borrowed(&index.version),
        index.preview
    );
    for entry in index.topics.iter() {
        entry_source(out, entry);
    }
    out.push_str("            ]),\n        }");
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
        "                IndexEntry {{ id: {}, file: {}, title: {}, tagline: {}, stability: {}, \
         children: Cow::Borrowed(&[{}]), status: {status}, retryable: {retryable} }},",
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
            preview: false,
            topics: vec![IndexEntry {
                id: "errors.CONFLICT".into(),
                file: "errors/conflict.1".into(),
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
            "preview: false,",
            r#"id: Cow::Borrowed("errors.CONFLICT"),"#,
            r#"file: Cow::Borrowed("errors/conflict.1"),"#,
            r#"children: Cow::Borrowed(&[Cow::Borrowed("errors.CONFLICT.more")]),"#,
            "status: Some(409),",
            r#"retryable: Some(Cow::Borrowed("yes"))"#,
        ] {
            assert!(source.contains(expected), "{expected} not in {source}");
        }
    }
}
