import type { CancelSignal } from '../util/cancel.js';
import { GatewayError } from '../core/errors.js';
import type { RouteTarget } from './router.js';
import { TransportError } from './transport.js';

/**
 * Retries, backoff and fallback. `attempt` does one whole try against one target (send and, for
 * streams, read until the first byte is committed to the client). It throws:
 * - UpstreamHttpError for an HTTP error status,
 * - TransportError for connect/timeout/network failures,
 * - anything carrying `committed: true` once bytes reached the client: never retried.
 */

export class UpstreamHttpError extends Error {
  override name = 'UpstreamHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export interface AttemptInfo {
  target: RouteTarget;
  /** 1-based count of tries across all targets. */
  tryNumber: number;
}

const sleep = (ms: number, signal: CancelSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Full-jitter exponential backoff, raised to the upstream's Retry-After when it gave one. */
export function backoffDelay(p: RetryPolicy, retry: number, retryAfterMs?: number, random = Math.random): number {
  const cap = Math.min(p.maxBackoffMs, p.backoffMs * 2 ** retry);
  const jittered = cap / 2 + random() * (cap / 2);
  return Math.min(p.maxBackoffMs, Math.max(jittered, retryAfterMs ?? 0));
}

function retryable(err: unknown): boolean {
  if (err instanceof UpstreamHttpError) return err.status === 429 || err.status >= 500;
  if (err instanceof TransportError) return err.reason === 'connect' || err.reason === 'network';
  return false;
}

/** Errors that say this target is unusable now (try the next one); others are the caller's fault. */
function targetFailure(err: unknown): boolean {
  if (err instanceof UpstreamHttpError) return err.status === 429 || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 408;
  if (err instanceof TransportError) return err.reason !== 'aborted';
  return (err as { upstreamStreamError?: boolean })?.upstreamStreamError === true;
}

export function toClientError(err: unknown, providerId?: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const who = providerId ? `upstream ${providerId}` : 'the upstream';
  if (err instanceof UpstreamHttpError) {
    if (err.status === 429) return new GatewayError('rate_limit', `${who} is rate limiting: ${err.message}`, { retryAfterSeconds: err.retryAfterMs ? Math.ceil(err.retryAfterMs / 1000) : 1 });
    if (err.status === 401 || err.status === 403) return new GatewayError('upstream', `${who} rejected the gateway's provider credentials (${err.status}); an administrator must fix the provider key`);
    if (err.status === 404) return new GatewayError('not_found', `${who}: ${err.message}`);
    if (err.status === 408) return new GatewayError('timeout', `${who} timed out (408): ${err.message}`);
    if (err.status === 413) return new GatewayError('too_large', `${who}: ${err.message}`);
    if (err.status >= 400 && err.status < 500) return new GatewayError('invalid_request', `${who}: ${err.message}`, { status: err.status === 422 ? 422 : 400 });
    return new GatewayError('upstream', `${who} failed (${err.status}): ${err.message}`);
  }
  if (err instanceof TransportError) {
    if (err.reason === 'timeout') return new GatewayError('timeout', `${who}: ${err.message}`);
    return new GatewayError('upstream', `${who}: ${err.message}`);
  }
  if ((err as { upstreamStreamError?: boolean })?.upstreamStreamError) return new GatewayError('upstream', `${who} reported an error: ${(err as Error).message}`);
  // Anything else is a bug in the gateway (a stage, an adapter), not the upstream's doing.
  return new GatewayError('internal', 'internal error in the gateway; the request id is in the x-request-id header');
}

/** Errors this module knows how to describe to a client; anything else is a gateway bug. */
function known(err: unknown): boolean {
  return err instanceof GatewayError || err instanceof UpstreamHttpError || err instanceof TransportError || (err as { upstreamStreamError?: boolean })?.upstreamStreamError === true;
}

export async function withFallback<T>(targets: RouteTarget[], policy: RetryPolicy, signal: CancelSignal, attempt: (info: AttemptInfo) => Promise<T>): Promise<T> {
  let lastErr: unknown;
  let lastProvider: string | undefined;
  let tries = 0;
  let rested = 0;
  for (const target of targets) {
    if (!target.breaker.allow()) {
      rested++;
      continue;
    }
    for (let retry = 0; ; retry++) {
      tries++;
      try {
        const result = await attempt({ target, tryNumber: tries });
        target.breaker.success();
        return result;
      } catch (err) {
        lastErr = err;
        lastProvider = target.provider.id;
        if ((err as { committed?: boolean })?.committed || signal.aborted) throw err;
        if (!targetFailure(err)) {
          target.breaker.success();
          // A gateway bug goes up unchanged, so the request handler logs it with its stack.
          throw known(err) ? toClientError(err, target.provider.id) : err;
        }
        target.breaker.failure();
        if (!retryable(err) || retry >= policy.retries) break;
        await sleep(backoffDelay(policy, retry, (err as UpstreamHttpError).retryAfterMs), signal);
        if (signal.aborted) throw new TransportError('aborted', 'the client went away');
        if (!target.breaker.allow()) break;
      }
    }
  }
  if (lastErr === undefined) {
    // Nothing was tried: every target is resting, or routing left none (e.g. all quarantined).
    const wait = targets.length ? Math.min(...targets.map((t) => t.breaker.retryAfterMs())) : 0;
    const why = rested > 0 ? 'every upstream for this model is resting after repeated failures; try again shortly' : 'no upstream is available for this model right now';
    throw new GatewayError('unavailable', why, { retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) });
  }
  throw toClientError(lastErr, lastProvider);
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}
