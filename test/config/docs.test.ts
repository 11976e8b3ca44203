import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('the configuration reference in docs/CONFIG.md is a valid config', () => {
  const md = fs.readFileSync(path.join(root, 'docs/CONFIG.md'), 'utf8');
  const yaml = md.split('```yaml')[1].split('```')[0];
  const env = { OPENAI_API_KEY: 'sk-a', AZURE_OPENAI_API_KEY: 'az', OPENROUTER_API_KEY: 'or', TRUSTRELAY_ADMIN_TOKEN: 'x'.repeat(20) };
  const cfg = parseConfig(yaml, 'docs/CONFIG.md', env);
  assert.equal(cfg.models[0].targets.length, 3);
  assert.equal(cfg.dlp.overrides.length, 2);
  assert.equal(cfg.integrity.probes.reference_provider, 'openai-main');
});

test('the README config example is a valid config', () => {
  const md = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const yaml = md.split('```yaml')[1].split('```')[0];
  const cfg = parseConfig(yaml, 'README.md', { OPENAI_API_KEY: 'sk-a' });
  assert.equal(cfg.providers[0].id, 'openai-main');
});
