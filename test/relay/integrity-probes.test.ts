import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
before(async () => {
  t = await startTestGateway({
    yaml: (url) => `
providers:
  - { id: relay, type: openai, base_url: ${url}/v1, api_key: sk-relay-000000000000 }
models:
  - { name: gpt-4o, targets: [{ provider: relay, model: gpt-4o }] }
integrity:
  probes: { enabled: true, requests_per_day: 200, min_interval_minutes: 60 }
`,
  });
});
after(async () => t.close());

test('scheduled probes audit each upstream within its budget and record evidence; a second run waits for the interval', async () => {
  t.mock.servedModel = 'gpt-3.5-turbo';
  const before = t.mock.received.length;
  assert.ok(t.gw.prober, 'probes enabled by config');
  assert.equal(await t.gw.prober.tick(), 1);
  const spent = t.mock.received.length - before;
  assert.ok(spent >= 30 && spent <= 50, `one run spends its budget: ${spent} requests`);
  const st = t.gw.monitor.statusOf('relay');
  assert.ok(st.evidence.some((e) => e.kind === 'audit:model-name'), JSON.stringify(st.evidence.map((e) => e.kind)));
  assert.notEqual(st.status, 'trusted');
  assert.equal(await t.gw.prober.tick(), 0, 'not due again before the minimum interval');
  assert.equal(t.mock.received.length - before, spent);
});
