# Native Keras-CPU training speed on the benchmark models of gradlab-bench
# (not part of the test suite: it needs TensorFlow). Steady-state samples/s
# of model.fit on MNIST-shaped random data, median of 3 timed epochs after a
# warm-up epoch, on all CPU threads TensorFlow chooses.
#   /tmp/kvenv/bin/python tests/reference/keras_speed.py
import os, statistics, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, keras

def model(name):
    L = keras.layers
    if name == "mlp-small":
        body, loss, bs = [L.Dense(128, activation="relu"), L.Dense(10, activation="softmax")], "categorical_crossentropy", 128
    elif name == "seed-mlp":
        body, loss, bs = [L.Dense(1024, activation="tanh"), L.Dense(10, activation="tanh")], "mse", 128
    else:
        body = [L.Dense(1024, activation="relu")] + [L.Dense(512, activation="relu") for _ in range(3)] + [L.Dense(10, activation="softmax")]
        loss, bs = "categorical_crossentropy", 256
    m = keras.Sequential([keras.Input((784,))] + body)
    m.compile(loss=loss, optimizer="adam")
    return m, bs

rng = np.random.default_rng(0)
for name in sys.argv[1:] or ["mlp-small", "seed-mlp", "dmlp"]:
    m, bs = model(name)
    n = bs * (400 if name == "mlp-small" else 40)
    x = rng.random((n, 784), dtype=np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 10, n), 10)
    m.fit(x, y, batch_size=bs, epochs=1, verbose=0)
    rates = []
    for _ in range(3):
        t = time.perf_counter(); m.fit(x, y, batch_size=bs, epochs=1, verbose=0)
        rates.append(n / (time.perf_counter() - t))
    print(f"{name:10s} batch {bs}: median {statistics.median(rates):9.0f} samples/s (min {min(rates):.0f}, max {max(rates):.0f})")
