//! Metadata and outline on report variants written for these tests: other
//! levels, layouts and maskings than the sample reports show.

use gwr_doc::{DocConfig, DocType, Document, Gazetteer, Role, analyze};

fn docs(text: &str) -> Vec<Document> {
    analyze(text, DocConfig::builtin(), Gazetteer::builtin())
}

fn headings(d: &Document) -> Vec<String> {
    d.top_sections().map(|s| s.title.clone()).collect()
}

#[test]
fn county_level_city_report() {
    let t = "政府工作报告\n——2023年1月10日在义乌市第十七届人民代表大会第三次会议上\n义乌市人民政府市长王健\n各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2022年工作回顾\n过去一年，我们做了很多工作。\n二、2023年工作安排\n今年要做更多。\n三、全面加强政府自身建设\n我们要勤政廉政。";
    let d = docs(t);
    assert_eq!(d.len(), 1);
    let m = &d[0].meta;
    assert_eq!(d[0].doc_type, DocType::GovernmentWorkReport);
    assert_eq!(m.region.as_deref(), Some("义乌市"));
    assert_eq!(m.level.as_deref(), Some("county"));
    assert_eq!(
        m.region_path.as_ref().map(|p| p.join("/")),
        Some("浙江省/金华市/义乌市".into())
    );
    assert_eq!(m.speaker.as_deref(), Some("王健"));
    assert_eq!(m.speaker_title.as_deref(), Some("市长"));
    assert_eq!(
        m.meeting.as_deref(),
        Some("义乌市第十七届人民代表大会第三次会议")
    );
    assert_eq!(m.date.as_deref(), Some("2023-01-10"));
    assert_eq!((m.review_year, m.plan_year), (Some(2022), Some(2023)));
    let roles: Vec<Option<Role>> = d[0].top_sections().map(|s| s.role).collect();
    assert_eq!(
        roles,
        [
            Some(Role::Review),
            Some(Role::Tasks),
            Some(Role::SelfBuilding)
        ]
    );
}

#[test]
fn provincial_report_with_name_on_its_own_line() {
    let t = "政府工作报告\n（2021年1月23日在河南省第十三届人民代表大会第五次会议上）\n河南省省长\n王凯\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协各位委员和其他列席人员提出意见。\n一、“十三五”和2020年工作回顾\n正文。\n二、“十四五”时期主要目标任务\n正文。\n三、2021年重点工作\n正文。";
    let d = docs(t);
    let m = &d[0].meta;
    assert_eq!(m.region.as_deref(), Some("河南省"));
    assert_eq!(m.level.as_deref(), Some("province"));
    assert_eq!(m.speaker.as_deref(), Some("王凯"));
    assert_eq!(m.speaker_title.as_deref(), Some("省长"));
    assert_eq!(m.date.as_deref(), Some("2021-01-23"));
    assert_eq!((m.review_year, m.plan_year), (Some(2020), Some(2021)));
    assert_eq!(headings(&d[0]).len(), 3);
}

#[test]
fn masked_years_are_inferred_from_a_plan_ordinal() {
    let t = "20xx年政府工作报告\n（20xx年1月8日在杭州市余杭区第十六届人民代表大会第五次会议上）\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、20xx年工作回顾\n20xx年是“十三五”规划的收官之年，也是极不平凡的一年。\n二、20xx年工作安排\n正文。";
    let d = docs(t);
    let m = &d[0].meta;
    assert_eq!(m.region.as_deref(), Some("余杭区"));
    assert_eq!((m.review_year, m.plan_year), (Some(2020), Some(2021)));
    assert_eq!(m.date.as_deref(), Some("2021-01-08"));
    assert_eq!(m.title.as_deref(), Some("2021年政府工作报告"));
    assert_eq!(headings(&d[0]), ["2020年工作回顾", "2021年工作安排"]);
    for f in ["review_year", "plan_year", "date", "title"] {
        assert!(
            m.inferred.iter().any(|x| x == f),
            "{f} inferred: {:?}",
            m.inferred
        );
    }
}

#[test]
fn unknown_years_stay_empty() {
    let t = "各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、过去一年工作回顾\n正文。\n二、今年工作安排\n正文。";
    let d = docs(t);
    let m = &d[0].meta;
    assert_eq!((m.review_year, m.plan_year), (None, None));
    assert_eq!(m.date, None);
    assert_eq!(m.speaker, None);
}

#[test]
fn headerless_body_names_its_region_by_short_name() {
    let t = "一、2017年政府工作回顾\n2017年是定海实干攻坚的一年。定海经济稳步增长，定海城乡面貌持续改善，舟山群岛新区建设带动定海发展。\n二、2018年政府工作主要安排\n定海要继续努力。\n较旧一篇:2018年庆元县政府工作报告较新一篇:2018年舟山市普陀区政府工作报告";
    let d = docs(t);
    assert_eq!(d.len(), 1);
    let m = &d[0].meta;
    assert_eq!(m.region.as_deref(), Some("定海区"));
    assert!(m.inferred.iter().any(|x| x == "region"));
    assert_eq!(m.title, None);
}

#[test]
fn common_words_are_no_region() {
    let t = "一、过去一年的工作\n我们坚持和平发展，加强合作，解放思想。和平与合作是主题，解放生产力。合作共赢，和平稳定，思想解放。\n二、今年的任务\n深化合作。";
    let d = docs(t);
    assert_eq!(d[0].meta.region, None);
}

#[test]
fn news_item_about_a_report() {
    let t = "本网某地1月9日讯\n浙江省湖州市第九届人民代表大会第五次会议今天上午开幕。市长张三代表市人民政府作政府工作报告。\n报告指出，2023年是全面贯彻党的二十大精神的开局之年。一年来，全市生产总值增长6%。\n报告提出，2024年全市经济社会发展的主要预期目标是：生产总值增长6%左右。";
    let d = docs(t);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].doc_type, DocType::Other);
    let m = &d[0].meta;
    assert_eq!(m.region.as_deref(), Some("湖州市"));
    assert_eq!(m.speaker.as_deref(), Some("张三"));
    assert_eq!(m.speaker_title.as_deref(), Some("市长"));
    assert_eq!(
        m.meeting.as_deref(),
        Some("湖州市第九届人民代表大会第五次会议")
    );
    assert_eq!((m.review_year, m.plan_year), (Some(2023), Some(2024)));
    assert_eq!(m.date.as_deref(), Some("2024-01-09"));
    assert!(m.cues.iter().any(|c| c.rule == "targets_year" && c.won));
}

#[test]
fn term_report_of_a_five_year_plan() {
    let t = "政府工作报告\n——2016年1月20日在某某县第十六届人民代表大会第五次会议上\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n一、“十二五”时期工作回顾\n五年来，全县生产总值年均增长9%。\n二、“十三五”时期的主要目标\n到2020年，生产总值年均增长7%。\n三、2016年工作安排\n今年生产总值增长7%。";
    let d = docs(t);
    let m = &d[0].meta;
    assert_eq!((m.review_year, m.plan_year), (Some(2015), Some(2016)));
    assert_eq!(m.review_span, Some([2011, 2015]));
}

#[test]
fn masked_years_from_a_plan_ordinal_in_the_review() {
    let t = "政府工作报告\n——20XX年1月10日在某某县第十七届人民代表大会第三次会议上\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n一、20XX年工作回顾\n20XX年，全县生产总值增长8%。是全面实施“十三五”规划的第二年。\n二、20XX年工作安排\n今年生产总值增长7.5%。";
    let m = &docs(t)[0].meta;
    assert_eq!((m.review_year, m.plan_year), (Some(2017), Some(2018)));
    assert_eq!(m.date.as_deref(), Some("2018-01-10"));
    assert!(m.inferred.iter().any(|f| f == "review_year"));
}

#[test]
fn national_news_item() {
    let t = "新华社北京3月5日电 第十三届全国人民代表大会第二次会议5日上午在人民大会堂开幕。国务院总理李某作政府工作报告。\n报告说，去年国内生产总值增长6.6%。今年发展主要预期目标是：国内生产总值增长6%－6.5%。";
    let d = docs(t);
    let m = &d[0].meta;
    assert_eq!(d[0].doc_type, DocType::Other);
    assert_eq!(m.region.as_deref(), Some("中国"));
    assert_eq!(
        m.meeting.as_deref(),
        Some("第十三届全国人民代表大会第二次会议")
    );
    assert_eq!((m.review_year, m.plan_year), (Some(2018), Some(2019)));
    assert_eq!(m.speaker.as_deref(), Some("李某"));
}

#[test]
fn province_from_the_opening_level_and_one_name() {
    let t = "（2010年1月25日 李某某）\n各位代表：\n现在，我代表省人民政府向大会作政府工作报告，请予审议。\n一、2009年工作回顾\n过去的一年，全省人民立足江西实际，克服困难，经济平稳较快发展。";
    let m = &docs(t)[0].meta;
    assert_eq!(m.region.as_deref(), Some("江西省"));
    assert_eq!(m.level.as_deref(), Some("province"));
    assert_eq!(m.speaker.as_deref(), Some("李某某"));
    assert_eq!(m.title, None);
}

#[test]
fn short_names_of_autonomous_divisions_in_headers() {
    let t = "（某省）2021年黔东南州人民政府工作报告（全文）\n政府工作报告\n——2021年2月1日在州十四届人大五次会议上\n州长王某\n各位代表：\n现在，我代表州人民政府向大会报告工作。\n一、2020年工作回顾\n正文。";
    let m = &docs(t)[0].meta;
    assert_eq!(m.region.as_deref(), Some("黔东南苗族侗族自治州"));
    assert_eq!(m.level.as_deref(), Some("city"));
}

#[test]
fn news_item_with_a_ceremony_before_the_report() {
    let t = "某某县第十六届人民代表大会第一次会议12月10日下午在县委大楼会议室开幕。\n主席台上就座的有大会主席团成员张某、李某。\n随后，代理县长王某某代表县人民政府向大会作《政府工作报告》。报告由三部分组成：过去五年工作回顾、今后五年主要工作任务和2012年重点工作。\n报告说，五年来，全县生产总值年均增长14%。";
    let d = docs(t);
    let m = &d[0].meta;
    assert_eq!(d[0].doc_type, DocType::Other);
    assert_eq!(m.speaker.as_deref(), Some("王某某"));
    assert_eq!(m.speaker_title.as_deref(), Some("代理县长"));
    assert_eq!((m.review_year, m.plan_year), (Some(2011), Some(2012)));
    assert_eq!(m.date.as_deref(), Some("2011-12-10"));
}

#[test]
fn township_report_under_its_county() {
    let t = "某某县石门镇2021年政府工作报告\n发布机构：某某县石门镇\n政府工作报告\n——2021年2月27日在石门镇第十六届人民代表大会第六次会议上\n石门镇镇长刘某某\n各位代表：\n现在，我代表镇政府向大会报告工作。\n2020年工作回顾\n正文。";
    // The parent must be a division of the table.
    let t = t.replace("某某县", "沂南县");
    let m = &docs(&t)[0].meta;
    assert_eq!(m.region.as_deref(), Some("石门镇"));
    assert_eq!(m.level.as_deref(), Some("township"));
    assert_eq!(
        m.region_path
            .as_ref()
            .and_then(|p| p.last())
            .map(String::as_str),
        Some("石门镇")
    );
    assert!(m.region_path.as_ref().is_some_and(|p| p.len() == 4));
}

#[test]
fn a_day_no_calendar_has_is_no_date() {
    let t = "政府工作报告\n——2018年1月58日在某某区第五届人民代表大会第二次会议上\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2017年工作回顾\n正文。";
    assert_eq!(docs(t)[0].meta.date, None);
}
