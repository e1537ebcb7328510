//! Pooling: output shapes as Keras, forward values by hand, gradient routing,
//! errors. Finite-difference checks: tests/gradcheck_conv.rs.

use super::*;
use crate::layers::global_pooling::GlobalAveragePooling2D;

fn tensor(shape: &[usize], v: Vec<f32>) -> Tensor {
    Tensor::from_shape_vec(IxDyn(shape), v).unwrap()
}

/// x = [[1 2 3] [4 5 6] [7 8 9]] as one 3×3×1 image.
fn nine() -> Tensor {
    tensor(&[1, 3, 3, 1], (1..=9).map(|v| v as f32).collect())
}

fn built(mut p: Pooling2D, shape: &[usize]) -> Pooling2D {
    p.build(shape, &mut Rng::new(0)).unwrap();
    p
}

#[test]
fn shapes_match_keras() {
    // Reference CNN: (26, 26, 32) → (13, 13, 32); (11, 11, 64) → (5, 5, 64).
    assert_eq!(
        built(Pooling2D::max((2, 2)), &[26, 26, 32]).output_shape(),
        &[13, 13, 32]
    );
    assert_eq!(built(Pooling2D::max((2, 2)), &[11, 11, 64]).output_shape(), &[5, 5, 64]);
    // same: ceil(11 / 2) = 6; strides (1, 1) valid: 11 − 3 + 1 = 9.
    let same = Pooling2D::new(PoolKind::Average, (2, 2), None, Padding::Same);
    assert_eq!(built(same, &[11, 11, 64]).output_shape(), &[6, 6, 64]);
    let s1 = Pooling2D::new(PoolKind::Max, (3, 3), Some((1, 1)), Padding::Valid);
    assert_eq!(built(s1, &[11, 11, 2]).output_shape(), &[9, 9, 2]);
    assert_eq!(built(Pooling2D::max((2, 2)), &[4, 4, 1]).param_count(), 0);
}

#[test]
fn max_and_average_by_hand() {
    // valid 2×2, stride 2 on 3×3: one window [1 2 4 5] → max 5, mean 3.
    let mut m = built(Pooling2D::max((2, 2)), &[3, 3, 1]);
    assert_eq!(m.forward(&nine(), true).unwrap().as_slice().unwrap(), &[5.0]);
    let mut a = built(Pooling2D::average((2, 2)), &[3, 3, 1]);
    assert_eq!(a.forward(&nine(), true).unwrap().as_slice().unwrap(), &[3.0]);
    // same 2×2, stride 2: out 2×2, padding at the bottom/right only; windows
    // [1 2 4 5], [3 6], [7 8], [9]: max 5 6 8 9, mean over valid cells 3, 4.5, 7.5, 9.
    let same = |k| built(Pooling2D::new(k, (2, 2), None, Padding::Same), &[3, 3, 1]);
    let mut m = same(PoolKind::Max);
    assert_eq!(
        m.forward(&nine(), true).unwrap().as_slice().unwrap(),
        &[5.0, 6.0, 8.0, 9.0]
    );
    let mut a = same(PoolKind::Average);
    assert_eq!(
        a.forward(&nine(), true).unwrap().as_slice().unwrap(),
        &[3.0, 4.5, 7.5, 9.0]
    );
    // Gradients: max sends each g to its maximum; average spreads g / |W|.
    let g = tensor(&[1, 2, 2, 1], vec![1.0, 2.0, 3.0, 4.0]);
    let dx = m.backward(&g).unwrap();
    assert_eq!(dx.as_slice().unwrap(), &[0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 4.0]);
    let dx = a.backward(&g).unwrap();
    assert_eq!(
        dx.as_slice().unwrap(),
        &[0.25, 0.25, 1.0, 0.25, 0.25, 1.0, 1.5, 1.5, 4.0]
    );
}

#[test]
fn max_pool_channels_are_independent_and_ties_go_to_the_first() {
    // 2×2×2 image: channel 0 = [3 1 2 3], channel 1 = [0 0 0 0] (all tied).
    let mut m = built(Pooling2D::max((2, 2)), &[2, 2, 2]);
    let x = tensor(&[1, 2, 2, 2], vec![3.0, 0.0, 1.0, 0.0, 2.0, 0.0, 3.0, 0.0]);
    assert_eq!(m.forward(&x, true).unwrap().as_slice().unwrap(), &[3.0, 0.0]);
    let dx = m.backward(&tensor(&[1, 1, 1, 2], vec![1.0, 1.0])).unwrap();
    assert_eq!(dx.as_slice().unwrap(), &[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn global_average_pooling_by_hand() {
    let mut g = GlobalAveragePooling2D::new();
    assert_eq!(g.build(&[2, 2, 2], &mut Rng::new(0)).unwrap(), vec![2]);
    // channel 0: (1 + 3 + 5 + 7) / 4 = 4; channel 1: (2 + 4 + 6 + 8) / 4 = 5.
    let x = tensor(&[1, 2, 2, 2], (1..=8).map(|v| v as f32).collect());
    assert_eq!(g.forward(&x, true).unwrap().as_slice().unwrap(), &[4.0, 5.0]);
    let dx = g.backward(&tensor(&[1, 2], vec![4.0, 8.0])).unwrap();
    assert_eq!(dx.as_slice().unwrap(), &[1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0]);
    let e = GlobalAveragePooling2D::new()
        .build(&[10], &mut Rng::new(0))
        .unwrap_err();
    assert!(e.to_string().contains("(None, height, width, channels)"), "{e}");
}

#[test]
fn errors_say_what_to_change() {
    let e = Pooling2D::max((2, 2)).build(&[1, 1, 64], &mut Rng::new(0)).unwrap_err();
    assert!(
        e.to_string()
            .contains("2×2 pool does not fit the 1×1 feature map with padding='valid'; use padding='same'"),
        "{e}"
    );
    let e = Pooling2D::max((2, 2)).build(&[784], &mut Rng::new(0)).unwrap_err();
    assert!(e.to_string().contains("(None, 784)"), "{e}");
    let e = Pooling2D::max((0, 2)).build(&[4, 4, 1], &mut Rng::new(0)).unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
    let mut m = built(Pooling2D::max((2, 2)), &[4, 4, 1]);
    assert!(m.forward(&Tensor::zeros(IxDyn(&[1, 4, 3, 1])), true).is_err());
    assert!(m.backward(&Tensor::zeros(IxDyn(&[1, 2, 2, 1]))).is_err());
}
