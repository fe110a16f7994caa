//! The layout rule of docs/ARCHITECTURE.md, checked: every top-level module uses only the
//! modules listed before it in [`LAYERS`], so data flows one way and there is no import
//! cycle. A new module must be placed in the list, which makes its place a decision.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules, lowest first: leaf helpers, the pipeline's stages in order,
/// then the front-ends.
const LAYERS: &[&str] = &[
    // Leaves: any stage may use them.
    "fsread",
    "dates",
    "slug",
    "text",
    "shared_text",
    "shared_bytes",
    "small_list",
    "hash",
    "paths",
    "visible",
    "diagnostic",
    "error",
    // The pipeline, in order; `config` reads trailmark.toml into the options of the
    // stages before it, and the stages after it take their part of it.
    "discover",
    "document",
    "model",
    "git",
    "analyse",
    "config",
    "check",
    "share",
    "plan",
    "render",
    "write",
    "workspace",
    // Front-ends over the library.
    "scaffold",
    "editor",
    "watch",
    "serve",
    "lsp",
    "term",
    "cmd",
    "cli",
    "fuzzing",
];

/// The top-level modules a source text names through `crate::` paths: `crate::a::b`
/// and each name of `crate::{a, b::c}`. Comments (doc links) and unit tests, which may
/// borrow any module's test data, do not count.
fn modules_used(source: &str) -> BTreeSet<String> {
    let code = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    let code: String = code
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut name_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => name_start = true,
                    c if name_start && (c.is_alphanumeric() || c == '_') => {
                        let name: String = group[i..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        used.insert(name);
                        name_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            used.insert(name);
        }
    }
    used
}

/// Every `.rs` file below `folder`, as text.
fn sources(folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(std::fs::read_to_string(&path).unwrap());
        }
    }
    found
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        if !["lib", "main", "layout", "properties", "testing"].contains(&name.as_str()) {
            modules.insert(name);
        }
    }
    let listed: BTreeSet<String> = LAYERS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        modules, listed,
        "every module of src/ has its place in LAYERS"
    );
    let mut wrong = BTreeSet::new();
    for (level, module) in LAYERS.iter().enumerate() {
        // A module is its file (`config.rs`), its folder (`config/`), or both.
        let file = src.join(format!("{module}.rs"));
        let mut texts = std::fs::read_to_string(file)
            .into_iter()
            .collect::<Vec<_>>();
        if src.join(module).is_dir() {
            texts.extend(sources(&src.join(module)));
        }
        for used in texts.iter().flat_map(|text| modules_used(text)) {
            let below = LAYERS[..level].contains(&used.as_str());
            if !below && used != *module && LAYERS.contains(&used.as_str()) {
                wrong.insert(format!("{module} uses {used}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "modules that use a module above them: {wrong:#?}"
    );
}

#[test]
fn crate_paths_are_read_in_groups_too() {
    let used = modules_used(
        "use crate::{a::{b, c}, d};\nlet x = crate::e::f();\n/// [`crate::g`]\n\
         #[cfg(test)]\nmod tests {\n    use crate::h;\n}",
    );
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["a", "d", "e"]);
}
