//! The document layer: from a normalized file text to documents with type,
//! metadata and outline.
//!
//! [`split`] finds where documents start and what type each is; [`outline`]
//! builds each document's heading tree with section roles; [`meta`] reads the
//! header block and infers what the text pins down; [`regions`] resolves
//! division names to GB/T 2260 codes and administrative paths. Rule tables
//! come from the data files in `data/` through [`config::DocConfig`].

pub mod config;
pub mod lines;
pub mod meta;
pub mod model;
pub mod outline;
pub mod regions;
pub mod split;
pub mod time;
pub mod words;

pub use config::DocConfig;
pub use model::{Cue, DocType, Document, Field, Metadata, Role, Section};
pub use regions::Gazetteer;

/// Find the documents in a normalized text.
pub fn analyze(text: &str, cfg: &DocConfig, gazetteer: &Gazetteer) -> Vec<Document> {
    let all = lines::lines_in(text, 0..text.len());
    let parts = split::split(&all, text.len(), cfg);
    // Whether each line is page furniture, decided once for every reader.
    let furniture_all: Vec<bool> = all.iter().map(|l| cfg.is_furniture(l.text)).collect();
    let mut docs: Vec<Document> = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        let first = all.partition_point(|l| l.span.start < part.span.start);
        let last = all.partition_point(|l| l.span.start < part.span.end);
        let doc_lines = &all[first..last];
        let header_len = part.header_lines.end.saturating_sub(first);
        let is_furniture = &furniture_all[first..last];
        let furniture: Vec<_> = doc_lines
            .iter()
            .zip(is_furniture)
            .filter(|(_, f)| **f)
            .map(|(l, _)| l.span.clone())
            .collect();
        let skip = header_len.min(doc_lines.len());
        let body: Vec<lines::Line<'_>> = doc_lines[skip..]
            .iter()
            .zip(&is_furniture[skip..])
            .filter(|(_, f)| !**f)
            .map(|(l, _)| l.clone())
            .collect();
        let mut sections = if part.doc_type == DocType::Glossary {
            outline::glossary_entries(&body, part.span.end)
        } else {
            outline::build(&body, part.span.end, cfg, part.doc_type != DocType::Other)
        };
        let meta = meta::extract(meta::MetaInput {
            text,
            lines: doc_lines,
            furniture: is_furniture,
            header_len,
            opening: part.opening.map(|o| o.saturating_sub(first)),
            doc_type: part.doc_type,
            sections: &mut sections,
            previous: docs.last().map(|d| &d.meta),
            cfg,
            gazetteer,
        });
        let header_end = doc_lines
            .get(header_len.saturating_sub(1))
            .filter(|_| header_len > 0)
            .map_or(part.span.start, |l| l.span.end);
        docs.push(Document {
            part: k + 1,
            doc_type: part.doc_type,
            span: part.span.clone(),
            header: part.span.start..header_end,
            meta,
            sections,
            furniture,
        });
    }
    docs
}
