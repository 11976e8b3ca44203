/**
 * Probe pools. Every probe is an ordinary-looking chat request drawn at random from a pool, so an
 * upstream cannot single out audit traffic by a fixed string. Kinds:
 * - known-answer: questions with one checkable answer (arithmetic, conversions, facts);
 * - tokenizer: everyday requests carrying text whose token count differs between tokenizer families;
 * - logprob: prompts whose answer is one word, asked with max_tokens 1 and top_logprobs;
 * - sample: open-ended prompts for the two-sample test (many samples per prompt);
 * - tool / json / stream: feature checks (forced tool call, JSON mode, a long streamed answer).
 */
import type { Rng } from './rng.js';

export interface ProbeMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface Probe {
  id: string;
  kind: 'known-answer' | 'tokenizer' | 'logprob' | 'sample' | 'tool' | 'json' | 'stream';
  messages: ProbeMessage[];
  maxTokens: number;
  temperature?: number;
  /** known-answer: the expected answer (matched as a whole word, case-insensitive). */
  answer?: string;
  tool?: ToolSpec;
}

const NAMES = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Farah', 'Goro', 'Hana', 'Ivan', 'Jo'];
const OPS: [string, (a: number, b: number) => number][] = [
  ['plus', (a, b) => a + b],
  ['minus', (a, b) => a - b],
  ['times', (a, b) => a * b],
];
const FACTS: [string, string][] = [
  ['What is the capital of France?', 'Paris'],
  ['What is the capital of Japan?', 'Tokyo'],
  ['What is the chemical symbol for gold?', 'Au'],
  ['How many days are in a leap year?', '366'],
  ['What is the largest planet in our solar system?', 'Jupiter'],
  ['Which element has atomic number 1?', 'Hydrogen'],
  ['How many sides does a hexagon have?', '6'],
  ['What is the boiling point of water in Celsius at sea level?', '100'],
  ['Who wrote "Pride and Prejudice"?', 'Austen'],
  ['What is the square root of 144?', '12'],
  ['How many minutes are in three hours?', '180'],
  ['What is the freezing point of water in Fahrenheit?', '32'],
];

function knownAnswerPool(): Probe[] {
  const out: Probe[] = [];
  let i = 0;
  for (const [q, a] of FACTS) out.push({ id: `ka-fact-${i++}`, kind: 'known-answer', messages: [{ role: 'user', content: `${q} Answer in one word.` }], maxTokens: 8, temperature: 0, answer: a });
  for (let a = 12; a < 60; a += 7) {
    for (const [word, f] of OPS) {
      const b = (a * 3) % 17 + 3;
      out.push({ id: `ka-arith-${a}-${word}`, kind: 'known-answer', messages: [{ role: 'user', content: `Quick check: what is ${a} ${word} ${b}? Reply with the number only.` }], maxTokens: 8, temperature: 0, answer: String(f(a, b)) });
    }
  }
  return out;
}

/** Texts whose token counts differ between cl100k_base and o200k_base (CJK, Cyrillic, Indic, emoji). */
export const TOKENIZER_TEXTS: readonly string[] = [
  'こんにちは世界、今日はいい天気ですね。',
  'Привет! Как у тебя дела сегодня?',
  '你好，世界！今天天气很好，我们去公园散步吧。',
  'अनुच्छेद को ध्यान से पढ़ें और उत्तर दें।',
  'Καλημέρα σας, τι κάνετε σήμερα;',
  'مرحبا بالعالم، كيف حالك اليوم؟',
  '안녕하세요, 오늘 날씨가 정말 좋네요.',
  'Thanks!! 🙂🙃😉😊 see you soon 🎉',
  'Xin chào, hôm nay bạn thế nào?',
  'Ça va très bien, merci beaucoup — à bientôt!',
];

function tokenizerPool(): Probe[] {
  const asks = ['Translate to English:', 'What language is this?', 'Summarise in five words:', 'Is this text polite?'];
  const out: Probe[] = [];
  TOKENIZER_TEXTS.forEach((t, i) => asks.forEach((ask, j) => out.push({ id: `tok-${i}-${j}`, kind: 'tokenizer', messages: [{ role: 'user', content: `${ask} ${t}` }], maxTokens: 16, temperature: 0 })));
  return out;
}

function logprobPool(): Probe[] {
  const stems = ['The opposite of hot is', 'A word that rhymes with cat is', 'The colour of the sky on a clear day is', 'The first day of the week is', 'One word for a large body of water is', 'The animal that says moo is a'];
  return stems.map((s, i) => ({ id: `lp-${i}`, kind: 'logprob', messages: [{ role: 'user', content: `Complete with one word only: ${s}` }], maxTokens: 1, temperature: 0 }));
}

function samplePool(): Probe[] {
  const topics = ['a river at night', 'a market in winter', 'an old bridge', 'a quiet garden', 'the first snow', 'a city at dawn', 'a lost letter', 'a forest road', 'a summer storm', 'a small window', 'music from next door', 'a paper boat'];
  const forms = ['Write one sentence about', 'Describe in a few words', 'Give me a short line about'];
  const out: Probe[] = [];
  topics.forEach((t, i) => forms.forEach((f, j) => out.push({ id: `s-${i}-${j}`, kind: 'sample', messages: [{ role: 'user', content: `${f} ${t}.` }], maxTokens: 24, temperature: 1 })));
  return out;
}

const WEATHER_TOOL: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const TIME_TOOL: ToolSpec = {
  name: 'get_local_time',
  description: 'Local time in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function toolPool(): Probe[] {
  const cities = ['Lisbon', 'Nairobi', 'Osaka', 'Lima', 'Oslo', 'Hanoi'];
  return cities.flatMap((c, i) => [
    { id: `tool-w-${i}`, kind: 'tool' as const, messages: [{ role: 'user' as const, content: `What's the weather like in ${c} right now?` }], maxTokens: 64, tool: WEATHER_TOOL },
    { id: `tool-t-${i}`, kind: 'tool' as const, messages: [{ role: 'user' as const, content: `What time is it in ${c}?` }], maxTokens: 64, tool: TIME_TOOL },
  ]);
}

function jsonPool(): Probe[] {
  return NAMES.map((n, i) => ({ id: `json-${i}`, kind: 'json', messages: [{ role: 'system', content: 'You reply in JSON.' }, { role: 'user', content: `Return a JSON object with fields "name" and "hobby" for a person called ${n}.` }], maxTokens: 48, temperature: 0.7 }));
}

function streamPool(): Probe[] {
  const subjects = ['a lighthouse keeper', 'a lost dog', 'a baker who could not sleep', 'two rival gardeners', 'a robot learning to paint', 'a train that was always late'];
  return subjects.map((s, i) => ({ id: `stream-${i}`, kind: 'stream', messages: [{ role: 'user', content: `Tell me a very short story about ${s}.` }], maxTokens: 64, temperature: 0.8 }));
}

export const PROBE_POOLS: Readonly<Record<Probe['kind'], readonly Probe[]>> = {
  'known-answer': knownAnswerPool(),
  tokenizer: tokenizerPool(),
  logprob: logprobPool(),
  sample: samplePool(),
  tool: toolPool(),
  json: jsonPool(),
  stream: streamPool(),
};

/** Draws n probes of a kind without replacement (cycling through a reshuffled pool when n exceeds it). */
export function drawProbes(kind: Probe['kind'], n: number, rng: Rng): Probe[] {
  const pool = PROBE_POOLS[kind];
  const out: Probe[] = [];
  while (out.length < n) out.push(...rng.shuffle([...pool]).slice(0, n - out.length));
  return out;
}

/** Whether a completion contains the expected answer as a whole word. */
export function matchesAnswer(text: string, answer: string): boolean {
  const esc = answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${esc}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

/** Expected answer of a known-answer prompt text, or undefined (used by mock models in tests). */
export function knownAnswerFor(promptText: string): string | undefined {
  return KNOWN.get(promptText);
}
const KNOWN = new Map(PROBE_POOLS['known-answer'].map((p) => [p.messages[p.messages.length - 1].content, p.answer!]));
