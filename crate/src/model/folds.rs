//! k-fold cross-validation runs: a [`Run`] whose training part is K−1 folds
//! of the shared training set and whose validation part is the remaining
//! fold, both [`DataView`]s (no copy; one dataset for all K×N runs).
//!
//! The folds come from [`stratified_kfold`] for a classification set (each
//! fold keeps the classes' proportions within one sample) and from [`kfold`]
//! for regression, both from the run's seed — so fold `i` of a given seed is
//! the same for every configuration compared, and a re-run gives the same
//! numbers. The config's `validation_split` is not used (the fold is the
//! validation data); everything else (model, optimizer, batch order, early
//! stopping on `val_*`) is the run's as usual. Fold `i`'s score is the last
//! epoch's `val_*` (or, after `restore_best_weights`, an evaluation of the
//! restored weights on the fold: [`Run::evaluate_validation`]).

use std::sync::Arc;

use super::evaluate::Evaluation;
use super::run::Run;
use crate::config::ExperimentConfig;
use crate::data::{kfold, stratified_kfold, DataView, Dataset};
use crate::error::data_err;
use crate::Result;

/// The `(train, validation)` indices of every fold of `data` for `seed`:
/// stratified for a classification set, plain (shuffled) k-fold otherwise.
pub fn fold_indices(data: &Dataset, k: usize, seed: u64) -> Result<Vec<(Vec<usize>, Vec<usize>)>> {
    if data.num_classes().is_some() {
        let labels: Vec<u32> = (0..data.len()).map(|i| data.label(i).unwrap_or(0)).collect();
        stratified_kfold(&labels, k, seed)
    } else {
        kfold(data.len(), k, seed)
    }
}

impl Run {
    /// The run for fold `fold` (0-based) of `k` over `train`: trains on the
    /// other K−1 folds, validates on fold `fold` (folds from the config's seed,
    /// see [`fold_indices`]); fresh weights from the seed.
    pub fn for_fold(
        config: ExperimentConfig,
        train: Arc<Dataset>,
        test: Option<Arc<Dataset>>,
        k: usize,
        fold: usize,
    ) -> Result<Run> {
        let mut run = Run::with_data(config, train, test)?;
        run.use_fold(k, fold)?;
        Ok(run)
    }

    /// Makes this run train on all folds but `fold` of `k` and validate on
    /// `fold`, with fresh weights from the seed and history cleared.
    pub fn use_fold(&mut self, k: usize, fold: usize) -> Result<()> {
        if fold >= k {
            return data_err(format!(
                "fold {fold} does not exist: folds are numbered 0 to {}",
                k.saturating_sub(1)
            ));
        }
        let shared = Arc::clone(self.data.train.shared());
        let (train, val) = fold_indices(&shared, k, self.config.seed)?.swap_remove(fold);
        self.data.train = DataView::from_indices(Arc::clone(&shared), train)?;
        self.data.val = Some(DataView::from_indices(shared, val)?);
        self.reset()
    }

    /// Keras `evaluate` on the validation part (the fold, or the
    /// `validation_split` tail) with the weights as they are now; `None`
    /// when the run has no validation data.
    pub fn evaluate_validation(&mut self) -> Result<Option<Evaluation>> {
        match self.data.val.clone() {
            Some(v) => self.evaluate_view(&v).map(Some),
            None => Ok(None),
        }
    }
}
