//! Fuzz the SQL guard: whatever the statement, a read-only store is never
//! changed, and every query ends within its time and row limits.
#![no_main]

mod common;

use gwr_store::Store;
use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};

fn store() -> &'static Mutex<(Store, String)> {
    static STORE: OnceLock<Mutex<(Store, String)>> = OnceLock::new();
    STORE.get_or_init(|| {
        let text =
            "政府工作报告\n各位代表：\n一、2023年工作回顾\n全年实现地区生产总值100亿元，增长5%。\n";
        let dir = common::small_store("sql", text);
        let store = Store::open_read_only(&dir).expect("opens read-only");
        let before = fingerprint(&store);
        Mutex::new((store, before))
    })
}

/// What a write would change: the schema and the row counts.
fn fingerprint(store: &Store) -> String {
    let q = "SELECT (SELECT group_concat(sql) FROM sqlite_master), \
             (SELECT count(*) FROM files), (SELECT count(*) FROM facts), \
             (SELECT count(*) FROM documents), (PRAGMA_user_version)";
    let q = q.replace(
        "(PRAGMA_user_version)",
        "(SELECT user_version FROM pragma_user_version)",
    );
    format!("{:?}", store.query(&q).map(|(_, rows)| rows).ok())
}

fuzz_target!(|data: &[u8]| {
    let sql = String::from_utf8_lossy(data);
    let Ok(guard) = store().lock() else { return };
    let (store, before) = &*guard;
    let mut rows = 0usize;
    let _ = store.within(std::time::Duration::from_millis(500), |s| {
        s.query_rows(
            &sql,
            |_| Ok(()),
            |_| {
                rows += 1;
                Ok(rows < 1000)
            },
        )
    });
    assert!(rows <= 1000);
    assert_eq!(
        &fingerprint(store),
        before,
        "the store changed after {sql:?}"
    );
});
