//! Loading and checking study files.
use super::*;

/// The smallest valid study: one police.uk source (other sections' tests build on it).
pub(super) const MINIMAL: &str = r#"
[study]
name = "t"
output_dir = "out"
[boundaries]
path = "b.geojson"
id_field = "code"
[[source]]
name = "police"
format = "police_uk"
paths = ["p/*.csv"]
join = "spatial"
"#;

/// `text` written as `study.toml` in a new temporary directory.
pub(super) fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn loads_minimal_study_with_defaults() {
    let (dir, path) = write(MINIMAL);
    let s = Study::load(&path).unwrap();
    assert_eq!(s.study.rate_per, 1000.0);
    assert_eq!(s.sources[0].edge_rule, EdgeRuleName::LowestAreaId);
    assert_eq!(
        s.resolve(Path::new("b.geojson")),
        dir.path().join("b.geojson")
    );
}

#[test]
fn unknown_key_is_named() {
    let (_dir, path) = write(&MINIMAL.replace("id_field", "colour = \"red\"\nid_field"));
    let err = Study::load(&path).unwrap_err().to_string();
    assert!(err.contains("unknown field `colour`"), "{err}");
    assert!(err.contains("study.toml"), "{err}");
}

#[test]
fn bad_values_are_named() {
    let (_dir, path) = write(&MINIMAL.replace("name = \"police\"", "name = \"Police UK\""));
    let err = Study::load(&path).unwrap_err().to_string();
    assert!(err.contains("source[0].name"), "{err}");
}

#[test]
fn every_period_is_checked_and_named() {
    let grid =
        "[grid]\nshape = \"square\"\ncell_size_m = 250\nsource = \"police\"\nthreshold_m = 500\n";
    let density = "[density]\nsource = \"police\"\ncell_size_m = 100\n";
    let analysis = "[weights]\nkind = \"queen\"\n[[analysis]]\nname = \"a\"\nsource = \"police\"\nstatistics = [\"gi_star\"]\n";
    let cases = [
        (
            "[period]\nfrom = \"2019-02\"\nto = \"2018-13\"\n",
            "period.to",
            "\"2018-13\"",
        ),
        (
            "[period]\nfrom = \"2019-2\"\nto = \"2019-12\"\n",
            "period.from",
            "\"2019-2\"",
        ),
        (
            "[period]\nfrom = \"2019-02\"\nto = \"2019-01\"\n",
            "period",
            "from (2019-02) is after to (2019-01)",
        ),
        (
            &format!("{grid}period = {{ from = \"2023-13\", to = \"2024-01\" }}\n"),
            "grid.period.from",
            "\"2023-13\"",
        ),
        (
            &format!("{density}period = {{ from = \"2024-01\", to = \"2023-12\" }}\n"),
            "density.period",
            "from (2024-01) is after to (2023-12)",
        ),
        (
            &format!("{analysis}period = {{ from = \"2024-01\", to = \"2024-00\" }}\n"),
            "analysis[0].period.to",
            "\"2024-00\"",
        ),
        (
            &format!("{analysis}period = {{ from = \"2024-02\", to = \"2024-01\" }}\n"),
            "analysis[0].period",
            "from (2024-02) is after to (2024-01)",
        ),
    ];
    for (extra, key, value) in cases {
        let (_dir, path) = write(&format!("{MINIMAL}{extra}"));
        let err = Study::load(&path).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Key { key: k, .. } if k == key),
            "{key}: {err:?}"
        );
        let err = err.to_string();
        assert!(
            err.contains(&format!("`{key}`")) && err.contains(value),
            "{err}"
        );
    }
    let (_dir, path) = write(&format!(
        "{MINIMAL}[period]\nfrom = \"2019-02\"\nto = \"2019-02\"\n{grid}period = {{ from = \"2019-02\", to = \"2019-02\" }}\n"
    ));
    let s = Study::load(&path).unwrap();
    assert_eq!(s.period, s.grid.and_then(|g| g.period));
    assert_eq!(s.period.map(MonthRange::len), Some(1));
}

#[test]
fn sensitivity_follows_the_data_whatever_the_source_is_called() {
    let events = |extra: &str| {
        MINIMAL.replace(
            "format = \"police_uk\"\npaths = [\"p/*.csv\"]\njoin = \"spatial\"",
            &format!(
                "format = \"events_csv\"\npaths = [\"e.csv\"]\njoin = \"spatial\"\n{extra}\
                 [source.columns]\nx = \"x\"\ny = \"y\"\ncrs = \"EPSG:27700\"\ntime = \"t\"\n\
                 time_format = \"%Y-%m-%d\"\ncategory = \"c\"\n"
            ),
        )
    };
    let sensitivity = |text: &str| {
        let (_dir, path) = write(text);
        Study::load(&path).unwrap().sources[0].sensitivity()
    };
    assert_eq!(sensitivity(MINIMAL), None);
    assert_eq!(sensitivity(&events("")), None);
    assert_eq!(
        sensitivity(&events("sensitive = true\n")),
        Some(Sensitivity::Declared)
    );
    let flagged = format!("{}domestic_abuse = \"da\"\n", events(""));
    assert_eq!(sensitivity(&flagged), Some(Sensitivity::DomesticAbuseFlag));
    let ed = MINIMAL.replace("\"police_uk\"", "\"ed_istv\"");
    assert_eq!(sensitivity(&ed), Some(Sensitivity::EdRecords));
}

#[test]
fn limits_default_to_the_readers_and_are_checked() {
    let (_dir, path) = write(MINIMAL);
    let s = Study::load(&path).unwrap();
    assert_eq!(
        s.limits.input_limits(),
        safemap_ingest::InputLimits::default()
    );
    let (_dir, path) = write(&format!(
        "{MINIMAL}[limits]\nmax_line_kib = 4\nmax_expansion_ratio = 1000\n"
    ));
    let limits = Study::load(&path).unwrap().limits.input_limits();
    assert_eq!(limits.max_line_bytes, 4096);
    assert_eq!(limits.max_expansion_ratio, 1000);
    assert_eq!(
        limits.max_decompressed_bytes,
        safemap_ingest::InputLimits::default().max_decompressed_bytes
    );
    let (_dir, path) = write(&format!("{MINIMAL}[limits]\nmax_decompressed_mib = 0\n"));
    let err = Study::load(&path).unwrap_err().to_string();
    assert!(err.contains("limits.max_decompressed_mib"), "{err}");
    let (_dir, path) = write(&format!("{MINIMAL}[limits]\nmax_lines = 3\n"));
    let err = Study::load(&path).unwrap_err().to_string();
    assert!(err.contains("unknown field `max_lines`"), "{err}");
}

#[test]
fn evaluations_default_and_are_checked_naming_the_key() {
    let ev = "[[evaluation]]\nname = \"e\"\nsource = \"police\"\nhotspots = \"top_share\"\ntop_share = 0.05\n";
    let (_dir, path) = write(&format!("{MINIMAL}{ev}"));
    let s = Study::load(&path).unwrap();
    let e = &s.evaluations[0];
    assert_eq!(
        e.unit_kinds(&s),
        [UnitKind::Areas],
        "no [grid]: the areas only"
    );
    assert_eq!(
        (e.rolling.train_months, e.rolling.test_months),
        (12, 1),
        "a year's hotspots against the next month"
    );
    assert!(!e.needs_area_weights(&s), "top share needs no weights");
    assert!(!s.uses_points("police"), "areas need no event locations");
    let grid =
        "[grid]\nshape = \"square\"\ncell_size_m = 250\nsource = \"police\"\nthreshold_m = 500\n";
    let (_dir, path) = write(&format!("{MINIMAL}{grid}{ev}"));
    let s = Study::load(&path).unwrap();
    assert_eq!(
        s.evaluations[0].unit_kinds(&s),
        [UnitKind::Areas, UnitKind::Grid]
    );
    let weights = "[weights]\nkind = \"queen\"\n";
    let gi = "[[evaluation]]\nname = \"e\"\nsource = \"police\"\n";
    let analysis =
        "[[analysis]]\nname = \"a\"\nsource = \"police\"\nstatistics = [\"local_moran\"]\n";
    let cases = [
        (format!("{ev}colour = 1\n"), "unknown field `colour`"),
        (format!("{ev}rolling = {{ months = 3 }}\n"), "unknown field `months`"),
        (format!("{ev}{ev}"), "evaluation[1].name"),
        (ev.replace("source = \"police\"", "source = \"ed\""), "evaluation[0].source"),
        (ev.replace("top_share = 0.05\n", ""), "evaluation[0].top_share"),
        (ev.replace("0.05", "1.5"), "evaluation[0].top_share"),
        (format!("{gi}top_share = 0.1\n"), "evaluation[0].top_share"),
        (gi.to_string(), "evaluation[0].hotspots"),
        (format!("{ev}units = [\"grid\"]\n"), "evaluation[0].units"),
        (format!("{ev}units = []\n"), "evaluation[0].units"),
        (format!("{ev}units = [\"areas\", \"areas\"]\n"), "evaluation[0].units"),
        (
            format!("{ev}train = {{ from = \"2024-01\", to = \"2024-06\" }}\n"),
            "evaluation[0].train",
        ),
        (
            format!("{ev}train = {{ from = \"2024-01\", to = \"2024-06\" }}\ntest = {{ from = \"2024-06\", to = \"2024-07\" }}\n"),
            "evaluation[0].test",
        ),
        (
            format!("[period]\nfrom = \"2024-01\"\nto = \"2024-12\"\n{ev}train = {{ from = \"2023-01\", to = \"2024-06\" }}\ntest = {{ from = \"2024-07\", to = \"2024-12\" }}\n"),
            "evaluation[0].train",
        ),
        (
            format!("[period]\nfrom = \"2024-01\"\nto = \"2024-12\"\n{ev}period = {{ from = \"2024-01\", to = \"2025-01\" }}\n"),
            "evaluation[0].period",
        ),
        (format!("{ev}rolling = {{ test_months = 0 }}\n"), "evaluation[0].rolling"),
        (
            format!("{weights}{analysis}[[evaluation]]\nname = \"e\"\nanalysis = \"a\"\n"),
            "evaluation[0].analysis",
        ),
        (
            format!("{weights}{analysis}[[evaluation]]\nname = \"e\"\nanalysis = \"a\"\nsource = \"police\"\n"),
            "evaluation[0].source",
        ),
    ];
    for (extra, expected) in cases {
        let (_dir, path) = write(&format!("{MINIMAL}{extra}"));
        let err = Study::load(&path).unwrap_err().to_string();
        assert!(err.contains(expected), "{extra}\n{err}");
    }
    // An analysis with a Gi statistic brings its source and category.
    let gi_analysis = analysis.replace("local_moran", "gi_star") + "category = \"burglary\"\n";
    let (_dir, path) = write(&format!(
        "{MINIMAL}{weights}{gi_analysis}[[evaluation]]\nname = \"e\"\nanalysis = \"a\"\n"
    ));
    let s = Study::load(&path).unwrap();
    let e = &s.evaluations[0];
    assert_eq!(
        (e.source_name(&s), e.category_name(&s)),
        ("police", Some("burglary"))
    );
    assert!(e.needs_area_weights(&s));
}

#[test]
fn services_take_a_fixed_kind_an_encoding_and_any_delimiter() {
    let nhs = "[services]\npath = \"GP.csv\"\nencoding = \"cp1252\"\ndelimiter = \"¬\"\n\
               kind = \"gp_practice\"\nconfidential = false\n\
               [services.columns]\nid = \"OrganisationCode\"\nlatitude = \"Latitude\"\n";
    let (_dir, path) = write(&format!("{MINIMAL}{nhs}"));
    let s = Study::load(&path).unwrap();
    let services = s.services.unwrap();
    assert_eq!(services.kind, Some(safemap_types::ServiceKind::GP_PRACTICE));
    assert_eq!(services.confidential, Some(false));
    let dialect = services.dialect().unwrap();
    assert_eq!(
        (dialect.encoding(), dialect.delimiter()),
        (safemap_ingest::Encoding::Cp1252, '¬')
    );
    // Defaults: UTF-8 and a comma.
    let (_dir, path) = write(&format!("{MINIMAL}[services]\npath = \"s.csv\"\n"));
    let dialect = Study::load(&path).unwrap().services.unwrap().dialect();
    assert_eq!(dialect, Ok(safemap_ingest::CsvDialect::default()));
    // Each bad value is named with its key.
    for (bad, key, says) in [
        ("kind = \"GP practice\"", "services.kind", "lower-case"),
        (
            "encoding = \"ebcdic\"",
            "services.encoding",
            "unknown variant",
        ),
        ("delimiter = \"ab\"", "services.delimiter", "char"),
    ] {
        let (_dir, path) = write(&format!("{MINIMAL}[services]\npath = \"s.csv\"\n{bad}\n"));
        let err = Study::load(&path).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Key { key: k, .. } if k == key),
            "{bad}: {err:?}"
        );
        assert!(err.to_string().contains(says), "{err}");
    }
    let (_dir, path) = write(&format!(
        "{MINIMAL}[services]\npath = \"s.csv\"\ndelimiter = '\"'\n"
    ));
    let err = Study::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("`services.delimiter`") && err.contains("cannot be a delimiter"),
        "{err}"
    );
}

#[test]
fn gdal_point_sources_need_the_feature_and_only_they_take_a_layer() {
    let gdal = "[[source]]\nname = \"force\"\nformat = \"events_gdal\"\npaths = [\"f.gpkg\"]\n\
                join = \"spatial\"\nlayer = \"incidents\"\n[source.columns]\ntime = \"t\"\n\
                time_format = \"%Y-%m\"\ncategory = \"c\"\n";
    let (_dir, path) = write(&format!("{MINIMAL}{gdal}"));
    let loaded = Study::load(&path);
    #[cfg(feature = "gdal")]
    assert_eq!(
        loaded.unwrap().sources[1].layer.as_deref(),
        Some("incidents")
    );
    #[cfg(not(feature = "gdal"))]
    {
        let err = loaded.unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { key, .. } if key == "source[1].format"),
            "{err:?}"
        );
        assert!(err.to_string().contains("gdal feature"), "{err}");
    }
    let csv = gdal.replace("events_gdal", "events_csv");
    let (_dir, path) = write(&format!("{MINIMAL}{csv}"));
    let err = Study::load(&path).unwrap_err();
    assert!(
        matches!(&err, ConfigError::Invalid { key, .. } if key == "source[1].layer"),
        "{err:?}"
    );
}

#[test]
fn csv_sources_take_an_encoding_and_a_delimiter() {
    let excel = "[[source]]\nname = \"force\"\nformat = \"events_csv\"\npaths = [\"f.csv\"]\n\
                 join = \"spatial\"\nencoding = \"windows-1252\"\ndelimiter = \";\"\n\
                 [source.columns]\nx = \"x\"\ny = \"y\"\ncrs = \"EPSG:27700\"\ntime = \"t\"\n\
                 time_format = \"%d/%m/%Y %H:%M\"\ncategory = \"c\"\n";
    let (_dir, path) = write(&format!("{MINIMAL}{excel}"));
    let s = Study::load(&path).unwrap();
    let dialect = s.sources[1].dialect().unwrap();
    assert_eq!(
        (dialect.encoding(), dialect.delimiter()),
        (safemap_ingest::Encoding::Cp1252, ';')
    );
    assert_eq!(
        s.sources[0].dialect(),
        Ok(safemap_ingest::CsvDialect::default())
    );
    // data.police.uk and Parquet files have no dialect to choose; a delimiter must split.
    let police = MINIMAL.replace(
        "join = \"spatial\"",
        "join = \"spatial\"\nencoding = \"cp1252\"",
    );
    let parquet = excel
        .replace("events_csv", "events_parquet")
        .replace("encoding = \"windows-1252\"\n", "");
    let quote = excel.replace("delimiter = \";\"", "delimiter = '\"'");
    for (study, key, says) in [
        (
            police,
            "source[0].encoding",
            "data.police.uk files are UTF-8",
        ),
        (
            format!("{MINIMAL}{parquet}"),
            "source[1].delimiter",
            "Parquet has neither",
        ),
        (
            format!("{MINIMAL}{quote}"),
            "source[1].delimiter",
            "cannot be a delimiter",
        ),
    ] {
        let (_dir, path) = write(&study);
        let err = Study::load(&path).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { key: k, .. } if k == key),
            "{key}: {err:?}"
        );
        assert!(err.to_string().contains(says), "{err}");
    }
}
