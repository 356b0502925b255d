//! The spill: extracted records parked on disk between extraction (in
//! whatever order the threads finish) and the stages after it (in corpus
//! order). Memory then holds one summary per issue instead of every
//! mention, link and item of the corpus.
//!
//! The file is anonymous (unlinked at creation, in `$TMPDIR`), so the
//! operating system removes it whatever way the process ends.

use std::fs::File;
use std::io::Write;
use std::sync::Mutex;

use anyhow::Context;

use crate::model::IssueRecord;

/// Where one record is in the spill.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    offset: u64,
    len: u64,
}

pub struct Spill {
    /// Appends go through one buffered writer; reads use positioned reads
    /// on the same file and never move its cursor.
    writer: Mutex<Appender>,
    file: File,
}

struct Appender {
    out: std::io::BufWriter<File>,
    end: u64,
}

impl Spill {
    pub fn create() -> anyhow::Result<Spill> {
        let file = tempfile::tempfile()
            .context("cannot create a temporary file for the records (set TMPDIR to a folder with free space)")?;
        let out = std::io::BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(Spill {
            writer: Mutex::new(Appender { out, end: 0 }),
            file,
        })
    }

    /// Encodes outside the lock, so threads only queue for the copy.
    pub fn write(&self, record: &IssueRecord) -> anyhow::Result<Place> {
        let bytes = postcard::to_stdvec(record).context("cannot encode a record for the spill")?;
        let mut appender = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        appender
            .out
            .write_all(&bytes)
            .context("cannot write to the temporary file (is $TMPDIR full?)")?;
        let place = Place {
            offset: appender.end,
            len: bytes.len() as u64,
        };
        appender.end += place.len;
        Ok(place)
    }

    pub fn read(&self, place: &Place) -> anyhow::Result<IssueRecord> {
        self.flush()?;
        let mut bytes = vec![0; place.len as usize];
        read_at(&self.file, &mut bytes, place.offset)
            .context("cannot read back the temporary file")?;
        postcard::from_bytes(&bytes).context("the temporary file holds a damaged record")
    }

    fn flush(&self) -> anyhow::Result<()> {
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
