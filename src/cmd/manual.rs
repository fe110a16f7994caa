//! `trailmark completions` and `trailmark man`: shell completions and the manual page,
//! generated from the command-line definition itself, so they list exactly the commands
//! and options that exist.
//!
//! The manual is one page with a subsection a command (`trailmark new goal`), so it
//! refers to no page of its own per command; its exit status and environment sections
//! are written here, as clap knows neither. A unit test in `cli` checks that every
//! command, option and exit code is on it.

use clap::Command;

use crate::error::Error;
use crate::term;

/// Prints the completion script of `shell` for `command`.
pub(crate) fn print_completions(
    command: Command,
    shell: clap_complete::Shell,
) -> Result<(), Error> {
    let mut script = Vec::new();
    completions(command, shell, &mut script);
    term::print_plain(&String::from_utf8_lossy(&script))
}

/// Prints the manual page of `command`, which exits with `exit_codes`.
pub(crate) fn print_man_page(command: Command, exit_codes: &[(u8, &str)]) -> Result<(), Error> {
    term::print_plain(&man_page(command, exit_codes))
}

/// The completion script of `shell` for `command`.
pub(crate) fn completions(mut command: Command, shell: clap_complete::Shell, out: &mut Vec<u8>) {
    let name = command.get_name().to_string();
    clap_complete::generate(shell, &mut command, name, out);
}

/// One manual page (roff) for `command` and all its subcommands: name, synopsis,
/// description, the options every command takes, then each command with its own
/// synopsis and options, the exit codes and the environment.
pub(crate) fn man_page(mut command: Command, exit_codes: &[(u8, &str)]) -> String {
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let rendered: std::io::Result<()> = (|| {
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        page.extend_from_slice(b".SH COMMANDS\n");
        for leaf in leaves(&command) {
            render_command(&command, leaf, &mut page)?;
        }
        Ok(())
    })();
    rendered.expect("writing to a Vec<u8> cannot fail");
    let mut page = String::from_utf8(page).expect("clap_mangen writes UTF-8");
    page.push_str(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in exit_codes {
        page.push_str(&format!(".TP\n{code}\n{}\n", escape(meaning)));
    }
    page.push_str(ENVIRONMENT);
    page
}

/// Every command that has no subcommands of its own (`trailmark build`, `trailmark new
/// goal`), in the order of `--help`.
fn leaves(command: &Command) -> Vec<&Command> {
    let mut found = Vec::new();
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        if sub.has_subcommands() {
            found.extend(leaves(sub));
        } else {
            found.push(sub);
        }
    }
    found
}

/// A subsection for `sub`: its synopsis, its description and its own options (the global
/// ones are listed once, at the top of the page).
fn render_command(top: &Command, sub: &Command, page: &mut Vec<u8>) -> std::io::Result<()> {
    let mut own = sub.clone();
    for global in top.get_arguments() {
        let id = global.get_id().clone();
        if own.get_arguments().any(|arg| arg.get_id() == &id) {
            own = own.mut_arg(id, |arg| arg.hide(true));
        }
    }
    let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
    page.extend_from_slice(format!(".SS \"{}\"\n", escape(name)).as_bytes());
    let man = clap_mangen::Man::new(own);
    for section in [
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
    ] {
        let mut text = Vec::new();
        section(&man, &mut text)?;
        // Each section starts with its `.SH` header, which here would end the COMMANDS
        // section: the parts of a command are paragraphs of its subsection.
        let text = String::from_utf8_lossy(&text);
        let mut headers = 0;
        let body: String = text
            .split_inclusive('\n')
            .filter(|line| {
                let header = line.starts_with(".SH ");
                headers += usize::from(header);
                !(header && headers == 1)
            })
            .collect();
        page.extend_from_slice(b".PP\n");
        page.extend_from_slice(body.as_bytes());
    }
    Ok(())
}

/// Text as roff: no line may start a request, and `-` and `\` are escaped.
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
NO_COLOR
With \fB\-\-color auto\fR (the default), set and not empty: no colors.
.TP
CLICOLOR_FORCE
With \fB\-\-color auto\fR, set and not empty (and NO_COLOR not): colors even when the output is no terminal.
.TP
VISUAL, EDITOR
The editor \fBtrailmark new \-\-edit\fR runs (VISUAL first), split into words as a shell would: \fBcode \-\-wait\fR.
"#;
