import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PATHOLOGICAL } from '../test/dlp/pathological.js';
import { deoptsByPlace } from '../test/dlp/support/jit-child.js';

// Looks for deoptimization storms (docs/DLP.md, "Long loops and V8's on-stack replacement"): for every
// pathological input, a fresh process scans it first (three times) and then ordinary messages of 4 K and
// 64 K chars, under --trace-deopt; a place that deoptimizes more than --max times is reported. Two processes
// at a time.
//
//   node dist/scripts/dlp-jit-sweep.js [--size N] [--single-threaded] [--max N]
//
// Without --single-threaded the compiler runs concurrently, as in the gateway, and what it finds varies from
// run to run; with it, a run repeats. Exit code 1 when something was reported.

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const size = opt('--size', 1 << 20);
const max = opt('--max', 20);
const flags = args.includes('--single-threaded') ? ['--single-threaded'] : [];
const child = fileURLToPath(new URL('../test/dlp/support/jit-child.js', import.meta.url));
const run = promisify(execFile);

async function sweep(name: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [...flags, '--trace-deopt', child], {
    env: { ...process.env, TRUSTRELAY_JIT_INPUTS: `${name}@${size}` },
    maxBuffer: 256 << 20,
  });
  return [...deoptsByPlace(stdout)].filter(([, n]) => n > max).map(([k, n]) => `${name}: ${n}x ${k}`);
}

const names = Object.keys(PATHOLOGICAL);
const found: string[] = [];
let next = 0;
await Promise.all(
  [0, 1].map(async () => {
    while (next < names.length) {
      const name = names[next++];
      const lines = await sweep(name);
      for (const l of lines) console.log(l);
      found.push(...lines);
    }
  }),
);
console.log(`${names.length} inputs at ${size} chars${flags.length ? ', --single-threaded' : ''}: ${found.length === 0 ? 'no place' : `${found.length} places`} deoptimized more than ${max} times`);
process.exitCode = found.length === 0 ? 0 : 1;
