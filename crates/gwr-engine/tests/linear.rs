//! Work grows linearly with the input: each adversarial text is parsed
//! (facts and records included) at one size and at four times that size,
//! and the time may grow at most eightfold (a quadratic step gives sixteen).
//! The inputs are the shapes that once made a stage quadratic: runs of
//! figures without a full stop, long lines, deep outlines, deep HTML,
//! many documents, many lines.

use gwr_engine::Engine;
use gwr_engine::records::{doc_records, fact_records, target_records};
use std::time::{Duration, Instant};

/// The adversarial shapes: a name and a unit of text to repeat.
const SHAPES: &[(&str, &str)] = &[
    ("run of percentages", "1%"),
    ("run of figures with a metric", "地区生产总值增长5%，"),
    ("run of Chinese numerals", "三百亿元"),
    ("run of doublings", "翻一番"),
    ("run of multiples", "增长两倍"),
    ("one long line of words", "经济发展"),
    ("deep outline", "（一）1.（1）①\n"),
    ("deep HTML nesting", "<div><p><span>经济增长5%"),
    ("unclosed HTML tags", "<p>地区生产总值<b>"),
    (
        "many documents",
        "政府工作报告\n——2020年1月5日在某市第一届人民代表大会第一次会议上\n各位代表：\n",
    ),
    ("estimate words", "预计"),
    ("many short lines", "经\n"),
    (
        "report paragraphs",
        "2020年全市地区生产总值达到1234亿元，增长6.5%，预计一般公共预算收入100亿元。\n",
    ),
];

fn text(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

/// The fastest of `runs` parses of `t`.
fn cost(engine: &Engine, t: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            if let Ok(file) = engine.parse_bytes("x.txt", t.as_bytes()) {
                let _ = (
                    doc_records(&file),
                    fact_records(&file),
                    target_records(&file),
                );
            }
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn time_grows_linearly_with_adversarial_inputs() {
    let engine = Engine::new();
    let small = 24 * 1024;
    let mut report = Vec::new();
    for (name, unit) in SHAPES {
        let a = cost(&engine, &text(unit, small), 3);
        let b = cost(&engine, &text(unit, 4 * small), 2);
        // Below a few milliseconds the clock says little.
        let ratio = b.as_secs_f64() / a.as_secs_f64().max(0.002);
        report.push(format!("{name}: {a:?} → {b:?} (×{ratio:.1})"));
        assert!(
            ratio < 8.0,
            "{name}: 4× the input took ×{ratio:.1} the time\n{}",
            report.join("\n")
        );
    }
    println!("{}", report.join("\n"));
}
