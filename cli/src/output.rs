//! What the CLI writes, made safe: the report on standard output through fallible writes (a
//! closed pipe ends quietly, a full disk or a closed stdout is an error, never a panic), output
//! files checked before any work and written through a temporary file renamed into place, and
//! Ctrl-C, which stops the replications and leaves no partial file (exit 130).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use crate::Exit;

/// The exit status of an interrupted command (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

const STDOUT_OK: u8 = 0;
const STDOUT_PIPE_CLOSED: u8 = 1;
const STDOUT_FAILED: u8 = 2;

/// What became of standard output: fine, a reader that went away, or an error (printed).
static STDOUT: AtomicU8 = AtomicU8::new(STDOUT_OK);

/// Writes `text` to standard output. A reader that went away (`| head`) stops further output
/// quietly; any other failure (`>/dev/full`, a closed stdout) is printed once and makes the
/// command exit 2 (see `status`).
pub fn print(text: &str) {
    if STDOUT.load(Ordering::Relaxed) != STDOUT_OK || text.is_empty() {
        return;
    }
    if stdout_closed() {
        fail_stdout(
            "standard output is closed (`>&-`), so the report would be lost; redirect it to a file or /dev/null",
        );
        return;
    }
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => STDOUT.store(STDOUT_PIPE_CLOSED, Ordering::Relaxed),
        Err(e) => fail_stdout(&e.to_string()),
    }
}

/// `print!`, through `print`: never panics on a closed or full standard output.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::print(&format!($($arg)*))
    };
}

/// `println!`, through `print`.
macro_rules! outln {
    () => {
        $crate::output::print("\n")
    };
    ($($arg:tt)*) => {
        $crate::output::print(&(format!($($arg)*) + "\n"))
    };
}

pub(crate) use {out, outln};

fn fail_stdout(why: &str) {
    STDOUT.store(STDOUT_FAILED, Ordering::Relaxed);
    errln!("error: cannot write the output to standard output: {why}");
}

/// The command's exit status once its output is written: 2 if standard output failed (the
/// report is lost), else `exit` (a reader that closed the pipe early changes nothing).
pub fn status(exit: Exit) -> Exit {
    if STDOUT.load(Ordering::Relaxed) == STDOUT_FAILED { exit.max(Exit::BadInput) } else { exit }
}

/// Whether standard output was closed when the program started (`>&-`). The Rust runtime opens
/// /dev/null in its place, read-write; a redirection to /dev/null opens it write-only.
#[cfg(target_os = "linux")]
fn stdout_closed() -> bool {
    let null = fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == Path::new("/dev/null"));
    null && fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
        info.lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            .is_some_and(|flags| flags & 0o3 == 0o2)
    })
}

#[cfg(not(target_os = "linux"))]
fn stdout_closed() -> bool {
    false
}

/// Checks an output file before any work (`flag` names the option in the message): its folder
/// exists and is writable, it is not a folder, and it is none of the files the command has
/// read (the scenario, its trace file, a shard), symlinks followed.
pub fn check(flag: &str, path: &Path) -> Result<(), String> {
    let shown = path.display();
    let fail = |why: String| Err(format!("error: {flag} {shown}: {why}"));
    if path.as_os_str() == "-" {
        return fail("this option writes a file, not standard output; name a file".into());
    }
    if path.is_dir() {
        return fail("this is a folder; name a file in it".into());
    }
    let Some(name) = path.file_name() else { return fail("this names no file".into()) };
    let dir = folder(path);
    if !dir.is_dir() {
        return fail(format!(
            "the folder {} does not exist; create it first (mkdir -p {})",
            dir.display(),
            dir.display()
        ));
    }
    let probe = temporary(&dir.join(name));
    match fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
        }
        Err(e) => {
            return fail(format!(
                "cannot write in the folder {} ({}); choose another folder",
                dir.display(),
                describe(&e)
            ));
        }
    }
    if let Some(input) = crate::world::read_files().into_iter().find(|input| same_file(path, input)) {
        return fail(format!(
            "this is {}, which this command reads; writing it would destroy the input: choose another name",
            input.display()
        ));
    }
    Ok(())
}

/// `check` for every output of one command, and that no two of them are the same file.
pub fn check_all(outputs: &[(&str, PathBuf)]) -> Result<(), String> {
    for (i, (flag, path)) in outputs.iter().enumerate() {
        check(flag, path)?;
        if let Some((other, first)) = outputs[..i].iter().find(|(_, p)| same_file(p, path)) {
            return Err(format!(
                "error: {flag} {} and {other} {}: both are the same file, so one would overwrite the other",
                path.display(),
                first.display()
            ));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` safely (`write_with`).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_with(path, |tmp| fs::write(tmp, bytes).map_err(|e| describe(&e)))
}

/// Has `draw` write a temporary file in `path`'s folder (same extension, so a chart backend
/// picks the same format), then renames it over `path` (through a symlink, onto its target):
/// an existing file is replaced only by a complete one, and an interrupted run leaves the old
/// file as it was. Prints `wrote PATH` on standard error.
pub fn write_with(path: &Path, draw: impl FnOnce(&Path) -> Result<(), String>) -> Result<(), String> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let tmp = temporary(&target);
    PARTIAL.lock().unwrap_or_else(|e| e.into_inner()).push(tmp.clone());
    let done = draw(&tmp).and_then(|()| fs::rename(&tmp, &target).map_err(|e| describe(&e)));
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    PARTIAL.lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != &tmp);
    done.map_err(|why| format!("error: cannot write {}: {why}", path.display()))?;
    errln!("wrote {}", path.display());
    Ok(())
}

/// Temporary files being written, removed if the program is interrupted.
static PARTIAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Has Ctrl-C remove `path`, a file being written (a shard's, opened before its run).
pub fn remove_if_interrupted(path: &Path) {
    PARTIAL.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_path_buf());
}

/// `dir/.name.PID.tmp.ext`: beside `path`, so the rename stays on one file system.
fn temporary(path: &Path) -> PathBuf {
    let stem = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!(".{stem}.{}.tmp{ext}", std::process::id()))
}

fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether two paths name one file: the same canonical path (symlinks followed), or for a file
/// not yet there, the same canonical folder and name.
fn same_file(a: &Path, b: &Path) -> bool {
    let key = |p: &Path| {
        fs::canonicalize(p)
            .ok()
            .or_else(|| Some(fs::canonicalize(folder(p)).ok()?.join(p.file_name()?)))
            .unwrap_or_else(|| p.to_path_buf())
    };
    key(a) == key(b)
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        _ => e.to_string(),
    }
}

/// Set by Ctrl-C while replications run: they stop, and the command exits 130.
static STOP: AtomicBool = AtomicBool::new(false);
/// Whether replications are running (Ctrl-C then stops them rather than the program).
static RUNNING: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler: while replications run (`running`), the first Ctrl-C asks them
/// to stop; otherwise, or at the second, the program ends at once with 130, removing any
/// temporary file being written.
pub fn handle_interrupts() {
    // Without a handler (it cannot be installed), Ctrl-C ends the program as usual.
    let _ = ctrlc::set_handler(|| {
        if RUNNING.load(Ordering::SeqCst) && !STOP.swap(true, Ordering::SeqCst) {
            return;
        }
        interrupted();
    });
}

/// Marks the replications as running (or no longer).
pub fn running(on: bool) {
    RUNNING.store(on, Ordering::SeqCst);
}

/// Whether Ctrl-C asked the replications to stop.
pub fn stopping() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Ends the program after Ctrl-C: nothing more is written, temporary files are removed.
pub fn interrupted() -> ! {
    for tmp in PARTIAL.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        let _ = fs::remove_file(tmp);
    }
    errln!("interrupted: stopped; no report printed and no file written");
    std::process::exit(i32::from(INTERRUPTED));
}
