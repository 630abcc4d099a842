//! Offset maps: every byte position of a derived text points back into its source.
//!
//! A map is a list of segments in output order. A *copied* segment maps byte for
//! byte (the output bytes equal the source bytes, or at least have the same
//! length); a *replaced* segment maps its whole output range onto a source range
//! of any length (a full-width digit replaced by an ASCII one, an entity decoded,
//! a GBK pair decoded to three UTF-8 bytes, a dropped page number of length zero
//! in the output). Maps compose, so decoding and normalization each build their
//! own map and the file keeps their composition.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    out: usize,
    src: usize,
    src_len: usize,
    out_len: usize,
    copied: bool,
}

/// Maps byte offsets of an output text to byte offsets of its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segs: Vec<Seg>,
    out_len: usize,
    src_len: usize,
}

impl OffsetMap {
    /// The map of a text onto itself.
    pub fn identity(len: usize) -> Self {
        let mut b = MapBuilder::new();
        b.copy(0, len);
        b.finish(len)
    }

    /// Does every position map to itself (one copied segment, or nothing)?
    fn is_identity(&self) -> bool {
        match self.segs.as_slice() {
            [] => self.out_len == 0 && self.src_len == 0,
            [s] => {
                s.copied
                    && s.out == 0
                    && s.src == 0
                    && s.out_len == s.src_len
                    && s.out_len == self.out_len
                    && self.src_len == self.out_len
            }
            _ => false,
        }
    }

    /// Length of the output text this map covers.
    pub fn out_len(&self) -> usize {
        self.out_len
    }

    /// Length of the source this map points into.
    pub fn src_len(&self) -> usize {
        self.src_len
    }

    fn seg_at(&self, pos: usize) -> Option<&Seg> {
        if self.segs.is_empty() {
            return None;
        }
        // Last segment whose start is <= pos.
        let i = self.segs.partition_point(|s| s.out <= pos);
        if i == 0 {
            return self.segs.first();
        }
        self.segs.get(i - 1)
    }

    /// Source offset of the output position `pos` (a start position: inside a
    /// replaced segment it is the segment's source start).
    pub fn to_source(&self, pos: usize) -> usize {
        match self.seg_at(pos) {
            None => pos.min(self.src_len),
            Some(s) => {
                let d = pos.saturating_sub(s.out);
                if s.copied {
                    s.src + d.min(s.src_len)
                } else if d >= s.out_len && s.out_len > 0 {
                    s.src + s.src_len
                } else {
                    s.src
                }
            }
        }
    }

    /// Source offset of an end position: inside a replaced segment it is the
    /// segment's source end, so a span never cuts a replaced unit in half.
    pub fn to_source_end(&self, pos: usize) -> usize {
        if pos == 0 {
            return self.to_source(0);
        }
        match self.seg_at(pos - 1) {
            None => pos.min(self.src_len),
            Some(s) => {
                let d = pos - s.out;
                if s.copied {
                    s.src + d.min(s.src_len)
                } else {
                    s.src + s.src_len
                }
            }
        }
    }

    /// Source range of an output range.
    pub fn span_to_source(&self, r: Range<usize>) -> Range<usize> {
        let a = self.to_source(r.start);
        let b = if r.end <= r.start {
            a
        } else {
            self.to_source_end(r.end)
        };
        a..b.max(a)
    }

    /// `self` maps A→B and `inner` maps B→C; the result maps A→C.
    pub fn compose(&self, inner: &OffsetMap) -> OffsetMap {
        // Onto a text that maps to itself (valid UTF-8 read as it is), the
        // composition is this map: every segment comes out as it went in.
        if inner.is_identity() && self.segs.iter().all(|s| s.src + s.src_len <= inner.out_len) {
            return OffsetMap {
                segs: self.segs.clone(),
                out_len: self.out_len,
                src_len: inner.src_len,
            };
        }
        let mut b = MapBuilder::new();
        for s in &self.segs {
            if s.copied {
                // Walk the inner segments overlapping [s.src, s.src + len).
                let mut pos = s.src;
                let end = s.src + s.out_len;
                while pos < end {
                    let Some(is) = inner.seg_at(pos) else {
                        b.copy(pos, end - pos);
                        break;
                    };
                    let is_end = if is.copied {
                        is.out + is.out_len.min(is.src_len)
                    } else {
                        is.out + is.out_len
                    };
                    let stop = if is_end > pos { is_end.min(end) } else { end };
                    if is.copied && is.out_len == is.src_len {
                        b.copy(is.src + (pos - is.out), stop - pos);
                    } else {
                        let a = inner.to_source(pos);
                        let z = inner.to_source_end(stop);
                        b.replace(a..z.max(a), stop - pos);
                    }
                    pos = stop;
                }
            } else {
                let r = inner.span_to_source(s.src..s.src + s.src_len);
                b.replace(r, s.out_len);
            }
        }
        b.finish(inner.src_len)
    }
}

/// Builds an [`OffsetMap`] while an output text is written in order.
#[derive(Debug, Default)]
pub struct MapBuilder {
    segs: Vec<Seg>,
    out: usize,
}

impl MapBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Output bytes written so far.
    pub fn out_len(&self) -> usize {
        self.out
    }

    /// `len` output bytes copied from `src_start` in the source.
    pub fn copy(&mut self, src_start: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segs.last_mut()
            && last.copied
            && last.out + last.out_len == self.out
            && last.src + last.src_len == src_start
        {
            last.out_len += len;
            last.src_len += len;
            self.out += len;
            return;
        }
        self.segs.push(Seg {
            out: self.out,
            src: src_start,
            src_len: len,
            out_len: len,
            copied: true,
        });
        self.out += len;
    }

    /// `out_len` output bytes standing for the source range `src` (either may be empty).
    pub fn replace(&mut self, src: Range<usize>, out_len: usize) {
        if out_len == 0 && src.is_empty() {
            return;
        }
        if out_len == 0 {
            // A deletion: nothing in the output points into it; it only moves
            // the next segment's source start, which that segment carries.
            return;
        }
        self.segs.push(Seg {
            out: self.out,
            src: src.start,
            src_len: src.end.saturating_sub(src.start),
            out_len,
            copied: false,
        });
        self.out += out_len;
    }

    pub fn finish(self, src_len: usize) -> OffsetMap {
        OffsetMap {
            segs: self.segs,
            out_len: self.out,
            src_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Composing onto an identity map takes the shortcut; it must give
    /// what walking the segments gives.
    #[test]
    fn composing_onto_an_identity_is_the_map_itself() {
        let mut b = MapBuilder::new();
        b.copy(0, 3);
        b.replace(3..4, 3);
        b.replace(4..6, 0);
        b.copy(6, 2);
        b.replace(8..8, 1);
        b.copy(8, 4);
        let outer = b.finish(12);
        let inner = OffsetMap::identity(12);
        let walked = {
            // A map one byte longer is no identity: the segments are walked.
            let mut ib = MapBuilder::new();
            ib.copy(0, 12);
            ib.replace(12..13, 0);
            outer.compose(&ib.finish(13))
        };
        let short = outer.compose(&inner);
        assert!(inner.is_identity());
        assert_eq!(short.segs, walked.segs);
        assert_eq!(short.out_len, walked.out_len);
        assert_eq!(short.src_len, 12);
    }

    #[test]
    fn identity_maps_each_position_to_itself() {
        let m = OffsetMap::identity(10);
        for i in 0..=10 {
            assert_eq!(m.to_source(i), i);
        }
    }

    #[test]
    fn replaced_segment_maps_to_whole_source_unit() {
        // source "ab１c" (１ is 3 bytes), output "ab1c"
        let mut b = MapBuilder::new();
        b.copy(0, 2);
        b.replace(2..5, 1);
        b.copy(5, 1);
        let m = b.finish(6);
        assert_eq!(m.to_source(2), 2);
        assert_eq!(m.to_source(3), 5);
        assert_eq!(m.span_to_source(2..3), 2..5);
        assert_eq!(m.span_to_source(0..4), 0..6);
    }

    #[test]
    fn deletion_skips_source_bytes() {
        // source "a  b" output "ab"
        let mut b = MapBuilder::new();
        b.copy(0, 1);
        b.replace(1..3, 0);
        b.copy(3, 1);
        let m = b.finish(4);
        assert_eq!(m.to_source(1), 3);
        assert_eq!(m.span_to_source(0..2), 0..4);
    }

    #[test]
    fn compose_chains_two_maps() {
        // C = "xx１２yy" ; B = "xx12yy" (decode) ; A = "12" (take middle)
        let mut b1 = MapBuilder::new();
        b1.copy(0, 2);
        b1.replace(2..5, 1);
        b1.replace(5..8, 1);
        b1.copy(8, 2);
        let inner = b1.finish(10);
        let mut b2 = MapBuilder::new();
        b2.copy(2, 2);
        let outer = b2.finish(6);
        let m = outer.compose(&inner);
        assert_eq!(m.span_to_source(0..2), 2..8);
        assert_eq!(m.span_to_source(1..2), 5..8);
    }
}
