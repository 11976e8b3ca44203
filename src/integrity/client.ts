/**
 * Minimal HTTP client for OpenAI chat completions and Anthropic messages (JSON and SSE), recording
 * everything the integrity checks need: text, tool calls, usage, logprobs, ids, stream event grammar
 * and chunk timing. Uses global fetch (undici); sends nothing but the probe it is given.
 */
import { Secret } from '../util/secret.js';
import { scrubSecrets } from '../util/scrub.js';
import type { Observation, Protocol } from './observation.js';
import type { Probe } from './probes.js';

export interface Endpoint {
  baseUrl: string;
  /** Prints as [redacted]; a plain string is accepted for tests and scripts. */
  apiKey: Secret | string;
  model: string;
  protocol: Protocol;
}

export interface CallOptions {
  stream?: boolean;
  /** Force a call of the probe's tool. */
  forceTool?: boolean;
  jsonMode?: boolean;
  /** Ask for logprobs with this many top alternatives (OpenAI only). */
  topLogprobs?: number;
  timeoutMs?: number;
}

export interface CallResult {
  status: number;
  error?: string;
  text: string;
  toolCalls: { name: string; arguments: string }[];
  usage?: { promptTokens?: number; completionTokens?: number; reasoningTokens?: number };
  servedModel?: string;
  responseId?: string;
  objectType?: string;
  /** Top logprobs of each generated token, when returned. */
  logprobs?: Record<string, number>[];
  streamEvents?: string[];
  contentChunkTimesMs?: number[];
  ttftMs?: number;
  totalMs: number;
}

export function endpointUrl(ep: Endpoint): string {
  const base = ep.baseUrl.replace(/\/+$/, '');
  const hasVersion = /\/v\d+[a-z]*$/.test(base);
  if (ep.protocol === 'openai') return `${base}${hasVersion ? '' : '/v1'}/chat/completions`;
  return `${base}${hasVersion ? '' : '/v1'}/messages`;
}

function buildBody(ep: Endpoint, probe: Probe, o: CallOptions): Record<string, unknown> {
  if (ep.protocol === 'openai') {
    const body: Record<string, unknown> = { model: ep.model, messages: probe.messages, max_tokens: probe.maxTokens };
    if (probe.temperature !== undefined) body.temperature = probe.temperature;
    if (o.stream) body.stream = true;
    if (o.stream) body.stream_options = { include_usage: true };
    if (probe.tool) {
      body.tools = [{ type: 'function', function: { name: probe.tool.name, description: probe.tool.description, parameters: probe.tool.parameters } }];
      if (o.forceTool) body.tool_choice = { type: 'function', function: { name: probe.tool.name } };
    }
    if (o.jsonMode) body.response_format = { type: 'json_object' };
    if (o.topLogprobs !== undefined) {
      body.logprobs = true;
      body.top_logprobs = o.topLogprobs;
    }
    return body;
  }
  const system = probe.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  const body: Record<string, unknown> = { model: ep.model, max_tokens: probe.maxTokens, messages: probe.messages.filter((m) => m.role !== 'system') };
  if (system) body.system = system;
  if (probe.temperature !== undefined) body.temperature = probe.temperature;
  if (o.stream) body.stream = true;
  if (probe.tool) {
    body.tools = [{ name: probe.tool.name, description: probe.tool.description, input_schema: probe.tool.parameters }];
    if (o.forceTool) body.tool_choice = { type: 'tool', name: probe.tool.name };
  }
  return body;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function openaiUsage(u: Json): NonNullable<CallResult['usage']> {
  return { promptTokens: num(u.prompt_tokens), completionTokens: num(u.completion_tokens), reasoningTokens: num(obj(u.completion_tokens_details).reasoning_tokens) };
}

function openaiLogprobs(choice: Json): Record<string, number>[] | undefined {
  const content = obj(choice.logprobs).content;
  if (!Array.isArray(content)) return undefined;
  return content.map((t) => {
    const top: Record<string, number> = {};
    for (const alt of (obj(t).top_logprobs as unknown[]) ?? []) {
      const a = obj(alt);
      if (typeof a.token === 'string' && typeof a.logprob === 'number') top[a.token] = a.logprob;
    }
    if (!Object.keys(top).length && typeof obj(t).token === 'string') top[obj(t).token as string] = num(obj(t).logprob) ?? 0;
    return top;
  });
}

/** Sends one probe and records the response. Never throws for HTTP or protocol errors. */
export async function callProbe(ep: Endpoint, probe: Probe, o: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = ep.apiKey instanceof Secret ? ep.apiKey.reveal() : ep.apiKey;
  if (ep.protocol === 'openai') headers.authorization = `Bearer ${key}`;
  else {
    headers['x-api-key'] = key;
    headers['anthropic-version'] = '2023-06-01';
  }
  const started = performance.now();
  const since = () => performance.now() - started;
  const result: CallResult = { status: 0, text: '', toolCalls: [], totalMs: 0 };
  try {
    const res = await fetch(endpointUrl(ep), { method: 'POST', headers, body: JSON.stringify(buildBody(ep, probe, o)), signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) });
    result.status = res.status;
    if (!res.ok) {
      result.error = scrubSecrets((await res.text()).slice(0, 300), [key]);
      result.totalMs = since();
      return result;
    }
    if (o.stream && (res.headers.get('content-type') ?? '').includes('text/event-stream') && res.body) {
      await readStream(ep.protocol, res.body, result, since);
    } else {
      const body = obj(await res.json());
      if (o.stream) result.streamEvents = ['not-a-stream'];
      parseJson(ep.protocol, body, result);
      result.ttftMs = since();
    }
  } catch (err) {
    result.error = scrubSecrets((err as Error).message, [key]);
  }
  result.totalMs = since();
  return result;
}

function parseJson(protocol: Protocol, body: Json, r: CallResult): void {
  r.responseId = str(body.id);
  r.servedModel = str(body.model);
  if (protocol === 'openai') {
    r.objectType = str(body.object);
    const choice = obj((body.choices as unknown[])?.[0]);
    const msg = obj(choice.message);
    r.text = str(msg.content) ?? '';
    for (const tc of (msg.tool_calls as unknown[]) ?? []) r.toolCalls.push({ name: str(obj(obj(tc).function).name) ?? '', arguments: str(obj(obj(tc).function).arguments) ?? '' });
    r.logprobs = openaiLogprobs(choice);
    if (body.usage) r.usage = openaiUsage(obj(body.usage));
  } else {
    r.objectType = str(body.type);
    for (const block of (body.content as unknown[]) ?? []) {
      const b = obj(block);
      if (b.type === 'text') r.text += str(b.text) ?? '';
      if (b.type === 'tool_use') r.toolCalls.push({ name: str(b.name) ?? '', arguments: JSON.stringify(b.input ?? {}) });
    }
    const u = obj(body.usage);
    if (body.usage) r.usage = { promptTokens: num(u.input_tokens), completionTokens: num(u.output_tokens) };
  }
}

async function readStream(protocol: Protocol, body: ReadableStream<Uint8Array>, r: CallResult, since: () => number): Promise<void> {
  const events: string[] = [];
  const times: number[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  const tools = new Map<number, { name: string; arguments: string }>();
  const lps: Record<string, number>[] = [];
  const handle = (event: string | undefined, data: string) => {
    if (protocol === 'openai') {
      if (data.trim() === '[DONE]') return events.push('done');
      let chunk: Json;
      try {
        chunk = obj(JSON.parse(data));
      } catch {
        return events.push('invalid');
      }
      r.responseId ??= str(chunk.id);
      r.servedModel ??= str(chunk.model);
      r.objectType ??= str(chunk.object);
      const choice = obj((chunk.choices as unknown[])?.[0]);
      const delta = obj(choice.delta);
      let kind: string | undefined;
      if (delta.role) kind = 'role';
      const content = str(delta.content);
      if (content || delta.tool_calls) {
        if (content) r.text += content;
        for (const tc of (delta.tool_calls as unknown[]) ?? []) {
          const t = obj(tc);
          const idx = num(t.index) ?? 0;
          const cur = tools.get(idx) ?? { name: '', arguments: '' };
          cur.name += str(obj(t.function).name) ?? '';
          cur.arguments += str(obj(t.function).arguments) ?? '';
          tools.set(idx, cur);
        }
        times.push(since());
        if (kind === 'role') events.push('role');
        kind = 'delta';
      }
      const lp = openaiLogprobs(choice);
      if (lp) lps.push(...lp);
      if (choice.finish_reason) {
        if (kind) events.push(kind);
        kind = 'finish';
      }
      if (chunk.usage) {
        r.usage = openaiUsage(obj(chunk.usage));
        if (!kind) kind = 'usage';
      }
      if (kind) events.push(kind);
      return;
    }
    const name = event ?? 'message';
    events.push(name);
    let ev: Json;
    try {
      ev = obj(JSON.parse(data));
    } catch {
      return;
    }
    if (name === 'message_start') {
      const m = obj(ev.message);
      r.responseId = str(m.id);
      r.servedModel = str(m.model);
      r.objectType = str(m.type);
      r.usage = { promptTokens: num(obj(m.usage).input_tokens), completionTokens: num(obj(m.usage).output_tokens) };
    } else if (name === 'content_block_start') {
      const b = obj(ev.content_block);
      if (b.type === 'tool_use') tools.set(num(ev.index) ?? 0, { name: str(b.name) ?? '', arguments: '' });
    } else if (name === 'content_block_delta') {
      const d = obj(ev.delta);
      if (d.type === 'text_delta') r.text += str(d.text) ?? '';
      if (d.type === 'input_json_delta') {
        const t = tools.get(num(ev.index) ?? 0);
        if (t) t.arguments += str(d.partial_json) ?? '';
      }
      times.push(since());
    } else if (name === 'message_delta') {
      const u = obj(ev.usage);
      r.usage = { ...r.usage, completionTokens: num(u.output_tokens) ?? r.usage?.completionTokens };
    }
  };
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let idx: number;
    while ((idx = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) handle(event, data.join('\n'));
    }
  }
  r.toolCalls.push(...tools.values());
  if (lps.length) r.logprobs = lps;
  r.streamEvents = events;
  r.contentChunkTimesMs = times;
  r.ttftMs = times[0];
}

/** Turns a probe and its result into the observation record the passive analyzers take. */
export function toObservation(ep: Endpoint, probe: Probe, o: CallOptions, r: CallResult): Observation {
  return {
    protocol: ep.protocol,
    requestedModel: ep.model,
    servedModel: r.servedModel,
    responseId: r.responseId,
    objectType: r.objectType,
    status: r.status,
    stream: o.stream === true,
    streamEvents: r.streamEvents,
    contentChunkTimesMs: r.contentChunkTimesMs,
    ttftMs: r.ttftMs,
    totalMs: r.totalMs,
    usage: r.usage,
    promptMessages: probe.tool ? undefined : probe.messages,
    requested: { tools: probe.tool !== undefined, toolChoiceForced: probe.tool !== undefined && o.forceTool === true, jsonMode: o.jsonMode, logprobs: o.topLogprobs !== undefined },
    honoured: { toolCalls: r.toolCalls.length > 0, logprobs: r.logprobs !== undefined && r.logprobs.length > 0 },
    text: r.text,
  };
}
