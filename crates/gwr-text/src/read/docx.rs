//! DOCX: the paragraphs of `word/document.xml` (a zip of XML), one line each.

use crate::ReadError;
use crate::budget::Budget;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Decompressed size limit for the document part (guards against zip bombs;
/// the text it gives is held to the file's budget as well).
const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

fn damaged(detail: impl std::fmt::Display) -> ReadError {
    ReadError::Damaged {
        format: "DOCX",
        detail: detail.to_string(),
    }
}

/// Is this zip archive a Word document?
pub(crate) fn is_docx(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"word/document.xml").is_some()
}

/// The text of a DOCX file.
pub(crate) fn extract(bytes: &[u8], budget: &Budget) -> Result<String, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| damaged(format!("not a readable zip archive ({e})")))?;
    let mut part = zip
        .by_name("word/document.xml")
        .map_err(|_| damaged("word/document.xml missing"))?;
    let mut xml = Vec::new();
    (&mut part)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| damaged(format!("cannot decompress word/document.xml ({e})")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(damaged("word/document.xml larger than 256 MB"));
    }
    let xml = String::from_utf8(xml).map_err(|_| damaged("word/document.xml is not UTF-8"))?;
    budget.check()?;
    paragraphs(&xml, budget)
}

fn paragraphs(xml: &str, budget: &Budget) -> Result<String, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    let mut events = 0u32;
    loop {
        // The text may not outgrow the budget (a page of <w:br/> is small
        // as XML and large as text); the clock is read now and then.
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) {
            budget.check_text(out.len())?;
            budget.check()?;
        }
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "p" if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                let s: &str = t.as_ref();
                out.push_str(s);
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else {
                    let name: &str = r.as_ref();
                    let c = match name {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => '\u{FFFD}',
                    };
                    out.push(c);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(damaged(format!("bad XML in word/document.xml ({e})"))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_and_paragraphs_break() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>政府</w:t></w:r><w:r><w:t xml:space="preserve">工作报告</w:t></w:r></w:p><w:p><w:r><w:t>A&amp;B&#x4E2D;</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml, &Budget::default()).ok().as_deref(),
            Some("政府工作报告\nA&B中\n")
        );
    }

    #[test]
    fn not_a_zip_is_damaged() {
        let e = extract(
            b"PK\x03\x04 this is not really a zip word/document.xml",
            &Budget::default(),
        );
        assert!(matches!(e, Err(ReadError::Damaged { format: "DOCX", .. })));
    }

    #[test]
    fn text_is_held_to_the_budget_while_it_is_read() {
        // Small as XML, large as text: every <w:br/> is a line.
        let xml = format!(
            "<w:document xmlns:w=\"x\"><w:body><w:p><w:r>{}</w:r></w:p></w:body></w:document>",
            "<w:br/>".repeat(100_000)
        );
        let small = Budget {
            max_text_bytes: 10_000,
            ..Budget::default()
        };
        assert_eq!(
            paragraphs(&xml, &small),
            Err(ReadError::TextTooLarge(10_000))
        );
        assert!(paragraphs(&xml, &Budget::default()).is_ok());
        let gone = Budget::timed(std::time::Duration::ZERO);
        assert!(matches!(
            paragraphs(&xml, &gone),
            Err(ReadError::TimedOut(_))
        ));
    }
}
