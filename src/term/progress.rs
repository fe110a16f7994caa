//! The progress bar of `trailmark build`: on stderr, only on a terminal, and only once a
//! build has taken longer than [`DELAY`], so that the usual quick build prints nothing
//! but its summary.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown.
pub(crate) const DELAY: Duration = Duration::from_secs(1);

/// The progress bar of one build.
pub(crate) struct BuildProgress {
    bar: ProgressBar,
    /// Stops the thread that reveals the bar after the delay.
    stop: Sender<()>,
    revealer: Option<JoinHandle<()>>,
}

impl BuildProgress {
    /// A hidden bar, drawn on stderr from `delay` on if stderr is a terminal (indicatif
    /// draws nothing on anything else, or where `TERM` is `dumb`).
    pub(crate) fn start(delay: Duration) -> BuildProgress {
        BuildProgress::start_on(delay, ProgressDrawTarget::stderr)
    }

    /// A hidden bar, drawn on the target `draw_on` makes from `delay` on.
    fn start_on(
        delay: Duration,
        draw_on: impl FnOnce() -> ProgressDrawTarget + Send + 'static,
    ) -> BuildProgress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}").expect("the spinner template is valid"),
        );
        bar.set_message("reading the journal");
        let (stop, stopped) = mpsc::channel();
        let shown = bar.clone();
        // Without a thread (the system refused one) the bar just stays hidden.
        let revealer = std::thread::Builder::new()
            .name("trailmark-progress".to_string())
            .spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(delay) {
                    shown.set_draw_target(draw_on());
                    shown.enable_steady_tick(Duration::from_millis(100));
                }
            })
            .ok();
        BuildProgress {
            bar,
            stop,
            revealer,
        }
    }

    /// The journal is read; reports are being made.
    pub(crate) fn building(&self) {
        self.bar.set_message("building reports");
    }

    /// `done` reports of `total` are written or found current.
    pub(crate) fn reports(&self, done: usize, total: usize) {
        if self.bar.length() != Some(total as u64) {
            self.bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                    .expect("the bar template is valid")
                    .progress_chars("=> "),
            );
            self.bar.set_message("writing reports");
            self.bar.set_length(total as u64);
        }
        self.bar.set_position(done as u64);
    }

    /// Removes the bar, if it was shown, before the build's summary is printed.
    pub(crate) fn finish(self) {
        // The revealer may have ended already, having shown the bar.
        let _ = self.stop.send(());
        if let Some(revealer) = self.revealer {
            let _ = revealer.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A terminal that records what is drawn on it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, line: &str) -> std::io::Result<()> {
            self.write_str(&format!("{line}\n"))
        }
        fn write_str(&self, text: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push_str(text);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn progress_on(screen: &Screen, delay: Duration) -> BuildProgress {
        let screen = screen.clone();
        BuildProgress::start_on(delay, move || {
            ProgressDrawTarget::term_like(Box::new(screen))
        })
    }

    #[test]
    fn a_build_past_the_delay_shows_its_reports() {
        let screen = Screen::default();
        let progress = progress_on(&screen, Duration::ZERO);
        progress.building();
        progress.reports(3, 10);
        // The bar is revealed, and then redrawn, by other threads: wait for it rather
        // than for a time.
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while !screen.0.lock().unwrap().contains("3/10") && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        progress.finish();
        let drawn = screen.0.lock().unwrap().clone();
        assert!(drawn.contains("writing reports"), "{drawn:?}");
        assert!(drawn.contains("3/10"), "{drawn:?}");
    }

    #[test]
    fn a_build_done_before_the_delay_draws_nothing() {
        let screen = Screen::default();
        let progress = progress_on(&screen, Duration::from_secs(3600));
        progress.building();
        progress.reports(10, 10);
        progress.finish();
        assert_eq!(*screen.0.lock().unwrap(), "");
    }
}
