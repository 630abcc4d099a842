//! Tracking targets across years on reports written for this test
//! (tests/fixtures/tracking): met, missed, a revised estimate, a missing
//! outcome, and a neighbouring district that must not be matched.

use gwr_engine::records::fact_records;
use gwr_engine::tracking::{Verdict, compare, track};
use gwr_engine::{Engine, Kind};
use std::path::PathBuf;

fn facts(dir: &str) -> Vec<gwr_engine::records::FactRecord> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(dir);
    let engine = Engine::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixture dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let bytes = std::fs::read(p).expect("fixture readable");
            fact_records(&engine.parse_bytes(&name, &bytes).expect("fixture parses"))
        })
        .collect()
}

#[test]
fn targets_meet_their_outcomes() {
    let t = track(&facts("tests/fixtures/tracking"));
    let find = |region: &str, metric: &str, year: i32| {
        t.iter()
            .find(|x| {
                x.region.as_deref() == Some(region) && x.metric_id == metric && x.year == year
            })
            .unwrap_or_else(|| panic!("{region} {metric} {year} tracked"))
    };
    let gdp = find("余杭区", "gdp", 2022);
    assert_eq!(
        (gdp.verdict, gdp.outcome, gdp.outcome_kind),
        (Verdict::Met, Some(6.2), Some(Kind::Actual))
    );
    // The party plenum's estimate (5.8%) is superseded by the actual.
    assert!(gdp.estimate_superseded);
    let retail = find("余杭区", "retail_sales", 2022);
    assert_eq!((retail.verdict, retail.gap), (Verdict::Missed, Some(-3.0)));
    let inv = find("余杭区", "fixed_investment", 2022);
    assert_eq!((inv.verdict, inv.outcome), (Verdict::Met, Some(9.1)));
    assert!(inv.estimate_superseded, "estimate of 7% restated as 9.1%");
    let jobs = find("余杭区", "new_urban_jobs", 2022);
    assert_eq!(
        (jobs.verdict, jobs.measure.as_str()),
        (Verdict::Met, "level:人")
    );
    assert_eq!(
        find("余杭区", "budget_revenue", 2022).verdict,
        Verdict::NoOutcome
    );
    // 萧山区 reports 2022 figures too, but has no 2022 targets here, and
    // 余杭区's targets never take 萧山区's outcomes.
    assert!(
        t.iter()
            .all(|x| x.region.as_deref() != Some("萧山区") || x.year == 2023)
    );
    assert!(
        t.iter()
            .filter(|x| x.region.as_deref() == Some("余杭区"))
            .all(|x| {
                x.outcome_file
                    .as_deref()
                    .is_none_or(|f| f.starts_with("yuhang"))
            })
    );
}

#[test]
fn seeds_make_no_cross_region_matches() {
    let t = track(&facts("samples"));
    for x in &t {
        if x.verdict != Verdict::NoOutcome {
            assert_eq!(
                x.target_file,
                x.outcome_file.clone().unwrap_or_default(),
                "{x:?}"
            );
        }
    }
}

#[test]
fn comparison_lines_up_regions() {
    let rows = compare(
        &facts("tests/fixtures/tracking"),
        "gdp",
        2022,
        Some(Kind::Actual),
    );
    let got: Vec<(Option<&str>, Option<f64>)> = rows
        .iter()
        .map(|r| (r.region.as_deref(), r.value))
        .collect();
    assert_eq!(
        got,
        [
            (Some("萧山区"), Some(2300.0)),
            (Some("余杭区"), Some(2780.0))
        ]
    );
    assert!(rows.iter().all(|r| r.parent.as_deref() == Some("杭州市")));
}

#[test]
fn completion_statements_link_to_last_years_list() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/tracking");
    let engine = Engine::new();
    let mut rows = Vec::new();
    for name in ["yuhang-2022.txt", "yuhang-2023.txt", "xiaoshan-2023.txt"] {
        let bytes = std::fs::read(root.join(name)).expect("fixture");
        rows.extend(gwr_engine::records::commitment_records(
            &engine.parse_bytes(name, &bytes).expect("parses"),
        ));
    }
    gwr_engine::tracking::link_commitments(&mut rows);
    let done: Vec<_> = rows
        .iter()
        .filter(|r| r.stage == gwr_figures::commitments::Stage::Completed)
        .collect();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].fulfils.as_deref(), Some("yuhang-2022.txt#1"));
    assert_eq!(done[0].announced, Some(3));
}

/// Three consecutive reports of one county (tests/fixtures/series): a range
/// target, targets restated in the same report, and a multi-year summary
/// after the year's own figure.
#[test]
fn a_series_of_reports_gives_one_row_per_target() {
    let t = track(&facts("tests/fixtures/series"));
    let rows = |metric: &str, year: i32| -> Vec<&gwr_engine::tracking::Tracked> {
        t.iter()
            .filter(|x| x.metric_id == metric && x.year == year)
            .collect()
    };
    // Restated targets are one row with both evidences.
    let gdp21 = rows("gdp", 2021);
    assert_eq!(gdp21.len(), 1, "{gdp21:#?}");
    let gdp21 = gdp21[0];
    assert_eq!(gdp21.restated, ["全年经济增长预期目标为6.5%－7%"]);
    // A range is met inside or above the band, with the gap to each end.
    assert_eq!(
        (gdp21.target, gdp21.target_hi, gdp21.comparator),
        (6.5, Some(7.0), "range")
    );
    // The year's own figure, not the summary 连续三年达到或高于6% after it.
    assert_eq!(gdp21.outcome, Some(7.2));
    assert_eq!(gdp21.verdict, Verdict::Met);
    assert_eq!((gdp21.gap, gdp21.gap_hi), (Some(0.7), Some(0.2)));
    let gdp22 = rows("gdp", 2022);
    assert_eq!(gdp22.len(), 1);
    assert_eq!(
        (gdp22[0].outcome, gdp22[0].verdict),
        (Some(5.8), Verdict::Met)
    );
    assert_eq!(gdp22[0].restated.len(), 1);
    let rev = rows("budget_revenue", 2022);
    assert_eq!((rev.len(), rev[0].verdict), (1, Verdict::Missed));
    assert_eq!(rows("gdp", 2023)[0].verdict, Verdict::NoOutcome);
    // No row for a review year's figures.
    assert!(rows("gdp", 2020).is_empty());
    assert!(t.iter().all(|x| x.region.as_deref() == Some("德清县")));
}
