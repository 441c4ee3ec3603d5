//! Property tests of row accounting (issue 16): for random police.uk files mixing good rows,
//! rows without a location, bad coordinates and months, short rows, stray quotes, invalid
//! UTF-8, blank lines and mixed line endings, every non-blank physical line after the header
//! ends as exactly one event or one reject at that line, and read = events + rejects. The
//! file declares no encoding, so its first line that is not plain ASCII decides it (UTF-8 if
//! that line holds a valid multi-byte character, else cp1252), and invalid UTF-8 costs a row
//! only in a file read as UTF-8.

use proptest::prelude::*;
use safemap_ingest::{read_police_uk, CategoryMapping, InputLimits};
use std::collections::BTreeSet;

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

/// What a generated line should become.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Located,
    /// Invalid UTF-8 in the crime type: rejected in a file read as UTF-8, located in one
    /// read as cp1252 (where every byte is a character).
    LocatedIfCp1252,
    NoLocation,
    Rejected,
    Blank,
}

/// A police.uk row with these fields (the others fixed).
fn row(lon: &str, lat: &str, month: &str) -> Vec<u8> {
    row_with(lon, lat, month, b"Burglary", b"")
}

/// A police.uk row whose crime type and context may be any bytes.
fn row_with(lon: &str, lat: &str, month: &str, crime: &[u8], context: &[u8]) -> Vec<u8> {
    let mut row = format!("id,{month},Force,Force,{lon},{lat},On or near X,E01000001,Name 001A,")
        .into_bytes();
    row.extend_from_slice(crime);
    row.extend_from_slice(b",,");
    row.extend_from_slice(context);
    row
}

fn line() -> impl Strategy<Value = (Vec<u8>, Fate)> {
    let lon = -6.0..2.0f64;
    let lat = 50.0..55.0f64;
    let good = |crime: &[u8], context: &[u8]| row_with("-1.5", "51.5", "2019-01", crime, context);
    prop_oneof![
        4 => (lon, lat).prop_map(|(x, y)| (row(&x.to_string(), &y.to_string(), "2019-01"), Fate::Located)),
        1 => Just((row("", "", "2019-01"), Fate::NoLocation)),
        1 => Just((row("abc", "51.5", "2019-01"), Fate::Rejected)),
        1 => Just((row("-1.5", "95.0", "2019-01"), Fate::Rejected)),
        1 => Just((row("-1.5", "51.5", "2019-13"), Fate::Rejected)),
        1 => Just((row("-1.5", "", "2019-01"), Fate::Rejected)),
        1 => Just(([b"\"".as_slice(), &row("-1.5", "51.5", "2019-01")].concat(), Fate::Rejected)),
        1 => Just((b"id,2019-01,Force\"x\",Force,-1.5".to_vec(), Fate::Rejected)),
        1 => Just((b"a,b,c".to_vec(), Fate::Rejected)),
        // Invalid UTF-8 in a column the source does not use is no reason to lose the row;
        // in the crime type it is.
        1 => Just((good(b"Burglary", b"\xff\xfe"), Fate::Located)),
        1 => Just((good("Burg\u{fffd}".as_bytes(), b""), Fate::Located)),
        1 => Just((good(b"Burg\xff", b""), Fate::LocatedIfCp1252)),
        1 => Just((Vec::new(), Fate::Blank)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_police_uk_line_is_one_event_or_one_reject(
        lines in proptest::collection::vec((line(), prop_oneof![Just("\n"), Just("\r\n")]), 0..120),
        final_newline in any::<bool>(),
    ) {
        let mut bytes = HEADER.as_bytes().to_vec();
        for ((text, _), ending) in &lines {
            bytes.extend_from_slice(ending.as_bytes());
            bytes.extend_from_slice(text);
        }
        if final_newline {
            bytes.push(b'\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2019-01-force-street.csv");
        std::fs::write(&path, &bytes).unwrap();

        let got = read_police_uk(&[path], &CategoryMapping::default(), InputLimits::default())
            .expect("a file with a good header reads");
        prop_assert_eq!(got.read, (got.events.len() + got.rejects.len()) as u64);

        // The encoding: settled by the first line that is not plain ASCII (the generated
        // lines with invalid UTF-8 hold no valid multi-byte character).
        let cp1252 = lines
            .iter()
            .find(|((text, _), _)| !text.is_ascii())
            .is_some_and(|((text, _), _)| std::str::from_utf8(text).is_err());
        let settle = |fate: Fate| match fate {
            Fate::LocatedIfCp1252 if cp1252 => Fate::Located,
            Fate::LocatedIfCp1252 => Fate::Rejected,
            f => f,
        };
        // Line 1 is the header; generated line k is physical line k + 2.
        let expect = |fate: Fate| -> BTreeSet<u64> {
            (lines.iter().enumerate())
                .filter(|(_, ((_, f), _))| settle(*f) == fate)
                .map(|(k, _)| k as u64 + 2)
                .collect()
        };
        let located: BTreeSet<u64> =
            got.events.iter().filter(|e| e.point.is_some()).map(|e| e.origin.line).collect();
        let unlocated: BTreeSet<u64> =
            got.events.iter().filter(|e| e.point.is_none()).map(|e| e.origin.line).collect();
        let rejected: BTreeSet<u64> = got.rejects.iter().map(|r| r.line).collect();
        prop_assert_eq!(rejected.len(), got.rejects.len(), "one reject per line");
        prop_assert_eq!(located.len() + unlocated.len(), got.events.len(), "one event per line");
        prop_assert_eq!(located, expect(Fate::Located));
        prop_assert_eq!(unlocated, expect(Fate::NoLocation));
        prop_assert_eq!(rejected, expect(Fate::Rejected));
        let non_blank = lines.iter().filter(|((_, f), _)| *f != Fate::Blank).count() as u64;
        prop_assert_eq!(got.read, non_blank);
    }
}
