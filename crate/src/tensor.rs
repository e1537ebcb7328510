//! Tensors are `ndarray::ArrayD<f32>` with the batch as the first axis.
//! Images are NHWC (`[batch, height, width, channels]`), so Conv2D fits in
//! without a redesign; Dense works on `[batch, features]`.

use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, IxDyn};

pub type Tensor = ArrayD<f32>;

/// Make `buf` have exactly `shape`, reusing its allocation when the shape is
/// unchanged (the steady state of training: no allocation per batch).
pub fn ensure_shape(buf: &mut Tensor, shape: &[usize]) {
    if buf.shape() != shape {
        *buf = Tensor::zeros(IxDyn(shape));
    }
}

/// `dst ← src` for tensors of the same shape (every caller sized `dst`
/// first): one copy of the memory when both are contiguous (every buffer the
/// layers keep), else element by element in logical order. One function for
/// all callers instead of ndarray's broadcasting `assign`, whose
/// dynamic-rank code was 20 kB of the wasm (the first visit's budget).
pub fn copy_to(mut dst: ArrayViewMutD<f32>, src: ArrayViewD<f32>) {
    assert_eq!(dst.shape(), src.shape(), "copy_to: the shapes differ");
    if let (Some(d), Some(s)) = (dst.as_slice_mut(), src.as_slice()) {
        d.copy_from_slice(s);
        return;
    }
    for (d, s) in dst.iter_mut().zip(src.iter()) {
        *d = *s;
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
