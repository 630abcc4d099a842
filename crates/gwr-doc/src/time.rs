//! A document's time: its review and plan years and the span a term review
//! covers, decided once from every cue the text gives, and the calendar
//! (five-year plans, party congresses and plenums, NPC sessions) that turns
//! named periods and events into years (`data/calendar.toml`).
//!
//! Each cue is a named rule with example sentences beside it, run as tests.
//! A rule proposes a review year or a plan year with a weight; the
//! proposals vote (a plan year Y counts for review year Y − 1, since a
//! report reviews the year before the one it plans), the heaviest review
//! year wins, and the plan year is the next one. `gwr parse --explain`
//! prints every cue and marks the winners.
//!
//! | rule | weight | reads |
//! |---|---|---|
//! | `heading_year` | 10 | a top-level heading with a year and a role (2017年工作回顾 · 2018年重点工作) |
//! | `npc_session` | 8 | a national congress session (第十三届全国人民代表大会第二次会议 → 2019) |
//! | `review_opening` | 8 | the review's first sentence (2017年，全区… · 过去的一年) |
//! | `header_date` | 7 | the header's date: January–June in the plan year, September on in the review year |
//! | `plan_ordinal` | 6 | 是“十二五”规划的第一年 (the year such a sentence is about) |
//! | `targets_year` | 5 | 2019年经济社会发展的主要预期目标 · 提出了2018年的工作建议 |
//! | `five_year_review` | 5 | “十一五”时期回顾 (the review year is the period's last) |
//! | `year_paragraph` | 4 | a paragraph opening on a year: 2013年是…。一年来 (review) |
//! | `title_year` | 3 | 2011年政府工作报告 (the year the report is given) |
//! | `dateline` | 2 | a page's or a news item's date (2009-01-08 09:52 · 发布日期:2018-01-26) |
//! | `party_calendar` | 1 | the latest party congress or plenum named (十九届四中全会 → 2019) |

use crate::model::{Cue, Field, Role, Section};
use crate::words::DocWords;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

const CALENDAR_TOML: &str = include_str!("../../../data/calendar.toml");

#[derive(Deserialize)]
struct CalendarFile {
    plans: BTreeMap<String, i32>,
    congresses: BTreeMap<String, i32>,
    plenums: BTreeMap<String, i32>,
    npc_sessions: BTreeMap<String, i32>,
    npc_terms: BTreeMap<String, i32>,
}

/// Named periods and events with their years.
pub struct Calendar {
    plans: HashMap<String, i32>,
    events: HashMap<String, i32>,
    npc_sessions: HashMap<String, i32>,
    npc_terms: HashMap<String, i32>,
    /// Event names, longest first, for searching.
    event_finder: aho_corasick::AhoCorasick,
    event_names: Vec<String>,
    /// The last three characters of every event name (二十一大 → 十一大,
    /// every plenum → 中全会), by their last character: a text without one
    /// names no event. The last characters are few (大, 会) and rare enough
    /// that a vectorised search for each, checking the tails where it
    /// stops, reads report text several times faster than an automaton.
    event_tails: Vec<(memchr::memmem::Finder<'static>, Vec<String>)>,
}

impl Calendar {
    pub fn builtin() -> &'static Calendar {
        static CAL: LazyLock<Calendar> = LazyLock::new(|| {
            Calendar::from_toml(CALENDAR_TOML).expect("data/calendar.toml is valid")
        });
        &CAL
    }

    pub fn from_toml(text: &str) -> Result<Calendar, String> {
        let f: CalendarFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let events: HashMap<String, i32> = f.congresses.into_iter().chain(f.plenums).collect();
        let mut event_names: Vec<String> = events.keys().cloned().collect();
        event_names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let event_finder = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&event_names)
            .map_err(|e| e.to_string())?;
        let mut tails: Vec<String> = event_names
            .iter()
            .map(|n| {
                let cut = n.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
                n[cut..].to_string()
            })
            .collect();
        tails.sort();
        tails.dedup();
        let mut event_tails: Vec<(memchr::memmem::Finder<'static>, Vec<String>)> = Vec::new();
        for t in tails {
            let Some(last) = t.chars().next_back() else {
                continue;
            };
            let last = last.to_string();
            match event_tails
                .iter_mut()
                .find(|(f, _)| f.needle() == last.as_bytes())
            {
                Some((_, group)) => group.push(t),
                None => event_tails.push((
                    memchr::memmem::Finder::new(last.as_bytes()).into_owned(),
                    vec![t],
                )),
            }
        }
        Ok(Calendar {
            plans: f.plans.into_iter().collect(),
            events,
            npc_sessions: f.npc_sessions.into_iter().collect(),
            npc_terms: f.npc_terms.into_iter().collect(),
            event_finder,
            event_names,
            event_tails,
        })
    }

    /// The years of a five-year plan named by its ordinal (十二五 → 2011–2015).
    pub fn plan(&self, name: &str) -> Option<(i32, i32)> {
        self.plans.get(name).map(|s| (*s, s + 4))
    }

    /// Five-year plans named in `text` as periods (“十五” · 十一五时期 ·
    /// 十二五末 · 十三五规划), with their years. A bare 十五 counts only in
    /// quotes or before a period word (not 十五届, 第十五).
    pub fn plans_in(&self, text: &str) -> Vec<(Range<usize>, (i32, i32))> {
        let mut out = Vec::new();
        // 五 by memmem: its last byte (0x94) is common in Chinese text, which
        // a search for the character by that byte stops at.
        static FIVE: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new("五"));
        for i in FIVE.find_iter(text.as_bytes()) {
            // The name ends at this 五: try the longest name first.
            for len in [9usize, 6, 3] {
                // 十一五 · 十五 · 九五 (3 bytes a character).
                let Some(start) = (i + 3).checked_sub(len) else {
                    continue;
                };
                let Some(name) = text.get(start..i + 3) else {
                    continue;
                };
                let Some(&first) = self.plans.get(name) else {
                    continue;
                };
                let before = text[..start].chars().next_back();
                if before.is_some_and(|c| "一二三四五六七八九十第".contains(c)) {
                    continue;
                }
                let after = text[i + 3..].trim_start_matches('”');
                let quoted = before == Some('“');
                let period = [
                    "时期", "期间", "末", "期末", "规划", "计划", "以来", "的", "前",
                ]
                .iter()
                .any(|w| after.starts_with(w));
                if quoted || period {
                    out.push((start..i + 3, (first, first + 4)));
                }
                break;
            }
        }
        out
    }

    /// The year of a national congress session, from its term and session
    /// ordinals in Chinese numerals (十三, 二 → 2019).
    pub fn npc_session(&self, term: &str, session: &str) -> Option<i32> {
        if let Some(y) = self.npc_sessions.get(&format!("{term}届{session}次")) {
            return Some(*y);
        }
        let first = self.npc_terms.get(term)?;
        let k = cn_small(session)?;
        (1..=5).contains(&k).then(|| first + k - 1)
    }

    /// Party congresses and plenums named in `text`, with their years
    /// (十九大 · 十九届四中全会 · 十六届三中、四中全会 names two).
    pub fn events_in(&self, text: &str) -> Vec<(Range<usize>, i32)> {
        static PLENUMS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"((?:二十|十)[一二三四五六七八九]?)届((?:[一二三四五六七八九]中[、和及]?){1,7})全会")
                .expect("plenum list")
        });
        // 全会 by a finder built once (`str::contains` builds one per call).
        static PLENUM_END: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new("全会"));
        let has_plenum = PLENUM_END.find(text.as_bytes()).is_some();
        let mut out: Vec<(Range<usize>, i32)> = Vec::new();
        // Every name ends in one of the tails, and every plenum list in 全会.
        let tail_at = |f: &memchr::memmem::Finder<'_>, group: &[String]| {
            f.find_iter(text.as_bytes()).any(|i| {
                let end = i + f.needle().len();
                group.iter().any(|t| text[..end].ends_with(t.as_str()))
            })
        };
        if !has_plenum && !self.event_tails.iter().any(|(f, g)| tail_at(f, g)) {
            return out;
        }
        for m in self.event_finder.find_iter(text) {
            let name = &self.event_names[m.pattern().as_usize()];
            // 十八大 inside 二十八大 is no congress.
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| "一二三四五六七八九十".contains(c)) {
                continue;
            }
            if let Some(y) = self.events.get(name) {
                out.push((m.start()..m.end(), *y));
            }
        }
        // Every plenum list ends in 全会.
        let plenums = if has_plenum {
            PLENUMS.captures_iter(text).collect()
        } else {
            Vec::new()
        };
        for c in plenums {
            let (Some(all), Some(term), Some(list)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            for n in list
                .as_str()
                .split(['、', '和', '及'])
                .filter(|n| !n.is_empty())
            {
                let key = format!("{}届{}全会", term.as_str(), n);
                if let Some(y) = self.events.get(&key)
                    && !out
                        .iter()
                        .any(|(r, yy)| r.start >= all.start() && *yy == *y)
                {
                    out.push((all.range(), *y));
                }
            }
        }
        out.sort_by_key(|e| e.0.start);
        out
    }
}

/// The last year of a five-year horizon that opens with `first` (a plan
/// drawn up in a five-year plan's first year looks to its last).
pub fn five_year_end(first: i32) -> i32 {
    first + 4
}

/// `date_part`: the part of a report's time a date speaks of. Early in a
/// year (January–June) a report is given in the year it plans; late in a
/// year (September on: a plenum, a year-end meeting) in the year it
/// reviews. July and August tell neither.
pub fn date_part(month: u32) -> Option<Field> {
    match month {
        1..=6 => Some(Field::PlanYear),
        9..=12 => Some(Field::ReviewYear),
        _ => None,
    }
}

/// The year of a date known only by month and day (1月25日开幕 · a masked
/// 20xx年), from the document's years: the plan year early in a year, the
/// review year otherwise.
pub fn year_of_month(month: u32, review: Option<i32>, plan: Option<i32>) -> Option<i32> {
    match date_part(month) {
        Some(Field::PlanYear) => plan,
        _ => review,
    }
}

/// Whether a day exists in the calendar (no 1月58日, no 2月30日; 2月29日 in
/// leap years only).
pub fn valid_date(year: i32, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A small number in Chinese numerals (一 … 九十九).
pub fn cn_small(s: &str) -> Option<i32> {
    let d = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|p| p as i32)
    };
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

/// A year written with Arabic digits (2018) or Chinese digits (一九五八,
/// 二〇〇一, 二○○一, 二零零一), within 1900–2100.
pub fn parse_year(s: &str) -> Option<i32> {
    let y = if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()?
    } else {
        let mut y = 0;
        let mut n = 0;
        for c in s.chars() {
            let v = match c {
                '〇' | '○' | '零' | 'O' => 0,
                _ => "〇一二三四五六七八九".chars().position(|x| x == c)? as i32,
            };
            y = y * 10 + v;
            n += 1;
        }
        if n != 4 {
            return None;
        }
        y
    };
    (1900..=2100).contains(&y).then_some(y)
}

/// A year in running text: four Arabic or Chinese digits before 年.
const YEAR: &str = r"(\d{4}|[一二三四五六七八九〇○零]{4})";

/// A cue for a year, before the vote.
fn year_cue(field: Field, y: i32, rule: &'static str, weight: u16, span: Range<usize>) -> Cue {
    Cue {
        field,
        value: y.to_string(),
        rule,
        weight,
        span,
        indirect: false,
        won: false,
    }
}

/// Where in the text a cue rule looks.
pub struct TimeInput<'a> {
    /// The whole normalized text; spans are offsets into it.
    pub text: &'a str,
    /// The document's first lines, page furniture included.
    pub first_lines: &'a [&'a str],
    /// Header lines (title, date, meeting, speaker).
    pub header: &'a [&'a str],
    /// Body lines outside furniture, in order.
    pub body: &'a [&'a str],
    pub sections: &'a [Section],
    /// The document's title as decided.
    pub title: Option<&'a str>,
}

/// Byte span of `sub` inside `text`, when `sub` is a slice of it.
pub fn span_of(text: &str, sub: &str) -> Range<usize> {
    let base = text.as_ptr() as usize;
    let p = sub.as_ptr() as usize;
    if p >= base && p + sub.len() <= base + text.len() {
        p - base..p - base + sub.len()
    } else {
        0..0
    }
}

/// The span in the document's text of a match inside `line`.
fn span_in(text: &str, line: &str, m: Option<regex::Match<'_>>) -> Range<usize> {
    let at = span_of(text, line).start;
    m.map_or(at..at, |m| at + m.start()..at + m.end())
}

/// The first top-level review section.
fn review_section<'a>(input: &'a TimeInput<'a>) -> Option<&'a Section> {
    input
        .sections
        .iter()
        .find(|s| s.parent.is_none() && s.role == Some(Role::Review))
}

/// The first body line after a section's heading.
fn first_line_after<'a>(input: &'a TimeInput<'a>, s: &Section) -> Option<&'a str> {
    input
        .body
        .iter()
        .copied()
        .find(|l| span_of(input.text, l).start >= s.heading.end)
}

/// Every year cue of a document.
pub fn year_cues(input: &TimeInput<'_>) -> Vec<Cue> {
    let mut out = Vec::new();
    heading_year(input, &mut out);
    npc_session(input, &mut out);
    review_opening(input, &mut out);
    header_date(input, &mut out);
    plan_ordinal(input, &mut out);
    targets_year(input, &mut out);
    five_year_review(input, &mut out);
    year_paragraph(input, &mut out);
    title_year(input, &mut out);
    dateline(input, &mut out);
    party_calendar(input, &mut out);
    out
}

/// Lines to scan for cues in running text: the body's first lines, bounded.
fn body_window<'a>(input: &'a TimeInput<'a>, max_bytes: usize) -> impl Iterator<Item = &'a str> {
    let mut seen = 0usize;
    input.body.iter().copied().take_while(move |l| {
        seen += l.len();
        seen <= max_bytes + l.len()
    })
}

static HEADING_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{YEAR}年")).expect("heading year"));

/// `heading_year`: 2017年政府工作回顾 → review 2017; 2018年重点工作 → plan
/// 2018 (top-level headings with a role).
fn heading_year(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    for s in input.sections.iter().filter(|s| s.parent.is_none()) {
        let field = match s.role {
            Some(Role::Review) => Field::ReviewYear,
            Some(Role::Tasks | Role::Targets | Role::Guidance | Role::LivelihoodProjects) => {
                Field::PlanYear
            }
            _ => continue,
        };
        // The last year of a review heading ("十一五"时期回顾和2010年工作).
        let years: Vec<_> = HEADING_YEAR
            .captures_iter(&s.title)
            .filter_map(|c| parse_year(&c[1]))
            .collect();
        let y = if field == Field::ReviewYear {
            years.last()
        } else {
            years.first()
        };
        if let Some(y) = y {
            out.push(year_cue(field, *y, "heading_year", 10, s.heading.clone()));
        }
    }
}

static NPC_SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,2})次会议",
    )
    .expect("npc session")
});

/// `npc_session`: 第十三届全国人民代表大会第二次会议 → plan 2019.
fn npc_session(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    let cal = Calendar::builtin();
    for l in input
        .header
        .iter()
        .copied()
        .chain(body_window(input, 2_000))
    {
        // A match test is far cheaper than captures: only a line that
        // matches is taken apart.
        if NPC_SESSION.is_match(l)
            && let Some(c) = NPC_SESSION.captures(l)
            && let Some(y) = cal.npc_session(&c[1], &c[2])
        {
            let span = span_in(input.text, l, c.get(0));
            out.push(year_cue(Field::PlanYear, y, "npc_session", 8, span));
            return;
        }
    }
}

static REVIEW_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:过去的一年|过去一年|刚刚过去的|一年来)?[，]?{YEAR}年(?:，|是|以来|我们|全年|，是)"
    ))
    .expect("review opening")
});

/// `review_opening`: the review section's first line opens on its year
/// (2017年，全区… · 刚刚过去的2017年，…).
fn review_opening(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    let Some(first) = review_section(input).and_then(|r| first_line_after(input, r)) else {
        return;
    };
    if let Some(c) = REVIEW_OPENING.captures(first)
        && let Some(y) = parse_year(&c[1])
    {
        let span = span_in(input.text, first, c.get(1));
        out.push(year_cue(Field::ReviewYear, y, "review_opening", 8, span));
    }
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{YEAR}年([0-9一二三四五六七八九十]{{1,3}})月")).expect("date")
});

/// `header_date`: （2018年1月19日） in the header → plan 2018; a year-end
/// date (2019年12月20日) → review 2019.
fn header_date(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    for l in input.header {
        let Some(c) = DATE.captures(l) else { continue };
        let (Some(y), Some(m)) = (parse_year(&c[1]), month(&c[2])) else {
            continue;
        };
        let at = span_of(input.text, l).start;
        let span = c.get(0).map_or(0..0, |m| at + m.start()..at + m.end());
        if let Some(field) = date_part(m) {
            out.push(year_cue(field, y, "header_date", 7, span));
        }
        return;
    }
}

fn month(s: &str) -> Option<u32> {
    let m: u32 = match s.parse() {
        Ok(m) => m,
        Err(_) => cn_small(s)? as u32,
    };
    (1..=12).contains(&m).then_some(m)
}

static PLAN_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"“?(十[一二三四五六]?五)”?(?:规划|计划|时期)[^。；]{0,6}?(第[一二三四五]年|开局之年|起步之年|开局年|收官之年|最后一年|决胜之年)")
        .expect("plan ordinal pattern")
});

fn plan_offset(ordinal: &str) -> Option<i32> {
    Some(match ordinal {
        "第一年" | "开局之年" | "起步之年" | "开局年" => 0,
        "第二年" => 1,
        "第三年" => 2,
        "第四年" => 3,
        "第五年" | "收官之年" | "最后一年" | "决胜之年" => 4,
        _ => return None,
    })
}

/// `plan_ordinal`: the review's first paragraph says which year of a plan
/// it was (是全面实施“十二五”规划的第一年 → review 2011).
fn plan_ordinal(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    let cal = Calendar::builtin();
    let lines: Vec<&str> = match review_section(input) {
        Some(r) => first_line_after(input, r).into_iter().collect(),
        None => body_window(input, 3_000).collect(),
    };
    for l in lines {
        // The paragraph's first few sentences (20xx年，…。是全面实施“十三五”规划的第二年).
        let first: &str = match l.char_indices().nth(300) {
            Some((k, _)) => &l[..k],
            None => l,
        };
        if let Some(c) = PLAN_ORDINAL.captures(first)
            && let (Some((s, _)), Some(o)) = (cal.plan(&c[1]), plan_offset(&c[2]))
        {
            let at = span_of(input.text, l).start;
            let m = c.get(0).map_or(0..0, |m| m.range());
            let mut cue = year_cue(
                Field::ReviewYear,
                s + o,
                "plan_ordinal",
                6,
                at + m.start..at + m.end,
            );
            cue.indirect = true;
            out.push(cue);
            return;
        }
    }
}

/// What a year's plan is called after its year (2019年经济社会发展的主要预期目标).
const PLAN_NAMES: [&str; 11] = [
    "主要预期目标",
    "预期目标",
    "工作的总体要求",
    "工作总体要求",
    "政府工作的总要求",
    "工作的建议",
    "工作建议",
    "重点任务",
    "主要任务",
    "工作安排",
    "重点工作",
];

static TARGETS_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(完成|实现|确定的|超额|对照|年初)?[^。，；\d]{{0,2}}{YEAR}年?(?:[^。，；\d]{{0,12}}?)({})",
        PLAN_NAMES.join("|")
    ))
    .expect("targets year")
});

/// A line that names no plan (`PLAN_NAMES`) holds no `targets_year` cue.
static PLAN_NAME_FINDER: LazyLock<gwr_text::WordList> =
    LazyLock::new(|| gwr_text::WordList::new(PLAN_NAMES.map(String::from).to_vec()));

/// `targets_year`: 2019年经济社会发展的主要预期目标是 · 提出了2018年的工作建议
/// → plan year. A target year already met (完成了2017年预期目标) is no cue.
fn targets_year(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    for l in body_window(input, 40_000) {
        if !PLAN_NAME_FINDER.found_in(l) {
            continue;
        }
        for c in TARGETS_YEAR.captures_iter(l) {
            if c.get(1).is_some() {
                continue;
            }
            let Some(y) = parse_year(&c[2]) else { continue };
            // 2014全市 needs a Han character after the bare digits.
            let span = span_in(input.text, l, c.get(2));
            out.push(year_cue(Field::PlanYear, y, "targets_year", 5, span));
            return;
        }
    }
}

static FIVE_YEAR_REVIEW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"“?(十[一二三四五六]?五|[一二三四五六七八九]五)”?(?:时期|期间|规划)?(?:工作)?(?:和[^，。]{0,12})?(?:回顾|已经过去|胜利完成|圆满完成)")
        .expect("five-year review")
});

/// `five_year_review`: “十一五”时期回顾 (a heading or the review's first
/// words) → review year 2010, review span 2006–2010.
fn five_year_review(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    let cal = Calendar::builtin();
    let heads = input
        .sections
        .iter()
        .filter(|s| s.parent.is_none() && s.role == Some(Role::Review))
        .map(|s| (s.title.as_str(), s.heading.clone()));
    for (t, heading) in heads {
        if let Some(c) = FIVE_YEAR_REVIEW.captures(t)
            && let Some((a, z)) = cal.plan(&c[1])
        {
            let span = heading;
            let mut cue = year_cue(Field::ReviewYear, z, "five_year_review", 5, span.clone());
            cue.indirect = true;
            out.push(cue);
            out.push(Cue {
                field: Field::ReviewSpan,
                value: format!("{a}-{z}"),
                rule: "five_year_review",
                weight: 5,
                span,
                indirect: false,
                won: false,
            });
            return;
        }
    }
}

static YEAR_PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[^。]{{0,20}}?{YEAR}年(?:是|，)")).expect("year paragraph")
});

/// `year_paragraph`: a paragraph opening on a year whose sentence looks back
/// (2013年是…开局之年。一年来…) → review 2013; one that looks ahead
/// (2014年是…关键之年，…主要预期目标) → plan 2014. Taken once, from the first
/// such paragraph outside a plan section.
fn year_paragraph(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    for l in body_window(input, 20_000) {
        // A match test is far cheaper than captures: only a line that
        // matches is taken apart.
        if !YEAR_PARAGRAPH.is_match(l) {
            continue;
        }
        let Some(c) = YEAR_PARAGRAPH.captures(l) else {
            continue;
        };
        let Some(y) = parse_year(&c[1]) else { continue };
        let head: String = l.chars().take(160).collect();
        let words = DocWords::builtin();
        let back = words.year_paragraph_back.found_in(&head);
        let ahead = words.year_paragraph_ahead.found_in(&head);
        let field = match (back, ahead) {
            (true, false) => Field::ReviewYear,
            (false, true) => Field::PlanYear,
            _ => continue,
        };
        let span = span_in(input.text, l, c.get(1));
        out.push(year_cue(field, y, "year_paragraph", 4, span));
        return;
    }
}

static TITLE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{YEAR}年[^，。]{{0,20}}(?:政府工作报告|工作报告)"
    ))
    .expect("title year")
});

/// `title_year`: 2011年辽宁省政府工作报告 → plan 2011 (the year it is given).
fn title_year(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    let Some(t) = input.title else { return };
    if let Some(c) = TITLE_YEAR.captures(t)
        && let Some(y) = parse_year(&c[1])
    {
        out.push(year_cue(
            Field::PlanYear,
            y,
            "title_year",
            3,
            span_of(input.text, t),
        ));
    }
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])((?:19|20)\d{2})[-/.](\d{1,2})[-/.]\d{1,2}(?:[^\d]|$)")
        .expect("dateline")
});

/// `dateline`: a page's or a news item's date (2009-01-08 09:52:10 ·
/// 发布日期:2018-01-26): early in a year → plan year, late → review year.
fn dateline(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    for l in input.first_lines {
        // The pattern needs four digits and a separator after them.
        if !has_year_then_separator(l) {
            continue;
        }
        let Some(c) = DATELINE.captures(l) else {
            continue;
        };
        let (Some(y), Ok(m)) = (parse_year(&c[1]), c[2].parse::<u32>()) else {
            continue;
        };
        let at = span_of(input.text, l).start;
        let span = c.get(1).map_or(0..0, |m| at + m.start()..at + m.end());
        let Some(field) = date_part(m) else { continue };
        out.push(year_cue(field, y, "dateline", 2, span));
        return;
    }
}

/// Can `l` hold a [`DATELINE`]: 19 or 20, two digits (any script's, as
/// `\d` reads them) and `-`, `/` or `.`? Only the separators are looked
/// for; the characters before each are checked.
fn has_year_then_separator(l: &str) -> bool {
    memchr::memchr3_iter(b'-', b'/', b'.', l.as_bytes()).any(|i| {
        let mut before = l[..i].char_indices().rev();
        let two_digits = before.next().is_some_and(|(_, c)| c.is_numeric())
            && before.next().is_some_and(|(_, c)| c.is_numeric());
        let head = before.next().map_or(0, |(k, c)| k + c.len_utf8());
        two_digits && (l[..head].ends_with("19") || l[..head].ends_with("20"))
    })
}

/// `party_calendar`: the latest party congress or plenum the text names
/// (十九届四中全会 → 2019) is the review year at the latest.
fn party_calendar(input: &TimeInput<'_>, out: &mut Vec<Cue>) {
    let cal = Calendar::builtin();
    let mut best: Option<(i32, Range<usize>)> = None;
    for l in body_window(input, 60_000) {
        let at = span_of(input.text, l).start;
        for (r, y) in cal.events_in(l) {
            if best.as_ref().is_none_or(|(b, _)| y > *b) {
                best = Some((y, at + r.start..at + r.end));
            }
        }
    }
    if let Some((y, span)) = best {
        let mut cue = year_cue(Field::ReviewYear, y, "party_calendar", 1, span);
        cue.indirect = true;
        out.push(cue);
    }
}

/// The document's years from its cues: `(review, plan)`, with the winning
/// cues marked. A plan-year cue Y votes for review year Y − 1.
pub fn decide_years(cues: &mut [Cue]) -> Option<(i32, i32)> {
    let mut votes: BTreeMap<i32, (u32, u16)> = BTreeMap::new();
    for c in cues.iter() {
        let Some(r) = review_vote(c) else { continue };
        let e = votes.entry(r).or_default();
        e.0 += u32::from(c.weight);
        e.1 = e.1.max(c.weight);
    }
    let (review, _) = votes
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(r, v)| (*r, *v))?;
    for c in cues.iter_mut() {
        if review_vote(c) == Some(review) {
            c.won = true;
        }
    }
    Some((review, review + 1))
}

fn review_vote(c: &Cue) -> Option<i32> {
    let y: i32 = c.value.parse().ok()?;
    match c.field {
        Field::ReviewYear => Some(y),
        Field::PlanYear => Some(y - 1),
        _ => None,
    }
}

/// `term_review`: a review headed or opened with 过去五年 / 五年来 / 本届政府
/// 任期 covers the years up to the review year (2018 report: 2013–2017).
/// 本届政府 alone names no span: 2013年是本届政府履职的第一年 reviews one year.
pub fn term_span(input: &TimeInput<'_>, review: i32) -> Option<Cue> {
    let review_sec = review_section(input);
    // (text, offset of its first byte in the document's text)
    let mut places: Vec<(&str, usize)> = Vec::new();
    if let Some(s) = review_sec {
        // The title as the text has it, inside the heading span.
        if let Some(h) = input.text.get(s.heading.clone()) {
            places.push((h, s.heading.start));
        }
        if let Some(first) = first_line_after(input, s) {
            let f = first.split('。').next().unwrap_or("");
            places.push((f, span_of(input.text, first).start));
        }
    } else {
        places.extend(body_window(input, 3_000).map(|l| {
            (
                l.split('。').next().unwrap_or(""),
                span_of(input.text, l).start,
            )
        }));
    }
    for (p, base) in places {
        for (w, n) in &DocWords::builtin().term_words {
            if let Some(i) = p.find(w.as_str()) {
                let at = base + i;
                return Some(Cue {
                    field: Field::ReviewSpan,
                    value: format!("{}-{}", review - n + 1, review),
                    rule: "term_review",
                    weight: 4,
                    span: at..at + w.len(),
                    indirect: true,
                    won: false,
                });
            }
        }
    }
    None
}

/// Words that name a year relative to the time a document is given.
pub const RELATIVE_YEARS: &[(&str, i32)] = &[
    ("今年", 0),
    ("本年", 0),
    ("去年", -1),
    ("上年", -1),
    ("上一年", -1),
    ("前年", -2),
    ("明年", 1),
    ("下一年", 1),
];

/// The year a document speaks from: its date's year, else the plan year
/// for a report given early in the year it plans.
pub fn now_year(date: Option<&str>, plan: Option<i32>) -> Option<i32> {
    date.and_then(|d| d.get(..4)?.parse().ok()).or(plan)
}

/// `relative_year`: 今年 · 去年 · 明年 read against the year a document
/// speaks from (a report given in 2021: 去年 = 2020; a plenum of December
/// 2020: 明年 = 2021).
pub fn relative_year(word: &str, now: i32) -> Option<i32> {
    RELATIVE_YEARS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, d)| now + d)
}

/// A term word in a heading, not the tail of a year (一九八四年 holds 四年).
fn has_term_word(title: &str) -> bool {
    DocWords::builtin().term_headings.iter().any(|w| {
        title.match_indices(w.as_str()).any(|(i, _)| {
            !title[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九十".contains(c))
        })
    })
}

/// `section_period`: the years each section is about, decided once from the
/// document's time. A top-level review section covers the review year, or
/// the review span when its heading names a term or a five-year period
/// (过去五年工作回顾 · “十一五”时期回顾和2010年工作); a plan section covers the
/// plan year, or a five-year horizon when its heading names one (“十四五”时期
/// 的主要目标 → that plan's years; 今后五年 → the plan year and four more).
/// Subsections take their parent's period, and a subsection heading with a
/// year of its own (2017年工作 under a term review) takes that year. A
/// top-level heading with no role word that names the review or the plan
/// year gets that part's role here, where the years are known.
pub fn section_periods(
    sections: &mut [Section],
    review: Option<i32>,
    plan: Option<i32>,
    review_span: Option<[i32; 2]>,
) {
    let cal = Calendar::builtin();
    for i in 0..sections.len() {
        let parent = sections[i]
            .parent
            .and_then(|p| sections.get(p))
            .and_then(|p| p.period);
        let title = sections[i].title.as_str();
        let own_year = HEADING_YEAR.captures(title).and_then(|c| parse_year(&c[1]));
        let plans = cal.plans_in(title);
        let term = has_term_word(title) || !plans.is_empty();
        // A top-level heading without a role word that names the review or
        // the plan year (一九八三年的经济形势 · 一九八四年的经济工作) plays
        // that year's part.
        if sections[i].parent.is_none() && sections[i].role.is_none() && own_year.is_some() {
            if own_year == review {
                sections[i].role = Some(Role::Review);
            } else if own_year == plan {
                sections[i].role = Some(Role::Tasks);
            }
        }
        let period = match (sections[i].parent, sections[i].role) {
            (None, Some(Role::Review)) => match (term, review_span, review) {
                (true, Some(s), _) => Some(s),
                (true, None, Some(r)) => plans
                    .last()
                    .map(|(_, (a, z))| [*a, *z])
                    .or(Some([r - 4, r])),
                (_, _, Some(r)) => Some([r, r]),
                _ => None,
            },
            (
                None,
                Some(Role::Tasks | Role::Targets | Role::Guidance | Role::LivelihoodProjects),
            ) => match (plans.first(), term, plan) {
                (Some((_, (a, z))), _, _) => Some([*a, *z]),
                (None, true, Some(p)) => Some([p, five_year_end(p)]),
                (None, false, Some(p)) => Some([own_year.unwrap_or(p), own_year.unwrap_or(p)]),
                _ => None,
            },
            (None, _) => None,
            (Some(_), _) => match own_year {
                Some(y) if parent.is_some_and(|[a, z]| a < z && (a..=z).contains(&y)) => {
                    Some([y, y])
                }
                _ => parent,
            },
        };
        sections[i].period = period;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Section;

    fn sec(title: &str, role: Option<Role>) -> Section {
        Section {
            id: "1".into(),
            level: 1,
            marker: "一、".into(),
            title: title.into(),
            heading: 0..0,
            span: 0..0,
            role,
            parent: None,
            period: None,
        }
    }

    /// Run every rule over a text of header and body lines; return
    /// `(rule, field, value)` for each cue.
    fn cues(header: &[&str], body: &str, sections: &[Section]) -> Vec<(String, String, String)> {
        let text = format!("{}\n{}", header.join("\n"), body);
        let lines: Vec<&str> = text.split('\n').collect();
        let (h, b) = lines.split_at(header.len());
        let input = TimeInput {
            text: &text,
            first_lines: &lines,
            header: h,
            body: b,
            sections,
            title: h.first().copied(),
        };
        year_cues(&input)
            .into_iter()
            .map(|c| (c.rule.to_string(), c.field.as_str().to_string(), c.value))
            .collect()
    }

    fn has(cs: &[(String, String, String)], rule: &str, field: &str, value: &str) -> bool {
        cs.iter()
            .any(|(r, f, v)| r == rule && f == field && v == value)
    }

    #[test]
    fn years_in_both_scripts() {
        assert_eq!(parse_year("2018"), Some(2018));
        assert_eq!(parse_year("一九五八"), Some(1958));
        assert_eq!(parse_year("二〇〇一"), Some(2001));
        assert_eq!(parse_year("二○一二"), Some(2012));
        assert_eq!(parse_year("1234"), None);
        assert_eq!(parse_year("十二"), None);
        assert_eq!(cn_small("十三"), Some(13));
        assert_eq!(cn_small("二十"), Some(20));
    }

    #[test]
    fn calendar_periods_and_events() {
        let cal = Calendar::builtin();
        assert_eq!(cal.plan("十二五"), Some((2011, 2015)));
        assert_eq!(cal.plan("十五"), Some((2001, 2005)));
        assert_eq!(cal.npc_session("十三", "二"), Some(2019));
        assert_eq!(cal.npc_session("一", "五"), Some(1958));
        let t = "深入贯彻党的十九大和十九届四中全会精神";
        let ys: Vec<i32> = cal.events_in(t).into_iter().map(|(_, y)| y).collect();
        assert_eq!(ys, vec![2017, 2019]);
        let t = "认真贯彻党的十六大和十六届三中、四中全会精神";
        let mut ys: Vec<i32> = cal.events_in(t).into_iter().map(|(_, y)| y).collect();
        ys.sort();
        assert_eq!(ys, vec![2002, 2003, 2004]);
        let ps: Vec<(i32, i32)> = cal
            .plans_in("是“十五”的4.2倍，“十一五”期间，十五届人大")
            .into_iter()
            .map(|p| p.1)
            .collect();
        assert_eq!(ps, vec![(2001, 2005), (2006, 2010)]);
        // 二十八大 is not the eighteenth congress.
        assert!(cal.events_in("第二十八大类").is_empty());
    }

    #[test]
    fn heading_year_rule() {
        let s = [
            sec("2017年政府工作回顾", Some(Role::Review)),
            sec("2018年重点工作", Some(Role::Tasks)),
        ];
        let c = cues(&["政府工作报告"], "正文。", &s);
        assert!(has(&c, "heading_year", "review_year", "2017"));
        assert!(has(&c, "heading_year", "plan_year", "2018"));
        let s = [sec("“十一五”时期回顾和2010年工作", Some(Role::Review))];
        let c = cues(&["报告"], "正文。", &s);
        assert!(has(&c, "heading_year", "review_year", "2010"));
        assert!(has(&c, "five_year_review", "review_span", "2006-2010"));
    }

    #[test]
    fn npc_session_rule() {
        let c = cues(
            &["政府工作报告", "——在第十二届全国人民代表大会第三次会议上"],
            "各位代表：",
            &[],
        );
        assert!(has(&c, "npc_session", "plan_year", "2015"));
    }

    #[test]
    fn header_date_rule() {
        let c = cues(&["政府工作报告", "（2020年1月8日）"], "正文。", &[]);
        assert!(has(&c, "header_date", "plan_year", "2020"));
        let c = cues(&["全会报告", "（二〇一九年十二月二十日）"], "正文。", &[]);
        assert!(has(&c, "header_date", "review_year", "2019"));
    }

    #[test]
    fn targets_year_rule() {
        let c = cues(
            &["报告"],
            "某某说，2019年全县经济社会发展的主要预期目标是：生产总值增长7%。",
            &[],
        );
        assert!(has(&c, "targets_year", "plan_year", "2019"));
        let c = cues(&["报告"], "谈及2014全市政府工作的总要求，报告提出……", &[]);
        assert!(has(&c, "targets_year", "plan_year", "2014"));
        // A target already met is about the review year: no cue.
        let c = cues(&["报告"], "全面完成了2017年主要预期目标。", &[]);
        assert!(!c.iter().any(|(r, _, _)| r == "targets_year"));
    }

    #[test]
    fn year_paragraph_rule() {
        let c = cues(
            &["报告"],
            "谈到过去一年，他说，2013年是全面落实的开局之年。一年来，全市攻坚克难。",
            &[],
        );
        assert!(has(&c, "year_paragraph", "review_year", "2013"));
    }

    #[test]
    fn datelines_are_looked_for_where_a_year_and_separator_stand() {
        for l in [
            "发布日期：2018-01-26",
            "2009/1/8",
            "20１８.1.2",
            "x1999-1-1",
        ] {
            assert!(has_year_then_separator(l), "{l}");
        }
        for l in [
            "增长5.5%",
            "第2018号",
            "2018年1月",
            "18-01-26",
            "3020-01-01",
        ] {
            assert!(!has_year_then_separator(l), "{l}");
            assert!(!DATELINE.is_match(l), "{l}");
        }
    }

    #[test]
    fn dateline_and_title_rules() {
        let c = cues(
            &["2011年某省政府工作报告"],
            "2009-01-08 09:52:10 稿源：本网\n正文。",
            &[],
        );
        assert!(has(&c, "title_year", "plan_year", "2011"));
        assert!(has(&c, "dateline", "plan_year", "2009"));
    }

    #[test]
    fn plan_ordinal_rule() {
        let s = [sec("工作回顾", Some(Role::Review))];
        let text = "报告\n2011年，是全面实施“十二五”规划的第一年。";
        let lines: Vec<&str> = text.split('\n').collect();
        let mut secs = s.to_vec();
        secs[0].heading = 0..span_of(text, lines[0]).end;
        let input = TimeInput {
            text,
            first_lines: &lines,
            header: &lines[..1],
            body: &lines[1..],
            sections: &secs,
            title: None,
        };
        let c = year_cues(&input);
        assert!(
            c.iter()
                .any(|c| c.rule == "plan_ordinal" && c.value == "2011")
        );
        assert!(
            c.iter()
                .any(|c| c.rule == "review_opening" && c.value == "2011")
        );
    }

    #[test]
    fn party_calendar_rule() {
        let c = cues(&["报告"], "全面贯彻党的十八大和十八届三中全会精神。", &[]);
        assert!(has(&c, "party_calendar", "review_year", "2013"));
    }

    #[test]
    fn section_periods_follow_the_document_time() {
        let mut s = vec![
            sec("过去五年工作回顾", Some(Role::Review)),
            sec("2017年工作", None),
            sec("今后五年的奋斗目标", Some(Role::Targets)),
            sec("2018年重点工作", Some(Role::Tasks)),
            sec("存在的问题", Some(Role::Problems)),
        ];
        s[1].parent = Some(0);
        section_periods(&mut s, Some(2017), Some(2018), Some([2013, 2017]));
        let p: Vec<Option<[i32; 2]>> = s.iter().map(|x| x.period).collect();
        assert_eq!(
            p,
            vec![
                Some([2013, 2017]),
                Some([2017, 2017]),
                Some([2018, 2022]),
                Some([2018, 2018]),
                None
            ]
        );
        let mut s = vec![
            sec("一九八三年的经济形势", None),
            sec("一九八四年的经济工作", None),
        ];
        section_periods(&mut s, Some(1983), Some(1984), None);
        assert_eq!(s[0].role, Some(Role::Review));
        assert_eq!(s[1].role, Some(Role::Tasks));
        assert_eq!(s[1].period, Some([1984, 1984]));
        let mut s = vec![sec("“十一五”时期回顾和2010年工作", Some(Role::Review))];
        section_periods(&mut s, Some(2010), Some(2011), None);
        assert_eq!(s[0].period, Some([2006, 2010]));
    }

    #[test]
    fn calendar_days() {
        assert!(valid_date(2024, 2, 29));
        assert!(!valid_date(2023, 2, 29));
        assert!(!valid_date(2018, 1, 58));
        assert!(!valid_date(2018, 13, 1));
        assert!(valid_date(2018, 12, 31));
    }

    #[test]
    fn relative_years() {
        assert_eq!(now_year(Some("2020-12-26"), Some(2021)), Some(2020));
        assert_eq!(now_year(None, Some(2021)), Some(2021));
        assert_eq!(relative_year("去年", 2021), Some(2020));
        assert_eq!(relative_year("明年", 2020), Some(2021));
        assert_eq!(relative_year("某年", 2020), None);
    }

    #[test]
    fn role_from_the_year_in_a_heading() {
        let roles = |titles: &[&str], review, plan| -> Vec<Option<Role>> {
            let mut s: Vec<Section> = titles.iter().map(|t| sec(t, None)).collect();
            section_periods(&mut s, review, plan, None);
            s.iter().map(|x| x.role).collect()
        };
        assert_eq!(
            roles(
                &["2024年经济社会发展", "2023年经济社会发展", "加强自身建设"],
                Some(2023),
                Some(2024)
            ),
            vec![Some(Role::Tasks), Some(Role::Review), None]
        );
        assert_eq!(roles(&["2024年经济社会发展"], None, None), vec![None]);
    }

    #[test]
    fn votes_decide_the_years() {
        let mut cs = vec![
            year_cue(Field::ReviewYear, 2017, "heading_year", 10, 0..1),
            year_cue(Field::PlanYear, 2017, "title_year", 3, 0..1),
            year_cue(Field::PlanYear, 2018, "header_date", 7, 0..1),
        ];
        assert_eq!(decide_years(&mut cs), Some((2017, 2018)));
        assert!(cs[0].won && !cs[1].won && cs[2].won);
        assert_eq!(decide_years(&mut []), None);
    }

    #[test]
    fn first_year_of_a_government_is_no_term() {
        let s = [sec("2013年工作回顾", Some(Role::Review))];
        let text = "报告\n2013年是本届政府依法履职的第一年。";
        let lines: Vec<&str> = text.split('\n').collect();
        let input = TimeInput {
            text,
            first_lines: &lines,
            header: &lines[..1],
            body: &lines[1..],
            sections: &s,
            title: None,
        };
        assert_eq!(term_span(&input, 2013), None);
    }

    #[test]
    fn term_review_span() {
        let s = [sec("过去五年工作回顾", Some(Role::Review))];
        let text = "报告\n五年来，我们做了很多。";
        let lines: Vec<&str> = text.split('\n').collect();
        let input = TimeInput {
            text,
            first_lines: &lines,
            header: &lines[..1],
            body: &lines[1..],
            sections: &s,
            title: None,
        };
        assert_eq!(
            term_span(&input, 2017).map(|c| c.value),
            Some("2013-2017".to_string())
        );
    }
}
