//! Window sizes against Keras' formulas worked by hand, im2col against a
//! direct index computation, col2im as im2col's adjoint, thread independence.

use super::*;
use crate::rng::Rng;

fn fill(len: usize, seed: u64) -> Vec<f32> {
    let mut r = Rng::new(seed);
    (0..len).map(|_| r.uniform_range(-1.0, 1.0)).collect()
}

#[test]
fn output_sizes_follow_keras() {
    // valid: floor((28 − 3) / 1) + 1 = 26; floor((26 − 2) / 2) + 1 = 13; floor((13 − 2) / 2) + 1 = 6.
    assert_eq!(output_size(28, 3, 1, Padding::Valid), Some((26, 0)));
    assert_eq!(output_size(26, 2, 2, Padding::Valid), Some((13, 0)));
    assert_eq!(output_size(13, 2, 2, Padding::Valid), Some((6, 0)));
    // same: ceil(28 / 1) = 28 with pad (27 + 3 − 28) = 2 → 1 before, 1 after.
    assert_eq!(output_size(28, 3, 1, Padding::Same), Some((28, 1)));
    // same, odd padding: ceil(5 / 2) = 3, pad (2·2 + 2 − 5) = 1 → 0 before (the extra one goes after).
    assert_eq!(output_size(5, 2, 2, Padding::Same), Some((3, 0)));
    // same, stride 2, k 3 on 5: out 3, pad (4 + 3 − 5) = 2 → 1 before.
    assert_eq!(output_size(5, 3, 2, Padding::Same), Some((3, 1)));
    // same never pads negatively: ceil(6 / 3) = 2, (1·3 + 1 − 6) < 0 → 0.
    assert_eq!(output_size(6, 1, 3, Padding::Same), Some((2, 0)));
    // the window does not fit, or sizes are 0
    assert_eq!(output_size(2, 3, 1, Padding::Valid), None);
    // same with a window larger than the input: out 2, pad (1 + 3 − 2) = 2 → 1 before.
    assert_eq!(output_size(2, 3, 1, Padding::Same), Some((2, 1)));
    assert_eq!(output_size(4, 0, 1, Padding::Valid), None);
    assert_eq!(output_size(4, 2, 0, Padding::Same), None);
    assert_eq!(output_size(4, usize::MAX, 1, Padding::Same), None);
}

/// Column value straight from the definition in the module doc.
fn direct(w: &Window, x: &[f32], oy: usize, ox: usize, j: usize) -> f32 {
    let c = j % w.channels;
    let dx = (j / w.channels) % w.kw;
    let dy = j / (w.channels * w.kw);
    let iy = (oy * w.sh + dy) as isize - w.pad_top as isize;
    let ix = (ox * w.sw + dx) as isize - w.pad_left as isize;
    if iy < 0 || ix < 0 || iy >= w.in_h as isize || ix >= w.in_w as isize {
        0.0
    } else {
        x[(iy as usize * w.in_w + ix as usize) * w.channels + c]
    }
}

fn windows() -> Vec<Window> {
    let mut out = Vec::new();
    for padding in [Padding::Valid, Padding::Same] {
        for (k, s) in [((3, 3), (1, 1)), ((2, 3), (2, 1)), ((3, 2), (2, 2)), ((1, 1), (1, 1))] {
            out.push(Window::new((5, 6, 3), k, s, padding).unwrap());
        }
    }
    out
}

#[test]
fn im2col_matches_the_definition() {
    for w in windows() {
        let nb = 2;
        let x = fill(nb * w.input_len(), 1);
        let mut col = vec![f32::NAN; nb * w.rows() * w.patch_len()];
        im2col(&w, &x, &mut col);
        for b in 0..nb {
            let xs = &x[b * w.input_len()..(b + 1) * w.input_len()];
            for oy in 0..w.out_h {
                for ox in 0..w.out_w {
                    for j in 0..w.patch_len() {
                        let r = b * w.rows() + oy * w.out_w + ox;
                        assert_eq!(col[r * w.patch_len() + j], direct(&w, xs, oy, ox, j), "{w:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn col2im_is_the_adjoint_of_im2col() {
    // <im2col(x), c> = <x, col2im(c)> for all x, c: the input gradient of a convolution.
    for w in windows() {
        let nb = 3;
        let x = fill(nb * w.input_len(), 2);
        let c = fill(nb * w.rows() * w.patch_len(), 3);
        let mut col = vec![0.0; c.len()];
        im2col(&w, &x, &mut col);
        let mut dx = vec![f32::NAN; x.len()];
        col2im(&w, &c, &mut dx);
        let lhs: f64 = col.iter().zip(&c).map(|(a, b)| *a as f64 * *b as f64).sum();
        let rhs: f64 = x.iter().zip(&dx).map(|(a, b)| *a as f64 * *b as f64).sum();
        assert!((lhs - rhs).abs() < 1e-4 * (1.0 + lhs.abs()), "{w:?}: {lhs} vs {rhs}");
    }
}

#[test]
fn in_rows_and_in_cols_are_the_cells_in_y_and_in_x_find() {
    let mut ws = windows();
    // Windows hanging over every edge: same padding with a window larger than the image.
    ws.push(Window::new((2, 3, 1), (4, 5), (1, 2), Padding::Same).unwrap());
    for w in ws {
        for oy in 0..w.out_h {
            assert!(
                w.in_rows(oy).eq((0..w.kh).filter_map(|dy| w.in_y(oy, dy))),
                "{w:?} row {oy}"
            );
        }
        for ox in 0..w.out_w {
            assert!(
                w.in_cols(ox).eq((0..w.kw).filter_map(|dx| w.in_x(ox, dx))),
                "{w:?} column {ox}"
            );
        }
    }
}

#[test]
fn col2im_sums_each_cell_in_row_order() {
    // The documented order, bit for bit: every cell starts at 0 and gets its
    // column entries added row by row (oy, then ox) within each sample.
    for w in windows() {
        let nb = 2;
        let c = fill(nb * w.rows() * w.patch_len(), 6);
        let mut want = vec![0f32; nb * w.input_len()];
        for (r, row) in c.chunks(w.patch_len()).enumerate() {
            let (b, oy, ox) = (r / w.rows(), r % w.rows() / w.out_w, r % w.out_w);
            for (j, v) in row.iter().enumerate() {
                let (ch, dx, dy) = (j % w.channels, (j / w.channels) % w.kw, j / (w.channels * w.kw));
                if let (Some(iy), Some(ix)) = (w.in_y(oy, dy), w.in_x(ox, dx)) {
                    want[b * w.input_len() + (iy * w.in_w + ix) * w.channels + ch] += v;
                }
            }
        }
        let mut got = vec![f32::NAN; want.len()];
        col2im(&w, &c, &mut got);
        assert!(
            got.iter().map(|v| v.to_bits()).eq(want.iter().map(|v| v.to_bits())),
            "{w:?}"
        );
    }
}

#[test]
fn same_padding_puts_the_extra_row_at_the_bottom() {
    // 2×2 input, 2×2 kernel, stride 1, same: out 2×2, pad 1 → 0 on top/left, 1 bottom/right.
    let w = Window::new((2, 2, 1), (2, 2), (1, 1), Padding::Same).unwrap();
    assert_eq!((w.out_h, w.out_w, w.pad_top, w.pad_left), (2, 2, 0, 0));
    let mut col = vec![0.0; 4 * 4];
    im2col(&w, &[1.0, 2.0, 3.0, 4.0], &mut col);
    // Rows: windows at (0,0) [1 2 3 4], (0,1) [2 0 4 0], (1,0) [3 4 0 0], (1,1) [4 0 0 0].
    let expect = [
        1.0, 2.0, 3.0, 4.0, 2.0, 0.0, 4.0, 0.0, 3.0, 4.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0,
    ];
    assert_eq!(col, expect);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let w = Window::new((12, 12, 8), (3, 3), (1, 1), Padding::Same).unwrap();
    let nb = 6; // 6 · 144 · 72 values: above the parallel threshold
    let x = fill(nb * w.input_len(), 4);
    let c = fill(nb * w.rows() * w.patch_len(), 5);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let mut col = vec![0.0; c.len()];
            im2col(&w, &x, &mut col);
            let mut dx = vec![0.0; x.len()];
            col2im(&w, &c, &mut dx);
            (col, dx)
        })
    };
    let (a, b) = (run(1), run(3));
    assert!(a.0 == b.0 && a.1.iter().map(|v| v.to_bits()).eq(b.1.iter().map(|v| v.to_bits())));
}

#[test]
fn sizes_read_as_keras_writes_them() {
    let read = |s: &str| serde_json::from_str::<Size2>(s).map_err(|e| e.to_string());
    assert_eq!(read("3"), Ok(Size2(3, 3)));
    assert_eq!(read("[3, 2]"), Ok(Size2(3, 2)));
    assert!(read("[3]").unwrap_err().contains("a list of two like [3, 2]"));
    assert!(read("[1, 2, 3]").unwrap_err().contains("a list of two"));
    assert!(read("-2").unwrap_err().contains("at least 1, got -2"));
    assert!(read("[2, -1]").unwrap_err().contains("at least 1, got -1"));
    assert!(read("\"3\"").unwrap_err().contains("a whole number like 3"));
    assert_eq!(serde_json::to_string(&Size2(2, 2)).unwrap(), "[2,2]");
    assert_eq!(serde_json::to_string(&Padding::Same).unwrap(), "\"same\"");
}
