import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countChatPrompt, countTokens } from '../../src/integrity/tokenizer.js';

/**
 * A mock upstream that speaks OpenAI chat completions / embeddings, Anthropic messages and Gemini
 * generateContent, JSON and SSE, over loopback. It records every request it receives (so tests can
 * assert what left the gateway) and can be scripted to fail, stall or cut a stream.
 *
 * Default answer: "echo: <last user text>". When the request offers tools and the last user text
 * mentions "weather", it calls the first tool with {"city":"Paris"}.
 */

export const GEMINI_MOCK_SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS1tb2Nr';

export interface Recorded {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Behaviour {
  status?: number;
  /** The JSON answer: the error body with an error status, else a 200 answer sent verbatim. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait before answering (ms). */
  delayMs?: number;
  /** Never answer (until the client gives up). */
  hang?: boolean;
  /** For streams: destroy the socket after this many SSE events. */
  cutAfterEvents?: number;
  /** For streams: stop sending (but keep the connection open) after this many SSE events. */
  stallAfterEvents?: number;
  /** Replace the answer text. */
  text?: string;
  /** Answer a stream request with plain JSON. */
  noStream?: boolean;
  /** Leave usage out of the answer (OpenAI protocol), as some relays do. */
  omitUsage?: boolean;
  /** Call this tool whatever was offered (a model calling a tool it was not given). */
  callTool?: string;
  /**
   * The tool call's arguments: {"text": <last user text>} instead of {"city":"Paris"}, streamed in deltas
   * of 5 characters (a model passing what it read on to a tool).
   */
  echoToolArgs?: boolean;
  /** Answer with these SSE frames verbatim (status 200), e.g. an error event or a malformed chunk. */
  rawSse?: string[];
}

export interface MockUpstream {
  url: string;
  received: Recorded[];
  /** Queue behaviours for the next requests, in order. */
  enqueue(...b: Behaviour[]): void;
  /** Per-chunk delay of streamed answers (ms). */
  chunkDelayMs: number;
  /** Number of text chunks in streamed answers. */
  close(): Promise<void>;
  /** Requests whose client aborted before the answer finished. */
  aborted: number;
  /** Report this model in every answer whatever was asked (a relay substituting models). */
  servedModel?: string;
}

type Obj = Record<string, unknown>;

function lastUserText(messages: unknown, family: 'openai' | 'anthropic' | 'gemini'): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Obj;
    if (family === 'gemini' ? m.role !== 'user' : m.role !== 'user') continue;
    const c = family === 'gemini' ? m.parts : m.content;
    if (typeof c === 'string') return c;
    if (Array.isArray(c)) {
      const texts = (c as Obj[]).filter((p) => typeof p.text === 'string').map((p) => p.text as string);
      if (texts.length) return texts.join(' ');
      if ((c as Obj[]).some((p) => p.type === 'tool_result' || p.functionResponse)) return 'tool result received';
    }
  }
  return '';
}

export function chunkText(text: string, size = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/** An honest upstream counts with the public tokenizer: chat framing included, like OpenAI does. */
function promptTokens(messages: unknown): number {
  if (Array.isArray(messages) && messages.every((m) => typeof (m as Obj).content === 'string' || (m as Obj).content === null)) {
    return countChatPrompt(messages.map((m) => ({ role: String((m as Obj).role), content: String((m as Obj).content ?? '') })), 'o200k_base');
  }
  return tokens(JSON.stringify(messages));
}

export async function startMockUpstream(): Promise<MockUpstream> {
  const queue: Behaviour[] = [];
  const state: MockUpstream = {
    url: '',
    received: [],
    enqueue: (...b) => queue.push(...b),
    chunkDelayMs: 0,
    aborted: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body: Obj = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Obj;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
          return;
        }
        const path = req.url ?? '/';
        state.received.push({ path, headers: req.headers, body });
        const b = queue.shift() ?? {};
        res.on('close', () => {
          if (!res.writableFinished) state.aborted++;
        });
        if (b.hang) return;
        if (b.delayMs) await sleep(b.delayMs);
        if (b.status && b.status >= 400) {
          res.writeHead(b.status, { 'content-type': 'application/json', ...b.headers });
          res.end(JSON.stringify(b.body ?? { error: { message: `mock failure ${b.status}`, type: 'mock_error' } }));
          return;
        }
        if (b.rawSse) return sse(res, b.rawSse, b);
        if (b.body !== undefined) return json(res, b.body);
        if (path.startsWith('/v1/chat/completions')) return openai(body, b, res);
        if (path.startsWith('/v1/embeddings')) return embeddings(body, res);
        if (path.startsWith('/v1/messages/count_tokens')) return json(res, { input_tokens: tokens(JSON.stringify(body.messages)) });
        if (path.startsWith('/v1/messages')) return anthropic(body, b, res);
        const g = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent)/.exec(path);
        if (g) return gemini(body, b, res, decodeURIComponent(g[1]), g[2] === 'streamGenerateContent');
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no such mock route"}}');
      })();
    });
  });

  const json = (res: http.ServerResponse, v: unknown, status = 200) => {
    const s = JSON.stringify(v);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) }).end(s);
  };

  async function sse(res: http.ServerResponse, frames: string[], b: Behaviour) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let n = 0;
    for (const f of frames) {
      if (res.destroyed) return;
      if (b.cutAfterEvents !== undefined && n >= b.cutAfterEvents) {
        res.socket?.destroy();
        return;
      }
      if (b.stallAfterEvents !== undefined && n >= b.stallAfterEvents) return;
      res.write(f);
      n++;
      if (state.chunkDelayMs) await sleep(state.chunkDelayMs);
    }
    res.end();
  }

  function wantsTool(body: Obj, text: string, b: Behaviour = {}): Obj | undefined {
    if (b.callTool) return { name: b.callTool, function: { name: b.callTool } };
    const tools = body.tools as Obj[] | undefined;
    if (!tools?.length || !/weather/i.test(text)) return undefined;
    return tools[0];
  }

  function openai(body: Obj, b: Behaviour, res: http.ServerResponse) {
    const text = b.text ?? `echo: ${lastUserText(body.messages, 'openai')}`;
    const tool = wantsTool(body, text, b);
    const toolName = tool ? String(((tool.function ?? {}) as Obj).name) : undefined;
    const n = typeof body.n === 'number' ? body.n : 1;
    const usage = { prompt_tokens: promptTokens(body.messages), completion_tokens: countTokens(text, 'o200k_base'), total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const id = 'chatcmpl-mock4f9a2c7e1b';
    const model = state.servedModel ?? String(body.model);
    const created = 1_700_000_000;
    const args = b.echoToolArgs ? JSON.stringify({ text: lastUserText(body.messages, 'openai') }) : '{"city":"Paris"}';
    if (!body.stream || b.noStream) {
      const choices = Array.from({ length: n }, (_, index) => ({
        index,
        message: toolName ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_mock1', type: 'function', function: { name: toolName, arguments: args } }] } : { role: 'assistant', content: text },
        logprobs: body.logprobs ? { content: [{ token: 'echo', logprob: -0.1, bytes: [101], top_logprobs: [] }] } : null,
        finish_reason: toolName ? 'tool_calls' : 'stop',
      }));
      return json(res, { id, object: 'chat.completion', created, model, choices, ...(b.omitUsage ? {} : { usage }), system_fingerprint: 'fp_mock' });
    }
    const frames: string[] = [];
    const chunk = (choices: Obj[], extra: Obj = {}) => frames.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`);
    for (let index = 0; index < n; index++) {
      chunk([{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      if (toolName) {
        chunk([{ index, delta: { tool_calls: [{ index: 0, id: 'call_mock1', type: 'function', function: { name: toolName, arguments: '' } }] }, finish_reason: null }]);
        for (const part of b.echoToolArgs ? chunkText(args, 5) : ['{"city"', ':"Par', 'is"}']) chunk([{ index, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, finish_reason: null }]);
      } else for (const part of chunkText(text)) chunk([{ index, delta: { content: part }, finish_reason: null }]);
      chunk([{ index, delta: {}, finish_reason: toolName ? 'tool_calls' : 'stop' }]);
    }
    const so = body.stream_options as Obj | undefined;
    if (so?.include_usage && !b.omitUsage) chunk([], { usage });
    frames.push('data: [DONE]\n\n');
    return sse(res, frames, b);
  }

  function embeddings(body: Obj, res: http.ServerResponse) {
    const input = Array.isArray(body.input) ? body.input : [body.input];
    const vector = (s: unknown) => [String(s).length / 100, 0.5, -0.25];
    // Like OpenAI: base64 is little-endian float32.
    const encode = (v: number[]) => (body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v);
    json(res, {
      object: 'list',
      model: body.model,
      data: input.map((s, index) => ({ object: 'embedding', index, embedding: encode(vector(s)) })),
      usage: { prompt_tokens: tokens(JSON.stringify(input)), total_tokens: tokens(JSON.stringify(input)) },
    });
  }

  function anthropic(body: Obj, b: Behaviour, res: http.ServerResponse) {
    const text = b.text ?? `echo: ${lastUserText(body.messages, 'anthropic')}`;
    const tool = wantsTool(body, text, b);
    const thinking = (body.thinking as Obj | undefined)?.type === 'enabled';
    const usage = { input_tokens: tokens(JSON.stringify(body.messages)), output_tokens: tokens(text) };
    const id = 'msg_01mock4f9a2c7e1b';
    const model = state.servedModel ?? String(body.model);
    const content: Obj[] = [];
    if (thinking) content.push({ type: 'thinking', thinking: 'Let me think.', signature: 'sig_mock' });
    const input = b.echoToolArgs ? { text: lastUserText(body.messages, 'anthropic') } : { city: 'Paris' };
    if (tool) content.push({ type: 'tool_use', id: 'toolu_mock1', name: tool.name, input });
    else content.push({ type: 'text', text });
    const stop = tool ? 'tool_use' : 'end_turn';
    if (!body.stream || b.noStream) return json(res, { id, type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage });
    const frames: string[] = [];
    const ev = (type: string, data: Obj) => frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
    ev('ping', {});
    let index = 0;
    if (thinking) {
      ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } });
      ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: 'Let me think.' } });
      ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig_mock' } });
      ev('content_block_stop', { index });
      index++;
    }
    if (tool) {
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: 'toolu_mock1', name: tool.name, input: {} } });
      for (const part of b.echoToolArgs ? chunkText(JSON.stringify(input), 5) : ['{"city"', ':"Par', 'is"}']) ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    } else {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const part of chunkText(text)) ev('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
    }
    ev('content_block_stop', { index });
    ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    ev('message_stop', {});
    return sse(res, frames, b);
  }

  function gemini(body: Obj, b: Behaviour, res: http.ServerResponse, model: string, stream: boolean) {
    // Like Gemini 3: a replayed model turn's first function call must carry its thought signature.
    for (const c of (body.contents as Obj[] | undefined) ?? []) {
      const first = c.role === 'model' ? (c.parts as Obj[] | undefined)?.find((p) => p.functionCall) : undefined;
      if (first && typeof first.thoughtSignature !== 'string')
        return json(res, { error: { code: 400, message: 'Function call is missing a thought_signature in functionCall parts.', status: 'INVALID_ARGUMENT' } }, 400);
    }
    const text = b.text ?? `echo: ${lastUserText(body.contents, 'gemini')}`;
    const decl = ((body.tools as Obj[] | undefined)?.[0]?.functionDeclarations as Obj[] | undefined)?.[0];
    const tool = decl && /weather/i.test(text) ? decl : undefined;
    const usageMetadata = { promptTokenCount: tokens(JSON.stringify(body.contents)), candidatesTokenCount: tokens(text), totalTokenCount: 0 };
    const parts = tool ? [{ functionCall: { name: tool.name, args: { city: 'Paris' } }, thoughtSignature: GEMINI_MOCK_SIGNATURE }] : [{ text }];
    const count = typeof (body.generationConfig as Obj | undefined)?.candidateCount === 'number' ? ((body.generationConfig as Obj).candidateCount as number) : 1;
    const candidates = Array.from({ length: count }, (_, index) => ({ content: { role: 'model', parts }, finishReason: 'STOP', index }));
    if (!stream) return json(res, { candidates, usageMetadata, modelVersion: model, responseId: 'gem-mock1' });
    const frames = (tool ? [parts] : chunkText(text).map((t) => [{ text: t }])).map((p, i, all) =>
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: p }, index: 0, ...(i === all.length - 1 ? { finishReason: 'STOP' } : {}) }], ...(i === all.length - 1 ? { usageMetadata } : {}), modelVersion: model, responseId: 'gem-mock1' })}\r\n\r\n`,
    );
    return sse(res, frames, b);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
