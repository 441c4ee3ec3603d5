//! Police forces as data.police.uk names them: the force and month a street-crime file holds
//! (from its name, `YYYY-MM-<force>-street.csv[.gz]`), the forces' slugs and names, and the
//! slug of a police force area's name in a boundary file (e.g. ONS PFA names).

use safemap_types::Month;
use std::path::Path;

/// The data.police.uk forces: slug (as in file names and the police.uk API) and name.
pub const POLICE_UK_FORCES: [(&str, &str); 45] = [
    ("avon-and-somerset", "Avon and Somerset Constabulary"),
    ("bedfordshire", "Bedfordshire Police"),
    ("btp", "British Transport Police"),
    ("cambridgeshire", "Cambridgeshire Constabulary"),
    ("cheshire", "Cheshire Constabulary"),
    ("city-of-london", "City of London Police"),
    ("cleveland", "Cleveland Police"),
    ("cumbria", "Cumbria Constabulary"),
    ("derbyshire", "Derbyshire Constabulary"),
    ("devon-and-cornwall", "Devon & Cornwall Police"),
    ("dorset", "Dorset Police"),
    ("durham", "Durham Constabulary"),
    ("dyfed-powys", "Dyfed-Powys Police"),
    ("essex", "Essex Police"),
    ("gloucestershire", "Gloucestershire Constabulary"),
    ("greater-manchester", "Greater Manchester Police"),
    ("gwent", "Gwent Police"),
    ("hampshire", "Hampshire Constabulary"),
    ("hertfordshire", "Hertfordshire Constabulary"),
    ("humberside", "Humberside Police"),
    ("kent", "Kent Police"),
    ("lancashire", "Lancashire Constabulary"),
    ("leicestershire", "Leicestershire Police"),
    ("lincolnshire", "Lincolnshire Police"),
    ("merseyside", "Merseyside Police"),
    ("metropolitan", "Metropolitan Police Service"),
    ("norfolk", "Norfolk Constabulary"),
    ("north-wales", "North Wales Police"),
    ("north-yorkshire", "North Yorkshire Police"),
    ("northamptonshire", "Northamptonshire Police"),
    ("northern-ireland", "Police Service of Northern Ireland"),
    ("northumbria", "Northumbria Police"),
    ("nottinghamshire", "Nottinghamshire Police"),
    ("south-wales", "South Wales Police"),
    ("south-yorkshire", "South Yorkshire Police"),
    ("staffordshire", "Staffordshire Police"),
    ("suffolk", "Suffolk Constabulary"),
    ("surrey", "Surrey Police"),
    ("sussex", "Sussex Police"),
    ("thames-valley", "Thames Valley Police"),
    ("warwickshire", "Warwickshire Police"),
    ("west-mercia", "West Mercia Police"),
    ("west-midlands", "West Midlands Police"),
    ("west-yorkshire", "West Yorkshire Police"),
    ("wiltshire", "Wiltshire Police"),
];

/// Forces with no territory of their own: their rows fall in other forces' areas, so they
/// never make an area covered.
pub const NON_TERRITORIAL_FORCES: [&str; 1] = ["btp"];

/// The police.uk name of a force slug, if it is one.
///
/// ```
/// use safemap_ingest::police_forces::force_name;
/// assert_eq!(force_name("metropolitan"), Some("Metropolitan Police Service"));
/// assert_eq!(force_name("gotham"), None);
/// ```
pub fn force_name(slug: &str) -> Option<&'static str> {
    POLICE_UK_FORCES
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(_, name)| *name)
}

/// The month and force of a police.uk street file, from its name
/// (`2019-01-devon-and-cornwall-street.csv`, optionally `.gz`): the month and the force
/// slug. `None` for any other name.
///
/// ```
/// use safemap_ingest::police_forces::street_file_force_month;
/// use std::path::Path;
/// let (month, force) =
///     street_file_force_month(Path::new("data/2019-01-city-of-london-street.csv.gz")).unwrap();
/// assert_eq!((month.to_string().as_str(), force.as_str()), ("2019-01", "city-of-london"));
/// assert!(street_file_force_month(Path::new("2019-01-kent-outcomes.csv")).is_none());
/// ```
pub fn street_file_force_month(path: &Path) -> Option<(Month, String)> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".gz")
        .unwrap_or(name)
        .strip_suffix(".csv")?;
    let rest = stem.strip_suffix("-street")?;
    let (month, force) = (rest.get(..7)?, rest.get(7..)?.strip_prefix('-')?);
    let month = Month::parse(month).ok()?;
    let valid = !force.is_empty()
        && force
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    valid.then(|| (month, force.to_string()))
}

/// The police.uk slug of a police force area's name as boundary files write it: `&` is
/// `and`, an inverted name (`London, City of`) is put back in order, a trailing `Police`,
/// `Constabulary` or `Police Service` is dropped, and runs of other characters become `-`.
///
/// ```
/// use safemap_ingest::police_forces::force_slug;
/// assert_eq!(force_slug("Devon & Cornwall"), "devon-and-cornwall");
/// assert_eq!(force_slug("Metropolitan Police"), "metropolitan");
/// assert_eq!(force_slug("London, City of"), "city-of-london");
/// assert_eq!(force_slug("Dyfed-Powys"), "dyfed-powys");
/// ```
pub fn force_slug(name: &str) -> String {
    let name = name.trim();
    let name = match name.split_once(", ") {
        Some((head, tail)) => format!("{tail} {head}"),
        None => name.to_string(),
    };
    let mut words: Vec<String> = name
        .replace('&', " and ")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    while words.len() > 1
        && matches!(
            words.last().map(String::as_str),
            Some("police" | "constabulary" | "service")
        )
    {
        words.pop();
    }
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_police_uk_name_slugs_to_its_own_slug() {
        for (slug, name) in POLICE_UK_FORCES {
            if slug == "btp" || slug == "northern-ireland" {
                continue; // no police force area in England and Wales
            }
            assert_eq!(force_slug(name), slug, "{name}");
        }
    }

    #[test]
    fn ons_pfa_names_slug_to_police_uk_slugs() {
        for (name, slug) in [
            ("Avon and Somerset", "avon-and-somerset"),
            ("Devon & Cornwall", "devon-and-cornwall"),
            ("London, City of", "city-of-london"),
            ("Metropolitan Police", "metropolitan"),
            ("Greater Manchester", "greater-manchester"),
            ("West Midlands", "west-midlands"),
        ] {
            assert_eq!(force_slug(name), slug);
            assert!(force_name(slug).is_some(), "{slug}");
        }
    }

    #[test]
    fn street_file_names() {
        let p = |s: &str| street_file_force_month(Path::new(s));
        let month = |y, m| Month::new(y, m).unwrap();
        assert_eq!(
            p("2018-10-devon-and-cornwall-street.csv"),
            Some((month(2018, 10), "devon-and-cornwall".into()))
        );
        assert_eq!(
            p("2019-01-btp-street.csv.gz"),
            Some((month(2019, 1), "btp".into()))
        );
        for bad in [
            "a.csv",
            "2019-13-kent-street.csv",
            "2019-01--street.csv",
            "2019-01-kent-street.json",
            "2019_01-kent-street.csv",
            "2019-01-Kent-street.csv",
            "codes-street.csv",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}
