//! Native command-line trainer: the same core and configs as the page.
//!
//! ```text
//! gradlab train <config.json> [--epochs N] [--batch-size N] [--dataset NAME]
//!                             [--datasets DIR] [--save MODEL.json]
//! gradlab summary <config.json> [--datasets DIR]
//! gradlab validate <config.json> [--datasets DIR]
//! gradlab kfold <config.json> [--folds K] [--vary RUNS] [--epochs N]   (gradlab/kfold_cmd.rs)
//! ```
//! Dataset files are read from DIR (default: `datasets/` in the current
//! directory or its parent, else the repository's `datasets/`), gunzipped,
//! and handed to `data::bundled::load`. Errors go to stderr with exit code 1.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use gradlab::config::ExperimentConfig;
use gradlab::data::{bundled, Dataset};
use gradlab::model::{Run, TrainEvent};

#[path = "gradlab/data_args.rs"]
mod data_args;
#[path = "gradlab/export_cmd.rs"]
mod export_cmd;
#[path = "gradlab/kfold_cmd.rs"]
mod kfold_cmd;

const USAGE: &str = "usage:
  gradlab train <config.json> [--epochs N] [--batch-size N] [--dataset NAME] [--datasets DIR] [--save MODEL.json]
  gradlab summary <config.json> [--datasets DIR]
  gradlab validate <config.json> [--datasets DIR]
  gradlab schema   (the schema the page builds its editor from, as JSON)";

struct Args {
    command: String,
    config: PathBuf,
    epochs: Option<u32>,
    batch_size: Option<usize>,
    dataset: Option<String>,
    datasets: Option<PathBuf>,
    save: Option<PathBuf>,
}

fn parse_args(raw: &[String]) -> Result<Args, String> {
    let mut it = raw.iter();
    let command = it.next().ok_or("missing command")?.clone();
    if !matches!(command.as_str(), "train" | "summary" | "validate") {
        return Err(format!("unknown command '{command}'"));
    }
    let mut a = Args {
        command,
        config: PathBuf::new(),
        epochs: None,
        batch_size: None,
        dataset: None,
        datasets: None,
        save: None,
    };
    let mut config = None;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--epochs" => {
                a.epochs = Some(
                    value("--epochs")?
                        .parse()
                        .map_err(|_| "--epochs needs a whole number")?,
                )
            }
            "--batch-size" => {
                a.batch_size = Some(
                    value("--batch-size")?
                        .parse()
                        .map_err(|_| "--batch-size needs a whole number")?,
                )
            }
            "--dataset" => a.dataset = Some(value("--dataset")?),
            "--datasets" => a.datasets = Some(PathBuf::from(value("--datasets")?)),
            "--save" => a.save = Some(PathBuf::from(value("--save")?)),
            s if s.starts_with("--") => return Err(format!("unknown option '{s}'")),
            s if config.is_none() => config = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument '{s}'")),
        }
    }
    a.config = config.ok_or("missing the config file")?;
    Ok(a)
}

fn datasets_dir(flag: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(d) = flag {
        return if d.is_dir() {
            Ok(d.to_path_buf())
        } else {
            Err(format!("--datasets {}: no such directory", d.display()))
        };
    }
    let candidates = [
        PathBuf::from("datasets"),
        PathBuf::from("../datasets"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../datasets"),
    ];
    candidates
        .into_iter()
        .find(|d| d.join("README.md").is_file())
        .ok_or_else(|| "cannot find the datasets/ folder: run from the repository or pass --datasets DIR".into())
}

fn load_data(name: &str, dir: &Path, seed: u64) -> Result<(Dataset, Dataset), String> {
    let info = bundled::info(name).map_err(|e| e.to_string())?;
    let mut files = Vec::with_capacity(info.files.len());
    for rel in info.files {
        let path = dir.join(rel);
        files.push(data_args::read(&path)?);
    }
    let slices: Vec<&[u8]> = files.iter().map(|f| f.as_slice()).collect();
    bundled::load(name, &slices, seed).map_err(|e| e.to_string())
}

fn fmt_logs(logs: &std::collections::BTreeMap<String, f64>) -> String {
    let mut keys: Vec<&String> = logs.keys().filter(|k| *k != "lr").collect();
    // Keras' order: loss, metrics, then val_loss, val_metrics.
    keys.sort_by_key(|k| (k.starts_with("val_"), !k.ends_with("loss"), k.to_string()));
    keys.iter()
        .map(|k| format!("{k}: {:.4}", logs[*k]))
        .collect::<Vec<_>>()
        .join(" - ")
}

fn train(args: &Args, config: ExperimentConfig, train: Dataset, test: Dataset) -> Result<(), String> {
    let epochs = config.epochs;
    let mut trainer = Run::new(config, train, Some(test)).map_err(|e| e.to_string())?;
    let bpe = trainer.batches_per_epoch();
    println!(
        "{} training samples{}, {} batches/epoch, {} params, {} threads",
        trainer.train_set().len(),
        trainer
            .validation_set()
            .map_or(String::new(), |v| format!(" ({} validation)", v.len())),
        bpe,
        trainer.model().param_count(),
        rayon::current_num_threads()
    );
    let (mut start, mut samples, mut total_samples, mut total_secs) = (Instant::now(), 0usize, 0usize, 0f64);
    let mut header: Option<u32> = None;
    let result = trainer.fit(|ev| {
        match ev {
            TrainEvent::Batch(b) => {
                if header != Some(b.epoch) {
                    println!("Epoch {}/{epochs}", b.epoch + 1);
                    header = Some(b.epoch);
                }
                samples += b.size
            }
            TrainEvent::EpochEnd(e) => {
                let secs = start.elapsed().as_secs_f64();
                total_samples += samples;
                total_secs += secs;
                let lr = e.logs.get("lr").map_or(String::new(), |v| format!(" - lr: {v:.4e}"));
                println!(
                    "{bpe}/{bpe} - {secs:.1}s - {} - {:.0} samples/s{lr}",
                    fmt_logs(&e.logs),
                    samples as f64 / secs.max(1e-9)
                );
                start = Instant::now();
                samples = 0;
            }
        }
        ControlFlow::Continue(())
    });
    let result = result.map(|_| ()).map_err(|e| e.to_string());
    // The core's diagnosis (diverged, at chance, plateau), before a training error too.
    if let Some(d) = trainer.diagnosis() {
        println!("Warning: {}", d.message);
    }
    result?;
    if trainer.stopped_early() {
        println!("Early stopping after epoch {}", trainer.epoch());
    }
    println!(
        "Mean throughput: {:.0} samples/s",
        total_samples as f64 / total_secs.max(1e-9)
    );
    if let Some(ev) = trainer.evaluate_test().map_err(|e| e.to_string())? {
        let metrics: Vec<String> = ev.metrics.iter().map(|(k, v)| format!("{k}: {v:.4}")).collect();
        println!(
            "Test ({} samples): loss: {:.4} - {}",
            ev.samples,
            ev.loss,
            metrics.join(" - ")
        );
    }
    if let Some(path) = &args.save {
        std::fs::write(path, gradlab::model::save(&trainer))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("Saved the model to {}", path.display());
    }
    Ok(())
}

fn run(raw: &[String]) -> Result<(), String> {
    if raw.first().is_some_and(|c| c == "export") {
        return export_cmd::run(&raw[1..]);
    }
    if raw.first().is_some_and(|c| c == "kfold") {
        return kfold_cmd::run(&raw[1..]);
    }
    let (raw, by_path) = data_args::take(raw)?;
    let args = parse_args(&raw).map_err(|e| format!("{e}\n{USAGE}"))?;
    let mut config = by_path.read_config(&args.config)?;
    if let Some(n) = args.epochs {
        config.epochs = n;
    }
    if let Some(n) = args.batch_size {
        config.batch_size = n;
    }
    if let Some(d) = &args.dataset {
        config.dataset = d.clone();
    }
    let (train_set, test_set) = match by_path.load(&config.dataset, config.seed)? {
        Some(d) => (d.train, d.test),
        None => load_data(&config.dataset, &datasets_dir(args.datasets.as_deref())?, config.seed)?,
    };
    match args.command.as_str() {
        "validate" => {
            config.validate(&train_set).map_err(|e| e.to_string())?;
            println!("{}: OK", args.config.display());
            Ok(())
        }
        "summary" => {
            config.validate(&train_set).map_err(|e| e.to_string())?;
            let model = gradlab::model::Sequential::new(&train_set.sample_shape, &config.layers, config.seed)
                .map_err(|e| e.to_string())?;
            print!("{}", model.summary().to_text());
            Ok(())
        }
        _ => train(&args, config, train_set, test_set),
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    if raw.first().map(String::as_str) == Some("schema") {
        return match serde_json::to_string_pretty(&gradlab::schema::schema()) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match run(&raw) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if e.starts_with("missing command") || e.starts_with("unknown command") {
                eprintln!("{}\n{}\n{}", export_cmd::USAGE, kfold_cmd::USAGE, data_args::USAGE);
            }
            ExitCode::FAILURE
        }
    }
}
