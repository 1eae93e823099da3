//! Terminal conventions for `cyoda help … --format text`: `--color`, `NO_COLOR`,
//! `CLICOLOR_FORCE`, `TERM=dumb`, `COLUMNS` and the real terminal's width.

use crate::{Output, Sandbox, run};
use std::process::Command;
use unicode_width::UnicodeWidthStr;

const PAGE: &[&str] = &["help", "errors", "IDEMPOTENCY_CONFLICT", "--format", "text"];

fn page(env: &[(&str, &str)], extra: &[&str]) -> Output {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.cmd(&[extra, PAGE].concat());
    cmd.envs(env.iter().copied());
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out
}

fn coloured(out: &Output) -> bool {
    out.stdout.contains('\x1b')
}

/// The lines of the page's code blocks, as the markdown form has them (spread JSON aside, the
/// terminal prints them whole at any width).
fn code_lines() -> Vec<String> {
    let sandbox = Sandbox::new();
    let markdown = run(&mut sandbox.cmd(&["help", "errors", "IDEMPOTENCY_CONFLICT"])).stdout;
    let mut in_fence = false;
    let mut lines = Vec::new();
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if in_fence {
            lines.push(line.to_string());
        }
    }
    assert!(
        lines.iter().any(|l| l.width() > 80),
        "the page has a wide code line"
    );
    lines
}

/// Display width of the widest prose line, escapes removed (code lines are whole, however
/// wide: see `code_lines_are_never_reflowed`).
fn widest(text: &str) -> usize {
    let code = code_lines();
    text.lines()
        .map(strip_escapes)
        .filter(|l| !code.contains(l))
        .map(|l| l.width())
        .max()
        .unwrap_or(0)
}

fn strip_escapes(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else if c != '\r' {
            out.push(c);
        }
    }
    out
}

#[test]
fn piped_text_is_plain_unless_asked() {
    assert!(!coloured(&page(&[], &[])));
    assert!(!coloured(&page(&[("TERM", "xterm-256color")], &[])));
    assert!(coloured(&page(&[], &["--color", "always"])));
    assert!(coloured(&page(
        &[("NO_COLOR", "1")],
        &["--color", "always"]
    )));
}

#[test]
fn clicolor_force_and_no_color() {
    assert!(coloured(&page(&[("CLICOLOR_FORCE", "1")], &[])));
    assert!(coloured(&page(
        &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")],
        &[]
    )));
    assert!(!coloured(&page(&[("CLICOLOR_FORCE", "0")], &[])));
    assert!(!coloured(&page(
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &[]
    )));
    assert!(!coloured(&page(
        &[("CLICOLOR_FORCE", "1")],
        &["--color", "never"]
    )));
}

#[test]
fn columns_sets_the_wrap_width() {
    assert!(widest(&page(&[], &[]).stdout) <= 80);
    assert!(widest(&page(&[], &[]).stdout) > 70);
    let narrow = page(&[("COLUMNS", "60")], &[]).stdout;
    assert!(widest(&narrow) <= 60, "{narrow}");
    let wide = page(&[("COLUMNS", "120")], &[]).stdout;
    assert!(widest(&wide) <= 120 && widest(&wide) > 80, "{wide}");
    let coloured = page(&[("COLUMNS", "60")], &["--color", "always"]).stdout;
    assert!(widest(&coloured) <= 60, "{coloured}");
    // Nonsense is ignored rather than obeyed.
    assert!(widest(&page(&[("COLUMNS", "3")], &[]).stdout) <= 80);
}

#[test]
fn code_lines_are_never_reflowed() {
    let wide: Vec<String> = code_lines()
        .into_iter()
        .filter(|l| l.width() > 40)
        .collect();
    for columns in ["40", "80"] {
        for color in ["never", "always"] {
            let out = page(&[("COLUMNS", columns)], &["--color", color]).stdout;
            let lines: Vec<String> = out.lines().map(strip_escapes).collect();
            for code in &wide {
                assert!(
                    lines.contains(code),
                    "COLUMNS={columns} --color {color}: {code:?} was cut"
                );
            }
        }
    }
}

#[test]
fn escaped_markers_print_as_themselves() {
    // The errors page writes `\*`-free prose; a rule page quotes JSON with backslashes.
    let sandbox = Sandbox::new();
    let out = run(&mut sandbox.cmd(&["help", "check", "invalid-json", "--format", "text"])).stdout;
    assert!(!out.contains("\\*"), "{out}");
}

#[test]
fn plain_lines_have_no_trailing_spaces() {
    for columns in ["40", "60", "80", "120"] {
        let out = page(&[("COLUMNS", columns)], &[]).stdout;
        for line in out.lines() {
            assert!(!line.ends_with(' '), "COLUMNS={columns}: {line:?}");
        }
    }
}

/// Whether `script(1)` is installed (util-linux); without it there is no pseudo-terminal.
fn have_script() -> bool {
    Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Runs the page on a pseudo-terminal `columns` wide (through `script(1)`), so `auto` sees a
/// terminal and the width comes from the terminal itself. Any failure fails the test.
fn on_terminal(columns: u16, term: &str) -> String {
    let sandbox = Sandbox::new();
    let program = format!(
        "stty cols {columns} rows 50; TERM={term} '{}' help errors IDEMPOTENCY_CONFLICT",
        env!("CARGO_BIN_EXE_cyoda")
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &program, "/dev/null"])
        .current_dir(sandbox.path())
        .stdin(std::process::Stdio::null());
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "PAGER"] {
        cmd.env_remove(name);
    }
    let output = cmd.output().expect("script(1) runs");
    assert!(output.status.success(), "script(1) failed: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_real_terminal_gets_colour_and_its_own_width() {
    if !have_script() {
        eprintln!("script(1) is not installed: skipping the pseudo-terminal checks");
        return;
    }
    let narrow = on_terminal(60, "xterm-256color");
    assert!(narrow.contains('\x1b'), "auto colours a terminal");
    assert!(widest(&narrow) <= 60, "{narrow}");
    let wide = on_terminal(120, "xterm-256color");
    assert!(widest(&wide) > 80 && widest(&wide) <= 120, "{wide}");
    let dumb = on_terminal(60, "dumb");
    assert!(!dumb.contains('\x1b'), "TERM=dumb: {dumb}");
    assert!(dumb.contains("IDEMPOTENCY_CONFLICT"));
}
