//! Rates, intervals and spatial statistics on plain slices.
//!
//! | module | offers |
//! |---|---|
//! | [`poisson`] | exact (Garwood) confidence interval for a Poisson count |
//! | [`rates`] | rate per *k* residents with its exact interval, expected count and excess risk, per area |
//! | [`empirical_bayes`](mod@empirical_bayes) | [`empirical_bayes()`] with a [`Prior::Global`] (Marshall) or [`Prior::Spatial`] prior, [`EbParams`] (negative prior variance clamped or not) |
//! | [`assuncao_reis`] | [`eb_standardised_rates`]: Assunção-Reis EB-standardised rates, the input of Moran's I for rates |
//! | [`global_moran`](mod@global_moran) | [`global_moran()`]: Moran's I with normality, randomisation and permutation inference |
//! | [`local_moran`](mod@local_moran) | [`local_moran()`]: Local Moran's I (LISA), [`Quadrant`]s, conditional-permutation pseudo p-values |
//! | [`getis_ord`](mod@getis_ord) | [`getis_ord()`]: Getis-Ord Gi and Gi* ([`GiVariant`]): G, z, two-sided p, pseudo p-values |
//! | [`permutation`] | [`PermutationTest`] (R, [`Tail`], [`Sampling`], seed): the seeded, parallel, thread-count-independent conditional permutation engine |
//! | [`multiple_testing`] | [`fdr_cutoff`] (Benjamini-Hochberg), [`bonferroni_cutoff`], [`Correction`] |
//! | [`classes`] | [`hotspot_classes`] (`hot_99` … `cold_99`) and [`cluster_classes`] (`high_high_95` …), raw and corrected side by side |
//! | [`evaluation`] | hotspot evaluation: hit rate, PAI, PAI*, PEI and RRI of one period's hotspots against the next period's events ([`evaluation::evaluate_hotspots`]), train/test windows over monthly counts and the rolling origin ([`evaluation::rolling_origin`]), the top-share selector |
//! | [`kde`] | [`kde::kernel_density`]: kernel density surface in events per km² on a [`kde::Raster`] ([`kde::Kernel::Quartic`] or `Gaussian`, [`kde::Bandwidth`] fixed or ArcGIS Pro's spatial Silverman rule, linear binning + FFT or exact evaluation) |
//! | [`change`] | [`poisson_change`]: exact conditional test of two Poisson counts with exposures (scipy's two-sided `binomtest`), rate ratio |
//! | [`share_test`] | [`share_above`]: exact one-sided binomial test that an area's share (ED assaults of ED + police) is above the study-wide share (scipy's `binomtest(..., alternative="greater")`) |
//! | [`space_time`] | [`space_time_gi_star`]: Gi* of every bin of an area × time-slice cube over space-time neighbours (k previous slices), pseudo p-values from shared sorted reference sums |
//! | [`emerging`] | [`emerging::classify`]: the 17 emerging hot spot classes of a location from its per-slice hot/cold signs and Gi* z trend; [`emerging::emerging_hot_spots`] for every area of a cube (FDR per slice) |
//! | [`mann_kendall`](mod@mann_kendall) | [`mann_kendall()`]: Mann-Kendall S, tie-corrected variance, Z and p of a series |
//! | [`error`] | [`StatsError`]: inputs a spatial statistic cannot use |
//!
//! Spatial statistics take the values as a slice in the order of the areas of a
//! [`Weights`](safemap_types::Weights), and a parameters struct with chained setters and an
//! explicit seed. Areas without neighbours (islands) never make a statistic fail: they get
//! `None` and are listed in the result. Results are identical for any number of rayon
//! threads.
//!
//! This crate knows no geometry and does no I/O. It has no cargo features.

pub mod assuncao_reis;
pub mod change;
pub mod classes;
pub mod emerging;
pub mod empirical_bayes;
pub mod error;
pub mod evaluation;
pub mod getis_ord;
pub mod global_moran;
mod input;
pub mod kde;
pub mod local_moran;
pub mod mann_kendall;
pub mod multiple_testing;
mod params;
pub mod permutation;
pub mod poisson;
pub mod rates;
pub mod share_test;
pub mod space_time;

pub use assuncao_reis::{eb_standardised_rates, EbStandardised};
pub use change::{poisson_change, PoissonChange};
pub use classes::{
    cluster_classes, hotspot_classes, Classes, ClusterClass, Confidence, Cutoffs, HotspotClass,
};
pub use empirical_bayes::{empirical_bayes, EbParams, EmpiricalBayes, Prior};
pub use error::StatsError;
pub use getis_ord::{getis_ord, GetisOrd, GetisOrdParams, GetisOrdSite, GiVariant};
pub use global_moran::{global_moran, GlobalMoran, MoranInference, MoranParams};
pub use local_moran::{local_moran, LocalMoran, LocalMoranParams, LocalMoranSite, Quadrant};
pub use mann_kendall::{mann_kendall, MannKendall};
pub use multiple_testing::{bonferroni_cutoff, fdr_cutoff, Correction};
pub use permutation::{PermutationTest, Sampling, Tail};
pub use poisson::{poisson_interval, PoissonInterval};
pub use rates::{area_rates, AreaRate, RateError, RateParams};
pub use share_test::share_above;
pub use space_time::{space_time_gi_star, SpaceTimeGi};
