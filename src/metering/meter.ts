import type { ChatRequest, ContentPart, Usage } from '../core/types.js';
import { countTokens as countWith } from '../integrity/tokenizer.js';

/**
 * Metering: usage comes from the upstream's own fields; where it gave none, a real tokenizer
 * (o200k_base via js-tiktoken) counts and the entry is marked estimated. Costs are integer
 * micro-units, never floats.
 */

export interface Price {
  /** Micro-units per 1M input tokens (not cached). */
  input: number;
  output: number;
  cachedInput: number;
}

/** Converts a config price (currency units per 1M tokens, decimal) to integer micro-units per 1M tokens. */
export function priceFromConfig(p: { input?: number; output?: number; cached_input?: number } | undefined): Price {
  const micro = (v: number | undefined) => Math.round((v ?? 0) * 1_000_000);
  const input = micro(p?.input);
  return { input, output: micro(p?.output), cachedInput: p?.cached_input !== undefined ? micro(p.cached_input) : input };
}

/** Cost in micro-units, rounded up (a request is never billed less than it used). */
export function costMicros(u: Usage, price: Price): number {
  const cached = Math.min(u.cachedInputTokens ?? 0, u.inputTokens);
  const total = (u.inputTokens - cached) * price.input + cached * price.cachedInput + u.outputTokens * price.output;
  return Math.ceil(total / 1_000_000);
}

/** Token count with the o200k_base tokenizer (shared with the integrity checks: one instance). */
export async function countTokens(text: string): Promise<number> {
  return countWith(text, 'o200k_base');
}

/** Builds the tokenizers up front (about a second of CPU) so no request pays for it. */
export function warmTokenizers(): void {
  countWith('warm up', 'o200k_base');
  countWith('warm up', 'cl100k_base');
}

function partText(p: ContentPart): string {
  switch (p.type) {
    case 'text':
    case 'thinking':
      return p.text;
    case 'tool_call':
      return p.name + p.arguments;
    case 'tool_result':
      return typeof p.content === 'string' ? p.content : p.content.map(partText).join('');
    default:
      return '';
  }
}

/** A local estimate of the prompt: message texts plus 4 tokens of framing per message. */
export async function estimateInput(req: ChatRequest): Promise<number> {
  let text = '';
  for (const m of req.messages) text += m.content.map(partText).join('') + '\n';
  for (const t of req.tools ?? []) text += t.name + (t.description ?? '') + JSON.stringify(t.parameters ?? {});
  return (await countTokens(text)) + 4 * req.messages.length;
}
