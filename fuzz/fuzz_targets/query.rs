//! Fuzz the search query parser and search itself: any query gives hits or
//! a clear error within the time limit, never a panic.
#![no_main]

mod common;

use gwr_store::{SearchFilter, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};

fn store() -> &'static Mutex<Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE.get_or_init(|| {
        let text = "政府工作报告\n各位代表：\n一、2023年工作回顾\n深化“最多跑一次”改革，发展数字经济。全年实现地区生产总值100亿元，增长5%。\n";
        let dir = common::small_store("query", text);
        Mutex::new(Store::open_read_only(&dir).expect("opens read-only"))
    })
}

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let terms = gwr_store::search::query_terms(&query);
    assert!(terms.len() <= query.chars().count() + 1);
    let Ok(store) = store().lock() else { return };
    let time = std::time::Duration::from_secs(2);
    if let Ok(hits) = store.search_within(&query, &SearchFilter::default(), 10, time) {
        assert!(hits.len() <= 10);
    }
});
