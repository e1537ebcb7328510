//! `gradlab kfold`: k-fold cross-validation of an experiment, or of several
//! variations of it, as the page's Cross-validation panel runs it: the same
//! stratified folds from the config's seed (`model::fold_indices`), each fold's
//! run built by `Run::for_fold` (trains on the other K−1 folds, validates on
//! the fold; `validation_split` and `validation_data` are not used), scored by
//! Keras `evaluate` on the fold after training (`val_accuracy`, or `val_loss`
//! without an accuracy metric).
//!
//! ```text
//! gradlab kfold <config.json> [--folds K] [--vary RUNS] [--epochs N] [--datasets DIR] [data by path]
//! ```
//! `RUNS` is the page's race link form (`config::patch`), e.g.
//! `'optimizer:sgd|optimizer:adam|optimizer:adagrad|optimizer:rmsprop'`;
//! without it the config alone is scored. `K` defaults to 5. Mean ± std per
//! configuration: `gradlab::stats::summary`, the POPULATION std (ddof=0), the
//! same numbers as the page's Cross-validation panel (NumPy's `np.std`, as
//! scikit-learn's cross-validation examples print it).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use gradlab::config::patch::parse_race;
use gradlab::config::ExperimentConfig;
use gradlab::data::Dataset;
use gradlab::model::{fold_indices, Run, TrainEvent};
use gradlab::stats::summary;

use super::data_args;

pub const USAGE: &str =
    "  gradlab kfold <config.json> [--folds K] [--vary RUNS] [--epochs N] [--datasets DIR] [data by path]
      RUNS as the page's race link: 'optimizer:sgd|optimizer:adam(learning_rate=0.0005)|loss:mean_squared_error'";

struct Args {
    config: PathBuf,
    folds: usize,
    vary: Option<String>,
    epochs: Option<u32>,
    datasets: Option<PathBuf>,
}

fn parse_args(rest: &[String]) -> Result<Args, String> {
    let (mut config, mut folds, mut vary, mut epochs, mut datasets) = (None, 5, None, None, None);
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--folds" | "-k" => {
                let v = value("--folds")?;
                folds = v
                    .parse()
                    .map_err(|_| format!("--folds: K must be a whole number ≥ 2 (got '{v}')"))?
            }
            "--vary" => vary = Some(value("--vary")?),
            "--epochs" => {
                let v = value("--epochs")?;
                epochs = Some(
                    v.parse()
                        .map_err(|_| format!("--epochs needs a whole number (got '{v}')"))?,
                )
            }
            "--datasets" => datasets = Some(PathBuf::from(value("--datasets")?)),
            s if s.starts_with('-') => return Err(format!("unknown option '{s}'")),
            s if config.is_none() => config = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument '{s}'")),
        }
    }
    if folds < 2 {
        return Err(format!("--folds: k-fold needs at least 2 folds (got {folds})"));
    }
    Ok(Args {
        config: config.ok_or("missing the config file")?,
        folds,
        vary,
        epochs,
        datasets,
    })
}

/// Run `gradlab kfold` with the arguments after "kfold".
pub fn run(raw: &[String]) -> Result<(), String> {
    let usage = || format!("\nusage:\n{USAGE}\n{}", data_args::USAGE);
    let (rest, by_path) = data_args::take(raw).map_err(|e| e + &usage())?;
    let args = parse_args(&rest).map_err(|e| e + &usage())?;
    let mut base = by_path.read_config(&args.config)?;
    if let Some(n) = args.epochs {
        base.epochs = n;
    }
    let configs: Vec<(String, ExperimentConfig)> = match &args.vary {
        None => vec![("this experiment".to_string(), base.clone())],
        Some(text) => {
            let patches = parse_race(text).map_err(|e| format!("--vary: {e}"))?;
            let mut out = Vec::with_capacity(patches.len());
            for (i, p) in patches.iter().enumerate() {
                let label = if p.text.is_empty() {
                    format!("run {}", i + 1)
                } else {
                    p.text.clone()
                };
                let c = p
                    .apply(&base)
                    .map_err(|e| format!("--vary run {} ({label}): {e}", i + 1))?;
                out.push((label, c));
            }
            out
        }
    };
    let (train, test) = match by_path.load(&base.dataset, base.seed)? {
        Some(d) => (d.train, d.test),
        None => super::load_data(
            &base.dataset,
            &super::datasets_dir(args.datasets.as_deref())?,
            base.seed,
        )?,
    };
    for (label, c) in &configs {
        c.validate(&train).map_err(|e| format!("{label}: {e}"))?;
    }
    let (train, test) = (Arc::new(train), Arc::new(test));
    let scores = cross_validate(&configs, &train, &test, args.folds, base.seed)?;
    print_summary(&configs, &scores, args.folds);
    Ok(())
}

/// The folds' sizes and class counts, then every (fold, configuration) run; the score of each.
fn cross_validate(
    configs: &[(String, ExperimentConfig)],
    train: &Arc<Dataset>,
    test: &Arc<Dataset>,
    k: usize,
    seed: u64,
) -> Result<Vec<Vec<(f64, bool)>>, String> {
    let folds = fold_indices(train, k, seed).map_err(|e| format!("--folds: {e}"))?;
    println!(
        "{k}-fold cross-validation of {} configuration{} on {} ({} training samples, {} folds from seed {seed}); \
         score = Keras evaluate() on the fold left out",
        configs.len(),
        if configs.len() == 1 { "" } else { "s" },
        train.name,
        train.len(),
        if train.num_classes().is_some() {
            "stratified"
        } else {
            "shuffled"
        },
    );
    for (f, (tr, val)) in folds.iter().enumerate() {
        let classes = train.num_classes().map_or(String::new(), |n| {
            let mut counts = vec![0usize; n];
            val.iter()
                .filter_map(|&i| train.label(i))
                .for_each(|c| counts[c as usize] += 1);
            let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
            format!(" (per class: {})", counts.join(" "))
        });
        println!(
            "Fold {}/{k}: validates on {}{classes}, trains on {}",
            f + 1,
            val.len(),
            tr.len()
        );
    }
    let mut scores = vec![Vec::with_capacity(k); configs.len()];
    for fold in 0..k {
        for (i, (label, config)) in configs.iter().enumerate() {
            let start = Instant::now();
            let mut run = Run::for_fold(config.clone(), Arc::clone(train), Some(Arc::clone(test)), k, fold)
                .map_err(|e| format!("{label}, fold {}: {e}", fold + 1))?;
            let epochs = config.epochs;
            let mut epoch_start = Instant::now();
            let fitted = run.fit(|ev| {
                if let TrainEvent::EpochEnd(e) = ev {
                    println!(
                        "  {label} · fold {}/{k} · epoch {}/{epochs} - {:.1}s - {}",
                        fold + 1,
                        e.epoch + 1,
                        epoch_start.elapsed().as_secs_f64(),
                        super::fmt_logs(&e.logs)
                    );
                    epoch_start = Instant::now();
                }
                ControlFlow::Continue(())
            });
            fitted.map_err(|e| format!("{label}, fold {}: {e}", fold + 1))?;
            let ev = run
                .evaluate_validation()
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("{label}, fold {}: the run has no validation fold", fold + 1))?;
            let accuracy = ev.metrics.get("accuracy").copied();
            scores[i].push((accuracy.unwrap_or(ev.loss), accuracy.is_some()));
            println!(
                "Fold {}/{k} - {label} - {}val_loss: {:.4} - {} epochs{} - {:.1}s",
                fold + 1,
                accuracy.map_or(String::new(), |a| format!("val_accuracy: {a:.4} - ")),
                ev.loss,
                run.epoch(),
                if run.stopped_early() { " (early stopping)" } else { "" },
                start.elapsed().as_secs_f64()
            );
        }
    }
    Ok(scores)
}

fn print_summary(configs: &[(String, ExperimentConfig)], scores: &[Vec<(f64, bool)>], k: usize) {
    let accuracy = scores.iter().flatten().all(|&(_, acc)| acc);
    let width = configs
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(13);
    println!(
        "\nScores ({} on the fold left out); mean ± population std (ddof=0, as the page and np.std):",
        if accuracy { "val_accuracy" } else { "val_loss" }
    );
    let folds: Vec<String> = (1..=k).map(|f| format!("{:>8}", format!("fold {f}"))).collect();
    println!("{:width$} {} {:>17}", "configuration", folds.join(" "), "mean ± std");
    for ((label, _), s) in configs.iter().zip(scores) {
        let v: Vec<f64> = s.iter().map(|&(x, _)| x).collect();
        let mean_std = summary(&v).map_or("–".to_string(), |s| format!("{:.4} ± {:.4}", s.mean, s.std));
        let cells: Vec<String> = v.iter().map(|x| format!("{x:>8.4}")).collect();
        println!("{label:width$} {} {mean_std:>17}", cells.join(" "));
    }
}
