//! Atomic file writes: a temporary file in the same folder, then a rename, so a reader or a
//! crash sees the old file or the new one, never half of one.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically, keeping the permissions of the file it replaces.
/// The parent folder must exist.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Error::io(path, &e, "write");
    let mut temp = tempfile::Builder::new()
        .prefix(".tandem-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    temp.write_all(contents).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    match std::fs::metadata(path) {
        Ok(meta) => {
            if meta.permissions().readonly() {
                return Err(Error::io(
                    path,
                    &std::io::Error::new(
                        std::io::ErrorKind::PermissionDenied,
                        "the file is read-only",
                    ),
                    "write",
                ));
            }
            temp.as_file()
                .set_permissions(meta.permissions())
                .map_err(fail)?;
        }
        Err(_) => {
            // A new file gets the usual permissions, not the temporary file's private ones.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = 0o666 & !current_umask();
                temp.as_file()
                    .set_permissions(std::fs::Permissions::from_mode(mode))
                    .map_err(fail)?;
            }
        }
    }
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn current_umask() -> u32 {
    // Reading the umask means setting it; there is no other portable way. Assume the common one.
    0o022
}

/// Creates a folder and its parents, with a clear error.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, &e, "create the folder"))
}
