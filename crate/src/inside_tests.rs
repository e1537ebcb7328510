use super::*;
use crate::config::ExperimentConfig;
use crate::data::toy;

#[test]
fn histogram_bins_by_hand() {
    // [0, 4] in 4 bins of width 1: 0 → bin 0, 0.5 → 0, 1 → 1, 2.5 → 2, 4 (max) → the last bin (closed);
    // NaN and ∞ are counted apart and do not move the range.
    let h = histogram(&[0.0, 0.5, 1.0, 2.5, 4.0, f32::NAN, f32::INFINITY], 4);
    assert_eq!(
        (h.min, h.max, h.counts.clone(), h.nonfinite),
        (0.0, 4.0, vec![2, 1, 1, 1], 2)
    );
    // All equal: the middle bin.
    assert_eq!(histogram(&[3.0; 5], 4).counts, vec![0, 0, 5, 0]);
    // Nothing finite: empty counts, range 0.
    let e = histogram(&[f32::NAN], 3);
    assert_eq!((e.min, e.max, e.counts, e.nonfinite), (0.0, 0.0, vec![0, 0, 0], 1));
}

fn circles_run() -> Run {
    let json = r#"{"dataset": "circles", "layers": [{"type": "Dense", "units": 3, "activation": "relu"},
        {"type": "Dense", "units": 1, "activation": "sigmoid"}],
        "loss": "binary_crossentropy", "optimizer": {"name": "adam"}, "epochs": 1, "seed": 1}"#;
    let config = ExperimentConfig::from_json(json.as_bytes()).unwrap();
    Run::new(config, toy::circles(40, 0.1, 0.5, 1), None).unwrap()
}

#[test]
fn histograms_cover_every_layer_and_sample() {
    let mut run = circles_run();
    let hs = layer_histograms(&mut run, 10, 8).unwrap();
    assert_eq!(hs.len(), 2);
    assert_eq!((hs[0].name.as_str(), hs[0].kind), ("dense", "Dense"));
    // Kernel 2×3 = 6 weights; activations 10 samples × 3 units, then 10 × 1.
    assert_eq!(hs[0].weights.as_ref().unwrap().counts.iter().sum::<u32>(), 6);
    assert_eq!(hs[0].activations.counts.iter().sum::<u32>(), 30);
    assert_eq!(hs[1].activations.counts.iter().sum::<u32>(), 10);
    // ReLU outputs are ≥ 0, sigmoid outputs in (0, 1).
    assert!(hs[0].activations.min >= 0.0);
    assert!(hs[1].activations.min > 0.0 && hs[1].activations.max < 1.0);
    assert!(layer_histograms(&mut run, 0, 8).is_err());
    assert!(layer_histograms(&mut run, 10, MAX_BINS + 1).is_err());
}

#[test]
fn layer_output_is_the_hidden_units_own_formula() {
    let mut run = circles_run();
    let input = [0.3f32, -0.7, 1.0, 0.25];
    let (out, shape) = layer_output(run.model_mut(), &input, 0).unwrap();
    assert_eq!((out.len(), shape), (6, vec![3]));
    // relu(x·W + b), computed here from the kernel and bias.
    let params = run.model().params();
    let (w, b) = (&params[0].value, &params[1].value);
    for s in 0..2 {
        for u in 0..3 {
            let z = input[2 * s] * w[[0, u]] + input[2 * s + 1] * w[[1, u]] + b[[u]];
            assert!((out[s * 3 + u] - z.max(0.0)).abs() < 1e-6);
        }
    }
    // The last layer's output is predict's.
    let (last, _) = layer_output(run.model_mut(), &input, 1).unwrap();
    let x = Tensor::from_shape_vec(vec![2, 2], input.to_vec()).unwrap();
    let y = run.predict(&x).unwrap();
    assert_eq!(last, y.iter().copied().collect::<Vec<_>>());
    assert!(layer_output(run.model_mut(), &input, 2).is_err());
    assert!(layer_output(run.model_mut(), &input[..3], 0).is_err());
}

#[test]
fn weight_blocks_copy_the_top_left_of_each_kernel() {
    let run = circles_run();
    let params = run.model().params();
    let blocks = weight_blocks(run.model(), 2, 2);
    assert_eq!(blocks.len(), 2);
    let b = &blocks[0];
    assert_eq!(
        (b.fan_in, b.units, b.rows, b.cols, b.shape.clone()),
        (2, 3, 2, 2, vec![2, 3])
    );
    let w = &params[0].value;
    assert_eq!(b.values, vec![w[[0, 0]], w[[0, 1]], w[[1, 0]], w[[1, 1]]]);
    assert_eq!(b.bias, params[1].value.iter().take(2).copied().collect::<Vec<_>>());
    assert_eq!((blocks[1].rows, blocks[1].cols, blocks[1].values.len()), (2, 1, 2));
}
