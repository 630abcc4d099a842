//! In-process search latency: open a store once, run a fixed list of
//! queries round after round (after one untimed round, whose first search
//! is reported on its own), print p50 and p99 in milliseconds.
//!
//! Usage: cargo run --release -p gwr-store --example search-bench -- DIR [ROUNDS] [--each] [--query Q]...
//! (`--each`: also the median of each query, and its hits; `--query`: time
//! these queries instead of the fixed list)

use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "数字经济",
    "最多跑一次",
    "民生实事",
    "地区生产总值",
    "营商环境",
    "\"城乡 居民\"",
    "乡村振兴",
    "科技创新",
    "共同富裕",
    "安置房",
];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: search-bench DIR [ROUNDS] [--each] [--query Q]...");
        std::process::exit(2);
    };
    let (mut rest, mut asked) = (Vec::new(), Vec::new());
    while let Some(a) = args.next() {
        if a == "--query" {
            match args.next() {
                Some(q) => asked.push(q),
                None => {
                    eprintln!("search-bench: --query needs a query");
                    std::process::exit(2);
                }
            }
        } else {
            rest.push(a);
        }
    }
    let each = rest.iter().any(|a| a == "--each");
    let rounds: usize = rest
        .iter()
        .find_map(|r| r.parse().ok())
        .unwrap_or(20)
        .max(1);
    let queries: Vec<&str> = if asked.is_empty() {
        QUERIES.to_vec()
    } else {
        asked.iter().map(String::as_str).collect()
    };
    let started = Instant::now();
    let store = match gwr_store::Store::open_read_only(std::path::Path::new(&dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("search-bench: {dir}: {e}");
            std::process::exit(1);
        }
    };
    let open = started.elapsed();
    let filter = gwr_store::SearchFilter::default();
    let mut times = Vec::with_capacity(rounds * queries.len());
    let mut first = Duration::ZERO;
    let mut by_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let mut found = vec![0; queries.len()];
    for round in 0..=rounds {
        for (k, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let hits = store.search(q, &filter, 20);
            let took = t.elapsed();
            match hits {
                Ok(h) => found[k] = h.len(),
                Err(e) => {
                    eprintln!("search-bench: {q}: {e}");
                    std::process::exit(1);
                }
            }
            if round == 0 {
                if k == 0 {
                    first = took;
                }
                continue;
            }
            by_query[k].push(took);
            times.push(took);
        }
    }
    if each {
        for (k, q) in queries.iter().enumerate() {
            let t = &mut by_query[k];
            t.sort();
            println!(
                "{q}: median {:.2} ms, {} hits",
                ms(t[t.len() / 2]),
                found[k]
            );
        }
    }
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "search (in process, {} searches): p50 {:.2} ms, p99 {:.2} ms (open {:.2} ms, first search {:.2} ms)",
        times.len(),
        ms(at(50)),
        ms(at(99)),
        ms(open),
        ms(first)
    );
}
