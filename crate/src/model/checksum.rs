//! CRC-32 (IEEE 802.3, as zlib's `crc32` and Python's `zlib.crc32`): the
//! model file's integrity check over its weight and optimizer-slot bytes.
//!
//! Reflected polynomial 0xEDB88320, initial value 0xFFFFFFFF, final XOR
//! 0xFFFFFFFF; table-driven, one byte at a time. Continue a running CRC by
//! passing the previous result to [`crc32_update`].

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
