//! A document's text as paragraphs with its figures marked: the reader's
//! layout, computed without HTML so it can be tested on its own.
//!
//! Paragraphs are the text's non-empty lines (the store's passages are the
//! same lines, so each paragraph takes its passage's id, section and role).
//! A figure is placed by its character span in the document's text; a row
//! stored without one is found by its evidence, searching on from the last
//! figure placed. Overlapping figures keep the first; a figure crossing a
//! line end is cut at it.

use gwr_store::read::Passage;
use std::ops::Range;

/// Where a figure sits: a character span, or only its evidence.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub chars: Option<(usize, usize)>,
    pub evidence: &'a str,
}

/// A piece of a paragraph: a byte range of the text, and the figure it
/// shows (an index into the places given), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub bytes: Range<usize>,
    pub figure: Option<usize>,
}

/// One paragraph of the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub passage: Option<i64>,
    pub section: Option<String>,
    pub role: Option<String>,
    pub pieces: Vec<Piece>,
}

/// Byte offset of each character (and of the end).
fn byte_offsets(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

/// The byte span of every place that can be found (in order of the input).
fn spans(text: &str, places: &[Place<'_>]) -> Vec<Option<Range<usize>>> {
    let bytes = byte_offsets(text);
    let mut from = 0usize;
    places
        .iter()
        .map(|p| {
            let span = match p.chars {
                Some((s, e)) if s < e && e < bytes.len() => Some(bytes[s]..bytes[e]),
                _ if !p.evidence.is_empty() => text
                    .get(from..)
                    .and_then(|rest| rest.find(p.evidence))
                    .map(|i| from + i)
                    .or_else(|| text.find(p.evidence))
                    .map(|s| s..s + p.evidence.len()),
                _ => None,
            };
            if let Some(s) = &span {
                from = s.start;
            }
            span
        })
        .collect()
}

/// The paragraphs of `text` with `places` marked.
pub fn paragraphs(text: &str, passages: &[Passage], places: &[Place<'_>]) -> Vec<Para> {
    let mut marks: Vec<(Range<usize>, usize)> = spans(text, places)
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (s, i)))
        .collect();
    marks.sort_by_key(|(s, i)| (s.start, *i));
    let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(marks.len());
    for (s, i) in marks {
        if kept.last().is_none_or(|(k, _)| k.end <= s.start) {
            kept.push((s, i));
        }
    }
    let mut out = Vec::new();
    let mut passages = passages.iter().peekable();
    let mut next_mark = 0usize;
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let start = line_start + lead;
        let end = start + trimmed.len();
        let passage = passages.next_if(|p| p.text == trimmed);
        let mut para = Para {
            passage: passage.map(|p| p.id),
            section: passage.and_then(|p| p.section.clone()),
            role: passage.and_then(|p| p.role.clone()),
            pieces: Vec::new(),
        };
        while kept.get(next_mark).is_some_and(|(s, _)| s.end <= start) {
            next_mark += 1;
        }
        let mut at = start;
        let mut k = next_mark;
        while let Some((s, i)) = kept.get(k) {
            if s.start >= end {
                break;
            }
            let (ms, me) = (s.start.max(at), s.end.min(end));
            if ms > at {
                para.pieces.push(Piece {
                    bytes: at..ms,
                    figure: None,
                });
            }
            if me > ms {
                para.pieces.push(Piece {
                    bytes: ms..me,
                    figure: Some(*i),
                });
                at = me;
            }
            if s.end > end {
                break;
            }
            k += 1;
        }
        next_mark = k;
        if at < end {
            para.pieces.push(Piece {
                bytes: at..end,
                figure: None,
            });
        }
        out.push(para);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(id: i64, section: &str, text: &str) -> Passage {
        Passage {
            id,
            section: Some(section.into()),
            role: None,
            text: text.into(),
        }
    }

    fn shown(text: &str, paras: &[Para]) -> Vec<String> {
        paras
            .iter()
            .map(|p| {
                p.pieces
                    .iter()
                    .map(|x| match x.figure {
                        Some(i) => format!("[{}:{i}]", &text[x.bytes.clone()]),
                        None => text[x.bytes.clone()].to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn figures_are_marked_by_their_character_spans() {
        let text = "一、回顾\n  全区生产总值增长6%，财政收入120亿元。\n\n二、目标\n";
        let ps = [
            passage(7, "1", "一、回顾"),
            passage(8, "1", "全区生产总值增长6%，财政收入120亿元。"),
            passage(9, "2", "二、目标"),
        ];
        // 生产总值增长6% starts at character 9 (after 一、回顾\n and two spaces… and 全区).
        let start = text.chars().position(|c| c == '生').unwrap_or(0);
        let places = [
            Place {
                chars: Some((start, start + 8)),
                evidence: "",
            },
            Place {
                chars: None,
                evidence: "财政收入120亿元",
            },
        ];
        let paras = paragraphs(text, &ps, &places);
        assert_eq!(
            shown(text, &paras),
            [
                "一、回顾",
                "全区[生产总值增长6%:0]，[财政收入120亿元:1]。",
                "二、目标"
            ]
        );
        assert_eq!(paras[1].passage, Some(8));
        assert_eq!(paras[2].section.as_deref(), Some("2"));
    }

    #[test]
    fn overlaps_keep_the_first_and_line_ends_cut() {
        let text = "收入增长8%\n以上\n";
        let places = [
            Place {
                chars: Some((0, 6)),
                evidence: "",
            },
            Place {
                chars: Some((2, 6)),
                evidence: "",
            },
            // Crosses the line end: cut at it, the rest of it unmarked.
            Place {
                chars: Some((4, 9)),
                evidence: "",
            },
        ];
        let paras = paragraphs(text, &[], &places);
        assert_eq!(shown(text, &paras), ["[收入增长8%:0]", "以上"]);
        assert_eq!(paras[0].passage, None);
    }

    #[test]
    fn spans_out_of_range_or_unfound_mark_nothing() {
        let text = "增长5%。";
        let places = [
            Place {
                chars: Some((3, 99)),
                evidence: "",
            },
            Place {
                chars: None,
                evidence: "不在文中",
            },
        ];
        assert_eq!(shown(text, &paragraphs(text, &[], &places)), ["增长5%。"]);
    }
}
