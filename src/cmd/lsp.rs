//! `trailmark lsp`: the language server, on stdin and stdout.

use super::CacheUse;
use crate::dates::Date;
use crate::error::Error;
use crate::lsp::{self, ServerOptions};

pub(crate) fn run(today: Option<Date>, cache: CacheUse) -> Result<(), Error> {
    lsp::run(ServerOptions {
        today,
        read_cache: cache.read,
    })
}
