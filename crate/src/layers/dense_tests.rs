//! Dense: parameter counts (Keras: in·units + units), forward values against a
//! hand computation, shape errors and buffer reuse. Gradients: tests/gradcheck_layers.rs.

use super::*;
use ndarray::{arr2, IxDyn};

fn built(units: usize, act: Activation, n_in: usize) -> Dense {
    let mut d = Dense::new(units, act);
    d.build(&[n_in], &mut Rng::new(1)).unwrap();
    d
}

#[test]
fn param_counts_match_keras() {
    assert_eq!(built(500, Activation::Relu, 784).param_count(), 392_500);
    // 784-500-500-500-500-10: 392,500 + 3·250,500 + 5,010 = 1,149,010 (Keras summary).
    let dims = [784, 500, 500, 500, 500, 10];
    let total: usize = dims
        .windows(2)
        .map(|w| built(w[1], Activation::Relu, w[0]).param_count())
        .sum();
    assert_eq!(total, 1_149_010);
    let mut no_bias = Dense::with_options(3, Activation::Linear, false, Initializer::Ones, Initializer::Zeros);
    no_bias.build(&[4], &mut Rng::new(0)).unwrap();
    assert_eq!(no_bias.param_count(), 12);
    assert_eq!(no_bias.params().len(), 1);
    let d = built(3, Activation::Linear, 4);
    let names: Vec<_> = d.params().iter().map(|p| (p.name, p.value.shape().to_vec())).collect();
    assert_eq!(names, vec![("kernel", vec![4, 3]), ("bias", vec![3])]);
}

#[test]
fn forward_is_x_w_plus_b_then_activation() {
    let mut d = built(2, Activation::Relu, 3);
    d.params_mut()[0].value = arr2(&[[1.0f32, -1.0], [2.0, 0.5], [0.0, 3.0]]).into_dyn();
    d.params_mut()[1].value = ndarray::arr1(&[0.5f32, -10.0]).into_dyn();
    let x = arr2(&[[1.0f32, 1.0, 1.0], [0.0, -1.0, 2.0]]).into_dyn();
    // Row 0: [1+2+0+0.5, −1+0.5+3−10] = [3.5, −7.5] → relu [3.5, 0].
    // Row 1: [0−2+0+0.5, 0−0.5+6−10] = [−1.5, −4.5] → [0, 0].
    let y = d.forward(&x, false).unwrap();
    assert_eq!(y, &arr2(&[[3.5f32, 0.0], [0.0, 0.0]]).into_dyn());
}

#[test]
fn images_need_flatten_and_shapes_are_checked() {
    let mut d = Dense::new(10, Activation::Softmax);
    let e = d.build(&[28, 28, 1], &mut Rng::new(0)).unwrap_err();
    assert!(
        matches!(e, Error::Config(ref m) if m.contains("Dense expects a flat input of shape (None, n); add a Flatten layer before it")),
        "{e}"
    );
    let e = Dense::new(0, Activation::Relu)
        .build(&[4], &mut Rng::new(0))
        .unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
    let e = Dense::new(1_000_000, Activation::Relu)
        .build(&[784], &mut Rng::new(0))
        .unwrap_err();
    assert!(e.to_string().contains("fewer units"), "{e}");
    let mut d = built(4, Activation::Tanh, 3);
    let e = d.forward(&Tensor::zeros(IxDyn(&[2, 5])), true).unwrap_err();
    assert!(
        matches!(e, Error::Shape(ref m) if m.contains("(None, 3)") && m.contains("(None, 5)")),
        "{e}"
    );
    let e = Dense::new(2, Activation::Tanh)
        .forward(&Tensor::zeros(IxDyn(&[1, 3])), true)
        .unwrap_err();
    assert!(matches!(e, Error::State(_)), "{e}");
    // Backward without a training forward, or with a wrong gradient shape.
    let mut d = built(4, Activation::Tanh, 3);
    assert!(matches!(
        d.backward(&Tensor::zeros(IxDyn(&[2, 4]))),
        Err(Error::State(_))
    ));
    d.forward(&Tensor::zeros(IxDyn(&[2, 3])), true).unwrap();
    assert!(matches!(
        d.backward(&Tensor::zeros(IxDyn(&[2, 5]))),
        Err(Error::Shape(_))
    ));
    // A replaced kernel of the wrong shape is an error, not a panic.
    d.params_mut()[0].value = Tensor::zeros(IxDyn(&[2, 2]));
    assert!(matches!(
        d.forward(&Tensor::zeros(IxDyn(&[2, 3])), true),
        Err(Error::State(_))
    ));
}

#[test]
fn step_forward_works_but_backward_explains() {
    let mut d = Dense::with_options(1, Activation::Step, true, Initializer::Ones, Initializer::Zeros);
    d.build(&[2], &mut Rng::new(0)).unwrap();
    let x = arr2(&[[1.0f32, -2.0], [1.0, 1.0]]).into_dyn();
    assert_eq!(d.forward(&x, true).unwrap().as_slice().unwrap(), &[0.0, 1.0]);
    let e = d.backward(&Tensor::ones(IxDyn(&[2, 1]))).unwrap_err();
    assert!(
        matches!(e, Error::Config(ref m) if m.contains("step activation has no gradient") && m.contains("sigmoid/tanh")),
        "{e}"
    );
}

#[test]
fn buffers_are_reused_between_batches() {
    let mut d = built(8, Activation::Sigmoid, 5);
    let x = Tensor::ones(IxDyn(&[4, 5]));
    let g = Tensor::ones(IxDyn(&[4, 8]));
    let p_out = d.forward(&x, true).unwrap().as_ptr();
    let p_dx = d.backward(&g).unwrap().as_ptr();
    let p_gw = d.params()[0].grad.as_ptr();
    for _ in 0..3 {
        assert_eq!(d.forward(&x, true).unwrap().as_ptr(), p_out);
        assert_eq!(d.backward(&g).unwrap().as_ptr(), p_dx);
        assert_eq!(d.params()[0].grad.as_ptr(), p_gw);
    }
}

#[test]
fn same_seed_same_weights() {
    let a = built(6, Activation::Relu, 5);
    let b = built(6, Activation::Relu, 5);
    assert_eq!(a.kernel().value, b.kernel().value);
    let mut c = Dense::new(6, Activation::Relu);
    c.build(&[5], &mut Rng::new(2)).unwrap();
    assert_ne!(a.kernel().value, c.kernel().value);
    // glorot_uniform on 5→6: |w| ≤ sqrt(6/11); bias zeros.
    let lim = (6.0f32 / 11.0).sqrt();
    assert!(a.kernel().value.iter().all(|w| w.abs() <= lim));
    assert!(a.bias().unwrap().value.iter().all(|&b| b == 0.0));
}

#[test]
fn skipping_the_input_gradient_keeps_the_param_gradients() {
    // Two identical layers on the same batch: the one told that its input
    // gradient is not needed must give bit-identical dW and db (they do not
    // depend on dx) and return the documented empty tensor instead of dx.
    let x = Tensor::from_shape_fn(IxDyn(&[5, 7]), |i| ((i[0] * 7 + i[1]) % 11) as f32 / 5.0 - 1.0);
    let g = Tensor::from_shape_fn(IxDyn(&[5, 4]), |i| ((i[0] * 3 + i[1]) % 7) as f32 / 3.0 - 1.0);
    let mut full = built(4, Activation::Tanh, 7);
    let mut lean = built(4, Activation::Tanh, 7);
    lean.set_input_grad_needed(false);
    full.forward(&x, true).unwrap();
    lean.forward(&x, true).unwrap();
    let dx = full.backward(&g).unwrap().clone();
    assert_eq!(dx.shape(), &[5, 7]);
    assert!(dx.iter().any(|v| *v != 0.0));
    assert_eq!(lean.backward(&g).unwrap().shape(), &[0]);
    for (a, b) in full.params().iter().zip(lean.params()) {
        assert_eq!(a.grad, b.grad, "{}", a.name);
    }
    // Needed again: dx comes back, equal to the full layer's.
    lean.set_input_grad_needed(true);
    lean.forward(&x, true).unwrap();
    assert_eq!(lean.backward(&g).unwrap(), &dx);
}

/// The largest |g| of a tensor, by plain float comparisons.
fn largest(t: &Tensor) -> f32 {
    t.iter().fold(0f32, |m, g| m.max(g.abs()))
}

#[test]
fn backward_reports_each_gradients_largest_magnitude() {
    // Products long enough for the parallel split (and for several stored
    // blocks), on 1 and 2 threads, with and without the input gradient, and
    // from the logits (dZ is g itself there).
    let mut r = Rng::new(9);
    let x = Tensor::from_shape_fn(IxDyn(&[64, 300]), |_| r.uniform_range(-2.0, 2.0));
    let g = Tensor::from_shape_fn(IxDyn(&[64, 700]), |_| r.uniform_range(-1.0, 1.0));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        for (needed, logits) in [(true, false), (false, false), (true, true)] {
            let mut d = built(700, Activation::Tanh, 300);
            d.set_input_grad_needed(needed);
            pool.install(|| {
                d.forward(&x, true).unwrap();
                if logits {
                    d.backward_from_logits(&g).unwrap();
                } else {
                    d.backward(&g).unwrap();
                }
            });
            let [k, b] = [&d.weights.kernel, &d.weights.bias];
            assert_eq!(
                k.grad_max,
                Some(largest(&k.grad)),
                "kernel, {threads} threads, {needed} {logits}"
            );
            assert_eq!(
                b.grad_max,
                Some(largest(&b.grad)),
                "bias, {threads} threads, {needed} {logits}"
            );
            assert!(k.grad_max.unwrap() > 0.0);
        }
    }
    // A NaN in the gradient shows as a non-finite bound (the optimizer then
    // takes the checked way).
    let mut d = built(700, Activation::Linear, 300);
    let mut bad = g.clone();
    bad[[3, 5]] = f32::NAN;
    d.forward(&x, true).unwrap();
    d.backward(&bad).unwrap();
    assert!(!d.weights.kernel.grad_max.unwrap().is_finite() && !d.weights.bias.grad_max.unwrap().is_finite());
}

#[test]
fn an_input_handed_back_gives_the_gradients_of_the_kept_copy_and_no_copy_is_kept() {
    let mut r = Rng::new(7);
    let x = Tensor::from_shape_fn(IxDyn(&[5, 6]), |_| r.uniform_range(-1.0, 1.0));
    let g = Tensor::from_shape_fn(IxDyn(&[5, 4]), |_| r.uniform_range(-1.0, 1.0));
    for from_logits in [false, true] {
        let act = if from_logits {
            Activation::Softmax
        } else {
            Activation::Tanh
        };
        let (mut kept, mut lent) = (built(4, act, 6), built(4, act, 6));
        lent.lend_input();
        kept.forward_with_logits(&x, true).unwrap();
        lent.forward_with_logits(&x, true).unwrap();
        assert!(
            lent.input.is_empty(),
            "a Dense whose input is handed back keeps no copy"
        );
        let dx_kept = match from_logits {
            true => kept.backward_from_logits(&g).unwrap().clone(),
            false => kept.backward(&g).unwrap().clone(),
        };
        let dx_lent = lent.backward_lent(&x, &g, from_logits).unwrap().clone();
        assert_eq!(dx_kept, dx_lent);
        for (a, b) in kept.params().iter().zip(lent.params()) {
            assert_eq!(a.grad, b.grad, "{}", a.name);
        }
    }
    // Its own backward has no input to use: an error that says so, not a wrong gradient.
    let mut lent = built(4, Activation::Tanh, 6);
    lent.lend_input();
    lent.forward(&x, true).unwrap();
    let e = lent.backward(&g).unwrap_err().to_string();
    assert!(e.contains("hands this layer its input back"), "{e}");
    // A handed-back input of another batch size is refused.
    let e = lent.backward_lent(&g, &g, false).unwrap_err().to_string();
    assert!(e.contains("the input has shape"), "{e}");
}
