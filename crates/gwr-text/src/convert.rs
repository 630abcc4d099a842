//! Traditional → simplified characters (zhconv's OpenCC/MediaWiki tables),
//! applied only to text that is detectably traditional.

use crate::{MapBuilder, OffsetMap};
use std::collections::HashMap;
use std::sync::LazyLock;
use zhconv::{Variant, zhconv};

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Is `text` written in traditional characters? (A sample converts with at
/// least 2% of its Han characters changed.)
pub fn is_traditional(text: &str) -> bool {
    let sample = &text[..text
        .char_indices()
        .nth(3_000)
        .map_or(text.len(), |(i, _)| i)];
    // Text holding none of the table's phrases converts to itself: no need
    // to run the converter to see that (the common case).
    if !holds_phrase(sample) {
        return false;
    }
    let conv = zhconv(sample, Variant::ZhHans);
    // A phrase may convert to itself in its context (乾隆 stays 乾隆).
    if conv == sample {
        return false;
    }
    let han = sample.chars().filter(|c| is_han(*c)).count();
    if han < 10 {
        return false;
    }
    let changed = if conv.chars().count() == sample.chars().count() {
        sample
            .chars()
            .zip(conv.chars())
            .filter(|(a, b)| a != b)
            .count()
    } else {
        // Phrase conversions changed lengths: count differing characters loosely.
        let a: std::collections::HashSet<char> = sample.chars().collect();
        conv.chars().filter(|c| !a.contains(c)).count()
    };
    changed >= 3 && changed * 50 >= han
}

/// Can zh-Hans conversion change `text`? Short text (a search query, a
/// line) is looked up here, which spares it the converter's loading, a few
/// milliseconds; longer text goes to the converter.
fn may_convert(text: &str) -> bool {
    text.len() > 1024 || holds_phrase(text)
}

/// Does `text` hold a phrase of zhconv's zh-Hans table? Its converter
/// replaces those phrases where they occur and nothing else, so text holding
/// none of them converts to itself. Most phrases are one character, found
/// with one bit test; the few hundred longer ones are compared where their
/// first two characters may start one.
fn holds_phrase(text: &str) -> bool {
    struct Phrases {
        /// One-character phrases, one bit per code point.
        single: Vec<u64>,
        /// First characters of the longer phrases, likewise.
        starts: Vec<u64>,
        /// Second characters of the longer phrases, likewise.
        seconds: Vec<u64>,
        longer: HashMap<char, Vec<String>>,
    }
    fn has(bits: &[u64], c: char) -> bool {
        let c = c as usize;
        bits[c >> 6] & (1 << (c & 63)) != 0
    }
    static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
        let bits = || vec![0u64; 0x11_0000 / 64];
        let set = |bits: &mut Vec<u64>, c: char| bits[c as usize >> 6] |= 1 << (c as usize & 63);
        let mut p = Phrases {
            single: bits(),
            starts: bits(),
            seconds: bits(),
            longer: HashMap::new(),
        };
        for (from, _) in zhconv::tables::expand_table(zhconv::tables::ZH_HANS_TABLE) {
            let mut chars = from.chars();
            let Some(first) = chars.next() else {
                continue;
            };
            match chars.next() {
                None => set(&mut p.single, first),
                Some(second) => {
                    set(&mut p.starts, first);
                    set(&mut p.seconds, second);
                    p.longer.entry(first).or_default().push(from);
                }
            }
        }
        p
    });
    let p = &*PHRASES;
    text.char_indices().any(|(i, c)| {
        has(&p.single, c)
            || has(&p.starts, c)
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|d| has(&p.seconds, d))
                && p.longer
                    .get(&c)
                    .is_some_and(|l| l.iter().any(|f| text[i..].starts_with(f.as_str())))
    })
}

/// Convert to simplified characters, line by line, with a map back to `text`.
pub fn to_simplified(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut b = MapBuilder::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if !may_convert(line) {
            out.push_str(line);
            b.copy(pos, line.len());
            pos += line.len();
            continue;
        }
        let conv = zhconv(line, Variant::ZhHans);
        if conv == line {
            out.push_str(line);
            b.copy(pos, line.len());
        } else if conv.chars().count() == line.chars().count() {
            let mut at = pos;
            for (a, c) in line.chars().zip(conv.chars()) {
                if a == c {
                    b.copy(at, a.len_utf8());
                } else {
                    b.replace(at..at + a.len_utf8(), c.len_utf8());
                }
                out.push(c);
                at += a.len_utf8();
            }
        } else {
            out.push_str(&conv);
            b.replace(pos..pos + line.len(), conv.len());
        }
        pos += line.len();
    }
    (out, b.finish(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The reading `holds_phrase` must agree with: every phrase of the
    /// table tried at every character.
    fn holds_phrase_by_trying_all(text: &str) -> bool {
        static ALL: LazyLock<Vec<String>> = LazyLock::new(|| {
            zhconv::tables::expand_table(zhconv::tables::ZH_HANS_TABLE)
                .map(|(from, _)| from)
                .filter(|f| !f.is_empty())
                .collect()
        });
        text.char_indices()
            .any(|(i, _)| ALL.iter().any(|f| text[i..].starts_with(f.as_str())))
    }

    proptest! {
        #[test]
        fn phrases_are_found_as_by_trying_all(
            t in "[数字經济濟报報告干乾隆头發髮里裡面着著台臺湾灣于於a1 ，。\n]{0,24}"
        ) {
            prop_assert_eq!(holds_phrase(&t), holds_phrase_by_trying_all(&t));
        }

        // Text without a phrase of the table is what the converter gives
        // back unchanged, so the converter need not run on it.
        #[test]
        fn text_without_a_phrase_converts_to_itself(
            t in "[数字經济濟报報告干乾隆头發髮里裡面着著台臺湾灣a1 ，。\n]{0,40}"
        ) {
            if !holds_phrase(&t) {
                prop_assert_eq!(zhconv(&t, Variant::ZhHans), t);
            }
        }
    }

    #[test]
    fn text_the_table_cannot_touch_is_left_alone() {
        // Queries and terms in simplified characters skip the converter.
        for q in ["数字经济", "最多跑一次", "民生实事", "营商环境", "GDP 6%"] {
            assert!(!may_convert(q), "{q}");
        }
        assert!(may_convert("數字經濟"));
        // Whichever way it goes, the result is the converter's.
        let samples = [
            "数字经济",
            "數字經濟",
            "地区生产总值",
            "地區生產總值",
            "乡村振兴",
            "鄉村振興",
            "共同富裕",
            "城乡居民",
            "科技创新",
            "安置房",
            "营商环境",
            "瞭解",
            "乾隆",
            "头发",
            "頭髮",
            "一干二净",
            "台湾",
            "臺灣",
            "里程",
            "裡面",
            "abc 123",
            "",
            "\n",
            "政府工作報告\n預計實現",
            "着力",
            "著作",
        ];
        for t in samples {
            assert_eq!(to_simplified(t).0, zhconv(t, Variant::ZhHans), "{t}");
        }
        // Every phrase of the table is seen, also inside other text.
        for (from, _) in zhconv::tables::expand_table(zhconv::tables::ZH_HANS_TABLE) {
            assert!(may_convert(&from), "{from}");
            assert!(may_convert(&format!("数字{from}经济")), "{from}");
        }
        // Every CJK character on its own and beside another.
        for c in '\u{4e00}'..='\u{9fff}' {
            let t = format!("{c}");
            assert_eq!(to_simplified(&t).0, zhconv(&t, Variant::ZhHans), "{t}");
            let t = format!("{c}发");
            assert_eq!(to_simplified(&t).0, zhconv(&t, Variant::ZhHans), "{t}");
        }
    }

    #[test]
    fn traditional_is_converted_with_a_map() {
        let t = "政府工作報告\n預計實現地區生產總值595億元，增長5%。";
        assert!(is_traditional(t));
        let (s, map) = to_simplified(t);
        assert_eq!(s, "政府工作报告\n预计实现地区生产总值595亿元，增长5%。");
        let i = s.find("报").unwrap_or(0);
        assert_eq!(&t[map.span_to_source(i..i + 3)], "報");
    }

    #[test]
    fn simplified_is_left_alone() {
        assert!(!is_traditional(
            "预计实现地区生产总值595亿元，增长5%。各位代表：现在我代表区人民政府向大会报告工作。"
        ));
    }
}
