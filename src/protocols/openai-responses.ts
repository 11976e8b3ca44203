import { randomBytes } from 'node:crypto';
import { type GatewayError, invalid } from '../core/errors.js';
import type { ChatRequest, ChatResponse, ContentPart, FinishReason, Message, StreamEvent, ToolChoice, Usage } from '../core/types.js';
import { sseFrame } from '../util/sse.js';
import { errorBody as openaiErrorBody, imagePart } from './openai-chat.js';
import type { ClientProtocol, StreamRenderer } from './types.js';
import { arr, bool, int, isObj, num, obj, requireObj, requireStr, str, type Obj } from './validate.js';

/** OpenAI Responses (`POST /v1/responses`), inbound: text, images, function tools, streaming events. */

function parseParts(v: unknown, param: string): ContentPart[] {
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  if (!Array.isArray(v)) throw invalid(`${param} must be a string or an array of content parts`, param);
  return v.map((p, i) => {
    const part = requireObj(p, `${param}[${i}]`);
    const type = requireStr(part, 'type', `${param}[${i}].type`);
    if (type === 'input_text' || type === 'output_text' || type === 'text') {
      if (typeof part.text !== 'string') throw invalid(`${param}[${i}].text must be a string`, `${param}[${i}].text`);
      return { type: 'text', text: part.text };
    }
    if (type === 'input_image') return imagePart(requireStr(part, 'image_url', `${param}[${i}].image_url`), str(part, 'detail'));
    throw invalid(`${param}[${i}].type "${type}" is not supported; use input_text or input_image`, `${param}[${i}].type`);
  });
}

function parseInput(v: unknown): Message[] {
  if (typeof v === 'string') return [{ role: 'user', content: [{ type: 'text', text: v }] }];
  if (!Array.isArray(v) || v.length === 0) throw invalid('input is required and must be a string or a non-empty array of items', 'input');
  const out: Message[] = [];
  v.forEach((it, i) => {
    const p = `input[${i}]`;
    const item = requireObj(it, p);
    const type = str(item, 'type', `${p}.type`) ?? 'message';
    if (type === 'message') {
      const role = requireStr(item, 'role', `${p}.role`);
      const content = parseParts(item.content, `${p}.content`);
      if (role === 'system' || role === 'developer') out.push({ role: 'system', content });
      else if (role === 'user' || role === 'assistant') out.push({ role, content });
      else throw invalid(`${p}.role must be user, assistant, system or developer`, `${p}.role`);
    } else if (type === 'function_call') {
      const call: ContentPart = { type: 'tool_call', id: requireStr(item, 'call_id', `${p}.call_id`), name: requireStr(item, 'name', `${p}.name`), arguments: str(item, 'arguments', `${p}.arguments`) ?? '' };
      const last = out[out.length - 1];
      if (last?.role === 'assistant') last.content.push(call);
      else out.push({ role: 'assistant', content: [call] });
    } else if (type === 'function_call_output') {
      const output = item.output;
      const content = typeof output === 'string' ? output : parseParts(output, `${p}.output`);
      out.push({ role: 'tool', content: [{ type: 'tool_result', toolCallId: requireStr(item, 'call_id', `${p}.call_id`), content }] });
    } else if (type === 'item_reference') {
      // Clients that assume OpenAI stores responses (store defaults to true) refer to earlier output by id.
      throw invalid(
        `${p} is an item_reference: TrustRelay keeps no conversation state (zero retention), so earlier items must be sent in full; set "store": false on the client (Vercel AI SDK: providerOptions.openai.store = false)`,
        `${p}.type`,
      );
    } else if (type === 'reasoning') {
      // Reasoning items from an earlier turn carry provider-encrypted state; nothing to translate.
    } else throw invalid(`${p}.type "${type}" is not supported; use message, function_call or function_call_output`, `${p}.type`);
  });
  return out;
}

function parseToolChoice(v: unknown): ToolChoice | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  if (isObj(v) && v.type === 'function' && typeof v.name === 'string') return { name: v.name };
  throw invalid('tool_choice must be "auto", "none", "required" or {"type":"function","name":...}', 'tool_choice');
}

function parse(raw: unknown): ChatRequest {
  const body = requireObj(raw, 'body');
  const model = requireStr(body, 'model');
  if (body.previous_response_id !== undefined && body.previous_response_id !== null)
    throw invalid('previous_response_id is not supported: TrustRelay keeps no conversation state (zero retention); send the full input', 'previous_response_id');
  // Features that live in state kept by OpenAI: ignoring them would answer a different question.
  if (body.conversation != null) throw invalid('conversation is not supported: TrustRelay keeps no conversation state (zero retention); send the full input', 'conversation');
  if (body.prompt != null) throw invalid('prompt (a stored prompt template) is not supported through TrustRelay; send instructions and input', 'prompt');
  if (body.background === true) throw invalid('background mode is not supported: TrustRelay stores no responses to poll; use stream: true for long answers', 'background');
  const messages = parseInput(body.input);
  const instructions = str(body, 'instructions');
  if (instructions) messages.unshift({ role: 'system', content: [{ type: 'text', text: instructions }] });
  const tools = arr(body, 'tools')?.map((t, i) => {
    const tool = requireObj(t, `tools[${i}]`);
    if (tool.type !== 'function') throw invalid(`tools[${i}].type "${String(tool.type)}" is not supported; only function tools pass through TrustRelay`, `tools[${i}].type`);
    return { name: requireStr(tool, 'name', `tools[${i}].name`), description: str(tool, 'description'), parameters: obj(tool, 'parameters', `tools[${i}].parameters`), strict: bool(tool, 'strict') };
  });
  let responseFormat: ChatRequest['responseFormat'];
  const fmt = obj(body, 'text') && obj(obj(body, 'text')!, 'format', 'text.format');
  if (fmt) {
    const type = requireStr(fmt, 'type', 'text.format.type');
    if (type === 'json_schema') responseFormat = { type, name: str(fmt, 'name'), schema: obj(fmt, 'schema', 'text.format.schema'), strict: bool(fmt, 'strict') };
    else if (type === 'json_object' || type === 'text') responseFormat = { type };
    else throw invalid('text.format.type must be text, json_object or json_schema', 'text.format.type');
  }
  const reasoning = obj(body, 'reasoning');
  return {
    model,
    messages,
    tools,
    toolChoice: parseToolChoice(body.tool_choice),
    parallelToolCalls: bool(body, 'parallel_tool_calls'),
    maxTokens: int(body, 'max_output_tokens', 'max_output_tokens', 1),
    temperature: num(body, 'temperature', 'temperature', 0, 2),
    topP: num(body, 'top_p', 'top_p', 0, 1),
    responseFormat,
    stream: bool(body, 'stream') ?? false,
    includeUsage: true,
    reasoningEffort: reasoning ? str(reasoning, 'effort', 'reasoning.effort') : undefined,
    user: str(body, 'user'),
    metadata: obj(body, 'metadata'),
  };
}

const rid = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

function usageOut(u: Usage | undefined): Obj {
  const i = u?.inputTokens ?? 0;
  const o = u?.outputTokens ?? 0;
  return { input_tokens: i, input_tokens_details: { cached_tokens: u?.cachedInputTokens ?? 0 }, output_tokens: o, output_tokens_details: { reasoning_tokens: u?.reasoningTokens ?? 0 }, total_tokens: i + o };
}

function envelope(id: string, req: ChatRequest, model: string, created: number, status: string, output: Obj[], usage?: Usage, reason?: FinishReason): Obj {
  return {
    id,
    object: 'response',
    created_at: created,
    status,
    error: null,
    incomplete_details: reason === 'length' ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    max_output_tokens: req.maxTokens ?? null,
    model,
    output,
    parallel_tool_calls: req.parallelToolCalls ?? true,
    temperature: req.temperature ?? null,
    top_p: req.topP ?? null,
    tool_choice: typeof req.toolChoice === 'object' ? { type: 'function', name: req.toolChoice.name } : (req.toolChoice ?? 'auto'),
    tools: (req.tools ?? []).map((t) => ({ type: 'function', name: t.name, description: t.description ?? null, parameters: t.parameters ?? null, strict: t.strict ?? null })),
    usage: status === 'in_progress' ? null : usageOut(usage),
    metadata: req.metadata ?? {},
    // Nothing is kept: an item_reference or previous_response_id to this response cannot be resolved.
    store: false,
  };
}

function outputItems(content: ContentPart[]): Obj[] {
  const items: Obj[] = [];
  let text = '';
  let hasText = false;
  for (const p of content) {
    if (p.type === 'text') {
      text += p.text;
      hasText = true;
    }
  }
  if (hasText) items.push({ type: 'message', id: rid('msg'), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  for (const p of content) if (p.type === 'tool_call') items.push({ type: 'function_call', id: rid('fc'), call_id: p.id, name: p.name, arguments: p.arguments, status: 'completed' });
  return items;
}

function render(resp: ChatResponse, req: ChatRequest): unknown {
  const c = resp.choices[0];
  const status = c?.finishReason === 'length' ? 'incomplete' : 'completed';
  return envelope(resp.id.startsWith('resp_') ? resp.id : rid('resp'), req, resp.model, resp.created, status, outputItems(c?.content ?? []), resp.usage, c?.finishReason);
}

interface OpenItem {
  outputIndex: number;
  item: Obj;
  text: string;
  kind: 'message' | 'function_call';
  toolIndex?: number;
}

function stream(req: ChatRequest): StreamRenderer {
  let seq = 0;
  let id = rid('resp');
  let model = req.model;
  let created = Math.floor(Date.now() / 1000);
  const done: Obj[] = [];
  let open: OpenItem | undefined;
  let usage: Usage | undefined;
  let reason: FinishReason | undefined;
  const ev = (type: string, data: Obj) => sseFrame(JSON.stringify({ type, sequence_number: seq++, ...data }), type);
  const closeItem = (): string => {
    if (!open) return '';
    const o = open;
    open = undefined;
    let s = '';
    if (o.kind === 'message') {
      const part = { type: 'output_text', text: o.text, annotations: [] };
      s += ev('response.output_text.done', { item_id: o.item.id, output_index: o.outputIndex, content_index: 0, text: o.text, logprobs: [] });
      s += ev('response.content_part.done', { item_id: o.item.id, output_index: o.outputIndex, content_index: 0, part });
      o.item = { ...o.item, status: 'completed', content: [part] };
    } else {
      s += ev('response.function_call_arguments.done', { item_id: o.item.id, output_index: o.outputIndex, arguments: o.text });
      o.item = { ...o.item, status: 'completed', arguments: o.text };
    }
    done.push(o.item);
    return s + ev('response.output_item.done', { output_index: o.outputIndex, item: o.item });
  };
  const openItem = (kind: OpenItem['kind'], item: Obj, toolIndex?: number): string => {
    const s = closeItem();
    open = { outputIndex: done.length, item, text: '', kind, toolIndex };
    let out = s + ev('response.output_item.added', { output_index: open.outputIndex, item });
    if (kind === 'message') out += ev('response.content_part.added', { item_id: item.id, output_index: open.outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    return out;
  };
  return {
    event(e: StreamEvent): string {
      if ('choice' in e && e.choice !== 0) return '';
      switch (e.type) {
        case 'start': {
          if (e.id.startsWith('resp_')) id = e.id;
          model = e.model;
          created = e.created;
          const r = envelope(id, req, model, created, 'in_progress', []);
          return ev('response.created', { response: r }) + ev('response.in_progress', { response: r });
        }
        case 'text': {
          let s = '';
          if (open?.kind !== 'message') s = openItem('message', { type: 'message', id: rid('msg'), status: 'in_progress', role: 'assistant', content: [] });
          open!.text += e.text;
          return s + ev('response.output_text.delta', { item_id: open!.item.id, output_index: open!.outputIndex, content_index: 0, delta: e.text, logprobs: [] });
        }
        case 'tool_call_start':
          return openItem('function_call', { type: 'function_call', id: rid('fc'), call_id: e.id, name: e.name, arguments: '', status: 'in_progress' }, e.index);
        case 'tool_call_delta': {
          if (open?.kind !== 'function_call' || open.toolIndex !== e.index) return '';
          open.text += e.arguments;
          return ev('response.function_call_arguments.delta', { item_id: open.item.id, output_index: open.outputIndex, delta: e.arguments });
        }
        case 'finish':
          reason = e.reason;
          return '';
        case 'usage':
          usage = e.usage;
          return '';
        default:
          return '';
      }
    },
    end(): string {
      const s = closeItem();
      const status = reason === 'length' ? 'incomplete' : 'completed';
      return s + ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: envelope(id, req, model, created, status, done, usage, reason) });
    },
    error(err: GatewayError): string {
      const body = openaiErrorBody(err).error as Obj;
      return ev('error', { code: body.type, message: err.message, param: err.param ?? null });
    },
  };
}

export const openaiResponses: ClientProtocol = {
  family: 'openai',
  parse,
  render,
  stream,
  error: (err) => ({ status: err.status, body: openaiErrorBody(err) }),
};
