//! The per-visitor rate limit: a fixed one-minute window per visitor key.
//!
//! The edge keeps one [`Window`] per visitor in a Durable Object's memory (never stored) and
//! passes the time in; the rule itself lives here.

/// Length of one counting window, in milliseconds.
pub const WINDOW_MS: i64 = 60_000;

/// One visitor's current window: when it started and how many requests it has counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start_ms: i64,
    pub count: u32,
}

impl Window {
    pub fn new(now_ms: i64) -> Self {
        Window {
            start_ms: now_ms,
            count: 0,
        }
    }

    /// Counts one request at `now_ms` under `limit` per minute: `None` when it is let through,
    /// `Some(seconds)` to wait (for `Retry-After`, at least 1) when it is over the limit.
    pub fn hit(&mut self, now_ms: i64, limit: u32) -> Option<i64> {
        if self.expired(now_ms) {
            *self = Window::new(now_ms);
        }
        if self.count >= limit {
            return Some(((self.start_ms + WINDOW_MS - now_ms + 999) / 1000).max(1));
        }
        self.count += 1;
        None
    }

    /// Whether the window has ended by `now_ms` (its entry can be forgotten).
    pub fn expired(&self, now_ms: i64) -> bool {
        now_ms - self.start_ms >= WINDOW_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_per_minute_then_wait_then_a_new_window() {
        let mut w = Window::new(1_000);
        for i in 0..3 {
            assert_eq!(w.hit(1_000 + i, 3), None, "request {i}");
        }
        assert_eq!(w.hit(1_500, 3), Some(60), "59.5 s left rounds up");
        assert_eq!(w.hit(60_500, 3), Some(1), "never 0");
        assert_eq!(w.hit(61_000, 3), None, "the next minute starts afresh");
        assert_eq!(
            w,
            Window {
                start_ms: 61_000,
                count: 1
            }
        );
    }

    #[test]
    fn a_zero_limit_refuses_everything() {
        assert_eq!(Window::new(0).hit(0, 0), Some(60));
    }

    #[test]
    fn expiry_is_the_window_length() {
        let w = Window::new(0);
        assert!(!w.expired(WINDOW_MS - 1));
        assert!(w.expired(WINDOW_MS));
    }
}
