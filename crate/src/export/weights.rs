//! The round trip of weights between Gradient Lab and Keras:
//! - in: the page's current weights (a `gradlab-model` file) embedded as base64
//!   of little-endian float32, set on the Keras layers with `set_weights`, so
//!   the notebook continues from them;
//! - out: a final cell that writes the Keras model's weights as a
//!   `gradlab-model` file (version 1, `crate/src/model/io.rs`) without optimizer
//!   state, with the `"checksum": "crc32:<8 hex>"` of the weight bytes in file
//!   order (Python's `zlib.crc32`, the same CRC-32 as the model file's).
//!
//! Keras' `Sequential.layers` excludes the `Input`, so `model.layers[i]` is
//! `config.layers[i]`, and each layer's `weights` are Gradient Lab's params of
//! that layer in the same order and shapes (Dense and Conv2D `[kernel, bias]`,
//! the Conv2D kernel `(kh, kw, channels, filters)`; BatchNormalization `[gamma,
//! beta, moving_mean, moving_variance]`, without gamma / beta when `scale` /
//! `center` is off), whatever the kind: nothing here names one.

use crate::config::ExperimentConfig;
use crate::model::io;
use crate::{Error, Result};

use super::pylit::{string, tuple};

/// The cell that sets the weights of the model file `bytes` on `model`.
/// The file must hold the same layer stack as `cfg`.
pub fn embed(cfg: &ExperimentConfig, bytes: &[u8]) -> Result<String> {
    let loaded = io::load(bytes)?;
    if loaded.config.layers != cfg.layers {
        return Err(Error::ModelFile(
            "the model file holds another layer stack than this experiment; export without weights or load \
             the matching model first"
                .into(),
        ));
    }
    let mut by_layer: Vec<(usize, Vec<String>)> = Vec::new();
    for (layer, p) in loaded.model.params_by_layer() {
        let values: Vec<f32> = p.value.iter().copied().collect();
        let text = format!(
            "decode_f32(\n        {},\n        {},\n    )",
            string(&io::encode_f32(&values)),
            tuple(p.value.shape())
        );
        match by_layer.last_mut() {
            Some((l, v)) if *l == layer => v.push(text),
            _ => by_layer.push((layer, vec![text])),
        }
    }
    let mut s = format!(
        "# The weights Gradient Lab had trained (step {}): training continues from them.\n\
         def decode_f32(data, shape):\n    \
             return np.frombuffer(base64.b64decode(data), dtype=\"<f4\").reshape(shape)\n\n\n",
        loaded.step
    );
    for (layer, values) in by_layer {
        let list: String = values.iter().map(|v| format!("    {v},\n")).collect();
        s += &format!(
            "model.layers[{layer}].set_weights(\n    [\n{}    ]\n)\n",
            list.replace("\n    ", "\n        ")
        );
    }
    Ok(s)
}

/// The final cell: write `gradlab-model.json` from the Keras model.
pub fn save_cell(cfg: &ExperimentConfig, input_shape: &[usize]) -> String {
    format!(
        r#"# Write the Keras model's weights as a Gradient Lab model file (format "gradlab-model",
# version 1; no optimizer state, so training in the page restarts the optimizer).
# Upload it in the page ("Keep & share") to draw, test and train further.
GRADLAB_CONFIG = json.loads({config})


def gradlab_model_file(model, path):
    weights, raw = [], b""
    for i, layer in enumerate(model.layers):
        for v in layer.weights:
            data = np.ascontiguousarray(keras.ops.convert_to_numpy(v), dtype="<f4").tobytes()
            raw += data
            weights.append(
                {{
                    "layer": i,
                    "name": v.name.split("/")[-1].split(":")[0],
                    "shape": list(v.shape),
                    "dtype": "float32-le",
                    "data": base64.b64encode(data).decode("ascii"),
                }}
            )
    doc = {{
        "format": "gradlab-model",
        "version": 1,
        "config": GRADLAB_CONFIG,
        "input_shape": {shape},
        "weights": weights,
        "optimizer_state": None,
        "step": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
        "history": None,
        "checksum": "crc32:%08x" % zlib.crc32(raw),
    }}
    with open(path, "w") as f:
        json.dump(doc, f)
    print(f"wrote {{path}}: {{len(weights)}} weight tensors")


gradlab_model_file(model, "gradlab-model.json")
"#,
        config = string(&serde_json::to_string(cfg).unwrap_or_default()),
        shape = serde_json::to_string(input_shape).unwrap_or_default(),
    )
}
