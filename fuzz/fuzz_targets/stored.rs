//! Fuzz the readers of what a store file holds, as a damaged or foreign
//! file would hold it: a packed text (plain zstd or behind the UTF-16 mark)
//! and a row of the substring index. Any bytes give a value or an error,
//! never a panic, and no more than the bytes can say.
#![no_main]

use gwr_store::packed::{MAX_TEXT_BYTES, UTF16_MARK, unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = unpack(data) {
        assert!(text.len() <= MAX_TEXT_BYTES * 3);
    }
    // The same bytes behind the mark, which a fuzzer would seldom find.
    let marked = [&UTF16_MARK[..], data].concat();
    if let Ok(text) = unpack(&marked) {
        // Two bytes a unit, at most three bytes of UTF-8 a unit.
        assert!(text.len() <= MAX_TEXT_BYTES / 2 * 3);
    }
    let mut ids = Vec::new();
    if gwr_store::substr::decode(data, &mut ids).is_ok() {
        assert!(ids.len() <= data.len() * 8);
    }
});
