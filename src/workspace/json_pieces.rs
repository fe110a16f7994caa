//! Each goal's JSON as the last `trailmark.json` had it, kept between builds: after an
//! edit `watch` makes the report's JSON (14 MB at 10,000 files) again whenever any goal
//! changed, and serializing every goal was a seventh of its CPU. A goal's JSON is kept by
//! the goal's whole hash (`analyse::review::goal_hashes`, which the pages' fingerprints
//! use): equal hashes serialize to equal JSON, so a goal whose hash is kept is not
//! serialized again, and the JSON put together from the pieces is byte for byte the one
//! a fresh build writes ([`Report::json_of_goals`]).
//!
//! A build in a new process has no pieces kept, but the last build's `trailmark.json` is
//! in the output folder, and beside it a file naming the whole hash of each of its goals
//! in order ([`GOALS_FILE`]): the pieces are found again in that file
//! ([`crate::analyse::goals_in_json`]) when it is the one the manifest records as made
//! from the same fingerprint, with the same hash. Making every goal's JSON was
//! a fifth of a `build` after one edit. That file is one of trailmark's own, like the
//! documents cache: a header names the program that wrote it (another build of
//! trailmark may write a goal's JSON otherwise), it is written atomically by the write
//! stage, ignored when old, damaged or foreign, and not read with `--no-cache`.
//!
//! Each piece is kept with its content hash ([`HashedBytes`]), taken when it is made or
//! read, and the file's hash is made of its pieces' (`write::Content::hash`): a rebuild
//! after an edit hashes the goals it made again, not the whole file (84 MB at 100,000
//! files). The last build's file read back is cut into the same pieces
//! ([`crate::analyse::json_of_parts`]), so that its hash is the one the manifest records
//! whichever build, in whichever process, wrote it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{read_sealed_json, sealed_json_file};
use crate::analyse::review::GoalHashes;
use crate::analyse::{self, GoalReport, Report};
use crate::fsread;
use crate::hash::HashedBytes;
use crate::shared_bytes::SharedBytes;
use crate::write::{self, Content, Made};

/// The name of the file, in the output folder, naming the goals of `trailmark.json`.
pub(crate) const GOALS_FILE: &str = ".trailmark-json-goals.json";

/// Bumped whenever what the file means changes. It stands where the documents cache has
/// its parse options, so that no other of trailmark's files is ever taken for it.
const FORMAT: u64 = 0x6a73_6f6e_676f_0001;

/// What [`GOALS_FILE`] says of a `trailmark.json`.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct JsonGoals {
    /// The fingerprint the JSON was planned with.
    json: u64,
    /// The whole hash of each of its goals, in order.
    goals: Vec<u64>,
}

/// [`GOALS_FILE`] in the output folder `out`: `Ok(None)` when there is none, `Err` with why
/// when there is one that cannot be used.
pub(super) fn read_goals(out: &Path) -> Result<Option<JsonGoals>, String> {
    read_sealed_json(out, GOALS_FILE, FORMAT)
}

/// [`GOALS_FILE`] for the JSON planned with `fingerprint`, of goals of the whole hashes
/// `goals`, as the write stage takes it.
pub(super) fn goals_file(fingerprint: u64, goals: &[u64]) -> write::Planned<'static> {
    let body = JsonGoals {
        json: fingerprint,
        goals: goals.to_vec(),
    };
    sealed_json_file(GOALS_FILE, FORMAT, &body)
}

/// The last build's `trailmark.json` in the output folder, as the manifest records it,
/// and its goals as [`GOALS_FILE`] named them.
pub(crate) struct LastJson<'a> {
    out: PathBuf,
    made: Made,
    goals: &'a JsonGoals,
}

impl<'a> LastJson<'a> {
    /// The JSON in `out` of `goals`, if the manifest records it as `made` from the
    /// fingerprint they name.
    pub(super) fn new(
        out: &Path,
        made: Option<Made>,
        goals: &'a JsonGoals,
    ) -> Option<LastJson<'a>> {
        made.filter(|made| made.fingerprint == goals.json)
            .map(|made| LastJson {
                out: out.to_path_buf(),
                made,
                goals,
            })
    }

    /// Each of its goals' JSON, when the file is still what the manifest records; else
    /// `None`, and the JSON is made whole.
    fn pieces(&self) -> Option<JsonPieces> {
        let json_file = self.out.join(json_file());
        let json = fsread::read(&json_file, fsread::MAX_OWN_FILE_BYTES).ok()?;
        let ranges = analyse::goals_in_json(&json)?;
        if ranges.len() != self.goals.goals.len() {
            return None;
        }
        let (first, last) = (ranges.first()?.start, ranges.last()?.end);
        let json = SharedBytes::from(json);
        let goals: Vec<HashedBytes> = (ranges.into_par_iter())
            .map(|range| HashedBytes::new(json.part(range)))
            .collect();
        let before = HashedBytes::new(json.part(0..first));
        let after = HashedBytes::new(json.part(last..json.len()));
        if Content::Parts(analyse::json_of_parts(before, &goals, after)).hash() != self.made.hash {
            return None;
        }
        let by_hash = (self.goals.goals.iter().copied()).zip(goals).collect();
        Some(JsonPieces { by_hash })
    }
}

/// The report's JSON file, relative to the output folder.
pub(super) fn json_file() -> String {
    format!(
        "{}.{}",
        crate::plan::JSON_PAGE,
        crate::plan::Format::Json.extension()
    )
}

/// Each goal's JSON, with its content hash, by the goal's whole hash.
#[derive(Default)]
pub(crate) struct JsonPieces {
    by_hash: HashMap<u64, HashedBytes>,
}

impl JsonPieces {
    fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// The JSON of `report`, whose goals have the whole hashes `goal_hashes`, in parts
    /// ([`Report::json_of_goals`]): each goal's JSON taken from these pieces when its hash
    /// is here, else made and hashed (on every core); with the pieces of `report`'s
    /// goals, for the next build.
    pub(crate) fn json(&self, report: &Report, goal_hashes: &[u64]) -> (Content, JsonPieces) {
        let goal_json = |(goal, hash): (&Arc<GoalReport>, &u64)| match self.by_hash.get(hash) {
            Some(kept) => kept.clone(),
            None => HashedBytes::from(goal.json_in_report()),
        };
        let goals: Vec<HashedBytes> = report
            .goals
            .par_iter()
            .zip(goal_hashes)
            .map(goal_json)
            .collect();
        let json = Content::Parts(report.json_of_goals(&goals));
        let by_hash = goal_hashes.iter().copied().zip(goals).collect();
        (json, JsonPieces { by_hash })
    }
}

/// A build's report JSON to make: the hashes of its report's goals (the whole ones name
/// the pieces), the pieces the build starts from, if the workspace keeps them, else the
/// last build's JSON to find them in, and, once it made the JSON, those it leaves for the
/// next (a build whose JSON is current makes none, and the pieces it started from stay).
pub(crate) struct JsonMaking<'a> {
    pub(crate) goal_hashes: &'a GoalHashes,
    kept: Option<&'a JsonPieces>,
    last: Option<LastJson<'a>>,
    made: Mutex<Option<JsonPieces>>,
}

impl<'a> JsonMaking<'a> {
    pub(crate) fn new(
        goal_hashes: &'a GoalHashes,
        kept: Option<&'a JsonPieces>,
        last: Option<LastJson<'a>>,
    ) -> JsonMaking<'a> {
        JsonMaking {
            goal_hashes,
            kept,
            last,
            made: Mutex::new(None),
        }
    }

    /// The JSON of `report`, whose goals have [`JsonMaking::goal_hashes`]: each goal's
    /// taken from the pieces kept, or else found in the last build's JSON, when its hash
    /// is there, else made (see [`JsonPieces::json`]), and the pieces remembered; made
    /// whole when there are none.
    pub(crate) fn json(&self, report: &Report) -> Content {
        let found;
        let kept = match self.kept {
            Some(kept) if !kept.is_empty() => Some(kept),
            kept => {
                found = self.last.as_ref().and_then(LastJson::pieces);
                found.as_ref().or(kept)
            }
        };
        let Some(kept) = kept else {
            return Content::Parts(report.json_parts());
        };
        let (json, pieces) = kept.json(report, &self.goal_hashes.whole);
        *self
            .made
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(pieces);
        json
    }

    /// The pieces made, if the JSON was.
    pub(crate) fn made(self) -> Option<JsonPieces> {
        self.made
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The last build's `trailmark.json`, read a line at a time, for `status --json` after an
/// edit: the new report's JSON is printed with each goal whose whole hash the file has
/// taken from its line, in the file's order, instead of made again (making every goal's
/// JSON was a fifth of that command at 100,000 files), without holding the file whole
/// (84 MB at 100,000 files). The file is trusted as the manifest records it, by its size
/// and modification time, as a build trusts a report it does not write again.
pub(super) struct JsonLines {
    reader: BufReader<File>,
    /// The index of each of the file's goals by its whole hash.
    index_of: HashMap<u64, usize>,
    /// The index of the goal on the next line to read.
    next: usize,
    line: Vec<u8>,
    /// A line was not as the file's layout has it, or could not be read: no more is.
    broken: bool,
}

impl JsonLines {
    /// The last build's JSON in `out`, which `goals` names, when the manifest records it
    /// as made from the fingerprint they name; read up to its first goal.
    pub(super) fn open(out: &Path, goals: &JsonGoals) -> Option<JsonLines> {
        let file = write::recorded_report(out, &json_file(), goals.json)?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).ok()? == 0 {
                return None;
            }
            if line.strip_suffix(b"\n") == Some(analyse::GOALS_LINE) {
                break;
            }
        }
        let index_of = (goals.goals.iter().enumerate())
            .map(|(index, &hash)| (hash, index))
            .collect();
        Some(JsonLines {
            reader,
            index_of,
            next: 0,
            line,
            broken: false,
        })
    }

    /// Writes to `out` the JSON of the goal of whole hash `hash` as the file has it, when
    /// it is on a line not yet passed; says whether it did. Only `out` can fail.
    pub(super) fn write_goal<W: Write + ?Sized>(
        &mut self,
        hash: u64,
        out: &mut W,
    ) -> io::Result<bool> {
        let Some(&index) = self.index_of.get(&hash) else {
            return Ok(false);
        };
        if self.broken || index < self.next {
            return Ok(false);
        }
        while self.next <= index {
            self.line.clear();
            if !matches!(self.reader.read_until(b'\n', &mut self.line), Ok(1..)) {
                self.broken = true;
                return Ok(false);
            }
            self.next += 1;
        }
        let line = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
        match analyse::goal_on_line(line) {
            Some(goal) => out.write_all(goal).map(|()| true),
            None => {
                self.broken = true;
                Ok(false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::review::goal_hashes;
    use crate::analyse::{Rules, analyse};
    use crate::git::History;
    use crate::testing::{day, journal};

    const SHIP: &str = "---\ngoal: Ship\nstart: 2026-01-01\ndue: 2026-03-01\n---\n- [x] plan ✅ 2026-01-05\n- [ ] launch\n";
    const SITE: &str = "---\ngoal: Site\nparent: ship\n---\n- [ ] logo\n- [ ] hosting\n";
    const IDLE: &str = "---\ngoal: Idle\n---\n- [ ] someday\n";
    const ENTRY: &str = "- [x] logo #site ✅ 2026-01-20\nWorked on [[Ship]].\n";

    /// An edit: its name, the journal's files after it, and the rules analysis follows.
    type Step<'a> = (&'a str, Vec<(&'a str, &'a str)>, Rules);

    /// Pieces kept from report to report over a sequence of edits give, at each step,
    /// the JSON a report made from scratch gives, byte for byte; and each step reuses the
    /// pieces of goals that did not change.
    /// A journal of `files` in a new folder, built once by a workspace, and the output
    /// folder's last JSON as a new process finds it; with the report that build made.
    fn built(files: &[(&str, &str)]) -> (tempfile::TempDir, Report) {
        let folder = tempfile::tempdir().unwrap();
        for (path, text) in files {
            std::fs::write(folder.path().join(path), text).unwrap();
        }
        let mut workspace = super::super::Workspace::open(folder.path(), None).unwrap();
        workspace.refresh();
        let (report, _) = workspace.build(day("2026-02-10"), &mut |_| {}).unwrap();
        (folder, report)
    }

    /// The pieces a new process finds in the output folder's last JSON, if any.
    fn found(folder: &tempfile::TempDir) -> Option<JsonPieces> {
        found_with(folder, |_| {})
    }

    /// [`found`], with the manifest's record of the JSON changed by `change` first.
    fn found_with(folder: &tempfile::TempDir, change: impl Fn(&mut Made)) -> Option<JsonPieces> {
        let out = folder.path().join("_reports");
        let goals = read_goals(&out).ok()??;
        let mut made = write::Manifest::load(&out).made(&json_file())?;
        change(&mut made);
        LastJson::new(&out, Some(made), &goals)?.pieces()
    }

    /// The pieces found in the last build's JSON are its goals' JSON, each under the
    /// goal's whole hash, and share the file's bytes read once.
    #[test]
    fn the_last_builds_json_is_found_again_in_its_goals_pieces() {
        let (folder, report) = built(&[("ship.md", SHIP), ("site.md", SITE), ("idle.md", IDLE)]);
        let pieces = found(&folder).expect("found");
        let hashes = goal_hashes(&report).whole;
        assert_eq!(pieces.by_hash.len(), report.goals.len());
        for (goal, hash) in report.goals.iter().zip(&hashes) {
            assert_eq!(
                *pieces.by_hash[hash],
                goal.json_in_report()[..],
                "{}",
                goal.id
            );
        }
    }

    /// The JSON's hash is made of its pieces' (see `write::Content::hash`): after an edit
    /// that changes one goal's JSON, a workspace that keeps the pieces (`watch`'s) writes
    /// the new JSON, recorded with the hash a new process finds from the file; then a
    /// build in a new process, which makes the JSON whole or finds it in the file, writes
    /// nothing, and neither does the workspace that kept the pieces after it.
    #[test]
    fn a_change_in_one_goals_json_is_written_and_recorded_as_a_new_process_hashes_it() {
        let (folder, _) = built(&[("ship.md", SHIP), ("site.md", SITE), ("idle.md", IDLE)]);
        let today = day("2026-02-10");
        let open = |cache: bool| {
            let mut workspace = super::super::Workspace::open(folder.path(), None).unwrap();
            if cache {
                workspace.use_cache();
            }
            workspace.refresh();
            workspace
        };
        let mut watching = open(false);
        watching.keep_json_pieces();
        watching.build(today, &mut |_| {}).unwrap();
        let watching_built = |watching: &mut super::super::Workspace| {
            watching.refresh();
            watching.build(today, &mut |_| {}).unwrap()
        };
        // Renaming a goal's second open milestone changes that goal's JSON alone; one
        // done changes its parent's too, and the activity after the goals.
        for (edit, site) in [
            (
                "a milestone renamed",
                SITE.replace("hosting", "hosting plan"),
            ),
            (
                "a milestone done",
                format!("{SITE}- [x] name ✅ 2026-01-10\n"),
            ),
        ] {
            std::fs::write(folder.path().join("site.md"), &site).unwrap();
            let (report, summary) = watching_built(&mut watching);
            assert!(summary.written.contains(&json_file()), "{edit}: written");
            let json = folder.path().join("_reports").join(json_file());
            assert_eq!(
                std::fs::read_to_string(&json).unwrap(),
                report.to_json(),
                "{edit}: the report's JSON"
            );
            assert!(found(&folder).is_some(), "{edit}: recorded as it hashes");
            for cache in [false, true] {
                let (_, summary) = open(cache).build(today, &mut |_| {}).unwrap();
                assert_eq!(summary.written, Vec::<String>::new(), "{edit}: {cache}");
            }
            let (_, summary) = watching_built(&mut watching);
            assert_eq!(summary.written, Vec::<String>::new(), "{edit}: again");
        }
    }

    /// A JSON that is not the one the manifest and the goals file describe gives no
    /// pieces: edited by hand (same size), recorded with another fingerprint, or with its
    /// goals file damaged, gone, or of another JSON; its goals are then made again.
    #[test]
    fn a_json_other_than_the_one_described_gives_no_pieces() {
        let files = [("ship.md", SHIP), ("site.md", SITE)];
        let out = |folder: &tempfile::TempDir| folder.path().join("_reports");
        let (folder, _) = built(&files);
        let json = out(&folder).join(json_file());
        let text = std::fs::read_to_string(&json).unwrap();
        std::fs::write(&json, text.replacen("Ship", "Shop", 1)).unwrap();
        assert!(found(&folder).is_none(), "edited");

        let (folder, _) = built(&files);
        assert!(
            found_with(&folder, |made| made.fingerprint ^= 1).is_none(),
            "another fingerprint"
        );
        assert!(
            found_with(&folder, |made| made.hash ^= 1).is_none(),
            "another hash"
        );
        assert!(found(&folder).is_some(), "as recorded");

        let goals = out(&folder).join(GOALS_FILE);
        let text = std::fs::read_to_string(&goals).unwrap();
        std::fs::write(&goals, text.replacen("[", "[1,", 1)).unwrap();
        assert!(read_goals(&out(&folder)).is_err(), "damaged");
        std::fs::remove_file(&goals).unwrap();
        assert!(matches!(read_goals(&out(&folder)), Ok(None)), "gone");

        let (folder, _) = built(&files);
        let (other, _) = built(&[("ship.md", SHIP), ("site.md", IDLE)]);
        std::fs::copy(out(&other).join(GOALS_FILE), out(&folder).join(GOALS_FILE)).unwrap();
        assert!(found(&folder).is_none(), "of another JSON");
    }

    /// `status --json` in a new process after an edit: the JSON of each goal the edit left
    /// as it was is copied from the last build's file, the others' made, and the whole is
    /// the report's JSON. The file's goals are marked first (with its size and
    /// modification time kept, as the manifest records them): only JSON copied from it
    /// carries the marks.
    #[test]
    fn json_after_an_edit_copies_the_goals_the_edit_left_from_the_last_build() {
        // Enough goals left as they were for their JSON to be copied (`MADE_ON_ONE_CORE`).
        let idle: Vec<(String, String)> = (0..16)
            .map(|n| {
                (
                    format!("idle{n}.md"),
                    IDLE.replace("Idle", &format!("Idle{n}")),
                )
            })
            .collect();
        let mut files = vec![("ship.md", SHIP), ("site.md", SITE)];
        files.extend(
            idle.iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        );
        let (folder, _) = built(&files);
        let json = folder.path().join("_reports").join(json_file());
        let written = std::fs::metadata(&json).unwrap().modified().unwrap();
        let mark = |text: &str, goal: &str| {
            let line_start = format!("{{\"id\":\"{}\",\"title\":\"", goal.to_lowercase());
            text.replacen(
                &format!("{line_start}{goal}"),
                &format!("{line_start}{}", goal.to_uppercase()),
                1,
            )
        };
        let rewrite = |text: &str| {
            std::fs::write(&json, text).unwrap();
            let file = std::fs::File::options().write(true).open(&json).unwrap();
            file.set_modified(written).unwrap();
        };
        let text = std::fs::read_to_string(&json).unwrap();
        let marked = mark(&mark(&text, "Idle3"), "Site");
        assert_ne!(mark(&text, "Idle3"), text);
        assert_ne!(mark(&text, "Site"), text);
        rewrite(&marked);
        // Site (and so its parent Ship) changed; the others did not.
        std::fs::write(
            folder.path().join("site.md"),
            format!("{SITE}- [ ] domain\n"),
        )
        .unwrap();

        let today = day("2026-02-10");
        let mut workspace = super::super::Workspace::open(folder.path(), None).unwrap();
        workspace.use_cache();
        workspace.refresh();
        let report = workspace.analyse(today);
        let printed = |workspace: &super::super::Workspace| {
            let mut printed = Vec::new();
            workspace.write_json(&report, today, &mut printed).unwrap();
            String::from_utf8(printed).unwrap()
        };
        let fresh = report.to_json();
        assert!(fresh.contains("domain"));
        assert_eq!(printed(&workspace), mark(&fresh, "Idle3"));

        // A goal's line not laid out as the file's are: that goal and those after it are
        // made, and the JSON is still the report's.
        rewrite(&marked.replacen("    {\"id\":\"idle0\"", "    [\"id\":\"idle0\"", 1));
        assert_eq!(printed(&workspace), fresh);
    }

    #[test]
    fn json_from_kept_pieces_equals_a_fresh_one_after_every_edit() {
        let entry_done_later = ENTRY.replace("2026-01-20", "2026-01-25");
        let ship_renamed = SHIP.replace("goal: Ship", "goal: Ship it");
        let steps: Vec<Step> = vec![
            (
                "first",
                vec![("goals/ship.md", SHIP), ("goals/site.md", SITE)],
                Rules::default(),
            ),
            (
                "a goal added",
                vec![
                    ("goals/ship.md", SHIP),
                    ("goals/site.md", SITE),
                    ("goals/idle.md", IDLE),
                ],
                Rules::default(),
            ),
            (
                "an entry changes a goal",
                vec![
                    ("goals/ship.md", SHIP),
                    ("goals/site.md", SITE),
                    ("goals/idle.md", IDLE),
                    ("2026-01-20.md", ENTRY),
                ],
                Rules::default(),
            ),
            (
                "the entry edited",
                vec![
                    ("goals/ship.md", SHIP),
                    ("goals/site.md", SITE),
                    ("goals/idle.md", IDLE),
                    ("2026-01-20.md", &entry_done_later),
                ],
                Rules::default(),
            ),
            (
                "a goal renamed and its file moved, so the goals reorder",
                vec![
                    ("goals/a-ship.md", &ship_renamed),
                    ("goals/site.md", SITE),
                    ("goals/idle.md", IDLE),
                    ("2026-01-20.md", &entry_done_later),
                ],
                Rules::default(),
            ),
            (
                "other rules",
                vec![
                    ("goals/a-ship.md", &ship_renamed),
                    ("goals/site.md", SITE),
                    ("goals/idle.md", IDLE),
                    ("2026-01-20.md", &entry_done_later),
                ],
                Rules {
                    at_risk_margin: 0.01,
                    stalled_after_days: 2,
                    ..Rules::default()
                },
            ),
            (
                "a goal removed",
                vec![
                    ("goals/a-ship.md", &ship_renamed),
                    ("goals/idle.md", IDLE),
                    ("2026-01-20.md", &entry_done_later),
                ],
                Rules::default(),
            ),
            (
                "every goal removed",
                vec![("2026-01-20.md", ENTRY)],
                Rules::default(),
            ),
        ];
        let mut kept = JsonPieces::default();
        let mut reused_some = false;
        for (step, files, rules) in steps {
            let report = analyse(
                &journal(&files),
                &History::default(),
                day("2026-02-10"),
                &rules,
            );
            let hashes = goal_hashes(&report).whole;
            let (json, pieces) = kept.json(&report, &hashes);
            assert!(
                json.to_vec() == report.to_json().into_bytes(),
                "{step}: differs from a fresh one"
            );
            assert_eq!(
                json.hash(),
                Content::Parts(report.json_parts()).hash(),
                "{step}: hashes as a fresh one"
            );
            reused_some |= hashes.iter().any(|hash| kept.by_hash.contains_key(hash));
            assert_eq!(
                pieces.by_hash.len(),
                report.goals.len(),
                "{step}: only the report's goals kept"
            );
            kept = pieces;
        }
        assert!(reused_some, "some goal's piece was reused");
    }
}
