//! Figures without a canonical metric are named as a person would name them
//! in a table: the counted thing, no bare verbs, no examples ended by 等,
//! rate units kept. On a report written for this test.

use gwr_engine::Engine;
use gwr_engine::records::fact_records;

const REPORT: &str = "政府工作报告
一、2023年工作回顾
实施10公里河道美化提升工程，打造1个标杆型国际化社区。推进东湖科创园、南山产业园等15个创新平台项目建设，全程服务推进42个区级重点产业项目。征迁住户300户。削减溢流污水4000吨/日，年节电120万千瓦时/年。建成千万吨级炼油厂，出口增速已连续48个月保持两位数。新建学校3所、幼儿园5所。拟安排中央财政赤字2950亿元。
";

fn named() -> Vec<(String, String)> {
    let parsed = Engine::new()
        .parse_bytes("report.txt", REPORT.as_bytes())
        .expect("report parses");
    fact_records(&parsed)
        .into_iter()
        .map(|f| {
            let figure = format!(
                "{}{}",
                f.value.map_or(String::new(), |v| v.to_string()),
                f.unit.unwrap_or_default()
            );
            (f.metric, figure)
        })
        .collect()
}

#[test]
fn figures_name_what_they_count() {
    let got = named();
    let has = |metric: &str, figure: &str| {
        assert!(
            got.iter().any(|(m, f)| m == metric && f == figure),
            "{metric} {figure} in {got:?}"
        );
    };
    has("河道美化", "10公里");
    has("标杆型国际化社区", "1个");
    has("创新平台项目", "15个");
    has("区级重点产业项目", "42个");
    has("征迁住户", "300户");
    has("溢流污水", "4000吨/日");
    has("年节电", "120万千瓦时/年");
    has("新建学校", "3所");
    has("幼儿园", "5所");
    has("中央财政赤字", "2950亿元");
    // No metric is a verb alone or ends in 等.
    assert!(
        got.iter()
            .all(|(m, _)| !m.ends_with('等') && !["实施", "打造", "推进"].contains(&m.as_str())),
        "{got:?}"
    );
}

#[test]
fn classes_and_durations_are_no_figures() {
    let got = named();
    assert!(
        got.iter().all(|(_, f)| f != "1000万吨" && f != "48个"),
        "{got:?}"
    );
}
