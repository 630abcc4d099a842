//! `gwr serve`: a web reader and a versioned JSON API over a corpus store.
//!
//! A thin layer: every answer is a read of [`gwr_store`] (or, for a file
//! opened without storing, of a store in memory) or an analysis of
//! [`gwr_engine`]; this crate only routes, limits and renders.
//!
//! - [`api`]: `/api/v1/…` routes, JSON errors, the OpenAPI description.
//! - `pages`: server-rendered HTML (maud escapes every value), one
//!   script and one chart library from `assets/`, embedded in the binary.
//! - `pool`: read-only store connections used from blocking threads, each
//!   call under a time limit.

pub mod api;
mod assets;
mod highlight;
mod pages;
mod pool;
mod source;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use pool::Pool;

/// What one request may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file "open a file" takes, and largest request body.
    pub upload_bytes: usize,
    /// Rows `/api/v1/sql` returns at most.
    pub sql_rows: u64,
    /// Rows an export writes at most.
    pub export_rows: u64,
    /// Time limit of a store read (SQL, search, listings).
    pub query_time: Duration,
    /// Time limit of parsing an uploaded file.
    pub parse_time: Duration,
    /// Requests handled at once; more wait.
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            upload_bytes: 16 << 20,
            sql_rows: 10_000,
            export_rows: 1_000_000,
            query_time: Duration::from_secs(10),
            parse_time: Duration::from_secs(30),
            concurrency: std::thread::available_parallelism().map_or(2, |n| n.get() * 2),
        }
    }
}

/// The server's state: the store's connections, the limits and the engine
/// for files opened without storing.
#[derive(Clone)]
pub struct App {
    pub(crate) pool: Arc<Pool>,
    pub(crate) limits: Limits,
    pub(crate) engine: Arc<gwr_engine::Engine>,
}

impl App {
    /// An app over the store in `db`, opened read-only (an error when it
    /// is missing, not a gwr store, older than this gwr, or damaged). The
    /// segmenter's dictionary is loaded here, once per process.
    pub fn open(db: &Path, limits: Limits) -> Result<App, String> {
        let pool = Pool::open(db, limits.concurrency, limits.query_time)?;
        Ok(App {
            pool: Arc::new(pool),
            limits,
            engine: Arc::new(gwr_engine::Engine::new()),
        })
    }
}

/// Every route: the pages, the assets and `/api/v1`.
pub fn router(app: App) -> Router {
    let body = app.limits.upload_bytes + (64 << 10);
    Router::new()
        .merge(pages::routes())
        .merge(assets::routes())
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(body))
        .layer(axum::middleware::map_response(secure))
        .with_state(app)
}

/// The Content-Security-Policy of every response: scripts, styles and
/// requests only from this server, no inline script or style, no frames,
/// forms only to this server.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

/// How `gwr serve` runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    pub limits: Limits,
}

/// Serve until Ctrl-C (or SIGTERM): prints the URL once listening.
pub fn run(config: Config) -> Result<(), String> {
    let app = App::open(&config.db, config.limits)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let shutdown = shutdown_signal();
        println!(
            "gwr serve: http://{addr}/  (store {}; Ctrl-C stops)",
            config.db.display()
        );
        serve(listener, app, shutdown).await
    })
}

/// Serve on a bound listener until `shutdown` completes (tests bind port 0).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Ctrl-C or SIGTERM. On Unix both are listened for from the moment this
/// is called (before the URL is printed), not from when the server first
/// polls the future: a signal sent as soon as the server answers stops it
/// cleanly rather than killing it.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let wait = {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        let on = |s: Option<tokio::signal::unix::Signal>| async move {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        async move {
            tokio::select! {
                _ = on(interrupt) => {},
                _ = on(terminate) => {},
            }
        }
    };
    #[cfg(not(unix))]
    let wait = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    async move {
        wait.await;
        eprintln!("gwr serve: stopped");
    }
}
