//! The data cell of the toy sets: the same generators and parameters as
//! `data::toy` in numpy (other random numbers), and the gates' truth tables.

use crate::data::bundled::{ToyParams, TEST_FRACTION};
use crate::data::{truth_table, Gate, Targets};
use crate::{Error, Result};

use super::pylit::float;

pub(super) fn toy_code(name: &str, p: &ToyParams) -> Result<String> {
    let n = p.n;
    let noise = float(p.noise);
    let gen = match name {
        "circles" => format!(
            "n_out, n_in = {n} // 2, {n} - {n} // 2\n\
             t_out = 2 * np.pi * np.arange(n_out) / n_out\n\
             t_in = 2 * np.pi * np.arange(n_in) / n_in\n\
             x = np.concatenate([np.stack([np.cos(t_out), np.sin(t_out)], 1), {f} * np.stack([np.cos(t_in), np.sin(t_in)], 1)])\n\
             y = np.concatenate([np.zeros(n_out, int), np.ones(n_in, int)])\n\
             x = x + {noise} * rng.standard_normal(x.shape)\n",
            f = float(p.factor)
        ),
        "moons" => format!(
            "n_out, n_in = {n} // 2, {n} - {n} // 2\n\
             t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)\n\
             x = np.concatenate([np.stack([np.cos(t_out), np.sin(t_out)], 1), np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], 1)])\n\
             y = np.concatenate([np.zeros(n_out, int), np.ones(n_in, int)])\n\
             x = x + {noise} * rng.standard_normal(x.shape)\n"
        ),
        "spirals" => format!(
            "xs, ys = [], []\n\
             for k in range({c}):\n    m = {n} // {c} + (1 if k < {n} % {c} else 0)\n    r = np.linspace(0, 1, m)\n    \
             t = np.linspace(4 * k, 4 * (k + 1), m) + {noise} * rng.standard_normal(m)\n    \
             xs.append(np.stack([r * np.sin(t), r * np.cos(t)], 1))\n    ys.append(np.full(m, k))\n\
             x, y = np.concatenate(xs), np.concatenate(ys)\n",
            c = p.classes
        ),
        "gaussians" => format!(
            "xs, ys = [], []\n\
             for k in range({c}):\n    m = {n} // {c} + (1 if k < {n} % {c} else 0)\n    a = 2 * np.pi * k / {c}\n    \
             xs.append(np.tile([2 * np.cos(a), 2 * np.sin(a)], (m, 1)))\n    ys.append(np.full(m, k))\n\
             x, y = np.concatenate(xs), np.concatenate(ys)\n\
             x = x + {noise} * rng.standard_normal(x.shape)\n",
            c = p.classes
        ),
        "sine" => format!(
            "x = np.linspace(-np.pi, np.pi, {n}).reshape(-1, 1)\n\
             y = np.sin(x) + {noise} * rng.standard_normal(x.shape)\n"
        ),
        other => return Err(Error::Config(format!("no Python generator for the dataset '{other}'"))),
    };
    Ok(format!(
        "# The same generator and parameters as Gradient Lab ({n} samples, noise {noise}); numpy draws\n\
         # other random numbers, so the points differ.\n{gen}\
         perm = rng.permutation({n})\n\
         x, y = x[perm].astype(\"float32\"), y[perm]\n\
         n_train = {n_train}  # the first 80 % (rounded) train, the rest test\n\
         x_train, y_train, x_test, y_test = x[:n_train], y[:n_train], x[n_train:], y[n_train:]\n",
        n_train = n - (n as f64 * TEST_FRACTION as f64).round() as usize
    ))
}

pub(super) fn gate_code(gate: Gate) -> String {
    let ds = truth_table(gate);
    let labels = match &ds.targets {
        Targets::Classes { labels, .. } => labels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "),
        Targets::Values { .. } => String::new(),
    };
    format!(
        "# The truth table; train and test are the same 4 rows, as in the course.\n\
         x_train = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=\"float32\")\n\
         y_train = np.array([{labels}])\n\
         x_test, y_test = x_train.copy(), y_train.copy()\n"
    )
}
