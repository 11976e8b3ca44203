import { createHmac } from 'node:crypto';
import { actionFor, DEFAULT_POLICY, type DlpPolicy } from './policy.js';
import { scanDetailed } from './scan.js';
import type { EntityType, Finding, Recognizer } from './types.js';

/**
 * Pseudonym shape: `[TYPE_xxxxxxxx]`, e.g. `[PERSON_7f3a9c2e]`.
 * - Alphabet [ ] A-Z 0-9 _ a-f: nothing a JSON encoder escapes (not even HTML-safe ones that escape < > &),
 *   so a pseudonym appears verbatim inside tool-call argument JSON strings.
 * - The type name tells the model what the value is (it can still say "call [PHONE_...]").
 * - Brackets delimit it, so restoring is a scan for '[' plus a map lookup, and streaming hold-back is bounded.
 */
export const PSEUDONYM_MAX_LENGTH = 64;
const HEX_LEN = 8;

export interface ProtectResult {
  /** Text safe to send upstream. */
  text: string;
  /** What was found (types and offsets in the input; never values). */
  findings: Finding[];
  /** Types whose policy action is `block` (the caller answers 4xx naming these types). */
  blocked: EntityType[];
}

export interface PseudonymizerOptions {
  /** Gateway secret for HMAC (keep it out of logs; at least 16 bytes). */
  key: Buffer;
  /** Conversation id: the same value gets the same pseudonym in every request of a conversation. */
  conversationId: string;
  policy?: DlpPolicy;
  /** Recognizers (default: built-ins; add organisation terms via `recognizersFromConfig`). */
  recognizers?: readonly Recognizer[];
}

function tokenType(type: string): string {
  const t = type.toUpperCase().replace(/[^A-Z0-9_]/g, '_').slice(0, 32);
  return /^[A-Z]/.test(t) ? t : `T_${t}`;
}

/** Text form of a JSON string body (without quotes), for restoring inside tool-call argument JSON. */
const jsonEscape = (v: string) => JSON.stringify(v).slice(1, -1);

/**
 * One per conversation. Holds the reverse mapping in memory only; never logs values or the mapping.
 * `toJSON`/inspect print counts only so an accidental log line leaks nothing.
 */
export class Pseudonymizer {
  readonly #key: Buffer;
  readonly #conv: string;
  readonly #policy: DlpPolicy;
  readonly #recognizers: readonly Recognizer[] | undefined;
  /** pseudonym -> original surface form (first seen) */
  readonly #reverse = new Map<string, string>();
  /** type + canonical -> pseudonym */
  readonly #forward = new Map<string, string>();
  #sorted: string[] | null = null;

  constructor(opts: PseudonymizerOptions) {
    if (!Buffer.isBuffer(opts.key) || opts.key.length < 16) throw new Error('Pseudonymizer key must be a Buffer of at least 16 bytes');
    this.#key = opts.key;
    this.#conv = opts.conversationId;
    this.#policy = opts.policy ?? DEFAULT_POLICY;
    this.#recognizers = opts.recognizers;
  }

  /** Number of distinct values mapped so far. */
  get size(): number {
    return this.#reverse.size;
  }

  /** Pseudonym for a value of a type (deterministic per key + conversation + type + canonical value). */
  pseudonymFor(type: EntityType, canonical: string, surface = canonical): string {
    const fk = `${type}\u0000${canonical}`;
    const known = this.#forward.get(fk);
    if (known) return known;
    const mac = createHmac('sha256', this.#key).update(this.#conv).update('\u0000').update(fk).digest('hex');
    const tt = tokenType(type);
    let len = HEX_LEN;
    let token = `[${tt}_${mac.slice(0, len)}]`;
    // a 32-bit collision inside one conversation is very unlikely; lengthen deterministically if it happens
    while (this.#reverse.has(token) && this.#reverse.get(token) !== surface && len < 16) token = `[${tt}_${mac.slice(0, (len += 2))}]`;
    this.#forward.set(fk, token);
    this.#reverse.set(token, surface);
    this.#sorted = null;
    return token;
  }

  /** Applies the policy to one text (a message, a tool result, a tool-call argument string ...). */
  protect(text: string): ProtectResult {
    const found = scanDetailed(text, { recognizers: this.#recognizers, minScore: this.#policy.minScore });
    const blocked = new Set<EntityType>();
    const findings: Finding[] = [];
    let out = '';
    let pos = 0;
    for (const f of found) {
      const { canonical, ...finding } = f;
      const action = actionFor(this.#policy, f.type);
      if (action === 'allow') continue;
      findings.push(finding);
      if (action === 'block') blocked.add(f.type);
      const surface = text.slice(f.start, f.end);
      out += text.slice(pos, f.start);
      out += action === 'redact' ? `[REDACTED:${tokenType(f.type)}]` : this.pseudonymFor(f.type, canonical, surface);
      pos = f.end;
    }
    out += text.slice(pos);
    return { text: out, findings, blocked: [...blocked].sort() };
  }

  /**
   * Protects every string inside a JSON value (tool-call arguments, structured tool results, content block
   * arrays): objects and arrays are walked, string leaves go through protect(), keys and non-strings stay.
   * Use this on decoded JSON rather than protect() on raw JSON text, which could cut an escape sequence.
   */
  protectValue<T>(value: T): { value: T; findings: Finding[]; blocked: EntityType[] } {
    const findings: Finding[] = [];
    const blocked = new Set<EntityType>();
    const walk = (v: unknown, depth: number): unknown => {
      if (typeof v === 'string') {
        const r = this.protect(v);
        findings.push(...r.findings);
        for (const b of r.blocked) blocked.add(b);
        return r.text;
      }
      if (depth > 64 || v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
      return out;
    };
    return { value: walk(value, 0) as T, findings, blocked: [...blocked].sort() };
  }

  /** Restores pseudonyms in every string inside a JSON value (e.g. parsed tool-call arguments). */
  restoreValue<T>(value: T): T {
    const walk = (v: unknown, depth: number): unknown => {
      if (typeof v === 'string') return this.restore(v);
      if (depth > 64 || v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1);
      return out;
    };
    return walk(value, 0) as T;
  }

  /** Original value for a pseudonym token, if this conversation produced it. */
  lookup(token: string): string | undefined {
    return this.#reverse.get(token);
  }

  /** True when `s` is a proper or full prefix of a known pseudonym (for bounded stream hold-back). */
  isPrefix(s: string): boolean {
    const arr = (this.#sorted ??= [...this.#reverse.keys()].sort());
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo < arr.length && arr[lo].startsWith(s);
  }

  /**
   * Replaces known pseudonyms with original values. `json: true` escapes values for a JSON string body
   * (tool-call arguments). Unknown bracketed text is left untouched.
   */
  restore(text: string, opts: { json?: boolean } = {}): string {
    if (this.#reverse.size === 0) return text;
    let out = '';
    let pos = 0;
    let i = text.indexOf('[');
    while (i >= 0) {
      // bounded look-ahead for the closing bracket keeps restore O(n) on any input
      const rel = text.slice(i + 1, i + PSEUDONYM_MAX_LENGTH).indexOf(']');
      const close = rel < 0 ? -1 : i + 1 + rel;
      if (close > 0) {
        const v = this.#reverse.get(text.slice(i, close + 1));
        if (v !== undefined) {
          out += text.slice(pos, i) + (opts.json ? jsonEscape(v) : v);
          pos = close + 1;
          i = text.indexOf('[', pos);
          continue;
        }
      }
      i = text.indexOf('[', i + 1);
    }
    return pos === 0 ? text : out + text.slice(pos);
  }

  toJSON(): { pseudonyms: number } {
    return { pseudonyms: this.#reverse.size };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Pseudonymizer { pseudonyms: ${this.#reverse.size} }`;
  }
}
