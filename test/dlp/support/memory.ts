import assert from 'node:assert/strict';
import { CJK_TRIGGERS } from '../../../src/dlp/classes.js';
import { contextTablesAt, triggerTableAt } from '../../../src/dlp/codes.js';

/**
 * A kernel's memory, given back, holds nothing of a text: all zero from byte `from` on, but its copies of the
 * CJK trigger table (the recognizers' characters) and of the context-word tables (their word lists), each
 * either there or not copied yet.
 */
export function assertHoldsNoText(buffer: ArrayBufferLike, from = 0): void {
  const at = triggerTableAt(buffer);
  assert.ok(at > 0, 'a kernel memory');
  const bytes = new Uint8Array(buffer);
  assert.ok(bytes.subarray(from, at).every((c) => c === 0), 'code units and bitmaps zeroed');
  const table = bytes.subarray(at, at + CJK_TRIGGERS.length);
  assert.ok(table.every((c) => c === 0) || Buffer.compare(table, CJK_TRIGGERS) === 0, 'the trigger table, or nothing');
  const { at: ctx, tables } = contextTablesAt(buffer);
  assert.ok(ctx > at + CJK_TRIGGERS.length);
  assert.ok(bytes.subarray(at + CJK_TRIGGERS.length, ctx).every((c) => c === 0), 'the digit lexer\'s output area zeroed');
  const copy = bytes.subarray(ctx, ctx + tables.length);
  assert.ok(copy.every((c) => c === 0) || Buffer.compare(copy, tables) === 0, 'the context-word tables, or nothing');
  assert.ok(bytes.subarray(ctx + tables.length).every((c) => c === 0));
}
