import { EMITTED } from '../candidate.js';
import { validIpv6 } from '../checksums.js';
import { near } from '../context.js';
import { boundaryAfter, boundaryBefore, isAsciiAlnum, isAsciiLetter, SEP_DOT } from '../lexer.js';
import type { Recognizer } from '../types.js';
import { codeAt } from '../unit.js';

const isLocal = (c: number) => isAsciiAlnum(c) || c === 46 || c === 37 || c === 43 || c === 45; // . % + -
const isDomain = (c: number) => isAsciiAlnum(c) || c === 46 || c === 45;

/** Hand scanner anchored on '@': at most 64 chars left and 253 right, each stopping at the next '@', so O(n). */
export const email: Recognizer = {
  name: 'email',
  types: ['EMAIL'],
  explanation: 'e-mail address: local part, @, domain with a valid top-level label',
  find(t, scan) {
    let at = t.indexOf('@');
    let minStart = 0;
    while (at >= 0) {
      let s = at;
      while (s > minStart && at - s < 64 && isLocal(t.charCodeAt(s - 1))) s--;
      while (s < at && (t[s] === '.' || t[s] === '-' || t[s] === '+')) s++;
      let e = at + 1;
      while (e - at <= 253 && isDomain(codeAt(t, e))) e++;
      while (e > at + 1 && (t[e - 1] === '.' || t[e - 1] === '-')) e--;
      // the domain's last dot, found in place (most '@' have no domain at all: nothing is sliced for them)
      let lastDot = e - 1;
      while (lastDot > at && t.charCodeAt(lastDot) !== 46) lastDot--;
      const dot = lastDot - at - 1;
      let ok = s < at && dot > 0 && t.charCodeAt(at - 1) !== 46;
      if (ok) {
        // top-level label: 2-24 letters; every label 1-63 chars, not starting or ending with '-' (read in
        // place: no domain string, no split)
        const tldLen = e - lastDot - 1;
        ok = tldLen >= 2 && tldLen <= 24;
        for (let k = lastDot + 1; ok && k < e; k++) ok = isAsciiLetter(t.charCodeAt(k));
        let ls = at + 1;
        for (let k = at + 1; ok && k <= e; k++) {
          if (k < e && t.charCodeAt(k) !== 46) continue;
          const len = k - ls;
          ok = len > 0 && len <= 63 && t.charCodeAt(ls) !== 45 && t.charCodeAt(k - 1) !== 45;
          ls = k + 1;
        }
        ok = ok && (s === 0 || t.charCodeAt(s - 1) !== 92 || !isAsciiLetter(codeAt(t, s))) && boundaryAfter(t, e) !== false;
      }
      if (ok && (s === 0 || !isAsciiAlnum(t.charCodeAt(s - 1)) || t[s - 2] === '\\')) {
        scan.emit('EMAIL', s, e, 0.95, undefined, t.slice(s, e).toLowerCase());
        minStart = e;
      } else minStart = at + 1;
      // the domain scan stopped at e: when that is the next '@' (dense input), no search is needed
      const from = Math.max(at + 1, minStart);
      at = e >= from && codeAt(t, e) === 64 ? e : t.indexOf('@', from);
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: 'mail me: li.lei+test@example.com.', value: 'li.lei+test@example.com' },
      { text: '邮箱zhang_san@mail.example.cn如未收到', value: 'zhang_san@mail.example.cn' },
      { text: 'contact：ｗａｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ', value: 'ｗａｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ' },
    ],
    negative: ['@everyone see you', 'npm i @types/node@20.1', 'user@localhost', 'a@b.c1'],
  },
};

/** t[s, e) (digits) is an IPv4 part: 1-3 digits, no leading zero, at most 255. */
function octet(t: string, s: number, e: number): boolean {
  const n = e - s;
  if (n === 1) return true;
  if (n > 3 || t.charCodeAt(s) === 48) return false;
  let v = 0;
  for (let k = s; k < e; k++) v = v * 10 + t.charCodeAt(k) - 48;
  return v <= 255;
}

const VERSION_CONTEXT = ['version', 'ver.', 'v.', '版本', 'build', 'release', 'oid', 'snmp'];

export const ipv4: Recognizer = {
  name: 'ipv4',
  types: ['IP_ADDRESS'],
  explanation: 'IPv4 dotted quad, each part 0-255 without leading zeros, not part of a longer dotted sequence',
  find(t, scan) {
    const r = scan.runs;
    const { sep, start: gs, end: ge } = r;
    for (let k = 0; k < r.clusters; k++) {
      const cf = r.first[k];
      const cl = r.last[k];
      if (cl - cf < 3) continue;
      // a quad is exactly 4 groups joined by dots, not inside a longer dotted run (1.2.3.4.5, versions):
      // only groups not preceded by a dot can start one, so a long dotted run costs one check per group
      for (let i = cf; i + 3 <= cl; i++) {
        if (i !== cf && sep[i] === SEP_DOT) continue;
        if (sep[i + 1] !== SEP_DOT || sep[i + 2] !== SEP_DOT || sep[i + 3] !== SEP_DOT || (i + 3 !== cl && sep[i + 4] === SEP_DOT)) continue;
        // each part 0-255 without leading zeros (validIpv4 on the quad's text, read in place)
        if (!octet(t, gs[i], ge[i]) || !octet(t, gs[i + 1], ge[i + 1]) || !octet(t, gs[i + 2], ge[i + 2]) || !octet(t, gs[i + 3], ge[i + 3])) continue;
        const start = gs[i];
        const end = ge[i + 3];
        if (i === cf && (!boundaryBefore(t, start) || codeAt(t, start - 1) === 46)) continue;
        if (i + 3 === cl && !boundaryAfter(t, end)) continue;
        if (near(t, start, end, VERSION_CONTEXT, 16, 0)) continue;
        scan.emit('IP_ADDRESS', start, end, 0.9, 'IPv4');
      }
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '网关地址 198.51.100.23:443 无法访问', value: '198.51.100.23' },
      { text: 'blocked from 203.0.113.45 today', value: '203.0.113.45' },
      { text: 'ip=１９２．１６８．１．１００', value: '１９２．１６８．１．１００' },
    ],
    negative: ['version 1.2.3.4', '1.2.3.4.5 is a path', '256.1.1.1', 'v10.1.2.3', '01.02.03.04'],
  },
};

/** The characters of an IPv6 address's text form, [0-9a-fA-F:.], as one table read per character. */
const V6 = new Uint8Array(65536);
for (let c = 0; c < 128; c++) V6[c] = (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46 ? 1 : 0;
const isV6 = (c: number) => V6[c] === 1;

/** Anchored on ':'; each maximal run of [0-9a-fA-F:.] is examined once, so O(n). */
export const ipv6: Recognizer = {
  name: 'ipv6',
  types: ['IP_ADDRESS'],
  explanation: 'IPv6 address (RFC 4291 text form, :: compression, optional IPv4 tail)',
  find(t, scan) {
    const u = scan.codes;
    const n = t.length;
    let p = t.indexOf(':');
    let done = 0;
    while (p >= 0) {
      let s = p;
      while (s > done && isV6(u[s - 1])) s--;
      let e = p + 1;
      while (e < n && isV6(u[e])) e++;
      done = e;
      // trim trailing punctuation and a :port that makes the text invalid (in place: most runs are rejected on length)
      let ce = e;
      while (ce > s) {
        const c = u[ce - 1];
        if (c === 46 || (c === 58 && !(ce - 2 >= s && u[ce - 2] === 58))) ce--;
        else break;
      }
      let colons = 0;
      if (ce - s >= 6 && ce - s <= 45) for (let k = s; k < ce && colons < 2; k++) if (u[k] === 58) colons++;
      if (colons >= 2 && boundaryBefore(t, s) && boundaryAfter(t, ce)) {
        const v = t.slice(s, ce);
        if (validIpv6(v) && /\d/.test(v) && !/^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$/.test(v)) {
          scan.emit('IP_ADDRESS', s, s + v.length, 0.9, 'IPv6', v.toLowerCase());
        }
      }
      p = t.indexOf(':', Math.max(e, p + 1));
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: 'address 2001:db8:85a3::8a2e:370:7334 blocked', value: '2001:db8:85a3::8a2e:370:7334' },
      { text: 'peer fe80::1ff:fe23:4567:890a.', value: 'fe80::1ff:fe23:4567:890a' },
      { text: 'ip 2001:db8:4f1e:7c2a:0:9d3:aa10:5e down', value: '2001:db8:4f1e:7c2a:0:9d3:aa10:5e' },
    ],
    negative: ['meet at 10:22:33', 'mac 00:1a:2b:3c:4d:5e', 'sha256:deadbeefcafe', 'a::b::c'],
  },
};
