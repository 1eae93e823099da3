//! Report files, written atomically: each goes into a hidden temporary file next to its path
//! (`.<name>.<pid>.<n>.tmp`, created exclusively: an existing file or symlink of that name is
//! never written through), and is renamed over the path once complete, so that the path only
//! ever holds a whole report.
//!
//! The temporary files of a run are recorded, so that an interrupt (Ctrl-C, `kill`) can remove
//! them before the process ends: an interrupted run leaves every report file as it was and no
//! temporary file behind. `main.rs` installs the signal handler; nothing here touches signals.
//! Every change (create, commit by rename, removal) happens under one lock, and the handler
//! holds that lock until the process exits, so an interrupt lands either before a rename (the
//! temporary file is removed) or after it (that report is complete).
//!
//! The markdown summary is the exception: it is appended to a file others write too
//! (`$GITHUB_STEP_SUMMARY`), with [`Append`], in one write at the end of the run.

use anyhow::Context as _;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A report file being written.
#[derive(Debug)]
pub struct Atomic {
    path: PathBuf,
    temporary: PathBuf,
    file: File,
}

impl Atomic {
    /// Creates the temporary file for `path`.
    pub fn create(path: &Path) -> anyhow::Result<Atomic> {
        let name = path
            .file_name()
            .with_context(|| format!("'{}' does not name a file", path.display()))?;
        for attempt in 0..100 {
            let mut temporary = std::ffi::OsString::from(".");
            temporary.push(name);
            temporary.push(format!(".{}.{attempt}.tmp", std::process::id()));
            let temporary = path.with_file_name(temporary);
            let mut pending = lock();
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary);
            match created {
                Ok(file) => {
                    pending.push(temporary.clone());
                    return Ok(Atomic {
                        path: path.to_path_buf(),
                        temporary,
                        file,
                    });
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => {
                    return Err(error).with_context(|| format!("writing {}", path.display()));
                }
            }
        }
        anyhow::bail!(
            "writing {}: no free temporary file name next to it",
            path.display()
        )
    }

    /// Another handle on the temporary file, to write the report through.
    pub fn writer(&self) -> anyhow::Result<File> {
        self.file
            .try_clone()
            .with_context(|| format!("writing {}", self.path.display()))
    }

    /// Makes the report durable and renames it over its path.
    pub fn commit(self) -> anyhow::Result<()> {
        let context = || format!("writing {}", self.path.display());
        let mut pending = lock();
        let result = self
            .file
            .sync_all()
            .and_then(|()| std::fs::rename(&self.temporary, &self.path));
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temporary);
        }
        pending.retain(|p| *p != self.temporary);
        result.with_context(context)
    }
}

impl Drop for Atomic {
    /// A report that was not committed (the run failed) leaves no temporary file behind.
    fn drop(&mut self) {
        let mut pending = lock();
        if let Some(at) = pending.iter().position(|p| *p == self.temporary) {
            pending.remove(at);
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// A file a report is appended to (`--summary $GITHUB_STEP_SUMMARY`): created when missing,
/// never truncated. What is appended is set apart from what the file already holds by a
/// blank line, so a markdown heading starts a block of its own.
#[derive(Debug)]
pub struct Append {
    file: File,
    prefix: &'static [u8],
}

impl Append {
    /// Opens `path` for appending, now: a path that cannot be written fails before the run.
    pub fn open(path: &Path) -> anyhow::Result<Append> {
        use std::io::{Read, Seek, SeekFrom};
        let context = || format!("writing {}", path.display());
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .with_context(context)?;
        let length = file.metadata().with_context(context)?.len();
        let prefix: &'static [u8] = if length == 0 {
            b""
        } else {
            // Appends go to the end whatever the position: seeking only reads the last byte.
            let mut last = [0u8; 1];
            let ends_with_newline = file
                .seek(SeekFrom::End(-1))
                .and_then(|_| file.read_exact(&mut last))
                .is_ok_and(|()| last == [b'\n']);
            if ends_with_newline { b"\n" } else { b"\n\n" }
        };
        Ok(Append { file, prefix })
    }

    /// The writer: the separating newlines go out with the first bytes written, so a run that
    /// ends before writing leaves the file untouched.
    pub fn writer(self) -> impl io::Write {
        Separated {
            file: self.file,
            prefix: self.prefix,
        }
    }
}

struct Separated {
    file: File,
    prefix: &'static [u8],
}

impl io::Write for Separated {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !buf.is_empty() && !self.prefix.is_empty() {
            self.file.write_all(self.prefix)?;
            self.prefix = b"";
        }
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Removes every pending temporary file and returns the lock: hold it until the process
/// exits, so that the run cannot commit or create another in between.
pub fn discard() -> MutexGuard<'static, Vec<PathBuf>> {
    let mut pending = lock();
    for path in pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    pending
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_report_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let file = Atomic::create(&path).unwrap();
        file.writer().unwrap().write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let abandoned = Atomic::create(&path).unwrap();
        drop(abandoned);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn appending_keeps_what_is_there_and_starts_a_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        for (before, after) in [
            (None, "## a\n"),
            (Some(""), "## a\n"),
            (Some("x\n"), "x\n\n## a\n"),
            (Some("x"), "x\n\n## a\n"),
        ] {
            let _ = std::fs::remove_file(&path);
            if let Some(before) = before {
                std::fs::write(&path, before).unwrap();
            }
            let mut out = Append::open(&path).unwrap().writer();
            out.write_all(b"## a\n").unwrap();
            drop(out);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), after, "{before:?}");
        }
        // Nothing written, nothing changed.
        std::fs::write(&path, "x").unwrap();
        drop(Append::open(&path).unwrap().writer());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x");
    }
}
