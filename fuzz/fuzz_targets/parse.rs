//! Fuzz the whole parse entry point: any bytes, under any of the names that
//! steer format handling, must give a value or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static ENGINE: OnceLock<gwr_engine::Engine> = OnceLock::new();
    let engine = ENGINE.get_or_init(gwr_engine::Engine::new);
    for name in ["input.txt", "input.docx", "input.pdf"] {
        if let Ok(file) = engine.parse_bytes(name, data) {
            let _ = gwr_engine::records::doc_records(&file);
        }
    }
});
