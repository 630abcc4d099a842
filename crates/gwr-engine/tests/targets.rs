//! Targets are goals only, one line each, worded per clause: on a report
//! written for this test.

use gwr_engine::Engine;
use gwr_engine::Kind;
use gwr_engine::records::{TargetRecord, fact_records, target_records, target_records_from};
use gwr_figures::targets::Wording;

const REPORT: &str = "政府工作报告
——2024年1月10日在安吉县第十八届人民代表大会第三次会议上
各位代表：
现在，我代表县人民政府向大会报告工作，请予审议。
一、2023年工作回顾
过去一年，全县地区生产总值增长6.1%，一般公共预算收入增长8%。
二、2024年工作安排
今年经济社会发展的主要预期目标为：地区生产总值增长6%左右，一般公共预算收入增长7%、力争增长8%，城镇调查失业率5.5%左右，新增城镇就业1.2万人以上。
预计今年高校毕业生超过3000人，要强化促进青年就业政策举措。
预计今年财政收入继续恢复增长，一般公共预算支出规模85亿元。
经济增长预期目标为6%左右，既考虑了需要，也考虑了可能。
着力办好民生实事，正式形成了12件候选项目建议方案，提交大会票决。
";

fn targets() -> Vec<TargetRecord> {
    let parsed = Engine::new()
        .parse_bytes("report.txt", REPORT.as_bytes())
        .expect("report parses");
    target_records(&parsed)
}

#[test]
fn a_target_stated_twice_is_one_line_with_both_evidences() {
    let t = targets();
    let gdp: Vec<&TargetRecord> = t
        .iter()
        .filter(|r| r.metric_id.as_deref() == Some("gdp"))
        .collect();
    assert_eq!(gdp.len(), 1, "{gdp:#?}");
    assert_eq!(gdp[0].evidence, "地区生产总值增长6%左右");
    assert_eq!(gdp[0].restated, ["经济增长预期目标为6%左右"]);
}

#[test]
fn forecasts_and_list_sizes_are_no_targets() {
    let t = targets();
    assert!(
        t.iter()
            .all(|r| !r.evidence.contains("高校毕业生") && r.unit.as_deref() != Some("件")),
        "{t:#?}"
    );
    // The forecast is still a fact, of kind forecast, for the plan year.
    let parsed = Engine::new()
        .parse_bytes("report.txt", REPORT.as_bytes())
        .expect("report parses");
    let facts = fact_records(&parsed);
    let grads = facts
        .iter()
        .find(|f| f.evidence.contains("高校毕业生"))
        .expect("the forecast is a fact");
    assert_eq!((grads.kind, grads.year), (Kind::Forecast, Some(2024)));
    // A 预计 in an earlier clause leaves the budget figure a target.
    assert!(
        t.iter()
            .any(|r| r.metric_id.as_deref() == Some("budget_expenditure") && r.value == Some(85.0))
    );
}

#[test]
fn wording_is_decided_per_clause() {
    let t = targets();
    let by = |id: &str| {
        t.iter()
            .find(|r| r.metric_id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} target"))
    };
    assert_eq!(by("gdp").wording, Wording::Expected);
    assert_eq!(by("new_urban_jobs").wording, Wording::Expected);
    let revenue = by("budget_revenue");
    assert_eq!(revenue.wording, Wording::Soft);
    assert_eq!(
        (
            revenue.change.as_ref().and_then(|c| c.value),
            revenue.change.as_ref().and_then(|c| c.stretch)
        ),
        (Some(7.0), Some(8.0))
    );
}

#[test]
fn targets_from_built_facts_are_the_same_records() {
    let parsed = Engine::new()
        .parse_bytes("report.txt", REPORT.as_bytes())
        .expect("report parses");
    let json = |t: &[TargetRecord]| serde_json::to_string(t).expect("serializes");
    let facts = fact_records(&parsed);
    assert_eq!(
        json(&target_records_from(&parsed, &facts)),
        json(&target_records(&parsed))
    );
}
