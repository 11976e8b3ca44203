import { PROVIDER_TYPES } from '../providers/index.js';
import { ConfigSchema, type Config } from './schema.js';

/**
 * The built-in configuration used when no trustrelay.yaml exists: every provider whose API-key
 * variable is set, plus a local Ollama, with "provider-id/model" routing so any of their models is
 * reachable without listing it.
 */

const WELL_KNOWN: Record<string, string[]> = {
  openai: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'],
  anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
  gemini: ['gemini-2.5-flash', 'gemini-2.5-pro'],
  deepseek: ['deepseek-chat', 'deepseek-reasoner'],
  qwen: ['qwen-plus', 'qwen-max'],
  moonshot: ['kimi-k2-turbo-preview'],
  zhipu: ['glm-4.6'],
};

export function defaultProviders(env: NodeJS.ProcessEnv): { id: string; type: string; envKey?: string }[] {
  const out: { id: string; type: string; envKey?: string }[] = [];
  for (const spec of PROVIDER_TYPES.values()) {
    if (spec.type === 'azure' || spec.type === 'openai-compatible' || spec.type === 'vllm') continue; // need a base_url of their own
    if (spec.keyless ? spec.type === 'ollama' : spec.envKey && env[spec.envKey]) out.push({ id: spec.type, type: spec.type, envKey: spec.envKey });
  }
  return out;
}

export function builtInConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const providers = defaultProviders(env);
  return ConfigSchema.parse({
    providers: providers.map((p) => ({ id: p.id, type: p.type, ...(p.envKey ? { api_key: env[p.envKey] } : {}) })),
    models: providers.flatMap((p) => (WELL_KNOWN[p.type] ?? []).map((m) => ({ name: m, targets: [{ provider: p.id, model: m }] }))),
    routing: { provider_prefix: true },
  });
}

/** The default written out by `trustrelay init`, commented, with secrets as ${VAR} references. */
export function initYaml(env: NodeJS.ProcessEnv = process.env): string {
  const providers = defaultProviders(env);
  const lines = [
    '# TrustRelay configuration. Secrets come from the environment: ${VAR} or ${VAR:-default}.',
    '# Full reference: docs/CONFIG.md',
    'server:',
    '  host: 127.0.0.1          # loopback only; expose deliberately, behind TLS',
    '  port: 8787',
    '  body_limit_bytes: 10485760',
    '',
    'providers:',
  ];
  for (const p of providers) {
    const spec = PROVIDER_TYPES.get(p.type)!;
    lines.push(`  - id: ${p.id}`, `    type: ${p.type}            # ${spec.label}, region ${spec.region}`, `    base_url: ${spec.defaultBaseUrl}`);
    if (p.envKey) lines.push(`    api_key: \${${p.envKey}}`);
  }
  if (providers.length === 0) lines.push('  []');
  lines.push('', 'models:', '  # A model name clients use, mapped to ordered targets (first drawn by weight, the rest are fallbacks).');
  let any = false;
  for (const p of providers)
    for (const m of WELL_KNOWN[p.type] ?? []) {
      lines.push(`  - name: ${m}`, `    targets: [{ provider: ${p.id}, model: ${m} }]`);
      any = true;
    }
  if (!any) lines.push('  []');
  lines.push(
    '',
    'routing:',
    '  retries: 2               # per target, on 429/5xx/connect errors, before the first byte reaches the client',
    '  backoff_ms: 250',
    '  max_backoff_ms: 4000',
    '  breaker: { failures: 5, cooldown_ms: 30000 }',
    '  provider_prefix: true    # "provider-id/model" reaches any model of a configured provider',
    '',
  );
  return lines.join('\n');
}
