//! [`Problem`]: one thing wrong with a config, where it is and what to change.
//!
//! `path` names the field the way the config's JSON nests it: `dataset`,
//! `layers`, `layers[2]`, `layers[2].units`, `loss`, `optimizer.learning_rate`,
//! `batch_size`, `early_stopping.monitor`, … or `""` for the config as a
//! whole. The page places each message next to the field its path names; the
//! CLI prints `path: message`. Messages are in Gradient Lab's own words and
//! say what to change (never a parser's wording).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same problem one level down: `at("layers[1]")` turns path `units`
    /// into `layers[1].units` and `""` into `layers[1]`.
    pub fn at(self, parent: &str) -> Problem {
        let path = match (parent.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => parent.to_string(),
            (false, false) if self.path.starts_with('[') => format!("{parent}{}", self.path),
            (false, false) => format!("{parent}.{}", self.path),
        };
        Problem { path, ..self }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// `layers[i]`, the path of the i-th layer (0-based, as in the JSON list).
pub fn layer_path(i: usize) -> String {
    format!("layers[{i}]")
}

/// `1149010` → `"1,149,010"` (numbers in messages and summaries).
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes as whole MB (MiB) for a message, rounded up so that a size
/// just over a limit never reads as the limit: `1_610_612_737` → `"1,537"`.
pub fn megabytes(bytes: u64) -> String {
    group_thousands(bytes.div_ceil(1 << 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_and_display() {
        let p = Problem::new("units", "set units to 10").at("layers[2]");
        assert_eq!(p.path, "layers[2].units");
        assert_eq!(p.to_string(), "layers[2].units: set units to 10");
        assert_eq!(Problem::new("", "x").at("layers[0]").path, "layers[0]");
        assert_eq!(Problem::new("[3]", "x").at("layers").path, "layers[3]");
        assert_eq!(Problem::new("", "whole").to_string(), "whole");
        let json = serde_json::to_string(&Problem::new("batch_size", "m")).unwrap();
        assert_eq!(json, r#"{"path":"batch_size","message":"m"}"#);
    }

    #[test]
    fn megabytes_round_up() {
        assert_eq!(megabytes(0), "0");
        assert_eq!(megabytes(1), "1");
        assert_eq!(megabytes(1 << 20), "1");
        assert_eq!(megabytes((1 << 20) + 1), "2");
        assert_eq!(megabytes(1536 << 20), "1,536");
        assert_eq!(megabytes((1536 << 20) + 1), "1,537");
    }
}
