/** Context-word lookups in a bounded window around a span (case-insensitive for ASCII words). */

export const DEFAULT_WINDOW = 24;

/** True when one of `words` occurs within `before` chars before start or `after` chars after end. */
const HAS_UPPER = /[A-Z]/;
const WORDY = /[A-Za-z\u0080-\uffff]/;
const lower = (s: string) => (HAS_UPPER.test(s) ? s.toLowerCase() : s);

export function near(t: string, start: number, end: number, words: readonly string[], before = DEFAULT_WINDOW, after = 8): string | null {
  if (words.length === 0) return null;
  const left = lower(t.slice(Math.max(0, start - before), start));
  const right = after > 0 ? lower(t.slice(end, end + after)) : '';
  if (!WORDY.test(left) && !WORDY.test(right)) return null; // only digits and punctuation around: nothing to match
  for (const w of words) {
    if (left.includes(w) || (right && right.includes(w))) return w;
  }
  return null;
}

/** Words that say a number is NOT personal data (order, tracking, invoice numbers ...). */
export const NEGATIVE_NUMBER_CONTEXT = [
  '订单', '单号', '运单', '快递', '物流', '发票', '流水号', '工单', '编号', '批次', '序列号', '版本', '型号', '合同号', '邮编',
  '错误', 'error', 'errno', 'order', 'tracking', 'invoice', 'ticket', 'serial', 'sku', 'version', 'build', 'ref', 'case #', 'po #', 'zip', 'postal',
];
