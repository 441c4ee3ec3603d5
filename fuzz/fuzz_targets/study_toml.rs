//! Study TOML files through `Study::load` (parse and checks; no input file is opened).
#![no_main]

use libfuzzer_sys::fuzz_target;
use safemap_engine::config::ConfigError;
use safemap_engine::Study;
use safemap_fuzz::write;

fuzz_target!(|data: &[u8]| {
    let path = write("study.toml", data);
    match Study::load(&path) {
        Ok(study) => {
            assert_eq!(study.file, path);
            assert_eq!(study.base_dir, path.parent().expect("parent"));
        }
        Err(ConfigError::Key { line, .. }) => {
            let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(
                (1..=lines).contains(&line),
                "key error at line {line} of {lines}"
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
