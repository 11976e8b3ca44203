import type { ChatRequest, ChatResponse, EmbeddingsRequest, EmbeddingsResponse, ProtocolFamily, StreamEvent } from '../core/types.js';
import type { SseEvent } from '../util/sse.js';

/** What an adapter knows about the target it is building a call for. */
export interface Target {
  providerId: string;
  baseUrl: string;
  /** The upstream's own model name. */
  model: string;
  apiKey?: string;
  /** Provider-specific settings from config (Azure api_version, extra headers, ...). */
  options: Record<string, unknown>;
}

/** One HTTP call to an upstream, built by an adapter and sent by the transport. */
export interface UpstreamCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Stateful translator of one upstream stream into canonical events. */
export type StreamParser = (ev: SseEvent) => StreamEvent[];

/**
 * A provider adapter: small and declarative. Four required methods; embeddings and token counting
 * are optional capabilities.
 */
export interface ProviderAdapter {
  family: ProtocolFamily;
  chat(req: ChatRequest, t: Target): UpstreamCall;
  parseChat(json: unknown, t: Target): ChatResponse;
  streamParser(t: Target): StreamParser;
  /** The human message inside an upstream error body (never echoes request headers). */
  errorMessage(status: number, body: string): string;
  embeddings?(req: EmbeddingsRequest, t: Target): UpstreamCall;
  parseEmbeddings?(json: unknown, req: EmbeddingsRequest): EmbeddingsResponse;
  /** Anthropic-style token counting passthrough: the call for a Messages-shaped body. */
  countTokens?(body: Record<string, unknown>, t: Target): UpstreamCall;
}

/** A configured provider type: an adapter plus the defaults of one vendor. */
export interface ProviderSpec {
  type: string;
  adapter: ProviderAdapter;
  defaultBaseUrl?: string;
  /** Environment variable the built-in default config reads the key from. */
  envKey?: string;
  /** Where the vendor processes data (ISO country or "local"); used by residency policy. */
  region: string;
  /** True when the provider works without an API key (local servers). */
  keyless?: boolean;
  label: string;
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** Finds a readable error message in common upstream error bodies. */
export function genericErrorMessage(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const e = j.error;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof (e as Record<string, unknown>).message === 'string') return (e as Record<string, string>).message;
    if (typeof j.message === 'string') return j.message;
  } catch {
    /* not JSON */
  }
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return text ? `upstream answered ${status}: ${text}` : `upstream answered ${status}`;
}
