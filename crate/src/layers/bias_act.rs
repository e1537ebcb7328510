//! The bias and activation that `Dense` and `Conv2D` put after their GEMM,
//! written once for both: `y = act(z + b)` per row of `f` values (a Dense
//! unit or a Conv2D filter per column), and its backward pass
//! `dZ = g ⊙ act'(y)`, `db = Σ_rows dZ`.
//!
//! Forward runs as the GEMM's epilogue ([`with_store`]): each element gets
//! `act(z + b[col])`, the same operations as a bias pass then an activation
//! pass, while its tile is still in L1. Backward ([`grad_and_bias_sum`]) makes
//! one pass over the rows in order: each element by the same expression as
//! [`Activation::backward_in_place`] and `db` summed over the rows in the
//! same order as a separate pass, so both give the same bits as three
//! passes (copy, activation derivative, bias sum) did.

use crate::activations::Activation;
use crate::kernels::elementwise::{sigmoid_f32, tanh_f32};
use crate::kernels::gemm::Epilogue;
use crate::kernels::wide::wide;
use crate::Result;

/// The epilogue `o ← act(o + b[col])` (or `act(o)` without bias) on a piece
/// of an output row from column `col` on.
fn store<'a>(bias: Option<&'a [f32]>, act: impl Fn(f32) -> f32 + Sync + 'a) -> impl Fn(&mut [f32], usize) + Sync + 'a {
    move |row: &mut [f32], col: usize| {
        wide(
            #[inline(always)]
            || match bias {
                Some(b) => row.iter_mut().zip(&b[col..]).for_each(|(o, bi)| *o = act(*o + bi)),
                None => row.iter_mut().for_each(|o| *o = act(*o)),
            },
        )
    }
}

/// Run `gemm` with the epilogue `o ← act(o + b[col])`; `act = None` (or
/// linear): the bias only. `act` must be elementwise (softmax couples a row:
/// its caller applies it after the GEMM and passes `None`).
pub(crate) fn with_store<R>(act: Option<Activation>, bias: Option<&[f32]>, gemm: impl FnOnce(Epilogue) -> R) -> R {
    match act {
        Some(Activation::Relu) => gemm(&store(bias, |v| if v < 0.0 { 0.0 } else { v })),
        Some(Activation::Tanh) => gemm(&store(bias, tanh_f32)),
        Some(Activation::Sigmoid) => gemm(&store(bias, sigmoid_f32)),
        Some(Activation::Linear) | None => gemm(&store(bias, |v| v)),
        Some(act) => gemm(&store(bias, move |v| act.scalar(v).unwrap_or(v))),
    }
}

/// `dz = g ⊙ act'(y)` and, if given, `db = Σ_rows dz` over rows of `f`
/// values, in one pass (see the module doc); `y`, `g` and `dz` have the same
/// length. Softmax (a row's values are coupled) and the gradient-less `step`
/// go through [`Activation::backward_in_place`] and a second pass for `db`.
pub(crate) fn grad_and_bias_sum(
    act: Activation,
    y: &[f32],
    g: &[f32],
    dz: &mut [f32],
    db: Option<&mut [f32]>,
    f: usize,
) -> Result<()> {
    match act {
        Activation::Relu => one_pass(y, g, dz, db, f, |y| Activation::Relu.derivative_from_output(y)),
        Activation::Tanh => one_pass(y, g, dz, db, f, |y| Activation::Tanh.derivative_from_output(y)),
        Activation::Sigmoid => one_pass(y, g, dz, db, f, |y| Activation::Sigmoid.derivative_from_output(y)),
        Activation::Linear | Activation::LeakyRelu | Activation::Elu => {
            one_pass(y, g, dz, db, f, |y| act.derivative_from_output(y))
        }
        Activation::Softmax | Activation::Step => {
            dz.copy_from_slice(g);
            act.backward_in_place(y, dz, f)?;
            if let Some(db) = db {
                bias_sum(dz, db);
            }
        }
    }
    Ok(())
}

/// `db[j] = Σ_r dz[r·f + j]`, rows in order from `0.0`.
pub(crate) fn bias_sum(dz: &[f32], db: &mut [f32]) {
    db.fill(0.0);
    wide(
        #[inline(always)]
        || {
            for row in dz.chunks_exact(db.len()) {
                db.iter_mut().zip(row).for_each(|(b, d)| *b += d);
            }
        },
    )
}

#[inline(always)]
fn one_pass(y: &[f32], g: &[f32], dz: &mut [f32], db: Option<&mut [f32]>, f: usize, d: impl Fn(f32) -> f32) {
    assert!(y.len() == g.len() && g.len() == dz.len(), "grad_and_bias_sum: lengths");
    let rows = dz.chunks_exact_mut(f).zip(g.chunks_exact(f)).zip(y.chunks_exact(f));
    wide(
        #[inline(always)]
        move || match db {
            Some(db) => {
                db.fill(0.0);
                for ((dz, g), y) in rows {
                    for (((dz, g), y), b) in dz.iter_mut().zip(g).zip(y).zip(db.iter_mut()) {
                        *dz = g * d(*y);
                        *b += *dz;
                    }
                }
            }
            None => rows.for_each(|((dz, g), y)| dz.iter_mut().zip(g).zip(y).for_each(|((dz, g), y)| *dz = g * d(*y))),
        },
    )
}

#[cfg(test)]
#[path = "bias_act_tests.rs"]
mod tests;
