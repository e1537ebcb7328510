//! Keras' arithmetic on Python-float hyper-parameters (`1 - beta` in double).

/// A hyper-parameter as the Python double Keras holds: the shortest decimal
/// that round-trips the f32 (what the user wrote, e.g. 0.9), parsed as f64.
/// Keras computes `1 - beta` in double from it and casts the result to f32.
/// Formatted in a stack buffer (f32 `Display` has no exponent: ≤ 48 bytes), no allocation per update.
fn keras_f64(x: f32) -> f64 {
    use std::fmt::Write;
    struct Buf([u8; 64], usize);
    impl Write for Buf {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let end = self.1 + s.len();
            self.0
                .get_mut(self.1..end)
                .ok_or(std::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.1 = end;
            Ok(())
        }
    }
    let mut b = Buf([0; 64], 0);
    let text = write!(b, "{x}")
        .ok()
        .and_then(|()| std::str::from_utf8(&b.0[..b.1]).ok());
    text.and_then(|s| s.parse::<f64>().ok()).unwrap_or(x as f64)
}

/// `1 - x` as Keras computes it for a Python-float hyper-parameter.
pub(crate) fn one_minus(x: f32) -> f32 {
    (1.0 - keras_f64(x)) as f32
}
