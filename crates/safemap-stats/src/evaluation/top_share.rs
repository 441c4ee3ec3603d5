//! [`TopShare`]: the given share of units with the most train-period events.

use super::EvaluationError;

/// Flags `ceil(share × units with data)` units with the most train-period events; a unit
/// with no events is never flagged, and among units with equal counts the one that comes
/// first is taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopShare(f64);

impl TopShare {
    /// The top `share` of units, `0 < share <= 1`.
    ///
    /// # Errors
    ///
    /// [`EvaluationError::BadShare`] outside (0, 1].
    pub fn new(share: f64) -> Result<Self, EvaluationError> {
        if share > 0.0 && share <= 1.0 {
            Ok(Self(share))
        } else {
            Err(EvaluationError::BadShare(share))
        }
    }

    /// The share.
    pub fn share(&self) -> f64 {
        self.0
    }

    /// One flag per unit of `train` (train-period totals; `None` for a unit without data,
    /// which is never flagged and does not count among the units).
    ///
    /// ```
    /// use safemap_stats::evaluation::TopShare;
    /// // 40% of 5 units: 2 units; unit 4 (9 events), then unit 1 before unit 2 (6 each).
    /// let top = TopShare::new(0.4)?;
    /// let flags = top.select(&[Some(3), Some(6), Some(6), Some(1), Some(9)]);
    /// assert_eq!(flags, [false, true, false, false, true]);
    /// # Ok::<(), safemap_stats::evaluation::EvaluationError>(())
    /// ```
    pub fn select(&self, train: &[Option<u64>]) -> Vec<bool> {
        let with_data = train.iter().flatten().count();
        let k = (self.0 * with_data as f64).ceil() as usize;
        let mut order: Vec<(usize, u64)> = train
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.filter(|c| *c > 0).map(|c| (i, c)))
            .collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut flags = vec![false; train.len()];
        for (i, _) in order.into_iter().take(k) {
            flags[i] = true;
        }
        flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_units_with_data_and_never_flags_empty_units() {
        // 3 units with data: ceil(0.5 * 3) = 2, but only one has events.
        let top = TopShare::new(0.5).unwrap();
        assert_eq!(
            top.select(&[Some(0), None, Some(4), Some(0)]),
            [false, false, true, false]
        );
        // 0.25 of 4 units with data: exactly 1.
        let quarter = TopShare::new(0.25).unwrap();
        assert_eq!(
            quarter.select(&[Some(1), Some(2), Some(2), Some(1), None]),
            [false, true, false, false, false]
        );
        assert_eq!(
            TopShare::new(1.0).unwrap().select(&[Some(1), Some(2)]),
            [true, true]
        );
    }

    #[test]
    fn share_outside_zero_to_one_is_refused() {
        for bad in [0.0, -0.1, 1.5, f64::NAN] {
            assert!(
                matches!(TopShare::new(bad), Err(EvaluationError::BadShare(_))),
                "{bad}"
            );
        }
    }
}
