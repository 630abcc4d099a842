//! `gwr parse --explain`: every decided field shows the cues that voted.

use std::process::Command;

fn gwr(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gwr"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("gwr runs")
}

fn report_file(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("gwr-explain-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    let f = d.join("report.txt");
    std::fs::write(
        &f,
        "政府工作报告\n——2021年1月12日在某某市第十届人民代表大会第五次会议上\n某某市人民政府市长张三\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2020年工作回顾\n2020年，全市生产总值增长3%。\n二、2021年工作安排\n今年生产总值增长6%左右。\n",
    )
    .expect("write report");
    f
}

#[test]
fn text_explain_names_the_winning_rules() {
    let f = report_file("text");
    let dir = f.parent().expect("dir");
    let out = gwr(&["parse", "report.txt", "--explain"], dir);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for rule in [
        "header_meeting",
        "header_date",
        "header_speaker",
        "header_title",
        "heading_year",
    ] {
        assert!(text.contains(rule), "{rule} missing in:\n{text}");
    }
    assert!(text.contains('✓'));
}

#[test]
fn jsonl_carries_cues_only_with_explain() {
    let f = report_file("jsonl");
    let dir = f.parent().expect("dir");
    let plain = gwr(&["parse", "report.txt", "--format", "jsonl"], dir);
    let doc: serde_json::Value =
        serde_json::from_slice(&plain.stdout).expect("one JSON document line");
    assert!(doc.get("cues").is_none());
    let explained = gwr(
        &["parse", "report.txt", "--format", "jsonl", "--explain"],
        dir,
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&explained.stdout).expect("one JSON document line");
    let cues = doc["cues"].as_array().expect("cues");
    for field in [
        "title",
        "meeting",
        "date",
        "speaker",
        "review_year",
        "plan_year",
    ] {
        assert!(
            cues.iter().any(|c| c["field"] == field && c["won"] == true),
            "no winning cue for {field}"
        );
    }
    // Every cue's evidence is the text its source span points at.
    let bytes = std::fs::read(&f).expect("read back");
    for c in cues {
        let [a, b] = [c["source_span"][0].as_u64(), c["source_span"][1].as_u64()]
            .map(|x| x.unwrap_or(0) as usize);
        if let Some(s) = bytes.get(a..b).filter(|s| !s.is_empty()) {
            assert_eq!(
                String::from_utf8_lossy(s),
                c["evidence"].as_str().unwrap_or("")
            );
        }
    }
}
