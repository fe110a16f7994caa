//! `trailmark lsp` in a real editor: Debian's Neovim, headless, with no plugins and the
//! smallest configuration its own client needs, on a small journal. It checks what a
//! person would see: the hover on a `#goal` and the diagnostics of the open file.
//!
//! The configuration is the one docs/EDITORS.md gives (`vim.lsp.config` and
//! `vim.lsp.enable`) where Neovim has it (0.11 and later); older Neovims, such as
//! Debian 12's 0.7, start the client with `vim.lsp.start` (0.8) or
//! `vim.lsp.start_client`. Without `nvim` on the PATH the test is skipped with a message,
//! unless `TRAILMARK_REQUIRE_NEOVIM=1` (as CI sets) makes that a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{self, Journal};

/// How long Neovim may take in all before the test fails: generous, for a loaded
/// machine; never a measure of speed.
const PATIENCE: Duration = Duration::from_secs(120);

/// Starts the server, opens the file, waits for its diagnostics, asks for the hover at
/// the line and column given, and writes what it got as JSON.
const SCRIPT: &str = r#"
local bin, out = os.getenv('TRAILMARK_BIN'), os.getenv('TRAILMARK_OUT')
local line, column = tonumber(os.getenv('HOVER_LINE')), tonumber(os.getenv('HOVER_COLUMN'))
local function finish(result)
  local file = io.open(out, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qa!')
end
local cmd = { bin, 'lsp', '--today', '2026-03-10' }
local how
if vim.lsp.config and vim.lsp.enable then
  how = 'vim.lsp.config'
  vim.lsp.config('trailmark', {
    cmd = cmd,
    filetypes = { 'markdown' },
    root_markers = { 'trailmark.toml', '.git' },
  })
  vim.lsp.enable('trailmark')
  vim.cmd('edit')
elseif vim.lsp.start then
  how = 'vim.lsp.start'
  vim.lsp.start({ name = 'trailmark', cmd = cmd,
                  root_dir = vim.fs.dirname(vim.fs.find({ 'trailmark.toml' }, { upward = true })[1]) })
else
  how = 'vim.lsp.start_client'
  local id = vim.lsp.start_client({ name = 'trailmark', cmd = cmd, root_dir = vim.fn.getcwd() })
  vim.lsp.buf_attach_client(0, id)
end
local got = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
if not got then finish({ how = how, failure = 'no diagnostics' }) return end
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(diagnostics, { line = d.lnum, severity = d.severity, message = d.message })
end
table.sort(diagnostics, function(a, b) return a.message < b.message end)
local params = { textDocument = { uri = vim.uri_from_bufnr(0) },
                 position = { line = line, character = column } }
local answers = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 60000) or {}
local hover = vim.NIL
for _, answer in pairs(answers) do
  if answer.result then hover = answer.result.contents.value end
end
finish({ how = how, diagnostics = diagnostics, hover = hover })
"#;

fn find_neovim() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join("nvim"))
        .find(|candidate| candidate.is_file())
}

/// Neovim, or `None` (after saying why) to skip the test.
fn neovim_or_skip() -> Option<PathBuf> {
    let found = find_neovim();
    if found.is_none() {
        assert!(
            std::env::var_os("TRAILMARK_REQUIRE_NEOVIM").is_none(),
            "TRAILMARK_REQUIRE_NEOVIM is set but there is no nvim on the PATH"
        );
        common::say_skipped("no nvim on the PATH (install Debian's `neovim` package)");
    }
    found
}

/// Runs headless Neovim on the file `path` of `journal` with [`SCRIPT`]; what it wrote.
fn run_neovim(nvim: &Path, journal: &Journal, path: &str, hover: (u32, u32)) -> Value {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out.json");
    let script = home.path().join("check.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", path, "-c"])
        .arg(format!("luafile {}", script.display()))
        .current_dir(journal.path())
        // Its logs, state and settings stay in the test's own folder.
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("TRAILMARK_BIN", env!("CARGO_BIN_EXE_trailmark"))
        .env("TRAILMARK_OUT", &out)
        .env("HOVER_LINE", hover.0.to_string())
        .env("HOVER_COLUMN", hover.1.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Neovim did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let written = std::fs::read_to_string(&out)
        .unwrap_or_else(|error| panic!("Neovim wrote no answer ({error})"));
    serde_json::from_str(&written).unwrap()
}

#[test]
fn neovim_shows_the_hover_and_diagnostics_of_a_journal_file() {
    let Some(nvim) = neovim_or_skip() else {
        return;
    };
    let journal = Journal::new()
        .file("trailmark.toml", "")
        .file(
            "goals/ship.md",
            "---\ngoal: Ship the app\nid: ship\ndue: 2026-03-31\n---\n\
             - [x] design ✅ 2026-03-02\n- [ ] build 📅 2026-03-07\n",
        )
        .entry(
            "2026-03-09",
            "# Monday\n\nWorked on #ship.\n\n- [ ] review #ship 📅 someday\n- [ ] test #shp\n",
        );
    // The hover on `#ship`, in the third line.
    let seen = run_neovim(&nvim, &journal, "2026-03-09.md", (2, 12));
    assert!(seen.get("failure").is_none(), "{seen:#}");
    let hover = seen["hover"].as_str().unwrap_or_else(|| panic!("{seen:#}"));
    assert!(hover.contains("**Ship the app** `#ship`"), "{hover}");
    assert!(hover.contains("progress 1/3 (33%)"), "{hover}");
    // The index's next step: the open milestone due first, before one with no date.
    assert!(hover.contains("next: build"), "{hover}");
    let diagnostics: Vec<(u64, u64, &str)> = seen["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["severity"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        diagnostics,
        [
            (
                5,
                2,
                "milestone `test #shp` belongs to no goal; tag it with #<goal-id>, link the \
                 goal's note with [[...]] or put it under a heading named after the goal"
            ),
            (
                4,
                1,
                "milestone date `📅 someday`: `someday` is not a date; write it as YYYY-MM-DD, \
                 like 2026-03-31"
            ),
            (5, 2, "tag `#shp` names no goal; did you mean `ship`?"),
        ],
        "{seen:#}"
    );
    // Neovim only read the journal.
    assert_eq!(journal.read("2026-03-09.md").lines().count(), 6);
}
