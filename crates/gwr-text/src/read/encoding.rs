//! Character encodings: BOMs, UTF-8 (also cut short at the end), UTF-16 with
//! or without BOM, and legacy encodings (GB18030/GBK, Big5, …) detected with
//! `chardetng` and decoded with `encoding_rs`. Every decoded character maps to
//! the bytes it came from.

use crate::{MapBuilder, OffsetMap, ReadError, Warning, WarningKind};
use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE};

/// Text decoded from bytes.
#[derive(Debug)]
pub(crate) struct DecodedText {
    pub text: String,
    pub map: OffsetMap,
    pub encoding: &'static str,
    pub warnings: Vec<Warning>,
}

/// Decode `bytes`. `label` is an encoding a container declares (an HTML
/// `<meta charset>`); it is used only when the bytes are not valid UTF-8 and
/// decode cleanly with it.
pub(crate) fn decode_text(
    bytes: &[u8],
    label: Option<&'static Encoding>,
) -> Result<DecodedText, ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(utf8(rest, 3));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Ok(utf16(&bytes[2..], 2, true));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Ok(utf16(&bytes[2..], 2, false));
    }
    // Most files are valid UTF-8: a vectorized check says so at a fraction of
    // the cost of the standard one, which is asked only where it fails (for
    // where and how).
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(utf8_valid(s));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return Ok(utf8_valid(s)),
        // Cut short inside the last character: still UTF-8.
        Err(e) if e.error_len().is_none() => return Ok(utf8(bytes, 0)),
        Err(_) => {}
    }
    if let Some(le) = utf16_guess(bytes) {
        return Ok(utf16(bytes, 0, le));
    }
    if binary_like(bytes) {
        return Err(ReadError::Binary);
    }
    // Nearly valid UTF-8 (a few damaged bytes) stays UTF-8.
    let bad = bytes
        .utf8_chunks()
        .filter(|c| !c.invalid().is_empty())
        .count();
    let multibyte = bytes.iter().filter(|b| **b >= 0x80).count();
    if bad * 200 < multibyte.max(1) {
        return Ok(utf8(bytes, 0));
    }
    if let Some(enc) = label
        && enc != encoding_rs::UTF_8
        && enc
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some()
    {
        return Ok(legacy(bytes, enc));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    Ok(legacy(bytes, enc))
}

/// Control bytes other than white space in quantity: not text.
fn binary_like(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    let ctrl = sample
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    ctrl * 20 > sample.len().max(1) || sample.contains(&0) && ctrl * 100 > sample.len()
}

/// Text already known to be valid UTF-8 (the common case): copied whole.
fn utf8_valid(s: &str) -> DecodedText {
    let mut b = MapBuilder::new();
    b.copy(0, s.len());
    DecodedText {
        text: s.to_owned(),
        map: b.finish(s.len()),
        encoding: "UTF-8",
        warnings: Vec::new(),
    }
}

fn utf8(bytes: &[u8], offset: usize) -> DecodedText {
    let mut text = String::with_capacity(bytes.len());
    let mut b = MapBuilder::new();
    let mut pos = 0;
    let mut bad = 0;
    for chunk in bytes.utf8_chunks() {
        let v = chunk.valid();
        text.push_str(v);
        b.copy(offset + pos, v.len());
        pos += v.len();
        let inv = chunk.invalid();
        if !inv.is_empty() {
            text.push('\u{FFFD}');
            b.replace(
                offset + pos..offset + pos + inv.len(),
                '\u{FFFD}'.len_utf8(),
            );
            pos += inv.len();
            bad += 1;
        }
    }
    let mut warnings = Vec::new();
    if bad > 0 {
        warnings.push(Warning::new(
            WarningKind::Decoding,
            0..0,
            format!("{bad} invalid UTF-8 sequence(s) replaced"),
        ));
    }
    DecodedText {
        text,
        map: b.finish(offset + bytes.len()),
        encoding: "UTF-8",
        warnings,
    }
}

/// Guess UTF-16 without a BOM: decoded units are overwhelmingly ordinary
/// characters in one byte order and not in the other.
fn utf16_guess(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192) & !1];
    let score = |le: bool| {
        let units = sample.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        let mut good = 0usize;
        let mut n = 0usize;
        for u in units {
            n += 1;
            let c = u as u32;
            if (0x20..0x7F).contains(&c)
                || matches!(c, 0x0A | 0x0D | 0x09)
                || (0x4E00..=0x9FFF).contains(&c)
                || (0x3000..=0x303F).contains(&c)
                || (0xFF00..=0xFFEF).contains(&c)
                || (0x2000..=0x206F).contains(&c)
            {
                good += 1;
            }
        }
        if n == 0 { 0.0 } else { good as f64 / n as f64 }
    };
    let (le, be) = (score(true), score(false));
    if le >= 0.9 && le > be {
        Some(true)
    } else if be >= 0.9 && be > le {
        Some(false)
    } else {
        None
    }
}

fn utf16(bytes: &[u8], offset: usize, le: bool) -> DecodedText {
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    let mut b = MapBuilder::new();
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| match (p, le) {
            ([a, c], true) => u16::from_le_bytes([*a, *c]),
            ([a, c], false) => u16::from_be_bytes([*a, *c]),
            _ => 0xFFFD,
        })
        .collect();
    let mut bad = 0;
    let mut i = 0;
    for r in char::decode_utf16(units.iter().copied()) {
        let (c, n) = match r {
            Ok(c) => (c, c.len_utf16()),
            Err(_) => {
                bad += 1;
                ('\u{FFFD}', 1)
            }
        };
        let src = offset + i * 2..(offset + (i + n) * 2).min(offset + bytes.len());
        text.push(c);
        b.replace(src, c.len_utf8());
        i += n;
    }
    let mut warnings = Vec::new();
    if bad > 0 || bytes.len() % 2 == 1 {
        warnings.push(Warning::new(
            WarningKind::Decoding,
            0..0,
            format!("{bad} invalid UTF-16 unit(s) replaced"),
        ));
    }
    DecodedText {
        text,
        map: b.finish(offset + bytes.len()),
        encoding: if le { UTF_16LE.name() } else { UTF_16BE.name() },
        warnings,
    }
}

/// Decode an ASCII-compatible legacy encoding byte by byte, so each
/// character knows its source bytes.
fn legacy(bytes: &[u8], enc: &'static Encoding) -> DecodedText {
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2);
    let mut b = MapBuilder::new();
    let mut buf = [0u8; 16];
    let mut start = 0;
    let mut bad = 0;
    for i in 0..bytes.len() {
        let last = i + 1 == bytes.len();
        let mut src = &bytes[i..i + 1];
        loop {
            let (res, read, written) = dec.decode_to_utf8_without_replacement(src, &mut buf, last);
            if written > 0 {
                // Valid UTF-8 by contract of the decoder.
                let s = std::str::from_utf8(&buf[..written]).unwrap_or("\u{FFFD}");
                let end = i + 1;
                if s.len() == 1 && end - start == 1 {
                    b.copy(start, 1);
                } else {
                    b.replace(start..end, s.len());
                }
                text.push_str(s);
                start = end;
            }
            match res {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {
                    src = &src[read..];
                }
                DecoderResult::Malformed(_, _) => {
                    bad += 1;
                    text.push('\u{FFFD}');
                    let end = (i + 1).max(start);
                    b.replace(start..end, '\u{FFFD}'.len_utf8());
                    start = end;
                    src = &src[read..];
                    if src.is_empty() {
                        break;
                    }
                }
            }
        }
    }
    let mut warnings = Vec::new();
    if bad > 0 {
        warnings.push(Warning::new(
            WarningKind::Decoding,
            0..0,
            format!("{bad} invalid {} sequence(s) replaced", enc.name()),
        ));
    }
    DecodedText {
        text,
        map: b.finish(bytes.len()),
        encoding: enc.name(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(d: &DecodedText, src: &[u8], enc: &'static Encoding) {
        for (i, c) in d.text.char_indices() {
            let r = d.map.span_to_source(i..i + c.len_utf8());
            let (s, _, _) = enc.decode(&src[r.clone()]);
            assert_eq!(
                s.trim_start_matches('\u{FEFF}'),
                c.to_string(),
                "char {c} at {i} → {r:?}"
            );
        }
    }

    #[test]
    fn gb18030_is_detected_and_mapped() {
        let s = "政府工作报告\n预计实现地区生产总值595亿元，增长5%。各位代表：现在，我代表区人民政府向大会报告工作。";
        let (bytes, _, _) = encoding_rs::GB18030.encode(s);
        let d = decode_text(&bytes, None).expect("decodes");
        assert_eq!(d.text, s);
        assert!(matches!(d.encoding, "GBK" | "gb18030"), "{}", d.encoding);
        roundtrip(&d, &bytes, encoding_rs::GB18030);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "各位代表：2018年重点工作";
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode_text(&le, None).map(|d| (d.text, d.encoding));
        assert_eq!(d.ok(), Some((s.to_string(), "UTF-16LE")));
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode_text(&be, None);
        assert!(
            d.as_ref()
                .is_ok_and(|d| d.text == s && d.encoding == "UTF-16BE")
        );
        if let Ok(d) = d {
            roundtrip(&d, &be, UTF_16BE);
        }
    }

    #[test]
    fn truncated_utf8_stays_utf8() {
        let s = "政府工作报告";
        let bytes = &s.as_bytes()[..s.len() - 1];
        let d = decode_text(bytes, None);
        assert!(d.is_ok_and(|d| d.encoding == "UTF-8"
            && d.text.starts_with("政府工作报")
            && d.warnings.len() == 1));
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0..2048u32).map(|i| (i * 7 % 256) as u8).collect();
        assert_eq!(decode_text(&bytes, None).err(), Some(ReadError::Binary));
    }
}
