//! [`expand_paths`]: turn the study file's path patterns into the files to read, each real
//! file once, following no symlink loop.
//!
//! # The rule
//!
//! A pattern is matched one path component at a time, walking the folders in name order.
//! Symbolic links are followed, to files and to folders alike, but:
//!
//! - **a folder is searched once** for each part of the pattern: a link that leads back to a
//!   folder already searched (a loop: `data/again -> ..`; or a second way into a folder) is
//!   not entered again, so no loop can make the walk run long or read a file twice. In each
//!   folder the entries that are not links are searched first, so a folder is searched
//!   under its own name rather than through a link beside it;
//! - **each real file is read once** (the same device and inode, so hard links count too):
//!   when several matched paths lead to one file, the one that is not itself a symbolic link
//!   is read (the target of a link beside it), else the first in name order.
//!
//! Every path left out is in [`Expansion::skipped`], with the path read instead, so that
//! every physical line is still counted exactly once.

use crate::IngestError;
use glob::{MatchOptions, Pattern};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The files named by a list of patterns, and the paths left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The files to read, sorted, each real file once.
    pub files: Vec<PathBuf>,
    /// Paths matched (or folders reached) but not read, because they lead to a file read
    /// under another path or to a folder already searched; sorted.
    pub skipped: Vec<Skipped>,
}

/// A path left out of an [`Expansion`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    /// The path left out.
    pub path: PathBuf,
    /// The path read (or searched) instead.
    pub same_as: PathBuf,
    /// Whether the path is a file or a folder.
    pub kind: SkippedKind,
}

/// What a [`Skipped`] path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkippedKind {
    /// Another path to a file that is read.
    File,
    /// A way back into a folder already searched (a symbolic link loop, or a second link
    /// to one folder).
    Folder,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, same) = (self.path.display(), self.same_as.display());
        match self.kind {
            SkippedKind::File => write!(f, "{path} is the same file as {same}, read once"),
            SkippedKind::Folder => write!(f, "{path} leads to {same}, already searched"),
        }
    }
}

/// Expands glob patterns into files under the rule in the module docs.
///
/// A relative pattern is taken relative to `base` (the folder of the study file); an
/// absolute one is used as is. `*`, `?` and `[...]` work as in the `glob` crate within one
/// path component, and a `**` component matches any number of folders. Only regular files
/// (or links to them) are returned.
///
/// # Errors
///
/// [`IngestError::MissingFile`] when a pattern matches no file (every pattern must match
/// something, so a typo is caught rather than silently reading less data),
/// [`IngestError::BadPattern`] for a malformed pattern, [`IngestError::Io`] when a folder
/// cannot be listed or a matched file cannot be looked at.
///
/// # Example
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("b.csv"), "x\n").unwrap();
/// std::fs::write(dir.path().join("a.csv"), "x\n").unwrap();
/// let found = safemap_ingest::expand_paths(&["*.csv".to_string(), "a.csv".to_string()], dir.path()).unwrap();
/// assert_eq!(found.files, vec![dir.path().join("a.csv"), dir.path().join("b.csv")]);
/// assert!(found.skipped.is_empty());
/// ```
pub fn expand_paths(patterns: &[String], base: &Path) -> Result<Expansion, IngestError> {
    let mut walk = Walk::default();
    for pattern in patterns {
        Pattern::new(pattern).map_err(|source| IngestError::BadPattern {
            pattern: pattern.clone(),
            source,
        })?;
        let (start, parts) = parse(pattern, base).map_err(|source| IngestError::BadPattern {
            pattern: pattern.clone(),
            source,
        })?;
        let before = walk.matched;
        walk.searched.clear();
        if !parts.is_empty() {
            walk.visit(&start, &parts, 0)?;
        }
        if walk.matched == before {
            return Err(IngestError::MissingFile {
                pattern: pattern.clone(),
            });
        }
    }
    Ok(walk.finish())
}

/// One component of a pattern.
enum Part {
    /// A name without wildcards (`.` and `..` included).
    Literal(String),
    /// A name with wildcards.
    Wild(Pattern),
    /// `**`: any number of folders.
    Folders,
}

/// The folder a pattern starts from and its components.
fn parse(pattern: &str, base: &Path) -> Result<(PathBuf, Vec<Part>), glob::PatternError> {
    let start = if Path::new(pattern).is_absolute() {
        PathBuf::from("/")
    } else {
        base.to_path_buf()
    };
    let parts = pattern
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(|c| {
            Ok(if c == "**" {
                Part::Folders
            } else if c.contains(['*', '?', '[']) {
                Part::Wild(Pattern::new(c)?)
            } else {
                Part::Literal(c.to_string())
            })
        })
        .collect::<Result<_, _>>()?;
    Ok((start, parts))
}

/// A file's identity: the same for every path (link, hard link) to it.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn file_id(path: &Path) -> io::Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path)?;
    Ok((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> io::Result<FileId> {
    fs::canonicalize(path)
}

/// What a path leads to, links followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
}

fn kind(path: &Path) -> Option<Kind> {
    let m = fs::metadata(path).ok()?;
    if m.is_dir() {
        Some(Kind::Folder)
    } else if m.is_file() {
        Some(Kind::File)
    } else {
        None
    }
}

/// The state of an expansion.
#[derive(Default)]
struct Walk {
    /// (folder, index of the pattern component to match in it) → the path it was first
    /// searched under, for the pattern being expanded.
    searched: HashMap<(FileId, usize), PathBuf>,
    /// Every file path matched, with its file.
    found: BTreeMap<PathBuf, FileId>,
    /// Paths of folders not searched again → the path they were searched under.
    skipped_folders: BTreeMap<PathBuf, PathBuf>,
    /// Matches so far, duplicates included.
    matched: usize,
}

impl Walk {
    /// Matches `parts[i..]` in folder `dir`.
    fn visit(&mut self, dir: &Path, parts: &[Part], i: usize) -> Result<(), IngestError> {
        // Only the start folder can be missing: the rest were listed.
        let Ok(id) = file_id(on_disk(dir)) else {
            return Ok(());
        };
        let key = (id, i);
        if let Some(first) = self.searched.get(&key) {
            if first != dir {
                self.skipped_folders
                    .entry(dir.to_path_buf())
                    .or_insert_with(|| first.clone());
            }
            return Ok(());
        }
        self.searched.insert(key, dir.to_path_buf());
        let last = i + 1 == parts.len();
        let options = MatchOptions::new();
        match &parts[i] {
            Part::Literal(name) => {
                let path = dir.join(name);
                match (kind(&path), last) {
                    (Some(Kind::File), true) => self.file(path)?,
                    (Some(Kind::Folder), false) => self.visit(&path, parts, i + 1)?,
                    _ => {}
                }
            }
            Part::Wild(pattern) => {
                for (name, path, kind) in list(dir)? {
                    if !pattern.matches_with(&name, options) {
                        continue;
                    }
                    match (kind, last) {
                        (Kind::File, true) => self.file(path)?,
                        (Kind::Folder, false) => self.visit(&path, parts, i + 1)?,
                        _ => {}
                    }
                }
            }
            Part::Folders => {
                if !last {
                    self.visit(dir, parts, i + 1)?;
                }
                for (_, path, kind) in list(dir)? {
                    match kind {
                        Kind::Folder => self.visit(&path, parts, i)?,
                        Kind::File if last => self.file(path)?,
                        Kind::File => {}
                    }
                }
            }
        }
        Ok(())
    }

    fn file(&mut self, path: PathBuf) -> Result<(), IngestError> {
        let id = file_id(&path).map_err(|e| IngestError::io(&path, e))?;
        self.matched += 1;
        self.found.insert(path, id);
        Ok(())
    }

    /// Each file once, under the path the module docs say; the rest skipped.
    fn finish(self) -> Expansion {
        let mut by_file: HashMap<FileId, Vec<PathBuf>> = HashMap::new();
        for (path, id) in self.found {
            by_file.entry(id).or_default().push(path);
        }
        let mut files = BTreeSet::new();
        let mut skipped: Vec<Skipped> = self
            .skipped_folders
            .into_iter()
            .map(|(path, same_as)| Skipped {
                path,
                same_as,
                kind: SkippedKind::Folder,
            })
            .collect();
        for paths in by_file.into_values() {
            let kept = paths
                .iter()
                .find(|p| !is_link(p))
                .unwrap_or(&paths[0])
                .clone();
            skipped.extend(
                paths
                    .into_iter()
                    .filter(|p| *p != kept)
                    .map(|path| Skipped {
                        path,
                        same_as: kept.clone(),
                        kind: SkippedKind::File,
                    }),
            );
            files.insert(kept);
        }
        skipped.sort();
        Expansion {
            files: files.into_iter().collect(),
            skipped,
        }
    }
}

/// The folder `dir` names on disk: the empty path (the folder of a study file named without
/// a folder, `safemap run study.toml`) is the current folder. Paths built from it stay
/// relative, without a `./`.
fn on_disk(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// True if `path` itself is a symbolic link.
fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The entries of folder `dir` that are files or folders (links followed; a broken link is
/// left out), as (name, path, kind): those that are not symbolic links first, so that a
/// folder is searched under its own name rather than through a link beside it, each group
/// in name order.
fn list(dir: &Path) -> Result<Vec<(String, PathBuf, Kind)>, IngestError> {
    let err = |e| IngestError::io(dir, e);
    let mut entries = Vec::new();
    for entry in fs::read_dir(on_disk(dir)).map_err(err)? {
        let entry = entry.map_err(err)?;
        let path = dir.join(entry.file_name());
        let Some(kind) = kind(&path) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push((is_link(&path), name, path, kind));
    }
    entries.sort_by(|a, b| (a.0, &a.2).cmp(&(b.0, &b.2)));
    Ok(entries
        .into_iter()
        .map(|(_, name, path, kind)| (name, path, kind))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path) {
        fs::write(path, "x\n").unwrap();
    }

    #[cfg(unix)]
    fn link(target: &str, path: &Path) {
        std::os::unix::fs::symlink(target, path).unwrap();
    }

    #[test]
    fn expands_sorts_and_dedups() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("d[1]");
        fs::create_dir(&sub).unwrap();
        for name in ["2019-02.csv", "2019-01.csv", "notes.txt"] {
            write(&sub.join(name));
        }
        let got = expand_paths(&["*.csv".into(), "2019-01.csv".into()], &sub).unwrap();
        assert_eq!(
            got.files,
            vec![sub.join("2019-01.csv"), sub.join("2019-02.csv")]
        );
        assert!(got.skipped.is_empty());
        // Absolute patterns are used as they are.
        let abs = format!("{}/*.txt", glob::Pattern::escape(sub.to_str().unwrap()));
        assert_eq!(
            expand_paths(&[abs], Path::new("/elsewhere")).unwrap().files,
            vec![sub.join("notes.txt")]
        );
    }

    #[test]
    fn double_star_matches_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        fs::create_dir_all(&deep).unwrap();
        for p in ["top.csv", "a/one.csv", "a/b/c/three.csv", "a/b/c/three.txt"] {
            write(&dir.path().join(p));
        }
        let got = expand_paths(&["**/*.csv".into()], dir.path()).unwrap();
        let want: Vec<PathBuf> = ["a/b/c/three.csv", "a/one.csv", "top.csv"]
            .iter()
            .map(|p| dir.path().join(p))
            .collect();
        assert_eq!(got.files, want);
        let got = expand_paths(&["a/**".into()], dir.path()).unwrap();
        assert_eq!(got.files.len(), 3, "{:?}", got.files);
        let got = expand_paths(&["*/b/*/three.*".into()], dir.path()).unwrap();
        assert_eq!(got.files.len(), 2, "{:?}", got.files);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_searched_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("police")).unwrap();
        write(&d.join("police/2019-01.csv"));
        // Two loops back to the folder and one to the top: glob would read the file 41
        // times for one loop and never end with two.
        link(".", &d.join("police/again"));
        link("..", &d.join("police/up"));
        link("../police", &d.join("police/round"));
        let got = expand_paths(&["police/**/*.csv".into()], d).unwrap();
        assert_eq!(got.files, vec![d.join("police/2019-01.csv")]);
        let folders: Vec<_> = got
            .skipped
            .iter()
            .map(|s| (s.kind, s.path.clone()))
            .collect();
        assert_eq!(
            folders,
            vec![
                (SkippedKind::Folder, d.join("police/again")),
                (SkippedKind::Folder, d.join("police/round")),
                (SkippedKind::Folder, d.join("police/up/police")),
            ]
        );
        assert_eq!(got.skipped[0].same_as, d.join("police"));
        assert!(
            got.skipped[0].to_string().ends_with("already searched"),
            "{}",
            got.skipped[0]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_twice_is_read_once_under_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(&d.join("b-street.csv"));
        // A link beside its target, sorted before it; a hard link; a link into a folder.
        link("b-street.csv", &d.join("a-copy.csv"));
        fs::hard_link(d.join("b-street.csv"), d.join("c-hard.csv")).unwrap();
        fs::create_dir(d.join("sub")).unwrap();
        write(&d.join("sub/other.csv"));
        link("sub", &d.join("linked"));
        let got = expand_paths(&["*.csv".into(), "*/*.csv".into()], d).unwrap();
        assert_eq!(
            got.files,
            vec![d.join("b-street.csv"), d.join("sub/other.csv")]
        );
        let skipped: Vec<_> = got
            .skipped
            .iter()
            .map(|s| (s.kind, s.path.clone(), s.same_as.clone()))
            .collect();
        assert_eq!(
            skipped,
            vec![
                (
                    SkippedKind::File,
                    d.join("a-copy.csv"),
                    d.join("b-street.csv")
                ),
                (
                    SkippedKind::File,
                    d.join("c-hard.csv"),
                    d.join("b-street.csv")
                ),
                (SkippedKind::Folder, d.join("linked"), d.join("sub")),
            ]
        );
        assert_eq!(
            got.skipped[0].to_string(),
            format!(
                "{} is the same file as {}, read once",
                d.join("a-copy.csv").display(),
                d.join("b-street.csv").display()
            )
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
        let err = expand_paths(&["a**/*.csv".into()], dir.path()).unwrap_err();
        assert!(matches!(err, IngestError::BadPattern { .. }));
    }
}
