//! The idempotency rules over HAR captures: each rule failing and passing, a server that
//! honours keys, a server that ignores the header, severity flags, captures kept apart, a
//! capture of 1,000 keyed requests, and the worked example of the help pages.

use crate::util::TestDir;
use std::fmt::Write as _;
use std::path::Path;

const FAMILY: [&str; 3] = [
    "idempotency-conflict-missed",
    "idempotency-replay-mismatch",
    "idempotency-key-reused-across-endpoints",
];

fn fixtures() -> TestDir {
    let dir = TestDir::new();
    dir.copy("idempotency", "idem");
    dir
}

/// The `file:line:col: severity[rule]` heads of the report, in order.
fn heads(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| line.contains("error[") || line.contains("warning["))
        .map(|line| line.split("]:").next().unwrap().to_string() + "]")
        .collect()
}

#[test]
fn a_server_that_ignores_the_header_misses_the_conflict_at_the_later_entry() {
    let dir = fixtures();
    let output = dir.check(&["idem/ignores-header.har"]);
    assert_eq!(output.code, 1, "{}{}", output.stdout, output.stderr);
    assert_eq!(output.stderr, "");
    assert_eq!(output.rules(), ["idempotency-conflict-missed"]);
    let expected = "\
idem/ignores-header.har:227:24: error[idempotency-conflict-missed]: Idempotency-Key \"e7a3c912-4f6b-48d0-9e15-b2c6a8d4f703\" was first used at entry 4 with a different body, but the response is 200, not 409 IDEMPOTENCY_CONFLICT (entry 5)
    |
227 |               \"value\": \"e7a3c912-4f6b-48d0-9e15-b2c6a8d4f703\"
    |                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ same key as entry 4, different body
    |
   ::: idem/ignores-header.har:174:24
    |
174 |               \"value\": \"e7a3c912-4f6b-48d0-9e15-b2c6a8d4f703\"
    |                        -------------------------------------- first used here
    |
    = help: cyoda help check idempotency-conflict-missed

checked 1 response in 1 input against cyoda-go 0.8.3: 0 ok, 1 failed (1 error, 0 warnings); 5 responses with status below 400 skipped
";
    assert_eq!(output.stdout, expected);
}

#[test]
fn a_server_that_honours_keys_yields_no_finding() {
    let dir = fixtures();
    // The 409 IDEMPOTENCY_CONFLICT is well formed; only the reserved-code warning remains,
    // because no version's server raises it.
    let output = dir.check(&["idem/honoured.har"]);
    assert_eq!(output.code, 0, "{}", output.stdout);
    assert_eq!(output.rules(), ["reserved-code"]);
    let quiet = dir.check(&["--allow", "reserved-code", "idem/honoured.har"]);
    assert_eq!(quiet.code, 0);
    assert_eq!(
        quiet.stdout,
        "checked 1 response in 1 input against cyoda-go 0.8.3: 1 ok, 0 failed; 5 responses with status below 400 skipped\n"
    );
}

#[test]
fn each_rule_fails_and_passes_with_positions() {
    let dir = fixtures();
    let cases: [(&str, i32, &[&str]); 3] = [
        (
            "conflict-missed",
            1,
            &["idem/conflict-missed-failing.har:76:24: error[idempotency-conflict-missed]"],
        ),
        (
            "replay-mismatch",
            0,
            &["idem/replay-mismatch-failing.har:130:24: warning[idempotency-replay-mismatch]"],
        ),
        (
            "key-reused-across-endpoints",
            0,
            &[
                "idem/key-reused-across-endpoints-failing.har:76:24: warning[idempotency-key-reused-across-endpoints]",
                "idem/key-reused-across-endpoints-failing.har:129:24: warning[idempotency-key-reused-across-endpoints]",
            ],
        ),
    ];
    for (name, code, expected) in cases {
        let failing = dir.check(&[&format!("idem/{name}-failing.har")]);
        assert_eq!(failing.code, code, "{name}: {}", failing.stdout);
        assert_eq!(
            heads(&failing.stdout),
            expected,
            "{name}: {}",
            failing.stdout
        );

        let passing = dir.check(&[&format!("idem/{name}-passing.har")]);
        assert_eq!(passing.code, 0, "{name}: {}", passing.stdout);
        for rule in passing.rules() {
            assert!(
                !FAMILY.contains(&rule.as_str()),
                "{name}: {}",
                passing.stdout
            );
        }
    }
}

#[test]
fn messages_name_the_earlier_entry_and_what_came_back() {
    let dir = fixtures();
    let conflict = dir.check(&["idem/conflict-missed-failing.har"]).stdout;
    assert!(
        conflict.contains(
            "was first used at entry 1 with a different body, but the response is 409 with errorCode \"CONFLICT\", not 409 IDEMPOTENCY_CONFLICT (entry 2)\n"
        ),
        "{conflict}"
    );
    // Entry 1 got no response (status 0): entry 2 is the first completed one, entry 3 (the
    // same body, base64) is compared with it.
    let replay = dir.check(&["idem/replay-mismatch-failing.har"]).stdout;
    assert!(
        replay.contains(
            "was first used at entry 1 with the same body, and got 201 at entry 2; this replay got 409 (entry 3)\n"
        ),
        "{replay}"
    );
    let across = dir
        .check(&["idem/key-reused-across-endpoints-failing.har"])
        .stdout;
    assert!(
        across.contains(
            "was first used at entry 1 on another method or URL, and is reused here on PUT http://localhost:8080/api/entity/JSON/invoice/1 (entry 2)\n"
        ),
        "{across}"
    );
}

#[test]
fn severity_flags_apply_to_the_idempotency_rules() {
    let dir = fixtures();
    let allowed = dir.check(&[
        "--allow",
        "idempotency-conflict-missed",
        "idem/ignores-header.har",
    ]);
    assert_eq!(allowed.code, 0, "{}", allowed.stdout);
    // With its only finding allowed, the successful entry is skipped like the others.
    assert_eq!(
        allowed.stdout,
        "checked 0 responses in 1 input against cyoda-go 0.8.3: 0 ok, 0 failed; 6 responses with status below 400 skipped\n"
    );

    let warned = dir.check(&[
        "--warn",
        "idempotency_conflict_missed",
        "idem/ignores-header.har",
    ]);
    assert_eq!(warned.code, 0);
    assert_eq!(
        heads(&warned.stdout),
        ["idem/ignores-header.har:227:24: warning[idempotency-conflict-missed]"]
    );

    let denied = dir.check(&[
        "--deny",
        "idempotency-key-reused-across-endpoints",
        "idem/key-reused-across-endpoints-failing.har",
    ]);
    assert_eq!(denied.code, 1);
    assert_eq!(
        denied.rules(),
        ["idempotency-key-reused-across-endpoints"; 2]
    );

    let strict = dir.check(&["--strict", "idem/replay-mismatch-failing.har"]);
    assert_eq!(strict.code, 1);

    let typo = dir.check(&["--allow", "idempotency-conflict-mised", "idem/honoured.har"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("idempotency-conflict-missed"),
        "{}",
        typo.stderr
    );
}

/// A minimal HAR with one entry per (method, url, key, body, status).
fn har(entries: &[(&str, &str, &str, String, u16)]) -> String {
    let mut out = String::from("{\"log\": {\"version\": \"1.2\", \"entries\": [\n");
    for (i, (method, url, key, body, status)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        write!(
            out,
            "{{\"request\": {{\"method\": \"{method}\", \"url\": \"{url}\", \"headers\": [{{\"name\": \"Idempotency-Key\", \"value\": \"{key}\"}}], \"postData\": {{\"mimeType\": \"application/json\", \"text\": {}}}}}, \"response\": {{\"status\": {status}, \"content\": {{\"mimeType\": \"application/json\", \"text\": \"[]\"}}}}}}",
            serde_json::to_string(body).unwrap()
        )
        .unwrap();
    }
    out.push_str("\n]}}\n");
    out
}

#[test]
fn keys_are_grouped_per_capture() {
    // The same key with different bodies in two captures: each capture is its own session.
    let dir = TestDir::new();
    dir.write(
        "captures/a.har",
        har(&[("POST", "/e", "k1", "{\"a\":1}".into(), 201)]),
    )
    .write(
        "captures/b.har",
        har(&[("POST", "/e", "k1", "{\"a\":2}".into(), 201)]),
    );
    let output = dir.check(&["captures"]);
    assert_eq!(output.code, 0, "{}", output.stdout);
    assert!(output.rules().is_empty(), "{}", output.stdout);
}

#[test]
fn form_posts_compare_their_params() {
    let entry = |value: &str, status: u16| {
        format!(
            "{{\"request\": {{\"method\": \"POST\", \"url\": \"/form\", \"headers\": [{{\"name\": \"idempotency-key\", \"value\": \"f1\"}}], \"postData\": {{\"mimeType\": \"application/x-www-form-urlencoded\", \"params\": [{{\"name\": \"amount\", \"value\": \"{value}\"}}]}}}}, \"response\": {{\"status\": {status}}}}}"
        )
    };
    let dir = TestDir::new();
    dir.write(
        "form.har",
        format!(
            "{{\"log\": {{\"entries\": [\n{},\n{},\n{}\n]}}}}\n",
            entry("5", 200),
            entry("5", 200),
            entry("6", 200)
        ),
    );
    let output = dir.check(&["form.har"]);
    assert_eq!(output.rules(), ["idempotency-conflict-missed"]);
    assert!(output.stdout.contains("(entry 3)\n"), "{}", output.stdout);
}

#[test]
fn a_finding_survives_an_unreadable_response_body() {
    let mut capture = har(&[
        ("POST", "/e", "k1", "{\"a\":1}".into(), 201),
        ("POST", "/e", "k1", "{\"a\":2}".into(), 409),
    ]);
    let last = capture.rfind("\"text\": \"[]\"").unwrap();
    capture.replace_range(
        last..,
        "\"text\": \"%%%\", \"encoding\": \"base64\"}}}\n]}}\n",
    );
    let dir = TestDir::new();
    dir.write("broken.har", capture);
    let output = dir.check(&["broken.har"]);
    assert_eq!(output.code, 2, "{}", output.stdout);
    assert_eq!(output.rules(), ["idempotency-conflict-missed"]);
    assert!(
        output.stdout.contains("409 without an errorCode"),
        "{}",
        output.stdout
    );
    assert!(
        output.stderr.contains(
            "broken.har#entry-2: response.content.text is marked base64 but is not valid base64"
        ),
        "{}",
        output.stderr
    );
}

#[test]
fn a_thousand_keyed_requests() {
    // 500 keys, each sent twice to its endpoint; the resend repeats the body with its members
    // reordered and the number respelled, except for every 100th key, whose resend changes the
    // amount and is processed anyway.
    let mut entries = Vec::new();
    let keys: Vec<String> = (0..500).map(|i| format!("key-{i:04}")).collect();
    let urls: Vec<String> = (0..500)
        .map(|i| format!("http://localhost/entity/JSON/a/{}", i % 7))
        .collect();
    for i in 0..500 {
        entries.push((
            "POST",
            urls[i].as_str(),
            keys[i].as_str(),
            format!("{{\"id\":{i},\"amount\":10}}"),
            201,
        ));
    }
    for i in 0..500 {
        let amount = if i % 100 == 0 { "11" } else { "1.0e1" };
        entries.push((
            "POST",
            urls[i].as_str(),
            keys[i].as_str(),
            format!("{{ \"amount\": {amount}, \"id\": {i} }}"),
            201,
        ));
    }
    let dir = TestDir::new();
    dir.write("many.har", har(&entries));

    let started = std::time::Instant::now();
    let output = dir.check(&["many.har"]);
    // Measured, not asserted: machines differ. Well under a second (see the module docs of
    // cyoda::check::idempotency).
    eprintln!("1,000 keyed requests checked in {:?}", started.elapsed());

    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(output.rules(), ["idempotency-conflict-missed"; 5]);
    let entries: Vec<&str> = output
        .stdout
        .lines()
        .filter_map(|line| {
            line.strip_suffix(')')?
                .rsplit_once("(entry ")
                .map(|(_, n)| n)
        })
        .collect();
    assert_eq!(entries, ["501", "601", "701", "801", "901"]);
    assert!(
        output
            .summary()
            .ends_with("995 responses with status below 400 skipped"),
        "{}",
        output.summary()
    );
}

/// The fenced block that follows `marker` in `text`.
fn block_after<'t>(text: &'t str, marker: &str) -> &'t str {
    let start = text.find(marker).unwrap_or_else(|| panic!("no {marker:?}"));
    let rest = &text[start..];
    let body = &rest[rest.find('\n').unwrap() + 1..];
    &body[..body.find("\n```").unwrap()]
}

#[test]
fn the_worked_example_of_the_help_is_what_cyoda_check_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("help");
    let page = std::fs::read_to_string(root.join("errors/idempotency_conflict.md")).unwrap();
    let capture = block_after(&page, "```json\n{\"log\"");
    let command = "$ cyoda check capture.har\n";
    let shown = block_after(&page, "```text\n$ cyoda check capture.har")
        .strip_prefix(command)
        .unwrap();

    let dir = TestDir::new();
    dir.write("capture.har", format!("{capture}\n"));
    let output = dir.check(&["capture.har"]);
    assert_eq!(output.code, 1);
    assert_eq!(output.stdout.trim_end(), shown);

    let crud = std::fs::read_to_string(root.join("crud.md")).unwrap();
    let first_line = block_after(&crud, "```text\n$ cyoda check capture.har")
        .strip_prefix(command)
        .unwrap();
    assert_eq!(output.stdout.lines().next().unwrap(), first_line);
}

/// A keyed request whose method is no string, in each capture format: the key is read, the
/// request cannot be compared, and a warning says so (it is never silently left out).
#[test]
fn a_keyed_request_that_does_not_fit_is_skipped_with_a_warning() {
    let key = r#""Idempotency-Key", "value": "k1""#;
    let cases = [
        (
            "a.har",
            format!(
                r#"{{"log": {{"entries": [{{"request": {{"method": 5, "url": "http://x/a", "headers": [{{"name": {key}}}]}}, "response": {{"status": 200, "headers": [], "content": {{"text": "[]"}}}}}}]}}}}"#
            ),
            "#entry-1",
        ),
        (
            "newman.json",
            format!(
                r#"{{"collection": {{}}, "run": {{"executions": [{{"item": {{"name": "x"}}, "request": {{"method": 5, "url": "http://x/a", "header": [{{"key": {key}}}]}}, "response": {{"code": 200, "header": [], "stream": {{"type": "Buffer", "data": [91, 93]}}}}}}]}}}}"#
            ),
            "#execution-1 (x)",
        ),
        (
            "bruno.json",
            r#"[{"iterationIndex": 0, "results": [{"name": "x", "request": {"method": 5, "url": "http://x/a", "headers": {"idempotency-key": "k1"}}, "response": {"status": 200, "headers": {}, "data": []}}]}]"#
                .to_string(),
            "#result-1 (x)",
        ),
        (
            "hurl.json",
            format!(
                r#"[{{"cookies": [], "entries": [{{"calls": [{{"request": {{"method": 5, "url": "http://x/a", "headers": [{{"name": {key}}}]}}, "response": {{"status": 200, "headers": [], "body": "b.json"}}}}], "curl_cmd": "curl --data '{{}}' 'http://x/a'", "index": 1, "line": 3}}], "filename": "t.hurl"}}]"#
            ),
            "#entry-1 (t.hurl:3)",
        ),
    ];
    for (name, capture, locator) in cases {
        let dir = TestDir::new();
        dir.write(name, capture);
        dir.write("b.json", "[]");
        let output = dir.check(&[name]);
        assert_eq!(output.code, 0, "{name}: {}{}", output.stdout, output.stderr);
        let path = if name == "hurl.json" {
            "calls[0].request.method"
        } else {
            "request.method"
        };
        assert_eq!(
            output.stderr,
            format!(
                "cyoda: warning: {name}{locator}: the request carries an Idempotency-Key, but the \
                 capture's record of it does not fit (invalid type: `{path}` is a number, expected \
                 a string), so the idempotency rules skip it\n"
            ),
            "{name}"
        );
    }
}
