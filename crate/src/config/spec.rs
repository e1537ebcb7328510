//! The arguments of the experiment config and its parts, as [`Arg`]s: the
//! parser checks values against them and the schema shows them. Defaults are
//! read from the types' own defaults (serialised), never retyped.

use serde_json::{Map, Value};

use super::{EarlyStoppingConfig, ExperimentConfig};
use crate::data::Task;
use crate::losses::{Loss, LossName};
use crate::optimizers::OptimizerConfig;
use crate::spec::{Arg, ArgType};

fn fields_of(value: impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn default_of(map: &Map<String, Value>, field: &str) -> Value {
    map.get(field).cloned().unwrap_or(Value::Null)
}

/// The top-level fields, in the order of the JSON (and of the editor).
pub fn experiment_args() -> Vec<Arg> {
    let d = fields_of(ExperimentConfig::new(
        "",
        Vec::new(),
        Loss::new(LossName::MeanSquaredError),
        OptimizerConfig::default(),
    ));
    let opt = |name: &'static str, ty: ArgType, doc: &'static str| Arg::new(name, ty, default_of(&d, name), doc);
    vec![
        Arg::required("dataset", ArgType::Enum, "the bundled dataset to train on").choices_from("datasets"),
        Arg::required(
            "layers",
            ArgType::List,
            "the layer stack, input first (keras.Sequential)",
        ),
        Arg::required(
            "loss",
            ArgType::Enum,
            "what training minimises (a name, or an object with options)",
        )
        .choices_from("losses"),
        Arg::required(
            "optimizer",
            ArgType::Object,
            "how the weights are updated (a name, or an object)",
        )
        .choices_from("optimizers"),
        opt(
            "metrics",
            ArgType::List,
            "reported while training; empty: accuracy for classification",
        )
        .choices_from("metrics"),
        opt(
            "label_encoding",
            ArgType::Enum,
            "how class labels reach the loss; null: from the loss; plus_minus_one: targets −1/+1 for \
             one output unit on two classes (accuracy = sign agreement)",
        )
        .choices(["one_hot", "sparse", "plus_minus_one"])
        .nullable(),
        opt("batch_size", ArgType::Int, "samples per gradient step")
            .min(1.0)
            .max(crate::limits::MAX_BATCH_SIZE as f64),
        opt("epochs", ArgType::Int, "passes over the training data")
            .min(1.0)
            .max(f64::from(u32::MAX)),
        opt(
            "validation_split",
            ArgType::Float,
            "fraction of the training data held out, in [0, 1)",
        )
        .min(0.0)
        .max(1.0),
        opt("shuffle", ArgType::Bool, "shuffle the training data every epoch"),
        opt(
            "seed",
            ArgType::Int,
            "everything random (weights, shuffling, dropout) derives from it",
        ),
        opt(
            "early_stopping",
            ArgType::Object,
            "keras.callbacks.EarlyStopping, or null",
        )
        .nullable(),
        opt("lr_schedule", ArgType::Object, "a learning-rate schedule, or null").nullable(),
        Arg::new(
            "validation_data",
            ArgType::Enum,
            Value::Null,
            "Validate on: the last validation_split fraction of the training set, or the test set \
             (Keras validation_data=(x_test, y_test), which overrides validation_split)",
        )
        .choices(["test"])
        .labels(&[("", "last fraction of the training set"), ("test", "the test set")])
        .nullable(),
    ]
}

/// `keras.callbacks.EarlyStopping`'s arguments.
pub fn early_stopping_args() -> Vec<Arg> {
    let d = fields_of(EarlyStoppingConfig::default());
    let opt = |name: &'static str, ty: ArgType, doc: &'static str| Arg::new(name, ty, default_of(&d, name), doc);
    vec![
        opt("monitor", ArgType::String, "the logged value to watch, e.g. val_loss"),
        opt(
            "min_delta",
            ArgType::Float,
            "smallest change that counts as an improvement",
        ),
        opt("patience", ArgType::Int, "epochs without improvement before stopping").max(f64::from(u32::MAX)),
        opt("mode", ArgType::Enum, "min, max, or auto (from the monitor's name)").choices(["auto", "min", "max"]),
        opt("baseline", ArgType::Float, "stop unless the monitor beats it, or null").nullable(),
        opt(
            "restore_best_weights",
            ArgType::Bool,
            "end with the best epoch's weights",
        ),
        opt("start_from_epoch", ArgType::Int, "epochs to wait before watching").max(f64::from(u32::MAX)),
    ]
}

fn optimizer_doc(field: &str) -> &'static str {
    match field {
        "learning_rate" => "step size of each update",
        "momentum" => "fraction of the previous update carried over",
        "nesterov" => "Nesterov momentum",
        "beta_1" => "decay of the running mean of gradients",
        "beta_2" => "decay of the running mean of squared gradients",
        "epsilon" => "small constant for numerical stability",
        "amsgrad" => "use the maximum of past squared gradients",
        "rho" => "decay of the running mean of squared gradients",
        "centered" => "normalise by the gradient's variance",
        "initial_accumulator_value" => "starting value of the accumulators",
        "clipnorm" => "clip each gradient tensor to this norm, or null",
        "clipvalue" => "clip each gradient value to ±this, or null",
        "global_clipnorm" => "clip all gradients together to this norm, or null",
        _ => "",
    }
}

/// The optimizer `name`'s arguments with Keras' defaults (read from
/// `OptimizerConfig::from_name`), clipping included; `name` itself excluded.
/// Each may be `null` (= its default, as the optimizer JSON reads it).
pub fn optimizer_args(name: &str) -> Vec<Arg> {
    let Ok(cfg) = OptimizerConfig::from_name(name) else {
        return Vec::new();
    };
    let mut args: Vec<Arg> = fields_of(&cfg)
        .into_iter()
        .filter(|(k, _)| k != "name")
        .filter_map(|(k, v)| {
            let field = optimizer_field(&k)?;
            let ty = if v.is_boolean() { ArgType::Bool } else { ArgType::Float };
            let arg = Arg::new(field, ty, &v, optimizer_doc(field)).nullable();
            Some(if v.is_null() { arg.min(0.0) } else { arg })
        })
        .collect();
    // The JSON map is alphabetical; the schema lists Keras' signature order.
    args.sort_by_key(|a| OPTIMIZER_FIELDS.iter().position(|f| *f == a.name));
    args
}

/// Every optimizer field, in an order that is each Keras optimizer's own
/// signature order (SGD: learning_rate, momentum, nesterov; RMSprop:
/// learning_rate, rho, momentum, epsilon, centered; Adam: learning_rate,
/// beta_1, beta_2, epsilon, amsgrad; …), clipping last.
const OPTIMIZER_FIELDS: [&str; 13] = [
    "learning_rate",
    "rho",
    "momentum",
    "nesterov",
    "beta_1",
    "beta_2",
    "initial_accumulator_value",
    "epsilon",
    "amsgrad",
    "centered",
    "clipnorm",
    "clipvalue",
    "global_clipnorm",
];

/// The `'static` name of an optimizer field (the schema's names are static).
fn optimizer_field(k: &str) -> Option<&'static str> {
    OPTIMIZER_FIELDS.iter().copied().find(|f| *f == k)
}

/// The argument the page's live "momentum" control sets for `name`
/// (`momentum` or `beta_1`; none for adagrad): the field that
/// `OptimizerConfig::set_momentum` changes.
pub fn momentum_arg(name: &str) -> Option<&'static str> {
    let cfg = OptimizerConfig::from_name(name).ok()?;
    let mut moved = cfg.clone();
    moved.set_momentum(0.5).ok()?;
    let (before, after) = (fields_of(&cfg), fields_of(&moved));
    after
        .iter()
        .find(|(k, v)| before.get(*k) != Some(*v))
        .and_then(|(k, _)| optimizer_field(k))
}

/// The task a loss is for: the crossentropies, hinges and KL divergence
/// compare class probabilities; the others regress values.
pub fn loss_task(name: LossName) -> Task {
    match name {
        LossName::CategoricalCrossentropy
        | LossName::SparseCategoricalCrossentropy
        | LossName::BinaryCrossentropy
        | LossName::Hinge
        | LossName::CategoricalHinge
        | LossName::KlDivergence => Task::Classification,
        LossName::MeanSquaredError | LossName::MeanAbsoluteError | LossName::Huber => Task::Regression,
    }
}

/// The arguments the loss `name` takes besides its name, with defaults
/// from `Loss::new`: from_logits (crossentropies), delta (huber),
/// label_smoothing (categorical and binary crossentropy).
pub fn loss_args(name: LossName) -> Vec<Arg> {
    let d = Loss::new(name);
    let mut args = Vec::new();
    if name.is_crossentropy() {
        args.push(Arg::new(
            "from_logits",
            ArgType::Bool,
            d.from_logits,
            "the model outputs logits (no softmax/sigmoid at the end)",
        ));
    }
    if name == LossName::Huber {
        args.push(
            Arg::new(
                "delta",
                ArgType::Float,
                d.delta,
                "where the loss turns from quadratic to linear",
            )
            .min(0.0),
        );
    }
    if matches!(name, LossName::CategoricalCrossentropy | LossName::BinaryCrossentropy) {
        args.push(
            Arg::new(
                "label_smoothing",
                ArgType::Float,
                d.label_smoothing,
                "move targets this far towards uniform",
            )
            .min(0.0)
            .max(1.0),
        );
    }
    args
}

/// The learning-rate schedules (`"type"` values) and their arguments.
pub fn schedule_args() -> Vec<(&'static str, Vec<Arg>)> {
    let lr0 = || Arg::required("initial_learning_rate", ArgType::Float, "the rate at step 0").min(0.0);
    let steps = |doc| Arg::required("decay_steps", ArgType::Int, doc).min(1.0);
    vec![
        (
            "exponential_decay",
            vec![
                lr0(),
                steps("steps over which the rate is multiplied by decay_rate"),
                Arg::required("decay_rate", ArgType::Float, "factor per decay_steps").min(0.0),
                Arg::new("staircase", ArgType::Bool, bool::default(), "decay in whole steps"),
            ],
        ),
        (
            "cosine_decay",
            vec![
                lr0(),
                steps("steps over which the rate follows a half cosine"),
                Arg::new("alpha", ArgType::Float, f32::default(), "final fraction of the rate")
                    .min(0.0)
                    .max(1.0),
                Arg::new(
                    "warmup_target",
                    ArgType::Float,
                    Value::Null,
                    "rate reached after warm-up, or null",
                )
                .nullable(),
                Arg::new("warmup_steps", ArgType::Int, u64::default(), "steps of linear warm-up"),
            ],
        ),
        (
            "step_decay",
            vec![
                lr0(),
                Arg::required("factor", ArgType::Float, "multiplies the rate every every_epochs").min(0.0),
                Arg::required("every_epochs", ArgType::Int, "epochs between drops")
                    .min(1.0)
                    .max(f64::from(u32::MAX)),
            ],
        ),
    ]
}
