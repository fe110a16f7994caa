//! Writes a synthetic journal for benchmarks: the same files for the same arguments.
//!
//! ```sh
//! cargo run --release --example gen-journal -- OUT FILES [SEED]
//! ```
//!
//! About 8% of the files are goals (front-matter, nested milestones, some with a parent
//! goal, some with a metric); the rest are dated entries spread over the ten years before
//! 2026-11-20, with prose, milestones tagged with a goal, wins and lessons sections,
//! metric values, and code blocks holding task-list lookalikes that are not milestones.
//!
//! Goals live like real ones: each starts somewhere in the ten years and is due one to
//! twelve months later; most past goals were finished, some dropped, some left open, and
//! entries mention the goals running on their day. (A journal where all goals stay open
//! for ten years would make every weekly review list hundreds of goals.)

use std::path::Path;

mod journal;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(files)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: gen-journal OUT FILES [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = Path::new(out);
    let goals = journal::write_journal(out, files, seed);
    println!("{files} files ({goals} goals) in {}", out.display());
}
