//! The documents kept in the output folder between runs (`.trailmark-documents.bin`),
//! and what the last build knew of each review (`.trailmark-reviews.json`): warm runs
//! give exactly what cold ones give, on the example journal, every fixture (`status
//! --json` both from the saved status and from the cache), and builds after each of a
//! series of edits;
//! the cache is used when warm and not with `--no-cache` (a forged entry shows which); an
//! edited file is parsed again whatever its stamp kept; and a damaged, old, foreign,
//! linked or FIFO cache is ignored with a `--verbose` note, never an error, and made anew
//! by the next build (one cut or with a byte changed anywhere, with the same output as
//! without it); the JSON cache of earlier versions is removed by the next build.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{Journal, stdout, trailmark};

const TODAY: &str = "2026-11-20";
const CACHE: &str = "_reports/.trailmark-documents.bin";
const SAVED_STATUS: &str = "_reports/.trailmark-status";
const GOAL: &str = "goal.md";

/// Sets the modification time of every file of `folder` to an hour ago, so that the
/// stamps a build records are trusted by the next run (see `RACY_WINDOW`).
fn settle(folder: &Path) {
    settle_at(folder, SystemTime::now() - Duration::from_secs(3600));
}

/// Sets the modification time of every file of `folder` to `past`.
fn settle_at(folder: &Path, past: SystemTime) {
    for entry in walk(folder) {
        fs::File::options()
            .write(true)
            .open(&entry)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }
}

/// Every file below `folder`, symlinks not followed.
fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            files.extend(walk(&entry.path()));
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    files
}

/// The files of the output folder `out` and their bytes, its manifest (which records
/// times) aside.
fn reports(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(out)
        .into_iter()
        .filter(|path| !path.ends_with(".trailmark-manifest"))
        .map(|path| {
            (
                path.strip_prefix(out).unwrap().to_path_buf(),
                fs::read(&path).unwrap(),
            )
        })
        .collect()
}

/// `trailmark ARGS --today TODAY JOURNAL`, which must succeed: its stdout and stderr.
fn run(journal: &Journal, args: &[&str]) -> (String, String) {
    let output = trailmark()
        .args(args)
        .args(["--today", TODAY])
        .arg(journal.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (text(output.stdout), text(output.stderr))
}

/// Checks that warm runs of `journal` print and build exactly what cold ones do. Both
/// build into folders beside the journal, so that reports link to it the same way.
fn warm_equals_cold(name: &str, journal: &Journal) {
    settle(journal.path());
    let folder = |name: &str| journal.path().with_file_name(name);
    let (cold_out, warm_out) = (folder("cold"), folder("warm"));
    let [cold, warm] = [&cold_out, &warm_out].map(|out| out.to_str().unwrap().to_string());
    let (cold_status, _) = run(journal, &["status", "--json", "--no-cache", "--out", &cold]);
    run(journal, &["build", "--no-cache", "--out", &cold]);
    // The first build writes the cache; the second starts from it, and renders every
    // report again because they were deleted (the manifest says they are its own).
    run(journal, &["build", "--out", &warm]);
    assert!(
        warm_out.join(".trailmark-documents.bin").is_file(),
        "{name}"
    );
    for report in walk(&warm_out) {
        let name = report.file_name().unwrap();
        let kept = [
            ".trailmark-manifest",
            ".trailmark-documents.bin",
            ".trailmark-reviews.json",
        ];
        if !kept.iter().any(|kept| name == *kept) {
            fs::remove_file(report).unwrap();
        }
    }
    let (_, notes) = run(journal, &["build", "--verbose", "--out", &warm]);
    assert!(!notes.contains("ignored"), "{name}: {notes}");
    let (warm_status, notes) = run(journal, &["status", "--json", "--verbose", "--out", &warm]);
    assert!(!notes.contains("ignored"), "{name}: {notes}");
    assert!(warm_status == cold_status, "{name}: status --json differs");
    let (cold_reports, warm_reports) = (reports(&cold_out), reports(&warm_out));
    assert_eq!(
        cold_reports.keys().collect::<Vec<_>>(),
        warm_reports.keys().collect::<Vec<_>>(),
        "{name}"
    );
    for (path, bytes) in &cold_reports {
        assert!(
            warm_reports[path] == *bytes,
            "{name}: {} differs",
            path.display()
        );
    }
    // Without the saved status (which the status above printed), from the documents cache.
    fs::remove_file(warm_out.join(".trailmark-status")).unwrap();
    let (warm_status, notes) = run(journal, &["status", "--json", "--verbose", "--out", &warm]);
    assert!(!notes.contains("ignored"), "{name}: {notes}");
    assert!(
        warm_status == cold_status,
        "{name}: status --json from the cache differs"
    );
}

#[test]
fn warm_runs_print_and_build_what_cold_runs_do() {
    warm_equals_cold("example-journal", &Journal::example());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for fixture in fs::read_dir(fixtures).unwrap() {
        let name = fixture.unwrap().file_name().into_string().unwrap();
        warm_equals_cold(&name, &Journal::fixture(&name));
    }
}

/// A build in a new process after each edit, starting from what the last one kept in
/// the output folder, writes every byte a build from scratch (`--no-cache`, into a new
/// folder) writes: reports, reviews, the history cache; the documents cache is there in
/// both, but a build keeps an older one while few files differ from it (see
/// `a_build_keeps_the_documents_cache_while_few_files_differ_from_it`).
#[test]
fn builds_after_edits_equal_builds_from_scratch() {
    let journal = Journal::new()
        .goal(
            "goals/launch.md",
            "Launch",
            "- [ ] announce 📅 2026-11-25\n- [x] plan ✅ 2026-10-02\n",
        )
        .file(
            "goals/site.md",
            "---\ngoal: Site\nparent: Launch\nstart: 2026-09-01\n---\n- [ ] pages\n- [ ] copy\n",
        )
        .entry(
            "2026-10-05",
            "- [x] logo #site\n## Wins\n- demo went well\n",
        )
        .entry(
            "2026-11-02",
            "- [x] hosting #site\n## Lessons\n- ask early\n",
        )
        .entry("2026-11-18", "## Feedback\n- clearer copy #launch\n");
    let out = |name: &str| {
        let folder = journal.path().with_file_name(name);
        folder.to_str().unwrap().to_string()
    };
    let warm = out("warm");
    let mut step = 0;
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let mut check = |what: &str| {
        step += 1;
        // Every file settled, at a time of its own each step, so that both builds record
        // the same stamps (a file read within `RACY_WINDOW` of its change is recorded as
        // unsettled) and no edit keeps a stamp the warm build would trust.
        settle_at(journal.path(), an_hour_ago + Duration::from_secs(step));
        let cold = out(&format!("cold-{step}"));
        run(&journal, &["build", "--out", &warm]);
        run(&journal, &["build", "--no-cache", "--out", &cold]);
        let (cold, warm) = (reports(Path::new(&cold)), reports(Path::new(&warm)));
        assert_eq!(
            cold.keys().collect::<Vec<_>>(),
            warm.keys().collect::<Vec<_>>(),
            "{what}"
        );
        for (path, bytes) in &cold {
            if path.ends_with(".trailmark-documents.bin") {
                continue;
            }
            assert!(warm[path] == *bytes, "{what}: {} differs", path.display());
        }
    };
    check("first build");
    journal.write(
        "2026-11-18.md",
        "## Feedback\n- much clearer copy #launch\n",
    );
    check("feedback reworded");
    fs::rename(
        journal.path().join("2026-10-05.md"),
        journal.path().join("2026-11-10.md"),
    )
    .unwrap();
    check("an entry moved to another week and month");
    journal.write(
        "goals/site.md",
        "---\ngoal: Site\nparent: Launch\nstart: 2026-09-01\n---\n- [x] pages ✅ 2026-11-03\n- [ ] copy\n",
    );
    check("a milestone ticked");
    journal.write(
        "goals/site.md",
        "---\ngoal: Website\nparent: Launch\nstart: 2026-09-01\n---\n- [ ] copy\n",
    );
    check("a goal renamed, so its id changed");
    fs::remove_file(journal.path().join("goals/launch.md")).unwrap();
    check("a parent goal deleted");
    journal.write("trailmark.toml", "week_start = \"sunday\"\n");
    check("the configuration changed");
    journal.write("2026-11-19.md", "## Takeaways\n- ship smaller\n");
    check("an entry with a heading no section has");
    journal.write(
        "trailmark.toml",
        "week_start = \"sunday\"\n[sections]\nlessons = [\"Takeaways\"]\n",
    );
    check("the headings of a section changed");
}

/// After an edit of a few files a build leaves the documents cache as it was: the next
/// process reads and parses those few again (and prints what a cold run prints), which
/// costs less than encoding every document anew. Once more than 1% of the files (and
/// at least 16) differ from it, the next build writes it anew.
#[test]
fn a_build_keeps_the_documents_cache_while_few_files_differ_from_it() {
    let mut journal = Journal::new().goal("goals/ship.md", "Ship", "- [ ] plan\n");
    for day in 1..=20 {
        journal = journal.entry(&format!("2026-10-{day:02}"), "- [x] step #ship\n");
    }
    // Settled before the first build, so that it records every file as settled; the
    // output folder is never touched (a changed cache file is written anew).
    settle(journal.path());
    run(&journal, &["build"]);
    let written = cache_bytes(&journal);
    let edit = |days: std::ops::RangeInclusive<u32>, text: &str| {
        for day in days {
            let path = format!("2026-10-{day:02}.md");
            journal.write(&path, text);
            fs::File::options()
                .write(true)
                .open(journal.path().join(&path))
                .unwrap()
                .set_modified(SystemTime::now() - Duration::from_secs(60))
                .unwrap();
        }
        run(&journal, &["build"]);
    };
    edit(1..=3, "- [x] first step #ship\n");
    assert!(cache_bytes(&journal) == written, "3 files differ: kept");
    let warm = run(&journal, &["status", "--json"]).0;
    let cold = run(&journal, &["--no-cache", "status", "--json"]).0;
    assert_eq!(warm, cold);
    assert!(warm.contains("first step"));
    edit(4..=20, "- [x] next step #ship\n");
    assert!(
        cache_bytes(&journal) != written,
        "20 files differ: written anew"
    );
    let warm = run(&journal, &["status", "--json"]).0;
    let cold = run(&journal, &["--no-cache", "status", "--json"]).0;
    assert_eq!(warm, cold);
}

#[test]
fn a_damaged_reviews_file_is_ignored_and_made_anew() {
    let journal = built();
    journal.write("2026-11-02.md", "- [x] first step #ship-it\n");
    run(&journal, &["build"]);
    let file = "_reports/.trailmark-reviews.json";
    let text = journal.read(file);
    journal.write(file, &text[..text.len() - 10]);
    let (_, notes) = run(&journal, &["build", "--verbose"]);
    assert!(
        notes.contains("note: ignored") && notes.contains("checksum"),
        "{notes}"
    );
    assert!(journal.read(file) == text, "made anew");
    let (_, notes) = run(&journal, &["build", "--verbose"]);
    assert!(!notes.contains("ignored"), "{notes}");
}

/// A journal of one goal, settled and built, so that its cache is warm; without the
/// build's saved status, which `status --json` would print without reading the cache
/// (tests/saved_status.rs).
fn built() -> Journal {
    let journal = Journal::new().goal(GOAL, "Ship it", "- [ ] first step\n- [ ] second step\n");
    settle(journal.path());
    run(&journal, &["build"]);
    fs::remove_file(journal.path().join(SAVED_STATUS)).unwrap();
    journal
}

/// The bytes of the cache of `journal`.
fn cache_bytes(journal: &Journal) -> Vec<u8> {
    fs::read(journal.path().join(CACHE)).unwrap()
}

/// `bytes` with each `from` replaced by `to`, of the same length, so that the binary
/// documents around them still decode.
fn replaced(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut bytes = bytes.to_vec();
    let mut at = 0;
    while let Some(found) = bytes[at..]
        .windows(from.len())
        .position(|window| window == from.as_bytes())
    {
        at += found;
        bytes[at..at + from.len()].copy_from_slice(to.as_bytes());
        at += from.len();
    }
    bytes
}

/// The cache of `journal` with `edit` made to its documents (after the header line), and
/// its checksum made to match, so that only what it says can tell it from the real one.
fn forge(journal: &Journal, edit: impl Fn(&[u8]) -> Vec<u8>) {
    let bytes = cache_bytes(journal);
    let newline = bytes.iter().position(|&byte| byte == b'\n').unwrap();
    let (header, documents) = (&bytes[..newline], &bytes[newline + 1..]);
    let edited = edit(documents);
    assert!(edited != documents, "the edit changed nothing");
    let mut header: serde_json::Value = serde_json::from_slice(header).unwrap();
    header["checksum"] = xxhash_rust::xxh3::xxh3_64(&edited).into();
    journal.write(
        CACHE,
        [header.to_string().as_bytes(), b"\n", &edited].concat(),
    );
}

fn titles(journal: &Journal, args: &[&str]) -> Vec<String> {
    let (json, _) = run(journal, &[&["status", "--json"], args].concat());
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|goal| goal["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_warm_run_uses_the_cache_and_no_cache_reads_nothing_from_it() {
    let journal = built();
    forge(&journal, |documents| {
        replaced(documents, "Ship it", "Forged!")
    });
    // The file is unchanged, so its document comes from the cache, as forged.
    assert_eq!(titles(&journal, &[]), ["Forged!"]);
    assert_eq!(titles(&journal, &["--no-cache"]), ["Ship it"]);
    // A build with `--no-cache` writes the cache anew from the files.
    run(&journal, &["build", "--no-cache"]);
    assert!(replaced(&cache_bytes(&journal), "Forged!", "Ship it") == cache_bytes(&journal));
    assert_eq!(titles(&journal, &[]), ["Ship it"]);
}

/// Rewrites the goal with `text` and sets its modification time to `modified`.
fn rewrite(journal: &Journal, text: &str, modified: SystemTime) {
    journal.write(GOAL, text);
    let file = fs::File::options()
        .write(true)
        .open(journal.path().join(GOAL))
        .unwrap();
    file.set_modified(modified).unwrap();
}

fn modified(journal: &Journal) -> SystemTime {
    fs::metadata(journal.path().join(GOAL))
        .unwrap()
        .modified()
        .unwrap()
}

#[test]
fn a_file_edited_since_the_cache_is_parsed_again() {
    // The same size and a new time.
    let journal = built();
    let old = modified(&journal);
    let same_size = "---\ngoal: Ship up\n---\n- [ ] first step\n- [ ] second step\n";
    rewrite(&journal, same_size, old + Duration::from_secs(60));
    assert_eq!(titles(&journal, &[]), ["Ship up"]);

    // The same time and a new size.
    let journal = built();
    let old = modified(&journal);
    rewrite(&journal, "---\ngoal: Shipped\n---\n- [ ] one\n", old);
    assert_eq!(titles(&journal, &[]), ["Shipped"]);

    // The same size and the same time, where the cache was written within the file
    // system clock's tick of the file (here: just after it was written): its stamp is
    // not trusted, its content is compared.
    let journal = Journal::new().goal(GOAL, "Ship it", "- [ ] first step\n");
    run(&journal, &["build"]);
    let old = modified(&journal);
    rewrite(&journal, "---\ngoal: Ship up\n---\n- [ ] first step\n", old);
    assert_eq!(titles(&journal, &[]), ["Ship up"]);
}

/// `status --verbose` on a journal whose cache was damaged by `damage`: the real
/// document, and the note that says why the cache was ignored. A build then makes it
/// anew, with no error.
fn damaged(damage: impl Fn(&Journal), why: &str) {
    let journal = built();
    forge(&journal, |documents| {
        replaced(documents, "Ship it", "Forged!")
    });
    damage(&journal);
    let (json, notes) = run(&journal, &["status", "--json", "--verbose"]);
    assert!(
        json.contains("Ship it") && !json.contains("Forged"),
        "{why}"
    );
    assert!(
        notes.contains("note: ignored") && notes.contains(why),
        "{why}: {notes}"
    );
    run(&journal, &["build"]);
    let cache = journal.path().join(CACHE);
    assert!(fs::symlink_metadata(&cache).unwrap().is_file(), "{why}");
    let (json, notes) = run(&journal, &["status", "--json", "--verbose"]);
    assert!(
        json.contains("Ship it") && !notes.contains("ignored"),
        "{why}: {notes}"
    );
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_made_anew() {
    let cut = |journal: &Journal| {
        let bytes = cache_bytes(journal);
        journal.write(CACHE, &bytes[..bytes.len() - 40]);
    };
    damaged(cut, "checksum");
    damaged(|journal| journal.write(CACHE, "garbage"), "cut short");
    damaged(
        |journal| journal.write(CACHE, "garbage\n[]"),
        "not a cache of trailmark's",
    );
    let old = |journal: &Journal| {
        let bytes = cache_bytes(journal);
        journal.write(CACHE, replaced(&bytes, "\"format\":9", "\"format\":8"));
    };
    damaged(old, "another version");
    // Other parse settings: Logseq's markers off.
    let settings = |journal: &Journal| journal.write("trailmark.toml", "logseq_markers = false\n");
    damaged(settings, "other settings");
}

/// A cache cut or with one byte changed anywhere, header or documents: `status --json`
/// says it ignored it and prints what a run without the cache prints, on the example
/// journal (every kind of document).
#[test]
fn a_cut_or_flipped_cache_is_ignored_and_status_equals_a_cold_run() {
    let journal = Journal::example();
    settle(journal.path());
    run(&journal, &["build"]);
    fs::remove_file(journal.path().join(SAVED_STATUS)).unwrap();
    let (cold, _) = run(&journal, &["status", "--json", "--no-cache"]);
    let bytes = cache_bytes(&journal);
    let (warm, notes) = run(&journal, &["status", "--json", "--verbose"]);
    assert!(warm == cold && !notes.contains("ignored"), "{notes}");
    let newline = bytes.iter().position(|&byte| byte == b'\n').unwrap();
    let flipped = |at: usize| {
        let mut bytes = bytes.clone();
        bytes[at] ^= 0x20;
        bytes
    };
    let damages = [
        ("cut in the middle", bytes[..bytes.len() / 2].to_vec()),
        ("cut by one byte", bytes[..bytes.len() - 1].to_vec()),
        ("cut after its header", bytes[..=newline].to_vec()),
        ("a byte of the header", flipped(newline / 2)),
        ("the first byte of the documents", flipped(newline + 1)),
        ("a byte in the middle", flipped(bytes.len() / 2)),
        ("the last byte", flipped(bytes.len() - 1)),
    ];
    for (what, damaged) in damages {
        journal.write(CACHE, &damaged);
        let (warm, notes) = run(&journal, &["status", "--json", "--verbose"]);
        assert!(notes.contains("note: ignored"), "{what}: {notes}");
        assert!(warm == cold, "{what}: status --json differs");
    }
}

/// The JSON cache of earlier versions, which their builds listed in the manifest as
/// their own, is removed by the first build that writes the binary one; a file of that
/// name trailmark did not write is left alone.
#[test]
fn a_build_removes_the_json_cache_of_earlier_versions_it_wrote() {
    let journal = built();
    let old = "_reports/.trailmark-documents.json";
    let manifest = "_reports/.trailmark-manifest";
    journal.write(old, "{\"format\":1}\n");
    run(&journal, &["build"]);
    assert!(
        journal.path().join(old).is_file(),
        "not listed: not trailmark's"
    );
    journal.write(
        manifest,
        format!(".trailmark-documents.json\n{}", journal.read(manifest)),
    );
    run(&journal, &["build"]);
    assert!(!journal.path().join(old).exists());
    assert!(!journal.read(manifest).contains(".trailmark-documents.json"));
    assert!(journal.path().join(CACHE).is_file());
}

#[cfg(unix)]
#[test]
fn a_linked_or_fifo_cache_is_ignored_and_left_alone() {
    // As every file of the output folder: never read through a link, and not trailmark's
    // to remove, so a build refuses to write there and says so, as for the git cache.
    let linked = |journal: &Journal| {
        let cache = journal.path().join(CACHE);
        let elsewhere = journal.path().with_file_name("elsewhere.bin");
        fs::rename(&cache, &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &cache).unwrap();
    };
    let fifo = |journal: &Journal| {
        let cache = journal.path().join(CACHE);
        fs::remove_file(&cache).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(&cache)
            .status()
            .unwrap();
        assert!(status.success());
    };
    ignored_and_left_alone(linked, "symlink not followed");
    ignored_and_left_alone(fifo, "not a regular file");
}

/// `damage` to the cache of a built journal: reading ignores it, saying `why`; a build
/// refuses to write there, naming it, and leaves it as it is.
fn ignored_and_left_alone(damage: impl Fn(&Journal), why: &str) {
    let journal = built();
    damage(&journal);
    let (json, notes) = run(&journal, &["status", "--json", "--verbose"]);
    assert!(json.contains("Ship it"), "{why}");
    assert!(
        notes.contains("note: ignored") && notes.contains(why),
        "{why}: {notes}"
    );
    let refused = journal.run(&["build"]).code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains(".trailmark-documents.bin"),
        "{why}: {stderr}"
    );
    let cache = journal.path().join(CACHE);
    assert!(
        !fs::symlink_metadata(&cache).unwrap().is_file(),
        "{why}: left as it is"
    );
}

#[test]
fn status_never_makes_the_output_folder() {
    let journal = Journal::new().goal(GOAL, "Ship it", "- [ ] first step\n");
    let assert = journal.run(&["status", "--today", TODAY]).success();
    assert!(stdout(&assert).contains("Ship it"));
    assert!(!journal.path().join("_reports").exists());
}
