//! Warm runs (a new process starting from what the last build kept: the saved status, the
//! documents cache) give byte for byte what cold runs give (every file read), over random
//! sequences of edits, renames, deletions, new files, settings and days on a generated
//! journal, with files old enough for their stamps to be trusted and files just written.
//! So does a workspace kept from change to change, as `watch` keeps one (its last
//! analysis, whose goals the next takes unless a change touched them, and each goal's
//! JSON).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;

use super::Workspace;
use crate::analyse::{self, Detail, Report};
use crate::dates::Date;

#[path = "../../examples/gen-journal/journal.rs"]
mod gen_journal;

/// One change to the journal.
#[derive(Debug, Clone)]
enum Change {
    /// The `nth` file (modulo their number) edited in one of a few ways.
    Edit {
        nth: usize,
        how: u8,
    },
    /// The `nth` file moved to a new name, perhaps into `archive/`.
    Rename {
        nth: usize,
        archive: bool,
    },
    Delete {
        nth: usize,
    },
    /// A new entry.
    Add {
        day: u8,
    },
    /// `trailmark.toml` rewritten, one of a few ways.
    Settings {
        which: u8,
    },
    /// Another day for the status.
    Day {
        forward: u8,
    },
    /// Nothing: the next run may print the saved status.
    Nothing,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (any::<usize>(), 0..5u8).prop_map(|(nth, how)| Change::Edit { nth, how }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(nth, archive)| Change::Rename { nth, archive }),
        1 => any::<usize>().prop_map(|nth| Change::Delete { nth }),
        1 => (1..28u8).prop_map(|day| Change::Add { day }),
        2 => (0..5u8).prop_map(|which| Change::Settings { which }),
        1 => (1..40u8).prop_map(|forward| Change::Day { forward }),
        1 => Just(Change::Nothing),
    ]
}

/// Every markdown file of the journal, relative, sorted.
fn journal_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().strip_prefix(root).unwrap().to_path_buf())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// Makes `change` to the journal at `root`; returns the file it wrote, if any.
fn make(root: &Path, change: &Change, step: usize, today: &mut Date) -> Option<PathBuf> {
    let files = journal_files(root);
    let nth = |nth: usize| root.join(&files[nth % files.len()]);
    match *change {
        Change::Edit { nth: n, how } => {
            let path = nth(n);
            let text = fs::read_to_string(&path).unwrap();
            let text = match how {
                0 => text + &format!("- [x] step {step} ✅ 2026-11-0{}\n", step % 9 + 1),
                1 => text.replacen("- [ ]", "- [x]", 1),
                2 => text.replacen("- [x]", "- [ ]", 1),
                3 => text.replacen("goal: ", &format!("goal: Renamed {step} "), 1),
                _ => text.chars().take(text.chars().count() / 2).collect(),
            };
            fs::write(&path, text).unwrap();
            Some(path)
        }
        Change::Rename { nth: n, archive } => {
            let from = nth(n);
            let folder = if archive { "archive" } else { "moved" };
            let to = root.join(folder).join(format!("file-{step}.md"));
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::rename(from, &to).unwrap();
            None
        }
        Change::Delete { nth: n } if files.len() > 1 => {
            fs::remove_file(nth(n)).unwrap();
            None
        }
        Change::Delete { .. } => None,
        Change::Add { day } => {
            let path = root.join(format!("journal/2026-10-{day:02}-{step}.md"));
            let text = format!("# Day {step}\n- [x] a new step #goal-1 ✅ 2026-10-{day:02}\n");
            fs::write(&path, text).unwrap();
            Some(path)
        }
        Change::Settings { which } => {
            let settings = [
                "reviews = [\"year\"]\n",
                "reviews = [\"year\"]\nstalled_after_days = 3\n",
                "reviews = [\"year\"]\nweek_start = \"sunday\"\n",
                "reviews = [\"year\"]\nlogseq_markers = false\n",
                "reviews = [\"year\"]\nexclude = [\"archive/**\"]\n",
            ];
            fs::write(root.join("trailmark.toml"), settings[usize::from(which)]).unwrap();
            None
        }
        Change::Day { forward } => {
            *today = today.add_days(i64::from(forward));
            None
        }
        Change::Nothing => None,
    }
}

/// What `status --json` prints, and the build's reports in `out`, cold (every file read)
/// or warm (from what the last build into `out` kept).
fn run(root: &Path, out: &Path, today: Date, warm: bool) -> (String, BTreeMap<PathBuf, Vec<u8>>) {
    let mut workspace = Workspace::open(root, Some(out)).unwrap();
    let saved = warm.then(|| workspace.saved_status(today));
    if warm {
        // Ignored (with a note) only after a change of the parse settings.
        workspace.use_cache();
    }
    let saved = match saved {
        Some(Err(walked)) => {
            workspace.refresh_walked(walked);
            None
        }
        saved => {
            workspace.refresh();
            saved.and_then(Result::ok)
        }
    };
    let report = workspace.analyse(today);
    // As `status --json` prints it: warm, with the goals' JSON the last build left.
    let mut status = Vec::new();
    workspace.write_json(&report, today, &mut status).unwrap();
    let status = String::from_utf8(status).unwrap();
    drop(report);
    if let Some(mut saved) = saved {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut saved, &mut bytes).unwrap();
        assert!(bytes == status.as_bytes(), "the saved status differs");
    }
    workspace.build(today, &mut |_| {}).unwrap();
    (status, reports(out))
}

/// The files of the output folder `out`, trailmark's own records of stamps aside.
fn reports(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().strip_prefix(out).unwrap().to_path_buf())
        .filter(|path| !path.to_string_lossy().starts_with(".trailmark-"))
        .map(|path| (path.clone(), fs::read(out.join(path)).unwrap()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn warm_runs_give_what_cold_runs_give(
        seed in any::<u64>(),
        changes in prop::collection::vec((change(), prop::bool::weighted(0.8)), 1..8),
    ) {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("journal");
        gen_journal::write_journal(&root, 30, seed);
        fs::write(root.join("trailmark.toml"), "reviews = [\"year\"]\n").unwrap();
        // Old enough to trust, each file a second apart from the others.
        let long_ago = SystemTime::now() - Duration::from_secs(86_400);
        let age = |path: &Path, step: usize| {
            let file = fs::File::options().write(true).open(path).unwrap();
            file.set_modified(long_ago + Duration::from_secs(step as u64)).unwrap();
        };
        for (step, file) in journal_files(&root).iter().enumerate() {
            age(&root.join(file), step);
        }
        let (cold, warm) = (folder.path().join("cold"), folder.path().join("warm"));
        let mut today = Date::parse("2026-11-20").unwrap();
        run(&root, &warm, today, false);
        let kept_out = folder.path().join("kept");
        let mut kept = Workspace::open(&root, Some(&kept_out)).unwrap();
        kept.keep_analysis();
        kept.keep_json_pieces();
        kept.refresh();
        kept.build(today, &mut |_| {}).unwrap();
        // As `trailmark lsp` keeps one: analysed for the editor, never built.
        let mut editor = Workspace::open(&root, Some(&folder.path().join("editor"))).unwrap();
        editor.keep_analysis();
        for (step, (change, settled)) in changes.iter().enumerate() {
            let written = make(&root, change, step, &mut today);
            if let Some(written) = written.filter(|_| *settled) {
                age(&written, 1000 + step);
            }
            let (cold_status, cold_reports) = run(&root, &cold, today, false);
            let (warm_status, warm_reports) = run(&root, &warm, today, true);
            kept.reload_config().unwrap();
            kept.refresh();
            let (kept_report, _) = kept.build(today, &mut |_| {}).unwrap();
            let kept_status = kept_report.to_json();
            let kept_reports = reports(&kept_out);
            for (name, status, reports) in [
                ("warm", &warm_status, &warm_reports),
                ("kept", &kept_status, &kept_reports),
            ] {
                prop_assert!(*status == cold_status, "{name}: status --json differs after {change:?}");
                let differing: Vec<&PathBuf> = cold_reports
                    .keys()
                    .chain(reports.keys())
                    .filter(|path| cold_reports.get(*path) != reports.get(*path))
                    .collect();
                prop_assert!(differing.is_empty(), "{name}: {differing:?} differ after {change:?}");
            }
            editor.reload_config().unwrap();
            editor.refresh();
            let analysed = editor.analyse_unkept(today, Detail::Editor);
            let read = as_the_editor_reads(&editor, &analysed.report);
            editor.keep_analysed(analysed);
            let mut whole = Workspace::open(&root, Some(&cold)).unwrap();
            whole.refresh();
            let whole_report = whole.analyse(today);
            let whole_read = as_the_editor_reads(&whole, &whole_report);
            prop_assert!(read == whole_read, "editor: {read:#?} read after {change:?}, not {whole_read:#?}");
        }
    }
}

/// What an editor reads of each goal of `report`, the analysis of `workspace`, and the
/// report's diagnostics.
fn as_the_editor_reads(workspace: &Workspace, report: &Report) -> Vec<String> {
    let path = |d: usize| &*workspace.journal().documents[d].path;
    let goals = (report.goals.iter()).map(|goal| analyse::as_the_editor_reads(goal, path));
    goals.chain([format!("{:?}", report.diagnostics)]).collect()
}

/// A build in a new process takes each goal's hashes from the last build when the goal's
/// inputs are the same (see `workspace::goal_inputs`): each edit below changes only what
/// one kind of input gives a goal, and the reports must still be those of a cold build.
#[test]
fn each_input_of_a_goal_changes_its_reports_in_a_new_process() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().join("journal");
    let files = [
        (
            "goals/launch.md",
            "---\ngoal: Launch\nid: launch\ndue: 2026-12-31\nmetric: {target: 10}\n---\n- [ ] plan\n",
        ),
        (
            "goals/child.md",
            "---\ngoal: Child\nparent: launch\n---\n- [ ] first\n",
        ),
        (
            "journal/2026-11-02.md",
            "# Talk\nA word about #launch today.\n",
        ),
        (
            "journal/2026-11-03.md",
            "---\nmetrics: {launch: 3}\n---\n# Count\n",
        ),
        (
            "journal/2026-11-04.md",
            "---\ncheckins: {launch: {confidence: 7}}\n---\n# Check\n",
        ),
        ("journal/2026-11-05.md", "# Steps\n- [ ] ask #launch\n"),
        ("notes/plan.md", "# Plan\n- [ ] draft #launch\n"),
    ];
    for (path, text) in files {
        fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        fs::write(root.join(path), text).unwrap();
    }
    let edits = [
        (
            "journal/2026-11-02.md",
            "# Talk again\nA word about #launch today.\n",
        ),
        (
            "journal/2026-11-03.md",
            "---\nmetrics: {launch: 5}\n---\n# Count\n",
        ),
        (
            "journal/2026-11-04.md",
            "---\ncheckins: {launch: {confidence: 3}}\n---\n# Check\n",
        ),
        (
            "journal/2026-11-05.md",
            "# Steps\n- [x] ask #launch ✅ 2026-11-05\n",
        ),
        (
            "notes/plan.md",
            "# Plan\n- [x] draft #launch ✅ 2026-11-07\n",
        ),
        (
            "goals/child.md",
            "---\ngoal: Child\nparent: launch\n---\n- [x] first ✅ 2026-11-06\n",
        ),
        (
            "goals/launch.md",
            "---\ngoal: Launch\nid: launch\ndue: 2026-12-20\nmetric: {target: 10}\n---\n- [ ] plan\n",
        ),
        // Rules of analysis: the goal is stalled after a day without progress.
        ("trailmark.toml", "stalled_after_days = 1\n"),
    ];
    let today = Date::parse("2026-11-20").unwrap();
    let (cold, warm) = (folder.path().join("cold"), folder.path().join("warm"));
    run(&root, &warm, today, true);
    for (step, (path, text)) in edits.into_iter().enumerate() {
        fs::write(root.join(path), text).unwrap();
        // Old enough for its stamp to be trusted, and no two stamps alike.
        let modified = SystemTime::now() - Duration::from_secs(3_600 - step as u64);
        let file = fs::File::options()
            .write(true)
            .open(root.join(path))
            .unwrap();
        file.set_modified(modified).unwrap();
        let (_, cold_reports) = run(&root, &cold, today, false);
        let (_, warm_reports) = run(&root, &warm, today, true);
        let differing: Vec<&PathBuf> = (cold_reports.keys().chain(warm_reports.keys()))
            .filter(|path| cold_reports.get(*path) != warm_reports.get(*path))
            .collect();
        assert!(
            differing.is_empty(),
            "after editing {path}: {differing:?} differ"
        );
    }
}
