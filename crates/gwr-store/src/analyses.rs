//! Corpus analyses: term attention, slogans, text reuse.

use crate::{Store, StoreError};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A passage with what it belongs to.
struct Passage {
    document_id: i64,
    file: String,
    part: i64,
    region: Option<String>,
    region_code: Option<String>,
    plan_year: Option<i64>,
    role: Option<String>,
    text: String,
}

impl Store {
    /// Every passage, in store order: each document's text is read once
    /// and its passages cut from it.
    fn passages(&self) -> Result<Vec<Passage>, StoreError> {
        let mut docs = self.conn.prepare(
            "SELECT d.id, f.name, d.part, d.region, d.region_code, d.plan_year, gwr_text(d.text)
             FROM documents d JOIN files f ON f.id = d.file_id ORDER BY d.id",
        )?;
        let mut spans = self.conn.prepare_cached(
            "SELECT role, start, chars FROM passage_spans WHERE document_id = ?1 ORDER BY id",
        )?;
        let mut out = Vec::new();
        let mut rows = docs.query([])?;
        while let Some(d) = rows.next()? {
            let document_id: i64 = d.get(0)?;
            let file: String = d.get(1)?;
            let part: i64 = d.get(2)?;
            let region: Option<String> = d.get(3)?;
            let region_code: Option<String> = d.get(4)?;
            let plan_year: Option<i64> = d.get(5)?;
            let text: String = d.get(6)?;
            let mut cursor = crate::spans::CharCursor::new(&text);
            let mut ps = spans.query([document_id])?;
            while let Some(p) = ps.next()? {
                out.push(Passage {
                    document_id,
                    file: file.clone(),
                    part,
                    region: region.clone(),
                    region_code: region_code.clone(),
                    plan_year,
                    role: p.get(0)?,
                    text: cursor.slice(p.get(1)?, p.get(2)?).to_string(),
                });
            }
        }
        Ok(out)
    }
}

/// A concept dictionary: concept → words (TOML: `[concepts]` table of arrays).
#[derive(Debug, Clone, Deserialize)]
pub struct Concepts {
    pub concepts: BTreeMap<String, Vec<String>>,
}

impl Concepts {
    /// The concepts of `data/concepts.toml`, built in.
    pub fn builtin() -> Result<Concepts, String> {
        Concepts::from_toml(crate::segment::CONCEPTS_TOML)
    }

    pub fn from_toml(text: &str) -> Result<Concepts, String> {
        toml::from_str(text).map_err(|e| {
            format!(
                "concept dictionary: {}",
                e.to_string().lines().next().unwrap_or("")
            )
        })
    }
}

/// How to group attention counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Document,
    Region,
    Year,
    Role,
}

/// Attention to one concept in one group.
#[derive(Debug, Clone, Serialize)]
pub struct Attention {
    pub group: String,
    pub region: Option<String>,
    pub year: Option<i64>,
    pub role: Option<String>,
    pub concept: String,
    pub count: u64,
    pub chars: u64,
    /// Mentions per 10,000 characters.
    pub per_10k: f64,
}

/// A group's labels (region, year, role), characters and counts per concept.
type Group = (Option<String>, Option<i64>, Option<String>, u64, Vec<u64>);

/// Count each concept's words (leftmost-longest, no overlaps) by group.
pub fn attention(
    store: &Store,
    concepts: &Concepts,
    by: GroupBy,
) -> Result<Vec<Attention>, StoreError> {
    let mut words: Vec<(String, usize)> = Vec::new();
    let names: Vec<&String> = concepts.concepts.keys().collect();
    for (i, (_, ws)) in concepts.concepts.iter().enumerate() {
        for w in ws {
            words.push((w.clone(), i));
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(words.iter().map(|w| w.0.as_str()))
        .map_err(|e| StoreError::Other(e.to_string()))?;
    // group key → (sample passage for labels, chars, counts per concept)
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for p in store.passages()? {
        let key = match by {
            GroupBy::Document => format!("{}#{}", p.file, p.part),
            GroupBy::Region => p
                .region_code
                .clone()
                .or(p.region.clone())
                .unwrap_or_else(|| "?".into()),
            GroupBy::Year => p.plan_year.map_or("?".into(), |y| y.to_string()),
            GroupBy::Role => p.role.clone().unwrap_or_else(|| "none".into()),
        };
        let e = groups.entry(key).or_insert_with(|| {
            (
                p.region.clone(),
                p.plan_year,
                p.role.clone(),
                0,
                vec![0; names.len()],
            )
        });
        e.3 += p.text.chars().count() as u64;
        for m in ac.find_iter(&p.text) {
            e.4[words[m.pattern().as_usize()].1] += 1;
        }
    }
    let mut out = Vec::new();
    for (group, (region, year, role, chars, counts)) in groups {
        for (i, c) in counts.iter().enumerate() {
            out.push(Attention {
                group: group.clone(),
                region: if by == GroupBy::Year || by == GroupBy::Role {
                    None
                } else {
                    region.clone()
                },
                year: if by == GroupBy::Region || by == GroupBy::Role {
                    None
                } else {
                    year
                },
                role: if by == GroupBy::Role {
                    role.clone()
                } else {
                    None
                },
                concept: names[i].clone(),
                count: *c,
                chars,
                per_10k: if chars == 0 {
                    0.0
                } else {
                    (*c as f64) * 10_000.0 / chars as f64
                },
            });
        }
    }
    Ok(out)
}

/// A slogan: a quoted term or a numbered formula, with its spread.
#[derive(Debug, Clone, Serialize)]
pub struct Slogan {
    pub slogan: String,
    pub count: u64,
    pub documents: u64,
    pub regions: u64,
    pub first_year: Option<i64>,
    pub first_file: String,
}

/// A Han character of the CJK Unified Ideographs block (U+4E00–U+9FFF).
pub(crate) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Slogans in a passage: “quoted terms” of 2–12 characters (with a leading
/// count such as 三个“一号工程” kept), and digit formulas (“1+4+8”招商体系).
fn slogans_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find('“') {
        let body = &rest[open + '“'.len_utf8()..];
        let Some(close) = body.find('”') else { break };
        let inner = &body[..close];
        let n = inner.chars().count();
        if (2..=12).contains(&n) && !inner.contains(['，', '。', '；', '：']) {
            // A count right before the quote: 三个“一号工程”, 五大“行动”.
            let head = &text[..offset + open];
            let lead: String = head
                .chars()
                .rev()
                .take_while(|c| "一二三四五六七八九十两百千0123456789个大项条".contains(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let lead = if lead.chars().any(|c| !"个大项条".contains(c)) {
                lead
            } else {
                String::new()
            };
            let mut s = format!("{lead}“{inner}”");
            // A formula names what it counts right after (“1+4+8”招商体系).
            if inner.contains('+') {
                let tail: String = body[close + '”'.len_utf8()..]
                    .chars()
                    .take_while(|c| is_han(*c))
                    .take(6)
                    .collect();
                s.push_str(&tail);
            }
            out.push(s);
        }
        let step = open + '“'.len_utf8() + close + '”'.len_utf8();
        offset += step;
        rest = &rest[step..];
    }
    out
}

/// Slogans across the corpus, most frequent first.
pub fn slogans(store: &Store, min_count: u64) -> Result<Vec<Slogan>, StoreError> {
    struct Acc {
        count: u64,
        docs: HashSet<i64>,
        regions: HashSet<String>,
        first: (i64, String),
    }
    let mut acc: HashMap<String, Acc> = HashMap::new();
    for p in store.passages()? {
        for s in slogans_in(&p.text) {
            let a = acc.entry(s).or_insert_with(|| Acc {
                count: 0,
                docs: HashSet::new(),
                regions: HashSet::new(),
                first: (i64::MAX, String::new()),
            });
            a.count += 1;
            a.docs.insert(p.document_id);
            if let Some(r) = p.region_code.clone().or(p.region.clone()) {
                a.regions.insert(r);
            }
            let y = p.plan_year.unwrap_or(i64::MAX);
            if y < a.first.0 || a.first.1.is_empty() {
                a.first = (y, format!("{}#{}", p.file, p.part));
            }
        }
    }
    let mut out: Vec<Slogan> = acc
        .into_iter()
        .filter(|(_, a)| a.count >= min_count)
        .map(|(s, a)| Slogan {
            slogan: s,
            count: a.count,
            documents: a.docs.len() as u64,
            regions: a.regions.len() as u64,
            first_year: (a.first.0 != i64::MAX).then_some(a.first.0),
            first_file: a.first.1,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.slogan.cmp(&b.slogan)));
    Ok(out)
}

/// Two documents sharing wording.
#[derive(Debug, Clone, Serialize)]
pub struct Reuse {
    pub a: String,
    pub b: String,
    /// Shared 12-character shingles over the smaller document's shingles.
    pub similarity: f64,
    pub shared: u64,
    /// A passage of `a` that `b` also has.
    pub example: String,
}

const SHINGLE: usize = 12;

fn shingles(text: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let chars: Vec<char> = text
        .chars()
        .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
        .collect();
    if chars.len() < SHINGLE {
        return Vec::new();
    }
    let mut v: Vec<u64> = chars
        .windows(SHINGLE)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A shingle in more documents than this is a stock phrase, whatever the
/// corpus size: it says nothing about reuse, and counting its pairs would
/// make the work grow with the square of the corpus.
const MAX_SHINGLE_DOCS: usize = 64;

/// Pairs of documents from different files that share wording, most similar
/// first, at most `top` of them (0: all). Candidate pairs come from an index
/// of shingles (never all pairs); shingles found in more than half of the
/// documents, or in more than [`MAX_SHINGLE_DOCS`], are stock phrases and
/// ignored. `progress(done, total)` is called as documents are shingled.
pub fn reuse(
    store: &Store,
    min_similarity: f64,
    top: usize,
    progress: &dyn Fn(usize, usize),
) -> Result<Vec<Reuse>, StoreError> {
    let mut docs: BTreeMap<i64, (String, String, Vec<String>)> = BTreeMap::new();
    for p in store.passages()? {
        let e = docs
            .entry(p.document_id)
            .or_insert_with(|| (format!("{}#{}", p.file, p.part), p.file.clone(), Vec::new()));
        e.2.push(p.text);
    }
    let ids: Vec<i64> = docs.keys().copied().collect();
    let sets: Vec<Vec<u64>> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            progress(k, ids.len());
            shingles(&docs[id].2.join("\n"))
        })
        .collect();
    progress(ids.len(), ids.len());
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for h in s {
            index.entry(*h).or_default().push(i);
        }
    }
    let limit = (ids.len() / 2).clamp(2, MAX_SHINGLE_DOCS);
    let mut pairs: HashMap<(usize, usize), u64> = HashMap::new();
    for list in index.values() {
        if list.len() < 2 || list.len() > limit {
            continue;
        }
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                if docs[&ids[i]].1 != docs[&ids[j]].1 {
                    *pairs.entry((i, j)).or_default() += 1;
                }
            }
        }
    }
    // Score every candidate pair, keep the best, and only then find each
    // kept pair's example passage.
    let mut scored: Vec<(usize, usize, u64, f64)> = pairs
        .into_iter()
        .filter_map(|((i, j), shared)| {
            let smaller = sets[i].len().min(sets[j].len()).max(1) as u64;
            let sim = (shared as f64 / smaller as f64 * 1000.0).round() / 1000.0;
            (sim >= min_similarity).then_some((i, j, shared, sim))
        })
        .collect();
    scored.sort_by(|x, y| {
        y.3.total_cmp(&x.3)
            .then_with(|| docs[&ids[x.0]].0.cmp(&docs[&ids[y.0]].0))
            .then_with(|| docs[&ids[x.1]].0.cmp(&docs[&ids[y.1]].0))
    });
    if top > 0 {
        scored.truncate(top);
    }
    let out = scored
        .into_iter()
        .map(|(i, j, shared, similarity)| {
            let b: HashSet<u64> = sets[j].iter().copied().collect();
            let example = docs[&ids[i]]
                .2
                .iter()
                .map(|t| (shingles(t).iter().filter(|h| b.contains(h)).count(), t))
                .max_by_key(|(n, _)| *n)
                .map(|(_, t)| t.chars().take(80).collect())
                .unwrap_or_default();
            Reuse {
                a: docs[&ids[i]].0.clone(),
                b: docs[&ids[j]].0.clone(),
                similarity,
                shared,
                example,
            }
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slogans_with_counts_and_formulas() {
        let s = slogans_in(
            "深化“最多跑一次”改革，实施三个“一号工程”，构建“1+4+8”招商体系，坚持“八八战略”。他说“这是一个很长的句子，不是口号”。",
        );
        assert_eq!(
            s,
            [
                "“最多跑一次”",
                "三个“一号工程”",
                "“1+4+8”招商体系",
                "“八八战略”"
            ]
        );
    }

    #[test]
    fn shingles_ignore_punctuation() {
        assert_eq!(
            shingles("一二三四五六七八九十一二"),
            shingles("一二三，四五六七八九十一二。")
        );
        assert!(shingles("太短").is_empty());
    }
}
