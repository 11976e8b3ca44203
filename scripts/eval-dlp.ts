/**
 * `npm run eval:dlp`: per-type precision / recall / F1 on exact spans, for the repo's own set (eval/dlp)
 * and, when present, the shared third-party set (../shared/eval-data/dlp, or $EVAL_DATA_DIR/dlp).
 * The shared data is read in place and never copied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../src/dlp/scan.js';

interface Span {
  type: string;
  start: number;
  end: number;
}
interface Case {
  id: string;
  text: string;
  spans: Span[];
  tags?: string[];
}

/** Repo root: this file runs as scripts/eval-dlp.ts (tsx) or dist/scripts/eval-dlp.js (compiled). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export interface EvalResult {
  rows: Array<{ type: string; tp: number; fp: number; fn: number; p: number; r: number; f1: number }>;
  overall: { tp: number; fp: number; fn: number; p: number; r: number; f1: number };
  hardNegatives: { cases: number; withFindings: number; rate: number };
  /** Gold spans at least partly covered by a finding of the same type (exact-span scoring hides near misses). */
  covered: { covered: number; total: number };
  cases: number;
}

/** Checksum-validated and structured types (target F1 >= 0.98); PERSON and ADDRESS are heuristic. */
const STRUCTURED = new Set(['CN_ID_CARD', 'CN_MOBILE', 'PHONE', 'BANK_CARD', 'CN_USCC', 'PASSPORT', 'EMAIL', 'IP_ADDRESS', 'SECRET', 'CN_LICENSE_PLATE']);

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

export function evaluate(cases: Case[], errors?: (c: Case, kind: 'fp' | 'fn', s: Span) => void): EvalResult {
  const by = new Map<string, { tp: number; fp: number; fn: number }>();
  const get = (t: string) => by.get(t) ?? (by.set(t, { tp: 0, fp: 0, fn: 0 }), by.get(t)!);
  let hn = 0;
  let hnHit = 0;
  let cov = 0;
  let tot = 0;
  for (const c of cases) {
    const found = scan(c.text);
    for (const g of c.spans) {
      tot++;
      if (found.some((f) => f.type === g.type && f.start < g.end && g.start < f.end)) cov++;
    }
    const key = (s: Span) => `${s.type}:${s.start}:${s.end}`;
    const gold = new Set(c.spans.map(key));
    const got = new Set(found.map(key));
    for (const s of c.spans) {
      if (got.has(key(s))) get(s.type).tp++;
      else {
        get(s.type).fn++;
        errors?.(c, 'fn', s);
      }
    }
    for (const s of found) {
      if (gold.has(key(s))) continue;
      get(s.type).fp++;
      errors?.(c, 'fp', s);
    }
    if (c.tags?.includes('hard-negative') || c.tags?.includes('negative')) {
      hn++;
      if (found.length > 0) hnHit++;
    }
  }
  const rows = [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, v]) => {
    const p = ratio(v.tp, v.tp + v.fp);
    const r = ratio(v.tp, v.tp + v.fn);
    return { type, ...v, p, r, f1: f1(p, r) };
  });
  const sum = rows.reduce((a, r) => ({ tp: a.tp + r.tp, fp: a.fp + r.fp, fn: a.fn + r.fn }), { tp: 0, fp: 0, fn: 0 });
  const p = ratio(sum.tp, sum.tp + sum.fp);
  const r = ratio(sum.tp, sum.tp + sum.fn);
  return { rows, overall: { ...sum, p, r, f1: f1(p, r) }, hardNegatives: { cases: hn, withFindings: hnHit, rate: hn ? hnHit / hn : 0 }, covered: { covered: cov, total: tot }, cases: cases.length };
}

export function loadJsonl(file: string): Case[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case);
}

function fmt(name: string, res: EvalResult): string {
  const f = (x: number) => x.toFixed(3);
  const lines = [`## ${name} (${res.cases} cases)`, '', '| type | TP | FP | FN | precision | recall | F1 |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of res.rows) lines.push(`| ${r.type} | ${r.tp} | ${r.fp} | ${r.fn} | ${f(r.p)} | ${f(r.r)} | ${f(r.f1)} |`);
  const o = res.overall;
  const st = res.rows.filter((r) => STRUCTURED.has(r.type)).reduce((a, r) => ({ tp: a.tp + r.tp, fp: a.fp + r.fp, fn: a.fn + r.fn }), { tp: 0, fp: 0, fn: 0 });
  const sp = ratio(st.tp, st.tp + st.fp);
  const sr = ratio(st.tp, st.tp + st.fn);
  lines.push(`| *structured types* | ${st.tp} | ${st.fp} | ${st.fn} | ${f(sp)} | ${f(sr)} | ${f(f1(sp, sr))} |`);
  lines.push(`| **overall** | ${o.tp} | ${o.fp} | ${o.fn} | ${f(o.p)} | ${f(o.r)} | ${f(o.f1)} |`);
  lines.push('', `negative / hard-negative cases with any finding: ${res.hardNegatives.withFindings}/${res.hardNegatives.cases} (${(res.hardNegatives.rate * 100).toFixed(1)}%)`);
  lines.push(`labelled spans at least partly covered by a finding of the same type: ${res.covered.covered}/${res.covered.total} (${((res.covered.covered / Math.max(1, res.covered.total)) * 100).toFixed(1)}%)`, '');
  return lines.join('\n');
}

function main(): void {
  const root = repoRoot();
  const verbose = process.argv.includes('--errors');
  const show = (c: Case, kind: string, s: Span) => console.log(`  ${kind} ${c.id} ${s.type} ${JSON.stringify(c.text.slice(s.start, s.end))}`);
  const own = path.join(root, 'eval', 'dlp', 'cases.jsonl');
  console.log(fmt('eval/dlp (repo set)', evaluate(loadJsonl(own), verbose ? show : undefined)));
  const dir = process.env.EVAL_DATA_DIR ?? path.join(root, '..', 'shared', 'eval-data');
  const shared = path.join(dir, 'dlp', 'cases.jsonl');
  if (!fs.existsSync(shared)) {
    console.log(`shared eval data not found at ${shared}; skipping`);
    return;
  }
  console.log(fmt('shared eval-data/dlp (third-party, read in place)', evaluate(loadJsonl(shared), verbose ? show : undefined)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
