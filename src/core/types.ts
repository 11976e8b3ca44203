/**
 * The canonical request/response form. Every client protocol is parsed into it and every provider
 * adapter is built from it, so protocol A reaches provider B through one translation each way.
 */

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** A prompt-caching hint (Anthropic cache_control), carried to upstreams that understand it. */
export type CacheHint = Record<string, unknown>;

export type ContentPart =
  | { type: 'text'; text: string; cache?: CacheHint }
  | { type: 'image'; url?: string; data?: string; mediaType?: string; detail?: string; cache?: CacheHint }
  /** `signature`: an opaque provider token that must travel back with the call (Gemini's thoughtSignature). */
  | { type: 'tool_call'; id: string; name: string; arguments: string; cache?: CacheHint; signature?: string }
  | { type: 'tool_result'; toolCallId: string; content: string | ContentPart[]; isError?: boolean; cache?: CacheHint }
  | { type: 'thinking'; text: string; signature?: string }
  | { type: 'redacted_thinking'; data: string };

export interface Message {
  role: Role;
  content: ContentPart[];
  name?: string;
}

export interface ToolDef {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
  cache?: CacheHint;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ResponseFormat {
  type: 'text' | 'json_object' | 'json_schema';
  name?: string;
  schema?: Record<string, unknown>;
  strict?: boolean;
}

/** Which client protocol a request arrived in; adapters of the same family pass `extra` through. */
export type ProtocolFamily = 'openai' | 'anthropic' | 'gemini';

export interface ChatRequest {
  model: string;
  messages: Message[];
  tools?: ToolDef[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  n?: number;
  responseFormat?: ResponseFormat;
  logprobs?: boolean;
  topLogprobs?: number;
  stream: boolean;
  /** The client asked for a usage chunk at the end of a stream (OpenAI include_usage). */
  includeUsage?: boolean;
  thinking?: { budgetTokens: number };
  reasoningEffort?: string;
  user?: string;
  metadata?: Record<string, unknown>;
  /** Protocol headers for an upstream of the same family (anthropic-beta). */
  upstreamHeaders?: { family: ProtocolFamily; headers: Record<string, string> };
  /** Fields this form does not model, kept for an upstream that speaks the same protocol. */
  extra?: { family: ProtocolFamily; fields: Record<string, unknown> };
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheCreationTokens?: number;
  reasoningTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface Choice {
  index: number;
  content: ContentPart[];
  finishReason: FinishReason;
  /** Provider logprobs, passed through untouched (OpenAI shape). */
  logprobs?: unknown;
}

export interface ChatResponse {
  id: string;
  model: string;
  created: number;
  choices: Choice[];
  usage?: Usage;
  systemFingerprint?: string;
}

/** One event of a streamed answer, in canonical form. `choice` is the OpenAI `n` index (0 otherwise). */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; created: number; /** Prompt usage when the upstream tells it up front (Anthropic). */ usage?: Usage }
  | { type: 'text'; choice: number; text: string }
  | { type: 'thinking'; choice: number; text: string }
  | { type: 'thinking_signature'; choice: number; signature: string }
  | { type: 'redacted_thinking'; choice: number; data: string }
  | { type: 'tool_call_start'; choice: number; index: number; id: string; name: string; signature?: string }
  | { type: 'tool_call_delta'; choice: number; index: number; arguments: string }
  | { type: 'logprobs'; choice: number; logprobs: unknown }
  | { type: 'finish'; choice: number; reason: FinishReason }
  | { type: 'usage'; usage: Usage };

export interface EmbeddingsRequest {
  model: string;
  input: string[] | number[][];
  /** true when the client sent a single string rather than a list. */
  single: boolean;
  dimensions?: number;
  encodingFormat?: 'float' | 'base64';
  user?: string;
}

export interface EmbeddingsResponse {
  model: string;
  data: number[][] | string[];
  usage: { inputTokens: number };
}

export function textOf(parts: ContentPart[]): string {
  let s = '';
  for (const p of parts) if (p.type === 'text') s += p.text;
  return s;
}
