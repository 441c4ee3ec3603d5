//! Column layouts of the public file formats safemap reads and the synthetic city writes.

/// The 12 columns of a data.police.uk street-level file, in order.
pub const POLICE_UK_COLUMNS: [&str; 12] = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
];
