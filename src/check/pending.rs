//! The temporary file `--output` is writing, recorded so that an interrupt (Ctrl-C, `kill`)
//! can remove it before the process ends: an interrupted run leaves the report file as it was
//! and no temporary file behind. `main.rs` installs the signal handler; nothing here touches
//! signals.
//!
//! Every change (create, commit by rename, removal) happens under one lock, and the handler
//! holds that lock until the process exits, so an interrupt lands either before the rename
//! (the temporary file is removed) or after it (the report is complete).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

fn lock() -> MutexGuard<'static, Option<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `create` for the temporary file `path` and, when it created the file, records it as
/// pending (a file that was already there is not ours to remove).
pub fn start(
    path: &Path,
    create: impl FnOnce(&Path) -> std::io::Result<File>,
) -> std::io::Result<File> {
    let mut pending = lock();
    let file = create(path)?;
    *pending = Some(path.to_path_buf());
    Ok(file)
}

/// Runs `settle` (the rename that commits the report, or the removal after a failure) and
/// forgets the pending file.
pub fn settle<T>(settle: impl FnOnce() -> T) -> T {
    let mut pending = lock();
    let result = settle();
    *pending = None;
    result
}

/// Removes the pending temporary file, if there is one, and returns the lock: hold it until
/// the process exits, so that the run cannot commit or create another in between.
pub fn discard() -> MutexGuard<'static, Option<PathBuf>> {
    let mut pending = lock();
    if let Some(path) = pending.take() {
        let _ = std::fs::remove_file(path);
    }
    pending
}
