//! Shared by the server's tests: a store of the bundled samples, built once
//! per test binary, and requests sent straight to the router.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Ingest every file of `dir` into a new store under `target/`.
pub fn ingest(dir: &Path, name: &str) -> PathBuf {
    let db = root().join("target").join("gwr-serve-tests").join(name);
    let _ = std::fs::remove_dir_all(&db);
    let mut store = gwr_store::Store::open(&db).expect("store opens");
    let engine = gwr_engine::Engine::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("samples are there")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).expect("sample reads");
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        let parsed = engine.parse_bytes(name, &bytes).expect("sample parses");
        let hash = gwr_store::content_hash(&bytes);
        store
            .add(&f, &hash, bytes.len(), &parsed)
            .expect("sample is stored");
    }
    db
}

/// The store of the bundled samples (`samples/`), made once.
pub fn samples_db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        ingest(
            &root().join("samples"),
            &format!("samples-{}", std::process::id()),
        )
    })
}

pub fn app() -> gwr_serve::App {
    gwr_serve::App::open(samples_db(), gwr_serve::Limits::default()).expect("the store opens")
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send one request to a fresh router over `app`.
pub async fn send(app: &gwr_serve::App, req: Request<Body>) -> Reply {
    let r = gwr_serve::router(app.clone())
        .oneshot(req)
        .await
        .expect("the router answers");
    let status = r.status();
    let headers = r.headers().clone();
    let body = r
        .into_body()
        .collect()
        .await
        .expect("the body reads")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &gwr_serve::App, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// Percent-encode a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GET over plain HTTP/1.1 from a server on a port: the body as text.
pub async fn http_get(url: &str) -> String {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<axum::body::Bytes>>();
    let uri: axum::http::Uri = url.parse().expect("a uri");
    let r = client.get(uri).await.expect("an answer");
    let body = r.into_body().collect().await.expect("a body").to_bytes();
    String::from_utf8_lossy(&body).into_owned()
}

/// A server over `app` on a free localhost port: its base URL, the sender
/// that stops it, and its task.
pub async fn start(
    app: gwr_serve::App,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), String>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(gwr_serve::serve(listener, app, async {
        let _ = stopped.await;
    }));
    (base, stop, server)
}
