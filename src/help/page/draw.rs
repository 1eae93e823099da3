//! Drawing laid-out lines as termimad's `Display for FmtText` draws them, with each style's
//! escape sequences formatted once instead of once per piece.
//!
//! termimad writes every piece through crossterm's `StyledContent` and `core::fmt`: on the
//! longest page that was 0.9 M of 2.8 M instructions. crossterm surrounds a piece with a
//! prefix and a suffix that depend on the style alone, so `Drawer` asks crossterm for them once
//! per style and then only copies text. Paragraphs, headers, code and bulleted list items are
//! drawn here; any other line (numbered items, quotes, rules, tables) and any skin with special
//! characters goes to termimad's own `write_fmt_line`.
//!
//! `tests::drawing_matches_termimad` proves the bytes equal termimad's, on every page and on
//! generated blocks. Mirror any change in termimad's `MadSkin::write_fmt_composite` here.

use std::fmt::{self, Write as _};
use termimad::{
    CompositeKind, CompoundStyle, FmtComposite, FmtLine, ListItemsIndentationMode, MadSkin, Spacing,
};

/// Draws lines for one skin and width; remembers each style's escape sequences.
pub struct Drawer<'k> {
    skin: &'k MadSkin,
    width: usize,
    /// Each style met so far, with what crossterm writes before and after a piece in it.
    styles: Vec<(CompoundStyle, String, String)>,
    bullet: String,
}

impl<'k> Drawer<'k> {
    pub fn new(skin: &'k MadSkin, width: usize) -> Self {
        Drawer {
            skin,
            width,
            styles: Vec::new(),
            bullet: skin.bullet.to_string(),
        }
    }

    /// Appends `line` and a newline to `out`, as `FmtText`'s `Display` writes it.
    pub fn line(&mut self, out: &mut String, line: &FmtLine<'_>) {
        match line {
            FmtLine::Normal(composite) if self.draws(composite.kind) => {
                self.composite(out, composite);
            }
            line => {
                // Writing to a String cannot fail.
                let _ = write!(out, "{}", TermimadLine(self.skin, line, self.width));
            }
        }
        out.push('\n');
    }

    fn draws(&self, kind: CompositeKind) -> bool {
        let kinds = matches!(
            kind,
            CompositeKind::Paragraph
                | CompositeKind::Header(_)
                | CompositeKind::Code
                | CompositeKind::ListItem(_)
                | CompositeKind::ListItemFollowUp(_)
        );
        kinds && self.skin.special_chars.is_empty()
    }

    /// termimad's `write_fmt_composite(f, composite, Some(width), false, true)`.
    fn composite(&mut self, out: &mut String, composite: &FmtComposite<'_>) {
        let skin = self.skin;
        let line_style = skin.line_style(composite.kind);
        let (left_margin, right_margin) = line_style.margins_in(Some(self.width));
        let (left_inner, right_inner) = composite.completions();
        let inner_width = composite
            .spacing
            .map_or(composite.visible_length, |spacing| spacing.width);
        let (left_outer, _) = Spacing::optional_completions(
            line_style.align,
            inner_width + left_margin + right_margin,
            Some(self.width),
        );
        let paragraph = &skin.paragraph.compound_style;
        self.spaces(out, paragraph, left_outer + left_margin);
        self.spaces(out, &line_style.compound_style, left_inner);
        match composite.kind {
            CompositeKind::ListItem(depth) => {
                for _ in 0..depth {
                    self.styled(out, paragraph, " ");
                }
                out.push_str(&self.bullet);
                self.styled(out, paragraph, " ");
            }
            CompositeKind::ListItemFollowUp(depth)
                if skin.list_items_indentation_mode == ListItemsIndentationMode::Block =>
            {
                for _ in 0..depth + 2 {
                    self.styled(out, paragraph, " ");
                }
            }
            _ => {}
        }
        for piece in &composite.compounds {
            let style = skin.compound_style(line_style, piece);
            self.styled(out, &style, piece.src);
        }
        self.spaces(out, &line_style.compound_style, right_inner);
    }

    /// termimad's `repeat_space`: one styled run of `count` spaces, nothing for none.
    fn spaces(&mut self, out: &mut String, style: &CompoundStyle, count: usize) {
        if count > 0 {
            self.around(out, style, |out| {
                out.extend(std::iter::repeat_n(' ', count))
            });
        }
    }

    /// `style.apply_to(text)` as crossterm writes it.
    fn styled(&mut self, out: &mut String, style: &CompoundStyle, text: &str) {
        self.around(out, style, |out| out.push_str(text));
    }

    /// What `body` writes, between the sequences crossterm writes before and after `style`.
    fn around(&mut self, out: &mut String, style: &CompoundStyle, body: impl FnOnce(&mut String)) {
        let index = match self.styles.iter().position(|(known, ..)| known == style) {
            Some(index) => index,
            None => {
                self.styles.push(sequences(style));
                self.styles.len() - 1
            }
        };
        if let Some((_, before, after)) = self.styles.get(index) {
            out.push_str(before);
            body(out);
            out.push_str(after);
        }
    }
}

/// What crossterm writes before and after a piece in `style`: the same for any text, so a
/// marker character that no style sequence contains splits them.
fn sequences(style: &CompoundStyle) -> (CompoundStyle, String, String) {
    const MARK: char = '\u{1}';
    let drawn = style.apply_to(MARK).to_string();
    let (before, after) = drawn.split_once(MARK).unwrap_or((&drawn, ""));
    (*style, before.to_string(), after.to_string())
}

/// One line drawn by termimad itself.
struct TermimadLine<'a, 's>(&'a MadSkin, &'a FmtLine<'s>, usize);

impl fmt::Display for TermimadLine<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_fmt_line(f, self.1, Some(self.2), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::page::generated;

    #[test]
    fn drawing_matches_termimad() {
        let mut drawn_here = 0;
        for skin in generated::skins().iter().chain([&super::super::skin(true)]) {
            for (n, block) in generated::blocks().iter().enumerate() {
                let width = 12 + n % 60;
                let text = skin.text(block, Some(width));
                let mut drawer = Drawer::new(skin, width);
                let mut ours = String::new();
                for line in &text.lines {
                    drawer.line(&mut ours, line);
                    drawn_here += usize::from(matches!(
                        line,
                        FmtLine::Normal(composite) if drawer.draws(composite.kind)
                    ));
                }
                assert_eq!(ours, text.to_string(), "{block:?} at width {width}");
            }
        }
        assert!(drawn_here > 2000, "{drawn_here}");
    }

    #[test]
    fn a_style_is_split_around_any_text() {
        let skin = super::super::skin(true);
        let (_, before, after) = sequences(&skin.inline_code);
        assert_eq!(
            format!("{before}some code{after}"),
            skin.inline_code.apply_to("some code").to_string()
        );
        assert!(before.starts_with('\x1b') && after.starts_with('\x1b'));
    }
}
