//! The archive's writer lock: one process at a time changes an archive's index (ingest,
//! reindex, relink, authority import, or a curation bringing the index up to date).
//!
//! The lock is an advisory file lock (`flock`, through `std::fs::File::try_lock`) on
//! `DIR/writer.lock`, so the operating system releases it when its process ends, even by
//! `kill -9`: a crash never leaves a stale lock behind. The file holds who took it (pid,
//! command, when), so a second writer is told in one sentence what it waits for.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// The lock file's name in the data directory.
pub const LOCK_FILE: &str = "writer.lock";

/// The writer lock of one data directory, held until dropped.
#[derive(Debug)]
pub struct WriterLock {
    // held open: closing the file releases the lock
    _file: File,
}

/// Who holds a writer lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub command: String,
    /// UTC, RFC 3339.
    pub since: String,
}

impl Holder {
    /// "an ingest is running in DIR since 03:21 UTC (pid 4242)".
    pub fn describe(&self, dir: &Path) -> String {
        let time = self.since.get(11..16).unwrap_or(&self.since);
        let what = match self.command.as_str() {
            "ingest" => "an ingest".to_string(),
            c => format!("`chancery {c}`"),
        };
        format!("{what} is running in {} since {time} UTC (pid {})", dir.display(), self.pid)
    }
}

impl WriterLock {
    /// Take the lock of `dir` for `command`, or `Ok(None)` when another holds it.
    pub fn try_acquire(dir: &Path, command: &str) -> Result<Option<WriterLock>> {
        let path = dir.join(LOCK_FILE);
        let io = |source| Error::Io { path: path.clone(), source };
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let line = format!("{}\t{}\t{}\n", std::process::id(), command, crate::ledger::now());
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(line.as_bytes()).map_err(io)?;
        Ok(Some(WriterLock { _file: file }))
    }

    /// Take the lock of `dir` for `command`, or fail with the one sentence that says who holds
    /// it ([`Error::Busy`]).
    pub fn acquire(dir: &Path, command: &str) -> Result<WriterLock> {
        match Self::try_acquire(dir, command)? {
            Some(lock) => Ok(lock),
            None => Err(busy(dir)),
        }
    }
}

/// The error of a writer that finds the lock taken.
pub(crate) fn busy(dir: &Path) -> Error {
    let who = holder(dir).map(|h| h.describe(dir)).unwrap_or_else(|| {
        format!("another Chancery process is writing to {} (its lock file {} is held)", dir.display(), LOCK_FILE)
    });
    Error::Busy(format!("{who}; wait for it to finish, then try again"))
}

/// Who holds the lock of `dir`, when someone does.
pub fn holder(dir: &Path) -> Option<Holder> {
    let path: PathBuf = dir.join(LOCK_FILE);
    let file = File::open(&path).ok()?;
    // held by someone only if we cannot take it ourselves
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            return None;
        }
        Err(TryLockError::WouldBlock) => {}
        Err(TryLockError::Error(_)) => return None,
    }
    let mut text = String::new();
    (&file).read_to_string(&mut text).ok()?;
    let mut fields = text.trim_end().splitn(3, '\t');
    let pid = fields.next()?.parse().ok()?;
    let command = fields.next()?.to_string();
    let since = fields.next()?.to_string();
    Some(Holder { pid, command, since })
}
