# Gradient Lab experiment in Keras
#
# Dataset: Diabetes progression (442 patients, 10 features, regression). Keras 3 on TensorFlow (`pip
# install tensorflow-cpu scikit-learn pandas matplotlib`; Colab has them).
#
# Same data and preprocessing, layers, initializers, loss, optimizer, metrics, batch size, epochs,
# validation split, callbacks and seed as in Gradient Lab. Keras draws its own initial weights,
# dropout masks and batch order from the seed, so the numbers are close, not identical.


import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import base64
import gzip
import json
import zlib

import numpy as np
import keras
from keras import layers

SEED = 7
keras.utils.set_random_seed(SEED)  # Python, numpy and TensorFlow seeds
rng = np.random.default_rng(SEED)  # splits and toy data


# Data


def round_half_up(v):
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


def standardize(x_train, x_test):
    """(x - mean) / std per feature with the TRAIN statistics (population std, 1 if 0)."""
    mean = x_train.mean(axis=0, dtype=np.float64)
    std = x_train.std(axis=0, dtype=np.float64)
    std[std < 1e-12] = 1.0
    mean, std = mean.astype("float32"), std.astype("float32")
    return (x_train - mean) / std, (x_test - mean) / std


from sklearn.datasets import load_diabetes

x, y = load_diabetes(return_X_y=True, scaled=False)  # raw values, as datasets/diabetes.csv
x, y = x.astype("float32"), y.astype("float32")
train_idx, test_idx = random_split(len(y), 0.2, rng)
x_train, y_train, x_test, y_test = x[train_idx], y[train_idx], x[test_idx], y[test_idx]
x_train, x_test = standardize(x_train, x_test)

y_train = y_train.reshape(-1, 1).astype("float32")
y_test = y_test.reshape(-1, 1).astype("float32")


# Model
#
# `model.summary()` prints 385 parameters, as Gradient Lab's summary.


model = keras.Sequential(
    [
        keras.Input(shape=(10,)),
        layers.Dense(32, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.1),
        layers.Dense(1),
    ]
)
model.summary()


optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True, clipnorm=1.0)
model.compile(optimizer=optimizer, loss=keras.losses.Huber(delta=2.0), metrics=["mae"])


# Train


callbacks = [
    keras.callbacks.LearningRateScheduler(
        lambda epoch: 0.01 * 0.5 ** (epoch // 10)
    ),
]
history = model.fit(
    x_train,
    y_train,
    batch_size=16,
    epochs=40,
    validation_split=0.2,  # the LAST fraction of the train part, as Gradient Lab
    shuffle=True,
    callbacks=callbacks,
    verbose=2,
)


# Test


results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
print("test:", {k: round(float(v), 4) for k, v in results.items()})


# History


import matplotlib.pyplot as plt

curves = [k for k in history.history if not k.startswith("val_") and k not in ("learning_rate", "lr")]
fig, axes = plt.subplots(1, len(curves), figsize=(5 * len(curves), 3.5), squeeze=False)
for ax, k in zip(axes[0], curves):
    ax.plot(history.history[k], label=k)
    if "val_" + k in history.history:
        ax.plot(history.history["val_" + k], label="val_" + k)
    ax.set_xlabel("epoch")
    ax.set_title(k)
    ax.legend()
fig.tight_layout()
fig.savefig("history.png")
plt.show()


# Back to Gradient Lab


# Write the Keras model's weights as a Gradient Lab model file (format "gradlab-model",
# version 1; no optimizer state, so training in the page restarts the optimizer).
# Upload it in the page ("Keep & share") to draw, test and train further.
GRADLAB_CONFIG = json.loads("{\"dataset\":\"diabetes\",\"layers\":[{\"type\":\"Dense\",\"units\":32,\"activation\":\"relu\",\"use_bias\":true,\"kernel_initializer\":\"he_normal\",\"bias_initializer\":\"zeros\"},{\"type\":\"Dropout\",\"rate\":0.1},{\"type\":\"Dense\",\"units\":1,\"activation\":\"linear\",\"use_bias\":true,\"kernel_initializer\":\"glorot_uniform\",\"bias_initializer\":\"zeros\"}],\"loss\":{\"name\":\"huber\",\"delta\":2.0},\"optimizer\":{\"name\":\"sgd\",\"learning_rate\":0.01,\"momentum\":0.9,\"nesterov\":true,\"clipnorm\":1.0,\"clipvalue\":null,\"global_clipnorm\":null},\"metrics\":[\"mae\"],\"label_encoding\":null,\"batch_size\":16,\"epochs\":40,\"validation_split\":0.2,\"shuffle\":true,\"seed\":7,\"early_stopping\":null,\"lr_schedule\":{\"type\":\"step_decay\",\"initial_learning_rate\":0.01,\"factor\":0.5,\"every_epochs\":10}}")


def gradlab_model_file(model, path):
    weights, raw = [], b""
    for i, layer in enumerate(model.layers):
        for v in layer.weights:
            data = np.ascontiguousarray(keras.ops.convert_to_numpy(v), dtype="<f4").tobytes()
            raw += data
            weights.append(
                {
                    "layer": i,
                    "name": v.name.split("/")[-1].split(":")[0],
                    "shape": list(v.shape),
                    "dtype": "float32-le",
                    "data": base64.b64encode(data).decode("ascii"),
                }
            )
    doc = {
        "format": "gradlab-model",
        "version": 1,
        "config": GRADLAB_CONFIG,
        "input_shape": [10],
        "weights": weights,
        "optimizer_state": None,
        "step": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
        "history": None,
        "checksum": "crc32:%08x" % zlib.crc32(raw),
    }
    with open(path, "w") as f:
        json.dump(doc, f)
    print(f"wrote {path}: {len(weights)} weight tensors")


gradlab_model_file(model, "gradlab-model.json")
