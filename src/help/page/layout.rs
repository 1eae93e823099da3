//! termimad's layout of a block of markdown (`FmtText::from(skin, block, Some(width))`: parse,
//! measure, wrap to the width, justify code blocks), redone in well under half the instructions.
//!
//! termimad measures every piece of every line with `str::width`, then to wrap a line measures
//! every character again, once to cut it into word tokens and once per token, and keeps one
//! piece per token; on the longest page that was 1.6 M of 3.7 M instructions. Here a piece of
//! printable ASCII is as wide as it is long, so only other pieces are measured (with
//! termimad's own unicode-width), each character once, and a token is appended to the piece
//! before it when both lie side by side in the page and share a style. Tables stay with
//! termimad, and so do blocks whose code lines need wrapping: termimad fits tables to the
//! width and justifies code blocks after wrapping, an order this pass does not repeat.
//!
//! The result must be termimad's, piece for piece once its word pieces are joined:
//! `tests::layout_matches_termimad` proves it on generated blocks (lists, quotes, styles, wide
//! and zero-width characters) and the parent module's tests on every page at six widths.
//! Mirror any change in termimad's `text.rs`, `line.rs`, `code.rs`, `fit/wrap.rs` or
//! `tokens.rs` here when upgrading it.

use termimad::minimad::{self, Alignment, Compound, Line};
use termimad::wrap::composite_kind_widths;
use termimad::{
    CompositeKind, FmtComposite, FmtLine, ListItemsIndentationMode, MadSkin, Spacing,
    ordered_item_indent,
};
use unicode_width_termimad::{UnicodeWidthChar, UnicodeWidthStr};

/// The lines of termimad's layout of `block` at `width`, word pieces joined; `None` when the
/// block holds a table or a code line too long for the width. Like termimad, it needs a line
/// wider than its indentation, which every width cyoda uses (20 and more) is.
pub fn layout<'s>(block: &'s str, width: usize, skin: &MadSkin) -> Option<Vec<FmtLine<'s>>> {
    let mut lines = Vec::new();
    for line in minimad::parse_text(block, minimad::Options::default()).lines {
        lines.push(match line {
            Line::Normal(composite) => {
                let kind = CompositeKind::from(composite.style);
                FmtLine::Normal(FmtComposite {
                    visible_length: visible_length(kind, &composite.compounds, skin),
                    kind,
                    compounds: composite.compounds,
                    spacing: None,
                })
            }
            // As termimad's `FmtLine::from`: no fence survives parsing a whole text.
            Line::HorizontalRule | Line::CodeFence(_) => FmtLine::HorizontalRule,
            Line::TableRow(_) | Line::TableRule(_) => return None,
        });
    }
    let mut lines = wrap_lines(block, lines, width, skin)?;
    justify_code_blocks(&mut lines);
    Some(lines)
}

/// termimad's `visible_composite_length`, measuring printable ASCII by its length.
fn visible_length(kind: CompositeKind, compounds: &[Compound<'_>], skin: &MadSkin) -> usize {
    let text: usize = compounds.iter().map(|c| width_of(c.src)).sum();
    text + skin.visible_composite_length(kind, &[])
}

/// `str::width` as termimad computes it.
fn width_of(text: &str) -> usize {
    if is_plain(text) {
        text.len()
    } else {
        text.width()
    }
}

/// Only printable ASCII: one column a byte, and only the space is blank.
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

/// termimad's `code::justify_blocks`: the lines of each run of code lines are padded to the
/// widest one.
fn justify_code_blocks(lines: &mut [FmtLine<'_>]) {
    let code_width = |line: &FmtLine<'_>| match line {
        FmtLine::Normal(composite) if composite.kind == CompositeKind::Code => {
            Some(composite.visible_length)
        }
        _ => None,
    };
    let mut start = 0;
    while start < lines.len() {
        let run = lines
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|line| code_width(line).is_some())
            .count();
        let widest = lines
            .get(start..start + run)
            .unwrap_or_default()
            .iter()
            .filter_map(code_width)
            .max();
        for line in lines.get_mut(start..start + run).unwrap_or_default() {
            if let (FmtLine::Normal(composite), Some(width)) = (line, widest) {
                composite.spacing = Some(Spacing {
                    width,
                    align: Alignment::Left,
                });
            }
        }
        start += run.max(1);
    }
}

/// termimad's `hard_wrap_lines`; `None` when a code line needs wrapping.
fn wrap_lines<'s>(
    source: &'s str,
    lines: Vec<FmtLine<'s>>,
    width: usize,
    skin: &MadSkin,
) -> Option<Vec<FmtLine<'s>>> {
    let margins = |composite: &FmtComposite<'_>| {
        let (left, right) = skin.line_style(composite.kind).margins_in(Some(width));
        left + right
    };
    let too_long =
        |composite: &FmtComposite<'_>| composite.visible_length + margins(composite) > width;
    let ours = lines.iter().all(|line| match line {
        FmtLine::Normal(composite) => {
            let (first, other) = composite_kind_widths(composite.kind, skin);
            !(composite.kind == CompositeKind::Code && too_long(composite))
                && margins(composite) + first.max(other) + 3 <= width
        }
        FmtLine::HorizontalRule => true,
        FmtLine::TableRow(_) | FmtLine::TableRule(_) => false,
    });
    if !ours {
        return None;
    }
    let mut wrapped = Vec::with_capacity(lines.len());
    for line in lines {
        match line {
            FmtLine::Normal(composite) if too_long(&composite) => {
                let inner = width - margins(&composite);
                let cut = wrap_composite(source, &composite, inner, skin);
                wrapped.extend(cut.into_iter().map(FmtLine::Normal));
            }
            line => wrapped.push(line),
        }
    }
    Some(wrapped)
}

/// `composite` cut into lines of at most `width` columns (termimad's `hard_wrap_composite`);
/// `source` is the markdown its pieces point into.
fn wrap_composite<'s>(
    source: &'s str,
    composite: &FmtComposite<'s>,
    width: usize,
    skin: &MadSkin,
) -> Vec<FmtComposite<'s>> {
    let (first_width, other_widths) = composite_kind_widths(composite.kind, skin);
    let mut lines = Vec::new();
    let mut line = FmtComposite {
        kind: composite.kind,
        compounds: Vec::new(),
        visible_length: first_width,
        spacing: composite.spacing,
    };

    // termimad's "clean cut": two pieces, or two separated by blanks, that each fit a line.
    let clean_cut = match composite.compounds.as_slice() {
        [first, last] => Some((first, last)),
        [first, gap, last] if gap.src.chars().all(char::is_whitespace) => Some((first, last)),
        _ => None,
    }
    .filter(|(first, last)| {
        width_of(first.src) + first_width <= width && width_of(last.src) + other_widths <= width
    });
    if let Some((first, last)) = clean_cut {
        line.add_compound(first.clone());
        let mut next = follow_up(&line, skin);
        lines.push(line);
        next.add_compound(last.clone());
        lines.push(next);
        return lines;
    }

    for token in tokens(&composite.compounds, width.saturating_sub(first_width)) {
        if line.visible_length + token.width > width {
            // A blank at a line break is dropped.
            if !token.blank {
                let next = follow_up(&line, skin);
                lines.push(std::mem::replace(&mut line, next));
                append(source, &mut line, &token);
            }
        } else {
            append(source, &mut line, &token);
        }
    }
    lines.push(line);
    lines
}

/// A run of blanks or of other characters within one piece, at most as wide as a line.
struct Token<'s> {
    piece: Compound<'s>,
    blank: bool,
    /// The sum of its characters' widths, as termimad's tokenizer counts it.
    width: usize,
    /// Only printable ASCII: `str::width` is then its length.
    plain: bool,
}

/// termimad's `tokenize`.
fn tokens<'s>(compounds: &[Compound<'s>], max_width: usize) -> Vec<Token<'s>> {
    let bytes: usize = compounds.iter().map(|c| c.src.len()).sum();
    let mut tokens: Vec<Token<'s>> = Vec::with_capacity(bytes / 4 + 1);
    for compound in compounds {
        if compound
            .src
            .bytes()
            .all(|b| b == b' ' || b.is_ascii_graphic())
        {
            plain_tokens(compound, max_width, &mut tokens);
            continue;
        }
        let mut current: Option<(usize, usize, bool, usize, bool)> = None; // start, end, blank, width, plain
        for (at, c) in compound.src.char_indices() {
            let blank = c.is_whitespace() && !compound.code;
            let plain = c == ' ' || c.is_ascii_graphic();
            let width = if plain { 1 } else { c.width().unwrap_or(0) };
            if let Some((_, end, token_blank, token_width, token_plain)) = current.as_mut()
                && *token_blank == blank
                && *token_width + width <= max_width
            {
                *end += c.len_utf8();
                *token_width += width;
                *token_plain &= plain;
                continue;
            }
            if let Some(token) = current.replace((at, at + c.len_utf8(), blank, width, plain)) {
                tokens.push(token_of(compound, token));
            }
        }
        if let Some(token) = current {
            tokens.push(token_of(compound, token));
        }
    }
    tokens
}

/// `tokenize` on a piece of printable ASCII, where every character is one column wide and
/// only the space is blank: runs of spaces and of the rest, cut every `max_width` bytes.
fn plain_tokens<'s>(compound: &Compound<'s>, max_width: usize, tokens: &mut Vec<Token<'s>>) {
    let bytes = compound.src.as_bytes();
    let max_width = max_width.max(1);
    let mut start = 0;
    while let Some(&first) = bytes.get(start) {
        let blank = first == b' ' && !compound.code;
        let run = bytes
            .get(start..)
            .unwrap_or_default()
            .iter()
            .position(|&b| (b == b' ' && !compound.code) != blank)
            .unwrap_or(bytes.len() - start);
        let end = start + run.min(max_width);
        tokens.push(token_of(compound, (start, end, blank, end - start, true)));
        start = end;
    }
}

fn token_of<'s>(
    compound: &Compound<'s>,
    (start, end, blank, width, plain): (usize, usize, bool, usize, bool),
) -> Token<'s> {
    Token {
        piece: compound.sub(start, end),
        blank,
        width,
        plain,
    }
}

/// Adds a token to a line, joined to the piece before it when they lie side by side in
/// `source` and share a style (the same characters in the same style either way).
fn append<'s>(source: &'s str, line: &mut FmtComposite<'s>, token: &Token<'s>) {
    line.visible_length += if token.plain {
        token.piece.src.len()
    } else {
        width_of(token.piece.src)
    };
    if let Some(last) = line.compounds.last_mut()
        && let Some(joined) = join(source, last, &token.piece)
    {
        last.src = joined;
        return;
    }
    line.compounds.push(token.piece.clone());
}

/// `first` and `second` as one piece, when `second` starts where `first` ends in `source` and
/// both share a style. `get` also proves that both lie in `source`: a piece termimad made up
/// (an ellipsis) never joins.
pub fn join<'s>(source: &'s str, first: &Compound<'s>, second: &Compound<'s>) -> Option<&'s str> {
    let base = source.as_ptr() as usize;
    let start = (first.src.as_ptr() as usize).wrapping_sub(base);
    let end = start.wrapping_add(first.src.len());
    let adjacent = second.src.as_ptr() as usize == base.wrapping_add(end);
    let same_style = (first.bold, first.italic, first.code, first.strikeout)
        == (second.bold, second.italic, second.code, second.strikeout);
    if !adjacent || !same_style {
        return None;
    }
    source.get(start..end.checked_add(second.src.len())?)
}

/// termimad's `follow_up_composite`: the empty line that continues a wrapped one.
fn follow_up<'s>(line: &FmtComposite<'s>, skin: &MadSkin) -> FmtComposite<'s> {
    let kind = match line.kind {
        CompositeKind::ListItem(depth) => CompositeKind::ListItemFollowUp(depth),
        CompositeKind::OrderedListItem { level, index } => {
            CompositeKind::OrderedListItemFollowUp { level, index }
        }
        kind => kind,
    };
    let block = skin.list_items_indentation_mode == ListItemsIndentationMode::Block;
    let visible_length = match kind {
        CompositeKind::ListItemFollowUp(depth) if block => 2 + depth as usize,
        CompositeKind::OrderedListItemFollowUp { level, index } if block => {
            ordered_item_indent(level, index)
        }
        CompositeKind::Quote => 2,
        _ => 0,
    };
    FmtComposite {
        kind,
        compounds: Vec::new(),
        visible_length,
        spacing: line.spacing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::page::{generated, rejoin_words};
    use termimad::FmtText;

    #[test]
    fn layout_matches_termimad() {
        let mut compared = 0;
        for skin in generated::skins() {
            for (n, block) in generated::blocks().iter().enumerate() {
                let width = 12 + n % 60;
                let Some(ours) = layout(block, width, &skin) else {
                    continue;
                };
                let mut theirs = FmtText::from(&skin, block, Some(width));
                rejoin_words(block, &mut theirs.lines);
                assert_eq!(
                    format!("{ours:#?}"),
                    format!("{:#?}", theirs.lines),
                    "{block:?} at width {width}"
                );
                compared += 1;
            }
        }
        // Most blocks take our path (only over-long code lines and tables do not).
        assert!(compared > 600, "{compared}");
    }

    #[test]
    fn pieces_join_only_when_adjacent_in_the_source_and_styled_alike() {
        let source = "abcdef";
        let elsewhere = String::from("def");
        let piece = |src| Compound {
            src,
            bold: false,
            italic: false,
            code: false,
            strikeout: false,
        };
        let (abc, def) = (piece(&source[..3]), piece(&source[3..]));
        assert_eq!(join(source, &abc, &def), Some("abcdef"));
        assert_eq!(join(source, &def, &abc), None);
        assert_eq!(join(source, &abc, &piece(elsewhere.as_str())), None);
        assert_eq!(
            join(&source[..3], &abc, &def),
            None,
            "the second piece is outside"
        );
        let mut bold = def.clone();
        bold.bold = true;
        assert_eq!(join(source, &abc, &bold), None);
    }

    #[test]
    fn tables_and_over_long_code_are_left_to_termimad() {
        let skin = MadSkin::default();
        for block in [
            "|a|b|\n|-|-|\n|1|2|\n",
            "```\na code line far longer than twenty\n```\n",
        ] {
            let unwrapped = FmtText::from(&skin, block, None);
            assert!(
                wrap_lines(block, unwrapped.lines, 20, &skin).is_none(),
                "{block}"
            );
        }
        let fits = "```\nshort\n```\nprose long enough to need wrapping at twenty\n";
        let unwrapped = FmtText::from(&skin, fits, None);
        assert!(wrap_lines(fits, unwrapped.lines, 20, &skin).is_some());
    }
}
