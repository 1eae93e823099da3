//! `cyoda help`: what a user sees for the seed topic in every format, lookup forms, suggestions,
//! status listings, exit codes and broken pipes.

use crate::util::{Output, TestDir};
use cyoda::topics::model::{HelpPayload, TopicDescriptor};

const SEED: &[&str] = &["help", "errors", "IDEMPOTENCY_CONFLICT"];

/// `cyoda ARGS…` in a scrubbed environment.
fn cyoda_run(args: &[&str]) -> Output {
    TestDir::new().command(args).run()
}

#[test]
fn seed_topic_as_markdown_when_piped() {
    let result = cyoda_run(SEED);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.stderr, "");
    insta::assert_snapshot!("idempotency_conflict_markdown", result.stdout);
}

#[test]
fn seed_topic_as_plain_text_at_80_columns() {
    let result = TestDir::new()
        .command(&[SEED, &["--format", "text", "--color", "never"]].concat())
        .env("COLUMNS", "80")
        .run();
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        !result.stdout.contains('\x1b'),
        "no colour when asked for none"
    );
    // Prose wraps at 80 columns; a longer line is a code line, printed whole.
    let markdown = cyoda_run(SEED).stdout;
    for line in result.stdout.lines().filter(|l| l.chars().count() > 80) {
        assert!(
            markdown.contains(line),
            "a long line that is not code: {line:?}"
        );
    }
    insta::assert_snapshot!("idempotency_conflict_text_plain", result.stdout);
}

#[test]
fn seed_topic_as_coloured_text_at_80_columns() {
    let result = TestDir::new()
        .command(&[SEED, &["--format", "text", "--color", "always"]].concat())
        .env("COLUMNS", "80")
        .run();
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("\x1b["),
        "styled when asked for colour"
    );
    // Escapes shown as `␛[…m`, so the snapshot says which styles land where.
    let visible = result.stdout.replace('\x1b', "␛");
    insta::assert_snapshot!("idempotency_conflict_text_color", visible);
}

#[test]
fn seed_topic_as_json_is_the_documented_descriptor() {
    let result = cyoda_run(&[SEED, &["--format", "json"]].concat());
    assert_eq!(result.code, 0, "{}", result.stderr);
    let descriptor: TopicDescriptor =
        serde_json::from_str(&result.stdout).expect("a TopicDescriptor, no unknown fields");
    assert_eq!(descriptor.topic, "errors.IDEMPOTENCY_CONFLICT");
    assert_eq!(descriptor.path, ["errors", "IDEMPOTENCY_CONFLICT"]);
    assert_eq!(
        descriptor.see_also,
        ["errors", "errors.CONFLICT", "errors.TX_CONFLICT"]
    );
    assert!(
        descriptor.body.contains("## VERSIONS\n"),
        "{}",
        descriptor.body
    );
    assert_eq!(descriptor.actions, Vec::<String>::new());
    assert!(descriptor.children.is_empty());
    let names: Vec<&str> = descriptor
        .sections
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(&names[..4], ["STATUS", "NAME", "SYNOPSIS", "DESCRIPTION"]);
    assert_eq!(names.last(), Some(&"SEE ALSO"));
    let error = descriptor
        .error
        .expect("error topics carry the error object");
    assert_eq!(
        (error.code.as_str(), error.status, error.title.as_str()),
        ("IDEMPOTENCY_CONFLICT", 409, "Conflict")
    );
    assert_eq!(
        (
            error.retryable.as_str(),
            error.ticket.as_str(),
            error.reserved
        ),
        ("no", "absent", true)
    );
    insta::assert_snapshot!("idempotency_conflict_json", result.stdout);
}

#[test]
fn the_seed_page_carries_what_the_model_page_carries() {
    let page = cyoda_run(SEED).stdout;
    for needle in [
        "## STATUS",
        "## NAME\n\nIDEMPOTENCY_CONFLICT — ",
        "## SYNOPSIS\n\nHTTP: `409` `Conflict`. Retryable: `no`.",
        "## DESCRIPTION",
        "## SEE ALSO\n\n- `cyoda help errors` — ",
        "- `cyoda help errors CONFLICT` — ",
        "- `cyoda help errors TX_CONFLICT` — ",
    ] {
        assert!(page.contains(needle), "missing {needle:?} in\n{page}");
    }
}

#[test]
fn whole_tree_as_json_is_the_help_payload() {
    let result = cyoda_run(&["help", "--format", "json"]);
    assert_eq!(result.code, 0);
    let payload: HelpPayload =
        serde_json::from_str(&result.stdout).expect("a HelpPayload, no unknown fields");
    assert_eq!(payload.schema, 1);
    assert_eq!(payload.version, crate::tables::default_version());
    let codes = crate::tables::codes(&crate::tables::default_version()).len();
    let errors: Vec<&TopicDescriptor> = payload
        .topics
        .iter()
        .filter(|t| t.error.is_some())
        .collect();
    assert_eq!(errors.len(), codes);
    // Parents come before their children, siblings in byte order.
    let ids: Vec<&str> = payload.topics.iter().map(|t| t.topic.as_str()).collect();
    let position = |id: &str| ids.iter().position(|x| *x == id).unwrap();
    assert!(position("errors") < position("errors.BAD_REQUEST"));
    assert!(position("errors.BAD_REQUEST") < position("errors.CONFLICT"));
    let listed = &payload.topics[position("errors")].children;
    assert_eq!(listed.len(), codes);
}

#[test]
fn every_lookup_form_finds_the_seed_topic() {
    let expected = cyoda_run(SEED).stdout;
    for form in [
        vec!["help", "errors.IDEMPOTENCY_CONFLICT"],
        vec!["help", "errors", "idempotency_conflict"],
        vec!["help", "ERRORS.Idempotency_Conflict"],
        vec!["help", "errors/idempotency_conflict"],
        vec!["help", "IDEMPOTENCY_CONFLICT"],
    ] {
        let result = cyoda_run(&form);
        assert_eq!(result.code, 0, "{form:?}: {}", result.stderr);
        assert_eq!(result.stdout, expected, "{form:?}");
    }
}

#[test]
fn unknown_topic_exits_2_with_the_closest_match_on_stderr() {
    let result = cyoda_run(&["help", "errors", "IDEMPOTENCY_CONFLCT"]);
    assert_eq!(result.code, 2);
    assert_eq!(result.stdout, "");
    assert_eq!(
        result.stderr,
        "cyoda: error: no help topic \"errors IDEMPOTENCY_CONFLCT\"; did you mean 'cyoda help errors IDEMPOTENCY_CONFLICT'? (run 'cyoda help errors' to list its topics)\n"
    );
    let top = cyoda_run(&["help", "eror"]);
    assert_eq!(top.code, 2);
    assert!(
        top.stderr.contains("did you mean 'cyoda help errors'"),
        "{}",
        top.stderr
    );
    let nothing_close = cyoda_run(&["help", "zzzzzz"]);
    assert_eq!(nothing_close.code, 2);
    assert_eq!(
        nothing_close.stderr,
        "cyoda: error: no help topic \"zzzzzz\"; run 'cyoda help' to list the topics\n"
    );
}

#[test]
fn a_status_lists_its_codes() {
    let newest = crate::tables::default_version();
    let with = |status: u16, version: &str| -> Vec<String> {
        crate::tables::rows(version)
            .into_iter()
            .filter(|r| r.status == status)
            .map(|r| r.code)
            .collect()
    };
    let result = cyoda_run(&["help", "errors", "409"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let conflicts = with(409, &newest);
    for code in &conflicts {
        assert!(
            result
                .stdout
                .contains(&format!("`cyoda help errors {code}`")),
            "{code} in\n{}",
            result.stdout
        );
    }
    assert!(
        result
            .stdout
            .starts_with(&format!(
                "# HTTP 409 Conflict\n\n{} error codes are documented with HTTP 409 in cyoda-go {newest}:",
                conflicts.len()
            )),
        "{}",
        result.stdout
    );
    let unavailable = cyoda_run(&["help", "errors", "503"]);
    assert_eq!(
        unavailable.stdout.matches("- `cyoda help errors ").count(),
        with(503, &newest).len()
    );
    // Another version lists its own codes.
    let old = cyoda_run(&["--server-version", "0.6.2", "help", "errors", "409"]);
    assert_eq!(
        old.stdout.matches("- `cyoda help errors ").count(),
        with(409, "0.6.2").len()
    );
    let json = cyoda_run(&["help", "errors", "503", "--format", "json"]);
    let payload: HelpPayload = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(payload.topics.len(), 8);
    assert!(
        payload
            .topics
            .iter()
            .all(|t| t.error.as_ref().is_some_and(|e| e.status == 503))
    );
    let none = cyoda_run(&["help", "errors", "418"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.starts_with("cyoda: error: no error code is documented with HTTP 418 (documented statuses: 400, 401,"), "{}", none.stderr);
}

#[test]
fn the_tree_lists_top_level_topics_by_stability() {
    let result = cyoda_run(&["help"]);
    assert_eq!(result.code, 0);
    assert!(result.stdout.contains("\nStable\n"), "{}", result.stdout);
    for topic in ["check", "cli", "crud", "errors"] {
        assert!(
            result.stdout.contains(&format!("\n  {topic:<16} ")),
            "{topic} in\n{}",
            result.stdout
        );
    }
    assert!(
        !result.stdout.contains("IDEMPOTENCY_CONFLICT  "),
        "only top-level topics are listed"
    );
}

#[test]
fn errors_shows_the_model_and_the_generated_index() {
    let page = cyoda_run(&["help", "errors"]).stdout;
    assert!(page.contains("## ERROR CODE INDEX"));
    assert!(page.matches("\n- `").count() >= 33);
    assert!(
        page.contains("- `IDEMPOTENCY_CONFLICT` — 409 Conflict — not retryable (reserved) — "),
        "{page}"
    );
    assert!(
        page.contains("- `SERVER_ERROR` — 500 Internal Server Error — retryable with care — "),
        "{page}"
    );
}

#[test]
fn search_ranks_topics_that_mention_the_words() {
    let result = cyoda_run(&["help", "-k", "idempotency"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stdout
            .starts_with("cyoda help errors IDEMPOTENCY_CONFLICT "),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("cyoda help crud "),
        "{}",
        result.stdout
    );
    let none = cyoda_run(&["help", "-k", "xylophone"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("no help topic mentions \"xylophone\""));
}

#[test]
fn help_about_help_and_version_work() {
    let result = cyoda_run(&["help", "--help"]);
    assert_eq!(result.code, 0);
    assert!(
        result
            .stdout
            .contains("Usage: cyoda help [OPTIONS] [TOPIC]..."),
        "{}",
        result.stdout
    );
    let version = cyoda_run(&["--version"]);
    assert!(
        version.stdout.starts_with(&format!(
            "cyoda {}\nerror catalog: cyoda-go {} (default)\n",
            env!("CARGO_PKG_VERSION"),
            crate::tables::default_version()
        )),
        "{}",
        version.stdout
    );
    let bad_format = cyoda_run(&["help", "--format", "yaml"]);
    assert_eq!(bad_format.code, 2);
    assert!(
        bad_format.stderr.contains("invalid value 'yaml'"),
        "{}",
        bad_format.stderr
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for args in [
        vec!["help", "--format", "json"],
        SEED.to_vec(),
        vec!["help", "errors", "--format", "text"],
    ] {
        let (code, stderr) = TestDir::new().close_stdout_after(&args, 10);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}
