import type { IncomingMessage, ServerResponse } from 'node:http';
import { modelAllowed, type KeyRecord } from '../auth/keys.js';
import { GatewayError, invalid } from '../core/errors.js';
import type { EmbeddingsRequest } from '../core/types.js';
import { anthropicMessages } from '../protocols/anthropic-messages.js';
import { int, isObj, requireObj, requireStr, str } from '../protocols/validate.js';
import { withFallback } from '../routing/execute.js';
import { targetOf } from '../routing/router.js';
import { parseJsonBody, readFailure, readText, sendUpstream } from './chat.js';
import type { Gateway } from './gateway.js';
import { sendJson } from './http.js';

/** Aborts the upstream call when the client disconnects before the answer is complete, or after `ms`. */
function untilClientGoes(res: ServerResponse, ms: number): AbortSignal {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return AbortSignal.any([gone.signal, AbortSignal.timeout(ms)]);
}

/** GET /v1/models: only the models the calling key may use, in OpenAI or Anthropic list form. */
export function handleModels(gw: Gateway, req: IncomingMessage, res: ServerResponse, key: KeyRecord): void {
  const names = gw.router.modelNames().filter((m) => modelAllowed(key, m));
  const created = Math.floor(Date.now() / 1000);
  if (req.headers['anthropic-version']) {
    const data = names.map((id) => ({ type: 'model', id, display_name: id, created_at: new Date(created * 1000).toISOString() }));
    return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
  }
  sendJson(res, 200, { object: 'list', data: names.map((id) => ({ id, object: 'model', created, owned_by: 'trustrelay' })) });
}

/** GET /v1/models/{id}: one model the calling key may use; any other id is not found (no probing). */
export function handleModel(gw: Gateway, req: IncomingMessage, res: ServerResponse, key: KeyRecord, rawId: string): void {
  let id = rawId;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    /* not valid percent-encoding: look it up as sent, it will not be found */
  }
  if (!gw.router.modelNames().includes(id) || !modelAllowed(key, id)) throw new GatewayError('not_found', `model "${id}" is not available to this API key`, { param: 'model', code: 'model_not_found' });
  const created = Math.floor(Date.now() / 1000);
  if (req.headers['anthropic-version']) return sendJson(res, 200, { type: 'model', id, display_name: id, created_at: new Date(created * 1000).toISOString() });
  sendJson(res, 200, { id, object: 'model', created, owned_by: 'trustrelay' });
}

export function parseEmbeddings(raw: unknown): EmbeddingsRequest {
  const body = requireObj(raw, 'body');
  const model = requireStr(body, 'model');
  const input = body.input;
  let list: string[] | number[][];
  let single = false;
  if (typeof input === 'string') {
    list = [input];
    single = true;
  } else if (Array.isArray(input) && input.length > 0 && input.every((s) => typeof s === 'string')) list = input as string[];
  else if (Array.isArray(input) && input.length > 0 && input.every((s) => Array.isArray(s) && s.length > 0 && s.every((n) => Number.isInteger(n)))) list = input as number[][];
  else throw invalid('input must be a non-empty string, an array of strings, or an array of token arrays', 'input');
  if (list.length > 2048) throw invalid('input may hold at most 2048 items', 'input');
  const fmt = str(body, 'encoding_format');
  if (fmt !== undefined && fmt !== 'float' && fmt !== 'base64') throw invalid('encoding_format must be float or base64', 'encoding_format');
  return { model, input: list, single, dimensions: int(body, 'dimensions', 'dimensions', 1), encodingFormat: fmt as EmbeddingsRequest['encodingFormat'], user: str(body, 'user') };
}

/**
 * Each vector in the encoding the client asked for, whatever the upstream sent: some OpenAI-compatible
 * servers ignore encoding_format, and the openai SDK asks for base64 by default and decodes it blindly.
 * base64 is little-endian float32, as OpenAI sends it.
 */
export function encodeAs(v: unknown, format: EmbeddingsRequest['encodingFormat']): unknown {
  if (format === 'base64') return Array.isArray(v) ? Buffer.from(new Float32Array(v as number[]).buffer).toString('base64') : v;
  if (typeof v !== 'string') return v;
  const bytes = new Uint8Array(Buffer.from(v, 'base64')); // a copy: aligned for Float32Array
  return Array.from(new Float32Array(bytes.buffer, 0, Math.floor(bytes.length / 4)));
}

export async function handleEmbeddings(gw: Gateway, res: ServerResponse, body: unknown, key: KeyRecord, requestId: string): Promise<void> {
  const req = parseEmbeddings(body);
  if (!modelAllowed(key, req.model)) throw new GatewayError('permission', `this API key may not use model "${req.model}"`);
  gw.pipeline.embeddings(key, req);
  const targets = gw.router.resolve(req.model);
  if (!targets) throw new GatewayError('not_found', `model "${req.model}" is not configured on this gateway`, { param: 'model', code: 'model_not_found' });
  const signal = untilClientGoes(res, 600_000);
  const out = await withFallback(targets, gw.retryPolicy, signal, async ({ target }) => {
    const adapter = target.provider.spec.adapter;
    if (!adapter.embeddings || !adapter.parseEmbeddings) throw new GatewayError('invalid_request', `provider ${target.provider.id} (${target.provider.spec.label}) does not offer embeddings through TrustRelay`);
    const t = targetOf(target);
    const up = await sendUpstream(gw, target, adapter.embeddings(req, t), signal);
    const json = parseJsonBody(
      await readText(up.body, 256 * 1024 * 1024).catch((err: unknown) => {
        throw readFailure(err, signal);
      }),
    );
    try {
      return { resp: adapter.parseEmbeddings(json, req), provider: target.provider.id };
    } catch {
      throw Object.assign(new Error('upstream embeddings answer has an unexpected shape'), { upstreamStreamError: true });
    }
  });
  sendJson(
    res,
    200,
    {
      object: 'list',
      data: out.resp.data.map((embedding, index) => ({ object: 'embedding', index, embedding: encodeAs(embedding, req.encodingFormat) })),
      model: out.resp.model || req.model,
      usage: { prompt_tokens: out.resp.usage.inputTokens, total_tokens: out.resp.usage.inputTokens },
    },
    { 'x-trustrelay-upstream': out.provider, 'x-request-id': requestId },
  );
}

/** POST /v1/messages/count_tokens: passed to the upstream when it is Anthropic, which offers it. */
export async function handleCountTokens(gw: Gateway, res: ServerResponse, raw: unknown, key: KeyRecord): Promise<void> {
  const body = requireObj(raw, 'body');
  // The same checks as a Messages request (system, tools, tool_choice, thinking...), which has max_tokens.
  const { model } = anthropicMessages.parse({ ...body, max_tokens: 1 });
  if (!modelAllowed(key, model)) throw new GatewayError('permission', `this API key may not use model "${model}"`);
  const targets = gw.router.resolve(model)?.filter((t) => t.provider.spec.adapter.countTokens);
  if (targets === undefined) throw new GatewayError('not_found', `model "${model}" is not configured on this gateway`);
  if (targets.length === 0) throw new GatewayError('not_found', `count_tokens is not offered by the providers behind model "${model}"`);
  const signal = untilClientGoes(res, 60_000);
  const json = await withFallback(targets, gw.retryPolicy, signal, async ({ target }) => {
    const up = await sendUpstream(gw, target, target.provider.spec.adapter.countTokens!(body, targetOf(target)), signal);
    return parseJsonBody(
      await readText(up.body, 1024 * 1024).catch((err: unknown) => {
        throw readFailure(err, signal);
      }),
    );
  });
  if (!isObj(json) || typeof json.input_tokens !== 'number') throw new GatewayError('upstream', 'upstream count_tokens answer has no input_tokens');
  sendJson(res, 200, { input_tokens: json.input_tokens });
}
