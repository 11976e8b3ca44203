import type { SkillContext } from '../analyze/context.js';
import { lineIndex } from '../analyze/indicators.js';
import type { Category, Doc, Finding, RuleExamples, Severity } from '../types.js';

export type Emit = (f: { message: string; file: string; line: number; evidence?: string; severity?: Severity }) => void;

/**
 * A detector: data (id, severity, rationale, examples) plus one small function over the skill
 * context. `severity` is the rule's usual severity; a rule may lower it for one finding (a
 * mention in a defensive skill's documentation) or raise it when capability meets threat.
 */
export interface Rule {
  id: string;
  category: Category;
  severity: Severity;
  title: string;
  rationale: string;
  examples: RuleExamples;
  check(ctx: SkillContext, emit: Emit): void;
}

/** Makes invisible and control characters visible and shortens to 160 characters. */
export function visible(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if ((cp < 0x20 && cp !== 9) || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff || (cp >= 0xe0000 && cp <= 0xe007f)) out += `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
    else out += ch;
    if (out.length > 160) break;
  }
  return out.length > 160 ? out.slice(0, 157) + '...' : out;
}

/** Documents a person or agent reads: markdown prose, frontmatter, tool descriptions. */
export function proseDocs(ctx: SkillContext): Doc[] {
  return ctx.docs.filter((d) => d.kind === 'prose');
}

const MAX_MATCHES = 200;
const LINE_WINDOW = 400;
const LOWER = new WeakMap<Doc, { low: string; ascii: boolean; seen: Map<string, boolean>; words?: Set<string> }>();
/** Per anchor: 0 plain word, 1 other ASCII substring, 2 non-ASCII substring. */
const ANCHOR_KIND = new Map<string, 0 | 1 | 2>();

function anchorKind(w: string): 0 | 1 | 2 {
  let k = ANCHOR_KIND.get(w);
  if (k === undefined) {
    k = /^[a-z0-9_]+$/.test(w) ? 0 : /^[\x00-\x7f]*$/.test(w) ? 1 : 2;
    ANCHOR_KIND.set(w, k);
  }
  return k;
}
const LINES = new WeakMap<Doc, (index: number) => number>();

/**
 * True when the document contains one of the lower-case anchors: a cheap filter before costly
 * regexes. An anchor made of [a-z0-9_] only must occur as a whole word (looked up in the
 * document's word set); any other anchor is a substring, searched at most once per document.
 */
export function mentions(doc: Doc, anchors: string[]): boolean {
  let c = LOWER.get(doc);
  if (c === undefined) {
    const low = doc.text.toLowerCase();
    c = { low, ascii: !/[^\x00-\x7f]/.test(low), seen: new Map() };
    LOWER.set(doc, c);
  }
  for (const w of anchors) {
    const kind = anchorKind(w);
    if (kind === 0) {
      c.words ??= new Set(c.low.split(/[^a-z0-9_]+/));
      if (c.words.has(w)) return true;
      continue;
    }
    if (kind === 2 && c.ascii) continue;
    let hit = c.seen.get(w);
    if (hit === undefined) {
      hit = c.low.includes(w);
      c.seen.set(w, hit);
    }
    if (hit) return true;
  }
  return false;
}

/** Runs a global regex over a document, calling back with the 1-based file line and the whole line text. */
export function matchLines(doc: Doc, re: RegExp, cb: (m: RegExpMatchArray, line: number, lineText: string) => void): void {
  let at = LINES.get(doc);
  if (!at) {
    at = lineIndex(doc.text);
    LINES.set(doc, at);
  }
  const g = re.global ? re : new RegExp(re.source, re.flags + 'g');
  let n = 0;
  for (const m of doc.text.matchAll(g)) {
    // Bounded work on hostile input: at most MAX_MATCHES per pattern and document, and the "line"
    // handed to the callback is cut to a window around the match so a 1 MB single-line file stays linear.
    if (++n > MAX_MATCHES) break;
    const idx = m.index ?? 0;
    const start = Math.max(doc.text.lastIndexOf('\n', idx) + 1, idx - LINE_WINDOW);
    let end = doc.text.indexOf('\n', idx);
    if (end < 0 || end > idx + m[0].length + LINE_WINDOW) end = Math.min(doc.text.length, idx + m[0].length + LINE_WINDOW);
    const lineText = doc.text.slice(start, end);
    cb(m, doc.line + (at as (i: number) => number)(idx) - 1, lineText);
  }
}

/** The sentence or line around a match reads as discussing the text rather than saying it. */
export const DISCUSSION = /\b(detect(s|ed|ion|ing)?|flag(s|ged)?|block(s|ed)?|example(s)? of|attack(s|er|ers)?|pattern(s)?|phrases? (like|such as)|such as|e\.g\.|watch (out )?for|beware|warn(s|ing)?|indicators?|iocs?|signatures?|known (bad|malicious)|malicious|suspicious|report(s|ed)?|look(s)? for|scan(s|ner|ning)? for|red flags?|test (case|prompt)s?|payloads? like|classif(y|ies|ier)|defen[cs]e|protect(s|ion)? against|common tactics?|treat (it|them|this) as)\b/i;

/** A match inside quotation marks on its line (the text is being cited). */
export function isQuoted(lineText: string, match: string): boolean {
  const i = lineText.indexOf(match);
  if (i < 0) return false;
  const before = lineText.slice(0, i);
  const q = (before.match(/["“”'`«]/g) ?? []).length;
  return q % 2 === 1;
}

export interface FindingWithoutRule extends Omit<Finding, 'rule' | 'category' | 'rationale'> {
  severity: Severity;
}
