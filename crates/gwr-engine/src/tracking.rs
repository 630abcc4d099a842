//! Promise tracking and comparison over many reports.
//!
//! A target of region R for year Y (a fact of kind target with a headline
//! metric) is matched with what R's later reports say about Y: an actual
//! figure if there is one, else an estimate (an estimate later restated as an
//! actual is superseded). Regions are matched by their GB/T 2260 code, so a
//! merged or renamed district is a different region. The same measure is
//! compared: a growth target with a growth outcome, a level with a level.
//!
//! One row per region, metric, measure and year: a target restated later in
//! the same report (主要预期目标 line, then 经济增长预期目标为…) is one target
//! with both evidences. A range target (6.5%－7%) is met by an outcome inside
//! the band or above it, with the gap to each end. The outcome is the year's
//! own figure: an exact figure beats a summary with a qualifier
//! (连续三年达到或高于6%), an actual beats an estimate, a later report an
//! earlier one. Figures of a review or problems section are never targets.

use crate::records::FactRecord;
use gwr_figures::{ChangeType, Kind, Qualifier};
use serde::Serialize;

/// Was the target met?
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    Missed,
    /// No later figure for the same region, metric, year and measure.
    NoOutcome,
}

impl Verdict {
    /// The name serde gives the verdict (`met`, `missed`, `no_outcome`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::NoOutcome => "no_outcome",
        }
    }
}

/// A target and what became of it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Tracked {
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub metric_id: String,
    pub year: i32,
    /// growth_pct, avg_growth_pct, pp, times, or level.
    pub measure: String,
    pub target: f64,
    /// The upper end of a range target (6.5%－7% → 7).
    pub target_hi: Option<f64>,
    pub comparator: &'static str,
    pub stretch: Option<f64>,
    pub outcome: Option<f64>,
    /// actual or estimate.
    pub outcome_kind: Option<Kind>,
    /// An estimate for the year was later restated as an actual.
    pub estimate_superseded: bool,
    pub verdict: Verdict,
    /// outcome − target (in the target's unit; levels in base units); for
    /// a range, to its lower end.
    pub gap: Option<f64>,
    /// outcome − the upper end of a range target.
    pub gap_hi: Option<f64>,
    pub target_file: String,
    pub target_evidence: String,
    /// The evidence of each later statement of the same target.
    pub restated: Vec<String>,
    pub outcome_file: Option<String>,
    pub outcome_evidence: Option<String>,
}

/// A measure's name, its number, qualifier, stretch and upper bound.
type Measure = (String, f64, Option<Qualifier>, Option<f64>, Option<f64>);

/// The number a fact states for a measure, and the measure's name.
fn measure(f: &FactRecord) -> Option<Measure> {
    if let Some(c) = &f.change {
        let name = match c.kind {
            ChangeType::GrowthPct => "growth_pct",
            ChangeType::AvgGrowthPct => "avg_growth_pct",
            ChangeType::Pp => "pp",
            ChangeType::Times => "times",
        };
        let v = c.value.or(c.lo)?;
        return Some((name.to_string(), v, c.qualifier, c.stretch, c.hi));
    }
    let v = f.value_base.or(f.value.or(f.lo))?;
    let scale = if f.value_base.is_some() {
        f.value_base? / f.value?
    } else {
        1.0
    };
    Some((
        format!("level:{}", f.base_unit.clone().unwrap_or_default()),
        if f.value.is_some() {
            v
        } else {
            f.lo.unwrap_or(0.0) * scale
        },
        f.qualifier,
        f.stretch.map(|s| s * scale),
        f.hi.map(|h| h * scale),
    ))
}

fn region_key(f: &FactRecord) -> Option<String> {
    f.region_code
        .clone()
        .or_else(|| (f.level.as_deref() == Some("national")).then(|| "national".to_string()))
}

fn met(target: f64, q: Option<Qualifier>, hi: Option<f64>, outcome: f64, level: bool) -> bool {
    let slack = if level { target.abs() * 0.02 } else { 0.5 };
    // A falling target (能耗下降3%) is met by falling at least as much.
    let falling = target < 0.0;
    match q {
        Some(Qualifier::AtMost) => outcome <= target + if level { 0.0 } else { 1e-9 },
        Some(Qualifier::Range) => outcome >= target - 1e-9 || hi.is_some_and(|h| outcome >= h),
        Some(Qualifier::About) if falling => outcome <= target + slack,
        Some(Qualifier::About) => outcome >= target - slack,
        _ if falling => outcome <= target + 1e-9,
        _ => outcome >= target - 1e-9,
    }
}

fn comparator(q: Option<Qualifier>) -> &'static str {
    match q {
        Some(Qualifier::About) => "about",
        Some(Qualifier::AtLeast) => "at_least",
        Some(Qualifier::AtMost) => "at_most",
        Some(Qualifier::Range) => "range",
        None => "exact",
    }
}

/// Rank of an outcome candidate: an actual over an estimate, an exact
/// figure over one with a qualifier (a summary: 达到或高于6%), a single year
/// over a span, a later report over an earlier one.
fn outcome_rank(f: &FactRecord) -> (bool, bool, bool, i32) {
    (
        f.kind == Kind::Actual,
        f.qualifier.is_none() && f.change.as_ref().is_none_or(|c| c.qualifier.is_none()),
        f.years.is_none(),
        f.report_plan_year.unwrap_or(0),
    )
}

/// Track every headline target in `facts` against the other facts.
pub fn track(facts: &[FactRecord]) -> Vec<Tracked> {
    let mut out: Vec<Tracked> = Vec::new();
    // Row of each target already tracked: region, metric, year, measure,
    // bounds (as bits) and the report it is stated in.
    type Key = (String, String, i32, String, u64, Option<u64>, String);
    let mut rows: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for t in facts.iter().filter(|f| f.kind == Kind::Target) {
        // A review's figures state what was, whatever their words.
        if matches!(t.role, Some("review" | "problems")) {
            continue;
        }
        let (Some(id), Some(year), Some(region)) = (t.metric_id.as_ref(), t.year, region_key(t))
        else {
            continue;
        };
        let Some((m, target, q, stretch, hi)) = measure(t) else {
            continue;
        };
        // A restatement of a target already tracked: one row, both evidences.
        let key: Key = (
            region.clone(),
            id.clone(),
            year,
            m.clone(),
            target.to_bits(),
            hi.map(f64::to_bits),
            t.file.clone(),
        );
        if let Some(&row) = rows.get(&key) {
            out[row].restated.push(t.evidence.clone());
            continue;
        }
        rows.insert(key, out.len());
        let candidates: Vec<(&FactRecord, f64)> = facts
            .iter()
            .filter(|f| matches!(f.kind, Kind::Actual | Kind::Estimate))
            .filter(|f| f.metric_id.as_ref() == Some(id) && f.year == Some(year))
            .filter(|f| region_key(f).as_ref() == Some(&region))
            .filter_map(|f| measure(f).filter(|x| x.0 == m).map(|x| (f, x.1)))
            .collect();
        // The best ranked; among equals the first stated.
        let best = candidates
            .iter()
            .rev()
            .max_by_key(|(f, _)| outcome_rank(f))
            .copied();
        let superseded = best.is_some_and(|(b, _)| b.kind == Kind::Actual)
            && candidates.iter().any(|(f, _)| f.kind == Kind::Estimate);
        let level = m.starts_with("level");
        let round = |x: f64| (x * 1e6).round() / 1e6;
        let (verdict, gap) = match best {
            Some((_, v)) => (
                if met(target, q, hi, v, level) {
                    Verdict::Met
                } else {
                    Verdict::Missed
                },
                Some(round(v - target)),
            ),
            None => (Verdict::NoOutcome, None),
        };
        let target_hi = hi.filter(|_| q == Some(Qualifier::Range));
        out.push(Tracked {
            region: t.region.clone(),
            region_code: t.region_code.clone(),
            metric_id: id.clone(),
            year,
            measure: m.clone(),
            target,
            target_hi,
            comparator: comparator(q),
            stretch,
            outcome: best.map(|b| b.1),
            outcome_kind: best.map(|b| b.0.kind),
            estimate_superseded: superseded,
            verdict,
            gap,
            gap_hi: target_hi.zip(best).map(|(h, (_, v))| round(v - h)),
            target_file: t.file.clone(),
            target_evidence: t.evidence.clone(),
            restated: Vec::new(),
            outcome_file: best.map(|b| b.0.file.clone()),
            outcome_evidence: best.map(|b| b.0.evidence.clone()),
        });
    }
    out
}

/// One row of a comparison: a region's figure for a metric and year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub level: Option<String>,
    pub parent: Option<String>,
    pub kind: Kind,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub change: Option<gwr_figures::Change>,
    pub file: String,
    pub evidence: String,
}

/// The same metric and year across regions, one row per region and kind
/// (the latest report wins), ordered by parent then region.
pub fn compare(facts: &[FactRecord], metric: &str, year: i32, kind: Option<Kind>) -> Vec<Compared> {
    let mut rows: Vec<(&FactRecord, Compared)> = Vec::new();
    for f in facts {
        if f.metric_id.as_deref() != Some(metric)
            || f.year != Some(year)
            || kind.is_some_and(|k| k != f.kind)
        {
            continue;
        }
        let row = Compared {
            region: f.region.clone(),
            region_code: f.region_code.clone(),
            level: f.level.clone(),
            parent: f
                .region_path
                .as_ref()
                .and_then(|p| p.len().checked_sub(2).and_then(|i| p.get(i).cloned())),
            kind: f.kind,
            value: f.value,
            unit: f.unit.clone(),
            change: f.change.clone(),
            file: f.file.clone(),
            evidence: f.evidence.clone(),
        };
        match rows.iter_mut().find(|(g, _)| {
            region_key(g) == region_key(f) && g.kind == f.kind && g.region == f.region
        }) {
            Some(slot) => {
                if f.report_plan_year >= slot.0.report_plan_year
                    && (slot.1.value.is_none() || slot.1.change.is_none())
                {
                    *slot = (f, row);
                }
            }
            None => rows.push((f, row)),
        }
    }
    let mut out: Vec<Compared> = rows.into_iter().map(|(_, r)| r).collect();
    out.sort_by(|a, b| {
        (&a.parent, &a.region_code, &a.region).cmp(&(&b.parent, &b.region_code, &b.region))
    });
    out
}

/// Link each completion statement (stage completed) to the list of projects
/// its region fixed for that year in an earlier report: same GB/T 2260 code,
/// the list's plan year equal to the statement's review year. Final lists
/// are preferred to candidate lists.
pub fn link_commitments(records: &mut [crate::records::CommitmentRecord]) {
    use gwr_figures::commitments::Stage;
    let lists: Vec<(Option<String>, Option<i32>, Stage, String)> = records
        .iter()
        .filter(|r| matches!(r.stage, Stage::Final | Stage::Candidate | Stage::Announced))
        .map(|r| {
            (
                r.region_code.clone(),
                r.plan_year,
                r.stage,
                format!("{}#{}", r.file, r.part),
            )
        })
        .collect();
    for r in records.iter_mut().filter(|r| r.stage == Stage::Completed) {
        if r.region_code.is_none() {
            continue;
        }
        let found = lists
            .iter()
            .filter(|(code, year, _, _)| {
                *code == r.region_code && year.is_some() && *year == r.review_year
            })
            .max_by_key(|(_, _, stage, _)| *stage == Stage::Final);
        r.fulfils = found.map(|f| f.3.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict;

    #[test]
    fn verdict_names_are_the_serde_names() {
        for v in [Verdict::Met, Verdict::Missed, Verdict::NoOutcome] {
            assert_eq!(serde_json::json!(v).as_str(), Some(v.as_str()), "{v:?}");
        }
    }
}
