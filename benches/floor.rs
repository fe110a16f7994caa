//! The floor the benchmark measures trailmark against: the least work any program doing
//! trailmark's job must do, on one thread. It walks the journal, reads every markdown
//! file, parses its front-matter YAML and runs pulldown-cmark (task lists on) over the
//! body, then prints how many files, events and milliseconds that took.
//!
//! ```sh
//! cargo bench --bench floor -- JOURNAL
//! ```
//!
//! `scripts/bench` runs it beside trailmark and reports each command as a ratio to it.

use std::path::Path;
use std::time::Instant;

use pulldown_cmark::{Options, Parser};
use walkdir::WalkDir;

fn main() {
    let Some(root) = std::env::args().nth(1).filter(|a| a != "--bench") else {
        eprintln!("usage: cargo bench --bench floor -- JOURNAL");
        std::process::exit(2);
    };
    let started = Instant::now();
    let (mut files, mut events, mut yaml_documents) = (0usize, 0usize, 0usize);
    let walk = WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden_or_output(entry.path()));
    for entry in walk.filter_map(Result::ok) {
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        files += 1;
        let (yaml, body) = split_front_matter(&text);
        if let Some(yaml) = yaml
            && serde_saphyr::from_str::<serde_json::Value>(yaml).is_ok()
        {
            yaml_documents += 1;
        }
        events += Parser::new_ext(body, Options::ENABLE_TASKLISTS).count();
    }
    let took = started.elapsed();
    println!(
        "{files} files, {yaml_documents} front-matter blocks, {events} markdown events in {:.1} ms",
        took.as_secs_f64() * 1000.0
    );
}

fn is_hidden_or_output(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with('.') || name == "_reports")
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
}

/// `(yaml, body)`: the text between a first line `---` and the next line `---`, and the
/// rest; no front-matter gives the whole text as the body.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text);
    };
    match rest.find("\n---\n") {
        Some(end) => (Some(&rest[..=end]), &rest[end + 5..]),
        None => (None, text),
    }
}
