//! Rendering the export's cells as a Jupyter notebook (nbformat 4.5, opens in
//! Jupyter and Colab) or as one Python script (markdown cells become comments).

use serde_json::{json, Value};

/// One notebook cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Markdown(String),
    Code(String),
}

/// nbformat wants `source` as a list of lines, each ending with "\n" but the last.
fn source(text: &str) -> Value {
    let text = text.trim_end_matches('\n');
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    json!(lines)
}

/// The `.ipynb` JSON (pretty-printed, one space indent as Jupyter writes it).
pub fn render_notebook(cells: &[Cell]) -> String {
    let cells: Vec<Value> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Cell::Markdown(t) => json!({
                "cell_type": "markdown", "id": format!("cell-{i}"), "metadata": {}, "source": source(t)
            }),
            Cell::Code(t) => json!({
                "cell_type": "code", "id": format!("cell-{i}"), "metadata": {}, "execution_count": null,
                "outputs": [], "source": source(t)
            }),
        })
        .collect();
    let nb = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "colab": {"provenance": []}
        },
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let mut out = serde_json::to_string_pretty(&nb).unwrap_or_default();
    out.push('\n');
    out
}

/// The script: code cells in order, markdown cells as `#` comment blocks.
pub fn render_script(cells: &[Cell]) -> String {
    let parts: Vec<String> = cells
        .iter()
        .map(|c| match c {
            Cell::Markdown(t) => comment(t),
            Cell::Code(t) => t.trim_end().to_string(),
        })
        .collect();
    let mut out = parts.join("\n\n\n");
    out.push('\n');
    out
}

/// Markdown as a `#` comment block: headings lose their `#` marks, text is
/// wrapped at 100 columns.
fn comment(markdown: &str) -> String {
    let mut out = Vec::new();
    for line in markdown.trim_end().lines() {
        let line = line.trim_start_matches('#').trim();
        if line.is_empty() {
            out.push("#".to_string());
            continue;
        }
        let mut cur = String::from("#");
        for word in line.split(' ') {
            if cur.len() + 1 + word.len() > 100 && cur.len() > 1 {
                out.push(std::mem::replace(&mut cur, String::from("#")));
            }
            cur.push(' ');
            cur.push_str(word);
        }
        out.push(cur);
    }
    out.join("\n")
}
