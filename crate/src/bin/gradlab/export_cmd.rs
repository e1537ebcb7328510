//! `gradlab export`: the experiment as a Keras script or notebook, with the
//! data of the config's bundled dataset or of files given by path.
//!
//! ```text
//! gradlab export <config.json> [--format py|ipynb] [-o FILE] [--model MODEL.json]
//!     [--csv FILE [--label COL] [--task classification|regression] [--header yes|no]
//!                 [--skip-lines N] [--scaling standardize|min_max|none]
//!                 [--text-columns one_hot|refuse] [--test-fraction F]]
//!     [--idx IMAGES LABELS [--idx-test IMAGES LABELS]]
//! ```
//! With `--csv` or `--idx` the files are read (gzip or not), imported as the
//! page does, and the config is validated against them; the import's
//! decisions are printed to stderr. `COL` is a column name or a 0-based index.
//! Without `-o` the text goes to stdout.

use std::path::{Path, PathBuf};

use gradlab::config::ExperimentConfig;
use gradlab::data::{self, import_csv, CsvImport, LabelColumn, Scaling, Task, TextColumns};
use gradlab::export::{export, DataSource, Format};

pub const USAGE: &str = "  gradlab export <config.json> [--format py|ipynb] [-o FILE] [--model MODEL.json]
      [--csv FILE [--label COL] [--task classification|regression] [--header yes|no] [--skip-lines N]
                  [--scaling standardize|min_max|none] [--text-columns one_hot|refuse] [--test-fraction F]]
      [--idx IMAGES LABELS [--idx-test IMAGES LABELS]]";

#[derive(Default)]
struct Args {
    config: Option<PathBuf>,
    format: Option<String>,
    output: Option<PathBuf>,
    model: Option<PathBuf>,
    csv: Option<PathBuf>,
    csv_options: CsvImport,
    idx: Option<[PathBuf; 2]>,
    idx_test: Option<[PathBuf; 2]>,
}

fn enum_value<T: serde::de::DeserializeOwned>(flag: &str, v: &str, choices: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(v.to_string()))
        .map_err(|_| format!("{flag} is '{v}'; use one of: {choices}"))
}

fn parse(raw: &[String]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let o = &mut a.csv_options;
        match arg.as_str() {
            "--format" => a.format = Some(value("--format")?),
            "-o" | "--output" => a.output = Some(value("-o")?.into()),
            "--model" => a.model = Some(value("--model")?.into()),
            "--csv" => a.csv = Some(value("--csv")?.into()),
            "--label" => {
                let v = value("--label")?;
                o.label = Some(v.parse().map_or(LabelColumn::Name(v), LabelColumn::Index));
            }
            "--task" => o.task = Some(enum_value("--task", &value("--task")?, "classification, regression")?),
            "--header" => {
                o.header = Some(match value("--header")?.as_str() {
                    "yes" | "true" => true,
                    "no" | "false" => false,
                    v => return Err(format!("--header is '{v}'; use yes or no")),
                })
            }
            "--skip-lines" => {
                o.skip_lines = Some(
                    value("--skip-lines")?
                        .parse()
                        .map_err(|_| "--skip-lines needs a whole number")?,
                )
            }
            "--scaling" => {
                o.scaling = enum_value::<Scaling>("--scaling", &value("--scaling")?, "standardize, min_max, none")?
            }
            "--text-columns" => {
                o.text_columns =
                    enum_value::<TextColumns>("--text-columns", &value("--text-columns")?, "one_hot, refuse")?
            }
            "--test-fraction" => {
                o.test_fraction = value("--test-fraction")?
                    .parse()
                    .map_err(|_| "--test-fraction needs a number, e.g. 0.2")?
            }
            "--idx" => a.idx = Some([value("--idx")?.into(), value("--idx")?.into()]),
            "--idx-test" => a.idx_test = Some([value("--idx-test")?.into(), value("--idx-test")?.into()]),
            s if s.starts_with('-') => return Err(format!("unknown option '{s}'")),
            s if a.config.is_none() => a.config = Some(s.into()),
            s => return Err(format!("unexpected argument '{s}'")),
        }
    }
    if a.csv.is_some() && a.idx.is_some() {
        return Err("give either --csv or --idx, not both".into());
    }
    if a.idx_test.is_some() && a.idx.is_none() {
        return Err("--idx-test needs --idx (the training images and labels)".into());
    }
    Ok(a)
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    data::gunzip(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// The data source and, for files, the config checked against their train part.
fn source(a: &Args, config: &ExperimentConfig) -> Result<DataSource, String> {
    let check = |train: &data::Dataset| config.validate(train).map_err(|e| e.to_string());
    if let Some(path) = &a.csv {
        let imported = import_csv(&config.dataset, &read(path)?, &a.csv_options, config.seed)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        check(&imported.train)?;
        let r = &imported.report;
        eprintln!(
            "{}: {} rows ({} train, {} test), label column {} ('{}'), {}, {} features",
            path.display(),
            r.rows,
            r.train,
            r.test,
            r.label_column,
            r.columns[r.label_column],
            if r.task == Task::Regression {
                "regression"
            } else {
                "classification"
            },
            r.features.len()
        );
        r.notes.iter().for_each(|n| eprintln!("  {n}"));
        return Ok(DataSource::Csv {
            file_name: file_name(path),
            report: imported.report,
        });
    }
    if let Some([images, labels]) = &a.idx {
        let ds = data::dataset_from_idx(&config.dataset, &read(images)?, &read(labels)?)
            .map_err(|e| format!("{}: {e}", images.display()))?;
        if let Some([ti, tl]) = &a.idx_test {
            let test = data::dataset_from_idx(&config.dataset, &read(ti)?, &read(tl)?)
                .map_err(|e| format!("{}: {e}", ti.display()))?;
            if test.sample_shape != ds.sample_shape {
                return Err(format!(
                    "the test images are {:?} but the training images {:?}; use images of one size",
                    test.sample_shape, ds.sample_shape
                ));
            }
        }
        check(&ds)?;
        return Ok(DataSource::Idx {
            train: [file_name(images), file_name(labels)],
            test: a.idx_test.as_ref().map(|[i, l]| [file_name(i), file_name(l)]),
            sample_shape: ds.sample_shape.clone(),
            num_classes: ds.num_classes().unwrap_or(0),
        });
    }
    data::info(&config.dataset).map_err(|e| e.to_string())?;
    Ok(DataSource::Bundled)
}

/// Run `gradlab export` with the arguments after "export".
pub fn run(raw: &[String]) -> Result<(), String> {
    let a = parse(raw).map_err(|e| format!("{e}\nusage:\n{USAGE}"))?;
    let config_path = a
        .config
        .clone()
        .ok_or(format!("missing the config file\nusage:\n{USAGE}"))?;
    let bytes = std::fs::read(&config_path).map_err(|e| format!("cannot read {}: {e}", config_path.display()))?;
    let config = ExperimentConfig::from_json(&bytes).map_err(|e| format!("{}: {e}", config_path.display()))?;
    let format = match (&a.format, &a.output) {
        (Some(f), _) => Format::from_name(f).map_err(|e| e.to_string())?,
        (None, Some(o)) if o.extension().is_some_and(|e| e == "ipynb") => Format::Notebook,
        _ => Format::Python,
    };
    let source = source(&a, &config)?;
    let model = match &a.model {
        Some(p) => Some(std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?),
        None => None,
    };
    let text = export(&config, &source, model.as_deref(), format).map_err(|e| e.to_string())?;
    match &a.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
