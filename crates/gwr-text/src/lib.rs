//! Bytes of a report file in, normalized text out, with an offset map from
//! every position of the normalized text back to the file.
//!
//! Stages: [`read`] recognises the format by content and decodes it to text
//! (plain text in any common encoding, HTML, DOCX, PDF); [`normalize`] unifies
//! characters and layout. Each stage records an [`OffsetMap`]; [`prepare`] runs
//! both and composes the maps.

pub mod budget;
pub mod convert;
pub mod noise;
pub mod normalize;
pub mod offsets;
pub mod read;
pub mod reflow;
pub mod swar;
mod warning;
pub mod words;

pub use budget::{Budget, MAX_TEXT_BYTES};
pub use normalize::{Normalized, normalize};
pub use offsets::{MapBuilder, OffsetMap};
pub use read::{Decoded, Format, MapTarget, ReadError, decode};
pub use warning::{Warning, WarningKind};
pub use words::{TaggedWords, WordList};

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

/// Whether `s` has at most `n` characters, counting no further than
/// `n + 1` of them (a line's length test costs the same on a paragraph).
pub fn chars_at_most(s: &str, n: usize) -> bool {
    s.len() <= n || s.chars().nth(n).is_none()
}

/// Decode and normalize a file's bytes, using the file name as a hint: a
/// `.docx` or `.pdf` file whose content is not one is reported as damaged
/// rather than read as text.
pub fn prepare_named(name: &str, bytes: &[u8]) -> Result<Prepared, ReadError> {
    prepare_named_within(name, bytes, &Budget::default())
}

/// [`prepare_named`] within a budget (text cap and deadline).
pub fn prepare_named_within(
    name: &str,
    bytes: &[u8],
    budget: &Budget,
) -> Result<Prepared, ReadError> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".docx") && !bytes.is_empty() && !bytes.starts_with(b"PK") {
        return Err(ReadError::Damaged {
            format: "DOCX",
            detail: "not a zip archive".into(),
        });
    }
    if lower.ends_with(".pdf") && !bytes.is_empty() && !bytes.starts_with(b"%PDF") {
        return Err(ReadError::Damaged {
            format: "PDF",
            detail: "no %PDF header".into(),
        });
    }
    prepare_within(bytes, budget)
}

/// Decode and normalize a file's bytes.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, ReadError> {
    prepare_within(bytes, &Budget::default())
}

/// [`prepare`] within a budget (text cap and deadline).
pub fn prepare_within(bytes: &[u8], budget: &Budget) -> Result<Prepared, ReadError> {
    let decoded = read::decode_within(bytes, budget)?;
    let mut warnings: Vec<Warning> = Vec::new();
    let (simplified, conv_map) = if convert::is_traditional(&decoded.text) {
        warnings.push(Warning::new(
            WarningKind::Converted,
            0..0,
            "traditional characters converted to simplified",
        ));
        let (t, m) = convert::to_simplified(&decoded.text);
        (Some(t), Some(m))
    } else {
        (None, None)
    };
    budget.check()?;
    let norm = normalize(simplified.as_deref().unwrap_or(&decoded.text));
    budget.check()?;
    let map = match &conv_map {
        Some(cm) => norm.map.compose(&cm.compose(&decoded.map)),
        None => norm.map.compose(&decoded.map),
    };
    warnings.extend(decoded.warnings.into_iter().map(|mut w| {
        w.span = 0..0;
        w
    }));
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

#[cfg(test)]
mod chars_tests {
    use super::chars_at_most;

    proptest::proptest! {
        #[test]
        fn at_most_is_a_count(s in "[a甲😀]{0,12}", n in 0usize..14) {
            proptest::prop_assert_eq!(chars_at_most(&s, n), s.chars().count() <= n);
        }
    }
}
