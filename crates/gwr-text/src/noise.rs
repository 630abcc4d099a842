//! Noise that copy sites add to report text, found inside one line.
//!
//! Each rule returns what to delete or replace; normalization applies it
//! piece by piece, so the offset map stays exact. The rules:
//! - [`pinyin_readings`]: a reading in brackets after a Han character, as
//!   conversion sites insert it ("发(fā)展", "报（bào）告"): Latin letters with
//!   a tone mark forming pinyin syllables. Bracketed Latin without tone marks
//!   (GDP, PPP) stays.
//! - [`junk_tokens`]: a short Latin run of irregular mixed case glued to Han
//!   text ("张三xcV", "张三 xcV", or opening a line before Han text), unless
//!   it is a known term (`data/latin-terms.txt`).
//! - [`page_number_before_title`]: a page number glued before a title line
//!   ("2政府工作报告"), as page headers come out of a PDF copy.
//! - [`stray_marks`]: a question mark standing between the spaced-out
//!   characters of a short line ("市 长? 王 五"), where a site lost a character.
//! - [`entity_at`]: an HTML entity left in plain text, with or without its
//!   semicolon (`&nbsp`, `&amp;`, `&#160;`).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

const LATIN_TERMS_TXT: &str = include_str!("../../../data/latin-terms.txt");

/// Latin terms that may stand glued to Chinese text (kWh, SiC, IoT).
static LATIN_TERMS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LATIN_TERMS_TXT
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

pub(crate) fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{3400}'..='\u{4DBF}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
}

/// A vowel with a tone mark (or ü), as pinyin writes it.
fn is_tone_vowel(c: char) -> bool {
    matches!(
        c,
        'ā' | 'á'
            | 'ǎ'
            | 'à'
            | 'ē'
            | 'é'
            | 'ě'
            | 'è'
            | 'ī'
            | 'í'
            | 'ǐ'
            | 'ì'
            | 'ō'
            | 'ó'
            | 'ǒ'
            | 'ò'
            | 'ū'
            | 'ú'
            | 'ǔ'
            | 'ù'
            | 'ǖ'
            | 'ǘ'
            | 'ǚ'
            | 'ǜ'
            | 'ü'
            | 'ń'
            | 'ň'
            | 'ǹ'
    )
}

/// The plain letter of a pinyin letter ('ǎ' → 'a', 'ü' → 'v').
fn base_letter(c: char) -> Option<char> {
    Some(match c {
        'a'..='z' => c,
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' => 'v',
        'ń' | 'ň' | 'ǹ' => 'n',
        _ => return None,
    })
}

const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w",
];
const FINALS: &[&str] = &[
    "a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "i", "ia", "ie",
    "iao", "iu", "ian", "in", "iang", "ing", "iong", "u", "ua", "uo", "uai", "ui", "uan", "un",
    "uang", "ueng", "v", "ve", "van", "vn", "ue", "n", "ng",
];

/// Is `s` (plain letters) one pinyin syllable: an optional initial and a final?
fn is_syllable(s: &str) -> bool {
    if s.is_empty() || s.len() > 6 {
        return false;
    }
    if FINALS.contains(&s) {
        return true;
    }
    INITIALS
        .iter()
        .any(|i| s.strip_prefix(i).is_some_and(|f| FINALS.contains(&f)))
}

/// Is `word` (as written, tone marks and all) a pinyin reading: one or more
/// syllables separated by spaces or apostrophes, each with a tone mark?
fn is_reading(word: &[char]) -> bool {
    if word.is_empty() || word.len() > 24 {
        return false;
    }
    let mut syllables = 0;
    for syl in word.split(|&c| c == ' ' || c == '\'') {
        let mut plain = String::with_capacity(8);
        let mut toned = false;
        for &c in syl {
            // A tone written as a combining mark after its vowel (a + U+0304).
            if matches!(c, '\u{0300}' | '\u{0301}' | '\u{0304}' | '\u{030C}') {
                toned = true;
                continue;
            }
            let Some(b) = base_letter(c) else {
                return false;
            };
            toned |= is_tone_vowel(c);
            plain.push(b);
        }
        if !toned || !is_syllable(&plain) {
            return false;
        }
        syllables += 1;
    }
    syllables > 0
}

/// Can this character mark a pinyin reading as one: a vowel with a tone
/// mark, or a tone written as a combining mark? (A reading needs one.)
pub fn may_mark_reading(c: char) -> bool {
    is_tone_vowel(c) || matches!(c, '\u{0300}' | '\u{0301}' | '\u{0304}' | '\u{030C}')
}

/// Can this character start a pinyin reading (a small Latin letter, a toned vowel)?
pub fn may_start_reading(c: char) -> bool {
    c.is_ascii_lowercase() || is_tone_vowel(c)
}

/// Bracketed pinyin readings right after a Han character: index ranges of
/// `chars` to delete, brackets included.
pub fn pinyin_readings(chars: &[char], out: &mut Vec<Range<usize>>) {
    let mut i = 1;
    while i < chars.len() {
        let open = chars[i];
        if (open == '(' || open == '（') && is_han(chars[i - 1]) {
            let close = if open == '(' { ')' } else { '）' };
            let limit = chars.len().min(i + 26);
            if let Some(j) =
                (i + 1..limit).find(|&j| chars[j] == close || chars[j] == ')' || chars[j] == '）')
                && is_reading(&chars[i + 1..j])
            {
                out.push(i..j + 1);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
}

/// A page number glued before a short title line ("2政府工作报告",
/// "-3-某某区政府工作报告"): the index range of `chars` to delete.
pub fn page_number_before_title(chars: &[char]) -> Option<Range<usize>> {
    let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    if chars.len() > 45 + lead {
        return None;
    }
    let dash = chars.get(lead) == Some(&'-');
    let from = lead + usize::from(dash);
    let digits = chars[from..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let mut end = from + digits;
    if dash {
        if chars.get(end) != Some(&'-') {
            return None;
        }
        end += 1;
    }
    let rest = &chars[end..];
    let first = *rest.first()?;
    let title = rest.len() >= 4
        && is_han(first)
        && !"年月日个项家号次份篇期届大类条件名位种批".contains(first)
        && rest.windows(2).any(|w| w == ['报', '告'])
        && !rest
            .iter()
            .any(|c| matches!(c, '，' | '。' | '；' | ',' | ';'));
    title.then_some(lead..end)
}

/// Is this Latin run shaped like a word or an abbreviation (all lower case,
/// all upper case, or capitalized)? Junk has a capital after a small letter.
fn regular_case(run: &[char]) -> bool {
    !run.windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Short Latin runs of irregular case glued to Han text ("李四xcV"):
/// index ranges of `chars` to delete.
pub fn junk_tokens(chars: &[char], out: &mut Vec<Range<usize>>) {
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        let run = &chars[i..j];
        let after = chars.get(j).copied();
        let after_ok =
            after.is_none_or(|c| is_han(c) || c == ' ' || (!c.is_ascii() && !c.is_alphanumeric()));
        // Glued to Han text before it (a space between allowed), or opening
        // the line right before Han text.
        let before_ok = match i {
            0 => after.is_some_and(is_han),
            1 => is_han(chars[0]),
            _ => is_han(chars[i - 1]) || chars[i - 1] == ' ' && is_han(chars[i - 2]),
        };
        if (2..=5).contains(&run.len()) && before_ok && after_ok && !regular_case(run) {
            let word: String = run.iter().collect();
            if !LATIN_TERMS.contains(word.as_str()) {
                out.push(i..j);
            }
        }
        i = j;
    }
}

/// Question marks between the spaced-out characters of a short line
/// ("区 长? 李 四"): index ranges of `chars` to delete.
pub fn stray_marks(chars: &[char], out: &mut Vec<Range<usize>>) {
    if chars.len() > 60 || !chars.iter().any(|&c| c == '?' || c == '？') {
        return;
    }
    let spaced = chars
        .windows(3)
        .filter(|w| is_han(w[0]) && w[1] == ' ' && is_han(w[2]))
        .count();
    if spaced < 2 {
        return;
    }
    for (k, &c) in chars.iter().enumerate() {
        if c != '?' && c != '？' {
            continue;
        }
        let before = k.checked_sub(1).map(|p| chars[p]);
        let after = chars.get(k + 1).copied();
        let han_or_space = |x: Option<char>| x.is_some_and(|x| is_han(x) || x == ' ');
        let spaced_here = before == Some(' ') || after == Some(' ');
        if spaced_here && han_or_space(before) && han_or_space(after) {
            out.push(k..k + 1);
        }
    }
}

const ENTITIES: &[(&str, char)] = &[
    ("nbsp", ' '),
    ("ensp", ' '),
    ("emsp", ' '),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("mdash", '—'),
    ("ndash", '-'),
    ("hellip", '…'),
    ("middot", '·'),
    ("times", '×'),
    ("deg", '°'),
    ("permil", '‰'),
];

/// A named entity at the start of `rest` (after its `&`): the character and
/// the length of the name with its semicolon, if any. Without a semicolon
/// the name must not run on into a letter or digit.
fn named_entity(rest: &str) -> Option<(char, usize)> {
    for &(name, c) in ENTITIES {
        let Some(after) = rest.strip_prefix(name) else {
            continue;
        };
        if after.starts_with(';') {
            return Some((c, name.len() + 1));
        }
        if !after.starts_with(|x: char| x.is_ascii_alphanumeric()) {
            return Some((c, name.len()));
        }
    }
    None
}

/// A numeric entity at the start of `rest` (after its `&#`), semicolon required.
fn numeric_entity(num: &str) -> Option<(char, usize)> {
    let (hex, digits) = match num.strip_prefix(['x', 'X']) {
        Some(h) => (true, h),
        None => (false, num),
    };
    let n = digits
        .bytes()
        .take(8)
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if n == 0 || digits.as_bytes().get(n) != Some(&b';') {
        return None;
    }
    let v = u32::from_str_radix(&digits[..n], if hex { 16 } else { 10 }).ok()?;
    let c = char::from_u32(v).filter(|c| !c.is_control())?;
    let c = if c == '\u{A0}' { ' ' } else { c };
    Some((c, usize::from(hex) + n + 1))
}

/// An HTML entity at the start of `s` (which starts with `&`): the character
/// it stands for and its length in bytes. Named entities are accepted without
/// their semicolon when no letter or digit follows; `&amp;nbsp;` (escaped
/// twice) counts as one entity.
pub fn entity_at(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix('&')?;
    if let Some(num) = rest.strip_prefix('#') {
        return numeric_entity(num).map(|(c, n)| (c, n + 2));
    }
    let (c, n) = named_entity(rest)?;
    if c == '&' && rest.as_bytes().get(n - 1) == Some(&b';') {
        let tail = &rest[n..];
        let inner = match tail.strip_prefix('#') {
            Some(num) => numeric_entity(num).map(|(c, m)| (c, m + 1)),
            None => named_entity(tail).filter(|(_, m)| tail.as_bytes().get(m - 1) == Some(&b';')),
        };
        if let Some((ic, m)) = inner {
            return Some((ic, 1 + n + m));
        }
    }
    Some((c, 1 + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(s: &str, rule: fn(&[char], &mut Vec<Range<usize>>)) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut del = Vec::new();
        rule(&chars, &mut del);
        chars
            .iter()
            .enumerate()
            .filter(|(k, _)| !del.iter().any(|r| r.contains(k)))
            .map(|(_, c)| *c)
            .collect()
    }

    #[test]
    fn pinyin_readings_go() {
        assert_eq!(
            apply("加快发(fā)展，预(yù)计(jì)增长", pinyin_readings),
            "加快发展，预计增长"
        );
        assert_eq!(apply("产（chǎn）业园", pinyin_readings), "产业园");
        assert_eq!(apply("绿(lǜ)色", pinyin_readings), "绿色");
        assert_eq!(apply("现(xiàn zài)在", pinyin_readings), "现在");
        assert_eq!(apply("发(fa\u{0304})展", pinyin_readings), "发展");
    }

    #[test]
    fn bracketed_latin_without_tones_stays() {
        for s in [
            "地区生产总值(GDP)增长",
            "政府和社会资本合作(PPP)项目",
            "首批(ma)试点",
            "咖啡馆(Café)开业",
            "研发(R&D)投入",
            "(fā)开头",
        ] {
            assert_eq!(apply(s, pinyin_readings), s);
        }
    }

    #[test]
    fn junk_tokens_glued_to_han_go() {
        assert_eq!(apply("区长 李四xcV", junk_tokens), "区长 李四");
        assert_eq!(apply("李四qWe各位代表", junk_tokens), "李四各位代表");
        assert_eq!(apply("县长 王五 zkP", junk_tokens), "县长 王五 ");
        assert_eq!(apply("hJk各位代表", junk_tokens), "各位代表");
    }

    #[test]
    fn real_latin_terms_stay() {
        for s in [
            "单位GDP能耗",
            "新增装机20万kWh",
            "碳化硅SiC材料",
            "推进住房and建设",
            "建设5G基站",
            "发展Wind产业",
            "物联网IoT平台",
            "苹果iOS系统",
            "iOS系统",
            "GDP xcV",
            "abc def",
            "mRNA疫苗",
        ] {
            assert_eq!(apply(s, junk_tokens), s);
        }
    }

    #[test]
    fn stray_question_marks_in_spaced_lines_go() {
        assert_eq!(apply("县 长? 赵 六", stray_marks), "县 长 赵 六");
        assert_eq!(apply("怎么办? 我们要干", stray_marks), "怎么办? 我们要干");
        assert_eq!(
            apply("这是为什么？是因为", stray_marks),
            "这是为什么？是因为"
        );
    }

    #[test]
    fn page_numbers_glued_before_a_title_go() {
        let cut = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            page_number_before_title(&chars).map(|r| chars[r.end..].iter().collect::<String>())
        };
        assert_eq!(cut("2政府工作报告").as_deref(), Some("政府工作报告"));
        assert_eq!(
            cut("  12某某县政府工作报告").as_deref(),
            Some("某某县政府工作报告")
        );
        assert_eq!(
            cut("-3-某某区政府工作报告").as_deref(),
            Some("某某区政府工作报告")
        );
        assert_eq!(cut("2020政府工作报告"), None);
        assert_eq!(cut("3个报告"), None);
        assert_eq!(cut("2大报告"), None);
        assert_eq!(cut("5家企业发布报告，增长5%"), None);
    }

    #[test]
    fn entities_decode() {
        assert_eq!(entity_at("&nbsp;x"), Some((' ', 6)));
        assert_eq!(entity_at("&nbsp增长"), Some((' ', 5)));
        assert_eq!(entity_at("&amp;"), Some(('&', 5)));
        assert_eq!(entity_at("&amp;nbsp;"), Some((' ', 10)));
        assert_eq!(entity_at("&#160;"), Some((' ', 6)));
        assert_eq!(entity_at("&#x4E00;"), Some(('一', 8)));
        assert_eq!(entity_at("&D"), None);
        assert_eq!(entity_at("&nbspx"), None);
        assert_eq!(entity_at("&#;"), None);
    }
}
