//! `status --json` answered from the last build, when nothing it depends on changed: the
//! build's `trailmark.json` is the same report, byte for byte.
//!
//! A build writes a small key beside its reports, `.trailmark-status`: what that report
//! was made from (a hash of the journal's files as found by the walk, each with its size
//! and modification time, of the walk's own warnings, the journal folder and
//! `trailmark.toml`), the day it was analysed for, the state of git's history when the
//! analysis read it (commits and which files differ from them), trailmark's version and
//! program (as for [`super::cache`]), and which report holds it with the fingerprint the
//! manifest records for it. `status --json` walks the journal and stats every file, as
//! any refresh does, asks git as any status does when the key says the history was read,
//! and prints that report when its key is equal, the manifest records the report with
//! that fingerprint, and the file has the size and modification time it was written with
//! (as a build trusts it before writing it again).
//! Anything else, and it reads the journal as usual, from that same walk and those stamps
//! ([`Walked`]): a missing, old, foreign or damaged key is never an error.
//!
//! No key is written (and an old one is removed) when the answer could change without a
//! file's stamp changing: when some file was modified too recently to trust its stamp
//! ([`super::RACY_WINDOW`]) or could not be read. A build writes it as one of its planned
//! files, so atomically and under the output folder's lock; `status` only reads.

use std::fs::File;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Workspace;
use crate::dates::Date;
use crate::diagnostic::Diagnostic;
use crate::hash::{content_hash, data_hash};
use crate::paths::{self, FileStamp};
use crate::plan::{self, Format};
use crate::{discover, fsread, git, write};

/// The name of the key, in the output folder.
pub(crate) const KEY_FILE: &str = ".trailmark-status";

/// Bumped whenever the meaning of the key changes.
const FORMAT: u32 = 1;

/// What a report was made from, and which report it is.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Key {
    format: u32,
    trailmark: String,
    program: String,
    /// [`inputs`] of the journal as the build read it.
    inputs: u64,
    today: Date,
    /// [`crate::git::History::state_hash`] of the history the analysis read, if it did.
    history: Option<u64>,
    /// The report's path in the output folder, and its fingerprint.
    report: String,
    fingerprint: u64,
}

/// A hash of everything the report depends on but the day: the journal folder, the text
/// of `trailmark.toml`, each file the walk found (path, size and modification time, in
/// the walk's order) and the walk's warnings.
pub(super) fn inputs(
    root: &Path,
    config_text: Option<&str>,
    files: &[(&str, u64, u64)],
    walk_diagnostics: &[Diagnostic],
) -> u64 {
    data_hash(&(root.to_string_lossy(), config_text, files, walk_diagnostics))
}

fn key(inputs: u64, today: Date, history: Option<u64>, report: &str, fingerprint: u64) -> Key {
    Key {
        format: FORMAT,
        trailmark: env!("CARGO_PKG_VERSION").to_string(),
        program: super::cache::program(),
        inputs,
        today,
        history,
        report: report.to_string(),
        fingerprint,
    }
}

/// The key's text for a report at `report` with `fingerprint`, made from `inputs` for
/// `today` with `history`.
pub(super) fn text(
    inputs: u64,
    today: Date,
    history: Option<u64>,
    report: &str,
    fingerprint: u64,
) -> String {
    serde_json::to_string(&key(inputs, today, history, report, fingerprint))
        .expect("a key holds strings, numbers and a date")
        + "\n"
}

/// The report `status --json` would print for `inputs` and `today`, opened, when the
/// build in `out` left it; `None` otherwise. `history` gives the state of git's history, asked
/// only when the build's analysis read it.
pub(super) fn answer(
    out: &Path,
    inputs: u64,
    today: Date,
    history: impl FnOnce() -> u64,
) -> Option<File> {
    let text = fsread::read_to_string(&out.join(KEY_FILE), fsread::MAX_OWN_FILE_BYTES).ok()?;
    let found: Key = serde_json::from_str(&text).ok()?;
    let expected = key(
        inputs,
        today,
        found.history,
        &found.report,
        found.fingerprint,
    );
    if found != expected || found.history.is_some_and(|used| used != history()) {
        return None;
    }
    write::recorded_report(out, &found.report, found.fingerprint)
}

/// The journal's files as [`Workspace::saved_status`] found them, each with its stamp
/// (none when it could not be stat'ed), for the refresh that follows when there was no
/// saved answer: the journal is then walked and its files stat'ed once, not twice (a
/// fifth of `status --json` after an edit at 100,000 files).
pub(crate) struct Walked {
    pub(super) found: discover::Found,
    /// In the order of `found.files`.
    pub(super) stamps: Vec<Option<FileStamp>>,
}

impl Workspace {
    /// What `status --json` prints for `today`, when the last build wrote it and nothing
    /// it depends on changed since (see this module): found by a walk and a stat of
    /// every file, without reading any. Otherwise that walk, for
    /// [`Workspace::refresh_walked`].
    pub(crate) fn saved_status(&self, today: Date) -> Result<File, Walked> {
        let root = paths::resolve(&self.root);
        let found = self.walk(&root);
        let stamps = super::stamps_of(&root, &found.files, |_| true);
        let files: Option<Vec<(&str, u64, u64)>> = found
            .files
            .iter()
            .zip(&stamps)
            .map(|(path, stamp)| stamp.map(|stamp| (path.as_str(), stamp.len, stamp.modified)))
            .collect();
        let answered = files.and_then(|files| {
            let inputs = inputs(
                &root,
                self.config_text.as_deref(),
                &files,
                &found.diagnostics,
            );
            // Brought up to date as `analyse` would, when the build's analysis read it.
            let history = || git::update(&self.root, self.cached_history()).state_hash();
            answer(&self.out, inputs, today, history)
        });
        answered.ok_or(Walked { found, stamps })
    }

    /// What the last refresh read, as [`inputs`] hashes it: the journal's documents (in
    /// the walk's order, as linked) with their files' last reads; `None` when some file
    /// had not settled or could not be read (no stamp vouches for its content), or was
    /// an editor's buffer. Hashed only here, for a build's key: every refresh hashed it,
    /// with a list of every file, for `status` and the language server, which never
    /// read it.
    pub(super) fn inputs(&self) -> Option<u64> {
        let settled: Option<Vec<(&str, u64, u64)>> = (self.journal.documents.iter().enumerate())
            .map(|(at, document)| {
                let read = (self.files.get_at(at, &document.path)).filter(|read| read.settled)?;
                Some((&*document.path, read.stamp.len, read.stamp.modified))
            })
            .collect();
        let files = settled?;
        let root = paths::resolve(&self.root);
        Some(inputs(
            &root,
            self.config_text.as_deref(),
            &files,
            &self.walk_diagnostics,
        ))
    }

    /// The key that lets `status --json` print this build's JSON report (see
    /// this module), among the `planned` files; none when the report may change with
    /// no file's stamp changing (a file not settled, or unread).
    pub(super) fn status_key(
        &self,
        outputs: &plan::Outputs,
        planned: &[write::Planned],
        today: Date,
    ) -> Option<write::Planned<'static>> {
        let inputs = self.inputs()?;
        let history = match self.journal.needs_history() {
            true => Some(self.history.as_ref()?.state_hash()),
            false => None,
        };
        let json = outputs
            .pages
            .iter()
            .find(|page| matches!(page.data, plan::PageData::Json(_)))?
            .path(Format::Json);
        let fingerprint = planned.iter().find(|file| file.path == json)?.fingerprint;
        let key = text(inputs, today, history, &json, fingerprint);
        Some(write::Planned {
            path: KEY_FILE.to_string(),
            fingerprint: content_hash(key.as_bytes()),
            make: Box::new(move || Ok(key.clone().into_bytes().into())),
        })
    }
}
