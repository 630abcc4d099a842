//! Properties of reading and normalization on arbitrary text: no panics, and
//! the offset map is monotonic, in range, and takes every Han character back
//! to the same character in the input.

use proptest::prelude::*;

fn report_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("政府工作报告".to_string()),
        Just("地区生产总值".to_string()),
        Just("增长".to_string()),
        Just("亿元".to_string()),
        Just("一、".to_string()),
        Just("（二）".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just("　".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just("、".to_string()),
        Just("%".to_string()),
        Just("％".to_string()),
        Just("：".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just("20xx年".to_string()),
        Just("**".to_string()),
        Just("and".to_string()),
        "[0-9]{1,4}",
        "[０-９]{1,3}",
        "[\u{4e00}-\u{4e80}]{1,6}",
        "[a-zA-Z]{1,4}",
        // Noise from copy sites.
        Just("(fā)".to_string()),
        Just("（chǎn）".to_string()),
        Just("xcV".to_string()),
        Just("?".to_string()),
        Just("&nbsp".to_string()),
        Just("&amp;nbsp;".to_string()),
        Just("℅".to_string()),
        Just("-1-".to_string()),
        Just("........".to_string()),
        Just("——".to_string()),
        Just("会议上".to_string()),
        Just("各位代表：".to_string()),
        Just("2021-07-23 10:38".to_string()),
        Just("首页>新闻>".to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// A report flattened into one line: a header, the greeting, a long body.
fn flattened() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("地区生产总值增长6%，".to_string()),
        Just("。一、".to_string()),
        Just("。（二）".to_string()),
        Just("工作回顾".to_string()),
        Just("-2-".to_string()),
        Just("2".to_string()),
        Just("(fā)".to_string()),
        Just("……".to_string()),
        "[\u{4e00}-\u{4e80}]{1,12}",
        "[0-9]{1,3}",
    ];
    (
        "[0-9]{0,3}",
        prop::collection::vec(piece, 100..300),
    )
        .prop_map(|(n, v)| {
            format!(
                "{n}目录政府工作报告........1附件........9-1-政府工作报告——2020年1月8日在某区人民代表大会第三次会议上区长张三各位代表：{}",
                v.concat()
            )
        })
}

fn check_map(input: &str) -> Result<(), TestCaseError> {
    let Ok(p) = gwr_text::prepare(input.as_bytes()) else {
        return Ok(());
    };
    let converted = p
        .warnings
        .iter()
        .any(|w| w.kind == gwr_text::WarningKind::Converted);
    let mut prev = 0;
    for (i, c) in p.text.char_indices() {
        let s = p.map.to_source(i);
        prop_assert!(s <= input.len());
        prop_assert!(s >= prev, "map not monotonic at {}", i);
        prev = s;
        if ('\u{4e00}'..='\u{9fff}').contains(&c) {
            let r = p.map.span_to_source(i..i + c.len_utf8());
            if converted {
                prop_assert!(!r.is_empty());
            } else {
                prop_assert_eq!(&input[r], c.to_string());
            }
        }
    }
    prop_assert!(p.map.to_source(p.text.len()) <= input.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn offsets_round_trip(input in report_like()) {
        let Ok(p) = gwr_text::prepare(input.as_bytes()) else { return Ok(()) };
        let converted = p.warnings.iter().any(|w| w.kind == gwr_text::WarningKind::Converted);
        let mut prev = 0;
        for (i, c) in p.text.char_indices() {
            let s = p.map.to_source(i);
            prop_assert!(s <= input.len());
            prop_assert!(s >= prev, "map not monotonic at {}", i);
            prev = s;
            if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                let r = p.map.span_to_source(i..i + c.len_utf8());
                if converted {
                    prop_assert!(!r.is_empty());
                } else {
                    prop_assert_eq!(&input[r], c.to_string());
                }
            }
        }
        prop_assert!(p.map.to_source(p.text.len()) <= input.len());
    }

    #[test]
    fn flattened_reports_round_trip(input in flattened()) {
        check_map(&input)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = gwr_text::prepare(&bytes);
        let _ = gwr_text::prepare_named("x.docx", &bytes);
        let _ = gwr_text::prepare_named("x.pdf", &bytes);
    }
}
