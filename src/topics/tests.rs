//! The validator on temporary `help/` trees: each kind of mistake yields its `file:line:
//! message`, and all of them come out of one run.

use super::compile;
use std::path::Path;

const PINNED: &str = "code\thttp_status\treason_phrase\tretryable\tticket\treserved\tsee_also\n\
CONFLICT\t409\tConflict\tyes\tabsent\tno\terrors\n\
IDEMPOTENCY_CONFLICT\t409\tConflict\tno\tabsent\tyes\terrors,errors.CONFLICT\n\
SERVER_ERROR\t500\tInternal Server Error\tconditional\trequired\tno\terrors\n";

const ERRORS: &str = "---\ntopic: errors\ntitle: Errors\nstability: stable\n---\n\n# errors\n\n## NAME\n\nerrors — the error model\n\n## SYNOPSIS\n\nAn envelope.\n\n## DESCRIPTION\n\nEvery error is a problem document.\n\n## ERROR CODE INDEX\n";

const CONFLICT: &str = r#"---
topic: errors.CONFLICT
title: CONFLICT — the data changed
stability: stable
see_also:
  - errors
error:
  status: 409
  retryable: yes
  ticket: absent
  reserved: false
  properties:
    entityId: string
  example: |
    {"type":"about:blank","title":"Conflict","status":409,"detail":"CONFLICT: lost","instance":"/entity/1","properties":{"errorCode":"CONFLICT","retryable":true}}
---

# errors.CONFLICT

## NAME

CONFLICT — the data changed between read and commit

## SYNOPSIS

HTTP: `409` `Conflict`. Retryable: `yes`.

## DESCRIPTION

Another writer won; read again and retry.
"#;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn good_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("help");
    write(&root, "CATALOG_VERSION", "0.6.2\n");
    write(&root, "errors.tsv", PINNED);
    write(&root, "errors.md", ERRORS);
    write(&root, "errors/conflict.md", CONFLICT);
    write(&root, "errors/idempotency_conflict.md", &reserved_page());
    write(&root, "errors/server_error.md", &server_error_page());
    dir
}

fn reserved_page() -> String {
    CONFLICT
        .replace(
            "# errors.CONFLICT\n",
            "# errors.IDEMPOTENCY_CONFLICT\n\n## STATUS\n\nNot raised yet.\n",
        )
        .replace("errors.CONFLICT\n", "errors.IDEMPOTENCY_CONFLICT\n")
        .replace("CONFLICT —", "IDEMPOTENCY_CONFLICT —")
        .replace("  - errors\n", "  - errors\n  - errors.CONFLICT\n")
        .replace("retryable: yes", "retryable: no")
        .replace("reserved: false", "reserved: true")
        .replace("Retryable: `yes`", "Retryable: `no`")
        .replace("\"CONFLICT", "\"IDEMPOTENCY_CONFLICT")
        .replace(",\"retryable\":true", "")
}

fn server_error_page() -> String {
    CONFLICT
        .replace("errors.CONFLICT", "errors.SERVER_ERROR")
        .replace("CONFLICT —", "SERVER_ERROR —")
        .replace("status: 409", "status: 500")
        .replace("retryable: yes", "retryable: conditional")
        .replace("ticket: absent", "ticket: required")
        .replace(
            "HTTP: `409` `Conflict`. Retryable: `yes`.",
            "HTTP: `500` `Internal Server Error`. Retryable: `conditional`.\n\nRetry when the operation is idempotent.",
        )
        .replace(
            r#""title":"Conflict","status":409,"detail":"CONFLICT: lost","instance":"/entity/1","properties":{"errorCode":"CONFLICT","retryable":true}"#,
            r#""title":"Internal Server Error","status":500,"detail":"SERVER_ERROR: internal error","instance":"/entity/1","ticket":"0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77","properties":{"errorCode":"SERVER_ERROR"}"#,
        )
}

fn problems(dir: &tempfile::TempDir) -> Vec<String> {
    match compile(&dir.path().join("help")) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_correct_tree_compiles_with_a_generated_index() {
    let dir = good_tree();
    let compiled = compile(&dir.path().join("help")).unwrap_or_else(|p| panic!("{p:#?}"));
    let errors = &compiled.derived.payload.topics[0];
    assert_eq!(errors.topic, "errors");
    assert_eq!(
        errors.children,
        [
            "errors.CONFLICT",
            "errors.IDEMPOTENCY_CONFLICT",
            "errors.SERVER_ERROR"
        ]
    );
    assert!(
        errors.body.contains(
            "## ERROR CODE INDEX\n\n- `CONFLICT` — 409 Conflict — retryable — the data changed between read and commit\n"
        ),
        "{}",
        errors.body
    );
    let conflict = &compiled.derived.payload.topics[1];
    assert_eq!(
        conflict.synopsis,
        "Another writer won; read again and retry."
    );
    assert_eq!(conflict.error.as_ref().map(|e| e.properties.len()), Some(1));
    assert!(
        compiled.derived.rendered[1].markdown.ends_with(
            "## SEE ALSO\n\n- `cyoda help errors` — Every error is a problem document.\n"
        )
    );
}

#[test]
fn every_kind_of_mistake_is_reported_with_its_line_in_one_run() {
    let dir = good_tree();
    let root = dir.path().join("help");
    // Front matter: unknown key, bad stability, see_also to nowhere.
    write(
        &root,
        "errors/conflict.md",
        &CONFLICT
            .replace("stability: stable", "stability: stabel\ncolour: blue")
            .replace("  - errors\n", "  - errors\n  - errors.NOPE\n"),
    );
    // Body: missing H1, a table, no DESCRIPTION, a hand-written SEE ALSO.
    write(
        &root,
        "errors/idempotency_conflict.md",
        &reserved_page()
            .replace("# errors.IDEMPOTENCY_CONFLICT\n", "# wrong\n")
            .replace(
                "## DESCRIPTION\n",
                "## DETAILS\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## SEE ALSO\n\n- errors\n",
            ),
    );
    // Facts: status disagreeing with the pin, a wrong SYNOPSIS line.
    write(
        &root,
        "errors/server_error.md",
        &server_error_page()
            .replace("status: 500", "status: 503")
            .replace("`500` `Internal", "`500` `Internal\n"),
    );
    // A page the catalog does not pin, whose topic disagrees with its path.
    write(
        &root,
        "errors/extra_code.md",
        &CONFLICT.replace("topic: errors.CONFLICT", "topic: errors.OTHER"),
    );
    // No front matter at all.
    write(&root, "crud.md", "# crud\n");
    // Broken YAML.
    write(&root, "cli.md", "---\ntopic: [cli\n---\n# cli\n");

    let found = problems(&dir);
    let expected = [
        "help/cli.md:3: front matter is not valid YAML: while parsing a flow sequence, expected ',' or ']'",
        "help/crud.md:1: a topic starts with `---`, then its YAML front matter",
        "help/errors/conflict.md:4: stability `stabel` is not one of stable, evolving, experimental",
        "help/errors/conflict.md:5: unknown front matter key `colour` (known: topic, title, stability, see_also, error, rule)",
        "help/errors/conflict.md:7: see_also must list the catalog's related topics in order: errors",
        "help/errors/conflict.md:8: see_also `errors.NOPE` is not a topic",
        "help/errors/extra_code.md:2: topic `errors.OTHER` does not match its file, which implies `errors.extra_code`",
        "help/errors/idempotency_conflict.md:19: the body lacks the required section `## DESCRIPTION`",
        "help/errors/idempotency_conflict.md:19: the body must start with `# errors.IDEMPOTENCY_CONFLICT`",
        "help/errors/idempotency_conflict.md:35: tables are not supported in topics",
        "help/errors/idempotency_conflict.md:39: remove `## SEE ALSO`: it is generated from the `see_also` front matter",
        "help/errors/server_error.md:8: status 503 disagrees with help/errors.tsv, which pins 500",
        "help/errors/server_error.md:24: SYNOPSIS must start with the paragraph: HTTP: `500` `Internal Server Error`. Retryable: `conditional`.",
    ];
    assert_eq!(found, expected, "\n{}", found.join("\n"));
}

#[test]
fn catalog_parity_is_checked_both_ways() {
    let dir = good_tree();
    let root = dir.path().join("help");
    std::fs::remove_file(root.join("errors/server_error.md")).unwrap();
    write(
        &root,
        "errors/tx_conflict.md",
        &CONFLICT
            .replace("errors.CONFLICT", "errors.TX_CONFLICT")
            .replace("CONFLICT —", "TX_CONFLICT —"),
    );
    let found = problems(&dir);
    assert_eq!(
        found,
        [
            "help/errors.tsv:4: SERVER_ERROR has no page: write help/errors/server_error.md",
            "help/errors/tx_conflict.md:2: TX_CONFLICT is not in the pinned catalog help/errors.tsv: add it there or remove this page",
        ],
        "\n{}",
        found.join("\n")
    );
}

#[test]
fn a_hand_kept_index_and_a_misplaced_status_are_rejected() {
    let dir = good_tree();
    let root = dir.path().join("help");
    write(
        &root,
        "errors.md",
        &format!("{ERRORS}\n- `CONFLICT` — kept by hand\n"),
    );
    write(
        &root,
        "errors/conflict.md",
        &CONFLICT.replace(
            "# errors.CONFLICT\n",
            "# errors.CONFLICT\n\n## STATUS\n\nNew.\n",
        ),
    );
    let found = problems(&dir);
    assert_eq!(
        found,
        [
            "help/errors.md:21: `## ERROR CODE INDEX` is generated from the error pages: leave it empty",
            "help/errors/conflict.md:20: `## STATUS` is only for reserved codes",
        ],
        "\n{}",
        found.join("\n")
    );
}
