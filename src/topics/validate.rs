//! Every check DESIGN §3 asks of the topic tree, against every version's table. Each problem
//! carries its file and line; nothing stops at the first one.

use crate::contract::catalog::{Catalog, Elsewhere, ErrorContract, PropertyType, Retryability};
use crate::contract::rules::{CheckOptions, RuleId, Severity, Target, Transport, check_body};
use crate::contract::version::{Version, VersionRange};
use crate::topics::frontmatter::{self, FrontMatter};
use crate::topics::markdown::{self, RawSection};
use crate::topics::model::Problem;
use crate::topics::source::SourceFile;
use crate::topics::tables::{Row, Table, TagNote, UPSTREAM_ONLY_TOPICS};
use std::collections::{BTreeMap, BTreeSet};

/// The H2 of `errors` that the build fills with the generated code index.
pub const INDEX_SECTION: &str = "ERROR CODE INDEX";

/// Sections of an error page that the build writes from the tables; authors leave them out.
pub const GENERATED_ERROR_SECTIONS: &[&str] = &["STATUS", "VERSIONS"];

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

    /// The file line of a section's heading.
    pub fn line_of(&self, section: &RawSection) -> usize {
        self.source.body_line + section.line
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
    check_version_notes(&topic, &mut out);
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
    let mut seen = BTreeSet::new();
    for section in &topic.sections {
        let line = topic.line_of(section);
        if section.name != section.name.to_uppercase() {
            out.at(
                line,
                format!("section `{}` must be upper case", section.name),
            );
        }
        if !seen.insert(section.name.as_str()) {
            out.at(line, format!("section `{}` appears twice", section.name));
        }
        if section.name == "SEE ALSO" {
            out.at(
                line,
                "remove `## SEE ALSO`: it is generated (from `see_also`, or for an error page from the version tables)",
            );
        }
        if section.name == "EXAMPLES" && topic.is_rule() {
            out.at(line, "remove `## EXAMPLES`: rule topics generate it from `rule.failing` and `rule.passing`");
        }
        if topic.is_error() && GENERATED_ERROR_SECTIONS.contains(&section.name.as_str()) {
            out.at(
                line,
                format!(
                    "remove `## {}`: error pages generate it from the version tables",
                    section.name
                ),
            );
        }
    }
    let names: Vec<&str> = topic.sections.iter().map(|s| s.name.as_str()).collect();
    for required in ["NAME", "SYNOPSIS", "DESCRIPTION"] {
        if !names.contains(&required) {
            out.at(
                topic.source.body_line,
                format!("the body lacks the required section `## {required}`"),
            );
        }
    }
    let leading: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !GENERATED_ERROR_SECTIONS.contains(name))
        .take(3)
        .collect();
    if ["NAME", "SYNOPSIS", "DESCRIPTION"]
        .iter()
        .all(|required| names.contains(required))
        && leading != ["NAME", "SYNOPSIS", "DESCRIPTION"]
    {
        out.at(
            topic.source.body_line,
            "sections must begin NAME, SYNOPSIS, DESCRIPTION",
        );
    }
    if let Some(name) = topic.section("NAME") {
        let paragraphs = markdown::paragraphs(&name.body);
        let prefix = format!("{} — ", topic.last_segment());
        let line = topic.line_of(name);
        match paragraphs.as_slice() {
            [only] if only.starts_with(&prefix) && only.len() > prefix.len() => {}
            [_] => out.at(line, format!("NAME must read `{prefix}<one line>`")),
            _ => out.at(
                line,
                format!("NAME must be one paragraph: `{prefix}<one line>`"),
            ),
        }
    }
    if let Some(description) = topic.section("DESCRIPTION")
        && markdown::paragraphs(&description.body).is_empty()
    {
        out.at(
            topic.line_of(description),
            "DESCRIPTION is empty: its first paragraph is the topic's synopsis",
        );
    }
    if topic.is_error()
        && let Some(synopsis) = topic.section("SYNOPSIS")
        && synopsis.body.trim_start().starts_with("HTTP:")
    {
        out.at(
            topic.line_of(synopsis),
            "the `HTTP: … Retryable: …` line is generated from each version's table: write only the paragraphs that follow it (or nothing)",
        );
    }
}

/// The `error:` and `rule:` blocks belong to error and rule topics, and those need them.
fn check_kind_blocks(topic: &Topic, out: &mut FileProblems<'_>) {
    let topic_line = topic.front.topic.as_ref().map_or(1, |t| t.line);
    let reported = |out: &FileProblems<'_>, word: &str| {
        out.problems
            .iter()
            .any(|p| p.file == out.display && p.message.contains(word))
    };
    match (&topic.front.error, topic.is_error()) {
        (Some(error), false) => out.at(
            error.line,
            "only error topics (`errors.<CODE>`) have an `error` block",
        ),
        (None, true) if !reported(out, "error") => out.at(
            topic_line,
            "an error topic needs an `error` block (properties, example)",
        ),
        _ => {}
    }
    if topic.is_error()
        && let Some(first) = topic.front.see_also.first()
    {
        out.at(
            first.line,
            "an error page's see-also comes from the version tables: remove `see_also`",
        );
    }
    match (&topic.front.rule, topic.is_rule()) {
        (Some(rule), false) => out.at(
            rule.line,
            "only rule topics (`check.<rule-id>`) have a `rule` block",
        ),
        (None, true) if !reported(out, "rule") => out.at(
            topic_line,
            "a rule topic needs a `rule` block (id, severity, failing, passing)",
        ),
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

/// A `### cyoda-go …` heading in NOTES: the versions its text applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionNote {
    pub range: VersionRange,
    /// File line of the heading.
    pub line: usize,
}

/// The version subsections of a NOTES section body, with problems for headings that do not
/// name a range. Returns `(heading line offset within the section body, parse result)`.
pub fn version_headings(notes_body: &str) -> Vec<(usize, Result<VersionRange, String>)> {
    let mut in_fence = false;
    let mut found = Vec::new();
    for (index, line) in notes_body.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(heading) = line.strip_prefix("### ") {
            let result = match heading.trim().strip_prefix("cyoda-go ") {
                Some(range) => VersionRange::parse(range),
                None => Err(format!(
                    "`### {}` must name the versions it applies to: `### cyoda-go 0.6.1 to 0.6.2`, `### cyoda-go 0.8.2 and later`",
                    heading.trim()
                )),
            };
            found.push((index, result));
        }
    }
    found
}

/// NOTES on an error page say which versions each note applies to: the section is made of
/// `### cyoda-go <versions>` subsections only.
fn check_version_notes(topic: &Topic, out: &mut FileProblems<'_>) {
    let Some(notes) = topic.section("NOTES") else {
        return;
    };
    // The section body starts two lines below its heading (heading, blank line).
    let body_start = topic.line_of(notes);
    let headings = version_headings(&notes.body);
    for (offset, result) in &headings {
        if let Err(message) = result {
            out.at(body_start + 2 + offset, message.clone());
        }
    }
    if topic.is_error() {
        let before_first = notes
            .body
            .lines()
            .take(headings.first().map_or(usize::MAX, |(offset, _)| *offset))
            .any(|line| !line.trim().is_empty());
        if before_first {
            out.at(
                body_start,
                "an error page's NOTES describe server behaviour per version: put each note under `### cyoda-go <versions>` (general advice belongs in DESCRIPTION)",
            );
        }
    }
}

/// The version notes of a topic, with their ranges; headings that failed to parse are left out
/// (they were reported).
pub fn version_notes(topic: &Topic) -> Vec<VersionNote> {
    let Some(notes) = topic.section("NOTES") else {
        return Vec::new();
    };
    let body_start = topic.line_of(notes) + 2;
    version_headings(&notes.body)
        .into_iter()
        .filter_map(|(offset, result)| {
            result.ok().map(|range| VersionNote {
                range,
                line: body_start + offset,
            })
        })
        .collect()
}

/// The canonical SYNOPSIS first paragraph of an error topic.
pub fn error_synopsis_line(status: u16, reason: &str, retryable: Retryability) -> String {
    format!(
        "HTTP: `{status}` `{reason}`. Retryable: `{}`.",
        retryable.as_str()
    )
}

/// Checks across files and tables: unique ids, parents, see-also targets, the tables' codes
/// against the error pages, the tag descriptions, and rule parity.
pub fn check_tree(
    topics: &[Topic],
    tables: &[Table],
    notes: &[TagNote],
    notes_display: &str,
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

    let pages: BTreeMap<&str, &Topic> = topics
        .iter()
        .filter(|t| t.is_error())
        .map(|t| (t.last_segment(), t))
        .collect();
    let mut defined: BTreeSet<&str> = BTreeSet::new();
    let mut missing_pages: BTreeSet<&str> = BTreeSet::new();
    let mut used_notes: BTreeSet<(&str, &str)> = BTreeSet::new();
    for table in tables {
        let mut at = |line: usize, message: String| {
            problems.push(Problem {
                file: table.display.clone(),
                line,
                message,
            })
        };
        for row in &table.rows {
            defined.insert(row.code.as_str());
            // Once per code, at the first table that defines it.
            if !pages.contains_key(row.code.as_str()) && missing_pages.insert(row.code.as_str()) {
                at(
                    row.line,
                    format!(
                        "{} has no page: write help/errors/{}.md",
                        row.code,
                        row.code.to_lowercase()
                    ),
                );
            }
            for target in &row.see_also {
                let shipped = match target.strip_prefix("errors.") {
                    Some(code) => tables.iter().any(|t| t.row(code).is_some()),
                    None => ids.contains(target.as_str()),
                };
                if !shipped && !UPSTREAM_ONLY_TOPICS.contains(&target.as_str()) {
                    at(
                        row.line,
                        format!(
                            "{}'s see_also `{target}` is neither a topic nor listed in tables::UPSTREAM_ONLY_TOPICS",
                            row.code
                        ),
                    );
                }
            }
            for tag in &row.server_notes {
                if notes.iter().any(|n| n.tag == *tag && n.code == row.code) {
                    used_notes.insert((tag.as_str(), row.code.as_str()));
                } else {
                    at(
                        row.line,
                        format!(
                            "server_notes tag `{tag}` of {} has no description: add `{tag}<TAB>{}<TAB><sentence><TAB>` to {notes_display}",
                            row.code, row.code
                        ),
                    );
                }
            }
        }
    }
    for note in notes {
        if !used_notes.contains(&(note.tag.as_str(), note.code.as_str())) {
            problems.push(Problem {
                file: notes_display.to_string(),
                line: note.line,
                message: format!(
                    "`{}` is not a server_notes tag of {} in any table: remove the row",
                    note.tag, note.code
                ),
            });
        }
    }
    for (code, page) in &pages {
        if !defined.contains(code) {
            problems.push(Problem {
                file: page.source.display.clone(),
                line: page.front.topic.as_ref().map_or(1, |t| t.line),
                message: format!(
                    "{code} is in no version's table (help/catalog/<version>.tsv): add it there or remove this page"
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
                line: errors.line_of(section),
                message: format!(
                    "`## {INDEX_SECTION}` is generated from the version tables: leave it empty"
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

/// One catalog per table, in table order: each code's facts from its row, the JSON types of
/// its properties from its page, and where the codes this version lacks can be found.
pub fn catalogs_from(topics: &[Topic], tables: &[Table], ids: &BTreeSet<&str>) -> Vec<Catalog> {
    let pages: BTreeMap<&str, &Topic> = topics
        .iter()
        .filter(|t| t.is_error())
        .map(|t| (t.last_segment(), t))
        .collect();
    let versions: Vec<Version> = tables.iter().map(|t| t.version).collect();
    let all_codes: BTreeSet<&str> = tables
        .iter()
        .flat_map(|t| t.rows.iter().map(|r| r.code.as_str()))
        .collect();
    tables
        .iter()
        .map(|table| {
            let codes = table
                .rows
                .iter()
                .map(|row| contract_of(row, pages.get(row.code.as_str()).copied(), tables, ids))
                .collect();
            let elsewhere = all_codes
                .iter()
                .filter(|code| table.row(code).is_none())
                .map(|code| Elsewhere {
                    code: code.to_string().into(),
                    note: elsewhere_note(table.version, &versions, |v| {
                        tables
                            .iter()
                            .any(|t| t.version == v && t.row(code).is_some())
                    })
                    .into(),
                })
                .collect();
            Catalog::new(
                table.version.to_string(),
                table.version.preview,
                codes,
                elsewhere,
            )
        })
        .collect()
}

/// `added in 0.6.3; pass --server-version 0.6.3`: where a code missing from `version` is, and
/// the version to check against instead (the nearest one that defines it, later ones first).
pub fn elsewhere_note(
    version: Version,
    known: &[Version],
    defines: impl Fn(Version) -> bool,
) -> String {
    let later = known.iter().copied().find(|v| *v > version && defines(*v));
    let earlier = known
        .iter()
        .rev()
        .copied()
        .find(|v| *v < version && defines(*v));
    let preview = |v: Version| if v.preview { ", a preview" } else { "" };
    match (later, earlier) {
        (Some(added), None) => format!(
            "added in {added}{}; pass --server-version {added}",
            preview(added)
        ),
        (_, Some(last)) => {
            let removed = known
                .iter()
                .copied()
                .find(|v| *v > last && !defines(*v))
                .map_or(String::new(), |v| format!("removed in {v}; "));
            format!("{removed}defined up to {last}; pass --server-version {last}")
        }
        (None, None) => "defined in no version".to_string(),
    }
}

fn contract_of(
    row: &Row,
    page: Option<&Topic>,
    tables: &[Table],
    ids: &BTreeSet<&str>,
) -> ErrorContract {
    let types = page
        .and_then(|p| p.front.error.as_ref())
        .map(|e| &e.properties);
    let mut properties: Vec<(String, PropertyType)> = row
        .server_properties
        .iter()
        .filter_map(|name| {
            let kind = types?.get(name)?.value;
            Some((name.clone(), kind))
        })
        .collect();
    properties.sort();
    let see_also = row
        .see_also
        .iter()
        .filter(|target| match target.strip_prefix("errors.") {
            Some(code) => tables.iter().any(|t| t.row(code).is_some()),
            None => ids.contains(target.as_str()),
        })
        .map(|target| target.clone().into())
        .collect::<Vec<_>>();
    ErrorContract {
        code: row.code.clone().into(),
        status: row.status,
        title: row.reason_phrase.clone().into(),
        retryable: row.retryable,
        ticket: row.ticket,
        reserved: row.reserved,
        properties: properties
            .into_iter()
            .map(|(name, kind)| (name.into(), kind))
            .collect::<Vec<_>>()
            .into(),
        see_also: see_also.into(),
        server_notes: row
            .server_notes
            .iter()
            .map(|tag| tag.clone().into())
            .collect::<Vec<_>>()
            .into(),
    }
}

/// Checks an error page against every version's table: property types, examples, notes.
pub fn check_error_topic(
    topic: &Topic,
    tables: &[Table],
    catalogs: &[Catalog],
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
    let defining: Vec<(&Table, &Row)> = tables
        .iter()
        .filter_map(|t| t.row(code).map(|row| (t, row)))
        .collect();
    if defining.is_empty() {
        return; // reported by check_tree
    }

    // Every property any version's server sets has a type here, and only those.
    let mut set_somewhere: BTreeMap<&str, (&Table, &Row)> = BTreeMap::new();
    for (table, row) in &defining {
        for name in &row.server_properties {
            set_somewhere.entry(name.as_str()).or_insert((table, row));
        }
    }
    for (name, (table, row)) in &set_somewhere {
        if !error.properties.contains_key(*name) {
            out.at(
                error.line,
                format!(
                    "the server sets `properties.{name}` from {} on ({}:{}): give its JSON type under `error.properties`",
                    table.version, table.display, row.line
                ),
            );
        }
    }
    for (name, kind) in &error.properties {
        if !set_somewhere.contains_key(name.as_str()) {
            out.at(
                kind.line,
                format!("`properties.{name}` is set by no version's server for {code}: remove it"),
            );
        }
    }

    // SYNOPSIS: a conditional retryability needs the paragraph that says when a retry is safe.
    if defining
        .iter()
        .any(|(_, row)| row.retryable == Retryability::Conditional)
        && let Some(synopsis) = topic.section("SYNOPSIS")
        && markdown::paragraphs(&synopsis.body).is_empty()
    {
        out.at(
            topic.line_of(synopsis),
            "retryable is conditional: add a SYNOPSIS paragraph saying when a retry is safe",
        );
    }

    // Examples: each version that defines the code has exactly one, and it passes that version.
    for (table, _) in &defining {
        let covering: Vec<_> = error
            .examples
            .iter()
            .filter(|e| {
                e.versions
                    .as_ref()
                    .is_none_or(|r| r.value.contains(table.version))
            })
            .collect();
        match covering.as_slice() {
            [] => out.at(
                error.line,
                format!(
                    "no example covers {}, which defines {code}: add one to `error.examples`",
                    table.version
                ),
            ),
            [_] => {}
            [first, ..] => out.at(
                first.body.line,
                format!("{} is covered by more than one example", table.version),
            ),
        }
    }
    for example in &error.examples {
        if let Some(range) = &example.versions
            && !defining
                .iter()
                .any(|(t, _)| range.value.contains(t.version))
        {
            out.at(
                range.line,
                format!("no version in `{}` defines {code}", range.value),
            );
        }
        for catalog in catalogs {
            let Some(version) = Version::parse(&catalog.version) else {
                continue;
            };
            let applies = catalog.get(code).is_some()
                && example
                    .versions
                    .as_ref()
                    .is_none_or(|r| r.value.contains(version));
            if applies {
                check_example(code, &example.body, catalog, &mut out);
            }
        }
    }

    // NOTES ranges name versions that define the code.
    for note in version_notes(topic) {
        if !defining.iter().any(|(t, _)| note.range.contains(t.version)) {
            out.at(
                note.line,
                format!("no version in `{}` defines {code}", note.range),
            );
        }
    }
}

fn check_example(
    code: &str,
    example: &frontmatter::Located<String>,
    catalog: &Catalog,
    out: &mut FileProblems<'_>,
) {
    let mut violations = Vec::new();
    let options = CheckOptions {
        expect: Some(code.to_string()),
    };
    check_body(
        example.value.as_bytes(),
        catalog,
        &Transport::default(),
        &options,
        &mut violations,
    );
    for violation in violations {
        if violation.rule.default_severity() != Severity::Error {
            continue;
        }
        let line = match &violation.target {
            Target::Body(range) => {
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
                "the example fails `cyoda check --server-version {}`: error[{}]: {}",
                catalog.version, violation.rule, violation.message
            ),
        );
    }
}
