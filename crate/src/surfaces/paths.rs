//! Optimizer paths on a [`Surface`]: the core's own optimizers
//! ([`OptimizerConfig`]) stepping a 2-element parameter `[x, y]` exactly as
//! the trainer steps a network's parameters (`model/step.rs`): per step,
//! gradient → [`OptimizerConfig::clip`] → [`OptimizerConfig::begin_step`] →
//! [`OptimizerConfig::update`] with the step's `iteration`, state from
//! [`OptimizerConfig::init_state`] / [`OptimizerConfig::init_global`].

use serde::Serialize;

use super::Surface;
use crate::optimizers::OptimizerConfig;

/// A path stops when a coordinate leaves `[-ESCAPE, ESCAPE]` (the saddle has no bottom).
pub const ESCAPE: f32 = 1e6;

/// One optimizer's path: `path[t]` is the parameter after `t` steps
/// (`path[0]` = the start), `losses[t]` = f(`path[t]`). Shorter than
/// `steps + 1` points when it `stopped` (the reason, in words).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Path {
    pub path: Vec<[f32; 2]>,
    pub losses: Vec<f32>,
    pub stopped: Option<String>,
}

/// `steps` optimizer steps from `start` on `surface`.
pub fn optimizer_path(surface: &Surface, opt: &OptimizerConfig, start: [f32; 2], steps: usize) -> Path {
    let mut p = start;
    let mut state = opt.init_state(p.len());
    let mut global = opt.init_global();
    let loss = |p: [f32; 2]| surface.value(f64::from(p[0]), f64::from(p[1])) as f32;
    let mut out = Path {
        path: Vec::with_capacity(steps + 1),
        losses: Vec::with_capacity(steps + 1),
        stopped: None,
    };
    out.path.push(p);
    out.losses.push(loss(p));
    for t in 0..steps {
        let [gx, gy] = surface.gradient(f64::from(p[0]), f64::from(p[1]));
        let mut g = [gx as f32, gy as f32];
        if !g.iter().all(|v| v.is_finite()) {
            out.stopped = Some(format!(
                "the gradient overflowed at step {}: lower the learning rate",
                t + 1
            ));
            break;
        }
        opt.clip(&mut [&mut g[..]]);
        let iteration = t as u64;
        opt.begin_step(iteration, &mut global);
        opt.update(iteration, &global, &mut p, &g, &mut state);
        if !p.iter().all(|v| v.is_finite()) {
            out.stopped = Some(format!("diverged at step {}: lower the learning rate", t + 1));
            break;
        }
        if !p.iter().all(|v| v.abs() <= ESCAPE) {
            out.stopped = Some(format!(
                "ran off beyond ±{ESCAPE:e} at step {}: the function has no bottom that way, \
                 or the learning rate is too large",
                t + 1
            ));
            break;
        }
        out.path.push(p);
        out.losses.push(loss(p));
    }
    out
}

/// One path per optimizer, all from `start`.
pub fn optimizer_paths(surface: &Surface, opts: &[OptimizerConfig], start: [f32; 2], steps: usize) -> Vec<Path> {
    opts.iter().map(|o| optimizer_path(surface, o, start, steps)).collect()
}
