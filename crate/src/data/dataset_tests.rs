//! Dataset: construction checks, normalised gathering, target encodings.
//! Expected values are computed by hand in the comments.

use super::*;
use crate::tensor::Tensor;
use ndarray::IxDyn;

fn small_u8() -> Dataset {
    // 3 "images" of 2x2x1.
    Dataset::new(
        "img",
        vec![2, 2, 1],
        Features::U8 {
            data: vec![0, 51, 102, 255, 10, 20, 30, 40, 255, 255, 0, 0],
        },
        Targets::Classes {
            labels: vec![2, 0, 1],
            num_classes: 3,
        },
        vec!["a".into(), "b".into(), "c".into()],
        Normalization::Scale(1.0 / 255.0),
    )
    .unwrap()
}

fn table() -> Dataset {
    // 3 samples x 2 features, regression with dim 1.
    Dataset::new(
        "t",
        vec![2],
        Features::F32 {
            data: vec![1.0, 10.0, 2.0, 20.0, 3.0, 60.0],
        },
        Targets::Values {
            data: vec![0.5, -1.5, 2.5],
            dim: 1,
        },
        vec![],
        Normalization::Standardize {
            mean: vec![2.0, 30.0],
            std: vec![0.5, 10.0],
        },
    )
    .unwrap()
}

#[test]
fn sizes_and_kinds() {
    let d = small_u8();
    assert_eq!(
        (d.len(), d.is_empty(), d.input_size(), d.num_classes()),
        (3, false, 4, Some(3))
    );
    assert_eq!(d.task(), Task::Classification);
    assert_eq!(d.target_width(LabelEncoding::OneHot), 3);
    assert_eq!(d.target_width(LabelEncoding::Sparse), 1);
    let t = table();
    assert_eq!((t.len(), t.num_classes(), t.task()), (3, None, Task::Regression));
    assert_eq!(t.target_width(LabelEncoding::OneHot), 1);
}

#[test]
fn gather_x_scales_u8_by_1_over_255() {
    let d = small_u8();
    let mut out = Tensor::zeros(IxDyn(&[0]));
    d.gather_x(&[0, 2], &mut out);
    assert_eq!(out.shape(), &[2, 2, 2, 1]);
    // 51/255 = 0.2, 102/255 = 0.4, 255/255 = 1.
    let want = [0.0, 0.2, 0.4, 1.0, 1.0, 1.0, 0.0, 0.0];
    for (g, w) in out.iter().zip(want) {
        assert!((g - w).abs() < 1e-6, "{g} vs {w}");
    }
    // Same batch size: the buffer is reused.
    let p = out.as_ptr();
    d.gather_x(&[1, 1], &mut out);
    assert_eq!(out.as_ptr(), p);
    assert!((out[[0, 0, 0, 0]] - 10.0 / 255.0).abs() < 1e-7);
}

#[test]
fn gather_x_standardizes_per_feature_and_per_channel() {
    let t = table();
    let mut out = Tensor::zeros(IxDyn(&[1]));
    t.gather_x(&[2, 0], &mut out);
    // (3-2)/0.5 = 2, (60-30)/10 = 3; (1-2)/0.5 = -2, (10-30)/10 = -2.
    assert_eq!(out.shape(), &[2, 2]);
    assert_eq!(out.as_slice().unwrap(), &[2.0, 3.0, -2.0, -2.0]);

    // One mean/std for a 1-channel image applies to every pixel: (x - 100) / 50.
    let mut d = small_u8();
    d.normalization = Normalization::Standardize {
        mean: vec![100.0],
        std: vec![50.0],
    };
    d.check().unwrap();
    d.gather_x(&[0], &mut out);
    assert_eq!(out.as_slice().unwrap(), &[-2.0, -0.98, 0.04, 3.1]);

    d.normalization = Normalization::None;
    d.gather_x(&[0], &mut out);
    assert_eq!(out.as_slice().unwrap(), &[0.0, 51.0, 102.0, 255.0]);
}

#[test]
fn gather_y_one_hot_sparse_and_values() {
    let d = small_u8();
    let mut y = Tensor::zeros(IxDyn(&[0]));
    d.gather_y(&[0, 1, 2, 0], LabelEncoding::OneHot, &mut y);
    assert_eq!(y.shape(), &[4, 3]);
    let want = [0., 0., 1., 1., 0., 0., 0., 1., 0., 0., 0., 1.];
    assert_eq!(y.as_slice().unwrap(), &want);
    // Reused buffer must not keep old ones.
    d.gather_y(&[1, 1, 1, 1], LabelEncoding::OneHot, &mut y);
    assert_eq!(y.sum(), 4.0);
    assert_eq!(y.index_axis(ndarray::Axis(1), 0).sum(), 4.0);
    d.gather_y(&[2, 1], LabelEncoding::Sparse, &mut y);
    assert_eq!(y.shape(), &[2]);
    assert_eq!(y.as_slice().unwrap(), &[1.0, 0.0]);
    let t = table();
    t.gather_y(&[1, 2], LabelEncoding::OneHot, &mut y);
    assert_eq!(y.shape(), &[2, 1]);
    assert_eq!(y.as_slice().unwrap(), &[-1.5, 2.5]);
}

#[test]
fn label_and_image_accessors() {
    let d = small_u8();
    assert_eq!(d.label(0), Some(2));
    assert_eq!(d.label(3), None);
    assert_eq!(d.image_u8(1), Some(&[10u8, 20, 30, 40][..]));
    assert_eq!(d.image_u8(3), None);
    assert_eq!(table().image_u8(0), None);
    assert_eq!(table().label(0), None);
}

#[test]
fn new_rejects_inconsistent_parts() {
    let err = |r: crate::Result<Dataset>| match r {
        Err(crate::Error::Data(m)) => m,
        other => panic!("expected a data error, got {other:?}"),
    };
    let classes = |labels: Vec<u32>, k| Targets::Classes { labels, num_classes: k };
    let m = err(Dataset::new(
        "x",
        vec![2],
        Features::F32 { data: vec![1.0; 5] },
        classes(vec![0, 1, 0], 2),
        vec![],
        Normalization::None,
    ));
    assert!(m.contains("5 feature values for 3 samples"), "{m}");
    let m = err(Dataset::new(
        "x",
        vec![1],
        Features::F32 { data: vec![1.0; 2] },
        classes(vec![0, 2], 2),
        vec![],
        Normalization::None,
    ));
    assert!(m.contains("label 2 is not below the number of classes 2"), "{m}");
    let m = err(Dataset::new(
        "x",
        vec![1],
        Features::F32 { data: vec![1.0; 2] },
        classes(vec![0, 1], 2),
        vec!["a".into()],
        Normalization::None,
    ));
    assert!(m.contains("1 class names for 2 classes"), "{m}");
    let norm = Normalization::Standardize {
        mean: vec![0.0; 3],
        std: vec![1.0; 3],
    };
    let m = err(Dataset::new(
        "x",
        vec![2],
        Features::F32 { data: vec![1.0; 4] },
        classes(vec![0, 1], 2),
        vec![],
        norm,
    ));
    assert!(m.contains("one per feature or one per channel"), "{m}");
    let m = err(Dataset::new(
        "x",
        vec![0],
        Features::F32 { data: vec![] },
        classes(vec![], 2),
        vec![],
        Normalization::None,
    ));
    assert!(m.contains("no features"), "{m}");
}

#[test]
fn label_encoding_serde_names() {
    assert_eq!(serde_json::to_string(&LabelEncoding::OneHot).unwrap(), "\"one_hot\"");
    assert_eq!(
        serde_json::from_str::<LabelEncoding>("\"sparse\"").unwrap(),
        LabelEncoding::Sparse
    );
}
