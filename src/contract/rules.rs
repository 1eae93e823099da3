//! The conformance rules of DESIGN §5: one response body (plus what a capture recorded of its
//! transport) in, a list of violations out. Pure: no I/O, no printing, no severity policy
//! (`--allow`/`--deny`/`--strict` are applied by `crate::check`).

use super::catalog::{Catalog, ErrorContract, PropertyType, Retryability, Text, TicketRule};
use super::json::{self, Document, IntegerValue, Kind, Member, Scratch, Spare, Value};
use super::pointer;
use super::text::quote;
use std::borrow::Cow;
use std::cell::RefCell;
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

            /// The rule's place in [`RuleId::ALL`] (SARIF's `ruleIndex`, tally slots).
            pub fn index(self) -> usize {
                self as usize
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
    TicketDetailMismatch = "ticket-detail-mismatch", Error, "detail embeds a [ticket: …] other than the ticket member";
    TypeFormat = "type-format", Error, "type is not a URI reference";
    InstanceFormat = "instance-format", Error, "instance is not an absolute-path reference";
    DetailPrefix = "detail-prefix", Warning, "detail does not start with '<CODE>: '";
    ExtensionMember = "extension-member", Warning, "an unexpected top-level member";
    ReservedCode = "reserved-code", Warning, "the code is documented as not raised by this server version";
    ExpectedCode = "expected-code", Error, "errorCode differs from the one given with --expect";
    HttpStatus = "http-status", Error, "the captured HTTP status differs from the body's status";
    ContentType = "content-type", Error, "the captured Content-Type is not application/problem+json";
    IdempotencyConflictMissed = "idempotency-conflict-missed", Error, "an Idempotency-Key reused with a different body was not refused with 409 IDEMPOTENCY_CONFLICT";
    IdempotencyReplayMismatch = "idempotency-replay-mismatch", Warning, "a request replayed with the same Idempotency-Key and body got a different status";
    IdempotencyKeyReusedAcrossEndpoints = "idempotency-key-reused-across-endpoints", Warning, "an Idempotency-Key is used on more than one method and URL";
    BodyNotCaptured = "body-not-captured", Error, "the capture recorded the response without its body";
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
    /// The rule's own help topic, `check <rule-id>`.
    pub fn topic(self) -> HelpTopic {
        HelpTopic::Rule(self)
    }
}

/// The help topic that explains a violation: the code's page for the facts of a catalog code,
/// otherwise the rule's own page. A value, not a string, so that a finding costs no
/// allocation for it; reports print it as the words after `cyoda help`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpTopic {
    /// `check <rule-id>`.
    Rule(RuleId),
    /// `errors <CODE>`: a code of the catalog (never text taken from a response).
    Code(Text),
}

impl HelpTopic {
    /// The dotted topic id: `errors.IDEMPOTENCY_CONFLICT`, `check.title-mismatch`.
    pub fn id(&self) -> String {
        match self {
            HelpTopic::Rule(rule) => format!("check.{rule}"),
            HelpTopic::Code(code) => format!("errors.{code}"),
        }
    }
}

impl HelpTopic {
    /// The two words after `cyoda help`: `("errors", "IDEMPOTENCY_CONFLICT")`.
    pub fn words(&self) -> (&'static str, &str) {
        match self {
            HelpTopic::Rule(rule) => ("check", rule.as_str()),
            HelpTopic::Code(code) => ("errors", code),
        }
    }
}

impl std::fmt::Display for HelpTopic {
    /// The words after `cyoda help`: `errors IDEMPOTENCY_CONFLICT`, `check title-mismatch`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HelpTopic::Rule(rule) => write!(f, "check {rule}"),
            HelpTopic::Code(code) => write!(f, "errors {code}"),
        }
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
    /// A byte range of the input file itself, for findings that are not about one body (the
    /// HAR idempotency rules point at a request's `Idempotency-Key` header). Never produced by
    /// [`check_body`].
    Capture(Range<usize>),
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
    /// The help topic to point the user at.
    pub help_topic: HelpTopic,
    /// JSON Pointer of the member reported on, for body targets in the envelope's first two
    /// levels (filled in by [`check_body`], which holds the parsed body).
    pub pointer: Option<String>,
    /// A second place that explains the finding (the first use of a reused idempotency key,
    /// the first occurrence of a repeated member name).
    pub related: Option<Related>,
}

/// A second place a violation points at, and what to say there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub target: Target,
    /// Printed under the second place, e.g. `first used here`.
    pub label: String,
    /// The primary label ends with where this place is (`first at` becomes `first at line 3,
    /// column 5`). Rules know byte offsets of the body only; line and column in the input are
    /// known where the input is, so the checker writes them. Machine reports show the primary
    /// label alone, which must then say where the other place is.
    pub cited: bool,
}

impl Related {
    /// A second label at `target`.
    pub fn new(target: Target, label: &str) -> Self {
        Related {
            target,
            label: label.to_string(),
            cited: false,
        }
    }

    /// A second label at `target` whose position the primary label cites.
    pub fn cited(target: Target, label: &str) -> Self {
        Related {
            cited: true,
            ..Related::new(target, label)
        }
    }
}

impl Violation {
    /// A violation on `target` with no pointer and no related place.
    pub fn new(
        rule: RuleId,
        message: String,
        target: Target,
        label: Option<String>,
        help_topic: HelpTopic,
    ) -> Self {
        Violation {
            rule,
            message,
            target,
            label,
            help_topic,
            pointer: None,
            related: None,
        }
    }
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

thread_local! {
    /// The JSON reader's work buffers and the last document's, reused by every call on this
    /// thread.
    static BUFFERS: RefCell<(Scratch, Spare)> = RefCell::default();
}

/// Applies every rule to one response body and appends what it finds to `out`; returns the
/// body's `properties.errorCode` when it has a string one (reports key findings by it).
///
/// Every violation is reported, not only the first; a rule that cannot be evaluated (its
/// inputs are missing or of the wrong type) is skipped, since another violation already
/// covers the cause. Findings about the captured transport come first, then the body's in
/// document order. Allocates only for what it reports (plus small per-body member lists).
///
/// Decisions worth knowing:
/// - `status` is an integer by value, as in JSON Schema: `409.0` and `4.09e2` are 409; a
///   fraction, or an integer beyond `i64` (`1e400`), is `wrong-type`.
/// - When a member name repeats, the last occurrence is the one the rules read.
/// - With an unknown or absent errorCode, the ticket rules fall back to the status class (5xx
///   required, 4xx absent); `detail-prefix` still applies to any string errorCode, with help
///   topic `errors.<CODE>` only for a known code.
/// - `duplicate-member` points its related label at the first occurrence, and its primary label
///   cites where that is (`first at line 3, column 5`, filled in by the checker).
pub fn check_body<'a>(
    body: &'a [u8],
    catalog: &Catalog,
    transport: &Transport,
    options: &CheckOptions,
    out: &mut Vec<Violation>,
) -> Option<Cow<'a, str>> {
    let first = out.len();
    check_content_type(transport, out);
    let mut check = |scratch: &mut Scratch, spare: &mut Spare| {
        check_json(body, scratch, spare, catalog, transport, options, out)
    };
    let reused = BUFFERS
        .try_with(|cell| {
            let mut buffers = cell.try_borrow_mut().ok()?;
            let (scratch, spare) = &mut *buffers;
            Some(check(scratch, spare))
        })
        .ok()
        .flatten();
    // The thread's buffers are gone (it is ending) or in use: fresh ones.
    let error_code =
        reused.unwrap_or_else(|| check(&mut Scratch::default(), &mut Spare::default()));
    if let Some(found) = out.get_mut(first..) {
        // Stable: violations at one offset keep the order the rules ran in.
        found.sort_by_key(|violation| match &violation.target {
            Target::CapturedStatus => (0, 0),
            Target::CapturedContentType => (1, 0),
            Target::Body(span) => (2, span.start),
            Target::Capture(span) => (3, span.start),
        });
    }
    error_code
}

/// The rules of the body as JSON, with the reader's buffers; returns `properties.errorCode`.
fn check_json<'a>(
    body: &'a [u8],
    scratch: &mut Scratch,
    spare: &mut Spare,
    catalog: &Catalog,
    transport: &Transport,
    options: &CheckOptions,
    out: &mut Vec<Violation>,
) -> Option<Cow<'a, str>> {
    let first = out.len();
    let document = match json::parse_reusing(body, scratch, spare) {
        Ok(document) => document,
        Err(error) => {
            let message = error.to_string();
            push(out, RuleId::InvalidJson, message, error.span(), None, None);
            return None;
        }
    };
    check_document(&document, catalog, transport, options, out);
    let error_code = document
        .get("properties")
        .and_then(|properties| json::find(document.children(properties), "errorCode"))
        .and_then(|code| code.value.string());
    // The document is at hand: name each body finding's member for the reports.
    for violation in out.iter_mut().skip(first) {
        if let Target::Body(span) = &violation.target {
            violation.pointer = pointer::pointer(&document, span);
        }
    }
    document.recycle(spare);
    error_code
}

/// The findings on a response whose capture holds no body (a Playwright HAR recorded with
/// `content: 'omit'`): `body-not-captured` on `target`, saying what is missing (`what`), and
/// what the transport alone still shows (`content-type`). Appended to `out`.
pub fn check_uncaptured(
    transport: &Transport,
    target: Target,
    what: &str,
    out: &mut Vec<Violation>,
) {
    check_content_type(transport, out);
    let status = transport
        .status
        .map_or_else(String::new, |status| format!("{status} "));
    out.push(Violation::new(
        RuleId::BodyNotCaptured,
        format!("the capture holds no body for this {status}response ({what}), so its envelope cannot be checked"),
        target,
        Some("no body recorded".to_string()),
        RuleId::BodyNotCaptured.topic(),
    ));
}

const PROBLEM_JSON: &str = "application/problem+json";

fn check_content_type(transport: &Transport, out: &mut Vec<Violation>) {
    let message = match &transport.content_type {
        None => return,
        Some(None) => {
            format!("the captured response has no Content-Type header (expected {PROBLEM_JSON})")
        }
        Some(Some(value)) => {
            let essence = value
                .split_once(';')
                .map_or(value.as_str(), |(essence, _)| essence);
            if essence.trim().eq_ignore_ascii_case(PROBLEM_JSON) {
                return;
            }
            format!("Content-Type is {}, not {PROBLEM_JSON}", quote(value))
        }
    };
    out.push(Violation::new(
        RuleId::ContentType,
        message,
        Target::CapturedContentType,
        Some(format!("expected {PROBLEM_JSON}")),
        RuleId::ContentType.topic(),
    ));
}

/// Appends a violation on a body span; `code` makes the help topic `errors.<code>`.
fn push(
    out: &mut Vec<Violation>,
    rule: RuleId,
    message: String,
    span: Range<usize>,
    label: Option<String>,
    code: Option<&Text>,
) {
    let help_topic = match code {
        Some(code) => HelpTopic::Code(code.clone()),
        None => rule.topic(),
    };
    out.push(Violation::new(
        rule,
        message,
        Target::Body(span),
        label,
        help_topic,
    ));
}

/// The top-level members the envelope defines, each the last of its name.
#[derive(Default)]
struct Envelope<'d, 'a> {
    type_: Option<&'d Member<'a>>,
    title: Option<&'d Member<'a>>,
    status: Option<&'d Member<'a>>,
    detail: Option<&'d Member<'a>>,
    instance: Option<&'d Member<'a>>,
    ticket: Option<&'d Member<'a>>,
    properties: Option<&'d Member<'a>>,
}

/// What the envelope's members turned out to be, for the rules that combine them.
struct Read<'d, 'a> {
    envelope: Envelope<'d, 'a>,
    /// The top-level object's opening brace (where a missing member is reported).
    brace: Range<usize>,
    title: Option<(&'d str, &'d Member<'a>)>,
    status: Option<(i64, &'d Member<'a>)>,
    detail: Option<(&'d str, &'d Member<'a>)>,
    /// The members of `properties`; empty when it is absent or not an object.
    properties: &'d [Member<'a>],
    /// The opening brace of `properties`, when it is an object.
    properties_brace: Option<Range<usize>>,
    code_member: Option<&'d Member<'a>>,
    code: Option<(&'d str, &'d Member<'a>)>,
    retryable_member: Option<&'d Member<'a>>,
    retryable: Option<(bool, &'d Member<'a>)>,
}

fn check_document(
    document: &Document<'_>,
    catalog: &Catalog,
    transport: &Transport,
    options: &CheckOptions,
    out: &mut Vec<Violation>,
) {
    check_duplicates(document, out);
    if document.root_kind() != Kind::Object {
        not_an_object(document, out);
        return;
    }
    let root = document.root_span();
    let brace = root.start..root.start + 1;
    let envelope = envelope(document, out);
    check_required(&envelope, &brace, out);
    let read = read_members(document, envelope, brace, out);
    let contract = read.code.and_then(|(code, _)| catalog.get(code));
    if let (Some((code, member)), None) = (read.code, contract) {
        check_unknown_code(out, catalog, code, member);
    }
    if let Some(expected) = &options.expect {
        check_expected(out, &read, expected);
    }
    if let Some(contract) = contract {
        check_code_facts(out, contract, &read);
        if let Some((_, member)) = read.code
            && contract.reserved
        {
            push(
                out,
                RuleId::ReservedCode,
                [
                    &*contract.code,
                    " is documented as not raised by cyoda-go ",
                    &catalog.version,
                ]
                .concat(),
                member.value_span.clone(),
                None,
                Some(&contract.code),
            );
        }
    }
    if let (Some((title, member)), Some((status, _))) = (read.title, read.status) {
        check_title(out, title, status, member);
    }
    check_ticket(out, contract, &read);
    check_detail(out, contract, &read);
    if let (Some(captured), Some((status, _))) = (transport.status, read.status)
        && i64::from(captured) != status
    {
        out.push(Violation::new(
            RuleId::HttpStatus,
            format!("the captured HTTP status is {captured}, but the body's status is {status}"),
            Target::CapturedStatus,
            Some(format!("expected {status}")),
            RuleId::HttpStatus.topic(),
        ));
    }
}

/// `duplicate-member`, at any depth. The label cites the first occurrence's line and column,
/// which only the checker knows: the rules see the body, not the input it sits in (an NDJSON
/// line, a JSON string inside a HAR entry), so a body-relative line would be wrong everywhere
/// but in a file that is one body.
fn check_duplicates(document: &Document<'_>, out: &mut Vec<Violation>) {
    for duplicate in document.duplicates() {
        let message = match duplicate.occurrence {
            2 => format!("member {} appears twice", quote(&duplicate.name)),
            n => format!("member {} appears {n} times", quote(&duplicate.name)),
        };
        let mut violation = Violation::new(
            RuleId::DuplicateMember,
            message,
            Target::Body(duplicate.span.clone()),
            Some("first at".to_string()),
            RuleId::DuplicateMember.topic(),
        );
        violation.related = Some(Related::cited(
            Target::Body(duplicate.first.clone()),
            "first occurrence",
        ));
        out.push(violation);
    }
}

fn not_an_object(document: &Document<'_>, out: &mut Vec<Violation>) {
    let root = document.root_span();
    let span = match document.root_kind() {
        Kind::Array => root.start..root.start + 1,
        _ => root,
    };
    let message = format!(
        "the top-level value is {}, not an object",
        document.root_kind().describe()
    );
    push(out, RuleId::NotAnObject, message, span, None, None);
}

/// The envelope's members; reports every other top-level member as `extension-member`.
fn envelope<'d, 'a>(document: &'d Document<'a>, out: &mut Vec<Violation>) -> Envelope<'d, 'a> {
    let mut envelope = Envelope::default();
    for member in document.members() {
        let slot = match member.name.as_ref() {
            "type" => &mut envelope.type_,
            "title" => &mut envelope.title,
            "status" => &mut envelope.status,
            "detail" => &mut envelope.detail,
            "instance" => &mut envelope.instance,
            "ticket" => &mut envelope.ticket,
            "properties" => &mut envelope.properties,
            name => {
                if !member.repeated {
                    let message = format!(
                        "unexpected top-level member {} (Cyoda keeps extension members in \"properties\")",
                        quote(name)
                    );
                    push(
                        out,
                        RuleId::ExtensionMember,
                        message,
                        member.name_span.clone(),
                        None,
                        None,
                    );
                }
                continue;
            }
        };
        *slot = Some(member);
    }
    envelope
}

fn check_required(envelope: &Envelope<'_, '_>, brace: &Range<usize>, out: &mut Vec<Violation>) {
    let required = [
        ("type", envelope.type_),
        ("title", envelope.title),
        ("status", envelope.status),
        ("instance", envelope.instance),
        ("properties", envelope.properties),
    ];
    for (name, slot) in required {
        if slot.is_none() {
            missing(out, name, brace.clone());
        }
    }
}

/// Checks each member's type and format on its own, and reads what the other rules combine.
fn read_members<'d, 'a>(
    document: &'d Document<'a>,
    envelope: Envelope<'d, 'a>,
    brace: Range<usize>,
    out: &mut Vec<Violation>,
) -> Read<'d, 'a> {
    if let Some((value, member)) = string_member(out, "type", envelope.type_) {
        check_type(out, value, member);
    }
    let title = string_member(out, "title", envelope.title);
    let status = status_member(out, envelope.status);
    let detail = string_member(out, "detail", envelope.detail);
    if let Some((value, member)) = string_member(out, "instance", envelope.instance) {
        check_instance(out, value, member);
    }
    if let Some((value, member)) = string_member(out, "ticket", envelope.ticket) {
        check_ticket_format(out, value, member);
    }

    let mut properties: &[Member<'_>] = &[];
    let mut properties_brace = None;
    if let Some(member) = envelope.properties {
        if member.kind() == Kind::Object {
            properties = document.children(member);
            properties_brace = Some(member.value_span.start..member.value_span.start + 1);
        } else {
            wrong_type(out, "properties", "an object", member);
        }
    }
    let code_member = json::find(properties, "errorCode");
    if let (None, Some(brace)) = (code_member, &properties_brace) {
        missing(out, "properties.errorCode", brace.clone());
    }
    let code = string_member(out, "properties.errorCode", code_member);
    let retryable_member = json::find(properties, "retryable");
    let retryable = retryable_member.and_then(|member| match member.value.as_bool() {
        Some(value) => Some((value, member)),
        None => {
            wrong_type(out, "properties.retryable", "a boolean", member);
            None
        }
    });
    Read {
        envelope,
        brace,
        title,
        status,
        detail,
        properties,
        properties_brace,
        code_member,
        code,
        retryable_member,
        retryable,
    }
}

fn check_type(out: &mut Vec<Violation>, value: &str, member: &Member<'_>) {
    // The literal every cyoda-go response carries needs no parser.
    if value != "about:blank" && iri_string::types::UriReferenceStr::new(value).is_err() {
        push(
            out,
            RuleId::TypeFormat,
            format!("type {} is not a URI reference", quote(value)),
            member.value_span.clone(),
            Some("expected a URI reference such as \"about:blank\"".to_string()),
            None,
        );
    }
}

fn check_ticket_format(out: &mut Vec<Violation>, value: &str, member: &Member<'_>) {
    // `try_parse` also takes the simple, braced and URN forms; the envelope uses only the
    // 36-character hyphenated one.
    if value.len() != 36 || uuid::Uuid::try_parse(value).is_err() {
        push(
            out,
            RuleId::TicketFormat,
            format!("ticket {} is not a hyphenated UUID", quote(value)),
            member.value_span.clone(),
            Some("expected 8-4-4-4-12 hex digits".to_string()),
            None,
        );
    }
}

/// `unknown-code`: a code of another version names it; any other suggests the closest.
fn check_unknown_code(
    out: &mut Vec<Violation>,
    catalog: &Catalog,
    code: &str,
    member: &Member<'_>,
) {
    match catalog.elsewhere(code) {
        // A code of another version: its page explains where it exists.
        Some(elsewhere) => push(
            out,
            RuleId::UnknownCode,
            format!(
                "{} is not in cyoda-go {} ({})",
                elsewhere.code, catalog.version, elsewhere.note
            ),
            member.value_span.clone(),
            Some(format!("not a cyoda-go {} code", catalog.version)),
            Some(&elsewhere.code),
        ),
        None => {
            let label = catalog
                .closest(code)
                .map(|closest| format!("did you mean {closest}?"));
            push(
                out,
                RuleId::UnknownCode,
                format!(
                    "errorCode {} is in no version of the cyoda-go catalog",
                    quote(code)
                ),
                member.value_span.clone(),
                label,
                None,
            );
        }
    }
}

/// `expected-code`: `--expect CODE` against the body's errorCode.
fn check_expected(out: &mut Vec<Violation>, read: &Read<'_, '_>, expected: &str) {
    let (message, span) = match (read.code, read.code_member) {
        (Some((code, _)), _) if code == expected => return,
        (Some((code, member)), _) => (
            format!(
                "errorCode is {}, but --expect requires {}",
                quote(code),
                quote(expected)
            ),
            member.value_span.clone(),
        ),
        (None, Some(member)) => (
            format!(
                "errorCode is not a string, but --expect requires {}",
                quote(expected)
            ),
            member.value_span.clone(),
        ),
        (None, None) => (
            format!(
                "the response has no errorCode, but --expect requires {}",
                quote(expected)
            ),
            read.properties_brace
                .clone()
                .unwrap_or_else(|| read.brace.clone()),
        ),
    };
    let label = Some(format!("expected {}", quote(expected)));
    push(out, RuleId::ExpectedCode, message, span, label, None);
}

/// `detail-prefix` and `ticket-detail-mismatch`.
fn check_detail(out: &mut Vec<Violation>, contract: Option<&ErrorContract>, read: &Read<'_, '_>) {
    let Some((detail, member)) = read.detail else {
        return;
    };
    if let Some((code, _)) = read.code {
        let prefixed = detail
            .strip_prefix(code)
            .is_some_and(|rest| rest.starts_with(": "));
        if !prefixed {
            push(
                out,
                RuleId::DetailPrefix,
                format!("detail does not start with {}", quote(&format!("{code}: "))),
                member.value_span.clone(),
                None,
                contract.map(|contract| &contract.code),
            );
        }
    }
    if let Some(ticket) = read.envelope.ticket.and_then(|t| t.value.as_str()) {
        check_ticket_in_detail(out, detail, member, ticket);
    }
}

/// `[ticket: <uuid>]` in a detail must name the `ticket` member's UUID: support staff look a
/// ticket up by the value a user copies from the detail.
fn check_ticket_in_detail(
    out: &mut Vec<Violation>,
    detail: &str,
    member: &Member<'_>,
    ticket: &str,
) {
    const OPEN: &str = "[ticket: ";
    let Some((before, rest)) = detail.split_once(OPEN) else {
        return;
    };
    let start = before.len();
    let Some((embedded, _)) = rest.split_once(']') else {
        return;
    };
    let embedded = embedded.trim();
    let same = match (
        uuid::Uuid::try_parse(embedded),
        uuid::Uuid::try_parse(ticket),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => embedded == ticket,
    };
    if same {
        return;
    }
    // Point at the embedded value when the JSON string has no escapes (its text is the
    // decoded one); otherwise at the whole detail.
    let raw = member.value_span.clone();
    let span = match &member.value {
        Value::String(std::borrow::Cow::Borrowed(_)) => {
            let from = raw.start + 1 + start + OPEN.len() + (rest.len() - rest.trim_start().len());
            from..from + embedded.len()
        }
        _ => raw,
    };
    push(
        out,
        RuleId::TicketDetailMismatch,
        format!(
            "detail names ticket {}, but the ticket member is {}",
            quote(embedded),
            quote(ticket)
        ),
        span,
        Some(format!("expected {}", quote(ticket))),
        None,
    );
}

fn missing(out: &mut Vec<Violation>, name: &str, brace: Range<usize>) {
    push(
        out,
        RuleId::MissingMember,
        format!("missing member \"{name}\""),
        brace,
        Some(format!("this object has no \"{name}\"")),
        None,
    );
}

fn wrong_type(out: &mut Vec<Violation>, name: &str, expected: &str, member: &Member<'_>) {
    push(
        out,
        RuleId::WrongType,
        format!(
            "member \"{name}\" must be {expected}, found {}",
            member.kind().describe()
        ),
        member.value_span.clone(),
        Some(format!("expected {expected}")),
        None,
    );
}

/// The member's string value, or a wrong-type violation.
fn string_member<'d, 'a>(
    out: &mut Vec<Violation>,
    name: &str,
    member: Option<&'d Member<'a>>,
) -> Option<(&'d str, &'d Member<'a>)> {
    let member = member?;
    match member.value.as_str() {
        Some(value) => Some((value, member)),
        None => {
            wrong_type(out, name, "a string", member);
            None
        }
    }
}

/// `status` as an integer (`409`, `409.0` and `4.09e2` all are), or a wrong-type violation.
fn status_member<'d, 'a>(
    out: &mut Vec<Violation>,
    member: Option<&'d Member<'a>>,
) -> Option<(i64, &'d Member<'a>)> {
    let member = member?;
    let lexeme = match member.value {
        Value::Number(lexeme) => lexeme,
        _ => {
            wrong_type(out, "status", "an integer", member);
            return None;
        }
    };
    let shown = super::text::escape_for_display(lexeme);
    let message = match json::integer_value(lexeme) {
        Some(IntegerValue::Exact(status)) => return Some((status, member)),
        Some(IntegerValue::OutOfRange) => format!(
            "member \"status\" must be an integer HTTP status, found {shown}, which is too large to represent"
        ),
        Some(IntegerValue::Fraction) | None => {
            format!("member \"status\" must be an integer, found {shown}")
        }
    };
    push(
        out,
        RuleId::WrongType,
        message,
        member.value_span.clone(),
        Some("expected an integer".to_string()),
        None,
    );
    None
}

fn check_instance(out: &mut Vec<Violation>, value: &str, member: &Member<'_>) {
    // An absolute-path reference: a relative reference (no scheme, no authority) whose path
    // starts with one `/`; `//host/...` would be a network-path reference.
    let is_path = value.starts_with('/')
        && !value.starts_with("//")
        && (value.bytes().all(is_plain_path_byte)
            || iri_string::types::UriReferenceStr::new(value).is_ok());
    if is_path {
        return;
    }
    let message = if value.is_empty() {
        "instance is empty, but it must be an absolute-path reference".to_string()
    } else {
        format!(
            "instance {} is not an absolute-path reference (a URI path starting with a single \"/\")",
            quote(value)
        )
    };
    push(
        out,
        RuleId::InstanceFormat,
        message,
        member.value_span.clone(),
        Some("expected a path such as \"/entity/1\"".to_string()),
        None,
    );
}

/// A byte that may appear anywhere in a URI path as itself (RFC 3986 `pchar` and `/`, without
/// `%`): a path of these alone is valid without asking the URI parser.
#[allow(clippy::indexing_slicing)] // why: a u8 always indexes a 256-entry table
fn is_plain_path_byte(byte: u8) -> bool {
    // A table: this runs on every byte of every response's `instance`.
    static PLAIN: [bool; 256] = {
        let mut table = [false; 256];
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            table[byte] = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b':'
                        | b'@'
                        | b'/'
                );
            byte += 1;
        }
        table
    };
    PLAIN[usize::from(byte)]
}

/// Rules about the documented facts of a known code.
fn check_code_facts(out: &mut Vec<Violation>, contract: &ErrorContract, read: &Read<'_, '_>) {
    let code = contract.code.as_ref();
    let properties = read.properties;
    let properties_brace = read
        .properties_brace
        .clone()
        .unwrap_or_else(|| read.brace.clone());
    for (name, expected) in contract.properties.iter() {
        if name == "errorCode" || name == "retryable" {
            continue;
        }
        if let Some(member) = json::find(properties, name)
            && !property_matches(*expected, &member.value)
        {
            let path = format!("properties.{name}");
            wrong_type(out, &path, property_describe(*expected), member);
        }
    }

    if let Some((status, member)) = read.status
        && status != i64::from(contract.status)
    {
        push(
            out,
            RuleId::StatusMismatch,
            format!(
                "status is {status}, but {code} is documented with {}",
                contract.status
            ),
            member.value_span.clone(),
            Some(format!("expected {}", contract.status)),
            Some(&contract.code),
        );
    }

    let retry = match (contract.retryable, read.retryable) {
        (Retryability::Yes, Some((false, member))) => Some((
            format!("properties.retryable is false, but {code} is documented as retryable"),
            member.value_span.clone(),
            "expected true",
        )),
        (Retryability::Yes, None) if read.retryable_member.is_none() => Some((
            format!("properties.retryable is absent, but {code} is documented as retryable"),
            properties_brace,
            "expected \"retryable\": true",
        )),
        (Retryability::No, Some((true, member))) => Some((
            format!("properties.retryable is true, but {code} is documented as not retryable"),
            member.value_span.clone(),
            "expected false or no \"retryable\"",
        )),
        _ => None,
    };
    if let Some((message, span, label)) = retry {
        push(
            out,
            RuleId::RetryableMismatch,
            message,
            span,
            Some(label.to_string()),
            Some(&contract.code),
        );
    }
}

fn property_matches(expected: PropertyType, value: &Value<'_>) -> bool {
    match expected {
        PropertyType::String => value.kind() == Kind::String,
        PropertyType::Number => value.kind() == Kind::Number,
        PropertyType::Integer => value.as_number().is_some_and(|lexeme| {
            matches!(
                json::integer_value(lexeme),
                Some(IntegerValue::Exact(_) | IntegerValue::OutOfRange)
            )
        }),
        PropertyType::Boolean => value.as_bool().is_some(),
        PropertyType::Object => value.kind() == Kind::Object,
        PropertyType::Array => value.kind() == Kind::Array,
    }
}

fn property_describe(expected: PropertyType) -> &'static str {
    match expected {
        PropertyType::String => "a string",
        PropertyType::Integer => "an integer",
        PropertyType::Number => "a number",
        PropertyType::Boolean => "a boolean",
        PropertyType::Object => "an object",
        PropertyType::Array => "an array",
    }
}

/// Reason phrases accepted besides the `http` crate's canonical one. cyoda-go writes
/// `http.StatusText`, and Go's `net/http` still uses the RFC 2616/7231 names where RFC 9110
/// renamed a status (413, 414, 416) and spells 203 with a hyphen; RFC 9110's own new names
/// (413, 422) are accepted too, since other servers send them.
const OTHER_REASON_PHRASES: &[(u16, &[&str])] = &[
    (203, &["Non-Authoritative Information"]),
    (413, &["Request Entity Too Large", "Content Too Large"]),
    (414, &["Request URI Too Long", "Request-URI Too Long"]),
    (416, &["Requested Range Not Satisfiable"]),
    (418, &["I'm a teapot"]),
    (422, &["Unprocessable Entity", "Unprocessable Content"]),
];

/// The canonical reason phrase of `status` and the other accepted ones; `None` when the
/// status has no known phrase.
pub fn reason_phrases(status: i64) -> Option<(&'static str, &'static [&'static str])> {
    let status = u16::try_from(status).ok()?;
    let canonical = http::StatusCode::from_u16(status)
        .ok()?
        .canonical_reason()?;
    let others = OTHER_REASON_PHRASES
        .iter()
        .find(|(code, _)| *code == status)
        .map_or(&[][..], |(_, names)| names);
    Some((canonical, others))
}

fn check_title(out: &mut Vec<Violation>, title: &str, status: i64, member: &Member<'_>) {
    let Some((canonical, others)) = reason_phrases(status) else {
        return;
    };
    if title == canonical || others.contains(&title) {
        return;
    }
    let mut message = format!(
        "title is {}, but the reason phrase of {status} is {}",
        quote(title),
        quote(canonical)
    );
    let others: Vec<String> = others
        .iter()
        .filter(|other| **other != canonical)
        .map(|other| quote(other))
        .collect();
    if !others.is_empty() {
        message.push_str(&format!(" (or {})", others.join(", ")));
    }
    push(
        out,
        RuleId::TitleMismatch,
        message,
        member.value_span.clone(),
        Some(format!("expected {}", quote(canonical))),
        None,
    );
}

fn check_ticket(out: &mut Vec<Violation>, contract: Option<&ErrorContract>, read: &Read<'_, '_>) {
    let (status, ticket, brace) = (read.status, read.envelope.ticket, read.brace.clone());
    // A known code decides; otherwise the status class does (5xx carry a ticket, 4xx none).
    let (rule, code) = match (contract, status) {
        (Some(contract), _) => (contract.ticket, Some(&contract.code)),
        (None, Some((500..=599, _))) => (TicketRule::Required, None),
        (None, Some((400..=499, _))) => (TicketRule::Absent, None),
        (None, _) => return,
    };
    let status = status.map_or(0, |(status, _)| status);
    match (rule, ticket) {
        (TicketRule::Required, None) => {
            let message = match code {
                Some(code) => format!("ticket is missing, but {code} is documented with a ticket"),
                None => format!("ticket is missing, but a {status} response carries one"),
            };
            push(
                out,
                RuleId::TicketMissing,
                message,
                brace,
                Some("this object has no \"ticket\"".to_string()),
                code,
            );
        }
        (TicketRule::Absent, Some(member)) => {
            let message = match code {
                Some(code) => format!("ticket is present, but {code} is documented without one"),
                None => format!("ticket is present, but a {status} response carries none"),
            };
            push(
                out,
                RuleId::TicketUnexpected,
                message,
                member.span(),
                Some("unexpected \"ticket\"".to_string()),
                code,
            );
        }
        _ => {}
    }
}
