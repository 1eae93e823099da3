//! The help-topic compiler: reads `help/**/*.md` and the version tables under `help/catalog/`,
//! validates every topic against every version, and derives what the binary embeds (per
//! version: the catalog, the lookup index, the pages and their descriptors).
//!
//! Shared with `build.rs` through `#[path]`: refer to siblings as `crate::topics::…` and to the
//! contract as `crate::contract::…`, nothing else of this crate.

pub mod changes;
pub mod codegen;
pub mod derive;
pub mod frontmatter;
pub mod history;
pub mod markdown;
pub mod model;
pub mod packed;
pub mod source;
pub mod tables;
pub mod validate;

use crate::contract::catalog::ServerNote;
use crate::contract::version::Version;
use model::Problem;
use std::collections::BTreeSet;
use std::path::Path;
use tables::Table;

/// A validated tree and everything derived from it.
#[derive(Debug)]
pub struct Compiled {
    pub derived: derive::Derived,
    /// Every error page's example bodies, by code, with the versions each one covers
    /// (`None`: all of them). The tests prove the schemas with them.
    pub examples: Vec<(String, Option<String>, String)>,
}

/// Reads, validates and derives the whole tree under `root`; on failure, every problem found,
/// sorted by file and line.
pub fn compile(root: &Path) -> Result<Compiled, Vec<Problem>> {
    let mut problems = Vec::new();
    let root_display = source::display_path(root, root);
    let root_display = root_display.trim_end_matches('/').to_string();
    let file_problem = |name: &str, line: usize, message: String| Problem {
        file: format!("{root_display}/{name}"),
        line,
        message,
    };

    let tables = read_tables(root, &root_display, &mut problems);
    let notes = match std::fs::read_to_string(root.join(tables::NOTES_FILE)) {
        Ok(text) => {
            let (notes, bad) = tables::parse_notes(&text);
            problems.extend(
                bad.into_iter()
                    .map(|(line, message)| file_problem(tables::NOTES_FILE, line, message)),
            );
            notes
        }
        Err(error) => {
            problems.push(file_problem(
                tables::NOTES_FILE,
                1,
                format!("cannot read: {error}"),
            ));
            Vec::new()
        }
    };

    let files = match source::find_topic_files(root) {
        Ok(files) => files,
        Err(error) => {
            problems.push(Problem {
                file: root_display.clone(),
                line: 1,
                message: format!("cannot list topics: {error}"),
            });
            return Err(problems);
        }
    };
    let mut topics = Vec::new();
    for file in files {
        let display = source::display_path(root, &file);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(error) => {
                problems.push(Problem {
                    file: display,
                    line: 1,
                    message: format!("cannot read: {error}"),
                });
                continue;
            }
        };
        match source::split(&display, source::path_id(root, &file), &text) {
            Ok(split) => {
                if let Some(topic) = validate::check_file(split, &mut problems) {
                    topics.push(topic);
                }
            }
            Err(problem) => problems.push(problem),
        }
    }

    let notes_display = format!("{root_display}/{}", tables::NOTES_FILE);
    validate::check_tree(&topics, &tables, &notes, &notes_display, &mut problems);
    let ids: BTreeSet<&str> = topics.iter().map(|t| t.id.as_str()).collect();
    let catalogs = validate::catalogs_from(&topics, &tables, &ids);
    for topic in topics.iter().filter(|t| t.is_error()) {
        validate::check_error_topic(topic, &tables, &catalogs, &mut problems);
    }

    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(problems);
    }
    let examples = topics
        .iter()
        .filter_map(|t| Some((t.last_segment(), t.front.error.as_ref()?)))
        .flat_map(|(code, error)| {
            error.examples.iter().map(move |e| {
                (
                    code.to_string(),
                    e.versions.as_ref().map(|r| r.value.to_string()),
                    e.body.value.clone(),
                )
            })
        })
        .collect();
    let notes = notes
        .into_iter()
        .map(|n| ServerNote {
            tag: n.tag.into(),
            code: n.code.into(),
            note: n.note.into(),
            ended: n.ended.into(),
        })
        .collect();
    Ok(Compiled {
        derived: derive::derive(&topics, catalogs, notes),
        examples,
    })
}

/// Every `help/catalog/<version>.tsv`, ascending by version.
fn read_tables(root: &Path, root_display: &str, problems: &mut Vec<Problem>) -> Vec<Table> {
    let dir = root.join(tables::TABLE_DIR);
    let dir_display = format!("{root_display}/{}", tables::TABLE_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Problem {
                file: dir_display,
                line: 1,
                message: format!("cannot list the version tables: {error}"),
            });
            return Vec::new();
        }
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".tsv") else {
            continue;
        };
        if format!("{}/{name}", tables::TABLE_DIR) == tables::NOTES_FILE {
            continue;
        }
        let display = format!("{dir_display}/{name}");
        let Some(version) = Version::parse(stem) else {
            problems.push(Problem {
                file: display,
                line: 1,
                message: format!(
                    "`{stem}` is not a version name (MAJOR.MINOR.PATCH, optionally -preview): name each table after its cyoda-go version"
                ),
            });
            continue;
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (rows, bad) = tables::parse_table(&text);
                problems.extend(bad.into_iter().map(|(line, message)| Problem {
                    file: display.clone(),
                    line,
                    message,
                }));
                found.push(Table {
                    version,
                    display,
                    rows,
                });
            }
            Err(error) => problems.push(Problem {
                file: display,
                line: 1,
                message: format!("cannot read: {error}"),
            }),
        }
    }
    found.sort_by_key(|t| t.version);
    if !found.iter().any(|t| !t.version.preview) {
        problems.push(Problem {
            file: dir_display,
            line: 1,
            message: "no release table: add at least one help/catalog/<version>.tsv that is not a preview".into(),
        });
    }
    found
}

#[cfg(test)]
mod tests;
