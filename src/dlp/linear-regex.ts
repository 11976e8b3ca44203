import v8 from 'node:v8';

/**
 * Organisation patterns come from config, so they are untrusted for performance. V8 ships a linear-time
 * (automaton) regex engine behind a flag; when it is available, patterns compile with the `l` flag and are
 * linear by construction. Where it is not, `assertSafePattern` only admits patterns without quantified
 * groups, backreferences or lookarounds and with bounded quantifiers whose product stays small.
 */
let linearFlag: boolean | null = null;
export function linearEngineAvailable(): boolean {
  if (linearFlag !== null) return linearFlag;
  try {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    // eslint-disable-next-line no-invalid-regexp -- the 'l' (linear engine) flag exists once the V8 flag above is set
    new RegExp('a', 'l');
    linearFlag = true;
  } catch {
    linearFlag = false;
  }
  return linearFlag;
}

export class UnsafePatternError extends Error {
  override name = 'UnsafePatternError';
}

/** Static check: rejects constructs that can backtrack super-linearly in a backtracking engine. */
export function assertSafePattern(src: string): void {
  if (/\\[1-9]|\\k</.test(src)) throw new UnsafePatternError('backreferences are not allowed');
  if (/\(\?<?[=!]/.test(src)) throw new UnsafePatternError('lookarounds are not allowed');
  if (/\)\s*(?:[*+?]|\{\d)/.test(src)) throw new UnsafePatternError('quantified groups like (...)+ are not allowed; repeat single characters or classes instead');
  if (/(?<!\\)(?:[*+]|\{\d+,\})/.test(src.replace(/\[(?:\\.|[^\]\\])*\]/g, 'x'))) throw new UnsafePatternError('unbounded quantifiers (*, +, {n,}) are not allowed; use a bound such as {1,64}');
  let product = 1;
  for (const m of src.matchAll(/\{(\d+)(?:,(\d+))?\}/g)) product *= Number(m[2] ?? m[1]) + 1;
  if (product > 1e6) throw new UnsafePatternError('quantifier bounds are too large together (product over 10^6)');
}

/**
 * Compiles an organisation pattern for global scanning, guaranteeing linear time. Patterns are
 * case-sensitive (V8's linear engine supports neither the i nor the u flag): write [Pp]rj for either case.
 */
export function compileLinear(src: string): RegExp {
  const flags = 'g';
  if (src.length > 512) throw new UnsafePatternError('pattern longer than 512 characters');
  if (linearEngineAvailable()) {
    try {
      return new RegExp(src, flags + 'l');
    } catch (err) {
      throw new UnsafePatternError(`not supported by the linear-time engine: ${(err as Error).message}`);
    }
  }
  assertSafePattern(src);
  return new RegExp(src, flags);
}
