//! Whatever the parallel driver does (batches of files checked on a pool, NDJSON chunks checked
//! while the previous one is written), every report is byte-for-byte the same from one run to
//! the next and for any number of threads: a corpus with many findings, over several file
//! batches and NDJSON chunks, is checked three times per format (with 4, 1 and 3 threads) and
//! the outputs compared.

use crate::util::{Output, TestDir};
use cyoda::report::json::JsonReport;
use cyoda::report::sarif::SarifLog;

/// More than a few batches of small files (the driver's batch is 64 files).
const FILES: usize = 320;
/// Lines of about 200 bytes: several of the NDJSON reader's 256 KiB chunks.
const LINES: usize = 4_000;
const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "github"];

/// A response with findings of several rules; returns it and its (errors, warnings).
fn response(i: usize) -> (String, usize, usize) {
    let id = format!("3f0c9e55-1d3a-4c8e-9a52-{i:012}");
    match i % 5 {
        // title-mismatch (error), detail-prefix (warning)
        0 => (
            format!(
                r#"{{"type":"about:blank","title":"Gone","status":404,"detail":"oops {i}","instance":"/entity/{id}","properties":{{"entityId":"{id}","errorCode":"ENTITY_NOT_FOUND"}}}}"#
            ),
            1,
            1,
        ),
        // status-mismatch (error), extension-member (warning)
        1 => (
            format!(
                r#"{{"type":"about:blank","title":"Gone","status":410,"detail":"ENTITY_NOT_FOUND: entity {id} not found","instance":"/entity/{id}","extra":{i},"properties":{{"errorCode":"ENTITY_NOT_FOUND"}}}}"#
            ),
            1,
            1,
        ),
        // missing-member (error), reserved-code (warning)
        2 => (
            format!(
                r#"{{"type":"about:blank","title":"Conflict","status":409,"detail":"IDEMPOTENCY_CONFLICT: key {i} reused","properties":{{"errorCode":"IDEMPOTENCY_CONFLICT"}}}}"#
            ),
            1,
            1,
        ),
        // unknown-code (error), detail-prefix and extension-member (warnings)
        3 => (
            format!(
                r#"{{"type":"about:blank","title":"Bad Request","status":400,"detail":"ENTITY_NOT_FOUND: {i}","instance":"/entity/{id}","trace":"t{i}","properties":{{"errorCode":"NOPE_CODE"}}}}"#
            ),
            1,
            2,
        ),
        // reserved-code alone (warning): a response that passes with a finding
        _ => (
            format!(
                r#"{{"type":"about:blank","title":"Conflict","status":409,"detail":"IDEMPOTENCY_CONFLICT: key {i} reused","instance":"/entity/{id}","properties":{{"errorCode":"IDEMPOTENCY_CONFLICT"}}}}"#
            ),
            0,
            1,
        ),
    }
}

struct Corpus {
    dir: TestDir,
    responses: usize,
    errors: usize,
    warnings: usize,
}

fn corpus() -> Corpus {
    let dir = TestDir::new();
    let (mut errors, mut warnings) = (0, 0);
    for i in 0..FILES {
        let (mut body, e, w) = response(i);
        // Some files pretty-printed: positions on other lines than the first.
        if i % 7 == 0 {
            let value: serde_json::Value = serde_json::from_str(&body).unwrap();
            body = serde_json::to_string_pretty(&value).unwrap();
        }
        dir.write(
            &format!("corpus/batch-{:02}/r{i:04}.json", i / 50),
            body + "\n",
        );
        errors += e;
        warnings += w;
    }
    let mut ndjson = String::new();
    for i in 0..LINES {
        let (body, e, w) = response(i + FILES);
        ndjson.push_str(&body);
        ndjson.push('\n');
        errors += e;
        warnings += w;
    }
    assert!(ndjson.len() > 3 * 256 * 1024, "{} bytes", ndjson.len());
    dir.write("corpus/lines.ndjson", ndjson);
    Corpus {
        dir,
        responses: FILES + LINES,
        errors,
        warnings,
    }
}

/// One run with the pool at `threads` threads.
fn run(corpus: &Corpus, format: &str, threads: &str) -> Output {
    corpus
        .dir
        .command(&["check", "--format", format, "corpus"])
        .env("RAYON_NUM_THREADS", threads)
        .run()
}

#[test]
fn every_format_is_byte_identical_across_runs_and_thread_counts() {
    let corpus = corpus();
    let findings = corpus.errors + corpus.warnings;
    for format in FORMATS {
        let first = run(&corpus, format, "4");
        assert_eq!(first.code, 1, "{format}: {}", first.stderr);
        for threads in ["1", "3"] {
            let again = run(&corpus, format, threads);
            assert!(
                again.raw_stdout == first.raw_stdout,
                "{format}: stdout differs with {threads} threads"
            );
            assert_eq!(
                again.raw_stderr, first.raw_stderr,
                "{format}, {threads} threads"
            );
            assert_eq!(again.code, first.code, "{format}, {threads} threads");
        }
        // Not trivially equal: the report holds every finding that was built.
        match format {
            "human" => assert_eq!(first.rules().len(), findings),
            "json" => {
                let report: JsonReport = serde_json::from_str(&first.stdout).unwrap();
                let found: usize = report.results.iter().map(|r| r.violations.len()).sum();
                assert_eq!(found, findings);
                assert_eq!(report.summary.responses, corpus.responses);
                assert_eq!(
                    (report.summary.errors, report.summary.warnings),
                    (corpus.errors, corpus.warnings)
                );
            }
            "sarif" => {
                let log: SarifLog = serde_json::from_str(&first.stdout).unwrap();
                assert_eq!(log.runs[0].results.len(), findings);
            }
            // A test case per response; each finding is described once, with its help line.
            "junit" => {
                assert_eq!(first.stdout.matches("<testcase ").count(), corpus.responses);
                assert_eq!(first.stdout.matches("\n    help: ").count(), findings);
            }
            // At most ten annotations of each severity, then the notice counting the rest.
            "github" => {
                assert_eq!(first.stdout.matches("::error ").count(), 10);
                assert_eq!(first.stdout.matches("::warning ").count(), 10);
                let rest = format!(
                    "{} errors and {} warnings not annotated",
                    thousands(corpus.errors - 10),
                    thousands(corpus.warnings - 10)
                );
                assert!(first.stdout.contains(&rest), "{rest}\n{}", first.stdout);
            }
            other => panic!("no count check for {other}"),
        }
    }
}

fn thousands(n: usize) -> String {
    cyoda::report::thousands(n)
}
