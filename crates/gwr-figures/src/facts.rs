//! Quantitative facts: metric names tied to the figures that follow them.
//!
//! A sentence is read as a stream of items: metric names, figures (a number
//! with its unit, the verb before it and the qualifiers around it), years,
//! and the word 分别. A figure belongs to the metric named last in its clause,
//! or in an earlier clause when its own clause only continues the subject
//! (，增长5% · ，达到11377亿元). 分别 and bare lists (实际增长9.8%和8.5%)
//! hand their figures out in order to the subjects named before them.
//!
//! Kind and year come from the document: figures in the review are actual
//! (estimate when the sentence says 预计) for the review year, figures in
//! plan sections are targets for the plan year; five-year passages and 年均
//! rates cover a span of years.
//!
//! Each decision is a named rule with its examples as tests: `kind_rule`
//! (actual, estimate, target), `bound_rule` and
//! `qualifier_rule` (qualifiers), `flow_rule` and `five_year_rule`, and the
//! time rules `TimeContext::level_time` and `TimeContext::change_time`
//! (a year or a span of years).
//!
//! The words these decisions look for (verbs of change, fillers, qualifiers,
//! continuations, estimate, target, five-year and flow words) are tables in
//! `data/figure_words.toml` ([`crate::words`]).

use crate::metrics::{MetricMention, MetricTable};
use crate::model::{Change, ChangeType, Fact, Kind, Qualifier};
use crate::numbers::{parse_chinese, scan_arabic};
use crate::units::Units;
use crate::words::Words;
use gwr_doc::{DocType, Document, Role};
use gwr_text::{Budget, ReadError};
use std::ops::Range;
use std::sync::LazyLock;

/// What a figure is.
#[derive(Debug, Clone, PartialEq)]
enum Figure {
    Level {
        value: Option<f64>,
        unit: String,
        /// The start of a "从X增加到Y" pair.
        from: bool,
        qualifier: Option<Qualifier>,
        lo: Option<f64>,
        hi: Option<f64>,
        stretch: Option<f64>,
    },
    Change(Change),
}

#[derive(Debug, Clone)]
enum Item {
    Metric(MetricMention),
    /// A metric name after 占 (a share of it): ends the subject.
    Share(usize),
    Figure {
        span: Range<usize>,
        figure: Figure,
        /// Explicit year of the figure (2007年产量…).
        year: Option<i32>,
        /// Base year of a change (比2002年增长…).
        base: Option<i32>,
    },
    Fenbie(usize),
    Semicolon(usize),
}

impl Item {
    fn start(&self) -> usize {
        match self {
            Item::Metric(m) => m.start,
            Item::Share(p) | Item::Fenbie(p) | Item::Semicolon(p) => *p,
            Item::Figure { span, .. } => span.start,
        }
    }
}

/// Read the figure whose number starts at `at` (an Arabic number already
/// scanned: `num`); returns the figure and the end of what it consumed.
fn read_figure(
    s: &str,
    num: Range<usize>,
    value: f64,
    units: &Units,
    rate: bool,
    growth_name: Option<bool>,
) -> Option<(Figure, usize)> {
    let mut end = num.end;
    let after = &s[end..];
    // Range "6%－6.5%" or "6-6.5%".
    let mut lo_hi: Option<(f64, f64)> = None;
    let mut unit_name: Option<&str> = None;
    let mut pp = false;
    let mut times = false;
    let take_unit = |rest: &str| -> Option<(&str, usize, bool, bool)> {
        if rest.starts_with("个百分点") {
            return Some(("个百分点", "个百分点".len(), true, false));
        }
        if rest.starts_with('倍') {
            return Some(("倍", '倍'.len_utf8(), false, true));
        }
        if rest.starts_with('成') {
            return Some(("成", '成'.len_utf8(), false, false));
        }
        units
            .at_start(rest)
            .map(|u| (u.name.as_str(), u.name.len(), false, false))
    };
    // 百分之十一: the unit stands before the number.
    let percent_before = s[..num.start].ends_with("百分之");
    // 300多亿元 · 20余万人: a floor, the unit after the 多.
    let more_between = ['多', '余']
        .into_iter()
        .find(|m| after.starts_with(*m) && take_unit(&after[m.len_utf8()..]).is_some());
    let first_unit = if percent_before {
        Some(("%", 0, false, false))
    } else if let Some(m) = more_between {
        take_unit(&after[m.len_utf8()..]).map(|(n, l, p, t)| (n, l + m.len_utf8(), p, t))
    } else {
        take_unit(after)
    };
    let after_unit = first_unit.as_ref().map_or(0, |u| u.1);
    let rest = &s[end + after_unit..];
    let dash = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '－' | '—' | '~' | '～' | '至'));
    if let Some(d) = dash {
        let r2 = &rest[d.len_utf8()..];
        if let Some(n2) = crate::numbers::arabic_at_start(r2).filter(|n| !n.masked) {
            let e2 = end + after_unit + d.len_utf8() + n2.span.end;
            if let Some(u2) = take_unit(&s[e2..]) {
                lo_hi = Some((value, n2.value));
                end = e2;
                unit_name = Some(u2.0);
                pp = u2.2;
                times = u2.3;
                end += u2.1;
            }
        }
    }
    if lo_hi.is_none() {
        let (name, len, p, t) = first_unit?;
        unit_name = Some(name);
        pp = p;
        times = t;
        end += len;
    }
    let unit_name = unit_name?;
    let words = Words::builtin();
    // Qualifier after the figure.
    let mut qualifier = more_between.map(|_| Qualifier::AtLeast);
    if let Some((w, q)) = words.after_qualifiers.start_of(&s[end..]) {
        qualifier = Some(*q);
        end += w.len();
    }
    // Verb and qualifier before the figure, within the clause.
    // Only the clause's last words matter: look back at most 256 bytes.
    let window = back_window(s, num.start, 256);
    let clause_start = s[window..num.start]
        .rfind(['，', '；', '。', '、', '：', '（', '）'])
        .map_or(window, |i| {
            window + i + s[window + i..].chars().next().map_or(1, char::len_utf8)
        });
    let mut before = trim_end_str(&s[clause_start..num.start], "百分之");
    let mut before_q = None;
    let mut kept_at_most = false;
    loop {
        let mut changed = false;
        for (w, q) in &words.before_qualifiers {
            if !words.before_qualifiers.words.may_end(before) {
                break;
            }
            if before.as_bytes().last() != w.as_bytes().last() {
                continue;
            }
            if let Some(b) = before.strip_suffix(w.as_str()) {
                before_q.get_or_insert(*q);
                before = b;
                changed = true;
            }
        }
        for w in &words.fillers {
            if !words.fillers.may_end(before) {
                break;
            }
            if before.as_bytes().last() != w.as_bytes().last() {
                continue;
            }
            if let Some(b) = before.strip_suffix(w.as_str()) {
                if words.at_most_fillers.contains(w) {
                    kept_at_most = true;
                }
                before = b;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let verb = words
        .change_verbs
        .end_of(before)
        .map(|(v, sign)| (v, *sign))
        .or_else(|| {
            // 实现年均8%的增长 · 保持年均7%左右的增速: the verb after the figure.
            let avg = words.average_words.ends(before);
            let tail: String = s[end..]
                .strip_prefix('的')?
                .chars()
                .take_while(|c| !"，。；、".contains(*c))
                .take(8)
                .collect();
            (avg && words.growth_name_endings.ends(&tail)).then_some(("年均增长", 1.0))
        });
    // "下降到1.5%" reads a level: a verb followed by 到 or 至.
    let to_level = words.to_level.ends(before);
    let (lo, hi) = lo_hi.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let qualifier = bound_rule(lo_hi.is_some(), qualifier, before_q);
    let value = if lo_hi.is_some() { None } else { Some(value) };
    let avg_before = verb.is_some_and(|(v, _)| {
        let head = trim_end_str(&before[..before.len() - v.len()], "分别");
        words.average_words.ends(head)
    }) || verb.is_none() && growth_name == Some(true);
    let change_kind = |verb: &str| {
        if words.average_words.starts(verb) || avg_before {
            ChangeType::AvgGrowthPct
        } else {
            ChangeType::GrowthPct
        }
    };
    let figure = if times {
        let v = value?;
        match verb {
            Some((vw, sign)) => Figure::Change(Change {
                kind: change_kind(vw),
                value: Some(sign * v * 100.0),
                qualifier,
                lo: None,
                hi: None,
                stretch: None,
            }),
            None if before.ends_with('的') && masked_year_before(&s[..num.start]) => return None,
            None if before.ends_with('的') => Figure::Change(Change {
                kind: ChangeType::Times,
                value: Some(v),
                qualifier,
                lo: None,
                hi: None,
                stretch: None,
            }),
            None => return None,
        }
    } else if pp {
        let sign = verb.map_or(1.0, |(_, s)| s);
        Figure::Change(Change {
            kind: ChangeType::Pp,
            value: value.map(|v| v * sign),
            qualifier,
            lo: lo.map(|v| v * sign),
            hi: hi.map(|v| v * sign),
            stretch: None,
        })
    } else if unit_name == "成" {
        // 增长三成: tenths, only as a change.
        let (vw, sign) = verb?;
        Figure::Change(Change {
            kind: change_kind(vw),
            value: value.map(|v| v * sign * 10.0),
            qualifier,
            lo: None,
            hi: None,
            stretch: None,
        })
    } else if unit_name == "%" && !rate && !to_level {
        let (vw, sign) = verb.unwrap_or(("", 1.0));
        if verb.is_none() && growth_name.is_none() {
            // A bare percentage after a metric that is no rate: a share or
            // a completion rate, not the metric itself.
            return None;
        }
        Figure::Change(Change {
            kind: change_kind(vw),
            value: value.map(|v| v * sign),
            qualifier: qualifier.or(kept_at_most.then_some(Qualifier::AtMost)),
            lo: lo.map(|v| v * sign),
            hi: hi.map(|v| v * sign),
            stretch: None,
        })
    } else {
        if verb.is_some() && !to_level {
            // An absolute increase (增加1501亿元) is no level.
            return None;
        }
        let from = words.from_words.ends(before)
            || (words.from_words.iter())
                .filter_map(|w| {
                    // The gap is at most 7 characters: 64 bytes hold it and the word.
                    let w0 = back_window(s, num.start, 64);
                    memchr::memmem::rfind(&s.as_bytes()[w0..num.start], w.as_bytes())
                        .map(|k| w0 + k)
                })
                .max()
                .is_some_and(|k| {
                    let gap = &s[k..num.start];
                    gap.chars().count() <= 7 && gap.contains('年') && !gap.contains(['，', '；'])
                });
        Figure::Level {
            value,
            unit: unit_name.to_string(),
            from,
            qualifier: qualifier.or(kept_at_most.then_some(Qualifier::AtMost)),
            lo,
            hi,
            stretch: None,
        }
    };
    // A stretch figure: "、力争5.5%" or "，力争增长12%".
    let mut figure = figure;
    let tail = &s[end..];
    let stretch = tail
        .strip_prefix(['、', '，', '；'])
        .and_then(|r| (words.stretch_words.iter()).find_map(|w| r.strip_prefix(w.as_str())));
    if let Some(r) = stretch {
        let mut off = end + (tail.len() - r.len());
        let mut r = r;
        for v in &words.stretch_verbs {
            if let Some(x) = r.strip_prefix(v.as_str()) {
                off += v.len();
                r = x;
            }
        }
        if let Some(n) = crate::numbers::arabic_at_start(r).filter(|n| !n.masked) {
            let e = off + n.span.end;
            let unit_len = take_unit(&s[e..]).map_or(0, |u| u.1);
            match &mut figure {
                Figure::Change(c) => c.stretch = Some(n.value),
                Figure::Level { stretch, .. } => *stretch = Some(n.value),
            }
            end = e + unit_len;
            if let Some((w, _)) = words.after_qualifiers.start_of(&s[end..]) {
                end += w.len();
            }
        }
    }
    Some((figure, end))
}

/// `s` without every `suffix` it ends with, as `trim_end_matches(suffix)`
/// gives it, by comparing the end rather than building a searcher.
fn trim_end_str<'a>(mut s: &'a str, suffix: &str) -> &'a str {
    if suffix.is_empty() {
        return s;
    }
    while let Some(rest) = s.strip_suffix(suffix) {
        s = rest;
    }
    s
}

/// The char boundary at most `max` bytes before `at` (a bound on how far a
/// rule looks back, so a long clause costs no more than a short one).
fn back_window(s: &str, at: usize, max: usize) -> usize {
    let mut w = at.saturating_sub(max);
    while !s.is_char_boundary(w) {
        w += 1;
    }
    w
}

/// Bound rule of a figure: a range is a range ("增长6%－6.5%"); else the
/// word after the figure ("6%左右", "2万人以上": `after_qualifiers`) wins
/// over the word before it ("超过2万人", "约6%": `before_qualifiers`).
/// (A level or percentage 控制在 … with neither is at most: `at_most_fillers`.)
fn bound_rule(
    range: bool,
    after: Option<Qualifier>,
    before: Option<Qualifier>,
) -> Option<Qualifier> {
    if range {
        Some(Qualifier::Range)
    } else {
        after.or(before)
    }
}

/// Does a masked year (20xx年) stand in the clause before a position?
fn masked_year_before(head: &str) -> bool {
    let clause = head.rsplit(['，', '；', '。']).next().unwrap_or(head);
    scan_arabic(clause)
        .iter()
        .any(|n| n.masked && clause[n.span.end..].starts_with('年'))
}

fn is_rate(table: &MetricTable, m: &MetricMention) -> bool {
    m.metrics.len() == 1 && table.metrics[m.metrics[0]].rate
}

/// How a year mark relates to the figures after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// The year a figure is about (2007年产量…).
    Year,
    /// A base year for the changes of its clause (比2002年增长…).
    ClauseBase,
    /// A base year for the rest of the sentence (2005年与2000年相比，…).
    SentenceBase,
}

/// Years written in a sentence: (position, year or `None` when masked, role).
/// `numbers` are the sentence's numbers as [`figure_numbers`] gives them:
/// every Arabic number of it (its Chinese numerals are passed over here).
fn year_marks(s: &str, numbers: &[crate::numbers::NumberToken]) -> Vec<(usize, Option<i32>, Mark)> {
    let words = Words::builtin();
    let sentence_base = |after: &str| words.sentence_base_after.starts(after);
    let compared = |before: &str| words.comparison_words.ends(before);
    let multiple_of = |before: &str| words.multiple_of_words.ends(before);
    let mut out = Vec::new();
    for n in numbers.iter().filter(|n| !n.chinese) {
        let len = n.span.end - n.span.start;
        if len == 4 && s[n.span.end..].starts_with('年') {
            let y = (!n.masked).then_some(n.value as i32);
            let before = &s[..n.span.start];
            let after = &s[n.span.end + '年'.len_utf8()..];
            let mark = if sentence_base(after) {
                Mark::SentenceBase
            } else if compared(before) || multiple_of(before) && after.starts_with('的') {
                Mark::ClauseBase
            } else {
                Mark::Year
            };
            out.push((n.span.start, y, mark));
        }
    }
    // Years in Chinese numerals (一九五七年), in reports before 2000.
    for (start, end) in chinese_years(s) {
        let digits = &s[start..end - '年'.len_utf8()];
        let Some(y) = gwr_doc::time::parse_year(digits) else {
            continue;
        };
        let before = &s[..start];
        let after = &s[end..];
        let mark = if sentence_base(after) {
            Mark::SentenceBase
        } else if compared(before) {
            Mark::ClauseBase
        } else {
            Mark::Year
        };
        out.push((start, Some(y), mark));
    }
    // A plan period as base: 是“十五”的4.2倍 · 比“十一五”末增长 (its last year).
    for (r, (_, end)) in gwr_doc::time::Calendar::builtin().plans_in(s) {
        let before = s[..r.start].trim_end_matches('“');
        if multiple_of(before) || compared(before) {
            out.push((r.start, Some(end), Mark::ClauseBase));
        }
    }
    out.sort_by_key(|m| m.0);
    out
}

/// Years written in four Chinese numerals (一九五七年): the spans of the
/// four numerals and their 年, found from each 年 (every numeral of the
/// class is three bytes long, so the four stand in the twelve bytes before).
fn chinese_years(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    static NIAN: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("年"));
    let numeral = |c: char| "一二三四五六七八九〇○零".contains(c);
    NIAN.find_iter(s.as_bytes()).filter_map(move |at| {
        let start = at.checked_sub(12)?;
        let digits = s.get(start..at)?;
        (digits.chars().count() == 4 && digits.chars().all(numeral))
            .then_some((start, at + '年'.len_utf8()))
    })
}

/// A bare figure in a list after a change ("增长11.7%、8.6%"): a change of
/// the same kind and sign.
fn listed_change(
    s: &str,
    items: &[Item],
    n: &crate::numbers::NumberToken,
    units: &Units,
) -> Option<(Figure, usize)> {
    let Some(Item::Figure {
        span,
        figure: Figure::Change(prev),
        ..
    }) = items.last()
    else {
        return None;
    };
    let gap = &s[span.end..n.span.start];
    if !matches!(gap, "、" | "和" | "与" | "及" | "，") {
        return None;
    }
    let after = &s[n.span.end..];
    let (unit_len, ok) = if after.starts_with("个百分点") {
        ("个百分点".len(), prev.kind == ChangeType::Pp)
    } else {
        let u = units.at_start(after)?;
        (u.name.len(), u.is_percent() && prev.kind != ChangeType::Pp)
    };
    if !ok {
        return None;
    }
    let sign = if prev.value.is_some_and(|v| v < 0.0) {
        -1.0
    } else {
        1.0
    };
    let mut end = n.span.end + unit_len;
    let mut qualifier = None;
    if let Some((w, q)) = Words::builtin().after_qualifiers.start_of(&s[end..]) {
        qualifier = Some(*q);
        end += w.len();
    }
    Some((
        Figure::Change(Change {
            kind: prev.kind,
            value: Some(sign * n.value),
            qualifier,
            lo: None,
            hi: None,
            stretch: None,
        }),
        end,
    ))
}

/// Does the clause before a metric name have a subject of its own, a part
/// of the region (开发区实现固定资产投资…)? Then the figure is about that
/// part. Known lead words, territory prefixes and years are no subject; a
/// part is told by its last word (园区, 小镇, 企业, …: `part_suffixes`).
fn own_subject(s: &str, at: usize, table: &MetricTable) -> bool {
    let start = s[..at]
        .rfind(['，', '；', '。', '：', '、', '（', '“', '”'])
        .map_or(0, |k| k + s[k..].chars().next().map_or(1, char::len_utf8));
    let clause = &s[start..at];
    if clause.chars().count() < 2 {
        return false;
    }
    let noise = table.subject_noise();
    let cleaned;
    let rest = if noise.found_in(clause) {
        let mut rest = clause.to_string();
        for w in noise {
            if rest.contains(w.as_str()) {
                rest = rest.replace(w.as_str(), "");
            }
        }
        cleaned = rest;
        cleaned.as_str()
    } else {
        clause
    };
    let rest = rest.trim_end_matches(|c: char| !('\u{4e00}'..='\u{9fff}').contains(&c));
    rest.chars().count() >= 2 && table.part_suffixes.ends(rest)
}

/// The numbers of a sentence that may be figures, in text order: every
/// Arabic number, and the Chinese numerals with a unit after them (two
/// 万人 · 三成 · 百分之十), not counts of a few things (三个坚持) unless a
/// verb of doing comes before.
fn figure_numbers(s: &str, units: &Units) -> Vec<crate::numbers::NumberToken> {
    let words = Words::builtin();
    let mut numbers = scan_arabic(s);
    for mut n in crate::numbers::scan_chinese(s) {
        // "两万人" is written 两 + 万人: keep the scale with the unit.
        if let Some(last) = s[n.span.clone()].chars().last()
            && matches!(last, '万' | '亿')
        {
            let cut = n.span.end - last.len_utf8();
            if cut > n.span.start
                && units
                    .at_start(&s[cut..])
                    .is_some_and(|u| u.name.chars().count() > 1)
                && let Some(v) = crate::numbers::parse_scale_head(&s[n.span.start..cut])
            {
                n.span.end = cut;
                n.value = v;
            }
        }
        // A Chinese numeral is a figure only with a unit after it, and a
        // small count (三个坚持, 八项规定, 三次全会) only after a verb of doing.
        let after = &s[n.span.end..];
        let head = &s[..n.span.start];
        if head.ends_with(['届', '第', '“']) || head.ends_with("做到") || after.starts_with("分之")
        {
            continue;
        }
        let small_count = !after.starts_with("个百分点")
            && units.at_start(after).is_some_and(|u| {
                u.dimension == "count" && words.small_count_units.contains(&u.name)
            });
        if small_count && !words.doing_verbs.ends(head) {
            continue;
        }
        if after.starts_with("个百分点")
            || after.starts_with('成')
            || head.ends_with("百分之")
            || units.at_start(after).is_some()
        {
            numbers.push(n);
        }
    }
    numbers.sort_by_key(|n| n.span.start);
    numbers
}

/// Can a sentence with these figure numbers give a figure? Only with a
/// number, or a doubling (翻一番) or a multiple (增长两倍).
fn may_give_figures(s: &str, numbers: &[crate::numbers::NumberToken]) -> bool {
    !numbers.is_empty() || s.contains(['翻', '倍'])
}

/// Tokenize a sentence into items.
#[cfg(test)]
fn items(s: &str, table: &MetricTable, units: &Units, national: bool) -> Vec<Item> {
    items_with(s, table, units, national, figure_numbers(s, units))
}

/// Tokenize a sentence into items, its figure numbers found.
fn items_with(
    s: &str,
    table: &MetricTable,
    units: &Units,
    national: bool,
    numbers: Vec<crate::numbers::NumberToken>,
) -> Vec<Item> {
    let words = Words::builtin();
    let mut items: Vec<Item> = Vec::new();
    let mentions = table.mentions(s, national);
    let years = year_marks(s, &numbers);
    let mut mi = 0;
    // Rate status of the metric most recently named.
    let mut last_rate = false;
    let mut last_growth = false;
    let mut last_avg = false;
    let mut events: Vec<Item> = Vec::new();
    // Elided names in a list: "规上工业总产值、增加值" names 规上工业增加值.
    let mut elided = Vec::new();
    for m in &mentions {
        let Some(rest) = s[m.end..].strip_prefix('、') else {
            continue;
        };
        let item: String = rest
            .chars()
            .take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .take(6)
            .collect();
        let item = item.split("分别").next().unwrap_or("").to_string();
        if item.chars().count() < 2 || table.lookup(&item, national).is_some_and(|v| !v.is_empty())
        {
            continue;
        }
        let name = &s[m.start..m.end];
        let chars: Vec<(usize, char)> = name.char_indices().collect();
        let start = m.end + '、'.len_utf8();
        let mut found = false;
        for k in (1..chars.len()).rev() {
            let cand = format!("{}{}", &name[..chars[k].0], item);
            if let Some(ids) = table.lookup(&cand, national).filter(|v| !v.is_empty()) {
                elided.push(MetricMention {
                    start,
                    end: start + item.len(),
                    metrics: ids,
                });
                found = true;
                break;
            }
        }
        // An elided name that is no headline metric (粮食总产、单产分别增长…)
        // still takes its own figure of the 分别 list.
        if !found && s[start + item.len()..].starts_with("分别") {
            elided.push(MetricMention {
                start,
                end: start + item.len(),
                metrics: Vec::new(),
            });
        }
    }
    let mut mentions = mentions;
    mentions.extend(elided);
    mentions.sort_by_key(|m| m.start);
    // A sentence that opens on a part of the economy (聚焦…三个产业赛道，…)
    // gives figures about that part.
    let first_clause = s.split(['，', '；']).next().unwrap_or("");
    let part_topic = words.part_topic_openers.starts(first_clause)
        && (table.part_suffixes.found_in(first_clause)
            || words.part_topic_words.found_in(first_clause));
    for mut m in mentions {
        if part_topic || table.is_modified(s, m.start) || own_subject(s, m.start, table) {
            m.metrics.clear();
        }
        let before = &s[..m.start];
        let after = &s[m.end..];
        if words.share_before.ends(before) || words.share_after.starts(after) {
            events.push(Item::Share(m.start));
        } else {
            events.push(Item::Metric(m));
        }
    }
    // By memmem: a search for a character by its last byte, which is common
    // in Chinese text, stops too often.
    use memchr::memmem::Finder;
    static FENBIE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("分别"));
    static SEMICOLON: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("；"));
    static FAN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("翻"));
    for i in FENBIE.find_iter(s.as_bytes()) {
        events.push(Item::Fenbie(i));
    }
    for i in SEMICOLON.find_iter(s.as_bytes()) {
        events.push(Item::Semicolon(i));
    }
    events.sort_by_key(Item::start);
    let mut k = 0;
    let mut consumed_to = 0;
    let mut ev = events.into_iter().peekable();
    while k < numbers.len() || ev.peek().is_some() {
        let next_num = numbers.get(k).map(|n| n.span.start);
        let take_event = match (ev.peek(), next_num) {
            (Some(e), Some(p)) => e.start() <= p,
            (Some(_), None) => true,
            _ => false,
        };
        if take_event {
            if let Some(e) = ev.next() {
                if e.start() < consumed_to {
                    continue;
                }
                if let Item::Metric(m) = &e {
                    last_rate = is_rate(table, m);
                    // A name that is itself a growth rate (经济增长, 增速).
                    let name = &s[m.start..m.end];
                    last_growth = words.growth_name_endings.ends(name);
                    last_avg = words.average_words.found_in(name);
                    mi += 1;
                }
                if let Item::Share(_) = &e {
                    last_rate = false;
                    last_growth = false;
                }
                items.push(e);
            }
            continue;
        }
        let n = numbers[k].clone();
        k += 1;
        if n.span.start < consumed_to || n.masked {
            continue;
        }
        let before = &s[..n.span.start];
        if before.ends_with('第') || s[n.span.end..].starts_with('年') {
            continue;
        }
        let listed = listed_change(s, &items, &n, units);
        if let Some((figure, end)) = read_figure(
            s,
            n.span.clone(),
            n.value,
            units,
            last_rate,
            last_growth.then_some(last_avg),
        )
        .or(listed)
        {
            // The explicit year: a year mark earlier in the same clause, or
            // at the head of the sentence.
            let clause_start = before.rfind(['，', '；']).unwrap_or(0);
            let mut year = None;
            let mut base = None;
            for (p, y, mark) in years.iter().filter(|(p, _, _)| *p < n.span.start) {
                match mark {
                    Mark::SentenceBase => base = *y,
                    Mark::ClauseBase if *p >= clause_start => base = *y,
                    Mark::Year if *p >= clause_start || *p == 0 => year = *y,
                    _ => {}
                }
            }
            items.push(Item::Figure {
                span: n.span.start..end,
                figure,
                year,
                base,
            });
            consumed_to = end;
            // Skip numbers consumed (range ends, stretch figures).
            while k < numbers.len() && numbers[k].span.start < end {
                k += 1;
            }
        }
    }
    let _ = mi;
    // "翻一番" / "翻两番" / "翻番": times 2^n.
    for i in FAN.find_iter(s.as_bytes()) {
        // 翻一番 · 翻了一番多 · 翻两番 · 翻番 · 翻倍
        let rest = &s[i + '翻'.len_utf8()..];
        let rest = rest.strip_prefix('了').unwrap_or(rest);
        let n = if rest.starts_with('番') || rest.starts_with('倍') {
            Some(1.0)
        } else {
            let num: String = rest
                .chars()
                .take_while(|c| crate::numbers::is_cn_numeral_char(*c))
                .collect();
            if rest[num.len()..].starts_with('番') {
                parse_chinese(&num)
            } else {
                None
            }
        };
        if let Some(n) = n {
            let mark = rest.find(['番', '倍']).map_or(0, |x| x + '番'.len_utf8());
            let tail = &rest[mark..];
            let more = (words.more_after_doubling.iter()).find(|m| tail.starts_with(m.as_str()));
            let end = s.len() - tail.len() + more.map_or(0, |m| m.len());
            let qualifier = more.map(|_| Qualifier::AtLeast);
            let clause_start = s[..i]
                .rfind(['，', '；'])
                .map_or(0, |k| k + '，'.len_utf8());
            let mut year = None;
            let mut base = None;
            for (p, y, mark) in years.iter().filter(|(p, _, _)| *p < i) {
                match mark {
                    Mark::SentenceBase => base = *y,
                    Mark::ClauseBase if *p >= clause_start => base = *y,
                    Mark::Year if *p >= clause_start || *p == 0 => year = *y,
                    _ => {}
                }
            }
            items.push(Item::Figure {
                span: i..end,
                figure: Figure::Change(Change {
                    kind: ChangeType::Times,
                    value: Some(2f64.powf(n)),
                    qualifier,
                    lo: None,
                    hi: None,
                    stretch: None,
                }),
                year,
                base,
            });
        }
    }
    // "增长两倍": Chinese multiples not read above.
    let covered: Vec<Range<usize>> = items
        .iter()
        .filter_map(|it| match it {
            Item::Figure { span, .. } => Some(span.clone()),
            _ => None,
        })
        .collect();
    for (i, _) in s.match_indices('倍') {
        if covered.iter().any(|r| r.start <= i && i < r.end) {
            continue;
        }
        let head = &s[..i];
        let num: String = head
            .chars()
            .rev()
            .take_while(|c| crate::numbers::is_cn_numeral_char(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if num.is_empty() {
            continue;
        }
        let start = i - num.len();
        if let (Some(v), Some((_, sign))) =
            (parse_chinese(&num), words.change_verbs.end_of(&s[..start]))
        {
            items.push(Item::Figure {
                span: start..i + '倍'.len_utf8(),
                figure: Figure::Change(Change {
                    kind: ChangeType::GrowthPct,
                    value: Some(sign * v * 100.0),
                    qualifier: None,
                    lo: None,
                    hi: None,
                    stretch: None,
                }),
                year: None,
                base: None,
            });
        }
    }
    items.sort_by_key(Item::start);
    items
}

/// A change with its span, explicit year and base year.
type Placed = (Change, Range<usize>, Option<i32>, Option<i32>);

/// A subject figures attach to: the metrics of one name, or an unnamed one.
#[derive(Debug, Clone)]
struct Slot {
    /// Metric name span (sentence-relative); empty for an unnamed subject.
    name: Range<usize>,
    metrics: Vec<usize>,
    level: Option<(Figure, Range<usize>, Option<i32>)>,
    change: Option<Placed>,
    /// Start of the evidence.
    from: usize,
    to: usize,
}

impl Slot {
    fn new(name: Range<usize>, metrics: Vec<usize>, from: usize) -> Slot {
        Slot {
            to: name.end,
            name,
            metrics,
            level: None,
            change: None,
            from,
        }
    }
}

/// Does the text between a subject and a figure keep the subject?
fn continues_subject(between: &str) -> bool {
    // A short note in brackets (预计数，下同) stands outside the sentence.
    let owned;
    let between = match (between.find('（'), between.rfind('）')) {
        (Some(a), Some(b)) if a < b && between[a..b].chars().count() <= 12 => {
            owned = format!("{}{}", &between[..a], &between[b + '）'.len_utf8()..]);
            owned.as_str()
        }
        _ => between,
    };
    if between.contains(['；', '。']) {
        return false;
    }
    match between.rfind('，') {
        None => true,
        Some(i) => {
            let clause = &between[i + '，'.len_utf8()..];
            let words = Words::builtin();
            let mut c = clause;
            for t in &words.continuation_time_words {
                c = c.strip_prefix(t.as_str()).unwrap_or(c);
            }
            if let Some(k) = c
                .find('年')
                .filter(|k| *k == 4 && c[..*k].bytes().all(|b| b.is_ascii_digit()))
            {
                c = &c[k + '年'.len_utf8()..];
            }
            // Only a time word before the figure (，五年翻了一番) goes on too.
            clause.chars().count() <= 16 && (c.is_empty() || words.continuations.starts(c))
        }
    }
}

/// Group the items of a sentence into slots.
fn assign(s: &str, items: Vec<Item>) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Vec::new();
    // The slots of the subject named last (several for a compound name or a
    // list of names).
    let mut current: Option<(usize, usize)> = None;
    // Slots since the start of the sentence, the last ； or the last 分别 list.
    let mut group_start = 0usize;
    // The slots the last list was handed out to: a second list (达X、Y,
    // 增长a和b) or a 均 figure after it belongs to them too.
    let mut prev_group: Option<(usize, usize)> = None;
    let mut last_end = 0usize;
    let mut i = 0;
    let clause_start = |p: usize| {
        s[..p]
            .rfind(['，', '；', '：'])
            .map_or(0, |k| k + '，'.len_utf8())
    };
    while i < items.len() {
        match &items[i] {
            Item::Metric(m) => {
                let from = clause_start(m.start);
                // Names listed with 、 or 和 and no figure between share the
                // figure that follows them.
                let listed = current.is_some_and(|(a, b)| {
                    b > a
                        && slots[a..b]
                            .iter()
                            .all(|x| x.level.is_none() && x.change.is_none())
                        && {
                            let gap = &s[last_end.min(m.start)..m.start];
                            matches!(gap, "、" | "和" | "与" | "及" | "以及")
                        }
                });
                let first = slots.len();
                let metrics = if m.metrics.is_empty() {
                    vec![usize::MAX]
                } else {
                    m.metrics.clone()
                };
                for id in metrics {
                    let ids = if id == usize::MAX {
                        Vec::new()
                    } else {
                        vec![id]
                    };
                    slots.push(Slot::new(m.start..m.end, ids, from));
                }
                current = match (listed, current) {
                    (true, Some((a, _))) => Some((a, slots.len())),
                    _ => Some((first, slots.len())),
                };
                last_end = m.end;
            }
            Item::Share(_) => {
                current = None;
            }
            Item::Semicolon(p) => {
                current = None;
                group_start = slots.len();
                last_end = *p;
            }
            Item::Fenbie(p) => {
                // The figures after 分别, up to the next name or ；, while
                // they are of one sort (levels, then changes: 分别达到X元和Y元，
                // 增长a%和b% hands the changes out as a list of their own).
                let mut figs: Vec<Listed> = Vec::new();
                let mut j = i + 1;
                while let Some(Item::Figure {
                    span,
                    figure,
                    year,
                    base,
                }) = items.get(j)
                {
                    if figs.first().is_some_and(|f| {
                        matches!(f.1, Figure::Change(_)) != matches!(figure, Figure::Change(_))
                    }) {
                        break;
                    }
                    figs.push((span.clone(), figure.clone(), *year, *base));
                    j += 1;
                }
                // A second 分别 list (分别达到X元和Y元，分别增长a%和b%) goes to
                // the subjects of the first when none waits in this group.
                let changes = figs
                    .first()
                    .is_some_and(|f| matches!(f.1, Figure::Change(_)));
                let target = list_target(&slots, group_start, prev_group, changes, figs.len());
                distribute(&mut slots, target, figs, *p);
                prev_group = Some((target, slots.len()));
                group_start = slots.len();
                current = None;
                i = j;
                continue;
            }
            Item::Figure {
                span,
                figure,
                year,
                base,
            } => {
                // A bare list of changes (实际增长9.8%和8.5%) after several
                // subjects waiting for one: hand it out like 分别.
                let mut list = vec![(span.clone(), figure.clone(), *year, *base)];
                let mut j = i + 1;
                while let Some(Item::Figure {
                    span: sp,
                    figure: f,
                    year: y,
                    base: b,
                }) = items.get(j)
                {
                    let gap = &s[list[list.len() - 1].0.end..sp.start];
                    if matches!(gap, "、" | "和" | "与" | "及")
                        && matches!(f, Figure::Change(_)) == matches!(figure, Figure::Change(_))
                    {
                        list.push((sp.clone(), f.clone(), *y, *b));
                        j += 1;
                    } else {
                        break;
                    }
                }
                if list.len() > 1 {
                    let changes = matches!(figure, Figure::Change(_));
                    let target = list_target(&slots, group_start, prev_group, changes, list.len());
                    distribute(&mut slots, target, list, span.start);
                    prev_group = Some((target, slots.len()));
                    group_start = slots.len();
                    current = None;
                    i = j;
                    continue;
                }
                // 均比2006年翻一番: one figure for every subject of the list before.
                if current.is_none()
                    && let Some((a, b)) = prev_group
                    && b == slots.len()
                    && s[clause_start(span.start)..span.start].starts_with('均')
                {
                    // Each subject gets its own copy (it may hold a change already).
                    let from = clause_start(span.start);
                    let copies: Vec<Slot> = slots[a..b]
                        .iter()
                        .filter(|x| !x.name.is_empty())
                        .map(|x| {
                            let mut c = Slot::new(x.name.clone(), x.metrics.clone(), from);
                            put(&mut c, figure, span.clone(), *year, *base);
                            c
                        })
                        .collect();
                    slots.extend(copies);
                    last_end = span.end;
                    i += 1;
                    continue;
                }
                let milestone = {
                    let between = &s[last_end.min(span.start)..span.start];
                    Words::builtin().milestone_words.found_in(between)
                };
                let keep = current.is_some_and(|(a, b)| {
                    let between = &s[last_end.min(span.start)..span.start];
                    continues_subject(between)
                        && slots[a..b].iter().all(|sl| match figure {
                            Figure::Level { qualifier, .. } => {
                                sl.level.is_none()
                                    || year.is_some()
                                    // A milestone after the level (602亿元，首次突破
                                    // 600亿元大关) is a second level of the subject.
                                    || *qualifier == Some(Qualifier::AtLeast)
                                        && milestone
                                    || matches!(
                                        sl.level,
                                        Some((Figure::Level { from: true, .. }, _, _))
                                    )
                            }
                            Figure::Change(c) => sl
                                .change
                                .as_ref()
                                .is_none_or(|(old, ..)| old.kind != c.kind),
                        })
                });
                match current {
                    Some((a, b)) if keep => {
                        let second_level =
                            matches!(figure, Figure::Level { .. }) && slots[a].level.is_some();
                        let second_change =
                            matches!(figure, Figure::Change(_)) && slots[a].change.is_some();
                        if second_level || second_change {
                            // A second level in another year: new slots.
                            let from = clause_start(span.start);
                            let copies: Vec<Slot> = slots[a..b]
                                .iter()
                                .map(|x| Slot::new(x.name.clone(), x.metrics.clone(), from))
                                .collect();
                            let first = slots.len();
                            slots.extend(copies);
                            current = Some((first, slots.len()));
                        }
                        let (a, b) = current.unwrap_or((a, b));
                        for sl in &mut slots[a..b] {
                            put(sl, figure, span.clone(), *year, *base);
                        }
                    }
                    _ => {
                        // A figure without a named subject.
                        let mut sl =
                            Slot::new(span.start..span.start, Vec::new(), clause_start(span.start));
                        put(&mut sl, figure, span.clone(), *year, *base);
                        slots.push(sl);
                        current = None;
                    }
                }
                last_end = span.end;
            }
        }
        i += 1;
    }
    slots
}

fn put(slot: &mut Slot, figure: &Figure, span: Range<usize>, year: Option<i32>, base: Option<i32>) {
    match figure {
        Figure::Level { .. } => slot.level = Some((figure.clone(), span.clone(), year)),
        Figure::Change(c) => slot.change = Some((c.clone(), span.clone(), year, base)),
    }
    slot.to = slot.to.max(span.end);
}

type Listed = (Range<usize>, Figure, Option<i32>, Option<i32>);

/// Where a list of `n` figures goes: to the subjects of this group that wait
/// for such figures, or, when none waits, to the `n` subjects the last list
/// went to (分别达到X元和Y元，增长a%和b%: the changes follow the levels).
fn list_target(
    slots: &[Slot],
    group_start: usize,
    prev_group: Option<(usize, usize)>,
    changes: bool,
    n: usize,
) -> usize {
    let waiting = slots[group_start.min(slots.len())..].iter().any(|sl| {
        (!sl.name.is_empty() || sl.level.is_some())
            && if changes {
                sl.change.is_none()
            } else {
                sl.level.is_none()
            }
    });
    match prev_group {
        Some((a, b)) if !waiting && b == slots.len() && b - a == n => a,
        _ => group_start,
    }
}

/// Hand out listed figures to the waiting slots of the group, in order.
fn distribute(slots: &mut [Slot], group_start: usize, figs: Vec<Listed>, at: usize) {
    if figs.is_empty() || group_start >= slots.len() {
        return;
    }
    let changes = matches!(figs[0].1, Figure::Change(_));
    let group = &mut slots[group_start..];
    // Subjects named (or holding a level) and still waiting for this kind of figure.
    let waiting: Vec<usize> = (0..group.len())
        .filter(|&k| !group[k].name.is_empty() || group[k].level.is_some())
        .filter(|&k| {
            if changes {
                group[k].change.is_none()
            } else {
                group[k].level.is_none()
            }
        })
        .collect();
    if waiting.is_empty() {
        return;
    }
    let end = figs.last().map_or(at, |f| f.0.end);
    if figs.len() == 1 {
        for &k in &waiting {
            put(
                &mut group[k],
                &figs[0].1,
                figs[0].0.clone(),
                figs[0].2,
                figs[0].3,
            );
            group[k].to = end;
        }
        return;
    }
    // With more subjects than figures, the last ones named take them.
    let skip = waiting.len().saturating_sub(figs.len());
    for (k, f) in waiting.iter().skip(skip).zip(figs.iter()) {
        put(&mut group[*k], &f.1, f.0.clone(), f.2, f.3);
        group[*k].to = end;
    }
}

/// The facts of one document. `text` is the file's normalized text.
pub fn extract(text: &str, doc: &Document, table: &MetricTable, units: &Units) -> Vec<Fact> {
    // Without a deadline the budget never runs out.
    extract_within(text, doc, table, units, &Budget::default()).unwrap_or_default()
}

/// [`extract`] within a file's budget: `Err(TimedOut)` once its deadline
/// has passed (checked at every sentence).
pub fn extract_within(
    text: &str,
    doc: &Document,
    table: &MetricTable,
    units: &Units,
    budget: &Budget,
) -> Result<Vec<Fact>, ReadError> {
    let mut out = Vec::new();
    if doc.doc_type == DocType::Glossary {
        return Ok(out);
    }
    let national =
        doc.meta.region.as_deref() == Some("中国") || doc.meta.level.as_deref() == Some("national");
    let review = doc.meta.review_year;
    let plan = doc.meta.plan_year;
    let cal = gwr_doc::time::Calendar::builtin();
    let top_section = |pos: usize| doc.top_section_at(pos);
    // The last year of a plan section's five-year horizon.
    let horizon = plan.map(gwr_doc::time::five_year_end);
    // A five-year period the review covers, named in a heading or a
    // paragraph's first sentence (“十一五”时期回顾和2010年工作).
    let names_term = |t: &str| {
        doc.meta
            .review_span
            .is_some_and(|[a, z]| cal.plans_in(t).iter().any(|(_, p)| *p == (a, z)))
    };
    let words = Words::builtin();
    let body = doc.header.end.max(doc.span.start)..doc.span.end;
    // `estimate_passage`: after （预计，下同） or （预计数，下同）, the rest of
    // the top-level section speaks of estimates.
    let mut estimates_until: Option<usize> = None;
    let scopes = estimate_scopes(text, body.clone());
    for line in gwr_doc::lines::lines_in(text, body) {
        if doc.is_furniture(line.span.start) {
            continue;
        }
        if let Some(k) = estimate_passage(line.text) {
            let top_end = top_section(line.span.start).map_or(line.span.end, |t| t.span.end);
            estimates_until = Some(top_end.max(line.span.start + k));
        }
        if !might_hold_figure(line.text) {
            continue;
        }
        // What the paragraph says of its time, read when a sentence of it
        // first has a figure: where its first five-year cue stands, and
        // whether it speaks of five years.
        let paragraph_time = || {
            let first_sentence = FULL_STOP
                .find(line.text.as_bytes())
                .map_or(line.text, |k| &line.text[..k]);
            // A paragraph that opens on one year ("刚刚过去的2017年", "20xx年，")
            // is about that year even inside a five-year review.
            let opens_on_year = scan_arabic(first_sentence).iter().any(|n| {
                n.span.end - n.span.start == 4 && first_sentence[n.span.end..].starts_with('年')
            }) || words.past_year_openers.found_in(first_sentence);
            // A review section whose period spans several years (the document's
            // time decided it: 过去五年工作回顾, “十一五”时期回顾和2010年工作).
            // A heading that also names a year (2011年政府工作和本届政府期间…)
            // leaves each paragraph to say which it speaks of.
            let section_five = top_section(line.span.start).is_some_and(|t| {
                t.role == Some(Role::Review)
                    && t.period.is_some_and(|[a, z]| a < z)
                    && !t.title.bytes().any(|b| b.is_ascii_digit())
            });
            let cue_at = words.five_year_cues.first_in(line.text);
            let para_five_years = words.five_year_cues.found_in(first_sentence)
                || names_term(first_sentence)
                || section_five && !opens_on_year;
            (cue_at, para_five_years)
        };
        let mut known_time: Option<(Option<usize>, bool)> = None;
        for sr in gwr_doc::lines::sentences(text, line.span.clone()) {
            budget.check()?;
            let s = &text[sr.clone()];
            if !might_hold_figure(s) {
                continue;
            }
            let numbers = figure_numbers(s, units);
            if !may_give_figures(s, &numbers) {
                continue;
            }
            let its = items_with(s, table, units, national, numbers);
            if !its.iter().any(|i| matches!(i, Item::Figure { .. })) {
                continue;
            }
            // Roles, a heading's year included, are the document's to decide.
            let role = doc.role_at(sr.start);
            // A plan section with a five-year horizon (今后五年, “十四五”时期).
            let plan_five = top_section(sr.start).is_some_and(|t| {
                t.role != Some(Role::Review) && t.period.is_some_and(|[a, z]| a < z)
            });
            let passage = estimates_until.is_some_and(|e| sr.start < e);
            let one_year = opens_on_year_sentence(s);
            let (cue_at, para_five_years) = *known_time.get_or_insert_with(paragraph_time);
            let time = TimeContext {
                review,
                plan,
                horizon,
                review_span: doc.meta.review_span,
                // "到2020年" / "到20xx年": the target year of the sentence.
                by_year: by_year(s),
                plan_five,
                five: five_year_rule(
                    para_five_years,
                    cue_at.is_some_and(|c| line.span.start + c < sr.end),
                    one_year,
                ),
                plan_period: plan_period(s),
                one_year,
            };
            let slots = assign(s, its);
            for sl in slots {
                if sl.level.is_none() && sl.change.is_none() {
                    continue;
                }
                let level_unit = sl.level.as_ref().and_then(|(f, span, _)| match f {
                    Figure::Level { unit, .. } => Some((unit.as_str(), span.end)),
                    _ => None,
                });
                if sl.change.is_none()
                    && level_unit.is_some_and(|(unit, end)| {
                        no_figure_rule(unit, s.get(end..).unwrap_or_default())
                    })
                {
                    continue;
                }
                let ids: Vec<Option<usize>> = if sl.metrics.is_empty() {
                    vec![None]
                } else {
                    sl.metrics.iter().map(|m| Some(*m)).collect()
                };
                let name = if sl.name.is_empty() {
                    let fig_start = sl
                        .level
                        .as_ref()
                        .map(|l| l.1.start)
                        .or(sl.change.as_ref().map(|c| c.1.start))
                        .unwrap_or(sl.to);
                    let after =
                        level_unit.map(|(unit, end)| (unit, s.get(end..).unwrap_or_default()));
                    after
                        .and_then(|(unit, after)| counted_noun(unit, after, false))
                        .or_else(|| {
                            let before = phrase_before(s, sl.from, fig_start);
                            // A verb alone names nothing: "实施10公里河道美化"
                            // measures the 河道美化.
                            let noun = bare_verb(&before)
                                .then(|| {
                                    after.and_then(|(unit, after)| counted_noun(unit, after, true))
                                })
                                .flatten();
                            Some(noun.unwrap_or(before))
                        })
                        .unwrap_or_default()
                } else {
                    s[sl.name.clone()].to_string()
                };
                if name.is_empty() {
                    continue;
                }
                // The kind at the slot's first figure.
                let fig_at = sr.start
                    + sl.level
                        .as_ref()
                        .map(|l| l.1.start)
                        .into_iter()
                        .chain(sl.change.as_ref().map(|c| c.1.start))
                        .min()
                        .unwrap_or(sl.from);
                let estimate = passage || in_scope(&scopes, fig_at);
                let list_size = sl.level.as_ref().is_some_and(|(f, span, _)| {
                    matches!(f, Figure::Level { unit, .. } if list_count_rule(unit, &s[span.end..]))
                });
                let kind = if list_size {
                    Kind::Actual
                } else if forecast_rule(role, s.get(..fig_at.saturating_sub(sr.start)).unwrap_or(s))
                {
                    Kind::Forecast
                } else {
                    kind_rule(role, s, estimate)
                };
                for id in ids {
                    let metric = id.map(|i| &table.metrics[i]);
                    let mut f = Fact {
                        metric: name.clone(),
                        metric_id: metric.map(|m| m.id.clone()),
                        kind,
                        year: None,
                        years: None,
                        value: None,
                        unit: None,
                        qualifier: None,
                        lo: None,
                        hi: None,
                        stretch: None,
                        change: None,
                        span: sr.start + sl.from.min(sl.name.start)..sr.start + sl.to,
                        metric_span: sr.start + sl.name.start..sr.start + sl.name.end,
                    };
                    let fits = |unit: &str| {
                        metric
                            .is_none_or(|m| units.get(unit).is_none_or(|u| m.allows(&u.dimension)))
                    };
                    let mut level_time: Option<When> = None;
                    if let Some((
                        Figure::Level {
                            value,
                            unit,
                            qualifier,
                            lo,
                            hi,
                            stretch,
                            from,
                        },
                        _,
                        y,
                    )) = sl
                        .level
                        .as_ref()
                        .filter(|l| matches!(&l.0, Figure::Level { unit, .. } if fits(unit)))
                    {
                        f.value = *value;
                        f.unit = Some(unit.clone());
                        f.qualifier = *qualifier;
                        f.lo = *lo;
                        f.hi = *hi;
                        f.stretch = *stretch;
                        f.qualifier = qualifier_rule(f.qualifier, kind, s);
                        let summed = metric.is_some_and(|m| m.summed);
                        // The flow rule is read only where the time depends on it.
                        let flow = || summed || flow_rule(s, sl.from..sl.to, &name);
                        level_time = Some(time.level_time(*y, kind, *from, flow, summed));
                    }
                    if f.unit.is_none() && sl.change.is_none() {
                        continue;
                    }
                    let mut change_time: Option<When> = None;
                    if let Some((c, _, y, b)) = &sl.change {
                        let mut c = c.clone();
                        c.qualifier = qualifier_rule(c.qualifier, kind, s);
                        change_time = Some(time.change_time(c.kind, *y, *b, kind));
                        f.change = Some(c);
                    }
                    // A level and a change about different times are two facts.
                    match (level_time, change_time) {
                        (Some(l), Some(c)) if l != c => {
                            let mut g = f.clone();
                            g.value = None;
                            g.unit = None;
                            g.qualifier = None;
                            g.lo = None;
                            g.hi = None;
                            g.stretch = None;
                            c.apply(&mut g);
                            f.change = None;
                            l.apply(&mut f);
                            out.push(f);
                            out.push(g);
                            continue;
                        }
                        (Some(t), _) | (None, Some(t)) => t.apply(&mut f),
                        (None, None) => {}
                    }
                    out.push(f);
                }
            }
        }
    }
    Ok(out)
}

/// Kind rule: what a figure is, from the role of its section and the words
/// of its figure.
/// - In the review or the problems: actual, or an estimate when the figure
///   stands in an estimate's scope (see [`estimate_scopes`]: "预计全年粮食
///   产量达到12万吨" → estimate; "粮食产量12万吨，预计财政收入3亿元" → the
///   grain figure stays actual).
/// - In any other known section (tasks, plan): a target.
/// - Outside known sections: a target when the sentence has a target word
///   ("力争城镇新增就业1万人"), else an estimate or actual as in the review.
fn kind_rule(role: Option<Role>, sentence: &str, estimate: bool) -> Kind {
    let words = Words::builtin();
    match role {
        Some(Role::Review | Role::Problems) if estimate => Kind::Estimate,
        Some(Role::Review | Role::Problems) => Kind::Actual,
        Some(_) => Kind::Target,
        None if words.target_words.found_in(sentence) => Kind::Target,
        None if estimate => Kind::Estimate,
        None => Kind::Actual,
    }
}

/// Forecast rule: outside the review and the problems, a figure in the
/// very clause of a 预计 (`estimate_words`) with no target word in it
/// (`target_words`) is what the government foresees, not a goal:
/// "预计今年高校毕业生超过1170万人" → forecast. A 预计 in an earlier clause
/// leaves the figure to its section ("预计今年财政收入恢复增长，一般公共预算
/// 支出规模28.5万亿元" → target); "预计明年的目标是增长6%" stays a target.
/// `before` is the sentence up to the figure.
fn forecast_rule(role: Option<Role>, before: &str) -> bool {
    if matches!(role, None | Some(Role::Review | Role::Problems)) {
        return false;
    }
    let words = Words::builtin();
    let clause = before
        .rfind(['，', '；', '：', '。', ',', ';', ':'])
        .map_or(before, |i| &before[i..]);
    words.estimate_words.found_in(clause) && !words.target_words.found_in(clause)
}

/// List count rule: a count of items (件, 项, 个: `list_count_units`)
/// followed in its clause by words of a 民生实事 list (`list_count_words`)
/// is the size of that list, which the report states, not a goal:
/// "正式形成了12件候选项目建议方案" · "确定如下10件为正式的政府实事项目".
/// `after` is the sentence after the figure.
fn list_count_rule(unit: &str, after: &str) -> bool {
    let words = Words::builtin();
    if !words.list_count_units.iter().any(|u| u == unit) {
        return false;
    }
    let end = after
        .char_indices()
        .take(16)
        .find(|(_, c)| matches!(c, '，' | '。' | '；' | '：' | ':'))
        .map_or_else(
            || after.char_indices().nth(16).map_or(after.len(), |(i, _)| i),
            |(i, _)| i,
        );
    let clause = &after[..end];
    words.list_count_units.iter().any(|u| u == unit) && words.list_count_words.found_in(clause)
}

/// `estimate_scope`: 预计 / 初步统计 / 初步核算 make every figure after them
/// an estimate up to the sentence's full stop, also where a copy broke the
/// sentence over lines; clauses before them keep their own kind. Scopes are
/// byte ranges of `text` within `body`, bounded to 1,000 bytes each.
fn estimate_scopes(text: &str, body: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let words = Words::builtin();
    let Some(slice) = text.get(body.clone()) else {
        return Vec::new();
    };
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, _) in words.estimate_words.occurrences(slice) {
        let start = body.start + i;
        let rest = &slice[i..];
        let limit = rest
            .char_indices()
            .nth(1_000)
            .map_or(rest.len(), |(k, _)| k);
        let end = rest[..limit]
            .find(['。', '！', '？'])
            .map_or(limit, |k| k + '。'.len_utf8());
        out.push(start..start + end);
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Whether `pos` lies in one of `scopes` (sorted by start, each at most
/// 1,000 characters long, so only the few starting just before `pos` count).
fn in_scope(scopes: &[std::ops::Range<usize>], pos: usize) -> bool {
    let k = scopes.partition_point(|r| r.start <= pos);
    scopes[..k]
        .iter()
        .rev()
        .take_while(|r| pos - r.start <= 4_000)
        .any(|r| r.contains(&pos))
}

/// Qualifier rule: an upper bound on a figure that is no target holds only
/// when its sentence words it strictly (以内, 以下, 不超过: `strict_at_most`).
/// "物价涨幅控制在3%" in the review keeps no bound; "物价涨幅控制在3%以内" does;
/// a target keeps it either way.
fn qualifier_rule(q: Option<Qualifier>, kind: Kind, sentence: &str) -> Option<Qualifier> {
    if kind != Kind::Target
        && q == Some(Qualifier::AtMost)
        && !Words::builtin().strict_at_most.found_in(sentence)
    {
        None
    } else {
        q
    }
}

/// Flow rule: a level is a flow over its period when its part of the
/// sentence (between ；) has a flow word (累计, 新增, …) once its metric's
/// name is taken out. "五年累计完成投资300亿元" is a flow; "人均收入达到3万元"
/// is a stock. (Metrics marked `summed` are flows whatever the wording.)
fn flow_rule(s: &str, evidence: Range<usize>, name: &str) -> bool {
    let part_start = s[..evidence.start.min(s.len())]
        .rfind('；')
        .map_or(0, |k| k + '；'.len_utf8());
    let part_end = s[evidence.end.min(s.len())..]
        .find('；')
        .map_or(s.len(), |k| evidence.end + k);
    let part = s.get(part_start..part_end).unwrap_or(s);
    Words::builtin().flow_words.found_in_without(part, name)
}

/// Five-year rule: a sentence is about the five-year term when its
/// paragraph opens on it (五年来，…), or when a five-year cue stands before
/// the sentence's end in its paragraph and the sentence does not speak of
/// one year (`one_year`: "五年来…。去年同比增长6%" is about last year).
fn five_year_rule(paragraph: bool, cue_before: bool, one_year: bool) -> bool {
    paragraph || cue_before && !one_year
}

/// What the document and a sentence say about time, for the time rules.
#[derive(Debug, Clone, Copy, Default)]
struct TimeContext {
    /// The year the review reports on.
    review: Option<i32>,
    /// The year the plan sections are for.
    plan: Option<i32>,
    /// The last year of the plan's five-year horizon.
    horizon: Option<i32>,
    /// The years a term review covers, as the document's time decided them.
    review_span: Option<[i32; 2]>,
    /// "到2020年" in the sentence (`Some(None)` when the year is masked).
    by_year: Option<Option<i32>>,
    /// The sentence's top section is about a five-year plan.
    plan_five: bool,
    /// The sentence is about the five-year term ([`five_year_rule`]).
    five: bool,
    /// A plan period the sentence names (“十三五”时期 → 2016–2020).
    plan_period: Option<(i32, i32)>,
    /// The sentence speaks of one year (去年, 同比: `one_year_words`).
    one_year: bool,
}

impl TimeContext {
    /// The first year of a term that ends in `r`: the review span's start
    /// when the span ends there (过去四年 in a 2007 report: 2003), else five
    /// years back.
    fn term_start(&self, r: i32) -> i32 {
        self.review_span
            .filter(|s| s[1] == r)
            .map_or(r - 4, |s| s[0])
    }

    /// Level time rule: the year (or years) a level is about.
    /// - An explicit year wins ("2023年粮食产量12万吨" → 2023).
    /// - A target is for the 到 year of its sentence ("到2025年人口达到50万人"),
    ///   else, in a five-year plan, for the whole plan when it is summed
    ///   (五年新增就业) or for the plan's last year; else for the plan year.
    /// - An actual or estimate is for the review year; the start of a
    ///   "由X增加到Y" pair is for the year before the review (before the term
    ///   in a five-year passage), and a flow in a five-year passage covers
    ///   the term ("五年累计新增就业5万人" → the five years).
    fn level_time(
        &self,
        year: Option<i32>,
        kind: Kind,
        from: bool,
        flow: impl FnOnce() -> bool,
        summed: bool,
    ) -> When {
        match (year, kind) {
            (Some(y), _) => When::Year(y),
            (None, Kind::Target | Kind::Forecast) => match self.by_year {
                Some(end) => end.or(self.horizon).map_or(When::None, When::Year),
                None if self.plan_five && summed => self
                    .plan
                    .zip(self.horizon)
                    .map_or(When::None, |(p, h)| When::Span(p, h)),
                None if self.plan_five => self.horizon.map_or(When::None, When::Year),
                None => self.plan.map_or(When::None, When::Year),
            },
            (None, _) => match self.review {
                Some(r) if from => When::Year(if self.five {
                    self.term_start(r) - 1
                } else {
                    r - 1
                }),
                Some(r) if self.five && flow() => When::Span(self.term_start(r), r),
                Some(r) => When::Year(r),
                None => When::None,
            },
        }
    }

    /// Change time rule: the years a change is about.
    /// - A plan period named in the sentence ("“十三五”时期年均增长7%") gives
    ///   its years, unless the change has its own year or is a multiple.
    /// - A base year makes a span from the year after it ("比2020年增长20%"
    ///   in a 2023 review → 2021–2023).
    /// - A target in a five-year plan, or an average rate ("年均增长6%"),
    ///   covers the plan from the plan year to its end.
    /// - An actual average rate, or any change in a five-year passage that
    ///   does not speak of one year, covers the term up to its end.
    /// - Otherwise the change is about its end year: its own year, the 到
    ///   year, the plan year of a target or the review year.
    fn change_time(
        &self,
        change: ChangeType,
        year: Option<i32>,
        base: Option<i32>,
        kind: Kind,
    ) -> When {
        let span_kind = change == ChangeType::AvgGrowthPct;
        let end = year.or(match kind {
            Kind::Target | Kind::Forecast => match self.by_year {
                Some(e) => e.or(self.horizon),
                None if self.plan_five || span_kind => self.horizon,
                None => self.plan,
            },
            _ => self.review,
        });
        match (base, end) {
            (None, _)
                if self.plan_period.is_some() && year.is_none() && change != ChangeType::Times =>
            {
                self.plan_period
                    .map_or(When::None, |(a, z)| When::Span(a, z))
            }
            (Some(b), Some(e)) => When::Span(b + 1, e),
            (None, Some(e))
                if matches!(kind, Kind::Target | Kind::Forecast)
                    && (self.plan_five || span_kind)
                    && change != ChangeType::Times =>
            {
                self.plan.map_or(When::Year(e), |p| When::Span(p, e))
            }
            (None, Some(e))
                if !matches!(kind, Kind::Target | Kind::Forecast)
                    && (year.is_none() || year == self.review)
                    && (span_kind || self.five && !self.one_year) =>
            {
                When::Span(self.term_start(e), e)
            }
            (None, Some(e)) => When::Year(e),
            (_, None) => When::None,
        }
    }
}

/// Where a note makes the rest of a passage estimates: （预计，下同） ·
/// （预计数，下同） · (预计数据，下同). Returns the note's end in `line`.
fn estimate_passage(line: &str) -> Option<usize> {
    let words = Words::builtin();
    if !words.same_below.found_in(line) {
        return None;
    }
    words.same_below.iter().find_map(|w| {
        let i = line.find(w.as_str())?;
        let open = line[..i].rfind(['（', '('])?;
        let note = &line[open..i];
        (words.estimate_words.found_in(note) && note.chars().count() <= 10).then_some(i + w.len())
    })
}

/// 。, found by memmem (a search for a character by its last byte, which is
/// common in Chinese text, stops too often).
static FULL_STOP: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("。"));

/// Whether a text may hold a figure: an Arabic digit, a Chinese numeral or
/// 翻 (翻一番).
fn might_hold_figure(s: &str) -> bool {
    crate::numbers::find_ascii_digit(s.as_bytes()).is_some()
        || crate::numbers::has_cn_numeral_or_doubling(s)
}

/// Does a sentence speak of one year (去年, 比上年, 同比)?
fn opens_on_year_sentence(s: &str) -> bool {
    Words::builtin().one_year_words.found_in(s)
}

/// The years of a five-year plan named in a sentence (“十三五”时期 →
/// 2016–2020; “十一五”前四年 → 2006–2009).
fn plan_period(s: &str) -> Option<(i32, i32)> {
    let cal = gwr_doc::time::Calendar::builtin();
    let words = Words::builtin();
    for (r, (start, end)) in cal.plans_in(s) {
        let rest = s[r.end..].trim_start_matches('”');
        if let Some((_, n)) = words.plan_first_years.start_of(rest) {
            return Some((start, start + n - 1));
        }
        if words.plan_whole.starts(rest) {
            return Some((start, end));
        }
    }
    None
}

/// When a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Year(i32),
    Span(i32, i32),
    None,
}

impl When {
    fn apply(self, f: &mut Fact) {
        match self {
            When::Year(y) => f.year = Some(y),
            When::Span(a, b) => f.years = Some([a, b]),
            When::None => {}
        }
    }
}

/// Whether a text has two Chinese characters or more.
fn two_han(p: &str) -> bool {
    p.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .nth(1)
        .is_some()
}

/// No-figure rule: a level whose unit is followed by a class suffix names a
/// class ("千万吨级炼油厂", `class_suffixes`), and a count of 个 followed by
/// 月 is a duration ("连续48个月"): neither is a figure. `after` is the
/// sentence after the unit.
fn no_figure_rule(unit: &str, after: &str) -> bool {
    let words = Words::builtin();
    words.class_suffixes.starts(after) || unit == "个" && after.starts_with('月')
}

/// Counted noun rule: a count in a classifier (`count_classifiers`, also
/// after 万/亿) counts the noun written right after it, up to the clause's
/// end, a figure, or a word that starts the predicate
/// (`counted_noun_stops`): "推进15个重大产业项目建设" → 重大产业项目 ·
/// "安装1600个独立式感烟探测器" → 独立式感烟探测器 · "完成7700多项食品、药品
/// 安全标准的制定" → 食品、药品安全标准. None when the classifier ends its
/// clause ("研发中心3个、") or the noun is shorter than two characters.
/// With `any_unit`, a measure in any unit names the noun after it the same
/// way ("实施10公里河道美化" → 河道美化), for phrases that are a verb alone.
fn counted_noun(unit: &str, after: &str, any_unit: bool) -> Option<String> {
    let words = Words::builtin();
    let bare = unit.trim_start_matches(['万', '亿']);
    if !any_unit && !words.count_classifiers.iter().any(|c| c == bare) {
        return None;
    }
    let first = after.chars().next()?;
    if !(first == '“' || ('\u{4e00}'..='\u{9fff}').contains(&first))
        || words.function_chars.contains(first)
        || words.counted_noun_stops.starts(after)
    {
        return None;
    }
    let mut end = 0;
    let mut quoted = false;
    for (i, c) in after.char_indices() {
        if i >= 96
            || c.is_ascii_digit()
            || matches!(
                c,
                '，' | '。'
                    | '；'
                    | '：'
                    | '（'
                    | '）'
                    | '('
                    | ')'
                    | ','
                    | ';'
                    | ':'
                    | '\n'
                    | ' '
                    | '　'
            )
        {
            break;
        }
        if c == '“' && i > 0 || c == '”' && !quoted {
            break;
        }
        quoted ^= c == '“' || c == '”';
        let rest = &after[i..];
        if i > 0 && words.counted_noun_stops.starts(rest) {
            break;
        }
        end = i + c.len_utf8();
    }
    let noun = after[..end].trim_end_matches(['、', '和', '及', '与', '等']);
    (two_han(noun) && noun.chars().count() <= 24).then(|| noun.to_string())
}

/// Whether a phrase is a verb alone (`object_verbs`, `doing_verbs`,
/// `clause_leaders`), or empty.
fn bare_verb(p: &str) -> bool {
    let words = Words::builtin();
    !two_han(p)
        || words
            .object_verbs
            .iter()
            .chain(&words.doing_verbs)
            .chain(&words.clause_leaders)
            .any(|w| w == p)
}

/// Comparison rule: a comparison written inside a figure's phrase
/// (`comparison_words` + `comparison_bases`) is no part of its metric:
/// "财政比年度预算超收" → 财政超收 · "粮食比上年增产" → 粮食增产.
fn without_comparison(p: &str) -> std::borrow::Cow<'_, str> {
    let words = Words::builtin();
    if !words.comparison_words.found_in(p) {
        return p.into();
    }
    for c in &words.comparison_words {
        for (i, _) in p.match_indices(c.as_str()) {
            let rest = &p[i + c.len()..];
            if let Some(b) = words.comparison_bases.start_of(rest) {
                let out = format!("{}{}", &p[..i], &rest[b.len()..]);
                if two_han(&out) {
                    return out.into();
                }
            }
        }
    }
    p.into()
}

/// Object rule: the phrase after the last verb whose object is what the
/// figure measures (`object_verbs`), when two characters or more are left:
/// "中央政府投资支持重点流域水污染防治项目" → 重点流域水污染防治项目.
fn object_rule(p: &str) -> &str {
    let words = Words::builtin();
    let cut = words
        .object_verbs
        .occurrences(p)
        .filter(|(i, _)| !words.object_verb_nouns.starts(&p[*i..]))
        .map(|(i, v)| i + v.len())
        .filter(|&i| two_han(&p[i..]) && !p[i..].starts_with(|c| words.function_chars.contains(c)))
        .max();
    cut.map_or(p, |i| &p[i..])
}

/// The metric phrase of a figure without a named metric: its clause up to
/// the figure, without leading connectives and trailing verbs, from the
/// object of its verb (see [`object_rule`]), without examples ended by 等.
fn phrase_before<'a>(s: &'a str, from: usize, fig: usize) -> String {
    let Some(mut p) = s.get(from.min(fig)..fig) else {
        return String::new();
    };
    // Only the last clause before the figure; a quote keeps its words
    // (“三公”经费) unless it opens or closes outside the phrase.
    if let Some(i) = p.rfind(['，', '；', '：', '、', '。', '（', '）']) {
        p = &p[i + p[i..].chars().next().map_or(1, char::len_utf8)..];
    }
    if let Some(i) = p.rfind('”').filter(|&i| !p[..i].contains('“')) {
        p = &p[i + '”'.len_utf8()..];
    }
    if let Some(i) = p.rfind('“').filter(|&i| !p[i..].contains('”')) {
        p = &p[i + '“'.len_utf8()..];
    }
    let words = Words::builtin();
    loop {
        let before = p;
        for w in &words.clause_leaders {
            if !words.clause_leaders.may_start(p) {
                break;
            }
            p = p
                .strip_prefix(w.as_str())
                .filter(|q| two_han(q) || !two_han(p))
                .unwrap_or(p);
        }
        // An end word goes unless it ends a word that keeps it (签约).
        let strip = |p: &'a str, w: &str| -> &'a str {
            match p.strip_suffix(w) {
                Some(q)
                    if !words
                        .phrase_end_keeps
                        .iter()
                        .any(|k| k.ends_with(w) && p.ends_with(k.as_str())) =>
                {
                    q
                }
                _ => p,
            }
        };
        // A table none of whose words can end the phrase strips nothing.
        for list in [
            &words.before_qualifiers.words,
            &words.fillers,
            &words.change_verbs.words,
            &words.phrase_end_verbs,
        ] {
            for w in list {
                if !list.may_end(p) {
                    break;
                }
                // Only a word with p's last byte can end it.
                if p.as_bytes().last() == w.as_bytes().last() {
                    p = strip(p, w);
                }
            }
        }
        if p == before {
            break;
        }
    }
    p = object_rule(p);
    let compared = without_comparison(p);
    let mut p: &str = &compared;
    // The basis of a measure: "按主营业务收入计的千亿元级工业产业" → 千亿元级工业产业.
    let basis = words.basis_openers.starts(p);
    if let Some((i, w)) = (words.basis_closers.iter())
        .filter(|_| basis)
        .filter_map(|w| p.find(w.as_str()).map(|i| (i, w)))
        .min()
        .filter(|(i, w)| two_han(&p[i + w.len()..]))
    {
        p = &p[i + w.len()..];
    }
    // Examples before 等 are no metric: "高德置地等" leaves nothing, "运河
    // 沿线等重点区域" its noun.
    if let Some(i) = p.rfind('等').filter(|&i| {
        !p[..i].ends_with(|c| words.deng_word_heads.contains(c))
            && two_han(&p[i + '等'.len_utf8()..])
    }) {
        p = &p[i + '等'.len_utf8()..];
    }
    p = p.strip_suffix('等').filter(|q| two_han(q)).unwrap_or(p);
    let han = p
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    if han >= 2 && p.chars().count() <= 30 && !p.chars().any(|c| c.is_ascii_digit()) {
        p.to_string()
    } else {
        String::new()
    }
}

/// The year of "到2020年" / "到20xx年" in a sentence (`Some(None)` when masked).
fn by_year(s: &str) -> Option<Option<i32>> {
    for (i, _) in s.match_indices('到') {
        let rest = &s[i + '到'.len_utf8()..];
        let digits: String = rest.chars().take(4).collect();
        if rest[digits.len()..].starts_with('年') && digits.len() == 4 {
            if digits.chars().all(|c| c.is_ascii_digit()) {
                return Some(digits.parse().ok());
            }
            if digits.chars().take(2).all(|c| c.is_ascii_digit()) {
                return Some(None);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    type Got = (String, Option<f64>, Option<String>, Option<Change>);

    fn figs(s: &str) -> Vec<Got> {
        let table = MetricTable::builtin();
        let slots = assign(s, items(s, table, Units::builtin(), false));
        slots
            .into_iter()
            .filter(|sl| !sl.name.is_empty())
            .map(|sl| {
                let (v, u) = match &sl.level {
                    Some((Figure::Level { value, unit, .. }, _, _)) => (*value, Some(unit.clone())),
                    _ => (None, None),
                };
                (s[sl.name.clone()].to_string(), v, u, sl.change.map(|c| c.0))
            })
            .collect()
    }

    fn growth(v: f64) -> Option<Change> {
        Some(Change {
            kind: ChangeType::GrowthPct,
            value: Some(v),
            qualifier: None,
            lo: None,
            hi: None,
            stretch: None,
        })
    }

    #[test]
    fn level_and_change() {
        let f = figs("预计实现地区生产总值595亿元，增长5%。");
        assert_eq!(
            f,
            [(
                "地区生产总值".into(),
                Some(595.0),
                Some("亿元".into()),
                growth(5.0)
            )]
        );
    }

    #[test]
    fn fenbie_after_levels() {
        let f = figs("财政总收入159亿元，其中地方一般公共预算收入88亿元，分别增长11.7%、8.6%。");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].3, growth(11.7));
        assert_eq!(f[1].3, growth(8.6));
        assert_eq!(f[1].1, Some(88.0));
    }

    #[test]
    fn qualifiers_and_stretch() {
        let f = figs("地区生产总值增长4%以上、力争5.5%。");
        let c = f[0].3.clone().unwrap_or_else(|| panic!("change"));
        assert_eq!(
            (c.value, c.qualifier, c.stretch),
            (Some(4.0), Some(Qualifier::AtLeast), Some(5.5))
        );
        let f = figs("国内生产总值增长6%－6.5%。");
        let c = f[0].3.clone().unwrap_or_else(|| panic!("change"));
        assert_eq!(
            (c.value, c.qualifier, c.lo, c.hi),
            (None, Some(Qualifier::Range), Some(6.0), Some(6.5))
        );
    }

    #[test]
    fn shares_and_absolute_increases_are_not_levels() {
        let f = figs("服务业增加值占地区生产总值比重达78%。");
        assert!(f.iter().all(|x| x.1.is_none() && x.3.is_none()), "{f:?}");
        let f = figs("国家财政收入比上年增加1501亿元，总额首次突破万亿元，达到11377亿元。");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].1, f[0].3.clone()), (Some(11377.0), None));
    }

    #[test]
    fn decline_is_negative() {
        let f = figs("单位GDP电耗下降1.4%。");
        assert_eq!(f[0].3, growth(-1.4));
    }

    /// The bound of every figure read in a sentence.
    fn bounds(s: &str) -> Vec<Option<Qualifier>> {
        items(s, MetricTable::builtin(), Units::builtin(), false)
            .into_iter()
            .filter_map(|it| match it {
                Item::Figure {
                    figure: Figure::Level { qualifier, .. },
                    ..
                } => Some(qualifier),
                Item::Figure {
                    figure: Figure::Change(c),
                    ..
                } => Some(c.qualifier),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bounds_of_figures() {
        use Qualifier::{About, AtLeast, AtMost, Range};
        assert_eq!(bounds("地区生产总值增长6%左右。"), [Some(About)]);
        assert_eq!(bounds("城镇新增就业超过2万人。"), [Some(AtLeast)]);
        assert_eq!(bounds("粮食产量约12万吨。"), [Some(About)]);
        // The word after the figure wins over the word before it.
        assert_eq!(bounds("城镇新增就业约2万人以上。"), [Some(AtLeast)]);
        assert_eq!(bounds("居民消费价格涨幅控制在3%。"), [Some(AtMost)]);
        assert_eq!(bounds("居民消费价格涨幅3%以内。"), [Some(AtMost)]);
        assert_eq!(bounds("地区生产总值增长6%－6.5%。"), [Some(Range)]);
        assert_eq!(bounds("地区生产总值增长6%。"), [None]);
        assert_eq!(bound_rule(true, Some(About), Some(AtLeast)), Some(Range));
        assert_eq!(bound_rule(false, None, Some(AtLeast)), Some(AtLeast));
    }

    proptest::proptest! {
        #[test]
        fn suffixes_trim_as_trim_end_matches(s in "[分别百之甲]{0,12}", k in 0usize..3) {
            let suffix = ["分别", "百分之", ""][k];
            proptest::prop_assert_eq!(trim_end_str(&s, suffix), s.trim_end_matches(suffix));
        }
    }

    #[test]
    fn chinese_years_by_their_numerals() {
        fn years(s: &str) -> Vec<&str> {
            chinese_years(s).map(|(a, z)| &s[a..z]).collect()
        }
        assert_eq!(
            years("一九五七年和二〇〇〇年"),
            ["一九五七年", "二〇〇〇年"]
        );
        assert_eq!(years("一二九〇○年"), ["二九〇○年"]);
        assert!(years("九五七年 · 2000年 · 年").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn chinese_years_are_the_pattern_s_matches(s in "[一二九〇○零年甲5]{0,16}") {
            let re = regex::Regex::new("[一二三四五六七八九〇○零]{4}年").expect("pattern");
            let want: Vec<(usize, usize)> = re.find_iter(&s).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(chinese_years(&s).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn year_marks_by_their_words() {
        let marks = |s: &str| -> Vec<(Option<i32>, Mark)> {
            year_marks(s, &figure_numbers(s, Units::builtin()))
                .into_iter()
                .map(|m| (m.1, m.2))
                .collect()
        };
        assert_eq!(
            marks("2023年与2020年相比，产值增长30%。"),
            [(Some(2023), Mark::Year), (Some(2020), Mark::SentenceBase)]
        );
        assert_eq!(
            marks("产值比2021年增长20%，是2019年的2倍。"),
            [
                (Some(2021), Mark::ClauseBase),
                (Some(2019), Mark::ClauseBase)
            ]
        );
        // 是 makes a base only before 的: "目标是2025年达到…" is a year.
        assert_eq!(
            marks("目标是2025年产值达到100亿元。"),
            [(Some(2025), Mark::Year)]
        );
    }

    #[test]
    fn estimate_scopes_run_to_the_full_stop() {
        let t = "粮食产量12万吨，预计财政收入3亿元，增长\n5%。工业产值8亿元。";
        let scopes = estimate_scopes(t, 0..t.len());
        assert_eq!(scopes.len(), 1);
        let inside = &t[scopes[0].clone()];
        assert!(inside.starts_with("预计") && inside.ends_with("5%。"));
        assert!(!inside.contains("粮食") && !inside.contains("工业"));
    }

    #[test]
    fn counts_name_the_noun_they_count() {
        let n = |u: &str, after: &str| counted_noun(u, after, false);
        assert_eq!(
            counted_noun("公里", "河道美化提升工程", true).as_deref(),
            Some("河道美化")
        );
        assert!(bare_verb("实施") && bare_verb("") && !bare_verb("河道治理"));
        assert_eq!(
            n("个", "重大产业项目建设，").as_deref(),
            Some("重大产业项目")
        );
        assert_eq!(
            n("个", "市重点项目顺利推进。").as_deref(),
            Some("市重点项目")
        );
        assert_eq!(
            n("项", "食品、药品安全标准的制定").as_deref(),
            Some("食品、药品安全标准")
        );
        assert_eq!(n("条", "美丽河道和6条绿道").as_deref(), Some("美丽河道"));
        assert_eq!(n("个", "“未来社区”试点").as_deref(), Some("“未来社区”试点"));
        assert_eq!(n("万户", "低收入农户").as_deref(), Some("低收入农户"));
        // The classifier ends its clause, the noun is too short, or no count.
        assert_eq!(n("个", "、研发中心3个"), None);
        assert_eq!(n("家", "。"), None);
        assert_eq!(n("个", "点"), None);
        assert_eq!(n("亿元", "专项资金"), None);
        // A particle or a predicate right after the figure: no noun.
        assert_eq!(counted_noun("亿元", "的产业集群", true), None);
        assert_eq!(n("所", "等海洋电子信息企业"), None);
        assert_eq!(n("个", "顺利完工"), None);
    }

    #[test]
    fn phrases_lose_verbs_and_examples() {
        let p = |s: &str| {
            let fig = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
            phrase_before(s, 0, fig)
        };
        assert_eq!(
            p("中央政府投资支持重点流域水污染防治项目691个。"),
            "重点流域水污染防治项目"
        );
        assert_eq!(p("拟安排中央财政赤字2950亿元。"), "中央财政赤字");
        assert_eq!(
            p("五年中央财政用于科技的投入达到3406亿元。"),
            "中央财政用于科技的投入"
        );
        assert_eq!(p("今年中央预算内投资拟安排7000亿元。"), "中央预算内投资");
        assert_eq!(
            p("运河沿线等重点区域削减雨后溢流量5000吨/日。"),
            "雨后溢流量"
        );
        assert_eq!(p("“三公”经费下降20.6%。"), "“三公”经费");
        assert_eq!(p("中等收入群体规模扩大到4亿人。"), "中等收入群体规模");
        assert_eq!(
            p("按主营业务收入计的千亿元级工业产业10个。"),
            "千亿元级工业产业"
        );
        assert_eq!(p("全省财政比年度预算超收50亿元。"), "财政超收");
        assert_eq!(p("农房征拆签约1632户。"), "农房征拆签约");
        // An object verb joined to another, or followed by a particle: no cut.
        assert_eq!(
            p("各部门取消和调整行政审批项目692项。"),
            "各部门取消和调整行政审批项目"
        );
        assert_eq!(p("改革取消了原先336亿元。"), "改革取消了原先");
        assert_eq!(
            p("十大产业增加值占地区生产总值的比重比上年再提高1.5个百分点。"),
            "十大产业增加值占地区生产总值的比重"
        );
        assert_eq!(p("今年高校毕业生将达727万人。"), "高校毕业生");
        assert_eq!(p("奶牛存栏由11.1万头增加到15万头。"), "奶牛存栏");
        assert_eq!(
            p("财政用于社会保障支出五年累计1.95万亿元。"),
            "财政用于社会保障支出"
        );
        // A phrase of verbs only keeps them rather than lose its figure.
        assert_eq!(p("今年要完成12项。"), "完成");
        // Examples alone stay rather than leave the figure without a name.
        assert_eq!(p("新禾、联创等15个。"), "联创");
    }

    #[test]
    fn classes_and_durations_are_no_figures() {
        assert!(no_figure_rule("万吨", "级炼油厂"));
        assert!(no_figure_rule("个", "月保持在两位数"));
        assert!(!no_figure_rule("个", "项目"));
        assert!(!no_figure_rule("万吨", "，增长"));
    }

    #[test]
    fn forecasts_are_no_goals() {
        let plan = Some(Role::Targets);
        assert!(forecast_rule(plan, "预计今年高校毕业生超过"));
        assert!(forecast_rule(
            Some(Role::Tasks),
            "就业是民生之本。预计全年需要就业的城镇新成长劳动力"
        ));
        // A 预计 of an earlier clause, a goal word, or the review: no forecast.
        assert!(!forecast_rule(
            plan,
            "预计今年财政收入继续恢复增长，一般公共预算支出规模"
        ));
        assert!(!forecast_rule(plan, "预计明年的目标是增长"));
        assert!(!forecast_rule(Some(Role::Review), "预计全年地区生产总值"));
        assert!(!forecast_rule(None, "预计全年地区生产总值"));
    }

    #[test]
    fn list_sizes_are_no_goals() {
        assert!(list_count_rule("件", "候选项目建议方案，提交大会审议"));
        assert!(list_count_rule("件", "为正式的政府实事项目：（1）教育"));
        assert!(list_count_rule("项", "民生实事"));
        // A count of other things, or list words past the clause, stay goals.
        assert!(!list_count_rule("个", "重大产业项目"));
        assert!(!list_count_rule("件", "，办好民生实事"));
        assert!(!list_count_rule("万元", "实事项目资金"));
    }

    #[test]
    fn kind_from_role_then_words() {
        let review = Some(Role::Review);
        assert_eq!(
            kind_rule(review, "全年粮食产量达到12万吨。", false),
            Kind::Actual
        );
        assert_eq!(
            kind_rule(review, "预计全年粮食产量达到12万吨。", true),
            Kind::Estimate
        );
        assert_eq!(
            kind_rule(Some(Role::Problems), "初步统计，财政收入下降2%。", true),
            Kind::Estimate
        );
        // Any other section states targets, whatever its words.
        assert_eq!(
            kind_rule(Some(Role::Tasks), "预计粮食产量稳定在12万吨。", true),
            Kind::Target
        );
        assert_eq!(
            kind_rule(Some(Role::Targets), "粮食产量稳定在12万吨。", false),
            Kind::Target
        );
        // No known section: the sentence's words decide, target words first.
        assert_eq!(
            kind_rule(None, "力争城镇新增就业1万人。", false),
            Kind::Target
        );
        assert_eq!(
            kind_rule(None, "预计明年的目标是增长6%。", true),
            Kind::Target
        );
        assert_eq!(
            kind_rule(None, "初步核算，全年地区生产总值增长5%。", true),
            Kind::Estimate
        );
        assert_eq!(
            kind_rule(None, "全年地区生产总值增长5%。", false),
            Kind::Actual
        );
    }

    #[test]
    fn upper_bounds_outside_targets_need_strict_words() {
        let at_most = Some(Qualifier::AtMost);
        assert_eq!(
            qualifier_rule(at_most, Kind::Actual, "物价涨幅控制在3%。"),
            None
        );
        assert_eq!(
            qualifier_rule(at_most, Kind::Actual, "物价涨幅控制在3%以内。"),
            at_most
        );
        assert_eq!(
            qualifier_rule(at_most, Kind::Estimate, "失业率不超过4%。"),
            at_most
        );
        assert_eq!(
            qualifier_rule(at_most, Kind::Target, "物价涨幅控制在3%。"),
            at_most
        );
        let about = Some(Qualifier::About);
        assert_eq!(qualifier_rule(about, Kind::Actual, "增长6%左右。"), about);
    }

    #[test]
    fn flows_are_told_by_their_part_of_the_sentence() {
        let s = "五年累计完成投资300亿元；人均收入达到3万元。";
        let k = s.find('；').unwrap_or(0);
        assert!(flow_rule(s, 0..k, "投资"));
        assert!(!flow_rule(s, k + '；'.len_utf8()..s.len(), "人均收入"));
        // A flow word inside the metric's own name does not count.
        let s = "城镇新增就业5万人。";
        assert!(!flow_rule(s, 0..s.len(), "城镇新增就业"));
        // Positions past the end of the sentence are no error.
        assert!(!flow_rule("人均收入3万元", 40..50, "人均收入"));
    }

    #[test]
    fn five_year_passages() {
        // 五年来，… opens the paragraph: every sentence is about the term.
        assert!(five_year_rule(true, false, true));
        // 五年间全县新建学校20所: a cue before the sentence's end.
        assert!(five_year_rule(false, true, false));
        // …。去年同比增长6%: a sentence about one year stays one year.
        assert!(!five_year_rule(false, true, true));
        assert!(!five_year_rule(false, false, false));
    }

    fn ctx() -> TimeContext {
        TimeContext {
            review: Some(2023),
            plan: Some(2024),
            horizon: Some(2028),
            review_span: Some([2019, 2023]),
            ..TimeContext::default()
        }
    }

    #[test]
    fn level_times() {
        let c = ctx();
        // 2022年粮食产量11万吨: the explicit year wins.
        assert_eq!(
            c.level_time(Some(2022), Kind::Actual, false, || false, false),
            When::Year(2022)
        );
        // 全年粮食产量12万吨 in the review.
        assert_eq!(
            c.level_time(None, Kind::Actual, false, || false, false),
            When::Year(2023)
        );
        // 人口由30万人增加到35万人: the start of the pair is the year before.
        assert_eq!(
            c.level_time(None, Kind::Actual, true, || false, false),
            When::Year(2022)
        );
        let five = TimeContext {
            five: true,
            ..ctx()
        };
        assert_eq!(
            five.level_time(None, Kind::Actual, true, || false, false),
            When::Year(2018)
        );
        // 五年累计新增就业5万人: a flow covers the term; a stock its end.
        assert_eq!(
            five.level_time(None, Kind::Estimate, false, || true, false),
            When::Span(2019, 2023)
        );
        assert_eq!(
            five.level_time(None, Kind::Actual, false, || false, false),
            When::Year(2023)
        );
        // 粮食产量稳定在12万吨 in the plan.
        assert_eq!(
            c.level_time(None, Kind::Target, false, || false, false),
            When::Year(2024)
        );
        // 到2026年人口达到50万人; 到20xx年 (masked) falls back to the horizon.
        let by = TimeContext {
            by_year: Some(Some(2026)),
            ..ctx()
        };
        assert_eq!(
            by.level_time(None, Kind::Target, false, || false, false),
            When::Year(2026)
        );
        let masked = TimeContext {
            by_year: Some(None),
            ..ctx()
        };
        assert_eq!(
            masked.level_time(None, Kind::Target, false, || false, false),
            When::Year(2028)
        );
        // A five-year plan: sums cover the plan, stocks stand at its end.
        let plan_five = TimeContext {
            plan_five: true,
            ..ctx()
        };
        assert_eq!(
            plan_five.level_time(None, Kind::Target, false, || true, true),
            When::Span(2024, 2028)
        );
        assert_eq!(
            plan_five.level_time(None, Kind::Target, false, || false, false),
            When::Year(2028)
        );
        // A document without years gives none.
        assert_eq!(
            TimeContext::default().level_time(None, Kind::Actual, false, || false, false),
            When::None
        );
    }

    #[test]
    fn change_times() {
        use ChangeType::{AvgGrowthPct, GrowthPct, Times};
        let c = ctx();
        // 全年增长5% in the review.
        assert_eq!(
            c.change_time(GrowthPct, None, None, Kind::Actual),
            When::Year(2023)
        );
        // 比2020年增长20%: from the year after the base.
        assert_eq!(
            c.change_time(GrowthPct, None, Some(2020), Kind::Actual),
            When::Span(2021, 2023)
        );
        // 年均增长6% in the review covers the term.
        assert_eq!(
            c.change_time(AvgGrowthPct, None, None, Kind::Actual),
            When::Span(2019, 2023)
        );
        // In a five-year passage a change covers the term, unless the
        // sentence speaks of one year (同比增长6%).
        let five = TimeContext {
            five: true,
            ..ctx()
        };
        assert_eq!(
            five.change_time(GrowthPct, None, None, Kind::Actual),
            When::Span(2019, 2023)
        );
        let one_year = TimeContext {
            one_year: true,
            ..five
        };
        assert_eq!(
            one_year.change_time(GrowthPct, None, None, Kind::Actual),
            When::Year(2023)
        );
        // 2021年增长8% inside the passage is about 2021.
        assert_eq!(
            five.change_time(GrowthPct, Some(2021), None, Kind::Actual),
            When::Year(2021)
        );
        // 增长6%左右 in the plan; 年均增长6% covers the plan to its horizon.
        assert_eq!(
            c.change_time(GrowthPct, None, None, Kind::Target),
            When::Year(2024)
        );
        assert_eq!(
            c.change_time(AvgGrowthPct, None, None, Kind::Target),
            When::Span(2024, 2028)
        );
        // “十三五”时期年均增长7%: the named plan's years; a multiple is not
        // spread over them (经济总量是“十三五”的1.5倍).
        let named = TimeContext {
            plan_period: Some((2016, 2020)),
            ..ctx()
        };
        assert_eq!(
            named.change_time(AvgGrowthPct, None, None, Kind::Actual),
            When::Span(2016, 2020)
        );
        assert_eq!(
            named.change_time(Times, None, None, Kind::Actual),
            When::Year(2023)
        );
        assert_eq!(
            TimeContext::default().change_time(GrowthPct, None, None, Kind::Target),
            When::None
        );
    }
}
