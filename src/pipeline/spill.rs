//! The spill: extracted records parked on disk between extraction (in
//! whatever order the threads finish) and the stages after it (in corpus
//! order). Memory then holds one summary per issue instead of every
//! mention, link and item of the corpus.
//!
//! The first records are parked in memory instead, while the texts they
//! came from add up to no more than a budget
//! ([`super::KEEP_RECORD_BYTES`]): a corpus that small never pays for
//! encoding and decoding.
//!
//! The file is anonymous (unlinked at creation, in `$TMPDIR`), so the
//! operating system removes it whatever way the process ends. Records are
//! LZ4-compressed: on a gigabyte corpus the
//! spill then leaves room in the page cache for the input and the outputs,
//! and reading it back costs less than it saves.

use std::fs::File;
use std::io::Write;
use std::sync::Mutex;

use anyhow::Context;

use crate::model::IssueRecord;

/// Where one record is in the spill.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Disk {
        offset: u64,
        len: u64,
    },
    /// An index into the records kept in memory.
    Memory(usize),
}

pub struct Spill {
    /// Appends go through one buffered writer; reads use positioned reads
    /// on the same file and never move its cursor.
    writer: Mutex<Appender>,
    file: File,
    /// Each is taken out by the one read of its place.
    in_memory: Mutex<Vec<Option<IssueRecord>>>,
    /// Bytes of text whose records may still be kept in memory.
    memory_left: std::sync::atomic::AtomicU64,
}

struct Appender {
    out: std::io::BufWriter<File>,
    end: u64,
}

impl Spill {
    /// Records of up to `memory_budget` bytes of text are kept in memory.
    pub fn create(memory_budget: u64) -> anyhow::Result<Spill> {
        let file = tempfile::tempfile()
            .context("cannot create a temporary file for the records (set TMPDIR to a folder with free space)")?;
        let out = std::io::BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(Spill {
            writer: Mutex::new(Appender { out, end: 0 }),
            file,
            in_memory: Mutex::new(Vec::new()),
            memory_left: std::sync::atomic::AtomicU64::new(memory_budget),
        })
    }

    /// Parks the record of `text_bytes` of text: in memory while the
    /// budget lasts, else on disk. Encodes outside the lock, so threads
    /// only queue for the copy.
    pub fn park(&self, record: IssueRecord, text_bytes: u64) -> anyhow::Result<Place> {
        use std::sync::atomic::Ordering::Relaxed;
        let fits = self
            .memory_left
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(text_bytes))
            .is_ok();
        if fits {
            let mut kept = self.in_memory.lock().unwrap_or_else(|e| e.into_inner());
            kept.push(Some(record));
            return Ok(Place::Memory(kept.len() - 1));
        }
        let encoded =
            postcard::to_stdvec(&record).context("cannot encode a record for the spill")?;
        let bytes = lz4_flex::compress_prepend_size(&encoded);
        let mut appender = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        appender
            .out
            .write_all(&bytes)
            .context("cannot write to the temporary file (is $TMPDIR full?)")?;
        let offset = appender.end;
        appender.end += bytes.len() as u64;
        Ok(Place::Disk {
            offset,
            len: bytes.len() as u64,
        })
    }

    /// Only after [`Spill::finish_writing`], and once per place: a record
    /// kept in memory is handed over, not copied.
    pub fn read(&self, place: &Place) -> anyhow::Result<IssueRecord> {
        let (offset, len) = match *place {
            Place::Disk { offset, len } => (offset, len),
            Place::Memory(index) => {
                let mut kept = self.in_memory.lock().unwrap_or_else(|e| e.into_inner());
                return kept
                    .get_mut(index)
                    .and_then(Option::take)
                    .context("a record kept in memory was read twice (a bug)");
            }
        };
        let mut bytes = vec![0; len as usize];
        read_at(&self.file, &mut bytes, offset).context("cannot read back the temporary file")?;
        let decoded = lz4_flex::decompress_size_prepended(&bytes)
            .context("the temporary file holds a damaged record")?;
        postcard::from_bytes(&decoded).context("the temporary file holds a damaged record")
    }

    /// Puts every record written so far in the file, for [`Spill::read`].
    pub fn finish_writing(&self) -> anyhow::Result<()> {
        let mut appender = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        appender
            .out
            .flush()
            .context("cannot write to the temporary file (is $TMPDIR full?)")
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Dictionary, Extractor};

    fn record(text: &str) -> IssueRecord {
        let parsed = crate::parse::parse("notes/2022-09-16.md", text).unwrap();
        let extractor = Extractor::new(Dictionary::load(true, &[], None).unwrap());
        extractor.extract(&parsed.issue)
    }

    #[test]
    fn records_read_back_equal_in_any_order() {
        // Both records fit a budget of 1,000 bytes; neither fits one of 0.
        for budget in [0, 1000] {
            let spill = Spill::create(budget).unwrap();
            let first = record(
                "# Weekly 2022-09-16\n\n## News\n\n### MOCO v0.13.0\n\nMOCO と MySQL 8.0.30。https://github.com/cybozu-go/moco\n",
            );
            let second = record(
                "# Weekly 2022-09-23\n\n## Articles\n\n### KEP-2091\n\nhttps://github.com/kubernetes/enhancements/issues/2091 Argo CD\n",
            );
            let first_place = spill.park(first.clone(), 100).unwrap();
            let second_place = spill.park(second.clone(), 100).unwrap();
            spill.finish_writing().unwrap();
            assert_eq!(
                matches!(first_place, Place::Memory(_)),
                budget > 0,
                "{first_place:?}"
            );
            assert_eq!(spill.read(&second_place).unwrap(), second);
            assert_eq!(spill.read(&first_place).unwrap(), first);
            assert!(!first.mentions.is_empty() && !second.links.is_empty());
        }
    }

    #[test]
    fn a_record_kept_in_memory_is_read_once() {
        let spill = Spill::create(1000).unwrap();
        let place = spill
            .park(record("# Weekly 2022-09-16\n\n## News\n\n### Coil\n"), 30)
            .unwrap();
        spill.finish_writing().unwrap();
        assert!(spill.read(&place).is_ok());
        let again = spill.read(&place).unwrap_err().to_string();
        assert!(again.contains("read twice"), "{again}");
    }
}
