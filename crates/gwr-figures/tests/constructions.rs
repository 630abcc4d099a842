//! Each construction of the language of figures, on sentences written for
//! these tests, inside a minimal report (review of 2022, plan for 2023).

use gwr_doc::{DocConfig, Gazetteer, analyze};
use gwr_figures::metrics::MetricTable;
use gwr_figures::units::Units;
use gwr_figures::{ChangeType, Fact, Kind, Qualifier, extract};

fn report(review: &str, plan: &str) -> Vec<Fact> {
    let text = format!(
        "政府工作报告\n（2023年1月6日在某县第十八届人民代表大会第二次会议上）\n各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。\n一、2022年工作回顾\n{review}\n二、2023年工作安排\n{plan}\n"
    );
    let docs = analyze(&text, DocConfig::builtin(), Gazetteer::builtin());
    docs.iter()
        .flat_map(|d| extract(&text, d, MetricTable::builtin(), Units::builtin()))
        .collect()
}

fn by_id<'a>(facts: &'a [Fact], id: &str) -> Vec<&'a Fact> {
    facts
        .iter()
        .filter(|f| f.metric_id.as_deref() == Some(id))
        .collect()
}

fn growth(f: &Fact) -> Option<f64> {
    f.change.as_ref().and_then(|c| c.value)
}

#[test]
fn level_change_kind_and_year() {
    let f = report("全县完成地区生产总值312.5亿元，同比增长6.1%。", "");
    let g = by_id(&f, "gdp");
    assert_eq!(g.len(), 1);
    assert_eq!(
        (g[0].value, g[0].unit.as_deref()),
        (Some(312.5), Some("亿元"))
    );
    assert_eq!(
        (growth(g[0]), g[0].kind, g[0].year),
        (Some(6.1), Kind::Actual, Some(2022))
    );
}

#[test]
fn estimates_hold_for_the_whole_sentence() {
    let f = report("预计全年财政总收入42亿元；社会消费品零售总额增长7%。", "");
    assert!(
        f.iter()
            .filter(|x| x.metric_id.is_some())
            .all(|x| x.kind == Kind::Estimate)
    );
    assert_eq!(by_id(&f, "retail_sales").len(), 1);
}

#[test]
fn targets_take_the_plan_year_and_qualifiers() {
    let f = report(
        "",
        "主要预期目标是：地区生产总值增长6.5%左右，一般公共预算收入增长5%以上，城镇登记失业率控制在3%以内，新增城镇就业不少于1.2万人。",
    );
    let g = by_id(&f, "gdp")[0];
    assert_eq!((g.kind, g.year), (Kind::Target, Some(2023)));
    assert_eq!(
        g.change.as_ref().and_then(|c| c.qualifier),
        Some(Qualifier::About)
    );
    let b = by_id(&f, "budget_revenue")[0];
    assert_eq!(
        b.change.as_ref().and_then(|c| c.qualifier),
        Some(Qualifier::AtLeast)
    );
    let u = by_id(&f, "unemployment_registered")[0];
    assert_eq!(
        (u.value, u.unit.as_deref(), u.qualifier),
        (Some(3.0), Some("%"), Some(Qualifier::AtMost))
    );
    let j = by_id(&f, "new_urban_jobs")[0];
    assert_eq!(
        (j.value, j.unit.as_deref(), j.qualifier),
        (Some(1.2), Some("万人"), Some(Qualifier::AtLeast))
    );
}

#[test]
fn ranges_and_stretch() {
    let f = report(
        "",
        "地区生产总值增长6.5%-7%，固定资产投资增长8%以上、力争10%，社会消费品零售总额增长5%至6%。",
    );
    let g = by_id(&f, "gdp")[0]
        .change
        .clone()
        .unwrap_or_else(|| panic!("change"));
    assert_eq!(
        (g.qualifier, g.lo, g.hi),
        (Some(Qualifier::Range), Some(6.5), Some(7.0))
    );
    let i = by_id(&f, "fixed_investment")[0]
        .change
        .clone()
        .unwrap_or_else(|| panic!("change"));
    assert_eq!(
        (i.value, i.qualifier, i.stretch),
        (Some(8.0), Some(Qualifier::AtLeast), Some(10.0))
    );
    let r = by_id(&f, "retail_sales")[0]
        .change
        .clone()
        .unwrap_or_else(|| panic!("change"));
    assert_eq!((r.lo, r.hi), (Some(5.0), Some(6.0)));
}

#[test]
fn fenbie_distributes_in_order() {
    let f = report(
        "实现财政总收入60.2亿元，其中一般公共预算收入35.4亿元，分别增长9.1%和7.3%。城镇和农村居民人均可支配收入分别增长5.2%、6.8%。",
        "",
    );
    assert_eq!(growth(by_id(&f, "fiscal_revenue")[0]), Some(9.1));
    assert_eq!(growth(by_id(&f, "budget_revenue")[0]), Some(7.3));
    assert_eq!(by_id(&f, "budget_revenue")[0].value, Some(35.4));
    assert_eq!(growth(by_id(&f, "urban_income")[0]), Some(5.2));
    assert_eq!(growth(by_id(&f, "rural_income")[0]), Some(6.8));
}

#[test]
fn jun_gives_one_change_to_several() {
    let f = report("", "服务业增加值和规上工业增加值均增长7%。");
    assert_eq!(growth(by_id(&f, "services_va")[0]), Some(7.0));
    assert_eq!(growth(by_id(&f, "industry_va")[0]), Some(7.0));
}

#[test]
fn signs_points_and_multiples() {
    let f = report(
        "单位地区生产总值能耗下降3.2%，城镇调查失业率比上年降低0.3个百分点，出口总额增长1.5倍，粮食总产量达到二十一万吨。",
        "",
    );
    assert_eq!(growth(by_id(&f, "energy_intensity")[0]), Some(-3.2));
    let u = by_id(&f, "unemployment_surveyed")[0]
        .change
        .clone()
        .unwrap_or_else(|| panic!("pp"));
    assert_eq!((u.kind, u.value), (ChangeType::Pp, Some(-0.3)));
    assert_eq!(growth(by_id(&f, "exports")[0]), Some(150.0));
    let g = by_id(&f, "grain_output")[0];
    assert_eq!((g.value, g.unit.as_deref()), (Some(21.0), Some("万吨")));
}

#[test]
fn chinese_numerals_and_points() {
    let f = report(
        "居民人均可支配收入提高三个百分点，新增国家级高新技术企业二十四家。",
        "",
    );
    let r = by_id(&f, "resident_income")[0]
        .change
        .clone()
        .unwrap_or_else(|| panic!("pp"));
    assert_eq!((r.kind, r.value), (ChangeType::Pp, Some(3.0)));
    let other = f
        .iter()
        .find(|x| x.metric_id.is_none() && x.value == Some(24.0));
    assert_eq!(
        other.map(|x| x.metric.as_str()),
        Some("新增国家级高新技术企业")
    );
}

#[test]
fn avg_growth_and_doubling() {
    let f = report(
        "过去五年，地区生产总值年均增长7.2%。",
        "到2027年，地区生产总值比2022年翻一番。",
    );
    let a = by_id(&f, "gdp")
        .into_iter()
        .find(|x| x.kind == Kind::Actual)
        .cloned()
        .unwrap_or_else(|| panic!("avg"));
    assert_eq!(a.change.map(|c| c.kind), Some(ChangeType::AvgGrowthPct));
    assert_eq!(a.years, Some([2018, 2022]));
    let t = by_id(&f, "gdp")
        .into_iter()
        .find(|x| x.kind == Kind::Target)
        .cloned()
        .unwrap_or_else(|| panic!("doubling"));
    assert_eq!(
        t.change.as_ref().map(|c| (c.kind, c.value)),
        Some((ChangeType::Times, Some(2.0)))
    );
    assert_eq!(t.years, Some([2023, 2027]));
}

#[test]
fn shares_ranks_and_sub_areas_are_not_the_headline_metric() {
    let f = report(
        "服务业增加值占地区生产总值比重达到68.5%，地区生产总值居全市第二位，开发区实现固定资产投资45亿元，“新三样”出口增长30%。",
        "",
    );
    assert!(by_id(&f, "gdp").is_empty(), "{:?}", by_id(&f, "gdp"));
    assert!(by_id(&f, "services_va").iter().all(|x| x.value.is_none()));
    assert!(by_id(&f, "fixed_investment").is_empty());
    assert!(by_id(&f, "exports").is_empty());
}

#[test]
fn absolute_increases_and_counts_are_not_levels() {
    let f = report(
        "一般公共预算收入比上年增加3.5亿元，达到40亿元。地区生产总值迈上两个台阶。",
        "",
    );
    let b = by_id(&f, "budget_revenue");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].value, Some(40.0));
    assert!(by_id(&f, "gdp").is_empty());
}

#[test]
fn masked_base_years_drop_multiples() {
    let f = report("地区生产总值是20xx年的1.8倍。", "");
    assert!(by_id(&f, "gdp").is_empty());
}

#[test]
fn from_to_levels_get_their_years() {
    let f = report("过去五年，地区生产总值从210亿元增加到312亿元。", "");
    let mut got: Vec<(Option<f64>, Option<i32>)> =
        by_id(&f, "gdp").iter().map(|x| (x.value, x.year)).collect();
    got.sort_by_key(|a| a.1);
    assert_eq!(got, [(Some(210.0), Some(2017)), (Some(312.0), Some(2022))]);
}

fn report_with(plan_year: i32, review_heading: &str, review: &str) -> Vec<Fact> {
    let text = format!(
        "政府工作报告\n（{plan_year}年1月6日在某县第十八届人民代表大会第二次会议上）\n各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。\n一、{review_heading}\n{review}\n二、{plan_year}年工作安排\n今年要做好三件事。\n"
    );
    let docs = analyze(&text, DocConfig::builtin(), Gazetteer::builtin());
    docs.iter()
        .flat_map(|d| extract(&text, d, MetricTable::builtin(), Units::builtin()))
        .collect()
}

fn change_of(f: &[&Fact], kind: ChangeType) -> Vec<(Option<f64>, Option<[i32; 2]>)> {
    f.iter()
        .filter_map(|x| {
            x.change
                .as_ref()
                .filter(|c| c.kind == kind)
                .map(|c| (c.value, x.years))
        })
        .collect()
}

#[test]
fn second_list_after_fenbie_goes_to_the_same_subjects() {
    let f = report(
        "城乡居民人均可支配收入分别达到41000元和21000元，增长6%和8.5%。",
        "",
    );
    let u = by_id(&f, "urban_income");
    let r = by_id(&f, "rural_income");
    assert_eq!((u[0].value, growth(u[0])), (Some(41000.0), Some(6.0)));
    assert_eq!((r[0].value, growth(r[0])), (Some(21000.0), Some(8.5)));
}

#[test]
fn elided_pair_of_urban_and_rural() {
    let f = report(
        "全县城镇新增就业0.8万人，城镇、农村居民人均可支配收入分别增长5%和7%。",
        "",
    );
    assert_eq!(growth(by_id(&f, "urban_income")[0]), Some(5.0));
    assert_eq!(growth(by_id(&f, "rural_income")[0]), Some(7.0));
    assert!(
        by_id(&f, "new_urban_jobs")
            .iter()
            .all(|x| x.change.is_none())
    );
}

#[test]
fn term_review_lists_levels_averages_and_jun() {
    let f = report_with(
        2023,
        "过去五年工作回顾",
        "五年来，地区生产总值、一般公共预算收入年均分别增长9.1%和11.2%，达320亿元和21亿元，均比2017年翻一番以上。",
    );
    let g = by_id(&f, "gdp");
    assert_eq!(
        change_of(&g, ChangeType::AvgGrowthPct),
        vec![(Some(9.1), Some([2018, 2022]))]
    );
    assert!(
        g.iter()
            .any(|x| x.value == Some(320.0) && x.year == Some(2022))
    );
    let b = by_id(&f, "budget_revenue");
    assert!(b.iter().any(|x| x.value == Some(21.0)));
    let times = change_of(&b, ChangeType::Times);
    assert_eq!(times, vec![(Some(2.0), Some([2018, 2022]))]);
    assert!(b.iter().any(|x| {
        x.change
            .as_ref()
            .is_some_and(|c| c.qualifier == Some(Qualifier::AtLeast))
    }));
}

#[test]
fn five_year_period_review_and_bases() {
    let f = report_with(
        2021,
        "“十三五”时期回顾和2020年工作",
        "“十三五”已经过去。“十三五”期间，全县地区生产总值年均增长7%，去年达到250亿元，比2015年翻了一番多。一般公共预算收入去年达到18亿元，是2015年的2.5倍。全社会固定资产投资累计完成900亿元，是“十二五”的1.8倍。",
    );
    let g = by_id(&f, "gdp");
    assert_eq!(
        change_of(&g, ChangeType::Times),
        vec![(Some(2.0), Some([2016, 2020]))]
    );
    let b = by_id(&f, "budget_revenue");
    assert_eq!(
        change_of(&b, ChangeType::Times),
        vec![(Some(2.5), Some([2016, 2020]))]
    );
    let i = by_id(&f, "fixed_investment");
    assert_eq!(
        change_of(&i, ChangeType::Times),
        vec![(Some(1.8), Some([2016, 2020]))]
    );
    assert!(
        i.iter()
            .any(|x| x.value == Some(900.0) && x.years == Some([2016, 2020]))
    );
}

#[test]
fn four_year_term_review_spans_four_years() {
    let f = report_with(
        2023,
        "过去四年工作回顾",
        "四年来，全县地区生产总值年均增长9%。",
    );
    let g = by_id(&f, "gdp");
    assert_eq!(
        change_of(&g, ChangeType::AvgGrowthPct),
        vec![(Some(9.0), Some([2019, 2022]))]
    );
}

#[test]
fn milestones_are_floors() {
    let f = report("全县经济总量跨上300亿元台阶。", "");
    let g = by_id(&f, "gdp");
    assert_eq!(
        (g[0].value, g[0].qualifier),
        (Some(300.0), Some(Qualifier::AtLeast))
    );
}

#[test]
fn chinese_numeral_years_and_percent_words() {
    let f = report(
        "全县地区生产总值达到七十二亿元，比二〇二一年增长百分之六点五。",
        "",
    );
    let g = by_id(&f, "gdp");
    assert!(
        g.iter()
            .any(|x| x.value == Some(72.0) && x.year == Some(2022))
    );
    assert!(
        g.iter()
            .any(|x| growth(x) == Some(6.5) && x.years == Some([2022, 2022])
                || growth(x) == Some(6.5) && x.year == Some(2022))
    );
}

#[test]
fn two_fenbie_lists_for_one_pair() {
    let f = report(
        "城乡常住居民人均可支配收入分别达到52000元和31000元，分别增长5.1%和7.2%。",
        "",
    );
    let u = by_id(&f, "urban_income");
    let r = by_id(&f, "rural_income");
    assert_eq!((u[0].value, growth(u[0])), (Some(52000.0), Some(5.1)));
    assert_eq!((r[0].value, growth(r[0])), (Some(31000.0), Some(7.2)));
}

#[test]
fn estimate_note_holds_for_the_rest_of_the_section() {
    let f = report(
        "全县地区生产总值（预计数，下同）320亿元，增长6%。\n一般公共预算收入21亿元，增长5%。",
        "地区生产总值增长6%左右。",
    );
    let b = by_id(&f, "budget_revenue");
    assert_eq!(b[0].kind, Kind::Estimate);
    let g = by_id(&f, "gdp");
    assert!(
        g.iter()
            .any(|x| x.kind == Kind::Estimate && x.value == Some(320.0))
    );
    assert!(g.iter().any(|x| x.kind == Kind::Target));
}

#[test]
fn average_growth_written_before_its_noun() {
    let f = report_with(
        2023,
        "过去五年工作回顾",
        "五年来，全县地区生产总值实现年均6.8%的较快增长。",
    );
    let g = by_id(&f, "gdp");
    assert_eq!(
        change_of(&g, ChangeType::AvgGrowthPct),
        vec![(Some(6.8), Some([2018, 2022]))]
    );
}

#[test]
fn estimate_holds_from_its_word_to_the_full_stop() {
    let f = report(
        "全县地区生产总值320亿元，增长6%，一般公共预算收入预计21亿元，增长5%；固定资产投资\n增长9%。社会消费品零售总额110亿元。",
        "",
    );
    assert!(by_id(&f, "gdp").iter().all(|x| x.kind == Kind::Actual));
    assert!(
        by_id(&f, "budget_revenue")
            .iter()
            .all(|x| x.kind == Kind::Estimate)
    );
    // The sentence goes on past a line break: still an estimate.
    assert!(
        by_id(&f, "fixed_investment")
            .iter()
            .all(|x| x.kind == Kind::Estimate)
    );
    assert!(
        by_id(&f, "retail_sales")
            .iter()
            .all(|x| x.kind == Kind::Actual)
    );
}

#[test]
fn floors_written_with_more_and_round_chinese_numbers() {
    let f = report(
        "全县固定资产投资破百亿元大关，社会消费品零售总额300多亿元。全县地区生产总值完成602亿元，首次突破600亿元大关，同比增长5.5%。",
        "",
    );
    let i = by_id(&f, "fixed_investment");
    assert_eq!(
        (i[0].value, i[0].unit.as_deref(), i[0].qualifier),
        (Some(100.0), Some("亿元"), Some(Qualifier::AtLeast))
    );
    let r = by_id(&f, "retail_sales");
    assert_eq!(
        (r[0].value, r[0].qualifier),
        (Some(300.0), Some(Qualifier::AtLeast))
    );
    let g = by_id(&f, "gdp");
    assert!(g.iter().any(|x| x.value == Some(602.0)));
    assert!(
        g.iter()
            .any(|x| x.value == Some(600.0) && x.qualifier == Some(Qualifier::AtLeast))
    );
    assert!(g.iter().any(|x| growth(x) == Some(5.5)));
}

#[test]
fn pastoral_incomes() {
    let f = report("城镇和农村牧区常住居民人均可支配收入分别增长5%和7.5%。", "");
    assert_eq!(growth(by_id(&f, "urban_income")[0]), Some(5.0));
    assert_eq!(growth(by_id(&f, "rural_income")[0]), Some(7.5));
}

#[test]
fn elided_names_and_clauses_that_go_on() {
    let f = report(
        "粮食总产、单产分别增长10.6%和5%。一般公共预算收入实现翻倍增长，从2017年的8.8亿元增至2022年的20.2亿元。规模以上工业增加值由32亿元增加到68亿元，五年翻了一番多，年均增长16.3%。",
        "",
    );
    let g = by_id(&f, "grain_output");
    assert_eq!(g.len(), 1);
    assert_eq!(growth(g[0]), Some(10.6));
    let b = by_id(&f, "budget_revenue");
    assert!(
        b.iter()
            .any(|x| x.value == Some(8.8) && x.year == Some(2017))
    );
    assert!(
        b.iter()
            .any(|x| x.value == Some(20.2) && x.year == Some(2022))
    );
    let v = by_id(&f, "industry_va");
    assert!(v.iter().any(|x| {
        x.change
            .as_ref()
            .is_some_and(|c| c.kind == ChangeType::AvgGrowthPct && c.value == Some(16.3))
    }));
    assert!(v.iter().any(|x| {
        x.change
            .as_ref()
            .is_some_and(|c| c.kind == ChangeType::Times)
    }));
}

#[test]
fn the_size_of_a_project_list_is_no_target() {
    let facts = report(
        "全年地区生产总值增长6%。",
        "经过遴选，正式形成了12件候选项目建议方案。经大会票选确定如下10件为正式的政府实事项目：一是建设学校。新建停车泊位500个。",
    );
    let counts: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.unit.as_deref() == Some("件"))
        .collect();
    assert_eq!(counts.len(), 2, "{facts:#?}");
    assert!(counts.iter().all(|f| f.kind == Kind::Actual), "{counts:#?}");
    // The list's own goals stay targets.
    assert!(
        facts
            .iter()
            .any(|f| f.unit.as_deref() == Some("个") && f.kind == Kind::Target),
        "{facts:#?}"
    );
}
