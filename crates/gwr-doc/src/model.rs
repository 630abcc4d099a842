//! The document model: what the document layer finds in a normalized text.
//! Every record points into the text by byte span; nothing here owns text
//! other than short extracted strings (titles, names).

use serde::Serialize;
use std::ops::Range;

/// What kind of document a part of a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    GovernmentWorkReport,
    PartyCommitteeReport,
    Glossary,
    Other,
}

impl DocType {
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::GovernmentWorkReport => "government_work_report",
            DocType::PartyCommitteeReport => "party_committee_report",
            DocType::Glossary => "glossary",
            DocType::Other => "other",
        }
    }
}

/// The part a section plays in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Review,
    Problems,
    Guidance,
    Targets,
    Tasks,
    LivelihoodProjects,
    SelfBuilding,
    Closing,
    GlossaryEntry,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Review => "review",
            Role::Problems => "problems",
            Role::Guidance => "guidance",
            Role::Targets => "targets",
            Role::Tasks => "tasks",
            Role::LivelihoodProjects => "livelihood_projects",
            Role::SelfBuilding => "self_building",
            Role::Closing => "closing",
            Role::GlossaryEntry => "glossary_entry",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "review" => Role::Review,
            "problems" => Role::Problems,
            "guidance" => Role::Guidance,
            "targets" => Role::Targets,
            "tasks" => Role::Tasks,
            "livelihood_projects" => Role::LivelihoodProjects,
            "self_building" => Role::SelfBuilding,
            "closing" => Role::Closing,
            "glossary_entry" => Role::GlossaryEntry,
            _ => return None,
        })
    }
}

/// One node of a document's heading tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Dotted path of ordinals, "2", "2.3", "2.3.1".
    pub id: String,
    /// 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）, 5 for 一是.
    pub level: u8,
    /// The numbering as written (一、, （三）, 2.).
    pub marker: String,
    /// Heading text without numbering.
    pub title: String,
    /// Span of the heading (marker and title) in the normalized text.
    pub heading: Range<usize>,
    /// Span from the heading's start to the end of the section (subsections included).
    pub span: Range<usize>,
    pub role: Option<Role>,
    /// Index of the parent section in the document's `sections`.
    pub parent: Option<usize>,
    /// The years the section is about, first and last, as the document's
    /// time decides them (a review: its year, or the term it covers; a plan
    /// section: the plan year, or a five-year horizon). `None` where the
    /// section is about no time of its own (problems, self-building).
    pub period: Option<[i32; 2]>,
}

/// Metadata of one document. Fields the text does not give are `None`;
/// fields worked out from indirect evidence are listed in `inferred`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub region: Option<String>,
    /// GB/T 2260 code of the region.
    pub region_code: Option<String>,
    pub region_path: Option<Vec<String>>,
    pub level: Option<String>,
    pub speaker: Option<String>,
    pub speaker_title: Option<String>,
    pub meeting: Option<String>,
    /// ISO date, YYYY-MM-DD.
    pub date: Option<String>,
    pub review_year: Option<i32>,
    pub plan_year: Option<i32>,
    /// The years a term or five-year review covers (过去五年 in a 2018
    /// report → 2013–2017; “十一五”时期回顾 → 2006–2010), when it has one.
    pub review_span: Option<[i32; 2]>,
    pub inferred: Vec<String>,
    /// Every cue that proposed a value for a field, the winners marked.
    pub cues: Vec<Cue>,
}

/// A document field that cues vote on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Region,
    Speaker,
    SpeakerTitle,
    Meeting,
    Date,
    ReviewYear,
    PlanYear,
    ReviewSpan,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Region => "region",
            Field::Speaker => "speaker",
            Field::SpeakerTitle => "speaker_title",
            Field::Meeting => "meeting",
            Field::Date => "date",
            Field::ReviewYear => "review_year",
            Field::PlanYear => "plan_year",
            Field::ReviewSpan => "review_span",
        }
    }
}

/// One rule's proposal for a field: the value, the rule that found it, how
/// much it weighs, and where in the normalized text it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cue {
    pub field: Field,
    pub value: String,
    pub rule: &'static str,
    pub weight: u16,
    pub span: Range<usize>,
    /// The value is read indirectly (a plan year from a review year, a
    /// date's year from the document's years).
    pub indirect: bool,
    /// This cue's value is the one the field took.
    pub won: bool,
}

impl Metadata {
    pub fn mark_inferred(&mut self, field: &str) {
        if !self.inferred.iter().any(|f| f == field) {
            self.inferred.push(field.to_string());
        }
    }
}

/// One document inside a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// 1-based order in the file.
    pub part: usize,
    pub doc_type: DocType,
    /// Span of the whole document in the normalized text.
    pub span: Range<usize>,
    /// Span of the header block (title, meeting, date, speaker) before the body.
    pub header: Range<usize>,
    pub meta: Metadata,
    /// Heading tree in text order (parents before children).
    pub sections: Vec<Section>,
    /// Lines of page or web furniture inside the document (not report text).
    pub furniture: Vec<Range<usize>>,
}

impl Document {
    /// Top-level sections (一、 level).
    pub fn top_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| s.parent.is_none())
    }

    /// The innermost section containing byte offset `pos`.
    pub fn section_at(&self, pos: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, s) in self.sections.iter().enumerate() {
            if s.span.start <= pos && pos < s.span.end {
                best = Some(i);
            }
        }
        best
    }

    /// Role of the innermost section with a role containing `pos`.
    pub fn role_at(&self, pos: usize) -> Option<Role> {
        let mut i = self.section_at(pos);
        while let Some(k) = i {
            if let Some(r) = self.sections[k].role {
                return Some(r);
            }
            i = self.sections[k].parent;
        }
        None
    }

    /// The top-level section holding `pos`.
    pub fn top_section_at(&self, pos: usize) -> Option<&Section> {
        let mut i = self.section_at(pos)?;
        while let Some(p) = self.sections[i].parent {
            i = p;
        }
        self.sections.get(i)
    }

    /// Top-level section role at `pos`.
    pub fn top_role_at(&self, pos: usize) -> Option<Role> {
        self.top_section_at(pos)?.role
    }

    pub fn is_furniture(&self, pos: usize) -> bool {
        self.furniture.iter().any(|r| r.start <= pos && pos < r.end)
    }
}
