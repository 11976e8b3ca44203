import { invalid } from '../core/errors.js';

/** Small readers for untrusted JSON that throw a 400 naming the parameter and what was expected. */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireObj(v: unknown, param: string): Obj {
  if (!isObj(v)) throw invalid(`${param} must be an object`, param);
  return v;
}

export function str(o: Obj, key: string, param = key): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`${param} must be a string, got ${describe(v)}`, param);
  return v;
}

export function requireStr(o: Obj, key: string, param = key): string {
  const v = str(o, key, param);
  if (v === undefined || v === '') throw invalid(`${param} is required and must be a non-empty string`, param);
  return v;
}

export function num(o: Obj, key: string, param = key, min = -Infinity, max = Infinity): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${param} must be a number, got ${describe(v)}`, param);
  if (v < min || v > max) throw invalid(`${param} must be between ${min} and ${max}, got ${v}`, param);
  return v;
}

export function int(o: Obj, key: string, param = key, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = num(o, key, param, min, max);
  if (v !== undefined && !Number.isInteger(v)) throw invalid(`${param} must be an integer, got ${v}`, param);
  return v;
}

export function bool(o: Obj, key: string, param = key): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${param} must be a boolean, got ${describe(v)}`, param);
  return v;
}

export function arr(o: Obj, key: string, param = key): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(`${param} must be an array, got ${describe(v)}`, param);
  return v;
}

export function obj(o: Obj, key: string, param = key): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return requireObj(v, param);
}

/** A string or list of strings (OpenAI `stop`). */
export function strList(o: Obj, key: string, param = key): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw invalid(`${param} must be a string or an array of strings`, param);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

/** Copies the keys of `o` not in `known` (fields passed through to a same-protocol upstream). */
export function rest(o: Obj, known: ReadonlySet<string>): Obj {
  const out: Obj = {};
  for (const k of Object.keys(o)) if (!known.has(k)) out[k] = o[k];
  return out;
}

/** Parses a JSON object from a tool-call arguments string, tolerating the empty string. */
export function parseArgs(s: string): unknown {
  if (!s) return {};
  try {
    return JSON.parse(s);
  } catch {
    return { _raw: s };
  }
}
