//! Making text taken from a response safe to show: escapes what a terminal would interpret or
//! hide, and shortens what would flood a diagnostic.
//!
//! Used for every value a rule message quotes, and reused by the report layer for snippets. It
//! must stay free of terminal knowledge (colour, width): it only decides which characters are
//! shown as `\u{..}` and where a long value is cut.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Longest text, in characters, shown before it is cut with `…`.
pub const DISPLAY_LIMIT: usize = 80;

/// Whether `c` must not reach a terminal as itself: C0 and C1 controls (ESC included), DEL,
/// bidirectional embeddings, overrides and isolates (which reorder what follows them, the
/// "Trojan Source" trick), and zero-width or other invisible format characters (which hide text).
pub fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{206a}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Whether every byte is printable ASCII (space to `~`): text that needs no escaping and whose
/// characters are bytes and columns.
pub fn is_printable_ascii(bytes: &[u8]) -> bool {
    every_byte(bytes, |b| (0x20..0x7f).contains(&b))
}

/// Whether `test` holds for every byte. Checked sixteen bytes at a time without an early
/// exit inside a block, which the compiler turns into vector compares; a byte-at-a-time `all`
/// cost ~3 instructions a byte on the hot path of every snippet, message and JSON string.
pub fn every_byte(bytes: &[u8], test: impl Fn(u8) -> bool + Copy) -> bool {
    let mut blocks = bytes.chunks_exact(16);
    blocks
        .by_ref()
        .all(|block| block.iter().fold(true, |all, &b| all & test(b)))
        && blocks.remainder().iter().all(|&b| test(b))
}

/// Skips JSON string content that needs no look, eight bytes at a time (SWAR): bytes other
/// than `"`, `\\` and the control bytes below 0x20 — and, with `ASCII_ONLY`, other than DEL
/// and every non-ASCII byte too. Returns where a byte-wise scan should continue: the start of
/// the word holding the first such byte, or of the last few bytes.
///
/// The JSON reader skips string content with it (non-ASCII is content there); the JSON report
/// writer skips what it copies unescaped (it escapes everything else).
pub fn skip_plain_json<const ASCII_ONLY: bool>(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `word` that is zero (exact for the lowest such byte, which
    // is all the caller needs).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let mut stops = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if ASCII_ONLY {
            stops |= zero_bytes(word ^ (ONES * 0x7f)) | (word & HIGH);
        }
        if stops != 0 {
            // Little-endian: the lowest flagged byte is the first stop in the text.
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// `text` with every character of [`needs_escape`] written as `\u{hex}`, cut after
/// [`DISPLAY_LIMIT`] characters with `…`. Borrows when nothing changes (the common case).
pub fn escape_for_display(text: &str) -> Cow<'_, str> {
    // Fast path: short printable ASCII needs neither escaping nor cutting.
    if text.len() <= DISPLAY_LIMIT && is_printable_ascii(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    if !text.chars().any(needs_escape) && text.chars().nth(DISPLAY_LIMIT).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(DISPLAY_LIMIT * 2) + 8);
    write_escaped(&mut out, text, false);
    Cow::Owned(out)
}

/// `text` in double quotes for a message: as [`escape_for_display`], and `"` and `\` are
/// backslash-escaped too so that the quoting (and a literal `\u{..}` in the text) stays
/// unambiguous.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(DISPLAY_LIMIT * 2) + 10);
    out.push('"');
    write_escaped(&mut out, text, true);
    out.push('"');
    out
}

fn write_escaped(out: &mut String, text: &str, quotes: bool) {
    for (count, c) in text.chars().enumerate() {
        if count == DISPLAY_LIMIT {
            out.push('…');
            return;
        }
        if needs_escape(c) {
            // Writing into a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else if quotes && (c == '"' || c == '\\') {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word skip stops exactly at the first byte that needs a look, or where fewer than
    /// eight bytes are left, in both modes, wherever the scan starts.
    #[test]
    fn skip_plain_json_stops_at_the_first_byte_that_needs_a_look() {
        fn stop(byte: u8, ascii_only: bool) -> bool {
            byte == b'"' || byte == b'\\' || byte < 0x20 || (ascii_only && byte >= 0x7f)
        }
        fn expected(bytes: &[u8], at: usize, ascii_only: bool) -> usize {
            let tail = at + (bytes.len() - at) / 8 * 8;
            let first = (at..bytes.len()).find(|&i| stop(bytes[i], ascii_only));
            first.filter(|&i| i < tail).unwrap_or(tail)
        }
        let text = "plain words, then \"quoted\" and \\ and\ttab; caf\u{e9} \u{7f} end of the line";
        let bytes = text.as_bytes();
        for at in 0..bytes.len() {
            assert_eq!(
                skip_plain_json::<false>(bytes, at),
                expected(bytes, at, false),
                "{at}"
            );
            assert_eq!(
                skip_plain_json::<true>(bytes, at),
                expected(bytes, at, true),
                "{at}"
            );
        }
    }

    #[test]
    fn printable_ascii_is_space_to_tilde_at_every_position() {
        assert!(is_printable_ascii(b""));
        let plain = [b'a'; 40];
        assert!(is_printable_ascii(&plain));
        for len in [1, 15, 16, 17, 33, 40] {
            for at in 0..len {
                for bad in [0x00, 0x1f, 0x7f, 0x80, 0xff, b'\t', b'\n'] {
                    let mut bytes = plain[..len].to_vec();
                    bytes[at] = bad;
                    assert!(!is_printable_ascii(&bytes), "{bad:#x} at {at} of {len}");
                }
            }
        }
        assert!(is_printable_ascii(b" ~"));
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(escape_for_display("Conflict"), Cow::Borrowed(_)));
        assert!(matches!(
            escape_for_display("Konflikt – ß"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn controls_bidi_and_invisibles_are_escaped() {
        assert_eq!(escape_for_display("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(
            escape_for_display("\0\n\t\u{7f}\u{85}"),
            "\\u{0}\\u{a}\\u{9}\\u{7f}\\u{85}"
        );
        assert_eq!(
            escape_for_display("x\u{202e}y\u{2066}"),
            "x\\u{202e}y\\u{2066}"
        );
        assert_eq!(
            escape_for_display("a\u{200b}b\u{feff}"),
            "a\\u{200b}b\\u{feff}"
        );
    }

    #[test]
    fn long_text_is_cut() {
        let long = "x".repeat(200);
        let shown = escape_for_display(&long);
        assert_eq!(shown.chars().count(), DISPLAY_LIMIT + 1);
        assert!(shown.ends_with('…'));
        let exact = "y".repeat(DISPLAY_LIMIT);
        assert_eq!(escape_for_display(&exact), exact.as_str());
    }

    #[test]
    fn quote_escapes_quotes_and_backslashes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("\u{1b}"), r#""\u{1b}""#);
    }
}
