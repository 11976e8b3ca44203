import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pseudonymizer, PSEUDONYM_MAX_LENGTH } from '../../src/dlp/pseudonymize.js';
import { createStreamRestorer } from '../../src/dlp/stream.js';

/** Small seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function setup() {
  const p = new Pseudonymizer({ key: Buffer.alloc(32, 3), conversationId: 'stream' });
  const values = ['13812345678', 'li.lei@example.com', '6222021234567890128', '203.0.113.7', '11010519491231002X'];
  const { text } = p.protect(`联系人李雷 ${values.join(' ')} 张伟先生`);
  const toks = text.match(/\[[A-Z_]+_[0-9a-f]{8}\]/g)!;
  assert.ok(toks.length >= 6);
  const r = rng(42);
  let answer = '';
  for (let i = 0; i < 200; i++) {
    const x = r();
    if (x < 0.4) answer += toks[Math.floor(r() * toks.length)];
    else if (x < 0.5) answer += '[not a token] [';
    else if (x < 0.55) answer += toks[0].slice(0, 5); // a lone prefix that never completes
    else answer += ' 文本 text "q" \\ ';
  }
  return { p, answer };
}

function chunk(s: string, sizes: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const n = sizes();
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out;
}

for (const json of [false, true]) {
  test(`streamed restore equals whole restore for chunk sizes 1, 4, 64 and random 1-17 (json=${json})`, () => {
    const { p, answer } = setup();
    const whole = p.restore(answer, { json });
    assert.notEqual(whole, answer);
    const r = rng(7);
    const plans: Array<[string, () => number]> = [['1', () => 1], ['4', () => 4], ['64', () => 64]];
    for (let k = 0; k < 20; k++) plans.push([`random#${k}`, () => 1 + Math.floor(r() * 17)]);
    for (const [name, sizes] of plans) {
      const sr = createStreamRestorer(p, { json });
      let out = '';
      for (const d of chunk(answer, sizes)) {
        out += sr.push(d);
        // hold-back is bounded: at most one pseudonym's length is ever held
        assert.ok(sr.pending <= PSEUDONYM_MAX_LENGTH);
      }
      out += sr.flush();
      assert.equal(out, whole, `chunking ${name}`);
    }
  });
}

test('hold-back is bounded and zero when nothing can start a pseudonym', () => {
  const { p } = setup();
  const sr = createStreamRestorer(p);
  assert.equal(sr.push('plain text without brackets'), 'plain text without brackets');
  assert.equal(sr.push('a [b'), 'a [b', 'a [ that cannot start a known pseudonym is released at once');
  const held = sr.push('x [CN_MOB');
  assert.equal(held, 'x ');
  assert.equal(sr.pending, '[CN_MOB'.length);
  assert.ok(sr.flush().length <= PSEUDONYM_MAX_LENGTH);
});

test('a pseudonym split across tool-call argument deltas is restored JSON-escaped', () => {
  const p = new Pseudonymizer({ key: Buffer.alloc(32, 9), conversationId: 't' });
  const { text } = p.protect('邮箱 "quoted"@example.com 或 a@example.com');
  const tok = /\[EMAIL_[0-9a-f]{8}\]/.exec(text)![0];
  const args = JSON.stringify({ to: tok, cc: [tok] });
  const sr = createStreamRestorer(p, { json: true });
  let out = '';
  for (const d of chunk(args, () => 3)) out += sr.push(d);
  out += sr.flush();
  const v = p.lookup(tok)!;
  assert.deepEqual(JSON.parse(out), { to: v, cc: [v] });
});
