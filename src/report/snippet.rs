//! The source snippets of the human report, drawn the way rustc and cargo draw them:
//!
//! ```text
//!    |
//! 42 |   "status": 400,
//!    |             ^^^ expected 404
//!    |
//!   ::: captured/a.har:17:24
//!    |
//! 17 |   "value": "7f3c"
//!    |            ------ first used here
//!    |
//!    = help: cyoda help errors ENTITY_NOT_FOUND
//! ```
//!
//! # Why not annotate-snippets
//! This is the layout of annotate-snippets (the crate rustc's diagnostics come from), for the
//! one shape our findings have: one line per place, one annotation per line. We drew it with
//! annotate-snippets first, and measured: on 20,000 NDJSON responses with a finding each,
//! its `Renderer::render` took 68,000 instructions a finding (callgrind), four times what
//! reading and checking the whole response takes; the human report ran at 10× the parse-only
//! baseline instead of the 1.5× we hold it to. Its general machinery (a styled character grid,
//! a width lookup per character, multi-line and overlapping annotations) is what a
//! compiler needs and a one-line snippet does not. Drawing the fixed shape directly costs
//! about 2,000 instructions a finding. The tests render every shape through both and require
//! the same bytes, plain and styled, so the output stays what users of rustc and cargo read.
//!
//! Long lines are cut here, not by the drawing: a line wider than [`WIDTH`] columns shows a
//! window of it around the span, with `...` where it was cut. Every character a terminal
//! would act on is escaped first (`\u{1b}`), and a tab shows as one space, so the carets sit
//! under what they point at.

use super::human::Styles;
use crate::term::{escape_controls, is_unsafe_char};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// The widest line shown whole, in columns; a wider one is cut to this.
pub const WIDTH: usize = 120;
/// Columns kept before the span when a line is cut on the left.
const LEAD: usize = 40;

/// One place to show: its line number, the window of the line's text as shown (borrowed from
/// the input when it needed no escaping), whether the line goes on before and after the
/// window, the span (a byte range of `text`) and what to say under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    pub line: usize,
    pub text: Cow<'a, str>,
    pub cut_start: bool,
    pub cut_end: bool,
    pub span: Range<usize>,
    pub label: Option<Cow<'a, str>>,
    /// `text` is printable ASCII, so a byte is a column: the widths need no second look
    /// (each look was a scan of the line; five of them were a tenth of a finding's cost).
    ascii: bool,
}

impl<'a> Place<'a> {
    /// `line`'s text prepared for the terminal: escaped, tabs as spaces, cut to [`WIDTH`]
    /// around `span` (character indices of `line`), a cut shown as `...` (also where the
    /// input itself was only partly in memory: `cut`, at the start and at the end).
    pub fn new(
        number: usize,
        line: &'a str,
        span: Range<usize>,
        cut: (bool, bool),
        label: Option<&'a str>,
    ) -> Place<'a> {
        let (mut text, mut at, ascii) = shown_line(line, &span);
        let (mut cut_start, mut cut_end) = cut;
        let width = columns(&text, ascii);
        if width > WIDTH {
            let start_col = columns(text.get(..at.start).unwrap_or_default(), ascii);
            let first = start_col
                .saturating_sub(LEAD)
                .min(width.saturating_sub(WIDTH));
            let from = byte_at(&text, first, ascii);
            let to = byte_at(&text, first + WIDTH, ascii);
            cut_start |= from > 0;
            cut_end |= to < text.len();
            at = at.start.clamp(from, to) - from..at.end.clamp(from, to) - from;
            text = match text {
                Cow::Borrowed(text) => Cow::Borrowed(text.get(from..to).unwrap_or_default()),
                Cow::Owned(text) => Cow::Owned(text.get(from..to).unwrap_or_default().to_owned()),
            };
        }
        if at.is_empty() {
            // One character wide: the one at the span, or one past the end of the line.
            let width = text.get(at.start..).and_then(|rest| rest.chars().next());
            at.end = at.start + width.map_or(1, char::len_utf8);
        }
        Place {
            line: number,
            text,
            cut_start,
            cut_end,
            span: at,
            label: label.map(escape_controls),
            ascii,
        }
    }

    /// The line as drawn, `...` included (the tests compare it with annotate-snippets).
    #[cfg(test)]
    fn drawn(&self) -> (String, Range<usize>) {
        let dots = |cut| if cut { "..." } else { "" };
        let text = [dots(self.cut_start), &self.text, dots(self.cut_end)].concat();
        let shift = dots(self.cut_start).len();
        (text, self.span.start + shift..self.span.end + shift)
    }
}

/// The line with unsafe characters escaped and tabs as spaces, `span` (character indices of
/// `line`) as a byte range of the result, and whether the line was printable ASCII as it is.
fn shown_line<'a>(line: &'a str, span: &Range<usize>) -> (Cow<'a, str>, Range<usize>, bool) {
    if crate::contract::text::is_printable_ascii(line.as_bytes()) {
        // ASCII: characters are bytes.
        let end = line.len();
        let span = span.start.min(end)..span.end.clamp(span.start.min(end), end);
        return (Cow::Borrowed(line), span, true);
    }
    let mut text = String::with_capacity(line.len() + 8);
    let (mut start, mut end) = (None, None);
    for (index, c) in line.chars().enumerate() {
        if index == span.start {
            start = Some(text.len());
        }
        if index == span.end {
            end = Some(text.len());
        }
        if c == '\t' {
            text.push(' ');
        } else if is_unsafe_char(c) {
            let _ = write!(text, "\\u{{{:x}}}", u32::from(c));
        } else {
            text.push(c);
        }
    }
    let start = start.unwrap_or(text.len());
    let end = end.unwrap_or(text.len()).max(start);
    (Cow::Owned(text), start..end, false)
}

/// Display columns of `text` (what a terminal advances).
/// `ascii` says that `text` is known to be ASCII; otherwise it is looked at.
fn columns(text: &str, ascii: bool) -> usize {
    if ascii || text.is_ascii() {
        return text.len();
    }
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The byte offset where column `column` of `text` starts (its end, past the last column);
/// `ascii` as for [`columns`].
fn byte_at(text: &str, column: usize, ascii: bool) -> usize {
    if ascii || text.is_ascii() {
        return column.min(text.len());
    }
    let mut seen = 0;
    for (at, c) in text.char_indices() {
        if seen >= column {
            return at;
        }
        seen += c.width().unwrap_or(0);
    }
    text.len()
}

/// Which mark a place's span gets: `^` for where the finding is, `-` for a place that
/// explains it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Primary,
    Context,
}

/// Draws the snippet block of one finding into `out`: the primary place, then each context
/// place under a `::: path` line, then the help line.
pub fn draw(
    out: &mut Vec<u8>,
    styles: &Styles,
    primary: (&Place<'_>, Style),
    context: Option<(&Place<'_>, &str)>,
    help: &[&str],
) {
    let digits = |n: usize| {
        let mut digits = itoa::Buffer::new();
        digits.format(n).len()
    };
    let width = digits(primary.0.line).max(context.map_or(0, |(place, _)| digits(place.line)));
    let gutter = styles.gutter;
    let bar = |out: &mut Vec<u8>| {
        pad(out, width + 1);
        styled(out, gutter, "|");
        out.push(b'\n');
    };
    bar(out);
    place(out, width, gutter, primary.0, primary.1, b'^');
    bar(out);
    if let Some((place_, path)) = context {
        pad(out, width);
        styled(out, gutter, "::: ");
        out.extend_from_slice(path.as_bytes());
        out.push(b'\n');
        bar(out);
        place(out, width, gutter, place_, gutter, b'-');
        bar(out);
    }
    pad(out, width + 1);
    styled(out, gutter, "= ");
    styled(out, styles.help, "help");
    out.extend_from_slice(b": ");
    for part in help {
        out.extend_from_slice(part.as_bytes());
    }
    out.push(b'\n');
}

pub use anstyle::Style;

/// `n | text` and the marks under the span, with the label.
fn place(
    out: &mut Vec<u8>,
    width: usize,
    gutter: Style,
    place: &Place<'_>,
    style: Style,
    mark: u8,
) {
    let mut digits = itoa::Buffer::new();
    let number = digits.format(place.line);
    // Right-aligned, the padding inside the style (as rustc writes it).
    styled_with(out, gutter, |out| {
        pad(out, width - number.len());
        out.extend_from_slice(number.as_bytes());
    });
    out.push(b' ');
    styled(out, gutter, "|");
    const DOTS: &[u8] = b"...";
    if place.cut_start || place.cut_end || !place.text.is_empty() {
        out.push(b' ');
        if place.cut_start {
            out.extend_from_slice(DOTS);
        }
        out.extend_from_slice(place.text.as_bytes());
        if place.cut_end {
            out.extend_from_slice(DOTS);
        }
    }
    out.push(b'\n');
    pad(out, width + 1);
    styled(out, gutter, "|");
    out.push(b' ');
    let before = place.text.get(..place.span.start).unwrap_or_default();
    let dots = if place.cut_start { DOTS.len() } else { 0 };
    pad(out, dots + columns(before, place.ascii));
    let marked = place.text.get(place.span.clone()).unwrap_or_default();
    let marks = columns(marked, place.ascii).max(1);
    styled_with(out, style, |out| out.resize(out.len() + marks, mark));
    if let Some(label) = &place.label {
        out.push(b' ');
        styled(out, style, label);
    }
    out.push(b'\n');
}

fn pad(out: &mut Vec<u8>, n: usize) {
    out.resize(out.len() + n, b' ');
}

/// `text` in `style` (as is when the style is plain).
fn styled(out: &mut Vec<u8>, style: Style, text: &str) {
    styled_with(out, style, |out| out.extend_from_slice(text.as_bytes()));
}

/// What `write` writes, in `style`.
pub fn styled_with(out: &mut Vec<u8>, style: Style, write: impl FnOnce(&mut Vec<u8>)) {
    if style == Style::new() {
        write(out);
        return;
    }
    let _ = write!(Adapter(out), "{style}");
    write(out);
    let _ = write!(Adapter(out), "{style:#}");
}

/// `fmt::Write` into a byte buffer.
struct Adapter<'o>(&'o mut Vec<u8>);

impl std::fmt::Write for Adapter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer};

    fn styles(color: bool) -> Styles {
        Styles::for_terminal(color)
    }

    /// What annotate-snippets draws for the same places (wide enough never to cut a line:
    /// cutting is ours, before drawing).
    fn theirs(
        primary: &Place,
        level: Level<'static>,
        context: Option<(&Place, &str)>,
        help: &str,
        color: bool,
    ) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .term_width(100_000);
        let drawn = |place: &Place| place.drawn();
        let (primary_text, primary_span) = drawn(primary);
        let context_drawn = context.map(|(place, _)| drawn(place));
        fn annotate<'t>(
            place: &'t Place,
            (text, span): &'t (String, Range<usize>),
            kind: AnnotationKind,
        ) -> annotate_snippets::Snippet<'t, annotate_snippets::Annotation<'t>> {
            let mut annotation = kind.span(span.clone());
            if let Some(label) = &place.label {
                annotation = annotation.label(label.as_ref());
            }
            annotate_snippets::Snippet::source(text.as_str())
                .line_start(place.line)
                .annotation(annotation)
        }
        let primary_drawn = (primary_text, primary_span);
        let mut group = Group::with_level(level).element(annotate(
            primary,
            &primary_drawn,
            AnnotationKind::Primary,
        ));
        if let (Some((place, path)), Some(drawn)) = (context, context_drawn.as_ref()) {
            group = group.element(annotate(place, drawn, AnnotationKind::Context).path(path));
        }
        let group = group.element(Level::HELP.message(help));
        let mut text = renderer.render(&[group]);
        text.push('\n');
        text
    }

    fn ours(
        primary: &Place,
        error: bool,
        context: Option<(&Place, &str)>,
        help: &str,
        color: bool,
    ) -> String {
        let styles = styles(color);
        let mark = if error {
            styles.error_mark
        } else {
            styles.warning_mark
        };
        // annotate-snippets names the context place's line and column itself, counted in
        // characters of the shown line.
        let path = context.map(|(place, path)| {
            let (text, span) = place.drawn();
            let column = text.get(..span.start).unwrap_or_default();
            format!("{path}:{}:{}", place.line, column.chars().count() + 1)
        });
        let mut out = Vec::new();
        draw(
            &mut out,
            &styles,
            (primary, mark),
            context
                .zip(path.as_deref())
                .map(|((place, _), path)| (place, path)),
            &[help],
        );
        String::from_utf8(out).unwrap()
    }

    fn place<'a>(
        line: usize,
        text: &'a str,
        span: Range<usize>,
        label: Option<&'a str>,
    ) -> Place<'a> {
        Place::new(line, text, span, (false, false), label)
    }

    /// Every shape a finding takes, drawn by both, plain and styled: the same bytes.
    #[test]
    fn draws_what_annotate_snippets_draws() {
        let lines = [
            (1, "  \"status\": 400,", 12..15),
            (9, "{\"title\": \"Gone\"}", 10..16),
            (10, "x", 0..1),
            (99, "", 0..0),
            (100, "  \"a\": 1", 8..8),
            (12_345, "{\"detail\": \"日本語 ünïcode\", \"x\": 1}", 11..24),
            (7, "ends with the span", 10..18),
        ];
        let labels = [None, Some("expected 404"), Some("first used here")];
        for color in [false, true] {
            for (error, level) in [(true, Level::ERROR), (false, Level::WARNING)] {
                for &(line, text, ref span) in &lines {
                    for label in labels {
                        let primary = place(line, text, span.clone(), label);
                        let help = "cyoda help check title-mismatch";
                        assert_eq!(
                            ours(&primary, error, None, help, color),
                            theirs(&primary, level.clone(), None, help, color),
                            "{primary:?}"
                        );
                        for &(other, other_text, ref other_span) in &lines {
                            let second =
                                place(other, other_text, other_span.clone(), Some("first use"));
                            let context = Some((&second, "captured/a.har"));
                            assert_eq!(
                                ours(&primary, error, context, help, color),
                                theirs(&primary, level.clone(), context, help, color),
                                "{primary:?} {second:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}\"status\": 400{}", "a".repeat(300), "b".repeat(300));
        let (text, span) = place(1, &line, 310..313, None).drawn();
        assert_eq!(columns(&text, false), WIDTH + 6);
        assert!(text.starts_with("...a") && text.ends_with("b..."));
        assert_eq!(text.get(span.clone()), Some("400"));
        assert_eq!(span.start, 3 + LEAD);
        // Near the start: cut on the right only.
        let (text, _) = place(1, &line, 2..3, None).drawn();
        assert!(!text.starts_with("...") && text.ends_with("..."));
        // Near the end: the window ends with the line.
        let (text, span) = place(1, &line, 610..612, None).drawn();
        assert!(text.starts_with("...") && !text.ends_with("..."));
        assert_eq!(text.get(span), Some("bb"));
    }

    #[test]
    fn controls_are_escaped_and_marks_stay_under_their_text() {
        let shown = place(1, "\u{1b}[31m\t\"x\"", 6..9, None);
        assert_eq!(shown.text, "\\u{1b}[31m \"x\"");
        assert_eq!(shown.text.get(shown.span.clone()), Some("\"x\""));
        let cut = Place::new(1, "abc", 1..2, (true, true), None).drawn();
        assert_eq!((cut.0.as_str(), cut.1), ("...abc...", 4..5));
    }
}
