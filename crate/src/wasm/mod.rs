//! The WebAssembly facade: the only code that names wasm_bindgen. It converts
//! between JS values and core types and maps core errors to JS `Error`s with
//! the core's message; it does no maths and never touches window/document
//! (this module is instantiated in every rayon worker too).

use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Threads rayon uses: the pool size after `initThreadPool(n)`, else 1.
#[wasm_bindgen]
pub fn threads() -> usize {
    rayon::current_num_threads()
}

/// True when this build was compiled with wasm threads (atomics).
#[wasm_bindgen(js_name = threadedBuild)]
pub fn threaded_build() -> bool {
    cfg!(feature = "threads")
}

/// True when this build was compiled with relaxed SIMD (`+relaxed-simd`): the
/// GEMM's multiply-add is `f32x4.relaxed_madd`, one fused multiply-add per term
/// where the CPU has FMA (x86-64 with FMA3, ARM64), so its results differ in
/// the last bits from the plain simd128 builds (`pkg-threads`, `pkg-st`), while
/// staying bit-identical across thread counts on one machine.
#[wasm_bindgen(js_name = relaxedSimdBuild)]
pub fn relaxed_simd_build() -> bool {
    cfg!(target_feature = "relaxed-simd")
}

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Core error → JS Error carrying the core's message.
pub(crate) fn js_err(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

#[cfg(feature = "bench")]
mod bench;
mod catalogue;
mod data;
mod export;
mod folds;
mod inside;
mod inspect;
mod race;
mod run;
mod schema;
mod surfaces;
mod threads;
mod upload;
mod upload_csv;
mod weights;
#[cfg(feature = "bench")]
pub use bench::{bench_peak, bench_peak_all, bench_peak_flops, BenchGemm, BenchTrainer};
pub use catalogue::{catalogue, catalogue_entry};
pub use data::Data;
pub use export::export_keras;
pub use folds::score_summary;
pub use inspect::inspect;
pub use race::{add_run, apply_race, parse_race};
pub use run::Run;
pub use schema::schema;
pub use upload::{inspect_facts, upload_missing, upload_name, upload_options};
pub use upload_csv::CsvParse;

/// A serialisable core value → a plain JS object (maps become objects).
pub(crate) fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A Uint8Array (or ArrayBuffer) → bytes.
pub(crate) fn from_js_bytes(v: &JsValue) -> Result<Vec<u8>, JsError> {
    if v.is_instance_of::<js_sys::Uint8Array>() || v.is_instance_of::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(v).to_vec())
    } else {
        Err(JsError::new("expected the dataset files as Uint8Array values"))
    }
}
