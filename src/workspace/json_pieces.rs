//! Each goal's JSON as the last `trailmark.json` had it, kept between builds: after an
//! edit `watch` makes the report's JSON (14 MB at 10,000 files) again whenever any goal
//! changed, and serializing every goal was a seventh of its CPU. A goal's JSON is kept by
//! the goal's whole hash (`analyse::review::goal_hashes`, which the pages' fingerprints
//! use): equal hashes serialize to equal JSON, so a goal whose hash is kept is not
//! serialized again, and the JSON put together from the pieces is byte for byte the one
//! a fresh build writes ([`Report::json_of_goals`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::analyse::review::GoalHashes;
use crate::analyse::{GoalReport, Report};
use crate::write::Content;

/// Each goal's JSON by the goal's whole hash.
#[derive(Default)]
pub(crate) struct JsonPieces {
    by_hash: HashMap<u64, Arc<[u8]>>,
}

impl JsonPieces {
    /// The JSON of `report`, whose goals have the whole hashes `goal_hashes`, in parts
    /// ([`Report::json_of_goals`]): each goal's JSON taken from these pieces when its hash
    /// is here, else made (on every core); with the pieces of `report`'s goals, for the
    /// next build.
    pub(crate) fn json(&self, report: &Report, goal_hashes: &[u64]) -> (Content, JsonPieces) {
        let goal_json = |(goal, hash): (&Arc<GoalReport>, &u64)| match self.by_hash.get(hash) {
            Some(kept) => Arc::clone(kept),
            None => Arc::from(goal.json_in_report()),
        };
        let goals: Vec<Arc<[u8]>> = report
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
/// the pieces), the pieces the build starts from, if the workspace keeps them, and, once
/// it made the JSON, those it leaves for the next (a build whose JSON is current makes
/// none, and the pieces it started from stay).
pub(crate) struct JsonMaking<'a> {
    pub(crate) goal_hashes: &'a GoalHashes,
    kept: Option<&'a JsonPieces>,
    made: Mutex<Option<JsonPieces>>,
}

impl<'a> JsonMaking<'a> {
    pub(crate) fn new(goal_hashes: &'a GoalHashes, kept: Option<&'a JsonPieces>) -> JsonMaking<'a> {
        JsonMaking {
            goal_hashes,
            kept,
            made: Mutex::new(None),
        }
    }

    /// The JSON of `report`, whose goals have [`JsonMaking::goal_hashes`]: each goal's
    /// made anew unless pieces are kept, else from them (see [`JsonPieces::json`]) and
    /// its pieces remembered.
    pub(crate) fn json(&self, report: &Report) -> Content {
        let Some(kept) = self.kept else {
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
