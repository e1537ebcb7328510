//! A fingerprint of a model's weights for reproducibility checks (same seed
//! ⇒ same hash): FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
//! 0x100000001b3) over the little-endian bytes of `f32::to_bits` of every
//! weight, tensors in the model's param order (layer by layer, kernel then
//! bias), values row-major. The facade shows it as 16 lowercase hex digits.

use super::sequential::Sequential;

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 of `bytes`, continuing from `h` (start with [`FNV_OFFSET`]).
pub fn fnv1a64(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of `model`'s weights (see the module doc).
pub fn weights_fnv1a64(model: &Sequential) -> u64 {
    let mut h = FNV_OFFSET;
    for p in model.params() {
        for v in p.value.iter() {
            h = fnv1a64(h, &v.to_bits().to_le_bytes());
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_known_vectors() {
        // Published FNV-1a 64 test vectors (Fowler/Noll/Vo): "" and "a", "foobar".
        assert_eq!(fnv1a64(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(FNV_OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
    }
}
