import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { UsageError } from '../../src/cli/args.js';
import { runAuditCommand } from '../../src/cli/commands/audit.js';
import type { AuditReport } from '../../src/integrity/audit.js';
import { PROBE_POOLS } from '../../src/integrity/probes.js';
import { CLI, runCli } from '../helpers/cli.js';
import { captureIo } from './support/capture.js';
import { startMockRelay, type RelayBehaviour } from './support/mock-relay.js';
import { baseModel, substituteModel } from './support/ngram.js';

const genuine = baseModel('audit-genuine');

interface Run {
  code: number;
  report: AuditReport;
  stdout: string;
  stderr: string;
  relayRequests: { path: string; body: Record<string, unknown> }[];
}

/** Runs `trustrelay audit` in-process against a mock relay with `behaviour`, and optionally a genuine reference. */
async function audit(behaviour: Partial<RelayBehaviour>, opts: { reference?: boolean; protocol?: 'openai' | 'anthropic'; budget?: number } = {}): Promise<Run> {
  const relay = await startMockRelay({ model: genuine, apiKey: 'relay-key', seed: 'relay', ...behaviour });
  const ref = opts.reference ? await startMockRelay({ model: genuine, apiKey: 'ref-key', seed: 'reference' }) : undefined;
  const model = (opts.protocol === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4o');
  try {
    const args = ['--base-url', `${relay.url}/v1`, '--api-key', 'relay-key', '--model', model, '--budget', String(opts.budget ?? 40), '--seed', '11'];
    if (ref) args.push('--reference-url', ref.url, '--reference-key', 'ref-key');
    if (opts.protocol) args.push('--protocol', opts.protocol);
    const c = captureIo();
    const code = await runAuditCommand([...args, '--json'], c.io);
    return { code, report: JSON.parse(c.stdout()) as AuditReport, stdout: c.stdout(), stderr: c.stderr(), relayRequests: relay.requests };
  } finally {
    await relay.close();
    await ref?.close();
  }
}

const status = (r: Run, id: string) => r.report.checks.find((c) => c.id === id)?.status;
const failed = (r: Run) => r.report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

test('honest relay with a reference: exit 0, every check passes, only probes are sent', async () => {
  const r = await audit({}, { reference: true, budget: 60 });
  assert.deepEqual(failed(r), []);
  assert.equal(r.code, 0);
  for (const id of ['model-name', 'protocol', 'token-usage', 'tokenizer', 'known-answers', 'tool-calls', 'json-mode', 'logprobs', 'streaming', 'two-sample']) assert.equal(status(r, id), 'pass', id);
  assert.equal(r.relayRequests.length, 60);
  assert.equal(r.report.requests.target, 60);
  const probeTexts = new Set(Object.values(PROBE_POOLS).flat().map((p) => JSON.stringify(p.messages)));
  for (const q of r.relayRequests) {
    assert.equal(q.path, '/v1/chat/completions');
    assert.ok(probeTexts.has(JSON.stringify(q.body.messages)), `unexpected request ${JSON.stringify(q.body)}`);
  }
});

test('honest relay without a reference: exit 0, the table names skipped checks', async () => {
  const relay = await startMockRelay({ model: genuine, apiKey: 'k' });
  try {
    const c = captureIo(true);
    const code = await runAuditCommand(['--base-url', relay.url, '--api-key', 'k', '--model', 'gpt-4o', '--budget', '30', '--seed', '2'], c.io);
    assert.equal(code, 0, c.stdout());
    assert.match(c.stdout(), /two-sample\s+skip\s+needs --reference-url/);
    assert.match(c.stdout(), /Result: PASS/);
    assert.match(c.stderr(), /\r\[#+\] 30\/30 requests/); // progress bar on a TTY
  } finally {
    await relay.close();
  }
});

test('substituted model (same tokenizer and name) is caught by the two-sample test against the reference', async () => {
  const r = await audit({ model: substituteModel(genuine, 'cheap', { correlation: 0.5, accuracy: 1 }) }, { reference: true, budget: 60 });
  assert.equal(r.code, 1);
  assert.equal(status(r, 'two-sample'), 'fail');
  assert.ok(r.report.checks.find((c) => c.id === 'two-sample')!.pValue! <= 0.05);
});

test('substituted model with another tokenizer fails the tokenizer fingerprint even without a reference', async () => {
  const r = await audit({ model: substituteModel(genuine, 'cheap', { tokenizer: 'cl100k_base', accuracy: 1 }) }, { budget: 30 });
  assert.equal(r.code, 1);
  assert.ok(failed(r).includes('tokenizer'), JSON.stringify(failed(r)));
  assert.match(r.report.checks.find((c) => c.id === 'tokenizer')!.detail, /match cl100k_base/);
});

test('token counts inflated by 5% fail the usage check', async () => {
  const r = await audit({ inflate: 0.05 });
  assert.equal(r.code, 1);
  assert.ok(failed(r).includes('token-usage'), JSON.stringify(r.report.checks));
});

test('dropped tool calls fail the tool check', async () => {
  const r = await audit({ dropTools: true }, { budget: 30 });
  assert.equal(r.code, 1);
  assert.deepEqual(failed(r), ['tool-calls']);
});

test('fake streaming (whole answer in one chunk after a delay) fails the streaming check', async () => {
  const r = await audit({ fakeStreamDelayMs: 60 }, { budget: 30 });
  assert.equal(r.code, 1);
  assert.deepEqual(failed(r), ['streaming']);
});

test('ignored JSON mode, omitted logprobs and a wrong model name each fail their check', async () => {
  const r = await audit({ ignoreJsonMode: true, omitLogprobs: true, servedModelName: 'gpt-4o-mini' }, { budget: 30 });
  assert.equal(r.code, 1);
  assert.deepEqual(failed(r).sort(), ['json-mode', 'logprobs', 'model-name']);
});

test('Anthropic protocol: honest passes; inflation is caught against the reference counts', async () => {
  const honest = await audit({}, { protocol: 'anthropic', reference: true, budget: 30 });
  assert.equal(honest.code, 0, JSON.stringify(honest.report.checks));
  assert.equal(status(honest, 'token-usage'), 'pass');
  assert.equal(honest.relayRequests[0].path, '/v1/messages');
  const inflated = await audit({ inflate: 0.1 }, { protocol: 'anthropic', reference: true, budget: 30 });
  assert.equal(inflated.code, 1);
  assert.ok(failed(inflated).includes('token-usage'));
  assert.match(inflated.report.checks.find((c) => c.id === 'token-usage')!.detail, /reference counts/);
});

test('an unreachable relay exits 1', async () => {
  const c = captureIo();
  const code = await runAuditCommand(['--base-url', 'http://127.0.0.1:9/v1', '--api-key', 'k', '--model', 'gpt-4o', '--budget', '30', '--json'], c.io);
  assert.equal(code, 1);
  assert.equal((JSON.parse(c.stdout()) as AuditReport).checks[0].status, 'fail');
});

test('usage errors are UsageError (exit 2 in the dispatcher)', async () => {
  const c = captureIo();
  const cases = [
    [],
    ['--base-url', 'ftp://x', '--api-key', 'k', '--model', 'm'],
    ['--base-url', 'http://127.0.0.1:1', '--model', 'm'],
    ['--base-url', 'http://127.0.0.1:1', '--api-key', 'k', '--model', 'm', '--budget', '5'],
    ['--base-url', 'http://127.0.0.1:1', '--api-key', 'k', '--model', 'm', '--reference-url', 'http://127.0.0.1:2'],
    ['--base-url', 'http://127.0.0.1:1', '--api-key', 'k', '--model', 'm', '--protocol', 'gemini'],
    ['--base-url', 'http://127.0.0.1:1', '--api-key', 'k', '--model', 'm', '--frobnicate'],
  ];
  for (const args of cases) await assert.rejects(runAuditCommand(args, c.io), UsageError, JSON.stringify(args));
});

test('compiled CLI: exit 2 on usage errors, 0 on an honest relay with --json', { skip: !existsSync(CLI) && 'needs the compiled CLI (npm run build)' }, async () => {
  const bad = await runCli(['audit', '--model', 'gpt-4o']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--base-url is required/);
  const relay = await startMockRelay({ model: genuine, apiKey: 'k' });
  try {
    const ok = await runCli(['audit', '--base-url', relay.url, '--api-key', 'k', '--model', 'gpt-4o', '--budget', '30', '--json']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as AuditReport).passed, true);
  } finally {
    await relay.close();
  }
});

test('API keys can come from the environment instead of the command line', async () => {
  const relay = await startMockRelay({ model: genuine, apiKey: 'env-key' });
  process.env.TRUSTRELAY_AUDIT_API_KEY = 'env-key';
  try {
    const c = captureIo();
    const code = await runAuditCommand(['--base-url', relay.url, '--model', 'gpt-4o', '--budget', '30', '--json'], c.io);
    assert.equal(code, 0);
    assert.ok(!c.stdout().includes('env-key'), 'the key is not in the report');
  } finally {
    delete process.env.TRUSTRELAY_AUDIT_API_KEY;
    await relay.close();
  }
});
