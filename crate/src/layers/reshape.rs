//! `Reshape(target_shape)` as Keras: `[batch] ++ input → [batch] ++ target`
//! in row-major (NHWC) order, with at most one `-1` in `target_shape`
//! standing for the size that keeps the number of values. Backward restores
//! the input shape.

use serde::{Deserialize, Serialize};

use crate::layers::activation::check_build_shape;
use crate::layers::kind::{LayerKind, LayerSpec};
use crate::layers::relayout::Relayout;
use crate::layers::Layer;
use crate::problem::Problem;
use crate::rng::Rng;
use crate::spec::{Arg, ArgType};
use crate::tensor::{keras_shape, Tensor};
use crate::{Error, Result};

/// The layer: [`Relayout`] with the resolved target shape.
#[derive(Clone, Debug)]
pub struct Reshape {
    target_shape: Vec<i64>,
    relayout: Relayout,
}

/// `keras.layers.Reshape(target_shape)`: the per-sample shape to give the
/// input, e.g. `[28, 28, 1]`; one size may be -1.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReshapeConfig {
    pub target_shape: Vec<i64>,
}

impl LayerKind for ReshapeConfig {
    fn spec() -> LayerSpec {
        LayerSpec {
            kind: "Reshape",
            doc: "keras.layers.Reshape: gives each sample another shape with the same values, e.g. 784 → 28×28×1",
            images_only: false,
            args: vec![Arg::required(
                "target_shape",
                ArgType::IntList,
                "sizes per sample, e.g. [28, 28, 1]; one may be -1 (whatever fits)",
            )],
        }
    }

    fn kind(&self) -> &'static str {
        "Reshape"
    }

    fn output_shape(&self, input: &[usize]) -> std::result::Result<Vec<usize>, Problem> {
        let values = input.iter().product();
        resolve(&self.target_shape, values, input).map_err(|m| Problem::new("target_shape", m))
    }

    fn build(&self) -> Box<dyn Layer> {
        Box::new(Reshape::new(self.target_shape.clone()))
    }
}

/// The output shape for `values` per sample, or a message saying what to change.
pub fn resolve_target(target: &[i64], values: usize, input_shape: &[usize]) -> Result<Vec<usize>> {
    resolve(target, values, input_shape).map_err(|m| Error::Config(format!("Reshape: {m}")))
}

fn resolve(target: &[i64], values: usize, input_shape: &[usize]) -> std::result::Result<Vec<usize>, String> {
    let bad = |why: String| format!("target_shape {target:?}: {why}");
    if target.is_empty() {
        return Err(bad("give at least one size".into()));
    }
    if target.iter().filter(|&&d| d == -1).count() > 1 {
        return Err(bad("only one size may be -1".into()));
    }
    if target.iter().any(|&d| d == 0 || d < -1) {
        return Err(bad(
            "every size must be at least 1 (or -1 for the size that fits)".into()
        ));
    }
    let known = target
        .iter()
        .filter(|&&d| d > 0)
        .try_fold(1usize, |a, &d| a.checked_mul(usize::try_from(d).ok()?));
    let Some(known) = known else {
        return Err(bad("the sizes are too large".into()));
    };
    let shape: Vec<usize> = target
        .iter()
        .map(|&d| if d == -1 { values / known.max(1) } else { d as usize })
        .collect();
    if shape.iter().product::<usize>() != values || shape.contains(&0) {
        return Err(bad(format!(
            "the input {} has {values} values per sample, which do not fit; the sizes must multiply to {values}",
            keras_shape(input_shape)
        )));
    }
    Ok(shape)
}

impl Reshape {
    pub fn new(target_shape: Vec<i64>) -> Reshape {
        Reshape {
            target_shape,
            relayout: Relayout::new("Reshape"),
        }
    }
}

impl Layer for Reshape {
    fn kind(&self) -> &'static str {
        "Reshape"
    }

    fn output(&self) -> Option<&Tensor> {
        Some(self.relayout.output())
    }

    fn build(&mut self, input_shape: &[usize], _rng: &mut Rng) -> Result<Vec<usize>> {
        check_build_shape("Reshape", input_shape)?;
        let values = input_shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
        let values = values.ok_or_else(|| Error::Config("Reshape: the input is too large".into()))?;
        let output_shape = resolve_target(&self.target_shape, values, input_shape)?;
        Ok(self.relayout.build(input_shape, output_shape))
    }

    fn output_shape(&self) -> &[usize] {
        self.relayout.output_shape()
    }

    fn forward(&mut self, x: &Tensor, _training: bool) -> Result<&Tensor> {
        self.relayout.forward(x)
    }

    fn backward(&mut self, grad_out: &Tensor) -> Result<&Tensor> {
        self.relayout.backward(grad_out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::IxDyn;

    #[test]
    fn target_shapes_as_keras() {
        assert_eq!(resolve_target(&[28, 28, 1], 784, &[784]).unwrap(), vec![28, 28, 1]);
        assert_eq!(resolve_target(&[-1, 4], 12, &[3, 4]).unwrap(), vec![3, 4]);
        let e = |t: &[i64]| resolve_target(t, 12, &[12]).unwrap_err().to_string();
        assert!(e(&[-1, -1]).contains("only one size may be -1"));
        assert!(e(&[5, -1]).contains("multiply to 12"));
        assert!(e(&[5, 3]).contains("multiply to 12"));
        assert!(e(&[0, 12]).contains("at least 1"));
        assert!(e(&[i64::MAX, i64::MAX]).contains("too large"));
    }

    #[test]
    fn reshape_round_trip() {
        let mut r = Reshape::new(vec![2, -1, 1]);
        assert_eq!(r.build(&[6], &mut Rng::new(0)).unwrap(), vec![2, 3, 1]);
        let x = Tensor::from_shape_fn(IxDyn(&[2, 6]), |i| (i[0] * 6 + i[1]) as f32);
        let y = r.forward(&x, true).unwrap().clone();
        assert_eq!(y.shape(), &[2, 2, 3, 1]);
        assert_eq!(y[[1, 1, 2, 0]], 11.0);
        assert_eq!(r.backward(&y).unwrap(), &x);
    }
}
