//! Throughput of the whole engine (read, normalize, documents, facts) on
//! each bundled sample. Run: cargo bench -p gwr-engine

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gwr_engine::Engine;
use std::hint::black_box;
use std::path::PathBuf;

fn samples() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    std::fs::read(e.path()).ok().map(|b| (name, b))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn parse(c: &mut Criterion) {
    let engine = Engine::new();
    let all = samples();
    let total: usize = all.iter().map(|(_, b)| b.len()).sum();
    let mut g = c.benchmark_group("parse+facts");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("all samples", |b| {
        b.iter(|| {
            for (name, bytes) in &all {
                let _ = black_box(engine.parse_bytes(name, bytes));
            }
        })
    });
    for (name, bytes) in &all {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name.as_str(), |b| {
            b.iter(|| black_box(engine.parse_bytes(name, bytes)))
        });
    }
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
