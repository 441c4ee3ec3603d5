//! Paths as shown in outputs.

use std::path::{Component, Path, PathBuf};

/// Removes `.` and resolvable `..` components without touching the file system, so
/// `tests/studies/../../data/x.csv` is shown as `data/x.csv`.
pub fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies_relative_and_absolute_paths() {
        assert_eq!(tidy(Path::new("a/./b/../c.csv")), PathBuf::from("a/c.csv"));
        assert_eq!(tidy(Path::new("../../x/y")), PathBuf::from("../../x/y"));
        assert_eq!(
            tidy(Path::new("tests/studies/../../../shared/d")),
            PathBuf::from("../shared/d")
        );
        assert_eq!(tidy(Path::new("/a/../../b")), PathBuf::from("/b"));
    }
}
