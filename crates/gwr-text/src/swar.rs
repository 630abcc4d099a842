//! Bytes eight at a time in a `u64` (SWAR): which bytes of a word are below
//! a bound or equal to a byte. Each mask is exact for its lowest flagged
//! byte (a borrow only runs upward from a true hit), so the lowest flagged
//! byte of a mask, or of several masks joined with `|`, is the first byte
//! that meets the test; and a mask is zero only when no byte does.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `c` in every byte of a word.
pub fn splat(c: u8) -> u64 {
    ONES * u64::from(c)
}

/// The high bit of the bytes of `w` below `n` (`n` at most 128).
pub fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(splat(n)) & !w & HIGH
}

/// The high bit of the bytes of `w` equal to `c`.
pub fn equal(w: u64, c: u8) -> u64 {
    below(w ^ splat(c), 1)
}

/// Where in `b` the first byte that `hit` accepts is: eight bytes at a time
/// with `mask` (which flags the bytes `hit` accepts), the last few one by
/// one with `hit`.
pub fn first(b: &[u8], mask: impl Fn(u64) -> u64, hit: impl Fn(u8) -> bool) -> Option<usize> {
    let mut at = 0;
    for chunk in b.chunks_exact(8) {
        let Ok(w) = <[u8; 8]>::try_from(chunk).map(u64::from_le_bytes) else {
            break;
        };
        let m = mask(w);
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    b[at..].iter().position(|&c| hit(c)).map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every byte value at every place of a word of other bytes.
    #[test]
    fn masks_flag_each_byte_where_it_stands() {
        for ground in [0u8, b'a', 0x7f, 0x80, 0xbf, 0xe4, 0xff] {
            for at in 0..8 {
                for c in 0..=255u8 {
                    let mut b = [ground; 8];
                    b[at] = c;
                    let w = u64::from_le_bytes(b);
                    for n in [1u8, 10, 0x20, 0x80] {
                        let want = b.iter().position(|&x| x < n);
                        let got = below(w, n);
                        assert_eq!((got != 0).then(|| got.trailing_zeros() as usize / 8), want);
                    }
                    let want = b.iter().position(|&x| x == c);
                    let got = equal(w, c);
                    assert_eq!((got != 0).then(|| got.trailing_zeros() as usize / 8), want);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn first_is_the_first_byte_hit_accepts(b in proptest::collection::vec(any::<u8>(), 0..100)) {
            let hit = |c: u8| c < 0x20 || c == b'"';
            prop_assert_eq!(
                first(&b, |w| below(w, 0x20) | equal(w, b'"'), hit),
                b.iter().position(|&c| hit(c))
            );
        }
    }
}
