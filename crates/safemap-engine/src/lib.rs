//! Study config, pipeline, aggregation, outputs and run manifest.
