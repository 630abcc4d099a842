//! Normalization (stub).
use crate::{OffsetMap, Warning};

#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    pub map: OffsetMap,
    pub warnings: Vec<Warning>,
}

pub fn normalize(input: &str) -> Normalized {
    Normalized {
        text: input.to_string(),
        map: OffsetMap::identity(input.len()),
        warnings: Vec::new(),
    }
}
