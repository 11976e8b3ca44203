import { EMITTED } from '../candidate.js';
import { inPrefixBuckets, nextSet } from '../classes.js';
import { isAsciiAlnum } from '../lexer.js';
import { TriggerSet } from '../triggers.js';
import type { Recognizer, RecognizerExamples, ScanState } from '../types.js';
import { codeAt } from '../unit.js';

/** Character sets for token bodies. */
const B64URL = (c: number) => isAsciiAlnum(c) || c === 45; // [A-Za-z0-9_-]
const ALNUM = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const UPPER_DIGIT = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
const ALNUM_US = (c: number) => isAsciiAlnum(c);

interface TokenRule {
  name: string;
  prefixes: string[];
  body: (c: number) => boolean;
  min: number;
  max: number;
  explanation: string;
  examples: RecognizerExamples;
  /** Extra check on the whole token t[s, e), read in place. */
  validate?: (t: string, s: number, e: number) => boolean;
}

/** Every literal a secret recognizer starts from: found for all of them in one shared pass per scan. (Exported for the tests.) */
export const TOKEN_PREFIXES = [
  'sk-ant-', 'sk-', 'AKIA', 'ASIA', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'AIza', 'xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-',
  'sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_', 'LTAI', 'eyJ', '-----BEGIN ', '://', 'glpat-', 'npm_',
];
/** TOKEN_PREFIXES indices by their first character (all ASCII). */
const BY_FIRST: number[][] = Array.from({ length: 128 }, () => []);
TOKEN_PREFIXES.forEach((p, i) => {
  // the kernel's token-prefix bitmap must hold every position where one of them starts
  if (!inPrefixBuckets([...p].map((ch) => ch.charCodeAt(0)), 0)) throw new Error(`secret prefix ${p} is in no PREFIX_BUCKETS bucket (classes.ts)`);
  BY_FIRST[p.charCodeAt(0)].push(i);
});
const PREFIX_INDEX = new Map(TOKEN_PREFIXES.map((p, i) => [p, i]));

/** Which of TOKEN_PREFIXES occur in a text, and where. */
interface PrefixPass {
  /** Per prefix (by index), 1 when it occurs. */
  readonly present: Uint8Array;
  /** Per prefix, its positions in ascending order; null when they were not listed (indexOf finds them). */
  readonly at: readonly (readonly number[])[] | null;
}
/** ScanState.memo's key of the shared pass (its name shows in bench breakdowns). */
const PREFIX_PASS = { name: 'secret prefixes' };
/** Anchor-character search of the prefixes, for texts dense in bucket hits and texts without a scan state. */
const TRIGGERS = new TriggerSet(TOKEN_PREFIXES, 'secret prefixes');

/**
 * The prefixes' occurrences from the scan's token-prefix bitmap (classes.ts, PREFIX_BUCKETS): only the
 * positions it marks are compared with the prefixes, and the matches are listed for the recognizers. Mixed
 * text marks about one position in 2,700, so the pass costs little more than reading the bitmap (the
 * anchor-character searches it replaces cost 7% of a scan of mixed text). A text with more hits than
 * `maxHits(n)` (a text of sk-sk-sk-..., where each token's body swallows the next prefixes, or dense PEM
 * headers) is handed to the anchor-character search instead, and its occurrences to indexOf, whose visits
 * skip what a token or block swallowed: a list of every hit would cost more there. (Exported for the tests.)
 */
export function prefixPassIn(t: string, u: Uint16Array, bits: Uint32Array): PrefixPass {
  const n = t.length;
  const firstHit = nextSet(bits, 0, n);
  // most messages hold no hit: one shared answer, nothing allocated
  if (firstHit >= n) return NO_PREFIXES;
  const at: number[][] = TOKEN_PREFIXES.map(() => []);
  const max = maxHits(n);
  let hits = 0;
  // the result is made inside the loop: code after a loop that may run long is what V8's on-stack
  // replacement leaves stale (docs/DLP.md; the sweep once caught this pass deoptimizing at every message
  // after a text dense in PEM headers, which returns through the dense fallback)
  for (let p = firstHit; ; p = nextSet(bits, p + 1, n)) {
    if (p >= n) return { present: presentIn(at), at };
    if (++hits > max) return { present: TRIGGERS.present(t), at: null };
    const first = BY_FIRST[u[p]]; // ASCII: the buckets hold nothing else
    for (let k = 0; k < first.length; k++) if (t.startsWith(TOKEN_PREFIXES[first[k]], p)) at[first[k]].push(p);
  }
}
/** Per prefix, 1 when its list of positions is not empty. */
function presentIn(at: readonly (readonly number[])[]): Uint8Array {
  const present = new Uint8Array(at.length);
  for (let i = 0; i < at.length; i++) present[i] = at[i].length > 0 ? 1 : 0;
  return present;
}
const maxHits = (n: number) => 256 + (n >> 7);
/** The pass of a text without a single bucket hit (shared: never written). */
const NO_PREFIXES: PrefixPass = Object.freeze({ present: new Uint8Array(TOKEN_PREFIXES.length), at: Object.freeze(TOKEN_PREFIXES.map(() => Object.freeze([]))) });

/** The prefix pass of the scanned text (one shared pass per scan). */
function prefixPass(t: string, scan: ScanState | undefined): PrefixPass {
  return scan && typeof scan.memo === 'function'
    ? scan.memo(PREFIX_PASS, () => prefixPassIn(t, scan.codes, scan.classes.tokenPrefix))
    : { present: TRIGGERS.present(t), at: null };
}

/**
 * Calls `visit` at each occurrence of `prefix` like repeated indexOf(prefix, next), where next is what
 * `visit` returned (more than the position it was given); nothing at all when the prefix does not occur.
 */
function eachOccurrence(t: string, scan: ScanState | undefined, prefix: string, visit: (p: number) => number): void {
  const pass = prefixPass(t, scan);
  const i = PREFIX_INDEX.get(prefix)!;
  if (pass.present[i] !== 1) return;
  if (pass.at === null) {
    let p = t.indexOf(prefix);
    while (p >= 0) p = t.indexOf(prefix, visit(p));
    return;
  }
  const at = pass.at[i];
  let next = 0;
  for (let k = 0; k < at.length; k++) if (at[k] >= next) next = visit(at[k]);
}

/**
 * A prefixed token: read at the occurrences of its prefixes the shared pass found (no per-rule scan), body scanned by
 * hand for at most `max` characters. Each position is scanned by at most one token of a given rule, so O(n) per rule.
 */
function tokenRule(r: TokenRule): Recognizer {
  for (const prefix of r.prefixes) if (!PREFIX_INDEX.has(prefix)) throw new Error(`secret prefix ${prefix} missing from TOKEN_PREFIXES`);
  const indices = r.prefixes.map((p) => PREFIX_INDEX.get(p)!);
  const whys = r.prefixes.map((p) => `prefix ${p}`);
  // the body characters (all ASCII) as a table: the rules' finds are closures of one function, so a call of
  // r.body per character would be a megamorphic call (a text of prefixes followed by long non-tokens paid
  // ~6 ns each)
  const body = new Uint8Array(128);
  for (let c = 0; c < 128; c++) body[c] = r.body(c) ? 1 : 0;
  const inBody = (c: number) => c < 128 && body[c] === 1;
  return {
    name: r.name,
    types: ['SECRET'],
    explanation: r.explanation,
    find(t, scan) {
      // usually no prefix of the rule occurs at all: one look at the shared pass, nothing else
      const all = prefixPass(t, scan).present;
      for (let q = 0; q < indices.length; q++) {
        if (all[indices[q]] !== 1) continue;
        const u = scan.codes;
        const prefix = r.prefixes[q];
        const why = whys[q];
        eachOccurrence(t, scan, prefix, (p) => {
          let next = p + 1;
          if (p === 0 || !isAsciiAlnum(u[p - 1]) || u[p - 2] === 92) {
            const e = bodyEnd(u, p + prefix.length, Math.min(t.length, p + prefix.length + r.max + 1), body);
            const len = e - p - prefix.length;
            if (len >= r.min && len <= r.max && (e >= t.length || !inBody(u[e]))) {
              // canonical value: the token itself (the span's text)
              if (!r.validate || r.validate(t, p, e)) {
                scan.emit('SECRET', p, e, 0.95, why);
                next = e;
              }
            }
            if (next === p + 1 && e > p + prefix.length) next = e;
          }
          return next;
        });
      }
      return EMITTED;
    },
    examples: r.examples,
  };
}

/**
 * Where a token body starting at e ends (at most at lim): a function of its own, with nothing after its
 * loop, because code after a loop that may run long is what V8's on-stack replacement leaves stale
 * (docs/DLP.md, "Long loops and V8's on-stack replacement").
 */
function bodyEnd(u: Uint16Array, e: number, lim: number, body: Uint8Array): number {
  while (e < lim) {
    const c = u[e];
    if (c >= 128 || body[c] !== 1) return e;
    e++;
  }
  return e;
}

/** Looks random: mixes digits and letters (keeps English words like sk-learn-tutorial out); read in place. */
function mixed(t: string, s: number, e: number): boolean {
  let digit = false;
  let letter = false;
  for (let k = s; k < e && !(digit && letter); k++) {
    const c = t.charCodeAt(k);
    if (c >= 48 && c <= 57) digit = true;
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 122) letter = true;
  }
  return digit && letter;
}

export const tokenRules: Recognizer[] = [
  tokenRule({
    name: 'anthropic-key', prefixes: ['sk-ant-'], body: B64URL, min: 20, max: 200, validate: mixed,
    explanation: 'Anthropic API key (sk-ant-...)',
    examples: { positive: [{ text: 'key=sk-ant-api03-FAKEfakeFAKE0123456789abcdefFAKEfake_xyz done', value: 'sk-ant-api03-FAKEfakeFAKE0123456789abcdefFAKEfake_xyz' }], negative: ['sk-ant-short1'] },
  }),
  tokenRule({
    name: 'openai-key', prefixes: ['sk-'], body: B64URL, min: 20, max: 200, validate: (t, s, e) => mixed(t, s, e) && !t.startsWith('sk-ant-', s),
    explanation: 'OpenAI-style secret key (sk-..., sk-proj-...)',
    examples: { positive: [{ text: 'OPENAI_API_KEY="sk-proj-FAKE0123456789abcdefFAKE0123456789"', value: 'sk-proj-FAKE0123456789abcdefFAKE0123456789' }], negative: ['see sk-learn-preprocessing-module-docs', 'task-1234567890123456789012345'] },
  }),
  tokenRule({
    name: 'aws-access-key', prefixes: ['AKIA', 'ASIA'], body: UPPER_DIGIT, min: 16, max: 16,
    explanation: 'AWS access key id (AKIA/ASIA + 16 upper-case alphanumerics)',
    examples: { positive: [{ text: 'aws_access_key_id = AKIAFAKE0EXAMPLE0KEY', value: 'AKIAFAKE0EXAMPLE0KEY' }], negative: ['AKIAFAKESHORT', 'xAKIAFAKE0EXAMPLE0KEY'] },
  }),
  tokenRule({
    name: 'github-token', prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], body: ALNUM, min: 36, max: 255,
    explanation: 'GitHub token (ghp_/gho_/ghu_/ghs_/ghr_)',
    examples: { positive: [{ text: 'token ghp_FAKE0123456789abcdefFAKE0123456789ab', value: 'ghp_FAKE0123456789abcdefFAKE0123456789ab' }], negative: ['ghp_short'] },
  }),
  tokenRule({
    name: 'github-pat', prefixes: ['github_pat_'], body: ALNUM_US, min: 22, max: 255,
    explanation: 'GitHub fine-grained personal access token (github_pat_)',
    examples: { positive: [{ text: 'GH_TOKEN=github_pat_11FAKE0000_FAKEfakeFAKEfake0123456789', value: 'github_pat_11FAKE0000_FAKEfakeFAKEfake0123456789' }], negative: ['github_pat_ is the prefix'] },
  }),
  tokenRule({
    name: 'google-api-key', prefixes: ['AIza'], body: B64URL, min: 35, max: 35,
    explanation: 'Google API key (AIza + 35 chars)',
    examples: { positive: [{ text: 'key=AIzaFAKE_fake-0123456789abcdefFAKEfake0&x', value: 'AIzaFAKE_fake-0123456789abcdefFAKEfake0' }], negative: ['AIzaShort'] },
  }),
  tokenRule({
    name: 'slack-token', prefixes: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-'], body: B64URL, min: 10, max: 250, validate: mixed,
    explanation: 'Slack token (xoxb-/xoxp-/xoxa-/xoxr-/xoxs-)',
    examples: { positive: [{ text: 'SLACK=xoxb-000000000000-FAKEFAKEFAKE0', value: 'xoxb-000000000000-FAKEFAKEFAKE0' }], negative: ['xoxb-'] },
  }),
  tokenRule({
    name: 'stripe-key', prefixes: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'], body: ALNUM, min: 16, max: 250,
    explanation: 'Stripe secret / restricted key or webhook secret',
    examples: { positive: [{ text: 'stripe: sk_test_FAKE0123456789abcdefFAKE', value: 'sk_test_FAKE0123456789abcdefFAKE' }], negative: ['pk_test_FAKE0123456789abcdefFAKE', 'sk_live_'] },
  }),
  tokenRule({
    name: 'alibaba-access-key', prefixes: ['LTAI'], body: ALNUM, min: 12, max: 30, validate: mixed,
    explanation: 'Alibaba Cloud AccessKey id (LTAI...)',
    examples: { positive: [{ text: 'AccessKeyId: LTAI5tFAKE0fake0FAKE0fake', value: 'LTAI5tFAKE0fake0FAKE0fake' }], negative: ['LTAILS'] },
  }),
  tokenRule({
    // 20 characters after the prefix in the classic form; newer tokens are longer
    name: 'gitlab-token', prefixes: ['glpat-'], body: B64URL, min: 20, max: 80, validate: mixed,
    explanation: 'GitLab personal access token (glpat-)',
    examples: {
      positive: [{ text: 'git clone https://oauth2:glpat-FAKEfake0123456789ab@gitlab.example.invalid/x.git', value: 'glpat-FAKEfake0123456789ab' }, { text: 'GITLAB_TOKEN=glpat-fake_FAKE-0123456789', value: 'glpat-fake_FAKE-0123456789' }],
      negative: ['glpat-short1', 'see glpat-abcdefghijklmnopqrstuvwxyz (no digit)'],
    },
  }),
  tokenRule({
    name: 'npm-token', prefixes: ['npm_'], body: ALNUM, min: 36, max: 36, validate: mixed,
    explanation: 'npm access token (npm_ + 36 characters)',
    examples: {
      positive: [{ text: '//registry.npmjs.org/:_authToken=npm_FAKEfake0123456789FAKEfake0123456789', value: 'npm_FAKEfake0123456789FAKEfake0123456789' }],
      negative: ['npm_config_cache=/tmp/npm', 'npm_FAKEfake0123456789FAKEfake01234567890 (37 chars)'],
    },
  }),
];

/** JWT: three base64url segments, the first two starting with eyJ (a JSON object). Segments bounded to 8 KB. */
export const jwt: Recognizer = {
  name: 'jwt',
  types: ['SECRET'],
  explanation: 'JSON Web Token (eyJ...header.eyJ...payload.signature)',
  find(t, scan) {
    eachOccurrence(t, scan, 'eyJ', (p) => {
      let next = p + 3;
      if (p === 0 || !isAsciiAlnum(t.charCodeAt(p - 1))) {
        let e = p;
        let seg = 0;
        let segStart = p;
        let ok = true;
        while (ok && seg < 3) {
          const lim = Math.min(t.length, segStart + 8192);
          e = segStart;
          while (e < lim && B64URL(t.charCodeAt(e))) e++;
          const len = e - segStart;
          if (seg < 2 && (len < 10 || !t.startsWith('eyJ', segStart) || t[e] !== '.')) ok = false;
          else if (seg === 2 && len < 8) ok = false;
          seg++;
          segStart = e + 1;
        }
        if (ok) {
          scan.emit('SECRET', p, e, 0.95, 'JWT');
          next = e;
        }
      }
      return next;
    });
    return EMITTED;
  },
  examples: {
    positive: [{ text: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.ZmFrZS1zaWduYXR1cmUtZmFrZQ ok', value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.ZmFrZS1zaWduYXR1cmUtZmFrZQ' }],
    negative: ['eyJhbGciOiJIUzI1NiJ9 alone', 'eyJ.eyJ.x'],
  },
};

const isPemBody = (c: number) => isAsciiAlnum(c) ? c !== 95 : c === 43 || c === 47 || c === 61 || c === 32 || (c >= 9 && c <= 13) || isUnicodeSpace(c); // [A-Za-z0-9+/=\s]
const isUnicodeSpace = (c: number) => c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const isSchemeChar = (c: number) => (isAsciiAlnum(c) && c !== 95) || c === 43 || c === 46 || c === 45; // [A-Za-z0-9+.-]

/** PEM private key block; the END marker is searched at most 16 KB ahead. */
export const pemKey: Recognizer = {
  name: 'pem-private-key',
  types: ['SECRET'],
  explanation: 'PEM private key block (-----BEGIN ... PRIVATE KEY-----)',
  find(t, scan) {
    let endMarker = -2; // cached position of the next '-----END ' (-1: none left), so END is searched O(n) in total
    let dashes = -2; // cached position of the next '-----' at or after p + 11 (-1: none left), for the same reason
    eachOccurrence(t, scan, '-----BEGIN ', (p) => {
      // the header's closing '-----' must lie within 80 chars (bounded look-ahead, read in place)
      if (dashes !== -1 && dashes < p + 11) dashes = t.indexOf('-----', p + 11);
      const headEnd = dashes >= 0 && dashes + 5 <= Math.min(t.length, p + 91) ? dashes : -1;
      let next = p + 11;
      // header ends with PRIVATE KEY or PRIVATE KEY BLOCK
      const blk = headEnd - 17 >= p + 11 && t.startsWith('PRIVATE KEY BLOCK', headEnd - 17);
      if (headEnd > 0 && (blk || (headEnd - 11 >= p + 11 && t.startsWith('PRIVATE KEY', headEnd - 11)))) {
        if (endMarker !== -1 && endMarker < headEnd) endMarker = t.indexOf('-----END ', headEnd);
        let e: number;
        if (endMarker >= 0 && endMarker - headEnd <= 16384) {
          const closeRel = t.slice(endMarker + 9, endMarker + 89).indexOf('-----'); // bounded look-ahead
          e = closeRel >= 0 ? endMarker + 9 + closeRel + 5 : endMarker + 9;
        } else {
          e = headEnd + 5;
          while (e - headEnd < 16384 && isPemBody(codeAt(t, e))) e++;
        }
        scan.emit('SECRET', p, e, 0.99, 'PEM private key');
        next = e;
      }
      return next;
    });
    return EMITTED;
  },
  examples: {
    positive: [{ text: 'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIFAKEFAKEFAKE\n-----END RSA PRIVATE KEY-----\nthanks', value: '-----BEGIN RSA PRIVATE KEY-----\nMIIFAKEFAKEFAKE\n-----END RSA PRIVATE KEY-----' }],
    negative: ['-----BEGIN CERTIFICATE-----\nMIIFAKE\n-----END CERTIFICATE-----', '-----BEGIN PUBLIC KEY-----'],
  },
};

/** scheme://user:password@host - the password part is the secret. Scheme and userinfo scanned within bounds. */
export const connectionString: Recognizer = {
  name: 'connection-string-password',
  types: ['SECRET'],
  explanation: 'password inside a URL or connection string (scheme://user:password@host)',
  find(t, scan) {
    eachOccurrence(t, scan, '://', (p) => {
      let s = p;
      while (s > 0 && p - s < 24 && isSchemeChar(t.charCodeAt(s - 1))) s--;
      let next = p + 3;
      if (s < p) {
        let colon = -1;
        let at = -1;
        const lim = Math.min(t.length, p + 3 + 384);
        for (let k = p + 3; k < lim; k++) {
          const c = t.charCodeAt(k);
          if (c === 58 && colon < 0) colon = k; // :
          else if (c === 64) at = k; // @
          else if (c === 47 || c === 32 || c === 10 || c === 34 || c === 39 || c === 9 || c === 60 || c === 62) break; // / space \n " ' \t < >
        }
        // the user may be empty (redis://:password@host)
        if (colon >= p + 3 && at > colon + 1) {
          scan.emit('SECRET', colon + 1, at, 0.97, 'URL userinfo password');
          next = at;
        }
      }
      return next;
    });
    return EMITTED;
  },
  examples: {
    positive: [
      { text: 'DATABASE_URL=postgres://app:S3cr3t-FAKE@db.example.invalid:5432/app', value: 'S3cr3t-FAKE' },
      { text: 'mongodb+srv://admin:hunter2FAKE@cluster0.example.invalid/test', value: 'hunter2FAKE' },
      { text: 'REDIS_URL=redis://:s3cr3tFAKE@cache.example.invalid:6379/0', value: 's3cr3tFAKE' },
    ],
    negative: ['https://example.invalid/a:b@c', 'http://user@example.invalid', 'see https://example.invalid:8080/x'],
  },
};

/**
 * Keywords, longest alternatives first. Literal alternation without the i flag (spelled out in lower, Title
 * and UPPER case) so V8 can skip ahead on first characters: O(n), no backtracking into the text.
 */
const KEYWORD_RE =
  /[Pp]ass(?:word|wd|code)|PASS(?:WORD|WD|CODE)|[Pp]wd|PWD|[Pp]in code|PIN CODE|[Pp]in|PIN|[Aa]pi[ _]?[Kk]ey|API[ _]?KEY|[Ss]ecret[ _][Aa]ccess[ _][Kk]ey|SECRET[ _]ACCESS[ _]KEY|[Aa]ccount[ _]?[Kk]ey|ACCOUNT[ _]?KEY|[Ss]ecret[ _][Kk]ey|SECRET[ _]KEY|client_secret|CLIENT_SECRET|access_token|ACCESS_TOKEN|auth_token|AUTH_TOKEN|[Tt]oken|TOKEN|[Bb]earer|BEARER|(?:支付|交易|取款|登录|银行卡)?密码|口令|密钥|秘钥/g;
/** Sticky copy of KEYWORD_RE: tried at one position. */
const KEYWORD_Y = new RegExp(KEYWORD_RE.source, 'y');
/**
 * Prefilters: each returns a position at or after `from` where a KEYWORD_RE match may start, no later than
 * the first one that does (Infinity: none). Every Latin keyword holds a hint word (pass, pwd, pin, key,
 * secret, token, bearer) at most LATIN_HINT_REACH characters after its start ("account key" is the
 * farthest), so the next hint minus that reach is such a position. Every CJK keyword holds 密, 口令 or 秘钥,
 * and V8's indexOf finds a single character or a short literal far faster than a regex pass (~0.1 against
 * ~1.7 ms): a 密 at m means a keyword may start from m - 3 (银行卡密码) on.
 */
const LATIN_HINT_REACH = 8;
/**
 * The Latin prefilter (exported for its test): the next position where a hint word's first three letters
 * stand, in any case (pas pwd pin key sec tok bea), read from the scan's `keywordHint` class (classes.ts),
 * which the class kernel makes in its one pass over the text. A regex of the hint words in their three
 * spellings took about 18 instructions per character of every scanned text (7-8% of a scan).
 */
export function latinKeywordBound(hints: Uint32Array, from: number, n: number): number {
  const p = nextSet(hints, from, n);
  return p >= n ? Infinity : Math.max(from, p - LATIN_HINT_REACH);
}
/** KEYWORD_RE's source (exported for the prefilter's test). */
export const KEYWORD_SOURCE = KEYWORD_RE.source;
const KEYWORD_PRE: Array<(t: string, from: number, hints: Uint32Array) => number> = [
  (t, from, hints) => latinKeywordBound(hints, from, t.length),
  (t, from) => {
    const m = t.indexOf('密', from);
    return m < 0 ? Infinity : Math.max(from, m - 3);
  },
  (t, from) => {
    const m = t.indexOf('口令', from);
    return m < 0 ? Infinity : m;
  },
  (t, from) => {
    const m = t.indexOf('秘钥', from);
    return m < 0 ? Infinity : m;
  },
];
/** Characters a KEYWORD_RE match can start with. */
const KEYWORD_FIRST = new Uint8Array(65536);
for (const c of 'PpAaSsCcTtBb支交取登银密口秘') KEYWORD_FIRST[c.charCodeAt(0)] = 1;
const KEYWORD_HAND_SCAN = 16;

/**
 * End of the KEYWORD_RE match at p when t[p] is CJK, else -1: (?:支付|交易|取款|登录|银行卡)?密码 | 口令 | 密钥 | 秘钥.
 * No Latin alternative starts with a CJK character, so this is exactly the sticky match there.
 */
function cjkKeywordEnd(t: string, p: number): number {
  const c1 = t.charCodeAt(p + 1);
  switch (t.charCodeAt(p)) {
    case 0x5bc6: // 密
      return c1 === 0x7801 || c1 === 0x94a5 ? p + 2 : -1; // 码 钥
    case 0x53e3: // 口
      return c1 === 0x4ee4 ? p + 2 : -1; // 令
    case 0x79d8: // 秘
      return c1 === 0x94a5 ? p + 2 : -1; // 钥
    case 0x652f: // 支付
      return c1 === 0x4ed8 && t.startsWith('密码', p + 2) ? p + 4 : -1;
    case 0x4ea4: // 交易
      return c1 === 0x6613 && t.startsWith('密码', p + 2) ? p + 4 : -1;
    case 0x53d6: // 取款
      return c1 === 0x6b3e && t.startsWith('密码', p + 2) ? p + 4 : -1;
    case 0x767b: // 登录
      return c1 === 0x5f55 && t.startsWith('密码', p + 2) ? p + 4 : -1;
    case 0x94f6: // 银行卡
      return c1 === 0x884c && codeAt(t, p + 2) === 0x5361 && t.startsWith('密码', p + 3) ? p + 5 : -1;
    default:
      return -1;
  }
}
const MASKED = /^[*xX•·#?]+$/;
const STOP = new Set(['required', 'incorrect', 'correct', 'wrong', 'invalid', 'expired', 'reset', 'changed', 'missing', 'empty', 'protected', 'strong', 'weak', 'manager', 'field', 'policy', 'hash', 'null', 'none', 'undefined', 'true', 'false', 'here', 'below', 'same', 'the', 'your', 'my', 'not', 'and', 'for']);
const STOP_MAX = Math.max(...[...STOP].map((w) => w.length));
/** Normalized keyword and explanation by the keyword as written (a small set: keyword spellings). */
const KEYWORDS = new Map<string, { name: string; why: string }>();
function keyword(raw: string): { name: string; why: string } {
  let k = KEYWORDS.get(raw);
  if (!k) {
    const name = raw.toLowerCase().replace(/[ _]/g, ' ').trim();
    k = { name, why: `keyword "${name}"` };
    if (KEYWORDS.size < 1024) KEYWORDS.set(raw, k);
  }
  return k;
}
const isValueChar = (c: number) => c > 32 && c < 127 && c !== 34 && c !== 39 && c !== 44 && c !== 59 && c !== 96;

/**
 * A password or key stated in text: keyword (密码/口令/password/api key ...), a short connector (: = is 是 为 ...),
 * then the value. Keywords are found with indexOf on a lower-cased copy; everything after is bounded scanning.
 */
export const statedPassword: Recognizer = {
  name: 'stated-password',
  types: ['SECRET'],
  explanation: 'password, payment password, PIN or key stated in text after a keyword like 密码/口令/password',
  find(t, scan) {
    const seen = new Set<number>();
    const n = t.length;
    const hints = scan.classes.keywordHint;
    const tryAt = (kwStart: number, kwEnd: number, zh: boolean) => {
      let k = kwEnd;
      // connector: spaces, quotes, : = is 是 为 was ，bounded
      const lim = Math.min(n, kwEnd + 12);
      let connector = false;
      let strongConnector = false; // ':', '=' or '：'
      while (k < lim) {
        const c = t.charCodeAt(k);
        if ((c === 105 || c === 73) && (t.charCodeAt(k + 1) | 0x20) === 115 && t.charCodeAt(k + 2) === 32) {
          connector = true; // "is "
          k += 3;
          continue;
        }
        if (c === 32 || c === 9 || c === 34 || c === 39 || c === 96) k++;
        else if (c === 58 || c === 61 || c === 0xff1a) {
          connector = strongConnector = true;
          k++;
        } else if (c === 0x662f || c === 0x4e3a || c === 0x70ba) {
          connector = true; // 是 为 為
          k++;
        } else if (zh && (c === 0x8bbe || c === 0x7f6e || c === 0x6539 || c === 0x6210 || c === 0x90fd || c === 0x4ed3)) k++; // 设 置 改 成 都 仍
        else break;
      }
      if (!connector && !zh) return;
      let e = k;
      while (e - k < 128 && isValueChar(codeAt(t, e))) e++;
      while (e > k && (t[e - 1] === '.' || t[e - 1] === ')' || t[e - 1] === '!' || t[e - 1] === '?')) e--;
      if (e - k < 4) return; // too short to be a value (no string is built)
      const v = t.slice(k, e);
      if (MASKED.test(v) || (v.length <= STOP_MAX && STOP.has(v.toLowerCase())) || seen.has(k)) return;
      const kw = keyword(t.slice(kwStart, kwEnd));
      if (kw.name === 'pin' && !/^\d{4,8}$/.test(v)) return;
      const strong = strongConnector || zh;
      if (!strong && !/[^A-Za-z]/.test(v)) return; // "password is hunter" is prose; "password is hunter2" is a secret
      if (/^[a-z]+$/.test(v) && v.length > 3 && !strong) return;
      seen.add(k);
      scan.emit('SECRET', k, e, 0.9, kw.why, v);
    };
    // Same matches as KEYWORD_RE run globally (leftmost, first alternative, non-overlapping): a cheap
    // case-insensitive prefilter skips text where no keyword can start; from a hit on, positions whose first
    // character can start a keyword are tried with the sticky KEYWORD_Y, by hand for a few characters (dense
    // keyword runs pay no prefilter call per hit), then the prefilter takes over again.
    const next = KEYWORD_PRE.map(() => -1); // next hit of each prefilter at or after `from` (-1: not searched yet)
    let from = 0;
    while (from < n) {
      let p = Infinity;
      for (let r = 0; r < KEYWORD_PRE.length; r++) {
        if (next[r] < from && next[r] !== Infinity) next[r] = KEYWORD_PRE[r](t, from, hints);
        if (next[r] < p) p = next[r];
      }
      if (p === Infinity) break;
      let lim = p + KEYWORD_HAND_SCAN;
      while (p < lim && p < n) {
        const c0 = t.charCodeAt(p);
        if (KEYWORD_FIRST[c0] === 1) {
          // CJK keywords are matched by hand (no other alternative starts with their first characters)
          let end = -1;
          if (c0 > 0x2e80) end = cjkKeywordEnd(t, p);
          else {
            KEYWORD_Y.lastIndex = p;
            if (KEYWORD_Y.test(t)) end = KEYWORD_Y.lastIndex;
          }
          if (end >= 0) {
            const zh = c0 > 0x2e80;
            let ok = true;
            if (!zh) {
              const before = p === 0 ? 32 : t.charCodeAt(p - 1) | 0x20;
              const after = t.charCodeAt(end) | 0x20;
              ok = !((before >= 97 && before <= 122) || (after >= 97 && after <= 122));
            }
            if (ok) tryAt(p, end, zh);
            p = end;
            lim = p + KEYWORD_HAND_SCAN;
            continue;
          }
        }
        p++;
      }
      from = p;
    }
    return EMITTED;
  },
  examples: {
    positive: [
      { text: '我的支付密码是 839201，帮我记一下', value: '839201' },
      { text: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY' },
      { text: 'AccountName=demo;AccountKey=RkFLRWtleUZBS0VrZXlGQUtFa2V5RkFLRWtleQ==;EndpointSuffix=core.example.invalid', value: 'RkFLRWtleUZBS0VrZXlGQUtFa2V5RkFLRWtleQ==' },
      { text: '登录密码：Fake#Pass2024', value: 'Fake#Pass2024' },
      { text: 'my password is hunter2fake, keep it', value: 'hunter2fake' },
      { text: 'api_key=FAKEfake0123456789', value: 'FAKEfake0123456789' },
      { text: '口令为ｆａｋｅ１２３４', value: 'ｆａｋｅ１２３４' },
    ],
    negative: ['the password is required', 'password: ********', '忘记密码怎么办？', 'reset your password here', 'PIN code is printed on the card'],
  },
};

export const secretRecognizers: Recognizer[] = [...tokenRules, jwt, pemKey, connectionString, statedPassword];
