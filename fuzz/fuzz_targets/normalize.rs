//! Fuzz normalization with its offset map: any text gives a normalized text
//! whose map covers it and points, in order, into the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let norm = gwr_text::normalize(&input);
    let map = &norm.map;
    assert_eq!(map.out_len(), norm.text.len(), "map covers the output");
    assert_eq!(map.src_len(), input.len(), "map covers the input");
    let mut last = 0;
    for (i, _) in norm.text.char_indices() {
        let s = map.to_source(i);
        assert!(s <= input.len(), "offset {i} maps past the input");
        assert!(s >= last, "offsets map in order");
        last = s;
    }
    let whole = map.span_to_source(0..norm.text.len());
    assert!(whole.start <= whole.end && whole.end <= input.len());
    // Traditional → simplified keeps its own map exact too.
    if gwr_text::convert::is_traditional(&input) {
        let (t, m) = gwr_text::convert::to_simplified(&input);
        assert_eq!(m.out_len(), t.len());
    }
});
