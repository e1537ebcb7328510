//! `gradlab export`: the experiment as a Keras script or notebook, with the
//! data of the config's bundled dataset or of files given by path
//! ([`super::data_args`]).
//!
//! ```text
//! gradlab export <config.json> [--format py|ipynb] [-o FILE] [--model MODEL.json] [data by path]
//! ```
//! With `--csv` or `--idx` the files are read (gzip or not), imported as the
//! page does, and the config is validated against them. The format defaults
//! to the extension of `-o` (else py); without `-o` the text goes to stdout.

use std::path::PathBuf;

use gradlab::data;
use gradlab::export::{export, DataSource, Format};

use super::data_args;

pub const USAGE: &str =
    "  gradlab export <config.json> [--format py|ipynb] [-o FILE] [--model MODEL.json] [data by path]";

/// Run `gradlab export` with the arguments after "export".
pub fn run(raw: &[String]) -> Result<(), String> {
    let usage = || format!("\nusage:\n{USAGE}\n{}", data_args::USAGE);
    let (rest, data_args) = data_args::take(raw).map_err(|e| e + &usage())?;
    let (mut config_path, mut format, mut output, mut model) = (None, None, None::<PathBuf>, None::<PathBuf>);
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value{}", usage()));
        match arg.as_str() {
            "--format" => format = Some(value("--format")?),
            "-o" | "--output" => output = Some(value("-o")?.into()),
            "--model" => model = Some(value("--model")?.into()),
            s if s.starts_with('-') => return Err(format!("unknown option '{s}'{}", usage())),
            s if config_path.is_none() => config_path = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument '{s}'{}", usage())),
        }
    }
    let config_path = config_path.ok_or(format!("missing the config file{}", usage()))?;
    let config = data_args.read_config(&config_path)?;
    let format = match (&format, &output) {
        (Some(f), _) => Format::from_name(f).map_err(|e| e.to_string())?,
        (None, Some(o)) if o.extension().is_some_and(|e| e == "ipynb") => Format::Notebook,
        _ => Format::Python,
    };
    let source = match data_args.load(&config.dataset, config.seed)? {
        Some(d) => {
            config.validate(&d.train).map_err(|e| e.to_string())?;
            d.source
        }
        None => {
            data::info(&config.dataset).map_err(|e| e.to_string())?;
            DataSource::Bundled
        }
    };
    let model = match &model {
        Some(p) => Some(std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?),
        None => None,
    };
    let text = export(&config, &source, model.as_deref(), format).map_err(|e| e.to_string())?;
    match &output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
