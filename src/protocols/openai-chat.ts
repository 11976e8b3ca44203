import { type GatewayError, invalid } from '../core/errors.js';
import type { ChatRequest, ChatResponse, ContentPart, FinishReason, Message, StreamEvent, ToolChoice, ToolDef, Usage } from '../core/types.js';
import { sseFrame } from '../util/sse.js';
import type { ClientProtocol, StreamRenderer } from './types.js';
import { signatureIn, signatureOut } from './tool-signature.js';
import { arr, bool, int, isObj, num, obj, requireObj, requireStr, rest, str, strList, type Obj } from './validate.js';

/** OpenAI Chat Completions (`POST /v1/chat/completions`), inbound. */

const KNOWN = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_tokens', 'max_completion_tokens', 'temperature',
  'top_p', 'stop', 'seed', 'n', 'response_format', 'logprobs', 'top_logprobs', 'stream', 'stream_options', 'user', 'metadata',
  'reasoning_effort', 'functions', 'function_call',
]);

export function parseContent(v: unknown, param: string): ContentPart[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  if (!Array.isArray(v)) throw invalid(`${param} must be a string or an array of content parts`, param);
  return v.map((p, i) => {
    const part = requireObj(p, `${param}[${i}]`);
    const type = requireStr(part, 'type', `${param}[${i}].type`);
    if (type === 'text' || type === 'input_text' || type === 'output_text') return { type: 'text', text: requireStrAllowEmpty(part, 'text', `${param}[${i}].text`) };
    if (type === 'image_url') {
      const img = part.image_url;
      const url = typeof img === 'string' ? img : isObj(img) ? requireStr(img, 'url', `${param}[${i}].image_url.url`) : undefined;
      if (!url) throw invalid(`${param}[${i}].image_url must be an object with a url`, `${param}[${i}].image_url`);
      return imagePart(url, isObj(img) ? str(img, 'detail') : undefined);
    }
    if (type === 'refusal') return { type: 'text', text: requireStrAllowEmpty(part, 'refusal', `${param}[${i}].refusal`) };
    throw invalid(`${param}[${i}].type "${type}" is not supported; use text or image_url`, `${param}[${i}].type`);
  });
}

function requireStrAllowEmpty(o: Obj, key: string, param: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw invalid(`${param} must be a string`, param);
  return v;
}

/** data: URLs become inline images so every provider can take them; other URLs pass by reference. */
export function imagePart(url: string, detail?: string): ContentPart {
  const m = /^data:([a-z0-9.+/-]{1,100});base64,/i.exec(url);
  if (m) return { type: 'image', data: url.slice(m[0].length), mediaType: m[1], detail };
  return { type: 'image', url, detail };
}

function parseMessage(m: unknown, i: number): Message {
  const p = `messages[${i}]`;
  const msg = requireObj(m, p);
  const role = requireStr(msg, 'role', `${p}.role`);
  const name = str(msg, 'name', `${p}.name`);
  switch (role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: parseContent(msg.content, `${p}.content`) };
    case 'user':
      return { role: 'user', content: parseContent(msg.content, `${p}.content`), name };
    case 'assistant': {
      const content = parseContent(msg.content, `${p}.content`);
      const rc = msg.reasoning_content;
      if (typeof rc === 'string' && rc) content.unshift({ type: 'thinking', text: rc });
      for (const [j, tc] of (arr(msg, 'tool_calls', `${p}.tool_calls`) ?? []).entries()) {
        const call = requireObj(tc, `${p}.tool_calls[${j}]`);
        const fn = requireObj(call.function, `${p}.tool_calls[${j}].function`);
        const args = fn.arguments;
        const signature = signatureIn(call);
        content.push({
          type: 'tool_call',
          id: requireStr(call, 'id', `${p}.tool_calls[${j}].id`),
          name: requireStr(fn, 'name', `${p}.tool_calls[${j}].function.name`),
          arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
          ...(signature ? { signature } : {}),
        });
      }
      return { role: 'assistant', content, name };
    }
    case 'tool': {
      const id = requireStr(msg, 'tool_call_id', `${p}.tool_call_id`);
      const c = parseContent(msg.content, `${p}.content`);
      return { role: 'tool', content: [{ type: 'tool_result', toolCallId: id, content: c }] };
    }
    default:
      throw invalid(`${p}.role must be one of system, developer, user, assistant, tool; got "${role}"`, `${p}.role`);
  }
}

function parseTools(body: Obj): ToolDef[] | undefined {
  const tools = arr(body, 'tools');
  if (!tools) return undefined;
  return tools.map((t, i) => {
    const tool = requireObj(t, `tools[${i}]`);
    if (tool.type !== 'function') throw invalid(`tools[${i}].type must be "function"`, `tools[${i}].type`);
    const fn = requireObj(tool.function, `tools[${i}].function`);
    return {
      name: requireStr(fn, 'name', `tools[${i}].function.name`),
      description: str(fn, 'description', `tools[${i}].function.description`),
      parameters: obj(fn, 'parameters', `tools[${i}].function.parameters`),
      strict: bool(fn, 'strict', `tools[${i}].function.strict`),
    };
  });
}

function parseToolChoice(v: unknown): ToolChoice | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  if (isObj(v) && isObj(v.function) && typeof v.function.name === 'string') return { name: v.function.name };
  throw invalid('tool_choice must be "auto", "none", "required" or {"type":"function","function":{"name":...}}', 'tool_choice');
}

function parse(raw: unknown): ChatRequest {
  const body = requireObj(raw, 'body');
  const model = requireStr(body, 'model');
  const messages = arr(body, 'messages');
  if (!messages || messages.length === 0) throw invalid('messages is required and must be a non-empty array', 'messages');
  // Dropping them would silently answer without the client's tools; their answer shape (function_call) differs too.
  if (body.functions != null || body.function_call != null)
    throw invalid('functions and function_call are the deprecated form of tools and tool_choice, which TrustRelay supports; send tools instead', body.functions != null ? 'functions' : 'function_call');
  const rf = obj(body, 'response_format');
  let responseFormat: ChatRequest['responseFormat'];
  if (rf) {
    const type = requireStr(rf, 'type', 'response_format.type');
    if (type === 'json_schema') {
      const js = requireObj(rf.json_schema, 'response_format.json_schema');
      responseFormat = { type, name: str(js, 'name', 'response_format.json_schema.name'), schema: obj(js, 'schema', 'response_format.json_schema.schema'), strict: bool(js, 'strict') };
    } else if (type === 'json_object' || type === 'text') responseFormat = { type };
    else throw invalid('response_format.type must be text, json_object or json_schema', 'response_format.type');
  }
  const so = obj(body, 'stream_options');
  const stream = bool(body, 'stream') ?? false;
  const fields = rest(body, KNOWN);
  return {
    model,
    messages: messages.map(parseMessage),
    tools: parseTools(body),
    toolChoice: parseToolChoice(body.tool_choice),
    parallelToolCalls: bool(body, 'parallel_tool_calls'),
    maxTokens: int(body, 'max_completion_tokens', 'max_completion_tokens', 1) ?? int(body, 'max_tokens', 'max_tokens', 1),
    temperature: num(body, 'temperature', 'temperature', 0, 2),
    topP: num(body, 'top_p', 'top_p', 0, 1),
    stop: strList(body, 'stop'),
    seed: int(body, 'seed', 'seed', Number.MIN_SAFE_INTEGER),
    n: int(body, 'n', 'n', 1, 128),
    responseFormat,
    logprobs: bool(body, 'logprobs'),
    topLogprobs: int(body, 'top_logprobs', 'top_logprobs', 0, 20),
    stream,
    includeUsage: stream && so ? bool(so, 'include_usage', 'stream_options.include_usage') : undefined,
    user: str(body, 'user'),
    metadata: obj(body, 'metadata'),
    reasoningEffort: str(body, 'reasoning_effort'),
    extra: Object.keys(fields).length ? { family: 'openai', fields } : undefined,
  };
}

export function finishReasonOut(r: FinishReason): string {
  return r === 'error' ? 'stop' : r;
}

export function usageOut(u: Usage): Obj {
  const out: Obj = { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens };
  if (u.cachedInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  if (u.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: u.reasoningTokens };
  return out;
}

function messageOut(content: ContentPart[]): Obj {
  let text = '';
  let hasText = false;
  let reasoning = '';
  const toolCalls: Obj[] = [];
  for (const p of content) {
    if (p.type === 'text') {
      text += p.text;
      hasText = true;
    } else if (p.type === 'thinking') reasoning += p.text;
    else if (p.type === 'tool_call') toolCalls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments }, ...signatureOut(p.signature) });
  }
  const msg: Obj = { role: 'assistant', content: hasText || toolCalls.length === 0 ? text : null, refusal: null };
  if (reasoning) msg.reasoning_content = reasoning;
  if (toolCalls.length) msg.tool_calls = toolCalls;
  return msg;
}

function render(resp: ChatResponse): unknown {
  const out: Obj = {
    id: resp.id,
    object: 'chat.completion',
    created: resp.created,
    model: resp.model,
    choices: resp.choices.map((c) => ({ index: c.index, message: messageOut(c.content), logprobs: c.logprobs ?? null, finish_reason: finishReasonOut(c.finishReason) })),
  };
  if (resp.usage) out.usage = usageOut(resp.usage);
  if (resp.systemFingerprint) out.system_fingerprint = resp.systemFingerprint;
  return out;
}

function stream(req: ChatRequest): StreamRenderer {
  let id = 'chatcmpl-trustrelay';
  let model = req.model;
  let created = Math.floor(Date.now() / 1000);
  const started = new Set<number>();
  let usage: Usage | undefined;
  const chunk = (choice: Obj | null): string => {
    const c: Obj = { id, object: 'chat.completion.chunk', created, model, choices: choice ? [choice] : [] };
    return sseFrame(JSON.stringify(c));
  };
  const delta = (index: number, d: Obj): Obj => {
    if (!started.has(index)) {
      started.add(index);
      d = { role: 'assistant', ...d };
    }
    return { index, delta: d, logprobs: null, finish_reason: null };
  };
  return {
    event(ev: StreamEvent): string {
      switch (ev.type) {
        case 'start':
          id = ev.id;
          model = ev.model;
          created = ev.created;
          return chunk(delta(0, { content: '' }));
        case 'text':
          return chunk(delta(ev.choice, { content: ev.text }));
        case 'thinking':
          return chunk(delta(ev.choice, { reasoning_content: ev.text }));
        case 'tool_call_start':
          return chunk(delta(ev.choice, { tool_calls: [{ index: ev.index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' }, ...signatureOut(ev.signature) }] }));
        case 'tool_call_delta':
          return chunk(delta(ev.choice, { tool_calls: [{ index: ev.index, function: { arguments: ev.arguments } }] }));
        case 'logprobs':
          return chunk({ ...delta(ev.choice, {}), logprobs: ev.logprobs });
        case 'finish':
          return chunk({ index: ev.choice, delta: {}, logprobs: null, finish_reason: finishReasonOut(ev.reason) });
        case 'usage':
          usage = ev.usage;
          return '';
        default:
          return '';
      }
    },
    end(): string {
      const tail = req.includeUsage && usage ? sseFrame(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageOut(usage) })) : '';
      return tail + 'data: [DONE]\n\n';
    },
    error(err: GatewayError): string {
      return sseFrame(JSON.stringify(errorBody(err)));
    },
  };
}

const OPENAI_TYPES: Record<string, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  upstream: 'upstream_error',
  timeout: 'timeout_error',
  unavailable: 'service_unavailable',
  internal: 'server_error',
};

export function errorBody(err: GatewayError): Obj {
  return { error: { message: err.message, type: OPENAI_TYPES[err.kind] ?? 'server_error', param: err.param ?? null, code: err.code ?? null } };
}

export const openaiChat: ClientProtocol = {
  family: 'openai',
  parse,
  render,
  stream,
  error: (err: GatewayError) => ({ status: err.status, body: errorBody(err) }),
};

