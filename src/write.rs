//! Writing files safely: atomically (a temporary file in the same folder, then a rename, so a
//! reader or a crash sees the old file or the new one, never half of one), keeping the
//! permissions of the file replaced, and never through a symbolic link out of the project.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const TEMP_PREFIX: &str = ".tandem-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file this old was left by a run that was killed: it is removed.
const STALE: Duration = Duration::from_secs(60);

/// A new version of a file, written and synced beside it, not yet in place.
pub struct Staged {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Puts the file in place only if nothing is there yet.
    pub fn commit_new(self) -> Result<()> {
        let path = self.path;
        self.temp
            .persist_noclobber(&path)
            .map_err(|e| Error::io(&path, &e.error, "create"))?;
        Ok(())
    }

    /// Puts the new version in place (one rename).
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        self.temp
            .persist(&path)
            .map_err(|e| Error::io(&path, &e.error, "write"))?;
        Ok(())
    }
}

/// Writes `contents` beside `path` without touching `path`. Nothing changes if this fails: a
/// read-only file, a full disk. The parent folder must exist.
pub fn stage(path: &Path, contents: &[u8]) -> Result<Staged> {
    stage_parts(path, &[contents], true)
}

/// Like [`stage`], with the contents in parts written one after the other. With `durable`, the
/// data reaches the disk before the rename (a user's file); a cache that is rebuilt when it is
/// unusable skips that.
fn stage_parts(path: &Path, parts: &[&[u8]], durable: bool) -> Result<Staged> {
    stage_with(path, durable, &mut |out| {
        parts.iter().try_for_each(|part| out.write_all(part))
    })
}

/// Like [`stage_parts`], with the contents written by `fill` as they are made.
fn stage_with(
    path: &Path,
    durable: bool,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Error::io(path, &e, "write");
    sweep_once(dir);
    let existing = std::fs::metadata(path).ok();
    if existing
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(Error::io(
            path,
            &std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            ),
            "write",
        ));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(fail)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
    fill(&mut out).map_err(fail)?;
    out.flush().map_err(fail)?;
    drop(out);
    if durable {
        temp.as_file().sync_all().map_err(fail)?;
    }
    match existing {
        Some(meta) => temp
            .as_file()
            .set_permissions(meta.permissions())
            .map_err(fail)?,
        None => {
            // A new file gets the usual permissions, not the temporary file's private ones.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                temp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))
                    .map_err(fail)?;
            }
        }
    }
    Ok(Staged {
        temp,
        path: path.to_path_buf(),
    })
}

/// Writes `contents` to `path` atomically, keeping the permissions of the file it replaces.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    stage(path, contents)?.commit()
}

/// Like [`write_atomic`], with the contents written by `fill` as they are made: a large file is
/// never held whole. Nothing changes if `fill` fails.
pub fn write_atomic_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    stage_with(path, true, fill)?.commit()
}

/// Writes a cache file: atomically (never half a file), from parts, without waiting for the
/// disk (a cache lost in a crash is rebuilt).
pub fn write_cache(path: &Path, parts: &[&[u8]]) -> Result<()> {
    stage_parts(path, parts, false)?.commit()
}

/// Sweeps `dir` the first time this run writes in it, and never again: a later sweep could
/// take this run's own temporary files for a killed run's once they are old (a run stopped for
/// a minute mid-way), and one sweep per written file would list the folder again and again.
fn sweep_once(dir: &Path) {
    static SWEPT: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<PathBuf>>> =
        std::sync::OnceLock::new();
    let swept = SWEPT.get_or_init(Default::default);
    let first = swept
        .lock()
        .map(|mut s| s.insert(dir.to_path_buf()))
        .unwrap_or(false);
    if first {
        sweep_stale_temps(dir);
    }
}

/// Removes temporary files that a killed run left in `dir` (they are hidden from scans too).
pub fn sweep_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE);
        if old && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Every temporary file of an interrupted write under these folders (not following links), in
/// path order.
pub fn leftover_temps(root: &Path, dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = dirs
        .iter()
        .filter(|d| is_inside(root, d))
        .cloned()
        .collect();
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            let name = e.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() && name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
            {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The first folder between `root` and `path` (both excluded) that is a symbolic link.
fn linked_folder_on_the_way(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Some(at),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Creates a folder and its parents, with a clear error.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, &e, "create the folder"))
}

/// Whether `path` is inside `root` once symbolic links are resolved. A path that does not exist
/// yet is judged by its nearest existing folder.
pub fn is_inside(root: &Path, path: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    let mut probe = path.to_path_buf();
    while std::fs::symlink_metadata(&probe).is_err() {
        match probe.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => probe = parent.to_path_buf(),
            _ => return false,
        }
    }
    match probe.canonicalize() {
        Ok(resolved) => resolved.starts_with(&root),
        // A dangling link: where it leads cannot be checked, so it is not written through.
        Err(_) => false,
    }
}

/// Refuses a write that would land outside the project through a symbolic link, or that would
/// go through a folder that is a link: the scan never walks into one, so a writer does not
/// either (`translations/es/news -> ../fr/news` must not receive Spanish drafts).
pub fn check_inside(root: &Path, path: &Path, shown: &str) -> Result<()> {
    if let Some(link) = linked_folder_on_the_way(root, path) {
        let link = crate::config::display_path(root, &link);
        return Err(Error::new(format!(
            "{shown} would be written through {link}, a symbolic link to a folder"
        ))
        .with_path(shown)
        .with_hint("tandem neither reads nor writes through folder links; write the file where the link leads, or replace the link with a folder"));
    }
    if is_inside(root, path) {
        Ok(())
    } else {
        Err(Error::new(format!("{shown} would be written outside the project"))
            .with_path(shown)
            .with_hint("a file or folder on the way is a symbolic link that leads out of the project; tandem does not write through it"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_never_sweeps_its_own_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        // A killed run's leftover, and this run's first staged file, both older than STALE
        // (as after a run stopped for two minutes).
        let leftover = dir.path().join(".tandem-left.tmp");
        std::fs::write(&leftover, "x").unwrap();
        let long_ago = SystemTime::now() - Duration::from_secs(600);
        let age = |p: &Path| {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(long_ago)
                .unwrap()
        };
        age(&leftover);
        let staged_a = stage(&a, b"new a").unwrap();
        assert!(!leftover.exists(), "the first write in a folder sweeps it");
        age(staged_a.temp.path());
        let staged_b = stage(&b, b"new b").unwrap();
        staged_a.commit().unwrap();
        staged_b.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
    }
}
