//! Finding and reading input files.

use std::path::{Path, PathBuf};

/// Files larger than this are refused before reading.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Expand paths (directories recursively, in name order; hidden entries
/// skipped). Paths that cannot be listed are returned as one-line failures.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for p in paths {
        walk(p, true, &mut files, &mut failures);
    }
    (files, failures)
}

fn walk(p: &Path, top: bool, files: &mut Vec<PathBuf>, failures: &mut Vec<String>) {
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            failures.push(format!("{}: {}", p.display(), io_message(&e)));
            return;
        }
    };
    if meta.is_dir() {
        let entries = match std::fs::read_dir(p) {
            Ok(rd) => rd,
            Err(e) => {
                failures.push(format!("{}: {}", p.display(), io_message(&e)));
                return;
            }
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
        for c in children {
            walk(&c, false, files, failures);
        }
    } else if meta.is_file() || top {
        files.push(p.to_path_buf());
    }
}

/// Read a file whole, refusing files over [`MAX_FILE_BYTES`].
pub fn read(p: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(p).map_err(|e| io_message(&e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file too large: {} MB (limit {} MB)",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    std::fs::read(p).map_err(|e| io_message(&e))
}

/// The name records carry: the file name without directories.
pub fn display_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}
