//! `.har.zip` archives (Playwright's `recordHar` with a `.zip` path): one `.har` member, the
//! HAR (`har.har`), and one member per body it names with `_file`. Read in place with the
//! `zip` crate: nothing is extracted, nothing is written to disk.
//!
//! An archive is told by its content: the zip signature, then a `.har` member (exactly one;
//! an archive with none, or with several, is not a capture `cyoda check` reads). The HAR member
//! streams through the HAR reader; a body member is read whole when its response is checked.
//!
//! Limits (a zip bomb stops at the first one it reaches, with a one-line error):
//! - the HAR member inflates to at most [`MAX_HAR`] bytes, a body member to at most
//!   [`MAX_RESPONSE`]; a member that declares more is refused before it is inflated, and one
//!   that inflates past its limit whatever it declares is cut off there;
//! - all members read from one archive inflate to at most [`MAX_INFLATED`] bytes together (a
//!   small body named by a million entries counts a million times);
//! - an archive read from standard input is held in memory, up to [`MAX_ARCHIVE`] bytes; one
//!   read from a file is read from the file.
//!
//! Positions in findings are positions in the HAR member.

use super::attach::Attachments;
use super::{Context, Emit, ReadError, har};
use crate::check::MAX_RESPONSE;
use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use zip::ZipArchive;
use zip::result::ZipError;

/// Largest HAR member, inflated. Attached bodies live in other members, so the HAR itself is
/// small; this bounds the time a bomb of whitespace could take.
pub const MAX_HAR: u64 = 256 << 20;
/// All the members read from one archive, inflated, together.
pub const MAX_INFLATED: u64 = 1 << 30;
/// Largest archive read from standard input (it has to be in memory to be seekable).
pub const MAX_ARCHIVE: usize = 256 << 20;

/// The zip local-file-header signature every archive with a member starts with; an empty
/// archive is an end-of-central-directory record alone.
pub fn is_zip(prefix: &[u8]) -> bool {
    prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06")
}

/// Where an archive's bytes are.
pub enum Bytes<'b> {
    File(&'b Path),
    Memory(&'b [u8]),
}

/// One open handle on the archive: the HAR member and the body members are read through two,
/// so that a body can be read while the HAR streams.
enum Handle<'b> {
    File(File),
    Memory(Cursor<&'b [u8]>),
}

impl<'b> Bytes<'b> {
    fn open(&self) -> io::Result<Handle<'b>> {
        match self {
            Bytes::File(path) => File::open(path).map(Handle::File),
            Bytes::Memory(bytes) => Ok(Handle::Memory(Cursor::new(bytes))),
        }
    }
}

impl Read for Handle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Handle::File(file) => file.read(buf),
            Handle::Memory(cursor) => cursor.read(buf),
        }
    }
}

impl Seek for Handle<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            Handle::File(file) => file.seek(pos),
            Handle::Memory(cursor) => cursor.seek(pos),
        }
    }
}

/// The body members of an archive, for [`Attachments::Archive`].
pub struct Archive<'b> {
    zip: RefCell<ZipArchive<Handle<'b>>>,
    /// Inflated so far from this archive, all members together.
    inflated: &'b Cell<u64>,
}

impl Archive<'_> {
    /// The member `name`, inflated, or why it cannot be read.
    pub(super) fn read(&self, name: &str) -> Result<Vec<u8>, String> {
        let mut zip = self
            .zip
            .try_borrow_mut()
            .map_err(|_| "cannot be read: the archive is busy".to_string())?;
        let member = zip.by_name(name).map_err(|error| match error {
            ZipError::FileNotFound => "is not a member of the archive".to_string(),
            error => format!("cannot be read: {}", describe(&error)),
        })?;
        let mut bytes = Vec::new();
        inflate(member, MAX_RESPONSE as u64, self.inflated, &mut bytes)
            .map_err(|error| member_error(&error))?;
        Ok(bytes)
    }
}

/// Reads `member` into `out`, refusing what declares or inflates to more than `limit`, or
/// takes the archive's total past [`MAX_INFLATED`].
fn inflate(
    member: impl Read + HasSize,
    limit: u64,
    total: &Cell<u64>,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let mut limited = Limited::new(member, limit, total)?;
    limited.read_to_end(out).map(|_| ())
}

/// What a member declares of itself.
trait HasSize {
    fn declared(&self) -> u64;
}

impl<R: Read + ?Sized> HasSize for zip::read::ZipFile<'_, R> {
    fn declared(&self) -> u64 {
        self.size()
    }
}

/// A member's inflated bytes, cut off with an error at its limit or at the archive's.
struct Limited<'t, R> {
    inner: R,
    /// Bytes this member may still yield.
    left: u64,
    limit: u64,
    total: &'t Cell<u64>,
}

impl<'t, R: Read + HasSize> Limited<'t, R> {
    fn new(inner: R, limit: u64, total: &'t Cell<u64>) -> io::Result<Self> {
        let declared = inner.declared();
        if declared > limit {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "inflates to {} MiB, more than the limit of {} MiB",
                    declared.div_ceil(1 << 20),
                    limit >> 20
                ),
            ));
        }
        Ok(Limited {
            inner,
            left: limit,
            limit,
            total,
        })
    }
}

impl<R: Read> Read for Limited<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = MAX_INFLATED.saturating_sub(self.total.get());
        // One byte past a limit tells a member at the limit from one beyond it.
        let want = self.left.min(room).saturating_add(1);
        let len = buf.len().min(usize::try_from(want).unwrap_or(usize::MAX));
        let Some(buf) = buf.get_mut(..len) else {
            return Ok(0);
        };
        let read = self.inner.read(buf)?;
        let counted = read as u64;
        if counted > room {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "inflates past {} MiB, the limit for all the members read from one archive",
                    MAX_INFLATED >> 20
                ),
            ));
        }
        if counted > self.left {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "inflates to more than the limit of {} MiB",
                    self.limit >> 20
                ),
            ));
        }
        self.left -= counted;
        self.total.set(self.total.get() + counted);
        Ok(read)
    }
}

/// What reading a member ran into, after its name: `inflates to …` past a limit, else
/// `cannot be read: …` (a corrupt stream, a checksum that does not match).
fn member_error(error: &io::Error) -> String {
    if error.kind() == io::ErrorKind::FileTooLarge {
        error.to_string()
    } else {
        format!("cannot be read: {error}")
    }
}

/// A zip error as a reason: the crate's wording, which names what is wrong.
fn describe(error: &ZipError) -> String {
    match error {
        ZipError::Io(error) => crate::check::describe(error),
        ZipError::UnsupportedArchive(what) => format!("unsupported archive: {what}"),
        ZipError::CompressionMethodNotSupported(_) => {
            "compressed with a method cyoda check does not read (it reads stored and deflate)"
                .to_string()
        }
        error => error.to_string(),
    }
}

/// Reads the archive in `bytes` as the input of `context`: its HAR member through the HAR
/// reader, its bodies from its other members.
pub fn read(bytes: Bytes<'_>, context: &Context<'_>, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut har_zip = open(&bytes)?;
    let name = har_member(&har_zip)?;
    let inflated = Cell::new(0);
    let bodies = Archive {
        zip: RefCell::new(open(&bytes)?),
        inflated: &inflated,
    };
    let quoted = crate::contract::text::quote(&name);
    let member = har_zip.by_name(&name).map_err(|error| {
        ReadError::Input(format!(
            "the archive member {quoted} cannot be read: {}",
            describe(&error)
        ))
    })?;
    let member = Limited::new(member, MAX_HAR, &inflated)
        .map_err(|error| ReadError::Input(format!("the archive member {quoted} {error}")))?;
    let member = Named {
        inner: member,
        name: &name,
    };
    har::read_with(member, context, emit, &Attachments::Archive(&bodies))
}

/// The archive in `bytes`, through a handle of its own.
fn open<'b>(bytes: &Bytes<'b>) -> Result<ZipArchive<Handle<'b>>, ReadError> {
    let handle = bytes.open().map_err(|error| ReadError::io(&error))?;
    ZipArchive::new(handle)
        .map_err(|error| ReadError::Input(format!("not a valid zip archive: {}", describe(&error))))
}

/// The one `.har` member of the archive.
fn har_member<R: Read + Seek>(zip: &ZipArchive<R>) -> Result<String, ReadError> {
    let hars: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            lower.ends_with(".har") && !lower.ends_with('/')
        })
        .map(|name| name.into_owned())
        .collect();
    match hars.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ReadError::Input(
            "a zip archive without a `.har` member: not a capture cyoda check reads".into(),
        )),
        several => Err(ReadError::Input(format!(
            "a zip archive with {} `.har` members ({}): cyoda check reads archives with one",
            several.len(),
            several
                .iter()
                .take(3)
                .map(|name| crate::contract::text::quote(name))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The HAR member's reader, whose errors name the member.
struct Named<'n, R> {
    inner: R,
    name: &'n str,
}

impl<R: Read> Read for Named<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|error| {
            io::Error::other(format!(
                "the archive member {} {}",
                crate::contract::text::quote(self.name),
                member_error(&error)
            ))
        })
    }
}
