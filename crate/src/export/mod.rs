//! Export an experiment to Keras 3 on TensorFlow: a Python script and a
//! Jupyter notebook (Colab) that reproduce it — the same data and
//! preprocessing ([`data`]), layers with their arguments and initializers,
//! loss, optimizer, metrics, batch size, epochs, validation split, shuffle,
//! callbacks and schedules ([`model`]), the seed (`keras.utils.set_random_seed`
//! for Keras, `np.random.default_rng` for the splits), `model.summary()`,
//! evaluation on the test part, a plot of the history and, optionally, the
//! page's trained weights in and a `gradlab-model` file out ([`weights`]).
//!
//! Both renderings come from one list of [`Cell`]s, so the script is exactly
//! the notebook's code. Pure text generation: no I/O.
//!
//! What differs in the Keras run, and is said in the generated text: Keras
//! draws its own initial weights, dropout masks and batch order from the seed
//! (same distributions, other numbers), and numpy draws the table splits and
//! toy points (same rules, other rows).

mod data;
mod layers;
mod model;
mod notebook;
mod pyhelpers;
mod pylit;
mod toy_data;
mod weights;

#[cfg(test)]
mod tests;

pub use data::DataSource;
pub use notebook::Cell;

use crate::config::{ExperimentConfig, ValidationData};
use crate::data::{LabelEncoding, Task};
use crate::layers::Plan;
use crate::model::summary::group_thousands;
use crate::schedules::Schedule;
use crate::{Error, Result};

use pylit::{float, string};

/// Output format of [`export`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Python script (`.py`).
    Python,
    /// A Jupyter notebook (`.ipynb`, nbformat 4).
    Notebook,
}

impl Format {
    /// `"py"` or `"ipynb"` (the file extension).
    pub fn from_name(name: &str) -> Result<Format> {
        match name.trim().trim_start_matches('.').to_ascii_lowercase().as_str() {
            "py" | "python" | "script" => Ok(Format::Python),
            "ipynb" | "notebook" | "colab" => Ok(Format::Notebook),
            other => Err(Error::Config(format!(
                "unknown export format \"{other}\"; use \"py\" (Python script) or \"ipynb\" (Jupyter/Colab notebook)"
            ))),
        }
    }
}

/// The export of `cfg` with its data from `source`, in `format`; `model_file`
/// (a `gradlab-model` file of the same layer stack) adds its weights.
pub fn export(
    cfg: &ExperimentConfig,
    source: &DataSource,
    model_file: Option<&[u8]>,
    format: Format,
) -> Result<String> {
    let cells = cells(cfg, source, model_file)?;
    Ok(match format {
        Format::Python => notebook::render_script(&cells),
        Format::Notebook => notebook::render_notebook(&cells),
    })
}

/// Check the values the export writes (the data itself is not needed).
fn check(cfg: &ExperimentConfig) -> Result<()> {
    if cfg.layers.is_empty() {
        return Err(Error::Config(
            "the model has no layers; add at least one Dense layer".into(),
        ));
    }
    cfg.loss.validate()?;
    cfg.optimizer.validate()?;
    if let Some(s) = &cfg.lr_schedule {
        s.validate()?;
    }
    if cfg.batch_size == 0 || cfg.epochs == 0 {
        return Err(Error::Config("batch_size and epochs must be at least 1".into()));
    }
    if cfg.validation_data.is_none() && !(0.0..1.0).contains(&cfg.validation_split) {
        return Err(Error::Config(format!(
            "validation_split is {}; set it at least 0 and below 1",
            cfg.validation_split
        )));
    }
    Ok(())
}

/// The layer stack on `input_shape` (shapes and sizes checked, as the page
/// builds it): its per-sample output shape and parameter count.
fn plan(cfg: &ExperimentConfig, input_shape: &[usize]) -> Result<(Vec<usize>, u64)> {
    let (plan, problems) = Plan::new(input_shape, &cfg.layers);
    crate::error::invalid_unless_empty(problems)?;
    let output = plan.output_shape().map(<[usize]>::to_vec).unwrap_or_default();
    Ok((output, plan.total_params))
}

fn labels_code(cfg: &ExperimentConfig, output: &[usize], task: Task, num_classes: Option<usize>) -> String {
    match (task, num_classes) {
        (Task::Regression, _) | (_, None) => "y_train = y_train.reshape(-1, 1).astype(\"float32\")\n\
             y_test = y_test.reshape(-1, 1).astype(\"float32\")\n"
            .into(),
        (Task::Classification, Some(k)) => {
            if output == [1] && cfg.label_encoding == Some(LabelEncoding::PlusMinusOne) {
                "# One output unit, targets -1/+1 (class 0 -> -1, class 1 -> +1).\n\
                 y_train = (2 * y_train - 1).reshape(-1, 1).astype(\"float32\")\n\
                 y_test = (2 * y_test - 1).reshape(-1, 1).astype(\"float32\")\n"
                    .into()
            } else if output == [1] {
                "# One output unit: the class (0 or 1) is the target.\n\
                 y_train = y_train.reshape(-1, 1).astype(\"float32\")\n\
                 y_test = y_test.reshape(-1, 1).astype(\"float32\")\n"
                    .into()
            } else if cfg.effective_label_encoding() == LabelEncoding::Sparse {
                "# Sparse labels: the class index.\ny_train, y_test = y_train.astype(\"int64\"), y_test.astype(\"int64\")\n"
                    .into()
            } else {
                format!(
                    "# One-hot labels, as {} expects.\n\
                     y_train = keras.utils.to_categorical(y_train, {k})\n\
                     y_test = keras.utils.to_categorical(y_test, {k})\n",
                    cfg.loss.name.name()
                )
            }
        }
    }
}

fn setup_code(cfg: &ExperimentConfig, uses_step: bool) -> String {
    let mut s = format!(
        "import os\n\n\
         os.environ.setdefault(\"KERAS_BACKEND\", \"tensorflow\")\n\
         os.environ.setdefault(\"TF_CPP_MIN_LOG_LEVEL\", \"2\")\n\n\
         import base64\nimport gzip\nimport json\nimport zlib\n\n\
         import numpy as np\nimport keras\nfrom keras import layers\n\n\
         SEED = {seed}\n\
         keras.utils.set_random_seed(SEED)  # Python, numpy and TensorFlow seeds\n\
         rng = np.random.default_rng(SEED)  # splits and toy data\n",
        seed = cfg.seed
    );
    if uses_step {
        s += &format!("\n\n{}", layers::STEP_DEF);
    }
    s
}

fn compile_code(cfg: &ExperimentConfig, task: Task) -> String {
    let mut s = String::new();
    let keras_schedule = cfg.lr_schedule.as_ref().and_then(model::schedule);
    if let Some(sched) = &keras_schedule {
        s += &format!("lr_schedule = {sched}\n");
    }
    let lr = match (&keras_schedule, &cfg.lr_schedule) {
        (Some(_), _) => Some("lr_schedule".to_string()),
        (
            None,
            Some(Schedule::StepDecay {
                initial_learning_rate, ..
            }),
        ) => Some(float(*initial_learning_rate)),
        _ => None,
    };
    s += &model::optimizer(&cfg.optimizer, lr.as_deref());
    let metrics: Vec<String> = cfg.effective_metrics(task).iter().map(|m| string(m.name())).collect();
    s += &format!(
        "model.compile(optimizer=optimizer, loss={}, metrics=[{}])\n",
        model::loss(&cfg.loss),
        metrics.join(", ")
    );
    s
}

fn fit_code(cfg: &ExperimentConfig) -> String {
    let validation = match cfg.validation_data {
        Some(ValidationData::Test) => "validation_data=(x_test, y_test),  # the test split, every epoch".to_string(),
        None => format!(
            "validation_split={},  # the LAST fraction of the train part, as Gradient Lab",
            float(cfg.validation_split)
        ),
    };
    format!(
        "{}history = model.fit(\n    x_train,\n    y_train,\n    batch_size={},\n    epochs={},\n    \
         {validation}\n    shuffle={},\n    callbacks=callbacks,\n    verbose=2,\n)\n",
        model::callbacks(cfg),
        cfg.batch_size,
        cfg.epochs,
        pylit::boolean(cfg.shuffle),
    )
}

const PLOT: &str = r#"import matplotlib.pyplot as plt

curves = [k for k in history.history if not k.startswith("val_") and k not in ("learning_rate", "lr")]
fig, axes = plt.subplots(1, len(curves), figsize=(5 * len(curves), 3.5), squeeze=False)
for ax, k in zip(axes[0], curves):
    ax.plot(history.history[k], label=k)
    if "val_" + k in history.history:
        ax.plot(history.history["val_" + k], label="val_" + k)
    ax.set_xlabel("epoch")
    ax.set_title(k)
    ax.legend()
fig.tight_layout()
fig.savefig("history.png")
plt.show()
"#;

/// The export as cells (see the module doc).
pub fn cells(cfg: &ExperimentConfig, source: &DataSource, model_file: Option<&[u8]>) -> Result<Vec<Cell>> {
    check(cfg)?;
    let d = data::data_code(&cfg.dataset, source)?;
    let (output, params) = plan(cfg, &d.input_shape)?;
    let mut cells = vec![
        Cell::Markdown(format!(
            "# Gradient Lab experiment in Keras\n\n\
             Dataset: {}. Keras 3 on TensorFlow (`pip install tensorflow-cpu scikit-learn pandas matplotlib`; \
             Colab has them).\n\n\
             Same data and preprocessing, layers, initializers, loss, optimizer, metrics, batch size, epochs, \
             validation split, callbacks and seed as in Gradient Lab. Keras draws its own initial weights, \
             dropout masks and batch order from the seed, so the numbers are close, not identical.",
            d.title
        )),
        Cell::Code(setup_code(cfg, layers::uses_step(&cfg.layers))),
        Cell::Markdown("## Data".into()),
        Cell::Code(format!(
            "{}\n{}",
            d.code,
            labels_code(cfg, &output, d.task, d.num_classes)
        )),
        Cell::Markdown(format!(
            "## Model\n\n`model.summary()` prints {} parameters, as Gradient Lab's summary.",
            group_thousands(params)
        )),
        Cell::Code(format!("{}model.summary()\n", model::sequential(cfg, &d.input_shape)?)),
        Cell::Code(compile_code(cfg, d.task)),
    ];
    if let Some(bytes) = model_file {
        cells.push(Cell::Code(weights::embed(cfg, bytes)?));
    }
    cells.extend([
        Cell::Markdown("## Train".into()),
        Cell::Code(fit_code(cfg)),
        Cell::Markdown("## Test".into()),
        Cell::Code(
            "results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)\n\
             print(\"test:\", {k: round(float(v), 4) for k, v in results.items()})\n"
                .into(),
        ),
        Cell::Markdown("## History".into()),
        Cell::Code(PLOT.into()),
        Cell::Markdown("## Back to Gradient Lab".into()),
        Cell::Code(weights::save_cell(cfg, &d.input_shape)),
    ]);
    Ok(cells)
}
