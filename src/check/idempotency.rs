//! The idempotency rules: whether a server honours `Idempotency-Key`, read from the requests and
//! responses of a HAR capture. Unlike the envelope rules, they span entries: the entries whose
//! request carries the header are grouped by key, method and URL, in capture order, and each
//! later entry of a group is compared with the first.
//!
//! - `idempotency-conflict-missed`: the key comes back with a different body and the response
//!   is not `409` IDEMPOTENCY_CONFLICT.
//! - `idempotency-replay-mismatch`: the key comes back with the same body and the response's
//!   status differs from the first completed one (status > 0; HAR writes 0 when no response
//!   arrived).
//! - `idempotency-key-reused-across-endpoints`: the key is used on another method/URL pair;
//!   reported once per new pair, on its first entry.
//!
//! Every finding is reported on the later entry and names the earlier one ("first used at
//! entry 3"); its related label ([`Violation::related`]) points at the first use's header value
//! ("first used here"). An entry without a response (status 0 or below) is grouped but never
//! compared: it says nothing about what the server did.
//!
//! # Memory
//! Entries are not kept. Per group the tracker keeps a [`Fingerprint`] of the first body (a
//! 128-bit hash), the first entry's index and header span and the first completed status; per
//! key, the index and header span of its first entry. Keys, methods and URLs are kept only as
//! hashes. The HAR reader adds, per group, the position and a short snippet of the first use's
//! header value (at most 128 bytes of its line), so a related label can point there after the
//! entry has left memory. So memory grows with the number of distinct keys (about 400 bytes
//! each: 50,000 keys take some 20 MB), not with the size of the capture or of its bodies.
//!
//! Measured (release, one core): 1,000 keyed requests in under 10 ms for the whole run;
//! 100,000 (56 MB of HAR, 50,000 keys) in 0.64 s, against 0.46 s for the same capture without
//! the header.
//!
//! # Bodies
//! Two bodies are the same when both are JSON and equal as JSON values — member order and
//! whitespace do not matter, strings compare decoded, numbers by value (`1.0`, `1` and `10e-1`
//! are equal, exactly, at any precision) — and otherwise when their bytes are equal. A JSON body
//! and a non-JSON body always differ.

use crate::contract::json::{self, Container, Scalar, Scratch};
use crate::contract::rules::{Related, RuleId, Target, Violation};
use crate::contract::text::{escape_for_display, quote};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};
use std::ops::Range;

/// A 128-bit digest of a request body: equal bodies (as defined in the module docs) have equal
/// fingerprints; different ones differ except with negligible probability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(u128);

impl Fingerprint {
    /// The fingerprint of `body`: its canonical JSON form when it is JSON, its bytes otherwise.
    pub fn of(body: &[u8]) -> Fingerprint {
        let mut digest = Digest::default();
        if json::visit(body, &mut Scratch::default(), &mut digest).is_ok()
            && let Some(digest) = digest.finish()
        {
            return Fingerprint(digest);
        }
        let mut hasher = Hasher128::new(b'b');
        hasher.bytes(body);
        Fingerprint(hasher.finish())
    }
}

/// Two independent 64-bit SipHash states (std's `DefaultHasher`, fixed keys, told apart by a
/// first byte) make one 128-bit digest. Not cryptographic: a capture is not an adversary that
/// gains anything from a collision, and the digest never leaves the process.
struct Hasher128 {
    low: DefaultHasher,
    high: DefaultHasher,
}

impl Hasher128 {
    fn new(tag: u8) -> Self {
        let mut low = DefaultHasher::new();
        let mut high = DefaultHasher::new();
        low.write_u8(0x5a);
        high.write_u8(0xa5);
        let mut hasher = Hasher128 { low, high };
        hasher.tag(tag);
        hasher
    }

    fn tag(&mut self, tag: u8) {
        self.low.write_u8(tag);
        self.high.write_u8(tag);
    }

    /// Length-prefixed, so that consecutive fields cannot run into each other.
    fn bytes(&mut self, bytes: &[u8]) {
        self.low.write_usize(bytes.len());
        self.high.write_usize(bytes.len());
        self.low.write(bytes);
        self.high.write(bytes);
    }

    fn digest(&mut self, digest: u128) {
        self.low.write_u128(digest);
        self.high.write_u128(digest);
    }

    fn int(&mut self, value: i64) {
        self.low.write_i64(value);
        self.high.write_i64(value);
    }

    fn finish(&self) -> u128 {
        (u128::from(self.high.finish()) << 64) | u128::from(self.low.finish())
    }
}

/// Digests a JSON value as the reader reads it: a scalar digests its canonical form, a
/// container its children's digests — an object after sorting its members by name (then
/// digest, so repeated names are ordered too). No recursion: the open containers are a stack,
/// as deep as the reader allows ([`json::MAX_DEPTH`]).
#[derive(Default)]
struct Digest<'a> {
    open: Vec<Open<'a>>,
    root: Option<u128>,
    /// A number whose exponent does not fit an `i64`: the body then compares as bytes.
    unrepresentable: bool,
}

enum Open<'a> {
    Array(Hasher128),
    /// The members so far, each digest filled in when its value ends.
    Object(Vec<(Cow<'a, str>, u128)>),
}

impl Digest<'_> {
    fn finish(self) -> Option<u128> {
        if self.unrepresentable {
            return None;
        }
        self.root
    }

    /// A value ended with `digest`: it belongs to the innermost open container, or is the root.
    fn done(&mut self, digest: u128) {
        match self.open.last_mut() {
            None => self.root = Some(digest),
            Some(Open::Array(hasher)) => hasher.digest(digest),
            // The reader names every member before its value, so the last member is this one.
            Some(Open::Object(members)) => {
                if let Some(member) = members.last_mut() {
                    member.1 = digest;
                }
            }
        }
    }
}

impl<'a> json::Visitor<'a> for Digest<'a> {
    fn open(&mut self, container: Container, _: usize, _: usize) {
        self.open.push(match container {
            Container::Array => Open::Array(Hasher128::new(b'[')),
            Container::Object => Open::Object(Vec::new()),
        });
    }

    fn name(&mut self, name: json::Str<'a>, _: Option<json::Repeat>, _: usize) {
        if let Some(Open::Object(members)) = self.open.last_mut() {
            members.push((name.decode(), 0));
        }
    }

    fn scalar(&mut self, scalar: Scalar<'a>, _: Range<usize>, _: usize) {
        let hasher = match scalar {
            Scalar::String(text) => {
                let mut hasher = Hasher128::new(b'"');
                hasher.bytes(text.decode().as_bytes());
                hasher
            }
            Scalar::True => Hasher128::new(b't'),
            Scalar::False => Hasher128::new(b'f'),
            Scalar::Null => Hasher128::new(b'n'),
            Scalar::Number(lexeme) => {
                let mut hasher = Hasher128::new(b'0');
                match canonical_number(lexeme.as_bytes()) {
                    Some((negative, digits, exponent)) => {
                        hasher.tag(u8::from(negative));
                        hasher.bytes(&digits);
                        hasher.int(exponent);
                    }
                    None => self.unrepresentable = true,
                }
                hasher
            }
        };
        self.done(hasher.finish());
    }

    fn close(&mut self, _: Container, _: Range<usize>, _: usize) {
        let digest = match self.open.pop() {
            Some(Open::Array(mut hasher)) => {
                hasher.tag(b']');
                hasher.finish()
            }
            Some(Open::Object(mut members)) => {
                members.sort_unstable();
                let mut hasher = Hasher128::new(b'{');
                hasher.int(i64::try_from(members.len()).unwrap_or(i64::MAX));
                for (name, value) in &members {
                    hasher.bytes(name.as_bytes());
                    hasher.digest(*value);
                }
                hasher.finish()
            }
            // The reader closes only what it opened.
            None => return,
        };
        self.done(digest);
    }
}

/// A number lexeme as (negative, significant digits without leading or trailing zeros,
/// exponent): the value is `±0.d₁d₂… × 10^(exponent)` written as digits × 10^exponent. Zero is
/// `(false, [], 0)` whatever its sign or spelling.
fn canonical_number(lexeme: &[u8]) -> Option<(bool, Vec<u8>, i64)> {
    let (negative, rest) = match lexeme.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, lexeme),
    };
    let (mantissa, exponent) = match rest.iter().position(|&b| b == b'e' || b == b'E') {
        Some(e) => (rest.get(..e)?, rest.get(e + 1..)?),
        None => (rest, &b""[..]),
    };
    let mut exponent: i64 = if exponent.is_empty() {
        0
    } else {
        std::str::from_utf8(exponent).ok()?.parse().ok()?
    };
    let (integer, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(dot) => (mantissa.get(..dot)?, mantissa.get(dot + 1..)?),
        None => (mantissa, &b""[..]),
    };
    exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let mut digits: Vec<u8> = integer.iter().chain(fraction).copied().collect();
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    while digits.last() == Some(&b'0') {
        digits.pop();
        exponent = exponent.checked_add(1)?;
    }
    if digits.is_empty() {
        return Some((false, Vec::new(), 0));
    }
    Some((negative, digits, exponent))
}

/// What the tracker needs of one entry whose request carries an `Idempotency-Key`.
#[derive(Clone, Debug)]
pub struct KeyedRequest<'a> {
    /// 1-based index of the entry in `log.entries`.
    pub index: usize,
    pub method: &'a str,
    pub url: &'a str,
    /// The header's value.
    pub key: &'a str,
    /// Where the finding points: the header value, as a byte range of the input file.
    pub span: Range<usize>,
    pub body: Fingerprint,
    /// `response.status`; 0 or below when no response arrived.
    pub status: i64,
}

/// The requests seen so far under one key, method and URL.
#[derive(Clone, Debug)]
struct Group {
    /// The first request's body.
    body: Fingerprint,
    first: usize,
    /// The first request's header value, where findings point their second label.
    first_span: Range<usize>,
    /// The first completed response to a request with `body`: its status and entry.
    completed: Option<(i64, usize)>,
}

/// The state of the idempotency rules over one capture. Feed it every keyed entry in capture
/// order with [`Tracker::observe`].
#[derive(Debug)]
pub struct Tracker {
    /// By hash of (key, method, URL).
    groups: HashMap<u128, Group>,
    /// By hash of the key: the entry where the key was first used, and its header value.
    keys: HashMap<u128, (usize, Range<usize>)>,
    /// What the capture calls the items the indices count: `entry` (HAR), `execution`, ….
    noun: &'static str,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker::new("entry")
    }
}

impl Tracker {
    /// A tracker whose messages name an item `noun N` ("first used at execution 3").
    pub fn new(noun: &'static str) -> Self {
        Tracker {
            groups: HashMap::new(),
            keys: HashMap::new(),
            noun,
        }
    }

    /// Takes in one keyed entry and appends the findings about it to `out`. `error_code` reads
    /// the response's `properties.errorCode`; it is called only when the answer matters (a
    /// changed body answered with 409).
    ///
    /// Returns whether the request is the first of its key, method and URL: later findings
    /// may point their related label ([`Violation::related`]) at its `span`, so the reader must
    /// be able to locate that span after the entry has left memory.
    pub fn observe(
        &mut self,
        request: &KeyedRequest<'_>,
        error_code: impl FnOnce() -> Option<String>,
        out: &mut Vec<Violation>,
    ) -> bool {
        let noun = self.noun;
        let key = {
            let mut hasher = Hasher128::new(b'k');
            hasher.bytes(request.key.as_bytes());
            hasher.finish()
        };
        let pair = {
            let mut hasher = Hasher128::new(b'p');
            hasher.digest(key);
            hasher.bytes(request.method.as_bytes());
            hasher.bytes(request.url.as_bytes());
            hasher.finish()
        };
        let completed = (request.status > 0).then_some((request.status, request.index));
        let Some(group) = self.groups.get_mut(&pair) else {
            self.groups.insert(
                pair,
                Group {
                    body: request.body,
                    first: request.index,
                    first_span: request.span.clone(),
                    completed,
                },
            );
            match self.keys.get(&key) {
                Some((first, first_span)) => out.push(violation(
                    RuleId::IdempotencyKeyReusedAcrossEndpoints,
                    request,
                    first_span,
                    format!(
                        "Idempotency-Key {} was first used at {noun} {first} on another method or URL, and is reused here on {} {}",
                        quote(request.key),
                        escape_for_display(request.method),
                        escape_for_display(request.url),
                    ),
                    format!("same key as {noun} {first}, another endpoint"),
                )),
                None => {
                    self.keys.insert(key, (request.index, request.span.clone()));
                }
            }
            return true;
        };
        if request.status <= 0 {
            return false;
        }
        if request.body != group.body {
            let code = if request.status == 409 {
                error_code()
            } else {
                None
            };
            if code.as_deref() == Some("IDEMPOTENCY_CONFLICT") {
                return false;
            }
            let answer = match (request.status, code) {
                (409, Some(code)) => format!("409 with errorCode {}", quote(&code)),
                (409, None) => "409 without an errorCode".to_string(),
                (status, _) => status.to_string(),
            };
            out.push(violation(
                RuleId::IdempotencyConflictMissed,
                request,
                &group.first_span,
                format!(
                    "Idempotency-Key {} was first used at {noun} {} with a different body, but the response is {answer}, not 409 IDEMPOTENCY_CONFLICT",
                    quote(request.key),
                    group.first,
                ),
                format!("same key as {noun} {}, different body", group.first),
            ));
            return false;
        }
        match group.completed {
            None => group.completed = completed,
            Some((status, _)) if status == request.status => {}
            Some((status, at)) => {
                let answered = if at == group.first {
                    format!("which got {status}")
                } else {
                    format!("and got {status} at {noun} {at}")
                };
                out.push(violation(
                    RuleId::IdempotencyReplayMismatch,
                    request,
                    &group.first_span,
                    format!(
                        "Idempotency-Key {} was first used at {noun} {} with the same body, {answered}; this replay got {}",
                        quote(request.key),
                        group.first,
                        request.status,
                    ),
                    format!("expected {status}, as at {noun} {at}"),
                ));
            }
        }
        false
    }
}

/// A finding on `request`'s header value, with a second label on the first use's.
fn violation(
    rule: RuleId,
    request: &KeyedRequest<'_>,
    first: &Range<usize>,
    message: String,
    label: String,
) -> Violation {
    let mut violation = Violation::new(
        rule,
        message,
        Target::Capture(request.span.clone()),
        Some(label),
        rule.topic(),
    );
    violation.related = Some(Related::new(
        Target::Capture(first.clone()),
        "first used here",
    ));
    violation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        Fingerprint::of(a.as_bytes()) == Fingerprint::of(b.as_bytes())
    }

    #[test]
    fn json_bodies_compare_as_values() {
        assert!(same(
            r#"{"a":1,"b":[true,null]}"#,
            "{ \"b\" : [ true , null ] ,\n \"a\" : 1 }"
        ));
        assert!(same(r#"{"n":1}"#, r#"{"n":1.0}"#));
        assert!(same(r#"{"n":1}"#, r#"{"n":10e-1}"#));
        assert!(same(r#"{"n":1200}"#, r#"{"n":1.2E+3}"#));
        assert!(same(r#"[0]"#, r#"[-0.0e5]"#));
        assert!(same(r#"["\u00e9\n"]"#, "[\"\u{e9}\\n\"]"));
        assert!(same(
            r#"{"n":123456789012345678901234567890}"#,
            r#"{"n":1.23456789012345678901234567890e29}"#
        ));
        assert!(!same(
            r#"{"n":123456789012345678901234567890}"#,
            r#"{"n":123456789012345678901234567891}"#
        ));
        assert!(!same(r#"{"n":1}"#, r#"{"n":-1}"#));
        assert!(!same(r#"{"n":1}"#, r#"{"n":"1"}"#));
        assert!(!same(r#"[1,2]"#, r#"[2,1]"#));
        assert!(!same(r#"{"a":{"b":1}}"#, r#"{"a":{"b":2}}"#));
        assert!(!same(r#"{"a":[]}"#, r#"{"a":{}}"#));
        assert!(!same(r#"{"a":[[]]}"#, r#"{"a":[[],[]]}"#));
        assert!(!same(r#"{"a":"b","c":"d"}"#, r#"{"a":"bc","":"d"}"#));
        assert!(!same("true", "false"));
        assert!(!same("null", "\"null\""));
    }

    #[test]
    fn other_bodies_compare_as_bytes() {
        assert!(same("a=1&b=2", "a=1&b=2"));
        assert!(!same("a=1&b=2", "b=2&a=1"));
        assert!(!same("{\"a\":1,}", "{\"a\":1}"));
        assert!(same("", ""));
        assert!(!same("", "{}"));
        // Not JSON (the exponent is out of range): bytes decide.
        assert!(!same("1e99999999999999999999", "10e99999999999999999998"));
        assert!(same("1e99999999999999999999", "1e99999999999999999999"));
    }

    #[test]
    fn the_deepest_accepted_nesting_is_digested() {
        let depth = json::MAX_DEPTH;
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(json::parse(deep.as_bytes()).is_ok());
        let spaced = format!("{} {}", "[".repeat(depth), "]".repeat(depth));
        assert!(same(&deep, &spaced));
        let deeper = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(!same(&deep, &deeper));
    }

    #[test]
    fn numbers_in_canonical_form() {
        let n = |s: &str| {
            canonical_number(s.as_bytes())
                .map(|(neg, d, e)| (neg, String::from_utf8(d).unwrap(), e))
        };
        assert_eq!(n("0"), Some((false, String::new(), 0)));
        assert_eq!(n("-0.000"), Some((false, String::new(), 0)));
        assert_eq!(n("120"), Some((false, "12".into(), 1)));
        assert_eq!(n("0.0120"), Some((false, "12".into(), -3)));
        assert_eq!(n("-1.5e-3"), Some((true, "15".into(), -4)));
    }

    fn keyed<'a>(
        index: usize,
        method: &'a str,
        url: &'a str,
        key: &'a str,
        body: &str,
        status: i64,
    ) -> KeyedRequest<'a> {
        KeyedRequest {
            index,
            method,
            url,
            key,
            span: index * 10..index * 10 + 3,
            body: Fingerprint::of(body.as_bytes()),
            status,
        }
    }

    fn run(requests: &[(KeyedRequest<'_>, Option<&str>)]) -> Vec<(usize, RuleId, String)> {
        let mut tracker = Tracker::default();
        let mut found = Vec::new();
        for (request, code) in requests {
            let mut out = Vec::new();
            tracker.observe(request, || code.map(str::to_string), &mut out);
            for v in out {
                assert_eq!(v.target, Target::Capture(request.span.clone()));
                // The related label sits on an earlier request's header value.
                let related = v.related.as_ref().expect("a related label");
                assert_eq!(related.label, "first used here");
                assert!(!related.cited);
                let Target::Capture(first) = &related.target else {
                    panic!("{related:?}")
                };
                assert!(first.start < request.span.start, "{related:?}");
                found.push((request.index, v.rule, v.message));
            }
        }
        found
    }

    #[test]
    fn a_changed_body_must_be_refused_with_idempotency_conflict() {
        let found = run(&[
            (keyed(1, "POST", "/e", "k", r#"{"a":1}"#, 201), None),
            (keyed(2, "POST", "/e", "k", r#"{"a":2}"#, 201), None),
            (
                keyed(3, "POST", "/e", "k", r#"{"a":3}"#, 409),
                Some("CONFLICT"),
            ),
            (
                keyed(4, "POST", "/e", "k", r#"{"a":4}"#, 409),
                Some("IDEMPOTENCY_CONFLICT"),
            ),
            (keyed(5, "POST", "/e", "k", r#"{"a":5}"#, 0), None),
        ]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].0, 2);
        assert_eq!(found[0].1, RuleId::IdempotencyConflictMissed);
        assert_eq!(
            found[0].2,
            "Idempotency-Key \"k\" was first used at entry 1 with a different body, but the response is 201, not 409 IDEMPOTENCY_CONFLICT"
        );
        assert!(
            found[1].2.contains("409 with errorCode \"CONFLICT\""),
            "{}",
            found[1].2
        );
    }

    #[test]
    fn a_replay_must_get_the_first_completed_status() {
        let found = run(&[
            (keyed(1, "POST", "/e", "k", r#"{"a":1}"#, 0), None),
            (keyed(2, "POST", "/e", "k", r#"{ "a" : 1.0 }"#, 201), None),
            (keyed(3, "POST", "/e", "k", r#"{"a":1}"#, 201), None),
            (keyed(4, "POST", "/e", "k", r#"{"a":1}"#, 500), None),
            (keyed(5, "POST", "/e", "k", r#"{"a":1}"#, 0), None),
        ]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].0, 4);
        assert_eq!(found[0].1, RuleId::IdempotencyReplayMismatch);
        assert_eq!(
            found[0].2,
            "Idempotency-Key \"k\" was first used at entry 1 with the same body, and got 201 at entry 2; this replay got 500"
        );
    }

    #[test]
    fn the_related_label_is_the_first_use_of_the_group_or_key() {
        let mut tracker = Tracker::default();
        let requests = [
            keyed(1, "POST", "/a", "k", "{}", 201),
            keyed(2, "POST", "/b", "k", "{}", 201),
            keyed(3, "POST", "/b", "k", "{\"x\":1}", 201),
        ];
        let mut firsts = Vec::new();
        let mut related = Vec::new();
        for request in &requests {
            let mut out = Vec::new();
            firsts.push(tracker.observe(request, || None, &mut out));
            related.extend(out.into_iter().map(|v| v.related.unwrap().target));
        }
        // Entries 1 and 2 open groups; entry 2's finding points at entry 1 (the key's first
        // use), entry 3's at entry 2 (its group's first).
        assert_eq!(firsts, [true, true, false]);
        assert_eq!(
            related,
            [
                Target::Capture(requests[0].span.clone()),
                Target::Capture(requests[1].span.clone())
            ]
        );
    }

    #[test]
    fn a_key_on_another_endpoint_is_reported_once_per_pair() {
        let found = run(&[
            (keyed(1, "POST", "/a", "k", "{}", 201), None),
            (keyed(2, "POST", "/b", "k", "{}", 201), None),
            (keyed(3, "POST", "/b", "k", "{}", 201), None),
            (keyed(4, "PUT", "/a", "k", "{}", 200), None),
            (keyed(5, "POST", "/a", "other", "{}", 201), None),
        ]);
        let at: Vec<(usize, RuleId)> = found.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            at,
            [
                (2, RuleId::IdempotencyKeyReusedAcrossEndpoints),
                (4, RuleId::IdempotencyKeyReusedAcrossEndpoints)
            ]
        );
        assert_eq!(
            found[0].2,
            "Idempotency-Key \"k\" was first used at entry 1 on another method or URL, and is reused here on POST /b"
        );
    }
}
