//! The hyper-parameters of each optimizer as one list in Keras' argument
//! order: JSON writing, the accepted-field check when reading and the Keras
//! export all follow [`OptimizerKind::hyper_parameters`], so adding a
//! hyper-parameter means adding it here (and to the kind).

use super::OptimizerKind;

/// A hyper-parameter's value: a number (`learning_rate=0.01`) or a flag (`nesterov=False`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HyperValue {
    Number(f32),
    Flag(bool),
}

impl OptimizerKind {
    /// Keras' class name: `keras.optimizers.<class>`.
    pub fn keras_class(&self) -> &'static str {
        match self {
            OptimizerKind::Sgd { .. } => "SGD",
            OptimizerKind::Adam { .. } => "Adam",
            OptimizerKind::Rmsprop { .. } => "RMSprop",
            OptimizerKind::Adagrad { .. } => "Adagrad",
            OptimizerKind::Nadam { .. } => "Nadam",
        }
    }

    /// Every hyper-parameter with its value, in the order of Keras' constructor.
    pub fn hyper_parameters(&self) -> Vec<(&'static str, HyperValue)> {
        use HyperValue::{Flag, Number};
        match *self {
            OptimizerKind::Sgd {
                learning_rate,
                momentum,
                nesterov,
            } => vec![
                ("learning_rate", Number(learning_rate)),
                ("momentum", Number(momentum)),
                ("nesterov", Flag(nesterov)),
            ],
            OptimizerKind::Adam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
                amsgrad,
            } => vec![
                ("learning_rate", Number(learning_rate)),
                ("beta_1", Number(beta_1)),
                ("beta_2", Number(beta_2)),
                ("epsilon", Number(epsilon)),
                ("amsgrad", Flag(amsgrad)),
            ],
            OptimizerKind::Rmsprop {
                learning_rate,
                rho,
                momentum,
                epsilon,
                centered,
            } => vec![
                ("learning_rate", Number(learning_rate)),
                ("rho", Number(rho)),
                ("momentum", Number(momentum)),
                ("epsilon", Number(epsilon)),
                ("centered", Flag(centered)),
            ],
            OptimizerKind::Adagrad {
                learning_rate,
                initial_accumulator_value,
                epsilon,
            } => vec![
                ("learning_rate", Number(learning_rate)),
                ("initial_accumulator_value", Number(initial_accumulator_value)),
                ("epsilon", Number(epsilon)),
            ],
            OptimizerKind::Nadam {
                learning_rate,
                beta_1,
                beta_2,
                epsilon,
            } => vec![
                ("learning_rate", Number(learning_rate)),
                ("beta_1", Number(beta_1)),
                ("beta_2", Number(beta_2)),
                ("epsilon", Number(epsilon)),
            ],
        }
    }
}
