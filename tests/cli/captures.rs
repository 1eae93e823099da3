//! `cyoda check` on the reports and captures that real API test tools wrote
//! (`tests/fixtures/captures/`, made by its `src/regenerate.sh`): Newman, Playwright's three
//! HAR modes (embed, attach beside the HAR and in a `.har.zip`, omit), Bruno and Hurl. Each
//! fixture's verdicts are the tables of `tests/fixtures/captures/README.md`: the rules per
//! request, the locators, the idempotency finding and the two places it points at, the skipped
//! counts and the exit code.

use crate::util::{Output, TestDir};
use cyoda::report::json::{JsonLocatorKind, JsonReport};
use std::collections::BTreeMap;

/// The verdicts every tool's capture shares, by position n of the request (README, "The
/// requests"): the rules reported (sorted: their order depends on where each format keeps the
/// body); a request not listed passes (1–3, 11) or is skipped (12, 14).
fn expected(n: usize) -> &'static [&'static str] {
    match n {
        4 => &["title-mismatch"],
        5 => &["status-mismatch"],
        6 => &["missing-member"],
        7 => &["unknown-code"],
        8 => &["retryable-mismatch"],
        9 => &["content-type", "invalid-json"],
        10 => &["content-type"],
        13 => &["idempotency-conflict-missed"],
        _ => &[],
    }
}

/// The names of the 14 requests, in order.
const NAMES: [&str; 14] = [
    "entity-not-found",
    "model-already-locked",
    "server-error",
    "bad-title",
    "bad-status",
    "bad-instance",
    "bad-code",
    "bad-retryable",
    "proxy-html",
    "wrong-type",
    "gzip",
    "order-create-amount-5",
    "order-create-amount-6",
    "ok",
];

fn captures() -> TestDir {
    let dir = TestDir::new();
    for tool in ["newman", "playwright", "bruno", "hurl"] {
        dir.copy(&format!("captures/{tool}"), tool);
    }
    dir
}

fn json(output: &Output) -> JsonReport {
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}{}", output.stdout, output.stderr))
}

/// name → rules (sorted), for every response with a violation.
fn verdicts(report: &JsonReport) -> BTreeMap<String, Vec<String>> {
    report
        .results
        .iter()
        .map(|result| {
            let mut rules: Vec<String> = result.violations.iter().map(|v| v.rule.clone()).collect();
            rules.sort();
            (result.name.clone(), rules)
        })
        .collect()
}

/// What the README expects of a capture whose request n is named `name(n)`.
fn expected_verdicts(name: impl Fn(usize) -> String) -> BTreeMap<String, Vec<String>> {
    (1..=14)
        .filter(|&n| !expected(n).is_empty())
        .map(|n| (name(n), expected(n).iter().map(|r| r.to_string()).collect()))
        .collect()
}

/// Checks `path` as JSON, asserts the exit code, the verdicts, the skipped count and that
/// nothing was unreadable; returns the report.
fn check(
    dir: &TestDir,
    path: &str,
    want: &BTreeMap<String, Vec<String>>,
    skipped: usize,
) -> JsonReport {
    let output = dir.check(&["--format", "json", path]);
    assert_eq!(output.code, 1, "{path}: {}{}", output.stdout, output.stderr);
    let report = json(&output);
    assert_eq!(&verdicts(&report), want, "{path}");
    assert_eq!(report.unreadable, [], "{path}");
    assert_eq!(report.summary.skipped, skipped, "{path}");
    assert_eq!(
        report.summary.responses,
        report.summary.passed + report.summary.failed
    );
    report
}

/// The human report's idempotency finding: where it points, and the `:::` place of the first
/// use.
fn idempotency_places(dir: &TestDir, path: &str) -> ((usize, usize), (usize, usize)) {
    let output = dir.check(&["--allow", "title-mismatch", path]);
    let head = output
        .stdout
        .lines()
        .find(|line| line.contains("error[idempotency-conflict-missed]"))
        .unwrap_or_else(|| panic!("{path}: {}", output.stdout));
    let place = |text: &str| -> (usize, usize) {
        let mut parts = text.rsplitn(3, ':');
        let column = parts.next().unwrap().parse().unwrap();
        let line = parts.next().unwrap().parse().unwrap();
        (line, column)
    };
    let primary = place(head.split(": error[").next().unwrap());
    let secondary = output
        .stdout
        .lines()
        .skip_while(|line| !line.contains("error[idempotency-conflict-missed]"))
        .find_map(|line| line.trim_start().strip_prefix("::: "))
        .unwrap_or_else(|| panic!("{path}: no second place\n{}", output.stdout));
    assert!(secondary.starts_with(path), "{secondary}");
    (primary, place(secondary))
}

/// 1-based line and column of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |at| at + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Byte offsets of the `n`th (1-based) occurrence of `needle` in `text`.
fn nth(text: &str, needle: &str, n: usize) -> usize {
    text.match_indices(needle)
        .nth(n - 1)
        .unwrap_or_else(|| panic!("no {n}th {needle:?}"))
        .0
}

#[test]
fn newman_report() {
    let dir = captures();
    let path = "newman/report.json";
    let name = |n: usize| format!("{path}#execution-{n} ({})", NAMES[n - 1]);
    let report = check(&dir, path, &expected_verdicts(name), 2);
    assert_eq!(
        (report.summary.responses, report.summary.failed),
        (12, 8),
        "11 errors and the keyed 200"
    );
    let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
    // The executions are the array's elements, one indentation deeper than `executions`.
    let executions = nth(&text, "\"executions\": [", 1);
    let start = |n: usize| {
        position(
            &text,
            executions + nth(&text[executions..], "\n      {", n) + 7,
        )
    };
    for result in &report.results {
        assert_eq!(result.kind, JsonLocatorKind::Execution);
        let n = result.index.unwrap();
        for violation in &result.violations {
            let at = (violation.line, violation.column);
            match violation.rule.as_str() {
                // A body is no text of the report: its findings point at the execution.
                "content-type" | "idempotency-conflict-missed" => {
                    assert!(at > start(n) && at < start(n + 1), "{n}: {at:?}")
                }
                _ => assert_eq!(at, start(n), "{n}: {}", violation.rule),
            }
        }
    }
    let (primary, first) = idempotency_places(&dir, path);
    assert!(primary > start(13) && primary < start(14), "{primary:?}");
    assert!(first > start(12) && first < start(13), "{first:?}");
}

/// The three Playwright recordings that keep bodies hold the same entries: the page itself
/// first, then the 14 requests.
#[test]
fn playwright_embed_attach_and_zip() {
    let dir = captures();
    for path in [
        "playwright/embed.har",
        "playwright/attach/capture.har",
        "playwright/attach.har.zip",
    ] {
        let name = |n: usize| format!("{path}#entry-{}", n + 1);
        let report = check(&dir, path, &expected_verdicts(name), 3);
        assert!(
            report
                .results
                .iter()
                .all(|result| result.kind == JsonLocatorKind::Entry),
            "{path}"
        );
        let (primary, first) = idempotency_places(&dir, path);
        // One line of compact JSON: entry 14's key comes after entry 13's.
        assert_eq!((primary.0, first.0), (1, 1), "{path}");
        assert!(first.1 < primary.1, "{path}");
    }
    // Findings in an attached body point at its `_file` name.
    let output = dir.check(&["playwright/attach/capture.har"]);
    let text = std::fs::read_to_string(dir.path().join("playwright/attach/capture.har")).unwrap();
    let bad_title = nth(&text, "\"_file\":", 5) + "\"_file\":".len();
    let (line, column) = position(&text, bad_title);
    assert!(
        output.stdout.starts_with(&format!(
            "playwright/attach/capture.har:{line}:{column}: error[title-mismatch]"
        )),
        "{}",
        output.stdout
    );
}

#[test]
fn playwright_omit_reports_every_error_response_as_not_captured() {
    let dir = captures();
    let path = "playwright/omit.har";
    let output = dir.check(&["--format", "json", path]);
    assert_eq!(output.code, 1);
    let report = json(&output);
    let mut want: BTreeMap<String, Vec<String>> = (2..=12)
        .map(|entry| {
            (
                format!("{path}#entry-{entry}"),
                vec!["body-not-captured".to_string()],
            )
        })
        .collect();
    // The headers alone still show the wrong Content-Types.
    for entry in [10, 11] {
        want.insert(
            format!("{path}#entry-{entry}"),
            vec!["body-not-captured".into(), "content-type".into()],
        );
    }
    assert_eq!(verdicts(&report), want);
    // The page, both POSTs and /ok are skipped; the POSTs' bodies are gone too, so the
    // idempotency rules cannot compare them, and say so instead of judging.
    assert_eq!(report.summary.skipped, 4);
    let warning = |entry: usize| {
        format!(
            "cyoda: warning: {path}#entry-{entry}: the request carries an Idempotency-Key, but its body \
             was not captured (`postData.text` is empty, `bodySize` is 13), so the idempotency rules \
             skip it\n"
        )
    };
    let warnings: String = output
        .stderr
        .lines()
        .filter(|line| line.starts_with("cyoda: warning:"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(warnings, warning(13) + &warning(14));
}

#[test]
fn bruno_report() {
    let dir = captures();
    let path = "bruno/report.json";
    let name = |n: usize| format!("{path}#result-{n} ({})", NAMES[n - 1]);
    let report = check(&dir, path, &expected_verdicts(name), 2);
    assert!(
        report
            .results
            .iter()
            .all(|result| result.kind == JsonLocatorKind::Result)
    );
    // Bruno keeps a JSON body as the parsed value: a finding points into it, in the report.
    let output = dir.check(&[path]);
    let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
    // Request 2 (a 409) is titled Conflict too; request 4's is the wrong one.
    let title = nth(&text, "\"title\": \"Conflict\"", 2) + "\"title\": ".len();
    let (line, column) = position(&text, title);
    assert!(
        output.stdout.starts_with(&format!(
            "{path}:{line}:{column}: error[title-mismatch]: title is \"Conflict\""
        )),
        "{}",
        output.stdout
    );
    let (primary, first) = idempotency_places(&dir, path);
    assert!(first < primary);
}

#[test]
fn hurl_report_with_its_store() {
    let dir = captures();
    let path = "hurl/report/report.json";
    // `requests.hurl:LINE` is where each request is written in the .hurl file.
    let lines = [5, 11, 17, 23, 29, 35, 41, 47, 53, 59, 65, 71, 80, 89];
    let name = |n: usize| format!("{path}#entry-{n} (requests.hurl:{})", lines[n - 1]);
    let report = check(&dir, path, &expected_verdicts(name), 2);
    assert!(
        report
            .results
            .iter()
            .all(|result| result.kind == JsonLocatorKind::Entry)
    );
    // The gzip body (request 11) passes: its store file holds the gzip bytes, undone.
    assert!(!report.results.iter().any(|r| r.index == Some(11)));
    let (primary, first) = idempotency_places(&dir, path);
    assert_eq!((primary.0, first.0), (1, 1));
    assert!(first.1 < primary.1);
    // From another working directory, the store is still found beside the report.
    let mut command = dir.command(&["check", "report.json"]);
    command.command.current_dir(dir.path().join("hurl/report"));
    let output = command.run();
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(output.stderr, "");
}

/// A `.har.zip` is read in place: nothing is written beside it or to the temporary folder.
#[test]
fn a_har_zip_never_writes_to_disk() {
    let dir = captures();
    let tmp = TestDir::new();
    let listing = |root: &std::path::Path| {
        let mut names: Vec<String> = walk(root);
        names.sort();
        names
    };
    let before = listing(dir.path());
    let output = dir
        .command(&["check", "playwright/attach.har.zip"])
        .env("TMPDIR", &tmp.path().display().to_string())
        .run();
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert_eq!(listing(dir.path()), before);
    assert_eq!(listing(tmp.path()), Vec::<String>::new());
}

fn walk(root: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path.display().to_string());
        }
    }
    found
}

/// From standard input, a zip archive is read in memory with the same verdicts; a HAR whose
/// bodies are files beside it has no folder there, and says so.
#[test]
fn captures_on_standard_input() {
    let dir = captures();
    let zip = std::fs::read(dir.path().join("playwright/attach.har.zip")).unwrap();
    let output = dir
        .command(&["check", "--format", "json", "-"])
        .stdin(&zip)
        .run();
    assert_eq!(output.code, 1, "{}", output.stderr);
    let name = |n: usize| format!("<stdin>#entry-{}", n + 1);
    assert_eq!(verdicts(&json(&output)), expected_verdicts(name));

    let har = std::fs::read(dir.path().join("playwright/attach/capture.har")).unwrap();
    let output = dir.command(&["check", "-"]).stdin(&har).run();
    assert_eq!(output.code, 2);
    let first = output.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        "cyoda: error: <stdin>#entry-2: response.content._file \"08bb51ce239d27a4a09857ec349ef965528f36ba.dat\" \
         cannot be read: the capture came from standard input, so it has no folder (pass its path)"
    );
}

/// All the fixtures in one run: every format detected by content, in one directory walk.
#[test]
fn a_directory_of_captures() {
    let dir = captures();
    let output = dir.check(&["--format", "json", "."]);
    // The attached body files are checked too, as the bodies they are.
    assert_eq!(output.code, 1, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(report.unreadable, []);
    for input in [
        "./newman/report.json",
        "./bruno/report.json",
        "./hurl/report/report.json",
        "./playwright/attach.har.zip",
        "./playwright/omit.har",
    ] {
        assert!(
            report.results.iter().any(|result| result.input == input),
            "{input}"
        );
    }
}
