//! Finite-difference checks of the convolutional layers with respect to
//! their input and each param. Each layer's forward is compared with an
//! independent f64 reference written here from the Keras formulas (direct
//! loops, no im2col), and the numeric gradient of `L = Σ w·layer(x)` (random
//! `w`) is taken from that reference in f64.

mod gradcheck_common;

use gradcheck_common::*;
use gradlab::activations::Activation;
use gradlab::initializers::Initializer;
use gradlab::kernels::im2col::{output_size, Padding};
use gradlab::layers::batch_norm::BatchNormalization;
use gradlab::layers::conv2d::Conv2D;
use gradlab::layers::global_pooling::GlobalAveragePooling2D;
use gradlab::layers::pooling::{PoolKind, Pooling2D};
use gradlab::layers::reshape::Reshape;
use gradlab::layers::Layer;
use gradlab::rng::Rng;
use gradlab::tensor::Tensor;
use ndarray::IxDyn;

fn tensor(shape: &[usize], v: &[f32]) -> Tensor {
    Tensor::from_shape_vec(IxDyn(shape), v.to_vec()).unwrap()
}

/// Geometry of one case: NHWC input `(b, h, w, c)`, window, strides, padding.
#[derive(Clone, Copy, Debug)]
struct Geo {
    b: usize,
    h: usize,
    w: usize,
    c: usize,
    k: (usize, usize),
    s: (usize, usize),
    pad: Padding,
}

impl Geo {
    /// (out_h, out_w, pad_top, pad_left) from Keras' formulas.
    fn out(&self) -> (usize, usize, usize, usize) {
        let (oh, pt) = output_size(self.h, self.k.0, self.s.0, self.pad).unwrap();
        let (ow, pl) = output_size(self.w, self.k.1, self.s.1, self.pad).unwrap();
        (oh, ow, pt, pl)
    }

    /// Input cell `(b, iy, ix)` under window cell `(dy, dx)` of output `(oy, ox)`, if inside.
    fn cell(&self, oy: usize, ox: usize, dy: usize, dx: usize) -> Option<(usize, usize)> {
        let (_, _, pt, pl) = self.out();
        let iy = (oy * self.s.0 + dy) as isize - pt as isize;
        let ix = (ox * self.s.1 + dx) as isize - pl as isize;
        (iy >= 0 && ix >= 0 && (iy as usize) < self.h && (ix as usize) < self.w).then_some((iy as usize, ix as usize))
    }
}

/// Direct convolution in f64 (pre-activation), kernel `(kh, kw, c, f)`.
fn conv_ref(g: &Geo, f: usize, x: &[f64], k: &[f64], bias: Option<&[f64]>) -> Vec<f64> {
    let (oh, ow, _, _) = g.out();
    let mut y = Vec::with_capacity(g.b * oh * ow * f);
    for b in 0..g.b {
        for oy in 0..oh {
            for ox in 0..ow {
                for fi in 0..f {
                    let mut s = bias.map_or(0.0, |v| v[fi]);
                    for dy in 0..g.k.0 {
                        for dx in 0..g.k.1 {
                            if let Some((iy, ix)) = g.cell(oy, ox, dy, dx) {
                                for ci in 0..g.c {
                                    s += x[((b * g.h + iy) * g.w + ix) * g.c + ci]
                                        * k[((dy * g.k.1 + dx) * g.c + ci) * f + fi];
                                }
                            }
                        }
                    }
                    y.push(s);
                }
            }
        }
    }
    y
}

fn check_conv(g: Geo, f: usize, act: Activation, use_bias: bool, budget: Option<usize>, seed: u64) {
    let label = format!(
        "Conv2D({f}, {:?}, strides={:?}, {:?}, {}, bias={use_bias})",
        g.k,
        g.s,
        g.pad,
        act.name()
    );
    let mut layer = Conv2D::with_options(
        f,
        g.k,
        g.s,
        g.pad,
        act,
        use_bias,
        Initializer::GlorotUniform,
        Initializer::RandomUniform,
    );
    if let Some(n) = budget {
        layer = layer.with_col_budget(n);
    }
    let (oh, ow, _, _) = g.out();
    assert_eq!(
        layer.build(&[g.h, g.w, g.c], &mut Rng::new(seed)).unwrap(),
        vec![oh, ow, f]
    );
    let k = to64(layer.kernel().value.as_slice().unwrap());
    let bias = layer.bias().map(|p| to64(p.value.as_slice().unwrap()));
    let mut rng = Rng::new(seed + 100);
    let n = g.b * g.h * g.w * g.c;
    // Redraw until every pre-activation is clear of relu's kink at 0.
    let x = (0..100)
        .map(|_| uniform_vec(&mut rng, n, -1.0, 1.0, 0.0))
        .find(|x| {
            conv_ref(&g, f, &to64(x), &k, bias.as_deref())
                .iter()
                .all(|v| v.abs() > 1e-3)
        })
        .expect("inputs clear of the kink");
    let x64 = to64(&x);
    let wout = to64(&uniform_vec(&mut rng, g.b * oh * ow * f, -1.0, 1.0, 0.0));
    let forward = |x: &[f64], k: &[f64], b: Option<&[f64]>| act_rows(act, &conv_ref(&g, f, x, k, b), f);

    let y = layer.forward(&tensor(&[g.b, g.h, g.w, g.c], &x), true).unwrap().clone();
    for (a, e) in y.iter().zip(forward(&x64, &k, bias.as_deref())) {
        assert!((*a as f64 - e).abs() < 1e-5, "{label}: forward {a} vs {e}");
    }
    let go = tensor(y.shape(), &wout.iter().map(|&v| v as f32).collect::<Vec<_>>());
    let dx = layer.backward(&go).unwrap().clone();
    assert_eq!(dx.shape(), &[g.b, g.h, g.w, g.c]);
    let loss = |x: &[f64], k: &[f64], b: Option<&[f64]>| dot(&wout, &forward(x, k, b));
    let b = bias.as_deref();
    check(
        &format!("{label} dx"),
        dx.as_slice().unwrap(),
        &numeric_grad(|x| loss(x, &k, b), &x64),
    );
    let params = layer.params();
    check(
        &format!("{label} dK"),
        params[0].grad.as_slice().unwrap(),
        &numeric_grad(|k| loss(&x64, k, b), &k),
    );
    if let Some(bv) = &bias {
        let num = numeric_grad(|bv| loss(&x64, &k, Some(bv)), bv);
        check(&format!("{label} db"), params[1].grad.as_slice().unwrap(), &num);
    }
}

/// Window / stride combinations: square and non-square kernels, strides 1 and 2.
const WINDOWS: [((usize, usize), (usize, usize)); 5] = [
    ((3, 3), (1, 1)),
    ((3, 2), (2, 2)),
    ((2, 3), (2, 1)),
    ((1, 1), (1, 1)),
    ((2, 2), (2, 2)),
];

fn geos(b: usize, c: usize) -> Vec<Geo> {
    let mut out = Vec::new();
    for pad in [Padding::Valid, Padding::Same] {
        for (k, s) in WINDOWS {
            out.push(Geo {
                b,
                h: 5,
                w: 6,
                c,
                k,
                s,
                pad,
            });
        }
    }
    out
}

#[test]
fn conv2d_valid_and_same_every_stride_and_kernel() {
    for (i, g) in geos(2, 2).into_iter().enumerate() {
        let seed = 10 + i as u64;
        check_conv(g, 3, Activation::Linear, true, None, seed);
        check_conv(g, 2, Activation::Relu, false, None, seed + 50);
    }
}

#[test]
fn conv2d_activations_and_chunked_batches() {
    let g = Geo {
        b: 3,
        h: 5,
        w: 5,
        c: 2,
        k: (3, 2),
        s: (2, 1),
        pad: Padding::Same,
    };
    for (i, act) in [
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Softmax,
        Activation::Elu,
    ]
    .into_iter()
    .enumerate()
    {
        check_conv(g, 3, act, true, None, 30 + i as u64);
    }
    // A column budget of one value: every sample is its own chunk.
    check_conv(g, 3, Activation::Tanh, true, Some(1), 40);
}

/// Pooling reference in f64: max or mean over the window's cells inside the image.
fn pool_ref(g: &Geo, kind: PoolKind, x: &[f64]) -> Vec<f64> {
    let (oh, ow, _, _) = g.out();
    let mut y = Vec::new();
    for b in 0..g.b {
        for oy in 0..oh {
            for ox in 0..ow {
                for ci in 0..g.c {
                    let cells: Vec<f64> = (0..g.k.0)
                        .flat_map(|dy| (0..g.k.1).map(move |dx| (dy, dx)))
                        .filter_map(|(dy, dx)| g.cell(oy, ox, dy, dx))
                        .map(|(iy, ix)| x[((b * g.h + iy) * g.w + ix) * g.c + ci])
                        .collect();
                    y.push(match kind {
                        PoolKind::Max => cells.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                        PoolKind::Average => cells.iter().sum::<f64>() / cells.len() as f64,
                    });
                }
            }
        }
    }
    y
}

fn check_forward_backward(
    label: &str,
    layer: &mut dyn Layer,
    in_shape: &[usize],
    x: &[f32],
    f: &dyn Fn(&[f64]) -> Vec<f64>,
    seed: u64,
) {
    let y = layer.forward(&tensor(in_shape, x), true).unwrap().clone();
    let y_ref = f(&to64(x));
    assert_eq!(y.len(), y_ref.len(), "{label}: output size");
    for (a, e) in y.iter().zip(&y_ref) {
        assert!((*a as f64 - e).abs() < 1e-5, "{label}: forward {a} vs {e}");
    }
    let w = to64(&uniform_vec(&mut Rng::new(seed), y.len(), -1.0, 1.0, 0.0));
    let go = tensor(y.shape(), &w.iter().map(|&v| v as f32).collect::<Vec<_>>());
    let dx = layer.backward(&go).unwrap().clone();
    assert_eq!(dx.shape(), in_shape, "{label}: dx shape");
    check(
        label,
        dx.as_slice().unwrap(),
        &numeric_grad(|x| dot(&w, &f(x)), &to64(x)),
    );
}

#[test]
fn pooling_valid_and_same_every_stride_and_window() {
    // 3 channels: one by one; 11: a block of 8 (MaxPooling2D's vector path) and 3.
    for (i, g) in geos(2, 3).into_iter().chain(geos(1, 11)).enumerate() {
        for kind in [PoolKind::Max, PoolKind::Average] {
            let mut layer = Pooling2D::new(kind, g.k, Some(g.s), g.pad);
            let label = format!("{}{g:?}", layer.kind());
            let (oh, ow, _, _) = g.out();
            assert_eq!(
                layer.build(&[g.h, g.w, g.c], &mut Rng::new(0)).unwrap(),
                vec![oh, ow, g.c]
            );
            // Distinct values 0.01 apart (a shuffled ramp): no ties within the difference step.
            let n = g.b * g.h * g.w * g.c;
            let x: Vec<f32> = Rng::new(i as u64)
                .permutation(n)
                .iter()
                .map(|&p| p as f32 * 0.01 - 0.9)
                .collect();
            let shape = [g.b, g.h, g.w, g.c];
            check_forward_backward(
                &label,
                &mut layer,
                &shape,
                &x,
                &|x| pool_ref(&g, kind, x),
                70 + i as u64,
            );
        }
    }
}

#[test]
fn global_average_pooling_and_reshape() {
    let (b, h, w, c) = (2, 3, 4, 5);
    let x = uniform_vec(&mut Rng::new(3), b * h * w * c, -1.0, 1.0, 0.0);
    let mut gap = GlobalAveragePooling2D::new();
    gap.build(&[h, w, c], &mut Rng::new(0)).unwrap();
    let gap_ref = |x: &[f64]| {
        let mut y = vec![0.0; b * c];
        for (i, v) in x.iter().enumerate() {
            y[(i / (h * w * c)) * c + i % c] += v / (h * w) as f64;
        }
        y
    };
    check_forward_backward("GlobalAveragePooling2D", &mut gap, &[b, h, w, c], &x, &gap_ref, 80);
    let mut r = Reshape::new(vec![-1, 10]);
    assert_eq!(r.build(&[h, w, c], &mut Rng::new(0)).unwrap(), vec![6, 10]);
    check_forward_backward("Reshape", &mut r, &[b, h, w, c], &x, &|x: &[f64]| x.to_vec(), 81);
}

/// BatchNormalization in training mode, in f64: per-channel batch moments (biased variance).
fn bn_ref(x: &[f64], c: usize, gamma: &[f64], beta: &[f64], eps: f64) -> Vec<f64> {
    let n = (x.len() / c) as f64;
    let mean: Vec<f64> = (0..c).map(|ch| x.iter().skip(ch).step_by(c).sum::<f64>() / n).collect();
    let var: Vec<f64> = (0..c)
        .map(|ch| {
            x.iter()
                .skip(ch)
                .step_by(c)
                .map(|v| (v - mean[ch]).powi(2))
                .sum::<f64>()
                / n
        })
        .collect();
    x.iter()
        .enumerate()
        .map(|(i, v)| {
            let ch = i % c;
            gamma[ch] * (v - mean[ch]) / (var[ch] + eps).sqrt() + beta[ch]
        })
        .collect()
}

#[test]
fn batch_norm_training_gradients() {
    for (center, scale) in [(true, true), (false, true), (true, false), (false, false)] {
        let (b, h, w, c) = (3, 2, 2, 3);
        let label = format!("BatchNormalization(center={center}, scale={scale})");
        let mut bn = BatchNormalization::with_options(0.99, 1e-3, center, scale);
        bn.build(&[h, w, c], &mut Rng::new(0)).unwrap();
        let mut rng = Rng::new(7);
        // Non-trivial γ and β so their roles are checked.
        let gamma = to64(&uniform_vec(&mut rng, c, 0.5, 1.5, 0.0));
        let beta = to64(&uniform_vec(&mut rng, c, -0.5, 0.5, 0.0));
        {
            let mut ps = bn.params_mut().into_iter();
            if scale {
                let p = ps.next().unwrap();
                p.value.iter_mut().zip(&gamma).for_each(|(v, g)| *v = *g as f32);
            }
            if center {
                let p = ps.next().unwrap();
                p.value.iter_mut().zip(&beta).for_each(|(v, g)| *v = *g as f32);
            }
        }
        let ones = vec![1.0; c];
        let zeros = vec![0.0; c];
        let (g_used, b_used) = (
            if scale { gamma.clone() } else { ones },
            if center { beta.clone() } else { zeros },
        );
        let x = uniform_vec(&mut rng, b * h * w * c, -2.0, 2.0, 0.0);
        let f = |x: &[f64]| bn_ref(x, c, &g_used, &b_used, 1e-3);
        check_forward_backward(&label, &mut bn, &[b, h, w, c], &x, &f, 90);
        // Param gradients, with the same output weights as check_forward_backward.
        let wout = to64(&uniform_vec(&mut Rng::new(90), x.len(), -1.0, 1.0, 0.0));
        let x64 = to64(&x);
        let params = bn.params();
        let mut i = 0;
        if scale {
            let num = numeric_grad(|gm| dot(&wout, &bn_ref(&x64, c, gm, &b_used, 1e-3)), &gamma);
            check(&format!("{label} dgamma"), params[i].grad.as_slice().unwrap(), &num);
            i += 1;
        }
        if center {
            let num = numeric_grad(|bt| dot(&wout, &bn_ref(&x64, c, &g_used, bt, 1e-3)), &beta);
            check(&format!("{label} dbeta"), params[i].grad.as_slice().unwrap(), &num);
            i += 1;
        }
        assert!(params[i..]
            .iter()
            .all(|p| !p.trainable && p.grad.iter().all(|&v| v == 0.0)));
    }
}
