//! Conv2D: parameter counts and shapes as Keras prints them, forward values
//! against hand computations, chunked == unchunked, errors. Gradients:
//! tests/gradcheck_conv.rs.

use super::*;

fn tensor(shape: &[usize], v: Vec<f32>) -> Tensor {
    Tensor::from_shape_vec(IxDyn(shape), v).unwrap()
}

/// A 2×2 kernel [[1, 2], [3, 4]] (one channel in, one filter) with bias 0.5.
fn two_by_two(strides: usize, padding: Padding) -> Conv2D {
    let mut c = Conv2D::with_options(
        1,
        (2, 2),
        (strides, strides),
        padding,
        Activation::Linear,
        true,
        Initializer::GlorotUniform,
        Initializer::Zeros,
    );
    c.build(&[3, 3, 1], &mut Rng::new(0)).unwrap();
    c.params_mut()[0].value = tensor(&[2, 2, 1, 1], vec![1.0, 2.0, 3.0, 4.0]);
    c.params_mut()[1].value = tensor(&[1], vec![0.5]);
    c
}

#[test]
fn forward_valid_by_hand() {
    // x = [[1 2 3] [4 5 6] [7 8 9]]; each output is x(window)·[1 2 3 4] + 0.5:
    // (0,0): 1+4+12+20 = 37; (0,1): 2+6+15+24 = 47; (1,0): 4+10+21+32 = 67; (1,1): 5+12+24+36 = 77.
    let mut c = two_by_two(1, Padding::Valid);
    let x = tensor(&[1, 3, 3, 1], (1..=9).map(|v| v as f32).collect());
    let y = c.forward(&x, false).unwrap();
    assert_eq!(y.shape(), &[1, 2, 2, 1]);
    assert_eq!(y.as_slice().unwrap(), &[37.5, 47.5, 67.5, 77.5]);
}

#[test]
fn forward_same_stride_2_pads_bottom_right() {
    // same, stride 2: out ceil(3/2) = 2, pad (1·2 + 2 − 3) = 1 → 0 top/left, 1 bottom/right.
    // (0,0): [1 2 4 5] → 37; (0,1): [3 0 6 0] → 3 + 18 = 21; (1,0): [7 8 0 0] → 7 + 16 = 23; (1,1): [9 0 0 0] → 9.
    let mut c = two_by_two(2, Padding::Same);
    let x = tensor(&[1, 3, 3, 1], (1..=9).map(|v| v as f32).collect());
    let y = c.forward(&x, false).unwrap();
    assert_eq!(y.shape(), &[1, 2, 2, 1]);
    assert_eq!(y.as_slice().unwrap(), &[37.5, 21.5, 23.5, 9.5]);
}

#[test]
fn channels_and_filters_follow_the_keras_kernel_layout() {
    // 1×1 kernel, 2 channels in, 3 filters: y[f] = Σ_c x[c]·K[0,0,c,f] (+ relu).
    let mut c = Conv2D::new(3, (1, 1), Activation::Relu);
    c.build(&[1, 2, 2], &mut Rng::new(0)).unwrap();
    c.params_mut()[0].value = tensor(&[1, 1, 2, 3], vec![1.0, 0.0, -1.0, 10.0, 1.0, 0.0]);
    let x = tensor(&[1, 1, 2, 2], vec![1.0, 2.0, 3.0, -4.0]);
    // pixel 0: [1·1 + 2·10, 1·0 + 2·1, −1 + 0] = [21, 2, −1] → relu [21, 2, 0]
    // pixel 1: [3 − 40, −4, −3] → [0, 0, 0]
    let y = c.forward(&x, false).unwrap();
    assert_eq!(y.as_slice().unwrap(), &[21.0, 2.0, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn param_counts_and_shapes_match_keras() {
    // Keras summary of the reference CNN: conv2d (None, 26, 26, 32) 320; conv2d_1 (None, 11, 11, 64) 18,496.
    let mut a = Conv2D::new(32, (3, 3), Activation::Relu);
    assert_eq!(a.build(&[28, 28, 1], &mut Rng::new(0)).unwrap(), vec![26, 26, 32]);
    assert_eq!(a.param_count(), 320);
    let mut b = Conv2D::new(64, (3, 3), Activation::Relu);
    assert_eq!(b.build(&[13, 13, 32], &mut Rng::new(0)).unwrap(), vec![11, 11, 64]);
    assert_eq!(b.param_count(), 18_496);
    let names: Vec<_> = b.params().iter().map(|p| (p.name, p.value.shape().to_vec())).collect();
    assert_eq!(names, vec![("kernel", vec![3, 3, 32, 64]), ("bias", vec![64])]);
    // glorot_uniform with Keras' conv fans: limit sqrt(6 / (3·3·32 + 3·3·64)) = 0.0833…
    let limit = (6.0f32 / (288.0 + 576.0)).sqrt();
    let k = b.kernel().value.as_slice().unwrap();
    assert!(k.iter().all(|v| v.abs() <= limit) && k.iter().any(|v| v.abs() > 0.9 * limit));
}

#[test]
fn shape_errors_say_what_to_change() {
    let err = |c: &mut Conv2D, shape: &[usize]| c.build(shape, &mut Rng::new(0)).unwrap_err().to_string();
    let e = err(&mut Conv2D::new(8, (3, 3), Activation::Relu), &[784]);
    assert!(
        e.contains("(None, height, width, channels)") && e.contains("(None, 784)"),
        "{e}"
    );
    let e = err(&mut Conv2D::new(8, (5, 5), Activation::Relu), &[3, 3, 4]);
    assert!(
        e.contains("5×5 kernel does not fit the 3×3 feature map") && e.contains("padding='same'"),
        "{e}"
    );
    let e = err(&mut Conv2D::new(0, (3, 3), Activation::Relu), &[8, 8, 1]);
    assert!(e.contains("at least 1"), "{e}");
    let e = err(&mut Conv2D::new(100_000, (30, 30), Activation::Relu), &[64, 64, 3]);
    assert!(e.contains("fewer filters"), "{e}");
    let mut c = Conv2D::new(2, (3, 3), Activation::Relu);
    c.build(&[5, 5, 1], &mut Rng::new(0)).unwrap();
    let e = c.forward(&Tensor::zeros(IxDyn(&[1, 5, 4, 1])), false).unwrap_err();
    assert!(e.to_string().contains("(None, 5, 5, 1)"), "{e}");
    c.params_mut()[0].value = Tensor::zeros(IxDyn(&[3, 3]));
    assert!(c.forward(&Tensor::zeros(IxDyn(&[1, 5, 5, 1])), false).is_err());
}

#[test]
fn chunked_batches_give_the_same_results() {
    // A budget of one sample's columns forces one chunk per sample, a dcol
    // budget of one sample's columns makes the input gradient's columns one
    // sample at a time within one chunk; every output and gradient must
    // equal the single-chunk run.
    let make = |budget: usize, dcol_budget: usize| {
        let mut c = Conv2D::with_options(
            4,
            (3, 2),
            (2, 1),
            Padding::Same,
            Activation::Tanh,
            true,
            Initializer::GlorotUniform,
            Initializer::RandomUniform,
        )
        .with_col_budget(budget)
        .with_dcol_budget(dcol_budget);
        c.build(&[7, 6, 3], &mut Rng::new(5)).unwrap();
        c
    };
    let mut r = Rng::new(9);
    let x = tensor(
        &[5, 7, 6, 3],
        (0..5 * 7 * 6 * 3).map(|_| r.uniform_range(-1.0, 1.0)).collect(),
    );
    let run = |mut c: Conv2D| {
        let y = c.forward(&x, true).unwrap().clone();
        let g = y.mapv(|v| v * 0.5 - 0.1);
        let dx = c.backward(&g).unwrap().clone();
        (y, dx, c.params()[0].grad.clone(), c.params()[1].grad.clone())
    };
    let one = run(make(COL_BUDGET, COL_BUDGET));
    let many = run(make(1, 1));
    let dcol_pieces = run(make(COL_BUDGET, 1));
    assert_eq!(one.0, many.0);
    assert_eq!(one.1, many.1);
    // dK sums the chunks in another grouping: equal up to rounding.
    for (a, b) in one.2.iter().zip(many.2.iter()) {
        assert!((a - b).abs() <= 1e-5 * (1.0 + a.abs()), "{a} vs {b}");
    }
    assert_eq!(one.3, many.3);
    // The input gradient made a sample at a time: the same bits; dK untouched.
    assert_eq!(one, dcol_pieces);
}

#[test]
fn backward_from_the_input_the_model_hands_back() {
    // A lent layer keeps no copy of its input and takes it at backward; its
    // results equal those of a layer that kept the copy, with several chunks
    // (backward rebuilds the earlier chunks' columns from the input).
    let make = || {
        let mut c = Conv2D::new(3, (2, 2), Activation::Tanh).with_col_budget(1);
        c.build(&[4, 5, 2], &mut Rng::new(2)).unwrap();
        c
    };
    let mut r = Rng::new(8);
    let x = tensor(
        &[3, 4, 5, 2],
        (0..3 * 4 * 5 * 2).map(|_| r.uniform_range(-1.0, 1.0)).collect(),
    );
    let (mut kept, mut lent) = (make(), make());
    lent.lend_input();
    let g = kept.forward(&x, true).unwrap().mapv(|v| v - 0.1);
    lent.forward(&x, true).unwrap();
    assert_eq!(lent.input.len(), 0, "a lent layer keeps no copy of its input");
    let dx = kept.backward(&g).unwrap().clone();
    assert_eq!(lent.backward_lent(&x, &g, false).unwrap(), &dx);
    assert_eq!(kept.params()[0].grad, lent.params()[0].grad);
    let e = lent.backward(&g).unwrap_err().to_string();
    assert!(e.contains("hands this layer its input back"), "{e}");
    let e = lent.backward_lent(&g, &g, false).unwrap_err().to_string();
    assert!(e.contains("the last forward pass had [3, 4, 5, 2]"), "{e}");
}

#[test]
fn first_layer_skips_the_input_gradient_and_buffers_are_reused() {
    let mut c = Conv2D::new(2, (2, 2), Activation::Relu);
    c.build(&[4, 4, 1], &mut Rng::new(1)).unwrap();
    c.set_input_grad_needed(false);
    let x = Tensor::from_shape_fn(IxDyn(&[3, 4, 4, 1]), |i| (i[1] as f32 - i[2] as f32) / 4.0);
    let p = c.forward(&x, true).unwrap().as_ptr();
    let g = Tensor::ones(IxDyn(&[3, 3, 3, 2]));
    assert_eq!(c.backward(&g).unwrap().len(), 0);
    assert_eq!(c.forward(&x, true).unwrap().as_ptr(), p);
    let e = Conv2D::new(2, (2, 2), Activation::Relu).backward(&g).unwrap_err();
    assert!(e.to_string().contains("forward pass in training mode"), "{e}");
}

#[test]
fn results_are_bit_identical_for_any_thread_count() {
    // Large enough for threaded im2col/col2im, bias and every GEMM (> 2 Mflop).
    let mut r = Rng::new(3);
    let x = tensor(
        &[8, 16, 16, 4],
        (0..8 * 16 * 16 * 4).map(|_| r.uniform_range(-1.0, 1.0)).collect(),
    );
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let mut c = Conv2D::with_options(
                32,
                (3, 3),
                (1, 1),
                Padding::Same,
                Activation::Relu,
                true,
                Initializer::GlorotUniform,
                Initializer::RandomUniform,
            );
            c.build(&[16, 16, 4], &mut Rng::new(4)).unwrap();
            let y = c.forward(&x, true).unwrap().clone();
            let dx = c.backward(&y.mapv(|v| v - 0.25)).unwrap().clone();
            let bits = |t: &Tensor| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            [
                bits(&y),
                bits(&dx),
                bits(&c.params()[0].grad),
                bits(&c.params()[1].grad),
            ]
        })
    };
    assert!(run(1) == run(2) && run(1) == run(3));
}
