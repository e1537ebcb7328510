//! The fused forms give the bits of the separate passes they replace, for
//! every activation: the GEMM store against GEMM → bias pass → activation
//! pass, and the one backward pass against copy → `backward_in_place` →
//! bias sum (the code Dense and Conv2D ran before).

use super::*;
use crate::kernels::gemm::{sgemm, sgemm_then};
use crate::rng::Rng;

fn fill(len: usize, seed: u64) -> Vec<f32> {
    let mut r = Rng::new(seed);
    // Some exact zeros, so relu's "y > 0" and the signs of zero are exercised.
    (0..len)
        .map(|i| if i % 7 == 0 { 0.0 } else { r.uniform_range(-3.0, 3.0) })
        .collect()
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn the_store_gives_the_bits_of_a_bias_pass_then_an_activation_pass() {
    // Odd sizes: edge tiles of the GEMM on both sides.
    let (m, n, k) = (37, 19, 23);
    let (a, b, bias) = (fill(m * k, 1), fill(k * n, 2), fill(n, 3));
    for act in Activation::ALL.into_iter().filter(|a| a.is_elementwise()) {
        for bias in [Some(&bias[..]), None] {
            let mut got = vec![f32::NAN; m * n];
            with_store(Some(act), bias, |ep| {
                sgemm_then(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut got, n, Some(ep))
            });
            let mut want = vec![f32::NAN; m * n];
            sgemm(false, false, m, n, k, 1.0, &a, k, &b, n, 0.0, &mut want, n);
            if let Some(bias) = bias {
                want.chunks_mut(n)
                    .for_each(|r| r.iter_mut().zip(bias).for_each(|(o, b)| *o += b));
            }
            act.apply(&mut want, n);
            assert_eq!(bits(&got), bits(&want), "{act:?}, bias {}", bias.is_some());
        }
    }
}

#[test]
fn one_backward_pass_gives_the_bits_of_three() {
    let (rows, f) = (53, 12);
    let g = fill(rows * f, 4);
    for act in Activation::ALL.into_iter().filter(|a| a.has_gradient()) {
        let mut y = fill(rows * f, 5);
        act.apply(&mut y, f);
        let mut want = g.clone();
        act.backward_in_place(&y, &mut want, f).unwrap();
        let mut want_db = vec![0.0; f];
        for row in want.chunks(f) {
            want_db.iter_mut().zip(row).for_each(|(b, d)| *b += d);
        }
        let (mut dz, mut db) = (vec![f32::NAN; g.len()], vec![f32::NAN; f]);
        grad_and_bias_sum(act, &y, &g, &mut dz, Some(&mut db), f).unwrap();
        assert_eq!(bits(&dz), bits(&want), "{act:?}");
        assert_eq!(bits(&db), bits(&want_db), "{act:?}");
        let mut dz = vec![f32::NAN; g.len()];
        grad_and_bias_sum(act, &y, &g, &mut dz, None, f).unwrap();
        assert_eq!(bits(&dz), bits(&want), "{act:?} without bias");
    }
    let e = grad_and_bias_sum(Activation::Step, &g, &g, &mut g.clone(), None, f).unwrap_err();
    assert!(e.to_string().contains("no gradient"), "{e}");
}
