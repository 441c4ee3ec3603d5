//! The service register: read, located in the study's areas, accounted for.

use crate::areas::AreaTable;
use crate::assign::Accounting;
use crate::config::Study;
use crate::error::EngineError;
use crate::sources::parse_table;
use safemap_geo::reproject::to_bng;
use safemap_geo::EdgeRule;
use safemap_ingest::services::{read_services, ServiceRegister};
use safemap_ingest::PostcodeDirectory;
use safemap_types::{AreaId, Reject, Service};

/// Services with the area each lies in (`None`: outside the study areas). Every valid row
/// is kept, inside the areas or not: a service near the boundary serves the areas inside it.
pub struct LocatedServices {
    /// Services in register order.
    pub services: Vec<(Service, Option<AreaId>)>,
    /// Rows rejected by the reader.
    pub rejects: Vec<Reject>,
    /// Row accounting (`joined` = located in a study area, `outside` = kept but outside
    /// every study area).
    pub accounting: Accounting,
}

/// Reads and locates the register named in `[services]`, if any; rows located only by
/// postcode are placed through `postcodes`.
pub fn load(
    study: &Study,
    areas: &AreaTable,
    postcodes: Option<&PostcodeDirectory>,
) -> Result<Option<LocatedServices>, EngineError> {
    let Some(section) = &study.services else {
        return Ok(None);
    };
    let register = ServiceRegister {
        columns: parse_table(study, "services.columns", section.columns.clone())?,
        kind: section.kind.clone(),
        confidential: section.confidential,
        dialect: section.dialect().map_err(|e| EngineError::Mapping {
            path: study.file.clone(),
            key: "services.delimiter".into(),
            message: e.to_string(),
        })?,
        layer: section.layer.clone(),
    };
    let read = read_services(
        &study.resolve(&section.path),
        &register,
        study.limits.input_limits(),
        postcodes,
    )
    .map_err(|source| EngineError::ingest("services", source))?;
    let mut acc = Accounting {
        read: read.read,
        rejected: read.rejects.len() as u64,
        placed_by_postcode: read.placed_by_postcode,
        ..Accounting::default()
    };
    for r in &read.rejects {
        *acc.rejected_by_reason
            .entry(r.reason.to_string())
            .or_default() += 1;
    }
    let services: Vec<(Service, Option<AreaId>)> = read
        .services
        .into_iter()
        .map(|s| {
            let area = to_bng(s.point)
                .ok()
                .and_then(|p| areas.index.locate(p, EdgeRule::LowestAreaId));
            (s, area)
        })
        .collect();
    acc.joined = services.iter().filter(|(_, a)| a.is_some()).count() as u64;
    acc.outside_area = services.len() as u64 - acc.joined;
    acc.outside = acc.outside_area;
    Ok(Some(LocatedServices {
        services,
        rejects: read.rejects,
        accounting: acc,
    }))
}
