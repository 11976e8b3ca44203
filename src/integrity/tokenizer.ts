/**
 * Local token counting for model families whose tokenizer is public (OpenAI: cl100k_base and
 * o200k_base via js-tiktoken), with the chat-format overhead OpenAI documents for its chat models:
 * 3 tokens per message, 1 more when a message has a name, and 3 that prime the reply.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';

export type TokenizerFamily = 'cl100k_base' | 'o200k_base';
export const TOKENIZER_FAMILIES: readonly TokenizerFamily[] = ['cl100k_base', 'o200k_base'];

const encoders = new Map<TokenizerFamily, Tiktoken>();

function encoder(family: TokenizerFamily): Tiktoken {
  let enc = encoders.get(family);
  if (!enc) {
    enc = new Tiktoken(family === 'cl100k_base' ? cl100k : o200k);
    encoders.set(family, enc);
  }
  return enc;
}

/** Tokenizer family of a model name, when it is public; undefined for every other model. */
export function familyForModel(model: string): TokenizerFamily | undefined {
  const m = model.toLowerCase().replace(/^openai\//, '');
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss)/.test(m)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/.test(m)) return 'cl100k_base';
  return undefined;
}

/** Longest text handed to the encoder at once. */
const SEGMENT = 1024;
/** Longest run without a cut point encoded whole; BPE time grows super-linearly with it. */
const MAX_RUN = 64;
/**
 * Characters that start a new pre-token when they follow a letter, digit or symbol: space,
 * newline and CJK punctuation (。，、；：？！), so Chinese text without spaces also counts exactly.
 */
const CUT_BEFORE = new Set([32, 10, 0x3002, 0xff0c, 0x3001, 0xff1b, 0xff1a, 0xff1f, 0xff01]);
const ALNUM = /[\p{L}\p{N}]/u;
/**
 * Encoder time one count may take before the rest is estimated, so hostile text cannot stall the
 * gateway: 20 ms plus 20 µs per character (CJK text encodes at about 12 µs per character), at most
 * 100 ms.
 */
const budgetMs = (length: number) => Math.min(100, 20 + length * 0.02);

export interface TokenCount {
  count: number;
  /** False when part of the text was estimated (long runs without spaces, or the time budget ran out). */
  exact: boolean;
}

/**
 * Token count of `text` under `family` with bounded cost. The encoder's BPE step is super-linear
 * in the length of one pre-token (thousands of characters without a space take seconds), and any
 * request may carry such text. So text is encoded in segments cut just before a space, newline or
 * CJK punctuation mark that follows another character (a pre-token boundary for these encodings,
 * so ordinary text counts exactly); a run longer than MAX_RUN without such a boundary is cut, and once BUDGET_MS of
 * encoder time is spent the rest is estimated from the rate so far. Either makes the count
 * inexact, which callers that compare counts (the usage checks) must respect. `opts.budgetMs`
 * overrides the time budget (tests of exactness use Infinity, so a loaded machine cannot change them).
 */
export function countTokensDetailed(text: string, family: TokenizerFamily, opts: { budgetMs?: number } = {}): TokenCount {
  if (!text) return { count: 0, exact: true };
  const cache = countCache(family);
  const known = cache.map.get(text);
  if (known !== undefined) return { count: known, exact: true };
  const enc = encoder(family);
  const c = text.length <= MAX_RUN ? { count: enc.encode(text, 'all').length, exact: true } : encodeBounded(enc, text, opts.budgetMs ?? budgetMs(text.length));
  if (c.exact && text.length <= CACHE_MAX_TEXT) {
    if (cache.chars + text.length > CACHE_MAX_CHARS) {
      cache.map.clear();
      cache.chars = 0;
    }
    cache.map.set(text, c.count);
    cache.chars += text.length;
  }
  return c;
}

/**
 * Exact counts of recent texts, per family. A conversation resends its system prompt and history on
 * every turn, so most of a prompt was counted before; the encoder is by far the costliest step of
 * metering. Bounded by total characters (the texts are held only in this process's memory, like the
 * requests that carried them) and emptied when full.
 */
const CACHE_MAX_CHARS = 4_000_000;
const CACHE_MAX_TEXT = 65_536;
const caches = new Map<TokenizerFamily, { map: Map<string, number>; chars: number }>();

function countCache(family: TokenizerFamily): { map: Map<string, number>; chars: number } {
  let c = caches.get(family);
  if (!c) {
    c = { map: new Map(), chars: 0 };
    caches.set(family, c);
  }
  return c;
}

function encodeBounded(enc: Tiktoken, text: string, budget: number): TokenCount {
  const started = performance.now();
  let total = 0;
  let exact = true;
  let start = 0;
  let lastCut = -1;
  const take = (end: number): boolean => {
    total += enc.encode(text.slice(start, end), 'all').length;
    start = end;
    if (performance.now() - started <= budget) return true;
    // Out of budget: estimate the remainder at the rate seen so far.
    total += Math.ceil(((text.length - start) * total) / Math.max(1, start));
    exact = false;
    start = text.length;
    return false;
  };
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A newline joins a preceding symbol run (":\n" is one pre-token), so it cuts only after a letter or digit.
    if (CUT_BEFORE.has(c) && text.charCodeAt(i - 1) > 32 && !CUT_BEFORE.has(text.charCodeAt(i - 1)) && (c !== 10 || ALNUM.test(text[i - 1]))) lastCut = i;
    if (i - start >= SEGMENT && lastCut > start) {
      if (!take(lastCut)) break;
    } else if (i - Math.max(start, lastCut) >= MAX_RUN) {
      if (lastCut <= start) exact = false;
      if (!take(lastCut > start ? lastCut : i)) break;
    }
  }
  if (start < text.length) total += enc.encode(text.slice(start), 'all').length;
  return { count: total, exact };
}

/** Number of tokens of `text` under `family` (bounded cost; see countTokensDetailed). */
export function countTokens(text: string, family: TokenizerFamily): number {
  return countTokensDetailed(text, family).count;
}

export interface ChatMessageForCount {
  role: string;
  content: string;
  name?: string;
}

/** Per-message overhead of OpenAI chat models (documented in OpenAI's token-counting cookbook). */
export const CHAT_OVERHEAD = { perMessage: 3, perName: 1, replyPriming: 3 } as const;

/** Prompt tokens an honest OpenAI-family endpoint reports for plain-text chat messages. */
export function countChatPrompt(messages: readonly ChatMessageForCount[], family: TokenizerFamily): number {
  return countChatPromptDetailed(messages, family).count;
}

export function countChatPromptDetailed(messages: readonly ChatMessageForCount[], family: TokenizerFamily): TokenCount {
  let n = CHAT_OVERHEAD.replyPriming;
  let exact = true;
  const add = (text: string) => {
    const c = countTokensDetailed(text, family);
    n += c.count;
    exact &&= c.exact;
  };
  for (const m of messages) {
    n += CHAT_OVERHEAD.perMessage;
    add(m.role);
    add(m.content);
    if (m.name) {
      n += CHAT_OVERHEAD.perName;
      add(m.name);
    }
  }
  return { count: n, exact };
}
