//! `cyoda completions` and `cyoda man`.

use crate::{Sandbox, cyoda, run};
use clap::Parser;
use cyoda::cli::{Cli, Command};
use std::process::Command as Process;

/// Sources the bash script, completes `words` with the cursor on the last word, and returns
/// the candidates (`COMPREPLY`), sorted.
fn bash_candidates(words: &[&str]) -> Vec<String> {
    let sandbox = Sandbox::new();
    let script = run(&mut sandbox.cmd(&["completions", "bash"]));
    assert_eq!(script.code, 0, "{}", script.stderr);
    let path = sandbox.path().join("cyoda.bash");
    std::fs::write(&path, script.stdout).unwrap();
    let cword = words.len() - 1;
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={cword}\n_cyoda cyoda '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path.display(),
        quoted.join(" "),
        words[cword],
        words.get(cword.wrapping_sub(1)).copied().unwrap_or(""),
    );
    let output = Process::new("bash")
        .arg("--norc")
        .arg("--noprofile")
        .arg("-c")
        .arg(program)
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut candidates: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    candidates.sort();
    candidates
}

#[test]
fn bash_completes_subcommands() {
    assert_eq!(bash_candidates(&["cyoda", "he"]), ["help"]);
    assert_eq!(bash_candidates(&["cyoda", "c"]), ["check", "completions"]);
}

#[test]
fn bash_completes_topic_words_at_every_depth() {
    assert_eq!(bash_candidates(&["cyoda", "help", "err"]), ["errors"]);
    assert_eq!(
        bash_candidates(&["cyoda", "help", "errors", "IDEM"]),
        ["IDEMPOTENCY_CONFLICT"]
    );
    assert_eq!(
        bash_candidates(&["cyoda", "help", "check", "title-"]),
        ["title-mismatch"]
    );
    let statuses = bash_candidates(&["cyoda", "help", "errors", "40"]);
    assert!(statuses.contains(&"409".to_string()), "{statuses:?}");
}

#[test]
fn bash_completes_flags_rule_ids_and_codes() {
    assert_eq!(bash_candidates(&["cyoda", "help", "--fo"]), ["--format"]);
    assert_eq!(
        bash_candidates(&["cyoda", "help", "--format", ""]),
        ["auto", "json", "markdown", "schema", "text"]
    );
    assert_eq!(
        bash_candidates(&["cyoda", "check", "--allow", "ticket-"]),
        [
            "ticket-detail-mismatch",
            "ticket-format",
            "ticket-missing",
            "ticket-unexpected"
        ]
    );
    assert_eq!(
        bash_candidates(&["cyoda", "check", "--deny", "detail"]),
        ["detail-prefix"]
    );
    assert_eq!(
        bash_candidates(&["cyoda", "check", "--expect", "IDEM"]),
        ["IDEMPOTENCY_CONFLICT"]
    );
    assert_eq!(
        bash_candidates(&["cyoda", "completions", "p"]),
        ["powershell"]
    );
}

#[test]
fn every_shell_gets_a_script_with_the_topics() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = cyoda(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("completions"), "{shell}");
        assert!(out.stdout.contains("--expect"), "{shell}");
        // clap_complete's elvish and powershell scripts complete commands and options only.
        if !["elvish", "powershell"].contains(&shell) {
            assert!(out.stdout.contains("IDEMPOTENCY_CONFLICT"), "{shell}");
            assert!(out.stdout.contains("title-mismatch"), "{shell}");
        }
    }
    let out = cyoda(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}

/// The candidate lists steer completion only: parsing still takes whatever the user types.
#[test]
fn candidates_do_not_restrict_parsing() {
    let parse = |args: &[&str]| Cli::try_parse_from(args).map(|cli| cli.command);
    let Ok(Command::Help(help)) = parse(&["cyoda", "help", "errors", "409"]) else {
        panic!("errors 409 parses");
    };
    assert_eq!(help.topic, ["errors", "409"]);
    assert!(parse(&["cyoda", "help", "errors.idempotency_conflict"]).is_ok());
    assert!(parse(&["cyoda", "help", "no-such-topic"]).is_ok());
    let Ok(Command::Check(check)) = parse(&[
        "cyoda",
        "check",
        "--allow",
        "Title_Mismatch",
        "--expect",
        "conflict",
        "x.json",
    ]) else {
        panic!("check options parse");
    };
    assert_eq!(check.allow, ["Title_Mismatch"]);
    assert_eq!(check.expect.as_deref(), Some("conflict"));
    let out = cyoda(&["help", "errors", "409"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("IDEMPOTENCY_CONFLICT"));
}

/// Candidates must not leak into `--help`: sixty topic words would bury the option.
#[test]
fn help_output_does_not_list_candidates() {
    let out = cyoda(&["help", "--help"]);
    assert_eq!(out.code, 0);
    assert!(
        !out.stdout.contains("CLUSTER_NODE_NOT_REGISTERED"),
        "{}",
        out.stdout
    );
    let out = cyoda(&["check", "--help"]);
    assert!(!out.stdout.contains("ticket-unexpected"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("CLUSTER_NODE_NOT_REGISTERED"),
        "{}",
        out.stdout
    );
}

#[test]
fn man_page_covers_every_subcommand() {
    let out = cyoda(&["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = out.stdout;
    assert!(page.contains("\n.TH cyoda 1"), "{}", &page[..200]);
    assert_eq!(page.matches(".ds Aq").count(), 2, "one quote preamble");
    for heading in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH COMMANDS",
        "CYODA HELP",
        "CYODA CHECK",
        "CYODA COMPLETIONS",
        "CYODA MAN",
        "CYODA EXPORT",
        ".SH EXAMPLES",
        ".SH \"EXIT STATUS\"",
        ".SH VERSION",
    ] {
        assert!(page.contains(heading), "missing {heading}:\n{page}");
    }
    for option in [
        "\\-\\-expect",
        "\\-\\-strict",
        "\\-\\-search",
        "\\-\\-color",
    ] {
        assert!(page.contains(option), "missing {option}");
    }
    assert!(
        !page.contains("IDEMPOTENCY_CONFLICT,"),
        "topic candidates leaked"
    );
}

/// When `man` is installed, it must render the page without complaint.
#[test]
fn man_renders_the_page() {
    let sandbox = Sandbox::new();
    let out = run(&mut sandbox.cmd(&["man"]));
    let path = sandbox.path().join("cyoda.1");
    std::fs::write(&path, out.stdout).unwrap();
    let Ok(rendered) = Process::new("man")
        .args(["--warnings", "-l"])
        .arg(&path)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
    else {
        return; // no man(1) here: the roff is still checked above
    };
    let text = String::from_utf8_lossy(&rendered.stdout);
    let warnings = String::from_utf8_lossy(&rendered.stderr);
    assert!(rendered.status.success(), "{warnings}");
    assert!(text.contains("CYODA CHECK"), "{text}");
    assert!(warnings.trim().is_empty(), "{warnings}");
}
