//! Bytes of a report file in, normalized text out, with an offset map from
//! every position of the normalized text back to the file.
//!
//! Stages: [`read`] recognises the format by content and decodes it to text
//! (plain text in any common encoding, HTML, DOCX, PDF); [`normalize`] unifies
//! characters and layout. Each stage records an [`OffsetMap`]; [`prepare`] runs
//! both and composes the maps.

pub mod normalize;
pub mod offsets;
pub mod read;
mod warning;

pub use normalize::{Normalized, normalize};
pub use offsets::{MapBuilder, OffsetMap};
pub use read::{Decoded, Format, ReadError, decode};
pub use warning::{Warning, WarningKind};

/// A file's text ready for analysis.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Normalized text (simplified characters, unified punctuation, layout repaired).
    pub text: String,
    /// Normalized byte offset → byte offset in the file (for text and HTML
    /// files) or in the extracted text layer (DOCX, PDF): see [`Decoded::map_target`].
    pub map: OffsetMap,
    pub format: Format,
    /// Name of the character encoding the bytes were decoded from.
    pub encoding: String,
    pub map_target: read::MapTarget,
    /// The decoded text before normalization (what `map` points into when
    /// `map_target` is `Extracted`).
    pub extracted: Option<String>,
    /// Warnings with spans in the normalized text.
    pub warnings: Vec<Warning>,
}

/// Decode and normalize a file's bytes.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, ReadError> {
    let decoded = decode(bytes)?;
    let norm = normalize(&decoded.text);
    let map = norm.map.compose(&decoded.map);
    let mut warnings: Vec<Warning> = decoded
        .warnings
        .into_iter()
        .map(|mut w| {
            w.span = 0..0;
            w
        })
        .collect();
    warnings.extend(norm.warnings);
    let extracted = match decoded.map_target {
        read::MapTarget::File => None,
        read::MapTarget::Extracted => Some(decoded.text),
    };
    Ok(Prepared {
        text: norm.text,
        map,
        format: decoded.format,
        encoding: decoded.encoding,
        map_target: decoded.map_target,
        extracted,
        warnings,
    })
}
