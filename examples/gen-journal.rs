//! Writes a synthetic journal for benchmarks: the same files for the same arguments.
//!
//! ```sh
//! cargo run --release --example gen-journal -- OUT FILES [SEED]
//! ```
//!
//! About 8% of the files are goals (front-matter, nested milestones, some with a parent
//! goal, some with a metric); the rest are dated entries spread over the years before
//! 2026-11-20, with prose, milestones tagged with a goal, wins and lessons sections,
//! metric values, and code blocks holding task-list lookalikes that are not milestones.

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

/// The day `offset` days before 2026-11-20, as `YYYY-MM-DD` (a proleptic calendar walk
/// keeps this free of date libraries).
fn day_before_today(offset: u64) -> String {
    let days_in = |year: u64, month: u64| match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let (mut year, mut month, mut day) = (2026u64, 11u64, 20u64);
    for _ in 0..offset {
        if day > 1 {
            day -= 1;
        } else {
            if month > 1 {
                month -= 1;
            } else {
                month = 12;
                year -= 1;
            }
            day = days_in(year, month);
        }
    }
    format!("{year:04}-{month:02}-{day:02}")
}

fn goal_file(random: &mut Random, index: usize, goals: usize) -> String {
    let mut text = String::from("---\n");
    let _ = writeln!(text, "goal: Goal number {index}");
    let _ = writeln!(text, "id: g{index}");
    let _ = writeln!(text, "area: {}", AREAS[index % AREAS.len()]);
    let start = 30 + random.below(3000);
    let _ = writeln!(text, "start: {}", day_before_today(start));
    if random.chance(85) {
        let due = start.saturating_sub(60 + random.below(700));
        let _ = writeln!(text, "due: {}", day_before_today(due));
    }
    let _ = writeln!(text, "why: {}", sentence(random, 8));
    if index >= 10 && random.chance(30) {
        let _ = writeln!(
            text,
            "parent: g{}",
            random.below(index.min(goals) as u64 / 2)
        );
    }
    if index.is_multiple_of(7) {
        text.push_str("metric:\n  unit: sessions\n  target: 40\n  baseline: 0\n");
    }
    text.push_str("---\n\n");
    let _ = writeln!(text, "# Goal number {index}\n\n{}.\n", sentence(random, 30));
    for milestone in 0..(3 + random.below(10)) {
        let done = if random.chance(45) { "x" } else { " " };
        let _ = write!(
            text,
            "- [{done}] Milestone {milestone}: {}",
            sentence(random, 5)
        );
        if done == "x" && random.chance(50) {
            let _ = write!(text, " ✅ {}", day_before_today(random.below(start)));
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

fn entry_file(random: &mut Random, goals: usize) -> String {
    let mut text = String::new();
    if random.chance(10) {
        // Goals with a metric are every seventh.
        let goal = random.below((goals as u64 - 1) / 7 + 1) * 7;
        let _ = writeln!(text, "---\nmetrics: {{g{goal}: {}}}\n---", random.below(40));
    }
    let _ = writeln!(text, "# {}\n", sentence(random, 4));
    for _ in 0..(1 + random.below(3)) {
        let words = 40 + random.below(60) as usize;
        let _ = writeln!(text, "{}.\n", sentence(random, words));
    }
    for _ in 0..random.below(4) {
        let done = if random.chance(60) { "x" } else { " " };
        let goal = random.below(goals as u64);
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(files)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: gen-journal OUT FILES [SEED]");
        std::process::exit(2);
    };
    let files: usize = files;
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut random = Random(seed);
    let out = Path::new(out);
    let goals = (files * 8 / 100).max(1);
    let write = |relative: &str, text: String| {
        let path = out.join(relative);
        std::fs::create_dir_all(path.parent().expect("every file is in a folder"))
            .and_then(|()| std::fs::write(&path, text))
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    };
    for index in 0..goals {
        write(
            &format!("goals/g{index}.md"),
            goal_file(&mut random, index, goals),
        );
    }
    for index in 0..files - goals {
        // Entries fill the days before today, newest first, several a day in big journals.
        let date = day_before_today((index * 3650 / (files - goals).max(1)) as u64);
        let year = &date[..4];
        write(
            &format!("journal/{year}/{date}-{index}.md"),
            entry_file(&mut random, goals),
        );
    }
    println!("{files} files ({goals} goals) in {}", out.display());
}
