//! The IDX format of MNIST (Y. LeCun): big-endian `u32` magic
//! (`0x00000803` = u8 images with 3 dimensions, `0x00000801` = u8 labels),
//! `u32` count, for images `u32` rows and `u32` cols, then the bytes row-major.
//! Colour images use 4 dimensions (`0x00000804`: count, rows, cols, channels,
//! channels last as NHWC), with 1 or 3 channels.
//!
//! Parsed from raw (decompressed) bytes; gzip bytes get an error that says so.

use crate::error::data_err;
use crate::Result;

use super::dataset::{Dataset, Features, Normalization, Targets};

pub const IDX_IMAGES_MAGIC: u32 = 0x0000_0803;
pub const IDX_LABELS_MAGIC: u32 = 0x0000_0801;
/// u8 images with 4 dimensions: count, rows, cols, channels.
pub const IDX_IMAGES4_MAGIC: u32 = 0x0000_0804;

/// True when `bytes` start with the gzip magic `1f 8b`.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.len() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
}

/// Error for gzip bytes handed to a raw parser.
pub(crate) fn reject_gzip(bytes: &[u8], what: &str) -> Result<()> {
    if is_gzip(bytes) {
        return data_err(format!("the {what} is gzip-compressed; decompress it first"));
    }
    Ok(())
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn magic_name(magic: u32) -> &'static str {
    match magic {
        IDX_IMAGES_MAGIC | IDX_IMAGES4_MAGIC => "an IDX image file",
        IDX_LABELS_MAGIC => "an IDX label file",
        _ => "not an IDX file",
    }
}

/// Errors unless `bytes` starts with `magic`, naming what was found instead.
fn expect_magic(bytes: &[u8], magic: u32, kind: &str) -> Result<()> {
    let found = be_u32(bytes, 0);
    if found == Some(magic) {
        return Ok(());
    }
    let found = found.map_or("shorter than 4 bytes".to_string(), |m| {
        format!("{} (magic {m:#010x})", magic_name(m))
    });
    data_err(format!(
        "expected an IDX {kind} file (magic {magic:#010x}) but this is {found}; \
         check that the image and label files are not swapped"
    ))
}

/// `(n, rows, cols, pixels)` of an IDX image file, `pixels.len() = n * rows * cols`.
pub fn parse_idx_images(bytes: &[u8]) -> Result<(usize, usize, usize, Vec<u8>)> {
    reject_gzip(bytes, "IDX image file")?;
    expect_magic(bytes, IDX_IMAGES_MAGIC, "image")?;
    let (Some(n), Some(rows), Some(cols)) = (be_u32(bytes, 4), be_u32(bytes, 8), be_u32(bytes, 12)) else {
        return data_err(format!(
            "the IDX image file is truncated: its 16-byte header has only {} bytes",
            bytes.len()
        ));
    };
    let (n, rows, cols) = (n as usize, rows as usize, cols as usize);
    if rows == 0 || cols == 0 {
        return data_err(format!(
            "the IDX image file says its images are {rows}x{cols}; both sizes must be at least 1"
        ));
    }
    let expected = n
        .checked_mul(rows)
        .and_then(|v| v.checked_mul(cols))
        .and_then(|v| v.checked_add(16));
    let Some(expected) = expected else {
        return data_err(format!(
            "the IDX image file claims {n} images of {rows}x{cols}: too large"
        ));
    };
    if bytes.len() < expected {
        return data_err(format!(
            "the IDX image file is truncated: {n} images of {rows}x{cols} need {expected} bytes, it has {}",
            bytes.len()
        ));
    }
    if bytes.len() > expected {
        return data_err(format!(
            "the IDX image file has {} bytes after its {n} images of {rows}x{cols}; the header count is wrong",
            bytes.len() - expected
        ));
    }
    Ok((n, rows, cols, bytes[16..].to_vec()))
}

/// `(n, [rows, cols, channels], pixels)` of an IDX image file with 3 dimensions
/// (grey, channels 1) or 4 (`0x00000804`, channels last, 1 or 3 channels).
pub fn parse_idx_images_nhwc(bytes: &[u8]) -> Result<(usize, [usize; 3], Vec<u8>)> {
    if be_u32(bytes, 0) != Some(IDX_IMAGES4_MAGIC) {
        let (n, rows, cols, pixels) = parse_idx_images(bytes)?;
        return Ok((n, [rows, cols, 1], pixels));
    }
    let dims: Option<Vec<usize>> = (1..5).map(|i| be_u32(bytes, 4 * i).map(|v| v as usize)).collect();
    let Some([n, rows, cols, ch]) = dims.as_deref().map(|d| [d[0], d[1], d[2], d[3]]) else {
        return data_err(format!(
            "the IDX image file is truncated: its 20-byte header has only {} bytes",
            bytes.len()
        ));
    };
    if rows == 0 || cols == 0 || !(ch == 1 || ch == 3) {
        return data_err(format!(
            "the IDX image file says its images are {rows}x{cols} with {ch} channels; \
             sizes must be at least 1 and channels 1 (grey) or 3 (RGB)"
        ));
    }
    let expected = [rows, cols, ch]
        .iter()
        .try_fold(n, |acc, &d| acc.checked_mul(d))
        .and_then(|v| v.checked_add(20));
    let Some(expected) = expected else {
        return data_err(format!(
            "the IDX image file claims {n} images of {rows}x{cols}x{ch}: too large"
        ));
    };
    if bytes.len() != expected {
        return data_err(format!(
            "the IDX image file has {} bytes but {n} images of {rows}x{cols}x{ch} need {expected}; \
             it is truncated or its header is wrong",
            bytes.len()
        ));
    }
    Ok((n, [rows, cols, ch], bytes[20..].to_vec()))
}

/// The labels of an IDX label file.
pub fn parse_idx_labels(bytes: &[u8]) -> Result<Vec<u8>> {
    reject_gzip(bytes, "IDX label file")?;
    expect_magic(bytes, IDX_LABELS_MAGIC, "label")?;
    let Some(n) = be_u32(bytes, 4) else {
        return data_err(format!(
            "the IDX label file is truncated: its 8-byte header has only {} bytes",
            bytes.len()
        ));
    };
    let n = n as usize;
    let have = bytes.len() - 8;
    if have != n {
        let what = if have < n {
            "is truncated"
        } else {
            "is longer than its header says"
        };
        return data_err(format!(
            "the IDX label file {what}: the header says {n} labels, it has {have}"
        ));
    }
    Ok(bytes[8..].to_vec())
}

/// A classification dataset from an IDX image file and its label file:
/// u8 features of shape `[rows, cols, channels]` (NHWC), normalised per batch by
/// `Scale(1/255)`; `num_classes = max(label) + 1`, class names `"0"`, `"1"`, ….
/// Errors: bad magic, truncated or over-long files, zero sizes, count mismatch.
pub fn dataset_from_idx(name: &str, images: &[u8], labels: &[u8]) -> Result<Dataset> {
    let (n, shape, pixels) = parse_idx_images_nhwc(images)?;
    let labels = parse_idx_labels(labels)?;
    if labels.len() != n {
        return data_err(format!(
            "the image file has {n} images but the label file has {} labels; use the label file that belongs to the images",
            labels.len()
        ));
    }
    let num_classes = labels.iter().max().map_or(0, |&m| m as usize + 1);
    Dataset::new(
        name,
        shape.to_vec(),
        Features::U8 { data: pixels },
        Targets::Classes {
            labels: labels.iter().map(|&l| l as u32).collect(),
            num_classes,
        },
        (0..num_classes).map(|c| c.to_string()).collect(),
        Normalization::Scale(1.0 / 255.0),
    )
}

/// An IDX image file of `n` images of `rows x cols` (`pixels` row-major, `n*rows*cols` bytes).
pub fn write_idx_images(n: usize, rows: usize, cols: usize, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + pixels.len());
    for v in [IDX_IMAGES_MAGIC, n as u32, rows as u32, cols as u32] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(pixels);
    out
}

/// An IDX image file of `n` colour images, `0x00000804` (NHWC, `n*rows*cols*channels` bytes).
pub fn write_idx_images_nhwc(n: usize, shape: [usize; 3], pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(20 + pixels.len());
    for v in [
        IDX_IMAGES4_MAGIC,
        n as u32,
        shape[0] as u32,
        shape[1] as u32,
        shape[2] as u32,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(pixels);
    out
}

/// An IDX label file.
pub fn write_idx_labels(labels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + labels.len());
    out.extend_from_slice(&IDX_LABELS_MAGIC.to_be_bytes());
    out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    out.extend_from_slice(labels);
    out
}
