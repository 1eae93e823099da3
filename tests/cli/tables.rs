//! The pinned version tables (`help/catalog/<version>.tsv`), read independently of the tool,
//! so that tests derive what they expect from the facts rather than from the binary.

use std::path::Path;

/// One row of a version table.
#[derive(Clone, Debug)]
pub struct Row {
    pub code: String,
    pub status: u16,
    pub reason: String,
    pub retryable: String,
    pub ticket: String,
    pub reserved: bool,
    pub server_properties: Vec<String>,
    pub server_notes: Vec<String>,
}

impl Row {
    /// Whether a client can receive this code from that version's server at all.
    pub fn sent(&self) -> bool {
        !self.server_notes.iter().any(|tag| {
            [
                "never_raised",
                "prefix_only_in_plain_error",
                "only_unreachable_stub",
                "unreachable_with_in_tree_backends",
            ]
            .contains(&tag.as_str())
        })
    }
}

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("help/catalog")
}

/// Every version with a table, ascending (numbers, then a preview after its release line).
pub fn versions() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".tsv").map(str::to_string))
        .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let key = |name: &str| {
        let numbers: Vec<u32> = name
            .trim_end_matches("-preview")
            .split('.')
            .map(|n| n.parse().unwrap())
            .collect();
        (numbers, name.ends_with("-preview"))
    };
    names.sort_by_key(|n| key(n));
    names
}

/// The newest release: the default version.
pub fn default_version() -> String {
    versions()
        .into_iter()
        .rfind(|v| !v.ends_with("-preview"))
        .unwrap()
}

pub fn rows(version: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(dir().join(format!("{version}.tsv"))).unwrap();
    let list = |field: &str| {
        field
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Row {
                code: f[0].to_string(),
                status: f[1].parse().unwrap(),
                reason: f[2].to_string(),
                retryable: f[3].to_string(),
                ticket: f[4].to_string(),
                reserved: f[5] == "yes",
                server_properties: list(f[8]),
                server_notes: list(f[9]),
            }
        })
        .collect()
}

/// The codes of `version`, sorted.
pub fn codes(version: &str) -> Vec<String> {
    let mut codes: Vec<String> = rows(version).into_iter().map(|r| r.code).collect();
    codes.sort();
    codes
}
