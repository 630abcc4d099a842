//! Rule tables of the document layer, read from the data files in `data/`
//! (section roles, speaker titles, furniture lines). Users can extend each.

use crate::model::Role;
use serde::Deserialize;
use std::sync::LazyLock;

const ROLES_TOML: &str = include_str!("../../../data/section_roles.toml");
const TITLES_TXT: &str = include_str!("../../../data/speaker_titles.txt");
const FURNITURE_TXT: &str = include_str!("../../../data/furniture.txt");

#[derive(Debug, Clone, Deserialize)]
struct RoleFile {
    role: Vec<RoleEntry>,
    #[serde(default)]
    standalone: Standalone,
}

/// Unnumbered lines that stand as top-level headings (结束语, 首先报告…的工作).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Standalone {
    #[serde(default)]
    pub exact: Vec<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RoleEntry {
    name: String,
    cues: Vec<String>,
}

/// Error in a user-supplied rule file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("section roles: {0}")]
    Roles(String),
}

/// The document layer's rule tables.
#[derive(Debug, Clone)]
pub struct DocConfig {
    /// (role, cue words) in priority order.
    pub roles: Vec<(Role, Vec<String>)>,
    /// Unnumbered top-level headings.
    pub standalone: Standalone,
    /// Speaker office titles, longest first.
    pub speaker_titles: Vec<String>,
    /// Substrings marking furniture lines.
    pub furniture: gwr_text::WordList,
}

fn word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

type Roles = Vec<(Role, Vec<String>)>;

fn parse_roles(text: &str) -> Result<(Roles, Standalone), ConfigError> {
    let f: RoleFile = toml::from_str(text).map_err(|e| ConfigError::Roles(e.to_string()))?;
    let standalone = f.standalone;
    let roles = f
        .role
        .into_iter()
        .map(|r| {
            Role::parse(&r.name)
                .map(|role| (role, r.cues))
                .ok_or_else(|| ConfigError::Roles(format!("unknown role {:?}", r.name)))
        })
        .collect::<Result<Roles, ConfigError>>()?;
    Ok((roles, standalone))
}

impl DocConfig {
    /// The tables shipped with gwr.
    pub fn builtin() -> &'static DocConfig {
        static CFG: LazyLock<DocConfig> = LazyLock::new(|| {
            let mut titles = word_list(TITLES_TXT);
            titles.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
            let (roles, standalone) = parse_roles(ROLES_TOML).unwrap_or_default();
            DocConfig {
                roles,
                standalone,
                speaker_titles: titles,
                furniture: word_list(FURNITURE_TXT).into(),
            }
        });
        &CFG
    }

    /// Add roles and cues from a user's TOML file (same shape as data/section_roles.toml);
    /// the user's cues are tried first.
    pub fn extend_roles(&mut self, toml_text: &str) -> Result<(), ConfigError> {
        let (mut extra, standalone) = parse_roles(toml_text)?;
        extra.append(&mut self.roles);
        self.roles = extra;
        self.standalone.exact.extend(standalone.exact);
        self.standalone.prefixes.extend(standalone.prefixes);
        Ok(())
    }

    /// The role whose cue a heading title contains.
    pub fn role_of(&self, title: &str) -> Option<Role> {
        self.roles
            .iter()
            .find(|(_, cues)| cues.iter().any(|c| title.contains(c.as_str())))
            .map(|(r, _)| *r)
    }

    /// Is `line` a short line that opens on a year and names a section's
    /// part (2024年工作回顾 · 2025年重点工作: a report copy that lost its
    /// numbering)?
    pub fn is_year_heading(&self, line: &str) -> bool {
        let line = line.trim();
        line.len() > 7
            && line.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && line[4..].starts_with('年')
            && gwr_text::chars_at_most(line, 20)
            && !line.contains(['，', '。', '；', '：', '、'])
            && self.role_of(line).is_some()
    }

    /// Is `line` an unnumbered top-level heading of the listed kinds?
    pub fn is_standalone_heading(&self, line: &str) -> bool {
        let line = line.trim();
        self.standalone.exact.iter().any(|e| e == line)
            || gwr_text::chars_at_most(line, 30)
                && !line.ends_with(['。', '；', '，', '！', '？', '：'])
                && self
                    .standalone
                    .prefixes
                    .iter()
                    .any(|p| line.starts_with(p.as_str()))
    }

    pub fn is_furniture(&self, line: &str) -> bool {
        self.furniture.found_in(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_load() {
        let c = DocConfig::builtin();
        assert!(c.roles.len() >= 8);
        assert_eq!(c.role_of("2017年政府工作回顾"), Some(Role::Review));
        assert_eq!(c.role_of("切实加强政府自身建设"), Some(Role::SelfBuilding));
        assert_eq!(c.role_of("2018年重点工作"), Some(Role::Tasks));
        assert_eq!(c.role_of("“十三五”时期发展成就"), Some(Role::Review));
        assert_eq!(
            c.speaker_titles.first().map(|s| s.chars().count() >= 5),
            Some(true)
        );
    }

    #[test]
    fn unnumbered_year_headings() {
        let c = DocConfig::builtin();
        assert!(c.is_year_heading("2024年工作回顾"));
        assert!(c.is_year_heading("2025年重点工作"));
        assert!(!c.is_year_heading("2024年，全市生产总值增长5%。"));
        assert!(!c.is_year_heading("2024年是不平凡的一年"));
    }

    #[test]
    fn user_roles_come_first() {
        let mut c = DocConfig::builtin().clone();
        let r = c.extend_roles("[[role]]\nname = \"closing\"\ncues = [\"重点工作\"]\n");
        assert!(r.is_ok());
        assert_eq!(c.role_of("2018年重点工作"), Some(Role::Closing));
        assert!(
            c.extend_roles("[[role]]\nname = \"nope\"\ncues = []\n")
                .is_err()
        );
    }
}
