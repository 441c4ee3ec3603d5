//! `rejects.csv`: every rejected row with its file, line, column, value and reason.

use crate::error::EngineError;
use crate::outputs::{csv_error, write_file};
use crate::paths::tidy;
use safemap_types::Reject;
use std::path::Path;

/// Writes `rejects.csv` with columns `input,file,line,column,value,reason`; `input` is the
/// source name or the table role (`population`, `deprivation`, `services`); `file` is
/// relative to `base` (the study file's directory) so the file does not depend on where the
/// study was run from.
pub fn write(rejects: &[(String, Reject)], base: &Path, path: &Path) -> Result<(), EngineError> {
    write_file(path, |w| {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["input", "file", "line", "column", "value", "reason"])
            .map_err(csv_error)?;
        for (input, r) in rejects {
            out.write_record([
                input.as_str(),
                &tidy(r.file.strip_prefix(base).unwrap_or(&r.file))
                    .display()
                    .to_string(),
                &r.line.to_string(),
                r.column.as_deref().unwrap_or_default(),
                &r.value,
                &r.reason.to_string(),
            ])
            .map_err(csv_error)?;
        }
        out.flush()
    })
}
