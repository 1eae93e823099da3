//! Derives what the binary embeds from validated topics and the version catalogs: for every
//! version, each topic's page (generated sections filled in, NOTES kept to what applies to
//! that version), its descriptor and the lookup index. A page that reads the same in several
//! versions is stored once: pages are deduplicated per topic, and each version's index names
//! the variant it shows.

use crate::contract::catalog::{Catalog, Retryability, ServerNote};
use crate::contract::version::{Version, describe_set};
use crate::topics::changes;
use crate::topics::history;
use crate::topics::markdown;
use crate::topics::model::{ErrorInfo, IndexEntry, Section, TopicDescriptor, TopicIndex};
use crate::topics::validate::{INDEX_SECTION, Topic, error_synopsis_line, version_headings};
use std::collections::BTreeMap;

/// The topic whose page carries the generated upgrade notes.
pub const CHANGES_TOPIC: &str = "changes";

/// One page variant, ready to embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Embedded file stem: the lowercase id with dots as slashes, then `.<variant>`
    /// (`errors/conflict.2`).
    pub file: String,
    pub descriptor: TopicDescriptor,
    /// `cyoda help --format markdown`.
    pub markdown: String,
    /// The same page normalised for termimad.
    pub terminal: String,
}

/// One version: its catalog, its topics and the pages they show.
#[derive(Debug)]
pub struct VersionBuild {
    pub version: Version,
    pub catalog: Catalog,
    /// The version's topics in tree order; `file` names the page variant.
    pub index: TopicIndex,
    /// Indices into [`Derived::pages`], in tree order: the version's HelpPayload.
    pub payload: Vec<usize>,
}

/// Everything derived from the tree.
#[derive(Debug)]
pub struct Derived {
    /// Ascending.
    pub versions: Vec<VersionBuild>,
    pub pages: Vec<Page>,
    /// The `server_notes` tag descriptions, for `cyoda help changes` at run time.
    pub notes: Vec<ServerNote>,
    /// The `changes` page as written, before the generated section (run time adds the section
    /// for the versions asked for).
    pub changes_intro: String,
}

impl Derived {
    /// The page variants of `build`'s HelpPayload, in tree order.
    pub fn payload_files<'d>(&'d self, build: &VersionBuild) -> Vec<&'d str> {
        build
            .payload
            .iter()
            .filter_map(|&at| self.pages.get(at))
            .map(|page| page.file.as_str())
            .collect()
    }
}

/// The embedded file stem of a topic id.
pub fn file_stem(id: &str) -> String {
    id.to_lowercase().replace('.', "/")
}

/// Topics depth-first, parents before children, siblings in byte order of the last segment.
pub fn tree_order<'t>(topics: impl IntoIterator<Item = &'t Topic>) -> Vec<&'t Topic> {
    let mut sorted: Vec<&Topic> = topics.into_iter().collect();
    sorted.sort_by(|a, b| a.segments.cmp(&b.segments));
    sorted
}

/// The command that shows a topic: `cyoda help errors CONFLICT`.
pub fn help_command(id: &str) -> String {
    format!("cyoda help {}", id.replace('.', " "))
}

/// What every version shares: taglines and synopses (authored, version-independent).
struct Shared<'t> {
    taglines: BTreeMap<&'t str, String>,
    synopses: BTreeMap<&'t str, String>,
}

pub fn derive(topics: &[Topic], catalogs: Vec<Catalog>, notes: Vec<ServerNote>) -> Derived {
    let shared = Shared {
        taglines: topics
            .iter()
            .map(|t| {
                let tagline = t
                    .section("NAME")
                    .map(|s| markdown::tagline(&s.body))
                    .unwrap_or_default();
                (t.id.as_str(), tagline)
            })
            .collect(),
        synopses: topics
            .iter()
            .map(|t| (t.id.as_str(), synopsis(&t.source.body)))
            .collect(),
    };
    let versions: Vec<Version> = catalogs
        .iter()
        .filter_map(|c| Version::parse(&c.version))
        .collect();
    let mut pages: Vec<Page> = Vec::new();
    // Per topic id, the variants already stored: (page index).
    let mut variants: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut builds = Vec::new();
    for (position, catalog) in catalogs.iter().enumerate() {
        let previous = previous_release(&catalogs, position);
        let present: Vec<&Topic> = tree_order(
            topics
                .iter()
                .filter(|t| !t.is_error() || catalog.get(t.last_segment()).is_some()),
        );
        let children = children_of(&present);
        let mut index_topics = Vec::new();
        let mut payload = Vec::new();
        for topic in &present {
            let kids = children
                .get(topic.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let context = Context {
                catalog,
                catalogs: &catalogs,
                versions: &versions,
                previous,
                notes: &notes,
            };
            let body = version_body(topic, kids, &context, &shared);
            let see_also = see_also_of(topic, catalog);
            let descriptor = descriptor(topic, &body, &see_also, kids, &context, &shared);
            let page = page_markdown(topic, &body, kids, &see_also, &shared);
            let stem = file_stem(&topic.id);
            let known = variants.entry(topic.id.clone()).or_default();
            let found = known.iter().copied().find(|&at| {
                pages
                    .get(at)
                    .is_some_and(|p| p.markdown == page && p.descriptor == descriptor)
            });
            let at = match found {
                Some(at) => at,
                None => {
                    pages.push(Page {
                        file: format!("{stem}.{}", known.len() + 1),
                        terminal: markdown::for_terminal(&page),
                        markdown: page,
                        descriptor,
                    });
                    known.push(pages.len() - 1);
                    pages.len() - 1
                }
            };
            payload.push(at);
            let Some(stored) = pages.get(at) else {
                continue;
            };
            let error = stored.descriptor.error.as_ref();
            index_topics.push(IndexEntry {
                id: topic.id.clone().into(),
                file: stored.file.clone().into(),
                title: stored.descriptor.title.clone().into(),
                tagline: shared
                    .taglines
                    .get(topic.id.as_str())
                    .cloned()
                    .unwrap_or_default()
                    .into(),
                stability: stored.descriptor.stability.clone().into(),
                children: stored
                    .descriptor
                    .children
                    .iter()
                    .map(|child| child.clone().into())
                    .collect(),
                status: error.map(|e| e.status),
                retryable: error.map(|e| e.retryable.clone().into()),
            });
        }
        builds.push((
            catalog.version.to_string(),
            index_topics,
            payload,
            catalog.preview,
        ));
    }
    let versions_out = builds
        .into_iter()
        .zip(catalogs)
        .filter_map(|((name, topics, payload, preview), catalog)| {
            Some(VersionBuild {
                version: Version::parse(&name)?,
                index: TopicIndex {
                    version: name.into(),
                    preview,
                    topics: topics.into(),
                },
                payload,
                catalog,
            })
        })
        .collect();
    let changes_intro = topics
        .iter()
        .find(|t| t.id == CHANGES_TOPIC)
        .map(|t| t.source.body.clone())
        .unwrap_or_default();
    Derived {
        versions: versions_out,
        pages,
        notes,
        changes_intro,
    }
}

/// The release before the catalog at `position` (previews are skipped: upgrade notes compare
/// releases, and a preview's predecessor is the newest release before it).
fn previous_release(catalogs: &[Catalog], position: usize) -> Option<&Catalog> {
    catalogs.get(..position)?.iter().rev().find(|c| !c.preview)
}

fn children_of<'t>(present: &[&'t Topic]) -> BTreeMap<&'t str, Vec<&'t Topic>> {
    let mut map: BTreeMap<&str, Vec<&Topic>> = BTreeMap::new();
    for topic in present {
        if let Some((parent, _)) = topic.id.rsplit_once('.') {
            map.entry(parent).or_default().push(topic);
        }
    }
    map
}

/// What a page of one version is derived from.
struct Context<'c> {
    catalog: &'c Catalog,
    catalogs: &'c [Catalog],
    versions: &'c [Version],
    previous: Option<&'c Catalog>,
    notes: &'c [ServerNote],
}

impl Context<'_> {
    fn version(&self) -> Option<Version> {
        Version::parse(&self.catalog.version)
    }
}

/// The see-also targets of a topic in one version: an error page's come from the version's
/// table, every other page's from its front matter.
fn see_also_of(topic: &Topic, catalog: &Catalog) -> Vec<String> {
    if topic.is_error() {
        return catalog
            .get(topic.last_segment())
            .map(|c| c.see_also.iter().map(|t| t.to_string()).collect())
            .unwrap_or_default();
    }
    topic
        .front
        .see_also
        .iter()
        .map(|s| s.value.clone())
        .collect()
}

/// An H2 section of a body as written: its heading line and the lines after it.
struct Part {
    name: Option<String>,
    text: String,
}

/// Splits a body at its H2 headings (fences respected); the first part is what precedes the
/// first H2 (the H1).
fn parts(body: &str) -> Vec<Part> {
    let mut parts = vec![Part {
        name: None,
        text: String::new(),
    }];
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(name) = line.strip_prefix("## ") {
            parts.push(Part {
                name: Some(name.trim().to_string()),
                text: String::new(),
            });
            continue;
        }
        if let Some(last) = parts.last_mut() {
            last.text.push_str(line);
            last.text.push('\n');
        }
    }
    parts
}

fn join(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        let text = part.text.trim();
        match &part.name {
            None => out.push_str(text),
            Some(name) => {
                out.push_str("\n\n## ");
                out.push_str(name);
                if !text.is_empty() {
                    out.push_str("\n\n");
                    out.push_str(text);
                }
            }
        }
    }
    out.trim().to_string() + "\n"
}

fn section(name: &str, text: String) -> Part {
    Part {
        name: Some(name.to_string()),
        text,
    }
}

/// A NOTES body with only the `### cyoda-go …` subsections that apply to `version` (other
/// H3s are kept); `None` when nothing is left.
fn notes_for(body: &str, version: Version) -> Option<String> {
    let headings = version_headings(body);
    let lines: Vec<&str> = body.lines().collect();
    let mut keep = vec![true; lines.len()];
    for (n, (start, range)) in headings.iter().enumerate() {
        let end = headings.get(n + 1).map_or(lines.len(), |(next, _)| *next);
        if let Ok(range) = range
            && !range.contains(version)
        {
            for flag in keep.iter_mut().take(end).skip(*start) {
                *flag = false;
            }
        }
    }
    let text: Vec<&str> = lines
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| **keep)
        .map(|(line, _)| *line)
        .collect();
    let text = text.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The body of `topic` as version `context.catalog` shows it: generated sections filled in,
/// NOTES kept to what applies.
fn version_body(
    topic: &Topic,
    children: &[&Topic],
    context: &Context<'_>,
    shared: &Shared<'_>,
) -> String {
    if topic.id == CHANGES_TOPIC {
        let notes = changes::between(context.previous, context.catalog, context.notes);
        return changes::page(&topic.source.body, &notes);
    }
    let mut parts = parts(&topic.source.body);
    if let Some(version) = context.version() {
        parts.retain_mut(|part| {
            if part.name.as_deref() != Some("NOTES") {
                return true;
            }
            match notes_for(&part.text, version) {
                Some(text) => {
                    part.text = text;
                    true
                }
                None => false,
            }
        });
    }
    if topic.is_error()
        && let Some(contract) = context.catalog.get(topic.last_segment())
    {
        let code = topic.last_segment();
        if let Some(synopsis) = parts
            .iter_mut()
            .find(|p| p.name.as_deref() == Some("SYNOPSIS"))
        {
            let line = error_synopsis_line(contract.status, &contract.title, contract.retryable);
            synopsis.text = format!("{line}\n\n{}", synopsis.text.trim());
        }
        if contract.reserved {
            let reserved = describe_set(context.versions, |v| {
                context
                    .catalogs
                    .iter()
                    .any(|c| c.version == v.to_string() && c.get(code).is_some_and(|c| c.reserved))
            });
            let status = format!(
                "Reserved in cyoda-go {reserved}: the documentation defines this code, but no code path of the server raises it. `cyoda check` reports a response that carries it under rule `reserved-code`, a warning."
            );
            parts.insert(1.min(parts.len()), section("STATUS", status));
        }
        let history = history::versions_body(code, context.catalogs, context.notes);
        parts.push(section(history::SECTION, history));
    }
    if topic.id == "errors" {
        let index = error_index(children, context.catalog, shared);
        if let Some(part) = parts
            .iter_mut()
            .find(|p| p.name.as_deref() == Some(INDEX_SECTION))
        {
            part.text = index;
        }
    }
    if let Some(rule) = &topic.front.rule {
        let command = if rule.args.is_empty() {
            "cyoda check".to_string()
        } else {
            format!("cyoda check {}", rule.args.join(" "))
        };
        let text = format!(
            "`{command}` reports `{}` on this input:\n\n{}\n\nand accepts it once corrected:\n\n{}",
            rule.id.value,
            fenced(&rule.failing.value),
            fenced(&rule.passing.value)
        );
        parts.push(section("EXAMPLES", text));
    }
    join(&parts)
}

fn fenced(example: &str) -> String {
    let lang = if example.trim_start().starts_with("HTTP/") {
        "http"
    } else {
        "json"
    };
    format!("```{lang}\n{}\n```", example.trim_end())
}

/// `- `CODE` — 409 Conflict — not retryable — tagline`, one line per code of the version.
fn error_index(children: &[&Topic], catalog: &Catalog, shared: &Shared<'_>) -> String {
    let mut lines = Vec::new();
    for child in children {
        let Some(contract) = catalog.get(child.last_segment()) else {
            continue;
        };
        let retry = match contract.retryable {
            Retryability::Yes => "retryable",
            Retryability::No => "not retryable",
            Retryability::Conditional => "retryable with care",
        };
        let mut marks = String::new();
        if contract.reserved {
            marks.push_str(" (reserved)");
        } else if contract.never_sent() {
            marks.push_str(" (not sent by this server)");
        }
        lines.push(format!(
            "- `{}` — {} {} — {retry}{marks} — {}",
            contract.code,
            contract.status,
            contract.title,
            shared
                .taglines
                .get(child.id.as_str())
                .map_or("", String::as_str)
        ));
    }
    lines.join("\n")
}

/// The first paragraph of DESCRIPTION (or of the body, without headings), lines joined.
fn synopsis(body: &str) -> String {
    let sections = markdown::sections(body);
    let source = sections
        .iter()
        .find(|s| s.name == "DESCRIPTION")
        .map(|s| s.body.clone())
        .unwrap_or_else(|| body.to_string());
    markdown::paragraphs(&source)
        .into_iter()
        .find(|p| !p.starts_with('#'))
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The descriptor body: as upstream, the SEE ALSO section lists dotted ids.
fn with_dotted_see_also(body: &str, see_also: &[String]) -> String {
    if see_also.is_empty() {
        return body.to_string();
    }
    let mut out = body.trim_end().to_string();
    out.push_str("\n\n## SEE ALSO\n\n");
    for target in see_also {
        out.push_str(&format!("- {target}\n"));
    }
    out
}

fn descriptor(
    topic: &Topic,
    body: &str,
    see_also: &[String],
    children: &[&Topic],
    context: &Context<'_>,
    shared: &Shared<'_>,
) -> TopicDescriptor {
    let descriptor_body = with_dotted_see_also(body, see_also);
    TopicDescriptor {
        topic: topic.id.clone(),
        path: topic.segments.clone(),
        title: topic.title().to_string(),
        synopsis: shared
            .synopses
            .get(topic.id.as_str())
            .cloned()
            .unwrap_or_default(),
        sections: markdown::sections(&descriptor_body)
            .into_iter()
            .map(|s| Section {
                name: s.name,
                body: s.body,
            })
            .collect(),
        body: descriptor_body,
        see_also: see_also.to_vec(),
        stability: topic
            .front
            .stability
            .as_ref()
            .map_or("stable", |s| s.value.as_str())
            .to_string(),
        actions: Vec::new(),
        children: children.iter().map(|k| k.id.clone()).collect(),
        error: topic
            .is_error()
            .then(|| error_info(topic.last_segment(), context))
            .flatten(),
    }
}

fn error_info(code: &str, context: &Context<'_>) -> Option<ErrorInfo> {
    let contract = context.catalog.get(code)?;
    Some(ErrorInfo {
        code: contract.code.to_string(),
        status: contract.status,
        title: contract.title.to_string(),
        retryable: contract.retryable.as_str().to_string(),
        ticket: contract.ticket.as_str().to_string(),
        reserved: contract.reserved,
        properties: contract
            .properties
            .iter()
            .map(|(name, kind)| (name.to_string(), kind.as_str().to_string()))
            .collect(),
        versions: describe_set(context.versions, |v| {
            context
                .catalogs
                .iter()
                .any(|c| c.version == v.to_string() && c.get(code).is_some())
        }),
    })
}

/// The page users read: body, then SUBTOPICS (unless the body already indexes its children),
/// then SEE ALSO with each target's command and synopsis.
fn page_markdown(
    topic: &Topic,
    body: &str,
    children: &[&Topic],
    see_also: &[String],
    shared: &Shared<'_>,
) -> String {
    let mut page = body.trim_end().to_string();
    page.push('\n');
    if !children.is_empty() && topic.id != "errors" {
        page.push_str("\n## SUBTOPICS\n\n");
        for child in children {
            let tagline = shared
                .taglines
                .get(child.id.as_str())
                .map_or("", String::as_str);
            page.push_str(&format!("- `{}` — {tagline}\n", help_command(&child.id)));
        }
    }
    if !see_also.is_empty() {
        page.push_str("\n## SEE ALSO\n\n");
        for target in see_also {
            let synopsis = shared
                .synopses
                .get(target.as_str())
                .map_or("", String::as_str);
            page.push_str(&format!("- `{}` — {synopsis}\n", help_command(target)));
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_keep_only_the_subsections_of_the_version() {
        let body = "### cyoda-go 0.6.1 to 0.6.2\n\nOld.\n\n### cyoda-go 0.6.3 and later\n\nNew.\n\n```text\n### cyoda-go 0.6.1\n```";
        let v = |n| Version::parse(n).unwrap();
        assert_eq!(
            notes_for(body, v("0.6.2")).as_deref(),
            Some("### cyoda-go 0.6.1 to 0.6.2\n\nOld.")
        );
        assert!(
            notes_for(body, v("0.8.3"))
                .unwrap()
                .starts_with("### cyoda-go 0.6.3 and later\n\nNew.")
        );
        assert_eq!(notes_for("### cyoda-go 0.6.1\n\nOld.", v("0.8.3")), None);
    }

    #[test]
    fn parts_rejoin_as_they_were_written() {
        let body = "# t\n\n## NAME\n\nt — x.\n\n## DESCRIPTION\n\nFirst.\n\n```md\n## not a section\n```\n";
        let parts = parts(body);
        assert_eq!(parts.len(), 3);
        assert_eq!(join(&parts), body);
    }

    #[test]
    fn synopsis_is_the_first_description_paragraph() {
        let body =
            "# t\n\n## NAME\n\nt — x.\n\n## DESCRIPTION\n\nFirst line\ncontinues.\n\nSecond.";
        assert_eq!(synopsis(body), "First line continues.");
    }
}
