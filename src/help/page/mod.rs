//! A markdown page drawn for the terminal with termimad: wrapped to the width, styled or plain,
//! with no padding left at line ends.
//!
//! A help page is mostly process start-up; the rest is termimad's layout and drawing, so this
//! module keeps that cheap (measured with callgrind; see bench/README.md):
//! - the page is laid out one block (the lines between two blank lines) at a time, so the
//!   working memory stays that of one block. A block lays out the same alone as within its
//!   page, because no markdown construct termimad knows spans a blank line except a code
//!   fence, which `blocks` keeps whole;
//! - `layout` redoes termimad's layout with fewer measurements, and without termimad's one
//!   piece per word;
//! - `draw` draws it as termimad does, formatting each style's escape sequences once.
//!
//! Drawing half the blocks on a second thread was measured too: creating the thread cost more
//! than it saved, even on the longest page.

mod draw;
#[cfg(test)]
mod generated;
mod layout;

use draw::Drawer;
use termimad::crossterm::style::{Attribute, Color};
use termimad::minimad::Compound;
use termimad::{Alignment, FmtLine, FmtText, MadSkin};

/// Draws markdown for a terminal `width` columns wide, styled or plain.
pub fn terminal(markdown: &str, width: usize, color: bool) -> String {
    let skin = skin(color);
    let mut drawer = Drawer::new(&skin, width);
    let mut page = String::with_capacity(markdown.len() + markdown.len() / 2);
    let mut drawn = String::new();
    for block in blocks(markdown) {
        match block {
            Block::Blank => page.push('\n'),
            Block::Text(block) => {
                drawn.clear();
                for line in &layout(&skin, block, width).lines {
                    drawer.line(&mut drawn, line);
                }
                for line in drawn.lines() {
                    page.push_str(&trim_line_end(line));
                    page.push('\n');
                }
            }
        }
    }
    page
}

/// termimad's layout of one block, word pieces joined: `FmtText::from(skin, block, Some(width))`
/// done by `layout`, or by termimad itself where the two could differ.
fn layout<'k, 's>(skin: &'k MadSkin, block: &'s str, width: usize) -> FmtText<'k, 's> {
    if let Some(lines) = layout::layout(block, width, skin) {
        return FmtText {
            skin,
            lines,
            width: Some(width),
        };
    }
    let mut text = skin.text(block, Some(width));
    rejoin_words(block, &mut text.lines);
    text
}

/// A piece of a page: a run of non-blank lines (a code fence, blank lines and all, counts as
/// one run), or one blank line.
#[derive(Debug, PartialEq, Eq)]
enum Block<'a> {
    Text(&'a str),
    Blank,
}

fn blocks(markdown: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut start = 0; // where the current run began
    let mut offset = 0;
    let mut in_fence = false;
    for line in markdown.split_inclusive('\n') {
        let end = offset + line.len();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.trim().is_empty() {
            if let Some(run) = markdown.get(start..offset).filter(|run| !run.is_empty()) {
                blocks.push(Block::Text(run));
            }
            blocks.push(Block::Blank);
            start = end;
        }
        offset = end;
    }
    if let Some(run) = markdown.get(start..).filter(|run| !run.is_empty()) {
        blocks.push(Block::Text(run));
    }
    blocks
}

/// Joins neighbouring pieces of each line back into one, where they are adjacent in `source`
/// and styled alike, as `layout` does: for the blocks termimad lays out itself (it cuts a
/// wrapped paragraph into one piece per word and space). A joined piece draws the same
/// characters in the same style.
fn rejoin_words<'s>(source: &'s str, lines: &mut [FmtLine<'s>]) {
    let rejoin = |pieces: &mut Vec<Compound<'s>>| {
        pieces.dedup_by(
            |next, previous| match layout::join(source, previous, next) {
                Some(joined) => {
                    previous.src = joined;
                    true
                }
                None => false,
            },
        );
    };
    for line in lines {
        match line {
            FmtLine::Normal(composite) => rejoin(&mut composite.compounds),
            FmtLine::TableRow(row) => row.cells.iter_mut().for_each(|c| rejoin(&mut c.compounds)),
            FmtLine::TableRule(_) | FmtLine::HorizontalRule => {}
        }
    }
}

/// A line without the padding termimad leaves at its end: trailing spaces, and the styles
/// wrapped around them. When a style sequence goes, one reset closes the line instead.
fn trim_line_end(line: &str) -> std::borrow::Cow<'_, str> {
    let mut end = line.len();
    let mut dropped_style = false;
    loop {
        let rest = &line[..end];
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
    let mut trimmed = line[..end].to_string();
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

fn skin(color: bool) -> MadSkin {
    let mut skin = if color {
        MadSkin::default()
    } else {
        MadSkin::no_style()
    };
    for header in &mut skin.headers {
        header.align = Alignment::Left;
    }
    if color {
        skin.headers[0].set_fg(Color::Cyan);
        skin.headers[1].add_attr(Attribute::Bold);
        skin.headers[1].set_fg(Color::Yellow);
        skin.inline_code.set_fg(Color::Green);
        skin.inline_code.set_bg(Color::Reset);
        skin.code_block.set_fg(Color::Green);
        skin.code_block.set_bg(Color::Reset);
        skin.bold.set_fg(Color::White);
    }
    skin
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::store;

    /// Every embedded page in the terminal markdown it is drawn from.
    fn every_page() -> Vec<(String, &'static str)> {
        let pages: Vec<_> = store::index()
            .topics
            .iter()
            .map(|entry| (entry.id.to_string(), store::terminal_markdown(entry)))
            .collect();
        assert!(pages.len() > 50 && pages.iter().all(|(_, page)| !page.is_empty()));
        pages
    }

    /// termimad's own layout of a whole page (its wrapping, its order of work), word pieces
    /// joined.
    fn termimad_layout<'k, 's>(
        skin: &'k MadSkin,
        markdown: &'s str,
        width: usize,
    ) -> FmtText<'k, 's> {
        let mut text = skin.text(markdown, Some(width));
        rejoin_words(markdown, &mut text.lines);
        text
    }

    /// What termimad draws for the whole page at once, padding trimmed the same way.
    fn drawn_whole(markdown: &str, width: usize, color: bool) -> String {
        let skin = skin(color);
        let text = termimad_layout(&skin, markdown, width).to_string();
        text.lines()
            .map(|line| format!("{}\n", trim_line_end(line)))
            .collect()
    }

    /// Each visible character of a layout with the style flags it is drawn with.
    fn styled_chars(text: &FmtText<'_, '_>) -> Vec<Vec<(char, [bool; 4])>> {
        let compounds = |pieces: &[Compound<'_>]| -> Vec<(char, [bool; 4])> {
            pieces
                .iter()
                .flat_map(|piece| {
                    let style = [piece.bold, piece.italic, piece.code, piece.strikeout];
                    piece.src.chars().map(move |c| (c, style))
                })
                .collect()
        };
        text.lines
            .iter()
            .map(|line| match line {
                FmtLine::Normal(composite) => compounds(&composite.compounds),
                FmtLine::TableRow(row) => row
                    .cells
                    .iter()
                    .flat_map(|c| compounds(&c.compounds))
                    .collect(),
                FmtLine::TableRule(_) | FmtLine::HorizontalRule => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn every_page_draws_as_termimad_draws_it_whole() {
        for (id, markdown) in every_page() {
            for width in [20, 29, 37, 51, 80, 132] {
                for color in [false, true] {
                    assert_eq!(
                        terminal(markdown, width, color),
                        drawn_whole(markdown, width, color),
                        "{id} at width {width}, color {color}"
                    );
                }
            }
        }
    }

    #[test]
    fn joining_word_pieces_keeps_every_character_and_its_style() {
        let skin = skin(true);
        for (id, markdown) in every_page() {
            for width in [20, 80] {
                let pieces = skin.text(markdown, Some(width));
                let joined = termimad_layout(&skin, markdown, width);
                assert_eq!(
                    styled_chars(&joined),
                    styled_chars(&pieces),
                    "{id} at {width}"
                );
                let count = |text: &FmtText<'_, '_>| -> usize {
                    text.lines
                        .iter()
                        .map(|line| match line {
                            FmtLine::Normal(composite) => composite.compounds.len(),
                            _ => 0,
                        })
                        .sum()
                };
                assert!(count(&joined) <= count(&pieces), "{id} at {width}");
            }
        }
    }

    #[test]
    fn a_wrapped_bold_phrase_is_one_styled_run_per_line() {
        let page = terminal("**one two three four five six seven**\n", 20, true);
        let lines: Vec<&str> = page.lines().collect();
        assert_eq!(lines.len(), 2, "{page:?}");
        for line in lines {
            // One style switched on, one switched off: not one pair per word.
            assert_eq!(line.matches("\x1b[38;5;15m").count(), 1, "{line:?}");
        }
    }

    #[test]
    fn blocks_split_at_blank_lines_but_never_inside_a_fence() {
        let markdown = "# T\n\npara one\nline two\n\n```\ncode\n\nmore code\n```\n\nend";
        assert_eq!(
            blocks(markdown),
            [
                Block::Text("# T\n"),
                Block::Blank,
                Block::Text("para one\nline two\n"),
                Block::Blank,
                Block::Text("```\ncode\n\nmore code\n```\n"),
                Block::Blank,
                Block::Text("end"),
            ]
        );
        assert_eq!(blocks(""), []);
        assert_eq!(blocks("\n\n"), [Block::Blank, Block::Blank]);
    }

    #[test]
    fn line_ends_lose_padding_and_its_styles() {
        assert_eq!(trim_line_end("word  "), "word");
        assert_eq!(trim_line_end("word"), "word");
        assert_eq!(
            trim_line_end("\x1b[32mcode\x1b[39m\x1b[32m    \x1b[39m"),
            "\x1b[32mcode\x1b[0m"
        );
        assert_eq!(trim_line_end("   "), "");
    }

    #[test]
    fn plain_pages_have_no_trailing_spaces() {
        let page = terminal(
            "# t\n\nsome words that wrap around the edge of a narrow page\n",
            20,
            false,
        );
        assert!(page.lines().all(|l| !l.ends_with(' ')), "{page:?}");
    }
}
