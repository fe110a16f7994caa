//! Hashes, to tell whether something changed without keeping it: of bytes (a file's
//! content) and of serializable data (what a report is made from).
//!
//! Every page's fingerprint hashes the data its template sees, every build: tens of
//! megabytes for a decade of reviews. Hashing the data as JSON spent most of that time
//! escaping strings and printing numbers and dates; [`data_hash`]'s serializer feeds the
//! hasher the values' bytes, with enough structure (lengths, which option or variant,
//! which fields are present) that different data cannot feed it the same bytes. Hashing
//! costs far less than the rendering it saves.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use serde::ser::{self, SerializeMap, SerializeSeq};
use xxhash_rust::xxh3::Xxh3Default;

use crate::shared_bytes::SharedBytes;

/// XXH3 of `content`: many times faster than std's SipHash, and nothing here needs
/// resistance to chosen inputs.
pub(crate) fn content_hash(content: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(content)
}

/// Bytes shared ([`SharedBytes`]) with their [`content_hash`], taken once, when they are
/// made or read: a goal's JSON in `trailmark.json` is kept between `watch`'s rebuilds, and
/// the file's hash is made of its parts' (`write::Content`), so that a rebuild hashes only
/// the goals it made again, not the whole file (84 MB at 100,000 files, 25 ms).
#[derive(Clone, Debug)]
pub(crate) struct HashedBytes {
    bytes: SharedBytes,
    hash: u64,
}

impl HashedBytes {
    pub(crate) fn new(bytes: SharedBytes) -> HashedBytes {
        HashedBytes {
            hash: content_hash(&bytes),
            bytes,
        }
    }

    /// [`content_hash`] of the bytes.
    pub(crate) fn hash(&self) -> u64 {
        self.hash
    }
}

impl From<Vec<u8>> for HashedBytes {
    fn from(bytes: Vec<u8>) -> HashedBytes {
        HashedBytes::new(SharedBytes::from(bytes))
    }
}

impl std::ops::Deref for HashedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// A `HashMap` hashed by [`KeyHasher`], for the maps every build fills from the journal.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;
/// A `HashSet` hashed by [`KeyHasher`].
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<KeyHasher>>;

/// XXH3 of each piece a key feeds it, chained through the seed. Linking looks up every
/// tag and heading of a 10,000-file journal by name, and std's SipHash spent more time
/// than the lookups. The first seed is random, once a process, as std's is: a journal
/// from elsewhere (a shared vault) cannot be made of names that all collide, and no
/// output can come to depend on the order of a map.
pub(crate) struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> KeyHasher {
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        let seed = SEED.get_or_init(|| {
            std::hash::BuildHasher::build_hasher(&std::collections::hash_map::RandomState::new())
                .finish()
        });
        KeyHasher(*seed)
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash of `data`: equal for equal data, whatever its size.
pub(crate) fn data_hash(data: &impl Serialize) -> u64 {
    let mut feed = Feed::new(None);
    feed.feed(data);
    feed.main.finish()
}

/// [`data_hash`] of `data`, and a hash of it with its fields named `field` left out (at
/// any depth), for what is known not to read them: equal for data equal but for those
/// fields. Both in one pass: for data hashed both ways (each goal, for its pages and
/// for the reviews it shows in), serde's walk over it is most of the cost.
pub(crate) fn data_hash_and_without(data: &impl Serialize, field: &'static str) -> (u64, u64) {
    let mut feed = Feed::new(Some(field));
    feed.feed(data);
    let without = feed.without.map_or(0, |(without, _)| without.finish());
    (feed.main.finish(), without)
}

/// Bytes are collected before they reach the hasher: serde hands over a few at a time,
/// and each update of the hasher has a cost.
const BUFFER: usize = 8192;

/// Markers that give the bytes their structure.
const ABSENT: u8 = 0;
const PRESENT: u8 = 1;
const END: u8 = 2;

/// A hasher, and the bytes collected before they reach it.
struct Sink {
    hasher: Xxh3Default,
    buffer: Vec<u8>,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            hasher: Xxh3Default::new(),
            buffer: Vec::with_capacity(BUFFER),
        }
    }

    // Inlined, so that the markers and numbers of a few bytes each (most of the 5 million
    // pieces a full build hashes) are copied as their size is known, not by a call to
    // `memcpy` for each.
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > BUFFER {
            self.hasher.update(&self.buffer);
            self.buffer.clear();
        }
        if bytes.len() > BUFFER {
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    fn finish(mut self) -> u64 {
        self.hasher.update(&self.buffer);
        self.hasher.finish()
    }
}

struct Feed {
    main: Sink,
    /// A second hash made in the same pass, with the fields of the name given hashed as
    /// if absent: the bytes of such a field reach only `main`.
    without: Option<(Sink, &'static str)>,
    /// How many fields `without` leaves out the pass is inside.
    inside_left_out: usize,
}

impl Feed {
    /// A feed to `main`, and to `without` when a field is to be `left_out` there.
    fn new(left_out: Option<&'static str>) -> Feed {
        Feed {
            main: Sink::new(),
            without: left_out.map(|field| (Sink::new(), field)),
            inside_left_out: 0,
        }
    }

    fn feed(&mut self, data: &impl Serialize) {
        data.serialize(&mut *self)
            .expect("hashing accepts every value serde can describe");
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        self.main.bytes(bytes);
        if let (Some((without, _)), 0) = (&mut self.without, self.inside_left_out) {
            without.bytes(bytes);
        }
    }

    /// Hashes the field `name` with `value`; one `without` leaves out is absent there.
    fn field<T: ?Sized + Serialize>(&mut self, name: &'static str, value: &T) -> Done {
        let Some((without, _)) = self
            .without
            .as_mut()
            .filter(|(_, field)| *field == name && self.inside_left_out == 0)
        else {
            self.marker(PRESENT);
            return value.serialize(self);
        };
        without.bytes(&[ABSENT]);
        self.main.bytes(&[PRESENT]);
        self.inside_left_out += 1;
        let done = value.serialize(&mut *self);
        self.inside_left_out -= 1;
        done
    }

    fn marker(&mut self, marker: u8) {
        self.bytes(&[marker]);
    }

    fn number(&mut self, value: u64) {
        self.bytes(&value.to_le_bytes());
    }

    /// A string with its length first, so that `("ab", "c")` and `("a", "bc")` differ.
    fn text(&mut self, text: &str) {
        self.number(text.len() as u64);
        self.bytes(text.as_bytes());
    }
}

/// Hashing cannot fail; serde still needs an error type.
#[derive(Debug)]
pub(crate) struct Unhashable(String);

impl std::fmt::Display for Unhashable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unhashable {}

impl ser::Error for Unhashable {
    fn custom<T: std::fmt::Display>(message: T) -> Unhashable {
        Unhashable(message.to_string())
    }
}

type Done = Result<(), Unhashable>;

/// Narrow numbers hash as their widest kind: serde says which kind a field is.
macro_rules! widened {
    ($($method:ident($narrow:ty) as $wide:ident),*) => {
        $(fn $method(self, value: $narrow) -> Done {
            self.$wide(value.into())
        })*
    };
}

impl ser::Serializer for &mut Feed {
    type Ok = ();
    type Error = Unhashable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    widened!(
        serialize_i8(i8) as serialize_i64,
        serialize_i16(i16) as serialize_i64,
        serialize_i32(i32) as serialize_i64,
        serialize_u8(u8) as serialize_u64,
        serialize_u16(u16) as serialize_u64,
        serialize_u32(u32) as serialize_u64,
        serialize_f32(f32) as serialize_f64
    );

    fn serialize_bool(self, value: bool) -> Done {
        self.marker(u8::from(value));
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Done {
        self.bytes(&value.to_le_bytes());
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Done {
        self.number(value);
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Done {
        self.number(value.to_bits());
        Ok(())
    }

    fn serialize_char(self, value: char) -> Done {
        self.serialize_u64(u32::from(value).into())
    }

    fn serialize_str(self, value: &str) -> Done {
        self.text(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Done {
        self.number(value.len() as u64);
        self.bytes(value);
        Ok(())
    }

    fn serialize_none(self) -> Done {
        self.marker(ABSENT);
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        self.marker(PRESENT);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Done {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Done {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Done {
        self.serialize_u32(index)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        self.number(index.into());
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unhashable> {
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, Unhashable> {
        Ok(self)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Unhashable> {
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unhashable> {
        self.number(index.into());
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unhashable> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unhashable> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unhashable> {
        self.number(index.into());
        Ok(self)
    }

    /// Dates and other values serialized through `Display`, without a `String` each.
    fn collect_str<T: ?Sized + std::fmt::Display>(self, value: &T) -> Done {
        let mut text = Text::default();
        write!(text, "{value}").map_err(|_| Unhashable("a value failed to format".into()))?;
        self.text(text.as_str());
        Ok(())
    }
}

/// Formatted text, on the stack while it is short (a date is 10 bytes).
#[derive(Default)]
struct Text {
    short: [u8; 32],
    len: usize,
    long: String,
}

impl Text {
    fn as_str(&self) -> &str {
        if self.long.is_empty() {
            std::str::from_utf8(&self.short[..self.len]).expect("whole `str`s are copied in")
        } else {
            &self.long
        }
    }
}

impl std::fmt::Write for Text {
    fn write_str(&mut self, piece: &str) -> std::fmt::Result {
        if self.long.is_empty() && self.len + piece.len() <= self.short.len() {
            self.short[self.len..self.len + piece.len()].copy_from_slice(piece.as_bytes());
            self.len += piece.len();
        } else {
            if self.long.is_empty() {
                let short = std::str::from_utf8(&self.short[..self.len])
                    .expect("whole `str`s are copied in");
                self.long.push_str(short);
            }
            self.long.push_str(piece);
        }
        Ok(())
    }
}

/// Elements of sequences and entries of maps are each marked present, and the end is
/// marked, so that lengths need not be known in advance (`#[serde(flatten)]` maps).
impl SerializeSeq for &mut Feed {
    type Ok = ();
    type Error = Unhashable;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        self.marker(PRESENT);
        value.serialize(&mut **self)
    }

    fn end(self) -> Done {
        self.marker(END);
        Ok(())
    }
}

/// Tuples have a fixed number of elements: only the elements are hashed.
macro_rules! elements_in_order {
    ($($trait:ident::$method:ident),*) => {
        $(impl ser::$trait for &mut Feed {
            type Ok = ();
            type Error = Unhashable;

            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }

            fn end(self) -> Done {
                Ok(())
            }
        })*
    };
}

elements_in_order!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl SerializeMap for &mut Feed {
    type Ok = ();
    type Error = Unhashable;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
        self.marker(PRESENT);
        key.serialize(&mut **self)
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }

    fn end(self) -> Done {
        self.marker(END);
        Ok(())
    }
}

/// Fields come in the order of their type's declaration; a field left out
/// (`skip_serializing_if`) is marked absent instead.
macro_rules! fields_in_order {
    ($($trait:ident),*) => {
        $(impl ser::$trait for &mut Feed {
            type Ok = ();
            type Error = Unhashable;

            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Done {
                self.field(name, value)
            }

            fn skip_field(&mut self, _: &'static str) -> Done {
                self.marker(ABSENT);
                Ok(())
            }

            fn end(self) -> Done {
                Ok(())
            }
        })*
    };
}

fields_in_order!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::report;
    use std::collections::BTreeMap;

    #[test]
    fn equal_data_hashes_equal_and_different_data_differently() {
        let files = [(
            "g.md",
            "---\ngoal: Ship\ndue: 2026-06-30\n---\n- [x] plan ✅ 2026-01-05\n- [ ] build 🔼\n",
        )];
        let one = report(&files, "2026-03-01");
        assert_eq!(data_hash(&one), data_hash(&report(&files, "2026-03-01")));
        assert_ne!(data_hash(&one), data_hash(&report(&files, "2026-03-02")));
        let ticked = [(files[0].0, files[0].1.replace("[ ] build", "[x] build"))];
        let ticked: Vec<(&str, &str)> = ticked.iter().map(|(p, t)| (*p, t.as_str())).collect();
        assert_ne!(data_hash(&one), data_hash(&report(&ticked, "2026-03-01")));
    }

    #[test]
    fn structure_is_part_of_the_hash() {
        let pairs = [
            (data_hash(&("ab", "c")), data_hash(&("a", "bc"))),
            (
                data_hash(&vec![vec![1u32], vec![]]),
                data_hash(&vec![vec![], vec![1u32]]),
            ),
            (
                data_hash(&(Some(0u8), None::<u8>)),
                data_hash(&(None::<u8>, Some(0u8))),
            ),
            (data_hash(&1.0f64), data_hash(&1u64)),
            (data_hash(&Some("")), data_hash(&None::<&str>)),
            (
                data_hash(&BTreeMap::from([("a", 1), ("b", 2)])),
                data_hash(&BTreeMap::from([("a", 2), ("b", 1)])),
            ),
        ];
        for (index, (a, b)) in pairs.iter().enumerate() {
            assert_ne!(a, b, "pair {index}");
        }
    }

    #[derive(Serialize)]
    struct Optional {
        #[serde(skip_serializing_if = "Option::is_none")]
        first: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        second: Option<u32>,
    }

    #[test]
    fn which_fields_are_left_out_is_part_of_the_hash() {
        let first = Optional {
            first: Some(7),
            second: None,
        };
        let second = Optional {
            first: None,
            second: Some(7),
        };
        assert_ne!(data_hash(&first), data_hash(&second));
    }

    #[derive(Serialize)]
    struct Nested {
        #[serde(skip_serializing_if = "Option::is_none")]
        second: Option<Optional>,
        other: Optional,
    }

    /// Left out at every depth, inside a field left out too, and hashed there as a field
    /// `skip_serializing_if` skips; the whole hash of the same pass is `data_hash`'s.
    #[test]
    fn fields_are_left_out_at_every_depth_as_if_absent() {
        let nested = |second: Option<u32>, inner: Option<u32>| Nested {
            second: second.map(|first| Optional {
                first: Some(first),
                second: Some(6),
            }),
            other: Optional {
                first: Some(1),
                second: inner,
            },
        };
        let full = nested(Some(5), Some(7));
        let (whole, without) = data_hash_and_without(&full, "second");
        assert_eq!(whole, data_hash(&full));
        assert_eq!(without, data_hash(&nested(None, None)));
        assert_ne!(whole, data_hash(&nested(Some(5), Some(8))));
    }

    #[test]
    fn a_field_left_out_changes_nothing_and_the_others_still_count() {
        let of = |first, second| {
            data_hash_and_without(
                &Optional {
                    first: Some(first),
                    second: Some(second),
                },
                "second",
            )
            .1
        };
        assert_eq!(of(1, 2), of(1, 3));
        assert_ne!(of(1, 2), of(4, 2));
        let both = Optional {
            first: Some(1),
            second: Some(2),
        };
        let (whole, without) = data_hash_and_without(&both, "second");
        assert_eq!(whole, data_hash(&both));
        assert_ne!(without, whole);
    }

    #[test]
    fn long_data_and_long_formatted_values_hash_whole() {
        let long = "x".repeat(3 * BUFFER);
        let mut other = long.clone();
        other.replace_range(2 * BUFFER..2 * BUFFER + 1, "y");
        assert_ne!(data_hash(&long), data_hash(&other));
        assert_eq!(data_hash(&long), data_hash(&long.clone()));
        struct Shown(String);
        impl Serialize for Shown {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }
        let long_shown = Shown("y".repeat(100));
        assert_eq!(data_hash(&long_shown), data_hash(&"y".repeat(100)));
        assert_eq!(
            data_hash(&Shown("2026-01-05".into())),
            data_hash(&"2026-01-05")
        );
    }
}
