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
        "checked 0 responses in 1 input against cyoda-go 0.8.3: 0 ok, 0 failed; 1 HAR entry with status below 400 \
         skipped; 1 input could not be read"
    );
}
