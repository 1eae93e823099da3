//! What changed between two catalog versions, for a client developer who upgrades: codes added
//! and removed, documented facts that changed, and what the server sends differently. Computed
//! from the versions' catalogs and the tag descriptions only, so `build.rs` (the `changes` page
//! of each version) and `cyoda help changes FROM TO` (at run time) say the same.

use crate::contract::catalog::{
    Catalog, ErrorContract, Retryability, ServerNote, TicketRule, server_note,
};
use serde::{Deserialize, Serialize};

/// `cyoda help changes --format json`: one document, schema 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    pub schema: u32,
    /// The version upgraded from; `null` when the target is the oldest version documented.
    pub from: Option<String>,
    pub to: String,
    /// Whether `to` (or `from`) is a preview of an unreleased version.
    pub preview: bool,
    /// Codes `to` defines and `from` does not, with their facts in `to`.
    pub added: Vec<CodeFacts>,
    /// Codes `from` defines and `to` does not, with their facts in `from`.
    pub removed: Vec<CodeFacts>,
    /// Documented facts of codes in both versions that differ.
    pub documented: Vec<FactChange>,
    /// Codes whose real server behaviour differs between the versions (for added codes: how
    /// the new server differs from the new documentation).
    pub server: Vec<ServerChange>,
}

/// One code's documented facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeFacts {
    pub code: String,
    pub status: u16,
    pub title: String,
    /// `yes`, `no` or `conditional`.
    pub retryable: String,
    /// `required` or `absent`.
    pub ticket: String,
    pub reserved: bool,
    /// The server never sends it as an `errorCode` in that version.
    pub never_sent: bool,
}

/// One documented fact of one code, before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactChange {
    pub code: String,
    /// `status`, `retryable`, `ticket` or `reserved`.
    pub fact: String,
    pub from: String,
    pub to: String,
}

/// How one code's real server behaviour changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerChange {
    pub code: String,
    /// Differences from the documentation that start to hold.
    pub now: Vec<ServerFact>,
    /// Differences that stop holding.
    pub no_longer: Vec<ServerFact>,
    /// `properties` members the server starts to set.
    pub properties_added: Vec<String>,
    /// `properties` members it stops setting.
    pub properties_removed: Vec<String>,
}

/// A `server_notes` tag and what it means for the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerFact {
    pub tag: String,
    /// What holds while the tag applies.
    pub note: String,
    /// For a tag that stops applying: what a client sees instead, when the catalog says more
    /// than "no longer: `note`".
    pub ended: Option<String>,
}

/// The facts of `contract` as the JSON report states them.
pub fn facts_of(contract: &ErrorContract) -> CodeFacts {
    CodeFacts {
        code: contract.code.to_string(),
        status: contract.status,
        title: contract.title.to_string(),
        retryable: contract.retryable.as_str().to_string(),
        ticket: contract.ticket.as_str().to_string(),
        reserved: contract.reserved,
        never_sent: contract.never_sent(),
    }
}

/// The changes from `from` to `to` (either may be the newer one).
pub fn between(from: Option<&Catalog>, to: &Catalog, notes: &[ServerNote]) -> Changes {
    let mut changes = Changes {
        schema: 1,
        from: from.map(|c| c.version.to_string()),
        to: to.version.to_string(),
        preview: to.preview || from.is_some_and(|c| c.preview),
        added: Vec::new(),
        removed: Vec::new(),
        documented: Vec::new(),
        server: Vec::new(),
    };
    let Some(from) = from else {
        return changes;
    };
    for new in to.codes.iter() {
        match from.get(&new.code) {
            None => {
                changes.added.push(facts_of(new));
                let server = server_change(None, new, notes);
                if !server.now.is_empty() {
                    changes.server.push(server);
                }
            }
            Some(old) => {
                changes.documented.extend(fact_changes(old, new));
                let server = server_change(Some(old), new, notes);
                let changed = !(server.now.is_empty()
                    && server.no_longer.is_empty()
                    && server.properties_added.is_empty()
                    && server.properties_removed.is_empty());
                if changed {
                    changes.server.push(server);
                }
            }
        }
    }
    for old in from.codes.iter() {
        if to.get(&old.code).is_none() {
            changes.removed.push(facts_of(old));
        }
    }
    changes.server.sort_by(|a, b| a.code.cmp(&b.code));
    changes
}

fn fact_changes(old: &ErrorContract, new: &ErrorContract) -> Vec<FactChange> {
    let change = |fact: &str, from: String, to: String| FactChange {
        code: new.code.to_string(),
        fact: fact.to_string(),
        from,
        to,
    };
    let mut found = Vec::new();
    if old.status != new.status {
        found.push(change(
            "status",
            format!("{} {}", old.status, old.title),
            format!("{} {}", new.status, new.title),
        ));
    }
    if old.retryable != new.retryable {
        found.push(change(
            "retryable",
            old.retryable.as_str().into(),
            new.retryable.as_str().into(),
        ));
    }
    if old.ticket != new.ticket {
        found.push(change(
            "ticket",
            old.ticket.as_str().into(),
            new.ticket.as_str().into(),
        ));
    }
    if old.reserved != new.reserved {
        found.push(change(
            "reserved",
            old.reserved.to_string(),
            new.reserved.to_string(),
        ));
    }
    found
}

/// How the server's behaviour for `new.code` differs from `old` (a code new in `new` when
/// `old` is `None`: all its tags and properties hold "now").
pub fn server_change(
    old: Option<&ErrorContract>,
    new: &ErrorContract,
    notes: &[ServerNote],
) -> ServerChange {
    let code = new.code.as_ref();
    let old_tags: Vec<&str> = old.map_or(Vec::new(), |o| {
        o.server_notes.iter().map(|t| t.as_ref()).collect()
    });
    let new_tags: Vec<&str> = new.server_notes.iter().map(|t| t.as_ref()).collect();
    let fact = |tag: &str, ending: bool| {
        let described = server_note(notes, tag, code);
        ServerFact {
            tag: tag.to_string(),
            // The build requires a description of every tag; keep the tag visible if not.
            note: described.map_or_else(|| format!("`{tag}`"), |n| n.note.to_string()),
            ended: described
                .filter(|n| ending && !n.ended.is_empty())
                .map(|n| n.ended.to_string()),
        }
    };
    let names = |c: Option<&ErrorContract>| -> Vec<String> {
        c.map_or(Vec::new(), |c| {
            c.properties.iter().map(|(n, _)| n.to_string()).collect()
        })
    };
    let (old_props, new_props) = (names(old), names(Some(new)));
    ServerChange {
        code: code.to_string(),
        now: new_tags
            .iter()
            .filter(|t| !old_tags.contains(t))
            .map(|t| fact(t, false))
            .collect(),
        no_longer: old_tags
            .iter()
            .filter(|t| !new_tags.contains(t))
            .map(|t| fact(t, true))
            .collect(),
        properties_added: new_props
            .iter()
            .filter(|p| !old_props.contains(p))
            .cloned()
            .collect(),
        properties_removed: old_props
            .iter()
            .filter(|p| !new_props.contains(p))
            .cloned()
            .collect(),
    }
}

/// `` `409` `Conflict`, retryable, no `ticket` `` — the facts in a phrase.
pub fn facts_phrase(
    status: u16,
    title: &str,
    retryable: Retryability,
    ticket: TicketRule,
) -> String {
    let retry = match retryable {
        Retryability::Yes => "retryable",
        Retryability::No => "not retryable",
        Retryability::Conditional => "retryable with care",
    };
    let ticket = match ticket {
        TicketRule::Required => "with a `ticket`",
        TicketRule::Absent => "no `ticket`",
    };
    format!("`{status}` `{title}`, {retry}, {ticket}")
}

fn fact_name(fact: &str) -> &str {
    match fact {
        "status" => "documented status",
        "retryable" => "documented retryability",
        "ticket" => "documented ticket",
        "reserved" => "reserved",
        other => other,
    }
}

/// The changes as markdown sections (H2 title, H3 parts), for the `changes` page and for
/// `cyoda help changes` in markdown and text.
pub fn to_markdown(changes: &Changes) -> String {
    let mut out = String::new();
    let Some(from) = &changes.from else {
        out.push_str(&format!(
            "## CHANGES IN {}\n\ncyoda-go {} is the oldest version this catalog documents: there is no earlier one to compare it with. Pass two versions, `cyoda help changes FROM TO`, to compare any others.\n",
            changes.to, changes.to
        ));
        return out;
    };
    out.push_str(&format!("## FROM {from} TO {}\n\n", changes.to));
    if changes.preview {
        out.push_str("A preview is an untagged release branch: its facts may still change before the release.\n\n");
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    out.push_str(&format!(
        "{} added, {} removed, {} of documented facts, {} in what the server sends.\n\n",
        count(changes.added.len(), "code", "codes"),
        changes.removed.len(),
        count(changes.documented.len(), "change", "changes"),
        count(changes.server.len(), "code changed", "codes changed"),
    ));
    let facts_line = |facts: &CodeFacts| {
        let retryable = Retryability::parse(&facts.retryable).unwrap_or(Retryability::No);
        let ticket = TicketRule::parse(&facts.ticket).unwrap_or(TicketRule::Absent);
        let mut line = format!(
            "- `{}` — {}",
            facts.code,
            facts_phrase(facts.status, &facts.title, retryable, ticket)
        );
        if facts.reserved {
            line.push_str("; reserved");
        }
        if facts.never_sent {
            line.push_str("; the server does not send it");
        }
        line.push('\n');
        line
    };
    out.push_str("### CODES ADDED\n\n");
    if changes.added.is_empty() {
        out.push_str("None.\n");
    }
    for facts in &changes.added {
        out.push_str(&facts_line(facts));
    }
    out.push_str("\n### CODES REMOVED\n\n");
    if changes.removed.is_empty() {
        out.push_str("None.\n");
    }
    for facts in &changes.removed {
        out.push_str(&facts_line(facts));
    }
    out.push_str("\n### DOCUMENTED FACTS\n\n");
    if changes.documented.is_empty() {
        out.push_str("No documented status, retryability, ticket or reserved state changed.\n");
    }
    for change in &changes.documented {
        out.push_str(&format!(
            "- `{}` — {}: `{}` → `{}`\n",
            change.code,
            fact_name(&change.fact),
            change.from,
            change.to
        ));
    }
    out.push_str("\n### WHAT THE SERVER SENDS\n\n");
    if changes.server.is_empty() {
        out.push_str("No change in what the server sends for the codes both versions define.\n");
    }
    for change in &changes.server {
        out.push_str(&format!(
            "- `{}` — {}\n",
            change.code,
            server_sentences(change)
        ));
    }
    out
}

/// A server change as sentences: `Now: … No longer: … Now also sets …`.
pub fn server_sentences(change: &ServerChange) -> String {
    let mut parts: Vec<String> = Vec::new();
    for fact in &change.now {
        parts.push(format!("Now: {}", fact.note));
    }
    for fact in &change.no_longer {
        parts.push(match &fact.ended {
            Some(ended) => ended.clone(),
            None => format!("No longer: {}", fact.note),
        });
    }
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("`properties.{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !change.properties_added.is_empty() {
        parts.push(format!("Now sets {}.", list(&change.properties_added)));
    }
    if !change.properties_removed.is_empty() {
        parts.push(format!(
            "No longer sets {}.",
            list(&change.properties_removed)
        ));
    }
    parts.join(" ")
}

/// The `changes` page: the topic as written (`intro`), then the notes.
pub fn page(intro: &str, changes: &Changes) -> String {
    let mut page = intro.trim_end().to_string();
    page.push_str("\n\n");
    page.push_str(&to_markdown(changes));
    page
}
