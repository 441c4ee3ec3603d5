//! The server's query strings: the API filter (`FilterParams::from_query`, then its months,
//! days and hours as `resolve` parses them), and the other text the routes parse: a tile's
//! `z/x/y`, a period (`2024-Q3`, `2023/24`, `2023-11..2024-02`) and a financial year.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_server::filter::FilterParams;
use safemap_tiles::TileId;
use safemap_types::time::{FinancialYear, HourMask, Month, MonthRange};

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(params) = FilterParams::from_query(Some(q)) {
        let month = |v: Option<&String>| v.map(|v| Month::parse(v));
        let (from, to) = (month(params.from.as_ref()), month(params.to.as_ref()));
        for m in [&from, &to].into_iter().flatten().flatten() {
            assert_eq!(
                Month::parse(&m.to_string()).as_ref(),
                Ok(m),
                "month round trip"
            );
        }
        if let (Some(Ok(a)), Some(Ok(b))) = (from, to) {
            assert_eq!(MonthRange::new(a, b).is_ok(), a <= b);
        }
        if let Ok(mask) = HourMask::parse(params.days.as_deref(), params.hours.as_deref()) {
            assert!(
                (0..168).any(|h| mask.contains(h)),
                "a parsed window keeps some hour"
            );
            assert!(HourMask::ALL.includes(mask));
            assert!(!mask.contains(168));
        }
    }
    // A tile path `z/x/y`, its numbers parsed as the tile route does.
    let mut parts = q.splitn(3, '/');
    if let (Some(z), Some(x), Some(y)) = (parts.next(), parts.next(), parts.next()) {
        if let (Ok(z), Ok(x), Ok(y)) = (z.parse::<u8>(), x.parse::<u32>(), y.parse::<u32>()) {
            if let Ok(t) = TileId::new(z, x, y) {
                assert!(u64::from(t.x) < 1u64 << t.z && u64::from(t.y) < 1u64 << t.z);
            }
        }
    }
    if let Ok(range) = MonthRange::parse_period(q) {
        assert!(range.from() <= range.to());
    }
    if let Ok(fy) = FinancialYear::parse(q) {
        let _ = fy.months();
    }
});
