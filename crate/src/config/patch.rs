//! Variations of an experiment: the runs of a race, or the configurations a
//! k-fold cross-validation compares, in the page's link form (`?race=`):
//!
//! ```text
//! optimizer:sgd|optimizer:sgd(learning_rate=0.01,momentum=0.9);batch_size:64|loss:mean_squared_error
//! ```
//! Runs are separated by `|` (at most [`MAX_RUNS`]), a run's changes by `;`,
//! each change is `field:value`:
//! - `optimizer:<name>` or `optimizer:<name>(key=value,…)`: the whole optimizer
//!   is replaced by the named one, Keras' defaults for what is not given (so
//!   `optimizer:sgd` is `SGD(learning_rate=0.01)`; clipping is not kept);
//! - `loss:<name>`, `batch_size:<n>` (a whole number ≥ 1);
//! - `init:<initializer>`: the kernel initializer of every Dense layer;
//! - `activation[i]:<name>` (layer `i`, 0-based, one that has an activation),
//!   `dropout[i]:<rate>` (layer `i` is a Dropout layer; rate in [0, 1)).
//!
//! Every run keeps the experiment's dataset and seed: the same initial weights,
//! batch order and k-fold folds. This is the ONE parser of the form: the
//! command line uses it (`gradlab kfold --vary`), and so does the page — the
//! facade's `parseRace` / `addRun` (`crate/src/wasm/race.rs`, the worker's
//! `race-parse` / `run-add` requests) hand it each run's [`Patch::page_form`], the plain
//! object `www/js/race.js` keeps and writes back into a link (its
//! `encodeRace` only serialises this parsed form: `crate/tests/race_patch.rs`
//! pins the form, `tests/unit/race.test.mjs` checks that writing back what
//! this parser read gives the canonical link again). Applying the runs to the
//! experiment is the core's too ([`apply_race`], [`apply_patch`]: the facade's
//! `applyRace` / `addRun`, the worker's `race-apply` / `run-add`). A
//! patched config is parsed again as JSON, so a bad value gets the usual
//! message with its field path, after the run's number.

use serde_json::{Map, Number, Value};

use super::ExperimentConfig;
use crate::{Error, Problem, Result};

/// The most runs a race (and a k-fold comparison) has; the page reads it from
/// the schema (`limits.max_runs`).
pub const MAX_RUNS: usize = 6;

/// One run's changes to the experiment, in its link form's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Patch {
    /// The run's text as written (trimmed): its label in the CLI's tables.
    pub text: String,
    changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq)]
enum Change {
    /// The optimizer's JSON form: `{"name": …, key: value, …}`.
    Optimizer(Map<String, Value>),
    Loss(String),
    BatchSize(u64),
    Init(String),
    Activation(usize, String),
    Dropout(usize, f64),
}

fn problem<T>(message: String) -> Result<T> {
    Err(Error::Invalid(vec![Problem::new("", message)]))
}

/// `"true"` / `"false"` → booleans, numbers → numbers, anything else a string.
fn value(s: &str) -> Value {
    match s.trim() {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        t => match t.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => Value::String(t.to_string()),
        },
    }
}

/// `sgd(learning_rate=0.1,momentum=0.9)` → `{"name":"sgd","learning_rate":0.1,"momentum":0.9}`.
fn parse_optimizer(text: &str, n: usize) -> Result<Map<String, Value>> {
    let bad = || {
        problem(format!(
            "run {n}: optimizer \"{text}\" is not like sgd(learning_rate=0.1, momentum=0.9)"
        ))
    };
    let t = text.trim();
    let (name, args) = match t.find('(') {
        Some(open) if t.ends_with(')') => (t[..open].trim(), &t[open + 1..t.len() - 1]),
        Some(_) => return bad(),
        None => (t, ""),
    };
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts_well || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return bad();
    }
    let mut o = Map::new();
    o.insert("name".into(), Value::String(name.to_ascii_lowercase()));
    for kv in args.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match kv.find('=') {
            Some(eq) if eq >= 1 => {
                o.insert(kv[..eq].trim().to_string(), value(&kv[eq + 1..]));
            }
            _ => {
                return problem(format!(
                    "run {n}: optimizer \"{text}\": write each option as key=value (got \"{kv}\")"
                ))
            }
        }
    }
    Ok(o)
}

/// `activation[2]` → `("activation", 2)`.
fn layer_field(k: &str) -> Option<(&str, usize)> {
    let (field, rest) = k.split_once('[')?;
    let index = rest.strip_suffix(']')?;
    let digits_only = !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit());
    let field = ["activation", "dropout"].into_iter().find(|f| *f == field)?;
    digits_only.then(|| index.parse().ok()).flatten().map(|i| (field, i))
}

/// Run `n`'s (1-based) link text → its patch; an error saying what to change.
pub fn parse_patch(text: &str, n: usize) -> Result<Patch> {
    let mut changes = Vec::new();
    for item in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let Some(c) = item.find(':').filter(|&c| c >= 1) else {
            return problem(format!(
                "run {n}: \"{item}\" is not like field:value (e.g. optimizer:adam, loss:mean_squared_error)"
            ));
        };
        let (k, v) = (item[..c].trim(), item[c + 1..].trim());
        changes.push(match (k, layer_field(k)) {
            ("optimizer", _) => Change::Optimizer(parse_optimizer(v, n)?),
            ("loss", _) => Change::Loss(v.to_string()),
            ("batch_size", _) => match v.parse::<u64>() {
                Ok(b) if b >= 1 => Change::BatchSize(b),
                _ => return problem(format!("run {n}: batch_size must be a whole number ≥ 1 (got \"{v}\")")),
            },
            ("init", _) => Change::Init(v.to_string()),
            (_, Some(("activation", i))) => Change::Activation(i, v.to_string()),
            (_, Some((_, i))) => match v.parse::<f64>() {
                Ok(r) if (0.0..1.0).contains(&r) => Change::Dropout(i, r),
                _ => return problem(format!("run {n}: a dropout rate must be in [0, 1) (got \"{v}\")")),
            },
            _ => {
                return problem(format!(
                    "run {n}: unknown field \"{k}\" (use optimizer, loss, batch_size, init, activation[i], dropout[i])"
                ))
            }
        });
    }
    Ok(Patch {
        text: text.trim().to_string(),
        changes,
    })
}

/// The `?race=` text → one patch per run; an error saying what is wrong.
pub fn parse_race(text: &str) -> Result<Vec<Patch>> {
    let parts: Vec<&str> = text.split('|').collect();
    if parts.len() > MAX_RUNS {
        return problem(format!(
            "a race has at most {MAX_RUNS} runs (this one has {})",
            parts.len()
        ));
    }
    parts.iter().enumerate().map(|(i, t)| parse_patch(t, i + 1)).collect()
}

/// `e` with every problem's message starting "run `n`: " (the run it is about).
fn in_run(e: Error, n: usize) -> Error {
    let problems = match e {
        Error::Invalid(p) => p,
        other => vec![Problem::new("", other.to_string())],
    };
    Error::Invalid(
        problems
            .into_iter()
            .map(|p| {
                let what = p.to_string();
                let message = if what.starts_with(&format!("run {n}:")) {
                    what
                } else {
                    format!("run {n}: {what}")
                };
                Problem::new("", message)
            })
            .collect(),
    )
}

/// Every run of the `?race=` text applied to `base`: one experiment per run,
/// or an error naming the run (and the layer) and what to change. The page's
/// race and k-fold panels get their runs' configs from here (the facade's
/// `applyRace`, the worker's `race-apply` request).
pub fn apply_race(base: &ExperimentConfig, text: &str) -> Result<Vec<ExperimentConfig>> {
    let patches = parse_race(text)?;
    patches
        .iter()
        .enumerate()
        .map(|(i, p)| apply_patch(base, p, i + 1))
        .collect()
}

/// Run `n`'s (1-based) patch, already parsed, applied to `base`; errors name
/// run `n` (the facade's `addRun`: the text is parsed once, for its page form
/// and its config).
pub fn apply_patch(base: &ExperimentConfig, patch: &Patch, n: usize) -> Result<ExperimentConfig> {
    patch.apply(base).map_err(|e| in_run(e, n))
}

impl Patch {
    /// This run's changes as the page keeps them (`www/js/race.js`):
    /// `{optimizer?: {name, key: value, …}, loss?, batch_size?, init?,
    /// layers?: {"<i>": {activation?, rate?}}}` (layer `i` 0-based, as in the
    /// link); a later change of the same field replaces an earlier one, as
    /// [`Patch::apply`] does. An empty run is `{}`.
    pub fn page_form(&self) -> Value {
        let mut p = Map::new();
        let mut layers = Map::new();
        for change in &self.changes {
            match change {
                Change::Optimizer(o) => {
                    p.insert("optimizer".into(), Value::Object(o.clone()));
                }
                Change::Loss(l) => {
                    p.insert("loss".into(), Value::String(l.clone()));
                }
                Change::BatchSize(b) => {
                    p.insert("batch_size".into(), Value::from(*b));
                }
                Change::Init(init) => {
                    p.insert("init".into(), Value::String(init.clone()));
                }
                Change::Activation(i, a) => {
                    let l = layers.entry(i.to_string()).or_insert_with(|| Value::Object(Map::new()));
                    l["activation"] = Value::String(a.clone());
                }
                Change::Dropout(i, r) => {
                    let l = layers.entry(i.to_string()).or_insert_with(|| Value::Object(Map::new()));
                    l["rate"] = Number::from_f64(*r).map_or(Value::Null, Value::Number);
                }
            }
        }
        if !layers.is_empty() {
            p.insert("layers".into(), Value::Object(layers));
        }
        Value::Object(p)
    }

    /// The experiment of this run: `base` with the changes applied (same dataset and seed).
    pub fn apply(&self, base: &ExperimentConfig) -> Result<ExperimentConfig> {
        let mut v = serde_json::to_value(base).map_err(|e| Error::Config(e.to_string()))?;
        let n_layers = v["layers"].as_array().map_or(0, Vec::len);
        for change in &self.changes {
            match change {
                Change::Optimizer(o) => v["optimizer"] = Value::Object(o.clone()),
                Change::Loss(l) => v["loss"] = Value::String(l.clone()),
                Change::BatchSize(b) => v["batch_size"] = Value::from(*b),
                Change::Init(init) => {
                    for layer in v["layers"].as_array_mut().into_iter().flatten() {
                        if layer["type"] == "Dense" {
                            layer["kernel_initializer"] = Value::String(init.clone());
                        }
                    }
                }
                Change::Activation(i, _) | Change::Dropout(i, _) if *i >= n_layers => {
                    return problem(format!(
                        "layer {} does not exist in this model (it has {n_layers})",
                        i + 1
                    ))
                }
                Change::Activation(i, a) => {
                    let layer = &mut v["layers"][*i];
                    if layer.get("activation").is_none() {
                        let kind = layer["type"].as_str().unwrap_or("?");
                        return problem(format!("layer {} ({kind}) has no activation", i + 1));
                    }
                    layer["activation"] = Value::String(a.clone());
                }
                Change::Dropout(i, r) => {
                    let layer = &mut v["layers"][*i];
                    if layer["type"] != "Dropout" {
                        let kind = layer["type"].as_str().unwrap_or("?");
                        return problem(format!("layer {} is {kind}, not Dropout", i + 1));
                    }
                    layer["rate"] = Number::from_f64(*r).map_or(Value::Null, Value::Number);
                }
            }
        }
        ExperimentConfig::from_json(&serde_json::to_vec(&v).map_err(|e| Error::Config(e.to_string()))?)
    }
}
