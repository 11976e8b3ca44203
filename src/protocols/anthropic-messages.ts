import { type GatewayError, invalid } from '../core/errors.js';
import type { ChatRequest, ChatResponse, ContentPart, FinishReason, Message, StreamEvent, ToolChoice, Usage } from '../core/types.js';
import { sseFrame } from '../util/sse.js';
import type { ClientProtocol, StreamRenderer } from './types.js';
import { arr, bool, int, isObj, num, obj, requireObj, requireStr, rest, str, strList, type Obj } from './validate.js';

/** Anthropic Messages (`POST /v1/messages`), inbound. */

const KNOWN = new Set(['model', 'messages', 'system', 'max_tokens', 'tools', 'tool_choice', 'stop_sequences', 'temperature', 'top_p', 'top_k', 'stream', 'metadata', 'thinking']);

export function parseBlocks(v: unknown, param: string): ContentPart[] {
  if (typeof v === 'string') return [{ type: 'text', text: v }];
  if (!Array.isArray(v)) throw invalid(`${param} must be a string or an array of content blocks`, param);
  return v.map((b, i) => {
    const part = parseBlock(b, `${param}[${i}]`);
    const cc = isObj(b) ? b.cache_control : undefined;
    if (isObj(cc) && part.type !== 'thinking' && part.type !== 'redacted_thinking') part.cache = cc;
    return part;
  });
}

function parseBlock(b: unknown, p: string): ContentPart {
  {
    const block = requireObj(b, p);
    const type = requireStr(block, 'type', `${p}.type`);
    switch (type) {
      case 'text': {
        if (typeof block.text !== 'string') throw invalid(`${p}.text must be a string`, `${p}.text`);
        return { type: 'text', text: block.text };
      }
      case 'image': {
        const src = requireObj(block.source, `${p}.source`);
        if (src.type === 'base64') return { type: 'image', data: requireStr(src, 'data', `${p}.source.data`), mediaType: requireStr(src, 'media_type', `${p}.source.media_type`) };
        if (src.type === 'url') return { type: 'image', url: requireStr(src, 'url', `${p}.source.url`) };
        throw invalid(`${p}.source.type must be base64 or url`, `${p}.source.type`);
      }
      case 'tool_use':
        return { type: 'tool_call', id: requireStr(block, 'id', `${p}.id`), name: requireStr(block, 'name', `${p}.name`), arguments: JSON.stringify(block.input ?? {}) };
      case 'tool_result': {
        const c = block.content;
        return {
          type: 'tool_result',
          toolCallId: requireStr(block, 'tool_use_id', `${p}.tool_use_id`),
          content: c === undefined || c === null ? '' : typeof c === 'string' ? c : parseBlocks(c, `${p}.content`),
          isError: bool(block, 'is_error', `${p}.is_error`),
        };
      }
      case 'thinking':
        return { type: 'thinking', text: str(block, 'thinking', `${p}.thinking`) ?? '', signature: str(block, 'signature', `${p}.signature`) };
      case 'redacted_thinking':
        return { type: 'redacted_thinking', data: requireStr(block, 'data', `${p}.data`) };
      default:
        throw invalid(`${p}.type "${type}" is not supported; use text, image, tool_use, tool_result or thinking`, `${p}.type`);
    }
  }
}

function parseMessages(list: unknown[]): Message[] {
  const out: Message[] = [];
  list.forEach((m, i) => {
    const p = `messages[${i}]`;
    const msg = requireObj(m, p);
    const role = requireStr(msg, 'role', `${p}.role`);
    if (role !== 'user' && role !== 'assistant') throw invalid(`${p}.role must be "user" or "assistant"; got "${role}"`, `${p}.role`);
    const blocks = parseBlocks(msg.content, `${p}.content`);
    if (role === 'assistant') {
      out.push({ role, content: blocks });
      return;
    }
    // tool_result blocks become tool messages (canonical form), the rest stays a user message.
    const others: ContentPart[] = [];
    for (const b of blocks) {
      if (b.type === 'tool_result') out.push({ role: 'tool', content: [b] });
      else others.push(b);
    }
    if (others.length || !blocks.some((b) => b.type === 'tool_result')) out.push({ role: 'user', content: others });
  });
  return out;
}

function parseToolChoice(v: unknown): { choice?: ToolChoice; parallel?: boolean } {
  if (v === undefined || v === null) return {};
  const tc = requireObj(v, 'tool_choice');
  const parallel = tc.disable_parallel_tool_use === true ? false : undefined;
  switch (tc.type) {
    case 'auto':
      return { choice: 'auto', parallel };
    case 'any':
      return { choice: 'required', parallel };
    case 'none':
      return { choice: 'none' };
    case 'tool':
      return { choice: { name: requireStr(tc, 'name', 'tool_choice.name') }, parallel };
    default:
      throw invalid('tool_choice.type must be auto, any, tool or none', 'tool_choice.type');
  }
}

function parse(raw: unknown): ChatRequest {
  const body = requireObj(raw, 'body');
  const model = requireStr(body, 'model');
  const maxTokens = int(body, 'max_tokens', 'max_tokens', 1);
  if (maxTokens === undefined) throw invalid('max_tokens is required', 'max_tokens');
  const list = arr(body, 'messages');
  if (!list || list.length === 0) throw invalid('messages is required and must be a non-empty array', 'messages');
  const messages = parseMessages(list);
  const system = body.system;
  if (system !== undefined && system !== null) {
    const parts = parseBlocks(system, 'system');
    if (parts.some((p) => p.type !== 'text')) throw invalid('system blocks must be text', 'system');
    messages.unshift({ role: 'system', content: parts });
  }
  const tools = arr(body, 'tools')?.map((t, i) => {
    const tool = requireObj(t, `tools[${i}]`);
    if (tool.type !== undefined && tool.type !== 'custom') throw invalid(`tools[${i}].type "${String(tool.type)}" (a server tool) is not supported through TrustRelay; define a custom tool`, `tools[${i}].type`);
    return {
      name: requireStr(tool, 'name', `tools[${i}].name`),
      description: str(tool, 'description', `tools[${i}].description`),
      parameters: requireObj(tool.input_schema, `tools[${i}].input_schema`),
      ...(isObj(tool.cache_control) ? { cache: tool.cache_control } : {}),
    };
  });
  const { choice, parallel } = parseToolChoice(body.tool_choice);
  const th = obj(body, 'thinking');
  let thinking: ChatRequest['thinking'];
  if (th && th.type === 'enabled') thinking = { budgetTokens: int(th, 'budget_tokens', 'thinking.budget_tokens', 1) ?? 1024 };
  const md = obj(body, 'metadata');
  const fields = rest(body, KNOWN);
  return {
    model,
    messages,
    tools,
    toolChoice: choice,
    parallelToolCalls: parallel,
    maxTokens,
    temperature: num(body, 'temperature', 'temperature', 0, 1),
    topP: num(body, 'top_p', 'top_p', 0, 1),
    topK: int(body, 'top_k', 'top_k', 0),
    stop: strList(body, 'stop_sequences'),
    stream: bool(body, 'stream') ?? false,
    includeUsage: true,
    thinking,
    user: md && typeof md.user_id === 'string' ? md.user_id : undefined,
    extra: Object.keys(fields).length ? { family: 'anthropic', fields } : undefined,
  };
}

export function stopReasonOut(r: FinishReason | undefined): string {
  switch (r) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic counts cache reads and writes apart from input_tokens; the canonical inputTokens includes them. */
function usageOut(u: Usage | undefined): Obj {
  return {
    input_tokens: Math.max(0, (u?.inputTokens ?? 0) - (u?.cachedInputTokens ?? 0) - (u?.cacheCreationTokens ?? 0)),
    output_tokens: u?.outputTokens ?? 0,
    cache_read_input_tokens: u?.cachedInputTokens ?? 0,
    cache_creation_input_tokens: u?.cacheCreationTokens ?? 0,
  };
}

export function messageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id.replace(/[^A-Za-z0-9]/g, '').slice(-24) || 'trustrelay'}`;
}

function blockOut(p: ContentPart): Obj | undefined {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text };
    case 'thinking':
      return { type: 'thinking', thinking: p.text, signature: p.signature ?? '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: p.data };
    case 'tool_call': {
      let input: unknown = {};
      try {
        input = p.arguments ? JSON.parse(p.arguments) : {};
      } catch {
        input = { _raw: p.arguments };
      }
      return { type: 'tool_use', id: p.id, name: p.name, input };
    }
    default:
      return undefined;
  }
}

function render(resp: ChatResponse): unknown {
  const c = resp.choices[0];
  return {
    id: messageId(resp.id),
    type: 'message',
    role: 'assistant',
    model: resp.model,
    content: (c?.content ?? []).map(blockOut).filter((b): b is Obj => b !== undefined),
    stop_reason: stopReasonOut(c?.finishReason),
    stop_sequence: null,
    usage: usageOut(resp.usage),
  };
}

type Open = { kind: 'text' | 'thinking' | 'tool'; toolIndex?: number } | undefined;

function stream(): StreamRenderer {
  let index = -1;
  let open: Open;
  let reason: FinishReason | undefined;
  let usage: Usage | undefined;
  const frame = (event: string, data: Obj) => sseFrame(JSON.stringify({ type: event, ...data }), event);
  const close = (): string => {
    if (!open) return '';
    open = undefined;
    return frame('content_block_stop', { index });
  };
  const openBlock = (kind: 'text' | 'thinking' | 'tool', block: Obj, toolIndex?: number): string => {
    const s = close();
    index++;
    open = { kind, toolIndex };
    return s + frame('content_block_start', { index, content_block: block });
  };
  return {
    event(ev: StreamEvent): string {
      if ('choice' in ev && ev.choice !== 0) return '';
      switch (ev.type) {
        case 'start':
          return (
            frame('message_start', {
              message: { id: messageId(ev.id), type: 'message', role: 'assistant', model: ev.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usageOut(ev.usage), output_tokens: 0 } },
            }) + sseFrame(JSON.stringify({ type: 'ping' }), 'ping')
          );
        case 'text': {
          const s = open?.kind === 'text' ? '' : openBlock('text', { type: 'text', text: '' });
          return s + frame('content_block_delta', { index, delta: { type: 'text_delta', text: ev.text } });
        }
        case 'thinking': {
          const s = open?.kind === 'thinking' ? '' : openBlock('thinking', { type: 'thinking', thinking: '' });
          return s + frame('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: ev.text } });
        }
        case 'thinking_signature': {
          const s = open?.kind === 'thinking' ? '' : openBlock('thinking', { type: 'thinking', thinking: '' });
          return s + frame('content_block_delta', { index, delta: { type: 'signature_delta', signature: ev.signature } });
        }
        case 'redacted_thinking':
          return openBlock('thinking', { type: 'redacted_thinking', data: ev.data }) + close();
        case 'tool_call_start':
          return openBlock('tool', { type: 'tool_use', id: ev.id, name: ev.name, input: {} }, ev.index);
        case 'tool_call_delta':
          if (open?.kind !== 'tool' || open.toolIndex !== ev.index) return '';
          return frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: ev.arguments } });
        case 'finish':
          reason = ev.reason;
          return '';
        case 'usage':
          usage = ev.usage;
          return '';
        default:
          return '';
      }
    },
    end(): string {
      return close() + frame('message_delta', { delta: { stop_reason: stopReasonOut(reason), stop_sequence: null }, usage: usageOut(usage) }) + frame('message_stop', {});
    },
    error(err: GatewayError): string {
      return sseFrame(JSON.stringify(errorBody(err)), 'error');
    },
  };
}

const TYPES: Record<string, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  upstream: 'api_error',
  timeout: 'timeout_error',
  unavailable: 'overloaded_error',
  internal: 'api_error',
};

export function errorBody(err: GatewayError): Obj {
  return { type: 'error', error: { type: TYPES[err.kind] ?? 'api_error', message: err.message } };
}

export const anthropicMessages: ClientProtocol = {
  family: 'anthropic',
  parse,
  render,
  stream,
  error: (err) => ({ status: err.status, body: errorBody(err) }),
};

