//! Tests of the JSON reader and the conformance rules, on hand-written bodies and on the sample
//! corpus (copied into `tests/fixtures/corpus/`).

use super::catalog::{Catalog, Elsewhere, ErrorContract, PropertyType, Retryability, TicketRule};
use super::json::{self, IntegerValue, Kind, SyntaxErrorKind, Value};
use super::rules::{
    CheckOptions, Related, RuleId, Severity, Target, Transport, Violation, check_body,
};

fn contract(
    code: &str,
    status: u16,
    retryable: Retryability,
    ticket: TicketRule,
    reserved: bool,
    properties: &[(&str, PropertyType)],
) -> ErrorContract {
    let title = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or_default()
        .to_string();
    let mut properties: Vec<_> = properties
        .iter()
        .map(|(name, ty)| (name.to_string().into(), *ty))
        .collect();
    properties.sort();
    ErrorContract {
        code: code.to_string().into(),
        status,
        title: title.into(),
        retryable,
        ticket,
        reserved,
        properties: properties.into(),
        see_also: Vec::new().into(),
        server_notes: Vec::new().into(),
    }
}

fn catalog() -> Catalog {
    use PropertyType as P;
    use Retryability::{Conditional, No, Yes};
    use TicketRule::{Absent, Required};
    let contracts = [
        contract("IDEMPOTENCY_CONFLICT", 409, No, Absent, true, &[]),
        contract("CONFLICT", 409, Yes, Absent, false, &[]),
        contract(
            "ENTITY_NOT_FOUND",
            404,
            No,
            Absent,
            false,
            &[("entityId", P::String)],
        ),
        contract(
            "MODEL_NOT_FOUND",
            404,
            No,
            Absent,
            false,
            &[("entityName", P::String), ("entityVersion", P::Integer)],
        ),
        contract("SERVER_ERROR", 500, Conditional, Required, false, &[]),
        contract(
            "TRANSACTION_NODE_UNAVAILABLE",
            503,
            Yes,
            Required,
            false,
            &[],
        ),
        contract("VALIDATION_FAILED", 400, No, Absent, false, &[]),
        contract("MODEL_NOT_LOCKED", 409, No, Absent, false, &[]),
        contract("TX_CONFLICT", 409, Yes, Absent, false, &[]),
    ];
    let elsewhere = vec![Elsewhere {
        code: "ENTITY_MODIFIED".into(),
        note: "added in 0.6.3; pass --server-version 0.6.3".into(),
    }];
    Catalog::new("0.6.2", false, contracts.into(), elsewhere)
}

fn check_full(body: &[u8], transport: &Transport, options: &CheckOptions) -> Vec<Violation> {
    let mut out = Vec::new();
    check_body(body, &catalog(), transport, options, &mut out);
    out
}

fn check(body: &str) -> Vec<Violation> {
    check_full(
        body.as_bytes(),
        &Transport::default(),
        &CheckOptions::default(),
    )
}

fn rules(violations: &[Violation]) -> Vec<&'static str> {
    violations.iter().map(|v| v.rule.as_str()).collect()
}

/// The one violation of `rule`; fails when there is none or more than one.
fn the(violations: &[Violation], rule: RuleId) -> Violation {
    let found: Vec<&Violation> = violations.iter().filter(|v| v.rule == rule).collect();
    assert_eq!(found.len(), 1, "expected one {rule}, got {violations:#?}");
    found[0].clone()
}

fn body_span(violation: &Violation) -> std::ops::Range<usize> {
    match &violation.target {
        Target::Body(span) => span.clone(),
        other => panic!("expected a body target, got {other:?}"),
    }
}

/// The text a violation points at.
fn pointed<'b>(body: &'b str, violation: &Violation) -> &'b str {
    &body[body_span(violation)]
}

const VALID: &str = r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"ENTITY_NOT_FOUND: entity id=1 not found","instance":"/entity/1","properties":{"errorCode":"ENTITY_NOT_FOUND","entityId":"1"}}"#;

/// `VALID` with the text `from` replaced by `to` (which must occur).
fn edit(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from} not in VALID");
    VALID.replacen(from, to, 1)
}

/// A body for `code` with `status`, `title` and `properties` members given as JSON text.
fn body(code: &str, status: u16, title: &str, extra: &str) -> String {
    format!(
        r#"{{"type":"about:blank","title":"{title}","status":{status},"detail":"{code}: x","instance":"/entity/1"{extra},"properties":{{"errorCode":"{code}"}}}}"#
    )
}

// ---------------------------------------------------------------- valid bodies

#[test]
fn valid_bodies_have_no_violations() {
    assert_eq!(check(VALID), vec![]);
    let ticket = r#","ticket":"0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77""#;
    assert_eq!(
        check(&body("SERVER_ERROR", 500, "Internal Server Error", ticket)),
        vec![]
    );
    let tx = body("TX_CONFLICT", 409, "Conflict", "")
        .replace(r#""TX_CONFLICT"}"#, r#""TX_CONFLICT","retryable":true}"#);
    assert_eq!(check(&tx), vec![]);
    // Whitespace everywhere, the trailing newline Go's encoder writes, HTML-escaped text.
    let spaced = format!(
        " \r\n\t{}\n",
        VALID.replace("\":", "\" : ").replace(",\"", " ,\n \"")
    );
    assert_eq!(check(&spaced), vec![]);
    let escaped = edit(
        "entity id=1 not found",
        r"entity \u003cid\u003e \u0026 more",
    );
    assert_eq!(check(&escaped), vec![]);
}

#[test]
fn valid_body_passes_with_a_clean_capture() {
    let transport = Transport {
        status: Some(404),
        content_type: Some(Some("Application/Problem+JSON; charset=utf-8".to_string())),
    };
    let options = CheckOptions {
        expect: Some("ENTITY_NOT_FOUND".to_string()),
    };
    assert_eq!(check_full(VALID.as_bytes(), &transport, &options), vec![]);
}

// ---------------------------------------------------------------- invalid-json

#[test]
fn invalid_json_points_at_the_first_error() {
    let cases: &[(&[u8], usize, &str)] = &[
        (b"", 0, "empty body"),
        (b"  \n ", 4, "empty body"),
        (
            br#"{"a":1,}"#,
            7,
            "expected a member name after `,` (trailing commas are not allowed)",
        ),
        (
            br#"[1,]"#,
            3,
            "expected a JSON value after `,` (trailing commas are not allowed)",
        ),
        (
            br#"{"a":1 "b":2}"#,
            7,
            "expected `,` or `}` after an object member",
        ),
        (br#"[1 2]"#, 3, "expected `,` or `]` after an array element"),
        (br#"{"a" 1}"#, 5, "expected `:` after a member name"),
        (
            br#"{a:1}"#,
            1,
            "expected a member name in double quotes or `}`",
        ),
        (
            br#"{"a":1,2}"#,
            7,
            "expected a member name in double quotes after `,`",
        ),
        (br#"{"a":"x"#, 5, "unterminated string"),
        (
            b"{\"a\":\"x\x01\"}",
            7,
            "control character U+0001 in a string must be escaped",
        ),
        (
            b"{\"a\":\"x\ty\"}",
            7,
            "control character U+0009 in a string must be escaped",
        ),
        (br#"{"a":"\x"}"#, 6, "invalid escape `\\x` in a string"),
        (
            br#"{"a":"\u12G4"}"#,
            6,
            "`\\u` must be followed by four hex digits",
        ),
        (
            br#"{"a":"\uD800"}"#,
            6,
            "unpaired surrogate `\\uD800` in a string",
        ),
        (
            br#"{"a":"\uDC00\uD800"}"#,
            6,
            "unpaired surrogate `\\uDC00` in a string",
        ),
        (br#"{"a":01}"#, 5, "a number must not have leading zeros"),
        (br#"{"a":-}"#, 6, "expected a digit after `-`"),
        (
            br#"{"a":1.}"#,
            7,
            "expected a digit after the decimal point",
        ),
        (br#"{"a":1e+}"#, 8, "expected a digit in the exponent"),
        (br#"{"a":+1}"#, 5, "expected a JSON value, found `+`"),
        (br#"{"a":tru}"#, 8, "invalid literal, expected `true`"),
        (br#"{"a":nul"#, 8, "invalid literal, expected `null`"),
        (
            br#"{"a":'x'}"#,
            5,
            "expected a JSON value, found `'` (JSON strings use double quotes)",
        ),
        (
            br#"{"a":1}}"#,
            7,
            "trailing characters after the JSON value",
        ),
        (b"{} {}", 3, "trailing characters after the JSON value"),
        (
            br#"{"a":1"#,
            6,
            "expected `,` or `}` after an object member",
        ),
        (
            br#"{"a":"#,
            5,
            "expected a JSON value, found the end of the body",
        ),
        (b"{\"a\":\x00}", 5, "expected a JSON value, found `\\u{0}`"),
        (
            "{\"a\":\u{202e}}".as_bytes(),
            5,
            "expected a JSON value, found `\\u{202e}`",
        ),
        (b"\xEF\xBB\xBF{}", 0, "byte order mark before the JSON text"),
        (b"{\"a\":\"\xff\"}", 6, "invalid UTF-8: byte 0xFF"),
        (
            b"{\"a\":\"\xe2\x82",
            6,
            "invalid UTF-8: truncated sequence at the end",
        ),
        // A syntax error before the bad byte comes first; an unterminated string does not.
        (
            b"{\"a\" 1, \"\xff\"}",
            5,
            "expected `:` after a member name",
        ),
        (b"{\"a\":\"x\xff", 7, "invalid UTF-8: byte 0xFF"),
    ];
    for (input, offset, message) in cases {
        let error = json::parse(input).expect_err(&String::from_utf8_lossy(input));
        let shown = String::from_utf8_lossy(input);
        assert_eq!(error.to_string(), *message, "message for {shown:?}");
        assert_eq!(error.offset, *offset, "offset for {shown:?}");
        let violations = check_full(input, &Transport::default(), &CheckOptions::default());
        assert_eq!(rules(&violations), ["invalid-json"], "for {shown:?}");
        assert_eq!(violations[0].message, *message);
        assert_eq!(body_span(&violations[0]), error.span());
        assert_eq!(violations[0].help_topic.id(), "check.invalid-json");
    }
}

#[test]
fn syntax_error_spans_are_one_character() {
    assert_eq!(json::parse(b"{\"a\":1 x}").unwrap_err().span(), 7..8);
    // The end of the body: an empty span at its length.
    assert_eq!(json::parse(b"{\"a\":1").unwrap_err().span(), 6..6);
    // A multi-byte character is covered whole, so the span stays on character boundaries.
    assert_eq!(
        json::parse("{\"a\":é}".as_bytes()).unwrap_err().span(),
        5..7
    );
    // The BOM is reported at its position, all three bytes of it.
    let bom = json::parse(b"\xEF\xBB\xBF{}").unwrap_err();
    assert_eq!(
        (bom.span(), bom.kind),
        (0..3, SyntaxErrorKind::ByteOrderMark)
    );
    assert_eq!(json::parse(b"{\"a\":\"\xff\"}").unwrap_err().span(), 6..7);
}

#[test]
fn invalid_json_in_the_corpus_points_at_the_next_member() {
    let input = include_str!("../../tests/fixtures/corpus/invalid-syntax.json");
    let violations = check(input);
    let violation = the(&violations, RuleId::InvalidJson);
    assert_eq!(
        violation.message,
        "expected `,` or `}` after an object member"
    );
    assert_eq!(pointed(input, &violation), "\"");
    assert!(input[body_span(&violation).start..].starts_with("\"instance\""));
}

#[test]
fn string_scan_stops_at_every_position() {
    // The content scan goes eight bytes at a time; a stop byte anywhere in a word is found.
    for at in 0..24 {
        let before = "a".repeat(at);
        let input = format!("[\"{before}\u{1}tail\"]");
        let error = json::parse(input.as_bytes()).unwrap_err();
        assert_eq!(
            (error.offset, error.kind),
            (2 + at, SyntaxErrorKind::ControlCharacter(1))
        );
        let input = format!("[\"{before}\\n\u{7f}é\"]");
        let document = json::parse(input.as_bytes()).unwrap();
        assert_eq!(document.root_span(), 0..input.len());
        let input = format!("{{\"k\":\"{before}\",\"j{before}\":1}}");
        assert!(
            json::parse(input.as_bytes())
                .unwrap()
                .duplicates()
                .is_empty()
        );
    }
}

#[test]
fn nul_bytes_are_syntax_errors() {
    for (input, offset) in [
        (&b"{\"a\":\"x\x00\"}"[..], 7),
        (b"{\x00}", 1),
        (b"{}\x00", 2),
        (b"\x00", 0),
    ] {
        let error = json::parse(input).unwrap_err();
        assert_eq!(error.offset, offset, "{input:?}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["[", "{\"a\":"] {
        let deep = open.repeat(200_000);
        let error = json::parse(deep.as_bytes()).unwrap_err();
        assert_eq!(error.kind, SyntaxErrorKind::TooDeep);
        assert_eq!(error.offset, 512 * open.len());
        assert_eq!(
            error.to_string(),
            "arrays and objects nested deeper than 512 levels"
        );
        assert_eq!(rules(&check(&deep)), ["invalid-json"]);
    }
    // 512 levels are fine.
    let ok = format!("{}{}", "[".repeat(512), "]".repeat(512));
    assert_eq!(json::parse(ok.as_bytes()).unwrap().root_kind(), Kind::Array);
}

// ---------------------------------------------------------------- the reader

#[test]
fn reader_keeps_top_level_and_properties_members() {
    let input = r#"{"type":"about:blank","status":4.09e2,"properties":{"errorCode":"X","n":[1,{"deep":true}],"o":{"k":null}},"list":[{"a":1}]}"#;
    let document = json::parse(input.as_bytes()).unwrap();
    assert_eq!(document.root_kind(), Kind::Object);
    assert_eq!(document.root_span(), 0..input.len());
    let names: Vec<&str> = document.members().iter().map(|m| m.name.as_ref()).collect();
    assert_eq!(names, ["type", "status", "properties", "list"]);
    let type_ = document.get("type").unwrap();
    assert_eq!(&input[type_.name_span.clone()], "\"type\"");
    assert_eq!(&input[type_.value_span.clone()], "\"about:blank\"");
    assert_eq!(type_.value, Value::String("about:blank".into()));
    let status = document.get("status").unwrap();
    assert_eq!(status.value, Value::Number("4.09e2"));
    let properties = document.get("properties").unwrap();
    assert_eq!(properties.kind(), Kind::Object);
    assert!(input[properties.value_span.clone()].starts_with("{\"errorCode\""));
    assert!(input[properties.value_span.clone()].ends_with("null}}"));
    let children = document.children(properties);
    let names: Vec<&str> = children.iter().map(|m| m.name.as_ref()).collect();
    assert_eq!(names, ["errorCode", "n", "o"]);
    assert_eq!(
        &input[children[1].value_span.clone()],
        "[1,{\"deep\":true}]"
    );
    assert_eq!(&input[children[2].value_span.clone()], "{\"k\":null}");
    // Only top-level members have their object's members kept.
    assert!(document.children(&children[2]).is_empty());
    let list = document.get("list").unwrap();
    assert_eq!(list.kind(), Kind::Array);
    assert!(document.children(list).is_empty());
}

#[test]
fn reader_decodes_escapes_and_borrows_plain_strings() {
    let input = r#"{"st\u0061tus":"a\"b\\c\/d\n\u00e9\ud83d\ude00","plain":"x"}"#;
    let document = json::parse(input.as_bytes()).unwrap();
    let first = &document.members()[0];
    assert_eq!(first.name, "status");
    assert!(matches!(first.name, std::borrow::Cow::Owned(_)));
    assert_eq!(first.value, Value::String("a\"b\\c/d\né😀".into()));
    let plain = document.get("plain").unwrap();
    assert!(matches!(
        plain.value,
        Value::String(std::borrow::Cow::Borrowed("x"))
    ));
}

#[test]
fn scalar_top_level_values() {
    for (input, kind) in [
        ("42", Kind::Number),
        ("\"s\"", Kind::String),
        ("true", Kind::True),
        (" null ", Kind::Null),
        ("[]", Kind::Array),
    ] {
        let document = json::parse(input.as_bytes()).unwrap();
        assert_eq!(document.root_kind(), kind);
        assert_eq!(&input[document.root_span()], input.trim());
        assert!(document.members().is_empty());
    }
}

#[test]
fn duplicates_are_found_at_any_depth() {
    let input = r#"{"a":{"b":{"c":{"x":1,"y":2,"x":3}}},"list":[{"k":1,"k":2}]}"#;
    let document = json::parse(input.as_bytes()).unwrap();
    let found: Vec<(&str, &str, &str)> = document
        .duplicates()
        .iter()
        .map(|d| {
            (
                d.name.as_ref(),
                &input[d.span.clone()],
                &input[d.first.clone()],
            )
        })
        .collect();
    assert_eq!(found, [("x", "\"x\"", "\"x\""), ("k", "\"k\"", "\"k\"")]);
    let x = &document.duplicates()[0];
    assert_eq!(x.first.start, input.find("\"x\"").unwrap());
    assert_eq!(x.span.start, input.rfind("\"x\"").unwrap());
    // The same name in sibling or nested objects is not a duplicate.
    let siblings = r#"{"a":{"id":1},"b":{"id":2},"id":{"id":{"id":3}}}"#;
    assert!(
        json::parse(siblings.as_bytes())
            .unwrap()
            .duplicates()
            .is_empty()
    );
}

#[test]
fn duplicates_in_large_objects() {
    // Past the linear scan, the hash index takes over; escaped names take part in it.
    let mut members: Vec<String> = (0..100).map(|i| format!("\"m{i}\":{i}")).collect();
    members.push(r#""m\u0037":1"#.to_string());
    members.push(r#""m3":1"#.to_string());
    members.push(r#""m99":1"#.to_string());
    let input = format!("{{\"o\":{{{}}}}}", members.join(","));
    let document = json::parse(input.as_bytes()).unwrap();
    let names: Vec<&str> = document
        .duplicates()
        .iter()
        .map(|d| d.name.as_ref())
        .collect();
    assert_eq!(names, ["m7", "m3", "m99"]);
    for duplicate in document.duplicates() {
        let first = &input[duplicate.first.clone()];
        assert_eq!(first, format!("\"{}\"", duplicate.name));
    }
    assert_eq!(document.children(document.get("o").unwrap()).len(), 103);
}

#[test]
fn hostile_objects_stay_linear() {
    // 50,000 top-level members, every name twice: a quadratic scan would take minutes.
    let members: Vec<String> = (0..50_000)
        .flat_map(|i| [format!("\"x{i}\":1"), format!("\"x{i}\":2")])
        .collect();
    let input = format!("{{{}}}", members.join(","));
    let violations = check(&input);
    let count = |rule| violations.iter().filter(|v| v.rule == rule).count();
    assert_eq!(count(RuleId::DuplicateMember), 50_000);
    assert_eq!(count(RuleId::ExtensionMember), 50_000);
    assert_eq!(count(RuleId::MissingMember), 5);
}

#[test]
fn integer_values_are_exact() {
    use IntegerValue::{Exact, Fraction, OutOfRange};
    let cases = [
        ("409", Exact(409)),
        ("0", Exact(0)),
        ("7", Exact(7)),
        ("999999999999999999", Exact(999_999_999_999_999_999)),
        ("1234567890123456789", Exact(1_234_567_890_123_456_789)),
        ("409.0", Exact(409)),
        ("4.09e2", Exact(409)),
        ("4090e-1", Exact(409)),
        ("40900E-2", Exact(409)),
        ("0.409e+3", Exact(409)),
        ("-0", Exact(0)),
        ("-0.0e5", Exact(0)),
        ("0e999999999999999999999", Exact(0)),
        ("-409", Exact(-409)),
        ("9223372036854775807", Exact(i64::MAX)),
        ("-9223372036854775808", Exact(i64::MIN)),
        ("9223372036854775808", OutOfRange),
        ("1e19", OutOfRange),
        ("1e400", OutOfRange),
        ("1e99999999999999999999999", OutOfRange),
        ("409.5", Fraction),
        ("4.095e2", Fraction),
        ("1e-400", Fraction),
        ("0.1", Fraction),
    ];
    for (lexeme, expected) in cases {
        assert_eq!(json::integer_value(lexeme), Some(expected), "{lexeme}");
    }
    for bad in ["", "-", "01", "00", "1.", ".5", "1e", "+1", "1x", "NaN"] {
        assert_eq!(json::integer_value(bad), None, "{bad}");
    }
}

// ---------------------------------------------------------------- not-an-object

#[test]
fn not_an_object() {
    for (input, pointed_at, found) in [
        ("[1,2]", "[", "an array"),
        (" \"text\" ", "\"text\"", "a string"),
        ("404", "404", "a number"),
        ("null", "null", "null"),
    ] {
        let violations = check(input);
        let violation = the(&violations, RuleId::NotAnObject);
        assert_eq!(rules(&violations), ["not-an-object"]);
        assert_eq!(pointed(input, &violation), pointed_at);
        assert_eq!(
            violation.message,
            format!("the top-level value is {found}, not an object")
        );
    }
}

// ---------------------------------------------------------------- duplicate-member

#[test]
fn duplicate_member() {
    let input = edit(r#""status":404,"#, r#""status":404,"status":404,"#);
    let violations = check(&input);
    let violation = the(&violations, RuleId::DuplicateMember);
    assert_eq!(violation.message, r#"member "status" appears twice"#);
    let first = input.find("\"status\"").unwrap();
    assert_eq!(
        body_span(&violation).start,
        input.rfind("\"status\"").unwrap()
    );
    // The checker ends the label with the first occurrence's line and column.
    assert_eq!(violation.label.as_deref(), Some("first at"));
    assert_eq!(
        violation.related,
        Some(Related::cited(
            Target::Body(first..first + "\"status\"".len()),
            "first occurrence"
        ))
    );
    assert_eq!(violation.rule.default_severity(), Severity::Error);

    // An escaped name is the same name; the last one wins for the other rules.
    let input = edit(r#""status":404,"#, r#""status":404,"st\u0061tus":410,"#);
    let violations = check(&input);
    // (410 also has its own reason phrase, so the title no longer matches.)
    assert_eq!(
        rules(&violations),
        ["title-mismatch", "duplicate-member", "status-mismatch"]
    );
    assert_eq!(violations[1].message, r#"member "status" appears twice"#);
    assert_eq!(pointed(&input, &violations[2]), "410");

    // Inside properties, and a third occurrence.
    let input = edit(
        r#""entityId":"1""#,
        r#""entityId":"1","entityId":"2","entityId":"3""#,
    );
    let violations = check(&input);
    assert_eq!(rules(&violations), ["duplicate-member", "duplicate-member"]);
    assert_eq!(
        violations[1].message,
        r#"member "entityId" appears 3 times"#
    );

    // Deep inside an extension value.
    let input = edit(
        r#""entityId":"1""#,
        r#""entityId":"1","extra":{"a":{"b":{"c":1,"c":2}}}"#,
    );
    let violations = check(&input);
    assert_eq!(rules(&violations), ["duplicate-member"]);
    assert_eq!(pointed(&input, &violations[0]), "\"c\"");
}

// ---------------------------------------------------------------- missing-member

#[test]
fn missing_member() {
    let input = edit(r#""instance":"/entity/1","#, "");
    let violations = check(&input);
    assert_eq!(rules(&violations), ["missing-member"]);
    assert_eq!(violations[0].message, r#"missing member "instance""#);
    assert_eq!(body_span(&violations[0]), 0..1);

    let input = edit(r#""errorCode":"ENTITY_NOT_FOUND","#, "");
    let violations = check(&input);
    let violation = the(&violations, RuleId::MissingMember);
    assert_eq!(
        violation.message,
        r#"missing member "properties.errorCode""#
    );
    assert_eq!(pointed(&input, &violation), "{");
    assert_eq!(
        body_span(&violation).start,
        input.find(r#"{"entityId""#).unwrap()
    );

    let violations = check(" {}");
    assert_eq!(rules(&violations), ["missing-member"; 5]);
    let names: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        names,
        [
            r#"missing member "type""#,
            r#"missing member "title""#,
            r#"missing member "status""#,
            r#"missing member "instance""#,
            r#"missing member "properties""#,
        ]
    );
    assert!(violations.iter().all(|v| body_span(v) == (1..2)));

    // Names are case-sensitive: "Status" is an extension, and status is missing.
    let input = edit(r#""status":404"#, r#""Status":404"#);
    assert_eq!(
        rules(&check(&input)),
        ["missing-member", "extension-member"]
    );
}

// ---------------------------------------------------------------- wrong-type

#[test]
fn wrong_type_of_envelope_members() {
    let cases = [
        (
            r#""status":404"#,
            r#""status":"404""#,
            "\"404\"",
            r#"member "status" must be an integer, found a string"#,
        ),
        (
            r#""status":404"#,
            r#""status":true"#,
            "true",
            r#"member "status" must be an integer, found true"#,
        ),
        (
            r#""status":404"#,
            r#""status":404.5"#,
            "404.5",
            r#"member "status" must be an integer, found 404.5"#,
        ),
        (
            r#""status":404"#,
            r#""status":1e400"#,
            "1e400",
            r#"member "status" must be an integer HTTP status, found 1e400, which is too large to represent"#,
        ),
        (
            r#""title":"Not Found""#,
            r#""title":404"#,
            "404",
            r#"member "title" must be a string, found a number"#,
        ),
        (
            r#""type":"about:blank""#,
            r#""type":null"#,
            "null",
            r#"member "type" must be a string, found null"#,
        ),
        (
            r#""instance":"/entity/1""#,
            r#""instance":["/entity/1"]"#,
            r#"["/entity/1"]"#,
            r#"member "instance" must be a string, found an array"#,
        ),
        (
            r#""detail":"ENTITY_NOT_FOUND: entity id=1 not found""#,
            r#""detail":{}"#,
            "{}",
            r#"member "detail" must be a string, found an object"#,
        ),
        (
            r#""errorCode":"ENTITY_NOT_FOUND""#,
            r#""errorCode":7"#,
            "7",
            r#"member "properties.errorCode" must be a string, found a number"#,
        ),
        (
            r#""entityId":"1""#,
            r#""entityId":1"#,
            "1",
            r#"member "properties.entityId" must be a string, found a number"#,
        ),
        (
            r#""entityId":"1""#,
            r#""retryable":"no""#,
            "\"no\"",
            r#"member "properties.retryable" must be a boolean, found a string"#,
        ),
    ];
    for (from, to, at, message) in cases {
        let input = edit(from, to);
        let violations = check(&input);
        assert_eq!(rules(&violations), ["wrong-type"], "{input}");
        assert_eq!(violations[0].message, message);
        assert_eq!(pointed(&input, &violations[0]), at);
        assert_eq!(violations[0].help_topic.id(), "check.wrong-type");
    }

    let input = edit(
        r#""properties":{"errorCode":"ENTITY_NOT_FOUND","entityId":"1"}"#,
        r#""properties":[]"#,
    );
    let violations = check(&input);
    assert_eq!(rules(&violations), ["wrong-type"]);
    assert_eq!(violations[0].label.as_deref(), Some("expected an object"));

    let ticket = r#","ticket":42"#;
    let violations = check(&body("SERVER_ERROR", 500, "Internal Server Error", ticket));
    assert_eq!(rules(&violations), ["wrong-type"]);
}

#[test]
fn wrong_type_of_documented_properties() {
    let input = body("MODEL_NOT_FOUND", 404, "Not Found", "").replace(
        r#""MODEL_NOT_FOUND"}"#,
        r#""MODEL_NOT_FOUND","entityName":"invoice","entityVersion":3}"#,
    );
    assert_eq!(check(&input), vec![]);
    for (version, ok) in [
        ("3.0", true),
        ("3e0", true),
        ("\"3\"", false),
        ("3.5", false),
    ] {
        let changed = input.replace(
            r#""entityVersion":3"#,
            &format!(r#""entityVersion":{version}"#),
        );
        let violations = check(&changed);
        if ok {
            assert_eq!(violations, vec![], "{version}");
        } else {
            let violation = the(&violations, RuleId::WrongType);
            assert!(
                violation
                    .message
                    .starts_with(r#"member "properties.entityVersion" must be an integer"#)
            );
        }
    }
    let changed = input.replace(r#""entityName":"invoice""#, r#""entityName":false"#);
    assert_eq!(rules(&check(&changed)), ["wrong-type"]);
}

#[test]
fn status_numbers_are_compared_by_value() {
    for (status, expected) in [
        ("409.0", vec![]),
        ("4.09e2", vec![]),
        ("40900e-2", vec![]),
        ("-0", vec!["status-mismatch"]),
        ("1e400", vec!["wrong-type"]),
        ("\"409\"", vec!["wrong-type"]),
        ("true", vec!["wrong-type"]),
    ] {
        let input = body("CONFLICT", 409, "Conflict", "")
            .replace(r#""status":409"#, &format!(r#""status":{status}"#))
            .replace(r#""CONFLICT"}"#, r#""CONFLICT","retryable":true}"#);
        assert_eq!(rules(&check(&input)), expected, "{status}");
    }
    let input = body("CONFLICT", 409, "Conflict", "").replace(r#""status":409"#, r#""status":-0"#);
    let violation = the(&check(&input), RuleId::StatusMismatch);
    assert_eq!(
        violation.message,
        "status is 0, but CONFLICT is documented with 409"
    );
}

// ---------------------------------------------------------------- unknown-code

#[test]
fn unknown_code() {
    let input = include_str!("../../tests/fixtures/corpus/invalid-unknown-code.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["unknown-code"]);
    assert_eq!(
        violations[0].message,
        r#"errorCode "IDEMPOTENCY_CONFLICTS" is in no version of the cyoda-go catalog"#
    );
    assert_eq!(
        violations[0].label.as_deref(),
        Some("did you mean IDEMPOTENCY_CONFLICT?")
    );
    assert_eq!(pointed(input, &violations[0]), "\"IDEMPOTENCY_CONFLICTS\"");
    assert_eq!(violations[0].help_topic.id(), "check.unknown-code");

    // A code of another version says where it is, and points at its page.
    let input = body("ENTITY_MODIFIED", 412, "Precondition Failed", "");
    let violations = check(&input);
    assert_eq!(rules(&violations), ["unknown-code"]);
    assert_eq!(
        violations[0].message,
        "ENTITY_MODIFIED is not in cyoda-go 0.6.2 (added in 0.6.3; pass --server-version 0.6.3)"
    );
    assert_eq!(violations[0].help_topic.id(), "errors.ENTITY_MODIFIED");

    // Nothing close: no suggestion. Code-dependent rules are skipped, the rest still apply.
    let input = body("ZZZ_NOPE", 404, "Conflict", "");
    let violations = check(&input);
    assert_eq!(rules(&violations), ["title-mismatch", "unknown-code"]);
    assert_eq!(the(&violations, RuleId::UnknownCode).label, None);

    // Codes are case-sensitive on the wire.
    let input = edit(
        r#""errorCode":"ENTITY_NOT_FOUND""#,
        r#""errorCode":"entity_not_found""#,
    );
    let violation = the(&check(&input), RuleId::UnknownCode);
    assert_eq!(
        violation.label.as_deref(),
        Some("did you mean ENTITY_NOT_FOUND?")
    );
}

// ---------------------------------------------------------------- status-mismatch

#[test]
fn status_mismatch() {
    let input = edit(
        r#""title":"Not Found","status":404"#,
        r#""title":"Gone","status":410"#,
    );
    let violations = check(&input);
    assert_eq!(rules(&violations), ["status-mismatch"]);
    let violation = &violations[0];
    assert_eq!(
        violation.message,
        "status is 410, but ENTITY_NOT_FOUND is documented with 404"
    );
    assert_eq!(violation.label.as_deref(), Some("expected 404"));
    assert_eq!(violation.help_topic.id(), "errors.ENTITY_NOT_FOUND");
    assert_eq!(pointed(&input, violation), "410");

    let input = include_str!("../../tests/fixtures/corpus/invalid-status-mismatch.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["status-mismatch", "reserved-code"]);
    assert_eq!(
        violations[0].message,
        "status is 422, but IDEMPOTENCY_CONFLICT is documented with 409"
    );
}

// ---------------------------------------------------------------- title-mismatch

#[test]
fn title_mismatch() {
    let input = include_str!("../../tests/fixtures/corpus/invalid-title-mismatch.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["title-mismatch"]);
    let violation = &violations[0];
    assert_eq!(
        violation.message,
        r#"title is "Conflict", but the reason phrase of 400 is "Bad Request""#
    );
    assert_eq!(
        violation.label.as_deref(),
        Some(r#"expected "Bad Request""#)
    );
    assert_eq!(violation.help_topic.id(), "check.title-mismatch");

    let input = edit(r#""title":"Not Found""#, r#""title":"not found""#);
    let violations = check(&input);
    assert_eq!(rules(&violations), ["title-mismatch"]);
    assert_eq!(pointed(&input, &violations[0]), "\"not found\"");

    // Text from the response is escaped before it reaches a message.
    let input = edit(r#""title":"Not Found""#, r#""title":"Not\u001b[2J Found""#);
    let violation = the(&check(&input), RuleId::TitleMismatch);
    assert!(
        violation
            .message
            .starts_with(r#"title is "Not\u{1b}[2J Found""#),
        "{}",
        violation.message
    );
    assert!(!violation.message.contains('\u{1b}'));
}

#[test]
fn title_accepts_the_names_go_uses() {
    for (status, title) in [
        (413, "Request Entity Too Large"),
        (413, "Payload Too Large"),
        (413, "Content Too Large"),
        (414, "Request URI Too Long"),
        (414, "URI Too Long"),
        (416, "Requested Range Not Satisfiable"),
        (418, "I'm a teapot"),
        (422, "Unprocessable Entity"),
        (422, "Unprocessable Content"),
        (404, "Not Found"),
        (503, "Service Unavailable"),
        // No known phrase: not checked.
        (499, "Client Closed Request"),
        (599, "anything"),
    ] {
        let input = edit(r#""status":404"#, &format!(r#""status":{status}"#))
            .replace(r#""title":"Not Found""#, &format!(r#""title":"{title}""#));
        let found = rules(&check(&input));
        assert!(
            !found.contains(&"title-mismatch"),
            "{status} {title}: {found:?}"
        );
    }
    let input = edit(r#""status":404"#, r#""status":413"#);
    let violation = the(&check(&input), RuleId::TitleMismatch);
    assert_eq!(
        violation.message,
        r#"title is "Not Found", but the reason phrase of 413 is "Payload Too Large" (or "Request Entity Too Large", "Content Too Large")"#
    );
}

// ---------------------------------------------------------------- retryable-mismatch

#[test]
fn retryable_mismatch() {
    let input = include_str!("../../tests/fixtures/corpus/invalid-retryable-true.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["retryable-mismatch"]);
    assert_eq!(
        violations[0].message,
        "properties.retryable is true, but MODEL_NOT_LOCKED is documented as not retryable"
    );
    assert_eq!(violations[0].help_topic.id(), "errors.MODEL_NOT_LOCKED");
    assert_eq!(pointed(input, &violations[0]), "true");

    let conflict = body("CONFLICT", 409, "Conflict", "");
    let violations = check(&conflict);
    assert_eq!(rules(&violations), ["retryable-mismatch"]);
    assert_eq!(
        violations[0].message,
        "properties.retryable is absent, but CONFLICT is documented as retryable"
    );
    assert_eq!(pointed(&conflict, &violations[0]), "{");

    let input = conflict.replace(r#""CONFLICT"}"#, r#""CONFLICT","retryable":false}"#);
    assert_eq!(rules(&check(&input)), ["retryable-mismatch"]);
    let input = conflict.replace(r#""CONFLICT"}"#, r#""CONFLICT","retryable":true}"#);
    assert_eq!(check(&input), vec![]);

    // `no` allows false; `conditional` allows anything boolean.
    let input = edit(r#""entityId":"1""#, r#""retryable":false"#);
    assert_eq!(check(&input), vec![]);
    let ticket = r#","ticket":"0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77""#;
    let server = body("SERVER_ERROR", 500, "Internal Server Error", ticket);
    for retryable in ["true", "false"] {
        let input = server.replace(
            r#""SERVER_ERROR"}"#,
            &format!(r#""SERVER_ERROR","retryable":{retryable}}}"#),
        );
        assert_eq!(check(&input), vec![]);
    }
    // A non-boolean is a wrong type, not a mismatch.
    let input = conflict.replace(r#""CONFLICT"}"#, r#""CONFLICT","retryable":"true"}"#);
    assert_eq!(rules(&check(&input)), ["wrong-type"]);
}

// ---------------------------------------------------------------- tickets

#[test]
fn ticket_missing() {
    let input = include_str!("../../tests/fixtures/corpus/invalid-5xx-no-ticket.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["ticket-missing"]);
    assert_eq!(
        violations[0].message,
        "ticket is missing, but TRANSACTION_NODE_UNAVAILABLE is documented with a ticket"
    );
    assert_eq!(
        violations[0].help_topic.id(),
        "errors.TRANSACTION_NODE_UNAVAILABLE"
    );
    assert_eq!(body_span(&violations[0]), 0..1);

    // Unknown code: the 5xx status decides.
    let input = body("NO_SUCH_CODE", 502, "Bad Gateway", "");
    let violations = check(&input);
    assert_eq!(rules(&violations), ["ticket-missing", "unknown-code"]);
    assert_eq!(
        violations[0].message,
        "ticket is missing, but a 502 response carries one"
    );
    assert_eq!(violations[0].help_topic.id(), "check.ticket-missing");
}

#[test]
fn ticket_unexpected() {
    let ticket = r#","ticket":"0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77""#;
    let input = body("ENTITY_NOT_FOUND", 404, "Not Found", ticket);
    let violations = check(&input);
    assert_eq!(rules(&violations), ["ticket-unexpected"]);
    assert_eq!(
        violations[0].message,
        "ticket is present, but ENTITY_NOT_FOUND is documented without one"
    );
    assert_eq!(violations[0].help_topic.id(), "errors.ENTITY_NOT_FOUND");
    assert_eq!(pointed(&input, &violations[0]), &ticket[1..]);

    let input = body("NO_SUCH_CODE", 429, "Too Many Requests", ticket);
    let violations = check(&input);
    assert_eq!(rules(&violations), ["ticket-unexpected", "unknown-code"]);
    assert_eq!(violations[0].help_topic.id(), "check.ticket-unexpected");

    // No usable status and no known code: the ticket rules cannot be evaluated.
    let input = body("NO_SUCH_CODE", 404, "Not Found", ticket)
        .replace(r#""status":404"#, r#""status":"404""#);
    assert_eq!(rules(&check(&input)), ["wrong-type", "unknown-code"]);
}

#[test]
fn ticket_format() {
    for ticket in [
        "not-a-uuid",
        "0b7e4d0a5a3c4f649d552f0a8e1c9b77",
        "{0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77}",
        "urn:uuid:0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b77",
        "0b7e4d0a-5a3c-4f64-9d55-2f0a8e1c9b7g",
        "0b7e4d0a-5a3c-4f64-9d552f0a8e1c9b77-",
    ] {
        let extra = format!(r#","ticket":"{ticket}""#);
        let input = body("SERVER_ERROR", 500, "Internal Server Error", &extra);
        let violations = check(&input);
        assert_eq!(rules(&violations), ["ticket-format"], "{ticket}");
        assert_eq!(pointed(&input, &violations[0]), format!("\"{ticket}\""));
    }
    let upper = r#","ticket":"0B7E4D0A-5A3C-4F64-9D55-2F0A8E1C9B77""#;
    assert_eq!(
        check(&body("SERVER_ERROR", 500, "Internal Server Error", upper)),
        vec![]
    );
}

// ---------------------------------------------------------------- type/instance format

#[test]
fn type_format() {
    for bad in ["about blank", "http://exa mple/", "%zz", "a\\u0000b"] {
        let input = edit("about:blank", bad);
        let violations = check(&input);
        assert_eq!(rules(&violations), ["type-format"], "{bad}");
        assert_eq!(violations[0].help_topic.id(), "check.type-format");
    }
    for good in [
        "https://problems.cyoda.com/conflict",
        "",
        "/problems/x",
        "tag:cyoda.com,2024:x",
    ] {
        assert_eq!(check(&edit("about:blank", good)), vec![], "{good}");
    }
}

#[test]
fn instance_format() {
    for bad in [
        "",
        "entity/1",
        "//host/entity/1",
        "http://x/entity/1",
        "/entity/a b",
        "?q=1",
    ] {
        let input = edit(r#""/entity/1""#, &format!("\"{bad}\""));
        let violations = check(&input);
        assert_eq!(rules(&violations), ["instance-format"], "{bad:?}");
        assert_eq!(pointed(&input, &violations[0]), format!("\"{bad}\""));
    }
    let violation = the(
        &check(&edit(r#""/entity/1""#, r#""""#)),
        RuleId::InstanceFormat,
    );
    assert_eq!(
        violation.message,
        "instance is empty, but it must be an absolute-path reference"
    );
    for good in [
        "/",
        "/entity/1",
        "/api/help/x",
        "/entity/1?x=1",
        "/search/async/%20",
    ] {
        assert_eq!(
            check(&edit(r#""/entity/1""#, &format!("\"{good}\""))),
            vec![],
            "{good}"
        );
    }
}

// ---------------------------------------------------------------- warnings

#[test]
fn detail_prefix() {
    let input = include_str!("../../tests/fixtures/corpus/warning-detail-prefix.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["detail-prefix"]);
    assert_eq!(
        violations[0].message,
        r#"detail does not start with "ENTITY_NOT_FOUND: ""#
    );
    assert_eq!(violations[0].rule.default_severity(), Severity::Warning);
    assert_eq!(violations[0].help_topic.id(), "errors.ENTITY_NOT_FOUND");
    assert_eq!(pointed(input, &violations[0]), "\"no such entity\"");

    for detail in [
        "ENTITY_NOT_FOUND",
        "ENTITY_NOT_FOUND:x",
        "ENTITY_NOT_FOUND : x",
        "entity_not_found: x",
    ] {
        let input = edit("ENTITY_NOT_FOUND: entity id=1 not found", detail);
        assert_eq!(rules(&check(&input)), ["detail-prefix"], "{detail}");
    }
    // An absent detail is fine (Go omits an empty one).
    let input = edit(r#""detail":"ENTITY_NOT_FOUND: entity id=1 not found","#, "");
    assert_eq!(check(&input), vec![]);
}

#[test]
fn extension_member() {
    let input = edit(r#""status":404,"#, r#""status":404,"errorCode":"X","#);
    let violations = check(&input);
    assert_eq!(rules(&violations), ["extension-member"]);
    assert_eq!(
        violations[0].message,
        r#"unexpected top-level member "errorCode" (Cyoda keeps extension members in "properties")"#
    );
    assert_eq!(pointed(&input, &violations[0]), "\"errorCode\"");
    assert_eq!(violations[0].rule.default_severity(), Severity::Warning);

    // One per member; a repeated one once (and a duplicate).
    let input = edit(r#""status":404,"#, r#""status":404,"a":1,"b":2,"a":3,"#);
    assert_eq!(
        rules(&check(&input)),
        ["extension-member", "extension-member", "duplicate-member"]
    );
    let input = edit(r#""status":404,"#, "\"status\":404,\"\\u202e\":1,");
    let violation = the(&check(&input), RuleId::ExtensionMember);
    assert!(
        violation.message.contains(r#""\u{202e}""#),
        "{}",
        violation.message
    );
}

#[test]
fn reserved_code() {
    let input = include_str!("../../tests/fixtures/corpus/valid-idempotency-conflict.json");
    let violations = check(input);
    assert_eq!(rules(&violations), ["reserved-code"]);
    assert_eq!(
        violations[0].message,
        "IDEMPOTENCY_CONFLICT is documented as not raised by cyoda-go 0.6.2"
    );
    assert_eq!(violations[0].help_topic.id(), "errors.IDEMPOTENCY_CONFLICT");
    assert_eq!(violations[0].rule.default_severity(), Severity::Warning);
    assert_eq!(pointed(input, &violations[0]), "\"IDEMPOTENCY_CONFLICT\"");

    let input = body("IDEMPOTENCY_CONFLICT", 409, "Conflict", "");
    assert_eq!(rules(&check(&input)), ["reserved-code"]);
}

// ---------------------------------------------------------------- expected-code

#[test]
fn expected_code() {
    let options = CheckOptions {
        expect: Some("CONFLICT".to_string()),
    };
    let violations = check_full(VALID.as_bytes(), &Transport::default(), &options);
    assert_eq!(rules(&violations), ["expected-code"]);
    assert_eq!(
        violations[0].message,
        r#"errorCode is "ENTITY_NOT_FOUND", but --expect requires "CONFLICT""#
    );
    assert_eq!(pointed(VALID, &violations[0]), "\"ENTITY_NOT_FOUND\"");

    let input = edit(r#""errorCode":"ENTITY_NOT_FOUND","#, "");
    let violations = check_full(input.as_bytes(), &Transport::default(), &options);
    assert_eq!(rules(&violations), ["missing-member", "expected-code"]);
    assert_eq!(
        violations[1].message,
        r#"the response has no errorCode, but --expect requires "CONFLICT""#
    );

    let input = edit(r#""ENTITY_NOT_FOUND","entityId""#, r#"7,"entityId""#);
    let violations = check_full(input.as_bytes(), &Transport::default(), &options);
    assert_eq!(rules(&violations), ["wrong-type", "expected-code"]);
}

// ---------------------------------------------------------------- transport

#[test]
fn http_status() {
    for captured in [409, 500] {
        let transport = Transport {
            status: Some(captured),
            content_type: None,
        };
        let violations = check_full(VALID.as_bytes(), &transport, &CheckOptions::default());
        assert_eq!(rules(&violations), ["http-status"]);
        assert_eq!(violations[0].target, Target::CapturedStatus);
        assert_eq!(
            violations[0].message,
            format!("the captured HTTP status is {captured}, but the body's status is 404")
        );
        assert_eq!(violations[0].help_topic.id(), "check.http-status");
    }
}

#[test]
fn content_type() {
    for (content_type, message) in [
        (
            Some("application/json; charset=utf-8"),
            r#"Content-Type is "application/json; charset=utf-8", not application/problem+json"#,
        ),
        (
            Some("text/plain"),
            r#"Content-Type is "text/plain", not application/problem+json"#,
        ),
        (
            None,
            "the captured response has no Content-Type header (expected application/problem+json)",
        ),
    ] {
        let transport = Transport {
            status: Some(404),
            content_type: Some(content_type.map(str::to_string)),
        };
        let violations = check_full(VALID.as_bytes(), &transport, &CheckOptions::default());
        assert_eq!(rules(&violations), ["content-type"]);
        assert_eq!(violations[0].target, Target::CapturedContentType);
        assert_eq!(violations[0].message, message);
    }
    // Checked even when the body is not JSON; transport findings come first.
    let transport = Transport {
        status: Some(404),
        content_type: Some(Some("text/plain".to_string())),
    };
    let violations = check_full(b"not found", &transport, &CheckOptions::default());
    assert_eq!(rules(&violations), ["content-type", "invalid-json"]);
}

// ---------------------------------------------------------------- everything at once

#[test]
fn every_violation_is_reported_in_document_order() {
    let input = r#"{"type":"a b","title":"Gone","status":410,"detail":"oops","instance":"x","ticket":"t","extra":1,"properties":{"errorCode":"MODEL_NOT_LOCKED","retryable":true}}"#;
    let transport = Transport {
        status: Some(409),
        content_type: Some(None),
    };
    let options = CheckOptions {
        expect: Some("CONFLICT".to_string()),
    };
    let violations = check_full(input.as_bytes(), &transport, &options);
    assert_eq!(
        rules(&violations),
        [
            "http-status",
            "content-type",
            "type-format",
            "status-mismatch",
            "detail-prefix",
            "instance-format",
            "ticket-unexpected",
            "ticket-format",
            "extension-member",
            "expected-code",
            "retryable-mismatch",
        ]
    );
    let mut starts: Vec<usize> = violations
        .iter()
        .filter_map(|v| match &v.target {
            Target::Body(span) => Some(span.start),
            _ => None,
        })
        .collect();
    let sorted = {
        let mut s = starts.clone();
        s.sort();
        s
    };
    assert_eq!(starts, sorted);
    starts.dedup();
    // Every rule's own topic is `check.<id>` unless it is about the code's documented facts.
    for violation in &violations {
        let code_fact = matches!(
            violation.rule,
            RuleId::StatusMismatch
                | RuleId::RetryableMismatch
                | RuleId::TicketMissing
                | RuleId::TicketUnexpected
                | RuleId::ReservedCode
                | RuleId::DetailPrefix
        );
        let expected = if code_fact {
            "errors.MODEL_NOT_LOCKED".to_string()
        } else {
            violation.rule.topic().id()
        };
        assert_eq!(violation.help_topic.id(), expected, "{}", violation.rule);
    }
}

#[test]
fn check_body_appends_to_out() {
    let mut out = vec![];
    let catalog = catalog();
    for _ in 0..3 {
        check_body(
            b"[]",
            &catalog,
            &Transport::default(),
            &CheckOptions::default(),
            &mut out,
        );
    }
    assert_eq!(rules(&out), ["not-an-object"; 3]);
}

// ---------------------------------------------------------------- the sample corpus

/// A raw HTTP capture: status, Content-Type and body.
fn split_capture(capture: &str) -> (Transport, &str) {
    let (head, body) = capture.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let content_type = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.trim().to_string());
    (
        Transport {
            status: Some(status),
            content_type: Some(content_type),
        },
        body,
    )
}

#[test]
fn sample_corpus_matches_expected_tsv() {
    let files: &[(&str, &str)] = &[
        (
            "valid-idempotency-conflict.json",
            include_str!("../../tests/fixtures/corpus/valid-idempotency-conflict.json"),
        ),
        (
            "valid-model-not-found.json",
            include_str!("../../tests/fixtures/corpus/valid-model-not-found.json"),
        ),
        (
            "valid-tx-conflict-retryable.json",
            include_str!("../../tests/fixtures/corpus/valid-tx-conflict-retryable.json"),
        ),
        (
            "valid-server-error-ticket.json",
            include_str!("../../tests/fixtures/corpus/valid-server-error-ticket.json"),
        ),
        (
            "invalid-status-mismatch.json",
            include_str!("../../tests/fixtures/corpus/invalid-status-mismatch.json"),
        ),
        (
            "invalid-title-mismatch.json",
            include_str!("../../tests/fixtures/corpus/invalid-title-mismatch.json"),
        ),
        (
            "invalid-retryable-true.json",
            include_str!("../../tests/fixtures/corpus/invalid-retryable-true.json"),
        ),
        (
            "invalid-unknown-code.json",
            include_str!("../../tests/fixtures/corpus/invalid-unknown-code.json"),
        ),
        (
            "invalid-5xx-no-ticket.json",
            include_str!("../../tests/fixtures/corpus/invalid-5xx-no-ticket.json"),
        ),
        (
            "invalid-missing-instance.json",
            include_str!("../../tests/fixtures/corpus/invalid-missing-instance.json"),
        ),
        (
            "invalid-syntax.json",
            include_str!("../../tests/fixtures/corpus/invalid-syntax.json"),
        ),
        (
            "warning-detail-prefix.json",
            include_str!("../../tests/fixtures/corpus/warning-detail-prefix.json"),
        ),
        (
            "capture-wrong-content-type.http",
            include_str!("../../tests/fixtures/corpus/capture-wrong-content-type.http"),
        ),
        (
            "responses.ndjson",
            include_str!("../../tests/fixtures/corpus/responses.ndjson"),
        ),
    ];
    let expected = include_str!("../../tests/fixtures/corpus/expected.tsv");
    let mut seen = 0;
    for row in expected.lines().skip(1) {
        let columns: Vec<&str> = row.split('\t').collect();
        let (file, exit, must, may) = (columns[0], columns[1], columns[2], columns[3]);
        let text = files.iter().find(|(name, _)| *name == file).unwrap().1;
        let mut violations = Vec::new();
        let mut error_lines = Vec::new();
        if file.ends_with(".http") {
            let (transport, body) = split_capture(text);
            violations = check_full(body.as_bytes(), &transport, &CheckOptions::default());
        } else if file.ends_with(".ndjson") {
            for (index, line) in text.lines().enumerate() {
                let found = check(line);
                if found
                    .iter()
                    .any(|v| v.rule.default_severity() == Severity::Error)
                {
                    error_lines.push(index + 1);
                }
                violations.extend(found);
            }
            assert_eq!(error_lines, [3], "{file}");
        } else {
            violations = check(text);
        }
        let errors = violations
            .iter()
            .any(|v| v.rule.default_severity() == Severity::Error);
        assert_eq!(
            if errors { "1" } else { "0" },
            exit,
            "{file}: {violations:#?}"
        );
        let found = rules(&violations);
        for rule in must.split(',').filter(|r| !r.is_empty()) {
            assert!(found.contains(&rule), "{file}: {rule} not in {found:?}");
        }
        let may: Vec<&str> = may.split(',').filter(|r| !r.is_empty()).collect();
        for violation in &violations {
            let rule = violation.rule.as_str();
            assert!(
                must.split(',').any(|r| r == rule)
                    || may.contains(&rule)
                    // The one incidental finding: IDEMPOTENCY_CONFLICT is reserved in every
                    // release, and the table lists `reserved-code` only where it stands alone.
                    || (violation.rule == RuleId::ReservedCode
                        && exit == "1"
                        && violation.message.starts_with("IDEMPOTENCY_CONFLICT ")),
                "{file}: unexpected {rule}: {}",
                violation.message
            );
        }
        seen += 1;
    }
    assert_eq!(seen, files.len());
}

// ---------------------------------------------------------------- throughput (not asserted)

/// `cargo test --release --lib contract::tests::throughput -- --ignored --nocapture`
#[test]
#[ignore = "a measurement, run by hand in release mode"]
#[allow(clippy::print_stdout)] // why: the measurement is only useful printed, run by hand
fn throughput() {
    use std::time::Instant;
    let lines: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"type":"about:blank","title":"Not Found","status":404,"detail":"ENTITY_NOT_FOUND: entity id={i:08} not found in model invoice version 3","instance":"/entity/JSON/invoice/{i:08}","properties":{{"entityId":"{i:08}","errorCode":"ENTITY_NOT_FOUND"}}}}"#
            )
        })
        .collect();
    let bytes: usize = lines.iter().map(String::len).sum();
    let catalog = catalog();
    let (transport, options) = (Transport::default(), CheckOptions::default());
    let rounds = 200;
    let mut out = Vec::new();
    let mut best = [f64::MAX; 4];
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..rounds {
            for line in &lines {
                let document = json::parse(line.as_bytes()).unwrap();
                std::hint::black_box(&document);
            }
        }
        best[0] = best[0].min(start.elapsed().as_secs_f64());
        let mut scratch = json::Scratch::default();
        let mut spare = json::Spare::default();
        let start = Instant::now();
        for _ in 0..rounds {
            for line in &lines {
                let document = json::parse_reusing(line.as_bytes(), &mut scratch, &mut spare);
                let document = document.unwrap();
                std::hint::black_box(&document);
                document.recycle(&mut spare);
            }
        }
        best[3] = best[3].min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        for _ in 0..rounds {
            for line in &lines {
                out.clear();
                check_body(line.as_bytes(), &catalog, &transport, &options, &mut out);
                std::hint::black_box(&out);
            }
        }
        assert!(out.is_empty());
        best[1] = best[1].min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        for _ in 0..rounds {
            for line in &lines {
                let value: serde_json::Value = serde_json::from_slice(line.as_bytes()).unwrap();
                std::hint::black_box(&value);
            }
        }
        best[2] = best[2].min(start.elapsed().as_secs_f64());
    }
    let total = (bytes * rounds) as f64 / 1e6;
    let count = (lines.len() * rounds) as f64;
    for (name, seconds) in [
        "json::parse",
        "check_body (parse + rules)",
        "serde_json::Value",
        "json::parse_reusing (warm buffers)",
    ]
    .iter()
    .zip(best)
    {
        println!(
            "{name:>28}: {:7.1} MB/s, {:6.0} ns/line",
            total / seconds,
            seconds * 1e9 / count
        );
    }
    println!("average line: {} bytes", bytes / lines.len());
}
