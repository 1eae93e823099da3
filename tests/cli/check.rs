//! `cyoda check`: inputs of every kind, positions, exit codes, severity flags, colour, escaping,
//! and a snapshot of the human report over a mixed directory.

use crate::util::TestDir;

fn fixtures() -> TestDir {
    let dir = TestDir::new();
    dir.copy("check", "check");
    dir
}

#[test]
fn mixed_directory_snapshot() {
    let dir = fixtures();
    let output = dir.check(&["check/mixed"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(output.stderr, "");
    insta::assert_snapshot!("mixed_directory", output.stdout);
}

#[test]
fn directory_order_is_deterministic_and_hidden_entries_are_skipped() {
    let dir = fixtures();
    let first = dir.check(&["check/mixed"]);
    let second = dir.check(&["check/mixed"]);
    assert_eq!(first.stdout, second.stdout);
    let files: Vec<&str> = first
        .stdout
        .lines()
        .filter(|line| line.starts_with("check/"))
        .map(|line| line.split(':').next().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(!first.stdout.contains(".hidden"));
    assert!(
        first
            .summary()
            .starts_with("checked 10 responses in 6 inputs against cyoda-go 0.8.3:"),
        "{}",
        first.summary()
    );
}

#[test]
fn positions_in_every_kind() {
    let dir = fixtures();
    let output = dir.check(&["check/mixed"]);
    for expected in [
        "check/mixed/a-status.json:4:13: error[status-mismatch]:",
        "check/mixed/b-lines.ndjson:2:34: error[title-mismatch]:",
        "check/mixed/c-capture.har:42:284: error[retryable-mismatch]:",
        "check/mixed/c-capture.har:64:21: error[title-mismatch]:",
        "check/mixed/d-multi.http:9:15: error[content-type]:",
        "check/mixed/sub/e-h2.http:1:8: error[http-status]:",
        "check/mixed/sub/e-h2.http:7:13: error[status-mismatch]:",
    ] {
        assert!(
            output.stdout.contains(expected),
            "missing {expected}\n{}",
            output.stdout
        );
    }
    // HAR and multi-response HTTP name the response in the message line.
    assert!(
        output.stdout.contains("not retryable (entry 2)\n"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("(response 2)\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn exit_0_when_everything_conforms() {
    let dir = fixtures();
    let output = dir.check(&["check/valid.json", "check/mixed/sub/f-valid.json"]);
    assert_eq!(output.code, 0, "{}{}", output.stdout, output.stderr);
    assert_eq!(
        output.stdout,
        "checked 2 responses in 2 inputs against cyoda-go 0.8.3: 2 ok, 0 failed\n"
    );
    assert_eq!(output.stderr, "");
}

#[test]
fn success_only_har_is_clean_with_skipped_entries() {
    let dir = fixtures();
    let output = dir.check(&["check/success-only.har"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "checked 0 responses in 1 input against cyoda-go 0.8.3: 0 ok, 0 failed; 2 responses with status below 400 skipped\n"
    );
}

#[test]
fn missing_file_fails_the_run_but_the_rest_is_reported() {
    let dir = fixtures();
    let output = dir.check(&["check/nope.json", "check/mixed/a-status.json"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: check/nope.json: no such file or directory\n"
    );
    assert!(
        output
            .stdout
            .contains("check/mixed/a-status.json:4:13: error[status-mismatch]")
    );
    assert_eq!(
        output.summary(),
        "checked 1 response in 2 inputs against cyoda-go 0.8.3: 0 ok, 1 failed (1 error, 0 warnings); 1 input could not be read"
    );
}

#[test]
fn unreadable_inputs_exit_2() {
    let dir = fixtures();
    for (file, message) in [
        (
            "check/truncated.har",
            "cyoda: error: check/truncated.har: not a valid HAR: the file ends early",
        ),
        (
            "check/no-blank-line.http",
            "cyoda: error: check/no-blank-line.http: line 1: the header block is not followed by a blank line",
        ),
        (
            "check/bad-base64.har",
            "cyoda: error: check/bad-base64.har#entry-1: response.content.text is marked base64 but is not valid base64 (line 11, column 15)\n",
        ),
    ] {
        let output = dir.check(&[file]);
        assert_eq!(output.code, 2, "{file}");
        assert!(
            output.stderr.starts_with(message),
            "{file}: {}",
            output.stderr
        );
    }
    // The entry after the bad one is still checked.
    let output = dir.check(&["check/bad-base64.har"]);
    assert!(
        output
            .summary()
            .starts_with("checked 1 response in 1 input against cyoda-go 0.8.3: 1 ok"),
        "{}",
        output.stdout
    );
}

#[test]
fn empty_directory_and_empty_stdin_exit_2() {
    let dir = TestDir::new();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let output = dir.check(&["empty"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: empty: directory holds no files to check\n"
    );

    let output = dir.command(&["check"]).stdin("").run();
    assert_eq!(output.code, 2);
    assert_eq!(output.stderr, "cyoda: error: no responses found to check\n");
    let output = dir.command(&["check", "-"]).stdin("\n  \n").run();
    assert_eq!(output.code, 2);
}

#[test]
fn stdin_is_read_and_named() {
    let dir = fixtures();
    let body = std::fs::read(dir.path().join("check/mixed/a-status.json")).unwrap();
    for args in [&["check"][..], &["check", "-"][..]] {
        let output = dir.command(args).stdin(&body).run();
        assert_eq!(output.code, 1);
        assert!(
            output
                .stdout
                .starts_with("<stdin>:4:13: error[status-mismatch]"),
            "{}",
            output.stdout
        );
    }
    let capture = std::fs::read(dir.path().join("check/mixed/d-multi.http")).unwrap();
    let output = dir.command(&["check"]).stdin(capture).run();
    assert!(
        output
            .stdout
            .starts_with("<stdin>:9:15: error[content-type]"),
        "{}",
        output.stdout
    );
}

#[test]
fn usage_errors_exit_2_with_a_suggestion() {
    let dir = fixtures();
    let output = dir.check(&["--allow", "titel-mismatch", "check/valid.json"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: unknown rule 'titel-mismatch' in --allow; did you mean 'title-mismatch'?\n"
    );
    assert_eq!(output.stdout, "");
    let output = dir.check(&["--expect", "MODEL_NOT_FOUN", "check/valid.json"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: unknown error code 'MODEL_NOT_FOUN' in --expect; did you mean 'MODEL_NOT_FOUND'?\n"
    );
}

#[test]
fn strict_makes_warnings_fail() {
    let dir = fixtures();
    let output = dir.check(&["check/warning-only.json"]);
    assert_eq!(output.code, 0);
    assert_eq!(output.rules(), ["detail-prefix"]);
    assert!(
        output
            .summary()
            .ends_with("1 ok, 0 failed (0 errors, 1 warning)"),
        "{}",
        output.summary()
    );
    let output = dir.check(&["--strict", "check/warning-only.json"]);
    assert_eq!(output.code, 1);
    assert!(
        output
            .summary()
            .ends_with("0 ok, 1 failed (0 errors, 1 warning)"),
        "{}",
        output.summary()
    );
}

#[test]
fn allow_warn_deny_and_last_flag_wins() {
    let dir = fixtures();
    let file = "check/mixed/a-status.json";
    let output = dir.check(&["--allow", "status-mismatch", file]);
    assert_eq!(
        (output.code, output.rules().len()),
        (0, 0),
        "{}",
        output.stdout
    );
    let output = dir.check(&["--warn", "status_mismatch", file]);
    assert_eq!(output.code, 0);
    assert!(output.stdout.contains("warning[status-mismatch]"));
    let output = dir.check(&["--deny", "detail-prefix", "check/warning-only.json"]);
    assert_eq!(output.code, 1);
    assert!(output.stdout.contains("error[detail-prefix]"));
    let output = dir.check(&[
        "--allow",
        "status-mismatch",
        "--deny",
        "status-mismatch",
        file,
    ]);
    assert_eq!(output.code, 1);
    let output = dir.check(&[
        "--deny",
        "status-mismatch",
        "--allow",
        "status-mismatch",
        file,
    ]);
    assert_eq!(output.code, 0);
}

#[test]
fn expect_checks_the_code() {
    let dir = fixtures();
    let output = dir.check(&["--expect", "model_not_found", "check/valid.json"]);
    assert_eq!(output.code, 0, "{}", output.stdout);
    let output = dir.check(&["--expect", "ENTITY_NOT_FOUND", "check/valid.json"]);
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["expected-code"]);
}

#[test]
fn colour_never_on_a_pipe_and_on_when_asked() {
    let dir = fixtures();
    let file = "check/mixed/a-status.json";
    assert!(!dir.check(&[file]).stdout.contains('\u{1b}'));
    assert!(
        !dir.command(&["check", file])
            .env("TERM", "xterm-256color")
            .run()
            .stdout
            .contains('\u{1b}')
    );
    let always = dir.check(&["--color", "always", file]);
    assert!(
        always.stdout.contains("\u{1b}[1m\u{1b}[31m")
            || always.stdout.contains("\u{1b}[1;31m")
            || always.stdout.contains("\u{1b}[31"),
        "{:?}",
        always.stdout
    );
    let forced = dir
        .command(&["check", file])
        .env("CLICOLOR_FORCE", "1")
        .run();
    assert!(forced.stdout.contains('\u{1b}'));
    let no_color = dir
        .command(&["check", file])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .run();
    assert!(!no_color.stdout.contains('\u{1b}'));
    assert!(
        !dir.check(&["--color", "never", file])
            .stdout
            .contains('\u{1b}')
    );
}

/// No byte of a response's control characters reaches the terminal raw.
#[test]
fn control_characters_are_escaped() {
    let dir = fixtures();
    dir.write("evil/evil\u{1b}[31m\u{7}.json", "{\"status\": 1}\n");
    let output = dir.check(&["check/control.json", "check/raw-escape.json", "evil"]);
    assert_eq!(output.code, 1);
    for (name, bytes) in [
        ("stdout", &output.raw_stdout),
        ("stderr", &output.raw_stderr),
    ] {
        let bad: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|&b| (b < 0x20 && b != b'\n') || b == 0x7f)
            .collect();
        assert!(bad.is_empty(), "{name} holds control bytes {bad:?}");
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains('\u{9b}'), "{name} holds a C1 CSI");
    }
    assert!(
        output.stdout.contains("evil/evil\\u{1b}[31m\\u{7}.json:1:"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("1 | {\"title\": \"a\\u{1b}[31mb\\u{7}\", \"status\": 404}"),
        "{}",
        output.stdout
    );
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = TestDir::new();
    let line = "{\"type\": \"about:blank\", \"title\": \"Gone\", \"status\": 410, \"instance\": \"/x\", \"properties\": {\"errorCode\": \"ENTITY_NOT_FOUND\"}}\n";
    dir.write("many.ndjson", line.repeat(20_000));
    let (code, stderr) = dir.close_stdout_after(&["check", "many.ndjson"], 64);
    assert_eq!(code, Some(1));
    assert_eq!(stderr, "");
}

#[test]
fn output_writes_the_report_to_a_file_and_the_summary_to_stderr() {
    let dir = fixtures();
    let output = dir.check(&["--output", "report.txt", "check/mixed/a-status.json"]);
    assert_eq!(output.code, 1);
    assert_eq!(output.stdout, "");
    let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(report.starts_with("check/mixed/a-status.json:4:13: error[status-mismatch]"));
    assert_eq!(
        output.stderr,
        "checked 1 response in 1 input against cyoda-go 0.8.3: 0 ok, 1 failed (1 error, 0 warnings)\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A pretty-printed single document is one response, however its lines look: an array holding
/// one problem document is `not-an-object`, never an NDJSON stream of its lines.
#[test]
fn a_pretty_printed_array_is_one_document() {
    let dir = TestDir::new();
    dir.write("array.json", "[\n  {\"type\": \"about:blank\"}\n]\n");
    let output = dir.check(&["array.json"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(output.rules(), ["not-an-object"]);
    assert!(
        output.stdout.starts_with(
            "array.json:1:1: error[not-an-object]: the top-level value is an array, not an object\n"
        ),
        "{}",
        output.stdout
    );
    assert_eq!(
        output.summary(),
        "checked 1 response in 1 input against cyoda-go 0.8.3: 0 ok, 1 failed (1 error, 0 warnings)"
    );
}

/// `duplicate-member` names the first occurrence by its line and column in the input, and
/// shows it as a second label.
#[test]
fn a_duplicate_member_points_at_its_first_occurrence() {
    let dir = TestDir::new();
    let body = "{\n  \"type\": \"about:blank\",\n  \"title\": \"Not Found\",\n  \"status\": 404,\n  \"detail\": \"ENTITY_NOT_FOUND: x\",\n  \"instance\": \"/entity/1\",\n    \"status\": 404,\n  \"properties\": {\"errorCode\": \"ENTITY_NOT_FOUND\"}\n}\n";
    dir.write("dup.json", body);
    // NDJSON too: the first occurrence is on the body's line of the file.
    let line = body.replace('\n', "");
    dir.write("dup.ndjson", format!("{line}\n{line}\n"));
    let output = dir.check(&["dup.json", "dup.ndjson"]);
    assert_eq!(output.rules(), ["duplicate-member"; 3]);
    let expected = "\
dup.json:7:5: error[duplicate-member]: member \"status\" appears twice
  |
7 |     \"status\": 404,
  |     ^^^^^^^^ first at line 4, column 3
  |
 ::: dup.json:4:3
  |
4 |   \"status\": 404,
  |   -------- first occurrence
  |
  = help: cyoda help check duplicate-member
";
    assert!(output.stdout.starts_with(expected), "{}", output.stdout);
    let column = line.find("\"status\"").unwrap() + 1;
    assert!(
        output
            .stdout
            .contains(&format!("first at line 2, column {column}")),
        "{}",
        output.stdout
    );
}
