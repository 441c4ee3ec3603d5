//! The run summary printed on standard output.

use safemap_engine::assign::Accounting;
use safemap_engine::pipeline::Prepared;
use safemap_engine::{RunReport, Study};

/// `12345` → `12,345`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_accounting(label: &str, a: &Accounting) {
    println!(
        "{label}: read {} = joined {} + outside {} + rejected {}",
        thousands(a.read),
        thousands(a.joined),
        thousands(a.outside),
        thousands(a.rejected)
    );
    if a.outside_period > 0 {
        println!(
            "    outside: {} outside the study areas, {} outside the study period",
            thousands(a.outside_area),
            thousands(a.outside_period)
        );
    }
    for (reason, n) in &a.rejected_by_reason {
        println!("    rejected: {} {reason}", thousands(*n));
    }
    if let Some(c) = &a.code_agreement {
        println!(
            "    spatial area = the source's own area code for {:.2}% of {} joined rows with a code",
            c.share * 100.0,
            thousands(c.compared)
        );
    }
}

fn print_areas(study: &Study, n: usize, without_population: usize, invalid: usize) {
    println!("study: {}", study.study.name);
    println!(
        "areas: {n} ({invalid} invalid polygons kept, {without_population} without population)"
    );
}

/// Prints what `validate` found.
pub fn print_prepared(study: &Study, p: &Prepared) {
    print_areas(
        study,
        p.areas.areas.len(),
        p.areas.without_population().len(),
        p.areas.invalid.len(),
    );
    if let Some(s) = &p.services {
        print_accounting("services", &s.accounting);
    }
    for ((_, assignment), section) in p.sources.iter().zip(&study.sources) {
        print_accounting(&format!("source {}", section.name), &assignment.accounting);
    }
    println!("valid: no analysis run");
}

/// Prints what `run` did.
pub fn print_report(study: &Study, r: &RunReport) {
    let areas = &r.results.areas;
    print_areas(
        study,
        areas.areas.len(),
        areas.without_population().len(),
        areas.invalid.len(),
    );
    if let Some(s) = &r.services {
        print_accounting("services", &s.accounting);
    }
    for s in &r.results.sources {
        print_accounting(&format!("source {}", s.section.name), &s.accounting);
    }
    let total: u128 = r.timings_ms.iter().map(|(_, ms)| ms).sum();
    println!("outputs: {} ({total} ms)", r.out_dir.display());
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(56_626), "56,626");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
