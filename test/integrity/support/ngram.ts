/**
 * Seeded word-bigram "language models" with exact probabilities, standing in for real models (there
 * are none on these machines). Each model gives, for a prompt and the previous word, a logit vector
 * over a fixed vocabulary; sampling honours temperature and an explicit generator, so two endpoints
 * serving the same model produce samples from exactly the same distribution.
 *
 * Variants:
 * - `baseModel(seed)`: the genuine model.
 * - `substituteModel(base, seed, correlation)`: a different model whose logits are only partly
 *   correlated with the base (correlation 0 = unrelated model).
 * - `quantizedModel(base, sigma)`: the same model with small deterministic logit perturbations, the
 *   way low-bit quantization shifts a model's outputs.
 * Mixed substitution (a fraction p of requests served by another model) lives in the mock relay.
 */
import { Rng, hashString } from '../../../src/integrity/rng.js';
import type { TokenizerFamily } from '../../../src/integrity/tokenizer.js';

export const VOCAB: readonly string[] = [
  'the', 'a', 'model', 'data', 'river', 'stone', 'light', 'green', 'quick', 'slow', 'north', 'south', 'city', 'market',
  'paper', 'signal', 'water', 'forest', 'bridge', 'window', 'garden', 'music', 'number', 'story', 'table', 'winter',
  'summer', 'cloud', 'road', 'house', 'small', 'large', 'bright', 'quiet', 'open', 'under', 'over', 'between', 'and',
  'or', 'with', 'from', 'into', 'runs', 'holds', 'makes', 'sees', 'finds', '<eos>',
];
export const EOS = VOCAB.length - 1;

export interface LanguageModel {
  readonly name: string;
  /** Tokenizer used for usage counts: a public family, or a private one (counts only the provider knows). */
  readonly tokenizer: TokenizerFamily | 'private';
  /** Probability of answering a known-answer prompt correctly. */
  readonly accuracy: number;
  /** Logits over VOCAB for the next word after `prev` (-1 at the start) given the prompt. */
  logits(prompt: string, prev: number): Float64Array;
  /** Exact log-probabilities at temperature 1 and their cumulative distribution (cached). */
  dist(prompt: string, prev: number): { lp: Float64Array; cdf: Float64Array };
}

const SCALE = 2.2;

function gaussianVector(seed: string): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from(VOCAB, () => rng.normal());
}

class CachedModel implements LanguageModel {
  private cache = new Map<string, Float64Array[]>();
  private dists = new Map<string, { lp: Float64Array; cdf: Float64Array }[]>();
  constructor(
    readonly name: string,
    readonly tokenizer: TokenizerFamily | 'private',
    readonly accuracy: number,
    private readonly compute: (prompt: string, prev: number) => Float64Array,
  ) {}
  logits(prompt: string, prev: number): Float64Array {
    let row = this.cache.get(prompt);
    if (!row) {
      if (this.cache.size > 2000) this.cache.clear();
      this.cache.set(prompt, (row = []));
    }
    return (row[prev + 1] ??= this.compute(prompt, prev));
  }
  dist(prompt: string, prev: number): { lp: Float64Array; cdf: Float64Array } {
    let row = this.dists.get(prompt);
    if (!row) {
      if (this.dists.size > 2000) this.dists.clear();
      this.dists.set(prompt, (row = []));
    }
    return (row[prev + 1] ??= (() => {
      const lp = logSoftmax(this.logits(prompt, prev), 1);
      const cdf = new Float64Array(lp.length);
      let acc = 0;
      for (let i = 0; i < lp.length; i++) cdf[i] = acc += Math.exp(lp[i]);
      return { lp, cdf };
    })());
  }
}

function withEosBias(v: Float64Array, prev: number): Float64Array {
  // Encourage short-ish completions: end-of-sequence gets likelier after the first words.
  v[EOS] = prev < 0 ? -6 : v[EOS] * 0.5 - 0.5;
  return v;
}

export function baseModel(seed: string | number = 'base', opts: { tokenizer?: TokenizerFamily | 'private'; name?: string } = {}): LanguageModel {
  return new CachedModel(opts.name ?? `ngram-${seed}`, opts.tokenizer ?? 'o200k_base', 1, (prompt, prev) => {
    const z = gaussianVector(`${seed}|${hashString(prompt)}|${prev}`);
    return withEosBias(z.map((x) => x * SCALE), prev);
  });
}

export function substituteModel(base: LanguageModel, seed: string | number = 'sub', opts: { correlation?: number; tokenizer?: TokenizerFamily | 'private'; accuracy?: number } = {}): LanguageModel {
  const rho = opts.correlation ?? 0.5;
  const other = baseModel(seed);
  return new CachedModel(`substitute-${seed}`, opts.tokenizer ?? base.tokenizer, opts.accuracy ?? 0.6, (prompt, prev) => {
    const a = base.logits(prompt, prev);
    const b = other.logits(prompt, prev);
    return a.map((x, i) => rho * x + Math.sqrt(1 - rho * rho) * b[i]);
  });
}

export function quantizedModel(base: LanguageModel, sigma = 0.3, seed: string | number = 'quant'): LanguageModel {
  return new CachedModel(`${base.name}-q`, base.tokenizer, base.accuracy, (prompt, prev) => {
    const a = base.logits(prompt, prev);
    const noise = gaussianVector(`${seed}|${hashString(prompt)}|${prev}`);
    return a.map((x, i) => (i === EOS ? x : x + sigma * noise[i]));
  });
}

/** Log-softmax of logits / temperature (temperature 1 gives the model's exact log-probabilities). */
export function logSoftmax(logits: Float64Array, temperature = 1): Float64Array {
  const t = Math.max(temperature, 1e-6);
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x / t);
  let sum = 0;
  for (const x of logits) sum += Math.exp(x / t - max);
  const lse = max + Math.log(sum);
  return logits.map((x) => x / t - lse);
}

export interface GeneratedToken {
  word: string;
  logprob: number;
  top: { word: string; logprob: number }[];
}

/** Samples a completion of at most maxWords words (temperature 0 = greedy). */
export function generate(model: LanguageModel, prompt: string, opts: { maxWords: number; temperature: number; rng: Rng; topK?: number }): { tokens: GeneratedToken[]; finish: 'stop' | 'length' } {
  const tokens: GeneratedToken[] = [];
  let prev = -1;
  for (let step = 0; step < opts.maxWords; step++) {
    const { lp, cdf } = model.dist(prompt, prev);
    let choice: number;
    if (opts.temperature <= 0) {
      choice = 0;
      for (let i = 1; i < lp.length; i++) if (lp[i] > lp[choice]) choice = i;
    } else if (opts.temperature === 1) {
      const u = opts.rng.next() * cdf[cdf.length - 1];
      choice = 0;
      while (choice < cdf.length - 1 && cdf[choice] <= u) choice++;
    } else {
      const lt = logSoftmax(model.logits(prompt, prev), opts.temperature);
      const u = opts.rng.next();
      let acc = 0;
      choice = lt.length - 1;
      for (let i = 0; i < lt.length; i++) {
        acc += Math.exp(lt[i]);
        if (u < acc) {
          choice = i;
          break;
        }
      }
    }
    if (choice === EOS) {
      if (tokens.length > 0) return { tokens, finish: 'stop' };
      choice = 0;
    }
    const full = lp;
    const order = opts.topK ? Array.from(full.keys()).filter((i) => i !== EOS).sort((x, y) => full[y] - full[x]).slice(0, opts.topK) : [];
    tokens.push({ word: VOCAB[choice], logprob: full[choice], top: order.map((i) => ({ word: VOCAB[i], logprob: full[i] })) });
    prev = choice;
  }
  return { tokens, finish: 'length' };
}

/** Joins generated words into the completion text. */
export function textOf(tokens: readonly GeneratedToken[]): string {
  return tokens.map((t, i) => (i === 0 ? t.word : ` ${t.word}`)).join('');
}

/** A deterministic stand-in for a tokenizer no one outside the provider has (used for usage counts). */
export function privateTokenCount(text: string): number {
  return (text.match(/[A-Za-z]{1,5}|\d|[^\sA-Za-z\d]|\s+(?=\S)/g) ?? []).filter((t) => !/^\s+$/.test(t)).length;
}
