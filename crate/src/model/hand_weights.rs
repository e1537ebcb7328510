//! Weights typed by hand (issue 10, item 5: "the perceptron as taught"): for a
//! tiny model, every weight and bias as a row a student can read and change,
//! then see the outputs without training. Keras' equivalent is
//! `layer.set_weights([kernel, bias])` with hand-written arrays.

use serde::Serialize;

use super::run::Run;
use crate::{Error, Result};

/// The largest model whose weights the table lists (a perceptron has 3, XOR's 2-2-1 net 9).
pub const MAX_HAND_WEIGHTS: usize = 64;

/// One weight: where it is and its value. `index` is the flat row-major index in
/// its tensor (`shape`), e.g. kernel `[2, 1]` index 1 is the weight from input 1.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HandWeight {
    pub layer: usize,
    pub layer_name: String,
    pub param: &'static str,
    pub shape: Vec<usize>,
    pub index: usize,
    pub value: f32,
}

impl Run {
    /// Every weight of the model, layer by layer (kernel then bias), or an error saying
    /// the model is too large to type by hand.
    pub fn hand_weights(&self) -> Result<Vec<HandWeight>> {
        let model = self.model();
        let count = model.param_count();
        if count > MAX_HAND_WEIGHTS {
            return Err(Error::Config(format!(
                "this model has {count} weights; typing weights by hand is for models of at most \
                 {MAX_HAND_WEIGHTS} (e.g. a perceptron or a 2-2-1 network)"
            )));
        }
        let names = model.layer_names();
        let mut rows = Vec::with_capacity(count);
        for (layer, p) in model.params_by_layer() {
            for (index, &value) in p.value.iter().enumerate() {
                rows.push(HandWeight {
                    layer,
                    layer_name: names[layer].clone(),
                    param: p.name,
                    shape: p.value.shape().to_vec(),
                    index,
                    value,
                });
            }
        }
        Ok(rows)
    }

    /// Sets one weight (Keras `set_weights` for one value). The value must be finite, the
    /// layer, param and index must exist; nothing changes on an error. The optimizer's
    /// state is left as it is, as Keras' `set_weights` leaves it.
    pub fn set_hand_weight(&mut self, layer: usize, param: &str, index: usize, value: f32) -> Result<()> {
        if !value.is_finite() {
            return Err(Error::Config(format!("a weight must be a finite number, got {value}")));
        }
        self.hand_weights()?;
        let names = self.model().layer_names().to_vec();
        let mut layer_seen = 0usize;
        let mut found = None;
        for (i, p) in self.model_mut().params_by_layer_mut() {
            if i != layer {
                continue;
            }
            layer_seen += 1;
            if p.name == param {
                found = Some(p);
                break;
            }
        }
        let Some(p) = found else {
            let what = match names.get(layer) {
                None => format!("there is no layer {layer} (the model has {})", names.len()),
                Some(n) if layer_seen == 0 => format!("layer {n} has no weights"),
                Some(n) => format!("layer {n} has no weight called '{param}'"),
            };
            return Err(Error::Config(what));
        };
        let size = p.value.len();
        let Some(slot) = p.value.iter_mut().nth(index) else {
            return Err(Error::Config(format!(
                "{param} has {size} values; index {index} is out of range"
            )));
        };
        *slot = value;
        Ok(())
    }
}
