//! Quantitative facts.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Achieved, estimated, promised or foreseen.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Reported as achieved.
    Actual,
    /// 预计 / 初步统计 for a finished period.
    Estimate,
    /// A goal of the plan.
    Target,
    /// 预计 for the plan period: what the government expects to happen
    /// (预计今年高校毕业生超过1170万人), neither a goal nor an outcome.
    Forecast,
}

impl Kind {
    /// The name serde gives the kind (`actual`, `estimate`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Actual => "actual",
            Kind::Estimate => "estimate",
            Kind::Target => "target",
            Kind::Forecast => "forecast",
        }
    }
}

/// How a figure is bounded.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    About,
    AtLeast,
    AtMost,
    Range,
}

impl Qualifier {
    /// The name serde gives the qualifier (`about`, `at_least`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::About => "about",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
            Qualifier::Range => "range",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    GrowthPct,
    AvgGrowthPct,
    Pp,
    Times,
}

impl ChangeType {
    /// The name serde gives the change type (`growth_pct`, `pp`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::GrowthPct => "growth_pct",
            ChangeType::AvgGrowthPct => "avg_growth_pct",
            ChangeType::Pp => "pp",
            ChangeType::Times => "times",
        }
    }
}

/// A change: growth rate, percentage points, or a multiple.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    #[serde(rename = "type")]
    pub kind: ChangeType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lo: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hi: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stretch: Option<f64>,
}

/// One quantitative fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The metric as written (地区生产总值).
    pub metric: String,
    /// Canonical id of a headline metric.
    pub metric_id: Option<String>,
    pub kind: Kind,
    pub year: Option<i32>,
    /// For figures about a span of years (五年累计, 年均增长).
    pub years: Option<[i32; 2]>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<Qualifier>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub stretch: Option<f64>,
    pub change: Option<Change>,
    /// Span of the evidence in the normalized text.
    pub span: Range<usize>,
    /// Span of the metric name in the normalized text.
    pub metric_span: Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `as_str` is the name serde writes, for every variant.
    #[test]
    fn names_are_the_serde_names() {
        use crate::commitments::{CommitmentKind, Stage};
        use crate::targets::Wording;
        fn check<T: Serialize + Copy + std::fmt::Debug>(all: &[T], name: fn(T) -> &'static str) {
            for &v in all {
                assert_eq!(serde_json::json!(v).as_str(), Some(name(v)), "{v:?}");
            }
        }
        check(
            &[Kind::Actual, Kind::Estimate, Kind::Target, Kind::Forecast],
            Kind::as_str,
        );
        check(
            &[
                Qualifier::About,
                Qualifier::AtLeast,
                Qualifier::AtMost,
                Qualifier::Range,
            ],
            Qualifier::as_str,
        );
        check(
            &[
                ChangeType::GrowthPct,
                ChangeType::AvgGrowthPct,
                ChangeType::Pp,
                ChangeType::Times,
            ],
            ChangeType::as_str,
        );
        check(
            &[
                Wording::Hard,
                Wording::Soft,
                Wording::Expected,
                Wording::Plain,
            ],
            Wording::as_str,
        );
        check(
            &[
                CommitmentKind::LivelihoodProject,
                CommitmentKind::EnterpriseService,
                CommitmentKind::KeyProject,
            ],
            CommitmentKind::as_str,
        );
        check(
            &[
                Stage::Candidate,
                Stage::Final,
                Stage::Completed,
                Stage::Announced,
            ],
            Stage::as_str,
        );
    }
}
