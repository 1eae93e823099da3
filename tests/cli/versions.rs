//! Every cyoda-go version: choosing one (flag, environment, lenient names, unknown ones), the
//! pages and payloads it shows, the upgrade notes between two, and `cyoda check` judging each
//! response by the chosen version's facts. Expectations come from the pinned tables
//! (`crate::tables`), never from the binary.

use crate::tables::{self, Row};
use crate::util::{Output, TestDir};
use cyoda::report::json::JsonReport;
use cyoda::topics::changes::Changes;
use cyoda::topics::model::{HelpPayload, TopicDescriptor};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `cyoda ARGS…` with the tool's own default version (the tests' pin removed).
fn cyoda(args: &[&str]) -> Output {
    TestDir::new().command(args).default_version().run()
}

#[test]
fn the_flag_beats_the_environment_and_names_are_lenient() {
    let newest = tables::default_version();
    let payload_version = |out: &Output| -> String {
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str::<HelpPayload>(&out.stdout)
            .unwrap()
            .version
    };
    let dir = TestDir::new();
    let json = ["help", "--format", "json"];
    assert_eq!(
        payload_version(&dir.command(&json).default_version().run()),
        newest
    );
    let from_env = dir
        .command(&json)
        .default_version()
        .env("CYODA_SERVER_VERSION", "0.6.2")
        .run();
    assert_eq!(payload_version(&from_env), "0.6.2");
    let both = dir
        .command(&[&["--server-version", "0.7.2"][..], &json].concat())
        .default_version()
        .env("CYODA_SERVER_VERSION", "0.6.2")
        .run();
    assert_eq!(payload_version(&both), "0.7.2", "the flag wins");
    // The option is global: after the subcommand too.
    let after = dir
        .command(&["help", "--server-version", "v0.6.3", "--format", "json"])
        .default_version()
        .run();
    assert_eq!(payload_version(&after), "0.6.3");
    let minor = dir
        .command(&[&["--server-version", "0.7"][..], &json].concat())
        .default_version()
        .run();
    let newest_07 = tables::versions()
        .into_iter()
        .rfind(|v| v.starts_with("0.7."));
    assert_eq!(Some(payload_version(&minor)), newest_07);
    let empty_env = dir
        .command(&json)
        .default_version()
        .env("CYODA_SERVER_VERSION", "")
        .run();
    assert_eq!(
        payload_version(&empty_env),
        newest,
        "an empty variable is unset"
    );
}

#[test]
fn an_unknown_version_exits_2_with_one_line_listing_the_known_ones() {
    for args in [
        &["--server-version", "0.9.9", "help"][..],
        &["check", "--server-version", "1.0", "-"],
        &["--server-version", "0.8.0", "export", "out"],
    ] {
        let out = cyoda(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(
            out.stderr
                .starts_with("cyoda: error: unknown cyoda-go version \""),
            "{}",
            out.stderr
        );
        for version in tables::versions() {
            assert!(out.stderr.contains(&version), "{version} in {}", out.stderr);
        }
    }
    let env = TestDir::new()
        .command(&["help"])
        .default_version()
        .env("CYODA_SERVER_VERSION", "nope")
        .run();
    assert_eq!(env.code, 2);
    assert!(env.stderr.contains("unknown cyoda-go version \"nope\""));
}

#[test]
fn version_names_the_default_catalog_and_lists_the_others() {
    let out = cyoda(&["--version"]);
    assert_eq!(out.code, 0);
    let newest = tables::default_version();
    assert!(
        out.stdout
            .contains(&format!("error catalog: cyoda-go {newest} (default)")),
        "{}",
        out.stdout
    );
    for version in tables::versions() {
        let shown = if version.ends_with("-preview") {
            format!("{version} (preview)")
        } else {
            version.clone()
        };
        assert!(out.stdout.contains(&shown), "{shown} in {}", out.stdout);
    }
}

#[test]
fn every_version_s_payload_carries_that_version_s_facts() {
    for version in tables::versions() {
        let out = cyoda(&["--server-version", &version, "help", "--format", "json"]);
        assert_eq!(out.code, 0, "{version}: {}", out.stderr);
        let payload: HelpPayload = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(payload.version, version);
        let mut shown: BTreeMap<String, &TopicDescriptor> = BTreeMap::new();
        for topic in &payload.topics {
            if let Some(error) = &topic.error {
                shown.insert(error.code.clone(), topic);
            }
        }
        let rows = tables::rows(&version);
        assert_eq!(
            shown.len(),
            rows.len(),
            "{version}: one error topic per code"
        );
        for row in &rows {
            let error = shown[&row.code].error.as_ref().unwrap();
            assert_eq!(
                (
                    error.status,
                    error.title.as_str(),
                    error.retryable.as_str(),
                    error.ticket.as_str(),
                    error.reserved
                ),
                (
                    row.status,
                    row.reason.as_str(),
                    row.retryable.as_str(),
                    row.ticket.as_str(),
                    row.reserved
                ),
                "{version} {}",
                row.code
            );
            let properties: Vec<&String> = error.properties.keys().collect();
            let mut expected: Vec<&String> = row.server_properties.iter().collect();
            expected.sort();
            assert_eq!(properties, expected, "{version} {}", row.code);
            let synopsis = format!(
                "HTTP: `{}` `{}`. Retryable: `{}`.",
                row.status, row.reason, row.retryable
            );
            assert!(
                shown[&row.code].body.contains(&synopsis),
                "{version} {}",
                row.code
            );
        }
        let errors = payload.topics.iter().find(|t| t.topic == "errors").unwrap();
        assert_eq!(errors.children.len(), rows.len(), "{version}");
    }
}

#[test]
fn an_error_page_shows_the_newest_facts_and_its_history() {
    let page = cyoda(&["help", "errors", "ENTITY_MODIFIED"]);
    assert_eq!(page.code, 0);
    assert!(
        page.stdout.starts_with("# errors.ENTITY_MODIFIED\n"),
        "{}",
        page.stdout
    );
    assert!(
        page.stdout
            .contains("HTTP: `412` `Precondition Failed`. Retryable: `no`.")
    );
    assert!(
        page.stdout.contains(
            "## VERSIONS\n\n- **0.6.3** — Added, documented as `412` `Precondition Failed`"
        ),
        "{}",
        page.stdout
    );
    // A version that lacks the code still shows the page, under a first line saying so.
    let old = cyoda(&[
        "--server-version",
        "0.6.2",
        "help",
        "errors",
        "ENTITY_MODIFIED",
    ]);
    assert_eq!(old.code, 0, "{}", old.stderr);
    let first = old.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("not in cyoda-go 0.6.2: added in 0.6.3"),
        "{first}"
    );
    assert!(old.stdout.contains("# errors.ENTITY_MODIFIED"));
    // In JSON the descriptor is the other version's; stderr says so.
    let json = cyoda(&[
        "--server-version",
        "0.6.2",
        "help",
        "errors",
        "ENTITY_MODIFIED",
        "--format",
        "json",
    ]);
    assert_eq!(json.code, 0);
    let descriptor: TopicDescriptor = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(descriptor.error.unwrap().versions, "0.6.3 and later");
    assert!(
        json.stderr
            .starts_with("cyoda: note: not in cyoda-go 0.6.2: added in 0.6.3"),
        "{}",
        json.stderr
    );
}

#[test]
fn notes_apply_to_the_versions_they_name() {
    // CONFLICT's 0.6.x note on 412 responses is not shown to a user of a newer server.
    let old = cyoda(&["--server-version", "0.6.2", "help", "errors", "CONFLICT"]).stdout;
    let new = cyoda(&["help", "errors", "CONFLICT"]).stdout;
    let headings = |page: &str| -> Vec<String> {
        page.lines()
            .filter_map(|l| l.strip_prefix("### cyoda-go "))
            .map(str::to_string)
            .collect()
    };
    assert!(!headings(&old).is_empty() && !headings(&new).is_empty());
    assert_ne!(headings(&old), headings(&new));
    for page in [&old, &new] {
        let versions = page.split("## VERSIONS").nth(1).unwrap();
        assert!(
            versions.contains("**0.6.3**"),
            "the history is the same in every version"
        );
    }
}

#[test]
fn the_preview_is_opt_in_and_marked_wherever_it_is_shown() {
    let preview = tables::versions()
        .into_iter()
        .find(|v| v.ends_with("-preview"))
        .unwrap();
    let page = cyoda(&["--server-version", &preview, "help", "errors"]);
    assert_eq!(page.code, 0);
    assert!(
        page.stdout
            .starts_with(&format!("cyoda-go {preview} is a preview")),
        "{}",
        page.stdout
    );
    let tree = cyoda(&["--server-version", &preview, "help"]);
    assert!(
        tree.stdout
            .contains(&format!("cyoda-go {preview} (a preview")),
        "{}",
        tree.stdout
    );
    assert!(
        !cyoda(&["help"])
            .stdout
            .contains(&format!("(cyoda-go {preview}"))
    );
    let dir = TestDir::new();
    let body = valid_body(&tables::rows(&preview)[0], &BTreeMap::new());
    dir.write("a.json", body.to_string());
    let check = dir
        .command(&["check", "--server-version", &preview, "a.json"])
        .default_version()
        .run();
    assert!(
        check
            .stdout
            .contains(&format!("cyoda-go {preview} (a preview")),
        "{}",
        check.stdout
    );
}

// ------------------------------------------------------------------ help changes

fn changes(from: &str, to: &str) -> Changes {
    let out = cyoda(&["help", "changes", from, to, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("the documented Changes shape")
}

#[test]
fn upgrade_notes_list_exactly_the_codes_the_tables_add_and_remove() {
    let versions = tables::versions();
    for pair in versions.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        let notes = changes(from, to);
        let (old, new) = (tables::codes(from), tables::codes(to));
        let added: Vec<String> = new.iter().filter(|c| !old.contains(c)).cloned().collect();
        let removed: Vec<String> = old.iter().filter(|c| !new.contains(c)).cloned().collect();
        let listed = |facts: &[cyoda::topics::changes::CodeFacts]| -> Vec<String> {
            facts.iter().map(|f| f.code.clone()).collect()
        };
        assert_eq!(listed(&notes.added), added, "{from} → {to}");
        assert_eq!(listed(&notes.removed), removed, "{from} → {to}");
        // Every documented fact that differs between the tables is listed, and nothing else.
        let by_code = |v: &str| -> BTreeMap<String, Row> {
            tables::rows(v)
                .into_iter()
                .map(|r| (r.code.clone(), r))
                .collect()
        };
        let (before, after) = (by_code(from), by_code(to));
        let mut expected = Vec::new();
        for (code, row) in &after {
            let Some(old) = before.get(code) else {
                continue;
            };
            if old.status != row.status {
                expected.push((code.clone(), "status"));
            }
            if old.retryable != row.retryable {
                expected.push((code.clone(), "retryable"));
            }
            if old.ticket != row.ticket {
                expected.push((code.clone(), "ticket"));
            }
            if old.reserved != row.reserved {
                expected.push((code.clone(), "reserved"));
            }
        }
        let documented: Vec<(String, &str)> = notes
            .documented
            .iter()
            .map(|c| (c.code.clone(), c.fact.as_str()))
            .collect();
        assert_eq!(documented, expected, "{from} → {to}");
    }
}

#[test]
fn upgrading_from_0_6_2_to_0_6_3() {
    let notes = changes("0.6.2", "0.6.3");
    assert_eq!(notes.added.len(), 10);
    let server: Vec<&str> = notes.server.iter().map(|s| s.code.as_str()).collect();
    assert!(
        server.contains(&"CONFLICT") && server.contains(&"TRANSITION_NOT_FOUND"),
        "{server:?}"
    );
    let transition = notes
        .server
        .iter()
        .find(|s| s.code == "TRANSITION_NOT_FOUND")
        .unwrap();
    let ended: Vec<&str> = transition
        .no_longer
        .iter()
        .map(|f| f.tag.as_str())
        .collect();
    assert!(
        ended.contains(&"never_raised"),
        "first raised in 0.6.3: {ended:?}"
    );
    let out = cyoda(&["help", "changes", "0.6.2", "0.6.3"]);
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("changes_0_6_2_to_0_6_3", out.stdout);
}

#[test]
fn upgrade_notes_default_to_the_previous_release_and_the_chosen_version() {
    let releases: Vec<String> = tables::versions()
        .into_iter()
        .filter(|v| !v.ends_with("-preview"))
        .collect();
    let (previous, newest) = (&releases[releases.len() - 2], &releases[releases.len() - 1]);
    let out = cyoda(&["help", "changes", "--format", "json"]);
    let notes: Changes = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (notes.from.as_deref(), notes.to.as_str()),
        (Some(previous.as_str()), newest.as_str())
    );
    let chosen = cyoda(&[
        "--server-version",
        "0.6.3",
        "help",
        "changes",
        "--format",
        "json",
    ]);
    let notes: Changes = serde_json::from_str(&chosen.stdout).unwrap();
    assert_eq!(
        (notes.from.as_deref(), notes.to.as_str()),
        (Some("0.6.2"), "0.6.3")
    );
    let one = cyoda(&["help", "changes", "0.6.2", "--format", "json"]);
    let notes: Changes = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(
        (notes.from.as_deref(), notes.to.as_str()),
        (Some("0.6.2"), newest.as_str())
    );
    // The topic is in the tree, and unknown versions are a usage error.
    assert!(cyoda(&["help"]).stdout.contains("changes"));
    let bad = cyoda(&["help", "changes", "0.5.0"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown cyoda-go version \"0.5.0\""),
        "{}",
        bad.stderr
    );
    let text = TestDir::new()
        .command(&[
            "help", "changes", "0.8.2", "0.8.3", "--format", "text", "--color", "never",
        ])
        .default_version()
        .env("COLUMNS", "70")
        .run();
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("FROM 0.8.2 TO 0.8.3"),
        "{}",
        text.stdout
    );
}

// ---------------------------------------------------------------- check, per version

/// A body of `row` as the version's documentation describes it.
fn valid_body(row: &Row, types: &BTreeMap<String, String>) -> Value {
    let ticket = "5f69baef-84b6-407d-8a26-dedb89ec7e40";
    let mut properties = json!({"errorCode": row.code});
    if row.retryable == "yes" {
        properties["retryable"] = json!(true);
    }
    for (name, kind) in types {
        properties[name] = match kind.as_str() {
            "string" => json!("x"),
            "integer" | "number" => json!(3),
            "boolean" => json!(true),
            "array" => json!(["a"]),
            _ => json!({}),
        };
    }
    let mut body = json!({
        "type": "about:blank",
        "title": row.reason,
        "status": row.status,
        "detail": format!("{}: something", row.code),
        "instance": "/entity/1",
        "properties": properties,
    });
    if row.ticket == "required" {
        body["ticket"] = json!(ticket);
        body["detail"] = json!(format!("{}: internal error [ticket: {ticket}]", row.code));
    }
    body
}

/// The JSON types of each code's properties in `version`, as its payload states them.
fn property_types(version: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let out = cyoda(&["--server-version", version, "help", "--format", "json"]);
    let payload: HelpPayload = serde_json::from_str(&out.stdout).unwrap();
    payload
        .topics
        .into_iter()
        .filter_map(|t| t.error)
        .map(|e| (e.code, e.properties))
        .collect()
}

fn check_lines(version: &str, lines: &[Value]) -> JsonReport {
    let dir = TestDir::new();
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    dir.write("responses.ndjson", text);
    let out = dir
        .command(&[
            "check",
            "--server-version",
            version,
            "--format",
            "json",
            "responses.ndjson",
        ])
        .default_version()
        .run();
    assert!(out.code == 0 || out.code == 1, "{version}: {}", out.stderr);
    let report: JsonReport = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report.catalog_version, version);
    report
}

#[test]
fn every_code_a_version_really_sends_passes_and_its_mutations_fail() {
    for version in tables::versions() {
        let types = property_types(&version);
        let rows: Vec<Row> = tables::rows(&version)
            .into_iter()
            .filter(Row::sent)
            .collect();
        let valid: Vec<Value> = rows
            .iter()
            .map(|r| valid_body(r, &types[&r.code]))
            .collect();
        let report = check_lines(&version, &valid);
        let failing: Vec<String> = report
            .results
            .iter()
            .filter(|r| r.failed)
            .map(|r| r.name.clone())
            .collect();
        assert_eq!(
            failing,
            Vec::<String>::new(),
            "{version}: valid bodies fail: {:?}",
            report.results
        );
        assert_eq!(report.summary.responses, rows.len());

        let mut mutants = Vec::new();
        let mut expected = Vec::new();
        for (row, body) in rows.iter().zip(&valid) {
            let mut push = |mutant: Value, rule: &str| {
                mutants.push(mutant);
                expected.push((row.code.clone(), rule.to_string()));
            };
            let mut status = body.clone();
            status["status"] = json!(499);
            push(status, "status-mismatch");
            let mut retry = body.clone();
            match row.retryable.as_str() {
                "yes" => {
                    retry["properties"]["retryable"] = json!(false);
                    push(retry, "retryable-mismatch");
                }
                "no" => {
                    retry["properties"]["retryable"] = json!(true);
                    push(retry, "retryable-mismatch");
                }
                _ => {}
            }
            let mut ticket = body.clone();
            if row.ticket == "required" {
                ticket.as_object_mut().unwrap().remove("ticket");
                push(ticket, "ticket-missing");
            } else {
                ticket["ticket"] = json!("5f69baef-84b6-407d-8a26-dedb89ec7e40");
                push(ticket, "ticket-unexpected");
            }
            for name in types[&row.code].keys() {
                let mut typed = body.clone();
                typed["properties"][name] = json!({"wrong": "type"});
                if types[&row.code][name] == "object" {
                    typed["properties"][name] = json!("wrong");
                }
                push(typed, "wrong-type");
            }
        }
        let report = check_lines(&version, &mutants);
        for (n, (code, rule)) in expected.iter().enumerate() {
            let name = format!("responses.ndjson:{}", n + 1);
            let result = report.results.iter().find(|r| r.name == name);
            let rules: Vec<String> = result
                .map(|r| r.violations.iter().map(|v| v.rule.clone()).collect())
                .unwrap_or_default();
            assert!(
                rules.contains(rule),
                "{version} {code}: line {} reports {rules:?}, not {rule}",
                n + 1
            );
        }
    }
}

#[test]
fn a_code_added_after_0_6_2_is_unknown_there_and_names_the_version_that_added_it() {
    let old = tables::codes("0.6.2");
    let versions = tables::versions();
    for version in &versions {
        let types = property_types(version);
        for row in tables::rows(version)
            .iter()
            .filter(|r| !old.contains(&r.code))
        {
            let first = versions
                .iter()
                .find(|v| tables::codes(v).contains(&row.code))
                .unwrap();
            if first != version {
                continue; // checked once, with the version that added it
            }
            let body = valid_body(row, &types[&row.code]);
            let report = check_lines("0.6.2", std::slice::from_ref(&body));
            let violation = &report.results[0].violations[0];
            assert_eq!(violation.rule, "unknown-code");
            assert!(
                violation.message.starts_with(&format!(
                    "{} is not in cyoda-go 0.6.2 (added in {first}",
                    row.code
                )) && violation
                    .message
                    .contains(&format!("pass --server-version {first}")),
                "{}",
                violation.message
            );
            assert_eq!(violation.help, format!("cyoda help errors {}", row.code));
            let passing = check_lines(first, std::slice::from_ref(&body));
            assert!(
                passing.results.iter().all(|r| !r.failed),
                "{} under {first}",
                row.code
            );
        }
    }
}

#[test]
fn reports_name_the_version_the_responses_were_checked_against() {
    let dir = TestDir::new();
    let rows = tables::rows("0.7.0");
    let conflict = rows.iter().find(|r| r.code == "CONFLICT").unwrap();
    dir.write("a.json", valid_body(conflict, &BTreeMap::new()).to_string());
    let run = |format: &str| {
        dir.command(&[
            "check",
            "--server-version",
            "0.7.0",
            "--format",
            format,
            "a.json",
        ])
        .default_version()
        .run()
    };
    let human = run("human");
    assert!(
        human.stdout.contains("against cyoda-go 0.7.0"),
        "{}",
        human.stdout
    );
    for format in ["json", "sarif", "junit", "github"] {
        let out = run(format);
        assert!(out.stdout.contains("0.7.0"), "{format}: {}", out.stdout);
        assert!(
            out.stderr.contains("against cyoda-go 0.7.0"),
            "{format}: {}",
            out.stderr
        );
    }
}
