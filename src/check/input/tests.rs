//! The readers with stand-in rules: they flag the value of `"status"` in the body and whatever
//! transport the capture recorded, so positions can be pinned for every input kind without
//! depending on the real rules.

use super::*;
use crate::check::Checker;
use crate::check::driver::{Render, Rendering};
use crate::check::policy::Policy;
use crate::contract::catalog::Catalog;
use crate::contract::rules::{CheckOptions, RuleId, Target, Transport, Violation};

fn violation(rule: RuleId, target: Target) -> Violation {
    Violation::new(rule, "fake".into(), target, None, rule.topic())
}

fn fake_rules<'a>(
    body: &'a [u8],
    _: &Catalog,
    transport: &Transport,
    _: &CheckOptions,
    out: &mut Vec<Violation>,
) -> Option<std::borrow::Cow<'a, str>> {
    let text = String::from_utf8_lossy(body);
    if let Some(key) = text.find("\"status\"") {
        let after = key + "\"status\"".len();
        let value = after + text[after..].find(|c: char| c != ':' && c != ' ').unwrap();
        let end = value
            + text[value..]
                .find([',', '}', ' '])
                .unwrap_or(text.len() - value);
        out.push(violation(RuleId::StatusMismatch, Target::Body(value..end)));
    }
    if transport.status.is_some() {
        out.push(violation(RuleId::HttpStatus, Target::CapturedStatus));
    }
    if let Some(content_type) = &transport.content_type {
        let mut v = violation(RuleId::ContentType, Target::CapturedContentType);
        v.message = format!("{content_type:?}");
        out.push(v);
    }
    None
}

/// Every event of reading `input`, one line each: `name line:col rule (snippet span)`.
fn run(input: &[u8]) -> Vec<String> {
    run_with(fake_rules, input)
}

/// [`run`] with other rules, reading from `input`.
fn run_with(rules: crate::check::checker::Rules, input: impl std::io::Read) -> Vec<String> {
    let catalog = Catalog::new("0.0.0", false, Vec::new(), Vec::new());
    let checker = Checker {
        catalog: &catalog,
        options: CheckOptions::default(),
        policy: Policy::default(),
        rules,
    };
    /// Each response as the lines the tests compare.
    struct Describe;
    impl Render for Describe {
        fn render(
            &self,
            response: &crate::check::CheckedResponse<'_>,
            _earlier: &crate::check::Totals,
            into: &mut Rendering,
        ) {
            into.resize_with(1, Vec::new);
            let Some(out) = into.first_mut() else { return };
            let mut text = format!("{} ok={}\n", response.name(), !response.failed);
            for d in &response.diagnostics {
                let snippet = d.primary.snippet();
                let span: String = snippet
                    .text
                    .chars()
                    .skip(snippet.span.start)
                    .take(snippet.span.len())
                    .collect();
                text.push_str(&format!(
                    "  {}:{} {} {span:?}\n",
                    d.line(),
                    d.column(),
                    d.rule
                ));
            }
            out.extend_from_slice(text.as_bytes());
        }
    }
    let stage = Stage {
        checker: &checker,
        render: &Describe,
    };
    let context = Context {
        name: "f".into(),
        path: None,
        stage: &stage,
    };
    let mut events = Vec::new();
    let result = read(input, &context, &mut |event| {
        events.push(event);
        Ok(())
    });
    let mut lines = Vec::new();
    for event in events {
        match event {
            Event::Checked(checked) => {
                let text = checked.rendered.concat();
                lines.extend(String::from_utf8_lossy(&text).lines().map(String::from));
            }
            Event::Skipped(n) => lines.push(format!("skipped {n}")),
            Event::Problem { name, reason } => lines.push(format!("problem {name}: {reason}")),
            Event::Note { name, note } => lines.push(format!("note {name}: {note}")),
            Event::InputEnd { .. } => lines.push("end".into()),
        }
    }
    if let Err(ReadError::Input(reason)) = result {
        lines.push(format!("error: {reason}"));
    }
    lines
}

#[test]
fn json_body() {
    let input = b"{\n  \"title\": \"Conflict\",\n  \"status\": 409\n}\n";
    assert_eq!(run(input), ["f ok=false", "  3:13 status-mismatch \"409\""]);
}

#[test]
fn an_empty_file_is_checked_as_the_empty_body_it_is() {
    // The fake rules flag nothing in it; the real ones report `invalid-json` (empty body).
    assert_eq!(run(b" \n\n"), ["f ok=true"]);
}

#[test]
fn ndjson_lines_crlf_and_blank_lines() {
    let input = b"{\"status\": 404}\r\n\r\n{\"a\": 1, \"status\": 410}\r\n";
    assert_eq!(
        run(input),
        [
            "f:1 ok=false",
            "  1:12 status-mismatch \"404\"",
            "f:3 ok=false",
            "  3:20 status-mismatch \"410\"",
        ]
    );
}

#[test]
fn ndjson_across_chunks_keeps_line_numbers() {
    let mut input = Vec::new();
    let lines = 40_000; // ~1.6 MiB: several chunks, checked in parallel
    for i in 1..=lines {
        input.extend_from_slice(format!("{{\"n\": {i:>7}, \"status\": {i}}}\n").as_bytes());
    }
    let out = run(&input);
    assert_eq!(out.len(), 2 * lines);
    assert_eq!(out[2 * 29_999], "f:30000 ok=false");
    assert_eq!(out[2 * 29_999 + 1], "  30000:26 status-mismatch \"30000\"");
    assert_eq!(out.last().unwrap(), "  40000:26 status-mismatch \"40000\"");
}

/// NDJSON of `lines` lines of ~40 bytes, each flagged by the fake rules on its own line.
fn numbered_lines(lines: usize) -> Vec<u8> {
    let mut input = Vec::new();
    for i in 1..=lines {
        input.extend_from_slice(format!("{{\"n\": {i:>7}, \"status\": {i}}}\n").as_bytes());
    }
    input
}

/// The fake rules, slowed down on line 1 so that the first chunk finishes last.
fn first_line_slow<'a>(
    body: &'a [u8],
    catalog: &Catalog,
    transport: &Transport,
    options: &CheckOptions,
    out: &mut Vec<Violation>,
) -> Option<std::borrow::Cow<'a, str>> {
    if body.starts_with(b"{\"n\":       1,") {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    fake_rules(body, catalog, transport, options, out)
}

#[test]
fn ndjson_goes_on_reading_when_every_chunk_so_far_is_done() {
    // More chunks than the reader keeps in flight (4 a thread, 256 KiB each), and the first
    // one done last: when it ends, every chunk read is done at once, and the rest of the
    // input must still be read (it once stopped there, the report cut short).
    let threads = rayon::current_num_threads().clamp(1, 8);
    let lines = (4 * threads + 3) * (256 << 10) / 40;
    let out = run_with(first_line_slow, numbered_lines(lines).as_slice());
    assert_eq!(out.len(), 2 * lines);
    assert_eq!(
        out.last().unwrap(),
        &format!("  {lines}:26 status-mismatch \"{lines}\"")
    );
}

#[test]
fn ndjson_on_a_pool_thread_is_read_in_turn() {
    // A file of a parallel batch is read on a pool thread; with one thread in the pool,
    // waiting there for the pool to check its chunks would never end.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let lines = 40_000;
    let out = pool.install(|| run(&numbered_lines(lines)));
    assert_eq!(out.len(), 2 * lines);
    assert_eq!(out.last().unwrap(), "  40000:26 status-mismatch \"40000\"");
}

#[test]
fn http_crlf_positions() {
    let input = b"HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\": 409}\n";
    assert_eq!(
        run(input),
        [
            "f ok=false",
            "  1:10 http-status \"409\"",
            "  2:15 content-type \"application/json\"",
            "  5:12 status-mismatch \"409\"",
        ]
    );
}

#[test]
fn http_interim_blocks_are_skipped() {
    let input = b"HTTP/1.1 100 Continue\n\nHTTP/1.1 301 Moved\nLocation: /x\n\nHTTP/2 503\ncontent-type: application/problem+json\n\n{\n \"status\": 503}\n";
    assert_eq!(
        run(input),
        [
            "f ok=false",
            "  6:8 http-status \"503\"",
            "  7:15 content-type \"application/problem+json\"",
            "  10:12 status-mismatch \"503\"",
        ]
    );
}

#[test]
fn http_several_responses() {
    let input = b"HTTP/1.1 404 Not Found\n\n{\"status\": 404}\nHTTP/1.1 409 Conflict\nContent-Length: 15\n\n{\"status\": 409}\n\nHTTP/2 410\n\n{\"status\": 410}";
    let out = run(input);
    let names: Vec<&String> = out.iter().filter(|l| l.starts_with('f')).collect();
    assert_eq!(
        names,
        [
            "f#response-1 ok=false",
            "f#response-2 ok=false",
            "f#response-3 ok=false"
        ]
    );
    assert!(
        out.contains(&"  7:12 status-mismatch \"409\"".to_string()),
        "{out:#?}"
    );
    // No Content-Type header: the violation points at the whole status line.
    assert!(
        out.contains(&"  9:1 content-type \"HTTP/2 410\"".to_string()),
        "{out:#?}"
    );
    assert!(
        out.contains(&"  11:12 status-mismatch \"410\"".to_string()),
        "{out:#?}"
    );
}

#[test]
fn http_unterminated_header_block() {
    assert_eq!(
        run(b"HTTP/1.1 409 Conflict\nContent-Type: x\n"),
        ["error: line 1: the header block is not followed by a blank line"]
    );
}

fn har(entries: &[&str]) -> String {
    format!(
        "{{\"log\": {{\"version\": \"1.2\", \"creator\": {{\"name\": \"x\", \"version\": \"1\"}},\n\"entries\": [{}]}}}}\n",
        entries.join(",\n")
    )
}

#[test]
fn har_entries_escapes_and_skips() {
    let ok = r#"{"response": {"status": 200, "headers": [], "content": {"mimeType": "text/plain", "text": "ok"}}}"#;
    // `\"`, `\u00e9` and `\n` before the status shift raw offsets against decoded ones.
    let escaped = r#"{"request": {"url": "x"}, "response": {"status": 409, "headers": [{"name": "CONTENT-TYPE", "value": "application/json"}], "content": {"mimeType": "application/json", "text": "{\"d\": \"\u00e9\\\"\",\n\"status\": 409}"}}}"#;
    let base64 = r#"{"response": {"status": 500, "content": {"mimeType": "application/problem+json", "encoding": "base64", "text": "eyJzdGF0dXMiOiA1MDB9"}}}"#;
    let input = har(&[ok, escaped, base64]);
    assert_eq!(
        run(input.as_bytes()),
        [
            "skipped 1",
            "f#entry-2 ok=false",
            "  3:50 http-status \"409\"",
            "  3:101 content-type \"\\\"application/json\\\"\"",
            "  3:213 status-mismatch \"409\"",
            "f#entry-3 ok=false",
            "  4:25 http-status \"500\"",
            "  4:54 content-type \"\\\"application/problem+json\\\"\"",
            "  4:112 status-mismatch \"\\\"\"",
        ]
    );
}

#[test]
fn har_bad_base64_is_a_problem_and_the_rest_goes_on() {
    let bad = r#"{"response": {"status": 500, "content": {"encoding": "base64", "text": "!!!"}}}"#;
    let good = r#"{"response": {"status": 404, "content": {"text": "{}"}}}"#;
    let out = run(har(&[bad, good]).as_bytes());
    assert!(
        out[0].starts_with(
            "problem f#entry-1: response.content.text is marked base64 but is not valid base64 (line 2, column 84)"
        ),
        "{out:?}"
    );
    assert_eq!(out[1], "f#entry-2 ok=false");
}

#[test]
fn har_broken_structure() {
    let out = run(b"{\"log\": {\"entries\": [{\"response\": {\"status\": 500}}");
    assert_eq!(
        out.last().unwrap(),
        "error: not a valid HAR: the file ends early (line 1, column 51)"
    );
    let out = run(b"{\"log\": {\"version\": \"1.2\"}}");
    assert_eq!(out, ["error: not a HAR: `log` has no `entries` array"]);
    let out = run(b"{\"log\": {\"entries\": [{\"response\": 3}]}}");
    assert!(
        out[0].starts_with("error: entry 1 is not a valid HAR entry: invalid type"),
        "{out:?}"
    );
}

#[test]
fn har_truncated_entries_end_early_at_the_end_of_the_file() {
    let head = "{\"log\": {\"entries\": [{\"response\": {\"status\": 500, \"content\": {\"text\": \"{\\\"a";
    for cut in [head.len(), head.len() - 3, head.len() - 20] {
        let out = run(&head.as_bytes()[..cut]);
        assert_eq!(
            out.last().unwrap(),
            &format!(
                "error: not a valid HAR: the file ends early (line 1, column {})",
                cut + 1
            ),
            "{out:?}"
        );
    }
    // A broken entry before the end says what is wrong and where, and names the entry.
    let out =
        run(b"{\"log\": {\"entries\": [{\"response\": {\"status\": 500}}, {\"response\" 1}]}}");
    assert_eq!(
        out.last().unwrap(),
        "error: entry 2 is not a valid HAR entry: expected `:` after a member name (line 1, column 65)"
    );
}

#[test]
fn har_members_are_read_decoded_and_extensions_ignored() {
    // Escapes in member names and header names, `_` extensions, a null content: a response
    // without a body, which only the transport rules can judge.
    let entry = r#"{"_resourceType": "xhr", "resp\u006fnse": {"st\u0061tus": 404, "_x": {"status": 1}, "headers": [{"n\u0061me": "Content-\u0054ype", "value": "text/plain"}], "content": null}}"#;
    let out = run(har(&[entry]).as_bytes());
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(out[0], "f#entry-1 ok=false");
    assert!(out[1].starts_with("  2:55 body-not-captured "), "{out:?}");
    assert_eq!(out[2], "  2:153 content-type \"\\\"text/plain\\\"\"");
    // With the body, the stand-in rules see the captured status too.
    let entry = entry.replace("null}}", "{\"text\": \"{}\"}}}");
    assert_eq!(
        run(har(&[&entry]).as_bytes()),
        [
            "f#entry-1 ok=false",
            "  2:71 http-status \"404\"",
            "  2:153 content-type \"\\\"text/plain\\\"\"",
        ]
    );
}

#[test]
fn har_shape_errors_name_the_member() {
    let cases = [
        (
            r#"{"request": {}}"#,
            "missing member `response` (line 2, column 13)",
        ),
        (
            r#"{"response": {"status": 500, "status": 501}}"#,
            "duplicate member `status` (line 2, column 42)",
        ),
        (
            r#"{"response": {"status": 500, "headers": [{"name": 1, "value": 2}]}}"#,
            "invalid type: `response.headers[0].name` is a number, expected a string (line 2, column 63)",
        ),
        (
            r#"{"response": {"status": 500, "content": {"encoding": 64}}}"#,
            "invalid type: `response.content.encoding` is a number, expected a string (line 2, column 66)",
        ),
    ];
    for (entry, message) in cases {
        let out = run(har(&[entry]).as_bytes());
        assert_eq!(
            out.last().unwrap(),
            &format!("error: entry 1 is not a valid HAR entry: {message}"),
            "{entry}"
        );
    }
}

#[test]
fn har_invalid_utf8_is_reported_where_it_is() {
    let mut input = har(&[r#"{"response": {"status": 200}}"#]).into_bytes();
    let at = input.windows(3).position(|w| w == b"200").unwrap();
    input[at + 1] = 0xFF;
    let out = run(&input);
    assert_eq!(
        out.last().unwrap(),
        "error: not a valid HAR: invalid UTF-8: byte 0xFF (line 2, column 38)"
    );
}

#[test]
fn har_entries_larger_than_a_read_are_read_whole() {
    // Each body is larger than the reader's buffer, so every entry is read in several passes.
    let text = "x".repeat(300 << 10);
    let entry = format!(
        r#"{{"response": {{"status": 404, "content": {{"text": "{{\"d\": \"{text}\", \"status\": 404}}"}}}}}}"#
    );
    let out = run(har(&[&entry, &entry, &entry]).as_bytes());
    let statuses: Vec<&String> = out
        .iter()
        .filter(|l| l.contains("status-mismatch"))
        .collect();
    assert_eq!(statuses.len(), 3, "{out:?}");
    // The third entry starts line 4; its body's status is after the text and 16 more bytes.
    let column = 1 + entry.rfind("404").unwrap();
    assert_eq!(
        statuses[2],
        &format!("  4:{column} status-mismatch \"404\"")
    );
}

#[test]
fn a_har_of_100k_entries_is_read_in_linear_time() {
    let entry = r#"{"request": {"method": "GET", "url": "/x"}, "response": {"status": 200, "headers": [], "content": {"text": "ok"}}}"#;
    let time = |n: usize| {
        let input = har(&vec![entry; n]);
        let started = std::time::Instant::now();
        let out = run(input.as_bytes());
        let elapsed = started.elapsed();
        assert_eq!(out.iter().filter(|l| *l == "skipped 1").count(), n);
        elapsed
    };
    let small = time(20_000);
    let large = time(100_000);
    // Linear is 5 times as long; a quadratic reader would take 25 times.
    assert!(
        large < small * 12,
        "20,000 entries in {small:?}, 100,000 in {large:?}"
    );
}

/// A test tool's step that does not have the tool's shape is named by the tool's words, with
/// where it is.
#[test]
fn a_misshapen_test_tool_step_is_named_in_the_tools_words() {
    let newman =
        br#"{"collection": {}, "run": {"executions": [{"item": {"name": "x"}, "response": 3}]}}"#;
    let out = run(newman);
    assert!(
        out[0].starts_with("error: execution 1 is not a valid Newman execution: invalid type")
            && out[0].ends_with("(line 1, column 79)"),
        "{out:?}"
    );
}

/// A step whose status is not an HTTP status is a problem of that step alone, named by it.
#[test]
fn a_test_tool_step_without_an_http_status_is_a_problem_under_its_name() {
    let newman = br#"{"collection": {}, "run": {"executions": [{"item": {"name": "x"}, "response": {"code": 1000, "header": []}}]}}"#;
    let out = run(newman);
    assert_eq!(
        out,
        [
            "problem f#execution-1 (x): response.code is not an HTTP status (above 999) (line 1, column 88)"
        ]
    );
}
