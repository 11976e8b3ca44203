import { luhn, validCnId15, validCnId18 } from '../checksums.js';
import { near, NEGATIVE_NUMBER_CONTEXT } from '../context.js';
import { boundaryAfter, boundaryBefore, scanWindows, type Cluster, type Window } from '../lexer.js';
import type { Candidate, Recognizer } from '../types.js';

/** Window edges must not continue an ASCII word (A1381234... is a code, not a phone number). */
function edgesOk(t: string, c: Cluster, w: Window, end = w.end): boolean {
  const startOk = w.i > 0 || boundaryBefore(t, w.start) || t[w.start - 1] === '+' || t[w.start - 1] === '(';
  // an extension (x036) may follow a phone number
  const endOk = w.j < c.groups.length - 1 || boundaryAfter(t, end) || (t[end] === 'x' && t.charCodeAt(end + 1) >= 48 && t.charCodeAt(end + 1) <= 57);
  return startOk && endOk;
}

const onlySeps = (w: Window, allowed: string): boolean => w.inner.every((s) => s.length === 1 && allowed.includes(s));

function eachWindow(t: string, clusters: readonly Cluster[], min: number, max: number, accept: (w: Window, c: Cluster) => boolean): Array<[Window, Cluster]> {
  const out: Array<[Window, Cluster]> = [];
  for (const c of clusters) {
    if (c.digits < min) continue;
    // IDs, cards and mobiles are typed in groups of 3+ digits (6-8-4, 4-4-4-4, 3-4-4); shorter interior groups are not them
    for (const w of scanWindows(t, c, (w) => accept(w, c), { minDigits: min, maxDigits: max, minInnerGroup: 3 })) out.push([w, c]);
  }
  return out;
}

const ID_CONTEXT = ['身份证', '证件', '公民身份', 'id card', 'id no', 'resident id', 'identity', '身份号', 'idcard', 'id number'];

export const cnIdCard: Recognizer = {
  name: 'cn-id-card',
  types: ['CN_ID_CARD'],
  explanation: 'GB 11643 resident ID: valid province code, valid birth date and check character (or 15-digit legacy form with valid region and date)',
  find(t, scan) {
    const out: Candidate[] = [];
    for (const [w] of eachWindow(t, scan.clusters, 15, 18, (w, c) => {
      if (!onlySeps(w, ' -')) return false;
      const last = w.j === c.groups.length - 1;
      if (w.digits.length === 17 && last && (t[w.end] === 'X' || t[w.end] === 'x')) return validCnId18(w.digits + 'X') && edgesOk(t, c, w, w.end + 1);
      if (w.digits.length === 18) return validCnId18(w.digits) && edgesOk(t, c, w);
      if (w.digits.length === 15) return validCnId15(w.digits) && edgesOk(t, c, w);
      return false;
    })) {
      const x = w.digits.length === 17;
      const end = x ? w.end + 1 : w.end;
      if (w.digits.length === 15) {
        const ctx = near(t, w.start, end, ID_CONTEXT);
        if (!ctx && near(t, w.start, end, NEGATIVE_NUMBER_CONTEXT)) continue;
        out.push({ type: 'CN_ID_CARD', start: w.start, end, score: ctx ? 0.9 : 0.55, why: ctx ? '15-digit legacy form, context' : '15-digit legacy form', canonical: w.digits });
      } else {
        out.push({ type: 'CN_ID_CARD', start: w.start, end, score: 0.97, why: '18-character form', canonical: (x ? w.digits + 'X' : w.digits).toUpperCase() });
      }
    }
    return out;
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

export const bankCard: Recognizer = {
  name: 'bank-card',
  types: ['BANK_CARD'],
  explanation: 'payment card number: 13-19 digits passing the Luhn check, with a known issuer prefix or card context',
  find(t, scan) {
    const out: Candidate[] = [];
    for (const [w] of eachWindow(t, scan.clusters, 13, 19, (w, c) => w.digits.length >= 13 && w.digits.length <= 19 && onlySeps(w, ' -') && luhn(w.digits) && edgesOk(t, c, w))) {
      const ctx = near(t, w.start, w.end, CARD_CONTEXT, 32);
      const neg = near(t, w.start, w.end, NEGATIVE_NUMBER_CONTEXT);
      const prefix = cardPrefixOk(w.digits);
      if (!ctx && (neg || !prefix)) continue;
      if (/^(\d)\1+$/.test(w.digits)) continue;
      out.push({ type: 'BANK_CARD', start: w.start, end: w.end, score: ctx ? 0.95 : 0.8, why: ctx ? 'Luhn, card context' : 'Luhn, issuer prefix', canonical: w.digits });
    }
    return out;
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

const MOBILE_RE = /^(?:0086|86)?1[3-9]\d{9}$/;
const PHONE_CONTEXT = ['电话', '手机', '联系', '致电', '座机', '传真', '热线', '来电', '拨打', 'phone', 'tel', 'call', 'mobile', 'cell', 'fax', 'office', 'desk', 'contact', 'dial', 'reach', 'text', 'sms', 'whatsapp', 'message', 'answer', 'number is'];

export const cnMobile: Recognizer = {
  name: 'cn-mobile',
  types: ['CN_MOBILE'],
  explanation: 'mainland China mobile number: 11 digits 1[3-9]xxxxxxxxx, optionally with +86/0086 and separators',
  find(t, scan) {
    const out: Candidate[] = [];
    for (const [w] of eachWindow(t, scan.clusters, 11, 15, (w, c) => {
      if (!MOBILE_RE.test(w.digits) || !onlySeps(w, ' -') || !edgesOk(t, c, w)) return false;
      if (w.digits.length === 13) return t[w.start - 1] === '+';
      // +1 366 615 6547 is a North American number, not 136...: a '+' means a country code must be 86
      if (w.i === 0 && t[w.start - 1] === '+' && !w.digits.startsWith('86')) return false;
      // Chinese mobiles are grouped 3-4-4 / 3-8 / 7-4 / 11: the leading group has at least 3 digits
      const g0 = c.groups[w.i];
      if (w.digits.length === 11 && g0.end - g0.start < 3) return false;
      return true;
    })) {
      const start = t[w.start - 1] === '+' && w.digits.length > 11 ? w.start - 1 : w.start;
      const ctx = near(t, start, w.end, PHONE_CONTEXT);
      if (!ctx && near(t, start, w.end, NEGATIVE_NUMBER_CONTEXT)) continue;
      out.push({ type: 'CN_MOBILE', start, end: w.end, score: ctx ? 0.95 : 0.85, why: ctx ? 'context' : undefined, canonical: w.digits.slice(-11) });
    }
    return out;
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

export const phone: Recognizer = {
  name: 'phone',
  types: ['PHONE'],
  explanation: 'telephone number: international (+CC), Chinese landline (0AA-NNNNNNN), North American, or a grouped number next to phone context',
  find(t, scan) {
    const out: Candidate[] = [];
    for (const c of scan.clusters) {
      if (c.digits < 7) continue;
      const wins = scanWindows(
        t,
        c,
        (w) => {
          const n = w.digits.length;
          if (!edgesOk(t, c, w)) return false;
          const plus = w.i === 0 && t[w.start - 1] === '+';
          if (MOBILE_RE.test(w.digits) && !w.digits.startsWith('0086') && !(plus && !w.digits.startsWith('86'))) return false;
          if (w.i === 0 && (plus || t[w.start - 1] === '(')) return true;
          return w.inner.length > 0 || n <= 12;
        },
        { minDigits: 7, maxDigits: 15 },
      );
      // dotted North American form 555.201.4477 (dots are not phone separators otherwise)
      for (let i = 0; i + 2 < c.groups.length; i++) {
        const g = c.groups;
        if (c.seps[i + 1] !== '.' || c.seps[i + 2] !== '.' || g[i].end - g[i].start !== 3 || g[i + 1].end - g[i + 1].start !== 3 || g[i + 2].end - g[i + 2].start !== 4) continue;
        if ((i > 0 && c.seps[i] === '.') || (i + 3 < g.length && c.seps[i + 3] === '.') || (i === 0 && !boundaryBefore(t, g[0].start))) continue;
        const digits = t.slice(g[i].start, g[i].end) + t.slice(g[i + 1].start, g[i + 1].end) + t.slice(g[i + 2].start, g[i + 2].end);
        if (NANP.test(digits)) wins.push({ i, j: i + 2, digits, start: g[i].start, end: g[i + 2].end, inner: ['.', '.'] });
      }
      for (const w of wins) {
        let start = w.start;
        const plus = w.i === 0 && t[start - 1] === '+';
        const paren = w.i === 0 && t[start - 1] === '(';
        if (plus || paren) start--;
        const raw = t.slice(start, w.end);
        if (/^(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.]\d\d/.test(raw)) continue; // starts with a date
        if (/^\d{3}-\d{2}-\d{4}$/.test(raw)) continue; // US SSN shape, not a phone
        const ctx = near(t, start, w.end, PHONE_CONTEXT, 32, 12);
        const d = w.digits;
        let score = 0.4;
        let why = 'grouped digits';
        if (plus && d.length >= 8) {
          score = 0.8;
          why = 'international +CC form';
        } else if (/^0[1-9]\d{8,10}$/.test(d) && w.inner.length > 0 && (t.slice(w.start, w.end).indexOf('-') === 3 || t.slice(w.start, w.end).indexOf('-') === 4 || paren)) {
          score = 0.75;
          why = 'Chinese landline';
        } else if ((paren || w.inner.length >= 2) && (NANP.test(d) || /^001[2-9]\d{9}$/.test(d))) {
          score = 0.7;
          why = 'North American form';
        } else if (/^(?:19|20)\d\d[01]\d[0-3]\d$/.test(d) && w.inner.length === 2) {
          continue; // a date like 2024-11-23
        }
        if (ctx) {
          score = Math.min(0.95, score + 0.45);
          why += ', context';
        } else if (near(t, start, w.end, NEGATIVE_NUMBER_CONTEXT)) continue;
        if ((w.inner.length === 0 && !plus && !ctx) || score < 0.5) continue;
        out.push({ type: 'PHONE', start, end: w.end, score, why, canonical: (plus ? '+' : '') + d });
      }
    }
    return out;
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
