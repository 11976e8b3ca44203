import type { Finding } from './types.js';

/** Log-safe summary of findings: types and counts only, never values or offsets. */
export function summarize(findings: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.type] = (out[f.type] ?? 0) + 1;
  return out;
}
