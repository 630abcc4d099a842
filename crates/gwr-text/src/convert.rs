//! Traditional → simplified characters (zhconv's OpenCC/MediaWiki tables),
//! applied only to text that is detectably traditional.

use crate::{MapBuilder, OffsetMap};
use zhconv::{Variant, zhconv};

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Is `text` written in traditional characters? (A sample converts with at
/// least 2% of its Han characters changed.)
pub fn is_traditional(text: &str) -> bool {
    let sample: String = text.chars().take(3_000).collect();
    let conv = zhconv(&sample, Variant::ZhHans);
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

/// Convert to simplified characters, line by line, with a map back to `text`.
pub fn to_simplified(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut b = MapBuilder::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
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
