//! Normalization: one canonical text for analysis, with a map back to its input.
//!
//! What changes, in order:
//! - characters: full-width digits, letters and symbols become ASCII; sentence
//!   punctuation becomes the Chinese full-width form (，；：（）！？) except
//!   inside numbers (1,200 · 10:30) and Latin text; dash and tilde variants are
//!   unified, the ratio colon ∶ becomes `:` and ℅ becomes `%`; zero-width
//!   characters and BOMs vanish; `\r\n` becomes `\n`; HTML entities left in
//!   the text are decoded (`&nbsp` with or without `;`, `&amp;`, `&#160;`);
//! - site noise inside a line goes (see [`crate::noise`]): pinyin readings in
//!   brackets after Han characters ("发(fā)展"), short Latin junk tokens of
//!   irregular case glued to Han text ("张三xcV", unless listed in
//!   `data/latin-terms.txt`), question marks between the spaced-out characters
//!   of a short line ("区 长? 张 三"), a page number glued before a title
//!   line ("2政府工作报告", which then counts as a repeated running header);
//! - white space inside a line goes, except one space between two Latin words
//!   or numbers (so "3880 万元" becomes "3880万元" and "李　强" becomes "李强");
//! - lines: a report flattened into one line gets its header lines, greeting
//!   and headings back (see [`crate::reflow`]), with page numbers glued there
//!   ("-1-", "1政府工作报告") gone;
//! - page furniture goes: lines that are only a page number, and short lines
//!   repeated three or more times (running headers) after their first showing;
//! - layout: blank lines go, and a line broken in mid-sentence is joined to the
//!   next one (see [`continues`]): also a heading line that goes on into its
//!   paragraph ("（一）…。正文…"), a figure broken over two lines (`2\n0.6%`,
//!   `369\n亿元`, `226.2亿\n元`, `1\n.5倍`, joined without a space) or broken
//!   from its metric or verb (`增长\n2.1%`, `固定资产投资\n316亿元`), a meeting
//!   line broken before the meeting's name ends, and, in text cut at a fixed
//!   page width, any line that reaches that width without ending a sentence;
//!   a page number alone on a line between two halves goes first. Lines that
//!   are page or web furniture (`data/furniture.txt`), carry a date-and-time
//!   stamp, are breadcrumbs (首页>新闻>…) or repeat a short line seen elsewhere
//!   (a title shown again) are never joined, nor are lines made from a
//!   flattened report.
//!
//! Text is never rewritten after this stage: every later annotation is a span
//! into the normalized text.

use crate::noise;
use crate::offsets::MapBuilder;
use crate::reflow;
use crate::{OffsetMap, Warning, WarningKind};
use aho_corasick::AhoCorasick;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// Normalized text, its map to the input, and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// Normalized byte offset → input byte offset.
    pub map: OffsetMap,
    /// Masked characters and suspected junk tokens, with spans in `text`.
    pub warnings: Vec<Warning>,
}

/// One character of a cleaned line: the output char and its input byte range.
#[derive(Debug, Clone, Copy)]
struct Piece {
    ch: char,
    src: u32,
    len: u8,
}

impl Piece {
    fn copied(&self) -> bool {
        self.ch.len_utf8() == self.len as usize
    }
}

/// A run of a cleaned line's text and the input bytes it stands for: a
/// copied run has as many bytes as its input (one or more characters of
/// the same length as theirs), a replaced run is one character standing
/// for `src_len` input bytes.
#[derive(Debug, Clone, Copy)]
struct Run {
    src: u32,
    src_len: u32,
    out_len: u32,
    copied: bool,
}

/// A cleaned line: its text and, in order, the runs that make it.
struct Cleaned {
    text: String,
    runs: Vec<Run>,
}

impl Cleaned {
    fn from_pieces(pieces: &[Piece]) -> Cleaned {
        let mut text = String::with_capacity(pieces.len() * 3);
        let mut runs: Vec<Run> = Vec::new();
        for p in pieces {
            text.push(p.ch);
            let copied = p.copied();
            if copied
                && let Some(last) = runs.last_mut()
                && last.copied
                && last.src + last.src_len == p.src
            {
                last.src_len += p.len as u32;
                last.out_len += p.len as u32;
                continue;
            }
            runs.push(Run {
                src: p.src,
                src_len: p.len as u32,
                out_len: p.ch.len_utf8() as u32,
                copied,
            });
        }
        Cleaned { text, runs }
    }

    /// The characters again, each with its input bytes.
    fn pieces(&self) -> Vec<Piece> {
        let mut out = Vec::with_capacity(self.text.len() / 2);
        let mut at = 0;
        for r in &self.runs {
            let part = &self.text[at..at + r.out_len as usize];
            if r.copied {
                for (off, ch) in part.char_indices() {
                    out.push(Piece {
                        ch,
                        src: r.src + off as u32,
                        len: ch.len_utf8() as u8,
                    });
                }
            } else if let Some(ch) = part.chars().next() {
                out.push(Piece {
                    ch,
                    src: r.src,
                    len: r.src_len as u8,
                });
            }
            at += r.out_len as usize;
        }
        out
    }
}

struct Line {
    /// The cleaned text, or `None` when the line needs no change but
    /// trimming (its text is then `input[start..end]`, the common case).
    cleaned: Option<Cleaned>,
    /// Input byte range of the trimmed text when `cleaned` is `None`.
    start: usize,
    end: usize,
    /// Input byte offset of the line terminator (or input end).
    eol: usize,
    eol_len: usize,
    /// A break made in a flattened line: never joined again.
    hard_end: bool,
}

impl Line {
    fn text<'a>(&'a self, input: &'a str) -> &'a str {
        match &self.cleaned {
            Some(c) => &c.text,
            None => &input[self.start..self.end],
        }
    }
}

/// Normalize a decoded text.
pub fn normalize(input: &str) -> Normalized {
    let lines = split_lines(input);
    let texts: Vec<&str> = lines.iter().map(|l| l.text(input)).collect();

    // Running headers: short non-heading lines seen three or more times.
    // Only a candidate is counted, so only a candidate is looked up (a
    // paragraph is not hashed).
    let candidate: Vec<bool> = texts.iter().map(|t| is_header_candidate(t)).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (&t, &c) in texts.iter().zip(&candidate) {
        if c {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let keep: Vec<bool> = texts
        .iter()
        .zip(&candidate)
        .map(|(&t, &candidate)| {
            if t.is_empty() || is_page_number(t) {
                return false;
            }
            if candidate && counts.get(t).copied().unwrap_or(0) >= 3 {
                let n = seen.entry(t).or_default();
                *n += 1;
                return *n == 1;
            }
            true
        })
        .collect();

    let kept: Vec<usize> = (0..lines.len()).filter(|&i| keep[i]).collect();
    // Wrapping is uniform: the first lines tell.
    let wrap = WrapWidth::detect(kept.iter().take(400).map(|&i| texts[i]));
    // Punctuation made full-width grows the text a little.
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut map = MapBuilder::new();
    // The paragraph being built, from the start of its first line.
    let mut para_start = 0;
    for (k, &i) in kept.iter().enumerate() {
        let line = &lines[i];
        match &line.cleaned {
            None => {
                map.copy(line.start, line.end - line.start);
                out.push_str(&input[line.start..line.end]);
            }
            Some(c) => {
                for r in &c.runs {
                    let src = r.src as usize;
                    if r.copied {
                        map.copy(src, r.src_len as usize);
                    } else {
                        map.replace(src..src + r.src_len as usize, r.out_len as usize);
                    }
                }
                out.push_str(&c.text);
            }
        }
        let Some(&next) = kept.get(k + 1) else {
            break;
        };
        let (this, after) = (&texts[i], &texts[next]);
        // A short line repeated in the text (a title shown again by a site or
        // a page header) is never joined.
        // Only a candidate is in `counts`, and none is longer than 160 bytes.
        let repeated = |i: usize| candidate[i] && counts.get(texts[i]).is_some_and(|&c| c >= 2);
        let para = &out[para_start..];
        let wants_join = (wrap.is_some_and(|w| w.full(this))
            && !this.ends_with(TERMINAL)
            && !starts_heading(after))
            // A line filled to the page width goes on in the next one.
            || meeting_line_break(this, after)
            || number_break(this, after)
            || continues(para, after);
        let join = wants_join
            && !(line.hard_end
                || stands_alone(this)
                || stands_alone(after)
                || (repeated(i) || repeated(next))
                    && !inside_brackets(para)
                    && !this.ends_with(['《', '（', '“'])
                    && !after.starts_with(['》', '）', '”']));
        if join {
            let a = this.chars().last();
            let b = after.chars().next();
            // A number broken over two lines (2\n0.6%) is joined without a space.
            if let (Some(a), Some(b)) = (a, b)
                && a.is_ascii_alphanumeric()
                && b.is_ascii_alphanumeric()
                && !(a.is_ascii_digit() && b.is_ascii_digit())
            {
                map.replace(line.eol..line.eol + line.eol_len, 1);
                out.push(' ');
            }
        } else {
            if line.eol_len == 1 {
                map.copy(line.eol, 1);
            } else {
                map.replace(line.eol..line.eol + line.eol_len, 1);
            }
            out.push('\n');
            para_start = out.len();
        }
    }
    let warnings = find_warnings(&out);
    Normalized {
        map: map.finish(input.len()),
        text: out,
        warnings,
    }
}

fn split_lines(input: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let bytes = input.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        i += k;
        let eol_len = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        push_line(&mut lines, input, clean_line(input, start..i, eol_len));
        i += eol_len;
        start = i;
    }
    push_line(&mut lines, input, clean_line(input, start..input.len(), 0));
    // Line and paragraph separators inside a line are rare; treat them as
    // white space (done in clean_line).
    lines
}

/// Add a cleaned line, broken into several when it holds a flattened report
/// (see [`crate::reflow`]). The breaks are new line ends standing for no
/// input bytes.
fn push_line(lines: &mut Vec<Line>, input: &str, line: Line) {
    // A flattened text is one line holding most of the input.
    let len = line.end - line.start;
    if len < 1200 || len * 2 < input.len() || !reflow::may_open_report(&input[line.start..line.end])
    {
        lines.push(line);
        return;
    }
    let pieces: Vec<Piece> = match line.cleaned {
        Some(ref c) => c.pieces(),
        None => input[line.start..line.end]
            .char_indices()
            .map(|(off, ch)| Piece {
                ch,
                src: (line.start + off) as u32,
                len: ch.len_utf8() as u8,
            })
            .collect(),
    };
    let chars: Vec<char> = pieces.iter().map(|p| p.ch).collect();
    let Some(reflow) = reflow::flattened(&chars) else {
        lines.push(line);
        return;
    };
    let mut bounds = vec![0];
    bounds.extend(reflow.breaks.iter().copied());
    bounds.push(pieces.len());
    let deleted = |k: usize| reflow.deletions.iter().any(|d| d.contains(&k));
    let mut parts: Vec<Vec<Piece>> = Vec::new();
    for w in bounds.windows(2) {
        let part: Vec<Piece> = (w[0]..w[1])
            .filter(|&k| !deleted(k))
            .map(|k| pieces[k])
            .collect();
        if !part.is_empty() {
            parts.push(part);
        }
    }
    let n = parts.len();
    for (k, part) in parts.iter().enumerate() {
        let (Some(first), Some(last)) = (part.first(), part.last()) else {
            continue;
        };
        let end = last.src as usize + last.len as usize;
        let (eol, eol_len) = match parts.get(k + 1).and_then(|p| p.first()) {
            Some(next) if k + 1 < n => (next.src as usize, 0),
            _ => (line.eol, line.eol_len),
        };
        lines.push(Line {
            cleaned: Some(Cleaned::from_pieces(part)),
            start: first.src as usize,
            end,
            eol,
            eol_len,
            hard_end: k + 1 < n,
        });
    }
}

/// The length of the character a byte of UTF-8 text starts (1 for a byte
/// inside a character, so a scan from any byte goes on).
pub const fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Map one character to its canonical form, ignoring context.
fn canonical_char(c: char) -> char {
    match c {
        // Full-width forms of the punctuation we keep full-width.
        '，' | '；' | '：' | '（' | '）' | '！' | '？' => c,
        '\u{FF5E}' | '〜' => '~',
        '\u{FF01}'..='\u{FF5D}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{FF61}' => '。',
        '\u{FF64}' => '、',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{2015}' => '—',
        '\u{FE50}' => '，',
        '\u{FE51}' => '、',
        '\u{FE52}' => '.',
        '\u{FE54}' => '；',
        '\u{FE55}' => '：',
        // Ratio colon; care-of sign standing for a percent sign.
        '\u{2236}' => ':',
        '℅' => '%',
        _ => c,
    }
}

/// Context-dependent punctuation: ASCII sentence punctuation in Chinese text
/// becomes full-width; in numbers (1,200 · 10:30) and in Latin lines it stays.
fn unify_punct(prev: Option<char>, c: char, next: &[char], latin_line: bool) -> char {
    if latin_line {
        return c;
    }
    let n0 = next.first().copied();
    let digit = |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit());
    match c {
        ',' if digit(prev)
            && next.len() >= 3
            && next[..3].iter().all(|x| x.is_ascii_digit())
            && !next.get(3).is_some_and(|x| x.is_ascii_digit()) =>
        {
            ','
        }
        ',' => '，',
        ':' if digit(prev) && digit(n0) => ':',
        ':' => '：',
        ';' => '；',
        '(' => '（',
        ')' => '）',
        '!' => '！',
        '?' => '？',
        _ => c,
    }
}

/// One line cleaned as in a document (characters, punctuation, spaces), with
/// none of the whole-text steps (joins, page numbers, headers). For search
/// queries and other short strings that must match normalized text.
pub fn normalize_line(s: &str) -> String {
    let line = s.replace(['\r', '\n'], " ");
    clean_line(&line, 0..line.len(), 0).text(&line).to_owned()
}

/// Does this character change, or may it change, in `clean_line`?
fn needs_cleaning(c: char) -> bool {
    is_invisible(c)
        || is_space(c)
        || matches!(c, ',' | ':' | ';' | '(' | ')' | '!' | '?' | '&')
        || canonical_char(c) != c
}

fn clean_line(input: &str, range: Range<usize>, eol_len: usize) -> Line {
    let s = &input[range.clone()];
    // Leading and trailing white space always goes; a line with nothing
    // else to clean is kept as a slice of the input.
    let trimmed = s.trim_start_matches(is_space);
    let start = range.start + (s.len() - trimmed.len());
    let trimmed = trimmed.trim_end_matches(is_space);
    let cleaned = match punctuation_only(trimmed, start) {
        Some(shortcut) => shortcut,
        None => Some(clean_everything(input, range.clone())),
    };
    Line {
        end: match cleaned {
            Some(_) => range.end,
            None => start + trimmed.len(),
        },
        start: if cleaned.is_some() {
            range.start
        } else {
            start
        },
        cleaned,
        eol: range.end,
        eol_len,
        hard_end: false,
    }
}

/// The shortcut of [`clean_line`]: a line whose only changes are ASCII
/// punctuation made full-width (as [`unify_punct`] says) and runs of spaces
/// dropped or kept as one (as in [`clean_everything`]), read in one pass
/// that gives what `clean_everything` would. `Some(None)`: nothing to
/// change; `None`: the line needs the whole reading, because a character
/// changes otherwise (a full-width letter, other white space, an entity, an
/// invisible character), noise may be there for [`noise`] (a question mark,
/// a tone mark, a small letter before a capital or after （, a short line
/// opening with a number), or it is a Latin line. Han characters (lead
/// bytes E4–E9) never change and are stepped over without decoding. `t` is
/// the trimmed line, starting at input byte `at`.
fn punctuation_only(t: &str, at: usize) -> Option<Option<Cleaned>> {
    let opens_with_number = t.starts_with(|c: char| c.is_ascii_digit() || c == '-');
    // A short line opening with a number may be a page header.
    if opens_with_number && t.len() <= 135 && t.contains("报告") {
        return None;
    }
    let b = t.as_bytes();
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let mut text = String::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut changes = false;
    // The copied run being made starts at `from`; `last` is the last
    // character written before it.
    let mut from = 0;
    let mut last: Option<char> = None;
    let copy = |runs: &mut Vec<Run>, text: &mut String, a: usize, z: usize| {
        if z > a {
            if text.capacity() == 0 {
                // The line once, with room for punctuation made full-width.
                text.reserve(t.len() + t.len() / 4);
            }
            text.push_str(&t[a..z]);
            let src = (at + a) as u32;
            match runs.last_mut() {
                // Copied runs that meet (a space kept at the end of one)
                // are one run, as character-by-character copying makes them.
                Some(r) if r.copied && r.src + r.src_len == src => {
                    r.src_len += (z - a) as u32;
                    r.out_len += (z - a) as u32;
                }
                _ => runs.push(Run {
                    src,
                    src_len: (z - a) as u32,
                    out_len: (z - a) as u32,
                    copied: true,
                }),
            }
        }
    };
    // Latin letters and other characters, for the Latin-line test.
    let mut latin = 0usize;
    let mut other = 0usize;
    let mut prev_lower = false;
    let mut prev_open = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c >= 0x80 {
            if (0xE4..=0xE9).contains(&c) {
                prev_open = false;
                i += 3;
            } else {
                let ch = t.get(i..).and_then(|r| r.chars().next())?;
                if needs_cleaning(ch)
                    || prev_open && noise::may_start_reading(ch)
                    || ch == '？'
                    || noise::may_mark_reading(ch)
                {
                    return None;
                }
                prev_open = ch == '（';
                i += ch.len_utf8();
            }
            other += 1;
            prev_lower = false;
            continue;
        }
        let lower = c.is_ascii_lowercase();
        if c.is_ascii_alphabetic() {
            if prev_lower && c.is_ascii_uppercase() || prev_open && lower {
                return None;
            }
            latin += 1;
        }
        prev_lower = lower;
        prev_open = false;
        // Text before `i` not yet written: the last character before it.
        let before = |last: Option<char>, from: usize| {
            if i > from {
                t[..i].chars().next_back()
            } else {
                last
            }
        };
        let full = match c {
            b' ' => {
                changes = true;
                let j = i + b[i..].iter().take_while(|&&x| x == b' ').count();
                let after = b.get(j).copied();
                let keep = before(last, from).is_some_and(|p| p.is_ascii_graphic() && p != '.')
                    && after.is_some_and(|n| n.is_ascii_graphic() && n != b'%');
                // The kept space is the run's first; the rest go.
                let end = if keep { i + 1 } else { i };
                if end > from {
                    last = t[..end].chars().next_back();
                }
                copy(&mut runs, &mut text, from, end);
                from = j;
                i = j;
                continue;
            }
            b'?' | b'&' => return None,
            _ if c.is_ascii_whitespace() || c == 0x0B => return None,
            b',' | b':' | b';' | b'!' | b'(' | b')' => {
                changes = true;
                let prev_digit = before(last, from).is_some_and(|p| p.is_ascii_digit());
                match c {
                    // 1,200 keeps its comma: a digit before, three after, no fourth.
                    b',' if prev_digit && (1..=3).all(|k| digit(i + k)) && !digit(i + 4) => None,
                    b',' => Some('，'),
                    b':' if prev_digit && digit(i + 1) => None,
                    b':' => Some('：'),
                    b';' => Some('；'),
                    b'!' => Some('！'),
                    b'(' => Some('（'),
                    _ => Some('）'),
                }
            }
            _ => None,
        };
        if let Some(full) = full {
            copy(&mut runs, &mut text, from, i);
            text.push(full);
            runs.push(Run {
                src: (at + i) as u32,
                src_len: 1,
                out_len: full.len_utf8() as u32,
                copied: false,
            });
            last = Some(full);
            from = i + 1;
        }
        i += 1;
    }
    if !changes {
        return Some(None);
    }
    // A page number before a title is looked for in lines of at most 45
    // characters; a Latin line keeps its punctuation.
    if opens_with_number && t.chars().nth(45).is_none() || latin > 2 * other {
        return None;
    }
    copy(&mut runs, &mut text, from, b.len());
    Some(Some(Cleaned { text, runs }))
}

/// Every cleaning step of a line, character by character.
fn clean_everything(input: &str, range: Range<usize>) -> Cleaned {
    let s = &input[range.clone()];
    // First pass: canonical chars with source ranges, invisible chars dropped,
    // HTML entities decoded.
    let mut raw: Vec<Piece> = Vec::with_capacity(s.len() / 2);
    let mut skip_to = 0;
    for (off, c) in s.char_indices() {
        if off < skip_to {
            continue;
        }
        let src = (range.start + off) as u32;
        if c == '&'
            && let Some((e, n)) = noise::entity_at(&s[off..])
            && n <= u8::MAX as usize
        {
            raw.push(Piece {
                ch: if is_space(e) { ' ' } else { canonical_char(e) },
                src,
                len: n as u8,
            });
            skip_to = off + n;
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        let c2 = if c == '\t' || c == '\u{2028}' || c == '\u{2029}' || c == '\u{A0}' {
            ' '
        } else {
            canonical_char(c)
        };
        raw.push(Piece {
            ch: c2,
            src,
            len: c.len_utf8() as u8,
        });
    }
    // Noise pass: pinyin readings, junk tokens, stray marks (see [`noise`]).
    let mut chars: Vec<char> = raw.iter().map(|p| p.ch).collect();
    if chars
        .iter()
        .any(|&c| matches!(c, '(' | '（' | '?' | '？') || c.is_ascii_alphabetic())
        || chars
            .iter()
            .find(|&&c| c != ' ')
            .is_some_and(|&c| c.is_ascii_digit() || c == '-')
    {
        let mut dels: Vec<Range<usize>> = Vec::new();
        noise::pinyin_readings(&chars, &mut dels);
        noise::junk_tokens(&chars, &mut dels);
        noise::stray_marks(&chars, &mut dels);
        dels.extend(noise::page_number_before_title(&chars));
        if !dels.is_empty() {
            dels.sort_by_key(|r| r.start);
            let mut k = 0;
            let mut d = dels.iter().peekable();
            raw.retain(|_| {
                while d.peek().is_some_and(|r| r.end <= k) {
                    d.next();
                }
                let drop = d.peek().is_some_and(|r| r.contains(&k));
                k += 1;
                !drop
            });
            chars = raw.iter().map(|p| p.ch).collect();
        }
    }
    // Second pass: white space, then context punctuation.
    let latin = chars.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let han = chars.iter().filter(|c| !c.is_ascii()).count();
    let latin_line = latin > 2 * han;
    let mut pieces: Vec<Piece> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = chars[i];
        if is_space(c) {
            let mut j = i;
            while j < raw.len() && is_space(chars[j]) {
                j += 1;
            }
            let prev = pieces.last().map(|p| p.ch);
            let next = chars.get(j).copied();
            let keep = match (prev, next) {
                (Some(a), Some(b)) => {
                    a.is_ascii_graphic()
                        && b.is_ascii_graphic()
                        && b != '%'
                        && (latin_line || a != '.')
                }
                _ => false,
            };
            if keep {
                let first = raw[i];
                pieces.push(Piece { ch: ' ', ..first });
            }
            i = j;
            continue;
        }
        let prev = pieces.last().map(|p| p.ch);
        let ch = unify_punct(prev, c, &chars[i + 1..], latin_line);
        pieces.push(Piece { ch, ..raw[i] });
        i += 1;
    }
    Cleaned::from_pieces(&pieces)
}

fn is_page_number(t: &str) -> bool {
    // Page markers are short ("- 12 -", "第 3 页 共 10 页", "Page 3 of 10").
    if t.len() > 48 || !t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let core: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '—' | '–' | ' ' | '·' | '•'))
        .collect();
    if core.is_empty() {
        return false;
    }
    if core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()) && core != t.trim_matches(' ') {
        // "- 12 -", "— 3 —"
        return true;
    }
    if core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // 第3页, 第 3 页 共 10 页, 3/10, Page 3 of 10
    let t2: String = t.chars().filter(|c| *c != ' ').collect();
    let digits_and = |s: &str, allowed: &[char]| {
        !s.is_empty()
            && s.chars().any(|c| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_digit() || allowed.contains(&c))
    };
    if let Some(rest) = t2.strip_prefix('第')
        && digits_and(rest, &['页', '共', '，', ',', '/'])
        && rest.ends_with('页')
    {
        return true;
    }
    if digits_and(&t2, &['/']) && t2.matches('/').count() == 1 && t2.len() <= 9 {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page ")
        && rest
            .split(' ')
            .all(|w| w == "of" || w.chars().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    false
}

fn is_header_candidate(t: &str) -> bool {
    // A character is one to four bytes: the byte length bounds the count.
    if t.len() < 4 || t.len() > 160 {
        return false;
    }
    let n = t.chars().count();
    (4..=40).contains(&n)
        && !t.ends_with(['。', '：', '！', '？', '；', '，'])
        && !crate::normalize::starts_heading(t)
}

/// Does a line start like a heading or list item (一、 （一） 1. （1） 一是 ——)?
pub fn starts_heading(t: &str) -> bool {
    let mut head = ['\0'; 8];
    let mut len = 0;
    for c in t.chars().take(8) {
        head[len] = c;
        len += 1;
    }
    let cs = &head[..len];
    let cn = |c: char| "一二三四五六七八九十".contains(c);
    let mut i = 0;
    if cs.first() == Some(&'（') {
        i = 1;
        let s = i;
        while i < cs.len() && (cn(cs[i]) || cs[i].is_ascii_digit()) {
            i += 1;
        }
        return i > s && cs.get(i) == Some(&'）');
    }
    while i < cs.len() && cn(cs[i]) {
        i += 1;
    }
    if i > 0 {
        return matches!(cs.get(i), Some('、') | Some('是') | Some('．'))
            || (cs.get(i) == Some(&'要') && cs.get(i + 1) == Some(&'坚'));
    }
    while i < cs.len() && cs[i].is_ascii_digit() {
        i += 1;
    }
    if i > 0 && i <= 2 {
        return matches!(cs.get(i), Some('、') | Some('.') | Some('）'))
            && !cs.get(i + 1).is_some_and(|c| c.is_ascii_digit());
    }
    if cs.first() == Some(&'第') {
        let mut j = 1;
        while j < cs.len() && (cn(cs[j]) || cs[j].is_ascii_digit()) {
            j += 1;
        }
        return j > 1 && matches!(cs.get(j), Some('部') | Some('章') | Some('节') | Some('篇'));
    }
    t.starts_with("——")
}

/// Display width of a line: two columns for a wide (CJK) character, one for ASCII.
fn display_width(t: &str) -> usize {
    // Counted on bytes: an ASCII byte is one column, a lead byte two, a
    // continuation byte none; so the width is the length plus the lead
    // bytes less the continuation bytes. Counted in runs of 255 bytes on
    // byte-wide counters, which the compiler turns into vector code.
    let (mut lead, mut cont) = (0usize, 0usize);
    for run in t.as_bytes().chunks(255) {
        let (mut l, mut c) = (0u8, 0u8);
        for &b in run {
            l += u8::from(b >= 0xC0);
            c += u8::from(b & 0xC0 == 0x80);
        }
        lead += usize::from(l);
        cont += usize::from(c);
    }
    t.len() + lead - cont
}

/// The page width of a text broken into lines of fixed width (as PDF copies
/// are), when most of its long lines end within a few columns of it.
#[derive(Debug, Clone, Copy)]
struct WrapWidth(usize);

impl WrapWidth {
    fn detect<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> Option<WrapWidth> {
        // Page widths are narrow: paragraph lines are not measured, and text
        // made mostly of them is not wrapped.
        let measured = |t: &str| (10..=600).contains(&t.len());
        let total = lines.clone().count();
        if lines.clone().filter(|t| measured(t)).count() * 3 < total {
            return None;
        }
        let mut widths: Vec<(usize, bool)> = Vec::new();
        for t in lines {
            if !measured(t) {
                continue;
            }
            let w = display_width(t);
            if w >= 20 {
                widths.push((w, t.ends_with(TERMINAL)));
            }
        }
        if widths.len() < 5 {
            return None;
        }
        widths.sort_unstable();
        // The window of four columns holding the most line ends.
        let mut best = (0, 0, 0);
        let mut lo = 0;
        for hi in 0..widths.len() {
            while widths[hi].0 > widths[lo].0 + 3 {
                lo += 1;
            }
            let count = hi + 1 - lo;
            if count >= best.0 {
                let open = widths[lo..=hi].iter().filter(|x| !x.1).count();
                best = (count, widths[hi].0, open);
            }
        }
        let (count, width, open) = best;
        // Wrapped text: a third of all lines end there, mostly mid-sentence.
        (count >= 5 && count * 3 >= total && open * 2 >= count).then_some(WrapWidth(width))
    }

    /// Does this line reach the page width?
    fn full(&self, t: &str) -> bool {
        let w = display_width(t);
        w + 5 >= self.0 && w <= self.0 + 3
    }
}

const FURNITURE_TXT: &str = include_str!("../../../data/furniture.txt");

/// Web-page and publication furniture (`data/furniture.txt`).
static FURNITURE: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    // Only asked whether a line holds a word: leftmost matching lets the
    // automaton use its vectorised prefilter.
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(
            FURNITURE_TXT
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        )
        .ok()
});

/// A line never joined to its neighbours: page furniture, a line stamped
/// with a date and time (2021-07-23 10:38), a breadcrumb (首页 > 新闻 > …).
fn stands_alone(t: &str) -> bool {
    // Such lines are short; a paragraph is not looked at.
    if t.len() > 300 {
        return false;
    }
    if FURNITURE.as_ref().is_some_and(|ac| ac.is_match(t)) {
        return true;
    }
    if t.len() <= 240 && t.matches(['>', '»', '›']).count() >= 2 {
        return true;
    }
    t.contains(':') && has_timestamp(t)
}

/// Does the line hold a date and a time of day (2021-07-23 10:38)?
fn has_timestamp(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = |from: usize, lo: usize, hi: usize| -> usize {
        let n = b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if (lo..=hi).contains(&n) { n } else { 0 }
    };
    let mut i = 0;
    while i + 10 <= b.len() {
        let y = digits(i, 4, 4);
        if y == 0 || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut j = i + 4;
        let mut ok = true;
        for _ in 0..2 {
            if !matches!(b.get(j), Some(b'-') | Some(b'/') | Some(b'.')) {
                ok = false;
                break;
            }
            let d = digits(j + 1, 1, 2);
            if d == 0 {
                ok = false;
                break;
            }
            j += 1 + d;
        }
        if ok {
            while b.get(j) == Some(&b' ') {
                j += 1;
            }
            let h = digits(j, 1, 2);
            if h > 0 && b.get(j + h) == Some(&b':') && digits(j + h + 1, 2, 2) == 2 {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Words that stand right before a figure.
const BEFORE_FIGURE: &[&str] = &[
    "增长",
    "下降",
    "增加",
    "减少",
    "提高",
    "降低",
    "达到",
    "达",
    "为",
    "完成",
    "实现",
    "突破",
    "超过",
    "分别",
    "总值",
    "收入",
    "总额",
    "支出",
    "投资",
    "增加值",
    "产值",
    "比重",
    "约",
    "累计",
    "年均",
    "同比",
    "比上年",
];

/// A figure broken over two lines: digits and digits (2 / 0.6%), a number and
/// its unit (369 / 亿元, 226.2亿 / 元), a number and its decimals (1 / .5倍).
fn number_break(line: &str, next: &str) -> bool {
    let mut rev = line.chars().rev();
    let (Some(a), a2) = (rev.next(), rev.next()) else {
        return false;
    };
    let Some(b) = next.chars().next() else {
        return false;
    };
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let broken = if a.is_ascii_digit() {
        b.is_ascii_digit()
            || b == '.'
            || b == '%'
            || "亿万千百元‰倍个美吨人户家项亩台辆件年月日".contains(b)
    } else if a == '.' && digit(a2) {
        b.is_ascii_digit()
    } else if "亿万千百".contains(a) && digit(a2) {
        "元美吨人户亩平千公台辆件个".contains(b)
    } else {
        // A metric or a verb of change, its figure on the next line
        // (增长 / 2.1%, 固定资产投资 / 316亿元); a bare heading stays apart.
        b.is_ascii_digit()
            && BEFORE_FIGURE.iter().any(|w| line.ends_with(w))
            && is_body_like(line)
            && (line.contains(['。', '；']) || !starts_heading(line))
    };
    broken && !starts_heading(next)
}

/// A meeting line broken before the meeting's name ends
/// ("——2020年1月8日在某某区第五届" / "人民代表大会第三次会议上").
fn meeting_line_break(line: &str, next: &str) -> bool {
    line.len() <= 120
        && next.len() <= 120
        && line.chars().count() <= 40
        && next.chars().count() <= 40
        && line.contains('在')
        && !line.contains("会议")
        && !line.ends_with(TERMINAL)
        && next.contains("会议")
        && (next.ends_with('上') || next.ends_with("上）") || next.ends_with("会议"))
}

const TERMINAL: &[char] = &['。', '！', '？', '；', '：', '…', '）', '》', '!', '?'];
const INNER_PUNCT: &[char] = &['，', '。', '、', '；', '：', '“', '”', '！', '？'];

fn is_body_like(t: &str) -> bool {
    !crate::chars_at_most(t, 19) || t.contains(INNER_PUNCT)
}

/// Does a short line (a heading, often) end inside 《…》 or （…）?
fn inside_brackets(line: &str) -> bool {
    // More 《 than 》 or more （ than ）, in one pass.
    let (mut title, mut paren, mut chars) = (0i32, 0i32, 0usize);
    for c in line.chars() {
        chars += 1;
        if chars > 80 {
            return false;
        }
        match c {
            '《' => title += 1,
            '》' => title -= 1,
            '（' => paren += 1,
            '）' => paren -= 1,
            _ => {}
        }
    }
    title > 0 || paren > 0
}

/// Is `next` the continuation of `line`, broken by page layout?
///
/// A line continues when it does not end a sentence, is not a heading, reads
/// like running text (it has inner punctuation or is long), and the next line
/// is running text that does not open a heading or list item.
pub fn continues(line: &str, next: &str) -> bool {
    if line.is_empty() || next.is_empty() {
        return false;
    }
    // A short line (a heading, often) left inside 《…》 or （…） goes on.
    if inside_brackets(line) && !starts_heading(next) {
        return true;
    }
    // A ratio broken after its colon (73.52:24.77:\n1.71).
    let ratio_break = (line.ends_with(':') || line.ends_with('：'))
        && line[..line.len() - line.chars().last().map_or(0, char::len_utf8)]
            .ends_with(|c: char| c.is_ascii_digit())
        && next.starts_with(|c: char| c.is_ascii_digit());
    if ratio_break {
        return true;
    }
    if line.ends_with(TERMINAL) {
        return false;
    }
    // A heading with its paragraph on the same line ("（一）…。正文…")
    // is running text.
    let heading_only = starts_heading(line) && !line.contains(['。', '；']);
    if heading_only || starts_heading(next) {
        return false;
    }
    if line.ends_with(['，', '、', '“']) {
        return true;
    }
    let next_body = is_body_like(next) || next.ends_with(TERMINAL);
    is_body_like(line) && next_body
}

/// Masked characters (**, ××, 20xx, XX between Chinese characters) and
/// suspected junk tokens (a lower-case Latin word wedged between Chinese
/// characters). Only ASCII letters and digits, `*`, `×` and `＊` can open
/// either, so the scan steps from byte to byte and decodes nothing else.
fn find_warnings(text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let is_han =
        |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c);
    let before = |off: usize| text[..off].chars().next_back();
    let at = |off: usize| text.get(off..).and_then(|t| t.chars().next());
    // How far to step from a byte that opens nothing; 0 where one may open.
    // `×` is C3 97 and `＊` EF BC 8A: other characters open nothing.
    const STEP: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            let byte = i as u8;
            if !(byte == b'*' || byte.is_ascii_alphanumeric() || byte == 0xC3 || byte == 0xEF) {
                t[i] = utf8_len(byte) as u8;
            }
            i += 1;
        }
        t
    };
    let mut off = 0;
    while off < b.len() {
        let step = STEP[b[off] as usize];
        if step != 0 {
            off += step as usize;
            continue;
        }
        let Some(c) = at(off) else {
            break;
        };
        // Masked runs: ** or ×× or ＊.
        if c == '*' || c == '×' || c == '＊' {
            let mut end = off;
            let mut n = 0;
            while at(end) == Some(c) {
                end += c.len_utf8();
                n += 1;
            }
            let near_han = before(off).is_some_and(is_han) || at(end).is_some_and(is_han);
            if (c != '×' || n >= 2) && (c != '*' || n >= 2 || near_han) {
                out.push(Warning::new(
                    WarningKind::Masked,
                    off..end,
                    format!("masked characters {:?}", &text[off..end]),
                ));
            }
            off = end;
            continue;
        }
        // A year written 20xx / 19XX.
        if c.is_ascii_digit()
            && let Some(w) = b.get(off..off + 4)
        {
            let lower = w.to_ascii_lowercase();
            if (lower == b"20xx" || lower == b"19xx")
                && !before(off).is_some_and(|p| p.is_ascii_alphanumeric())
                && !at(off + 4).is_some_and(|n| n.is_ascii_alphanumeric())
            {
                out.push(Warning::new(
                    WarningKind::Masked,
                    off..off + 4,
                    format!("masked year {:?}", &text[off..off + 4]),
                ));
                off += 4;
                continue;
            }
        }
        // Masked letters XX / xx standing between Chinese characters.
        if (c == 'X' || c == 'x') && before(off).is_some_and(is_han) {
            let end = off
                + b[off..]
                    .iter()
                    .take_while(|&&x| x == b'X' || x == b'x')
                    .count();
            if end - off >= 2 && at(end).is_some_and(is_han) {
                out.push(Warning::new(
                    WarningKind::Masked,
                    off..end,
                    format!("masked characters {:?}", &text[off..end]),
                ));
                off = end;
                continue;
            }
        }
        // Junk: a lower-case Latin word wedged between Chinese characters.
        if c.is_ascii_lowercase() && !before(off).is_some_and(|p| p.is_ascii_alphanumeric()) {
            let end = off
                + b[off..]
                    .iter()
                    .take_while(|x| x.is_ascii_alphabetic())
                    .count();
            let before = match before(off) {
                Some(' ') => before(off - 1),
                p => p,
            };
            let after = match at(end) {
                Some(' ') => at(end + 1),
                a => a,
            };
            let word = &text[off..end];
            if end - off >= 2
                && word.bytes().all(|x| x.is_ascii_lowercase())
                && before.is_some_and(is_han)
                && after.is_some_and(is_han)
            {
                out.push(Warning::new(
                    WarningKind::Junk,
                    off..end,
                    format!("suspected junk token {word:?}"),
                ));
            }
            off = end.max(off + 1);
            continue;
        }
        off += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn brackets_are_counted_as_by_matches(t in "[《》（）甲a]{0,90}") {
            let open = |o: char, c: char| t.matches(o).count() > t.matches(c).count();
            let by_matches = t.chars().count() <= 80 && (open('《', '》') || open('（', '）'));
            proptest::prop_assert_eq!(inside_brackets(&t), by_matches);
        }

        // The byte count is the character reading: one column for an
        // ASCII character, two for any other (lines past 255 bytes
        // included, which span several counting runs).
        #[test]
        fn display_width_counts_characters(t in "[a1 ，。报告甲é\u{10000}\u{7f}\u{80}]{0,700}") {
            let by_chars: usize = t.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            proptest::prop_assert_eq!(display_width(&t), by_chars);
        }
    }

    use super::*;

    /// A line's text and runs, as `clean_line` gives them (a line kept as a
    /// slice is one copied run).
    fn line_runs(input: &str) -> (String, Vec<(u32, u32, u32, bool)>) {
        let line = clean_line(input, 0..input.len(), 0);
        match line.cleaned {
            Some(c) => (
                c.text,
                c.runs
                    .iter()
                    .map(|r| (r.src, r.src_len, r.out_len, r.copied))
                    .collect(),
            ),
            None => {
                let n = (line.end - line.start) as u32;
                let runs = if n > 0 {
                    vec![(line.start as u32, n, n, true)]
                } else {
                    vec![]
                };
                (input[line.start..line.end].to_string(), runs)
            }
        }
    }

    /// The same from every step, character by character.
    fn everything_runs(input: &str) -> (String, Vec<(u32, u32, u32, bool)>) {
        let c = clean_everything(input, 0..input.len());
        let runs = c
            .runs
            .iter()
            .map(|r| (r.src, r.src_len, r.out_len, r.copied))
            .collect();
        (c.text, runs)
    }

    #[test]
    fn shortcuts_clean_as_every_step_does() {
        for t in [
            "全区生产总值1,234亿元,增长8%;完成10:30的会议!",
            "1,2345和1,23和,123",
            "甲:乙12:30",
            "（一）推进改革)",
            "  甲,乙  ",
            "2023年,全区",
            "-甲,乙",
            "甲,乙？",
            "发(fā)展,",
            "Ab,cD",
            "",
            "单位 GDP 能耗, 下降 5 %",
            "1 , 2",
            "甲. b,c",
            "首批(ma)试点,",
            "发(fa\u{0304})展,",
            "ABCDEFG 甲,乙",
        ] {
            assert_eq!(line_runs(t), everything_runs(t), "{t:?}");
        }
        assert!(punctuation_only("全区生产总值1,234亿元,增长8%", 0).is_some_and(|c| c.is_some()));
        assert!(punctuation_only("全区生产总值增长8%", 0).is_some_and(|c| c.is_none()));
        assert!(punctuation_only("1,234亿元", 0).is_none());
        let long = format!("2017年,{}", "甲".repeat(50));
        assert!(punctuation_only(&long, 0).is_some_and(|c| c.is_some()));
    }

    proptest::proptest! {
        #[test]
        fn shortcuts_agree_with_every_step(t in "[甲乙（）()?？,:;!&1 　a-zA-Z\u{200B}，０\t.%ā\u{0304}-]{0,14}") {
            proptest::prop_assert_eq!(line_runs(&t), everything_runs(&t));
        }

        #[test]
        fn long_lines_opening_with_a_number_agree_with_every_step(t in "[1-][报告甲,乙 ]{40,50}") {
            proptest::prop_assert_eq!(line_runs(&t), everything_runs(&t));
        }

        #[test]
        fn punctuation_lines_agree_with_every_step(t in "[甲乙丙（）(),:;! 12.aB%]{0,16}") {
            proptest::prop_assert_eq!(line_runs(&t), everything_runs(&t));
        }
    }

    /// The character-by-character reading `find_warnings` must agree with.
    fn find_warnings_by_char(text: &str) -> Vec<Warning> {
        let mut out = Vec::new();
        let cs: Vec<(usize, char)> = text.char_indices().collect();
        let is_han = |c: char| {
            ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
        };
        let mut i = 0;
        while i < cs.len() {
            let (off, c) = cs[i];
            // Masked runs: ** or ×× or a year written 20xx / 19XX.
            if c == '*' || c == '×' || c == '＊' {
                let mut j = i;
                while j < cs.len() && cs[j].1 == c {
                    j += 1;
                }
                let end = cs.get(j).map_or(text.len(), |x| x.0);
                let near_han =
                    (i > 0 && is_han(cs[i - 1].1)) || cs.get(j).is_some_and(|x| is_han(x.1));
                if (c != '×' || j - i >= 2) && (c != '*' || j - i >= 2 || near_han) {
                    out.push(Warning::new(
                        WarningKind::Masked,
                        off..end,
                        format!("masked characters {:?}", &text[off..end]),
                    ));
                }
                i = j;
                continue;
            }
            if c.is_ascii_digit() && i + 3 < cs.len() {
                let w: String = cs[i..i + 4].iter().map(|x| x.1).collect();
                let lower = w.to_ascii_lowercase();
                if (lower == "20xx" || lower == "19xx")
                    && !(i > 0 && cs[i - 1].1.is_ascii_alphanumeric())
                    && !cs.get(i + 4).is_some_and(|x| x.1.is_ascii_alphanumeric())
                {
                    let end = cs.get(i + 4).map_or(text.len(), |x| x.0);
                    out.push(Warning::new(
                        WarningKind::Masked,
                        off..end,
                        format!("masked year {w:?}"),
                    ));
                    i += 4;
                    continue;
                }
            }
            // Masked letters XX / xx standing between Chinese characters.
            if (c == 'X' || c == 'x') && i > 0 && is_han(cs[i - 1].1) {
                let mut j = i;
                while j < cs.len() && (cs[j].1 == 'X' || cs[j].1 == 'x') {
                    j += 1;
                }
                if j - i >= 2 && cs.get(j).is_some_and(|x| is_han(x.1)) {
                    let end = cs[j].0;
                    out.push(Warning::new(
                        WarningKind::Masked,
                        off..end,
                        format!("masked characters {:?}", &text[off..end]),
                    ));
                    i = j;
                    continue;
                }
            }
            // Junk: a lower-case Latin word wedged between Chinese characters.
            if c.is_ascii_lowercase() && (i == 0 || !cs[i - 1].1.is_ascii_alphanumeric()) {
                let mut j = i;
                while j < cs.len() && cs[j].1.is_ascii_alphabetic() {
                    j += 1;
                }
                let before = i.checked_sub(1).and_then(|k| cs.get(k)).map(|x| x.1);
                let before = match before {
                    Some(' ') => i.checked_sub(2).and_then(|k| cs.get(k)).map(|x| x.1),
                    b => b,
                };
                let after = match cs.get(j).map(|x| x.1) {
                    Some(' ') => cs.get(j + 1).map(|x| x.1),
                    a => a,
                };
                let word = &text[off..cs.get(j).map_or(text.len(), |x| x.0)];
                if j - i >= 2
                    && word.chars().all(|c| c.is_ascii_lowercase())
                    && before.is_some_and(is_han)
                    && after.is_some_and(is_han)
                {
                    out.push(Warning::new(
                        WarningKind::Junk,
                        off..off + word.len(),
                        format!("suspected junk token {word:?}"),
                    ));
                }
                i = j.max(i + 1);
                continue;
            }
            i += 1;
        }
        out
    }

    fn same_warnings(text: &str) {
        let got: Vec<_> = find_warnings(text)
            .into_iter()
            .map(|w| (w.kind, w.span, w.message))
            .collect();
        let want: Vec<_> = find_warnings_by_char(text)
            .into_iter()
            .map(|w| (w.kind, w.span, w.message))
            .collect();
        assert_eq!(got, want, "{text:?}");
    }

    #[test]
    fn warnings_as_the_character_reading_finds_them() {
        for t in [
            "某某**区20xx年19XX年",
            "区长XX同志，abc区域xx，× 2×3，＊＊，甲and乙，甲 and 乙，甲aNd乙",
            "20x",
            "x",
            "甲x",
            "2020xx年，a20xx，20xxb，*",
        ] {
            same_warnings(t);
        }
    }

    proptest::proptest! {
        #[test]
        fn warnings_agree_on_any_text(t in "[甲乙 aXxz019*×＊，]{0,16}") {
            same_warnings(&t);
        }
    }

    #[test]
    fn single_lines_normalize_alone() {
        assert_eq!(normalize_line("  １２ "), "12");
        assert_eq!(normalize_line("数字经济,发展"), "数字经济，发展");
    }

    #[test]
    fn broken_ratios_join() {
        let n = normalize("三次产业比重由73.52:24.77:\n\n1.71调整为81:18.3:0.7，服务业地位凸显。");
        assert_eq!(
            n.text,
            "三次产业比重由73.52:24.77：1.71调整为81:18.3:0.7，服务业地位凸显。"
        );
    }

    #[test]
    fn open_brackets_join_heading_lines() {
        let n = normalize(
            "三、关于《\n国民经济和社会发展第十一个五年规划纲要（草案）\n》的说明\n正文。",
        );
        assert_eq!(
            n.text,
            "三、关于《国民经济和社会发展第十一个五年规划纲要（草案）》的说明\n正文。"
        );
    }

    fn n(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn full_width_digits_letters_percent_become_ascii() {
        assert_eq!(n("增长１２．５％，ＧＤＰ"), "增长12.5%，GDP");
    }

    #[test]
    fn ascii_punctuation_in_chinese_becomes_full_width() {
        assert_eq!(
            n("预计增长5%,其中:服务业(含金融);完成!"),
            "预计增长5%，其中：服务业（含金融）；完成！"
        );
    }

    #[test]
    fn numbers_and_latin_keep_their_punctuation() {
        assert_eq!(n("投资1,200万元,时间10:30"), "投资1,200万元，时间10:30");
        assert_eq!(n("分别增长11.7%,8.6%"), "分别增长11.7%，8.6%");
        assert_eq!(n("see (World Bank), page"), "see (World Bank), page");
    }

    #[test]
    fn spaces_inside_numbers_and_names_go() {
        assert_eq!(n("落实资金 3880 万元"), "落实资金3880万元");
        assert_eq!(n("国务院总理　李　强"), "国务院总理李强");
        assert_eq!(n("Special Reports"), "Special Reports");
    }

    #[test]
    fn range_dashes_unify() {
        assert_eq!(n("增长6%－6.5%"), "增长6%-6.5%");
        assert_eq!(n("6%～7%"), "6%~7%");
    }

    #[test]
    fn lines_broken_mid_sentence_are_joined() {
        let t = "一、工作回顾\n\n建议今年全区经济社会发展主要目标为：地区\n\n生产总值增长6%，财政收入增长8%。\n下一段。";
        assert_eq!(
            n(t),
            "一、工作回顾\n建议今年全区经济社会发展主要目标为：地区生产总值增长6%，财政收入增长8%。\n下一段。"
        );
    }

    #[test]
    fn titles_and_headings_are_not_joined() {
        let t = "政府工作报告\n2018年1月19日经某区第十五届人民代表大会第二次会议审议通过\n某区人民政府区长张三\n各位代表：\n一、2017年工作回顾\n过去一年，我们做了很多工作。";
        assert_eq!(n(t), t);
    }

    #[test]
    fn page_numbers_and_running_headers_drop() {
        let t = "正文第一段很长很长很长很长很长很长很长。\n- 1 -\n某某区政府工作报告（草案）\n第二段。\n某某区政府工作报告（草案）\n第三段。\n第 3 页\n某某区政府工作报告（草案）\n第四段。";
        assert_eq!(
            n(t),
            "正文第一段很长很长很长很长很长很长很长。\n某某区政府工作报告（草案）\n第二段。\n第三段。\n第四段。"
        );
    }

    #[test]
    fn only_short_lines_count_as_running_headers() {
        // A sentence (it ends in 。) and a line of more than 40 characters
        // are no header candidates: seen three times, no copy is dropped.
        let long = "全面推进乡村振兴战略，持续改善农村人居环境，建设宜居宜业和美乡村，让农民群众过上更好的日子";
        assert!(long.chars().count() > 40);
        for line in ["第二段。", long] {
            let t = format!("{line}\n{line}\n{line}");
            assert_eq!(n(&t).matches(line).count(), 3, "{line}");
        }
    }

    #[test]
    fn masked_and_junk_are_reported() {
        let r = normalize("获评国家3**景区，20xx年，推进住房 and 临时住房建设，PM2.5下降");
        let kinds: Vec<_> = r
            .warnings
            .iter()
            .map(|w| (w.kind, &r.text[w.span.clone()]))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (WarningKind::Masked, "**"),
                (WarningKind::Masked, "20xx"),
                (WarningKind::Junk, "and"),
            ]
        );
    }

    #[test]
    fn pinyin_readings_go_and_the_map_skips_them() {
        let input = "预(yù)计实现(xiàn)地区(qū)生产(chǎn)总值120亿元(GDP)。";
        let r = normalize(input);
        assert_eq!(r.text, "预计实现地区生产总值120亿元（GDP）。");
        let i = r.text.find("地区生产总值").unwrap_or(0);
        let s = r.map.span_to_source(i..i + "地区生产总值".len());
        assert_eq!(&input[s], "地区(qū)生产(chǎn)总值");
        let j = r.text.find("120").unwrap_or(0);
        assert_eq!(&input[r.map.span_to_source(j..j + 3)], "120");
    }

    #[test]
    fn junk_tokens_and_stray_marks_go() {
        assert_eq!(
            n("某某县人民政府县长 赵六qRt\n各位代表："),
            "某某县人民政府县长赵六\n各位代表："
        );
        assert_eq!(n("县 长? 赵 六\n各位代表："), "县长赵六\n各位代表：");
    }

    #[test]
    fn care_of_sign_and_entities_are_fixed() {
        let input = "增长6.5℅，&nbsp;&nbsp投资&amp;nbsp;120亿元，R&D投入";
        let r = normalize(input);
        assert_eq!(r.text, "增长6.5%，投资120亿元，R&D投入");
        let i = r.text.find('%').unwrap_or(0);
        assert_eq!(&input[r.map.span_to_source(i..i + 1)], "℅");
        assert_eq!(n("比例为3∶4∶5"), "比例为3:4:5");
    }

    #[test]
    fn fixed_width_lines_join_inside_words_and_numbers() {
        // Lines cut at a fixed page width, mid-word, mid-number, after a heading.
        let t = "（一）经济运行总体平稳。全年实现地区生产总值三百亿元，规模\n\
                 以上工业增加值增长10%，社会消费品零售总额增长2\n\
                 0.6%，一般公共预算收入达到一百二十亿元，比上年增长1\n\
                 .5倍，固定资产投资完成四百亿元，比上年同期增长了\n\
                 369亿元，外贸进出口总额再创历史新高，年均增长15%，\n\
                 城乡居民收入稳步提高，民生保障更加有力，社会大局\n\
                 和谐稳定。\n\
                 （二）改革开放深入推进。";
        assert_eq!(
            n(t),
            "（一）经济运行总体平稳。全年实现地区生产总值三百亿元，规模以上工业增加值增长10%，\
             社会消费品零售总额增长20.6%，一般公共预算收入达到一百二十亿元，比上年增长1.5倍，\
             固定资产投资完成四百亿元，比上年同期增长了369亿元，外贸进出口总额再创历史新高，\
             年均增长15%，城乡居民收入稳步提高，民生保障更加有力，社会大局和谐稳定。\n\
             （二）改革开放深入推进。"
        );
    }

    #[test]
    fn a_heading_with_its_paragraph_goes_on_after_a_break() {
        let t = "（二）项目建设提速。全年完成投资六十亿元，其中\n工业投资增长8%。";
        assert_eq!(
            n(t),
            "（二）项目建设提速。全年完成投资六十亿元，其中工业投资增长8%。"
        );
        let h = "（二）项目建设提速\n全年完成投资六十亿元，工业投资增长8%。";
        assert_eq!(n(h), h);
    }

    #[test]
    fn broken_meeting_lines_join() {
        let t = "——2020年1月8日在某某市第五届\n\n人民代表大会第三次会议上\n某某市市长张三";
        assert_eq!(
            n(t),
            "——2020年1月8日在某某市第五届人民代表大会第三次会议上\n某某市市长张三"
        );
    }

    #[test]
    fn page_numbers_between_halves_of_a_figure_drop() {
        let t = "全年实现财政收入4.6\n\n1\n\n亿元，同比增长12.5%，各项工作稳步推进。";
        assert_eq!(
            n(t),
            "全年实现财政收入4.6亿元，同比增长12.5%，各项工作稳步推进。"
        );
        let u = "预计全年实现地区生产总值 369 亿元，固定资产投资\n316 亿元，增长\n2.1 %";
        assert_eq!(
            n(u),
            "预计全年实现地区生产总值369亿元，固定资产投资316亿元，增长2.1%"
        );
        let h = "（三）提高收入\n2019年，居民收入稳步增长。\n区长张为\n2020年1月8日";
        assert_eq!(n(h), h);
    }

    #[test]
    fn stamped_breadcrumb_repeated_and_furniture_lines_stand_alone() {
        let t = "首页>新闻中心>要闻，某某区召开会议\n\
                 某某区政府工作报告摘要（全文）\n\
                 某某网2020-01-08 09:30:12来源：某某日报，记者张三\n\
                 正文第一段写到这里，接着说明全年工作情况，\n\
                 某某区政府工作报告摘要（全文）\n\
                 后面还有内容，全区生产总值增长6%。\n\
                 责任编辑：李四，审核：王五，编辑：赵六";
        assert_eq!(n(t), t);
    }

    #[test]
    fn spaced_out_lines_close_up() {
        assert_eq!(
            n("政 府 工 作 报 告\n区 长  张 三"),
            "政府工作报告\n区长张三"
        );
        assert_eq!(
            n("财政收入 369 亿元，增长 15 %。"),
            "财政收入369亿元，增长15%。"
        );
        assert_eq!(
            n("收入226.2 亿\n元，增长\n2.1%，继续保持平稳较快增长的良好势头。"),
            "收入226.2亿元，增长2.1%，继续保持平稳较快增长的良好势头。"
        );
    }

    #[test]
    fn a_flattened_report_gets_its_lines_back_with_an_exact_map() {
        let body = "全区经济保持平稳增长，各项事业全面进步。".repeat(30);
        let input = format!(
            "1政府工作报告——2020年1月8日在某某区第五届人民代表大会第三次会议上区长张三各位代表：现在，我代表区人民政府向大会报告工作。一、2019年工作回顾过去一年，地区生产总值增长6%。{body}"
        );
        let r = normalize(&input);
        let lines: Vec<&str> = r.text.lines().take(6).collect();
        assert_eq!(
            lines,
            vec![
                "政府工作报告",
                "——2020年1月8日在某某区第五届人民代表大会第三次会议上",
                "区长张三",
                "各位代表：",
                "现在，我代表区人民政府向大会报告工作。",
                "一、2019年工作回顾",
            ]
        );
        let i = r.text.find("地区生产总值增长6%").unwrap_or(0);
        let span = r.map.span_to_source(i..i + "地区生产总值增长6%".len());
        assert_eq!(&input[span], "地区生产总值增长6%");
        let j = r.text.find("区长张三").unwrap_or(0);
        assert_eq!(
            &input[r.map.span_to_source(j..j + "区长张三".len())],
            "区长张三"
        );
    }

    #[test]
    fn page_headers_with_glued_page_numbers_go() {
        let t = "某某区政府工作报告\n第一段正文说明工作。\n2某某区政府工作报告\n第二段正文。\n3某某区政府工作报告\n第三段正文。";
        assert_eq!(
            n(t),
            "某某区政府工作报告\n第一段正文说明工作。\n第二段正文。\n第三段正文。"
        );
    }

    #[test]
    fn map_points_back_into_the_input() {
        let input = "总额　３８８０ 万元,\r\n增长\r\n\r\n5%。";
        let r = normalize(input);
        assert_eq!(r.text, "总额3880万元，增长5%。");
        let i = r.text.find("3880").unwrap_or(0);
        let s = r.map.span_to_source(i..i + 4);
        assert_eq!(&input[s], "３８８０");
        let j = r.text.find("5%").unwrap_or(0);
        let s = r.map.span_to_source(j..j + 2);
        assert_eq!(&input[s], "5%");
    }
}
