//! `cyoda help errors [CODE] --format schema`: the schemas accept every documented example and
//! corpus response they should, and agree with `cyoda check` (`check_body`) on every sample,
//! wherever a schema can express the rule.

use crate::cyoda;
use cyoda::catalog::VersionData;
use cyoda::contract::catalog::Catalog;
use cyoda::contract::rules::{CheckOptions, RuleId, Severity, Transport, check_body};
use cyoda::contract::version::{Version, VersionRange};
use cyoda::help::schema;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

/// Rules a JSON Schema cannot express: it sees a parsed value, without duplicates.
/// `ticket-detail-mismatch` compares two members' values, which JSON Schema cannot.
const NOT_EXPRESSIBLE: &[RuleId] = &[
    RuleId::InvalidJson,
    RuleId::DuplicateMember,
    RuleId::TicketDetailMismatch,
];

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

fn cli_schema(args: &[&str]) -> Value {
    let out = cyoda(&[&["help"], args, &["--format", "schema"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("the schema is JSON")
}

struct Schemas {
    catalog: &'static Catalog,
    any: jsonschema::Validator,
    per_code: BTreeMap<String, jsonschema::Validator>,
}

impl Schemas {
    /// The default version's schemas (the catalog one as the binary prints it).
    fn new() -> Self {
        Self::of(cyoda::catalog::default())
    }

    fn of(version: &'static VersionData) -> Self {
        let catalog = version.catalog();
        Schemas {
            catalog,
            any: validator(&cli_schema(&["--server-version", version.name(), "errors"])),
            per_code: catalog
                .codes
                .iter()
                .map(|c| (c.code.to_string(), validator(&schema::for_code(catalog, c))))
                .collect(),
        }
    }

    /// Whether the catalog-wide schema accepts `body`, and (for a known code) whether that
    /// code's own schema agrees with it.
    fn accepts(&self, body: &Value) -> bool {
        let any = self.any.is_valid(body);
        let code = body
            .pointer("/properties/errorCode")
            .and_then(Value::as_str);
        if let Some((code, own)) = code.and_then(|c| self.per_code.get_key_value(c)) {
            let own = own.is_valid(body);
            assert_eq!(
                own, any,
                "the {code} schema and the catalog schema on {body}"
            );
        }
        any
    }

    /// The error-severity rules `cyoda check` reports on `body` that a schema can express.
    fn check_errors(&self, body: &Value) -> Vec<RuleId> {
        let text = serde_json::to_vec(body).unwrap();
        let mut found = Vec::new();
        check_body(
            &text,
            self.catalog,
            &Transport::default(),
            &CheckOptions::default(),
            &mut found,
        );
        found
            .into_iter()
            .map(|v| v.rule)
            .filter(|r| r.default_severity() == Severity::Error && !NOT_EXPRESSIBLE.contains(r))
            .collect()
    }
}

/// The error pages' example bodies that cover `version`, one per code it defines.
fn examples_of(version: &VersionData) -> Vec<(String, Value)> {
    let compiled = cyoda::topics::compile(&Path::new(env!("CARGO_MANIFEST_DIR")).join("help"))
        .unwrap_or_else(|problems| panic!("help/ compiles: {problems:#?}"));
    let current = Version::parse(version.name()).unwrap();
    let examples: Vec<(String, Value)> = compiled
        .examples
        .into_iter()
        .filter(|(code, range, _)| {
            version.catalog().get(code).is_some()
                && range
                    .as_deref()
                    .is_none_or(|r| VersionRange::parse(r).unwrap().contains(current))
        })
        .map(|(code, _, text)| {
            let body = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{code}: example is not JSON: {e}"));
            (code, body)
        })
        .collect();
    assert_eq!(
        examples.len(),
        version.catalog().codes.len(),
        "one example per code of {}",
        version.name()
    );
    examples
}

fn examples() -> Vec<(String, Value)> {
    examples_of(cyoda::catalog::default())
}

/// The JSON bodies of the corpus: `.json` files, NDJSON lines, the body of a raw capture.
fn corpus() -> Vec<(String, Value)> {
    let mut bodies = Vec::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                if let Ok(body) = serde_json::from_str(&text) {
                    bodies.push((name, body));
                }
            }
            Some("ndjson") => {
                for (line, text) in text.lines().enumerate() {
                    bodies.push((
                        format!("{name}:{}", line + 1),
                        serde_json::from_str(text).unwrap(),
                    ));
                }
            }
            Some("http") => {
                let body = text
                    .split_once("\r\n\r\n")
                    .or_else(|| text.split_once("\n\n"));
                bodies.push((name, serde_json::from_str(body.unwrap().1).unwrap()));
            }
            _ => {}
        }
    }
    assert!(bodies.len() >= 15, "the corpus is in {FIXTURES}");
    bodies
}

/// Every way we know to break (or harmlessly change) a good response; a change that leaves
/// the body as it was (removing a member it lacks) is not a mutation and is left out.
fn mutations(body: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut push = |label: &str, change: &dyn Fn(&mut Value)| {
        let mut changed = body.clone();
        change(&mut changed);
        if changed != *body {
            out.push((label.to_string(), changed));
        }
    };
    for member in [
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "ticket",
        "properties",
    ] {
        push(&format!("without {member}"), &|b| {
            b.as_object_mut().unwrap().remove(member);
        });
    }
    let set = |pointer: &'static str, value: Value| {
        move |b: &mut Value| {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let parent = if parent.is_empty() {
                Some(&mut *b)
            } else {
                b.pointer_mut(parent)
            };
            if let Some(Value::Object(map)) = parent {
                map.insert(key.to_string(), value.clone());
            }
        }
    };
    let cases: Vec<(&str, &'static str, Value)> = vec![
        ("status 418", "/status", json!(418)),
        ("status as a string", "/status", json!("409")),
        ("title changed", "/title", json!("I'm a teapot")),
        ("title as a number", "/title", json!(7)),
        ("type about:blank", "/type", json!("about:blank")),
        ("type with a space", "/type", json!("not a uri")),
        ("type as a number", "/type", json!(1)),
        ("instance relative", "/instance", json!("entity/1")),
        (
            "instance network path",
            "/instance",
            json!("//host/entity/1"),
        ),
        (
            "instance full URL",
            "/instance",
            json!("https://host/entity/1"),
        ),
        ("instance empty", "/instance", json!("")),
        ("instance as a number", "/instance", json!(5)),
        ("detail as a number", "/detail", json!(5)),
        ("detail without prefix", "/detail", json!("something broke")),
        (
            "ticket uuid",
            "/ticket",
            json!("5f69baef-84b6-407d-8a26-dedb89ec7e40"),
        ),
        ("ticket not a uuid", "/ticket", json!("ticket-1")),
        ("ticket as a number", "/ticket", json!(1)),
        ("extension member", "/errorCode", json!("X")),
        ("properties as a list", "/properties", json!([])),
        (
            "errorCode unknown",
            "/properties/errorCode",
            json!("NO_SUCH_CODE"),
        ),
        ("errorCode as a number", "/properties/errorCode", json!(42)),
        ("retryable true", "/properties/retryable", json!(true)),
        ("retryable false", "/properties/retryable", json!(false)),
        (
            "retryable as a string",
            "/properties/retryable",
            json!("true"),
        ),
    ];
    for (label, pointer, value) in cases {
        push(label, &set(pointer, value));
    }
    push("without errorCode", &|b| {
        if let Some(Value::Object(p)) = b.pointer_mut("/properties") {
            p.remove("errorCode");
        }
    });
    push("without retryable", &|b| {
        if let Some(Value::Object(p)) = b.pointer_mut("/properties") {
            p.remove("retryable");
        }
    });
    out.push(("a list".into(), json!([body.clone()])));
    out.push(("a string".into(), json!("error")));
    out
}

#[test]
fn every_example_matches_its_schema() {
    let schemas = Schemas::new();
    for (code, body) in examples() {
        assert_eq!(body.pointer("/properties/errorCode"), Some(&json!(code)));
        assert!(schemas.accepts(&body), "{code}: example rejected: {body}");
        let own = cli_schema(&["errors", &code]);
        assert!(validator(&own).is_valid(&body), "{code}");
    }
}

/// The corpus says, per file, what `cyoda check` must conclude; the schema concludes the same
/// about the body (the raw capture fails only on its transport, which no schema sees).
#[test]
fn every_version_s_examples_match_its_schemas() {
    for version in cyoda::catalog::all() {
        let schemas = Schemas::of(version);
        for (code, body) in examples_of(version) {
            assert!(
                schemas.accepts(&body),
                "{}: {code}'s example",
                version.name()
            );
            assert_eq!(
                schemas.check_errors(&body),
                [],
                "{}: {code}",
                version.name()
            );
        }
    }
}

#[test]
fn corpus_verdicts_match_expected_tsv() {
    let schemas = Schemas::new();
    let expected = std::fs::read_to_string(Path::new(FIXTURES).join("expected.tsv")).unwrap();
    let bodies = corpus();
    for row in expected.lines().skip(1) {
        let fields: Vec<&str> = row.split('\t').collect();
        let (file, exit, must) = (fields[0], fields[1], fields[2]);
        let found: Vec<&(String, Value)> = bodies
            .iter()
            .filter(|(name, _)| name == file || name.starts_with(&format!("{file}:")))
            .collect();
        if must == "invalid-json" {
            assert!(found.is_empty(), "{file} is not JSON");
            continue;
        }
        assert!(!found.is_empty(), "{file}");
        for (name, body) in found {
            let transport_only = must == "content-type";
            let should_pass = exit == "0"
                || transport_only
                || (file.ends_with(".ndjson") && !name.ends_with(":3"));
            assert_eq!(
                schemas.accepts(body),
                should_pass,
                "{name} ({must}): {body}"
            );
        }
    }
}

#[test]
fn schema_and_check_agree_on_every_sample() {
    let schemas = Schemas::new();
    let mut samples = examples();
    samples.extend(corpus());
    let originals = samples.clone();
    for (name, body) in &originals {
        samples.extend(
            mutations(body)
                .into_iter()
                .map(|(label, changed)| (format!("{name}, {label}"), changed)),
        );
    }
    let mut disagreements = Vec::new();
    let mut rejected = 0;
    for (name, body) in &samples {
        let accepted = schemas.accepts(body);
        let errors = schemas.check_errors(body);
        rejected += usize::from(!accepted);
        if accepted != errors.is_empty() {
            disagreements.push(format!("{name}: schema {accepted}, check {errors:?}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} samples disagree:\n{}",
        disagreements.len(),
        samples.len(),
        disagreements.join("\n")
    );
    // Not vacuous: both verdicts occur, and often.
    assert!(
        rejected > samples.len() / 2,
        "{rejected} of {}",
        samples.len()
    );
    assert!(
        samples.len() - rejected > 100,
        "{rejected} of {}",
        samples.len()
    );
}

#[test]
fn schema_is_only_for_error_topics() {
    for args in [
        &["help", "check", "--format", "schema"][..],
        &["help", "--format", "schema"],
        &["help", "errors", "409", "--format", "schema"],
    ] {
        let out = cyoda(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.contains("--format schema is available for"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn the_catalog_schema_is_discriminated_by_error_code() {
    let any = cli_schema(&["errors"]);
    assert_eq!(any["$schema"], schema::DIALECT);
    let codes = cyoda::catalog::default().catalog().codes.len();
    assert_eq!(any["$defs"].as_object().unwrap().len(), codes);
    assert_eq!(any["allOf"].as_array().unwrap().len(), codes);
    assert_eq!(
        any["properties"]["properties"]["properties"]["errorCode"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        codes
    );
    let one = cli_schema(&["errors", "server_error"]);
    assert_eq!(one["properties"]["status"]["const"], 500);
    assert_eq!(
        one["properties"]["title"]["enum"],
        json!(["Internal Server Error"])
    );
    assert_eq!(one["properties"]["ticket"]["format"], "uuid");
    assert!(
        one["required"]
            .as_array()
            .unwrap()
            .contains(&json!("ticket"))
    );
    let conflict = cli_schema(&["errors", "CONFLICT"]);
    assert_eq!(conflict["properties"]["ticket"], json!(false));
    assert_eq!(
        conflict["properties"]["properties"]["properties"]["retryable"],
        json!({"const": true})
    );
    assert_eq!(
        conflict["additionalProperties"],
        Value::Null,
        "open to extension members"
    );
}
