//! The pages `cyoda help` composes itself: the tree summary, status listings and search
//! results. They return strings; only `main` writes. Topic pages are drawn by `help::page`.

use crate::catalog::VersionData;
use crate::contract::catalog::Catalog;
use crate::topics::derive::help_command;
use crate::topics::model::IndexEntry;

/// `cyoda help` with no topic: the top-level topics grouped by stability, and how to go deeper.
pub fn tree_summary(version: &VersionData, color: bool) -> String {
    let index = version.index();
    let bold = |text: &str| {
        if color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    out.push_str(&bold(&format!(
        "cyoda help — the Cyoda help topics ({})",
        version.server_name()
    )));
    out.push_str("\n\n");
    out.push_str(&bold("USAGE"));
    out.push_str(
        "\n  cyoda help <topic>...            a topic, e.g. cyoda help errors IDEMPOTENCY_CONFLICT\n  \
         cyoda help errors <status>       the error codes documented with an HTTP status\n  \
         cyoda help -k <words>...         the topics that mention words\n  \
         cyoda help changes [FROM [TO]]   what changed between two cyoda-go versions\n  \
         cyoda help --format json         the whole tree as JSON, as Cyoda's GET /help\n  \
         cyoda --server-version <v> help  any of these for another cyoda-go version\n  \
         cyoda help --help                every option\n\n",
    );
    out.push_str(&bold("TOPICS"));
    out.push('\n');
    for (stability, heading) in [
        ("stable", "Stable"),
        ("evolving", "Evolving"),
        ("experimental", "Experimental — content pending"),
    ] {
        let topics: Vec<&IndexEntry> = index
            .topics
            .iter()
            .filter(|e| !e.id.contains('.') && e.stability == stability)
            .collect();
        if topics.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for topic in topics {
            let more = if topic.children.is_empty() {
                String::new()
            } else {
                format!(" ({} subtopics)", topic.children.len())
            };
            out.push_str(&format!("  {:<16} {}{more}\n", topic.id, topic.tagline));
        }
    }
    out.push_str("\nRun 'cyoda help <topic>' for a topic and its subtopics.\n");
    out.push_str(&format!(
        "Catalog versions: {} (choose with --server-version or CYODA_SERVER_VERSION).\n",
        crate::catalog::known_list()
    ));
    out
}

/// The codes documented with one status, as a markdown page.
pub fn status_listing(catalog: &Catalog, status: u16, codes: &[&IndexEntry]) -> String {
    let reason = catalog
        .codes
        .iter()
        .find(|c| c.status == status)
        .map_or(String::new(), |c| format!(" {}", c.title));
    let mut page = format!("# HTTP {status}{reason}\n\n");
    let noun = if codes.len() == 1 {
        "code is"
    } else {
        "codes are"
    };
    page.push_str(&format!(
        "{} error {noun} documented with HTTP {status} in cyoda-go {}:\n\n",
        codes.len(),
        catalog.version
    ));
    for entry in codes {
        let retry = match entry.retryable.as_deref() {
            Some("yes") => "retryable",
            Some("no") => "not retryable",
            Some(_) => "retryable with care",
            None => "",
        };
        page.push_str(&format!(
            "- `{}` — {retry} — {}\n",
            help_command(&entry.id),
            entry.tagline
        ));
    }
    page
}

/// `cyoda help -k` results, best first, as plain lines `id — tagline`.
pub fn search_results(hits: &[&IndexEntry]) -> String {
    let width = hits
        .iter()
        .map(|e| help_command(&e.id).len())
        .max()
        .unwrap_or(0);
    hits.iter()
        .map(|entry| format!("{:<width$}  {}\n", help_command(&entry.id), entry.tagline))
        .collect()
}
