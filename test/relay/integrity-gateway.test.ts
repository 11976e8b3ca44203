import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { runCli } from '../helpers/cli.js';
import { saveMonitor } from '../../src/integrity/gateway-stage.js';

let t: TestGateway;
let honest: MockUpstream;
before(async () => {
  honest = await startMockUpstream();
  t = await startTestGateway({
    yaml: (url) => `
providers:
  - { id: cheap-relay, type: openai, base_url: ${url}/v1, api_key: sk-relay-000000000000 }
  - { id: honest, type: openai, base_url: ${honest.url}/v1, api_key: sk-honest-00000000000 }
models:
  - name: gpt-4o
    targets:
      - { provider: cheap-relay, model: gpt-4o, weight: 1 }
      - { provider: honest, model: gpt-4o, weight: 0 }
`,
  });
});
after(async () => {
  await t.close();
  await honest.close();
});

const ask = () =>
  fetch(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'What is the capital of France?' }] }) });

test('an upstream that keeps serving another model is failed by passive signals, quarantined, and routing falls back', async () => {
  t.mock.servedModel = 'gpt-3.5-turbo';
  const first = await ask();
  assert.equal(first.headers.get('x-trustrelay-upstream'), 'cheap-relay');
  await first.text();
  assert.equal(t.gw.monitor.statusOf('cheap-relay').status === 'failed', false, 'one request is never a verdict');
  let switched = -1;
  for (let i = 0; i < 40 && switched < 0; i++) {
    const r = await ask();
    await r.text();
    if (r.headers.get('x-trustrelay-upstream') === 'honest') switched = i;
  }
  assert.ok(switched > 0, 'after enough evidence the gateway routes to the honest upstream');
  const st = t.gw.monitor.statusOf('cheap-relay');
  assert.equal(st.status, 'failed');
  assert.ok(st.evidence.some((e) => e.kind === 'model-name'), JSON.stringify(st.evidence));
  assert.equal(t.gw.monitor.statusOf('honest').status, 'trusted');
  const admin = (await (await fetch(`${t.url}/admin/integrity`, { headers: { authorization: `Bearer ${t.gw.adminToken}` } })).json()) as { data: { upstreamId: string; status: string }[] };
  assert.equal(admin.data.find((u) => u.upstreamId === 'cheap-relay')?.status, 'failed');
  const alerts = t.gw.alerts.list().filter((a) => a.kind === 'upstream_integrity' && a.upstream === 'cheap-relay');
  assert.ok(alerts.some((a) => /quarantined/.test(a.message)));
  // The CLI reads the persisted state.
  saveMonitor(t.gw.db, t.gw.monitor);
  const cli = await runCli(['upstreams', '--json', '--data-dir', t.dataDir]);
  assert.equal(cli.code, 1, 'exit 1 when an upstream failed; ' + cli.stderr);
  assert.equal((JSON.parse(cli.stdout) as { upstreamId: string; status: string }[]).find((u) => u.upstreamId === 'cheap-relay')?.status, 'failed');
  // An administrator clears the quarantine after review: routing uses the upstream again.
  t.mock.servedModel = undefined;
  const reset = await fetch(`${t.url}/admin/integrity/cheap-relay/reset`, { method: 'POST', headers: { authorization: `Bearer ${t.gw.adminToken}` } });
  assert.equal(reset.status, 200);
  const again = await ask();
  await again.text();
  assert.equal(again.headers.get('x-trustrelay-upstream'), 'cheap-relay');
});
