//! Files for the core: scenario files and the files they name, read relative to the
//! scenario's folder, with size limits and UTF-8 checks that produce located messages.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use deploysim_core::World;

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads files relative to a folder.
pub struct FsWorld {
    /// The folder relative paths start from (the scenario's own).
    pub base: PathBuf,
}

impl World for FsWorld {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        read_text(&full).map_err(|e| match e.at {
            Some((line, column)) => format!("{}:{line}:{column}: {}", full.display(), e.message),
            None => format!("{} ({})", e.message, full.display()),
        })
    }
}

/// Why a file could not be read as text.
#[derive(Debug)]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Line and column of the problem, when it has one.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ReadError {
    /// `path[:line:column]: error: message`, the shape editors and CI annotations parse.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.at {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": error: {}", self.message)
    }
}

/// Reads a UTF-8 text file of at most `MAX_FILE_BYTES`.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let fail = |at, message: String| ReadError { path: path.to_path_buf(), at, message };
    let meta = fs::metadata(path).map_err(|e| fail(None, describe_io(&e)))?;
    if meta.is_dir() {
        return Err(fail(None, "this is a folder, not a file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(None, format!("{} bytes is over the {MAX_FILE_BYTES} byte limit", meta.len())));
    }
    let bytes = fs::read(path).map_err(|e| fail(None, describe_io(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..valid];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        let byte = e.as_bytes()[valid];
        fail(Some((line, column)), format!("the file is not UTF-8 text (invalid byte 0x{byte:02x}); save it as UTF-8"))
    })
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
