//! Sparklines for the markdown reports: a line of blocks, `▁▃█▅`.

use crate::dates::Date;

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The longest progress sparkline, in blocks: a week each up to a year, more weeks each
/// beyond.
const MAX_BLOCKS: i64 = 53;

/// One block per value, scaled to the largest: counts, where the busiest is the top.
pub(in crate::render) fn sparkline(values: &[f64]) -> String {
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|v| {
            if max <= 0.0 || !v.is_finite() {
                BLOCKS[0]
            } else {
                block(v / max)
            }
        })
        .collect()
}

/// A goal's progress over time, from its burn-up's (date, progress) steps: a block per
/// week (or per few weeks, beyond a year) from the first step to the last, each the
/// progress at the week's start, and the last the progress on the last day. Scaled to
/// 0..100%, not to the largest value, so that a full block is a goal done; spaced by
/// date, so that a quiet month shows as flat blocks.
pub(in crate::render) fn progress_sparkline(steps: &[(Date, f64)]) -> String {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return String::new();
    };
    let weeks = first.0.days_until(last.0) / 7 + 1;
    let days_per_block = 7 * ((weeks + MAX_BLOCKS - 1) / MAX_BLOCKS);
    let progress_on = |date: Date| {
        let reached = steps.partition_point(|(d, _)| *d <= date);
        steps[reached.saturating_sub(1)].1
    };
    let mut line: String = (0..)
        .map(|n| first.0.add_days(n * days_per_block))
        .take_while(|date| *date < last.0)
        .map(|date| block(progress_on(date)))
        .collect();
    line.push(block(last.1));
    line
}

/// The block for `share` (0..=1).
fn block(share: f64) -> char {
    BLOCKS[(share.clamp(0.0, 1.0) * 7.0).round() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    #[test]
    fn sparklines_scale_to_the_largest_value() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0, 4.0]), "▁▃▅█");
        assert_eq!(sparkline(&[0.0, 0.0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn progress_sparklines_are_weekly_and_scaled_to_100_percent() {
        // 25% on Jan 1, 50% on Jan 20, nothing more until Feb 12: half done is half a
        // block high, and the quiet weeks show.
        let steps = [
            (day("2026-01-01"), 0.0),
            (day("2026-01-01"), 0.25),
            (day("2026-01-20"), 0.5),
            (day("2026-02-12"), 0.5),
        ];
        // Weeks from Jan 1, 8, 15, 22, 29, Feb 5, then Feb 12.
        assert_eq!(progress_sparkline(&steps), "▃▃▃▅▅▅▅");
        // A goal done is a full block, whatever the largest value.
        let done = [(day("2026-01-01"), 0.0), (day("2026-01-09"), 1.0)];
        assert_eq!(progress_sparkline(&done), "▁▁█");
        assert_eq!(progress_sparkline(&[]), "");
    }

    #[test]
    fn years_of_progress_keep_to_a_line() {
        let steps = [(day("2020-01-01"), 0.0), (day("2026-01-01"), 1.0)];
        let line = progress_sparkline(&steps);
        assert!(line.chars().count() as i64 <= MAX_BLOCKS + 1, "{line}");
        assert!(line.ends_with('█'));
    }
}
