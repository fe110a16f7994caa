//! The Zed extension of trailmark: tells Zed how to start `trailmark lsp`. Everything
//! else is the language server's; see docs/EDITORS.md.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Trailmark;

impl zed::Extension for Trailmark {
    fn new() -> Self {
        Trailmark
    }

    /// `trailmark lsp`, with the binary from the `lsp.trailmark.binary` settings when
    /// they name one, else the first `trailmark` on the project's PATH.
    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let configured = binary.as_ref().and_then(|binary| binary.path.clone());
        let command = match configured {
            Some(path) => path,
            None => worktree.which("trailmark").ok_or(
                "trailmark is not on the PATH: install it (`cargo install --path .` in its \
                 repository) or set lsp.trailmark.binary.path in Zed's settings",
            )?,
        };
        let args = binary
            .and_then(|binary| binary.arguments)
            .unwrap_or_else(|| vec!["lsp".to_string()]);
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Trailmark);
