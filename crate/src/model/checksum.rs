//! CRC-32 (IEEE 802.3, as zlib's `crc32` and Python's `zlib.crc32`) and
//! the model file's `checksum` field: the CRC of the little-endian f32 bytes
//! of every weight in file order, then every optimizer slot in file order,
//! written `"crc32:<8 lowercase hex>"` (see `docs/model-file.md`).
//!
//! Reflected polynomial 0xEDB88320, initial value 0xFFFFFFFF, final XOR
//! 0xFFFFFFFF; table-driven, one byte at a time. Continue a running CRC by
//! passing the previous result to [`crc32_update`].

use base64::Engine as _;

use super::io::{err, ModelFile};
use crate::layers::Param;
use crate::optimizers::ParamState;
use crate::Result;

/// The 256-entry table, computed at compile time.
const TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// The CRC-32 of `prev`'s data followed by `bytes` (`prev = 0` to start).
pub fn crc32_update(prev: u32, bytes: &[u8]) -> u32 {
    let mut c = !prev;
    for &b in bytes {
        c = TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// The CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32_update(0, bytes)
}

/// `"crc32:<8 lowercase hex>"` of the f32 bytes of `weights` then `slots`.
pub(super) fn checksum_of<'a>(weights: impl Iterator<Item = &'a Param>, slots: &[ParamState]) -> String {
    let mut crc = 0;
    for p in weights {
        crc = crc32_f32(crc, p.value.iter().copied());
    }
    for v in slots.iter().flat_map(|s| &s.slots) {
        crc = crc32_f32(crc, v.iter().copied());
    }
    format!("crc32:{crc:08x}")
}

/// [`crc32_update`] over the little-endian bytes of `values`, a few KB at a
/// time (no copy of a tensor's bytes: a model file's tensors reach 80 MB).
fn crc32_f32(mut crc: u32, values: impl Iterator<Item = f32>) -> u32 {
    let mut buf = [0u8; 4096];
    let mut n = 0;
    for v in values {
        buf[n..n + 4].copy_from_slice(&v.to_le_bytes());
        n += 4;
        if n == buf.len() {
            crc = crc32_update(crc, &buf);
            n = 0;
        }
    }
    crc32_update(crc, &buf[..n])
}

/// Check the file's `checksum`, if it has one, against its data. Called
/// after the data is decoded, so a malformed entry is reported by its place.
pub(super) fn verify_checksum(file: &ModelFile) -> Result<()> {
    let Some(want) = &file.checksum else { return Ok(()) };
    let ok_form = want.len() == 14
        && want.starts_with("crc32:")
        && want[6..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !ok_form {
        return Err(err(format!(
            "the checksum \"{want}\" is not of the form \"crc32:\" followed by 8 lowercase hex digits"
        )));
    }
    let mut crc = 0;
    let slots = file
        .optimizer_state
        .iter()
        .flat_map(|s| &s.params)
        .flat_map(|p| &p.slots);
    for data in file.weights.iter().map(|w| &w.data).chain(slots) {
        // Undecodable data is reported with its place by the full decoding later.
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .unwrap_or_default();
        crc = crc32_update(crc, &bytes);
    }
    let got = format!("crc32:{crc:08x}");
    if &got != want {
        return Err(err(format!(
            "the checksum does not match (the file says {want}, its data gives {got}): \
             the file was changed or damaged; use an intact copy"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // The standard check value, and values from Python's zlib.crc32.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"a"), 0xe8b7_be43);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414f_a339);
    }

    #[test]
    fn running_crc_equals_crc_of_the_concatenation() {
        let whole = crc32(b"hello, world");
        assert_eq!(crc32_update(crc32(b"hello"), b", world"), whole);
        assert_ne!(crc32(b"hellp, world"), whole, "one changed byte changes it");
    }
}
