//! The link form of [`CsvImport`]: how an uploaded CSV file was read, written
//! in its dataset name `upload:<file>@<sha256-12>(<options>)` (see
//! [`super::upload_name`]), so an experiment's link says it readably and
//! everything keyed by the dataset name (the page's model, shared data,
//! saved models) changes with it. The options, in this order, each only when
//! it differs from [`CsvImport::default`] ("detect", standardise, one-hot, 0.2):
//!
//! `skip_lines=1,header=true,label=species,task=classification,scaling=min_max,text_columns=refuse,test_fraction=0.25,delimiter=";"`
//!
//! - `label`: a column name, or a whole number = the 0-based column index (the
//!   column shown as "column 1" is `label=0`);
//! - a text value is written bare when it is a plain word (letters, digits,
//!   `_` `-` `.`, not a number nor `true`/`false`), else as a JSON string
//!   (`label="sepal length (cm)"`, `label="3"` for a column named 3, `delimiter="\t"`).
//!
//! [`CsvReport::resolved_options`] writes what an import decided as explicit
//! options: importing the same bytes with them gives the same data, bit for bit.

use crate::error::data_err;
use crate::Result;

use super::csv_import::{CsvImport, CsvReport, Scaling, TextColumns};
use super::dataset::Task;
use super::LabelColumn;

/// The option names in link order.
pub const OPTION_NAMES: [&str; 8] = [
    "skip_lines",
    "header",
    "label",
    "task",
    "scaling",
    "text_columns",
    "test_fraction",
    "delimiter",
];

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && s.parse::<f64>().is_err()
        && s != "true"
        && s != "false"
}

fn text(s: &str) -> String {
    if is_word(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// The snake_case name of a unit enum variant (`Scaling::MinMax` → `min_max`).
fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `opts` in the link form (empty when every option is the default).
pub fn options_text(opts: &CsvImport) -> String {
    let d = CsvImport::default();
    let mut parts = Vec::new();
    if let Some(k) = opts.skip_lines {
        parts.push(format!("skip_lines={k}"));
    }
    if let Some(h) = opts.header {
        parts.push(format!("header={h}"));
    }
    match &opts.label {
        Some(LabelColumn::Index(i)) => parts.push(format!("label={i}")),
        Some(LabelColumn::Name(n)) => parts.push(format!("label={}", text(n))),
        Some(LabelColumn::First) => parts.push("label=0".into()),
        Some(LabelColumn::Last) | None => {}
    }
    if let Some(t) = opts.task {
        parts.push(format!("task={}", name_of(&t)));
    }
    if opts.scaling != d.scaling {
        parts.push(format!("scaling={}", name_of(&opts.scaling)));
    }
    if opts.text_columns != d.text_columns {
        parts.push(format!("text_columns={}", name_of(&opts.text_columns)));
    }
    if opts.test_fraction != d.test_fraction {
        parts.push(format!("test_fraction={}", opts.test_fraction));
    }
    if let Some(c) = opts.delimiter {
        parts.push(format!(
            "delimiter={}",
            serde_json::to_string(&c.to_string()).unwrap_or_default()
        ));
    }
    parts.join(",")
}

/// `key=value` parts split at the commas outside JSON strings.
fn split_parts(text: &str) -> Result<Vec<&str>> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return data_err(format!("a quoted value in '{text}' is not closed (missing '\"')"));
    }
    parts.push(&text[start..]);
    Ok(parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect())
}

/// A value: a JSON string, or the bare text. Also says whether it was quoted.
fn value(key: &str, raw: &str) -> Result<(String, bool)> {
    if raw.starts_with('"') {
        return serde_json::from_slice::<String>(raw.as_bytes())
            .map(|s| (s, true))
            .or_else(|_| {
                data_err(format!(
                    "{key}={raw}: the quoted text is not valid (write it as a JSON string)"
                ))
            });
    }
    Ok((raw.to_string(), false))
}

fn choice<T: serde::de::DeserializeOwned>(key: &str, v: &str, choices: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(v.to_string()))
        .or_else(|_| data_err(format!("{key}={v} is not one of {choices}")))
}

/// Options from their link form; a wrong key or value says which and what to write.
pub fn parse_options_text(text: &str) -> Result<CsvImport> {
    let mut o = CsvImport::default();
    let mut seen: Vec<&str> = Vec::new();
    for part in split_parts(text)? {
        let Some((key, raw)) = part.split_once('=') else {
            return data_err(format!("'{part}' is not like key=value (e.g. header=true)"));
        };
        let key = key.trim();
        let Some(&known) = OPTION_NAMES.iter().find(|k| **k == key) else {
            return data_err(format!("unknown option '{key}' (known: {})", OPTION_NAMES.join(", ")));
        };
        if seen.contains(&known) {
            return data_err(format!("the option {key} is given twice"));
        }
        seen.push(known);
        let (v, quoted) = value(key, raw.trim())?;
        match known {
            "skip_lines" => {
                o.skip_lines = Some(v.parse().or_else(|_| {
                    data_err(format!(
                        "skip_lines={v} is not a whole number of lines (e.g. skip_lines=1)"
                    ))
                })?)
            }
            "header" => {
                o.header = Some(match v.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return data_err(format!("header={v} is not true or false")),
                })
            }
            "label" => {
                o.label = Some(match v.parse::<usize>() {
                    Ok(i) if !quoted => LabelColumn::Index(i),
                    _ if v.is_empty() => return data_err("label= is empty: name a column or give its 0-based index"),
                    _ => LabelColumn::Name(v),
                })
            }
            "task" => o.task = Some(choice::<Task>(key, &v, "classification, regression")?),
            "scaling" => o.scaling = choice::<Scaling>(key, &v, "standardize, min_max, none")?,
            "text_columns" => o.text_columns = choice::<TextColumns>(key, &v, "one_hot, refuse")?,
            "test_fraction" => {
                o.test_fraction = match v.parse::<f32>() {
                    Ok(f) if f > 0.0 && f < 1.0 => f,
                    _ => {
                        return data_err(format!(
                            "test_fraction={v} is not a fraction between 0 and 1 (e.g. 0.2)"
                        ))
                    }
                }
            }
            _ => {
                let mut chars = v.chars();
                o.delimiter = match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii() && !c.is_ascii_alphanumeric() && c != '"' => Some(c),
                    _ => return data_err(format!("delimiter={raw} is not one of \",\" \";\" \"\\t\" \" \"")),
                }
            }
        }
    }
    Ok(o)
}

impl CsvReport {
    /// What this import decided, as explicit options (see the module doc):
    /// lines skipped, header, label column (by name when the header names it
    /// unambiguously, else by index), task, scaling, text columns, test
    /// fraction, and the delimiter when it is not a comma.
    pub fn resolved_options(&self) -> CsvImport {
        let name = &self.columns[self.label_column];
        let by_name = self.header && self.columns.iter().position(|c| c == name) == Some(self.label_column);
        CsvImport {
            skip_lines: Some(self.skipped_lines),
            header: Some(self.header),
            label: Some(if by_name {
                LabelColumn::Name(name.clone())
            } else {
                LabelColumn::Index(self.label_column)
            }),
            task: Some(self.task),
            scaling: self.scaling,
            text_columns: self.text_columns,
            test_fraction: self.test_fraction,
            delimiter: (self.delimiter != ',').then_some(self.delimiter),
        }
    }
}

#[cfg(test)]
#[path = "csv_link_tests.rs"]
mod tests;
