//! Where queued messages live: in memory up to `--mem-queue-size` per topic and per
//! channel, then in a [`DiskQueue`] under the store's directory (a temporary one
//! removed on exit, or `--data-path`, locked and kept across restarts).

pub mod disk;
pub mod queue;

pub use disk::{BadFile, DiskQueue};
pub use queue::{SpillQueue, Staged};

use crate::protocol::Message;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const LOCK_FILE: &str = "nsq-cli-dev.lock";
const METADATA_FILE: &str = "nsq-cli-dev.json";

/// The directory behind every topic's and channel's queue.
#[derive(Debug)]
pub struct Store {
    /// `--data-path`; None: a temporary directory, made at the first spill.
    data_path: Option<PathBuf>,
    /// Messages kept in memory per topic and per channel (nsqd's --mem-queue-size).
    pub mem_queue_size: usize,
    /// `--data-path` given: queues are saved on a clean stop and restored on start.
    pub durable: bool,
    tmp: Mutex<TempState>,
    /// The first error met while reading back saved queues.
    restore_error: Mutex<Option<io::Error>>,
    /// Queue files renamed `.bad`, until the broker reports them.
    bad_files: Mutex<Vec<BadFile>>,
    _lock: Option<File>,
}

#[derive(Debug, Default)]
struct TempState {
    dir: Option<tempfile::TempDir>,
    removed: bool,
}

/// Why the store could not be opened (exit 1 naming the directory).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("--data-path {0}: {1}")]
    Dir(String, String),
    #[error("--data-path {0} is in use by another nsq-cli dev (lock file {1} is held)")]
    Locked(String, String),
}

impl Store {
    /// A store in `data_path` (created if missing, locked), or in a temporary
    /// directory made when a queue first spills.
    pub fn open(data_path: Option<&Path>, mem_queue_size: usize) -> Result<Store, StoreError> {
        let mut store = Store {
            data_path: data_path.map(Path::to_path_buf),
            mem_queue_size,
            durable: data_path.is_some(),
            tmp: Mutex::new(TempState::default()),
            restore_error: Mutex::new(None),
            bad_files: Mutex::new(Vec::new()),
            _lock: None,
        };
        let Some(dir) = data_path else {
            return Ok(store);
        };
        let shown = dir.display().to_string();
        let bad = |e: io::Error| StoreError::Dir(shown.clone(), crate::error::describe_io(&e));
        fs::create_dir_all(dir).map_err(bad)?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = File::create(&lock_path).map_err(bad)?;
        if !try_lock(&lock) {
            return Err(StoreError::Locked(shown, lock_path.display().to_string()));
        }
        store._lock = Some(lock);
        Ok(store)
    }

    /// A store for unit tests and library users: a temporary directory.
    pub fn temporary(mem_queue_size: usize) -> Store {
        Store::open(None, mem_queue_size).expect("no directory to make yet")
    }

    /// The directory of the queue files (making the temporary one if needed).
    pub fn dir(&self) -> io::Result<PathBuf> {
        if let Some(d) = &self.data_path {
            return Ok(d.clone());
        }
        let mut t = self.tmp.lock().unwrap_or_else(|e| e.into_inner());
        if t.removed {
            return Err(io::Error::other("exiting"));
        }
        if t.dir.is_none() {
            t.dir = Some(tempfile::Builder::new().prefix("nsq-cli-dev.").tempdir()?);
        }
        Ok(t.dir.as_ref().expect("made above").path().to_path_buf())
    }

    /// The directory for people: `--data-path`'s, or "a temporary directory".
    pub fn describe(&self) -> String {
        match &self.data_path {
            Some(d) => d.display().to_string(),
            None => "a temporary directory".into(),
        }
    }

    /// Removes the temporary directory (a durable store keeps its files).
    pub fn remove_temporary(&self) {
        let mut t = self.tmp.lock().unwrap_or_else(|e| e.into_inner());
        t.removed = true;
        t.dir = None;
    }

    /// Notes a saved queue that could not be read back (the first one is reported).
    pub fn restore_failed(&self, e: io::Error) {
        let mut r = self.restore_error.lock().unwrap_or_else(|e| e.into_inner());
        r.get_or_insert(e);
    }

    pub fn note_bad_files(&self, bad: Vec<BadFile>) {
        if !bad.is_empty() {
            let mut b = self.bad_files.lock().unwrap_or_else(|e| e.into_inner());
            b.extend(bad);
        }
    }

    /// The queue files renamed `.bad` since the last call.
    pub fn take_bad_files(&self) -> Vec<BadFile> {
        std::mem::take(&mut *self.bad_files.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn take_restore_error(&self) -> Option<io::Error> {
        self.restore_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// The directory of a durable store (metadata and saved heads live only there).
    fn durable_dir(&self) -> io::Result<&Path> {
        self.data_path
            .as_deref()
            .ok_or_else(|| io::Error::other("not durable"))
    }

    fn metadata_path(&self) -> io::Result<PathBuf> {
        Ok(self.durable_dir()?.join(METADATA_FILE))
    }

    fn head_path(&self, name: &str) -> io::Result<PathBuf> {
        Ok(self.durable_dir()?.join(format!("{name}.head.dat")))
    }

    pub fn save_metadata(&self, meta: &Metadata) -> io::Result<()> {
        let tmp = self.durable_dir()?.join(format!("{METADATA_FILE}.tmp"));
        fs::write(&tmp, serde_json::to_vec_pretty(meta)?)?;
        fs::rename(tmp, self.metadata_path()?)
    }

    /// What the last clean stop saved, `None` if nothing was.
    pub fn load_metadata(&self) -> io::Result<Option<Metadata>> {
        if !self.durable {
            return Ok(None);
        }
        match fs::read(self.metadata_path()?) {
            Ok(d) => Ok(Some(serde_json::from_slice(&d)?)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes the messages a queue held in memory (in flight, queued, deferred) at a clean stop.
    pub fn save_head<'a>(
        &self,
        name: &str,
        msgs: impl IntoIterator<Item = (&'a Message, Duration)>,
    ) -> io::Result<()> {
        let mut buf = Vec::new();
        for (m, d) in msgs {
            disk::encode(&mut buf, m, d);
        }
        if buf.is_empty() {
            return Ok(());
        }
        fs::write(self.head_path(name)?, buf)
    }

    /// Reads back (and removes) what [`save_head`](Self::save_head) wrote.
    pub fn load_head(&self, name: &str) -> io::Result<Vec<(Message, Duration)>> {
        let path = self.head_path(name)?;
        let data = match fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut r = &data[..];
        let mut out = Vec::new();
        while let Some((m, d, _)) = disk::decode(&mut r)? {
            out.push((m, d));
        }
        fs::remove_file(path)?;
        Ok(out)
    }
}

/// Whether a clean stop saved queues in `dir` (its metadata file is there).
pub fn saved_in(dir: &Path) -> bool {
    dir.join(METADATA_FILE).is_file()
}

#[cfg(unix)]
fn try_lock(f: &File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor we own; released when the file is closed.
    unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_f: &File) -> bool {
    true
}

static RELEASE_WANTED: AtomicBool = AtomicBool::new(false);

/// A large queue or table was emptied: its memory should go back to the system.
pub fn want_release() {
    RELEASE_WANTED.store(true, Ordering::Relaxed);
}

/// Gives freed memory back to the system if a large queue emptied since the last
/// call (glibc keeps freed heap memory for reuse otherwise).
pub fn release_memory_if_wanted() {
    if !RELEASE_WANTED.swap(false, Ordering::Relaxed) {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The topics and channels a clean stop saved, and whether they were paused.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub topics: Vec<TopicMeta>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TopicMeta {
    pub name: String,
    pub paused: bool,
    pub channels: Vec<ChannelMeta>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ChannelMeta {
    pub name: String,
    pub paused: bool,
}
