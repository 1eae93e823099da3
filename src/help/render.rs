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
    let mut text = skin.text(markdown, Some(width)).to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
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
