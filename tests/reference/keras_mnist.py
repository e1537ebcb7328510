# Keras reference for Gradient Lab's numbers (not part of the test suite: it
# needs TensorFlow, ~600 MB). Trains the course's 784-128(relu)-10(softmax)
# model with categorical cross-entropy and Adam (Keras defaults), batch 32,
# for one epoch on the committed IDX files, and prints the test accuracy for
# a few seeds, to set beside `gradlab train crate/configs/mnist-128.json`.
#   python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install tensorflow-cpu
#   /tmp/kvenv/bin/python tests/reference/keras_mnist.py datasets mnist-small 3
# Measured 2026-11-23 (Keras 3.15.1, TF 2.21.0): mnist-small 0.884 0.892 0.886;
# Gradient Lab (seeds 0, 1, 2): 0.884 0.886 0.890.
import gzip, sys, time, numpy as np, os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf, keras
root = sys.argv[1]; sub = sys.argv[2]
def idx(path):
    b = gzip.open(path).read()
    magic = int.from_bytes(b[:4], 'big'); n = int.from_bytes(b[4:8], 'big')
    if magic == 2051: return np.frombuffer(b[16:], np.uint8).reshape(n, 28, 28, 1)
    return np.frombuffer(b[8:], np.uint8)
d = f"{root}/{sub}"
xtr, ytr = idx(f"{d}/train-images-idx3-ubyte.gz"), idx(f"{d}/train-labels-idx1-ubyte.gz")
xte, yte = idx(f"{d}/t10k-images-idx3-ubyte.gz"), idx(f"{d}/t10k-labels-idx1-ubyte.gz")
xtr = xtr.astype("float32") / 255; xte = xte.astype("float32") / 255
ytr1 = keras.utils.to_categorical(ytr, 10); yte1 = keras.utils.to_categorical(yte, 10)
accs = []
for seed in range(int(sys.argv[3]) if len(sys.argv) > 3 else 3):
    keras.utils.set_random_seed(seed)
    m = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10, activation="softmax")])
    m.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    m.fit(xtr, ytr1, batch_size=32, epochs=1, verbose=0)
    accs.append(m.evaluate(xte, yte1, verbose=0)[1])
print(sub, "keras", keras.__version__, "tf", tf.__version__, "test acc after 1 epoch:", [round(a, 4) for a in accs])
