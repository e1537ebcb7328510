//! The committed files under `datasets/`: checksums, MNIST contents, and
//! the bundled loaders on the real bytes. (Tests may do I/O; the core may not.)

use super::*;

pub(super) fn dataset_file(rel: &str) -> Vec<u8> {
    let path = format!("{}/../datasets/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The files of a bundled dataset, decompressed.
pub(super) fn bundled_files(name: &str) -> Vec<Vec<u8>> {
    info(name)
        .unwrap()
        .files
        .iter()
        .map(|f| gunzip(&dataset_file(f)).unwrap())
        .collect()
}

/// SHA-256 (FIPS 180-4), written for this test so no crate is needed.
fn sha256(msg: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let mut data = msg.to_vec();
    data.push(0x80);
    while data.len() % 64 != 56 {
        data.push(0);
    }
    data.extend_from_slice(&((msg.len() as u64) * 8).to_be_bytes());
    for block in data.chunks_exact(64) {
        let mut w = [0u32; 64];
        for t in 0..16 {
            w[t] = u32::from_be_bytes([block[4 * t], block[4 * t + 1], block[4 * t + 2], block[4 * t + 3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for t in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[t])
                .wrapping_add(w[t]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            (hh, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|v| format!("{v:08x}")).collect()
}

#[test]
fn sha256_matches_the_fips_examples() {
    // FIPS 180-4 / NIST example values.
    assert_eq!(
        sha256(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

#[test]
fn committed_files_match_sha256sums() {
    let sums = String::from_utf8(dataset_file("SHA256SUMS")).unwrap();
    let mut count = 0;
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (digest, name) = line.split_once("  ").expect("'<sha256>  <path>' lines");
        assert_eq!(sha256(&dataset_file(name)), digest, "{name}");
        count += 1;
    }
    assert_eq!(count, 19);
    // The full MNIST files are the canonical ones: the raw train-images hash from
    // the source README, ba891046…25776db.
    let raw = gunzip(&dataset_file("mnist/train-images-idx3-ubyte.gz")).unwrap();
    assert_eq!(
        sha256(&raw),
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    );
}

#[test]
fn mnist_full_and_small_contents() {
    let f = bundled_files("mnist-full");
    let refs: Vec<&[u8]> = f.iter().map(|v| v.as_slice()).collect();
    let (train, test) = load("mnist-full", &refs, 0).unwrap();
    assert_eq!((train.len(), test.len()), (60_000, 10_000));
    assert_eq!(train.sample_shape, vec![28, 28, 1]);
    // First labels as published (source README).
    let first = |d: &Dataset| (0..10).map(|i| d.label(i).unwrap()).collect::<Vec<_>>();
    assert_eq!(first(&train), vec![5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    assert_eq!(first(&test), vec![7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);

    let s = bundled_files("mnist");
    let refs: Vec<&[u8]> = s.iter().map(|v| v.as_slice()).collect();
    let (strain, stest) = load("mnist", &refs, 0).unwrap();
    assert_eq!((strain.len(), stest.len()), (10_000, 2_000));
    for (small, full, per) in [(&strain, &train, 1000), (&stest, &test, 200)] {
        let labels: Vec<u32> = (0..full.len()).map(|i| full.label(i).unwrap()).collect();
        for c in 0..10 {
            assert_eq!((0..small.len()).filter(|&i| small.label(i) == Some(c)).count(), per);
        }
        // The subset is exactly the first `per` samples of each class, in order
        // (recomputed here independently of the build script).
        let sub = full.subset(&stratified_indices(&labels, per, None));
        assert_eq!((&small.features, &small.targets), (&sub.features, &sub.targets));
    }
}

/// The raw (decompressed) IDX bytes of `dir/<base>`: `(images, labels)` for a prefix.
fn idx_pair(dir: &str, prefix: &str) -> (Vec<u8>, Vec<u8>) {
    let images = gunzip(&dataset_file(&format!("{dir}/{prefix}-images-idx3-ubyte.gz"))).unwrap();
    let labels = gunzip(&dataset_file(&format!("{dir}/{prefix}-labels-idx1-ubyte.gz"))).unwrap();
    (images, labels)
}

#[test]
fn fashion_mnist_full_and_small_contents() {
    // The decompressed files are the upstream ones: SHA-256 from the source copy's
    // SHA256SUMS.raw (../shared/datasets/fashion-mnist, see datasets/README.md).
    let raw_sums = [
        (
            "train",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        (
            "t10k",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
    ];
    for (prefix, digest) in raw_sums {
        let (full_images, full_labels) = idx_pair("fashion-mnist", prefix);
        assert_eq!(sha256(&full_images), digest, "{prefix} images");
        let (n, rows, cols, pixels) = parse_idx_images(&full_images).unwrap();
        let labels = parse_idx_labels(&full_labels).unwrap();
        let (expected_n, per_class_full, per_small, first) = if prefix == "train" {
            (60_000, 6_000, 1_000, [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        } else {
            (10_000, 1_000, 200, [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        };
        assert_eq!((n, rows, cols, labels.len()), (expected_n, 28, 28, expected_n));
        // First labels and per-class counts as published (PROVENANCE of the source copy).
        assert_eq!(labels[..10], first);
        for c in 0..10 {
            assert_eq!(labels.iter().filter(|&&y| y == c).count(), per_class_full);
        }
        if prefix == "train" {
            // Row 3 of training image 0 (an ankle boot), as keras.datasets.fashion_mnist prints it.
            let row3: [u8; 28] = [
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 13, 73, 0, 0, 1, 4, 0, 0, 0, 0, 1, 1, 0,
            ];
            assert_eq!(pixels[3 * 28..4 * 28], row3);
        }

        // The small subset: exactly the first `per_small` samples of each class, in
        // their original order (recomputed here independently of the build script).
        let (small_images, small_labels) = idx_pair("fashion-mnist-small", prefix);
        let (sn, srows, scols, spixels) = parse_idx_images(&small_images).unwrap();
        let slabels = parse_idx_labels(&small_labels).unwrap();
        assert_eq!((sn, srows, scols), (10 * per_small, 28, 28));
        let labels32: Vec<u32> = labels.iter().map(|&y| u32::from(y)).collect();
        let picked = stratified_indices(&labels32, per_small, None);
        let want_labels: Vec<u8> = picked.iter().map(|&i| labels[i]).collect();
        let want_pixels: Vec<u8> = picked
            .iter()
            .flat_map(|&i| pixels[i * 784..(i + 1) * 784].iter().copied())
            .collect();
        assert_eq!(slabels, want_labels, "{prefix} labels");
        assert!(
            spixels == want_pixels,
            "{prefix} images differ from the first {per_small} per class"
        );
    }
}
