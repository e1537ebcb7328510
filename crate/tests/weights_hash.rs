//! Same seed ⇒ the same weights, bit for bit, across refactorings: each
//! course config in `crate/configs/` trains a few batches and the FNV-1a-64
//! hash of its final weights' f32 bits is pinned.
//!
//! The first constants were computed on the code base BEFORE the "data once,
//! runs many" reshaping (Trainer owning its datasets, commit c4e3efa) and
//! held through it, so the reshaping changed no number. Three deliberate
//! changes of the maths then moved them (issue 15.8: softmax / sigmoid +
//! crossentropy through the logits, as Keras; 15.9: Nadam's scalars in f32;
//! 14.2: vectorised exp/tanh/sigmoid). The current constants were computed
//! twice — on the old Trainer with those changes (branch `fixes`) and on the
//! reshaped Run — and agree bit for bit.
//! Should a deliberate change of the maths move them, recompute them with
//! `GRADLAB_PRINT_HASHES=1 cargo test --test weights_hash -- --nocapture`
//! and say why in the commit.
//!
//! Hash: FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3) over
//! the little-endian bytes of `f32::to_bits` of every weight, tensors in the
//! model's param order (layer by layer, kernel then bias), values row-major.
//!
//! The `dmlp-*` and `mlp-tanh-*` configs name `mnist-full`; they run on
//! `mnist` (the small files: same 28×28×1 samples, 10 classes) so the test
//! needs no 11 MB download and few batches of their large models.

mod model_common;

use gradlab::model::Run;
use model_common::{config, load};

fn fnv1a64(weights: &[gradlab::tensor::Tensor]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for t in weights {
        for v in t.iter() {
            for b in v.to_bits().to_le_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    h
}

#[test]
fn fnv1a64_matches_known_vectors() {
    // FNV-1a 64 of no bytes is the offset basis; of the 4 bytes of 1.0f32
    // (0x3f800000 → 00 00 80 3f) computed by hand from the definition.
    assert_eq!(fnv1a64(&[]), 0xcbf2_9ce4_8422_2325);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in [0x00u8, 0x00, 0x80, 0x3f] {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let one = gradlab::tensor::Tensor::from_elem(ndarray::IxDyn(&[1]), 1.0);
    assert_eq!(fnv1a64(&[one]), h);
}

/// Train `batches` batches of config `name` (dataset replaced by `dataset`
/// when given) and hash the weights.
fn hash_after(name: &str, dataset: Option<&str>, batches: usize) -> u64 {
    let mut cfg = config(name);
    if let Some(d) = dataset {
        cfg.dataset = d.to_string();
    }
    let (train, test) = load(&cfg.dataset, cfg.seed);
    let mut t = Run::new(cfg, train, Some(test)).unwrap();
    let r = t.train_batches(batches).unwrap();
    assert_eq!(r.batches.len(), batches, "{name}: trained fewer batches than asked");
    let h = fnv1a64(&t.model().weights());
    assert_eq!(
        t.weights_hash(),
        h,
        "{name}: the core's weights_hash differs from this test's"
    );
    h
}

fn check(cases: &[(&str, Option<&str>, usize, u64)]) {
    let print = std::env::var_os("GRADLAB_PRINT_HASHES").is_some();
    let mut wrong = Vec::new();
    for &(name, dataset, batches, want) in cases {
        let got = hash_after(name, dataset, batches);
        if print {
            println!("(\"{name}\", {dataset:?}, {batches}, 0x{got:016x}),");
        }
        if got != want {
            wrong.push(format!("{name}: 0x{got:016x}, pinned 0x{want:016x}"));
        }
    }
    assert!(wrong.is_empty(), "weights changed:\n{}", wrong.join("\n"));
}

#[test]
fn small_course_configs_keep_their_weights() {
    check(&[
        // batch 4 of the 4-row truth table: 20 batches = 20 epochs (epoch ends included).
        // Issue 10: the config now has the course's −1/+1 targets (its config changed, not the maths;
        // every config left unchanged kept its constant).
        ("perceptron-or.json", None, 20, 0xcea1_2e56_b2a3_dfba),
        ("xor-mlp.json", None, 20, 0xfc0d_2824_c2fa_e217),
        // iris: 120 train rows, batch 16 -> 8 batches an epoch; 20 crosses two epoch ends.
        ("iris-mlp.json", None, 20, 0x1e8a_d21c_c942_5af5),
        ("mnist-128.json", None, 20, 0xf1bc_51bc_56f7_85ab),
        // Dropout, sparse CE, validation split, exponential-decay schedule.
        ("mnist-128-early-stopping.json", None, 20, 0x1288_81b2_15fe_4226),
    ]);
}

#[test]
fn deep_mlp_configs_keep_their_weights() {
    check(&[
        ("dmlp-sgd.json", Some("mnist"), 2, 0xaacc_2efe_93be_0efe),
        ("dmlp-adam.json", Some("mnist"), 2, 0x5392_f6ff_b773_3e60),
        ("dmlp-adagrad.json", Some("mnist"), 2, 0x00b7_e071_2c23_336a),
        ("dmlp-rmsprop.json", Some("mnist"), 2, 0xb9d0_9fa9_59a9_114d),
        ("dmlp-relu-mse-adam.json", Some("mnist"), 2, 0x85a1_a6ea_b8a4_acd9),
        // Issue 10: the config now has the course's random_uniform kernels (config change, not maths).
        ("mlp-tanh-mse-adam.json", Some("mnist"), 3, 0x5b27_73d6_9715_bf4d),
    ]);
}

/// The reference CNN (`kernels::bench_models::CNN`: Conv2D 32 → pool → Conv2D 64
/// → pool → Dense 128 → Dense 10, Adam, batch 128, synthetic MNIST) after 4
/// steps, on 1 and on 2 threads. Pinned from `gradlab-bench --steps 2 --model cnn`
/// (2 warm-up steps + 2: the same 4 steps) built at 5d699ac, before the CNN speed
/// work (fused bias + relu store, one-pass dZ and db, …), which must keep every bit.
#[test]
fn reference_cnn_keeps_its_weights() {
    use gradlab::kernels::bench_models::{bench_trainer, CNN};
    const PINNED: u64 = 0x846e_a33f_9795_cd19;
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let got = pool.install(|| {
            let mut t = bench_trainer(&CNN, 4).unwrap();
            t.train_batches(4).unwrap();
            let h = fnv1a64(&t.model().weights());
            assert_eq!(t.weights_hash(), h);
            h
        });
        if std::env::var_os("GRADLAB_PRINT_HASHES").is_some() {
            println!("reference CNN on {threads} threads: 0x{got:016x}");
        }
        assert_eq!(
            got, PINNED,
            "reference CNN on {threads} threads: 0x{got:016x}, pinned 0x{PINNED:016x}"
        );
    }
}
