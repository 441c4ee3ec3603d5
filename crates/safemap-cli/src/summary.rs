//! The run summary printed on standard output.

use safemap_engine::access::AccessResults;
use safemap_engine::analysis::{correction_name, statistic_name, AnalysisResult, LocalResult};
use safemap_engine::areas::AreaTable;
use safemap_engine::assign::Accounting;
use safemap_engine::config::SourceSection;
use safemap_engine::config::UnitKind;
use safemap_engine::coverage::Coverage;
use safemap_engine::evaluation::EvaluationResult;
use safemap_engine::pipeline::Prepared;
use safemap_engine::services::LocatedServices;
use safemap_engine::{RunReport, Study};
use safemap_stats::evaluation::{Figure, Mean};
use safemap_stats::{ClusterClass, HotspotClass};
use safemap_types::Crs;
use std::collections::BTreeMap;

/// `12345` → `12,345`.
pub fn thousands(n: u64) -> String {
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

/// A cost or distance for people: whole numbers with thousands separators (`3,000`), any
/// fraction kept (`12.5`).
pub fn amount(x: f64) -> String {
    if x >= 0.0 && x.fract() == 0.0 && x < 1e15 {
        thousands(x as u64)
    } else {
        x.to_string()
    }
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
    if a.placed_by_postcode > 0 {
        println!(
            "    placed by postcode: {}",
            thousands(a.placed_by_postcode)
        );
    }
    if a.joined_without_coverage > 0 {
        println!(
            "    joined: {} in an area and month no input file covers (not counted)",
            thousands(a.joined_without_coverage)
        );
    }
    for s in &a.skipped_paths {
        println!("    not read again: {s}");
    }
    if let Some(c) = &a.code_agreement {
        println!(
            "    spatial area = the source's own area code for {:.2}% of {} joined rows with a code",
            c.share * 100.0,
            thousands(c.compared)
        );
    }
}

/// The force-months without a file and the areas left without data, in one or two lines.
fn print_coverage(c: &Coverage) {
    if c.is_complete() {
        return;
    }
    let mut by_force: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in &c.missing {
        by_force
            .entry(&m.force)
            .or_default()
            .push(m.month.to_string());
    }
    if !by_force.is_empty() {
        const SHOWN: usize = 8;
        let mut list: Vec<String> = by_force
            .iter()
            .take(SHOWN)
            .map(|(force, months)| format!("{force} {}", months.join(",")))
            .collect();
        if by_force.len() > SHOWN {
            list.push(format!("and {} more forces", by_force.len() - SHOWN));
        }
        println!(
            "    no file for {} force-months: {}",
            c.missing.len(),
            list.join("; ")
        );
    }
    let by_month: Vec<String> = c
        .uncovered_by_month()
        .into_iter()
        .filter(|u| u.areas > 0)
        .map(|u| format!("{} in {}", thousands(u.areas as u64), u.month))
        .collect();
    let shown = by_month
        .iter()
        .take(6)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if by_month.len() > 6 {
        format!(" and {} more months", by_month.len() - 6)
    } else {
        String::new()
    };
    println!("    no data (areas no input file covers): {shown}{more}");
}

/// Says why a sensitive source is sensitive and what that means for the public.
fn print_sensitivity(section: &SourceSection) {
    if let Some(s) = section.sensitivity() {
        println!(
            "    source {} is sensitive ({}): the public sees its counts only disclosure-controlled, and every layer drawn from its event locations (grid, density) is analyst only",
            section.name,
            s.reason()
        );
    }
}

/// The service register's accounting, and whether it holds confidential services.
fn print_services(s: &LocatedServices) {
    print_accounting("services", &s.accounting);
    if s.services.iter().any(|(s, _)| s.confidential) {
        println!(
            "    services: the register holds confidential services: they reach no output file, and the public learns nothing about them"
        );
    }
}

/// Overlapping areas and gaps between areas, the first few by code; the manifest lists them
/// all.
fn print_tessellation(study: &Study, areas: &AreaTable) {
    let Some(t) = &areas.tessellation else {
        let (vertices, max) = (areas.vertices() as u64, study.limits.max_tiling_vertices);
        if vertices > max {
            println!(
                "    whether the polygons tile was not checked: {} vertices, over [limits] max_tiling_vertices = {max}",
                thousands(vertices)
            );
        }
        return;
    };
    if t.is_clean() {
        return;
    }
    let code = |i: usize| areas.areas[i].code.as_str();
    let unit = if areas.boundary_crs == Crs::Planar {
        "square units"
    } else {
        "m²"
    };
    let area_text = |area: f64| format!("{} {unit}", thousands(area.round() as u64));
    println!(
        "    the polygons do not tile: {} overlapping pairs ({} in all), {} gaps enclosed by the areas but in none of them ({} in all: water clipped out, or damage from simplifying; events in a gap count as outside)",
        t.overlaps.len(),
        area_text(t.overlap_area),
        t.gaps.len(),
        area_text(t.gap_area)
    );
    for o in t.overlaps.iter().take(LISTED) {
        println!(
            "    overlap {} / {}: {}",
            code(o.a),
            code(o.b),
            area_text(o.area)
        );
    }
    for g in t.gaps.iter().take(LISTED) {
        let touching: Vec<&str> = g.touching.iter().map(|&i| code(i)).collect();
        println!(
            "    gap of {} at ({:.0}, {:.0}) between {}",
            area_text(g.area),
            g.point.x,
            g.point.y,
            touching.join(", ")
        );
    }
    let more = t.overlaps.len().saturating_sub(LISTED) + t.gaps.len().saturating_sub(LISTED);
    if more > 0 {
        println!("    ... and {more} more in manifest.json (areas.overlaps, areas.gaps)");
    }
}

/// Invalid and repaired areas the run summary names; the manifest lists them all.
const LISTED: usize = 5;

fn print_areas(study: &Study, areas: &AreaTable) {
    println!("study: {}", study.study.name);
    println!(
        "areas: {} ({} invalid polygons kept, {} repaired, {} without population)",
        areas.areas.len(),
        areas.invalid.len(),
        areas.repaired.len(),
        areas.without_population().len()
    );
    // The first few by code; the manifest lists them all.
    for a in areas.invalid.iter().take(LISTED) {
        println!("    invalid {}: {} (kept as is)", a.code, a.problem);
    }
    for a in areas.repaired.iter().take(LISTED) {
        println!("    repaired {}: {}", a.code, a.repairs.join("; "));
    }
    let more =
        areas.invalid.len().saturating_sub(LISTED) + areas.repaired.len().saturating_sub(LISTED);
    if more > 0 {
        println!("    ... and {more} more in manifest.json (areas.invalid_polygons, areas.repaired_polygons)");
    }
    print_tessellation(study, areas);
    if areas.rewound > 0 {
        println!(
            "    {} areas wound clockwise were re-wound to the right-hand rule (RFC 7946) in the outputs",
            areas.rewound
        );
    }
    for c in &areas.conversions {
        let changes: Vec<String> = c
            .changes
            .iter()
            .map(|(kind, t)| {
                let kind = serde_json::to_value(kind).unwrap_or_default();
                format!(
                    "{} {} -> {}",
                    kind.as_str().unwrap_or_default(),
                    t.from_areas,
                    t.to_areas
                )
            })
            .collect();
        let total = c.total.map_or(String::new(), |[before, after]| {
            format!("; total {} -> {}", amount(before), amount(after))
        });
        println!(
            "    {} converted from {} to {} ({}; weighted by {}{total})",
            c.table,
            c.from,
            c.to,
            changes.join(", "),
            c.weighted_by
        );
    }
}

fn print_analysis(a: &AnalysisResult) {
    let name = &a.section.name;
    if let Some(g) = &a.global_moran {
        let p_sim = g
            .p_sim
            .map_or(String::new(), |p| format!(", pseudo p = {p}"));
        println!(
            "analysis {name}: global Moran's I = {:.4} (z = {:.2} under randomisation{p_sim})",
            g.i, g.randomisation.z
        );
    }
    for local in &a.local {
        let (stat, classes): (&str, Vec<Option<&str>>) = match local {
            LocalResult::Moran(_, c) => (
                "local_moran",
                c.adjusted
                    .iter()
                    .map(|c| c.map(ClusterClass::as_str))
                    .collect(),
            ),
            LocalResult::GetisOrd(s, _, c) => (
                statistic_name(*s),
                c.adjusted
                    .iter()
                    .map(|c| c.map(HotspotClass::as_str))
                    .collect(),
            ),
        };
        let count = |prefix: &str| {
            classes
                .iter()
                .flatten()
                .filter(|c| c.starts_with(prefix) && !c.ends_with("90"))
                .count()
        };
        let (hot, cold) = match local {
            LocalResult::Moran(..) => (count("high_high"), count("low_low")),
            LocalResult::GetisOrd(..) => (count("hot"), count("cold")),
        };
        let without = a.analysed.iter().filter(|r| r.is_none()).count();
        let left_out = if without > 0 {
            format!(
                " ({} areas without data left out)",
                thousands(without as u64)
            )
        } else {
            String::new()
        };
        println!(
            "analysis {name}: {stat}: {hot} hot/high-high and {cold} cold/low-low areas at 95% after {}{left_out}",
            correction_name(a.section.correction)
        );
    }
}

/// One line per evaluation and kind of unit: the fixed pair's figures and the rolling
/// origin's means.
fn print_evaluation(e: &EvaluationResult) {
    let show = |v: Option<f64>, percent: bool| match v {
        Some(v) if percent => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{v:.2}"),
        None => "undefined".into(),
    };
    let fig = |f: Figure, percent: bool| show(f.ok(), percent);
    let mean = |m: Mean, percent: bool| show(m.value, percent);
    for u in &e.units {
        let s = &u.split.figures;
        let r = &u.rolling;
        let noun = match u.kind {
            UnitKind::Areas => "areas",
            UnitKind::Grid => "cells",
        };
        println!(
            "evaluation {}: {} hotspots of {} against {}: {} of {} {noun} ({:.1}% of the area), hit rate {}, PAI {}, PEI {}, RRI {}; rolling {} then {} months over {} origins: mean hit rate {}, PAI {}, PEI {}",
            e.section.name,
            u.hotspots["method"].as_str().unwrap_or_default(),
            e.months_of(&u.split.window.train),
            e.months_of(&u.split.window.test),
            s.flagged_units,
            s.units,
            s.area_share() * 100.0,
            fig(s.hit_rate, true),
            fig(s.pai, false),
            fig(s.pei, false),
            fig(s.rri, false),
            r.origin.train_months(),
            r.origin.test_months(),
            r.windows.len(),
            mean(r.mean.hit_rate, true),
            mean(r.mean.pai, false),
            mean(r.mean.pei, false),
        );
    }
}

/// One line per kind of service (coverage within the `within` cost), one for new sites and
/// one for the top priority area.
fn print_access(a: &AccessResults) {
    let percent = |s: &safemap_access::Share| {
        s.fraction()
            .map_or_else(|| "no one".to_string(), |f| format!("{:.1}%", f * 100.0))
    };
    if a.matrix_rows_unmatched > 0 {
        println!(
            "access: {} travel-cost rows left out (unknown area code or service id, or rejected)",
            thousands(a.matrix_rows_unmatched)
        );
    }
    for k in &a.kinds {
        let mut line = format!(
            "access {}: {} services; {} of residents within {} {}",
            k.kind.as_str(),
            thousands(k.services as u64),
            percent(&k.coverage.all),
            amount(a.within),
            a.unit
        );
        if a.need.is_some() {
            line.push_str(" (");
            line.push_str(&percent(&k.coverage.high_need));
            line.push_str(" of high-need residents)");
        }
        println!("{line}");
    }
    if let Some(s) = &a.sites {
        let added: f64 = s.mclp.steps.iter().map(|st| st.gain).sum();
        println!(
            "sites: {} new {} sites cover {} more need-weighted residents within {} m ({} of {} covered before)",
            s.mclp.steps.len(),
            s.kind,
            thousands(added.round() as u64),
            amount(s.coverage_cost),
            thousands(s.mclp.covered_before.round() as u64),
            thousands(s.mclp.total_weight.round() as u64),
        );
    }
    if let Some((ranking, _)) = &a.priority {
        println!(
            "priority: {} areas ranked (priority.csv)",
            thousands(ranking.order.len() as u64)
        );
    }
}

/// Prints what `validate` found.
/// The summary periods, each `[[change]]` and `[[emerging]]` in a line.
fn print_time(t: &safemap_engine::time::TimeResults) {
    use safemap_stats::emerging::EmergingClass;
    if let Some(p) = t.periods {
        let all = t.summary.iter().filter(|r| r.measure == "all");
        let totals: Vec<String> = all
            .map(|r| {
                let pct = r
                    .change_pct
                    .map_or_else(String::new, |x| format!(" ({x:+.1}%)"));
                let n = r.count.map_or_else(|| "no data".to_string(), thousands);
                format!("{} {n}{pct}", r.source)
            })
            .collect();
        println!(
            "summary: {} against {}: {} (summary.csv, change.csv)",
            p.period,
            p.previous,
            totals.join(", ")
        );
    }
    for c in &t.change_layers {
        let n = |class: &str| {
            c.areas
                .iter()
                .flatten()
                .filter(|a| a.class == class)
                .count()
        };
        println!(
            "change {} ({} against {}): {} areas up, {} down significantly",
            c.section.name,
            c.period,
            c.previous,
            n("increase"),
            n("decrease")
        );
    }
    for e in &t.emerging {
        let mut tally = std::collections::BTreeMap::<String, usize>::new();
        for l in e.areas.iter().flatten() {
            if l.class != EmergingClass::NoPattern {
                *tally.entry(l.class.slug()).or_default() += 1;
            }
        }
        let classes: Vec<String> = tally
            .iter()
            .map(|(c, n)| format!("{n} {}", c.replace('_', " ")))
            .collect();
        println!(
            "emerging {}: {} slices ({} to {}): {}",
            e.section.name,
            e.slices.len(),
            e.slices.first().map_or("", String::as_str),
            e.slices.last().map_or("", String::as_str),
            if classes.is_empty() {
                "no pattern anywhere".to_string()
            } else {
                classes.join(", ")
            }
        );
    }
}

/// `[comparison]` in a line: the study's partnership's all-crime rank among its similar
/// partnerships and among all, how many partnerships are ranked and lack data, and what
/// became of the police rows.
fn print_comparison(c: &safemap_results::ComparisonEntry) {
    let Some(all) = c.categories.first() else {
        return;
    };
    let rank = |r: Option<usize>, of: usize| {
        r.map_or_else(
            || "unranked".into(),
            |r| format!("{} lowest of {of}", ordinal(r)),
        )
    };
    let a = &c.accounting;
    let unmatched: u64 = a.unmatched.values().sum();
    println!(
        "comparison: {} all crime {} similar partnerships, {} ranked; {} partnerships ranked, {} no data (forces without files: {}); police rows {} read = {} counted + {} without LSOA code + {unmatched} unmatched + {} rejected ({})",
        c.partnership.name,
        rank(all.rank_similar, c.group.len()),
        rank(all.rank_all, all.ranked),
        c.ranked,
        c.no_data,
        if c.forces_without_files.is_empty() { "none".into() } else { c.forces_without_files.join(", ") },
        thousands(a.read),
        thousands(a.counted),
        thousands(a.no_lsoa_code),
        thousands(a.rejected),
        c.file
    );
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, ...
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

pub fn print_prepared(study: &Study, p: &Prepared) {
    print_areas(study, &p.areas);
    if let Some(s) = &p.services {
        print_services(s);
    }
    for ((_, assignment), section) in p.sources.iter().zip(&study.sources) {
        print_accounting(&format!("source {}", section.name), &assignment.accounting);
        print_sensitivity(section);
    }
    println!("valid: no analysis run");
}

/// Prints what `run` did and how long it took from the start (`elapsed`: wall time; the
/// steps overlap, so their timings do not add up to it).
pub fn print_report(study: &Study, r: &RunReport, elapsed: std::time::Duration) {
    let areas = &r.results.areas;
    print_areas(study, areas);
    if let (Some(n), Some(small)) = (&study.neighbourhoods, &r.small_areas) {
        println!(
            "    reported by {}: {} {}s from {} small areas ({}{})",
            n.label,
            areas.areas.len(),
            n.label,
            small.areas.areas.len(),
            small.membership,
            if small.by_nearest.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} placed in the nearest {}",
                    small.by_nearest.len(),
                    n.label
                )
            }
        );
    }
    if let Some(s) = &r.services {
        print_services(s);
    }
    for s in &r.results.sources {
        print_accounting(&format!("source {}", s.section.name), &s.accounting);
        print_sensitivity(&s.section);
        print_coverage(&s.coverage);
    }
    if let Some(w) = &r.results.weights {
        println!(
            "weights: {:?}, mean {:.2} neighbours, {} islands, {} components",
            w.kind,
            w.mean_neighbours,
            w.islands.len(),
            w.components
        );
    }
    for a in &r.results.analyses {
        print_analysis(a);
    }
    for e in &r.evaluations {
        print_evaluation(e);
    }
    print_time(&r.time);
    if let Some(a) = &r.access {
        print_access(a);
    }
    if let Some(c) = &r.comparison {
        print_comparison(&c.entry);
    }
    println!(
        "outputs: {} ({} ms)",
        r.out_dir.display(),
        elapsed.as_millis()
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 102, 111]
            .map(super::ordinal)
            .into();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "102nd",
                "111th"
            ]
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(56_626), "56,626");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
        assert_eq!(super::amount(3000.0), "3,000");
        assert_eq!(super::amount(12.5), "12.5");
    }
}
