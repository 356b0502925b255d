//! One criterion benchmark per pipeline stage, on the LWKD corpus in
//! `../shared` with the CNCF landscape loaded (as `scripts/bench` runs
//! `build`): parse, extract, graph, trends, export. Skipped with a notice
//! where ../shared is missing.
//!
//!     cargo bench --bench stages
//!     cargo bench --bench stages -- extract     # one stage

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::graph::GraphOptions;
use weeklygraph::model::{Corpus, Issue};
use weeklygraph::pipeline::{CorpusOptions, load_corpus};
use weeklygraph::summary::{Summary, SummaryOptions};
use weeklygraph::trends::Period;
use weeklygraph::{export, parse, read};

fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    path.exists().then_some(path)
}

/// The LWKD posts' texts, read once: reading is the file system's cost.
fn lwkd_texts(corpus: &Path) -> Vec<(String, String)> {
    read::discover(&[corpus.to_path_buf()])
        .files
        .iter()
        .filter_map(|path| read::read_source(path, read::DEFAULT_MAX_FILE_SIZE).ok())
        .map(|source| (source.display, source.text))
        .collect()
}

fn parse_all(texts: &[(String, String)]) -> Vec<Issue> {
    texts
        .iter()
        .filter_map(|(path, text)| parse::parse(path, text).ok())
        .map(|parsed| parsed.issue)
        .collect()
}

fn stages(c: &mut Criterion) {
    let (Some(corpus_dir), Some(landscape)) =
        (shared("corpus/lwkd"), shared("landscape/landscape.yml"))
    else {
        eprintln!("benches/stages: ../shared is missing; skipped");
        return;
    };
    let texts = lwkd_texts(&corpus_dir);
    let bytes: u64 = texts.iter().map(|(_, text)| text.len() as u64).sum();
    let dictionary = || Dictionary::load(true, &[], Some(&landscape)).expect("landscape loads");
    let extractor = Extractor::new(dictionary());
    let issues = parse_all(&texts);
    let corpus: Corpus = load_corpus(
        &CorpusOptions {
            inputs: vec![corpus_dir.clone()],
            jobs: Some(1),
            ..CorpusOptions::default()
        },
        &extractor,
    )
    .expect("LWKD loads");

    let mut group = c.benchmark_group("lwkd");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse", |b| b.iter(|| parse_all(&texts)));
    group.bench_function("extract", |b| {
        b.iter(|| {
            issues
                .iter()
                .map(|issue| extractor.extract(issue))
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("dictionary+automaton", |b| {
        b.iter(|| Extractor::new(dictionary()))
    });
    group.bench_function("graph", |b| {
        b.iter(|| weeklygraph::graph::build(&corpus, &GraphOptions::default()))
    });
    group.bench_function("trends", |b| {
        b.iter(|| weeklygraph::trends::compute(&corpus, Period::Month))
    });
    // Export alone: every file written from a summary made once.
    let summary = Summary::of(&corpus, &SummaryOptions::default());
    let (graph, trends) = (&summary.graph, &summary.trends);
    let folder = tempfile::tempdir().expect("temporary folder");
    let file = |name: &str| folder.path().join(name);
    group.bench_function("export", |b| {
        b.iter(|| -> anyhow::Result<()> {
            use export::{csv, dot, graphml, json, report_html, report_md};
            let mut tables = csv::RecordTables::create(folder.path(), Default::default())?;
            let entities = weeklygraph::model::EntityLookup::new(&corpus.entities);
            tables.append(&corpus.records, &entities)?;
            tables.finish()?;
            csv::write_entities(&file("entities.csv"), &summary)?;
            csv::write_candidates(&file("candidates.csv"), &summary.candidates)?;
            csv::write_nodes(&file("nodes.csv"), graph)?;
            csv::write_edges(&file("edges.csv"), graph)?;
            graphml::write_graphml(&file("graph.graphml"), graph)?;
            json::write_json(&file("graph.json"), graph)?;
            dot::write_dot(&file("graph.dot"), graph, &summary.mentioned)?;
            csv::write_trends(&file("trends.csv"), trends)?;
            csv::write_periods(&file("periods.csv"), trends)?;
            report_md::write_report_md(&file("report.md"), &summary.issues, trends)?;
            report_html::write_report_html(&file("report.html"), &summary.issues, trends, None)?;
            Ok(())
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
