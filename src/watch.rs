//! `watch`: build, then build again whenever the journal changes.
//!
//! The watcher says which paths changed, and each rebuild refreshes the workspace: when
//! every changed path is a markdown file the journal already had (an edit, a deletion),
//! only those files are read again; when one is anything else (a new file, a folder, a
//! file swapped for a link), or a poll found the change, the journal is walked and
//! every file compared with its last read (see [`crate::workspace`]). Either way, every
//! way of saving ends in reports that match the files on disk: vim's backup and rename,
//! JetBrains' and VS Code's temp file and rename, truncate-and-write, `git checkout`
//! touching hundreds of files, folders made with their files before a watch on them
//! exists, and even a lost or overflowing event queue (notify's rescan flag forces a
//! rebuild that walks the journal).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::analyse::Report;
use crate::config::CONFIG_FILE;
use crate::dates::Date;
use crate::discover;
use crate::error::Error;
use crate::hash::FastSet;
use crate::paths::{self, FileStamp};
use crate::workspace::{self, Refresh, Workspace};
use crate::write::WriteSummary;

/// The quiet time after the last event before a rebuild starts, unless told otherwise.
pub(crate) const DEFAULT_DEBOUNCE_MS: u64 = 100;

/// How often polling looks at the files a build reads.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// How often the loop wakes without events, to rebuild when the day changes.
const DAY_CHECK_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
pub(crate) struct WatchOptions {
    pub(crate) debounce: Duration,
    /// Poll the file system instead of asking the OS for events.
    pub(crate) poll: bool,
    /// The date to compute status for; `None` follows the clock, across midnight too.
    pub(crate) today: Option<Date>,
}

/// What `watch` tells its caller.
#[derive(Debug)]
pub(crate) enum WatchEvent {
    /// A build finished: the first one, or one after a change.
    Built(Box<Rebuild>),
    /// A build failed (a template error, a failed write); watching goes on.
    Failed(Error),
    /// Something the person should know about the watching itself.
    Notice(String),
    /// Another trailmark writes to the output folder (this one): the build waits for it.
    Waiting(PathBuf),
}

/// One build and what led to it.
#[derive(Debug)]
pub(crate) struct Rebuild {
    /// Journal files found added, changed or removed (all of them, the first time).
    pub(crate) files: Refresh,
    /// Whether a file of the journal's templates folder changed.
    pub(crate) templates_changed: bool,
    /// Whether `trailmark.toml` changed.
    pub(crate) config_changed: bool,
    pub(crate) report: Report,
    /// The reports written, unchanged and removed.
    pub(crate) summary: WriteSummary,
    pub(crate) took: Duration,
}

impl Rebuild {
    /// Every report written or removed, relative to the output folder.
    pub(crate) fn changed_reports(&self) -> impl Iterator<Item = &str> {
        self.summary
            .written
            .iter()
            .chain(&self.summary.removed)
            .map(String::as_str)
    }
}

/// Stops a running watch from another thread (a Ctrl-C handler, a test).
#[derive(Debug, Clone)]
pub(crate) struct Stopper(Sender<Message>);

impl Stopper {
    /// Asks the watch to stop once the build in progress, if any, is written.
    pub(crate) fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }

    /// Stops the watch with `error`, which [`Watch::run`] returns: for a part of the
    /// process that cannot go on (the server of `serve`).
    pub(crate) fn fail(&self, error: Error) {
        let _ = self.0.send(Message::Fail(error));
    }
}

enum Message {
    /// One event of the system's watcher, as it comes.
    Event(notify::Result<notify::Event>),
    /// Time to poll (with `--poll`).
    Poll,
    Stop,
    Fail(Error),
}

/// What the events gathered for one rebuild say.
#[derive(Default)]
struct Batch {
    rescan: bool,
    templates_changed: bool,
    config_changed: bool,
    journal_changed: bool,
    /// The journal's markdown files the events named.
    journal_files: BTreeSet<String>,
    /// Some journal change named no markdown file (a folder, or a poll found it): only a
    /// walk of the journal finds what it changed.
    walk: bool,
    watch_limit_reached: bool,
    errors: Vec<notify::Error>,
}

/// Why [`Watch::rebuild`] is called.
#[derive(Debug, Clone, Copy)]
struct Cause<'a> {
    /// A file of the templates folder changed.
    templates_changed: bool,
    /// Build even when no journal file or setting changed: a new day, lost events.
    forced: bool,
    /// The journal files that changed, when the events named every change: only they
    /// are looked at again. `None`: the journal is walked.
    journal_files: Option<&'a BTreeSet<String>>,
}

impl Cause<'static> {
    /// A watcher starts (the first, or polling after the system's watches ran out): any
    /// change may have been missed, so every report is built.
    const WATCHER_STARTED: Cause<'static> = Cause {
        templates_changed: false,
        forced: true,
        journal_files: None,
    };
}

/// What [`Watch::gather`] found.
enum Gathered {
    Batch(Batch),
    Stop,
    Fail(Error),
}

/// A file watcher of either kind, kept alive for as long as the watch runs.
#[expect(
    dead_code,
    reason = "held only so that watching goes on until it is dropped"
)]
enum FileWatcher {
    Native(RecommendedWatcher),
    Polling(Poller),
}

/// Sends [`Message::Poll`] every [`POLL_INTERVAL`] until dropped, unless the last one is
/// still waiting: a poll or a build that takes longer than the interval (a large journal
/// on a network drive) must not pile up polls behind it.
struct Poller {
    stopped: Arc<AtomicBool>,
}

impl Poller {
    /// `due` is set when a poll is sent, and cleared by the watch when it takes it.
    fn start(sender: Sender<Message>, due: Arc<AtomicBool>) -> std::io::Result<Poller> {
        let stopped = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&stopped);
        std::thread::Builder::new()
            .name("trailmark-poll".to_string())
            .spawn(move || {
                loop {
                    std::thread::sleep(POLL_INTERVAL);
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if !due.swap(true, Ordering::Relaxed) && sender.send(Message::Poll).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Poller { stopped })
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::Relaxed);
    }
}

/// The stamps of every file a build reads, as polling last saw them.
#[derive(Default, PartialEq)]
struct PollStamps {
    /// Journal files, by path relative to the journal, in the walk's order.
    journal: Vec<(String, FileStamp)>,
    templates: Vec<(PathBuf, FileStamp)>,
    config: Option<FileStamp>,
}

/// Which folder is the journal, to tell when it is moved or deleted.
#[derive(Debug, PartialEq)]
struct FolderIdentity {
    #[cfg(unix)]
    device_and_inode: (u64, u64),
}

impl FolderIdentity {
    /// `None` when `path` is not a folder (any more).
    fn of(path: &Path) -> Option<FolderIdentity> {
        let metadata = std::fs::metadata(path).ok()?;
        if !metadata.is_dir() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(FolderIdentity {
                device_and_inode: (metadata.dev(), metadata.ino()),
            })
        }
        #[cfg(not(unix))]
        Some(FolderIdentity {})
    }
}

pub(crate) struct Watch {
    workspace: Workspace,
    options: WatchOptions,
    root: PathBuf,
    /// The journal folder when the watch started; `None` if it could not be read.
    root_identity: Option<FolderIdentity>,
    out: PathBuf,
    sender: Sender<Message>,
    receiver: Receiver<Message>,
    /// What polling saw last (with `--poll`).
    poll_stamps: PollStamps,
    /// Whether a poll is waiting in the queue (see [`Poller`]).
    poll_due: Arc<AtomicBool>,
    /// The day the last build was for: when today is another, every report is built
    /// again, as a goal's status depends on the day (one becomes overdue at midnight).
    built_for: Date,
    /// The output folder's files its events named since the last build began, relative
    /// to it; `None` while they are not known, the folder having no watch of its own (see
    /// [`Watch::watch_output_folder`]): not yet, polling, or the folder moved or removed.
    output_events: Option<FastSet<String>>,
    /// Whether `output_events` were gathered since before the last build began: only then
    /// do they name every file changed since that build looked at the folder.
    output_events_span_last_build: bool,
}

impl Watch {
    pub(crate) fn new(workspace: Workspace, options: WatchOptions) -> Watch {
        let (sender, receiver) = mpsc::channel();
        let root = paths::resolve(workspace.root());
        Watch {
            root_identity: FolderIdentity::of(&root),
            root,
            out: paths::resolve(workspace.out()),
            workspace,
            options,
            sender,
            receiver,
            poll_stamps: PollStamps::default(),
            poll_due: Arc::new(AtomicBool::new(false)),
            built_for: options.today.unwrap_or_else(Date::today),
            output_events: None,
            output_events_span_last_build: false,
        }
    }

    pub(crate) fn stopper(&self) -> Stopper {
        Stopper(self.sender.clone())
    }

    /// Builds once, then watches until stopped, telling `on_event` about every build.
    /// Fails only when the journal cannot be watched at all.
    pub(crate) fn run(mut self, mut on_event: impl FnMut(WatchEvent)) -> Result<(), Error> {
        // Watching starts before the first build, so that no change made during it is lost.
        let mut watcher = self.start_watcher(&mut on_event)?;
        self.workspace.keep_json_pieces();
        self.workspace.keep_analysis();
        self.rebuild(Cause::WATCHER_STARTED, self.today(), &mut on_event)?;
        self.watch_output_folder(&mut watcher);
        // The first build wrote the documents cache; the rebuilds leave it until the end.
        self.workspace.defer_documents_cache();
        // From the rebuilds on, not for the cache the first build replaced.
        self.workspace.keep_spares();
        loop {
            let batch = match self.receiver.recv_timeout(DAY_CHECK_INTERVAL) {
                Ok(first) => match self.gather(first) {
                    Gathered::Batch(batch) => batch,
                    Gathered::Stop => {
                        self.save_documents_cache(&mut on_event);
                        return Ok(());
                    }
                    Gathered::Fail(error) => return Err(error),
                },
                // Nothing happened for a while, but the day may have changed.
                Err(RecvTimeoutError::Timeout) => Batch::default(),
                Err(RecvTimeoutError::Disconnected) => {
                    self.save_documents_cache(&mut on_event);
                    return Ok(());
                }
            };
            // Any event may be the journal folder itself moving away.
            self.check_journal_folder()?;
            if batch.watch_limit_reached && matches!(watcher, FileWatcher::Native(_)) {
                on_event(WatchEvent::Notice(WATCH_LIMIT_NOTICE.to_string()));
                drop(watcher);
                watcher = self.start_polling()?;
                self.watch_output_folder(&mut watcher);
                self.rebuild(Cause::WATCHER_STARTED, self.today(), &mut on_event)?;
                continue;
            }
            for error in &batch.errors {
                on_event(WatchEvent::Notice(format!("file watcher: {error}")));
            }
            self.rebuild_for(&batch, &mut on_event)?;
            self.watch_output_folder(&mut watcher);
        }
    }

    /// Watches the output folder, once it exists, for files changed or removed by hand
    /// (or by anything else), so that a build looks at those files and trusts the other
    /// reports' records (see `write::write_reports`): a stat of each of 16,000 reports
    /// was a ninth of a rebuild after one edit at 100,000 files. Its own watch, also when
    /// the folder is inside the journal: it may be outside, or a link to elsewhere, and
    /// the watch of every folder in it is then in place when this returns. The events are
    /// used from the second build after it on: the first looks at every file again, for
    /// changes made before the watch.
    fn watch_output_folder(&mut self, watcher: &mut FileWatcher) {
        let FileWatcher::Native(native) = watcher else {
            self.output_events = None;
            return;
        };
        if self.output_events.is_none() && native.watch(&self.out, RecursiveMode::Recursive).is_ok()
        {
            self.output_events = Some(FastSet::default());
            self.output_events_span_last_build = false;
        }
    }

    /// Gathers the output folder's events anew, when it is watched: those gathered so far
    /// may miss some (the queue overflowed), so the next build looks at every file.
    fn restart_output_events(&mut self) {
        if let Some(events) = &mut self.output_events {
            events.clear();
            self.output_events_span_last_build = false;
        }
    }

    /// Writes the documents cache the rebuilds left as it was, so that the next process
    /// reads only what changed after this watch, and removes the reports' spares; a
    /// failure is told, not fatal.
    fn save_documents_cache(&mut self, on_event: &mut impl FnMut(WatchEvent)) {
        let mut waiting = |out: &Path| on_event(WatchEvent::Waiting(out.to_path_buf()));
        let saved = self.workspace.save_documents_cache(&mut waiting);
        let removed = self.workspace.remove_spares(&mut waiting);
        if let Err(error) = saved.and(removed) {
            on_event(WatchEvent::Failed(error));
        }
    }

    /// Rebuilds for what `batch` found changed, and when the day changed since the last
    /// build even if nothing else did. The day is compared after every batch, not only
    /// when no event came for a while: polls come every second.
    fn rebuild_for(
        &mut self,
        batch: &Batch,
        on_event: &mut impl FnMut(WatchEvent),
    ) -> Result<(), Error> {
        let today = self.today();
        let forced = today != self.built_for
            || batch.rescan
            || batch.templates_changed
            || batch.config_changed;
        if forced || batch.journal_changed {
            let cause = Cause {
                templates_changed: batch.templates_changed,
                forced,
                journal_files: (!batch.rescan && !batch.walk).then_some(&batch.journal_files),
            };
            self.rebuild(cause, today, on_event)?;
        }
        Ok(())
    }

    /// Gathers `first` and every message that follows it until the journal has been
    /// quiet for the debounce delay, unless asked to stop.
    ///
    /// The events come as the system sends them, and quiet is waited for here, across
    /// all paths, so that the events of one save or one `git checkout` are one rebuild.
    /// (A debouncer that waited half the delay for each path, before this loop waited
    /// the other half, sent its events on a timer of an eighth of the delay: about 8 ms
    /// from a save to its reports were that timer's, and it woke 80 times a second
    /// while nothing happened.) Only a change breaks the quiet. Reading a file does not
    /// (the build's own reads are events too), nor does a poll that finds no change:
    /// polls come every second whatever they find, so with a debounce of 2 s or more
    /// (or polls that take most of a second) counting them would never end.
    fn gather(&mut self, first: Message) -> Gathered {
        let quiet = self.options.debounce;
        let mut batch = Batch::default();
        // The debounce after the last message that said something changed.
        let mut quiet_at = Instant::now();
        let mut next = Some(first);
        while let Some(message) = next {
            let changed = match message {
                Message::Stop => return Gathered::Stop,
                Message::Fail(error) => return Gathered::Fail(error),
                Message::Poll => {
                    // Cleared first: a change made during this poll is for the next.
                    self.poll_due.store(false, Ordering::Relaxed);
                    self.poll(&mut batch)
                }
                Message::Event(Ok(event)) => {
                    let changed = is_change(&event.kind) || event.need_rescan();
                    if changed {
                        self.note_change(&event, &mut batch);
                    }
                    changed
                }
                Message::Event(Err(error)) => {
                    self.restart_output_events();
                    batch.watch_limit_reached |=
                        matches!(error.kind, notify::ErrorKind::MaxFilesWatch);
                    batch.errors.push(error);
                    true
                }
            };
            if changed {
                quiet_at = Instant::now() + quiet;
                self.workspace.history_may_have_changed();
            }
            let left = quiet_at.saturating_duration_since(Instant::now());
            next = match left.is_zero() {
                true => None,
                // Once the journal has been quiet for a tenth of the delay (the events of
                // one save have come by then), the rebuild's git history is read while the
                // rest is waited for, from the repository as it is after the last change.
                false => match self
                    .receiver
                    .recv_timeout(left.saturating_sub(quiet * 9 / 10))
                {
                    Ok(message) => Some(message),
                    Err(_) => {
                        if batch.journal_changed {
                            self.workspace.read_history_ahead();
                        }
                        let left = quiet_at.saturating_duration_since(Instant::now());
                        self.receiver.recv_timeout(left).ok()
                    }
                },
            };
        }
        Gathered::Batch(batch)
    }

    /// Notes in `batch` what the change `event` touched, and the output folder's files it
    /// named.
    fn note_change(&mut self, event: &notify::Event, batch: &mut Batch) {
        batch.rescan |= event.need_rescan();
        if event.need_rescan() {
            self.restart_output_events();
        }
        for path in &event.paths {
            match path.strip_prefix(&self.out) {
                // The folder itself moved or removed: its watch went with it, and is made
                // again after the next build (which makes the folder again).
                Ok(relative) if relative.as_os_str().is_empty() => self.output_events = None,
                Ok(relative) => {
                    if let Some(events) = &mut self.output_events {
                        let relative = relative.to_string_lossy();
                        events.insert(relative.replace(std::path::MAIN_SEPARATOR, "/"));
                    }
                }
                Err(_) => {}
            }
            batch.templates_changed |= self.is_template(path);
            batch.config_changed |= self.is_config(path);
            if self.is_journal_change(path) {
                batch.journal_changed = true;
                match self.journal_file(path) {
                    Some(file) => _ = batch.journal_files.insert(file),
                    None => batch.walk = true,
                }
            }
        }
    }

    /// Compares the stamps of the files a build reads (journal files as the walk finds
    /// them, templates, `trailmark.toml`) with the last poll's, notes what changed, and
    /// says whether anything did. No file is read but Obsidian's two settings files, which
    /// name folders the walk skips, so attachments and folders of reports cost nothing.
    fn poll(&mut self, batch: &mut Batch) -> bool {
        let config = self.workspace.config();
        let templates = self.root.join(&config.templates);
        let skip = discover::Skip {
            out: &self.out,
            templates: &templates,
            exclude: &config.exclude,
        };
        // Polling compares a file's size and modification time instead of its content.
        let stamp_of = |path: &Path| std::fs::metadata(path).ok().map(|m| FileStamp::of(&m));
        let journal: Vec<(String, FileStamp)> = discover::find_markdown_files(&self.root, &skip)
            .into_iter()
            .filter_map(|path| Some((stamp_of(&self.root.join(&path))?, path)))
            .map(|(stamp, path)| (path, stamp))
            .collect();
        let templates: Vec<(PathBuf, FileStamp)> = walkdir::WalkDir::new(&templates)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .filter_map(|entry| Some((entry.path().to_path_buf(), stamp_of(entry.path())?)))
            .collect();
        let stamps = PollStamps {
            journal,
            templates,
            config: stamp_of(&self.root.join(CONFIG_FILE)),
        };
        let now = SystemTime::now();
        // A journal file modified within the refresh's racy window may change again within
        // the same tick of a coarse clock (some network drives count whole seconds)
        // without its stamp changing: polling looks again until it is older.
        let unsettled = stamps.journal.iter().any(|(_, stamp)| {
            stamp
                .age(now)
                .is_some_and(|age| age < workspace::RACY_WINDOW)
        });
        let journal_changed = unsettled || stamps.journal != self.poll_stamps.journal;
        let templates_changed = stamps.templates != self.poll_stamps.templates;
        let config_changed = stamps.config != self.poll_stamps.config;
        batch.journal_changed |= journal_changed;
        batch.walk |= journal_changed;
        batch.templates_changed |= templates_changed;
        batch.config_changed |= config_changed;
        self.poll_stamps = stamps;
        journal_changed || templates_changed || config_changed
    }

    /// An error when the journal folder is no longer the one the watch started on
    /// (moved, deleted or replaced): building then would find an empty journal and
    /// write its reports into a folder made anew where the journal was.
    fn check_journal_folder(&self) -> Result<(), Error> {
        if self.root_identity.is_some() && FolderIdentity::of(&self.root) == self.root_identity {
            return Ok(());
        }
        Err(Error::journal(
            &self.root,
            "the journal folder was moved or deleted, so watching stopped; \
             start it again where the journal is now",
        ))
    }

    fn today(&self) -> Date {
        self.options.today.unwrap_or_else(Date::today)
    }

    /// Reads `trailmark.toml` again, refreshes the workspace and builds the reports,
    /// unless the `cause` is not forced and no journal file or setting changed. Fails only
    /// when the journal folder is gone; a failed build is an event.
    fn rebuild(
        &mut self,
        cause: Cause<'_>,
        today: Date,
        on_event: &mut impl FnMut(WatchEvent),
    ) -> Result<(), Error> {
        let started = Instant::now();
        self.check_journal_folder()?;
        // Also when the build fails: the next change builds again, not every poll.
        self.built_for = today;
        let config_changed = match self.workspace.reload_config() {
            Ok(changed) => changed,
            Err(error) => {
                on_event(WatchEvent::Failed(error));
                return Ok(());
            }
        };
        if config_changed && self.workspace.output_moved() {
            on_event(WatchEvent::Notice(format!(
                "trailmark.toml names another output folder; restart to write reports there \
                 (until then they go to {})",
                self.workspace.out().display()
            )));
        }
        // New settings may read or find files otherwise: the journal is walked again.
        let files = match cause.journal_files.filter(|_| !config_changed) {
            Some(changed) => self.workspace.refresh_files(changed),
            None => self.workspace.refresh(),
        };
        if files.is_empty() && !cause.forced && !config_changed {
            return Ok(());
        }
        // Checked again: the journal may have gone while it was read.
        self.check_journal_folder()?;
        let events = self.output_events.as_mut().map(std::mem::take);
        if let Some(changed) = events.filter(|_| self.output_events_span_last_build) {
            self.workspace.reports_changed_only(changed);
        }
        self.output_events_span_last_build = self.output_events.is_some();
        let mut waiting = |out: &Path| on_event(WatchEvent::Waiting(out.to_path_buf()));
        let built = self.workspace.build(today, &mut waiting);
        match built {
            Ok((report, summary)) => on_event(WatchEvent::Built(Box::new(Rebuild {
                files,
                templates_changed: cause.templates_changed,
                config_changed,
                report,
                summary,
                took: started.elapsed(),
            }))),
            Err(error) => on_event(WatchEvent::Failed(error)),
        }
        // Said: what is left of the build need not keep anyone waiting.
        self.workspace.let_go_of_last_build();
        Ok(())
    }

    /// Polling with `--poll`, else the system's events, or polling when the system has
    /// no watches left.
    fn start_watcher(
        &mut self,
        on_event: &mut impl FnMut(WatchEvent),
    ) -> Result<FileWatcher, Error> {
        if self.options.poll {
            return self.start_polling();
        }
        let sender = self.sender.clone();
        let handler = move |result: notify::Result<notify::Event>| {
            let _ = sender.send(Message::Event(result));
        };
        let watch_error = |error: notify::Error| {
            Error::journal(&self.root, format!("cannot watch for changes: {error}"))
        };
        let mut watcher = notify::recommended_watcher(handler).map_err(watch_error)?;
        match watcher.watch(&self.root, RecursiveMode::Recursive) {
            Ok(()) => Ok(FileWatcher::Native(watcher)),
            Err(error) if matches!(error.kind, notify::ErrorKind::MaxFilesWatch) => {
                on_event(WatchEvent::Notice(WATCH_LIMIT_NOTICE.to_string()));
                drop(watcher);
                self.start_polling()
            }
            Err(error) => Err(watch_error(error)),
        }
    }

    fn start_polling(&mut self) -> Result<FileWatcher, Error> {
        // Not notify's PollWatcher: it looks at every file below the journal, and to see a
        // second save within its one-second resolution it must hash them all, attachments
        // included, every time (200 MB of attachments cost 2.8 CPU-seconds per 10 s idle).
        // Polling here stats only what a build reads.
        let poller =
            Poller::start(self.sender.clone(), Arc::clone(&self.poll_due)).map_err(|error| {
                Error::journal(&self.root, format!("cannot poll for changes: {error}"))
            })?;
        // What is there now is no change.
        self.poll(&mut Batch::default());
        Ok(FileWatcher::Polling(poller))
    }

    /// Whether a change at `path` can change the journal: a markdown file or a folder
    /// (which may have held some), outside the output folder, not hidden, and not an
    /// editor's temp or swap file.
    fn is_journal_change(&self, path: &Path) -> bool {
        let Some(relative) = self.relative(path) else {
            return false;
        };
        let name = relative
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        if is_editor_temp_file(name) {
            return false;
        }
        // Without an extension it may be a folder (now gone, so it cannot be asked); a name
        // that is not UTF-8 is such a name too.
        relative.extension().and_then(|e| e.to_str()).is_none()
            || paths::is_markdown(relative)
            || path.is_dir()
    }

    /// The journal file at `path` as the workspace names it, relative with `/`
    /// separators; `None` for a folder, or a name that is not markdown or not UTF-8.
    fn journal_file(&self, path: &Path) -> Option<String> {
        let relative = self.relative(path)?;
        if !paths::is_markdown(relative) || path.is_dir() {
            return None;
        }
        Some(relative.to_str()?.replace(std::path::MAIN_SEPARATOR, "/"))
    }

    /// Whether `path` is the journal's `trailmark.toml`.
    fn is_config(&self, path: &Path) -> bool {
        self.relative(path) == Some(Path::new(CONFIG_FILE))
    }

    /// Whether `path` is the journal's templates folder or a file in it. The folder
    /// counts: files created right after it may come before the watch on it does. A
    /// templates folder outside the journal is not watched.
    fn is_template(&self, path: &Path) -> bool {
        let templates = &self.workspace.config().templates;
        self.relative(path).is_some_and(|relative| {
            relative.starts_with(templates)
                && relative
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| !is_editor_temp_file(name))
        })
    }

    /// `path` relative to the journal, unless it is outside it, in the output folder or
    /// hidden (`.git`, `.obsidian`, editor files like `.#goal.md`).
    fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        if path.starts_with(&self.out) {
            return None;
        }
        let relative = path.strip_prefix(&self.root).ok()?;
        (!paths::has_hidden_part(relative) && relative.components().next().is_some())
            .then_some(relative)
    }
}

const WATCH_LIMIT_NOTICE: &str = "the system's limit of inotify watches is reached, so \
changes are found by polling every second instead. To raise the limit: \
`sudo sysctl fs.inotify.max_user_watches=524288` (add the setting to /etc/sysctl.conf to keep it)";

/// Whether an event can mean changed content. Opening and reading a file are events
/// too, and trailmark's own reads of the journal and its templates must not trigger
/// another rebuild; a file closed after writing is a change.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Files editors write beside the one being saved: vim's swap and backup files and its
/// `4913` write test, Emacs lock and backup files, JetBrains' safe-write temp files.
fn is_editor_temp_file(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || [".swp", ".swo", ".swx", ".tmp"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(root: &Path) -> Watch {
        let workspace = Workspace::open(root, None).unwrap();
        Watch::new(
            workspace,
            WatchOptions {
                debounce: Duration::from_millis(DEFAULT_DEBOUNCE_MS),
                poll: false,
                today: None,
            },
        )
    }

    #[test]
    fn editor_temp_files_and_the_output_folder_never_trigger_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let watch = watch(dir.path());
        let root = paths::resolve(dir.path());
        let ignored = [
            "goals/.career.md.swp",
            "goals/career.md.swp",
            "goals/career.md~",
            "goals/.#career.md",
            "goals/career.md___jb_tmp___",
            "goals/career.md___jb_old___",
            "goals/4913",
            "_reports/index.md",
            "_reports/goals",
            ".git/index",
            ".obsidian/workspace.json",
            "attachments/photo.png",
        ];
        for path in ignored {
            assert!(!watch.is_journal_change(&root.join(path)), "{path}");
        }
        let relevant = [
            "goals/career.md",
            "2026/11/2026-11-20.markdown",
            "new-folder",
        ];
        for path in relevant {
            assert!(watch.is_journal_change(&root.join(path)), "{path}");
        }
        assert!(!watch.is_journal_change(Path::new("/elsewhere/goal.md")));
    }

    /// The events of one save come one by one: they make one batch, which names the
    /// saved file; the build's own reads of files are quiet, and make no batch wait.
    #[test]
    fn a_saves_events_are_one_batch_and_reads_are_quiet() {
        use notify::event::{CreateKind, ModifyKind, RenameMode};
        let dir = tempfile::tempdir().unwrap();
        let mut watch = watch(dir.path());
        let root = paths::resolve(dir.path());
        let event = |kind: EventKind, path: &str| {
            Message::Event(Ok(notify::Event::new(kind).add_path(root.join(path))))
        };
        let read = || {
            event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                "goal.md",
            )
        };
        let batch = |gathered| match gathered {
            Gathered::Batch(batch) => batch,
            _ => panic!("a batch was expected"),
        };
        // A read is quiet: the batch ends at once, the next message left for the next.
        watch.sender.send(read()).unwrap();
        let alone = batch(watch.gather(read()));
        assert!(!alone.journal_changed && alone.journal_files.is_empty());
        assert!(watch.receiver.try_recv().is_ok(), "a read waited for quiet");
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        watch.sender.send(event(renamed, "goal.md")).unwrap();
        watch.sender.send(read()).unwrap();
        let save = batch(watch.gather(event(EventKind::Create(CreateKind::File), "goal.md~")));
        assert!(save.journal_changed);
        assert_eq!(save.journal_files, BTreeSet::from(["goal.md".to_string()]));
        assert!(
            watch.receiver.try_recv().is_err(),
            "events were left for another batch"
        );
    }

    #[test]
    fn reading_a_file_is_no_change() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Other));
    }

    #[test]
    fn a_new_day_rebuilds_even_when_no_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("run.md"),
            "---\ngoal: Run a 10k\ndue: 2026-11-21\n---\n- [ ] Start\n",
        )
        .unwrap();
        let mut watch = watch(dir.path());
        let day = |day| Date::from_ymd(2026, 11, day);
        watch.options.today = day(20);
        let builds = std::cell::Cell::new(0);
        let mut count = |event: WatchEvent| {
            assert!(matches!(event, WatchEvent::Built(_)), "{event:?}");
            builds.set(builds.get() + 1);
        };
        watch
            .rebuild(Cause::WATCHER_STARTED, watch.today(), &mut count)
            .unwrap();
        // A poll that saw a file modified in the last 2 s says the journal changed, and
        // the refresh finds nothing new: no build on the same day...
        let unsettled = Batch {
            journal_changed: true,
            ..Batch::default()
        };
        watch.rebuild_for(&unsettled, &mut count).unwrap();
        assert_eq!(builds.get(), 1);
        // ...but on the next, whatever the batch holds: a poll's or nothing at all.
        watch.options.today = day(21);
        watch.rebuild_for(&unsettled, &mut count).unwrap();
        assert_eq!(builds.get(), 2);
        watch.options.today = day(22);
        watch.rebuild_for(&Batch::default(), &mut count).unwrap();
        assert_eq!(builds.get(), 3);
        watch.rebuild_for(&Batch::default(), &mut count).unwrap();
        assert_eq!(builds.get(), 3);
    }

    #[test]
    fn template_edits_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let watch = watch(dir.path());
        let root = paths::resolve(dir.path());
        assert!(watch.is_template(&root.join("templates/goal.html")));
        assert!(!watch.is_template(&root.join("templates/goal.html~")));
        assert!(watch.is_template(&root.join("templates")));
        assert!(!watch.is_template(&root.join("notes/templates/goal.html")));
    }
}
