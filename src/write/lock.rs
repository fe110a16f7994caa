//! One process writes to an output folder at a time, and only to a folder that is safe to
//! write: not the journal, not a folder holding it, not someone else's files.
//!
//! The lock is advisory (`std::fs::File::lock`, an `flock` on Unix) on [`LOCK`], held by a
//! build from before it checks the folder until its manifest is written. Another
//! trailmark that wants to write there says `waiting for another trailmark writing <out>
//! to finish...` and waits, as cargo does for its build folder: two builds of one journal
//! want the same result, so waiting and then finding most reports current is what the
//! second one should do. `watch` and `serve` take the lock for each build, not for the
//! whole session, so a `build` beside them waits at most one build. A file system that
//! cannot lock files at all (the system answers the lock with an error) makes the build
//! fail with that error rather than write unguarded.
//!
//! Whether the folder holds someone else's files is checked again once the lock is held,
//! so two first builds of an empty folder never take each other's reports for foreign
//! files. `watch` and `serve` check once, without the lock, before they start.

use std::path::Path;

use super::{is_temp_name, not_a_report_file, open_for_writing, write_error};
use crate::error::Error;
use crate::paths::{MANIFEST, is_report_folder, resolve};

/// The file in the output folder whose advisory lock the writing process holds. It stays
/// when the lock is released: removing it would let two processes lock two different
/// files of the same name.
pub(crate) const LOCK: &str = ".trailmark-lock";

/// Checks that `out` is a safe place for reports of the journal at `root`: not the
/// journal itself, not a folder containing it, and not a folder of someone else's files.
/// Changes nothing; a build checks again holding the lock (see [`lock_output_folder`]).
pub(crate) fn check_output_folder(root: &Path, out: &Path) -> Result<(), Error> {
    check_placement(root, out)?;
    check_not_foreign(out)
}

/// The checks of [`check_output_folder`] that do not depend on what the folder holds.
fn check_placement(root: &Path, out: &Path) -> Result<(), Error> {
    let root = resolve(root);
    let resolved = resolve(out);
    if resolved == root {
        return Err(Error::output(
            out,
            "is the journal folder itself; choose a folder inside or beside it, like _reports",
        ));
    }
    if root.starts_with(&resolved) {
        return Err(Error::output(
            out,
            "contains the journal; choose a folder inside or beside it, like _reports",
        ));
    }
    if resolved.exists() && !resolved.is_dir() {
        return Err(Error::output(out, "is a file, not a folder"));
    }
    Ok(())
}

/// A folder that holds files and no manifest is someone else's. The lock file and temp
/// files do not count: a first build creates them before its manifest.
fn check_not_foreign(out: &Path) -> Result<(), Error> {
    // A manifest that is a link or a FIFO was not written by trailmark: say so by name.
    let manifest = out.join(MANIFEST);
    if let Ok(metadata) = std::fs::symlink_metadata(&manifest)
        && !metadata.is_file()
    {
        return Err(not_a_report_file(&manifest, &metadata));
    }
    let foreign = !is_report_folder(out)
        && std::fs::read_dir(out).is_ok_and(|entries| {
            entries.flatten().any(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                name != LOCK && !is_temp_name(&name)
            })
        });
    if foreign {
        return Err(Error::output(
            out,
            "already holds files that trailmark did not write; choose an empty or new folder",
        ));
    }
    Ok(())
}

/// The output folder held for writing by this process; released when dropped, or by the
/// system when the process ends however it ends (a lock is no file left behind).
#[derive(Debug)]
pub(crate) struct OutputLock {
    _file: std::fs::File,
}

/// Checks `out` as [`check_output_folder`] does, creates it, and holds its lock: waits for
/// another trailmark that writes there (calling `waiting` first, once), then checks
/// whether it holds someone else's files, now that no other build can be half way
/// through its first. The output folder itself may be a symlink the user made; it is
/// followed, and only it (see [`super::write_reports`]).
pub(crate) fn lock_output_folder(
    root: &Path,
    out: &Path,
    waiting: impl FnOnce(),
) -> Result<OutputLock, Error> {
    check_placement(root, out)?;
    std::fs::create_dir_all(out).map_err(write_error(out))?;
    let path = out.join(LOCK);
    let file = open_lock_file(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(write_error(&path))?;
        }
        Err(std::fs::TryLockError::Error(source)) => return Err(Error::Write { path, source }),
    }
    check_not_foreign(out)?;
    Ok(OutputLock { _file: file })
}

/// Opens the lock file, creating it if need be, never through a symlink: a new one is
/// created exclusively (which fails on any existing name, a link included), an existing
/// one must be a plain file. Nothing is written to it, but it is opened for writing: on
/// NFS, Linux emulates `flock` with `fcntl` locks, and an exclusive one needs a file open
/// for writing (opened read-only, every build on NFS failed with "Bad file descriptor").
fn open_lock_file(path: &Path) -> Result<std::fs::File, Error> {
    loop {
        let opened = match std::fs::symlink_metadata(path) {
            Ok(metadata) if metadata.is_file() => open_for_writing(path),
            Ok(metadata) => return Err(not_a_report_file(path, &metadata)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::File::create_new(path) {
                    // Made by another process meanwhile: look again.
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    created => created,
                }
            }
            Err(source) => Err(source),
        };
        let file = opened.map_err(write_error(path))?;
        let metadata = file.metadata().map_err(write_error(path))?;
        if !metadata.is_file() {
            return Err(not_a_report_file(path, &metadata));
        }
        return Ok(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("journal"), dir.path().join("out"));
        std::fs::create_dir(&root).unwrap();
        let first = lock_output_folder(&root, &out, || panic!("nobody else writes")).unwrap();
        let (waiting, waited) = std::sync::mpsc::channel();
        let second = std::thread::spawn(move || {
            let _lock = lock_output_folder(&root, &out, || waiting.send(()).unwrap()).unwrap();
        });
        waited.recv().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!second.is_finished());
        drop(first);
        second.join().unwrap();
    }

    /// On NFS, Linux emulates `flock` with `fcntl` locks, and an exclusive one needs a
    /// file open for writing ("Bad file descriptor" otherwise): taken here directly.
    #[cfg(unix)]
    #[test]
    fn the_lock_file_is_open_for_writing_as_an_emulated_lock_needs() {
        use std::os::fd::AsRawFd as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK);
        // Left by an earlier build, as it usually is.
        std::fs::write(&path, "").unwrap();
        let file = open_lock_file(&path).unwrap();
        // SAFETY: a zeroed `flock` is a valid value of the plain C struct, and `fcntl`
        // only reads it, for as long as the call lasts.
        let result = unsafe {
            let mut lock: libc::flock = std::mem::zeroed();
            lock.l_type = libc::F_WRLCK as _;
            lock.l_whence = libc::SEEK_SET as _;
            libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &lock)
        };
        assert_eq!(result, 0, "{}", std::io::Error::last_os_error());
    }

    #[test]
    fn the_lock_file_and_temp_files_are_not_someone_elses() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("journal"), dir.path().join("out"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir(&root).unwrap();
        std::fs::write(out.join(LOCK), "").unwrap();
        std::fs::write(out.join(".trailmark-Ab12Cd.tmp"), "half a manifest").unwrap();
        check_output_folder(&root, &out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(check_output_folder(&root, &out).is_err());
        assert!(lock_output_folder(&root, &out, || {}).is_err());
    }
}
