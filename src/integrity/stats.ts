/**
 * Statistics used by the integrity checks: the stratified maximum-mean-discrepancy two-sample test
 * with a Hamming kernel (Gao et al., "Model Equality Testing", ICLR 2025), a stratified permutation
 * test on top-logprob vectors, and a few distribution helpers. Everything is seeded.
 */
import { Rng } from './rng.js';

/** One completion, tagged with the prompt (stratum) that produced it. */
export interface TextSample {
  stratum: string;
  text: string;
}

export interface TwoSampleOptions {
  /** Fixed sequence length L: completions are truncated or padded to L units. Default 32. */
  length?: number;
  /** Unit of the sequence: characters (default) or whitespace-separated words. */
  unit?: 'char' | 'word';
  /** Number of permutations for the p-value. Default 1000. */
  permutations?: number;
  /** Seed of the permutation generator. Default 1. */
  seed?: number | string;
  /** Significance level. Default 0.05. */
  alpha?: number;
}

export interface TwoSampleResult {
  statistic: number;
  pValue: number;
  alpha: number;
  reject: boolean;
  /** Strata that contributed (at least two samples on each side). */
  strata: number;
  sizes: [number, number];
  permutations: number;
}

const PAD = -1;

/** Maps a completion to a fixed-length integer sequence (code points or word ids), padded with -1. */
export function toSequence(text: string, length: number, unit: 'char' | 'word', vocab: Map<string, number>): Int32Array {
  const units = unit === 'char' ? Array.from(text) : text.split(/\s+/).filter(Boolean);
  const seq = new Int32Array(length).fill(PAD);
  for (let i = 0; i < Math.min(length, units.length); i++) {
    let id = vocab.get(units[i]);
    if (id === undefined) {
      id = vocab.size;
      vocab.set(units[i], id);
    }
    seq[i] = id;
  }
  return seq;
}

/** Hamming similarity kernel: the fraction of positions at which two sequences agree. */
export function hammingKernel(a: Int32Array, b: Int32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

interface Stratum {
  n: number;
  kernel: Float64Array;
  labels: Uint8Array;
}

function stratumStatistic(s: Stratum, labels: Uint8Array): number {
  let aa = 0;
  let bb = 0;
  let ab = 0;
  let na = 0;
  for (let i = 0; i < s.n; i++) if (labels[i] === 0) na++;
  const nb = s.n - na;
  for (let i = 0; i < s.n; i++) {
    const row = i * s.n;
    for (let j = i + 1; j < s.n; j++) {
      const k = s.kernel[row + j];
      if (labels[i] === labels[j]) {
        if (labels[i] === 0) aa += k;
        else bb += k;
      } else ab += k;
    }
  }
  return (2 * aa) / (na * (na - 1)) + (2 * bb) / (nb * (nb - 1)) - (2 * ab) / (na * nb);
}

/**
 * Two-sample test of "same output distribution" between samples `a` (audited endpoint) and `b`
 * (reference). Statistic: the unbiased MMD² estimate with the Hamming kernel, computed within each
 * prompt stratum and summed with weights proportional to stratum size. p-value: labels permuted within
 * strata, p = (1 + #{T_perm >= T_obs}) / (1 + B), which is exactly valid under exchangeability.
 */
export function mmdTwoSampleTest(a: readonly TextSample[], b: readonly TextSample[], opts: TwoSampleOptions = {}): TwoSampleResult {
  const length = opts.length ?? 32;
  const unit = opts.unit ?? 'char';
  const B = opts.permutations ?? 1000;
  const alpha = opts.alpha ?? 0.05;
  const rng = new Rng(opts.seed ?? 1);
  const vocab = new Map<string, number>();
  const groups = new Map<string, { seqs: Int32Array[]; labels: number[] }>();
  for (const [label, samples] of [[0, a], [1, b]] as const) {
    for (const s of samples) {
      let g = groups.get(s.stratum);
      if (!g) groups.set(s.stratum, (g = { seqs: [], labels: [] }));
      g.seqs.push(toSequence(s.text, length, unit, vocab));
      g.labels.push(label);
    }
  }
  const strata: { s: Stratum; weight: number }[] = [];
  for (const g of groups.values()) {
    const na = g.labels.filter((l) => l === 0).length;
    const nb = g.labels.length - na;
    if (na < 2 || nb < 2) continue;
    const n = g.seqs.length;
    const kernel = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) kernel[i * n + j] = hammingKernel(g.seqs[i], g.seqs[j]);
    strata.push({ s: { n, kernel, labels: Uint8Array.from(g.labels) }, weight: n });
  }
  const total = strata.reduce((acc, x) => acc + x.weight, 0);
  const stat = (perm: (s: Stratum) => Uint8Array): number => strata.reduce((acc, x) => acc + (x.weight / total) * stratumStatistic(x.s, perm(x.s)), 0);
  if (strata.length === 0) {
    return { statistic: 0, pValue: 1, alpha, reject: false, strata: 0, sizes: [a.length, b.length], permutations: 0 };
  }
  const observed = stat((s) => s.labels);
  let atLeast = 0;
  const scratch = new Map<Stratum, Uint8Array>();
  for (const x of strata) scratch.set(x.s, Uint8Array.from(x.s.labels));
  for (let r = 0; r < B; r++) {
    const t = stat((s) => {
      const lab = scratch.get(s)!;
      lab.set(s.labels);
      shuffleBytes(lab, rng);
      return lab;
    });
    if (t >= observed - 1e-12) atLeast++;
  }
  const pValue = (1 + atLeast) / (1 + B);
  return { statistic: observed, pValue, alpha, reject: pValue <= alpha, strata: strata.length, sizes: [a.length, b.length], permutations: B };
}

function shuffleBytes(a: Uint8Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Top-logprob vector of the first generated token, tagged with the prompt that produced it. */
export interface LogprobSample {
  stratum: string;
  top: Record<string, number>;
}

/**
 * Stratified permutation test on top-logprob vectors. Within each stratum the statistic is the L1
 * distance between the mean vectors of the two groups over the union of tokens seen (a token missing
 * from a truncated top-k list counts as that list's lowest logprob); strata are summed. Identical
 * deterministic vectors give p = 1; a systematic shift gives a small p once there are enough
 * arrangements (three samples per side in three strata already allow p < 0.01).
 */
export function logprobPermutationTest(a: readonly LogprobSample[], b: readonly LogprobSample[], opts: { permutations?: number; seed?: number | string; alpha?: number } = {}): TwoSampleResult {
  const B = opts.permutations ?? 1000;
  const alpha = opts.alpha ?? 0.05;
  const rng = new Rng(opts.seed ?? 1);
  const groups = new Map<string, { vecs: Float64Array[]; labels: Uint8Array }>();
  const byStratum = new Map<string, { top: Record<string, number>; label: number }[]>();
  for (const [label, samples] of [[0, a], [1, b]] as const) {
    for (const s of samples) {
      let g = byStratum.get(s.stratum);
      if (!g) byStratum.set(s.stratum, (g = []));
      g.push({ top: s.top, label });
    }
  }
  for (const [key, items] of byStratum) {
    const na = items.filter((x) => x.label === 0).length;
    if (na < 1 || items.length - na < 1) continue;
    const tokens = [...new Set(items.flatMap((x) => Object.keys(x.top)))];
    const vecs = items.map((x) => {
      const vals = Object.values(x.top);
      const floor = vals.length ? Math.min(...vals) : -30;
      return Float64Array.from(tokens, (t) => x.top[t] ?? floor);
    });
    groups.set(key, { vecs, labels: Uint8Array.from(items, (x) => x.label) });
  }
  const stat = (labelsOf: (k: string) => Uint8Array): number => {
    let total = 0;
    for (const [k, g] of groups) {
      const labels = labelsOf(k);
      const dim = g.vecs[0].length;
      const ma = new Float64Array(dim);
      const mb = new Float64Array(dim);
      let na = 0;
      for (let i = 0; i < g.vecs.length; i++) {
        const target = labels[i] === 0 ? ma : mb;
        if (labels[i] === 0) na++;
        for (let d = 0; d < dim; d++) target[d] += g.vecs[i][d];
      }
      const nb = g.vecs.length - na;
      for (let d = 0; d < dim; d++) total += Math.abs(ma[d] / na - mb[d] / nb);
    }
    return total;
  };
  if (groups.size === 0) return { statistic: 0, pValue: 1, alpha, reject: false, strata: 0, sizes: [a.length, b.length], permutations: 0 };
  const observed = stat((k) => groups.get(k)!.labels);
  const scratch = new Map<string, Uint8Array>();
  let atLeast = 0;
  for (let r = 0; r < B; r++) {
    const t = stat((k) => {
      let lab = scratch.get(k);
      if (!lab) scratch.set(k, (lab = new Uint8Array(groups.get(k)!.labels.length)));
      lab.set(groups.get(k)!.labels);
      shuffleBytes(lab, rng);
      return lab;
    });
    if (t >= observed - 1e-9) atLeast++;
  }
  const pValue = (1 + atLeast) / (1 + B);
  return { statistic: observed, pValue, alpha, reject: pValue <= alpha, strata: groups.size, sizes: [a.length, b.length], permutations: B };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** P[X >= k] for X ~ Binomial(n, p), computed in log space. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let logC = 0;
  for (let i = 0; i < k; i++) logC += Math.log(n - i) - Math.log(i + 1);
  let term = Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
  let sum = 0;
  for (let i = k; i <= n; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.min(1, sum);
}

/** One-sided exact binomial test: is the success rate below `p0`? Returns P[X <= k]. */
export function binomialLowerTail(k: number, n: number, p: number): number {
  return 1 - binomialUpperTail(k + 1, n, p);
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
