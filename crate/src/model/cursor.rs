//! Where a [`Run`](super::Run) is in its training: `(epoch, position in that
//! epoch's permutation)`, the running means of the epoch, and whether
//! training has finished.
//!
//! Determinism: epoch `e`'s order is a permutation of the training view
//! drawn from `Rng::stream(seed ⊕ mix(e), Shuffle)` (identity when `shuffle`
//! is false), so the result does not depend on how the batches are grouped
//! into chunks. The permutation is kept as DATASET indices (the view's
//! indices mapped through [`DataView::index`]), so a batch is gathered
//! straight from the shared dataset.

use super::step::Accumulator;
use crate::data::DataView;
use crate::rng::{Rng, Stream};

#[derive(Clone, Debug, Default)]
pub struct Cursor {
    /// The 0-based epoch the cursor is in (= completed epochs).
    pub epoch: u32,
    /// Samples of this epoch already trained.
    pub pos: usize,
    /// Running means of this epoch.
    pub acc: Accumulator,
    pub finished: bool,
    pub stopped_early: bool,
    /// This epoch's order, as dataset indices; valid when `perm_epoch == Some(epoch)`.
    perm: Vec<usize>,
    perm_epoch: Option<u32>,
}

/// Epoch `e`'s batch order over `n` samples (see the module doc).
pub fn epoch_permutation(seed: u64, epoch: u32, n: usize, shuffle: bool) -> Vec<usize> {
    if !shuffle {
        return (0..n).collect();
    }
    let mixed = seed ^ (u64::from(epoch) + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
    Rng::stream(mixed, Stream::Shuffle).permutation(n)
}

impl Cursor {
    /// The dataset indices of the next batch of `view` (at most
    /// `batch_size`); the caller moves `pos` on once it is trained.
    pub fn next_batch(&mut self, view: &DataView, seed: u64, shuffle: bool, batch_size: usize) -> &[usize] {
        let n = view.len();
        if self.perm_epoch != Some(self.epoch) {
            self.perm = epoch_permutation(seed, self.epoch, n, shuffle);
            self.perm.iter_mut().for_each(|i| *i = view.index(*i));
            self.perm_epoch = Some(self.epoch);
        }
        let end = (self.pos + batch_size.max(1)).min(n);
        &self.perm[self.pos..end]
    }

    /// The next epoch, from its start.
    pub fn next_epoch(&mut self) {
        self.epoch += 1;
        self.pos = 0;
        self.acc = Accumulator::default();
    }
}
