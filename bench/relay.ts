/**
 * `npm run bench`: TrustRelay against "the floor" (a bare node:http + undici pass-through proxy), both
 * in front of the same mock upstream, each in its own process, loaded in the same run with the same
 * request. Runs alternate floor and TrustRelay (ABBA order across rounds), so noise on a shared machine
 * hits both. Reports requests/s, p50 and p99 for each and the ratio TrustRelay/floor; a streaming
 * variant reports the time to first token TrustRelay adds. Loopback only; writes nothing to the repo.
 *
 *   node dist/bench/relay.js [--quick] [--json] [--rounds N] [--seconds S] [--rate R] [--profile] [--log-level info]
 *
 * Scenarios: json (saturated: 50 connections as fast as each target answers: throughput), paced (the
 * same request at a fixed offered rate both targets sustain: added latency without queueing), stream,
 * ttft. At saturation a closed loop's latency is connections / throughput (Little's law), so its p99
 * mostly restates the throughput ratio; the paced run shows what one request costs in time.
 *
 * --profile runs the gateway under `node --cpu-prof` (profile in a temp dir) and prints its top costs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { summarize } from './support/cpuprofile-top.js';
import { autocannonRun, pacedRun, ttftRun, type LoadRun, type Target, type TtftRun } from './support/load.js';
import { installCleanup, startChild, stopAll, stopChild } from './support/procs.js';
import { fmt, median, percentile, signed, sortedCopy, table } from './support/stats.js';

const usage = `Usage: node dist/bench/relay.js [--quick] [--json] [--rounds N] [--seconds S] [--profile] [--log-level LEVEL]

  --quick          short run (1 round, 2 s per load run) to check the bench works
  --json           print the results as JSON on stdout (progress goes to stderr)
  --rounds N       floor/TrustRelay rounds per scenario (default 2)
  --seconds S      measured seconds per load run (default 8; 2 s warm-up before each)
  --profile        run the gateway under node --cpu-prof and print its top costs
  --log-level L    gateway log level (default silent; logs go to /dev/null)
  --only LIST      run only some scenarios: json,paced,stream,ttft (e.g. to profile one)
  --rate R         offered load of the paced scenario, requests/s over 50 connections (default 500)
  --ttft-concurrency N  concurrent streams in the time-to-first-token runs (default 20)
  --stages S       default (as \`trustrelay serve\` runs: DLP, skills, metering, receipts), none (no
                   optional stages; metering and receipts stay on), no-dlp (default with DLP off) or
                   core (the bare relay core)
  --baseline S     compare against TrustRelay with stages S instead of the floor, side by side in the
                   same run (e.g. --stages default --baseline no-dlp: DLP on against off)
`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'silent' },
    only: { type: 'string' },
    stages: { type: 'string', default: 'default' },
    baseline: { type: 'string' },
    rate: { type: 'string' },
    'ttft-concurrency': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const CONNECTIONS = 50;
const TTFT_CONCURRENCY = Number(flags['ttft-concurrency'] ?? 20);
const CHUNK_DELAY_MS = 2;
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 2));
const seconds = Number(flags.seconds ?? (flags.quick ? 2 : 8));
const warmup = flags.quick ? 0.5 : 2;
const ttftSeconds = flags.quick ? 1.5 : 5;
const ttftWarmup = flags.quick ? 0.5 : 1;
if (!(rounds >= 1 && rounds <= 10) || !(seconds >= 1 && seconds <= 120) || !(TTFT_CONCURRENCY >= 1 && TTFT_CONCURRENCY <= 200)) {
  process.stderr.write(usage);
  process.exit(2);
}

const PACED_RATE = Number(flags.rate ?? 500);
const STAGE_SETS = ['default', 'no-dlp', 'none', 'core'];
/** What the "floor" side is: the bare pass-through proxy, or TrustRelay with the --baseline stages. */
const BASE = flags.baseline ? `TrustRelay[${flags.baseline}]` : 'floor';
const scenarios = new Set((flags.only ?? 'json,paced,stream,ttft').split(',').map((s) => s.trim()));
if (!(PACED_RATE >= 10 && PACED_RATE <= 100_000) || [...scenarios].some((s) => !['json', 'paced', 'stream', 'ttft'].includes(s)) || ![flags.stages, flags.baseline ?? 'core'].every((s) => STAGE_SETS.includes(s))) {
  process.stderr.write(usage);
  process.exit(2);
}
const progress = (s: string) => process.stderr.write(`bench: ${s}\n`);

// Bound the run: every load run plus start-up and slack.
const planned = rounds * 2 * (3 * (warmup + seconds) + ttftWarmup + ttftSeconds);
installCleanup((planned + 60) * 1000);

const messages = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'Summarise the relay benchmark in one short line.' },
];
const jsonBody = JSON.stringify({ model: 'gpt-4o', messages, max_tokens: 64 });
const streamBody = JSON.stringify({ model: 'gpt-4o', messages, max_tokens: 64, stream: true, stream_options: { include_usage: true } });

const here = path.dirname(fileURLToPath(import.meta.url));
const script = (name: string) => path.join(here, 'support', name);

function machine() {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvg: os.loadavg().map((n) => Number(n.toFixed(2))),
  };
}

/** One request through a target must answer 200 with the mock's echo, streamed or not. */
async function sanity(t: Target): Promise<void> {
  for (const body of [jsonBody, streamBody]) {
    const res = await request(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.includes('echo')) throw new Error(`${t.name} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  }
}

/**
 * After a warm-up, one request of the same kind must complete before the measured run starts, so
 * work the warm-up left behind lands outside the measurement window: its connections are cut when it
 * ends, and TrustRelay settles those cut streams, building its tokenizer the first time (a one-time,
 * ~1.5 s synchronous step; see BENCHMARKS.md).
 */
async function settleAfterWarmup(t: Target, body: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 1_000));
  const res = await request(`${t.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body, headersTimeout: 60_000, bodyTimeout: 60_000 });
  await res.body.dump();
}

interface Side {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  upstreamCpuUsPerRequest: number;
}

interface Summary {
  scenario: string;
  floor: Side;
  trustrelay: Side;
  /** CPU per request, TrustRelay / floor (the noise-robust view of the overhead). */
  cpuRatio: number;
  ratio: number;
  ratioByRound: number[];
  p50DiffMs: number;
  p99DiffMs: number;
  p99DiffByRound: number[];
}

function summarizeLoad(scenario: string, runs: LoadRun[]): Summary {
  const side = (name: string) => {
    const mine = runs.filter((r) => r.target === name);
    const all = sortedCopy(mine.flatMap((r) => r.latencies));
    const requests = mine.reduce((a, r) => a + r.requests, 0);
    const secs = mine.reduce((a, r) => a + r.seconds, 0);
    const cpu = (f: (r: LoadRun) => number | undefined) => mine.reduce((a, r) => a + (f(r) ?? NaN) * r.requests, 0) / requests;
    return { rps: requests / secs, p50: percentile(all, 50), p99: percentile(all, 99), cpuUsPerRequest: cpu((r) => r.cpuUsPerRequest), upstreamCpuUsPerRequest: cpu((r) => r.upstreamCpuUsPerRequest) };
  };
  const floor = side('floor');
  const tr = side('trustrelay');
  const byRound = [...new Set(runs.map((r) => r.round))].map((round) => {
    const f = runs.find((r) => r.round === round && r.target === 'floor')!;
    const g = runs.find((r) => r.round === round && r.target === 'trustrelay')!;
    return { ratio: g.rps / f.rps, p99: g.p99 - f.p99 };
  });
  return {
    scenario,
    floor,
    trustrelay: tr,
    ratio: tr.rps / floor.rps,
    cpuRatio: tr.cpuUsPerRequest / floor.cpuUsPerRequest,
    ratioByRound: byRound.map((b) => b.ratio),
    p50DiffMs: tr.p50 - floor.p50,
    p99DiffMs: tr.p99 - floor.p99,
    p99DiffByRound: byRound.map((b) => b.p99),
  };
}

function summarizeTtft(runs: TtftRun[]) {
  const side = (name: string) => {
    const mine = runs.filter((r) => r.target === name);
    const ttft = sortedCopy(mine.flatMap((r) => r.ttft));
    const fb = sortedCopy(mine.flatMap((r) => r.firstByte));
    const total = sortedCopy(mine.flatMap((r) => r.total));
    return { streams: ttft.length, errors: mine.reduce((a, r) => a + r.errors, 0), ttftP50: percentile(ttft, 50), ttftP99: percentile(ttft, 99), firstByteP50: percentile(fb, 50), totalP50: percentile(total, 50) };
  };
  const floor = side('floor');
  const tr = side('trustrelay');
  return { floor, trustrelay: tr, addedTtftP50Ms: tr.ttftP50 - floor.ttftP50, addedTtftP99Ms: tr.ttftP99 - floor.ttftP99 };
}

async function main(): Promise<void> {
  const m = machine();
  const profileDir = flags.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-prof-')) : undefined;
  const profile = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
  progress(`starting mock upstream, floor and TrustRelay (${m.cpus} CPUs, load avg ${m.loadAvg.join(' ')})`);
  const upstream = await startChild<{ url: string }>('upstream', script('upstream-main.js'), ['--chunk-delay', String(CHUNK_DELAY_MS)]);
  const [floorProc, gwProc] = await Promise.all([
    flags.baseline
      ? startChild<{ url: string; key: string }>('baseline', script('gateway-main.js'), ['--upstream', upstream.info.url, '--log-level', flags['log-level'], '--stages', flags.baseline], { execArgv: profile('baseline') })
      : startChild<{ url: string; key?: string }>('floor', script('floor-main.js'), ['--upstream', upstream.info.url], { execArgv: profile('floor') }),
    startChild<{ url: string; key: string }>('trustrelay', script('gateway-main.js'), ['--upstream', upstream.info.url, '--log-level', flags['log-level'], '--stages', flags.stages], {
      execArgv: profile('trustrelay'),
    }),
  ]);
  const floor: Target = { name: 'floor', url: floorProc.info.url, headers: floorProc.info.key ? { authorization: `Bearer ${floorProc.info.key}` } : {}, pid: floorProc.proc.pid };
  const trustrelay: Target = { name: 'trustrelay', url: gwProc.info.url, headers: { authorization: `Bearer ${gwProc.info.key}` }, pid: gwProc.proc.pid };
  const upstreamPid = upstream.proc.pid;
  await sanity(floor);
  await sanity(trustrelay);

  const order = (round: number) => (round % 2 === 0 ? [floor, trustrelay] : [trustrelay, floor]);
  const loadScenario = async (scenario: string, body: string, rate?: number): Promise<LoadRun[]> => {
    const runs: LoadRun[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const t of order(round)) {
        progress(`${scenario}: round ${round + 1}/${rounds}, ${t.name} (${warmup} s warm-up + ${seconds} s)`);
        const run = (secs: number, pid?: number) =>
          rate ? pacedRun(t, body, { connections: CONNECTIONS, seconds: secs, round, rate, upstreamPid: pid }) : autocannonRun(t, body, { connections: CONNECTIONS, seconds: secs, round, upstreamPid: pid });
        await run(warmup);
        await settleAfterWarmup(t, body);
        const r = await run(seconds, upstreamPid);
        progress(`  ${fmt(r.rps, 0)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, ${fmt(r.cpuUsPerRequest ?? NaN, 0)} µs CPU/request${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`);
        runs.push(r);
      }
    }
    return runs;
  };

  const jsonRuns = scenarios.has('json') ? await loadScenario('json', jsonBody) : [];
  const pacedRuns = scenarios.has('paced') ? await loadScenario('paced', jsonBody, PACED_RATE) : [];
  const streamRuns = scenarios.has('stream') ? await loadScenario('stream', streamBody) : [];
  const ttftRuns: TtftRun[] = [];
  for (let round = 0; round < (scenarios.has('ttft') ? rounds : 0); round++) {
    for (const t of order(round)) {
      progress(`ttft: round ${round + 1}/${rounds}, ${t.name} (${ttftWarmup} s warm-up + ${ttftSeconds} s, ${TTFT_CONCURRENCY} concurrent streams)`);
      await ttftRun(t, streamBody, { concurrency: TTFT_CONCURRENCY, seconds: ttftWarmup, round });
      await settleAfterWarmup(t, streamBody);
      const r = await ttftRun(t, streamBody, { concurrency: TTFT_CONCURRENCY, seconds: ttftSeconds, round });
      progress(`  ${r.streams} streams, ttft p50 ${fmt(median(r.ttft))} ms${r.errors ? `, ${r.errors} errors` : ''}`);
      ttftRuns.push(r);
    }
  }

  await Promise.all([stopChild(gwProc.proc), stopChild(floorProc.proc)]);
  await stopAll();

  const json = summarizeLoad('json', jsonRuns);
  const paced = summarizeLoad('paced', pacedRuns);
  const stream = summarizeLoad('stream', streamRuns);
  const ttft = summarizeTtft(ttftRuns);
  const failures = [...jsonRuns, ...pacedRuns, ...streamRuns].reduce((a, r) => a + r.non2xx + r.errors, 0) + ttft.floor.errors + ttft.trustrelay.errors;
  const targets = {
    throughputRatio: { value: json.ratio, target: '>= 0.8', met: json.ratio >= 0.8 },
    p99DiffMs: { value: json.p99DiffMs, target: '<= 1', met: json.p99DiffMs <= 1 },
    pacedP99DiffMs: { value: paced.p99DiffMs, target: '<= 1', met: paced.p99DiffMs <= 1, rate: PACED_RATE },
  };
  const settings = { connections: CONNECTIONS, rounds, seconds, warmupSeconds: warmup, chunkDelayMs: CHUNK_DELAY_MS, ttftConcurrency: TTFT_CONCURRENCY, pacedRate: PACED_RATE, ttftSeconds, gatewayLogLevel: flags['log-level'], gatewayStages: flags.stages };
  const strip = <T extends { latencies?: number[] }>(r: T) => ({ ...r, latencies: undefined });
  const stripT = (r: TtftRun) => ({ target: r.target, round: r.round, streams: r.streams, errors: r.errors, ttftP50: median(r.ttft), ttftP99: percentile(sortedCopy(r.ttft), 99) });

  if (flags.json) {
    process.stdout.write(JSON.stringify({ date: new Date().toISOString(), machine: m, settings, summary: { json, paced, stream, ttft }, targets, failures, runs: { json: jsonRuns.map(strip), paced: pacedRuns.map(strip), stream: streamRuns.map(strip), ttft: ttftRuns.map(stripT) } }, null, 2) + '\n');
  } else {
    const rowsOf = (s: Summary, label: string) => [
      [label, BASE, fmt(s.floor.rps, 0), fmt(s.floor.p50), fmt(s.floor.p99), fmt(s.floor.cpuUsPerRequest, 0)],
      ['', 'TrustRelay', fmt(s.trustrelay.rps, 0), fmt(s.trustrelay.p50), fmt(s.trustrelay.p99), fmt(s.trustrelay.cpuUsPerRequest, 0)],
      ['', `TrustRelay/${flags.baseline ? 'baseline' : 'floor'}`, `x${fmt(s.ratio)}`, signed(s.p50DiffMs), signed(s.p99DiffMs), `x${fmt(s.cpuRatio)}`],
      ['', '  by round', s.ratioByRound.map((r) => `x${fmt(r)}`).join(' '), '', s.p99DiffByRound.map((d) => signed(d)).join(' '), ''],
      ...(s.ratioByRound.length >= 3 ? [['', '  median of rounds', `x${fmt(median(s.ratioByRound))}`, '', signed(median(s.p99DiffByRound)), '']] : []),
    ];
    const out = [
      `Relay core benchmark, ${new Date().toISOString()}`,
      `machine: ${m.cpus} CPUs, ${m.cpuModel}, node ${m.node}, load average at start ${m.loadAvg.join(' ')}`,
      `load: autocannon, ${CONNECTIONS} connections, ${seconds} s per run after ${warmup} s warm-up, ${rounds} round(s), ${BASE} and TrustRelay alternating`,
      `TrustRelay: ${flags.stages === 'core' ? 'bare relay core (no stages, no metering)' : flags.stages === 'none' ? 'no optional stages (metering, ledger and receipts on)' : 'default pipeline stages, as `trustrelay serve` runs it'}, log level ${flags['log-level']}`,
      `request: POST /v1/chat/completions, model gpt-4o, 2 messages; streamed: ${CHUNK_DELAY_MS} ms between the mock's 13 SSE events`,
      '',
      table([['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req'], ...rowsOf(json, 'JSON'), ...rowsOf(paced, `JSON @${PACED_RATE}/s`), ...rowsOf(stream, 'stream (whole)')]),
      '',
      `time to first token (first SSE event with text), ${TTFT_CONCURRENCY} concurrent streams, ${ttftSeconds} s per run:`,
      table([
        ['target', 'streams', 'TTFT p50 ms', 'TTFT p99 ms', 'first byte p50', 'stream end p50'],
        [BASE, String(ttft.floor.streams), fmt(ttft.floor.ttftP50), fmt(ttft.floor.ttftP99), fmt(ttft.floor.firstByteP50), fmt(ttft.floor.totalP50)],
        ['TrustRelay', String(ttft.trustrelay.streams), fmt(ttft.trustrelay.ttftP50), fmt(ttft.trustrelay.ttftP99), fmt(ttft.trustrelay.firstByteP50), fmt(ttft.trustrelay.totalP50)],
        ['added', '', signed(ttft.addedTtftP50Ms), signed(ttft.addedTtftP99Ms), '', ''],
      ]),
      '',
      jsonRuns.length === 0
        ? 'targets: the JSON scenario was not run'
        : flags.baseline
          ? `JSON throughput against ${BASE}: x${fmt(json.ratio)}, CPU per request x${fmt(json.cpuRatio)} (the DLP target, --stages default --baseline no-dlp: throughput >= x0.85)`
          : `targets (JSON scenario): throughput >= 0.8 of the floor: x${fmt(json.ratio)} ${targets.throughputRatio.met ? 'MET' : 'NOT MET'}; p99 within 1 ms at saturation: ${signed(json.p99DiffMs)} ms ${targets.p99DiffMs.met ? 'MET' : 'NOT MET'}`,
      pacedRuns.length === 0
        ? 'the paced scenario was not run'
        : `p99 within 1 ms at a fixed ${PACED_RATE} req/s (no queueing): ${signed(paced.p99DiffMs)} ms ${targets.pacedP99DiffMs.met ? 'MET' : 'NOT MET'} (p50 ${signed(paced.p50DiffMs)} ms)` +
          (Math.min(paced.floor.rps, paced.trustrelay.rps) < 0.95 * PACED_RATE ? `\nWARNING: a paced run answered under 95% of the offered ${PACED_RATE} req/s: the machine is too busy, its latencies include queueing (lower --rate)` : ''),
      failures ? `WARNING: ${failures} failed requests (non-2xx or errors); figures are suspect` : 'all requests answered 2xx',
      `mock upstream CPU per request (yardstick): ${fmt(json.floor.upstreamCpuUsPerRequest, 0)} µs JSON, ${fmt(stream.floor.upstreamCpuUsPerRequest, 0)} µs streamed`,
      'note: one shared machine runs the mock, both proxies and the load generator; compare ratios, not absolute figures.',
      'CPU µs/req is the proxy process\'s own CPU time per answered request (/proc), which other load barely moves.',
    ];
    process.stdout.write(out.join('\n') + '\n');
  }
  if (profileDir) {
    const files = fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    for (const f of files) process.stderr.write(`\nTrustRelay CPU profile: ${path.join(profileDir, f)}\n${summarize(path.join(profileDir, f), 30)}\n`);
    if (!files.length) process.stderr.write(`no CPU profile was written in ${profileDir}\n`);
  }
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error)?.stack ?? String(err)}\n`);
    await stopAll();
    process.exit(1);
  },
);
