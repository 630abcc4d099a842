//! Headline metrics and the names reports give them, read from
//! `data/metrics.toml`; matching is leftmost-longest over all names.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::sync::OnceLock;

const METRICS_TOML: &str = include_str!("../../../data/metrics.toml");

#[derive(Debug, Deserialize)]
struct MetricFile {
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    lead_words: Vec<String>,
    #[serde(default)]
    part_suffixes: Vec<String>,
    #[serde(default)]
    metric: Vec<MetricEntry>,
    #[serde(default)]
    other: OtherEntry,
    #[serde(default)]
    compound: Vec<CompoundEntry>,
}

#[derive(Debug, Deserialize)]
struct MetricEntry {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    national_names: Vec<String>,
    #[serde(default)]
    rate: bool,
    #[serde(default)]
    summed: bool,
    #[serde(default)]
    dimensions: Vec<String>,
}

impl MetricEntry {
    /// The name a metric is shown by: `name`, or the first of `names`.
    fn display_name(&self) -> String {
        if self.name.is_empty() {
            self.names.first().cloned().unwrap_or_default()
        } else {
            self.name.clone()
        }
    }
}

/// The display names of the built-in metrics, read from the file alone
/// (without building the table's matchers, which costs milliseconds a
/// caller that wants only the names, like a search, does not need).
pub fn builtin_names() -> Vec<String> {
    toml::from_str::<MetricFile>(METRICS_TOML)
        .map(|f| {
            f.metric
                .iter()
                .map(MetricEntry::display_name)
                .filter(|n| !n.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
struct OtherEntry {
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CompoundEntry {
    ids: Vec<String>,
    names: Vec<String>,
}

/// A headline metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub id: String,
    pub name: String,
    /// Its level is a percentage (unemployment rate, deficit ratio).
    pub rate: bool,
    /// Unit dimensions its level can have (empty: any).
    pub dimensions: Vec<String>,
    /// A flow whose figures in a five-year passage are sums over it.
    pub summed: bool,
}

impl Metric {
    /// Can a level in a unit of `dimension` be this metric's level?
    pub fn allows(&self, dimension: &str) -> bool {
        self.dimensions.is_empty() || self.dimensions.iter().any(|d| d == dimension)
    }
}

/// A metric name found in text.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricMention {
    pub start: usize,
    pub end: usize,
    /// Indexes into [`MetricTable::metrics`]: empty for a name that is no
    /// headline metric, two or more for a compound name.
    pub metrics: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Pattern {
    name: String,
    metrics: Vec<usize>,
}

/// Metric names for local and for national reports.
#[derive(Debug, Clone)]
pub struct MetricTable {
    pub metrics: Vec<Metric>,
    pub prefixes: Vec<String>,
    /// Words that may precede a metric name without narrowing it.
    pub lead_words: Vec<String>,
    /// Last words of a clause subject that is a part of the region (园区, 企业).
    pub part_suffixes: gwr_text::WordList,
    noise: gwr_text::WordList,
    local_index: std::collections::HashMap<String, usize>,
    national_index: std::collections::HashMap<String, usize>,
    local: (Vec<Pattern>, AhoCorasick),
    national: (Vec<Pattern>, AhoCorasick),
}

fn build(patterns: &[Pattern]) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(patterns.iter().map(|p| p.name.as_str()))
        .map_err(|e| e.to_string())
}

/// Levenshtein distance between two short strings (metric ids), by chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().take(64).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().take(64).enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

impl MetricTable {
    pub fn from_toml(text: &str) -> Result<MetricTable, String> {
        Self::from_layers(&[text])
    }

    /// The built-in table extended with a user's file of the same shape:
    /// names added to known ids, new ids appended, word lists extended.
    pub fn with_user(user: &str) -> Result<MetricTable, String> {
        Self::from_layers(&[METRICS_TOML, user])
    }

    fn from_layers(texts: &[&str]) -> Result<MetricTable, String> {
        let mut f = MetricFile {
            prefixes: Vec::new(),
            lead_words: Vec::new(),
            part_suffixes: Vec::new(),
            metric: Vec::new(),
            other: OtherEntry::default(),
            compound: Vec::new(),
        };
        for (k, text) in texts.iter().enumerate() {
            let layer: MetricFile = toml::from_str(text).map_err(|e| {
                let which = if k == 0 { "built-in" } else { "user" };
                format!(
                    "{which} metrics file: {}",
                    e.to_string().lines().next().unwrap_or("invalid")
                )
            })?;
            f.prefixes.extend(layer.prefixes);
            f.lead_words.extend(layer.lead_words);
            f.part_suffixes.extend(layer.part_suffixes);
            f.other.names.extend(layer.other.names);
            f.compound.extend(layer.compound);
            for m in layer.metric {
                match f.metric.iter_mut().find(|x| x.id == m.id) {
                    Some(x) => {
                        // User names are tried as well; a user's rate flag wins.
                        x.names.extend(m.names);
                        x.national_names.extend(m.national_names);
                        x.rate |= m.rate;
                        x.summed |= m.summed;
                        x.dimensions.extend(m.dimensions);
                    }
                    None => f.metric.push(m),
                }
            }
        }
        let mut metrics = Vec::new();
        let mut local: Vec<Pattern> = Vec::new();
        let mut national_extra: Vec<Pattern> = Vec::new();
        for (i, m) in f.metric.iter().enumerate() {
            metrics.push(Metric {
                id: m.id.clone(),
                name: m.display_name(),
                rate: m.rate,
                dimensions: m.dimensions.clone(),
                summed: m.summed,
            });
            for n in &m.names {
                local.push(Pattern {
                    name: n.clone(),
                    metrics: vec![i],
                });
            }
            for n in &m.national_names {
                national_extra.push(Pattern {
                    name: n.clone(),
                    metrics: vec![i],
                });
            }
        }
        let index = |id: &str| metrics.iter().position(|m| m.id == id);
        for c in &f.compound {
            let ids: Option<Vec<usize>> = c.ids.iter().map(|id| index(id)).collect();
            let ids =
                ids.ok_or_else(|| format!("metrics: compound names unknown id in {:?}", c.ids))?;
            for n in &c.names {
                local.push(Pattern {
                    name: n.clone(),
                    metrics: ids.clone(),
                });
            }
        }
        let mut national = local.clone();
        for n in &f.other.names {
            let p = Pattern {
                name: n.clone(),
                metrics: Vec::new(),
            };
            if !national_extra.iter().any(|x| x.name == *n) {
                national.push(p.clone());
            }
            local.push(p);
        }
        national.extend(national_extra);
        let dedup = |v: &mut Vec<Pattern>| {
            let mut seen = std::collections::HashSet::new();
            v.retain(|p| seen.insert(p.name.clone()));
        };
        dedup(&mut local);
        dedup(&mut national);
        let (la, na) = (build(&local)?, build(&national)?);
        let mut noise: Vec<String> = f
            .lead_words
            .iter()
            .chain(f.prefixes.iter())
            .cloned()
            .collect();
        // Time words and the like (data/figure_words.toml): the words
        // that are no subject of a clause, then the leading words of one.
        let words = crate::words::Words::builtin();
        noise.extend(
            (words.subject_noise.iter())
                .chain(words.clause_leaders.iter())
                .cloned(),
        );
        noise.sort_by_key(|w| std::cmp::Reverse(w.len()));
        noise.dedup();
        Ok(MetricTable {
            metrics,
            prefixes: f.prefixes,
            lead_words: f.lead_words,
            part_suffixes: f.part_suffixes.into(),
            noise: noise.into(),
            local_index: local
                .iter()
                .enumerate()
                .map(|(i, p)| (p.name.clone(), i))
                .collect(),
            national_index: national
                .iter()
                .enumerate()
                .map(|(i, p)| (p.name.clone(), i))
                .collect(),
            local: (local, la),
            national: (national, na),
        })
    }

    /// The table shipped with gwr.
    pub fn builtin() -> &'static MetricTable {
        static M: OnceLock<MetricTable> = OnceLock::new();
        M.get_or_init(|| {
            MetricTable::from_toml(METRICS_TOML).expect("bundled metrics table is valid")
        })
    }

    /// Words that are no subject of a clause (lead words, prefixes, time
    /// words), longest first.
    pub fn subject_noise(&self) -> &gwr_text::WordList {
        &self.noise
    }

    /// Is the name at `start` narrowed by the Chinese word right before it?
    pub fn is_modified(&self, text: &str, start: usize) -> bool {
        let head = &text[..start];
        let Some(prev) = head.chars().last() else {
            return false;
        };
        // A quoted term right before the name narrows it (“新三样”出口).
        if prev == '”' || prev == '》' {
            return true;
        }
        if !('\u{4e00}'..='\u{9fff}').contains(&prev) {
            return false;
        }
        !self
            .lead_words
            .iter()
            .chain(self.prefixes.iter())
            .any(|w| head.ends_with(w.as_str()))
    }

    /// Every name of a metric (local and national), its display name first.
    pub fn names_of(&self, id: &str) -> Vec<String> {
        let Some(k) = self.metrics.iter().position(|m| m.id == id) else {
            return Vec::new();
        };
        let mut names = vec![self.metrics[k].name.clone()];
        for pats in [&self.local.0, &self.national.0] {
            for p in pats.iter().filter(|p| p.metrics == [k]) {
                if !names.contains(&p.name) {
                    names.push(p.name.clone());
                }
            }
        }
        names
    }

    /// The metric ids a user means by `given`: an id (any case: GDP → gdp) or
    /// any Chinese name of a metric (国内生产总值 → gdp). `Err` holds up to
    /// five suggestions: ids and names that contain it or that it contains,
    /// then ids a letter or two away.
    pub fn resolve(&self, given: &str) -> Result<Vec<String>, Vec<String>> {
        let g = given.trim();
        let lower = g.to_lowercase();
        if let Some(m) = self.metrics.iter().find(|m| m.id == lower) {
            return Ok(vec![m.id.clone()]);
        }
        for national in [false, true] {
            if let Some(ids) = self.lookup(g, national).filter(|v| !v.is_empty()) {
                return Ok(ids.iter().map(|&i| self.metrics[i].id.clone()).collect());
            }
        }
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: String| {
            if out.len() < 5 && !out.contains(&s) {
                out.push(s);
            }
        };
        if !g.is_empty() {
            for m in &self.metrics {
                let names = self.names_of(&m.id);
                let near = m.id.contains(&lower)
                    || names
                        .iter()
                        .any(|n| n.contains(g) || g.contains(n.as_str()));
                if near {
                    push(format!("{} ({})", m.id, m.name));
                }
            }
        }
        let mut by_distance: Vec<(usize, &Metric)> = self
            .metrics
            .iter()
            .map(|m| (edit_distance(&m.id, &lower), m))
            .filter(|(d, _)| *d <= 2)
            .collect();
        by_distance.sort_by_key(|(d, _)| *d);
        for (_, m) in by_distance {
            push(format!("{} ({})", m.id, m.name));
        }
        Err(out)
    }

    /// The metrics of a name written exactly so (`None` for no known name).
    pub fn lookup(&self, name: &str, national: bool) -> Option<Vec<usize>> {
        let (index, pats) = if national {
            (&self.national_index, &self.national.0)
        } else {
            (&self.local_index, &self.local.0)
        };
        index.get(name).map(|&i| pats[i].metrics.clone())
    }

    /// Metric names in `text`.
    pub fn mentions(&self, text: &str, national: bool) -> Vec<MetricMention> {
        let (pats, ac) = if national {
            &self.national
        } else {
            &self.local
        };
        ac.find_iter(text)
            .map(|m| MetricMention {
                start: m.start(),
                end: m.end(),
                metrics: pats[m.pattern().as_usize()].metrics.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(t: &str, national: bool) -> Vec<Vec<String>> {
        let m = MetricTable::builtin();
        m.mentions(t, national)
            .into_iter()
            .map(|x| x.metrics.iter().map(|i| m.metrics[*i].id.clone()).collect())
            .collect()
    }

    #[test]
    fn user_files_extend_the_table() {
        let t = MetricTable::with_user(
            "[[metric]]\nid = \"gdp\"\nnames = [\"经济总产出\"]\n\n[[metric]]\nid = \"tourism_revenue\"\nname = \"旅游总收入\"\nnames = [\"旅游总收入\", \"旅游收入\"]\n",
        )
        .expect("valid user file");
        let ids: Vec<String> = t
            .mentions("经济总产出增长5%，旅游收入增长8%", false)
            .into_iter()
            .map(|m| t.metrics[m.metrics[0]].id.clone())
            .collect();
        assert_eq!(ids, ["gdp", "tourism_revenue"]);
        let e = MetricTable::with_user("[[metric]]\nnames = 3\n")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("user metrics file:"), "{e}");
    }

    #[test]
    fn names_map_to_ids() {
        assert_eq!(ids("全区实现地区生产总值595亿元", false), [["gdp"]]);
        assert_eq!(
            ids("规上工业增加值增长8%，工业增加值", false),
            vec![vec!["industry_va".to_string()], vec![]]
        );
        assert_eq!(
            ids("城乡居民收入增幅保持在12%以上", false),
            [["urban_income", "rural_income"]]
        );
        assert_eq!(ids("财政收入增长", false), [Vec::<String>::new()]);
        assert_eq!(ids("财政收入增长", true), [["budget_revenue"]]);
        assert_eq!(ids("进出口总额增长", false), [["trade_total"]]);
    }

    #[test]
    fn users_name_metrics_by_id_or_any_name() {
        let t = MetricTable::builtin();
        assert_eq!(t.resolve("gdp"), Ok(vec!["gdp".to_string()]));
        assert_eq!(t.resolve("GDP"), Ok(vec!["gdp".to_string()]));
        assert_eq!(t.resolve("国内生产总值"), Ok(vec!["gdp".to_string()]));
        assert_eq!(t.resolve("地区生产总值"), Ok(vec!["gdp".to_string()]));
        // Unknown: suggestions, nearest first.
        let e = t.resolve("gdpp").expect_err("unknown");
        assert!(e.first().is_some_and(|s| s.starts_with("gdp ")), "{e:?}");
        let e = t.resolve("生产总值增速快").expect_err("unknown");
        assert!(e.iter().any(|s| s.starts_with("gdp ")), "{e:?}");
        assert!(t.resolve("").is_err());
        assert!(t.names_of("gdp").contains(&"国内生产总值".to_string()));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("gdp", "gdp"), 0);
        assert_eq!(edit_distance("gdp", "gpd"), 2);
        assert_eq!(edit_distance("cpi", "cp"), 1);
    }
}
