/**
 * Skill scanner throughput: skills scanned per second, load + analyse + all rules, one process.
 *
 *   npm run bench:skills        (BENCH_SECONDS=N to change the ~3 s budget per corpus)
 *
 * Measures side by side in one run: the repo corpus (eval/skills/corpus) and, when present,
 * the third-party corpus (../shared/eval-data/skills, EVAL_DATA_DIR overrides), and reports the
 * ratio to the 50 skills/s target so a noisy shared machine shows up in both numbers alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTarget } from '../src/skills/load/discover.js';
import { scanSkill } from '../src/skills/scan.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '..', '..') : path.resolve(here, '..');
const TARGET = 50;
const budgetMs = Number(process.env.BENCH_SECONDS ?? 3) * 1000;

async function bench(name: string, dir: string): Promise<void> {
  const items = fs.readdirSync(dir).sort().map((d) => path.join(dir, d));
  let bytes = 0;
  // warm-up pass (JIT), also counts the corpus size
  for (const p of items) for (const s of await loadTarget(p)) bytes += s.files.reduce((a, f) => a + f.size, 0);
  let n = 0;
  let passes = 0;
  const t0 = performance.now();
  let loadMs = 0;
  const cpu0 = process.cpuUsage();
  while (performance.now() - t0 < budgetMs || passes === 0) {
    for (const p of items) {
      const l0 = performance.now();
      const skills = await loadTarget(p);
      loadMs += performance.now() - l0;
      for (const s of skills) {
        scanSkill(s);
        n++;
      }
    }
    passes++;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rate = (n / ms) * 1000;
  const cpuRate = (n / cpuMs) * 1000;
  console.log(
    `${name.padEnd(34)} ${String(items.length).padStart(4)} skills  ${(bytes / 1024 / 1024).toFixed(1).padStart(5)} MiB  ${passes} pass(es)  ` +
      `${rate.toFixed(1).padStart(7)} skills/s wall  ${cpuRate.toFixed(1).padStart(7)} skills/CPU-s  (${(ms / n).toFixed(1)} ms/skill, ${((loadMs / ms) * 100).toFixed(0)}% reading)  ${(rate / TARGET).toFixed(2)}x target`,
  );
}

async function main(): Promise<void> {
  const { loadavg, cpus } = await import('node:os');
  console.log(`skill scanner throughput (target ${TARGET} skills/s), node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
  await bench('eval/skills/corpus (repo)', path.join(root, 'eval', 'skills', 'corpus'));
  const shared = path.join(process.env.EVAL_DATA_DIR ?? path.join(root, '..', 'shared', 'eval-data'), 'skills', 'corpus');
  if (fs.existsSync(shared)) await bench('shared eval-data/skills (third-party)', shared);
  else console.log(`eval-data not found at ${shared}; skipping the third-party corpus`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
