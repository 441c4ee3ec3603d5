//! Rate smoothing against esda 2.9.0 on sids2 (SID79 / BIR79 with sids2.gal), to 1e-9
//! relative: global and spatial Empirical Bayes, excess risk, Assunção-Reis standardised
//! rates and Moran's I of them (esda `Moran_Rate`). The "underdispersed" counts have a
//! negative global prior variance, which exercises the clamping rule.

mod common;

use common::{data, gal, json, num, reference, Table};
use safemap_stats::{
    area_rates, eb_standardised_rates, empirical_bayes, global_moran, EbParams, MoranParams, Prior,
    RateParams,
};
use safemap_types::Weights;

fn assert_rel(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-9 * w.abs() + 1e-15,
            "{what}[{i}]: got {g}, want {w}"
        );
    }
}

fn all(v: &[Option<f64>]) -> Vec<f64> {
    v.iter()
        .map(|x| x.expect("every area has a population"))
        .collect()
}

fn sids() -> (Table, Weights, Vec<f64>) {
    let t = Table::read(&reference("smoothing_sids2.csv"));
    let ids = t.strings("FIPSNO");
    let w = gal(&data("pysal/sids2/sids2.gal"), Some(&ids));
    let births = t.numbers("BIR79");
    (t, w, births)
}

#[test]
fn empirical_bayes_global_and_spatial() {
    let (t, w, births) = sids();
    let summary = json(&reference("smoothing_sids2.json"));
    let unclamped = EbParams::new().clamp_negative_prior(false);
    for case in ["observed", "underdispersed"] {
        let events = t.numbers(&format!("{case}_events"));
        let global = empirical_bayes(&events, &births, Prior::Global, unclamped).unwrap();
        assert_rel(case, &all(&global.rates), &t.numbers(&format!("{case}_eb")));
        let a = num(&summary, &[case, "global_prior_variance"]);
        assert!((global.prior_variance[0].unwrap() - a).abs() <= 1e-9 * a.abs());
        assert_eq!(global.negative_prior_variance.is_empty(), a > 0.0);
        assert!(!global.clamped);

        // esda's spatial EB always clamps, as safemap does by default. Where a neighbourhood
        // has no event at all (FIPS 37177 and its neighbours in 1979) esda divides 0 by 0
        // and gives NaN; safemap gives the prior mean, 0.
        let spatial =
            empirical_bayes(&events, &births, Prior::Spatial(&w), EbParams::new()).unwrap();
        let mut want = t.numbers(&format!("{case}_spatial_eb"));
        for (i, v) in want.iter_mut().enumerate() {
            if v.is_nan() {
                assert_eq!(spatial.prior_mean[i], Some(0.0), "{case}[{i}]");
                *v = 0.0;
            }
        }
        assert_rel(case, &all(&spatial.rates), &want);

        let clamped = empirical_bayes(&events, &births, Prior::Global, EbParams::new()).unwrap();
        assert_eq!(clamped.clamped, a < 0.0, "{case}");
        if a < 0.0 {
            let b = num(&summary, &[case, "global_prior_mean"]);
            assert!(all(&clamped.rates).iter().all(|r| (r - b).abs() <= 1e-15));
        } else {
            assert_eq!(clamped.rates, global.rates);
        }
    }
}

#[test]
fn excess_risk_equals_esda() {
    let (t, _, births) = sids();
    for case in ["observed", "underdispersed"] {
        let counts: Vec<u64> = t
            .numbers(&format!("{case}_events"))
            .iter()
            .map(|&c| c as u64)
            .collect();
        let pops: Vec<Option<f64>> = births.iter().map(|&b| Some(b)).collect();
        let rates = area_rates(&counts, &pops, RateParams::new(1000.0, 0.95).unwrap()).unwrap();
        let er: Vec<f64> = rates.iter().map(|r| r.excess_risk.unwrap()).collect();
        assert_rel(case, &er, &t.numbers(&format!("{case}_excess_risk")));
    }
}

#[test]
fn assuncao_reis_and_moran_rate() {
    let (t, w, births) = sids();
    let summary = json(&reference("smoothing_sids2.json"));
    for case in ["observed", "underdispersed"] {
        let events = t.numbers(&format!("{case}_events"));
        let z = eb_standardised_rates(
            &events,
            &births,
            EbParams::new().clamp_negative_prior(false),
        )
        .unwrap();
        let values = all(&z.values);
        assert_rel(case, &values, &t.numbers(&format!("{case}_assuncao")));
        let m = global_moran(&values, &w, MoranParams::new(0).permutations(0)).unwrap();
        for (key, got) in [
            ("I", m.i),
            ("EI", m.expected),
            ("VI_norm", m.normality.variance),
            ("z_norm", m.normality.z),
            ("p_norm", m.normality.p),
            ("VI_rand", m.randomisation.variance),
            ("z_rand", m.randomisation.z),
            ("p_rand", m.randomisation.p),
        ] {
            let want = num(&summary, &[case, "moran_rate", key]);
            assert!((got - want).abs() <= 1e-9, "{case} {key}: {got} vs {want}");
        }
        // Clamped (the default): v_i = b / P_i wherever a < 0.
        let c = eb_standardised_rates(&events, &births, EbParams::new()).unwrap();
        assert_eq!(c.clamped, z.prior_variance < 0.0);
        assert!(c.variance_fallback.is_empty());
        let b = c.prior_mean;
        for (i, v) in c.values.iter().enumerate() {
            let a = c.prior_variance.max(0.0);
            let want = (events[i] / births[i] - b) / (a + b / births[i]).sqrt();
            assert!((v.unwrap() - want).abs() <= 1e-12 * want.abs().max(1.0));
        }
    }
}
