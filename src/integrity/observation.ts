/**
 * The observation record: what the gateway (or the audit client) saw of one upstream response. The
 * passive analyzers in signals.ts are pure functions of it. Fill what is known; leave the rest out.
 */
import type { ChatMessageForCount } from './tokenizer.js';

export type Protocol = 'openai' | 'anthropic';

export interface Observation {
  protocol: Protocol;
  /** Model name the client asked for (as sent upstream). */
  requestedModel: string;
  /** Model name the upstream reported in its response, if any. */
  servedModel?: string;
  /** Response id as sent by the upstream (chatcmpl-..., msg_...). */
  responseId?: string;
  /** `object` field (OpenAI) or `type` field (Anthropic) of the response or its chunks. */
  objectType?: string;
  /** HTTP status of the upstream response. */
  status?: number;
  stream: boolean;
  /**
   * Stream event sequence, one entry per event. OpenAI: 'role' (first chunk with delta.role),
   * 'delta' (content or tool-call delta), 'finish' (chunk with finish_reason), 'usage' (usage-only
   * chunk), 'done' ([DONE]). Anthropic: the SSE event names (message_start, content_block_delta, ...).
   */
  streamEvents?: string[];
  /** Arrival times (ms since the request was sent) of the chunks that carried content. */
  contentChunkTimesMs?: number[];
  /** Time to first content byte or chunk, in ms. */
  ttftMs?: number;
  /** Total time of the request, in ms. */
  totalMs?: number;
  /** Usage as reported by the upstream. */
  usage?: {
    promptTokens?: number;
    completionTokens?: number;
    /** Hidden reasoning tokens included in completionTokens (OpenAI completion_tokens_details.reasoning_tokens). */
    reasoningTokens?: number;
  };
  /** Usage a trusted reference reported for the same request, when one was asked (audit mode). */
  referenceUsage?: { promptTokens?: number; completionTokens?: number };
  /** Plain-text prompt messages (leave out when the prompt had images, tools or other parts). */
  promptMessages?: ChatMessageForCount[];
  requested: {
    tools?: boolean;
    /** tool_choice forced a call (required / a named function / Anthropic {type:'any'|'tool'}). */
    toolChoiceForced?: boolean;
    jsonMode?: boolean;
    logprobs?: boolean;
  };
  honoured: {
    toolCalls?: boolean;
    logprobs?: boolean;
  };
  /** Completion text (concatenated content). */
  text: string;
  /** Unix ms when the observation was made (defaults to now). */
  at?: number;
}

/** One finding of one analyzer about one observation. */
export interface Signal {
  /** Stable name: model-name, protocol, usage, tool-dropped, json-ignored, logprobs-missing, fake-stream, performance. */
  kind: string;
  /** true when the observation looks wrong for this kind; false when it was checked and looks right. */
  flagged: boolean;
  detail: string;
  /** Optional numeric value (usage: relative excess; performance: ms or tokens/s). */
  value?: number;
  /** Usage only: reported and expected totals for the sequential inflation test. */
  reported?: number;
  expected?: number;
  /** Performance only: metric values. */
  metrics?: { ttftMs?: number; totalMs?: number; tokensPerSecond?: number };
}
