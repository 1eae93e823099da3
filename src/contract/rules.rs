//! The conformance rules of DESIGN §5: one response body (plus what a capture recorded of its
//! transport) in, a list of violations out. Pure: no I/O, no printing, no severity policy
//! (`--allow`/`--deny`/`--strict` are applied by `crate::check`).

use super::catalog::Catalog;
use std::ops::Range;

/// Severity a rule reports at by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $summary:literal;)*) => {
        /// Identifier of one conformance rule; `as_str` is the id users see and type.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant,)* }

        impl RuleId {
            /// Every rule, in documentation order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(RuleId::$variant => Severity::$severity,)* }
            }

            /// One line saying what the rule reports.
            pub fn summary(self) -> &'static str {
                match self { $(RuleId::$variant => $summary,)* }
            }
        }
    };
}

rules! {
    InvalidJson = "invalid-json", Error, "the body is not RFC 8259 JSON";
    NotAnObject = "not-an-object", Error, "the top-level value is not an object";
    DuplicateMember = "duplicate-member", Error, "an object repeats a member name";
    MissingMember = "missing-member", Error, "a required envelope member is absent";
    WrongType = "wrong-type", Error, "a member has the wrong JSON type";
    UnknownCode = "unknown-code", Error, "properties.errorCode is not in the catalog";
    StatusMismatch = "status-mismatch", Error, "status differs from the code's documented status";
    TitleMismatch = "title-mismatch", Error, "title is not the reason phrase of status";
    RetryableMismatch = "retryable-mismatch", Error, "properties.retryable contradicts the documented retryability";
    TicketMissing = "ticket-missing", Error, "a response documented with a ticket has none";
    TicketUnexpected = "ticket-unexpected", Error, "a response documented without a ticket has one";
    TicketFormat = "ticket-format", Error, "ticket is not a UUID";
    TypeFormat = "type-format", Error, "type is not a URI reference";
    InstanceFormat = "instance-format", Error, "instance is not an absolute-path reference";
    DetailPrefix = "detail-prefix", Warning, "detail does not start with '<CODE>: '";
    ExtensionMember = "extension-member", Warning, "an unexpected top-level member";
    ReservedCode = "reserved-code", Warning, "the code is documented as not raised by this server version";
    ExpectedCode = "expected-code", Error, "errorCode differs from the one given with --expect";
    HttpStatus = "http-status", Error, "the captured HTTP status differs from the body's status";
    ContentType = "content-type", Error, "the captured Content-Type is not application/problem+json";
}

impl RuleId {
    /// Parses a rule id as users type it: any case, `_` or `-`.
    pub fn parse(text: &str) -> Option<RuleId> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        RuleId::ALL
            .iter()
            .copied()
            .find(|rule| rule.as_str() == wanted)
    }

    /// The help topic that documents the rule itself: `check.<rule-id>`.
    pub fn topic(self) -> String {
        format!("check.{}", self.as_str())
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a violation points at. Body offsets are byte offsets into the body passed to
/// [`check_body`]; the input reader maps them (and the captured-transport targets) to a file
/// position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A byte range of the body.
    Body(Range<usize>),
    /// The captured HTTP status (status line, or HAR `response.status`).
    CapturedStatus,
    /// The captured `Content-Type` header (or where it should have been).
    CapturedContentType,
}

/// One broken rule in one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: RuleId,
    /// One sentence; any text quoted from the response is already escaped for display.
    pub message: String,
    pub target: Target,
    /// Short text printed under the caret, e.g. `expected 409`.
    pub label: Option<String>,
    /// Dotted help topic to point the user at: `errors.<CODE>` for code facts, otherwise the
    /// rule's own `check.<rule-id>`.
    pub help_topic: String,
}

/// What a capture recorded about the transport of the response, when it recorded anything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transport {
    /// The HTTP status of the status line or HAR entry; `None` for a bare body.
    pub status: Option<u16>,
    /// `None` for a bare body; `Some(None)` when the capture has headers but no Content-Type.
    pub content_type: Option<Option<String>>,
}

/// Per-run choices that change what the rules report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// `--expect CODE`: every response must carry this errorCode.
    pub expect: Option<String>,
}

/// Applies every rule to one response body and appends what it finds to `out`.
pub fn check_body(
    body: &[u8],
    catalog: &Catalog,
    transport: &Transport,
    options: &CheckOptions,
    out: &mut Vec<Violation>,
) {
    let _ = (body, catalog, transport, options, out);
}
