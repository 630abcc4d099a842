//! What one file may cost: the size of its extracted text and the time it
//! may take. Every stage of the engine checks the same budget, so a hostile
//! file ends in a clear error instead of holding up a batch.

use crate::ReadError;
use std::time::{Duration, Instant};

/// The most text one file may give after decoding or extraction (DOCX, PDF,
/// HTML), in bytes. A report is a few hundred KB; this leaves room for a
/// year's gazette while keeping a decompression bomb out.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// A file's budget: a cap on its text and an optional deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub max_text_bytes: usize,
    /// When the work on the file must stop, and the time that was allowed.
    pub deadline: Option<(Instant, Duration)>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_text_bytes: MAX_TEXT_BYTES,
            deadline: None,
        }
    }
}

impl Budget {
    /// The default text cap and `limit` of time from now.
    pub fn timed(limit: Duration) -> Budget {
        Budget {
            deadline: Instant::now().checked_add(limit).map(|at| (at, limit)),
            ..Budget::default()
        }
    }

    /// The default time for a file of `bytes` bytes: `base` plus `per_mb`
    /// for each started megabyte (linear, like the work itself).
    pub fn default_timeout(bytes: usize, base: Duration, per_mb: Duration) -> Duration {
        let mb = u32::try_from(bytes.div_ceil(1024 * 1024)).unwrap_or(u32::MAX);
        base.saturating_add(per_mb.saturating_mul(mb))
    }

    /// Has the deadline passed?
    pub fn expired(&self) -> bool {
        self.deadline.is_some_and(|(at, _)| Instant::now() >= at)
    }

    /// `Err(TimedOut)` once the deadline has passed.
    pub fn check(&self) -> Result<(), ReadError> {
        match self.deadline {
            Some((at, limit)) if Instant::now() >= at => {
                Err(ReadError::TimedOut(limit.as_secs_f64()))
            }
            _ => Ok(()),
        }
    }

    /// `Err(TextTooLarge)` when `len` bytes of text exceed the cap.
    pub fn check_text(&self, len: usize) -> Result<(), ReadError> {
        if len > self.max_text_bytes {
            Err(ReadError::TextTooLarge(self.max_text_bytes))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_and_caps() {
        let b = Budget::default();
        assert!(!b.expired());
        assert!(b.check().is_ok());
        assert!(b.check_text(MAX_TEXT_BYTES).is_ok());
        assert_eq!(
            b.check_text(MAX_TEXT_BYTES + 1),
            Err(ReadError::TextTooLarge(MAX_TEXT_BYTES))
        );
        let gone = Budget::timed(Duration::ZERO);
        assert!(gone.expired());
        assert_eq!(gone.check(), Err(ReadError::TimedOut(0.0)));
        assert!(!Budget::timed(Duration::from_secs(3600)).expired());
    }

    #[test]
    fn default_time_grows_with_size() {
        let t = |n| Budget::default_timeout(n, Duration::from_secs(10), Duration::from_secs(5));
        assert_eq!(t(0), Duration::from_secs(10));
        assert_eq!(t(1), Duration::from_secs(15));
        assert_eq!(t(3 * 1024 * 1024), Duration::from_secs(25));
    }
}
