//! Stage 6 of the pipeline: write reports into the output folder, atomically, and only
//! those whose content changed.
//!
//! The output folder keeps a manifest of the files trailmark wrote. Only files listed there
//! are ever removed (a report of a goal that no longer exists), and a folder that holds
//! other files and no manifest is refused, so trailmark never deletes or overwrites what
//! it did not write.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::Error;
use crate::fsread;

/// The list of files trailmark wrote, one relative path a line, each with a record of
/// what it was made from (see [`Written`]).
pub const MANIFEST: &str = ".trailmark-manifest";

/// The report paths a manifest's `text` lists: the first field of each line.
pub(crate) fn manifest_paths(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter_map(|line| line.split('\t').next())
        .filter(|path| !path.is_empty())
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Reports written because they are new or their content changed, relative to the
    /// output folder, in output order.
    pub written: Vec<String>,
    pub unchanged: usize,
    /// Reports of an earlier build that are no longer produced, now removed.
    pub removed: Vec<String>,
}

/// Told how many reports are done out of how many, as the write stage goes.
pub type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// Temp files are named `.trailmark-XXXXXX.tmp` beside the report they become.
const TEMP_PREFIX: &str = ".trailmark-";
const TEMP_SUFFIX: &str = ".tmp";

/// What the output folder holds, as its manifest records it: for each report the
/// fingerprint it was made from and a hash of its content. A workspace loads it once and
/// keeps it between builds, so that `watch` and `build` skip reports that are current.
#[derive(Debug, Default)]
pub struct Written {
    records: HashMap<String, Record>,
    /// Temp files left by a killed build were removed (once a workspace is enough).
    swept: bool,
}

/// Checks that `out` is a safe place for reports of the journal at `root`: not the
/// journal itself, not a folder containing it, and not a folder of someone else's files.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<(), Error> {
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
    let foreign = resolved.is_dir()
        && !resolved.join(MANIFEST).is_file()
        && std::fs::read_dir(&resolved).is_ok_and(|mut entries| entries.next().is_some());
    if foreign {
        return Err(Error::output(
            out,
            "already holds files that trailmark did not write; choose an empty or new folder",
        ));
    }
    Ok(())
}

/// `path` made absolute, with symlinks and `..` resolved as far as the folders exist.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// The relative link from folder `from` to folder `to`, ending in `/` (empty when they
/// are the same folder): how reports in `from` link to journal files under `to`.
pub fn relative_link(from: &Path, to: &Path) -> String {
    let (from, to) = (resolve(from), resolve(to));
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(from.len() - common);
    for part in &to[common..] {
        link.push_str(&part.as_os_str().to_string_lossy());
        link.push('/');
    }
    link
}

/// One report to write: where it goes, a fingerprint of everything it is made from (its
/// data and the templates), and how to make its content. Making it (rendering) is the
/// expensive part, so it is skipped when the fingerprint shows the file is current.
pub struct Planned<'a> {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub fingerprint: u64,
    pub make: Box<dyn Fn() -> Result<String, Error> + Send + Sync + 'a>,
}

/// Writes every planned report under `out`, on every core, and removes reports of an
/// earlier build that are no longer planned. A report whose fingerprint and file are as
/// last recorded is neither made nor written; one whose new content equals the old is not
/// written. Each file is written to a temporary file beside it and renamed over the old
/// one, so a report is always either the old or the new version. `progress` is told, from
/// any thread, how many reports are done (written or found current) out of how many.
pub fn write_reports(
    out: &Path,
    planned: &[Planned],
    known: &mut Written,
    progress: &Progress<'_>,
) -> Result<WriteSummary, Error> {
    let targets = planned
        .iter()
        .map(|report| checked_relative(&report.path).map(|path| out.join(path)))
        .collect::<Result<Vec<PathBuf>, Error>>()?;
    // Folders are made once here, not once a report.
    let mut folders: Vec<PathBuf> = targets
        .iter()
        .filter_map(|target| target.parent().map(Path::to_path_buf))
        .collect();
    folders.push(out.to_path_buf());
    folders.sort_unstable();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(folder).map_err(write_error(folder))?;
        if !known.swept {
            remove_temp_files(folder).map_err(write_error(folder))?;
        }
    }
    known.swept = true;
    let done = AtomicUsize::new(0);
    let outcomes = planned
        .par_iter()
        .zip(&targets)
        .map(|(report, target)| {
            let outcome = write_report(report, target, known);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, planned.len());
            outcome
        })
        .collect::<Result<Vec<(bool, Record)>, Error>>()?;
    let mut summary = WriteSummary::default();
    let mut records = HashMap::with_capacity(planned.len());
    for (report, (written, record)) in planned.iter().zip(outcomes) {
        if written {
            summary.written.push(report.path.clone());
        } else {
            summary.unchanged += 1;
        }
        records.insert(report.path.clone(), record);
    }
    let mut stale: Vec<String> = known
        .records
        .keys()
        .filter(|path| !records.contains_key(*path))
        .cloned()
        .collect();
    stale.sort_unstable();
    // The record is of what is on disk now, whether or not every stale report goes.
    known.records = records;
    for stale in stale {
        let Ok(relative) = checked_relative(&stale) else {
            continue;
        };
        match std::fs::remove_file(out.join(relative)) {
            Ok(()) => summary.removed.push(stale),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Write {
                    path: out.join(relative),
                    source,
                });
            }
        }
    }
    let manifest = known.manifest();
    let manifest_path = out.join(MANIFEST);
    let old = fsread::read(&manifest_path, fsread::MAX_OWN_FILE_BYTES);
    if old.map_or(true, |old| old != manifest.as_bytes()) {
        write_atomically(&manifest_path, manifest.as_bytes())
            .map_err(write_error(&manifest_path))?;
    }
    Ok(summary)
}

/// Removes the temp files a build killed before it renamed them left in `folder`. Only
/// names trailmark makes are touched (see [`write_atomically`]).
fn remove_temp_files(folder: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && entry.file_type()?.is_file()
        {
            match std::fs::remove_file(entry.path()) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
                _ => {}
            }
        }
    }
    Ok(())
}

/// Makes and writes one report unless it is current; says whether it was written.
fn write_report(report: &Planned, target: &Path, known: &Written) -> Result<(bool, Record), Error> {
    // A record is trusted only while the file still has the size and time it was written
    // with: a report edited or deleted by hand is compared and rewritten.
    let file = std::fs::metadata(target).ok().map(|m| FileStamp::of(&m));
    let trusted = known
        .records
        .get(&report.path)
        .filter(|record| file == Some(record.file));
    if let Some(record) = trusted.filter(|r| r.fingerprint == report.fingerprint) {
        return Ok((false, *record));
    }
    let content = (report.make)()?;
    let hash = content_hash(content.as_bytes());
    let unchanged = match trusted {
        Some(record) => record.hash == hash,
        None => {
            file.is_some()
                && fsread::read(target, fsread::MAX_OWN_FILE_BYTES)
                    .is_ok_and(|old| old == content.as_bytes())
        }
    };
    let file = match (unchanged, file) {
        (true, Some(file)) => file,
        _ => {
            write_atomically(target, content.as_bytes()).map_err(write_error(target))?;
            let metadata = std::fs::metadata(target).map_err(write_error(target))?;
            FileStamp::of(&metadata)
        }
    };
    let record = Record {
        fingerprint: report.fingerprint,
        hash,
        file,
    };
    Ok((!unchanged, record))
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

/// A hash of a file's bytes, to tell whether they changed without keeping them.
pub fn content_hash(content: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(content)
}

/// What the manifest records of each report: the fingerprint it was made from, a hash of
/// its content, and its file's size and modification time when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    fingerprint: u64,
    hash: u64,
    file: FileStamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    /// Nanoseconds since 1970.
    modified: u64,
}

impl FileStamp {
    fn of(metadata: &std::fs::Metadata) -> FileStamp {
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |since| {
                u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
            });
        FileStamp {
            len: metadata.len(),
            modified,
        }
    }
}

impl Written {
    /// The reports the manifest in `out` lists, with their records. A manifest of an
    /// older trailmark lists only paths: those reports are compared with their files.
    pub fn load(out: &Path) -> Written {
        let text = fsread::read_to_string(&out.join(MANIFEST), fsread::MAX_OWN_FILE_BYTES)
            .unwrap_or_default();
        let mut records = HashMap::new();
        for line in text.lines().filter(|line| !line.is_empty()) {
            let mut fields = line.split('\t');
            let path = fields.next().unwrap_or_default().to_string();
            let numbers: Vec<u64> = fields
                .map_while(|field| u64::from_str_radix(field, 16).ok())
                .collect();
            let record = match numbers[..] {
                [fingerprint, hash, len, modified] => Record {
                    fingerprint,
                    hash,
                    file: FileStamp { len, modified },
                },
                // Never trusted: no file has this stamp.
                _ => Record {
                    fingerprint: 0,
                    hash: 0,
                    file: FileStamp {
                        len: u64::MAX,
                        modified: u64::MAX,
                    },
                },
            };
            records.insert(path, record);
        }
        Written {
            records,
            swept: false,
        }
    }

    /// One line a report, sorted by path: the path, then the record's numbers in hex,
    /// separated by tabs (no report path holds a tab).
    fn manifest(&self) -> String {
        let mut paths: Vec<&String> = self.records.keys().collect();
        paths.sort_unstable();
        let mut manifest = String::new();
        for path in paths {
            let record = &self.records[path];
            let _ = writeln!(
                manifest,
                "{path}\t{:x}\t{:x}\t{:x}\t{:x}",
                record.fingerprint, record.hash, record.file.len, record.file.modified
            );
        }
        manifest
    }
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

fn write_atomically(target: &Path, content: &[u8]) -> std::io::Result<()> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // Temp files are private (0600) by default; reports are ordinary files, readable as
    // the umask allows, so that they can be shared and served.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(folder)?;
    // No fsync: the rename already makes the switch atomic when trailmark crashes or is
    // killed, and reports can always be rebuilt after a power loss; syncing every file
    // made a fresh build of a 10,000-file journal about 20% slower.
    temp.write_all(content)?;
    temp.persist(target).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn reports_are_ordinary_files_not_private_temp_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("index.html");
        write_atomically(&target, b"x").unwrap();
        // The same mode as any file the user creates (0666 less the umask).
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&plain));
    }

    #[test]
    fn relative_links_between_folders() {
        let base = Path::new("/nonexistent-trailmark-test");
        assert_eq!(
            relative_link(&base.join("j/_reports"), &base.join("j")),
            "../"
        );
        assert_eq!(relative_link(&base.join("out"), &base.join("j")), "../j/");
        assert_eq!(relative_link(&base.join("j"), &base.join("j")), "");
    }

    /// Writes reports of these paths and contents as a new trailmark process would, with
    /// the record loaded from the manifest; the fingerprint is the content's hash.
    fn write_outputs(out: &Path, outputs: &[(&str, &str)]) -> Result<WriteSummary, Error> {
        write_with(out, outputs, &mut Written::load(out))
    }

    fn write_with(
        out: &Path,
        outputs: &[(&str, &str)],
        known: &mut Written,
    ) -> Result<WriteSummary, Error> {
        let planned: Vec<Planned> = outputs
            .iter()
            .map(|&(path, content)| Planned {
                path: path.to_string(),
                fingerprint: content_hash(content.as_bytes()),
                make: Box::new(move || Ok(content.to_string())),
            })
            .collect();
        write_reports(out, &planned, known, &|_, _| {})
    }

    fn summary_of(written: &[&str], unchanged: usize, removed: &[&str]) -> WriteSummary {
        WriteSummary {
            written: written.iter().map(|p| p.to_string()).collect(),
            unchanged,
            removed: removed.iter().map(|p| p.to_string()).collect(),
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
        let mut known = Written::load(&out);
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
                make: Box::new(|| Ok("a".to_string())),
            })
            .collect();
        let told = std::sync::Mutex::new(Vec::new());
        write_reports(&out, &planned, &mut Written::load(&out), &|done, total| {
            told.lock().unwrap().push((done, total));
        })
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
                    Ok("a".to_string())
                }),
            }]
        };
        let same = content_hash(b"a");
        let summary =
            write_reports(&out, &planned(same), &mut Written::load(&out), &|_, _| {}).unwrap();
        assert_eq!(
            (summary, made.load(std::sync::atomic::Ordering::SeqCst)),
            (summary_of(&[], 1, &[]), 0)
        );
        // A new fingerprint makes the report again; the same content is not written.
        let summary = write_reports(
            &out,
            &planned(same + 1),
            &mut Written::load(&out),
            &|_, _| {},
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
        let mut known = Written::load(&out);
        write_with(&out, &[("index.md", "a"), ("b.md", "b")], &mut known).unwrap();
        std::fs::write(out.join("index.md"), "edited").unwrap();
        std::fs::remove_file(out.join("b.md")).unwrap();
        let summary = write_with(&out, &[("index.md", "a"), ("b.md", "b")], &mut known).unwrap();
        assert_eq!(summary, summary_of(&["index.md", "b.md"], 0, &[]));
        assert_eq!(std::fs::read_to_string(out.join("index.md")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(out.join("b.md")).unwrap(), "b");
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
}
