//! Format recognition and decoding: bytes in, text out, with an offset map.
//! (Stub: plain UTF-8 only; the full reader replaces this.)

use crate::{MapBuilder, OffsetMap, Warning};
use serde::Serialize;

/// The container format of a file, recognised from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Docx,
    Pdf,
}

/// What the offsets of a decoded text's map point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MapTarget {
    /// Byte offsets in the file itself (plain text, HTML).
    File,
    /// Byte offsets in the extracted text layer (DOCX, PDF), which the
    /// caller keeps in [`crate::Prepared::extracted`].
    Extracted,
}

/// Decoded text of a file.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub format: Format,
    pub encoding: String,
    /// Decoded byte offset → byte offset in the map target.
    pub map: OffsetMap,
    pub map_target: MapTarget,
    pub warnings: Vec<Warning>,
}

/// Why a file could not be read. Each message is one line and does not name
/// the file (the caller adds it).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not a recognised report format")]
    Binary,
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("damaged {format} file: {detail}")]
    Damaged {
        format: &'static str,
        detail: String,
    },
    #[error("no text found: {0}")]
    NoText(String),
    #[error("file too large: {0} bytes (limit {1})")]
    TooLarge(usize, usize),
}

/// Recognise the format of `bytes` and decode it to text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let (start, text) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::from_utf8_lossy(bytes).into_owned()),
    };
    let mut b = MapBuilder::new();
    b.copy(start, text.len());
    Ok(Decoded {
        map: b.finish(bytes.len()),
        text,
        format: Format::Text,
        encoding: "UTF-8".into(),
        map_target: MapTarget::File,
        warnings: Vec::new(),
    })
}
