//! Read-only store connections for request handlers. A SQLite connection
//! serves one thread at a time, so each call takes an idle connection (or
//! opens one, up to the pool's size), runs on a blocking thread under the
//! store's time limit, and puts the connection back.

use gwr_store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Why a store call failed, for the HTTP layer.
#[derive(Debug)]
pub enum CallError {
    /// The store refused or failed the call.
    Store(StoreError),
    /// The call ran past its time limit.
    TimedOut(Duration),
    /// The server is shutting down or a worker failed.
    Unavailable(String),
}

/// Connections to one store, opened read-only.
pub struct Pool {
    dir: PathBuf,
    idle: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
    time: Duration,
}

impl Pool {
    /// Open the store once (which checks it) and keep that connection.
    pub fn open(dir: &Path, size: usize, time: Duration) -> Result<Pool, String> {
        let store = Store::open_read_only(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // The segmenter (with the store's lexicon) is made once here: the
        // built-in one is shared by every connection.
        store
            .segmenter()
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Pool {
            dir: dir.to_path_buf(),
            idle: Mutex::new(vec![store]),
            permits: Arc::new(Semaphore::new(size.max(1))),
            time,
        })
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Run `f` on a connection, within the pool's time limit.
    pub async fn call<T, F>(self: &Arc<Self>, f: F) -> Result<T, CallError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let time = self.time;
        self.call_within(time, f).await
    }

    /// [`Pool::call`] with its own time limit.
    pub async fn call_within<T, F>(self: &Arc<Self>, time: Duration, f: F) -> Result<T, CallError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| CallError::Unavailable(e.to_string()))?;
        let pool = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let store = match pool.idle.lock().ok().and_then(|mut v| v.pop()) {
                Some(s) => s,
                None => Store::open_read_only(&pool.dir).map_err(CallError::Store)?,
            };
            let result = store.within(time, f);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(store);
            }
            result.map_err(|e| match e {
                StoreError::TimedOut(_) => CallError::TimedOut(time),
                e => CallError::Store(e),
            })
        })
        .await;
        joined.map_err(|e| CallError::Unavailable(format!("worker failed: {e}")))?
    }
}
