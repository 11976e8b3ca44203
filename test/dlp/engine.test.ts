import { test } from 'node:test';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { cjkRuns, cjkRunsIfNormal, isCjkTrigger } from '../../src/dlp/cjk.js';
import '../../src/dlp/recognizers/index.js';
import { needsNormalizing } from '../../src/dlp/normalize.js';
import { near, newContextScan } from '../../src/dlp/context.js';
import { lexClusters, lexDigits, LONE_AFTER_PLUS, LONE_END_OK, LONE_START_OK, scanWindows, SEP_STRINGS, type DigitRuns } from '../../src/dlp/lexer.js';
import { builtinRecognizers } from '../../src/dlp/recognizers/index.js';
import { CandidateStore, type Cand } from '../../src/dlp/candidate.js';
import { resolve, scan, State } from '../../src/dlp/scan.js';
import { TriggerSet } from '../../src/dlp/triggers.js';
import { validIpv4, validIpv6 } from '../../src/dlp/checksums.js';
import { codeAt, unitAt } from '../../src/dlp/unit.js';
import { borrowUtf16, classesOf, giveBack, GROUPS_CAP, kernelContextWalk, utf16 } from '../../src/dlp/codes.js';
import { KEYWORD_SOURCE, latinKeywordBound, prefixPassIn, TOKEN_PREFIXES } from '../../src/dlp/recognizers/secrets.js';
import type { Recognizer } from '../../src/dlp/types.js';
import { classesInJs } from '../../src/dlp/classes.js';
import { assertHoldsNoText } from './support/memory.js';
import { grownCap, Spare } from '../../src/dlp/grow.js';
import { WordFlags } from '../../src/dlp/recognizers/person-wordset.js';

// Engine building blocks checked against plain reference implementations on random inputs: the fast paths
// (flat digit runs, per-group overlap resolution, indexed context lookup, shared prefix pass) must give
// exactly what the straightforward versions give.

let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const randomText = (alphabet: readonly string[], max: number) => {
  let s = '';
  const n = 1 + Math.floor(rnd() * max);
  for (let k = 0; k < n; k++) s += pick(alphabet);
  return s;
};

/** Reference digit lexer: every digit run, joined when the gap is one allowed separator. */
function referenceClusters(t: string): Array<{ groups: Array<[number, number]>; seps: string[] }> {
  const out: Array<{ groups: Array<[number, number]>; seps: string[] }> = [];
  const ok = new Set([' ', '-', '.', '(', ')', ') ', ')-', ' (', ' -', '- ']);
  let lastEnd = -10;
  for (const m of t.matchAll(/\d+/g)) {
    const s = m.index;
    const e = s + m[0].length;
    const gap = t.slice(lastEnd, s);
    const cur = out[out.length - 1];
    if (cur && s - lastEnd <= 2 && ok.has(gap)) {
      cur.groups.push([s, e]);
      cur.seps.push(gap);
    } else out.push({ groups: [[s, e]], seps: [''] });
    lastEnd = e;
  }
  // lone runs no recognizer can use are dropped (see lexer.ts)
  return out.filter((c) => {
    if (c.groups.length !== 1) return true;
    const [s, e] = c.groups[0];
    if (e - s <= 2) return t[e] === ' ' || (/[A-Z]/.test(t[e] ?? '') && t[e + 1] === ' ');
    return !(e - s < 6 && s > 0 && /[A-Za-z0-9_]/.test(t[s - 1]) && t[s - 2] !== '\\');
  });
}

/** The digit runs of t by the JavaScript first pass, and by the kernel's (the code units in its memory). */
function lexBoth(t: string): DigitRuns[] {
  const u = borrowUtf16(t);
  try {
    return [lexDigits(t), lexDigits(t, false, u, classesOf(u))];
  } finally {
    giveBack(u);
  }
}

test('flat digit runs and clusters match the reference lexer', () => {
  const alphabet = ['1', '23', '456', '7890', ' ', ' ', '-', '.', '(', ')', 'a', 'B', 'x', '\\', '\n', '  ', '中', ':', '1 ', 'A ', '+', '_'];
  for (let k = 0; k < 3000; k++) {
    const t = randomText(alphabet, 40);
    const want = referenceClusters(t);
    const got = lexClusters(t);
    assert.deepEqual(
      got.map((c) => ({ groups: c.groups.map((g) => [g.start, g.end]), seps: c.seps })),
      want,
      JSON.stringify(t),
    );
    for (const r of lexBoth(t)) {
    assert.equal(r.clusters, want.length);
    for (let c = 0; c < r.clusters; c++) {
      assert.equal(r.last[c] - r.first[c] + 1, want[c].groups.length);
      assert.equal(r.digits[c], want[c].groups.reduce((a, [s, e]) => a + e - s, 0));
      assert.equal(r.longest[c], Math.max(...want[c].groups.map(([s, e]) => e - s)));
      for (let g = r.first[c] + 1; g <= r.last[c]; g++) assert.equal(SEP_STRINGS[r.sep[g]], want[c].seps[g - r.first[c]]);
      // a lone run's edges, as the number recognizers would read them from the text
      const [s, e] = want[c].groups[0];
      const plus = t[s - 1] === '+' || t[s - 1] === '(';
      const startOk = plus || s === 0 || !/[A-Za-z0-9_]/.test(t[s - 1]) || (s >= 2 && t[s - 2] === '\\' && /[a-z]/.test(t[s - 1]));
      const endOk = e >= t.length || !/[A-Za-z0-9_]/.test(t[e]) || (t[e] === 'x' && /[0-9]/.test(t[e + 1] ?? ''));
      const flags = want[c].groups.length === 1 ? (startOk ? LONE_START_OK : 0) | (endOk ? LONE_END_OK : 0) | (plus ? LONE_AFTER_PLUS : 0) : 0;
      assert.equal(r.loneEdges[c], flags, JSON.stringify(t));
    }
    }
  }
});

test('a cluster of many groups grows the lexer buffers and keeps every group', () => {
  // more runs than one call of the first pass lists (GROUPS_CAP): the cluster goes on across calls
  const t = '1 '.repeat(5000) + 'x 22-33';
  for (const r of lexBoth(t)) {
    assert.equal(r.clusters, 2);
    assert.equal(r.last[0] - r.first[0] + 1, 5000);
    assert.equal(r.last[1] - r.first[1] + 1, 2);
  }
});

test('the first pass of the digit lexer gives the same runs in the kernel and in JavaScript, in chunks or not', () => {
  const alphabet = ['1', '23', '456', ' ', '-', '.', '(', ')', ') ', ' (', 'a', 'B', 'é', '中', '\\', '1 ', '7-', '9.'];
  const fields = (r: DigitRuns) => ({
    groups: r.groups, clusters: r.clusters, shorts: r.shorts,
    start: [...r.start.subarray(0, r.groups)], end: [...r.end.subarray(0, r.groups)], sep: [...r.sep.subarray(0, r.groups)],
    first: [...r.first.subarray(0, r.clusters)], last: [...r.last.subarray(0, r.clusters)], digits: [...r.digits.subarray(0, r.clusters)],
    longest: [...r.longest.subarray(0, r.clusters)], loneEdges: [...r.loneEdges.subarray(0, r.clusters)], shortAfterSpace: [...r.shortAfterSpace.subarray(0, r.shorts)],
  });
  let chunked = 0;
  for (let k = 0; k < 400; k++) {
    // texts of more runs than one call lists, and short ones around the bitmaps' 32-unit words
    let t = '';
    if (k < 40) for (let p = 0; p < 2 * GROUPS_CAP; p++) t += pick(k % 2 ? ['1 ', '23-', '4.', '56 ', 'a', ' ', '(7) '] : alphabet);
    else t = randomText(alphabet, k % 2 ? 33 : 300);
    const [js, kernel] = lexBoth(t);
    if (js.groups > GROUPS_CAP) chunked++;
    assert.deepEqual(fields(kernel), fields(js), JSON.stringify(t.slice(0, 200)));
  }
  assert.ok(chunked >= 20, `texts of more runs than one call lists (${chunked})`);
});

test('window search is longest first and resumes after an accepted window', () => {
  const t = '12 34 56 78 90';
  const r = lexDigits(t);
  const wins = scanWindows(t, r, 0, (w) => w.n === 4, { minDigits: 2 });
  assert.deepEqual(
    wins.map((w) => t.slice(w.start, w.end)),
    ['12 34', '56 78'],
  );
  assert.equal(wins[0].digits, '1234');
});

/** The original context lookup: slices, lower-cases, substring search per word. */
function referenceNear(t: string, start: number, end: number, words: readonly string[], before = 24, after = 8): string | null {
  const lower = (s: string) => (/[A-Z]/.test(s) ? s.toLowerCase() : s);
  const left = lower(t.slice(Math.max(0, start - before), start));
  const right = after > 0 ? lower(t.slice(end, end + after)) : '';
  if (!/[A-Za-z\u0080-\uffff]/.test(left) && !/[A-Za-z\u0080-\uffff]/.test(right)) return null;
  for (const w of words) if (left.includes(w) || (right && right.includes(w))) return w;
  return null;
}

test('indexed context lookup finds the same word as a substring search', () => {
  const words = ['phone', 'tel', 'cc ', 'case #', '电话', '卡号', 'desk', 'k', 'id no'];
  const alphabet = ['phone', 'PHONE', 'Tel', 'te', 'l', 'cc', ' ', '#', 'case', '电话', '电', '卡号', 'DESK', '\u212a', '\u0130', 'id', 'No', '1', '23', 'x', 'é', '😀'];
  for (let k = 0; k < 5000; k++) {
    const t = randomText(alphabet, 30);
    const start = Math.floor(rnd() * (t.length + 1));
    const end = Math.min(t.length, start + Math.floor(rnd() * 5));
    const before = pick([0, 8, 24, 32]);
    const after = pick([0, 8, 12]);
    assert.equal(near(t, start, end, words, before, after), referenceNear(t, start, end, words, before, after), JSON.stringify([t, start, end, before, after]));
  }
});

test('context lookups in the text of a scan, walked by the kernel, find the same word as a substring search', () => {
  const words = ['phone', 'tel', 'cc ', 'case #', '电话', '卡号', 'desk', 'k', 'id no', '下x'];
  const alphabet = ['phone', 'PHONE', 'pHoNe', 'Tel', 'te', 'l', 'cc', ' ', '#', 'case', '电话', '电', '卡号', 'DESK', 'K', '\u212a', '\u0130', 'id', 'No', '1', '23', 'x', 'é', '😀', 'ǅ', 'ǆx', '\u0150', '\u4e0b'];
  let walked = 0;
  for (let k = 0; k < 3000; k++) {
    const t = randomText(alphabet, 40);
    const u = borrowUtf16(t);
    try {
      // with the scan's wordy bitmap or without it (the stretch cache then)
      newContextScan(t, u, k % 2 ? classesOf(u).wordy : null);
      if (kernelContextWalk(u) !== null) walked++;
      for (let q = 0; q < 4; q++) {
        const start = Math.floor(rnd() * (t.length + 1));
        const end = Math.min(t.length, start + Math.floor(rnd() * 5));
        const before = pick([0, 8, 24, 32]);
        const after = pick([0, 8, 12]);
        assert.equal(near(t, start, end, words, before, after), referenceNear(t, start, end, words, before, after), JSON.stringify([t, start, end, before, after]));
      }
    } finally {
      newContextScan();
      giveBack(u);
    }
  }
  assert.equal(walked, 3000, 'the code units were in a kernel');
});

test('context lookups around dense numbers (the letter-free stretch cache) agree with the substring search', () => {
  const words = ['phone', 'tel', '电话', 'version'];
  const alphabet = ['1', '23', ' ', '.', '-', ' ', '456', 'phone', 'Tel', '电话', 'é'];
  for (let k = 0; k < 400; k++) {
    // texts of one length one after another (the cache is keyed by the text), many lookups per text in
    // text order and out of it
    const t = randomText(alphabet, 60).padEnd(80, k % 3 ? '7' : ' ').slice(0, 80);
    for (let q = 0; q < 12; q++) {
      const start = q < 8 ? q * 10 : Math.floor(rnd() * 80);
      const end = Math.min(80, start + 1 + Math.floor(rnd() * 6));
      assert.equal(near(t, start, end, words, 16, 8), referenceNear(t, start, end, words, 16, 8), JSON.stringify([t, start, end]));
    }
  }
});

test('candidates emitted through the scan state equal returned ones, filtered the same way', () => {
  const spans: Array<[number, number, number, string]> = [[0, 4, 0.9, 'A'], [2, 6, 0.95, 'B'], [8, 10, 0.3, 'A'], [12, 14, 0.7, 'C']];
  const returning: Recognizer = {
    name: 'returning', types: ['A', 'B', 'C'], explanation: 'test',
    find: () => spans.map(([start, end, score, type]) => ({ type, start, end, score, why: 'w' })),
    examples: { positive: [], negative: [] },
  };
  const emitting: Recognizer = {
    name: 'returning', types: ['A', 'B', 'C'], explanation: 'test',
    find: (_t, s) => {
      for (const [start, end, score, type] of spans) s.emit(type, start, end, score, 'w');
      return [];
    },
    examples: { positive: [], negative: [] },
  };
  const text = 'abcdefghijklmnop';
  for (const opts of [{}, { types: ['A', 'C'] }, { minScore: 0.8 }]) {
    const a = scan(text, { ...opts, recognizers: [returning] });
    assert.deepEqual(scan(text, { ...opts, recognizers: [emitting] }), a);
    assert.ok(a.every((f) => f.score >= (opts.minScore ?? 0.5)));
  }
  assert.deepEqual(scan(text, { recognizers: [returning] }).map((f) => f.type), ['B', 'C']);
  assert.throws(() => new State('x').emit('A', 0, 1, 0.9), /outside a recognizer run/);
});

test('shared prefix pass reports exactly the prefixes that occur', () => {
  const prefixes = ['sk-', 'sk-ant-', 'AKIA', 'eyJ', '-----BEGIN ', '://', 'xoxb-', 'aa'];
  const set = new TriggerSet(prefixes);
  const alphabet = ['sk', '-', 'ant', 'AK', 'IA', 'ey', 'J', '-----', 'BEGIN ', ':', '//', 'xox', 'b', 'a', ' ', '中'];
  for (let k = 0; k < 3000; k++) {
    const t = randomText(alphabet, 40);
    const got = set.present(t);
    assert.deepEqual(
      prefixes.map((_, i) => got[i] === 1),
      prefixes.map((p) => t.includes(p)),
      JSON.stringify(t),
    );
  }
  // long texts dense in anchor characters ('-', '_', '/', 'x' ...): the searches hand over to the regex pass
  const wide = new TriggerSet(['sk-', 'sk-ant-', 'ghp_', 'github_pat_', '://', 'xoxb-', 'xoxp-', 'AKIA', 'eyJ', '-----BEGIN ']);
  const dense = ['-', '_', '/', 'x', ':', 'k', 's', 'sk', 'ant', 'gh', 'p', 'github', 'pat', 'xo', 'b', 'AK', 'IA', 'ey', 'J', '-----', 'BEGIN ', ' '];
  for (let k = 0; k < 300; k++) {
    const t = randomText(dense, 3000);
    const got = wide.present(t);
    assert.deepEqual(
      wide.prefixes.map((_, i) => got[i] === 1),
      wide.prefixes.map((p) => t.includes(p)),
    );
  }
});

test('the secret prefixes listed from the token-prefix bitmap are where indexOf finds them; texts dense in hits go to the anchor search', () => {
  const alphabet = ['sk', '-', '_', 'ant', 'live', 'test', 'r', 'AK', 'AS', 'IA', 'ey', 'J', '-----', 'BEGIN ', ':', '//', 'xox', 'b', 'e', 'gh', 'p', 'o', 'github', 'pat', 'whsec', 'npm', 'gl', 'LT', 'AI', 'za', ' ', '中'];
  const indexOfAll = (t: string, p: string) => {
    const at: number[] = [];
    for (let i = t.indexOf(p); i >= 0; i = t.indexOf(p, i + 1)) at.push(i);
    return at;
  };
  let listed = 0;
  let dense = 0;
  for (let k = 0; k < 1500; k++) {
    const t = k % 100 === 0 ? randomText(alphabet, 40000) : randomText(alphabet, k % 2 ? 40 : 400);
    const where = TOKEN_PREFIXES.map((p) => indexOfAll(t, p));
    // the bitmap of the kernel and of the JavaScript path
    const u = borrowUtf16(t);
    try {
      for (const bits of [classesOf(u).tokenPrefix, classesInJs(utf16(t)).tokenPrefix]) {
        const pass = prefixPassIn(t, u, bits);
        assert.deepEqual([...pass.present], where.map((at) => (at.length > 0 ? 1 : 0)), JSON.stringify(t));
        if (pass.at === null) dense++;
        else {
          listed++;
          assert.deepEqual(pass.at, where, JSON.stringify(t));
        }
      }
    } finally {
      giveBack(u);
    }
  }
  assert.ok(listed > 1000 && dense > 0, `${listed} listed, ${dense} dense`);
  // a token after a long stretch of prefix hits is found all the same
  const token = 'ghp_FAKE0123456789abcdefFAKE0123456789ab';
  for (const filler of ['sk-sk-', '-----', 'eyJ.', 'ghe ']) {
    const t = `${filler.repeat(20000)} token ${token} end`;
    const found = scan(t, { types: ['SECRET'] }).map((f) => t.slice(f.start, f.end));
    assert.ok(found.includes(token), `${filler}: ${found.slice(-3).join(' | ')}`);
  }
});

/** The original resolution: one global sort by priority, a bitmap of claimed positions. */
function referenceResolve(cands: Cand[]): Cand[] {
  const prio: Record<string, number> = { SECRET: 12, CN_ID_CARD: 11, CN_USCC: 10, BANK_CARD: 9, EMAIL: 8, IP_ADDRESS: 7, CN_MOBILE: 6, PASSPORT: 5, CN_LICENSE_PLATE: 4, PHONE: 3, ADDRESS: 2, PERSON: 1 };
  const sorted = [...cands].sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || (prio[b.type] ?? 0) - (prio[a.type] ?? 0) || a.start - b.start || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const claimed = new Set<number>();
  const kept: Cand[] = [];
  outer: for (const c of sorted) {
    for (let k = c.start; k < c.end; k++) if (claimed.has(k)) continue outer;
    for (let k = c.start; k < c.end; k++) claimed.add(k);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

test('the password-keyword prefilter never skips past the start of a keyword', () => {
  // the contract: from any position, the bound is at or before the first KEYWORD_RE match starting there or later
  const keyword = new RegExp(KEYWORD_SOURCE, 'g');
  const alphabet = ['pass', 'Pass', 'PASS', 'word', 'WORD', 'wd', 'code', 'pwd', 'PWD', 'pin', 'Pin', 'PIN', ' code', 'api', 'Api', 'API',
    'key', 'Key', 'KEY', 'secret', 'Secret', 'SECRET', 'access', 'Access', 'ACCESS', 'account', 'Account', 'ACCOUNT', 'client', 'CLIENT',
    'auth', 'AUTH', 'token', 'Token', 'TOKEN', 'bearer', 'Bearer', 'BEARER', ' ', '_', 'x', '1', ':', '密码'];
  for (let k = 0; k < 3000; k++) {
    const t = randomText(alphabet, 12);
    const hints = classesInJs(utf16(t)).keywordHint;
    for (let from = 0; from <= t.length; from += 3) {
      keyword.lastIndex = from;
      let first = Infinity;
      for (let m = keyword.exec(t); m !== null; m = keyword.exec(t)) {
        if (!/[\u4e00-\u9fff]/.test(m[0])) {
          first = m.index;
          break;
        }
        keyword.lastIndex = m.index + 1;
      }
      const bound = latinKeywordBound(hints, from, t.length);
      assert.ok(bound >= from && bound <= first, `${JSON.stringify(t)} from ${from}: bound ${bound}, first match ${first}`);
    }
  }
});

test('code units: the same as charCodeAt; the buffer kept between scans holds nothing of a text once given back', () => {
  const t = 'card 4111 1111 1111 1111, 密码是 839201 ｆｕｌｌ \u{1F600}';
  const u = borrowUtf16(t);
  assert.deepEqual([...u], [...t].join('').split('').map((c) => c.charCodeAt(0)));
  assert.deepEqual([...utf16(t)], [...u]);
  // a second loan while the first is out gets an array of its own
  const other = borrowUtf16('x');
  assert.notEqual(other.buffer, u.buffer);
  giveBack(other);
  giveBack(u);
  assertHoldsNoText(u.buffer);
  scan(t);
  const after = borrowUtf16('');
  assertHoldsNoText(after.buffer);
  giveBack(after);
});

test('overlap resolution by groups equals the global greedy resolution', () => {
  const recs: Recognizer[] = builtinRecognizers.slice(0, 3);
  const types = ['PHONE', 'CN_MOBILE', 'BANK_CARD', 'ORG_TERM', 'PERSON'];
  for (let k = 0; k < 2000; k++) {
    const n = Math.floor(rnd() * 60);
    const cands: Cand[] = [];
    const store = new CandidateStore();
    store.recs.push(...recs);
    // candidates in ascending runs (as recognizers propose them), or in random order
    const ordered = rnd() < 0.5;
    let last = 0;
    for (let i = 0; i < n; i++) {
      if (rnd() < 0.15) last = 0;
      const start = ordered ? (last = last + Math.floor(rnd() * 20)) : Math.floor(rnd() * 200);
      const len = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 120 : 12));
      const c = { type: pick(types), start, end: start + len, score: pick([0.5, 0.6, 0.85, 0.95]), why: `w${i}`, canonical: undefined, rec: pick(recs) };
      cands.push(c);
      store.add(c.type, c.start, c.end, c.score, c.why, undefined, recs.indexOf(c.rec));
    }
    const want = referenceResolve(cands).map((c) => c.why);
    assert.deepEqual(
      [...resolve(store, 400)].map((i) => store.why(i)),
      want,
    );
  }
});

test('the lexer lists the 1-2 digit runs after a letter or dot and a space, not before a space, as a plain regex finds them', () => {
  const alphabet = ['1', '2', ' ', ' ', '.', '-', 'a', 'A', 'é', '×', '京', '\n'];
  for (let r = 0; r < 1000; r++) {
    const t = randomText(alphabet, r < 800 ? 30 : 300);
    const want = [...t.matchAll(/(?<=[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f.]) \d\d?(?![\d ])/g)].map((m) => m.index + 1);
    for (const runs of lexBoth(t)) assert.deepEqual([...runs.shortAfterSpace.subarray(0, runs.shorts)], want, JSON.stringify(t));
  }
});

test('CJK runs are the maximal runs of U+4E00-U+9FFF, as a plain regex finds them, with every registered character listed', () => {
  // 北 (a place), 号 (ADDRESS), 叫 / 先 (PERSON's label end, honorific) are registered; 密, 码 are not
  const alphabet = ['京', '密', '码', '北', '号', '叫', '先', '，', 'A', '1', ' ', '\u3000', '\u4dff', '\ua000', 'é', '\n'];
  assert.ok(['北', '号', '叫', '先'].every((c) => isCjkTrigger(c.charCodeAt(0))) && !isCjkTrigger('密'.charCodeAt(0)));
  for (let r = 0; r < 500; r++) {
    const t = randomText(alphabet, r < 400 ? 40 : 400);
    // the bitmaps of the JavaScript path, then of the kernel (the code units in its memory)
    const u = borrowUtf16(t);
    const kernel = classesOf(u);
    const all = [cjkRuns(t), cjkRunsIfNormal(t) ?? cjkRuns(t), cjkRuns(t, u, false, kernel), cjkRunsIfNormal(t, u, false, kernel) ?? cjkRuns(t, u, false, kernel)];
    giveBack(u);
    for (const runs of all) {
      const got: Array<[number, number]> = [];
      for (let k = 0; k < runs.count; k++) got.push([runs.start[k], runs.end[k]]);
      const want = [...t.matchAll(/[\u4e00-\u9fff]+/g)].map((m) => [m.index, m.index + m[0].length]);
      assert.deepEqual(got, want, JSON.stringify(t));
      const listed = [...runs.triggers.subarray(0, runs.triggerCount)];
      assert.deepEqual(listed, [...t].flatMap((c, i) => (isCjkTrigger(c.charCodeAt(0)) ? [i] : [])), JSON.stringify(t));
    }
  }
  assert.equal(cjkRuns('no Chinese here').count, 0);
});

test('the first pass gives the CJK runs exactly when the text needs no normalizing', () => {
  // kept characters of the pre-check class (／ U+FF0F, ‖ U+2016, ，) next to changed ones (１, U+200B, U+3000, —)
  const alphabet = ['京', '码', '，', '／', '\u2016', 'a', '1', ' ', '１', '\u200b', '\u3000', '—', '\u00ad'];
  let normal = 0;
  for (let r = 0; r < 2000; r++) {
    const t = randomText(r % 2 ? alphabet : alphabet.slice(0, 8), r < 1500 ? 30 : 300);
    const got = cjkRunsIfNormal(t);
    assert.equal(got === null, needsNormalizing(t), JSON.stringify(t));
    if (got === null) continue;
    normal++;
    const want = [...t.matchAll(/[\u4e00-\u9fff]+/g)].map((m) => [m.index, m.index + m[0].length]);
    const runs: Array<[number, number]> = [];
    for (let k = 0; k < got.count; k++) runs.push([got.start[k], got.end[k]]);
    assert.deepEqual(runs, want, JSON.stringify(t));
  }
  assert.ok(normal > 500, `enough texts without anything to normalize (${normal})`);
});

test('grownCap sizes a regrowth from the density read so far, within its bounds', () => {
  // a quarter of the text read, 1000 elements: the rest as dense, with a sixteenth to spare
  assert.equal(grownCap(1000, 1001, 25_000, 100_000, 50_001), Math.ceil(4004 * 1.0625) + 16);
  assert.equal(grownCap(100, 101, 99_999, 100_000, 50_001), 200, 'at least twice the old capacity');
  assert.equal(grownCap(1000, 1001, 100, 100_000, 50_001), 50_001, 'never more than the text can hold');
  assert.equal(grownCap(1000, 60_000, 100, 100_000, 50_001), 60_000, 'never less than what is needed');
  assert.equal(grownCap(16, 40, 0, 100, 51), 40);
});

test('Spare holds small scratch, keeps large scratch weakly, and hands out only what is big enough', () => {
  const sp = new Spare<{ a: Int32Array }>(100, (x) => x.a.length);
  const small = { a: new Int32Array(50) };
  const large = { a: new Int32Array(500) };
  sp.put(small);
  sp.put(large);
  assert.equal(sp.take(60, false), large, 'the held one is too small: the weak one, alive in this job');
  assert.equal(sp.take(60, false), null, 'taken out');
  sp.put(large);
  assert.equal(sp.take(10, false), small, 'a short text takes the held one first');
  assert.equal(sp.take(10, true), large, 'a long text the weak one');
  assert.equal(sp.take(1, true), null);
});

test('the large scratch arrays of a dense megabyte are reused while kept, and freed by the next full collection', async () => {
  const child = fileURLToPath(new URL('./support/spare-child.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', child], { env: { ...process.env, TRUSTRELAY_SPARE_CHILD: '1' } });
  const { before, kept, after } = JSON.parse(stdout) as { before: number; kept: number; after: number };
  assert.ok(kept - before > 4 << 20, `the scans' arrays were kept (${before} -> ${kept} bytes)`);
  assert.ok(after - before < 1 << 20, `a full collection freed them (${before} -> ${after} bytes)`);
});

test('scans reuse the arrays of earlier scans, large ones too: the same findings whatever was scanned before', () => {
  // more digit runs and more CJK runs than are held between scans (256 K): kept weakly, and reused
  const digits = '7 '.repeat(300_000) + 'card 4111 1111 1111 1111';
  const chinese = '号1'.repeat(300_000) + '联系人王小明，手机 13812345678';
  const small = '王小明 13812345678 路1号 4111111111111111';
  const want = [digits, chinese, small].map((t) => JSON.stringify(scan(t)));
  for (const order of [[0, 1, 2, 0, 2, 1, 1, 0], [2, 2, 1, 2, 0, 0]]) {
    for (const i of order) assert.equal(JSON.stringify(scan([digits, chinese, small][i])), want[i], `text ${i}`);
  }
  assert.ok(JSON.parse(want[0]).some((f: { type: string }) => f.type === 'BANK_CARD'));
  assert.ok(JSON.parse(want[1]).some((f: { type: string }) => f.type === 'CN_MOBILE'));
});

test('ScanState.memo computes a shared pass once per scan', () => {
  const st = new State('abc');
  const key = {};
  let calls = 0;
  const f = (t: string) => (calls++, t.length);
  assert.equal(st.memo(key, f), 3);
  assert.equal(st.memo(key, f), 3);
  assert.equal(calls, 1);
});

test('a recognizer may read clusters, runs and memo in one scan (recognizers written against either form)', () => {
  const seen: number[] = [];
  const probe: Recognizer = {
    name: 'probe',
    types: ['ORG_TERM'],
    explanation: 'test probe',
    find(t, s) {
      seen.push(s.clusters.length, s.runs.clusters, s.memo(probe, () => 7));
      return [];
    },
    examples: { positive: [], negative: [] },
  };
  scan('call 138 1234 5678 or 010-62345678', { recognizers: [probe] });
  assert.deepEqual(seen, [2, 2, 7]);
});

test('validIpv6 accepts exactly the RFC 4291 text forms, as a parser splitting on colons does', () => {
  // reference: the plain reading (split each side of "::" on ':', 1-4 hex digits per group, an IPv4 tail
  // counting two groups)
  const reference = (s: string): boolean => {
    if (s.length < 2 || s.length > 45) return false;
    const dbl = s.indexOf('::');
    if (dbl !== s.lastIndexOf('::')) return false;
    const side = (x: string, v4: boolean): number => {
      if (x === '') return 0;
      let g = 0;
      const parts = x.split(':');
      for (let i = 0; i < parts.length; i++) {
        if (v4 && i === parts.length - 1 && parts[i].includes('.')) {
          if (!validIpv4(parts[i])) return -1;
          g += 2;
        } else if (/^[0-9A-Fa-f]{1,4}$/.test(parts[i])) g++;
        else return -1;
      }
      return g;
    };
    if (dbl < 0) return side(s, true) === 8;
    const l = side(s.slice(0, dbl), false);
    const r = side(s.slice(dbl + 2), true);
    return l >= 0 && r >= 0 && l + r < 8;
  };
  const valid = ['::', '::1', '1::', '2001:db8::7334', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::ffff:192.0.2.1', '1:2:3:4:5:6:192.0.2.1', 'fe80::1:2:3:4:5:6', 'ABCD:ef01::'];
  const invalid = [':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', '1:2:3:4:5:6:7:8::', '192.0.2.1::', '::1.2.3', ':1::', 'g::1', '1:2:3:4:5:6:7:192.0.2.1', '::256.1.1.1'];
  for (const s of valid) assert.ok(validIpv6(s), s);
  for (const s of invalid) assert.ok(!validIpv6(s), s);
  const hex = '0123456789abcdefABCDEFg';
  for (let k = 0; k < 20000; k++) {
    const parts: string[] = [];
    const groups = Math.floor(rnd() * 10);
    for (let g = 0; g < groups; g++) {
      let p = '';
      for (let j = Math.floor(rnd() * 6); j > 0; j--) p += pick([...hex]);
      parts.push(p);
    }
    if (rnd() < 0.3) parts.push([0, 0, 0, 0].map(() => Math.floor(rnd() * 300)).join('.'));
    let s = parts.join(':');
    if (rnd() < 0.5) {
      const at = Math.floor(rnd() * (s.length + 1));
      s = s.slice(0, at) + (rnd() < 0.9 ? '::' : ':::') + s.slice(at);
    }
    assert.equal(validIpv6(s), reference(s), s);
  }
});

test('codeAt / unitAt: the code unit in range, 0 outside the text on either side', () => {
  const t = '号a\u0000';
  assert.deepEqual([0, 1, 2].map((i) => codeAt(t, i)), [0x53f7, 97, 0]);
  for (const i of [-1, -2, 3, 4, 2 ** 31, 2 ** 32 - 1]) assert.equal(codeAt(t, i), 0, `index ${i}`);
  assert.equal(codeAt('', 0), 0);
  const u = Uint16Array.of(0x53f7, 97);
  assert.deepEqual([-1, 0, 1, 2].map((i) => unitAt(u, i)), [0, 0x53f7, 97, 0]);
});

test('word flags: a word of the text in any case has the flags of the lists that hold it, anything else none', () => {
  const flags = new WordFlags().add(['anna', 'müller', 'van', 'straße', "o'neil", 'li'], 1).add(['van', 'de'], 2);
  const want = new Map<string, number>([['anna', 1], ['müller', 1], ['van', 3], ['straße', 1], ["o'neil", 1], ['li', 1], ['de', 2]]);
  const t = "Anna MÜLLER van de Straße, O'Neil LI x anna-maria Ann annA 中文 Van";
  const u = utf16(t);
  let hits = 0;
  for (let s = 0; s < t.length; s++)
    for (let e = s + 1; e <= Math.min(t.length, s + 12); e++) {
      const w = want.get(t.slice(s, e).toLowerCase()) ?? 0;
      assert.equal(flags.get(u, s, e), w, JSON.stringify(t.slice(s, e)));
      if (w) hits++;
    }
  assert.ok(hits >= 10, `the sample holds words (${hits})`);
});
