# Gradient Lab experiment in Keras
#
# Dataset: MNIST digits, small (10,000 train / 2,000 test). Keras 3 on TensorFlow (`pip install
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


def first_per_class(labels, per_class):
    """The first `per_class` samples of each class, in file order (Gradient Lab's small sets)."""
    counts, picked = {}, []
    for i, y in enumerate(labels):
        if counts.get(y, 0) < per_class:
            counts[y] = counts.get(y, 0) + 1
            picked.append(i)
    return np.array(picked)


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
train_idx, test_idx = first_per_class(y_train, 1000), first_per_class(y_test, 200)
x_train, y_train, x_test, y_test = x_train[train_idx], y_train[train_idx], x_test[test_idx], y_test[test_idx]
x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") * np.float32(1 / 255)
x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") * np.float32(1 / 255)

# Sparse labels: the class index.
y_train, y_test = y_train.astype("int64"), y_test.astype("int64")


# Model
#
# `model.summary()` prints 101,770 parameters, as Gradient Lab's summary.


model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ]
)
model.summary()


lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=0.001,
    decay_steps=1000,
    decay_rate=0.9,
    staircase=False,
)
optimizer = keras.optimizers.Adam(
    learning_rate=lr_schedule,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=0.0000001,
    amsgrad=False,
)
model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])


# Train


callbacks = [
    keras.callbacks.EarlyStopping(
        monitor="val_loss",
        min_delta=0.0,
        patience=3,
        mode="auto",
        baseline=None,
        restore_best_weights=True,
        start_from_epoch=0,
    ),
]
history = model.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=30,
    validation_split=0.1,  # the LAST fraction of the train part, as Gradient Lab
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
GRADLAB_CONFIG = json.loads("{\"dataset\":\"mnist\",\"layers\":[{\"type\":\"Flatten\"},{\"type\":\"Dense\",\"units\":128,\"activation\":\"relu\",\"use_bias\":true,\"kernel_initializer\":\"glorot_uniform\",\"bias_initializer\":\"zeros\"},{\"type\":\"Dropout\",\"rate\":0.2},{\"type\":\"Dense\",\"units\":10,\"activation\":\"softmax\",\"use_bias\":true,\"kernel_initializer\":\"glorot_uniform\",\"bias_initializer\":\"zeros\"}],\"loss\":\"sparse_categorical_crossentropy\",\"optimizer\":{\"name\":\"adam\",\"learning_rate\":0.001,\"beta_1\":0.9,\"beta_2\":0.999,\"epsilon\":1e-7,\"amsgrad\":false,\"clipnorm\":null,\"clipvalue\":null,\"global_clipnorm\":null},\"metrics\":[\"accuracy\"],\"label_encoding\":null,\"batch_size\":32,\"epochs\":30,\"validation_split\":0.1,\"shuffle\":true,\"seed\":42,\"early_stopping\":{\"monitor\":\"val_loss\",\"min_delta\":0.0,\"patience\":3,\"mode\":\"auto\",\"baseline\":null,\"restore_best_weights\":true,\"start_from_epoch\":0},\"lr_schedule\":{\"type\":\"exponential_decay\",\"initial_learning_rate\":0.001,\"decay_steps\":1000,\"decay_rate\":0.9,\"staircase\":false}}")


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
        "input_shape": [28,28,1],
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
