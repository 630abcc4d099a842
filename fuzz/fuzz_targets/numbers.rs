//! Fuzz number and unit parsing: every token lies inside the text on
//! character boundaries, and every value is a finite number.
#![no_main]

use gwr_figures::numbers::{parse_arabic, parse_chinese, scan_arabic, scan_chinese};
use gwr_figures::units::Units;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    for n in scan_arabic(text).into_iter().chain(scan_chinese(text)) {
        assert!(n.span.start <= n.span.end && n.span.end <= text.len());
        assert!(text.is_char_boundary(n.span.start) && text.is_char_boundary(n.span.end));
        // A masked number (20xx) has no value: NaN.
        assert!(n.masked || n.value.is_finite(), "{:?} in {text:?}", n.value);
    }
    for v in [parse_arabic(text), parse_chinese(text)]
        .into_iter()
        .flatten()
    {
        assert!(v.is_finite());
    }
    let units = Units::builtin();
    for (i, _) in text.char_indices().take(256) {
        if let Some(u) = units.at_start(&text[i..]) {
            assert!(text[i..].starts_with(u.name.as_str()));
        }
    }
});
