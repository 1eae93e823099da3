//! Every rule fires at least twice in every input kind that can carry it: each rule topic's
//! failing example is wrapped as JSON bodies, NDJSON lines, HTTP responses and HAR entries.

use crate::util::TestDir;
use std::path::Path;

/// A rule topic's failing example and the arguments it needs.
struct Example {
    rule: String,
    args: Vec<String>,
    /// Status line and headers, for examples that are HTTP captures.
    head: Option<String>,
    body: String,
}

fn examples() -> Vec<Example> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("help/check");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let split = cyoda::topics::source::split("x", String::new(), &text).unwrap();
        let rule = cyoda::topics::frontmatter::parse(&split.yaml, 2)
            .0
            .rule
            .unwrap();
        let failing = rule.failing.value;
        if failing.trim_start().starts_with("{\"log\"") {
            continue; // HAR-only rules (idempotency) have their own tests.
        }
        let (head, body) = match failing.split_once("\n\n") {
            Some((head, body)) if failing.starts_with("HTTP/") => {
                (Some(head.to_string()), body.to_string())
            }
            _ => (None, failing),
        };
        found.push(Example {
            rule: rule.id.value,
            args: rule.args,
            head,
            body,
        });
    }
    found.sort_by(|a, b| a.rule.cmp(&b.rule));
    found
}

/// The body on one line (JSON whitespace only), for NDJSON.
fn one_line(body: &str) -> String {
    body.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

/// The status a capture should carry for `body`: its own when it is an error status.
fn status_of(body: &str) -> u16 {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("status")?.as_u64())
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (400..600).contains(s))
        .unwrap_or(400)
}

fn http_response(example: &Example) -> String {
    let head = example.head.clone().unwrap_or_else(|| {
        format!(
            "HTTP/1.1 {} Whatever\nContent-Type: application/problem+json",
            status_of(&example.body)
        )
    });
    format!("{head}\n\n{}\n", example.body.trim_end())
}

fn har_entry(example: &Example) -> serde_json::Value {
    let (status, content_type) = match &example.head {
        Some(head) => {
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(400);
            let content_type = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Type: "))
                .unwrap_or("application/problem+json")
                .to_string();
            (status, content_type)
        }
        None => (
            status_of(&example.body),
            "application/problem+json".to_string(),
        ),
    };
    serde_json::json!({
        "request": {"method": "GET", "url": "http://localhost/entity/1", "headers": []},
        "response": {
            "status": status,
            "headers": [{"name": "Content-Type", "value": content_type}],
            "content": {"mimeType": content_type, "text": example.body}
        }
    })
}

fn count(stdout: &str, rule: &str) -> usize {
    stdout.matches(&format!("[{rule}]")).count()
}

#[test]
fn every_rule_fires_twice_in_every_input_kind() {
    const VALID: &str = r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"ENTITY_NOT_FOUND: gone","instance":"/entity/1","properties":{"errorCode":"ENTITY_NOT_FOUND"}}"#;
    let examples = examples();
    assert!(examples.len() >= 20, "{} rule examples", examples.len());
    for example in &examples {
        let dir = TestDir::new();
        let transport_only = example.head.is_some();
        if !transport_only {
            dir.write("json/a.json", &example.body)
                .write("json/b.json", &example.body);
            let line = one_line(&example.body);
            dir.write("lines.ndjson", format!("{VALID}\n{line}\n{line}\n"));
        }
        dir.write(
            "capture.http",
            format!("{}{}", http_response(example), http_response(example)),
        );
        let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
            "entries": [har_entry(example), har_entry(example)]}});
        dir.write("capture.har", serde_json::to_string_pretty(&har).unwrap());

        let mut kinds = vec!["capture.http", "capture.har"];
        if !transport_only {
            kinds.extend(["json", "lines.ndjson"]);
        }
        for kind in kinds {
            let mut args: Vec<&str> = example.args.iter().map(String::as_str).collect();
            args.push(kind);
            let out = dir.check(&args);
            assert!(
                count(&out.stdout, &example.rule) >= 2,
                "{} in {kind}: expected twice\n{}{}",
                example.rule,
                out.stdout,
                out.stderr
            );
            assert!(
                out.code <= 1,
                "{} in {kind}: exit {}: {}",
                example.rule,
                out.code,
                out.stderr
            );
        }
    }
}
