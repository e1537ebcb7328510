#!/usr/bin/env python3
"""Build the committed datasets of Gradient Lab from the raw source copies.

Usage (from the repository root or anywhere):

    python3 datasets/build.py            # rebuild datasets/ from ../shared/datasets
    python3 datasets/build.py --check    # only verify datasets/ against datasets/SHA256SUMS
    python3 datasets/build.py --source DIR

Standard library only, except the `zopfli` package (`pip install zopfli==0.4.3`)
for step 3 (`--check` needs nothing). Steps:

1. Verify the SHA-256 of every source file (MNIST and Fashion-MNIST: the shipped
   SHA256SUMS for the .gz files and SHA256SUMS.raw for the decompressed IDX
   files; sklearn tables: the hashes pinned below, taken from the scikit-learn
   1.9.1 wheel copies).
2. Copy the four .gz files of each IDX set byte-identical to datasets/mnist/
   and datasets/fashion-mnist/.
3. Write datasets/mnist-small/ and datasets/fashion-mnist-small/: the first
   1,000 training images of each class and the first 200 test images of each
   class, kept in their original order, as IDX files gzip-compressed by
   Zopfli (15 iterations; mtime 0, no file name: reproducible bytes). Zopfli
   writes ordinary gzip/deflate, ~5.5 % smaller than zlib -9 here (MNIST-small:
   1,943 → ~1,838 kB): the page's default dataset is most of a first visit.
   The decompressed bytes are the same as with any gzip.
4. Convert the sklearn tables to plain CSV with a header row (values unchanged).
5. Write datasets/SHA256SUMS for everything produced.

The output is deterministic: running it twice gives identical bytes (the gzip
bytes depend only on the zopfli version, and the SHA256SUMS check says so if not).
"""

import argparse
import gzip
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "datasets"))

# The IDX image sets: each is copied to datasets/<name>/ and subset to datasets/<name>-small/.
IDX_SETS = ["mnist", "fashion-mnist"]
IDX_DIRS = [d for name in IDX_SETS for d in (name, name + "-small")]

MNIST_FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]

# SHA-256 of the sklearn source files (scikit-learn 1.9.1 wheel, sklearn/datasets/data/).
SKLEARN_SHA256 = {
    "iris.csv": "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449",
    "digits.csv.gz": "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
    "diabetes_data_raw.csv.gz": "7fc0ded571454b1982210d3bb43f0aca44eae01a0b8654a3b24022bdb6b38009",
    "diabetes_target.csv.gz": "8e53f65eb811df43c206f3534bb3af0e5fed213bc37ed6ba36310157d6023803",
}

SMALL_TRAIN_PER_CLASS = 1000
SMALL_TEST_PER_CLASS = 200

IRIS_FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]
DIABETES_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def fail(msg):
    sys.exit("build.py: " + msg)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def read_sums(path):
    sums = {}
    for line in read(path).decode().splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            sums[name.strip().lstrip("*")] = digest
    return sums


def check_hash(name, data, expected):
    got = sha256(data)
    if got != expected:
        fail(f"{name}: SHA-256 {got} does not match the expected {expected}")


ZOPFLI_ITERATIONS = 15


def gzip_fixed(data):
    """gzip by Zopfli with a fixed header (mtime 0, no file name): reproducible, and
    checked to decompress to `data`."""
    try:
        import zopfli.gzip  # pylint: disable=import-outside-toplevel
    except ImportError:
        fail("the -small sets are compressed with Zopfli: pip install zopfli==0.4.3 (or use --check)")
    out = zopfli.gzip.compress(data, numiterations=ZOPFLI_ITERATIONS)
    if gzip.decompress(out) != data:
        fail("zopfli output does not decompress to its input")
    return out


# ---------------------------------------------------------------- IDX

def parse_idx(data, kind):
    magic = struct.unpack(">I", data[:4])[0]
    if kind == "images":
        if magic != 0x803:
            fail(f"bad IDX image magic {magic:#x}")
        n, rows, cols = struct.unpack(">III", data[4:16])
        if len(data) != 16 + n * rows * cols:
            fail("IDX image file has the wrong length")
        return n, rows, cols, data[16:]
    if magic != 0x801:
        fail(f"bad IDX label magic {magic:#x}")
    n = struct.unpack(">I", data[4:8])[0]
    if len(data) != 8 + n:
        fail("IDX label file has the wrong length")
    return n, data[8:]


def write_idx_images(rows, cols, images):
    return struct.pack(">IIII", 0x803, len(images), rows, cols) + b"".join(images)


def write_idx_labels(labels):
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def first_per_class(labels, per_class):
    """Indices of the first `per_class` samples of each class, in original order."""
    seen = {}
    picked = []
    for i, y in enumerate(labels):
        if seen.get(y, 0) < per_class:
            seen[y] = seen.get(y, 0) + 1
            picked.append(i)
    if sorted(seen) != list(range(10)) or any(c != per_class for c in seen.values()):
        fail(f"not enough samples for {per_class} per class: {seen}")
    return picked


def build_idx_set(src, out, name):
    """Verify `name` (mnist or fashion-mnist) in `src`, copy its four .gz files
    byte-identical to `out/name/` and write the stratified subset `out/name-small/`."""
    mdir = os.path.join(src, name)
    gz_sums = read_sums(os.path.join(mdir, "SHA256SUMS"))
    raw_sums = read_sums(os.path.join(mdir, "SHA256SUMS.raw"))
    raw = {}
    full_dir = os.path.join(out, name)
    os.makedirs(full_dir, exist_ok=True)
    for base in MNIST_FILES:
        gz_name = base + ".gz"
        gz_bytes = read(os.path.join(mdir, gz_name))
        check_hash(f"{name}/{gz_name}", gz_bytes, gz_sums[gz_name])
        raw[base] = gzip.decompress(gz_bytes)
        check_hash(f"{name}/{base}", raw[base], raw_sums[base])
        with open(os.path.join(full_dir, gz_name), "wb") as f:
            f.write(gz_bytes)
        if read(os.path.join(full_dir, gz_name)) != gz_bytes:
            fail(f"copy of {name}/{gz_name} differs from its source")

    small_dir = os.path.join(out, name + "-small")
    os.makedirs(small_dir, exist_ok=True)
    for prefix, per_class in (("train", SMALL_TRAIN_PER_CLASS), ("t10k", SMALL_TEST_PER_CLASS)):
        n, rows, cols, pixels = parse_idx(raw[f"{prefix}-images-idx3-ubyte"], "images")
        n_lab, labels = parse_idx(raw[f"{prefix}-labels-idx1-ubyte"], "labels")
        if n != n_lab:
            fail(f"{name} {prefix}: {n} images but {n_lab} labels")
        size = rows * cols
        idx = first_per_class(labels, per_class)
        images = [pixels[i * size:(i + 1) * size] for i in idx]
        small_labels = [labels[i] for i in idx]
        for file_name, data in (
            (f"{prefix}-images-idx3-ubyte.gz", write_idx_images(rows, cols, images)),
            (f"{prefix}-labels-idx1-ubyte.gz", write_idx_labels(small_labels)),
        ):
            with open(os.path.join(small_dir, file_name), "wb") as f:
                f.write(gzip_fixed(data))
        print(f"{name}-small/{prefix}: {len(idx)} samples ({per_class} per class)")


# ---------------------------------------------------------------- sklearn tables

def write_csv(path, header, rows):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def number_text(tok):
    """The shortest text of a number's value: '1.510000000000000000e+02' -> '151'."""
    v = float(tok)
    return str(int(v)) if v == int(v) else repr(v)


def build_tables(src, out):
    sdir = os.path.join(src, "sklearn")
    data = {}
    for name, digest in SKLEARN_SHA256.items():
        data[name] = read(os.path.join(sdir, name))
        check_hash("sklearn/" + name, data[name], digest)

    # iris.csv: first line "150,4,setosa,versicolor,virginica", then 4 features + class index.
    lines = data["iris.csv"].decode().splitlines()
    n, n_feat = (int(t) for t in lines[0].split(",")[:2])
    rows = [line.split(",") for line in lines[1:] if line.strip()]
    if len(rows) != n or any(len(r) != n_feat + 1 for r in rows):
        fail("iris.csv does not have 150 rows of 5 columns")
    write_csv(os.path.join(out, "iris.csv"), IRIS_FEATURES + ["label"], rows)

    # digits: no header, 64 pixels (0..16) then the label.
    lines = gzip.decompress(data["digits.csv.gz"]).decode().splitlines()
    rows = [[t.strip() for t in line.split(",")] for line in lines if line.strip()]
    if len(rows) != 1797 or any(len(r) != 65 for r in rows):
        fail("digits.csv.gz does not have 1797 rows of 65 columns")
    header = [f"pixel_{r}_{c}" for r in range(8) for c in range(8)] + ["label"]
    write_csv(os.path.join(out, "digits.csv"), header, rows)

    # diabetes: space-separated raw (unscaled) features, targets in a second file.
    feats = [line.split() for line in
             gzip.decompress(data["diabetes_data_raw.csv.gz"]).decode().splitlines() if line.strip()]
    targets = [line.strip() for line in
               gzip.decompress(data["diabetes_target.csv.gz"]).decode().splitlines() if line.strip()]
    if len(feats) != 442 or len(targets) != 442 or any(len(r) != 10 for r in feats):
        fail("diabetes files do not have 442 rows of 10 features and a target")
    rows = [r + [number_text(t)] for r, t in zip(feats, targets)]
    write_csv(os.path.join(out, "diabetes.csv"), DIABETES_FEATURES + ["target"], rows)
    print("tables: iris 150x4, digits 1797x64, diabetes 442x10")


# ---------------------------------------------------------------- checksums

def produced_files(out):
    names = []
    for sub in IDX_DIRS:
        for base in MNIST_FILES:
            names.append(f"{sub}/{base}.gz")
    names += ["iris.csv", "digits.csv", "diabetes.csv"]
    return names


def write_sums(out):
    lines = []
    for name in produced_files(out):
        lines.append(f"{sha256(read(os.path.join(out, name)))}  {name}\n")
    with open(os.path.join(out, "SHA256SUMS"), "w", newline="\n") as f:
        f.writelines(lines)


def check_sums(out):
    sums = read_sums(os.path.join(out, "SHA256SUMS"))
    bad = [name for name in produced_files(out)
           if sums.get(name) != sha256(read(os.path.join(out, name)))]
    if bad:
        fail("these files do not match datasets/SHA256SUMS: " + ", ".join(bad))
    print(f"{len(sums)} files match datasets/SHA256SUMS")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="raw source folder (shared/datasets)")
    ap.add_argument("--check", action="store_true", help="only verify datasets/ against SHA256SUMS")
    args = ap.parse_args()
    if args.check:
        check_sums(HERE)
        return
    if not os.path.isdir(args.source):
        fail(f"source folder {args.source} not found; pass --source DIR")
    for name in IDX_SETS:
        build_idx_set(args.source, HERE, name)
    build_tables(args.source, HERE)
    write_sums(HERE)
    print("wrote datasets/SHA256SUMS")


if __name__ == "__main__":
    main()
