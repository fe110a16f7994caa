//! What the journal's paths mean, for every stage and front-end: which files are journal
//! documents, which names are hidden, the names trailmark gives its own files and folders,
//! how a path is resolved and how reports link to journal files, and the stamp that tells
//! whether a file changed. One definition each, so the walk, `watch` and the link
//! resolver never disagree.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The default output folder, inside the journal.
pub(crate) const DEFAULT_OUTPUT_FOLDER: &str = "_reports";

/// The journal's own report templates (`templates/` at its root).
pub(crate) const TEMPLATES_FOLDER: &str = "templates";

/// The list of files trailmark wrote in an output folder, one relative path a line, each
/// with a record of what it was made from (see `write::Manifest`).
pub(crate) const MANIFEST: &str = ".trailmark-manifest";

/// A goal's report file name without extension. Ids are already `a-z0-9-`; names that
/// Windows reserves for devices get a `_`, and ids longer than [`MAX_STEM`] are cut and
/// get a `_` and a hash of the whole id. No id contains `_`, so neither collides with
/// another goal's name.
pub(crate) fn report_file_stem(id: &str) -> Cow<'_, str> {
    const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
    let device = RESERVED.contains(&id)
        || ((id.starts_with("com") || id.starts_with("lpt"))
            && id.len() == 4
            && id.as_bytes()[3].is_ascii_digit());
    if device {
        Cow::Owned(format!("{id}_"))
    } else if id.len() > MAX_STEM {
        let kept = id.get(..MAX_STEM - 17).unwrap_or(id).trim_end_matches('-');
        Cow::Owned(format!(
            "{kept}_{:016x}",
            crate::hash::content_hash(id.as_bytes())
        ))
    } else {
        // Almost every id: links to goals are written 150,000 times in a full build.
        Cow::Borrowed(id)
    }
}

/// The longest report file name stem: file systems allow 255 bytes a name, and paths on
/// Windows stay usable when each part is short.
const MAX_STEM: usize = 100;

/// Whether `folder` holds a manifest, a plain file (never a link), so it is a folder of
/// reports trailmark wrote: its own output folder, or another one the walk skips.
pub(crate) fn is_report_folder(folder: &Path) -> bool {
    std::fs::symlink_metadata(folder.join(MANIFEST)).is_ok_and(|m| m.is_file())
}

/// The report paths a manifest's `text` lists: the first field of each line.
pub(crate) fn manifest_paths(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter_map(|line| line.split('\t').next())
        .filter(|path| !path.is_empty())
}

/// Whether `path` names a markdown file: a `.md` or `.markdown` extension, in any case.
/// Only these are journal documents (attachments are linked, never read).
pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// `name` without a `.md` or `.markdown` extension (any case).
pub(crate) fn strip_markdown_extension(name: &str) -> &str {
    for extension in [".md", ".markdown"] {
        if name.len() > extension.len()
            && let Some(stem) = name.get(..name.len() - extension.len())
            && name[stem.len()..].eq_ignore_ascii_case(extension)
        {
            return stem;
        }
    }
    name
}

/// Whether a file or folder name is hidden (`.git`, `.obsidian`, editor files like
/// `.#goal.md`): nothing below a hidden name is part of the journal.
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

/// Whether any part of the relative path `relative` is hidden.
pub(crate) fn has_hidden_part(relative: &Path) -> bool {
    relative
        .components()
        .any(|component| matches!(component, Component::Normal(name) if is_hidden(name)))
}

/// `path` made absolute, with symlinks and `..` resolved as far as the folders exist.
pub(crate) fn resolve(path: &Path) -> PathBuf {
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
pub(crate) fn relative_link(from: &Path, to: &Path) -> String {
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

/// A file's size and modification time: equal stamps mean the file was not rewritten
/// (as far as the file system can tell; see `workspace` for the racy window). The time
/// is in nanoseconds since 1970, as the manifest records it: 0 when unknown or earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileStamp {
    pub(crate) len: u64,
    pub(crate) modified: u64,
}

impl FileStamp {
    pub(crate) fn of(metadata: &std::fs::Metadata) -> FileStamp {
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| {
                u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
            });
        FileStamp {
            len: metadata.len(),
            modified,
        }
    }

    /// How long before `now` the file was modified: none when that is unknown, or later
    /// than `now` (a clock set back, a file from another machine).
    pub(crate) fn age(&self, now: SystemTime) -> Option<Duration> {
        let now = now.duration_since(UNIX_EPOCH).ok()?;
        let modified = Duration::from_nanos(self.modified);
        (self.modified != 0)
            .then(|| now.checked_sub(modified))
            .flatten()
    }
}

/// What the system tells of one entry of a folder, itself and not what it links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryStat {
    pub(crate) stamp: FileStamp,
    /// A plain file: not a link, a folder or anything else.
    pub(crate) plain_file: bool,
}

/// [`EntryStat`] of `name`, an entry of the open folder `folder`, looked up by that name
/// alone (`fstatat`, a link not followed): the kernel looks up that one name instead of
/// each part of a path.
#[cfg(unix)]
pub(crate) fn stat_in(folder: &std::fs::File, name: &str) -> std::io::Result<EntryStat> {
    use std::os::fd::AsRawFd as _;
    let name = std::ffi::CString::new(name)?;
    let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `name` is a C string and `stat` room for the plain C struct, which
    // `fstatat` fills, of the link itself, for as long as the call lasts; `folder` is an
    // open descriptor.
    let result = unsafe {
        libc::fstatat(
            folder.as_raw_fd(),
            name.as_ptr(),
            stat.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    if result != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fstatat` succeeded, so it filled `stat`.
    let stat = unsafe { stat.assume_init() };
    // As `FileStamp::of` makes it: nanoseconds since 1970, 0 for a time before it.
    let modified = match (
        u64::try_from(stat.st_mtime),
        u64::try_from(stat.st_mtime_nsec),
    ) {
        (Ok(seconds), Ok(nanoseconds)) => {
            let since = u128::from(seconds) * 1_000_000_000 + u128::from(nanoseconds);
            u64::try_from(since).unwrap_or(u64::MAX)
        }
        _ => 0,
    };
    Ok(EntryStat {
        stamp: FileStamp {
            len: u64::try_from(stat.st_size).unwrap_or(0),
            modified,
        },
        plain_file: stat.st_mode & libc::S_IFMT == libc::S_IFREG,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_entry_stat_by_name_is_as_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "some text").unwrap();
        std::os::unix::fs::symlink(&file, dir.path().join("link.md")).unwrap();
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        let folder = std::fs::File::open(dir.path()).unwrap();
        for name in ["a.md", "link.md", "folder"] {
            let by_path = std::fs::symlink_metadata(dir.path().join(name)).unwrap();
            let by_name = stat_in(&folder, name).unwrap();
            assert_eq!(by_name.stamp, FileStamp::of(&by_path), "{name}");
            assert_eq!(by_name.plain_file, by_path.is_file(), "{name}");
        }
        let gone = stat_in(&folder, "gone.md").unwrap_err();
        assert_eq!(gone.kind(), std::io::ErrorKind::NotFound);
    }

    #[test]
    fn markdown_extensions_in_any_case() {
        for name in ["a.md", "a.MD", "a.markdown", "a.Markdown"] {
            assert!(is_markdown(Path::new(name)), "{name}");
            assert_eq!(strip_markdown_extension(name), "a");
        }
        for name in ["a.txt", "md", "a.md.bak", ".md"] {
            assert!(!is_markdown(Path::new(name)), "{name}");
        }
        assert_eq!(strip_markdown_extension(".md"), ".md");
    }

    #[test]
    fn hidden_parts() {
        assert!(has_hidden_part(Path::new("a/.git/b.md")));
        assert!(has_hidden_part(Path::new(".#goal.md")));
        assert!(!has_hidden_part(Path::new("a/b.c/d.md")));
    }

    #[test]
    fn device_names_get_a_suffix() {
        assert_eq!(report_file_stem("con"), "con_");
        assert_eq!(report_file_stem("com1"), "com1_");
        assert_eq!(report_file_stem("lpt9"), "lpt9_");
        assert_eq!(report_file_stem("console"), "console");
        assert_eq!(report_file_stem("learn-sql"), "learn-sql");
        let long_a = format!("{}-a", "x".repeat(300));
        let long_b = format!("{}-b", "x".repeat(300));
        let (stem_a, stem_b) = (report_file_stem(&long_a), report_file_stem(&long_b));
        assert_eq!(stem_a.len(), 100);
        assert_ne!(
            stem_a, stem_b,
            "ids alike in their first 100 bytes keep apart"
        );
        assert!(stem_a.starts_with(&"x".repeat(83)) && stem_a.contains('_'));
        assert_eq!(report_file_stem(&"y".repeat(100)), "y".repeat(100));
    }

    #[test]
    fn the_age_of_a_stamp() {
        let stamp = |modified| FileStamp { len: 1, modified };
        let now = UNIX_EPOCH + Duration::from_secs(100);
        assert_eq!(
            stamp(40_000_000_000).age(now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(stamp(0).age(now), None, "unknown");
        assert_eq!(stamp(200_000_000_000).age(now), None, "in the future");
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
}
