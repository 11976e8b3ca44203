import assert from 'node:assert/strict';
import { CJK_TRIGGERS } from '../../../src/dlp/classes.js';
import { triggerTableAt } from '../../../src/dlp/codes.js';

/**
 * A kernel's memory, given back, holds nothing of a text: all zero from byte `from` on, but its copy of the
 * CJK trigger table (the recognizers' characters), which is either there or not copied yet (no text was
 * classified in that memory).
 */
export function assertHoldsNoText(buffer: ArrayBufferLike, from = 0): void {
  const at = triggerTableAt(buffer);
  assert.ok(at > 0, 'a kernel memory');
  const bytes = new Uint8Array(buffer);
  assert.ok(bytes.subarray(from, at).every((c) => c === 0), 'code units and bitmaps zeroed');
  const table = bytes.subarray(at, at + CJK_TRIGGERS.length);
  assert.ok(table.every((c) => c === 0) || Buffer.compare(table, CJK_TRIGGERS) === 0, 'the trigger table, or nothing');
  assert.ok(bytes.subarray(at + CJK_TRIGGERS.length).every((c) => c === 0));
}
