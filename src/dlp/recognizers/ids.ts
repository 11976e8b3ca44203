import { EMITTED } from '../candidate.js';
import { validUscc } from '../checksums.js';
import { near } from '../context.js';
import { isAsciiAlnum } from '../lexer.js';
import type { Recognizer } from '../types.js';
import { codeAt } from '../unit.js';

/** Start of the ASCII alphanumeric token ending at the digit run t[s, ...): at most `max` chars before s, else -1. */
function tokenStart(t: string, s: number, max: number): number {
  let a = s;
  while (a > 0 && isAsciiAlnum(t.charCodeAt(a - 1))) if (s - --a > max) return -1;
  return a;
}

/** End of the ASCII alphanumeric token going on after t[..., e): at most `max` chars after e, else -1. */
function tokenEnd(t: string, e: number, max: number): number {
  let b = e;
  while (isAsciiAlnum(codeAt(t, b))) if (++b - e > max) return -1;
  return b;
}

const isUpperAZ = (c: number) => c >= 65 && c <= 90;

const USCC_CONTEXT = ['信用代码', '社会信用', '税号', '纳税人识别号', 'uscc', '营业执照', 'credit code'];

export const cnUscc: Recognizer = {
  name: 'cn-uscc',
  types: ['CN_USCC'],
  explanation: 'GB 32100 unified social credit code: 18 characters, valid registration codes, region and check character',
  find(t, scan) {
    let last = -1;
    const { groups, start: gs, end: ge } = scan.runs;
    for (let k = 0; k < groups; k++) {
      if (ge[k] - gs[k] < 6 || gs[k] < last) continue;
      const a = tokenStart(t, gs[k], 18);
      const b = a < 0 ? -1 : tokenEnd(t, ge[k], 18);
      if (b < 0 || b - a !== 18) continue;
      last = b;
      const v = t.slice(a, b);
      if (!validUscc(v)) continue;
      const ctx = near(t, a, b, USCC_CONTEXT);
      scan.emit('CN_USCC', a, b, ctx ? 0.99 : 0.96, ctx ? 'check character, context' : 'check character', v.toUpperCase());
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '统一社会信用代码：91350100M000100Y43', value: '91350100M000100Y43' },
      { text: 'USCC 91110108MA01ABCD1E.', value: '91110108MA01ABCD1E' },
    ],
    negative: ['91350100M000100Y44', 'id 91350100M000100Y43X'],
  },
};

const PASSPORT_CONTEXT = ['passport', '护照', '通行证', '旅行证', 'travel document'];

export const passport: Recognizer = {
  name: 'passport',
  types: ['PASSPORT'],
  explanation: 'passport number: Chinese E/G + 8 characters, or letter(s) + 6-9 digits / 9 digits next to passport context',
  find(t, scan) {
    const { groups, start: gs, end: ge } = scan.runs;
    for (let k = 0; k < groups; k++) {
      const s = gs[k];
      const e = ge[k];
      const n = e - s;
      if (n < 6 || n > 9) continue;
      // the token (ASCII letters and digits) must end with the run and start at most 3 chars before it
      if (isAsciiAlnum(codeAt(t, e))) continue;
      const a = tokenStart(t, s, 3);
      if (a < 0) continue;
      // the shape, read from char codes (the run is all digits; no string is built for the many that fail):
      // Chinese E/G + 8 digits or E/G + letter (not I, O) + 7 digits; 1-2 capitals + 6-9 digits; 9 digits
      const p = s - a;
      const c0 = t.charCodeAt(a);
      const c1 = t.charCodeAt(a + 1);
      const eg = c0 === 69 || c0 === 71;
      const chinese = (p === 1 && eg && n === 8) || (p === 2 && eg && isUpperAZ(c1) && c1 !== 73 && c1 !== 79 && n === 7);
      if (!chinese && !((p === 1 && isUpperAZ(c0)) || (p === 2 && isUpperAZ(c0) && isUpperAZ(c1))) && !(p === 0 && n === 9)) continue;
      // the shape decides whether context can matter: look it up only then
      const ctx = near(t, a, e, PASSPORT_CONTEXT, 32);
      const score = chinese ? (ctx ? 0.95 : 0.6) : ctx ? 0.85 : 0;
      // canonical: the token itself (upper case by its shape)
      if (score > 0) scan.emit('PASSPORT', a, e, score, ctx ? 'context' : 'Chinese passport format');
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '护照号码：E12345678', value: 'E12345678' },
      { text: 'Passport No. 533123456, issued 2019', value: '533123456' },
      { text: 'passport number is K1234567.', value: 'K1234567' },
    ],
    negative: ['order E12345678X shipped', 'model G123 is new', 'invoice 533123456'],
  },
};

const PLATE_CONTEXT = ['车牌', '牌照', '车辆', 'plate', '车号'];
const PROVINCE_CHARS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const isPlateChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90 && c !== 73 && c !== 79);
const isPlateSep = (c: string) => c === '·' || c === '•' || c === ' ' || c === '-' || c === '.';

const PROVINCE = new Uint8Array(65536);
for (const ch of PROVINCE_CHARS) PROVINCE[ch.charCodeAt(0)] = 1;
const isIssuer = (c: number) => c >= 65 && c <= 90 && c !== 73 && c !== 79; // [A-HJ-NP-Z]

export const cnLicensePlate: Recognizer = {
  name: 'cn-license-plate',
  types: ['CN_LICENSE_PLATE'],
  explanation: 'Chinese vehicle plate: province character, issuing letter, 5 (or 6 for new-energy) letters/digits',
  find(t, scan) {
    /** The plate starting at q (province + issuer letter), if any; returns where the search goes on. */
    const at = (q: number): number => {
      let k = q + 2;
      if (isPlateSep(t[k])) k++;
      const bodyStart = k;
      while (k - bodyStart < 7 && isPlateChar(codeAt(t, k))) k++;
      const len = k - bodyStart;
      if (len !== 5 && len !== 6) return q + 2;
      if (isAsciiAlnum(codeAt(t, k))) return q + 2;
      const body = t.slice(bodyStart, k);
      if (!/\d/.test(body)) return q + 2;
      let e = k;
      if ('挂学警港澳领'.includes(t[e] ?? '\0') && len === 5) e++;
      const ctx = near(t, q, e, PLATE_CONTEXT);
      scan.emit('CN_LICENSE_PLATE', q, e, ctx ? 0.95 : 0.85, len === 6 ? 'new-energy plate' : 'plate', t[q] + t[q + 1] + body);
      return e;
    };
    // A plate starts with a province character followed by an ASCII letter: the last character of a CJK run.
    // The shared runs give those positions with no pass of this recognizer's own over the text.
    const runs = scan.cjk;
    let from = 0;
    for (let k = 0; k < runs.count; k++) {
      const q = runs.end[k] - 1;
      if (q >= from && PROVINCE[t.charCodeAt(q)] === 1 && isIssuer(codeAt(t, q + 1))) from = at(q);
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '车牌号：京A·12345，停在B2', value: '京A·12345' },
      { text: '粤B D12345是新能源车', value: '粤B D12345' },
      { text: '沪Ａ８８６６８违章', value: '沪Ａ８８６６８' },
    ],
    negative: ['京A股上涨', '新A1234', '川Z123456789'],
  },
};
