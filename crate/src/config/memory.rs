//! The memory a run holds while it trains, estimated from its config, and
//! the bound on all runs together ([`crate::limits::MAX_RUNS_MEMORY_BYTES`]):
//! the page's worker keeps every run of a race in one wasm memory. Found: a
//! race of seven 16.7-million-parameter Adam models passed every per-run
//! limit, was built, and crashed the engine out of memory when it started.

use super::ExperimentConfig;
use crate::layers::Plan;
use crate::limits::MAX_RUNS_MEMORY_BYTES;
use crate::problem::{megabytes as mb, Problem};

/// Bytes run `cfg` holds while it trains on samples of `sample_shape`
/// (saturating), all f32: every parameter and its gradient; for each
/// trainable weight the optimizer's `k` values and the spare copies of the
/// weight and of those `k` values its shadow way writes
/// (`optimizers::pass::Spare`: kept between steps); and a batch's
/// activations ([`Plan::activation_bytes`]) and the layers' working buffers
/// ([`Plan::workspace_bytes`]). Adam: 28 bytes per weight.
/// Measured natively (RSS) for 16.7 M Adam parameters: 393 MB after one
/// step (the spare slots' untouched zero pages not counted), 467 MB here.
pub fn run_bytes(cfg: &ExperimentConfig, sample_shape: &[usize]) -> u64 {
    let (plan, _) = Plan::new(sample_shape, &cfg.layers);
    params_bytes(cfg, &plan).saturating_add(batch_bytes(cfg, &plan))
}

/// A training batch's activations and the layers' working buffers.
fn batch_bytes(cfg: &ExperimentConfig, plan: &Plan) -> u64 {
    plan.activation_bytes(cfg.batch_size)
        .saturating_add(plan.workspace_bytes(cfg.batch_size))
}

fn params_bytes(cfg: &ExperimentConfig, plan: &Plan) -> u64 {
    let per_weight = 1 + 2 * cfg.optimizer.values_per_weight() as u64;
    plan.total_params
        .saturating_mul(2)
        .saturating_add(plan.trainable_params.saturating_mul(per_weight))
        .saturating_mul(4)
}

/// A problem when run `cfg` alone needs more than all runs may hold.
pub(super) fn check_run(cfg: &ExperimentConfig, plan: &Plan) -> Option<Problem> {
    let params = params_bytes(cfg, plan);
    let activations = batch_bytes(cfg, plan);
    let bytes = params.saturating_add(activations);
    if bytes <= MAX_RUNS_MEMORY_BYTES {
        return None;
    }
    let (path, change) = if activations > params {
        ("batch_size", "lower batch_size or use fewer units")
    } else {
        ("layers", "use fewer units")
    };
    Some(Problem::new(
        path,
        format!(
            "while it trains this model needs about {} MB ({} MB for its weights, their gradients and \
             the optimizer's values, {} MB for a batch's activations and the layers' working buffers); \
             Gradient Lab's runs may hold {} MB: {change}",
            mb(bytes),
            mb(params),
            mb(activations),
            mb(MAX_RUNS_MEMORY_BYTES)
        ),
    ))
}

/// A message when a run of `bytes` cannot join runs holding `others` bytes.
pub fn runs_problem(bytes: u64, others: u64) -> Option<String> {
    let total = bytes.saturating_add(others);
    if total <= MAX_RUNS_MEMORY_BYTES {
        return None;
    }
    Some(format!(
        "this run needs about {} MB while it trains (its weights, their gradients, the optimizer's \
         values and a batch's activations) and the other runs hold {} MB; all runs together may hold \
         {} MB: race fewer runs, or use fewer units or a smaller batch_size",
        mb(bytes),
        mb(others),
        mb(MAX_RUNS_MEMORY_BYTES)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mnist(units: usize, optimizer: &str) -> ExperimentConfig {
        let json = format!(
            r#"{{"dataset":"mnist","layers":[{{"type":"Flatten"}},{{"type":"Dense","units":{units},"activation":"relu"}},
            {{"type":"Dense","units":10,"activation":"softmax"}}],"loss":"categorical_crossentropy",
            "optimizer":{optimizer},"batch_size":32}}"#
        );
        ExperimentConfig::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn a_run_is_its_parameters_gradients_optimizer_values_spares_and_activations() {
        // 795·128 + 10 = 101,770 parameters: value, gradient, spare value, and
        // Adam's m and v with their spares; a batch of 32 holds
        // 784 + 784 + 128 + 10 values per sample, 16 bytes each.
        let bytes = run_bytes(&mnist(128, r#""adam""#), &[28, 28, 1]);
        assert_eq!(bytes, 101_770 * 7 * 4 + 32 * (784 + 784 + 128 + 10) * 16);
        let sgd = run_bytes(&mnist(128, r#""sgd""#), &[28, 28, 1]);
        assert_eq!(bytes - sgd, 101_770 * 4 * 4, "SGD without momentum keeps no values");
    }

    #[test]
    fn a_race_of_big_runs_is_refused_at_the_run_that_does_not_fit() {
        // The crash found: seven runs of 16,695,010 Adam parameters (~457 MB each).
        let one = run_bytes(&mnist(21_000, r#""adam""#), &[28, 28, 1]);
        assert_eq!(runs_problem(one, 2 * one), None, "three fit");
        let m = runs_problem(one, 3 * one).expect("a fourth does not");
        assert!(
            m.starts_with("this run needs about 457 MB while it trains") && m.contains("the other runs hold 1,371 MB"),
            "{m}"
        );
        assert!(
            m.ends_with("may hold 1,536 MB: race fewer runs, or use fewer units or a smaller batch_size"),
            "{m}"
        );
    }

    #[test]
    fn a_run_that_alone_needs_more_is_a_config_problem() {
        let plan = |c: &ExperimentConfig| Plan::new(&[28, 28, 1], &c.layers).0;
        let small = mnist(21_000, r#""adam""#);
        assert_eq!(check_run(&small, &plan(&small)), None);
        // 784 → 25,000 → 800 → 12,000 → 10 with SGD: 49,357,810 parameters
        // (value, gradient, spare: 565 MB), a batch of 1,650 through 39,378
        // values per sample (992 MB): each within its own limit, not together.
        let mut big = mnist(25_000, r#""sgd""#);
        let dense = |units| crate::layers::LayerConfig::dense(units, crate::activations::Activation::Relu);
        big.layers.insert(2, dense(800));
        big.layers.insert(3, dense(12_000));
        big.batch_size = 1_650;
        assert_eq!(plan(&big).total_params, 49_357_810);
        assert_eq!(plan(&big).check_batch(1_650), None);
        let p = check_run(&big, &plan(&big)).expect("too big");
        assert_eq!(p.path, "batch_size");
        assert_eq!(
            p.message,
            "while it trains this model needs about 1,557 MB (565 MB for its weights, their gradients and the \
             optimizer's values, 992 MB for a batch's activations and the layers' working buffers); Gradient \
             Lab's runs may hold 1,536 MB: \
             lower batch_size or use fewer units"
        );
        big.batch_size = 1_500;
        assert_eq!(check_run(&big, &plan(&big)), None);
    }
}
