//! Rates, intervals and spatial statistics on slices; no geometry, no I/O.
