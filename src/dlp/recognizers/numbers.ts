import { EMITTED, reason } from '../candidate.js';
import { validCnId15, validCnId18 } from '../checksums.js';
import { near, NEGATIVE_NUMBER_CONTEXT } from '../context.js';
import { boundaryAfter, boundaryBefore, LONE_AFTER_PLUS, LONE_END_OK, LONE_START_OK, luhnWindow, SEP_DOT, visitLone, visitWindows, Window, type DigitRuns } from '../lexer.js';
import type { Recognizer } from '../types.js';
import { codeAt } from '../unit.js';

/** Window edges must not continue an ASCII word (A1381234... is a code, not a phone number). */
function edgesOk(t: string, w: Window, end = w.end): boolean {
  const startOk = w.i > w.cf || boundaryBefore(t, w.start) || t[w.start - 1] === '+' || t[w.start - 1] === '(';
  // an extension (x036) may follow a phone number
  const endOk = w.j < w.cl || boundaryAfter(t, end) || (t[end] === 'x' && t.charCodeAt(end + 1) >= 48 && t.charCodeAt(end + 1) <= 57);
  return startOk && endOk;
}


const ID_OPTS = { minDigits: 15, maxDigits: 18, minInnerGroup: 3 };
const CARD_OPTS = { minDigits: 13, maxDigits: 19, minInnerGroup: 3 };
const MOBILE_OPTS = { minDigits: 11, maxDigits: 15, minInnerGroup: 3 };
const PHONE_OPTS = { minDigits: 7, maxDigits: 15 };

/**
 * Visits the accepted windows of every cluster with at least `opts.minDigits` digits. IDs, cards and mobiles
 * are typed in groups of 3+ digits (6-8-4, 4-4-4-4, 3-4-4): shorter interior groups are not them
 * (minInnerGroup 3). `accept` is a module-level function (reads the text and cluster from the window): no
 * closure per cluster. `visit` gets the window while it is valid (no copy is made).
 */
function eachWindow(r: DigitRuns, accept: (w: Window) => boolean, opts: { minDigits: number; maxDigits: number; minInnerGroup: number }, t: string, edges: boolean, visit: (w: Window) => void): void {
  const min = opts.minDigits;
  const digits = r.digits;
  for (let k = 0; k < r.clusters; k++) {
    if (digits[k] < min) continue;
    if (r.first[k] === r.last[k]) {
      // a lone run has one possible window: when `accept` requires edgesOk, glued edges reject the cluster at once
      if (!edges || (r.loneEdges[k] & BOTH_EDGES) === BOTH_EDGES) visitLone(t, r, k, accept, opts, visit);
    } else visitWindows(t, r, k, accept, opts, visit);
  }
}

/** edgesOk for the window made of a whole one-group cluster (both edges clean: read by the lexer). */
const BOTH_EDGES = LONE_START_OK | LONE_END_OK;

/** Lengths, separators and the province digit first: most windows never build their digit string. */
function acceptId(w: Window): boolean {
  const t = w.t;
  const n = w.n;
  if ((n !== 15 && n !== 17 && n !== 18) || w.first < 49 || w.first > 57 || !w.sepsSpaceDash()) return false;
  const last = w.j === w.cl;
  if (n === 17 && last && (t[w.end] === 'X' || t[w.end] === 'x')) return validCnId18(w.digits + 'X') && edgesOk(t, w, w.end + 1);
  if (n === 18) return validCnId18(w.digits) && edgesOk(t, w);
  if (n === 15) return validCnId15(w.digits) && edgesOk(t, w);
  return false;
}

const ID_CONTEXT = ['身份证', '证件', '公民身份', 'id card', 'id no', 'resident id', 'identity', '身份号', 'idcard', 'id number'];

export const cnIdCard: Recognizer = {
  name: 'cn-id-card',
  types: ['CN_ID_CARD'],
  explanation: 'GB 11643 resident ID: valid province code, valid birth date and check character (or 15-digit legacy form with valid region and date)',
  find(t, scan) {
    eachWindow(scan.runs, acceptId, ID_OPTS, t, false, (w) => {
      const x = w.n === 17;
      const end = x ? w.end + 1 : w.end;
      if (w.n === 15) {
        const ctx = near(t, w.start, end, ID_CONTEXT);
        if (!ctx && near(t, w.start, end, NEGATIVE_NUMBER_CONTEXT)) return;
        scan.emit('CN_ID_CARD', w.start, end, ctx ? 0.9 : 0.55, ctx ? '15-digit legacy form, context' : '15-digit legacy form', w.digits);
      } else {
        scan.emit('CN_ID_CARD', w.start, end, 0.97, '18-character form', x ? w.digits + 'X' : w.digits);
      }
    });
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '身份证号：11010519491231002X，请核对', value: '11010519491231002X' },
      { text: 'ID 310104 19880514 1231 on file', value: '310104 19880514 1231' },
      { text: '旧身份证 110105491231002 已作废', value: '110105491231002' },
      { text: '证件号码：１１０１０５１９４９１２３１００２Ｘ', value: '１１０１０５１９４９１２３１００２Ｘ' },
    ],
    negative: ['身份证号：110105194912310021（校验位错误）', '订单号 110105194913310020', 'hash 11010519491231002Xa', 'code 991105194912310020'],
  },
};

const CARD_CONTEXT = ['card', 'visa', 'mastercard', 'amex', 'credit', 'debit', '卡号', '银行卡', '信用卡', '储蓄卡', '账户', '账号', '帐号', '收款', '转账', 'account', 'cc ', 'pan'];

function cardPrefixOk(d: string): boolean {
  const c = d[0];
  if (c === '4' || c === '5' || c === '6') return true;
  if (c === '3') return d[1] !== '1' && d[1] !== '2' && d[1] !== '3';
  if (c === '2') {
    const p = Number(d.slice(0, 4));
    return (p >= 2221 && p <= 2720) || d.startsWith('2131');
  }
  if (c === '1') return d.startsWith('1800');
  if (c === '9') return d.length === 19;
  return false;
}

const acceptCard = (w: Window): boolean => w.n >= 13 && w.n <= 19 && w.sepsSpaceDash() && luhnWindow(w) && edgesOk(w.t, w);

/** One digit repeated (4444 4444 4444 4444 passes Luhn but is a placeholder). */
function allSame(d: string): boolean {
  for (let k = 1; k < d.length; k++) if (d.charCodeAt(k) !== d.charCodeAt(0)) return false;
  return d.length > 1;
}

export const bankCard: Recognizer = {
  name: 'bank-card',
  types: ['BANK_CARD'],
  explanation: 'payment card number: 13-19 digits passing the Luhn check, with a known issuer prefix or card context',
  find(t, scan) {
    eachWindow(scan.runs, acceptCard, CARD_OPTS, t, true, (w) => {
      // without card context a known issuer prefix is needed and no order/tracking context may be near
      const ctx = near(t, w.start, w.end, CARD_CONTEXT, 32);
      if (!ctx && (!cardPrefixOk(w.digits) || near(t, w.start, w.end, NEGATIVE_NUMBER_CONTEXT))) return;
      if (allSame(w.digits)) return;
      scan.emit('BANK_CARD', w.start, w.end, ctx ? 0.95 : 0.8, ctx ? 'Luhn, card context' : 'Luhn, issuer prefix', w.digits);
    });
    return EMITTED;
  },
  examples: {
    positive: [
      { text: 'My card 4111 1111 1111 1111 expires soon', value: '4111 1111 1111 1111' },
      { text: '工资卡号 6222021234567890128，开户行工商银行', value: '6222021234567890128' },
      { text: 'amex 378282246310005.', value: '378282246310005' },
      { text: '卡号：６２２２－０２１２－３４５６－７８９０－１２８', value: '６２２２－０２１２－３４５６－７８９０－１２８' },
    ],
    negative: ['My card 4111 1111 1111 1112 expires', 'order 4111111111111111 shipped', 'ts 1700000000000', 'tx abc4111111111111111'],
  },
};

/** The mobile shape (0086|86)?1[3-9]\d{9} over the window's digits, read in place: dense digit input builds no string per window. */
export function mobileDigits(w: Window): boolean {
  const n = w.n;
  const off = n === 11 ? 0 : n === 13 ? 2 : n === 15 ? 4 : -1;
  if (off < 0) return false;
  if (off === 2 && !startsWith86(w, 0)) return false;
  if (off === 4 && (w.digitAt(0) !== 48 || w.digitAt(1) !== 48 || !startsWith86(w, 2))) return false;
  const c = w.digitAt(off + 1);
  return w.digitAt(off) === 49 && c >= 51 && c <= 57;
}
/** Whether the window's digits k and k + 1 are "86". */
const startsWith86 = (w: Window, k: number): boolean => w.digitAt(k) === 56 && w.digitAt(k + 1) === 54;
const PHONE_CONTEXT = ['电话', '手机', '联系', '致电', '座机', '传真', '热线', '来电', '拨打', 'phone', 'tel', 'call', 'mobile', 'cell', 'fax', 'office', 'desk', 'contact', 'dial', 'reach', 'text', 'sms', 'whatsapp', 'message', 'answer', 'number is'];

function acceptMobile(w: Window): boolean {
  const t = w.t;
  // 11 digits 1..., 13 digits 86..., 15 digits 0086...: length and first digit before any string is built
  const n = w.n;
  if (!(n === 11 ? w.first === 49 : n === 13 ? w.first === 56 : n === 15 && w.first === 48)) return false;
  if (!mobileDigits(w) || !w.sepsSpaceDash() || !edgesOk(t, w)) return false;
  if (n === 13) return t[w.start - 1] === '+';
  // +1 366 615 6547 is a North American number, not 136...: a '+' means a country code must be 86
  if (w.i === w.cf && t[w.start - 1] === '+' && !startsWith86(w, 0)) return false;
  // Chinese mobiles are grouped 3-4-4 / 3-8 / 7-4 / 11: the leading group has at least 3 digits
  if (n === 11 && w.r.end[w.i] - w.r.start[w.i] < 3) return false;
  return true;
}

export const cnMobile: Recognizer = {
  name: 'cn-mobile',
  types: ['CN_MOBILE'],
  explanation: 'mainland China mobile number: 11 digits 1[3-9]xxxxxxxxx, optionally with +86/0086 and separators',
  find(t, scan) {
    eachWindow(scan.runs, acceptMobile, MOBILE_OPTS, t, true, (w) => {
      const start = codeAt(t, w.start - 1) === 43 && w.n > 11 ? w.start - 1 : w.start;
      const ctx = near(t, start, w.end, PHONE_CONTEXT);
      if (!ctx && near(t, start, w.end, NEGATIVE_NUMBER_CONTEXT)) return;
      scan.emit('CN_MOBILE', start, w.end, ctx ? 0.95 : 0.85, ctx ? 'context' : undefined, w.n === 11 ? w.digits : w.digits.slice(-11));
    });
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '手机：13812345678，微信同号', value: '13812345678' },
      { text: '请致电 +86 139-0011-2233 预约', value: '+86 139-0011-2233' },
      { text: 'call 138 1234 5678 tomorrow', value: '138 1234 5678' },
      { text: '手机１３９\u200b１２３４５６７８', value: '１３９\u200b１２３４５６７８' },
    ],
    negative: ['订单号 13812345678 已发货', 'id A13812345678', '12812345678', '138123456789012'],
  },
};

const NANP = /^1?[2-9]\d\d[2-9]\d{6}$/;

/** Offset of the first '-' in t[start, end) from start, or -1. */
function dashAt(t: string, start: number, end: number): number {
  for (let k = start; k < end; k++) if (t.charCodeAt(k) === 45) return k - start;
  return -1;
}

function acceptPhone(w: Window): boolean {
  const t = w.t;
  const n = w.n;
  if (!edgesOk(t, w)) return false;
  const prev = w.i === w.cf ? codeAt(t, w.start - 1) : 0;
  const plus = prev === 43; // '+'
  // grouped, short, or after '+' / '(' (checked first: a lone long run like a timestamp is rejected here)
  if (!(plus || prev === 40 || w.j > w.i || n <= 12)) return false;
  // a mobile (cn-mobile's), unless written 0086... (15 digits) or after a '+' other than +86
  return !(mobileDigits(w) && n !== 15 && !(plus && !startsWith86(w, 0)));
}

export const phone: Recognizer = {
  name: 'phone',
  types: ['PHONE'],
  explanation: 'telephone number: international (+CC), Chinese landline (0AA-NNNNNNN), North American, or a grouped number next to phone context',
  find(t, scan) {
    const r = scan.runs;
    const { start: gs, end: ge, sep } = r;
    /** Scores one accepted window (the reused probe: read here, never kept). */
    const visit = (w: Window): void => {
      let start = w.start;
      const plus = w.i === w.cf && t[start - 1] === '+';
      const paren = w.i === w.cf && t[start - 1] === '(';
      if (plus || paren) start--;
      const ctx = near(t, start, w.end, PHONE_CONTEXT, 32, 12);
      if (!ctx && !plus) {
        // without context or '+', only a landline (0 + 9-11 digits) or North American form scores >= 0.5:
        // decide that on length, first digit and grouping before any string or regex work
        const n = w.n;
        const landline = w.first === 48 && n >= 10 && n <= 12;
        const nanp = (paren || w.j - w.i >= 2) && (n === 10 || n === 11 || n === 13);
        if (!landline && !nanp) return;
      }
      // the shape tests below run only where their first character or grouping allows a match
      // (dense phone-like input pays no regex per window)
      const c0 = t.charCodeAt(start);
      const grouped = w.j > w.i;
      if (grouped && (c0 === 49 || c0 === 50) && /^(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.]\d\d/.test(t.slice(start, w.end))) return; // starts with a date
      if (w.n === 9 && w.j - w.i === 2 && !plus && !paren && /^\d{3}-\d{2}-\d{4}$/.test(t.slice(start, w.end))) return; // US SSN shape, not a phone
      const d = w.digits;
      let score = 0.4;
      let why = 'grouped digits';
      if (plus && d.length >= 8) {
        score = 0.8;
        why = 'international +CC form';
      } else if (w.first === 48 && grouped && /^0[1-9]\d{8,10}$/.test(d) && (paren || dashAt(t, w.start, w.end) === 3 || dashAt(t, w.start, w.end) === 4)) {
        score = 0.75;
        why = 'Chinese landline';
      } else if ((paren || w.j - w.i >= 2) && (NANP.test(d) || /^001[2-9]\d{9}$/.test(d))) {
        score = 0.7;
        why = 'North American form';
      } else if (w.j - w.i === 2 && w.n === 8 && /^(?:19|20)\d\d[01]\d[0-3]\d$/.test(d)) {
        return; // a date like 2024-11-23
      }
      if (ctx) {
        score = Math.min(0.95, score + 0.45);
        why = reason(why, ', context');
      } else if (near(t, start, w.end, NEGATIVE_NUMBER_CONTEXT)) return;
      if ((w.j === w.i && !plus && !ctx) || score < 0.5) return;
      scan.emit('PHONE', start, w.end, score, why, (plus ? '+' : '') + d);
    };
    for (let k = 0; k < r.clusters; k++) {
      if (r.digits[k] < 7) continue;
      if (r.first[k] === r.last[k]) {
        // a lone run: its only window needs clean edges and, unless after '+' or '(', at most 12 digits
        const f = r.loneEdges[k];
        if ((f & BOTH_EDGES) === BOTH_EDGES && (ge[r.first[k]] - gs[r.first[k]] <= 12 || (f & LONE_AFTER_PLUS) !== 0)) visitLone(t, r, k, acceptPhone, PHONE_OPTS, visit);
        continue;
      }
      visitWindows(t, r, k, acceptPhone, PHONE_OPTS, visit);
      // dotted North American form 555.201.4477 (dots are not phone separators otherwise)
      const cf = r.first[k];
      const cl = r.last[k];
      for (let i = cf; i + 2 <= cl; i++) {
        if (sep[i + 1] !== SEP_DOT || sep[i + 2] !== SEP_DOT || ge[i] - gs[i] !== 3 || ge[i + 1] - gs[i + 1] !== 3 || ge[i + 2] - gs[i + 2] !== 4) continue;
        if ((i > cf && sep[i] === SEP_DOT) || (i + 3 <= cl && sep[i + 3] === SEP_DOT) || (i === cf && !boundaryBefore(t, gs[cf]))) continue;
        const w = new Window(t, r, cf, cl, i, i + 2, 10);
        if (NANP.test(w.digits)) visit(w);
      }
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '办公电话 010-62345678 转 8', value: '010-62345678' },
      { text: 'Call me at (555) 201-4477 tonight', value: '(555) 201-4477' },
      { text: 'Office: +44 20 7946 0958', value: '+44 20 7946 0958' },
      { text: 'Phone: 0612 45 78 90', value: '0612 45 78 90' },
      { text: '座机：０７５５－８６１２３４５６', value: '０７５５－８６１２３４５６' },
    ],
    negative: ['released 2024-11-23 at noon', 'order 555-201-4477 shipped', 'price 19.99 and 5.49', 'version 10.2.3.4567'],
  },
};
