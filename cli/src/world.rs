//! Files for the core: scenario files and the files they name, read relative to the
//! scenario's folder, with size limits and UTF-8 checks that produce located messages.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

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

/// Reads a UTF-8 text file of at most `MAX_FILE_BYTES`; `-` is standard input (read once, the
/// same text each time it is named). Devices and pipes are read only up to the limit.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let fail = |at, message: String| ReadError { path: path.to_path_buf(), at, message };
    let bytes = if path.as_os_str() == "-" {
        static STDIN: OnceLock<Result<Vec<u8>, String>> = OnceLock::new();
        STDIN
            .get_or_init(|| read_limited(std::io::stdin().lock(), MAX_FILE_BYTES))
            .clone()
            .map_err(|m| fail(None, m))?
    } else {
        read_bytes(path, MAX_FILE_BYTES).map_err(|m| fail(None, m))?
    };
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

/// A file of at most `limit` bytes (a scenario's, a trace's, a shard's), remembered as an
/// input of the command (`read_files`). A device or a pipe is read up to the limit.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = fs::metadata(path).map_err(|e| describe_io(&e))?;
    if meta.is_dir() {
        return Err("this is a folder, not a file".into());
    }
    if meta.len() > limit {
        return Err(format!("{} bytes is over the {limit} byte limit", meta.len()));
    }
    let file = fs::File::open(path).map_err(|e| describe_io(&e))?;
    let bytes = read_limited(file, limit)?;
    READ.lock().unwrap_or_else(|e| e.into_inner()).push(fs::canonicalize(path).unwrap_or_else(|_| path.into()));
    Ok(bytes)
}

/// At most `limit` bytes of `from`: a device such as /dev/zero, or a pipe, has no size to
/// check first, so the reading stops one byte past the limit.
fn read_limited(from: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    from.take(limit + 1).read_to_end(&mut bytes).map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "over the {limit} byte limit (read up to it: a device or a pipe that does not end?); give a file"
        ));
    }
    Ok(bytes)
}

/// Every file read so far (canonical paths): the inputs an output must not overwrite.
static READ: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The files read so far, canonical.
pub fn read_files() -> Vec<PathBuf> {
    READ.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
