//! PDF: the text layer, through `pdf-extract`. A PDF without text (a scan)
//! is an error that says so. The page tree is checked for /Parent loops
//! before extraction (the extractor follows /Parent for inherited entries
//! without a bound, so a loop would never end).

use crate::ReadError;
use crate::budget::Budget;
use pdf_extract::{Document, Object, ObjectId};
use std::collections::HashSet;
use std::sync::Mutex;

static HOOK: Mutex<()> = Mutex::new(());

/// The text layer of a PDF file.
pub(crate) fn extract(bytes: &[u8], budget: &Budget) -> Result<String, ReadError> {
    // The extractor may panic on malformed files: contain it, and keep its
    // panic message off the terminal.
    let result = {
        let _guard = HOOK.lock().unwrap_or_else(|p| p.into_inner());
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = std::panic::catch_unwind(|| text_layer(bytes, budget));
        std::panic::set_hook(prev);
        r
    };
    let text = match result {
        Ok(Ok(t)) => t,
        Ok(Err(Stop::Budget(e))) => return Err(e),
        Ok(Err(Stop::Damaged(detail))) => {
            return Err(ReadError::Damaged {
                format: "PDF",
                detail,
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

/// Why extraction stopped.
enum Stop {
    Damaged(String),
    /// The text outgrew the budget or the deadline passed.
    Budget(ReadError),
}

/// The extractor's output, held to the file's budget: past the text cap or
/// the deadline a write fails, which stops the extractor (a few pages that
/// share one large content stream cannot make gigabytes of text).
struct Capped<'a> {
    out: String,
    budget: &'a Budget,
    writes: u32,
    over: Option<ReadError>,
}

impl std::fmt::Write for Capped<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.writes = self.writes.wrapping_add(1);
        let checked = if self.writes.is_multiple_of(1024) {
            self.budget.check()
        } else {
            Ok(())
        };
        match checked.and(self.budget.check_text(self.out.len() + s.len())) {
            Ok(()) => {
                self.out.push_str(s);
                Ok(())
            }
            Err(e) => {
                self.over.get_or_insert(e);
                Err(std::fmt::Error)
            }
        }
    }
}

impl<'a, 'b> pdf_extract::ConvertToFmt for &'a mut Capped<'b> {
    type Writer = &'a mut Capped<'b>;
    fn convert(self) -> Self::Writer {
        self
    }
}

/// Load the document, check its page tree, and extract its text.
fn text_layer(bytes: &[u8], budget: &Budget) -> Result<String, Stop> {
    let damaged = |e: &dyn std::fmt::Display| Stop::Damaged(first_line(&e.to_string()));
    let mut doc = Document::load_mem(bytes).map_err(|e| damaged(&e))?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| damaged(&e))?;
    }
    if let Some(id) = parent_loop(&doc) {
        return Err(Stop::Damaged(format!(
            "the page tree loops (object {} {} is its own ancestor)",
            id.0, id.1
        )));
    }
    budget.check().map_err(Stop::Budget)?;
    let mut capped = Capped {
        out: String::new(),
        budget,
        writes: 0,
        over: None,
    };
    let done = {
        let mut output = pdf_extract::PlainTextOutput::new(&mut capped);
        pdf_extract::output_doc(&doc, &mut output)
    };
    if let Some(e) = capped.over {
        return Err(Stop::Budget(e));
    }
    done.map_err(|e| damaged(&e))?;
    Ok(capped.out)
}

/// The first node found on a /Parent cycle of some page, if any. Each node
/// is walked once (chains already known to end are not walked again), so
/// the check is linear in the number of objects.
fn parent_loop(doc: &Document) -> Option<ObjectId> {
    let mut ends: HashSet<ObjectId> = HashSet::new();
    for page in doc.page_iter() {
        let mut chain: HashSet<ObjectId> = HashSet::new();
        let mut node = page;
        loop {
            if ends.contains(&node) {
                break;
            }
            if !chain.insert(node) {
                return Some(node);
            }
            let parent = doc
                .get_dictionary(node)
                .ok()
                .and_then(|d| d.get(b"Parent").ok())
                .and_then(|p| Object::as_reference(p).ok());
            match parent {
                Some(p) => node = p,
                None => break,
            }
        }
        ends.extend(chain);
    }
    None
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
            &Budget::default(),
        );
        assert!(matches!(
            e,
            Err(ReadError::Damaged { format: "PDF", .. }) | Err(ReadError::NoText(_))
        ));
    }

    /// A PDF whose only page has /Parent 2 0 R, and the Pages nodes 2 and
    /// 3 are each other's /Parent: the extractor, looking up the page's
    /// inherited /MediaBox, would climb the loop for ever.
    fn looping_pdf() -> Vec<u8> {
        pdf_of(&[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [4 0 R] /Count 1 /Parent 3 0 R >>",
            "<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
            "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
            "<< /Length 33 >>\nstream\nBT /F1 12 Tf 72 712 Td (Hi) Tj ET\nendstream",
        ])
    }

    /// A PDF of numbered objects, with its cross-reference table.
    fn pdf_of<S: AsRef<str>>(objects: &[S]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            let o = o.as_ref();
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn a_page_tree_that_loops_is_damaged_not_a_hang() {
        let pdf = looping_pdf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(extract(&pdf, &Budget::default()));
        });
        let result = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("extraction ends");
        match result {
            Err(ReadError::Damaged {
                format: "PDF",
                detail,
            }) => {
                assert!(detail.contains("page tree loops"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pages_sharing_one_stream_are_held_to_the_text_cap() {
        // Many pages, one content stream: small as a file, large as text.
        let pages = 200;
        let line = "BT /F1 12 Tf 72 712 Td (Economic growth of five percent) Tj ET";
        let stream = format!(
            "<< /Length {} >>\nstream\n{line}\nendstream",
            line.len() + 1
        );
        let kids: Vec<String> = (0..pages).map(|k| format!("{} 0 R", k + 5)).collect();
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {pages} >>",
                kids.join(" ")
            ),
            stream,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        for _ in 0..pages {
            objects.push(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R \
                 /Resources << /Font << /F1 4 0 R >> >> >>"
                    .to_string(),
            );
        }
        let pdf = pdf_of(&objects);
        let whole = extract(&pdf, &Budget::default()).expect("reads");
        assert!(
            whole.matches("Economic growth").count() >= pages,
            "{whole:.200}"
        );
        let small = Budget {
            max_text_bytes: 1000,
            ..Budget::default()
        };
        assert_eq!(extract(&pdf, &small), Err(ReadError::TextTooLarge(1000)));
        let gone = Budget::timed(std::time::Duration::ZERO);
        assert!(matches!(extract(&pdf, &gone), Err(ReadError::TimedOut(_))));
    }
}
