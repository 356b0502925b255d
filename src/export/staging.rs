//! The output folder and its staging folder.
//!
//! Outputs are written into a staging folder beside the output folder and
//! swapped in only when every file is complete. The swap is one system call
//! (`renameat2(RENAME_EXCHANGE)` on Linux), so at every instant the output
//! path holds either the previous outputs or the new ones; a crash, a full
//! disk or `kill -9` leaves the previous outputs whole. Where the exchange
//! is not available the swap is two renames, journaled by the name of the
//! folder moved aside: a run killed between them leaves that folder, and the
//! next run puts it back before anything else.
//!
//! An output folder is replaced only when it holds nothing but what the
//! last build wrote: the marker file [`MARKER_FILE`] is its manifest, the
//! list of those files. Anything else in it — a notebook, a `charts/`
//! folder — means the build is refused before it starts, naming the file.
//!
//! A lock file beside the output folder keeps a second build from writing
//! to the same folder at the same time.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};

/// Written into every output folder: marks it as ours and lists the files
/// the build wrote (its manifest), so a later run may replace it and
/// nothing else.
pub const MARKER_FILE: &str = ".weeklygraph";

/// The marker's first line; the manifest follows it.
const MARKER_HEADER: &str = "written by weeklygraph; safe to replace";

/// What builds wrote before the marker carried a manifest: a folder with
/// the bare marker may hold these and nothing else.
const LEGACY_FILES: &[&str] = &[
    "candidates.csv",
    "edges.csv",
    "entities.csv",
    "graph.dot",
    "graph.graphml",
    "graph.json",
    "graph.pdf",
    "graph.png",
    "graph.svg",
    "issues.csv",
    "items.csv",
    "knowledge.graphml",
    "knowledge.json",
    "links.csv",
    "mentions.csv",
    "nodes.csv",
    "periods.csv",
    "report.html",
    "report.md",
    "trends.csv",
    "weeklygraph.db",
];

const STAGING_PREFIX: &str = ".weeklygraph-staging-";
const MOVED_ASIDE_PREFIX: &str = ".weeklygraph-old-";
const LOCK_PREFIX: &str = ".weeklygraph-lock-";

/// The right to write one output folder, held from before the inputs are
/// read until the new outputs are in place: the folder was checked (a
/// folder of its own, outside every input, holding only weeklygraph's
/// files) and is locked against other builds.
#[derive(Clone)]
pub struct OutputClaim {
    held: Arc<HeldFolder>,
}

struct HeldFolder {
    /// The folder as the user named it, for messages.
    shown: PathBuf,
    /// Where the outputs really go: a symlinked `-o` is followed.
    real: PathBuf,
    _lock: LockFile,
}

/// The folders this process holds, by real path: [`Staging::begin`] on a
/// folder claimed earlier (before the inputs were read) uses that claim
/// rather than locking the folder against itself.
static HELD: Mutex<BTreeMap<PathBuf, std::sync::Weak<HeldFolder>>> = Mutex::new(BTreeMap::new());

impl OutputClaim {
    /// Checks `target` as an output folder for a build reading `inputs`,
    /// and locks it. Every refusal names the path and what to do instead.
    pub fn new(target: &Path, inputs: &[PathBuf]) -> anyhow::Result<OutputClaim> {
        let real = real_output_path(target)?;
        for input in inputs {
            check_apart_from_input(target, &real, input)?;
        }
        if let Some(held) = held_claim(&real) {
            return Ok(OutputClaim { held });
        }
        let parent = parent_of(&real);
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let lock = LockFile::acquire(&real, target)?;
        finish_interrupted_swap(&real)?;
        check_replaceable(&real, target)?;
        let held = Arc::new(HeldFolder {
            shown: target.to_path_buf(),
            real: real.clone(),
            _lock: lock,
        });
        HELD.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(real, Arc::downgrade(&held));
        Ok(OutputClaim { held })
    }

    /// Where the outputs go: the folder `-o` names, or the one it links to.
    pub fn real_path(&self) -> &Path {
        &self.held.real
    }
}

impl Drop for HeldFolder {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        if held.get(&self.real).is_some_and(|w| w.strong_count() == 0) {
            held.remove(&self.real);
        }
    }
}

fn held_claim(real: &Path) -> Option<Arc<HeldFolder>> {
    HELD.lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(real)
        .and_then(std::sync::Weak::upgrade)
}

/// The absolute path the outputs are written to. A symlink is followed (a
/// link to an earlier output folder stays a link); a link to nothing, the
/// current folder or one above it, and a path naming no folder are refused.
fn real_output_path(target: &Path) -> anyhow::Result<PathBuf> {
    let shown = target.display();
    if target.as_os_str().is_empty() {
        bail!("-o is empty; name an output folder");
    }
    if matches!(
        target.components().next_back(),
        None | Some(Component::CurDir | Component::ParentDir | Component::RootDir)
    ) {
        bail!("-o {shown} is not a folder of its own; name a new folder such as -o output");
    }
    let is_link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    let real = if is_link {
        let Ok(real) = fs::canonicalize(target) else {
            let to = fs::read_link(target).unwrap_or_default();
            bail!(
                "-o {shown} is a symbolic link to nothing ({}); create that folder or choose another -o",
                to.display()
            );
        };
        real
    } else if target.exists() {
        fs::canonicalize(target).with_context(|| format!("cannot resolve -o {shown}"))?
    } else {
        let parent = parent_of(target);
        let name = target
            .file_name()
            .context("the output folder has no name")?;
        match fs::canonicalize(&parent) {
            Ok(parent) => parent.join(name),
            // Created at the start of the staging; until then, as given.
            Err(_) => std::path::absolute(target)?,
        }
    };
    if real.exists() && !real.is_dir() {
        bail!("{shown} exists and is not a folder; choose another -o");
    }
    let here = std::env::current_dir().and_then(fs::canonicalize);
    if here.is_ok_and(|here| here.starts_with(&real)) {
        bail!("-o {shown} is the current folder or holds it; name a new folder such as -o output");
    }
    Ok(real)
}

/// The output folder may be neither inside an input (the next build would
/// read its own reports) nor hold one (replacing it would delete it).
fn check_apart_from_input(target: &Path, real: &Path, input: &Path) -> anyhow::Result<()> {
    let Ok(input_real) = fs::canonicalize(input) else {
        return Ok(());
    };
    if real.starts_with(&input_real) && input_real.is_dir() {
        bail!(
            "-o {} is inside the input {}: the next build would read its own outputs as issues; \
             choose an output folder outside it",
            target.display(),
            input.display()
        );
    }
    if input_real.starts_with(real) {
        bail!(
            "the input {} is inside -o {}: replacing the outputs would delete it; \
             choose another -o",
            input.display(),
            target.display()
        );
    }
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn beside(real: &Path, prefix: &str) -> PathBuf {
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    real.with_file_name(format!("{prefix}{name}"))
}

/// A staging folder that becomes the output folder on [`Staging::commit`].
/// Dropped without commit, it is removed and the old outputs stay.
pub struct Staging {
    claim: OutputClaim,
    dir: Option<tempfile::TempDir>,
}

impl Staging {
    /// Claims `target` (see [`OutputClaim::new`]), unless this process holds
    /// it already, and makes the staging folder beside it.
    pub fn begin(target: &Path) -> anyhow::Result<Staging> {
        let claim = match held_claim(&real_output_path(target)?) {
            Some(held) => OutputClaim { held },
            None => OutputClaim::new(target, &[])?,
        };
        let parent = parent_of(claim.real_path());
        remove_abandoned_staging(&parent);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        fs::write(dir.path().join(MARKER_FILE), format!("{MARKER_HEADER}\n"))?;
        Ok(Staging {
            claim,
            dir: Some(dir),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir
            .as_ref()
            .map(|d| d.path())
            .unwrap_or(self.claim.real_path())
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// Writes the manifest and swaps the staged folder in.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        write_manifest(dir.path())?;
        let staged = dir.keep();
        let target = self.claim.real_path().to_path_buf();
        let shown = self.claim.held.shown.clone();
        let result = swap_in(&staged, &target);
        // Whatever happened, the staging path now holds either the old
        // outputs (swapped out) or the unused new ones.
        let _ = fs::remove_dir_all(&staged);
        result.with_context(|| format!("cannot move the new outputs to {}", shown.display()))
    }
}

/// The marker, listing every file of the staged folder below its header.
fn write_manifest(staged: &Path) -> anyhow::Result<()> {
    let mut names: Vec<String> = fs::read_dir(staged)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.retain(|name| name != MARKER_FILE);
    names.sort();
    let mut text = format!("{MARKER_HEADER}\n");
    for name in names {
        text.push_str(&name);
        text.push('\n');
    }
    fs::write(staged.join(MARKER_FILE), text)?;
    Ok(())
}

/// Puts `staged` at `target`; the previous outputs end up at `staged`.
fn swap_in(staged: &Path, target: &Path) -> anyhow::Result<()> {
    if !target.exists() {
        return Ok(fs::rename(staged, target)?);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system or kernel without the exchange: the journal.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(err) => return Err(std::io::Error::from(err).into()),
        }
    }
    swap_in_two_steps(staged, target)
}

/// The old outputs moved aside, the new ones moved in. The moved-aside
/// folder is the journal: see [`finish_interrupted_swap`].
fn swap_in_two_steps(staged: &Path, target: &Path) -> anyhow::Result<()> {
    let aside = beside(target, MOVED_ASIDE_PREFIX);
    if aside.exists() {
        fs::remove_dir_all(&aside).with_context(|| format!("cannot remove {}", aside.display()))?;
    }
    fs::rename(target, &aside)
        .with_context(|| format!("cannot move the previous {} aside", target.display()))?;
    if let Err(err) = fs::rename(staged, target) {
        let _ = fs::rename(&aside, target);
        return Err(err.into());
    }
    fs::rename(&aside, staged).with_context(|| format!("cannot remove {}", aside.display()))?;
    Ok(())
}

/// Completes what a run killed inside [`swap_in_two_steps`] left: the
/// previous outputs moved aside and nothing at the output path (they go
/// back), or both (the new ones are in; the old ones go).
fn finish_interrupted_swap(real: &Path) -> anyhow::Result<()> {
    let aside = beside(real, MOVED_ASIDE_PREFIX);
    if !aside.join(MARKER_FILE).is_file() {
        return Ok(());
    }
    if real.exists() {
        fs::remove_dir_all(&aside).with_context(|| format!("cannot remove {}", aside.display()))
    } else {
        fs::rename(&aside, real).with_context(|| {
            format!(
                "cannot move the previous outputs back from {}",
                aside.display()
            )
        })
    }
}

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
/// holds only what its manifest lists (or, for a folder written before
/// manifests, only weeklygraph's file names). Otherwise the first file in
/// the way is named.
fn check_replaceable(real: &Path, shown: &Path) -> anyhow::Result<()> {
    if !real.exists() {
        return Ok(());
    }
    let mut present: Vec<(String, bool)> = Vec::new();
    for entry in fs::read_dir(real).with_context(|| format!("cannot read {}", shown.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", shown.display()))?;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        present.push((entry.file_name().to_string_lossy().into_owned(), is_file));
    }
    present.sort();
    if present.is_empty() {
        return Ok(());
    }
    let manifest = fs::read_to_string(real.join(MARKER_FILE)).ok();
    let Some(manifest) = manifest.filter(|m| m.starts_with(MARKER_HEADER)) else {
        bail!(
            "{} holds files weeklygraph did not write (such as {}); refusing to replace them. \
             Choose an empty or new folder with -o",
            shown.display(),
            present[0].0
        );
    };
    let listed: BTreeSet<&str> = manifest.lines().skip(1).collect();
    let allowed = |name: &str| {
        if listed.is_empty() {
            LEGACY_FILES.contains(&name)
        } else {
            listed.contains(name)
        }
    };
    for (name, is_file) in &present {
        if name == MARKER_FILE {
            continue;
        }
        if !is_file || !allowed(name) {
            bail!(
                "{} holds {name}, which the last build did not write; refusing to replace \
                 the folder. Move {name} out of it, or choose another -o",
                shown.display()
            );
        }
    }
    Ok(())
}

/// `.weeklygraph-lock-NAME` beside the output folder, locked while a build
/// writes there. On Linux the lock is `flock`'s, which the system drops
/// when the process dies; elsewhere the file is created exclusively and
/// holds the process id, and a file whose process is gone is taken over.
struct LockFile {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    _file: fs::File,
}

impl LockFile {
    fn acquire(real: &Path, shown: &Path) -> anyhow::Result<LockFile> {
        let path = beside(real, LOCK_PREFIX);
        let busy = || {
            anyhow::anyhow!(
                "another weeklygraph build is writing to {} (its lock is {}); \
                 wait for it to finish, or choose another -o",
                shown.display(),
                path.display()
            )
        };
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{FlockOperation, flock};
            use std::os::unix::fs::MetadataExt;
            // The file is removed when the lock is let go; one opened just
            // before that is stale, and opening again gets the live one.
            for _ in 0..100 {
                let file = fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .with_context(|| format!("cannot create the lock {}", path.display()))?;
                match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                    Ok(()) => {}
                    Err(rustix::io::Errno::WOULDBLOCK) => return Err(busy()),
                    Err(err) => {
                        return Err(std::io::Error::from(err))
                            .with_context(|| format!("cannot lock {}", path.display()));
                    }
                }
                let same = match (file.metadata(), fs::metadata(&path)) {
                    (Ok(open), Ok(named)) => open.ino() == named.ino() && open.dev() == named.dev(),
                    _ => false,
                };
                if same {
                    let _ = fs::write(&path, format!("{}\n", std::process::id()));
                    return Ok(LockFile { path, _file: file });
                }
            }
            Err(busy())
        }
        #[cfg(not(target_os = "linux"))]
        {
            for _ in 0..2 {
                match fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                {
                    Ok(mut file) => {
                        use std::io::Write as _;
                        let _ = writeln!(file, "{}", std::process::id());
                        return Ok(LockFile { path });
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                        let holder = fs::read_to_string(&path)
                            .ok()
                            .and_then(|t| t.trim().parse::<u32>().ok());
                        match holder {
                            Some(pid) if !process_is_alive(pid) => {
                                let _ = fs::remove_file(&path);
                            }
                            _ => return Err(busy()),
                        }
                    }
                    Err(err) => {
                        return Err(err)
                            .with_context(|| format!("cannot create the lock {}", path.display()));
                    }
                }
            }
            Err(busy())
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        // Removed while still locked: a build waiting on this file sees
        // that it is gone and opens the new one.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lists_the_staged_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MARKER_FILE), "x").unwrap();
        fs::write(dir.path().join("b.csv"), "").unwrap();
        fs::write(dir.path().join("a.csv"), "").unwrap();
        write_manifest(dir.path()).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(MARKER_FILE)).unwrap(),
            format!("{MARKER_HEADER}\na.csv\nb.csv\n")
        );
        check_replaceable(dir.path(), dir.path()).unwrap();
        fs::write(dir.path().join("c.csv"), "").unwrap();
        let err = check_replaceable(dir.path(), Path::new("out")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "out holds c.csv, which the last build did not write; refusing to replace the \
             folder. Move c.csv out of it, or choose another -o"
        );
    }

    #[test]
    fn two_step_swap_interrupted_is_completed_by_the_next_claim() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let aside = beside(&out, MOVED_ASIDE_PREFIX);
        fs::create_dir(&aside).unwrap();
        fs::write(
            aside.join(MARKER_FILE),
            format!("{MARKER_HEADER}\nissues.csv\n"),
        )
        .unwrap();
        fs::write(aside.join("issues.csv"), "old").unwrap();
        let claim = OutputClaim::new(&out, &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("issues.csv")).unwrap(), "old");
        assert!(!aside.exists());
        drop(claim);
        assert!(!beside(&out, LOCK_PREFIX).exists());
    }
}
