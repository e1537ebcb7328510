//! What [`super::csv_import`] detects when an option is not given: a
//! scikit-learn description line, a header row, the label column, the task.

use crate::error::data_err;
use crate::Result;

use super::csv::Row;
use super::csv_import::MAX_GUESSED_CLASSES;
use super::dataset::Task;

pub(super) fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(|v| v.is_finite())
}

/// The class names of a scikit-learn description line `n,f,names…` on the
/// first row, if it is one (empty names are allowed: `569,30`).
pub(super) fn description_names(rows: &[Row]) -> Option<Vec<String>> {
    let (first, rest) = rows.split_first()?;
    let (n, f) = (
        first.1.first()?.parse::<usize>().ok()?,
        first.1.get(1)?.parse::<usize>().ok()?,
    );
    let width = rest.first()?.1.len();
    (n == rest.len() && f.checked_add(1) == Some(width)).then(|| first.1[2..].to_vec())
}

pub(super) fn detect_header(rows: &[Row]) -> bool {
    let [(_, a), (_, b), ..] = rows else {
        return false;
    };
    a.iter()
        .zip(b)
        .any(|(x, y)| !x.is_empty() && !is_number(x) && is_number(y))
}

pub(super) fn default_label(columns: &[String]) -> usize {
    ["label", "target", "class", "y"]
        .iter()
        .find_map(|want| columns.iter().position(|c| c.trim().eq_ignore_ascii_case(want)))
        .unwrap_or(columns.len() - 1)
}

pub(super) fn distinct<'a>(cells: &[(usize, &'a str)]) -> Vec<&'a str> {
    let mut d: Vec<&str> = cells.iter().map(|c| c.1).collect();
    // A stable sort (the same order for distinct strings): the wasm already
    // carries stable sorts' shared parts, and an unstable sort of &str alone was ~9 kB.
    d.sort();
    d.dedup();
    d
}

pub(super) fn guess_task(cells: &[(usize, &str)]) -> Task {
    if !cells.iter().all(|(_, s)| is_number(s)) {
        return Task::Classification;
    }
    let whole = cells
        .iter()
        .all(|(_, s)| s.parse::<f64>().is_ok_and(|v| v.fract() == 0.0));
    if whole && distinct(cells).len() <= MAX_GUESSED_CLASSES {
        Task::Classification
    } else {
        Task::Regression
    }
}

pub(super) fn refuse_many_fractional(cells: &[(usize, &str)], name: &str) -> Result<()> {
    let numbers = cells.iter().all(|(_, s)| is_number(s));
    let fractional = cells
        .iter()
        .any(|(_, s)| s.parse::<f64>().is_ok_and(|v| v.fract() != 0.0));
    let k = distinct(cells).len();
    if numbers && fractional && k > MAX_GUESSED_CLASSES {
        return data_err(format!(
            "the label column '{name}' holds {k} different decimal numbers: did you mean regression? \
             Set the task to regression to predict the value"
        ));
    }
    Ok(())
}
