//! The manifest: the list of files trailmark wrote in an output folder, each with what it
//! was made from. Only files it lists are ever removed, and a report whose record matches
//! its file is not made again.

use std::fs::File;
use std::path::Path;

use rayon::prelude::*;

use super::{Replacing, write_atomically, write_error};
use crate::error::Error;
use crate::fsread;
use crate::hash::FastMap;
use crate::paths::{FileStamp, MANIFEST};

/// What the output folder holds, as its manifest records it: for each report the
/// fingerprint it was made from and a hash of its content. A workspace loads it once and
/// keeps it between builds, so that `watch` and `build` skip reports that are current.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    pub(super) records: FastMap<String, Record>,
    /// The manifest as last read or written: when the file differs at the next build,
    /// another process wrote reports meanwhile, and the records are read again.
    pub(super) text: String,
    /// Temp files left by a killed build were removed (once a workspace is enough).
    pub(super) swept: bool,
}

/// Writes the manifest of `known` unless the file already says the same (it was read at
/// the start of this build, under the lock); a large one through its spare when `spares`
/// (1.2 MB at 100,000 files, written after every `watch` rebuild).
pub(super) fn write_manifest(out: &Path, known: &mut Manifest, spares: bool) -> Result<(), Error> {
    let manifest = known.to_text();
    if manifest != known.text {
        let path = out.join(MANIFEST);
        // A manifest read at the start of this build is replaced.
        let old_len = (!known.text.is_empty()).then_some(known.text.len() as u64);
        let replacing = Replacing::of(old_len, spares);
        write_atomically(&path, &[manifest.as_bytes()], replacing).map_err(write_error(&path))?;
        known.text = manifest;
    }
    Ok(())
}

/// The manifest's text; none when there is none, or it is not a plain file.
pub(super) fn read_manifest(out: &Path) -> Option<String> {
    fsread::read_to_string(&out.join(MANIFEST), fsread::MAX_OWN_FILE_BYTES).ok()
}

/// The report at `path` in `out` (relative, as planned), opened, when the manifest
/// records it as made from `fingerprint` and the file still has the size and time it was
/// written with (as a build trusts it, see `write_report`): another process's answer to
/// "what would this build write there?".
pub(crate) fn recorded_report(out: &Path, path: &str, fingerprint: u64) -> Option<File> {
    let manifest = Manifest::load(out);
    let record = manifest.records.get(path)?;
    if record.fingerprint != fingerprint || *record == Record::UNKNOWN {
        return None;
    }
    let (file, metadata) =
        fsread::open_regular(&out.join(super::checked_relative(path).ok()?)).ok()?;
    (FileStamp::of(&metadata) == record.file).then_some(file)
}

/// What a report was made from, its fingerprint, and the hash of its content
/// ([`Content::hash`](super::Content::hash)), as the manifest records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Made {
    pub(crate) fingerprint: u64,
    pub(crate) hash: u64,
}

/// What the manifest records of each report: the fingerprint it was made from, a hash of
/// its content, and its file's size and modification time when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Record {
    pub(super) fingerprint: u64,
    pub(super) hash: u64,
    pub(super) file: FileStamp,
}

impl Record {
    /// A report listed before it is written, or by an older trailmark: never trusted, as
    /// no file has this stamp, so its file is compared with the new content.
    pub(super) const UNKNOWN: Record = Record {
        fingerprint: 0,
        hash: 0,
        file: FileStamp {
            len: u64::MAX,
            modified: u64::MAX,
        },
    };
}

impl Manifest {
    /// The reports the manifest in `out` lists, with their records. A manifest of an
    /// older trailmark lists only paths: those reports are compared with their files.
    pub(crate) fn load(out: &Path) -> Manifest {
        Manifest::parse(read_manifest(out).unwrap_or_default())
    }

    /// The fingerprint the report at `path` was last made from, if it was made.
    pub(crate) fn fingerprint_of(&self, path: &str) -> Option<u64> {
        self.records
            .get(path)
            .filter(|record| **record != Record::UNKNOWN)
            .map(|record| record.fingerprint)
    }

    /// What the report at `path` was last made from and holds, if it was made.
    pub(crate) fn made(&self, path: &str) -> Option<Made> {
        self.records
            .get(path)
            .filter(|record| **record != Record::UNKNOWN)
            .map(|record| Made {
                fingerprint: record.fingerprint,
                hash: record.hash,
            })
    }

    /// The records of the manifest `text`; no temp file swept yet.
    pub(super) fn parse(text: String) -> Manifest {
        let mut records = FastMap::default();
        for line in text.lines().filter(|line| !line.is_empty()) {
            let mut fields = line.split('\t');
            let path = fields.next().unwrap_or_default().to_string();
            records.insert(path, Record::parse(fields));
        }
        Manifest {
            records,
            text,
            swept: false,
        }
    }

    /// One line a report, sorted by path: the path, then the record's numbers in hex,
    /// separated by tabs (no report path holds a tab); only the path for a report not
    /// known to be written.
    fn to_text(&self) -> String {
        let mut reports: Vec<(&String, &Record)> = self.records.iter().collect();
        // On every core: after each edit in `watch` at 100,000 files, the 16,000 lines
        // sorted and written on one thread were 2.6 ms of the main thread alone.
        reports.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let parts: Vec<String> = (reports.par_chunks(LINES_A_PART))
            .map(|reports| {
                let mut text = String::new();
                for (path, record) in reports {
                    push_line(&mut text, path, record);
                }
                text
            })
            .collect();
        // About the size of the last one: the same reports, most of them.
        let mut manifest = String::with_capacity(self.text.len() + 256);
        for part in parts {
            manifest.push_str(&part);
        }
        manifest
    }
}

/// How many of the manifest's lines one core writes at a time.
const LINES_A_PART: usize = 1024;

/// Pushes the manifest's line of the report at `path`.
fn push_line(text: &mut String, path: &str, record: &Record) {
    text.push_str(path);
    if *record != Record::UNKNOWN {
        for number in [
            record.fingerprint,
            record.hash,
            record.file.len,
            record.file.modified,
        ] {
            text.push('\t');
            push_hex(text, number);
        }
    }
    text.push('\n');
}

/// Pushes `number` in lowercase hex, as `{:x}` writes it: written by hand, as the
/// manifest of 16,000 reports, 64,000 numbers, is written after every edit in `watch`
/// at 100,000 files, and formatting them took most of that.
fn push_hex(text: &mut String, number: u64) {
    let mut digits = [0u8; 16];
    let mut start = digits.len();
    let mut rest = number;
    loop {
        start -= 1;
        digits[start] = b"0123456789abcdef"[(rest & 0xf) as usize];
        rest >>= 4;
        if rest == 0 {
            break;
        }
    }
    text.push_str(std::str::from_utf8(&digits[start..]).expect("hex digits are text"));
}

impl Record {
    /// The record of the `fields` of a manifest line after its path: its first numbers in
    /// hex, when there are exactly four; else (a line of an older trailmark, or damaged)
    /// [`Record::UNKNOWN`].
    fn parse<'a>(fields: impl Iterator<Item = &'a str>) -> Record {
        let mut numbers = fields.map_while(|field| u64::from_str_radix(field, 16).ok());
        let mut next = || numbers.next();
        match (next(), next(), next(), next(), next()) {
            (Some(fingerprint), Some(hash), Some(len), Some(modified), None) => Record {
                fingerprint,
                hash,
                file: FileStamp { len, modified },
            },
            _ => Record::UNKNOWN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A large manifest is written over its spare when asked, as a large report is, and
    /// reads back whole each time; its spare goes with the reports'.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_manifest_is_written_over_its_spare() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let spare = super::super::spare::path_of(&out.join(MANIFEST));
        let mut known = Manifest::default();
        for build in 0..3_u64 {
            // 40,000 reports of about 40 bytes a line: over 1 MiB.
            for report in 0..40_000 {
                let record = Record {
                    fingerprint: build + 1,
                    ..Record::UNKNOWN
                };
                known
                    .records
                    .insert(format!("goals/g{report}.html"), record);
            }
            write_manifest(out, &mut known, true).unwrap();
            assert_eq!(read_manifest(out).unwrap(), known.to_text());
            assert_eq!(spare.is_file(), build > 0, "build {build}");
        }
        super::super::remove_spares(out, &known);
        assert!(!spare.exists());
    }

    /// Lines written in parts on several cores come out one a report, in path order, and
    /// read back as the records they were written from.
    #[test]
    fn a_manifest_of_many_reports_is_one_line_a_report_in_path_order() {
        let mut known = Manifest::default();
        for report in 0..(3 * LINES_A_PART as u64 + 7) {
            let record = Record {
                fingerprint: report,
                hash: report * 3,
                file: FileStamp {
                    len: report % 5,
                    modified: u64::MAX - report,
                },
            };
            let record = if report % 11 == 0 {
                Record::UNKNOWN
            } else {
                record
            };
            known
                .records
                .insert(format!("goals/g{report}.html"), record);
        }
        let text = known.to_text();
        let paths: Vec<&str> = text
            .lines()
            .map(|line| line.split('\t').next().unwrap())
            .collect();
        assert_eq!(paths.len(), known.records.len());
        assert!(paths.is_sorted(), "lines out of path order");
        assert_eq!(Manifest::parse(text).records, known.records);
    }

    #[test]
    fn a_manifest_reads_back_as_written_and_lines_of_other_shapes_are_unknown() {
        let written = "a.html\t1f\t2e\t3d\t4c\nb/c.md\nd.json\tff\tfe\tfd\tfc\n";
        let manifest = Manifest::parse(written.to_string());
        assert_eq!(manifest.to_text(), written);
        assert_eq!(
            manifest.records["a.html"],
            Record {
                fingerprint: 0x1f,
                hash: 0x2e,
                file: FileStamp {
                    len: 0x3d,
                    modified: 0x4c
                },
            }
        );
        assert_eq!(manifest.records["b/c.md"], Record::UNKNOWN);
        for line in ["x\t1\t2\t3", "x\t1\t2\t3\t4\t5", "x\t1\t2\tzz\t4", "x\t"] {
            let manifest = Manifest::parse(line.to_string());
            assert_eq!(manifest.records["x"], Record::UNKNOWN, "{line:?}");
        }
        for number in [0, 1, 0xa, 0x10, 0xdead_beef, u64::MAX - 1, u64::MAX] {
            let mut text = String::new();
            push_hex(&mut text, number);
            assert_eq!(text, format!("{number:x}"));
        }
        // What follows the numbers and is not one is left, as it always was.
        let manifest = Manifest::parse("x\t1\t2\t3\t4\tnote".to_string());
        assert_eq!(manifest.records["x"].file.modified, 4);
    }
}
