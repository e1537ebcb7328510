//! Importing a user's CSV table: the options of the page's upload dialog and
//! of the CLI (`--csv FILE --label COL`), on top of the parser in [`super::csv`].
//!
//! Every option has a detected default that can be overridden:
//! - `skip_lines`: lines dropped before anything else. Default: a scikit-learn
//!   description line `n_samples,n_features[,class names…]` is recognised and
//!   skipped when `n_samples` is the number of rows below it and
//!   `n_features + 1` their width; its class names then name the classes.
//! - `header`: default: there is a header when some column holds text on the
//!   first line and a number on the second.
//! - `label`: default: the first column named `label`, `target`, `class` or `y`
//!   (any case), else the last column.
//! - `task`: default: classification if some label is not a number, or all are
//!   whole numbers with at most [`MAX_GUESSED_CLASSES`] distinct values;
//!   regression otherwise. Classification of fractional numbers with more than
//!   [`MAX_GUESSED_CLASSES`] distinct values is refused ("did you mean regression?").
//! - text feature columns (no cell is a number): one-hot encoded, one 0/1
//!   feature per category in sorted order (`color=blue`, `color=red`), or
//!   refused; a column mixing numbers and text is an error at its first text cell.
//! - split: stratified for classification ([`stratified_split`]), random for
//!   regression ([`random_split`]); `test_fraction` of the rows go to test.
//! - scaling, fitted on the TRAIN part and applied to both:
//!   standardise `x' = (x − mean)/std` (the default), min-max
//!   `x' = (x − min)/(max − min)` (stored as `Standardize { mean: min, std: max − min }`;
//!   a constant feature gets `std` 1), or none.

use serde::{Deserialize, Serialize};

use crate::error::data_err;
use crate::Result;

use super::csv::{as_class_index, check_widths, class_targets, parse_number, resolve_label_column, Row};
use super::csv_detect::{default_label, description_names, detect_header, guess_task, refuse_many_fractional};
use super::csv_encode::{encode_features, fit_min_max};
use super::csv_job::CsvJob;
use super::dataset::{Dataset, Features, Normalization, Targets, Task};
use super::split::{random_split, stratified_split};
use super::LabelColumn;

/// Feature scaling, fitted on the train part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    #[default]
    Standardize,
    MinMax,
    None,
}

/// What to do with a feature column that holds text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TextColumns {
    #[default]
    OneHot,
    Refuse,
}

/// The import options; `None` means "detect" (see the module doc).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsvImport {
    pub skip_lines: Option<usize>,
    pub header: Option<bool>,
    pub label: Option<LabelColumn>,
    pub task: Option<Task>,
    pub scaling: Scaling,
    pub text_columns: TextColumns,
    /// Fraction of the rows held out as the test part, in (0, 1).
    pub test_fraction: f32,
    /// `None`: detect `,` `;` tab or spaces.
    pub delimiter: Option<char>,
}

impl Default for CsvImport {
    fn default() -> Self {
        CsvImport {
            skip_lines: None,
            header: None,
            label: None,
            task: None,
            scaling: Scaling::Standardize,
            text_columns: TextColumns::OneHot,
            test_fraction: 0.2,
            delimiter: None,
        }
    }
}

/// A text column turned into one 0/1 feature per category.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OneHotColumn {
    /// 0-based column index in the file.
    pub column: usize,
    pub name: String,
    pub categories: Vec<String>,
}

/// What the import decided, for the page to show and the export to reproduce.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CsvReport {
    pub skipped_lines: usize,
    pub header: bool,
    /// Column names: the header's, else "column 1", "column 2", ….
    pub columns: Vec<String>,
    pub delimiter: char,
    pub label_column: usize,
    pub task: Task,
    /// True when `task` was guessed (not given).
    pub task_guessed: bool,
    /// Classification: the labels are whole numbers used as class indices.
    pub labels_are_indices: bool,
    pub class_names: Vec<String>,
    /// Feature names in order (one per one-hot category).
    pub features: Vec<String>,
    pub one_hot: Vec<OneHotColumn>,
    pub text_columns: TextColumns,
    pub scaling: Scaling,
    pub test_fraction: f32,
    pub rows: usize,
    pub train: usize,
    pub test: usize,
    /// Sentences about the detected choices, for the page.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct ImportedCsv {
    pub train: Dataset,
    pub test: Dataset,
    pub report: CsvReport,
}

/// Whole-number labels with more distinct values than this are guessed to be
/// a regression target; fractional ones are refused as classes.
pub const MAX_GUESSED_CLASSES: usize = 100;
/// Most categories a one-hot encoded text column may have.
pub const MAX_CATEGORIES: usize = 100;

/// Import a CSV table: train and test parts (split with `seed`) and the report.
pub fn import_csv(name: &str, bytes: &[u8], opts: &CsvImport, seed: u64) -> Result<ImportedCsv> {
    let mut job = CsvJob::new(name, bytes, opts.clone(), seed);
    job.step(bytes, usize::MAX);
    job.finish()
}

/// The options' own checks (before any line is read); the delimiter as a byte.
pub(super) fn check_options(opts: &CsvImport) -> Result<Option<u8>> {
    if !(opts.test_fraction > 0.0 && opts.test_fraction < 1.0) {
        return data_err(format!(
            "test_fraction is {}; set it between 0 and 1, e.g. 0.2",
            opts.test_fraction
        ));
    }
    match opts.delimiter {
        Some(c) if c.is_ascii() && !c.is_ascii_alphanumeric() && c != '"' => Ok(Some(c as u8)),
        Some(c) => data_err(format!("the delimiter '{c}' cannot be used; use , ; tab or space")),
        None => Ok(None),
    }
}

/// [`import_csv`] from the rows read (all non-blank lines, none skipped yet)
/// and the delimiter used; `opts` passed [`check_options`].
pub(super) fn import_rows(
    name: &str,
    mut rows: Vec<Row>,
    delimiter_used: char,
    opts: &CsvImport,
    seed: u64,
) -> Result<ImportedCsv> {
    let mut notes = Vec::new();
    let description = description_names(&rows);
    let skipped_lines = match opts.skip_lines {
        Some(k) => k,
        None => usize::from(description.is_some()),
    };
    if skipped_lines >= rows.len() {
        return data_err(format!(
            "skip_lines is {skipped_lines} but the file has only {} non-blank lines",
            rows.len()
        ));
    }
    if opts.skip_lines.is_none() && description.is_some() {
        notes.push(format!(
            "line {} is a scikit-learn description line (samples, features, class names); it was skipped",
            rows[0].0
        ));
    }
    rows.drain(..skipped_lines);
    let header = opts.header.unwrap_or_else(|| detect_header(&rows));
    let header_row = if header { Some(rows.remove(0)) } else { None };
    let Some((first_ln, first)) = header_row.as_ref().or(rows.first()) else {
        return data_err("the CSV file is empty: it needs at least one data row");
    };
    if rows.is_empty() {
        return data_err(format!("the CSV file has a header (line {first_ln}) but no data rows"));
    }
    let width = first.len();
    check_widths(*first_ln, width, &rows)?;
    let columns: Vec<String> = match &header_row {
        Some((_, h)) => h.clone(),
        None => (1..=width).map(|c| format!("column {c}")).collect(),
    };
    let label_column = match &opts.label {
        Some(col) => resolve_label_column(col, width, header_row.as_ref().map(|h| &h.1))?,
        None => default_label(&columns),
    };
    let label_cells: Vec<(usize, &str)> = rows.iter().map(|(ln, r)| (*ln, r[label_column].as_str())).collect();
    let (task, task_guessed) = match opts.task {
        Some(t) => (t, false),
        None => (guess_task(&label_cells), true),
    };
    if task_guessed {
        notes.push(format!(
            "task guessed from the values of '{}': {}",
            columns[label_column],
            if task == Task::Regression {
                "regression"
            } else {
                "classification"
            }
        ));
    }
    let (features, one_hot, data) = encode_features(&rows, &columns, label_column, opts.text_columns)?;
    let (targets, mut class_names, labels_are_indices) = match task {
        Task::Regression => {
            let data = label_cells
                .iter()
                .map(|&(ln, s)| parse_number(s, ln, label_column))
                .collect::<Result<Vec<f32>>>()?;
            (Targets::Values { data, dim: 1 }, Vec::new(), false)
        }
        Task::Classification => {
            refuse_many_fractional(&label_cells, &columns[label_column])?;
            let (t, names) = class_targets(&label_cells, label_column)?;
            (t, names, label_cells.iter().all(|(_, s)| as_class_index(s).is_some()))
        }
    };
    if let (Some(names), true) = (description, labels_are_indices) {
        if names.len() == class_names.len() {
            class_names = names;
        }
    }
    let ds = Dataset::new(
        name,
        vec![features.len()],
        Features::F32 { data },
        targets,
        class_names.clone(),
        Normalization::None,
    )?;
    let (train_idx, test_idx) = match task {
        Task::Classification => stratified_split(labels_of(&ds), opts.test_fraction, seed)?,
        Task::Regression => random_split(ds.len(), opts.test_fraction, seed)?,
    };
    if train_idx.is_empty() || test_idx.is_empty() {
        return data_err(format!(
            "{} rows with test_fraction {} leave the {} part empty; add rows or change test_fraction",
            ds.len(),
            opts.test_fraction,
            if train_idx.is_empty() { "train" } else { "test" }
        ));
    }
    let mut train = ds.subset(&train_idx);
    let mut test = ds.subset(&test_idx);
    let norm = match opts.scaling {
        Scaling::Standardize => train.fit_standardization(),
        Scaling::MinMax => fit_min_max(&train),
        Scaling::None => Normalization::None,
    };
    train.normalization = norm.clone();
    test.normalization = norm;
    let report = CsvReport {
        skipped_lines,
        header,
        columns,
        delimiter: delimiter_used,
        label_column,
        task,
        task_guessed,
        labels_are_indices,
        class_names,
        features,
        one_hot,
        text_columns: opts.text_columns,
        scaling: opts.scaling,
        test_fraction: opts.test_fraction,
        rows: ds.len(),
        train: train.len(),
        test: test.len(),
        notes,
    };
    Ok(ImportedCsv { train, test, report })
}

fn labels_of(ds: &Dataset) -> &[u32] {
    match &ds.targets {
        Targets::Classes { labels, .. } => labels,
        Targets::Values { .. } => &[],
    }
}
