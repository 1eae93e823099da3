//! Generated test input for the page modules: blocks of markdown and skins that exercise
//! every branch of termimad's layout and drawing.

use termimad::{ListItemsIndentationMode, MadSkin};

/// Blocks of markdown made of pieces that exercise every branch of termimad's layout:
/// list items (bulleted, numbered, nested), quotes, headers, code blocks, styles, words
/// longer than a line, wide and zero-width characters, tabs, non-breaking spaces, runs of
/// blanks.
pub fn blocks() -> Vec<String> {
    const STARTS: [&str; 8] = ["", "", "* ", "  * ", "1. ", "12. ", "> ", "### "];
    const WORDS: [&str; 24] = [
        "word",
        "a",
        "of",
        "termimad",
        "wrapping",
        "`code span`",
        "`x`",
        "**bold words**",
        "*italic*",
        "~~struck~~",
        "supercalifragilisticexpialidocious-and-then-some",
        "é",
        "—",
        "日本語の文",
        "🦀",
        "tab\there",
        "x\u{1}y",
        "",
        "\u{a0}",
        "ｗｉｄｅ",
        "e\u{301}",
        "**b** *i*",
        "`a long code span that will not fit`",
        "end.",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        usize::try_from(seed >> 33).unwrap_or(0) % bound
    };
    (0..400)
        .map(|_| {
            if next(4) == 0 {
                // A code block, its lines short enough to stay ours most of the time.
                let lines: String = (0..1 + next(3))
                    .map(|_| {
                        let words: Vec<&str> =
                            (0..1 + next(4)).map(|_| WORDS[next(WORDS.len())]).collect();
                        format!("{}\n", words.join(" "))
                    })
                    .collect();
                return format!("prose before\n```\n{lines}```\nprose after\n");
            }
            (0..1 + next(3))
                .map(|_| {
                    let start = STARTS[next(STARTS.len())];
                    let words: Vec<&str> = (0..1 + next(30))
                        .map(|_| WORDS[next(WORDS.len())])
                        .collect();
                    format!(
                        "{start}{}\n",
                        words.join(if next(5) == 0 { "  " } else { " " })
                    )
                })
                .collect()
        })
        .collect()
}

pub fn skins() -> Vec<MadSkin> {
    let block = MadSkin {
        list_items_indentation_mode: ListItemsIndentationMode::Block,
        ..MadSkin::default()
    };
    let mut first_line = MadSkin::no_style();
    first_line.list_items_indentation_mode = ListItemsIndentationMode::FirstLineOnly;
    vec![block, first_line]
}
