//! Markdown helpers for topic bodies: the supported-subset check, H2 sections, paragraphs,
//! taglines, and the normalisation that makes a body safe for termimad (which has no links and
//! no numbered lists).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

fn parser_options() -> Options {
    // Tables, footnotes, strikethrough and task lists are parsed only so they can be rejected.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Every construct outside the supported subset, as `(0-based line in body, message)`.
pub fn unsupported(body: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let line_of = |offset: usize| {
        body.get(..offset)
            .map_or(0, |before| before.matches('\n').count())
    };
    let mut list_depth = 0usize;
    let mut first_block = true;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        let line = line_of(range.start);
        let mut reject =
            |what: &str| found.push((line, format!("{what} are not supported in topics")));
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let source = body.get(range.clone()).unwrap_or("");
                if !source.starts_with('#') {
                    reject("setext (underlined) headings");
                } else if level == HeadingLevel::H1 && !first_block {
                    found.push((
                        line,
                        "only the first line may be an H1 (`# <topic id>`)".to_string(),
                    ));
                } else if level > HeadingLevel::H3 {
                    reject("headings below H3");
                }
            }
            Event::Start(Tag::BlockQuote(_)) => reject("block quotes"),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                reject("indented code blocks (use a ``` fence)")
            }
            Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => found.push((
                line,
                "HTML is not supported in topics (put a literal `<…>` inside backticks)"
                    .to_string(),
            )),
            Event::Start(Tag::Table(_)) => reject("tables"),
            Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_) => {
                reject("footnotes")
            }
            Event::Start(Tag::Image { .. }) => reject("images"),
            Event::Start(Tag::Strikethrough) => reject("strikethrough"),
            Event::TaskListMarker(_) => reject("task lists"),
            Event::Start(Tag::Link {
                link_type:
                    LinkType::Reference
                    | LinkType::ReferenceUnknown
                    | LinkType::Collapsed
                    | LinkType::CollapsedUnknown
                    | LinkType::Shortcut
                    | LinkType::ShortcutUnknown,
                ..
            }) => reject("reference-style links (write [text](url))"),
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                if list_depth > 1 {
                    reject("nested lists");
                }
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            _ => {}
        }
        if matches!(event, Event::End(_)) || matches!(event, Event::Rule) {
            first_block = false;
        }
    }
    found.dedup();
    found
}

/// One H2 section: its name, body (trimmed) and the 0-based body line of its heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSection {
    pub name: String,
    pub body: String,
    pub line: usize,
}

/// Splits a body into H2 sections (text before the first H2 is dropped); fences are respected.
pub fn sections(body: &str) -> Vec<RawSection> {
    let mut sections: Vec<RawSection> = Vec::new();
    let mut in_fence = false;
    let mut current: Option<(String, usize, Vec<&str>)> = None;
    for (index, line) in body.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(name) = line.strip_prefix("## ") {
            if let Some((name, line, lines)) = current.take() {
                sections.push(RawSection {
                    name,
                    body: lines.join("\n").trim().to_string(),
                    line,
                });
            }
            current = Some((name.trim().to_string(), index, Vec::new()));
            continue;
        }
        if let Some((_, _, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    if let Some((name, line, lines)) = current {
        sections.push(RawSection {
            name,
            body: lines.join("\n").trim().to_string(),
            line,
        });
    }
    sections
}

/// The paragraphs of a section body: blocks separated by blank lines, trimmed, non-empty.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n").trim().to_string());
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n").trim().to_string());
    }
    paragraphs
}

/// Plain text of inline markdown: code, emphasis and link markers removed, whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The tagline of a NAME paragraph: without its `<id> — ` prefix, plain, at most 80 characters.
pub fn tagline(name_paragraph: &str) -> String {
    let plain = plain_text(name_paragraph);
    let rest = match plain.split_once(" — ") {
        Some((head, rest)) if !head.contains(' ') => rest,
        _ => plain.as_str(),
    };
    truncate(rest, 80)
}

/// At most `max` characters, ending in `…` when shortened.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// Rewrites a body into the markdown termimad renders well: links become `text (url)`,
/// numbered lists keep their numbers as text, everything else is kept as written.
pub fn for_terminal(body: &str) -> String {
    let mut out = String::new();
    let mut list_numbers: Vec<Option<u64>> = Vec::new();
    let mut link_targets: Vec<(String, usize)> = Vec::new();
    let mut in_code_block = false;
    let mut code_lang = String::new();
    for event in Parser::new_ext(body, parser_options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                out.push_str(&"#".repeat(level as usize));
                out.push(' ');
            }
            Event::End(TagEnd::Heading(_)) => out.push_str("\n\n"),
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                out.push('\n');
                if list_numbers.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::List(start)) => list_numbers.push(start),
            Event::End(TagEnd::List(_)) => {
                list_numbers.pop();
                out.push('\n');
            }
            Event::Start(Tag::Item) => match list_numbers.last_mut() {
                Some(Some(number)) => {
                    out.push_str(&format!("{number}. "));
                    *number += 1;
                }
                _ => out.push_str("* "),
            },
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                code_lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                out.push_str(&format!("```{code_lang}\n"));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                out.push_str("```\n\n");
            }
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => out.push('*'),
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => out.push_str("**"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_targets.push((dest_url.to_string(), out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = link_targets.pop() {
                    let text = out.get(start..).unwrap_or("").trim_matches('`').to_string();
                    if text != url {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Code(code) => {
                out.push('`');
                out.push_str(&code);
                out.push('`');
            }
            Event::Text(text) => {
                if in_code_block {
                    out.push_str(&terminal_code(&code_lang, &text));
                } else {
                    // pulldown-cmark has resolved the source's escapes (`2 \* 3` is the text
                    // `2 * 3`); minimad must not read what is left as markers.
                    escape_for_minimad(&mut out, &text.replace('\n', " "));
                }
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("---\n\n"),
            _ => {}
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Appends `text` with the characters minimad treats as inline markers (`*`, `~`, `|`, a
/// backtick, `\`) backslash-escaped, which minimad's escaping reads back as themselves.
fn escape_for_minimad(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '*' | '~' | '|' | '`' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A code block's text for the terminal: one-line JSON is spread over lines, so a narrow
/// terminal wraps between members rather than inside a token, and the example stays copyable.
fn terminal_code(lang: &str, text: &str) -> String {
    if lang == "json" {
        let compact = text.trim();
        if !compact.contains('\n')
            && let Ok(value) = serde_json::from_str::<serde_json::Value>(compact)
            && let Ok(pretty) = serde_json::to_string_pretty(&value)
        {
            return pretty + "\n";
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_unsupported_construct_with_its_line() {
        let body = "# x\n\n## NAME\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- a\n  - b\n\n<div>x</div>\n\n    indented\n";
        let found = unsupported(body);
        let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [4, 6, 11, 13, 15], "{found:?}");
        assert!(found[0].1.contains("block quotes"));
        assert!(found[1].1.contains("tables"));
        assert!(found[2].1.contains("nested lists"));
        assert!(found[3].1.contains("HTML"));
        assert!(found[4].1.contains("indented code"));
    }

    #[test]
    fn accepts_the_supported_subset() {
        let body = "# t\n\n## NAME\n\nt — x.\n\n### Sub\n\n- one *two* **three** `four` [five](https://e.x)\n- six\n\n1. first\n2. second\n\n```json\n{\"a\": 1}\n```\n\n---\n";
        assert_eq!(unsupported(body), Vec::new());
    }

    #[test]
    fn splits_sections_ignoring_fenced_headings() {
        let body =
            "# t\n\n## NAME\n\nt — x.\n\n## DESCRIPTION\n\nFirst.\n\n```\n## not a section\n```\n";
        let found = sections(body);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].name, "DESCRIPTION");
        assert!(found[1].body.contains("## not a section"));
    }

    #[test]
    fn tagline_strips_the_id_and_markers() {
        assert_eq!(
            tagline("CONFLICT — a *concurrent* `write` lost"),
            "a concurrent write lost"
        );
    }

    #[test]
    fn terminal_markdown_spreads_one_line_json_examples() {
        let text = for_terminal("```json\n{\"b\":[true],\"a\":1}\n```\n");
        assert_eq!(
            text,
            "```json\n{\n  \"b\": [\n    true\n  ],\n  \"a\": 1\n}\n```\n"
        );
    }

    #[test]
    fn terminal_markdown_spells_out_links_and_numbers() {
        let text = for_terminal("See [the RFC](https://rfc.example/9457).\n\n3. c\n4. d\n");
        assert!(
            text.contains("See the RFC (https://rfc.example/9457)."),
            "{text}"
        );
        assert!(text.contains("3. c\n4. d"), "{text}");
    }
}
