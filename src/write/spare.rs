//! Spares: in a workspace that builds again after each edit (`watch`, `serve`), a large
//! report that is replaced keeps its old file, under a temp name beside it, and its next
//! replacement writes over that file instead of a new one, then swaps the two names.
//!
//! Writing a file's pages again is much cheaper than making new ones: on the 2-core
//! virtual machine of docs/PERFORMANCE.md, writing the 84 MB `trailmark.json` of a
//! 100,000-file journal into a new file took 204–216 ms, over a file of the same size
//! 7.7–8.7 ms (Python, 5 runs each). A new file's pages are found, zeroed and mapped
//! one by one, and the old file's freed; a spare's are there already.
//!
//! A reader still sees the old report or the new one whole. A spare is written only when
//! no one else has it open: whoever opened the old report before it became the spare
//! still reads it unchanged (a write lease is taken on the spare, which the system grants
//! only when no other open file refers to it, and let go of at once). It is opened
//! without following a link and written only when it is a plain file with one name, so
//! nothing but the spare itself can change. Spares are temp files to every other part of
//! the write stage: the first build of a process sweeps those a killed one left, and
//! `watch` removes its own when it stops.

use std::path::{Path, PathBuf};

use super::{TEMP_PREFIX, TEMP_SUFFIX, content};

/// The spare of the report at `target`: a temp name in the same folder.
pub(super) fn path_of(target: &Path) -> PathBuf {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!("{TEMP_PREFIX}spare-{name}{TEMP_SUFFIX}"))
}

/// Writes `parts` over the spare of `target` and swaps it into `target`'s place; the file
/// written, now at `target`, whose old file is the spare. `None` when there is no spare
/// that can be written (none yet, someone has it open, or it is not a plain file of one
/// name): the caller writes a new file instead.
pub(super) fn overwrite(target: &Path, parts: &[&[u8]]) -> std::io::Result<Option<std::fs::File>> {
    use std::os::unix::fs::MetadataExt as _;
    let spare = path_of(target);
    let Ok(mut file) = super::open_for_writing(&spare) else {
        return Ok(None);
    };
    let metadata = file.metadata()?;
    if !metadata.is_file() || metadata.nlink() != 1 || !open_nowhere_else(&file) {
        return Ok(None);
    }
    content::write_parts(&mut file, parts)?;
    let written: usize = parts.iter().map(|part| part.len()).sum();
    file.set_len(written as u64)?;
    if !super::swap(&spare, target) {
        std::fs::rename(&spare, target)?;
    }
    Ok(Some(file))
}

/// Keeps `old`, the file a report at `target` replaced (under a temp name since the
/// swap), as that report's spare; removes it when it cannot be one.
pub(super) fn keep(old: &Path, target: &Path) {
    if std::fs::rename(old, path_of(target)).is_err() {
        let _ = std::fs::remove_file(old);
    }
}

/// Removes the spare of the report at `target`, if there is one; never through a link.
pub(super) fn remove(target: &Path) {
    let spare = path_of(target);
    if std::fs::symlink_metadata(&spare).is_ok_and(|metadata| metadata.is_file()) {
        let _ = std::fs::remove_file(spare);
    }
}

/// Whether no other open file refers to `file`'s: the system grants a write lease only
/// then. The lease is let go of at once; should another process open the spare in that
/// instant, the system tells this one with `SIGURG`, which is ignored unless handled
/// (`SIGIO`, the default, would end the process).
fn open_nowhere_else(file: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd as _;
    // From <asm-generic/fcntl.h>, which the `libc` crate does not name.
    const F_SETSIG: libc::c_int = 10;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is an open file for the duration of the calls, which take no pointers.
    unsafe {
        if libc::fcntl(fd, F_SETSIG, libc::SIGURG) != 0
            || libc::fcntl(fd, libc::F_SETLEASE, libc::F_WRLCK) != 0
        {
            return false;
        }
        libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_over(target: &Path, text: &str) -> Option<std::fs::File> {
        overwrite(target, &[text.as_bytes()]).unwrap()
    }

    #[test]
    fn a_spare_is_written_over_and_swapped_in_and_the_old_report_becomes_the_spare() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("trailmark.json");
        std::fs::write(&target, "old report").unwrap();
        assert!(write_over(&target, "new").is_none(), "no spare yet");
        std::fs::write(path_of(&target), "a longer spare than the report").unwrap();
        assert!(write_over(&target, "new").is_some());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(path_of(&target)).unwrap(),
            "old report"
        );
    }

    #[test]
    fn a_spare_someone_has_open_is_left_alone() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("trailmark.json");
        std::fs::write(&target, "report").unwrap();
        std::fs::write(path_of(&target), "read by someone").unwrap();
        let reader = std::fs::File::open(path_of(&target)).unwrap();
        assert!(write_over(&target, "new").is_none());
        drop(reader);
        assert_eq!(
            std::fs::read_to_string(path_of(&target)).unwrap(),
            "read by someone"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "report");
    }

    #[test]
    fn a_spare_with_another_name_or_a_link_in_its_place_is_never_written() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("trailmark.json");
        std::fs::write(&target, "report").unwrap();
        let journal = folder.path().join("goal.md");
        std::fs::write(&journal, "a journal file").unwrap();
        std::fs::hard_link(&journal, path_of(&target)).unwrap();
        assert!(write_over(&target, "new").is_none(), "a hard link");
        std::fs::remove_file(path_of(&target)).unwrap();
        std::os::unix::fs::symlink(&journal, path_of(&target)).unwrap();
        assert!(write_over(&target, "new").is_none(), "a symlink");
        assert_eq!(std::fs::read_to_string(&journal).unwrap(), "a journal file");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "report");
    }
}
