import { tokenize, type Token } from './tokens.js';

/** A call in source code, with the string values its arguments are known to hold. */
export interface CallSite {
  callee: string;
  line: number;
  /** String values of the arguments after constant folding (split strings joined, variables resolved). */
  strings: string[];
  /** Identifiers and callees appearing in the arguments. */
  names: string[];
  /** The argument carries decoded data (base64, hex, zlib, marshal...). */
  decoded: boolean;
  /** The argument carries data fetched from the network. */
  fetched: boolean;
}

/** What a piece of JavaScript/TypeScript/Python code does, found without running it. */
export interface CodeFacts {
  calls: CallSite[];
  /** Every string value seen, literals and folded concatenations. */
  strings: { value: string; line: number }[];
  envVars: { name: string; line: number }[];
  /** Lines where the whole environment is read (dumped, iterated, copied). */
  envDump: number[];
}

const MAX_FOLD = 64 * 1024;
const MAX_STRINGS = 20000;
const MAX_CALLS = 5000;
const DECODE = /(^|\.)(b64decode|b32decode|b16decode|a85decode|b85decode|urlsafe_b64decode|decodebytes|atob|FromBase64String|unhexlify|fromhex|decompress|inflateSync|inflateRawSync|gunzipSync|brotliDecompressSync|loads|fromCharCode|rot13)$/;
const NET_SOURCE = /(^|\.)(urlopen|get|fetch|request|read|text|content|json|post)$/;
const NET_ROOT = /^(requests|httpx|urllib|urllib3|aiohttp|fetch|axios|got|http|https|session|client)\b/;

function isDecodeCall(callee: string, argStrings: string[]): boolean {
  if (DECODE.test(callee)) return !/(^|\.)(json\.loads|loads)$/.test(callee) || /marshal|pickle/.test(callee);
  if (/(^|\.)Buffer\.from$/.test(callee) || /(^|\.)from$/.test(callee)) return argStrings.some((s) => /^(base64|hex|base64url)$/.test(s));
  if (/(^|\.)decode$/.test(callee)) return argStrings.some((s) => /^(base64|hex|rot13|rot_13|zlib|bz2)$/i.test(s));
  return false;
}

/**
 * Extracts calls, strings and environment access from code by folding constants over its tokens:
 * `"cu" + "rl"`, adjacent Python literals, `[..].join('')`, `''.join([..])`, `String.fromCharCode`,
 * `chr(n)` and simple `name = <string>` assignments, so split-string evasions read as one string.
 */
export function analyzeCode(src: string, lang: 'js' | 'ts' | 'python'): CodeFacts {
  const toks = tokenize(src, lang);
  const consts = new Map<string, string>();
  const tainted = new Map<string, 'decoded' | 'fetched'>();
  const facts: CodeFacts = { calls: [], strings: [], envVars: [], envDump: [] };

  // Value of a single operand at i: a literal, a known constant, chr(n), fromCharCode(...). Returns [value, next index].
  // Nesting depth and folded length are capped so hostile input cannot blow the stack or the heap.
  const operand = (i: number, nest = 0): [string, number] | undefined => {
    const t = toks[i];
    if (!t || nest > 20) return undefined;
    if (t.t === 'str') {
      let v = t.v;
      let j = i + 1;
      if (lang === 'python') while (toks[j]?.t === 'str') v += toks[j++].v;
      // "abc"[::-1] reversal
      if (toks[j]?.v === '[' && toks[j + 1]?.v === ':' && toks[j + 2]?.v === ':' && toks[j + 3]?.v === '-' && toks[j + 4]?.v === '1' && toks[j + 5]?.v === ']') {
        return [[...v].reverse().join(''), j + 6];
      }
      // "".join([...]) in Python
      if (toks[j]?.v === '.' && toks[j + 1]?.v === 'join' && toks[j + 2]?.v === '(') {
        const parts: string[] = [];
        let k = j + 3;
        while (k < toks.length && toks[k].v !== ')') {
          const o = operand(k, nest + 1);
          if (o) {
            parts.push(o[0]);
            k = o[1];
          } else k++;
        }
        return [parts.join(v), k + 1];
      }
      return [v, j];
    }
    if (t.t === 'name' && (t.v === 'chr' || t.v === 'fromCharCode') && toks[i + 1]?.v === '(') {
      let k = i + 2;
      let v = '';
      while (toks[k] && toks[k].v !== ')') {
        if (toks[k].t === 'num') v += String.fromCharCode(Number(toks[k].v));
        k++;
      }
      return [v, k + 1];
    }
    if (t.t === 'name' && t.v === 'String' && toks[i + 1]?.v === '.' && toks[i + 2]?.v === 'fromCharCode') return operand(i + 2, nest + 1);
    if (t.t === 'name' && consts.has(t.v) && toks[i - 1]?.v !== '.' && toks[i + 1]?.v !== '(' && toks[i + 1]?.v !== '=') return [consts.get(t.v) as string, i + 1];
    if (t.v === '[') {
      // ['a','b'].join('') in JavaScript
      const parts: string[] = [];
      let k = i + 1;
      while (k < toks.length && toks[k].v !== ']') {
        const o = operand(k, nest + 1);
        if (!o) {
          if (toks[k].v !== ',') return undefined;
          k++;
          continue;
        }
        parts.push(o[0]);
        k = o[1];
      }
      if (toks[k + 1]?.v === '.' && toks[k + 2]?.v === 'join' && toks[k + 3]?.v === '(') {
        const sep = toks[k + 4]?.t === 'str' ? toks[k + 4].v : ',';
        let end = k + 4;
        while (end < toks.length && toks[end].v !== ')') end++;
        return [parts.join(sep), end + 1];
      }
      return undefined;
    }
    return undefined;
  };

  // Folds operand ('+' operand)* starting at i.
  const fold = (i: number): [string, number] | undefined => {
    const first = operand(i);
    if (!first) return undefined;
    let [v, j] = first;
    while (toks[j]?.v === '+') {
      const next = operand(j + 1);
      if (!next) break;
      if (v.length < MAX_FOLD) v += next[0];
      j = next[1];
    }
    if (v.length > MAX_FOLD) v = v.slice(0, MAX_FOLD);
    // .split('').reverse().join('')
    if (toks[j]?.v === '.' && toks[j + 1]?.v === 'split' && toks.slice(j, j + 14).some((x) => x.v === 'reverse')) v = [...v].reverse().join('');
    return [v, j];
  };

  const calleeAt = (i: number): { name: string; start: number } => {
    const parts = [toks[i].v];
    let k = i;
    while (k >= 2 && (toks[k - 1].v === '.' || toks[k - 1].v === '?.') && toks[k - 2].t === 'name') {
      parts.unshift(toks[k - 2].v);
      k -= 2;
    }
    return { name: parts.join('.'), start: k };
  };

  // Each token starts at most one recorded fold: a chain "a" + "b" + ... is recorded once, from its
  // first operand, so a long chain costs linear, not quadratic, time and memory.
  let foldedUntil = -1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (i >= foldedUntil && (t.t === 'str' || (t.t === 'name' && consts.has(t.v)) || t.v === '[')) {
      const f = fold(i);
      if (f && (t.t === 'str' || f[1] > i + 1)) {
        if (facts.strings.length < MAX_STRINGS) facts.strings.push({ value: f[0], line: t.line });
        foldedUntil = f[1];
      }
    }
    if (t.t !== 'name') continue;
    // assignment: name = <string fold> | <decode/fetch call>
    if (toks[i + 1]?.v === '=' && toks[i + 2]?.v !== '=' && toks[i - 1]?.v !== '.') {
      const f = fold(i + 2);
      if (f && (toks[f[1]] === undefined || [';', ')', ',', '}'].includes(toks[f[1]].v) || toks[f[1]].line !== toks[i].line)) consts.set(t.v, f[0]);
      // taint: look at the rest of the statement on this line
      let k = i + 2;
      let stmtDecoded = false;
      let stmtFetched = false;
      while (k < toks.length && toks[k].line === t.line && toks[k].v !== ';') {
        if (toks[k].t === 'name' && toks[k + 1]?.v === '(') {
          const c = calleeAt(k).name;
          if (DECODE.test(c) && !/json\.loads$/.test(c)) stmtDecoded = true;
          if (/(^|\.)from$/.test(c) && toks.slice(k, k + 12).some((x) => x.t === 'str' && /^(base64|hex|base64url)$/.test(x.v))) stmtDecoded = true;
          if (NET_ROOT.test(c) && NET_SOURCE.test(c)) stmtFetched = true;
        }
        if (toks[k].t === 'name' && tainted.has(toks[k].v)) {
          if (tainted.get(toks[k].v) === 'decoded') stmtDecoded = true;
          else stmtFetched = true;
        }
        k++;
      }
      if (stmtDecoded) tainted.set(t.v, 'decoded');
      else if (stmtFetched) tainted.set(t.v, 'fetched');
    }
    // environment access
    const full = calleeAt(i).name;
    if (/^(process\.env|os\.environ|Deno\.env|environ|Bun\.env)$/.test(full) && toks[i + 1]?.v !== '.') {
      if (toks[i + 1]?.v === '[' && toks[i + 2]?.t === 'str') facts.envVars.push({ name: toks[i + 2].v, line: t.line });
      else if ((toks[i + 1]?.v !== '[' || toks[i + 2]?.t === 'name') && !passesEnvToChild(toks, i)) facts.envDump.push(t.line);
    }
    if (i >= 2 && toks[i - 1]?.v === '.' && toks[i - 2].t === 'name' && /^(process\.env|Bun\.env)$/.test(calleeAt(i - 2).name)) facts.envVars.push({ name: t.v, line: t.line });
    if (/^(os\.environ\.get|os\.getenv|getenv|Deno\.env\.get|os\.environ\.setdefault)$/.test(full) && toks[i + 1]?.v === '(' && toks[i + 2]?.t === 'str') facts.envVars.push({ name: toks[i + 2].v, line: t.line });
    if (/^os\.environ\.(items|copy|keys|values)$/.test(full) && !passesEnvToChild(toks, i - 2)) facts.envDump.push(t.line);
    // calls
    if (toks[i + 1]?.v === '(' && facts.calls.length < MAX_CALLS) {
      const callee = full;
      let depth = 0;
      let k = i + 1;
      const strings: string[] = [];
      const names: string[] = [];
      let decoded = false;
      let fetched = false;
      let argFoldedUntil = -1;
      for (; k < toks.length; k++) {
        const a = toks[k];
        if (a.v === '(') depth++;
        else if (a.v === ')') {
          depth--;
          if (depth === 0) break;
        }
        if (k > i + 1 && k >= argFoldedUntil && strings.length < 64 && (a.t === 'str' || (a.t === 'name' && consts.has(a.v)))) {
          const f = fold(k);
          if (f) {
            strings.push(f[0]);
            argFoldedUntil = f[1];
          }
        }
        if (a.t === 'name') {
          names.push(a.v);
          const tt = tainted.get(a.v);
          if (tt === 'decoded') decoded = true;
          if (tt === 'fetched') fetched = true;
          if (toks[k + 1]?.v === '(') {
            const c = calleeAt(k).name;
            if (isDecodeCall(c, [])) decoded = true;
            if (NET_ROOT.test(c) && NET_SOURCE.test(c)) fetched = true;
          }
        }
        if (k - i > 200) break;
      }
      if (!decoded && names.some((n) => /^(b64decode|atob|FromBase64String|unhexlify|fromhex|decompress|fromCharCode)$/.test(n))) decoded = true;
      if (!decoded && /(^|\.)from$/.test(callee) === false && strings.some((s) => s === 'base64') && names.includes('from')) decoded = true;
      facts.calls.push({ callee, line: t.line, strings, names, decoded, fetched });
    }
  }
  return facts;
}

/** `env: process.env`, `{...process.env}`, `env=os.environ.copy()`: handing the environment to a child process, not reading it out. */
function passesEnvToChild(toks: Token[], i: number): boolean {
  let k = i;
  while (k >= 2 && toks[k - 1]?.v === '.' && toks[k - 2]?.t === 'name') k -= 2;
  const prev = toks[k - 1]?.v;
  const prev2 = toks[k - 2]?.v ?? '';
  const intoChild = (prev === '...' || prev === '**' || ((prev === ':' || prev === '=') && /^(env|environ|environment|childEnv|child_env|sub_env|new_env|_env)$/i.test(prev2)));
  if (!intoChild) return false;
  // ...and only when a child-process call encloses it; `{ env: {...process.env} }` sent to fetch is a dump.
  for (let j = k - 1; j >= Math.max(0, k - 60); j--) {
    if (toks[j].t === 'name' && /^(spawn|spawnSync|exec|execSync|execFile|execFileSync|fork|execa|execaSync|Popen|run|call|check_output|check_call|create_subprocess_exec|create_subprocess_shell)$/.test(toks[j].v) && toks[j + 1]?.v === '(') return true;
  }
  return /^(env|environ|child_env|sub_env|new_env|_env)$/i.test(prev2) && prev === '=';
}

export type { Token };
