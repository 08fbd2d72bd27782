//! A disk-backed FIFO of messages: records appended to numbered segment files,
//! read back in the order written, files removed once read.
//!
//! A record is `[u32 size][16 id][i64 timestamp][u16 attempts][u64 defer ms][body]`
//! (big-endian, `size` counts what follows it). A batch is written with one
//! `write_all`; if that fails the file is cut back to where it was, so a batch is
//! either all on disk or not at all. Where reading stands is saved in `<name>.meta`
//! by [`DiskQueue::close`] (a clean stop) and read back by [`DiskQueue::open`].

use crate::protocol::{Message, MessageId};
use bytes::{BufMut, Bytes};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A segment file is closed for writing once it is larger than this (nsqd: 100 MB).
const MAX_BYTES_PER_FILE: u64 = 100 * 1024 * 1024;
const HEADER: usize = 16 + 8 + 2 + 8;
/// A record larger than this is corruption, not a message (bodies are at most a few MB).
const MAX_RECORD: u32 = 1 << 30;

/// Where the writer stood before a batch, to take the batch back.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    file: u64,
    pos: u64,
    depth: u64,
}

#[derive(Debug)]
pub struct DiskQueue {
    dir: PathBuf,
    name: String,
    read_file: u64,
    read_pos: u64,
    reader: Option<BufReader<File>>,
    write_file: u64,
    write_pos: u64,
    writer: Option<File>,
    depth: u64,
    max_bytes_per_file: u64,
    /// Files found unreadable and renamed `.bad` since [`take_bad`](Self::take_bad).
    bad: Vec<BadFile>,
}

/// A segment file that could not be decoded: renamed `<file>.bad` (as nsqd does)
/// and skipped, with the messages in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFile {
    pub renamed: PathBuf,
    pub error: String,
}

/// Appends one record for `m` (deferred by `defer`) to `out`.
pub fn encode(out: &mut Vec<u8>, m: &Message, defer: Duration) {
    out.put_u32((HEADER + m.body.len()) as u32);
    out.put_slice(&m.id.0);
    out.put_i64(m.timestamp);
    out.put_u16(m.attempts);
    out.put_u64(defer.as_millis() as u64);
    out.put_slice(&m.body);
}

/// Reads one record, `None` at a clean end of file.
pub fn decode(r: &mut impl Read) -> io::Result<Option<(Message, Duration, u64)>> {
    let mut size = [0u8; 4];
    match r.read_exact(&mut size) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let size = u32::from_be_bytes(size);
    if !(HEADER as u32..MAX_RECORD).contains(&size) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad record size {size}"),
        ));
    }
    let mut rec = vec![0u8; size as usize];
    r.read_exact(&mut rec)?;
    let rec = Bytes::from(rec);
    let num = |a: usize, b: usize| -> u64 { rec[a..b].iter().fold(0, |n, &x| n << 8 | x as u64) };
    let msg = Message {
        id: MessageId::from_slice(&rec[..16]).expect("16 bytes"),
        timestamp: num(16, 24) as i64,
        attempts: num(24, 26) as u16,
        body: rec.slice(HEADER..),
    };
    Ok(Some((
        msg,
        Duration::from_millis(num(26, 34)),
        4 + size as u64,
    )))
}

impl DiskQueue {
    /// Opens the queue `name` in `dir`, where a clean stop left it (its `.meta`),
    /// or empty (removing stale segment files) when there is no meta file.
    pub fn open(dir: &Path, name: &str) -> io::Result<DiskQueue> {
        let mut q = DiskQueue {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            read_file: 0,
            read_pos: 0,
            reader: None,
            write_file: 0,
            write_pos: 0,
            writer: None,
            depth: 0,
            max_bytes_per_file: MAX_BYTES_PER_FILE,
            bad: Vec::new(),
        };
        match fs::read_to_string(q.meta_path()) {
            Ok(text) => {
                let n: Vec<u64> = text
                    .split_whitespace()
                    .filter_map(|s| s.parse().ok())
                    .collect();
                if let [depth, rf, rp, wf, wp] = n[..] {
                    (q.depth, q.read_file, q.read_pos, q.write_file, q.write_pos) =
                        (depth, rf, rp, wf, wp);
                }
                // Until the next clean stop, where reading stands lives only in memory.
                fs::remove_file(q.meta_path())?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => q.remove_files()?,
            Err(e) => return Err(e),
        }
        Ok(q)
    }

    pub fn depth(&self) -> u64 {
        self.depth
    }

    fn file_path(&self, n: u64) -> PathBuf {
        self.dir.join(format!("{}.diskqueue.{n:06}.dat", self.name))
    }

    fn meta_path(&self) -> PathBuf {
        self.dir.join(format!("{}.diskqueue.meta", self.name))
    }

    pub fn mark(&self) -> Mark {
        Mark {
            file: self.write_file,
            pos: self.write_pos,
            depth: self.depth,
        }
    }

    /// Writes a batch of messages; on error nothing of it stays on disk.
    pub fn put<'a>(
        &mut self,
        msgs: impl IntoIterator<Item = (&'a Message, Duration)>,
    ) -> io::Result<()> {
        let mut buf = Vec::new();
        let mut n = 0;
        for (m, d) in msgs {
            encode(&mut buf, m, d);
            n += 1;
        }
        if n == 0 {
            return Ok(());
        }
        let mark = self.mark();
        match self.append(&buf) {
            Ok(()) => {
                self.depth += n;
                Ok(())
            }
            Err(e) => {
                self.rollback(mark);
                Err(e)
            }
        }
    }

    fn append(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.write_pos >= self.max_bytes_per_file {
            self.writer = None;
            self.write_file += 1;
            self.write_pos = 0;
        }
        if self.writer.is_none() {
            let path = self.file_path(self.write_file);
            let mut f = OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| in_file("open", &path, e))?;
            f.seek(SeekFrom::Start(self.write_pos))?;
            self.writer = Some(f);
        }
        let path = self.file_path(self.write_file);
        let w = self.writer.as_mut().expect("opened above");
        w.write_all(buf).map_err(|e| in_file("write", &path, e))?;
        self.write_pos += buf.len() as u64;
        Ok(())
    }

    /// Takes back what was written since `mark` (a failed batch, or a batch
    /// another queue of the same publish could not take).
    pub fn rollback(&mut self, mark: Mark) {
        while self.write_file > mark.file {
            let _ = fs::remove_file(self.file_path(self.write_file));
            self.write_file -= 1;
            self.writer = None;
        }
        if let Some(w) = &mut self.writer {
            let _ = w.set_len(mark.pos);
            let _ = w.seek(SeekFrom::Start(mark.pos));
        } else if let Ok(f) = OpenOptions::new()
            .write(true)
            .open(self.file_path(mark.file))
        {
            let _ = f.set_len(mark.pos);
        }
        self.write_pos = mark.pos;
        self.depth = mark.depth;
    }

    /// The oldest message and its deferral, `None` when the queue is empty. A file
    /// that can't be decoded (or is missing) is renamed `.bad` and skipped, as nsqd
    /// does; Err is any other failure (e.g. too many open files): nothing is
    /// skipped and a later call tries again.
    pub fn pop(&mut self) -> io::Result<Option<(Message, Duration)>> {
        while self.depth > 0 {
            match self.read_one() {
                Ok(Some(found)) => return Ok(Some(found)),
                Ok(None) => {}
                Err(e) if is_bad_data(&e) => self.skip_bad_file(e)?,
                Err(e) => {
                    self.reader = None;
                    return Err(e);
                }
            }
        }
        Ok(None)
    }

    /// One record, or None after moving on to the next file.
    fn read_one(&mut self) -> io::Result<Option<(Message, Duration)>> {
        if self.reader.is_none() {
            let path = self.file_path(self.read_file);
            let mut f = File::open(&path).map_err(|e| in_file("open", &path, e))?;
            f.seek(SeekFrom::Start(self.read_pos))?;
            self.reader = Some(BufReader::with_capacity(256 * 1024, f));
        }
        let r = self.reader.as_mut().expect("opened above");
        match decode(r)? {
            Some((m, d, len)) => {
                self.read_pos += len;
                self.depth -= 1;
                if self.depth == 0 {
                    self.reset()?;
                }
                Ok(Some((m, d)))
            }
            None if self.read_file < self.write_file => {
                self.reader = None;
                let _ = fs::remove_file(self.file_path(self.read_file));
                self.read_file += 1;
                self.read_pos = 0;
                Ok(None)
            }
            None => {
                let e = format!("ends with {} messages unread", self.depth);
                Err(io::Error::new(io::ErrorKind::InvalidData, e))
            }
        }
    }

    /// Renames the file being read `.bad`, moves on to the next one (past the file
    /// being written too, if that is the one) and counts what is left.
    fn skip_bad_file(&mut self, e: io::Error) -> io::Result<()> {
        self.reader = None;
        if self.read_file == self.write_file {
            self.writer = None;
            self.write_file += 1;
            self.write_pos = 0;
        }
        let path = self.file_path(self.read_file);
        let mut renamed = path.clone().into_os_string();
        renamed.push(".bad");
        let renamed = PathBuf::from(renamed);
        let _ = fs::rename(&path, &renamed);
        self.bad.push(BadFile {
            renamed,
            error: crate::error::describe_io(&e),
        });
        self.read_file += 1;
        self.read_pos = 0;
        self.depth = self.count_records()?;
        if self.depth == 0 {
            self.reset()?;
        }
        Ok(())
    }

    /// The records in the files from where reading stands to where writing does
    /// (up to the first one that can't be decoded).
    fn count_records(&self) -> io::Result<u64> {
        let mut n = 0;
        for file in self.read_file..=self.write_file {
            let end = if file == self.write_file {
                self.write_pos
            } else {
                u64::MAX
            };
            let mut f = match File::open(self.file_path(file)) {
                Ok(f) => BufReader::new(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            let mut pos = 0u64;
            let mut size = [0u8; 4];
            while pos < end && f.read_exact(&mut size).is_ok() {
                let len = u32::from_be_bytes(size);
                if !(HEADER as u32..MAX_RECORD).contains(&len) || pos + 4 + len as u64 > end {
                    break;
                }
                f.seek_relative(len as i64)?;
                pos += 4 + len as u64;
                n += 1;
            }
        }
        Ok(n)
    }

    /// The files renamed `.bad` since the last call.
    pub fn take_bad(&mut self) -> Vec<BadFile> {
        std::mem::take(&mut self.bad)
    }

    /// Empty: remove the files and start again from file 0.
    fn reset(&mut self) -> io::Result<()> {
        self.reader = None;
        self.writer = None;
        self.remove_files()?;
        (
            self.read_file,
            self.read_pos,
            self.write_file,
            self.write_pos,
            self.depth,
        ) = (0, 0, 0, 0, 0);
        Ok(())
    }

    /// Drops every message (channel empty, topic or channel deleted).
    pub fn clear(&mut self) {
        let _ = self.reset();
    }

    fn remove_files(&self) -> io::Result<()> {
        let prefix = format!("{}.diskqueue.", self.name);
        for e in fs::read_dir(&self.dir)? {
            let e = e?;
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&prefix)
                && name.ends_with(".dat")
                && name[prefix.len()..].len() == 10
            {
                fs::remove_file(e.path())?;
            }
        }
        Ok(())
    }

    /// A clean stop: saves where reading stands so that [`open`](Self::open) resumes there.
    pub fn close(&mut self) -> io::Result<()> {
        self.reader = None;
        if let Some(w) = self.writer.take() {
            w.sync_all()?;
        }
        if self.depth == 0 {
            return Ok(());
        }
        let meta = format!(
            "{} {} {} {} {}\n",
            self.depth, self.read_file, self.read_pos, self.write_file, self.write_pos
        );
        fs::write(self.meta_path(), meta)
    }
}

/// A file that can't be decoded (cut short, corrupt, missing): skipped, not retried.
fn is_bad_data(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof | io::ErrorKind::NotFound
    )
}

fn in_file(what: &str, path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "{what} {}: {}",
            path.display(),
            crate::error::describe_io(&e)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(i: u64) -> Message {
        Message {
            id: MessageId::from_u64(i),
            timestamp: i as i64 * 1000,
            attempts: (i % 3) as u16,
            body: Bytes::from(format!("body {i}")),
        }
    }

    fn drain(q: &mut DiskQueue) -> Vec<(Message, Duration)> {
        std::iter::from_fn(|| q.pop().unwrap()).collect()
    }

    #[test]
    fn reads_back_in_order_across_files_and_removes_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = DiskQueue::open(dir.path(), "t:c").unwrap();
        q.max_bytes_per_file = 200;
        for i in 0..20 {
            q.put([(&msg(i), Duration::from_millis(i))]).unwrap();
        }
        assert_eq!(q.depth(), 20);
        assert!(q.write_file > 2, "rolled over to new files");
        let got = drain(&mut q);
        let want: Vec<_> = (0..20)
            .map(|i| (msg(i), Duration::from_millis(i)))
            .collect();
        assert_eq!(got, want);
        assert_eq!(q.depth(), 0);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "files removed once read"
        );
    }

    #[test]
    fn a_rollback_takes_a_batch_back_even_across_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = DiskQueue::open(dir.path(), "t").unwrap();
        q.max_bytes_per_file = 100;
        q.put([(&msg(1), Duration::ZERO), (&msg(2), Duration::ZERO)])
            .unwrap();
        let mark = q.mark();
        q.put([(&msg(3), Duration::ZERO)]).unwrap();
        q.put([(&msg(4), Duration::ZERO)]).unwrap();
        q.rollback(mark);
        q.put([(&msg(5), Duration::ZERO)]).unwrap();
        let ids: Vec<_> = drain(&mut q).into_iter().map(|(m, _)| m.id).collect();
        let want: Vec<_> = [1, 2, 5].into_iter().map(MessageId::from_u64).collect();
        assert_eq!(ids, want);
    }

    #[test]
    fn a_clean_close_resumes_where_reading_stood_and_no_meta_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = DiskQueue::open(dir.path(), "t").unwrap();
        for i in 0..5 {
            q.put([(&msg(i), Duration::ZERO)]).unwrap();
        }
        assert_eq!(q.pop().unwrap().unwrap().0, msg(0));
        q.close().unwrap();
        let mut q = DiskQueue::open(dir.path(), "t").unwrap();
        assert_eq!(q.depth(), 4);
        assert_eq!(
            drain(&mut q)
                .into_iter()
                .map(|(m, _)| m)
                .collect::<Vec<_>>(),
            (1..5).map(msg).collect::<Vec<_>>()
        );
        // Files without a meta file (not a clean stop) are stale: removed.
        q.put([(&msg(9), Duration::ZERO)]).unwrap();
        drop(q);
        let q = DiskQueue::open(dir.path(), "t").unwrap();
        assert_eq!(q.depth(), 0);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_undecodable_file_is_renamed_bad_and_the_next_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = DiskQueue::open(dir.path(), "t").unwrap();
        q.max_bytes_per_file = 100;
        for i in 0..9 {
            q.put([(&msg(i), Duration::ZERO)]).unwrap();
        }
        assert!(q.write_file >= 2, "several files");
        assert_eq!(q.pop().unwrap().unwrap().0, msg(0));
        // The second file is corrupt: its messages are skipped, the rest kept.
        let second = q.file_path(1);
        let left = q.count_records().unwrap();
        fs::write(&second, [0xff; 8]).unwrap();
        let rest: Vec<_> = drain(&mut q).into_iter().map(|(m, _)| m).collect();
        assert!(!rest.is_empty() && rest.len() < left as usize, "{rest:?}");
        assert_eq!(rest[0], msg(1), "the rest of the first file");
        assert_eq!(rest.last(), Some(&msg(8)));
        let bad = q.take_bad();
        assert_eq!(bad.len(), 1);
        assert!(bad[0].renamed.ends_with("t.diskqueue.000001.dat.bad"));
        assert!(bad[0].renamed.exists());
        assert_eq!(q.depth(), 0);
    }

    #[test]
    fn a_file_that_cant_be_read_now_is_kept_and_read_later() {
        let dir = tempfile::tempdir().unwrap();
        let mut q = DiskQueue::open(dir.path(), "t").unwrap();
        q.put([(&msg(1), Duration::ZERO), (&msg(2), Duration::ZERO)])
            .unwrap();
        q.writer = None;
        // A directory where the file was: reading fails with EISDIR, not bad data.
        let path = q.file_path(0);
        let kept = dir.path().join("kept");
        fs::rename(&path, &kept).unwrap();
        fs::create_dir(&path).unwrap();
        assert!(q.pop().is_err());
        assert_eq!(q.depth(), 2);
        fs::remove_dir(&path).unwrap();
        fs::rename(&kept, &path).unwrap();
        let ids: Vec<_> = drain(&mut q).into_iter().map(|(m, _)| m).collect();
        assert_eq!(ids, [msg(1), msg(2)]);
        assert!(q.take_bad().is_empty());
    }
}
