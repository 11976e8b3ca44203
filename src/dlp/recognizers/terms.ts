import { EMITTED } from '../candidate.js';
import { compileLinear } from '../linear-regex.js';
import { isAsciiAlnum } from '../lexer.js';
import type { Recognizer } from '../types.js';
import { declareLocal } from '../scan.js';

export interface TermDef {
  name: string;
  /** Entity type reported (default ORG_TERM). */
  type?: string;
  /** Exact values (case-insensitive, whole words for Latin text). */
  values?: string[];
  /** Patterns (case-sensitive, compiled linear-time; see linear-regex.ts). */
  patterns?: string[];
  caseSensitive?: boolean;
}

export const DEFAULT_TERM_TYPE = 'ORG_TERM';

/**
 * Organisation-defined terms (code names, customer names, internal hosts ...). Values are found with
 * indexOf (per value O(n)); patterns run on the linear-time engine.
 */
export function termRecognizer(def: TermDef): Recognizer {
  const type = def.type ?? DEFAULT_TERM_TYPE;
  const cs = def.caseSensitive ?? false;
  const values = (def.values ?? []).filter((v) => v.length > 0).map((v) => (cs ? v : v.toLowerCase()));
  const patterns = (def.patterns ?? []).map((p) => compileLinear(p));
  // a value or pattern match depends on the text it covers and the characters next to it (and on the
  // matches before it in a run of overlapping ones, which the stretched scan's check around each cut sees)
  return declareLocal({
    name: `term:${def.name}`,
    types: [type],
    explanation: `organisation term "${def.name}"`,
    find(t, scan) {
      const hay = cs ? t : scan.lower;
      for (const v of values) {
        const wordy = isAsciiAlnum(v.charCodeAt(0)) || isAsciiAlnum(v.charCodeAt(v.length - 1));
        let p = hay.indexOf(v);
        while (p >= 0) {
          const e = p + v.length;
          if (!wordy || ((p === 0 || !isAsciiAlnum(hay.charCodeAt(p - 1))) && (e >= hay.length || !isAsciiAlnum(hay.charCodeAt(e))))) {
            scan.emit(type, p, e, 0.99, 'listed value', v);
          }
          p = hay.indexOf(v, e);
        }
      }
      for (const re of patterns) {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(t)) !== null) {
          if (m[0].length === 0) {
            re.lastIndex++;
            continue;
          }
          scan.emit(type, m.index, m.index + m[0].length, 0.99, 'pattern', m[0]);
        }
      }
      return EMITTED;
    },
    examples: { positive: values.length ? [{ text: `about ${def.values![0]} today`, value: def.values![0] }] : [], negative: [] },
  });
}
