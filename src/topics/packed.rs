//! A version's catalog, lookup index and payload, each as a run of text fields written as the
//! field's length in bytes, `:`, and the text (`5:0.8.3`; numbers and flags in decimal).
//! build.rs packs each part of every version into a file the binary embeds with
//! `include_str!`; `crate::catalog` unpacks a part the first time a run asks for it (a help
//! page needs the index, a check the catalog). Length prefixes rather than separators: a
//! reader jumps from field to field without scanning the text, and no text needs escaping.
//!
//! Why text and not Rust statics: a static that holds `&str`s is an array of pointers, and in a
//! position-independent binary the loader relocates every one of them at start-up, writing to
//! (and so copying) every page they sit on. Twelve versions of statics were 13,000 relocations
//! and 100 copied pages, a quarter of a `cyoda help` run. A packed version is one pointer, and
//! its fields are slices of it: unpacking allocates the lists, never the text.

use crate::contract::catalog::{
    Catalog, Elsewhere, ErrorContract, PropertyType, Retryability, SuggestionCache, Text,
    TicketRule,
};
use crate::topics::model::{IndexEntry, TopicIndex};
use std::borrow::Cow;

/// Packs a version's catalog.
pub fn pack_catalog(catalog: &Catalog) -> String {
    let mut out = Packer(String::new());
    out.text(&catalog.version);
    out.flag(catalog.preview);
    out.count(catalog.codes.len());
    for contract in catalog.codes.iter() {
        out.text(&contract.code);
        out.number(contract.status);
        out.text(&contract.title);
        out.text(contract.retryable.as_str());
        out.text(contract.ticket.as_str());
        out.flag(contract.reserved);
        out.count(contract.properties.len());
        for (name, kind) in contract.properties.iter() {
            out.text(name);
            out.text(kind.as_str());
        }
        out.texts(&contract.see_also);
        out.texts(&contract.server_notes);
    }
    out.count(catalog.elsewhere.len());
    for other in catalog.elsewhere.iter() {
        out.text(&other.code);
        out.text(&other.note);
    }
    out.0
}

/// Packs a version's lookup index.
pub fn pack_index(index: &TopicIndex) -> String {
    let mut out = Packer(String::new());
    out.text(&index.version);
    out.flag(index.preview);
    out.count(index.topics.len());
    for entry in index.topics.iter() {
        out.text(&entry.id);
        out.text(&entry.file);
        out.text(&entry.title);
        out.text(&entry.tagline);
        out.text(&entry.stability);
        out.texts(&entry.children);
        out.flag(entry.status.is_some());
        out.number(entry.status.unwrap_or_default());
        out.flag(entry.retryable.is_some());
        out.text(entry.retryable.as_deref().unwrap_or_default());
    }
    out.0
}

/// Packs the page variants of a version's HelpPayload.
pub fn pack_payload(payload: &[&str]) -> String {
    let mut out = Packer(String::new());
    out.count(payload.len());
    for file in payload {
        out.text(file);
    }
    out.0
}

// The unpackers are total: a missing or malformed field reads as empty, zero or false, so a
// corrupt embedding shows wrong facts rather than ending the process; the tests unpack every
// embedded version and compare it with what the compiler derives.

/// Unpacks what [`pack_catalog`] wrote.
pub fn unpack_catalog(packed: &'static str) -> Catalog {
    let mut fields = Fields { rest: packed };
    let version = fields.text();
    let preview = fields.flag();
    let codes = fields.list(|f| ErrorContract {
        code: f.text(),
        status: f.number(),
        title: f.text(),
        retryable: Retryability::parse(&f.text()).unwrap_or(Retryability::No),
        ticket: TicketRule::parse(&f.text()).unwrap_or(TicketRule::Absent),
        reserved: f.flag(),
        properties: f
            .list(|f| {
                let name = f.text();
                let kind = PropertyType::parse(&f.text()).unwrap_or(PropertyType::String);
                (name, kind)
            })
            .into(),
        see_also: f.texts(),
        server_notes: f.texts(),
    });
    let elsewhere = fields.list(|f| Elsewhere {
        code: f.text(),
        note: f.text(),
    });
    Catalog {
        version,
        preview,
        codes: codes.into(),
        elsewhere: elsewhere.into(),
        suggestions: SuggestionCache::new(),
    }
}

/// Unpacks what [`pack_index`] wrote.
pub fn unpack_index(packed: &'static str) -> TopicIndex {
    let mut fields = Fields { rest: packed };
    let version = fields.text();
    let preview = fields.flag();
    let topics = fields.list(|f| IndexEntry {
        id: f.text(),
        file: f.text(),
        title: f.text(),
        tagline: f.text(),
        stability: f.text(),
        children: f.texts(),
        status: {
            let present = f.flag();
            let status = f.number();
            present.then_some(status)
        },
        retryable: {
            let present = f.flag();
            let retryable = f.text();
            present.then_some(retryable)
        },
    });
    TopicIndex {
        version,
        preview,
        topics: topics.into(),
    }
}

/// Unpacks what [`pack_payload`] wrote.
pub fn unpack_payload(packed: &'static str) -> Vec<&'static str> {
    Fields { rest: packed }.list(Fields::field)
}

struct Packer(String);

impl Packer {
    fn text(&mut self, text: &str) {
        use std::fmt::Write;
        let _ = write!(self.0, "{}:{text}", text.len());
    }

    fn texts(&mut self, texts: &[Text]) {
        self.count(texts.len());
        texts.iter().for_each(|text| self.text(text));
    }

    fn number(&mut self, number: impl std::fmt::Display) {
        self.text(&number.to_string());
    }

    fn count(&mut self, count: usize) {
        self.number(count);
    }

    fn flag(&mut self, flag: bool) {
        self.text(if flag { "1" } else { "0" });
    }
}

struct Fields {
    rest: &'static str,
}

impl Fields {
    /// The next field; empty, and nothing left, where the text is not what [`pack`] writes.
    fn field(&mut self) -> &'static str {
        // A hand-written digit loop: this runs for every field of a version on every start.
        let mut length: usize = 0;
        let mut colon = 0;
        loop {
            match self.rest.as_bytes().get(colon) {
                Some(&digit @ b'0'..=b'9') => {
                    length = length
                        .saturating_mul(10)
                        .saturating_add(usize::from(digit - b'0'));
                    colon += 1;
                }
                Some(b':') if colon > 0 => break,
                _ => return self.corrupt(),
            }
        }
        let start = colon + 1;
        let Some((head, rest)) = self.rest.split_at_checked(start.saturating_add(length)) else {
            return self.corrupt();
        };
        self.rest = rest;
        head.get(start..).unwrap_or_default()
    }

    fn corrupt(&mut self) -> &'static str {
        self.rest = "";
        ""
    }

    fn text(&mut self) -> Text {
        Cow::Borrowed(self.field())
    }

    fn number<N: std::str::FromStr + Default>(&mut self) -> N {
        self.field().parse().unwrap_or_default()
    }

    fn flag(&mut self) -> bool {
        self.field() == "1"
    }

    /// A count, then that many items. The count is bounded by what is left to read (each item
    /// takes at least two bytes), so a corrupt one cannot ask for a huge allocation.
    fn list<T>(&mut self, mut each: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let count = self.number::<usize>().min(self.rest.len() / 2);
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(each(self));
        }
        items
    }

    fn texts(&mut self) -> Cow<'static, [Text]> {
        Cow::Owned(self.list(Self::text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak(text: String) -> &'static str {
        Box::leak(text.into_boxed_str())
    }

    #[test]
    fn every_version_the_compiler_derives_unpacks_to_itself() {
        let compiled = crate::topics::compile(std::path::Path::new("help"))
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        let derived = &compiled.derived;
        for build in &derived.versions {
            let files = derived.payload_files(build);
            let catalog = unpack_catalog(leak(pack_catalog(&build.catalog)));
            assert_eq!(catalog.version, build.catalog.version);
            assert_eq!(catalog.preview, build.catalog.preview);
            assert_eq!(catalog.codes, build.catalog.codes);
            assert_eq!(catalog.elsewhere, build.catalog.elsewhere);
            assert_eq!(unpack_index(leak(pack_index(&build.index))), build.index);
            assert_eq!(unpack_payload(leak(pack_payload(&files))), files);
        }
    }

    #[test]
    fn optional_fields_and_empty_text_survive() {
        let index = TopicIndex {
            version: "0.6.2".into(),
            preview: true,
            topics: vec![
                IndexEntry {
                    id: "errors.CONFLICT".into(),
                    file: "errors/conflict.1".into(),
                    title: "".into(),
                    tagline: "a \"quoted\"\nline — é".into(),
                    stability: "stable".into(),
                    children: vec!["errors.CONFLICT.more".into(), "".into()].into(),
                    status: Some(409),
                    retryable: Some("".into()),
                },
                IndexEntry {
                    id: "errors".into(),
                    file: "errors.1".into(),
                    title: "Errors".into(),
                    tagline: "".into(),
                    stability: "".into(),
                    children: Cow::Borrowed(&[]),
                    status: None,
                    retryable: None,
                },
            ]
            .into(),
        };
        assert_eq!(unpack_index(leak(pack_index(&index))), index);
        assert_eq!(unpack_payload(leak(pack_payload(&["a", ""]))), ["a", ""]);
        let catalog = Catalog::new("0.6.2", true, Vec::new(), Vec::new());
        assert!(unpack_catalog(leak(pack_catalog(&catalog))).preview);
    }

    #[test]
    fn text_that_looks_like_fields_stays_text() {
        let catalog = Catalog::new("3:abc1:0", false, Vec::new(), Vec::new());
        let unpacked = unpack_catalog(leak(pack_catalog(&catalog)));
        assert_eq!(unpacked.version, "3:abc1:0");
        assert_eq!(unpack_payload(leak(pack_payload(&["x:y"]))), ["x:y"]);
    }

    #[test]
    fn corrupt_input_reads_as_empty_and_never_allocates_a_bogus_count() {
        let catalog = unpack_catalog("5:0.6.21:120:18446744073709551615");
        assert_eq!(catalog.version, "0.6.2");
        assert!(catalog.preview);
        assert!(catalog.codes.is_empty());
        for corrupt in [
            "",
            "9:short",
            "x:1",
            "3",
            "99999999999999999999999:a",
            "2:é",
        ] {
            assert!(unpack_index(corrupt).topics.is_empty());
            assert!(unpack_payload(corrupt).is_empty());
            assert!(unpack_catalog(corrupt).codes.is_empty());
        }
    }
}
