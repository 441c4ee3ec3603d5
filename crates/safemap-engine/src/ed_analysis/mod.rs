//! Emergency-department (ISTV) analysis: what `ed_summary.csv` reports for every ED source,
//! study-wide and per area ([`tally`], [`figures`]), and ED assaults against police
//! violence per area ([`vs_police`], `[ed_vs_police]`). See docs/ed-analysis.md.
//!
//! Everything here is analyst only: the figures are exact counts of ED records, which are
//! sensitive whatever the study says. The public sees ED counts only through the protected
//! area table, as before.

pub mod figures;
pub mod tally;
pub mod vs_police;

use crate::assign::Assignment;
use crate::config::{SourceFormat, Study};
use crate::coverage::Coverage;
use crate::error::EngineError;
use crate::results::{ColumnValue, StudyResults};
use crate::sources::LoadedSource;
use safemap_types::time::NTE;
pub use tally::{SourceTally, Tally};
pub use vs_police::VsPolice;

/// The ED analysis of a run.
#[derive(Debug, Clone, Default)]
pub struct EdResults {
    /// One tally per ED source, in study order.
    pub sources: Vec<SourceTally>,
    /// The comparison with police violence, when the study has one.
    pub vs_police: Option<VsPolice>,
}

/// Tallies every ED source from its events, before the events are dropped.
pub fn tally_sources(
    study: &Study,
    sources: &[(LoadedSource, Assignment)],
    coverages: &[Coverage],
    n_areas: usize,
) -> Vec<SourceTally> {
    // Checked when the study file was loaded.
    let nte = study.time.nte.mask().unwrap_or_else(|_| NTE.mask());
    sources
        .iter()
        .zip(coverages)
        .zip(&study.sources)
        .filter(|(_, section)| section.format == SourceFormat::EdIstv)
        .map(|(((loaded, assignment), coverage), section)| {
            let events = tally::SourceEvents {
                source: &section.name,
                locations: &loaded.data.categories,
                cells: &assignment.joined.cells,
                coverage,
            };
            tally::tally_source(&events, nte, n_areas)
        })
        .collect()
}

impl EdResults {
    /// The tallies with the ED-versus-police comparison, if the study asks for one.
    ///
    /// # Errors
    ///
    /// The study file's `[ed_vs_police]` errors, and a police category the source lacks.
    pub fn new(
        study: &Study,
        results: &StudyResults,
        sources: Vec<SourceTally>,
    ) -> Result<Self, EngineError> {
        let vs_police = study
            .ed_vs_police()?
            .map(|c| VsPolice::run(study, results, c))
            .transpose()?;
        Ok(EdResults { sources, vs_police })
    }

    /// The area columns of the comparison (none without one).
    pub fn area_columns(&self) -> Vec<(String, Vec<ColumnValue>)> {
        self.vs_police
            .as_ref()
            .map(VsPolice::area_columns)
            .unwrap_or_default()
    }
}
