//! A deterministic synthetic city with planted hotspots for the demo, tests and benchmarks.
