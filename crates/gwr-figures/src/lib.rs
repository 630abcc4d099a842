//! Figures in report text: numbers and units, quantitative facts, targets and commitments.

pub mod numbers;
