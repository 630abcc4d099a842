//! A load test against the server on localhost: for the reader, search
//! and facts, `GWR_LOAD_REQUESTS` requests (default 300) from
//! `GWR_LOAD_CONCURRENCY` connections (default 4), each endpoint stopped
//! after `GWR_LOAD_SECONDS` (default 15). Prints requests/s and p50/p99;
//! fails only on an error answer (speed is measured, not asserted).
//!
//! Figures for README: `GWR_LOAD_REQUESTS=5000 cargo test --release -p
//! gwr-serve --test load -- --nocapture`.

mod common;

use http_body_util::BodyExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

type HttpClient = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Empty<axum::body::Bytes>,
>;

async fn fetch(client: &HttpClient, url: &str) -> (bool, Duration) {
    let t = Instant::now();
    let Ok(uri) = url.parse::<axum::http::Uri>() else {
        return (false, t.elapsed());
    };
    let ok = match client.get(uri).await {
        Ok(r) => {
            let status = r.status();
            r.into_body().collect().await.is_ok() && status.is_success()
        }
        Err(_) => false,
    };
    (ok, t.elapsed())
}

/// Run one endpoint: returns (requests done, errors, seconds, latencies).
async fn run(
    client: &HttpClient,
    url: &str,
    total: usize,
    conns: usize,
    limit: Duration,
) -> (usize, usize, f64, Vec<Duration>) {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (client, url, next) = (client.clone(), url.to_string(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while next.fetch_add(1, Ordering::Relaxed) < total && start.elapsed() < limit {
                let (ok, d) = fetch(&client, &url).await;
                errors += usize::from(!ok);
                lat.push(d);
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort();
    (all.len(), errors, secs, all)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_on_localhost() {
    let total = setting("GWR_LOAD_REQUESTS", 300) as usize;
    let conns = setting("GWR_LOAD_CONCURRENCY", 4).max(1) as usize;
    let limit = Duration::from_secs(setting("GWR_LOAD_SECONDS", 15));
    let app = common::app();
    let (base, stop, server) = common::start(app).await;
    let client: HttpClient =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
    let docs: serde_json::Value = serde_json::from_str(
        &common::http_get(&format!("{base}/api/v1/documents?region=330102&year=2024")).await,
    )
    .expect("json");
    let id = docs["items"][0]["id"].as_i64().expect("an id");
    let endpoints = [
        ("reader page", format!("{base}/doc/{id}")),
        ("document API", format!("{base}/api/v1/documents/{id}")),
        (
            "search API",
            format!("{base}/api/v1/search?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&limit=20"),
        ),
        (
            "search page",
            format!("{base}/search?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"),
        ),
        (
            "facts API",
            format!("{base}/api/v1/facts?metric=gdp&limit=100"),
        ),
    ];
    println!(
        "load: {total} requests per endpoint, {conns} connections, at most {} s each",
        limit.as_secs()
    );
    println!(
        "{:<14} {:>8} {:>8} {:>9} {:>9} {:>9}",
        "endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms"
    );
    let mut failed = 0;
    for (name, url) in &endpoints {
        // Warm: the first answer loads nothing more afterwards.
        let _ = fetch(&client, url).await;
        let (n, errors, secs, lat) = run(&client, url, total, conns, limit).await;
        failed += errors;
        println!(
            "{name:<14} {n:>8} {errors:>8} {:>9.0} {:>9.2} {:>9.2}",
            n as f64 / secs.max(1e-9),
            pct(&lat, 0.5),
            pct(&lat, 0.99)
        );
    }
    let _ = stop.send(());
    let _ = server.await;
    assert_eq!(failed, 0, "error answers under load");
}
