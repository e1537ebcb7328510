//! The name a config gives a user's uploaded data: `upload:<file>@<hash>`,
//! where `<file>` is the file's name (the images file of an IDX pair) and
//! `<hash>` the first 12 lowercase hex digits of the SHA-256 of its bytes (of
//! both files of an IDX pair, images then labels). The page's link carries
//! it, so an experiment on user data names its file and can ask for it (and
//! check it) where the file is not at hand. Nothing here reads the file.
//!
//! A CSV upload's name also says how the file was read: its import options in
//! their link form follow in parentheses, `upload:iris.csv@ab12cd34ef56(header=true,label=species)`
//! (see [`super::csv_link`]); without them every option is detected. So two
//! readings of one file are two datasets, and a link restores the same one.

use crate::error::data_err;
use crate::Result;

use super::csv_import::CsvImport;
use super::csv_link::{options_text, parse_options_text};

/// The prefix of every uploaded dataset's name.
pub const UPLOAD_PREFIX: &str = "upload:";
/// Hex digits of the SHA-256 kept in the name.
pub const HASH_DIGITS: usize = 12;

/// `upload:<file>@<first 12 hex digits of sha256_hex>`, or `None` when the
/// file name is empty or holds `@`, or the hash has fewer than 12 hex digits.
pub fn upload_name(file: &str, sha256_hex: &str) -> Option<String> {
    let hash = sha256_hex.get(..HASH_DIGITS)?.to_ascii_lowercase();
    let name = format!("{UPLOAD_PREFIX}{}@{hash}", file.trim());
    parse_upload_name(&name).is_some().then_some(name)
}

/// `(file, hash)` of an uploaded dataset's name, or `None` when `name` is not
/// one. The options in parentheses are not checked here ([`upload_options`]).
pub fn parse_upload_name(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix(UPLOAD_PREFIX)?;
    let (file, tail) = rest.split_once('@')?;
    let hash = tail.get(..HASH_DIGITS)?;
    let options = &tail[HASH_DIGITS..];
    let file_ok = !file.trim().is_empty() && !file.chars().any(char::is_control);
    let hash_ok = hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let options_ok = options.is_empty() || (options.starts_with('(') && options.ends_with(')') && options.len() > 2);
    (file_ok && hash_ok && options_ok).then_some((file, hash))
}

/// The name without its options: `upload:<file>@<hash>` (the file's bytes).
pub fn upload_base(name: &str) -> Option<String> {
    let (file, hash) = parse_upload_name(name)?;
    Some(format!("{UPLOAD_PREFIX}{file}@{hash}"))
}

/// The CSV import options an upload's name gives (all detected without any);
/// a wrong option is an error saying which.
pub fn upload_options(name: &str) -> Result<CsvImport> {
    let Some((file, hash)) = parse_upload_name(name) else {
        return data_err(format!(
            "\"{name}\" is not an upload name like upload:iris.csv@ab12cd34ef56"
        ));
    };
    let start = UPLOAD_PREFIX.len() + file.len() + 1 + hash.len();
    match name.get(start + 1..name.len() - 1) {
        Some(text) if name.len() > start => parse_options_text(text),
        _ => Ok(CsvImport::default()),
    }
}

/// The name of `name`'s file read with `opts`: its base and the options' link form.
pub fn csv_upload_name(name: &str, opts: &CsvImport) -> Option<String> {
    let base = upload_base(name)?;
    let text = options_text(opts);
    Some(if text.is_empty() {
        base
    } else {
        format!("{base}({text})")
    })
}

/// "this experiment uses iris.csv (sha256 ab12cd34ef56…): choose that file in the Data section".
pub fn missing_upload_message(name: &str) -> Option<String> {
    let (file, hash) = parse_upload_name(name)?;
    if let Err(crate::Error::Data(e) | crate::Error::Config(e)) = upload_options(name) {
        return Some(format!("the reading options in this upload's name are not valid: {e}"));
    }
    Some(format!(
        "this experiment uses your file {file} (sha256 {hash}…), which is not loaded here: \
         choose that file with \"Upload data…\" in the Data section"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bad_forms_are_refused() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad (FIPS 180-2, B.1).
        let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let n = upload_name("iris.csv", sha).unwrap();
        assert_eq!(n, "upload:iris.csv@ba7816bf8f01");
        assert_eq!(parse_upload_name(&n), Some(("iris.csv", "ba7816bf8f01")));
        assert_eq!(
            upload_name("a.csv", &sha.to_uppercase()).unwrap(),
            "upload:a.csv@ba7816bf8f01"
        );
        for bad in [
            "iris",
            "upload:iris.csv",
            "upload:@ba7816bf8f01",
            "upload:iris.csv@ba7816bf8f0",
            "upload:iris.csv@ba7816bf8f01a",
            "upload:iris.csv@BA7816BF8F01",
            "upload:iris.csv@ba7816bf8f0g",
            "upload:a@b.csv@ba7816bf8f01",
            "upload:iris.csv@ba7816bf8f01(",
            "upload:iris.csv@ba7816bf8f01()",
            "upload:iris.csv@ba7816bf8f01x(header=true)",
        ] {
            assert_eq!(parse_upload_name(bad), None, "{bad}");
        }
        assert_eq!(upload_name("", sha), None);
        assert_eq!(upload_name("x.csv", "abc"), None);
        let m = missing_upload_message(&n).unwrap();
        assert!(m.contains("iris.csv") && m.contains("ba7816bf8f01"), "{m}");
    }

    #[test]
    fn a_config_may_name_an_upload_and_inspect_asks_for_the_file() {
        let json = r#"{"dataset":"upload:iris.csv@ba7816bf8f01","layers":[{"type":"Dense","units":3}],
            "loss":"categorical_crossentropy","optimizer":"adam"}"#;
        let config = crate::config::ExperimentConfig::from_json(json.as_bytes()).unwrap();
        assert_eq!(config.dataset, "upload:iris.csv@ba7816bf8f01");
        let i = crate::inspect::inspect(json);
        assert!(!i.ok);
        assert_eq!(i.problems[0].path, "dataset");
        assert!(i.problems[0].message.contains("choose that file"), "{:?}", i.problems);
        // A malformed upload name is still an unknown dataset.
        let bad = json.replace("@ba7816bf8f01", "@xyz");
        assert!(crate::config::ExperimentConfig::from_json(bad.as_bytes()).is_err());
    }
}
