import type { ChatRequest, ChatResponse, ContentPart, FinishReason, Message, StreamEvent, Usage } from '../core/types.js';
import { signatureIn, signatureOut } from '../protocols/tool-signature.js';
import { isObj, type Obj } from '../protocols/validate.js';
import { genericErrorMessage, joinUrl, type ProviderAdapter, type Target, type UpstreamCall } from './types.js';

/**
 * The OpenAI Chat Completions adapter. It serves OpenAI itself and the whole OpenAI-compatible
 * family (DeepSeek, Qwen, Kimi, GLM, Doubao, SiliconFlow, OpenRouter, Azure, Ollama, vLLM), whose
 * differences are options in src/providers/presets.ts.
 */

export interface OpenAiOptions {
  /** Send max_completion_tokens (OpenAI, Azure) rather than max_tokens (most compatible servers). */
  maxCompletionTokens?: boolean;
  /** Builds the URL of an endpoint; default base_url + path. Azure puts the model in the path. */
  url?: (t: Target, path: '/chat/completions' | '/embeddings') => string;
  auth?: (key: string) => Record<string, string>;
}

function partsOut(parts: ContentPart[]): string | Obj[] {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p as { text: string }).text).join('');
  const out: Obj[] = [];
  for (const p of parts) {
    if (p.type === 'text') out.push({ type: 'text', text: p.text });
    else if (p.type === 'image') {
      const url = p.url ?? `data:${p.mediaType ?? 'image/png'};base64,${p.data ?? ''}`;
      out.push({ type: 'image_url', image_url: p.detail ? { url, detail: p.detail } : { url } });
    }
  }
  return out;
}

function toolResultText(c: string | ContentPart[]): string {
  if (typeof c === 'string') return c;
  return c.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

export function messagesOut(messages: Message[]): Obj[] {
  const out: Obj[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      for (const p of m.content) if (p.type === 'tool_result') out.push({ role: 'tool', tool_call_id: p.toolCallId, content: toolResultText(p.content) });
      continue;
    }
    if (m.role === 'assistant') {
      const text = m.content.filter((p) => p.type === 'text');
      const calls = m.content.filter((p): p is Extract<ContentPart, { type: 'tool_call' }> => p.type === 'tool_call');
      const msg: Obj = { role: 'assistant', content: text.length ? partsOut(text) : null };
      if (calls.length) msg.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments }, ...signatureOut(c.signature) }));
      out.push(msg);
      continue;
    }
    const msg: Obj = { role: m.role, content: partsOut(m.content.filter((p) => p.type === 'text' || p.type === 'image')) };
    if (m.name) msg.name = m.name;
    out.push(msg);
  }
  return out;
}

export function chatBody(req: ChatRequest, t: Target, opts: OpenAiOptions): Obj {
  const body: Obj = { model: t.model, messages: messagesOut(req.messages) };
  if (req.tools?.length)
    body.tools = req.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters ?? { type: 'object', properties: {} }, ...(tool.strict !== undefined ? { strict: tool.strict } : {}) } }));
  if (req.toolChoice !== undefined) body.tool_choice = typeof req.toolChoice === 'object' ? { type: 'function', function: { name: req.toolChoice.name } } : req.toolChoice;
  if (req.parallelToolCalls !== undefined && req.tools?.length) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxTokens !== undefined) body[opts.maxCompletionTokens ? 'max_completion_tokens' : 'max_tokens'] = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.stop?.length) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.n !== undefined) body.n = req.n;
  if (req.responseFormat) {
    const rf = req.responseFormat;
    body.response_format = rf.type === 'json_schema' ? { type: 'json_schema', json_schema: { name: rf.name ?? 'response', schema: rf.schema ?? {}, ...(rf.strict !== undefined ? { strict: rf.strict } : {}) } } : { type: rf.type };
  }
  if (req.logprobs !== undefined) body.logprobs = req.logprobs;
  if (req.topLogprobs !== undefined) body.top_logprobs = req.topLogprobs;
  if (req.reasoningEffort !== undefined) body.reasoning_effort = req.reasoningEffort;
  if (req.user !== undefined) body.user = req.user;
  if (req.extra?.family === 'openai') Object.assign(body, req.extra.fields);
  if (req.stream) {
    body.stream = true;
    // Always ask for usage: metering needs it even when the client did not ask.
    body.stream_options = { include_usage: true };
  }
  return body;
}

export function usageIn(u: unknown): Usage | undefined {
  if (!isObj(u)) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const pd = isObj(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cd = isObj(u.completion_tokens_details) ? u.completion_tokens_details : {};
  const usage: Usage = { inputTokens: n(u.prompt_tokens) ?? 0, outputTokens: n(u.completion_tokens) ?? 0 };
  const cached = n(pd.cached_tokens) ?? n(u.prompt_cache_hit_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = n(cd.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

export function finishIn(r: unknown): FinishReason {
  switch (r) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function parseChat(json: unknown): ChatResponse {
  if (!isObj(json) || !Array.isArray(json.choices)) throw new Error('upstream answered without choices');
  return {
    id: typeof json.id === 'string' ? json.id : 'chatcmpl-unknown',
    model: typeof json.model === 'string' ? json.model : '',
    created: typeof json.created === 'number' ? json.created : Math.floor(Date.now() / 1000),
    systemFingerprint: typeof json.system_fingerprint === 'string' ? json.system_fingerprint : undefined,
    usage: usageIn(json.usage),
    choices: json.choices.map((c: unknown, i: number) => {
      const choice = isObj(c) ? c : {};
      const msg = isObj(choice.message) ? choice.message : {};
      const content: ContentPart[] = [];
      if (typeof msg.reasoning_content === 'string' && msg.reasoning_content) content.push({ type: 'thinking', text: msg.reasoning_content });
      if (typeof msg.content === 'string') content.push({ type: 'text', text: msg.content });
      if (Array.isArray(msg.tool_calls))
        for (const tc of msg.tool_calls) {
          if (!isObj(tc) || !isObj(tc.function)) continue;
          const args = tc.function.arguments;
          const signature = signatureIn(tc);
          content.push({ type: 'tool_call', id: String(tc.id ?? ''), name: String(tc.function.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}), ...(signature ? { signature } : {}) });
        }
      return { index: typeof choice.index === 'number' ? choice.index : i, content, finishReason: finishIn(choice.finish_reason), logprobs: choice.logprobs ?? undefined };
    }),
  };
}

/** Translates OpenAI chat.completion.chunk events into canonical stream events. */
export function openaiStreamParser() {
  let started = false;
  const toolsSeen = new Set<string>();
  return (ev: { data: string }): StreamEvent[] => {
    if (ev.data === '[DONE]' || ev.data === '') return [];
    const chunk = JSON.parse(ev.data) as unknown;
    if (!isObj(chunk)) return [];
    if (isObj(chunk.error)) throw Object.assign(new Error(String(chunk.error.message ?? 'upstream stream error')), { upstreamStreamError: true });
    const out: StreamEvent[] = [];
    if (!started) {
      started = true;
      out.push({ type: 'start', id: typeof chunk.id === 'string' ? chunk.id : 'chatcmpl-unknown', model: typeof chunk.model === 'string' ? chunk.model : '', created: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000) });
    }
    if (Array.isArray(chunk.choices))
      for (const c of chunk.choices) {
        if (!isObj(c)) continue;
        const choice = typeof c.index === 'number' ? c.index : 0;
        const d = isObj(c.delta) ? c.delta : {};
        if (typeof d.reasoning_content === 'string' && d.reasoning_content) out.push({ type: 'thinking', choice, text: d.reasoning_content });
        if (typeof d.content === 'string' && d.content) out.push({ type: 'text', choice, text: d.content });
        if (Array.isArray(d.tool_calls))
          for (const tc of d.tool_calls) {
            if (!isObj(tc)) continue;
            const index = typeof tc.index === 'number' ? tc.index : 0;
            const fn = isObj(tc.function) ? tc.function : {};
            const key = `${choice}:${index}`;
            if (!toolsSeen.has(key) && (typeof tc.id === 'string' || typeof fn.name === 'string')) {
              toolsSeen.add(key);
              const signature = signatureIn(tc);
              out.push({ type: 'tool_call_start', choice, index, id: String(tc.id ?? `call_${index}`), name: String(fn.name ?? ''), ...(signature ? { signature } : {}) });
            }
            if (typeof fn.arguments === 'string' && fn.arguments) out.push({ type: 'tool_call_delta', choice, index, arguments: fn.arguments });
          }
        if (c.logprobs) out.push({ type: 'logprobs', choice, logprobs: c.logprobs });
        if (typeof c.finish_reason === 'string' && c.finish_reason) out.push({ type: 'finish', choice, reason: finishIn(c.finish_reason) });
      }
    const usage = usageIn(chunk.usage);
    if (usage) out.push({ type: 'usage', usage });
    return out;
  };
}

export function openaiAdapter(opts: OpenAiOptions = {}): ProviderAdapter {
  const url = opts.url ?? ((t: Target, path: string) => joinUrl(t.baseUrl, path));
  const auth = opts.auth ?? ((key: string): Record<string, string> => ({ authorization: `Bearer ${key}` }));
  const headers = (t: Target): Record<string, string> => ({ 'content-type': 'application/json', ...(t.apiKey ? auth(t.apiKey) : {}), ...((t.options.headers as Record<string, string>) ?? {}) });
  return {
    family: 'openai',
    chat: (req, t): UpstreamCall => ({ url: url(t, '/chat/completions'), headers: headers(t), body: JSON.stringify(chatBody(req, t, opts)) }),
    parseChat,
    streamParser: openaiStreamParser,
    errorMessage: genericErrorMessage,
    embeddings: (req, t) => {
      const body: Obj = { model: t.model, input: req.single ? req.input[0] : req.input };
      if (req.dimensions !== undefined) body.dimensions = req.dimensions;
      if (req.encodingFormat) body.encoding_format = req.encodingFormat;
      if (req.user) body.user = req.user;
      return { url: url(t, '/embeddings'), headers: headers(t), body: JSON.stringify(body) };
    },
    parseEmbeddings: (json) => {
      if (!isObj(json) || !Array.isArray(json.data)) throw new Error('upstream embeddings answer has no data');
      const data = json.data.map((d) => (isObj(d) ? d.embedding : undefined)) as number[][] | string[];
      const u = isObj(json.usage) ? json.usage : {};
      return { model: typeof json.model === 'string' ? json.model : '', data, usage: { inputTokens: typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0 } };
    },
  };
}
