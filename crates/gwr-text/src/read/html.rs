//! HTML pages: the page's text without scripts, styles, navigation, headers
//! and footers; block elements end lines; entities are decoded. The map
//! points into the decoded page text.

use crate::{MapBuilder, OffsetMap};

/// Elements whose content is never report text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select", "iframe",
    "template", "svg", "title", "button", "textarea", "object", "canvas", "video", "audio", "map",
];
/// Class or id words marking page furniture.
const FURNITURE_MARKS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "breadcrumb",
    "sidebar",
    "share",
    "copyright",
    "toolbar",
    "login",
    "search",
];
/// Elements that end a line.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "hr",
    "center",
    "body",
    "html",
];

/// Does the decoded text look like an HTML page?
pub(crate) fn looks_like_html(text: &str) -> bool {
    let text = text.trim_start_matches(['\u{FEFF}', ' ', '\n', '\r', '\t']);
    // The first 2,048 characters.
    let end = text.char_indices().nth(2048).map_or(text.len(), |(i, _)| i);
    let head = text[..end].to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || ["<body", "<p>", "<p ", "<div", "<br", "<table"]
            .iter()
            .filter(|t| head.contains(*t))
            .count()
            >= 2
}

/// The charset an HTML page declares in its first bytes, if any.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = memchr::memmem::find(&lower, b"charset=")?;
    let rest = &head[at + 8..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    encoding_rs::Encoding::for_label(&rest[..end])
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(v).filter(|c| *c != '\0');
    }
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "permil" => '‰',
        "yen" => '¥',
        "copy" => '©',
        "reg" => '®',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        _ => return None,
    })
}

struct Out {
    text: String,
    map: MapBuilder,
}

impl Out {
    fn newline(&mut self, at: usize) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
            self.map.replace(at..at, 1);
        }
    }

    /// Append a raw text node found at byte `base` of the page.
    fn raw(&mut self, s: &str, base: usize) {
        let mut i = 0;
        while i < s.len() {
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            if c == '&'
                && let Some(semi) = s[i + 1..]
                    .char_indices()
                    .take(12)
                    .find(|(_, ch)| *ch == ';')
                    .map(|(k, _)| k)
                && let Some(d) = entity(&s[i + 1..i + 1 + semi])
            {
                let len = semi + 2;
                self.text.push(d);
                self.map.replace(base + i..base + i + len, d.len_utf8());
                i += len;
                continue;
            }
            if matches!(c, '\n' | '\r' | '\t' | '\u{a0}') {
                self.text.push(' ');
                self.map.replace(base + i..base + i + c.len_utf8(), 1);
            } else {
                self.text.push(c);
                self.map.copy(base + i, c.len_utf8());
            }
            i += c.len_utf8();
        }
    }
}

fn is_furniture_tag(tag: &tl::HTMLTag<'_>) -> bool {
    let attrs = tag.attributes();
    [attrs.id(), attrs.class()].into_iter().flatten().any(|v| {
        let v = v.as_utf8_str().to_ascii_lowercase();
        v.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            FURNITURE_MARKS
                .iter()
                .any(|m| w == *m || w.starts_with(m) && w.len() <= m.len() + 3)
        })
    })
}

/// A copy of `page` with comments and the contents of raw-text elements
/// (script, style, textarea) blanked out byte for byte, so that markup-like
/// strings inside them cannot confuse the parser and offsets stay the same.
fn blank_raw_text(page: &str) -> String {
    let mut bytes = page.as_bytes().to_vec();
    let lower = page.to_ascii_lowercase();
    let l = lower.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &l[i..]) {
        let at = i + k;
        let rest = &l[at..];
        let (body_start, close): (usize, &[u8]) = if rest.starts_with(b"<!--") {
            (at, b"-->")
        } else if let Some(name) = [&b"script"[..], b"style", b"textarea"]
            .into_iter()
            .find(|n| {
                rest[1..].starts_with(n)
                    && rest
                        .get(1 + n.len())
                        .is_some_and(|c| !c.is_ascii_alphanumeric())
            })
        {
            let Some(gt) = memchr::memchr(b'>', rest) else {
                break;
            };
            let close: &[u8] = match name {
                b"script" => b"</script",
                b"style" => b"</style",
                _ => b"</textarea",
            };
            (at + gt + 1, close)
        } else {
            i = at + 1;
            continue;
        };
        let end = memchr::memmem::find(&l[body_start..], close).map_or(l.len(), |e| body_start + e);
        let stop = if close == b"-->" {
            (end + 3).min(l.len())
        } else {
            end
        };
        for b in &mut bytes[body_start..stop] {
            *b = b' ';
        }
        i = stop.max(at + 1);
    }
    // Whole characters were replaced by spaces, so this cannot fail.
    String::from_utf8(bytes).unwrap_or_else(|_| page.to_string())
}

/// Extract the text of an HTML page.
pub(crate) fn extract(page: &str) -> (String, OffsetMap) {
    let blanked = blank_raw_text(page);
    let page = blanked.as_str();
    let mut out = Out {
        text: String::with_capacity(page.len() / 2),
        map: MapBuilder::new(),
    };
    let base_ptr = page.as_ptr() as usize;
    let offset_of = |b: &tl::Bytes<'_>| -> Option<usize> {
        let p = b.as_ptr() as usize;
        (p >= base_ptr && p + b.as_bytes().len() <= base_ptr + page.len()).then(|| p - base_ptr)
    };
    let Ok(dom) = tl::parse(page, tl::ParserOptions::default()) else {
        return (String::new(), out.map.finish(page.len()));
    };
    let parser = dom.parser();
    // Depth-first walk with an explicit stack: (node, leaving?).
    let mut stack: Vec<(tl::NodeHandle, bool)> =
        dom.children().iter().rev().map(|h| (*h, false)).collect();
    let mut guard = 0usize;
    while let Some((h, leaving)) = stack.pop() {
        guard += 1;
        if guard > 10_000_000 {
            break;
        }
        let Some(node) = h.get(parser) else { continue };
        match node {
            tl::Node::Raw(b) => {
                if let (Some(at), Some(s)) = (offset_of(b), b.try_as_utf8_str()) {
                    out.raw(s, at);
                }
            }
            tl::Node::Comment(_) => {}
            tl::Node::Tag(tag) => {
                let name = tag.name().as_utf8_str().to_ascii_lowercase();
                let at = offset_of(tag.raw()).unwrap_or(0);
                let block = BLOCK.contains(&name.as_str());
                if leaving {
                    if block {
                        out.newline(at + tag.raw().as_bytes().len());
                    }
                    continue;
                }
                if SKIP.contains(&name.as_str()) || is_furniture_tag(tag) {
                    continue;
                }
                if block {
                    out.newline(at);
                }
                stack.push((h, true));
                let children: Vec<tl::NodeHandle> = tag.children().top().iter().copied().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
        }
    }
    let len = page.len();
    (out.text, out.map.finish(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_text_only() {
        let page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><link rel=x href=y><title>t</title><script>var a='<p>x</div></body>';</script><!-- <p>注释</p> --><style>p{}</style></head>\
<body><nav><a href=/>首页</a></nav><div class=\"menu-top\">菜单</div><article><h1>政府工作报告</h1>\
<p>各位代表&#xFF1A;</p><p>地区生产总值&nbsp;595亿元&amp;增长5%</p></article><footer>版权所有</footer></body></html>";
        let (text, map) = extract(page);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            lines,
            ["政府工作报告", "各位代表：", "地区生产总值 595亿元&增长5%"]
        );
        // Each Han character maps to itself in the page.
        for (i, c) in text
            .char_indices()
            .filter(|(_, c)| ('\u{4e00}'..='\u{9fff}').contains(c))
        {
            let r = map.span_to_source(i..i + c.len_utf8());
            assert_eq!(&page[r], c.to_string());
        }
    }

    #[test]
    fn charset_declarations() {
        assert_eq!(
            declared_charset(b"<meta charset=\"gbk\">").map(|e| e.name()),
            Some("GBK")
        );
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=Content-Type content=\"text/html; charset=gb2312\">"
            )
            .map(|e| e.name()),
            Some("GBK")
        );
        assert_eq!(declared_charset(b"<p>no</p>"), None);
    }
}
