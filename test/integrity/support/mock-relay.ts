/**
 * A mock relay on 127.0.0.1 (node:http, port 0) speaking OpenAI chat completions and Anthropic
 * messages, JSON and SSE, backed by the seeded n-gram models. Honest by default; dishonest modes:
 * serve another model (always, or for a fraction p of requests), inflate token counts, drop tool calls,
 * ignore JSON mode, omit logprobs, fake streaming, report a wrong model name.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { knownAnswerFor } from '../../../src/integrity/probes.js';
import { Rng, hashString } from '../../../src/integrity/rng.js';
import { countChatPrompt, countTokens } from '../../../src/integrity/tokenizer.js';
import { generate, privateTokenCount, textOf, type GeneratedToken, type LanguageModel } from './ngram.js';

export interface RelayBehaviour {
  /** The model actually serving requests. */
  model: LanguageModel;
  /** Serve this model instead for a fraction p of requests (mixed substitution). */
  mix?: { model: LanguageModel; p: number };
  /** Report token counts inflated by this fraction (0.1 = +10%). */
  inflate?: number;
  dropTools?: boolean;
  ignoreJsonMode?: boolean;
  omitLogprobs?: boolean;
  /** Send the whole answer in one chunk after this delay instead of streaming. */
  fakeStreamDelayMs?: number;
  /** Model name to report instead of the requested one. */
  servedModelName?: string;
  /** Delay between streamed chunks of an honest stream (ms). Default 1. */
  chunkDelayMs?: number;
  /** Noise (sd) added to logprobs per request, like GPU non-determinism. Default 0.001. */
  logprobNoise?: number;
  apiKey?: string;
  seed?: number | string;
}

export interface MockRelay {
  url: string;
  /** Bodies of every request received, in order. */
  requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Msg {
  role: string;
  content: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomId = (rng: Rng, n: number) => Array.from({ length: n }, () => ALNUM[rng.int(ALNUM.length)]).join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function textOfContent(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (p && typeof p === 'object' && typeof (p as Json).text === 'string' ? ((p as Json).text as string) : '')).join('');
  return '';
}

interface Answer {
  model: LanguageModel;
  text: string;
  tokens: GeneratedToken[];
  finish: 'stop' | 'length' | 'tool';
  tool?: { name: string; args: string };
  promptTokens: number;
  completionTokens: number;
  rng: Rng;
}

export async function startMockRelay(b: RelayBehaviour): Promise<MockRelay> {
  const requests: MockRelay['requests'] = [];
  const seen = new Map<string, number>();

  const answer = (messages: Msg[], body: Json, toolNames: string[], forced: string | undefined, protocol: 'openai' | 'anthropic'): Answer => {
    // Per-request generator keyed by the request's content and how often that content was seen, so the
    // multiset of answers to a batch is the same whatever order concurrent requests arrive in.
    const key = JSON.stringify(body);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const reqRng = body.seed !== undefined ? new Rng(`seed:${String(body.seed)}:${hashString(JSON.stringify(messages))}`) : new Rng(`${String(b.seed ?? 'relay')}|${hashString(key)}|${key.length}|${k}`);
    const model = b.mix && reqRng.next() < b.mix.p ? b.mix.model : b.model;
    const prompt = messages.map((m) => `${m.role}: ${m.content}`).join('\n');
    const maxTokens = Number(body.max_tokens ?? body.max_completion_tokens ?? 32);
    const temperature = body.temperature === undefined ? 1 : Number(body.temperature);
    const topK = Math.max(1, Number(body.top_logprobs ?? 5));
    const last = messages.filter((m) => m.role === 'user').pop()?.content ?? '';
    const count = (text: string) => (model.tokenizer === 'private' ? privateTokenCount(text) : countTokens(text, model.tokenizer));
    let promptTokens = model.tokenizer === 'private' ? messages.reduce((n, m) => n + 3 + privateTokenCount(m.content), 3) : countChatPrompt(messages, model.tokenizer);
    if (toolNames.length) promptTokens += count(JSON.stringify(body.tools));
    let out: Answer;
    const useTool = toolNames.length > 0 && !b.dropTools && body.tool_choice !== 'none' && (forced !== undefined || /weather|time/i.test(last));
    if (useTool) {
      const city = /in ([A-Z][a-z]+)/.exec(last)?.[1] ?? 'Paris';
      const args = JSON.stringify({ city });
      out = { model, text: '', tokens: [], finish: 'tool', tool: { name: forced ?? toolNames[0], args }, promptTokens, completionTokens: count(args) + 8, rng: reqRng };
    } else {
      const known = knownAnswerFor(last);
      let gen = generate(model, prompt, { maxWords: Math.max(1, Math.min(maxTokens, 64)), temperature, rng: reqRng, topK });
      if (known !== undefined) {
        const right = reqRng.next() < model.accuracy;
        const wrong = /^\d+$/.test(known) ? String(Number(known) + 1 + reqRng.int(3)) : 'Unknown';
        gen = { tokens: [{ word: right ? known : wrong, logprob: -0.01, top: [] }], finish: 'stop' };
      }
      let text = textOf(gen.tokens);
      const jsonMode = (body.response_format as Json | undefined)?.type === 'json_object';
      if (jsonMode && !b.ignoreJsonMode) text = JSON.stringify({ answer: text });
      out = { model, text, tokens: gen.tokens, finish: gen.finish, promptTokens, completionTokens: count(text), rng: reqRng };
    }
    if (b.inflate) {
      out.promptTokens = Math.round(out.promptTokens * (1 + b.inflate));
      out.completionTokens = Math.round(out.completionTokens * (1 + b.inflate));
    }
    void protocol;
    return out;
  };

  const logprobsOf = (a: Answer, rng: Rng) => {
    const noise = b.logprobNoise ?? 0.001;
    const jitter = (x: number) => x + noise * rng.normal();
    return {
      content: a.tokens.map((t, i) => {
        const pre = i === 0 ? '' : ' ';
        return { token: pre + t.word, logprob: jitter(t.logprob), bytes: null, top_logprobs: t.top.map((x) => ({ token: pre + x.word, logprob: jitter(x.logprob), bytes: null })) };
      }),
    };
  };

  async function openai(req: IncomingMessage, res: ServerResponse, body: Json): Promise<void> {
    const auth = req.headers.authorization ?? '';
    if (b.apiKey && auth !== `Bearer ${b.apiKey}`) return sendJson(res, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (!Array.isArray(body.messages) || typeof body.model !== 'string') return sendJson(res, 400, { error: { message: 'model and messages are required', type: 'invalid_request_error' } });
    const messages: Msg[] = (body.messages as Json[]).map((m) => ({ role: String(m.role), content: textOfContent(m.content) }));
    const tools = Array.isArray(body.tools) ? (body.tools as Json[]).map((t) => String((t.function as Json)?.name)) : [];
    const tc = body.tool_choice as Json | string | undefined;
    const forced = typeof tc === 'object' && tc ? String((tc.function as Json)?.name) : tc === 'required' ? tools[0] : undefined;
    const a = answer(messages, body, tools, forced, 'openai');
    const rng = a.rng.fork('lp');
    const id = `chatcmpl-${randomId(rng, 24)}`;
    const model = b.servedModelName ?? String(body.model);
    const created = Math.floor(Date.now() / 1000);
    const wantLogprobs = body.logprobs === true && !b.omitLogprobs && !a.tool;
    const usage = { prompt_tokens: a.promptTokens, completion_tokens: a.completionTokens, total_tokens: a.promptTokens + a.completionTokens };
    const finish = a.tool ? 'tool_calls' : a.finish;
    const toolCalls = a.tool ? [{ id: `call_${randomId(rng, 24)}`, type: 'function', function: { name: a.tool.name, arguments: a.tool.args } }] : undefined;
    if (body.stream !== true) {
      return sendJson(res, 200, {
        id, object: 'chat.completion', created, model, system_fingerprint: 'fp_mock',
        choices: [{ index: 0, message: { role: 'assistant', content: a.tool ? null : a.text, ...(toolCalls ? { tool_calls: toolCalls } : {}), refusal: null }, logprobs: wantLogprobs ? logprobsOf(a, rng) : null, finish_reason: finish }],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Json, finishReason: string | null, extra: Json = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason, ...extra }] })}\n\n`);
    const lp = wantLogprobs ? logprobsOf(a, rng).content : undefined;
    if (b.fakeStreamDelayMs !== undefined) await sleep(b.fakeStreamDelayMs);
    chunk({ role: 'assistant', content: '' }, null);
    if (toolCalls) {
      chunk({ tool_calls: [{ index: 0, ...toolCalls[0], function: { name: a.tool!.name, arguments: '' } }] }, null);
      chunk({ tool_calls: [{ index: 0, function: { arguments: a.tool!.args } }] }, null);
    } else if (b.fakeStreamDelayMs !== undefined) {
      chunk({ content: a.text }, null, lp ? { logprobs: { content: lp } } : {});
    } else {
      const parts = a.tokens.length && !a.text.startsWith('{') ? a.tokens.map((t, i) => (i === 0 ? t.word : ` ${t.word}`)) : [a.text];
      for (let i = 0; i < parts.length; i++) {
        await sleep(b.chunkDelayMs ?? 1);
        chunk({ content: parts[i] }, null, lp?.[i] ? { logprobs: { content: [lp[i]] } } : {});
      }
    }
    chunk({}, finish);
    const opts = body.stream_options as Json | undefined;
    if (opts?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  }

  async function anthropic(req: IncomingMessage, res: ServerResponse, body: Json): Promise<void> {
    if (b.apiKey && req.headers['x-api-key'] !== b.apiKey) return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    if (!Array.isArray(body.messages) || typeof body.model !== 'string' || typeof body.max_tokens !== 'number') return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'model, messages and max_tokens are required' } });
    const messages: Msg[] = [];
    if (body.system) messages.push({ role: 'system', content: textOfContent(body.system) });
    for (const m of body.messages as Json[]) messages.push({ role: String(m.role), content: textOfContent(m.content) });
    const tools = Array.isArray(body.tools) ? (body.tools as Json[]).map((t) => String(t.name)) : [];
    const tc = body.tool_choice as Json | undefined;
    const forced = tc?.type === 'tool' ? String(tc.name) : tc?.type === 'any' ? tools[0] : undefined;
    const a = answer(messages, body, tools, forced, 'anthropic');
    const rng = a.rng.fork('id');
    const id = `msg_01${randomId(rng, 22)}`;
    const model = b.servedModelName ?? String(body.model);
    const stop = a.tool ? 'tool_use' : a.finish === 'length' ? 'max_tokens' : 'end_turn';
    const block = a.tool ? { type: 'tool_use', id: `toolu_01${randomId(rng, 22)}`, name: a.tool.name, input: JSON.parse(a.tool.args) as Json } : { type: 'text', text: a.text };
    if (body.stream !== true) {
      return sendJson(res, 200, { id, type: 'message', role: 'assistant', model, content: [block], stop_reason: stop, stop_sequence: null, usage: { input_tokens: a.promptTokens, output_tokens: a.completionTokens } });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const ev = (name: string, data: Json) => res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
    if (b.fakeStreamDelayMs !== undefined) await sleep(b.fakeStreamDelayMs);
    ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: a.promptTokens, output_tokens: 1 } } });
    if (a.tool) {
      ev('content_block_start', { index: 0, content_block: { ...block, input: {} } });
      ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: a.tool.args } });
    } else {
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      ev('ping', {});
      const parts = b.fakeStreamDelayMs !== undefined || !a.tokens.length ? [a.text] : a.tokens.map((t, i) => (i === 0 ? t.word : ` ${t.word}`));
      for (const p of parts) {
        if (b.fakeStreamDelayMs === undefined) await sleep(b.chunkDelayMs ?? 1);
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } });
      }
    }
    ev('content_block_stop', { index: 0 });
    ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: a.completionTokens } });
    ev('message_stop', {});
    res.end();
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Json;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
      } catch {
        return sendJson(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
      }
      const path = (req.url ?? '').split('?')[0];
      requests.push({ path, body });
      const handler = req.method === 'POST' && path === '/v1/chat/completions' ? openai : req.method === 'POST' && path === '/v1/messages' ? anthropic : undefined;
      if (!handler) return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
      handler(req, res, body).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error' } });
        else res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
