//! The large outputs written past the page cache (`O_DIRECT`, on Linux;
//! elsewhere ordinary writes on the same writer thread).
//!
//! A gigabyte of issues makes 3.6 GB of issues.csv, items.csv,
//! mentions.csv and links.csv, and 5.8 GB of graph.graphml, graph.json,
//! entities.csv, trends.csv, lead_lag.csv and the rest. Written through
//! the page cache, those bytes push the corpus itself (and everything
//! else) out of memory, and every page of cache they take must first be
//! backed: on the virtual machines this project runs on, where idle memory
//! goes back to the host, backing 3.6 GB of fresh pages costs about 10 s
//! of kernel time, while writing them straight to the disk takes about
//! 2 s. So past its first [`DIRECT_AFTER`] bytes a record table bypasses
//! the cache, a block at a time, on a thread of the table's own, so that
//! the disk works while the rows of the next records are rendered (with
//! one thread asked for, `--jobs 1`, on the caller's). The outputs
//! written from the summary at the end do the same past
//! [`OUTPUT_DIRECT_AFTER`] bytes. Smaller files stay in the page cache,
//! where writing costs least and the user's next command finds them.
//!
//! `O_DIRECT` wants block-aligned buffers, offsets and lengths: every block
//! but the last is a full, aligned [`BLOCK`]; the last one, of any length,
//! is written with `O_DIRECT` switched off. A file system that refuses
//! `O_DIRECT` (tmpfs on older kernels, some network file systems) gets
//! ordinary writes: the bytes are the same either way.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// What one write hands the disk: large enough that a write costs little
/// beside its bytes, small enough that the buffers in flight (three per
/// table) do not show in memory.
const BLOCK: usize = 1 << 20;
/// What the caller's thread writes at a time through the page cache: the
/// bytes just rendered are still in the processor's cache when the kernel
/// copies them, as they are not after a whole block (writing an output
/// took twice as long in blocks).
const CACHED_CHUNK: usize = 64 << 10;
/// Covers the logical block size of every disk (512 or 4096 bytes).
const ALIGN: usize = 4096;
/// Below this a table's bytes go through the page cache: for an LWKD-sized
/// corpus, waiting for the disk costs more than backing the pages.
const DIRECT_AFTER: u64 = 64 << 20;
/// The same for the outputs written from the summary (graph.graphml,
/// graph.json, entities.csv, …). The record tables are written while the
/// records stream past, so their disk writes overlap the rest of the
/// work; these come last, and the build waits for their last byte to
/// reach the disk. Through the cache the wait is left to the kernel, so
/// they go direct only when large enough that backing their pages costs
/// more: graph.graphml of a 100 MB corpus (210 MB) stays cached, that of
/// a 1 GB corpus (2.1 GB) is mostly written direct.
const OUTPUT_DIRECT_AFTER: u64 = 256 << 20;

/// A file being written past the page cache.
pub struct DirectFile {
    filling: AlignedBlock,
    /// How full `filling` gets before it is written: [`CACHED_CHUNK`]
    /// while the caller writes through the page cache, [`BLOCK`] else.
    chunk: usize,
    writer: Writer,
}

enum Writer {
    Thread {
        /// `None` once the writer thread has stopped (after an error).
        to_writer: Option<SyncSender<Block>>,
        /// Blocks the writer thread is done with, to fill again.
        emptied: Receiver<AlignedBlock>,
        thread: Option<JoinHandle<io::Result<()>>>,
    },
    Caller {
        block_writer: BlockWriter,
        /// Move the writes to a thread of the file's own once they go
        /// past the page cache (and wait for the disk).
        thread_once_direct: bool,
    },
}

/// Which thread writes a file's blocks: one of its own, or the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WritingThread {
    Own,
    Caller,
    /// The caller, until the blocks go past the page cache.
    CallerUntilDirect,
}

enum Block {
    Full(AlignedBlock),
    Last(AlignedBlock),
}

/// [`BLOCK`] bytes at an [`ALIGN`]ed address, inside a slightly larger
/// allocation (safe code cannot ask the allocator for the alignment).
struct AlignedBlock {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBlock {
    fn new() -> AlignedBlock {
        let storage = vec![0u8; BLOCK + ALIGN];
        let start = storage.as_ptr().align_offset(ALIGN).min(ALIGN);
        AlignedBlock {
            storage,
            start,
            len: 0,
        }
    }

    fn filled(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    /// Copies as much of `bytes` as fits below `chunk`; returns how much.
    fn fill_from(&mut self, bytes: &[u8], chunk: usize) -> usize {
        let room = &mut self.storage[self.start + self.len..self.start + chunk];
        let taken = room.len().min(bytes.len());
        room[..taken].copy_from_slice(&bytes[..taken]);
        self.len += taken;
        taken
    }

    fn is_full(&self, chunk: usize) -> bool {
        self.len == chunk
    }
}

impl DirectFile {
    /// A record table. `on_a_thread`: write on a thread of the file's own,
    /// else on the caller's.
    pub fn create(path: &Path, on_a_thread: bool) -> io::Result<DirectFile> {
        let writes = if on_a_thread {
            WritingThread::Own
        } else {
            WritingThread::Caller
        };
        DirectFile::create_direct_after(path, writes, DIRECT_AFTER)
    }

    /// One of the outputs written from the summary, by a thread of the
    /// calling rayon pool: through the page cache up to
    /// [`OUTPUT_DIRECT_AFTER`] bytes, on the caller's thread; past them,
    /// straight to the disk, on a thread of its own unless the pool has
    /// one thread (`--jobs 1` asks for one thread).
    pub fn create_output(path: &Path) -> io::Result<DirectFile> {
        let writes = if rayon::current_num_threads() > 1 {
            WritingThread::CallerUntilDirect
        } else {
            WritingThread::Caller
        };
        DirectFile::create_direct_after(path, writes, OUTPUT_DIRECT_AFTER)
    }

    fn create_direct_after(
        path: &Path,
        writes: WritingThread,
        direct_after: u64,
    ) -> io::Result<DirectFile> {
        let block_writer = BlockWriter::new(File::create(path)?, direct_after);
        let writer = match writes {
            WritingThread::Own => Writer::on_a_thread(block_writer)?,
            WritingThread::Caller | WritingThread::CallerUntilDirect => Writer::Caller {
                block_writer,
                thread_once_direct: writes == WritingThread::CallerUntilDirect,
            },
        };
        let chunk = match writer {
            Writer::Caller { .. } => CACHED_CHUNK,
            Writer::Thread { .. } => BLOCK,
        };
        Ok(DirectFile {
            filling: AlignedBlock::new(),
            chunk,
            writer,
        })
    }

    #[inline]
    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        // Most writes are a few bytes (a cell, a tag): they fit.
        let filling = &mut self.filling;
        if bytes.len() < self.chunk - filling.len {
            let at = filling.start + filling.len;
            filling.storage[at..at + bytes.len()].copy_from_slice(bytes);
            filling.len += bytes.len();
            return Ok(());
        }
        self.write_all_across_blocks(bytes)
    }

    fn write_all_across_blocks(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            let taken = self.filling.fill_from(bytes, self.chunk);
            bytes = &bytes[taken..];
            if self.filling.is_full(self.chunk) {
                self.hand_over_full_block()?;
            }
        }
        Ok(())
    }

    fn hand_over_full_block(&mut self) -> io::Result<()> {
        let (to_writer, emptied, thread) = match &mut self.writer {
            Writer::Caller {
                block_writer,
                thread_once_direct,
            } => {
                block_writer.write_full(self.filling.filled())?;
                self.filling.len = 0;
                // The file offset is a whole number of chunks: aligned.
                let direct_from_now = block_writer.written >= block_writer.direct_after;
                if direct_from_now {
                    self.chunk = BLOCK;
                    if *thread_once_direct {
                        self.move_writes_to_a_thread()?;
                    }
                }
                return Ok(());
            }
            Writer::Thread {
                to_writer,
                emptied,
                thread,
            } => (to_writer, emptied, thread),
        };
        let mut next = emptied.try_recv().unwrap_or_else(|_| AlignedBlock::new());
        next.len = 0;
        let full = std::mem::replace(&mut self.filling, next);
        send(to_writer, thread, Block::Full(full))
    }

    fn move_writes_to_a_thread(&mut self) -> io::Result<()> {
        let moving = Writer::Thread {
            to_writer: None,
            emptied: sync_channel(0).1,
            thread: None,
        };
        if let Writer::Caller { block_writer, .. } = std::mem::replace(&mut self.writer, moving) {
            self.writer = Writer::on_a_thread(block_writer)?;
        }
        Ok(())
    }

    /// Writes the last block and waits for the disk to have every byte.
    pub fn finish(mut self) -> io::Result<()> {
        match &mut self.writer {
            Writer::Caller { block_writer, .. } => block_writer.write_last(self.filling.filled()),
            Writer::Thread {
                to_writer, thread, ..
            } => {
                let last = std::mem::replace(&mut self.filling, AlignedBlock::empty());
                send(to_writer, thread, Block::Last(last))?;
                *to_writer = None;
                wait_for(thread)
            }
        }
    }
}

impl Writer {
    fn on_a_thread(block_writer: BlockWriter) -> io::Result<Writer> {
        // One block queued while one is written and one filled.
        let (to_writer, blocks) = sync_channel::<Block>(1);
        let (give_back, emptied) = sync_channel::<AlignedBlock>(2);
        let thread = std::thread::Builder::new()
            .name("table writer".into())
            .spawn(move || write_blocks(block_writer, blocks, give_back))?;
        Ok(Writer::Thread {
            to_writer: Some(to_writer),
            emptied,
            thread: Some(thread),
        })
    }
}

fn send(
    to_writer: &mut Option<SyncSender<Block>>,
    thread: &mut Option<JoinHandle<io::Result<()>>>,
    block: Block,
) -> io::Result<()> {
    let sent = match to_writer {
        Some(to_writer) => to_writer.send(block).is_ok(),
        None => false,
    };
    if sent {
        return Ok(());
    }
    // The writer stopped: its error says why.
    *to_writer = None;
    wait_for(thread)?;
    Err(io::Error::other("the table writer stopped early"))
}

fn wait_for(thread: &mut Option<JoinHandle<io::Result<()>>>) -> io::Result<()> {
    match thread.take() {
        Some(thread) => thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the table writer panicked"))),
        None => Ok(()),
    }
}

impl AlignedBlock {
    /// A placeholder that owns no memory.
    fn empty() -> AlignedBlock {
        AlignedBlock {
            storage: Vec::new(),
            start: 0,
            len: 0,
        }
    }
}

fn write_blocks(
    mut block_writer: BlockWriter,
    blocks: Receiver<Block>,
    give_back: SyncSender<AlignedBlock>,
) -> io::Result<()> {
    for block in blocks {
        match block {
            Block::Full(block) => {
                block_writer.write_full(block.filled())?;
                // The filling side may have enough blocks already.
                let _ = give_back.try_send(block);
            }
            Block::Last(block) => return block_writer.write_last(block.filled()),
        }
    }
    Ok(())
}

/// Writes a file a whole block at a time, through the page cache until
/// `direct_after` bytes and past it from there.
struct BlockWriter {
    file: File,
    direct_after: u64,
    /// Whole blocks so far, so the offset where O_DIRECT starts is aligned.
    written: u64,
    direct: bool,
    direct_tried: bool,
}

impl BlockWriter {
    fn new(file: File, direct_after: u64) -> BlockWriter {
        BlockWriter {
            file,
            direct_after,
            written: 0,
            direct: false,
            direct_tried: false,
        }
    }

    fn write_full(&mut self, block: &[u8]) -> io::Result<()> {
        if !self.direct_tried && self.written >= self.direct_after {
            self.direct_tried = true;
            // A file system without O_DIRECT refuses the flag here.
            self.direct = set_direct(&self.file, true).is_ok();
        }
        write_block(&mut self.file, &mut self.direct, block)?;
        self.written += block.len() as u64;
        Ok(())
    }

    /// Of any length: written with O_DIRECT off.
    fn write_last(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.direct {
            set_direct(&self.file, false)?;
            self.direct = false;
        }
        self.file.write_all(bytes)?;
        self.file.flush()
    }
}

/// A short write or a refusal (EINVAL from ext4 for a partial block,
/// EOPNOTSUPP from some FUSE file systems) leaves the rest to ordinary
/// writes; an error that is not about `O_DIRECT` (a full disk) comes back
/// from the ordinary write.
fn write_block(file: &mut File, direct: &mut bool, bytes: &[u8]) -> io::Result<()> {
    let mut rest = bytes;
    if *direct {
        if let Ok(written) = file.write(bytes) {
            rest = &bytes[written..];
        }
        if rest.is_empty() {
            return Ok(());
        }
        set_direct(file, false)?;
        *direct = false;
    }
    file.write_all(rest)
}

#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> io::Result<()> {
    use rustix::fs::OFlags;
    let mut flags = rustix::fs::fcntl_getfl(file)?;
    flags.set(OFlags::DIRECT, on);
    rustix::fs::fcntl_setfl(file, flags)?;
    Ok(())
}

/// Other systems spell it otherwise (`F_NOCACHE`, `FILE_FLAG_NO_BUFFERING`)
/// or not at all; their tables go through the cache.
#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, _on: bool) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// For writers that take any [`Write`] (csv, serde_json). The bytes reach
/// the disk at [`DirectFile::finish`], which the owner must call: `flush`
/// only says that this writer holds them.
impl Write for DirectFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        DirectFile::write_all(self, bytes)?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        DirectFile::write_all(self, bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of every length, across many block boundaries, come out as they
    /// went in, on a disk file (direct) and in memory (tmpfs, where the
    /// kernel may refuse `O_DIRECT`).
    #[test]
    fn bytes_written_are_the_bytes_read_back() {
        let mut expected = Vec::new();
        let mut row = 0u64;
        while expected.len() < 3 * BLOCK + 12345 {
            let line = format!("row {row},{}\n", "x".repeat((row % 97) as usize));
            expected.extend_from_slice(line.as_bytes());
            row += 1;
        }
        let mut folders = vec![tempfile::tempdir().unwrap()];
        if Path::new("/dev/shm").is_dir() {
            folders.push(tempfile::tempdir_in("/dev/shm").unwrap());
        }
        for folder in &folders {
            for writes in [
                WritingThread::Own,
                WritingThread::Caller,
                WritingThread::CallerUntilDirect,
            ] {
                let path = folder.path().join(format!("table-{writes:?}.csv"));
                let mut file =
                    DirectFile::create_direct_after(&path, writes, BLOCK as u64).unwrap();
                for piece in expected.chunks(7919) {
                    file.write_all(piece).unwrap();
                }
                file.finish().unwrap();
                let read = std::fs::read(&path).unwrap();
                assert_eq!(read, expected, "{}", path.display());
            }
        }
    }

    /// ext4 and most disk file systems refuse a direct write of a length
    /// that is not a whole number of blocks (EINVAL): the bytes must still
    /// arrive, by an ordinary write.
    #[test]
    fn a_refused_direct_write_falls_back_to_an_ordinary_one() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("refused.csv");
        let mut file = File::create(&path).unwrap();
        let mut direct = set_direct(&file, true).is_ok();
        let odd = AlignedBlock {
            len: 10,
            ..AlignedBlock::new()
        };
        write_block(&mut file, &mut direct, odd.filled()).unwrap();
        write_block(&mut file, &mut direct, b"and more").unwrap();
        drop(file);
        let mut expected = vec![0u8; 10];
        expected.extend_from_slice(b"and more");
        assert_eq!(std::fs::read(&path).unwrap(), expected);
    }

    /// The writer thread's error reaches the caller, whichever call meets it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_reported() {
        for writes in [
            WritingThread::Own,
            WritingThread::Caller,
            WritingThread::CallerUntilDirect,
        ] {
            let mut file =
                DirectFile::create_direct_after(Path::new("/dev/full"), writes, 0).unwrap();
            let bytes = vec![b'x'; 3 * BLOCK + 5];
            let written = file.write_all(&bytes).and_then(|()| file.finish());
            let err = written.unwrap_err();
            let no_space = rustix::io::Errno::NOSPC.raw_os_error();
            assert_eq!(err.raw_os_error(), Some(no_space), "{err}");
        }
    }

    #[test]
    fn an_empty_table_is_an_empty_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("empty.csv");
        DirectFile::create(&path, true).unwrap().finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), 0);
    }

    #[test]
    fn an_exact_number_of_blocks_is_written_whole() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("blocks.csv");
        let bytes: Vec<u8> = (0..2 * BLOCK).map(|i| b'a' + (i % 26) as u8).collect();
        let mut file = DirectFile::create_direct_after(&path, WritingThread::Own, 0).unwrap();
        file.write_all(&bytes).unwrap();
        file.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }
}
