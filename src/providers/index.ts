import { anthropicAdapter } from './anthropic.js';
import { geminiAdapter } from './gemini.js';
import { openaiAdapter } from './openai.js';
import { joinUrl, type ProviderSpec, type Target } from './types.js';

/**
 * Every provider type TrustRelay speaks. A native API is an adapter file; a vendor that speaks the
 * OpenAI protocol is one entry here. `region` feeds residency policy: where the vendor processes data.
 */

const compat = openaiAdapter();

const azureUrl = (t: Target, path: string) => {
  const version = String(t.options.api_version ?? '2024-10-21');
  return joinUrl(t.baseUrl, `/openai/deployments/${encodeURIComponent(t.model)}${path}?api-version=${encodeURIComponent(version)}`);
};

const SPECS: ProviderSpec[] = [
  { type: 'openai', label: 'OpenAI', adapter: openaiAdapter({ maxCompletionTokens: true }), defaultBaseUrl: 'https://api.openai.com/v1', envKey: 'OPENAI_API_KEY', region: 'US' },
  { type: 'anthropic', label: 'Anthropic', adapter: anthropicAdapter, defaultBaseUrl: 'https://api.anthropic.com', envKey: 'ANTHROPIC_API_KEY', region: 'US' },
  { type: 'gemini', label: 'Google Gemini', adapter: geminiAdapter, defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta', envKey: 'GEMINI_API_KEY', region: 'US' },
  { type: 'deepseek', label: 'DeepSeek', adapter: compat, defaultBaseUrl: 'https://api.deepseek.com/v1', envKey: 'DEEPSEEK_API_KEY', region: 'CN' },
  { type: 'qwen', label: 'Qwen (DashScope compatible mode)', adapter: compat, defaultBaseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', envKey: 'DASHSCOPE_API_KEY', region: 'CN' },
  { type: 'moonshot', label: 'Moonshot Kimi', adapter: compat, defaultBaseUrl: 'https://api.moonshot.cn/v1', envKey: 'MOONSHOT_API_KEY', region: 'CN' },
  { type: 'zhipu', label: 'Zhipu GLM', adapter: compat, defaultBaseUrl: 'https://open.bigmodel.cn/api/paas/v4', envKey: 'ZHIPU_API_KEY', region: 'CN' },
  { type: 'doubao', label: 'Doubao (Volcengine Ark)', adapter: compat, defaultBaseUrl: 'https://ark.cn-beijing.volces.com/api/v3', envKey: 'ARK_API_KEY', region: 'CN' },
  { type: 'siliconflow', label: 'SiliconFlow', adapter: compat, defaultBaseUrl: 'https://api.siliconflow.cn/v1', envKey: 'SILICONFLOW_API_KEY', region: 'CN' },
  { type: 'openrouter', label: 'OpenRouter', adapter: compat, defaultBaseUrl: 'https://openrouter.ai/api/v1', envKey: 'OPENROUTER_API_KEY', region: 'US' },
  { type: 'azure', label: 'Azure OpenAI', adapter: openaiAdapter({ maxCompletionTokens: true, url: azureUrl, auth: (key) => ({ 'api-key': key }) }), envKey: 'AZURE_OPENAI_API_KEY', region: 'US' },
  { type: 'ollama', label: 'Ollama (local)', adapter: compat, defaultBaseUrl: 'http://127.0.0.1:11434/v1', region: 'local', keyless: true },
  { type: 'vllm', label: 'vLLM (local)', adapter: compat, defaultBaseUrl: 'http://127.0.0.1:8000/v1', region: 'local', keyless: true },
  { type: 'openai-compatible', label: 'any OpenAI-compatible server', adapter: compat, region: 'unknown' },
];

export const PROVIDER_TYPES: ReadonlyMap<string, ProviderSpec> = new Map(SPECS.map((s) => [s.type, s]));

export function providerSpec(type: string): ProviderSpec | undefined {
  return PROVIDER_TYPES.get(type);
}
