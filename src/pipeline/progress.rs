//! The progress bar on stderr: one line that names the phase a run is in
//! (reading, streaming, graph and trends, rendering, reports) and, where the
//! work is counted, how far it is. Drawn only when stderr is a terminal and
//! `--quiet` is off; otherwise every call is a no-op.
//!
//! With `WEEKLYGRAPH_TIMINGS` set, each phase's start is also printed with
//! the time since the pipeline began, whatever the terminal: how the benchmark
//! splits a build into stages.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Cheap to clone: every clone draws the same line.
#[derive(Clone, Debug)]
pub struct Progress {
    bar: ProgressBar,
    /// When the run began, if phases are timed.
    timed_since: Option<std::time::Instant>,
}

impl Progress {
    /// A bar when `wanted` and stderr is a terminal, else a hidden one.
    pub fn new(wanted: bool) -> Progress {
        if wanted && std::io::stderr().is_terminal() {
            Progress {
                bar: ProgressBar::new(0),
                timed_since: timed_since(),
            }
        } else {
            Progress::hidden()
        }
    }

    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            timed_since: timed_since(),
        }
    }

    /// A phase of `total` steps of `unit` ("files", "issues"), counted
    /// with [`Progress::step`].
    pub fn counted(&self, phase: &str, total: usize, unit: &str) {
        self.time(phase);
        let template = format!("{{spinner}} {phase} {{pos}}/{{len}} {unit} {{wide_bar}} {{eta}}");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            self.bar.set_style(style);
        }
        self.bar.reset();
        self.bar.set_length(total as u64);
        self.bar.force_draw();
    }

    /// A phase that is one step: its name and the time the run has taken.
    pub fn phase(&self, phase: &str) {
        self.time(phase);
        let template = format!("{{spinner}} {phase}… {{elapsed}}");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            self.bar.set_style(style);
        }
        // Past the rate limit: a phase is seen however quickly the last
        // one ended.
        self.bar.force_draw();
    }

    fn time(&self, phase: &str) {
        if let Some(since) = self.timed_since {
            let millis = since.elapsed().as_secs_f64() * 1000.0;
            let cpu = process_cpu_millis();
            let memory = memory_mib();
            self.bar.suspend(|| {
                eprintln!("weeklygraph: timing: {millis:9.1} ms (cpu {cpu:7.1} ms{memory}) {phase}")
            });
        }
    }

    /// With `WEEKLYGRAPH_TIMINGS` set, how long one part of a phase took
    /// (an output's files): which of the parts run side by side holds the
    /// phase up.
    pub fn part_took(&self, part: &str, started: std::time::Instant) {
        if self.timed_since.is_some() {
            let millis = started.elapsed().as_secs_f64() * 1000.0;
            self.bar
                .suspend(|| eprintln!("weeklygraph: timing: {part} took {millis:.1} ms"));
        }
    }

    pub fn step(&self) {
        self.bar.inc(1);
    }

    pub fn advance(&self, steps: usize) {
        self.bar.inc(steps as u64);
    }

    /// Clears the line: the run's own messages follow.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The CPU time of every thread so far: set beside the wall time, it shows
/// which phases keep both cores busy and which run on one.
#[cfg(target_os = "linux")]
fn process_cpu_millis() -> f64 {
    let spent = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    spent.tv_sec as f64 * 1000.0 + spent.tv_nsec as f64 / 1e6
}

#[cfg(not(target_os = "linux"))]
fn process_cpu_millis() -> f64 {
    f64::NAN
}

/// The resident memory now and at its peak so far, in MiB, as `, rss N
/// MiB, peak N MiB`: which phase holds the memory a build peaks at.
/// Empty where the kernel does not say.
fn memory_mib() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kib = |field: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
    };
    match (kib("VmRSS:"), kib("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", rss {} MiB, peak {} MiB", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// Runs `work`, and with `WEEKLYGRAPH_TIMINGS` set prints how long it
/// took: the parts of a phase that has no progress bar of its own.
pub fn timed<T>(part: &str, work: impl FnOnce() -> T) -> T {
    static TIMED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*TIMED.get_or_init(|| std::env::var_os("WEEKLYGRAPH_TIMINGS").is_some()) {
        return work();
    }
    let started = std::time::Instant::now();
    let done = work();
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!("weeklygraph: timing: {part} took {millis:.1} ms");
    done
}

fn timed_since() -> Option<std::time::Instant> {
    std::env::var_os("WEEKLYGRAPH_TIMINGS").map(|_| std::time::Instant::now())
}
