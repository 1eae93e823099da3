//! Terminal facts the renderers need: whether to colour and how wide to wrap. The decisions
//! follow the common conventions: `--color`, then `NO_COLOR`, `CLICOLOR_FORCE`, `TERM=dumb`, and
//! whether the stream is a terminal at all.

use crate::cli::ColorChoice;

/// Whether output to a stream should carry ANSI styles.
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
                is_terminal && anstyle_query::term_supports_color()
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
