//! Derives what the binary embeds from validated topics: the generated sections, the JSON
//! descriptors, the lookup index, and the markdown and terminal forms of every page.

use crate::contract::catalog::{Catalog, Retryability};
use crate::topics::markdown;
use crate::topics::model::{
    ErrorInfo, HelpPayload, IndexEntry, Section, TopicDescriptor, TopicIndex,
};
use crate::topics::validate::{INDEX_SECTION, Topic};
use std::collections::BTreeMap;

/// One topic ready to embed.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Embedded file stem: lowercase id with dots as slashes.
    pub file: String,
    pub descriptor: TopicDescriptor,
    /// `cyoda help --format markdown`.
    pub markdown: String,
    /// The same page normalised for termimad.
    pub terminal: String,
}

/// Everything derived from the tree.
#[derive(Clone, Debug)]
pub struct Derived {
    pub payload: HelpPayload,
    pub index: TopicIndex,
    pub rendered: Vec<Rendered>,
    /// Each error page's `example:` response body, keyed by code (for the schema tests).
    pub examples: BTreeMap<String, String>,
}

/// The embedded file stem of a topic id.
pub fn file_stem(id: &str) -> String {
    id.to_lowercase().replace('.', "/")
}

/// Topics depth-first, parents before children, siblings in byte order of the last segment.
pub fn tree_order(topics: &[Topic]) -> Vec<&Topic> {
    let mut sorted: Vec<&Topic> = topics.iter().collect();
    sorted.sort_by(|a, b| a.segments.cmp(&b.segments));
    sorted
}

pub fn derive(topics: &[Topic], catalog: &Catalog) -> Derived {
    let ordered = tree_order(topics);
    let children: BTreeMap<&str, Vec<&Topic>> =
        ordered.iter().fold(BTreeMap::new(), |mut map, topic| {
            if let Some((parent, _)) = topic.id.rsplit_once('.') {
                map.entry(parent).or_insert_with(Vec::new).push(*topic);
            }
            map
        });
    let taglines: BTreeMap<&str, String> = ordered
        .iter()
        .map(|t| {
            (
                t.id.as_str(),
                t.section("NAME")
                    .map(|s| markdown::tagline(&s.body))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let authored: BTreeMap<&str, String> = ordered
        .iter()
        .map(|t| {
            (
                t.id.as_str(),
                authored_body(t, children.get(t.id.as_str()), catalog, &taglines),
            )
        })
        .collect();
    let synopses: BTreeMap<&str, String> = authored
        .iter()
        .map(|(id, body)| (*id, synopsis(body)))
        .collect();

    let mut rendered = Vec::new();
    let mut index_topics = Vec::new();
    for topic in &ordered {
        let id = topic.id.as_str();
        let kids = children.get(id).map(Vec::as_slice).unwrap_or(&[]);
        let body = authored.get(id).cloned().unwrap_or_default();
        let see_also: Vec<String> = topic
            .front
            .see_also
            .iter()
            .map(|s| s.value.clone())
            .collect();
        let descriptor_body = with_dotted_see_also(&body, &see_also);
        let error = topic
            .is_error()
            .then(|| error_info(topic, catalog))
            .flatten();
        let descriptor = TopicDescriptor {
            topic: topic.id.clone(),
            path: topic.segments.clone(),
            title: topic.title().to_string(),
            synopsis: synopses.get(id).cloned().unwrap_or_default(),
            body: descriptor_body.clone(),
            sections: markdown::sections(&descriptor_body)
                .into_iter()
                .map(|s| Section {
                    name: s.name,
                    body: s.body,
                })
                .collect(),
            see_also: see_also.clone(),
            stability: topic
                .front
                .stability
                .as_ref()
                .map_or("stable", |s| s.value.as_str())
                .to_string(),
            actions: Vec::new(),
            children: kids.iter().map(|k| k.id.clone()).collect(),
            error,
        };
        let page = page_markdown(topic, &body, kids, &taglines, &see_also, &synopses);
        index_topics.push(IndexEntry {
            id: topic.id.clone().into(),
            file: file_stem(id).into(),
            title: descriptor.title.clone().into(),
            tagline: taglines.get(id).cloned().unwrap_or_default().into(),
            stability: descriptor.stability.clone().into(),
            children: descriptor
                .children
                .iter()
                .map(|child| child.clone().into())
                .collect(),
            status: descriptor.error.as_ref().map(|e| e.status),
            retryable: descriptor
                .error
                .as_ref()
                .map(|e| e.retryable.clone().into()),
        });
        rendered.push(Rendered {
            file: file_stem(id),
            terminal: markdown::for_terminal(&page),
            markdown: page,
            descriptor,
        });
    }
    let payload = HelpPayload {
        schema: 1,
        version: catalog.version.clone(),
        topics: rendered.iter().map(|r| r.descriptor.clone()).collect(),
    };
    let examples = ordered
        .iter()
        .filter_map(|t| {
            let error = t.front.error.as_ref()?;
            Some((t.last_segment().to_string(), error.example.value.clone()))
        })
        .collect();
    Derived {
        payload,
        index: TopicIndex {
            version: catalog.version.clone().into(),
            topics: index_topics.into(),
        },
        rendered,
        examples,
    }
}

/// The body as written, with the generated sections filled in.
fn authored_body(
    topic: &Topic,
    children: Option<&Vec<&Topic>>,
    catalog: &Catalog,
    taglines: &BTreeMap<&str, String>,
) -> String {
    let mut body = topic.source.body.trim_end().to_string();
    if topic.id == "errors" {
        let index = error_index(
            children.map(Vec::as_slice).unwrap_or(&[]),
            catalog,
            taglines,
        );
        body = fill_section(&body, INDEX_SECTION, &index);
    }
    if let Some(rule) = &topic.front.rule {
        body.push_str("\n\n## EXAMPLES\n\n");
        let command = if rule.args.is_empty() {
            "cyoda check".to_string()
        } else {
            format!("cyoda check {}", rule.args.join(" "))
        };
        body.push_str(&format!(
            "`{command}` reports `{}` on this input:\n\n",
            rule.id.value
        ));
        body.push_str(&fenced(&rule.failing.value));
        body.push_str("\n\nand accepts it once corrected:\n\n");
        body.push_str(&fenced(&rule.passing.value));
    }
    body.push('\n');
    body
}

fn fenced(example: &str) -> String {
    let lang = if example.trim_start().starts_with("HTTP/") {
        "http"
    } else {
        "json"
    };
    format!("```{lang}\n{}\n```", example.trim_end())
}

/// Replaces the (empty) body of section `name` with `content`.
fn fill_section(body: &str, name: &str, content: &str) -> String {
    let heading = format!("## {name}");
    let mut out = String::new();
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        if line.trim_end() == heading {
            out.push('\n');
            out.push_str(content.trim_end());
            out.push('\n');
            while lines.peek().is_some_and(|next| next.trim().is_empty()) {
                lines.next();
            }
            if lines.peek().is_some() {
                out.push('\n');
            }
        }
    }
    out.trim_end().to_string()
}

/// `- `CODE` — 409 Conflict — not retryable — tagline`, one line per error page.
fn error_index(
    children: &[&Topic],
    catalog: &Catalog,
    taglines: &BTreeMap<&str, String>,
) -> String {
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
        let reserved = if contract.reserved { " (reserved)" } else { "" };
        lines.push(format!(
            "- `{}` — {} {} — {retry}{reserved} — {}",
            contract.code,
            contract.status,
            contract.title,
            taglines.get(child.id.as_str()).map_or("", String::as_str)
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

/// The command that shows a topic: `cyoda help errors CONFLICT`.
pub fn help_command(id: &str) -> String {
    format!("cyoda help {}", id.replace('.', " "))
}

/// The page users read: body, then SUBTOPICS (unless the body already indexes its children),
/// then SEE ALSO with each target's command and synopsis.
fn page_markdown(
    topic: &Topic,
    body: &str,
    children: &[&Topic],
    taglines: &BTreeMap<&str, String>,
    see_also: &[String],
    synopses: &BTreeMap<&str, String>,
) -> String {
    let mut page = body.trim_end().to_string();
    page.push('\n');
    if !children.is_empty() && topic.id != "errors" {
        page.push_str("\n## SUBTOPICS\n\n");
        for child in children {
            let tagline = taglines.get(child.id.as_str()).map_or("", String::as_str);
            page.push_str(&format!("- `{}` — {tagline}\n", help_command(&child.id)));
        }
    }
    if !see_also.is_empty() {
        page.push_str("\n## SEE ALSO\n\n");
        for target in see_also {
            let synopsis = synopses.get(target.as_str()).map_or("", String::as_str);
            page.push_str(&format!("- `{}` — {synopsis}\n", help_command(target)));
        }
    }
    page
}

fn error_info(topic: &Topic, catalog: &Catalog) -> Option<ErrorInfo> {
    let contract = catalog.get(topic.last_segment())?;
    Some(ErrorInfo {
        code: contract.code.clone(),
        status: contract.status,
        title: contract.title.clone(),
        retryable: contract.retryable.as_str().to_string(),
        ticket: contract.ticket.as_str().to_string(),
        reserved: contract.reserved,
        properties: contract
            .properties
            .iter()
            .map(|(name, kind)| (name.clone(), kind.as_str().to_string()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_only_the_named_section() {
        let body =
            "# errors\n\n## DESCRIPTION\n\nText.\n\n## ERROR CODE INDEX\n\n## NOTES\n\nMore.";
        let filled = fill_section(body, INDEX_SECTION, "- `A` — one");
        assert_eq!(
            filled,
            "# errors\n\n## DESCRIPTION\n\nText.\n\n## ERROR CODE INDEX\n\n- `A` — one\n\n## NOTES\n\nMore."
        );
    }

    #[test]
    fn synopsis_is_the_first_description_paragraph() {
        let body =
            "# t\n\n## NAME\n\nt — x.\n\n## DESCRIPTION\n\nFirst line\ncontinues.\n\nSecond.";
        assert_eq!(synopsis(body), "First line continues.");
    }
}
