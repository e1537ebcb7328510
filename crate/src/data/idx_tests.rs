//! IDX parsing: round trip and every kind of broken file (errors, no panics).

use super::*;

fn msg<T: std::fmt::Debug>(r: crate::Result<T>) -> String {
    match r {
        Err(crate::Error::Data(m)) => m,
        other => panic!("expected a data error, got {other:?}"),
    }
}

fn sample() -> (Vec<u8>, Vec<u8>) {
    // 3 images of 2x3, labels 1 0 4.
    let pixels: Vec<u8> = (0..18).map(|v| v * 10).collect();
    (write_idx_images(3, 2, 3, &pixels), write_idx_labels(&[1, 0, 4]))
}

#[test]
fn write_then_parse_round_trips() {
    let (img, lab) = sample();
    // Header by hand: magic 0x00000803, n 3, rows 2, cols 3, big-endian.
    assert_eq!(&img[..16], &[0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3]);
    assert_eq!(&lab[..8], &[0, 0, 8, 1, 0, 0, 0, 3]);
    let (n, r, c, px) = parse_idx_images(&img).unwrap();
    assert_eq!((n, r, c), (3, 2, 3));
    assert_eq!(px, (0..18).map(|v| v * 10).collect::<Vec<u8>>());
    assert_eq!(parse_idx_labels(&lab).unwrap(), vec![1, 0, 4]);

    let ds = dataset_from_idx("tiny", &img, &lab).unwrap();
    assert_eq!(ds.sample_shape, vec![2, 3, 1]);
    assert_eq!(ds.len(), 3);
    assert_eq!(ds.num_classes(), Some(5)); // max label 4 + 1
    assert_eq!(ds.class_names, vec!["0", "1", "2", "3", "4"]);
    assert_eq!(ds.image_u8(1), Some(&[60u8, 70, 80, 90, 100, 110][..]));
    assert_eq!(ds.normalization, Normalization::Scale(1.0 / 255.0));
}

#[test]
fn broken_files_give_clear_errors() {
    let (img, lab) = sample();
    assert!(msg(parse_idx_images(&img[..20])).contains("truncated: 3 images of 2x3 need 34 bytes, it has 20"));
    assert!(msg(parse_idx_images(&img[..10])).contains("16-byte header"));
    let mut extra = img.clone();
    extra.push(0);
    assert!(msg(parse_idx_images(&extra)).contains("1 bytes after"));
    // Swapped files.
    let m = msg(parse_idx_images(&lab));
    assert!(m.contains("IDX label file") && m.contains("swapped"), "{m}");
    assert!(msg(parse_idx_labels(&img)).contains("this is an IDX image file"));
    assert!(msg(parse_idx_images(b"hello world, not idx")).contains("not an IDX file"));
    assert!(msg(parse_idx_images(&[])).contains("shorter than 4 bytes"));
    // Zero-sized images.
    assert!(msg(parse_idx_images(&write_idx_images(1, 0, 3, &[]))).contains("0x3"));
    // Labels truncated / too long.
    assert!(msg(parse_idx_labels(&lab[..9])).contains("truncated: the header says 3 labels, it has 1"));
    let mut long = lab.clone();
    long.push(7);
    assert!(msg(parse_idx_labels(&long)).contains("longer than its header says"));
    // A huge claimed size must not allocate or overflow.
    let huge = [
        0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];
    assert!(parse_idx_images(&huge).is_err());
    // Count mismatch.
    let m = msg(dataset_from_idx("x", &img, &write_idx_labels(&[1, 2])));
    assert!(m.contains("3 images but the label file has 2 labels"), "{m}");
    // Gzip bytes.
    let gz = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0];
    assert!(msg(parse_idx_images(&gz)).contains("gzip-compressed; decompress it first"));
    assert!(msg(parse_idx_labels(&gz)).contains("gzip-compressed; decompress it first"));
}

#[test]
fn every_prefix_of_a_valid_file_is_an_error_not_a_panic() {
    let (img, lab) = sample();
    for k in 0..img.len() {
        assert!(parse_idx_images(&img[..k]).is_err(), "prefix {k}");
    }
    for k in 0..lab.len() {
        assert!(parse_idx_labels(&lab[..k]).is_err(), "prefix {k}");
    }
}

#[test]
fn colour_images_with_four_dimensions() {
    // 2 RGB images of 1x2: pixel bytes r g b r g b per image.
    let pixels: Vec<u8> = (0..12).collect();
    let img = write_idx_images_nhwc(2, [1, 2, 3], &pixels);
    // Header by hand: magic 0x00000804, n 2, rows 1, cols 2, channels 3.
    assert_eq!(
        &img[..20],
        &[0, 0, 8, 4, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]
    );
    let ds = dataset_from_idx("rgb", &img, &write_idx_labels(&[0, 1])).unwrap();
    assert_eq!(ds.sample_shape, vec![1, 2, 3]);
    assert_eq!(ds.image_u8(1), Some(&pixels[6..]));
    // Grey IDX3 files read as 1 channel.
    let (img3, lab3) = sample();
    assert_eq!(dataset_from_idx("g", &img3, &lab3).unwrap().sample_shape, vec![2, 3, 1]);
    // 2 channels, a truncated body and a short header are refused.
    let two = write_idx_images_nhwc(1, [1, 1, 2], &[0, 0]);
    assert_eq!(
        msg(parse_idx_images_nhwc(&two)),
        "the IDX image file says its images are 1x1 with 2 channels; sizes must be at least 1 and channels 1 \
         (grey) or 3 (RGB)"
    );
    assert_eq!(
        msg(parse_idx_images_nhwc(&img[..img.len() - 1])),
        "the IDX image file has 31 bytes but 2 images of 1x2x3 need 32; it is truncated or its header is wrong"
    );
    assert_eq!(
        msg(parse_idx_images_nhwc(&img[..10])),
        "the IDX image file is truncated: its 20-byte header has only 10 bytes"
    );
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn gzip_pairs_are_decompressed_natively() {
    use std::io::Write;
    let (img, lab) = sample();
    let gz = |b: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    };
    let (gi, gl) = (gz(&img), gz(&lab));
    assert_eq!(
        msg(dataset_from_idx("t", &gi, &gl)),
        "the IDX image file is gzip-compressed; decompress it first"
    );
    let ds = dataset_from_idx(
        "t",
        &crate::data::gunzip(&gi).unwrap(),
        &crate::data::gunzip(&gl).unwrap(),
    )
    .unwrap();
    assert_eq!(ds, dataset_from_idx("t", &img, &lab).unwrap());
}
