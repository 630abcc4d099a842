//! Format recognition and decoding: bytes in, text out, with an offset map.
//!
//! The format is recognised from the content, never from a file name: zip
//! archives holding `word/document.xml` are DOCX, `%PDF-` starts a PDF, other
//! known binary signatures are refused by name, and anything else is text in
//! some encoding ([`encoding`]), which is an HTML page ([`html`]) when it
//! looks like one.

mod docx;
mod encoding;
mod html;
mod pdf;

use crate::budget::Budget;
use crate::{OffsetMap, Warning};
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
#[derive(Debug, thiserror::Error, PartialEq)]
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
    /// The text cap, in bytes.
    #[error("text too large: more than {} MB after extraction", .0 / (1024 * 1024))]
    TextTooLarge(usize),
    #[error("took longer than its time limit of {0} s (see --file-timeout)")]
    TimedOut(f64),
}

/// Largest input accepted.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Binary signatures that are not report formats, with their names.
const FOREIGN: &[(&[u8], &str)] = &[
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "legacy Office document (.doc/.xls/.wps); save it as DOCX",
    ),
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1F\x8B", "gzip archive"),
    (b"\x7FELF", "executable"),
    (b"Rar!", "RAR archive"),
    (b"7z\xBC\xAF", "7-Zip archive"),
    (b"{\\rtf", "RTF document"),
];

/// Recognise the format of `bytes` and decode it to text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    decode_within(bytes, &Budget::default())
}

/// [`decode`] within a budget: extracted text stops at the budget's cap.
pub fn decode_within(bytes: &[u8], budget: &Budget) -> Result<Decoded, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(bytes.len(), MAX_BYTES));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if !docx::is_docx(bytes) {
            return Err(ReadError::Unsupported(
                "zip archive without word/document.xml".into(),
            ));
        }
        return extracted(docx::extract(bytes, budget)?, Format::Docx, budget);
    }
    if bytes.starts_with(b"%PDF-") {
        return extracted(pdf::extract(bytes, budget)?, Format::Pdf, budget);
    }
    if let Some((_, name)) = FOREIGN.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(ReadError::Unsupported((*name).into()));
    }
    let label = html::declared_charset(bytes);
    let text = encoding::decode_text(bytes, label)?;
    if text.text.trim().is_empty() {
        return Err(ReadError::NoText("only white space".into()));
    }
    budget.check_text(text.text.len())?;
    budget.check()?;
    if html::looks_like_html(&text.text) {
        let (page_text, page_map) = html::extract(&text.text);
        budget.check_text(page_text.len())?;
        if page_text.trim().is_empty() {
            return Err(ReadError::NoText("HTML page without text".into()));
        }
        return Ok(Decoded {
            map: page_map.compose(&text.map),
            text: page_text,
            format: Format::Html,
            encoding: text.encoding.to_string(),
            map_target: MapTarget::File,
            warnings: text.warnings,
        });
    }
    Ok(Decoded {
        text: text.text,
        format: Format::Text,
        encoding: text.encoding.to_string(),
        map: text.map,
        map_target: MapTarget::File,
        warnings: text.warnings,
    })
}

fn extracted(text: String, format: Format, budget: &Budget) -> Result<Decoded, ReadError> {
    budget.check_text(text.len())?;
    budget.check()?;
    if text.trim().is_empty() {
        return Err(ReadError::NoText(format!("{format:?} file without text")));
    }
    Ok(Decoded {
        map: OffsetMap::identity(text.len()),
        text,
        format,
        encoding: "UTF-8".into(),
        map_target: MapTarget::Extracted,
        warnings: Vec::new(),
    })
}
