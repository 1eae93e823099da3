//! Terminal facts the renderers need: whether to colour, how wide to wrap, and how to make
//! untrusted text safe to print. The decisions
//! follow the common conventions: `--color`, then `NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR=0`,
//! whether the stream is a terminal at all, and `TERM=dumb`; `COLUMNS`, then the terminal's
//! width, then 80.
//!
//! The decisions are pure functions of an [`Env`] snapshot so they can be tested without
//! touching the process environment; `use_color` and `wrap_width` read the real one.

use std::borrow::Cow;

/// When to colour: `--color` as the CLI parsed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The environment variables that steer colour and width, read once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Env {
    /// `NO_COLOR` set to anything but the empty string.
    pub no_color: bool,
    /// `CLICOLOR_FORCE` set to anything but the empty string or `0`.
    pub clicolor_force: bool,
    /// `CLICOLOR=0`: the user asked for no colour unless forced.
    pub clicolor_off: bool,
    /// `TERM`, when set.
    pub term: Option<String>,
    /// `COLUMNS`, when set.
    pub columns: Option<String>,
}

impl Env {
    /// Reads the process environment.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        Env {
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            clicolor_force: var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0"),
            clicolor_off: var("CLICOLOR").is_some_and(|v| v == "0"),
            term: var("TERM"),
            columns: var("COLUMNS"),
        }
    }
}

/// Whether output to a stream should carry ANSI styles.
pub fn color_decision(choice: ColorChoice, is_terminal: bool, env: &Env) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env.no_color {
                false
            } else if env.clicolor_force {
                true
            } else if env.clicolor_off || !is_terminal {
                false
            } else {
                // A terminal without TERM, or a dumb one, cannot be trusted with escapes.
                env.term
                    .as_deref()
                    .is_some_and(|t| !t.is_empty() && t != "dumb")
            }
        }
    }
}

/// The width to wrap at: `COLUMNS` when it is a sensible number (20 to 1000), else the
/// terminal's width when stdout is one (`terminal_width`), else 80.
pub fn width_decision(is_terminal: bool, terminal_width: Option<u16>, env: &Env) -> usize {
    if let Some(columns) = env
        .columns
        .as_deref()
        .and_then(|v| v.trim().parse::<usize>().ok())
        && (20..=1000).contains(&columns)
    {
        return columns;
    }
    if is_terminal
        && let Some(width) = terminal_width
        && width >= 20
    {
        return usize::from(width);
    }
    80
}

/// Whether output to a stream should carry ANSI styles, from the process environment.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    color_decision(choice, is_terminal, &Env::from_process())
}

/// The width to wrap text at, from the process environment and the terminal.
pub fn wrap_width(is_terminal: bool) -> usize {
    let terminal_width = is_terminal.then(|| termimad::terminal_size().0);
    width_decision(is_terminal, terminal_width, &Env::from_process())
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
    // Printable ASCII, the common case, needs no look at each character.
    if crate::contract::text::is_printable_ascii(text.as_bytes())
        || !text.chars().any(is_unsafe_char)
    {
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
    fn escapes_controls_and_bidi() {
        assert_eq!(escape_controls("plain é"), "plain é");
        assert_eq!(escape_controls("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(escape_controls("x\u{202e}y\tz"), "x\\u{202e}y\\u{9}z");
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        let get = |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        Env {
            no_color: get("NO_COLOR").is_some_and(|v| !v.is_empty()),
            clicolor_force: get("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0"),
            clicolor_off: get("CLICOLOR") == Some("0"),
            term: get("TERM").map(str::to_string),
            columns: get("COLUMNS").map(str::to_string),
        }
    }

    #[test]
    fn flag_beats_environment() {
        let forced = env(&[("CLICOLOR_FORCE", "1"), ("TERM", "xterm")]);
        assert!(!color_decision(ColorChoice::Never, true, &forced));
        let no_color = env(&[("NO_COLOR", "1")]);
        assert!(color_decision(ColorChoice::Always, false, &no_color));
    }

    #[test]
    fn auto_follows_the_conventions() {
        let auto =
            |pairs: &[(&str, &str)], tty: bool| color_decision(ColorChoice::Auto, tty, &env(pairs));
        assert!(auto(&[("TERM", "xterm-256color")], true));
        assert!(!auto(&[("TERM", "xterm-256color")], false), "piped");
        assert!(!auto(&[("TERM", "dumb")], true));
        assert!(!auto(&[], true), "no TERM");
        assert!(!auto(&[("TERM", "xterm"), ("NO_COLOR", "1")], true));
        assert!(
            auto(&[("TERM", "xterm"), ("NO_COLOR", "")], true),
            "empty NO_COLOR"
        );
        assert!(auto(&[("CLICOLOR_FORCE", "1")], false));
        assert!(auto(&[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")], true));
        assert!(!auto(&[("CLICOLOR_FORCE", "0")], false));
        assert!(!auto(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], false));
        assert!(!auto(&[("CLICOLOR", "0"), ("TERM", "xterm")], true));
    }

    #[test]
    fn width_prefers_columns_then_the_terminal() {
        assert_eq!(width_decision(false, None, &env(&[])), 80);
        assert_eq!(width_decision(true, Some(132), &env(&[])), 132);
        assert_eq!(width_decision(false, Some(132), &env(&[])), 80, "piped");
        assert_eq!(
            width_decision(true, Some(132), &env(&[("COLUMNS", "60")])),
            60
        );
        assert_eq!(
            width_decision(true, Some(132), &env(&[("COLUMNS", "abc")])),
            132
        );
        assert_eq!(width_decision(false, None, &env(&[("COLUMNS", "5")])), 80);
        assert_eq!(width_decision(true, Some(0), &env(&[])), 80, "unknown size");
    }
}
