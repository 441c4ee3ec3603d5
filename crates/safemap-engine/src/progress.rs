//! Progress spinners on a terminal, and step timings in the debug log.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

/// Shows a spinner while each pipeline step runs (only when standard error is a terminal;
/// indicatif draws nothing otherwise) and logs its milliseconds at debug level.
#[derive(Debug, Default)]
pub struct Steps {
    /// No spinner: the steps run beside others that show theirs.
    quiet: bool,
}

impl Steps {
    /// Steps that show no spinner, for running beside steps that do.
    pub fn quiet() -> Self {
        Self { quiet: true }
    }

    /// Runs `f` as the step `name`.
    pub fn run<T>(&self, name: &str, f: impl FnOnce() -> T) -> T {
        let bar = if self.quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new_spinner()
        };
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        let start = Instant::now();
        let out = f();
        bar.finish_and_clear();
        tracing::debug!(
            step = name,
            ms = start.elapsed().as_millis(),
            "step finished"
        );
        out
    }
}
