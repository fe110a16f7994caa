//! The one way trailmark reads a file: journal files, templates, `trailmark.toml`, the
//! settings it reads beside them, and its own files in an output folder.
//!
//! Only a regular file is read, never through a symlink in its own name, without
//! blocking, and at most a size limit. The rules are checked on the opened handle, not on
//! the path before opening: a file swapped between the folder walk and the read (for a
//! FIFO, a link to `/dev/zero`, a link out of the journal, a huge file) is refused all
//! the same, and opening a FIFO does not wait for a writer.
//!
//! No stage or front-end opens a file itself. What reads through here: journal files
//! (`document::read`); report templates and those they `{% include %}`
//! (`render::templates`, for rendering and for fingerprints), which are also the
//! templates of `new`; `trailmark.toml` (`config`); the note-app settings the walk looks
//! at (`.obsidian/templates.json`, Templater's `data.json`); the lines `check` quotes
//! (`term::diagnostics`); and trailmark's own files in an output folder: the manifest
//! (`write`, and the walk for a folder of reports it finds inside the journal), the git
//! history cache, the documents cache, a report compared with what a build would write,
//! and the pages `serve` answers with.
//!
//! What a refusal becomes is the caller's to say: a journal file gets an error diagnostic
//! with its path, and the rest of the journal is reported; `trailmark.toml` stops every
//! command (exit 2) with an error naming it; a template that a page or `new` loads is a
//! template error naming its file; a file in the templates folder that no template loads
//! is never an error (at most it feeds fingerprints as empty), so a stray FIFO there
//! cannot stop a build; note-app settings, the history cache and the lines `check`
//! quotes are optional and are skipped (the documents cache with a note under
//! `--verbose`); a manifest or a report that cannot be read is written again, except
//! that a report's place taken by anything but a plain file (a link, a FIFO, a folder)
//! is an error that names it (`write`; the documents cache's place is cleared instead,
//! see `workspace::cache`); `serve` answers 404.
//!
//! **Choice**: a template is read like a journal file, so a symlink in the templates
//! folder is refused even when it points to another file of the journal. The walk never
//! follows a link either, wherever it points: one rule is easier to keep than "links that
//! stay inside", which would need the target resolved and compared, and would still race.
//! The folders themselves are taken as given: the journal folder, and the templates
//! folder that `trailmark.toml` names (or `templates/`); a template name is a plain file
//! name, never a path, so no other folder is crossed. `O_NOFOLLOW` guards the last
//! component only: a folder of the journal swapped for a symlink between the walk and the
//! read is not caught.
//!
//! Opening and checking the handle costs nothing measurable: it replaced a check of the
//! size on the path before `std::fs::read` (which checks the size again), so a journal
//! file costs one `statx` fewer. `status --json` on the benchmark's generated 10,000-file
//! journal, release build, 31 interleaved runs on a busy 2-core machine: median CPU time
//! 275 ms against 279 ms before, wall time 427 ms against 433 ms (the same output);
//! 65,024 system calls against 75,017 (`strace -f -c`).

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Files larger than this are refused: nobody writes a 10 MB journal entry, template or
/// settings file, and reading one would slow every build for nothing.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// trailmark's own files in an output folder (reports, the manifest, the git history
/// cache) grow with the journal: an index lists every goal, a manifest has a line a
/// report. Past this, such a file is not read: a build writes it again.
pub(crate) const MAX_OWN_FILE_BYTES: u64 = 256 * 1024 * 1024;

const MIB: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The file is a symlink; links are not followed, wherever they point.
    Symlink,
    /// The file is a folder, a FIFO, a device or a socket (what it is, for a person).
    NotRegular(&'static str),
    /// The file holds more than `limit` bytes (`bytes`, or more when it grew meanwhile).
    TooBig { bytes: u64, limit: u64 },
    /// The system refused: no such file, no permission, an I/O error.
    Io(io::Error),
}

impl Refused {
    /// Whether there is no file at the path: for optional files, which is not a problem.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, Refused::Io(error) if error.kind() == io::ErrorKind::NotFound)
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Symlink => f.write_str(
                "symlink not followed: trailmark reads only regular files inside the journal \
                 folder, never through a link; put the file itself in place of the link",
            ),
            Refused::NotRegular(kind) => write!(
                f,
                "not a regular file but {kind}; trailmark reads only regular files: put a file in its place"
            ),
            Refused::TooBig { bytes, limit } if bytes / MIB > limit / MIB => write!(
                f,
                "file is {} MB, over the {} MB limit",
                bytes / MIB,
                limit / MIB
            ),
            Refused::TooBig { limit, .. } => {
                write!(f, "file is over the {} MB limit", limit / MIB)
            }
            Refused::Io(error) => write!(f, "cannot read file: {error}"),
        }
    }
}

/// The regular file at `path`, opened as [`read`] opens it, and its metadata: for a file
/// copied elsewhere as it is rather than read into memory.
pub(crate) fn open_regular(path: &Path) -> Result<(File, Metadata), Refused> {
    let file = open(path)?;
    let metadata = file.metadata().map_err(Refused::Io)?;
    if let Some(kind) = not_regular(&metadata) {
        return Err(Refused::NotRegular(kind));
    }
    Ok((file, metadata))
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub(crate) fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    read_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// [`read`], with the metadata of the file as it was opened (before it was read).
pub(crate) fn read_with_metadata(path: &Path, limit: u64) -> Result<(Vec<u8>, Metadata), Refused> {
    let (file, metadata) = open_regular(path)?;
    if metadata.len() > limit {
        return Err(Refused::TooBig {
            bytes: metadata.len(),
            limit,
        });
    }
    let bytes = match usize::try_from(metadata.len()) {
        Ok(size) if size > 0 => read_sized(file, size).map_err(Refused::Io)?,
        // A size of 0 may be a file that does not know its size: read to its end.
        _ => {
            let mut bytes = Vec::new();
            file.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(Refused::Io)?;
            bytes
        }
    };
    if bytes.len() as u64 > limit {
        return Err(Refused::TooBig {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    Ok((bytes, metadata))
}

/// The first `size` bytes of `file` (fewer when it ends sooner), the size its handle
/// reported when it was opened: one `read` for a whole file, where `read_to_end` makes a
/// second only to be told that the file ends (7% of the time reading a journal file took,
/// and 10,000 system calls at 10,000 files). Bytes appended after the open are left for
/// the next read, as they would be had they come a moment later.
fn read_sized(mut file: impl Read, size: usize) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; size];
    let mut filled = 0;
    while filled < size {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// [`read`] as text; bytes that are not UTF-8 are an error of their own.
pub(crate) fn read_to_string(path: &Path, limit: u64) -> Result<String, Refused> {
    String::from_utf8(read(path, limit)?).map_err(|_| {
        Refused::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// Opens `path` for reading without following a symlink in its last component
/// (`O_NOFOLLOW`: the open fails instead) and without waiting for a FIFO's writer
/// (`O_NONBLOCK`).
#[cfg(unix)]
fn open(path: &Path) -> Result<File, Refused> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        // Systems differ in the error of a refused link (ELOOP, EMLINK, EFTYPE); ask.
        .map_err(|error| match is_symlink(path) {
            true => Refused::Symlink,
            false => Refused::Io(error),
        })
}

/// Elsewhere the path is checked just before it is opened: the same rules, with a short
/// window in which the file could be swapped.
#[cfg(not(unix))]
fn open(path: &Path) -> Result<File, Refused> {
    let metadata = std::fs::symlink_metadata(path).map_err(Refused::Io)?;
    if metadata.file_type().is_symlink() {
        return Err(Refused::Symlink);
    }
    if let Some(kind) = not_regular(&metadata) {
        return Err(Refused::NotRegular(kind));
    }
    File::open(path).map_err(Refused::Io)
}

#[cfg(unix)]
fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
}

/// What the file is, for a person, unless it is a regular file.
fn not_regular(metadata: &Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "text").unwrap();
        assert_eq!(read(&path, 4).unwrap(), b"text");
        assert_eq!(read_to_string(&path, MAX_FILE_BYTES).unwrap(), "text");
        fs::write(&path, b"\xff").unwrap();
        assert!(read_to_string(&path, MAX_FILE_BYTES).is_err());
    }

    /// A reader that counts its calls.
    struct Counted<'a> {
        bytes: &'a [u8],
        calls: usize,
    }

    impl Read for Counted<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            self.bytes.read(buffer)
        }
    }

    #[test]
    fn a_file_of_the_size_its_handle_reported_is_read_in_one_call() {
        let mut file = Counted {
            bytes: b"whole",
            calls: 0,
        };
        assert_eq!(read_sized(&mut file, 5).unwrap(), b"whole");
        assert_eq!(file.calls, 1);
        // A file that lost bytes since it was opened is read to its new end.
        let mut file = Counted {
            bytes: b"shor",
            calls: 0,
        };
        assert_eq!(read_sized(&mut file, 5).unwrap(), b"shor");
        assert_eq!(file.calls, 2);
    }

    #[test]
    fn a_missing_file_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let refused = read(&dir.path().join("gone.md"), MAX_FILE_BYTES).unwrap_err();
        assert!(refused.is_not_found(), "{refused}");
        assert!(refused.to_string().starts_with("cannot read file: "));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let file = File::create(&path).unwrap();
        file.set_len(50 * MIB).unwrap();
        let refused = read(&path, MAX_FILE_BYTES).unwrap_err();
        assert!(matches!(refused, Refused::TooBig { bytes, .. } if bytes == 50 * MIB));
        assert_eq!(refused.to_string(), "file is 50 MB, over the 10 MB limit");
        fs::write(&path, "12345").unwrap();
        assert!(matches!(read(&path, 4), Err(Refused::TooBig { .. })));
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let refused = read(dir.path(), MAX_FILE_BYTES).unwrap_err();
        assert!(
            matches!(refused, Refused::NotRegular("a folder")),
            "{refused}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_not_followed_even_to_a_file_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "text").unwrap();
        std::os::unix::fs::symlink("a.md", dir.path().join("link.md")).unwrap();
        let refused = read(&dir.path().join("link.md"), MAX_FILE_BYTES).unwrap_err();
        assert!(matches!(refused, Refused::Symlink), "{refused}");
        assert!(refused.to_string().starts_with("symlink not followed"));
        std::os::unix::fs::symlink("missing.md", dir.path().join("dangling.md")).unwrap();
        let refused = read(&dir.path().join("dangling.md"), MAX_FILE_BYTES).unwrap_err();
        assert!(matches!(refused, Refused::Symlink), "{refused}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_dev_zero_is_refused_and_dev_zero_itself_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.md")).unwrap();
        let refused = read(&dir.path().join("z.md"), MAX_FILE_BYTES).unwrap_err();
        assert!(matches!(refused, Refused::Symlink), "{refused}");
        let refused = read(Path::new("/dev/zero"), MAX_FILE_BYTES).unwrap_err();
        assert!(
            matches!(refused, Refused::NotRegular("a device")),
            "{refused}"
        );
    }

    /// Reading a FIFO would wait for a writer forever: it is refused at once. The read
    /// runs on a thread so that a regression fails the test instead of hanging it.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || sender.send(read(&path, MAX_FILE_BYTES).map(|_| ())));
        let refused = receiver
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("reading a FIFO returns at once")
            .unwrap_err();
        assert!(
            matches!(refused, Refused::NotRegular("a named pipe (FIFO)")),
            "{refused}"
        );
    }
}
