//! GAL and GWT weights files. The first input byte: bit 0 GWT (else GAL); bit 1 read with an
//! id list `1..=k` where k is the byte's upper six bits (else without); the rest is the text.
//! Whatever parses must write back (GAL when binary) and parse to the same weights.
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_ingest::weights_file::{format_gal, format_gwt, parse_gal, parse_gwt};
use safemap_types::Transform;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let gwt = flags & 1 == 1;
    let given: Option<Vec<String>> = (flags & 2 == 2).then(|| {
        (1..=usize::from(flags >> 2))
            .map(|i| i.to_string())
            .collect()
    });
    // Without an id list a GWT file's header alone sets the number of areas (islands need
    // no line), and the weights take memory in proportion: keep it to what a test can hold.
    if gwt && given.is_none() && declared_n(text).is_some_and(|n| n > 1 << 16) {
        return;
    }
    let parsed = if gwt {
        parse_gwt(text, given.as_deref())
    } else {
        parse_gal(text, given.as_deref())
    };
    let Ok(w) = parsed else {
        return;
    };
    if let Some(ids) = &given {
        assert_eq!(w.n(), ids.len());
    }
    for i in 0..w.n() {
        let row = w.neighbours(i);
        assert_eq!(row.len(), w.values(i).len());
        assert!(row.iter().all(|&j| (j as usize) < w.n() && j as usize != i));
        assert!(
            row.windows(2).all(|p| p[0] < p[1]),
            "row {i} not sorted/unique"
        );
        assert!(w.values(i).iter().all(|v| v.is_finite() && *v > 0.0));
    }
    let ids: Vec<String> = given.unwrap_or_else(|| (1..=w.n()).map(|i| format!("a{i}")).collect());
    let gwt_text = format_gwt(&w, &ids).expect("formats as GWT");
    assert_eq!(parse_gwt(&gwt_text, Some(&ids)).expect("reparses GWT"), w);
    if w.transform() == Transform::Binary {
        let gal_text = format_gal(&w, &ids).expect("formats as GAL");
        assert_eq!(parse_gal(&gal_text, Some(&ids)).expect("reparses GAL"), w);
    }
});

/// The header's `n` as the parsers read it (first non-blank line: `n` or `flag n ...`).
fn declared_n(text: &str) -> Option<usize> {
    let header = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let tokens: Vec<&str> = header.split_whitespace().collect();
    let ([n] | [_, n, ..]) = tokens.as_slice() else {
        return None;
    };
    n.parse().ok()
}
