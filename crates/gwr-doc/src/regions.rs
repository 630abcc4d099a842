//! Administrative divisions (GB/T 2260 codes) and their names in text.
//!
//! The table is `data/regions/divisions.tsv` (built from public division
//! datasets by `scripts/build-regions.py`): provinces, prefecture cities and
//! county-level units, current ones and ones abolished since (江干区 and 下城区,
//! merged away in 2021), so old reports still resolve.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const DIVISIONS_TSV: &str = include_str!("../../../data/regions/divisions.tsv");

/// Administrative level of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    National,
    Province,
    City,
    District,
    County,
    Township,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::City => "city",
            Level::District => "district",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "national" => Level::National,
            "province" => Level::Province,
            "city" => Level::City,
            "district" => Level::District,
            "county" => Level::County,
            "township" => Level::Township,
            _ => return None,
        })
    }
}

/// One division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// Six-digit GB/T 2260 code.
    pub code: String,
    pub name: String,
    pub level: Level,
    /// Code of the enclosing division.
    pub parent: Option<String>,
    /// No longer exists (merged or renamed); kept for old documents.
    pub abolished: bool,
}

/// A division name found in text: byte span and every division of that name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub codes: Vec<String>,
}

/// The division table with name indexes.
pub struct Gazetteer {
    divisions: Vec<Division>,
    by_code: HashMap<String, usize>,
    /// Pattern index → (is short name, division indexes).
    patterns: Vec<(bool, Vec<usize>)>,
    full: AhoCorasick,
    all: AhoCorasick,
    by_name: HashMap<String, Vec<usize>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("divisions", &self.divisions.len())
            .finish()
    }
}

const SUFFIXES: &[&str] = &[
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
];

/// The name without its administrative suffix (浙江省 → 浙江, 定海区 → 定海),
/// when at least two characters remain.
pub fn short_name(name: &str) -> Option<&str> {
    for s in SUFFIXES {
        if let Some(stem) = name.strip_suffix(s)
            && stem.chars().count() >= 2
        {
            // 广西壮族自治区 → 广西: drop an ethnic group name before 自治.
            if s.starts_with("自治")
                && let Some(i) = stem.find("族")
            {
                let head = &stem[..i];
                let cut = head.char_indices().nth(2).map_or(head.len(), |(k, _)| k);
                return (head[..cut].chars().count() >= 2).then(|| &head[..cut]);
            }
            return Some(stem);
        }
    }
    None
}

impl Gazetteer {
    /// Parse the TSV table (`code name level parent status`, with a header line).
    pub fn from_tsv(text: &str) -> Result<Gazetteer, String> {
        let mut divisions = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if i == 0 && line.starts_with("code\t")
                || line.trim().is_empty()
                || line.starts_with('#')
            {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                return Err(format!(
                    "divisions line {}: expected 5 tab-separated fields",
                    i + 1
                ));
            }
            if f[0].len() != 6 || !f[0].bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("divisions line {}: bad code {:?}", i + 1, f[0]));
            }
            let level = Level::parse(f[2])
                .ok_or_else(|| format!("divisions line {}: bad level {:?}", i + 1, f[2]))?;
            let abolished = match f[4] {
                "current" => false,
                "abolished" => true,
                other => return Err(format!("divisions line {}: bad status {other:?}", i + 1)),
            };
            divisions.push(Division {
                code: f[0].to_string(),
                name: f[1].to_string(),
                level,
                parent: (!f[3].is_empty()).then(|| f[3].to_string()),
                abolished,
            });
        }
        Self::new(divisions)
    }

    fn new(divisions: Vec<Division>) -> Result<Gazetteer, String> {
        let by_code = divisions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_short: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in divisions.iter().enumerate() {
            by_name.entry(d.name.clone()).or_default().push(i);
            if let Some(s) = short_name(&d.name) {
                by_short.entry(s.to_string()).or_default().push(i);
            }
        }
        // Short names that are also some division's full name stay full.
        by_short.retain(|k, _| !by_name.contains_key(k));
        let mut names: Vec<(String, bool, Vec<usize>)> = by_name
            .iter()
            .map(|(k, v)| (k.clone(), false, v.clone()))
            .collect();
        names.sort();
        let full_count = names.len();
        let mut shorts: Vec<(String, bool, Vec<usize>)> =
            by_short.into_iter().map(|(k, v)| (k, true, v)).collect();
        shorts.sort();
        names.extend(shorts);
        let build = |pats: &[(String, bool, Vec<usize>)]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats.iter().map(|p| p.0.as_str()))
                .map_err(|e| e.to_string())
        };
        let full = build(&names[..full_count])?;
        let all = build(&names)?;
        Ok(Gazetteer {
            patterns: names.into_iter().map(|(_, s, v)| (s, v)).collect(),
            divisions,
            by_code,
            full,
            all,
            by_name,
        })
    }

    /// The table shipped with gwr.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::from_tsv(DIVISIONS_TSV).expect("bundled divisions table is valid")
        })
    }

    pub fn len(&self) -> usize {
        self.divisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.divisions.is_empty()
    }

    pub fn get(&self, code: &str) -> Option<&Division> {
        self.by_code.get(code).map(|&i| &self.divisions[i])
    }

    /// Chain from the province down to the division itself.
    pub fn path(&self, code: &str) -> Vec<&Division> {
        let mut out = Vec::new();
        let mut cur = self.get(code);
        while let Some(d) = cur {
            if out.len() > 6 {
                break;
            }
            out.push(d);
            cur = d.parent.as_deref().and_then(|p| self.get(p));
        }
        out.reverse();
        out
    }

    /// All divisions whose full name is `name`.
    pub fn by_name(&self, name: &str) -> Vec<&Division> {
        self.by_name
            .get(name)
            .map(|v| v.iter().map(|&i| &self.divisions[i]).collect())
            .unwrap_or_default()
    }

    fn codes(&self, pattern: usize) -> Vec<String> {
        self.patterns[pattern]
            .1
            .iter()
            .map(|&i| self.divisions[i].code.clone())
            .collect()
    }

    /// Mentions of full division names (杭州市, 江干区), leftmost-longest.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.full
            .find_iter(text)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                codes: self.codes(m.pattern().as_usize()),
            })
            .collect()
    }

    /// Mentions of short names without their suffix (定海, 舟山), where no
    /// full name matches at the same place.
    pub fn short_mentions(&self, text: &str) -> Vec<Mention> {
        self.all
            .find_iter(text)
            .filter(|m| self.patterns[m.pattern().as_usize()].0)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                codes: self.codes(m.pattern().as_usize()),
            })
            .collect()
    }

    /// The division called `name`, disambiguated by codes named nearby (an
    /// ancestor, or a sibling under the same parent). A unique candidate
    /// needs no context; among equals a current division beats an abolished one.
    pub fn resolve(&self, name: &str, context: &[&str]) -> Option<&Division> {
        let cands = self.by_name(name);
        if cands.len() == 1 {
            return cands.into_iter().next();
        }
        let hits: Vec<&Division> = cands
            .iter()
            .copied()
            .filter(|d| {
                context.iter().any(|c| {
                    *c != d.code
                        && (self.path(&d.code).iter().any(|a| a.code == *c)
                            || self
                                .get(c)
                                .is_some_and(|o| o.parent.is_some() && o.parent == d.parent))
                })
            })
            .collect();
        match hits.as_slice() {
            [one] => Some(one),
            [] => None,
            many => {
                let current: Vec<&&Division> = many.iter().filter(|d| !d.abolished).collect();
                (current.len() == 1).then(|| *current[0])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(g: &Gazetteer, code: &str) -> Vec<String> {
        g.path(code).iter().map(|d| d.name.clone()).collect()
    }

    #[test]
    fn historical_districts_resolve() {
        let g = Gazetteer::builtin();
        let d = g
            .resolve("江干区", &[])
            .map(|d| (d.code.clone(), d.level, d.abolished));
        assert_eq!(d, Some(("330104".into(), Level::District, true)));
        assert_eq!(names(g, "330104"), ["浙江省", "杭州市", "江干区"]);
        assert_eq!(
            g.resolve("下城区", &[]).map(|d| d.code.as_str()),
            Some("330103")
        );
        assert_eq!(g.resolve("上城区", &[]).map(|d| d.abolished), Some(false));
        assert_eq!(names(g, "330902"), ["浙江省", "舟山市", "定海区"]);
    }

    #[test]
    fn ambiguous_names_need_context() {
        let g = Gazetteer::builtin();
        assert!(g.by_name("西湖区").len() >= 2);
        assert_eq!(g.resolve("西湖区", &[]), None);
        assert_eq!(
            g.resolve("西湖区", &["330100"]).map(|d| d.code.as_str()),
            Some("330106")
        );
        assert_eq!(
            g.resolve("西湖区", &["330000"]).map(|d| d.code.as_str()),
            Some("330106")
        );
        assert_eq!(
            g.resolve("朝阳区", &["110000"]).map(|d| d.code.as_str()),
            Some("110105")
        );
        assert_eq!(
            g.resolve("北京市", &[]).map(|d| d.level),
            Some(Level::Province)
        );
        let yiwu = g.resolve("义乌市", &[]);
        assert_eq!(
            yiwu.map(|d| (d.level, d.parent.as_deref())),
            Some((Level::County, Some("330700")))
        );
    }

    #[test]
    fn mentions_in_text() {
        let g = Gazetteer::builtin();
        let t = "在杭州市江干区第十五届";
        let m: Vec<&str> = g.mentions(t).iter().map(|m| &t[m.start..m.end]).collect();
        assert_eq!(m, ["杭州市", "江干区"]);
        let t = "定海实干攻坚，建设四个舟山，定海区";
        let s: Vec<&str> = g
            .short_mentions(t)
            .iter()
            .map(|m| &t[m.start..m.end])
            .collect();
        assert_eq!(s, ["定海", "舟山"]);
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("浙江省"), Some("浙江"));
        assert_eq!(short_name("定海区"), Some("定海"));
        assert_eq!(short_name("广西壮族自治区"), Some("广西"));
        assert_eq!(short_name("城区"), None);
    }

    #[test]
    fn bad_table_lines_are_named() {
        let e = Gazetteer::from_tsv("code\tname\tlevel\tparent\tstatus\n33\tx\tcity\t\tcurrent\n")
            .err();
        assert_eq!(e.as_deref(), Some("divisions line 2: bad code \"33\""));
        assert!(Gazetteer::from_tsv("110000\t北京市\tprovince\n").is_err());
    }
}
