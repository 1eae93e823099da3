//! `cyoda check` on inputs a server, a proxy or a broken capture may produce: each ends with a
//! documented exit code and a one-line message, never a panic, a hang or unbounded memory, and
//! no text from an input reaches the terminal raw.
//!
//! The rule (`cyoda help check`, "When an input cannot be read"): a response that can be cut
//! out of its input is judged by the rules, so broken JSON, binary junk or a wrong `status` is a
//! failing response (exit 1); an input that yields no response to judge — missing, unreadable,
//! empty, over the size limit, or a HAR or HTTP capture whose framing is broken — is an input
//! the tool cannot read (exit 2).

use crate::util::TestDir;
use std::io::Write;
use std::process::Stdio;

/// A conforming body with `status` written as `status`.
fn body_with_status(status: &str) -> String {
    format!(
        "{{\"type\": \"about:blank\", \"title\": \"Not Found\", \"status\": {status}, \
         \"detail\": \"MODEL_NOT_FOUND: x\", \"instance\": \"/entity/1\", \
         \"properties\": {{\"errorCode\": \"MODEL_NOT_FOUND\"}}}}"
    )
}

/// Checks one file holding `contents`; returns the output.
fn check_file(name: &str, contents: impl AsRef<[u8]>) -> crate::util::Output {
    let dir = TestDir::new();
    dir.write(name, contents);
    dir.check(&[name])
}

#[test]
fn an_empty_file_fails_closed_as_invalid_json() {
    // Named, or found in a directory: a capture with nothing in it cannot be checked, and a
    // CI run must not pass on it.
    for (name, body) in [("empty.json", ""), ("blank.json", " \n\t\n")] {
        let output = check_file(name, body);
        assert_eq!(output.code, 1, "{name}");
        assert_eq!(output.rules(), ["invalid-json"], "{name}");
        assert!(output.stdout.contains("empty body"), "{}", output.stdout);
    }
    let dir = TestDir::new();
    dir.write("captures/a.json", body_with_status("404"))
        .write("captures/b.json", "");
    let output = dir.check(&["captures"]);
    assert_eq!(output.code, 1);
    assert!(
        output
            .stdout
            .starts_with("captures/b.json:1:1: error[invalid-json]: empty body"),
        "{}",
        output.stdout
    );
}

/// RFC 8259 §8.1: a networked JSON text must not start with a BOM; the rule says so.
#[test]
fn utf8_bom_is_invalid_json() {
    let output = check_file("bom.json", format!("\u{feff}{}", body_with_status("404")));
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["invalid-json"]);
    assert!(
        output
            .stdout
            .starts_with("bom.json:1:1: error[invalid-json]: byte order mark before the JSON text"),
        "{}",
        output.stdout
    );
    assert_terminal_safe(&output);
}

#[test]
fn invalid_utf8_is_invalid_json() {
    let output = check_file("latin1.json", b"{\"title\": \"Caf\xe9\"}\n");
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["invalid-json"]);
    assert!(
        output.stdout.starts_with("latin1.json:1:"),
        "{}",
        output.stdout
    );
}

#[test]
fn binary_junk_is_invalid_json() {
    let junk: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let output = check_file("junk.bin", junk);
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["invalid-json"]);
    assert_terminal_safe(&output);
}

#[test]
fn nul_bytes_are_invalid_json() {
    let output = check_file("nul.json", b"{\"title\": \"a\0b\", \0 \"status\": 404}");
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["invalid-json"]);
    assert_terminal_safe(&output);
}

#[test]
fn deep_nesting_is_invalid_json_not_a_stack_overflow() {
    let depth = 200_000;
    for (name, open, close) in [("arrays.json", "[", "]"), ("objects.json", "{\"a\":", "}")] {
        let text = format!("{}{}", open.repeat(depth), close.repeat(depth));
        let output = check_file(name, &text);
        assert_eq!(output.code, 1, "{name}: {}", output.stderr);
        assert_eq!(output.rules(), ["invalid-json"], "{name}");
        assert!(
            output.stdout.contains("nested deeper than 512 levels"),
            "{name}: {}",
            output.stdout
        );
        // Two such lines: detection asks serde_json whether a line stands alone, which must
        // not overflow the stack either (arrays make NDJSON, objects one body: both fail).
        let output = check_file(name, format!("{text}\n{text}\n"));
        assert_eq!(output.code, 1, "{name} on two lines: {}", output.stderr);
        let rules = output.rules();
        assert!(!rules.is_empty() && rules.iter().all(|rule| rule == "invalid-json"));
    }
}

#[test]
fn a_10_mb_string_is_checked_and_shown_short() {
    let title = "x".repeat(10 << 20);
    let body = body_with_status("404").replace("Not Found", &title);
    let started = std::time::Instant::now();
    let output = check_file("big.json", body);
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["title-mismatch"]);
    assert!(
        output.stdout.len() < 2000,
        "the report quotes the whole string: {} bytes",
        output.stdout.len()
    );
    assert!(started.elapsed().as_secs() < 60);
}

/// Streams `head`, `megabytes` MiB of `x` and `tail` into `cyoda check -` running with its
/// address space capped at `limit_kib`; returns its output and whether the reader stopped early
/// (the writer saw a closed pipe).
#[cfg(target_os = "linux")]
fn stream_capped(
    limit_kib: u64,
    head: &'static [u8],
    megabytes: usize,
    tail: &'static [u8],
) -> (std::process::Output, bool) {
    let dir = TestDir::new();
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && exec \"$0\" check -"))
        .arg(env!("CARGO_BIN_EXE_cyoda"))
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        stdin.write_all(head)?;
        for _ in 0..megabytes {
            stdin.write_all(&chunk)?;
        }
        stdin.write_all(tail)
    });
    let output = child.wait_with_output().unwrap();
    let stopped_early = writer.join().unwrap().is_err();
    (output, stopped_early)
}

/// A 200 MB JSON document on standard input, streamed: the read stops after the 64 MiB limit
/// (exit 2, one line), and memory stays near the limit, not the input.
#[cfg(target_os = "linux")]
#[test]
fn a_200_mb_document_is_refused_in_bounded_memory() {
    // Address space capped well below 200 MB: reading the document whole would abort.
    let (output, stopped_early) = stream_capped(163_840, b"{\"detail\": \"", 200, b"\"}\n");
    assert!(stopped_early);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "cyoda: error: <stdin>: the response is larger than the limit of 64 MiB\n"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn status_spellings() {
    for (status, code, rules) in [
        ("409.0", 1, &["title-mismatch", "status-mismatch"][..]),
        ("404.0", 0, &[][..]),
        ("4.04e2", 0, &[][..]),
        ("1e400", 1, &["wrong-type"][..]),
        ("-0", 1, &["status-mismatch"][..]),
        ("\"404\"", 1, &["wrong-type"][..]),
        ("true", 1, &["wrong-type"][..]),
    ] {
        let output = check_file("status.json", body_with_status(status));
        assert_eq!(output.code, code, "status {status}: {}", output.stdout);
        assert_eq!(output.rules(), rules, "status {status}");
        assert_eq!(output.stderr, "", "status {status}");
    }
}

#[test]
fn duplicate_members_fail() {
    let body = body_with_status("404").replace("{\"type\"", "{\"status\": 404, \"type\"");
    let output = check_file("dup.json", body);
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["duplicate-member"]);
}

#[cfg(unix)]
#[test]
fn dev_null_is_an_empty_capture() {
    let output = TestDir::new().check(&["/dev/null"]);
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["invalid-json"]);
}

#[cfg(unix)]
#[test]
fn directory_with_nothing_to_check() {
    let dir = TestDir::new();
    dir.write("captures/.hidden.json", body_with_status("404"));
    // A FIFO inside a directory is not an input (reading it could wait forever).
    mkfifo(&dir.path().join("captures/pipe"));
    let output = dir.check(&["captures"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: captures: directory holds no files to check\n"
    );
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// A FIFO named on the command line is read like a file (`cyoda check <(curl …)`).
#[cfg(unix)]
#[test]
fn fifo_argument_is_read() {
    let dir = TestDir::new();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let body = body_with_status("409");
    // Not joined: should cyoda never open the FIFO, the test fails instead of hanging.
    std::thread::spawn(move || {
        let mut writer = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
        writer.write_all(body.as_bytes()).unwrap();
    });
    let output = dir.check(&["pipe"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(output.rules(), ["title-mismatch", "status-mismatch"]);
}

#[test]
fn missing_file_exits_2() {
    let output = TestDir::new().check(&["nope.json"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: nope.json: no such file or directory\n"
    );
}

/// Without read permission the input is unreadable — except as root, which reads anyway (CI
/// runs as root): then the file is checked like any other.
#[cfg(unix)]
#[test]
fn file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    dir.write("secret.json", body_with_status("404"));
    let path = dir.path().join("secret.json");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let output = dir.check(&["secret.json"]);
    if std::fs::read(&path).is_ok() {
        assert_eq!(output.code, 0, "{}", output.stderr);
    } else {
        assert_eq!(output.code, 2);
        assert_eq!(
            output.stderr,
            "cyoda: error: secret.json: permission denied\n"
        );
    }
}

/// A dangling symlink cannot be read by anyone, root included.
#[cfg(unix)]
#[test]
fn dangling_symlink_exits_2() {
    let dir = TestDir::new();
    std::os::unix::fs::symlink("gone.json", dir.path().join("link.json")).unwrap();
    let output = dir.check(&["link.json"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: link.json: broken symbolic link (its target does not exist)\n"
    );
    // Inside a directory too; the other files are still checked.
    dir.write("captures/ok.json", body_with_status("404"));
    std::os::unix::fs::symlink("../gone.json", dir.path().join("captures/link.json")).unwrap();
    let output = dir.check(&["captures"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: captures/link.json: broken symbolic link (its target does not exist)\n"
    );
    assert!(
        output
            .summary()
            .starts_with("checked 1 response in 2 inputs against cyoda-go 0.8.3: 1 ok")
    );
}

#[cfg(unix)]
#[test]
fn path_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TestDir::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    std::fs::write(dir.path().join(name), body_with_status("409")).unwrap();
    let mut cmd = dir.command(&["check"]);
    cmd.command.arg(name);
    let output = cmd.run();
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert!(
        output.stdout.starts_with("caf\u{fffd}.json:1:"),
        "{}",
        output.stdout
    );
    // A missing one is named the same way.
    let mut cmd = dir.command(&["check"]);
    cmd.command
        .arg(std::ffi::OsStr::from_bytes(b"gon\xe9.json"));
    let output = cmd.run();
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: gon\u{fffd}.json: no such file or directory\n"
    );
}

#[test]
fn har_with_broken_base64_exits_2() {
    let har = "{\"log\": {\"entries\": [{\"response\": {\"status\": 500, \"content\": \
               {\"encoding\": \"base64\", \"text\": \"eyJ0eXBlIjo*\"}}}]}}";
    let output = check_file("broken.har", har);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: broken.har#entry-1: response.content.text is marked base64 but is not \
         valid base64 (line 1, column 93)\n"
    );
}

#[test]
fn http_capture_without_a_blank_line_before_the_body_exits_2() {
    let capture = format!(
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n{}\r\n",
        body_with_status("404")
    );
    let output = check_file("capture.http", capture);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: capture.http: line 3: not a header line; a blank line must separate \
         the headers from the body\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Terminal safety

/// What a hostile response may carry to take over a terminal.
const PAYLOADS: &[&str] = &[
    "\u{1b}[31mred\u{1b}[0m",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}]8;;http://x\u{1b}\\link",
    "bell\u{7}",
    "\u{9b}2J",
    "\u{85}next",
    "back\u{8}space",
    "carriage\rreturn",
    "\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}",
    "\u{2066}\u{2067}\u{2068}\u{2069}",
];

/// No raw control or bidi character, and valid UTF-8 (a lone 0x9b byte is an 8-bit CSI).
fn assert_terminal_safe(output: &crate::util::Output) {
    for (stream, bytes) in [
        ("stdout", &output.raw_stdout),
        ("stderr", &output.raw_stderr),
    ] {
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{stream} is not UTF-8: {e}: {bytes:?}"));
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n')
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
            })
            .collect();
        assert!(bad.is_empty(), "{stream} holds {bad:?}:\n{text}");
    }
}

/// The same run in every format, since a terminal may show any of them: `human`, `github`
/// (CI logs print it), and the machine formats when run by hand. Each must be terminal-safe
/// with the same exit code.
fn assert_safe_in_terminal_formats(dir: &TestDir, args: &[&str], code: i32) {
    for format in ["human", "github", "json", "junit", "sarif"] {
        let mut all = vec!["--format", format];
        all.extend_from_slice(args);
        let output = dir.check(&all);
        assert_eq!(output.code, code, "--format {format}: {}", output.stderr);
        assert_terminal_safe(&output);
    }
}

/// `payload` as a JSON string's contents, escaped (`\u001b`), so the body stays valid JSON.
fn json_escaped(payload: &str) -> String {
    let quoted = serde_json::to_string(payload).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

#[test]
fn payloads_in_member_values_and_names() {
    let dir = TestDir::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let escaped = json_escaped(payload);
        // Decoded from escapes: in a value the rules quote, and in a member name.
        let body = body_with_status("404")
            .replace("Not Found", &escaped)
            .replace("/entity/1", &escaped)
            .replace("MODEL_NOT_FOUND: x", &escaped)
            .replace("{\"type\"", &format!("{{\"{escaped}\": 1, \"type\""))
            .replace(
                "\"errorCode\"",
                &format!("\"x{escaped}\": true, \"errorCode\""),
            );
        dir.write(&format!("escaped-{i}.json"), body);
        // Raw in the bytes (invalid JSON for controls; the snippet shows the line).
        dir.write(
            &format!("raw-{i}.json"),
            body_with_status("404").replace("Not Found", payload),
        );
        // In NDJSON lines.
        dir.write(
            &format!("lines-{i}.ndjson"),
            format!(
                "{}\n{{\"{escaped}\": \"{payload}\"}}\n",
                body_with_status("404")
            ),
        );
    }
    let output = dir.check(&["."]);
    assert_eq!(output.code, 1);
    assert!(output.rules().contains(&"title-mismatch".to_string()));
    assert!(output.rules().contains(&"extension-member".to_string()));
    assert!(output.rules().contains(&"invalid-json".to_string()));
    assert_safe_in_terminal_formats(&dir, &["."], 1);
    let output = dir.check(&["--strict", "--color", "always", "."]);
    assert_terminal_safe_but_colour(&output);
}

/// As [`assert_terminal_safe`], but the report's own SGR colour sequences are allowed.
fn assert_terminal_safe_but_colour(output: &crate::util::Output) {
    let mut stripped = output.stdout.clone();
    for sgr in [
        "\u{1b}[0m",
        "\u{1b}[1m",
        "\u{1b}[31m",
        "\u{1b}[33m",
        "\u{1b}[1;31m",
        // annotate-snippets' palette for the snippet, carets and help line.
        "\u{1b}[91m",
        "\u{1b}[93m",
        "\u{1b}[94m",
        "\u{1b}[96m",
        "\u{1b}[97m",
    ] {
        stripped = stripped.replace(sgr, "");
    }
    let bad: Vec<char> = stripped
        .chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect();
    assert!(bad.is_empty(), "stdout holds {bad:?}:\n{stripped:?}");
}

#[cfg(unix)]
#[test]
fn payloads_in_file_names() {
    let dir = TestDir::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        dir.write(
            &format!("captures/{i}{payload}.json"),
            body_with_status("409"),
        );
    }
    // And one missing file, whose name goes to stderr.
    let output = dir.check(&["captures", &format!("gone{}", PAYLOADS[0])]);
    assert_eq!(output.code, 2);
    assert_eq!(output.rules().len(), 2 * PAYLOADS.len());
    assert_terminal_safe(&output);
    assert!(
        output.stderr.contains("gone\\u{1b}[31m"),
        "{}",
        output.stderr
    );
    let gone = format!("gone{}", PAYLOADS[0]);
    assert_safe_in_terminal_formats(&dir, &["captures", &gone], 2);
}

#[test]
fn payloads_in_http_headers() {
    let dir = TestDir::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        dir.write(
            &format!("{i}.http"),
            format!(
                "HTTP/1.1 409 Conflict{payload}\r\nContent-Type: text/plain{payload}\r\n\
                 X-Evil: {payload}\r\n\r\n{}\r\n",
                body_with_status("404")
            ),
        );
    }
    let output = dir.check(&["."]);
    assert_eq!(output.code, 1);
    assert!(output.rules().contains(&"content-type".to_string()));
    assert!(output.rules().contains(&"http-status".to_string()));
    assert_safe_in_terminal_formats(&dir, &["."], 1);
}

#[test]
fn payloads_in_har_entries() {
    let dir = TestDir::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let escaped = json_escaped(payload);
        let body = json_escaped(&body_with_status("404").replace("Not Found", payload));
        dir.write(
            &format!("{i}.har"),
            format!(
                "{{\"log\": {{\"entries\": [\
                 {{\"response\": {{\"status\": 404, \"headers\": [{{\"name\": \"Content-Type\", \
                   \"value\": \"text/{escaped}\"}}], \"content\": {{\"text\": \"{body}\"}}}}}},\
                 {{\"response\": {{\"status\": 404, \"headers\": \"{escaped}\"}}}},\
                 {{\"response\": {{\"status\": \"{escaped}\"}}}},\
                 {{\"{escaped}\": 1}},\
                 {{\"response\": {{\"status\": 500, \"content\": {{\"encoding\": \"base64\", \
                   \"text\": \"{escaped}\"}}}}}}\
                 ]}}}}"
            ),
        );
        // Raw bytes where the scanner stops: the reason names a position, not the text.
        dir.write(
            &format!("raw-{i}.har"),
            format!("{{\"log\": {{\"{payload}\": [}}"),
        );
    }
    let output = dir.check(&["."]);
    assert_eq!(output.code, 2);
    assert!(output.rules().contains(&"content-type".to_string()));
    assert!(output.rules().contains(&"title-mismatch".to_string()));
    assert_safe_in_terminal_formats(&dir, &["."], 2);
}

#[test]
fn payloads_in_help_arguments() {
    let dir = TestDir::new();
    for payload in PAYLOADS {
        let output = dir.command(&["help", "errors", payload]).run();
        assert_eq!(output.code, 2);
        assert_terminal_safe(&output);
    }
}

// ---------------------------------------------------------------------------------------------
// Interrupts

/// Names in `dir` that look like the report's temporary file.
fn temporaries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

/// SIGINT while `--output` is being written: the report file is either absent or complete,
/// and no temporary file is left behind.
#[cfg(unix)]
#[test]
fn sigint_during_output_leaves_no_partial_file() {
    let dir = TestDir::new();
    let conforming = body_with_status("404") + "\n";
    let failing = body_with_status("409") + "\n";
    dir.write(
        "many.ndjson",
        (conforming.repeat(99) + &failing).repeat(2_000),
    );
    let mut child = dir
        .command(&["check", "--output", "report.txt", "many.ndjson"])
        .command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while temporaries(dir.path()).is_empty()
        && child.try_wait().unwrap().is_none()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let report = dir.path().join("report.txt");
    match output.status.code() {
        // Interrupted: nothing committed.
        Some(130) => assert!(!report.exists(), "a partial report.txt was committed"),
        // Finished before the signal: the report is whole.
        Some(1) => {
            let text = std::fs::read_to_string(&report).unwrap();
            assert!(
                text.ends_with("failed (2000 errors, 0 warnings)\n"),
                "{}",
                &text[text.len().saturating_sub(200)..]
            );
        }
        other => panic!(
            "unexpected end {other:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

/// A HAR entry larger than the entry limit (four times the response limit, for base64 and
/// escapes), streamed: refused at the limit, in memory near it.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_har_entry_is_refused_in_bounded_memory() {
    let head = b"{\"log\": {\"entries\": [{\"response\": {\"status\": 500, \"x\": \"";
    let (output, stopped_early) = stream_capped(409_600, head, 300, b"\"}}]}}\n");
    assert!(stopped_early);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "cyoda: error: <stdin>: a HAR entry is larger than the limit of 256 MiB\n"
    );
    assert_eq!(output.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Broken pipes

/// Every command that writes to stdout ends quietly when stdout is closed before it writes:
/// its own exit code, nothing on stderr, no panic.
#[test]
fn closed_stdout_ends_every_command_quietly() {
    let dir = TestDir::new();
    let line = body_with_status("409") + "\n";
    dir.write("many.ndjson", line.repeat(5_000));
    for (args, code) in [
        (&["help"][..], 0),
        (&["help", "errors", "--format", "json"][..], 0),
        (&["help", "-k", "idempotency"][..], 0),
        (&["man"][..], 0),
        (&["completions", "bash"][..], 0),
        (&["--help"][..], 0),
        (&["check", "many.ndjson"][..], 1),
        (&["check", "--format", "github", "many.ndjson"][..], 1),
        (&["check", "--format", "json", "many.ndjson"][..], 1),
        (&["check", "--format", "junit", "many.ndjson"][..], 1),
        (&["check", "--format", "sarif", "many.ndjson"][..], 1),
    ] {
        let (status, stderr) = dir.close_stdout_after(args, 0);
        assert_eq!(status, Some(code), "{args:?}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// A HAR status beyond three digits is no HTTP status: the entry is unreadable (it used to
/// be checked as 65535). Status 0, a request that got no response, is skipped.
#[test]
fn har_status_out_of_range() {
    let har = "{\"log\": {\"entries\": [\
               {\"response\": {\"status\": 70000}},\
               {\"response\": {\"status\": 0}}]}}";
    let output = check_file("status.har", har);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: status.har#entry-1: response.status is not an HTTP status (above 999) \
         (line 1, column 46)\n"
    );
    assert_eq!(
        output.summary(),
        "checked 0 responses in 1 input against cyoda-go 0.8.3: 0 ok, 0 failed; 1 response with status below 400 \
         skipped; 1 input could not be read"
    );
}

// ---------------------------------------------------------------------------------------------
// Captures of API test tools: zip bombs, body files outside the capture's folder, broken
// Newman byte arrays, missing Hurl bodies

/// One member of a zip archive written by hand, so that it can lie about its size.
struct Member {
    name: &'static str,
    /// 0 stored, 8 deflate.
    method: u16,
    data: Vec<u8>,
    /// What the headers declare it inflates to.
    size: u32,
    crc: u32,
}

fn crc(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

/// A member stored as it is, honest about its size.
fn stored(name: &'static str, bytes: &[u8]) -> Member {
    Member {
        name,
        method: 0,
        data: bytes.to_vec(),
        size: u32::try_from(bytes.len()).unwrap(),
        crc: crc(bytes),
    }
}

/// A deflate stream inflating to `mib` MiB of `byte`, in about a KiB per MiB: one
/// full-flushed block of a MiB, which refers to nothing before it, repeated, then an empty
/// final block. Built in a blink, whatever it inflates to.
fn deflate_bomb(byte: u8, mib: usize) -> Vec<u8> {
    let input = vec![byte; 1 << 20];
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let mut block = Vec::with_capacity(1 << 16);
    compress
        .compress_vec(&input, &mut block, flate2::FlushCompress::Full)
        .unwrap();
    assert_eq!(compress.total_in(), 1 << 20);
    let mut stream = block.repeat(mib);
    stream.extend_from_slice(&[0x03, 0x00]);
    stream
}

/// A zip archive of `members`, with local headers, a central directory and its end record.
fn zip_archive(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    for member in members {
        let offset = u32::try_from(out.len()).unwrap();
        let name_len = u16::try_from(member.name.len()).unwrap();
        let data_len = u32::try_from(member.data.len()).unwrap();
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, member.method, 0, 0x21] {
            u16le(&mut out, v);
        }
        for v in [member.crc, data_len, member.size] {
            u32le(&mut out, v);
        }
        u16le(&mut out, name_len);
        u16le(&mut out, 0);
        out.extend_from_slice(member.name.as_bytes());
        out.extend_from_slice(&member.data);

        u32le(&mut central, 0x0201_4b50);
        for v in [20, 20, 0, member.method, 0, 0x21] {
            u16le(&mut central, v);
        }
        for v in [member.crc, data_len, member.size] {
            u32le(&mut central, v);
        }
        for v in [name_len, 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(member.name.as_bytes());
    }
    let central_offset = u32::try_from(out.len()).unwrap();
    let central_len = u32::try_from(central.len()).unwrap();
    let count = u16::try_from(members.len()).unwrap();
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, count, count] {
        u16le(&mut out, v);
    }
    u32le(&mut out, central_len);
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    out
}

/// A HAR of one error entry whose body is the `_file` named `file`.
fn har_with_file(file: &str) -> String {
    format!(
        "{{\"log\": {{\"entries\": [{{\"response\": {{\"status\": 500, \"headers\": [], \
         \"content\": {{\"size\": 10, \"mimeType\": \"application/problem+json\", \"_file\": \"{}\"}}}}}}]}}}}",
        json_escaped(file)
    )
}

/// `cyoda check ARGS…` in `dir` with its address space capped at `limit_kib`.
#[cfg(target_os = "linux")]
fn check_capped(dir: &TestDir, limit_kib: u64, args: &[&str]) -> crate::util::Output {
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && exec \"$0\" check \"$@\""))
        .arg(env!("CARGO_BIN_EXE_cyoda"))
        .args(args)
        .current_dir(dir.path())
        .env("CYODA_SERVER_VERSION", crate::util::PINNED);
    crate::util::run(&mut command)
}

/// A HAR member that declares gigabytes is refused before a byte of it is inflated.
#[test]
fn a_har_zip_whose_har_declares_gigabytes_is_refused_at_once() {
    let dir = TestDir::new();
    let mut har = stored("har.har", b"{\"log\": {\"entries\": []}}");
    har.size = 0xFFFF_0000;
    dir.write("bomb.har.zip", zip_archive(&[har]));
    let started = std::time::Instant::now();
    let output = dir.check(&["bomb.har.zip"]);
    assert!(started.elapsed().as_secs() < 10);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: bomb.har.zip: the archive member \"har.har\" inflates to 4096 MiB, \
         more than the limit of 256 MiB\n"
    );
}

/// A body member that lies about its size (a few KiB that inflate to 4 GiB) is cut off where
/// its declared size ends (the zip crate checks it), in bounded memory; one that declares 4
/// GiB is refused at once. The entry is unreadable, the run exits 2.
#[cfg(target_os = "linux")]
#[test]
fn a_har_zip_body_that_inflates_to_gigabytes_stops_at_the_limit() {
    let dir = TestDir::new();
    let bomb = Member {
        name: "bomb.dat",
        method: 8,
        data: deflate_bomb(b' ', 4096),
        size: 10,
        crc: 0,
    };
    assert!(bomb.data.len() < 8 << 20, "{} bytes", bomb.data.len());
    let har = har_with_file("bomb.dat");
    dir.write(
        "bomb.har.zip",
        zip_archive(&[stored("har.har", har.as_bytes()), bomb]),
    );
    let started = std::time::Instant::now();
    // 64 MiB of body and the zip's buffers fit; 4 GiB would not.
    let output = check_capped(&dir, 400_000, &["bomb.har.zip"]);
    assert!(started.elapsed().as_secs() < 60);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        output.stderr,
        "cyoda: error: bomb.har.zip#entry-1: response.content._file \"bomb.dat\" cannot be \
         read: File is larger than its declared uncompressed size\n"
    );
    let mut honest = stored("bomb.dat", b"x");
    honest.size = 0xFFFF_0000;
    dir.write(
        "honest.har.zip",
        zip_archive(&[stored("har.har", har.as_bytes()), honest]),
    );
    let output = dir.check(&["honest.har.zip"]);
    assert_eq!(
        output.stderr,
        "cyoda: error: honest.har.zip#entry-1: response.content._file \"bomb.dat\" inflates to \
         4096 MiB, more than the limit of 64 MiB\n"
    );
}

/// Bodies within their own limit that together inflate past the archive's: a 60 MiB body
/// named by 20 entries stops after 1 GiB, at the 18th.
#[test]
fn a_har_zip_whose_bodies_inflate_past_the_archive_limit_stops_there() {
    let dir = TestDir::new();
    let body = Member {
        name: "body.dat",
        method: 8,
        data: deflate_bomb(b'x', 60),
        size: 60 << 20,
        crc: crc(&vec![b'x'; 60 << 20]),
    };
    let entry = "{\"response\": {\"status\": 500, \"headers\": [], \"content\": {\"_file\": \"body.dat\"}}}";
    let har = format!(
        "{{\"log\": {{\"entries\": [{}]}}}}",
        vec![entry; 20].join(",")
    );
    dir.write(
        "many.har.zip",
        zip_archive(&[stored("har.har", har.as_bytes()), body]),
    );
    let started = std::time::Instant::now();
    let output = dir.check(&["many.har.zip"]);
    assert!(started.elapsed().as_secs() < 120);
    assert_eq!(output.code, 2);
    // The first 17 are read whole (1020 MiB) and checked; the 18th crosses 1 GiB, and so does
    // every later one.
    assert_eq!(
        output.rules().len(),
        17 * 2,
        "{}{}",
        output.stdout,
        output.stderr
    );
    let lines: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", output.stderr);
    assert_eq!(
        lines[0],
        "cyoda: error: many.har.zip#entry-18: response.content._file \"body.dat\" inflates past \
         1024 MiB, the limit for all the members read from one archive"
    );
}

/// The HAR member itself lying about its size: cut off where its declared size ends, in
/// bounded memory.
#[cfg(target_os = "linux")]
#[test]
fn a_har_zip_whose_har_inflates_to_gigabytes_stops_at_the_limit() {
    let dir = TestDir::new();
    let head = b"{\"log\": {\"entries\": [{\"response\": {\"status\": 500, \"x\": \"";
    // The head, stored as a deflate block of its own, then 4 GiB of `x`.
    let mut compress = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut data = Vec::with_capacity(1024);
    compress
        .compress_vec(head, &mut data, flate2::FlushCompress::Full)
        .unwrap();
    data.extend_from_slice(&deflate_bomb(b'x', 4096));
    let har = Member {
        name: "har.har",
        method: 8,
        data,
        size: 100,
        crc: 0,
    };
    dir.write("bomb.har.zip", zip_archive(&[har]));
    let output = check_capped(&dir, 600_000, &["bomb.har.zip"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        output.stderr,
        "cyoda: error: bomb.har.zip: the archive member \"har.har\" cannot be read: File is \
         larger than its declared uncompressed size\n"
    );
}

/// Archives that are not captures, or not archives, each say so in one line.
#[test]
fn zip_archives_that_are_not_har_captures() {
    let dir = TestDir::new();
    dir.write("none.zip", zip_archive(&[stored("a.txt", b"x")]));
    dir.write(
        "two.zip",
        zip_archive(&[stored("a.har", b"{}"), stored("b.har", b"{}")]),
    );
    dir.write("broken.zip", b"PK\x03\x04 not really a zip");
    let mut bzip = stored("har.har", b"{}");
    bzip.method = 12;
    dir.write("bzip.zip", zip_archive(&[bzip]));
    let output = dir.check(&["none.zip", "two.zip", "broken.zip", "bzip.zip"]);
    assert_eq!(output.code, 2);
    let lines: Vec<&str> = output.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "cyoda: error: none.zip: a zip archive without a `.har` member: not a capture cyoda check reads"
    );
    assert_eq!(
        lines[1],
        "cyoda: error: two.zip: a zip archive with 2 `.har` members (\"a.har\", \"b.har\"): \
         cyoda check reads archives with one"
    );
    assert!(
        lines[2].starts_with("cyoda: error: broken.zip: not a valid zip archive: "),
        "{}",
        lines[2]
    );
    assert!(
        lines[3]
            .starts_with("cyoda: error: bzip.zip: the archive member \"har.har\" cannot be read: "),
        "{}",
        lines[3]
    );
    assert_eq!(lines.len(), 4, "{}", output.stderr);
}

/// `_file` names that would leave the capture's folder are refused, each in one line, and
/// nothing of what they name is read: beside the HAR, in a zip, and for request bodies.
#[test]
fn file_names_never_leave_the_capture_folder() {
    let dir = TestDir::new();
    dir.write("secret", "root:x:0:0:SECRET");
    let names = [
        "../../etc/passwd",
        "../secret",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "sub/../../secret",
    ];
    for (i, name) in names.iter().enumerate() {
        dir.write(&format!("cap/{i}.har"), har_with_file(name));
    }
    let mut expected = String::new();
    for (i, name) in names.iter().enumerate() {
        let why = if name.starts_with('/') || name.starts_with("C:") {
            "is an absolute path; it must name a file inside the capture's folder"
        } else {
            "leaves the capture's folder (a `..` component)"
        };
        expected += &format!(
            "cyoda: error: cap/{i}.har#entry-1: response.content._file {} {why}\n",
            serde_json::to_string(name).unwrap()
        );
    }
    let args: Vec<String> = (0..names.len()).map(|i| format!("cap/{i}.har")).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = dir.check(&args);
    assert_eq!(output.code, 2);
    assert_eq!(output.stderr, expected);
    assert!(!output.stdout.contains("SECRET"));

    // The same names inside an archive are refused the same way (nothing is extracted, so
    // nothing could be written there either).
    let har = har_with_file("../secret");
    dir.write(
        "cap/zip.har.zip",
        zip_archive(&[
            stored("har.har", har.as_bytes()),
            stored("../secret", b"{}"),
        ]),
    );
    let output = dir.check(&["cap/zip.har.zip"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: cap/zip.har.zip#entry-1: response.content._file \"../secret\" leaves the \
         capture's folder (a `..` component)\n"
    );

    // A keyed request whose body file escapes: refused, and the response is still checked.
    let har = format!(
        "{{\"log\": {{\"entries\": [{{\"request\": {{\"method\": \"POST\", \"url\": \"http://x/\", \
         \"headers\": [{{\"name\": \"Idempotency-Key\", \"value\": \"k\"}}], \
         \"postData\": {{\"text\": \"\", \"_file\": \"../secret\"}}}}, \
         \"response\": {{\"status\": 404, \"content\": {{\"text\": \"{}\"}}}}}}]}}}}",
        json_escaped(&body_with_status("404"))
    );
    dir.write("cap/request.har", har);
    let output = dir.check(&["cap/request.har"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: cap/request.har#entry-1: request.postData._file \"../secret\" leaves the \
         capture's folder (a `..` component)\n"
    );
    assert!(output.rules().contains(&"content-type".to_string()));
}

/// A symbolic link beside the HAR that points outside its folder is not followed; one that
/// points inside is.
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_capture_folder_are_refused() {
    let dir = TestDir::new();
    dir.write("secret", "root:x:0:0:SECRET");
    dir.write("cap/body.json", body_with_status("404"));
    std::os::unix::fs::symlink(dir.path().join("secret"), dir.path().join("cap/out")).unwrap();
    std::os::unix::fs::symlink("body.json", dir.path().join("cap/in")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("cap/passwd")).unwrap();
    dir.write("cap/out.har", har_with_file("out"));
    dir.write("cap/passwd.har", har_with_file("passwd"));
    dir.write("cap/in.har", har_with_file("in"));
    let output = dir.check(&["cap/out.har", "cap/passwd.har"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: cap/out.har#entry-1: response.content._file \"out\" resolves outside the \
         capture's folder (through a symbolic link); it is not read\n\
         cyoda: error: cap/passwd.har#entry-1: response.content._file \"passwd\" resolves \
         outside the capture's folder (through a symbolic link); it is not read\n"
    );
    assert!(!output.stdout.contains("SECRET") && !output.stdout.contains("root:"));
    // A link that stays inside is read: the body is checked (status 500 against 404).
    let output = dir.check(&["cap/in.har"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert!(output.rules().contains(&"http-status".to_string()));
    // A FIFO beside the HAR would block a read: refused as not a regular file.
    mkfifo(&dir.path().join("cap/fifo"));
    dir.write("cap/fifo.har", har_with_file("fifo"));
    let output = dir.check(&["cap/fifo.har"]);
    assert_eq!(output.code, 2);
    assert_eq!(
        output.stderr,
        "cyoda: error: cap/fifo.har#entry-1: response.content._file \"fifo\" is not a regular file\n"
    );
}

/// A Newman report of one execution whose `response.stream` is `stream`.
fn newman(stream: &str) -> String {
    format!(
        "{{\"collection\": {{}}, \"run\": {{\"executions\": [{{\"item\": {{\"name\": \"x\"}}, \
         \"response\": {{\"code\": 404, \"header\": [], \"stream\": {stream}}}}}]}}}}"
    )
}

#[test]
fn newman_byte_arrays_that_are_not_bytes() {
    // The stream, what is wrong with it, and the text the position points at.
    let cases = [
        (
            r#"{"type": "Buffer", "data": [123, 300, 125]}"#,
            "response.stream.data[1] is 300, not a byte (an integer from 0 to 255)",
            "300",
        ),
        (
            r#"{"type": "Buffer", "data": [123, -1]}"#,
            "response.stream.data[1] is -1, not a byte (an integer from 0 to 255)",
            "-1",
        ),
        (
            r#"{"type": "Buffer", "data": [1.5]}"#,
            "response.stream.data[0] is 1.5, not a byte (an integer from 0 to 255)",
            "1.5",
        ),
        (
            r#"{"type": "Buffer", "data": [[1]]}"#,
            "response.stream.data[0] is an array, not a byte",
            "[1]]",
        ),
        (
            r#"{"type": "Buffer", "data": ["{"]}"#,
            "response.stream.data[0] is a string, not a byte",
            "\"{\"",
        ),
        (
            r#"{"type": "Buffer", "data": "eyJ9"}"#,
            "invalid type: `response.stream.data` is a string, expected an array",
            "\"eyJ9\"",
        ),
        (
            r#"{"type": "Buffer"}"#,
            "missing member `response.stream.data`",
            "{\"type\": \"Buffer\"}",
        ),
    ];
    for (stream, reason, at) in cases {
        let report = newman(stream);
        let column = report.find(at).unwrap() + 1;
        let output = check_file("report.json", &report);
        assert_eq!(output.code, 2, "{stream}: {}", output.stdout);
        assert_eq!(
            output.stderr,
            format!(
                "cyoda: error: report.json#execution-1 (x): {reason} (line 1, column {column})\n"
            ),
            "{stream}"
        );
    }
    let output = check_file("report.json", newman(r#"{"type": "base64", "data": []}"#));
    assert_eq!(
        output.stderr,
        "cyoda: error: report.json#execution-1 (x): response.stream.type is \"base64\", not \"Buffer\"\n"
    );
    // No stream at all: the body was not captured, a finding.
    let output = check_file(
        "report.json",
        newman("null").replace(", \"stream\": null", ""),
    );
    assert_eq!(output.code, 1);
    assert_eq!(output.rules(), ["content-type", "body-not-captured"]);
}

/// A byte array of 20 million elements: kept out of the tree (a node per byte would need more
/// than a gigabyte), read from its text into 20 MB.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_newman_byte_array_is_read_in_bounded_memory() {
    let dir = TestDir::new();
    let data = "32,".repeat(20_000_000) + "32";
    dir.write(
        "report.json",
        newman(&format!("{{\"type\": \"Buffer\", \"data\": [{data}]}}")),
    );
    drop(data);
    let started = std::time::Instant::now();
    let output = check_capped(&dir, 600_000, &["report.json"]);
    assert!(started.elapsed().as_secs() < 120);
    assert_eq!(output.code, 1, "{}", output.stderr);
    // Twenty million spaces are no JSON value.
    assert_eq!(output.rules(), ["invalid-json", "content-type"]);
}

/// A Hurl report whose body file is missing, or named outside the report's folder.
#[test]
fn hurl_bodies_that_cannot_be_read() {
    let report = |body: &str| {
        format!(
            "[{{\"cookies\": [], \"entries\": [{{\"calls\": [{{\"request\": {{\"headers\": [], \
             \"method\": \"GET\", \"url\": \"http://x/\"}}, \"response\": {{\"body\": \"{body}\", \
             \"headers\": [], \"status\": 404}}}}], \"curl_cmd\": \"curl 'http://x/'\", \
             \"index\": 1, \"line\": 3}}], \"filename\": \"t.hurl\"}}]"
        )
    };
    let dir = TestDir::new();
    dir.write("secret", "SECRET");
    dir.write("missing/report.json", report("store/gone_response.json"));
    dir.write("escape/report.json", report("../secret"));
    dir.write("gzip/report.json", report("store/a_response.json").replace(
        "\"headers\": [], \"status\"",
        "\"headers\": [{\\\"name\\\": \\\"Content-Encoding\\\", \\\"value\\\": \\\"gzip\\\"}], \"status\"".replace("\\\"", "\"").as_str(),
    ));
    dir.write("gzip/store/a_response.json", body_with_status("404"));
    let output = dir.check(&[
        "missing/report.json",
        "escape/report.json",
        "gzip/report.json",
    ]);
    assert_eq!(output.code, 2);
    let folder = std::fs::canonicalize(dir.path().join("missing")).unwrap();
    assert_eq!(
        output.stderr,
        format!(
            "cyoda: error: missing/report.json#entry-1 (t.hurl:3): calls[0].response.body \
             \"store/gone_response.json\" is not in \"{}\"\n\
             cyoda: error: escape/report.json#entry-1 (t.hurl:3): calls[0].response.body \
             \"../secret\" leaves the capture's folder (a `..` component)\n\
             cyoda: error: gzip/report.json#entry-1 (t.hurl:3): calls[0].response.body \
             \"store/a_response.json\" is marked Content-Encoding \"gzip\" but does not decode: \
             invalid gzip header\n",
            folder.display()
        )
    );
    assert!(!output.stdout.contains("SECRET"));
}

/// Names a report gives its requests reach every report escaped.
#[test]
fn payloads_in_test_tool_names() {
    let dir = TestDir::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let escaped = json_escaped(payload);
        let body: Vec<String> = body_with_status("400")
            .bytes()
            .map(|b| b.to_string())
            .collect();
        dir.write(
            &format!("{i}-newman.json"),
            format!(
                "{{\"collection\": {{}}, \"run\": {{\"executions\": [{{\"item\": {{\"name\": \"{escaped}\"}}, \
                 \"response\": {{\"code\": 404, \"header\": [{{\"key\": \"Content-Type\", \"value\": \"{escaped}\"}}], \
                 \"stream\": {{\"type\": \"Buffer\", \"data\": [{}]}}}}}}]}}}}",
                body.join(",")
            ),
        );
        dir.write(
            &format!("{i}-bruno.json"),
            format!(
                "[{{\"iterationIndex\": 0, \"results\": [{{\"name\": \"{escaped}\", \"response\": \
                 {{\"status\": 404, \"headers\": {{}}, \"data\": {}}}}}]}}]",
                body_with_status("400")
            ),
        );
        dir.write(
            &format!("{i}-hurl/report.json"),
            format!(
                "[{{\"cookies\": [], \"entries\": [{{\"calls\": [{{\"response\": {{\"body\": \
                 \"store/{escaped}\", \"headers\": [], \"status\": 404}}}}], \"line\": 1}}], \
                 \"filename\": \"{escaped}\"}}]"
            ),
        );
    }
    let output = dir.check(&["."]);
    assert_eq!(output.code, 2);
    assert!(output.rules().contains(&"status-mismatch".to_string()));
    assert_safe_in_terminal_formats(&dir, &["."], 2);
}
