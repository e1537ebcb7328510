//! Data given by path on the command line, for `train`, `summary`, `validate`
//! and `export`: a CSV table with the import options of the page, or an IDX
//! pair (gzip or not) with an optional test pair.
//!
//! ```text
//! --csv FILE [--label COL] [--task classification|regression] [--header yes|no] [--skip-lines N]
//!            [--scaling standardize|min_max|none] [--text-columns one_hot|refuse] [--test-fraction F]
//! --idx IMAGES LABELS [--idx-test IMAGES LABELS]
//! ```
//! `COL` is a column name or a 0-based index. Without `--idx-test`, 20 % of
//! each class of the IDX pair is held out as the test part (stratified).

use std::path::{Path, PathBuf};

use gradlab::config::ExperimentConfig;
use gradlab::data::{self, import_csv, CsvImport, Dataset, LabelColumn, Scaling, Task, TextColumns};
use gradlab::export::DataSource;

pub const USAGE: &str = "  data by path (train, summary, validate, export):
      --csv FILE [--label COL] [--task classification|regression] [--header yes|no] [--skip-lines N]
                 [--scaling standardize|min_max|none] [--text-columns one_hot|refuse] [--test-fraction F]
      --idx IMAGES LABELS [--idx-test IMAGES LABELS]";

#[derive(Default)]
pub struct DataArgs {
    csv: Option<PathBuf>,
    options: CsvImport,
    idx: Option<[PathBuf; 2]>,
    idx_test: Option<[PathBuf; 2]>,
}

/// A dataset read from paths: its parts and how the export reloads it.
pub struct PathData {
    pub train: Dataset,
    pub test: Dataset,
    pub source: DataSource,
}

fn enum_value<T: serde::de::DeserializeOwned>(flag: &str, v: &str, choices: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(v.to_string()))
        .map_err(|_| format!("{flag} is '{v}'; use one of: {choices}"))
}

/// Split the data options off `raw`; the other arguments are returned in order.
pub fn take(raw: &[String]) -> Result<(Vec<String>, DataArgs), String> {
    let mut a = DataArgs::default();
    let mut rest = Vec::new();
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let o = &mut a.options;
        match arg.as_str() {
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
            _ => rest.push(arg.clone()),
        }
    }
    if a.csv.is_some() && a.idx.is_some() {
        return Err("give either --csv or --idx, not both".into());
    }
    if a.idx_test.is_some() && a.idx.is_none() {
        return Err("--idx-test needs --idx (the training images and labels)".into());
    }
    Ok((rest, a))
}

/// The file at `path`, gunzipped if it is gzip; errors name the file.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    data::gunzip(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn idx_pair(name: &str, [images, labels]: &[PathBuf; 2]) -> Result<Dataset, String> {
    data::dataset_from_idx(name, &read(images)?, &read(labels)?).map_err(|e| format!("{}: {e}", images.display()))
}

impl DataArgs {
    /// Read the config file at `path` and parse it as [`parse_config`](Self::parse_config)
    /// does; errors name the file.
    pub fn read_config(&self, path: &Path) -> Result<ExperimentConfig, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        self.parse_config(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parse the config. With data given by path, its `dataset` names that
    /// data (any name, as before the config's fields were checked against
    /// the catalogue), so only the other fields are checked here.
    fn parse_config(&self, bytes: &[u8]) -> gradlab::Result<ExperimentConfig> {
        let by_path = self.csv.is_some() || self.idx.is_some();
        let named = serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| match &v["dataset"] {
                serde_json::Value::String(name) if by_path && data::info(name).is_err() => {
                    Some((v.clone(), name.clone()))
                }
                _ => None,
            });
        let Some((mut v, name)) = named else {
            return ExperimentConfig::from_json(bytes);
        };
        v["dataset"] = serde_json::Value::String(data::catalogue()[0].name.to_string());
        let mut config = ExperimentConfig::from_json(v.to_string().as_bytes())?;
        config.dataset = name;
        Ok(config)
    }

    /// The data named by the options (named `name`, split with `seed`), or
    /// `None` when no path was given. The CSV import's decisions go to stderr.
    pub fn load(&self, name: &str, seed: u64) -> Result<Option<PathData>, String> {
        if let Some(path) = &self.csv {
            let imported =
                import_csv(name, &read(path)?, &self.options, seed).map_err(|e| format!("{}: {e}", path.display()))?;
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
            return Ok(Some(PathData {
                source: DataSource::Csv {
                    file_name: file_name(path),
                    report: imported.report.clone(),
                },
                train: imported.train,
                test: imported.test,
            }));
        }
        let Some(pair) = &self.idx else {
            return Ok(None);
        };
        let ds = idx_pair(name, pair)?;
        let (train, test) = match &self.idx_test {
            Some(test_pair) => {
                let test = idx_pair(name, test_pair)?;
                if test.sample_shape != ds.sample_shape {
                    return Err(format!(
                        "the test images are {:?} but the training images {:?}; use images of one size",
                        test.sample_shape, ds.sample_shape
                    ));
                }
                (ds, test)
            }
            None => {
                let labels: Vec<u32> = (0..ds.len()).map(|i| ds.label(i).unwrap_or(0)).collect();
                let (tr, te) =
                    data::stratified_split(&labels, data::bundled::TEST_FRACTION, seed).map_err(|e| e.to_string())?;
                (ds.subset(&tr), ds.subset(&te))
            }
        };
        Ok(Some(PathData {
            source: DataSource::Idx {
                train: [file_name(&pair[0]), file_name(&pair[1])],
                test: self.idx_test.as_ref().map(|[i, l]| [file_name(i), file_name(l)]),
                sample_shape: train.sample_shape.clone(),
                num_classes: train.num_classes().unwrap_or(0),
            },
            train,
            test,
        }))
    }
}
