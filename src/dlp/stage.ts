import { createHmac, hash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../core/errors.js';
import type { RequestContext, Stage } from '../core/pipeline.js';
import type { KeyRecord } from '../auth/keys.js';
import type { ChatResponse, ContentPart, StreamEvent } from '../core/types.js';
import type { DlpConfig } from './config.js';
import { policyFromConfig, recognizersFromConfig } from './config.js';
import { Pseudonymizer } from './pseudonymize.js';
import { mergePolicy, type DlpPolicy } from './policy.js';
import type { Action } from './types.js';
import { createStreamRestorer, type StreamRestorer } from './stream.js';

/**
 * The gateway stage that desensitizes before data leaves and restores on the way back.
 * - onRequest: every text the upstream would see (messages, tool results, tool-call arguments) is
 *   scanned; values are pseudonymized / redacted per policy, or the request is refused (400 naming
 *   the entity types, never the values).
 * - onResponse / onStreamEvent: pseudonyms in the answer are replaced with the originals; in streams
 *   one restorer per text stream (choice × text/thinking/tool call) holds back only what could be the
 *   start of a pseudonym.
 * The conversation id (header x-trustrelay-conversation, else derived from the key and the first
 * message) keeps pseudonyms stable across the requests of one conversation. Mappings live only in
 * memory for the request; logs get counts and types.
 */

const STATE = 'dlp';

interface DlpState {
  p: Pseudonymizer;
  restorers: Map<string, StreamRestorer>;
  found: Map<string, number>;
}

export function loadDlpSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'dlp-secret');
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}

function firstText(ctx: RequestContext): string {
  for (const m of ctx.req.messages) if (m.role === 'user') for (const p of m.content) if (p.type === 'text') return p.text;
  return '';
}

export interface DlpOverride {
  team?: string;
  key?: string;
  actions?: Partial<Record<string, Action>>;
  default_action?: Action;
}

export function dlpStage(cfg: DlpConfig | undefined, secret: Buffer, overrides: DlpOverride[] = [], teamName: (id: string) => string | undefined = () => undefined): Stage {
  const base = policyFromConfig(cfg);
  const recognizers = recognizersFromConfig(cfg);
  /**
   * The conversation id only groups requests (pseudonyms themselves are an HMAC under the secret, see
   * Pseudonymizer). It is a one-shot hash of a value derived from the secret, the key and the first
   * user text: createHmac cost ~20 µs per request in the gateway, a one-shot hash ~1 µs.
   */
  const conversationSalt = createHmac('sha256', secret).update('trustrelay dlp conversation id').digest('hex');
  const policies = new Map<string, DlpPolicy>();
  /** Global policy, then the overrides naming the key's team, then those naming the key. */
  const policyFor = (key: KeyRecord): DlpPolicy => {
    const k = `${key.teamId ?? ''}|${key.id}`;
    let p = policies.get(k);
    if (!p) {
      const team = key.teamId;
      const names = team ? [team, teamName(team)] : [];
      const layer = (o: DlpOverride) => ({ actions: o.actions, defaultAction: o.default_action });
      p = mergePolicy(base, ...overrides.filter((o) => o.team !== undefined && names.includes(o.team)).map(layer), ...overrides.filter((o) => o.key === key.id).map(layer));
      if (policies.size > 10_000) policies.clear();
      policies.set(k, p);
    }
    return p;
  };
  const protectPart = (st: DlpState, part: ContentPart): ContentPart => {
    const account = (r: { findings: { type: string }[]; blocked: string[] }) => {
      for (const f of r.findings) st.found.set(f.type, (st.found.get(f.type) ?? 0) + 1);
      if (r.blocked.length) throw new GatewayError('invalid_request', `request refused by the data-protection policy: it contains ${r.blocked.join(', ')}; remove those values or ask an administrator`, { code: 'dlp_blocked' });
    };
    const apply = (text: string) => {
      const r = st.p.protect(text);
      account(r);
      return r.text;
    };
    /** Tool-call arguments are JSON: protect the decoded strings, so no escape sequence is cut. */
    const protectArguments = (args: string) => {
      let value: unknown;
      try {
        value = JSON.parse(args);
      } catch {
        return apply(args);
      }
      const r = st.p.protectValue(value);
      account(r);
      return r.findings.length ? JSON.stringify(r.value) : args;
    };
    switch (part.type) {
      case 'text':
        return { ...part, text: apply(part.text) };
      case 'tool_call':
        return { ...part, arguments: protectArguments(part.arguments) };
      case 'tool_result':
        return { ...part, content: typeof part.content === 'string' ? apply(part.content) : part.content.map((c) => protectPart(st, c)) };
      default:
        return part;
    }
  };
  const restoreParts = (st: DlpState, parts: ContentPart[]) => {
    for (const p of parts) {
      if (p.type === 'text' || p.type === 'thinking') p.text = st.p.restore(p.text);
      else if (p.type === 'tool_call') p.arguments = st.p.restore(p.arguments, { json: true });
    }
  };
  const restorer = (st: DlpState, key: string, json: boolean) => {
    let r = st.restorers.get(key);
    if (!r) st.restorers.set(key, (r = createStreamRestorer(st.p, { json })));
    return r;
  };
  /** Flushes held-back text of a choice before an event that ends or interrupts its text streams. */
  const flushChoice = (st: DlpState, choice: number | undefined): StreamEvent[] => {
    const out: StreamEvent[] = [];
    for (const [key, r] of st.restorers) {
      const [c, kind, index] = key.split(':');
      if (choice !== undefined && Number(c) !== choice) continue;
      const text = r.flush();
      if (!text) continue;
      if (kind === 'text') out.push({ type: 'text', choice: Number(c), text });
      else if (kind === 'thinking') out.push({ type: 'thinking', choice: Number(c), text });
      else out.push({ type: 'tool_call_delta', choice: Number(c), index: Number(index), arguments: text });
    }
    return out;
  };
  return {
    name: STATE,
    onEmbeddings(key, req) {
      // Inputs become vectors, nothing comes back to restore; pseudonyms are stable per key so equal
      // values still embed alike across requests.
      if (typeof req.input[0] !== 'string') return;
      const st: DlpState = { p: new Pseudonymizer({ key: secret, conversationId: `embeddings:${key.id}`, policy: policyFor(key), recognizers }), restorers: new Map(), found: new Map() };
      req.input = (req.input as string[]).map((text) => protectPart(st, { type: 'text', text }) as { text: string }).map((p) => p.text);
    },
    onRequest(ctx) {
      const header = ctx.state.get('conversation') as string | undefined;
      const conversationId = header ?? hash('sha256', `${conversationSalt}\u0000${ctx.key.id}\u0000${firstText(ctx)}`, 'base64url');
      const st: DlpState = { p: new Pseudonymizer({ key: secret, conversationId, policy: policyFor(ctx.key), recognizers }), restorers: new Map(), found: new Map() };
      ctx.state.set(STATE, st);
      for (const m of ctx.req.messages) m.content = m.content.map((part) => protectPart(st, part));
      if (st.found.size) ctx.responseHeaders['x-trustrelay-dlp'] = [...st.found].map(([t, n]) => `${t}=${n}`).join(',');
    },
    onResponse(ctx, resp: ChatResponse) {
      const st = ctx.state.get(STATE) as DlpState | undefined;
      if (st) for (const c of resp.choices) restoreParts(st, c.content);
    },
    onStreamEvent(ctx, ev) {
      const st = ctx.state.get(STATE) as DlpState | undefined;
      if (!st) return [ev];
      switch (ev.type) {
        case 'text':
        case 'thinking': {
          const text = restorer(st, `${ev.choice}:${ev.type}:0`, false).push(ev.text);
          return text ? [{ ...ev, text }] : [];
        }
        case 'tool_call_delta': {
          const args = restorer(st, `${ev.choice}:tool:${ev.index}`, true).push(ev.arguments);
          return args ? [{ ...ev, arguments: args }] : [];
        }
        case 'start':
          return [ev];
        default:
          return [...flushChoice(st, 'choice' in ev ? ev.choice : undefined), ev];
      }
    },
    onStreamEnd(ctx) {
      const st = ctx.state.get(STATE) as DlpState | undefined;
      return st ? flushChoice(st, undefined) : [];
    },
  };
}
