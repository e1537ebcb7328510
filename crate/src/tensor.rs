//! Tensors are `ndarray::ArrayD<f32>` with the batch as the first axis.
//! Images are NHWC (`[batch, height, width, channels]`), so Conv2D fits in
//! without a redesign; Dense works on `[batch, features]`.

use ndarray::{ArrayD, IxDyn};

pub type Tensor = ArrayD<f32>;

/// Make `buf` have exactly `shape`, reusing its allocation when the shape is
/// unchanged (the steady state of training: no allocation per batch).
pub fn ensure_shape(buf: &mut Tensor, shape: &[usize]) {
    if buf.shape() != shape {
        *buf = Tensor::zeros(IxDyn(shape));
    }
}

/// `[batch] ++ sample_shape`.
pub fn batch_shape(batch: usize, sample_shape: &[usize]) -> Vec<usize> {
    let mut s = Vec::with_capacity(sample_shape.len() + 1);
    s.push(batch);
    s.extend_from_slice(sample_shape);
    s
}

/// Human-readable shape with the batch as `None`, like Keras' summary: `(None, 128)`.
pub fn keras_shape(sample_shape: &[usize]) -> String {
    let mut s = String::from("(None");
    for d in sample_shape {
        s.push_str(&format!(", {d}"));
    }
    s.push(')');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_shape_reuses_and_resizes() {
        let mut t = Tensor::zeros(IxDyn(&[2, 3]));
        let p = t.as_ptr();
        ensure_shape(&mut t, &[2, 3]);
        assert_eq!(t.as_ptr(), p);
        ensure_shape(&mut t, &[4, 3]);
        assert_eq!(t.shape(), &[4, 3]);
        assert_eq!(keras_shape(&[28, 28, 1]), "(None, 28, 28, 1)");
    }
}
