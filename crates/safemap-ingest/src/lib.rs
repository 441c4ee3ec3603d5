//! Readers for police.uk, force, ED and service CSVs, boundaries and denominators, with row-level rejects.
