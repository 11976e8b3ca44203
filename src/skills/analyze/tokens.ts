import * as acorn from 'acorn';

/** A lexical token of JavaScript/TypeScript or Python, enough to follow calls and strings. */
export interface Token {
  t: 'name' | 'str' | 'num' | 'punct';
  v: string;
  line: number;
}

/** Tokenizes JavaScript with acorn's tokenizer (which also copes with most TypeScript type syntax). */
function acornTokens(src: string): Token[] {
  const out: Token[] = [];
  const tk = acorn.tokenizer(src, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true, allowReturnOutsideFunction: true, locations: true, onComment: () => undefined });
  const templateDepth: number[] = [];
  let depth = 0;
  for (const tok of tk) {
    const value = (tok as unknown as { value?: unknown }).value;
    const label = tok.type.label;
    const line = tok.loc?.start.line ?? 0;
    if (label === '${') {
      templateDepth.push(depth);
      out.push({ t: 'punct', v: '+', line });
      continue;
    }
    if (label === '{') depth++;
    if (label === '}') {
      if (templateDepth.length && templateDepth[templateDepth.length - 1] === depth) {
        templateDepth.pop();
        out.push({ t: 'punct', v: '+', line });
        continue;
      }
      depth--;
    }
    if (label === 'name' || tok.type.keyword) out.push({ t: 'name', v: String(value ?? label), line });
    else if (label === 'string' || label === 'template') out.push({ t: 'str', v: String(value ?? ''), line });
    else if (label === 'num') out.push({ t: 'num', v: String(value), line });
    else if (label === 'regexp') out.push({ t: 'punct', v: '/re/', line });
    else if (label === '`' || label === 'eof') continue;
    else out.push({ t: 'punct', v: typeof value === 'string' ? value : label, line });
  }
  return out;
}

const PY_STR_PREFIX = /^(?:[rRbBuUfF]{1,2})?$/;

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0xc0;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

/**
 * A hand tokenizer for Python (and, in 'c' mode, a fallback for JavaScript/TypeScript that acorn
 * rejects): identifiers, numbers, string literals with escapes decoded loosely, punctuation.
 * Comments are dropped. It never throws.
 */
export function handTokens(src: string, mode: 'python' | 'c'): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n) {
    const ch = src[i];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\\') {
      i++;
      continue;
    }
    if ((mode === 'python' && ch === '#') || (mode === 'c' && ch === '/' && src[i + 1] === '/')) {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (mode === 'c' && ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
      continue;
    }
    const code = src.charCodeAt(i);
    if (isIdStart(code)) {
      let j = i + 1;
      while (j < n && isIdPart(src.charCodeAt(j))) j++;
      const word = src.slice(i, j);
      if (mode === 'python' && (src[j] === '"' || src[j] === "'") && PY_STR_PREFIX.test(word)) {
        i = j;
        continue; // the string literal follows; its prefix carries no meaning here
      }
      out.push({ t: 'name', v: word, line });
      i = j;
      continue;
    }
    if (code >= 48 && code <= 57) {
      let j = i + 1;
      while (j < n && (isIdPart(src.charCodeAt(j)) || src.charCodeAt(j) === 46)) j++;
      out.push({ t: 'num', v: src.slice(i, j), line });
      i = j;
      continue;
    }
    if (ch === '"' || ch === "'" || (mode === 'c' && ch === '`')) {
      const triple = mode === 'python' && src.startsWith(ch.repeat(3), i);
      const q = triple ? ch.repeat(3) : ch;
      const startLine = line;
      let j = i + q.length;
      let val = '';
      while (j < n && !src.startsWith(q, j)) {
        const c = src[j];
        if (c === '\n') {
          line++;
          if (!triple && ch !== '`') break;
        }
        if (c === '\\' && j + 1 < n) {
          const e = src[j + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(j + 2, j + 4))) {
            val += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16));
            j += 4;
            continue;
          }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(j + 2, j + 6))) {
            val += String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          if (e === '\n') line++;
          val += map[e] ?? e;
          j += 2;
          continue;
        }
        val += c;
        j++;
      }
      out.push({ t: 'str', v: val, line: startLine });
      i = j + q.length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '=>', '&&', '||', '**', '//', '+=', '::', '->', '?.'].includes(two)) {
      out.push({ t: 'punct', v: two, line });
      i += 2;
      continue;
    }
    out.push({ t: 'punct', v: ch, line });
    i++;
  }
  return out;
}

export function tokenize(src: string, lang: 'js' | 'ts' | 'python'): Token[] {
  if (lang === 'python') return handTokens(src, 'python');
  try {
    return acornTokens(src);
  } catch {
    return handTokens(src, 'c');
  }
}
