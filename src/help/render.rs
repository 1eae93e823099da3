//! The renderers of `cyoda help`: the tree summary, status listings, and markdown pages drawn
//! for the terminal with termimad. They return strings; only `main` writes.

use crate::help::store;
use crate::topics::derive::help_command;
use crate::topics::model::{IndexEntry, TopicIndex};
use termimad::crossterm::style::{Attribute, Color};
use termimad::{Alignment, MadSkin};

/// Draws markdown for a terminal `width` columns wide, styled or plain.
pub fn terminal(markdown: &str, width: usize, color: bool) -> String {
    let skin = skin(color);
    let drawn = skin.text(markdown, Some(width)).to_string();
    let mut text = String::with_capacity(drawn.len());
    for line in drawn.lines() {
        text.push_str(&trim_line_end(line));
        text.push('\n');
    }
    text
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

/// `cyoda help` with no topic: the top-level topics grouped by stability, and how to go deeper.
pub fn tree_summary(index: &TopicIndex, color: bool) -> String {
    let bold = |text: &str| {
        if color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    out.push_str(&bold(&format!(
        "cyoda help — the Cyoda help topics (cyoda-go {})",
        index.version
    )));
    out.push_str("\n\n");
    out.push_str(&bold("USAGE"));
    out.push_str(
        "\n  cyoda help <topic>...            a topic, e.g. cyoda help errors IDEMPOTENCY_CONFLICT\n  \
         cyoda help errors <status>       the error codes documented with an HTTP status\n  \
         cyoda help -k <words>...         the topics that mention words\n  \
         cyoda help --format json         the whole tree as JSON, as Cyoda's GET /help\n  \
         cyoda help --help                every option\n\n",
    );
    out.push_str(&bold("TOPICS"));
    out.push('\n');
    for (stability, heading) in [
        ("stable", "Stable"),
        ("evolving", "Evolving"),
        ("experimental", "Experimental — content pending"),
    ] {
        let topics: Vec<&IndexEntry> = index
            .topics
            .iter()
            .filter(|e| !e.id.contains('.') && e.stability == stability)
            .collect();
        if topics.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for topic in topics {
            let more = if topic.children.is_empty() {
                String::new()
            } else {
                format!(" ({} subtopics)", topic.children.len())
            };
            out.push_str(&format!("  {:<16} {}{more}\n", topic.id, topic.tagline));
        }
    }
    out.push_str("\nRun 'cyoda help <topic>' for a topic and its subtopics.\n");
    out
}

/// The codes documented with one status, as a markdown page.
pub fn status_listing(status: u16, codes: &[&IndexEntry]) -> String {
    let reason = store::catalog()
        .codes
        .values()
        .find(|c| c.status == status)
        .map_or(String::new(), |c| format!(" {}", c.title));
    let mut page = format!("# HTTP {status}{reason}\n\n");
    let noun = if codes.len() == 1 {
        "code is"
    } else {
        "codes are"
    };
    page.push_str(&format!(
        "{} error {noun} documented with HTTP {status}:\n\n",
        codes.len()
    ));
    for entry in codes {
        let retry = match entry.retryable.as_deref() {
            Some("yes") => "retryable",
            Some("no") => "not retryable",
            Some(_) => "retryable with care",
            None => "",
        };
        page.push_str(&format!(
            "- `{}` — {retry} — {}\n",
            help_command(&entry.id),
            entry.tagline
        ));
    }
    page
}

/// `cyoda help -k` results, best first, as plain lines `id — tagline`.
pub fn search_results(hits: &[&IndexEntry]) -> String {
    let width = hits
        .iter()
        .map(|e| help_command(&e.id).len())
        .max()
        .unwrap_or(0);
    hits.iter()
        .map(|entry| format!("{:<width$}  {}\n", help_command(&entry.id), entry.tagline))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
