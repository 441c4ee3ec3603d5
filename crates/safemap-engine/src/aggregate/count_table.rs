//! A sorted table of non-zero counts: the compact, cache-friendly form of the area × measure
//! × month (× hour) cube. [`super::count`] builds it by sorting the keys of every counted
//! event at once (in parallel) and collapsing runs: at national scale (ten million events,
//! a cell for most of them) that is many times faster and smaller than inserting into a
//! `BTreeMap`, and the linear scans that read it run at memory speed.

/// Non-zero counts by key, in ascending key order; each key once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable<K> {
    entries: Vec<(K, u64)>,
}

impl<K> Default for CountTable<K> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord + Copy + Send> CountTable<K> {
    /// The table of `(key, count)` pairs given in ascending key order, equal keys adjacent
    /// (their counts are added); zero counts are dropped.
    pub fn from_sorted(pairs: impl IntoIterator<Item = (K, u64)>) -> Self {
        let mut entries: Vec<(K, u64)> = Vec::new();
        for (k, n) in pairs {
            match entries.last_mut() {
                Some((last, total)) if *last == k => *total += n,
                _ => entries.push((k, n)),
            }
        }
        entries.retain(|e| e.1 > 0);
        entries.shrink_to_fit();
        Self { entries }
    }

    /// The count of `key`, if non-zero.
    pub fn get(&self, key: &K) -> Option<&u64> {
        let at = self.entries.binary_search_by(|e| e.0.cmp(key)).ok()?;
        Some(&self.entries[at].1)
    }

    /// The cells, in ascending key order.
    pub fn cells(&self) -> &[(K, u64)] {
        &self.entries
    }

    /// The cells in key order.
    pub fn iter(&self) -> <&Self as IntoIterator>::IntoIter {
        self.into_iter()
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &K> + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The counts in key order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &u64> + '_ {
        self.entries.iter().map(|(_, n)| n)
    }

    /// The number of non-zero cells.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when every count is zero.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A cell as a pair of references, as a map's iterator gives it.
fn cell<K>(e: &(K, u64)) -> (&K, &u64) {
    (&e.0, &e.1)
}

impl<'a, K> IntoIterator for &'a CountTable<K> {
    type Item = (&'a K, &'a u64);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (K, u64)>, fn(&'a (K, u64)) -> (&'a K, &'a u64)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries
            .iter()
            .map(cell as fn(&'a (K, u64)) -> (&'a K, &'a u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_added_zeros_dropped_and_cells_found() {
        let t = CountTable::from_sorted([(1, 1), (1, 2), (2, 0), (3, 1), (3, 0), (5, 4)]);
        assert_eq!(t.cells(), [(1, 3), (3, 1), (5, 4)]);
        assert_eq!(
            (t.get(&1), t.get(&2), t.get(&5)),
            (Some(&3), None, Some(&4))
        );
        assert_eq!(t.keys().copied().collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(t.values().sum::<u64>(), 8);
        assert_eq!(t.iter().len(), 3);
        assert!(CountTable::<u8>::from_sorted([(0, 0)]).is_empty());
    }
}
