//! Documents inside a normalized report text: where each one starts and ends,
//! what type it is, its metadata and its outline.

pub mod regions;
