//! Terminal columns: Chinese characters take two, so tables are aligned by
//! display width (`unicode-width`), never by character count.

use std::io::{self, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `w` columns (a cut is marked …) and padded to `w`.
pub fn fit(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    if width(s) > w {
        for c in s.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw + 1 > w {
                break;
            }
            out.push(c);
            used += cw;
        }
        out.push('…');
        used += 1;
    } else {
        out.push_str(s);
        used = width(s);
    }
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// Rows under a header row, every column but the last padded to its widest
/// cell (at most `max` columns); the last column is free text.
pub fn aligned(
    out: &mut impl Write,
    header: &[&str],
    rows: &[Vec<String>],
    max: usize,
) -> io::Result<()> {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n.saturating_sub(1)) {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(c)).min(max);
            }
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut parts: Vec<String> = Vec::with_capacity(n);
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == n {
                parts.push(c.to_string());
            } else {
                parts.push(fit(c, widths[i]));
            }
        }
        parts.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for r in rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width("地区生产总值"), 12);
        assert_eq!(width("gdp"), 3);
        assert_eq!(width(&fit("地区生产总值", 8)), 8);
        assert_eq!(fit("gdp", 6), "gdp   ");
        assert_eq!(fit("地区生产总值", 8), "地区生… ");
    }

    #[test]
    fn columns_line_up_by_display_width() {
        let mut out = Vec::new();
        let rows = vec![
            vec!["江干区".to_string(), "gdp".to_string(), "x".to_string()],
            vec![
                "义乌市人民政府".to_string(),
                "城镇新增就业".to_string(),
                "y".to_string(),
            ],
        ];
        aligned(&mut out, &["region", "metric", "evidence"], &rows, 40).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        // Where the last column starts, in display columns.
        let cols: Vec<usize> = text
            .lines()
            .map(|l| width(&l[..l.rfind("  ").map_or(0, |k| k + 2)]))
            .collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{text}");
    }
}
