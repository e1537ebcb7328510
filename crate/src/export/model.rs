//! The Keras code of the model, its compilation and `fit()`: one Python
//! expression per config value, with Keras 3 class and argument names.
//!
//! - Layers: `keras.Sequential` of [`super::layers`]' calls (generic over the
//!   layer registry, non-default arguments only).
//! - Loss: the Keras name as a string when its options are the defaults, else
//!   the class (`keras.losses.Huber(delta=2.0)`).
//! - Optimizer: the class with every hyper-parameter written out, clipping too.
//! - Schedules: `ExponentialDecay` and `CosineDecay` become the optimizer's
//!   `learning_rate`; step decay is a `LearningRateScheduler` callback with
//!   `lr0 · factor ** (epoch // every_epochs)` (epoch 0-based, as ours).
//! - EarlyStopping with all seven arguments.

use crate::config::ExperimentConfig;
use crate::losses::{Loss, LossName};
use crate::optimizers::{HyperValue, OptimizerConfig};
use crate::schedules::Schedule;
use crate::Result;

use super::pylit::{boolean, call, call_at, float, float64, string};

/// `model = keras.Sequential([...])` with the input shape.
pub fn sequential(cfg: &ExperimentConfig, input_shape: &[usize]) -> Result<String> {
    let mut s = String::from("model = keras.Sequential(\n    [\n");
    s += &format!("        keras.Input(shape={}),\n", super::pylit::tuple(input_shape));
    for l in &cfg.layers {
        s += &format!("        {},\n", super::layers::layer(l)?);
    }
    s += "    ]\n)\n";
    Ok(s)
}

fn loss_class(n: LossName) -> &'static str {
    match n {
        LossName::MeanSquaredError => "MeanSquaredError",
        LossName::MeanAbsoluteError => "MeanAbsoluteError",
        LossName::Huber => "Huber",
        LossName::CategoricalCrossentropy => "CategoricalCrossentropy",
        LossName::SparseCategoricalCrossentropy => "SparseCategoricalCrossentropy",
        LossName::BinaryCrossentropy => "BinaryCrossentropy",
        LossName::Hinge => "Hinge",
        LossName::CategoricalHinge => "CategoricalHinge",
        LossName::KlDivergence => "KLDivergence",
    }
}

pub fn loss(l: &Loss) -> String {
    if *l == Loss::new(l.name) {
        return string(l.name.name());
    }
    let mut args = Vec::new();
    if l.from_logits {
        args.push("from_logits=True".to_string());
    }
    if l.label_smoothing != 0.0 {
        args.push(format!("label_smoothing={}", float(l.label_smoothing)));
    }
    if l.delta != 1.0 {
        args.push(format!("delta={}", float(l.delta)));
    }
    call(&format!("keras.losses.{}", loss_class(l.name)), &args, 0)
}

/// The schedule object passed as `learning_rate`, if the schedule is one Keras has
/// (written after `lr_schedule = `).
pub fn schedule(s: &Schedule) -> Option<String> {
    let call = |name: &str, args: &[String], _: usize| call_at(name, args, 0, "lr_schedule = ".len());
    match *s {
        Schedule::ExponentialDecay {
            initial_learning_rate,
            decay_steps,
            decay_rate,
            staircase,
        } => Some(call(
            "keras.optimizers.schedules.ExponentialDecay",
            &[
                format!("initial_learning_rate={}", float(initial_learning_rate)),
                format!("decay_steps={decay_steps}"),
                format!("decay_rate={}", float(decay_rate)),
                format!("staircase={}", boolean(staircase)),
            ],
            0,
        )),
        Schedule::CosineDecay {
            initial_learning_rate,
            decay_steps,
            alpha,
            warmup_target,
            warmup_steps,
        } => {
            let mut args = vec![
                format!("initial_learning_rate={}", float(initial_learning_rate)),
                format!("decay_steps={decay_steps}"),
                format!("alpha={}", float(alpha)),
            ];
            if let Some(t) = warmup_target {
                args.push(format!("warmup_target={}", float(t)));
                args.push(format!("warmup_steps={warmup_steps}"));
            }
            Some(call("keras.optimizers.schedules.CosineDecay", &args, 0))
        }
        Schedule::StepDecay { .. } => None,
    }
}

/// `optimizer = keras.optimizers.Adam(...)`; `lr` replaces the learning rate
/// (a schedule variable name) when given.
pub fn optimizer(o: &OptimizerConfig, lr: Option<&str>) -> String {
    let rate = |v: f32| format!("learning_rate={}", lr.map_or_else(|| float(v), String::from));
    let class = o.kind.keras_class();
    let mut args: Vec<String> = o
        .kind
        .hyper_parameters()
        .into_iter()
        .map(|(field, value)| match (field, value) {
            ("learning_rate", HyperValue::Number(v)) => rate(v),
            (_, HyperValue::Number(v)) => format!("{field}={}", float(v)),
            (_, HyperValue::Flag(v)) => format!("{field}={}", boolean(v)),
        })
        .collect();
    for (name, v) in [
        ("clipnorm", o.clipnorm),
        ("clipvalue", o.clipvalue),
        ("global_clipnorm", o.global_clipnorm),
    ] {
        if let Some(v) = v {
            args.push(format!("{name}={}", float(v)));
        }
    }
    let lead = "optimizer = ";
    format!(
        "{lead}{}\n",
        call_at(&format!("keras.optimizers.{class}"), &args, 0, lead.len())
    )
}

/// The `callbacks = [...]` list (EarlyStopping, step-decay scheduler).
pub fn callbacks(cfg: &ExperimentConfig) -> String {
    let mut items = Vec::new();
    if let Some(es) = &cfg.early_stopping {
        let mode = match es.mode {
            crate::config::MonitorMode::Auto => "auto",
            crate::config::MonitorMode::Min => "min",
            crate::config::MonitorMode::Max => "max",
        };
        items.push(call(
            "keras.callbacks.EarlyStopping",
            &[
                format!("monitor={}", string(&es.monitor)),
                format!("min_delta={}", float64(es.min_delta)),
                format!("patience={}", es.patience),
                format!("mode={}", string(mode)),
                format!("baseline={}", es.baseline.map_or("None".into(), float64)),
                format!("restore_best_weights={}", boolean(es.restore_best_weights)),
                format!("start_from_epoch={}", es.start_from_epoch),
            ],
            4,
        ));
    }
    if let Some(Schedule::StepDecay {
        initial_learning_rate,
        factor,
        every_epochs,
    }) = &cfg.lr_schedule
    {
        items.push(format!(
            "keras.callbacks.LearningRateScheduler(\n        lambda epoch: {} * {} ** (epoch // {every_epochs})\n    )",
            float(*initial_learning_rate),
            float(*factor)
        ));
    }
    if items.is_empty() {
        return "callbacks = []\n".into();
    }
    let body: String = items.iter().map(|i| format!("    {i},\n")).collect();
    format!("callbacks = [\n{body}]\n")
}
