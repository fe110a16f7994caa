//! Numbers with a fixed count of decimals, byte for byte as `format!("{:.2}")` writes
//! them. The standard library works out each value's exact decimal expansion (by its
//! slowest method, Dragon4, for a good part of them); the charts and the `percent` and
//! `number` filters print about 370,000 such numbers in a full build of a 10,000-file
//! journal, which was 4.5% of its instructions. A value that is not within a millionth of
//! a rounding tie needs only one multiplication and its integer digits; the others, and
//! values too large for that to be exact enough, are left to the standard library.

use std::fmt::{self, Write as _};

/// The largest number of decimals [`Fixed`] writes itself, and the powers of ten up to it.
const SCALES: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];

/// `value` with `places` decimals, as `{:.places$}` formats it (no width or fill).
#[derive(Debug, Clone, Copy)]
pub(super) struct Fixed {
    value: f64,
    places: usize,
}

impl Fixed {
    pub(super) fn new(value: f64, places: usize) -> Fixed {
        Fixed { value, places }
    }

    /// The magnitude times 10^places, rounded as its exact decimal expansion rounds, when
    /// that is certain. Below a million, the product errs by less than 10^-7 (one rounding
    /// of a number under 10^9), so it rounds as the exact value does unless it is within
    /// a millionth of a tie; a whole-number count of decimals (`places` 0) is exact, and
    /// ties go to the even integer, as the standard library rounds them.
    fn scaled(self) -> Option<u64> {
        let magnitude = self.value.abs();
        let scale = SCALES.get(self.places)?;
        if !magnitude.is_finite() || magnitude >= 1e6 {
            return None;
        }
        if self.places == 0 {
            return Some(magnitude.round_ties_even() as u64);
        }
        let scaled = magnitude * scale;
        let fraction = scaled - scaled.floor();
        if (fraction - 0.5).abs() < 1e-6 {
            return None;
        }
        Some(scaled.round() as u64)
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.digits() {
            Some((text, at)) => {
                f.write_str(std::str::from_utf8(&text[at..]).expect("ASCII digits"))
            }
            None => write!(f, "{:.*}", self.places, self.value),
        }
    }
}

impl Fixed {
    /// Pushes the number to `out` as [`fmt::Display`] writes it, without the formatter
    /// when [`Fixed::scaled`] is certain: the charts write 100,000 coordinates in a full
    /// build of a 10,000-file journal, and the formatter's calls cost more than the digits.
    pub(super) fn push_to(self, out: &mut String) {
        match self.digits() {
            Some((text, at)) => {
                out.push_str(std::str::from_utf8(&text[at..]).expect("ASCII digits"))
            }
            None => {
                let _ = write!(out, "{:.*}", self.places, self.value);
            }
        }
    }

    /// The number's text, from the returned place of the buffer to its end, when
    /// [`Fixed::scaled`] is certain.
    fn digits(self) -> Option<([u8; 16], usize)> {
        let mut rest = self.scaled()?;
        // At most 9 digits, a point and a sign.
        let mut text = [0u8; 16];
        let mut at = text.len();
        let mut digit = |at: &mut usize, byte: u8| {
            *at -= 1;
            text[*at] = byte;
        };
        for _ in 0..self.places {
            digit(&mut at, b'0' + (rest % 10) as u8);
            rest /= 10;
        }
        if self.places > 0 {
            digit(&mut at, b'.');
        }
        loop {
            digit(&mut at, b'0' + (rest % 10) as u8);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        // The standard library writes the sign of every negative value, -0.0 and values
        // that round to zero included.
        if self.value.is_sign_negative() {
            digit(&mut at, b'-');
        }
        Some((text, at))
    }
}

/// `0.456` -> `46%`: [`crate::text::percent`] as reports print it, 126,000 times in a
/// full build.
pub(super) fn percent(value: f64) -> String {
    let mut text = String::with_capacity(4);
    Fixed::new((value * 100.0).clamp(0.0, 100.0), 0).push_to(&mut text);
    text.push('%');
    text
}

/// `4.0` -> `4`, `2.5` -> `2.5`, `0.333333` -> `0.33`: [`crate::text::number`] as reports
/// print it.
pub(super) fn number(value: f64) -> String {
    let mut text = String::new();
    Fixed::new(value, 2).push_to(&mut text);
    let kept = text.trim_end_matches('0').trim_end_matches('.').len();
    text.truncate(kept);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_numbers_are_the_texts() {
        let mut bits: u64 = 0x2545_F491_4F6C_DD1D;
        let mut values = vec![0.0, -0.0, 0.005, 0.004999, 0.125, 0.995, 1.0, 2.5, -10.0];
        for _ in 0..20_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            values.push(f64::from_bits(bits));
            values.push((bits % 100_001) as f64 / 1000.0 - 50.0);
        }
        for value in values {
            assert_eq!(percent(value), crate::text::percent(value), "{value:?}");
            assert_eq!(number(value), crate::text::number(value), "{value:?}");
        }
    }

    fn both(value: f64, places: usize) -> (String, String) {
        (
            Fixed::new(value, places).to_string(),
            format!("{value:.places$}"),
        )
    }

    /// `value` with 0 to 4 decimals as the standard library writes it, by `Display` and
    /// pushed after a text (`push_to`).
    fn assert_same(value: f64) {
        for places in 0..=4 {
            let (fixed, standard) = both(value, places);
            assert_eq!(fixed, standard, "{value:?} with {places} decimals");
            let mut pushed = String::from("x=");
            Fixed::new(value, places).push_to(&mut pushed);
            assert_eq!(pushed, format!("x={standard}"), "{value:?} pushed");
        }
    }

    #[test]
    fn special_values_and_ties_are_written_as_the_standard_library_writes_them() {
        for value in [
            0.0,
            -0.0,
            -0.001,
            -0.004,
            -0.006,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            1.005,
            2.675,
            99.995,
            999_999.995,
            1e6,
            1e20,
            -1e20,
            f64::MIN_POSITIVE,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_same(value);
        }
    }

    #[test]
    fn values_as_charts_and_filters_make_them_are_written_as_the_standard_library_writes_them() {
        // Shares of whole counts (progress, positions on a time axis) hit ties often.
        for whole in 0..=200u32 {
            for of in 1..=48u32 {
                let share = f64::from(whole) / f64::from(of);
                assert_same(share);
                assert_same(share * 100.0);
                assert_same(166.0 - 146.0 * share);
                assert_same(-share * 3.7);
            }
        }
        // And any value at all, by a fixed sequence of bit patterns.
        let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..40_000 {
            bits ^= bits << 13;
            bits ^= bits >> 7;
            bits ^= bits << 17;
            let value = f64::from_bits(bits);
            assert_same(value);
            assert_same(value.fract() * 1e4);
        }
    }
}
