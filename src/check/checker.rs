//! Applies the rules and the run's policy to one response: the body rules of
//! `crate::contract::rules`, plus the findings of rules that look beyond one body, then
//! severities (`--allow`/`--warn`/`--deny`/`--strict`) and positions in the input.

use super::diagnostic::{CheckedResponse, Diagnostic, Label, Locator};
use super::policy::Policy;
use super::position::Place;
use crate::contract::catalog::Catalog;
use crate::contract::rules::{CheckOptions, Target, Transport, Violation, check_body};
use std::borrow::Cow;
use std::sync::Arc;

/// The signature of [`check_body`]; tests substitute rules of their own.
pub type Rules = for<'a> fn(
    &'a [u8],
    &Catalog,
    &Transport,
    &CheckOptions,
    &mut Vec<Violation>,
) -> Option<Cow<'a, str>>;

/// Where a violation's target is in the input, and the line around it.
pub type Locate<'a> = dyn Fn(&Target) -> Place<'a> + 'a;

/// One response cut out of an input by a reader, ready to check.
pub struct Response<'a> {
    pub locator: Locator,
    /// The body and what the capture recorded of its transport; `None` for an entry the
    /// envelope rules do not apply to (a HAR entry below 400 with idempotency findings).
    pub body: Option<(&'a [u8], &'a Transport)>,
    /// Violations of rules that look beyond one body (the HAR idempotency rules).
    pub found: Vec<Violation>,
    /// Maps each target to a position in the input.
    pub locate: &'a Locate<'a>,
}

/// The rules, the catalog and the policy of a run.
pub struct Checker<'a> {
    pub catalog: &'a Catalog,
    pub options: CheckOptions,
    pub policy: Policy,
    /// [`check_body`], except in tests.
    pub rules: Rules,
}

impl<'a> Checker<'a> {
    /// The checker `cyoda check` uses without flags: default severities, no `--expect`.
    pub fn with_defaults(catalog: &'a Catalog) -> Self {
        Checker {
            catalog,
            options: CheckOptions::default(),
            policy: Policy::default(),
            rules: check_body,
        }
    }

    /// Checks `response` of `input`. Diagnostics come out in order of position.
    pub fn check<'r>(&self, input: &Arc<str>, response: Response<'r>) -> CheckedResponse<'r> {
        let Response {
            locator,
            body,
            found,
            locate,
        } = response;
        let mut violations = found;
        let code = body.and_then(|(body, transport)| {
            (self.rules)(
                body,
                self.catalog,
                transport,
                &self.options,
                &mut violations,
            )
        });
        let mut diagnostics: Vec<Diagnostic<'r>> = violations
            .into_iter()
            .filter_map(|violation| {
                let severity = self.policy.severity(violation.rule)?;
                let label = |target: &Target, text: Option<String>| Label::at(locate(target), text);
                let secondary = violation
                    .related
                    .as_ref()
                    .map(|related| label(&related.target, Some(related.label.clone())));
                let mut text = violation.label;
                if let (Some(related), Some(second)) = (&violation.related, &secondary)
                    && related.cited
                {
                    // Line and column are known here, not in the rules: see `Related::cited`.
                    let at = format!("line {}, column {}", second.line, second.column);
                    text = Some(match text {
                        Some(text) => format!("{text} {at}"),
                        None => at,
                    });
                }
                let primary = label(&violation.target, text);
                Some(Diagnostic {
                    rule: violation.rule,
                    severity,
                    message: violation.message,
                    help_topic: violation.help_topic,
                    pointer: violation.pointer,
                    primary,
                    secondary,
                })
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line(), d.column()));
        let failed = diagnostics.iter().any(|d| self.policy.fails(d.severity));
        CheckedResponse {
            input: Arc::clone(input),
            locator,
            code,
            diagnostics,
            failed,
        }
    }
}
