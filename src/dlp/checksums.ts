/** Check digits and structural validators (pure, allocation-free where it matters). */

/** Luhn (mod 10) over a string of ASCII digits. */
export function luhn(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** GB 11643 province-level codes (first two digits of a resident ID). */
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91]);

export function validRegion(code6: string): boolean {
  if (!/^\d{6}$/.test(code6)) return false;
  if (!PROVINCES.has(Number(code6.slice(0, 2)))) return false;
  // prefecture part 00 is only used by the province itself; 71/81/82/83/91 use 00 legitimately
  return true;
}

export function validDate(y: number, m: number, d: number, maxYear = new Date().getUTCFullYear()): boolean {
  if (y < 1900 || y > maxYear || m < 1 || m > 12 || d < 1) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= dim;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character for the first 17 digits. */
export function cnIdCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[s % 11];
}

/** 18-character resident ID: region, birth date, check character. */
export function validCnId18(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  if (!validRegion(id.slice(0, 6))) return false;
  if (!validDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  return cnIdCheckChar(id) === id[17].toUpperCase();
}

/** 15-digit legacy ID (before 1999): region, YYMMDD birth date in the 1900s, no check digit. */
export function validCnId15(id: string): boolean {
  if (!/^\d{15}$/.test(id)) return false;
  if (!validRegion(id.slice(0, 6))) return false;
  return validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)), 1999);
}

/** GB 32100 unified social credit code alphabet (no I, O, Z, S, V). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string | null {
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) return null;
    s += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (s % 31)) % 31];
}

export function validUscc(code: string): boolean {
  if (code.length !== 18) return false;
  const c = code.toUpperCase();
  if (!/^[1-9A-HJ-NP-RTUWXY][1-9A-HJ-NP-RTUWXY]\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(c)) return false;
  if (!PROVINCES.has(Number(c.slice(2, 4)))) return false;
  return usccCheckChar(c.slice(0, 17)) === c[17];
}

/** IPv4 dotted quad, no leading zeros. */
export function validIpv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || (p.length > 1 && p[0] === '0')) return false;
    if (!/^\d+$/.test(p) || Number(p) > 255) return false;
  }
  return true;
}

/** Strict IPv6 parser (RFC 4291 text forms, optional embedded IPv4 tail). Reads in place: no split, no regex. */
export function validIpv6(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  const dbl = s.indexOf('::');
  if (dbl < 0) return ipv6Groups(s, 0, n, true) === 8;
  if (s.indexOf('::', dbl + 1) >= 0) return false;
  const left = ipv6Groups(s, 0, dbl, false);
  const right = ipv6Groups(s, dbl + 2, n, true);
  return left >= 0 && right >= 0 && left + right < 8;
}

/**
 * Groups in s[a..b) read as colon-separated groups of 1-4 hex digits (an empty range has none), the last one
 * possibly a dotted IPv4 address counting for two when `allowV4`; -1 when it is not that.
 */
function ipv6Groups(s: string, a: number, b: number, allowV4: boolean): number {
  if (a === b) return 0;
  let groups = 0;
  for (let p = a; ; ) {
    let q = p;
    let dot = false;
    for (; q < b; q++) {
      const c = s.charCodeAt(q);
      if (c === 58) break;
      if (c === 46) dot = true;
    }
    if (dot && allowV4 && q === b) {
      if (!validIpv4(s.slice(p, q))) return -1;
      groups += 2;
    } else {
      if (q - p < 1 || q - p > 4) return -1;
      for (let k = p; k < q; k++) if (!isHexCode(s.charCodeAt(k))) return -1;
      groups++;
    }
    if (q === b) return groups;
    p = q + 1;
  }
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}
