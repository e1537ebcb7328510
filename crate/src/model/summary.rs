//! `model.summary()`: one row per layer with its Keras name (`dense`,
//! `dense_1`, …), class, output shape `(None, 128)` and parameter count,
//! made from the configs alone ([`Plan`]: each layer kind's own shape rule and
//! parameter count, e.g. Dense `n → u` has `n·u + u`), so `inspect` shows
//! the summary without building the model. Counts are u64.

use serde::Serialize;

use crate::layers::{LayerConfig, Plan};
use crate::tensor::keras_shape;

pub use crate::problem::group_thousands;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct SummaryRow {
    /// Keras auto-name: snake_case class name, `_1`, `_2`, … for repeats.
    pub name: String,
    /// Keras class name, e.g. "Dense".
    pub kind: String,
    /// `(None, 128)`.
    pub output_shape: String,
    /// Per-sample output shape, e.g. `[128]`.
    pub output_dims: Vec<usize>,
    pub params: u64,
    pub trainable_params: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Summary {
    pub rows: Vec<SummaryRow>,
    pub total_params: u64,
    pub trainable_params: u64,
}

impl Summary {
    /// The summary of a plan (its inferred layers; `layers` gives the names).
    pub fn from_plan(plan: &Plan, layers: &[LayerConfig]) -> Summary {
        let kinds: Vec<&str> = layers.iter().map(|l| l.kind()).collect();
        let names = keras_layer_names(&kinds);
        let rows: Vec<SummaryRow> = plan
            .layers
            .iter()
            .zip(names)
            .map(|(l, name)| SummaryRow {
                name,
                kind: l.kind.to_string(),
                output_shape: keras_shape(&l.output_shape),
                output_dims: l.output_shape.clone(),
                params: l.params,
                trainable_params: l.trainable_params,
            })
            .collect();
        Summary {
            total_params: plan.total_params,
            trainable_params: plan.trainable_params,
            rows,
        }
    }

    /// The summary of `layers` on inputs of `input_shape`, or every problem.
    pub fn of(input_shape: &[usize], layers: &[LayerConfig]) -> crate::Result<Summary> {
        let (plan, problems) = Plan::new(input_shape, layers);
        crate::error::invalid_unless_empty(problems)?;
        Ok(Summary::from_plan(&plan, layers))
    }
}

/// Keras auto-names: the first Dense is `dense`, the next `dense_1`, …
pub fn keras_layer_names(kinds: &[&str]) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    kinds
        .iter()
        .map(|k| {
            let base = snake_case(k);
            let n = seen.entry(base.clone()).or_insert(0);
            let name = if *n == 0 { base } else { format!("{base}_{n}") };
            *n += 1;
            name
        })
        .collect()
}

/// Keras 3 `readable_memory_size` for float32 weights: bytes = 4·params,
/// divided by 1024 while ≥ 1024, printed with 2 decimals and B/KB/MB/GB.
pub fn readable_size(params: u64) -> String {
    let units = ["B", "KB", "MB", "GB"];
    let mut size = params as f64 * 4.0;
    let mut i = 0;
    while size >= 1024.0 && i < units.len() - 1 {
        size /= 1024.0;
        i += 1;
    }
    format!("{size:.2} {}", units[i])
}

/// Keras' class-name → layer-name rule (`to_snake_case`): `Dense` → `dense`,
/// `MaxPooling2D` → `max_pooling2d`, `Conv2D` → `conv2d`.
pub fn snake_case(kind: &str) -> String {
    let chars: Vec<char> = kind.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || (next_lower && prev != '_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn cell(text: &str, width: usize) -> String {
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    while s.chars().count() < width {
        s.push(' ');
    }
    s
}

impl Summary {
    /// A tf.keras-style text table.
    pub fn to_text(&self) -> String {
        let widths = [30, 26, 12];
        let line_len: usize = widths.iter().sum::<usize>() + 1;
        let mut out = String::from("Model: \"sequential\"\n");
        out.push_str(&"_".repeat(line_len));
        out.push('\n');
        let header = [" Layer (type)", "Output Shape", "Param #"];
        for (h, w) in header.iter().zip(widths) {
            out.push_str(&cell(h, w));
        }
        out.push('\n');
        out.push_str(&"=".repeat(line_len));
        out.push('\n');
        for r in &self.rows {
            let first = format!(" {} ({})", r.name, r.kind);
            out.push_str(&cell(&first, widths[0]));
            out.push_str(&cell(&r.output_shape, widths[1]));
            out.push_str(group_thousands(r.params).trim_end());
            out.push('\n');
        }
        out.push_str(&"=".repeat(line_len));
        out.push('\n');
        let non_trainable = self.total_params.saturating_sub(self.trainable_params);
        for (label, n) in [
            ("Total params", self.total_params),
            ("Trainable params", self.trainable_params),
            ("Non-trainable params", non_trainable),
        ] {
            out.push_str(&format!("{label}: {} ({})\n", group_thousands(n), readable_size(n)));
        }
        out.push_str(&"_".repeat(line_len));
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_helpers() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1_149_010), "1,149,010");
        // 101,770 params * 4 B = 407,080 B = 397.539 KB (Keras prints "397.54 KB").
        assert_eq!(readable_size(101_770), "397.54 KB");
        assert_eq!(readable_size(0), "0.00 B");
        // u64 all the way: 1e9 units never wrap to 4,294,967,295.
        assert_eq!(group_thousands(1_000_000_000_000), "1,000,000,000,000");
        assert_eq!(snake_case("Dense"), "dense");
        assert_eq!(snake_case("Conv2D"), "conv2d");
        assert_eq!(snake_case("MaxPooling2D"), "max_pooling2d");
        assert_eq!(snake_case("BatchNormalization"), "batch_normalization");
    }
}
