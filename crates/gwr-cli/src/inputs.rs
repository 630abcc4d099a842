//! Finding and reading input files.
//!
//! Walking never blocks and never runs away: only regular files are opened
//! (FIFOs, sockets and devices are skipped with a message, from their
//! metadata, before any open), symlinked directories inside a walked
//! directory are followed only when asked, and then each directory is read
//! once (by device and inode), so a symlink loop ends. Reading takes at most
//! [`MAX_FILE_BYTES`] + 1 bytes from any file, whatever its size claims.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files larger than this are refused.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Directories nested deeper than this are not entered.
const MAX_DEPTH: usize = 256;

/// How to walk directories.
#[derive(Clone, Copy, Default)]
pub struct Walk {
    /// Follow symlinks to directories found inside walked directories.
    pub follow: bool,
    /// Seconds one file may take (`--file-timeout`): `None` for the default
    /// (scaled by the file's size), `Some(0.0)` for no limit.
    pub file_timeout: Option<f64>,
}

/// The default time a file may take: this much…
const TIMEOUT_BASE_SECS: u64 = 10;
/// …plus this much per megabyte (real reports parse at well over 5 MB/s).
const TIMEOUT_PER_MB_SECS: u64 = 5;

impl Walk {
    /// The budget of a file of `bytes` bytes: the engine's text cap and the
    /// time `--file-timeout` allows, counted from now.
    pub fn budget(&self, bytes: usize) -> gwr_engine::Budget {
        use std::time::Duration;
        match self.file_timeout {
            Some(s) if s <= 0.0 || !s.is_finite() => gwr_engine::Budget::default(),
            Some(s) => gwr_engine::Budget::timed(Duration::from_secs_f64(s.min(1e9))),
            None => gwr_engine::Budget::timed(gwr_engine::Budget::default_timeout(
                bytes,
                Duration::from_secs(TIMEOUT_BASE_SECS),
                Duration::from_secs(TIMEOUT_PER_MB_SECS),
            )),
        }
    }
}

/// Expand paths (directories recursively, in name order; hidden entries
/// skipped). Paths that cannot be listed or are not regular files are
/// returned as one-line messages.
pub fn collect(paths: &[PathBuf], how: Walk) -> (Vec<PathBuf>, Vec<String>) {
    let mut w = Walker {
        how,
        files: Vec::new(),
        failures: Vec::new(),
        seen: HashSet::new(),
        stack: Vec::new(),
    };
    for p in paths {
        w.walk(p, 0);
    }
    (w.files, w.failures)
}

struct Walker {
    how: Walk,
    files: Vec<PathBuf>,
    failures: Vec<String>,
    /// (device, inode) of every directory read so far.
    seen: HashSet<(u64, u64)>,
    /// (device, inode) of the directories being read (the current branch).
    stack: Vec<(u64, u64)>,
}

impl Walker {
    fn fail(&mut self, p: &Path, message: &str) {
        self.failures.push(format!("{}: {message}", shown(p)));
    }

    fn walk(&mut self, p: &Path, depth: usize) {
        let top = depth == 0;
        // Named paths are followed; inside a directory, a symlink is looked
        // at first.
        let link = if top {
            None
        } else {
            match std::fs::symlink_metadata(p) {
                Ok(m) => Some(m.file_type().is_symlink()),
                Err(e) => return self.fail(p, &io_message(&e)),
            }
        };
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) if link == Some(true) => {
                return self.fail(p, &format!("broken symlink ({})", io_message(&e)));
            }
            Err(e) => return self.fail(p, &io_message(&e)),
        };
        if meta.is_dir() {
            if link == Some(true) && !self.how.follow {
                return self.fail(p, "symlink to a directory, not followed (use --follow)");
            }
            if depth >= MAX_DEPTH {
                return self.fail(
                    p,
                    &format!("nested more than {MAX_DEPTH} directories deep, skipped"),
                );
            }
            let id = file_id(&meta);
            if let Some(id) = id {
                if self.stack.contains(&id) {
                    return self.fail(p, "symlink loop, not followed");
                }
                if !self.seen.insert(id) {
                    return self.fail(p, "directory already read under another name, skipped");
                }
            }
            let entries = match std::fs::read_dir(p) {
                Ok(rd) => rd,
                Err(e) => return self.fail(p, &io_message(&e)),
            };
            let mut children: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|c| {
                    !c.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            children.sort();
            if let Some(id) = id {
                self.stack.push(id);
            }
            for c in children {
                self.walk(&c, depth + 1);
            }
            if id.is_some() {
                self.stack.pop();
            }
        } else if meta.is_file() {
            self.files.push(p.to_path_buf());
        } else {
            let what = kind_of(&meta);
            self.fail(p, &format!("{what}, not a regular file: skipped"));
        }
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// What a non-regular, non-directory file is.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "named pipe";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    let _ = meta;
    "special file"
}

/// Open a file for reading without ever blocking (a FIFO swapped in after
/// the walk would block an ordinary open).
fn open(p: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(p)
}

/// Read a file whole: only a regular file, and at most [`MAX_FILE_BYTES`].
pub fn read(p: &Path) -> Result<Vec<u8>, String> {
    let file = open(p).map_err(|e| io_message(&e))?;
    let meta = file.metadata().map_err(|e| io_message(&e))?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        return Err(format!("{}, not a regular file: skipped", kind_of(&meta)));
    }
    let too_large = |n: u64| {
        format!(
            "file too large: {} MB (limit {} MB)",
            n / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    // The size may change while reading: never take more than the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The name records carry: the file name without directories.
pub fn display_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// A path as messages print it: control characters (newline, ESC, …),
/// bidirectional overrides and bytes that are not UTF-8 escaped, so a file
/// name can neither forge a line nor reach the terminal as a command.
pub fn shown(p: &Path) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        p.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = p.to_string_lossy().into_owned().into_bytes();
    escape_bytes(&bytes)
}

/// [`shown`] for any text that came from outside (a name, a message).
pub fn escape(s: &str) -> String {
    escape_bytes(s.as_bytes())
}

fn escape_bytes(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control()
                    || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
                {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => escape(&e.to_string()),
    }
}

/// Files grouped for one store write transaction each (`gwr ingest`, the
/// Python `Store.ingest`): up to 128 files or 16 MB, so the full-text
/// indexes get large, cheap flushes and memory stays bounded.
#[allow(dead_code)] // used by the store commands and the Python package
pub fn write_batches(files: &[PathBuf]) -> Vec<&[PathBuf]> {
    const MAX_FILES: usize = 128;
    const MAX_BYTES: u64 = 16 << 20;
    let mut batches = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        bytes += std::fs::metadata(f).map_or(0, |m| m.len());
        if i + 1 - start >= MAX_FILES || bytes >= MAX_BYTES {
            batches.push(&files[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < files.len() {
        batches.push(&files[start..]);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_forge_lines_or_reach_the_terminal() {
        assert_eq!(escape("a\nb"), "a\\nb");
        assert_eq!(escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape("报告\u{202E}txt.exe"), "报告\\u{202e}txt.exe");
        assert_eq!(escape_bytes(b"a\xffb"), "a\\xffb");
        assert_eq!(escape("政府工作报告.txt"), "政府工作报告.txt");
    }
}
