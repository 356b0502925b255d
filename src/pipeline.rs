//! The batch pipeline: read → parse → extract every input file in parallel,
//! then merge the results into one [`Corpus`].

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::extract::Extractor;
use crate::model::{Corpus, Entity, IssueRecord, Warning};
use crate::{parse, read};

/// Where to read from and how.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    pub inputs: Vec<PathBuf>,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    pub max_file_size: u64,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            inputs: vec![PathBuf::from("data/sample")],
            jobs: None,
            progress: false,
            max_file_size: read::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// What one file became.
enum FileOutcome {
    Read {
        record: Box<IssueRecord>,
        warnings: Vec<Warning>,
    },
    Skipped(Warning),
}

/// Reads, parses and extracts every input file, in parallel.
pub fn load_corpus(options: &CorpusOptions, extractor: &Extractor) -> anyhow::Result<Corpus> {
    let discovered = read::discover(&options.inputs);
    let progress = progress_bar(options.progress, discovered.files.len());

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()?;
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        discovered
            .files
            .par_iter()
            .map(|path| {
                let outcome = process_file(path, options.max_file_size, extractor);
                progress.inc(1);
                outcome
            })
            .collect()
    });
    progress.finish_and_clear();

    let mut warnings = discovered.warnings;
    let mut records = Vec::new();
    for outcome in outcomes {
        match outcome {
            FileOutcome::Read {
                record,
                warnings: file_warnings,
            } => {
                warnings.extend(file_warnings);
                records.push(*record);
            }
            FileOutcome::Skipped(warning) => warnings.push(warning),
        }
    }

    let records = drop_duplicate_issues(records, &mut warnings);
    let records = make_ids_unique(records);
    let entities = collect_entities(extractor, &records);
    Ok(Corpus {
        records,
        entities,
        warnings,
    })
}

/// read → parse → extract for one file; the text is dropped on return.
fn process_file(path: &std::path::Path, max_file_size: u64, extractor: &Extractor) -> FileOutcome {
    let source = match read::read_source(path, max_file_size) {
        Ok(source) => source,
        Err(warning) => return FileOutcome::Skipped(warning),
    };
    // A parser bug must cost one file, not the run.
    let parsed = std::panic::catch_unwind(|| parse::parse(&source.display, &source.text));
    let parsed = match parsed {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(warning)) => return FileOutcome::Skipped(warning),
        Err(_) => {
            return FileOutcome::Skipped(Warning::new(
                source.display,
                "internal error while parsing; skipped (please report this file)",
            ));
        }
    };
    let record = extractor.extract(&parsed.issue);
    let mut problems = source.warnings;
    problems.extend(parsed.warnings);
    FileOutcome::Read {
        record: Box::new(record),
        warnings: one_warning(&source.display, problems).into_iter().collect(),
    }
}

/// A file's problems are told in one line: users grep warnings by file, and
/// one cause ("impossible date") often has a consequence ("no date").
fn one_warning(path: &str, problems: Vec<Warning>) -> Option<Warning> {
    if problems.is_empty() {
        return None;
    }
    let messages: Vec<String> = problems.into_iter().map(|w| w.message).collect();
    Some(Warning::new(path, messages.join("; ")))
}

fn progress_bar(wanted: bool, files: usize) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} reading {pos}/{len} files {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// The same issue read twice (same publication and date: a Markdown file and
/// a saved page of it) is counted once; the richer copy is kept.
fn drop_duplicate_issues(
    records: Vec<IssueRecord>,
    warnings: &mut Vec<Warning>,
) -> Vec<IssueRecord> {
    let mut by_key: BTreeMap<(String, chrono::NaiveDate), IssueRecord> = BTreeMap::new();
    let mut kept = Vec::new();
    for record in records {
        let Some(date) = record.issue.date else {
            kept.push(record);
            continue;
        };
        let key = (record.issue.publication.clone(), date);
        match by_key.remove(&key) {
            None => {
                by_key.insert(key, record);
            }
            Some(other) => {
                let (richer, poorer) = if richness(&record) > richness(&other) {
                    (record, other)
                } else {
                    (other, record)
                };
                warnings.push(Warning::new(
                    poorer.issue.source_path.clone(),
                    format!(
                        "same issue as {} ({} of {date}); counted once, kept {}",
                        richer.issue.source_path,
                        richer.issue.publication,
                        richer.issue.source_path
                    ),
                ));
                by_key.insert(key, richer);
            }
        }
    }
    kept.extend(by_key.into_values());
    kept.sort_by(|a, b| {
        (a.issue.date, &a.issue.id, &a.issue.source_path).cmp(&(
            b.issue.date,
            &b.issue.id,
            &b.issue.source_path,
        ))
    });
    kept
}

/// More items, then more links, then more mentions; ties go to the path
/// that sorts first, so the choice never depends on thread timing.
fn richness(record: &IssueRecord) -> (usize, usize, usize, std::cmp::Reverse<String>) {
    (
        record.items.len(),
        record.issue.links,
        record.mentions.len(),
        std::cmp::Reverse(record.issue.source_path.clone()),
    )
}

/// Two different files can derive the same id (two undated issues with the
/// same file stem in different folders); later ones get a suffix.
fn make_ids_unique(mut records: Vec<IssueRecord>) -> Vec<IssueRecord> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for record in &mut records {
        let count = seen.entry(record.issue.id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let new_id = format!("{}-{}", record.issue.id, count);
            rename_issue(record, &new_id);
        }
    }
    records
}

fn rename_issue(record: &mut IssueRecord, new_id: &str) {
    let old_prefix = format!("{}#", record.issue.id);
    let new_prefix = format!("{new_id}#");
    let rename_item = |id: &mut String| {
        if let Some(rest) = id.strip_prefix(&old_prefix) {
            *id = format!("{new_prefix}{rest}");
        }
    };
    for item in &mut record.items {
        rename_item(&mut item.id);
    }
    for mention in &mut record.mentions {
        mention.issue_id = new_id.to_string();
        if let Some(id) = mention.item_id.as_mut() {
            rename_item(id);
        }
    }
    for link in &mut record.links {
        link.issue_id = new_id.to_string();
        if let Some(id) = link.item_id.as_mut() {
            rename_item(id);
        }
    }
    record.issue.id = new_id.to_string();
}

/// The dictionary plus the entities the text defined (KEPs, PRs). Where
/// several issues describe one KEP, the fullest description wins, decided
/// by content so the result is the same whatever the order.
fn collect_entities(extractor: &Extractor, records: &[IssueRecord]) -> BTreeMap<String, Entity> {
    let mut entities: BTreeMap<String, Entity> = extractor
        .dictionary
        .entities
        .iter()
        .map(|e| (e.id.clone(), e.clone()))
        .collect();
    let mut discovered: Vec<&Entity> = records.iter().flat_map(|r| r.discovered.iter()).collect();
    discovered.sort_by(|a, b| {
        (&a.id, std::cmp::Reverse(a.name.len()), &a.name, &a.sig).cmp(&(
            &b.id,
            std::cmp::Reverse(b.name.len()),
            &b.name,
            &b.sig,
        ))
    });
    for entity in discovered {
        match entities.get_mut(&entity.id) {
            None => {
                entities.insert(entity.id.clone(), entity.clone());
            }
            Some(known) => {
                if known.sig.is_empty() && !entity.sig.is_empty() {
                    known.sig = entity.sig.clone();
                }
            }
        }
    }
    entities
}
