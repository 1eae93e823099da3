//! `cyoda check --format json|github|junit|sarif|gitlab` and `--output`, as CI uses them: stdout holds
//! the report alone, the summary goes to stderr, exit codes are those of `check`.

use crate::util::{Output, TestDir};
use cyoda::report::json::{JsonLocatorKind, JsonReport, JsonSeverity};
use cyoda::report::sarif::SarifLog;
use quick_xml::events::Event;

const MACHINE: [&str; 5] = ["json", "github", "junit", "sarif", "gitlab"];

fn fixtures() -> TestDir {
    let dir = TestDir::new();
    dir.copy("check", "check");
    dir
}

fn json(output: &Output) -> JsonReport {
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", output.stdout, output.stderr))
}

#[test]
fn exit_codes_are_those_of_check_in_every_format() {
    let dir = fixtures();
    for format in MACHINE {
        for (path, code) in [
            ("check/valid.json", 0),
            ("check/mixed/a-status.json", 1),
            ("check/missing.json", 2),
        ] {
            let output = dir.check(&["--format", format, path]);
            assert_eq!(output.code, code, "{format} {path}: {}", output.stderr);
        }
        let output = dir.check(&["--format", format, "--strict", "check/warning-only.json"]);
        assert_eq!(output.code, 1, "{format} --strict: {}", output.stderr);
    }
}

#[test]
fn machine_formats_keep_stdout_pure_and_summarise_on_stderr() {
    let dir = fixtures();
    for format in MACHINE {
        let output = dir.check(&["--format", format, "check/mixed/a-status.json"]);
        assert_eq!(
            output.stderr,
            "checked 1 response in 1 input against cyoda-go 0.8.3: 0 ok, 1 failed (1 error, 0 warnings)\n",
            "{format}"
        );
        // GitHub's closing notice is a workflow command of its own; nothing else repeats it.
        let notices = output.stdout.matches("checked 1 response").count();
        assert_eq!(notices, usize::from(format == "github"), "{format}");
    }
}

#[test]
fn json_report_deserializes_with_every_field_known() {
    let dir = fixtures();
    let output = dir.check(&[
        "--format",
        "json",
        "check/mixed",
        "check/warning-only.json",
        "check/missing.json",
    ]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let report = json(&output);
    assert_eq!(report.schema, 1);
    assert_eq!(report.catalog_version, crate::tables::default_version());
    let summary = &report.summary;
    assert_eq!(
        (
            summary.inputs,
            summary.responses,
            summary.passed,
            summary.failed
        ),
        (8, 11, 5, 6)
    );
    assert_eq!((summary.errors, summary.warnings), (7, 1));
    assert_eq!((summary.skipped, summary.unreadable), (1, 1));

    // Failing responses, plus the warnings-only one; passing responses are not listed.
    let names: Vec<&str> = report.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "check/mixed/a-status.json",
            "check/mixed/b-lines.ndjson:2",
            "check/mixed/c-capture.har#entry-2",
            "check/mixed/c-capture.har#entry-3",
            "check/mixed/d-multi.http#response-2",
            "check/mixed/sub/e-h2.http",
            "check/warning-only.json",
        ]
    );
    let har = &report.results[2];
    assert_eq!(har.input, "check/mixed/c-capture.har");
    assert_eq!((har.kind, har.index), (JsonLocatorKind::Entry, Some(2)));
    let violation = &har.violations[0];
    assert_eq!(violation.rule, "retryable-mismatch");
    assert_eq!(violation.severity, JsonSeverity::Error);
    assert_eq!(violation.pointer.as_deref(), Some("/properties/retryable"));
    assert_eq!((violation.line, violation.column), (42, 284));
    assert_eq!(violation.help, "cyoda help errors MODEL_NOT_LOCKED");
    let warning = report.results.last().unwrap();
    assert!(!warning.failed);
    assert_eq!(warning.violations[0].severity, JsonSeverity::Warning);
    assert_eq!(warning.violations[0].pointer.as_deref(), Some("/detail"));
    // A transport violation has no pointer.
    let http = &report.results[5].violations[0];
    assert_eq!(
        (http.rule.as_str(), http.pointer.as_deref()),
        ("http-status", None)
    );

    assert_eq!(report.unreadable.len(), 1);
    assert_eq!(report.unreadable[0].input, "check/missing.json");
    assert_eq!(report.unreadable[0].message, "no such file or directory");
}

#[test]
fn json_report_of_a_clean_run_and_of_stdin() {
    let dir = fixtures();
    let report = json(&dir.check(&["--format", "json", "check/valid.json"]));
    assert!(report.results.is_empty());
    assert_eq!(report.summary.passed, 1);

    let body = std::fs::read(dir.path().join("check/mixed/a-status.json")).unwrap();
    let output = dir
        .command(&["check", "--format", "json"])
        .stdin(body)
        .run();
    assert_eq!(output.code, 1);
    let report = json(&output);
    assert_eq!(report.results[0].name, "<stdin>");
    assert_eq!(report.results[0].kind, JsonLocatorKind::Whole);
}

#[test]
fn json_escapes_response_text() {
    let dir = fixtures();
    let output = dir.check(&["--format", "json", "check/control.json"]);
    assert_eq!(output.code, 1);
    assert!(!output.raw_stdout.contains(&0x1b), "{}", output.stdout);
    let report = json(&output);
    assert!(
        report.results[0]
            .violations
            .iter()
            .any(|v| v.message.contains("\\u{1b}")),
        "{:?}",
        report.results[0]
    );
}

#[test]
fn github_annotations_land_on_the_lines() {
    let dir = fixtures();
    let output = dir.check(&[
        "--format",
        "github",
        "check/mixed",
        "check/warning-only.json",
        "check/missing.json",
    ]);
    assert_eq!(output.code, 2);
    let lines: Vec<&str> = output.stdout.lines().collect();
    // 7 violations and 1 unreadable input (errors, in input order), then the warning (after
    // every error), then the closing notice.
    assert_eq!(lines.len(), 7 + 1 + 1 + 1, "{}", output.stdout);
    assert!(
        lines[..8].iter().all(|l| l.starts_with("::error ")),
        "{}",
        output.stdout
    );
    assert!(lines[8].starts_with("::warning "), "{}", output.stdout);
    assert!(
        lines[9].starts_with("::notice title=cyoda check::checked "),
        "{}",
        lines[9]
    );
    assert!(lines.iter().all(|line| line.starts_with("::")));
    assert_eq!(
        lines[0],
        "::error file=check/mixed/a-status.json,line=4,col=13,title=cyoda check%3A status-mismatch::status is 400, but ENTITY_NOT_FOUND is documented with 404%0Ahelp: cyoda help errors ENTITY_NOT_FOUND"
    );
    assert!(
        lines.contains(&"::error file=check/mixed/c-capture.har,line=42,col=284,title=cyoda check%3A retryable-mismatch::properties.retryable is true, but MODEL_NOT_LOCKED is documented as not retryable (entry 2)%0Ahelp: cyoda help errors MODEL_NOT_LOCKED"),
        "{}",
        output.stdout
    );
    assert!(
        lines.contains(&"::warning file=check/warning-only.json,line=5,col=13,title=cyoda check%3A detail-prefix::detail does not start with \"ENTITY_NOT_FOUND: \"%0Ahelp: cyoda help errors ENTITY_NOT_FOUND"),
        "{}",
        output.stdout
    );
    assert_eq!(
        lines[7],
        "::error file=check/missing.json,title=cyoda check%3A unreadable input::check/missing.json: no such file or directory"
    );
}

#[test]
fn github_never_prints_a_raw_control_character() {
    let dir = fixtures();
    for fixture in ["check/control.json", "check/raw-escape.json"] {
        let output = dir.check(&["--format", "github", fixture]);
        assert_eq!(output.code, 1);
        let controls: Vec<u8> = output
            .raw_stdout
            .iter()
            .copied()
            .filter(|b| b.is_ascii_control() && *b != b'\n')
            .collect();
        assert!(controls.is_empty(), "{fixture}: {}", output.stdout);
    }
    let output = dir.check(&["--format", "github", "check/control.json"]);
    assert!(output.stdout.contains("\\u{1b}"), "{}", output.stdout);
}

/// One XML element: depth, name, attributes.
pub(crate) type Element = (usize, String, Vec<(String, String)>);

/// The elements of an XML document in document order.
pub(crate) fn xml_elements(xml: &str) -> Vec<Element> {
    fn element(e: &quick_xml::events::BytesStart<'_>) -> (String, Vec<(String, String)>) {
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let attributes = e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect();
        (name, attributes)
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut elements = Vec::new();
    let mut depth = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let (name, attributes) = element(&e);
                elements.push((depth, name, attributes));
                depth += 1;
            }
            Event::Empty(e) => {
                let (name, attributes) = element(&e);
                elements.push((depth, name, attributes));
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
    elements
}

pub(crate) fn attribute<'a>(attributes: &'a [(String, String)], key: &str) -> &'a str {
    attributes
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no attribute {key} in {attributes:?}"))
}

#[test]
fn junit_has_a_case_per_response_each_in_a_suite_that_counts_it() {
    let dir = fixtures();
    let output = dir.check(&[
        "--format",
        "junit",
        "check/mixed",
        "check/warning-only.json",
        "check/missing.json",
        "check/control.json",
    ]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stdout.starts_with("<?xml"));
    assert!(!output.raw_stdout.contains(&0x1b));
    let elements = xml_elements(&output.stdout);
    let count = |name: &str| elements.iter().filter(|(_, n, _)| n == name).count();
    // 12 responses (the success-only HAR entry is skipped, not a case), and the missing file.
    assert_eq!(count("testsuites"), 1);
    assert_eq!(count("testsuite"), 13);
    assert_eq!(count("testcase"), 13);
    assert_eq!(count("failure"), 7);
    assert_eq!(count("error"), 1);
    let (_, _, root) = &elements[0];
    assert_eq!(
        attribute(root, "name"),
        "cyoda check against cyoda-go 0.8.3"
    );
    // Each suite counts its one case, so the counts are right although the report streams.
    let suites: Vec<&Vec<(String, String)>> = elements
        .iter()
        .filter(|(_, n, _)| n == "testsuite")
        .map(|(_, _, a)| a)
        .collect();
    assert!(suites.iter().all(|a| attribute(a, "tests") == "1"));
    let failures: usize = suites
        .iter()
        .map(|a| attribute(a, "failures").parse::<usize>().unwrap())
        .sum();
    assert_eq!(failures, 7);

    let suite = elements
        .iter()
        .find(|(_, n, a)| {
            n == "testsuite" && attribute(a, "name") == "check/mixed/b-lines.ndjson:2"
        })
        .unwrap();
    assert_eq!(attribute(&suite.2, "failures"), "1");
    let case = elements
        .iter()
        .position(|(_, n, a)| {
            n == "testcase" && attribute(a, "name") == "check/mixed/b-lines.ndjson:2"
        })
        .unwrap();
    assert_eq!(
        attribute(&elements[case].2, "classname"),
        "check/mixed/b-lines.ndjson"
    );
    let (depth, name, failure) = &elements[case + 1];
    assert_eq!((*depth, name.as_str()), (3, "failure"));
    assert_eq!(attribute(failure, "type"), "title-mismatch");
    assert!(
        attribute(failure, "message").starts_with("2:34: error[title-mismatch]: title is \"Gone\"")
    );

    // Warnings only: the case passes and lists its warning in system-out.
    let case = elements
        .iter()
        .position(|(_, n, a)| n == "testcase" && attribute(a, "name") == "check/warning-only.json")
        .unwrap();
    assert_eq!(elements[case + 1].1, "system-out");
    assert!(output.stdout.contains("warning[detail-prefix]"));

    let case = elements
        .iter()
        .position(|(_, n, a)| n == "testcase" && attribute(a, "name") == "check/missing.json")
        .unwrap();
    let (_, name, error) = &elements[case + 1];
    assert_eq!(name, "error");
    assert_eq!(attribute(error, "type"), "unreadable");
    assert_eq!(attribute(error, "message"), "no such file or directory");
}

pub(crate) fn sarif_validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::util::fixture("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The official schema's pattern for `language` (in `run` and `toolComponent`) has an
    // unescaped `]`, which ECMA-262 reads as a literal and Rust's regex engines reject;
    // escaping it keeps its meaning and lets the schema pass its own meta-validation.
    // Nothing else is touched.
    fn escape_bracket(value: &mut serde_json::Value) -> usize {
        const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
        match value {
            serde_json::Value::String(text) if text == BROKEN => {
                *text = BROKEN.replace("}]?", "}\\]?");
                1
            }
            serde_json::Value::Array(items) => items.iter_mut().map(escape_bracket).sum(),
            serde_json::Value::Object(members) => members.values_mut().map(escape_bracket).sum(),
            _ => 0,
        }
    }
    assert_eq!(escape_bracket(&mut schema), 2);
    // Formats (`uri`, `uri-reference`) are asserted too, not only annotated.
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

pub(crate) fn assert_valid_sarif(
    validator: &jsonschema::Validator,
    text: &str,
) -> serde_json::Value {
    let instance: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let log: SarifLog = serde_json::from_value(instance.clone()).unwrap();
    let run = &log.runs[0];
    let locations = run.results.iter().flat_map(|r| &r.locations).chain(
        run.invocations
            .iter()
            .flat_map(|i| &i.tool_execution_notifications)
            .flat_map(|n| &n.locations),
    );
    for location in locations {
        let uri = &location.physical_location.artifact_location.uri;
        assert!(
            iri_string::types::UriReferenceStr::new(uri).is_ok(),
            "not a URI reference: {uri}"
        );
    }
    instance
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = fixtures();
    dir.write(
        "check/space name.json",
        std::fs::read(dir.path().join("check/control.json")).unwrap(),
    );
    let validator = sarif_validator();
    let output = dir.check(&[
        "--format",
        "sarif",
        "check/mixed",
        "check/warning-only.json",
        "check/missing.json",
        "check/space name.json",
    ]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(!output.raw_stdout.contains(&0x1b));
    assert_valid_sarif(&validator, &output.stdout);
    let log: SarifLog = serde_json::from_str(&output.stdout).unwrap();
    assert_eq!(log.version, "2.1.0");
    let run = &log.runs[0];
    let rules = &run.tool.driver.rules;
    assert_eq!(rules.len(), cyoda::contract::rules::RuleId::ALL.len());
    for result in &run.results {
        assert_eq!(rules[result.rule_index].id, result.rule_id);
    }
    let title = rules.iter().find(|r| r.id == "title-mismatch").unwrap();
    assert_eq!(
        title.short_description.text,
        "title is not the reason phrase of status"
    );
    assert!(
        title
            .full_description
            .text
            .starts_with("The `title` is not the standard HTTP reason phrase")
    );
    assert!(
        title
            .help
            .markdown
            .as_deref()
            .unwrap()
            .starts_with("# check.title-mismatch")
    );

    let har = run
        .results
        .iter()
        .find(|r| r.rule_id == "retryable-mismatch")
        .unwrap();
    let location = &har.locations[0].physical_location;
    assert_eq!(location.artifact_location.uri, "check/mixed/c-capture.har");
    let region = location.region.as_ref().unwrap();
    assert_eq!((region.start_line, region.start_column), (42, 284));
    assert!(har.message.text.contains("(entry 2)"));
    let status = run
        .results
        .iter()
        .find(|r| r.rule_id == "status-mismatch")
        .unwrap();
    let region = status.locations[0]
        .physical_location
        .region
        .as_ref()
        .unwrap();
    assert_eq!((region.start_column, region.end_column), (13, Some(16)));
    assert!(run.results.iter().any(
        |r| r.locations[0].physical_location.artifact_location.uri == "check/space%20name.json"
    ));

    let invocation = &run.invocations[0];
    assert!(!invocation.execution_successful);
    assert_eq!(invocation.tool_execution_notifications.len(), 1);
    assert_eq!(
        invocation.tool_execution_notifications[0].message.text,
        "check/missing.json: no such file or directory"
    );
}

#[test]
fn sarif_of_a_clean_run_and_of_stdin_is_valid() {
    let dir = fixtures();
    let validator = sarif_validator();
    let output = dir.check(&["--format", "sarif", "check/valid.json"]);
    assert_eq!(output.code, 0);
    let log = assert_valid_sarif(&validator, &output.stdout);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );

    let body = std::fs::read(dir.path().join("check/mixed/a-status.json")).unwrap();
    let output = dir
        .command(&["check", "--format", "sarif"])
        .stdin(body)
        .run();
    assert_eq!(output.code, 1);
    let log = assert_valid_sarif(&validator, &output.stdout);
    let result = &log["runs"][0]["results"][0];
    // Code scanning wants a physical location on every result, stdin included.
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "stdin"
    );
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("(<stdin>)")
    );
}

#[test]
fn output_writes_each_format_atomically_with_the_summary_on_stderr() {
    let dir = fixtures();
    for format in MACHINE {
        let name = format!("reports/report.{format}");
        std::fs::create_dir_all(dir.path().join("reports")).unwrap();
        let output = dir.check(&[
            "--format",
            format,
            "--output",
            &name,
            "check/mixed/a-status.json",
        ]);
        assert_eq!(output.code, 1, "{format}: {}", output.stderr);
        assert_eq!(output.stdout, "", "{format}");
        assert_eq!(
            output.stderr,
            "checked 1 response in 1 input against cyoda-go 0.8.3: 0 ok, 1 failed (1 error, 0 warnings)\n",
            "{format}"
        );
        let report = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let direct = dir.check(&["--format", format, "check/mixed/a-status.json"]);
        assert_eq!(report, direct.stdout, "{format}");
    }
    let entries: Vec<String> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        entries.len(),
        MACHINE.len(),
        "temporary files left behind: {entries:?}"
    );
}

#[test]
fn output_into_a_missing_directory_fails_without_a_report() {
    let dir = fixtures();
    let output = dir.check(&[
        "--format",
        "json",
        "--output",
        "nowhere/r.json",
        "check/valid.json",
    ]);
    assert_eq!(output.code, 2);
    assert!(
        output
            .stderr
            .starts_with("cyoda: error: writing nowhere/r.json: "),
        "{}",
        output.stderr
    );
    assert!(!dir.path().join("nowhere").exists());
}

#[test]
fn a_closed_stdout_ends_quietly_in_every_format() {
    let dir = TestDir::new();
    let line = "{\"type\": \"about:blank\", \"title\": \"Gone\", \"status\": 410, \"instance\": \"/x\", \"properties\": {\"errorCode\": \"ENTITY_NOT_FOUND\"}}\n";
    dir.write("many.ndjson", line.repeat(20_000));
    // `github` writes at most 22 lines whatever the findings: it fits the pipe before the
    // reader closes it, so that run ends normally.
    for format in MACHINE.iter().filter(|f| **f != "github") {
        let (code, stderr) =
            dir.close_stdout_after(&["check", "--format", format, "many.ndjson"], 64);
        assert_eq!(code, Some(1), "{format}");
        assert_eq!(stderr, "", "{format}");
    }
}
