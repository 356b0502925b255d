//! The batch pipeline: read → parse → extract every input file in parallel
//! ([`prepare`]), parking each record in a spill file; then decide which
//! issues count and in what order, and hand the records back in corpus
//! order a chunk at a time ([`Prepared::chunks`]) — or all at once as a
//! [`Corpus`] for the commands that need the whole corpus in memory.
//! [`build`] streams them into the record sinks and hands the summary to
//! the outputs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::constants::{Constants, DocumentFrequencies};
use crate::entity_ids::EntityIds;
use crate::extract::boilerplate::{Boilerplate, Placing};
use crate::extract::{Extractor, projects};
use crate::model::{Corpus, Date, DateRange, Entity, EntityTable, IssueRecord, Warning};
use crate::{parse, read};

mod drive;
pub mod progress;
mod spill;

pub use drive::{BuildOptions, build, build_with};
pub use progress::Progress;

/// Where to read from and how.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    pub inputs: Vec<PathBuf>,
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
    pub max_file_size: u64,
    /// `--publication`: every issue's publication, whatever it says.
    pub publication: Option<String>,
    /// `--base-url`: the site the issues are published on.
    pub base_url: Option<String>,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            inputs: vec![PathBuf::from("data/sample")],
            jobs: None,
            progress: false,
            max_file_size: read::DEFAULT_MAX_FILE_SIZE,
            publication: None,
            base_url: None,
        }
    }
}

/// What one file became. A read file's record is already in the spill;
/// only what deciding duplicates, ids and order needs stays in memory.
enum FileOutcome {
    Read {
        issues: Vec<SpilledIssue>,
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
    /// The distinct entities the issue names, interned: for the document
    /// frequencies behind [`Constants`].
    named: Vec<u32>,
    place: spill::Place,
    /// What deciding its publication and settling its date need.
    title: String,
    folder: String,
    named_publication: Option<String>,
    number: Option<u32>,
    day_month: Option<parse::metadata::DayMonth>,
    order_shown: Option<parse::metadata::Order>,
}

/// An issue kept, with its final id, publication and date.
struct KeptIssue {
    id: String,
    publication: String,
    date: Option<Date>,
    place: spill::Place,
}

/// The corpus read, parsed and extracted, with its records on disk:
/// what remains in memory is an id and a place per issue, so a build can
/// stream the records through in corpus order and keep only tallies.
pub struct Prepared {
    /// Every entity in force: the dictionary plus what extraction discovered.
    pub entities: EntityTable,
    pub warnings: Vec<Warning>,
    /// What is worth telling but is no problem: folders not searched on
    /// purpose, pages that are not issues, how a publication's dates in
    /// numbers were read.
    pub notices: Vec<Warning>,
    /// What every issue of each publication is about, decided from the
    /// issues kept.
    pub constants: Constants,
    /// The issues kept, in corpus order (date, then id).
    kept: Vec<KeptIssue>,
    items: usize,
    date_range: Option<DateRange>,
    spill: spill::Spill,
    /// The bar `prepare` drew, for the phases that follow.
    pub progress: Progress,
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
                    if record.issue.publication != kept.publication {
                        record.issue.publication.clone_from(&kept.publication);
                    }
                    if record.issue.date != kept.date {
                        redate_issue(&mut record, kept.date);
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
        self.progress
            .counted("decoding records", self.kept.len(), "issues");
        for chunk in self.chunks() {
            let chunk = chunk?;
            self.progress.advance(chunk.len());
            records.extend(chunk);
        }
        self.progress.finish();
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
    use progress::timed;
    let progress = Progress::new(options.progress);
    progress.phase("finding files");
    let discovered = read::discover(&options.inputs);
    progress.counted(
        "reading (1 of 2: links and template lines)",
        discovered.files.len(),
        "files",
    );
    let (evidence, parsed_files) =
        collect_evidence(&discovered.files, options.max_file_size, &progress);
    progress.phase("deciding link-derived projects and template lines");
    // Between the passes nothing else is on the pool: the two decisions
    // are made side by side, and the evidence is freed while the lookups
    // are built.
    let (decision, boilerplate) = rayon::join(
        || projects::decide(&evidence, &extractor.dictionary.entities),
        || Boilerplate::decide(&evidence.lines, options.publication.as_deref()),
    );
    let extended;
    let extractor = if decision.projects.is_empty()
        && decision.extra_urls.is_empty()
        && decision.type_names.is_empty()
    {
        extractor
    } else {
        extended = Extractor::with_type_names(
            extractor
                .dictionary
                .clone()
                .with_link_derived(decision.projects, decision.extra_urls),
            &decision.type_names,
        );
        &extended
    };
    rayon::join(|| drop(evidence), || extractor.build_lookups());
    progress.counted(
        "reading (2 of 2: entities)",
        discovered.files.len(),
        "files",
    );
    let spill = spill::Spill::create(KEEP_RECORD_BYTES)?;
    // One per worker thread, as in the first pass.
    let discoveries: Vec<Mutex<Discoveries>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::default())
        .collect();
    let interner = Mutex::new(EntityIds::default());
    let sites = read::site::Sites::new(&options.inputs, options.base_url.as_deref());

    let outcomes: Vec<anyhow::Result<FileOutcome>> = discovered
        .files
        .par_iter()
        .zip(parsed_files.into_par_iter())
        .map(|(path, parsed_already)| {
            let outcome = process_file(
                path,
                parsed_already,
                options.max_file_size,
                extractor,
                &boilerplate,
                &spill,
                &discoveries,
                &interner,
                &sites,
            );
            progress.step();
            outcome
        })
        .collect();
    progress.phase("deciding publications, dates and constants");
    spill.finish_writing()?;

    let mut warnings = discovered.warnings;
    let mut issues = Vec::new();
    for outcome in outcomes {
        match outcome? {
            FileOutcome::Read {
                issues: file_issues,
                warnings: file_warnings,
            } => {
                warnings.extend(file_warnings);
                issues.extend(file_issues);
            }
            FileOutcome::Skipped(warning) => warnings.push(warning),
        }
    }

    // Folders skipped on purpose (hidden, output folders) come first.
    let mut notices = discovered.notes;
    let discoveries: Vec<Discoveries> = discoveries
        .into_iter()
        .map(|part| part.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    // The entity table, tens of thousands of entries where a corpus names
    // many pull requests, is built while the issues are decided.
    let (entities, (issues, constants)) = rayon::join(
        || {
            timed("entity table", || {
                Discoveries::into_table(discoveries, &extractor.dictionary.entities)
            })
        },
        || {
            let issues = timed("publications", || {
                decide_publications(
                    issues,
                    options.publication.as_deref(),
                    &mut notices,
                    &mut warnings,
                )
            });
            let issues = drop_duplicate_issues(issues, &mut warnings);
            let issues = make_ids_unique(issues, &mut warnings);
            let constants = timed("constants", || decide_constants(&issues, interner));
            (issues, constants)
        },
    );
    let date_range = DateRange::of(issues.iter().map(|issue| issue.date));
    let items = issues.iter().map(|issue| issue.items).sum();
    let kept = issues
        .into_iter()
        .map(|issue| KeptIssue {
            id: issue.id,
            publication: issue.publication,
            date: issue.date,
            place: issue.place,
        })
        .collect();
    Ok(Prepared {
        entities,
        warnings,
        notices,
        constants,
        kept,
        items,
        date_range,
        spill,
        progress,
    })
}

/// The constants of the issues kept. The keys depend on which thread read
/// which file first, but the decision is made on the ids they stand for.
fn decide_constants(issues: &[SpilledIssue], interner: Mutex<EntityIds>) -> Constants {
    let interner = interner.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut frequencies = DocumentFrequencies::default();
    for issue in issues.iter().filter(|issue| issue.date.is_some()) {
        frequencies.add_issue(&issue.publication, issue.named.iter().copied());
    }
    frequencies.decide(|key| interner.id(key))
}

/// The first pass keeps the files it parsed for the second while their
/// texts add up to no more than this: a corpus this small is parsed once,
/// a larger one is parsed again file by file rather than held in memory.
pub const KEEP_PARSED_BYTES: u64 = 32 << 20;

/// The records of the first files kept parsed stay in memory, not in the
/// spill, while those files' texts add up to no more than this. A record
/// takes about twice its text's bytes, so the budget is kept small: it
/// spares a newsletter's whole history (a few MB) the spill's encoding and
/// decoding, and costs a large corpus a few MB.
pub const KEEP_RECORD_BYTES: u64 = 8 << 20;

/// A file as the first pass read and parsed it.
struct ParsedFile {
    display: String,
    /// The length of the file's text.
    bytes: u64,
    /// Problems that did not stop the file from being read.
    warnings: Vec<Warning>,
    parsed: Result<Vec<parse::Parsed>, Warning>,
}

impl ParsedFile {
    fn read(path: &std::path::Path, max_file_size: u64) -> Result<ParsedFile, Warning> {
        let source = read::read_source(path, max_file_size)?;
        // A parser bug must cost one file, not the run.
        let parsed = std::panic::catch_unwind(|| parse::parse_all(&source.display, &source.text))
            .unwrap_or_else(|_| {
                Err(Warning::new(
                    source.display.clone(),
                    "internal error while parsing; skipped (please report this file)",
                ))
            });
        Ok(ParsedFile {
            display: source.display,
            bytes: source.text.len() as u64,
            warnings: source.warnings,
            parsed,
        })
    }
}

/// What one worker thread of [`collect_evidence`] has counted and kept.
#[derive(Default)]
struct ThreadEvidence {
    evidence: projects::Evidence,
    kept: Vec<(usize, ParsedFile)>,
}

/// The first pass: what every file's links and words say, summed, and
/// the files parsed, while they fit in [`KEEP_PARSED_BYTES`] (by index in
/// `files`). A file that cannot be read or parsed says nothing here; the
/// second pass warns.
fn collect_evidence(
    files: &[PathBuf],
    max_file_size: u64,
    progress: &Progress,
) -> (projects::Evidence, Vec<Option<ParsedFile>>) {
    let budget = std::sync::atomic::AtomicU64::new(KEEP_PARSED_BYTES);
    // One tally per worker thread, not one per split of the work: merging
    // two tallies costs as much as their distinct words, and rayon splits
    // a few hundred files into many more pieces than it has threads.
    let per_thread: Vec<Mutex<ThreadEvidence>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::default())
        .collect();
    files.par_iter().enumerate().for_each(|(index, path)| {
        progress.step();
        let Ok(file) = ParsedFile::read(path, max_file_size) else {
            return;
        };
        let slot = rayon::current_thread_index().unwrap_or(0) % per_thread.len();
        // Only this thread takes this lock: it never waits.
        let mut mine = per_thread[slot].lock().unwrap_or_else(|e| e.into_inner());
        let fits = budget
            .fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |left| left.checked_sub(file.bytes),
            )
            .is_ok();
        if let Ok(parsed) = &file.parsed {
            let folder = parse::metadata::folder_name(&file.display);
            for parsed in parsed {
                // A file kept has its written words counted once the
                // words worth counting are known; one parsed again later
                // has all of them counted now.
                if fits {
                    mine.evidence.add_all_but_written_words(&parsed.issue);
                } else {
                    mine.evidence.add_issue(&parsed.issue);
                }
                let placing = Placing {
                    folder: &folder,
                    named: parsed.named_publication.as_deref(),
                    dated: parsed.day_month.is_some(),
                };
                mine.evidence.lines.add_issue(&parsed.issue, placing);
            }
        }
        if fits {
            mine.kept.push((index, file));
        }
    });
    let mut parsed = Vec::new();
    let evidence = progress::timed("first pass: merging the threads' evidence", || {
        let mut evidence = projects::Evidence::default();
        for slot in per_thread {
            let ThreadEvidence {
                evidence: theirs,
                kept,
            } = slot.into_inner().unwrap_or_else(|e| e.into_inner());
            evidence = evidence.merge(theirs);
            parsed.extend(kept);
        }
        evidence
    });
    let mut by_index: Vec<Option<ParsedFile>> = files.iter().map(|_| None).collect();
    for (index, file) in parsed {
        by_index[index] = Some(file);
    }
    let wanted = evidence.written_words_wanted();
    let written = progress::timed("first pass: written words of the files kept", || {
        by_index
            .par_iter()
            .flatten()
            .filter_map(|file| file.parsed.as_ref().ok())
            .flatten()
            .fold(projects::Evidence::default, |mut tally, parsed| {
                tally.add_written_words(&parsed.issue, Some(&wanted));
                tally
            })
            .reduce(projects::Evidence::default, projects::Evidence::merge)
    });
    (evidence.merge(written), by_index)
}

/// read → parse → extract for one file (parsed already when the first
/// pass kept it); the text is dropped on return and the record goes to
/// the spill.
// Each argument is a different piece of the run's shared state; a struct
// holding them would only rename them.
#[allow(clippy::too_many_arguments)]
fn process_file(
    path: &std::path::Path,
    parsed_already: Option<ParsedFile>,
    max_file_size: u64,
    extractor: &Extractor,
    boilerplate: &Boilerplate,
    spill: &spill::Spill,
    discoveries: &[Mutex<Discoveries>],
    interner: &Mutex<EntityIds>,
    sites: &read::site::Sites,
) -> anyhow::Result<FileOutcome> {
    let source = match parsed_already {
        Some(file) => file,
        None => match ParsedFile::read(path, max_file_size) {
            Ok(file) => file,
            Err(warning) => return Ok(FileOutcome::Skipped(warning)),
        },
    };
    let parsed = match source.parsed {
        Ok(parsed) => parsed,
        Err(warning) => return Ok(FileOutcome::Skipped(warning)),
    };
    let mut problems = source.warnings;
    let mut issues = Vec::with_capacity(parsed.len());
    for parsed in parsed {
        let mut record = extractor.extract_with(&parsed.issue, boilerplate);
        record.issue.url = sites.published_url(path, &parsed.issue);
        record.issue.path = sites.relative_path(path);
        // They live on in the corpus's entity table; the spill need not carry them.
        let discovered = std::mem::take(&mut record.discovered);
        if !discovered.is_empty() {
            let slot = rayon::current_thread_index().unwrap_or(0) % discoveries.len();
            // Only this thread takes this lock: it never waits.
            let mut mine = discoveries[slot].lock().unwrap_or_else(|e| e.into_inner());
            for entity in discovered {
                mine.add(entity);
            }
        }
        let named = {
            let ids: std::collections::BTreeSet<&str> = record
                .mentions
                .iter()
                .map(|m| m.entity_id.as_str())
                .collect();
            let mut interner = interner.lock().unwrap_or_else(|e| e.into_inner());
            let mut named: Vec<u32> = ids.into_iter().map(|id| interner.number(id)).collect();
            named.sort_unstable();
            named
        };
        problems.extend(parsed.warnings);
        issues.push(SpilledIssue {
            id: record.issue.id.clone(),
            publication: record.issue.publication.clone(),
            date: record.issue.date,
            source_path: record.issue.source_path.clone(),
            items: record.items.len(),
            links: record.issue.links,
            mentions: record.mentions.len(),
            named,
            title: record.issue.title.clone(),
            folder: parse::metadata::folder_name(&source.display),
            named_publication: parsed.named_publication,
            number: record.issue.number,
            day_month: parsed.day_month,
            order_shown: parsed.order_shown,
            // Last: the fields above are read before the record moves.
            place: spill.park(record, source.bytes)?,
        });
    }
    Ok(FileOutcome::Read {
        issues,
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

/// Decides each issue's publication from its folder's titles, skips the
/// pages that are not issues (a notice each), settles each publication's
/// dates written in numbers only (a notice per publication, a warning per
/// date nothing settles) and gives every issue its id.
fn decide_publications(
    issues: Vec<SpilledIssue>,
    forced: Option<&str>,
    notices: &mut Vec<Warning>,
    warnings: &mut Vec<Warning>,
) -> Vec<SpilledIssue> {
    use parse::corpus::{self, Decision, Settled};
    let candidates: Vec<corpus::Candidate> = issues
        .iter()
        .map(|issue| corpus::Candidate {
            folder: &issue.folder,
            title: &issue.title,
            named: issue.named_publication.as_deref(),
            dated: issue.date.is_some() || issue.day_month.is_some(),
            numbered: issue.number.is_some(),
        })
        .collect();
    let decisions = corpus::decide_publications(&candidates, forced);
    let mut kept = Vec::with_capacity(issues.len());
    for (mut issue, decision) in issues.into_iter().zip(decisions) {
        match decision {
            Decision::Publication(publication) => {
                if issue.publication != publication {
                    issue.id =
                        parse::metadata::issue_id(&publication, issue.date, &issue.source_path);
                    issue.publication = publication;
                }
                kept.push(issue);
            }
            Decision::Skip(reason) => notices.push(Warning::new(issue.source_path, reason)),
        }
    }
    // A page that is no issue has no date to miss; its other problems
    // (a broken front matter) are still worth telling.
    let skipped: BTreeSet<&str> = notices.iter().map(|n| n.path.as_str()).collect();
    let kept_paths: BTreeSet<&str> = kept.iter().map(|i| i.source_path.as_str()).collect();
    for warning in warnings.iter_mut() {
        let path = warning.path.as_str();
        if skipped.contains(path) && !kept_paths.contains(path) {
            warning.message = warning
                .message
                .replace(&format!("; {}", parse::NO_DATE), "")
                .replace(parse::NO_DATE, "");
        }
    }
    warnings.retain(|w| !w.message.is_empty());

    let mut by_publication: BTreeMap<&str, (Vec<Date>, Vec<parse::metadata::DayMonth>, Vec<_>)> =
        BTreeMap::new();
    for issue in &kept {
        let entry = by_publication.entry(&issue.publication).or_default();
        if let Some(date) = issue.date {
            entry.0.push(date);
        }
        if let Some(day_month) = issue.day_month {
            entry.1.push(day_month);
        }
        entry.2.extend(issue.order_shown);
    }
    let settled: BTreeMap<String, Settled> = by_publication
        .into_iter()
        .filter(|(_, (_, undecided, _))| !undecided.is_empty())
        .map(|(publication, (fixed, undecided, shown))| {
            (
                publication.to_string(),
                corpus::settle_day_month(&fixed, &undecided, &shown),
            )
        })
        .collect();
    for (publication, settled) in &settled {
        let how = match settled {
            Settled::ByEvidence { order, issues } => format!(
                "dates in numbers only read {}, as {issues} of its issues with a day past 12 show",
                order.describe()
            ),
            Settled::ByCadence(order) => format!(
                "dates in numbers only read {}, the order that gives the more regular cadence",
                order.describe()
            ),
            Settled::Unsettled => continue,
        };
        notices.push(Warning::new(publication.clone(), how));
    }
    for issue in &mut kept {
        if let Some(day_month) = issue.day_month {
            match settled.get(&issue.publication).and_then(|s| s.order()) {
                Some(parse::metadata::Order::MonthFirst) => {
                    issue.date = Some(day_month.month_first)
                }
                Some(parse::metadata::Order::DayFirst) => issue.date = Some(day_month.day_first),
                None => warnings.push(Warning::new(
                    issue.source_path.clone(),
                    format!(
                        "its date reads as {} or {} (day and month either way round) and no \
                         other issue of {} settles which; kept out of time series",
                        day_month.month_first, day_month.day_first, issue.publication
                    ),
                )),
            }
        }
        if issue.day_month.is_some() {
            issue.id =
                parse::metadata::issue_id(&issue.publication, issue.date, &issue.source_path);
        }
    }
    kept
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
fn make_ids_unique(
    mut issues: Vec<SpilledIssue>,
    warnings: &mut Vec<Warning>,
) -> Vec<SpilledIssue> {
    // Every id as made, so that a suffix never lands on another issue's
    // own id (`p-notes` twice beside `p-notes-2`).
    let mut taken: BTreeSet<String> = issues.iter().map(|issue| issue.id.clone()).collect();
    let mut first_holder: BTreeMap<String, String> = BTreeMap::new();
    for spilled in &mut issues {
        let Some(holder) = first_holder.get(&spilled.id) else {
            first_holder.insert(spilled.id.clone(), spilled.source_path.clone());
            continue;
        };
        let unique = (2..)
            .map(|n| format!("{}-{n}", spilled.id))
            .find(|candidate| !taken.contains(candidate))
            .expect("an unused suffix exists");
        warnings.push(Warning::new(
            spilled.source_path.clone(),
            format!(
                "issue id {} is {holder}'s already; this issue is {unique}",
                spilled.id
            ),
        ));
        taken.insert(unique.clone());
        first_holder.insert(unique.clone(), spilled.source_path.clone());
        spilled.id = unique;
    }
    issues
}

/// A date settled after extraction (a day-month order decided per
/// publication) reaches the mentions too.
fn redate_issue(record: &mut IssueRecord, date: Option<Date>) {
    record.issue.date = date;
    for mention in &mut record.mentions {
        mention.date = date;
    }
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
/// files were read in, and however the files were shared among threads.
///
/// Each worker thread keeps its own: a discovery is a hash lookup on the
/// thread that made it, not a walk down one shared ordered tree under a
/// lock (millions of pull requests in a large corpus). The parts are put in
/// id order once, at the end ([`Discoveries::into_table`]).
#[derive(Default)]
struct Discoveries {
    /// Boxed: growing the table moves a pointer, not two entities.
    by_id: rustc_hash::FxHashMap<String, Box<Discovered>>,
}

struct Discovered {
    /// The fullest description: longest name, then the smallest name and SIG.
    best: Entity,
    /// The fullest description that names a SIG, for when `best` does not.
    /// Boxed: most discoveries (pull requests) have none, and millions of
    /// them would each keep an empty entity's room.
    best_with_sig: Option<Box<Entity>>,
}

impl Discovered {
    fn new(entity: Entity) -> Discovered {
        let best_with_sig = (!entity.sig.is_empty()).then(|| Box::new(entity.clone()));
        Discovered {
            best: entity,
            best_with_sig,
        }
    }

    /// Keeps `entity` where it is fuller than what is kept.
    fn offer(&mut self, entity: Entity) {
        if !entity.sig.is_empty() {
            self.offer_with_sig(&entity);
        }
        if fullness(&entity) < fullness(&self.best) {
            self.best = entity;
        }
    }

    fn offer_with_sig(&mut self, entity: &Entity) {
        if self
            .best_with_sig
            .as_ref()
            .is_none_or(|kept| fullness(entity) < fullness(kept))
        {
            self.best_with_sig = Some(Box::new(entity.clone()));
        }
    }

    /// What `other` kept, offered to this one: the fullest of both.
    fn absorb(&mut self, other: Discovered) {
        if let Some(with_sig) = &other.best_with_sig {
            self.offer_with_sig(with_sig);
        }
        self.offer(other.best);
    }

    fn into_entity(self) -> Entity {
        let mut entity = self.best;
        if entity.sig.is_empty()
            && let Some(with_sig) = self.best_with_sig
        {
            entity.sig = with_sig.sig;
        }
        entity
    }
}

/// Smaller is fuller. Past the name and the SIG, the rest of the
/// description breaks ties: two issues may describe one pull request by
/// the same title through different links (`…/pull/52580` and
/// `…/issues/52580`), and which thread reads its file first must not
/// decide which link the table keeps.
#[allow(clippy::type_complexity)]
fn fullness(
    entity: &Entity,
) -> (
    std::cmp::Reverse<usize>,
    &str,
    &str,
    &[String],
    &[String],
    &str,
) {
    (
        std::cmp::Reverse(entity.name.len()),
        &entity.name,
        &entity.sig,
        &entity.urls,
        &entity.aliases,
        &entity.category,
    )
}

impl Discoveries {
    fn add(&mut self, entity: Entity) {
        match self.by_id.get_mut(entity.id.as_str()) {
            Some(known) => known.offer(entity),
            None => {
                self.by_id
                    .insert(entity.id.clone(), Box::new(Discovered::new(entity)));
            }
        }
    }

    /// The discoveries of every part in id order, one per id.
    fn merged(parts: Vec<Discoveries>) -> Vec<(String, Box<Discovered>)> {
        let mut all: Vec<(String, Box<Discovered>)> =
            parts.into_iter().flat_map(|part| part.by_id).collect();
        // Ids repeat only across parts, and those are absorbed below
        // whatever their order.
        all.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(String, Box<Discovered>)> = Vec::with_capacity(all.len());
        for (id, discovered) in all {
            match merged.last_mut() {
                Some((last, kept)) if *last == id => kept.absorb(*discovered),
                _ => merged.push((id, discovered)),
            }
        }
        merged
    }

    /// Every entity in force: the dictionary's, and what any part
    /// discovered under an id the dictionary does not hold. Both are walked
    /// in id order and the table is the merged run, in order already.
    fn into_table(parts: Vec<Discoveries>, dictionary: &[Entity]) -> EntityTable {
        // Of two dictionary entries with one id the later stands, as when
        // they are inserted one by one.
        let mut listed: Vec<(usize, &Entity)> = dictionary.iter().enumerate().collect();
        listed.sort_by(|a, b| a.1.id.cmp(&b.1.id).then(b.0.cmp(&a.0)));
        listed.dedup_by(|later, earlier| later.1.id == earlier.1.id);
        let mut listed = listed.into_iter().map(|(_, entity)| entity).peekable();
        let discovered = Discoveries::merged(parts);
        let mut merged: Vec<Entity> = Vec::with_capacity(dictionary.len() + discovered.len());
        for (id, discovered) in discovered {
            while let Some(entity) = listed.next_if(|entity| entity.id <= id) {
                merged.push(entity.clone());
            }
            if merged.last().is_none_or(|last| last.id != id) {
                merged.push(discovered.into_entity());
            }
        }
        merged.extend(listed.cloned());
        EntityTable::from_sorted(merged)
    }

    /// The dictionary's own entries are never replaced.
    #[cfg(test)]
    fn add_to(self, entities: &mut EntityTable) {
        for (id, discovered) in self.by_id {
            if !entities.contains_key(&id) {
                entities.insert(discovered.into_entity());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;

    fn kep(name: &str, sig: &str) -> Entity {
        Entity {
            sig: sig.to_string(),
            ..Entity::new("kep:2091", name, EntityKind::Kep)
        }
    }

    /// Four issues' descriptions of one KEP: the longest name has no SIG,
    /// and two others name different SIGs.
    fn kep_2091_described() -> [Entity; 4] {
        [
            kep("KEP-2091", ""),
            kep("KEP-2091: Add support for AdminNetworkPolicy resources", ""),
            kep("KEP-2091: AdminNetworkPolicy", "network"),
            kep(
                "KEP-2091: Add support for AdminNetworkPolicy resourcez",
                "apps",
            ),
        ]
    }

    /// Longest name, then the smaller one; with no SIG of its own, the SIG
    /// of the fullest description that has one. The same every time.
    fn assert_fullest_kep_2091(results: &[Entity]) {
        assert_eq!(
            results[0].name,
            "KEP-2091: Add support for AdminNetworkPolicy resources"
        );
        assert_eq!(results[0].sig, "apps");
        assert!(results.iter().all(|e| *e == results[0]));
    }

    /// Files finish in any order; the KEP's description must not depend on it.
    #[test]
    fn the_fullest_description_wins_whatever_the_order() {
        let described = kep_2091_described();
        let mut results = Vec::new();
        for rotation in 0..described.len() {
            let mut discoveries = Discoveries::default();
            for i in 0..described.len() {
                discoveries.add(described[(i + rotation) % described.len()].clone());
            }
            let mut entities = EntityTable::new();
            discoveries.add_to(&mut entities);
            results.push(entities["kep:2091"].clone());
        }
        assert_fullest_kep_2091(&results);
    }

    /// Threads share out the files in any way; the KEP's description must
    /// not depend on which thread's part held which description.
    #[test]
    fn the_fullest_description_wins_however_the_parts_split() {
        let described = kep_2091_described();
        let mut results = Vec::new();
        for split in 0..(1 << described.len()) {
            let mut parts = [Discoveries::default(), Discoveries::default()];
            for (i, entity) in described.iter().enumerate() {
                parts[(split >> i) & 1].add(entity.clone());
            }
            let table = Discoveries::into_table(parts.into(), &[]);
            results.push(table["kep:2091"].clone());
        }
        assert_fullest_kep_2091(&results);
    }

    /// One pull request, one title, two links: whichever issue is read
    /// first, the table keeps the same link.
    #[test]
    fn descriptions_differing_only_in_their_link_give_one_entity_whatever_the_order() {
        let described = ["issues", "pull"].map(|path| {
            let mut pull = kep(
                "rust-lang/rust#52580: Define non-panicking UTF encoding",
                "",
            );
            pull.id = "pr:rust-lang/rust#52580".to_string();
            pull.kind = EntityKind::Pr;
            pull.urls = vec![format!("https://github.com/rust-lang/rust/{path}/52580")];
            pull
        });
        for first in 0..described.len() {
            let mut discoveries = Discoveries::default();
            discoveries.add(described[first].clone());
            discoveries.add(described[1 - first].clone());
            let table = Discoveries::into_table(vec![discoveries], &[]);
            assert_eq!(
                table["pr:rust-lang/rust#52580"].urls,
                ["https://github.com/rust-lang/rust/issues/52580"]
            );
        }
    }

    /// The table built in one ordered pass is the one inserting every
    /// entry would give: the later of two dictionary entries with one id,
    /// a dictionary entry over a discovery, every other discovery.
    #[test]
    fn the_entity_table_is_the_dictionary_then_the_discoveries() {
        let dictionary = [
            kep("Zeta, listed", ""),
            kep("First of two", ""),
            kep("Second of two", ""),
        ];
        let mut dictionary = dictionary.to_vec();
        dictionary[0].id = "kep:9".to_string();
        let mut discoveries = Discoveries::default();
        let mut by_insert = Discoveries::default();
        for name in [
            "KEP-1: Alpha",
            "KEP-2091: Found in the text",
            "KEP-30: Thirty",
        ] {
            let mut found = kep(name, "node");
            found.id = format!("kep:{}", &name[4..name.find(':').unwrap_or(name.len())]);
            by_insert.add(found.clone());
            discoveries.add(found);
        }
        let table = Discoveries::into_table(vec![discoveries], &dictionary);
        let mut expected: EntityTable = dictionary.iter().cloned().collect();
        by_insert.add_to(&mut expected);
        assert_eq!(table, expected);
        let ids: Vec<&str> = table.keys().map(String::as_str).collect();
        assert_eq!(ids, ["kep:1", "kep:2091", "kep:30", "kep:9"]);
        assert_eq!(table["kep:2091"].name, "Second of two");
        assert_eq!(table["kep:30"].name, "KEP-30: Thirty");
    }

    #[test]
    fn a_dictionary_entry_is_never_replaced_by_a_discovery() {
        let mut entities = EntityTable::new();
        entities.insert(kep("From the dictionary", ""));
        let mut discoveries = Discoveries::default();
        discoveries.add(kep("KEP-2091: a much longer name from the text", "network"));
        discoveries.add_to(&mut entities);
        assert_eq!(entities["kep:2091"].name, "From the dictionary");
        assert_eq!(entities["kep:2091"].sig, "");
    }

    /// Two undated issues with the same file stem get distinct ids (a
    /// number keeps them issues), and
    /// the renamed record's mentions and links follow it out of the spill.
    #[test]
    fn records_come_back_from_the_spill_in_order_and_renamed() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["one/notes", "two/notes"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            std::fs::write(
                dir.path().join(folder).join("notes.md"),
                "# Notes 1\n\n## News\n\n### MOCO v0.13.0\n\nhttps://github.com/cybozu-go/moco\n",
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

    #[test]
    fn constants_are_decided_from_the_issues_kept_whatever_the_threads() {
        let dir = tempfile::tempdir().unwrap();
        // Each issue words its line its own way: a line every issue
        // repeats would be template text, which names nothing.
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];
        for (day, word) in (1..=6).zip(words) {
            let extra = if day == 1 { " MOCO" } else { "" };
            std::fs::write(
                dir.path().join(format!("2022-09-0{day}.md")),
                format!(
                    "# Weekly 2022-09-0{day}\n\n## News\n\n### Item\n\nKubernetes {word}{extra}\n"
                ),
            )
            .unwrap();
        }
        // The same issue twice is counted once.
        std::fs::write(
            dir.path().join("copy-2022-09-01.md"),
            "# Weekly 2022-09-01\n\n## News\n\n### Item\n\nKubernetes alpha MOCO\n",
        )
        .unwrap();
        let extractor = Extractor::new(crate::extract::Dictionary::load(true, &[], None).unwrap());
        let decide = |jobs| {
            let options = CorpusOptions {
                inputs: vec![dir.path().to_path_buf()],
                jobs: Some(jobs),
                ..CorpusOptions::default()
            };
            let pool = thread_pool(&options).unwrap();
            pool.install(|| prepare(&options, &extractor))
                .unwrap()
                .constants
        };
        let constants = decide(2);
        assert_eq!(constants, decide(1));
        let publications = constants.publications_of("tool:kubernetes");
        assert_eq!(publications.len(), 1);
        let (_, weekly) = constants.iter().next().unwrap();
        assert_eq!(weekly.issues, 6);
        assert_eq!(weekly.entities.get("tool:kubernetes"), Some(&6));
        assert!(!constants.contains("neco:moco"));
    }
}
