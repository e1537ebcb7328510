// www/js/wasm-build.js: which wasm build a browser runs (both answers of the relaxed-SIMD probe
// passed in as `relaxed`), and the probe itself in a V8 that has relaxed SIMD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUILDS, fusedMultiplyAdd, relaxedSimd, wasmBuild } from '../../www/js/wasm-build.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

test('the fastest build the browser can run', () => {
  assert.equal(wasmBuild({ isolated: true, relaxed: true }), 'pkg-threads-relaxed');
  assert.equal(wasmBuild({ isolated: true, relaxed: false }), 'pkg-threads');
  assert.equal(wasmBuild({ isolated: false, relaxed: true }), 'pkg-st');
  assert.equal(wasmBuild({ isolated: false, relaxed: false }), 'pkg-st');
});

test('?wasm= is honoured only for a build this browser can run', () => {
  assert.equal(wasmBuild({ isolated: true, relaxed: true, asked: 'pkg-threads' }), 'pkg-threads');
  assert.equal(wasmBuild({ isolated: true, relaxed: true, asked: 'pkg-st' }), 'pkg-st');
  assert.equal(wasmBuild({ isolated: true, relaxed: false, asked: 'pkg-threads-relaxed' }), 'pkg-threads');
  assert.equal(wasmBuild({ isolated: false, relaxed: true, asked: 'pkg-threads' }), 'pkg-st');
  assert.equal(wasmBuild({ isolated: true, relaxed: true, asked: '../../etc' }), 'pkg-threads-relaxed');
  assert.deepEqual(BUILDS, ['pkg-threads-relaxed', 'pkg-threads', 'pkg-st']);
});

test('the probe: relaxed SIMD validates where V8 has it, and fuses exactly where the CPU has FMA', () => {
  // Node 20's V8 ships relaxed SIMD behind a flag (newer ones by default, and may reject the flag).
  const code = "import('./www/js/wasm-build.js').then((m) => console.log(JSON.stringify([m.relaxedSimd(), m.fusedMultiplyAdd()])))";
  let r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', code], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  const [relaxed, fused] = JSON.parse(r.stdout);
  assert.equal(relaxed, true, 'this V8 validates relaxed SIMD');
  const cpu = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : null;
  if (process.arch === 'x64' && cpu) assert.equal(fused, /\bfma\b/.test(cpu), 'x86-64 fuses relaxed_madd iff the CPU has FMA3');
  else assert.equal(typeof fused, 'boolean');
  // Without relaxed SIMD (this Node without the flag, if it lacks it) there is nothing to fuse.
  assert.equal(relaxedSimd() ? typeof fusedMultiplyAdd() : fusedMultiplyAdd(), relaxedSimd() ? 'boolean' : null);
});
