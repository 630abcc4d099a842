use serde::Serialize;
use std::ops::Range;

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Characters masked in the source (`*`, `20xx`, `××`).
    Masked,
    /// A token that looks injected (a stray Latin or symbol run inside Chinese text).
    Junk,
    /// Bytes that could not be decoded and were replaced.
    Decoding,
    /// The text was converted from traditional to simplified characters.
    Converted,
    /// Anything else worth telling about the input.
    Other,
}

/// A finding about the input that does not stop processing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// Byte span in the normalized text (empty when the warning is about the whole file).
    pub span: Range<usize>,
    pub message: String,
}

impl Warning {
    pub fn new(kind: WarningKind, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            kind,
            span,
            message: message.into(),
        }
    }
}
