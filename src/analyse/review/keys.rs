//! The input keys of a build's reviews: for each, a hash of everything
//! [`Reviewer::scheduled_review`] reads for it, so that a build may reuse what it knew
//! of a review of an equal key without computing it (`workspace::reviews`).
//!
//! All of a build's keys are made together (695 at 10,000 files, after every edit in
//! `watch`), from what they share made once: each entry's and each goal's part of a key
//! is hashed once, not once for each review it is part of, and the goals that can show
//! in each review ([`Reviewer::could_show`]) are found with two binary searches a goal
//! over each kind's periods, not by asking for every goal in every review (800 goals in
//! each of 695 reviews were most of the keys' time).

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use super::{Period, Reviewer, Scheduled, range_by_date, slice_by_date};
use crate::dates::Date;
use crate::diagnostic::Position;
use crate::document::Note;

impl Reviewer<'_> {
    /// The input key of each of `scheduled` (those of [`Reviewer::scheduled`]): equal
    /// keys make equal reviews. `goals` are the [`super::GoalHashes::for_reviews`].
    /// An entry is hashed by what a review reads of it, its date, path, title and
    /// notes, not by its file's content: an edit of an entry's other text makes none of
    /// its reviews again (and no entry's file is looked up).
    ///
    /// What a review reads, and what stands for it here: today and the rules; the period
    /// and its neighbours' labels; its entries (and how many the period before had); the
    /// goals that can show in it, that have milestones done, values logged or check-ins
    /// in it, and every cadence goal, in the report's order (which breaks ties); the open
    /// milestones due in the next period, as they are. A review of a build is never
    /// quiet (it has activity), so the journal's other active periods do not matter to
    /// it.
    ///
    /// `kept` is each document's part of the keys by its place in the journal (its
    /// entry's, as made here), `None` where not known; empty when none is kept, else as
    /// long as the journal's documents. Parts known are taken from it, those made are put
    /// in it: after an edit in `watch`, only the entries read again are hashed (hashing
    /// every entry's notes was a twentieth of a rebuild).
    pub(crate) fn input_keys(
        &self,
        scheduled: &[Scheduled],
        goals: &[u64],
        kept: &mut [Option<u64>],
    ) -> Vec<u64> {
        let rules = format!("{:?}", self.report.rules);
        let entries: Vec<u64> = self
            .entries
            .par_iter()
            .map(|e| match kept.get(e.document) {
                Some(Some(known)) => *known,
                _ => hashed(&(e.date, e.file, e.title, notes_hash(e.notes))),
            })
            .collect();
        for (e, hash) in self.entries.iter().zip(&entries) {
            if let Some(slot) = kept.get_mut(e.document) {
                *slot = Some(*hash);
            }
        }
        let goals: Vec<u64> = (self.report.goals.iter().zip(goals))
            .map(|(goal, hash)| hashed(&(goal.id.as_str(), hash)))
            .collect();
        let shown = self.could_show_in_each(scheduled);
        scheduled
            .par_iter()
            .enumerate()
            .map(|(at, scheduled)| {
                let period = scheduled.period;
                // Marked, not sorted and deduplicated: a year's review involves a goal
                // for each milestone done in it, tens of thousands of times at 100,000
                // files.
                let mut involved = vec![false; goals.len()];
                let done = slice_by_date(&self.indexed.done, period, |d| d.date).iter();
                let metrics = slice_by_date(&self.indexed.metrics, period, |m| m.0).iter();
                let checked_in = slice_by_date(&self.indexed.checked_in, period, |c| c.0).iter();
                for g in (done.map(|d| d.goal))
                    .chain(metrics.map(|m| m.1))
                    .chain(self.indexed.cadence_goals.iter().copied())
                    .chain(checked_in.map(|c| c.1))
                {
                    involved[g] = true;
                }
                let can_show = shown.in_review(at);
                let involved: Vec<u64> = (involved.iter().zip(&goals).enumerate())
                    .filter(|(g, (involved, _))| **involved || can_show(*g))
                    .map(|(_, (_, hash))| *hash)
                    .collect();
                hashed(&(
                    self.report.today,
                    &rules,
                    scheduled,
                    &entries[range_by_date(&self.entries, period, |e| e.date)],
                    slice_by_date(&self.entries, period.previous(), |e| e.date).len(),
                    involved,
                    crate::hash::data_hash(&self.due_in(period.next())),
                ))
            })
            .collect()
    }

    /// The goals that can show in each of `scheduled`. Over the begun periods of one
    /// kind, newest first, a goal is settled before a first few
    /// ([`Reviewer::settled_before`]) and not yet begun from some on
    /// ([`Reviewer::not_yet`]), and can show in those between: two binary searches a
    /// goal and kind find them, kept as that span of places in the kind's periods, not
    /// as a list of goals for each review (pushing 322,000 goals into 454 lists at
    /// 100,000 files took 5 ms of every build, on one core).
    pub(super) fn could_show_in_each(&self, scheduled: &[Scheduled]) -> Shown {
        let periods: Vec<Period> = scheduled.iter().map(|s| s.period).collect();
        let goals = self.indexed.spans.len();
        let mut shown = Shown {
            places: Vec::with_capacity(periods.len()),
            runs: Vec::new(),
        };
        let mut start = 0;
        while start < periods.len() {
            let run = newest_first_run(&periods[start..], self.report.today);
            let spans: Vec<(usize, usize)> = if run == 0 {
                // Not begun, or out of order: asked goal by goal, a run of its own.
                let period = periods[start];
                (0..goals)
                    .map(|g| (0, usize::from(self.could_show(g, period))))
                    .collect()
            } else {
                let periods = &periods[start..start + run];
                (0..goals)
                    .into_par_iter()
                    .map(|g| {
                        let from = periods.partition_point(|&p| self.settled_before(g, p));
                        let to = periods.partition_point(|&p| !self.not_yet(g, p));
                        (from.min(to), to)
                    })
                    .collect()
            };
            let run_index = shown.runs.len();
            shown.runs.push(spans);
            shown
                .places
                .extend((0..run.max(1)).map(|place| (run_index, place)));
            start += run.max(1);
        }
        shown
    }
}

/// The goals that can show in each of a build's reviews ([`Reviewer::could_show_in_each`]):
/// each review's run of periods and place in it, and for each run, each goal's places.
pub(super) struct Shown {
    /// For each review, in the order scheduled: its run, and its place in the run.
    places: Vec<(usize, usize)>,
    /// For each run, each goal's places in it, `from..to`.
    runs: Vec<Vec<(usize, usize)>>,
}

impl Shown {
    /// Whether each goal can show in the review `at`, in the order scheduled.
    pub(super) fn in_review(&self, at: usize) -> impl Fn(usize) -> bool + '_ {
        let (run, place) = self.places[at];
        let spans = &self.runs[run];
        move |g| {
            let (from, to) = spans[g];
            from <= place && place < to
        }
    }

    /// The goals that can show in the review `at`, in the report's order.
    #[cfg(test)]
    pub(super) fn goals(&self, at: usize) -> Vec<usize> {
        let can_show = self.in_review(at);
        (0..self.runs[self.places[at].0].len())
            .filter(|&g| can_show(g))
            .collect()
    }
}

/// How many of `periods`, from the first, are of one kind, each before the one before
/// it, when the first is begun by `today` (and so the others): those the binary
/// searches of [`Reviewer::could_show_in_each`] may search.
fn newest_first_run(periods: &[Period], today: Date) -> usize {
    match periods.first() {
        Some(first) if first.first <= today => {
            1 + periods
                .windows(2)
                .take_while(|pair| pair[1].kind == pair[0].kind && pair[1].last < pair[0].first)
                .count()
        }
        _ => 0,
    }
}

/// An entry's notes as a review reads them, hashed field by field, not serialized:
/// serializing every entry's notes for their hash was a tenth of a rebuild at 100,000
/// files. The destructuring stops compiling when a note gains a field, which may then
/// need to be part of the hash.
fn notes_hash(notes: &[Note]) -> u64 {
    let mut hasher = Xxh3Default::new();
    notes.len().hash(&mut hasher);
    for note in notes {
        let Note {
            kind,
            text,
            markdown,
            position: Position { line, column },
        } = note;
        (*kind as u8, text.as_str(), markdown, line, column).hash(&mut hasher);
    }
    hasher.finish()
}

fn hashed(value: &impl Hash) -> u64 {
    let mut hasher = Xxh3Default::new();
    value.hash(&mut hasher);
    hasher.finish()
}
