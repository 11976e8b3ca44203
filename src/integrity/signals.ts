/**
 * Passive analyzers: pure functions from one Observation to Signals. Each analyzer is data plus a
 * small function and carries positive (should flag) and negative (should not flag) examples that the
 * test suite runs. None of them is a verdict on its own: the IntegrityMonitor aggregates them.
 */
import type { Observation, Signal } from './observation.js';
import { countChatPromptDetailed, countTokensDetailed, familyForModel } from './tokenizer.js';

export interface Analyzer {
  id: string;
  description: string;
  analyze(obs: Observation): Signal[];
  examples: { positive: Observation[]; negative: Observation[] };
}

const base: Observation = { protocol: 'openai', requestedModel: 'gpt-4o', stream: false, requested: {}, honoured: {}, text: 'Hello there.' };
const ex = (o: Partial<Observation>): Observation => ({ ...base, ...o, requested: { ...base.requested, ...o.requested }, honoured: { ...base.honoured, ...o.honoured } });

/** True when `served` names the same model as `requested` (exact, a dated snapshot of it, or a provider prefix). */
export function sameModelName(requested: string, served: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/^[a-z0-9_-]+\//, '').trim();
  const r = norm(requested);
  const s = norm(served);
  if (r === s) return true;
  // Dated snapshots: gpt-4o -> gpt-4o-2024-08-06, claude-sonnet-4-5 -> claude-sonnet-4-5-20250929.
  const rest = s.startsWith(r) ? s.slice(r.length) : undefined;
  if (rest !== undefined && /^-(\d{4}-\d{2}-\d{2}|\d{8}|latest|preview)$/.test(rest)) return true;
  // Alias "-latest" requested, dated served.
  if (r.endsWith('-latest') && s.startsWith(r.slice(0, -'-latest'.length))) return true;
  return false;
}

export const modelNameAnalyzer: Analyzer = {
  id: 'model-name',
  description: 'The model name in the response must be the requested one (or a dated snapshot of it).',
  analyze(obs) {
    if (!obs.servedModel) return [{ kind: 'model-name', flagged: true, detail: 'response names no model' }];
    const ok = sameModelName(obs.requestedModel, obs.servedModel);
    return [{ kind: 'model-name', flagged: !ok, detail: ok ? `served ${obs.servedModel}` : `requested ${obs.requestedModel}, served ${obs.servedModel}` }];
  },
  examples: {
    positive: [ex({ servedModel: 'gpt-4o-mini' }), ex({ servedModel: 'qwen2.5-7b-instruct' })],
    negative: [ex({ servedModel: 'gpt-4o' }), ex({ servedModel: 'gpt-4o-2024-08-06' }), ex({ requestedModel: 'claude-sonnet-4-5', servedModel: 'claude-sonnet-4-5-20250929', protocol: 'anthropic' })],
  },
};

const OPENAI_STREAM = /^role( delta)* finish( usage)? done$/;
const OPENAI_STREAM_LOOSE = /(^| )finish( usage)?( done)?$/;
const ANTHROPIC_STREAM = /^message_start( ping)*( content_block_start( ping)*( content_block_delta| ping)* content_block_stop)+( ping)* message_delta( ping)* message_stop$/;

/**
 * Id formats are checked only where the requested model's genuine provider is known (OpenAI models on
 * the OpenAI protocol, Claude models on the Anthropic protocol): other OpenAI-compatible servers use
 * their own ids legitimately. Object types and stream grammar are checked for every model.
 */
export const protocolAnalyzer: Analyzer = {
  id: 'protocol',
  description: 'Response id format, object type and stream event grammar must match the genuine provider.',
  analyze(obs) {
    const problems: string[] = [];
    const genuineIds = obs.protocol === 'openai' ? familyForModel(obs.requestedModel) !== undefined : /^claude/i.test(obs.requestedModel);
    if (obs.protocol === 'openai') {
      if (genuineIds && obs.responseId !== undefined && !/^chatcmpl-[A-Za-z0-9_-]{8,}$/.test(obs.responseId)) problems.push(`id "${obs.responseId}" is not chatcmpl-<id>`);
      const want = obs.stream ? 'chat.completion.chunk' : 'chat.completion';
      if (obs.objectType !== undefined && obs.objectType !== want) problems.push(`object "${obs.objectType}", expected ${want}`);
      if (obs.stream && obs.streamEvents) {
        const seq = obs.streamEvents.join(' ');
        if (!OPENAI_STREAM.test(seq)) problems.push(OPENAI_STREAM_LOOSE.test(seq) ? `stream lacks role chunk or [DONE]: ${abbrev(seq)}` : `unexpected stream grammar: ${abbrev(seq)}`);
      }
    } else {
      if (genuineIds && obs.responseId !== undefined && !/^msg_[A-Za-z0-9]{8,}$/.test(obs.responseId)) problems.push(`id "${obs.responseId}" is not msg_<id>`);
      if (obs.objectType !== undefined && obs.objectType !== 'message') problems.push(`type "${obs.objectType}", expected message`);
      if (obs.stream && obs.streamEvents) {
        const seq = obs.streamEvents.join(' ');
        if (!ANTHROPIC_STREAM.test(seq)) problems.push(`unexpected stream grammar: ${abbrev(seq)}`);
      }
    }
    return [{ kind: 'protocol', flagged: problems.length > 0, detail: problems.join('; ') || 'fingerprint matches' }];
  },
  examples: {
    positive: [
      ex({ responseId: 'resp-12345' }),
      ex({ stream: true, objectType: 'chat.completion.chunk', streamEvents: ['delta', 'done'] }),
      ex({ protocol: 'anthropic', responseId: 'msg_01ABCdefGHIjkl', objectType: 'message', stream: true, streamEvents: ['content_block_delta', 'message_stop'] }),
      ex({ protocol: 'anthropic', requestedModel: 'claude-sonnet-4-5', responseId: 'chatcmpl-abc123def456', objectType: 'message' }),
    ],
    negative: [
      ex({ responseId: 'chatcmpl-AbC123xyz789', objectType: 'chat.completion' }),
      ex({ requestedModel: 'deepseek-chat', responseId: '3f2b9c1e-0d4a-4b8e-9a51-2c7e6f1d8a90', objectType: 'chat.completion' }),
      ex({ stream: true, objectType: 'chat.completion.chunk', streamEvents: ['role', 'delta', 'delta', 'finish', 'usage', 'done'] }),
      ex({ protocol: 'anthropic', responseId: 'msg_01ABCdefGHIjkl', objectType: 'message', stream: true, streamEvents: ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'] }),
    ],
  },
};

function abbrev(s: string): string {
  const parts = s.split(' ');
  const compact: string[] = [];
  for (const p of parts) {
    const last = compact[compact.length - 1];
    if (last && (last === p || last.startsWith(`${p}×`))) {
      const n = last.includes('×') ? Number(last.split('×')[1]) + 1 : 2;
      compact[compact.length - 1] = `${p}×${n}`;
    } else compact.push(p);
  }
  return compact.join(' ');
}

/**
 * Expected usage for an observation: from the public tokenizer of the requested model's family when
 * there is one (prompt only for plain-text messages without tools), else from the reference's counts.
 */
export function expectedUsage(obs: Observation): { promptTokens?: number; completionTokens?: number; source: 'tokenizer' | 'reference' } | undefined {
  const family = familyForModel(obs.requestedModel);
  if (family && obs.protocol === 'openai') {
    const plain = obs.promptMessages && !obs.requested.tools;
    // Only exact counts are compared: an estimated count would read as inflation or deflation.
    const prompt = plain ? countChatPromptDetailed(obs.promptMessages!, family) : undefined;
    const completion = obs.honoured.toolCalls || obs.requested.tools ? undefined : countTokensDetailed(obs.text, family);
    return {
      promptTokens: prompt?.exact ? prompt.count : undefined,
      completionTokens: completion?.exact ? completion.count : undefined,
      source: 'tokenizer',
    };
  }
  if (obs.referenceUsage) return { promptTokens: obs.referenceUsage.promptTokens, source: 'reference' };
  return undefined;
}

/**
 * Reported vs expected token totals over the parts of one response that can be verified (prompt and/or
 * visible completion), or undefined when nothing can be.
 */
export function usageComparison(obs: Observation): { reported: number; expected: number; source: 'tokenizer' | 'reference' } | undefined {
  const exp = expectedUsage(obs);
  const u = obs.usage;
  if (!exp || !u) return undefined;
  let reported = 0;
  let expected = 0;
  if (exp.promptTokens !== undefined && u.promptTokens !== undefined) {
    reported += u.promptTokens;
    expected += exp.promptTokens;
  }
  if (exp.completionTokens !== undefined && u.completionTokens !== undefined) {
    // Hidden reasoning tokens cannot be counted locally: compare the visible part only.
    reported += u.completionTokens - (u.reasoningTokens ?? 0);
    expected += exp.completionTokens;
  }
  return expected > 0 ? { reported, expected, source: exp.source } : undefined;
}

export const usageAnalyzer: Analyzer = {
  id: 'usage',
  description: 'Reported token counts against a local tokenizer (public families) or a trusted reference.',
  analyze(obs) {
    if (!obs.usage) return [{ kind: 'usage', flagged: obs.status === undefined || obs.status < 300, detail: 'no usage reported' }];
    const c = usageComparison(obs);
    if (!c) return [];
    const excess = c.reported / c.expected - 1;
    // Per-request flag only for gross mismatch; small systematic inflation is the monitor's sequential test.
    return [{ kind: 'usage', flagged: Math.abs(excess) > 0.25 && Math.abs(c.reported - c.expected) > 3, detail: `reported ${c.reported} tokens, ${c.source} counts ${c.expected} (${(excess * 100).toFixed(1)}%)`, value: excess, reported: c.reported, expected: c.expected }];
  },
  examples: {
    positive: [
      ex({ usage: { promptTokens: 40, completionTokens: 9 }, promptMessages: [{ role: 'user', content: 'Say hello.' }], text: 'Hello there.' }),
      ex({ usage: undefined, status: 200 }),
    ],
    negative: [
      ex({ usage: { promptTokens: 10, completionTokens: 3 }, promptMessages: [{ role: 'user', content: 'Say hello.' }], text: 'Hello there.' }),
      ex({ requestedModel: 'o3-mini', usage: { promptTokens: 10, completionTokens: 515, reasoningTokens: 512 }, promptMessages: [{ role: 'user', content: 'Say hello.' }], text: 'Hello there.' }),
    ],
  },
};

export const featureAnalyzer: Analyzer = {
  id: 'features',
  description: 'Requested features must be honoured: forced tool calls, JSON mode, logprobs.',
  analyze(obs) {
    const out: Signal[] = [];
    if (obs.requested.tools && obs.requested.toolChoiceForced) {
      const ok = obs.honoured.toolCalls === true;
      out.push({ kind: 'tool-dropped', flagged: !ok, detail: ok ? 'forced tool call made' : 'tool call was forced but the response has none' });
    }
    if (obs.requested.jsonMode) {
      let ok = true;
      try {
        const v: unknown = JSON.parse(obs.text);
        ok = typeof v === 'object' && v !== null;
      } catch {
        ok = false;
      }
      out.push({ kind: 'json-ignored', flagged: !ok, detail: ok ? 'valid JSON object' : 'JSON mode requested, text is not a JSON object' });
    }
    if (obs.requested.logprobs) {
      const ok = obs.honoured.logprobs === true;
      out.push({ kind: 'logprobs-missing', flagged: !ok, detail: ok ? 'logprobs present' : 'logprobs requested, none returned (and no error)' });
    }
    return out;
  },
  examples: {
    positive: [
      ex({ requested: { tools: true, toolChoiceForced: true }, honoured: { toolCalls: false } }),
      ex({ requested: { jsonMode: true }, text: 'Sure! Here it is: {"a":1}' }),
      ex({ requested: { logprobs: true }, honoured: { logprobs: false } }),
    ],
    negative: [
      ex({ requested: { tools: true, toolChoiceForced: true }, honoured: { toolCalls: true } }),
      ex({ requested: { jsonMode: true }, text: '{"a": 1}' }),
      ex({ requested: { logprobs: true }, honoured: { logprobs: true } }),
    ],
  },
};

/** Minimum completion size (tokens, or characters / 4) for a stream to be judged. */
const MIN_STREAM_TOKENS = 12;

export const streamingAnalyzer: Analyzer = {
  id: 'streaming',
  description: 'A stream must deliver a long answer in many chunks spread over time, not all at once after a delay.',
  analyze(obs) {
    if (!obs.stream || !obs.contentChunkTimesMs) return [];
    const size = obs.usage?.completionTokens ?? Math.ceil(obs.text.length / 4);
    if (size < MIN_STREAM_TOKENS) return [];
    const times = obs.contentChunkTimesMs;
    const chunks = times.length;
    const spread = chunks ? times[chunks - 1] - times[0] : 0;
    const total = Math.max(obs.totalMs ?? (chunks ? times[chunks - 1] : 0), 1e-3);
    const fake = chunks <= 2 || (chunks < size / 8 && spread < 0.05 * total);
    return [{ kind: 'fake-stream', flagged: fake, value: chunks, detail: `${chunks} content chunks for ~${size} tokens, spread ${spread.toFixed(0)} of ${total.toFixed(0)} ms` }];
  },
  examples: {
    positive: [ex({ stream: true, usage: { completionTokens: 40 }, contentChunkTimesMs: [900], totalMs: 901 }), ex({ stream: true, usage: { completionTokens: 80 }, contentChunkTimesMs: [500, 500.5], totalMs: 501 })],
    negative: [
      ex({ stream: true, usage: { completionTokens: 30 }, contentChunkTimesMs: Array.from({ length: 30 }, (_, i) => 100 + i * 20), totalMs: 700 }),
      ex({ stream: true, usage: { completionTokens: 3 }, contentChunkTimesMs: [50], totalMs: 60 }),
    ],
  },
};

export const performanceAnalyzer: Analyzer = {
  id: 'performance',
  description: 'Latency, time to first token and tokens per second (statistics for routing; never flags).',
  analyze(obs) {
    if (obs.totalMs === undefined) return [];
    const tokens = obs.usage?.completionTokens;
    const genMs = obs.ttftMs !== undefined ? obs.totalMs - obs.ttftMs : obs.totalMs;
    const tps = tokens && genMs > 0 ? (tokens / genMs) * 1000 : undefined;
    return [{ kind: 'performance', flagged: false, detail: 'latency', metrics: { ttftMs: obs.ttftMs, totalMs: obs.totalMs, tokensPerSecond: tps } }];
  },
  examples: { positive: [], negative: [ex({ totalMs: 300, ttftMs: 120, usage: { completionTokens: 20 } })] },
};

export const ANALYZERS: readonly Analyzer[] = [modelNameAnalyzer, protocolAnalyzer, usageAnalyzer, featureAnalyzer, streamingAnalyzer, performanceAnalyzer];

/** Runs every analyzer over one observation. */
export function analyze(obs: Observation, analyzers: readonly Analyzer[] = ANALYZERS): Signal[] {
  return analyzers.flatMap((a) => a.analyze(obs));
}
