import os from 'node:os';

/**
 * A scan's text as UTF-16 code units in a Uint16Array, made once per scan with one native copy. The hot
 * loops of the engine (walks over CJK runs, digit runs, context windows) read `u[i]` instead of
 * `t.charCodeAt(i)`: V8's optimized code checks the string's representation on every charCodeAt, a typed
 * array read is a plain load. Reads past the end give undefined (charCodeAt gives NaN): loops that read
 * there guard with the length, as they do for strings.
 */
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** Code units in the buffer kept between scans (8 MB); a longer text gets a buffer of its own. */
const POOL_MAX = 1 << 22;
let pool: Uint16Array | null = null;
let lent = false;

function fill(u: Uint16Array, t: string): void {
  const n = t.length;
  if (LITTLE_ENDIAN) Buffer.from(u.buffer, u.byteOffset, n * 2).write(t, 0, 'utf16le');
  else for (let i = 0; i < n; i++) u[i] = t.charCodeAt(i);
}

/** The code units of t in a new array. */
export function utf16(t: string): Uint16Array {
  const u = new Uint16Array(t.length);
  fill(u, t);
  return u;
}

/**
 * The code units of t in the buffer kept between scans (no fresh memory to fault in per scan), or in a new
 * array when that buffer is lent out or t is too long. Give it back with `giveBack` once the scan is over.
 */
export function borrowUtf16(t: string): Uint16Array {
  const n = t.length;
  if (lent || n > POOL_MAX) return utf16(t);
  if (pool === null || pool.length < n) pool = new Uint16Array(Math.min(POOL_MAX, Math.max(n, 4096, pool ? pool.length * 2 : 0)));
  lent = true;
  const u = pool.subarray(0, n);
  fill(u, t);
  return u;
}

/**
 * Ends a borrowUtf16 loan (a no-op for arrays of their own). The part used is zeroed: nothing of a scanned
 * text stays in memory between requests (one memset).
 */
export function giveBack(u: Uint16Array): void {
  if (pool !== null && u.buffer === pool.buffer) {
    u.fill(0);
    lent = false;
  }
}
