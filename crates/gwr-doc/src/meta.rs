//! Metadata of one document: title, region, speaker, meeting, date and the
//! review and plan years.
//!
//! Every field is decided from cues: each named rule that reads a value
//! proposes it with a weight (a [`Cue`], kept in [`Metadata::cues`] for
//! `gwr parse --explain`), and the value with the most weight wins.
//! Fields whose winning cues are all indirect are listed in
//! [`Metadata::inferred`].
//!
//! | rule | field | weight | reads |
//! |---|---|---|---|
//! | `header_meeting`, `header_date`, `header_speaker`, `header_title` | meeting, date, speaker, title | 9 | the header block above the greeting |
//! | `header_name_line` | speaker | 7 | a bare name line under the title |
//! | `news_meeting` | meeting | 5 (full) / 4 (short) | a session named after its region in running text |
//! | `news_speaker` | speaker | 5 | 市长某某代表市人民政府作政府工作报告 |
//! | `news_date`, `news_dateline_today` | date | 3 | the day a news item says the session opened |
//! | `national_header`, `meeting_region`, `header_region` | region | 9, 8, 7 | the national header, the meeting's region, names in the header |
//! | `body_region` | region | 2 | the most specific division named three times in the opening pages |
//! | years | review/plan year | see [`crate::time`] | |
//!
//! Masked years (20xx) in the title, date and headings are filled once the
//! years are known.

use crate::config::DocConfig;
use crate::lines::Line;
use crate::model::{Cue, DocType, Field, Metadata, Role, Section};
use crate::regions::{Division, Gazetteer, Level};
use crate::time::{self, TimeInput, span_of};
use crate::words::DocWords;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:在|经)((?:[^，。；在经]){2,48}?(?:会议|全会|大会|全体会议))(?:上|审议|通过|作|的|）|$)")
        .expect("meeting pattern")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4}|\d{2}[xX×*]{2}|[xX×*]{4})年(\d{1,2})月(\d{1,2})日").expect("date pattern")
});
static MASKED_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{2}[xX×*]{2}年|[xX×*]{4}年").expect("masked year pattern"));
fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

static SURNAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = include_str!("../../../data/surnames.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    v
});

/// A personal name: 2–4 Han characters starting with a known surname.
fn person_name(s: &str) -> Option<String> {
    let s = s.trim_end_matches("同志").trim();
    let n = s.chars().count();
    if !(2..=4).contains(&n) || !s.chars().all(is_han) {
        return None;
    }
    SURNAMES
        .iter()
        .any(|sn| s.starts_with(sn.as_str()) && s.len() > sn.len())
        .then(|| s.to_string())
}

/// A name right after an office title (区长楼建忠 · 自治区主席布小林 ·
/// 主席雪克来提·扎克尔): two to eight Han characters, a middle dot allowed,
/// that are no common header words.
fn name_after_title(s: &str) -> Option<String> {
    let s = s.trim_end_matches("同志").trim();
    let n = s.chars().filter(|c| *c != '·').count();
    let ok = (2..=8).contains(&n)
        && s.chars().all(|c| is_han(c) || c == '·')
        && !s.starts_with('·')
        && !DocWords::builtin().not_in_names.found_in(s);
    if n <= 4 || s.contains('·') {
        ok.then(|| s.to_string())
    } else {
        None
    }
}

/// Context for reading one document's metadata.
pub struct MetaInput<'a> {
    pub text: &'a str,
    /// All lines of the document.
    pub lines: &'a [Line<'a>],
    /// Whether each of `lines` is page furniture.
    pub furniture: &'a [bool],
    /// How many of `lines` form the header block.
    pub header_len: usize,
    /// Index in `lines` of the greeting line, if any.
    pub opening: Option<usize>,
    pub doc_type: DocType,
    pub sections: &'a mut [Section],
    /// Metadata of the document before this one in the file.
    pub previous: Option<&'a Metadata>,
    pub cfg: &'a DocConfig,
    pub gazetteer: &'a Gazetteer,
}

/// A value's votes: the value, the heaviest weight of each rule that gave
/// it, and where it was first read.
type Tally<'a> = (&'a str, Vec<(&'static str, u16)>, usize);

/// Proposals for the fields of one document. Every rule that reads a value
/// proposes it with a weight; [`Ballot::decide`] picks, per field, the value
/// with the most weight (ties: the one read first) and marks its cues.
struct Ballot<'t> {
    text: &'t str,
    cues: Vec<Cue>,
}

impl<'t> Ballot<'t> {
    fn propose(
        &mut self,
        field: Field,
        value: impl Into<String>,
        rule: &'static str,
        weight: u16,
        at: &str,
    ) {
        let span = span_of(self.text, at);
        self.propose_span(field, value, rule, weight, span);
    }

    /// A proposal read at a known span of the text.
    fn propose_span(
        &mut self,
        field: Field,
        value: impl Into<String>,
        rule: &'static str,
        weight: u16,
        span: std::ops::Range<usize>,
    ) {
        self.cues.push(Cue {
            field,
            value: value.into(),
            rule,
            weight,
            span,
            indirect: false,
            won: false,
        });
    }

    /// The span of the winning cue of `field`, if any.
    fn won_span(&self, field: Field) -> Option<std::ops::Range<usize>> {
        self.cues
            .iter()
            .find(|c| c.field == field && c.won)
            .map(|c| c.span.clone())
    }

    fn decide(&mut self, field: Field) -> Option<String> {
        // Per value: the heaviest cue of each rule, summed over rules (a
        // headline repeated three times is one cue, not three).
        let mut tally: Vec<Tally<'_>> = Vec::new();
        for c in self.cues.iter().filter(|c| c.field == field) {
            let t = match tally.iter().position(|t| t.0 == c.value) {
                Some(i) => &mut tally[i],
                None => {
                    tally.push((&c.value, Vec::new(), c.span.start));
                    let last = tally.len() - 1;
                    &mut tally[last]
                }
            };
            match t.1.iter_mut().find(|r| r.0 == c.rule) {
                Some(r) => r.1 = r.1.max(c.weight),
                None => t.1.push((c.rule, c.weight)),
            }
        }
        let tally: Vec<(&str, u32, usize)> = tally
            .into_iter()
            .map(|(v, rules, at)| (v, rules.iter().map(|r| u32::from(r.1)).sum(), at))
            .collect();
        let best = tally
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
            .map(|t| t.0.to_string())?;
        for c in self.cues.iter_mut() {
            if c.field == field && c.value == best {
                c.won = true;
            }
        }
        Some(best)
    }

    /// The winning cues of `field` are all indirect.
    fn inferred(&self, field: Field) -> bool {
        let won: Vec<&Cue> = self
            .cues
            .iter()
            .filter(|c| c.field == field && c.won)
            .collect();
        !won.is_empty() && won.iter().all(|c| c.indirect)
    }

    fn mark_last_indirect(&mut self) {
        if let Some(c) = self.cues.last_mut() {
            c.indirect = true;
        }
    }
}

/// Read the metadata of one document (and fill masked years in its headings).
pub fn extract(input: MetaInput<'_>) -> Metadata {
    let MetaInput {
        text,
        lines,
        furniture,
        header_len,
        opening,
        doc_type,
        sections,
        previous,
        cfg,
        gazetteer,
    } = input;
    let mut m = Metadata::default();
    let header_len = header_len.min(lines.len());
    let kept = |range: std::ops::Range<usize>| {
        lines[range.clone()]
            .iter()
            .zip(furniture.get(range).unwrap_or_default())
            .filter(|(_, f)| !**f)
            .map(|(l, _)| l.text)
    };
    let header: Vec<&str> = kept(0..header_len).filter(|t| !t.is_ascii()).collect();
    let body: Vec<&str> = kept(header_len..lines.len()).collect();
    // The opening: greeting and the few lines after it ("我代表…").
    let opening_text: String = opening
        .map(|o| {
            lines
                .get(o..lines.len().min(o + 4))
                .unwrap_or(&[])
                .iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();

    if doc_type == DocType::Glossary {
        m.title = header.first().map(|t| t.to_string());
        if let Some(p) = previous {
            inherit_region(&mut m, p);
        }
        return m;
    }
    let mut b = Ballot {
        text,
        cues: Vec::new(),
    };

    header_cues(&mut b, &header, cfg, doc_type, &opening_text);

    // A page's title printed again above the report (a site's headline).
    if let Some(t) = repeated_headline(lines) {
        b.propose(Field::Title, t, "repeated_headline", 8, t);
    }
    // A page's breadcrumb ends with its title (首页>工作报告>某某作政府工作报告).
    for l in lines.iter().take(12) {
        if let Some(t) = breadcrumb_title(l.text) {
            b.propose(Field::Title, t, "breadcrumb_title", 6, t);
            break;
        }
    }

    // A news item about the report: meeting, speaker and date in its sentences.
    let news: Vec<&str> = header.iter().chain(body.iter()).take(40).copied().collect();
    // Only where the report does not speak itself (no greeting): a report's
    // body names earlier sessions (十届全国人大一次会议确定的目标).
    if opening.is_none() {
        news_meeting(&mut b, &news, gazetteer);
        news_speaker(&mut b, &news, cfg);
    }

    // Region.
    let national = opening_text.contains("代表国务院")
        || header
            .iter()
            .any(|l| l.contains("国务院总理") || l.contains("全国人民代表大会"))
        || b.cues.iter().any(|c| {
            c.field == Field::Meeting && c.value.contains("全国人民代表大会")
                || c.field == Field::SpeakerTitle && c.value.starts_with("国务院")
        });
    let meeting = b.decide(Field::Meeting);
    if national {
        let at = header
            .iter()
            .chain(body.iter().take(8))
            .find(|l| l.contains("国务院") || l.contains("全国人民代表大会"))
            .copied()
            .unwrap_or("");
        b.propose(Field::Region, "中国 000000", "national_header", 9, at);
    } else {
        if let Some(mt) = meeting.as_deref()
            && let Some(d) = meeting_region(gazetteer, mt)
        {
            let span = b.won_span(Field::Meeting).unwrap_or(0..0);
            b.propose_span(
                Field::Region,
                format!("{} {}", d.name, d.code),
                "meeting_region",
                8,
                span,
            );
        }
        // The header and the opening's own words (我代表某某区人民政府…), not
        // the review paragraphs that follow them.
        let own: Vec<&str> = opening_text
            .lines()
            .filter(|l| l.contains("代表") || l.chars().count() <= 8)
            .collect();
        let head_text: String = header.join("\n") + "\n" + &own.join("\n");
        if let Some(d) = best_region(gazetteer, &head_text, 1) {
            b.propose(
                Field::Region,
                format!("{} {}", d.name, d.code),
                "header_region",
                7,
                where_named(header.iter(), d),
            );
        } else {
            // The opening pages name the region often enough.
            let mut body_text = String::new();
            for l in &body {
                if body_text.len() > 12_000 {
                    break;
                }
                body_text.push_str(l);
                body_text.push('\n');
            }
            let names = Names::of(gazetteer, &body_text);
            if let Some(d) = region_of_level(gazetteer, &own.join(""), &names) {
                b.propose(
                    Field::Region,
                    format!("{} {}", d.name, d.code),
                    "opening_level_body_name",
                    3,
                    where_named(body.iter(), d),
                );
                b.mark_last_indirect();
            }
            if let Some(d) = best_region_named(gazetteer, &body_text, &names, 3) {
                b.propose(
                    Field::Region,
                    format!("{} {}", d.name, d.code),
                    "body_region",
                    2,
                    where_named(body.iter(), d),
                );
                b.mark_last_indirect();
            }
        }
    }

    // A township's report: the town under the county-level division the
    // page names with it (某某区某某镇, 发布机构 某某县某某镇).
    if let Some((town, parent, at)) = township(gazetteer, &opening_text, meeting.as_deref(), lines)
    {
        b.propose(
            Field::Region,
            format!("{town} {}+", parent.code),
            "township",
            10,
            at,
        );
    }

    // Fields decided from their cues.
    m.meeting = meeting;
    m.title = b.decide(Field::Title);
    if b.inferred(Field::Title) {
        m.mark_inferred("title");
    }
    m.speaker = b.decide(Field::Speaker);
    m.speaker_title = b.decide(Field::SpeakerTitle);
    if let Some(r) = b.decide(Field::Region) {
        let code = r.rsplit(' ').next().unwrap_or("");
        if code == "000000" {
            m.region = Some("中国".into());
            m.level = Some(Level::National.as_str().into());
        } else if let Some(parent) = code.strip_suffix('+').and_then(|c| gazetteer.get(c)) {
            // A township: below the gazetteer's table, under its parent.
            let town = r.split(' ').next().unwrap_or("").to_string();
            let mut path: Vec<String> = gazetteer
                .path(&parent.code)
                .iter()
                .map(|x| x.name.clone())
                .collect();
            path.push(town.clone());
            m.region = Some(town);
            m.level = Some(Level::Township.as_str().into());
            m.region_path = Some(path);
            m.mark_inferred("region_path");
        } else if let Some(d) = gazetteer.get(code) {
            set_region(&mut m, gazetteer, d);
            m.mark_inferred("region_path");
            if b.inferred(Field::Region) {
                for f in ["region", "level"] {
                    m.mark_inferred(f);
                }
            }
        }
    }

    // Years: every cue votes, once.
    let title = m.title.clone();
    let first_lines: Vec<&str> = lines.iter().take(30).map(|l| l.text).collect();
    let time_input = TimeInput {
        text,
        first_lines: &first_lines,
        header: &header,
        body: &body,
        sections,
        title: title.as_deref(),
    };
    b.cues.extend(time::year_cues(&time_input));
    if let Some((review, plan)) = time::decide_years(&mut b.cues) {
        m.review_year = Some(review);
        m.plan_year = Some(plan);
        let direct = |f: Field| {
            b.cues.iter().any(|c| {
                c.field == f
                    && c.won
                    && !c.indirect
                    && c.value.parse() == Ok(review + i32::from(f == Field::PlanYear))
            })
        };
        if !direct(Field::ReviewYear) {
            m.mark_inferred("review_year");
        }
        if !direct(Field::PlanYear) {
            m.mark_inferred("plan_year");
        }
        // The span a term or five-year review covers.
        if let Some(c) = time::term_span(&time_input, review) {
            b.cues.push(c);
        }
        if let Some(span) = b.decide(Field::ReviewSpan)
            && let Some((a, z)) = span.split_once('-')
            && let (Ok(a), Ok(z)) = (a.parse(), z.parse())
        {
            m.review_span = Some([a, z]);
        }
    }

    // Each section's period, from the decided time.
    time::section_periods(sections, m.review_year, m.plan_year, m.review_span);

    // The date: the header's, or the day a news item says the meeting opened.
    news_date(&mut b, &news, m.review_year, m.plan_year);
    m.date = b.decide(Field::Date);
    if b.inferred(Field::Date) {
        m.mark_inferred("date");
    }

    // Masked years in title, date and headings.
    if let Some(title) = m.title.as_mut()
        && let Some(y) = m.plan_year
        && MASKED_YEAR.is_match(title)
    {
        *title = MASKED_YEAR
            .replace_all(title, format!("{y}年"))
            .into_owned();
        m.inferred.push("title".into());
    }
    if let Some(d) = m.date.clone()
        && !d[..4].chars().all(|c| c.is_ascii_digit())
    {
        let month: u32 = d[5..7].parse().unwrap_or(0);
        match time::year_of_month(month, m.review_year, m.plan_year) {
            Some(y) => {
                m.date = Some(format!("{y}{}", &d[4..]));
                m.mark_inferred("date");
            }
            None => m.date = None,
        }
    }
    for s in sections.iter_mut() {
        if MASKED_YEAR.is_match(&s.title) {
            let y = if s.role == Some(Role::Review) {
                m.review_year
            } else {
                m.plan_year
            };
            if let Some(y) = y {
                s.title = MASKED_YEAR
                    .replace_all(&s.title, format!("{y}年"))
                    .into_owned();
            }
        }
    }
    m.cues = b.cues;
    m
}

/// `header_meeting`, `header_date`, `header_date_cn`, `header_date_name`,
/// `header_speaker`, `header_name_line`, `header_title`,
/// `opening_names_report`: what the header block above the greeting says
/// (——2018年1月19日在某某区第十五届人民代表大会第二次会议上 · 某某区人民政府
/// 区长张三 · 政府工作报告).
fn header_cues(
    b: &mut Ballot<'_>,
    header: &[&str],
    cfg: &DocConfig,
    doc_type: DocType,
    opening_text: &str,
) {
    // Meeting, date, speaker from the header lines.
    let mut used = vec![false; header.len()];
    for (i, line) in header.iter().enumerate() {
        if let Some(c) = MEETING.captures(line) {
            let name = c[1].trim_start_matches(['—', '－']);
            let name = name.rsplit('在').next().unwrap_or(name);
            b.propose(Field::Meeting, name, "header_meeting", 9, line);
            used[i] = true;
        }
        if let Some((date, whole)) = cn_date(line)
            && !b.cues.iter().any(|c| c.field == Field::Date)
        {
            b.propose(Field::Date, date, "header_date_cn", 9, line);
            name_beside_date(b, line, whole);
            used[i] = true;
        }
        if let Some(c) = DATE.captures(line) {
            let (mo, d) = (
                c[2].parse::<u32>().unwrap_or(0),
                c[3].parse::<u32>().unwrap_or(0),
            );
            let year = c[1].parse::<i32>().ok();
            // A day that no calendar has (1月58日) is no date; a masked year
            // (20xx) is filled in below once the years are known.
            let real = match year {
                Some(y) => time::valid_date(y, mo, d),
                None => time::valid_date(2000, mo, d),
            };
            if real && !b.cues.iter().any(|c| c.field == Field::Date) {
                let date = format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]);
                b.propose(Field::Date, date, "header_date", 9, line);
            }
            name_beside_date(b, line, &c[0]);
            used[i] = true;
        }
    }
    // Speaker: "…区长楼建忠", a title line followed by a name line, or a bare name.
    for i in 0..header.len() {
        if b.cues.iter().any(|c| c.field == Field::Speaker) {
            break;
        }
        let line = header[i];
        if used[i] {
            continue;
        }
        if let Some((title, rest)) = speaker_title(line, cfg) {
            if let Some(name) = name_after_title(rest) {
                b.propose(Field::Speaker, name, "header_speaker", 9, line);
                b.propose(Field::SpeakerTitle, title, "header_speaker", 9, line);
                used[i] = true;
            } else if rest.is_empty()
                && let Some(name) = header.get(i + 1).and_then(|n| person_name(n))
            {
                b.propose(Field::Speaker, name, "header_speaker", 9, header[i + 1]);
                b.propose(Field::SpeakerTitle, title, "header_speaker", 9, line);
                used[i] = true;
                used[i + 1] = true;
            }
        }
    }
    if !b.cues.iter().any(|c| c.field == Field::Speaker) {
        // A bare name line after the title: the header's last line, or one
        // right before its date or meeting line (not a word of page chrome
        // that happens to start with a surname).
        for (i, line) in header.iter().enumerate().skip(1) {
            let placed = i + 1 == header.len() || used.get(i + 1).copied().unwrap_or(false);
            if !used[i]
                && placed
                && let Some(name) = person_name(line)
            {
                b.propose(Field::Speaker, name, "header_name_line", 7, line);
                used[i] = true;
                break;
            }
        }
    }
    // Title: the last title-like line before the first meeting/date/speaker
    // line; parenthesised and dash-led lines are subtitles.
    let first_used = used.iter().position(|u| *u).unwrap_or(header.len());
    let is_title = |t: &str| {
        !t.starts_with(['（', '(', '—', '－'])
            && !t.ends_with(['：', '。'])
            && !is_dateline(t)
            && !DATELINE_NUM.is_match(t)
            && t.matches(['>', '＞']).count() < 2
            && t.chars().filter(|c| is_han(*c)).count() >= 4
            && t.chars().count() <= 40
    };
    let title_line = header[..first_used]
        .iter()
        .rev()
        .find(|t| is_title(t))
        .or_else(|| {
            header
                .iter()
                .enumerate()
                .find(|(i, t)| !used[*i] && is_title(t))
                .map(|(_, t)| t)
        });
    if let Some(t) = title_line {
        // A news item's subheading (大会由某某主持) is a weak title; a report
        // title or a headline names the report or the meeting.
        let weight =
            if doc_type == DocType::Other && !DocWords::builtin().news_title_words.found_in(t) {
                5
            } else {
                9
            };
        b.propose(Field::Title, *t, "header_title", weight, t);
    } else if doc_type == DocType::GovernmentWorkReport && opening_text.contains("代表国务院")
    {
        // The State Council's report is 政府工作报告 even where the copy lost
        // its title; a local one without a title line has none.
        b.propose(Field::Title, "政府工作报告", "opening_names_report", 3, "");
        b.mark_last_indirect();
    }
}

/// `header_date_name`: （2005年1月27日 某某某）: the speaker beside the date.
fn name_beside_date(b: &mut Ballot<'_>, line: &str, date: &str) {
    let rest = line.replacen(date, "", 1);
    if let Some(name) = person_name(rest.trim_matches(['（', '）', '(', ')', ' ', '—'])) {
        b.propose(Field::Speaker, name, "header_date_name", 7, line);
    }
}

/// `repeated_headline`: a line of at least six Han characters that stands
/// twice or more among a page's first lines (a site prints its headline
/// above the text and again as its title).
fn repeated_headline<'a>(lines: &[Line<'a>]) -> Option<&'a str> {
    let first: Vec<&str> = lines.iter().take(15).map(|l| l.text.trim()).collect();
    first.iter().enumerate().find_map(|(i, t)| {
        let han = t.chars().filter(|c| is_han(*c)).count();
        ((6..=60).contains(&han)
            && !t.contains(['>', '＞'])
            && first[i + 1..].iter().any(|u| u == t))
        .then_some(*t)
    })
}

/// `breadcrumb_title`: the last step of a page's breadcrumb (您所在的位置：
/// 主页>工作报告>市长某某作政府工作报告（提纲）), when it names a report or a
/// meeting; a headline printed twice in a row counts once, and the page's
/// date bar glued after it is cut off.
fn breadcrumb_title(line: &str) -> Option<&str> {
    if line.matches(['>', '＞']).count() < 2 {
        return None;
    }
    let last = line.rsplit(['>', '＞']).next()?.trim();
    let cut = (DocWords::builtin().breadcrumb_ends.iter())
        .filter_map(|w| last.find(w.as_str()))
        .min()
        .unwrap_or(last.len());
    let mut t = &last[..cut];
    // A headline printed twice: keep one.
    for (i, _) in t.char_indices().skip(6) {
        if t.len() >= 2 * i && t[i..].starts_with(&t[..i]) {
            t = &t[..i];
            break;
        }
    }
    let han = t.chars().filter(|c| is_han(*c)).count();
    ((t.contains("报告") || t.contains("会议")) && (6..=60).contains(&han)).then_some(t)
}

/// A numeric publication date (2018-04-05 17:22).
static DATELINE_NUM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}").expect("numeric date"));

/// A date in Chinese numerals (一九五八年二月三日 → 1958-02-03) and the
/// text it was read from.
fn cn_date(line: &str) -> Option<(String, &str)> {
    static CN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new("([一二三四五六七八九〇○零]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
            .expect("chinese date")
    });
    let c = CN.captures(line)?;
    let y = time::parse_year(&c[1])?;
    let m = time::cn_small(&c[2])?;
    let d = time::cn_small(&c[3])?;
    if !time::valid_date(y, m as u32, d as u32) {
        return None;
    }
    Some((format!("{y}-{m:02}-{d:02}"), c.get(0)?.as_str()))
}

/// A news item's dateline or byline (本网青岛2月19日讯 · 新华社北京3月5日电).
fn is_dateline(t: &str) -> bool {
    static DL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\d{1,2}月\d{1,2}日)(?:讯|电)|^(?:本网|本报|新华社|记者|通讯员)|(?:讯|电)$")
            .expect("dateline")
    });
    DL.is_match(t)
}

static NEWS_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(第?[一二三四五六七八九十]{1,3}届(全国)?(?:人民代表大会|人大)第?[一二三四五六七八九十]{1,3}次(?:全体)?会议)")
        .expect("news meeting")
});

/// `news_meeting`: a congress session named in running text after its
/// region (青岛市第十五届人民代表大会第三次会议今天开幕 · 提请某某市十三届人大三次会议审议).
/// The full form outweighs the short one.
fn news_meeting(b: &mut Ballot<'_>, lines: &[&str], g: &Gazetteer) {
    for l in lines {
        for c in NEWS_MEETING.captures_iter(l) {
            let Some(m) = c.get(1) else { continue };
            // The national congress needs no region before it.
            let region = if c.get(2).is_some() {
                ""
            } else {
                match region_ending_at(g, &l[..m.start()]) {
                    Some(r) => r,
                    None => continue,
                }
            };
            let name = format!("{region}{}", m.as_str());
            let weight = if m.as_str().contains("人民代表大会") {
                5
            } else {
                4
            };
            b.propose(
                Field::Meeting,
                name,
                "news_meeting",
                weight,
                &l[m.start() - region.len()..m.end()],
            );
        }
    }
}

/// The division name (full or short) that ends `before`, longest first.
fn region_ending_at<'a>(g: &Gazetteer, before: &'a str) -> Option<&'a str> {
    let starts: Vec<usize> = before
        .char_indices()
        .map(|(i, _)| i)
        .filter(|i| before.len() - i <= 30)
        .collect();
    for i in starts {
        let cand = &before[i..];
        if cand.chars().count() < 2 {
            continue;
        }
        let full = g.mentions(cand);
        let short = g.short_mentions(cand);
        if full
            .iter()
            .chain(short.iter())
            .any(|m| m.start == 0 && m.end == cand.len())
        {
            return Some(cand);
        }
    }
    None
}

/// Short division names that are ordinary words (`data/place_words.txt`).
static PLACE_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/place_words.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// `township`: a report of a town or township government (我代表镇人民政府 ·
/// 镇长 · 某某镇第十六届人民代表大会): the town's name (某某镇, 某某乡,
/// 某某街道) from the meeting or the page's first lines, and the county-level
/// division written right before it somewhere on the page. Returns the name,
/// the parent and the text it was read from.
fn township<'g, 'a>(
    g: &'g Gazetteer,
    opening: &str,
    meeting: Option<&str>,
    lines: &[Line<'a>],
) -> Option<(String, &'g Division, &'a str)> {
    static TOWN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([\p{Han}]{2,3}?(?:镇|乡|街道))(?:第?[一二三四五六七八九十]{1,3}届|人民政府|政府|党委|人大)")
            .expect("town")
    });
    let local = DocWords::builtin().township_openings.found_in(opening)
        || meeting.is_some_and(|m| TOWN.is_match(m));
    if !local {
        return None;
    }
    let first: Vec<&'a str> = lines.iter().take(15).map(|l| l.text).collect();
    let town = meeting
        .and_then(|m| TOWN.captures(m).map(|c| c[1].to_string()))
        .or_else(|| {
            first
                .iter()
                .find_map(|l| TOWN.captures(l).map(|c| c[1].to_string()))
        })?;
    for l in &first {
        for m in g.mentions(l) {
            if l[m.end..].starts_with(town.as_str()) {
                let [code] = m.codes.as_slice() else { continue };
                if let Some(d) = g.get(code)
                    && matches!(d.level, Level::District | Level::County)
                {
                    return Some((town, d, l));
                }
            }
        }
    }
    None
}

/// The first line that names a division (full or short name), for a cue's
/// evidence.
fn where_named<'a>(mut lines: impl Iterator<Item = &'a &'a str>, d: &Division) -> &'a str {
    let short = crate::regions::short_name(&d.name);
    lines
        .find(|l| l.contains(d.name.as_str()) || short.is_some_and(|s| l.contains(s)))
        .copied()
        .unwrap_or("")
}

/// `opening_level_body_name`: the opening names the government's level
/// (我代表省人民政府), and the body names one division of that level most
/// often, at least twice, or is the only one of that level it names
/// (结合某省实际): that division.
fn region_of_level<'g>(g: &'g Gazetteer, opening: &str, body: &Names) -> Option<&'g Division> {
    let i = opening.find("我代表")?;
    let rest = &opening[i + "我代表".len()..];
    let j = rest.find("人民政府")?;
    let levels: &[Level] = match &rest[..j] {
        "省" | "自治区" => &[Level::Province],
        "州" | "盟" => &[Level::City],
        "市" => &[Level::City, Level::County],
        "县" | "旗" => &[Level::County],
        "区" => &[Level::District],
        _ => return None,
    };
    let mut counts: Vec<(&Division, usize)> = Vec::new();
    for (m, is_short) in body
        .full
        .iter()
        .map(|m| (m, false))
        .chain(body.short.iter().map(|m| (m, true)))
    {
        let [code] = m.codes.as_slice() else { continue };
        let Some(d) = g.get(code) else { continue };
        // Bare short names only for provinces (湖南); below that they are
        // too often words (和平, 合作).
        if d.abolished || !levels.contains(&d.level) || is_short && d.level != Level::Province {
            continue;
        }
        match counts.iter_mut().find(|(x, _)| x.code == d.code) {
            Some(c) => c.1 += 1,
            None => counts.push((d, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        // A province's short name (湖南) is no common word.
        [(d, _)] if d.level == Level::Province => Some(d),
        [(d, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|r| r.1 < *n) => Some(d),
        _ => None,
    }
}

/// The region a meeting belongs to (the division its name starts with).
fn meeting_region<'g>(g: &'g Gazetteer, meeting: &str) -> Option<&'g Division> {
    let mut ms = g.mentions(meeting);
    ms.extend(g.short_mentions(meeting));
    let unique: Vec<&str> = ms
        .iter()
        .filter(|m| m.codes.len() == 1)
        .map(|m| m.codes[0].as_str())
        .collect();
    // The most specific division named before 第…届.
    let cut = meeting.find('届').unwrap_or(meeting.len());
    let mut best: Option<&Division> = None;
    for m in ms.iter().filter(|m| m.end <= cut) {
        let d = if m.codes.len() == 1 {
            g.get(&m.codes[0])
        } else {
            pick(g, &m.codes, &unique)
        };
        if let Some(d) = d
            && best.is_none_or(|b| depth(d.level) > depth(b.level))
        {
            best = Some(d);
        }
    }
    best
}

/// `news_speaker`: 市长某某代表市人民政府作政府工作报告 · 受…委托，自治区主席某某作政府工作报告.
fn news_speaker(b: &mut Ballot<'_>, lines: &[&str], cfg: &DocConfig) {
    for l in lines {
        for verb in &DocWords::builtin().news_report_verbs {
            let Some(at) = l.find(verb.as_str()) else {
                continue;
            };
            let mut pre = &l[..at];
            // 代表市人民政府 between the name and the verb.
            if let Some(k) = pre.rfind("代表")
                && pre[k..].chars().count() <= 14
            {
                pre = &pre[..k];
            }
            let pre = pre.trim_end_matches(['，', ' ']);
            for t in &cfg.speaker_titles {
                let Some(k) = pre.rfind(t.as_str()) else {
                    continue;
                };
                // The name runs to 受…委托 · 向大会 · a comma.
                let rest = &pre[k + t.len()..];
                let rest = rest
                    .find(['受', '向', '在', '，'])
                    .map_or(rest, |e| &rest[..e]);
                if let Some(name) = name_after_title(rest) {
                    b.propose(Field::Speaker, name, "news_speaker", 5, rest);
                    b.propose(Field::SpeakerTitle, t.clone(), "news_speaker", 5, &pre[k..]);
                    return;
                }
            }
        }
    }
}

static NEWS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{1,2})月(\d{1,2})日(?:上午|下午|晚上|晚)?[^。]{0,60}?(?:开幕|召开|举行)")
        .expect("news date")
});

/// `news_date`: the day a news item says the session opened (1月25日上午，…会议
/// 在某地开幕), its year from the document's years; or a dateline's day when
/// the item says the session opened 今天.
fn news_date(b: &mut Ballot<'_>, lines: &[&str], review: Option<i32>, plan: Option<i32>) {
    static TODAY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\d{1,2})月(\d{1,2})日(?:讯|电)").expect("dateline day"));
    // The date from a month-day match, when the day is a date and its year known.
    let dated = |c: &regex::Captures<'_>| -> Option<String> {
        let (mo, d) = (c[1].parse::<u32>().ok()?, c[2].parse::<u32>().ok()?);
        let y = time::year_of_month(mo, review, plan)?;
        time::valid_date(y, mo, d).then(|| format!("{y}-{mo:02}-{d:02}"))
    };
    let opened_today = lines
        .iter()
        .any(|l| l.contains("今天") && (l.contains("开幕") || l.contains("召开")));
    // The pattern ends in one of its verbs: a line without one is passed by.
    let opening_day = lines.iter().find_map(|l| {
        if !(l.contains("开幕") || l.contains("召开") || l.contains("举行")) {
            return None;
        }
        let c = NEWS_DATE.captures(l).filter(|c| !c[0].contains("日讯"))?;
        Some((
            dated(&c)?,
            "news_date",
            c.get(0).map_or("", |m| &l[m.range()]),
        ))
    });
    let dateline_day = || {
        lines.iter().find_map(|l| {
            if !(l.contains("日讯") || l.contains("日电")) {
                return None;
            }
            let c = TODAY.captures(l)?;
            Some((
                dated(&c)?,
                "news_dateline_today",
                c.get(0).map_or("", |m| &l[m.range()]),
            ))
        })
    };
    let found = opening_day.or_else(|| opened_today.then(dateline_day).flatten());
    if let Some((date, rule, at)) = found {
        b.propose(Field::Date, date, rule, 3, at);
        b.mark_last_indirect();
    }
}

/// The longest speaker title in `line` and the text after it.
fn speaker_title<'a>(line: &'a str, cfg: &DocConfig) -> Option<(String, &'a str)> {
    if line.chars().count() > 40 {
        return None;
    }
    for t in &cfg.speaker_titles {
        if let Some(i) = line.rfind(t.as_str()) {
            let rest = line[i + t.len()..].trim();
            return Some((t.clone(), rest));
        }
    }
    None
}

fn inherit_region(m: &mut Metadata, p: &Metadata) {
    m.region = p.region.clone();
    m.region_code = p.region_code.clone();
    m.region_path = p.region_path.clone();
    m.level = p.level.clone();
    for f in ["region", "region_path", "level"] {
        if p.region.is_some() {
            m.mark_inferred(f);
        }
    }
}

fn set_region(m: &mut Metadata, g: &Gazetteer, d: &Division) {
    m.region = Some(d.name.clone());
    m.region_code = Some(d.code.clone());
    m.level = Some(d.level.as_str().into());
    m.region_path = Some(g.path(&d.code).iter().map(|x| x.name.clone()).collect());
}

fn depth(l: Level) -> u8 {
    match l {
        Level::National => 0,
        Level::Province => 1,
        Level::City => 2,
        Level::District | Level::County => 3,
        Level::Township => 4,
    }
}

/// The region a text is about: the most specific division named at least
/// `min_count` times (full or short names), with names disambiguated by the
/// other divisions named in the text.
fn best_region<'g>(g: &'g Gazetteer, text: &str, min_count: usize) -> Option<&'g Division> {
    best_region_named(g, text, &Names::of(g, text), min_count)
}

/// The division names a text holds, full and short, found once for every
/// rule that counts them.
struct Names {
    full: Vec<crate::regions::Mention>,
    short: Vec<crate::regions::Mention>,
}

impl Names {
    fn of(g: &Gazetteer, text: &str) -> Names {
        Names {
            full: g.mentions(text),
            short: g.short_mentions(text),
        }
    }
}

/// [`best_region`] with the names of `text` found.
fn best_region_named<'g>(
    g: &'g Gazetteer,
    text: &str,
    names: &Names,
    min_count: usize,
) -> Option<&'g Division> {
    let mut mentions = names.full.clone();
    {
        // Running text names a region by an administrative name: a full
        // one, a short one with its level's suffix (黔西南州), or, counted
        // several times, a bare short one that is no common word
        // (data/place_words.txt: 合作, 解放, 和平).
        let full = &names.full;
        mentions.extend(
            g.with_suffix(text, names.short.clone())
                .into_iter()
                .filter(|m| !full.iter().any(|f| f.start < m.end && m.start < f.end)),
        );
        if min_count > 1 {
            // Short names count in running text, unless they are also words.
            mentions.extend(
                names
                    .short
                    .iter()
                    .filter(|m| !PLACE_WORDS.iter().any(|w| *w == &text[m.start..m.end]))
                    .cloned(),
            );
        }
        mentions.sort_by_key(|m| m.start);
    }
    if mentions.is_empty() {
        return None;
    }
    let unique: Vec<&str> = mentions
        .iter()
        .filter(|m| m.codes.len() == 1)
        .map(|m| m.codes[0].as_str())
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (k, mention) in mentions.iter().enumerate() {
        let chosen = if mention.codes.len() == 1 {
            g.get(&mention.codes[0])
        } else {
            pick(g, &mention.codes, &unique)
        };
        if let Some(d) = chosen {
            *counts.entry(d.code.as_str()).or_default() += 1;
            first.entry(d.code.as_str()).or_insert(k);
        }
    }
    let mut best: Option<(&Division, usize)> = None;
    for (code, n) in &counts {
        let Some(d) = g.get(code) else { continue };
        if *n < min_count {
            continue;
        }
        let better = match best {
            None => true,
            Some((b, bn)) => {
                let (dd, bd) = (depth(d.level), depth(b.level));
                if min_count > 1 {
                    // In running text, frequency decides among units of the
                    // most specific level present.
                    dd > bd
                        || dd == bd && (*n > bn || *n == bn && first[code] < first[b.code.as_str()])
                } else {
                    dd > bd || dd == bd && first[code] < first[b.code.as_str()]
                }
            }
        };
        if better {
            best = Some((d, *n));
        }
    }
    best.map(|(d, _)| d)
}

/// Among ambiguous candidates, the one whose ancestors or siblings are named.
fn pick<'g>(g: &'g Gazetteer, codes: &[String], context: &[&str]) -> Option<&'g Division> {
    let hits: Vec<&Division> = codes
        .iter()
        .filter_map(|c| g.get(c))
        .filter(|d| {
            let path = g.path(&d.code);
            context.iter().any(|c| {
                path.iter().any(|a| a.code == *c && a.code != d.code)
                    || g.get(c).is_some_and(|o| {
                        o.parent.is_some() && o.parent == d.parent && o.code != d.code
                    })
            })
        })
        .collect();
    match hits.as_slice() {
        [one] => Some(one),
        _ => {
            let current: Vec<&Division> = hits.into_iter().filter(|d| !d.abolished).collect();
            (current.len() == 1).then(|| current[0])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_names() {
        let cases = [
            (
                "2018年1月19日经江干区第十五届人民代表大会第二次会议审议通过",
                "江干区第十五届人民代表大会第二次会议",
            ),
            ("——在区委十届三次全会上的报告", "区委十届三次全会"),
            (
                "（20xx年2月19日在杭州市西湖区第十四届人民代表大会第一次会议上）",
                "杭州市西湖区第十四届人民代表大会第一次会议",
            ),
            (
                "——2024年3月5日在第十四届全国人民代表大会第二次会议上",
                "第十四届全国人民代表大会第二次会议",
            ),
        ];
        for (line, want) in cases {
            let got = MEETING.captures(line).map(|c| c[1].to_string());
            assert_eq!(got.as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(
            cn_date("——一九五八年二月三日在大会上").map(|d| d.0),
            Some("1958-02-03".to_string())
        );
        assert_eq!(
            cn_date("（二〇〇一年三月五日）").map(|d| d.0),
            Some("2001-03-05".to_string())
        );
        assert_eq!(cn_date("一九五八年十三月三日"), None);
        assert_eq!(cn_date("一九五八年二月三十日"), None);
    }

    #[test]
    fn repeated_headlines() {
        let t = "（某省）2020年某某县人民政府工作报告（全文）\n某某网 2021-01-02\n（某省）2020年某某县人民政府工作报告（全文）\n各位代表：";
        let ls = crate::lines::lines_in(t, 0..t.len());
        assert_eq!(
            repeated_headline(&ls),
            Some("（某省）2020年某某县人民政府工作报告（全文）")
        );
        let t = "政府工作报告\n各位代表：\n正文。";
        assert_eq!(
            repeated_headline(&crate::lines::lines_in(t, 0..t.len())),
            None
        );
    }

    #[test]
    fn breadcrumb_titles() {
        assert_eq!(
            breadcrumb_title("您所在的位置：主页>工作报告>县长某某作政府工作报告（摘要）"),
            Some("县长某某作政府工作报告（摘要）")
        );
        assert_eq!(
            breadcrumb_title(
                "首页>新闻>某某县人代会开幕某某作政府工作报告某某县人代会开幕某某作政府工作报告发布日期：2020-01-02"
            ),
            Some("某某县人代会开幕某某作政府工作报告")
        );
        assert_eq!(breadcrumb_title("首页>新闻>图片"), None);
    }

    #[test]
    fn names_need_a_surname() {
        assert_eq!(person_name("楼建忠").as_deref(), Some("楼建忠"));
        assert_eq!(person_name("李强").as_deref(), Some("李强"));
        assert_eq!(person_name("各位代表"), None);
        assert_eq!(person_name("政府工作报告"), None);
    }
}
