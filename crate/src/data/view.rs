//! [`DataView`]: a part of a shared, immutable [`Dataset`] — a range or a
//! list of its sample indices — without copying a sample.
//!
//! A dataset is loaded once and held behind an `Arc`; every run over it
//! takes views: the training part and Keras' validation tail
//! ([`DataView::split_tail`]), later k-fold's folds ([`DataView::from_indices`]).
//! A view's sample `i` (`0 ≤ i < len`) is the dataset's sample
//! [`DataView::index`]`(i)`; batches are gathered from the dataset with
//! those dataset indices.

use std::sync::Arc;

use super::dataset::Dataset;
use crate::error::data_err;
use crate::Result;

/// Which samples of the dataset a view holds.
#[derive(Clone, Debug, PartialEq)]
enum Rows {
    /// `start..end`, in order.
    Range(usize, usize),
    /// These dataset indices, in this order (repeats allowed).
    List(Arc<[usize]>),
}

#[derive(Clone, Debug)]
pub struct DataView {
    data: Arc<Dataset>,
    rows: Rows,
}

impl DataView {
    /// All samples of `data`, in order.
    pub fn all(data: Arc<Dataset>) -> DataView {
        let n = data.len();
        DataView {
            data,
            rows: Rows::Range(0, n),
        }
    }

    /// The samples `indices` of `data` (in that order); an index past the end is an error.
    pub fn from_indices(data: Arc<Dataset>, indices: Vec<usize>) -> Result<DataView> {
        if let Some(&bad) = indices.iter().find(|&&i| i >= data.len()) {
            return data_err(format!(
                "sample {bad} does not exist: dataset '{}' has {} samples",
                data.name,
                data.len()
            ));
        }
        Ok(DataView {
            data,
            rows: Rows::List(indices.into()),
        })
    }

    /// The shared dataset this view reads from.
    pub fn dataset(&self) -> &Dataset {
        &self.data
    }

    /// The shared dataset's `Arc` (to make more views of it).
    pub fn shared(&self) -> &Arc<Dataset> {
        &self.data
    }

    pub fn len(&self) -> usize {
        match &self.rows {
            Rows::Range(s, e) => e - s,
            Rows::List(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The dataset index of the view's sample `i`.
    ///
    /// # Panics
    /// If `i >= self.len()` (indices come from the trainer, not the user).
    pub fn index(&self, i: usize) -> usize {
        match &self.rows {
            Rows::Range(s, e) => {
                assert!(s + i < *e, "view index {i} out of range");
                s + i
            }
            Rows::List(l) => l[i],
        }
    }

    /// Keras `validation_split` on this view: the LAST `fraction` of its
    /// samples become validation (see [`Dataset::split_point`]); both parts
    /// are views of the same dataset. `fraction = 0` gives an empty validation view.
    pub fn split_tail(&self, fraction: f32) -> Result<(DataView, DataView)> {
        let at = Dataset::split_point(self.len(), fraction)?;
        let part = |a: usize, b: usize| DataView {
            data: Arc::clone(&self.data),
            rows: match &self.rows {
                Rows::Range(s, _) => Rows::Range(s + a, s + b),
                Rows::List(l) => Rows::List(l[a..b].into()),
            },
        };
        Ok((part(0, at), part(at, self.len())))
    }
}
