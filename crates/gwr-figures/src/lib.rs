//! Figures in report text: numbers and units ([`numbers`], [`units`]),
//! headline metrics ([`metrics`]) and the quantitative facts that tie them
//! together with kind, year and provenance ([`facts`]).

pub mod commitments;
pub mod facts;
pub mod metrics;
pub mod model;
pub mod numbers;
pub mod targets;
pub mod units;

pub use facts::extract;
pub use model::{Change, ChangeType, Fact, Kind, Qualifier};
