//! The documents of the last build, kept in the output folder, so that a new process
//! stats every journal file but reads and parses only those changed since.
//!
//! The file is lines of JSON. The first is the header: the cache's format, the version of
//! trailmark and the build of its program (size and time of the executable, so that a
//! rebuilt program with a changed parser never trusts documents of the old one), a hash of
//! the parse options, and a checksum of the lines after it. Each of those is one file
//! read: its size, modification time, content hash, whether it had settled (see
//! [`super::RACY_WINDOW`]), and its parsed document. A line a file, so that the lines
//! are read and written on every core. A header that does not match,
//! a checksum that does not, or a document no parser could have made, and the whole
//! cache is ignored: the files are read again and the next build writes it anew.
//!
//! It is written by `build` and `watch` only, as one of the planned files of the write
//! stage: atomically, under the output folder's lock, never through a symlink, and only
//! when what it records changed (`--no-cache` does not read it, but a build still writes
//! it: that is how to make it anew; `watch` writes it with its first build and when it
//! stops, not after every save, see [`super::Workspace::defer_documents_cache`]). `status`, `check` and `review` read it when it is there
//! and never write it: they do not take the lock and must not create the output folder.
//! An entry is used only for a file whose stamp equals its own and had settled; for any
//! other file the content hash decides, as in `watch`.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::LastRead;
use crate::document::{Document, ParseOptions};
use crate::fsread;
use crate::hash::{content_hash, data_hash};
use crate::paths::FileStamp;

/// The name of the cache file, in the output folder.
pub(crate) const CACHE_FILE: &str = ".trailmark-documents.json";

/// Bumped whenever the meaning of the file or of a document changes.
const FORMAT: u32 = 1;

/// What the documents of a cache are valid for, and a checksum of them.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Header {
    format: u32,
    trailmark: String,
    program: String,
    options: u64,
    checksum: u64,
}

/// One file as last read, and its document.
#[derive(Serialize, Deserialize)]
struct Entry<D> {
    len: u64,
    modified: u64,
    content: u64,
    settled: bool,
    document: D,
}

/// A cache as read: each file's last read, and the documents.
pub(super) struct Cached {
    pub(super) files: HashMap<String, LastRead>,
    pub(super) documents: Vec<Document>,
}

/// This program's build: the size and modification time of its executable.
pub(super) fn program() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|metadata| {
            let stamp = FileStamp::of(&metadata);
            format!("{}-{}", stamp.len, stamp.modified)
        })
        .unwrap_or_default()
}

/// The header for what this program made with settings of the hash `options`; its
/// checksum is 0.
fn header(options: u64) -> Header {
    Header {
        format: FORMAT,
        trailmark: env!("CARGO_PKG_VERSION").to_string(),
        program: program(),
        options,
        checksum: 0,
    }
}

/// The lines after the header of `text`, a file [`sealed`] by this program with settings
/// of the hash `options`; why not when the header or the checksum does not match.
pub(super) fn unsealed(text: &str, options: u64) -> Result<&str, String> {
    let (first, lines) = text.split_once('\n').ok_or("it is cut short")?;
    let found: Header =
        serde_json::from_str(first).map_err(|_| "it is not a cache of trailmark's")?;
    let expected = Header {
        checksum: found.checksum,
        ..header(options)
    };
    if found != expected {
        return Err(
            "it was written by another version of trailmark, or with other settings".into(),
        );
    }
    if content_hash(lines.as_bytes()) != found.checksum {
        return Err("its checksum does not match: it is damaged".into());
    }
    Ok(lines)
}

/// `lines` after a header that says which program made them, with settings of the hash
/// `options`, and their checksum: what [`unsealed`] reads back.
pub(super) fn sealed(options: u64, lines: &str) -> String {
    let header = Header {
        checksum: content_hash(lines.as_bytes()),
        ..header(options)
    };
    let mut text = serde_json::to_string(&header).expect("a header holds strings and numbers");
    text.push('\n');
    text + lines
}

/// The cache in the output folder `out`: `Ok(None)` when there is none, `Err` with why
/// when there is one that cannot be used.
pub(super) fn read(out: &Path, options: &ParseOptions) -> Result<Option<Cached>, String> {
    let text = match fsread::read_to_string(&out.join(CACHE_FILE), fsread::MAX_OWN_FILE_BYTES) {
        Ok(text) => text,
        Err(refused) if refused.is_not_found() => return Ok(None),
        Err(refused) => return Err(refused.to_string()),
    };
    parse(&text, options).map(Some)
}

fn parse(text: &str, options: &ParseOptions) -> Result<Cached, String> {
    let entries = unsealed(text, data_hash(options))?;
    let entries: Vec<Entry<Document>> = entries
        .par_lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|error| format!("it is damaged: {error}"))?;
    let mut cached = Cached {
        files: HashMap::with_capacity(entries.len()),
        documents: Vec::with_capacity(entries.len()),
    };
    for entry in entries {
        if !entry.document.is_consistent() {
            return Err(format!(
                "it holds a document of {} that no parser makes",
                entry.document.path
            ));
        }
        let last_read = LastRead {
            stamp: FileStamp {
                len: entry.len,
                modified: entry.modified,
            },
            content: entry.content,
            settled: entry.settled,
        };
        if cached
            .files
            .insert(entry.document.path.clone(), last_read)
            .is_some()
        {
            return Err(format!("it lists {} twice", entry.document.path));
        }
        cached.documents.push(entry.document);
    }
    Ok(cached)
}

/// The documents of the files read (`files`), in order.
fn entries<'a>(
    files: &'a HashMap<String, LastRead>,
    documents: &'a [Document],
) -> impl Iterator<Item = Entry<&'a Document>> {
    documents.iter().filter_map(|document| {
        let last_read = files.get(&document.path)?;
        Some(Entry {
            len: last_read.stamp.len,
            modified: last_read.stamp.modified,
            content: last_read.content,
            settled: last_read.settled,
            document,
        })
    })
}

/// A fingerprint of the cache [`text`] would write, without writing it: of the header
/// and of what each file was when read, which the documents follow from.
pub(super) fn fingerprint(
    options: &ParseOptions,
    files: &HashMap<String, LastRead>,
    documents: &[Document],
) -> u64 {
    let reads: Vec<(&str, u64, u64, u64, bool)> = entries(files, documents)
        .map(|entry| {
            let path = entry.document.path.as_str();
            (
                path,
                entry.len,
                entry.modified,
                entry.content,
                entry.settled,
            )
        })
        .collect();
    data_hash(&(header(data_hash(options)), reads))
}

/// The text of the cache of `documents`, parsed with `options` from `files`.
pub(super) fn text(
    options: &ParseOptions,
    files: &HashMap<String, LastRead>,
    documents: &[Document],
) -> String {
    let entries: Vec<Entry<&Document>> = entries(files, documents).collect();
    let lines: Vec<String> = entries
        .par_iter()
        .map(|entry| {
            serde_json::to_string(entry).expect("a document holds only strings and numbers") + "\n"
        })
        .collect();
    sealed(data_hash(options), &lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_of(source: &str) -> (String, Document) {
        let options = ParseOptions::default();
        let document = crate::document::parse("goal.md", source.as_bytes(), &options);
        let files = HashMap::from([(
            "goal.md".to_string(),
            LastRead {
                stamp: FileStamp {
                    len: source.len() as u64,
                    modified: 1,
                },
                content: content_hash(source.as_bytes()),
                settled: true,
            },
        )]);
        let text = text(&options, &files, std::slice::from_ref(&document));
        (text, document)
    }

    const GOAL: &str = "---\ngoal: Run\nmetric: {unit: km, target: 42.195, baseline: 0.1}\n\
                        ---\n# Plan\n- [x] first #run ✅ 2026-01-02\n  - [ ] child [[Other]]\n\
                        ## Wins\n- a win\n- [ ] bad: due:: nope\n";

    #[test]
    fn documents_round_trip() {
        let (text, document) = cache_of(GOAL);
        let cached = parse(&text, &ParseOptions::default()).unwrap();
        assert_eq!(
            format!("{:?}", cached.documents),
            format!("{:?}", [document])
        );
        assert_eq!(
            cached.files["goal.md"].content,
            content_hash(GOAL.as_bytes())
        );
    }

    #[test]
    fn numbers_read_back_exactly() {
        // A metric's value is any finite number YAML gives; without `float_roundtrip`,
        // serde_json reads some of them back one unit in the last place off.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let values: Vec<f64> = std::iter::from_fn(|| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            Some(f64::from_bits(seed))
        })
        .filter(|value| value.is_finite())
        .take(20_000)
        .collect();
        let text = serde_json::to_string(&values).unwrap();
        let read: Vec<f64> = serde_json::from_str(&text).unwrap();
        assert!(read == values);
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_refused() {
        let options = ParseOptions::default();
        let (text, _) = cache_of(GOAL);
        let (first, rest) = text.split_once('\n').unwrap();
        let refused = |text: &str| parse(text, &options).err().unwrap();
        assert!(refused(&text[..text.len() / 2]).contains("checksum"));
        assert!(refused(first).contains("cut short"));
        assert!(refused("garbage\n[]").contains("not a cache"));
        let old = first.replace(&format!("\"format\":{FORMAT}"), "\"format\":0");
        assert!(refused(&format!("{old}\n{rest}")).contains("another version"));
        let other = ParseOptions {
            logseq_markers: false,
            ..ParseOptions::default()
        };
        assert!(parse(&text, &other).is_err());
        // A document no parser makes: a milestone whose parent comes after it.
        assert!(rest.contains("\"parent\":0"));
        let forged = rest.replacen("\"parent\":0", "\"parent\":5", 1);
        let forged = sealed(data_hash(&options), &forged);
        assert!(refused(&forged).contains("no parser makes"));
    }
}
