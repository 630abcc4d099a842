//! PDF: the text layer, through `pdf-extract`. A PDF without text (a scan)
//! is an error that says so.

use crate::ReadError;
use std::sync::Mutex;

static HOOK: Mutex<()> = Mutex::new(());

/// The text layer of a PDF file.
pub(crate) fn extract(bytes: &[u8]) -> Result<String, ReadError> {
    // The extractor may panic on malformed files: contain it, and keep its
    // panic message off the terminal.
    let result = {
        let _guard = HOOK.lock().unwrap_or_else(|p| p.into_inner());
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
        std::panic::set_hook(prev);
        r
    };
    let text = match result {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            return Err(ReadError::Damaged {
                format: "PDF",
                detail: first_line(&e.to_string()),
            });
        }
        Err(_) => {
            return Err(ReadError::Damaged {
                format: "PDF",
                detail: "the text layer could not be read".into(),
            });
        }
    };
    if text.chars().all(char::is_whitespace) {
        return Err(ReadError::NoText(
            "PDF has no text layer (scanned pages?)".into(),
        ));
    }
    Ok(text)
}

fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or("unreadable")
        .chars()
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_pdf_is_damaged_not_a_panic() {
        let e = extract(
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        );
        assert!(matches!(
            e,
            Err(ReadError::Damaged { format: "PDF", .. }) | Err(ReadError::NoText(_))
        ));
    }
}
