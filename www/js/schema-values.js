// Reading one argument's value by its schema type (int, float, bool, enum,
// int_list, string, object, list), from JSON or from a link's text, with a
// message that says what to write instead. Ranges and compatibility are the
// core's `inspect`; here only the kind of value is checked, so the config can
// be sent. Floats are f32 in the core: shortF32 prints them short.
import { choices } from './schema.js';

const fail = (msg) => { throw new Error(msg); };
export const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The shortest decimal that reads back as the same f32: 0.20000000298023224
 * (an f32 0.2 widened to f64) → 0.2. Values that are not numbers pass through.
 */
export function shortF32(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v;
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p += 1) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return v;
}

function number(v, what) {
  if (typeof v === 'string' && v.trim() !== '') v = Number(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    fail(`${what} must be a finite number (got ${typeof v === 'number' ? String(v) : JSON.stringify(v) ?? 'nothing'})`);
  }
  return v;
}

/** "3", 3, [3, 3], "(3,3)", "[3, 3]", "3x3" → a number or a list of whole numbers. */
function intList(v, what) {
  let x = v;
  if (typeof x === 'string') {
    const t = x.trim().replace(/^[([]|[)\]]$/g, '');
    x = t.includes(',') || t.includes('x') ? t.split(/[,x]/).map((s) => s.trim()).filter(Boolean) : t;
  }
  const whole = (n) => {
    const k = number(n, what);
    if (!Number.isInteger(k)) fail(`${what} must be whole numbers (got ${k})`);
    return k;
  };
  return Array.isArray(x) ? x.map(whole) : whole(x);
}

/**
 * `v` read as argument `arg` (a schema Arg). `what` names it in messages
 * ("layer 2 (Dense) units"). null/undefined → the default (null when none).
 */
export function coerce(arg, v, what) {
  if (v === undefined || v === null) return arg.default ?? null;
  switch (arg.type) {
    case 'int': {
      const n = number(v, what);
      if (!Number.isInteger(n)) fail(`${what} must be a whole number (got ${n})`);
      return n;
    }
    case 'float': return shortF32(number(v, what));
    case 'bool':
      if (v === 'true' || v === 'True') return true;
      if (v === 'false' || v === 'False') return false;
      if (typeof v !== 'boolean') fail(`${what} must be true or false (got ${JSON.stringify(v)})`);
      return v;
    case 'enum': {
      // A choice with arguments of its own, e.g. {"name": "random_uniform", "minval": -1}: its name must be a choice.
      if (isObj(v) && typeof v.name === 'string') {
        const ok = choices(arg);
        if (ok.length && !ok.includes(v.name)) fail(`${what}: "${v.name}" is not one of ${ok.join(', ')}`);
        return JSON.parse(JSON.stringify(v));
      }
      if (typeof v !== 'string' || v === '') fail(`${what} must be a name (got ${JSON.stringify(v)})`);
      const ok = choices(arg);
      if (ok.length && !ok.includes(v)) fail(`${what}: "${v}" is not one of ${ok.join(', ')}`);
      return v;
    }
    case 'string':
      if (typeof v !== 'string') fail(`${what} must be text (got ${JSON.stringify(v)})`);
      return v;
    case 'int_list': return intList(v, what);
    case 'object':
      if (typeof v === 'string') {
        try { v = JSON.parse(v); } catch { fail(`${what} must be a JSON object like {"l2": 0.01} (got ${JSON.stringify(v.slice(0, 40))})`); }
      }
      if (!isObj(v)) fail(`${what} must be an object like {"name": …}`);
      return JSON.parse(JSON.stringify(v));
    case 'list':
      if (!Array.isArray(v)) fail(`${what} must be a list`);
      return JSON.parse(JSON.stringify(v));
    default: return v;
  }
}

/**
 * An object's arguments by the schema: defaults filled in, unknown fields and
 * missing required ones reported. `extra` = further allowed field names,
 * copied as they are (e.g. "type", "name").
 */
export function readArgs(args, obj, what, extra = []) {
  const known = [...extra, ...args.map((a) => a.name)];
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length) {
    fail(`${what}: unknown field "${unknown[0]}" (${args.length ? `known: ${args.map((a) => a.name).join(', ')}` : 'it takes no arguments'})`);
  }
  const out = {};
  for (const k of extra) if (obj[k] !== undefined) out[k] = obj[k];
  for (const a of args) {
    const v = coerce(a, obj[a.name], `${what} ${a.name}`);
    if (v === null && a.required) fail(`${what}: ${a.name} is missing (${a.doc})`);
    if (v !== null) out[a.name] = v;
  }
  return out;
}

/** Text of a value in a link: numbers short, lists as (3,3), objects as JSON. */
export function litText(v) {
  if (Array.isArray(v)) return `(${v.map(litText).join(',')})`;
  if (typeof v === 'number') return String(shortF32(v));
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
