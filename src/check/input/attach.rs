//! Bodies a capture keeps outside itself, named by a relative path: Playwright's `_file`
//! (files beside the HAR, or members of its `.har.zip`) and Hurl's `store/…` files (relative
//! to the report). Reading one never leaves the capture's folder:
//!
//! - the name must be relative and plain: not empty, no NUL, not absolute (`/etc/passwd`,
//!   `C:\x`, `\\server\x`), no `..` component (`/` and `\` both separate components);
//! - the file is opened by its canonical path (symbolic links resolved), which must lie inside
//!   the canonical folder of the capture: a link inside the folder that points inside it is
//!   followed, one that points outside is refused;
//! - it must be a regular file (a FIFO or a device is refused, it could block or never end),
//!   of at most [`MAX_RESPONSE`] bytes.
//!
//! A capture read from standard input has no folder; a body it names cannot be read. Every
//! refusal is a one-line reason, and the response it belongs to is reported as unreadable:
//! a body that cannot be read is never a pass.

use super::archive::Archive;
use crate::check::MAX_RESPONSE;
use crate::contract::text::quote;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the bodies a capture names are.
pub(super) enum Attachments<'a> {
    /// The capture came from standard input: it has no folder.
    Stdin,
    /// Files in this folder (canonical).
    Folder(PathBuf),
    /// Members of the capture's zip archive.
    Archive(&'a Archive<'a>),
}

impl Attachments<'_> {
    /// The folder of the capture at `path`: the canonical folder of the file it resolves to,
    /// since the tools write the bodies beside the file they write.
    pub fn beside(path: Option<&Path>) -> Attachments<'static> {
        let folder = path
            .and_then(|path| std::fs::canonicalize(path).ok())
            .and_then(|path| path.parent().map(Path::to_path_buf));
        match folder {
            Some(folder) => Attachments::Folder(folder),
            None => Attachments::Stdin,
        }
    }

    /// The bytes of the body named `name` by the member `what` (`response.content._file`), or
    /// why it cannot be read.
    pub fn read(&self, what: &str, name: &str) -> Result<Vec<u8>, String> {
        let refused = |why: &str| format!("{what} {} {why}", quote(name));
        check_name(name).map_err(refused)?;
        match self {
            Attachments::Stdin => Err(refused(
                "cannot be read: the capture came from standard input, so it has no folder (pass its path)",
            )),
            Attachments::Folder(folder) => read_file(folder, name).map_err(|why| refused(&why)),
            Attachments::Archive(archive) => archive.read(name).map_err(|why| refused(&why)),
        }
    }
}

/// Why `name` is not a plain relative path.
fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty");
    }
    if name.contains('\0') {
        return Err("holds a NUL character");
    }
    let bytes = name.as_bytes();
    let drive = matches!(bytes, [letter, b':', ..] if letter.is_ascii_alphabetic());
    if name.starts_with(['/', '\\']) || drive || Path::new(name).is_absolute() {
        return Err("is an absolute path; it must name a file inside the capture's folder");
    }
    if name.split(['/', '\\']).any(|component| component == "..") {
        return Err("leaves the capture's folder (a `..` component)");
    }
    Ok(())
}

/// Reads `name` in `folder`, refusing what resolves outside it.
fn read_file(folder: &Path, name: &str) -> Result<Vec<u8>, String> {
    let path = folder.join(name);
    let canonical = std::fs::canonicalize(&path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            "is a broken symbolic link".to_string()
        }
        std::io::ErrorKind::NotFound => {
            format!("is not in {}", quote(&folder.display().to_string()))
        }
        _ => format!("cannot be read: {}", crate::check::describe(&error)),
    })?;
    if !canonical.starts_with(folder) {
        return Err(
            "resolves outside the capture's folder (through a symbolic link); it is not read"
                .into(),
        );
    }
    let meta = std::fs::metadata(&canonical)
        .map_err(|error| format!("cannot be read: {}", crate::check::describe(&error)))?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    if meta.len() > MAX_RESPONSE as u64 {
        return Err(too_large());
    }
    let file = std::fs::File::open(&canonical)
        .map_err(|error| format!("cannot be read: {}", crate::check::describe(&error)))?;
    let mut bytes = Vec::new();
    // The file may have grown since it was measured.
    file.take(MAX_RESPONSE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot be read: {}", crate::check::describe(&error)))?;
    if bytes.len() > MAX_RESPONSE {
        return Err(too_large());
    }
    Ok(bytes)
}

pub(super) fn too_large() -> String {
    format!("is larger than the limit of {} MiB", MAX_RESPONSE >> 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain_and_relative() {
        for name in ["a.json", "store/x_response.json", "./a", "a..b", "..a"] {
            assert_eq!(check_name(name), Ok(()), "{name}");
        }
        for name in [
            "",
            "a\0b",
            "/etc/passwd",
            "\\x",
            "C:\\x",
            "c:x",
            "../../etc/passwd",
            "a/../../b",
            "store\\..\\..\\x",
            "..",
        ] {
            assert!(check_name(name).is_err(), "{name:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn files_outside_the_folder_are_refused() {
        let outer = tempfile::tempdir().unwrap();
        let folder = outer.path().join("capture");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(outer.path().join("secret"), "s").unwrap();
        std::fs::write(folder.join("body.json"), "{}").unwrap();
        std::os::unix::fs::symlink(outer.path().join("secret"), folder.join("out")).unwrap();
        std::os::unix::fs::symlink(folder.join("body.json"), folder.join("in")).unwrap();
        std::os::unix::fs::symlink(folder.join("gone"), folder.join("dangling")).unwrap();
        let folder = std::fs::canonicalize(&folder).unwrap();
        let attachments = Attachments::Folder(folder.clone());
        assert_eq!(attachments.read("_file", "body.json").unwrap(), b"{}");
        assert_eq!(attachments.read("_file", "in").unwrap(), b"{}");
        let refused = attachments.read("_file", "out").unwrap_err();
        assert!(refused.contains("resolves outside"), "{refused}");
        let refused = attachments.read("_file", "dangling").unwrap_err();
        assert!(refused.ends_with("is a broken symbolic link"), "{refused}");
        let refused = attachments.read("_file", "missing").unwrap_err();
        assert!(refused.contains("is not in"), "{refused}");
        let refused = attachments.read("_file", ".").unwrap_err();
        assert!(refused.ends_with("is not a regular file"), "{refused}");
        let refused = Attachments::Stdin.read("_file", "body.json").unwrap_err();
        assert!(refused.contains("standard input"), "{refused}");
    }
}
