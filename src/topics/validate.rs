//! Every check DESIGN §3 asks of the topic tree. Each problem carries its file and line; nothing
//! stops at the first one.

use crate::contract::catalog::{Catalog, ErrorContract, Retryability};
use crate::contract::rules::{CheckOptions, RuleId, Transport, check_body};
use crate::topics::frontmatter::{self, FrontMatter};
use crate::topics::markdown::{self, RawSection};
use crate::topics::model::Problem;
use crate::topics::pinned::PinnedCode;
use crate::topics::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};

/// The H2 of `errors` that the build fills with the generated code index.
pub const INDEX_SECTION: &str = "ERROR CODE INDEX";

/// A topic whose file passed every per-file check.
#[derive(Clone, Debug)]
pub struct Topic {
    pub source: SourceFile,
    pub front: FrontMatter,
    /// Canonical dotted id.
    pub id: String,
    pub segments: Vec<String>,
    pub sections: Vec<RawSection>,
}

impl Topic {
    pub fn title(&self) -> &str {
        self.front.title.as_ref().map_or("", |t| t.value.as_str())
    }

    pub fn section(&self, name: &str) -> Option<&RawSection> {
        self.sections.iter().find(|section| section.name == name)
    }

    pub fn last_segment(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }

    pub fn is_error(&self) -> bool {
        self.segments.len() == 2 && self.segments.first().is_some_and(|s| s == "errors")
    }

    pub fn is_rule(&self) -> bool {
        self.segments.len() == 2 && self.segments.first().is_some_and(|s| s == "check")
    }
}

/// Collects problems for one file at a time.
pub struct FileProblems<'a> {
    pub display: &'a str,
    pub problems: &'a mut Vec<Problem>,
}

impl FileProblems<'_> {
    pub fn at(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.display.to_string(),
            line,
            message: message.into(),
        });
    }
}

/// Checks one split file on its own; returns the topic when it is usable for the tree checks.
pub fn check_file(source: SourceFile, problems: &mut Vec<Problem>) -> Option<Topic> {
    let (front, yaml_problems) = frontmatter::parse(&source.yaml, source.yaml_line);
    let display = source.display.clone();
    let mut out = FileProblems {
        display: &display,
        problems,
    };
    for (line, message) in yaml_problems {
        out.at(line, message);
    }
    let id = check_id(&source, &front, &mut out)?;
    let segments: Vec<String> = id.split('.').map(str::to_string).collect();
    let body_line = |line: usize| source.body_line + line;

    let expected_h1 = format!("# {id}");
    if source.body.lines().next().map(str::trim_end) != Some(expected_h1.as_str()) {
        out.at(
            source.body_line,
            format!("the body must start with `{expected_h1}`"),
        );
    }
    for (line, message) in markdown::unsupported(&source.body) {
        out.at(body_line(line), message);
    }
    let sections = markdown::sections(&source.body);
    let topic = Topic {
        source: source.clone(),
        front,
        id,
        segments,
        sections,
    };
    check_sections(&topic, &mut out);
    check_kind_blocks(&topic, &mut out);
    Some(topic)
}

fn check_id(
    source: &SourceFile,
    front: &FrontMatter,
    out: &mut FileProblems<'_>,
) -> Option<String> {
    if source.path_id != source.path_id.to_lowercase() {
        out.at(
            1,
            format!(
                "file names are lowercase: rename to `{}.md`",
                source.path_id.replace('.', "/").to_lowercase()
            ),
        );
    }
    let topic = front.topic.as_ref()?;
    let valid_segments = topic.value.split('.').all(|segment| {
        !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    if !valid_segments {
        out.at(
            topic.line,
            format!(
                "topic `{}` must be dotted segments of letters, digits, `_` or `-`",
                topic.value
            ),
        );
        return None;
    }
    if !topic.value.eq_ignore_ascii_case(&source.path_id) {
        out.at(
            topic.line,
            format!(
                "topic `{}` does not match its file, which implies `{}`",
                topic.value, source.path_id
            ),
        );
        return None;
    }
    Some(topic.value.clone())
}

fn check_sections(topic: &Topic, out: &mut FileProblems<'_>) {
    let line = |section: &RawSection| topic.source.body_line + section.line;
    let mut seen = BTreeSet::new();
    for section in &topic.sections {
        if section.name != section.name.to_uppercase() {
            out.at(
                line(section),
                format!("section `{}` must be upper case", section.name),
            );
        }
        if !seen.insert(section.name.as_str()) {
            out.at(
                line(section),
                format!("section `{}` appears twice", section.name),
            );
        }
        if section.name == "SEE ALSO" {
            out.at(
                line(section),
                "remove `## SEE ALSO`: it is generated from the `see_also` front matter",
            );
        }
        if section.name == "EXAMPLES" && topic.is_rule() {
            out.at(line(section), "remove `## EXAMPLES`: rule topics generate it from `rule.failing` and `rule.passing`");
        }
    }
    let names: Vec<&str> = topic.sections.iter().map(|s| s.name.as_str()).collect();
    let leading: Vec<&str> = names
        .iter()
        .copied()
        .skip_while(|name| *name == "STATUS")
        .take(3)
        .collect();
    if names.iter().skip(1).any(|name| *name == "STATUS") {
        let section = topic.section("STATUS");
        out.at(
            section.map_or(topic.source.body_line, line),
            "`## STATUS` must be the first section",
        );
    }
    for required in ["NAME", "SYNOPSIS", "DESCRIPTION"] {
        if !names.contains(&required) {
            out.at(
                topic.source.body_line,
                format!("the body lacks the required section `## {required}`"),
            );
        }
    }
    if names.contains(&"NAME")
        && names.contains(&"SYNOPSIS")
        && names.contains(&"DESCRIPTION")
        && leading != ["NAME", "SYNOPSIS", "DESCRIPTION"]
    {
        out.at(
            topic.source.body_line,
            "sections must begin NAME, SYNOPSIS, DESCRIPTION (after STATUS, if any)",
        );
    }
    if let Some(name) = topic.section("NAME") {
        let paragraphs = markdown::paragraphs(&name.body);
        let prefix = format!("{} — ", topic.last_segment());
        match paragraphs.as_slice() {
            [only] if only.starts_with(&prefix) && only.len() > prefix.len() => {}
            [_] => out.at(line(name), format!("NAME must read `{prefix}<one line>`")),
            _ => out.at(
                line(name),
                format!("NAME must be one paragraph: `{prefix}<one line>`"),
            ),
        }
    }
    if let Some(description) = topic.section("DESCRIPTION")
        && markdown::paragraphs(&description.body).is_empty()
    {
        out.at(
            line(description),
            "DESCRIPTION is empty: its first paragraph is the topic's synopsis",
        );
    }
}

/// The `error:` and `rule:` blocks belong to error and rule topics, and those need them.
fn check_kind_blocks(topic: &Topic, out: &mut FileProblems<'_>) {
    let topic_line = topic.front.topic.as_ref().map_or(1, |t| t.line);
    match (&topic.front.error, topic.is_error()) {
        (Some(error), false) => out.at(error.line, "only error topics (`errors.<CODE>`) have an `error` block"),
        (None, true) if !out.problems.iter().any(|p| p.file == out.display && p.message.contains("error")) => {
            out.at(topic_line, "an error topic needs an `error` block (status, retryable, ticket, reserved, properties, example)")
        }
        _ => {}
    }
    match (&topic.front.rule, topic.is_rule()) {
        (Some(rule), false) => out.at(
            rule.line,
            "only rule topics (`check.<rule-id>`) have a `rule` block",
        ),
        (None, true)
            if !out
                .problems
                .iter()
                .any(|p| p.file == out.display && p.message.contains("rule")) =>
        {
            out.at(
                topic_line,
                "a rule topic needs a `rule` block (id, severity, failing, passing)",
            )
        }
        _ => {}
    }
    if topic.is_error() {
        let code = topic.last_segment();
        if !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            out.at(
                topic_line,
                format!(
                    "error codes are upper case: `errors.{}`",
                    code.to_uppercase()
                ),
            );
        }
    }
    if let Some(rule) = &topic.front.rule {
        if rule.id.value != topic.last_segment() {
            out.at(
                rule.id.line,
                format!(
                    "`rule.id` is `{}` but the topic is `{}`",
                    rule.id.value, topic.id
                ),
            );
        }
        match RuleId::parse(&rule.id.value).filter(|known| known.as_str() == rule.id.value) {
            None => out.at(
                rule.id.line,
                format!("`{}` is not a rule `cyoda check` knows", rule.id.value),
            ),
            Some(known) if known.default_severity().as_str() != rule.severity.value => out.at(
                rule.severity.line,
                format!(
                    "`{}` reports at `{}` by default, not `{}`",
                    known,
                    known.default_severity().as_str(),
                    rule.severity.value
                ),
            ),
            Some(_) => {}
        }
    }
}

/// The canonical SYNOPSIS first paragraph of an error topic.
pub fn error_synopsis_line(status: u16, reason: &str, retryable: Retryability) -> String {
    format!(
        "HTTP: `{status}` `{reason}`. Retryable: `{}`.",
        retryable.as_str()
    )
}

/// Checks an error topic against its pinned row, its SYNOPSIS and STATUS, and proves its example.
pub fn check_error_topic(
    topic: &Topic,
    pinned: Option<&PinnedCode>,
    catalog: &Catalog,
    problems: &mut Vec<Problem>,
) {
    let Some(error) = &topic.front.error else {
        return;
    };
    let mut out = FileProblems {
        display: &topic.source.display,
        problems,
    };
    let code = topic.last_segment();
    let Some(pinned) = pinned else {
        out.at(
            topic.front.topic.as_ref().map_or(1, |t| t.line),
            format!("{code} is not in the pinned catalog help/errors.tsv: add it there or remove this page"),
        );
        return;
    };
    if error.status.value != pinned.status {
        out.at(
            error.status.line,
            format!(
                "status {} disagrees with help/errors.tsv, which pins {}",
                error.status.value, pinned.status
            ),
        );
    }
    if error.retryable.value != pinned.retryable {
        out.at(
            error.retryable.line,
            format!(
                "retryable `{}` disagrees with help/errors.tsv, which pins `{}`",
                error.retryable.value.as_str(),
                pinned.retryable.as_str()
            ),
        );
    }
    if error.ticket.value != pinned.ticket {
        out.at(
            error.ticket.line,
            format!(
                "ticket `{}` disagrees with help/errors.tsv, which pins `{}`",
                error.ticket.value.as_str(),
                pinned.ticket.as_str()
            ),
        );
    }
    if error.reserved.value != pinned.reserved {
        out.at(
            error.reserved.line,
            format!(
                "reserved {} disagrees with help/errors.tsv, which pins {}",
                error.reserved.value, pinned.reserved
            ),
        );
    }
    let see_also: Vec<&str> = topic
        .front
        .see_also
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    if see_also
        != pinned
            .see_also
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    {
        let line = topic.front.see_also.first().map_or(1, |s| s.line);
        out.at(
            line,
            format!(
                "see_also must list the catalog's related topics in order: {}",
                pinned.see_also.join(", ")
            ),
        );
    }
    let body_line = |section: &RawSection| topic.source.body_line + section.line;
    match (topic.section("STATUS"), pinned.reserved) {
        (None, true) => out.at(
            topic.source.body_line,
            "a reserved code needs a `## STATUS` section saying it is not raised yet",
        ),
        (Some(status), false) => {
            out.at(body_line(status), "`## STATUS` is only for reserved codes")
        }
        _ => {}
    }
    if let Some(synopsis) = topic.section("SYNOPSIS") {
        let expected = error_synopsis_line(pinned.status, &pinned.reason_phrase, pinned.retryable);
        let paragraphs = markdown::paragraphs(&synopsis.body);
        if paragraphs.first() != Some(&expected) {
            out.at(
                body_line(synopsis),
                format!("SYNOPSIS must start with the paragraph: {expected}"),
            );
        }
        if pinned.retryable == Retryability::Conditional && paragraphs.len() < 2 {
            out.at(
                body_line(synopsis),
                "retryable is conditional: add a SYNOPSIS paragraph saying when a retry is safe",
            );
        }
    }
    check_example(topic, &error.example, catalog, &mut out);
}

fn check_example(
    topic: &Topic,
    example: &frontmatter::Located<String>,
    catalog: &Catalog,
    out: &mut FileProblems<'_>,
) {
    let mut violations = Vec::new();
    let options = CheckOptions {
        expect: Some(topic.last_segment().to_string()),
    };
    check_body(
        example.value.as_bytes(),
        catalog,
        &Transport::default(),
        &options,
        &mut violations,
    );
    for violation in violations {
        if violation.rule.default_severity() != crate::contract::rules::Severity::Error {
            continue;
        }
        let line = match &violation.target {
            crate::contract::rules::Target::Body(range) => {
                example.line
                    + example
                        .value
                        .get(..range.start)
                        .map_or(0, |before| before.matches('\n').count())
            }
            _ => example.line,
        };
        out.at(
            line,
            format!(
                "the example fails `cyoda check`: {}[{}]: {}",
                "error", violation.rule, violation.message
            ),
        );
    }
}

/// Checks across files: unique ids, parents, see-also targets, and catalog and rule parity.
pub fn check_tree(
    topics: &[Topic],
    pinned: &[PinnedCode],
    pinned_display: &str,
    problems: &mut Vec<Problem>,
) {
    let mut by_lower: BTreeMap<String, &Topic> = BTreeMap::new();
    for topic in topics {
        if let Some(first) = by_lower.insert(topic.id.to_lowercase(), topic) {
            problems.push(Problem {
                file: topic.source.display.clone(),
                line: 1,
                message: format!(
                    "topic `{}` is also defined by {}",
                    topic.id, first.source.display
                ),
            });
        }
    }
    let ids: BTreeSet<&str> = topics.iter().map(|t| t.id.as_str()).collect();
    for topic in topics {
        let mut out = FileProblems {
            display: &topic.source.display,
            problems,
        };
        if let Some((parent, _)) = topic.id.rsplit_once('.')
            && !ids.contains(parent)
        {
            out.at(1, format!("the parent topic `{parent}` has no file"));
        }
        for target in &topic.front.see_also {
            if ids.contains(target.value.as_str()) {
                continue;
            }
            let hint = by_lower
                .get(&target.value.to_lowercase())
                .map(|t| format!(" (did you mean `{}`?)", t.id))
                .unwrap_or_default();
            out.at(
                target.line,
                format!("see_also `{}` is not a topic{hint}", target.value),
            );
        }
    }
    let pages: BTreeSet<&str> = topics
        .iter()
        .filter(|t| t.is_error())
        .map(|t| t.last_segment())
        .collect();
    for row in pinned {
        if !pages.contains(row.code.as_str()) {
            problems.push(Problem {
                file: pinned_display.to_string(),
                line: row.line,
                message: format!(
                    "{} has no page: write help/errors/{}.md",
                    row.code,
                    row.code.to_lowercase()
                ),
            });
        }
    }
    if let Some(errors) = topics.iter().find(|t| t.id == "errors") {
        match errors.section(INDEX_SECTION) {
            None => problems.push(Problem {
                file: errors.source.display.clone(),
                line: errors.source.body_line,
                message: format!(
                    "`errors` needs an empty `## {INDEX_SECTION}` section for the generated index"
                ),
            }),
            Some(section) if !section.body.is_empty() => problems.push(Problem {
                file: errors.source.display.clone(),
                line: errors.source.body_line + section.line,
                message: format!(
                    "`## {INDEX_SECTION}` is generated from the error pages: leave it empty"
                ),
            }),
            Some(_) => {}
        }
    }
    if let Some(check) = topics.iter().find(|t| t.id == "check") {
        let documented: BTreeSet<&str> = topics
            .iter()
            .filter(|t| t.is_rule())
            .map(|t| t.last_segment())
            .collect();
        for rule in RuleId::ALL {
            if !documented.contains(rule.as_str()) {
                problems.push(Problem {
                    file: check.source.display.clone(),
                    line: 1,
                    message: format!("rule `{rule}` has no topic: write help/check/{rule}.md"),
                });
            }
        }
    }
}

/// The catalog the error pages define, for the checker and for proving the examples.
pub fn catalog_from(topics: &[Topic], pinned: &[PinnedCode], version: &str) -> Catalog {
    let mut catalog = Catalog::new(version, Default::default());
    for row in pinned {
        let properties = topics
            .iter()
            .find(|t| t.is_error() && t.last_segment() == row.code)
            .and_then(|t| t.front.error.as_ref())
            .map(|e| e.properties.clone())
            .unwrap_or_default();
        catalog.codes.insert(
            row.code.clone(),
            ErrorContract {
                code: row.code.clone(),
                status: row.status,
                title: row.reason_phrase.clone(),
                retryable: row.retryable,
                ticket: row.ticket,
                reserved: row.reserved,
                properties,
            },
        );
    }
    catalog
}
