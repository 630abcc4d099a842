//! What the store targets share: a small store made once per process.

use std::path::PathBuf;

/// A new store in a temporary directory named after `name`, holding one
/// report of `text`; returns its directory.
pub fn small_store(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gwr-fuzz-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = gwr_store::Store::open(&dir).expect("store opens");
    let file = gwr_engine::Engine::new()
        .parse_bytes("a.txt", text.as_bytes())
        .expect("parses");
    let hash = gwr_store::content_hash(text.as_bytes());
    store
        .add(std::path::Path::new("a.txt"), &hash, text.len(), &file)
        .expect("adds");
    dir
}
