//! The help-topic compiler: reads `help/**/*.md`, validates every topic, and derives what the
//! binary embeds (descriptors, markdown and terminal pages, the lookup index, the catalog).
//!
//! Shared with `build.rs` through `#[path]`: refer to siblings as `crate::topics::…` and to the
//! contract as `crate::contract::…`, nothing else of this crate.

pub mod codegen;
pub mod derive;
pub mod frontmatter;
pub mod markdown;
pub mod model;
pub mod pinned;
pub mod source;
pub mod validate;

use crate::contract::catalog::Catalog;
use model::Problem;
use std::path::Path;

/// A validated tree and everything derived from it.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub catalog: Catalog,
    pub derived: derive::Derived,
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

    let version = match std::fs::read_to_string(root.join(pinned::VERSION_FILE)) {
        Ok(text) if !text.trim().is_empty() => text.trim().to_string(),
        Ok(_) => {
            problems.push(file_problem(
                pinned::VERSION_FILE,
                1,
                "empty: write the cyoda-go version, e.g. 0.6.2".into(),
            ));
            String::new()
        }
        Err(error) => {
            problems.push(file_problem(
                pinned::VERSION_FILE,
                1,
                format!("cannot read: {error}"),
            ));
            String::new()
        }
    };
    let pinned_rows = match std::fs::read_to_string(root.join(pinned::PINNED_FILE)) {
        Ok(text) => {
            let (rows, bad) = pinned::parse(&text);
            problems.extend(
                bad.into_iter()
                    .map(|(line, message)| file_problem(pinned::PINNED_FILE, line, message)),
            );
            rows
        }
        Err(error) => {
            problems.push(file_problem(
                pinned::PINNED_FILE,
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

    let pinned_display = format!("{root_display}/{}", pinned::PINNED_FILE);
    validate::check_tree(&topics, &pinned_rows, &pinned_display, &mut problems);
    let catalog = validate::catalog_from(&topics, &pinned_rows, &version);
    for topic in topics.iter().filter(|t| t.is_error()) {
        let row = pinned_rows
            .iter()
            .find(|row| row.code == topic.last_segment());
        validate::check_error_topic(topic, row, &catalog, &mut problems);
    }

    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(problems);
    }
    let derived = derive::derive(&topics, &catalog);
    Ok(Compiled { catalog, derived })
}

#[cfg(test)]
mod tests;
