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
pub mod tracking;

pub use gwr_doc::{DocConfig, DocType, Document, Gazetteer, Metadata, Role, Section};
pub use gwr_figures::metrics::MetricTable;
pub use gwr_figures::units::Units;
pub use gwr_figures::{Change, ChangeType, Fact, Kind, Qualifier};
pub use gwr_text::{Budget, Format, Prepared, ReadError, Warning, WarningKind};

/// One parsed file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// Display name (usually the file name) used in records and messages.
    pub name: String,
    pub prepared: Prepared,
    pub documents: Vec<Document>,
    /// Quantitative facts, in document and text order.
    pub facts: Vec<FileFact>,
    /// Commitments (民生实事 lists, completion statements), with their document index.
    pub commitments: Vec<(usize, gwr_figures::commitments::Commitment)>,
}

/// A fact with where it sits: its document and its evidence in the source.
#[derive(Debug, Clone)]
pub struct FileFact {
    /// Index into [`ParsedFile::documents`].
    pub doc: usize,
    pub fact: Fact,
    /// The evidence as the source has it (original punctuation and spacing).
    pub evidence: String,
    /// Byte span of the evidence in the file (or in the extracted text layer
    /// for DOCX and PDF).
    pub source_span: std::ops::Range<usize>,
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
    metrics: MetricTable,
    units: &'static Units,
    /// Whether parsing extracts facts (see [`Engine::documents_only`],
    /// [`Engine::commitments_only`]).
    facts: bool,
    /// Whether parsing extracts commitments (see [`Engine::facts_only`]).
    commitments: bool,
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
            metrics: MetricTable::builtin().clone(),
            units: Units::builtin(),
            facts: true,
            commitments: true,
        }
    }

    /// An engine that reads documents only: text, metadata and outline,
    /// without facts and commitments (what `gwr parse` prints, at about half
    /// the cost of a full parse).
    pub fn documents_only(mut self) -> Self {
        self.facts = false;
        self.commitments = false;
        self
    }

    /// An engine that reads documents and facts, without commitments (what
    /// `gwr facts`, `targets`, `track` and `compare` print; commitment lists
    /// are about 7% of a full parse's instructions).
    pub fn facts_only(mut self) -> Self {
        self.commitments = false;
        self
    }

    /// An engine that reads documents and commitments, without facts (what
    /// `gwr commitments` prints).
    pub fn commitments_only(mut self) -> Self {
        self.facts = false;
        self
    }

    /// Use the built-in metric table extended with a user's TOML file.
    pub fn with_user_metrics(mut self, toml_text: &str) -> Result<Self, String> {
        self.metrics = MetricTable::with_user(toml_text)?;
        Ok(self)
    }

    /// The metric table facts are read with (built in, plus `--metrics`).
    pub fn metrics(&self) -> &MetricTable {
        &self.metrics
    }

    /// The document-layer rule tables (to extend with user data).
    pub fn doc_config_mut(&mut self) -> &mut DocConfig {
        &mut self.doc
    }

    /// Read, normalize and analyze one file's bytes.
    pub fn parse_bytes(&self, name: &str, bytes: &[u8]) -> Result<ParsedFile, ReadError> {
        self.parse_bytes_within(name, bytes, &Budget::default())
    }

    /// [`Engine::parse_bytes`] within a budget: the file's text is capped and,
    /// with a deadline, every stage stops with `ReadError::TimedOut` once it
    /// has passed (work is linear in the text, so a stage overruns it by
    /// little).
    pub fn parse_bytes_within(
        &self,
        name: &str,
        bytes: &[u8],
        budget: &Budget,
    ) -> Result<ParsedFile, ReadError> {
        let prepared = gwr_text::prepare_named_within(name, bytes, budget)?;
        let documents = gwr_doc::analyze(&prepared.text, &self.doc, self.gazetteer);
        budget.check()?;
        let mut facts = Vec::new();
        let mut commitments = Vec::new();
        // The file's encoding, looked up once for every fact's evidence.
        let encoding = encoding_rs::Encoding::for_label(prepared.encoding.as_bytes());
        for (i, d) in documents.iter().enumerate() {
            if self.commitments {
                for c in
                    gwr_figures::commitments::extract_within(&prepared.text, d, self.units, budget)?
                {
                    commitments.push((i, c));
                }
            }
            if !self.facts {
                continue;
            }
            let found =
                gwr_figures::extract_within(&prepared.text, d, &self.metrics, self.units, budget)?;
            facts.extend(found.into_iter().map(|fact| {
                let source_span = prepared.map.span_to_source(fact.span.clone());
                let evidence = source_text(&prepared, encoding, bytes, source_span.clone());
                FileFact {
                    doc: i,
                    fact,
                    evidence,
                    source_span,
                }
            }));
        }
        Ok(ParsedFile {
            name: name.to_string(),
            prepared,
            documents,
            facts,
            commitments,
        })
    }
}

/// The source text of a span the map points to.
fn source_text(
    p: &Prepared,
    encoding: Option<&'static encoding_rs::Encoding>,
    bytes: &[u8],
    r: std::ops::Range<usize>,
) -> String {
    match &p.extracted {
        Some(t) => t.get(r).unwrap_or_default().to_string(),
        None => {
            let Some(b) = bytes.get(r) else {
                return String::new();
            };
            match encoding {
                Some(enc) if enc != encoding_rs::UTF_8 => {
                    enc.decode_without_bom_handling(b).0.into_owned()
                }
                _ => String::from_utf8_lossy(b).into_owned(),
            }
        }
    }
}
