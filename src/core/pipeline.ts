import type { CancelSignal } from '../util/cancel.js';
import type { KeyRecord } from '../auth/keys.js';
import type { ClientProtocol } from '../protocols/types.js';
import type { RouteTarget } from '../routing/router.js';
import type { GatewayError } from './errors.js';
import type { ChatRequest, ChatResponse, EmbeddingsRequest, StreamEvent, Usage } from './types.js';

/**
 * One request is one walk down a pipeline of stages. A stage owns one concern (desensitize, guard,
 * integrity, metering, ...) and may act on the request before the upstream call, on each streamed
 * event (with bounded hold-back: it may return fewer events now and more later), and on the final
 * response. Stages run in order on the way in and in reverse order on the way out, so the stage
 * that pseudonymized first restores last.
 */

export interface RequestContext {
  id: string;
  /** The client protocol the request arrived in. */
  protocol: ClientProtocol;
  key: KeyRecord;
  clientIp: string;
  req: ChatRequest;
  /** SHA-256 (hex) of the request body as received. */
  requestHash: string;
  startedAt: number;
  signal: CancelSignal;
  /** The target that answered (set once an upstream call succeeded). */
  target?: RouteTarget;
  /** Upstream-reported usage once known. */
  usage?: Usage;
  /** Model name the upstream says it served. */
  servedModel?: string;
  /** Headers to add to the client response (stages may add, before the first byte). */
  responseHeaders: Record<string, string>;
  /** Set by a stage that wants to see each raw upstream SSE event with its canonical events (integrity). */
  trace?: (raw: { event?: string; data: string }, events: StreamEvent[]) => void;
  /** Per-stage scratch space, keyed by stage name. */
  state: Map<string, unknown>;
}

export interface Outcome {
  status: number;
  error?: GatewayError;
  /** True when the client went away before the answer was complete. */
  clientAborted: boolean;
  /** True when at least one byte of the answer reached the client. */
  committed: boolean;
  /** True once the exchange has its ledger entry. */
  settled?: boolean;
  timeToFirstByteMs?: number;
}

export interface Stage {
  name: string;
  /** Before routing: transform ctx.req or throw a GatewayError to refuse. */
  onRequest?(ctx: RequestContext): void | Promise<void>;
  /** Per streamed event; returns the events to pass on (possibly none yet, held back). */
  onStreamEvent?(ctx: RequestContext, ev: StreamEvent): StreamEvent[];
  /** End of stream: flush anything held back. */
  onStreamEnd?(ctx: RequestContext): StreamEvent[];
  /** On a complete (non-streamed) response; may transform it in place. */
  onResponse?(ctx: RequestContext, resp: ChatResponse): void | Promise<void>;
  /** After the exchange, success or not. Must not throw. */
  onDone?(ctx: RequestContext, outcome: Outcome): void;
  /** Before an embeddings call: transform the inputs or throw a GatewayError to refuse. */
  onEmbeddings?(key: KeyRecord, req: EmbeddingsRequest): void;
}

export class Pipeline {
  private readonly reversed: Stage[];
  constructor(readonly stages: Stage[]) {
    this.reversed = [...stages].reverse();
  }

  async request(ctx: RequestContext): Promise<void> {
    for (const s of this.stages) if (s.onRequest) await s.onRequest(ctx);
  }

  async response(ctx: RequestContext, resp: ChatResponse): Promise<void> {
    for (const s of this.reversed) if (s.onResponse) await s.onResponse(ctx, resp);
  }

  /** Passes one upstream event through every stage (outermost last). */
  streamEvent(ctx: RequestContext, ev: StreamEvent): StreamEvent[] {
    let events = [ev];
    for (const s of this.reversed) {
      if (!s.onStreamEvent) continue;
      const next: StreamEvent[] = [];
      for (const e of events) next.push(...s.onStreamEvent(ctx, e));
      events = next;
    }
    return events;
  }

  streamEnd(ctx: RequestContext): StreamEvent[] {
    let events: StreamEvent[] = [];
    for (const s of this.reversed) {
      const next: StreamEvent[] = [];
      if (s.onStreamEvent) for (const e of events) next.push(...s.onStreamEvent(ctx, e));
      else next.push(...events);
      if (s.onStreamEnd) next.push(...s.onStreamEnd(ctx));
      events = next;
    }
    return events;
  }

  embeddings(key: KeyRecord, req: EmbeddingsRequest): void {
    for (const s of this.stages) s.onEmbeddings?.(key, req);
  }

  done(ctx: RequestContext, outcome: Outcome): void {
    for (const s of this.stages) {
      try {
        s.onDone?.(ctx, outcome);
      } catch {
        /* a reporting stage must never break the response */
      }
    }
  }
}
