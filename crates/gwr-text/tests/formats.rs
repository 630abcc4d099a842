//! The same seed text in every supported format gives the same normalized
//! text; bad inputs give the expected error.

use gwr_text::{Format, MapTarget, ReadError, prepare, prepare_named};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn reference() -> String {
    prepare(&fixture("seed000.utf8.txt"))
        .expect("reference reads")
        .text
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn encodings_give_the_same_text() {
    let want = reference();
    for (name, enc) in [
        ("seed000.utf8bom.txt", "UTF-8"),
        ("seed000.gb18030.txt", "GBK"),
        ("seed000.utf16le.txt", "UTF-16LE"),
        ("seed000.utf16be.txt", "UTF-16BE"),
    ] {
        let bytes = fixture(name);
        let p = prepare(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.format, Format::Text, "{name}");
        assert_eq!(p.encoding, enc, "{name}");
        assert_eq!(p.text, want, "{name}");
        // Every Han character maps to bytes that decode to the same character.
        let encoding = encoding_rs::Encoding::for_label(enc.as_bytes()).expect("known encoding");
        for (i, c) in p
            .text
            .char_indices()
            .filter(|(_, c)| ('\u{4e00}'..='\u{9fff}').contains(c))
        {
            let r = p.map.span_to_source(i..i + c.len_utf8());
            let (s, _) = encoding.decode_without_bom_handling(&bytes[r.clone()]);
            assert_eq!(s, c.to_string(), "{name}: {c} at {i} → {r:?}");
        }
    }
}

#[test]
fn traditional_big5_is_converted() {
    let p = prepare(&fixture("seed000.big5.txt")).expect("big5 reads");
    assert_eq!(p.encoding, "Big5");
    assert!(
        p.warnings
            .iter()
            .any(|w| w.kind == gwr_text::WarningKind::Converted)
    );
    let want = squeeze(&reference());
    let got = squeeze(&p.text);
    // Conversion tables may differ from the original wording in a few places.
    let same = want
        .chars()
        .zip(got.chars())
        .filter(|(a, b)| a == b)
        .count();
    assert!(
        same * 100 >= want.chars().count() * 98,
        "{same} of {}",
        want.chars().count()
    );
}

#[test]
fn html_pages_give_the_same_text() {
    let want = reference();
    for (name, enc) in [
        ("seed000.html", "UTF-8"),
        ("seed000.gbk.html", "GBK"),
        ("seed000.mislabeled.html", "UTF-8"),
    ] {
        let bytes = fixture(name);
        let p = prepare(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.format, Format::Html, "{name}");
        assert_eq!(p.encoding, enc, "{name}");
        assert_eq!(p.map_target, MapTarget::File);
        assert_eq!(p.text, want, "{name}");
        let encoding = encoding_rs::Encoding::for_label(enc.as_bytes()).expect("known encoding");
        for (i, c) in p
            .text
            .char_indices()
            .filter(|(_, c)| ('\u{4e00}'..='\u{9fff}').contains(c))
        {
            let r = p.map.span_to_source(i..i + c.len_utf8());
            let (s, _) = encoding.decode_without_bom_handling(&bytes[r.clone()]);
            assert_eq!(s, c.to_string(), "{name}: {c} at {i} → {r:?}");
        }
    }
}

#[test]
fn docx_and_pdf_give_the_same_text() {
    let want = reference();
    let d = prepare(&fixture("seed000.docx")).expect("docx reads");
    assert_eq!(d.format, Format::Docx);
    assert_eq!(d.text, want);
    let p = prepare(&fixture("seed000.pdf")).expect("pdf reads");
    assert_eq!(p.format, Format::Pdf);
    // PDF lines are broken by the page layout; the characters are the same.
    assert_eq!(squeeze(&p.text), squeeze(&want));
    let extracted = p.extracted.as_deref().expect("extracted layer kept");
    for (i, c) in p
        .text
        .char_indices()
        .filter(|(_, c)| ('\u{4e00}'..='\u{9fff}').contains(c))
    {
        let r = p.map.span_to_source(i..i + c.len_utf8());
        assert_eq!(&extracted[r], c.to_string());
    }
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    assert_eq!(prepare(&fixture("empty.txt")).err(), Some(ReadError::Empty));
    assert_eq!(
        prepare(&fixture("binary.bin")).err(),
        Some(ReadError::Binary)
    );
    assert!(matches!(
        prepare(&fixture("image.png")),
        Err(ReadError::Unsupported(_))
    ));
    assert!(matches!(
        prepare(&fixture("scanned.pdf")),
        Err(ReadError::NoText(_))
    ));
    assert!(matches!(
        prepare(&fixture("fakezip.docx")),
        Err(ReadError::Damaged { format: "DOCX", .. })
    ));
    assert!(matches!(
        prepare_named("notazip.docx", &fixture("notazip.docx")),
        Err(ReadError::Damaged { format: "DOCX", .. })
    ));
    let t = prepare(&fixture("truncated.utf8.txt")).expect("truncated UTF-8 still reads");
    assert_eq!(t.encoding, "UTF-8");
    assert!(reference().starts_with(t.text.trim_end_matches('\u{FFFD}')));
}
