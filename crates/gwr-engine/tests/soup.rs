//! Text made of report pieces in random order (headers, dates, sessions,
//! headings, figures, lists, web-copy noise) never panics the engine, and
//! every fact's evidence is the text its source span points at.

use gwr_engine::Engine;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "政府工作报告",
    "——2021年1月12日在某某市第十届人民代表大会第五次会议上",
    "——二〇〇一年三月五日在第九届全国人民代表大会第四次会议上",
    "某某市人民政府市长张三",
    "各位代表：",
    "现在，我代表市人民政府向大会报告工作。",
    "一、2020年工作回顾",
    "一、过去五年工作回顾",
    "“十三五”时期回顾和2020年工作",
    "二、2021年工作安排",
    "2024年工作回顾",
    "今年主要预期目标是：",
    "地区生产总值增长6%左右，力争7%",
    "全市生产总值达到七百零四亿元，比二〇一九年增长百分之六点五",
    "城乡居民人均可支配收入分别达到41000元和21000元，增长6%和8.5%",
    "，均比2015年翻一番以上",
    "年均分别增长14.1%、22.1%",
    "，达4270亿元和500.36亿元",
    "预计全年一般公共预算收入25亿元",
    "（预计，下同）",
    "是“十二五”的1.8倍",
    "跨上300亿元台阶",
    "本网某地1月9日讯",
    "市长张三代表市人民政府作政府工作报告。",
    "报告指出，2023年是开局之年。一年来",
    "首页>新闻>某某作政府工作报告",
    "发布日期：2018-04-05 17:22",
    "發(fā)展",
    "xcV",
    "&nbsp",
    "℅",
    "1",
    "-2-",
    "十九届四中全会",
    "十六届三中、四中全会",
    "20XX年",
    "“",
    "”",
    "（",
    "）",
    "。",
    "，",
    "；",
    "、",
    "\n",
    "\n\n",
    " ",
    "2",
    "0.6%",
    "亿元",
    "万",
    "以上",
    "分别",
    "均",
    "年",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn soup_never_panics_and_evidence_matches(picks in prop::collection::vec(0..PIECES.len(), 0..120)) {
        let text: String = picks.iter().map(|i| PIECES[*i]).collect();
        let engine = Engine::new();
        let file = engine.parse_bytes("soup.txt", text.as_bytes());
        if let Ok(file) = file {
            for f in &file.facts {
                let src = text.get(f.source_span.clone());
                prop_assert_eq!(src, Some(f.evidence.as_str()));
            }
            for d in &file.documents {
                for c in &d.meta.cues {
                    prop_assert!(file.text().get(c.span.clone()).is_some(), "{:?} in {:?}", c, file.text());
                }
            }
        }
    }
}
