/** Direct sampling from the n-gram models (no HTTP), for statistical tests and the power script. */
import { PROBE_POOLS } from '../../../src/integrity/probes.js';
import { Rng } from '../../../src/integrity/rng.js';
import type { TextSample } from '../../../src/integrity/stats.js';
import { generate, textOf, type LanguageModel } from './ngram.js';

export const SAMPLE_PROMPTS = PROBE_POOLS.sample.map((p) => ({ id: p.id, text: p.messages.map((m) => `${m.role}: ${m.content}`).join('\n'), maxWords: p.maxTokens }));

/**
 * n completions at temperature 1 spread over prompts (perPrompt each), the way the audit draws them.
 * `mix` serves each request from mix.model with probability mix.p (mixed substitution).
 */
export function sampleCompletions(model: LanguageModel, n: number, rng: Rng, opts: { perPrompt?: number; promptOffset?: number; mix?: { model: LanguageModel; p: number } } = {}): TextSample[] {
  const perPrompt = opts.perPrompt ?? 10;
  const out: TextSample[] = [];
  for (let i = 0; i < n; i++) {
    const prompt = SAMPLE_PROMPTS[(Math.floor(i / perPrompt) + (opts.promptOffset ?? 0)) % SAMPLE_PROMPTS.length];
    const m = opts.mix && rng.next() < opts.mix.p ? opts.mix.model : model;
    const g = generate(m, prompt.text, { maxWords: prompt.maxWords, temperature: 1, rng });
    out.push({ stratum: prompt.id, text: textOf(g.tokens) });
  }
  return out;
}

export { Rng };
