//! The batch pipeline: read → parse → extract every input file in parallel
//! ([`prepare`]), parking each record in a spill file; then decide which
//! issues count and in what order, and hand the records back in corpus
//! order a chunk at a time ([`Prepared::chunks`]) — or all at once as a
//! [`Corpus`] for the commands that need the whole corpus in memory.
//! [`build`] streams them into the record sinks and hands the summary to
//! the outputs.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::extract::{Extractor, projects};
use crate::model::{Corpus, Date, DateRange, Entity, IssueRecord, Warning};
use crate::{parse, read};

mod drive;
mod spill;

pub use drive::{BuildOptions, build, build_with};

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

/// What one file became. A read file's record is already in the spill;
/// only what deciding duplicates, ids and order needs stays in memory.
enum FileOutcome {
    Read {
        issue: Box<SpilledIssue>,
        warnings: Vec<Warning>,
    },
    Skipped(Warning),
}

/// An issue read and extracted, its record parked in the spill: what
/// deciding duplicates, ids and order needs of it.
struct SpilledIssue {
    id: String,
    publication: String,
    date: Option<Date>,
    source_path: String,
    items: usize,
    links: usize,
    mentions: usize,
    place: spill::Place,
}

/// An issue kept, with its final id.
struct KeptIssue {
    id: String,
    place: spill::Place,
}

/// The corpus read, parsed and extracted, with its records on disk:
/// what remains in memory is an id and a place per issue, so a build can
/// stream the records through in corpus order and keep only tallies.
pub struct Prepared {
    /// Every entity in force: the dictionary plus what extraction discovered.
    pub entities: BTreeMap<String, Entity>,
    pub warnings: Vec<Warning>,
    /// The issues kept, in corpus order (date, then id).
    kept: Vec<KeptIssue>,
    items: usize,
    date_range: Option<DateRange>,
    spill: spill::Spill,
}

/// How many records are decoded at once while streaming: enough to keep
/// every core busy, few enough that memory does not notice.
const CHUNK: usize = 64;

impl Prepared {
    pub fn issue_count(&self) -> usize {
        self.kept.len()
    }

    pub fn item_count(&self) -> usize {
        self.items
    }

    /// The earliest and the latest issue date, when any issue is dated.
    pub fn date_range(&self) -> Option<DateRange> {
        self.date_range
    }

    /// The records in corpus order, a chunk at a time, decoded in parallel
    /// (on the calling rayon pool).
    pub fn chunks(&self) -> impl Iterator<Item = anyhow::Result<Vec<IssueRecord>>> + '_ {
        self.kept.chunks(CHUNK).map(|chunk| {
            chunk
                .par_iter()
                .map(|kept| {
                    let mut record = self.spill.read(&kept.place)?;
                    if record.issue.id != kept.id {
                        rename_issue(&mut record, &kept.id);
                    }
                    Ok(record)
                })
                .collect()
        })
    }

    /// Every record in memory at once: for the commands that look at the
    /// corpus as a whole (`trends`, `entity`, `neighbors`).
    pub fn into_corpus(self) -> anyhow::Result<Corpus> {
        let mut records = Vec::with_capacity(self.kept.len());
        for chunk in self.chunks() {
            records.extend(chunk?);
        }
        Ok(Corpus {
            records,
            entities: self.entities,
            warnings: self.warnings,
        })
    }
}

/// Reads, parses and extracts every input file into memory.
pub fn load_corpus(options: &CorpusOptions, extractor: &Extractor) -> anyhow::Result<Corpus> {
    let pool = thread_pool(options)?;
    pool.install(|| prepare(options, extractor)?.into_corpus())
}

pub fn thread_pool(options: &CorpusOptions) -> anyhow::Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()?)
}

/// Reads, parses and extracts every input file in parallel (on the calling
/// rayon pool), parking each record in a spill file as soon as it is made:
/// a file's text and its record leave memory before the next file.
///
/// Extraction runs with the link-derived projects of the whole corpus
/// (`extract::projects`) added to the extractor's dictionary: a first
/// parallel pass reads and parses every file and keeps only counts of
/// links and words, from which the projects are decided.
pub fn prepare(options: &CorpusOptions, extractor: &Extractor) -> anyhow::Result<Prepared> {
    let discovered = read::discover(&options.inputs);
    let evidence = collect_evidence(&discovered.files, options.max_file_size);
    let decision = projects::decide(&evidence, &extractor.dictionary.entities);
    drop(evidence);
    let extended;
    let extractor = if decision.projects.is_empty() && decision.extra_urls.is_empty() {
        extractor
    } else {
        extended = Extractor::new(
            extractor
                .dictionary
                .clone()
                .with_link_derived(decision.projects, decision.extra_urls),
        );
        &extended
    };
    let progress = progress_bar(options.progress, discovered.files.len());
    let spill = spill::Spill::create()?;
    let discoveries = Mutex::new(Discoveries::default());

    let outcomes: Vec<anyhow::Result<FileOutcome>> = discovered
        .files
        .par_iter()
        .map(|path| {
            let outcome =
                process_file(path, options.max_file_size, extractor, &spill, &discoveries);
            progress.inc(1);
            outcome
        })
        .collect();
    progress.finish_and_clear();
    spill.finish_writing()?;

    let mut warnings = discovered.warnings;
    let mut issues = Vec::new();
    for outcome in outcomes {
        match outcome? {
            FileOutcome::Read {
                issue,
                warnings: file_warnings,
            } => {
                warnings.extend(file_warnings);
                issues.push(*issue);
            }
            FileOutcome::Skipped(warning) => warnings.push(warning),
        }
    }

    let issues = drop_duplicate_issues(issues, &mut warnings);
    let issues = make_ids_unique(issues);
    let date_range = DateRange::of(issues.iter().map(|issue| issue.date));
    let items = issues.iter().map(|issue| issue.items).sum();
    let mut entities: BTreeMap<String, Entity> = extractor
        .dictionary
        .entities
        .iter()
        .map(|e| (e.id.clone(), e.clone()))
        .collect();
    let discoveries = discoveries.into_inner().unwrap_or_else(|e| e.into_inner());
    discoveries.add_to(&mut entities);
    let kept = issues
        .into_iter()
        .map(|issue| KeptIssue {
            id: issue.id,
            place: issue.place,
        })
        .collect();
    Ok(Prepared {
        entities,
        warnings,
        kept,
        items,
        date_range,
        spill,
    })
}

/// The first pass: what every file's links and words say, summed. A file
/// that cannot be read or parsed says nothing here; the second pass warns.
fn collect_evidence(files: &[PathBuf], max_file_size: u64) -> projects::Evidence {
    files
        .par_iter()
        .fold(projects::Evidence::default, |mut evidence, path| {
            if let Ok(source) = read::read_source(path, max_file_size)
                && let Ok(Ok(parsed)) =
                    std::panic::catch_unwind(|| parse::parse(&source.display, &source.text))
            {
                evidence.add_issue(&parsed.issue);
            }
            evidence
        })
        .reduce(projects::Evidence::default, projects::Evidence::merge)
}

/// read → parse → extract for one file; the text is dropped on return and
/// the record goes to the spill.
fn process_file(
    path: &std::path::Path,
    max_file_size: u64,
    extractor: &Extractor,
    spill: &spill::Spill,
    discoveries: &Mutex<Discoveries>,
) -> anyhow::Result<FileOutcome> {
    let source = match read::read_source(path, max_file_size) {
        Ok(source) => source,
        Err(warning) => return Ok(FileOutcome::Skipped(warning)),
    };
    // A parser bug must cost one file, not the run.
    let parsed = std::panic::catch_unwind(|| parse::parse(&source.display, &source.text));
    let parsed = match parsed {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(warning)) => return Ok(FileOutcome::Skipped(warning)),
        Err(_) => {
            return Ok(FileOutcome::Skipped(Warning::new(
                source.display,
                "internal error while parsing; skipped (please report this file)",
            )));
        }
    };
    let mut record = extractor.extract(&parsed.issue);
    // They live on in the corpus's entity table; the spill need not carry them.
    let discovered = std::mem::take(&mut record.discovered);
    if !discovered.is_empty() {
        let mut discoveries = discoveries.lock().unwrap_or_else(|e| e.into_inner());
        for entity in &discovered {
            discoveries.add(entity);
        }
    }
    let place = spill.write(&record)?;
    let mut problems = source.warnings;
    problems.extend(parsed.warnings);
    Ok(FileOutcome::Read {
        issue: Box::new(SpilledIssue {
            id: record.issue.id,
            publication: record.issue.publication,
            date: record.issue.date,
            source_path: record.issue.source_path,
            items: record.items.len(),
            links: record.issue.links,
            mentions: record.mentions.len(),
            place,
        }),
        warnings: one_warning(&source.display, problems).into_iter().collect(),
    })
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
    issues: Vec<SpilledIssue>,
    warnings: &mut Vec<Warning>,
) -> Vec<SpilledIssue> {
    let mut by_key: BTreeMap<(String, Date), SpilledIssue> = BTreeMap::new();
    let mut kept = Vec::new();
    for spilled in issues {
        let Some(date) = spilled.date else {
            kept.push(spilled);
            continue;
        };
        let key = (spilled.publication.clone(), date);
        match by_key.remove(&key) {
            None => {
                by_key.insert(key, spilled);
            }
            Some(other) => {
                let (richer, poorer) = if richness(&spilled) > richness(&other) {
                    (spilled, other)
                } else {
                    (other, spilled)
                };
                warnings.push(Warning::new(
                    poorer.source_path.clone(),
                    format!(
                        "same issue as {} ({} of {date}); counted once, kept {}",
                        richer.source_path, richer.publication, richer.source_path
                    ),
                ));
                by_key.insert(key, richer);
            }
        }
    }
    kept.extend(by_key.into_values());
    kept.sort_by(|a, b| (a.date, &a.id, &a.source_path).cmp(&(b.date, &b.id, &b.source_path)));
    kept
}

/// More items, then more links, then more mentions; ties go to the path
/// that sorts first, so the choice never depends on thread timing.
fn richness(spilled: &SpilledIssue) -> (usize, usize, usize, std::cmp::Reverse<&str>) {
    (
        spilled.items,
        spilled.links,
        spilled.mentions,
        std::cmp::Reverse(spilled.source_path.as_str()),
    )
}

/// Two different files can derive the same id (two undated issues with the
/// same file stem in different folders); later ones get a suffix. Only the
/// id is renamed here; the record follows when it is read back.
fn make_ids_unique(mut issues: Vec<SpilledIssue>) -> Vec<SpilledIssue> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for spilled in &mut issues {
        let id = &mut spilled.id;
        let count = seen.entry(id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            *id = format!("{id}-{count}");
        }
    }
    issues
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

/// The entities the text defined (KEPs, PRs) that no dictionary lists.
/// Where several issues describe one KEP, the fullest description wins,
/// decided by content so the result is the same whatever the order the
/// files were read in.
#[derive(Default)]
struct Discoveries {
    by_id: FxHashMap<String, Discovered>,
}

struct Discovered {
    /// The fullest description: longest name, then the smallest name and SIG.
    best: Entity,
    /// The fullest description that names a SIG, for when `best` does not.
    best_with_sig: Option<Entity>,
}

/// Smaller is fuller.
fn fullness(entity: &Entity) -> (std::cmp::Reverse<usize>, &str, &str) {
    (
        std::cmp::Reverse(entity.name.len()),
        &entity.name,
        &entity.sig,
    )
}

impl Discoveries {
    fn add(&mut self, entity: &Entity) {
        let with_sig = (!entity.sig.is_empty()).then(|| entity.clone());
        match self.by_id.get_mut(&entity.id) {
            None => {
                self.by_id.insert(
                    entity.id.clone(),
                    Discovered {
                        best: entity.clone(),
                        best_with_sig: with_sig,
                    },
                );
            }
            Some(known) => {
                if fullness(entity) < fullness(&known.best) {
                    known.best = entity.clone();
                }
                if !entity.sig.is_empty()
                    && known
                        .best_with_sig
                        .as_ref()
                        .is_none_or(|b| fullness(entity) < fullness(b))
                {
                    known.best_with_sig = with_sig;
                }
            }
        }
    }

    /// The dictionary's own entries are never replaced.
    fn add_to(self, entities: &mut BTreeMap<String, Entity>) {
        for (id, discovered) in self.by_id {
            if entities.contains_key(&id) {
                continue;
            }
            let mut entity = discovered.best;
            if entity.sig.is_empty()
                && let Some(with_sig) = discovered.best_with_sig
            {
                entity.sig = with_sig.sig;
            }
            entities.insert(id, entity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn kep(name: &str, sig: &str) -> Entity {
        Entity {
            id: "kep:2091".to_string(),
            name: name.to_string(),
            kind: EntityKind::Kep,
            aliases: Vec::new(),
            urls: Vec::new(),
            category: String::new(),
            cncf: String::new(),
            match_rule: Default::default(),
            sig: sig.to_string(),
            source: Default::default(),
        }
    }

    /// Files finish in any order; the KEP's description must not depend on it.
    #[test]
    fn the_fullest_description_wins_whatever_the_order() {
        let described = [
            kep("KEP-2091", ""),
            kep("KEP-2091: Add support for AdminNetworkPolicy resources", ""),
            kep("KEP-2091: AdminNetworkPolicy", "network"),
            kep(
                "KEP-2091: Add support for AdminNetworkPolicy resourcez",
                "apps",
            ),
        ];
        let mut results = Vec::new();
        for rotation in 0..described.len() {
            let mut discoveries = Discoveries::default();
            for i in 0..described.len() {
                discoveries.add(&described[(i + rotation) % described.len()]);
            }
            let mut entities = BTreeMap::new();
            discoveries.add_to(&mut entities);
            results.push(entities["kep:2091"].clone());
        }
        // Longest name, then the smaller one; with no SIG of its own, the
        // SIG of the fullest description that has one.
        assert_eq!(
            results[0].name,
            "KEP-2091: Add support for AdminNetworkPolicy resources"
        );
        assert_eq!(results[0].sig, "apps");
        assert!(results.iter().all(|e| *e == results[0]));
    }

    #[test]
    fn a_dictionary_entry_is_never_replaced_by_a_discovery() {
        let mut entities = BTreeMap::new();
        entities.insert("kep:2091".to_string(), kep("From the dictionary", ""));
        let mut discoveries = Discoveries::default();
        discoveries.add(&kep(
            "KEP-2091: a much longer name from the text",
            "network",
        ));
        discoveries.add_to(&mut entities);
        assert_eq!(entities["kep:2091"].name, "From the dictionary");
        assert_eq!(entities["kep:2091"].sig, "");
    }

    /// Two undated issues with the same file stem get distinct ids, and
    /// the renamed record's mentions and links follow it out of the spill.
    #[test]
    fn records_come_back_from_the_spill_in_order_and_renamed() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["one/notes", "two/notes"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            std::fs::write(
                dir.path().join(folder).join("notes.md"),
                "# Notes\n\n## News\n\n### MOCO v0.13.0\n\nhttps://github.com/cybozu-go/moco\n",
            )
            .unwrap();
        }
        let options = CorpusOptions {
            inputs: vec![dir.path().to_path_buf()],
            jobs: Some(2),
            ..CorpusOptions::default()
        };
        let extractor = Extractor::new(crate::extract::Dictionary::load(true, &[], None).unwrap());
        let corpus = load_corpus(&options, &extractor).unwrap();
        let ids: Vec<&str> = corpus.records.iter().map(|r| r.issue.id.as_str()).collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(format!("{}-2", ids[0]), ids[1]);
        let renamed = &corpus.records[1];
        assert!(!renamed.mentions.is_empty());
        assert!(renamed.mentions.iter().all(|m| m.issue_id == ids[1]));
        assert!(renamed.links.iter().all(|l| l.issue_id == ids[1]));
        assert_eq!(renamed.items[0].id, format!("{}#1", ids[1]));
    }
}
