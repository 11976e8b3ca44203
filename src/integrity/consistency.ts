/**
 * Streamed against non-streamed usage: a relay may inflate only the counts it reports at the end of a
 * stream, which clients rarely check. Where no local tokenizer exists, the tokens-per-character ratio
 * of completions is compared between streamed and non-streamed responses of the same upstream with a
 * Welch z-test; a material (> 5%) and significant difference is evidence.
 */
import { normalQuantile } from './stats.js';

interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

export interface StreamUsageState {
  stream: Moments;
  plain: Moments;
}

export interface StreamUsageSummary {
  stream: { n: number; tokensPerChar: number };
  plain: { n: number; tokensPerChar: number };
  relativeDifference: number;
  z: number;
  flagged: boolean;
}

export const emptyStreamUsage = (): StreamUsageState => ({ stream: { n: 0, sum: 0, sumSq: 0 }, plain: { n: 0, sum: 0, sumSq: 0 } });

/** Minimum characters for a completion to count (short ones have noisy ratios). */
const MIN_CHARS = 40;

export function addStreamUsage(state: StreamUsageState, stream: boolean, completionTokens: number, text: string): void {
  if (text.length < MIN_CHARS || !(completionTokens > 0)) return;
  const r = completionTokens / text.length;
  const m = stream ? state.stream : state.plain;
  m.n++;
  m.sum += r;
  m.sumSq += r * r;
}

export function summarizeStreamUsage(state: StreamUsageState, opts: { minEach?: number; alpha?: number; minRelative?: number } = {}): StreamUsageSummary {
  const stat = (m: Moments) => {
    const mean = m.n ? m.sum / m.n : 0;
    const variance = m.n > 1 ? Math.max(0, (m.sumSq - m.n * mean * mean) / (m.n - 1)) : 0;
    return { mean, variance };
  };
  const s = stat(state.stream);
  const p = stat(state.plain);
  const se = Math.sqrt(s.variance / Math.max(1, state.stream.n) + p.variance / Math.max(1, state.plain.n)) || 1e-9;
  const z = (s.mean - p.mean) / se;
  const rel = p.mean > 0 ? s.mean / p.mean - 1 : 0;
  const enough = state.stream.n >= (opts.minEach ?? 30) && state.plain.n >= (opts.minEach ?? 30);
  const flagged = enough && Math.abs(z) > normalQuantile(1 - (opts.alpha ?? 1e-3) / 2) && Math.abs(rel) > (opts.minRelative ?? 0.05);
  return { stream: { n: state.stream.n, tokensPerChar: s.mean }, plain: { n: state.plain.n, tokensPerChar: p.mean }, relativeDifference: rel, z, flagged };
}
