import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsNormalizing, normalize, toOriginal } from '../../src/dlp/normalize.js';
import { scan } from '../../src/dlp/scan.js';

test('normalization maps every normalized index back to the original text', () => {
  const text = '号码：１３８\u200b１２３４\u00ad５６７８，ｍａｉｌ：ａ＠ｅｘａｍｐｌｅ．ｃｏｍ';
  const n = normalize(text);
  assert.equal(n.text, '号码：13812345678，mail：a@example.com');
  assert.ok(n.map);
  for (let i = 0; i < n.text.length; i++) {
    const o = n.map![i];
    const c = text.charCodeAt(o);
    assert.ok(c === n.text.charCodeAt(i) || c - 0xfee0 === n.text.charCodeAt(i), `index ${i}`);
  }
  assert.deepEqual(toOriginal(n, 3, 14), [3, 16]);
});

test('plain text takes the zero-copy path', () => {
  const n = normalize('plain ASCII and 中文，标点（不变）');
  assert.equal(n.map, null);
});

test('findings report offsets into the original text, even across zero-width and full-width characters', () => {
  const cases: Array<[string, string, string]> = [
    ['手机：１３８\u200b１２３４\u200b５６７８。', 'CN_MOBILE', '１３８\u200b１２３４\u200b５６７８'],
    ['身份证 11010519491231002Ｘ 已核验', 'CN_ID_CARD', '11010519491231002Ｘ'],
    ['😀😀 card 4111\u200b1111\u200b1111\u200b1111 😀', 'BANK_CARD', '4111\u200b1111\u200b1111\u200b1111'],
    ['mixed 中文 text: wang@example.com 和 203.0.113.9', 'EMAIL', 'wang@example.com'],
  ];
  for (const [text, type, value] of cases) {
    const f = scan(text).find((x) => x.type === type);
    assert.ok(f, `${type} in ${text}`);
    assert.equal(text.slice(f.start, f.end), value);
  }
});

test('a number failing its checksum is not an ID or a card', () => {
  assert.deepEqual(scan('身份证 110105194912310021').filter((f) => f.type === 'CN_ID_CARD'), []);
  assert.deepEqual(scan('card 4111 1111 1111 1112').filter((f) => f.type === 'BANK_CARD'), []);
  assert.deepEqual(scan('信用代码 91350100M000100Y44').filter((f) => f.type === 'CN_USCC'), []);
});

test('overlap resolution is deterministic and non-overlapping', () => {
  const text = 'Contact 王小明先生 at 13812345678 or wang@example.com, card 6222021234567890128, IP 203.0.113.9';
  const a = JSON.stringify(scan(text));
  assert.equal(JSON.stringify(scan(text)), a);
  const f = scan(text);
  for (let i = 1; i < f.length; i++) assert.ok(f[i].start >= f[i - 1].end);
});

test('the fast pre-check agrees with the exact character class', () => {
  const exact = /[\u00AD\u200B-\u200F\u2010-\u2015\u2060\u2212\u3000\uFEFF\uFF03\uFF0B\uFF0D\uFF0E\uFF10-\uFF19\uFF20-\uFF3A\uFF3F\uFF41-\uFF5A]/;
  // kept characters inside the pre-check's ranges, changed ones, and plain text
  const alphabet = ['a', '中', '，', '：', '（', '）', '\u2016', '\u2100', '\uff01', '\uff1a', '\uff5b', '\u00ac', '\u00ae', '\u200a', '１', 'Ａ', '\u200b', '\u00ad', '\u3000', '\ufeff', '\u2212', '－'];
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let k = 0; k < 5000; k++) {
    let s = '';
    const n = Math.floor(rnd() * 80);
    // mostly kept characters, so hits on the superset are followed by long hand scans
    for (let i = 0; i < n; i++) s += alphabet[rnd() < 0.97 ? Math.floor(rnd() * 14) : Math.floor(rnd() * alphabet.length)];
    assert.equal(needsNormalizing(s), exact.test(s), JSON.stringify(s));
    assert.equal(normalize(s).map === null, !exact.test(s));
  }
  assert.equal(needsNormalizing('，'.repeat(100_000)), false);
  assert.equal(needsNormalizing('，'.repeat(100_000) + '１'), true);
});
