import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { Cancel, type CancelSignal } from '../util/cancel.js';
import type { UpstreamCall } from '../providers/types.js';

/**
 * Upstream HTTP through undici: one keep-alive Agent per provider (its own connect timeout and
 * connection cap), per-call first-byte and total timeouts, and the client's abort signal.
 */

export interface Timeouts {
  connectMs: number;
  firstByteMs: number;
  totalMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** Why a call failed before an HTTP status arrived. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly reason: 'connect' | 'timeout' | 'aborted' | 'network',
    message: string,
  ) {
    super(message);
  }
}

export class Transport {
  private readonly agents = new Map<string, Agent>();

  agentFor(providerId: string, t: Timeouts, maxConnections: number): Agent {
    let a = this.agents.get(providerId);
    if (!a) {
      a = new Agent({ connect: { timeout: t.connectMs }, connections: maxConnections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
      this.agents.set(providerId, a);
    }
    return a;
  }

  async send(providerId: string, call: UpstreamCall, t: Timeouts, maxConnections: number, clientSignal: CancelSignal): Promise<UpstreamResponse> {
    const agent = this.agentFor(providerId, t, maxConnections);
    // One cancel signal (src/util/cancel.ts: an AbortController costs microseconds per instance) tied by
    // hand to the client's signal and a plain timer, both released when the
    // body is done. (AbortSignal.any + AbortSignal.timeout cost more per call on Node 20 than the rest
    // of send, and left a timer armed for total_ms after every call; see BENCHMARKS.md.)
    const ctl = new Cancel();
    let timedOut = false;
    const onClientAbort = () => ctl.abort(clientSignal.reason);
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, t.totalMs);
    timer.unref();
    const release = () => {
      clearTimeout(timer);
      clientSignal.removeEventListener('abort', onClientAbort);
    };
    if (clientSignal.aborted) onClientAbort();
    else clientSignal.addEventListener('abort', onClientAbort, { once: true });
    const { origin, path } = splitUrl(call.url);
    try {
      const res = await agent.request({
        origin,
        path,
        method: 'POST',
        headers: { ...call.headers, 'accept-encoding': 'identity' },
        body: call.body,
        signal: ctl.signal,
        headersTimeout: t.firstByteMs,
        bodyTimeout: t.firstByteMs,
      });
      res.body.once('close', release);
      res.body.once('error', release);
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      release();
      throw classify(err, clientSignal, timedOut ? ctl.signal : undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => undefined)));
    this.agents.clear();
  }
}

const splitCache = new Map<string, { origin: string; path: string }>();

/** Origin and path of an upstream URL; the few distinct URLs a gateway calls are parsed once. */
function splitUrl(url: string): { origin: string; path: string } {
  let hit = splitCache.get(url);
  if (!hit) {
    const u = new URL(url);
    hit = { origin: u.origin, path: u.pathname + u.search };
    if (splitCache.size >= 1000) splitCache.clear();
    splitCache.set(url, hit);
  }
  return hit;
}

export function classify(err: unknown, clientSignal: CancelSignal, total?: CancelSignal): TransportError {
  if (err instanceof TransportError) return err;
  if (clientSignal.aborted) return new TransportError('aborted', 'the client went away');
  if (total?.aborted) return new TransportError('timeout', 'the upstream did not finish within the total timeout');
  if (err instanceof undiciErrors.HeadersTimeoutError) return new TransportError('timeout', 'the upstream sent no response within the first-byte timeout');
  if (err instanceof undiciErrors.BodyTimeoutError) return new TransportError('timeout', 'the upstream stalled while sending its response');
  if (err instanceof undiciErrors.ConnectTimeoutError) return new TransportError('connect', 'could not connect to the upstream within the connect timeout');
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) return new TransportError('connect', `could not connect to the upstream (${code})`);
  if ((err as Error)?.name === 'AbortError' || (err as Error)?.name === 'TimeoutError') return new TransportError('timeout', 'the upstream did not answer in time');
  return new TransportError('network', `network error talking to the upstream (${code || (err as Error)?.message || 'unknown'})`);
}
