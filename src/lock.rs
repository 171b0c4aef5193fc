//! The publication's write lock (`.tandem/lock`): `new` and `mark` hold it shared, `gc` holds it
//! alone, so `gc` never deletes a snapshot that a writer has just saved and not yet pointed a
//! translation at. The lock is the operating system's (flock), so a killed command leaves no
//! stale lock behind: the file stays, the lock goes with the process.

use crate::error::{Error, Result};
use crate::snapshot::TANDEM_DIR;
use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

const LOCK_FILE: &str = "lock";
/// How long a command waits for another to finish before giving up.
const WAIT: Duration = Duration::from_secs(3);

/// A held lock; released when dropped (or when the process ends, however it ends).
pub struct Lock {
    _file: File,
}

/// Takes the lock: shared (`new`, `mark`: several may write at once) or exclusive (`gc`).
/// Waits a little for another command to finish, then says which lock is held.
pub fn take(root: &Path, exclusive: bool) -> Result<Lock> {
    let dir = root.join(TANDEM_DIR);
    crate::write::check_inside(root, &dir, TANDEM_DIR)?;
    crate::write::create_dir_all(&dir)?;
    let path = dir.join(LOCK_FILE);
    let shown = format!("{TANDEM_DIR}/{LOCK_FILE}");
    let file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(&path, &e, "open the lock file").with_path(&shown))?;
    let started = Instant::now();
    loop {
        let tried = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match tried {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(TryLockError::WouldBlock) if started.elapsed() < WAIT => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(TryLockError::WouldBlock) => {
                let what = if exclusive {
                    "another tandem command is writing to this publication"
                } else {
                    "`tandem gc` is running on this publication"
                };
                return Err(Error::new(format!("{what} ({shown} is held)"))
                    .with_path(&shown)
                    .with_hint("run this again when it has finished; the lock goes when that command ends, even if it is killed"));
            }
            Err(TryLockError::Error(e)) => {
                return Err(Error::io(&path, &e, "lock").with_path(&shown));
            }
        }
    }
}
