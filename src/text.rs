//! Words and numbers as every output writes them: counts with their noun, percentages,
//! text progress bars. The terminal, the reports and the calendar share them, so "1
//! milestone" and "46%" read the same everywhere.

/// `1 goal`, `3 goals`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `0.456` -> `46%`.
pub(crate) fn percent(value: f64) -> String {
    format!("{:.0}%", (value * 100.0).clamp(0.0, 100.0))
}

/// `4.0` -> `4`, `2.5` -> `2.5`, `0.333333` -> `0.33`: metric values as people write them.
pub(crate) fn number(value: f64) -> String {
    let rounded = format!("{value:.2}");
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A progress bar of `width` cells.
pub(crate) fn progress_bar(value: f64, width: usize) -> String {
    let filled = ((value.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    "█".repeat(filled) + &"░".repeat(width - filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_numbers() {
        assert_eq!(plural(1, "goal"), "1 goal");
        assert_eq!(plural(0, "goal"), "0 goals");
        assert_eq!(progress_bar(0.0, 4), "░░░░");
        assert_eq!(progress_bar(0.5, 4), "██░░");
        assert_eq!(progress_bar(1.7, 4), "████");
        assert_eq!(percent(0.456), "46%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn numbers_drop_needless_decimals() {
        assert_eq!(number(4.0), "4");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(-10.0), "-10");
        assert_eq!(number(100.0), "100");
    }
}
