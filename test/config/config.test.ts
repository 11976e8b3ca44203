import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../../src/config/load.js';
import { builtInConfig, initYaml } from '../../src/config/defaults.js';

const ok = `
providers:
  - id: openai-main
    type: openai
    base_url: https://api.openai.com/v1
    api_key: \${OPENAI_API_KEY}
models:
  - name: gpt-4o
    targets: [{ provider: openai-main, model: gpt-4o }]
`;

test('the README config shape parses, with the key taken from the environment', () => {
  const cfg = parseConfig(ok, 'trustrelay.yaml', { OPENAI_API_KEY: 'sk-test-123' });
  assert.equal(cfg.providers[0].api_key, 'sk-test-123');
  assert.equal(cfg.server.host, '127.0.0.1', 'binds loopback by default');
  assert.equal(cfg.models[0].targets[0].weight, 1);
});

function problems(yaml: string, env: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'x' }): string {
  try {
    parseConfig(yaml, 'trustrelay.yaml', env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('a missing environment variable names the path and the variable', () => {
  const m = problems(ok, {});
  assert.match(m, /^trustrelay\.yaml: invalid configuration/);
  assert.match(m, /providers\[0\]\.api_key: environment variable OPENAI_API_KEY is not set/);
});

test('a wrong provider type names the path and lists what is expected', () => {
  const m = problems(ok.replace('type: openai', 'type: opnai'));
  assert.match(m, /providers\[0\]\.type: expected one of openai, anthropic, gemini/);
  assert.match(m, /got "opnai"/);
});

test('a target naming an unknown provider is reported with the configured ids', () => {
  const m = problems(ok.replace('provider: openai-main', 'provider: openai'));
  assert.match(m, /models\[0\]\.targets\[0\]\.provider: no provider with id "openai" \(configured: openai-main\)/);
});

test('unknown keys are errors (typos never silently change behaviour)', () => {
  const m = problems(ok + 'routing:\n  retires: 3\n');
  assert.match(m, /routing: unknown key "retires"/);
});

test('YAML syntax errors carry a line number', () => {
  const m = problems('providers:\n  - id: a\n   type: [\n');
  assert.match(m, /line \d+/);
});

test('wrong types are named', () => {
  const m = problems(ok + 'server:\n  port: "eighty"\n');
  assert.match(m, /server\.port: .*number/i);
});

test('the built-in default enables providers whose keys are set, plus local Ollama', () => {
  const cfg = builtInConfig({ DEEPSEEK_API_KEY: 'sk-d', ANTHROPIC_API_KEY: 'sk-a' });
  const ids = cfg.providers.map((p) => p.id).sort();
  assert.deepEqual(ids, ['anthropic', 'deepseek', 'ollama']);
  assert.ok(cfg.routing.provider_prefix);
  assert.ok(cfg.models.some((m) => m.name === 'deepseek-chat'));
  const none = builtInConfig({});
  assert.deepEqual(none.providers.map((p) => p.id), ['ollama']);
});

test('init writes a config that parses and holds ${VAR} references, never key values', () => {
  const env = { OPENAI_API_KEY: 'sk-very-secret-value', DASHSCOPE_API_KEY: 'sk-dash' };
  const yaml = initYaml(env);
  assert.ok(!yaml.includes('sk-very-secret-value'));
  assert.match(yaml, /api_key: \$\{OPENAI_API_KEY\}/);
  const cfg = parseConfig(yaml, 'trustrelay.yaml', env);
  assert.deepEqual(cfg.providers.map((p) => p.type).sort(), ['ollama', 'openai', 'qwen']);
});
