//! Population-normalised kernel density: the ratio, the low-population rules, errors.

use safemap_stats::kde::{
    kernel_density_ratio, Bandwidth, BandwidthRule, Evaluation, KdeError, KdeParams, KdePoints,
    Kernel, LowPopulation, Metres, Raster, RatioParams,
};

fn raster() -> Raster {
    Raster::new(0.0, 0.0, 10.0, 60, 40).expect("raster")
}

#[test]
fn events_proportional_to_population_give_a_flat_rate() {
    // Population at three places; events at the same places, 2% of the population.
    let xs = [150.0, 300.0, 420.0];
    let ys = [200.0, 120.0, 260.0];
    let pop = [500.0, 1200.0, 300.0];
    let ev: Vec<f64> = pop.iter().map(|p| p * 0.02).collect();
    let events = KdePoints::weighted(&xs, &ys, &ev).expect("events");
    let population = KdePoints::weighted(&xs, &ys, &pop).expect("population");
    for e in [Evaluation::Binned, Evaluation::Exact] {
        let params = KdeParams::new(
            Kernel::Quartic,
            Bandwidth::Fixed(Metres::new(120.0).expect("h")),
        )
        .evaluation(e);
        let ratio = RatioParams::new(1000.0, LowPopulation::Omit { below: 50.0 }).expect("ratio");
        let r =
            kernel_density_ratio(&events, &population, &raster(), &params, &ratio).expect("kde");
        let mut shown = 0;
        for ((v, &p), &ev) in r
            .values
            .iter()
            .zip(&r.population.values)
            .zip(&r.events.values)
        {
            match v {
                Some(rate) => {
                    assert!(p >= 50.0);
                    assert!((rate - 20.0).abs() < 1e-9, "{e:?}: {rate}");
                    assert!((rate - 1000.0 * ev / p).abs() < 1e-9);
                    shown += 1;
                }
                None => assert!(p < 50.0),
            }
        }
        assert!(shown > 100 && shown < r.values.len(), "{e:?}: {shown}");
    }
}

#[test]
fn the_floor_rule_divides_by_at_least_the_floor() {
    let events = KdePoints::new(&[100.0, 480.0], &[100.0, 300.0]).expect("events");
    let population = KdePoints::weighted(&[100.0], &[100.0], &[1000.0]).expect("population");
    let params = KdeParams::new(
        Kernel::Gaussian,
        Bandwidth::Fixed(Metres::new(30.0).expect("h")),
    );
    let ratio = RatioParams::new(1.0, LowPopulation::Floor { at: 10.0 }).expect("ratio");
    let r = kernel_density_ratio(&events, &population, &raster(), &params, &ratio).expect("kde");
    for ((v, &p), &e) in r
        .values
        .iter()
        .zip(&r.population.values)
        .zip(&r.events.values)
    {
        let v = v.expect("every cell has a rate under Floor");
        assert!((v - e / p.max(10.0)).abs() <= 1e-12 * v.abs().max(1.0));
    }
    // The event far from any population still shows, damped by the floor.
    let far = 30 * 60 + 48;
    assert!(r.population.values[far] < 10.0 && r.values[far].expect("rate") > 0.0);
}

#[test]
fn a_bandwidth_rule_is_resolved_from_the_events_and_shared() {
    let xs = [100.0, 150.0, 220.0, 300.0, 330.0, 410.0];
    let ys = [100.0, 180.0, 120.0, 250.0, 90.0, 200.0];
    let events = KdePoints::new(&xs, &ys).expect("events");
    let population = KdePoints::new(&xs[..2], &ys[..2]).expect("population");
    let params = KdeParams::new(
        Kernel::Quartic,
        Bandwidth::Rule(BandwidthRule::SpatialSilverman),
    );
    let ratio = RatioParams::new(1000.0, LowPopulation::Omit { below: 1.0 }).expect("ratio");
    let r = kernel_density_ratio(&events, &population, &raster(), &params, &ratio).expect("kde");
    let h = BandwidthRule::SpatialSilverman
        .bandwidth(&events)
        .expect("h");
    assert_eq!(r.events.bandwidth, h);
    assert_eq!(r.population.bandwidth, h);
}

#[test]
fn bad_ratio_parameters_are_errors() {
    assert_eq!(
        RatioParams::new(0.0, LowPopulation::Omit { below: 1.0 }),
        Err(KdeError::BadRateBase(0.0))
    );
    assert_eq!(
        RatioParams::new(1000.0, LowPopulation::Floor { at: 0.0 }),
        Err(KdeError::BadPopulationThreshold(0.0))
    );
    assert!(RatioParams::new(1000.0, LowPopulation::Omit { below: f64::NAN }).is_err());
}
