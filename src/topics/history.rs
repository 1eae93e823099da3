//! The generated VERSIONS section of an error page: when the code appeared, and each change of
//! its documented facts and of what the server really sends, version by version. Derived from
//! the version tables and the tag descriptions only; nobody keeps it by hand.

use crate::contract::catalog::{Catalog, ServerNote};
use crate::topics::changes::{facts_phrase, server_change, server_sentences};

/// The section's name.
pub const SECTION: &str = "VERSIONS";

/// The body of the VERSIONS section of `code`, one list item per version with a change;
/// `catalogs` ascending. Empty when no catalog defines the code.
pub fn versions_body(code: &str, catalogs: &[Catalog], notes: &[ServerNote]) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut previous: Option<&crate::contract::catalog::ErrorContract> = None;
    for (position, catalog) in catalogs.iter().enumerate() {
        let current = catalog.get(code);
        let label = if catalog.preview {
            format!("**{}** (preview)", catalog.version)
        } else {
            format!("**{}**", catalog.version)
        };
        let mut sentences: Vec<String> = Vec::new();
        match (previous, current) {
            (None, Some(new)) => {
                let facts = facts_phrase(new.status, &new.title, new.retryable, new.ticket);
                sentences.push(if position == 0 {
                    format!("Documented from the first version this catalog covers: {facts}.")
                } else {
                    format!("Added, documented as {facts}.")
                });
                if new.reserved {
                    sentences.push("Reserved: documented, but not raised yet.".to_string());
                }
                let server = server_change(None, new, notes);
                sentences.extend(server.now.iter().map(|fact| fact.note.clone()));
                if !server.properties_added.is_empty() {
                    let names: Vec<String> = server
                        .properties_added
                        .iter()
                        .map(|n| format!("`properties.{n}`"))
                        .collect();
                    sentences.push(format!("The server sets {}.", names.join(", ")));
                }
            }
            (Some(_), None) => sentences.push("Removed from the catalog.".to_string()),
            (Some(old), Some(new)) => {
                if old.status != new.status {
                    sentences.push(format!(
                        "Documented status `{}` `{}` → `{}` `{}`.",
                        old.status, old.title, new.status, new.title
                    ));
                }
                if old.retryable != new.retryable {
                    sentences.push(format!(
                        "Documented retryability `{}` → `{}`.",
                        old.retryable.as_str(),
                        new.retryable.as_str()
                    ));
                }
                if old.ticket != new.ticket {
                    sentences.push(format!(
                        "Documented ticket `{}` → `{}`.",
                        old.ticket.as_str(),
                        new.ticket.as_str()
                    ));
                }
                if old.reserved != new.reserved {
                    sentences.push(
                        if new.reserved {
                            "Now reserved: documented, but not raised."
                        } else {
                            "No longer reserved."
                        }
                        .to_string(),
                    );
                }
                let server = server_sentences(&server_change(Some(old), new, notes));
                if !server.is_empty() {
                    sentences.push(server);
                }
            }
            (None, None) => {}
        }
        if !sentences.is_empty() {
            lines.push(format!("- {label} — {}", sentences.join(" ")));
        }
        previous = current;
    }
    lines.join("\n")
}
