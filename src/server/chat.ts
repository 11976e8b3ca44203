import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors as undiciErrors } from 'undici';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { Outcome, RequestContext } from '../core/pipeline.js';
import type { ChatResponse, StreamEvent } from '../core/types.js';
import { isObj } from '../protocols/validate.js';
import { toClientError, UpstreamHttpError, withFallback, retryAfterMs } from '../routing/execute.js';
import { targetOf, type RouteTarget } from '../routing/router.js';
import { classify, TransportError, type UpstreamResponse } from '../routing/transport.js';
import { scrubSecrets } from '../util/scrub.js';
import { SseParser } from '../util/sse.js';
import type { Gateway } from './gateway.js';
import { collect, sendJson, sendJsonText, write } from './http.js';
import { settle, sha256 } from '../metering/settle.js';
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { CancelSignal } from '../util/cancel.js';

const MAX_ERROR_BODY = 64 * 1024;
const MAX_RESPONSE_BODY = 64 * 1024 * 1024;

export async function readText(body: UpstreamResponse['body'], limit: number): Promise<string> {
  const raw = await collect(
    body,
    limit,
    () => Object.assign(new Error('upstream response exceeds the size limit'), { upstreamStreamError: true }),
    () => Object.assign(new Error('the upstream closed its response before the end'), { upstreamStreamError: true }),
  );
  return raw.toString('utf8');
}

/** The credential values in an upstream call's headers (to scrub them from anything echoed back). */
function credentialsIn(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === 'authorization') out.push(v.replace(/^Bearer\s+/i, ''));
    else if (name === 'x-api-key' || name === 'api-key' || name === 'x-goog-api-key') out.push(v);
  }
  return out;
}

/** Sends one call and turns an HTTP error status into UpstreamHttpError (scrubbed of credentials). */
export async function sendUpstream(gw: Gateway, target: RouteTarget, call: { url: string; headers: Record<string, string>; body: string }, signal: CancelSignal): Promise<UpstreamResponse> {
  const p = target.provider;
  let up: UpstreamResponse;
  try {
    up = await gw.transport.send(p.id, call, p.timeouts, p.maxConnections, signal);
  } catch (err) {
    // Name the address (never the path or the key): "is Ollama running at 127.0.0.1:11434?"
    if (err instanceof TransportError && err.reason === 'connect') err.message += ` at ${new URL(call.url).host}`;
    throw err;
  }
  if (up.status >= 400) {
    const text = await readText(up.body, MAX_ERROR_BODY).catch(() => '');
    const message = scrubSecrets(p.spec.adapter.errorMessage(up.status, text), credentialsIn(call.headers));
    throw new UpstreamHttpError(up.status, message, retryAfterMs(up.headers['retry-after']));
  }
  return up;
}

/**
 * A failure while reading an upstream body (stalled past the timeout, connection reset, total timeout)
 * is a transport failure like one before the headers: a timeout or a failed target, not garbage.
 */
export function readFailure(err: unknown, signal: CancelSignal): unknown {
  const name = (err as Error)?.name;
  return err instanceof undiciErrors.UndiciError || name === 'AbortError' || name === 'TimeoutError' ? classify(err, signal) : err;
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('upstream answered with invalid JSON'), { upstreamStreamError: true });
  }
}

function contentType(up: UpstreamResponse): string {
  const ct = up.headers['content-type'];
  return (Array.isArray(ct) ? ct[0] : ct) ?? '';
}

/** The generated text of a response (for a local token count when the upstream gave no usage). */
function outputText(resp: ChatResponse): string {
  let s = '';
  for (const c of resp.choices) for (const p of c.content) s += p.type === 'text' || p.type === 'thinking' ? p.text : p.type === 'tool_call' ? p.arguments : '';
  return s;
}

/** Canonical events for a complete response (an upstream that answered a stream request with JSON). */
export function eventsOf(resp: ChatResponse): StreamEvent[] {
  const out: StreamEvent[] = [{ type: 'start', id: resp.id, model: resp.model, created: resp.created }];
  for (const c of resp.choices) {
    let tool = 0;
    for (const p of c.content) {
      if (p.type === 'text') out.push({ type: 'text', choice: c.index, text: p.text });
      else if (p.type === 'thinking') out.push({ type: 'thinking', choice: c.index, text: p.text });
      else if (p.type === 'tool_call') {
        out.push({ type: 'tool_call_start', choice: c.index, index: tool, id: p.id, name: p.name, ...(p.signature ? { signature: p.signature } : {}) }, { type: 'tool_call_delta', choice: c.index, index: tool, arguments: p.arguments });
        tool++;
      }
    }
    out.push({ type: 'finish', choice: c.index, reason: c.finishReason });
  }
  if (resp.usage) out.push({ type: 'usage', usage: resp.usage });
  return out;
}

export async function completeChat(gw: Gateway, ctx: RequestContext, targets: RouteTarget[], res: ServerResponse, outcome: Outcome): Promise<void> {
  const resp = await withFallback(targets, gw.retryPolicy, ctx.signal, async ({ target }) => {
    const t = targetOf(target);
    const adapter = target.provider.spec.adapter;
    const up = await sendUpstream(gw, target, adapter.chat(ctx.req, t), ctx.signal);
    const json = parseJsonBody(
      await readText(up.body, MAX_RESPONSE_BODY).catch((err: unknown) => {
        throw readFailure(err, ctx.signal);
      }),
    );
    try {
      const parsed = adapter.parseChat(json, t);
      ctx.target = target;
      return parsed;
    } catch {
      throw Object.assign(new Error('upstream answer has an unexpected shape'), { upstreamStreamError: true });
    }
  });
  ctx.usage = resp.usage;
  ctx.servedModel = resp.model;
  await gw.pipeline.response(ctx, resp);
  const text = JSON.stringify(ctx.protocol.render(resp, ctx.req));
  const receipt = gw.billing ? await settle(gw.billing, ctx, 'ok', sha256(text), resp.usage ? '' : outputText(resp)) : undefined;
  outcome.status = 200;
  outcome.committed = true;
  outcome.settled = true;
  outcome.timeToFirstByteMs = Date.now() - ctx.startedAt;
  sendJsonText(res, 200, text, { ...ctx.responseHeaders, 'x-trustrelay-upstream': ctx.target!.provider.id, ...(receipt ? { 'x-trustrelay-receipt': receipt } : {}) });
}

export async function streamChat(gw: Gateway, ctx: RequestContext, targets: RouteTarget[], res: ServerResponse, outcome: Outcome): Promise<void> {
  const renderer = ctx.protocol.stream(ctx.req);
  let pending = '';
  let hash = createHash('sha256');
  // Kept only to estimate output tokens when the upstream reports no usage (bounded).
  let streamed = '';
  // A stream that ends without a finish reason was cut short, however cleanly it closed.
  let finished = false;
  // Returns a promise only when the client is slower than the upstream (backpressure): awaiting
  // nothing per event keeps a microtask per event off the hot path.
  const flush = (target: RouteTarget, force: boolean): Promise<void> | undefined => {
    if (!pending) return undefined;
    if (!res.headersSent) {
      if (!force) return undefined;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-trustrelay-upstream': target.provider.id,
        ...ctx.responseHeaders,
      });
      outcome.committed = true;
      outcome.status = 200;
      outcome.timeToFirstByteMs = Date.now() - ctx.startedAt;
    }
    const data = pending;
    pending = '';
    hash.update(data);
    return write(res, data);
  };
  const handle = (target: RouteTarget, ev: StreamEvent): Promise<void> | undefined => {
    if (ev.type === 'usage') ctx.usage = ev.usage;
    else if (ev.type === 'start') ctx.servedModel = ev.model;
    else if ((ev.type === 'text' || ev.type === 'thinking') && streamed.length < 1_000_000) streamed += ev.text;
    else if (ev.type === 'tool_call_delta' && streamed.length < 1_000_000) streamed += ev.arguments;
    if (ev.type === 'finish') finished = true;
    for (const out of gw.pipeline.streamEvent(ctx, ev)) pending += renderer.event(out);
    // Hold the opening frames until content arrives, so a failure before it can still fall back.
    return flush(target, ev.type !== 'start');
  };

  await withFallback(targets, gw.retryPolicy, ctx.signal, async ({ target }) => {
    const t = targetOf(target);
    const adapter = target.provider.spec.adapter;
    const up = await sendUpstream(gw, target, adapter.chat(ctx.req, t), ctx.signal);
    ctx.target = target;
    pending = '';
    streamed = '';
    finished = false;
    hash = createHash('sha256');
    try {
      if (!contentType(up).includes('text/event-stream')) {
        const resp = adapter.parseChat(parseJsonBody(await readText(up.body, MAX_RESPONSE_BODY)), t);
        for (const ev of eventsOf(resp)) await handle(target, ev);
      } else {
        const parse = adapter.streamParser(t);
        const sse = new SseParser();
        const decoder = new StringDecoder('utf8');
        for await (const chunk of up.body) {
          for (const e of sse.push(decoder.write(chunk as Buffer))) {
            const evs = parse(e);
            ctx.trace?.(e, evs);
            for (const ev of evs) {
              const wait = handle(target, ev);
              if (wait) await wait;
            }
          }
        }
        for (const e of sse.end()) {
          const evs = parse(e);
          ctx.trace?.(e, evs);
          for (const ev of evs) await handle(target, ev);
        }
        if (!finished) throw Object.assign(new Error('the upstream stream ended before the answer was complete'), { upstreamStreamError: true });
      }
      for (const ev of gw.pipeline.streamEnd(ctx)) pending += renderer.event(ev);
      pending += renderer.end();
      await flush(target, true);
      if (gw.billing) {
        const receipt = await settle(gw.billing, ctx, 'ok', hash.digest('hex'), streamed);
        await write(res, `: x-trustrelay-receipt ${receipt}\n\n`);
      }
      outcome.settled = true;
    } catch (caught) {
      up.body.destroy();
      let err = readFailure(caught, ctx.signal);
      if (err instanceof SyntaxError) err = Object.assign(new Error('upstream sent a malformed stream event'), { upstreamStreamError: true });
      // An error event in the stream carries the upstream's own words: scrub them like error bodies.
      if (err instanceof Error && (err as { upstreamStreamError?: boolean }).upstreamStreamError) err.message = scrubSecrets(err.message, [t.apiKey]);
      if (outcome.committed) throw Object.assign(err instanceof Error ? err : new Error(String(err)), { committed: true });
      throw err;
    }
  }).catch(async (err: unknown) => {
    if (!outcome.committed) throw err;
    // Bytes already reached the client: report the failure in-stream and end (never retry)...
    if (!ctx.signal.aborted) {
      const gwErr = toClientError(err, ctx.target?.provider.id);
      outcome.error = gwErr;
      if (gwErr.kind === 'internal') gw.log.error({ requestId: ctx.id, err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'internal error mid-stream');
      await write(res, renderer.error(gwErr));
    }
    if (!res.writableEnded) res.end();
    // ...then bill, so the client is not kept waiting on an estimate. Policy: src/metering/settle.ts.
    if (!outcome.settled) {
      outcome.settled = true;
      if (gw.billing) await settle(gw.billing, ctx, ctx.signal.aborted ? 'client_aborted' : 'upstream_error', hash.digest('hex'), streamed).catch(() => undefined);
    }
  });
  if (!res.writableEnded) res.end();
}

/** Error response in the client's protocol (before any byte was sent). */
export function sendError(res: ServerResponse, protocol: { error(err: GatewayError): { status: number; body: unknown } }, err: unknown, requestId: string): GatewayError {
  const gwErr = toGatewayError(err);
  const { status, body } = protocol.error(gwErr);
  const headers: Record<string, string> = { 'x-request-id': requestId, ...(gwErr.headers ?? {}) };
  if (gwErr.retryAfterSeconds !== undefined) headers['retry-after'] = String(gwErr.retryAfterSeconds);
  if (!res.headersSent) sendJson(res, status, body, headers);
  else if (!res.writableEnded) res.end();
  return gwErr;
}

export function isAbortLike(err: unknown): boolean {
  return err instanceof TransportError && err.reason === 'aborted';
}

export function bodyModel(body: unknown): string | undefined {
  return isObj(body) && typeof body.model === 'string' ? body.model : undefined;
}

export type { IncomingMessage };
