//! `gradlab kfold`: the page's k-fold cross-validation from the command line, on iris (120
//! training samples, 40 per class): K folds print with their sizes and class counts (disjoint,
//! stratified), one score per fold and configuration, mean ± population std computed from those
//! scores; the same seed gives the same numbers; bad K or variations are clear errors.

mod cli_common;

use cli_common::gradlab;

fn stdout_of(args: &[&str]) -> String {
    let out = gradlab(args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

const RUNS: &str = "optimizer:sgd(learning_rate=0.1)|optimizer:adam(learning_rate=0.01)";

fn kfold(seed_args: &[&str]) -> String {
    let mut args = vec![
        "kfold",
        "configs/iris-mlp.json",
        "--folds",
        "3",
        "--epochs",
        "4",
        "--vary",
        RUNS,
    ];
    args.extend_from_slice(seed_args);
    stdout_of(&args)
}

/// `"Fold 2/3: validates on 40 (per class: 14 13 13), trains on 80"` → (40, [14, 13, 13], 80).
fn fold_line(line: &str) -> (usize, Vec<usize>, usize) {
    let num = |s: &str| s.trim_matches(|c: char| !c.is_ascii_digit()).parse::<usize>().unwrap();
    let (_, rest) = line.split_once("validates on ").unwrap();
    let (val, rest) = rest.split_once(" (per class: ").unwrap();
    let (classes, train) = rest.split_once("), trains on ").unwrap();
    (num(val), classes.split(' ').map(num).collect(), num(train))
}

#[test]
fn folds_are_disjoint_and_stratified_and_every_configuration_is_scored() {
    let out = kfold(&[]);
    let folds: Vec<_> = out
        .lines()
        .filter(|l| l.starts_with("Fold ") && l.contains("validates on"))
        .map(fold_line)
        .collect();
    assert_eq!(folds.len(), 3, "{out}");
    // A partition of the 120 training samples: sizes add up, each fold trains on the rest.
    assert_eq!(folds.iter().map(|f| f.0).sum::<usize>(), 120, "{out}");
    assert!(folds.iter().all(|(val, _, train)| val + train == 120));
    // Stratified: 40 of each class in all, each fold within one sample of 40/3 per class.
    for c in 0..3 {
        assert_eq!(folds.iter().map(|f| f.1[c]).sum::<usize>(), 40, "class {c}: {out}");
        assert!(folds.iter().all(|f| (13..=14).contains(&f.1[c])), "class {c}: {out}");
    }
    // One score per (fold, configuration); the summary's mean ± std is theirs (population std).
    for label in RUNS.split('|') {
        let scores: Vec<f64> = out
            .lines()
            .filter(|l| l.starts_with("Fold ") && l.contains(&format!(" - {label} - ")))
            .map(|l| {
                let (_, rest) = l.split_once("val_accuracy: ").unwrap();
                rest[..6].parse().unwrap()
            })
            .collect();
        assert_eq!(scores.len(), 3, "{label}: {out}");
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
        // Accuracy on a fold of 40 is a multiple of 1/40.
        assert!(
            scores.iter().all(|s| ((s * 40.0).round() - s * 40.0).abs() < 2e-3),
            "{scores:?}"
        );
        let row = out.lines().rev().find(|l| l.starts_with(label)).unwrap();
        let cells: Vec<&str> = row.split_whitespace().collect();
        let (mean, std): (f64, f64) = (
            cells[cells.len() - 3].parse().unwrap(),
            cells[cells.len() - 1].parse().unwrap(),
        );
        let m = scores.iter().sum::<f64>() / 3.0;
        let s = (scores.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 3.0).sqrt();
        assert!((mean - m).abs() < 2e-4 && (std - s).abs() < 2e-4, "{row}: {m} ± {s}");
    }
    assert!(out.contains("population std"), "{out}");
}

/// The output without timings (epoch lines and each fold line's trailing seconds).
fn numbers(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| !l.starts_with("  "))
        .map(|l| match l.rsplit_once(" - ") {
            Some((head, tail)) if tail.ends_with('s') && l.starts_with("Fold ") => head.to_string(),
            _ => l.to_string(),
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let (a, b) = (kfold(&[]), kfold(&[]));
    assert_eq!(numbers(&a), numbers(&b));
    assert!(numbers(&a).iter().any(|l| l.contains("val_accuracy: ")), "{a}");
    // Without --vary the config itself is scored (its own optimizer).
    let one = stdout_of(&["kfold", "configs/iris-mlp.json", "--folds", "2", "--epochs", "1"]);
    assert!(one.contains("Fold 2/2 - this experiment - val_accuracy: "), "{one}");
}

#[test]
fn bad_k_and_bad_variations_are_clear_errors() {
    let cases: [(&[&str], &str); 5] = [
        (&["--folds", "1"], "--folds: k-fold needs at least 2 folds (got 1)"),
        (
            &["--folds", "121"],
            "cannot make 121 folds from 120 samples: use at most 120 folds",
        ),
        (&["--folds", "many"], "K must be a whole number ≥ 2 (got 'many')"),
        (&["--vary", "colour:red"], "--vary: run 1: unknown field \"colour\""),
        (
            &["--vary", "optimizer:adam|dropout[0]:0.5"],
            "--vary run 2 (dropout[0]:0.5): layer 1 is Dense, not Dropout",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["kfold", "configs/iris-mlp.json", "--epochs", "1"];
        args.extend_from_slice(extra);
        let out = gradlab(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && !stderr.contains("panicked"),
            "{stderr}"
        );
        assert!(stderr.contains(want), "{extra:?}: {stderr}");
    }
}
