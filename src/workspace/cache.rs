//! The documents of the last build, kept in the output folder, so that a new process
//! stats every journal file but reads and parses only those changed since.
//!
//! The file starts with a header, a line of JSON: the cache's format, the version of
//! trailmark and the build of its program (size and time of the executable, so that a
//! rebuilt program with a changed parser never trusts documents of the old one), a hash of
//! the parse options, and a checksum of the bytes after it. Those are one entry for each
//! file read: its size, modification time, content hash, whether it had settled (see
//! [`super::RACY_WINDOW`]), and its parsed document, in postcard's binary form, each
//! after its length, so that the entries are read and written on every core. Binary,
//! because reading 10,000 documents back from JSON took a fifth of a warm `status`
//! (docs/PERFORMANCE.md, "The documents cache"). A header that does not match, a
//! checksum that does not, an entry that does not decode to exactly its length, or a
//! document no parser could have made, and the whole cache is ignored: the files are
//! read again and the next build writes it anew.
//!
//! It is written by `build` and `watch` only, as one of the planned files of the write
//! stage: atomically, under the output folder's lock, never through a symlink, and only
//! when what it records changed, and then only once more than a few files differ from it
//! (see `few_files` in the workspace) (`--no-cache` does not read it, but a build still writes
//! it: that is how to make it anew; `watch` writes it with its first build and when it
//! stops, not after every save, see [`super::Workspace::defer_documents_cache`]). `status`, `check` and `review` read it when it is there
//! and never write it: they do not take the lock and must not create the output folder.
//! An entry is used only for a file whose stamp equals its own and had settled; for any
//! other file the content hash decides, as in `watch`.
//!
//! The JSON cache of earlier versions (`.trailmark-documents.json`) was one of the write
//! stage's files like this one: the first build that no longer plans it removes it.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3Default;

use super::LastRead;
use super::records::Records;
use crate::document::{CachedTexts, Document, ParseOptions};
use crate::fsread;
use crate::hash::{content_hash, data_hash};
use crate::paths::FileStamp;

/// The name of the cache file, in the output folder.
pub(crate) const CACHE_FILE: &str = ".trailmark-documents.bin";

/// Bumped whenever the meaning of the file or of a document changes.
const FORMAT: u32 = 9;

/// What the documents of a cache are valid for, and a checksum of them.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Header {
    format: u32,
    trailmark: String,
    program: String,
    options: u64,
    checksum: u64,
}

/// One file as last read, and its document: the texts the parser shares apart from the
/// rest of it, to be read back shared again.
#[derive(Serialize, Deserialize)]
struct Entry<'a, D> {
    len: u64,
    modified: u64,
    content: u64,
    settled: bool,
    #[serde(borrow)]
    texts: CachedTexts<'a>,
    document: D,
}

/// A cache as read: each file's last read, and the documents.
pub(super) struct Cached {
    pub(super) files: Records<LastRead>,
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

/// The bytes after the header of `file`, a file [`sealed`] by this program with settings
/// of the hash `options`; why not when the header or the checksum does not match.
pub(super) fn unsealed(file: &[u8], options: u64) -> Result<&[u8], String> {
    let (checksum, body) = sealed_body(file, options)?;
    if content_hash(body) != checksum {
        return Err(DAMAGED.into());
    }
    Ok(body)
}

/// Why a file whose checksum does not match is not read.
const DAMAGED: &str = "its checksum does not match: it is damaged";

/// The checksum the header of `file` gives and the bytes after it, as [`unsealed`] finds
/// them, the checksum not yet compared.
fn sealed_body(file: &[u8], options: u64) -> Result<(u64, &[u8]), String> {
    let newline = file
        .iter()
        .position(|&byte| byte == b'\n')
        .ok_or("it is cut short")?;
    let (first, body) = (&file[..newline], &file[newline + 1..]);
    let found: Header =
        serde_json::from_slice(first).map_err(|_| "it is not a cache of trailmark's")?;
    let expected = Header {
        checksum: found.checksum,
        ..header(options)
    };
    if found != expected {
        return Err(
            "it was written by another version of trailmark, or with other settings".into(),
        );
    }
    Ok((found.checksum, body))
}

/// `body` after a header that says which program made it, with settings of the hash
/// `options`, and its checksum: what [`unsealed`] reads back.
pub(super) fn sealed(options: u64, body: &[u8]) -> Vec<u8> {
    let header = Header {
        checksum: content_hash(body),
        ..header(options)
    };
    let mut file = serde_json::to_vec(&header).expect("a header holds strings and numbers");
    file.push(b'\n');
    file.extend_from_slice(body);
    file
}

/// One of trailmark's own JSON files in the output folder `out`, sealed with `format`
/// where the documents cache has its parse options: `Ok(None)` when there is none, `Err`
/// with why when there is one that cannot be used.
pub(super) fn read_sealed_json<T: serde::de::DeserializeOwned>(
    out: &Path,
    name: &str,
    format: u64,
) -> Result<Option<T>, String> {
    let file = match fsread::read(&out.join(name), fsread::MAX_OWN_FILE_BYTES) {
        Ok(file) => file,
        Err(refused) if refused.is_not_found() => return Ok(None),
        Err(refused) => return Err(refused.to_string()),
    };
    let body = unsealed(&file, format)?;
    serde_json::from_slice(body)
        .map(Some)
        .map_err(|error| format!("it is damaged: {error}"))
}

/// `data` as the file `name` of the output folder that [`read_sealed_json`] reads back,
/// as the write stage takes it.
pub(super) fn sealed_json_file(
    name: &str,
    format: u64,
    data: &impl Serialize,
) -> crate::write::Planned<'static> {
    let body = serde_json::to_vec(data).expect("trailmark's own files hold numbers");
    let file = sealed(format, &body);
    crate::write::Planned {
        path: name.to_string(),
        fingerprint: content_hash(&file),
        make: Box::new(move || Ok(file.clone().into())),
    }
}

/// Whether the output folder `out` has a cache, as a plain file, to read.
pub(super) fn is_there(out: &Path) -> bool {
    std::fs::symlink_metadata(out.join(CACHE_FILE)).is_ok_and(|metadata| metadata.is_file())
}

/// The cache in the output folder `out`: `Ok(None)` when there is none, `Err` with why
/// when there is one that cannot be used.
pub(super) fn read(out: &Path, options: &ParseOptions) -> Result<Option<Cached>, String> {
    let file = match fsread::read(&out.join(CACHE_FILE), fsread::MAX_OWN_FILE_BYTES) {
        Ok(file) => file,
        Err(refused) if refused.is_not_found() => return Ok(None),
        Err(refused) => return Err(refused.to_string()),
    };
    parse(&file, options).map(Some)
}

/// The length of an entry, before it: little-endian.
const LENGTH_BYTES: usize = 4;

/// The entries of `body`, each without its length, or why not when one is cut short;
/// and [`content_hash`] of `body`, made as the entries are found. Each entry's length
/// says where the next one starts, so the walk from one to the next waits for each
/// length read: hashed first, the start of a body of 33 MB (100,000 files) was out of
/// the caches again when the walk came to it, and every length was a miss (11 ms). Each
/// entry hashed as it is found, the walk reads the body in order, as the hash does.
fn framed_entries(mut body: &[u8]) -> (Result<Vec<&[u8]>, String>, u64) {
    let mut hasher = Xxh3Default::new();
    let mut entries = Vec::new();
    while let Some((length, rest)) = body.split_first_chunk::<LENGTH_BYTES>() {
        let length = u32::from_le_bytes(*length) as usize;
        let Some(entry) = rest.get(..length) else {
            break;
        };
        hasher.update(&body[..LENGTH_BYTES + length]);
        entries.push(entry);
        body = &rest[length..];
    }
    hasher.update(body);
    let entries = if body.is_empty() {
        Ok(entries)
    } else {
        Err("it is cut short".into())
    };
    (entries, hasher.digest())
}

/// The entry in `bytes`, which it must fill exactly, with a document a parser could make.
fn decoded(bytes: &[u8]) -> Result<Entry<'_, Document>, String> {
    match postcard::take_from_bytes::<Entry<Document>>(bytes) {
        Ok((mut entry, [])) => {
            if !entry.document.is_consistent() || !entry.document.share_cached_texts(&entry.texts) {
                return Err(format!(
                    "it holds a document of {} that no parser makes",
                    entry.document.path
                ));
            }
            Ok(entry)
        }
        Ok(_) => Err("it is damaged: an entry is longer than its document".into()),
        Err(error) => Err(format!("it is damaged: {error}")),
    }
}

fn parse(file: &[u8], options: &ParseOptions) -> Result<Cached, String> {
    let (checksum, body) = sealed_body(file, data_hash(options))?;
    let (entries, hash) = framed_entries(body);
    if hash != checksum {
        return Err(DAMAGED.into());
    }
    // Each entry decoded, checked and split into its file's record and its document by
    // the thread that decodes it, each written straight into its place in the two lists:
    // collected into one list and split on this thread, every document was moved twice
    // more, one after another, and each checked and its path shared in a heap ten times
    // the size of the caches: this thread's 40 ms at 100,000 files, now 9-13.
    // The first entry refused in file order is the one told, as when they were checked
    // in order; an entry refused leaves an empty place in the lists, which are dropped.
    let refused: Mutex<Option<(usize, String)>> = Mutex::new(None);
    let (mut records, mut documents) = (Vec::new(), Vec::new());
    entries?
        .into_par_iter()
        .enumerate()
        .map(|(at, bytes)| {
            decoded(bytes).map(split).unwrap_or_else(|why| {
                let mut first = refused.lock().unwrap_or_else(PoisonError::into_inner);
                if first.as_ref().is_none_or(|(before, _)| at < *before) {
                    *first = Some((at, why));
                }
                refused_place()
            })
        })
        .unzip_into_vecs(&mut records, &mut documents);
    if let Some((_, why)) = refused.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(why);
    }
    let files = Records::of(records).map_err(|twice| format!("it lists {twice} twice"))?;
    Ok(Cached { files, documents })
}

/// An entry as its file's record, by its document's own path, and its document.
fn split(entry: Entry<'_, Document>) -> ((Arc<str>, LastRead), Document) {
    let last_read = LastRead {
        stamp: FileStamp {
            len: entry.len,
            modified: entry.modified,
        },
        content: entry.content,
        settled: entry.settled,
    };
    (
        (Arc::clone(&entry.document.path), last_read),
        entry.document,
    )
}

/// What a refused entry leaves in the lists [`parse`] drops.
fn refused_place() -> ((Arc<str>, LastRead), Document) {
    let nothing = LastRead {
        stamp: FileStamp {
            len: 0,
            modified: 0,
        },
        content: 0,
        settled: false,
    };
    ((Arc::from(""), nothing), Document::default())
}

/// The documents of the files read (`files`), in order, each with its file's last read.
fn entries<'a>(
    files: &'a Records<LastRead>,
    documents: &'a [Document],
) -> impl Iterator<Item = (LastRead, &'a Document)> {
    let mut last_read_of = files.in_order();
    documents.iter().filter_map(move |document| {
        let last_read = last_read_of(&document.path)?;
        Some((*last_read, document))
    })
}

/// A fingerprint of the cache [`bytes`] would write, without writing it: of the header
/// and of what each file was when read, which the documents follow from.
pub(super) fn fingerprint(
    options: &ParseOptions,
    files: &Records<LastRead>,
    documents: &[Document],
) -> u64 {
    let reads: Vec<(&str, u64, u64, u64, bool)> = entries(files, documents)
        .map(|(last_read, document)| {
            (
                &*document.path,
                last_read.stamp.len,
                last_read.stamp.modified,
                last_read.content,
                last_read.settled,
            )
        })
        .collect();
    data_hash(&(header(data_hash(options)), reads))
}

/// The entry of `document`, read as `last_read`, after its length.
fn framed((last_read, document): &(LastRead, &Document)) -> Vec<u8> {
    let entry = Entry {
        len: last_read.stamp.len,
        modified: last_read.stamp.modified,
        content: last_read.content,
        settled: last_read.settled,
        texts: document.cached_texts(),
        document,
    };
    let mut framed = postcard::to_extend(&entry, vec![0; LENGTH_BYTES])
        .expect("postcard encodes every type a document holds");
    let length = u32::try_from(framed.len() - LENGTH_BYTES).expect("a document under 4 GB");
    framed[..LENGTH_BYTES].copy_from_slice(&length.to_le_bytes());
    framed
}

/// The bytes of the cache of `documents`, parsed with `options` from `files`.
pub(super) fn bytes(
    options: &ParseOptions,
    files: &Records<LastRead>,
    documents: &[Document],
) -> Vec<u8> {
    let entries: Vec<(LastRead, &Document)> = entries(files, documents).collect();
    let framed: Vec<Vec<u8>> = entries.par_iter().map(framed).collect();
    sealed(data_hash(options), &framed.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_of(source: &str) -> (Vec<u8>, Document) {
        let options = ParseOptions::default();
        let document = crate::document::parse("goal.md", source.as_bytes(), &options);
        let files = Records::of(vec![(
            Arc::from("goal.md"),
            LastRead {
                stamp: FileStamp {
                    len: source.len() as u64,
                    modified: 1,
                },
                content: content_hash(source.as_bytes()),
                settled: true,
            },
        )])
        .unwrap();
        let bytes = bytes(&options, &files, std::slice::from_ref(&document));
        (bytes, document)
    }

    const GOAL: &str = "---\ngoal: Run\nmetric: {unit: km, target: 42.195, baseline: 0.1}\n\
                        ---\n# Plan\n- [x] first #run ✅ 2026-01-02\n  - [ ] child [[Other]]\n\
                        ## Wins\n- a win\n- [ ] bad: due:: nope\n";

    #[test]
    fn documents_round_trip() {
        let (bytes, document) = cache_of(GOAL);
        let cached = parse(&bytes, &ParseOptions::default()).unwrap();
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
    fn a_decoded_document_is_the_parsed_one_its_texts_parts_of_one_text() {
        // As the parser makes them: each milestone's and note's text a part of one
        // shared text of the document, not a text of its own.
        let source = format!("{GOAL}- [ ] café #run\n## Lessons\n- naïve\n");
        let (bytes, parsed) = cache_of(&source);
        let cached = parse(&bytes, &ParseOptions::default()).unwrap();
        let decoded = &cached.documents[0];
        assert_eq!(format!("{decoded:?}"), format!("{parsed:?}"));
        assert!(decoded.milestones.len() > 2 && decoded.notes.len() > 1);
        let first = &decoded.milestones[0].text;
        let notes = decoded.notes.iter().map(|note| &note.text);
        for text in decoded.milestones.iter().map(|m| &m.text).chain(notes) {
            assert!(
                text.shares_whole_with(first),
                "{text} has a text of its own"
            );
        }
    }

    /// The body of `bytes`, changed by `change`, sealed again: damage the checksum does
    /// not see, as a program of another build that writes the same header would make.
    fn resealed(bytes: &[u8], change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let options = data_hash(&ParseOptions::default());
        let mut body = unsealed(bytes, options).unwrap().to_vec();
        change(&mut body);
        sealed(options, &body)
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_refused() {
        let options = ParseOptions::default();
        let (bytes, _) = cache_of(GOAL);
        let newline = bytes.iter().position(|&byte| byte == b'\n').unwrap();
        let (first, rest) = (&bytes[..newline], &bytes[newline + 1..]);
        let refused = |bytes: &[u8]| parse(bytes, &options).err().unwrap();
        assert!(refused(&bytes[..bytes.len() / 2]).contains("checksum"));
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(refused(&flipped).contains("checksum"));
        assert!(refused(first).contains("cut short"));
        assert!(refused(b"garbage\n").contains("not a cache"));
        let old = String::from_utf8(first.to_vec())
            .unwrap()
            .replace(&format!("\"format\":{FORMAT}"), "\"format\":1");
        assert!(refused(&[old.as_bytes(), b"\n", rest].concat()).contains("another version"));
        let other = ParseOptions {
            logseq_markers: false,
            ..ParseOptions::default()
        };
        assert!(parse(&bytes, &other).is_err());
    }

    #[test]
    fn entries_found_as_they_are_hashed_hash_the_whole_body() {
        let frame = |entry: &[u8]| [&(entry.len() as u32).to_le_bytes()[..], entry].concat();
        let whole = [frame(b"one"), frame(b""), frame(&[7; 300])].concat();
        let (entries, hash) = framed_entries(&whole);
        assert_eq!(entries.unwrap(), [&b"one"[..], b"", &[7; 300]]);
        assert_eq!(hash, content_hash(&whole));
        // Cut in an entry, in a length, or after the last: every byte hashed still.
        for cut in [whole.len() - 1, 9, 2, 0] {
            let (entries, hash) = framed_entries(&whole[..cut]);
            assert_eq!(entries.is_err(), cut > 0, "cut at {cut}");
            assert_eq!(hash, content_hash(&whole[..cut]), "cut at {cut}");
        }
    }

    #[test]
    fn entries_that_do_not_fill_their_length_are_refused() {
        let options = ParseOptions::default();
        let refused = |bytes: &[u8]| parse(bytes, &options).err().unwrap();
        let (bytes, _) = cache_of(GOAL);
        let cut = resealed(&bytes, |body| {
            body.pop();
        });
        assert!(refused(&cut).contains("cut short"), "{}", refused(&cut));
        let length_only = resealed(&bytes, |body| body.truncate(LENGTH_BYTES - 1));
        assert!(refused(&length_only).contains("cut short"));
        let longer = resealed(&bytes, |body| {
            body.push(0);
            let length = u32::from_le_bytes(body[..LENGTH_BYTES].try_into().unwrap()) + 1;
            body[..LENGTH_BYTES].copy_from_slice(&length.to_le_bytes());
        });
        assert!(refused(&longer).contains("longer than its document"));
        let shorter = resealed(&bytes, |body| {
            body.pop();
            let length = u32::from_le_bytes(body[..LENGTH_BYTES].try_into().unwrap()) - 1;
            body[..LENGTH_BYTES].copy_from_slice(&length.to_le_bytes());
        });
        assert!(refused(&shorter).contains("damaged"));
    }

    #[test]
    fn any_cut_or_changed_byte_under_a_matching_checksum_is_refused_or_read_never_a_panic() {
        // What a program of another build (same header) that wrote wrong bytes, or a
        // forger, could leave: every cut is refused, every changed byte is refused or
        // decodes to some document, and none makes reading panic.
        let options = ParseOptions::default();
        let (bytes, _) = cache_of(GOAL);
        let body = unsealed(&bytes, data_hash(&options)).unwrap().to_vec();
        for length in 0..body.len() {
            let cut = resealed(&bytes, |body| body.truncate(length));
            assert!(
                length == 0 || parse(&cut, &options).is_err(),
                "cut at {length}"
            );
        }
        for at in 0..body.len() {
            for flip in [0x01, 0x80, 0xff] {
                let changed = resealed(&bytes, |body| body[at] ^= flip);
                let _ = parse(&changed, &options);
            }
        }
    }

    #[test]
    fn a_document_no_parser_makes_is_refused() {
        // A milestone whose parent comes after it: the first milestone's `parent` is
        // `Some(0)`'s encoding in the child, changed to `Some(5)`.
        let (bytes, document) = cache_of(GOAL);
        assert_eq!(document.milestones[1].parent(), Some(0));
        let mut forged = document;
        forged.milestones[1].set_parent(Some(5));
        let options = ParseOptions::default();
        let files = parse(&bytes, &options).unwrap().files;
        let forged = super::bytes(&options, &files, std::slice::from_ref(&forged));
        let refused = parse(&forged, &options).err().unwrap();
        assert!(refused.contains("no parser makes"), "{refused}");
    }

    #[test]
    fn of_many_documents_refused_the_first_is_told() {
        // Decoded on every core, in any order: the one told is still the first.
        let options = ParseOptions::default();
        let paths: Vec<String> = (0..256).map(|n| format!("goal-{n:03}.md")).collect();
        let documents: Vec<Document> = (paths.iter())
            .map(|path| {
                let mut forged = crate::document::parse(path, GOAL.as_bytes(), &options);
                forged.milestones[1].set_parent(Some(5));
                forged
            })
            .collect();
        let stamp = FileStamp {
            len: GOAL.len() as u64,
            modified: 1,
        };
        let last_read = LastRead {
            stamp,
            content: content_hash(GOAL.as_bytes()),
            settled: true,
        };
        let files = (documents.iter())
            .map(|document| (Arc::clone(&document.path), last_read))
            .collect();
        let files = Records::of(files).unwrap();
        let forged = bytes(&options, &files, &documents);
        let refused = parse(&forged, &options).err().unwrap();
        assert!(refused.contains("of goal-000.md that"), "{refused}");
    }
}
