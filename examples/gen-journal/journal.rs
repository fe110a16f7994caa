//! The generator of `gen-journal` (see main.rs): the same files for the same arguments.
//! Also included by the browser tests, which check the reports of a generated journal.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (SplitMix64), so that no dependency decides the output.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: [&str; 24] = [
    "review",
    "team",
    "roadmap",
    "customer",
    "feedback",
    "design",
    "query",
    "talk",
    "mentor",
    "budget",
    "hiring",
    "launch",
    "metrics",
    "draft",
    "workshop",
    "plan",
    "release",
    "interview",
    "notes",
    "report",
    "coaching",
    "demo",
    "strategy",
    "retro",
];

const AREAS: [&str; 5] = ["skills", "leadership", "network", "visibility", "health"];

fn sentence(random: &mut Random, words: usize) -> String {
    let mut text = String::new();
    for index in 0..words {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[random.below(WORDS.len() as u64) as usize]);
    }
    text
}

/// Days from 1970-01-01 to 2026-11-20, the "today" of every generated journal.
const TODAY: i64 = 20_777;

/// The date `days` after 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's civil-from-days),
/// so that no date library decides the output.
fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The journal covers the ten years before today.
const SPAN_DAYS: i64 = 3650;

/// When a goal runs: it starts somewhere in the ten years and is due one to twelve
/// months later (some have no due date). Most goals due in the past were finished on
/// time, a few dropped, a few left open; the rest are in progress today.
struct Goal {
    start: i64,
    due: Option<i64>,
    outcome: Outcome,
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Finished,
    Dropped,
    Open,
}

impl Goal {
    fn new(random: &mut Random) -> Goal {
        let start = TODAY - 20 - random.below(SPAN_DAYS as u64 - 20) as i64;
        let due = random
            .chance(90)
            .then(|| start + 30 + random.below(335) as i64);
        let over = due.map_or(start + 365, |due| due) < TODAY;
        let outcome = match random.below(100) {
            _ if !over => Outcome::Open,
            0..80 => Outcome::Finished,
            80..92 => Outcome::Dropped,
            _ => Outcome::Open,
        };
        Goal {
            start,
            due,
            outcome,
        }
    }

    /// The last day anything happens on this goal.
    fn end(&self) -> i64 {
        match self.outcome {
            Outcome::Open => TODAY,
            _ => self.due.unwrap_or(self.start + 365).min(TODAY),
        }
    }
}

fn goal_file(random: &mut Random, index: usize, goal: &Goal) -> String {
    let mut text = String::from("---\n");
    let _ = writeln!(text, "goal: Goal number {index}");
    let _ = writeln!(text, "id: g{index}");
    let _ = writeln!(text, "area: {}", AREAS[index % AREAS.len()]);
    let _ = writeln!(text, "start: {}", date(goal.start));
    if let Some(due) = goal.due {
        let _ = writeln!(text, "due: {}", date(due));
    }
    if goal.outcome == Outcome::Dropped {
        text.push_str("status: dropped\n");
    }
    let _ = writeln!(text, "why: {}", sentence(random, 8));
    if index >= 10 && random.chance(30) {
        let _ = writeln!(text, "parent: g{}", random.below(index as u64 / 2));
    }
    if index.is_multiple_of(7) {
        text.push_str("metric:\n  unit: sessions\n  target: 40\n  baseline: 0\n");
    }
    text.push_str("---\n\n");
    let _ = writeln!(text, "# Goal number {index}\n\n{}.\n", sentence(random, 30));
    let done_chance = match goal.outcome {
        Outcome::Finished => 100,
        Outcome::Dropped => 30,
        Outcome::Open => 45,
    };
    let days = (goal.end() - goal.start).max(1) as u64;
    for milestone in 0..(3 + random.below(10)) {
        let done = if random.chance(done_chance) { "x" } else { " " };
        let _ = write!(
            text,
            "- [{done}] Milestone {milestone}: {}",
            sentence(random, 5)
        );
        if done == "x" && random.chance(50) {
            let on = goal.start + random.below(days) as i64;
            let _ = write!(text, " ✅ {}", date(on));
        }
        text.push('\n');
        if random.chance(20) {
            let _ = writeln!(
                text,
                "  - [{done}] step of {milestone}: {}",
                sentence(random, 4)
            );
        }
    }
    text
}

/// The goals running on each day of the ten years, so that entries mention goals that
/// were being worked on when they were written.
fn running_by_day(goals: &[Goal]) -> Vec<Vec<usize>> {
    let mut running = vec![Vec::new(); SPAN_DAYS as usize + 1];
    for (index, goal) in goals.iter().enumerate() {
        for day in goal.start.max(TODAY - SPAN_DAYS)..=goal.end() {
            running[(TODAY - day) as usize].push(index);
        }
    }
    running
}

fn entry_file(random: &mut Random, running: &[usize], plans: &[Goal]) -> String {
    let goals = plans.len();
    let mut text = String::new();
    let pick = |random: &mut Random| match running.len() {
        0 => random.below(goals as u64) as usize,
        n => running[random.below(n as u64) as usize],
    };
    if random.chance(10) {
        // Goals with a metric are every seventh.
        let goal = (0..8)
            .map(|_| pick(random))
            .find(|g| g % 7 == 0)
            .unwrap_or(0);
        let _ = writeln!(text, "---\nmetrics: {{g{goal}: {}}}\n---", random.below(40));
    }
    let _ = writeln!(text, "# {}\n", sentence(random, 4));
    for _ in 0..(1 + random.below(3)) {
        let words = 40 + random.below(60) as usize;
        let _ = writeln!(text, "{}.\n", sentence(random, words));
    }
    for _ in 0..random.below(4) {
        let goal = pick(random);
        // A finished goal got every milestone done, also those noted in entries.
        let finished = plans[goal].outcome == Outcome::Finished;
        let done = if finished || random.chance(60) {
            "x"
        } else {
            " "
        };
        let _ = writeln!(text, "- [{done}] {} #g{goal}", sentence(random, 5));
    }
    if random.chance(40) {
        let _ = writeln!(text, "\n## Wins\n\n- {}", sentence(random, 8));
    }
    if random.chance(25) {
        let _ = writeln!(text, "\n## Lessons\n\n- {}", sentence(random, 10));
    }
    if random.chance(10) {
        text.push_str(
            "\n```markdown\n- [ ] not a milestone, only an example\n- [x] nor this\n```\n",
        );
    }
    text
}

/// Writes a journal of `files` files into `out` from `seed`; returns how many are goals.
pub(crate) fn write_journal(out: &Path, files: usize, seed: u64) -> usize {
    let mut random = Random(seed);
    let goals = (files * 8 / 100).max(1);
    let write = |relative: &str, text: String| {
        let path = out.join(relative);
        std::fs::create_dir_all(path.parent().expect("every file is in a folder"))
            .and_then(|()| std::fs::write(&path, text))
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    };
    let plans: Vec<Goal> = (0..goals).map(|_| Goal::new(&mut random)).collect();
    for (index, goal) in plans.iter().enumerate() {
        write(
            &format!("goals/g{index}.md"),
            goal_file(&mut random, index, goal),
        );
    }
    let running = running_by_day(&plans);
    for index in 0..files - goals {
        // Entries fill the days before today, newest first, several a day in big journals.
        let days_ago = index * SPAN_DAYS as usize / (files - goals).max(1);
        let day = date(TODAY - days_ago as i64);
        let year = &day[..4];
        write(
            &format!("journal/{year}/{day}-{index}.md"),
            entry_file(&mut random, &running[days_ago], &plans),
        );
    }
    goals
}
