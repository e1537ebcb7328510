//! Turning a CSV table's feature columns into numbers for [`super::csv_import`]:
//! numeric columns as they are, text columns one-hot, and min-max statistics.

use crate::error::data_err;
use crate::Result;

use super::csv::{parse_number, Row};
use super::csv_detect::{distinct, is_number};
use super::csv_import::{OneHotColumn, TextColumns, MAX_CATEGORIES};
use super::dataset::{Dataset, Features, Normalization};

type Encoded = (Vec<String>, Vec<OneHotColumn>, Vec<f32>);

/// Row-major features without the label column, text columns one-hot encoded.
pub(super) fn encode_features(rows: &[Row], columns: &[String], label: usize, text: TextColumns) -> Result<Encoded> {
    let mut names = Vec::new();
    let mut one_hot = Vec::new();
    // Per column: None = numeric, Some(categories) = one-hot.
    let mut kinds: Vec<Option<Vec<String>>> = Vec::new();
    for (c, name) in columns.iter().enumerate() {
        if c == label {
            kinds.push(None);
            continue;
        }
        let all_text = rows.iter().all(|(_, r)| !is_number(&r[c]));
        if !all_text {
            names.push(name.clone());
            kinds.push(None);
            continue;
        }
        let (ln, example) = (rows[0].0, &rows[0].1[c]);
        if text == TextColumns::Refuse {
            return data_err(format!(
                "line {ln}: column {} ('{name}') holds text ('{example}'), not numbers; remove the column \
                 or choose one-hot encoding for text columns",
                c + 1
            ));
        }
        if let Some((ln, _)) = rows.iter().find(|(_, r)| r[c].is_empty()) {
            return data_err(format!(
                "line {ln}: column {} ('{name}') is empty; fill in the missing category or remove the row",
                c + 1
            ));
        }
        let cells: Vec<(usize, &str)> = rows.iter().map(|(ln, r)| (*ln, r[c].as_str())).collect();
        let cats: Vec<String> = distinct(&cells).into_iter().map(String::from).collect();
        if cats.len() > MAX_CATEGORIES {
            return data_err(format!(
                "column {} ('{name}') holds {} different texts, more than {MAX_CATEGORIES} categories to \
                 one-hot encode; remove the column",
                c + 1,
                cats.len()
            ));
        }
        names.extend(cats.iter().map(|k| format!("{name}={k}")));
        one_hot.push(OneHotColumn {
            column: c,
            name: name.clone(),
            categories: cats.clone(),
        });
        kinds.push(Some(cats));
    }
    let mut data = Vec::with_capacity(rows.len().saturating_mul(names.len()));
    for (ln, r) in rows {
        for (c, kind) in kinds.iter().enumerate() {
            match kind {
                _ if c == label => {}
                None => data.push(parse_number(&r[c], *ln, c)?),
                Some(cats) => data.extend(cats.iter().map(|k| f32::from(u8::from(*k == r[c])))),
            }
        }
    }
    Ok((names, one_hot, data))
}

/// Min-max scaling as `Standardize { mean: min, std: max − min }` (1 for a constant feature).
pub(super) fn fit_min_max(train: &Dataset) -> Normalization {
    let size = train.input_size().max(1);
    let data = match &train.features {
        Features::F32 { data } => data,
        Features::U8 { .. } => return Normalization::Scale(1.0 / 255.0),
    };
    let mut lo = vec![f32::INFINITY; size];
    let mut hi = vec![f32::NEG_INFINITY; size];
    for (k, &v) in data.iter().enumerate() {
        lo[k % size] = lo[k % size].min(v);
        hi[k % size] = hi[k % size].max(v);
    }
    let std = lo
        .iter()
        .zip(&hi)
        .map(|(l, h)| if h - l > 1e-12 { h - l } else { 1.0 })
        .collect();
    Normalization::Standardize { mean: lo, std }
}
