//! Finite-difference checks of every activation's derivative (step excluded:
//! it has none). The numeric derivative is taken of an independent f64
//! reference (`gradcheck_common::act_row`), whose values are also compared with
//! the f32 forward; the loss is `L = Σ w·f(x)` with random weights `w`.

mod gradcheck_common;

use gradcheck_common::*;
use gradlab::activations::Activation;
use gradlab::rng::Rng;

fn check_activation(a: Activation, x: &[f32], k: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    let w = uniform_vec(&mut rng, x.len(), -1.0, 1.0, 0.0);
    let mut y = x.to_vec();
    a.apply(&mut y, k);
    let reference = act_rows(a, &to64(x), k);
    for (i, (got, want)) in y.iter().zip(&reference).enumerate() {
        assert!(
            (*got as f64 - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{} value {i}: {got} vs {want}",
            a.name()
        );
    }
    let mut g = w.clone();
    a.backward_in_place(&y, &mut g, k).unwrap();
    let w64 = to64(&w);
    let numeric = numeric_grad(|x| dot(&w64, &act_rows(a, x, k)), &to64(x));
    check(a.name(), &g, &numeric);
}

#[test]
fn every_activation_matches_finite_differences() {
    for a in trainable_activations() {
        let mut rng = Rng::new(42);
        // 4 rows of 5, in [-3, 3], at least 0.05 away from the kink at 0.
        let x = uniform_vec(&mut rng, 20, -3.0, 3.0, 0.05);
        check_activation(a, &x, 5, 1);
    }
}

#[test]
fn near_the_kinks() {
    // Just either side of 0 (|x| = 1e-3 ≫ the 1e-6 difference step).
    let x = [1e-3f32, -1e-3, 2e-3, -2e-3, 0.5, -0.5];
    for a in [Activation::Relu, Activation::LeakyRelu, Activation::Elu] {
        check_activation(a, &x, 6, 2);
    }
}

#[test]
fn saturated_and_large_inputs() {
    // Sigmoid/tanh far in their tails and a softmax row with large logits.
    let x = [8.0f32, -8.0, 4.0, -4.0, 30.0, 29.0, 27.5, 25.0];
    for a in [Activation::Sigmoid, Activation::Tanh, Activation::Softmax] {
        check_activation(a, &x, 4, 3);
    }
}
