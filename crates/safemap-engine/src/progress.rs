//! Progress spinners on a terminal, and step timings for the manifest.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

/// Times each pipeline step and shows a spinner while it runs (only when standard error is
/// a terminal; indicatif draws nothing otherwise).
#[derive(Debug, Default)]
pub struct Steps {
    done: Vec<(String, Duration)>,
    /// No spinner: the steps run beside others that show theirs.
    quiet: bool,
}

impl Steps {
    /// Steps that show no spinner, for running beside steps that do (see [`Self::absorb`]).
    pub fn quiet() -> Self {
        Self {
            done: Vec::new(),
            quiet: true,
        }
    }

    /// Adds the timings of `other` (steps that ran beside these) after these.
    pub fn absorb(&mut self, other: Steps) {
        self.done.extend(other.done);
    }

    /// Runs `f` as the step `name`.
    pub fn run<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
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
        self.done.push((name.to_string(), start.elapsed()));
        bar.finish_and_clear();
        tracing::debug!(
            step = name,
            ms = start.elapsed().as_millis(),
            "step finished"
        );
        out
    }

    /// Milliseconds per step, in order.
    pub fn millis(&self) -> Vec<(String, u128)> {
        self.done
            .iter()
            .map(|(n, d)| (n.clone(), d.as_millis()))
            .collect()
    }
}
