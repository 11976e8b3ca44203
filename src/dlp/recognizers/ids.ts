import { EMITTED } from '../candidate.js';
import { validUscc } from '../checksums.js';
import { near } from '../context.js';
import { isAsciiAlnum } from '../lexer.js';
import type { Recognizer } from '../types.js';

/**
 * The ASCII alphanumeric token around a digit run, expanded at most `max` chars each way
 * (a longer token is rejected, so work per run is bounded).
 */
function tokenAround(t: string, s: number, e: number, max: number): [number, number] | null {
  let a = s;
  while (a > 0 && isAsciiAlnum(t.charCodeAt(a - 1))) if (s - --a > max) return null;
  let b = e;
  while (b < t.length && isAsciiAlnum(t.charCodeAt(b))) if (++b - e > max) return null;
  return [a, b];
}

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
      const tok = tokenAround(t, gs[k], ge[k], 18);
      if (!tok || tok[1] - tok[0] !== 18) continue;
      last = tok[1];
      const v = t.slice(tok[0], tok[1]);
      if (!validUscc(v)) continue;
      const ctx = near(t, tok[0], tok[1], USCC_CONTEXT);
      scan.emit('CN_USCC', tok[0], tok[1], ctx ? 0.99 : 0.96, ctx ? 'check character, context' : 'check character', v.toUpperCase());
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
      const n = ge[k] - gs[k];
      if (n < 6 || n > 9) continue;
      const tok = tokenAround(t, gs[k], ge[k], 3);
      if (!tok || tok[1] !== ge[k]) continue;
      const v = t.slice(tok[0], tok[1]);
      // the shape decides whether context can matter: look it up only then
      const chinese = /^[EG][A-HJ-NP-Z0-9]\d{7}$/.test(v) || /^[EG]\d{8}$/.test(v);
      if (!chinese && !/^[A-Z]{1,2}\d{6,9}$/.test(v) && !/^\d{9}$/.test(v)) continue;
      const ctx = near(t, tok[0], tok[1], PASSPORT_CONTEXT, 32);
      const score = chinese ? (ctx ? 0.95 : 0.6) : ctx ? 0.85 : 0;
      if (score > 0) scan.emit('PASSPORT', tok[0], tok[1], score, ctx ? 'context' : 'Chinese passport format', v.toUpperCase());
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
    const n = t.length;
    /** The plate starting at q (province + issuer letter), if any; returns where the search goes on. */
    const at = (q: number): number => {
      let k = q + 2;
      if (isPlateSep(t[k])) k++;
      const bodyStart = k;
      while (k < n && k - bodyStart < 7 && isPlateChar(t.charCodeAt(k))) k++;
      const len = k - bodyStart;
      if (len !== 5 && len !== 6) return q + 2;
      if (k < n && isAsciiAlnum(t.charCodeAt(k))) return q + 2;
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
      if (q >= from && PROVINCE[t.charCodeAt(q)] === 1 && isIssuer(t.charCodeAt(q + 1))) from = at(q);
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
