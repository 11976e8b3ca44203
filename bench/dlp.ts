/**
 * `npm run bench:dlp`: DLP engine throughput on mixed text (every built-in recognizer on) and the worst
 * case over pathological 1 MB inputs. Figures are printed side by side from one run; see docs/DLP.md.
 */
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { cjkRunsIfNormal, type CjkRuns } from '../src/dlp/cjk.js';
import { borrowUtf16, classesOf, giveBack } from '../src/dlp/codes.js';
import { normalize, type Normalized } from '../src/dlp/normalize.js';
import { builtinRecognizers } from '../src/dlp/recognizers/index.js';
import { resolve, scan, scanWhole, State, STRETCH, STRETCHED_ABOVE, stretchStats, toFindings } from '../src/dlp/scan.js';
import { Pseudonymizer } from '../src/dlp/pseudonymize.js';
import { createStreamRestorer } from '../src/dlp/stream.js';
import { PATHOLOGICAL } from '../test/dlp/pathological.js';

const MB = 1 << 20;

/** Deterministic mixed text: English and Chinese prose, code, JSON logs, with a sprinkling of (fake) PII. */
export function mixedText(size: number): string {
  const parts = [
    'The quarterly report shows revenue grew by 12.5% compared with last year, driven by strong demand in the enterprise segment. ',
    'Please review the attached design document before Thursday and leave comments inline where something is unclear. ',
    '我们计划在下周完成系统迁移，届时所有服务将切换到新的集群，请各团队提前做好准备并更新相关文档。',
    '这个函数的时间复杂度是线性的，但在极端输入下仍然需要注意内存分配和字符串拼接的开销。',
    'function add(a: number, b: number): number {\n  return a + b; // v1.2.3, build 2024-11-23T10:22:33Z\n}\n',
    '{"level":"info","ts":1700000000123,"msg":"request done","status":200,"latency_ms":35,"trace":"3f2a9c0d1e4b5a6c"}\n',
    'Order #A-20241123-0042 shipped via tracking 1Z999AA10123456784; total $1,249.00 incl. tax. ',
    '联系人：王小明，手机 138 1234 5678，邮箱 wang.xm@example.com，地址：浙江省杭州市西湖区文三路 90 号。',
    'Contact Jonathan Parker at (555) 201-4477 or jparker@example.com; card 4111 1111 1111 1111 on file. ',
    'server 203.0.113.42 rejected key sk-proj-FAKE0123456789abcdefFAKE0123 from 2001:db8::7334. ',
  ];
  const weights = [5, 5, 5, 4, 3, 3, 2, 1, 1, 1];
  const seq: number[] = [];
  weights.forEach((w, i) => {
    for (let k = 0; k < w; k++) seq.push(i);
  });
  let out = '';
  let i = 0;
  while (out.length < size) out += parts[seq[(i++ * 7) % seq.length]];
  return out.slice(0, size);
}

/**
 * Best of `runs`, in ms of this process's CPU time (user + system): on a shared, oversubscribed machine
 * CPU time excludes the time spent waiting for a core, which wall-clock time does not.
 */
function best(fn: () => void, runs: number): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    b = Math.min(b, (d.user + d.system) / 1000);
  }
  return b;
}

function bestWall(fn: () => void, runs: number): number {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    b = Math.min(b, performance.now() - t);
  }
  return b;
}

/**
 * Where the time of one scan goes: each engine stage and each recognizer's `find`, timed separately on the
 * same normalized text (best of `runs`, CPU ms). Recognizers get a state whose shared passes are already
 * computed, so lexing is charged once, to its own row, as in a real scan.
 */
export function breakdown(text: string, runs = 3): Array<{ name: string; ms: number; note?: string }> {
  const rows: Array<{ name: string; ms: number; note?: string }> = [];
  // the first pass finds the CJK runs, or that the text needs normalizing (then both are separate steps)
  let pre: CjkRuns | null = null;
  // the code units in the memory the engine's scans borrow (the kernel computing the classes reads them there)
  let codes = borrowUtf16(text);
  rows.push({ name: 'engine: code units', ms: best(() => (giveBack(codes), (codes = borrowUtf16(text))), runs) });
  let classes = classesOf(codes);
  rows.push({ name: 'engine: character classes', ms: best(() => (classes = classesOf(codes)), runs) });
  rows.push({ name: 'engine: first pass (CJK runs)', ms: best(() => (pre = cjkRunsIfNormal(text, codes, false, classes)), runs) });
  let norm: Normalized = { text, map: null };
  if (!pre) {
    rows.push({ name: 'engine: normalize', ms: best(() => (norm = normalize(text)), runs) });
    giveBack(codes);
    codes = borrowUtf16(norm.text);
    classes = classesOf(codes);
    rows.push({ name: 'engine: CJK runs (normalized text)', ms: best(() => void new State(norm.text, undefined, null, 0.5, null, codes, classes).cjk, runs) });
  }
  const newState = () => new State(norm.text, undefined, pre, 0.5, null, codes, classes);
  let state = newState();
  rows.push({ name: 'engine: digit runs (lexDigits)', ms: best(() => void (state = newState()).runs, runs) });
  void state.cjk;
  // other shared passes (ScanState.memo): computed once per scan by whichever recognizer asks first
  const shared = new Map<object, number>();
  for (let k = 0; k < runs; k++) {
    const timings = new Map<object, number>();
    const st = new State(norm.text, timings, null, 0.5, null, codes, classes);
    for (const rec of builtinRecognizers) {
      st.begin(rec);
      rec.find(norm.text, st);
    }
    for (const [key, ms] of timings) shared.set(key, Math.min(ms, shared.get(key) ?? Infinity));
  }
  for (const [key, ms] of shared) rows.push({ name: `engine: shared ${(key as { name?: string }).name ?? key.constructor.name}`, ms });
  // fill the memo (find rows below exclude shared passes); each recognizer then runs on a state of its own
  // whose store holds only its candidates, copied into the scan's store like the engine does
  for (const rec of builtinRecognizers) {
    state.begin(rec);
    rec.find(norm.text, state);
  }
  const all = newState();
  for (const rec of builtinRecognizers) {
    let own = state;
    const ms = best(() => {
      own = state.fork();
      own.begin(rec);
      for (const x of rec.find(norm.text, own)) own.emit(x.type, x.start, x.end, x.score, x.why, x.canonical);
    }, runs);
    rows.push({ name: rec.name, ms, note: `${own.store.n} candidates` });
    all.begin(rec);
    for (let i = 0; i < own.store.n; i++) all.emit(own.store.type(i), own.store.start[i], own.store.end[i], own.store.score[i], own.store.why(i), own.store.canonical[i]);
  }
  let kept: Int32Array = new Int32Array(0);
  rows.push({ name: 'engine: resolve', ms: best(() => (kept = resolve(all.store, norm.text.length)), runs), note: `${all.store.n} -> ${kept.length}` });
  rows.push({ name: 'engine: mapping (toFindings)', ms: best(() => toFindings(norm, all.store, kept), runs) });
  giveBack(codes);
  return rows;
}

/** CPU ms spent in garbage collection during `fn` (from the gc performance entries; 0 if unavailable). */
async function gcTime(fn: () => void): Promise<number> {
  let total = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) total += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  fn();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return total;
}

/** A plain character loop over the same text: the floor any scanner pays, measured side by side. */
function referenceLoop(text: string): number {
  return best(() => {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    if (h === 42) console.log('');
  }, 5);
}

function printBreakdown(text: string): void {
  const rows = breakdown(text);
  const sum = rows.reduce((a, r) => a + r.ms, 0);
  for (const r of rows.sort((a, b) => b.ms - a.ms)) if (r.ms >= 0.5) console.log(`    ${r.name.padEnd(32)} ${r.ms.toFixed(1).padStart(7)} ms ${((100 * r.ms) / sum).toFixed(0).padStart(3)}%${r.note ? `  ${r.note}` : ''}`);
  console.log(`    ${'sum of rows'.padEnd(32)} ${sum.toFixed(1).padStart(7)} ms`);
}

async function main(): Promise<void> {
  // `--breakdown=NAME[,NAME]`: only the per-stage breakdown of those pathological inputs (1 M chars each)
  const only = process.argv.find((a) => a.startsWith('--breakdown='))?.slice('--breakdown='.length);
  if (only) {
    for (const name of only.split(',')) {
      const s = JSON.parse(JSON.stringify(PATHOLOGICAL[name](MB))) as string;
      scan(s);
      console.log(`${name} (1 M chars): scan ${best(() => scan(s), 2).toFixed(1)} ms CPU`);
      printBreakdown(s);
    }
    return;
  }
  console.log(`node ${process.version}, ${os.cpus().length} cpus, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (shared machine: compare ratios)`);
  // JSON.parse gives a flat sequential string, as the gateway gets request bodies (a sliced string is slower)
  const text = JSON.parse(JSON.stringify(mixedText(4 * MB))) as string;
  const ref = referenceLoop(text);
  // steady state: the gateway scans warm code, so JIT-compile every recognizer first, on all kinds of input,
  // then on this text until V8 has re-optimized for it (the first scans after the pathological inputs took
  // two to three times the steady time)
  scan(text);
  for (const gen of Object.values(PATHOLOGICAL)) scan(gen(64_000));
  const long = text.length > STRETCHED_ABOVE;
  for (let i = 0; i < 3; i++) {
    scan(text);
    if (long) scanWhole(text);
  }
  // best of 7: on a shared machine most runs are slowed by other tenants; the best one is the cost of the work.
  // The runs are spread over a few seconds (a busy spell of another tenant slowed every run for a second or
  // more), and a long text's scan takes turns with one pass over the whole of it (scanWhole, for comparison)
  let ms = Infinity;
  let one = Infinity;
  for (let r = 0; r < 7; r++) {
    ms = Math.min(ms, best(() => scan(text), 1));
    if (long) one = Math.min(one, best(() => scanWhole(text), 1));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const wall = bestWall(() => scan(text), 3);
  const bytes = Buffer.byteLength(text, 'utf8');
  console.log(`mixed text: ${(text.length / MB).toFixed(1)} M chars (${(bytes / MB).toFixed(1)} MB UTF-8), ${scan(text).length} findings`);
  console.log(`  scan: ${ms.toFixed(1)} ms CPU (${wall.toFixed(1)} ms wall) -> ${(bytes / MB / (ms / 1000)).toFixed(1)} MB/s per core (UTF-8 bytes), ${(text.length / MB / (ms / 1000)).toFixed(1)} M chars/s`);
  if (long) {
    // a text this long is scanned in stretches (scan.ts), unless they fell back to one pass
    const fellBack = stretchStats.fellBack;
    scan(text);
    const how = stretchStats.fellBack === fellBack ? `in stretches of ${STRETCH >> 10} K` : 'in one pass (the stretches fell back!)';
    console.log(`  (scanned ${how}; in one pass over the whole text, in turns with the scan: ${one.toFixed(1)} ms CPU -> ${(bytes / MB / (one / 1000)).toFixed(1)} MB/s, scan = x${(ms / one).toFixed(2)} of it)`);
  }
  console.log(`  reference char loop over the same text: ${ref.toFixed(1)} ms; scan = ${(ms / ref).toFixed(1)} x reference`);
  const gc = await gcTime(() => scan(text));
  console.log(`  garbage collection during one scan: ${gc.toFixed(1)} ms (CPU time above wall time means GC helper threads)`);
  console.log('  breakdown (CPU ms of one pass over the same text, best of 3):');
  printBreakdown(text);

  const p = new Pseudonymizer({ key: Buffer.alloc(32, 1), conversationId: 'bench' });
  const chunk = text.slice(0, MB);
  let protectedText = '';
  const pms = best(() => (protectedText = p.protect(chunk).text), 3);
  console.log(`  protect (1 M chars): ${pms.toFixed(1)} ms CPU`);
  const rms = best(() => p.restore(protectedText), 3);
  const sms = best(() => {
    const sr = createStreamRestorer(p);
    for (let i = 0; i < protectedText.length; i += 16) sr.push(protectedText.slice(i, i + 16));
    sr.flush();
  }, 3);
  console.log(`  restore (whole): ${rms.toFixed(1)} ms CPU; stream restore in 16-char deltas: ${sms.toFixed(1)} ms CPU`);

  // steady state, as in a gateway that keeps scanning: two scans of the input warm the code for it (the
  // first scans of a 1 MB input run while V8 is still optimizing for it), then 5 measured runs, whose median
  // is the round's figure (a major collection lands in some runs: best and worst show the spread). Two
  // rounds over all the inputs, some seconds apart: another tenant's busy spell on this shared machine
  // slowed every run of an input for several seconds, and the lower of the two medians is the cost of the
  // work (each median still holds the collections of its own runs)
  console.log('pathological inputs (1 M chars each; two rounds of 2 warm-up scans and 5 runs; CPU ms: the lower of the rounds\' medians, best-worst of all 10 runs):');
  const names = Object.keys(PATHOLOGICAL);
  const rounds: number[][][] = [[], []];
  for (let r = 0; r < 2; r++) {
    for (const name of names) {
      const s = JSON.parse(JSON.stringify(PATHOLOGICAL[name](MB))) as string;
      scan(s);
      scan(s);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(best(() => scan(s), 1));
      rounds[r].push(times.sort((a, b) => a - b));
    }
  }
  let worst = { name: '', ms: 0 };
  names.forEach((name, k) => {
    const t = Math.min(rounds[0][k][2], rounds[1][k][2]);
    const all = [...rounds[0][k], ...rounds[1][k]];
    if (t > worst.ms) worst = { name, ms: t };
    console.log(`  ${name.padEnd(22)} ${t.toFixed(1).padStart(7)} ms  (${Math.min(...all).toFixed(1)}-${Math.max(...all).toFixed(1)}; rounds ${rounds[0][k][2].toFixed(1)} / ${rounds[1][k][2].toFixed(1)}; ${(t / (ref / 4)).toFixed(1)} x reference loop per MB)`);
  });
  console.log(`worst case: ${worst.name} ${worst.ms.toFixed(1)} ms CPU (target <= 50 ms)`);
  // last, so that their garbage does not land in the pathological runs above
  console.log('mixed text as messages (CPU ms for the whole text, best of 7 rounds over the three sizes):');
  // the gateway scans each message part on its own: the same text cut into messages (per-scan costs count);
  // the sizes take turns, so that a busy spell of the machine falls on all of them rather than on one
  const sizes = [MB, 65536, 4096];
  const sets = sizes.map((size) => {
    const msgs: string[] = [];
    for (let i = 0; i < text.length; i += size) msgs.push(JSON.parse(JSON.stringify(text.slice(i, i + size))) as string);
    return () => {
      for (const m of msgs) scan(m);
    };
  });
  for (const all of sets) all();
  const bests = sizes.map(() => Infinity);
  for (let r = 0; r < 7; r++) sets.forEach((all, k) => (bests[k] = Math.min(bests[k], best(all, 1))));
  sizes.forEach((size, k) => {
    const mms = bests[k];
    console.log(`  ${Math.ceil(text.length / size)} messages of ${size / 1024} K chars: ${mms.toFixed(1)} ms CPU -> ${(bytes / MB / (mms / 1000)).toFixed(1)} MB/s per core`);
  });
}

if (process.argv[1]?.includes("dlp")) void main();
