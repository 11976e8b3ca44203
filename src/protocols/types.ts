import type { GatewayError } from '../core/errors.js';
import type { ChatRequest, ChatResponse, ProtocolFamily, StreamEvent } from '../core/types.js';

/** Renders canonical stream events as one client protocol's SSE frames. */
export interface StreamRenderer {
  /** SSE text for one event ('' when the event produces no frame). */
  event(ev: StreamEvent): string;
  /** Frames that close a successful stream. */
  end(): string;
  /** A frame that reports an error after the stream started (status can no longer change). */
  error(err: GatewayError): string;
}

/** One inbound client protocol: parse into the canonical form, render back out. */
export interface ClientProtocol {
  family: ProtocolFamily;
  parse(body: unknown): ChatRequest;
  render(resp: ChatResponse, req: ChatRequest): unknown;
  stream(req: ChatRequest): StreamRenderer;
  error(err: GatewayError): { status: number; body: unknown };
}
