//! The gwr engine: the bytes of a report file in, documents with metadata,
//! outline and (later stages) facts out. No I/O happens here: callers read
//! files, the engine only sees bytes and a display name.
//!
//! ```
//! let engine = gwr_engine::Engine::new();
//! let file = engine
//!     .parse_bytes("demo.txt", "政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n一、2023年工作回顾\n过去一年。".as_bytes())
//!     .unwrap();
//! assert_eq!(file.documents.len(), 1);
//! assert_eq!(file.documents[0].meta.review_year, Some(2023));
//! ```

pub mod records;

pub use gwr_doc::{DocConfig, DocType, Document, Gazetteer, Metadata, Role, Section};
pub use gwr_text::{Format, Prepared, ReadError, Warning, WarningKind};

/// One parsed file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// Display name (usually the file name) used in records and messages.
    pub name: String,
    pub prepared: Prepared,
    pub documents: Vec<Document>,
}

impl ParsedFile {
    /// Normalized text of the file.
    pub fn text(&self) -> &str {
        &self.prepared.text
    }
}

/// The engine with its rule tables.
#[derive(Debug, Clone)]
pub struct Engine {
    doc: DocConfig,
    gazetteer: &'static Gazetteer,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// An engine with the built-in rule tables and division gazetteer.
    pub fn new() -> Self {
        Self {
            doc: DocConfig::builtin().clone(),
            gazetteer: Gazetteer::builtin(),
        }
    }

    /// The document-layer rule tables (to extend with user data).
    pub fn doc_config_mut(&mut self) -> &mut DocConfig {
        &mut self.doc
    }

    /// Read, normalize and analyze one file's bytes.
    pub fn parse_bytes(&self, name: &str, bytes: &[u8]) -> Result<ParsedFile, ReadError> {
        let prepared = gwr_text::prepare_named(name, bytes)?;
        let documents = gwr_doc::analyze(&prepared.text, &self.doc, self.gazetteer);
        Ok(ParsedFile {
            name: name.to_string(),
            prepared,
            documents,
        })
    }
}
