//! A topic page drawn for the terminal by termimad, through its public API: prose wrapped to
//! the width, code blocks never re-flowed, styled or plain, no padding left at line ends.
//!
//! The markdown comes from the build already normalised for termimad (links spelled out,
//! numbered lists kept as text, escapes written the way minimad reads them), so nothing is
//! parsed here but by termimad itself.
//!
//! termimad wraps every line to the width it is given, code included; a caret diagram or a
//! JSON example cut at the terminal's edge no longer lines up or copies. So a page is drawn as
//! runs: prose at the width, each fenced code block with no width, whole lines however long
//! (the terminal wraps or scrolls them, as it does for any long line).

use termimad::crossterm::style::{Attribute, Color};
use termimad::{Alignment, MadSkin};

/// Draws a termimad-ready markdown page for a terminal `width` columns wide.
pub fn terminal(markdown: &str, width: usize, color: bool) -> String {
    let skin = skin(color);
    let mut page = String::with_capacity(markdown.len() + markdown.len() / 2);
    for run in runs(markdown) {
        let drawn = match run {
            Run::Prose(text) => skin.text(text, Some(width)).to_string(),
            Run::Code(text) => skin.text(text, None).to_string(),
        };
        for line in drawn.lines() {
            page.push_str(&trim_line_end(line));
            page.push('\n');
        }
    }
    page
}

/// A stretch of a page drawn alike.
#[derive(Debug, PartialEq, Eq)]
enum Run<'a> {
    Prose(&'a str),
    /// A fenced code block, fences included.
    Code(&'a str),
}

/// Cuts a page into prose and fenced code blocks; every byte is in exactly one run.
fn runs(markdown: &str) -> Vec<Run<'_>> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut fence_start = None;
    for line in markdown.split_inclusive('\n') {
        let is_fence = line.trim_start().starts_with("```");
        match (fence_start, is_fence) {
            (None, true) => {
                if let Some(prose) = markdown.get(start..offset).filter(|p| !p.is_empty()) {
                    runs.push(Run::Prose(prose));
                }
                fence_start = Some(offset);
            }
            (Some(from), true) => {
                let end = offset + line.len();
                if let Some(code) = markdown.get(from..end) {
                    runs.push(Run::Code(code));
                }
                fence_start = None;
                start = end;
            }
            _ => {}
        }
        offset += line.len();
    }
    // An unclosed fence runs to the end, as termimad reads it.
    let rest = fence_start.unwrap_or(start);
    if let Some(tail) = markdown.get(rest..).filter(|t| !t.is_empty()) {
        runs.push(if fence_start.is_some() {
            Run::Code(tail)
        } else {
            Run::Prose(tail)
        });
    }
    runs
}

/// A line without the padding termimad leaves at its end: trailing spaces, and the styles
/// wrapped around them. When a style sequence goes, one reset closes the line instead.
fn trim_line_end(line: &str) -> std::borrow::Cow<'_, str> {
    let mut end = line.len();
    let mut dropped_style = false;
    loop {
        let rest = line.get(..end).unwrap_or_default();
        if let Some(shorter) = rest.strip_suffix(' ') {
            end = shorter.len();
        } else if let Some(start) = trailing_sgr(rest) {
            end = start;
            dropped_style = true;
        } else {
            break;
        }
    }
    if end == line.len() {
        return line.into();
    }
    let mut trimmed = line.get(..end).unwrap_or_default().to_string();
    if dropped_style {
        trimmed.push_str("\x1b[0m");
    }
    trimmed.into()
}

/// Where a trailing SGR sequence (`ESC [ digits ; … m`) starts, if the text ends with one.
fn trailing_sgr(text: &str) -> Option<usize> {
    let body = text.strip_suffix('m')?;
    let params = body.trim_end_matches(|c: char| c.is_ascii_digit() || c == ';');
    params.strip_suffix("\x1b[").map(str::len)
}

/// The skin: bold and italic as attributes, and the terminal's own palette colours (the
/// first eight, which every theme, light or dark, defines to read on its background) for
/// headings and code. No background colours, no greys or bright white picked for a dark
/// background.
fn skin(color: bool) -> MadSkin {
    let mut skin = MadSkin::no_style();
    for header in &mut skin.headers {
        header.align = Alignment::Left;
    }
    if color {
        skin.bold.add_attr(Attribute::Bold);
        skin.italic.add_attr(Attribute::Italic);
        for header in &mut skin.headers {
            header.add_attr(Attribute::Bold);
        }
        skin.headers[0].set_fg(Color::DarkCyan);
        skin.headers[1].set_fg(Color::DarkYellow);
        skin.inline_code.set_fg(Color::DarkGreen);
        skin.code_block.set_fg(Color::DarkGreen);
    }
    skin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_keep_every_byte_and_cut_at_fences() {
        let page = "# t\n\nSome prose.\n\n```json\n{\"a\": 1}\n\n```\nMore.\n```\nopen";
        let runs = runs(page);
        assert_eq!(
            runs,
            [
                Run::Prose("# t\n\nSome prose.\n\n"),
                Run::Code("```json\n{\"a\": 1}\n\n```\n"),
                Run::Prose("More.\n"),
                Run::Code("```\nopen"),
            ]
        );
    }

    #[test]
    fn code_lines_stay_whole_and_prose_wraps() {
        let caret = format!("  |{}^^^^ expected 409", " ".repeat(70));
        let page = format!(
            "## NOTES\n\n{}\n\n```text\n{caret}\n```\n",
            "word ".repeat(30).trim_end()
        );
        for color in [false, true] {
            let drawn = terminal(&page, 40, color);
            assert!(drawn.contains(&caret), "{drawn}");
            let prose_lines = drawn.lines().filter(|l| l.contains("word")).count();
            assert!(prose_lines >= 4, "{drawn}");
        }
        let plain = terminal(&page, 40, false);
        assert!(plain.lines().all(|l| !l.ends_with(' ')), "{plain:?}");
        assert!(!plain.contains('\x1b'));
    }

    #[test]
    fn escaped_markers_print_as_themselves() {
        assert_eq!(
            terminal("2 \\* 3 and a\\|b\n", 80, false),
            "2 * 3 and a|b\n"
        );
    }

    #[test]
    fn colour_uses_the_basic_palette_and_no_backgrounds() {
        let drawn = terminal("# t\n\n**bold** and `code`\n\n```\nblock\n```\n", 80, true);
        assert!(drawn.contains("\x1b[1m"), "{drawn:?}");
        for forced in ["48;", "38;5;15", "38;5;2"] {
            // 38;5;2 is allowed only as the dark green it is; backgrounds and white never.
            if forced == "38;5;2" {
                continue;
            }
            assert!(!drawn.contains(forced), "{forced} in {drawn:?}");
        }
        for colour in drawn.match_indices("38;5;").map(|(at, _)| &drawn[at + 5..]) {
            let index: String = colour.chars().take_while(char::is_ascii_digit).collect();
            assert!(index.parse::<u8>().is_ok_and(|i| i < 8), "{colour:?}");
        }
    }

    #[test]
    fn line_ends_lose_padding_and_its_styles() {
        assert_eq!(trim_line_end("text   "), "text");
        assert_eq!(
            trim_line_end("\x1b[32mcode  \x1b[0m  "),
            "\x1b[32mcode\x1b[0m"
        );
        assert_eq!(trim_line_end("plain"), "plain");
    }
}
