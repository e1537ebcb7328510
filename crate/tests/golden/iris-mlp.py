# Gradient Lab experiment in Keras
#
# Dataset: Iris flowers (150 samples, 4 features, 3 classes). Keras 3 on TensorFlow (`pip install
# tensorflow-cpu scikit-learn pandas matplotlib`; Colab has them).
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

SEED = 42
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


from sklearn.datasets import load_iris

x, y = load_iris(return_X_y=True)
x = x.astype("float32")
class_names = ["setosa", "versicolor", "virginica"]
train_idx, test_idx = stratified_split(y, 0.2, rng)
x_train, y_train, x_test, y_test = x[train_idx], y[train_idx], x[test_idx], y[test_idx]
x_train, x_test = standardize(x_train, x_test)

# One-hot labels, as categorical_crossentropy expects.
y_train = keras.utils.to_categorical(y_train, 3)
y_test = keras.utils.to_categorical(y_test, 3)


# Model
#
# `model.summary()` prints 131 parameters, as Gradient Lab's summary.


model = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(3, activation="softmax"),
    ]
)
model.summary()


optimizer = keras.optimizers.Adam(
    learning_rate=0.01,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=0.0000001,
    amsgrad=False,
)
model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])


# Train


callbacks = []
history = model.fit(
    x_train,
    y_train,
    batch_size=16,
    epochs=100,
    validation_split=0.0,  # the LAST fraction of the train part, as Gradient Lab
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
GRADLAB_CONFIG = json.loads("{\"dataset\":\"iris\",\"layers\":[{\"type\":\"Dense\",\"units\":16,\"activation\":\"relu\",\"use_bias\":true,\"kernel_initializer\":\"glorot_uniform\",\"bias_initializer\":\"zeros\"},{\"type\":\"Dense\",\"units\":3,\"activation\":\"softmax\",\"use_bias\":true,\"kernel_initializer\":\"glorot_uniform\",\"bias_initializer\":\"zeros\"}],\"loss\":\"categorical_crossentropy\",\"optimizer\":{\"name\":\"adam\",\"learning_rate\":0.01,\"beta_1\":0.9,\"beta_2\":0.999,\"epsilon\":1e-7,\"amsgrad\":false,\"clipnorm\":null,\"clipvalue\":null,\"global_clipnorm\":null},\"metrics\":[\"accuracy\"],\"label_encoding\":null,\"batch_size\":16,\"epochs\":100,\"validation_split\":0.0,\"shuffle\":true,\"seed\":42,\"early_stopping\":null,\"lr_schedule\":null}")


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
        "input_shape": [4],
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
