//! CSV tables → [`Dataset`]: one sample per row, one label column, every
//! other column a numeric feature (sample shape `[features]`, no normalisation).
//!
//! Accepted: UTF-8 text (a BOM is skipped), `\n` or `\r\n` line ends, blank
//! lines ignored, fields optionally in double quotes (`""` is a quote inside),
//! spaces around fields trimmed. Delimiter auto-detection looks at the first
//! non-blank line: the most frequent of `,` `;` tab outside quotes; if none,
//! runs of spaces (as sklearn's space-separated tables); else a single column.
//!
//! Classification labels: if every label is a non-negative integer, the label
//! IS the class index (Keras' convention; `num_classes = max + 1`, names "0", "1", …).
//! Otherwise (text labels, negative or fractional numbers) the distinct values are
//! sorted (numerically if all are numbers, else as text) and a label's class is
//! its rank; `class_names` are those values. Sorting (not order of appearance)
//! makes the classes independent of the row order.

use serde::{Deserialize, Serialize};

use crate::error::data_err;
use crate::Result;

use super::dataset::{Dataset, Features, Normalization, Targets, Task};

/// Which column holds the label (or regression target).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelColumn {
    Last,
    First,
    /// 0-based column index (the column called "column 1" in messages is `Index(0)`).
    Index(usize),
    /// Header name (needs `has_header`).
    Name(String),
}

/// Classification or regression (the label column's meaning).
pub type CsvTask = Task;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOptions {
    pub has_header: bool,
    pub label_column: LabelColumn,
    pub task: CsvTask,
    /// `None`: auto-detect `,` `;` tab or spaces.
    pub delimiter: Option<u8>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            has_header: true,
            label_column: LabelColumn::Last,
            task: Task::Classification,
            delimiter: None,
        }
    }
}

/// Most classes a label column may define.
pub const MAX_CLASSES: usize = 1000;

/// Parse a CSV table into a dataset named `name`. Errors name the line and
/// column (1-based): `line 17: column 3 is 'abc', not a number`.
pub fn dataset_from_csv(name: &str, bytes: &[u8], opts: &CsvOptions) -> Result<Dataset> {
    let (mut rows, _) = read_rows(bytes, opts.delimiter, 0)?;
    let header = if opts.has_header { Some(rows.remove(0)) } else { None };
    let Some((first_ln, first_row)) = header.as_ref().or(rows.first()) else {
        return data_err("the CSV file is empty: it needs at least one data row");
    };
    let (first_ln, width) = (*first_ln, first_row.len());
    if rows.is_empty() {
        return data_err(format!("the CSV file has a header (line {first_ln}) but no data rows"));
    }
    check_widths(first_ln, width, &rows)?;
    let label_col = resolve_label_column(&opts.label_column, width, header.as_ref().map(|h| &h.1))?;

    let n = rows.len();
    let mut features = Vec::with_capacity(n * (width - 1));
    for (ln, r) in &rows {
        for (c, cell) in r.iter().enumerate() {
            if c != label_col {
                features.push(parse_number(cell, *ln, c)?);
            }
        }
    }
    let label_cells: Vec<(usize, &str)> = rows.iter().map(|(ln, r)| (*ln, r[label_col].as_str())).collect();
    let (targets, class_names) = match opts.task {
        Task::Regression => {
            let data = label_cells
                .iter()
                .map(|&(ln, s)| parse_number(s, ln, label_col))
                .collect::<Result<Vec<f32>>>()?;
            (Targets::Values { data, dim: 1 }, Vec::new())
        }
        Task::Classification => class_targets(&label_cells, label_col)?,
    };
    Dataset::new(
        name,
        vec![width - 1],
        Features::F32 { data: features },
        targets,
        class_names,
        Normalization::None,
    )
}

/// One CSV line: its 1-based line number and its trimmed fields.
pub(super) type Row = (usize, Vec<String>);

/// Every row has `width` columns (the width of line `first_ln`), at least 2.
pub(super) fn check_widths(first_ln: usize, width: usize, rows: &[Row]) -> Result<()> {
    if width < 2 {
        return data_err(format!(
            "line {first_ln} has {width} column; a table needs at least 2 (features and a label). \
             Check the delimiter"
        ));
    }
    for (ln, r) in rows {
        if r.len() != width {
            return data_err(format!(
                "line {ln} has {} columns but line {first_ln} has {width}: every row needs the same number of columns",
                r.len()
            ));
        }
    }
    Ok(())
}

/// The non-blank lines of a CSV file split into trimmed fields, each with its
/// 1-based line number, and the delimiter used (`' '` for runs of spaces).
/// `delimiter`: `None` detects it from non-blank line `detect_at` (0-based; the
/// first line after lines that will be skipped). Reads the whole file at once;
/// [`super::csv_job::RowReader`] reads it in slices.
pub(super) fn read_rows(bytes: &[u8], delimiter: Option<u8>, detect_at: usize) -> Result<(Vec<Row>, char)> {
    let mut reader = super::csv_job::RowReader::new(bytes, delimiter, detect_at)?;
    reader.step(bytes, usize::MAX)?;
    Ok(reader.finish())
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Delim {
    Byte(char),
    Whitespace,
}

impl Delim {
    pub(super) fn from_byte(d: u8) -> Delim {
        if d == b' ' {
            Delim::Whitespace
        } else {
            Delim::Byte(d as char)
        }
    }
}

pub(super) fn detect_delimiter(line: &str) -> Delim {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut in_quotes = false;
    for ch in line.chars() {
        if ch == '"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            counts.iter_mut().filter(|(d, _)| *d == ch).for_each(|(_, k)| *k += 1);
        }
    }
    // max_by_key keeps the last maximum; iterate reversed so ',' wins ties.
    match counts.iter().rev().max_by_key(|(_, k)| *k) {
        Some(&(d, k)) if k > 0 => Delim::Byte(d),
        _ if line.trim().contains(' ') => Delim::Whitespace,
        _ => Delim::Byte(','),
    }
}

pub(super) fn split_fields(line: &str, delim: Delim) -> std::result::Result<Vec<String>, String> {
    let d = match delim {
        Delim::Whitespace => {
            return Ok(line
                .split_whitespace()
                .map(|s| s.trim_matches('"').to_string())
                .collect())
        }
        Delim::Byte(d) => d,
    };
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            c if c == d && !in_quotes => fields.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    if in_quotes {
        return Err("a quoted field is not closed (missing '\"')".into());
    }
    fields.push(cur.trim().to_string());
    Ok(fields)
}

pub(super) fn resolve_label_column(col: &LabelColumn, width: usize, header: Option<&Vec<String>>) -> Result<usize> {
    match col {
        LabelColumn::Last => Ok(width - 1),
        LabelColumn::First => Ok(0),
        LabelColumn::Index(i) if *i < width => Ok(*i),
        LabelColumn::Index(i) => data_err(format!(
            "label column index {i} is out of range: the table has {width} columns (indices 0 to {})",
            width - 1
        )),
        LabelColumn::Name(name) => {
            let Some(h) = header else {
                return data_err(format!(
                    "the label column is given by name ('{name}') but the file has no header row"
                ));
            };
            h.iter()
                .position(|c| c == name)
                .or_else(|| h.iter().position(|c| c.eq_ignore_ascii_case(name.trim())))
                .ok_or_else(|| {
                    crate::Error::Data(format!(
                        "no column is named '{name}'; the columns are: {}",
                        h.join(", ")
                    ))
                })
        }
    }
}

pub(super) fn parse_number(cell: &str, ln: usize, col: usize) -> Result<f32> {
    let c = col + 1;
    if cell.is_empty() {
        return data_err(format!(
            "line {ln}: column {c} is empty; fill in the missing value or remove the row"
        ));
    }
    match cell.parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => data_err(format!("line {ln}: column {c} is '{cell}', not a finite number")),
        Err(_) => data_err(format!("line {ln}: column {c} is '{cell}', not a number")),
    }
}

/// A label that IS a class index: a whole number in `[0, 1e9)` ("3", "3.0").
pub(super) fn as_class_index(s: &str) -> Option<f64> {
    s.parse::<f64>()
        .ok()
        .filter(|v| *v >= 0.0 && v.fract() == 0.0 && *v < 1e9)
}

pub(super) fn class_targets(cells: &[(usize, &str)], col: usize) -> Result<(Targets, Vec<String>)> {
    if let Some(&(ln, _)) = cells.iter().find(|(_, s)| s.is_empty()) {
        return data_err(format!(
            "line {ln}: the label (column {}) is empty; give every row a label",
            col + 1
        ));
    }
    let too_many = |k: usize| {
        data_err(format!(
            "the label column (column {}) defines {k} classes, more than {MAX_CLASSES}: \
             if it is a quantity to predict, set the task to regression",
            col + 1
        ))
    };
    if cells.iter().all(|(_, s)| as_class_index(s).is_some()) {
        let labels: Vec<u32> = cells
            .iter()
            .map(|(_, s)| as_class_index(s).map_or(0, |v| v as u32))
            .collect();
        let num_classes = labels.iter().max().map_or(0, |&m| m as usize + 1);
        if num_classes > MAX_CLASSES {
            return too_many(num_classes);
        }
        let names = (0..num_classes).map(|c| c.to_string()).collect();
        return Ok((Targets::Classes { labels, num_classes }, names));
    }
    let mut distinct: Vec<&str> = Vec::new();
    for &(_, s) in cells {
        if !distinct.contains(&s) {
            distinct.push(s);
            if distinct.len() > MAX_CLASSES {
                return too_many(distinct.len());
            }
        }
    }
    let numeric: Option<Vec<f64>> = distinct
        .iter()
        .map(|s| s.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    match numeric {
        Some(v) => {
            let mut pairs: Vec<(f64, &str)> = v.into_iter().zip(distinct.iter().copied()).collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            distinct = pairs.into_iter().map(|p| p.1).collect();
        }
        None => distinct.sort(),
    }
    let labels = cells
        .iter()
        .map(|(_, s)| distinct.iter().position(|d| d == s).map_or(0, |p| p as u32))
        .collect();
    let names: Vec<String> = distinct.iter().map(|s| s.to_string()).collect();
    Ok((
        Targets::Classes {
            labels,
            num_classes: names.len(),
        },
        names,
    ))
}
