//! Finite-difference checks of every layer with respect to its input and each
//! param. Each layer's forward is compared with an independent f64 reference
//! (written here from the formulas), and the numeric gradient of
//! `L = Σ w·layer(x)` (random `w`) is taken from that reference in f64.

mod gradcheck_common;

use gradcheck_common::*;
use gradlab::activations::Activation;
use gradlab::initializers::Initializer;
use gradlab::layers::{ActivationLayer, Dense, Dropout, Flatten, Layer, LayerConfig, Softmax};
use gradlab::losses::{Loss, LossName};
use gradlab::rng::Rng;
use gradlab::tensor::Tensor;
use ndarray::IxDyn;

fn tensor(shape: &[usize], v: &[f32]) -> Tensor {
    Tensor::from_shape_vec(IxDyn(shape), v.to_vec()).unwrap()
}

/// Reference Dense: `act(x·W + b)` in f64, x `[batch, n_in]`, W `[n_in, units]`.
fn dense_ref(x: &[f64], w: &[f64], b: Option<&[f64]>, n_in: usize, units: usize, act: Activation) -> Vec<f64> {
    let batch = x.len() / n_in;
    let mut z = vec![0.0; batch * units];
    for r in 0..batch {
        for j in 0..units {
            let mut s = b.map_or(0.0, |b| b[j]);
            for i in 0..n_in {
                s += x[r * n_in + i] * w[i * units + j];
            }
            z[r * units + j] = s;
        }
    }
    act_rows(act, &z, units)
}

fn check_dense(act: Activation, use_bias: bool, seed: u64) {
    let (batch, n_in, units) = (4, 5, 3);
    let label = format!("Dense({units}, {}, use_bias={use_bias})", act.name());
    let mut d = Dense::with_options(
        units,
        act,
        use_bias,
        Initializer::GlorotUniform,
        Initializer::RandomUniform,
    );
    d.build(&[n_in], &mut Rng::new(seed)).unwrap();
    let w = to64(d.kernel().value.as_slice().unwrap());
    let b = d.bias().map(|p| to64(p.value.as_slice().unwrap()));
    let mut rng = Rng::new(seed + 100);
    // Redraw inputs until every pre-activation is clear of the kink at 0
    // (|z| > 1e-3, far beyond the 1e-6 difference step).
    let x = (0..100)
        .map(|_| uniform_vec(&mut rng, batch * n_in, -1.0, 1.0, 0.0))
        .find(|x| {
            dense_ref(&to64(x), &w, b.as_deref(), n_in, units, Activation::Linear)
                .iter()
                .all(|v| v.abs() > 1e-3)
        })
        .expect("inputs clear of the kink");
    let wout = to64(&uniform_vec(&mut rng, batch * units, -1.0, 1.0, 0.0));
    let x64 = to64(&x);

    let y = d.forward(&tensor(&[batch, n_in], &x), true).unwrap().clone();
    let y_ref = dense_ref(&x64, &w, b.as_deref(), n_in, units, act);
    for (a, e) in y.iter().zip(&y_ref) {
        assert!((*a as f64 - e).abs() < 1e-5, "{label}: forward {a} vs {e}");
    }
    let g = tensor(&[batch, units], &wout.iter().map(|&v| v as f32).collect::<Vec<_>>());
    let dx = d.backward(&g).unwrap().clone();

    let loss = |x: &[f64], w: &[f64], b: Option<&[f64]>| dot(&wout, &dense_ref(x, w, b, n_in, units, act));
    check(
        &format!("{label} dx"),
        dx.as_slice().unwrap(),
        &numeric_grad(|x| loss(x, &w, b.as_deref()), &x64),
    );
    let params = d.params();
    check(
        &format!("{label} dW"),
        params[0].grad.as_slice().unwrap(),
        &numeric_grad(|w| loss(&x64, w, b.as_deref()), &w),
    );
    if let Some(b) = &b {
        check(
            &format!("{label} db"),
            params[1].grad.as_slice().unwrap(),
            &numeric_grad(|b| loss(&x64, &w, Some(b)), b),
        );
    }
}

#[test]
fn dense_every_activation_with_and_without_bias() {
    for (i, act) in trainable_activations().into_iter().enumerate() {
        check_dense(act, true, 10 + i as u64);
        check_dense(act, false, 20 + i as u64);
    }
}

#[test]
fn dense_gradients_are_overwritten_not_accumulated() {
    // Two identical backward passes must give the same param gradients.
    let mut d = Dense::new(3, Activation::Tanh);
    d.build(&[4], &mut Rng::new(1)).unwrap();
    let x = Tensor::from_shape_fn(IxDyn(&[2, 4]), |i| (i[0] as f32 - 0.5) * (i[1] as f32 + 1.0) / 4.0);
    let g = Tensor::ones(IxDyn(&[2, 3]));
    d.forward(&x, true).unwrap();
    d.backward(&g).unwrap();
    let first: Vec<Tensor> = d.params().iter().map(|p| p.grad.clone()).collect();
    d.forward(&x, true).unwrap();
    d.backward(&g).unwrap();
    for (p, f) in d.params().iter().zip(&first) {
        assert_eq!(&p.grad, f);
    }
}

/// Shape-preserving layers checked on `[batch] ++ shape` with the reference `f`.
fn check_elementwise_layer(
    label: &str,
    layer: &mut dyn Layer,
    shape: &[usize],
    f: impl Fn(&[f64]) -> Vec<f64>,
    seed: u64,
) {
    layer.build(shape, &mut Rng::new(0)).unwrap();
    let mut rng = Rng::new(seed);
    let full: Vec<usize> = std::iter::once(2).chain(shape.iter().copied()).collect();
    let n: usize = full.iter().product();
    let x = uniform_vec(&mut rng, n, -2.0, 2.0, 0.05);
    let w = to64(&uniform_vec(&mut rng, n, -1.0, 1.0, 0.0));
    let y = layer.forward(&tensor(&full, &x), true).unwrap().clone();
    for (a, e) in y.iter().zip(f(&to64(&x))) {
        assert!((*a as f64 - e).abs() < 1e-6, "{label}: forward {a} vs {e}");
    }
    let g = tensor(y.shape(), &w.iter().map(|&v| v as f32).collect::<Vec<_>>());
    let dx = layer.backward(&g).unwrap();
    assert_eq!(dx.shape(), &full[..], "{label}: dx shape");
    check(
        label,
        dx.as_slice().unwrap(),
        &numeric_grad(|x| dot(&w, &f(x)), &to64(&x)),
    );
}

#[test]
fn activation_layer_every_activation_rank_3() {
    for a in trainable_activations() {
        let mut layer = ActivationLayer::new(a);
        check_elementwise_layer(
            &format!("Activation({})", a.name()),
            &mut layer,
            &[3, 4],
            |x| act_rows(a, x, 4),
            5,
        );
    }
}

#[test]
fn softmax_layer_last_axis() {
    check_elementwise_layer(
        "Softmax",
        &mut Softmax::new(),
        &[2, 5],
        |x| act_rows(Activation::Softmax, x, 5),
        6,
    );
}

#[test]
fn flatten_layer() {
    check_elementwise_layer("Flatten", &mut Flatten::new(), &[2, 3, 2], |x| x.to_vec(), 7);
}

#[test]
fn dropout_layer_in_training() {
    // The mask is read once from a forward of ones (y = m); the reference is then y = x·m.
    let shape = [6];
    let make = || {
        let mut d = Dropout::new(0.4);
        d.set_noise(Rng::new(9));
        d
    };
    let mut probe = make();
    probe.build(&shape, &mut Rng::new(0)).unwrap();
    let m = to64(
        probe
            .forward(&Tensor::ones(IxDyn(&[2, 6])), true)
            .unwrap()
            .as_slice()
            .unwrap(),
    );
    assert!(
        m.contains(&0.0) && m.iter().any(|&v| v != 0.0),
        "mask should mix kept and dropped"
    );
    let mut d = make();
    check_elementwise_layer(
        "Dropout",
        &mut d,
        &shape,
        |x| x.iter().zip(&m).map(|(a, b)| a * b).collect(),
        8,
    );
}

/// Reference network: flatten → Dense(tanh) → Dense(softmax) → categorical crossentropy.
fn chain_ref(x: &[f64], w1: &[f64], b1: &[f64], w2: &[f64], b2: &[f64], t: &[f64]) -> f64 {
    let h = dense_ref(x, w1, Some(b1), 6, 4, Activation::Tanh);
    let p = dense_ref(&h, w2, Some(b2), 4, 3, Activation::Softmax);
    let rows = t.len() / 3;
    let mut s = 0.0;
    for r in 0..rows {
        let z: f64 = p[r * 3..r * 3 + 3].iter().sum();
        for j in 0..3 {
            s -= t[r * 3 + j] * (p[r * 3 + j] / z).ln();
        }
    }
    s / rows as f64
}

#[test]
fn a_stack_with_a_loss_backpropagates_end_to_end() {
    let configs = [
        LayerConfig::flatten(),
        LayerConfig::dense(4, Activation::Tanh),
        LayerConfig::dense(3, Activation::Softmax),
    ];
    let mut layers: Vec<Box<dyn Layer>> = configs.iter().map(|c| c.build_layer().unwrap()).collect();
    let mut rng = Rng::new(3);
    let mut shape = vec![2, 3];
    for l in layers.iter_mut() {
        shape = l.build(&shape, &mut rng).unwrap();
    }
    let x = uniform_vec(&mut rng, 4 * 6, -1.0, 1.0, 0.0);
    let t: Vec<f32> = (0..4)
        .flat_map(|r| (0..3).map(move |j| (j == r % 3) as u8 as f32))
        .collect();
    let mut a = tensor(&[4, 2, 3], &x);
    for l in layers.iter_mut() {
        a = l.forward(&a, true).unwrap().clone();
    }
    let mut g = Tensor::zeros(IxDyn(&[0]));
    let loss = Loss::new(LossName::CategoricalCrossentropy);
    let v = loss.compute(&a, &tensor(&[4, 3], &t), Some(&mut g)).unwrap();
    for l in layers.iter_mut().rev() {
        g = l.backward(&g).unwrap().clone();
    }
    let p = |i: usize, j: usize| to64(layers[i].params()[j].value.as_slice().unwrap());
    let (w1, b1, w2, b2, t64, x64) = (p(1, 0), p(1, 1), p(2, 0), p(2, 1), to64(&t), to64(&x));
    assert!((v as f64 - chain_ref(&x64, &w1, &b1, &w2, &b2, &t64)).abs() < 1e-5);
    let grad = |i: usize, j: usize| layers[i].params()[j].grad.as_slice().unwrap().to_vec();
    check(
        "chain dx",
        g.as_slice().unwrap(),
        &numeric_grad(|x| chain_ref(x, &w1, &b1, &w2, &b2, &t64), &x64),
    );
    check(
        "chain dW1",
        &grad(1, 0),
        &numeric_grad(|w| chain_ref(&x64, w, &b1, &w2, &b2, &t64), &w1),
    );
    check(
        "chain db1",
        &grad(1, 1),
        &numeric_grad(|b| chain_ref(&x64, &w1, b, &w2, &b2, &t64), &b1),
    );
    check(
        "chain dW2",
        &grad(2, 0),
        &numeric_grad(|w| chain_ref(&x64, &w1, &b1, w, &b2, &t64), &w2),
    );
    check(
        "chain db2",
        &grad(2, 1),
        &numeric_grad(|b| chain_ref(&x64, &w1, &b1, &w2, b, &t64), &b2),
    );
}
