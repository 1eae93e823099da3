//! `cyoda help errors [CODE] --format schema`: the JSON Schema (2020-12) of a Cyoda error
//! response, generated from the embedded [`Catalog`] so it can never disagree with the facts
//! `cyoda check` enforces. Nothing per code is written by hand.
//!
//! What a schema cannot say is left to `cyoda check`: duplicate members, a detail's
//! `[ticket: …]` naming another UUID than `ticket` (a comparison of two values), the warnings
//! (`detail-prefix`, `extension-member`, `reserved-code`: the schema stays open to extension
//! members at the top level and says nothing of `detail`'s prefix), and the captured transport
//! (`http-status`, `content-type`).

use crate::contract::catalog::{Catalog, ErrorContract, PropertyType, Retryability, TicketRule};
use crate::contract::rules::reason_phrases;
use serde_json::{Map, Value, json};

/// The dialect every schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A hyphenated UUID, as `ticket-format` requires (`format: uuid` alone is only an annotation
/// for many validators).
const UUID_PATTERN: &str =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/// An absolute-path reference: one `/`, not two (`//host` is a network-path reference).
const ABSOLUTE_PATH_PATTERN: &str = "^/(?!/)";

/// The schema of one code's envelope.
pub fn for_code(catalog: &Catalog, contract: &ErrorContract) -> Value {
    let mut schema = Map::new();
    schema.insert("$schema".into(), DIALECT.into());
    schema.insert("$id".into(), id(catalog, Some(&contract.code)).into());
    schema.extend(envelope(catalog, contract));
    Value::Object(schema)
}

/// The schema of any catalog error: the common envelope, `errorCode` one of the catalog's
/// codes, and per code (discriminated by `properties.errorCode`) that code's envelope from
/// `$defs`.
pub fn for_catalog(catalog: &Catalog) -> Value {
    let codes: Vec<&str> = catalog.codes.iter().map(|c| c.code.as_ref()).collect();
    let defs: Map<String, Value> = catalog
        .codes
        .iter()
        .map(|c| (c.code.to_string(), Value::Object(envelope(catalog, c))))
        .collect();
    let branches: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "if": {
                    "required": ["properties"],
                    "properties": {
                        "properties": {
                            "required": ["errorCode"],
                            "properties": {"errorCode": {"const": code}}
                        }
                    }
                },
                "then": {"$ref": format!("#/$defs/{code}")}
            })
        })
        .collect();
    json!({
        "$schema": DIALECT,
        "$id": id(catalog, None),
        "title": format!("Cyoda error response (cyoda-go {})", catalog.version),
        "description": "An RFC 9457 problem document from the Cyoda REST API. properties.errorCode \
            names one code of the catalog; the matching entry of $defs (selected by the allOf \
            branches on errorCode) holds that code's status, title, retryability, ticket rule \
            and extra properties.",
        "type": "object",
        "required": ["type", "title", "status", "instance", "properties"],
        "properties": {
            "type": {"type": "string", "format": "uri-reference"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": instance(),
            "ticket": ticket(),
            "properties": {
                "type": "object",
                "required": ["errorCode"],
                "properties": {
                    "errorCode": {"type": "string", "enum": codes},
                    "retryable": {"type": "boolean"}
                }
            }
        },
        "allOf": branches,
        "$defs": defs
    })
}

fn id(catalog: &Catalog, code: Option<&str>) -> String {
    match code {
        Some(code) => format!("urn:cyoda:{}:errors:{code}", catalog.version),
        None => format!("urn:cyoda:{}:errors", catalog.version),
    }
}

/// The members of one code's schema (everything but `$schema` and `$id`).
fn envelope(catalog: &Catalog, contract: &ErrorContract) -> Map<String, Value> {
    let code = contract.code.as_ref();
    let retryable = match contract.retryable {
        Retryability::Yes => json!({"const": true}),
        Retryability::No => json!({"const": false}),
        Retryability::Conditional => json!({"type": "boolean"}),
    };
    let mut inner = Map::new();
    inner.insert("errorCode".into(), json!({"const": code}));
    inner.insert("retryable".into(), retryable);
    for (name, kind) in contract.properties.iter() {
        inner.insert(name.to_string(), json!({"type": json_type(*kind)}));
    }
    let mut inner_required = vec!["errorCode"];
    if contract.retryable == Retryability::Yes {
        inner_required.push("retryable");
    }
    let mut required = vec!["type", "title", "status", "instance", "properties"];
    let ticket = match contract.ticket {
        TicketRule::Required => {
            required.push("ticket");
            ticket()
        }
        TicketRule::Absent => Value::Bool(false),
    };
    let retry_note = match contract.retryable {
        Retryability::Yes => "retryable: properties.retryable is true",
        Retryability::No => "not retryable: properties.retryable is absent or false",
        Retryability::Conditional => "retryable with care: see the code's help page",
    };
    let reserved = if contract.reserved {
        " Reserved: documented, but not raised by this server version."
    } else {
        ""
    };
    let object = json!({
        "title": format!("{code} error response (cyoda-go {})", catalog.version),
        "description": format!(
            "HTTP {} {}; {retry_note}; ticket {}.{reserved} Run 'cyoda help errors {code}'.",
            contract.status,
            contract.title,
            contract.ticket.as_str(),
        ),
        "type": "object",
        "required": required,
        "properties": {
            "type": {"type": "string", "format": "uri-reference"},
            "title": {"type": "string", "enum": titles(contract)},
            "status": {"type": "integer", "const": contract.status},
            "detail": {"type": "string"},
            "instance": instance(),
            "ticket": ticket,
            "properties": {
                "type": "object",
                "required": inner_required,
                "properties": inner
            }
        }
    });
    match object {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The titles `title-mismatch` accepts for the code's status: the reason phrase, and the
/// other names of it that servers send (Go's net/http, RFC 9110).
fn titles(contract: &ErrorContract) -> Vec<String> {
    let mut titles = vec![contract.title.to_string()];
    if let Some((canonical, others)) = reason_phrases(i64::from(contract.status)) {
        for title in std::iter::once(canonical).chain(others.iter().copied()) {
            if !titles.iter().any(|t| t == title) {
                titles.push(title.to_string());
            }
        }
    }
    titles
}

fn instance() -> Value {
    json!({"type": "string", "format": "uri-reference", "pattern": ABSOLUTE_PATH_PATTERN})
}

fn ticket() -> Value {
    json!({"type": "string", "format": "uuid", "pattern": UUID_PATTERN})
}

fn json_type(kind: PropertyType) -> &'static str {
    kind.as_str()
}

/// Pretty JSON with a trailing newline, as the other JSON outputs.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
