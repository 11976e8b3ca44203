import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';
import { startMockUpstream, type MockUpstream } from './mock-upstream.js';

export interface TestGateway {
  gw: Gateway;
  url: string;
  key: string;
  mock: MockUpstream;
  dataDir: string;
  close(): Promise<void>;
}

/** Config YAML for a gateway in front of the mock upstream: one provider per protocol family. */
export function mockConfigYaml(mockUrl: string, extra = ''): string {
  return `
providers:
  - { id: mock-openai, type: openai, base_url: ${mockUrl}/v1, api_key: sk-mock-upstream-secret-1234567890 }
  - { id: mock-anthropic, type: anthropic, base_url: ${mockUrl}, api_key: sk-ant-mock-upstream-secret-123456 }
  - { id: mock-gemini, type: gemini, base_url: ${mockUrl}/v1beta, api_key: AIzaMockUpstreamSecret1234567890123 }
  - { id: mock-deepseek, type: deepseek, base_url: ${mockUrl}/v1, api_key: sk-deepseek-mock-secret-123456 }
models:
  - { name: gpt-4o, targets: [{ provider: mock-openai, model: gpt-4o-2024-08-06 }] }
  - { name: claude-sonnet, targets: [{ provider: mock-anthropic, model: claude-sonnet-4-5 }] }
  - { name: gemini-flash, targets: [{ provider: mock-gemini, model: gemini-2.5-flash }] }
  - { name: deepseek-chat, targets: [{ provider: mock-deepseek, model: deepseek-chat }] }
  - { name: text-embedding-3-small, targets: [{ provider: mock-openai, model: text-embedding-3-small }] }
routing:
  retries: 2
  backoff_ms: 1
  max_backoff_ms: 5
${extra}`;
}

/** One OpenAI-protocol upstream, gpt-4o priced at 1 micro-unit per token each way, no retries (budget tests). */
export function pricedYaml(mockUrl: string): string {
  return `
providers:
  - { id: up, type: openai, base_url: ${mockUrl}/v1, api_key: sk-upstream-secret-000000 }
models:
  - name: gpt-4o
    price: { input: 1, output: 1 }
    targets: [{ provider: up, model: gpt-4o }]
routing: { retries: 0 }
`;
}

/**
 * A gateway on a fresh data dir in front of a fresh mock upstream. `stagesFor` makes the stages from the
 * parsed config and the data dir (`defaultStages`, as `trustrelay serve` does) where `stages` cannot;
 * `logger` replaces the silent one.
 */
export async function startTestGateway(
  opts: { extraYaml?: string; yaml?: (mockUrl: string) => string; stages?: GatewayOptions['stages']; stagesFor?: (cfg: Config, dataDir: string) => GatewayOptions['stages']; logger?: Logger } = {},
): Promise<TestGateway> {
  const mock = await startMockUpstream();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-test-'));
  const cfg = parseConfig(opts.yaml ? opts.yaml(mock.url) : mockConfigYaml(mock.url, opts.extraYaml), 'test.yaml', {});
  const stages = opts.stagesFor ? opts.stagesFor(cfg, dataDir) : opts.stages;
  const gw = createGateway(cfg, { dataDir, logger: opts.logger ?? pino({ level: process.env.TR_TEST_LOG ?? 'silent' }), stages });
  const { key } = gw.keys.create({ name: 'test' });
  const addr = await gw.listen(0, '127.0.0.1');
  return {
    gw,
    url: `http://127.0.0.1:${addr.port}`,
    key,
    mock,
    dataDir,
    close: async () => {
      await gw.close();
      await mock.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
