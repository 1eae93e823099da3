//! What build.rs writes for `crate::catalog`: `$OUT_DIR/catalog.rs`, the version list, the
//! default and the `server_notes` descriptions as Rust statics, and beside it one packed file
//! per version and part (`catalog/<version>.{catalog,index,payload}`, see
//! [`crate::topics::packed`]) that the statics embed. Small statics cost nothing to load; the bulk of every version is packed text, so the
//! loader has no pointers in it to relocate.

use crate::contract::catalog::ServerNote;
use crate::topics::derive::Derived;
use crate::topics::packed;
use std::fmt::Write;

/// What build.rs writes under `$OUT_DIR`.
pub struct Generated {
    /// `catalog.rs`: `DEFAULT: usize`, `KNOWN: [Known; N]`, `SERVER_NOTES` and `CHANGES_INTRO`,
    /// in terms of the types the including module imports (`Cow`, `Known`, `ServerNote`).
    pub source: String,
    /// `(path under $OUT_DIR, contents)` of each version's packed parts.
    pub packed: Vec<(String, String)>,
}

/// The generated files; `default` is the index of the default version.
pub fn catalog_source(derived: &Derived, default: usize) -> Generated {
    let mut out = String::new();
    let mut files = Vec::new();
    let _ = writeln!(out, "pub const DEFAULT: usize = {default};");
    let _ = writeln!(
        out,
        "pub static KNOWN: [Known; {}] = [",
        derived.versions.len()
    );
    for build in &derived.versions {
        let payload = derived.payload_files(build);
        let name = build.catalog.version.as_ref();
        let parts = [
            ("catalog", packed::pack_catalog(&build.catalog)),
            ("index", packed::pack_index(&build.index)),
            ("payload", packed::pack_payload(&payload)),
        ];
        out.push_str("    Known {");
        let _ = write!(out, " name: {name:?}, preview: {},", build.catalog.preview);
        for (part, contents) in parts {
            let path = format!("catalog/{name}.{part}");
            let _ = write!(
                out,
                " {part}: include_str!(concat!(env!(\"OUT_DIR\"), {:?})),",
                format!("/{path}")
            );
            files.push((path, contents));
        }
        out.push_str(" },\n");
    }
    out.push_str("];\n");
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
    Generated {
        source: out,
        packed: files,
    }
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
}
