//! The Python helper functions a data cell defines — Gradient Lab's split
//! rules, train-statistics scaling, the first-per-class subset and an IDX
//! reader, in numpy — and the calls to them.

use crate::data::Scaling;

use super::pylit::float;

pub(super) const SPLIT_HELPERS: &str = r#"def round_half_up(v):
    return int(np.floor(v + 0.5))


def stratified_split(y, test_fraction, rng):
    """Gradient Lab's split: per class, shuffle and send round(count * test_fraction)
    to test; then shuffle both parts. (Same rule; numpy draws other rows.)"""
    train, test = [], []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        n_test = round_half_up(len(idx) * test_fraction)
        test.extend(idx[:n_test])
        train.extend(idx[n_test:])
    train, test = np.array(train), np.array(test)
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def random_split(n, test_fraction, rng):
    """Gradient Lab's regression split: a permutation, the last round(n * test_fraction) test."""
    perm = rng.permutation(n)
    n_train = n - round_half_up(n * test_fraction)
    return perm[:n_train], perm[n_train:]
"#;

pub(super) const STANDARDIZE: &str = r#"def standardize(x_train, x_test):
    """(x - mean) / std per feature with the TRAIN statistics (population std, 1 if 0)."""
    mean = x_train.mean(axis=0, dtype=np.float64)
    std = x_train.std(axis=0, dtype=np.float64)
    std[std < 1e-12] = 1.0
    mean, std = mean.astype("float32"), std.astype("float32")
    return (x_train - mean) / std, (x_test - mean) / std
"#;

pub(super) const MIN_MAX: &str = r#"def min_max(x_train, x_test):
    """(x - min) / (max - min) per feature with the TRAIN statistics (1 if constant)."""
    lo = x_train.min(axis=0)
    span = x_train.max(axis=0) - lo
    span[span <= 1e-12] = 1.0
    return (x_train - lo) / span, (x_test - lo) / span
"#;

pub(super) const FIRST_PER_CLASS: &str = r#"def first_per_class(labels, per_class):
    """The first `per_class` samples of each class, in file order (Gradient Lab's small sets)."""
    counts, picked = {}, []
    for i, y in enumerate(labels):
        if counts.get(y, 0) < per_class:
            counts[y] = counts.get(y, 0) + 1
            picked.append(i)
    return np.array(picked)
"#;

pub(super) const READ_IDX: &str = r#"def read_idx(path):
    """An IDX file, gzip-compressed or not: u8 array of the shape in its header."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)
"#;

pub(super) fn split_and_scale(split: &str, scaling: Scaling) -> String {
    let mut s =
        format!("{split}\nx_train, y_train, x_test, y_test = x[train_idx], y[train_idx], x[test_idx], y[test_idx]\n");
    match scaling {
        Scaling::Standardize => s += "x_train, x_test = standardize(x_train, x_test)\n",
        Scaling::MinMax => s += "x_train, x_test = min_max(x_train, x_test)\n",
        Scaling::None => {}
    }
    s
}

pub(super) fn stratified(fraction: f32) -> String {
    format!("train_idx, test_idx = stratified_split(y, {}, rng)", float(fraction))
}

pub(super) fn random(fraction: f32) -> String {
    format!("train_idx, test_idx = random_split(len(y), {}, rng)", float(fraction))
}

pub(super) fn helpers(scaling: Scaling) -> String {
    let mut s = format!("{SPLIT_HELPERS}\n\n");
    match scaling {
        Scaling::Standardize => s += &format!("{STANDARDIZE}\n\n"),
        Scaling::MinMax => s += &format!("{MIN_MAX}\n\n"),
        Scaling::None => {}
    }
    s
}
