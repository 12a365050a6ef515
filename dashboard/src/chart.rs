//! Chart geometry, pure: where the bars, lines and ticks of the SVG charts go. The components
//! only turn these numbers into `<rect>`, `<path>` and `<text>` elements.

use domain::wire::{DailyPoint, Summary};

/// A rectangle of the drawing, in SVG user units (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Area {
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// One bar of a bar chart.
pub type Bar = Area;

/// Share of each slot left empty between bars.
const GAP: f64 = 0.2;

/// The top of a count axis: the first of 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, … at or above `max`
/// (a round number, and the tallest bar fills most of the height).
pub fn nice_max(max: u64) -> u64 {
    let mut step: u64 = 1;
    loop {
        for m in [1, 2, 3, 4, 5, 6, 8] {
            match step.checked_mul(m) {
                Some(c) if c >= max => return c,
                Some(_) => {}
                None => return max,
            }
        }
        match step.checked_mul(10) {
            Some(s) => step = s,
            None => return max,
        }
    }
}

/// Tick values of a count axis from 0 to `top` (the middle one only when it is whole).
pub fn count_ticks(top: u64) -> Vec<u64> {
    if top >= 2 && top.is_multiple_of(2) {
        vec![0, top / 2, top]
    } else {
        vec![0, top]
    }
}

/// Where the value `v` of an axis from `lo` (bottom) to `hi` (top) lies, clamped to the area.
pub fn y_of(v: f64, lo: f64, hi: f64, area: Area) -> f64 {
    let share = if hi > lo {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    area.bottom() - share * area.height
}

/// The horizontal centre of slot `i` of `count` equal slots.
pub fn slot_centre(i: usize, count: usize, area: Area) -> f64 {
    let slot = area.width / count.max(1) as f64;
    area.x + slot * (i as f64 + 0.5)
}

/// One bar per value, side by side, scaled so that `top` fills the height. A value above zero
/// is at least one unit tall, so that it never looks like nothing.
pub fn bars(values: &[u64], top: u64, area: Area) -> Vec<Bar> {
    let slot = area.width / values.len().max(1) as f64;
    let gap = slot * GAP;
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let y = y_of(v as f64, 0.0, top.max(1) as f64, area);
            let height = if v > 0 {
                (area.bottom() - y).max(1.0)
            } else {
                0.0
            };
            Bar {
                x: area.x + slot * i as f64 + gap / 2.0,
                y: area.bottom() - height,
                width: slot - gap,
                height,
            }
        })
        .collect()
}

/// The points of a line over equal slots, split where a value is missing (no answers that day).
pub fn line(values: &[Option<f64>], lo: f64, hi: f64, area: Area) -> Vec<Vec<(f64, f64)>> {
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((slot_centre(i, values.len(), area), y_of(*v, lo, hi, area))),
            None if !current.is_empty() => segments.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// An SVG path through `points` (`M x y L x y …`, one decimal).
pub fn path(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" }))
        .collect()
}

/// The metric drawn as a line over the daily bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineMetric {
    Csat,
    Nps,
}

impl LineMetric {
    /// CSAT when there are CSAT answers, else NPS when there are NPS answers.
    pub fn pick(s: &Summary) -> Option<LineMetric> {
        if s.csat.n > 0 {
            Some(LineMetric::Csat)
        } else if s.nps.n > 0 {
            Some(LineMetric::Nps)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LineMetric::Csat => "CSAT %",
            LineMetric::Nps => "NPS",
        }
    }

    /// The axis: bottom, top, and the ticks to label.
    pub fn axis(self) -> (f64, f64, &'static [f64]) {
        match self {
            LineMetric::Csat => (0.0, 100.0, &[0.0, 50.0, 100.0]),
            LineMetric::Nps => (-100.0, 100.0, &[-100.0, 0.0, 100.0]),
        }
    }

    pub fn value(self, d: &DailyPoint) -> Option<f64> {
        match self {
            LineMetric::Csat => d.csat,
            LineMetric::Nps => d.nps,
        }
    }

    fn weight(self, d: &DailyPoint) -> u64 {
        match self {
            LineMetric::Csat => d.csat_n,
            LineMetric::Nps => d.nps_n,
        }
    }

    /// The metric over the `window` days ending at each day, each day weighted by its answers
    /// (a day with two answers would otherwise swing the line from 0 to 100); `None` where the
    /// window has no answers.
    pub fn rolling(self, days: &[DailyPoint], window: usize) -> Vec<Option<f64>> {
        (0..days.len())
            .map(|i| {
                let span = &days[(i + 1).saturating_sub(window.max(1))..=i];
                let (sum, n) = span
                    .iter()
                    .fold((0.0, 0u64), |(sum, n), d| match self.value(d) {
                        Some(v) => (sum + v * self.weight(d) as f64, n + self.weight(d)),
                        None => (sum, n),
                    });
                (n > 0).then(|| sum / n as f64)
            })
            .collect()
    }
}

/// Days in the trend line's rolling window.
pub const ROLLING_DAYS: usize = 7;

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const AREA: Area = Area {
        x: 10.0,
        y: 20.0,
        width: 100.0,
        height: 50.0,
    };

    #[wasm_bindgen_test(unsupported = test)]
    fn nice_axis_tops_and_ticks() {
        let check = |max, top| assert_eq!(nice_max(max), top, "{max}");
        check(0, 1);
        check(1, 1);
        check(2, 2);
        check(7, 8);
        check(9, 10);
        check(11, 20);
        check(38, 40);
        check(232, 300);
        check(610, 800);
        check(999, 1000);
        check(u64::MAX, u64::MAX);
        assert_eq!(count_ticks(1), vec![0, 1]);
        assert_eq!(count_ticks(5), vec![0, 5]);
        assert_eq!(count_ticks(20), vec![0, 10, 20]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn bars_fill_their_slots_from_the_baseline() {
        let b = bars(&[0, 5, 10, 1], 10, AREA);
        assert_eq!(b.len(), 4);
        // Slots of 25 with a gap of 5: bars 20 wide, starting 2.5 into their slot.
        assert_eq!((b[0].x, b[0].width), (12.5, 20.0));
        assert_eq!(b[3].x, 10.0 + 75.0 + 2.5);
        assert_eq!(b[0].height, 0.0);
        assert_eq!((b[1].y, b[1].height), (45.0, 25.0));
        assert_eq!((b[2].y, b[2].height), (20.0, 50.0));
        // A small but non-zero count stays visible.
        let tiny = bars(&[1, 1000], 1000, AREA);
        assert_eq!(tiny[0].height, 1.0);
        for bar in b.iter().chain(&tiny) {
            assert_eq!(bar.y + bar.height, AREA.bottom());
        }
        assert!(bars(&[], 1, AREA).is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_line_is_a_weighted_rolling_average() {
        let day = |csat: Option<f64>, csat_n: u64| DailyPoint {
            date: String::new(),
            responses: csat_n,
            csat,
            nps: None,
            ces_mean: None,
            negative: 0,
            csat_n,
            nps_n: 0,
            shown: 0,
            dismissed: 0,
            answered: 0,
        };
        let days = [
            day(Some(100.0), 1),
            day(None, 0),
            day(Some(0.0), 3),
            day(Some(50.0), 4),
        ];
        let r = LineMetric::Csat.rolling(&days, 3);
        // day 3 covers days 1..=3: (0·3 + 50·4) / 7
        assert_eq!(
            r,
            vec![Some(100.0), Some(100.0), Some(25.0), Some(200.0 / 7.0)]
        );
        assert_eq!(
            LineMetric::Csat.rolling(&days, 1),
            vec![Some(100.0), None, Some(0.0), Some(50.0)]
        );
        assert_eq!(LineMetric::Nps.rolling(&days, 7), vec![None; 4]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn lines_break_where_a_day_has_no_answers() {
        let seg = line(
            &[Some(0.0), Some(100.0), None, Some(50.0), None],
            0.0,
            100.0,
            AREA,
        );
        assert_eq!(
            seg,
            vec![vec![(20.0, 70.0), (40.0, 20.0)], vec![(80.0, 45.0)]]
        );
        assert_eq!(path(&seg[0]), "M20.0 70.0 L40.0 20.0");
        // NPS runs from -100 to 100: 0 is the middle; values beyond the axis are clamped.
        let nps = line(&[Some(0.0), Some(-100.0), Some(150.0)], -100.0, 100.0, AREA);
        let ys: Vec<f64> = nps[0].iter().map(|p| p.1).collect();
        assert_eq!(ys, vec![45.0, 70.0, 20.0]);
        assert!(line(&[None, None], 0.0, 1.0, AREA).is_empty());
    }
}
