//! Figures in report text: numbers and units ([`numbers`], [`units`]),
//! headline metrics ([`metrics`]) and the quantitative facts that tie them
//! together with kind, year and provenance ([`facts`]). The words they are
//! read with (verbs of change, qualifiers, cues of kind and time) are data:
//! [`words`], from `data/figure_words.toml`.

pub mod commitments;
pub mod facts;
pub mod metrics;
pub mod model;
pub mod numbers;
pub mod targets;
pub mod units;
pub mod words;

pub use facts::{extract, extract_within};
pub use model::{Change, ChangeType, Fact, Kind, Qualifier};
