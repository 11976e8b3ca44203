import { cand, reason } from '../candidate.js';
import { near } from '../context.js';
import { boundaryBefore, SEP_DASH, SEP_SPACE, type DigitRuns } from '../lexer.js';
import { registerCjkTriggers, type CjkRuns } from '../cjk.js';
import type { Candidate, Recognizer, ScanState } from '../types.js';
import { COUNTRIES, COUNTRY_PAIRS, EURO_STREET_ENDINGS as EURO_ENDINGS, MONTHS, NAME_PARTICLES, NOT_EURO_STREET, NOT_STREET_NAME, PLACEHOLDERS, REGION_CODES, STREET_AFTER_WORD, STREET_PREFIX, STREET_SUFFIX, UNIT_WORDS, WEAK_SUFFIX } from './address-data.js';
import { fold, words } from './person-wordset.js';
import { unitAt } from '../unit.js';

/**
 * The scanned text's code units (ScanState.codes), set by `address.find` for the length of one scan: the
 * parsers below read `cu[i]` where they would read `t.charCodeAt(i)` (a plain load; V8's optimized
 * `charCodeAt` first dispatches on the string's representation). Every function here that takes `t` takes
 * the scanned text. Reads that may fall outside the text use `unitAt` (0 outside; see unit.ts).
 */
const NO_UNITS = new Uint16Array(0);
let U: Uint16Array = NO_UNITS;

const isCjk = (c: number) => c >= 0x4e00 && c <= 0x9fff;

/** Provinces, autonomous regions and major cities: where a Chinese address usually starts. */
const CN_PLACES = (
  '北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 ' +
  '深圳 广州 杭州 南京 成都 武汉 西安 苏州 郑州 长沙 东莞 沈阳 青岛 合肥 佛山 宁波 昆明 济南 厦门 福州 无锡 大连 哈尔滨 长春 石家庄 南昌 贵阳 南宁 太原 兰州 乌鲁木齐 呼和浩特 海口 三亚 银川 西宁 拉萨 温州 珠海 中山 惠州 常州 徐州 烟台 绍兴 嘉兴 泉州 台州 金华 保定 唐山 洛阳 襄阳 宜昌 扬州 南通 镇江 芜湖 桂林 汕头 湛江 江门 淄博 潍坊 临沂 济宁 廊坊 秦皇岛 邯郸 大同 包头 鞍山'
).split(' ');
const PLACE_SET = new Set(CN_PLACES);
/** Tables of the places' first and second characters: one tight loop, JS work only at likely hits. */
const PLACE_FIRST = new Uint8Array(65536);
const PLACE_SECOND = new Uint8Array(65537);
for (const p of CN_PLACES) {
  PLACE_FIRST[p.charCodeAt(0)] = 1;
  PLACE_SECOND[p.charCodeAt(1)] = 1;
}
/** First two characters of every place as a number: a hit on a common first character costs one Set probe, no slicing. */
const PLACE_PAIR = new Set(CN_PLACES.map((p) => p.charCodeAt(0) * 65536 + p.charCodeAt(1)));
/** Pairs that start a 3- or 4-character name (黑龙江, 乌鲁木齐 …): only these need a longer lookup. */
const LONG_PAIR = new Set(CN_PLACES.filter((p) => p.length > 2).map((p) => p.charCodeAt(0) * 65536 + p.charCodeAt(1)));

/** Component suffixes (a component is up to 12 chars ending with one of these). */
const SUFFIXES = ['自治区', '自治州', '开发区', '新区', '园区', '大道', '大街', '胡同', '街道', '号楼', '单元', '大厦', '广场', '小区', '花园', '公寓', '中心', '省', '市', '区', '县', '镇', '乡', '村', '路', '街', '巷', '弄', '里', '道', '号', '栋', '幢', '座', '楼', '层', '室', '园', '苑', '府', '城'];
const STRONG_SUFFIX = new Set(['路', '街', '大道', '大街', '巷', '弄', '胡同', '号', '号楼', '栋', '幢', '室', '单元', '大厦', '小区', '园区', '层']);
/** Per character code: 1 = a one-character suffix, 2 = starts a longer suffix, 4 = the one-character suffix is strong. */
const SUF = new Uint8Array(65536);
/** Longer suffixes by first character, longest first, as [second code, third code or 0, strong]. */
const MULTI = new Map<number, Array<[number, number, boolean]>>();
for (const x of SUFFIXES) {
  const c = x.charCodeAt(0);
  if (x.length === 1) SUF[c] |= 1 | (STRONG_SUFFIX.has(x) ? 4 : 0);
  else {
    SUF[c] |= 2;
    const list = MULTI.get(c) ?? [];
    list.push([x.charCodeAt(1), x.length > 2 ? x.charCodeAt(2) : 0, STRONG_SUFFIX.has(x)]);
    list.sort((a, b) => (b[1] ? 1 : 0) - (a[1] ? 1 : 0));
    MULTI.set(c, list);
  }
}
const HAO = '号'.charCodeAt(0);
const MA = '码'.charCodeAt(0);
const XIAN = '线'.charCodeAt(0);

const isPart = (c: number) => isCjk(c) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || c === 45 || c === 35;

/**
 * Next suffix character at or after k, cached as "no suffix in [sufFrom, sufAt)": calls mostly move forward,
 * so the native class scan covers each stretch of text once; a call behind the cache looks at most 12 chars.
 */
let sufFrom = 0;
let sufAt = -1;
function nextSuffix(t: string, k: number): number {
  const cu = U;
  if (k >= sufFrom && k <= sufAt) return sufAt;
  if (k > sufAt) {
    // a table loop: a regex class of many CJK characters is slower on two-byte strings
    let i = k;
    const n = t.length;
    while (i < n && SUF[cu[i]] === 0) i++;
    sufAt = i;
    sufFrom = k;
    return sufAt;
  }
  if (k + 12 >= sufFrom) {
    for (let i = k; i < sufFrom; i++) if (SUF[unitAt(cu, i)]) return i;
    sufFrom = k;
    return sufAt;
  }
  for (let i = k; i < k + 12; i++) if (SUF[unitAt(cu, i)]) return i;
  return k + 12; // none in the window (callers look no further)
}

/** Result of component(): end, whether the last suffix is strong, and how many suffixes it used. */
let cEnd = 0;
let cStrong = false;
let cCount = 0;

/** Longest component starting at k: at most 12 allowed chars ending in a suffix (a space ends it once one is found). */
function component(t: string, k: number): boolean {
  const cu = U;
  const lim = Math.min(t.length, k + 12);
  let e = nextSuffix(t, k);
  if (e >= lim) return false;
  for (let q = k; q < e; q++) if (!isPart(cu[q])) return false;
  let best = -1;
  let strong = false;
  let count = 0;
  let space = false;
  for (; e < lim; e++) {
    const c = cu[e];
    if (c === 32) {
      if (best >= 0) space = true;
      continue;
    }
    if (!isPart(c)) break;
    const f = SUF[c];
    if (!f) continue;
    if (space) break;
    let len = 0;
    let st = false;
    if (f & 2) {
      for (const [c1, c2, s2] of MULTI.get(c)!) {
        if (unitAt(cu, e + 1) === c1 && (c2 === 0 || unitAt(cu, e + 2) === c2)) {
          len = c2 ? 3 : 2;
          st = s2;
          break;
        }
      }
    }
    if (!len && f & 1) {
      // "号码" / "3号线" are not address parts
      if (c === HAO && (unitAt(cu, e + 1) === MA || unitAt(cu, e + 1) === XIAN)) continue;
      len = 1;
      st = (f & 4) !== 0;
    }
    if (!len) continue;
    if (e + len > best) {
      best = e + len;
      strong = st;
      count++;
    }
  }
  if (best < 0) return false;
  cEnd = best;
  cStrong = strong;
  cCount = count;
  return true;
}

const CN_CTX = ['地址', '住址', '住在', '位于', '寄到', '送到', '收件', '收货', 'address', '出差', '地点'];
const ROAD_CTX = ['收件地址', '收货地址', '家庭住址', '地址', '住址', '住在', '位于', '寄到', '送到', '在'];
const DA = '大'.charCodeAt(0);
const HU = '胡'.charCodeAt(0);
const TONG = '同'.charCodeAt(0);
const ROAD_ONE = new Uint8Array(65536);
for (const c of '路街巷弄道') ROAD_ONE[c.charCodeAt(0)] = 1;
const SHENG = '省'.charCodeAt(0);
const SHI = '市'.charCodeAt(0);

/** Per character code: 1 = first character of a place, 2 = 号 (end of a road + number). */
const CN_TRIGGER = new Uint8Array(65536);
for (const p of CN_PLACES) CN_TRIGGER[p.charCodeAt(0)] |= 1;
CN_TRIGGER[HAO] |= 2;
// the first pass lists where these occur in Chinese runs (chineseAddresses visits those positions only)
registerCjkTriggers((c) => CN_TRIGGER[c] !== 0);

function chineseAddresses(t: string, runs: CjkRuns, out: Candidate[]): void {
  const cu = U;
  sufFrom = 0;
  sufAt = -1;
  let last = 0;
  let merged = -1; // index in out of the last road + number candidate
  let from = 0; // positions before this are done (an address found, or no suffix within reach)
  // the places' first characters and 号 inside Chinese runs, as the first pass listed them (registered below)
  const listed = runs.triggers;
  for (let ti = 0; ti < runs.triggerCount; ti++) {
    const p = listed[ti];
    if (p < from) continue;
    // (read from the string: the reads here are scattered, and the text's own cache lines are the ones the
    // component and context checks below read too)
    const trig = CN_TRIGGER[cu[p]];
    if (trig === 0) continue; // listed for another recognizer
    if (trig & 2) {
      if (p >= last) {
        const e = roadNumber(t, p, last, out, merged);
        if (e > 0) {
          last = e;
          // roadNumber either pushed a road + number or extended out[merged], the last candidate: either way
          // the last candidate is now a road + number (only the place path below pushes anything else)
          merged = out.length - 1;
        }
      }
      continue;
    }
    if (PLACE_SECOND[unitAt(cu, p + 1) | 0] === 0 || p < last) continue;
    const pair = cu[p] * 65536 + cu[p + 1];
    if (!PLACE_PAIR.has(pair)) continue;
    let placeLen = 2;
    if (LONG_PAIR.has(pair)) {
      placeLen = 0;
      for (const len of [4, 3, 2])
        if (PLACE_SET.has(t.slice(p, p + len))) {
          placeLen = len;
          break;
        }
      if (!placeLen) continue;
    }
    let k = p + placeLen;
    const kc = unitAt(cu, k);
    if (kc === SHENG || kc === SHI) k++;
    let parts = 0;
    let strong = false;
    let end = k;
    for (let guard = 0; guard < 12; guard++) {
      let s = end;
      while (unitAt(cu, s) === 32) s++;
      if (!component(t, s)) break;
      parts += cCount;
      strong ||= cStrong;
      end = cEnd;
    }
    if (parts === 0) {
      // no suffix within reach: no place starting before (next suffix - 17) can succeed either; 号 is a suffix too
      const nx = nextSuffix(t, k);
      if (nx - 17 > p) from = nx - 17;
      continue;
    }
    if (!strong && parts < 2) continue;
    const ctx = near(t, p, end, CN_CTX, 12, 0);
    out.push(cand('ADDRESS', p, end, ctx ? 0.9 : strong ? 0.8 : 0.6, ctx ? 'place + components, context' : 'place + components'));
    merged = -1;
    last = end;
    from = end;
  }
}

/** Road + number without a leading city (学府路16号), ending at 号 (index hao). Returns the new end or 0. */
function roadNumber(t: string, hao: number, last: number, out: Candidate[], merged: number): number {
  const cu = U;
  let numStart = unitAt(cu, hao - 1) === 32 ? hao - 2 : hao - 1;
  if (!isDigit(unitAt(cu, numStart))) return 0;
  const numEnd = numStart + 1;
  while (numStart > 0 && numEnd - numStart < 5 && isDigit(cu[numStart - 1])) numStart--;
  if (numStart < last || (numStart > 0 && isDigit(cu[numStart - 1]))) return 0;
  const r1 = unitAt(cu, numStart - 1);
  const r0 = unitAt(cu, numStart - 2);
  const rs = (r0 === DA && (r1 === ROAD_ONE_DAO || r1 === JIE)) || (r0 === HU && r1 === TONG) ? 2 : ROAD_ONE[r1];
  if (!rs) return 0;
  let s = numStart;
  while (s > 0 && numStart - s < 12 && isCjk(cu[s - 1])) s--;
  if (numStart - s < rs + 1) return 0;
  let end = hao + 1;
  const nx = unitAt(cu, end);
  if (((nx >= 48 && nx <= 57) || nx === 32) && component(t, end)) {
    const lastC = cu[cEnd - 1];
    if (lastC === LOU || lastC === SHI_ROOM || lastC === DONG || lastC === CENG || (lastC === YUAN && unitAt(cu, cEnd - 2) === DAN)) end = cEnd;
  }
  const prev = merged >= 0 ? out[merged] : null;
  if (prev && prev.end >= s) {
    prev.end = end; // adjacent parts extend one address (also keeps candidate count linear in addresses, not parts)
    prev.canonical = undefined;
    return end;
  }
  // trim leading context words (only a longer run can hold one)
  if (numStart - s > rs + 2) {
    const road = t.slice(s, numStart);
    for (const w of ROAD_CTX) {
      const i = road.indexOf(w);
      if (i >= 0 && i + w.length < road.length - rs) {
        s += i + w.length;
        break;
      }
    }
  }
  out.push(cand('ADDRESS', s, end, 0.75, 'road + number'));
  return end;
}
const ROAD_ONE_DAO = '道'.charCodeAt(0);
const JIE = '街'.charCodeAt(0);
const LOU = '楼'.charCodeAt(0);
const SHI_ROOM = '室'.charCodeAt(0);
const DONG = '栋'.charCodeAt(0);
const CENG = '层'.charCodeAt(0);
const YUAN = '元'.charCodeAt(0);
const DAN = '单'.charCodeAt(0);

/**
 * Per code unit, one table read: LETTER_BIT for the letters of the Latin alphabets (ASCII, Latin-1,
 * Extended-A/B) and combining marks, UPPER_BIT for their capitals (A-Z and the Latin-1 / Extended capitals).
 */
const LETTER_BIT = 1;
const UPPER_BIT = 2;
const LETTER = new Uint8Array(65536);
for (let c = 0; c < 0x370; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x300 && c <= 0x36f);
  const upper = (c >= 65 && c <= 90) || (c >= 0xc0 && c < 0x250 && c !== 0xd7 && fold(c) !== c);
  LETTER[c] = (letter ? LETTER_BIT : 0) | (upper ? UPPER_BIT : 0);
}
const isLetter = (c: number) => (LETTER[c] & LETTER_BIT) !== 0;
const isUpper = (c: number) => (LETTER[c] & UPPER_BIT) !== 0;
const isDigit = (c: number) => c >= 48 && c <= 57;
const MAX_WORD = 40;

/**
 * End of the word starting at k: letters, with inner ' or - before a letter; k when none (or longer than MAX_WORD).
 * Memoised by start position in a small direct-mapped table: the forward parse, the tail parse and the
 * backward check of neighbouring house numbers ask about the same few words.
 */
const WE_S = new Int32Array(256).fill(-1);
const WE_E = new Int32Array(256);
function wordEnd(t: string, k: number): number {
  const i = k & 255;
  if (WE_S[i] === k) return WE_E[i];
  WE_S[i] = k;
  return (WE_E[i] = wordEndScan(t, k));
}
function wordEndScan(t: string, k: number): number {
  const cu = U;
  let e = k;
  const lim = Math.min(t.length, k + MAX_WORD);
  while (e < lim) {
    const c = cu[e];
    if (isLetter(c)) e++;
    else if ((c === 45 || c === 39 || c === 0x2019) && e > k && isLetter(cu[e + 1])) e += 2;
    else break;
  }
  return e >= lim && isLetter(unitAt(cu, e)) ? k : e;
}

/** Start of the word ending at e (exclusive), same alphabet as wordEnd; e when none. */
function wordStart(t: string, e: number): number {
  const cu = U;
  let s = e;
  while (s > 0 && e - s < MAX_WORD) {
    const c = cu[s - 1];
    if (isLetter(c)) s--;
    else if ((c === 45 || c === 39 || c === 0x2019) && s - 2 >= 0 && s < e && isLetter(cu[s - 2])) s -= 2;
    else break;
  }
  return s;
}

/** End of a house number at k: 1-5 digits, optional letter (12B) or range / fraction (12-14, 5/2); k when none. */
function houseNumberEnd(t: string, k: number): number {
  const cu = U;
  let e = k;
  while (e - k < 6 && isDigit(unitAt(cu, e))) e++;
  if (e === k || e - k > 5 || isDigit(unitAt(cu, e))) return k;
  const c = unitAt(cu, e);
  if ((c === 45 || c === 47) && isDigit(unitAt(cu, e + 1))) {
    let f = e + 1;
    while (f < t.length && f - e < 5 && isDigit(cu[f])) f++;
    e = f;
  } else if (isLetter(c) && !isLetter(unitAt(cu, e + 1))) e++;
  return isLetter(unitAt(cu, e)) || isDigit(unitAt(cu, e)) ? k : e;
}

/** Words that never start a city / region line after a street (sentence starters, labels). */
const NOT_CITY = words(
  'the a an i we you he she they it my our your his her their this that these those please thanks thank regards best sincerely cheers call contact phone tel telephone email e-mail mail fax mobile cell website web office home work hi hello dear note and or but if for from to at in on by with is are was were will can could would should see attn attention re subject',
);
const DIRECTIONS = words('n s e w ne nw se sw north south east west northeast northwest southeast southwest');

const F_SUFFIX = 1;
const F_WEAK = 2;
const F_PREFIX = 4;
const F_AFTER = 8;
const F_UNIT = 16;
const F_MONTH = 32;
const F_PARTICLE = 64;
const F_PLACEHOLDER = 128;
const F_COUNTRY = 256;
const F_NOTCITY = 512;
const F_DIR = 1024;
const F_PAIR1 = 2048;
const F_NOTEURO = 4096;
const F_NOTSTREET = 8192;
/** Every English-side word list and its flag (a word in several lists gets the OR of their flags). */
const LEX_LISTS: Array<[Iterable<string>, number]> = [
  [STREET_SUFFIX, F_SUFFIX],
  [WEAK_SUFFIX, F_WEAK],
  [STREET_PREFIX, F_PREFIX],
  [STREET_AFTER_WORD, F_AFTER],
  [UNIT_WORDS, F_UNIT],
  [MONTHS, F_MONTH],
  [NAME_PARTICLES, F_PARTICLE],
  [PLACEHOLDERS, F_PLACEHOLDER],
  [COUNTRIES, F_COUNTRY],
  [NOT_CITY, F_NOTCITY],
  [DIRECTIONS, F_DIR],
  [COUNTRY_PAIRS.keys(), F_PAIR1],
  [NOT_EURO_STREET, F_NOTEURO],
  [NOT_STREET_NAME, F_NOTSTREET],
];

/**
 * The lexicon as one open-addressing hash table over typed arrays: a word of the text is looked up straight
 * from (s, e), Latin case folded (same folding as the person word sets), without slicing it. One hash and
 * usually one probe answer every question about a word; a hit is confirmed character by character. Lengths
 * that no word has are rejected before hashing.
 */
const FOLD = new Uint16Array(0x250);
for (let c = 0; c < 0x250; c++) FOLD[c] = fold(c);
function foldHash(t: string, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    h = Math.imul(h ^ (c < 0x250 ? FOLD[c] : c), 16777619);
  }
  return h ^ (h >>> 15);
}
/** foldHash of the scanned text's cu[s..e). */
function foldHashU(s: number, e: number): number {
  const cu = U;
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) {
    const c = cu[i];
    h = Math.imul(h ^ (c < 0x250 ? FOLD[c] : c), 16777619);
  }
  return h ^ (h >>> 15);
}
const lexFlags = new Map<string, number>();
for (const [list, flag] of LEX_LISTS)
  for (const raw of list) {
    const w = raw.toLowerCase();
    if (w) lexFlags.set(w, (lexFlags.get(w) ?? 0) | flag);
  }
const LEX_WORDS = [...lexFlags.keys()];
const LEX_FLAGS = Int32Array.from(lexFlags.values());
/** Slots hold 1 + word index (0: empty); at most a quarter full, so probe chains stay short. */
const LEX_MASK = 2 ** Math.ceil(Math.log2(LEX_WORDS.length * 4)) - 1;
const LEX_SLOTS = new Int32Array(LEX_MASK + 1);
LEX_WORDS.forEach((w, x) => {
  let i = foldHash(w, 0, w.length) & LEX_MASK;
  while (LEX_SLOTS[i] !== 0) i = (i + 1) & LEX_MASK;
  LEX_SLOTS[i] = x + 1;
});
/** Bit `len` set when some word has that length (words longer than 31 are never looked up). */
const LEX_LENS = LEX_WORDS.reduce((m, w) => (w.length < 32 ? m | (1 << w.length) : m), 0);

/** Flags of t[s..e) (0 when it is in no list). */
function lexGet(t: string, s: number, e: number): number {
  const cu = U;
  const len = e - s;
  if (len <= 0 || len > 31 || !(LEX_LENS & (1 << len))) return 0;
  let i = foldHashU(s, e) & LEX_MASK;
  for (let x = LEX_SLOTS[i]; x !== 0; x = LEX_SLOTS[(i = (i + 1) & LEX_MASK)]) {
    const w = LEX_WORDS[x - 1];
    if (w.length !== len) continue;
    let k = 0;
    while (k < len && fold(cu[s + k]) === w.charCodeAt(k)) k++;
    if (k === len) return LEX_FLAGS[x - 1];
  }
  return 0;
}
/** Flags of t[s..e), memoised by start position (parsers ask about one word from several places). */
const LX_S = new Int32Array(1024).fill(-1);
const LX_E = new Int32Array(1024);
const LX_F = new Int32Array(1024);
/** Clears the per-text memos (called once per scan, before any lookup: no string comparison per call). */
function resetMemos(): void {
  LX_S.fill(-1);
  WE_S.fill(-1);
}
function lx(t: string, s: number, e: number): number {
  const i = s & 1023;
  if (LX_S[i] === s && LX_E[i] === e) return LX_F[i];
  LX_S[i] = s;
  LX_E[i] = e;
  return (LX_F[i] = lexGet(t, s, e));
}

/** Token arrays reused by every street parse (no allocation per candidate). */
const TS = new Int32Array(8);
const TE = new Int32Array(8);
const TK = new Uint8Array(8); // 1 upper word, 2 lower word, 3 number
const TD = new Uint8Array(8); // word followed by a dot
const TM = new Int32Array(8); // word flags (LEX)
const W_UP = 1;
const W_LO = 2;
const NUM = 3;

/** Reads up to 7 tokens from k (words or house numbers separated by single spaces, on one line). */
function tokens(t: string, k: number, stopAtNumber = 1): number {
  const cu = U;
  let n = 0;
  let p = k;
  while (n < 7 && p < t.length) {
    const c = cu[p];
    let e: number;
    if (isLetter(c)) {
      e = wordEnd(t, p);
      if (e === p) break;
      TK[n] = isUpper(c) ? W_UP : W_LO;
    } else if (isDigit(c)) {
      e = houseNumberEnd(t, p);
      if (e === p) break;
      TK[n] = NUM;
    } else break;
    TS[n] = p;
    TE[n] = e;
    TD[n] = unitAt(cu, e) === 46 ? 1 : 0;
    TM[n] = TK[n] === NUM ? 0 : lx(t, p, e);
    n++;
    if (n === 1 && TM[0] & (F_UNIT | F_MONTH)) break; // "12 Box 5", "12 May 2024": no street follows
    if (TK[n - 1] === NUM && n > stopAtNumber) break;
    p = e + TD[n - 1];
    if (unitAt(cu, p) !== 32) break;
    p++;
  }
  return n;
}

/** European street endings by their last character (folded): a check costs one array read in the common case. */
const EURO_BY_LAST: Array<string[] | undefined> = [];
for (const end of EURO_ENDINGS) (EURO_BY_LAST[fold(end.charCodeAt(end.length - 1))] ??= []).push(end);

function hasEuroEnding(t: string, s: number, e: number): boolean {
  const cu = U;
  if (e - s < 5) return false;
  const list = EURO_BY_LAST[fold(cu[e - 1])];
  if (!list) return false;
  for (const end of list) {
    if (end.length >= e - s - 1) continue;
    let ok = true;
    for (let i = 0; i < end.length - 1 && ok; i++) ok = fold(cu[e - end.length + i]) === end.charCodeAt(i);
    if (ok) return !(lx(t, s, e) & F_NOTEURO);
  }
  return false;
}

const STRONG = 2;
const TENTATIVE = 1;
/** Set by the street parsers: end of the street (dot excluded) and whether a dot follows it. */
let stEnd = 0;
let stDot = 0;

/**
 * Street after a house number, from the tokens read at k. Returns STRONG (street-type word or euro street
 * ending), TENTATIVE (names followed by a house number only) or 0.
 */
function streetForward(t: string, k: number): number {
  const n = tokens(t, k);
  if (n === 0 || TK[0] === NUM) return 0;
  if (TM[0] & (F_MONTH | F_UNIT)) return 0;
  let prefix = false;
  let last = -1; // last name token
  let suffix = -1;
  for (let j = 0; j < n; j++) {
    if (TK[j] === NUM) break;
    if (j === 0 && (TK[j] === W_UP || TD[j]) && (TM[j] & F_PREFIX)) {
      prefix = true;
      continue;
    }
    if (TK[j] === W_LO) {
      if (j > 0 && (TM[j] & F_AFTER)) {
        suffix = j;
        break;
      }
      // particles before the next name word, one or a few (Rue de la Paix, Calle de los Reyes)
      if (j > 0 && TM[j] & F_PARTICLE) {
        let q = j + 1;
        while (q < n && q - j < 3 && TK[q] === W_LO && TM[q] & F_PARTICLE) q++;
        if (q < n && TK[q] === W_UP) {
          j = q - 1;
          continue;
        }
      }
      break;
    }
    if ((TM[j] & F_UNIT)) break;
    if (j > 0 && (TM[j] & F_SUFFIX)) {
      suffix = j;
      if (!(TM[j] & F_WEAK) || j + 1 >= n || TK[j + 1] !== W_UP) {
        // a street type may be followed by a direction (Main Street NW) or a second street type (Hill Road)
        if (j + 1 < n && TK[j + 1] === W_UP && (lx(t, TS[j + 1], TE[j + 1]) & F_DIR)) suffix = j + 1;
        else if (j + 2 < n && TK[j + 1] === W_UP && TK[j + 2] === W_UP && (lx(t, TS[j + 2], TE[j + 2]) & F_SUFFIX) && !(lx(t, TS[j + 1], TE[j + 1]) & F_UNIT)) suffix = j + 2;
        break;
      }
      continue;
    }
    if (j > 0 && (TM[j] & F_AFTER)) {
      suffix = j;
      break;
    }
    last = j;
  }
  if (suffix >= 0) {
    let end = suffix;
    // Lindenauer Str. 74, Kongens gate 2: a house number may follow a street-type word
    if (end + 1 < n && TK[end + 1] === NUM) end++;
    stEnd = TE[end];
    stDot = TD[end];
    return STRONG;
  }
  if (last < 0) return 0;
  const next = last + 1 < n && TK[last + 1] === NUM ? last + 1 : -1;
  if (prefix || hasEuroEnding(t, TS[last], TE[last])) {
    const end = next >= 0 ? next : last;
    stEnd = TE[end];
    stDot = TD[end];
    return STRONG;
  }
  if (next >= 0 && last <= 2) {
    // "12 Terminal 2", "42 Release Candidate 3": numbered things, not streets
    for (let j = 0; j <= last; j++) if (TM[j] & F_NOTSTREET) return 0;
    stEnd = TE[next];
    stDot = TD[next];
    // the name's span, for push() to ask whether it is non-English (only asked with travel / mail wording)
    tentS = TS[0];
    tentE = TE[last];
    return TENTATIVE;
  }
  return 0;
}

/** Street written before the house number that starts at h (Via Roma 12, Lindenstraße 5, Petőfi út 6). Returns the start or -1. */
function streetBackward(t: string, h: number, floor: number): number {
  const cu = U;
  if (h < 2 || cu[h - 1] !== 32) return -1;
  let e = h - 1;
  let dot = cu[e - 1] === 46 ? 1 : 0;
  let s = wordStart(t, e - dot);
  if (s === e - dot || s < floor || !isLetter(cu[s])) return -1;
  const up0 = isUpper(cu[s]);
  const w0e = e - dot;
  const f0 = lx(t, s, w0e);
  if (f0 & F_UNIT) return -1;
  // Lindenstraße 12
  if (up0 && !dot && hasEuroEnding(t, s, w0e)) return s;
  let start = -1;
  // a street word after the name; one-letter abbreviations (u., g.) only with their dot, and an
  // English word for a numbered thing (Boarding Gate 5) is not one
  const afterWord = ((f0 & F_AFTER && (w0e - s > 1 || dot)) || (up0 && f0 & F_SUFFIX && !(f0 & F_WEAK))) && !(up0 && f0 & F_NOTSTREET);
  // walk back over up to 4 more words on this line
  let names = 0;
  for (let i = 0; i < 5; i++) {
    const ws = s;
    const wup = isUpper(cu[ws]);
    if (i > 0 || !afterWord) {
      const we = wordEndAt(t, ws);
      const wdot = cu[we] === 46;
      const wf = lx(t, ws, we);
      if (wf & F_NOTSTREET && wup) break; // Via Email 5, Sent Via Track 2: numbered things, not street names
      if ((wup || wdot) && wf & F_PREFIX && names > 0) start = ws;
      else if (wup && !(wf & F_UNIT)) names++;
      else if (!(names > 0 && wf & F_PARTICLE)) break;
    }
    if (afterWord && i > 0 && wup) start = ws;
    if (ws < 2 || cu[ws - 1] !== 32) break;
    e = ws - 1;
    dot = cu[e - 1] === 46 ? 1 : 0;
    s = wordStart(t, e - dot);
    if (s === e - dot || s < floor) break;
  }
  return start;
}
const wordEndAt = (t: string, s: number) => wordEnd(t, s);

/** End of a postcode at p (12345, 12345-6789, 123 45, 1234 AB, SW1A 1AA, K1A 0B1), or p. */
const POSTCODE_LETTERS = /[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d/y;
function postcodeEnd(t: string, p: number): number {
  const cu = U;
  let e = p;
  if (isDigit(cu[p])) {
    while (e - p < 7 && isDigit(unitAt(cu, e))) e++;
    const d = e - p;
    if (d < 3 || d > 6) return p;
    // a digit group followed by more groups is a phone number, not a postcode
    if (unitAt(cu, e) === 32 && isDigit(cu[e + 1]) && !(d === 3 && isDigit(cu[e + 2]) && !isDigit(unitAt(cu, e + 3)))) return p;
    if (d === 3 && !(cu[e] === 32 && isDigit(cu[e + 1]))) return p;
    if (unitAt(cu, e) === 45 && d === 5) {
      let f = e + 1;
      while (f - e <= 4 && isDigit(unitAt(cu, f))) f++;
      if (f - e === 5) e = f;
    } else if (unitAt(cu, e) === 32 && d === 3 && isDigit(cu[e + 1]) && isDigit(cu[e + 2]) && !isDigit(unitAt(cu, e + 3)) && !isLetter(unitAt(cu, e + 3))) e += 3;
    else if (unitAt(cu, e) === 32 && d === 4 && (unitAt(cu, e + 1) >= 65 && unitAt(cu, e + 1) <= 90) && (unitAt(cu, e + 2) >= 65 && unitAt(cu, e + 2) <= 90) && !isLetter(unitAt(cu, e + 3)) && !isDigit(unitAt(cu, e + 3))) e += 3;
  } else {
    POSTCODE_LETTERS.lastIndex = p;
    if (!POSTCODE_LETTERS.test(t)) return p;
    e = POSTCODE_LETTERS.lastIndex;
  }
  return isLetter(unitAt(cu, e)) || isDigit(unitAt(cu, e)) ? p : e;
}

/** End of a country name at p (one or two words), or p. */
function countryEnd(t: string, p: number): number {
  const cu = U;
  const e = wordEnd(t, p);
  if (e === p || !isUpper(cu[p])) return p;
  const f = lx(t, p, e);
  if (f & F_COUNTRY) return e;
  if (!(f & F_PAIR1) || cu[e] !== 32) return p;
  const second = COUNTRY_PAIRS.get(t.slice(p, e).toLowerCase());
  if (!second) return p;
  const e2 = wordEnd(t, e + 1);
  for (const w of second) if (e2 - e - 1 === w.length && t.slice(e + 1, e2).toLowerCase() === w) return e2;
  return p;
}

/** Unit after a street: "Apt. 4B", "Suite 200", "# 12", "Unit 7". Returns the end or p. */
function unitEnd(t: string, p: number): number {
  const cu = U;
  let q = p;
  if (unitAt(cu, q) === 35) q++;
  else {
    const e = wordEnd(t, q);
    if (e === q || !(lx(t, q, e) & F_UNIT)) return p;
    q = e;
    if (cu[q] === 46) q++;
    if (cu[q] === 32) q++;
    if (cu[q] === 35) q++;
  }
  if (cu[q] === 32) q++;
  const e = houseNumberEnd(t, q);
  return e === q ? p : e;
}

/** Separator between address parts: spaces, one comma, newlines (at most 5 chars). Sets sepFlags. */
let sepFlags = 0; // 1 comma, 2 newline, 4 blank line
function sepEnd(t: string, p: number): number {
  const cu = U;
  let e = p;
  let nl = 0;
  sepFlags = 0;
  while (e < t.length && e - p < 5) {
    const c = cu[e];
    if (c === 32 || c === 9) e++;
    else if (c === 44 && !(sepFlags & 1)) {
      sepFlags |= 1;
      e++;
    } else if (c === 10 || c === 13) {
      if (c === 10) nl++;
      e++;
    } else break;
  }
  if (nl) sepFlags |= nl > 1 ? 6 : 2;
  if (nl > 2) return p;
  return e;
}

/** Unit, city, region, country and postcode parts after a street (each bounded); returns the new end. */
function tailEnd(t: string, end: number, dot: number): number {
  const cu = U;
  let afterUnit = false;
  let p = end + dot;
  for (let u = 0; u < 2; u++) {
    const s = sepEnd(t, p);
    if (sepFlags & 4) break;
    const e = unitEnd(t, s);
    if (e === s) break;
    end = p = e;
    dot = 0;
    afterUnit = true;
    if (unitAt(cu, p) === 46 && unitAt(cu, p + 1) === 32) p++; // "Apt. 5. Springfield" is rare; "97." house numbers keep the dot below
  }
  let keep = end; // end without a dangling placeholder
  let city = false;
  for (let seg = 0; seg < 6; seg++) {
    const s = sepEnd(t, end + dot);
    if (s === end + dot) break;
    const flags = sepFlags;
    const spaceOnly = (flags & 3) === 0;
    const c = cu[s];
    if (isDigit(c)) {
      const z = postcodeEnd(t, s);
      if (z !== s) {
        keep = end = z;
        // "10115 Berlin": a postcode written before the city (European style)
        if (!city && cu[z] === 32 && isUpper(cu[z + 1])) {
          const we2 = wordEnd(t, z + 1);
          const f2 = lx(t, z + 1, we2);
          if (we2 > z + 1 && !(f2 & (F_NOTCITY | F_UNIT))) keep = end = cityEnd(t, we2);
        }
      }
      break;
    }
    if (!isLetter(c)) break;
    const we = wordEnd(t, s);
    if (we === s) break;
    const wf = lx(t, s, we);
    if (wf & F_PLACEHOLDER && !isLetter(cu[we]) && cu[we] !== 47) {
      end = we;
      dot = 0;
      continue;
    }
    // cheap exit for the common case: a longer ordinary word after a plain space is prose, not an address part
    if (spaceOnly && !afterUnit && we - s > 3 && !(wf & (F_COUNTRY | F_PAIR1))) break;
    const ce = wf & (F_COUNTRY | F_PAIR1) ? countryEnd(t, s) : s;
    if (ce !== s) {
      keep = end = ce;
      dot = 0;
      const zs = unitAt(cu, ce) === 32 ? postcodeEnd(t, ce + 1) : ce;
      if (zs !== ce + 1 && zs !== ce) keep = end = zs;
      break;
    }
    if (flags & 4) break;
    if (we - s <= 2 && isUpper(c)) {
      const z = postcodeEnd(t, s);
      if (z !== s) {
        keep = end = z;
        break;
      }
    }
    // region code: 1-3 capitals after a comma or a city, or a known state / province code
    if (we - s <= 3 && allUpper(t, s, we) && (flags & 1 || city || REGION_CODES.has(t.slice(s, we)))) {
      if (spaceOnly && !city && !REGION_CODES.has(t.slice(s, we))) break;
      keep = end = we;
      dot = 0;
      if (cu[we] === 32) {
        const ze = postcodeEnd(t, we + 1);
        if (ze !== we + 1) {
          keep = end = ze;
          break;
        }
      }
      city = true;
      continue;
    }
    if ((spaceOnly && !afterUnit) || city || !isUpper(c) || wf & F_NOTCITY) break;
    // city: 1-4 capitalized words on one line, with particles (Brod nad Lesem, Villar de Campos)
    const ce2 = cityEnd(t, we);
    keep = end = ce2;
    dot = 0;
    city = true;
    afterUnit = false;
    if (unitAt(cu, ce2) === 32 && isDigit(cu[ce2 + 1])) {
      const ze = postcodeEnd(t, ce2 + 1);
      if (ze !== ce2 + 1) {
        keep = end = ze;
        break;
      }
    }
  }
  return keep;
}

/** End of a city name whose first word ends at `we`: up to 3 more capitalized words or particles on the line. */
function cityEnd(t: string, we: number): number {
  const cu = U;
  let ce2 = we;
  for (let w = 0; w < 3; w++) {
    if (unitAt(cu, ce2) !== 32) break;
    const ns = ce2 + 1;
    const ne = wordEnd(t, ns);
    if (ne === ns) break;
    // letters glued to a digit start a postcode (London NW1 6XE, Leeds LS1 4AP), not a city word
    if (isDigit(unitAt(cu, ne))) break;
    const f = lx(t, ns, ne);
    if (isUpper(cu[ns])) {
      if (f & (F_NOTCITY | F_UNIT)) break;
      ce2 = ne;
    } else if (f & F_PARTICLE && cu[ne] === 32 && isUpper(cu[ne + 1])) ce2 = ne;
    else break;
  }
  return ce2;
}

function allUpper(t: string, s: number, e: number): boolean {
  const cu = U;
  for (let i = s; i < e; i++) if (!isUpper(cu[i])) return false;
  return true;
}

const EN_ADDR_CTX = ['address', 'live', 'lives', 'lived', 'located', 'ship', 'deliver', 'billing', 'mailing', 'street', 'moved to', 'send', 'sent', 'return', 'meet', 'drop', 'taxi', 'office', 'corner'];
/** Context words that suggest a place but not necessarily an address (meet at, send to ...). */
const WEAK_CTX = new Set(['send', 'sent', 'return', 'meet', 'drop', 'taxi', 'office', 'corner', 'moved to']);
const EN_ADDR_CTX_RE = /address|live|located|ship|deliver|billing|mailing|street|moved to|sen[dt]|return|meet|drop|taxi|office|corner/i;

/** Candidate score: street-type evidence, parts after the street, context words. */
/** Whether the text has any address word at all: checked once per scan, lazily (null until asked). */
let anyCtx: boolean | null = null;
/** Set by streetForward for a TENTATIVE street: the span of its name (start of the first word, end of the last). */
let tentS = 0;
let tentE = 0;
/** Whether t[s, e) has a letter beyond ASCII (Krátká 14, Ørnevej); only spaces and dots lie between the name's words. */
function foreignIn(t: string, s: number, e: number): boolean {
  const cu = U;
  for (let i = s; i < e; i++) if (cu[i] >= 0xc0) return true;
  return false;
}
function push(t: string, out: Candidate[], s: number, end: number, kind: number, street: number, why: string): boolean {
  const parts = end > street;
  if (kind !== STRONG && !parts && anyCtx === false) return false;
  if (anyCtx === null) anyCtx = EN_ADDR_CTX_RE.test(t);
  const hit = anyCtx ? near(t, s, end, EN_ADDR_CTX, 40, 0) : null;
  const ctx = hit !== null;
  let score: number;
  if (kind === STRONG) score = ctx ? 0.9 : 0.8;
  // names + house number only: a tail, an address word, or travel / mail wording with a non-English street name
  else if (parts || (ctx && (!WEAK_CTX.has(hit) || foreignIn(t, tentS, tentE)))) score = 0.7;
  else return false;
  out.push(cand('ADDRESS', s, end, score, ctx ? reason(why, ', context') : why));
  return true;
}

function englishAddresses(t: string, scan: ScanState, out: Candidate[]): void {
  const cu = U;
  let last = 0;
  const first = out.length;
  anyCtx = null;
  // walk the lexer's flat digit runs (no Cluster objects): a house number is a cluster of one group, or of
  // two groups joined by ' ' or '-' ("117 5720 Main St", "12-14 Main St") whose first group is short
  const r = scan.runs;
  const gs = r.start;
  const ge = r.end;
  const firsts = r.first;
  const lasts = r.last;
  const seps = r.sep;
  const nc = r.clusters;
  for (let k = 0; k < nc; k++) {
    const f = firsts[k];
    const ng = lasts[k] - f + 1;
    if (ng > 2) continue;
    const s0 = gs[f];
    if (s0 < last) continue;
    const sep1 = ng === 2 ? seps[f + 1] : 0;
    const twoNum = ng === 2 && (sep1 === SEP_SPACE || sep1 === SEP_DASH) && ge[f] - s0 <= 6;
    if (ng === 2 && !twoNum) continue;
    const gl = f + ng - 1;
    const gStart = gs[gl];
    const gEnd = ge[gl];
    if (gEnd - gStart > 6 || !boundaryBefore(t, s0)) continue;
    let s = s0;
    // forward: 12 Main Street, 12B Rue de la Paix, 117 5720 Lindenweg 4
    let k2 = gEnd;
    const kc = unitAt(cu, k2);
    if (((kc >= 65 && kc <= 90) || (kc >= 97 && kc <= 122)) && unitAt(cu, k2 + 1) === 32) k2++;
    if (unitAt(cu, k2) === 32 && isLetter(unitAt(cu, k2 + 1))) {
      const kind = streetForward(t, k2 + 1);
      if (kind) {
        if (twoNum && sep1 === SEP_SPACE) {
          // "Apt. 117 5720 Main Street": a unit written before the building and house numbers
          let q = s - 1;
          if (cu[q] === 32) {
            if (cu[q - 1] === 35) q--;
            const dq = cu[q - 1] === 46 ? q - 1 : q;
            const us = wordStart(t, dq);
            if (us < dq && us >= last && (lx(t, us, dq) & F_UNIT) && boundaryBefore(t, us)) s = us;
          }
        }
        const street = stEnd;
        const end = tailEnd(t, stEnd, stDot);
        if (push(t, out, s, end, kind, street, 'street address')) {
          last = end;
          continue;
        }
      }
    }
    if (ng !== 1) continue;
    // "12 Main ...": a number right before a capitalized word that is no unit starts a street (tried above), it
    // does not end one; backward() would find exactly this and return at once (the word is memoised already)
    if (kc === 32 && isUpper(unitAt(cu, gEnd + 1)) && !(lx(t, gEnd + 1, wordEnd(t, gEnd + 1)) & F_UNIT)) continue;
    last = backward(t, gStart, last, out);
  }
  // 1-2 digit house numbers at the end of a sentence ("St 7." / "Road 12"; the lexer drops most as lone runs
  // but lists those after a letter or a dot and a space)
  const found = out.length;
  let from = first;
  let lastShort = 0;
  const runs = scan.runs;
  for (let q = 0; q < runs.shorts; q++) {
    const h = runs.shortAfterSpace[q];
    // skip numbers inside spans found above
    while (from < found && out[from].end <= h) from++;
    if (from < found && out[from].start <= h) continue;
    const floor = Math.max(lastShort, from > first ? out[from - 1].end : 0);
    lastShort = backward(t, h, floor, out); // an overlap with a later span is settled by the engine (score, then length)
  }
  cornerAddresses(t, out);
}

/** Street written before the house number at h, or an address-block line; returns the new `last`. */
function backward(t: string, h: number, last: number, out: Candidate[]): number {
  const cu = U;
  // both a street before the number and a unit / country line need a space right before it ("status":200 ...)
  if (unitAt(cu, h - 1) !== 32) return last;
  // backward: Via Roma 12, Lindenstraße 5, Petőfi út 6
  const he = houseNumberEnd(t, h);
  if (he === h) return last;
  // a number followed by a capitalized word starts a street (handled forward), it does not end one
  if (unitAt(cu, he) === 32 && isUpper(unitAt(cu, he + 1)) && !(lx(t, he + 1, wordEnd(t, he + 1)) & F_UNIT)) return last;
  if (he - h <= 4 || (he - h === 5 && !isDigit(cu[he - 1]))) {
    const bs = streetBackward(t, h, last);
    if (bs >= 0) {
      const hd = unitAt(cu, he) === 46 ? 1 : 0;
      const end = tailEnd(t, he, hd);
      if (push(t, out, bs, end, STRONG, he, 'street and house number')) return end;
      return last;
    }
  }
  // a line holding only a unit ("Suite 200") or a country and postcode ("Norway 0150") in an address block
  const ls = lineFragmentStart(t, h, he);
  if (ls >= 0 && ls >= last) {
    out.push(cand('ADDRESS', ls, he, 0.6, 'address line'));
    return he;
  }
  return last;
}

/** Start of "Suite 200" / "Norway 0150" when it fills its line (after an optional quote marker), else -1. */
function lineFragmentStart(t: string, h: number, he: number): number {
  const cu = U;
  const nc = unitAt(cu, he);
  if (he < t.length && nc !== 10 && nc !== 13) return -1;
  if (cu[h - 1] !== 32) return -1;
  let q = h - 1;
  if (cu[q - 1] === 35) q--;
  const dq = cu[q - 1] === 46 ? q - 1 : q;
  let ws = wordStart(t, dq);
  if (ws === dq) return -1;
  let kind = 0;
  if ((lx(t, ws, dq) & F_UNIT)) kind = 1;
  else if (dq === q && he - h >= 4 && (lx(t, ws, dq) & F_COUNTRY)) kind = 2;
  else if (dq === q && he - h >= 4 && cu[ws - 1] === 32) {
    const w1 = wordStart(t, ws - 1);
    if (w1 < ws - 1 && countryEnd(t, w1) === dq) {
      ws = w1;
      kind = 2;
    }
  }
  if (!kind) return -1;
  // the line starts here, possibly after a quote marker or bullet (no letters or digits before it)
  for (let i = ws - 1; i >= 0 && ws - i <= 6; i--) {
    const c = cu[i];
    if (c === 10) return ws;
    if (isLetter(c) || isDigit(c)) return -1;
  }
  return ws >= 6 ? -1 : ws;
}

/**
 * "the corner of 5th Avenue and Main Street": an intersection, anchored on the phrase (indexOf, bounded parse).
 * The native search looks for "corner" and " of " is checked here: V8 searches a needle this short with its
 * plain first-character scan, measured about a third faster on prose than a search for "corner of ".
 */
function cornerAddresses(t: string, out: Candidate[]): void {
  for (let p = t.indexOf('corner'); p >= 0; p = t.indexOf('corner', p + 6)) {
    if (!t.startsWith(' of ', p + 6)) continue;
    const s = p >= 4 && (t.startsWith('the ', p - 4) || t.startsWith('The ', p - 4)) ? p - 4 : p;
    const a = p + 10;
    const e1 = streetPhraseEnd(t, a);
    if (e1 > a && t.startsWith(' and ', e1)) {
      const e2 = streetPhraseEnd(t, e1 + 5);
      if (e2 > e1 + 5) out.push(cand('ADDRESS', s, e2, 0.96, 'street corner'));
    }
  }
}

/** A street named in prose (no city parts): up to 6 words / numbers with a street-type word or a house number. */
function streetPhraseEnd(t: string, p: number): number {
  const n = tokens(t, p);
  let end = p;
  let ok = false;
  for (let j = 0; j < n; j++) {
    if (t.startsWith('and', TS[j]) && TE[j] - TS[j] === 3) break;
    if (TK[j] === NUM) {
      end = TE[j];
      ok = ok || j > 0;
      if (j > 0) break;
      continue;
    }
    if (TK[j] === W_LO && !(lx(t, TS[j], TE[j]) & F_PARTICLE) && !(lx(t, TS[j], TE[j]) & F_AFTER)) break;
    end = TE[j];
    if (j > 0 && ((lx(t, TS[j], TE[j]) & F_SUFFIX) || (lx(t, TS[j], TE[j]) & F_AFTER))) ok = true;
    if (TK[j] === W_UP && ((lx(t, TS[j], TE[j]) & F_PREFIX) || hasEuroEnding(t, TS[j], TE[j]))) ok = true;
  }
  return ok ? end : p;
}

/**
 * US military mail: "Unit 2050 Box 4190 / PSC 1234, Box 5678 / USNS Name" then "APO|FPO|DPO AA|AE|AP 12345"
 * (any case). Anchored on the ZIP of the APO/FPO/DPO line: that is a digit run of exactly 5 digits after a
 * space, which the lexer always keeps (it drops only 1-2 digit runs and short runs glued to a letter on their
 * left), so the flat runs list every possible line without another pass over the text. The line is then checked once, at its start; the first
 * line is read from a bounded window before it.
 */
const MIL_FIRST = /(?:Unit \d{3,5},? Box \d{3,5}|PSC \d{3,5},? Box \d{3,5}|US[NS][SV]? [A-Z\u00C0-\u024F][A-Za-z\u00C0-\u024F]{1,20})\s{0,2}/iy;
const MIL_LINE = /[AFDafd][Pp][Oo] (?:A[AEP]|a[aep]) \d{5}(?!\d)/y;
function militaryAddresses(t: string, r: DigitRuns, out: Candidate[]): void {
  const cu = U;
  let lastEnd = 0;
  const gs = r.start;
  const ge = r.end;
  const firsts = r.first;
  const nc = r.clusters;
  // the ZIP always starts its cluster: the ' ' before it follows a letter, so it joins no earlier run
  for (let k = 0; k < nc; k++) {
    const g = firsts[k];
    const z = gs[g];
    // "APO AE 12345": the line starts 7 chars before its 5-digit ZIP; spaces at -1 and -4 reject most runs at once
    if (ge[g] - z !== 5 || z < 7 || cu[z - 1] !== 32 || cu[z - 4] !== 32) continue;
    const p = z - 7;
    // lines never overlap (none can start inside another), so p >= lastEnd always holds; kept as a guard
    if (p < lastEnd || (p > 0 && isLetter(cu[p - 1]))) continue;
    MIL_LINE.lastIndex = p;
    if (!MIL_LINE.test(t)) continue;
    const end = MIL_LINE.lastIndex;
    // the first line (Unit / PSC / ship) ends right before p: try it only where such a word starts (u, p)
    let start = p;
    for (let q = Math.max(lastEnd, p - 40); q < p; q++) {
      const c = cu[q] | 32;
      if ((c !== 117 && c !== 112) || (q > 0 && isLetter(cu[q - 1]))) continue;
      MIL_FIRST.lastIndex = q;
      if (MIL_FIRST.test(t) && MIL_FIRST.lastIndex === p) {
        start = q;
        break;
      }
    }
    out.push(cand('ADDRESS', start, end, start < p ? 0.9 : 0.7, 'military mail address'));
    lastEnd = end;
  }
}

export const address: Recognizer = {
  name: 'address',
  types: ['ADDRESS'],
  explanation: 'postal address: Chinese province/city followed by district, road and number components; street with a house number before or after it (street-type words in many languages) with optional units, city, region, postcode and country; street corners; US military mail',
  find(t, scan) {
    const out: Candidate[] = [];
    resetMemos();
    U = scan.codes;
    try {
      if (scan.cjk.count > 0) chineseAddresses(t, scan.cjk, out);
      englishAddresses(t, scan, out);
      militaryAddresses(t, scan.runs, out);
    } finally {
      // nothing of the text stays referenced once the scan is over
      U = NO_UNITS;
    }
    return out;
  },
  examples: {
    positive: [
      { text: '收件地址：浙江省杭州市西湖区文三路 90 号 5 栋，电话见上', value: '浙江省杭州市西湖区文三路 90 号 5 栋' },
      { text: '公司在深圳福田区华强北路12号', value: '深圳福田区华强北路12号' },
      { text: '寄到学府路16号5楼', value: '学府路16号5楼' },
      { text: 'I live at 742 Evergreen Terrace, Springfield, OR 97403.', value: '742 Evergreen Terrace, Springfield, OR 97403' },
      { text: 'Send it to 14 Elm Road, Leeds LS1 4AP.', value: '14 Elm Road, Leeds LS1 4AP' },
      { text: 'Mail: 5 Rue de la Paix, 75002 Paris', value: '5 Rue de la Paix, 75002 Paris' },
      { text: 'Ship to 1600 Pennsylvania Avenue, Apt 4 please', value: '1600 Pennsylvania Avenue, Apt 4' },
      { text: 'Mail to: PSC 4410, Box 0912\nAPO AE 09123 thanks', value: 'PSC 4410, Box 0912\nAPO AE 09123' },
      { text: 'ship to unit 4410 box 2231\napo ae 09123 asap', value: 'unit 4410 box 2231\napo ae 09123' },
      { text: 'Please deliver to Lindenweg 12, 10115 Waldheim before Friday.', value: 'Lindenweg 12, 10115 Waldheim' },
      { text: 'He lives on Rua das Flores 25.', value: 'Rua das Flores 25' },
      { text: 'Invoice address: Petőfi út 5, Bergstad.', value: 'Petőfi út 5, Bergstad' },
      { text: 'Our office: 4410 Kirkevegen 8\nNORDBY\nNorway 0150\nregards', value: '4410 Kirkevegen 8\nNORDBY\nNorway 0150' },
      { text: 'Mail it to Apt. 12 480 Maple Street\nSpringfield, OR 97403 please', value: 'Apt. 12 480 Maple Street\nSpringfield, OR 97403' },
      { text: 'The office is at 225 Cedar Road Suite 300 Ashford New Zealand', value: '225 Cedar Road Suite 300 Ashford New Zealand' },
      { text: 'Billing address: 77 Cedar Lane\nRiverton\n, nan\n 12345', value: '77 Cedar Lane\nRiverton\n, nan\n 12345' },
      { text: 'Meet me at the corner of 5 Harbor Road and Juniper Avenue at noon.', value: 'the corner of 5 Harbor Road and Juniper Avenue' },
    ],
    negative: [
      '北京时间下午三点',
      '上海市场规模很大',
      'I have 3 Apple Watches',
      '请拨打号码',
      'Version 2 Release Notes',
      'Released on 12 March 2024 with fixes',
      'We walked down Main Street after the meeting.',
      'Chapter 3 Section 4 covers caching; see Table 2.',
      'The Arcade 5 tournament starts at noon',
      'Call 555 201 4477 or 555 201 4478',
    ],
  },
};
