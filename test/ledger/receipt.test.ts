import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { identityFrom } from '../../src/ledger/signing.js';
import { makeReceipts, verifyReceipt } from '../../src/ledger/receipt.js';
import type { LedgerEntry } from '../../src/ledger/ledger.js';

const id = identityFrom(generateKeyPairSync('ed25519').privateKey);
const other = identityFrom(generateKeyPairSync('ed25519').privateKey);

const entry = (seq: number): LedgerEntry => ({
  seq, requestId: `req_${seq}`, keyId: 'key_1', teamId: null, modelRequested: 'gpt-4o', modelServed: 'gpt-4o', upstream: 'up', inputTokens: 10 + seq, outputTokens: 5, cachedTokens: 0,
  reasoningTokens: 0, estimated: false, costMicros: 15 + seq, status: 'ok', startedAt: 1, finishedAt: 2, requestHash: 'a'.repeat(64), responseHash: 'b'.repeat(64), prevHash: '0'.repeat(64), entryHash: String(seq).padStart(64, '0'),
});

test('every receipt of a batch verifies on its own, for every batch size', () => {
  for (const n of [1, 2, 3, 5, 8, 13]) {
    const receipts = makeReceipts(id, Array.from({ length: n }, (_, i) => entry(i + 1)));
    assert.equal(new Set(receipts.map((r) => r.split('.')[3])).size, 1, 'one signature per batch');
    receipts.forEach((r, i) => {
      const v = verifyReceipt(r, id.publicKey);
      assert.ok(v.ok, `batch ${n}, receipt ${i}`);
      assert.equal(v.payload.seq, i + 1);
    });
  }
});

test('a receipt fails with another key, a changed payload, a swapped path or a path from another leaf', () => {
  const [a, b, c] = makeReceipts(id, [entry(1), entry(2), entry(3)]);
  assert.equal(verifyReceipt(a, other.publicKey).ok, false);
  const [v, payload, path, sig] = a.split('.');
  const changed = Buffer.from(payload, 'base64url').toString().replace('"cost":16', '"cost":1');
  assert.equal(verifyReceipt([v, Buffer.from(changed).toString('base64url'), path, sig].join('.'), id.publicKey).ok, false);
  assert.equal(verifyReceipt([v, payload, b.split('.')[2], sig].join('.'), id.publicKey).ok, false);
  assert.equal(verifyReceipt([v, payload, c.split('.')[2], sig].join('.'), id.publicKey).ok, false);
  assert.equal(verifyReceipt('trr1.x.y', id.publicKey).ok, false);
  assert.equal(verifyReceipt([v, payload, Buffer.from('[["X","00"]]').toString('base64url'), sig].join('.'), id.publicKey).ok, false);
});
