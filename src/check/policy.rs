//! The severity policy of a run: `--allow` / `--warn` / `--deny RULE` overrides (the last flag
//! naming a rule wins) and `--strict`. Also the lenient parsing of the rule ids and `--expect`
//! code users type, with a "did you mean" on a typo.

use crate::contract::catalog::Catalog;
use crate::contract::rules::{RuleId, Severity};
use std::collections::BTreeMap;

/// What a severity flag asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub fn flag(self) -> &'static str {
        match self {
            Level::Allow => "--allow",
            Level::Warn => "--warn",
            Level::Deny => "--deny",
        }
    }
}

/// Severity overrides and strictness.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// `None`: the rule is not reported.
    overrides: BTreeMap<RuleId, Option<Severity>>,
    strict: bool,
}

impl Policy {
    /// Builds the policy from the flags in command-line order. An unknown rule id is an error
    /// message naming the closest rule.
    pub fn new<'a>(
        flags: impl IntoIterator<Item = (Level, &'a str)>,
        strict: bool,
    ) -> Result<Policy, String> {
        let mut overrides = BTreeMap::new();
        for (level, text) in flags {
            let rule = RuleId::parse(text).ok_or_else(|| unknown_rule(level, text))?;
            let severity = match level {
                Level::Allow => None,
                Level::Warn => Some(Severity::Warning),
                Level::Deny => Some(Severity::Error),
            };
            overrides.insert(rule, severity);
        }
        Ok(Policy { overrides, strict })
    }

    /// The severity `rule` is reported at, or `None` when it is allowed.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        match self.overrides.get(&rule) {
            Some(severity) => *severity,
            None => Some(rule.default_severity()),
        }
    }

    /// Whether a violation at `severity` fails the run.
    pub fn fails(&self, severity: Severity) -> bool {
        severity == Severity::Error || self.strict
    }
}

fn unknown_rule(level: Level, text: &str) -> String {
    let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
    let closest = RuleId::ALL
        .iter()
        .map(|rule| (strsim::jaro_winkler(&wanted, rule.as_str()), rule))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, rule)| rule);
    let mut message = format!(
        "unknown rule '{}' in {}",
        crate::term::escape_controls(text),
        level.flag()
    );
    match closest {
        Some(rule) => message.push_str(&format!("; did you mean '{rule}'?")),
        None => message.push_str("; `cyoda help check` lists the rules"),
    }
    message
}

/// The canonical catalog code for `--expect TEXT` (any case, surrounding blanks ignored), or
/// an error message naming the closest code.
pub fn expected_code(text: &str, catalog: &Catalog) -> Result<String, String> {
    let wanted = text.trim().to_ascii_uppercase();
    if let Some(contract) = catalog.get(&wanted) {
        return Ok(contract.code.to_string());
    }
    let mut message = format!(
        "unknown error code '{}' in --expect",
        crate::term::escape_controls(text)
    );
    if let Some(elsewhere) = catalog.elsewhere(&wanted) {
        message.push_str(&format!(
            ": not in cyoda-go {} ({})",
            catalog.version, elsewhere.note
        ));
        return Err(message);
    }
    match catalog.closest(&wanted) {
        Some(code) => message.push_str(&format!("; did you mean '{code}'?")),
        None => message.push_str("; `cyoda help errors` lists the codes"),
    }
    Err(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_flag_wins() {
        let policy = Policy::new(
            [
                (Level::Allow, "title-mismatch"),
                (Level::Deny, "TITLE_MISMATCH"),
                (Level::Warn, "status-mismatch"),
                (Level::Allow, "detail-prefix"),
            ],
            false,
        )
        .unwrap();
        assert_eq!(
            policy.severity(RuleId::TitleMismatch),
            Some(Severity::Error)
        );
        assert_eq!(
            policy.severity(RuleId::StatusMismatch),
            Some(Severity::Warning)
        );
        assert_eq!(policy.severity(RuleId::DetailPrefix), None);
        assert_eq!(
            policy.severity(RuleId::ReservedCode),
            Some(Severity::Warning)
        );
        assert!(!policy.fails(Severity::Warning));
        assert!(Policy::new([], true).unwrap().fails(Severity::Warning));
    }

    #[test]
    fn unknown_rule_suggests() {
        let error = Policy::new([(Level::Allow, "titel-mismatch")], false).unwrap_err();
        assert_eq!(
            error,
            "unknown rule 'titel-mismatch' in --allow; did you mean 'title-mismatch'?"
        );
        let error = Policy::new([(Level::Deny, "zzz")], false).unwrap_err();
        assert!(error.contains("cyoda help check"), "{error}");
    }

    #[test]
    fn expected_code_is_lenient() {
        let catalog = crate::catalog::default().catalog();
        let Some(code) = catalog.codes.first().map(|c| c.code.to_string()) else {
            return;
        };
        assert_eq!(
            expected_code(&code.to_lowercase(), catalog).as_deref(),
            Ok(code.as_str())
        );
        let typo = format!("{code}X");
        let error = expected_code(&typo, catalog).unwrap_err();
        assert!(error.starts_with("unknown error code"), "{error}");
    }
}
