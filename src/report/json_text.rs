//! JSON text for the machine reports, terminal-safe: inside strings every character a terminal
//! would act on ([`crate::term::is_unsafe_char`]: C0 and C1 controls, DEL, bidi and invisible
//! formatting characters) is a `\uXXXX` escape. The decoded value is the same, so consumers
//! are unaffected; a person who runs `--format json` on a terminal sees the escape, not its
//! effect.
//!
//! Two ways in, one output: [`to_writer_terminal_safe`] serializes any `Serialize` value
//! through serde_json (heads, summaries, rule metadata: written once a run), and [`Object`]
//! writes an object straight into a buffer (a result per finding, the hot path of a run with
//! thousands of findings: serde's per-field machinery cost more than checking the response).
//! Both escape exactly alike; the tests hold [`Object`] to serde_json's output.

use crate::contract::text::skip_plain_json;
use std::io;

/// Writes `value` as compact JSON, as `serde_json::to_writer` would, with the terminal-safe
/// string escapes.
pub fn to_writer_terminal_safe<W: io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, TerminalSafe);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// serde_json's compact formatter with the escapes of [`to_writer_terminal_safe`] (serde
/// escapes C0 and the JSON specials itself; this adds the rest).
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Fast path: most strings are plain ASCII.
        if fragment.bytes().all(|b| b < 0x7f) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| crate::term::is_unsafe_char(c))
        {
            let (plain, tail) = rest.split_at(at);
            writer.write_all(plain.as_bytes())?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = tail.get(c.len_utf8()..).unwrap_or_default();
        }
        writer.write_all(rest.as_bytes())
    }
}

/// `text` as a JSON string, escaped as [`to_writer_terminal_safe`] escapes it.
pub fn string(out: &mut Vec<u8>, text: &str) {
    string_of(out, &[text]);
}

/// The concatenation of `parts` as one JSON string, without building it first.
pub fn string_of(out: &mut Vec<u8>, parts: &[&str]) {
    out.push(b'"');
    for part in parts {
        escaped(out, part);
    }
    out.push(b'"');
}

/// The content of a JSON string holding `text`, without the quotes.
pub fn escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // Nearly every string is plain: one vectorized pass proves it, one copy writes it.
    if crate::contract::text::every_byte(bytes, is_plain) {
        out.extend_from_slice(bytes);
        return;
    }
    // Runs of plain printable ASCII are copied whole; only what needs a look is looked at.
    let mut plain_from = 0;
    let mut at = skip_plain_json::<true>(bytes, 0);
    while let Some(&byte) = bytes.get(at) {
        if is_plain(byte) {
            at = skip_plain_json::<true>(bytes, at + 1);
            continue;
        }
        let (width, escape) = if byte < 0x80 {
            (1, Some(char::from(byte)))
        } else {
            // A lead byte: `at` is always on a character boundary.
            let c = text
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .unwrap_or('\u{fffd}');
            (c.len_utf8(), crate::term::is_unsafe_char(c).then_some(c))
        };
        if let Some(c) = escape {
            out.extend_from_slice(bytes.get(plain_from..at).unwrap_or_default());
            escape_char(out, c);
            plain_from = at + width;
        }
        at += width;
    }
    out.extend_from_slice(bytes.get(plain_from..).unwrap_or_default());
}

/// Printable ASCII that a JSON string holds as itself.
fn is_plain(byte: u8) -> bool {
    // Bitwise `&`: no branches, so `every_byte` vectorizes.
    (0x20..0x7f).contains(&byte) & (byte != b'"') & (byte != b'\\')
}

/// One character as serde_json escapes it (short forms for the JSON specials), or as a
/// `\uXXXX` escape per UTF-16 unit.
fn escape_char(out: &mut Vec<u8>, c: char) {
    let short: &[u8] = match c {
        '"' => b"\\\"",
        '\\' => b"\\\\",
        '\u{8}' => b"\\b",
        '\u{c}' => b"\\f",
        '\n' => b"\\n",
        '\r' => b"\\r",
        '\t' => b"\\t",
        _ => b"",
    };
    if !short.is_empty() {
        out.extend_from_slice(short);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        out.extend_from_slice(b"\\u");
        for shift in [12, 8, 4, 0] {
            let digit = HEX.get(usize::from((*unit >> shift) & 0xf)).copied();
            out.push(digit.unwrap_or(b'0'));
        }
    }
}

/// A JSON object written member by member into a buffer. Member names are our own literals,
/// written as given.
pub struct Object<'o> {
    out: &'o mut Vec<u8>,
    empty: bool,
}

impl<'o> Object<'o> {
    /// Opens an object (`{`).
    pub fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, empty: true }
    }

    /// Writes the name of the next member and returns the buffer for its value.
    pub fn member(&mut self, name: &str) -> &mut Vec<u8> {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    pub fn str(&mut self, name: &str, value: &str) -> &mut Self {
        string(self.member(name), value);
        self
    }

    /// A string of our own whose characters need no escaping (a rule id, a severity): written
    /// as it is.
    pub fn plain_str(&mut self, name: &str, value: &'static str) -> &mut Self {
        debug_assert!(value.bytes().all(is_plain), "{value:?} needs escaping");
        let out = self.member(name);
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
        self
    }

    /// A string made of `parts`.
    pub fn str_of(&mut self, name: &str, parts: &[&str]) -> &mut Self {
        string_of(self.member(name), parts);
        self
    }

    /// A string, or `null`.
    pub fn opt_str(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => string(self.member(name), value),
            None => self.member(name).extend_from_slice(b"null"),
        }
        self
    }

    pub fn number(&mut self, name: &str, value: usize) -> &mut Self {
        let mut digits = itoa::Buffer::new();
        self.member(name)
            .extend_from_slice(digits.format(value).as_bytes());
        self
    }

    /// A number, or `null`.
    pub fn opt_number(&mut self, name: &str, value: Option<usize>) -> &mut Self {
        match value {
            Some(value) => self.number(name, value),
            None => {
                self.member(name).extend_from_slice(b"null");
                self
            }
        }
    }

    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        let text: &[u8] = if value { b"true" } else { b"false" };
        self.member(name).extend_from_slice(text);
        self
    }

    /// Writes `}` and hands the buffer back.
    pub fn close(self) -> &'o mut Vec<u8> {
        self.out.push(b'}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(text: &str) -> String {
        let mut out = Vec::new();
        to_writer_terminal_safe(&mut out, text).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn ours(text: &str) -> String {
        let mut out = Vec::new();
        string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_escape_as_serde_with_the_terminal_escapes() {
        for text in [
            "",
            "plain ASCII, the common case",
            "quote \" backslash \\ slash /",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1b}[31m\u{1f}\u{7f}",
            "é ü 日本 🎉 at the end: é",
            "C1 \u{85}\u{9b} bidi \u{202e}x\u{2066} zero width \u{200b} bom \u{feff}",
            "tag \u{e0041} (a supplementary-plane format character)",
            "\u{2028}line separator\u{2029}",
        ] {
            assert_eq!(ours(text), serde(text), "{text:?}");
        }
        assert_eq!(ours("\u{202e}"), "\"\\u202e\"");
        assert_eq!(ours("\u{e0041}"), "\"\\udb40\\udc41\"");
    }

    /// Whatever word of eight a special character falls in, and wherever in it.
    #[test]
    fn every_position_of_a_special_character() {
        for special in [
            '"', '\\', '\n', '\u{1f}', '\u{7f}', 'é', '\u{9b}', '\u{202e}', '🎉',
        ] {
            for at in 0..24 {
                let mut text: String = "abcdefghijklmnopqrstuvwx".into();
                text.insert(at, special);
                assert_eq!(ours(&text), serde(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn objects_are_compact_json() {
        let mut out = Vec::new();
        let mut object = Object::open(&mut out);
        object
            .str("a", "x\"y")
            .opt_str("b", None)
            .number("c", 12_345)
            .opt_number("d", None)
            .bool("e", true);
        object.member("f").extend_from_slice(b"[]");
        object.close();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":"x\"y","b":null,"c":12345,"d":null,"e":true,"f":[]}"#
        );
    }
}
