import type { Outcome, RequestContext, Stage } from '../core/pipeline.js';
import type { ChatResponse, StreamEvent } from '../core/types.js';
import type { Db } from '../store/sqlite.js';
import { migrate } from '../store/sqlite.js';
import { IntegrityMonitor, type MonitorOptions, type MonitorSnapshot, type UpstreamStatus } from './monitor.js';
import type { Observation } from './observation.js';

/**
 * Passive integrity signals on every response at no extra upstream cost: the gateway stage records
 * what the upstream sent (served model, ids, the raw stream event grammar, timing, usage, whether
 * tools / JSON mode / logprobs were honoured) and feeds the monitor, which keeps rolling statistics
 * per upstream; one request is never a verdict. The monitor's state is persisted so
 * `trustrelay upstreams` can show it, and a failed upstream can be quarantined by routing.
 */

interface Trace {
  events: string[];
  contentTimesMs: number[];
  firstId?: string;
  text: string;
  toolCalls: boolean;
  logprobs: boolean;
  sentAt: number;
}

const STATE = 'integrity';
const MAX_TEXT = 64 * 1024;

function openaiEventName(raw: { data: string }, evs: StreamEvent[]): string {
  if (raw.data === '[DONE]') return 'done';
  if (evs.some((e) => e.type === 'start')) return 'role';
  if (evs.some((e) => e.type === 'finish')) return 'finish';
  if (evs.length && evs.every((e) => e.type === 'usage')) return 'usage';
  return 'delta';
}

export function ensureIntegritySchema(db: Db): void {
  migrate(db, 'integrity', ['CREATE TABLE integrity_state (id INTEGER PRIMARY KEY, snapshot TEXT NOT NULL, updated_at INTEGER NOT NULL)']);
}

/**
 * The gateway's monitor. Usage is verified on every 4th response of an upstream: local counting
 * costs CPU on the request path (CJK text about 12 µs per character), and the sequential
 * inflation test still flags 5% inflation within about 40 responses.
 */
export const GATEWAY_MONITOR_OPTIONS: MonitorOptions = { usageEvery: 4 };

export function loadMonitor(db: Db, opts: MonitorOptions = GATEWAY_MONITOR_OPTIONS): IntegrityMonitor {
  ensureIntegritySchema(db);
  const row = db.prepare('SELECT snapshot FROM integrity_state WHERE id = 1').get() as { snapshot: string } | undefined;
  if (!row) return new IntegrityMonitor(opts);
  try {
    return IntegrityMonitor.restore(JSON.parse(row.snapshot) as MonitorSnapshot, opts);
  } catch {
    return new IntegrityMonitor(opts);
  }
}

export function saveMonitor(db: Db, m: IntegrityMonitor): void {
  ensureIntegritySchema(db);
  db.prepare('INSERT INTO integrity_state (id, snapshot, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at').run(JSON.stringify(m.snapshot()), Date.now());
}

export function statusesFromDb(db: Db): UpstreamStatus[] {
  return loadMonitor(db).statuses();
}

export function integrityStage(monitor: IntegrityMonitor): Stage {
  const observe = (ctx: RequestContext, tr: Trace, resp?: ChatResponse) => {
    const target = ctx.target;
    if (!target) return;
    const family = target.provider.spec.adapter.family;
    if (family === 'gemini') return; // the analyzers know OpenAI and Anthropic wire formats
    const onlyText = ctx.req.messages.every((m) => m.content.every((p) => p.type === 'text'));
    const tc = ctx.req.toolChoice;
    const obs: Observation = {
      protocol: family,
      requestedModel: target.model,
      servedModel: ctx.servedModel || undefined,
      responseId: resp?.id ?? tr.firstId,
      status: 200,
      stream: ctx.req.stream,
      streamEvents: ctx.req.stream ? tr.events : undefined,
      contentChunkTimesMs: ctx.req.stream ? tr.contentTimesMs : undefined,
      ttftMs: tr.contentTimesMs[0],
      totalMs: Date.now() - tr.sentAt,
      usage: ctx.usage ? { promptTokens: ctx.usage.inputTokens, completionTokens: ctx.usage.outputTokens, reasoningTokens: ctx.usage.reasoningTokens } : undefined,
      promptMessages: onlyText && !ctx.req.tools?.length ? ctx.req.messages.map((m) => ({ role: m.role, content: m.content.map((p) => (p.type === 'text' ? p.text : '')).join('') })) : undefined,
      requested: {
        tools: !!ctx.req.tools?.length,
        toolChoiceForced: tc === 'required' || typeof tc === 'object',
        jsonMode: !!ctx.req.responseFormat && ctx.req.responseFormat.type !== 'text',
        logprobs: !!ctx.req.logprobs,
      },
      honoured: { toolCalls: tr.toolCalls, logprobs: tr.logprobs },
      text: tr.text,
    };
    monitor.observe(target.provider.id, obs);
  };
  return {
    name: STATE,
    onRequest(ctx) {
      const tr: Trace = { events: [], contentTimesMs: [], text: '', toolCalls: false, logprobs: false, sentAt: Date.now() };
      ctx.state.set(STATE, tr);
      ctx.trace = (raw, evs) => {
        const family = ctx.target?.provider.spec.adapter.family;
        tr.events.push(family === 'anthropic' ? (raw.event ?? 'message') : openaiEventName(raw, evs));
        for (const e of evs) {
          if (e.type === 'start') tr.firstId ??= e.id;
          else if (e.type === 'text' || e.type === 'tool_call_delta') tr.contentTimesMs.push(Date.now() - tr.sentAt);
          if (e.type === 'text' && tr.text.length < MAX_TEXT) tr.text += e.text;
          else if (e.type === 'tool_call_start') tr.toolCalls = true;
          else if (e.type === 'logprobs') tr.logprobs = true;
        }
      };
    },
    onResponse(ctx, resp) {
      const tr = ctx.state.get(STATE) as Trace | undefined;
      if (!tr) return;
      tr.contentTimesMs.push(Date.now() - tr.sentAt);
      for (const c of resp.choices) {
        for (const p of c.content) {
          if (p.type === 'text' && tr.text.length < MAX_TEXT) tr.text += p.text;
          if (p.type === 'tool_call') tr.toolCalls = true;
        }
        if (c.logprobs) tr.logprobs = true;
      }
      ctx.state.set(`${STATE}.response`, resp);
    },
    onDone(ctx, outcome: Outcome) {
      const tr = ctx.state.get(STATE) as Trace | undefined;
      if (!tr || outcome.status !== 200 || outcome.error || outcome.clientAborted) return;
      observe(ctx, tr, ctx.state.get(`${STATE}.response`) as ChatResponse | undefined);
    },
  };
}
