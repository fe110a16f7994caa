//! The analysis thread: keeps the journal's workspace, and on request refreshes it (the
//! open buffers over the files on disk), analyses it and sends back a [`Snapshot`].
//! Requests never queue: a request waiting when a newer one comes is dropped, and work
//! already started for an edit that a newer one made stale stops at the next stage.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::{Receiver, Sender, unbounded};

use super::ServerOptions;
use super::snapshot::{Notes, Snapshot};
use crate::analyse::Detail;
use crate::dates::Date;
use crate::workspace::Workspace;

/// What the analysis thread sends back.
pub(crate) enum Outcome {
    Analysed(Box<Snapshot>),
    /// The journal cannot be read (a missing folder, a broken trailmark.toml): said to
    /// the user, and tried again at the next request.
    Failed(String),
}

/// The journal as of the edit `generation`, with `buffers` (journal path → text) over
/// the files on disk; `walk`: with the journal walked for files changed on disk, else
/// only the buffers parsed again (a keystroke's analysis).
struct Job {
    generation: u64,
    buffers: HashMap<String, String>,
    walk: bool,
}

pub(crate) struct Analysis {
    jobs: Sender<Job>,
    pub(crate) outcomes: Receiver<Outcome>,
    /// The newest generation asked for: work for an older one is stale.
    newest: Arc<AtomicU64>,
}

impl Analysis {
    /// Starts the analysis thread of the journal at `root`, the journal as on disk (no
    /// buffers, walked) asked for at once: the first snapshot, which the editor's first
    /// diagnostics and answers wait for.
    pub(crate) fn start(root: PathBuf, options: ServerOptions) -> Analysis {
        let (jobs, job_receiver) = unbounded();
        let (outcome_sender, outcomes) = unbounded();
        let newest = Arc::new(AtomicU64::new(0));
        let worker_newest = Arc::clone(&newest);
        std::thread::Builder::new()
            .name("trailmark-analysis".to_string())
            .spawn(move || {
                work(
                    &root,
                    options,
                    &job_receiver,
                    &outcome_sender,
                    &worker_newest,
                )
            })
            .expect("the analysis thread starts");
        let analysis = Analysis {
            jobs,
            outcomes,
            newest,
        };
        analysis.request(0, HashMap::new(), true);
        analysis
    }

    /// Asks for the journal as of `generation`, whose open buffers are `buffers`, walked
    /// for changes on disk when `walk`.
    pub(crate) fn request(&self, generation: u64, buffers: HashMap<String, String>, walk: bool) {
        self.newest.fetch_max(generation, Ordering::SeqCst);
        // The thread ends only when the server drops its end of the channel.
        let _ = self.jobs.send(Job {
            generation,
            buffers,
            walk,
        });
    }
}

fn work(
    root: &std::path::Path,
    options: ServerOptions,
    jobs: &Receiver<Job>,
    outcomes: &Sender<Outcome>,
    newest: &AtomicU64,
) {
    let mut workspace: Option<Workspace> = None;
    // A request made stale after its walk leaves the walk done; one whose workspace
    // could not be opened leaves it to do.
    let mut walk_owed = true;
    // The documents cache is read while the first walk is under way, as a new process
    // of the other commands reads it: the server's start is theirs.
    let mut cache_owed = options.read_cache;
    let mut analysed_once = false;
    // The notes of the last snapshot sent, for the next to share what did not change.
    let mut last_notes: Option<Notes> = None;
    while let Ok(mut job) = jobs.recv() {
        // Only the newest waiting request is worth the work; a walk asked for by a
        // dropped one is still done.
        while let Ok(newer) = jobs.try_recv() {
            let walk = job.walk || newer.walk;
            job = Job { walk, ..newer };
        }
        // Until a first snapshot is sent, none is stale: one of an older journal is
        // still what a buffer opened meanwhile is checked against at once.
        let stale = || analysed_once && newest.load(Ordering::SeqCst) > job.generation;
        let workspace = match opened(&mut workspace, root) {
            Ok(workspace) => workspace,
            Err(message) => {
                if outcomes.send(Outcome::Failed(message)).is_err() {
                    return;
                }
                continue;
            }
        };
        if cache_owed {
            // A cache that cannot be used is ignored: the files are read instead.
            let _ = workspace.refresh_from_documents_cache(&job.buffers);
            (cache_owed, walk_owed) = (false, false);
        } else if job.walk || walk_owed {
            workspace.refresh_with_buffers(&job.buffers);
            walk_owed = false;
        } else {
            workspace.refresh_buffers(&job.buffers);
        }
        if stale() {
            continue;
        }
        let today = options.today.unwrap_or_else(Date::today);
        let analysed = workspace.analyse_unkept(today, Detail::Editor);
        if stale() {
            workspace.keep_analysed(analysed);
            continue;
        }
        let config = workspace.config();
        let (parse, warnings) = (config.parse.clone(), config.warnings);
        let notes = Notes::of(&workspace.journal().documents, last_notes.as_ref());
        last_notes = Some(notes.clone());
        let buffered = job.buffers.into_keys().collect();
        let snapshot = Snapshot::new(
            job.generation,
            notes,
            &analysed.report,
            parse,
            warnings,
            buffered,
        );
        analysed_once = true;
        let sent = outcomes.send(Outcome::Analysed(Box::new(snapshot)));
        // Kept once the snapshot is on its way: the editor's diagnostics do not
        // wait for it (hashing every file's outline, at the start).
        workspace.keep_analysed(analysed);
        if sent.is_err() {
            return;
        }
    }
}

/// The workspace, opened at the first request, its trailmark.toml read again at every
/// later one.
fn opened<'a>(
    workspace: &'a mut Option<Workspace>,
    root: &std::path::Path,
) -> Result<&'a mut Workspace, String> {
    if let Some(open) = workspace {
        open.reload_config().map_err(|error| error.to_string())?;
    } else {
        let mut open = Workspace::open(root, None).map_err(|error| error.to_string())?;
        open.keep_analysis();
        *workspace = Some(open);
    }
    Ok(workspace.as_mut().expect("opened above"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ServerOptions {
        ServerOptions {
            today: Date::from_ymd(2026, 3, 10),
            read_cache: false,
        }
    }

    /// What the analysis thread sends for `jobs`, all waiting at once, when the newest
    /// edit is of generation `newest`: each snapshot's generation and first goal's title.
    fn analysed(folder: &std::path::Path, jobs: Vec<Job>, newest: u64) -> Vec<(u64, String)> {
        let (job_sender, job_receiver) = unbounded();
        let (outcome_sender, outcomes) = unbounded();
        for job in jobs {
            job_sender.send(job).unwrap();
        }
        drop(job_sender);
        let newest = AtomicU64::new(newest);
        work(folder, options(), &job_receiver, &outcome_sender, &newest);
        outcomes
            .try_iter()
            .map(|outcome| match outcome {
                Outcome::Analysed(snapshot) => {
                    let title = snapshot.goals().first().map(|g| g.title.clone());
                    (snapshot.generation, title.unwrap_or_default())
                }
                Outcome::Failed(message) => panic!("{message}"),
            })
            .collect()
    }

    #[test]
    fn only_the_newest_waiting_request_is_analysed() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("goal.md"), "---\ngoal: Ship\n---\n").unwrap();
        let jobs = (1..=3)
            .map(|generation| {
                let text = format!("---\ngoal: Ship {generation}\n---\n");
                Job {
                    generation,
                    buffers: HashMap::from([("goal.md".to_string(), text)]),
                    walk: generation == 1,
                }
            })
            .collect();
        assert_eq!(
            analysed(folder.path(), jobs, 3),
            [(3, "Ship 3".to_string())]
        );
    }

    /// The server starts the analysis as soon as it knows the journal, before the
    /// editor's `initialized`: nothing needs to ask for the first snapshot.
    #[test]
    fn a_started_analysis_sends_the_journal_as_on_disk_unasked() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("goal.md"), "---\ngoal: Ship\n---\n").unwrap();
        let analysis = Analysis::start(folder.path().to_path_buf(), options());
        // Long enough for any machine: a missing request would wait for ever.
        let outcome = analysis
            .outcomes
            .recv_timeout(std::time::Duration::from_secs(30));
        let Ok(Outcome::Analysed(snapshot)) = outcome else {
            panic!("no snapshot came");
        };
        assert_eq!(snapshot.generation, 0);
        let titles: Vec<&str> = snapshot.goals().iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Ship"]);
    }

    #[test]
    fn work_for_a_request_made_stale_meanwhile_is_dropped() {
        let folder = tempfile::tempdir().unwrap();
        let (jobs, job_receiver) = unbounded();
        let (outcome_sender, outcomes) = unbounded();
        let newest = AtomicU64::new(1);
        let job = |generation| Job {
            generation,
            buffers: HashMap::new(),
            walk: true,
        };
        std::thread::scope(|scope| {
            scope.spawn(|| {
                work(
                    folder.path(),
                    options(),
                    &job_receiver,
                    &outcome_sender,
                    &newest,
                )
            });
            jobs.send(job(1)).unwrap();
            assert!(matches!(outcomes.recv().unwrap(), Outcome::Analysed(_)));
            // An edit of generation 3 came after the request of generation 2 was taken.
            newest.store(3, Ordering::SeqCst);
            jobs.send(job(2)).unwrap();
            drop(jobs);
        });
        assert_eq!(outcomes.try_iter().count(), 0);
    }

    #[test]
    fn the_first_analysis_is_sent_even_when_an_edit_made_it_stale() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("goal.md"), "---\ngoal: Ship\n---\n").unwrap();
        // A file was opened (generation 2) while the start's analysis was under way.
        let start = Job {
            generation: 1,
            buffers: HashMap::new(),
            walk: true,
        };
        assert_eq!(
            analysed(folder.path(), vec![start], 2),
            [(1, "Ship".to_string())]
        );
    }
}
