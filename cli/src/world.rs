//! Files for the core: scenario files and the files they name, read relative to the
//! scenario's folder, with size limits and UTF-8 checks that produce located messages.

use std::fs;
use std::path::{Path, PathBuf};

use deploysim_core::World;

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads files relative to a folder.
pub struct FsWorld {
    pub base: PathBuf,
}

impl World for FsWorld {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        read_text(&full)
    }
}

/// Reads a text file; the error is a sentence naming the problem and, for bad UTF-8, where it is.
pub fn read_text(path: &Path) -> Result<String, String> {
    let meta = fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), describe_io(&e)))?;
    if meta.is_dir() {
        return Err(format!("{} is a folder, not a file", path.display()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("{} is {} bytes, over the {} byte limit", path.display(), meta.len(), MAX_FILE_BYTES));
    }
    let bytes = fs::read(path).map_err(|e| format!("{}: {}", path.display(), describe_io(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        format!(
            "{}:{line}:{column}: the file is not UTF-8 text (invalid byte 0x{:02x}); save it as UTF-8",
            path.display(),
            e.as_bytes()[valid]
        )
    })
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
