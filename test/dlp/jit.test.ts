import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PATHOLOGICAL } from './pathological.js';
import { deoptsByPlace } from './support/jit-child.js';

// V8 compiles a loop that runs long while its function is still interpreted ("on-stack replacement") and
// keeps that code for the function's later calls. When the code after such a loop was compiled with no type
// feedback for what later texts bring, every later call entered the kept code and fell back to the
// interpreter again ("deoptimized"): after one hostile input, each message of ordinary text paid a
// deoptimization, and 4 K messages took about three and a half times as long, for thousands of calls
// (docs/DLP.md, "Long loops and V8's on-stack replacement"). Each case below made one place deoptimize
// dozens to thousands of times.
//
// Each case runs in a fresh process with --single-threaded (compilation on the main thread, at the same
// points every run) and --trace-deopt, and fails when one place of the code deoptimizes more than
// MAX_REPEATS times: ordinary re-optimization deoptimizes a place a few times at most.

const CHILD = fileURLToPath(new URL('./support/jit-child.js', import.meta.url));
const MAX_REPEATS = 20;
const run = promisify(execFile);

/** The places (function and bytecode offset) that deoptimized more than MAX_REPEATS times, with counts. */
async function repeatedDeopts(inputs: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--single-threaded', '--trace-deopt', CHILD], {
    env: { ...process.env, TRUSTRELAY_JIT_INPUTS: inputs },
    maxBuffer: 256 << 20,
  });
  const counts = deoptsByPlace(stdout);
  assert.ok(stdout.includes('[bailout'), 'the child printed no deoptimization at all: is --trace-deopt still honoured?');
  return [...counts].filter(([, n]) => n > MAX_REPEATS).map(([k, n]) => `${n}x ${k}`);
}

const CASES: Array<[string, string]> = [
  ['numbers windowed after dotted quads', 'ipv4-quads@1048576'],
  ['numbers windowed and candidates ordered after dense overlapping numbers', 'overlapping-numbers@1048576'],
  ['numbers windowed after long spaced digit clusters', 'digits-spaced@1048576'],
  ['the next-set-bit search after capitalized words', 'capitalized-words@1048576'],
  ['secret prefixes looked up after dense PEM headers', 'pem-begin@1048576'],
  ['secret prefixes looked up after every prefix at once', 'secret-prefixes@1048576'],
  ['names and CJK runs after every pathological input in turn', `${Object.keys(PATHOLOGICAL).join(',')}@262144`],
];

for (const [what, inputs] of CASES) {
  test(`no repeated deoptimization: ${what}`, { timeout: 120_000 }, async () => {
    assert.deepEqual(await repeatedDeopts(inputs), []);
  });
}
