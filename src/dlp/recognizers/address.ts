import { near } from '../context.js';
import { boundaryBefore } from '../lexer.js';
import type { Candidate, Recognizer, ScanState } from '../types.js';

const isCjk = (c: number) => c >= 0x4e00 && c <= 0x9fff;
const HAS_CJK = /[\u4e00-\u9fff]/;

/** Provinces, autonomous regions and major cities: where a Chinese address usually starts. */
const CN_PLACES = (
  '北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 ' +
  '深圳 广州 杭州 南京 成都 武汉 西安 苏州 郑州 长沙 东莞 沈阳 青岛 合肥 佛山 宁波 昆明 济南 厦门 福州 无锡 大连 哈尔滨 长春 石家庄 南昌 贵阳 南宁 太原 兰州 乌鲁木齐 呼和浩特 海口 三亚 银川 西宁 拉萨 温州 珠海 中山 惠州 常州 徐州 烟台 绍兴 嘉兴 泉州 台州 金华 保定 唐山 洛阳 襄阳 宜昌 扬州 南通 镇江 芜湖 桂林 汕头 湛江 江门 淄博 潍坊 临沂 济宁 廊坊 秦皇岛 邯郸 大同 包头 鞍山'
).split(' ');
const PLACE_SET = new Set(CN_PLACES);
// Lookup table of the places' first characters: one tight O(n) loop, JS work only at hits.
const PLACE_FIRST = new Uint8Array(65536);
for (const p of CN_PLACES) PLACE_FIRST[p.charCodeAt(0)] = 1;
/** First two characters of every place as a number: a hit on a common first character costs one Set probe, no slicing. */
const PLACE_PAIR = new Set(CN_PLACES.map((p) => p.charCodeAt(0) * 65536 + p.charCodeAt(1)));
/** Pairs that start a 3- or 4-character name (黑龙江, 乌鲁木齐 …): only these need a longer lookup. */
const LONG_PAIR = new Set(CN_PLACES.filter((p) => p.length > 2).map((p) => p.charCodeAt(0) * 65536 + p.charCodeAt(1)));

/** Component suffixes, longest first (a component is up to 12 chars ending with one of these). */
const SUFFIXES = ['自治区', '自治州', '开发区', '新区', '园区', '大道', '大街', '胡同', '街道', '号楼', '单元', '大厦', '广场', '小区', '花园', '公寓', '中心', '省', '市', '区', '县', '镇', '乡', '村', '路', '街', '巷', '弄', '里', '道', '号', '栋', '幢', '座', '楼', '层', '室', '园', '苑', '府', '城'];
const SUFFIX_BY_FIRST = new Map<string, string[]>();
for (const x of SUFFIXES) SUFFIX_BY_FIRST.set(x[0], [...(SUFFIX_BY_FIRST.get(x[0]) ?? []), x]);
const STRONG_SUFFIX = new Set(['路', '街', '大道', '大街', '巷', '弄', '胡同', '号', '号楼', '栋', '幢', '室', '单元', '大厦', '小区', '园区', '层']);

const isPart = (c: number) => isCjk(c) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || c === 45 || c === 35;

const SUFFIX_FIRST = new Uint8Array(65536);
for (const x of SUFFIXES) SUFFIX_FIRST[x.charCodeAt(0)] = 1;

/**
 * Jump tables for one text: nextSuf[i] = first index >= i holding a suffix's first character,
 * nextStop[i] = first index >= i that cannot be part of an address component. Built in one backward
 * pass, they make every component() call O(number of suffix characters in its 12-char window).
 */
interface Jumps {
  nextSuf: Int32Array;
  nextStop: Int32Array;
}
function buildJumps(t: string): Jumps {
  const n = t.length;
  const nextSuf = new Int32Array(n + 1);
  const nextStop = new Int32Array(n + 1);
  nextSuf[n] = n;
  nextStop[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    const c = t.charCodeAt(i);
    nextSuf[i] = SUFFIX_FIRST[c] ? i : nextSuf[i + 1];
    nextStop[i] = isPart(c) ? nextStop[i + 1] : i;
  }
  return { nextSuf, nextStop };
}

/** Longest component starting at k: at most 12 allowed chars ending in a suffix (a space ends it once one is found). */
function component(t: string, k: number, j: Jumps | null): [number, string, number] | null {
  let best: [number, string, number] | null = null;
  const limit = j ? Math.min(k + 12, j.nextStop[k]) : k + 12;
  for (let e = j ? j.nextSuf[k] : k; e < limit; e = j ? j.nextSuf[e + 1] : e + 1) {
    if (!j) {
      if (e >= t.length || !isPart(t.charCodeAt(e))) break;
      if (!SUFFIX_FIRST[t.charCodeAt(e)]) continue;
    }
    if (best) {
      let sp = false;
      for (let q = best[0]; q < e && !sp; q++) sp = t.charCodeAt(q) === 32;
      if (sp) break;
    }
    const list = SUFFIX_BY_FIRST.get(t[e]);
    if (!list) continue;
    for (const x of list) {
      if (!t.startsWith(x, e)) continue;
      const end = e + x.length;
      // "号码" / "3号线" are not address parts
      if (x === '号' && (t[end] === '码' || t[end] === '线')) continue;
      if (!best || end > best[0]) best = [end, x, (best?.[2] ?? 0) + 1]; // [end, last suffix, suffixes used]
      break;
    }
  }
  return best;
}

function chineseAddresses(t: string, out: Candidate[]): void {
  // Direct 12-char scans are cheapest for ordinary text; once they have cost about one pass over the text
  // (dense, possibly adversarial input) switch to jump tables, so the total stays O(n) with a small constant.
  let jumps: Jumps | null = null;
  let budget = t.length; // direct scans read at most 12 chars each; once they have read ~n chars, build tables
  const comp = (k: number) => {
    if (!jumps && (budget -= 12) < 0) jumps = buildJumps(t);
    return component(t, k, jumps);
  };
  let last = 0;
  for (let p = 0; p < t.length; p++) {
    if (!PLACE_FIRST[t.charCodeAt(p)] || p < last || !PLACE_PAIR.has(t.charCodeAt(p) * 65536 + t.charCodeAt(p + 1))) continue;
    let placeLen = 0;
    const pair = t.charCodeAt(p) * 65536 + t.charCodeAt(p + 1);
    if (LONG_PAIR.has(pair)) {
      for (const n of [4, 3, 2])
        if (PLACE_SET.has(t.slice(p, p + n))) {
          placeLen = n;
          break;
        }
    } else placeLen = 2; // PLACE_PAIR matched and no longer name starts with this pair
    if (!placeLen) continue;
    let k = p + placeLen;
    if (t[k] === '省' || t[k] === '市') k++;
    let parts = 0;
    let strong = false;
    let end = k;
    for (let guard = 0; guard < 12; guard++) {
      let s = end;
      while (t[s] === ' ') s++;
      const c = comp(s);
      if (!c) break;
      parts += c[2];
      if (STRONG_SUFFIX.has(c[1])) strong = true;
      end = c[0];
      // trailing unit letter/number like "D区" or "12 号楼" is consumed by component(); stop at punctuation
    }
    if (parts === 0 || (!strong && parts < 2)) continue;
    const ctx = near(t, p, end, ['地址', '住址', '住在', '位于', '寄到', '送到', '收件', '收货', 'address', '出差', '地点'], 12, 0);
    out.push({ type: 'ADDRESS', start: p, end, score: ctx ? 0.9 : strong ? 0.8 : 0.6, why: ctx ? 'place + components, context' : 'place + components', canonical: t.slice(p, end) });
    last = end;
    p = end - 1;
  }
  // road + number without a leading city: 学府路16号
  const re = /\d{1,5} ?号/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const numStart = m.index;
    if (numStart < last) continue;
    let s = numStart;
    while (s > 0 && numStart - s < 12 && isCjk(t.charCodeAt(s - 1))) s--;
    const road = t.slice(s, numStart);
    const rs = ['大道', '大街', '胡同', '路', '街', '巷', '弄', '道'].find((x) => road.endsWith(x));
    if (!rs || road.length < rs.length + 1) continue;
    // trim leading context words (only a longer run can hold one)
    if (road.length > rs.length + 2) {
      for (const w of ['收件地址', '收货地址', '家庭住址', '地址', '住址', '住在', '位于', '寄到', '送到', '在']) {
        const i = road.indexOf(w);
        if (i >= 0 && i + w.length < road.length - rs.length) {
          s += i + w.length;
          break;
        }
      }
    }
    let end = m.index + m[0].length;
    const nx = t.charCodeAt(end);
    const more = (nx >= 48 && nx <= 57) || nx === 32 ? comp(end) : null;
    if (more && (more[1] === '楼' || more[1] === '室' || more[1] === '栋' || more[1] === '单元' || more[1] === '层')) end = more[0];
    const prev = out[out.length - 1];
    if (prev && prev.end >= s && prev.why === 'road + number') {
      prev.end = end; // adjacent parts extend one address (also keeps candidate count linear in addresses, not parts)
      prev.canonical = undefined;
    } else out.push({ type: 'ADDRESS', start: s, end, score: 0.75, why: 'road + number' });
    last = end;
  }
}

const STREET_SUFFIX = new Set(
  'street st road rd avenue ave drive dr lane ln boulevard blvd way court ct place pl terrace ter parkway pkwy highway hwy circle cir square sq trail trl crescent close row alley plaza point points heights gardens grove walk view ridge hill park'.split(' '),
);
const UNIT_WORDS = /^(?:apt\.?|apartment|suite|ste\.?|unit|#|floor|fl\.?|room|box)\b/i;
const US_STATES = new Set('AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC ON BC QC NSW VIC QLD WA'.split(' '));

/**
 * English street address: house number, 1-4 street words ending in a street suffix, then optional unit,
 * city, state and ZIP segments separated by commas/newlines (each bounded), so O(n) over digit runs.
 */
/** Street-type words written before the name (Rue Gafsa, Via Roma, Calle Mayor). */
const STREET_PREFIX = new Set(['rue', 'via', 'calle', 'rua', 'avenida', 'avda', 'avenue', 'boulevard', 'piazza', 'plaza', 'ul', 'ulica', 'strada', 'camino', 'carrer']);
/** Street-type endings of single-word European street names (German, Nordic, Dutch, Finnish, Hungarian ...). */
const EURO_STREET_END = /(?:stra(?:ss|ß)e|str|gasse|weg|vej|veien|vegen|v[äa]gen|v[äa]g|gata|gatan|gate|tie|katu|laan|straat|utca|ulice|allee|platz|ring|damm)$/i;
/** Suffix words that are also ordinary words: the street goes on if another suffix follows (Park Avenue). */
const WEAK_SUFFIX = new Set(['park', 'hill', 'view', 'point', 'points', 'heights', 'gardens', 'grove', 'walk', 'ridge', 'square', 'place', 'row', 'close', 'way', 'st']);
const SEGMENT_RE = /(?:\n {0,2}, {0,2}|,\s{0,2}|\n\s{0,2}|\s{1,2})([A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u017F][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F'.-]{1,24}(?: (?:(?:de|del|la|di|da|van|von|der|le|sur) )?[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u017F][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F'.-]{1,24}){0,2}(?: \d{4,6}(?:-\d{4})?)?|\d{4,6}(?:-\d{4})?|[A-Z]{2} \d{5}(?:-\d{4})?|[A-Z]{2,3}(?= ?\n| \d))(?![A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F\d])/y;
const UNIT_RE = /,?\s{0,2}(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Box|#) ?\d{1,5}[A-Z]?/iy;
// sticky (y) patterns run at one position with bounded repetition: no slicing, no scanning ahead.
// Latin letters are spelled as ranges (Latin-1, Extended-A/B, combining marks): non-unicode mode is faster.
const WORD_RE = / ([A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u017F][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F'-]{0,24}\.?|\d{1,3}(?:st|nd|rd|th))/y;
const HOUSE_NO_RE = / \d{1,4}[A-Za-z]?\.?(?![A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F\d])/y;
const HOUSE_NO_SHORT_RE = / \d{1,4}[A-Za-z]?(?![A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0300-\u036F\d])/y;
function sticky(re: RegExp, t: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(t);
}

/**
 * English / European street address: house number (optionally a building number before it), 1-5 street
 * words with a street-type word (suffix like Street, or prefix like Rue), or a name followed by a house
 * number (Tawastintie 72), then up to two units and four city / state / country / postcode segments
 * separated by commas or newlines. Every step reads a bounded slice, so the cost is O(n) over digit runs.
 */
const EN_ADDR_CTX = ['address', 'live', 'lives', 'lived', 'located', 'ship', 'deliver', 'billing', 'mailing', 'street', 'moved to'];
const EN_ADDR_CTX_RE = /address|live|located|ship|deliver|billing|mailing|street|moved to/i;

function englishAddresses(t: string, scan: ScanState, out: Candidate[]): void {
  let last = 0;
  let anyCtx: boolean | null = null;
  for (const c of scan.clusters) {
    const g = c.groups[c.groups.length - 1];
    const twoNum = c.groups.length === 2 && c.seps[1] === ' ' && c.groups[0].end - c.groups[0].start <= 6;
    const s = twoNum ? c.groups[0].start : g.start;
    if (s < last || g.end - g.start > 6 || (c.groups.length > 1 && !twoNum) || !boundaryBefore(t, s)) continue;
    let k = g.end;
    if (t.charCodeAt(k) >= 65 && t.charCodeAt(k) <= 90 && t[k + 1] === ' ') k++; // 12B Main St
    if (t[k] !== ' ') continue;
    const up = t.charCodeAt(k + 1);
    if (!((up >= 65 && up <= 90) || (up >= 0xc0 && up <= 0x17f))) continue;
    const words: string[] = [];
    let streetEnd = -1;
    let strongStreet = false;
    for (let w = 0; w < 5; w++) {
      const wm = sticky(WORD_RE, t, k);
      if (!wm) break;
      const word = wm[1].endsWith('.') ? wm[1].slice(0, -1) : wm[1];
      const lw = word.toLowerCase();
      if (UNIT_WORDS.test(word)) break;
      words.push(word);
      k += wm[0].length;
      if (wm[1].endsWith('.') && !STREET_SUFFIX.has(lw) && lw !== 'ul') k--;
      if (w === 0 && STREET_PREFIX.has(lw)) strongStreet = true;
      if (STREET_SUFFIX.has(lw) && words.length >= 2) {
        streetEnd = k;
        strongStreet = true;
        if (!WEAK_SUFFIX.has(lw)) break;
      }
    }
    if (streetEnd < 0 && strongStreet && words.length >= 2) {
      streetEnd = k;
      const hn = sticky(HOUSE_NO_SHORT_RE, t, k); // Rua das Flores 25
      if (hn) streetEnd += hn[0].length;
    }
    let tentative = false;
    if (streetEnd < 0 && words.length >= 1 && words.length <= 3) {
      // European form: <number> <Street name> <house number>
      const hn = sticky(HOUSE_NO_RE, t, k);
      const wk = words.length === 1 ? k : -1;
      if (hn && wk >= 0) {
        streetEnd = k + hn[0].length;
        // Lindenstrasse 12, Kirkevegen 8, Hafnargata 3: the street type is part of the word
        tentative = !EURO_STREET_END.test(words[0]);
      }
    }
    if (streetEnd < 0) continue;
    let end = streetEnd;
    let segs = 0;
    for (let u = 0; u < 2; u++) {
      const unit = sticky(UNIT_RE, t, end);
      if (!unit) break;
      end += unit[0].length;
      segs++;
    }
    for (let seg = 0; seg < 4; seg++) {
      const sm = sticky(SEGMENT_RE, t, end);
      if (!sm) break;
      const val = sm[1];
      const c0 = val.charCodeAt(0);
      const lastC = val.charCodeAt(val.length - 1);
      const isZip = (c0 >= 48 && c0 <= 57) || (lastC >= 48 && lastC <= 57); // the pattern only lets digits end a zip part
      const isState = US_STATES.has(val) || (val.length <= 3 && sm[0].includes(',') && /^[A-Z]{2,3}$/.test(val));
      if (sm[0].charCodeAt(0) === 32 && !isZip && !isState) break; // a space-separated capitalized word is prose, not a city
      if (/^(?:I|The|My|He|She|We|They|It|Please|Thanks|But|And|Or|If|For)\b/.test(val) || UNIT_WORDS.test(val)) break;
      end += sm[0].length;
      segs++;
      if (isZip) break;
    }
    // whether the text mentions any address word at all is checked once, lazily: dense candidate runs
    // without such words then skip the per-candidate window lookups
    if (anyCtx === null) anyCtx = EN_ADDR_CTX_RE.test(t);
    const ctx = anyCtx ? near(t, s, end, EN_ADDR_CTX, 32, 0) : null;
    if (tentative && segs === 0 && !ctx) continue;
    const score = tentative ? (ctx || segs > 0 ? 0.7 : 0.4) : ctx ? 0.9 : 0.75;
    out.push({ type: 'ADDRESS', start: s, end, score, why: ctx ? 'street address, context' : 'street address', canonical: t.slice(s, end) });
    last = end;
  }
}

/**
 * US military mail: "Unit 2050 Box 4190 / PSC 1234, Box 5678 / USNS Name" then "APO|FPO|DPO AA|AE|AP 12345".
 * Anchored on the APO/FPO/DPO line with indexOf; the first line is read from a bounded window before it.
 */
const MIL_FIRST = /(?:Unit \d{3,5},? Box \d{3,5}|PSC \d{3,5},? Box \d{3,5}|US[NS][SV]? [A-Z][A-Za-z]{1,20})\s{0,2}$/;
const MIL_LINE = /^[AFD]PO (?:AA|AE|AP) \d{5}/;
function militaryAddresses(t: string, out: Candidate[]): void {
  for (const code of ['APO ', 'FPO ', 'DPO ']) {
    let p = t.indexOf(code);
    while (p >= 0) {
      const m = MIL_LINE.exec(t.slice(p, p + 16));
      if (m) {
        const before = t.slice(Math.max(0, p - 40), p);
        const f = MIL_FIRST.exec(before);
        const start = f ? p - before.length + f.index : p;
        out.push({ type: 'ADDRESS', start, end: p + m[0].length, score: f ? 0.9 : 0.7, why: 'military mail address' });
      }
      p = t.indexOf(code, p + 4);
    }
  }
}

export const address: Recognizer = {
  name: 'address',
  types: ['ADDRESS'],
  explanation: 'postal address: Chinese province/city followed by district, road and number components; English house number + street + suffix with optional unit, city, state and ZIP',
  find(t, scan) {
    const out: Candidate[] = [];
    if (HAS_CJK.test(t)) chineseAddresses(t, out);
    englishAddresses(t, scan, out);
    militaryAddresses(t, out);
    return out;
  },
  examples: {
    positive: [
      { text: '收件地址：浙江省杭州市西湖区文三路 90 号 5 栋，电话见上', value: '浙江省杭州市西湖区文三路 90 号 5 栋' },
      { text: '公司在深圳福田区华强北路12号', value: '深圳福田区华强北路12号' },
      { text: '寄到学府路16号5楼', value: '学府路16号5楼' },
      { text: 'I live at 742 Evergreen Terrace, Springfield, OR 97403.', value: '742 Evergreen Terrace, Springfield, OR 97403' },
      { text: 'Ship to 1600 Pennsylvania Avenue, Apt 4 please', value: '1600 Pennsylvania Avenue, Apt 4' },
      { text: 'Mail to: PSC 4410, Box 0912\nAPO AE 09123 thanks', value: 'PSC 4410, Box 0912\nAPO AE 09123' },
    ],
    negative: ['北京时间下午三点', '上海市场规模很大', 'I have 3 Apple Watches', '请拨打号码', 'Version 2 Release Notes'],
  },
};
