//! The PATH arguments as a lazy stream of inputs: `-` (or no PATH) is standard input, a file is
//! itself, a directory is every file below it — hidden entries (names starting with `.`) below
//! the directory are skipped, entries come sorted by name so the order is the same on every
//! machine, symlinks are followed but a symlink loop is reported and not entered.

use std::ffi::OsString;
use std::path::PathBuf;

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// `None`: standard input.
    pub path: Option<PathBuf>,
    /// The name used in reports: the path as given or found, or `<stdin>`.
    pub name: String,
    /// A regular file's size when known: to decide between batching and streaming, and to read
    /// no further than the end the file had when it was listed.
    pub size: Option<u64>,
}

impl Input {
    pub fn stdin() -> Self {
        Input {
            path: None,
            name: "<stdin>".into(),
            size: None,
        }
    }
}

/// What walking yields, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalkItem {
    Input(Input),
    /// A PATH (or something below it) that cannot be read; the run fails with exit 2.
    Problem {
        name: String,
        reason: String,
    },
    /// Worth a warning, not a failure (a symlink loop that was not entered).
    Note {
        name: String,
        note: String,
    },
}

/// Walks `paths` lazily; no PATH means standard input.
pub fn walk(paths: &[OsString]) -> impl Iterator<Item = WalkItem> + '_ {
    let stdin_only = paths.is_empty().then(|| WalkItem::Input(Input::stdin()));
    stdin_only
        .into_iter()
        .chain(paths.iter().flat_map(|path| walk_one(path.clone())))
}

fn walk_one(path: OsString) -> Box<dyn Iterator<Item = WalkItem>> {
    if path == "-" {
        return Box::new(std::iter::once(WalkItem::Input(Input::stdin())));
    }
    let path = PathBuf::from(path);
    let name = path.display().to_string();
    match std::fs::metadata(&path) {
        Err(error) => Box::new(std::iter::once(WalkItem::Problem {
            reason: describe(&path, &error),
            name,
        })),
        Ok(meta) if meta.is_dir() => Box::new(Directory::new(path, name)),
        Ok(meta) => Box::new(std::iter::once(WalkItem::Input(Input {
            path: Some(path),
            name,
            // Only a regular file's length says how much there is to read (a FIFO says 0).
            size: meta.is_file().then_some(meta.len()),
        }))),
    }
}

/// Why `path` cannot be read: a dangling symlink says so, rather than "no such file".
fn describe(path: &std::path::Path, error: &std::io::Error) -> String {
    let dangling = error.kind() == std::io::ErrorKind::NotFound
        && std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if dangling {
        "broken symbolic link (its target does not exist)".into()
    } else {
        super::describe(error)
    }
}

/// The files below one directory argument.
struct Directory {
    entries: walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>,
    name: String,
    files: usize,
    done: bool,
}

impl Directory {
    fn new(path: PathBuf, name: String) -> Self {
        fn visible(entry: &walkdir::DirEntry) -> bool {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        }
        let entries = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(visible as fn(&walkdir::DirEntry) -> bool);
        Directory {
            entries,
            name,
            files: 0,
            done: false,
        }
    }
}

impl Iterator for Directory {
    type Item = WalkItem;

    fn next(&mut self) -> Option<WalkItem> {
        if self.done {
            return None;
        }
        loop {
            match self.entries.next() {
                None => {
                    self.done = true;
                    return (self.files == 0).then(|| WalkItem::Problem {
                        name: self.name.clone(),
                        reason: "directory holds no files to check".into(),
                    });
                }
                Some(Ok(entry)) if entry.file_type().is_file() => {
                    self.files += 1;
                    return Some(WalkItem::Input(Input {
                        name: entry.path().display().to_string(),
                        size: entry.metadata().ok().map(|meta| meta.len()),
                        path: Some(entry.into_path()),
                    }));
                }
                // Directories are descended into; sockets, FIFOs and devices are not inputs.
                Some(Ok(_)) => {}
                Some(Err(error)) => {
                    let name = error
                        .path()
                        .map_or_else(|| self.name.clone(), |p| p.display().to_string());
                    if error.loop_ancestor().is_some() {
                        return Some(WalkItem::Note {
                            name,
                            note: "symlink loop, not followed".into(),
                        });
                    }
                    let reason = match (error.io_error(), error.path()) {
                        (Some(io), Some(path)) => describe(path, io),
                        (Some(io), None) => super::describe(io),
                        (None, _) => error.to_string(),
                    };
                    return Some(WalkItem::Problem { name, reason });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(items: Vec<WalkItem>) -> Vec<String> {
        items
            .into_iter()
            .map(|item| match item {
                WalkItem::Input(input) => input.name,
                WalkItem::Problem { name, reason } => format!("error {name}: {reason}"),
                WalkItem::Note { name, note } => format!("note {name}: {note}"),
            })
            .collect()
    }

    #[test]
    fn sorted_hidden_skipped_empty_dir_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        std::fs::write(root.join("b/2.json"), "{}").unwrap();
        std::fs::write(root.join("b/10.json"), "{}").unwrap();
        std::fs::write(root.join("b/.hidden/x.json"), "{}").unwrap();
        std::fs::write(root.join(".git"), "").unwrap();
        std::fs::write(root.join("a.json"), "{}").unwrap();
        let root_name = root.display().to_string();
        let got = names(walk(&[root.into(), root.join("empty").into(), "-".into()]).collect());
        assert_eq!(
            got,
            vec![
                format!("{root_name}/a.json"),
                format!("{root_name}/b/10.json"),
                format!("{root_name}/b/2.json"),
                format!("error {root_name}/empty: directory holds no files to check"),
                "<stdin>".to_string(),
            ]
        );
        assert_eq!(names(walk(&[]).collect()), vec!["<stdin>".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let got = names(walk(&[dir.path().into()]).collect());
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].starts_with("note ") && got[1].ends_with("symlink loop, not followed"));
    }
}
