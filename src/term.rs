//! Terminal facts: whether to colour output, how wide to wrap, and making untrusted text safe
//! to print. Nothing here writes anything.

use crate::cli::ColorChoice;
use std::borrow::Cow;

/// Whether output to a stream should be coloured.
///
/// `--color always` and `--color never` decide alone. `auto` follows the conventions anstream
/// uses: `NO_COLOR` (non-empty) turns colour off; `CLICOLOR_FORCE` (non-zero) turns it on even
/// on a pipe; `CLICOLOR=0` turns it off; otherwise colour is used only on a terminal whose
/// `TERM` is set and not `dumb` (or on CI, which renders colour in its logs).
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if anstyle_query::no_color() {
                false
            } else if anstyle_query::clicolor_force() {
                true
            } else if anstyle_query::clicolor() == Some(false) {
                false
            } else {
                is_terminal
                    && (anstyle_query::term_supports_color()
                        || anstyle_query::clicolor() == Some(true)
                        || anstyle_query::is_ci())
            }
        }
    }
}

/// The width to wrap text at: `COLUMNS` when set to a sensible number, else the terminal's
/// width when stdout is one, else 80.
pub fn wrap_width(is_terminal: bool) -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        && (20..=1000).contains(&columns)
    {
        return columns;
    }
    if is_terminal {
        let (width, _) = termimad::terminal_size();
        if width >= 20 {
            return usize::from(width);
        }
    }
    80
}

/// Whether `c` must not reach a terminal raw: controls, DEL, and the bidirectional and invisible
/// formatting characters that can make displayed text lie about its content. The same set the
/// rules escape in their messages ([`crate::contract::text::needs_escape`]), tabs included.
pub fn is_unsafe_char(c: char) -> bool {
    crate::contract::text::needs_escape(c)
}

/// `text` with every unsafe character (see [`is_unsafe_char`]) written as `\u{…}`; tabs and
/// newlines too, so one message stays one line. Unlike `escape_for_display` nothing is cut: this
/// is for paths and for messages the rules already shortened.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choices_win() {
        assert!(use_color(ColorChoice::Always, false));
        assert!(!use_color(ColorChoice::Never, true));
    }

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(escape_controls("plain é"), "plain é");
        assert_eq!(escape_controls("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(escape_controls("x\u{202e}y\tz"), "x\\u{202e}y\\u{9}z");
    }
}
