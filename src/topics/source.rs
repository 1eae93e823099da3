//! Finds the topic files under the help root and splits each into front matter and body.

use crate::topics::model::Problem;
use std::path::{Path, PathBuf};

/// One topic file, split but not yet interpreted.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path for messages: `<root name>/<relative path>`, e.g. `help/errors/conflict.md`.
    pub display: String,
    /// The id the path implies, lowercase: `errors.conflict`.
    pub path_id: String,
    /// The YAML between the `---` lines.
    pub yaml: String,
    /// File line of the first YAML line.
    pub yaml_line: usize,
    /// Everything after the closing `---`, leading blank lines removed.
    pub body: String,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Every `*.md` file below `root`, sorted by path so messages come in a stable order.
pub fn find_topic_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The name a file is reported under: the root's own name, then the path below it.
pub fn display_path(root: &Path, file: &Path) -> String {
    let root_name = root
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "help".to_string());
    let relative = file.strip_prefix(root).unwrap_or(file);
    let relative = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    format!("{root_name}/{relative}")
}

/// The dotted id a file path implies (`errors/conflict.md` → `errors.conflict`).
pub fn path_id(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file).with_extension("");
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(".")
}

/// Splits `text` into front matter and body; a file without front matter is a problem.
pub fn split(display: &str, path_id: String, text: &str) -> Result<SourceFile, Problem> {
    let problem = |line: usize, message: &str| Problem {
        file: display.to_string(),
        line,
        message: message.to_string(),
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(problem(
            1,
            "a topic starts with `---`, then its YAML front matter",
        ));
    }
    let mut yaml = String::new();
    let mut line_no = 1;
    let mut closed = false;
    for line in lines.by_ref() {
        line_no += 1;
        if line.trim_end() == "---" {
            closed = true;
            break;
        }
        yaml.push_str(line);
    }
    if !closed {
        return Err(problem(
            1,
            "the front matter is never closed by a `---` line",
        ));
    }
    let mut body_line = line_no + 1;
    let mut body = String::new();
    let mut leading = true;
    for line in lines {
        if leading && line.trim().is_empty() {
            body_line += 1;
            continue;
        }
        leading = false;
        body.push_str(line);
    }
    Ok(SourceFile {
        display: display.to_string(),
        path_id,
        yaml,
        yaml_line: 2,
        body,
        body_line,
    })
}
