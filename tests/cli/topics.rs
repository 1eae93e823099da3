//! The catalog proves itself: every rule topic's failing example makes `cyoda check` report
//! that rule and its passing example passes, and the documented rule set is the one the code
//! can emit.

use crate::util::TestDir;
use cyoda::contract::rules::RuleId;
use std::path::Path;

fn compiled() -> cyoda::topics::Compiled {
    cyoda::topics::compile(&Path::new(env!("CARGO_MANIFEST_DIR")).join("help"))
        .unwrap_or_else(|problems| panic!("help/ compiles: {problems:#?}"))
}

#[test]
fn documented_rules_are_exactly_the_rules_the_checker_knows() {
    let compiled = compiled();
    let mut documented: Vec<String> = compiled
        .derived
        .pages
        .iter()
        .filter_map(|p| {
            p.descriptor
                .topic
                .strip_prefix("check.")
                .map(str::to_string)
        })
        .collect();
    documented.sort();
    documented.dedup();
    documented.sort();
    let mut known: Vec<String> = RuleId::ALL.iter().map(|r| r.as_str().to_string()).collect();
    known.sort();
    assert_eq!(documented, known);
}

#[test]
fn every_rule_example_fails_and_passes_as_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("help/check");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let split = cyoda::topics::source::split("x", String::new(), &text).unwrap();
        let (front, problems) = cyoda::topics::frontmatter::parse(&split.yaml, 2);
        assert!(problems.is_empty(), "{problems:?}");
        let rule = front.rule.expect("rule topics have a rule block");
        let args: Vec<&str> = rule.args.iter().map(String::as_str).collect();
        let dir = TestDir::new();
        dir.write("failing", &rule.failing.value)
            .write("passing", &rule.passing.value);

        let failing = dir.check(&[&args[..], &["failing"]].concat());
        assert!(
            failing.rules().contains(&rule.id.value),
            "{}: the failing example does not report {}:\n{}{}",
            path.display(),
            rule.id.value,
            failing.stdout,
            failing.stderr
        );
        let expected_code = if rule.severity.value == "error" { 1 } else { 0 };
        assert_eq!(
            failing.code,
            expected_code,
            "{}: {}",
            path.display(),
            failing.stdout
        );

        let passing = dir.check(&[&args[..], &["passing"]].concat());
        assert_eq!(
            passing.code,
            0,
            "{}: the passing example fails:\n{}",
            path.display(),
            passing.stdout
        );
        assert!(
            !passing.rules().contains(&rule.id.value),
            "{}: the passing example still reports {}",
            path.display(),
            rule.id.value
        );
        checked += 1;
    }
    assert_eq!(checked, RuleId::ALL.len());
}
