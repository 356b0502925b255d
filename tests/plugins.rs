//! A build's outputs and record sinks are plug-ins: an output added to the
//! standard ones sees every record, in corpus order, and writes its file
//! beside the others.

use std::path::Path;

use weeklygraph::export::{Output, OutputContext, OutputOptions, Registry};
use weeklygraph::extract::{Dictionary, Extractor};
use weeklygraph::model::EntityLookup;
use weeklygraph::pipeline::{self, BuildOptions, CorpusOptions};
use weeklygraph::sink::{RecordChunk, RecordSink};
use weeklygraph::summary::Summary;

/// The issues of data/sample in corpus order (by date, then id).
const SAMPLE_ISSUES: [&str; 26] = [
    "neco-weekly-2023-01-13",
    "neco-weekly-2023-02-10",
    "lwkd-2023-03-13",
    "neco-weekly-2023-05-12",
    "neco-weekly-2023-06-02",
    "neco-weekly-2023-08-25",
    "this-week-in-rust-2023-09-06",
    "lwkd-2023-09-11",
    "neco-weekly-2023-10-13",
    "neco-weekly-2023-11-10",
    "neco-weekly-2023-12-08",
    "lwkd-2024-01-15",
    "neco-weekly-2024-02-16",
    "lwkd-2024-03-11",
    "neco-weekly-2024-03-22",
    "tool-digest-2024-04-05",
    "tool-digest-2024-04-12",
    "cluster-weekly-2024-05-17",
    "cluster-weekly-2024-05-31",
    "mesh-monthly-2024-07-01",
    "mesh-monthly-2024-08-01",
    "ops-letter-2024-09-02",
    "ops-letter-2024-09-09",
    "platform-notes-2024-09-13",
    "platform-notes-2024-09-20",
    "platform-notes-2024-10-04",
];

/// Writes issue-log.txt: one line per record it was given, then the
/// totals, then how many entities the summary holds.
#[derive(Default)]
struct IssueLog {
    issues: Vec<String>,
    items: usize,
    mentions: usize,
    finished: bool,
}

impl RecordSink for IssueLog {
    fn add(&mut self, records: &RecordChunk, entities: &EntityLookup<'_>) -> anyhow::Result<()> {
        assert!(!self.finished, "records after finish");
        for record in records.iter() {
            assert!(
                record
                    .mentions
                    .iter()
                    .all(|m| entities.contains_key(&m.entity_id))
            );
            self.issues.push(record.issue.id.clone());
            self.items += record.items.len();
            self.mentions += record.mentions.len();
        }
        Ok(())
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        self.finished = true;
        Ok(())
    }
}

impl Output for IssueLog {
    fn name(&self) -> &str {
        "issue log"
    }

    fn files(&self) -> Vec<&str> {
        vec!["issue-log.txt"]
    }

    fn sink(&mut self) -> Option<&mut dyn RecordSink> {
        Some(self)
    }

    fn write(&mut self, summary: &Summary, context: &OutputContext) -> anyhow::Result<()> {
        assert!(self.finished, "written before the sinks finished");
        let mut text = self.issues.join("\n");
        text.push_str(&format!(
            "\nitems {} mentions {} entities mentioned {}\n",
            self.items,
            self.mentions,
            summary.mentioned.len()
        ));
        std::fs::write(context.file("issue-log.txt"), text)?;
        Ok(())
    }
}

fn build_sample(target: &Path, jobs: usize, outputs: &OutputOptions, extra: Vec<Box<dyn Output>>) {
    let corpus_options = CorpusOptions {
        jobs: Some(jobs),
        ..CorpusOptions::default()
    };
    let options = BuildOptions {
        outputs: outputs.clone(),
        ..BuildOptions::default()
    };
    let extractor = Extractor::new(Dictionary::load(true, &[], None).unwrap());
    let pool = pipeline::thread_pool(&corpus_options).unwrap();
    pool.install(|| {
        let prepared = pipeline::prepare(&corpus_options, &extractor).unwrap();
        pipeline::build_with(prepared, &options, target, extra).unwrap();
    });
}

#[test]
fn an_added_output_sees_every_record_in_corpus_order() {
    for jobs in [1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        build_sample(
            &out,
            jobs,
            &OutputOptions::default(),
            vec![Box::new(IssueLog::default())],
        );
        let log = std::fs::read_to_string(out.join("issue-log.txt")).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines[..26], SAMPLE_ISSUES, "--jobs {jobs}");
        // As items.csv and mentions.csv count them (less their headers),
        // and entities.csv.
        assert_eq!(
            lines[26..],
            ["items 122 mentions 348 entities mentioned 123"],
            "--jobs {jobs}"
        );
        // The standard outputs are there beside it.
        let issues_csv = std::fs::read_to_string(out.join("issues.csv")).unwrap();
        assert_eq!(issues_csv.lines().count(), 27);
    }
}

/// The optional outputs are there when the options put them in the
/// registry, and each output writes the files it says it writes.
#[test]
fn every_file_an_output_lists_is_written() {
    let everything = OutputOptions {
        sqlite: true,
        knowledge: true,
        ..OutputOptions::default()
    };
    for (options, files) in [(OutputOptions::default(), 16), (everything, 19)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        build_sample(&out, 2, &options, Vec::new());
        let registry = Registry::for_build(
            &options,
            &Default::default(),
            &Default::default(),
            dir.path(),
        )
        .unwrap();
        let mut listed: Vec<&str> = registry.outputs().flat_map(|o| o.files()).collect();
        listed.sort_unstable();
        let mut written: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != weeklygraph::export::MARKER_FILE)
            .collect();
        written.sort_unstable();
        assert_eq!(listed, written);
        assert_eq!(listed.len(), files);
    }
}

/// An output that would overwrite another's file is refused.
#[test]
fn two_outputs_may_not_write_one_file() {
    struct Impostor;
    impl Output for Impostor {
        fn name(&self) -> &str {
            "impostor"
        }
        fn files(&self) -> Vec<&str> {
            vec!["report.md"]
        }
        fn write(&mut self, _: &Summary, _: &OutputContext) -> anyhow::Result<()> {
            Ok(())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut registry = Registry::for_build(
        &OutputOptions::default(),
        &Default::default(),
        &Default::default(),
        dir.path(),
    )
    .unwrap();
    let error = registry.add(Box::new(Impostor)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "trend report (Markdown) and impostor both write report.md"
    );
}
