# Native Keras-CPU training speed on the benchmark models of gradlab-bench
# (the three MLPs and the reference CNN of issue 12; not part of the test
# suite: it needs TensorFlow). Steady state only: the
# time of each training batch inside model.fit (between consecutive
# on_train_batch_end callbacks), after warm-up batches and a warm-up fit, so
# Keras' per-fit set-up (array → tensor conversion, a new tf.data pipeline,
# tracing) is not counted as training. Each thread count runs in its own
# process (TensorFlow fixes its thread pools at start-up).
#
#   python tests/reference/keras_speed.py [--threads 1,2] [--rounds 3] [--json] [model ...]
#
# Prints, per model and thread count, samples/s = batch / median batch time
# (median of --rounds fits, min–max beside it) and the best thread count.
# --json: one JSON line per model, {"model", "batch", "rates": {threads: [median, min, max]}, "best"}.
import json, os, statistics, subprocess, sys, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
MODELS = ["mlp-small", "seed-mlp", "dmlp", "cnn"]
WARMUP_BATCHES = 5


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def model(keras, name):
    """(compiled model, batch size, input shape of one sample)."""
    L = keras.layers
    if name == "cnn":
        # The reference CNN (crate/configs/cnn.json, kernels::bench_models::CNN), as Keras defaults it.
        body = [L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2), L.Conv2D(64, 3, activation="relu"),
                L.MaxPooling2D(2), L.Flatten(), L.Dense(128, activation="relu"), L.Dense(10, activation="softmax")]
        m = keras.Sequential([keras.Input((28, 28, 1))] + body)
        m.compile(loss="categorical_crossentropy", optimizer="adam")
        return m, 128, (28, 28, 1)
    if name == "mlp-small":
        body, loss, bs = [L.Dense(128, activation="relu"), L.Dense(10, activation="softmax")], "categorical_crossentropy", 128
    elif name == "seed-mlp":
        body, loss, bs = [L.Dense(1024, activation="tanh"), L.Dense(10, activation="tanh")], "mse", 128
    else:
        body = [L.Dense(1024, activation="relu")] + [L.Dense(512, activation="relu") for _ in range(3)] + [L.Dense(10, activation="softmax")]
        loss, bs = "categorical_crossentropy", 256
    m = keras.Sequential([keras.Input((784,))] + body)
    m.compile(loss=loss, optimizer="adam")
    return m, bs, (784,)


def child(threads, names, rounds):
    """One thread count, in this process: {model: [per-round samples/s]}."""
    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    import keras

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.ends = [time.perf_counter()]

        def on_train_batch_end(self, batch, logs=None):
            self.ends.append(time.perf_counter())

    rng = np.random.default_rng(0)
    out = {}
    for name in names:
        m, bs, shape = model(keras, name)
        batches = {"mlp-small": 200, "cnn": 20}.get(name, 30)
        n = bs * batches
        x = rng.random((n, *shape), dtype=np.float32)
        y = keras.utils.to_categorical(rng.integers(0, 10, n), 10)
        clock = Clock()
        m.fit(x, y, batch_size=bs, epochs=1, verbose=0, shuffle=False)  # warm-up fit (tracing)
        rates = []
        for _ in range(rounds):
            m.fit(x, y, batch_size=bs, epochs=1, verbose=0, shuffle=False, callbacks=[clock])
            steps = [b - a for a, b in zip(clock.ends, clock.ends[1:])][WARMUP_BATCHES:]
            rates.append(bs / statistics.median(steps))
        out[name] = {"batch": bs, "rates": rates}
    return out


def main():
    names = [a for a in sys.argv[1:] if a in MODELS] or MODELS
    rounds = int(arg("--rounds", "3"))
    if "--child" in sys.argv:
        print(json.dumps(child(int(arg("--child", "1")), names, rounds)))
        return
    counts = [int(t) for t in arg("--threads", "1,2").split(",")]
    per = {}
    for t in counts:
        cmd = [sys.executable, __file__, "--child", str(t), "--rounds", str(rounds), *names]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"keras_speed: the {t}-thread run failed:\n{r.stderr[-2000:]}")
        per[t] = json.loads(r.stdout.strip().splitlines()[-1])
    for name in names:
        stats = {t: [statistics.median(per[t][name]["rates"]), min(per[t][name]["rates"]), max(per[t][name]["rates"])] for t in counts}
        best = max(counts, key=lambda t: stats[t][0])
        bs = per[counts[0]][name]["batch"]
        if "--json" in sys.argv:
            print(json.dumps({"model": name, "batch": bs, "rates": {str(t): s for t, s in stats.items()}, "best": stats[best][0], "best_threads": best}))
            continue
        cells = "  ".join(f"{t} thr {s[0]:8.0f} ({s[1]:.0f}–{s[2]:.0f})" for t, s in stats.items())
        print(f"{name:10s} batch {bs}: {cells}  best {stats[best][0]:.0f} samples/s on {best}")


if __name__ == "__main__":
    main()
