//! The weight options Dense and Conv2D share, as Keras spells them:
//! `kernel_initializer`, `bias_initializer` (an [`InitializerConfig`]: a name or
//! `{"name": …, <arguments>}`) and `kernel_regularizer`, `bias_regularizer`
//! (a [`RegularizerConfig`] or `null`) — their schema arguments and checks.

use serde_json::Value;

use crate::initializers::InitializerConfig;
use crate::problem::Problem;
use crate::regularizers::RegularizerConfig;
use crate::spec::{Arg, ArgType};

/// The four arguments in Keras' order, after `use_bias`.
pub(crate) fn weight_args(
    kernel_init: InitializerConfig,
    bias_init: InitializerConfig,
    what: &'static str,
) -> Vec<Arg> {
    let (kdoc, bdoc) = match what {
        "Dense" => ("initial values of W", "initial values of b"),
        _ => ("initial values of the kernel", "initial values of the bias"),
    };
    let reg = |name: &'static str, doc: &'static str| {
        Arg::new(name, ArgType::Enum, Value::Null, doc)
            .choices_from("regularizers")
            .nullable()
    };
    vec![
        Arg::new("kernel_initializer", ArgType::Enum, kernel_init, kdoc).choices_from("initializers"),
        Arg::new("bias_initializer", ArgType::Enum, bias_init, bdoc).choices_from("initializers"),
        reg(
            "kernel_regularizer",
            "penalty on the kernel added to the loss (l1, l2, l1_l2), or none",
        ),
        reg("bias_regularizer", "penalty on the bias added to the loss, or none"),
    ]
}

/// Problems with the arguments of the initializers and regularizers, at
/// `kernel_initializer.minval`-style paths (the caller prefixes the layer).
pub(crate) fn check_weight_options(
    inits: [&InitializerConfig; 2],
    regs: [&Option<RegularizerConfig>; 2],
    out: &mut Vec<Problem>,
) {
    for (field, init) in ["kernel_initializer", "bias_initializer"].into_iter().zip(inits) {
        out.extend(init.check().into_iter().map(|p| p.at(field)));
    }
    for (field, reg) in ["kernel_regularizer", "bias_regularizer"].into_iter().zip(regs) {
        if let Some(r) = reg {
            out.extend(r.check().into_iter().map(|p| p.at(field)));
        }
    }
}
