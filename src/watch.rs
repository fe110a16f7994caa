//! `watch`: build, then build again whenever the journal changes.
//!
//! The watcher only says *that* something changed: each rebuild refreshes the workspace,
//! which walks the journal and compares every file with its last read (see
//! [`crate::workspace`]). So editors that save through swap files, temp files and
//! renames, `git checkout` touching hundreds of files, and even a lost or overflowing
//! event queue all end in reports that match the files on disk.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, new_debouncer_opt};

use crate::analyse::Report;
use crate::config::CONFIG_FILE;
use crate::dates::Date;
use crate::error::Error;
use crate::workspace::{Refresh, Workspace};
use crate::write::{self, WriteSummary};

/// The quiet time after the last event before a rebuild starts, unless told otherwise.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(100);

/// How often the polling watcher looks at every file.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// How often the loop wakes without events, to rebuild when the day changes.
const DAY_CHECK_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
pub struct WatchOptions {
    pub debounce: Duration,
    /// Poll the file system instead of asking the OS for events.
    pub poll: bool,
    /// The date to compute status for; `None` follows the clock, across midnight too.
    pub today: Option<Date>,
}

/// What `watch` tells its caller.
#[derive(Debug)]
pub enum WatchEvent {
    /// A build finished: the first one, or one after a change.
    Built(Box<Rebuild>),
    /// A build failed (a template error, a failed write); watching goes on.
    Failed(Error),
    /// Something the person should know about the watching itself.
    Notice(String),
}

/// One build and what led to it.
#[derive(Debug)]
pub struct Rebuild {
    /// Journal files found added, changed or removed (all of them, the first time).
    pub files: Refresh,
    /// Whether a file of the journal's templates folder changed.
    pub templates_changed: bool,
    /// Whether `trailmark.toml` changed.
    pub config_changed: bool,
    pub report: Report,
    pub written: WriteSummary,
    pub took: Duration,
}

impl Rebuild {
    /// Every report written or removed, relative to the output folder.
    pub fn changed_reports(&self) -> impl Iterator<Item = &str> {
        self.written
            .written
            .iter()
            .chain(&self.written.removed)
            .map(String::as_str)
    }
}

/// Stops a running watch from another thread (a Ctrl-C handler, a test).
#[derive(Debug, Clone)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    /// Asks the watch to stop once the build in progress, if any, is written.
    pub fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

enum Message {
    Events(DebounceEventResult),
    Stop,
}

/// What the events gathered for one rebuild say.
#[derive(Default)]
struct Batch {
    rescan: bool,
    templates_changed: bool,
    config_changed: bool,
    journal_changed: bool,
    watch_limit_reached: bool,
    errors: Vec<notify::Error>,
}

/// A file watcher of either kind, kept alive for as long as the watch runs.
#[expect(
    dead_code,
    reason = "held only so that watching goes on until it is dropped"
)]
enum FileWatcher {
    Native(Debouncer<RecommendedWatcher, NoCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

pub struct Watch {
    workspace: Workspace,
    options: WatchOptions,
    root: PathBuf,
    out: PathBuf,
    sender: Sender<Message>,
    receiver: Receiver<Message>,
}

impl Watch {
    pub fn new(workspace: Workspace, options: WatchOptions) -> Watch {
        let (sender, receiver) = mpsc::channel();
        Watch {
            root: write::resolve(workspace.root()),
            out: write::resolve(workspace.out()),
            workspace,
            options,
            sender,
            receiver,
        }
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.sender.clone())
    }

    /// Builds once, then watches until stopped, telling `on_event` about every build.
    /// Fails only when the journal cannot be watched at all.
    pub fn run(mut self, mut on_event: impl FnMut(WatchEvent)) -> Result<(), Error> {
        // Watching starts before the first build, so that no change made during it is lost.
        let mut watcher = self.start_watcher(self.options.poll, &mut on_event)?;
        let mut today = self.today();
        self.rebuild(false, today, true, &mut on_event);
        loop {
            let first = match self.receiver.recv_timeout(DAY_CHECK_INTERVAL) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    if self.today() != today {
                        today = self.today();
                        self.rebuild(false, today, true, &mut on_event);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            };
            let Some(batch) = self.gather(first) else {
                return Ok(());
            };
            if batch.watch_limit_reached && matches!(watcher, FileWatcher::Native(_)) {
                on_event(WatchEvent::Notice(WATCH_LIMIT_NOTICE.to_string()));
                drop(watcher);
                watcher = self.start_watcher(true, &mut on_event)?;
                self.rebuild(false, today, true, &mut on_event);
                continue;
            }
            for error in batch.errors {
                on_event(WatchEvent::Notice(format!("file watcher: {error}")));
            }
            if batch.rescan
                || batch.templates_changed
                || batch.config_changed
                || batch.journal_changed
            {
                today = self.today();
                let forced = batch.rescan || batch.templates_changed || batch.config_changed;
                self.rebuild(batch.templates_changed, today, forced, &mut on_event);
            }
        }
    }

    /// Gathers `first` and every message that follows it until the journal has been
    /// quiet for half the debounce delay; `None` when asked to stop.
    ///
    /// The debouncer waits the other half for each path on its own, so the events of
    /// one save or one `git checkout` can come out in several batches; waiting for quiet
    /// across all paths turns them into one rebuild.
    fn gather(&self, first: Message) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Stop => return None,
                Message::Events(Ok(events)) => {
                    for event in events.iter().filter(|event| is_change(&event.kind)) {
                        batch.rescan |= event.need_rescan();
                        for path in &event.paths {
                            batch.templates_changed |= self.is_template(path);
                            batch.config_changed |= self.is_config(path);
                            batch.journal_changed |= self.is_journal_change(path);
                        }
                    }
                }
                Message::Events(Err(errors)) => {
                    batch.watch_limit_reached |= errors
                        .iter()
                        .any(|error| matches!(error.kind, notify::ErrorKind::MaxFilesWatch));
                    batch.errors.extend(errors);
                }
            }
            next = self.receiver.recv_timeout(self.options.debounce / 2).ok();
        }
        Some(batch)
    }

    fn today(&self) -> Date {
        self.options.today.unwrap_or_else(Date::today)
    }

    /// Reads `trailmark.toml` again, refreshes the workspace and builds the reports,
    /// unless `forced` is false and no journal file or setting changed.
    fn rebuild(
        &mut self,
        templates_changed: bool,
        today: Date,
        forced: bool,
        on_event: &mut impl FnMut(WatchEvent),
    ) {
        let started = Instant::now();
        let config_changed = match self.workspace.reload_config() {
            Ok(changed) => changed,
            Err(error) => return on_event(WatchEvent::Failed(error)),
        };
        if config_changed && self.workspace.output_moved() {
            on_event(WatchEvent::Notice(format!(
                "trailmark.toml names another output folder; restart to write reports there \
                 (until then they go to {})",
                self.workspace.out().display()
            )));
        }
        let files = self.workspace.refresh();
        if files.is_empty() && !forced && !config_changed {
            return;
        }
        match self.workspace.build(today) {
            Ok((report, written)) => on_event(WatchEvent::Built(Box::new(Rebuild {
                files,
                templates_changed,
                config_changed,
                report,
                written,
                took: started.elapsed(),
            }))),
            Err(error) => on_event(WatchEvent::Failed(error)),
        }
    }

    fn start_watcher(
        &self,
        poll: bool,
        on_event: &mut impl FnMut(WatchEvent),
    ) -> Result<FileWatcher, Error> {
        let sender = self.sender.clone();
        let handler = move |result: DebounceEventResult| {
            let _ = sender.send(Message::Events(result));
        };
        let watch_error = |error: notify::Error| {
            Error::journal(&self.root, format!("cannot watch for changes: {error}"))
        };
        if poll {
            // notify's polling compares modification times in whole seconds, so a second
            // save within the same second would go unseen; comparing contents catches it.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            let mut debouncer: Debouncer<PollWatcher, NoCache> =
                new_debouncer_opt(self.options.debounce / 2, None, handler, NoCache, config)
                    .map_err(watch_error)?;
            debouncer
                .watch(&self.root, RecursiveMode::Recursive)
                .map_err(watch_error)?;
            return Ok(FileWatcher::Polling(debouncer));
        }
        let mut debouncer: Debouncer<RecommendedWatcher, NoCache> = new_debouncer_opt(
            self.options.debounce / 2,
            None,
            handler,
            NoCache,
            notify::Config::default(),
        )
        .map_err(watch_error)?;
        match debouncer.watch(&self.root, RecursiveMode::Recursive) {
            Ok(()) => Ok(FileWatcher::Native(debouncer)),
            Err(error) if matches!(error.kind, notify::ErrorKind::MaxFilesWatch) => {
                on_event(WatchEvent::Notice(WATCH_LIMIT_NOTICE.to_string()));
                drop(debouncer);
                self.start_watcher(true, on_event)
            }
            Err(error) => Err(watch_error(error)),
        }
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
        match relative.extension().and_then(|e| e.to_str()) {
            Some(extension) => {
                extension.eq_ignore_ascii_case("md")
                    || extension.eq_ignore_ascii_case("markdown")
                    || path.is_dir()
            }
            // Without an extension it may be a folder (now gone, so it cannot be asked).
            None => true,
        }
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
        let hidden = relative.components().any(|component| {
            matches!(component, Component::Normal(name)
                if name.to_str().is_some_and(|name| name.starts_with('.')))
        });
        (!hidden && relative.components().next().is_some()).then_some(relative)
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
                debounce: DEFAULT_DEBOUNCE,
                poll: false,
                today: None,
            },
        )
    }

    #[test]
    fn editor_temp_files_and_the_output_folder_never_trigger_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let watch = watch(dir.path());
        let root = write::resolve(dir.path());
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
    fn template_edits_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let watch = watch(dir.path());
        let root = write::resolve(dir.path());
        assert!(watch.is_template(&root.join("templates/goal.html")));
        assert!(!watch.is_template(&root.join("templates/goal.html~")));
        assert!(watch.is_template(&root.join("templates")));
        assert!(!watch.is_template(&root.join("notes/templates/goal.html")));
    }
}
