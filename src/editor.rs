//! `trailmark new --edit`: opens a file in the person's editor, as git does.

use std::path::Path;
use std::process::Command;

use crate::error::Error;

/// The editor command from `$VISUAL`, or else `$EDITOR` (the first that is set and not
/// empty), split into words the way a shell would, so that `code --wait` and
/// `"/Applications/My Editor.app/..." -w` work. With neither, the first of
/// [`FALLBACK_EDITORS`] that `on_path` finds, as git does.
pub(crate) fn editor_command(
    visual: Option<&str>,
    editor: Option<&str>,
    on_path: impl Fn(&str) -> bool,
) -> Result<(String, Vec<String>), Error> {
    let set = [("VISUAL", visual), ("EDITOR", editor)]
        .into_iter()
        .find_map(|(name, value)| {
            value
                .filter(|value| !value.trim().is_empty())
                .map(|value| (name, value))
        });
    let Some((name, value)) = set else {
        return FALLBACK_EDITORS
            .into_iter()
            .find(|program| on_path(program))
            .map(|program| (program.to_string(), Vec::new()))
            .ok_or_else(|| {
                Error::Editor(
                    "neither $VISUAL nor $EDITOR is set, and neither `editor` nor `vi` is on \
                     the PATH; set one to the command that opens your editor, like \
                     `export EDITOR=nano` or `export VISUAL=\"code --wait\"`"
                        .to_string(),
                )
            });
    };
    let mut words = shlex::split(value)
        .filter(|words| !words.is_empty())
        .ok_or_else(|| {
            Error::Editor(format!(
                "${name} is `{value}`, which is not a command a shell could run (check its quotes)"
            ))
        })?;
    let program = words.remove(0);
    Ok((program, words))
}

/// The editors tried where neither `$VISUAL` nor `$EDITOR` is set, in order, as git
/// does: `editor`, the system's choice on Debian and Ubuntu, then `vi`, which POSIX
/// systems have.
const FALLBACK_EDITORS: [&str; 2] = ["editor", "vi"];

/// The editor command of the environment (see [`editor_command`]).
pub(crate) fn editor_of_environment() -> Result<(String, Vec<String>), Error> {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    editor_command(visual.as_deref(), editor.as_deref(), is_on_path)
}

/// Whether a program named `program` is in one of the folders of `$PATH` (with `.exe`
/// on Windows).
fn is_on_path(program: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    let file = format!("{program}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&path).any(|folder| folder.join(&file).is_file())
}

/// Opens `file` with the editor command `(program, args)` and waits until it is closed.
pub(crate) fn edit(file: &Path, (program, args): &(String, Vec<String>)) -> Result<(), Error> {
    let shown =
        shlex::try_join(std::iter::once(program.as_str()).chain(args.iter().map(String::as_str)))
            .unwrap_or_else(|_| program.clone());
    let status = Command::new(program)
        .args(args)
        .arg(file)
        .status()
        .map_err(|error| Error::Editor(format!("cannot run `{shown}`: {error}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Editor(format!(
            "`{shown}` failed ({status}); {} is left as it is",
            file.display()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_comes_before_editor_and_is_split_like_a_shell_would() {
        let words =
            |visual, editor| editor_command(visual, editor, |_| false).map_err(|e| e.to_string());
        assert_eq!(
            words(Some("code --wait"), Some("vi")).unwrap(),
            ("code".to_string(), vec!["--wait".to_string()])
        );
        assert_eq!(
            words(Some(""), Some("'/opt/my editor/bin' -w")).unwrap(),
            ("/opt/my editor/bin".to_string(), vec!["-w".to_string()])
        );
        assert_eq!(words(None, Some("nano")).unwrap().0, "nano");
        assert!(
            words(None, None)
                .unwrap_err()
                .contains("$VISUAL nor $EDITOR")
        );
        assert!(words(Some("  "), None).is_err());
        assert!(
            words(Some("'unclosed"), None)
                .unwrap_err()
                .contains("$VISUAL")
        );
    }

    #[test]
    fn without_visual_or_editor_editor_then_vi_as_git_does() {
        let found = |on_path: &'static [&'static str]| {
            editor_command(None, Some(""), |program| on_path.contains(&program))
                .map(|(program, args)| (program, args.len()))
                .map_err(|e| e.to_string())
        };
        assert_eq!(found(&["vi", "editor"]).unwrap(), ("editor".to_string(), 0));
        assert_eq!(found(&["vi"]).unwrap(), ("vi".to_string(), 0));
        assert!(found(&[]).unwrap_err().contains("`editor` nor `vi`"));
    }
}
