//! The compiler on temporary `help/` trees with two versions: each kind of mistake yields its
//! `file:line: message`, all of them come out of one run, and the derived pages are each
//! version's.

use super::compile;
use super::tables::{NOTES_HEADER, TABLE_HEADER};
use std::path::Path;

/// 0.6.2: CONFLICT (409, retryable), IDEMPOTENCY_CONFLICT (reserved), SERVER_ERROR.
fn table_062() -> String {
    format!(
        "{TABLE_HEADER}\n\
         CONFLICT\t409\tConflict\tyes\tabsent\tno\terrors\tA clash.\tentityId\tabsorbs_TX_CONFLICT\n\
         IDEMPOTENCY_CONFLICT\t409\tConflict\tno\tabsent\tyes\terrors,errors.CONFLICT\tKey reused.\t\tnever_raised\n\
         SERVER_ERROR\t500\tInternal Server Error\tconditional\trequired\tno\terrors\tInternal.\t\t\n"
    )
}

/// 0.6.3: CONFLICT stops setting entityId and loses its tag; ENTITY_MODIFIED is added.
fn table_063() -> String {
    format!(
        "{TABLE_HEADER}\n\
         CONFLICT\t409\tConflict\tyes\tabsent\tno\terrors\tA clash.\t\t\n\
         ENTITY_MODIFIED\t412\tPrecondition Failed\tno\tabsent\tno\terrors,errors.CONFLICT\tIf-Match.\tentityId\t\n\
         IDEMPOTENCY_CONFLICT\t409\tConflict\tno\tabsent\tyes\terrors,errors.CONFLICT\tKey reused.\t\tnever_raised\n\
         SERVER_ERROR\t500\tInternal Server Error\tconditional\trequired\tno\terrors\tInternal.\t\t\n"
    )
}

fn notes() -> String {
    format!(
        "{NOTES_HEADER}\n\
         absorbs_TX_CONFLICT\tCONFLICT\tSerialization failures arrive as this code.\t\n\
         never_raised\tIDEMPOTENCY_CONFLICT\tThe server never sends it.\tThe server starts sending it.\n"
    )
}

const ERRORS: &str = "---\ntopic: errors\ntitle: Errors\nstability: stable\n---\n\n# errors\n\n## NAME\n\nerrors — the error model\n\n## SYNOPSIS\n\nAn envelope.\n\n## DESCRIPTION\n\nEvery error is a problem document.\n\n## ERROR CODE INDEX\n";

const CONFLICT: &str = r#"---
topic: errors.CONFLICT
title: CONFLICT — the data changed
stability: stable
error:
  properties:
    entityId: string
  example: |
    {"type":"about:blank","title":"Conflict","status":409,"detail":"CONFLICT: lost","instance":"/entity/1","properties":{"errorCode":"CONFLICT","retryable":true}}
---

# errors.CONFLICT

## NAME

CONFLICT — the data changed between read and commit

## SYNOPSIS

## DESCRIPTION

Another writer won; read again and retry.

## NOTES

### cyoda-go 0.6.2

Only in the old one.

### cyoda-go 0.6.3 and later

Only in the new one.
"#;

fn page(code: &str, status: u16, title: &str, extra: &str) -> String {
    format!(
        "---\ntopic: errors.{code}\ntitle: {code} — x\nstability: stable\nerror:\n  properties: {{}}\n  example: |\n    {{\"type\":\"about:blank\",\"title\":\"{title}\",\"status\":{status},\"detail\":\"{code}: x\",\"instance\":\"/e\",{extra}\"properties\":{{\"errorCode\":\"{code}\"}}}}\n---\n\n# errors.{code}\n\n## NAME\n\n{code} — the {code} page\n\n## SYNOPSIS\n\n{}\n\n## DESCRIPTION\n\nAbout {code}.\n",
        if code == "SERVER_ERROR" {
            "Retry when the operation is idempotent."
        } else {
            ""
        }
    )
}

fn entity_modified() -> String {
    page("ENTITY_MODIFIED", 412, "Precondition Failed", "")
        .replace("  properties: {}", "  properties:\n    entityId: string")
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn good_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("help");
    write(&root, "catalog/0.6.2.tsv", &table_062());
    write(&root, "catalog/0.6.3.tsv", &table_063());
    write(&root, "catalog/server-notes.tsv", &notes());
    write(&root, "errors.md", ERRORS);
    write(&root, "errors/conflict.md", CONFLICT);
    write(&root, "errors/entity_modified.md", &entity_modified());
    write(
        &root,
        "errors/idempotency_conflict.md",
        &page("IDEMPOTENCY_CONFLICT", 409, "Conflict", ""),
    );
    write(
        &root,
        "errors/server_error.md",
        &page(
            "SERVER_ERROR",
            500,
            "Internal Server Error",
            "\"ticket\":\"0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77\",",
        ),
    );
    dir
}

fn problems(dir: &tempfile::TempDir) -> Vec<String> {
    match compile(&dir.path().join("help")) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_correct_tree_compiles_into_one_catalog_and_index_per_version() {
    let dir = good_tree();
    let compiled = compile(&dir.path().join("help")).unwrap_or_else(|p| panic!("{p:#?}"));
    let derived = &compiled.derived;
    let names: Vec<String> = derived
        .versions
        .iter()
        .map(|v| v.version.to_string())
        .collect();
    assert_eq!(names, ["0.6.2", "0.6.3"]);
    let (old, new) = (&derived.versions[0], &derived.versions[1]);
    assert!(old.catalog.get("ENTITY_MODIFIED").is_none());
    assert_eq!(
        old.catalog
            .elsewhere("ENTITY_MODIFIED")
            .map(|e| e.note.as_ref()),
        Some("added in 0.6.3; pass --server-version 0.6.3")
    );
    assert_eq!(
        new.catalog.get("ENTITY_MODIFIED").map(|c| c.status),
        Some(412)
    );
    // The property type comes from the page, the fact that it is set from the table.
    assert_eq!(old.catalog.get("CONFLICT").unwrap().properties.len(), 1);
    assert_eq!(new.catalog.get("CONFLICT").unwrap().properties.len(), 0);

    let page_of = |build: &super::derive::VersionBuild, id: &str| {
        let entry = build.index.topics.iter().find(|e| e.id == id).unwrap();
        derived
            .pages
            .iter()
            .find(|p| p.file == *entry.file)
            .unwrap()
    };
    let errors = page_of(old, "errors");
    assert!(
        errors.markdown.contains(
            "## ERROR CODE INDEX\n\n- `CONFLICT` — 409 Conflict — retryable — the data changed between read and commit\n"
        ),
        "{}",
        errors.markdown
    );
    assert!(!errors.markdown.contains("ENTITY_MODIFIED"));
    assert!(
        page_of(new, "errors")
            .markdown
            .contains("`ENTITY_MODIFIED` — 412")
    );

    // Each version shows its own NOTES, the generated SYNOPSIS line and the same history.
    let (conflict_old, conflict_new) = (
        page_of(old, "errors.CONFLICT"),
        page_of(new, "errors.CONFLICT"),
    );
    assert!(
        conflict_old
            .markdown
            .contains("### cyoda-go 0.6.2\n\nOnly in the old one.")
    );
    assert!(!conflict_old.markdown.contains("Only in the new one."));
    assert!(conflict_new.markdown.contains("Only in the new one."));
    assert!(
        conflict_new
            .markdown
            .contains("## SYNOPSIS\n\nHTTP: `409` `Conflict`. Retryable: `yes`.\n")
    );
    let history = "## VERSIONS\n\n- **0.6.2** — Documented from the first version this catalog covers: `409` `Conflict`, retryable, no `ticket`. Serialization failures arrive as this code. The server sets `properties.entityId`.\n- **0.6.3** — No longer: Serialization failures arrive as this code. No longer sets `properties.entityId`.\n";
    assert!(
        conflict_new.markdown.contains(history),
        "{}",
        conflict_new.markdown
    );
    assert!(conflict_old.markdown.contains(history));
    assert!(
        conflict_new.markdown.ends_with(
            "## SEE ALSO\n\n- `cyoda help errors` — Every error is a problem document.\n"
        )
    );
    let reserved = page_of(new, "errors.IDEMPOTENCY_CONFLICT");
    assert!(
        reserved.markdown.starts_with(
            "# errors.IDEMPOTENCY_CONFLICT\n\n## STATUS\n\nReserved in cyoda-go 0.6.2 and later:"
        ),
        "{}",
        reserved.markdown
    );
    // A page that reads the same in both versions is stored once.
    let server_error = |b| page_of(b, "errors.SERVER_ERROR").file.clone();
    assert_eq!(server_error(old), server_error(new));
    assert_ne!(conflict_old.file, conflict_new.file);
    assert_eq!(
        conflict_new
            .descriptor
            .error
            .as_ref()
            .map(|e| e.versions.as_str()),
        Some("0.6.2 and later")
    );
}

#[test]
fn every_kind_of_mistake_is_reported_with_its_line_in_one_run() {
    let dir = good_tree();
    let root = dir.path().join("help");
    // Front matter: a fact that belongs to the tables, bad stability, an unknown key.
    write(
        &root,
        "errors/conflict.md",
        &CONFLICT
            .replace("stability: stable", "stability: stabel\ncolour: blue")
            .replace("error:\n", "error:\n  status: 409\n")
            .replace("### cyoda-go 0.6.2\n", "### cyoda-go 0.5.0\n")
            .replace("### cyoda-go 0.6.3 and later", "### later on"),
    );
    // Body: missing H1, a table, no DESCRIPTION, a hand-written SEE ALSO and STATUS.
    write(
        &root,
        "errors/idempotency_conflict.md",
        &page("IDEMPOTENCY_CONFLICT", 409, "Conflict", "")
            .replace(
                "# errors.IDEMPOTENCY_CONFLICT\n",
                "# wrong\n\n## STATUS\n\nSoon.\n",
            )
            .replace(
                "## DESCRIPTION\n",
                "## DETAILS\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## SEE ALSO\n\n- errors\n",
            ),
    );
    // An example that fails the rules; a property no version sets; an old SYNOPSIS line.
    write(
        &root,
        "errors/entity_modified.md",
        &entity_modified()
            .replace("\"status\":412", "\"status\":409")
            .replace(
                "    entityId: string",
                "    entityId: string\n    extra: integer",
            )
            .replace(
                "## SYNOPSIS\n",
                "## SYNOPSIS\n\nHTTP: `412` `Precondition Failed`. Retryable: `no`.\n",
            ),
    );
    // A page no table defines, whose topic disagrees with its path.
    write(
        &root,
        "errors/extra_code.md",
        &CONFLICT.replace("topic: errors.CONFLICT", "topic: errors.OTHER"),
    );
    // A table row without its tag's description, and a description nothing uses.
    write(
        &root,
        "catalog/0.6.3.tsv",
        &table_063().replace("Internal.\t\t\n", "Internal.\t\tbrand_new\n"),
    );
    write(
        &root,
        "catalog/server-notes.tsv",
        &format!("{}unused\tCONFLICT\tNothing.\t\n", notes()),
    );
    // A table that is not named after a version.
    write(&root, "catalog/latest.tsv", &table_063());
    // No front matter at all; broken YAML.
    write(&root, "crud.md", "# crud\n");
    write(&root, "cli.md", "---\ntopic: [cli\n---\n# cli\n");

    let found = problems(&dir);
    let expected = [
        "help/catalog/0.6.3.tsv:5: server_notes tag `brand_new` of SERVER_ERROR has no description: add `brand_new<TAB>SERVER_ERROR<TAB><sentence><TAB>` to help/catalog/server-notes.tsv",
        "help/catalog/latest.tsv:1: `latest` is not a version name (MAJOR.MINOR.PATCH, optionally -preview): name each table after its cyoda-go version",
        "help/catalog/server-notes.tsv:4: `unused` is not a server_notes tag of CONFLICT in any table: remove the row",
        "help/cli.md:3: front matter is not valid YAML: while parsing a flow sequence, expected ',' or ']'",
        "help/crud.md:1: a topic starts with `---`, then its YAML front matter",
        "help/errors/conflict.md:4: stability `stabel` is not one of stable, evolving, experimental",
        "help/errors/conflict.md:5: unknown front matter key `colour` (known: topic, title, stability, see_also, error, rule)",
        "help/errors/conflict.md:7: `error.status` is a fact of each version: it comes from help/catalog/<version>.tsv, remove it here",
        "help/errors/conflict.md:28: no version in `0.5.0` defines CONFLICT",
        "help/errors/conflict.md:32: `### later on` must name the versions it applies to: `### cyoda-go 0.6.1 to 0.6.2`, `### cyoda-go 0.8.2 and later`",
        "help/errors/entity_modified.md:8: `properties.extra` is set by no version's server for ENTITY_MODIFIED: remove it",
        "help/errors/entity_modified.md:11: the example fails `cyoda check --server-version 0.6.3`: error[status-mismatch]: status is 409, but ENTITY_MODIFIED is documented with 412",
        "help/errors/entity_modified.md:11: the example fails `cyoda check --server-version 0.6.3`: error[title-mismatch]: title is \"Precondition Failed\", but the reason phrase of 409 is \"Conflict\"",
        "help/errors/entity_modified.md:19: the `HTTP: … Retryable: …` line is generated from each version's table: write only the paragraphs that follow it (or nothing)",
        "help/errors/extra_code.md:2: topic `errors.OTHER` does not match its file, which implies `errors.extra_code`",
        "help/errors/idempotency_conflict.md:11: the body lacks the required section `## DESCRIPTION`",
        "help/errors/idempotency_conflict.md:11: the body must start with `# errors.IDEMPOTENCY_CONFLICT`",
        "help/errors/idempotency_conflict.md:13: remove `## STATUS`: error pages generate it from the version tables",
        "help/errors/idempotency_conflict.md:27: tables are not supported in topics",
        "help/errors/idempotency_conflict.md:31: remove `## SEE ALSO`: it is generated (from `see_also`, or for an error page from the version tables)",
    ];
    assert_eq!(found, expected, "\n{}", found.join("\n"));
}

#[test]
fn catalog_parity_is_checked_both_ways() {
    let dir = good_tree();
    let root = dir.path().join("help");
    std::fs::remove_file(root.join("errors/entity_modified.md")).unwrap();
    write(
        &root,
        "errors/tx_conflict.md",
        &page("TX_CONFLICT", 409, "Conflict", ""),
    );
    let found = problems(&dir);
    assert_eq!(
        found,
        [
            "help/catalog/0.6.3.tsv:3: ENTITY_MODIFIED has no page: write help/errors/entity_modified.md",
            "help/errors/tx_conflict.md:2: TX_CONFLICT is in no version's table (help/catalog/<version>.tsv): add it there or remove this page",
        ],
        "\n{}",
        found.join("\n")
    );
}

#[test]
fn examples_must_cover_each_version_once_and_pass_it() {
    let dir = good_tree();
    let root = dir.path().join("help");
    let body = |status: u16, title: &str| {
        format!(
            "{{\"type\":\"about:blank\",\"title\":\"{title}\",\"status\":{status},\"detail\":\"CONFLICT: x\",\"instance\":\"/e\",\"properties\":{{\"errorCode\":\"CONFLICT\",\"retryable\":true}}}}"
        )
    };
    let examples = format!(
        "  examples:\n    - versions: 0.6.2 and later\n      body: |\n        {}\n    - versions: 0.6.3\n      body: |\n        {}\n",
        body(409, "Conflict"),
        body(412, "Precondition Failed")
    );
    let conflict = CONFLICT.replace(
        &CONFLICT[CONFLICT.find("  example: |").unwrap()..CONFLICT.find("---\n\n#").unwrap()],
        &examples,
    );
    write(&root, "errors/conflict.md", &conflict);
    // An item without a body, and a range where the code does not exist.
    let modified = entity_modified();
    let example =
        &modified[modified.find("  example: |").unwrap()..modified.find("---\n\n#").unwrap()];
    let body_line = example.lines().nth(1).unwrap().trim();
    write(
        &root,
        "errors/entity_modified.md",
        &modified.replace(
            example,
            &format!("  examples:\n    - versions: 0.6.2\n    - versions: 0.6.2 and later\n      body: |\n        {body_line}\n"),
        ),
    );
    let found = problems(&dir);
    assert_eq!(
        found,
        [
            "help/errors/conflict.md:12: 0.6.3 is covered by more than one example",
            "help/errors/conflict.md:15: the example fails `cyoda check --server-version 0.6.3`: error[status-mismatch]: status is 412, but CONFLICT is documented with 409",
            "help/errors/entity_modified.md:9: an `error.examples` item needs `versions` and `body`",
        ],
        "\n{}",
        found.join("\n")
    );
}

#[test]
fn a_hand_kept_index_is_rejected() {
    let dir = good_tree();
    let root = dir.path().join("help");
    write(
        &root,
        "errors.md",
        &format!("{ERRORS}\n- `CONFLICT` — kept by hand\n"),
    );
    let found = problems(&dir);
    assert_eq!(
        found,
        [
            "help/errors.md:21: `## ERROR CODE INDEX` is generated from the version tables: leave it empty"
        ],
        "\n{}",
        found.join("\n")
    );
}
