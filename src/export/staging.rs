//! The staging folder: outputs are written beside the output folder and
//! moved into place only when every file is complete, so a crash, a full
//! disk or `kill -9` leaves the previous outputs whole.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Written into every output folder: marks it as ours, so a later run may
/// replace it and nothing else.
pub const MARKER_FILE: &str = ".weeklygraph";

/// A staging folder that becomes the output folder on [`Staging::commit`].
/// Dropped without commit, it is removed and the old outputs stay.
pub struct Staging {
    target: PathBuf,
    dir: Option<tempfile::TempDir>,
}

impl Staging {
    /// Refuses an output folder holding files weeklygraph did not write.
    pub fn begin(target: &Path) -> anyhow::Result<Staging> {
        check_replaceable(target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_abandoned_staging(&parent);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        fs::write(
            dir.path().join(MARKER_FILE),
            "written by weeklygraph; safe to replace\n",
        )?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir: Some(dir),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.as_ref().map(|d| d.path()).unwrap_or(&self.target)
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// Swaps the staged folder in: the old outputs are moved aside first and
    /// removed only once the new ones are in place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let staged = dir.keep();
        let old = self.target.with_file_name(format!(
            ".weeklygraph-old-{}",
            self.target
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("output")
        ));
        if old.exists() {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        let had_previous = self.target.exists();
        if had_previous {
            fs::rename(&self.target, &old).with_context(|| {
                format!("cannot move the previous {} aside", self.target.display())
            })?;
        }
        if let Err(err) = fs::rename(&staged, &self.target) {
            if had_previous {
                let _ = fs::rename(&old, &self.target);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(err).with_context(|| {
                format!("cannot move the new outputs to {}", self.target.display())
            });
        }
        if had_previous {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }
}

const STAGING_PREFIX: &str = ".weeklygraph-staging-";

/// A run killed mid-write (`kill -9`, a power cut) leaves its staging folder
/// behind; the next run removes those whose process is gone. Staging folder
/// names carry the writer's process id for this.
fn remove_abandoned_staging(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(STAGING_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_is_alive(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Where it cannot be told, a process counts as alive: leaving a stale
/// folder is better than deleting a running writer's.
fn process_is_alive(pid: u32) -> bool {
    let proc_root = Path::new("/proc");
    if !proc_root.join("self").exists() {
        return true;
    }
    proc_root.join(pid.to_string()).exists()
}

/// An output folder may be replaced when it does not exist, is empty, or
/// was written by weeklygraph.
fn check_replaceable(target: &Path) -> anyhow::Result<()> {
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        bail!(
            "{} exists and is not a folder; choose another -o",
            target.display()
        );
    }
    if target.join(MARKER_FILE).is_file() {
        return Ok(());
    }
    let mut entries =
        fs::read_dir(target).with_context(|| format!("cannot read {}", target.display()))?;
    if entries.next().is_none() {
        return Ok(());
    }
    bail!(
        "{} holds files weeklygraph did not write; refusing to replace them. \
         Choose an empty or new folder with -o",
        target.display()
    )
}
