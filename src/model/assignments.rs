//! Which goal each milestone belongs to, for the whole journal: what linking decides
//! (`Linker::assign_milestones`) and analysis reads for every milestone.

/// The goal each milestone of each document belongs to, if any: one list for the whole
/// journal, where a list a document took 40 bytes and an allocation each (a tenth of the
/// model at 100,000 files).
#[derive(Debug, Default)]
pub(crate) struct Assignments {
    /// Every document's milestones' goals, one document after the other; [`NO_GOAL`]
    /// for a milestone of no goal.
    goals: Vec<u32>,
    /// Where each document's milestones start in `goals`, and where the last one ends.
    starts: Vec<u32>,
}

/// A milestone of no goal, in [`Assignments::goals`] (a journal of 2^32 goals has no
/// room in memory).
const NO_GOAL: u32 = u32::MAX;

impl Assignments {
    /// Room for the milestones of so many documents.
    pub(super) fn with_capacity(documents: usize, milestones: usize) -> Assignments {
        Assignments {
            goals: Vec::with_capacity(milestones),
            starts: Vec::with_capacity(documents + 1),
        }
    }

    /// The goals of document `document`'s milestones.
    pub(crate) fn of(&self, document: usize) -> Assigned<'_> {
        self.get(document)
            .expect("every document of the journal has its assignments")
    }

    /// [`Assignments::of`], `None` for a document the journal does not have.
    pub(crate) fn get(&self, document: usize) -> Option<Assigned<'_>> {
        let start = *self.starts.get(document)? as usize;
        let end = *self.starts.get(document + 1)? as usize;
        Some(Assigned(&self.goals[start..end]))
    }

    /// The goals of every milestone of the journal, document after document.
    pub(crate) fn all(&self) -> impl Iterator<Item = Option<usize>> + '_ {
        Assigned(&self.goals).iter()
    }

    /// Adds the next document's milestones' goals.
    pub(super) fn push(&mut self, goals: &[Option<usize>]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let goals = goals.iter().map(|goal| goal.map_or(NO_GOAL, narrow));
        self.goals.extend(goals);
        self.starts.push(narrow(self.goals.len()));
    }

    /// Puts `goals` in place of document `document`'s milestones' goals (the document
    /// linked again after an edit), the later documents' moved along when it has more or
    /// fewer milestones than before.
    pub(super) fn replace(&mut self, document: usize, goals: &[Option<usize>]) {
        let start = self.starts[document] as usize;
        let end = self.starts[document + 1] as usize;
        let now = goals.iter().map(|goal| goal.map_or(NO_GOAL, narrow));
        self.goals.splice(start..end, now);
        for later in &mut self.starts[document + 1..] {
            *later = narrow(*later as usize - (end - start) + goals.len());
        }
    }
}

/// A goal's index or a place in [`Assignments::goals`], as stored there.
fn narrow(at: usize) -> u32 {
    u32::try_from(at).expect("fewer than 2^32 milestones and goals")
}

/// The goals of one document's milestones (see [`Assignments`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Assigned<'a>(&'a [u32]);

impl<'a> Assigned<'a> {
    /// The goal of milestone `milestone`, if any.
    pub(crate) fn get(self, milestone: usize) -> Option<usize> {
        Self::goal(self.0[milestone])
    }

    /// The goal of each milestone, in order.
    pub(crate) fn iter(self) -> impl Iterator<Item = Option<usize>> + 'a {
        self.0.iter().map(|&goal| Self::goal(goal))
    }

    fn goal(goal: u32) -> Option<usize> {
        (goal != NO_GOAL).then_some(goal as usize)
    }
}
