//! Export: write what the pipeline found. One file per output format.
//!
//! Outputs are written into a staging folder beside the output folder and
//! moved into place only when every file is complete, so a crash, a full
//! disk or `kill -9` leaves the previous outputs whole.

pub mod csv;
mod direct_io;
pub mod dot;
pub mod graphml;
pub mod json;
pub mod report_html;
pub mod report_md;
pub mod sqlite;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::model::Corpus;
use crate::pipeline::Prepared;
use crate::summary::{Summarizer, Summary};

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

/// What `build` writes besides the corpus tables.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    pub summary: crate::summary::SummaryOptions,
    /// Formats Graphviz renders graph.dot into (svg, png); empty: none.
    pub render: Vec<String>,
    pub sqlite: bool,
    /// Write knowledge.graphml and knowledge.json.
    pub knowledge: bool,
}

impl OutputOptions {
    /// The SQLite database and the knowledge graph hold every record, so
    /// with them the records are kept in memory as they stream past.
    fn keeps_records(&self) -> bool {
        self.sqlite || self.knowledge
    }
}

/// What happened besides the files: notes for the user (Graphviz missing, …).
#[derive(Debug, Default)]
pub struct Written {
    pub notes: Vec<String>,
}

/// Writes every output into a staging folder, then swaps it in.
///
/// The records stream past once, in corpus order: their rows go straight
/// into items.csv, mentions.csv and links.csv while the summary builders
/// take their tallies. Then the graph, trend and report files, which are
/// independent of one another, are written at the same time (on the
/// calling rayon pool); the page that shows them all comes last.
pub fn write_outputs(
    prepared: Prepared,
    options: &OutputOptions,
    target: &Path,
) -> anyhow::Result<Written> {
    let staging = Staging::begin(target)?;
    let mut tables = csv::RecordTables::create(staging.path())?;
    let mut summarizer = Summarizer::new(&options.summary, prepared.date_range());
    let mut kept_records = Vec::new();
    // The next chunk is decoded while this one is written and tallied.
    let mut chunks = prepared.chunks();
    let mut current = chunks.next().transpose()?;
    while let Some(chunk) = current {
        let (next, appended) = rayon::join(
            || chunks.next().transpose(),
            || {
                let (appended, ()) = rayon::join(
                    || tables.append(&chunk, &prepared.entities),
                    || summarizer.add(&chunk),
                );
                appended
            },
        );
        appended?;
        if options.keeps_records() {
            kept_records.extend(chunk);
        }
        current = next?;
    }
    drop(chunks);
    tables.finish()?;
    let summary = summarizer.finish(prepared.entities);
    let kept = options.keeps_records().then(|| Corpus {
        records: kept_records,
        entities: summary.entities.clone(),
        warnings: Vec::new(),
    });

    let written = write_summary(&staging, &summary, kept.as_ref(), options)?;
    staging.commit()?;
    Ok(written)
}

type Job<'a> = Box<dyn FnOnce() -> anyhow::Result<()> + Send + 'a>;

/// Runs independent writers at once; the first error in the given order
/// is the one reported, whatever the timing.
fn run_all(jobs: Vec<Job<'_>>) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let results: Vec<anyhow::Result<()>> = jobs.into_par_iter().map(|job| job()).collect();
    results.into_iter().collect()
}

/// Every file but the three record tables.
fn write_summary(
    staging: &Staging,
    summary: &Summary,
    corpus: Option<&Corpus>,
    options: &OutputOptions,
) -> anyhow::Result<Written> {
    let graph = &summary.graph;
    let trends = &summary.trends;
    let issues = &summary.issues;
    run_all(vec![
        Box::new(|| csv::write_entities(&staging.file("entities.csv"), summary)),
        Box::new(|| csv::write_candidates(&staging.file("candidates.csv"), &summary.candidates)),
        Box::new(|| csv::write_nodes(&staging.file("nodes.csv"), graph)),
        Box::new(|| csv::write_edges(&staging.file("edges.csv"), graph)),
        Box::new(|| graphml::write_graphml(&staging.file("graph.graphml"), graph)),
        Box::new(|| json::write_json(&staging.file("graph.json"), graph)),
        Box::new(|| dot::write_dot(&staging.file("graph.dot"), graph)),
        Box::new(|| csv::write_trends(&staging.file("trends.csv"), trends)),
        Box::new(|| csv::write_periods(&staging.file("periods.csv"), trends)),
        Box::new(|| report_md::write_report_md(&staging.file("report.md"), issues, trends)),
        Box::new(|| {
            let Some(corpus) = corpus.filter(|_| options.knowledge) else {
                return Ok(());
            };
            let knowledge = crate::graph::knowledge::build(corpus, &options.summary.graph);
            graphml::write_knowledge_graphml(&staging.file("knowledge.graphml"), &knowledge)?;
            json::write_knowledge_json(&staging.file("knowledge.json"), &knowledge)
        }),
        Box::new(|| {
            let Some(corpus) = corpus.filter(|_| options.sqlite) else {
                return Ok(());
            };
            let entities = csv::entity_rows(summary);
            sqlite::write_database(&staging.file("weeklygraph.db"), corpus, &entities, graph)
        }),
    ])?;
    let notes = dot::render_all(&staging.file("graph.dot"), &options.render)?;
    // Graphviz's picture, when it was rendered above, goes into the page.
    let graph_svg = fs::read_to_string(staging.file("graph.svg")).ok();
    report_html::write_report_html(
        &staging.file("report.html"),
        issues,
        trends,
        graph_svg.as_deref(),
    )?;
    Ok(Written { notes })
}
