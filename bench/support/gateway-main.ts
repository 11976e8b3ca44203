/**
 * Child process: TrustRelay in front of the mock upstream, built the way `trustrelay serve` builds it
 * (same createGateway, same default stages) but with a throwaway data dir and a config pointing at
 * the mock. Usage: node dist/bench/support/gateway-main.js --upstream URL [--log-level LEVEL] [--stages default|no-dlp|none|core]
 * Prints {"url": ..., "key": ...} on stdout. Logs (off by default) go to /dev/null, so --log-level
 * info measures the cost of request logging without flooding the terminal. --stages none leaves out
 * the optional pipeline stages (DLP, skills) to measure the relay core alone; no-dlp is the default
 * stages with DLP switched off in the config (DLP on against off, everything else equal).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { createGateway } from '../../src/server/gateway.js';
import { warmTokenizers } from '../../src/metering/meter.js';
import { defaultStages } from '../../src/server/stages.js';
import { arg, ready } from './common.js';

const upstream = arg('upstream');
if (!upstream) throw new Error('gateway-main: --upstream URL is required');
const level = arg('log-level') ?? 'silent';
const upstreamKey = arg('upstream-key') ?? 'sk-bench-upstream';
const stages = arg('stages') ?? 'default';

const yaml = `
providers:
  - { id: mock-openai, type: openai, base_url: ${upstream}/v1, api_key: ${upstreamKey} }
models:
  - { name: gpt-4o, targets: [{ provider: mock-openai, model: gpt-4o }] }
${stages === 'core' ? 'integrity: { enabled: false }\n' : ''}${stages === 'no-dlp' ? 'dlp: { enabled: false }\n' : ''}`;
const cfg = parseConfig(yaml, 'bench.yaml', {});
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-bench-'));
const logger = level === 'silent' ? pino({ level: 'silent' }) : pino({ level, base: undefined }, pino.destination({ dest: '/dev/null', sync: false }));
const gw = createGateway(cfg, { dataDir, logger, metering: stages !== 'core', stages: stages === 'default' || stages === 'no-dlp' ? defaultStages(cfg, dataDir) : [] });
const { key } = gw.keys.create({ name: 'bench' });
warmTokenizers();
const addr = await gw.listen(0, '127.0.0.1');
ready({ url: `http://127.0.0.1:${addr.port}`, key }, async () => {
  await gw.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
