//! What `init` says: the files it made, and the commands to run next.

use std::path::Path;

use anstyle::AnsiColor;

use super::{folder_argument, paint};
use crate::paths::DEFAULT_OUTPUT_FOLDER;
use crate::scaffold::NewFile;

/// The files of the journal started in `dir`, each with what it is for, then the commands
/// to run next, written for that folder.
pub(crate) fn started(dir: &Path, files: &[NewFile]) -> String {
    let width = files.iter().map(|file| file.path.len()).max().unwrap_or(0);
    let mut text = if dir == Path::new(".") {
        "Started a journal in this folder:\n".to_string()
    } else {
        format!("Started a journal in {}:\n", dir.display())
    };
    for file in files {
        text.push_str(&format!(
            "  {:<width$}  {}\n",
            file.path,
            paint(AnsiColor::BrightBlack, file.purpose)
        ));
    }
    text.push_str("\nNext:\n");
    text + &next_steps(dir)
}

/// The commands to run after `init`, each with what it does.
fn next_steps(dir: &Path) -> String {
    // `trailmark build` rather than `trailmark build .`: the folder is the default.
    let dir_arg = folder_argument(dir);
    let next = [
        (
            format!("trailmark build{dir_arg}"),
            format!(
                "write the reports, then open {}",
                dir.join(DEFAULT_OUTPUT_FOLDER).join("index.html").display()
            ),
        ),
        (
            format!("trailmark serve{dir_arg}"),
            "or see them in a browser, updated as you edit".to_string(),
        ),
        (
            format!(
                "trailmark new goal \"Your goal\"{}",
                if dir_arg.is_empty() {
                    String::new()
                } else {
                    format!(" --dir{dir_arg}")
                }
            ),
            "add a goal of your own".to_string(),
        ),
        (
            format!("trailmark check{dir_arg}"),
            "see what each goal still lacks".to_string(),
        ),
    ];
    let width = next
        .iter()
        .map(|(command, _)| command.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (command, what) in next {
        text.push_str(&format!(
            "  {}  {}\n",
            paint(AnsiColor::Green, &format!("{command:<width$}")),
            paint(AnsiColor::BrightBlack, &what)
        ));
    }
    text
}
