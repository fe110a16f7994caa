//! The corpus of bad journal files: each one, beside a good goal, gets a diagnostic with
//! its file, line and message, the good goal is still reported, and a build still writes
//! its reports. The text cases are files in `tests/fixtures/bad/`; binary, huge and
//! file-system cases (symlinks, FIFOs, a stray manifest, a file without read permission,
//! run as `nobody` through `setpriv` when the tests run as root) are made here. Also:
//! report names made from hostile goal ids and titles stay inside the output folder and
//! never collide.

use std::fs;
use std::path::Path;

use crate::common::{self, Journal, goal, trailmark};
use serde_json::Value;

const TODAY: &str = "2026-11-20";

/// A journal of the good goal and the file `name` holding `bytes`. The good goal has one
/// done and one open milestone: reported as 1 of 2 whatever else the journal holds.
fn journal_with(name: &str, bytes: &[u8]) -> Journal {
    Journal::new()
        .goal("goals/good.md", "Good", "- [x] a\n- [ ] b\n")
        .file(name, bytes)
}

/// `status --json` of the journal: it must exit 0 (diagnostics are reported, not fatal).
fn status(root: &Path) -> Value {
    status_with(
        std::process::Command::new(env!("CARGO_BIN_EXE_trailmark")),
        root,
    )
}

/// `status --json` of the journal, run by `command` (the binary, or a wrapper of it).
fn status_with(mut command: std::process::Command, root: &Path) -> Value {
    let output = command
        .args(["status", "--json", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "status failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn diagnostics_of<'a>(json: &'a Value, file: &str) -> Vec<&'a Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .collect()
}

/// The good goal is reported in full, and a build writes its report.
fn assert_the_rest_still_works(journal: &Journal, json: &Value) {
    let good = goal(json, "good");
    assert_eq!(
        (good["done"].as_u64(), good["total"].as_u64()),
        (Some(1), Some(2))
    );
    journal.run(&["build", "--today", TODAY]).success();
    assert!(journal.path().join("_reports/goals/good.html").is_file());
}

/// `name` holding `bytes` is reported with an error or warning at `line` whose message
/// contains `message`, and the rest of the journal still works.
fn assert_reported(name: &str, bytes: &[u8], line: Option<u64>, message: &str) {
    let dir = journal_with(name, bytes);
    let json = status(dir.path());
    let found = diagnostics_of(&json, name);
    let matching: Vec<_> = found
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains(message))
        .collect();
    assert!(
        !matching.is_empty(),
        "no diagnostic of {name} says {message:?}: {found:#?}"
    );
    assert_eq!(matching[0]["line"].as_u64(), line, "{:#?}", matching[0]);
    assert_ne!(matching[0]["severity"], "hint");
    assert_the_rest_still_works(&dir, &json);
    assert_eq!(
        fs::read(dir.path().join(name)).unwrap(),
        bytes,
        "{name} was changed"
    );
}

/// A file of the corpus in `tests/fixtures/bad/`.
fn corpus(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad")
            .join(name),
    )
    .unwrap()
}

macro_rules! corpus_case {
    ($test:ident, $file:literal, $line:expr, $message:literal) => {
        #[test]
        fn $test() {
            assert_reported($file, &corpus($file), $line, $message);
        }
    };
}

corpus_case!(
    yaml_syntax_error,
    "yaml-syntax.md",
    Some(3),
    "front-matter is not valid YAML"
);
corpus_case!(
    front_matter_list,
    "front-matter-list.md",
    Some(2),
    "must be a mapping of `key: value` lines, found a list"
);
corpus_case!(
    front_matter_scalar,
    "front-matter-scalar.md",
    Some(2),
    "must be a mapping of `key: value` lines, found text"
);
corpus_case!(
    due_in_words,
    "due-next-week.md",
    Some(3),
    "`next week` is not a date; write it as YYYY-MM-DD"
);
corpus_case!(
    due_not_in_the_calendar,
    "due-february-30.md",
    Some(3),
    "`2026-02-30` is not a day of the calendar"
);
corpus_case!(
    tags_a_number,
    "tags-number.md",
    Some(3),
    "`tags` is a list of text"
);
corpus_case!(
    metric_target_text,
    "metric-target-text.md",
    Some(3),
    "`target` must be a number"
);
corpus_case!(
    due_before_start,
    "due-before-start.md",
    Some(2),
    "is due 2026-01-01, before it starts on 2026-06-01"
);
corpus_case!(
    front_matter_never_closed,
    "unclosed.md",
    Some(1),
    "front-matter opened with `---` is never closed"
);
corpus_case!(
    alias_bomb,
    "alias-bomb.md",
    Some(7),
    "front-matter is too large"
);

#[test]
fn nesting_ten_thousand_levels_deep() {
    let flow = format!(
        "---\ngoal: Deep\nx: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_reported(
        "flow.md",
        flow.as_bytes(),
        Some(3),
        "front-matter is not valid YAML",
    );
    // Ten thousand levels of block indentation would be 50 MB, past the file size limit.
    let block: String = (0..3_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let block = format!("---\ngoal: Deep\n{block}---\n");
    assert_reported(
        "block.md",
        block.as_bytes(),
        Some(35),
        "nested more than 32 levels deep",
    );
}

#[test]
fn a_50_mb_file_is_skipped_with_the_limit_named() {
    let dir = journal_with("big.md", b"");
    let file = fs::File::create(dir.path().join("big.md")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let json = status(dir.path());
    let found = diagnostics_of(&json, "big.md");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0]["message"],
        "file is 50 MB, over the 10 MB limit for a journal file; it was skipped"
    );
    assert_the_rest_still_works(&dir, &json);
}

#[test]
fn a_10_mb_single_line_is_read() {
    // Just under the 10 MiB limit: one paragraph line of 10,000,000 bytes, then a task.
    let mut text = b"# Wins\n\n".to_vec();
    text.extend(b"word ".repeat(2_000_000));
    text.extend(b"\n\n- [ ] after the line #good\n");
    let dir = journal_with("long-line.md", &text);
    let json = status(dir.path());
    let good = &json["goals"][0];
    assert_eq!(
        (good["id"].as_str(), good["total"].as_u64()),
        (Some("good"), Some(3))
    );
    assert!(diagnostics_of(&json, "long-line.md").is_empty());
}

#[test]
fn binary_files_named_md() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
    assert_reported(
        "image.md",
        png,
        None,
        "looks like a binary file, not markdown",
    );
    assert_reported(
        "nul.md",
        b"- [ ] a\x00b\n",
        None,
        "file contains a NUL byte at byte 7",
    );
    assert_reported("latin1.md", b"- [ ] caf\xe9\n", None, "not valid UTF-8");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("- [ ] a\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_reported("utf16.md", &utf16, None, "UTF-16");
}

#[test]
fn crlf_cr_only_and_mixed_line_endings_read_alike() {
    let lf = "---\ngoal: Endings\n---\n\n- [x] one\n- [ ] two\n  - [x] nested\n";
    for (name, text) in [
        ("crlf.md", lf.replace('\n', "\r\n")),
        ("cr.md", lf.replace('\n', "\r")),
        (
            "mixed.md",
            "---\r\ngoal: Endings\n---\r\r\n- [x] one\r- [ ] two\n  - [x] nested\r\n".to_string(),
        ),
    ] {
        let dir = journal_with(name, text.as_bytes());
        let json = status(dir.path());
        assert!(diagnostics_of(&json, name).is_empty(), "{name}: {json:#}");
        let goal = json["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == "endings")
            .unwrap_or_else(|| panic!("{name}: no goal in {json:#}"));
        let lines: Vec<(u64, &str)> = goal["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["line"].as_u64().unwrap(), m["text"].as_str().unwrap()))
            .collect();
        assert_eq!(lines, [(5, "one"), (6, "two"), (7, "nested")], "{name}");
        assert_eq!(
            (goal["done"].as_u64(), goal["total"].as_u64()),
            (Some(2), Some(2)),
            "{name}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_symlinks_out_of_the_journal_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "- [ ] private-outside-text #good\n",
    )
    .unwrap();
    let journal = journal_with("notes/a.md", b"- [ ] inside\n");
    let root = journal.path();
    symlink(root, root.join("notes/loop")).unwrap();
    symlink(outside.path(), root.join("outside")).unwrap();
    symlink(outside.path().join("secret.md"), root.join("secret.md")).unwrap();
    let json = status(root);
    for link in ["notes/loop", "outside", "secret.md"] {
        let found = diagnostics_of(&json, link);
        assert_eq!(found.len(), 1, "{link}: {json:#}");
        assert!(
            found[0]["message"]
                .as_str()
                .unwrap()
                .contains("symlink not followed")
        );
    }
    let loose = json["loose_tasks"].as_array().unwrap();
    assert_eq!(loose.len(), 1, "the file inside is read, once: {loose:#?}");
    assert_the_rest_still_works(&journal, &json);
    let index = journal.read("_reports/goals/good.html");
    assert!(!index.contains("private-outside-text"));
}

/// Settings of a note app are read by the same rules as journal files: a FIFO in their
/// place does not stop the walk.
#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_note_app_settings_does_not_hang() {
    let dir = journal_with(".obsidian/app.json", b"{}");
    common::make_fifo(&dir.path().join(".obsidian/templates.json"));
    let output = trailmark()
        .args(["status", "--json", "--today", TODAY])
        .arg(dir.path())
        .timeout(common::HANG_LIMIT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_the_rest_still_works(&dir, &json);
}

/// A `.trailmark-manifest` marks a folder of reports, which is not read. One left in a
/// folder of the journal hides its goals: a warning names the folder, once, and says
/// what to do. The journal's own reports, and reports built inside it with `--out`,
/// are not warned about.
#[test]
fn a_stray_manifest_in_a_journal_folder_is_a_warning() {
    let journal = journal_with("notes/hidden.md", b"---\ngoal: Hidden\n---\n- [ ] a\n")
        .file("notes/other.md", "# Other\n\nJust notes.\n");
    let root = journal.path();
    trailmark()
        .args(["build", "--today", TODAY, "--out"])
        .arg(root.join("shared/reports"))
        .arg(root)
        .assert()
        .success();
    journal.run(&["build", "--today", TODAY]).success();
    let quiet = status(root);
    assert_eq!(quiet["diagnostics"], serde_json::json!([]), "{quiet:#}");

    journal.write("notes/.trailmark-manifest", "index.md\n");
    let json = status(root);
    let goals: Vec<_> = json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|goal| goal["id"].as_str().unwrap())
        .collect();
    assert_eq!(goals, ["good"]);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1, "{json:#}");
    let found = diagnostics_of(&json, "notes");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(
        found[0]["message"],
        "folder not read: its .trailmark-manifest marks it as reports trailmark wrote, but \
         2 markdown files in it are not in that list; if it is not a folder of reports, \
         delete its .trailmark-manifest"
    );
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = journal_with("private.md", b"- [ ] hidden #good\n");
    let root = dir.path();
    fs::set_permissions(root.join("private.md"), fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_trailmark"));
    if common::is_root() {
        // Root reads any file: run as `nobody` instead, from a copy of the binary that
        // `nobody` may execute, on a journal it may list.
        if std::process::Command::new("setpriv")
            .arg("--help")
            .output()
            .is_err()
        {
            common::say_skipped("running as root, and setpriv is not there to drop privileges");
            return;
        }
        let binary = root.join("trailmark-copy");
        fs::copy(env!("CARGO_BIN_EXE_trailmark"), &binary).unwrap();
        for path in [root.parent().unwrap(), root, &root.join("goals")] {
            fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
        }
        fs::set_permissions(
            root.join("goals/good.md"),
            fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        command = std::process::Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
    }
    let json = status_with(command, root);
    let found = diagnostics_of(&json, "private.md");
    assert_eq!(found.len(), 1, "{json:#}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("Permission denied"),
        "{json:#}"
    );
    assert_eq!(json["goals"][0]["total"], 2);
}

#[test]
fn report_names_from_hostile_ids_and_titles_stay_inside_and_never_collide() {
    // The journal sits alone in a folder of its own, so that what appears beside it can
    // only come from trailmark (other tests make folders in the shared temp folder).
    let journal = Journal::new();
    let root = journal.path();
    let long_title = format!("A {} goal", "very ".repeat(60));
    let goals = [
        ("dots.md", "id: ../../etc/x".to_string(), "etc-x"),
        ("device.md", "id: CON".to_string(), "con"),
        ("device-2.md", "id: nul".to_string(), "nul"),
        ("slash.md", "id: a/b".to_string(), "a-b"),
        (
            "unicode.md",
            "title: \"Führung & Ärger 日本\"".to_string(),
            "fuhrung-arger-ri-ben",
        ),
        ("long.md", format!("title: \"{long_title}\""), ""),
        ("same-1.md", "id: Learn SQL".to_string(), "learn-sql"),
        ("same-2.md", "id: learn_sql".to_string(), "learn-sql-2"),
    ];
    for (file, line, _) in &goals {
        let title = if line.starts_with("title:") {
            String::new()
        } else {
            format!("goal: {file}\n")
        };
        let key = line.replacen("title:", "goal:", 1);
        journal.write(
            &format!("goals/{file}"),
            format!("---\n{title}{key}\n---\n- [ ] step\n"),
        );
    }
    let json = status(root);
    let ids: Vec<&str> = json["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    for (file, _, id) in &goals {
        if !id.is_empty() {
            assert!(ids.contains(id), "{file}: no goal `{id}` in {ids:?}");
        }
    }
    let outside_before = fs::read_dir(root.parent().unwrap()).unwrap().count();
    journal.run(&["build", "--today", TODAY]).success();
    assert_eq!(
        fs::read_dir(root.parent().unwrap()).unwrap().count(),
        outside_before
    );
    let mut names: Vec<String> = fs::read_dir(root.join("_reports/goals"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".html"))
        .collect();
    names.sort();
    assert_eq!(names.len(), goals.len(), "one report a goal: {names:?}");
    for name in &names {
        let stem = name.trim_end_matches(".html");
        assert!(name.len() <= 105, "{name} is too long");
        assert!(
            stem.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'),
            "{name} has a character some file system refuses"
        );
        assert!(
            !["con", "nul"].contains(&stem),
            "{name} is a Windows device name"
        );
    }
    assert!(names.contains(&"con_.html".to_string()) && names.contains(&"nul_.html".to_string()));
    // Every goal's link on the index leads to its report.
    let index = journal.read("_reports/index.html");
    for name in &names {
        assert!(
            index.contains(&format!("goals/{name}")),
            "the index does not link {name}"
        );
    }
}
