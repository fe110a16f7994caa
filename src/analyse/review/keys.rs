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
            .zip(shown)
            .map(|(scheduled, shown)| {
                let period = scheduled.period;
                // Marked, not sorted and deduplicated: a year's review involves a goal
                // for each milestone done in it, tens of thousands of times at 100,000
                // files.
                let mut involved = vec![false; goals.len()];
                let done = slice_by_date(&self.done, period, |d| d.date).iter();
                let metrics = slice_by_date(&self.metrics, period, |m| m.0).iter();
                let checked_in = slice_by_date(&self.checked_in, period, |c| c.0).iter();
                for g in (done.map(|d| d.goal))
                    .chain(metrics.map(|m| m.1))
                    .chain(self.cadence_goals.iter().copied())
                    .chain(shown)
                    .chain(checked_in.map(|c| c.1))
                {
                    involved[g] = true;
                }
                let involved: Vec<u64> = (involved.iter().zip(&goals))
                    .filter(|(involved, _)| **involved)
                    .map(|(_, hash)| *hash)
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

    /// The goals that can show in each of `scheduled`, in the report's order. Over the
    /// begun periods of one kind, newest first, a goal is settled before a first few
    /// ([`Reviewer::settled_before`]) and not yet begun from some on
    /// ([`Reviewer::not_yet`]), and can show in those between: two binary searches a
    /// goal and kind find them.
    pub(super) fn could_show_in_each(&self, scheduled: &[Scheduled]) -> Vec<Vec<usize>> {
        let periods: Vec<Period> = scheduled.iter().map(|s| s.period).collect();
        let mut shown = vec![Vec::new(); periods.len()];
        let mut start = 0;
        while start < periods.len() {
            let run = newest_first_run(&periods[start..], self.report.today);
            if run == 0 {
                // Not begun, or out of order: asked goal by goal.
                let period = periods[start];
                shown[start] = (0..self.spans.len())
                    .filter(|&g| self.could_show(g, period))
                    .collect();
                start += 1;
                continue;
            }
            let periods = &periods[start..start + run];
            for g in 0..self.spans.len() {
                let from = periods.partition_point(|&p| self.settled_before(g, p));
                let to = periods.partition_point(|&p| !self.not_yet(g, p));
                for shown in &mut shown[start + from.min(to)..start + to] {
                    shown.push(g);
                }
            }
            start += run;
        }
        shown
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
