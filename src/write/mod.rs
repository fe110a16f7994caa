//! Stage 7 of the pipeline: write reports into the output folder, atomically, and only
//! those whose content changed.
//!
//! A report is written to a temp file (`.trailmark-*.tmp`) in its folder and renamed over
//! the old one (or, for a large report `watch` replaces, written over its spare: see
//! [`spare`]), so a reader, or a build that is killed, only ever sees the old or the new
//! version. A report whose bytes did not change is not written at all, so its
//! modification time stays put for tools that watch the output folder.
//!
//! The output folder keeps a manifest of the files trailmark wrote. Only files listed there
//! are ever removed (a report of a goal that no longer exists), and a folder that holds
//! other files and no manifest is refused, so trailmark never deletes or overwrites what
//! it did not write. A build lists the reports it is about to write in the manifest
//! before it writes the first, then writes them, then the final manifest, so a build that
//! fails or is killed still leaves a folder the next build knows as its own: it finishes
//! them, and removes those it no longer plans. A report is made again unless its
//! fingerprint and its file's size and time all match its record, so one edited or
//! deleted by hand, or left by a build that stopped before its final manifest, is
//! rendered and compared again.
//!
//! One process writes to an output folder at a time (see [`lock`]), and nothing below the
//! output folder is written, renamed or removed through a symlink. The output folder
//! itself may be a link the user made (`_reports -> ~/Sites/goals`): it is followed. Below
//! it, each folder reports go into is looked at with `symlink_metadata` (and made with
//! `create_dir`, one level at a time) once a build, parents first, and each report file
//! the same way before it is compared or replaced; a temp file is created with `O_EXCL`
//! and renamed over its target (or swapped with it, see [`replace`]), which replaces a
//! link of that name rather than following it. A link where a folder or a report goes is an error that names it and says to
//! remove the link. A manifest entry is removed only when every component of its path
//! below the output folder is, without following links, a folder and its last a plain
//! file; anything else (a folder, a link or a path through one, a path leaving the output
//! folder, a name the system refuses as too long) is skipped with a warning and dropped
//! from the manifest. The checks are by path, or by name in a handle of a folder that
//! was checked by path: they keep trailmark from following links put there by accident
//! or by a synced or shared folder, not from a process of the same user swapping a
//! folder for a link between the check and the write.
//!
//! The symlink checks cost little: one `symlink_metadata` a folder a build (a few dozen
//! folders for 3,000 reports), and one stat a report, which replaced the `metadata` call
//! the write stage made anyway (by the report's name in its folder, opened once for the
//! reports a core takes from it in turn, without following a link); the stamp of a
//! written report is read from the open file (`fstat`) instead of its path. On a
//! journal of 10,000 generated files (`cargo run --release --example gen-journal -- J
//! 10000`; about 3,000 reports), release builds without and with them, run in turn 7
//! times each on a busy shared 2-core machine
//! (`/usr/bin/time -f '%e %U %S' trailmark build --quiet --today 2026-11-20 J`), the
//! median CPU time (user + system) of a fresh build was 2.20 s without and 2.24 s with,
//! and of a rebuild with nothing changed 0.36 s both; wall times varied by 2x with the
//! machine's load and showed no difference either.
//!
//! A full disk: each report is written beside the old one before the old one goes, so a
//! build needs room for the largest report twice, and for every new report. Once the disk
//! is full, even a rebuild that would make the reports smaller fails with `No space left
//! on device`, naming the report it could not write; the reports already replaced are
//! new, the others old, and all are listed in the manifest. Freeing some space (deleting
//! the output folder is always safe: it is rebuilt whole) and building again mends it.

use std::path::{Component, Path};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::Error;
use crate::fsread;
use crate::hash::FastSet;
use crate::paths::{self, FileStamp};

mod content;
mod lock;
mod manifest;
#[cfg(target_os = "linux")]
mod spare;

pub(crate) use content::Content;
pub(crate) use lock::{check_output_folder, lock_output_folder};
pub(crate) use manifest::{Made, Manifest, recorded_report};
use manifest::{Record, read_manifest, write_manifest};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct WriteSummary {
    /// Reports written because they are new or their content changed, relative to the
    /// output folder, in output order.
    pub(crate) written: Vec<String>,
    pub(crate) unchanged: usize,
    /// Reports of an earlier build that are no longer produced, now removed.
    pub(crate) removed: Vec<String>,
    /// Manifest entries that were not removed, each with why (a folder, a symlink, a
    /// path the system refuses): they are forgotten, not fatal.
    pub(crate) warnings: Vec<String>,
}

/// Told how many reports are done out of how many, as the write stage goes.
pub(crate) type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// Temp files are named `.trailmark-XXXXXX.tmp` beside the report they become.
const TEMP_PREFIX: &str = ".trailmark-";
const TEMP_SUFFIX: &str = ".tmp";

/// Opens the existing file `path` for reading and writing; on Unix not through a symlink
/// put there since it was looked at.
fn open_for_writing(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    options.open(path)
}

/// The error for something other than a plain file where trailmark writes or removes one.
fn not_a_report_file(path: &Path, metadata: &std::fs::Metadata) -> Error {
    if metadata.is_symlink() {
        symlink_error(path)
    } else if metadata.is_dir() {
        Error::output(
            path,
            "is a folder where trailmark writes a file; move it out of the output folder",
        )
    } else {
        Error::output(
            path,
            "is not a plain file; trailmark writes only plain files, so move it away",
        )
    }
}

fn symlink_error(path: &Path) -> Error {
    Error::output(
        path,
        "is a symlink, and trailmark never writes or removes anything through one; \
         remove the link (not what it points to) and build again",
    )
}

fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// One report to write: where it goes, a fingerprint of everything it is made from (its
/// data and the templates), and how to make its content: bytes (whole or in parts,
/// [`Content`]), since trailmark's own files need not be text (the documents cache is
/// binary). Making it (rendering) is the
/// expensive part, so it is skipped when the fingerprint shows the file is current.
pub(crate) struct Planned<'a> {
    /// Relative to the output folder, with `/` separators.
    pub(crate) path: String,
    pub(crate) fingerprint: u64,
    pub(crate) make: Box<dyn Fn() -> Result<Content, Error> + Send + Sync + 'a>,
}

/// Writes every planned report under `out`, on every core, and removes reports of an
/// earlier build that are no longer planned. A report whose fingerprint and file are as
/// last recorded is neither made nor written; one whose new content equals the old is not
/// written. Each file is written to a temporary file beside it and renamed over the old
/// one, so a report is always either the old or the new version. `progress` is told, from
/// any thread, how many reports are done (written or found current) out of how many.
///
/// The caller holds the folder's lock ([`lock_output_folder`]). Reports not yet in the
/// manifest are added to it, unrecorded, before any is written, so that whatever happens
/// to this build the next one knows the files as its own. No folder or file below `out`
/// is written, renamed or removed through a symlink; one found there is an error.
/// `spares` says that large reports keep their old files as spares (see [`spare`]): for
/// a workspace that builds again after each edit.
///
/// `changed_only`, when given, names the only files (relative to `out`, with `/`
/// separators) that may have changed on disk since `known` recorded them: a report of
/// another name, made from the fingerprint its record was, is taken as current without a
/// look at its file. `watch` knows them from the events of the output folder; 16,000
/// stats were a ninth of a rebuild after one edit at 100,000 files. Every file is looked
/// at unless the manifest on disk is still the one `known` read or wrote, and every
/// name given is a report's or one of trailmark's own.
pub(crate) fn write_reports(
    out: &Path,
    planned: &[Planned],
    known: &mut Manifest,
    progress: &Progress<'_>,
    held: &mut Vec<std::fs::File>,
    spares: bool,
    changed_only: Option<&FastSet<String>>,
) -> Result<WriteSummary, Error> {
    let relatives = planned
        .iter()
        .map(|report| checked_relative(&report.path))
        .collect::<Result<Vec<&Path>, Error>>()?;
    std::fs::create_dir_all(out).map_err(write_error(out))?;
    let on_disk = read_manifest(out).unwrap_or_default();
    // Another build wrote the folder since `known` was read or written: its events do not
    // say what that build changed, so every file is looked at.
    let manifest_unchanged = on_disk == known.text;
    if !manifest_unchanged {
        *known = Manifest {
            swept: known.swept,
            ..Manifest::parse(on_disk)
        };
    }
    // A name that is not a report's (a folder moved away with its reports, a file put
    // there by hand) may stand for reports not named: every file is looked at. Names of
    // trailmark's own temp files, spares, lock and manifest say nothing of the reports.
    let changed_only = changed_only.filter(|changed| {
        manifest_unchanged
            && changed.iter().all(|path| {
                known.records.contains_key(path)
                    || path
                        .rsplit('/')
                        .next()
                        .is_some_and(|name| name.starts_with(TEMP_PREFIX))
            })
    });
    claim(out, planned, known)?;
    // Folders are checked and made once a build, not once a report; parents first.
    let mut parents: Vec<&Path> = relatives.iter().filter_map(|path| path.parent()).collect();
    parents.sort_unstable();
    parents.dedup();
    let folders: std::collections::BTreeSet<&Path> = parents
        .iter()
        .flat_map(|parent| parent.ancestors())
        .collect();
    for folder in &folders {
        let path = out.join(folder);
        // The output folder itself was made by the caller, and may be a link it follows.
        if !folder.as_os_str().is_empty() {
            make_folder(&path)?;
        }
        if !known.swept {
            remove_temp_files(&path).map_err(write_error(&path))?;
        }
    }
    known.swept = true;
    // Each thread of the pool keeps the folder it last looked in, across the reports it
    // takes: the reports are handed out one at a time (below).
    let folders: Vec<Mutex<OpenFolder>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(None))
        .collect();
    // The reports current without a look are settled first, in runs of rayon's own
    // length: handed out one at a time, the 16,000 of them after an edit in `watch` at
    // 100,000 files cost more in hand-offs than in looking them up.
    let settled: Vec<Option<Record>> = (planned.par_iter())
        .map(|report| current_unseen(report, known, changed_only))
        .collect();
    let unsettled: Vec<usize> = (0..planned.len())
        .filter(|&at| settled[at].is_none())
        .collect();
    let settled_count = planned.len() - unsettled.len();
    let done = AtomicUsize::new(settled_count);
    if settled_count > 0 {
        progress(settled_count, planned.len());
    }
    // The others one at a time, so that both cores work until the last is made: in runs
    // of rayon's own length a core was left making the last run alone, a tenth of a
    // fresh full build at 10,000 files.
    let made = (unsettled.par_iter())
        .with_max_len(1)
        .map(|&at| {
            let (report, relative) = (&planned[at], relatives[at]);
            let thread = rayon::current_thread_index().unwrap_or(0) % folders.len();
            let stamp = {
                let mut folder = folders[thread]
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                report_stamp_in(out, relative, &mut folder)
            };
            let outcome = stamp
                .and_then(|file| write_report(report, &out.join(relative), file, known, spares));
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, planned.len());
            outcome
        })
        .collect::<Result<Vec<Outcome>, Error>>()?;
    let mut made = made.into_iter();
    let outcomes = settled.into_iter().map(|settled| match settled {
        Some(record) => Outcome {
            written: false,
            record,
            replaced: None,
        },
        None => made.next().expect("an outcome for each report not settled"),
    });
    let mut summary = WriteSummary::default();
    // Every planned report is in the manifest since `claim`: its record is replaced where
    // it is, not the whole manifest made again (16,000 paths copied into a new one, and
    // the old one's freed, after every edit in `watch` at 100,000 files).
    let mut planned_paths = FastSet::with_capacity_and_hasher(planned.len(), Default::default());
    for (report, outcome) in planned.iter().zip(outcomes) {
        let Outcome {
            written,
            record,
            replaced,
        } = outcome;
        held.extend(replaced);
        if written {
            summary.written.push(report.path.clone());
        } else {
            summary.unchanged += 1;
        }
        *(known.records.get_mut(&report.path)).expect("claimed before it was written") = record;
        planned_paths.insert(report.path.as_str());
    }
    let mut stale: Vec<String> = known
        .records
        .keys()
        .filter(|path| !planned_paths.contains(path.as_str()))
        .cloned()
        .collect();
    stale.sort_unstable();
    // The record is of what is on disk now, whether or not every stale report goes.
    for stale in &stale {
        known.records.remove(stale);
    }
    for stale in stale {
        match remove_stale(out, &stale) {
            Ok(true) => summary.removed.push(stale),
            Ok(false) => {}
            Err(why) => summary.warnings.push(format!(
                "{}: not removed: {why}",
                out.join(&stale).display()
            )),
        }
    }
    write_manifest(out, known, spares)?;
    Ok(summary)
}

/// Writes the one planned file `planned` as [`write_reports`] would, leaving every other
/// report and its record as they are: for a file of trailmark's own that builds left out
/// of date on purpose (`watch` writes the documents cache when it stops). The caller holds
/// the folder's lock; the file goes straight into `out`, which a build made.
pub(crate) fn write_one(out: &Path, planned: &Planned, known: &mut Manifest) -> Result<(), Error> {
    let relative = checked_relative(&planned.path)?;
    let on_disk = read_manifest(out).unwrap_or_default();
    if on_disk != known.text {
        *known = Manifest {
            swept: known.swept,
            ..Manifest::parse(on_disk)
        };
    }
    let target = out.join(relative);
    let Outcome { record, .. } =
        write_report(planned, &target, report_stamp(&target)?, known, false)?;
    known.records.insert(planned.path.clone(), record);
    write_manifest(out, known, false)
}

/// Adds the planned reports the manifest does not list yet to it, unrecorded, before any
/// is written: a build that fails or is killed half way leaves its reports listed, so the
/// next build finishes them and removes those it no longer plans, instead of finding a
/// folder of files it does not know. A build that writes no new report writes nothing.
fn claim(out: &Path, planned: &[Planned], known: &mut Manifest) -> Result<(), Error> {
    let mut claimed = false;
    for report in planned {
        if !known.records.contains_key(&report.path) {
            known.records.insert(report.path.clone(), Record::UNKNOWN);
            claimed = true;
        }
    }
    if claimed {
        write_manifest(out, known, false)?;
    }
    Ok(())
}

/// Makes the folder at `path` unless it is one: it must not be a symlink or a file.
/// Its parent was made or checked before.
fn make_folder(path: &Path) -> Result<(), Error> {
    let metadata = match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            match std::fs::create_dir(path) {
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    std::fs::symlink_metadata(path).map_err(write_error(path))?
                }
                made => return made.map_err(write_error(path)),
            }
        }
        found => found.map_err(write_error(path))?,
    };
    if metadata.is_symlink() {
        Err(symlink_error(path))
    } else if metadata.is_dir() {
        Ok(())
    } else {
        Err(Error::output(
            path,
            "is a file where trailmark puts a folder of reports; move it out of the output folder",
        ))
    }
}

/// Removes the report `stale` (a manifest entry) if it is, without following links, a
/// plain file inside `out`; false when it is gone already, and why not when it is
/// something else.
fn remove_stale(out: &Path, stale: &str) -> Result<bool, String> {
    let relative =
        checked_relative(stale).map_err(|_| "the path leaves the output folder".to_string())?;
    let mut path = out.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        path.push(component);
        let metadata = match std::fs::symlink_metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(error) => return Err(error.to_string()),
        };
        let last = components.peek().is_none();
        if metadata.is_symlink() {
            return Err(format!("{} is a symlink", path.display()));
        }
        if last && !metadata.is_file() {
            return Err("not a plain file".to_string());
        }
        if !last && !metadata.is_dir() {
            return Err(format!("{} is not a folder", path.display()));
        }
    }
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error.to_string()),
    }
}

/// Removes the temp files a build killed before it renamed them left in `folder`. Only
/// names trailmark makes are touched (see [`write_atomically`]), and only while this
/// process holds the folder's lock, so no other process is writing them.
fn remove_temp_files(folder: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        if is_temp_name(&name.to_string_lossy()) && entry.file_type()?.is_file() {
            match std::fs::remove_file(entry.path()) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
    }
    Ok(())
}

/// The record of `report` when it is current without a look at its file: made from the
/// same fingerprint, written by a build (not only claimed), and not among the files
/// `changed_only` says may have changed since.
fn current_unseen(
    report: &Planned,
    known: &Manifest,
    changed_only: Option<&FastSet<String>>,
) -> Option<Record> {
    if changed_only?.contains(&report.path) {
        return None;
    }
    let record = known.records.get(&report.path)?;
    (record.fingerprint == report.fingerprint && *record != Record::UNKNOWN).then_some(*record)
}

/// The stamp of the report file at `target`, looked at without following a link: none
/// when there is none; a symlink, a folder or anything but a plain file there is an
/// error.
fn report_stamp(target: &Path) -> Result<Option<FileStamp>, Error> {
    match std::fs::symlink_metadata(target) {
        Ok(metadata) if metadata.is_file() => Ok(Some(FileStamp::of(&metadata))),
        Ok(metadata) => Err(not_a_report_file(target, &metadata)),
        Err(_) => Ok(None),
    }
}

/// The handle of a folder of reports (relative to the output folder) that
/// [`report_stamp_in`] opened last, if it could.
type OpenFolder<'a> = Option<(&'a Path, Option<std::fs::File>)>;

/// [`report_stamp`] of the report `relative` in `out`, by its name in `folder`, the
/// handle of its folder, opened here when it is of another folder: a build stats every
/// planned report, and the kernel then looks up one name instead of each part of the
/// path. A plain file or no file is answered so; anything else (a link, a folder, an
/// error) is looked at again by its path, which says what it is.
#[cfg(unix)]
fn report_stamp_in<'a>(
    out: &Path,
    relative: &'a Path,
    folder: &mut OpenFolder<'a>,
) -> Result<Option<FileStamp>, Error> {
    let parent = relative.parent().unwrap_or(Path::new(""));
    if folder.as_ref().is_none_or(|(open, _)| *open != parent) {
        *folder = Some((parent, open_folder(&out.join(parent), parent)));
    }
    let name = relative.file_name().and_then(|name| name.to_str());
    if let (Some((_, Some(handle))), Some(name)) = (folder.as_ref(), name) {
        match paths::stat_in(handle, name) {
            Ok(entry) if entry.plain_file => return Ok(Some(entry.stamp)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            _ => {}
        }
    }
    report_stamp(&out.join(relative))
}

#[cfg(not(unix))]
fn report_stamp_in<'a>(
    out: &Path,
    relative: &'a Path,
    _: &mut OpenFolder<'a>,
) -> Result<Option<FileStamp>, Error> {
    report_stamp(&out.join(relative))
}

/// Opens the folder of reports at `path`, `relative` to the output folder, to look its
/// files up by name: never through a link below the output folder (the output folder
/// itself may be one the user made, and is followed).
#[cfg(unix)]
fn open_folder(path: &Path, relative: &Path) -> Option<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    let no_link = match relative.as_os_str().is_empty() {
        true => 0,
        false => libc::O_NOFOLLOW,
    };
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_DIRECTORY | no_link);
    options.open(path).ok()
}

/// What [`write_report`] did with one report.
struct Outcome {
    written: bool,
    record: Record,
    /// The file it replaced, when [`HELD_WHEN_REPLACED`] holds it.
    replaced: Option<std::fs::File>,
}

/// A report this large that a build replaces is held open, handed to the caller, until
/// the caller lets go of it. The system frees a file's pages and blocks when its last name
/// and last handle go: replacing the 8.3 MB `trailmark.json` of a 10,000-file journal
/// took 5–6 ms of the rename on a disk (`os.rename` over an 8 MB file in Python, median
/// of 9: 6.4 ms; 0.3 ms with the old file open, and its `close` then 5.0 ms), 60 ms for the
/// 84 MB of 100,000 files, in the middle of a `watch` rebuild. Held, the file is freed
/// once `watch` has said its reports are written.
const HELD_WHEN_REPLACED: u64 = 1 << 20;

/// The report at `target`, of stamp `file`, opened to be held while it is replaced when
/// it is at least [`HELD_WHEN_REPLACED`]; never through a link.
#[cfg(unix)]
fn held_while_replaced(target: &Path, file: Option<FileStamp>) -> Option<std::fs::File> {
    file.filter(|stamp| stamp.len >= HELD_WHEN_REPLACED)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    options.open(target).ok()
}

/// Elsewhere an open file may keep its name from being replaced: none is held.
#[cfg(not(unix))]
fn held_while_replaced(_: &Path, _: Option<FileStamp>) -> Option<std::fs::File> {
    None
}

/// Makes and writes one report unless it is current; says whether it was written.
/// `file` is the stamp of the file at `target` ([`report_stamp`]); a large one is
/// replaced through its spare when `spares`.
fn write_report(
    report: &Planned,
    target: &Path,
    file: Option<FileStamp>,
    known: &Manifest,
    spares: bool,
) -> Result<Outcome, Error> {
    // A record is trusted only while the file still has the size and time it was written
    // with: a report edited or deleted by hand is compared and rewritten. The file is
    // looked at without following a link: a symlink in its place is an error.
    let trusted = known
        .records
        .get(&report.path)
        .filter(|record| file == Some(record.file));
    if let Some(record) = trusted.filter(|r| r.fingerprint == report.fingerprint) {
        return Ok(Outcome {
            written: false,
            record: *record,
            replaced: None,
        });
    }
    let content = (report.make)()?;
    let hash = content.hash();
    let unchanged = match trusted {
        Some(record) => record.hash == hash,
        None => {
            file.is_some()
                && fsread::read(target, fsread::MAX_OWN_FILE_BYTES)
                    .is_ok_and(|old| content.is(&old))
        }
    };
    let (file, replaced) = match (unchanged, file) {
        (true, Some(file)) => (file, None),
        _ => {
            let replacing = Replacing::of(file.map(|stamp| stamp.len), spares);
            // A report replaced through its spare is not freed: nothing to hold.
            let replaced = (replacing != Replacing::ThroughSpare)
                .then(|| held_while_replaced(target, file))
                .flatten();
            let parts: Vec<&[u8]> = content.parts().collect();
            let written =
                write_atomically(target, &parts, replacing).map_err(write_error(target))?;
            (written, replaced)
        }
    };
    let record = Record {
        fingerprint: report.fingerprint,
        hash,
        file,
    };
    Ok(Outcome {
        written: !unchanged,
        record,
        replaced,
    })
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

/// A report path as a relative path that cannot leave the output folder.
fn checked_relative(path: &str) -> Result<&Path, Error> {
    let relative = Path::new(path);
    let safe = !path.is_empty()
        && relative
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if safe {
        Ok(relative)
    } else {
        Err(Error::output(
            relative,
            "a report path must stay inside the output folder",
        ))
    }
}

/// What is at a report's place when it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replacing {
    /// No file: the new one is renamed into place.
    Nothing,
    /// A file (it was stat'ed): the new one takes its place as [`replace`] does it.
    File,
    /// A large file, replaced through its spare (see [`spare`]).
    ThroughSpare,
}

impl Replacing {
    /// How a file of `old_len` bytes (none when there is no file) is replaced: through its
    /// spare when it is large and the workspace keeps `spares`.
    fn of(old_len: Option<u64>, spares: bool) -> Replacing {
        match old_len {
            None => Replacing::Nothing,
            Some(len) if spares && len >= HELD_WHEN_REPLACED => Replacing::ThroughSpare,
            Some(_) => Replacing::File,
        }
    }
}

/// Writes `parts`, one after another, to a new temp file beside `target` (or over its
/// spare) and puts it in place of `target` (a link there is replaced, never followed);
/// the stamp of the file written.
fn write_atomically(
    target: &Path,
    parts: &[&[u8]],
    replacing: Replacing,
) -> std::io::Result<FileStamp> {
    #[cfg(target_os = "linux")]
    if replacing == Replacing::ThroughSpare
        && let Some(file) = spare::overwrite(target, parts)?
    {
        return Ok(FileStamp::of(&file.metadata()?));
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // Temp files are private (0600) by default; reports are ordinary files, readable as
    // the umask allows, so that they can be shared and served.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Created exclusively (`O_EXCL`), so never through a link of that name.
    let mut temp = builder.tempfile_in(folder)?;
    // No fsync: the rename already makes the switch atomic when trailmark crashes or is
    // killed, and reports can always be rebuilt after a power loss; syncing every file
    // made a fresh build of a 10,000-file journal about 20% slower (1.97 s against
    // 1.65 s, median of 5 runs, release build).
    content::write_parts(&mut temp, parts)?;
    let file = match replacing {
        Replacing::Nothing => temp.persist(target).map_err(|error| error.error)?,
        Replacing::File => replace(temp, target, false)?,
        Replacing::ThroughSpare => replace(temp, target, true)?,
    };
    // The stamp of the handle, not of the path: what was written, wherever the name is now.
    Ok(FileStamp::of(&file.metadata()?))
}

/// Puts `temp` in place of the file at `target` by swapping the two names in one step
/// (`renameat2` with `RENAME_EXCHANGE`), then removes the temp name, which names the old
/// file by then: a reader still sees the old or the new file, never none. A rename over
/// an existing file makes ext4 (unless mounted `noauto_da_alloc`) allocate the new file's
/// blocks and start writing it to the disk inside the `rename` call, on the path of every
/// report a build replaces (0.3–0.7 ms for a page, and the old file's release then waits
/// for the writing); a swap does not, and the new file goes to the disk later with the
/// rest of the page cache (a report `watch` replaces again before then, after the next
/// edit, never reaches the disk, and its removal has no blocks to free). Where the system
/// cannot swap (another file system, or the file went away meanwhile) `temp` is renamed
/// over `target` as before. With `keep_old`, the old file is kept as the report's spare
/// (see [`spare`]) rather than removed.
#[cfg(target_os = "linux")]
fn replace(
    temp: tempfile::NamedTempFile,
    target: &Path,
    keep_old: bool,
) -> std::io::Result<std::fs::File> {
    if !swap(temp.path(), target) {
        return temp.persist(target).map_err(|error| error.error);
    }
    let (file, old) = temp.keep().map_err(|error| error.error)?;
    // The report is in place; a temp file left by a failed removal is swept like one of a
    // killed build.
    if keep_old {
        spare::keep(&old, target);
    } else {
        let _ = std::fs::remove_file(old);
    }
    Ok(file)
}

/// Swaps the names `from` and `to` in one step (`renameat2` with `RENAME_EXCHANGE`);
/// whether it could.
#[cfg(target_os = "linux")]
fn swap(from: &Path, to: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let (Ok(from), Ok(to)) = (
        std::ffi::CString::new(from.as_os_str().as_bytes()),
        std::ffi::CString::new(to.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are C strings that outlive the call, which only reads them.
    unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_EXCHANGE,
        ) == 0
    }
}

/// Removes the spares of the reports `known` records (see [`spare`]): `watch` and
/// `serve` do when they stop, so that they do not stay in the output folder until the
/// next build sweeps them.
pub(crate) fn remove_spares(out: &Path, known: &Manifest) {
    // Every report's, not only those large now: one may have shrunk since its spare
    // was made; and the manifest's own.
    #[cfg(target_os = "linux")]
    for path in known
        .records
        .keys()
        .map(String::as_str)
        .chain([paths::MANIFEST])
    {
        if let Ok(relative) = checked_relative(path) {
            spare::remove(&out.join(relative));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (out, known);
}

/// Elsewhere `temp` is renamed over `target`, and there are no spares.
#[cfg(not(target_os = "linux"))]
fn replace(
    temp: tempfile::NamedTempFile,
    target: &Path,
    _keep_old: bool,
) -> std::io::Result<std::fs::File> {
    temp.persist(target).map_err(|error| error.error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::content_hash;
    use crate::paths::MANIFEST;

    #[cfg(unix)]
    #[test]
    fn reports_are_ordinary_files_not_private_temp_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("index.html");
        write_atomically(&target, &[b"x"], Replacing::Nothing).unwrap();
        // The same mode as any file the user creates (0666 less the umask).
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&plain));
    }

    #[test]
    fn a_replaced_file_leaves_its_new_content_alone_in_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("index.html");
        std::fs::write(&target, b"old").unwrap();
        let held = std::fs::File::open(&target).unwrap();
        let stamp = write_atomically(&target, &[b"ne", b"w"], Replacing::File).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(stamp, FileStamp::of(&std::fs::metadata(&target).unwrap()));
        // The old file's name (the temp file's, after a swap) is gone too.
        assert_eq!(files_under(dir.path()), ["index.html"]);
        // Whoever had the old file open still reads it whole.
        assert_eq!(std::io::read_to_string(held).unwrap(), "old");
    }

    #[test]
    fn a_file_gone_before_it_is_replaced_is_written_anew() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("index.html");
        write_atomically(&target, &[b"new"], Replacing::File).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(files_under(dir.path()), ["index.html"]);
    }

    /// Writes reports of these paths and contents as a new trailmark process would, with
    /// the record loaded from the manifest; the fingerprint is the content's hash.
    fn write_outputs(out: &Path, outputs: &[(&str, &str)]) -> Result<WriteSummary, Error> {
        write_with(out, outputs, &mut Manifest::load(out))
    }

    fn write_with(
        out: &Path,
        outputs: &[(&str, &str)],
        known: &mut Manifest,
    ) -> Result<WriteSummary, Error> {
        write_holding(out, outputs, known, &mut Vec::new())
    }

    /// [`write_with`], the large reports replaced handed to `held`.
    fn write_holding(
        out: &Path,
        outputs: &[(&str, &str)],
        known: &mut Manifest,
        held: &mut Vec<std::fs::File>,
    ) -> Result<WriteSummary, Error> {
        write_reports(out, &planned(outputs), known, &|_, _| {}, held, false, None)
    }

    /// Reports of these paths and contents, each fingerprinted by its content.
    fn planned<'a>(outputs: &[(&'a str, &'a str)]) -> Vec<Planned<'a>> {
        outputs
            .iter()
            .map(|&(path, content)| Planned {
                path: path.to_string(),
                fingerprint: content_hash(content.as_bytes()),
                make: Box::new(move || Ok(content.as_bytes().to_vec().into())),
            })
            .collect()
    }

    /// Every file under `folder`, relative, with `/` separators.
    fn files_under(folder: &Path) -> Vec<String> {
        walkdir::WalkDir::new(folder)
            .into_iter()
            .map(|entry| entry.unwrap())
            .filter(|entry| !entry.file_type().is_dir())
            .map(|entry| {
                let relative = entry.path().strip_prefix(folder).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect()
    }

    fn summary_of(written: &[&str], unchanged: usize, removed: &[&str]) -> WriteSummary {
        WriteSummary {
            written: written.iter().map(|p| p.to_string()).collect(),
            unchanged,
            removed: removed.iter().map(|p| p.to_string()).collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn temp_files_of_a_killed_build_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_outputs(&out, &[("index.md", "a"), ("goals/x.md", "x")]).unwrap();
        let leftovers = [".trailmark-Ab12Cd.tmp", "goals/.trailmark-XyZ987.tmp"];
        for leftover in leftovers {
            std::fs::write(out.join(leftover), "half a rep").unwrap();
        }
        // Not names trailmark makes: kept.
        std::fs::write(out.join("goals/.trailmark-notes"), "kept").unwrap();
        let mut known = Manifest::load(&out);
        write_with(&out, &[("index.md", "a"), ("goals/x.md", "x")], &mut known).unwrap();
        for leftover in leftovers {
            assert!(!out.join(leftover).exists(), "{leftover} is left");
        }
        assert!(out.join("goals/.trailmark-notes").exists());
        // A workspace sweeps once: later builds in `watch` do not list folders again.
        std::fs::write(out.join(leftovers[0]), "x").unwrap();
        write_with(&out, &[("index.md", "a"), ("goals/x.md", "x")], &mut known).unwrap();
        assert!(out.join(leftovers[0]).exists());
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_reports() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = [("index.md", "a"), ("goals/x.md", "x")];
        let summary = write_outputs(&out, &first).unwrap();
        assert_eq!(summary, summary_of(&["index.md", "goals/x.md"], 0, &[]));
        let second = [("index.md", "b")];
        let summary = write_outputs(&out, &second).unwrap();
        assert_eq!(summary, summary_of(&["index.md"], 0, &["goals/x.md"]));
        assert!(!out.join("goals/x.md").exists());
        let summary = write_outputs(&out, &second).unwrap();
        assert_eq!(summary, summary_of(&[], 1, &[]));
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn progress_counts_every_report_current_or_written_up_to_the_total() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_outputs(&out, &[("a.md", "a")]).unwrap();
        let planned: Vec<Planned> = ["a.md", "b.md", "c.md"]
            .into_iter()
            .map(|path| Planned {
                path: path.to_string(),
                fingerprint: content_hash(b"a"),
                make: Box::new(|| Ok(b"a".to_vec().into())),
            })
            .collect();
        let told = std::sync::Mutex::new(Vec::new());
        write_reports(
            &out,
            &planned,
            &mut Manifest::load(&out),
            &|done, total| {
                told.lock().unwrap().push((done, total));
            },
            &mut Vec::new(),
            false,
            None,
        )
        .unwrap();
        let mut told = told.into_inner().unwrap();
        told.sort_unstable();
        assert_eq!(told, [(1, 3), (2, 3), (3, 3)]);
    }

    #[test]
    fn a_report_whose_fingerprint_and_file_are_as_recorded_is_not_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_outputs(&out, &[("index.md", "a")]).unwrap();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let planned = |fingerprint| {
            vec![Planned {
                path: "index.md".to_string(),
                fingerprint,
                make: Box::new(|| {
                    made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    Ok(b"a".to_vec().into())
                }),
            }]
        };
        let same = content_hash(b"a");
        let summary = write_reports(
            &out,
            &planned(same),
            &mut Manifest::load(&out),
            &|_, _| {},
            &mut Vec::new(),
            false,
            None,
        )
        .unwrap();
        assert_eq!(
            (summary, made.load(std::sync::atomic::Ordering::SeqCst)),
            (summary_of(&[], 1, &[]), 0)
        );
        // A new fingerprint makes the report again; the same content is not written.
        let summary = write_reports(
            &out,
            &planned(same + 1),
            &mut Manifest::load(&out),
            &|_, _| {},
            &mut Vec::new(),
            false,
            None,
        )
        .unwrap();
        assert_eq!(
            (summary, made.load(std::sync::atomic::Ordering::SeqCst)),
            (summary_of(&[], 1, &[]), 1)
        );
    }

    #[test]
    fn reports_edited_or_deleted_by_hand_are_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut known = Manifest::load(&out);
        write_with(&out, &[("index.md", "a"), ("b.md", "b")], &mut known).unwrap();
        std::fs::write(out.join("index.md"), "edited").unwrap();
        std::fs::remove_file(out.join("b.md")).unwrap();
        let summary = write_with(&out, &[("index.md", "a"), ("b.md", "b")], &mut known).unwrap();
        assert_eq!(summary, summary_of(&["index.md", "b.md"], 0, &[]));
        assert_eq!(std::fs::read_to_string(out.join("index.md")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(out.join("b.md")).unwrap(), "b");
    }

    /// Given the files that may have changed (`watch` knows them from the output folder's
    /// events), the write stage looks only at those: a report removed but not named is
    /// taken as recorded, one named is written again, and a name that is no report's (a
    /// folder moved away with its reports) or a manifest changed by another build makes
    /// it look at every file. Trailmark's own temp files' names do not.
    #[test]
    fn only_the_files_named_changed_are_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let outputs = [("index.md", "a"), ("goals/b.md", "b"), ("goals/c.md", "c")];
        let mut known = Manifest::load(&out);
        write_with(&out, &outputs, &mut known).unwrap();
        let write_naming = |known: &mut Manifest, changed: &[&str]| {
            let planned = planned(&outputs);
            let changed: FastSet<String> = changed.iter().map(|path| path.to_string()).collect();
            write_reports(
                &out,
                &planned,
                known,
                &|_, _| {},
                &mut Vec::new(),
                false,
                Some(&changed),
            )
            .unwrap()
        };
        std::fs::remove_file(out.join("goals/b.md")).unwrap();
        std::fs::remove_file(out.join("goals/c.md")).unwrap();
        let summary = write_naming(&mut known, &["goals/b.md", ".trailmark-x1.tmp"]);
        assert_eq!(summary, summary_of(&["goals/b.md"], 2, &[]));
        assert!(!out.join("goals/c.md").exists());
        let summary = write_naming(&mut known, &["goals"]);
        assert_eq!(summary, summary_of(&["goals/c.md"], 2, &[]));
        std::fs::remove_file(out.join("index.md")).unwrap();
        // Another build's manifest: its records are read, and every file looked at.
        let mut other = Manifest::load(&out);
        write_with(&out, &[("index.md", "a")], &mut other).unwrap();
        write_with(&out, &outputs, &mut other).unwrap();
        std::fs::remove_file(out.join("goals/b.md")).unwrap();
        let summary = write_naming(&mut known, &[]);
        assert_eq!(summary, summary_of(&["goals/b.md"], 2, &[]));
    }

    /// Reports in folders are stat'ed by their name in a handle of the folder: one edited,
    /// deleted, or swapped for a link or a folder among many others is found as by its
    /// path, and the others, untouched, are current.
    #[cfg(unix)]
    #[test]
    fn reports_in_folders_looked_up_by_name_are_found_as_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let (out, journal) = (dir.path().join("out"), dir.path().join("journal"));
        std::fs::create_dir(&journal).unwrap();
        std::fs::write(journal.join("mine.md"), "journal").unwrap();
        let paths: Vec<String> = (0..40)
            .map(|n| format!("goals/deep/{n}.md"))
            .chain(["index.md".to_string()])
            .collect();
        let outputs: Vec<(&str, &str)> = paths.iter().map(|p| (p.as_str(), p.as_str())).collect();
        let mut known = Manifest::load(&out);
        write_with(&out, &outputs, &mut known).unwrap();
        let again = write_with(&out, &outputs, &mut known).unwrap();
        assert_eq!(again, summary_of(&[], 41, &[]));
        let deep = out.join("goals/deep");
        std::fs::write(deep.join("3.md"), "edited").unwrap();
        std::fs::remove_file(deep.join("5.md")).unwrap();
        let summary = write_with(&out, &outputs, &mut known).unwrap();
        assert_eq!(
            summary,
            summary_of(&["goals/deep/3.md", "goals/deep/5.md"], 39, &[])
        );
        assert_eq!(
            std::fs::read_to_string(deep.join("3.md")).unwrap(),
            "goals/deep/3.md"
        );
        std::fs::remove_file(deep.join("7.md")).unwrap();
        std::os::unix::fs::symlink(journal.join("mine.md"), deep.join("7.md")).unwrap();
        let error = write_with(&out, &outputs, &mut known).unwrap_err();
        assert!(error.to_string().contains("7.md: is a symlink"), "{error}");
        assert_eq!(
            std::fs::read_to_string(journal.join("mine.md")).unwrap(),
            "journal"
        );
        std::fs::remove_file(deep.join("7.md")).unwrap();
        std::fs::create_dir(deep.join("7.md")).unwrap();
        let error = write_with(&out, &outputs, &mut known).unwrap_err();
        assert!(error.to_string().contains("7.md: is a folder"), "{error}");
    }

    /// A large report replaced is held open for the caller, the old file it was (no
    /// longer named, still whole); a small one is not, nor one left as it was.
    #[cfg(unix)]
    #[test]
    fn a_large_report_replaced_is_held_open_for_the_caller() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let large = |fill: &str| fill.repeat(HELD_WHEN_REPLACED as usize);
        let (old, new) = (large("a"), large("b"));
        let write = |outputs: &[(&str, &str)], held: &mut Vec<std::fs::File>| {
            write_holding(&out, outputs, &mut Manifest::load(&out), held).unwrap()
        };
        let mut held = Vec::new();
        write(&[("large.json", &old), ("small.md", "a")], &mut held);
        assert!(held.is_empty(), "nothing replaced");
        write(&[("large.json", &new), ("small.md", "b")], &mut held);
        assert_eq!(held.len(), 1, "the large report only");
        let metadata = held[0].metadata().unwrap();
        assert_eq!((metadata.len(), metadata.nlink()), (old.len() as u64, 0));
        let mut kept = String::new();
        std::io::Read::read_to_string(&mut held[0], &mut kept).unwrap();
        assert!(kept == old, "the old file, whole");
        assert!(std::fs::read_to_string(out.join("large.json")).unwrap() == new);
        held.clear();
        write(&[("large.json", &new), ("small.md", "b")], &mut held);
        assert!(held.is_empty(), "nothing written");
    }

    /// In a workspace that keeps spares, a large report is written over its spare once it
    /// has one, and whoever still reads an old version keeps it whole: a spare open
    /// elsewhere is not written over (the report is then written anew, as without
    /// spares). The reports are right after every build, and the spares go when asked.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_report_replaced_through_its_spare_leaves_its_old_readers_their_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let large = |fill: &str| fill.repeat(HELD_WHEN_REPLACED as usize);
        // One manifest for all the builds, as a workspace keeps it: the first build of a
        // workspace sweeps temp files, spares with them.
        let mut known = Manifest::load(&out);
        let mut write = |content: &str| {
            let planned = [Planned {
                path: "trailmark.json".to_string(),
                fingerprint: content_hash(content.as_bytes()),
                make: Box::new(move || Ok(content.as_bytes().to_vec().into())),
            }];
            let mut held = Vec::new();
            write_reports(
                &out,
                &planned,
                &mut known,
                &|_, _| {},
                &mut held,
                true,
                None,
            )
            .unwrap();
            assert!(held.is_empty(), "nothing held: the old file is the spare");
            assert!(std::fs::read(out.join("trailmark.json")).unwrap() == content.as_bytes());
        };
        let spare = spare::path_of(&out.join("trailmark.json"));
        write(&large("a"));
        let reader = std::fs::File::open(out.join("trailmark.json")).unwrap();
        write(&large("b"));
        assert!(spare.is_file(), "the old report kept as the spare");
        write(&large("c"));
        write(&format!("{}d", large("d")));
        let read_whole = |mut file: std::fs::File| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut file, &mut text).unwrap();
            text
        };
        assert!(read_whole(reader) == large("a"), "the first report, whole");
        write(&large("e"));
        write(&large("f"));
        let old = read_whole(std::fs::File::open(&spare).unwrap());
        assert!(old == large("e"), "the spare is the report before");
        remove_spares(&out, &known);
        assert!(!spare.exists());
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".trailmark-manifest", "trailmark.json"]);
    }

    #[test]
    fn a_manifest_of_paths_only_is_compared_with_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.md"), "a").unwrap();
        std::fs::write(out.join("old.md"), "old").unwrap();
        std::fs::write(out.join(MANIFEST), "index.md\nold.md\n").unwrap();
        let summary = write_outputs(&out, &[("index.md", "a")]).unwrap();
        assert_eq!(summary, summary_of(&[], 1, &["old.md"]));
        let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
        assert!(manifest.starts_with("index.md\t"), "{manifest}");
    }

    #[test]
    fn never_removes_files_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_outputs(&out, &[("index.md", "a")]).unwrap();
        std::fs::write(out.join("mine.txt"), "keep").unwrap();
        std::fs::write(dir.path().join("beside.md"), "keep").unwrap();
        std::fs::write(out.join(MANIFEST), "index.md\n../beside.md\n").unwrap();
        write_outputs(&out, &[("index.md", "a")]).unwrap();
        assert!(out.join("mine.txt").exists());
        assert!(dir.path().join("beside.md").exists());
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for path in ["../x.md", "/etc/x", "a/../../x", ""] {
            assert!(write_outputs(dir.path(), &[(path, "x")]).is_err(), "{path}");
        }
    }

    #[test]
    fn output_folder_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("journal");
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.md"), "x").unwrap();
        assert!(check_output_folder(&root, &root).is_err());
        assert!(check_output_folder(&root, &root.join("notes/..")).is_err());
        assert!(check_output_folder(&root, dir.path()).is_err());
        assert!(
            check_output_folder(&root, &root.join("notes")).is_err(),
            "a folder of the user's files"
        );
        assert!(check_output_folder(&root, &root.join("notes/a.md")).is_err());
        assert!(check_output_folder(&root, &root.join("_reports")).is_ok());
        write_outputs(&root.join("_reports"), &[("index.md", "x")]).unwrap();
        assert!(
            check_output_folder(&root, &root.join("_reports")).is_ok(),
            "trailmark's own folder"
        );
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_symlink_below_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (out, goals) = (dir.path().join("out"), dir.path().join("goals"));
        write_outputs(&out, &[("index.md", "a"), ("goals/x.md", "x")]).unwrap();
        std::fs::create_dir(&goals).unwrap();
        std::fs::write(goals.join("x.md"), "journal").unwrap();
        std::fs::write(goals.join("mine.md"), "journal").unwrap();
        // A folder of reports swapped for a link to a journal folder.
        std::fs::remove_dir_all(out.join("goals")).unwrap();
        std::os::unix::fs::symlink(&goals, out.join("goals")).unwrap();
        let error = write_outputs(&out, &[("index.md", "b"), ("goals/x.md", "y")]).unwrap_err();
        assert!(error.to_string().contains("goals: is a symlink"), "{error}");
        // Nor removed through it, when the reports in it are no longer planned.
        let error = write_outputs(&out, &[("index.md", "b"), ("goals/new/y.md", "y")]);
        assert!(error.is_err());
        write_outputs(&out, &[("index.md", "b")]).unwrap();
        // A report file swapped for a link.
        std::fs::remove_file(out.join("index.md")).unwrap();
        std::os::unix::fs::symlink(goals.join("mine.md"), out.join("index.md")).unwrap();
        let error = write_outputs(&out, &[("index.md", "c")]).unwrap_err();
        assert!(
            error.to_string().contains("index.md: is a symlink"),
            "{error}"
        );
        for name in ["x.md", "mine.md"] {
            assert_eq!(
                std::fs::read_to_string(goals.join(name)).unwrap(),
                "journal"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn manifest_entries_that_are_not_plain_files_inside_are_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let (out, goals) = (dir.path().join("out"), dir.path().join("goals"));
        std::fs::create_dir(&goals).unwrap();
        std::fs::write(goals.join("good.md"), "journal").unwrap();
        write_outputs(&out, &[("index.md", "a")]).unwrap();
        std::os::unix::fs::symlink("../goals", out.join("link")).unwrap();
        std::fs::create_dir(out.join("folder")).unwrap();
        let long = "x".repeat(300);
        let manifest = format!("index.md\nlink/good.md\nlink\n../goals/good.md\nfolder\n{long}\n");
        std::fs::write(out.join(MANIFEST), manifest).unwrap();
        let summary = write_outputs(&out, &[("index.md", "a")]).unwrap();
        assert!(summary.removed.is_empty(), "{summary:?}");
        assert_eq!(summary.warnings.len(), 5, "{summary:?}");
        let warned = |text: &str| summary.warnings.iter().any(|w| w.contains(text));
        assert!(
            warned("folder: not removed: not a plain file"),
            "{summary:?}"
        );
        assert!(warned("link is a symlink"), "{summary:?}");
        assert!(warned("leaves the output folder"), "{summary:?}");
        assert_eq!(
            std::fs::read_to_string(goals.join("good.md")).unwrap(),
            "journal"
        );
        assert!(out.join("folder").is_dir() && out.join("link").is_symlink());
        // Forgotten: the next build has nothing to say.
        assert!(
            write_outputs(&out, &[("index.md", "a")])
                .unwrap()
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn a_failed_build_lists_its_reports_so_the_next_finishes_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("journal");
        let out = root.join("_reports");
        std::fs::create_dir(&root).unwrap();
        let mut planned: Vec<Planned> = (0..50)
            .map(|n| Planned {
                path: format!("goals/{n}.md"),
                fingerprint: n,
                make: Box::new(move || Ok(format!("report {n}").into_bytes().into())),
            })
            .collect();
        planned.push(Planned {
            path: "index.md".to_string(),
            fingerprint: 0,
            make: Box::new(|| Err(Error::Argument("a template error".to_string()))),
        });
        let lock = lock_output_folder(&root, &out, || {}).unwrap();
        assert!(
            write_reports(
                &out,
                &planned,
                &mut Manifest::load(&out),
                &|_, _| {},
                &mut Vec::new(),
                false,
                None,
            )
            .is_err()
        );
        drop(lock);
        let written = std::fs::read_dir(out.join("goals")).unwrap().count();
        assert!(written > 0);
        // Whether the failed build got to it depends on the order its threads ran in.
        let wrote_the_one_kept = out.join("goals/1.md").exists();
        check_output_folder(&root, &out).expect("the folder is trailmark's own");
        // The next build plans fewer reports: the others are removed, whether or not the
        // failed build got to write them.
        let summary =
            write_outputs(&out, &[("index.md", "i"), ("goals/1.md", "report 1")]).unwrap();
        assert_eq!(
            summary.removed.len(),
            written - usize::from(wrote_the_one_kept)
        );
        let mut left = files_under(&out);
        left.sort();
        assert_eq!(
            left,
            [".trailmark-lock", MANIFEST, "goals/1.md", "index.md"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_manifest_that_is_a_link_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("journal"), dir.path().join("out"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("goal.md"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("goal.md"), out.join(MANIFEST)).unwrap();
        let refused = check_output_folder(&root, &out).unwrap_err().to_string();
        assert!(
            refused.contains(MANIFEST) && refused.contains("is a symlink"),
            "{refused}"
        );
        assert_eq!(std::fs::read_to_string(root.join("goal.md")).unwrap(), "x");
    }
}
