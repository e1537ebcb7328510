// Which of the three wasm builds (scripts/build) this browser runs, decided in one place: the
// training worker loads it and names it in its `ready` message; the page passes that name on to
// the service worker's offline copy (js/coi.js, sw.js), which fetches that build only.
//   pkg-threads-relaxed  threads + relaxed SIMD: the GEMM's multiply-add is f32x4.relaxed_madd,
//                        one fused multiply-add where the CPU has FMA (issue 14.3)
//   pkg-threads          threads, plain simd128: isolated pages whose browser lacks relaxed SIMD
//   pkg-st               no atomics: pages that are not cross-origin isolated
// The two plain builds give the same bits as the native build; the relaxed one rounds once per
// multiply-add term, so its last bits differ (bit-identical across thread counts all the same).

export const BUILDS = ['pkg-threads-relaxed', 'pkg-threads', 'pkg-st'];

// (module (func (param f32 f32 f32) (result f32)
//   (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat p0) (f32x4.splat p1) (f32x4.splat p2)))))
// exported as "madd": validates only where relaxed SIMD is supported.
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7d, 0x7d, 0x7d,
  0x01, 0x7d, 0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x6d, 0x61, 0x64, 0x64, 0x00, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0x20, 0x00, 0xfd, 0x13, 0x20, 0x01, 0xfd, 0x13, 0x20, 0x02, 0xfd,
  0x13, 0xfd, 0x85, 0x02, 0xfd, 0x1f, 0x00, 0x0b,
]);

/** True where this engine validates relaxed SIMD (Chromium 114+, recent Firefox and Safari). */
export function relaxedSimd() {
  try {
    return WebAssembly.validate(PROBE);
  } catch {
    return false;
  }
}

/**
 * Whether this CPU fuses relaxed_madd: (1 + 2⁻¹²)² − 1 is 2⁻¹¹ + 2⁻²⁴ rounded once and 2⁻¹¹
 * rounded twice. Null where relaxed SIMD is missing.
 */
export function fusedMultiplyAdd() {
  if (!relaxedSimd()) return null;
  const { madd } = new WebAssembly.Instance(new WebAssembly.Module(PROBE)).exports;
  const a = 1 + 2 ** -12;
  return madd(a, a, -1) !== 2 ** -11;
}

/**
 * The build to load: `asked` (the page's `?wasm=` parameter, for a comparison or a test) when
 * this browser can run it, else the fastest it can run.
 */
export function wasmBuild({ isolated, asked = null, relaxed = relaxedSimd() }) {
  const runnable = BUILDS.filter((b) => (b === 'pkg-st' || isolated) && (b !== 'pkg-threads-relaxed' || relaxed));
  return runnable.includes(asked) ? asked : runnable[0];
}

/** The training worker's URL: js/worker.js, carrying the page's `?wasm=` choice if it has one. */
export function workerUrl(search = location.search) {
  const url = new URL('./worker.js', import.meta.url);
  const asked = new URLSearchParams(search).get('wasm');
  if (asked) url.searchParams.set('wasm', asked);
  return url;
}
