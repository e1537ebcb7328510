//! Structure-aware inputs: `arbitrary` values turned into the JSON documents
//! the core reads (experiment configs and model files). Names come from the
//! core's vocabularies plus a few wrong ones; numbers favour the edges that
//! broke things before (0, −1, 2³², u64::MAX, 1e39, huge units, …).

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

const DATASETS: &[&str] = &[
    "xor",
    "or",
    "and",
    "circles",
    "moons",
    "spirals",
    "gaussians",
    "mnist",
    "mnist-full",
    "iris",
    "nope",
];
const ACTIVATIONS: &[&str] = &[
    "linear",
    "relu",
    "leaky_relu",
    "elu",
    "sigmoid",
    "tanh",
    "softmax",
    "step",
    "swish",
];
const INITIALIZERS: &[&str] = &[
    "zeros",
    "ones",
    "random_uniform",
    "random_normal",
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_normal",
    "orthogonal",
];
const LOSSES: &[&str] = &[
    "mean_squared_error",
    "mse",
    "mean_absolute_error",
    "huber",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "hinge",
    "categorical_hinge",
    "kl_divergence",
    "poisson",
];
const OPTIMIZERS: &[&str] = &["sgd", "adam", "rmsprop", "adagrad", "nadam", "lion"];
const OPT_ARGS: &[&str] = &[
    "learning_rate",
    "momentum",
    "nesterov",
    "beta_1",
    "beta_2",
    "epsilon",
    "amsgrad",
    "rho",
    "centered",
    "initial_accumulator_value",
    "clipnorm",
    "clipvalue",
    "global_clipnorm",
    "weight_decay",
];
const METRICS: &[&str] = &["accuracy", "acc", "mse", "mae", "auc"];
const MONITORS: &[&str] = &["val_loss", "loss", "val_accuracy", "accuracy", "val_mae", "lr"];

fn pick(list: &[&str], i: u8) -> Value {
    Value::from(list[usize::from(i) % list.len()])
}

/// A number with the edge cases weighted in.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Num {
    Small(u8),
    Edge(u8),
    Int(i64),
    Big(u64),
    Float(f64),
    Unit(u16),
}

const EDGES: &[f64] = &[
    0.0,
    -1.0,
    1.0,
    2.0,
    0.5,
    0.999,
    1e-7,
    1e-45,
    1e39,
    -1e39,
    4294967296.0,
    4294967295.0,
    9.9e6,
    60000.0,
    1e9,
    -5.0,
    1e300,
    3.4e38,
];

impl Num {
    pub fn value(self) -> Value {
        match self {
            Num::Small(v) => Value::from(v),
            Num::Edge(i) => {
                let v = EDGES[usize::from(i) % EDGES.len()];
                if v.fract() == 0.0 && v.abs() < 9e15 {
                    Value::from(v as i64)
                } else {
                    Value::from(v)
                }
            }
            Num::Int(v) => Value::from(v),
            Num::Big(v) => Value::from(v),
            Num::Float(v) => serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
            Num::Unit(v) => Value::from(f64::from(v) / 65535.0),
        }
    }
}

#[derive(Arbitrary, Debug)]
pub enum Layer {
    Dense {
        units: Num,
        activation: Option<u8>,
        use_bias: Option<bool>,
        kernel_initializer: Option<u8>,
        bias_initializer: Option<u8>,
    },
    Activation(u8),
    Dropout(Num),
    Flatten,
    Softmax,
    Unknown(u8),
}

impl Layer {
    fn value(&self) -> Value {
        match self {
            Layer::Dense {
                units,
                activation,
                use_bias,
                kernel_initializer,
                bias_initializer,
            } => {
                let mut m = Map::new();
                m.insert("type".into(), "Dense".into());
                m.insert("units".into(), units.value());
                if let Some(a) = activation {
                    m.insert("activation".into(), pick(ACTIVATIONS, *a));
                }
                if let Some(b) = use_bias {
                    m.insert("use_bias".into(), (*b).into());
                }
                if let Some(i) = kernel_initializer {
                    m.insert("kernel_initializer".into(), pick(INITIALIZERS, *i));
                }
                if let Some(i) = bias_initializer {
                    m.insert("bias_initializer".into(), pick(INITIALIZERS, *i));
                }
                Value::Object(m)
            }
            Layer::Activation(a) => json!({"type": "Activation", "activation": pick(ACTIVATIONS, *a)}),
            Layer::Dropout(r) => json!({"type": "Dropout", "rate": r.value()}),
            Layer::Flatten => json!({"type": "Flatten"}),
            Layer::Softmax => json!({"type": "Softmax"}),
            Layer::Unknown(u) => json!({"type": "Conv9D", "units": u}),
        }
    }
}

#[derive(Arbitrary, Debug)]
pub enum Loss {
    Name(u8),
    Object {
        name: u8,
        from_logits: Option<bool>,
        delta: Option<Num>,
        label_smoothing: Option<Num>,
    },
}

#[derive(Arbitrary, Debug)]
pub struct Optimizer {
    name: u8,
    args: Vec<(u8, Num, bool)>,
}

#[derive(Arbitrary, Debug)]
pub struct EarlyStopping {
    monitor: Option<u8>,
    min_delta: Option<Num>,
    patience: Option<Num>,
    mode: Option<u8>,
    baseline: Option<Num>,
    restore_best_weights: Option<bool>,
    start_from_epoch: Option<Num>,
}

#[derive(Arbitrary, Debug)]
pub enum Schedule {
    Exponential(Num, Num, Num, bool),
    Cosine(Num, Num, Num, Option<Num>, Option<Num>),
    Step(Num, Num, Num),
}

#[derive(Arbitrary, Debug)]
pub struct Config {
    dataset: u8,
    layers: Vec<Layer>,
    loss: Loss,
    optimizer: Optimizer,
    metrics: Option<Vec<u8>>,
    label_encoding: Option<u8>,
    batch_size: Option<Num>,
    epochs: Option<Num>,
    validation_split: Option<Num>,
    shuffle: Option<bool>,
    seed: Option<Num>,
    early_stopping: Option<EarlyStopping>,
    lr_schedule: Option<Schedule>,
}

fn put(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v);
    }
}

impl Config {
    pub fn value(&self) -> Value {
        let mut m = Map::new();
        m.insert("dataset".into(), pick(DATASETS, self.dataset));
        let layers: Vec<Value> = self.layers.iter().take(8).map(Layer::value).collect();
        m.insert("layers".into(), layers.into());
        let loss = match &self.loss {
            Loss::Name(n) => pick(LOSSES, *n),
            Loss::Object {
                name,
                from_logits,
                delta,
                label_smoothing,
            } => {
                let mut l = Map::new();
                l.insert("name".into(), pick(LOSSES, *name));
                put(&mut l, "from_logits", from_logits.map(Value::from));
                put(&mut l, "delta", delta.map(Num::value));
                put(&mut l, "label_smoothing", label_smoothing.map(Num::value));
                Value::Object(l)
            }
        };
        m.insert("loss".into(), loss);
        let mut o = Map::new();
        o.insert("name".into(), pick(OPTIMIZERS, self.optimizer.name));
        for (k, v, as_bool) in self.optimizer.args.iter().take(6) {
            let value = if *as_bool {
                Value::from(v.value().as_f64() == Some(1.0))
            } else {
                v.value()
            };
            o.insert(pick(OPT_ARGS, *k).as_str().unwrap_or("x").to_string(), value);
        }
        m.insert("optimizer".into(), Value::Object(o));
        put(
            &mut m,
            "metrics",
            self.metrics
                .as_ref()
                .map(|v| v.iter().take(3).map(|&i| pick(METRICS, i)).collect::<Vec<_>>().into()),
        );
        put(
            &mut m,
            "label_encoding",
            self.label_encoding.map(|i| pick(&["one_hot", "sparse", "binary"], i)),
        );
        put(&mut m, "batch_size", self.batch_size.map(Num::value));
        put(&mut m, "epochs", self.epochs.map(Num::value));
        put(&mut m, "validation_split", self.validation_split.map(Num::value));
        put(&mut m, "shuffle", self.shuffle.map(Value::from));
        put(&mut m, "seed", self.seed.map(Num::value));
        if let Some(es) = &self.early_stopping {
            let mut e = Map::new();
            put(&mut e, "monitor", es.monitor.map(|i| pick(MONITORS, i)));
            put(&mut e, "min_delta", es.min_delta.map(Num::value));
            put(&mut e, "patience", es.patience.map(Num::value));
            put(&mut e, "mode", es.mode.map(|i| pick(&["auto", "min", "max", "up"], i)));
            put(&mut e, "baseline", es.baseline.map(Num::value));
            put(&mut e, "restore_best_weights", es.restore_best_weights.map(Value::from));
            put(&mut e, "start_from_epoch", es.start_from_epoch.map(Num::value));
            m.insert("early_stopping".into(), Value::Object(e));
        }
        if let Some(s) = &self.lr_schedule {
            let v = match s {
                Schedule::Exponential(a, b, c, st) => json!({"type": "exponential_decay",
                    "initial_learning_rate": a.value(), "decay_steps": b.value(), "decay_rate": c.value(),
                    "staircase": st}),
                Schedule::Cosine(a, b, c, wt, ws) => {
                    let mut o = Map::new();
                    o.insert("type".into(), "cosine_decay".into());
                    o.insert("initial_learning_rate".into(), a.value());
                    o.insert("decay_steps".into(), b.value());
                    o.insert("alpha".into(), c.value());
                    put(&mut o, "warmup_target", wt.map(Num::value));
                    put(&mut o, "warmup_steps", ws.map(Num::value));
                    Value::Object(o)
                }
                Schedule::Step(a, b, c) => json!({"type": "step_decay",
                    "initial_learning_rate": a.value(), "factor": b.value(), "every_epochs": c.value()}),
            };
            m.insert("lr_schedule".into(), v);
        }
        Value::Object(m)
    }
}

/// One weight entry of a model file: shape and values chosen freely, the
/// data either the honest base64 of the values or arbitrary text.
#[derive(Arbitrary, Debug)]
pub struct Weight {
    layer: Num,
    name: u8,
    shape: Vec<Num>,
    values: Vec<f32>,
    raw_data: Option<String>,
}

#[derive(Arbitrary, Debug)]
pub struct ModelFile {
    config: Config,
    version: Option<Num>,
    input_shape: Vec<Num>,
    /// `None`: the honest weights of the config's model, built natively.
    weights: Option<Vec<Weight>>,
    optimizer_state: Option<(u8, Num, Vec<Num>, Vec<Vec<Vec<f32>>>)>,
    step: Option<Num>,
    history: Option<(Vec<Num>, Vec<Num>)>,
}

fn b64(values: &[f32]) -> String {
    gradlab::model::io::encode_f32(values)
}

impl ModelFile {
    pub fn value(&self) -> Value {
        let config = self.config.value();
        let input_shape: Vec<Value> = self.input_shape.iter().take(4).map(|n| n.value()).collect();
        let weights: Vec<Value> = match &self.weights {
            Some(ws) => ws
                .iter()
                .take(8)
                .map(|w| {
                    json!({"layer": w.layer.value(), "name": pick(&["kernel", "bias", "gamma"], w.name),
                        "shape": w.shape.iter().take(4).map(|n| n.value()).collect::<Vec<_>>(),
                        "dtype": "float32-le",
                        "data": w.raw_data.clone().unwrap_or_else(|| b64(&w.values))})
                })
                .collect(),
            None => honest_weights(&config, &input_shape),
        };
        let mut m = Map::new();
        m.insert("format".into(), "gradlab-model".into());
        m.insert("version".into(), self.version.map_or(Value::from(1), Num::value));
        m.insert("config".into(), config);
        m.insert("input_shape".into(), input_shape.into());
        m.insert("weights".into(), weights.into());
        if let Some((name, lr, global, params)) = &self.optimizer_state {
            let params: Vec<Value> = params
                .iter()
                .take(8)
                .map(|slots| json!({"slots": slots.iter().take(3).map(|s| b64(s)).collect::<Vec<_>>()}))
                .collect();
            m.insert(
                "optimizer_state".into(),
                json!({"name": pick(OPTIMIZERS, *name), "learning_rate": lr.value(),
                    "global": global.iter().take(3).map(|n| n.value()).collect::<Vec<_>>(), "params": params}),
            );
        }
        put(&mut m, "step", self.step.map(Num::value));
        if let Some((epochs, losses)) = &self.history {
            m.insert(
                "history".into(),
                json!({"epoch": epochs.iter().take(4).map(|n| n.value()).collect::<Vec<_>>(),
                    "history": {"loss": losses.iter().take(4).map(|n| n.value()).collect::<Vec<_>>()}}),
            );
        }
        Value::Object(m)
    }
}

/// The weights of the model that `config` builds on `input_shape` (so the
/// fuzzer reaches what happens after a successful load), or none.
fn honest_weights(config: &Value, input_shape: &[Value]) -> Vec<Value> {
    let Ok(cfg) = gradlab::config::ExperimentConfig::from_json(config.to_string().as_bytes()) else {
        return Vec::new();
    };
    let shape: Option<Vec<usize>> = input_shape
        .iter()
        .map(|v| v.as_u64().and_then(|n| usize::try_from(n).ok()).filter(|&n| n <= 64))
        .collect();
    let Some(shape) = shape else { return Vec::new() };
    let Ok(model) = gradlab::model::Sequential::new(&shape, &cfg.layers, cfg.seed) else {
        return Vec::new();
    };
    model
        .params_by_layer()
        .into_iter()
        .map(|(layer, p)| {
            json!({"layer": layer, "name": p.name, "shape": p.value.shape(), "dtype": "float32-le",
                "data": b64(&p.value.iter().copied().collect::<Vec<f32>>())})
        })
        .collect()
}
