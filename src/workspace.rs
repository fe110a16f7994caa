//! The journal as last read, kept between builds, so that `watch` re-reads and re-parses
//! only the files that changed. Every command goes through it: a one-shot `build` is a
//! workspace refreshed and built once.
//!
//! A refresh walks the journal again (a walk is cheap next to parsing) and compares each
//! file's size and modification time with the last read; only files whose stamp changed
//! are read, and only those whose content hash changed are parsed again. Walking on every
//! refresh, instead of trusting the paths the file watcher reported, means no editor's
//! save pattern and no lost or overflowing event queue can leave a stale document behind.
//!
//! Somewhat over 500 lines: it is where every command's stages meet (refresh, analyse,
//! plan, write), so that `build`, `watch` and `review` share one path; what is kept in
//! the output folder for the next process (the documents cache, what is known of each
//! review, the saved status) is in submodules ([`cache`], [`reviews`], [`saved_status`]).

mod cache;
mod goal_inputs;
mod json_pieces;
mod last_analysis;
mod records;
mod reviews;
mod saved_status;
#[cfg(test)]
mod warm_cold;

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::analyse::period::{Period, PeriodKind};
use crate::analyse::review::{self, GoalHashes};
use crate::analyse::{self, Detail, Report};
use crate::config::{self, Config};
use crate::dates::Date;
use crate::diagnostic::Diagnostic;
use crate::document::{self, Document, ParseOptions};
use crate::error::Error;
use crate::fsread;
use crate::hash::{FastSet, content_hash, data_hash};
use crate::model::{self, Journal};
use crate::paths::{self, FileStamp};
use crate::plan::Format;
use crate::share::{self, Shared};
use crate::write::{self, WriteSummary};
use crate::{discover, git, plan, render};
use goal_inputs::{GoalInputs, KeptHashes};
use json_pieces::{JsonGoals, JsonLines, JsonMaking, JsonPieces, LastJson};
use last_analysis::LastAnalysis;
use records::Records;
use reviews::{KnownReviews, ReviewPlan, known_review};

/// A file modified this recently may be modified again within the same tick of the file
/// system clock, leaving its stamp unchanged; such files are hashed again on the next
/// refresh (the "racy git" problem), and polling looks at them again (`watch --poll`).
pub(crate) const RACY_WINDOW: Duration = Duration::from_secs(2);

/// `status --json` makes the JSON of the goals an edit changed on one core, and copies
/// the others' from the last build, while they are at most one in this many; more, and
/// it makes every goal's on every core (a new day's entry changes every goal's inputs).
const MADE_ON_ONE_CORE: usize = 8;

pub(crate) struct Workspace {
    root: PathBuf,
    out: PathBuf,
    config: Config,
    /// Whether `out` came from the configuration (no `--out`).
    out_from_config: bool,
    /// The text of `trailmark.toml` as last read, `None` without one.
    config_text: Option<String>,
    /// Looked up for every entry of every review whose inputs are hashed; sorted by
    /// path, as the documents are (see [`records`]).
    files: Records<LastRead>,
    journal: Journal,
    /// The problems the last walk of the journal found (folders that cannot be read),
    /// kept for [`Workspace::refresh_buffers`], which links the model without a walk.
    walk_diagnostics: Vec<Diagnostic>,
    /// The git history as last read; `None` until some milestone needs it.
    history: Option<git::History>,
    /// The git history being read on a thread of its own, from [`Workspace::history`],
    /// since [`Workspace::read_history_ahead`]; the next build takes it.
    history_ahead: Option<HistoryAhead>,
    /// The output folder's manifest, loaded at the first build.
    manifest: Option<write::Manifest>,
    /// What the last build knew of each review (see [`reviews`]).
    known_reviews: KnownReviews,
    /// Builds keep the documents cache as it is (see [`Workspace::defer_documents_cache`]).
    documents_cache_deferred: bool,
    /// How many files differ from what the documents cache records (their last read
    /// changed, or they are gone), when the workspace started from it: a build rewrites
    /// the cache only once that is more than [`few_files`] (see there); `None` when it
    /// did not start from one.
    differs_from_cache: Option<usize>,
    /// Each goal's JSON as the last `trailmark.json` had it (see [`json_pieces`]); `None`
    /// unless [`Workspace::keep_json_pieces`].
    json_pieces: Option<JsonPieces>,
    /// The goals of the last build's `trailmark.json`, in which a build finds their JSON
    /// (see [`json_pieces`]), as [`Workspace::use_cache`] read them.
    json_goals: Option<JsonGoals>,
    /// What the last build's goals were made from, with their hashes (see
    /// [`goal_inputs`]), as [`Workspace::use_cache`] read them or the last build left them.
    kept_hashes: Option<KeptHashes>,
    /// The goals' hashes of the last build, as of its day, while builds leave the goals'
    /// inputs as they are (see [`Workspace::defer_documents_cache`]): kept by
    /// [`Workspace::save_documents_cache`].
    hashed_unkept: Option<(Date, GoalHashes)>,
    /// What the last build is done with but holds until [`Workspace::let_go_of_last_build`]
    /// or the next build.
    left_of_last_build: LeftOfBuild,
    /// Large reports keep their old files as spares to write over (see `write::spare`).
    keeps_spares: bool,
    /// The only files of the output folder that may have changed since the last build
    /// wrote it, for the next build alone ([`Workspace::reports_changed_only`]); `None`:
    /// any may have, and every report's file is looked at.
    reports_changed_only: Option<FastSet<String>>,
    /// The last analysis and what changed since (see [`last_analysis`]); `None` unless
    /// [`Workspace::keep_analysis`].
    last_analysis: Option<LastAnalysis>,
    /// The last build's renderer, for the next build to keep while it may
    /// ([`render::Renderer::kept_or_new`]).
    renderer: Option<render::Renderer>,
    /// The deadlines calendar's events of the last build, by goal, while the workspace
    /// keeps its analysis (whose goals the next shares when an edit did not touch them).
    kept_events: Option<plan::calendar::KeptEvents>,
}

/// What a build is done with but leaves for its caller to let go of, after saying it is
/// done (see [`Workspace::let_go_of_last_build`]), or to hand to the end of the process.
#[derive(Default)]
struct LeftOfBuild {
    /// The large reports it replaced, held open: the system frees their pages when they
    /// are let go of, a few milliseconds for each megabyte on a disk (see
    /// `write::HELD_WHEN_REPLACED`).
    replaced_reports: Vec<std::fs::File>,
    /// The reviews it made: freeing every review of a fresh full build took the main
    /// thread 10 ms at 10,000 files, alone at its end.
    reviews: Vec<Arc<review::Review>>,
}

/// The git history being read on a thread of its own (see
/// [`Workspace::read_history_ahead`]).
struct HistoryAhead {
    /// The history read, and the count of `changes` when that read began.
    read: std::thread::JoinHandle<(git::History, u64)>,
    /// How many times a file changed since the thread started.
    changes: Arc<AtomicU64>,
}

/// What a file looked like when it was last read.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LastRead {
    stamp: FileStamp,
    content: u64,
    /// Modified long enough before it was read that an unchanged stamp means unchanged
    /// content.
    settled: bool,
}

/// A report of [`Workspace::analyse_unkept`], to give back to
/// [`Workspace::keep_analysed`] with the history's dating it was made with.
pub(crate) struct Unkept {
    pub(crate) report: Report,
    /// `None` when the journal needed no history, or the workspace keeps no analysis.
    dating: Option<git::Dating>,
}

/// Which caches of the output folder a workspace reads.
#[derive(Clone, Copy)]
enum Reading {
    AllCaches,
    /// The documents cache alone: for a workspace that analyses and never builds.
    DocumentsOnly,
}

/// The caches of an output folder as read (see [`Workspace::use_cache`]).
struct Caches {
    documents: Result<Option<cache::Cached>, String>,
    reviews: Result<KnownReviews, String>,
    json_goals: Result<Option<JsonGoals>, String>,
    goal_hashes: Result<Option<KeptHashes>, String>,
}

/// Which journal files a refresh found added, changed (in content) or removed, relative
/// to the journal with `/` separators, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Refresh {
    pub(crate) added: Vec<String>,
    pub(crate) changed: Vec<String>,
    pub(crate) removed: Vec<String>,
}

impl Refresh {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// Every file the refresh touched, in order.
    pub(crate) fn touched(&self) -> impl Iterator<Item = &str> {
        self.added
            .iter()
            .chain(&self.changed)
            .chain(&self.removed)
            .map(String::as_str)
    }
}

impl Workspace {
    /// A workspace of the journal at `root`, with its configuration and every file read
    /// once: what every command starts from (`status` analyses it, `build` builds it).
    pub(crate) fn load(root: &Path, out: Option<&Path>) -> Result<Workspace, Error> {
        let mut workspace = Workspace::open(root, out)?;
        workspace.refresh();
        Ok(workspace)
    }

    /// A workspace for the journal at `root` with its `trailmark.toml` read, and reports
    /// in `out` or else the configured output folder; no journal file is read yet.
    pub(crate) fn open(root: &Path, out: Option<&Path>) -> Result<Workspace, Error> {
        let metadata = std::fs::metadata(root).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => Error::missing_journal(root),
            _ => Error::journal(root, error.to_string()),
        })?;
        if !metadata.is_dir() {
            return Err(Error::journal(root, "is not a folder"));
        }
        let config_text = config::read_text(root)?;
        let config = config::from_text(root, config_text.as_deref())?;
        Ok(Workspace {
            root: root.to_path_buf(),
            out: out.map_or_else(|| config.output_in(root), Path::to_path_buf),
            out_from_config: out.is_none(),
            config,
            config_text,
            files: Records::default(),
            journal: Journal::default(),
            walk_diagnostics: Vec::new(),
            history: None,
            history_ahead: None,
            manifest: None,
            known_reviews: KnownReviews::new(),
            documents_cache_deferred: false,
            differs_from_cache: None,
            json_pieces: None,
            json_goals: None,
            kept_hashes: None,
            hashed_unkept: None,
            left_of_last_build: LeftOfBuild::default(),
            keeps_spares: false,
            reports_changed_only: None,
            renderer: None,
            last_analysis: None,
            kept_events: None,
        })
    }

    /// Starts from the documents the last build kept in the output folder (see [`cache`]),
    /// so that the next refresh reads and parses only the files changed since, from what
    /// it knew of each review (see [`reviews`]), and from its goals' JSON (see
    /// [`json_pieces`]: the JSON itself is read only when a build makes it again). Says
    /// why when one of these is there but cannot be used: it is then ignored, and made
    /// anew by the next build.
    pub(crate) fn use_cache(&mut self) -> Option<String> {
        let caches = self.read_caches(Reading::AllCaches);
        self.start_from(caches)
    }

    /// [`Workspace::use_cache`], then [`Workspace::refresh_with_buffers`], the journal
    /// walked while the caches are read: neither keeps both cores busy (the cache's
    /// checksum and its entries' map are made on one, and a journal's files are mostly
    /// in one folder). With a documents cache in the output folder, every file the walk
    /// finds is stat'ed on its side too, before the cache says which files it records:
    /// nearly all of them, and stat'ed after it, they waited for the whole cache.
    pub(crate) fn refresh_from_cache(
        &mut self,
        buffers: &HashMap<String, String>,
    ) -> (Refresh, Option<String>) {
        self.refresh_from_caches(buffers, Reading::AllCaches)
    }

    /// [`Workspace::refresh_from_cache`] for a workspace that only analyses (`trailmark
    /// lsp`): of the caches only the documents are read, not what builds and JSON writes
    /// read (what the last build knew of each review, its goals' JSON and inputs), which
    /// would be held for nothing.
    pub(crate) fn refresh_from_documents_cache(
        &mut self,
        buffers: &HashMap<String, String>,
    ) -> (Refresh, Option<String>) {
        self.refresh_from_caches(buffers, Reading::DocumentsOnly)
    }

    fn refresh_from_caches(
        &mut self,
        buffers: &HashMap<String, String>,
        reading: Reading,
    ) -> (Refresh, Option<String>) {
        let root = paths::resolve(&self.root);
        let cached = cache::is_there(&self.out);
        let (caches, (found, stamps)) = rayon::join(
            || self.read_caches(reading),
            || {
                let found = self.walk(&root);
                let stamps = cached.then(|| stamps_of(&root, &found.files, |_| true));
                (found, stamps)
            },
        );
        let note = self.start_from(caches);
        let refresh = self.refresh_found(&root, found, stamps, buffers);
        (refresh, note)
    }

    /// The caches of the output folder, as read; those `reading` leaves out as if there
    /// were none.
    fn read_caches(&self, reading: Reading) -> Caches {
        let documents = cache::read(&self.out, &self.config.parse);
        match reading {
            Reading::AllCaches => Caches {
                documents,
                reviews: reviews::read(&self.out),
                json_goals: json_pieces::read_goals(&self.out),
                goal_hashes: goal_inputs::read(&self.out),
            },
            Reading::DocumentsOnly => Caches {
                documents,
                reviews: Ok(KnownReviews::new()),
                json_goals: Ok(None),
                goal_hashes: Ok(None),
            },
        }
    }

    /// [`Workspace::use_cache`] of `caches`, read.
    fn start_from(&mut self, caches: Caches) -> Option<String> {
        let out = &self.out;
        let ignored = |file: &str, instead: &str, why: String| {
            format!(
                "ignored {}: {why}; {instead}; the next build writes it anew",
                out.join(file).display()
            )
        };
        let documents = match caches.documents {
            Ok(Some(cached)) => {
                self.files = cached.files;
                self.journal.documents = cached.documents;
                self.differs_from_cache = Some(0);
                // What was kept of the documents before is of other documents.
                if let Some(last) = &mut self.last_analysis {
                    last.forget();
                }
                None
            }
            Ok(None) => None,
            Err(why) => Some(ignored(cache::CACHE_FILE, "the files are read again", why)),
        };
        let reviews = kept(caches.reviews, &mut self.known_reviews)
            .map(|why| ignored(reviews::REVIEWS_FILE, "every review is made again", why));
        let json_goals = kept(caches.json_goals, &mut self.json_goals).map(|why| {
            let instead = "the JSON of every goal is made again";
            ignored(json_pieces::GOALS_FILE, instead, why)
        });
        let goal_hashes = kept(caches.goal_hashes, &mut self.kept_hashes)
            .map(|why| ignored(goal_inputs::INPUTS_FILE, "every goal is hashed again", why));
        documents.or(reviews).or(json_goals).or(goal_hashes)
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn out(&self) -> &Path {
        &self.out
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Reads `trailmark.toml` again; true when it changed. The output folder stays the
    /// one the workspace was opened with (a watch keeps serving and ignoring one folder);
    /// every other setting applies from the next refresh and build.
    pub(crate) fn reload_config(&mut self) -> Result<bool, Error> {
        let text = config::read_text(&self.root)?;
        if text == self.config_text {
            return Ok(false);
        }
        let config = config::from_text(&self.root, text.as_deref())?;
        if config.parse != self.config.parse {
            // Documents were parsed with the old settings: parse every file again.
            self.files.clear();
        }
        self.config = config;
        self.config_text = text;
        if let Some(last) = &mut self.last_analysis {
            last.forget();
        }
        Ok(true)
    }

    /// Whether `trailmark.toml` now names another output folder than the one in use.
    pub(crate) fn output_moved(&self) -> bool {
        self.out_from_config && self.config.output_in(&self.root) != self.out
    }

    pub(crate) fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The journal's files, found by a walk of its folder `root` (resolved).
    fn walk(&self, root: &Path) -> discover::Found {
        let skip = discover::Skip {
            out: &paths::resolve(&self.out),
            templates: &root.join(&self.config.templates),
            exclude: &self.config.exclude,
        };
        discover::find_files(root, &skip)
    }

    /// Brings the journal up to date with the files on disk.
    pub(crate) fn refresh(&mut self) -> Refresh {
        self.refresh_with_buffers(&HashMap::new())
    }

    /// [`Workspace::refresh`], with the text of some journal files taken from `buffers`
    /// (path relative to the journal → text) instead of the disk: the unsaved buffers of
    /// an editor (`trailmark lsp`). A buffer is parsed on every refresh and never
    /// remembered as the file's last read, so once it is gone the file is read again.
    pub(crate) fn refresh_with_buffers(&mut self, buffers: &HashMap<String, String>) -> Refresh {
        let root = paths::resolve(&self.root);
        let found = self.walk(&root);
        self.refresh_found(&root, found, None, buffers)
    }

    /// [`Workspace::refresh`] from the walk and stamps [`Workspace::saved_status`] made
    /// when it had no answer: the journal is not walked, nor its files stat'ed, again.
    pub(crate) fn refresh_walked(&mut self, walked: saved_status::Walked) -> Refresh {
        let root = paths::resolve(&self.root);
        self.refresh_found(&root, walked.found, Some(walked.stamps), &HashMap::new())
    }

    /// [`Workspace::refresh_with_buffers`] with the files a walk `found`, and their
    /// `stamps` (in the walk's order) when they were stat'ed already.
    fn refresh_found(
        &mut self,
        root: &Path,
        found: discover::Found,
        stamps: Option<Vec<Option<FileStamp>>>,
        buffers: &HashMap<String, String>,
    ) -> Refresh {
        self.walk_diagnostics = found.diagnostics;
        // The documents are brought up to date where they are, and new files parsed
        // into a list of their own: no second list of every document (nor a map of
        // them) is held while the journal is read, which was a third of the language
        // server's peak memory.
        let mut documents = std::mem::take(&mut self.journal.documents);
        // Each file with a last read to compare with is stat'ed first, on every core; any
        // other is read in any case, and stamped from its opened handle.
        let stamps = stamps.unwrap_or_else(|| {
            let files = &self.files;
            stamps_of(root, &found.files, |path| files.contains_key(path))
        });
        let (new_files, gone) = match_files(&mut documents, found.files);
        let (known_stamps, added_stamps) = split_stamps(&documents, &new_files, stamps);
        let options = self.config.parse.clone();
        // `walked` is the file's stamp when the walk stat'ed it already.
        // `at`: the document's index, where its record is when every document has one.
        let examine = |files: &Records<LastRead>,
                       document: &mut Document,
                       at: Option<usize>,
                       walked: Option<&Option<FileStamp>>| {
            let known = at.is_some();
            let last = match at {
                Some(at) => files.get_at(at, &document.path).copied(),
                None => files.get(&document.path).copied(),
            };
            match buffers.get(&*document.path) {
                Some(text) => examine_buffer(document, text, known, &options),
                None => {
                    // A file with no last read is read in any case: its stamp is taken
                    // from the opened handle, not by a stat of its path first (7% of the
                    // CPU of a cold `status`).
                    let stamp = match walked {
                        Some(&stamp) => stamp,
                        None if last.is_none() => None,
                        None => stamp_of(root, &document.path),
                    };
                    examine_file(root, document, known, last, stamp, &options)
                }
            }
        };
        // Files are checked, read and parsed on every core, a slice of them at a time, and
        // what was found of each remembered: a list of what every file's examination
        // found (48 bytes a file) was the peak of the language server's walk after a
        // file is opened, with the walk's stamps.
        let mut refresh = Refresh::default();
        for first in (0..documents.len()).step_by(EXAMINED_AT_ONCE) {
            let slice = first..(first + EXAMINED_AT_ONCE).min(documents.len());
            let files = &self.files;
            let examined: Vec<Examined> = (documents[slice.clone()].par_iter_mut())
                .zip(slice.clone().into_par_iter())
                .map(|(document, at)| examine(files, document, Some(at), known_stamps.get(at)))
                .collect();
            for (at, examined) in slice.zip(examined) {
                self.remember(Some(at), &documents[at].path, examined, &mut refresh);
            }
        }
        drop(known_stamps);
        // The new files' paths made before any is parsed, one after another on each
        // core: made each among its document's allocations, they were spread over the
        // whole heap, and every later pass that reads each document's path (the saved
        // status's hash, the goals' files, the JSON) read another page for each.
        let paths: Vec<Arc<str>> = new_files
            .par_iter()
            .map(|path| Arc::from(path.as_str()))
            .collect();
        let files = &self.files;
        let (mut added, examined_added): (Vec<Document>, Vec<Examined>) = paths
            .into_par_iter()
            .enumerate()
            .map(|(at, path)| {
                let mut document = Document {
                    path,
                    ..Document::default()
                };
                let examined = examine(files, &mut document, None, added_stamps.get(at));
                (document, examined)
            })
            .unzip();
        // The new files' records, and the gone ones, in one pass each: one at a time,
        // each would move the records after it.
        let mut new_records = Vec::with_capacity(added.len());
        for (document, examined) in added.iter().zip(examined_added) {
            if self.files.contains_key(&document.path) {
                self.remember(None, &document.path, examined, &mut refresh);
                continue;
            }
            if let Some(last_read) = examined.last_read {
                new_records.push((Arc::clone(&document.path), last_read));
                self.count_differing();
            }
            if examined.changed {
                refresh.changed.push(document.path.to_string());
            }
        }
        self.files.insert_all(new_records);
        for _ in 0..self.files.remove_all(&gone) {
            self.count_differing();
        }
        refresh.removed.extend(gone);
        // The walk's own names, sorted: kept rather than copied and freed, which left
        // 5 MB of holes in the heap at 100,000 files.
        refresh.added = new_files;
        if documents.is_empty() {
            documents = added;
        } else if !added.is_empty() {
            documents.reserve_exact(added.len());
            documents.append(&mut added);
            documents.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        }
        let touched: Vec<&str> = refresh.touched().collect();
        self.relink(documents, &touched);
        refresh
    }

    /// [`Workspace::refresh`] for a watch told which files changed: only `changed`
    /// (paths relative to the journal, `/`-separated) are looked at again, when each is
    /// a file the last refresh found, and is now a plain file or gone. The file watcher
    /// names every file written, so the others are as last read. Otherwise (a new file,
    /// a folder, a link) the journal is walked as [`Workspace::refresh`] walks it: only
    /// the walk knows which new files the journal holds.
    pub(crate) fn refresh_files(&mut self, changed: &BTreeSet<String>) -> Refresh {
        let root = paths::resolve(&self.root);
        let targeted = changed.iter().all(|path| {
            document::position(&self.journal.documents, path).is_ok()
                && match std::fs::symlink_metadata(root.join(path)) {
                    Ok(metadata) => metadata.is_file(),
                    Err(error) => error.kind() == std::io::ErrorKind::NotFound,
                }
        });
        if !targeted {
            return self.refresh();
        }
        let mut documents = std::mem::take(&mut self.journal.documents);
        let mut refresh = Refresh::default();
        for path in changed {
            let Ok(index) = document::position(&documents, path) else {
                continue;
            };
            let last = self.files.get(path.as_str()).copied();
            let document = &mut documents[index];
            let stamp = last.and_then(|_| stamp_of(&root, path));
            let examined = examine_file(&root, document, true, last, stamp, &self.config.parse);
            if examined.last_read.is_none() && !root.join(path).exists() {
                documents.remove(index);
                self.forget(path.clone(), &mut refresh);
            } else {
                let path = Arc::clone(&document.path);
                self.remember(None, &path, examined, &mut refresh);
            }
        }
        let touched: Vec<&str> = refresh.touched().collect();
        self.relink(documents, &touched);
        refresh
    }

    /// Records what examining the file at `path` found: its last read, and in `refresh`
    /// whether it changed (the caller lists the files it found new). The record's key is
    /// the document's path, shared. `at`: the document's index, where its record is when
    /// every document has one, found there rather than searched for among them all (a
    /// path compared at each step of the search, each elsewhere in the heap).
    fn remember(
        &mut self,
        at: Option<usize>,
        path: &Arc<str>,
        examined: Examined,
        refresh: &mut Refresh,
    ) {
        let slot = match at {
            Some(at) => self.files.get_mut_at(at, path),
            None => self.files.get_mut(path),
        };
        let before = match (examined.last_read, slot) {
            (Some(last_read), Some(slot)) => Some(std::mem::replace(slot, last_read)),
            (Some(last_read), None) => self.files.insert(Arc::clone(path), last_read),
            (None, _) => self.files.remove(path),
        };
        if before != examined.last_read {
            self.count_differing();
        }
        if examined.changed {
            refresh.changed.push(path.to_string());
        }
    }

    /// Records that the file at `gone` is no longer in the journal.
    fn forget(&mut self, gone: String, refresh: &mut Refresh) {
        if self.files.remove(gone.as_str()).is_some() {
            self.count_differing();
        }
        refresh.removed.push(gone);
    }

    fn count_differing(&mut self) {
        if let Some(count) = &mut self.differs_from_cache {
            *count += 1;
        }
    }

    /// Links the model again from all `documents`, the journal's files in the walk's
    /// order. A workspace that analyses again after each change links again only the files
    /// read since while every file's outline stays the same (`model::relink_files`);
    /// otherwise the whole journal is linked. `touched` are the files read again (added,
    /// changed or gone).
    fn relink(&mut self, documents: Vec<Document>, touched: &[&str]) {
        let warnings = self.config.warnings;
        match &mut self.last_analysis {
            None => {
                // The last model goes before the next is linked, not to hold both.
                self.journal = Journal::default();
                self.journal = model::build(documents, warnings);
            }
            Some(last) => last.link(&mut self.journal, documents, touched, warnings),
        }
        self.journal.walk_diagnostics = self.walk_diagnostics.clone();
    }

    /// [`Workspace::refresh_with_buffers`] without walking the journal: only `buffers`
    /// are parsed again, and the files of buffers gone since (documents with no last
    /// read) read again; every other document stays as last read. What an editor's
    /// keystrokes need between full refreshes, which see the rest of the disk.
    pub(crate) fn refresh_buffers(&mut self, buffers: &HashMap<String, String>) {
        let root = paths::resolve(&self.root);
        let options = &self.config.parse;
        let mut documents = std::mem::take(&mut self.journal.documents);
        let mut touched: Vec<String> = Vec::new();
        for document in &mut documents {
            if let Some(text) = buffers.get(&*document.path) {
                // Not remembered as the file's last read, as in a full refresh.
                self.files.remove(&document.path);
                examine_buffer(document, text, true, options);
            } else if !self.files.contains_key(&document.path) {
                let examined = examine_file(&root, document, true, None, None, options);
                if let Some(last_read) = examined.last_read {
                    self.files.insert(Arc::clone(&document.path), last_read);
                }
            } else {
                continue;
            }
            touched.push(document.path.to_string());
        }
        let touched: Vec<&str> = touched.iter().map(String::as_str).collect();
        self.relink(documents, &touched);
    }

    /// The journal analysed as of `today` (and kept, when the workspace keeps its
    /// analyses).
    pub(crate) fn analyse(&mut self, today: Date) -> Report {
        let Unkept { report, dating } = self.analyse_unkept(today, Detail::Whole);
        if let Some(last) = &mut self.last_analysis {
            let rules = self.config.rules;
            last.keep(
                report.clone(),
                today,
                rules,
                dating,
                &self.journal.documents,
            );
        }
        report
    }

    /// The journal analysed as of `today`, each goal kept as `detail` says, not yet kept
    /// for the next analysis: [`Workspace::keep_analysed`] keeps it, when the caller has
    /// done with it what it must do first (`trailmark lsp` sends its diagnostics to the
    /// editor, which does not wait for the keeping).
    pub(crate) fn analyse_unkept(&mut self, today: Date, detail: Detail) -> Unkept {
        self.update_history();
        let no_history = git::History::default();
        let history = self.history.as_ref().unwrap_or(&no_history);
        let rules = &self.config.rules;
        let Some(last) = &mut self.last_analysis else {
            let report = analyse::analyse_for(&self.journal, history, today, rules, detail);
            return Unkept {
                report,
                dating: None,
            };
        };
        let dating = self.history.as_ref().map(git::History::dating);
        let report = match last.changed(&self.journal, today, rules, dating.as_ref()) {
            Some((report, changed)) if report.detail == detail => {
                analyse::again(&self.journal, history, today, rules, report, changed)
            }
            _ => analyse::analyse_for(&self.journal, history, today, rules, detail),
        };
        Unkept { report, dating }
    }

    /// Keeps `unkept`, the last [`Workspace::analyse_unkept`], for the next analysis to
    /// make again only what changed since (see [`last_analysis`]), when the workspace
    /// keeps its analyses.
    pub(crate) fn keep_analysed(&mut self, unkept: Unkept) {
        let Some(last) = &mut self.last_analysis else {
            return;
        };
        let Unkept { report, dating } = unkept;
        let (today, rules) = (report.today, self.config.rules);
        last.keep(report, today, rules, dating, &self.journal.documents);
    }

    /// Writes `report`, this workspace's analysis for `today`, to `out` as JSON, byte for
    /// byte as [`Report::write_json`] does: each goal whose report is the one the last
    /// build made (its inputs unchanged, see [`goal_inputs`]) as that build's
    /// `trailmark.json` has it ([`json_pieces::JsonLines`]), the others made, on one
    /// core. When more goals changed than [`Workspace::kept_whole_hashes`] allows (a new
    /// day's entry changes every goal's inputs), every goal's JSON is made, on every core.
    pub(crate) fn write_json<W: Write + ?Sized>(
        &self,
        report: &Report,
        today: Date,
        out: &mut W,
    ) -> io::Result<()> {
        let last_json = || {
            let goals = self.json_goals.as_ref()?;
            Some((
                self.kept_whole_hashes(today)?,
                JsonLines::open(&self.out, goals)?,
            ))
        };
        let Some((whole, mut lines)) = last_json() else {
            return report.write_json(out);
        };
        report.write_json_finding_goals(out, |goal, out| match whole[goal] {
            Some(hash) => lines.write_goal(hash, out),
            None => Ok(false),
        })
    }

    /// The whole hash of each of the journal's goals whose report is the one the last
    /// build made, as that build kept it ([`GoalInputs::known`]); `None` for the others.
    /// `None` for all when more than one goal in [`MADE_ON_ONE_CORE`] changed.
    fn kept_whole_hashes(&self, today: Date) -> Option<Vec<Option<u64>>> {
        let kept = self.kept_hashes.as_ref()?;
        let known = self.goal_inputs(today)?.known(kept, &self.journal);
        let whole: Vec<Option<u64>> = (known.iter())
            .map(|hashes| hashes.map(|(whole, _)| whole))
            .collect();
        let changed = whole.iter().filter(|hash| hash.is_none()).count();
        (!whole.is_empty() && changed * MADE_ON_ONE_CORE <= whole.len()).then_some(whole)
    }

    /// Lets go of what the last build left (see [`LeftOfBuild`]). `watch` calls it once it
    /// has said the reports are written, so that a rebuild's latency does not include
    /// it; a one-shot command leaves them to its end.
    pub(crate) fn let_go_of_last_build(&mut self) {
        self.left_of_last_build = LeftOfBuild::default();
    }

    /// Writes every report into the output folder: goals, and a review of every period
    /// with activity of the kinds `trailmark.toml` asks for (all by default). Only
    /// reports whose content changed are written.
    /// `waiting` is told the output folder, once, when another trailmark writes there
    /// and this build waits for it to finish.
    pub(crate) fn build(
        &mut self,
        today: Date,
        waiting: &mut dyn FnMut(&Path),
    ) -> Result<(Report, WriteSummary), Error> {
        self.build_with_progress(today, waiting, &|_, _| {})
    }

    /// [`Workspace::build`], telling `progress` how many reports are done as they are.
    pub(crate) fn build_with_progress(
        &mut self,
        today: Date,
        waiting: &mut dyn FnMut(&Path),
        progress: &write::Progress<'_>,
    ) -> Result<(Report, WriteSummary), Error> {
        // For this build alone, whether or not it gets to write.
        let changed_only = self.reports_changed_only.take();
        // Held until the reports are written: one writer per output folder at a time. A
        // `watch` holds it for each build, not between them, so a `build` beside it waits
        // only as long as one build takes.
        let _lock = write::lock_output_folder(&self.root, &self.out, || waiting(&self.out))?;
        // Shared with the index page's template values (see `render::lazy`).
        let report = Arc::new(self.analyse(today));
        let summary = {
            let to_journal = paths::relative_link(&self.out, &self.root);
            // A new renderer unless the last one renders trailmark's own templates only
            // and the journal still has none, so that edited templates take effect in
            // `watch`.
            let renderer = render::Renderer::kept_or_new(
                self.renderer.take(),
                self.config.templates_in(&self.root),
            );
            // Builds that leave the documents cache as it is (`watch`'s after its first)
            // leave the goals' inputs too, until `save_documents_cache`: they take their
            // goals' hashes from their last analysis, and inputs older than the journal
            // only make a new process hash more goals again (those whose inputs changed
            // since), never a wrong one.
            let inputs = match (self.documents_cache_deferred, &self.kept_hashes) {
                (true, Some(_)) => None,
                _ => self.goal_inputs(today),
            };
            let known = match (&inputs, &self.kept_hashes) {
                (Some(inputs), Some(kept)) => inputs.known(kept, &self.journal),
                _ => Vec::new(),
            };
            let goal_hashes = match &mut self.last_analysis {
                Some(last) => last.goal_hashes(&report, &known),
                None => review::goal_hashes_after(&report, None, &known),
            };
            match inputs {
                Some(inputs) => self.kept_hashes = Some(inputs.kept(&goal_hashes)),
                None => self.hashed_unkept = Some((today, goal_hashes.clone())),
            }
            let kept_index = (self.last_analysis.as_mut()).and_then(LastAnalysis::take_goal_index);
            let kept_entries = match &mut self.last_analysis {
                Some(last) => last.entry_keys(self.journal.documents.len()),
                None => &mut [],
            };
            let review_context = (
                renderer.review_templates_fingerprint(),
                to_journal.as_str(),
                data_hash(&self.config.parse),
            );
            // The other pages, and their fingerprints, are made while the reviews are
            // planned and made: after an edit the reviews to make are a few, and one core
            // was left idle (a fifth of a `watch` rebuild at 100,000 files).
            let no_reviews = HashMap::new();
            // Read before the reviews are made, which ask it whether theirs are written.
            let manifest = &*self
                .manifest
                .get_or_insert_with(|| write::Manifest::load(&self.out));
            let (mut reviews, (mut outputs, mut fingerprints)) = rayon::join(
                || {
                    ReviewPlan::new(
                        &self.journal,
                        &report,
                        &self.config.reviews,
                        (&self.known_reviews, manifest),
                        &goal_hashes.for_reviews,
                        (kept_entries, kept_index),
                        review_context,
                    )
                },
                || {
                    let outputs = plan::report_pages(
                        &report,
                        self.history.as_ref(),
                        self.kept_events.as_mut(),
                    );
                    let fingerprints =
                        renderer.fingerprints(&outputs.pages, &report, &goal_hashes, &no_reviews);
                    (outputs, fingerprints)
                },
            );
            let review_pages = plan::review_pages(
                &report,
                &reviews.made,
                reviews.links(&self.known_reviews),
                &to_journal,
            );
            fingerprints.extend(renderer.fingerprints(
                &review_pages,
                &report,
                &goal_hashes,
                &reviews.fingerprints,
            ));
            outputs.pages.extend(review_pages);
            let manifest = self.manifest.as_mut().expect("loaded above");
            let json_file = json_pieces::json_file();
            let last_json = (self.json_goals.as_ref())
                .and_then(|goals| LastJson::new(&self.out, manifest.made(&json_file), goals));
            let json = JsonMaking::new(&goal_hashes, self.json_pieces.as_ref(), last_json);
            let (mut planned, known_reviews) = planned_reports(
                &outputs,
                fingerprints,
                &json,
                &renderer,
                &reviews,
                &self.known_reviews,
                &to_journal,
            );
            if let Some(json) = planned.iter().find(|file| file.path == json_file) {
                planned.push(json_pieces::goals_file(
                    json.fingerprint,
                    &goal_hashes.whole,
                ));
            }
            let manifest = self.manifest.as_mut().expect("loaded above");
            // A deferred cache is planned as made from what it was last made from, so the
            // write stage keeps it unless it is gone or was changed.
            let few = few_files(self.files.len());
            let cache_kept = self.documents_cache_deferred
                || self.differs_from_cache.is_some_and(|count| count <= few);
            let cache_written = cache_kept
                .then(|| manifest.fingerprint_of(cache::CACHE_FILE))
                .flatten();
            // First of the files to make: the largest of trailmark's own (15 ms at 10,000
            // files): planned last, it was made alone at the end of a full build.
            planned.insert(
                0,
                documents_cache(
                    &self.config.parse,
                    &self.files,
                    &self.journal.documents,
                    cache_written,
                ),
            );
            planned.extend(self.kept_hashes.as_ref().map(goal_inputs::file));
            let known_text = reviews::text(&known_reviews);
            planned.push(write::Planned {
                path: reviews::REVIEWS_FILE.to_string(),
                fingerprint: content_hash(known_text.as_bytes()),
                make: Box::new(move || Ok(known_text.clone().into_bytes().into())),
            });
            planned.extend(self.status_key(&outputs, &planned, today));
            let own_files = planned
                .iter()
                .filter(|file| is_own_file(&file.path))
                .count();
            let manifest = self.manifest.as_mut().expect("loaded above");
            // What the last build left is let go of first, if the caller has not yet.
            self.left_of_last_build = LeftOfBuild::default();
            let written = write::write_reports(
                &self.out,
                &planned,
                manifest,
                progress,
                &mut self.left_of_last_build.replaced_reports,
                self.keeps_spares,
                changed_only.as_ref(),
            );
            drop(planned);
            drop(outputs);
            self.left_of_last_build.reviews = std::mem::take(&mut reviews.made);
            let goal_index = reviews.into_goal_index();
            if let Some(last) = &mut self.last_analysis {
                last.keep_goal_index(goal_index);
            }
            self.renderer = Some(renderer);
            if let Some(pieces) = json.made() {
                self.json_pieces = Some(pieces);
            }
            // What is known of a review holds whether or not its page could be written.
            self.known_reviews = known_reviews;
            let mut summary = written?;
            // The caches are trailmark's own files, not reports: not counted as such.
            let before = summary.written.len();
            summary.written.retain(|path| !is_own_file(path));
            summary.unchanged -= own_files - (before - summary.written.len());
            summary.removed.retain(|path| !is_own_file(path));
            summary
        };
        let report =
            Arc::try_unwrap(report).expect("the pages sharing the report are dropped by now");
        Ok((report, summary))
    }

    /// What the journal's goals are made from as of `today` (see [`goal_inputs`]); `None`
    /// when some file's content is not known (a buffer of an editor's).
    fn goal_inputs(&self, today: Date) -> Option<GoalInputs> {
        let contents: Option<Vec<u64>> = (self.journal.documents.iter().enumerate())
            .map(|(at, document)| {
                self.files
                    .get_at(at, &document.path)
                    .map(|read| read.content)
            })
            .collect();
        let documents = self.journal.documents.len();
        let kept_outlines = (self.last_analysis.as_ref()).and_then(|last| last.outlines(documents));
        let outlines = match kept_outlines {
            Some(outlines) => std::borrow::Cow::Borrowed(outlines),
            None => std::borrow::Cow::Owned(goal_inputs::outlines(&self.journal)),
        };
        let settings = goal_inputs::Settings {
            config_text: self.config_text.as_deref(),
            today,
            history: self.history.as_ref().map(git::History::state_hash),
        };
        Some(GoalInputs::of(
            &self.journal,
            &contents?,
            &outlines,
            &settings,
        ))
    }

    /// From now on builds leave the documents cache as the last build that wrote it left
    /// it, until [`Workspace::save_documents_cache`]: `watch` rebuilds after every save,
    /// and writing the whole cache (12 MB at 10,000 files) each time was the largest part
    /// of a rebuild after one edit. An older cache is still a valid one: each document in
    /// it is used only for a file whose stamp is still the one it records, so a `watch`
    /// that is killed leaves a new process to read again what changed since.
    pub(crate) fn defer_documents_cache(&mut self) {
        self.documents_cache_deferred = true;
    }

    /// From now on builds keep each goal's JSON of `trailmark.json` and make it again only
    /// for goals that changed (see [`json_pieces`]): what a workspace that builds again
    /// after each edit (`watch`) wants; a build in a new process makes the JSON whole,
    /// without holding a copy of it in pieces (14 MB at 10,000 files).
    pub(crate) fn keep_json_pieces(&mut self) {
        self.json_pieces.get_or_insert_default();
    }

    /// From now on a large report that is replaced keeps its old file as a spare, which
    /// its next replacement writes over (see `write::spare`): what a workspace that builds
    /// again after each edit wants (`watch`); [`Workspace::remove_spares`] removes them.
    pub(crate) fn keep_spares(&mut self) {
        self.keeps_spares = true;
    }

    /// Tells the next build that of the output folder's files only `changed` (relative to
    /// it) may have changed since the last build wrote them: the others' records are
    /// trusted without a look at their files (see `write::write_reports`). For `watch`,
    /// which knows from the output folder's events.
    pub(crate) fn reports_changed_only(&mut self, changed: FastSet<String>) {
        self.reports_changed_only = Some(changed);
    }

    /// Removes the spares of the reports the manifest records (see
    /// [`Workspace::keep_spares`]), holding the output folder's lock: another process's
    /// build may be writing over one. `waiting` is told the output folder when it waits.
    pub(crate) fn remove_spares(&self, waiting: &mut dyn FnMut(&Path)) -> Result<(), Error> {
        let Some(manifest) = self.manifest.as_ref().filter(|_| self.keeps_spares) else {
            return Ok(());
        };
        let _lock = write::lock_output_folder(&self.root, &self.out, || waiting(&self.out))?;
        write::remove_spares(&self.out, manifest);
        Ok(())
    }

    /// From now on the workspace keeps its last analysis, and the next one makes again
    /// only the goals the files read since gave anything to (see [`last_analysis`]): what
    /// a workspace that analyses again after each edit wants (`watch`, `trailmark lsp`);
    /// a command that analyses once has nothing to keep it for.
    pub(crate) fn keep_analysis(&mut self) {
        self.last_analysis.get_or_insert_default();
        self.kept_events.get_or_insert_default();
    }

    /// Writes the documents cache if what it records changed since it was written, and
    /// the goals' inputs of the last build if it left them (see [`goal_inputs`]), under
    /// the output folder's lock, leaving the reports as they are; nothing before a first
    /// build (it would have no output folder to go to).
    pub(crate) fn save_documents_cache(
        &mut self,
        waiting: &mut dyn FnMut(&Path),
    ) -> Result<(), Error> {
        if self.manifest.is_none() || !self.out.is_dir() {
            return Ok(());
        }
        let _lock = write::lock_output_folder(&self.root, &self.out, || waiting(&self.out))?;
        let planned = documents_cache(
            &self.config.parse,
            &self.files,
            &self.journal.documents,
            None,
        );
        let manifest = self.manifest.as_mut().expect("checked above");
        write::write_one(&self.out, &planned, manifest)?;
        let Some((today, hashes)) = self.hashed_unkept.take() else {
            return Ok(());
        };
        // A history read ahead and still under way has taken the workspace's history:
        // the inputs are then kept without a history state, which makes the next process
        // hash the goals again rather than trust them to a history they were not made of.
        let Some(inputs) = self.goal_inputs(today) else {
            return Ok(());
        };
        let kept = inputs.kept(&hashes);
        let manifest = self.manifest.as_mut().expect("checked above");
        write::write_one(&self.out, &goal_inputs::file(&kept), manifest)?;
        self.kept_hashes = Some(kept);
        Ok(())
    }

    /// What `build --share` publishes for `audience`: the journal as of `today`, filtered
    /// by the share stage before any page is planned.
    pub(crate) fn shared(&mut self, today: Date, audience: &str) -> Shared {
        let report = self.analyse(today);
        share::for_audience(&self.journal, &report, audience)
    }

    /// Writes `shared` into `folder`, a folder of its own (see [`Workspace::share_folder`]):
    /// its pages only, with a manifest and a lock of their own, and neither the documents
    /// cache nor the git history cache, which hold the whole journal.
    pub(crate) fn build_shared(
        &self,
        shared: &Shared,
        folder: &Path,
        waiting: &mut dyn FnMut(&Path),
    ) -> Result<WriteSummary, Error> {
        self.share_folder(folder)?;
        let _lock = write::lock_output_folder(&self.root, folder, || waiting(folder))?;
        let outputs = plan::shared_outputs(shared);
        let renderer = render::Renderer::new(Some(self.config.templates_in(&self.root)));
        let fingerprints = renderer.shared_fingerprints(&outputs.pages, shared);
        let mut planned = Vec::new();
        for (page, fingerprint) in outputs.pages.iter().zip(fingerprints) {
            for &format in page.formats() {
                let renderer = &renderer;
                planned.push(write::Planned {
                    path: page.path(format),
                    fingerprint,
                    make: Box::new(move || {
                        renderer
                            .render_page(page, format)
                            .map(|page| page.into_bytes().into())
                    }),
                });
            }
        }
        let mut manifest = write::Manifest::load(folder);
        write::write_reports(
            folder,
            &planned,
            &mut manifest,
            &|_, _| {},
            &mut Vec::new(),
            false,
            None,
        )
    }

    /// Refuses a folder for `build --share` that is the reports' folder (a shared build
    /// must leave the full reports as they are, and theirs must not be mixed with them),
    /// or inside the journal but outside the reports' folder (the next build would read
    /// its markdown pages as journal files).
    pub(crate) fn share_folder(&self, folder: &Path) -> Result<(), Error> {
        let (folder_at, out, root) = (
            paths::resolve(folder),
            paths::resolve(&self.out),
            paths::resolve(&self.root),
        );
        let problem = if folder_at == out {
            "is the folder of the full reports; give `--share` a folder of its own"
        } else if out.starts_with(&folder_at) {
            "holds the folder of the full reports; give `--share` a folder of its own"
        } else if folder_at.starts_with(&root) && !folder_at.starts_with(&out) {
            "is inside the journal, where the next build would read its pages as journal \
             files; choose a folder outside the journal, or inside its reports' folder"
        } else {
            return Ok(());
        };
        Err(Error::output(folder, problem))
    }

    /// The review `trailmark review` prints, in `format` (markdown, HTML or JSON): of the
    /// period of `kind` that contains `date`, or else of the last complete one before
    /// `today`. Its entries are linked from the journal folder.
    pub(crate) fn review(
        &mut self,
        kind: PeriodKind,
        date: Option<Date>,
        today: Date,
        format: Format,
    ) -> Result<String, Error> {
        let templates = self.config.templates_in(&self.root);
        let to_journal = format!("{}/", self.root.display()).replace('\\', "/");
        self.with_review(kind, date, today, |review| {
            if format == Format::Json {
                return Ok(serde_json::to_string_pretty(review)
                    .expect("a review holds only strings, numbers and dates")
                    + "\n");
            }
            // Printed, not written: a page of its own, not one of the build's outputs.
            let renderer = render::Renderer::new(Some(templates));
            renderer.render_review(review, format, &to_journal)
        })
    }

    /// `use_review` given the review of the period of `kind` that contains `date`, or
    /// else of the last complete one before `today`: what `trailmark review` prints and
    /// `trailmark new review` writes into the journal.
    pub(crate) fn with_review<T>(
        &mut self,
        kind: PeriodKind,
        date: Option<Date>,
        today: Date,
        use_review: impl FnOnce(&Arc<review::Review>) -> T,
    ) -> T {
        let period = self.review_period(kind, date, today);
        let report = self.analyse(today);
        let review = review::Reviewer::new(&self.journal, &report).review(period);
        use_review(&Arc::new(review))
    }

    /// The period of `kind` `trailmark review` shows: the one that contains `date`, or
    /// else the last complete one before `today`, with the journal's week start.
    fn review_period(&self, kind: PeriodKind, date: Option<Date>, today: Date) -> Period {
        let week_start = self.config.rules.week_start;
        match date {
            Some(date) => Period::containing(kind, date, week_start),
            None => review::last_complete(kind, today, week_start),
        }
    }

    /// Starts reading the git history on a thread of its own, from the history the last
    /// build read (none when it read none), for the next build to take instead of running
    /// git itself: `watch` starts it while it waits for the journal to be quiet after a
    /// change, so that a rebuild does not wait for git (a process started and ended, 4–12
    /// ms of a 30–40 ms rebuild at 10,000 files on a busy 2-core machine, while the other
    /// core had nothing to do). A read sees the repository as it is when it starts: the
    /// caller says when a file changes ([`Workspace::history_may_have_changed`]), and the
    /// thread reads again after any change that came while it read. A build takes the
    /// read only when it began after the last change, and else reads again itself.
    pub(crate) fn read_history_ahead(&mut self) {
        if self.history_ahead.is_some() {
            return;
        }
        let Some(mut history) = self.history.take() else {
            return;
        };
        let root = self.root.clone();
        let changes = Arc::new(AtomicU64::new(0));
        let seen_by_thread = Arc::clone(&changes);
        let read = move || loop {
            let before = seen_by_thread.load(Ordering::Acquire);
            history = git::update(&root, Some(history));
            if seen_by_thread.load(Ordering::Acquire) == before {
                return (history, before);
            }
        };
        // A thread the system refuses takes the history with it: the next build reads it
        // from the output folder's cache, as a new process does.
        self.history_ahead = (std::thread::Builder::new().name("git history".to_string()))
            .spawn(read)
            .ok()
            .map(|read| HistoryAhead { read, changes });
    }

    /// Tells the history read ahead, if any, that a file changed: a read that began before
    /// may not have seen it.
    pub(crate) fn history_may_have_changed(&self) {
        if let Some(ahead) = &self.history_ahead {
            ahead.changes.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Reads the git history when some done milestone needs a date from it, starting from
    /// what was read before, or else from the cache `build` keeps in the output folder;
    /// takes the history read ahead instead when it began after the last change (see
    /// [`Workspace::read_history_ahead`]).
    fn update_history(&mut self) {
        if let Some(ahead) = self.history_ahead.take() {
            // A read whose thread panicked is as none.
            if let Ok((history, seen)) = ahead.read.join() {
                let current = seen == ahead.changes.load(Ordering::Acquire);
                self.history = Some(history);
                if current {
                    return;
                }
            }
        }
        if !self.journal.needs_history() {
            return;
        }
        let known = self.history.take().or_else(|| self.cached_history());
        self.history = Some(git::update(&self.root, known));
    }

    /// The git history the last build kept in the output folder, if any.
    fn cached_history(&self) -> Option<git::History> {
        let cache =
            fsread::read_to_string(&self.out.join(git::CACHE_FILE), fsread::MAX_OWN_FILE_BYTES)
                .ok()?;
        git::History::from_cache(&cache)
    }
}

/// How many of a journal's `files` may differ from the documents cache before a build
/// writes it anew: 1%, and at least 16. A file that differs costs each later process
/// one read and parse (about 25 µs); writing the cache anew costs every document's
/// encoding and a checksum (about 20 ms of CPU at 10,000 files, 9% of a `build` after
/// one edit), so a cache a few edits old is the cheaper one to keep.
fn few_files(files: usize) -> usize {
    (files / 100).max(16)
}

/// The documents cache of `files` and `documents` as a file to write; planned as made
/// from `fingerprint` when given, else from what it records.
fn documents_cache<'a>(
    options: &'a ParseOptions,
    files: &'a Records<LastRead>,
    documents: &'a [Document],
    fingerprint: Option<u64>,
) -> write::Planned<'a> {
    write::Planned {
        path: cache::CACHE_FILE.to_string(),
        fingerprint: fingerprint.unwrap_or_else(|| cache::fingerprint(options, files, documents)),
        make: Box::new(move || Ok(cache::bytes(options, files, documents).into())),
    }
}

/// Whether `path`, in the output folder, is one of trailmark's own files rather than a
/// report.
fn is_own_file(path: &str) -> bool {
    path == cache::CACHE_FILE
        || path == reviews::REVIEWS_FILE
        || path == saved_status::KEY_FILE
        || path == json_pieces::GOALS_FILE
        || path == goal_inputs::INPUTS_FILE
}

/// The reports of `outputs` as the write stage takes them: each page in each of its
/// formats with its fingerprint (`fingerprints`, one a page, in order), rendered by
/// `renderer` only when the write stage asks (the JSON from the
/// goals' pieces `json` keeps), and the history cache;
/// the reviews known unchanged (not in `outputs`) with their known fingerprints, rendered
/// only if the write stage asks, in their place among the others. With what is known of
/// every review after this build.
fn planned_reports<'a>(
    outputs: &'a plan::Outputs,
    fingerprints: Vec<u64>,
    json: &'a JsonMaking<'a>,
    renderer: &'a render::Renderer,
    reviews: &'a ReviewPlan<'a>,
    known: &KnownReviews,
    to_journal: &'a str,
) -> (Vec<write::Planned<'a>>, KnownReviews) {
    let mut planned = Vec::new();
    let mut made_reviews: HashMap<&str, Vec<write::Planned<'a>>> = HashMap::new();
    for (page, fingerprint) in outputs.pages.iter().zip(fingerprints) {
        let shared = Arc::new(render::SharedContext::new(page.formats().len()));
        let of_page = page.formats().iter().map(|&format| {
            let shared = Arc::clone(&shared);
            write::Planned {
                path: page.path(format),
                fingerprint,
                make: Box::new(move || {
                    renderer
                        .render_page_sharing(page, format, &shared)
                        .map(|page| page.into_bytes().into())
                }),
            }
        });
        match &page.data {
            plan::PageData::Review { review, .. } => {
                made_reviews.insert(&review.label, of_page.collect());
            }
            plan::PageData::Reviews { .. } => {
                // Where a build that made every review puts them: before their index.
                planned.extend(reviews.scheduled.iter().zip(&reviews.made_at).flat_map(
                    |(scheduled, at)| {
                        match at {
                            Some(_) => made_reviews
                                .remove(scheduled.label().as_str())
                                .expect("a made review has its page"),
                            None => known_review(
                                reviews,
                                scheduled,
                                reviews.known(known, &scheduled.label()).fingerprint,
                                renderer,
                                to_journal,
                            ),
                        }
                    },
                ));
                planned.extend(of_page);
            }
            plan::PageData::Json(report) => planned.push(write::Planned {
                path: page.path(Format::Json),
                fingerprint,
                make: Box::new(move || Ok(json.json(report))),
            }),
            _ => planned.extend(of_page),
        }
    }
    if let Some(cache) = &outputs.history_cache {
        planned.push(write::Planned {
            path: git::CACHE_FILE.to_string(),
            fingerprint: content_hash(cache.as_bytes()),
            make: Box::new(move || Ok(cache.clone().into_bytes().into())),
        });
    }
    let now_known = reviews
        .scheduled
        .iter()
        .zip(&reviews.keys)
        .zip(&reviews.made_at)
        .map(|((scheduled, &key), at)| {
            let label = scheduled.label();
            let known = match at {
                Some(at) => reviews::Known {
                    key,
                    fingerprint: reviews.fingerprints[&label],
                    link: plan::ReviewLink::of(&reviews.made[*at]),
                },
                None => reviews.known(known, &label).clone(),
            };
            (label, known)
        })
        .collect();
    (planned, now_known)
}

/// What [`examine_file`] found of one file: whether the document it had was changed
/// (a new file's never is: the refresh lists new files itself), and the stamp to
/// remember (none when it could not be read).
struct Examined {
    changed: bool,
    last_read: Option<LastRead>,
}

/// How many files [`Workspace::refresh`] examines before it remembers what it found.
const EXAMINED_AT_ONCE: usize = 4096;

/// Splits the files a walk `found` against `documents`, both sorted by path: removes
/// from `documents` those whose file is gone, and returns the paths of the files new and
/// of those gone, both sorted.
fn match_files(documents: &mut Vec<Document>, found: Vec<String>) -> (Vec<String>, Vec<String>) {
    // The journal's documents are linked in path order; a cache read in another order
    // is put in it rather than trusted.
    if !documents.is_sorted_by(|a, b| a.path < b.path) {
        documents.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    }
    let mut found = found.into_iter().peekable();
    let mut added = Vec::new();
    let mut gone = Vec::new();
    documents.retain_mut(|document| {
        added.extend(std::iter::from_fn(|| {
            found.next_if(|path| **path < *document.path)
        }));
        let kept = found.next_if(|path| **path == *document.path).is_some();
        if !kept {
            gone.push(document.path.to_string());
        }
        kept
    });
    added.extend(found);
    (added, gone)
}

/// The walk's `stamps`, in the order of its files, split between `documents` and the
/// `added` files: both sorted, and together the walk's files.
fn split_stamps(
    documents: &[Document],
    added: &[String],
    stamps: Vec<Option<FileStamp>>,
) -> (Vec<Option<FileStamp>>, Vec<Option<FileStamp>>) {
    let mut known_stamps = Vec::with_capacity(documents.len());
    let mut added_stamps = Vec::with_capacity(added.len());
    let mut added = added.iter().peekable();
    let mut documents = documents.iter().peekable();
    for stamp in stamps {
        let is_added = match (added.peek(), documents.peek()) {
            (Some(path), Some(document)) => ***path < *document.path,
            (next_added, _) => next_added.is_some(),
        };
        if is_added {
            added.next();
            added_stamps.push(stamp);
        } else {
            documents.next();
            known_stamps.push(stamp);
        }
    }
    (known_stamps, added_stamps)
}

/// The stamp of the file at `path` in `root`, of the link itself, not what it points
/// to: a file swapped for a link is refused by the read, never taken for unchanged.
fn stamp_of(root: &Path, path: &str) -> Option<FileStamp> {
    std::fs::symlink_metadata(root.join(path))
        .ok()
        .map(|metadata| FileStamp::of(&metadata))
}

/// What was `read` put in `slot`; why it could not be used, when it could not.
fn kept<T>(read: Result<T, String>, slot: &mut T) -> Option<String> {
    read.map(|value| *slot = value).err()
}

/// [`stamp_of`] each of `paths` that `wanted` takes (none for the others), on every
/// core. On Unix each file is stat'ed by its name in a handle of its folder, opened
/// once for the files of that folder a core takes in turn: the kernel then looks up one
/// name instead of each part of the path, a quarter of the stat's time.
fn stamps_of(
    root: &Path,
    paths: &[String],
    wanted: impl Fn(&str) -> bool + Sync,
) -> Vec<Option<FileStamp>> {
    paths
        .par_iter()
        .map_init(
            || None,
            |folder, path| wanted(path).then(|| stamp_in(root, folder, path)).flatten(),
        )
        .collect()
}

/// The handle of a folder of the journal (relative to it) that [`stamp_in`] opened
/// last, if it could.
type OpenFolder<'a> = Option<(&'a str, Option<std::fs::File>)>;

/// [`stamp_of`] of `path` by its name in `folder`, the handle of its folder, opened
/// here when it is of another folder.
#[cfg(unix)]
fn stamp_in<'a>(root: &Path, folder: &mut OpenFolder<'a>, path: &'a str) -> Option<FileStamp> {
    let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
    if folder.as_ref().is_none_or(|(open, _)| *open != parent) {
        *folder = Some((parent, std::fs::File::open(root.join(parent)).ok()));
    }
    let Some((_, Some(handle))) = folder.as_ref() else {
        return stamp_of(root, path);
    };
    paths::stat_in(handle, name).ok().map(|entry| entry.stamp)
}

#[cfg(not(unix))]
fn stamp_in<'a>(root: &Path, _: &mut OpenFolder<'a>, path: &'a str) -> Option<FileStamp> {
    stamp_of(root, path)
}

/// Brings `document`, of the file at its path, up to date: the document last read from
/// that file when `known` (else a new file's, empty but for its path). The file, with
/// `stamp` (see [`stamp_of`]) taken before, is read and parsed unless its stamp, or else
/// its content hash, shows the document is current. Without a `stamp` (a file with no
/// last read to compare it with) the file is read, and stamped as it was opened.
fn examine_file(
    root: &Path,
    document: &mut Document,
    known: bool,
    last: Option<LastRead>,
    stamp: Option<FileStamp>,
    options: &ParseOptions,
) -> Examined {
    let path = &*document.path;
    let unchanged_stamp = matches!((last, stamp), (Some(last), Some(stamp))
        if last.settled && last.stamp == stamp);
    if known && unchanged_stamp {
        return Examined {
            changed: false,
            last_read: last,
        };
    }
    let (bytes, metadata) = match document::read_with_metadata(root, path) {
        Ok(read) => read,
        Err(message) => {
            *document = document::unreadable(Arc::clone(&document.path), message);
            return Examined {
                changed: known,
                last_read: None,
            };
        }
    };
    let content = content_hash(&bytes);
    // Not taken before (a file with no last read): its handle's, taken as it was opened.
    let stamp = stamp.unwrap_or_else(|| FileStamp::of(&metadata));
    let settled = stamp
        .age(SystemTime::now())
        .is_some_and(|age| age > RACY_WINDOW);
    let changed = if known && last.is_some_and(|last| last.content == content) {
        false
    } else {
        *document = document::parse_at(Arc::clone(&document.path), &bytes, options);
        known
    };
    Examined {
        changed,
        last_read: Some(LastRead {
            stamp,
            content,
            settled,
        }),
    }
}

/// `document` parsed again from an editor's buffer of its file, `text`, with no stamp
/// to remember; `known` as for [`examine_file`].
fn examine_buffer(
    document: &mut Document,
    text: &str,
    known: bool,
    options: &ParseOptions,
) -> Examined {
    *document = document::parse_at(Arc::clone(&document.path), text.as_bytes(), options);
    Examined {
        changed: known,
        last_read: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn workspace(root: &Path) -> Workspace {
        Workspace::open(root, None).unwrap()
    }

    /// Stamps taken by name in a handle of the file's folder are those taken by path:
    /// of files at the top and in folders, of a link itself, none for a missing file.
    #[test]
    fn stamps_by_folder_are_stamps_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let settled = SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        let mut paths = Vec::new();
        for (at, rel) in ["a.md", "b/c.md", "b/d.md", "b/e/f.md", "g.md"]
            .iter()
            .enumerate()
        {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "x".repeat(at)).unwrap();
            let file = fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(settled + Duration::from_nanos(at as u64 * 1001))
                .unwrap();
            paths.push(rel.to_string());
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a.md"), root.join("b/link.md")).unwrap();
            paths.push("b/link.md".to_string());
        }
        paths.extend(["b/gone.md".to_string(), "gone/h.md".to_string()]);
        paths.sort();
        let by_path: Vec<_> = paths.iter().map(|path| stamp_of(root, path)).collect();
        assert_eq!(stamps_of(root, &paths, |_| true), by_path);
        assert_eq!(
            by_path.iter().filter(|stamp| stamp.is_some()).count(),
            paths.len() - 2
        );
        let wanted = stamps_of(root, &paths, |path| path.starts_with('b'));
        for ((path, stamp), by_path) in paths.iter().zip(wanted).zip(&by_path) {
            let expected = if path.starts_with('b') {
                *by_path
            } else {
                None
            };
            assert_eq!(stamp, expected, "{path}");
        }
    }

    fn goal_file(done: bool) -> String {
        let mark = if done { "x" } else { " " };
        format!("---\ngoal: Ship it\n---\n- [{mark}] first step\n- [ ] second step\n")
    }

    fn milestones_done(workspace: &Workspace) -> usize {
        workspace
            .journal()
            .documents
            .iter()
            .flat_map(|d| &d.milestones)
            .filter(|m| m.state == crate::document::MilestoneState::Done)
            .count()
    }

    /// A report's fingerprint covers the templates it is made from, not every file of the
    /// templates folder: a template of `new`, which no report uses, renders nothing again.
    #[test]
    fn a_template_no_report_uses_renders_no_report_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        let today = Date::parse("2026-03-01").unwrap();
        let mut workspace = workspace(root);
        let mut build = || {
            workspace.refresh();
            let (_, summary) = workspace.build(today, &mut |_| {}).unwrap();
            let manifest = fs::read(root.join("_reports").join(paths::MANIFEST)).unwrap();
            (summary.written, manifest)
        };
        let (_, first) = build();
        let templates = root.join(paths::TEMPLATES_FOLDER);
        fs::create_dir(&templates).unwrap();
        fs::write(
            templates.join("new-goal.md"),
            "---\ngoal: {{ title }}\n---\n",
        )
        .unwrap();
        let (written, manifest) = build();
        assert!(written.is_empty(), "{written:?}");
        // A report rendered again would be recorded with its new fingerprint.
        assert!(manifest == first, "the manifest changed");

        fs::write(templates.join("goal.md"), "custom {{ goal.title }}\n").unwrap();
        let (written, manifest) = build();
        assert_eq!(written, ["goals/ship-it.md"]);
        assert!(manifest != first);
    }

    /// Every file of the output folder `out` but its manifest (which records times), with
    /// its bytes.
    fn written(out: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(out)
            .into_iter()
            .map(Result::unwrap)
            .filter(|entry| entry.file_type().is_file())
            .filter(|entry| entry.file_name() != paths::MANIFEST)
            .map(|entry| {
                let path = entry.path().strip_prefix(out).unwrap().to_path_buf();
                (path, fs::read(entry.path()).unwrap())
            })
            .collect()
    }

    const PARENT: &str = "---\ngoal: Launch\nstart: 2026-01-01\ndue: 2026-06-30\n---\n\
                          - [ ] announce 📅 2026-03-25\n";
    const CHILD: &str = "---\ngoal: Site\nparent: Launch\nstart: 2026-01-05\n\
                         due: 2026-04-30\n---\n- [x] domain ✅ 2026-01-12\n- [ ] pages\n\
                         - [ ] copy\n";

    /// An entry retitled between two builds of a workspace that keeps its analysis (as
    /// `watch`'s does) is retitled in its reviews: its part of their keys is hashed again,
    /// not taken from the last build, while the other entry's is.
    #[test]
    fn an_entry_retitled_between_builds_is_retitled_in_its_reviews() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(
            root.join("2026-03-02.md"),
            "# Slow start\n## Wins\n- shipped\n",
        )
        .unwrap();
        fs::write(
            root.join("2026-03-03.md"),
            "# Second day\n## Wins\n- rested\n",
        )
        .unwrap();
        settle_files(root, SystemTime::now() - Duration::from_secs(3600));
        let today = Date::parse("2026-03-20").unwrap();
        let mut workspace = workspace(root);
        workspace.keep_analysis();
        let mut build = || {
            workspace.refresh();
            workspace.build(today, &mut |_| {}).unwrap();
            let reviews = written(&root.join("_reports").join("reviews"));
            let with = |title: &str| {
                (reviews.iter())
                    .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(title))
                    .count()
            };
            (with("Slow start"), with("Fast start"), with("Second day"))
        };
        let (slow, fast, second) = build();
        assert!(
            slow > 0 && fast == 0 && second == slow,
            "{slow} {fast} {second}"
        );
        fs::write(
            root.join("2026-03-02.md"),
            "# Fast start\n## Wins\n- shipped\n",
        )
        .unwrap();
        settle_file(
            &root.join("2026-03-02.md"),
            SystemTime::now() - Duration::from_secs(30),
        );
        assert_eq!(build(), (0, slow, slow));
    }

    /// A workspace kept from build to build (as `watch` keeps one, the documents cache
    /// deferred) writes, after each edit, every byte a workspace made from scratch writes:
    /// reports, reviews, and once saved the documents cache.
    #[test]
    fn builds_after_edits_equal_builds_from_scratch() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("journal");
        fs::create_dir(&root).unwrap();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("goals/launch.md", PARENT);
        write("goals/site.md", CHILD);
        write("goals/idle.md", "---\ngoal: Idle\n---\n- [ ] someday\n");
        write(
            "2026-01-20.md",
            "- [x] logo #site\n## Wins\n- demo went well\n## Lessons\n- ask early\n",
        );
        write(
            "2026-02-03.md",
            "- [x] hosting #site\nWorked on [[Site]].\n",
        );
        write("2026-03-10.md", "## Feedback\n- clearer copy #launch\n");
        let today = Date::parse("2026-03-20").unwrap();
        let kept_out = dir.path().join("kept");
        let mut kept = Workspace::open(&root, Some(&kept_out)).unwrap();
        kept.defer_documents_cache();
        kept.keep_json_pieces();
        kept.keep_analysis();
        let mut fresh_builds = 0;
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let mut check = |step: &str| {
            // Every file settled at a time of its own each step, so that both workspaces
            // record the same stamps (one read within `RACY_WINDOW` of its change is
            // recorded unsettled) and no edit keeps a stamp the kept one would trust.
            settle_files(&root, an_hour_ago + Duration::from_secs(fresh_builds + 1));
            let cache_path = kept_out.join(cache::CACHE_FILE);
            let cache_before = fs::read(&cache_path).ok();
            kept.reload_config().unwrap();
            kept.refresh();
            kept.build(today, &mut |_| {}).unwrap();
            fresh_builds += 1;
            let fresh_out = dir.path().join(format!("fresh-{fresh_builds}"));
            let mut fresh = Workspace::open(&root, Some(&fresh_out)).unwrap();
            fresh.refresh();
            fresh.build(today, &mut |_| {}).unwrap();
            // As `watch` does: the rebuild left the documents cache as it was, and one
            // that stops there (killed) leaves it valid for the next process.
            if let Some(cache_before) = cache_before {
                assert!(fs::read(&cache_path).unwrap() == cache_before, "{step}");
            }
            let mut restarted = Workspace::open(&root, Some(&kept_out)).unwrap();
            // Ignored only when written with other settings, never as damaged.
            let note = restarted.use_cache();
            if let Some(why) = &note {
                assert!(why.contains("other settings"), "{step}: {why}");
            }
            let refreshed = restarted.refresh();
            let documents = |workspace: &Workspace| {
                serde_json::to_string(&workspace.journal().documents).unwrap()
            };
            assert!(
                documents(&restarted) == documents(&fresh),
                "{step}: an older cache read differently"
            );
            // The same, the journal walked while the cache is read.
            let mut joined = Workspace::open(&root, Some(&kept_out)).unwrap();
            assert_eq!(
                joined.refresh_from_cache(&HashMap::new()),
                (refreshed, note),
                "{step}"
            );
            assert!(documents(&joined) == documents(&restarted), "{step}");
            assert_eq!(joined.files, restarted.files, "{step}");
            kept.save_documents_cache(&mut |_| {}).unwrap();
            let (kept, fresh) = (written(&kept_out), written(&fresh_out));
            assert_eq!(
                kept.keys().collect::<Vec<_>>(),
                fresh.keys().collect::<Vec<_>>(),
                "{step}"
            );
            for (path, bytes) in &fresh {
                assert!(kept[path] == *bytes, "{step}: {} differs", path.display());
            }
        };
        check("first build");
        write(
            "2026-01-20.md",
            "- [x] logo #site\n## Wins\n- demo went very well\n## Lessons\n- ask early\n",
        );
        check("a win reworded");
        write(
            "2026-01-20.md",
            "- [ ] logo #launch\n- [ ] call the printer\n## Wins\n- demo went very well #launch\n",
        );
        check(
            "a milestone of an entry moved to another goal, a task of no goal added, a goal mentioned",
        );
        write(
            "2026-01-20.md",
            "- [x] logo #site\n## Wins\n- demo went very well\n## Lessons\n- ask early\n",
        );
        check("as it was");
        write(
            "2026-03-10.md",
            "# Review day\n## Feedback\n- clearer copy #launch\n",
        );
        check("an entry that mentions a goal titled");
        fs::rename(root.join("2026-02-03.md"), root.join("2026-03-02.md")).unwrap();
        check("an entry moved to another week, month and quarter");
        write(
            "goals/site.md",
            &CHILD.replace("- [ ] pages", "- [x] pages ✅ 2026-03-05"),
        );
        check("a milestone ticked");
        write(
            "goals/site.md",
            &CHILD.replace("goal: Site", "goal: Website"),
        );
        check("a goal renamed, so its id changed");
        write("2026-03-15.md", "- [x] copy #website\n");
        check("an entry added");
        fs::remove_file(root.join("goals/idle.md")).unwrap();
        check("a goal file deleted");
        fs::remove_file(root.join("goals/launch.md")).unwrap();
        check("a parent goal deleted");
        write(
            "trailmark.toml",
            "week_start = \"sunday\"\nstalled_after_days = 5\n",
        );
        check("the configuration changed");
        write("2026-03-16.md", "## Takeaways\n- ship smaller\n");
        check("an entry with a heading no section has");
        write(
            "trailmark.toml",
            "week_start = \"sunday\"\nstalled_after_days = 5\n[sections]\nlessons = [\"Takeaways\"]\n",
        );
        check("the headings of a section changed");
        write(
            "trailmark.toml",
            "week_start = \"sunday\"\nreviews = [\"month\"]\n",
        );
        check("fewer kinds of review");
        write("templates/review.md", "# {{ review.title }}\n");
        check("a review template of the journal's own");
        write("templates/review.md", "# {{ review.title }}, edited\n");
        check("the journal's review template edited");
        fs::remove_file(root.join("templates/review.md")).unwrap();
        check("the journal's review template removed");
    }

    #[test]
    fn reports_added_changed_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        fs::write(root.join("old.md"), "# Old\n").unwrap();
        let mut workspace = workspace(root);
        let first = workspace.refresh();
        assert_eq!(first.added, ["goal.md", "old.md"]);
        assert!(workspace.refresh().is_empty());

        fs::write(root.join("goal.md"), goal_file(true) + "- [ ] third step\n").unwrap();
        fs::remove_file(root.join("old.md")).unwrap();
        fs::create_dir(root.join("notes")).unwrap();
        fs::write(root.join("notes/new.md"), "# New\n").unwrap();
        let second = workspace.refresh();
        assert_eq!(second.added, ["notes/new.md"]);
        assert_eq!(second.changed, ["goal.md"]);
        assert_eq!(second.removed, ["old.md"]);
        assert_eq!(milestones_done(&workspace), 1);
        assert_eq!(workspace.journal().documents.len(), 2);
    }

    #[test]
    fn a_files_path_is_held_once_by_its_document_its_record_and_its_reports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(true)).unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        let report = workspace.analyse(crate::dates::Date::parse("2026-03-01").unwrap());
        let path = &workspace.journal().documents[0].path;
        let (recorded, _) = workspace.files.get_key_value("goal.md").unwrap();
        assert!(Arc::ptr_eq(recorded, path));
        assert!(Arc::ptr_eq(&report.goals[0].milestones[0].file, path));
        // Again after an edit, which reads the file again.
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        workspace.refresh_files(&BTreeSet::from(["goal.md".to_string()]));
        let path = &workspace.journal().documents[0].path;
        let (recorded, _) = workspace.files.get_key_value("goal.md").unwrap();
        assert!(Arc::ptr_eq(recorded, path));
    }

    #[test]
    fn an_edit_that_keeps_size_and_clock_tick_is_still_seen() {
        // Ticking a checkbox keeps the file's size, and two writes within one tick of the
        // file system clock keep its modification time: only the content hash tells.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        let before = fs::metadata(root.join("goal.md"))
            .unwrap()
            .modified()
            .unwrap();
        fs::write(root.join("goal.md"), goal_file(true)).unwrap();
        let file = fs::File::options()
            .write(true)
            .open(root.join("goal.md"))
            .unwrap();
        file.set_modified(before).unwrap();
        drop(file);
        assert_eq!(workspace.refresh().changed, ["goal.md"]);
        assert_eq!(milestones_done(&workspace), 1);
    }

    #[test]
    fn a_new_stamp_with_the_same_content_is_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        // `git checkout` and some editors rewrite files with the same bytes.
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        assert!(workspace.refresh().is_empty());
    }

    #[test]
    fn a_buffer_wins_over_its_file_until_it_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        let buffers = HashMap::from([("goal.md".to_string(), goal_file(true))]);
        assert_eq!(
            workspace.refresh_with_buffers(&buffers).changed,
            ["goal.md"]
        );
        assert_eq!(milestones_done(&workspace), 1);
        // The file on disk is untouched, and read again once the buffer is gone.
        assert_eq!(
            fs::read_to_string(root.join("goal.md")).unwrap(),
            goal_file(false)
        );
        workspace.refresh();
        assert_eq!(milestones_done(&workspace), 0);
    }

    /// What a refresh leaves: the linked journal, every file's last read, and the
    /// saved status's inputs.
    /// Gives every file below `root` the modification time `at`. Tests that compare two
    /// workspaces settle their files first: a file read within `RACY_WINDOW` of its
    /// change is recorded unsettled, and one read again later settled, so two refreshes
    /// a slow machine runs seconds apart would otherwise record different stamps.
    fn settle_files(root: &Path, at: SystemTime) {
        for entry in walkdir::WalkDir::new(root).into_iter().map(Result::unwrap) {
            if entry.file_type().is_file() {
                settle_file(entry.path(), at);
            }
        }
    }

    fn settle_file(path: &Path, at: SystemTime) {
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(at).unwrap();
    }

    /// Two workspaces of `root`, each refreshed once, its files settled an hour ago first
    /// (that time is returned, for the files changed later to be settled after it).
    fn refreshed_settled_pair(root: &Path) -> (Workspace, Workspace, SystemTime) {
        let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
        settle_files(root, an_hour_ago);
        let (mut named, mut walked) = (workspace(root), workspace(root));
        named.refresh();
        walked.refresh();
        (named, walked, an_hour_ago)
    }

    fn state(workspace: &Workspace) -> String {
        let mut files: Vec<_> = workspace.files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        format!(
            "{:?}\n{files:?}\n{:?}",
            workspace.journal,
            workspace.inputs()
        )
    }

    /// A watch refreshes only the files its events name; after every kind of change it
    /// must hold what a refresh that walks the journal holds, and report the same files
    /// added, changed and removed. Changes the names alone cannot tell (a new file, a
    /// folder, a file swapped for a link) walk the journal.
    #[test]
    fn refreshing_named_files_equals_walking_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("notes")).unwrap();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        fs::write(
            root.join("notes/a.md"),
            "# A\n\nabout [[Ship it]] #ship-it\n",
        )
        .unwrap();
        fs::write(root.join("notes/b.md"), "# B\n").unwrap();
        let (mut named, mut walked, an_hour_ago) = refreshed_settled_pair(root);
        type Change = fn(&Path);
        let steps: [(&str, &[&str], Change); 6] = [
            ("an edit", &["goal.md"], |root| {
                fs::write(root.join("goal.md"), goal_file(true)).unwrap()
            }),
            ("a deletion", &["notes/b.md"], |root| {
                fs::remove_file(root.join("notes/b.md")).unwrap()
            }),
            ("a new file", &["notes/c.md"], |root| {
                fs::write(root.join("notes/c.md"), "# C\n#ship-it done\n").unwrap()
            }),
            ("a rename", &["notes/a.md", "notes/d.md"], |root| {
                fs::rename(root.join("notes/a.md"), root.join("notes/d.md")).unwrap()
            }),
            ("a new folder", &["later"], |root| {
                fs::create_dir(root.join("later")).unwrap();
                fs::write(root.join("later/e.md"), "# E\n").unwrap();
            }),
            ("a file swapped for a link", &["notes/c.md"], |root| {
                fs::remove_file(root.join("notes/c.md")).unwrap();
                #[cfg(unix)]
                std::os::unix::fs::symlink(root.join("goal.md"), root.join("notes/c.md")).unwrap();
            }),
        ];
        for (number, (step, names, change)) in steps.into_iter().enumerate() {
            change(root);
            // The changed files alone: the named refresh does not look at the others.
            let modified = an_hour_ago + Duration::from_secs(number as u64 + 1);
            for name in names {
                let path = root.join(name);
                if path.symlink_metadata().is_ok_and(|meta| !meta.is_symlink()) {
                    settle_files(&path, modified);
                }
            }
            let names = names.iter().map(|name| name.to_string()).collect();
            let from_names = named.refresh_files(&names);
            let from_walk = walked.refresh();
            assert_eq!(from_names, from_walk, "after {step}");
            assert!(state(&named) == state(&walked), "after {step}");
        }
    }

    /// A walk's files are examined a slice at a time: across slices, each is given its
    /// own stamp and record, as a refresh of the files named gives them.
    #[test]
    fn a_walk_of_more_files_than_are_examined_at_once_gives_each_its_own_record() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let count = EXAMINED_AT_ONCE + 3;
        let name = |n: usize| format!("e{n:05}.md");
        for n in 0..count {
            fs::write(root.join(name(n)), format!("# Entry {n}\n- [ ] a task\n")).unwrap();
        }
        let (mut named, mut walked, an_hour_ago) = refreshed_settled_pair(root);
        // Files at both ends of each slice change, a new one comes after the first.
        let changed = [0, 1, EXAMINED_AT_ONCE - 1, EXAMINED_AT_ONCE, count - 1];
        for n in changed {
            fs::write(root.join(name(n)), format!("# Entry {n}, changed\n")).unwrap();
        }
        fs::write(root.join("e00000b.md"), "# New\n").unwrap();
        let names: BTreeSet<String> = (changed.iter().map(|&n| name(n)))
            .chain(["e00000b.md".to_string()])
            .collect();
        for name in &names {
            settle_file(&root.join(name), an_hour_ago + Duration::from_secs(1));
        }
        let from_names = named.refresh_files(&names);
        let from_walk = walked.refresh();
        assert_eq!(from_names, from_walk);
        assert_eq!(from_walk.changed.len(), changed.len());
        assert!(state(&named) == state(&walked));
    }

    /// The watcher names every file written: a refresh of named files reads no other.
    #[test]
    fn a_walk_is_matched_against_the_documents_in_any_order_they_came() {
        let paths = |list: &[&str]| list.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        let found = paths(&["a.md", "b.md", "c.md", "f.md", "g.md"]);
        for known in [["b.md", "d.md", "f.md"], ["f.md", "b.md", "d.md"]] {
            let mut documents: Vec<Document> = paths(&known)
                .into_iter()
                .map(|path| Document {
                    path: path.into(),
                    ..Document::default()
                })
                .collect();
            let (added, gone) = match_files(&mut documents, found.clone());
            let kept: Vec<&str> = documents.iter().map(|d| &*d.path).collect();
            assert_eq!(kept, ["b.md", "f.md"]);
            assert_eq!(added, ["a.md", "c.md", "g.md"]);
            assert_eq!(gone, ["d.md"]);
        }
    }

    /// `status --json` hands its walk's stamps to the refresh: each must reach its own
    /// file, whether the file was known or is new.
    #[test]
    fn the_walks_stamps_go_to_the_files_they_were_taken_of() {
        let documents: Vec<Document> = ["b.md", "f.md"]
            .map(|path| Document {
                path: path.into(),
                ..Document::default()
            })
            .into();
        let added = ["a.md", "c.md", "g.md"].map(String::from);
        // The walk's files, a.md to g.md, each stamped with its place in the walk.
        let stamps = (0..5)
            .map(|len| Some(FileStamp { len, modified: 1 }))
            .collect();
        let (known, new) = split_stamps(&documents, &added, stamps);
        let lens = |stamps: Vec<Option<FileStamp>>| -> Vec<u64> {
            stamps.into_iter().map(|stamp| stamp.unwrap().len).collect()
        };
        assert_eq!(lens(known), [1, 3]);
        assert_eq!(lens(new), [0, 2, 4]);
    }

    #[test]
    fn refreshing_named_files_reads_no_other_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        fs::write(root.join("other.md"), "# Other\n").unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        fs::write(root.join("goal.md"), goal_file(true)).unwrap();
        fs::write(root.join("other.md"), "# Other, edited\n").unwrap();
        let refresh = workspace.refresh_files(&BTreeSet::from(["other.md".to_string()]));
        assert_eq!(refresh.changed, ["other.md"]);
        assert_eq!(milestones_done(&workspace), 0, "goal.md is as last read");
        workspace.refresh();
        assert_eq!(milestones_done(&workspace), 1);
    }

    #[test]
    fn refreshing_buffers_reads_no_other_file_and_the_file_of_a_gone_buffer_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        fs::write(root.join("other.md"), goal_file(false)).unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        let buffers = HashMap::from([("goal.md".to_string(), goal_file(true))]);
        // Another file changed on disk is left for the next full refresh.
        fs::write(root.join("other.md"), goal_file(true)).unwrap();
        workspace.refresh_buffers(&buffers);
        assert_eq!(milestones_done(&workspace), 1);
        workspace.refresh_buffers(&HashMap::new());
        assert_eq!(milestones_done(&workspace), 0, "goal.md is read again");
        workspace.refresh();
        assert_eq!(milestones_done(&workspace), 1, "other.md is read at last");
    }

    #[test]
    fn a_file_that_cannot_be_read_any_more_keeps_a_diagnostic_and_recovers() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("goal.md"), goal_file(false)).unwrap();
        let mut workspace = workspace(root);
        workspace.refresh();
        fs::write(root.join("goal.md"), b"\xff\xfe\x00broken").unwrap();
        assert_eq!(workspace.refresh().changed, ["goal.md"]);
        assert!(!workspace.journal().all_diagnostics().is_empty());
        assert!(workspace.journal().goals.is_empty());
        fs::write(root.join("goal.md"), goal_file(true)).unwrap();
        assert_eq!(workspace.refresh().changed, ["goal.md"]);
        assert!(workspace.journal().all_diagnostics().is_empty());
        assert_eq!(workspace.journal().goals.len(), 1);
    }

    /// A workspace that only analyses reads the documents the last build kept, not what
    /// builds and JSON writes read, which it would hold for nothing.
    #[test]
    fn an_analysing_workspace_reads_the_documents_cache_alone() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("ship.md"), "---\ngoal: Ship\n---\n- [ ] draft\n").unwrap();
        fs::write(root.join("2026-03-02.md"), "# Start\n- [x] plan #ship\n").unwrap();
        let today = Date::parse("2026-03-20").unwrap();
        let mut built = workspace(root);
        built.refresh();
        built.build(today, &mut |_| {}).unwrap();
        let read = |reading: fn(&mut Workspace) -> (Refresh, Option<String>)| {
            let mut workspace = workspace(root);
            let (refresh, note) = reading(&mut workspace);
            assert_eq!((refresh, note), (Refresh::default(), None));
            assert_eq!(
                workspace.differs_from_cache,
                Some(0),
                "documents from the cache"
            );
            let (reviews, json, hashes) = (
                !workspace.known_reviews.is_empty(),
                workspace.json_goals.is_some(),
                workspace.kept_hashes.is_some(),
            );
            (reviews, json, hashes)
        };
        let everything = |workspace: &mut Workspace| workspace.refresh_from_cache(&HashMap::new());
        let documents =
            |workspace: &mut Workspace| workspace.refresh_from_documents_cache(&HashMap::new());
        assert_eq!(read(everything), (true, true, true));
        assert_eq!(read(documents), (false, false, false));
    }
}
