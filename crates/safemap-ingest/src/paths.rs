//! [`expand_paths`]: turn the study file's path patterns into a sorted list of files.

use crate::IngestError;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Expands glob patterns into files, de-duplicated and sorted.
///
/// A relative pattern is taken relative to `base` (the folder of the study file); an
/// absolute one is used as is. `*`, `?`, `[...]` and `**` work as in the `glob` crate;
/// special characters in `base` itself are escaped. Only regular files are returned.
///
/// # Errors
///
/// [`IngestError::MissingFile`] when a pattern matches no file (every pattern must match
/// something, so a typo is caught rather than silently reading less data),
/// [`IngestError::BadPattern`] for a malformed pattern, [`IngestError::Io`] when a folder
/// cannot be listed, [`IngestError::NonUtf8Path`] for a non-UTF-8 base folder.
///
/// # Example
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("b.csv"), "x\n").unwrap();
/// std::fs::write(dir.path().join("a.csv"), "x\n").unwrap();
/// let files = safemap_ingest::expand_paths(&["*.csv".to_string(), "a.csv".to_string()], dir.path()).unwrap();
/// assert_eq!(files, vec![dir.path().join("a.csv"), dir.path().join("b.csv")]);
/// ```
pub fn expand_paths(patterns: &[String], base: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let mut found = BTreeSet::new();
    for pattern in patterns {
        let full = if Path::new(pattern).is_absolute() {
            pattern.clone()
        } else {
            let base_str = base.to_str().ok_or_else(|| IngestError::NonUtf8Path {
                path: base.to_path_buf(),
            })?;
            let escaped = glob::Pattern::escape(base_str);
            if escaped.is_empty() {
                pattern.clone()
            } else {
                format!("{}/{pattern}", escaped.trim_end_matches('/'))
            }
        };
        let paths = glob::glob(&full).map_err(|source| IngestError::BadPattern {
            pattern: pattern.clone(),
            source,
        })?;
        let mut matched = false;
        for entry in paths {
            let path = entry.map_err(|e| {
                let path = e.path().to_path_buf();
                IngestError::Io {
                    path,
                    source: e.into(),
                }
            })?;
            if path.is_file() {
                matched = true;
                found.insert(path);
            }
        }
        if !matched {
            return Err(IngestError::MissingFile {
                pattern: pattern.clone(),
            });
        }
    }
    Ok(found.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_sorts_and_dedups() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("d[1]");
        std::fs::create_dir(&sub).unwrap();
        for name in ["2019-02.csv", "2019-01.csv", "notes.txt"] {
            std::fs::write(sub.join(name), "x\n").unwrap();
        }
        let got = expand_paths(&["*.csv".into(), "2019-01.csv".into()], &sub).unwrap();
        assert_eq!(got, vec![sub.join("2019-01.csv"), sub.join("2019-02.csv")]);
        // Absolute patterns are used as they are.
        let abs = format!("{}/*.txt", glob::Pattern::escape(sub.to_str().unwrap()));
        assert_eq!(
            expand_paths(&[abs], Path::new("/elsewhere")).unwrap(),
            vec![sub.join("notes.txt")]
        );
    }

    #[test]
    fn missing_file_names_the_pattern() {
        let dir = tempfile::tempdir().unwrap();
        let err = expand_paths(&["police/*.csv".into()], dir.path()).unwrap_err();
        assert!(matches!(&err, IngestError::MissingFile { pattern } if pattern == "police/*.csv"));
        assert!(err
            .to_string()
            .contains("relative to the folder of the study file"));
        let err = expand_paths(&["[".into()], dir.path()).unwrap_err();
        assert!(matches!(err, IngestError::BadPattern { .. }));
    }
}
