//! One error type for the whole core. Every message says what is wrong and,
//! where possible, what to change; the facade passes it to the page verbatim.

use std::fmt;

use crate::problem::Problem;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// An experiment or layer configuration that cannot be built.
    Config(String),
    /// Malformed or inconsistent input data (IDX, CSV, arrays).
    Data(String),
    /// Tensor shapes that do not fit together.
    Shape(String),
    /// A model file that cannot be read or does not fit the model.
    ModelFile(String),
    /// The loss became NaN or infinite; training stopped before the update.
    Diverged { step: u64, loss: f32 },
    /// An operation that is not possible in the current state.
    State(String),
    /// Every problem found in a config, each with its path (see [`Problem`]).
    Invalid(Vec<Problem>),
}

pub type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "configuration error: {m}"),
            Error::Data(m) => write!(f, "data error: {m}"),
            Error::Shape(m) => write!(f, "shape error: {m}"),
            Error::ModelFile(m) => write!(f, "model file error: {m}"),
            Error::Diverged { step, loss } => write!(
                f,
                "training diverged at step {step}: the loss is {loss}; the weights were kept \
                 from before this step. Lower the learning rate or clip gradients"
            ),
            Error::State(m) => write!(f, "{m}"),
            Error::Invalid(problems) => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The error as problems: `Invalid`'s own, or one problem at `path`
    /// carrying the message without its kind prefix.
    pub fn into_problems(self, path: &str) -> Vec<Problem> {
        match self {
            Error::Invalid(p) => p,
            Error::Config(m) | Error::Data(m) | Error::Shape(m) | Error::ModelFile(m) | Error::State(m) => {
                vec![Problem::new(path, m)]
            }
            other => vec![Problem::new(path, other.to_string())],
        }
    }

    /// The message without its kind prefix ("configuration error: " etc.).
    pub fn message(&self) -> String {
        match self {
            Error::Config(m) | Error::Data(m) | Error::Shape(m) | Error::ModelFile(m) | Error::State(m) => m.clone(),
            other => other.to_string(),
        }
    }
}

/// `Err(Error::Invalid(problems))` unless `problems` is empty.
pub fn invalid_unless_empty(problems: Vec<Problem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Shorthand constructors used across the crate.
pub fn config_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Config(msg.into()))
}
pub fn data_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Data(msg.into()))
}
pub fn shape_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error::Shape(msg.into()))
}
