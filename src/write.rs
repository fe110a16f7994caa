//! Stage 6 of the pipeline: write reports into the output folder, atomically, and only
//! those whose content changed.
//!
//! The output folder keeps a manifest of the files trailmark wrote. Only files listed there
//! are ever removed (a report of a goal that no longer exists), and a folder that holds
//! other files and no manifest is refused, so trailmark never deletes or overwrites what
//! it did not write.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::render::Output;

/// The list of files trailmark wrote, one relative path a line.
pub const MANIFEST: &str = ".trailmark-manifest";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// Reports written because they are new or their content changed, relative to the
    /// output folder, in output order.
    pub written: Vec<String>,
    pub unchanged: usize,
    /// Reports of an earlier build that are no longer produced, now removed.
    pub removed: Vec<String>,
}

/// What the output folder is known to hold: a hash of each report as last written or
/// compared. A workspace keeps it between builds, so that `watch` compares new reports
/// in memory instead of reading every report back from disk.
#[derive(Debug, Default)]
pub struct Written(HashMap<String, u64>);

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

/// Writes every output under `out` and removes reports of an earlier build that are no
/// longer produced. Each file is written to a temporary file beside it and renamed over
/// the old one, so a report is always either the old or the new version.
pub fn write_outputs(
    out: &Path,
    outputs: &[Output],
    known: &mut Written,
) -> Result<WriteSummary, Error> {
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(out).map_err(write_error(out))?;
    let mut summary = WriteSummary::default();
    for output in outputs {
        let target = out.join(checked_relative(&output.path)?);
        let content = output.content.as_bytes();
        let hash = content_hash(content);
        let unchanged = match known.0.get(&output.path) {
            Some(known) => *known == hash,
            None => std::fs::read(&target).is_ok_and(|old| old == content),
        };
        if !unchanged {
            write_atomically(&target, content).map_err(write_error(&target))?;
            summary.written.push(output.path.clone());
        } else {
            summary.unchanged += 1;
        }
        known.0.insert(output.path.clone(), hash);
    }
    let current: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    for stale in read_manifest(out)
        .iter()
        .filter(|p| !current.contains(p.as_str()))
    {
        let Ok(relative) = checked_relative(stale) else {
            continue;
        };
        known.0.remove(stale);
        match std::fs::remove_file(out.join(relative)) {
            Ok(()) => summary.removed.push(stale.clone()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(Error::Write {
                    path: out.join(relative),
                    source: error,
                });
            }
        }
    }
    let mut listed: Vec<&str> = current.into_iter().collect();
    listed.sort_unstable();
    let manifest = listed.join("\n") + "\n";
    let manifest_path = out.join(MANIFEST);
    if std::fs::read(&manifest_path).map_or(true, |old| old != manifest.as_bytes()) {
        write_atomically(&manifest_path, manifest.as_bytes())
            .map_err(write_error(&manifest_path))?;
    }
    Ok(summary)
}

/// A hash of a file's bytes, to tell whether they changed without keeping them.
pub fn content_hash(content: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    hasher.finish()
}

fn read_manifest(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
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
    std::fs::create_dir_all(folder)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".trailmark-").suffix(".tmp");
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

    fn output(path: &str, content: &str) -> Output {
        Output {
            path: path.to_string(),
            content: content.to_string(),
        }
    }

    fn summary_of(written: &[&str], unchanged: usize, removed: &[&str]) -> WriteSummary {
        WriteSummary {
            written: written.iter().map(|p| p.to_string()).collect(),
            unchanged,
            removed: removed.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_reports() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = [output("index.md", "a"), output("goals/x.md", "x")];
        let summary = write_outputs(&out, &first, &mut Written::default()).unwrap();
        assert_eq!(summary, summary_of(&["index.md", "goals/x.md"], 0, &[]));
        let second = [output("index.md", "b")];
        let summary = write_outputs(&out, &second, &mut Written::default()).unwrap();
        assert_eq!(summary, summary_of(&["index.md"], 0, &["goals/x.md"]));
        assert!(!out.join("goals/x.md").exists());
        let summary = write_outputs(&out, &second, &mut Written::default()).unwrap();
        assert_eq!(summary, summary_of(&[], 1, &[]));
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_kept_record_of_written_reports_spares_reading_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut known = Written::default();
        write_outputs(&out, &[output("index.md", "a")], &mut known).unwrap();
        // Changed behind trailmark's back: with the record, the report counts as
        // unchanged because its content is what was last written...
        std::fs::write(out.join("index.md"), "edited").unwrap();
        let summary = write_outputs(&out, &[output("index.md", "a")], &mut known).unwrap();
        assert_eq!(summary, summary_of(&[], 1, &[]));
        // ...and a new content is written.
        let summary = write_outputs(&out, &[output("index.md", "b")], &mut known).unwrap();
        assert_eq!(summary, summary_of(&["index.md"], 0, &[]));
        assert_eq!(std::fs::read_to_string(out.join("index.md")).unwrap(), "b");
        // Without the record, the file on disk is compared.
        let summary =
            write_outputs(&out, &[output("index.md", "b")], &mut Written::default()).unwrap();
        assert_eq!(summary, summary_of(&[], 1, &[]));
    }

    #[test]
    fn never_removes_files_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_outputs(&out, &[output("index.md", "a")], &mut Written::default()).unwrap();
        std::fs::write(out.join("mine.txt"), "keep").unwrap();
        std::fs::write(dir.path().join("beside.md"), "keep").unwrap();
        std::fs::write(out.join(MANIFEST), "index.md\n../beside.md\n").unwrap();
        write_outputs(&out, &[output("index.md", "a")], &mut Written::default()).unwrap();
        assert!(out.join("mine.txt").exists());
        assert!(dir.path().join("beside.md").exists());
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for path in ["../x.md", "/etc/x", "a/../../x", ""] {
            assert!(
                write_outputs(dir.path(), &[output(path, "x")], &mut Written::default()).is_err(),
                "{path}"
            );
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
        write_outputs(
            &root.join("_reports"),
            &[output("index.md", "x")],
            &mut Written::default(),
        )
        .unwrap();
        assert!(
            check_output_folder(&root, &root.join("_reports")).is_ok(),
            "trailmark's own folder"
        );
    }
}
