//! Order statistics of a set of measurements.

/// Measurements, sorted.
#[derive(Debug, Clone, Default)]
pub struct Sample(Vec<f64>);

impl Sample {
    pub fn new(mut values: Vec<f64>) -> Sample {
        values.retain(|v| v.is_finite());
        values.sort_by(f64::total_cmp);
        Sample(values)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The nearest-rank percentile (`p` in 0..=100); NaN when empty.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    /// The middle value (the mean of the two middle ones for an even count).
    pub fn median(&self) -> f64 {
        let n = self.0.len();
        match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => self.0[n / 2],
            _ => (self.0[n / 2 - 1] + self.0[n / 2]) / 2.0,
        }
    }

    pub fn min(&self) -> f64 {
        self.0.first().copied().unwrap_or(f64::NAN)
    }

    pub fn max(&self) -> f64 {
        self.0.last().copied().unwrap_or(f64::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::Sample;

    #[test]
    fn order_statistics() {
        let s = Sample::new(vec![5.0, 1.0, 4.0, 2.0, 3.0]);
        assert_eq!((s.min(), s.median(), s.max()), (1.0, 3.0, 5.0));
        assert_eq!(s.percentile(50.0), 3.0);
        assert_eq!(s.percentile(99.0), 5.0);
        assert_eq!(Sample::new(vec![1.0, 2.0, 3.0, 4.0]).median(), 2.5);
        let hundred = Sample::new((1..=100).map(f64::from).collect());
        assert_eq!(
            (hundred.percentile(50.0), hundred.percentile(99.0)),
            (50.0, 99.0)
        );
        assert!(Sample::new(vec![]).median().is_nan());
    }
}
