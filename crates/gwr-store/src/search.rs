//! Chinese full-text search over passages.
//!
//! A query is a list of terms (whitespace-separated; quotes keep a phrase
//! with its spaces). Each term is cut into words by the store's segmenter
//! and must occur as those words in order, so 最多跑一次 matches the term,
//! not its characters scattered about; a one-word term also matches inside
//! a longer word (经济 in 数字经济). Word hits rank by BM25. When they are
//! fewer than the limit, passages that hold every term as a plain substring
//! (a place the segmenter cut differently) follow, marked `substring`.

use crate::tokens::tokens_of;
use crate::{Store, StoreError};
use rusqlite::types::Value;
use std::ops::Range;

/// Filters of a search.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    /// Plan year of the report.
    pub year: Option<i32>,
    /// Section role (review, tasks, …).
    pub role: Option<String>,
    /// Document type (government_work_report, …).
    pub doc_type: Option<String>,
}

/// A search hit: a passage with its document and a highlighted snippet.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// The document's and the passage's ids in the store.
    pub document_id: i64,
    pub passage_id: i64,
    pub file: String,
    pub part: i64,
    pub region: Option<String>,
    pub plan_year: Option<i64>,
    pub role: Option<String>,
    pub section: Option<String>,
    /// BM25 relevance of a word hit (higher is better); 0 for substring hits.
    pub score: f64,
    /// `word` (matched by the word index) or `substring`.
    pub matched: &'static str,
    pub snippet: String,
    /// The snippet without its marks, and the marked terms in it as
    /// character ranges (for a page that marks them itself).
    pub text: String,
    pub marks: Vec<[usize; 2]>,
}

/// Terms of a query: whitespace separates, quotes ("…" or “…”) keep a phrase.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' | '“' | '”' => {
                quoted = !quoted;
                if !quoted {
                    terms.push(std::mem::take(&mut cur));
                }
            }
            c if c.is_whitespace() && !quoted => terms.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    terms.push(cur);
    terms
        .into_iter()
        .map(|t| join_cjk(&canonical(t.trim())))
        .filter(|t| !t.is_empty())
        .collect()
}

/// A query term in the form stored text has: simplified characters,
/// half-width digits and letters, unified punctuation (数據 → 数据, １２ → 12).
fn canonical(t: &str) -> String {
    if t.is_empty() {
        return String::new();
    }
    let (simplified, _) = gwr_text::convert::to_simplified(t);
    gwr_text::normalize::normalize_line(&simplified)
}

/// Chinese is written without spaces: a space between two Chinese
/// characters in a phrase ("数字 经济") is dropped; others stay.
fn join_cjk(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut s = String::with_capacity(t.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!((before, after), (Some(b), Some(a)) if !b.is_ascii() && !a.is_ascii()) {
                continue;
            }
        }
        s.push(c);
    }
    s
}

/// Where a term occurs in `text`: the term itself, or (for a term of several
/// words, as the word index matches it) its words in order with only
/// punctuation or spaces between them (推进最多跑一次改革 finds
/// 推进“最多跑一次”改革). At most 64 places per term.
fn places(text: &str, term: &str, words: &[String]) -> Vec<Range<usize>> {
    let at = |p: usize, w: &str| {
        text.get(p..p + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    // ASCII letters in either case, as the indexes fold them (lowering
    // ASCII keeps every byte offset).
    let folded = term.bytes().any(|b| b.is_ascii_alphabetic());
    let (hay, needle) = if folded {
        (
            std::borrow::Cow::Owned(text.to_ascii_lowercase()),
            term.to_ascii_lowercase(),
        )
    } else {
        (std::borrow::Cow::Borrowed(text), term.to_string())
    };
    let mut out: Vec<Range<usize>> = hay
        .match_indices(needle.as_str())
        .take(64)
        .map(|(k, t)| k..k + t.len())
        .collect();
    if words.len() > 1 {
        let first = words[0].as_str();
        let mut from = 0;
        while out.len() < 64 {
            let Some(k) = text.get(from..).and_then(|t| {
                t.char_indices()
                    .map(|(i, _)| from + i)
                    .find(|&i| at(i, first))
            }) else {
                break;
            };
            let mut end = k + first.len();
            let mut whole = true;
            for w in &words[1..] {
                let gap = text[end..]
                    .char_indices()
                    .find(|(_, c)| c.is_alphanumeric())
                    .map_or(text.len() - end, |(i, _)| i);
                if gap <= 12 && at(end + gap, w) {
                    end += gap + w.len();
                } else {
                    whole = false;
                    break;
                }
            }
            if whole && !out.iter().any(|r| r.start < end && k < r.end) {
                out.push(k..end);
            }
            from = k + first.len();
        }
    }
    out
}

/// The passage text around the first hit, hits marked 【…】. `words` are
/// the words of each term as the segmenter cuts them.
fn snippet(text: &str, terms: &[String], words: &[Vec<String>]) -> Snippet {
    let mut found: Vec<Range<usize>> = Vec::new();
    for (t, w) in terms.iter().zip(words) {
        for r in places(text, t, w) {
            if !found.iter().any(|f| f.start < r.end && r.start < f.end) {
                found.push(r);
            }
        }
    }
    found.sort_by_key(|r| r.start);
    let first = found.first().map_or(0, |r| r.start);
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(0, |(i, _)| i);
    let end = text[first..]
        .char_indices()
        .nth(60)
        .map_or(text.len(), |(i, _)| first + i);
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let mut marked = String::from(lead);
    let mut plain = String::from(lead);
    let mut marks = Vec::new();
    let mut chars = plain.chars().count();
    let mut pos = start;
    for r in found.iter().filter(|r| r.start >= start && r.end <= end) {
        let before = &text[pos..r.start];
        let term = &text[r.clone()];
        marked.push_str(before);
        marked.push('【');
        marked.push_str(term);
        marked.push('】');
        plain.push_str(before);
        plain.push_str(term);
        chars += before.chars().count();
        let n = term.chars().count();
        marks.push([chars, chars + n]);
        chars += n;
        pos = r.end;
    }
    marked.push_str(&text[pos..end]);
    marked.push_str(tail);
    plain.push_str(&text[pos..end]);
    plain.push_str(tail);
    Snippet {
        marked,
        plain,
        marks,
    }
}

/// A passage's snippet: with 【】 around the terms, and plain with the
/// terms' character ranges.
struct Snippet {
    marked: String,
    plain: String,
    marks: Vec<[usize; 2]>,
}

/// An FTS5 string literal.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The FTS5 query over `passages_words` for terms cut into these words, or
/// `None` when a term has no words (punctuation only). The words are
/// written as the index's tokens ([`crate::tokens`]), which the index's
/// tokenizer, `ascii` or (in older stores) `unicode61`, reads as they are.
fn word_query(words: &[Vec<String>]) -> Option<String> {
    let mut parts = Vec::new();
    for w in words {
        match w.len() {
            0 => return None,
            1 => parts.push(format!("{{words parts}} : {}", quote(&tokens_of(&w[0])))),
            _ => parts.push(format!("words : {}", quote(&tokens_of(&w.join(" "))))),
        }
    }
    Some(parts.join(" AND "))
}

/// SQL conditions and arguments of the filters.
fn filter_sql(filter: &SearchFilter, sql: &mut String, args: &mut Vec<Value>) {
    document_filter_sql(filter, sql, args);
    if let Some(r) = &filter.role {
        sql.push_str("AND p.role = ? ");
        args.push(r.clone().into());
    }
}

/// SQL conditions and arguments of the filters on documents (`d`): all but
/// the role.
fn document_filter_sql(filter: &SearchFilter, sql: &mut String, args: &mut Vec<Value>) {
    if let Some(r) = &filter.region {
        sql.push_str("AND (d.region = ? OR d.region_code = ?) ");
        args.push(canonical(r).into());
        args.push(r.clone().into());
    }
    if let Some(y) = filter.year {
        sql.push_str("AND d.plan_year = ? ");
        args.push(i64::from(y).into());
    }
    if let Some(t) = &filter.doc_type {
        sql.push_str("AND d.doc_type = ? ");
        args.push(t.clone().into());
    }
}

/// Whether `text` holds `term`, ASCII letters in either case (as the
/// substring index folds them).
fn holds(text: &str, term: &str) -> bool {
    if term.bytes().any(|b| b.is_ascii_alphabetic()) {
        text.to_ascii_lowercase()
            .contains(&term.to_ascii_lowercase())
    } else {
        text.contains(term)
    }
}

const COLUMNS: &str =
    "SELECT p.id, f.name, d.part, d.region, d.plan_year, p.role, p.section, d.id, p.text, ";
const JOINS: &str =
    "JOIN documents d ON d.id = p.document_id JOIN files f ON f.id = d.file_id WHERE 1 = 1 ";

/// Most terms a query may have.
pub const MAX_TERMS: usize = 32;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits a search returns.
pub const MAX_HITS: usize = 10_000;
/// Time limit of a search.
pub const SEARCH_TIME: std::time::Duration = std::time::Duration::from_secs(30);

impl Store {
    /// Ranked passages holding every term of `query` (see the module notes),
    /// within [`SEARCH_TIME`].
    pub fn search(
        &self,
        query: &str,
        filter: &SearchFilter,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        self.search_within(query, filter, limit, SEARCH_TIME)
    }

    /// [`Store::search`] with a time limit: past it the search stops with
    /// [`StoreError::TimedOut`]. A query of more than [`MAX_TERMS`] terms
    /// or [`MAX_QUERY_CHARS`] characters is refused.
    pub fn search_within(
        &self,
        query: &str,
        filter: &SearchFilter,
        limit: usize,
        time: std::time::Duration,
    ) -> Result<Vec<Hit>, StoreError> {
        let chars = query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(StoreError::Other(format!(
                "search query too long: {chars} characters (at most {MAX_QUERY_CHARS})"
            )));
        }
        let terms = query_terms(query);
        if terms.len() > MAX_TERMS {
            return Err(StoreError::Other(format!(
                "search query has {} terms (at most {MAX_TERMS})",
                terms.len()
            )));
        }
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let limit = limit.min(MAX_HITS);
        self.within(time, |s| s.search_terms(&terms, filter, limit))
    }

    fn search_terms(
        &self,
        terms: &[String],
        filter: &SearchFilter,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        let terms = terms.to_vec();
        self.check_lengths()?;
        let seg = self.segmenter()?;
        let words: Vec<Vec<String>> = terms.iter().map(|t| seg.query_words(t)).collect();
        let mut found: Vec<(i64, Hit)> = Vec::new();
        if let Some(m) = word_query(&words) {
            found = self.word_hits(&m, filter, &terms, &words, limit)?;
        }
        if found.len() < limit {
            let seen: std::collections::HashSet<i64> = found.iter().map(|(id, _)| *id).collect();
            let more = self.substring_hits(&terms, &words, filter, limit - found.len(), &seen)?;
            found.extend(more);
        }
        Ok(found.into_iter().map(|(_, h)| h).collect())
    }

    /// Passages holding every term as a plain substring (not among `seen`),
    /// newest plan year first, then in the order of the text: the
    /// documents the substring index gives (or every document, when no term
    /// has three characters) are read in that order, and their passages
    /// cut out and tested, until `limit` are found.
    fn substring_hits(
        &self,
        terms: &[String],
        words: &[Vec<String>],
        filter: &SearchFilter,
        limit: usize,
        seen: &std::collections::HashSet<i64>,
    ) -> Result<Vec<(i64, Hit)>, StoreError> {
        let mut sql = String::from("SELECT d.id FROM documents d ");
        let mut args: Vec<Value> = Vec::new();
        if let Some(ids) = crate::substr::candidates(&self.conn, terms)? {
            sql.push_str("JOIN json_each(?) m ON m.value = d.id ");
            args.push(serde_json::to_string(&ids).unwrap_or_default().into());
        }
        sql.push_str("WHERE 1 = 1 ");
        document_filter_sql(filter, &mut sql, &mut args);
        sql.push_str("ORDER BY d.plan_year DESC, d.id");
        let docs: Vec<i64> = self
            .conn
            .prepare(&sql)?
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut found = Vec::new();
        let mut doc = self.conn.prepare_cached(
            "SELECT gwr_text(d.text), f.name, d.part, d.region, d.plan_year FROM documents d \
             JOIN files f ON f.id = d.file_id WHERE d.id = ?1",
        )?;
        let mut spans = self.conn.prepare_cached(
            "SELECT id, section, role, start, chars FROM passage_spans \
             WHERE document_id = ?1 ORDER BY id",
        )?;
        for id in docs {
            if found.len() >= limit {
                break;
            }
            let Some((text, file, part, region, plan_year)) = doc
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<i64>>(4)?,
                    ))
                })?
                .next()
                .transpose()?
            else {
                continue;
            };
            if !terms.iter().all(|t| holds(&text, t)) {
                continue;
            }
            let mut cursor = crate::spans::CharCursor::new(&text);
            let mut rows = spans.query([id])?;
            while let Some(r) = rows.next()? {
                let pid: i64 = r.get(0)?;
                let role: Option<String> = r.get(2)?;
                if seen.contains(&pid)
                    || filter
                        .role
                        .as_ref()
                        .is_some_and(|want| role.as_ref() != Some(want))
                {
                    continue;
                }
                let passage = cursor.slice(r.get(3)?, r.get(4)?);
                if !terms.iter().all(|t| holds(passage, t)) {
                    continue;
                }
                let snip = snippet(passage, terms, words);
                found.push((
                    pid,
                    Hit {
                        document_id: id,
                        passage_id: pid,
                        file: file.clone(),
                        part,
                        region: region.clone(),
                        plan_year,
                        role,
                        section: r.get(1)?,
                        score: 0.0,
                        matched: "substring",
                        snippet: snip.marked,
                        text: snip.plain,
                        marks: snip.marks,
                    },
                ));
                if found.len() >= limit {
                    break;
                }
            }
        }
        Ok(found)
    }

    /// Word hits, best first. The ranking is read from the index alone
    /// (BM25 over every match, a cheap sequential read), and only the
    /// passages that can make the page are looked up for their text and
    /// filters: a window of the best matches, widened while filters reject
    /// too many. Joining every match first costs a random read per match,
    /// which on a cold disk is seconds for a common term.
    fn word_hits(
        &self,
        fts_query: &str,
        filter: &SearchFilter,
        terms: &[String],
        words: &[Vec<String>],
        limit: usize,
    ) -> Result<Vec<(i64, Hit)>, StoreError> {
        let filtered = filter.region.is_some()
            || filter.year.is_some()
            || filter.role.is_some()
            || filter.doc_type.is_some();
        let mut window = if filtered {
            limit.saturating_mul(20)
        } else {
            limit
        };
        // One term is one phrase (`word_query`): ranked by its part of
        // BM25, its idf applied after (rank.rs), which spares running the
        // phrase twice.
        let one_phrase = words.len() == 1;
        let mut found: Vec<(i64, Hit)> = Vec::new();
        let mut offset = 0usize;
        loop {
            let mut stmt = self.conn.prepare_cached(if one_phrase {
                "SELECT rowid, gwr_rank_tf(passages_words, 1.0, 0.5) FROM passages_words \
                 WHERE passages_words MATCH ?1 ORDER BY 2, rowid LIMIT ?2 OFFSET ?3"
            } else {
                "SELECT rowid, gwr_rank(passages_words, 1.0, 0.5) FROM passages_words \
                 WHERE passages_words MATCH ?1 ORDER BY 2, rowid LIMIT ?2 OFFSET ?3"
            })?;
            self.lengths.start_tally();
            let mut ranked: Vec<(i64, f64)> = stmt
                .query_map(
                    rusqlite::params![fts_query, window as i64, offset as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .collect::<Result<_, _>>()?;
            if one_phrase {
                let tally = self.lengths.tally();
                for (_, s) in &mut ranked {
                    *s = crate::rank::score(*s, tally);
                }
            }
            let exhausted = ranked.len() < window;
            offset += ranked.len();
            if !ranked.is_empty() {
                let ids: Vec<String> = ranked.iter().map(|(id, _)| id.to_string()).collect();
                let mut sql = format!(
                    "{COLUMNS}0.0 FROM passages p {JOINS}AND p.id IN ({}) ",
                    ids.join(",")
                );
                let mut args: Vec<Value> = Vec::new();
                filter_sql(filter, &mut sql, &mut args);
                let score: std::collections::HashMap<i64, f64> = ranked.into_iter().collect();
                let mut page: Vec<(i64, Hit)> = self
                    .hits(&sql, args, terms, words, "word")?
                    .into_iter()
                    .map(|(id, mut h)| {
                        h.score = -score.get(&id).copied().unwrap_or(0.0);
                        (id, h)
                    })
                    .collect();
                page.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
                found.extend(page);
            }
            if found.len() >= limit || exhausted {
                break;
            }
            window = window.saturating_mul(4);
        }
        found.truncate(limit);
        Ok(found)
    }

    fn hits(
        &self,
        sql: &str,
        args: Vec<Value>,
        terms: &[String],
        words: &[Vec<String>],
        matched: &'static str,
    ) -> Result<Vec<(i64, Hit)>, StoreError> {
        let mut stmt = self.conn.prepare(sql)?;
        let hits = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                let text: String = r.get(8)?;
                let bm25: f64 = r.get(9)?;
                let word = matched == "word";
                let snip = snippet(&text, terms, words);
                Ok((
                    r.get(0)?,
                    Hit {
                        document_id: r.get(7)?,
                        passage_id: r.get(0)?,
                        file: r.get(1)?,
                        part: r.get(2)?,
                        region: r.get(3)?,
                        plan_year: r.get(4)?,
                        role: r.get(5)?,
                        section: r.get(6)?,
                        score: if word { -bm25 } else { 0.0 },
                        matched,
                        snippet: snip.marked,
                        text: snip.plain,
                        marks: snip.marks,
                    },
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_keep_phrases() {
        assert_eq!(
            query_terms("数字经济  \"made in china\" “最多 跑一次”"),
            vec!["数字经济", "made in china", "最多跑一次"]
        );
        assert!(query_terms("  ").is_empty());
        assert_eq!(
            query_terms("數字經濟 １２ 12"),
            vec!["数字经济", "12", "12"]
        );
    }

    #[test]
    fn phrases_are_marked_across_punctuation() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let text = "全面推进“最多跑一次”改革，优化营商环境。";
        let s = snippet(
            text,
            &["推进最多跑一次改革".into(), "营商环境".into()],
            &[w(&["推进", "最多跑一次", "改革"]), w(&["营商环境"])],
        );
        assert_eq!(s.marked, "全面【推进“最多跑一次”改革】，优化【营商环境】。");
        assert_eq!(s.plain, "全面推进“最多跑一次”改革，优化营商环境。");
        let marked: Vec<String> = s
            .marks
            .iter()
            .map(|m| s.plain.chars().skip(m[0]).take(m[1] - m[0]).collect())
            .collect();
        assert_eq!(marked, ["推进“最多跑一次”改革", "营商环境"]);
        // Words too far apart are no phrase; a plain term is marked as before.
        let s = snippet(
            "推进了很多很多很多很多很多很多的改革。数字经济",
            &["推进改革".into(), "经济".into()],
            &[w(&["推进", "改革"]), w(&["经济"])],
        );
        assert_eq!(
            s.marked,
            "推进了很多很多很多很多很多很多的改革。数字【经济】"
        );
    }

    #[test]
    fn fts_literals_escape_quotes() {
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }
}
