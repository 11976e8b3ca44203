import type { ChatRequest, ChatResponse, ContentPart, FinishReason, StreamEvent, Usage } from '../core/types.js';
import { GatewayError } from '../core/errors.js';
import { isObj, type Obj } from '../protocols/validate.js';
import { genericErrorMessage, joinUrl, type ProviderAdapter, type Target } from './types.js';

/** The Anthropic Messages adapter (api.anthropic.com and Messages-compatible servers). */

const VERSION = '2023-06-01';
const DEFAULT_MAX_TOKENS = 4096;

function endpoint(t: Target, path: string): string {
  const base = t.baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? joinUrl(base, path) : joinUrl(base, `/v1${path}`);
}

function blockOut(p: ContentPart): Obj | undefined {
  const b = blockShape(p);
  if (b && 'cache' in p && p.cache) b.cache_control = p.cache;
  return b;
}

function blockShape(p: ContentPart): Obj | undefined {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text };
    case 'image':
      return p.data ? { type: 'image', source: { type: 'base64', media_type: p.mediaType ?? 'image/png', data: p.data } } : { type: 'image', source: { type: 'url', url: p.url } };
    case 'tool_call': {
      let input: unknown = {};
      try {
        input = p.arguments ? JSON.parse(p.arguments) : {};
      } catch {
        input = {};
      }
      return { type: 'tool_use', id: p.id, name: p.name, input };
    }
    case 'tool_result':
      return { type: 'tool_result', tool_use_id: p.toolCallId, content: typeof p.content === 'string' ? p.content : p.content.map(blockOut).filter(Boolean), ...(p.isError ? { is_error: true } : {}) };
    case 'thinking':
      // Thinking without a signature came from another vendor; Anthropic would reject it.
      return p.signature ? { type: 'thinking', thinking: p.text, signature: p.signature } : undefined;
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: p.data };
  }
}

export function anthropicBody(req: ChatRequest, t: Target): Obj {
  if (req.n !== undefined && req.n > 1) throw new GatewayError('invalid_request', `n=${req.n} is not supported by provider ${t.providerId} (Anthropic returns one answer)`, { param: 'n' });
  const system: Obj[] = [];
  const messages: { role: string; content: Obj[] }[] = [];
  for (const m of req.messages) {
    if (m.role === 'system') {
      for (const p of m.content) if (p.type === 'text') system.push(blockOut(p)!);
      continue;
    }
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = m.content.map(blockOut).filter((b): b is Obj => b !== undefined);
    const last = messages[messages.length - 1];
    // Anthropic wants alternating roles: tool results and user text of one turn share a message.
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  const rf = req.responseFormat;
  if (rf && rf.type !== 'text')
    system.push({ type: 'text', text: rf.type === 'json_schema' ? `Answer with a single JSON value that matches this JSON Schema, and nothing else:\n${JSON.stringify(rf.schema ?? {})}` : 'Answer with a single valid JSON object and nothing else.' });
  const body: Obj = { model: t.model, max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS, messages };
  // A plain string unless a block carries a cache hint, which needs the block form.
  if (system.length) body.system = system.some((b) => b.cache_control) ? system : system.map((b) => b.text).join('\n\n');
  if (req.temperature !== undefined) body.temperature = Math.min(1, req.temperature);
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stop?.length) body.stop_sequences = req.stop;
  if (req.tools?.length)
    body.tools = req.tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters ?? { type: 'object', properties: {} }, ...(tool.cache ? { cache_control: tool.cache } : {}) }));
  if (req.toolChoice !== undefined && req.tools?.length) {
    const tc = req.toolChoice;
    const choice: Obj = tc === 'auto' ? { type: 'auto' } : tc === 'none' ? { type: 'none' } : tc === 'required' ? { type: 'any' } : { type: 'tool', name: tc.name };
    if (req.parallelToolCalls === false && tc !== 'none') choice.disable_parallel_tool_use = true;
    body.tool_choice = choice;
  } else if (req.parallelToolCalls === false && req.tools?.length) body.tool_choice = { type: 'auto', disable_parallel_tool_use: true };
  if (req.thinking) body.thinking = { type: 'enabled', budget_tokens: req.thinking.budgetTokens };
  if (req.user) body.metadata = { user_id: req.user };
  if (req.extra?.family === 'anthropic') Object.assign(body, req.extra.fields);
  if (req.stream) body.stream = true;
  return body;
}

function stopIn(r: unknown): FinishReason {
  switch (r) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function usageIn(u: unknown): Usage | undefined {
  if (!isObj(u)) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const read = n(u.cache_read_input_tokens);
  const created = n(u.cache_creation_input_tokens);
  const usage: Usage = { inputTokens: n(u.input_tokens) + read + created, outputTokens: n(u.output_tokens) };
  if (isObj(u) && u.cache_read_input_tokens !== undefined) usage.cachedInputTokens = read;
  if (u.cache_creation_input_tokens !== undefined) usage.cacheCreationTokens = created;
  return usage;
}

function blocksIn(list: unknown): ContentPart[] {
  const out: ContentPart[] = [];
  if (!Array.isArray(list)) return out;
  for (const b of list) {
    if (!isObj(b)) continue;
    if (b.type === 'text' && typeof b.text === 'string') out.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use') out.push({ type: 'tool_call', id: String(b.id ?? ''), name: String(b.name ?? ''), arguments: JSON.stringify(b.input ?? {}) });
    else if (b.type === 'thinking') out.push({ type: 'thinking', text: String(b.thinking ?? ''), signature: typeof b.signature === 'string' ? b.signature : undefined });
    else if (b.type === 'redacted_thinking') out.push({ type: 'redacted_thinking', data: String(b.data ?? '') });
  }
  return out;
}

function parseChat(json: unknown): ChatResponse {
  if (!isObj(json) || !Array.isArray(json.content)) throw new Error('upstream answered without content');
  return {
    id: typeof json.id === 'string' ? json.id : 'msg_unknown',
    model: typeof json.model === 'string' ? json.model : '',
    created: Math.floor(Date.now() / 1000),
    usage: usageIn(json.usage),
    choices: [{ index: 0, content: blocksIn(json.content), finishReason: stopIn(json.stop_reason) }],
  };
}

function streamParser() {
  let input: Usage | undefined;
  let toolIndex = -1;
  const blockKind = new Map<number, string>();
  return (ev: { event?: string; data: string }): StreamEvent[] => {
    if (!ev.data) return [];
    const e = JSON.parse(ev.data) as unknown;
    if (!isObj(e)) return [];
    switch (e.type) {
      case 'message_start': {
        const m = isObj(e.message) ? e.message : {};
        input = usageIn(m.usage);
        return [{ type: 'start', id: String(m.id ?? 'msg_unknown'), model: String(m.model ?? ''), created: Math.floor(Date.now() / 1000), ...(input ? { usage: input } : {}) }];
      }
      case 'content_block_start': {
        const b = isObj(e.content_block) ? e.content_block : {};
        const idx = typeof e.index === 'number' ? e.index : 0;
        blockKind.set(idx, String(b.type));
        if (b.type === 'tool_use') return [{ type: 'tool_call_start', choice: 0, index: ++toolIndex, id: String(b.id ?? ''), name: String(b.name ?? '') }];
        if (b.type === 'text' && typeof b.text === 'string' && b.text) return [{ type: 'text', choice: 0, text: b.text }];
        if (b.type === 'redacted_thinking') return [{ type: 'redacted_thinking', choice: 0, data: String(b.data ?? '') }];
        return [];
      }
      case 'content_block_delta': {
        const d = isObj(e.delta) ? e.delta : {};
        if (d.type === 'text_delta') return [{ type: 'text', choice: 0, text: String(d.text ?? '') }];
        if (d.type === 'input_json_delta') return d.partial_json ? [{ type: 'tool_call_delta', choice: 0, index: toolIndex, arguments: String(d.partial_json) }] : [];
        if (d.type === 'thinking_delta') return [{ type: 'thinking', choice: 0, text: String(d.thinking ?? '') }];
        if (d.type === 'signature_delta') return [{ type: 'thinking_signature', choice: 0, signature: String(d.signature ?? '') }];
        return [];
      }
      case 'message_delta': {
        const d = isObj(e.delta) ? e.delta : {};
        const out: StreamEvent[] = [];
        if (d.stop_reason) out.push({ type: 'finish', choice: 0, reason: stopIn(d.stop_reason) });
        const u = isObj(e.usage) ? e.usage : {};
        const delta = usageIn({ ...u, input_tokens: u.input_tokens ?? 0 });
        const usage: Usage = { ...(input ?? { inputTokens: 0, outputTokens: 0 }), outputTokens: delta?.outputTokens ?? 0 };
        if (typeof u.input_tokens === 'number' && u.input_tokens > 0 && delta) {
          usage.inputTokens = delta.inputTokens;
          if (delta.cachedInputTokens !== undefined) usage.cachedInputTokens = delta.cachedInputTokens;
        }
        out.push({ type: 'usage', usage });
        return out;
      }
      case 'error': {
        const err = isObj(e.error) ? e.error : {};
        throw Object.assign(new Error(String(err.message ?? 'upstream stream error')), { upstreamStreamError: true });
      }
      default:
        return [];
    }
  };
}

const headers = (t: Target, req?: ChatRequest): Record<string, string> => ({
  'content-type': 'application/json',
  'anthropic-version': String(t.options.anthropic_version ?? VERSION),
  ...(req?.upstreamHeaders?.family === 'anthropic' ? req.upstreamHeaders.headers : {}),
  ...(t.apiKey ? { 'x-api-key': t.apiKey } : {}),
  ...((t.options.headers as Record<string, string>) ?? {}),
});

export const anthropicAdapter: ProviderAdapter = {
  family: 'anthropic',
  chat: (req, t) => ({ url: endpoint(t, '/messages'), headers: headers(t, req), body: JSON.stringify(anthropicBody(req, t)) }),
  parseChat,
  streamParser,
  errorMessage: genericErrorMessage,
  countTokens: (body, t) => ({ url: endpoint(t, '/messages/count_tokens'), headers: headers(t), body: JSON.stringify({ ...body, model: t.model }) }),
};
