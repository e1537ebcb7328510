//! A 2-D convolution as packed SGEMMs over im2col chunks: the arithmetic of
//! `layers::Conv2D` (its bias and activation come in as the forward GEMM's
//! epilogue). With `col = im2col(x)` for a
//! chunk of samples (`rows = out_h·out_w` rows per sample, `patch = kh·kw·c`
//! columns, see [`super::im2col`]) and the kernel `K` read as a `patch × f`
//! matrix:
//!
//! ```text
//! forward:  y_chunk  = ep(col · K)        (ep: an elementwise epilogue, e.g. bias + relu)
//! kernel:   dK       = Σ_chunks colᵀ · dY_chunk     (chunks in a fixed order: last to first)
//! input:    dx_chunk = col2im(dY_chunk · Kᵀ)
//! ```
//!
//! A chunk's two backward products run side by side ([`threads::join_if`])
//! when together they are worth waking the pool ([`parallel_pays`]).
//!
//! A chunk holds at most `col_budget` column values. Backward reuses the
//! column matrix that forward built for the batch's last chunk and rebuilds
//! the others' from the input the layer hands back. The input gradient's
//! columns (`dcol`) are only needed until `col2im` has read them, so they
//! are made a few samples at a time (at most `dcol_budget` values, 1 MiB by
//! default): a layer keeps one chunk of columns, not two. All buffers are
//! kept between batches (no allocation in the steady state), and every
//! result is the same for any number of threads and any budgets.

use super::gemm::{sgemm, sgemm_then, Epilogue};
use super::im2col::{col2im, im2col, Window};
use super::par_threshold::parallel_pays;
use super::threads;

/// Most column-matrix values held at once by default (32 MiB; the reference
/// CNN's batch of 128 fits in one chunk): larger batches are cut into chunks.
pub const COL_BUDGET: usize = 1 << 23;

/// Most input-gradient column values made at once by default (1 MiB).
pub const DCOL_BUDGET: usize = 1 << 18;

/// The samples whose columns are held at once for a batch of `batch`, whose
/// samples have `per_sample` column values each: `(chunk, part)`, the chunk
/// of forward's (and dK's) columns within `col_budget` values, and the part
/// of a chunk whose input-gradient columns are made at once within
/// `dcol_budget`. The layer's buffers and the memory estimate
/// (`layers::Plan::workspace_bytes`) both follow it.
pub fn held_samples(per_sample: usize, col_budget: usize, dcol_budget: usize, batch: usize) -> (usize, usize) {
    let chunk = even_chunk(per_sample, col_budget, batch);
    (chunk, even_chunk(per_sample, dcol_budget, chunk))
}

/// Samples per chunk of `batch`: as even as possible within `budget` values
/// (at least one sample).
fn even_chunk(per_sample: usize, budget: usize, batch: usize) -> usize {
    let max = (budget / per_sample.max(1)).max(1);
    batch.div_ceil(batch.div_ceil(max).max(1)).max(1)
}

#[derive(Clone, Debug, Default)]
pub struct ConvGemm {
    window: Window,
    filters: usize,
    col_budget: usize,
    dcol_budget: usize,
    col: Vec<f32>,
    /// `(first sample, samples)` whose columns `col` holds.
    col_holds: Option<(usize, usize)>,
    dcol: Vec<f32>,
}

/// Make `v` exactly `len` long (allocates only when it grows past its capacity).
fn ensure_len(v: &mut Vec<f32>, len: usize) {
    v.resize(len, 0.0);
}

impl ConvGemm {
    /// At most `col_budget` column values and `dcol_budget` input-gradient
    /// column values at once (each at least one sample's).
    pub fn new(window: Window, filters: usize, col_budget: usize, dcol_budget: usize) -> ConvGemm {
        ConvGemm {
            window,
            filters,
            col_budget,
            dcol_budget,
            ..ConvGemm::default()
        }
    }

    pub fn window(&self) -> &Window {
        &self.window
    }

    /// The samples of a batch whose columns are held at once: [`held_samples`].
    fn held(&self, batch: usize) -> (usize, usize) {
        held_samples(self.window.col_len(), self.col_budget, self.dcol_budget, batch)
    }

    /// `y = conv(x, K)` for `x` of `batch · input_len` values into `y` of
    /// `batch · rows · f`, then `ep` on every value as the GEMM stores it (see
    /// [`sgemm_then`]; the layer's bias and activation). The columns of the
    /// last chunk stay for [`ConvGemm::backward`].
    pub fn forward(&mut self, x: &[f32], k: &[f32], y: &mut [f32], ep: Option<Epilogue>) {
        let (w, f) = (self.window, self.filters);
        let (in_len, rows, patch) = (w.input_len(), w.rows(), w.patch_len());
        let batch = x.len() / in_len;
        assert_eq!(y.len(), batch * rows * f, "ConvGemm::forward: output length");
        let (chunk, _) = self.held(batch);
        ensure_len(&mut self.col, chunk.min(batch) * rows * patch);
        self.col_holds = None;
        for start in (0..batch).step_by(chunk) {
            let nb = chunk.min(batch - start);
            let col = &mut self.col[..nb * rows * patch];
            im2col(&w, &x[start * in_len..(start + nb) * in_len], col);
            let yc = &mut y[start * rows * f..(start + nb) * rows * f];
            // y[nb·rows, f] = ep(col[nb·rows, patch] · K[patch, f])
            sgemm_then(false, false, nb * rows, f, patch, 1.0, col, patch, k, f, 0.0, yc, f, ep);
            self.col_holds = Some((start, nb));
        }
    }

    /// After `forward(x, …)` on the same batch, given that `x` again:
    /// overwrite `kgrad` (`patch · f`) with dK and, if given, `dx`
    /// (`batch · input_len`) with dLoss/dx, from `dy` = dLoss/dy
    /// (`batch · rows · f`).
    pub fn backward(&mut self, x: &[f32], dy: &[f32], k: &[f32], kgrad: &mut [f32], mut dx: Option<&mut [f32]>) {
        let (w, f) = (self.window, self.filters);
        let (in_len, rows, patch) = (w.input_len(), w.rows(), w.patch_len());
        let batch = dy.len() / (rows * f);
        assert_eq!(x.len(), batch * in_len, "ConvGemm::backward: input length");
        let (chunk, sub) = self.held(batch);
        let chunks = batch.div_ceil(chunk);
        ensure_len(
            &mut self.dcol,
            if dx.is_some() { sub.min(batch) * rows * patch } else { 0 },
        );
        for i in 0..chunks {
            let start = (chunks - 1 - i) * chunk;
            let nb = chunk.min(batch - start);
            let col = &mut self.col[..nb * rows * patch];
            if self.col_holds != Some((start, nb)) {
                im2col(&w, &x[start * in_len..(start + nb) * in_len], col);
                self.col_holds = Some((start, nb));
            }
            let dyc = &dy[start * rows * f..(start + nb) * rows * f];
            let beta = if i == 0 { 0.0 } else { 1.0 };
            let col: &[f32] = col;
            // dK[patch, f] (+)= colᵀ[patch, nb·rows] · dY[nb·rows, f]
            let mut dk = || {
                sgemm(
                    true,
                    false,
                    patch,
                    f,
                    nb * rows,
                    1.0,
                    col,
                    patch,
                    dyc,
                    f,
                    beta,
                    kgrad,
                    f,
                )
            };
            match dx.as_deref_mut() {
                // Beside dK (one parallel region), `sub` samples at a time:
                // dcol[s·rows, patch] = dY[s·rows, f] · Kᵀ[f, patch], then dx = col2im(dcol).
                Some(dx) => {
                    let dcol = &mut self.dcol[..];
                    let dx = &mut dx[start * in_len..(start + nb) * in_len];
                    let dx_work = || {
                        for (s0, dxs) in (0..nb).step_by(sub).zip(dx.chunks_mut(sub * in_len)) {
                            let s = sub.min(nb - s0);
                            let dys = &dyc[s0 * rows * f..(s0 + s) * rows * f];
                            let dcol = &mut dcol[..s * rows * patch];
                            sgemm(false, true, s * rows, patch, f, 1.0, dys, f, k, f, 0.0, dcol, patch);
                            col2im(&w, dcol, dxs);
                        }
                    };
                    let flops = (nb * rows).saturating_mul(patch).saturating_mul(f).saturating_mul(4);
                    threads::join_if(parallel_pays(flops), dk, dx_work);
                }
                None => dk(),
            }
        }
    }
}
